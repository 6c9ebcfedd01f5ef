"""Reductions over axes.  Spec: spec/2-ops.rst (OP-REDUCE-*)."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from reference.errors import SpecAxisError, SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import DISCRETE_DTYPES, TensorType, check_dtype, upcast
from reference.tensor.variable import TensorVariable, as_tensor_variable

#: The dtype sums and products accumulate in, by input dtype (OP-REDUCE-2).
ACC_DTYPE = {
    "bool": "int64", "int8": "int64", "int16": "int64", "int32": "int64",
    "uint8": "uint64", "uint16": "uint64", "uint32": "uint64",
    "float16": "float32", "float32": "float64", "complex64": "complex128",
}  # fmt: skip

CONTINUOUS = ("float16", "float32", "float64", "complex64", "complex128")

#: The dtype of a sum or product, by input dtype (OP-REDUCE-2).
SUM_DTYPE = {
    "bool": "int64", "int8": "int64", "int16": "int64", "int32": "int64",
    "uint8": "uint64", "uint16": "uint64", "uint32": "uint64",
}  # fmt: skip


def normalize_axes(axis: Any, ndim: int, op: str) -> tuple[int, ...]:
    """``None`` means every axis; negative axes count from the end (OP-REDUCE-1)."""
    if axis is None:
        return tuple(range(ndim))
    axes = [axis] if isinstance(axis, int | np.integer | TensorVariable) else list(axis)
    result = []
    for a in axes:
        if isinstance(a, TensorVariable):
            raise SpecTypeError("OP-REDUCE-1", f"{op}: axis must be a Python int, not {a}")
        if not -ndim <= a < builtins.max(ndim, 1) or (ndim == 0 and a not in (0, -1)):
            raise SpecAxisError(
                "OP-REDUCE-1", f"{op}: axis {a} is out of range for a {ndim}-d input"
            )
        a = int(a) % ndim if ndim else 0
        if a in result:
            raise SpecValueError("OP-REDUCE-1", f"{op}: axis {a} is repeated")
        result.append(a)
    return tuple(sorted(result)) if ndim else ()


def reduced_shape(shape: tuple[Any, ...], axes: tuple[int, ...], keepdims: bool) -> tuple[Any, ...]:  # noqa: E501
    if keepdims:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


class Reduce(Op):
    """Reduce ``x`` over ``axes`` with ``kind``: sum, prod, max, min, any, all (OP-REDUCE-1..4).

    * sum and prod accumulate in :data:`ACC_DTYPE` and give :data:`SUM_DTYPE` (or ``dtype``);
    * max and min keep the dtype and raise on an empty reduction;
    * any and all give bool.
    """

    __props__ = ("kind", "axes", "keepdims", "dtype", "acc_dtype")

    def __init__(self, kind: str, axes: tuple[int, ...], keepdims: bool, dtype: str | None,
                 acc_dtype: str | None) -> None:
        self.kind, self.axes, self.keepdims = kind, axes, keepdims
        self.dtype, self.acc_dtype = dtype, acc_dtype

    def __str__(self) -> str:
        axes = "None" if self.axes is None else ", ".join(map(str, self.axes))
        name = {"sum": "Sum", "prod": "Prod", "max": "Max", "min": "Min", "any": "Any",
                "all": "All"}[self.kind]
        return f"{name}{{axes={axes}}}"

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        shape = reduced_shape(x.type.shape, self.axes, self.keepdims)
        return Apply(self, [x], [TensorType(self.dtype, shape)])

    def perform(self, node: Apply, x: np.ndarray) -> np.ndarray:
        axes = self.axes
        if self.kind in ("sum", "prod"):
            ufunc = np.add if self.kind == "sum" else np.multiply
            result = ufunc.reduce(x, axis=axes, dtype=self.acc_dtype, keepdims=self.keepdims)
        elif self.kind in ("max", "min"):
            if x.size == 0 and builtins.any(x.shape[a] == 0 for a in axes):
                raise SpecValueError(
                    "OP-REDUCE-3",
                    f"{self}: cannot take the {self.kind} of an empty axis (input shape {x.shape})",
                )
            ufunc = np.maximum if self.kind == "max" else np.minimum
            result = ufunc.reduce(x, axis=axes, keepdims=self.keepdims) if axes else x.copy()
        else:
            ufunc = np.logical_or if self.kind == "any" else np.logical_and
            result = ufunc.reduce(x, axis=axes, keepdims=self.keepdims) if axes else x.astype(bool)
        return np.asarray(result).astype(self.dtype, copy=False)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [reduced_shape(shapes[0], self.axes, self.keepdims)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """sum: the cotangent broadcast back over the reduced axes; prod: times the product
        of the other elements; max/min: to the elements equal to the result; any/all:
        none (GRAD-OP-2)."""
        from reference.tensor.basic import alloc
        from reference.tensor.elemwise import reduce_to_input
        from reference.tensor.math import eq, mul
        from reference.tensor.shape import expand_dims, shape

        (x,), (out,), gz = node.inputs, node.outputs, output_grads[0]
        if gz is None or self.kind in ("any", "all") or x.dtype in DISCRETE_DTYPES:
            return [None]
        if not self.keepdims and self.axes:
            gz = expand_dims(gz, self.axes)
            out = expand_dims(out, self.axes)
        full = alloc(gz, *(shape(x)[i] for i in range(x.ndim))) if x.ndim else gz
        if self.kind == "sum":
            return [reduce_to_input(full, x)]
        if self.kind == "prod":
            return [reduce_to_input(mul(full, product_of_others(x, self.axes)), x)]
        return [reduce_to_input(mul(full, eq(x, out)), x)]


class Argmax(Op):
    """Index of the first maximum (or minimum) over ``axis``; int64 (OP-REDUCE-5).

    ``axis`` is ``None`` (every axis), an int or a tuple of axes; several axes are
    flattened together, in increasing order, before the search.  An empty reduced axis
    raises.
    """

    __props__ = ("kind", "axis", "keepdims")

    def __init__(self, kind: str, axis: int | tuple[int, ...] | None, keepdims: bool) -> None:
        if axis is not None:
            axis = tuple(sorted(int(a) for a in axis)) if isinstance(axis, tuple | list) else (int(axis),)
        self.kind, self.axis, self.keepdims = kind, axis, keepdims

    def __str__(self) -> str:
        axis = self.axis[0] if self.axis is not None and len(self.axis) == 1 else self.axis
        return f"{'Argmax' if self.kind == 'max' else 'Argmin'}{{axis={axis}}}"

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        axes = tuple(range(x.ndim)) if self.axis is None else self.axis
        shape = reduced_shape(x.type.shape, axes, self.keepdims)
        return Apply(self, [x], [TensorType("int64", shape)])

    def perform(self, node: Apply, x: np.ndarray) -> np.ndarray:
        axes = tuple(range(x.ndim)) if self.axis is None else self.axis
        kept = [i for i in range(x.ndim) if i not in axes]
        moved = np.transpose(x, kept + list(axes))  # step 1: the reduced axes last, flattened
        kept_shape = moved.shape[: len(kept)]
        n = int(np.prod(moved.shape[len(kept):], dtype="int64"))
        if n == 0:
            raise SpecValueError("OP-REDUCE-5", f"{self}: empty reduction of an input of shape {x.shape}")
        function = np.argmax if self.kind == "max" else np.argmin
        result = function(moved.reshape((*kept_shape, n)), axis=-1)  # step 2
        if self.keepdims:
            result = np.reshape(result, [1 if i in axes else x.shape[i] for i in range(x.ndim)])
        return np.asarray(result, dtype="int64")

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        axes = tuple(range(len(shapes[0]))) if self.axis is None else self.axis
        return [reduced_shape(shapes[0], axes, self.keepdims)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Indices have no gradient (GRAD-OP-2)."""
        return [None]


