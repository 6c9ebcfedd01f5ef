"""Linear algebra: ``pt.linalg``.  Spec: spec/2-ops.rst, "Linear algebra" (OP-LINALG-*), and
spec/4-gradients.rst (GRAD-OP-7).

Each op works on the last one or two axes of its inputs (its *core* axes); any axes before
them are batch axes, broadcast between the inputs, and the core function is called once per
batch entry (OP-LINALG-1).  The core function is the numpy, scipy or LAPACK call that
defines the value, so results are those of that call bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.linalg

from reference.errors import SpecNotImplementedError, SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import TensorType
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = [
    "cho_solve",
    "cholesky",
    "det",
    "eig",
    "eigh",
    "eigvalsh",
    "expm",
    "inv",
    "kron",
    "matrix_dot",
    "matrix_inverse",
    "matrix_power",
    "norm",
    "pinv",
    "slogdet",
    "solve",
    "solve_triangular",
    "svd",
]


# -- dtypes ------------------------------------------------------------------------------
def lapack_dtype(*dtypes: str) -> str:
    """The working dtype of a LAPACK routine for inputs of these dtypes (OP-LINALG-2): each
    input maps to float32 (bool, 1- and 2-byte integers, float16, float32), float64 (wider
    integers, float64 and wider floats), complex64 or complex128, and the results upcast."""

    def one(dt: np.dtype) -> np.dtype:
        if dt.kind == "c":
            return np.dtype("complex64" if dt.itemsize <= 8 else "complex128")
        wide = (dt.kind == "f" and dt.itemsize > 4) or (dt.kind in "biu" and dt.itemsize > 2)
        return np.dtype("float64" if wide else "float32")

    return np.result_type(*(one(np.dtype(d)) for d in dtypes)).name


def real_dtype(*dtypes: str) -> str:
    """:func:`lapack_dtype`, complex mapped to the float of the same precision (OP-LINALG-2)."""
    dt = np.dtype(lapack_dtype(*dtypes))
    return np.finfo(dt).dtype.name if dt.kind == "c" else dt.name


def _mT(x: Any) -> TensorVariable:  # noqa: N802 - PyTensor's name
    """``x`` with its last two axes swapped."""
    x = as_tensor_variable(x)
    order = [*range(x.ndim - 2), x.ndim - 1, x.ndim - 2]
    return x.dimshuffle(*order)


# -- the batched op ----------------------------------------------------------------------
class LinalgOp(Op):
    """An op on the core axes of its inputs, batched over the leading axes (OP-LINALG-1).

    Subclasses set ``rule`` (the id of their spec rule), ``arg_names``, and define
    ``core_ndims()`` (the core ndim of each input), ``core_outputs(inputs)`` (the dtype and
    static core shape of each output) and ``core(*arrays)`` (the value for one batch entry).
    ``stacked = True`` passes the whole stack to ``core`` at once (the numpy function
    broadcasts itself), as PyTensor does for ``inv`` and ``det``.
    """

    rule = "OP-LINALG-1"
    arg_names: tuple[str, ...] = ("x",)
    square: tuple[bool, ...] = (True,)
    stacked = False

    def core_ndims(self) -> tuple[int, ...]:
        return (2,)

    def core_outputs(self, inputs: list[TensorVariable]) -> list[tuple[str, tuple]]:
        raise NotImplementedError

    def core(self, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
        raise NotImplementedError

    def __str__(self) -> str:
        return type(self).__name__ if not self.__props__ else super().__str__()

    def make_node(self, *inputs: Any) -> Apply:
        """OP-LINALG-1: each input has at least its core ndim; square core matrices must
        not have two different known lengths; batch axes broadcast."""
        from reference.tensor.elemwise import broadcast_static_shapes

        inputs = [as_tensor_variable(x) for x in inputs]
        name = type(self).__name__
        batch_shapes = []
        for x, k, arg, sq in zip(inputs, self.core_ndims(), self.arg_names, self.square, strict=True):
            if x.ndim < k:
                kind = "a matrix" if k == 2 else "a vector"
                raise SpecValueError(self.rule, f"{name}: {arg} must be {kind} (or a stack of them), got {x.type}")
            if sq and k == 2:
                m, n = x.type.shape[-2:]
                if m is not None and n is not None and m != n:
                    raise SpecValueError(self.rule, f"{name}: {arg} must be square, got static shape {x.type.shape}")
            batch_shapes.append(x.type.shape[: x.ndim - k])
        batch = broadcast_static_shapes(batch_shapes, self) if len(inputs) > 1 else batch_shapes[0]
        outputs = [TensorType(dtype, (*batch, *shape)) for dtype, shape in self.core_outputs(inputs)]
        return Apply(self, inputs, outputs)

    def check_core(self, *arrays: np.ndarray) -> None:
        """Runtime checks of the core shapes (OP-LINALG-1): square where required."""
        for a, arg, sq, k in zip(arrays, self.arg_names, self.square, self.core_ndims(), strict=True):
            if sq and k == 2 and a.shape[-1] != a.shape[-2]:
                raise SpecValueError(self.rule, f"{type(self).__name__}: {arg} must be square, got shape {a.shape[-2:]}")

    def perform(self, node: Apply, *arrays: np.ndarray) -> Any:
        """OP-LINALG-1: call ``core`` once per batch entry (or once on the stack when
        ``stacked``), and cast each result to its output's dtype."""
        ks = self.core_ndims()
        self.check_core(*arrays)
        batch_nd = node.outputs[0].ndim - self._out_core_ndim(node, 0)
        if batch_nd == 0 or self.stacked:
            results = self.core(*arrays)
        else:
            try:
                batch = np.broadcast_shapes(*(a.shape[: a.ndim - k] for a, k in zip(arrays, ks, strict=True)))
            except ValueError:
                shapes = [a.shape for a in arrays]
                raise SpecValueError(self.rule, f"{type(self).__name__}: batch axes do not broadcast: {shapes}") from None
            arrays = tuple(np.broadcast_to(a, batch + a.shape[a.ndim - k:]) for a, k in zip(arrays, ks, strict=True))
            results = None
            for index in np.ndindex(*batch):
                parts = self.core(*(a[index] for a in arrays))
                if results is None:
                    results = [np.empty(batch + np.shape(p), dtype=np.asarray(p).dtype) for p in parts]
                for out, p in zip(results, parts, strict=True):
                    out[index] = p
            if results is None:
                raise SpecNotImplementedError(self.rule, f"{type(self).__name__}: a batch of zero entries")
        values = [np.asarray(r).astype(o.dtype, copy=False) for r, o in zip(results, node.outputs, strict=True)]
        return values[0] if len(values) == 1 else tuple(values)

    def _out_core_ndim(self, node: Apply, i: int) -> int:
        return len(self.core_outputs(list(node.inputs))[i][1])

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        """The batch shape broadcast from the inputs', the core shapes from one call of
        ``core`` on identity matrices (square inputs) or zeros of the core shapes."""
        ks = self.core_ndims()
        batch = np.broadcast_shapes(*(tuple(s[: len(s) - k]) for s, k in zip(shapes, ks, strict=True)))
        dummies = []
        for s, k, sq, v in zip(shapes, ks, self.square, node.inputs, strict=True):
            core = tuple(s[len(s) - k:])
            dummy = np.eye(core[0], dtype=v.dtype) if sq and k == 2 else np.zeros(core, dtype=v.dtype)
            dummies.append(dummy)
        outs = self.core(*dummies)
        return [batch + np.shape(o) for o in outs]


