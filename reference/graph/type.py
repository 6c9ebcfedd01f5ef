"""Tensor types and the dtype rules.  Spec: spec/1-graphs.rst (TYPE-*)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.config import config
from reference.errors import SpecTypeError

#: Dtypes a tensor may have (TYPE-DTYPE-1).
DTYPES = (
    "bool",
    "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64",
    "complex64", "complex128",
)  # fmt: skip

INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
FLOAT_DTYPES = ("float16", "float32", "float64")
COMPLEX_DTYPES = ("complex64", "complex128")
DISCRETE_DTYPES = ("bool", *INT_DTYPES)

_NDIM_NAMES = {0: "Scalar", 1: "Vector", 2: "Matrix"}


def check_dtype(dtype: Any, argument: str = "dtype") -> str:
    """Normalise a dtype spelling to its name; unknown dtypes raise (TYPE-DTYPE-1)."""
    if dtype == "floatX":
        return config.floatX
    try:
        name = np.dtype(dtype).name
    except TypeError:
        raise SpecTypeError("TYPE-DTYPE-1", f"{argument}: {dtype!r} is not a dtype") from None
    if name not in DTYPES:
        raise SpecTypeError("TYPE-DTYPE-1", f"{argument}: dtype {name} is not supported")
    return name


def upcast(*dtypes: str) -> str:
    """The dtype of an operation on several dtypes: numpy's promotion, pairwise (TYPE-UPCAST-1)."""
    result = np.dtype(dtypes[0])
    for dtype in dtypes[1:]:
        result = np.promote_types(result, np.dtype(dtype))
    return result.name


def upgrade_to_float(dtype: str) -> str:
    """The dtype of a float-valued op (``exp``, ``/``, ...) on one input dtype (TYPE-UPCAST-2).

    Integers of up to 16 bits and booleans become float32, wider integers float64; floats
    and complex numbers keep their dtype.
    """
    if dtype in ("bool", "int8", "int16", "uint8", "uint16"):
        return "float32"
    if dtype in ("int32", "int64", "uint32", "uint64"):
        return "float64"
    return dtype


class TensorType:
    """The type of a tensor: a dtype and a static shape (``None`` = unknown length).

    Implements :rule:`TYPE-SHAPE-1`: a dimension of static length 1 is *broadcastable*.
    """

    __slots__ = ("dtype", "shape", "name", "numpy_dtype", "known_lengths")

    def __init__(
        self,
        dtype: Any,
        shape: Sequence[int | None] | None = None,
        *,
        broadcastable: Sequence[bool] | None = None,
        name: str | None = None,
    ) -> None:
        self.dtype = check_dtype(dtype)
        if shape is None and broadcastable is not None:
            shape = [1 if b else None for b in broadcastable]
        if shape is None:
            raise SpecTypeError("TYPE-SHAPE-1", "TensorType needs a shape (or broadcastable)")
        checked: list[int | None] = []
        for length in shape:
            if length is not None:
                if isinstance(length, bool) or not isinstance(length, int | np.integer):
                    raise SpecTypeError(
                        "TYPE-SHAPE-1", f"shape entries must be int or None, got {length!r}"
                    )
                if length < 0:
                    raise SpecTypeError("TYPE-SHAPE-1", f"negative static length {length}")
                length = int(length)
            checked.append(length)
        self.shape: tuple[int | None, ...] = tuple(checked)
        self.name = name
        self.numpy_dtype = np.dtype(self.dtype)
        #: ``(axis, length)`` for each axis of known static length, checked by :meth:`filter`
        self.known_lengths = tuple((axis, n) for axis, n in enumerate(self.shape) if n is not None)

    def __getstate__(self) -> dict[str, Any]:  # every pickle protocol (FN-PICKLE-1)
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    # -- derived attributes ---------------------------------------------------------------
    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def broadcastable(self) -> tuple[bool, ...]:
        return tuple(length == 1 for length in self.shape)

    def clone(self, dtype: Any = None, shape: Sequence[int | None] | None = None) -> TensorType:
        return TensorType(
            self.dtype if dtype is None else dtype, self.shape if shape is None else shape
        )

    # -- identity -------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TensorType)
            and other.dtype == self.dtype
            and other.shape == self.shape
        )

    def __hash__(self) -> int:
        return hash((self.dtype, self.shape))

    def is_super(self, other: TensorType) -> bool:
        """True if every value of ``other`` is a value of ``self`` (TYPE-SHAPE-2)."""
        return (
            self.dtype == other.dtype
            and self.ndim == other.ndim
            and all(s is None or s == o for s, o in zip(self.shape, other.shape, strict=True))
        )

    def __str__(self) -> str:
        if self.name:
            return self.name
        kind = _NDIM_NAMES.get(self.ndim, f"Tensor{self.ndim}")
        dims = ", ".join("?" if s is None else str(s) for s in self.shape)
        if self.ndim == 1:
            dims += ","
        return f"{kind}({self.dtype}, shape=({dims}))"

    def __repr__(self) -> str:
        """``TensorType(float64, shape=(None,))``, as PyTensor (GRAPH-PRINT-1)."""
        return f"TensorType({self.dtype}, shape={self.shape})"

    # -- variables and values -------------------------------------------------------------
    def __call__(self, name: str | None = None, dtype: Any = None,  # noqa: ANN204 - avoids an import cycle
                 shape: Sequence[int | None] | None = None):
        """A new input variable of this type, or of this type with another ``dtype`` or
        static ``shape`` of the same ndim (TYPE-SHAPE-1)."""
        from reference.tensor.variable import TensorVariable

        if dtype is not None or shape is not None:
            if shape is not None and len(shape) != self.ndim:
                from reference.errors import SpecValueError

                raise SpecValueError("TYPE-SHAPE-1", f"expected a shape of {self.ndim} entries, got {tuple(shape)}")
            return self.clone(dtype, shape)(name)
        return TensorVariable(self, name=name)

    def value_fits(self, value: np.ndarray) -> bool:
        """True if ``value`` has this dtype, ndim and every known static length (TYPE-VALUE-1)."""
        return (
            value.dtype == self.numpy_dtype
            and value.ndim == self.ndim
            and all(s is None or s == v for s, v in zip(self.shape, value.shape, strict=True))
        )

    def filter(self, value: Any, *, argument: str, allow_downcast: bool | None = None) -> np.ndarray:
        """Convert a user value to a value of this type, or raise (FN-INPUT-1 .. FN-INPUT-4).

        * an ndarray of this dtype is taken as it is;
        * ``allow_downcast=True``: any value is cast to the dtype;
        * an ndarray of another dtype is accepted only when its dtype upcasts to ours;
        * a Python float goes to a floatX tensor (unless ``allow_downcast=False``);
        * other values (lists, ints, numpy scalars) are accepted when the conversion is exact.

        Then ndim and static lengths must match.
        """
        if isinstance(value, np.ndarray) and value.dtype == self.numpy_dtype:
            data = value
        elif allow_downcast:
            try:
                with np.errstate(all="ignore"):
                    data = np.asarray(value).astype(self.numpy_dtype)  # FN-INPUT-1: a cast, wrapping as numpy does
            except (TypeError, ValueError, OverflowError) as error:
                raise SpecTypeError("FN-INPUT-4", f"{argument}: cannot convert {value!r} to {self}: {error}") from None
        elif isinstance(value, np.ndarray):
            if upcast(self.dtype, value.dtype.name) != self.dtype:
                raise SpecTypeError(
                    "FN-INPUT-2",
                    f"{argument}: expected {self}, got an array of dtype {value.dtype.name}; "
                    f"storing it as {self.dtype} could lose precision. Cast the value to "
                    f"{self.dtype} or pass allow_input_downcast=True",
                )
            data = value.astype(self.numpy_dtype)
        elif (
            allow_downcast is None
            and isinstance(value, float | np.floating)
            and self.dtype == config.floatX
        ):
            data = np.asarray(value, dtype=self.numpy_dtype)
        else:
            data = _exact_conversion(value, self, argument)
        if data.ndim != self.ndim:
            raise SpecTypeError(
                "FN-INPUT-3",
                f"{argument}: expected {self} ({self.ndim} dimension(s)), "
                f"got a value with {data.ndim} dimension(s) and shape {data.shape}",
            )
        for axis, static in self.known_lengths:
            if data.shape[axis] != static:
                raise SpecTypeError(
                    "FN-INPUT-3",
                    f"{argument}: expected {self}, got shape {data.shape} "
                    f"(axis {axis} must have length {static})",
                )
        return data


