"""Factorisations of ``pt.linalg``: ``qr``, ``lu``, ``lu_factor``, ``lu_solve``,
``pivot_to_permutation``, ``schur`` and ``qz``/``ordqz``.  Spec: spec/2-ops.rst, "Linear
algebra" (OP-LINALG-17 … OP-LINALG-19, OP-LINALG-22), and spec/4-gradients.rst (GRAD-OP-8).

Every op here is a :class:`~reference.tensor.linalg.LinalgOp`: batched over the leading axes
(OP-LINALG-1), its value the LAPACK or scipy call PyTensor's Python ``perform`` makes, with
the same arguments, so the values are that call's bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg

from reference.errors import SpecNotImplementedError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.tensor.linalg import (
    LinalgOp,
    _b_ndim,
    _mT,
    lapack_dtype,
    real_dtype,
    solve_triangular,
)
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = [
    "lu",
    "lu_factor",
    "lu_solve",
    "ordqz",
    "pivot_to_permutation",
    "qr",
    "qz",
    "schur",
]


def _H(x: Any) -> TensorVariable:  # noqa: N802 - the conjugate transpose
    from reference.tensor.math import conj

    x = as_tensor_variable(x)
    return _mT(conj(x)) if x.dtype.startswith("complex") else _mT(x)


def _no_grad(name: str) -> SpecNotImplementedError:
    return SpecNotImplementedError("GRAD-OP-8", f"{name} has no gradient (PyTensor defines none)")


def _lwork_call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """``fn`` called once with ``lwork=-1`` (the workspace query) and again with the size it
    reports, as PyTensor calls ``geqrf``, ``geqp3`` and ``orgqr`` (OP-LINALG-17)."""
    *_, work, _info = fn(*args, lwork=-1, **kwargs)
    return fn(*args, lwork=int(np.real(work.item())), **kwargs)


# -- QR ----------------------------------------------------------------------------------
_QR_MODES = ("full", "r", "economic", "raw")


class QR(LinalgOp):
    """LAPACK ``geqrf`` (``geqp3`` with pivoting) and ``orgqr``, as PyTensor calls them
    (OP-LINALG-17)."""

    __props__ = ("mode", "pivoting")
    rule = "OP-LINALG-17"
    square = (False,)

    def __init__(self, mode: str = "full", pivoting: bool = False) -> None:
        self.mode, self.pivoting = mode, bool(pivoting)

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        m, n = x.type.shape[-2:]
        k = min(m, n) if m is not None and n is not None else None
        f = lapack_dtype(x.dtype)
        shapes = {"full": [(m, m), (m, n)], "economic": [(m, k), (k, n)], "r": [(m, n)],
                  "raw": [(m, n), (k,), (k, n)]}[self.mode]
        outs = [(f, s) for s in shapes]
        return [*outs, ("int32", (n,))] if self.pivoting else outs

    def core(self, x: np.ndarray) -> tuple:
        m, n = x.shape
        if self.pivoting:  # OP-LINALG-17
            (geqp3,) = scipy.linalg.get_lapack_funcs(("geqp3",), (x,))
            qr, jpvt, tau, *_ = _lwork_call(geqp3, x, overwrite_a=False)
            jpvt = jpvt - 1
        else:
            (geqrf,) = scipy.linalg.get_lapack_funcs(("geqrf",), (x,))
            qr, tau, *_ = _lwork_call(geqrf, x, overwrite_a=False)
        r = np.triu(qr) if self.mode not in ("economic", "raw") or m < n else np.triu(qr[:n, :])
        piv = (jpvt,) if self.pivoting else ()
        if self.mode == "r":
            return (r, *piv)
        if self.mode == "raw":
            return (qr, tau, r, *piv)
        (orgqr,) = scipy.linalg.get_lapack_funcs(("orgqr",), (qr,))
        if m < n:
            q, *_ = _lwork_call(orgqr, qr[:, :m], tau, overwrite_a=1)
        elif self.mode == "economic":
            q, *_ = _lwork_call(orgqr, qr, tau, overwrite_a=1)
        else:
            padded = np.empty((m, m), dtype=qr.dtype.char)
            padded[:, :n] = qr
            q, *_ = _lwork_call(orgqr, padded, tau, overwrite_a=1)
        return (q, r, *piv)

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Liao et al. (2019), GRAD-OP-8: for ``m ≥ n``, ``M = R R̄ᴴ - Q̄ᴴ Q``,
        ``Ā = (R⁻¹ (Q̄ + Q copyltu(M))ᴴ)ᴴ``; for ``m < n`` the same on the left ``m × m``
        block ``U`` of ``R`` with ``Q̄ + Y V̄ᴴ``, and ``Q V̄`` for the right block ``Y``."""
        from reference.ifelse import ifelse
        from reference.tensor.basic import concatenate, zeros_like
        from reference.tensor.extra_ops import tril
        from reference.tensor.math import ge, minimum

        if self.mode == "raw":
            raise SpecNotImplementedError("GRAD-OP-8", "qr: mode='raw' has no gradient")
        if self.pivoting:
            raise SpecNotImplementedError("GRAD-OP-8", "qr: the gradient with pivoting=True is not implemented")
        (a,) = node.inputs
        m, n = a.shape[-2], a.shape[-1]
        ms, ns = a.type.shape[-2:]
        unknown = ms is None or ns is None
        if self.mode == "r":
            q, r = QR("economic")(a)
            dq = zeros_like(q)
            dr = output_grads[0][..., : minimum(m, n), :]
        else:
            q, r = node.outputs
            if self.mode == "full":
                if not unknown and ms > ns:
                    raise SpecNotImplementedError("GRAD-OP-8", "qr: the gradient of mode='full' needs m <= n")
                if unknown:
                    r = _RequireWide()(r, m, n)
            dq, dr = (zeros_like(o) if g is None else g for o, g in zip((q, r), output_grads, strict=True))

        def copyltu(x: Any) -> Any:
            return tril(x) + _H(tril(x, -1))

        tall = wide = None
        if unknown or ms >= ns:
            mm = r @ _H(dr) - _H(dq) @ q
            k = dq + q @ copyltu(mm)
            tall = _H(solve_triangular(r, _H(k)))
        if unknown or ms < ns:
            y, u = a[..., :, m:], r[..., :, :m]
            du, dv = dr[..., :, :m], dr[..., :, m:]
            dq_y = dq + y @ _H(dv)
            mm = u @ _H(du) - _H(dq_y) @ q
            x_bar = _H(solve_triangular(u, _H(dq_y + q @ copyltu(mm))))
            wide = concatenate([x_bar, q @ dv], axis=-1)
        if not unknown:
            return [tall if ms >= ns else wide]
        return [ifelse(ge(m, n), tall, wide)]