# -- inverse, determinant ----------------------------------------------------------------
class MatrixInverse(LinalgOp):
    """``np.linalg.inv`` (OP-LINALG-3)."""

    rule = "OP-LINALG-3"
    stacked = True

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        m, n = x.type.shape[-2:]
        m = m if m is not None else n
        return [(lapack_dtype(x.dtype), (m, m))]

    def core(self, x: np.ndarray) -> tuple:
        return (np.linalg.inv(x),)  # OP-LINALG-3

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``-(X⁻¹ᵀ · gz · X⁻¹ᵀ)`` (GRAD-OP-7)."""
        (xi,) = node.outputs
        (gz,) = output_grads
        xit = _mT(xi)
        return [-(xit @ gz @ xit)]


class Det(LinalgOp):
    """``np.linalg.det`` (OP-LINALG-4)."""

    rule = "OP-LINALG-4"
    stacked = True

    def core_outputs(self, inputs: list) -> list:
        return [(lapack_dtype(inputs[0].dtype), ())]

    def core(self, x: np.ndarray) -> tuple:
        return (np.linalg.det(x),)  # OP-LINALG-4

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``gz · det(X) · X⁻¹ᵀ`` (GRAD-OP-7)."""
        (x,) = node.inputs
        (gz,) = output_grads
        scale = (gz * node.outputs[0]).dimshuffle(*range(gz.ndim), "x", "x")
        return [scale * _mT(inv(x))]


# -- solvers -----------------------------------------------------------------------------
def _b_ndim(b: Any, b_ndim: int | None, rule: str) -> int:
    if b_ndim is None:
        b = as_tensor_variable(b)
        if b.ndim == 0:
            raise SpecValueError("OP-LINALG-1", f"b must be a vector or a matrix (or a stack of them), got {b.type}")
        return min(b.ndim, 2)
    if b_ndim not in (1, 2):
        raise SpecValueError(rule, f"b_ndim must be 1 or 2, got {b_ndim!r}")
    return b_ndim


