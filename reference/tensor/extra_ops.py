"""Array functions of ``pt``: flipping, rolling, repeating, splitting, diagonals, triangles,
spaced ranges, sorting, non-zero positions and searching.

Spec: spec/2-ops.rst, section "Array functions" (OP-FLIP-1 ... OP-SEARCHSORTED-1), and
spec/4-gradients.rst (GRAD-OP-6).  Most functions are compositions of the ops of the other
sections (indexing, ``dimshuffle``, ``alloc``, ``join``, elementwise ops, reductions), so
their values, static shapes and gradients are those ops'; a new op is written only where a
composition could not give numpy's value (sorting, repeating by a vector, splitting with a
checked size vector, spaced ranges, non-zero positions, counting, searching).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.config import config
from reference.errors import SpecAxisError, SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import DISCRETE_DTYPES, FLOAT_DTYPES, INT_DTYPES, TensorType, check_dtype
from reference.tensor.basic import alloc, arange, concatenate, stack, zeros, zeros_like
from reference.tensor.shape import constant_value, dimshuffle, flatten, reshape, shape, transpose
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = [
    "argsort",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "atleast_Nd",
    "bincount",
    "broadcast_arrays",
    "broadcast_shape",
    "ceil_intdiv",
    "choose",
    "compress",
    "cov",
    "diag",
    "diagonal",
    "diff",
    "divmod",
    "empty",
    "empty_like",
    "fill_diagonal",
    "fill_diagonal_offset",
    "flatnonzero",
    "flip",
    "geomspace",
    "get_scalar_constant_value",
    "get_underlying_scalar_constant_value",
    "get_vector_length",
    "horizontal_stack",
    "interp",
    "inverse_permutation",
    "isneginf",
    "isposinf",
    "largest",
    "linspace",
    "logspace",
    "matrix_transpose",
    "median",
    "moveaxis",
    "nan_to_num",
    "nonzero",
    "pad",
    "permute_row_elements",
    "ptp",
    "ravel_multi_index",
    "repeat",
    "roll",
    "searchsorted",
    "smallest",
    "sort",
    "split",
    "stacklists",
    "swapaxes",
    "take",
    "take_along_axis",
    "tensor_copy",
    "tile",
    "trace",
    "tri",
    "tril",
    "tril_indices",
    "tril_indices_from",
    "triu",
    "triu_indices",
    "triu_indices_from",
    "unique",
    "unravel_index",
    "vertical_stack",
]

_INDEX_DTYPES = INT_DTYPES


# -- argument checks ------------------------------------------------------------------------
def _axis(axis: Any, ndim: int, rule: str, where: str, name: str = "axis") -> int:
    """``axis`` as an index in ``range(ndim)``; negative axes count from the end."""
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise SpecTypeError(rule, f"{where}: {name} must be an int, got {axis!r}")
    if not -ndim <= int(axis) < ndim:
        raise SpecAxisError(rule, f"{where}: {name} {int(axis)} is out of range for an array of {ndim} axes")
    return int(axis) % ndim


def _axes(axis: Any, ndim: int, rule: str, where: str, name: str = "axis") -> list[int]:
    """One axis or a sequence of distinct axes, normalised."""
    items = [axis] if isinstance(axis, int | np.integer) else list(axis)
    out = [_axis(a, ndim, rule, where, name) for a in items]
    if len(set(out)) != len(out):
        raise SpecValueError(rule, f"{where}: repeated axis in {name} {tuple(items)}")
    return out


def _int(value: Any, rule: str, where: str, name: str) -> int:
    """A Python int from an int, a numpy integer or an integer constant."""
    if isinstance(value, TensorVariable):
        known = constant_value(value)
        if value.ndim != 0 or value.dtype not in INT_DTYPES or known is None:
            raise SpecTypeError(rule, f"{where}: {name} must be a constant int, got {value.type}")
        return int(known)
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise SpecTypeError(rule, f"{where}: {name} must be an int, got {value!r}")
    return int(value)


def _integer_tensor(value: Any, rule: str, where: str, name: str, ndims: Sequence[int] | None = None) -> TensorVariable:
    """``value`` as an integer tensor (booleans are a ``SpecTypeError``)."""
    variable = as_tensor_variable(value)
    if variable.dtype not in INT_DTYPES:
        raise SpecTypeError(rule, f"{where}: {name} must be integers, got {variable.type}")
    if ndims is not None and variable.ndim not in ndims:
        raise SpecValueError(rule, f"{where}: {name} must have {' or '.join(map(str, ndims))} axes, got {variable.type}")
    return variable


def _length(x: TensorVariable, axis: int) -> Any:
    """The length of ``x`` along ``axis``: its static length if known, else ``x.shape[axis]``."""
    n = x.type.shape[axis]
    return n if n is not None else shape(x)[axis]


def _along(ndim: int, axis: int, item: Any) -> tuple:
    """The index ``[:, ..., item, ...]`` with ``item`` at ``axis``."""
    return (slice(None),) * axis + (item,)


# -- flip, roll, swapaxes, moveaxis, atleast_Nd ----------------------------------------------
def flip(arr: Any, axis: Any = None) -> TensorVariable:
    """``np.flip(arr, axis)``: the order of the entries reversed along ``axis`` (all axes when
    ``None``), as indexing with ``::-1`` (OP-FLIP-1)."""
    x = as_tensor_variable(arr)
    axes = list(range(x.ndim)) if axis is None else _axes(axis, x.ndim, "OP-FLIP-1", "flip")
    return x[tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(x.ndim))]


class Roll(Op):
    """``np.roll(x, shift, axis)`` along one axis (OP-ROLL-1)."""

    __props__ = ("axis",)

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def make_node(self, x: Any, shift: Any) -> Apply:
        x = as_tensor_variable(x)
        shift = _integer_tensor(shift, "OP-ROLL-1", "roll", "shift", ndims=(0,))
        assert 0 <= self.axis < x.ndim  # by OP-ROLL-1: roll() normalised the axis
        return Apply(self, [x, shift], [x.type.clone()])

    def perform(self, node: Apply, x: np.ndarray, shift: np.ndarray) -> np.ndarray:
        return np.roll(x, int(shift), axis=self.axis)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The cotangent rolled back by ``-shift`` (GRAD-OP-6)."""
        x, shift = node.inputs
        g = output_grads[0]
        if g is None or x.dtype in DISCRETE_DTYPES:
            return [None, None]
        return [Roll(self.axis)(g, -shift), None]


def roll(x: Any, shift: Any, axis: Any = None) -> TensorVariable:
    """``np.roll(x, shift, axis)`` (OP-ROLL-1).  ``axis=None`` rolls the flattened ``x`` and
    restores its shape; a tuple of shifts and axes rolls along each in turn, as numpy."""
    x = as_tensor_variable(x)
    if x.ndim == 0:
        raise SpecValueError("OP-ROLL-1", f"roll: x must have at least one axis, got {x.type}")
    if axis is None:
        if not isinstance(shift, TensorVariable) and np.ndim(shift) != 0:
            raise SpecValueError("OP-ROLL-1", "roll: a sequence of shifts needs a sequence of axes")
        flat = Roll(0)(flatten(x), shift)
        return reshape(flat, [_length(x, i) for i in range(x.ndim)], ndim=x.ndim)
    if isinstance(axis, int | np.integer) and (isinstance(shift, TensorVariable) or np.ndim(shift) == 0):
        return Roll(_axis(axis, x.ndim, "OP-ROLL-1", "roll"))(x, shift)
    axes = [axis] if isinstance(axis, int | np.integer) else list(axis)
    shifts = list(shift) if isinstance(shift, Sequence | np.ndarray) else [shift]
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    elif len(axes) == 1:
        axes = axes * len(shifts)
    if len(shifts) != len(axes):
        raise SpecValueError("OP-ROLL-1", f"roll: {len(shifts)} shifts for {len(axes)} axes")
    out = x
    for s, a in zip(shifts, axes, strict=True):
        out = Roll(_axis(a, x.ndim, "OP-ROLL-1", "roll"))(out, s)
    return out


def swapaxes(y: Any, axis1: int, axis2: int) -> TensorVariable:
    """``np.swapaxes(y, axis1, axis2)``: a ``dimshuffle`` (OP-AXES-1)."""
    x = as_tensor_variable(y)
    a = _axis(axis1, x.ndim, "OP-AXES-1", "swapaxes", "axis1")
    b = _axis(axis2, x.ndim, "OP-AXES-1", "swapaxes", "axis2")
    order = list(range(x.ndim))
    order[a], order[b] = b, a
    return transpose(x, order)


