"""``pytensor.ifelse`` (OP-IFELSE-*) and lazy evaluation (GRAPH-EVAL-5)."""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference._cloop.dispatch import KernelUnavailable
from reference.errors import SpecTypeError, SpecValueError
from reference.evaluate import Schedule, branch_homes
from reference.graph.traversal import toposort
from reference.ifelse import IfElse, ifelse
from reference.testing import verify_grad


# -- types -------------------------------------------------------------------------------
@pytest.mark.rule("OP-IFELSE-1")
def test_op_ifelse_1__outputs_single_list_and_tuple():
    c, x, y = pt.bscalar("c"), pt.dvector("x"), pt.dvector("y")
    single = ifelse(c, x, y)
    assert isinstance(single.owner.op, IfElse) and single.type == x.type
    pair = ifelse(c, [x, y], [y, x])
    assert isinstance(pair, list) and len(pair) == 2 and pair[0].owner is pair[1].owner
    assert isinstance(ifelse(c, (x, y), (y, x)), tuple)
    assert isinstance(ifelse(c, [x], [y]), list)
    assert ifelse(c, [], []) == []
    assert pytensor.ifelse.ifelse is ifelse
    assert pytensor.ifelse(c, x, y).owner.op == single.owner.op  # PyTensor's pytensor.ifelse is the function


@pytest.mark.rule("OP-IFELSE-1")
def test_op_ifelse_1__static_shapes_kept_where_both_agree():
    c = pt.bscalar("c")

    def t(*shape):
        return pt.tensor(dtype="float64", shape=shape)

    assert ifelse(c, t(3), t(None)).type.shape == (None,)
    assert ifelse(c, t(2), t(3)).type.shape == (None,)
    assert ifelse(c, t(1), t(None)).type.shape == (None,)
    assert ifelse(c, t(3, None), t(3, 4)).type.shape == (3, None)


@pytest.mark.rule("OP-IFELSE-1")
def test_op_ifelse_1__errors_name_the_argument():
    c, x = pt.bscalar("c"), pt.dvector("x")
    with pytest.raises(SpecTypeError, match="same dtype") as info:
        ifelse(c, x, pt.fvector())
    assert "then_branch" in str(info.value) and "else_branch" in str(info.value)
    with pytest.raises(SpecTypeError, match="same dtype"):
        ifelse(c, pt.bscalar(), pt.wscalar())
    with pytest.raises(SpecTypeError, match="same ndim"):
        ifelse(c, x, pt.dmatrix())
    with pytest.raises(SpecTypeError, match=r"then_branch\[1\].*same dtype"):
        ifelse(c, [x, x], [x, pt.fvector()])
    with pytest.raises(SpecTypeError, match="condition must be a scalar"):
        ifelse(pt.dvector(), x, x)
    with pytest.raises(SpecTypeError, match="condition must be a scalar"):
        ifelse(pt.tensor(dtype="float64", shape=(1,)), x, x)
    with pytest.raises(SpecValueError, match="then_branch has 2 values and else_branch has 1"):
        ifelse(c, [x, x], [x])


@pytest.mark.rule("OP-IFELSE-1", "GRAPH-PRINT-2")
def test_op_ifelse_1__printing():
    c, x, y = pt.bscalar("c"), pt.dvector("x"), pt.dvector("y")
    assert str(ifelse(c, x, y)) == "if{}.0"
    assert str(ifelse(c, x, y, name="foo").owner.op) == "if{foo}"
    assert pytensor.dprint(ifelse(c, x, y), file="str") == (
        "if{} [id A]\n ├─ c [id B]\n ├─ x [id C]\n └─ y [id D]\n")
    text = pytensor.dprint(ifelse(c, [x, y], [y, x]), file="str")
    assert text.splitlines()[0] == "if{}.0 [id A]" and "if{}.1 [id A]" in text


# -- values ------------------------------------------------------------------------------
@pytest.mark.rule("OP-IFELSE-2")
@pytest.mark.parametrize("condition, taken", [(1, 0), (0, 1), (-3, 0), (2, 0)])
def test_op_ifelse_2__values(condition, taken):
    c, x, y = pt.lscalar("c"), pt.dvector("x"), pt.dvector("y")
    f = pytensor.function([c, x, y], ifelse(c, [x * 2, y], [y + 1, x]))
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    got = f(condition, a, b)
    expected = [a * 2, b] if taken == 0 else [b + 1, a]
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_array_equal(g, e)


@pytest.mark.rule("OP-IFELSE-2")
def test_op_ifelse_2__float_and_nan_conditions():
    d, x, y = pt.dscalar("d"), pt.dvector("x"), pt.dvector("y")
    f = pytensor.function([d, x, y], ifelse(d, x, y))
    assert f(0.5, [1.0], [2.0]) == 1.0
    assert f(0.0, [1.0], [2.0]) == 2.0
    assert f(np.nan, [1.0], [2.0]) == 1.0
    assert f(1.0, [1.0], [2.0, 3.0]).shape == (1,)


