"""Chapter 4, "grad" and "Reverse accumulation" (GRAD-API-*, GRAD-CHAIN-*, GRAD-CONST-1).
Expected values were checked against PyTensor 3.3.7 unless a test names a divergence
(spec/C-divergences.rst, "Gradients")."""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import DisconnectedInputError, SpecTypeError, SpecValueError
from reference.grad import backprop


def value(g, inputs):
    return pytensor.function(list(inputs), g, on_unused_input="ignore")(*inputs.values())


# -- GRAD-CHAIN-1, GRAD-CHAIN-2 ------------------------------------------------------------


@pytest.mark.rule("GRAD-CHAIN-1")
def test_grad_chain_1__backprop_is_a_vector_jacobian_product():
    x = pt.vector("x")
    y = pt.exp(x) * 2
    u = pt.vector("u")
    (g,) = backprop([y], [u], [x])
    got = value(g, {x: np.array([0.0, 1.0]), u: np.array([3.0, 5.0])})
    np.testing.assert_allclose(got, [3.0 * 2, 5.0 * 2 * np.e])


@pytest.mark.rule("GRAD-CHAIN-1")
def test_grad_chain_1__a_variable_the_outputs_do_not_reach_gets_none():
    x, y = pt.vector("x"), pt.vector("y")
    assert backprop([x * 2], [pt.ones_like(x)], [y]) == [None]


@pytest.mark.rule("GRAD-CHAIN-1")
def test_grad_chain_1__the_gradient_is_a_graph():
    x = pt.scalar("x")
    g = pytensor.grad(x**3, x)
    assert isinstance(g, pt.TensorVariable)
    h = pytensor.grad(g, x)
    assert value([g, h], {x: 2.0}) == [12.0, 12.0]


@pytest.mark.rule("GRAD-CHAIN-2")
def test_grad_chain_2__contributions_of_every_reader_are_summed():
    x = pt.scalar("x")
    a = x * 3
    cost = a * a + pt.sin(a) + a   # a has three readers
    got = value(pytensor.grad(cost, x), {x: 0.5})
    assert got == pytest.approx(3 * (2 * 1.5 + np.cos(1.5) + 1), rel=1e-15)


@pytest.mark.rule("GRAD-CHAIN-2")
def test_grad_chain_2__diamond_graph():
    x = pt.vector("x")
    left, right = pt.exp(x), pt.log(x + 2)
    cost = (left * right).sum()
    got = value(pytensor.grad(cost, x), {x: np.array([0.0, 1.0])})
    xs = np.array([0.0, 1.0])
    np.testing.assert_allclose(got, np.exp(xs) * np.log(xs + 2) + np.exp(xs) / (xs + 2), rtol=1e-14)


@pytest.mark.rule("GRAD-CHAIN-2")
def test_grad_chain_2__cost_with_respect_to_itself_is_one():
    s = pt.scalar("s")
    assert value(pytensor.grad(s, s), {s: 2.0}) == 1.0


# -- GRAD-CONST-1 ---------------------------------------------------------------------------


@pytest.mark.rule("GRAD-CONST-1")
def test_grad_const_1__consider_constant_stops_the_gradient_at_that_variable():
    x = pt.vector("x")
    y = x * 3
    g = pytensor.grad((y * x).sum(), x, consider_constant=[y])
    np.testing.assert_array_equal(value(g, {x: np.array([1.0, 2.0])}), [3.0, 6.0])  # PyTensor: [3, 6]
    np.testing.assert_array_equal(value(pytensor.grad((y * x).sum(), x), {x: np.array([1.0, 2.0])}), [6.0, 12.0])


@pytest.mark.rule("GRAD-CONST-1")
def test_grad_const_1__a_wrt_behind_a_constant_is_disconnected():
    x = pt.vector("x")
    y = x * 3
    with pytest.raises(DisconnectedInputError):
        pytensor.grad(y.sum(), x, consider_constant=[y])