class _Solver(LinalgOp):
    """``x`` with ``A x = b`` for a core ``b`` of ``b_ndim`` axes (OP-LINALG-5)."""

    arg_names = ("a", "b")
    square = (True, False)

    def core_ndims(self) -> tuple[int, ...]:
        return (2, self.b_ndim)

    def core_outputs(self, inputs: list) -> list:
        a, b = inputs
        if b.ndim >= 1:
            m_a, m_b = a.type.shape[-1], b.type.shape[b.ndim - self.b_ndim]
            if m_a is not None and m_b is not None and m_a != m_b:
                raise SpecValueError(self.rule, f"{type(self).__name__}: a {a.type} and b {b.type} do not match")
        return [(lapack_dtype(a.dtype, b.dtype), b.type.shape[b.ndim - self.b_ndim:])]

    def check_core(self, a: np.ndarray, b: np.ndarray) -> None:
        super().check_core(a, b)
        if a.shape[-1] != b.shape[b.ndim - self.b_ndim]:
            raise SpecValueError(self.rule, f"{type(self).__name__}: shapes of a {a.shape} and b {b.shape} do not match")

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``gb = solve(Aᵀ, gx)``, ``gA = -gb · xᵀ`` (GRAD-OP-7)."""
        from reference.tensor.shape import expand_dims

        a, b = node.inputs
        (x,) = node.outputs
        (gx,) = output_grads
        gb = self.transposed_op()(_mT(a), gx)
        if self.b_ndim == 1:
            ga = -(expand_dims(gb, gb.ndim) * expand_dims(x, x.ndim - 1))
        else:
            ga = -(gb @ _mT(x))
        return [ga, gb]


class Solve(_Solver):
    """``scipy.linalg.solve`` (OP-LINALG-5)."""

    __props__ = ("assume_a", "lower", "b_ndim")
    rule = "OP-LINALG-5"

    def __init__(self, assume_a: str = "gen", lower: bool = False, b_ndim: int = 2) -> None:
        self.assume_a, self.lower, self.b_ndim = assume_a, bool(lower), b_ndim

    def core(self, a: np.ndarray, b: np.ndarray) -> tuple:
        try:  # OP-LINALG-5: a singular matrix gives NaN, not an error
            return (scipy.linalg.solve(a, b, lower=self.lower, check_finite=False, assume_a=self.assume_a),)
        except np.linalg.LinAlgError:
            return (np.full(b.shape, np.nan),)

    def transposed_op(self) -> Op:
        return Solve(self.assume_a, not self.lower, self.b_ndim)


_LAPACK_SOLVE = {"gen": "gen", "general": "gen", "sym": "sym", "symmetric": "sym", "her": "her",
                 "hermitian": "her", "pos": "pos", "positive definite": "pos",
                 "tridiagonal": "tridiagonal", "banded": "banded"}


class SolveTriangular(_Solver):
    """LAPACK ``trtrs``, as ``scipy.linalg.solve_triangular`` calls it (OP-LINALG-6)."""

    __props__ = ("lower", "unit_diagonal", "b_ndim")
    rule = "OP-LINALG-6"

    def __init__(self, lower: bool = False, unit_diagonal: bool = False, b_ndim: int = 2) -> None:
        self.lower, self.unit_diagonal, self.b_ndim = bool(lower), bool(unit_diagonal), b_ndim

    def core(self, a: np.ndarray, b: np.ndarray) -> tuple:
        (trtrs,) = scipy.linalg.get_lapack_funcs(("trtrs",), (a, b))
        if b.size == 0:
            return (np.empty_like(b, dtype=trtrs.dtype),)
        if a.flags["F_CONTIGUOUS"]:  # OP-LINALG-6
            x, info = trtrs(a, b, lower=self.lower, trans=0, unitdiag=self.unit_diagonal)
        else:  # the row-major matrix read as its transpose
            x, info = trtrs(a.T, b, lower=not self.lower, trans=1, unitdiag=self.unit_diagonal)
        if info != 0:
            x[...] = np.nan
        return (x,)

    def transposed_op(self) -> Op:
        return SolveTriangular(not self.lower, self.unit_diagonal, self.b_ndim)

    def pullback(self, node: Apply, output_grads: list) -> list:
        """As :class:`Solve`, ``gA`` kept to the triangle that is read (GRAD-OP-7)."""
        from reference.tensor.extra_ops import tril, triu

        ga, gb = super().pullback(node, output_grads)
        ga = tril(ga) if self.lower else triu(ga)
        if self.unit_diagonal:
            ga = tril(ga, -1) if self.lower else triu(ga, 1)
        return [ga, gb]


class CholeskySolve(_Solver):
    """LAPACK ``potrs``, as ``scipy.linalg.cho_solve`` calls it (OP-LINALG-8)."""

    __props__ = ("lower", "b_ndim")
    rule = "OP-LINALG-8"
    arg_names = ("c", "b")

    def __init__(self, lower: bool = True, b_ndim: int = 2) -> None:
        self.lower, self.b_ndim = bool(lower), b_ndim

    def core(self, c: np.ndarray, b: np.ndarray) -> tuple:
        (potrs,) = scipy.linalg.get_lapack_funcs(("potrs",), (c, b))
        if b.size == 0:
            return (np.empty_like(b, dtype=potrs.dtype),)
        x, info = potrs(c, b, lower=self.lower)  # OP-LINALG-8
        if info != 0:
            x[...] = np.nan
        return (x,)

    def transposed_op(self) -> Op:
        return CholeskySolve(not self.lower, self.b_ndim)  # cᵀ read from the other triangle

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``A = C Cᵀ`` (or ``Cᵀ C``): the solve's ``gA``, made symmetric, chained to the
        triangle of ``C`` (GRAD-OP-7)."""
        from reference.tensor.extra_ops import tril, triu

        c = node.inputs[0]
        ga, gb = super().pullback(node, output_grads)
        sym = ga + _mT(ga)
        return [tril(sym @ c) if self.lower else triu(c @ sym), gb]


