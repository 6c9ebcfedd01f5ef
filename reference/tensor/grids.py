"""Grids, windows, interpolation and small helpers of ``pt``: ``mgrid``, ``ogrid``,
``bartlett``, ``interpolate1d``, ``complex``, ``complex_from_polar``, ``nonzero_values``,
``extract_diag``, ``concat_with_broadcast``, ``slice_at_axis`` and ``is_flat``.

Spec: spec/2-ops.rst, section "Vectorising, grids, reshaping and signals" (OP-GRID-1,
OP-BARTLETT-1, OP-INTERP1D-1, OP-COMPLEXFN-1, OP-HELPERS-2).  All but ``bartlett`` and
``complex`` are compositions of other ops, whose gradients they have.
"""

from __future__ import annotations

import builtins
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from reference.errors import SpecAxisError, SpecNotImplementedError, SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import COMPLEX_DTYPES, INT_DTYPES, TensorType, upcast
from reference.tensor.basic import arange, join, ones_like
from reference.tensor.elemwise import Elemwise, ScalarOp
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = [
    "bartlett",
    "complex",
    "complex_from_polar",
    "concat_with_broadcast",
    "extract_diag",
    "interpolate1d",
    "is_flat",
    "mgrid",
    "nonzero_values",
    "ogrid",
    "slice_at_axis",
]


# -- mgrid, ogrid --------------------------------------------------------------------------------
class _Grid:
    """``pt.mgrid`` (dense) and ``pt.ogrid`` (open): index with slices, as numpy's (OP-GRID-1)."""

    def __init__(self, sparse: bool) -> None:
        self.sparse = sparse

    def __repr__(self) -> str:
        return "ogrid" if self.sparse else "mgrid"

    @staticmethod
    def _range(sl: Any) -> TensorVariable:
        if not isinstance(sl, slice):
            raise SpecTypeError("OP-GRID-1", f"mgrid/ogrid: index with slices, got {sl!r}")
        if isinstance(sl.step, builtins.complex | np.complexfloating):
            raise SpecNotImplementedError("OP-GRID-1", "mgrid/ogrid: a complex step (a number of points) is not "
                                          "implemented, as in PyTensor")
        return arange(0 if sl.start is None else sl.start, sl.stop, 1 if sl.step is None else sl.step)

    def __getitem__(self, key: Any) -> Any:
        """OP-GRID-1: one slice gives its ``arange``; a tuple of ``n`` slices gives ``n``
        grids of ``n`` axes."""
        if isinstance(key, slice):
            return self._range(key)
        ranges = [self._range(sl) for sl in key]
        n = len(ranges)
        axes = [r.dimshuffle(*["x" if j != i else 0 for j in range(n)]) for i, r in enumerate(ranges)]
        if self.sparse:
            return axes
        ones = [ones_like(a) for a in axes]
        grids = []
        for i in range(n):
            grid: Any = axes[i]
            for j in range(n):
                if j != i:
                    grid = grid * ones[j]  # broadcast to the full grid (and upcast, as PyTensor)
            grids.append(grid)
        return grids


mgrid = _Grid(sparse=False)
ogrid = _Grid(sparse=True)


