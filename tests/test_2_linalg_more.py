"""Chapter 2, "Linear algebra", the factorisations and solvers OP-LINALG-17 … OP-LINALG-25,
and their pullbacks (GRAD-OP-8).

Values are compared with the numpy/scipy/LAPACK call each rule names; gradients with
``verify_grad``.  The comparisons with PyTensor (values, dtypes, static shapes, gradients)
skip where it is not installed.
"""

import warnings

import numpy as np
import pytest
import scipy.linalg

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecNotImplementedError, SpecTypeError, SpecValueError
from reference.testing import verify_grad

L = pt.linalg


def rng(seed=0):
    return np.random.default_rng(seed)


def well(n, seed=0, batch=()):
    return rng(seed).normal(size=(*batch, n, n)) + n * np.eye(n)


def stable(n, seed=0, batch=()):
    """A matrix with spectral radius below one."""
    a = rng(seed).normal(size=(*batch, n, n))
    return 0.5 * a / np.abs(np.linalg.eigvals(a)).max(axis=-1)[..., None, None]


def run(out, values):
    return pytensor.function(list(values), out)(*values.values())


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def var(value, name="x", static=False):
    value = np.asarray(value)
    return pt.tensor(name=name, dtype=value.dtype.name, shape=value.shape if static else (None,) * value.ndim)


def lapack_qr(a, mode, pivoting):
    """``scipy.linalg.qr`` with its Householder output (the same LAPACK calls)."""
    if mode == "raw":
        (h, tau), r, *p = scipy.linalg.qr(a, mode="raw", pivoting=pivoting)
        return [h, tau, np.triu(h[: min(a.shape), :]), *p]
    out = scipy.linalg.qr(a, mode=mode, pivoting=pivoting)
    return list(out) if isinstance(out, tuple) else [out]


# -- OP-LINALG-17: qr ----------------------------------------------------------------------
@pytest.mark.rule("OP-LINALG-17")
@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (4, 4)])
@pytest.mark.parametrize("mode", ["full", "economic", "r", "raw"])
@pytest.mark.parametrize("pivoting", [False, True])
def test_op_linalg_17__qr_modes_match_scipy(shape, mode, pivoting):
    a = rng(1).normal(size=shape)
    x = var(a, static=True)
    out = L.qr(x, mode=mode, pivoting=pivoting)
    out = out if isinstance(out, list) else [out]
    got = run(out, {x: a})
    expected = lapack_qr(a, mode, pivoting)
    if mode == "r":  # scipy trims R to (k, n) for mode='r'; PyTensor's perform keeps (m, n)
        expected[0] = np.triu(scipy.linalg.qr(a, mode="raw", pivoting=pivoting)[0][0])
    for g, e, o in zip(got, expected, out, strict=True):
        assert np.allclose(g, e, rtol=1e-13, atol=1e-13)
        assert g.shape == tuple(o.type.shape), (g.shape, o.type.shape)
    if pivoting:
        assert got[-1].dtype == np.int32
    if mode in ("full", "economic"):
        assert np.allclose(got[0] @ got[1], a[:, got[-1]] if pivoting else a)


@pytest.mark.rule("OP-LINALG-17")
def test_op_linalg_17__qr_aliases_dtypes_batch_and_errors():
    a = rng(2).normal(size=(2, 5, 3))
    t = pt.dtensor3("t")
    q, r = run(L.qr(t, mode="reduced"), {t: a})
    for i in range(2):
        eq, er = scipy.linalg.qr(a[i], mode="economic")
        assert np.allclose(q[i], eq, atol=1e-14) and np.allclose(r[i], er, atol=1e-14)
    assert [o.type.shape for o in L.qr(t, mode="complete")] == [(None, None, None)] * 2
    assert [o.dtype for o in L.qr(pt.matrix("i", dtype="int16"))] == ["float32", "float32"]
    assert L.qr(pt.lmatrix("i"), mode="r").dtype == "float64"
    with pytest.raises(SpecValueError, match="OP-LINALG-17.*mode"):
        L.qr(t, mode="thin")
    with pytest.raises(SpecValueError, match="must be a matrix"):
        L.qr(pt.dvector("v"))


