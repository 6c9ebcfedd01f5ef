"""Indexing, and writing into indexed parts.  Spec: spec/2-ops.rst (OP-INDEX-*, OP-SETSUB-*).

An index is stored as a *template*: a tuple with one entry per index item, where
``("int", k)`` / ``("array", k)`` refer to the op's ``k``-th index input, ``("slice", a, b, c)``
holds a slice whose parts are ``None``, an int, or ``("int", k)``, and ``("new",)`` is
``None`` (a new axis).  Ellipsis is expanded when the template is built.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from reference.errors import SpecIndexError, SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Constant, Op
from reference.graph.type import DISCRETE_DTYPES, INT_DTYPES, TensorType, upcast  # noqa: F401
from reference.tensor.variable import TensorVariable, as_tensor_variable


def _index_input(item: Any, inputs: list[TensorVariable]) -> tuple[str, int]:
    variable = as_tensor_variable(item)
    if variable.dtype not in DISCRETE_DTYPES:
        raise SpecTypeError("OP-INDEX-1", f"indices must be integers or booleans, got {variable.type}")
    inputs.append(variable)
    kind = "int" if variable.ndim == 0 and variable.dtype != "bool" else "array"
    return (kind, len(inputs) - 1)


def _slice_part(part: Any, inputs: list[TensorVariable]) -> Any:
    if part is None or isinstance(part, int | np.integer) and not isinstance(part, bool):
        return None if part is None else int(part)
    variable = as_tensor_variable(part)
    if variable.ndim != 0 or variable.dtype not in INT_DTYPES:
        raise SpecTypeError("OP-INDEX-1", f"slice bounds must be integer scalars, got {variable.type}")
    if isinstance(variable, Constant):
        return int(variable.data)
    inputs.append(variable)
    return ("int", len(inputs) - 1)


def build_template(ndim: int, index: Any) -> tuple[tuple, list[TensorVariable]]:
    """Turn a Python index into a template and its index inputs (OP-INDEX-1)."""
    items = list(index) if isinstance(index, tuple) else [index]
    consumed = 0
    for item in items:
        if isinstance(item, list) and any(isinstance(i, bool) for i in np.ravel(np.asarray(item, dtype=object))):
            raise SpecTypeError(
                "OP-INDEX-1", "a list of Python bools is not a valid index; use np.array([...]) for a mask"
            )
        if item is None or item is Ellipsis:
            continue
        if isinstance(item, np.ndarray | list | TensorVariable) and as_tensor_variable(item).dtype == "bool":
            consumed += as_tensor_variable(item).ndim
        else:
            consumed += 1
    ellipses = [i for i, item in enumerate(items) if item is Ellipsis]  # `is`: items may be arrays
    if len(ellipses) > 1:
        raise SpecIndexError("OP-INDEX-1", "an index can only have a single ellipsis ('...')")
    if ellipses:
        at = ellipses[0]
        items[at:at + 1] = [slice(None)] * (ndim - consumed)
        consumed = ndim
    if consumed > ndim:
        raise SpecIndexError("OP-INDEX-1", f"too many indices: {consumed} for a tensor of {ndim} axes")
    inputs: list[TensorVariable] = []
    template: list[Any] = []
    for item in items:
        if item is None:
            template.append(("new",))
        elif isinstance(item, slice):
            template.append(("slice", *(_slice_part(p, inputs) for p in (item.start, item.stop, item.step))))
            if template[-1][3] == 0:
                raise SpecValueError("OP-INDEX-2", "slice step cannot be zero")
        elif isinstance(item, bool):
            raise SpecTypeError("OP-INDEX-1", "a Python bool is not a valid index")
        elif isinstance(item, int | np.integer):
            template.append(("const", int(item)))
        else:
            template.append(_index_input(item, inputs))
    return tuple(template), inputs


def numpy_index(template: tuple, values: tuple[np.ndarray, ...]) -> tuple:
    """The numpy index a template denotes, given the values of the index inputs."""
    def part(p: Any) -> Any:
        return int(values[p[1]]) if isinstance(p, tuple) else p

    index: list[Any] = []
    for entry in template:
        kind = entry[0]
        if kind == "new":
            index.append(None)
        elif kind == "const":
            index.append(entry[1])
        elif kind == "int":
            index.append(int(values[entry[1]]))
        elif kind == "array":
            index.append(values[entry[1]])
        else:
            step = part(entry[3])
            if step == 0:
                raise SpecValueError("OP-INDEX-2", "slice step cannot be zero")
            index.append(slice(part(entry[1]), part(entry[2]), step))
    return tuple(index)


def _static_shape(x: TensorType, template: tuple, index_inputs: list[TensorVariable]) -> tuple:
    """The static shape of ``x[index]`` (OP-INDEX-3): exact where lengths and bounds are known."""
    from reference.tensor.shape import constant_value

    values = []
    all_known = None not in x.shape
    for variable in index_inputs:
        known = constant_value(variable)
        if known is None:
            all_known = False
            if variable.dtype == "bool":
                known = np.zeros(tuple(1 if n is None else n for n in variable.type.shape), bool)
            else:
                known = np.zeros(tuple(1 if n is None else n for n in variable.type.shape), "int64")
        values.append(np.asarray(known))
    if any(e[0] == "array" for e in template) and not all_known:
        return _advanced_static_shape(x, template, index_inputs)
    if all_known:
        return np.empty(x.shape)[numpy_index(template, tuple(values))].shape
    # basic indexing: a result axis is known when it comes from a known axis under a constant slice
    out: list[int | None] = []
    axis = 0
    for entry in template:
        if entry[0] == "new":
            out.append(1)
            continue
        length = x.shape[axis]
        if entry[0] == "const" and length is not None and not -length <= entry[1] < length:
            raise IndexError(f"index {entry[1]} is out of bounds for axis {axis} with size {length}")
        if entry[0] == "slice":
            out.append(_slice_static_length(x.shape[axis], entry))
        axis += 1
    out.extend(x.shape[axis:])
    return tuple(out)


def _slice_static_length(length: int | None, entry: tuple) -> int | None:
    """The static length of a sliced axis: exact for a known length and constant bounds,
    the length itself for ``:`` and ``0::1``, else unknown (OP-INDEX-3)."""
    if length is not None and all(not isinstance(p, tuple) for p in entry[1:]):
        return len(range(length)[slice(*entry[1:])])
    if entry[1] in (None, 0) and entry[2] is None and entry[3] in (None, 1):
        return length
    return None


def _advanced_static_shape(x: TensorType, template: tuple, index_inputs: list[TensorVariable]) -> tuple:
    """The static shape of an advanced index (OP-INDEX-3), by numpy's rule: the integer
    arrays and scalars, and each boolean mask as its ``nonzero()``, broadcast to one block
    of axes, which replaces them where they stand if they are adjacent, else goes first."""
    from reference.tensor.shape import constant_value

    out: list[Any] = []  # basic output axes; "block" marks where the advanced block stands
    parts: list[tuple] = []
    advanced_at: list[int] = []
    axis = 0
    for position, entry in enumerate(template):
        kind = entry[0]
        if kind == "new":
            out.append(1)
            continue
        if kind == "slice":
            out.append(_slice_static_length(x.shape[axis], entry))
            axis += 1
            continue
        advanced_at.append(position)
        if "block" not in out:
            out.append("block")
        variable = index_inputs[entry[1]] if kind != "const" else None
        if variable is not None and variable.dtype == "bool":
            mask = constant_value(variable)
            parts.append((None if mask is None else int(np.count_nonzero(mask)),))
            axis += variable.ndim
        else:
            parts.append(() if variable is None else variable.type.shape)
            axis += 1
    ndim = max(len(p) for p in parts)
    block: list[int | None] = []
    for lengths in zip(*((1,) * (ndim - len(p)) + tuple(p) for p in parts), strict=True):
        known = {n for n in lengths if n is not None and n != 1}
        if len(known) > 1:
            raise IndexError(f"shape mismatch: indexing arrays could not be broadcast together ({parts})")
        block.append(known.pop() if known else 1 if all(n == 1 for n in lengths) else None)
    adjacent = advanced_at == list(range(advanced_at[0], advanced_at[-1] + 1))
    at = out.index("block")
    out.remove("block")
    at = at if adjacent else 0
    return tuple(out[:at] + block + out[at:] + list(x.shape[axis:]))


def _describe(template: tuple) -> str:
    def part(p: Any) -> str:
        return "" if p is None else "i" if isinstance(p, tuple) else str(p)

    out = []
    for entry in template:
        kind = entry[0]
        if kind == "new":
            out.append("None")
        elif kind == "const":
            out.append(str(entry[1]))
        elif kind == "int":
            out.append("i")
        elif kind == "array":
            out.append("array")
        else:
            text = f"{part(entry[1])}:{part(entry[2])}"
            if entry[3] is not None:
                text += f":{part(entry[3])}"
            out.append(text)
    return ", ".join(out)


class Subtensor(Op):
    """``x[index]`` with numpy's rules for ints, slices, ``None``, integer and boolean arrays
    (OP-INDEX-1 .. OP-INDEX-4).  An integer out of range raises ``IndexError``."""

    __props__ = ("template",)

    def __init__(self, template: tuple) -> None:
        self.template = template

    @property
    def advanced(self) -> bool:
        return any(e[0] == "array" for e in self.template)

    @cached_property
    def constant_index(self) -> tuple:
        """The numpy index of a template that reads no index input, built once."""
        return numpy_index(self.template, ())

    def __str__(self) -> str:
        name = "AdvancedSubtensor" if self.advanced else "Subtensor"
        return f"{name}{{{_describe(self.template)}}}"

    def make_node(self, x: Any, *index_inputs: Any) -> Apply:
        x = as_tensor_variable(x)
        indices = [as_tensor_variable(v) for v in index_inputs]
        try:
            static = _static_shape(x.type, self.template, indices)
        except IndexError as error:
            raise SpecIndexError("OP-INDEX-3", f"{self}: index out of range for {x.type}: {error}") from None
        return Apply(self, [x, *indices], [TensorType(x.dtype, static)])

    def perform(self, node: Apply, x: np.ndarray, *indices: np.ndarray) -> np.ndarray:
        index = numpy_index(self.template, indices) if indices else self.constant_index
        try:
            result = x[index]
        except IndexError as error:
            raise SpecIndexError("OP-INDEX-3", f"{self}: {error} (input shape {x.shape})") from None
        return np.asarray(result)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if any(v is None for v in values[1:]):
            raise LookupError("index values unknown")
        return [np.empty(shapes[0], dtype=bool)[numpy_index(self.template, tuple(values[1:]))].shape]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The cotangent added into zeros at the indexed places; repeated integer indices
        accumulate (GRAD-OP-4)."""
        from reference.tensor.basic import zeros_like

        x, *indices = node.inputs
        if x.dtype in DISCRETE_DTYPES:
            return [None] * len(node.inputs)
        g = IncSubtensor(self.template, False)(zeros_like(x), output_grads[0], *indices)
        return [g] + [None] * len(indices)


