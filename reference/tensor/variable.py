"""Tensor variables, constants and conversion of Python values.  Spec: spec/1-graphs.rst."""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.config import config
from reference.errors import SpecTypeError
from reference.graph.basic import Constant, Variable
from reference.graph.type import TensorType, check_dtype, literal_dtype


def _pt():  # noqa: ANN202 - the user-facing namespace, imported late to avoid a cycle
    import reference.tensor as pt

    return pt


class TensorVariable(Variable):
    """A variable of :class:`TensorType`, with numpy-like operators and methods."""

    type: TensorType
    #: numpy defers to our operators, so ``np.int64(2) + x`` is ``add(int64 constant, x)``
    #: (TYPE-LITERAL-1), as in PyTensor.
    __array_priority__ = 1000

    def __init__(self, type: TensorType, owner: Any = None, index: int | None = None,  # noqa: A002
                 name: str | None = None) -> None:
        super().__init__(type, owner, index, name)
        if config.warn_float64 != "ignore" and type.dtype == "float64" and not isinstance(self, Constant):
            _float64_created()  # GRAPH-CONFIG-1: warn_float64

    # -- type attributes ------------------------------------------------------------------
    @property
    def dtype(self) -> str:
        return self.type.dtype

    @property
    def ndim(self) -> int:
        return self.type.ndim

    @property
    def broadcastable(self) -> tuple[bool, ...]:
        return self.type.broadcastable

    @property
    def shape(self) -> TensorVariable:
        return _pt().shape(self)

    @property
    def size(self) -> TensorVariable:
        return _pt().prod(self.shape)

    @property
    def T(self) -> TensorVariable:  # noqa: N802 - numpy's name
        return _pt().transpose(self)

    # -- arithmetic -----------------------------------------------------------------------
    def __add__(self, other: Any) -> TensorVariable:
        return _pt().add(self, other)

    def __radd__(self, other: Any) -> TensorVariable:
        return _pt().add(other, self)

    def __sub__(self, other: Any) -> TensorVariable:
        return _pt().sub(self, other)

    def __rsub__(self, other: Any) -> TensorVariable:
        return _pt().sub(other, self)

    def __mul__(self, other: Any) -> TensorVariable:
        return _pt().mul(self, other)

    def __rmul__(self, other: Any) -> TensorVariable:
        return _pt().mul(other, self)

    def __truediv__(self, other: Any) -> TensorVariable:
        return _pt().true_div(self, other)

    def __rtruediv__(self, other: Any) -> TensorVariable:
        return _pt().true_div(other, self)

    def __floordiv__(self, other: Any) -> TensorVariable:
        return _pt().int_div(self, other)

    def __rfloordiv__(self, other: Any) -> TensorVariable:
        return _pt().int_div(other, self)

    def __mod__(self, other: Any) -> TensorVariable:
        return _pt().mod(self, other)

    def __rmod__(self, other: Any) -> TensorVariable:
        return _pt().mod(other, self)

    def __pow__(self, other: Any) -> TensorVariable:
        return _pt().pow(self, other)

    def __rpow__(self, other: Any) -> TensorVariable:
        return _pt().pow(other, self)

    def __neg__(self) -> TensorVariable:
        return _pt().neg(self)

    def __abs__(self) -> TensorVariable:
        return _pt().abs(self)

    def __matmul__(self, other: Any) -> TensorVariable:
        return _pt().matmul(self, other)

    def __rmatmul__(self, other: Any) -> TensorVariable:
        return _pt().matmul(other, self)

    # -- comparisons and logic (== and != stay identity, as in PyTensor) ---------------------
    def __lt__(self, other: Any) -> TensorVariable:
        return _pt().lt(self, other)

    def __le__(self, other: Any) -> TensorVariable:
        return _pt().le(self, other)

    def __gt__(self, other: Any) -> TensorVariable:
        return _pt().gt(self, other)

    def __ge__(self, other: Any) -> TensorVariable:
        return _pt().ge(self, other)

    __hash__ = Variable.__hash__

    def __and__(self, other: Any) -> TensorVariable:
        return _pt().and_(self, other)

    def __rand__(self, other: Any) -> TensorVariable:
        return _pt().and_(other, self)

    def __or__(self, other: Any) -> TensorVariable:
        return _pt().or_(self, other)

    def __ror__(self, other: Any) -> TensorVariable:
        return _pt().or_(other, self)

    def __xor__(self, other: Any) -> TensorVariable:
        return _pt().xor(self, other)

    def __rxor__(self, other: Any) -> TensorVariable:
        return _pt().xor(other, self)

    def __invert__(self) -> TensorVariable:
        return _pt().invert(self)

    def __bool__(self) -> bool:
        raise SpecTypeError(
            "GRAPH-VAR-1",
            f"the truth value of symbolic variable {self} is unknown until it is evaluated; "
            "use pt.switch or scan's until instead of Python's if/and/or",
        )

    def __iter__(self):  # noqa: ANN204
        raise SpecTypeError(
            "GRAPH-VAR-1", f"symbolic variable {self} cannot be iterated; use scan or indexing"
        )

    def __len__(self) -> int:
        raise SpecTypeError(
            "GRAPH-VAR-1", f"len() of symbolic variable {self} is unknown; use {self}.shape[0]"
        )

    # -- indexing -------------------------------------------------------------------------
    def __getitem__(self, index: Any) -> TensorVariable:
        return _pt().subtensor.getitem(self, index)

    # -- methods --------------------------------------------------------------------------
    def astype(self, dtype: Any) -> TensorVariable:
        return _pt().cast(self, dtype)

    def sum(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, acc_dtype: Any = None) -> TensorVariable:  # noqa: E501
        return _pt().sum(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def prod(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, acc_dtype: Any = None) -> TensorVariable:  # noqa: E501
        return _pt().prod(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def mean(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, acc_dtype: Any = None) -> TensorVariable:  # noqa: E501
        return _pt().mean(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def var(self, axis: Any = None, ddof: Any = 0, keepdims: bool = False, corrected: bool = False) -> TensorVariable:  # noqa: E501
        """:func:`reference.tensor.var` of this tensor (OP-REDUCE-7)."""
        return _pt().var(self, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)

    def std(self, axis: Any = None, ddof: Any = 0, keepdims: bool = False, corrected: bool = False) -> TensorVariable:  # noqa: E501
        """:func:`reference.tensor.std` of this tensor (OP-REDUCE-8)."""
        return _pt().std(self, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)

    def argmax(self, axis: Any = None, keepdims: bool = False) -> TensorVariable:
        return _pt().argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis: Any = None, keepdims: bool = False) -> TensorVariable:
        return _pt().argmin(self, axis=axis, keepdims=keepdims)

    def any(self, axis: Any = None, keepdims: bool = False) -> TensorVariable:
        return _pt().any(self, axis=axis, keepdims=keepdims)

    def all(self, axis: Any = None, keepdims: bool = False) -> TensorVariable:
        return _pt().all(self, axis=axis, keepdims=keepdims)

    def cumsum(self, axis: Any = None) -> TensorVariable:
        return _pt().cumsum(self, axis=axis)

    def reshape(self, *shape: Any, ndim: int | None = None) -> TensorVariable:
        if len(shape) == 1 and not isinstance(shape[0], int | np.integer):
            shape = shape[0]
        return _pt().reshape(self, shape, ndim=ndim)

    def flatten(self, ndim: int = 1) -> TensorVariable:
        return _pt().flatten(self, ndim)

    def dimshuffle(self, *pattern: Any) -> TensorVariable:
        if len(pattern) == 1 and isinstance(pattern[0], list | tuple):
            pattern = tuple(pattern[0])
        return _pt().dimshuffle(self, pattern)

    def transpose(self, *axes: Any) -> TensorVariable:
        if len(axes) == 1 and isinstance(axes[0], list | tuple):
            axes = tuple(axes[0])
        return _pt().transpose(self, axes or None)

    def squeeze(self, axis: Any = None) -> TensorVariable:
        return _pt().squeeze(self, axis=axis)

    def dot(self, other: Any) -> TensorVariable:
        return _pt().dot(self, other)

    def clip(self, a_min: Any, a_max: Any) -> TensorVariable:
        return _pt().clip(self, a_min, a_max)

    def copy(self, name: str | None = None) -> TensorVariable:
        result = _pt().identity(self)
        result.name = name
        return result

    def nonzero_values(self) -> TensorVariable:
        return self[_pt().neq(self, 0)]

    # -- PyTensor's other methods: each is the pt function of the same name -----------------
    def set(self, y: Any, **kwargs: Any) -> TensorVariable:
        """``pt.set_subtensor(self, y)``; ``self`` is an indexed tensor (OP-SETSUB-1)."""
        return _pt().set_subtensor(self, y, **kwargs)

    def inc(self, y: Any, **kwargs: Any) -> TensorVariable:
        """``pt.inc_subtensor(self, y)``; ``self`` is an indexed tensor (OP-SETSUB-2)."""
        return _pt().inc_subtensor(self, y, **kwargs)

    @property
    def mT(self) -> TensorVariable:  # noqa: N802 - numpy's name
        return _pt().matrix_transpose(self)

    @property
    def real(self) -> TensorVariable:
        return _pt().real(self)

    @property
    def imag(self) -> TensorVariable:
        return _pt().imag(self)

    def max(self, axis: Any = None, keepdims: bool = False, initial: Any = None) -> TensorVariable:
        return _pt().max(self, axis=axis, keepdims=keepdims, initial=initial)

    def min(self, axis: Any = None, keepdims: bool = False, initial: Any = None) -> TensorVariable:
        return _pt().min(self, axis=axis, keepdims=keepdims, initial=initial)

    def cumprod(self, axis: Any = None) -> TensorVariable:
        return _pt().cumprod(self, axis=axis)

    def sort(self, axis: Any = -1, kind: Any = "quicksort", order: Any = None) -> TensorVariable:
        return _pt().sort(self, axis, kind, order)

    def argsort(self, axis: Any = -1, kind: Any = "quicksort", order: Any = None) -> TensorVariable:
        return _pt().argsort(self, axis, kind, order)

    def repeat(self, repeats: Any, axis: Any = None) -> TensorVariable:
        return _pt().repeat(self, repeats, axis)

    def take(self, indices: Any, axis: Any = None, mode: str = "raise") -> TensorVariable:
        return _pt().take(self, indices, axis, mode)

    def swapaxes(self, axis1: int, axis2: int) -> TensorVariable:
        return _pt().swapaxes(self, axis1, axis2)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> TensorVariable:
        return _pt().diagonal(self, offset, axis1, axis2)

    def trace(self) -> TensorVariable:
        return _pt().trace(self)

    def ravel(self) -> TensorVariable:
        return _pt().flatten(self)

    def nonzero(self, return_matrix: bool = False) -> Any:
        return _pt().nonzero(self, return_matrix=return_matrix)

    def ptp(self, axis: Any = None) -> TensorVariable:
        return _pt().ptp(self, axis)

    def searchsorted(self, v: Any, side: str = "left", sorter: Any = None) -> TensorVariable:
        return _pt().searchsorted(self, v, side, sorter)

    def choose(self, choices: Any, mode: str = "raise") -> TensorVariable:
        return _pt().choose(self, choices, mode=mode)

    def compress(self, a: Any, axis: Any = None) -> TensorVariable:
        """``pt.compress(self, a, axis)``: ``self`` is the condition, as in PyTensor."""
        return _pt().compress(self, a, axis=axis)

    def fill(self, value: Any) -> TensorVariable:
        return _pt().fill(self, value)

    def zeros_like(self, dtype: Any = None) -> TensorVariable:
        return _pt().zeros_like(self, dtype=dtype)

    def ones_like(self, dtype: Any = None) -> TensorVariable:
        return _pt().ones_like(self, dtype=dtype)

    def norm(self, L: Any, axis: Any = None, keepdims: bool = False) -> TensorVariable:  # noqa: N803 - PyTensor's name
        """``sum(abs(self) ** L, axis) ** (1 / L)``; ``L=inf`` is the maximum of ``abs(self)``."""
        pt = _pt()
        if L == 0:
            raise SpecTypeError("OP-LINALG-1", "norm: L=0 is not supported")
        if np.isinf(L):
            return pt.max(abs(self), axis=axis, keepdims=keepdims)
        return pt.pow(pt.sum(pt.pow(abs(self), L), axis=axis, keepdims=keepdims), 1.0 / L)

    def round(self, mode: str | None = None) -> TensorVariable:
        return _pt().round(self, mode) if mode is not None else _pt().round(self)

    def conj(self) -> TensorVariable:
        return _pt().conj(self)

    conjugate = conj

    # elementwise functions as methods, as in PyTensor
    def exp(self) -> TensorVariable:
        return _pt().exp(self)

    def exp2(self) -> TensorVariable:
        return _pt().exp2(self)

    def expm1(self) -> TensorVariable:
        return _pt().expm1(self)

    def log(self) -> TensorVariable:
        return _pt().log(self)

    def log10(self) -> TensorVariable:
        return _pt().log10(self)

    def log1p(self) -> TensorVariable:
        return _pt().log1p(self)

    def log2(self) -> TensorVariable:
        return _pt().log2(self)

    def sqrt(self) -> TensorVariable:
        return _pt().sqrt(self)

    def sin(self) -> TensorVariable:
        return _pt().sin(self)

    def cos(self) -> TensorVariable:
        return _pt().cos(self)

    def tan(self) -> TensorVariable:
        return _pt().tan(self)

    def sinh(self) -> TensorVariable:
        return _pt().sinh(self)

    def cosh(self) -> TensorVariable:
        return _pt().cosh(self)

    def tanh(self) -> TensorVariable:
        return _pt().tanh(self)

    def arcsin(self) -> TensorVariable:
        return _pt().arcsin(self)

    def arccos(self) -> TensorVariable:
        return _pt().arccos(self)

    def arctan(self) -> TensorVariable:
        return _pt().arctan(self)

    def arcsinh(self) -> TensorVariable:
        return _pt().arcsinh(self)

    def arccosh(self) -> TensorVariable:
        return _pt().arccosh(self)

    def arctanh(self) -> TensorVariable:
        return _pt().arctanh(self)

    def ceil(self) -> TensorVariable:
        return _pt().ceil(self)

    def floor(self) -> TensorVariable:
        return _pt().floor(self)

    def trunc(self) -> TensorVariable:
        return _pt().trunc(self)

    def deg2rad(self) -> TensorVariable:
        return _pt().deg2rad(self)

    def rad2deg(self) -> TensorVariable:
        return _pt().rad2deg(self)

    def __divmod__(self, other: Any) -> tuple[TensorVariable, TensorVariable]:
        return _pt().divmod(self, other)

    def __rdivmod__(self, other: Any) -> tuple[TensorVariable, TensorVariable]:
        return _pt().divmod(other, self)

    def __ceil__(self) -> TensorVariable:
        return _pt().ceil(self)

    def __floor__(self) -> TensorVariable:
        return _pt().floor(self)

    def __trunc__(self) -> TensorVariable:
        return _pt().trunc(self)


def _float64_created() -> None:
    """``config.warn_float64``: a float64 variable (not a constant) was created."""
    message = ("You are creating a TensorVariable with float64 dtype. You requested an action via "
               f"the flag warn_float64={config.warn_float64} (GRAPH-CONFIG-1)")
    if config.warn_float64 == "warn":
        import os
        import sys
        import warnings

        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        frame, level = sys._getframe(1), 2  # point at the user's line, outside reference/
        while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
            frame, level = frame.f_back, level + 1
        warnings.warn(message, UserWarning, stacklevel=level)
    elif config.warn_float64 == "raise":
        raise SpecTypeError("GRAPH-CONFIG-1", message)
    elif config.warn_float64 == "pdb":
        import pdb

        pdb.set_trace()


class TensorConstant(Constant, TensorVariable):
    """A tensor constant; its static shape is the value's shape (GRAPH-ROOT-2)."""

    def __init__(self, type: TensorType, data: np.ndarray, name: str | None = None) -> None:  # noqa: A002
        data = np.array(data, dtype=type.dtype)
        data.setflags(write=False)
        Constant.__init__(self, type, data, name)

    def clone(self) -> TensorConstant:
        return TensorConstant(self.type, self.data, name=self.name)


def constant(x: Any, name: str | None = None, ndim: int | None = None, dtype: Any = None) -> TensorConstant:  # noqa: E501
    """A constant holding ``x``; without ``dtype``, the literal rules choose one (TYPE-LITERAL-1)."""
    if isinstance(x, Variable):
        raise SpecTypeError("TYPE-LITERAL-1", f"constant() needs a value, got variable {x}")
    chosen = check_dtype(dtype) if dtype is not None else literal_dtype(x)
    try:
        if dtype is None:
            with np.errstate(over="ignore"):  # floatX=float32: 1e40 is inf, as in PyTensor
                data = np.asarray(x, dtype=chosen)
        else:  # an explicit dtype casts, wrapping out-of-range values as numpy's astype does
            with np.errstate(all="ignore"):
                data = np.asarray(x).astype(chosen)
    except (TypeError, ValueError, OverflowError) as error:
        raise SpecTypeError(
            "TYPE-LITERAL-1", f"cannot make a {chosen} constant from {x!r}: {error}"
        ) from None
    if data.dtype == object:
        raise SpecTypeError("TYPE-LITERAL-1", f"cannot make a constant from {x!r}")
    if ndim is not None:
        extra = data.shape[:max(data.ndim - ndim, 0)]
        if any(n != 1 for n in extra):
            raise SpecTypeError("TYPE-LITERAL-1", f"value {x!r} has more than {ndim} dimensions, "
                                f"and its extra leading axes {extra} are not all of length 1")
        data = data.reshape((1,) * (ndim - data.ndim) + data.shape[len(extra):])
    return TensorConstant(TensorType(chosen, data.shape), data, name=name)


def as_tensor_variable(x: Any, name: str | None = None, ndim: int | None = None, dtype: Any = None) -> TensorVariable:  # noqa: E501
    """Turn ``x`` into a tensor variable (TYPE-LITERAL-2).

    Variables are returned as they are; lists and tuples holding variables are stacked;
    Python booleans are refused (use ``np.array(True)``); other values become constants.
    """
    if isinstance(x, TensorVariable):
        result = x
    elif isinstance(x, Variable):
        raise SpecTypeError("TYPE-LITERAL-2", f"{x} of type {x.type} is not a tensor")
    elif isinstance(x, bool):
        raise SpecTypeError(
            "TYPE-LITERAL-2",
            f"cannot cast {x} as a tensor variable; use np.array({x}) for a boolean constant",
        )
    elif isinstance(x, list | tuple) and any(isinstance(item, Variable) for item in _flat(x)):
        result = _pt().stack([as_tensor_variable(item) for item in x])
    else:
        return constant(x, name=name, ndim=ndim, dtype=dtype)
    if dtype is not None and result.dtype != check_dtype(dtype):
        result = _pt().cast(result, dtype)
    if ndim is not None and result.ndim > ndim and all(n == 1 for n in result.type.shape[:result.ndim - ndim]):
        result = result.dimshuffle(*range(result.ndim - ndim, result.ndim))  # drop broadcastable axes
    if ndim is not None and result.ndim != ndim:
        raise SpecTypeError(
            "TYPE-LITERAL-2", f"{result} has {result.ndim} dimensions, expected {ndim}"
        )
    return result


def _flat(items: Any) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list | tuple):
            out.extend(_flat(item))
        else:
            out.append(item)
    return out