# -- factorisations ----------------------------------------------------------------------
class Cholesky(LinalgOp):
    """LAPACK ``potrf`` with the other triangle zeroed (``scipy.linalg.cholesky``)
    (OP-LINALG-7)."""

    __props__ = ("lower", "on_error")
    rule = "OP-LINALG-7"

    def __init__(self, lower: bool = True, on_error: str = "nan") -> None:
        self.lower = bool(lower)
        self.on_error = on_error

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        return [(lapack_dtype(x.dtype), x.type.shape[-2:])]

    def core(self, x: np.ndarray) -> tuple:
        (potrf,) = scipy.linalg.get_lapack_funcs(("potrf",), (x,))
        if x.size == 0:
            return (np.empty_like(x, dtype=potrf.dtype),)
        c, info = potrf(x, lower=self.lower, clean=True)  # OP-LINALG-7
        if info != 0 and self.on_error == "raise":
            raise np.linalg.LinAlgError("[OP-LINALG-7] cholesky: the matrix is not positive definite")
        if info != 0:  # not positive definite: NaN, no error
            c[...] = np.nan
        return (c,)

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Murray (2016): with ``L`` lower, ``P = Φ(Lᵀ ḡ)`` (lower triangle, half
        diagonal), ``S = L⁻ᵀ P L⁻¹``, ``gX = Φ(S + Sᵀ)`` (GRAD-OP-7)."""
        from reference.tensor.extra_ops import diag, diagonal, tril, triu

        (gz,) = output_grads
        (c,) = node.outputs
        if c.ndim != 2:
            raise SpecNotImplementedError("GRAD-OP-7", "the gradient of a batched cholesky is not implemented")
        if not self.lower:
            c, gz = c.T, gz.T
        p = c.T @ gz
        p = tril(p) - diag(diagonal(p) / 2.0)
        up = SolveTriangular(lower=False, b_ndim=2)
        s = up(c.T, up(c.T, p.T).T)
        tri = tril if self.lower else triu
        return [tri(s + s.T) - diag(diagonal(s))]


def _square_size(x: Any) -> int | None:
    """The static size of a square matrix's axes: either axis's known length."""
    return x.type.shape[-1] if x.type.shape[-1] is not None else x.type.shape[-2]


class _Hermitian(LinalgOp):
    """An op on a symmetric matrix that reads one triangle, ``lower`` or upper (OP-LINALG-9)."""

    __props__ = ("lower",)
    rule = "OP-LINALG-9"

    def __init__(self, lower: bool = True) -> None:
        self.lower = bool(lower)


class Eigh(_Hermitian):
    """``scipy.linalg.eigh(a, lower=lower, driver='evr')`` (OP-LINALG-9)."""

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        m = _square_size(x)
        return [(real_dtype(x.dtype), (m,)), (lapack_dtype(x.dtype), (m, m))]

    def core(self, x: np.ndarray) -> tuple:
        return scipy.linalg.eigh(x, lower=self.lower, driver="evr")  # OP-LINALG-9

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``F_ij = 1/(w_j - w_i)`` off the diagonal, ``G = V (diag(gw) + F ∘ Vᵀ gV) Vᵀ``,
        folded onto the triangle that is read (GRAD-OP-7)."""
        from reference.tensor.basic import eye, zeros_like
        from reference.tensor.extra_ops import diag
        from reference.tensor.math import switch

        w, v = node.outputs
        if w.ndim != 1:
            raise SpecNotImplementedError("GRAD-OP-7", "the gradient of a batched eigh is not implemented")
        gw, gv = output_grads
        gw = zeros_like(w) if gw is None else gw
        inner = diag(gw)
        if gv is not None:
            diff = w.dimshuffle("x", 0) - w.dimshuffle(0, "x")
            f = switch(eye(w.shape[0], dtype="bool"), 0.0, 1.0 / diff)
            inner = inner + f * (v.T @ gv)
        return [_fold(v @ inner @ v.T, self.lower)]


class GeneralizedEigh(_Hermitian):
    """``scipy.linalg.eigh(a, b, lower=lower)``: ``a v = w b v`` with ``vᵀ b v = I``, ``b``
    positive definite (OP-LINALG-9)."""

    arg_names = ("a", "b")
    square = (True, True)

    def core_ndims(self) -> tuple[int, ...]:
        return (2, 2)

    def core_outputs(self, inputs: list) -> list:
        a, b = inputs
        m = _square_size(a)
        dtype = lapack_dtype(a.dtype, b.dtype)
        return [(real_dtype(dtype), (m,)), (dtype, (m, m))]

    def core(self, a: np.ndarray, b: np.ndarray) -> tuple:
        return scipy.linalg.eigh(a, b, lower=self.lower)  # OP-LINALG-9

    def pullback(self, node: Apply, output_grads: list) -> list:
        """With ``C = Vᵀ gV``, ``M = diag(gw) + F ∘ C``: ``gA = V M Vᵀ`` and
        ``gB = -V (M diag(w)) Vᵀ - ½ V diag(diag(C)) Vᵀ``, each folded onto the triangle
        that is read (GRAD-OP-7)."""
        from reference.tensor.basic import eye, zeros_like
        from reference.tensor.extra_ops import diag, diagonal
        from reference.tensor.math import switch

        w, v = node.outputs
        if w.ndim != 1:
            raise SpecNotImplementedError("GRAD-OP-7", "the gradient of a batched eigh is not implemented")
        gw, gv = output_grads
        gw = zeros_like(w) if gw is None else gw
        gv = zeros_like(v) if gv is None else gv
        diff = w.dimshuffle("x", 0) - w.dimshuffle(0, "x")
        f = switch(eye(w.shape[0], dtype="bool"), 0.0, 1.0 / diff)
        c = v.T @ gv
        inner = diag(gw) + f * c
        ga = v @ inner @ v.T
        gb = -(v @ (inner * w.dimshuffle("x", 0)) @ v.T) - 0.5 * (v @ diag(diagonal(c)) @ v.T)
        return [_fold(ga, self.lower), _fold(gb, self.lower)]