# -- OP-LINALG-18: lu, lu_factor, pivot_to_permutation ---------------------------------------
@pytest.mark.rule("OP-LINALG-18")
@pytest.mark.parametrize(("permute_l", "p_indices"), [(False, False), (True, False), (False, True)])
def test_op_linalg_18__lu_matches_scipy(permute_l, p_indices):
    a = rng(3).normal(size=(4, 4))
    x = pt.dmatrix("x")
    got = run(L.lu(x, permute_l=permute_l, p_indices=p_indices), {x: a})
    expected = scipy.linalg.lu(a, permute_l=permute_l, p_indices=p_indices)
    assert len(got) == len(expected)
    for g, e in zip(got[-2:], expected[-2:], strict=True):
        assert same(g, e)
    if p_indices:
        assert got[0].dtype == np.int32 and np.array_equal(got[0], expected[0])
    elif not permute_l:
        assert same(got[0], expected[0])


@pytest.mark.rule("OP-LINALG-18")
def test_op_linalg_18__lu_factor_and_pivots():
    a = well(4, 4)
    x = pt.dmatrix("x")
    lu_, piv = run(L.lu_factor(x), {x: a})
    e_lu, e_piv = scipy.linalg.lu_factor(a)
    assert same(lu_, e_lu) and piv.dtype == np.int32 and np.array_equal(piv, e_piv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isnan(run(L.lu_factor(x)[0], {x: np.zeros((2, 2))})).all()
    p = pt.ivector("p")
    pivots = np.array([2, 2, 3, 3], dtype="int32")
    perm, inv_perm = run([L.pivot_to_permutation(p), L.pivot_to_permutation(p, inverse=True)], {p: pivots})
    swapped = np.arange(4)
    for i, j in enumerate(pivots):
        swapped[[i, j]] = swapped[[j, i]]
    assert same(inv_perm, swapped) and same(perm, np.argsort(swapped))
    t = pt.dtensor3("t")
    b = well(3, 5, batch=(2,))
    lu_b, piv_b = run(L.lu_factor(t), {t: b})
    for i in range(2):
        assert same(lu_b[i], scipy.linalg.lu_factor(b[i])[0])
    assert L.lu_factor(pt.tensor(name="s", dtype="float32", shape=(2, 3, 3)))[1].type.shape == (2, 3)


@pytest.mark.rule("OP-LINALG-18")
def test_op_linalg_18__lu_errors():
    with pytest.raises(SpecValueError, match="x must be square"):
        L.lu(pt.tensor(name="r", dtype="float64", shape=(2, 3)))
    with pytest.raises(SpecValueError, match="must be a matrix"):
        L.lu_factor(pt.dvector("v"))
    with pytest.raises(SpecValueError, match="permute_l and p_indices"):
        L.lu(pt.dmatrix("x"), permute_l=True, p_indices=True)
    with pytest.raises(SpecValueError, match="p must be a vector"):
        L.pivot_to_permutation(pt.imatrix("p"))
    x = pt.dmatrix("x")
    with pytest.raises(SpecValueError, match="square"):
        run(L.lu(x), {x: np.ones((2, 3))})


# -- OP-LINALG-19: lu_solve ----------------------------------------------------------------
@pytest.mark.rule("OP-LINALG-19")
@pytest.mark.parametrize("trans", [False, True])
@pytest.mark.parametrize("b_shape", [(4,), (4, 2)])
def test_op_linalg_19__lu_solve_matches_scipy(trans, b_shape):
    a, b = rng(6).normal(size=(4, 4)), rng(7).normal(size=b_shape)
    lu_, piv = scipy.linalg.lu_factor(a)
    m, p, v = pt.dmatrix("m"), pt.ivector("p"), var(b, "b")
    got = run(L.lu_solve((m, p), v, trans=trans), {m: lu_, p: piv.astype("int32"), v: b})
    assert np.allclose(got, scipy.linalg.lu_solve((lu_, piv), b, trans=int(trans)), rtol=1e-12)
    x = pt.dmatrix("x")
    got2 = run(L.lu_solve(L.lu_factor(x), v, trans=trans), {x: a, v: b})
    assert np.allclose(got2, np.linalg.solve(a.T if trans else a, b))


@pytest.mark.rule("OP-LINALG-19")
def test_op_linalg_19__lu_solve_batched_b_ndim():
    a, b = well(3, 8, batch=(2,)), rng(9).normal(size=(2, 3))
    t, m = pt.dtensor3("t"), pt.dmatrix("m")
    got = run(L.lu_solve(L.lu_factor(t), m, b_ndim=1), {t: a, m: b})
    assert np.allclose(got, np.stack([np.linalg.solve(a[i], b[i]) for i in range(2)]))
    with pytest.raises(SpecValueError, match="b_ndim"):
        L.lu_solve(L.lu_factor(t), m, b_ndim=3)


# -- OP-LINALG-20: lstsq, tensorinv, tensorsolve --------------------------------------------
@pytest.mark.rule("OP-LINALG-20")
@pytest.mark.parametrize("b_shape", [(5,), (5, 2)])
def test_op_linalg_20__lstsq_is_numpy(b_shape):
    a, b = rng(10).normal(size=(5, 3)), rng(11).normal(size=b_shape)
    x, v, r = pt.dmatrix("x"), var(b, "b"), pt.dscalar("r")
    out = L.lstsq(x, v, r)
    assert [o.dtype for o in out] == ["float64", "float64", "int32", "float64"]
    got = run(out, {x: a, v: b, r: np.asarray(-1.0)})
    for g, e in zip(got, np.linalg.lstsq(a, b, -1.0), strict=True):
        assert np.array_equal(g, e)
    with pytest.raises(SpecValueError, match="lstsq: a must be a matrix"):
        L.lstsq(pt.dvector("w"), v, r)


@pytest.mark.rule("OP-LINALG-20")
def test_op_linalg_20__tensorinv_tensorsolve_are_numpy():
    a = rng(12).normal(size=(4, 6, 8, 3))
    t = pt.tensor(name="t", dtype="float64", shape=(4, 6, 8, 3))
    out = L.tensorinv(t)
    assert out.type.shape == (8, 3, 4, 6)
    assert same(run(out, {t: a}), np.linalg.tensorinv(a))
    a1 = rng(13).normal(size=(2, 3, 6))
    t1 = pt.dtensor3("t1")
    assert same(run(L.tensorinv(t1, ind=1), {t1: a1.reshape(6, 2, 3)}), np.linalg.tensorinv(a1.reshape(6, 2, 3), 1))
    with pytest.raises(SpecValueError, match="ind"):
        L.tensorinv(t, ind=0)
    s, b = rng(14).normal(size=(6, 2, 3)), rng(15).normal(size=6)
    ts, v = pt.dtensor3("ts"), pt.dvector("v")
    assert same(run(L.tensorsolve(ts, v), {ts: s, v: b}), np.linalg.tensorsolve(s, b))
    s2 = rng(16).normal(size=(2, 3, 6))
    assert same(run(L.tensorsolve(ts, v, axes=(0, 1)), {ts: s2, v: b}), np.linalg.tensorsolve(s2, b, (0, 1)))
    assert L.tensorsolve(ts, v).type.shape == (None, None)
    assert L.tensorinv(pt.lmatrix("i")).dtype == "float64"
    with pytest.raises(SpecValueError, match="tensorsolve"):
        L.tensorsolve(v, ts)


# -- OP-LINALG-21: block_diag, trace ---------------------------------------------------------
@pytest.mark.rule("OP-LINALG-21")
def test_op_linalg_21__block_diag_and_trace():
    a, b, c = rng(17).normal(size=(2, 3)), rng(18).integers(0, 5, size=(1, 1)), rng(19).normal(size=(3, 2))
    xa = pt.tensor(name="a", dtype="float32", shape=(2, 3))
    xb = pt.tensor(name="b", dtype="int64", shape=(1, 1))
    xc = pt.tensor(name="c", dtype="float64", shape=(None, 2))
    out = L.block_diag(xa, xb, xc)
    assert out.dtype == "float64" and out.type.shape == (None, 6)
    got = run(out, {xa: a.astype("float32"), xb: b, xc: c})
    assert same(got, scipy.linalg.block_diag(a.astype("float32"), b, c))
    assert L.block_diag(xa) is xa
    t = pt.dtensor3("t")
    bt = rng(20).normal(size=(4, 2, 2))
    got = run(L.block_diag(t, pt.as_tensor_variable(c)), {t: bt})
    assert same(got, np.stack([scipy.linalg.block_diag(bt[i], c) for i in range(4)]))
    x = pt.dmatrix("x")
    with pytest.warns(FutureWarning):
        tr = L.trace(x)
    assert run(tr, {x: a}) == np.diagonal(a).sum()


# -- OP-LINALG-22: schur, qz, ordqz ----------------------------------------------------------
@pytest.mark.rule("OP-LINALG-22")
@pytest.mark.parametrize("output", ["real", "complex"])
@pytest.mark.parametrize("sort", [None, "lhp", "rhp", "iuc", "ouc"])
def test_op_linalg_22__schur_matches_scipy(output, sort):
    a = rng(21).normal(size=(4, 4))
    x = pt.dmatrix("x")
    t, z = run(L.schur(x, output=output, sort=sort), {x: a})
    et, ez, *_ = scipy.linalg.schur(a, output=output, sort=sort)
    assert np.allclose(t, et, atol=1e-12) and np.allclose(z, ez, atol=1e-12)
    assert t.dtype == (np.complex128 if output == "complex" else np.float64)
    assert np.allclose(z @ t @ z.conj().T, a)


@pytest.mark.rule("OP-LINALG-22")
@pytest.mark.parametrize("output", ["real", "complex"])
@pytest.mark.parametrize("sort", [None, "lhp", "iuc", "ouc"])
def test_op_linalg_22__qz_and_ordqz_match_scipy(output, sort):
    a, b = rng(22).normal(size=(4, 4)), rng(23).normal(size=(4, 4))
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    aa, bb, q, z = run(L.qz(x, y, output=output, sort=sort), {x: a, y: b})
    if sort is None:
        expected = scipy.linalg.qz(a, b, output=output)
        for g, e in zip((aa, bb, q, z), expected, strict=True):
            assert np.allclose(g, e, atol=1e-12)
    assert np.allclose(q @ aa @ z.conj().T, a) and np.allclose(q @ bb @ z.conj().T, b)
    if sort in ("lhp", "ouc"):  # same criteria as scipy.linalg.ordqz for these
        got = run(L.ordqz(x, y, sort=sort, output=output), {x: a, y: b})
        expected = scipy.linalg.ordqz(a, b, sort=sort, output=output)
        for g, e in zip(got, expected, strict=True):
            assert np.allclose(g, e, atol=1e-12)
        assert got[2].dtype == np.complex128


@pytest.mark.rule("OP-LINALG-22")
def test_op_linalg_22__schur_qz_dtypes_batch_errors():
    assert [o.dtype for o in L.schur(pt.fmatrix("f"), output="complex")] == ["complex64"] * 2
    assert [o.dtype for o in L.qz(pt.lmatrix("i"), pt.fmatrix("f"), return_eigenvalues=True)] == [
        "float64", "float64", "complex128", "float64", "float64", "float64"]
    a = rng(24).normal(size=(2, 3, 3))
    t = pt.dtensor3("t")
    tt, zz = run(L.schur(t), {t: a})
    for i in range(2):
        assert np.allclose(zz[i] @ tt[i] @ zz[i].T, a[i])
    x = pt.dmatrix("x")
    with pytest.raises(SpecValueError, match="output"):
        L.schur(x, output="both")
    with pytest.raises(SpecValueError, match="sort"):
        L.qz(x, x, sort="up")
    with pytest.raises(SpecValueError, match="B must be square"):
        L.qz(x, pt.tensor(name="r", dtype="float64", shape=(2, 3)))
    assert np.isnan(run(L.schur(x)[0], {x: np.full((2, 2), np.inf)})).all()


# -- OP-LINALG-23: Sylvester and Lyapunov ----------------------------------------------------
@pytest.mark.rule("OP-LINALG-23")
def test_op_linalg_23__sylvester_lyapunov_match_scipy():
    a, b, q = well(3, 25), well(2, 26), rng(27).normal(size=(3, 2))
    x, y, z = pt.dmatrix("x"), pt.dmatrix("y"), pt.dmatrix("z")
    got = run(L.solve_sylvester(x, y, z), {x: a, y: b, z: q})
    assert np.allclose(got, scipy.linalg.solve_sylvester(a, b, q), rtol=1e-12)
    qs = rng(28).normal(size=(3, 3))
    got = run(L.solve_continuous_lyapunov(x, z), {x: a, z: qs})
    assert np.allclose(got, scipy.linalg.solve_continuous_lyapunov(a, qs), rtol=1e-12)
    s = stable(3, 29)
    for method in ("direct", "bilinear"):
        got = run(L.solve_discrete_lyapunov(x, z, method=method), {x: s, z: qs})
        assert np.allclose(got, scipy.linalg.solve_discrete_lyapunov(s, qs, method=method), rtol=1e-10)
    with pytest.raises(SpecValueError, match="method"):
        L.solve_discrete_lyapunov(x, z, method="schur")
    assert L.solve_sylvester(pt.fmatrix("a"), pt.fmatrix("b"), pt.fmatrix("c")).dtype == "float32"
    assert L.solve_continuous_lyapunov(pt.tensor(name="s", dtype="float64", shape=(3, 3)), z).type.shape == (3, 3)
    with pytest.raises(SpecValueError, match="do not match"):
        run(L.solve_sylvester(x, y, z), {x: a, y: b, z: q.T})


@pytest.mark.rule("OP-LINALG-23")
def test_op_linalg_23__matrix_equations_batch():
    a, q = stable(3, 30, batch=(2,)), rng(31).normal(size=(2, 3, 3))
    t, u = pt.dtensor3("t"), pt.dtensor3("u")
    for method in ("direct", "bilinear"):
        got = run(L.solve_discrete_lyapunov(t, u, method=method), {t: a, u: q})
        for i in range(2):
            assert np.allclose(got[i], scipy.linalg.solve_discrete_lyapunov(a[i], q[i]), rtol=1e-10)
    got = run(L.solve_continuous_lyapunov(t, u), {t: a - 2 * np.eye(3), u: q})
    for i in range(2):
        assert np.allclose(got[i], scipy.linalg.solve_continuous_lyapunov(a[i] - 2 * np.eye(3), q[i]))


# -- OP-LINALG-24: solve_discrete_are --------------------------------------------------------
@pytest.mark.rule("OP-LINALG-24")
def test_op_linalg_24__discrete_are_matches_scipy():
    a, b = rng(32).normal(size=(3, 3)), rng(33).normal(size=(3, 2))
    qm, rm = np.eye(3), np.eye(2)
    x, y, z, w = pt.dmatrix("a"), pt.dmatrix("b"), pt.dmatrix("q"), pt.dmatrix("r")
    got = run(L.solve_discrete_are(x, y, z, w), {x: a, y: b, z: qm, w: rm})
    assert np.allclose(got, scipy.linalg.solve_discrete_are(a, b, qm, rm), rtol=1e-10)
    t = pt.dtensor3("t")
    ab = rng(34).normal(size=(2, 3, 3))
    got = run(L.solve_discrete_are(t, y, z, w), {t: ab, y: b, z: qm, w: rm})
    for i in range(2):
        assert np.allclose(got[i], scipy.linalg.solve_discrete_are(ab[i], b, qm, rm), rtol=1e-10)
    with pytest.raises(SpecValueError, match="Q must be square"):
        L.solve_discrete_are(x, y, pt.tensor(name="r", dtype="float64", shape=(2, 3)), w)


# -- OP-LINALG-25: tridiagonal LU --------------------------------------------------------------
@pytest.mark.rule("OP-LINALG-25")
@pytest.mark.parametrize("transposed", [False, True])
def test_op_linalg_25__tridiagonal_lu_is_gttrf_gttrs(transposed):
    n = 5
    g = rng(35)
    a = np.diag(g.normal(size=n) + 4) + np.diag(g.normal(size=n - 1), 1) + np.diag(g.normal(size=n - 1), -1)
    b = g.normal(size=(n, 2))
    x, m = pt.tensor(name="x", dtype="float64", shape=(n, n)), pt.dmatrix("m")
    factors = L.tridiagonal_lu_factor(x)
    assert [f.type.shape for f in factors] == [(4,), (5,), (4,), (3,), (5,)]
    got = run(factors, {x: a})
    expected = scipy.linalg.lapack.dgttrf(np.diag(a, -1), np.diag(a), np.diag(a, 1))[:5]
    for gf, e in zip(got, expected, strict=True):
        assert np.array_equal(gf, e)
    sol = run(L.tridiagonal_lu_solve(factors, m, b_ndim=2, transposed=transposed), {x: a, m: b})
    assert np.allclose(sol, np.linalg.solve(a.T if transposed else a, b))
    with pytest.raises(SpecValueError, match="b_ndim"):
        L.tridiagonal_lu_solve(factors, m, b_ndim=0)


# -- GRAD-OP-8 ----------------------------------------------------------------------------------
@pytest.mark.rule("GRAD-OP-8")
@pytest.mark.parametrize(("shape", "mode"), [((3, 3), "full"), ((3, 5), "full"), ((5, 3), "economic"),
                                             ((3, 5), "economic"), ((5, 3), "r"), ((3, 4), "r")])
def test_grad_op_8__qr(shape, mode):
    a = rng(40).normal(size=shape)
    verify_grad(lambda x: L.qr(x, mode=mode), [a], rng=rng())


@pytest.mark.rule("GRAD-OP-8")
def test_grad_op_8__qr_unknown_shapes_and_missing():
    a = rng(41).normal(size=(5, 3))
    x = pt.dmatrix("x")
    q, r = L.qr(x, mode="economic")
    g = pytensor.grad((q.sum() + (r * r).sum()), x)
    h = 1e-6
    f = pytensor.function([x], q.sum() + (r * r).sum())
    e = np.zeros_like(a)
    e[1, 2] = h
    assert np.isclose(pytensor.function([x], g)(a)[1, 2], (f(a + e) - f(a - e)) / (2 * h), rtol=1e-6)
    qf, rf = L.qr(x)
    with pytest.raises(SpecNotImplementedError, match="GRAD-OP-8"):
        pytensor.function([x], pytensor.grad(rf.sum(), x))(a)
    with pytest.raises(SpecNotImplementedError, match="raw"):
        pytensor.grad(L.qr(x, mode="raw")[1].sum(), x)
    with pytest.raises(SpecNotImplementedError, match="GRAD-OP-8"):
        pytensor.grad(L.schur(x)[0].sum(), x)
    with pytest.raises(SpecNotImplementedError, match="GRAD-OP-8"):
        pytensor.grad(L.tensorinv(x, ind=1).sum(), x)


@pytest.mark.rule("GRAD-OP-8")
def test_grad_op_8__lu_family():
    a = well(3, 42)
    verify_grad(lambda x: L.lu(x)[1:], [a], rng=rng())
    verify_grad(lambda x: L.lu(x, p_indices=True)[1:], [a], rng=rng())
    verify_grad(lambda x: L.lu(x, permute_l=True), [a], rng=rng())
    verify_grad(lambda x: L.lu_factor(x)[0], [rng(43).normal(size=(4, 4))], rng=rng())
    b = rng(44).normal(size=(3, 2))
    for trans in (False, True):
        verify_grad(lambda x, y, t=trans: L.lu_solve(L.lu_factor(x), y, trans=t), [a, b], rng=rng())
    verify_grad(lambda x, y: L.lu_solve(L.lu_factor(x), y, b_ndim=1), [well(3, 45, batch=(2,)), b.T], rng=rng())


@pytest.mark.rule("GRAD-OP-8")
def test_grad_op_8__block_diag_and_matrix_equations():
    a, b = rng(46).normal(size=(2, 3)), rng(47).normal(size=(2, 2, 2))
    verify_grad(lambda x, y: L.block_diag(x, y), [a, b], rng=rng())
    verify_grad(lambda x, y, z: L.solve_sylvester(x, y, z), [well(3, 48), well(2, 49), a.T], rng=rng())
    s, q = stable(3, 50), rng(51).normal(size=(3, 3))
    verify_grad(lambda x, z: L.solve_continuous_lyapunov(x, z), [s - 2 * np.eye(3), q], rng=rng())
    for method in ("direct", "bilinear"):
        verify_grad(lambda x, z, m=method: L.solve_discrete_lyapunov(x, z, method=m), [s, q], rng=rng())
    bb = rng(52).normal(size=(3, 2))
    # along symmetric Q and R (the equation reads them as symmetric)
    verify_grad(lambda x, y, z, w: L.solve_discrete_are(x, y, (z + z.T) / 2, (w + w.T) / 2),
                [rng(53).normal(size=(3, 3)), bb, np.eye(3) + 0.1 * q, np.eye(2)], rng=rng())


# -- PyTensor ----------------------------------------------------------------------------------
def _both(build, args, static=True, grad=False, exact=True):
    """``build`` on PyTensor's and reference's modules, compiled on the same inputs: values
    (bit for bit unless ``exact`` is false), dtypes and static shapes, and with ``grad`` the
    gradients of the sum of squares of the outputs."""
    ptn = pytest.importorskip("pytensor")
    ptt = pytest.importorskip("pytensor.tensor")
    ours_in = [pt.tensor(name=f"i{k}", dtype=v.dtype.name, shape=v.shape if static else (None,) * v.ndim)
               for k, v in enumerate(args)]
    theirs_in = [ptt.tensor(f"i{k}", dtype=v.dtype.name, shape=v.shape if static else (None,) * v.ndim)
                 for k, v in enumerate(args)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = build(pt, *ours_in), build(ptt, *theirs_in)
        ours = list(ours) if isinstance(ours, list | tuple) else [ours]
        theirs = list(theirs) if isinstance(theirs, list | tuple) else [theirs]
        assert [o.dtype for o in ours] == [o.dtype for o in theirs]
        assert [o.type.shape for o in ours] == [o.type.shape for o in theirs]
        got = pytensor.function(ours_in, ours)(*args)
        expected = ptn.function(theirs_in, theirs, mode="FAST_COMPILE")(*args)
        for g, e in zip(got, expected, strict=True):
            assert g.dtype == e.dtype and g.shape == e.shape
            assert np.array_equal(g, e, equal_nan=True) if exact else np.allclose(g, e, rtol=1e-10, atol=1e-12)
        if grad:
            cost_o = sum((o * o).sum() for o in ours if o.dtype.startswith("float"))
            cost_t = sum((o * o).sum() for o in theirs if o.dtype.startswith("float"))
            g_o = pytensor.function(ours_in, pytensor.grad(cost_o, ours_in[0]))(*args)
            g_t = ptn.function(theirs_in, ptn.grad(cost_t, theirs_in[0]), mode="FAST_COMPILE")(*args)
            assert np.array_equal(g_o, g_t) if exact else np.allclose(g_o, g_t, rtol=1e-8, atol=1e-10)


@pytest.mark.rule("OP-LINALG-17")
@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 3, 3)])
@pytest.mark.parametrize("mode", ["full", "economic", "r"])
def test_op_linalg_17__qr_same_as_pytensor(shape, mode):
    a = rng(60).normal(size=shape)
    grad = not (mode == "full" and shape[-2] > shape[-1])
    _both(lambda m, x: m.linalg.qr(x, mode=mode), [a], grad=grad)
    _both(lambda m, x: m.linalg.qr(x, mode=mode, pivoting=True), [a])
    # PyTensor 3.3.7's QR pullback fails when a static length is unknown (it calls the
    # ifelse module): only the values are compared then
    _both(lambda m, x: m.linalg.qr(x, mode=mode), [a], static=False)


