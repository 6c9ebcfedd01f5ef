"""The elementary math functions of chapter 2 added after 0.1.0: inverse trigonometric and
hyperbolic functions, logarithms in other bases, scipy.special functions, classification,
complex parts, isclose, logaddexp and logsumexp (spec/2-ops.rst).

Values are compared bit for bit (NaN as a class, signed zeros counted) with numpy's or
scipy's own function applied to the input cast to the output dtype, on every dtype and on
edge values; gradients with ``reference.testing.verify_grad`` and exact values where finite
differences cannot check them; scans using the ops that lower run on the C kernel and equal
the Python path bit for bit.  PyTensor, where installed, is an optional differential check.
"""

import warnings

import numpy as np
import pytest
import scipy.special as sps

import reference as pytensor
import reference.tensor as pt
from reference._cloop import HAVE_CLOOP
from reference._cloop.dispatch import same_bits
from reference.errors import SpecTypeError
from reference.graph.type import upgrade_to_float
from reference.testing import verify_grad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

DTYPES = ["int8", "uint8", "int16", "int32", "int64", "bool", "float32", "float64"]


def edge_values(dtype):
    if dtype == "bool":
        return np.array([False, True])
    if dtype.startswith("float"):
        tiny = np.finfo(dtype).smallest_subnormal
        return np.array([0.0, -0.0, 0.25, -0.5, 0.5, 0.999, 1.0, -1.0, 1.5, 2.0, -2.0, 3.7, -3.7, 30.0, -30.0,
                         171.5, -171.5, 1e-30, tiny, -tiny, np.finfo(dtype).max, -np.finfo(dtype).max,
                         np.inf, -np.inf, np.nan], dtype=dtype)
    info = np.iinfo(dtype)
    return np.unique(np.clip(np.array([info.min, -3, -2, -1, 0, 1, 2, 3, 10, info.max]), info.min, info.max).astype(dtype))


def run(fn, *values):
    inputs = [pt.tensor(v.dtype.name, (None,) * v.ndim) for v in values]
    out = fn(*inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return out, pytensor.function(inputs, out)(*values)


def in_float(f):
    """``f`` applied to the input cast to its float dtype (TYPE-UPCAST-2)."""
    return lambda x: f(x.astype(upgrade_to_float(x.dtype.name)))


FLOAT_UNARY = {
    # name: (rule, what computes it)
    "arcsin": ("OP-ARCTRIG-1", in_float(np.arcsin)),
    "arccos": ("OP-ARCTRIG-1", in_float(np.arccos)),
    "arctan": ("OP-ARCTRIG-1", in_float(np.arctan)),
    "sinh": ("OP-HYPERBOLIC-1", in_float(np.sinh)),
    "cosh": ("OP-HYPERBOLIC-1", in_float(np.cosh)),
    "arcsinh": ("OP-HYPERBOLIC-1", in_float(np.arcsinh)),
    "arccosh": ("OP-HYPERBOLIC-1", in_float(np.arccosh)),
    "arctanh": ("OP-HYPERBOLIC-1", in_float(np.arctanh)),
    "log2": ("OP-LOG2-1", in_float(np.log2)),
    "log10": ("OP-LOG2-1", in_float(np.log10)),
    "exp2": ("OP-LOG2-1", in_float(np.exp2)),
    "trunc": ("OP-TRUNC-1", in_float(np.trunc)),
    "erfc": ("OP-ERFC-1", in_float(sps.erfc)),
    "erfcx": ("OP-ERFC-1", in_float(sps.erfcx)),
    "erfinv": ("OP-ERFC-1", in_float(sps.erfinv)),
    "erfcinv": ("OP-ERFC-1", in_float(sps.erfcinv)),
    "gamma": ("OP-GAMMA-1", in_float(sps.gamma)),
    "gammaln": ("OP-GAMMA-1", in_float(sps.gammaln)),
    "psi": ("OP-GAMMA-1", in_float(sps.psi)),
    "digamma": ("OP-GAMMA-1", in_float(sps.psi)),
    "tri_gamma": ("OP-GAMMA-1", in_float(lambda x: sps.polygamma(1, x))),
    "deg2rad": ("OP-DEGREES-1", lambda x: x * np.asarray(np.pi / 180, upgrade_to_float(x.dtype.name))),
    "rad2deg": ("OP-DEGREES-1", lambda x: x * np.asarray(180 / np.pi, upgrade_to_float(x.dtype.name))),
}


@pytest.mark.rule("OP-ARCTRIG-1")
@pytest.mark.rule("OP-HYPERBOLIC-1")
@pytest.mark.rule("OP-LOG2-1")
@pytest.mark.rule("OP-TRUNC-1")
@pytest.mark.rule("OP-ERFC-1")
@pytest.mark.rule("OP-GAMMA-1")
@pytest.mark.rule("OP-DEGREES-1")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(FLOAT_UNARY))
def test_float_unary_values_are_numpy_and_scipy_in_the_float_dtype(name, dtype):
    _, compute = FLOAT_UNARY[name]
    x = edge_values(dtype)
    out, got = run(getattr(pt, name), x)
    assert out.dtype == upgrade_to_float(dtype) == got.dtype
    with np.errstate(all="ignore"):
        expected = np.asarray(compute(x)).astype(out.dtype)
    assert same_bits(got, expected), (x, got, expected)


