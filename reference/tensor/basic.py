"""Tensor constructors and array-creating ops.  Spec: spec/2-ops.rst (OP-ALLOC-*, OP-JOIN-*, ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.config import config
from reference.errors import SpecAxisError, SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import DISCRETE_DTYPES, INT_DTYPES, TensorType, check_dtype, upcast
from reference.tensor.shape import constant_value, expand_dims
from reference.tensor.variable import TensorVariable, as_tensor_variable


# -- symbolic inputs --------------------------------------------------------------------
def _looks_like_dtype(x: Any) -> bool:
    """PyTensor's test for a positional ``tensor`` argument that is a dtype, not a name."""
    if not isinstance(x, str):
        return True  # a numpy dtype or scalar type
    if x == "floatX":
        return True
    if len(x) <= 2:  # "x", "f", "b1": names, as in PyTensor (many short strings are dtypes)
        return False
    try:
        np.dtype(x)
    except TypeError:
        return False
    return True


def tensor(first: Any = None, shape: Sequence[int | None] | None = None, *, dtype: Any = None, name: str | None = None, ndim: int | None = None) -> TensorVariable:  # noqa: E501
    """A symbolic input of ``dtype`` (default ``config.floatX``) and static ``shape``.

    PyTensor's form is ``tensor(name, *, dtype=..., shape=...)``; the older form with the
    dtype first (``tensor("float64", shape)``) is also accepted when ``first`` looks like a
    dtype and ``dtype`` is not given.
    """
    if first is not None:
        if dtype is None and _looks_like_dtype(first):
            dtype = first
        elif name is None and isinstance(first, str):
            name = first
        else:
            raise SpecTypeError("TYPE-SHAPE-1", f"tensor: cannot read {first!r} as a name or a dtype")
    if shape is None:
        shape = (None,) * (ndim or 0)
    elif ndim is not None and len(shape) != ndim:
        raise SpecValueError("TYPE-SHAPE-1", f"tensor: shape {shape} does not have ndim={ndim}")
    return TensorType(config.floatX if dtype is None else dtype, shape)(name)


def _maker(ndim: int, default_dtype: str | None):  # noqa: ANN202
    def make(name: str | None = None, dtype: Any = None, shape: Sequence[int | None] | None = None) -> TensorVariable:  # noqa: E501
        chosen = dtype if dtype is not None else default_dtype
        if shape is None:
            shape = (None,) * ndim
        if len(shape) != ndim:
            raise SpecValueError("TYPE-SHAPE-1", f"expected a shape of {ndim} entries, got {shape}")
        return TensorType(config.floatX if chosen is None else chosen, shape)(name)

    return make


scalar = _maker(0, None)
vector = _maker(1, None)
matrix = _maker(2, None)
tensor3 = _maker(3, None)
tensor4 = _maker(4, None)
tensor5 = _maker(5, None)
tensor6 = _maker(6, None)
tensor7 = _maker(7, None)
_PREFIXES = {"b": "int8", "w": "int16", "i": "int32", "l": "int64", "f": "float32",
             "d": "float64", "c": "complex64", "z": "complex128"}
#: The constructor names by ndim (TYPE-SHAPE-1).
_KINDS = ("scalar", "vector", "matrix", "tensor3", "tensor4", "tensor5", "tensor6", "tensor7")
for _kind in _KINDS:
    globals()[_kind].__name__ = globals()[_kind].__qualname__ = _kind
# the typed constructors are types, as in PyTensor: pt.dvector("x").type is pt.dvector
for _prefix, _dtype in _PREFIXES.items():
    for _n, _kind in enumerate(_KINDS):
        globals()[_prefix + _kind] = TensorType(_dtype, (None,) * _n)