class GeneralizedEigvalsh(GeneralizedEigh):
    """``scipy.linalg.eigvalsh(a, b, lower=lower)`` (OP-LINALG-9)."""

    def core_outputs(self, inputs: list) -> list:
        return super().core_outputs(inputs)[:1]

    def core(self, a: np.ndarray, b: np.ndarray) -> tuple:
        return (scipy.linalg.eigvalsh(a, b, lower=self.lower),)  # OP-LINALG-9

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The pullback of :class:`GeneralizedEigh` with no eigenvector cotangent (GRAD-OP-7)."""
        w, v = GeneralizedEigh(self.lower)(*node.inputs)
        return GeneralizedEigh(self.lower).pullback(w.owner, [output_grads[0], None])


def _fold(g: Any, lower: bool) -> Any:
    """The gradient for an op that reads one triangle: the other triangle's entries added
    onto their mirror images (GRAD-OP-7)."""
    from reference.tensor.extra_ops import tril, triu

    return tril(g) + _mT(triu(g, 1)) if lower else triu(g) + _mT(tril(g, -1))


class Eigvalsh(_Hermitian):
    """``scipy.linalg.eigvalsh(a, lower=lower)`` (OP-LINALG-9)."""

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        m = _square_size(x)
        return [(real_dtype(x.dtype), (m,))]

    def core(self, x: np.ndarray) -> tuple:
        return (scipy.linalg.eigvalsh(x, lower=self.lower),)  # OP-LINALG-9

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``V diag(gw) Vᵀ`` folded onto the triangle that is read (GRAD-OP-7)."""
        from reference.tensor.extra_ops import diag

        (gw,) = output_grads
        if gw.ndim != 1:
            raise SpecNotImplementedError("GRAD-OP-7", "the gradient of a batched eigvalsh is not implemented")
        _, v = eigh(node.inputs[0], lower=self.lower)
        return [_fold(v @ diag(gw) @ v.T, self.lower)]


class Eig(LinalgOp):
    """``np.linalg.eig``, cast to complex (OP-LINALG-10)."""

    rule = "OP-LINALG-10"

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        m = _square_size(x)
        dtype = np.promote_types(lapack_dtype(x.dtype), np.complex64).name
        return [(dtype, (m,)), (dtype, (m, m))]

    def core(self, x: np.ndarray) -> tuple:
        return tuple(np.linalg.eig(x))  # OP-LINALG-10

    def pullback(self, node: Apply, output_grads: list) -> list:
        """None: the results are complex (GRAD-OP-7)."""
        raise SpecNotImplementedError("GRAD-OP-7", "eig has no gradient (its results are complex); use eigh for a symmetric matrix")


class SVD(LinalgOp):
    """``np.linalg.svd(x, full_matrices, compute_uv)`` (OP-LINALG-11)."""

    __props__ = ("full_matrices", "compute_uv")
    rule = "OP-LINALG-11"
    square = (False,)

    def __init__(self, full_matrices: bool = True, compute_uv: bool = True) -> None:
        self.full_matrices, self.compute_uv = bool(full_matrices), bool(compute_uv)

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        f, r = lapack_dtype(x.dtype), real_dtype(x.dtype)
        if not self.compute_uv:
            return [(r, (None,))]
        return [(f, (None, None)), (r, (None,)), (f, (None, None))]

    def core(self, x: np.ndarray) -> tuple:
        if not self.compute_uv:
            return (np.linalg.svd(x, self.full_matrices, False),)  # OP-LINALG-11
        return tuple(np.linalg.svd(x, self.full_matrices, True))

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Of the singular values only: ``U diag(gs) Vᵀ`` with the reduced ``U`` and ``Vᵀ``
        (GRAD-OP-7)."""
        (x,) = node.inputs
        if self.compute_uv:
            gu, gs, gvt = output_grads
            if gu is not None or gvt is not None:
                raise SpecNotImplementedError("GRAD-OP-7", "svd: the gradient through U and Vᵀ is not implemented")
        else:
            (gs,) = output_grads
        u, _, vt = svd(x, full_matrices=False, compute_uv=True)
        return [(u * gs.dimshuffle(*range(gs.ndim - 1), "x", gs.ndim - 1)) @ vt]


class MatrixPinv(LinalgOp):
    """``np.linalg.pinv(x, hermitian=hermitian)`` (OP-LINALG-12)."""

    __props__ = ("hermitian",)
    rule = "OP-LINALG-12"
    square = (False,)

    def __init__(self, hermitian: bool = False) -> None:
        self.hermitian = bool(hermitian)

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        return [(lapack_dtype(x.dtype), x.type.shape[::-1][:2])]

    def core(self, x: np.ndarray) -> tuple:
        return (np.linalg.pinv(x, hermitian=self.hermitian),)  # OP-LINALG-12

    def pullback(self, node: Apply, output_grads: list) -> list:
        """With ``Z = X⁺``: ``(-Z gᵀ Z + Z Zᵀ g (I - X Z) + (I - Z X) g Zᵀ Z)ᵀ`` (GRAD-OP-7)."""
        from reference.tensor.basic import eye

        (x,) = node.inputs
        (z,) = node.outputs
        (gz,) = output_grads
        if x.ndim != 2:
            raise SpecNotImplementedError("GRAD-OP-7", "the gradient of a batched pinv is not implemented")
        xz, zx = x @ z, z @ x
        g = (-z @ gz.T @ z + z @ z.T @ gz @ (eye(xz.shape[0]) - xz)
             + (eye(zx.shape[0]) - zx) @ gz @ z.T @ z)
        return [g.T]


class Expm(LinalgOp):
    """``scipy.linalg.expm`` (OP-LINALG-13)."""

    rule = "OP-LINALG-13"

    def core_outputs(self, inputs: list) -> list:
        (x,) = inputs
        return [(lapack_dtype(x.dtype), x.type.shape[-2:])]

    def core(self, x: np.ndarray) -> tuple:
        return (scipy.linalg.expm(x),)  # OP-LINALG-13

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The upper-right block of ``expm([[Aᵀ, G], [0, Aᵀ]])`` (GRAD-OP-7)."""
        from reference.tensor.basic import concatenate, zeros_like

        (a,) = node.inputs
        (g,) = output_grads
        at = _mT(a)
        n = a.shape[-1]
        aug = concatenate([concatenate([at, g], axis=-1), concatenate([zeros_like(at), at], axis=-1)], axis=-2)
        return [expm(aug)[..., :n, n:]]