@pytest.mark.rule("OP-LOG2-1")
def test_mathematical_values():
    x = np.array([0.25, 1.0, 8.0])
    assert np.array_equal(run(pt.log2, x)[1], [-2.0, 0.0, 3.0])
    assert np.array_equal(run(pt.exp2, np.array([-1.0, 0.0, 10.0]))[1], [0.5, 1.0, 1024.0])
    assert np.array_equal(run(pt.log10, np.array([1e-3, 1.0, 1e5]))[1], [-3.0, 0.0, 5.0])
    assert np.array_equal(run(pt.trunc, np.array([-2.7, -0.5, 0.5, 2.7]))[1], [-2.0, -0.0, 0.0, 2.0])
    assert np.signbit(run(pt.trunc, np.array([-0.5]))[1][0])


@pytest.mark.rule("OP-ARCTAN2-1")
@pytest.mark.parametrize("dy", DTYPES)
@pytest.mark.parametrize("dx", ["int8", "bool", "int32", "float32", "float64"])
def test_arctan2_values_and_dtypes(dy, dx):
    y = edge_values(dy)
    x = np.resize(edge_values(dx)[::-1], y.shape)
    out, got = run(pt.arctan2, y, x)
    dtype = upgrade_to_float(np.promote_types(dy, dx).name)
    assert out.dtype == dtype == got.dtype
    with np.errstate(all="ignore"):
        expected = np.arctan2(y.astype(dtype), x.astype(dtype))
    assert same_bits(got, expected)


@pytest.mark.rule("OP-ARCTAN2-1")
def test_arctan2_signed_zeros_and_complex_refused():
    got = run(pt.arctan2, np.array([0.0, -0.0, 0.0, 1.0]), np.array([-0.0, -0.0, 0.0, 0.0]))[1]
    assert same_bits(got, np.array([np.pi, -np.pi, 0.0, np.pi / 2]))
    with pytest.raises(SpecTypeError):
        pt.arctan2(pt.vector(dtype="complex128"), pt.dvector())


@pytest.mark.rule("OP-LOG1MEXP-1")
@pytest.mark.parametrize("dtype", DTYPES)
def test_log1mexp_is_piecewise_in_float64(dtype):
    x = edge_values(dtype)
    out, got = run(pt.log1mexp, x)
    assert out.dtype == upgrade_to_float(dtype)
    v = x.astype("float64")
    with np.errstate(all="ignore"):
        expected = np.where(v < np.log(0.5), np.log1p(-np.exp(v)), np.log(-np.expm1(v))).astype(out.dtype)
    assert same_bits(got, expected)
    if dtype == "float64":
        assert got[0] == -np.inf and np.isnan(got[list(x).index(1.0)])