class _RequireWide(Op):
    """``x``, checking at run time that ``m <= n`` (the ``mode='full'`` QR gradient,
    GRAD-OP-8)."""

    def make_node(self, x: Any, m: Any, n: Any) -> Apply:
        x, m, n = (as_tensor_variable(v) for v in (x, m, n))
        return Apply(self, [x, m, n], [x.type()])

    def perform(self, node: Apply, x: np.ndarray, m: np.ndarray, n: np.ndarray) -> np.ndarray:
        if m > n:  # GRAD-OP-8
            raise SpecNotImplementedError("GRAD-OP-8", "qr: the gradient of mode='full' needs m <= n")
        return x

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        return [output_grads[0], None, None]


def qr(A: Any, mode: str = "full", overwrite_a: bool = False, pivoting: bool = False,  # noqa: N803 - PyTensor's name
       lwork: int | None = None) -> Any:
    """The QR decomposition: ``[Q, R]`` (``"full"``, ``"economic"``), ``R`` (``"r"``) or
    ``[H, tau, R]`` (``"raw"``), with the column permutation appended when ``pivoting``
    (OP-LINALG-17).  ``overwrite_a`` and ``lwork`` are accepted and ignored."""
    mode = {"complete": "full", "reduced": "economic"}.get(mode, mode) if isinstance(mode, str) else mode
    if mode not in _QR_MODES:
        raise SpecValueError("OP-LINALG-17", f"qr: mode must be one of 'full', 'economic', 'r', 'raw' "
                             f"(or 'complete', 'reduced'), got {mode!r}")
    out = QR(mode, pivoting)(A)
    return list(out) if isinstance(out, list | tuple) else out


