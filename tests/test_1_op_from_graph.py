"""Chapter 1, "Graphs as ops" (GRAPH-OFG-*): ``OpFromGraph``.

Expected values are closed forms and finite differences; the differential test at the end
compares with PyTensor 3.3.7 when it is installed."""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.compile.builders import OpFromGraph
from reference.errors import (
    MissingInputError,
    SpecNotImplementedError,
    SpecTypeError,
    SpecValueError,
)
from reference.graph.traversal import toposort
from reference.testing import verify_grad


def run(outputs, inputs, **kwargs):
    return pytensor.function(list(inputs), outputs, on_unused_input="ignore", **kwargs)(*inputs.values())


def mul_add():
    x, y = pt.vector("x"), pt.vector("y")
    return x, y, OpFromGraph([x, y], [x * y + 1, pt.exp(x).sum()])


# -- GRAPH-OFG-1 -------------------------------------------------------------------------


@pytest.mark.rule("GRAPH-OFG-1")
def test_graph_ofg_1__exported_where_pytensor_has_it():
    import reference.compile.builders as builders

    assert pytensor.OpFromGraph is OpFromGraph is builders.OpFromGraph
    assert pytensor.compile.OpFromGraph is OpFromGraph


@pytest.mark.rule("GRAPH-OFG-1")
def test_graph_ofg_1__the_inner_graph_is_a_copy():
    x, y, op = mul_add()
    assert all(inner is not x and inner is not y for inner in op.inner_inputs)
    assert [v.name for v in op.inner_inputs] == ["x", "y"]
    assert not any(node.inputs[0] is x for node in toposort(op.inner_outputs))


@pytest.mark.rule("GRAPH-OFG-1")
def test_graph_ofg_1__argument_errors():
    x = pt.vector("x")
    with pytest.raises(SpecTypeError, match="inputs and outputs must be lists"):
        OpFromGraph((x,), [x])
    with pytest.raises(SpecTypeError, match=r"outputs\[0\] must be a variable"):
        OpFromGraph([x], [1.0])
    with pytest.raises(SpecValueError, match="more than once"):
        OpFromGraph([x, x], [x * 2])
    OpFromGraph([x, x], [x * 2], on_unused_input="ignore")
    with pytest.raises(SpecNotImplementedError, match="updates"):
        OpFromGraph([x], [x], updates={})
    with pytest.raises(SpecNotImplementedError, match="connection_pattern"):
        OpFromGraph([x], [x], connection_pattern=[[True]])
    with pytest.warns(FutureWarning, match="mode"):
        OpFromGraph([x], [x * 2], mode="FAST_RUN")


@pytest.mark.rule("GRAPH-OFG-1")
def test_graph_ofg_1__free_variables_and_shared_variables_raise():
    x, z = pt.vector("x"), pt.vector("z")
    with pytest.raises(MissingInputError, match=r"depend on z .* neither in inputs nor a constant"):
        OpFromGraph([x], [x + z])
    s = pytensor.shared(np.array([1.0, 2.0]), name="s")
    with pytest.raises(MissingInputError, match="shared variable s, which is not in inputs"):
        OpFromGraph([x], [x + s])
    op = OpFromGraph([x, s], [x * s])
    f = pytensor.function([x], op(x, s))
    np.testing.assert_array_equal(f([3.0, 4.0]), [3.0, 8.0])
    s.set_value(np.array([10.0, 10.0]))
    np.testing.assert_array_equal(f([3.0, 4.0]), [30.0, 40.0])


@pytest.mark.rule("GRAPH-OFG-1")
def test_graph_ofg_1__constants_and_cut_at_intermediate_inputs():
    x = pt.vector("x")
    c = pt.constant(np.array([1.0, 2.0]))
    op = OpFromGraph([x], [x * c])
    np.testing.assert_array_equal(op(x).eval({x: [3.0, 3.0]}), [3.0, 6.0])
    m = pt.exp(x)  # an intermediate variable as input: the graph is cut there
    op2 = OpFromGraph([m], [m * 2])
    np.testing.assert_array_equal(op2(x).eval({x: [1.0, 2.0]}), [2.0, 4.0])