@pytest.mark.rule("OP-ISNAN-1")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["isnan", "isinf", "isfinite"])
def test_classification_is_numpys_and_bool(name, dtype):
    x = edge_values(dtype)
    out, got = run(getattr(pt, name), x)
    assert out.dtype == "bool" == got.dtype
    assert np.array_equal(got, getattr(np, name)(x))


@pytest.mark.rule("OP-IROUND-1")
def test_iround():
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.7])
    out, got = run(pt.iround, x)
    assert out.dtype == "int64" and np.array_equal(got, np.round(x).astype("int64"))
    got = run(lambda v: pt.iround(v, "half_away_from_zero"), x)[1]
    assert np.array_equal(got, [-3, -2, -1, 1, 2, 3, 4])
    for dtype in ("int8", "int32", "bool"):
        with pytest.raises(TypeError):
            pt.iround(pt.vector(dtype=dtype))


@pytest.mark.rule("OP-TRUNC-1")
@pytest.mark.rule("OP-ERFC-1")
@pytest.mark.rule("OP-GAMMA-1")
def test_complex_inputs_refused_where_pytensor_refuses():
    z = pt.vector(dtype="complex128")
    for fn in (pt.trunc, pt.erfc, pt.erfcx, pt.erfinv, pt.erfcinv, pt.tri_gamma):
        with pytest.raises(SpecTypeError):
            fn(z)
    for fn in (pt.gamma, pt.gammaln, pt.psi, pt.log1mexp, pt.arcsin, pt.cosh):
        assert fn(z).dtype == "complex128"  # PyTensor's dtype
    assert pt.gamma(pt.vector(dtype="complex64")).dtype == "complex64"


@pytest.mark.rule("OP-GAMMA-1")
def test_polygamma():
    x = np.array([0.5, 1.0, 3.3, -0.5])
    for n in (0, 1, 2, 3):
        out, got = run(lambda v, n=n: pt.polygamma(n, v), x)
        assert same_bits(got, sps.polygamma(n, x))
    n = pt.ivector("n")
    assert pt.polygamma(n, pt.bvector()).dtype == "float32"
    with pytest.raises(SpecTypeError):
        pt.polygamma(pt.dvector(), pt.dvector())
    with pytest.raises(SpecTypeError):
        pt.polygamma(1, pt.vector(dtype="complex128"))
    assert np.array_equal(run(pt.psi, x)[1], run(pt.digamma, x)[1])


@pytest.mark.rule("OP-COMPLEX-1")
@pytest.mark.parametrize("dtype", [*DTYPES, "complex64", "complex128"])
def test_complex_parts(dtype):
    x = edge_values(dtype) if dtype in DTYPES else (np.array([1 + 2j, -0.0 - 3j, np.nan + 1j, np.inf]).astype(dtype))
    real_dtype = {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)
    out, got = run(pt.real, x)
    assert out.dtype == real_dtype and same_bits(got, np.real(x))
    out, got = run(pt.imag, x)
    assert out.dtype == real_dtype and same_bits(got, np.imag(x))
    xv = pt.tensor(dtype, (None,))
    if dtype in DTYPES:
        assert pt.conj(xv) is xv and pt.conjugate(xv) is xv
    else:
        assert same_bits(run(pt.conj, x)[1], np.conjugate(x))
    out, got = run(pt.angle, x)
    assert out.dtype == upgrade_to_float(real_dtype)
    f = upgrade_to_float(real_dtype)
    assert same_bits(got, np.arctan2(np.imag(x).astype(f), np.real(x).astype(f)))


@pytest.mark.rule("OP-COMPLEX-1")
def test_real_returns_a_copy():
    x = pt.dvector("x")
    value = np.array([1.0, 2.0])
    got = pytensor.function([x], pt.real(x))(value)
    got[0] = 7.0
    assert value[0] == 1.0