@pytest.mark.rule("GRAD-CONST-1")
def test_grad_const_1__a_constant_wrt_itself_still_gets_its_gradient():
    x = pt.vector("x")
    y = x * 3
    g = pytensor.grad((y * 2).sum(), y, consider_constant=[y])
    np.testing.assert_array_equal(value(g, {x: np.ones(2)}), [2.0, 2.0])


# -- GRAD-API-1 -----------------------------------------------------------------------------


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__non_scalar_cost_error_names_its_type():
    x = pt.vector("x")
    with pytest.raises(TypeError, match=r"GRAD-API-1.*cost must be a scalar.*Vector\(float64"):
        pytensor.grad(x * 2, x)
    with pytest.raises(SpecTypeError, match=r"Matrix"):
        pytensor.grad(pt.matrix("m"), x)


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__integer_cost_is_refused():
    # divergence: PyTensor 3.3.7 accepts an integer cost and returns zeros
    i = pt.ivector("i")
    x = pt.vector("x")
    with pytest.raises(SpecTypeError, match="GRAD-API-1.*float dtype.*int64"):
        pytensor.grad(pt.cast(x, "int64").sum(), x)
    with pytest.raises(TypeError):
        pytensor.grad(i.sum(), i)


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__wrt_must_be_variables():
    s = pt.scalar("s")
    with pytest.raises(SpecTypeError, match=r"GRAD-API-1.*wrt\[1\]"):
        pytensor.grad(s * 2, [s, 2.0])


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__one_wrt_gives_one_gradient_a_list_a_list_a_tuple_a_tuple():
    a, b = pt.scalar("a"), pt.scalar("b")
    cost = a * b
    assert isinstance(pytensor.grad(cost, a), pt.TensorVariable)
    assert isinstance(pytensor.grad(cost, [a, b]), list)
    assert isinstance(pytensor.grad(cost, (a, b)), tuple)
    assert value(pytensor.grad(cost, [a, b]), {a: 2.0, b: 3.0}) == [3.0, 2.0]


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__gradient_dtype_is_the_wrt_dtype():
    f = pt.fvector("f")
    assert pytensor.grad((f * 2.0).sum(), f).dtype == "float32"
    assert pytensor.grad(pt.cast(f, "float64").sum(), f).dtype == "float32"  # PyTensor: float64


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__names_when_cost_and_wrt_are_named():
    x = pt.vector("x")
    cost = (x**2).sum()
    assert pytensor.grad(cost, x).name is None  # unnamed cost: no name, as PyTensor
    cost.name = "loss"
    assert pytensor.grad(cost, x).name == "(dloss/dx)"
    assert pytensor.grad(cost, x, add_names=False).name is None


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__cost_none_needs_known_grads():
    x = pt.vector("x")
    with pytest.raises(SpecValueError, match="GRAD-API-1"):
        pytensor.grad(None, x)


# -- GRAD-API-2 -----------------------------------------------------------------------------


@pytest.mark.rule("GRAD-API-2")
def test_grad_api_2__known_grads_without_a_cost():
    x = pt.vector("x")
    y = x * 3
    g = pytensor.grad(None, x, known_grads={y: pt.ones_like(y) * 2})
    np.testing.assert_array_equal(value(g, {x: np.array([1.0, 2.0])}), [6.0, 6.0])


@pytest.mark.rule("GRAD-API-2")
def test_grad_api_2__known_grads_add_to_the_cost():
    x = pt.vector("x")
    y = x * 3
    g = pytensor.grad(x.sum(), x, known_grads={y: pt.ones_like(y) * 2})
    np.testing.assert_array_equal(value(g, {x: np.array([1.0, 2.0])}), [7.0, 7.0])


@pytest.mark.rule("GRAD-API-2")
def test_grad_api_2__known_grad_of_the_cost_replaces_its_seed():
    x = pt.vector("x")
    cost = (x * 3).sum()
    g = pytensor.grad(cost, x, known_grads={cost: pt.constant(2.0)})
    np.testing.assert_array_equal(value(g, {x: np.array([1.0, 2.0])}), [6.0, 6.0])