def moveaxis(a: Any, source: Any, destination: Any) -> TensorVariable:
    """``np.moveaxis(a, source, destination)``: a ``dimshuffle`` (OP-AXES-1)."""
    x = as_tensor_variable(a)
    src = _axes(source, x.ndim, "OP-AXES-1", "moveaxis", "source")
    dst = _axes(destination, x.ndim, "OP-AXES-1", "moveaxis", "destination")
    if len(src) != len(dst):
        raise SpecValueError("OP-AXES-1", f"moveaxis: source {source} and destination {destination} differ in length")
    order = [i for i in range(x.ndim) if i not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return transpose(x, order)


def matrix_transpose(x: Any) -> TensorVariable:
    """The last two axes swapped (OP-AXES-1); ``x`` needs at least two axes."""
    x = as_tensor_variable(x)
    if x.ndim < 2:
        raise SpecValueError("OP-AXES-1", f"matrix_transpose: x must have at least 2 axes, got {x.type}")
    return swapaxes(x, -1, -2)


def _atleast(arry: Any, n: int, left: bool) -> TensorVariable:
    x = as_tensor_variable(arry)
    if x.ndim >= n:
        return x
    pad = ["x"] * (n - x.ndim)
    order = pad + list(range(x.ndim)) if left else list(range(x.ndim)) + pad
    return dimshuffle(x, order)


def atleast_1d(arry: Any, *, n: int = 1, left: bool = True) -> TensorVariable:
    """``arry`` with length-1 axes added on the left (``left=False``: on the right) until it
    has ``n`` axes (OP-ATLEAST-1)."""
    return _atleast(arry, n, left)


def atleast_2d(arry: Any, *, n: int = 2, left: bool = True) -> TensorVariable:
    """As :func:`atleast_1d` with ``n=2`` (OP-ATLEAST-1)."""
    return _atleast(arry, n, left)


def atleast_3d(arry: Any, *, n: int = 3, left: bool = True) -> TensorVariable:
    """As :func:`atleast_1d` with ``n=3`` (OP-ATLEAST-1): a matrix becomes ``(1, m, n)``, as
    in PyTensor (numpy's ``atleast_3d`` gives ``(m, n, 1)``)."""
    return _atleast(arry, n, left)


# -- repeat and tile -----------------------------------------------------------------------
class Repeat(Op):
    """``np.repeat(x, repeats, axis)`` with a scalar or vector of repeats (OP-REPEAT-1)."""

    __props__ = ("axis",)

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def make_node(self, x: Any, repeats: Any) -> Apply:
        x = as_tensor_variable(x)
        repeats = _integer_tensor(repeats, "OP-REPEAT-1", "repeat", "repeats", ndims=(0, 1))
        assert 0 <= self.axis < x.ndim  # by OP-REPEAT-1: repeat() normalised the axis
        known = constant_value(repeats)
        n = x.type.shape[self.axis]
        length: int | None = None
        if known is not None:
            known = np.asarray(known)
            if (known < 0).any():
                raise SpecValueError("OP-REPEAT-1", f"repeat: repeats must not be negative, got {known.tolist()}")
            if known.ndim == 0 or known.size == 1:
                length = None if n is None else n * int(known.reshape(-1)[0])
            elif n is not None and known.size != n:
                raise SpecValueError(
                    "OP-REPEAT-1", f"repeat: {known.size} repeats for an axis of length {n}"
                )
            else:
                length = int(known.sum())
        elif repeats.ndim == 1 and n is not None and repeats.type.shape[0] not in (None, 1, n):
            raise SpecValueError(
                "OP-REPEAT-1", f"repeat: {repeats.type.shape[0]} repeats for an axis of length {n}"
            )
        out = list(x.type.shape)
        out[self.axis] = length
        return Apply(self, [x, repeats], [TensorType(x.dtype, out)])

    def perform(self, node: Apply, x: np.ndarray, repeats: np.ndarray) -> np.ndarray:
        if (repeats < 0).any():
            raise SpecValueError("OP-REPEAT-1", f"repeat: repeats must not be negative, got {repeats.tolist()}")
        if repeats.ndim == 1 and repeats.size not in (1, x.shape[self.axis]):
            raise SpecValueError(
                "OP-REPEAT-1", f"repeat: {repeats.size} repeats for an axis of length {x.shape[self.axis]}"
            )
        return np.repeat(x, repeats, axis=self.axis)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if values[1] is None:
            raise LookupError("repeat: the repeats are not known")
        return [self.perform(node, np.empty(shapes[0], dtype="int8"), np.asarray(values[1])).shape]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Each entry of ``x`` receives the sum of the cotangent over its copies (GRAD-OP-6)."""
        from reference.tensor.subtensor import inc_subtensor

        x, repeats = node.inputs
        g = output_grads[0]
        if g is None or x.dtype in DISCRETE_DTYPES:
            return [None, None]
        source = Repeat(0)(arange(_length(x, self.axis)), repeats)  # the entry each copy came from
        gx = inc_subtensor(zeros_like(x)[_along(x.ndim, self.axis, source)], g)
        return [gx, None]


def repeat(a: Any, repeats: Any, axis: int | None = None) -> TensorVariable:
    """``np.repeat(a, repeats, axis)`` (OP-REPEAT-1); ``axis=None`` repeats the flattened
    ``a``.  ``repeats`` is a non-negative integer, or an integer vector with one entry per
    position along ``axis``."""
    x = as_tensor_variable(a)
    if axis is None:
        x, axis_ = flatten(x) if x.ndim != 1 else x, 0
    else:
        axis_ = _axis(axis, x.ndim, "OP-REPEAT-1", "repeat")
    return Repeat(axis_)(x, repeats)


def tile(A: Any, reps: Any) -> TensorVariable:  # noqa: N803 - PyTensor's name
    """``np.tile(A, reps)`` (OP-TILE-1): ``A`` with length-1 axes added on the left up to
    ``len(reps)`` axes, each axis ``i`` repeated ``reps[i]`` times as a block.  Composed as a
    broadcast (``alloc``) of ``A`` with a new length-``reps[i]`` axis before each axis, then
    a reshape that merges each pair."""
    x = as_tensor_variable(A)
    if isinstance(reps, TensorVariable):
        reps_v = _integer_tensor(reps, "OP-TILE-1", "tile", "reps", ndims=(0, 1))
        if reps_v.ndim == 0:
            entries = [reps_v]
        elif reps_v.type.shape[0] is None:
            raise SpecValueError("OP-TILE-1", "tile: the length of reps must be known; use specify_shape")
        else:
            entries = [reps_v[i] for i in range(reps_v.type.shape[0])]
    else:
        entries = list(reps) if isinstance(reps, Sequence | np.ndarray) else [reps]
    values: list[Any] = []
    for r in entries:
        if isinstance(r, TensorVariable):
            if r.ndim != 0 or r.dtype not in INT_DTYPES:
                raise SpecValueError("OP-TILE-1", f"tile: reps entries must be integer scalars, got {r.type}")
            known = constant_value(r)
            values.append(r if known is None else int(known))
        elif isinstance(r, bool) or not isinstance(r, int | np.integer):
            raise SpecValueError("OP-TILE-1", f"tile: reps entries must be integer scalars, got {r!r}")
        else:
            values.append(int(r))
    for r in values:
        if isinstance(r, int) and r < 0:
            raise SpecValueError("OP-TILE-1", f"tile: reps must not be negative, got {r}")
    ndim = max(x.ndim, len(values))
    x = dimshuffle(x, ["x"] * (ndim - x.ndim) + list(range(x.ndim)))
    values = [1] * (ndim - len(values)) + values
    if ndim == 0:
        return x
    lengths = [_length(x, i) for i in range(ndim)]
    spread = dimshuffle(x, [item for i in range(ndim) for item in ("x", i)])
    target = [item for r, n in zip(values, lengths, strict=True) for item in (r, n)]
    big = alloc(spread, *target)
    merged = [r * n if isinstance(r, int) and isinstance(n, int) else r * n for r, n in zip(values, lengths, strict=True)]
    return reshape(big, merged, ndim=ndim)


# -- joining and splitting -----------------------------------------------------------------
def _two_d(args: tuple, where: str) -> list[TensorVariable]:
    parts = [as_tensor_variable(a) for a in args]
    if len(parts) < 2:
        raise SpecValueError("OP-STACK-1", f"{where}: needs at least two arrays, got {len(parts)}")
    for p in parts:
        if p.ndim != 2:
            raise SpecValueError("OP-STACK-1", f"{where}: every argument must have two axes, got {p.type}")
    return parts


def horizontal_stack(*args: Any) -> TensorVariable:
    """Matrices joined along axis 1 (OP-STACK-1)."""
    return concatenate(_two_d(args, "horizontal_stack"), axis=1)


def vertical_stack(*args: Any) -> TensorVariable:
    """Matrices joined along axis 0 (OP-STACK-1)."""
    return concatenate(_two_d(args, "vertical_stack"), axis=0)


def stacklists(arg: Any) -> TensorVariable:
    """Nested lists of tensors stacked into one tensor, the nesting becoming the leading
    axes (OP-STACK-2)."""
    if isinstance(arg, list | tuple):
        if not arg:
            raise SpecValueError("OP-STACK-2", "stacklists: an empty list has nothing to stack")
        return stack([stacklists(item) for item in arg])
    return as_tensor_variable(arg)


class Split(Op):
    """``x`` cut along ``axis`` into ``n_splits`` parts of the given lengths (OP-SPLIT-1)."""

    __props__ = ("n_splits", "axis")

    def __init__(self, n_splits: int, axis: int) -> None:
        self.n_splits, self.axis = n_splits, axis

    def make_node(self, x: Any, sizes: Any) -> Apply:
        x = as_tensor_variable(x)
        sizes = _integer_tensor(sizes, "OP-SPLIT-1", "split", "splits_size", ndims=(1,))
        assert 0 <= self.axis < x.ndim  # by OP-SPLIT-1: split() normalised the axis
        if sizes.type.shape[0] not in (None, self.n_splits):
            raise SpecValueError(
                "OP-SPLIT-1", f"split: n_splits={self.n_splits} but splits_size has {sizes.type.shape[0]} entries"
            )
        known = constant_value(sizes)
        lengths: list[int | None] = [None] * self.n_splits
        if known is not None:
            known = np.asarray(known)
            if (known < 0).any():
                raise SpecValueError("OP-SPLIT-1", f"split: negative sizes {known.tolist()}")
            n = x.type.shape[self.axis]
            if n is not None and int(known.sum()) != n:
                raise SpecValueError("OP-SPLIT-1", f"split: sizes {known.tolist()} do not add up to the length {n}")
            lengths = [int(v) for v in known]
        outputs = []
        for length in lengths:
            static = list(x.type.shape)
            static[self.axis] = length
            outputs.append(TensorType(x.dtype, static))
        return Apply(self, [x, sizes], outputs)

    def perform(self, node: Apply, x: np.ndarray, sizes: np.ndarray) -> tuple:
        if sizes.size != self.n_splits:
            raise SpecValueError("OP-SPLIT-1", f"split: n_splits={self.n_splits} but splits_size has {sizes.size} entries")
        if (sizes < 0).any():
            raise SpecValueError("OP-SPLIT-1", f"split: negative sizes {sizes.tolist()}")
        if int(sizes.sum()) != x.shape[self.axis]:
            raise SpecValueError(
                "OP-SPLIT-1", f"split: sizes {sizes.tolist()} do not add up to the length {x.shape[self.axis]}"
            )
        return tuple(p.copy() for p in np.split(x, np.cumsum(sizes)[:-1], axis=self.axis))

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if values[1] is None:
            raise LookupError("split: the sizes are not known")
        out = []
        for n in np.asarray(values[1]).reshape(-1):
            s = list(shapes[0])
            s[self.axis] = int(n)
            out.append(tuple(s))
        return out

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The parts' cotangents joined along the axis, zeros for unused parts (GRAD-OP-6)."""
        x = node.inputs[0]
        if x.dtype in DISCRETE_DTYPES or all(g is None for g in output_grads):
            return [None, None]
        parts = [zeros_like(out) if g is None else g for g, out in zip(output_grads, node.outputs, strict=True)]
        return [concatenate(parts, axis=self.axis), None]


def split(x: Any, splits_size: Any, n_splits: int | None = None, axis: int = 0) -> Any:
    """``x`` cut along ``axis`` into parts of lengths ``splits_size`` (OP-SPLIT-1).

    Returns a list of ``n_splits`` tensors; with ``n_splits == 1`` the one tensor itself, as
    PyTensor.  ``n_splits`` defaults to the static length of ``splits_size``.
    """
    x = as_tensor_variable(x)
    sizes = _integer_tensor(splits_size, "OP-SPLIT-1", "split", "splits_size", ndims=(1,))
    if n_splits is None:
        n_splits = sizes.type.shape[0]
        if n_splits is None:
            raise SpecValueError("OP-SPLIT-1", "split: n_splits is needed when the length of splits_size is unknown")
    n_splits = _int(n_splits, "OP-SPLIT-1", "split", "n_splits")
    if n_splits < 1:
        raise SpecValueError("OP-SPLIT-1", f"split: n_splits must be at least 1, got {n_splits}")
    if x.ndim == 0:
        raise SpecValueError("OP-SPLIT-1", f"split: x must have at least one axis, got {x.type}")
    outputs = Split(n_splits, _axis(axis, x.ndim, "OP-SPLIT-1", "split"))(x, sizes)
    return list(outputs) if isinstance(outputs, list | tuple) else outputs


# -- take ----------------------------------------------------------------------------------
def take(a: Any, indices: Any, axis: int | None = None, mode: str = "raise") -> TensorVariable:
    """``np.take(a, indices, axis, mode=mode)``: ``a[:, ..., indices]`` with ``indices`` at
    ``axis`` (the flattened ``a`` when ``axis`` is None) (OP-TAKE-1).  ``mode`` is ``'raise'``
    (out-of-range indices are an error), ``'wrap'`` or ``'clip'``."""
    from reference.tensor.math import cast, clip

    x = as_tensor_variable(a)
    index = as_tensor_variable(indices)
    if index.dtype == "bool":
        index = cast(index, "int64")  # numpy's take reads booleans as 0 and 1
    if index.dtype not in INT_DTYPES:
        raise SpecTypeError("OP-TAKE-1", f"take: indices must be integers, got {index.type}")
    if mode not in ("raise", "wrap", "clip"):
        raise SpecValueError("OP-TAKE-1", f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    if axis is None:
        x, axis_ = flatten(x) if x.ndim != 1 else x, 0
    else:
        if x.ndim == 0:
            raise SpecValueError("OP-TAKE-1", f"take: a has no axis {axis}")
        axis_ = _axis(axis, x.ndim, "OP-TAKE-1", "take")
    n = _length(x, axis_)
    if mode == "wrap":
        index = index % n
    elif mode == "clip":
        index = clip(index, 0, n - 1)
    return x[_along(x.ndim, axis_, index)]


def take_along_axis(arr: Any, indices: Any, axis: int | None = 0) -> TensorVariable:
    """``np.take_along_axis(arr, indices, axis)`` (OP-TAKE-2): advanced indexing with
    ``indices`` at ``axis`` and ``arange`` grids on the other axes."""
    x = as_tensor_variable(arr)
    index = _integer_tensor(indices, "OP-TAKE-2", "take_along_axis", "indices")
    if axis is None:
        if index.ndim != 1:
            raise SpecValueError("OP-TAKE-2", f"take_along_axis: with axis=None, indices must be a vector, got {index.type}")
        x, axis_ = flatten(x) if x.ndim != 1 else x, 0
    else:
        if x.ndim == 0:
            raise SpecValueError("OP-TAKE-2", "take_along_axis: arr must have at least one axis")
        axis_ = _axis(axis, x.ndim, "OP-TAKE-2", "take_along_axis")
    if index.ndim != x.ndim:
        raise SpecValueError(
            "OP-TAKE-2", f"take_along_axis: indices ({index.type}) and arr ({x.type}) must have the same number of axes"
        )
    for d, (n, m) in enumerate(zip(x.type.shape, index.type.shape, strict=True)):
        if d != axis_ and n is not None and m is not None and m != n and 1 not in (n, m):
            raise SpecValueError(
                "OP-TAKE-2", f"take_along_axis: indices of shape {index.type.shape} do not broadcast against "
                f"arr of shape {x.type.shape} off axis {axis_}"
            )
    grids: list[Any] = []
    for d in range(x.ndim):
        if d == axis_:
            grids.append(index)
        else:
            pattern = ["x"] * x.ndim
            pattern[d] = 0
            grids.append(dimshuffle(arange(_length(x, d)), pattern))
    return x[tuple(grids)]


# -- diagonals and triangles ---------------------------------------------------------------
def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> TensorVariable:
    """``np.diagonal(a, offset, axis1, axis2)`` (OP-DIAG-1): the two axes removed and the
    diagonal appended as the last axis; composed as advanced indexing."""
    from reference.tensor.math import maximum, minimum

    x = as_tensor_variable(a)
    k = _int(offset, "OP-DIAG-1", "diagonal", "offset")
    if x.ndim < 2:
        raise SpecValueError("OP-DIAG-1", f"diagonal: a must have at least two axes, got {x.type}")
    a1 = _axis(axis1, x.ndim, "OP-DIAG-1", "diagonal", "axis1")
    a2 = _axis(axis2, x.ndim, "OP-DIAG-1", "diagonal", "axis2")
    if a1 == a2:
        raise SpecValueError("OP-DIAG-1", f"diagonal: axis1 and axis2 are the same axis {a1}")
    moved = transpose(x, [i for i in range(x.ndim) if i not in (a1, a2)] + [a1, a2])
    row0, col0 = max(-k, 0), max(k, 0)
    n1, n2 = _length(x, a1), _length(x, a2)
    if isinstance(n1, int) and isinstance(n2, int):
        length: Any = max(0, min(n1 - row0, n2 - col0))
    else:
        length = maximum(0, minimum(n1 - row0, n2 - col0))
    steps = arange(length)
    return moved[(Ellipsis, steps + row0, steps + col0)]


def diag(v: Any, k: int = 0) -> TensorVariable:
    """``np.diag(v, k)`` (OP-DIAG-2): a vector's square matrix with ``v`` on diagonal ``k``,
    or a matrix's diagonal ``k``."""
    from reference.tensor.subtensor import set_subtensor

    x = as_tensor_variable(v)
    k = _int(k, "OP-DIAG-2", "diag", "k")
    if x.ndim == 2:
        return diagonal(x, k)
    if x.ndim != 1:
        raise SpecValueError("OP-DIAG-2", f"diag: v must be a vector or a matrix, got {x.type}")
    n = _length(x, 0)
    size = n + abs(k)
    steps = arange(n)
    square = zeros((size, size), dtype=x.dtype)
    return set_subtensor(square[steps + max(-k, 0), steps + max(k, 0)], x)


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> TensorVariable:
    """``np.trace(a, offset, axis1, axis2)``: the sum of :func:`diagonal` over its last
    axis, in ``sum``'s dtype (OP-DIAG-3)."""
    from reference.tensor.reduction import sum as sum_

    return sum_(diagonal(a, offset, axis1, axis2), axis=-1)


def _count(n: Any, where: str, name: str) -> Any:
    if isinstance(n, TensorVariable):
        if n.ndim != 0 or n.dtype not in INT_DTYPES:
            raise SpecTypeError("OP-TRI-1", f"{where}: {name} must be an integer scalar, got {n.type}")
        return n
    return _int(n, "OP-TRI-1", where, name)


def tri(N: Any, M: Any = None, k: Any = 0, dtype: Any = None) -> TensorVariable:  # noqa: N803 - numpy's names
    """``np.tri(N, M, k, dtype)`` (OP-TRI-1): ones where ``j <= i + k``, in ``dtype``
    (default ``floatX``)."""
    from reference.tensor.math import cast, ge

    rows = arange(_count(N, "tri", "N"))
    cols = arange(_count(N if M is None else M, "tri", "M"))
    k = _count(k, "tri", "k")
    mask = ge(dimshuffle(rows, [0, "x"]) + k, dimshuffle(cols, ["x", 0]))
    return cast(mask, check_dtype(dtype or config.floatX))


def _triangle(m: Any, k: Any, lower: bool) -> TensorVariable:
    from reference.tensor.math import switch

    x = as_tensor_variable(m)
    where = "tril" if lower else "triu"
    if x.ndim == 0:
        raise SpecTypeError("OP-TRI-1", f"{where}: m must have at least one axis, got {x.type}")
    n_rows = _length(x, x.ndim - 2) if x.ndim >= 2 else _length(x, 0)
    k = _count(k, where, "k")
    zero = np.zeros((), dtype=x.dtype)
    if lower:
        return switch(tri(n_rows, _length(x, x.ndim - 1), k, dtype="bool"), x, zero)
    return switch(tri(n_rows, _length(x, x.ndim - 1), k - 1, dtype="bool"), zero, x)


def tril(m: Any, k: Any = 0) -> TensorVariable:
    """``np.tril(m, k)``: zeros above diagonal ``k`` of the last two axes (OP-TRI-1)."""
    return _triangle(m, k, lower=True)


def triu(m: Any, k: Any = 0) -> TensorVariable:
    """``np.triu(m, k)``: zeros below diagonal ``k`` of the last two axes (OP-TRI-1)."""
    return _triangle(m, k, lower=False)


# -- spaced ranges -------------------------------------------------------------------------
class Space(Op):
    """``np.linspace``, ``np.logspace`` or ``np.geomspace`` (OP-SPACE-1, -2, -3)."""

    __props__ = ("kind", "endpoint", "dtype", "axis")

    def __init__(self, kind: str, endpoint: bool, dtype: str, axis: int) -> None:
        self.kind, self.endpoint, self.dtype, self.axis = kind, bool(endpoint), dtype, axis

    def make_node(self, start: Any, stop: Any, num: Any, *base: Any) -> Apply:
        from reference.tensor.elemwise import broadcast_static_shapes

        rule = {"lin": "OP-SPACE-1", "log": "OP-SPACE-2", "geom": "OP-SPACE-3"}[self.kind]
        start, stop = as_tensor_variable(start), as_tensor_variable(stop)
        num = _integer_tensor(num, rule, f"{self.kind}space", "num", ndims=(0,))
        base_ = [as_tensor_variable(b) for b in base]
        try:
            bshape = broadcast_static_shapes([start.type.shape, stop.type.shape], f"{self.kind}space")
        except SpecValueError as error:
            raise SpecValueError(rule, error.message) from None
        known = constant_value(num)
        if known is not None and int(known) < 0:
            raise SpecValueError(rule, f"{self.kind}space: num must not be negative, got {int(known)}")
        assert 0 <= self.axis <= len(bshape)  # by OP-SPACE-1: the function normalised the axis
        out = list(bshape)
        out.insert(self.axis, None if known is None else int(known))
        return Apply(self, [start, stop, num, *base_], [TensorType(self.dtype, out)])

    def perform(self, node: Apply, start: np.ndarray, stop: np.ndarray, num: np.ndarray, *base: np.ndarray) -> np.ndarray:
        rule = {"lin": "OP-SPACE-1", "log": "OP-SPACE-2", "geom": "OP-SPACE-3"}[self.kind]
        if int(num) < 0:
            raise SpecValueError(rule, f"{self.kind}space: num must not be negative, got {int(num)}")
        if self.kind == "lin":
            return np.linspace(start, stop, int(num), endpoint=self.endpoint, dtype=self.dtype, axis=self.axis)
        if self.kind == "log":
            return np.logspace(start, stop, int(num), endpoint=self.endpoint, base=base[0], dtype=self.dtype,
                               axis=self.axis)
        if (start == 0).any() or (stop == 0).any():
            raise SpecValueError(rule, "geomspace: start and stop must not be zero")
        return np.geomspace(start, stop, int(num), endpoint=self.endpoint, dtype=self.dtype, axis=self.axis)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if values[2] is None:
            raise LookupError("the number of samples is not known")
        out = list(np.broadcast_shapes(shapes[0], shapes[1]))
        out.insert(self.axis, int(values[2]))
        return [tuple(out)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Through ``y = start + t * (stop - start)`` with ``t`` the fractions ``i / div``
        (linspace), ``base ** y`` (logspace), ``start * (stop / start) ** t`` (geomspace)
        (GRAD-OP-6)."""
        from reference.tensor.elemwise import reduce_to_input
        from reference.tensor.math import log
        from reference.tensor.reduction import sum as sum_

        g, y = output_grads[0], node.outputs[0]
        start, stop, num = node.inputs[:3]
        nones = [None] * len(node.inputs)
        if g is None or self.dtype not in FLOAT_DTYPES:
            return nones
        fractions = Space("lin", self.endpoint, self.dtype, 0)(0.0, 1.0, num)
        pattern = ["x"] * y.ndim
        pattern[self.axis] = 0
        t = dimshuffle(fractions, pattern)
        if self.kind == "lin":
            d_start, d_stop = g * (1 - t), g * t
        elif self.kind == "log":
            scale = g * y * log(node.inputs[3])
            d_start, d_stop = scale * (1 - t), scale * t
        else:
            d_start = g * y * (1 - t) / _insert_axis(start, y.ndim, self.axis)
            d_stop = g * y * t / _insert_axis(stop, y.ndim, self.axis)

        def back(d: Any, x: TensorVariable) -> Any:
            return None if x.dtype in DISCRETE_DTYPES else reduce_to_input(sum_(d, axis=self.axis), x)

        grads = [back(d_start, start), back(d_stop, stop), None]
        if self.kind == "log":
            base = node.inputs[3]
            lin = Space("lin", self.endpoint, self.dtype, self.axis)(start, stop, num)
            d_base = sum_(g * y * lin) / base
            grads.append(None if base.dtype in DISCRETE_DTYPES else reduce_to_input(d_base, base))
        return grads


def _insert_axis(v: TensorVariable, ndim: int, axis: int) -> TensorVariable:
    """``v`` (a broadcast operand of a spaced range) with the range's axis inserted."""
    v = dimshuffle(v, ["x"] * (ndim - 1 - v.ndim) + list(range(v.ndim)))
    pattern: list[Any] = list(range(ndim - 1))
    pattern.insert(axis, "x")
    return dimshuffle(v, pattern)


def _space(kind: str, start: Any, stop: Any, num: Any, endpoint: bool, dtype: Any, axis: Any,
           *base: Any) -> TensorVariable:
    rule = {"lin": "OP-SPACE-1", "log": "OP-SPACE-2", "geom": "OP-SPACE-3"}[kind]
    start, stop = as_tensor_variable(start), as_tensor_variable(stop)
    if not isinstance(num, TensorVariable):
        num = _int(num, rule, f"{kind}space", "num")
    ndim = max(start.ndim, stop.ndim) + 1
    axis_ = _axis(axis, ndim, rule, f"{kind}space")
    return Space(kind, endpoint, check_dtype(dtype or config.floatX), axis_)(start, stop, num, *base)


def linspace(start: Any, stop: Any, num: Any = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Any = None, axis: int = 0) -> Any:
    """``np.linspace(start, stop, num, endpoint, dtype=dtype, axis=axis)`` (OP-SPACE-1);
    ``dtype`` defaults to ``floatX``.  With ``retstep``, also the step (a float64 scalar
    for scalar bounds)."""
    samples = _space("lin", start, stop, num, endpoint, dtype, axis)
    if not retstep:
        return samples
    from reference.tensor.math import cast

    start_v, stop_v = as_tensor_variable(start), as_tensor_variable(stop)
    num_v = as_tensor_variable(num)
    div = num_v - 1 if endpoint else num_v
    step = (cast(stop_v, "float64") - cast(start_v, "float64")) / cast(div, "float64")
    return samples, step


def logspace(start: Any, stop: Any, num: Any = 50, base: Any = 10.0, endpoint: bool = True,
             dtype: Any = None, axis: int = 0) -> TensorVariable:
    """``np.logspace(start, stop, num, endpoint, base, dtype, axis)`` (OP-SPACE-2); ``dtype``
    defaults to ``floatX``; a Python ``base`` is a float64 constant."""
    base_v = as_tensor_variable(np.float64(base) if isinstance(base, float | int) else base)
    if base_v.ndim != 0:
        raise SpecTypeError("OP-SPACE-2", f"logspace: base must be a scalar, got {base_v.type}")
    return _space("log", start, stop, num, endpoint, dtype, axis, base_v)


def geomspace(start: Any, stop: Any, num: Any = 50, base: Any = 10.0, endpoint: bool = True,
              dtype: Any = None, axis: int = 0) -> TensorVariable:
    """``np.geomspace(start, stop, num, endpoint, dtype, axis)`` (OP-SPACE-3); ``dtype``
    defaults to ``floatX``.  ``base`` is accepted for PyTensor's signature and does not
    change the values."""
    return _space("geom", start, stop, num, endpoint, dtype, axis)


# -- differences, peak-to-peak, broadcasting, empty ------------------------------------------
def diff(x: Any, n: int = 1, axis: int = -1) -> TensorVariable:
    """``np.diff(x, n, axis)`` (OP-DIFF-1): ``n`` times ``x[1:] - x[:-1]`` along ``axis``
    (``!=`` for booleans, as numpy)."""
    from reference.tensor.math import neq

    x = as_tensor_variable(x)
    n = _int(n, "OP-DIFF-1", "diff", "n")
    if n < 0:
        raise SpecValueError("OP-DIFF-1", f"diff: n must not be negative, got {n}")
    if x.ndim == 0:
        raise SpecValueError("OP-DIFF-1", f"diff: x must have at least one axis, got {x.type}")
    axis_ = _axis(axis, x.ndim, "OP-DIFF-1", "diff")
    for _ in range(n):
        later, earlier = x[_along(x.ndim, axis_, slice(1, None))], x[_along(x.ndim, axis_, slice(None, -1))]
        x = neq(later, earlier) if x.dtype == "bool" else later - earlier
    return x


def ptp(a: Any, axis: Any = None) -> TensorVariable:
    """``np.ptp(a, axis)``: ``max(a, axis) - min(a, axis)`` in ``a``'s dtype (OP-PTP-1)."""
    from reference.tensor.reduction import max as max_
    from reference.tensor.reduction import min as min_

    x = as_tensor_variable(a)
    if x.dtype == "bool":
        raise SpecTypeError("OP-PTP-1", "ptp: booleans cannot be subtracted; cast a first")
    return max_(x, axis) - min_(x, axis)


def broadcast_arrays(*args: Any) -> list[TensorVariable]:
    """``np.broadcast_arrays(*args)``: each argument broadcast (``alloc``) to the common shape
    of :rule:`OP-ELEMWISE-1`, keeping its dtype (OP-BROADCAST-1)."""
    from reference.tensor.elemwise import broadcast_static_shapes

    parts = [as_tensor_variable(a) for a in args]
    try:
        static = broadcast_static_shapes([p.type.shape for p in parts], "broadcast_arrays")
    except SpecValueError as error:
        raise SpecValueError("OP-BROADCAST-1", error.message) from None
    ndim = len(static)
    target: list[Any] = []
    for axis, n in enumerate(static):
        if n is not None:
            target.append(n)
            continue
        for p in parts:
            offset = ndim - p.ndim
            if axis >= offset and p.type.shape[axis - offset] != 1:
                target.append(shape(p)[axis - offset])
                break
    return [alloc(p, *target) for p in parts]


def empty(shape: Any, dtype: Any = None) -> TensorVariable:  # noqa: A002 - PyTensor's name
    """An array of ``shape`` and ``dtype`` (default ``floatX``) whose values are unspecified;
    reference fills it with zeros (OP-EMPTY-1)."""
    return zeros(shape, dtype=dtype)


def empty_like(prototype: Any, dtype: Any = None) -> TensorVariable:
    """An array of ``prototype``'s shape and ``dtype`` (default its dtype) whose values are
    unspecified; reference fills it with zeros (OP-EMPTY-1)."""
    return zeros_like(prototype, dtype=dtype)


# -- sorting -------------------------------------------------------------------------------
_KINDS = ("quicksort", "mergesort", "heapsort", "stable")


class Sort(Op):
    """``np.sort`` or ``np.argsort`` along one axis (OP-SORT-1)."""

    __props__ = ("axis", "kind", "arg")

    def __init__(self, axis: int, kind: str, arg: bool) -> None:
        self.axis, self.kind, self.arg = axis, kind, arg

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        assert 0 <= self.axis < x.ndim  # by OP-SORT-1: sort() normalised the axis
        return Apply(self, [x], [TensorType("int64" if self.arg else x.dtype, x.type.shape)])

    def perform(self, node: Apply, x: np.ndarray) -> np.ndarray:
        if self.arg:
            return np.argsort(x, axis=self.axis, kind=self.kind).astype("int64", copy=False)
        return np.sort(x, axis=self.axis, kind=self.kind)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """sort: the cotangent put back where each sorted value came from, ``g`` taken along
        the inverse permutation of ``argsort(x)``; argsort: ``None`` (GRAD-OP-6)."""
        x, g = node.inputs[0], output_grads[0]
        if self.arg or g is None or x.dtype in DISCRETE_DTYPES:
            return [None]
        order = Sort(self.axis, self.kind, True)(x)
        inverse = Sort(self.axis, "stable", True)(order)
        return [take_along_axis(g, inverse, axis=self.axis)]


def _sort(a: Any, axis: Any, kind: Any, order: Any, stable: Any, arg: bool) -> TensorVariable:
    where = "argsort" if arg else "sort"
    x = as_tensor_variable(a)
    if order is not None:
        raise SpecValueError("OP-SORT-1", f"{where}: order= (structured arrays) is not supported")
    if stable:
        if kind not in (None, "stable", "mergesort"):
            raise SpecValueError("OP-SORT-1", f"{where}: stable=True does not go with kind={kind!r}")
        kind = "stable"
    kind = kind or "quicksort"
    if kind not in _KINDS:
        raise SpecValueError("OP-SORT-1", f"{where}: kind must be one of {_KINDS}, got {kind!r}")
    if axis is None:
        x, axis = flatten(x) if x.ndim != 1 else x, 0
    if x.ndim == 0:
        raise SpecAxisError("OP-SORT-1", f"{where}: axis {axis} is out of range for a scalar")
    return Sort(_axis(axis, x.ndim, "OP-SORT-1", where), kind, arg)(x)


def sort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, *, stable: Any = None) -> TensorVariable:
    """``np.sort(a, axis, kind)`` (OP-SORT-1); ``axis=None`` sorts the flattened ``a``."""
    return _sort(a, axis, kind, order, stable, arg=False)


def argsort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, stable: Any = None) -> TensorVariable:
    """``np.argsort(a, axis, kind)`` as int64 (OP-SORT-1)."""
    return _sort(a, axis, kind, order, stable, arg=True)


# -- non-zero positions, counting, searching -----------------------------------------------
class NonZero(Op):
    """``np.nonzero(x)``: one int64 vector of positions per axis (OP-NONZERO-1)."""

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        if x.ndim == 0:
            raise SpecValueError("OP-NONZERO-1", "nonzero: a must have at least one axis")
        return Apply(self, [x], [TensorType("int64", (None,)) for _ in range(x.ndim)])

    def perform(self, node: Apply, x: np.ndarray) -> tuple:
        return tuple(p.astype("int64", copy=False) for p in np.nonzero(x))

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if values[0] is None:
            raise LookupError("nonzero: the number of non-zero entries depends on the values")
        return [p.shape for p in self.perform(node, np.asarray(values[0]))]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Positions do not vary smoothly with ``x`` (GRAD-OP-2)."""
        return [None]


def nonzero(a: Any, return_matrix: bool = False) -> Any:
    """``np.nonzero(a)`` as a tuple of int64 vectors, or with ``return_matrix`` the
    ``(a.ndim, count)`` matrix of them (OP-NONZERO-1)."""
    outputs = NonZero()(a)
    outputs = tuple(outputs) if isinstance(outputs, list | tuple) else (outputs,)
    return stack(list(outputs)) if return_matrix else outputs


def flatnonzero(a: Any) -> TensorVariable:
    """``np.flatnonzero(a)``: the positions of the non-zero entries of the flattened ``a``
    (OP-NONZERO-1)."""
    x = as_tensor_variable(a)
    if x.ndim == 0:
        raise SpecValueError("OP-NONZERO-1", "flatnonzero: a must have at least one axis")
    return NonZero()(flatten(x) if x.ndim != 1 else x)


class Bincount(Op):
    """``np.bincount(x, weights, minlength)`` (OP-BINCOUNT-1)."""

    __props__ = ("minlength", "dtype")

    def __init__(self, minlength: int, dtype: str) -> None:
        self.minlength, self.dtype = minlength, dtype

    def make_node(self, x: Any, *weights: Any) -> Apply:
        return Apply(self, [as_tensor_variable(x), *weights], [TensorType(self.dtype, (None,))])

    def perform(self, node: Apply, x: np.ndarray, *weights: np.ndarray) -> np.ndarray:
        if (x < 0).any():
            raise SpecValueError("OP-BINCOUNT-1", "bincount: x must not have negative entries")
        if weights and weights[0].shape != x.shape:
            raise SpecValueError(
                "OP-BINCOUNT-1", f"bincount: weights of shape {weights[0].shape} for x of shape {x.shape}"
            )
        counts = np.bincount(x, weights[0] if weights else None, minlength=self.minlength)
        return counts.astype(self.dtype, copy=False)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if values[0] is None:
            raise LookupError("bincount: the length depends on the values")
        return [(max(int(np.max(values[0], initial=-1)) + 1, self.minlength),)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``x``: ``None``; the weights: the cotangent at each entry's bin, ``g[x]`` (GRAD-OP-6)."""
        g = output_grads[0]
        if len(node.inputs) == 1 or g is None or node.inputs[1].dtype in DISCRETE_DTYPES:
            return [None] * len(node.inputs)
        return [None, g[node.inputs[0]]]


def bincount(x: Any, weights: Any = None, minlength: Any = None, assert_nonneg: bool = False) -> TensorVariable:
    """``np.bincount(x, weights, minlength)`` (OP-BINCOUNT-1).  The counts have ``x``'s dtype
    (as PyTensor), the weighted sums the weights' dtype.  A negative entry is always an
    error (``assert_nonneg`` is accepted for PyTensor's signature)."""
    x = _integer_tensor(x, "OP-BINCOUNT-1", "bincount", "x")
    if x.ndim != 1:
        raise SpecTypeError("OP-BINCOUNT-1", f"bincount: x must be a vector, got {x.type}")
    minlength = 0 if minlength is None else _int(minlength, "OP-BINCOUNT-1", "bincount", "minlength")
    if minlength < 0:
        raise SpecValueError("OP-BINCOUNT-1", f"bincount: minlength must not be negative, got {minlength}")
    if weights is None:
        return Bincount(minlength, x.dtype)(x)
    w = as_tensor_variable(weights)
    if w.ndim != 1:
        raise SpecValueError("OP-BINCOUNT-1", f"bincount: weights must be a vector, got {w.type}")
    return Bincount(minlength, w.dtype)(x, w)


class SearchSorted(Op):
    """``np.searchsorted(x, v, side, sorter)`` as int64 (OP-SEARCHSORTED-1)."""

    __props__ = ("side",)

    def __init__(self, side: str) -> None:
        self.side = side

    def make_node(self, x: Any, v: Any, *sorter: Any) -> Apply:
        v = as_tensor_variable(v)
        return Apply(self, [as_tensor_variable(x), v, *sorter], [TensorType("int64", v.type.shape)])

    def perform(self, node: Apply, x: np.ndarray, v: np.ndarray, *sorter: np.ndarray) -> np.ndarray:
        if sorter and sorter[0].shape != x.shape:
            raise SpecValueError("OP-SEARCHSORTED-1", f"searchsorted: sorter of shape {sorter[0].shape} for x of shape {x.shape}")
        if sorter and x.size and ((sorter[0] < 0).any() or (sorter[0] >= x.size).any()):
            raise SpecValueError("OP-SEARCHSORTED-1", "searchsorted: sorter has entries out of range")
        result = np.searchsorted(x, v, side=self.side, sorter=sorter[0] if sorter else None)
        return np.asarray(result, dtype="int64")

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[1]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Positions do not vary smoothly with the inputs (GRAD-OP-2)."""
        return [None] * len(node.inputs)


def searchsorted(x: Any, v: Any, side: str = "left", sorter: Any = None) -> TensorVariable:
    """``np.searchsorted(x, v, side, sorter)`` (OP-SEARCHSORTED-1): for each entry of ``v``
    the position in the sorted vector ``x`` where it would be inserted."""
    x = as_tensor_variable(x)
    if x.ndim != 1:
        raise SpecValueError("OP-SEARCHSORTED-1", f"searchsorted: x must be a vector, got {x.type}")
    if side not in ("left", "right"):
        raise SpecValueError("OP-SEARCHSORTED-1", f"searchsorted: side must be 'left' or 'right', got {side!r}")
    if sorter is None:
        return SearchSorted(side)(x, v)
    return SearchSorted(side)(x, v, _integer_tensor(sorter, "OP-SEARCHSORTED-1", "searchsorted", "sorter", ndims=(1,)))


# -- median, nan_to_num, isposinf, isneginf ------------------------------------------------
def _float_dtype(dtype: str) -> str:
    """The float dtype PyTensor gives a median of ``dtype``: floats keep theirs; booleans
    and integers of at most 16 bits float32; wider integers float64 (OP-MEDIAN-1)."""
    if dtype in FLOAT_DTYPES:
        return dtype
    return "float32" if dtype in ("bool", "int8", "uint8", "int16", "uint16") else "float64"


def median(x: Any, axis: Any = None) -> TensorVariable:
    """``np.median(x, axis)`` (OP-MEDIAN-1): the reduced axes moved last and merged, sorted,
    and the middle entry (odd length) or the half-sum of the two middle entries (even
    length) in the float dtype of :func:`_float_dtype`; ``nan`` where the slice has one."""
    from reference.tensor.math import cast, eq, isnan, switch
    from reference.tensor.reduction import any as any_

    x = as_tensor_variable(x)
    out_dtype = _float_dtype(x.dtype)
    if axis is None:
        axes = list(range(x.ndim))
    else:
        axes = _axes(axis, x.ndim, "OP-MEDIAN-1", "median")
    kept = [i for i in range(x.ndim) if i not in axes]
    moved = transpose(x, kept + axes)
    n_static = [x.type.shape[i] for i in axes]
    n: Any = int(np.prod(n_static)) if None not in n_static else None
    if n is None:
        n = 1
        for i in axes:
            n = n * _length(x, i)
    merged = reshape(moved, [_length(x, i) for i in kept] + [n], ndim=len(kept) + 1)
    ordered = _sort(merged, -1, "quicksort", None, None, arg=False)
    lo = cast(ordered[(Ellipsis, (n - 1) // 2)], out_dtype)
    hi = cast(ordered[(Ellipsis, n // 2)], out_dtype)
    middle = switch(eq(n % 2, 1), lo, (lo + hi) / np.asarray(2, dtype=out_dtype))  # OP-MEDIAN-1
    if x.dtype not in FLOAT_DTYPES:
        return middle
    return switch(any_(isnan(merged), axis=-1), np.asarray(np.nan, dtype=out_dtype), middle)


def isposinf(x: Any) -> TensorVariable:
    """``np.isposinf(x)``: ``isinf(x) & (x > 0)``, boolean (OP-NANTONUM-1)."""
    from reference.tensor.math import and_, gt, isinf

    x = as_tensor_variable(x)
    return and_(isinf(x), gt(x, 0))


def isneginf(x: Any) -> TensorVariable:
    """``np.isneginf(x)``: ``isinf(x) & (x < 0)``, boolean (OP-NANTONUM-1)."""
    from reference.tensor.math import and_, isinf, lt

    x = as_tensor_variable(x)
    return and_(isinf(x), lt(x, 0))


def nan_to_num(x: Any, nan: Any = 0.0, posinf: Any = None, neginf: Any = None) -> TensorVariable:
    """``np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)`` as three ``switch``es
    (OP-NANTONUM-1); an integer or boolean ``x`` becomes a float, as in PyTensor."""
    from reference.tensor.math import isnan, switch

    x = as_tensor_variable(x)
    pos, neg = isposinf(x), isneginf(x)
    y = switch(isnan(x), nan, x)
    big = np.finfo(y.dtype).max if posinf is None else posinf
    small = np.finfo(y.dtype).min if neginf is None else neginf
    return switch(neg, small, switch(pos, big, y))


# -- unique --------------------------------------------------------------------------------
class Unique(Op):
    """``np.unique`` with its optional outputs (OP-UNIQUE-1)."""

    __props__ = ("return_index", "return_inverse", "return_counts", "axis")

    def __init__(self, return_index: bool, return_inverse: bool, return_counts: bool, axis: int | None) -> None:
        self.return_index, self.return_inverse = bool(return_index), bool(return_inverse)
        self.return_counts, self.axis = bool(return_counts), axis

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        if self.axis is None:
            values = TensorType(x.dtype, (None,))
        else:
            static = list(x.type.shape)
            static[self.axis] = None
            values = TensorType(x.dtype, static)
        extra = [TensorType("int64", (None,)) for flag in (self.return_index, self.return_inverse, self.return_counts)
                 if flag]
        return Apply(self, [x], [values, *extra])

    def perform(self, node: Apply, x: np.ndarray) -> Any:
        result = np.unique(x, return_index=self.return_index, return_inverse=self.return_inverse,
                           return_counts=self.return_counts, axis=self.axis)
        if not isinstance(result, tuple):
            return result
        parts = [result[0]] + [np.asarray(r, dtype="int64").reshape(-1) for r in result[1:]]  # OP-UNIQUE-1
        return tuple(parts)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if values[0] is None:
            raise LookupError("unique: the number of distinct entries depends on the values")
        out = self.perform(node, np.asarray(values[0]))
        return [r.shape for r in (out if isinstance(out, tuple) else (out,))]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Not defined (GRAD-OP-6), as in PyTensor."""
        from reference.errors import SpecNotImplementedError

        if all(g is None for g in output_grads[1:]) and output_grads[0] is None:
            return [None]
        raise SpecNotImplementedError("GRAD-OP-6", "unique has no gradient")


