"""Chapter 2, "Special functions" (OP-SPECIAL-*) and ``max_and_argmax`` (OP-MAXARG-1).

Values are compared with the numpy formula the rule writes down, bit for bit
(``assert_array_equal``) where ``reference`` evaluates the same numpy calls; with other
formulas (``np.logaddexp``, ``scipy.special.logsumexp``) to ``rtol=1e-14`` (float64).
``pt.special.logsumexp`` and ``logaddexp`` are ``pt``'s own functions, tested with their rules.
Gradients: ``verify_grad``'s defaults (step 1e-6, abs/rel tolerance 1e-4 for float64), and
closed forms to ``rtol=1e-12``.  The dtypes of softmax, log_softmax and logit on every input
dtype are also compared with PyTensor by tests/test_2_dtype_table.py.
"""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError, SpecValueError
from reference.testing import verify_grad

RNG = np.random.default_rng(20260)


def run(outputs, inputs, *values):
    return pytensor.function(inputs, outputs)(*values)


def np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    acc = "float64" if x.dtype == np.float32 else None  # float32 sums accumulate in float64
    return e / e.sum(axis=axis, keepdims=True, dtype=acc).astype(e.dtype)


def np_log_softmax(x, axis):
    s = x - x.max(axis=axis, keepdims=True)
    acc = "float64" if x.dtype == np.float32 else None
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True, dtype=acc).astype(s.dtype))


AXES = [None, 0, 1, -1, (0, 1), [1]]


# -- softmax ------------------------------------------------------------------------------------
@pytest.mark.rule("OP-SPECIAL-1")
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_op_special_1__softmax_is_the_numpy_formula_bit_for_bit(axis, dtype):
    x = pt.matrix("x", dtype=dtype)
    value = RNG.normal(size=(3, 4)).astype(dtype) * 5
    got = run(pt.special.softmax(x, axis=axis), [x], value)
    np_axis = tuple(axis) if isinstance(axis, list) else (axis if axis is not None else (0, 1))
    want = np_softmax(value, np_axis)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, want)
    np.testing.assert_allclose(got.sum(axis=np_axis), 1.0, rtol=1e-6 if dtype == "float32" else 1e-14)


@pytest.mark.rule("OP-SPECIAL-1")
def test_op_special_1__default_axis_is_every_axis_not_the_last():
    x = pt.dmatrix("x")
    value = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = run(pt.special.softmax(x), [x], value)
    np.testing.assert_array_equal(got, np_softmax(value, (0, 1)))
    assert got.sum() == pytest.approx(1.0, abs=1e-15)
    assert not np.allclose(got.sum(axis=1), 1.0)


@pytest.mark.rule("OP-SPECIAL-1")
def test_op_special_1__softmax_does_not_overflow_and_handles_ties():
    x = pt.dmatrix("x")
    value = np.array([[1000.0, 1000.0, 1000.0], [-1000.0, 0.0, 1000.0], [710.0, 709.0, -np.inf]])
    got = run(pt.special.softmax(x, axis=1), [x], value)
    assert np.isfinite(got).all()
    np.testing.assert_array_equal(got, np_softmax(value, 1))
    np.testing.assert_array_equal(got[0], [1 / 3] * 3)
    assert got[1].tolist() == [0.0, 0.0, 1.0]
    assert got[2, 2] == 0.0


@pytest.mark.rule("OP-SPECIAL-1")
def test_op_special_1__integer_input_is_exp_of_the_integer_difference():
    b = pt.bvector("b")
    value = np.array([1, 5, -3], dtype="int8")
    got = run(pt.special.softmax(b), [b], value)
    assert got.dtype == "float32"
    e = np.exp((value - value.max()).astype("float32"))
    np.testing.assert_array_equal(got, e / e.sum(dtype="float64").astype("float32"))


@pytest.mark.rule("OP-SPECIAL-1")
@pytest.mark.parametrize(
    ("dtype", "want"),
    [("int8", "float32"), ("int16", "float32"), ("uint8", "float32"), ("int32", "float64"),
     ("int64", "float64"), ("float32", "float32"), ("float64", "float64"), ("float16", "float16")],
)
def test_op_special_1__dtypes_and_static_shapes(dtype, want):
    x = pt.tensor(dtype=dtype, shape=(2, None, 3))
    for f in (pt.special.softmax, pt.special.log_softmax):
        y = f(x, axis=1)
        assert (y.dtype, y.type.shape) == (want, (2, None, 3))
    s = pt.scalar("s", dtype=dtype)
    assert pt.special.softmax(s).type.shape == ()


@pytest.mark.rule("OP-SPECIAL-1")
def test_op_special_1__softmax_of_a_scalar_is_one():
    s = pt.dscalar("s")
    assert run(pt.special.softmax(s), [s], 123.0) == 1.0
    assert run(pt.special.log_softmax(s), [s], 123.0) == 0.0