@pytest.mark.rule("OP-COMPARE-1")
@pytest.mark.rule("OP-SIGN-1")
@pytest.mark.rule("OP-SOFTPLUS-1")
def test_aliases():
    x = pt.dvector("x")
    assert pt.sqr(x).owner.op == pt.square(x).owner.op
    assert pt.sgn is pt.sign and pt.log1pexp is pt.softplus and pt.digamma is pt.psi
    assert pt.equal is pt.eq and pt.not_equal is pt.neq
    assert pt.sqr(pt.scalar(dtype="bool")).dtype == "bool"
    assert np.array_equal(run(pt.sqr, np.array([-3, 4], dtype="int8"))[1], [9, 16])


@pytest.mark.rule("OP-ISCLOSE-1")
@pytest.mark.parametrize("equal_nan", [False, True])
def test_isclose_is_numpys_on_float64(equal_nan):
    rng = np.random.default_rng(0)
    base = np.array([0.0, -0.0, 1.0, 1e10, 1e-8, np.inf, -np.inf, np.nan, -3.0])
    a = np.concatenate([np.repeat(base, base.size), rng.normal(size=50)])
    b = np.concatenate([np.tile(base, base.size), a[-50:] * (1 + rng.choice([0, 1e-6, 1e-4], 50))])
    b[:81] = np.where(rng.random(81) < 0.3, a[:81] * (1 + 1e-6), b[:81])
    for rtol, atol in ((1e-5, 1e-8), (1e-3, 0.0), (0.0, 0.1)):
        got = run(lambda x, y, r=rtol, t=atol: pt.isclose(x, y, rtol=r, atol=t, equal_nan=equal_nan), a, b)[1]
        assert np.array_equal(got, np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))
        out, all_ = run(lambda x, y, r=rtol, t=atol: pt.allclose(x, y, r, t, equal_nan), a, b)
        assert out.dtype == "bool" and out.ndim == 0
        assert bool(all_) == np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    assert bool(run(pt.allclose, a[:5], a[:5] * (1 + 1e-9))[1])


@pytest.mark.rule("OP-ISCLOSE-1")
def test_isclose_dtypes_and_errors():
    assert pt.isclose(pt.fvector(), pt.dvector()).dtype == "bool"
    assert pt.isclose(pt.ivector(), pt.ivector()).dtype == "bool"
    got = run(pt.isclose, np.array([1, 2, -128], dtype="int8"), np.array([1, 3, -128], dtype="int8"))[1]
    # abs(int8 -128) wraps to -128, so the tolerance is negative: not close (PyTensor too)
    assert np.array_equal(got, [True, False, False])
    with pytest.raises(TypeError):
        pt.isclose(pt.vector(dtype="bool"), pt.vector(dtype="bool"))


def logaddexp_formula(*xs):
    m = xs[0]
    for x in xs[1:]:
        m = np.maximum(m, x)
    m = np.where(np.isinf(m), 0.0, m)
    total = np.exp(xs[0] - m)
    for x in xs[1:]:
        total = total + np.exp(x - m)
    return np.log(total) + m


@pytest.mark.rule("OP-LOGADDEXP-1")
def test_logaddexp():
    a = np.array([-np.inf, np.inf, np.inf, 1.0, np.nan, 0.0, 1000.0, -1000.0, -np.inf])
    b = np.array([-np.inf, np.inf, -np.inf, 2.0, 1.0, 0.0, 1000.0, -1000.0, 3.0])
    got = run(pt.logaddexp, a, b)[1]
    with np.errstate(all="ignore"):
        assert same_bits(got, logaddexp_formula(a, b))
        np.testing.assert_allclose(got, np.logaddexp(a, b), rtol=1e-15)
        assert same_bits(run(pt.logaddexp, a, b, a)[1], logaddexp_formula(a, b, a))
    assert same_bits(run(pt.logaddexp, a)[1], logaddexp_formula(a))
    assert pt.logaddexp(pt.bvector(), pt.bvector()).dtype == "float32"
    assert pt.logaddexp(pt.ivector(), pt.ivector()).dtype == "float64"
    assert pt.logaddexp(pt.vector(dtype="float16"), pt.vector(dtype="float16")).dtype == "float32"
    with pytest.raises(SpecTypeError):
        pt.logaddexp()