@pytest.mark.rule("GRAPH-OFG-1")
def test_graph_ofg_1__equal_only_to_itself():
    x = pt.vector("x")
    a, b = OpFromGraph([x], [x * 2]), OpFromGraph([x], [x * 2])
    assert a == a and a != b and hash(a) != hash(b)


# -- GRAPH-OFG-2 -------------------------------------------------------------------------


@pytest.mark.rule("GRAPH-OFG-2")
def test_graph_ofg_2__call_returns_one_output_or_a_list():
    x, y, op = mul_add()
    outs = op(x, y)
    assert isinstance(outs, list) and len(outs) == 2
    assert outs[0].owner is outs[1].owner and outs[0].owner.op is op
    assert [str(o.type) for o in outs] == ["Vector(float64, shape=(?,))", "Scalar(float64, shape=())"]
    single = OpFromGraph([x], [x * 2])
    assert isinstance(single(y), pytensor.Variable)
    assert isinstance(single(y, return_list=True), list)


@pytest.mark.rule("GRAPH-OFG-2")
def test_graph_ofg_2__output_types_are_the_inner_outputs_types():
    x = pt.vector("x")
    op = OpFromGraph([x], [x * 2])
    assert op(pt.tensor(dtype="float64", shape=(3,))).type == x.type
    fixed = pt.tensor(dtype="float64", shape=(2,), name="fixed")
    op2 = OpFromGraph([fixed], [fixed + 1])
    out = op2(x)  # a less specific input is checked when evaluated
    assert out.type.shape == (2,)
    np.testing.assert_array_equal(out.eval({x: [1.0, 2.0]}), [2.0, 3.0])
    with pytest.raises(Exception, match="shape"):
        out.eval({x: [1.0, 2.0, 3.0]})


@pytest.mark.rule("GRAPH-OFG-2")
def test_graph_ofg_2__input_errors():
    x = pt.vector("x")
    op = OpFromGraph([x], [x * 2])
    with pytest.raises(SpecValueError, match=r"expected 1 input\(s\), got 2"):
        op(x, x)
    with pytest.raises(SpecTypeError, match="input 0 has type Vector\\(float32"):
        op(pt.fvector())
    with pytest.raises(SpecTypeError, match="input 0 has type Matrix"):
        op(pt.matrix())
    with pytest.raises(SpecTypeError, match="input 0"):
        op(2.0)
    fixed = pt.tensor(dtype="float64", shape=(2,))
    with pytest.raises(SpecTypeError, match="input 0"):
        OpFromGraph([fixed], [fixed * 2])(pt.tensor(dtype="float64", shape=(3,)))
    np.testing.assert_array_equal(op([1.0, 2.0]).eval(), [2.0, 4.0])  # a literal takes the input's type


@pytest.mark.rule("GRAPH-OFG-2")
def test_graph_ofg_2__inline_expands_the_inner_graph():
    x, y = pt.vector("x"), pt.vector("y")
    op = OpFromGraph([x], [pt.sin(x) * 2], inline=True)
    out = op(y)
    assert not any(isinstance(n.op, OpFromGraph) for n in toposort([out]))
    np.testing.assert_allclose(out.eval({y: [0.5, 1.0]}), np.sin([0.5, 1.0]) * 2)
    assert str(op) == "OpFromGraph{inline=True}"
    # with a pullback override the node stays, so that the override gives the gradient
    scaled = OpFromGraph([x], [x * 2], inline=True, pullback=lambda i, o, g: [g[0] * 10])
    out = scaled(y)
    assert out.owner.op is scaled
    np.testing.assert_array_equal(pytensor.grad(out.sum(), y).eval({y: [1.0, 2.0]}), [10.0, 10.0])