def _row_col(kind: str, name: str | None, dtype: Any, shape: Any) -> TensorVariable:
    """A matrix input whose first (row) or second (col) static length is 1 (OP-ROWCOL-1)."""
    if not isinstance(shape, Sequence) or isinstance(shape, str):
        raise SpecTypeError("OP-ROWCOL-1", f"{kind}: shape must be a tuple of 2 lengths, got {shape!r}")
    shape = tuple(shape)
    if len(shape) != 2:
        raise SpecValueError("OP-ROWCOL-1", f"{kind}: shape must have 2 entries, got {shape}")
    axis = 0 if kind == "row" else 1
    if shape[axis] is None or shape[axis] != 1:
        raise SpecValueError(
            "OP-ROWCOL-1",
            f"{kind}: the {('first', 'second')[axis]} length of a {kind} must be 1, got shape {shape}",
        )
    return TensorType(config.floatX if dtype is None else dtype, shape)(name)


def row(name: str | None = None, *, dtype: Any = None, shape: Sequence[int | None] = (1, None)) -> TensorVariable:  # noqa: E501
    """A matrix input of static shape ``(1, None)`` (or ``shape``, whose first entry must be 1)
    and ``dtype`` (default ``config.floatX``) (OP-ROWCOL-1)."""
    return _row_col("row", name, dtype, shape)


def col(name: str | None = None, *, dtype: Any = None, shape: Sequence[int | None] = (None, 1)) -> TensorVariable:  # noqa: E501
    """A matrix input of static shape ``(None, 1)`` (or ``shape``, whose second entry must be 1)
    and ``dtype`` (default ``config.floatX``) (OP-ROWCOL-1)."""
    return _row_col("col", name, dtype, shape)


def _typed_row_col(name_: str, kind: str, dtype: str):  # noqa: ANN202
    default = (1, None) if kind == "row" else (None, 1)

    def make(name: str | None = None, *, shape: Sequence[int | None] | None = None) -> TensorVariable:
        if shape is not None and (
            not isinstance(shape, Sequence)
            or len(shape) != 2
            or any(d is not None and d != s for d, s in zip(default, shape, strict=True))
        ):  # OP-ROWCOL-1: shape= may only fill in the unknown length
            raise SpecValueError(
                "OP-ROWCOL-1", f"{name_}: shape={shape} is incompatible with the type's shape {default}"
            )
        return _row_col(kind, name, dtype, default if shape is None else shape)

    make.__name__ = make.__qualname__ = name_
    make.__doc__ = f"A {dtype} {kind} input, static shape {default} (OP-ROWCOL-1)."
    return make


for _prefix, _dtype in _PREFIXES.items():
    for _kind in ("row", "col"):
        globals()[_prefix + _kind] = _typed_row_col(_prefix + _kind, _kind, _dtype)


def _plural(name_: str, single: Any):  # noqa: ANN202
    """The plural form of the constructor ``single``: several inputs at once (TYPE-SHAPE-3)."""

    def make(*names: Any) -> Any:
        if names and isinstance(names[0], int):  # TYPE-SHAPE-3 step 1: a count
            return [single() for _ in range(names[0])]
        if len(names) == 1:  # TYPE-SHAPE-3 step 2: one argument holds the names
            (given,) = names
            if not isinstance(given, str | list | tuple):
                raise SpecTypeError(
                    "TYPE-SHAPE-3", f"{name_}: names must be a count or names (str), got {given!r}"
                )
            if isinstance(given, list | tuple) and len(given) == 1:
                raise SpecTypeError(
                    "TYPE-SHAPE-3",
                    f"{name_}: names[0] must be a string, got the {type(given).__name__} {given!r}; "
                    f"pass the name itself ({name_}({given[0]!r}))",
                )
            names = tuple(given)
        for i, n in enumerate(names):
            if n is not None and not isinstance(n, str):
                raise SpecTypeError("TYPE-SHAPE-3", f"{name_}: names[{i}] must be a string, got {n!r}")
        if len(names) == 1:  # TYPE-SHAPE-3 step 3: one name, one variable
            return single(names[0])
        return [single(n) for n in names]

    make.__name__ = make.__qualname__ = name_
    make.__doc__ = (
        f"Several ``{_singular(name_)}`` inputs: ``{name_}(n)`` makes ``n`` unnamed ones, "
        f"``{name_}('a', 'b')`` one per name (TYPE-SHAPE-3)."
    )
    return make