@pytest.mark.rule("OP-LINALG-18")
def test_op_linalg_18__lu_same_as_pytensor():
    a, f = well(4, 61), well(3, 62, batch=(2,)).astype("float32")
    for kw in ({}, {"permute_l": True}, {"p_indices": True}):
        _both(lambda m, x, kw=kw: m.linalg.lu(x, **kw), [a], grad=True)
        _both(lambda m, x, kw=kw: m.linalg.lu(x, **kw), [f])
    _both(lambda m, x: m.linalg.lu_factor(x), [a], grad=True)
    _both(lambda m, x: m.linalg.lu_factor(x), [f], static=False)
    _both(lambda m, p: [m.linalg.pivot_to_permutation(p), m.linalg.pivot_to_permutation(p, inverse=True)],
          [np.array([3, 1, 3, 3], dtype="int32")])


@pytest.mark.rule("OP-LINALG-19")
@pytest.mark.parametrize("trans", [False, True])
def test_op_linalg_19__lu_solve_same_as_pytensor(trans):
    a, b = well(3, 63), rng(64).normal(size=(3, 2))
    _both(lambda m, x, y: m.linalg.lu_solve(m.linalg.lu_factor(x), y, trans=trans), [a, b], static=False, grad=True)
    _both(lambda m, x, y: m.linalg.lu_solve(m.linalg.lu_factor(x), y, trans=trans, b_ndim=1),
          [well(3, 65, batch=(2,)), b.T], static=False)