# -- the functions -----------------------------------------------------------------------
_inv = MatrixInverse()
_det = Det()
_eig = Eig()
_expm = Expm()


def inv(x: Any) -> TensorVariable:
    """The inverse of a square matrix, ``np.linalg.inv`` (OP-LINALG-3)."""
    return _inv(x)


matrix_inverse = inv


def det(x: Any) -> TensorVariable:
    """The determinant, ``np.linalg.det`` (OP-LINALG-4)."""
    return _det(x)


def slogdet(x: Any) -> tuple[TensorVariable, TensorVariable]:
    """``(sign(det(x)), log(abs(det(x))))`` (OP-LINALG-4)."""
    from reference.tensor.math import abs as abs_
    from reference.tensor.math import log, sign

    d = det(x)
    return sign(d), log(abs_(d))


def solve(a: Any, b: Any, *, lower: bool = False, overwrite_a: bool = False, overwrite_b: bool = False,
          check_finite: bool = True, assume_a: str = "gen", transposed: bool = False,
          b_ndim: int | None = None) -> TensorVariable:
    """``x`` with ``a x = b`` (OP-LINALG-5).  ``overwrite_*`` and ``check_finite`` are
    accepted and ignored, as in PyTensor."""
    from reference.tensor.extra_ops import diagonal
    from reference.tensor.shape import expand_dims

    if not isinstance(assume_a, str):
        raise SpecTypeError("OP-LINALG-5", f"solve: assume_a must be a string, got {assume_a!r}")
    kind = assume_a.lower()
    if kind in ("lower triangular", "upper triangular"):
        return solve_triangular(a, b, lower=kind.startswith("lower"), trans=transposed, b_ndim=b_ndim)
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    b_ndim = _b_ndim(b, b_ndim, "OP-LINALG-5")
    if kind == "diagonal":
        d = diagonal(a, axis1=-2, axis2=-1)
        return b / (d if b_ndim == 1 else expand_dims(d, d.ndim))
    if kind not in _LAPACK_SOLVE:
        known = ", ".join(repr(k) for k in [*_LAPACK_SOLVE, "diagonal", "lower triangular", "upper triangular"])
        raise SpecValueError("OP-LINALG-5", f"solve: assume_a must be one of {known}; got {assume_a!r}")
    if transposed:
        a, lower = _mT(a), not lower
    return Solve(_LAPACK_SOLVE[kind], lower, b_ndim)(a, b)


def solve_triangular(a: Any, b: Any, *, trans: int | str = 0, lower: bool = False,
                     unit_diagonal: bool = False, check_finite: bool = True,
                     b_ndim: int | None = None) -> TensorVariable:
    """``x`` with ``a x = b`` (``trans`` 0/'N'), ``aᵀ x = b`` (1/'T') or ``aᴴ x = b``
    (2/'C') for triangular ``a`` (OP-LINALG-6)."""
    from reference.tensor.math import conj

    a, b = as_tensor_variable(a), as_tensor_variable(b)
    b_ndim = _b_ndim(b, b_ndim, "OP-LINALG-6")
    if trans in (1, "T", True):
        a, lower = _mT(a), not lower
    elif trans in (2, "C"):
        a, lower = _mT(conj(a)), not lower
    elif trans not in (0, "N", False):
        raise SpecValueError("OP-LINALG-6", f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}")
    return SolveTriangular(lower, unit_diagonal, b_ndim)(a, b)


