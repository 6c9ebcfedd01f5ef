"""Chapter 2, "Linear algebra" (OP-LINALG-*), and its pullbacks (GRAD-OP-7).

Values are compared bit for bit with the numpy/scipy/LAPACK call each rule names; gradients
with ``verify_grad`` at well-conditioned random matrices.  The differential tests against
PyTensor skip where it is not installed.
"""

import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given
from hypothesis import strategies as st

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecNotImplementedError, SpecTypeError, SpecValueError
from reference.testing import verify_grad

L = pt.linalg


def rng(seed=0):
    return np.random.default_rng(seed)


def well(n, seed=0, batch=()):
    """A well-conditioned matrix (or stack)."""
    a = rng(seed).normal(size=(*batch, n, n))
    return a + n * np.eye(n)


def spd(n, seed=0, batch=()):
    a = rng(seed).normal(size=(*batch, n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def run(out, values, **kw):
    return pytensor.function(list(values), out, **kw)(*values.values())


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


# -- values -------------------------------------------------------------------------------
@pytest.mark.rule("OP-LINALG-3")
@given(st.integers(1, 5), st.integers(0, 10**6))
def test_inv_bits(n, seed):
    a = well(n, seed)
    x = pt.dmatrix("x")
    assert same(run(L.inv(x), {x: a}), np.linalg.inv(a))
    assert L.matrix_inverse is L.inv


@pytest.mark.rule("OP-LINALG-3")
def test_inv_singular_raises_linalgerror():
    x = pt.dmatrix("x")
    with pytest.raises(np.linalg.LinAlgError):
        run(L.inv(x), {x: np.zeros((2, 2))})


@pytest.mark.rule("OP-LINALG-4")
@given(st.integers(1, 5), st.integers(0, 10**6))
def test_det_slogdet(n, seed):
    a = well(n, seed)
    x = pt.dmatrix("x")
    d = run(L.det(x), {x: a})
    assert same(d, np.asarray(np.linalg.det(a)))
    sign, logabs = run(list(L.slogdet(x)), {x: a})
    assert sign == np.sign(d) and logabs == np.log(np.abs(d))


@pytest.mark.rule("OP-LINALG-5")
@pytest.mark.parametrize("assume_a", ["gen", "sym", "pos", "her", "general", "Positive Definite"])
@pytest.mark.parametrize("lower", [False, True])
def test_solve_bits(assume_a, lower):
    a, b, bm = spd(4), rng(1).normal(size=4), rng(2).normal(size=(4, 3))
    kind = {"general": "gen", "positive definite": "pos"}.get(assume_a.lower(), assume_a)
    x, v, m = pt.dmatrix("x"), pt.dvector("v"), pt.dmatrix("m")
    assert same(run(L.solve(x, v, assume_a=assume_a, lower=lower), {x: a, v: b}),
                scipy.linalg.solve(a, b, lower=lower, check_finite=False, assume_a=kind))
    assert same(run(L.solve(x, m, assume_a=assume_a, lower=lower), {x: a, m: bm}),
                scipy.linalg.solve(a, bm, lower=lower, check_finite=False, assume_a=kind))


@pytest.mark.rule("OP-LINALG-5")
def test_solve_variants_and_errors():
    a, b = well(3), rng(1).normal(size=3)
    x, v = pt.dmatrix("x"), pt.dvector("v")
    assert same(run(L.solve(x, v, transposed=True), {x: a, v: b}), scipy.linalg.solve(a.T, b, check_finite=False))
    assert same(run(L.solve(x, v, assume_a="lower triangular"), {x: a, v: b}),
                scipy.linalg.solve_triangular(a, b, lower=True))
    assert same(run(L.solve(x, v, assume_a="diagonal"), {x: a, v: b}), b / np.diagonal(a))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = run(L.solve(x, v), {x: np.zeros((3, 3)), v: b})
    assert out.shape == (3,) and np.isnan(out).all()
    with pytest.raises(SpecValueError, match="OP-LINALG-5.*assume_a"):
        L.solve(x, v, assume_a="bogus")
    with pytest.raises(SpecValueError, match="b_ndim"):
        L.solve(x, v, b_ndim=3)
    with pytest.raises(SpecValueError, match="OP-LINALG-1.*b must be a vector"):
        L.solve(x, pt.dscalar("s"))
    with pytest.raises(SpecValueError, match="do not match"):
        L.solve(pt.tensor(name="a", dtype="float64", shape=(3, 3)), pt.tensor(name="b", dtype="float64", shape=(4,)))
    with pytest.raises(SpecValueError, match="do not match"):
        run(L.solve(x, v), {x: a, v: np.ones(4)})


@pytest.mark.rule("OP-LINALG-6")
@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("trans", [0, 1, "C"])
@pytest.mark.parametrize("unit", [False, True])
def test_solve_triangular_bits(lower, trans, unit):
    a, bm = well(4), rng(2).normal(size=(4, 2))
    x, m = pt.dmatrix("x"), pt.dmatrix("m")
    expected = scipy.linalg.solve_triangular(a, bm, trans=trans, lower=lower, unit_diagonal=unit)
    assert same(run(L.solve_triangular(x, m, trans=trans, lower=lower, unit_diagonal=unit), {x: a, m: bm}), expected)
    af = np.asfortranarray(a)
    assert same(run(L.solve_triangular(x, m, lower=lower), {x: af, m: bm}),
                scipy.linalg.solve_triangular(af, bm, lower=lower))
    with pytest.raises(SpecValueError, match="trans"):
        L.solve_triangular(x, m, trans=5)


@pytest.mark.rule("OP-LINALG-7")
@given(st.integers(1, 5), st.integers(0, 10**6), st.booleans())
def test_cholesky_bits(n, seed, lower):
    s = spd(n, seed)
    x = pt.dmatrix("x")
    (potrf,) = scipy.linalg.get_lapack_funcs(("potrf",), (s,))
    assert same(run(L.cholesky(x, lower=lower), {x: s}), potrf(s, lower=lower, clean=True)[0])
    assert np.allclose(run(L.cholesky(x, lower=lower), {x: s}), scipy.linalg.cholesky(s, lower=lower))


@pytest.mark.rule("OP-LINALG-7")
def test_cholesky_not_pd_is_nan_and_errors():
    x = pt.dmatrix("x")
    assert np.isnan(run(L.cholesky(x), {x: -np.eye(2)})).all()
    with pytest.raises(SpecTypeError, match="OP-LINALG-7"):
        L.cholesky(pt.dvector("v"))
    with pytest.raises(SpecValueError, match="x must be square"):
        L.cholesky(pt.tensor(name="r", dtype="float64", shape=(2, 3)))
    with pytest.raises(SpecValueError, match="square"):
        run(L.cholesky(x), {x: np.ones((2, 3))})
    with pytest.warns(FutureWarning):  # PyTensor: deprecated, raises LinAlgError
        raising = L.cholesky(x, on_error="raise")
    with pytest.raises(np.linalg.LinAlgError, match="not positive definite"):
        run(raising, {x: -np.eye(2)})
    assert same(run(raising, {x: spd(2)}), scipy.linalg.cholesky(spd(2), lower=True))
    with pytest.raises(SpecValueError, match="on_error"):
        L.cholesky(x, on_error="ignore")


@pytest.mark.rule("OP-LINALG-8")
@pytest.mark.parametrize("lower", [False, True])
def test_cho_solve_bits(lower):
    c = scipy.linalg.cholesky(spd(4), lower=lower)
    b = rng(3).normal(size=(4, 2))
    x, m = pt.dmatrix("x"), pt.dmatrix("m")
    assert same(run(L.cho_solve((x, lower), m), {x: c, m: b}), scipy.linalg.cho_solve((c, lower), b))


@pytest.mark.rule("OP-LINALG-9")
@pytest.mark.parametrize("lower", [False, True])
def test_eigh_eigvalsh_bits(lower):
    a = rng(4).normal(size=(4, 4))  # not symmetric: only one triangle is read
    x = pt.dmatrix("x")
    w, v = run(L.eigh(x, lower=lower), {x: a})
    ew, ev = scipy.linalg.eigh(a, lower=lower, driver="evr")
    assert same(w, ew) and same(v, ev)
    assert same(run(L.eigvalsh(x, lower=lower), {x: a}), scipy.linalg.eigvalsh(a, lower=lower))
    w2, _ = run(L.eigh(x, UPLO="L" if lower else "U"), {x: a})
    assert same(w2, ew)
    with pytest.raises(SpecValueError):
        L.eigh(x, UPLO="X")


@pytest.mark.rule("OP-LINALG-9", "GRAD-OP-7")
@pytest.mark.parametrize("lower", [False, True])
def test_generalized_eigh_and_eigvalsh(lower):
    a = rng(5).normal(size=(3, 3))
    b = spd(3)
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    w, v = run(L.eigh(x, y, lower=lower), {x: a, y: b})
    ew, ev = scipy.linalg.eigh(a, b, lower=lower)
    assert same(w, ew) and same(v, ev)
    assert same(run(L.eigvalsh(x, y, lower=lower), {x: a, y: b}), scipy.linalg.eigvalsh(a, b, lower=lower))
    sym = a + a.T
    verify_grad(lambda p, q: (L.eigvalsh(p + p.T, q @ q.T + 3 * pt.eye(3)) ** 2).sum(), [sym, b], rng=rng(6))
    verify_grad(lambda p, q: (L.eigh(p + p.T, q @ q.T + 3 * pt.eye(3))[1] ** 2 * np.arange(9.0).reshape(3, 3)).sum(),
                [sym, b], rng=rng(7))


@pytest.mark.rule("OP-LINALG-10")
def test_eig_is_complex():
    a = np.diag([1.0, 2.0])
    x = pt.dmatrix("x")
    w, v = run(L.eig(x), {x: a})
    ew, evec = np.linalg.eig(a)
    assert w.dtype == np.complex128 and np.array_equal(w, ew) and np.array_equal(v, evec)
    assert L.eig(pt.fmatrix("f"))[0].dtype == "complex64"
    with pytest.raises(SpecNotImplementedError, match="GRAD-OP-7"):
        w = L.eig(x)[0]
        w.owner.op.pullback(w.owner, [pt.ones_like(w), None])


@pytest.mark.rule("OP-LINALG-11")
@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4)])
@pytest.mark.parametrize("full", [True, False])
def test_svd_bits(shape, full):
    a = rng(5).normal(size=shape)
    x = pt.dmatrix("x")
    got = run(L.svd(x, full_matrices=full), {x: a})
    for g, e in zip(got, np.linalg.svd(a, full), strict=True):
        assert same(g, e)
    assert same(run(L.svd(x, compute_uv=False), {x: a}), np.linalg.svd(a, compute_uv=False))
    assert [o.type.shape for o in L.svd(x)] == [(None, None), (None,), (None, None)]