def _reduce(kind: str, x: Any, axis: Any, keepdims: bool, dtype: Any = None,
            acc_dtype: Any = None) -> TensorVariable:
    x = as_tensor_variable(x)
    axes = normalize_axes(axis, x.ndim, kind)
    if kind in ("sum", "prod"):
        out = check_dtype(dtype) if dtype is not None else SUM_DTYPE.get(x.dtype, x.dtype)
        acc = check_dtype(acc_dtype) if acc_dtype is not None else ACC_DTYPE.get(x.dtype, x.dtype)
        if acc_dtype is not None and not (acc in CONTINUOUS and x.dtype not in CONTINUOUS) \
                and upcast(x.dtype, acc) != acc:
            raise SpecTypeError(
                "OP-REDUCE-2", f"{kind}: acc_dtype {acc} would lose the precision of a {x.dtype} input"
            )
    elif kind in ("max", "min"):
        out, acc = x.dtype, None
    else:
        out, acc = "bool", None
    return Reduce(kind, axes, bool(keepdims), out, acc)(x)


def sum(x: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, acc_dtype: Any = None) -> TensorVariable:  # noqa: A001,E501
    """Sum over ``axis`` (OP-REDUCE-2)."""
    return _reduce("sum", x, axis, keepdims, dtype, acc_dtype)


def prod(x: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, acc_dtype: Any = None, no_zeros_in_input: bool = False) -> TensorVariable:  # noqa: E501
    """Product over ``axis`` (OP-REDUCE-2)."""
    return _reduce("prod", x, axis, keepdims, dtype, acc_dtype)