def unique(ar: Any, return_index: bool = False, return_inverse: bool = False, return_counts: bool = False,
           axis: Any = None) -> Any:
    """``np.unique(ar, return_index, return_inverse, return_counts, axis)`` (OP-UNIQUE-1).

    One output: the tensor; more: a list.  The indices are int64 vectors; with ``axis=None``
    the inverse indexes the flattened ``ar`` (a vector, as numpy 1 and PyTensor; numpy 2
    gives it ``ar``'s shape)."""
    x = as_tensor_variable(ar)
    if axis is not None:
        if x.ndim == 0:
            raise SpecAxisError("OP-UNIQUE-1", f"unique: axis {axis} is out of range for a scalar")
        axis = _axis(axis, x.ndim, "OP-UNIQUE-1", "unique")
    outputs = Unique(return_index, return_inverse, return_counts, axis)(x)
    return list(outputs) if isinstance(outputs, list | tuple) else outputs


# -- pad -----------------------------------------------------------------------------------
_PAD_MODES = ("constant", "edge", "linear_ramp", "maximum", "minimum", "mean", "median", "wrap", "symmetric",
              "reflect")


def _pairs(value: Any, ndim: int, name: str, integer: bool) -> list[tuple[Any, Any]]:
    """``value`` broadcast to one ``(before, after)`` pair per axis, as numpy's ``pad``."""
    if isinstance(value, TensorVariable):
        known = constant_value(value)
        if known is None:
            raise SpecTypeError("OP-PAD-1", f"pad: {name} must be known when the graph is built, got {value.type}")
        value = known
    try:
        array = np.asarray(value)
        if integer:
            if array.dtype.kind not in "iu":
                raise SpecTypeError("OP-PAD-1", f"pad: {name} must be integers, got {value!r}")
            if (array < 0).any():
                raise SpecValueError("OP-PAD-1", f"pad: {name} must not be negative, got {value!r}")
        full = np.broadcast_to(array, (ndim, 2))
    except ValueError:
        raise SpecValueError("OP-PAD-1", f"pad: {name} {value!r} does not fit {ndim} axes") from None
    return [(full[i, 0].item(), full[i, 1].item()) for i in range(ndim)]