@pytest.mark.rule("OP-LINALG-12")
def test_pinv_bits():
    a = rng(6).normal(size=(3, 5))
    r = pt.tensor(name="r", dtype="float64", shape=(3, 5))
    out = L.pinv(r)
    assert out.type.shape == (5, 3)
    assert same(run(out, {r: a}), np.linalg.pinv(a))
    s = spd(3)
    x = pt.dmatrix("x")
    assert same(run(L.pinv(x, hermitian=True), {x: s}), np.linalg.pinv(s, hermitian=True))


@pytest.mark.rule("OP-LINALG-13")
def test_expm_bits():
    a = rng(7).normal(size=(4, 4))
    x = pt.dmatrix("x")
    assert same(run(L.expm(x), {x: a}), scipy.linalg.expm(a))


@pytest.mark.rule("OP-LINALG-14")
@pytest.mark.parametrize("ord", [None, "fro", "inf", np.inf, -np.inf, 1, -1, 2, -2, "nuc"])
def test_matrix_norms(ord):
    a = rng(8).normal(size=(3, 4))
    x = pt.dmatrix("x")
    np_ord = {"inf": np.inf}.get(ord, ord)
    assert np.allclose(run(L.norm(x, ord=ord), {x: a}), np.linalg.norm(a, np_ord))
    if ord is not None:
        got = run(L.norm(x, ord=ord, axis=(0, 1), keepdims=True), {x: a})
        assert got.shape == (1, 1) and np.allclose(got, np.linalg.norm(a, np_ord, keepdims=True))