@pytest.mark.rule("OP-SPECIAL-1")
@pytest.mark.parametrize("f", ["softmax", "log_softmax"])
def test_op_special_1__bad_axis_is_an_error_naming_axis(f):
    x = pt.dmatrix("x")
    with pytest.raises(SpecTypeError, match=rf"\[OP-SPECIAL-1\] {f}: axis must be None, an int or a tuple of ints, got 1.5"):
        getattr(pt.special, f)(x, axis=1.5)
    with pytest.raises(SpecTypeError, match="axis must be"):
        getattr(pt.special, f)(x, axis=(0, "1"))
    with pytest.raises(SpecTypeError, match="axis must be"):
        getattr(pt.special, f)(x, axis=pt.constant(1))
    with pytest.raises(SpecValueError, match=rf"\[OP-REDUCE-1\] {f}: axis 2 is out of range"):
        getattr(pt.special, f)(x, axis=2)
    with pytest.raises(SpecValueError, match="repeated"):
        getattr(pt.special, f)(x, axis=(1, -1))


@pytest.mark.rule("OP-SPECIAL-1")
@pytest.mark.rule("OP-SPECIAL-2")
def test_op_special_1__boolean_input_is_a_type_error():
    bo = pt.vector("bo", dtype="bool")
    for f in (pt.special.softmax, pt.special.log_softmax):
        with pytest.raises(TypeError, match="OP-ELEMWISE-3"):
            f(bo)


@pytest.mark.rule("OP-SPECIAL-1")
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_op_special_1__softmax_gradient(axis):
    value = RNG.normal(size=(3, 4))
    verify_grad(lambda x: pt.special.softmax(x, axis=axis), [value], rng=np.random.default_rng(1))
    # closed form: the pullback of g is sm * (g - sum(g * sm))
    x, g = pt.dmatrix("x"), pt.dmatrix("g")
    sm = pt.special.softmax(x, axis=axis)
    dx = pytensor.grad((sm * g).sum(), x)
    gv = RNG.normal(size=(3, 4))
    got, smv = run([dx, sm], [x, g], value, gv)
    np_axis = axis if axis is not None else (0, 1)
    np.testing.assert_allclose(got, smv * (gv - (gv * smv).sum(axis=np_axis, keepdims=True)), rtol=1e-12, atol=1e-15)


@pytest.mark.rule("OP-SPECIAL-1")
def test_op_special_1__softmax_gradient_at_a_tie_of_the_maximum():
    x, g = pt.dvector("x"), pt.dvector("g")
    sm = pt.special.softmax(x)
    dx = pytensor.grad((sm * g).sum(), x)
    value, gv = np.array([2.0, 2.0, -1.0]), np.array([1.0, -2.0, 0.5])
    got, smv = run([dx, sm], [x, g], value, gv)
    np.testing.assert_allclose(got, smv * (gv - (gv * smv).sum()), rtol=1e-12, atol=1e-15)


# -- log_softmax --------------------------------------------------------------------------------
@pytest.mark.rule("OP-SPECIAL-2")
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_op_special_2__log_softmax_is_the_numpy_formula_bit_for_bit(axis, dtype):
    x = pt.matrix("x", dtype=dtype)
    value = RNG.normal(size=(3, 4)).astype(dtype) * 5
    got = run(pt.special.log_softmax(x, axis=axis), [x], value)
    np_axis = tuple(axis) if isinstance(axis, list) else (axis if axis is not None else (0, 1))
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, np_log_softmax(value, np_axis))


@pytest.mark.rule("OP-SPECIAL-2")
def test_op_special_2__log_softmax_stays_finite_where_log_of_softmax_does_not():
    x = pt.dvector("x")
    value = np.array([0.0, 1000.0])
    got = run(pt.special.log_softmax(x), [x], value)
    np.testing.assert_array_equal(got, [-1000.0, 0.0])
    with np.errstate(divide="ignore"):
        naive = run(pt.log(pt.special.softmax(x)), [x], value)
    assert naive[0] == -np.inf


@pytest.mark.rule("OP-SPECIAL-2")
@pytest.mark.parametrize("axis", [None, 0, -1])
def test_op_special_2__log_softmax_gradient(axis):
    value = RNG.normal(size=(2, 3))
    verify_grad(lambda x: pt.special.log_softmax(x, axis=axis), [value], rng=np.random.default_rng(2))
    x, g = pt.dmatrix("x"), pt.dmatrix("g")
    dx = pytensor.grad((pt.special.log_softmax(x, axis=axis) * g).sum(), x)
    gv = RNG.normal(size=(2, 3))
    np_axis = axis if axis is not None else (0, 1)
    sm = np_softmax(value, np_axis)
    np.testing.assert_allclose(run(dx, [x, g], value, gv), gv - gv.sum(axis=np_axis, keepdims=True) * sm,
                               rtol=1e-12, atol=1e-15)