@pytest.mark.rule("GRAPH-OFG-2")
def test_graph_ofg_2__printing():
    x, y = pt.vector("x"), pt.vector("y")
    op = OpFromGraph([x], [x * 2])
    assert str(op) == "OpFromGraph{inline=False}"
    assert str(OpFromGraph([x], [x * 2], name="twice")) == "twice{inline=False}"
    text = pytensor.dprint(op(y) + 1, file="str")
    assert text.splitlines()[1] == " ├─ OpFromGraph{inline=False} [id B]"
    x2, y2, op2 = mul_add()
    assert "OpFromGraph{inline=False}.1 [id" in pytensor.dprint(op2(x2, y2)[1], file="str")


# -- GRAPH-OFG-3 -------------------------------------------------------------------------


@pytest.mark.rule("GRAPH-OFG-3")
def test_graph_ofg_3__evaluates_the_inner_graph():
    x, y, op = mul_add()
    a, b = op(y, x)
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    got = run([a, b], {x: xv, y: yv})
    np.testing.assert_allclose(got[0], yv * xv + 1)
    np.testing.assert_allclose(got[1], np.exp(yv).sum())
    np.testing.assert_allclose(a.eval({x: xv, y: yv}), yv * xv + 1)


@pytest.mark.rule("GRAPH-OFG-3")
def test_graph_ofg_3__an_output_that_is_an_input_is_a_copy():
    x = pt.vector("x")
    op = OpFromGraph([x], [x, x * 2])
    node = op(x)[0].owner
    value = np.array([1.0, 2.0])
    out = op.perform(node, value)
    assert out[0] is not value and np.array_equal(out[0], value)


@pytest.mark.rule("GRAPH-OFG-3")
def test_graph_ofg_3__nesting():
    x, y = pt.vector("x"), pt.vector("y")
    inner = OpFromGraph([x], [x * 2])
    outer = OpFromGraph([x, y], [inner(x) + inner(y * 3)])
    outermost = OpFromGraph([x], [outer(x, inner(x)) ** 2])
    xv = np.array([1.0, -2.0])
    np.testing.assert_allclose(outermost(y).eval({y: xv}), (2 * xv + 2 * 3 * 2 * xv) ** 2)


@pytest.mark.rule("GRAPH-OFG-3")
def test_graph_ofg_3__a_loop_inside_the_inner_graph():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    hs = pytensor.scan(lambda xt, h: h * 0.5 + xt, sequences=x, outputs_info=h0, return_updates=False)
    op = OpFromGraph([x, h0], [hs])
    y = pt.vector("y")
    got = op(y, 1.0).eval({y: [1.0, 2.0, 3.0]})
    np.testing.assert_allclose(got, [1.5, 2.75, 4.375])


@pytest.mark.rule("GRAPH-OFG-3")
def test_graph_ofg_3__inside_scan_falls_back_to_the_python_path():
    x = pt.vector("x")
    op = OpFromGraph([x], [pt.tanh(x) * 2])
    seq = pt.matrix("seq")
    out = pytensor.scan(lambda r, h: op(r) + h * 0.5, sequences=seq, outputs_info=pt.zeros(3),
                        return_updates=False)
    f_default = pytensor.function([seq], out)
    f_python = pytensor.function([seq], out, mode="python")
    values = np.random.default_rng(3).normal(size=(5, 3))
    a, b = f_default(values), f_python(values)
    assert a.tobytes() == b.tobytes()  # the same bits
    text = str(pytensor.explain(f_default))
    assert "Python path" in text and "OpFromGraph{inline=False}" in text
    h, expected = np.zeros(3), []
    for r in values:
        h = np.tanh(r) * 2 + h * 0.5
        expected.append(h)
    np.testing.assert_allclose(a, expected)