@pytest.mark.rule("OP-LINALG-14")
@pytest.mark.parametrize("ord", [None, 0, 1, 2, 3, np.inf, -np.inf, 0.5])
def test_vector_norms(ord):
    b = rng(9).normal(size=(2, 5))
    m = pt.dmatrix("m")
    got = run(L.norm(m, ord=ord, axis=1), {m: b})
    assert np.allclose(got, np.linalg.norm(b, ord, axis=1))
    v = pt.dvector("v")
    if ord in (None, 2):
        assert run(L.norm(v, ord=ord), {v: b[0]}) == np.sqrt(b[0] @ b[0])


@pytest.mark.rule("OP-LINALG-14")
def test_norm_errors_and_batch():
    x, v = pt.dmatrix("x"), pt.dvector("v")
    with pytest.raises(SpecValueError, match="vectors"):
        L.norm(v, ord="nuc", axis=0)
    with pytest.raises(SpecValueError, match="matrices"):
        L.norm(x, ord=3)
    with pytest.raises(SpecTypeError):
        L.norm(x, axis="a")
    with pytest.raises(IndexError):
        L.norm(x, ord=1, axis=(0, 5))
    a = rng(10).normal(size=(2, 3, 3))
    t = pt.dtensor3("t")
    assert np.allclose(run(L.norm(t), {t: a}), np.linalg.norm(a, axis=(1, 2)))
    assert np.allclose(run(L.norm(t, ord=2), {t: a}), np.linalg.norm(a, 2, axis=(1, 2)))