def logsumexp_formula(x, axes, keepdims):
    m = np.max(x, axis=axes, keepdims=True, initial=-np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min)
    m = np.where(np.isinf(m), 0.0, m)
    out = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axes)


@pytest.mark.rule("OP-LOGSUMEXP-1")
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_values(axis, keepdims):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4)) * 30
    x[1] = -np.inf
    x[2, 1] = np.inf
    axes = (0, 1) if axis is None else (axis,) if isinstance(axis, int) else axis
    axes = tuple(a % 2 for a in axes)
    out, got = run(lambda v: pt.logsumexp(v, axis=axis, keepdims=keepdims), x)
    with np.errstate(all="ignore"):
        expected = logsumexp_formula(x, axes, keepdims)
    assert out.ndim == expected.ndim and same_bits(got, expected)
    finite = x[:1]
    np.testing.assert_allclose(run(lambda v: pt.logsumexp(v, axis=axis, keepdims=keepdims), finite)[1],
                               sps.logsumexp(finite, axis=axis, keepdims=keepdims), rtol=1e-13)


@pytest.mark.rule("OP-LOGSUMEXP-1")
def test_logsumexp_edges_and_dtypes():
    got = run(pt.logsumexp, np.array([-np.inf, -np.inf]))[1]
    assert got == -np.inf
    assert run(pt.logsumexp, np.array([np.inf, 1.0]))[1] == np.inf
    assert np.isnan(run(pt.logsumexp, np.array([np.nan, 1.0]))[1])
    assert run(pt.logsumexp, np.zeros(0))[1] == -np.inf  # an empty reduction
    assert run(pt.logsumexp, np.zeros(0, dtype="int32"))[1] == -np.inf
    got = run(lambda v: pt.logsumexp(v, axis=0), np.zeros((0, 3)))[1]
    assert np.array_equal(got, [-np.inf] * 3)
    got = run(lambda v: pt.logsumexp(v, axis=1, keepdims=True), np.zeros((0, 3)))[1]
    assert got.shape == (0, 1)
    assert pt.logsumexp(pt.fvector()).dtype == "float32"
    assert pt.logsumexp(pt.ivector()).dtype == "float64"
    assert pt.logsumexp(pt.bvector()).dtype == "float32"
    static = pt.tensor("float64", (2, 3))
    assert pt.logsumexp(static, axis=1).type.shape == (2,)
    assert pt.logsumexp(static, axis=1, keepdims=True).type.shape == (2, 1)
    got = run(pt.logsumexp, np.array([1, 2, 3], dtype="int32"))[1]
    np.testing.assert_allclose(got, sps.logsumexp([1.0, 2.0, 3.0]), rtol=1e-15)