def getitem(x: TensorVariable, index: Any) -> TensorVariable:
    """``x[index]`` (OP-INDEX-1)."""
    template, inputs = build_template(x.ndim, index)
    return Subtensor(template)(x, *inputs)  # x[:] too: set_subtensor(x[:], y) needs the node


class IncSubtensor(Op):
    """``x`` with ``x[index]`` replaced by (``set``) or increased by (``inc``) ``y`` (OP-SETSUB-1, -2).

    ``y`` broadcasts to the indexed part and is cast to ``x``'s dtype (numpy's ``astype``:
    floats truncate, integers wrap), as in PyTensor.  With integer-array indices, ``inc`` adds once per occurrence of a repeated
    index (numpy's ``add.at``); ``set`` keeps the last write.
    """

    __props__ = ("template", "set_instead_of_inc")

    def __init__(self, template: tuple, set_instead_of_inc: bool) -> None:
        self.template = template
        self.set_instead_of_inc = set_instead_of_inc

    def __str__(self) -> str:
        name = "Set" if self.set_instead_of_inc else "Inc"
        prefix = "Advanced" if any(e[0] == "array" for e in self.template) else ""
        return f"{prefix}{name}Subtensor{{{_describe(self.template)}}}"

    def make_node(self, x: Any, y: Any, *index_inputs: Any) -> Apply:
        x = as_tensor_variable(x)
        y = as_tensor_variable(y)  # any dtype: the values are cast to x's dtype (OP-SETSUB-1)
        indices = [as_tensor_variable(v) for v in index_inputs]
        part = _static_shape(x.type, self.template, indices)
        if y.ndim > len(part):
            raise SpecTypeError("OP-SETSUB-1", f"{self}: y has {y.ndim} axes, the indexed part only {len(part)}")
        return Apply(self, [x, y, *indices], [x.type])

    def perform(self, node: Apply, x: np.ndarray, y: np.ndarray, *indices: np.ndarray) -> np.ndarray:
        index = numpy_index(self.template, indices)
        out = x.copy()
        try:
            target_shape = out[index].shape
            if np.broadcast_shapes(y.shape, target_shape) != target_shape:
                raise ValueError
        except IndexError as error:
            raise SpecIndexError("OP-SETSUB-1", f"{self}: {error} (input shape {x.shape})") from None
        except ValueError:
            raise SpecValueError(
                "OP-SETSUB-1", f"{self}: y of shape {y.shape} cannot fill the indexed part of shape {target_shape}"
            ) from None
        y = y.astype(x.dtype, copy=False)
        if self.set_instead_of_inc:
            out[index] = y
        elif any(e[0] == "array" for e in self.template):
            np.add.at(out, index, y)
        else:
            out[index] += y
        return out

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``x`` receives the cotangent (zeroed at the indexed places for ``set``); ``y``
        receives the indexed part, summed over the axes it was broadcast along (GRAD-OP-4)."""
        from reference.tensor.elemwise import reduce_to_input

        x, y, *indices = node.inputs
        gz = output_grads[0]
        if x.dtype in DISCRETE_DTYPES:
            return [None] * len(node.inputs)
        gx = IncSubtensor(self.template, True)(gz, 0, *indices) if self.set_instead_of_inc else gz
        gy = Subtensor(self.template)(gz, *indices)
        return [gx, None if y.dtype in DISCRETE_DTYPES else reduce_to_input(gy, y)] + [None] * len(indices)


def _incsub(x_part: Any, y: Any, set_instead_of_inc: bool, name: str) -> TensorVariable:
    x_part = as_tensor_variable(x_part)
    node = x_part.owner
    if node is None or not isinstance(node.op, Subtensor):
        raise SpecTypeError(
            "OP-SETSUB-1", f"{name}: the first argument must be an indexed tensor such as x[1:], got {x_part}"
        )
    return IncSubtensor(node.op.template, set_instead_of_inc)(node.inputs[0], y, *node.inputs[1:])


def set_subtensor(x: Any, y: Any, inplace: bool = False, tolerate_inplace_aliasing: bool = False) -> TensorVariable:  # noqa: ARG001, E501
    """The whole tensor under ``x`` (an indexed tensor) with that part replaced by ``y`` (OP-SETSUB-1).

    ``inplace`` and ``tolerate_inplace_aliasing`` are accepted for PyTensor's signature; a
    result is always a new array."""
    return _incsub(x, y, True, "set_subtensor")


def inc_subtensor(x: Any, y: Any, inplace: bool = False, set_instead_of_inc: bool = False,  # noqa: ARG001
                  tolerate_inplace_aliasing: bool = False, ignore_duplicates: bool = False) -> TensorVariable:  # noqa: ARG001
    """The whole tensor under ``x`` (an indexed tensor) with ``y`` added to that part (OP-SETSUB-2).

    ``ignore_duplicates=True`` is numpy's ``x[index] += y``: a repeated integer-array index
    receives ``y`` once (the last write), that is ``set_subtensor(x, x + y)``."""
    if set_instead_of_inc:
        return _incsub(x, y, True, "inc_subtensor")
    if ignore_duplicates:
        part = as_tensor_variable(x)
        node = part.owner
        if node is not None and isinstance(node.op, Subtensor) and any(e[0] == "array" for e in node.op.template):
            from reference.tensor.math import add

            return _incsub(part, add(part, y), True, "inc_subtensor")
    return _incsub(x, y, False, "inc_subtensor")


def __getattr__(name: str) -> Any:
    """PyTensor's names of this module that live in another module here (reference/_aliases.py)."""
    from reference import _aliases

    return _aliases.lookup(__name__, name)
