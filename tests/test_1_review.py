"""Programs written as a PyTensor user would write them, whose behaviour a review found to
differ from PyTensor 3.3.7 and fixed (spec chapter 1 and 4)."""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError, SpecValueError, UnusedInputError


@pytest.mark.rule("FN-ATTR-1")
def test_fn_attr_1__copy_without_updates_keeps_an_input_only_the_updates_used():
    state = pytensor.shared(0)
    inc = pt.iscalar("inc")
    accumulator = pytensor.function([inc], state, updates=[(state, state + inc)])
    accumulator(10)
    null_accumulator = accumulator.copy(delete_updates=True)
    assert null_accumulator(9000) == 10 and state.get_value() == 10


@pytest.mark.rule("SHARED-VALUE-2")
def test_shared_value_2__strict_and_allow_downcast_given_to_shared():
    strict = pytensor.shared(np.zeros(3, dtype="float32"), name="s", strict=True)
    with pytest.raises(SpecTypeError, match="strict"):
        strict.set_value([1.0, 2.0, 3.0])
    with pytest.raises(TypeError):
        strict.set_value(np.ones(3))
    strict.set_value(np.ones(3, dtype="float32"))
    loose = pytensor.shared(np.zeros(3, dtype="float32"), allow_downcast=True)
    loose.set_value(np.ones(3) * 1.1)
    assert loose.get_value().dtype == "float32" and loose.get_value()[0] == np.float32(1.1)
    with pytest.raises(TypeError):
        pytensor.shared(np.zeros(3, dtype="float32")).set_value(np.ones(3))