# -- LU ----------------------------------------------------------------------------------
class LU(LinalgOp):
    """``scipy.linalg.lu(a, permute_l=permute_l, p_indices=p_indices)`` (OP-LINALG-18)."""

    __props__ = ("permute_l", "p_indices")
    rule = "OP-LINALG-18"

    def __init__(self, permute_l: bool = False, p_indices: bool = False) -> None:
        self.permute_l, self.p_indices = bool(permute_l), bool(p_indices)

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        shape, f = x.type.shape[-2:], lapack_dtype(x.dtype)
        if self.permute_l:
            return [(f, shape), (f, shape)]
        first = ("int32", shape[:1]) if self.p_indices else (real_dtype(x.dtype), shape)
        return [first, (f, shape), (f, shape)]

    def core(self, x: np.ndarray) -> tuple:
        return tuple(scipy.linalg.lu(x, permute_l=self.permute_l, p_indices=self.p_indices))  # OP-LINALG-18

    def pullback(self, node: Apply, output_grads: list) -> list:
        """De Hoog, Anderssen and Lukas: ``B̄ = U⁻¹ᵀ-solve of L⁻ᵀ (tril(Lᵀ L̄, -1) +
        triu(Ū Uᵀ))``, then ``Ā = P B̄`` (``B̄[p]`` for indices); with ``permute_l`` the
        factors are recomputed without it (GRAD-OP-8)."""
        from reference.tensor.basic import zeros_like

        (a,) = node.inputs
        if self.permute_l:
            l_bar, u_bar = output_grads
            p, lo, up = LU()(a)
        else:
            p, lo, up = node.outputs
            _, l_bar, u_bar = output_grads
        l_bar = zeros_like(a) if l_bar is None else l_bar
        u_bar = zeros_like(a) if u_bar is None else u_bar
        b_bar = _lu_core_grad(lo, up, l_bar, u_bar)
        return [PermuteRows(False, 2)(p, b_bar) if self.p_indices else p @ b_bar]


def _lu_core_grad(lo: Any, up: Any, l_bar: Any, u_bar: Any) -> Any:
    """The gradient of ``B = L U`` from ``L̄`` and ``Ū`` (GRAD-OP-8)."""
    from reference.tensor.extra_ops import tril, triu

    x = tril(_mT(lo) @ l_bar, -1) + triu(u_bar @ _mT(up))
    lt_inv_x = solve_triangular(_mT(lo), x, lower=False, unit_diagonal=True)
    return _mT(solve_triangular(up, _mT(lt_inv_x), lower=False))


def lu(a: Any, permute_l: bool = False, check_finite: bool = True, p_indices: bool = False,
       overwrite_a: bool = False) -> list[TensorVariable]:
    """``[P, L, U]`` with ``a = P L U``; ``[p, L, U]`` with ``p_indices``; ``[P L, U]`` with
    ``permute_l`` (OP-LINALG-18)."""
    if permute_l and p_indices:
        raise SpecValueError("OP-LINALG-18", "lu: only one of permute_l and p_indices can be True")
    return list(LU(permute_l, p_indices)(a))