def _pad_index(n: Any, before: int, after: int, mode: str) -> TensorVariable:
    """The positions along an axis of length ``n`` that ``edge``, ``wrap``, ``symmetric``
    and ``reflect`` padding read (OP-PAD-1)."""
    from reference.tensor.math import clip, lt, maximum, switch

    j = arange(-before, n + after)
    if mode == "edge":
        return clip(j, 0, n - 1)
    if mode == "wrap":
        return j % n
    if mode == "symmetric":
        m = j % (2 * n)
        return switch(lt(m, n), m, 2 * n - 1 - m)
    period = maximum(2 * n - 2, 1)
    m = j % period
    return switch(lt(m, n), m, period - m)


def pad(x: Any, pad_width: Any, mode: str = "constant", *, constant_values: Any = None, end_values: Any = None,
        stat_length: Any = None, reflect_type: Any = None) -> TensorVariable:
    """``np.pad(x, pad_width, mode, ...)`` for PyTensor's modes (OP-PAD-1), axis by axis
    from the first, each axis padded on the array padded so far."""
    from reference.errors import SpecNotImplementedError
    from reference.tensor.basic import full
    from reference.tensor.math import cast
    from reference.tensor.reduction import max as max_
    from reference.tensor.reduction import mean as mean_
    from reference.tensor.reduction import min as min_

    x = as_tensor_variable(x)
    if mode not in _PAD_MODES:
        raise SpecValueError("OP-PAD-1", f"pad: mode must be one of {_PAD_MODES}, got {mode!r}")
    if mode == "median":
        raise SpecNotImplementedError("OP-PAD-1", "pad: mode='median' is not implemented (as in PyTensor)")
    if reflect_type not in (None, "even"):
        if reflect_type == "odd":
            raise SpecNotImplementedError("OP-PAD-1", "pad: reflect_type='odd' is not implemented (as in PyTensor)")
        raise SpecValueError("OP-PAD-1", f"pad: reflect_type must be 'even' or 'odd', got {reflect_type!r}")
    widths = _pairs(pad_width, x.ndim, "pad_width", integer=True)
    if mode == "mean" and x.dtype not in FLOAT_DTYPES:
        x = cast(x, "float64")  # OP-PAD-1: PyTensor's mean padding of integers is float64, unrounded
    constants = _pairs(0 if constant_values is None else constant_values, x.ndim, "constant_values", False)
    ends = _pairs(0 if end_values is None else end_values, x.ndim, "end_values", False)
    stats = None if stat_length is None else _pairs(stat_length, x.ndim, "stat_length", integer=True)
    out = x
    for axis, (before, after) in enumerate(widths):
        if before == 0 and after == 0:
            continue
        n = _length(out, axis)
        if mode in ("edge", "wrap", "symmetric", "reflect"):
            out = out[_along(out.ndim, axis, _pad_index(n, before, after, mode))]
            continue
        lengths = [_length(out, i) for i in range(out.ndim)]

        def block(width: int, fill: Any, lengths: list = lengths, axis: int = axis, dtype: str = out.dtype) -> Any:
            shape_ = list(lengths)
            shape_[axis] = width
            if isinstance(fill, TensorVariable):
                return alloc(fill, *shape_)
            return full(shape_, np.asarray(fill).astype(dtype), dtype=dtype)

        if mode == "constant":
            left, right = block(before, constants[axis][0]), block(after, constants[axis][1])
        elif mode == "linear_ramp":
            edge_lo = out[_along(out.ndim, axis, 0)]
            edge_hi = out[_along(out.ndim, axis, -1)]
            left = linspace(np.asarray(ends[axis][0]), edge_lo, before, endpoint=False, dtype=out.dtype, axis=axis)
            right = flip(linspace(np.asarray(ends[axis][1]), edge_hi, after, endpoint=False, dtype=out.dtype,
                                  axis=axis), axis)
        else:
            reduce_ = {"maximum": max_, "minimum": min_, "mean": mean_}[mode]
            first, last = out, out
            if stats is not None:
                first = out[_along(out.ndim, axis, slice(None, max(stats[axis][0], 1)))]
                last = out[_along(out.ndim, axis, slice(-max(stats[axis][1], 1), None))]
            left = block(before, cast(reduce_(first, axis=axis, keepdims=True), out.dtype))
            right = block(after, cast(reduce_(last, axis=axis, keepdims=True), out.dtype))
        out = concatenate([left, out, right], axis=axis)
    return out


