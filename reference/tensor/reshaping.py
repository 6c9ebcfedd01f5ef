"""Joining and splitting axes, packing tensors into one: ``pt.join_dims``, ``pt.split_dims``,
``pt.pack`` and ``pt.unpack`` (``pytensor.tensor.reshape``).

Spec: spec/2-ops.rst, section "Vectorising, grids, reshaping and signals" (OP-JOINDIMS-1,
OP-SPLITDIMS-1, OP-PACK-1, OP-UNPACK-1).  All four are compositions of ``reshape``,
``join`` and ``split``, so their gradients are those ops'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from reference.errors import SpecAxisError, SpecTypeError, SpecValueError
from reference.graph.type import INT_DTYPES
from reference.tensor.basic import join
from reference.tensor.shape import constant_value, reshape, shape
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = ["join_dims", "pack", "split_dims", "unpack"]


def _length(x: TensorVariable, axis: int) -> Any:
    """``x``'s static length on ``axis`` (a Python int) when known, else ``x.shape[axis]``."""
    n = x.type.shape[axis]
    return n if n is not None else shape(x)[axis]


def _product(lengths: Sequence[Any]) -> Any:
    """The product of lengths: a Python int when all are known, else a symbolic int64."""
    if all(isinstance(n, int | np.integer) for n in lengths):
        return int(np.prod(lengths, dtype=np.int64))
    total: Any = 1
    for n in lengths:
        total = total * n
    return total


def join_dims(x: Any, start_axis: int = 0, n_axes: int | None = None) -> TensorVariable:
    """``x`` with the ``n_axes`` axes from ``start_axis`` merged into one (OP-JOINDIMS-1);
    ``n_axes=None`` merges all the remaining axes, ``n_axes=0`` inserts a length-1 axis."""
    x = as_tensor_variable(x)
    ndim = x.ndim
    if isinstance(start_axis, bool) or not isinstance(start_axis, int | np.integer):
        raise SpecTypeError("OP-JOINDIMS-1", f"join_dims: start_axis must be an int, got {start_axis!r}")
    start = int(start_axis)
    if start < 0:
        start += max(1, ndim)  # a scalar counts as having one axis
    if not 0 <= start <= ndim:
        raise SpecAxisError("OP-JOINDIMS-1", f"join_dims: start_axis {start_axis} is out of range for {ndim} axes")
    n = ndim - start if n_axes is None else n_axes
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise SpecValueError("OP-JOINDIMS-1", f"join_dims: n_axes must be a non-negative int, got {n_axes!r}")
    if start + n > ndim:
        raise SpecValueError("OP-JOINDIMS-1", f"join_dims: cannot join {n} axes from axis {start} of {x.type}, "
                             f"which has {ndim} axes")
    lengths = [_length(x, i) for i in range(ndim)]
    new_shape = [*lengths[:start], _product(lengths[start:start + n]), *lengths[start + n:]]
    return reshape(x, new_shape, ndim=len(new_shape))


def _known_entries(v: TensorVariable) -> list[int | None]:
    """The entries of an integer vector known when the graph is built: constants, and the
    lengths in ``x.shape`` (or a constant slice of it) that ``x``'s static shape gives."""
    known = constant_value(v)
    if known is not None:
        return [int(n) for n in np.asarray(known).reshape(-1)]
    node = v.owner
    if node is not None and type(node.op).__name__ == "Shape":
        return list(node.inputs[0].type.shape)
    if node is not None and type(node.op).__name__ == "Subtensor" and len(node.op.template) == 1:
        kind, *bounds = node.op.template[0]
        if kind == "slice" and all(b is None or isinstance(b, int) for b in bounds):
            return _known_entries(node.inputs[0])[slice(*bounds)]
    return [None] * (v.type.shape[0] or 0)


def _shape_entries(value: Any) -> list[Any]:
    """The entries of a ``split_dims`` shape: ints, integer scalars, or an integer vector of
    known length (OP-SPLITDIMS-1)."""
    if isinstance(value, TensorVariable | np.ndarray) and np.ndim(value) == 1:
        v = as_tensor_variable(value)
        if v.dtype not in INT_DTYPES:
            raise SpecTypeError("OP-SPLITDIMS-1", f"split_dims: shape must be integers, got {v.type}")
        if v.type.shape[0] is None:
            raise SpecValueError("OP-SPLITDIMS-1", f"split_dims: the length of the shape vector {v} must be known")
        return [v[i] if n is None else n for i, n in enumerate(_known_entries(v))]
    items = list(value) if isinstance(value, Iterable) and not isinstance(value, TensorVariable | np.ndarray) else [value]
    entries: list[Any] = []
    for item in items:
        if isinstance(item, bool) or isinstance(item, float | np.floating):
            raise SpecTypeError("OP-SPLITDIMS-1", f"split_dims: shape entries must be integers, got {item!r}")
        if isinstance(item, int | np.integer):
            entries.append(int(item))
            continue
        v = as_tensor_variable(item)
        if v.ndim != 0 or v.dtype not in INT_DTYPES:
            raise SpecTypeError("OP-SPLITDIMS-1", f"split_dims: shape entries must be integer scalars, got {v.type}")
        known = constant_value(v)
        entries.append(int(known) if known is not None else v)
    return entries