# -- gradients (GRAD-OP-1) -------------------------------------------------------------------
GRADS = {
    # name: (function, point)
    "arcsin": (pt.arcsin, [-0.5, 0.3, 0.9]),
    "arccos": (pt.arccos, [-0.5, 0.3, 0.9]),
    "arctan": (pt.arctan, [-2.0, 0.3, 3.0]),
    "sinh": (pt.sinh, [-2.0, 0.3, 3.0]),
    "cosh": (pt.cosh, [-2.0, 0.3, 3.0]),
    "arcsinh": (pt.arcsinh, [-2.0, 0.3, 3.0]),
    "arccosh": (pt.arccosh, [1.5, 2.0, 3.0]),
    "arctanh": (pt.arctanh, [-0.5, 0.3, 0.9]),
    "log2": (pt.log2, [0.5, 2.0, 3.0]),
    "log10": (pt.log10, [0.5, 2.0, 3.0]),
    "exp2": (pt.exp2, [-2.0, 0.3, 3.0]),
    "deg2rad": (pt.deg2rad, [-20.0, 0.3, 300.0]),
    "rad2deg": (pt.rad2deg, [-2.0, 0.3, 3.0]),
    "erfc": (pt.erfc, [-1.0, 0.3, 2.0]),
    "erfcx": (pt.erfcx, [-1.0, 0.3, 2.0]),
    "erfinv": (pt.erfinv, [-0.5, 0.3, 0.9]),
    "erfcinv": (pt.erfcinv, [0.5, 1.3, 1.9]),
    "gamma": (pt.gamma, [0.5, 2.3, 4.0]),
    "gammaln": (pt.gammaln, [0.5, 2.3, 4.0]),
    "psi": (pt.psi, [0.5, 2.3, 4.0]),
    "tri_gamma": (pt.tri_gamma, [0.5, 2.3, 4.0]),
    "polygamma": (lambda x: pt.polygamma(2, x), [0.5, 2.3, 4.0]),
    "log1mexp": (pt.log1mexp, [-3.0, -0.5, -0.1]),
    "arctan2 y": (lambda y: pt.arctan2(y, np.array([1.0, -2.0, 0.5])), [-1.0, 0.3, 2.0]),
    "arctan2 x": (lambda x: pt.arctan2(np.array([1.0, -2.0, 0.5]), x), [-1.0, 0.3, 2.0]),
    "logaddexp": (lambda x: pt.logaddexp(x, np.array([1.0, -2.0, 0.5])), [-1.0, 0.3, 2.0]),
    "logsumexp": (lambda x: pt.logsumexp(x.reshape((3, 1)) * np.ones((1, 2)), axis=0), [-1.0, 0.3, 2.0]),
    "real": (pt.real, [1.0, 2.0, -3.0]),
    "angle": (lambda x: pt.angle(x) * x, [1.0, 2.0, -3.0]),
}


@pytest.mark.rule("GRAD-OP-1")
@pytest.mark.parametrize("name", sorted(GRADS))
def test_grad_op_1__new_rules_match_finite_differences(name):
    fn, point = GRADS[name]
    verify_grad(fn, [np.array(point)], rng=np.random.default_rng(0))


@pytest.mark.rule("GRAD-OP-1")
@pytest.mark.rule("OP-LOG1MEXP-1")
def test_exact_gradients():
    x = pt.dvector("x")
    v = np.array([-2.0, -0.5, 0.0, 1.5])

    def grad_of(f):
        return pytensor.grad(f(x).sum(), x).eval({x: v})

    assert np.array_equal(grad_of(pt.trunc), np.zeros(4))
    assert np.array_equal(grad_of(pt.imag), np.zeros(4))
    g = grad_of(pt.log1mexp)
    assert g[2] == -np.inf
    np.testing.assert_allclose(g[:2], -np.exp(v[:2]) / (1 - np.exp(v[:2])), rtol=1e-14)
    np.testing.assert_allclose(grad_of(pt.erfinv)[1], np.sqrt(np.pi) / 2 * np.exp(sps.erfinv(-0.5) ** 2), rtol=1e-15)
    np.testing.assert_allclose(grad_of(pt.gammaln)[3], sps.psi(1.5), rtol=1e-15)
    np.testing.assert_allclose(grad_of(pt.psi)[3], sps.polygamma(1, 1.5), rtol=1e-15)
    np.testing.assert_allclose(grad_of(pt.logsumexp), sps.softmax(v), rtol=1e-14)
    # a bool output passes nothing back: only the factor x of isnan(x) * x contributes
    assert pytensor.grad((pt.isnan(x) * x).sum(), x).eval({x: v}).tolist() == [0.0] * 4
    n = pt.lvector("n")  # the order gets no cotangent; a discrete wrt gets zeros (GRAD-API-3)
    g = pytensor.grad(pt.polygamma(n, x).sum(), n, disconnected_inputs="ignore")
    assert g.eval({n: [1, 2, 1, 1]}).tolist() == [0] * 4
    with pytest.raises(SpecTypeError):
        z = pt.vector(dtype="complex128")
        pytensor.grad(pt.real(z).sum(), z)