def _extreme(dtype: str, kind: str) -> Any:
    """The identity of max (``kind="max"``) or min in ``dtype``: -inf/inf, or the dtype's bounds."""
    if np.dtype(dtype).kind in "fc":
        return -np.inf if kind == "max" else np.inf
    if dtype == "bool":
        return kind != "max"
    info = np.iinfo(dtype)
    return info.min if kind == "max" else info.max


def _with_initial(kind: str, x: Any, axis: Any, initial: Any) -> TensorVariable:
    """``x`` with one more entry, the identity of ``kind``, along each reduced axis whose
    static length is not known to be positive (OP-REDUCE-3 step 1)."""
    from reference.tensor.basic import alloc, concatenate

    want = -np.inf if kind == "max" else np.inf
    if float(initial) != want:
        raise SpecValueError("OP-REDUCE-3", f"{kind}: initial must be None or {want}, got {initial}")
    x = as_tensor_variable(x)
    padded = x
    for a in normalize_axes(axis, x.ndim, kind):
        if x.type.shape[a] is None or x.type.shape[a] == 0:
            shape = [1 if i == a else padded.shape[i] for i in range(padded.ndim)]
            padded = concatenate([padded, alloc(np.asarray(_extreme(x.dtype, kind), dtype=x.dtype), *shape)], axis=a)
    return padded