@pytest.mark.rule("OP-LINALG-15")
@pytest.mark.parametrize("n", [-2, 0, 1, 2, 3, 5, 6])
def test_matrix_power(n):
    a = well(3)
    x = pt.dmatrix("x")
    got = run(L.matrix_power(x, n), {x: a})
    assert np.allclose(got, np.linalg.matrix_power(a, n) if n >= 0 else np.linalg.matrix_power(np.linalg.pinv(a), -n))
    if n == 2:
        assert same(got, a.dot(a))
    with pytest.raises(SpecTypeError):
        L.matrix_power(x, 1.5)


@pytest.mark.rule("OP-LINALG-16")
@pytest.mark.parametrize("shapes", [((2, 3), (4, 5)), ((3,), (2, 2)), ((2, 2, 2), (3, 1))])
def test_kron_and_matrix_dot(shapes):
    a, b = rng(11).normal(size=shapes[0]), rng(12).normal(size=shapes[1])
    xa = pt.tensor(name="a", dtype="float64", shape=(None,) * a.ndim)
    xb = pt.tensor(name="b", dtype="float64", shape=(None,) * b.ndim)
    assert same(run(L.kron(xa, xb), {xa: a, xb: b}), np.kron(a, b))
    with pytest.raises(SpecTypeError):
        L.kron(pt.dvector("p"), pt.dvector("q"))
    m = pt.dmatrix("m")
    c = rng(13).normal(size=(3, 3))
    assert same(run(L.matrix_dot(m, m, m), {m: c}), c.dot(c).dot(c))