def cholesky(x: Any, lower: bool = True, *, check_finite: bool = True, overwrite_a: bool = False,
             on_error: str = "nan") -> TensorVariable:
    """The Cholesky factor of a positive-definite matrix (OP-LINALG-7)."""
    if on_error not in ("nan", "raise"):
        raise SpecValueError("OP-LINALG-7", f"cholesky: on_error must be 'nan' or 'raise', got {on_error!r}")
    x = as_tensor_variable(x)
    if x.ndim < 2:
        raise SpecTypeError("OP-LINALG-7", f"cholesky: x must be a matrix (or a stack of them), got {x.type}")
    if on_error == "raise":
        import warnings

        warnings.warn('cholesky: on_error="raise" is deprecated in PyTensor', FutureWarning, stacklevel=2)
    return Cholesky(lower, on_error)(x)


def cho_solve(c_and_lower: tuple[Any, bool], b: Any, *, check_finite: bool = True,
              b_ndim: int | None = None) -> TensorVariable:
    """``x`` with ``(c cᵀ) x = b`` (``lower``) or ``(cᵀ c) x = b`` (OP-LINALG-8)."""
    c, lower = c_and_lower
    return CholeskySolve(lower, _b_ndim(b, b_ndim, "OP-LINALG-8"))(c, b)