# -- GRAPH-OFG-4 -------------------------------------------------------------------------


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__gradient_differentiates_the_inner_graph():
    x, y, op = mul_add()
    a, b = op(y, x)
    gx, gy = pytensor.grad(a.sum() + b, [x, y])
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    got = run([gx, gy], {x: xv, y: yv})
    np.testing.assert_allclose(got[0], yv)
    np.testing.assert_allclose(got[1], xv + np.exp(yv))


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__verify_grad_nested_and_repeated_inputs():
    x, y = pt.matrix("x"), pt.matrix("y")
    inner = OpFromGraph([x, y], [pt.tanh(x @ y), (x * y).sum()])
    outer = OpFromGraph([x], [inner(x, x.T)[0] * 2])

    def fun(a, b):
        p, q = inner(a, b)
        return [p + outer(a), q + inner(a, a)[1]]  # op(a, a): one variable in two inputs

    rng = np.random.default_rng(7)
    verify_grad(fun, [rng.normal(size=(2, 2)), rng.normal(size=(2, 2))], rng=rng)


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__disconnected_input_and_unused_output():
    x, y = pt.vector("x"), pt.vector("y")
    op = OpFromGraph([x, y], [x * 2, y * 3])
    a, b = op(x, y)
    gx = pytensor.grad(a.sum(), x)
    np.testing.assert_array_equal(gx.eval({x: [1.0, 1.0], y: [5.0, 5.0]}), [2.0, 2.0])
    with pytest.raises(pytensor.DisconnectedInputError):
        pytensor.grad(a.sum(), y)


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__gradient_of_a_gradient():
    x = pt.vector("x")
    op = OpFromGraph([x], [pt.sin(x)])
    y = pt.vector("y")
    g = pytensor.grad(op(y).sum(), y)
    h = pytensor.grad(g.sum(), y)
    np.testing.assert_allclose(h.eval({y: [0.3, 1.0]}), -np.sin([0.3, 1.0]))


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__gradient_through_scan():
    x = pt.vector("x")
    op = OpFromGraph([x], [pt.sin(x) * 2])
    seq = pt.matrix("seq")
    out = pytensor.scan(lambda r, h: op(r) * h, sequences=seq, outputs_info=pt.ones(2), return_updates=False)
    g = pytensor.grad(out[-1].sum(), seq)
    values = np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])
    got = run(g, {seq: values})
    # out[-1] = prod_t 2 sin(seq[t]); d/dseq[t] = out[-1] * cos/sin
    final = np.prod(2 * np.sin(values), axis=0)
    np.testing.assert_allclose(got, final * np.cos(values) / np.sin(values))
    np.testing.assert_array_equal(got, run(g, {seq: values}, mode="python"))


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__pullback_callable_override():
    x, z = pt.vector("x"), pt.vector("z")
    seen = {}

    def override(inputs, outputs, cotangents):
        seen["args"] = (inputs, outputs, cotangents)
        return [cotangents[0] * 10, None]

    op = OpFromGraph([x, z], [x * 2 + z], pullback=override)
    y, w = pt.vector("y"), pt.vector("w")
    out = op(y, w)
    gy = pytensor.grad(out.sum(), y)
    np.testing.assert_array_equal(gy.eval({y: [1.0, 2.0], w: [0.0, 0.0]}), [10.0, 10.0])
    inputs, outputs, cotangents = seen["args"]
    assert inputs == [y, w] and outputs == [out] and len(cotangents) == 1
    with pytest.raises(pytensor.DisconnectedInputError):
        pytensor.grad(out.sum(), w)  # None from the override: no gradient


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__lop_overrides_is_deprecated_and_a_missing_cotangent_is_zeros():
    x = pt.vector("x")
    with pytest.warns(FutureWarning, match="lop_overrides is deprecated in favor of pullback."):
        op = OpFromGraph([x], [x * 2, x * 3], lop_overrides=lambda i, o, g: [g[0] * 10 + g[1] * 100])
    y = pt.vector("y")
    g = pytensor.grad(op(y)[1].sum(), y)
    np.testing.assert_array_equal(g.eval({y: [1.0, 2.0]}), [100.0, 100.0])
    with pytest.raises(SpecValueError, match="mutually exclusive"):
        OpFromGraph([x], [x], lop_overrides=lambda *a: a, pullback=lambda *a: a)


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__list_override_and_opfromgraph_override():
    x, y, z = pt.scalar("x"), pt.scalar("y"), pt.scalar("z")
    e = x + y * z
    op = OpFromGraph([x, y, z], [e], pullback=[None, lambda inps, outs, gs: inps[2] * 2, None])
    dx, dy, dz = pytensor.grad(op(x, y, z), [x, y, z])
    got = pytensor.function([x, y, z], [dx, dy, dz], on_unused_input="ignore")(2.0, 3.0, 4.0)
    np.testing.assert_array_equal(got, [1.0, 8.0, 3.0])  # PyTensor's docstring example
    a, out, g = pt.vector("a"), pt.vector("out"), pt.vector("g")
    grad_op = OpFromGraph([a, out, g], [g * out])  # d/da of exp(a) is exp(a)
    op2 = OpFromGraph([a], [pt.exp(a)], pullback=grad_op)
    v = pt.vector("v")
    np.testing.assert_allclose(pytensor.grad(op2(v).sum(), v).eval({v: [0.0, 1.0]}), np.exp([0.0, 1.0]))