class LUFactor(LinalgOp):
    """LAPACK ``getrf``, as ``scipy.linalg.lu_factor`` calls it (OP-LINALG-18)."""

    rule = "OP-LINALG-18"

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        return [(lapack_dtype(x.dtype), x.type.shape[-2:]), ("int32", x.type.shape[-2:-1])]

    def core(self, x: np.ndarray) -> tuple:
        if x.size == 0:
            return (np.empty_like(x), np.array([], dtype=np.int32))
        (getrf,) = scipy.linalg.get_lapack_funcs(("getrf",), (x,))
        factors, piv, info = getrf(x, overwrite_a=False)  # OP-LINALG-18
        if info != 0:  # singular (or a bad argument): NaN, no error
            factors[...] = np.nan
        return (factors, piv)

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The LU pullback with ``L̄ = tril(ḡ, -1)``, ``Ū = triu(ḡ)`` and ``Ā = B̄[p]`` for
        the permutation ``p`` of the pivots (GRAD-OP-8)."""
        from reference.tensor.basic import eye
        from reference.tensor.extra_ops import tril, triu

        (a,) = node.inputs
        (g, _) = output_grads
        if g is None:
            return [None]
        factors, piv = node.outputs
        lo = tril(factors, -1) + eye(a.shape[-1], dtype=factors.dtype)
        up = triu(factors)
        b_bar = _lu_core_grad(lo, up, tril(g, -1), triu(g))
        return [PermuteRows(False, 2)(PivotToPermutation(False)(piv), b_bar)]


def lu_factor(a: Any, *, check_finite: bool = True, overwrite_a: bool = False) -> list[TensorVariable]:
    """``[LU, piv]``: the packed factors and the 0-based pivots (OP-LINALG-18)."""
    return list(LUFactor()(a))


class PivotToPermutation(LinalgOp):
    """LAPACK pivots to a permutation: the row swaps applied in order to ``arange``
    (``inverse``), or the argsort of that (OP-LINALG-18)."""

    __props__ = ("inverse",)
    rule = "OP-LINALG-18"
    arg_names = ("p",)
    square = (False,)

    def __init__(self, inverse: bool = False) -> None:
        self.inverse = bool(inverse)

    def core_ndims(self) -> tuple[int, ...]:
        return (1,)

    def core_outputs(self, inputs: list) -> list:
        return [("int64", inputs[0].type.shape[-1:])]

    def core(self, pivots: np.ndarray) -> tuple:
        perm = np.arange(len(pivots), dtype="int64")
        for i in range(len(pivots)):  # OP-LINALG-18
            j = pivots[i]
            perm[i], perm[j] = perm[j], perm[i]
        return (perm if self.inverse else np.argsort(perm),)

    def pullback(self, node: Apply, output_grads: list) -> list:
        raise _no_grad("pivot_to_permutation")


def pivot_to_permutation(p: Any, inverse: bool = False) -> TensorVariable:
    """The permutation of the pivots ``p`` of one factorisation (a vector) (OP-LINALG-18)."""
    p = as_tensor_variable(p)
    if p.ndim != 1:
        raise SpecValueError("OP-LINALG-18", f"pivot_to_permutation: p must be a vector, got {p.type}")
    return PivotToPermutation(inverse)(p)


class PermuteRows(LinalgOp):
    """``x[p]`` (``x[argsort(p)]`` when ``inverse``) on the core axes of ``x``: the row
    permutation ``lu_solve`` and the LU pullbacks use (OP-LINALG-19)."""

    __props__ = ("inverse", "b_ndim")
    rule = "OP-LINALG-19"
    arg_names = ("p", "b")
    square = (False, False)

    def __init__(self, inverse: bool = False, b_ndim: int = 2) -> None:
        self.inverse, self.b_ndim = bool(inverse), b_ndim

    def core_ndims(self) -> tuple[int, ...]:
        return (1, self.b_ndim)

    def core_outputs(self, inputs: list) -> list:
        p, x = inputs
        return [(x.dtype, x.type.shape[x.ndim - self.b_ndim:])]

    def core(self, p: np.ndarray, x: np.ndarray) -> tuple:
        return (x[np.argsort(p)] if self.inverse else x[p],)  # OP-LINALG-19

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The inverse permutation of the cotangent (GRAD-OP-8)."""
        p = node.inputs[0]
        return [None, PermuteRows(not self.inverse, self.b_ndim)(p, output_grads[0])]


def lu_solve(LU_and_pivots: tuple[Any, Any], b: Any, trans: bool = False,  # noqa: N803 - PyTensor's name
             b_ndim: int | None = None, check_finite: bool = True, overwrite_b: bool = False) -> TensorVariable:
    """``x`` with ``a x = b`` (``aᵀ x = b`` with ``trans``) from ``lu_factor(a)``: a row
    permutation and two triangular solves (OP-LINALG-19).  Differentiable through its
    parts."""
    factors, pivots = (as_tensor_variable(v) for v in LU_and_pivots)
    b = as_tensor_variable(b)
    b_ndim = _b_ndim(b, b_ndim, "OP-LINALG-19")
    perm = PivotToPermutation(inverse=True)(pivots)
    x = b if trans else PermuteRows(False, b_ndim)(perm, b)
    x = solve_triangular(factors, x, lower=not trans, unit_diagonal=not trans, trans=trans, b_ndim=b_ndim)
    x = solve_triangular(factors, x, lower=trans, unit_diagonal=trans, trans=trans, b_ndim=b_ndim)
    return PermuteRows(True, b_ndim)(perm, x) if trans else x


# -- Schur and QZ ------------------------------------------------------------------------
_SORTS = ("lhp", "rhp", "iuc", "ouc")