# -- index helpers: triangles, (un)ravelling, inverse permutations ----------------------------
def _tri_indices(n: Any, k: Any, m: Any, lower: bool, where: str) -> tuple[TensorVariable, TensorVariable]:
    from reference.tensor.math import invert

    n_ = _count(n, where, "n")
    m_ = n_ if m is None else _count(m, where, "m")
    k_ = _count(k, where, "k")
    mask = tri(n_, m_, k_, dtype="bool") if lower else invert(tri(n_, m_, k_ - 1, dtype="bool"))
    rows, cols = NonZero()(mask)  # OP-TRIIDX-1
    return rows, cols


def tril_indices(n: Any, k: Any = 0, m: Any = None) -> tuple[TensorVariable, TensorVariable]:
    """``np.tril_indices(n, k, m)``: the positions where ``tri(n, m, k)`` is true, row by row
    (OP-TRIIDX-1)."""
    return _tri_indices(n, k, m, True, "tril_indices")


def triu_indices(n: Any, k: Any = 0, m: Any = None) -> tuple[TensorVariable, TensorVariable]:
    """``np.triu_indices(n, k, m)``: the positions where ``tri(n, m, k - 1)`` is false
    (OP-TRIIDX-1)."""
    return _tri_indices(n, k, m, False, "triu_indices")


