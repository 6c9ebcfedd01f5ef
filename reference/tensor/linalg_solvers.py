"""Constructors and solvers of ``pt.linalg``: ``block_diag``, ``trace``, ``lstsq``,
``tensorinv``, ``tensorsolve`` and the matrix-equation solvers ``solve_sylvester``,
``solve_continuous_lyapunov``, ``solve_discrete_lyapunov``, ``solve_discrete_are``, and
the tridiagonal LU pair.  Spec: spec/2-ops.rst, "Linear algebra" (OP-LINALG-20,
OP-LINALG-21, OP-LINALG-23 … OP-LINALG-25), and spec/4-gradients.rst (GRAD-OP-8).

``lstsq``, ``tensorinv`` and ``tensorsolve`` are single numpy calls on whole arrays (no batch
axes), as in PyTensor; the others are batched (OP-LINALG-1).
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np
import scipy.linalg

from reference.errors import SpecNotImplementedError, SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import TensorType
from reference.tensor.linalg import LinalgOp, SolveTriangular, _mT, lapack_dtype, solve
from reference.tensor.linalg_decompositions import _H, LU, QR, QZ, Schur
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = [
    "block_diag",
    "lstsq",
    "solve_continuous_lyapunov",
    "solve_discrete_are",
    "solve_discrete_lyapunov",
    "solve_sylvester",
    "tensorinv",
    "tensorsolve",
    "trace",
    "tridiagonal_lu_factor",
    "tridiagonal_lu_solve",
]


def _no_grad(name: str) -> SpecNotImplementedError:
    return SpecNotImplementedError("GRAD-OP-8", f"{name} has no gradient (PyTensor defines none)")


def _unbroadcast(g: Any, x: Any) -> Any:
    """``g`` summed over the batch axes along which ``x`` was broadcast (GRAD-OP-8)."""
    lead = g.ndim - x.ndim
    if lead:
        g = g.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, (n, m) in enumerate(zip(x.type.shape, g.type.shape, strict=True)) if n == 1 and m != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


# -- block_diag, trace -------------------------------------------------------------------
class BlockDiagonal(LinalgOp):
    """``scipy.linalg.block_diag(*matrices)`` (OP-LINALG-21)."""

    __props__ = ("n_inputs",)
    rule = "OP-LINALG-21"

    def __init__(self, n_inputs: int) -> None:
        self.n_inputs = n_inputs
        self.arg_names = tuple(f"matrices[{i}]" for i in range(n_inputs))
        self.square = (False,) * n_inputs

    def core_ndims(self) -> tuple[int, ...]:
        return (2,) * self.n_inputs

    def core_outputs(self, inputs: list) -> list:
        dtype = functools.reduce(np.promote_types, [x.dtype for x in inputs]).name
        shapes = [x.type.shape[-2:] for x in inputs]
        out = tuple(None if any(s[i] is None for s in shapes) else sum(s[i] for s in shapes) for i in (0, 1))
        return [(dtype, out)]

    def core(self, *arrays: np.ndarray) -> tuple:
        return (scipy.linalg.block_diag(*arrays),)  # OP-LINALG-21

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Each input's block of the cotangent (GRAD-OP-8)."""
        (g,) = output_grads
        grads, r, c = [], 0, 0
        for x in node.inputs:
            r1, c1 = r + x.shape[-2], c + x.shape[-1]
            grads.append(_unbroadcast(g[..., r:r1, c:c1], x))
            r, c = r1, c1
        return grads


def block_diag(*matrices: Any) -> TensorVariable:
    """The block-diagonal matrix of the inputs' core matrices (OP-LINALG-21); one input is
    returned as it is."""
    if len(matrices) == 0:
        raise SpecValueError("OP-LINALG-21", "block_diag: needs at least one matrix")
    if len(matrices) == 1:
        return matrices[0]
    return BlockDiagonal(len(matrices))(*matrices)