@pytest.mark.rule("GRAD-API-2")
def test_grad_api_2__known_grads_wrt_the_variable_itself():
    x = pt.vector("x")
    y = x * 3
    g = pytensor.grad(None, y, known_grads={y: pt.ones_like(y) * 2})
    np.testing.assert_array_equal(value(g, {x: np.array([1.0, 2.0])}), [2.0, 2.0])


# -- GRAD-API-3 -----------------------------------------------------------------------------


@pytest.mark.rule("GRAD-API-3")
def test_grad_api_3__disconnected_raise_is_the_default():
    x, s = pt.vector("x"), pt.scalar("s")
    with pytest.raises(DisconnectedInputError, match=r"GRAD-API-3.*wrt\[0\]") as info:
        pytensor.grad(x.sum(), s)
    assert isinstance(info.value, ValueError)  # PyTensor's DisconnectedInputError is a ValueError


@pytest.mark.rule("GRAD-API-3")
def test_grad_api_3__disconnected_warn_warns_and_gives_zeros():
    x, s = pt.vector("x"), pt.scalar("s")
    with pytest.warns(UserWarning, match="does not depend on wrt"):
        g = pytensor.grad(x.sum(), s, disconnected_inputs="warn")
    assert value(g, {s: 4.0}) == 0.0


@pytest.mark.rule("GRAD-API-3")
def test_grad_api_3__disconnected_ignore_gives_zeros_silently():
    x, m = pt.vector("x"), pt.matrix("m")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = pytensor.grad(x.sum(), m, disconnected_inputs="ignore")
    np.testing.assert_array_equal(value(g, {m: np.ones((2, 3))}), np.zeros((2, 3)))


@pytest.mark.rule("GRAD-API-3")
def test_grad_api_3__return_disconnected_none():
    x, s = pt.vector("x"), pt.scalar("s")
    gs, gx = pytensor.grad(x.sum(), [s, x], disconnected_inputs="ignore", return_disconnected="none")
    assert gs is None
    np.testing.assert_array_equal(value(gx, {x: np.ones(2)}), [1.0, 1.0])
    # 'disconnected' (PyTensor: a DisconnectedType variable) gives None as well
    assert pytensor.grad(x.sum(), [s], disconnected_inputs="ignore", return_disconnected="disconnected") == [None]


@pytest.mark.rule("GRAD-API-3")
def test_grad_api_3__bad_options_are_value_errors():
    x = pt.vector("x")
    with pytest.raises(ValueError, match="disconnected_inputs"):
        pytensor.grad(x.sum(), x, disconnected_inputs="foo")
    with pytest.raises(ValueError, match="return_disconnected"):
        pytensor.grad(x.sum(), x, return_disconnected="foo")


@pytest.mark.rule("GRAD-API-3")
def test_grad_api_3__a_constant_wrt_is_disconnected():
    s = pt.scalar("s")
    with pytest.raises(DisconnectedInputError):
        pytensor.grad(s * 2, pt.constant(2.0))


# -- GRAD-API-4 -----------------------------------------------------------------------------


@pytest.mark.rule("GRAD-API-4")
def test_grad_api_4__integer_wrt_gets_float_zeros():
    i, x = pt.ivector("i"), pt.vector("x")
    g = pytensor.grad((i * x).sum(), i)
    assert g.dtype == "float64" and g.ndim == 1
    np.testing.assert_array_equal(value(g, {i: np.array([1, 2], "int32"), x: np.ones(2)}), [0.0, 0.0])


@pytest.mark.rule("GRAD-API-4")
def test_grad_api_4__boolean_and_unused_integer_wrt_get_zeros_without_error():
    # divergence: PyTensor 3.3.7 raises DisconnectedInputError for an unused integer wrt
    b, i, x = pt.vector("b", dtype="bool"), pt.iscalar("i"), pt.vector("x")
    gb = pytensor.grad((pt.cast(b, "float64") * x).sum(), b)
    np.testing.assert_array_equal(value(gb, {b: np.array([True, False]), x: np.ones(2)}), [0.0, 0.0])
    assert value(pytensor.grad(x.sum(), i), {i: 3}) == 0.0