@pytest.mark.rule("GRAPH-CONFIG-1")
def test_graph_config_1__pytensor_flags_that_scripts_set():
    config = pytensor.config
    assert (config.optimizer, config.linker, config.exception_verbosity, config.on_unused_input) == (
        "o4", "auto", "low", "raise")
    x, y = pt.dscalars("x", "y")
    with config.change_flags(optimizer="None", exception_verbosity="high", allow_gc=False,
                             on_unused_input="ignore"):
        assert pytensor.function([x, y], x * 2)(1.0, 5.0) == 2.0
    with pytest.raises(UnusedInputError):
        pytensor.function([x, y], x * 2)
    with config.change_flags(on_unused_input="warn"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pytensor.function([x, y], x * 2)
    assert caught
    with pytest.raises(ValueError):
        config.optimizer = "o9"


@pytest.mark.rule("GRAPH-PRINT-1")
def test_graph_print_1__pprint_is_pytensors_infix_form():
    from reference.printing import pp, pprint

    x, y, a = pt.dvector("x"), pt.dvector("y"), pt.dscalar("a")
    m = pt.dmatrix("M")
    assert pprint(x ** 2 + 3) == "((x ** 2) + 3)"
    assert pprint((x + y) * a) == "((x + y) * a)"
    assert pp(x - y / a) == "(x - (y / a))"
    assert pprint(-x) == "(-x)" and pprint(abs(x)) == "|x|"
    assert pprint(x.sum()) == "sum(x, axis=None)" and pprint(m.sum(axis=1)) == "sum(M, axis=(1,))"
    assert pprint(x[1:3]) == "x[1:3]" and pprint(m.T) == "M.T"
    assert pprint(x.astype("float32")) == "float32(x)" and pprint(x > y) == "Gt(x, y)"
    assert pprint(pt.exp(x) + np.arange(3)) == "(Exp(x) + [0 1 2])"


@pytest.mark.rule("GRAPH-REPLACE-1")
def test_graph_replace_1__one_variable_pairs_and_type_check():
    from reference.graph.replace import clone_replace

    x, y, w = pt.dscalar("x"), pt.dscalar("y"), pt.dscalar("w")
    z = x ** 2 + y
    z2 = clone_replace(z, {x: w})
    assert isinstance(z2, pytensor.Variable) and z2.eval({w: 3.0, y: 1.0}) == 10.0
    assert clone_replace(z, [(x, w)]).eval({w: 2.0, y: 1.0}) == 5.0
    assert isinstance(clone_replace((z,), {x: w}), list)
    with pytest.raises(SpecTypeError, match="GRAPH-REPLACE-1"):
        clone_replace(z, {x: pt.dvector()})
    with pytest.raises(TypeError):
        clone_replace(z, {x: pt.fscalar()})


@pytest.mark.rule("GRAPH-ORDER-1")
def test_graph_order_1__pytensor_module_names_of_the_traversal_helpers():
    from reference.graph.basic import ancestors, graph_inputs
    from reference.graph.traversal import (
        explicit_graph_inputs,
        get_var_by_name,
        io_toposort,
        variable_depends_on,
    )

    x, y = pt.dscalar("x"), pt.dscalar("y")
    s = pytensor.shared(1.0, name="s")
    t = x * 2
    z = t + y + s
    assert {v.name for v in graph_inputs([z]) if v.name} == {"x", "y", "s"}
    assert t in ancestors([z]) and variable_depends_on(z, x) and not variable_depends_on(t, y)
    assert [v.name for v in explicit_graph_inputs(z)] == ["x", "y"]
    assert get_var_by_name([z], "y") == (y,)
    assert [node.op for node in io_toposort([t], [z])] == [z.owner.inputs[0].owner.op, z.owner.op]
    from reference.compile import UnusedInputError as compile_error
    from reference.compile.sharedvalue import shared
    from reference.graph.utils import MissingInputError

    assert compile_error is UnusedInputError and shared is pytensor.shared
    assert MissingInputError is pytensor.MissingInputError


@pytest.mark.rule("GRAD-CONST-2")
def test_grad_const_2__zero_disconnected_clip_scale():
    from reference.gradient import disconnected_grad, grad_clip, grad_scale, zero_grad

    x = pt.dscalar("x")
    assert pytensor.grad(zero_grad(x) * x, x).eval({x: 3.0}) == 3.0
    assert pytensor.grad(zero_grad(x) * 2, x).eval({x: 3.0}) == 0.0
    assert pytensor.grad(disconnected_grad(x) * x, x).eval({x: 3.0}) == 3.0
    with pytest.raises(pytensor.DisconnectedInputError):
        pytensor.grad(disconnected_grad(x) * 2, x)
    assert pytensor.grad(grad_clip(x, -1.0, 1.0) * 5, x).eval({x: 3.0}) == 1.0
    assert pytensor.grad(grad_scale(x, 0.5) ** 2, x).eval({x: 3.0}) == 3.0
    v = pt.dvector("v")
    got = pytensor.grad((grad_clip(v, -1, 1) ** 2).sum(), v).eval({v: [0.1, 3.0]})
    np.testing.assert_allclose(got, [0.2, 1.0])
    assert (zero_grad(x) + grad_clip(x, 0, 1)).eval({x: 3.0}) == 6.0


@pytest.mark.rule("GRAPH-EVAL-6")
def test_graph_eval_6__eval_compiles_a_function():
    x = pt.dvector("x")
    assert list((x * 2).eval({"x": [1.0, 2.0]})) == [2.0, 4.0]
    with pytest.raises(SpecValueError, match="GRAPH-EVAL-6"):
        (x * 2).eval({"nope": [1.0]})
    y = pt.dscalar("y")
    assert list((x * 2).eval({x: [1.0], y: 3.0})) == [2.0]  # an extra key is allowed
    with pytest.raises(UnusedInputError):
        (x * 2).eval({x: [1.0], y: 3.0}, on_unused_input="raise")
    s = pytensor.shared(1.0)
    s.default_update = s * 2
    (s + 0).eval()
    (s + 0).eval()
    assert s.get_value() == 4.0
    srng = pt.random.RandomStream(seed=42)
    draw = srng.normal(size=3)
    assert not np.allclose(draw.eval(), draw.eval())


@pytest.mark.rule("GRAPH-OP-2")
def test_graph_op_2__an_op_written_for_pytensor():
    from reference.graph.basic import Apply
    from reference.graph.op import Op

    class DoubleOp(Op):
        __props__ = ()

        def make_node(self, x):
            x = pt.as_tensor_variable(x)
            return Apply(self, [x], [x.type()])

        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0] * 2

        def infer_shape(self, fgraph, node, i0_shapes):
            return i0_shapes

        def grad(self, inputs, output_grads):
            return [output_grads[0] * 2]

    x = pt.matrix("x")
    inp = np.random.default_rng(0).random((5, 4))
    assert np.allclose(pytensor.function([x], DoubleOp()(x))(inp), inp * 2)
    g = pytensor.grad(DoubleOp()(x).sum(), x)
    assert np.array_equal(pytensor.function([x], g)(np.ones((2, 2))), np.full((2, 2), 2.0))
    assert DoubleOp() == DoubleOp() and str(DoubleOp()) == "DoubleOp"

    from reference.compile.ops import as_op

    @as_op(itypes=[pt.dmatrix, pt.dmatrix], otypes=[pt.dmatrix])
    def numpy_dot(a, b):
        return np.dot(a, b)

    a, b = pt.dmatrix(), pt.dmatrix()
    assert np.array_equal(pytensor.function([a, b], numpy_dot(a, b))(np.ones((2, 2)), np.ones((2, 2))),
                          np.full((2, 2), 2.0))
    with pytest.raises(SpecTypeError):
        numpy_dot(pt.fmatrix(), b)