def trace(X: Any) -> TensorVariable:  # noqa: N803 - PyTensor's name
    """``diagonal(X).sum()`` (axes 0 and 1), with PyTensor's ``FutureWarning`` that
    ``pt.trace`` replaces it (OP-LINALG-21)."""
    from reference.tensor.extra_ops import diagonal

    warnings.warn("pytensor.tensor.linalg.trace is deprecated. Use pytensor.tensor.trace instead.",
                  FutureWarning, stacklevel=2)
    return diagonal(X).sum()


# -- lstsq, tensorinv, tensorsolve --------------------------------------------------------
def _numpy_result_dtype(*dtypes: str) -> str:
    """The upcast of the dtypes, ``float64`` when that is not a float or complex dtype: the
    dtype of numpy's ``linalg`` results (OP-LINALG-20)."""
    dt = np.result_type(*dtypes)
    return dt.name if dt.kind in "fc" else "float64"


class Lstsq(Op):
    """``np.linalg.lstsq(a, b, rcond)`` on whole arrays (OP-LINALG-20)."""

    __props__ = ()

    def make_node(self, a: Any, b: Any, rcond: Any) -> Apply:
        a, b, rcond = (as_tensor_variable(v) for v in (a, b, rcond))
        if a.ndim != 2:
            raise SpecValueError("OP-LINALG-20", f"lstsq: a must be a matrix, got {a.type}")
        if b.ndim not in (1, 2):
            raise SpecValueError("OP-LINALG-20", f"lstsq: b must be a vector or a matrix, got {b.type}")
        if rcond.ndim != 0:
            raise SpecValueError("OP-LINALG-20", f"lstsq: rcond must be a scalar, got {rcond.type}")
        outs = [TensorType("float64", (None,) * b.ndim), TensorType("float64", (None,)), TensorType("int32", ()),
                TensorType("float64", (None,))]
        return Apply(self, [a, b, rcond], outs)

    def perform(self, node: Apply, a: np.ndarray, b: np.ndarray, rcond: np.ndarray) -> tuple:
        values = np.linalg.lstsq(a, b, rcond)  # OP-LINALG-20
        return tuple(np.asarray(v).astype(o.dtype, copy=False) for v, o in zip(values, node.outputs, strict=True))

    def pullback(self, node: Apply, output_grads: list) -> list:
        raise _no_grad("lstsq")


_lstsq = Lstsq()


def lstsq(a: Any, b: Any, rcond: Any) -> list[TensorVariable]:
    """``[x, residuals, rank, s]`` of ``np.linalg.lstsq(a, b, rcond)`` (OP-LINALG-20)."""
    return list(_lstsq(a, b, rcond))