def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> TensorVariable:  # noqa: A001
    """Maximum over ``axis`` (OP-REDUCE-3); ``initial=-inf`` makes an empty reduction the
    lowest value of the dtype."""
    if initial is not None:
        x = _with_initial("max", x, axis, initial)
    return _reduce("max", x, axis, keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> TensorVariable:  # noqa: A001
    """Minimum over ``axis`` (OP-REDUCE-3); ``initial=inf`` makes an empty reduction the
    highest value of the dtype."""
    if initial is not None:
        x = _with_initial("min", x, axis, initial)
    return _reduce("min", x, axis, keepdims)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> TensorVariable:  # noqa: A001
    """True where any element along ``axis`` is nonzero (OP-REDUCE-4)."""
    return _reduce("any", x, axis, keepdims)


def all(x: Any, axis: Any = None, keepdims: bool = False) -> TensorVariable:  # noqa: A001
    """True where every element along ``axis`` is nonzero (OP-REDUCE-4)."""
    return _reduce("all", x, axis, keepdims)


def _arg(kind: str, x: Any, axis: Any, keepdims: bool) -> TensorVariable:
    x = as_tensor_variable(x)
    if axis is not None:
        axis = normalize_axes(axis, x.ndim, f"arg{kind}")
        if x.ndim == 0:
            axis = None
    return Argmax(kind, axis, bool(keepdims))(x)


def argmax(x: Any, axis: Any = None, keepdims: bool = False) -> TensorVariable:
    """Index of the maximum along ``axis`` (OP-REDUCE-5)."""
    return _arg("max", x, axis, keepdims)


def argmin(x: Any, axis: Any = None, keepdims: bool = False) -> TensorVariable:
    """Index of the minimum along ``axis`` (OP-REDUCE-5)."""
    return _arg("min", x, axis, keepdims)


def mean(x: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, acc_dtype: Any = None) -> TensorVariable:  # noqa: E501
    """The sum over ``axis``, divided once by the product of the reduced lengths (OP-REDUCE-6).

    The sum follows :rule:`OP-REDUCE-2` (integers sum to int64); the lengths are cast to
    float32 for float16/float32/complex64 sums, to float64 otherwise, so integer means are
    float64 (also over no axis).  The result is named ``mean``, as in PyTensor.
    """
    from reference.tensor.math import cast, mul, true_div
    from reference.tensor.shape import shape as shape_of

    x = as_tensor_variable(x)
    axes = normalize_axes(axis, x.ndim, "mean")
    sum_dtype = check_dtype(dtype) if dtype is not None else (
        "float32" if x.dtype == "float16" else None)
    total = sum(x, axis=axes, dtype=sum_dtype, keepdims=keepdims, acc_dtype=acc_dtype)
    length_dtype = "float32" if total.dtype in ("float16", "float32", "complex64") else "float64"
    lengths = cast(shape_of(x), length_dtype)
    count = as_tensor_variable(np.asarray(1, dtype=length_dtype))
    for i, a in enumerate(axes):
        count = lengths[a] if i == 0 else mul(count, lengths[a])
    total = true_div(total, count)
    if dtype is None and x.dtype == "float16":
        total = cast(total, "float16")
    total.name = "mean"
    return total


def var(input: Any, axis: Any = None, ddof: Any = 0, keepdims: bool = False, corrected: bool = False) -> TensorVariable:  # noqa: A002, E501 - PyTensor's names
    """The variance over ``axis``, by PyTensor's two-pass formula (OP-REDUCE-7).

    ``c = x - mean(x, axis, keepdims=True)``; with ``ddof`` 0 the variance is
    ``mean(c * c, axis)``, else ``sum(c * c, axis) / (n - ddof)`` with ``n`` the number
    of reduced elements.  ``corrected=True`` subtracts the rounding error of the mean
    (the "corrected two-pass" algorithm).  A composition of existing ops: it runs in scan
    steps and has gradients like any of them.  The result is named ``var``.

    Args:
        input: the tensor (integers and bool give float64, as their mean).
        axis: ``None`` (every axis), an int or a sequence of ints (:rule:`OP-REDUCE-1`).
        ddof: delta degrees of freedom: a number or a symbolic scalar, not a bool.
        keepdims: keep the reduced axes with length 1.
        corrected: use the corrected two-pass algorithm.
    """
    from reference.graph.basic import Variable
    from reference.tensor.math import cast, mul, sub, true_div
    from reference.tensor.shape import shape as shape_of

    if isinstance(ddof, bool | np.bool_):  # OP-REDUCE-7: a bool is a keepdims given at ddof's place
        raise SpecValueError(
            "OP-REDUCE-7",
            f"var: ddof must be a number, got {ddof!r}; keepdims is the fourth parameter: "
            "var(input, axis=None, ddof=0, keepdims=False, corrected=False)",
        )
    x = as_tensor_variable(input)
    if x.ndim == 0 and axis is not None and (not isinstance(axis, list | tuple) or len(axis)):
        raise SpecAxisError("OP-REDUCE-7", f"var: axis {axis} is out of range for a 0-d input")
    axes = normalize_axes(axis, x.ndim, "var")
    centered = sub(x, mean(x, axis=axes, keepdims=True))
    squares = mul(centered, centered)
    by_count = not isinstance(ddof, Variable) and ddof == 0
    n: Any = None
    if by_count:
        v = mean(squares, axis=axes, keepdims=keepdims)
    else:
        lengths = shape_of(x)
        n = as_tensor_variable(1)
        for i, a in enumerate(axes):
            n = lengths[a] if i == 0 else mul(n, lengths[a])
        v = true_div(sum(squares, axis=axes, keepdims=keepdims), cast(sub(n, ddof), centered.dtype))
    if corrected:
        if by_count:
            error = mean(centered, axis=axes, keepdims=keepdims)
            error = mul(error, error)
        else:
            total = sum(centered, axis=axes, keepdims=keepdims)
            error = true_div(mul(total, total), cast(mul(sub(n, ddof), n), centered.dtype))
        v = sub(v, error)
    v.name = "var"
    return v


def std(input: Any, axis: Any = None, ddof: Any = 0, keepdims: bool = False, corrected: bool = False) -> TensorVariable:  # noqa: A002, E501 - PyTensor's names
    """The standard deviation: ``sqrt(var(...))`` with the same arguments, named ``std``
    (OP-REDUCE-8)."""
    from reference.tensor.math import sqrt

    result = sqrt(var(input, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected))
    result.name = "std"
    return result


def product_of_others(x: TensorVariable, axes: tuple[int, ...]) -> TensorVariable:
    """For each element of ``x``, the product of the other elements of its reduction group
    (exact with zeros: exclusive cumulative products from both ends) (GRAD-OP-2)."""
    from reference.tensor.basic import concatenate, cumprod, ones
    from reference.tensor.shape import reshape, shape, transpose

    if not axes:
        return ones(shape(x), dtype=x.dtype) if x.ndim else x * 0 + 1
    kept = [i for i in range(x.ndim) if i not in axes]
    moved = transpose(x, kept + list(axes))
    lengths = shape(moved)
    flat = reshape(moved, [lengths[i] for i in range(len(kept))] + [-1], ndim=len(kept) + 1)
    one = ones([shape(flat)[i] for i in range(len(kept))] + [1], dtype=x.dtype)
    before = concatenate([one, cumprod(flat, axis=-1)[..., :-1]], axis=-1)
    after = concatenate([one, cumprod(flat[..., ::-1], axis=-1)[..., :-1]], axis=-1)[..., ::-1]
    others = reshape(before * after, lengths, ndim=x.ndim)
    inverse = [0] * x.ndim
    for position, axis in enumerate(kept + list(axes)):
        inverse[axis] = position
    return transpose(others, inverse)


def max_and_argmax(a: Any, axis: Any = None, keepdims: bool = False) -> list[TensorVariable]:
    """``[max(a, axis, keepdims), argmax(a, axis, keepdims)]``, a list (OP-MAXARG-1)."""
    return [max(a, axis=axis, keepdims=keepdims), argmax(a, axis=axis, keepdims=keepdims)]