# -- logit --------------------------------------------------------------------------------------
@pytest.mark.rule("OP-SPECIAL-3")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_op_special_3__logit_is_the_numpy_formula_bit_for_bit(dtype):
    x = pt.vector("x", dtype=dtype)
    value = np.array([0.01, 0.25, 0.5, 0.75, 0.999], dtype=dtype)
    got = run(pt.special.logit(x), [x], value)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, np.log(value / (np.asarray(1, dtype) - value)))
    np.testing.assert_allclose(run(pt.sigmoid(pt.special.logit(x)), [x], value), value,
                               rtol=1e-6 if dtype == "float32" else 1e-14)


@pytest.mark.rule("OP-SPECIAL-3")
def test_op_special_3__logit_edges_and_integer_dtypes():
    x = pt.dvector("x")
    with np.errstate(divide="ignore", invalid="ignore"):
        got = run(pt.special.logit(x), [x], np.array([0.0, 1.0, 2.0]))
    assert got[0] == -np.inf and got[1] == np.inf and np.isnan(got[2])
    for dtype, want in [("int8", "float64"), ("int32", "float64"), ("bool", "float64"), ("float32", "float32")]:
        assert pt.special.logit(pt.vector(dtype=dtype)).dtype == want


@pytest.mark.rule("OP-SPECIAL-3")
def test_op_special_3__logit_gradient():
    value = np.array([[0.2, 0.5], [0.7, 0.9]])
    verify_grad(pt.special.logit, [value], rng=np.random.default_rng(3))
    x = pt.dmatrix("x")
    np.testing.assert_allclose(run(pytensor.grad(pt.special.logit(x).sum(), x), [x], value),
                               1 / (value * (1 - value)), rtol=1e-12)


# -- logsumexp and logaddexp: pt's functions (OP-LOGSUMEXP-1, OP-LOGADDEXP-1) ----------------
@pytest.mark.rule("OP-LOGSUMEXP-1")
@pytest.mark.rule("OP-LOGADDEXP-1")
def test_op_logsumexp_1__special_names_are_pts_functions():
    assert pt.special.logsumexp is pt.logsumexp
    assert pt.special.logaddexp is pt.logaddexp
    scipy_special = pytest.importorskip("scipy.special")
    x = pt.dmatrix("x", shape=(2, 3))
    value = RNG.normal(size=(2, 3)) * 300
    y = pt.special.logsumexp(x, axis=1)
    assert y.type.shape == (2,)
    np.testing.assert_allclose(run(y, [x], value), scipy_special.logsumexp(value, axis=1), rtol=1e-14)
    z = pt.dmatrix("z")
    np.testing.assert_allclose(run(pt.special.logaddexp(x, z), [x, z], value, value[::-1]),
                               np.logaddexp(value, value[::-1]), rtol=1e-14)


# -- max_and_argmax -----------------------------------------------------------------------------
@pytest.mark.rule("OP-MAXARG-1")
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_op_maxarg_1__max_and_argmax(axis, keepdims):
    x = pt.fmatrix("x")
    result = pt.max_and_argmax(x, axis=axis, keepdims=keepdims)
    assert isinstance(result, list) and len(result) == 2
    mx, am = result
    assert mx.dtype == "float32" and am.dtype == "int64"
    value = np.array([[1.0, 7.0, 7.0], [3.0, -1.0, 2.0]], dtype="float32")
    got_max, got_arg = run([mx, am], [x], value)
    np.testing.assert_array_equal(got_max, np.max(value, axis=axis, keepdims=keepdims))
    if axis is None:
        want_arg = np.argmax(value.reshape(-1))
        want_arg = np.reshape(want_arg, (1, 1)) if keepdims else want_arg
    else:
        want_arg = np.argmax(value, axis=axis, keepdims=keepdims)
    np.testing.assert_array_equal(got_arg, want_arg)
    assert mx.type.shape == am.type.shape


# -- against PyTensor, when it is installed -----------------------------------------------------
@pytest.mark.rule("OP-SPECIAL-1")
@pytest.mark.rule("OP-SPECIAL-2")
@pytest.mark.rule("OP-SPECIAL-3")
def test_op_special_1__values_and_gradients_match_pytensor():
    ptp = pytest.importorskip("pytensor")
    ptt = pytest.importorskip("pytensor.tensor")
    value = RNG.normal(size=(3, 4)) * 3
    probabilities = np.abs(np.tanh(value)) * 0.9 + 0.05
    for name, axis, v in [("softmax", 1, value), ("softmax", None, value), ("log_softmax", 0, value),
                          ("logit", "none", probabilities)]:
        results = []
        for lib, tensor in ((pytensor, pt), (ptp, ptt)):
            x = tensor.dmatrix("x")
            f = getattr(tensor.special, name)
            y = f(x) if axis == "none" else f(x, axis=axis)
            g = lib.grad((y ** 2).sum(), x)
            results.append(lib.function([x], [y, g], **({} if lib is pytensor else {"mode": "FAST_COMPILE"}))(v))
        np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-10, atol=1e-13)