def _exact_conversion(value: Any, type_: TensorType, argument: str) -> np.ndarray:
    """Convert a non-array value; refuse it if the conversion changes it (FN-INPUT-4)."""
    try:
        natural = np.asarray(value)
        with np.errstate(over="ignore"):  # 1e40 into float32 is inf, then refused below
            converted = np.asarray(value, dtype=type_.numpy_dtype)
    except (TypeError, ValueError, OverflowError) as error:
        raise SpecTypeError(
            "FN-INPUT-4", f"{argument}: cannot convert {value!r} to {type_}: {error}"
        ) from None
    same = natural.shape == converted.shape and np.all(
        (natural == converted) | (np.isnan(natural) & np.isnan(converted))
        if natural.dtype.kind in "fc" and converted.dtype.kind in "fc"
        else natural == converted
    )
    if not same:
        raise SpecTypeError(
            "FN-INPUT-4",
            f"{argument}: expected {type_}, got {type(value).__name__} value {value!r} "
            f"which cannot be converted to {type_.dtype} without losing precision; "
            "pass allow_input_downcast=True to accept the loss",
        )
    return converted


def literal_dtype(value: Any) -> str:
    """The dtype of a constant made from a Python or numpy value (TYPE-LITERAL-1)."""
    if isinstance(value, np.ndarray | np.generic):
        return value.dtype.name
    if isinstance(value, bool):
        return "int8"
    if isinstance(value, int):
        for dtype in ("int8", "int16", "int32", "int64"):
            info = np.iinfo(dtype)
            if info.min <= value <= info.max:
                return dtype
        if 0 <= value <= np.iinfo("uint64").max:
            return "uint64"
        raise SpecTypeError("TYPE-LITERAL-1", f"integer {value} does not fit in 64 bits")
    if isinstance(value, float):
        if config.floatX == "float32":
            return "float32"
        with np.errstate(over="ignore"):
            return "float32" if float(np.float32(value)) == value else "float64"
    if isinstance(value, complex):
        return "complex128"
    array = np.asarray(value)
    if array.size == 0 and array.dtype == np.float64:
        return config.floatX
    return array.dtype.name