@pytest.mark.rule("OP-LINALG-20")
def test_op_linalg_20__numpy_wrappers_same_as_pytensor():
    a, b = rng(66).normal(size=(5, 3)), rng(67).normal(size=(5, 2))
    _both(lambda m, x, y, r: m.linalg.lstsq(x, y, r), [a, b, np.asarray(-1.0)], static=False)
    _both(lambda m, x: m.linalg.tensorinv(x), [rng(68).normal(size=(4, 6, 8, 3))])
    # PyTensor declares a matrix result whatever the ndims: compared where x is a matrix
    _both(lambda m, x, y: m.linalg.tensorsolve(x, y), [rng(69).normal(size=(2, 3, 2, 3)), rng(70).normal(size=(2, 3))],
          static=False)


@pytest.mark.rule("OP-LINALG-21")
def test_op_linalg_21__block_diag_trace_same_as_pytensor():
    a, b = rng(71).normal(size=(2, 3)), rng(72).normal(size=(3, 3, 1))
    _both(lambda m, x, y: m.linalg.block_diag(x, y), [a, b], grad=True)
    _both(lambda m, x, y: m.linalg.block_diag(x, y), [a.astype("float32"), b.astype("int64")], static=False)
    _both(lambda m, x: m.linalg.trace(x), [a])