@pytest.mark.rule("OP-IFELSE-2", "GRAPH-EVAL-1")
def test_op_ifelse_2__eval_and_outputs_also_read_elsewhere():
    c, x, y = pt.bscalar("c"), pt.dvector("x"), pt.dvector("y")
    doubled = x * 2
    out = ifelse(c, doubled, y)
    f = pytensor.function([c, x, y], [out, doubled])
    got, also = f(0, [1.0], [3.0])
    assert got == 3.0 and also == 2.0
    assert out.eval({c: 1, x: [1.0], y: [3.0]}) == 2.0


# -- laziness ----------------------------------------------------------------------------
def guarded_index():
    i, x = pt.lscalar("i"), pt.dvector("x")
    return [i, x], ifelse(pt.lt(i, x.shape[0]), x[i], pt.constant(-1.0, dtype="float64"))


@pytest.mark.rule("GRAPH-EVAL-5")
@pytest.mark.parametrize("mode", [None, "python", "FAST_COMPILE", "DebugMode"])
def test_graph_eval_5__an_untaken_branch_that_would_raise_does_not_run(mode):
    inputs, out = guarded_index()
    f = pytensor.function(inputs, out, mode=mode)
    assert f(5, [1.0, 2.0]) == -1.0
    assert f(1, [1.0, 2.0]) == 2.0
    assert out.eval({inputs[0]: 5, inputs[1]: [1.0, 2.0]}) == -1.0