@pytest.mark.rule("GRAD-API-4")
def test_grad_api_4__integer_paths_carry_no_gradient():
    # a float reaching the cost only through an integer value is disconnected (divergence:
    # PyTensor 3.3.7 calls it connected with gradient 0); 'ignore' gives the same zeros
    x = pt.vector("x")
    through_int = pt.cast(pt.cast(x, "int64"), "float64").sum()
    with pytest.raises(DisconnectedInputError):
        pytensor.grad(through_int, x)
    g = pytensor.grad(through_int + x[0], x)
    np.testing.assert_array_equal(value(g, {x: np.array([1.5, 2.5])}), [1.0, 0.0])
    g = pytensor.grad(pt.cast(x > 2, "float64").sum(), x, disconnected_inputs="ignore")
    np.testing.assert_array_equal(value(g, {x: np.array([1.5, 2.5])}), [0.0, 0.0])


@pytest.mark.rule("GRAD-API-4")
def test_grad_api_4__integer_inputs_of_a_float_op_get_no_gradient():
    i, x = pt.iscalar("i"), pt.scalar("x")
    gx = pytensor.grad(i * x + x, x)
    assert value(gx, {i: 3, x: 2.0}) == 4.0


@pytest.mark.rule("GRAD-CONST-1")
def test_grad_const_1__a_wrt_listed_as_constant_keeps_its_gradient():
    # a root has no inputs to stop at: PyTensor 3.3.7 gives [6, 6] here too
    x = pt.vector("x")
    g = pytensor.grad((x * 3 * x).sum(), x, consider_constant=[x])
    np.testing.assert_array_equal(value(g, {x: np.ones(2)}), [6.0, 6.0])


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__pytensor_spellings_reach_the_same_grad():
    x = pt.dscalar("x")
    for spelled in (pytensor.grad, pytensor.gradient.grad, pt.grad):
        assert pytensor.function([x], spelled(x**3, x))(2.0) == 12.0
    assert pytensor.gradient.verify_grad is reference_testing_verify_grad()


def reference_testing_verify_grad():
    from reference.testing import verify_grad

    return verify_grad


@pytest.mark.rule("GRAD-API-1")
def test_grad_api_1__a_constant_gradient_is_still_a_function_of_the_inputs():
    x, v = pt.dscalar("x"), pt.dvector("v")
    assert pytensor.function([x], pytensor.grad(2 * x, x))(3.0) == 2.0  # PyTensor: 2.0, no unused input
    assert pytensor.function([v], pytensor.grad((3 * v).sum(), v))(np.ones(2)).tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match="OP-ELEMWISE"):  # second broadcasts as any elementwise op
        pytensor.function([v], pt.second(v, np.ones(3)))(np.ones(2))
    with pytest.raises(DisconnectedInputError):  # PyTensor: x's values are not used
        pytensor.grad(pt.second(v, 2.0).sum(), v)
    # the seed sends nothing back through the cost: a NaN elsewhere does not leak (PyTensor: [0, 2])
    g2 = pytensor.grad(pytensor.grad((v ** 2).sum(), v)[1], v)
    assert pytensor.function([v], g2)(np.array([np.nan, 1.0])).tolist() == [0.0, 2.0]


@pytest.mark.rule("GRAD-API-3")
def test_grad_api_3__return_disconnected_as_pytensor_spells_it():
    x, y = pt.dvector("x"), pt.dscalar("y")
    for spelling in ("None", "none", "Disconnected", "disconnected"):
        assert pytensor.grad(x.sum(), [x, y], disconnected_inputs="ignore", return_disconnected=spelling)[1] is None
    zero = pytensor.grad(x.sum(), [x, y], disconnected_inputs="ignore", return_disconnected="Zero")[1]
    assert zero.eval({y: 3.0}) == 0.0  # zeros like y: a function of y, as in PyTensor
    s1, s2 = pt.dscalar("s1"), pt.dscalar("s2")
    assert pytensor.function([s2], pytensor.grad(1 + s1, s2, disconnected_inputs="ignore"))(1.0) == 0.0