def _check_sort(sort: Any, rule: str, name: str) -> None:
    if sort is not None and sort not in _SORTS:
        raise SpecValueError(rule, f"{name}: sort must be None or one of 'lhp', 'rhp', 'iuc', 'ouc', got {sort!r}")


def _check_output(output: Any, rule: str, name: str) -> None:
    if output not in ("real", "complex"):
        raise SpecValueError(rule, f"{name}: output must be 'real' or 'complex', got {output!r}")


def _complex_of(dtype: str) -> str:
    return dtype if dtype.startswith("complex") else ("complex64" if dtype == "float32" else "complex128")


def _schur_select(sort: str | None) -> Any:
    """The eigenvalue selector ``gees`` calls: ``(wr, wi)`` for a real, ``(w,)`` for a
    complex matrix (OP-LINALG-22)."""
    def select(x: Any, y: Any = None) -> Any:
        z = x if y is None else x + y * 1j
        if sort == "lhp":
            return x.real < 0.0
        if sort == "rhp":
            return x.real >= 0.0
        if sort == "iuc":
            return abs(z) <= 1.0
        if sort == "ouc":
            return abs(z) > 1.0
        return None

    return select


class Schur(LinalgOp):
    """LAPACK ``gees``, as PyTensor calls it (OP-LINALG-22)."""

    __props__ = ("output", "sort")
    rule = "OP-LINALG-22"

    def __init__(self, output: str = "real", sort: str | None = None) -> None:
        self.output, self.sort = output, sort

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        dtype = lapack_dtype(x.dtype)
        if self.output == "complex":
            dtype = _complex_of(dtype)
        return [(dtype, x.type.shape[-2:])] * 2

    def core(self, a: np.ndarray) -> tuple:
        work_a = a
        if self.output == "complex" and not np.iscomplexobj(a):
            work_a = a.astype(np.complex64 if a.dtype == np.float32 else np.complex128)
        (gees,) = scipy.linalg.get_lapack_funcs(("gees",), dtype=work_a.dtype)
        if work_a.size == 0:
            return (np.empty_like(work_a, dtype=gees.dtype),) * 2
        if not np.isfinite(work_a).all():
            return (np.full(work_a.shape, np.nan, dtype=gees.dtype),) * 2
        select, sort_t = _schur_select(self.sort), int(self.sort is not None)
        *_, work, _info = gees(select, work_a, lwork=-1, overwrite_a=False, sort_t=sort_t)
        result = gees(select, work_a, lwork=int(work[0].real), overwrite_a=False, sort_t=sort_t)  # OP-LINALG-22
        t, z, info = (result[0], result[3], result[-1]) if np.iscomplexobj(work_a) else (result[0], result[4], result[-1])
        if info != 0:
            return (np.full(work_a.shape, np.nan),) * 2
        return (t, z)

    def pullback(self, node: Apply, output_grads: list) -> list:
        raise _no_grad("schur")


def schur(A: Any, output: str = "real", sort: str | None = None) -> list[TensorVariable]:  # noqa: N803 - PyTensor's name
    """``[T, Z]`` with ``A = Z T Zᴴ`` (OP-LINALG-22)."""
    _check_output(output, "OP-LINALG-22", "schur")
    _check_sort(sort, "OP-LINALG-22", "schur")
    return list(Schur(output, sort)(A))