#: The plural constructors PyTensor has: ``scalars``, ..., ``tensor7s``, ``rows``, ``cols``,
#: and their ``d``, ``f``, ``i``, ``l`` forms (TYPE-SHAPE-3).
_PLURALS = {"scalar": "scalars", "vector": "vectors", "matrix": "matrices", "tensor3": "tensor3s",
            "tensor4": "tensor4s", "tensor5": "tensor5s", "tensor6": "tensor6s", "tensor7": "tensor7s",
            "row": "rows", "col": "cols"}


def _singular(plural: str) -> str:
    """``dmatrix`` for ``dmatrices``."""
    for kind, plural_kind in _PLURALS.items():
        if plural.endswith(plural_kind) and plural[:len(plural) - len(plural_kind)] in ("", "d", "f", "i", "l"):
            return plural[:len(plural) - len(plural_kind)] + kind
    return plural


for _prefix in ("", "d", "f", "i", "l"):
    for _kind, _plural_kind in _PLURALS.items():
        globals()[_prefix + _plural_kind] = _plural(_prefix + _plural_kind, globals()[_prefix + _kind])


# -- vectors from scalars ---------------------------------------------------------------
class MakeVector(Op):
    """A vector from scalars, cast to ``dtype`` (OP-JOIN-3)."""

    __props__ = ("dtype",)

    def __init__(self, dtype: str) -> None:
        self.dtype = dtype

    def make_node(self, *items: Any) -> Apply:
        items_ = [as_tensor_variable(x) for x in items]
        for item in items_:
            if item.ndim != 0:
                raise SpecTypeError("OP-JOIN-3", f"MakeVector: {item} is not a scalar ({item.type})")
            if upcast(item.dtype, self.dtype) != self.dtype and not (
                item.dtype in INT_DTYPES and self.dtype in INT_DTYPES
            ):
                raise SpecTypeError("OP-JOIN-3", f"MakeVector: cannot store {item.dtype} in {self.dtype} without loss")
        return Apply(self, items_, [TensorType(self.dtype, (len(items_),))])

    def perform(self, node: Apply, *items: np.ndarray) -> np.ndarray:
        return np.asarray(items, dtype=self.dtype).reshape(len(items))

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [(len(shapes),)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Entry ``i`` of the cotangent (GRAD-OP-3)."""
        from reference.tensor.math import cast

        gz = output_grads[0]
        return [None if x.dtype in DISCRETE_DTYPES else cast(gz[i], x.dtype) for i, x in enumerate(node.inputs)]


def make_vector(items: Sequence[Any], dtype: str | None = None) -> TensorVariable:
    variables = [as_tensor_variable(x) for x in items]
    dtype = dtype or (upcast(*(v.dtype for v in variables)) if variables else "int64")
    return MakeVector(dtype)(*variables)


# -- filled arrays ----------------------------------------------------------------------
class Alloc(Op):
    """An array of shape ``shape`` filled by broadcasting ``value`` (OP-ALLOC-1)."""

    def make_node(self, value: Any, *shape_: Any) -> Apply:
        value = as_tensor_variable(value)
        lengths = [as_tensor_variable(n) for n in shape_]
        for n in lengths:
            if n.ndim != 0 or n.dtype not in INT_DTYPES:
                raise SpecTypeError("OP-ALLOC-1", f"alloc: shape entries must be integer scalars, got {n.type}")
        if value.ndim > len(lengths):
            raise SpecValueError("OP-ALLOC-1", f"alloc: value of {value.ndim} axes cannot fill {len(lengths)} axes")
        static: list[int | None] = []
        value_static = (None,) * (len(lengths) - value.ndim) + value.type.shape
        for axis, (n, length) in enumerate(zip(lengths, value_static, strict=True)):
            known = constant_value(n)
            if known is not None and int(known) < 0:
                raise SpecValueError("OP-ALLOC-1", f"alloc: negative length {int(known)} in the shape (entry {axis})")
            if known is None:  # OP-ALLOC-1: an unknown entry takes the value's length, unless 1
                static.append(None if length == 1 else length)
                continue
            if length is not None and length not in (1, int(known)):
                raise SpecValueError(
                    "OP-ALLOC-1",
                    f"alloc: a value of type {value.type} cannot fill length {int(known)} on "
                    f"axis {axis} of the target shape: its static length there is {length}",
                )
            static.append(int(known))
        return Apply(self, [value, *lengths], [TensorType(value.dtype, static)])

    def perform(self, node: Apply, value: np.ndarray, *shape_: np.ndarray) -> np.ndarray:
        target = tuple(int(n) for n in shape_)
        if any(n < 0 for n in target):
            raise SpecValueError("OP-ALLOC-1", f"alloc: negative length in shape {target}")
        offset = len(target) - value.ndim
        for axis, (length, static) in enumerate(zip(value.shape, node.inputs[0].type.shape, strict=True)):
            if length == 1 and target[offset + axis] != 1 and static != 1:  # as OP-ELEMWISE-2
                raise SpecValueError(
                    "OP-ALLOC-1",
                    f"alloc: runtime broadcasting is not allowed: the value has length 1 on axis {axis} "
                    f"but its type {node.inputs[0].type} does not mark it broadcastable (target shape "
                    f"{target}); use pt.specify_broadcastable if broadcasting is intended",
                )
        try:
            return np.array(np.broadcast_to(value, target))
        except ValueError:
            raise SpecValueError("OP-ALLOC-1", f"alloc: value of shape {value.shape} cannot fill shape {target}") from None

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if any(v is None for v in values[1:]):
            raise LookupError("alloc shape unknown")
        return [tuple(int(v) for v in values[1:])]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The cotangent summed back to the value's shape (GRAD-OP-3)."""
        from reference.tensor.elemwise import reduce_to_input

        value = node.inputs[0]
        g = None if value.dtype in DISCRETE_DTYPES else reduce_to_input(output_grads[0], value)
        return [g] + [None] * (len(node.inputs) - 1)


_alloc = Alloc()


def _shape_entries(shape_: Any) -> list[Any]:
    if isinstance(shape_, TensorVariable):
        if shape_.ndim == 0:
            return [shape_]
        length = shape_.type.shape[0]
        if length is None:
            raise SpecValueError("OP-ALLOC-1", f"the length of shape vector {shape_} must be known statically")
        return [shape_[i] for i in range(length)]
    if isinstance(shape_, int | np.integer):
        return [shape_]
    return list(shape_)


def alloc(value: Any, *shape_: Any) -> TensorVariable:
    """Fill an array of the given shape with ``value`` (OP-ALLOC-1)."""
    return _alloc(value, *shape_)


def broadcast_to(x: Any, shape: Any) -> TensorVariable:
    """``x`` broadcast to ``shape``: ``alloc(x, *shape)``, as PyTensor (OP-BROADCASTTO-1).

    Args:
        x: the tensor to broadcast.
        shape: a sequence of lengths (ints or integer scalars) or an integer vector whose
            length is known statically; it has at least ``x.ndim`` entries.

    Returns:
        A new tensor of ``x``'s dtype; its static shape is :rule:`OP-ALLOC-1`'s.
    """
    if isinstance(shape, TensorVariable):
        if shape.ndim != 1:
            raise SpecTypeError("OP-BROADCASTTO-1", f"broadcast_to: shape must be a vector, got {shape.type}")
        if shape.type.shape[0] is None:
            raise SpecValueError(
                "OP-BROADCASTTO-1", f"broadcast_to: the length of shape {shape} must be known statically"
            )
        entries = [shape[i] for i in range(shape.type.shape[0])]
    elif isinstance(shape, Sequence | np.ndarray) and not isinstance(shape, str) and np.ndim(shape) == 1:
        entries = list(shape)
    else:
        raise SpecTypeError(
            "OP-BROADCASTTO-1", f"broadcast_to: shape must be a sequence of lengths, got {shape!r}"
        )
    x = as_tensor_variable(x)
    if x.ndim > len(entries):
        raise SpecTypeError(
            "OP-BROADCASTTO-1",
            f"broadcast_to: x has {x.ndim} axes, more than the {len(entries)} entries of shape {tuple(entries)}",
        )
    return alloc(x, *entries)


def full(shape_: Any, fill_value: Any, dtype: Any = None) -> TensorVariable:
    """An array of ``shape_`` filled with ``fill_value`` (OP-ALLOC-1)."""
    from reference.tensor.math import cast

    value = as_tensor_variable(fill_value)
    if dtype is not None:
        value = cast(value, dtype)
    return alloc(value, *_shape_entries(shape_))


def zeros(shape_: Any, dtype: Any = None) -> TensorVariable:
    """Zeros of ``dtype`` (default floatX) (OP-ALLOC-2)."""
    return full(shape_, np.asarray(0, dtype=check_dtype(dtype or config.floatX)))


def ones(shape_: Any, dtype: Any = None) -> TensorVariable:
    """Ones of ``dtype`` (default floatX) (OP-ALLOC-2)."""
    return full(shape_, np.asarray(1, dtype=check_dtype(dtype or config.floatX)))


def _like(x: Any, value: Any, dtype: Any) -> TensorVariable:
    """``value`` in ``dtype`` (default ``x``'s) filled against ``x`` (OP-ALLOC-2 step 3):
    ``second(x, value)``, so the result is a function of ``x``, as PyTensor's ``fill``."""
    x = as_tensor_variable(x)
    chosen = check_dtype(dtype) if dtype is not None else x.dtype
    return second(x, np.asarray(value, dtype=chosen))


def zeros_like(x: Any, dtype: Any = None) -> TensorVariable:
    """Zeros with the shape and dtype (or ``dtype``) of ``x`` (OP-ALLOC-2)."""
    return _like(x, 0, dtype)


def ones_like(x: Any, dtype: Any = None) -> TensorVariable:
    """Ones with the shape and dtype (or ``dtype``) of ``x`` (OP-ALLOC-2)."""
    return _like(x, 1, dtype)


def full_like(x: Any, fill_value: Any, dtype: Any = None) -> TensorVariable:
    """``fill_value`` with the shape of ``x`` (OP-ALLOC-2)."""
    x = as_tensor_variable(x)
    chosen = check_dtype(dtype) if dtype is not None else x.dtype
    from reference.tensor.math import cast

    return second(x, cast(as_tensor_variable(fill_value), chosen))


def second(x: Any, y: Any) -> TensorVariable:
    """``y`` broadcast to the shape of ``x``, in ``y``'s dtype (OP-ALLOC-2 step 4): an
    elementwise node reading ``x``, so the result depends on ``x`` as in PyTensor."""
    from reference.tensor.math import second as second_

    return second_(x, y)


fill = second


# -- ranges and identity matrices -------------------------------------------------------
class ARange(Op):
    """``numpy.arange(start, stop, step)`` in ``dtype`` (OP-ARANGE-1); step 0 raises."""

    __props__ = ("dtype",)

    def __init__(self, dtype: str) -> None:
        self.dtype = dtype

    def make_node(self, start: Any, stop: Any, step: Any) -> Apply:
        inputs = [as_tensor_variable(v) for v in (start, stop, step)]
        for name, v in zip(("start", "stop", "step"), inputs, strict=True):
            if v.ndim != 0:
                raise SpecTypeError("OP-ARANGE-1", f"arange: {name} must be a scalar, got {v.type}")
        values = [constant_value(v) for v in inputs]
        length = None
        if all(v is not None for v in values) and values[2] != 0:
            length = len(np.arange(*values, dtype=self.dtype))
        return Apply(self, inputs, [TensorType(self.dtype, (length,))])

    def perform(self, node: Apply, start: np.ndarray, stop: np.ndarray, step: np.ndarray) -> np.ndarray:
        if step == 0:
            raise SpecValueError("OP-ARANGE-1", "arange: step must not be zero")
        return np.arange(start, stop, step, dtype=self.dtype)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if any(v is None for v in values):
            raise LookupError("arange bounds unknown")
        return [self.perform(node, *values).shape]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """No gradient: the result does not vary smoothly with the inputs (GRAD-OP-2)."""
        return [None] * len(node.inputs)


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = None) -> TensorVariable:
    """Evenly spaced values in ``[start, stop)`` (OP-ARANGE-1).

    The dtype, unless given, is the upcast of the three arguments' dtypes, widened to
    int64 (uint64) for integers so that lengths do not overflow.
    """
    if stop is None:
        start, stop = 0, start
    inputs = [as_tensor_variable(v) for v in (start, stop, step)]
    chosen = check_dtype(dtype) if dtype is not None else upcast(*(v.dtype for v in inputs))
    if dtype is None and chosen in INT_DTYPES:
        chosen = "uint64" if chosen.startswith("u") else "int64"
    return ARange(chosen)(*inputs)