def split_dims(x: Any, shape: Any, axis: int = 0) -> TensorVariable:  # noqa: A002
    """``x`` with axis ``axis`` split into axes of lengths ``shape`` (OP-SPLITDIMS-1): an int,
    a sequence of ints and integer scalars, or an integer vector."""
    x = as_tensor_variable(x)
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise SpecTypeError("OP-SPLITDIMS-1", f"split_dims: axis must be an int, got {axis!r}")
    if not -x.ndim <= axis < x.ndim:
        raise SpecAxisError("OP-SPLITDIMS-1", f"split_dims: axis {axis} is out of range for {x.ndim} axes")
    axis = int(axis) % x.ndim
    entries = _shape_entries(shape)
    lengths = [_length(x, i) for i in range(x.ndim)]
    new_shape = [*lengths[:axis], *entries, *lengths[axis + 1:]]
    return reshape(x, new_shape, ndim=len(new_shape))


def _keep_axes(keep_axes: Any) -> tuple[int, int]:
    """How many kept axes come before and after the packed ones (OP-PACK-1 step 1)."""
    if keep_axes is None:
        return 0, 0
    if isinstance(keep_axes, int | np.integer) and not isinstance(keep_axes, bool):
        axes = [int(keep_axes)]
    elif isinstance(keep_axes, Iterable):
        axes = list(keep_axes)
        if not all(isinstance(a, int | np.integer) and not isinstance(a, bool) for a in axes):
            raise SpecTypeError("OP-PACK-1", f"pack: keep_axes must be ints, got {keep_axes!r}")
        axes = [int(a) for a in axes]
    else:
        raise SpecTypeError("OP-PACK-1", f"pack: keep_axes must be an int, a sequence of ints or None, got {keep_axes!r}")
    if not axes:
        raise SpecValueError("OP-PACK-1", "pack: keep_axes=[] is ambiguous; use None to pack all axes")
    if len(set(axes)) != len(axes):
        raise SpecValueError("OP-PACK-1", f"pack: repeated axis in keep_axes {axes}")
    split = next((i for i, a in enumerate(axes) if a < 0), len(axes))
    before, after = axes[:split], axes[split:]
    if any(a >= 0 for a in after):
        raise SpecValueError("OP-PACK-1", f"pack: in keep_axes {axes} the negative axes must come after the others")
    if before != list(range(len(before))):
        raise SpecValueError("OP-PACK-1", f"pack: the non-negative keep_axes must be 0, 1, ... (got {before})")
    if after != list(range(-len(after), 0)):
        raise SpecValueError("OP-PACK-1", f"pack: the negative keep_axes must be ..., -2, -1 (got {after})")
    return len(before), len(after)


def pack(*tensors: Any, keep_axes: Sequence[int] | int | None = None) -> tuple[TensorVariable, list[TensorVariable]]:
    """The tensors with all axes but ``keep_axes`` merged into one, joined along it, and the
    shapes of the merged axes of each (OP-PACK-1)."""
    before, after = _keep_axes(keep_axes)
    joined: list[TensorVariable] = []
    shapes: list[TensorVariable] = []
    for i, t in enumerate(tensors):
        x = as_tensor_variable(t)
        if x.ndim < before + after:
            raise SpecValueError("OP-PACK-1", f"pack: input {i} has {x.ndim} axes, keep_axes={keep_axes!r} "
                                 f"needs at least {before + after}")
        n = x.ndim - before - after
        shapes.append(shape(x)[before:before + n])
        joined.append(join_dims(x, before, n))
    if not joined:
        raise SpecValueError("OP-PACK-1", "pack: no tensors to pack")
    return join(before, *joined), shapes


def unpack(packed_input: Any, packed_shapes: Sequence[Any], keep_axes: int | Sequence[int] | None = None,
           ) -> list[TensorVariable]:
    """The inverse of :func:`pack` with the same ``keep_axes`` (OP-UNPACK-1): ``packed_input``
    split along its one axis not in ``keep_axes`` into pieces of ``prod(shape)`` entries,
    each split into the axes ``shape`` of ``packed_shapes``."""
    x = as_tensor_variable(packed_input)
    if keep_axes is None:
        if x.ndim != 1:
            raise SpecValueError("OP-UNPACK-1", f"unpack: with keep_axes=None the input must be a vector, got {x.type}")
        axis = 0
    else:
        items = [keep_axes] if isinstance(keep_axes, int | np.integer) else list(keep_axes)
        kept = set()
        for a in items:
            if not -x.ndim <= a < x.ndim:
                raise SpecAxisError("OP-UNPACK-1", f"unpack: keep axis {a} is out of range for {x.ndim} axes")
            if int(a) % x.ndim in kept:
                raise SpecValueError("OP-UNPACK-1", f"unpack: repeated axis in keep_axes {keep_axes!r}")
            kept.add(int(a) % x.ndim)
        free = [i for i in range(x.ndim) if i not in kept]
        if len(free) != 1:
            raise SpecValueError("OP-UNPACK-1", f"unpack: the input ({x.type}) must have exactly one axis not in "
                                 f"keep_axes={keep_axes!r}")
        axis = free[0]
    entries = [_shape_entries(s) for s in packed_shapes]
    if len(entries) == 1:
        pieces = [x]
    else:
        from reference.tensor.extra_ops import split

        sizes = [_product(e) for e in entries]
        if all(isinstance(s, int) for s in sizes):
            splits: Any = np.array(sizes, dtype="int64")
        else:
            from reference.tensor.basic import stack

            splits = stack([as_tensor_variable(s).astype("int64") if not isinstance(s, int) else
                            as_tensor_variable(np.int64(s)) for s in sizes])
        pieces = split(x, splits, len(sizes), axis=axis)
    return [split_dims(piece, e, axis) for piece, e in zip(pieces, entries, strict=True)]