def _qz_select(sort: str | None) -> Any:
    """The selector of generalized eigenvalues ``alpha / beta`` passed to ``tgsen``
    (OP-LINALG-22): ``beta == 0`` is never selected, except a nonzero ``alpha`` for
    ``"ouc"``."""
    def select(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
        out = np.zeros(alpha.shape, dtype=bool)
        nz = beta != 0
        ratio = alpha[nz] / beta[nz]
        if sort == "lhp":
            out[nz] = ratio.real < 0.0
        elif sort == "rhp":
            out[nz] = ratio.real > 0.0
        elif sort == "iuc":
            out[nz] = np.abs(ratio) < 1.0
        else:
            out[~nz & (alpha != 0)] = True
            out[nz] = np.abs(ratio) > 1.0
        return out

    return select


class QZ(LinalgOp):
    """LAPACK ``gges`` (unsorted), then ``tgsen`` to reorder when ``sort`` is given, as
    PyTensor calls them (OP-LINALG-22)."""

    __props__ = ("complex_output", "sort", "return_eigenvalues")
    rule = "OP-LINALG-22"
    arg_names = ("A", "B")
    square = (True, True)

    def __init__(self, complex_output: bool = False, sort: str | None = None, return_eigenvalues: bool = False) -> None:
        self.complex_output, self.sort, self.return_eigenvalues = bool(complex_output), sort, bool(return_eigenvalues)

    def core_ndims(self) -> tuple[int, ...]:
        return (2, 2)

    def core_outputs(self, inputs: list) -> list:
        a, b = inputs
        dtype = lapack_dtype(a.dtype, b.dtype)
        if self.complex_output:
            dtype = _complex_of(dtype)
        sa, sb = a.type.shape[-2:], b.type.shape[-2:]
        mats = [(dtype, sa), (dtype, sb)]
        tail = [(dtype, sa), (dtype, sa)]
        if not self.return_eigenvalues:
            return mats + tail
        return [*mats, (_complex_of(dtype), sa[:1]), (dtype, sa[:1]), *tail]

    def core(self, a: np.ndarray, b: np.ndarray) -> tuple:
        def work(x: np.ndarray) -> np.ndarray:
            if self.complex_output and not np.iscomplexobj(x):
                return x.astype(np.complex64 if x.dtype == np.float32 else np.complex128)
            return x

        wa, wb = work(a), work(b)
        (gges,) = scipy.linalg.get_lapack_funcs(("gges",), dtype=wa.dtype)
        kind = gges.typecode

        def none(alpha: Any, beta: Any) -> None:
            return None

        *_, w, _info = gges(none, wa, wb, lwork=-1, overwrite_a=False, overwrite_b=False, sort_t=0)
        aa, bb, _sdim, *ab, q, z, _w, info = gges(none, wa, wb, lwork=int(w[0].real), overwrite_a=False,
                                                  overwrite_b=False, sort_t=0)  # OP-LINALG-22
        n = wa.shape[0]

        def nan() -> tuple:
            mats = [np.full(wa.shape, np.nan), np.full(wb.shape, np.nan)]
            eig = [np.full((n,), np.nan), np.full((n,), np.nan)] if self.return_eigenvalues else []
            return (*mats, *eig, np.full(wa.shape, np.nan), np.full(wa.shape, np.nan))

        if info != 0:
            return nan()

        def pair(ab: list) -> tuple:
            if kind in "sd":
                alphar, alphai, beta = ab
                return alphar + (np.complex64(1j) if kind == "s" else 1j) * alphai, beta
            return tuple(ab)

        alpha = beta = None
        if self.sort is not None or self.return_eigenvalues:
            alpha, beta = pair(ab)
        if self.sort is not None:
            select = _qz_select(self.sort)(alpha, beta)
            (tgsen,) = scipy.linalg.get_lapack_funcs(("tgsen",), (aa, bb))
            lwork = 4 * aa.shape[0] + 16 if kind in "sd" else 1
            aa, bb, *ab, q, z, _m, _pl, _pr, _dif, info = tgsen(select, aa, bb, q, z, ijob=0, lwork=lwork, liwork=1,
                                                               overwrite_a=False, overwrite_b=False)
            alpha, beta = pair(ab)
            if info != 0:
                return nan()
        if self.return_eigenvalues:
            return (aa, bb, alpha, beta, q, z)
        return (aa, bb, q, z)

    def pullback(self, node: Apply, output_grads: list) -> list:
        raise _no_grad("qz")


def qz(A: Any, B: Any, output: str = "real", sort: str | None = None,  # noqa: N803 - PyTensor's names
       return_eigenvalues: bool = False) -> list[TensorVariable]:
    """``[AA, BB, Q, Z]`` with ``A = Q AA Zᴴ``, ``B = Q BB Zᴴ``; ``[AA, BB, alpha, beta, Q,
    Z]`` with ``return_eigenvalues`` (OP-LINALG-22)."""
    _check_output(output, "OP-LINALG-22", "qz")
    _check_sort(sort, "OP-LINALG-22", "qz")
    return list(QZ(output == "complex", sort, return_eigenvalues)(A, B))


def ordqz(A: Any, B: Any, sort: str | None = None, output: str = "real") -> list[TensorVariable]:  # noqa: N803
    """``qz(A, B, output, sort, return_eigenvalues=True)`` (OP-LINALG-22)."""
    return qz(A, B, output=output, sort=sort, return_eigenvalues=True)