class TensorInv(Op):
    """``np.linalg.tensorinv(a, ind)`` (OP-LINALG-20)."""

    __props__ = ("ind",)

    def __init__(self, ind: int = 2) -> None:
        self.ind = ind

    def make_node(self, a: Any) -> Apply:
        a = as_tensor_variable(a)
        shape = a.type.shape[self.ind:] + a.type.shape[: self.ind]
        return Apply(self, [a], [TensorType(_numpy_result_dtype(a.dtype), shape)])

    def perform(self, node: Apply, a: np.ndarray) -> np.ndarray:
        return np.asarray(np.linalg.tensorinv(a, self.ind)).astype(node.outputs[0].dtype, copy=False)  # OP-LINALG-20

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        s = tuple(shapes[0])
        return [s[self.ind:] + s[: self.ind]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        raise _no_grad("tensorinv")


def tensorinv(a: Any, ind: int = 2) -> TensorVariable:
    """The inverse of ``a`` for ``tensordot(·, ·, ind)`` (OP-LINALG-20)."""
    if not isinstance(ind, int | np.integer) or isinstance(ind, bool) or ind <= 0:
        raise SpecValueError("OP-LINALG-20", f"tensorinv: ind must be a positive int, got {ind!r}")
    return TensorInv(int(ind))(a)


class TensorSolve(Op):
    """``np.linalg.tensorsolve(a, b, axes)`` (OP-LINALG-20)."""

    __props__ = ("axes",)

    def __init__(self, axes: tuple[int, ...] | None = None) -> None:
        self.axes = axes

    def make_node(self, a: Any, b: Any) -> Apply:
        a, b = as_tensor_variable(a), as_tensor_variable(b)
        if a.ndim < b.ndim:
            raise SpecValueError("OP-LINALG-20", f"tensorsolve: a ({a.type}) must have at least b's ({b.type}) axes")
        out = TensorType(_numpy_result_dtype(a.dtype, b.dtype), (None,) * (a.ndim - b.ndim))
        return Apply(self, [a, b], [out])

    def perform(self, node: Apply, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        x = np.linalg.tensorsolve(a, b, self.axes)  # OP-LINALG-20
        return np.asarray(x).astype(node.outputs[0].dtype, copy=False)

    def pullback(self, node: Apply, output_grads: list) -> list:
        raise _no_grad("tensorsolve")


def tensorsolve(a: Any, b: Any, axes: Any = None) -> TensorVariable:
    """``x`` with ``tensordot(a, x, x.ndim) = b`` (OP-LINALG-20)."""
    if axes is not None:
        try:
            axes = tuple(int(i) for i in axes)
        except TypeError:
            raise SpecTypeError("OP-LINALG-20", f"tensorsolve: axes must be None or a sequence of ints, got {axes!r}") from None
    return TensorSolve(axes)(a, b)


# -- Sylvester and Lyapunov ---------------------------------------------------------------
def _trsyl(r: np.ndarray, s: np.ndarray, f: np.ndarray) -> np.ndarray:
    """LAPACK ``trsyl`` on Schur forms, scaled by the ``scale`` it returns; NaN when it
    reports a bad argument (OP-LINALG-23)."""
    (trsyl,) = scipy.linalg.get_lapack_funcs(("trsyl",), (r, s, f))
    y, scale, info = trsyl(r, s, f, overwrite_c=False)
    if info < 0:
        return np.full_like(f, np.nan, dtype=y.dtype)
    y *= scale
    return y


class SolveSylvester(LinalgOp):
    """``X`` with ``A X + X B = Q`` by Bartels-Stewart: real Schur forms ``A = U R Uᴴ``,
    ``B = V S Vᴴ`` (``gees``), ``trsyl`` on ``Uᴴ Q V``, then ``U Y Vᴴ`` (OP-LINALG-23)."""

    rule = "OP-LINALG-23"
    arg_names = ("A", "B", "Q")
    square = (True, True, False)

    def core_ndims(self) -> tuple[int, ...]:
        return (2, 2, 2)

    def core_outputs(self, inputs: list) -> list:
        a, b, q = inputs
        dtype = np.result_type(lapack_dtype(a.dtype), lapack_dtype(b.dtype), q.dtype).name
        m = next((s for s in (a.type.shape[-1], a.type.shape[-2], q.type.shape[-2]) if s is not None), None)
        n = next((s for s in (b.type.shape[-1], b.type.shape[-2], q.type.shape[-1]) if s is not None), None)
        return [(dtype, (m, n))]

    def core(self, a: np.ndarray, b: np.ndarray, q: np.ndarray) -> tuple:
        if a.shape[0] != q.shape[0] or b.shape[0] != q.shape[1]:
            raise SpecValueError(self.rule, f"solve_sylvester: shapes of A {a.shape}, B {b.shape} and Q {q.shape} do not match")
        schur = Schur("real")
        r, u = schur.core(a)
        s, v = schur.core(b)
        f = u.conj().T @ q @ v  # OP-LINALG-23
        return (u @ _trsyl(r, s, f) @ v.conj().T,)

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Kao and Hennequin (2020): ``S = solve_sylvester(Aᴴ, Bᴴ, -X̄)``, ``Ā = S Xᴴ``,
        ``B̄ = Xᴴ S``, ``Q̄ = -S`` (GRAD-OP-8)."""
        a, b, q = node.inputs
        (x,) = node.outputs
        (g,) = output_grads
        s = solve_sylvester(_H(a), _H(b), -g)
        return [_unbroadcast(s @ _H(x), a), _unbroadcast(_H(x) @ s, b), _unbroadcast(-s, q)]


_solve_sylvester = SolveSylvester()


def solve_sylvester(A: Any, B: Any, Q: Any) -> TensorVariable:  # noqa: N803 - PyTensor's names
    """``X`` with ``A X + X B = Q`` (OP-LINALG-23)."""
    return _solve_sylvester(A, B, Q)


def solve_continuous_lyapunov(A: Any, Q: Any) -> TensorVariable:  # noqa: N803 - PyTensor's names
    """``X`` with ``A X + X Aᴴ = Q``: ``solve_sylvester(A, Aᴴ, Q)`` (OP-LINALG-23)."""
    A = as_tensor_variable(A)  # noqa: N806
    return solve_sylvester(A, _H(A), Q)


def solve_discrete_lyapunov(A: Any, Q: Any, method: str = "bilinear") -> TensorVariable:  # noqa: N803
    """``X`` with ``A X Aᴴ - X + Q = 0``, composed as PyTensor builds it (OP-LINALG-23):
    ``"direct"`` solves the vectorised system ``(I - A ⊗ conj(A)) vec(X) = vec(Q)``;
    ``"bilinear"`` maps it to a continuous Lyapunov equation."""
    from reference.tensor.basic import eye
    from reference.tensor.math import conj
    from reference.tensor.shape import expand_dims

    if method not in ("direct", "bilinear"):
        raise SpecValueError("OP-LINALG-23", f"solve_discrete_lyapunov: method must be 'direct' or 'bilinear', got {method!r}")
    A, Q = as_tensor_variable(A), as_tensor_variable(Q)  # noqa: N806
    if A.ndim < 2 or Q.ndim < 2:
        raise SpecValueError("OP-LINALG-23", f"solve_discrete_lyapunov: A and Q must be matrices, got {A.type} and {Q.type}")
    if method == "direct":
        ac = conj(A) if A.dtype.startswith("complex") else A
        nd = A.ndim
        outer = expand_dims(A, (nd - 1, nd + 1)) * expand_dims(ac, (nd - 2, nd))  # [..., i, k, j, l]
        batch = tuple(A.shape[i] for i in range(nd - 2))
        nn = A.shape[-1] * A.shape[-1]
        axa = outer.reshape((*batch, nn, nn), ndim=nd)
        qb = tuple(Q.shape[i] for i in range(Q.ndim - 2))
        vec_q = Q.reshape((*qb, Q.shape[-2] * Q.shape[-1]), ndim=Q.ndim - 1)
        vec_x = solve(eye(nn) - axa, vec_q, b_ndim=1)
        return vec_x.reshape(tuple(A.shape[i] for i in range(nd)), ndim=nd)
    ident = eye(A.shape[-2])
    b1, b2 = _H(A) + ident, _H(A) - ident
    bb = _mT(solve(_mT(b1), _mT(b2)))
    c = 2 * _mT(solve(_mT(b1), _mT(solve(A + ident, Q))))
    return solve_continuous_lyapunov(_H(bb), -c)


# -- discrete algebraic Riccati -------------------------------------------------------------
class SolveDiscreteARE(LinalgOp):
    """The stabilising ``X`` of ``AᵀXA - X - (AᵀXB)(R + BᵀXB)⁻¹(BᵀXA) + Q = 0`` by the
    ordered QZ decomposition of the extended symplectic pencil (OP-LINALG-24)."""

    rule = "OP-LINALG-24"
    arg_names = ("A", "B", "Q", "R")
    square = (True, False, True, True)

    def core_ndims(self) -> tuple[int, ...]:
        return (2, 2, 2, 2)

    def core_outputs(self, inputs: list) -> list:
        a = inputs[0]
        m = next((s for s in a.type.shape[-2:] if s is not None), None)
        return [(lapack_dtype(*(v.dtype for v in inputs)), (m, m))]

    def core(self, a: np.ndarray, b: np.ndarray, q: np.ndarray, r: np.ndarray) -> tuple:
        is_complex = any(np.iscomplexobj(v) for v in (a, b, q, r))
        m, n = b.shape
        dtype = np.result_type(a.dtype, b.dtype, q.dtype, r.dtype)
        h = np.zeros((2 * m + n, 2 * m + n), dtype=dtype)
        h[:m, :m], h[:m, 2 * m:], h[m:2 * m, :m], h[m:2 * m, m:2 * m], h[2 * m:, 2 * m:] = a, b, -q, np.eye(m), r
        j = np.zeros((2 * m + n, 2 * m + n), dtype=dtype)
        j[:m, :m], j[m:2 * m, m:2 * m], j[2 * m:, m:2 * m] = np.eye(m), a.conj().T, -b.conj().T
        qq, _ = QR("full").core(h[:, -n:])  # OP-LINALG-24
        left = qq[:, n:].conj().T
        h, j = left @ h[:, : 2 * m], left @ j[:, : 2 * m]
        *_, u = QZ(is_complex, "iuc").core(h, j)
        u00, u10 = u[:m, :m], u[m:, :m]
        up, ul, uu = LU().core(u00)
        inner = SolveTriangular(lower=True, b_ndim=2).core(uu.conj().T, u10.conj().T)[0]
        lhs = SolveTriangular(lower=False, unit_diagonal=True, b_ndim=2).core(ul.conj().T, inner)[0]
        x = lhs.conj().T @ up.conj().T
        u_sym = u00.conj().T @ u10
        threshold = max(np.spacing(1000.0), 0.1 * np.abs(u_sym).sum(axis=0).max())
        asym = u_sym - u_sym.conj().T
        if np.abs(asym).sum(axis=0).max() > threshold:  # not symmetric: no stabilising solution
            return (np.full_like(x, np.nan),)
        return (0.5 * (x + x.conj().T),)

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Kao and Hennequin (2020), GRAD-OP-8: with ``K = (R + BᵀXB)⁻¹ BᵀXA``,
        ``Ã = A - BK`` and ``S = solve_discrete_lyapunov(Ã, (X̄ + X̄ᵀ)/2)``: ``Ā = 2XÃS``,
        ``B̄ = -2XÃSKᵀ``, ``Q̄ = S``, ``R̄ = KSKᵀ``."""
        a, b, q, r = node.inputs
        (x,) = node.outputs
        (g,) = output_grads
        k = solve(r + _mT(b) @ x @ b, _mT(b), assume_a="sym") @ x @ a
        a_t = a - b @ k
        s = solve_discrete_lyapunov(a_t, 0.5 * (g + _mT(g)))
        grads = [2 * x @ a_t @ s, -2 * x @ a_t @ s @ _mT(k), s, k @ s @ _mT(k)]
        return [_unbroadcast(gi, v) for gi, v in zip(grads, node.inputs, strict=True)]


_solve_discrete_are = SolveDiscreteARE()


def solve_discrete_are(A: Any, B: Any, Q: Any, R: Any) -> TensorVariable:  # noqa: N803 - PyTensor's names
    """The stabilising solution of the discrete algebraic Riccati equation; NaN when the
    computed solution is not symmetric (OP-LINALG-24)."""
    return _solve_discrete_are(A, B, Q, R)


# -- tridiagonal LU ----------------------------------------------------------------------
def _lapack_dtype_of(name: str, dtypes: list[str]) -> str:
    """The dtype of the LAPACK routine ``name`` for arrays of these dtypes (OP-LINALG-25)."""
    return scipy.linalg.get_lapack_funcs(name, [np.zeros((), dtype=d) for d in dtypes]).dtype.name


class LUFactorTridiagonal(LinalgOp):
    """LAPACK ``gttrf`` on the three diagonals (OP-LINALG-25)."""

    rule = "OP-LINALG-25"
    arg_names = ("dl", "d", "du")
    square = (False, False, False)

    def core_ndims(self) -> tuple[int, ...]:
        return (1, 1, 1)

    def core_outputs(self, inputs: list) -> list:
        lengths = [inputs[0].type.shape[-1], inputs[1].type.shape[-1], inputs[2].type.shape[-1]]
        n = next((s + (0 if i == 1 else 1) for i, s in enumerate(lengths) if s is not None), None)
        dtype = _lapack_dtype_of("gttrf", [v.dtype for v in inputs])

        def less(k: int) -> tuple:
            return (None if n is None else n - k,)

        return [(dtype, less(1)), (dtype, (n,)), (dtype, less(1)), (dtype, less(2)), ("int32", (n,))]

    def core(self, dl: np.ndarray, d: np.ndarray, du: np.ndarray) -> tuple:
        dtype = _lapack_dtype_of("gttrf", [dl.dtype, d.dtype, du.dtype])
        gttrf = scipy.linalg.get_lapack_funcs("gttrf", dtype=dtype)
        return tuple(gttrf(dl, d, du)[:5])  # OP-LINALG-25

    def pullback(self, node: Apply, output_grads: list) -> list:
        raise _no_grad("tridiagonal_lu_factor")


class SolveLUFactorTridiagonal(LinalgOp):
    """LAPACK ``gttrs`` with the factors of ``gttrf`` (OP-LINALG-25)."""

    __props__ = ("b_ndim", "transposed")
    rule = "OP-LINALG-25"
    arg_names = ("dl", "d", "du", "du2", "ipiv", "b")
    square = (False,) * 6

    def __init__(self, b_ndim: int, transposed: bool = False) -> None:
        self.b_ndim, self.transposed = b_ndim, bool(transposed)

    def core_ndims(self) -> tuple[int, ...]:
        return (1, 1, 1, 1, 1, self.b_ndim)

    def core_outputs(self, inputs: list) -> list:
        b = inputs[5]
        dtype = _lapack_dtype_of("gttrs", [inputs[i].dtype for i in (0, 1, 2, 3, 5)])
        return [(dtype, b.type.shape[b.ndim - self.b_ndim:])]

    def core(self, dl: np.ndarray, d: np.ndarray, du: np.ndarray, du2: np.ndarray, ipiv: np.ndarray,
             b: np.ndarray) -> tuple:
        dtype = _lapack_dtype_of("gttrs", [dl.dtype, d.dtype, du.dtype, du2.dtype, b.dtype])
        gttrs = scipy.linalg.get_lapack_funcs("gttrs", dtype=dtype)
        x, _info = gttrs(dl, d, du, du2, ipiv, b, trans="T" if self.transposed else "N")  # OP-LINALG-25
        return (x,)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        b_shape = tuple(shapes[5])
        batch = np.broadcast_shapes(*(tuple(s[:-1]) for s in shapes[:5]), b_shape[: len(b_shape) - self.b_ndim])
        return [batch + b_shape[len(b_shape) - self.b_ndim:]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        raise _no_grad("tridiagonal_lu_solve")


def tridiagonal_lu_factor(a: Any) -> list[TensorVariable]:
    """``[dl, d, du, du2, ipiv]``: ``gttrf`` of the sub-, main and super-diagonal of ``a``
    (OP-LINALG-25)."""
    from reference.tensor.extra_ops import diagonal

    a = as_tensor_variable(a)
    if a.ndim < 2:
        raise SpecValueError("OP-LINALG-25", f"tridiagonal_lu_factor: a must be a matrix (or a stack of them), got {a.type}")
    dl, d, du = (diagonal(a, offset=k, axis1=-2, axis2=-1) for k in (-1, 0, 1))
    return list(LUFactorTridiagonal()(dl, d, du))


def tridiagonal_lu_solve(a_diagonals: tuple[Any, Any, Any, Any, Any], b: Any, *, b_ndim: int,
                         transposed: bool = False) -> TensorVariable:
    """``x`` with ``a x = b`` (``aᵀ x = b`` when ``transposed``) from
    ``tridiagonal_lu_factor(a)`` (OP-LINALG-25)."""
    if b_ndim not in (1, 2):
        raise SpecValueError("OP-LINALG-25", f"tridiagonal_lu_solve: b_ndim must be 1 or 2, got {b_ndim!r}")
    return SolveLUFactorTridiagonal(b_ndim, transposed)(*a_diagonals, b)

