"""Shapes, reshaping and axis permutations.  Spec: spec/2-ops.rst (OP-SHAPE-*, OP-RESHAPE-*, ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Constant, Op
from reference.graph.type import INT_DTYPES, TensorType
from reference.tensor.variable import TensorVariable, as_tensor_variable


def constant_value(variable: Any, _known: dict[int, Any] | None = None) -> Any:
    """The value of ``variable`` if it is known at graph-construction time, else ``None``.

    Known: constants, the shape of a variable with a known static shape, and stacks,
    casts and indexing of known values.  Used for static shape inference only.  Each
    variable is looked at once per call, and a node stops at its first unknown input, so
    the cost is linear in the graph (a graph reusing its intermediates is a DAG whose
    paths are exponentially many).
    """
    if not isinstance(variable, TensorVariable):
        return np.asarray(variable) if isinstance(variable, int | np.integer) else None
    if isinstance(variable, Constant):
        return variable.data
    node = variable.owner
    if node is None:
        return None
    known = {} if _known is None else _known
    if id(variable) not in known:
        known[id(variable)] = _fold(node, known)
    return known[id(variable)]


def _fold(node: Apply, known: dict[int, Any]) -> Any:
    if isinstance(node.op, Shape):
        static = node.inputs[0].type.shape
        return None if None in static else np.asarray(static, dtype="int64")
    if not getattr(node.op, "constant_foldable", True) or len(node.outputs) != 1:
        return None
    inputs = []
    for v in node.inputs:
        value = constant_value(v, known)
        if value is None or np.size(value) > 64:
            return None
        inputs.append(np.asarray(value))
    from reference.evaluate import run_node

    try:  # run_node: an op may return its one output in a tuple
        return run_node(node, inputs)[0]
    except Exception:  # noqa: BLE001 - the error is raised again at run time
        return None


def constant_entries(variable: TensorVariable) -> list[int | None]:
    """The known entries of an integer vector (``None`` where unknown)."""
    value = constant_value(variable)
    if value is not None:
        return [int(v) for v in np.asarray(value).reshape(-1)]
    node = variable.owner
    if node is not None and type(node.op).__name__ == "Join" and variable.ndim == 1:
        entries: list[int | None] = []
        for part in node.inputs[1:]:
            if part.type.shape[0] is None:
                return [None] * (variable.type.shape[0] or 0)
            entries.extend(constant_entries(part))
        return entries
    if node is not None and type(node.op).__name__ == "MakeVector":
        return [None if (v := constant_value(x)) is None else int(v) for x in node.inputs]
    length = variable.type.shape[0] if variable.ndim == 1 else None
    return [None] * (length or 0)


class Shape(Op):
    """``x.shape`` as an int64 vector (OP-SHAPE-1)."""

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        return Apply(self, [x], [TensorType("int64", (x.ndim,))])

    def perform(self, node: Apply, x: np.ndarray) -> np.ndarray:
        return np.asarray(x.shape, dtype="int64")

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [(len(shapes[0]),)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """No gradient: the result does not vary smoothly with the inputs (GRAD-OP-2)."""
        return [None] * len(node.inputs)


_shape = Shape()


def shape(x: Any) -> TensorVariable:
    """The shape of ``x`` (OP-SHAPE-1)."""
    return _shape(x)


def as_shape_vector(shape_: Any, argument: str) -> TensorVariable:
    """A symbolic int64 vector from a tuple of ints and scalars, or an int vector."""
    if isinstance(shape_, TensorVariable):
        if shape_.ndim == 0:
            shape_ = [shape_]
        else:
            if shape_.ndim != 1 or shape_.dtype not in INT_DTYPES:
                raise SpecTypeError("OP-SHAPE-2", f"{argument}: expected an integer vector, got {shape_.type}")
            from reference.tensor.math import cast

            return cast(shape_, "int64")
    if isinstance(shape_, int | np.integer):
        shape_ = [shape_]
    from reference.tensor.basic import make_vector

    items = []
    for entry in shape_:
        entry = as_tensor_variable(entry)
        if entry.ndim != 0 or entry.dtype not in INT_DTYPES:
            raise SpecTypeError("OP-SHAPE-2", f"{argument}: entries must be integer scalars, got {entry.type}")
        items.append(entry)
    return make_vector(items, dtype="int64")


class Reshape(Op):
    """Reshape ``x`` to the ``ndim`` lengths in ``shape`` (OP-RESHAPE-1).

    One entry may be -1 (inferred); the element count must not change.
    """

    __props__ = ("ndim",)

    def __init__(self, ndim: int) -> None:
        self.ndim = ndim

    def make_node(self, x: Any, shape_: Any) -> Apply:
        x = as_tensor_variable(x)
        shape_ = as_tensor_variable(shape_)
        entries = constant_entries(shape_)
        if len(entries) != self.ndim:
            entries = [None] * self.ndim
        if -1 in entries and None not in x.type.shape and None not in entries:
            known = int(np.prod([e for e in entries if e != -1]))
            total = int(np.prod(x.type.shape))
            entries = [total // known if e == -1 and known else e for e in entries]
        static = [None if e is None or e < 0 else e for e in entries]
        return Apply(self, [x, shape_], [TensorType(x.dtype, static)])

    def perform(self, node: Apply, x: np.ndarray, shape_: np.ndarray) -> np.ndarray:
        target = tuple(int(n) for n in shape_)
        if sum(n == -1 for n in target) > 1 or any(n < -1 for n in target):
            raise SpecValueError("OP-RESHAPE-1", f"Reshape: invalid target shape {target}")
        try:
            result = x.reshape(target)
        except ValueError:
            raise SpecValueError(
                "OP-RESHAPE-1", f"Reshape: cannot reshape an array of shape {x.shape} (size {x.size}) into {target}"
            ) from None
        _check_static(node, result)
        return result

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if values[1] is None:
            raise LookupError("reshape target unknown")
        return [np.empty(shapes[0], dtype=bool).reshape(tuple(int(n) for n in values[1])).shape]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The cotangent reshaped back to the input's shape (GRAD-OP-3)."""
        x = node.inputs[0]
        return [reshape(output_grads[0], shape(x), ndim=x.ndim), None]