class Eye(Op):
    """An ``n`` by ``m`` matrix with ones on diagonal ``k`` (OP-EYE-1)."""

    __props__ = ("dtype",)

    def __init__(self, dtype: str) -> None:
        self.dtype = dtype

    def make_node(self, n: Any, m: Any, k: Any) -> Apply:
        inputs = [as_tensor_variable(v) for v in (n, m, k)]
        static = [None if (v := constant_value(x)) is None else int(v) for x in inputs[:2]]
        return Apply(self, inputs, [TensorType(self.dtype, static)])

    def perform(self, node: Apply, n: np.ndarray, m: np.ndarray, k: np.ndarray) -> np.ndarray:
        return np.eye(int(n), int(m), int(k), dtype=self.dtype)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if values[0] is None or values[1] is None:
            raise LookupError("eye size unknown")
        return [(int(values[0]), int(values[1]))]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """No gradient: the result does not vary smoothly with the inputs (GRAD-OP-2)."""
        return [None] * len(node.inputs)


def eye(n: Any, m: Any = None, k: Any = 0, dtype: Any = None) -> TensorVariable:
    """Identity-like matrix (OP-EYE-1)."""
    return Eye(check_dtype(dtype or config.floatX))(n, n if m is None else m, k)


def identity_like(x: Any, dtype: Any = None) -> TensorVariable:
    from reference.tensor.shape import shape

    x = as_tensor_variable(x)
    return eye(shape(x)[0], shape(x)[1], 0, dtype or x.dtype)