@pytest.mark.rule("GRAPH-EVAL-5", "ORACLE-TRACE-1")
def test_graph_eval_5__untaken_nodes_do_not_run_or_warn():
    c, x = pt.bscalar("c"), pt.dvector("x")
    out = ifelse(c, pt.log(x), x)
    f = pytensor.function([c, x], out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(f(0, [0.0, -1.0]), [0.0, -1.0])
    calls = []
    pytensor.evaluate(out, {c: 0, x: np.ones(2)}, trace=lambda node, ins, outs: calls.append((node, ins)))
    assert [type(node.op).__name__ for node, _ in calls] == ["IfElse"]
    ((_, ins),) = calls
    assert ins[0] == 0 and ins[1] is None and np.array_equal(ins[2], np.ones(2))
    values, trace = f(1, [1.0, 2.0], trace=True)
    np.testing.assert_array_equal(values, np.log([1.0, 2.0]))


@pytest.mark.rule("GRAPH-EVAL-5")
def test_graph_eval_5__nested_ifelse_and_shared_nodes():
    a, b, x = pt.bscalar("a"), pt.bscalar("b"), pt.dvector("x")
    shared_work = x * 3  # read by both branches of the inner ifelse: runs when the outer takes then
    inner = ifelse(b, shared_work + 1, shared_work - 1)
    outer = ifelse(a, inner, x[10:11] + x[10])  # x[10] would raise for a short x
    nodes = toposort([outer])
    homes = branch_homes(nodes, [outer])
    outer_node, inner_node = outer.owner, inner.owner
    assert homes[outer_node] is None
    assert homes[inner_node] == (outer_node, 0)
    assert homes[shared_work.owner] == (outer_node, 0)
    assert homes[inner_node.inputs[1].owner] == (inner_node, 0)
    assert homes[inner_node.inputs[2].owner] == (inner_node, 1)
    assert homes[outer_node.inputs[2].owner] == (outer_node, 1)
    f = pytensor.function([a, b, x], outer)
    np.testing.assert_array_equal(f(1, 1, [1.0]), [4.0])
    np.testing.assert_array_equal(f(1, 0, [1.0]), [2.0])
    with pytest.raises(IndexError):
        f(0, 0, [1.0])
    schedule = Schedule(nodes, outputs=[outer])
    assert outer_node in schedule.nodes and shared_work.owner not in schedule.nodes
    then_part, else_part = schedule.branches[outer_node]
    assert inner_node in then_part.branches


@pytest.mark.rule("GRAPH-EVAL-5")
def test_graph_eval_5__condition_nodes_and_nodes_read_elsewhere_run():
    x = pt.dvector("x")
    s = x.sum()
    out = ifelse(pt.gt(s, 0), s * 2, s)
    f = pytensor.function([x], out)
    assert f([1.0, 2.0]) == 6.0 and f([-1.0]) == -1.0
    homes = branch_homes(toposort([out]), [out])
    assert homes[s.owner] is None


@pytest.mark.rule("GRAPH-EVAL-5", "GRAPH-EVAL-3")
def test_graph_eval_5__graphs_without_ifelse_have_no_branches():
    x = pt.dvector("x")
    f = pytensor.function([x], (x * 2).sum())
    assert f.schedule.branches == {}
    assert all(step.node in f.schedule.nodes for step in f.schedule.steps)


# -- gradients ---------------------------------------------------------------------------
@pytest.mark.rule("OP-IFELSE-3")
def test_op_ifelse_3__the_taken_branch_gets_the_cotangent():
    c, x = pt.bscalar("c"), pt.dvector("x")
    g = pytensor.grad(ifelse(c, x * 2, x * 3).sum(), x)
    f = pytensor.function([c, x], g)
    np.testing.assert_array_equal(f(1, [1.0, 2.0]), [2.0, 2.0])
    np.testing.assert_array_equal(f(0, [1.0, 2.0]), [3.0, 3.0])
    y = pt.dvector("y")
    gx, gy = pytensor.grad(ifelse(c, x, y).sum(), [x, y])
    assert [float(v[0]) for v in pytensor.function([c, x, y], [gx, gy])(1, [1.0], [2.0])] == [1.0, 0.0]


@pytest.mark.rule("OP-IFELSE-3")
def test_op_ifelse_3__the_condition_gets_zero_or_nothing():
    d, x, y = pt.dscalar("d"), pt.dvector("x"), pt.dvector("y")
    gd = pytensor.grad(ifelse(d, x, y).sum(), d)
    assert gd.eval({d: 1.0}) == 0.0
    c = pt.bscalar("c")
    node = ifelse(c, x, y).owner
    grads = node.op.pullback(node, [pt.dvector("g")])
    assert grads[0] is None


@pytest.mark.rule("OP-IFELSE-3")
@pytest.mark.parametrize("condition", [1, 0])
def test_op_ifelse_3__verify_grad(condition):
    rng = np.random.default_rng(0)

    def fun(a, b):
        first, second = ifelse(pt.constant(np.int8(condition)), [a * b, pt.sin(a)], [a + b * b, pt.exp(b)])
        return first * 2 + second

    verify_grad(fun, [rng.standard_normal(3), rng.standard_normal(3)], rng=rng)


@pytest.mark.rule("OP-IFELSE-3")
def test_op_ifelse_3__one_output_without_cotangent():
    c, x, y = pt.bscalar("c"), pt.dvector("x"), pt.dvector("y")
    first, second = ifelse(c, [x * 2, y], [x, y * 5])
    g = pytensor.grad(first.sum(), x)
    assert pytensor.function([c, x, y], g)(0, [1.0], [3.0]) == 1.0


# -- inside scan -------------------------------------------------------------------------
def loop_with_ifelse():
    x = pt.dvector("x")

    def step(k, v):
        return ifelse(pt.lt(k, v.shape[0]), v[k] * 2, pt.constant(0.0, dtype="float64"))

    ys = pytensor.scan(step, sequences=pt.arange(4), non_sequences=x, return_updates=False)
    return x, ys


@pytest.mark.rule("OP-IFELSE-2", "GRAPH-EVAL-5", "KERN-FALL-1")
def test_op_ifelse_2__inside_scan_default_and_python_agree():
    x, ys = loop_with_ifelse()
    default = pytensor.function([x], ys)
    python = pytensor.function([x], ys, mode="python")
    a = np.array([5.0, 6.0])
    got, expected = default(a), python(a)
    assert got.tobytes() == expected.tobytes()
    np.testing.assert_array_equal(got, [10.0, 12.0, 0.0, 0.0])
    report = str(pytensor.explain(default))
    assert "if{}" in report and "Python path" in report


@pytest.mark.rule("OP-IFELSE-2", "KERN-MODE-2")
def test_op_ifelse_2__mode_c_raises_naming_the_op():
    x, ys = loop_with_ifelse()
    f = pytensor.function([x], ys, mode="c")
    with pytest.raises(KernelUnavailable, match=r"if\{\}"):
        f(np.array([5.0, 6.0]))


@pytest.mark.rule("OP-IFELSE-3", "OP-IFELSE-2")
def test_op_ifelse_3__gradient_through_a_loop():
    x = pt.dvector("x")
    ys = pytensor.scan(lambda a: ifelse(pt.gt(a, 0), a * a, -a), sequences=x, return_updates=False)
    g = pytensor.grad(ys.sum(), x)
    np.testing.assert_array_equal(pytensor.function([x], g)(np.array([2.0, -1.0])), [4.0, -1.0])


# -- against PyTensor --------------------------------------------------------------------
@pytest.mark.rule("OP-IFELSE-1", "OP-IFELSE-2", "GRAPH-EVAL-5")
def test_op_ifelse_2__as_pytensor_does():
    real = pytest.importorskip("pytensor")
    import pytensor.tensor as rpt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from pytensor.ifelse import ifelse as real_ifelse

    results = []
    for lib, tensor, choose in ((real, rpt, real_ifelse), (pytensor, pt, ifelse)):
        i, x = tensor.lscalar("i"), tensor.dvector("x")
        out = choose(tensor.lt(i, x.shape[0]), x[i] * 2, x.sum())
        f = lib.function([i, x], [out, lib.grad(out, x)], mode="FAST_COMPILE")
        lazy = lib.function([i, x], out, mode="FAST_COMPILE")  # the gradient of x[i] is not guarded
        results.append([f(k, np.array([1.0, 2.0])) for k in (0, 1)] + [[lazy(5, np.array([1.0, 2.0]))]])
        with pytest.raises(TypeError):
            choose(tensor.bscalar(), x, tensor.fvector())
    for a, b in zip(results[0], results[1], strict=True):
        for u, v in zip(a, b, strict=True):
            np.testing.assert_array_equal(u, v)