# -- batching, dtypes, static shapes ------------------------------------------------------
@pytest.mark.rule("OP-LINALG-1")
def test_batching_matches_a_loop():
    a = well(3, batch=(2, 4))
    b = rng(1).normal(size=(4, 3))
    t4, m = pt.dtensor4("t4"), pt.dmatrix("m")
    got = run(L.solve(t4, m, b_ndim=1), {t4: a, m: b})
    expected = np.stack([np.stack([scipy.linalg.solve(a[i, j], b[j], check_finite=False) for j in range(4)]) for i in range(2)])
    assert same(got, expected)
    assert same(run(L.inv(t4), {t4: a}), np.linalg.inv(a))
    assert same(run(L.det(t4), {t4: a}), np.linalg.det(a))
    s = spd(3, batch=(5,))
    t3 = pt.dtensor3("t3")
    assert same(run(L.cholesky(t3), {t3: s}), np.stack([scipy.linalg.cholesky(si, lower=True) for si in s]))
    w, v = run(L.eigh(t3), {t3: s})
    assert same(w, np.stack([scipy.linalg.eigh(si, driver="evr")[0] for si in s]))
    with pytest.raises(SpecValueError, match="broadcast"):
        run(L.solve(t3, t3), {t3: s, **{}}) if False else run(L.solve(t4, t3), {t4: a, t3: s})
    with pytest.raises(SpecNotImplementedError):
        run(L.cholesky(t3), {t3: np.zeros((0, 3, 3))})


@pytest.mark.rule("OP-LINALG-1")
def test_static_shapes_and_build_errors():
    a = pt.tensor(name="a", dtype="float64", shape=(5, 3, None))
    assert L.inv(a).type.shape == (5, 3, 3)
    assert L.det(a).type.shape == (5,)
    b = pt.tensor(name="b", dtype="float64", shape=(1, 3, 2))
    assert L.solve(a, b).type.shape == (5, 3, 2)
    w, v = L.eigh(a)
    assert w.type.shape == (5, 3) and v.type.shape == (5, 3, 3)
    with pytest.raises(SpecValueError, match="x must be a matrix"):
        L.inv(pt.dvector("v"))
    with pytest.raises(SpecValueError, match="square"):
        L.det(pt.tensor(name="r", dtype="float64", shape=(2, 3)))
    with pytest.raises(SpecValueError, match="square"):
        run(L.inv(pt.dmatrix("x")), {pt.dmatrix("x"): np.ones((2, 3))}) if False else pytensor.function(
            [x := pt.dmatrix("x")], L.inv(x))(np.ones((2, 3)))


@pytest.mark.rule("OP-LINALG-2")
@pytest.mark.parametrize(("dtype", "expected", "real"), [
    ("bool", "float32", "float32"), ("int8", "float32", "float32"), ("uint16", "float32", "float32"),
    ("int32", "float64", "float64"), ("int64", "float64", "float64"), ("float32", "float32", "float32"),
    ("float64", "float64", "float64"), ("complex64", "complex64", "float32"),
    ("complex128", "complex128", "float64"),
])
def test_dtypes(dtype, expected, real):
    x = pt.tensor(name="x", dtype=dtype, shape=(3, 3))
    v = pt.tensor(name="v", dtype=dtype, shape=(3,))
    assert L.lapack_dtype(dtype) == expected and L.real_dtype(dtype) == real
    for out in (L.inv(x), L.det(x), L.solve(x, v), L.cholesky(x), L.expm(x), L.pinv(x), L.eigh(x)[1], L.svd(x)[0]):
        assert out.dtype == expected
    for out in (L.eigvalsh(x), L.eigh(x)[0], L.svd(x)[1], L.svd(x, compute_uv=False)):
        assert out.dtype == real
    if dtype in ("int32", "float32"):
        a = (np.eye(3) * 2).astype(dtype)
        assert run(L.inv(x), {x: a}).dtype == expected
    assert L.solve(x, pt.dvector("d")).dtype == np.result_type(expected, "float64")