# -- joining ----------------------------------------------------------------------------
class Join(Op):
    """Concatenate tensors along ``axis`` (OP-JOIN-1); other lengths must agree."""

    __props__ = ("axis",)

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def __str__(self) -> str:
        return f"Join{{axis={self.axis}}}"

    def make_node(self, *tensors: Any) -> Apply:
        parts = [as_tensor_variable(t) for t in tensors]
        if not parts:
            raise SpecValueError("OP-JOIN-1", "concatenate: needs at least one tensor")
        ndim = parts[0].ndim
        if ndim == 0 or any(p.ndim != ndim for p in parts):
            raise SpecTypeError("OP-JOIN-1", f"concatenate: tensors must have the same ndim >= 1, got {[str(p.type) for p in parts]}")
        if not -ndim <= self.axis < ndim:
            raise SpecAxisError("OP-JOIN-1", f"concatenate: axis {self.axis} out of range for {ndim} axes")
        axis = self.axis % ndim
        static: list[int | None] = []
        for i in range(ndim):
            lengths = [p.type.shape[i] for p in parts]
            if i == axis:
                static.append(None if None in lengths else sum(lengths))
            else:
                known = {n for n in lengths if n is not None}
                if len(known) > 1:
                    raise SpecValueError("OP-JOIN-1", f"concatenate: axis {i} lengths differ: {lengths}")
                static.append(known.pop() if known else None)
        return Apply(self, parts, [TensorType(upcast(*(p.dtype for p in parts)), static)])

    def perform(self, node: Apply, *parts: np.ndarray) -> np.ndarray:
        try:
            return np.concatenate(parts, axis=self.axis).astype(node.outputs[0].dtype, copy=False)
        except ValueError:
            raise SpecValueError("OP-JOIN-1", f"concatenate: shapes {[p.shape for p in parts]} do not agree off axis {self.axis}") from None

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        axis = self.axis % len(shapes[0])
        out = list(shapes[0])
        out[axis] = sum(s[axis] for s in shapes)
        return [tuple(out)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Each part receives its slice of the cotangent along the axis (GRAD-OP-3)."""
        from reference.tensor.math import cast
        from reference.tensor.shape import shape

        gz = output_grads[0]
        axis = self.axis % node.outputs[0].ndim
        grads: list = []
        start: Any = 0
        for part in node.inputs:
            stop = start + shape(part)[axis]
            index = tuple([slice(None)] * axis + [slice(start, stop)])
            grads.append(None if part.dtype in DISCRETE_DTYPES else cast(gz[index], part.dtype))
            start = stop
        return grads


def concatenate(tensor_list: Sequence[Any], axis: int = 0) -> TensorVariable:
    """Join along an existing axis (OP-JOIN-1)."""
    if isinstance(tensor_list, TensorVariable):
        raise SpecTypeError("OP-JOIN-1", "concatenate: tensor_list must be a list or tuple of tensors")
    return Join(int(axis))(*tensor_list)


def join(axis: int, *tensors: Any) -> TensorVariable:
    return Join(int(axis))(*tensors)


def stack(tensors: Sequence[Any], axis: int = 0) -> TensorVariable:
    """Join along a new axis (OP-JOIN-2); all shapes must be equal."""
    parts = [as_tensor_variable(t) for t in tensors]
    if not parts:
        raise SpecValueError("OP-JOIN-2", "stack: needs at least one tensor")
    if all(p.ndim == 0 for p in parts):
        dtype = upcast(*(p.dtype for p in parts))
        if axis not in (0, -1):
            raise SpecAxisError("OP-JOIN-2", f"stack: axis {axis} out of range for scalars")
        return make_vector(parts, dtype=dtype)
    return Join(int(axis))(*(expand_dims(p, axis) for p in parts))


# -- cumulative sums --------------------------------------------------------------------
class CumOp(Op):
    """Cumulative sum or product along ``axis`` (``None``: of the flattened input) (OP-CUMSUM-1)."""

    __props__ = ("axis", "mode")

    def __init__(self, axis: int | None, mode: str) -> None:
        self.axis, self.mode = axis, mode

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        if self.axis is None:
            n = None if None in x.type.shape else int(np.prod(x.type.shape))
            out = TensorType(x.dtype, (n,))
        else:
            if not -x.ndim <= self.axis < x.ndim:
                raise SpecAxisError("OP-CUMSUM-1", f"cumsum: axis {self.axis} out of range for {x.type}")
            out = x.type
        return Apply(self, [x], [TensorType(out.dtype, out.shape)])

    def perform(self, node: Apply, x: np.ndarray) -> np.ndarray:
        function = np.cumsum if self.mode == "add" else np.cumprod
        return function(x, axis=self.axis, dtype=x.dtype)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [(int(np.prod(shapes[0])),) if self.axis is None else shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """cumsum: the reversed cumulative sum of the cotangent; cumprod: :class:`CumprodGrad`,
        exact where ``x`` has zeros (GRAD-OP-3)."""
        from reference.tensor.shape import reshape, shape

        x, gz = node.inputs[0], output_grads[0]
        if x.dtype in DISCRETE_DTYPES:
            return [None]
        if self.mode != "add":  # GRAD-OP-3: no division, so zeros in x are exact
            if self.axis is None:
                return [reshape(CumprodGrad(0)(reshape(x, (-1,), ndim=1), gz), shape(x), ndim=x.ndim)]
            return [CumprodGrad(self.axis % x.ndim)(x, gz)]
        axis = -1 if self.axis is None else self.axis
        reverse = tuple([slice(None)] * (axis % gz.ndim) + [slice(None, None, -1)])
        g = CumOp(axis, "add")(gz[reverse])[reverse]
        return [reshape(g, shape(x), ndim=x.ndim) if self.axis is None else g]


class CumprodGrad(Op):
    """The pullback of ``cumprod`` along ``axis`` (GRAD-OP-3), computed without dividing:
    ``grad_i = prefix_i * s_i`` with ``prefix_i = prod(x[:i])`` and ``s_i = g_i + x[i+1] *
    s_{i+1}`` (so ``s_i = sum_{j>=i} g_j * prod(x[i+1:j+1])``)."""

    __props__ = ("axis",)

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def make_node(self, x: Any, g: Any) -> Apply:
        x, g = as_tensor_variable(x), as_tensor_variable(g)
        return Apply(self, [x, g], [TensorType(x.dtype, x.type.shape)])

    def perform(self, node: Apply, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        xs, gs = np.moveaxis(x, self.axis, -1), np.moveaxis(g.astype(x.dtype, copy=False), self.axis, -1)
        prefix = np.ones_like(xs)
        prefix[..., 1:] = np.cumprod(xs[..., :-1], axis=-1)
        out = np.empty_like(xs)
        s = np.zeros(xs.shape[:-1], dtype=xs.dtype)
        for i in range(xs.shape[-1] - 1, -1, -1):
            s = gs[..., i] + (xs[..., i + 1] * s if i + 1 < xs.shape[-1] else 0)
            out[..., i] = prefix[..., i] * s
        return np.moveaxis(out, -1, self.axis)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Not defined: the second derivative of cumprod raises (GRAD-OP-3)."""
        raise SpecValueError("GRAD-OP-3", "the second derivative of cumprod is not defined in reference")


def cumsum(x: Any, axis: int | None = None) -> TensorVariable:
    """Cumulative sum (OP-CUMSUM-1); the dtype is the input's."""
    return CumOp(axis, "add")(x)


def cumprod(x: Any, axis: int | None = None) -> TensorVariable:
    """Cumulative product (OP-CUMSUM-1); the dtype is the input's."""
    return CumOp(axis, "mul")(x)


#: The input constructors: scalar, vector, ..., tensor7, row, col, their dtype-prefixed
#: forms and the plural forms (TYPE-SHAPE-1, TYPE-SHAPE-3).
__all__ = [*_KINDS, "row", "col"] + [
    prefix + kind for prefix in _PREFIXES for kind in (*_KINDS, "row", "col")
] + [prefix + plural for prefix in ("", "d", "f", "i", "l") for plural in _PLURALS.values()]


def __getattr__(name: str) -> Any:
    """PyTensor's names of this module that live in another module here (reference/_aliases.py)."""
    from reference import _aliases

    return _aliases.lookup(__name__, name)
