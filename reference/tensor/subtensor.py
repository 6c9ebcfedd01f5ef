"""Indexing, and writing into indexed parts.  Spec: spec/2-ops.rst (OP-INDEX-*, OP-SETSUB-*).

An index is stored as a *template*: a tuple with one entry per index item, where
``("int", k)`` / ``("array", k)`` refer to the op's ``k``-th index input, ``("slice", a, b, c)``
holds a slice whose parts are ``None``, an int, or ``("int", k)``, and ``("new",)`` is
``None`` (a new axis).  Ellipsis is expanded when the template is built.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.errors import SpecIndexError, SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Constant, Op
from reference.graph.type import DISCRETE_DTYPES, INT_DTYPES, TensorType, upcast
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
        if item is None or item is Ellipsis:
            continue
        if isinstance(item, np.ndarray | list | TensorVariable) and as_tensor_variable(item).dtype == "bool":
            consumed += as_tensor_variable(item).ndim
        else:
            consumed += 1
    if items.count(Ellipsis) > 1:
        raise SpecIndexError("OP-INDEX-1", "an index can only have a single ellipsis ('...')")
    if Ellipsis in items:
        at = items.index(Ellipsis)
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

    dummy_shape = tuple(2 if n is None else n for n in x.shape)
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
        # only the number of axes is certain (numpy's rule: the advanced indices broadcast
        # to one block of axes; a boolean mask counts as one axis)
        consumed = sum(index_inputs[e[1]].ndim if e[0] == "array" and index_inputs[e[1]].dtype == "bool"
                       else 0 if e[0] == "new" else 1 for e in template)
        block = max(1 if index_inputs[e[1]].dtype == "bool" else index_inputs[e[1]].ndim
                    for e in template if e[0] == "array")
        kept = sum(e[0] in ("slice", "new") for e in template)
        return (None,) * (kept + block + x.ndim - consumed)
    try:
        result = np.empty(dummy_shape)[_safe(template, values)]
    except IndexError:
        if all_known:
            raise
        result = np.empty(dummy_shape)[_safe(template, [np.zeros_like(v) for v in values])]
    if all_known:
        return result.shape
    # basic indexing: a result axis is known when it comes from a known axis under a constant slice
    out: list[int | None] = []
    axis = 0
    for entry in template:
        if entry[0] == "new":
            out.append(1)
            continue
        if entry[0] == "slice":
            length = x.shape[axis]
            constant_slice = all(not isinstance(p, tuple) for p in entry[1:])
            if length is not None and constant_slice:
                out.append(len(range(length)[slice(*entry[1:])]))
            elif entry[1:] == (None, None, None) or (entry[1] in (None, 0) and entry[2] is None and entry[3] in (None, 1)):
                out.append(length)
            else:
                out.append(None)
        axis += 1
    out.extend(x.shape[axis:])
    return tuple(out)


def _safe(template: tuple, values: list[np.ndarray]) -> tuple:
    index = []
    for entry in template:
        if entry[0] == "slice":
            index.append(slice(*(0 if isinstance(p, tuple) else p for p in entry[1:])) if any(isinstance(p, tuple) for p in entry[1:]) else slice(*entry[1:]))
        elif entry[0] == "new":
            index.append(None)
        elif entry[0] == "const":
            index.append(entry[1] if entry[1] is not None else 0)
        else:
            index.append(values[entry[1]] if entry[0] == "array" else int(values[entry[1]].reshape(-1)[0]) if values[entry[1]].size else 0)
    return tuple(index)


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
        index = numpy_index(self.template, indices)
        try:
            result = x[index]
        except IndexError as error:
            raise SpecIndexError("OP-INDEX-3", f"{self}: {error} (input shape {x.shape})") from None
        return np.asarray(result)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if any(v is None for v in values[1:]):
            raise LookupError("index values unknown")
        return [np.empty(shapes[0], dtype=bool)[numpy_index(self.template, tuple(values[1:]))].shape]


def getitem(x: TensorVariable, index: Any) -> TensorVariable:
    """``x[index]`` (OP-INDEX-1)."""
    template, inputs = build_template(x.ndim, index)
    if template and all(e == ("slice", None, None, None) for e in template):
        return x
    return Subtensor(template)(x, *inputs)


class IncSubtensor(Op):
    """``x`` with ``x[index]`` replaced by (``set``) or increased by (``inc``) ``y`` (OP-SETSUB-1, -2).

    ``y`` broadcasts to the indexed part and is cast to ``x``'s dtype, which must not lose
    precision.  With integer-array indices, ``inc`` adds once per occurrence of a repeated
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
        y = as_tensor_variable(y)
        if upcast(x.dtype, y.dtype) != x.dtype:
            raise SpecTypeError(
                "OP-SETSUB-1",
                f"{self}: cannot write {y.dtype} values into a {x.dtype} tensor without "
                f"loss; cast y to {x.dtype} first",
            )
        indices = [as_tensor_variable(v) for v in index_inputs]
        part = _static_shape(x.type, self.template, indices)
        if y.ndim > len(part):
            raise SpecValueError("OP-SETSUB-1", f"{self}: y has {y.ndim} axes, the indexed part only {len(part)}")
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


def _incsub(x_part: Any, y: Any, set_instead_of_inc: bool, name: str) -> TensorVariable:
    x_part = as_tensor_variable(x_part)
    node = x_part.owner
    if node is None or not isinstance(node.op, Subtensor):
        raise SpecTypeError(
            "OP-SETSUB-1", f"{name}: the first argument must be an indexed tensor such as x[1:], got {x_part}"
        )
    return IncSubtensor(node.op.template, set_instead_of_inc)(node.inputs[0], y, *node.inputs[1:])


def set_subtensor(x: Any, y: Any) -> TensorVariable:
    """The whole tensor under ``x`` (an indexed tensor) with that part replaced by ``y`` (OP-SETSUB-1)."""
    return _incsub(x, y, True, "set_subtensor")


def inc_subtensor(x: Any, y: Any) -> TensorVariable:
    """The whole tensor under ``x`` (an indexed tensor) with ``y`` added to that part (OP-SETSUB-2)."""
    return _incsub(x, y, False, "inc_subtensor")
