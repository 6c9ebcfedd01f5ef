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
    "bincount",
    "broadcast_arrays",
    "diag",
    "diagonal",
    "diff",
    "empty",
    "empty_like",
    "flatnonzero",
    "flip",
    "geomspace",
    "horizontal_stack",
    "linspace",
    "logspace",
    "matrix_transpose",
    "moveaxis",
    "nonzero",
    "ptp",
    "repeat",
    "roll",
    "searchsorted",
    "sort",
    "split",
    "stacklists",
    "swapaxes",
    "take",
    "take_along_axis",
    "tile",
    "tri",
    "tril",
    "triu",
    "trace",
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