@pytest.mark.rule("GRAPH-OFG-4")
def test_graph_ofg_4__override_errors_name_the_argument():
    x = pt.vector("x")
    with pytest.raises(SpecTypeError, match="grad_overrides"):
        OpFromGraph([x], [x * 2], grad_overrides=lambda i, g: g)
    with pytest.raises(SpecTypeError, match="pullback must be None, a callable"):
        OpFromGraph([x], [x * 2], pullback="fast")
    with pytest.raises(SpecValueError, match="pullback as a list needs one entry per input"):
        OpFromGraph([x], [x * 2], pullback=[None, None])
    with pytest.raises(SpecTypeError, match=r"pullback\[0\] must be None or a callable"):
        OpFromGraph([x], [x * 2], pullback=[x])
    y = pt.vector("y")
    not_a_list = OpFromGraph([x], [x * 2], pullback=lambda i, o, g: g[0])
    with pytest.raises(SpecTypeError, match="pullback function must return a list"):
        pytensor.grad(not_a_list(y).sum(), y)
    too_many = OpFromGraph([x], [x * 2], pullback=lambda i, o, g: [g[0], g[0]])
    with pytest.raises(SpecValueError, match="must return 1 gradients"):
        pytensor.grad(too_many(y).sum(), y)
    wrong_ndim = OpFromGraph([x], [x * 2], pullback=lambda i, o, g: [g[0].sum()])
    with pytest.raises(SpecValueError, match="for input 0"):
        pytensor.grad(wrong_ndim(y).sum(), y)


# -- differential test with PyTensor -----------------------------------------------------


@pytest.mark.rule("GRAPH-OFG-3", "GRAPH-OFG-4")
def test_graph_ofg__agrees_with_pytensor():
    ptn = pytest.importorskip("pytensor")
    ptt = pytest.importorskip("pytensor.tensor")
    from pytensor.compile.builders import OpFromGraph as POpFromGraph

    def build(lib, tlib, ofg):
        x, y = tlib.vector("x"), tlib.vector("y")
        op = ofg([x, y], [tlib.tanh(x * y), (x ** 2).sum()])
        seq = tlib.matrix("seq")
        hs = lib.scan(lambda r, h: op(r, h)[0] + op(h, r)[1], sequences=seq, outputs_info=tlib.ones(2),
                      return_updates=False)
        a, b = op(hs[-1], seq[0])
        cost = a.sum() + b
        return lib.function([seq], [hs, a, b, *lib.grad(cost, [seq])])

    values = np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = build(ptn, ptt, POpFromGraph)(values)
    ours = build(pytensor, pt, OpFromGraph)(values)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