def _check_static(node: Apply, result: np.ndarray) -> None:
    static = node.outputs[0].type.shape
    for axis, (s, n) in enumerate(zip(static, result.shape, strict=True)):
        if s is not None and s != n:
            raise SpecValueError("OP-RESHAPE-1", f"{node.op}: result axis {axis} has length {n}, type says {s}")


def reshape(x: Any, newshape: Any, ndim: int | None = None) -> TensorVariable:
    """``x`` reshaped to ``newshape`` (OP-RESHAPE-1)."""
    x = as_tensor_variable(x)
    vector = as_shape_vector(newshape, "reshape(newshape)")
    n = vector.type.shape[0] if ndim is None else ndim
    if n is None:
        raise SpecValueError("OP-RESHAPE-1", "reshape: the length of newshape must be known; pass ndim")
    return Reshape(n)(x, vector)


def flatten(x: Any, ndim: int = 1) -> TensorVariable:
    """Collapse the trailing axes so that ``ndim`` axes remain (OP-RESHAPE-2)."""
    x = as_tensor_variable(x)
    if not 1 <= ndim <= max(x.ndim, 1):
        raise SpecValueError("OP-RESHAPE-2", f"flatten: ndim must be in [1, {max(x.ndim, 1)}], got {ndim}")
    dims = [shape(x)[i] for i in range(ndim - 1)]
    return reshape(x, [*dims, -1], ndim=ndim)