# -- the C kernel (KERN-OP-2) ----------------------------------------------------------------
LOWERED = ["arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh", "arctanh", "log2",
           "log10", "exp2", "trunc", "erfc", "erfcx", "erfinv", "erfcinv", "gamma", "gammaln", "psi",
           "j0", "j1", "i0", "i1", "ndtri_exp"]  # the last five: OP-BESSEL-1, OP-NDTRIEXP-1


@pytest.mark.rule("KERN-OP-1")
@pytest.mark.rule("KERN-OP-2")
@pytest.mark.skipif(not HAVE_CLOOP, reason="_cloop not built")
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32"])
@pytest.mark.parametrize("fn", LOWERED)
def test_kern_op_2__new_functions_through_their_loops(fn, dtype):
    from test_5_kernel_ops import agree

    x = pt.tensor(dtype, (None,), name="x")
    out, _ = pytensor.scan(lambda xt: getattr(pt, fn)(xt), sequences=x)
    if dtype == "int32":  # computed in float64, numpy's own loop for int32
        values = np.array([-300, -3, -1, 0, 1, 2, 40, 30000], dtype=dtype)
    else:
        values = np.concatenate([np.linspace(-20, 20, 101), [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-310,
                                                            0.5, -0.5, 1.0, -1.0, 1.5, 2.0]]).astype(dtype)
    # numpy's trunc has integer loops (no kernel lowering): the int32 scan runs in Python
    agree([x], out, [values], expect_kernel=not (fn == "trunc" and dtype == "int32"))


@pytest.mark.rule("KERN-OP-2")
@pytest.mark.skipif(not HAVE_CLOOP, reason="_cloop not built")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kern_op_2__arctan2_and_composed_functions(dtype):
    from test_5_kernel_ops import agree

    x, y = pt.tensor(dtype, (None,), name="x"), pt.tensor(dtype, (None,), name="y")
    out, _ = pytensor.scan(lambda a, b: [pt.arctan2(a, b), pt.deg2rad(a), pt.rad2deg(b)], sequences=[x, y])
    values = np.array([7.0, -7.0, 0.0, -0.0, 2.5, np.nan, np.inf, 3.0, -np.inf, 1e-3], dtype=dtype)
    agree([x, y], out, [values, np.roll(values, 3)])
    # isinf and isnan have no kernel lowering: logaddexp runs on the Python path
    out, _ = pytensor.scan(lambda a, b: pt.logaddexp(a, b), sequences=[x, y])
    agree([x, y], out, [values, np.roll(values, 3)], expect_kernel=False)


# -- PyTensor, where installed: the same dtypes and values -------------------------------------
@pytest.mark.rule("OP-GAMMA-1")
@pytest.mark.rule("OP-COMPLEX-1")
def test_against_pytensor():
    ptn = pytest.importorskip("pytensor")
    import pytensor.tensor as T  # noqa: N812

    names = [*sorted(FLOAT_UNARY), "log1mexp", "isnan", "isinf", "isfinite", "real", "imag", "conj", "angle"]
    for name in names:
        for dtype in DTYPES:
            x = edge_values(dtype)
            theirs_var = T.vector(dtype=dtype)
            theirs_out = getattr(T, name)(theirs_var)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                theirs = ptn.function([theirs_var], theirs_out, mode="FAST_COMPILE")(x)
            out, ours = run(getattr(pt, name), x)
            assert out.dtype == theirs_out.dtype and ours.dtype == theirs.dtype, (name, dtype)
            np.testing.assert_allclose(ours, theirs, rtol=1e-6, equal_nan=True, err_msg=f"{name} {dtype}")