def eigh(a: Any, b: Any = None, lower: bool = True, UPLO: str | None = None,  # noqa: N803 - PyTensor's name
         driver: str = "evr") -> list[TensorVariable]:
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix (OP-LINALG-9)."""
    if driver != "evr" and b is None:
        raise SpecNotImplementedError("OP-LINALG-9", f"eigh: only driver='evr' is implemented, got {driver!r}")
    if UPLO is not None:
        if UPLO not in ("L", "U"):
            raise SpecValueError("OP-LINALG-9", f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
        lower = UPLO == "L"
    if b is not None:  # the generalized problem: scipy takes no driver with b
        return list(GeneralizedEigh(lower)(a, b))
    return list(Eigh(lower)(a))


def eigvalsh(a: Any, b: Any = None, lower: bool = True) -> TensorVariable:
    """Eigenvalues (ascending) of a symmetric matrix (OP-LINALG-9)."""
    if b is not None:
        return GeneralizedEigvalsh(lower)(a, b)
    return Eigvalsh(lower)(a)


def eig(x: Any) -> list[TensorVariable]:
    """Eigenvalues and right eigenvectors, complex (OP-LINALG-10)."""
    return list(_eig(x))


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """``U, s, Vᵀ`` or, with ``compute_uv=False``, ``s`` (OP-LINALG-11)."""
    out = SVD(full_matrices, compute_uv)(a)
    return list(out) if compute_uv else out


def pinv(x: Any, hermitian: bool = False) -> TensorVariable:
    """The Moore-Penrose pseudo-inverse (OP-LINALG-12)."""
    return MatrixPinv(hermitian)(x)


def expm(x: Any) -> TensorVariable:
    """The matrix exponential (OP-LINALG-13)."""
    return _expm(x)


# -- compositions ------------------------------------------------------------------------
_VECTOR_ORDS = (None, "fro", "f", "inf", "-inf", np.inf, -np.inf, 0, 1)
_MATRIX_ORDS = (None, "fro", "f", "inf", "-inf", np.inf, -np.inf, 1, -1, 2, -2, "nuc")


def norm(x: Any, ord: Any = None, axis: int | Sequence[int] | None = None,  # noqa: A002 - numpy's name
         keepdims: bool = False) -> TensorVariable:
    """Vector and matrix norms, as compositions of elementwise ops, reductions, ``matmul``
    and ``svd`` (OP-LINALG-14)."""
    from reference.tensor.extra_ops import moveaxis
    from reference.tensor.math import abs as abs_
    from reference.tensor.math import neq, reciprocal, sqrt
    from reference.tensor.reduction import max as max_
    from reference.tensor.reduction import min as min_
    from reference.tensor.reduction import sum as sum_
    from reference.tensor.shape import expand_dims, shape_padright

    x = as_tensor_variable(x)
    core = min(2, x.ndim)
    batch = x.ndim - core
    if core < 1:
        raise SpecValueError("OP-LINALG-14", f"norm: x must have at least one axis, got {x.type}")
    if axis is None:
        if ord is None or (ord in ("f", "fro") and core == 2) or (ord == 2 and core == 1):
            flat = x.reshape((*(x.shape[i] for i in range(batch)), -1, *((1,) * (core - 1))), ndim=batch + core)
            order = [*range(batch), *range(batch + core - 1, batch - 1, -1)]
            if core == 2:  # the (1, 1) core of the product dropped, and batch axes of static length 1
                index = tuple(0 if n == 1 else slice(None) for n in x.type.shape[:batch])
                result = sqrt(flat.dimshuffle(*order) @ flat)[(*index, 0, 0)]
            else:
                result = sqrt(flat @ flat)
            return shape_padright(result, core) if keepdims else result
        axis = tuple(range(core))
    elif not isinstance(axis, tuple | list):
        try:
            axis = (int(axis),)
        except (TypeError, ValueError):
            raise SpecTypeError("OP-LINALG-14", f"norm: axis must be None, an int or a tuple of ints, got {axis!r}") from None
    axis = tuple(axis)
    if len(axis) == 1:
        if ord in (None, "fro", "f") and core == 2:
            return sqrt(sum_(x * x, axis=axis, keepdims=keepdims))
        if ord in ("inf", np.inf):
            return max_(abs_(x), axis=axis, keepdims=keepdims)
        if ord in ("-inf", -np.inf):
            return min_(abs_(x), axis=axis, keepdims=keepdims)
        if isinstance(ord, str):
            raise SpecValueError("OP-LINALG-14", f"norm: invalid norm order {ord!r} for vectors")
        if ord == 0:
            return neq(x, 0).sum(axis=axis, keepdims=keepdims)
        if ord == 1:
            return sum_(abs_(x), axis=axis, keepdims=keepdims)
        if ord is None:
            ord = 2  # noqa: A001
        return sum_(abs_(x) ** ord, axis=axis, keepdims=keepdims) ** reciprocal(ord)
    if len(axis) != 2:
        raise SpecValueError("OP-LINALG-14", f"norm: axis must name one or two axes, got {axis!r}")
    row, col = (batch + (a % core if -core <= a < core else _bad_axis(a, core)) for a in axis)
    if ord in (None, "fro", "f"):
        result = sqrt(sum_(x * x, axis=(row, col)))
    elif ord in ("inf", np.inf, "-inf", -np.inf):
        reduce = max_ if ord in ("inf", np.inf) else min_
        result = reduce(sum_(abs_(x), axis=col), axis=row - (row > col))
    elif ord in (1, -1):
        reduce = max_ if ord == 1 else min_
        result = reduce(sum_(abs_(x), axis=row), axis=col - (col > row))
    elif ord in (2, -2, "nuc"):
        s = svd(moveaxis(x, (row, col), (-2, -1)), compute_uv=False)
        reduce = {2: max_, -2: min_, "nuc": sum_}[ord]
        result = reduce(s, axis=-1)
    else:
        raise SpecValueError("OP-LINALG-14", f"norm: invalid norm order {ord!r} for matrices")
    return expand_dims(result, (row, col)) if keepdims else result


def _bad_axis(a: int, core: int) -> int:
    from reference.errors import SpecAxisError

    raise SpecAxisError("OP-LINALG-14", f"norm: axis {a} is out of bounds for {core} core axes")


def matrix_power(M: Any, n: int) -> TensorVariable:  # noqa: N803 - PyTensor's name
    """``M`` to the integer power ``n`` by repeated squaring with ``dot``; a negative ``n``
    uses ``pinv(M)``; ``n == 0`` is ``eye`` in floatX (OP-LINALG-15)."""
    from reference.tensor.basic import eye
    from reference.tensor.blas import dot

    M = as_tensor_variable(M)  # noqa: N806
    if not isinstance(n, int | np.integer) or isinstance(n, bool):
        raise SpecTypeError("OP-LINALG-15", f"matrix_power: n must be an int, got {n!r}")
    if n < 0:
        M, n = pinv(M), -n  # noqa: N806
    if n == 0:
        return eye(M.shape[-2])
    if n == 1:
        return M
    if n == 2:
        return dot(M, M)
    if n == 3:
        return dot(dot(M, M), M)
    result = z = None
    while n > 0:
        z = M if z is None else dot(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else dot(result, z)
    return result


def kron(a: Any, b: Any) -> TensorVariable:
    """``np.kron(a, b)`` as a broadcast product and a reshape (OP-LINALG-16)."""
    from reference.tensor.shape import expand_dims

    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if a.ndim + b.ndim <= 2:
        raise SpecTypeError("OP-LINALG-16", f"kron: the inputs' ndims must sum to 3 or more, got {a.ndim} and {b.ndim}")
    if a.ndim < b.ndim:
        a = expand_dims(a, tuple(range(b.ndim - a.ndim)))
    elif b.ndim < a.ndim:
        b = expand_dims(b, tuple(range(a.ndim - b.ndim)))
    product = expand_dims(a, tuple(range(1, 2 * a.ndim, 2))) * expand_dims(b, tuple(range(0, 2 * b.ndim, 2)))
    return product.reshape(tuple(a.shape[i] * b.shape[i] for i in range(a.ndim)), ndim=a.ndim)


def matrix_dot(*args: Any) -> TensorVariable:
    """``dot(dot(args[0], args[1]), ...)`` (OP-LINALG-16)."""
    from reference.tensor.blas import dot

    result = args[0]
    for a in args[1:]:
        result = dot(result, a)
    return result


# -- the factorisations and solvers of the two companion modules (OP-LINALG-17 …) ---------
from reference.tensor.linalg_decompositions import (  # noqa: E402 - they build on the ops above
    lu,
    lu_factor,
    lu_solve,
    ordqz,
    pivot_to_permutation,
    qr,
    qz,
    schur,
)
from reference.tensor.linalg_solvers import (  # noqa: E402
    block_diag,
    lstsq,
    solve_continuous_lyapunov,
    solve_discrete_are,
    solve_discrete_lyapunov,
    solve_sylvester,
    tensorinv,
    tensorsolve,
    trace,
    tridiagonal_lu_factor,
    tridiagonal_lu_solve,
)

__all__ += [  # noqa: PLE0605
    "block_diag", "lstsq", "lu", "lu_factor", "lu_solve", "ordqz", "pivot_to_permutation", "qr", "qz", "schur",
    "solve_continuous_lyapunov", "solve_discrete_are", "solve_discrete_lyapunov", "solve_sylvester", "tensorinv",
    "tensorsolve", "trace", "tridiagonal_lu_factor", "tridiagonal_lu_solve",
]