class DimShuffle(Op):
    """Permute axes, insert broadcastable axes (``'x'``) and drop length-1 axes (OP-DIMSHUFFLE-1)."""

    __props__ = ("input_ndim", "new_order")

    def __init__(self, input_ndim: int, new_order: Sequence[Any]) -> None:
        self.input_ndim = input_ndim
        self.new_order = tuple(new_order)
        kept = [i for i in self.new_order if i != "x"]
        if sorted(set(kept)) != sorted(kept) or any(not 0 <= i < input_ndim for i in kept):
            raise SpecValueError("OP-DIMSHUFFLE-1", f"dimshuffle: invalid pattern {new_order} for {input_ndim} axes")
        self.drop = tuple(i for i in range(input_ndim) if i not in kept)

    def __str__(self) -> str:
        return "DimShuffle{order=[" + ",".join(map(str, self.new_order)) + "]}"

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        if x.ndim != self.input_ndim:
            raise SpecTypeError("OP-DIMSHUFFLE-1", f"{self}: expected {self.input_ndim} axes, got {x.type}")
        for axis in self.drop:
            if x.type.shape[axis] != 1:
                raise SpecValueError(
                    "OP-DIMSHUFFLE-1",
                    f"{self}: cannot drop axis {axis} of {x.type}: its static length is not 1",
                )
        out = [1 if i == "x" else x.type.shape[i] for i in self.new_order]
        return Apply(self, [x], [TensorType(x.dtype, out)])

    def perform(self, node: Apply, x: np.ndarray) -> np.ndarray:
        kept = [i for i in self.new_order if i != "x"]
        permuted = np.transpose(x, kept + list(self.drop))
        shape_ = [1 if i == "x" else x.shape[i] for i in self.new_order]
        return permuted.reshape(shape_)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [tuple(1 if i == "x" else shapes[0][i] for i in self.new_order)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The inverse permutation; inserted axes are summed away (they have length 1),
        dropped axes restored (GRAD-OP-3)."""
        from reference.tensor.reduction import sum as sum_

        kept = [i for i in self.new_order if i != "x"]
        inserted = tuple(p for p, entry in enumerate(self.new_order) if entry == "x")
        gz = sum_(output_grads[0], axis=inserted) if inserted else output_grads[0]
        position = {axis: p for p, axis in enumerate(kept)}
        return [DimShuffle(len(kept), ["x" if a in self.drop else position[a] for a in range(self.input_ndim)])(gz)]


def dimshuffle(x: Any, pattern: Sequence[Any]) -> TensorVariable:
    x = as_tensor_variable(x)
    return DimShuffle(x.ndim, pattern)(x)


def transpose(x: Any, axes: Sequence[int] | None = None) -> TensorVariable:
    """Permute the axes; reverse them when ``axes`` is None (OP-DIMSHUFFLE-2)."""
    x = as_tensor_variable(x)
    order = list(reversed(range(x.ndim))) if axes is None else [int(a) % max(x.ndim, 1) for a in axes]
    if sorted(order) != list(range(x.ndim)):
        raise SpecValueError("OP-DIMSHUFFLE-2", f"transpose: axes {axes} are not a permutation of {x.ndim} axes")
    return DimShuffle(x.ndim, order)(x)


def expand_dims(x: Any, axis: Any) -> TensorVariable:
    """Insert length-1 axes at the positions ``axis`` of the result (OP-DIMSHUFFLE-3)."""
    x = as_tensor_variable(x)
    axes = [axis] if isinstance(axis, int | np.integer) else list(axis)
    ndim = x.ndim + len(axes)
    axes = [int(a) % ndim for a in axes]
    order: list[Any] = []
    source = iter(range(x.ndim))
    for i in range(ndim):
        order.append("x" if i in axes else next(source))
    return DimShuffle(x.ndim, order)(x)


def squeeze(x: Any, axis: Any = None) -> TensorVariable:
    """Remove axes of static length 1 (OP-DIMSHUFFLE-4).  Named axes must be broadcastable."""
    x = as_tensor_variable(x)
    if axis is None:
        drop = [i for i, n in enumerate(x.type.shape) if n == 1]
    else:
        drop = [int(a) % x.ndim for a in ([axis] if isinstance(axis, int | np.integer) else axis)]
    return DimShuffle(x.ndim, [i for i in range(x.ndim) if i not in drop])(x)


def shape_padleft(x: Any, n_ones: int = 1) -> TensorVariable:
    x = as_tensor_variable(x)
    return DimShuffle(x.ndim, ["x"] * n_ones + list(range(x.ndim)))(x)


def shape_padright(x: Any, n_ones: int = 1) -> TensorVariable:
    x = as_tensor_variable(x)
    return DimShuffle(x.ndim, list(range(x.ndim)) + ["x"] * n_ones)(x)


def shape_padaxis(x: Any, axis: int) -> TensorVariable:
    return expand_dims(x, axis)


class SpecifyShape(Op):
    """Assert the runtime shape of ``x``; the result's type carries it (OP-SPECIFYSHAPE-1)."""

    __props__ = ("shape",)

    def __init__(self, shape_: tuple[int | str | None, ...]) -> None:
        #: per axis: a length, None (not checked), or SYMBOLIC (a length given as an input)
        self.shape = tuple(shape_)

    def make_node(self, x: Any, *lengths: Any) -> Apply:
        x = as_tensor_variable(x)
        if len(self.shape) != x.ndim:
            raise SpecValueError("OP-SPECIFYSHAPE-1", f"specify_shape: {x.type} has {x.ndim} axes, shape {self.shape} has {len(self.shape)}")
        lengths_ = [as_tensor_variable(n) for n in lengths]
        if len(lengths_) != sum(n == SYMBOLIC for n in self.shape) or any(
                n.ndim != 0 or n.dtype not in INT_DTYPES for n in lengths_):
            raise SpecTypeError("OP-SPECIFYSHAPE-1", f"specify_shape: a symbolic length must be an integer scalar, got {lengths_}")
        merged = []
        for s, n in zip(x.type.shape, self.shape, strict=True):
            if s is not None and isinstance(n, int) and s != n:
                raise SpecValueError("OP-SPECIFYSHAPE-1", f"specify_shape: {x.type} cannot have shape {self.shape}")
            merged.append(n if isinstance(n, int) else s)
        return Apply(self, [x, *lengths_], [TensorType(x.dtype, merged)])

    def perform(self, node: Apply, x: np.ndarray, *lengths: np.ndarray) -> np.ndarray:
        given = iter(int(n) for n in lengths)
        expected = tuple(next(given) if n == SYMBOLIC else n for n in self.shape)
        for axis, (n, actual) in enumerate(zip(expected, x.shape, strict=True)):
            if n is not None and n != actual:
                raise SpecValueError(
                    "OP-SPECIFYSHAPE-1", f"specify_shape: expected shape {expected}, got {x.shape} (axis {axis})"
                )
        return x

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The cotangent itself (GRAD-OP-3); the symbolic lengths get none."""
        return [output_grads[0]] + [None] * (len(node.inputs) - 1)


#: an axis of SpecifyShape whose length is an input of the node
SYMBOLIC = "symbolic"


def specify_shape(x: Any, shape_: Any) -> TensorVariable:
    """``x``, checked at run time to have ``shape_`` (``None`` entries are not checked)."""
    x = as_tensor_variable(x)
    if isinstance(shape_, int | np.integer):
        shape_ = (shape_,)
    if isinstance(shape_, TensorVariable):
        known = constant_entries(shape_)
        shape_ = [n if n is not None else shape_[i] for i, n in enumerate(known)]
    entries: list[int | str | None] = []
    lengths = []
    for s in shape_:  # OP-SPECIFYSHAPE-1: a length known now, or a symbolic one checked at run time
        value = None if s is None else constant_value(s)
        if s is None:
            entries.append(None)
        elif value is not None:
            entries.append(int(value))
        elif isinstance(s, TensorVariable):
            entries.append(SYMBOLIC)
            lengths.append(s)
        else:
            entries.append(int(s))
    return SpecifyShape(tuple(entries))(x, *lengths)


def specify_broadcastable(x: Any, *axes: int) -> TensorVariable:
    """``x`` with static length 1 on ``axes``, checked at run time."""
    x = as_tensor_variable(x)
    target = [1 if i in axes else n for i, n in enumerate(x.type.shape)]
    return SpecifyShape(tuple(target))(x)