def _from(a: Any, where: str) -> tuple[Any, Any]:
    x = as_tensor_variable(a)
    if x.ndim != 2:
        raise SpecValueError("OP-TRIIDX-1", f"{where}: a must be a matrix, got {x.type}")
    return _length(x, 0), _length(x, 1)


def tril_indices_from(a: Any, k: Any = 0) -> tuple[TensorVariable, TensorVariable]:
    """``np.tril_indices_from(a, k)`` for a matrix ``a`` (OP-TRIIDX-1)."""
    n, m = _from(a, "tril_indices_from")
    return tril_indices(n, k, m)


def triu_indices_from(a: Any, k: Any = 0) -> tuple[TensorVariable, TensorVariable]:
    """``np.triu_indices_from(a, k)`` for a matrix ``a`` (OP-TRIIDX-1)."""
    n, m = _from(a, "triu_indices_from")
    return triu_indices(n, k, m)


class RavelMultiIndex(Op):
    """``np.ravel_multi_index(multi_index, dims, mode, order)`` as int64 (OP-RAVEL-1)."""

    __props__ = ("mode", "order")

    def __init__(self, mode: str, order: str) -> None:
        self.mode, self.order = mode, order

    def make_node(self, dims: Any, *index: Any) -> Apply:
        from reference.tensor.elemwise import broadcast_static_shapes

        try:
            static = broadcast_static_shapes([i.type.shape for i in index], "ravel_multi_index")
        except SpecValueError as error:
            raise SpecValueError("OP-RAVEL-1", error.message) from None
        return Apply(self, [dims, *index], [TensorType("int64", static)])

    def perform(self, node: Apply, dims: np.ndarray, *index: np.ndarray) -> np.ndarray:
        try:
            out = np.ravel_multi_index(index, tuple(int(d) for d in dims), mode=self.mode, order=self.order)
        except ValueError as error:
            raise SpecValueError("OP-RAVEL-1", f"ravel_multi_index: {error}") from None
        return np.asarray(out, dtype="int64")

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [np.broadcast_shapes(*shapes[1:])]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Integer positions (GRAD-OP-2)."""
        return [None] * len(node.inputs)


def _dims(dims: Any, where: str) -> TensorVariable:
    d = _integer_tensor(dims, "OP-RAVEL-1", where, "dims", ndims=(0, 1))
    return d if d.ndim == 1 else dimshuffle(d, ["x"])


def ravel_multi_index(multi_index: Any, dims: Any, mode: str = "raise", order: str = "C") -> TensorVariable:
    """``np.ravel_multi_index(multi_index, dims, mode, order)`` (OP-RAVEL-1): ``multi_index``
    a tuple or list of integer tensors, one per entry of ``dims``."""
    if not isinstance(multi_index, tuple | list):
        raise SpecTypeError("OP-RAVEL-1", f"ravel_multi_index: multi_index must be a tuple or a list, got {multi_index!r}")
    if mode not in ("raise", "wrap", "clip") or order not in ("C", "F"):
        raise SpecValueError("OP-RAVEL-1", f"ravel_multi_index: bad mode {mode!r} or order {order!r}")
    index = [_integer_tensor(i, "OP-RAVEL-1", "ravel_multi_index", "multi_index") for i in multi_index]
    d = _dims(dims, "ravel_multi_index")
    if d.type.shape[0] is not None and d.type.shape[0] != len(index):
        raise SpecValueError("OP-RAVEL-1", f"ravel_multi_index: {len(index)} indices for {d.type.shape[0]} dims")
    return RavelMultiIndex(mode, order)(d, *index)


class UnravelIndex(Op):
    """``np.unravel_index(indices, dims, order)``: one int64 tensor per dim (OP-RAVEL-1)."""

    __props__ = ("n", "order")

    def __init__(self, n: int, order: str) -> None:
        self.n, self.order = n, order

    def make_node(self, indices: Any, dims: Any) -> Apply:
        return Apply(self, [indices, dims], [TensorType("int64", indices.type.shape) for _ in range(self.n)])

    def perform(self, node: Apply, indices: np.ndarray, dims: np.ndarray) -> tuple:
        if dims.size != self.n:
            raise SpecValueError("OP-RAVEL-1", f"unravel_index: dims has {dims.size} entries, expected {self.n}")
        try:
            out = np.unravel_index(indices, tuple(int(d) for d in dims), order=self.order)
        except ValueError as error:
            raise SpecValueError("OP-RAVEL-1", f"unravel_index: {error}") from None
        return tuple(np.asarray(o, dtype="int64") for o in out)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]] * self.n

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Integer positions (GRAD-OP-2)."""
        return [None, None]