@pytest.mark.rule("OP-LINALG-22")
def test_op_linalg_22__schur_qz_same_as_pytensor():
    a, b = rng(73).normal(size=(4, 4)), rng(74).normal(size=(2, 4, 4))
    for output in ("real", "complex"):
        for sort in (None, "lhp", "iuc"):
            _both(lambda m, x, o=output, s=sort: m.linalg.schur(x, output=o, sort=s), [a])
            _both(lambda m, x, y, o=output, s=sort: m.linalg.qz(x, y, output=o, sort=s), [a, b])
            _both(lambda m, x, y, o=output, s=sort: m.linalg.ordqz(x, y, output=o, sort=s), [a, b[0]])


@pytest.mark.rule("OP-LINALG-23")
def test_op_linalg_23__matrix_equations_same_as_pytensor():
    a, b, q = well(3, 75), well(2, 76), rng(77).normal(size=(3, 2))
    _both(lambda m, x, y, z: m.linalg.solve_sylvester(x, y, z), [a, b, q], grad=True)
    s, qs = stable(3, 78, batch=(2,)), rng(79).normal(size=(2, 3, 3))
    _both(lambda m, x, z: m.linalg.solve_continuous_lyapunov(x, z), [s[0] - 2 * np.eye(3), qs[0]], grad=True)
    for method in ("direct", "bilinear"):
        # the gradient through the composition sums its terms in another order: close, not equal
        _both(lambda m, x, z, k=method: m.linalg.solve_discrete_lyapunov(x, z, method=k), [s[0], qs[0]],
              static=False, grad=True, exact=False)
        _both(lambda m, x, z, k=method: m.linalg.solve_discrete_lyapunov(x, z, method=k), [s, qs], static=False)


@pytest.mark.rule("OP-LINALG-24")
def test_op_linalg_24__discrete_are_same_as_pytensor():
    a, b, q = rng(80).normal(size=(3, 3)), rng(81).normal(size=(3, 2)), np.eye(3)
    _both(lambda m, x, y, z, w: m.linalg.solve_discrete_are(x, y, z, w), [a, b, q, np.eye(2)], static=False, grad=True)


@pytest.mark.rule("OP-LINALG-25")
def test_op_linalg_25__tridiagonal_same_as_pytensor():
    a = np.diag(rng(82).normal(size=4) + 4) + np.diag(np.ones(3), 1) + np.diag(2 * np.ones(3), -1)
    b = rng(83).normal(size=4)
    _both(lambda m, x: m.linalg.tridiagonal_lu_factor(x), [a])
    _both(lambda m, x, y: m.linalg.tridiagonal_lu_solve(m.linalg.tridiagonal_lu_factor(x), y, b_ndim=1), [a, b],
          static=False)


@pytest.mark.rule("OP-LINALG-20")
def test_op_linalg_20__tensorsolve_axes_must_be_ints():
    with pytest.raises(SpecTypeError):
        L.tensorsolve(pt.dtensor3("a"), pt.dvector("b"), axes=3)