# -- bartlett ----------------------------------------------------------------------------------
class Bartlett(Op):
    """``np.bartlett(M)``: the triangular window of ``M`` points (OP-BARTLETT-1)."""

    def make_node(self, M: Any) -> Apply:  # noqa: N803 - numpy's name
        m = as_tensor_variable(M)
        if m.ndim != 0 or m.dtype not in INT_DTYPES:
            raise SpecTypeError("OP-BARTLETT-1", f"bartlett: M must be an integer scalar, got {m.type}")
        return Apply(self, [m], [TensorType("float64", (None,))])

    def perform(self, node: Apply, m: np.ndarray) -> np.ndarray:
        return np.bartlett(int(m))

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        m = values[0]
        if m is None:
            raise LookupError("bartlett: the length depends on the value of M")
        return [(max(int(m), 0),)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        return [None]  # an integer input


def bartlett(M: Any) -> TensorVariable:  # noqa: N803 - numpy's name
    """The Bartlett window of ``M`` points, float64 (OP-BARTLETT-1); empty for ``M <= 0``."""
    return Bartlett()(M)


# -- complex ------------------------------------------------------------------------------------
class Complex(ScalarOp):
    """``real + 1j * imag`` (OP-COMPLEXFN-1).  dtype: complex128 when the upcast of the inputs
    is float64, int64, uint64, int32 or uint32, else complex64; complex inputs are refused."""

    def output_dtype(self, *dtypes: str) -> str:
        for dtype in dtypes:
            if dtype in COMPLEX_DTYPES:
                raise SpecTypeError("OP-COMPLEXFN-1", f"complex: the parts must be real, got {dtype}")
        up = upcast(*dtypes)
        return "complex128" if up in ("float64", "int64", "uint64", "int32", "uint32") else "complex64"

    def impl(self, real: np.ndarray, imag: np.ndarray) -> np.ndarray:
        re, im = np.broadcast_arrays(real, imag)
        out = np.empty(re.shape, dtype=self.output_dtype(real.dtype.name, imag.dtype.name))
        out.real, out.imag = re, im
        return out

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        """The real part of the cotangent to ``real``, its imaginary part to ``imag``, each
        cast to the input's dtype (GRAD-OP-1, as PyTensor)."""
        from reference.tensor.math import cast, imag, real

        x, y = inputs
        return [cast(real(gz), x.dtype), cast(imag(gz), y.dtype)]


_complex = Elemwise(Complex())


def complex(real: Any, imag: Any) -> TensorVariable:  # noqa: A001 - PyTensor's name
    """The complex tensor ``real + 1j * imag``, broadcast (OP-COMPLEXFN-1)."""
    return _complex(real, imag)


def complex_from_polar(abs: Any, angle: Any) -> TensorVariable:  # noqa: A002 - PyTensor's names
    """``complex(abs * cos(angle), abs * sin(angle))`` (OP-COMPLEXFN-1); deprecated in PyTensor,
    which warns with a ``FutureWarning``."""
    from reference.tensor.math import cos, sin

    warnings.warn("complex_from_polar is deprecated (as in PyTensor): use "
                  "complex(abs * cos(angle), abs * sin(angle))", FutureWarning, stacklevel=2)
    r, theta = as_tensor_variable(abs), as_tensor_variable(angle)
    return complex(r * cos(theta), r * sin(theta))


# -- small helpers ------------------------------------------------------------------------------
def nonzero_values(a: Any) -> TensorVariable:
    """The non-zero entries of ``a`` in C order, a vector of ``a``'s dtype (OP-HELPERS-2):
    the flattened ``a`` indexed by the mask of its non-zero entries."""
    from reference.tensor.math import neq

    flat = as_tensor_variable(a).flatten()
    return flat[neq(flat, 0)]


def extract_diag(x: Any) -> TensorVariable:
    """``diagonal(x)``, with PyTensor's ``FutureWarning`` that the name is deprecated
    (OP-HELPERS-2)."""
    from reference.tensor.extra_ops import diagonal

    warnings.warn("pytensor.tensor.extract_diag is deprecated (as in PyTensor): use diagonal",
                  FutureWarning, stacklevel=2)
    return diagonal(x)


def concat_with_broadcast(tensor_list: Sequence[Any], axis: int = 0) -> TensorVariable:
    """The tensors joined along ``axis`` after broadcasting their other axes to a common
    length (OP-HELPERS-2)."""
    from reference.tensor.basic import broadcast_to
    from reference.tensor.shape import shape

    tensors = [as_tensor_variable(t) for t in tensor_list]
    if not tensors:
        raise SpecValueError("OP-HELPERS-2", "concat_with_broadcast: cannot concatenate an empty list")
    ndim = tensors[0].ndim
    if any(t.ndim != ndim for t in tensors):
        raise SpecTypeError("OP-HELPERS-2", "concat_with_broadcast: the tensors must have the same number of "
                            f"axes, got {[t.ndim for t in tensors]}")
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise SpecTypeError("OP-HELPERS-2", f"concat_with_broadcast: axis must be an int, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise SpecAxisError("OP-HELPERS-2", f"concat_with_broadcast: axis {axis} is out of range for {ndim} axes")
    axis = int(axis) % ndim
    lengths: list[Any] = [1] * ndim
    for t in tensors:  # the length of the last tensor not broadcastable there
        for i in range(ndim):
            if i != axis and t.type.shape[i] != 1:
                lengths[i] = shape(t)[i]
    pieces = []
    for t in tensors:
        target = list(lengths)
        target[axis] = t.type.shape[axis] if t.type.shape[axis] is not None else shape(t)[axis]
        pieces.append(broadcast_to(t, target))
    return join(axis, *pieces)


def slice_at_axis(sl: slice, axis: int) -> tuple[Any, ...]:
    """``(slice(None),) * axis + (sl, ...)``: the index applying ``sl`` on ``axis`` only
    (OP-HELPERS-2; numpy's private helper of the same name, so a negative ``axis``
    puts ``sl`` first)."""
    return (slice(None),) * axis + (sl, Ellipsis)


def is_flat(var: Any, ndim: int = 1) -> bool:
    """Whether ``var`` has ``ndim`` axes (OP-HELPERS-2)."""
    return var.ndim == ndim


# -- interpolate1d --------------------------------------------------------------------------------
_METHODS = ("linear", "nearest", "first", "last", "mean")


def interpolate1d(x: Any, y: Any, method: str = "linear", left_pad: Any = None, right_pad: Any = None,
                  extrapolate: bool = True) -> Callable[[Any], TensorVariable]:
    """A function of ``x_hat`` interpolating the points ``(x, y)``, sorted by ``x``, at each
    entry of ``x_hat`` (OP-INTERP1D-1): the scalar rule of ``method`` vectorised with
    ``signature="()->()"`` (OP-VECTORIZE-2)."""
    from reference.tensor.extra_ops import argsort, searchsorted
    from reference.tensor.functional import vectorize
    from reference.tensor.math import clip, eq, le, switch

    if method not in _METHODS:
        raise SpecNotImplementedError("OP-INTERP1D-1", f"interpolate1d: unknown method {method!r}; the methods are "
                                      f"{', '.join(_METHODS)}")
    xs, ys = as_tensor_variable(x), as_tensor_variable(y)
    order = argsort(xs)
    xs, ys = xs[order], ys[order]  # step 1
    left = ys[0] if left_pad is None else as_tensor_variable(left_pad)
    right = ys[-1] if right_pad is None else as_tensor_variable(right_pad)

    def at(x_hat: TensorVariable) -> TensorVariable:
        if xs.ndim != 1 or ys.ndim != 1:
            raise SpecValueError("OP-INTERP1D-1", f"interpolate1d: x and y must be vectors, got {xs.type} and {ys.type}")
        n = xs.shape[0]
        i = searchsorted(xs, x_hat)  # step 2: x[i - 1] < x_hat <= x[i]
        if method == "linear":
            j = clip(i, 1, n - 1)
            y_hat = ys[j - 1] + (x_hat - xs[j - 1]) / (xs[j] - xs[j - 1]) * (ys[j] - ys[j - 1])
        elif method == "nearest":
            j = clip(i, 1, n - 1)
            y_hat = switch(le(x_hat - xs[j - 1], xs[j] - x_hat), ys[j - 1], ys[j])
        elif method == "first":
            y_hat = ys[clip(i - 1, 0, n - 1)]
        elif method == "last":
            y_hat = ys[clip(i, 0, n - 1)]
        else:
            j = clip(i, 1, n - 1)
            y_hat = (ys[j - 1] + ys[j]) / 2
        if extrapolate:
            return y_hat
        return switch(eq(i, 0), left, switch(eq(i, n), right, y_hat))  # step 4

    vectorized = vectorize(at, signature="()->()")

    def interpolate(x_hat: Any) -> TensorVariable:
        return vectorized(as_tensor_variable(x_hat))

    return interpolate