def unravel_index(indices: Any, dims: Any, order: str = "C") -> tuple[TensorVariable, ...]:
    """``np.unravel_index(indices, dims, order)`` (OP-RAVEL-1): a tuple of int64 tensors of
    ``indices``' shape; ``dims`` needs a known length."""
    if order not in ("C", "F"):
        raise SpecValueError("OP-RAVEL-1", f"unravel_index: order must be 'C' or 'F', got {order!r}")
    index = _integer_tensor(indices, "OP-RAVEL-1", "unravel_index", "indices")
    d = _dims(dims, "unravel_index")
    if d.type.shape[0] is None:
        raise SpecValueError("OP-RAVEL-1", "unravel_index: the length of dims must be known")
    outputs = UnravelIndex(d.type.shape[0], order)(index, d)
    return tuple(outputs) if isinstance(outputs, list | tuple) else (outputs,)


def inverse_permutation(perm: Any) -> TensorVariable:
    """The inverse of the permutation ``perm`` along its last axis (OP-PERM-1): the stable
    ``argsort`` of ``perm`` in ``perm``'s dtype (``np.argsort(perm, kind='stable')``)."""
    from reference.tensor.math import cast

    p = _integer_tensor(perm, "OP-PERM-1", "inverse_permutation", "perm")
    if p.ndim == 0:
        raise SpecValueError("OP-PERM-1", "inverse_permutation: perm must have at least one axis")
    return cast(Sort(p.ndim - 1, "stable", True)(p), p.dtype)


def permute_row_elements(x: Any, y: Any, inverse: bool = False) -> TensorVariable:
    """Each row (last axis) of ``x`` permuted by the matching row of ``y`` (OP-PERM-1):
    ``out[..., i] = x[..., y[..., i]]``, or with ``inverse`` ``out[..., y[..., i]] = x[..., i]``;
    ``x`` and ``y`` broadcast on the other axes."""
    x = as_tensor_variable(x)
    p = _integer_tensor(y, "OP-PERM-1", "permute_row_elements", "y")
    if x.ndim == 0 or p.ndim == 0:
        raise SpecValueError("OP-PERM-1", "permute_row_elements: x and y need at least one axis")
    if inverse:
        p = inverse_permutation(p)
    x_b, p_b = _row_broadcast(x, p)
    return take_along_axis(x_b, p_b, axis=-1)


def _row_broadcast(x: TensorVariable, p: TensorVariable) -> tuple[TensorVariable, TensorVariable]:
    """``x`` and ``p`` broadcast against each other on all axes but the last."""
    ndim = max(x.ndim, p.ndim)
    x = dimshuffle(x, ["x"] * (ndim - x.ndim) + list(range(x.ndim)))
    p = dimshuffle(p, ["x"] * (ndim - p.ndim) + list(range(p.ndim)))
    lead_x = dimshuffle(x[(Ellipsis, slice(0, 1))], list(range(ndim)))
    lead_p = dimshuffle(p[(Ellipsis, slice(0, 1))], list(range(ndim)))
    bx, _ = broadcast_arrays(x, lead_p)
    bp, _ = broadcast_arrays(p, lead_x)
    return bx, bp


# -- filling diagonals, choose, compress -----------------------------------------------------
def _fill_value(a: TensorVariable, val: Any, where: str) -> TensorVariable:
    from reference.graph.type import upcast
    from reference.tensor.math import cast

    if not isinstance(val, TensorVariable):
        value = np.asarray(val)
        if value.ndim != 0:
            raise SpecValueError("OP-FILLDIAG-1", f"{where}: val must be a scalar, got shape {value.shape}")
        return cast(as_tensor_variable(value), a.dtype) if value.dtype != a.dtype else as_tensor_variable(value)
    if val.ndim != 0:
        raise SpecValueError("OP-FILLDIAG-1", f"{where}: val must be a scalar, got {val.type}")
    if upcast(a.dtype, val.dtype) != a.dtype:
        raise SpecTypeError("OP-FILLDIAG-1", f"{where}: val ({val.type}) does not fit a's dtype {a.dtype}")
    return cast(val, a.dtype)


def fill_diagonal(a: Any, val: Any) -> TensorVariable:
    """``np.fill_diagonal(a, val)`` without changing ``a`` (OP-FILLDIAG-1): ``val`` set at
    ``a[i, i, ..., i]`` for ``i < min(a.shape)``."""
    from reference.tensor.math import minimum
    from reference.tensor.subtensor import set_subtensor

    x = as_tensor_variable(a)
    if x.ndim < 2:
        raise SpecValueError("OP-FILLDIAG-1", f"fill_diagonal: a needs at least two axes, got {x.type}")
    known = [n for n in x.type.shape if n is not None]
    if x.ndim > 2 and len(set(known)) > 1:
        raise SpecValueError("OP-FILLDIAG-1", f"fill_diagonal: the axes of a must have the same length, got {x.type}")
    v = _fill_value(x, val, "fill_diagonal")
    lengths = [_length(x, i) for i in range(x.ndim)]
    n = min(lengths) if all(isinstance(m, int) for m in lengths) else lengths[0]
    if not isinstance(n, int) or x.ndim == 2:
        n = lengths[0]
        for m in lengths[1:]:
            n = min(n, m) if isinstance(n, int) and isinstance(m, int) else minimum(n, m)
    steps = arange(n)
    return set_subtensor(x[(steps,) * x.ndim], v)


def fill_diagonal_offset(a: Any, val: Any, offset: Any) -> TensorVariable:
    """``a`` with ``val`` on its diagonal ``offset`` (OP-FILLDIAG-1): the positions of
    :rule:`OP-DIAG-1`'s ``diagonal(a, offset)`` set to ``val``."""
    from reference.tensor.math import maximum, minimum
    from reference.tensor.subtensor import set_subtensor

    x = as_tensor_variable(a)
    if x.ndim != 2:
        raise SpecValueError("OP-FILLDIAG-1", f"fill_diagonal_offset: a must be a matrix, got {x.type}")
    k = _int(offset, "OP-FILLDIAG-1", "fill_diagonal_offset", "offset")
    v = _fill_value(x, val, "fill_diagonal_offset")
    row0, col0 = max(-k, 0), max(k, 0)
    n1, n2 = _length(x, 0), _length(x, 1)
    if isinstance(n1, int) and isinstance(n2, int):
        length: Any = max(0, min(n1 - row0, n2 - col0))
    else:
        length = maximum(0, minimum(n1 - row0, n2 - col0))
    steps = arange(length)
    return set_subtensor(x[steps + row0, steps + col0], v)