# -- gradients ----------------------------------------------------------------------------
@pytest.mark.rule("GRAD-OP-7")
def test_grad_inv_det_slogdet():
    a = well(3, 1)
    verify_grad(lambda x: L.inv(x), [a], rng=rng())
    verify_grad(lambda x: L.det(x), [a], rng=rng())
    verify_grad(lambda x: L.slogdet(x)[1], [a], rng=rng())
    verify_grad(lambda x: L.inv(x), [well(3, 2, batch=(2,))], rng=rng())
    verify_grad(lambda x: L.det(x), [well(3, 2, batch=(2,))], rng=rng())


@pytest.mark.rule("GRAD-OP-7")
@pytest.mark.parametrize("assume_a", ["gen", "sym", "pos", "diagonal", "upper triangular"])
def test_grad_solve(assume_a):
    a, b, bm = spd(3, 3), rng(4).normal(size=3), rng(5).normal(size=(3, 2))
    # sym and pos read one triangle: differentiate along symmetric matrices, as the rule assumes
    def f(x, y):
        return L.solve((x + x.T) / 2 if assume_a in ("sym", "pos") else x, y, assume_a=assume_a)

    verify_grad(f, [a, b], rng=rng())
    verify_grad(f, [a, bm], rng=rng())
    if assume_a == "gen":
        verify_grad(lambda x, y: L.solve(x, y, b_ndim=1), [well(3, 6, batch=(2,)), rng(7).normal(size=(2, 3))], rng=rng())


@pytest.mark.rule("GRAD-OP-7")
@pytest.mark.parametrize("lower", [False, True])
def test_grad_triangular_cholesky_cho_solve(lower):
    a, b = well(3, 8), rng(9).normal(size=(3, 2))
    verify_grad(lambda x, y: L.solve_triangular(x, y, lower=lower), [a, b], rng=rng())
    verify_grad(lambda x, y: L.solve_triangular(x, y, lower=lower, unit_diagonal=True), [a, b], rng=rng())
    # along symmetric matrices: potrf reads one triangle
    verify_grad(lambda x: L.cholesky((x + x.T) / 2, lower=lower), [spd(3, 10)], rng=rng())
    c = scipy.linalg.cholesky(spd(3, 11), lower=lower)
    verify_grad(lambda x, y: L.cho_solve((x, lower), y), [c, b], rng=rng())


@pytest.mark.rule("GRAD-OP-7")
@pytest.mark.parametrize("lower", [False, True])
def test_grad_eigh(lower):
    s = np.diag([1.0, 2.0, 4.0]) + 0.1 * rng(12).normal(size=(3, 3))
    verify_grad(lambda x: L.eigvalsh(x, lower=lower), [s], rng=rng())
    verify_grad(lambda x: L.eigh(x, lower=lower)[0], [s], rng=rng())
    # eigenvectors are defined up to sign: a sign-invariant function of them
    verify_grad(lambda x: L.eigh(x, lower=lower)[1] ** 2, [s], rng=rng())


@pytest.mark.rule("GRAD-OP-7")
def test_grad_svd_pinv_expm_compositions():
    a = rng(13).normal(size=(3, 4))
    verify_grad(lambda x: L.svd(x, compute_uv=False), [a], rng=rng())
    verify_grad(lambda x: L.svd(x, full_matrices=False)[1], [a], rng=rng())
    verify_grad(lambda x: L.pinv(x), [a], rng=rng())
    verify_grad(lambda x: L.expm(x), [0.5 * rng(14).normal(size=(3, 3))], rng=rng())
    verify_grad(lambda x: L.norm(x), [a], rng=rng())
    verify_grad(lambda x: L.norm(x, ord="nuc"), [a], rng=rng())
    verify_grad(lambda x: L.matrix_power(x, 5), [0.5 * well(3)], rng=rng())
    verify_grad(lambda x, y: L.kron(x, y), [a, rng(15).normal(size=(2, 2))], rng=rng())
    x = pt.dmatrix("x")
    with pytest.raises(SpecNotImplementedError, match="U and V"):
        pytensor.grad(L.svd(x)[0].sum(), x)