class _InRange(Op):
    """``x`` itself after checking ``0 <= x < n`` (OP-CHOOSE-1)."""

    def make_node(self, x: Any, n: Any) -> Apply:
        return Apply(self, [x, as_tensor_variable(n)], [x.type.clone()])

    def perform(self, node: Apply, x: np.ndarray, n: np.ndarray) -> np.ndarray:
        if x.size and ((x < 0).any() or (x >= n).any()):
            raise SpecValueError("OP-CHOOSE-1", f"choose: a has entries outside [0, {int(n)})")
        return x

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Integer positions (GRAD-OP-2)."""
        return [None, None]


def choose(a: Any, choices: Any, mode: str = "raise") -> TensorVariable:
    """``np.choose(a, choices, mode)`` (OP-CHOOSE-1): ``a`` and the choices broadcast
    together, each entry taken from the choice ``a`` names."""
    from reference.tensor.math import clip

    index = _integer_tensor(a, "OP-CHOOSE-1", "choose", "a")
    if mode not in ("raise", "wrap", "clip"):
        raise SpecValueError("OP-CHOOSE-1", f"choose: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    if isinstance(choices, TensorVariable | np.ndarray):
        stacked = as_tensor_variable(choices)
        if stacked.ndim == 0:
            raise SpecValueError("OP-CHOOSE-1", "choose: choices needs at least one axis")
        parts = [stacked[i] for i in range(stacked.type.shape[0])] if stacked.type.shape[0] is not None else None
    else:
        parts = [as_tensor_variable(c) for c in choices]
        if not parts:
            raise SpecValueError("OP-CHOOSE-1", "choose: choices is empty")
    if parts is None:
        k = shape(stacked)[0]
        rest = list(range(1, stacked.ndim))
        ndim = max(index.ndim, stacked.ndim - 1)
        index_b = dimshuffle(index, ["x"] * (ndim - index.ndim) + list(range(index.ndim)))
        stacked = dimshuffle(stacked, [0] + ["x"] * (ndim - len(rest)) + rest)
        ones = dimshuffle(index_b, ["x"] + list(range(ndim)))
        stacked, _ = broadcast_arrays(stacked, zeros_like(ones, dtype=stacked.dtype))
        index_b, _ = broadcast_arrays(index_b, stacked[0])
    else:
        k = len(parts)
        everything = broadcast_arrays(index, *parts)
        index_b, stacked = everything[0], stack(everything[1:])
        ndim = index_b.ndim
    if mode == "wrap":
        index_b = index_b % k
    elif mode == "clip":
        index_b = clip(index_b, 0, k - 1)
    else:
        index_b = _InRange()(index_b, k)
    grids: list[Any] = [index_b]
    for d in range(ndim):
        pattern: list[Any] = ["x"] * ndim
        pattern[d] = 0
        grids.append(dimshuffle(arange(_length(index_b, d)), pattern))
    return stacked[tuple(grids)]


def compress(condition: Any, x: Any, axis: Any = None) -> TensorVariable:
    """``np.compress(condition, x, axis)`` (OP-COMPRESS-1): the positions along ``axis``
    (of the flattened ``x`` when ``None``) where the vector ``condition`` is non-zero."""
    c = as_tensor_variable(condition)
    if c.ndim != 1:
        raise SpecValueError("OP-COMPRESS-1", f"compress: condition must be a vector, got {c.type}")
    x = as_tensor_variable(x)
    if axis is None:
        x, axis_ = flatten(x) if x.ndim != 1 else x, 0
    else:
        if x.ndim == 0:
            raise SpecAxisError("OP-COMPRESS-1", f"compress: axis {axis} is out of range for a scalar")
        axis_ = _axis(axis, x.ndim, "OP-COMPRESS-1", "compress")
    n, m = x.type.shape[axis_], c.type.shape[0]
    if n is not None and m is not None and m > n:
        raise SpecValueError("OP-COMPRESS-1", f"compress: condition of length {m} for an axis of length {n}")
    return x[_along(x.ndim, axis_, NonZero()(c))]


# -- cov and interp --------------------------------------------------------------------------
def cov(m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: Any = None, fweights: Any = None,
        aweights: Any = None) -> TensorVariable:
    """``np.cov(m, y, rowvar, bias, ddof, fweights, aweights)`` in float64 (OP-COV-1)."""
    from reference.tensor.blas import dot
    from reference.tensor.math import cast
    from reference.tensor.reduction import mean as mean_
    from reference.tensor.reduction import sum as sum_

    def rows(v: Any, name: str) -> TensorVariable:
        v = as_tensor_variable(v)
        if v.ndim not in (1, 2):
            raise SpecValueError("OP-COV-1", f"cov: {name} must be a vector or a matrix, got {v.type}")
        v = cast(v, "float64") if v.dtype != "float64" else v
        return dimshuffle(v, ["x", 0]) if v.ndim == 1 else v

    m_v = as_tensor_variable(m)
    X = rows(m, "m") if rowvar or m_v.ndim == 1 else transpose(rows(m, "m"))  # noqa: N806
    if y is not None:
        y_v = as_tensor_variable(y)
        Y = rows(y, "y") if rowvar or y_v.ndim == 1 else transpose(rows(y, "y"))  # noqa: N806
        X = concatenate([X, Y], axis=0)  # noqa: N806
    if ddof is None:
        ddof = 0 if bias else 1
    ddof = _int(ddof, "OP-COV-1", "cov", "ddof")
    w = None
    for name, weights in (("fweights", fweights), ("aweights", aweights)):
        if weights is not None:
            wv = as_tensor_variable(weights)
            if wv.ndim != 1:
                raise SpecValueError("OP-COV-1", f"cov: {name} must be a vector, got {wv.type}")
            wv = cast(wv, "float64")
            w = wv if w is None else w * wv
    if w is None:
        avg = mean_(X, axis=1)
        fact: Any = cast(_length(X, 1), "float64") - ddof
        Xc = X - dimshuffle(avg, [0, "x"])  # noqa: N806
        c = dot(Xc, transpose(Xc))
    else:
        v1 = sum_(w)
        avg = sum_(X * w, axis=1) / v1
        if ddof == 0:
            fact = v1
        elif aweights is None:
            fact = v1 - ddof
        else:
            fact = v1 - ddof * sum_(w * cast(as_tensor_variable(aweights), "float64")) / v1
        Xc = X - dimshuffle(avg, [0, "x"])  # noqa: N806
        c = dot(Xc, transpose(Xc * w))
    c = c * (1.0 / cast(fact, "float64"))  # OP-COV-1: numpy multiplies by the reciprocal
    return c[0, 0] if m_v.ndim == 1 and y is None else c


def interp(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None, period: Any = None) -> TensorVariable:
    """``np.interp(x, xp, fp, left, right)`` (OP-INTERP-1), computed in float64 as numpy's
    loop and cast to the upcast of the three dtypes (float64 for integers)."""
    from reference.errors import SpecNotImplementedError
    from reference.graph.type import upcast
    from reference.tensor.math import and_, cast, clip, eq, gt, isnan, lt, switch

    if period is not None:
        raise SpecNotImplementedError("OP-INTERP-1", "interp: period is not implemented")
    x, xp, fp = (as_tensor_variable(v) for v in (x, xp, fp))
    if xp.ndim != 1 or fp.ndim != 1:
        raise SpecValueError("OP-INTERP-1", f"interp: xp and fp must be vectors, got {xp.type} and {fp.type}")
    if None not in (xp.type.shape[0], fp.type.shape[0]) and xp.type.shape[0] != fp.type.shape[0]:
        raise SpecValueError("OP-INTERP-1", f"interp: xp and fp have lengths {xp.type.shape[0]} and {fp.type.shape[0]}")
    dtype = upcast(x.dtype, xp.dtype, fp.dtype)
    dtype = dtype if dtype in FLOAT_DTYPES else "float64"
    xd, xpd, fpd = (cast(v, "float64") for v in (x, xp, fp))
    n = _length(xpd, 0)
    j = clip(SearchSorted("right")(xpd, xd) - 1, 0, maximum_index(n))
    j1 = clip(j + 1, 0, maximum_index(n))
    x0, x1, y0, y1 = xpd[j], xpd[j1], fpd[j], fpd[j1]
    slope = (y1 - y0) / (x1 - x0)
    first = slope * (xd - x0) + y0
    second = slope * (xd - x1) + y1
    inside = switch(isnan(first), switch(and_(isnan(second), eq(y0, y1)), y0, second), first)
    inside = switch(eq(xd, x0), y0, switch(eq(xd, xpd[-1]), fpd[-1], inside))
    lo = fpd[0] if left is None else cast(as_tensor_variable(left), "float64")
    hi = fpd[-1] if right is None else cast(as_tensor_variable(right), "float64")
    out = switch(lt(xd, xpd[0]), lo, switch(gt(xd, xpd[-1]), hi, inside))
    out = switch(isnan(xd), xd, out)  # OP-INTERP-1: a nan x gives nan
    return cast(out, dtype)


def maximum_index(n: Any) -> Any:
    """``max(n - 1, 0)``: the last valid position of a length ``n`` (0 for an empty axis)."""
    from reference.tensor.math import maximum

    return max(n - 1, 0) if isinstance(n, int) else maximum(n - 1, 0)


# -- small helpers of pytensor.tensor ----------------------------------------------------------
def tensor_copy(x: Any) -> TensorVariable:
    """A copy of ``x``: the elementwise identity (OP-HELPERS-1)."""
    from reference.tensor.math import identity

    return identity(x)


def atleast_Nd(arry: Any, *, n: int = 1, left: bool = True) -> TensorVariable:  # noqa: N802 - PyTensor's name
    """``arry`` with length-1 axes added until it has ``n`` (OP-ATLEAST-1)."""
    return _atleast(arry, _int(n, "OP-ATLEAST-1", "atleast_Nd", "n"), left)


def _fold(name: str, binary: Any, args: tuple) -> TensorVariable:
    """``binary`` folded left to right over ``args`` (OP-HELPERS-1)."""
    if not args:
        raise SpecValueError("OP-HELPERS-1", f"{name}: needs at least one argument")
    out = as_tensor_variable(args[0])
    for a in args[1:]:
        out = binary(out, a)
    return out


def largest(*args: Any) -> TensorVariable:
    """The elementwise maximum of the arguments, ``maximum`` folded left to right
    (OP-HELPERS-1)."""
    from reference.tensor.math import maximum

    return _fold("largest", maximum, args)


def smallest(*args: Any) -> TensorVariable:
    """The elementwise minimum of the arguments, ``minimum`` folded left to right
    (OP-HELPERS-1)."""
    from reference.tensor.math import minimum

    return _fold("smallest", minimum, args)


def divmod(x: Any, y: Any) -> tuple[TensorVariable, TensorVariable]:  # noqa: A001 - PyTensor's name
    """``np.divmod(x, y)``: ``(floor_div(x, y), mod(x, y))`` (OP-HELPERS-1)."""
    from reference.tensor.math import floor_div, mod

    return floor_div(x, y), mod(x, y)


def ceil_intdiv(a: Any, b: Any) -> TensorVariable:
    """``int_div(a, b)`` plus 1 where ``a % b != 0``, in ``int_div``'s dtype (OP-HELPERS-1):
    the ceiling of ``a / b`` for integers."""
    from reference.tensor.math import cast, int_div, mod, neq

    q = int_div(a, b)
    return q + cast(neq(mod(a, b), 0), q.dtype)


def broadcast_shape(*arrays: Any, arrays_are_shapes: bool = False) -> tuple[TensorVariable, ...]:
    """The broadcast shape of the arguments (or of the given shapes) as int64 scalars
    (OP-HELPERS-1): a known length is a constant; an unknown one is folded as ``b if a == 1
    else a``."""
    from reference.tensor.elemwise import broadcast_static_shapes
    from reference.tensor.math import cast, eq, switch

    if arrays_are_shapes:
        shapes = [[as_tensor_variable(n) if not isinstance(n, int) else n for n in s] for s in arrays]
        static = [tuple(n if isinstance(n, int) else (int(v) if (v := constant_value(n)) is not None else None)
                        for n in s) for s in shapes]
    else:
        parts = [as_tensor_variable(a) for a in arrays]
        shapes = [[_length(p, i) for i in range(p.ndim)] for p in parts]
        static = [p.type.shape for p in parts]
    try:
        known = broadcast_static_shapes(static, "broadcast_shape")
    except SpecValueError as error:
        raise SpecValueError("OP-HELPERS-1", error.message) from None
    ndim = len(known)
    out: list[TensorVariable] = []
    for axis, n in enumerate(known):
        if n is not None:
            out.append(as_tensor_variable(np.int64(n)))
            continue
        length: Any = None
        for s, st in zip(shapes, static, strict=True):
            offset = ndim - len(s)
            if axis < offset or st[axis - offset] == 1:
                continue
            m = cast(as_tensor_variable(s[axis - offset]), "int64")
            length = m if length is None else switch(eq(length, 1), m, length)
        out.append(length if length is not None else as_tensor_variable(np.int64(1)))
    return tuple(out)


def get_vector_length(v: Any) -> int:
    """The length of the vector ``v`` when known at graph-construction time (OP-CONSTVAL-1):
    its static length, or the count of a constant or a ``stack``; else ``SpecValueError``."""
    from reference.tensor.shape import constant_entries

    if isinstance(v, list | tuple):
        return len(v)
    x = as_tensor_variable(v)
    if x.ndim != 1:
        raise SpecTypeError("OP-CONSTVAL-1", f"get_vector_length: v must be a vector, got {x.type}")
    if x.type.shape[0] is not None:
        return int(x.type.shape[0])
    known = constant_value(x)
    if known is not None:
        return int(np.asarray(known).shape[0])
    entries = constant_entries(x)
    if entries:
        return len(entries)
    raise SpecValueError("OP-CONSTVAL-1", f"get_vector_length: the length of {x} cannot be determined")


def get_underlying_scalar_constant_value(v: Any, *, elemwise: bool = True, only_process_constants: bool = False,
                                         max_recur: int = 10, raise_not_constant: bool = True) -> Any:
    """The one value of ``v`` if it is known when the graph is built and all its entries are
    equal, as a 0-d numpy array (OP-CONSTVAL-1); else ``NotScalarConstantError``, or ``v``
    itself with ``raise_not_constant=False``.  The other arguments are accepted for
    PyTensor's signature."""
    from reference.errors import NotScalarConstantError

    if not isinstance(v, TensorVariable):
        value = np.asarray(v)
        if value.dtype.kind in "biuf" and value.size >= 1 and (value == value.reshape(-1)[0]).all():
            return np.asarray(value.reshape(-1)[0])
        if raise_not_constant:
            raise NotScalarConstantError("OP-CONSTVAL-1", f"{v!r} is not a scalar constant")
        return v
    known = constant_value(v)
    if known is not None:
        known = np.asarray(known)
        if known.size >= 1 and (known == known.reshape(-1)[0]).all():
            return np.asarray(known.reshape(-1)[0], dtype=v.dtype)
    if raise_not_constant:
        raise NotScalarConstantError("OP-CONSTVAL-1", f"{v} is not a scalar constant")
    return v


def get_scalar_constant_value(v: Any, elemwise: bool = True, only_process_constants: bool = False,
                              max_recur: int = 10, raise_not_constant: bool = True) -> Any:
    """:func:`get_underlying_scalar_constant_value` of a scalar ``v``; ``v`` with axes is a
    ``NotScalarConstantError`` whatever ``raise_not_constant`` says, as PyTensor
    (OP-CONSTVAL-1)."""
    from reference.errors import NotScalarConstantError

    if np.ndim(v) != 0 if not isinstance(v, TensorVariable) else v.ndim != 0:
        raise NotScalarConstantError("OP-CONSTVAL-1", "get_scalar_constant_value: the input has axes")
    return get_underlying_scalar_constant_value(v, raise_not_constant=raise_not_constant)


def __getattr__(name: str) -> Any:
    """PyTensor's names of this module that live in another module here (reference/_aliases.py)."""
    from reference import _aliases

    return _aliases.lookup(__name__, name)