# -- scan ---------------------------------------------------------------------------------
@pytest.mark.rule("OP-LINALG-1")
def test_scan_using_linalg_same_bits_in_both_modes():
    a = pt.dmatrix("a")
    b0 = pt.dvector("b0")

    def step(b, a):
        return L.solve(a, b) + L.det(a) * L.inv(a)[0]

    out, _ = pytensor.scan(step, outputs_info=[b0], non_sequences=[a], n_steps=4)
    values = {a: well(3, 16), b0: rng(17).normal(size=3)}
    default = run(out, values)
    python = run(out, values, mode="python")
    assert same(default, python)
    b = values[b0]
    for t in range(4):
        b = scipy.linalg.solve(values[a], b, check_finite=False) + np.linalg.det(values[a]) * np.linalg.inv(values[a])[0]
        assert same(default[t], b)


# -- PyTensor ------------------------------------------------------------------------------
@pytest.mark.rule("OP-LINALG-1")
def test_same_bits_as_pytensor():
    ptn = pytest.importorskip("pytensor")
    ptt = pytest.importorskip("pytensor.tensor")
    a, s, bm, r = well(3, 20, batch=(2,)), spd(3, 21, batch=(2,)), rng(22).normal(size=(2, 3, 2)), rng(23).normal(size=(3, 4))
    cases = [
        (lambda m, x: m.linalg.inv(x), [a]), (lambda m, x: m.linalg.det(x), [a]),
        (lambda m, x: m.linalg.slogdet(x)[1], [a]),
        (lambda m, x, y: m.linalg.solve(x, y), [a, bm]),
        (lambda m, x, y: m.linalg.solve(x, y, assume_a="pos", lower=True), [s, bm]),
        (lambda m, x, y: m.linalg.solve_triangular(x, y, lower=True), [a, bm]),
        (lambda m, x: m.linalg.cholesky(x), [s]), (lambda m, x: m.linalg.eigh(x)[1], [s]),
        (lambda m, x: m.linalg.eigvalsh(x), [s]), (lambda m, x: m.linalg.svd(x)[2], [r]),
        (lambda m, x: m.linalg.pinv(x), [r]), (lambda m, x: m.linalg.expm(x), [a]),
        (lambda m, x: m.linalg.norm(x), [r]), (lambda m, x: m.linalg.norm(x, ord=2), [r]),
        (lambda m, x: m.linalg.norm(x[0], ord=3, axis=0), [r]),
        (lambda m, x: m.linalg.matrix_power(x, 5), [a[0]]), (lambda m, x, y: m.linalg.kron(x, y), [r, bm[0]]),
    ]
    for build, args in cases:
        ours_in = [pt.tensor(name=f"i{k}", dtype="float64", shape=(None,) * v.ndim) for k, v in enumerate(args)]
        theirs_in = [ptt.tensor(f"i{k}", dtype="float64", shape=(None,) * v.ndim) for k, v in enumerate(args)]
        ours = pytensor.function(ours_in, build(pt, *ours_in))(*args)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = ptn.function(theirs_in, build(ptt, *theirs_in), mode="FAST_COMPILE")(*args)
        assert np.allclose(ours, theirs, rtol=1e-12, atol=1e-12)
        x = ptt.dmatrix("x")
        gs = [ptn.grad(ptt.linalg.det(x), x), ptn.grad(ptt.linalg.cholesky(x).sum(), x)]
        ours_g = [pytensor.grad(L.det(xo := pt.dmatrix("x")), xo), pytensor.grad(L.cholesky(xo).sum(), xo)]
        for g_t, g_o in zip(gs, ours_g, strict=True):
            assert np.allclose(ptn.function([x], g_t)(s[0]), pytensor.function([xo], g_o)(s[0]))
