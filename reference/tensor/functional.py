"""Vectorising graphs over leading batch axes: ``pt.vectorize`` and ``vectorize_graph``
(``pytensor.tensor.functional``, ``pytensor.graph.replace.vectorize_graph``).

Spec: spec/2-ops.rst, section "Vectorising, grids, reshaping and signals" (OP-VECTORIZE-1 ...
OP-VECTORIZE-3).  PyTensor vectorises a graph node by node (each op has a batched form, the
fallback being its ``Blockwise``); every one of those forms computes what looping the core
op over the batch axes computes.  ``reference`` states that directly: the part of the graph
that depends on the replaced variables becomes one :class:`Blockwise` node holding the core
graph, and evaluating it loops the core graph over the broadcast batch axes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from reference.errors import SpecNotImplementedError, SpecTypeError, SpecValueError
from reference.graph import traversal
from reference.graph.basic import Apply, Constant, Op, Variable
from reference.graph.type import DISCRETE_DTYPES, TensorType
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = ["Blockwise", "vectorize", "vectorize_graph"]


# -- the Blockwise op ---------------------------------------------------------------------------
def _broadcast_batch(shapes: list[tuple[int | None, ...]], where: str) -> tuple[int | None, ...]:
    """The static batch shape of shapes of equal length (OP-VECTORIZE-1 step 2): per axis, the
    one known length other than 1; 1 when all are 1; unknown otherwise."""
    out: list[int | None] = []
    for axis, lengths in enumerate(zip(*shapes, strict=True)):
        known = {n for n in lengths if n is not None and n != 1}
        if len(known) > 1:
            raise SpecValueError("OP-VECTORIZE-1", f"{where}: batch axis {axis} has incompatible static "
                                 f"lengths {sorted(known)} (batch shapes {shapes})")
        out.append(known.pop() if known else (1 if all(n == 1 for n in lengths) else None))
    return tuple(out)


class Blockwise(Op):
    """A core graph applied to every position of the leading batch axes of its inputs
    (OP-VECTORIZE-1).  Input ``i`` has ``core_inputs[i].ndim`` core axes on the right; its
    other axes are batch axes, aligned on the right and broadcast as numpy broadcasts."""

    def __init__(self, core_inputs: Sequence[Variable], core_outputs: Sequence[Variable]) -> None:
        self.core_inputs = list(core_inputs)
        self.core_outputs = list(core_outputs)
        self._schedule: Any = None

    def __eq__(self, other: object) -> bool:  # one op per core graph
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __str__(self) -> str:
        def sig(variables: list[Variable]) -> str:
            return ",".join("(" + ",".join(f"d{k}" for k in range(v.type.ndim)) + ")" for v in variables)

        return f"Blockwise{{{sig(self.core_inputs)}->{sig(self.core_outputs)}}}"

    __repr__ = __str__

    def make_node(self, *inputs: Any) -> Apply:
        """OP-VECTORIZE-1 steps 1-2: check the inputs against the core inputs, and type the
        outputs as ``batch shape + core output shape``."""
        inputs_ = [as_tensor_variable(x) for x in inputs]
        if len(inputs_) != len(self.core_inputs):
            raise SpecValueError("OP-VECTORIZE-1", f"{self}: expected {len(self.core_inputs)} inputs, got {len(inputs_)}")
        batch_ndim = 0
        for i, (x, core) in enumerate(zip(inputs_, self.core_inputs, strict=True)):
            if x.dtype != core.type.dtype or x.ndim < core.type.ndim:
                raise SpecTypeError("OP-VECTORIZE-1", f"{self}: input {i} must be {core.type.dtype} with at least "
                                    f"{core.type.ndim} axes, got {x.type}")
            batch_ndim = max(batch_ndim, x.ndim - core.type.ndim)
        batch_shapes = [(1,) * (batch_ndim - (x.ndim - core.type.ndim)) + x.type.shape[:x.ndim - core.type.ndim]
                        for x, core in zip(inputs_, self.core_inputs, strict=True)]
        batch = _broadcast_batch(batch_shapes, str(self))
        outputs = [TensorType(out.type.dtype, batch + out.type.shape) for out in self.core_outputs]
        return Apply(self, inputs_, outputs)

    def _batch(self, node: Apply, shapes: list[tuple[int, ...]]) -> tuple[list[tuple[int, ...]], tuple[int, ...]]:
        """The runtime batch shape of each input (padded with 1s on the left) and their
        broadcast, with PyTensor's runtime-broadcasting check (OP-VECTORIZE-1 step 3)."""
        batch_ndim = node.outputs[0].ndim - self.core_outputs[0].type.ndim
        padded = []
        for shape, core in zip(shapes, self.core_inputs, strict=True):
            own = tuple(shape[:len(shape) - core.type.ndim])
            padded.append((1,) * (batch_ndim - len(own)) + own)
        out = []
        for axis in range(batch_ndim):
            lengths = {s[axis] for s in padded} - {1}
            if len(lengths) > 1:
                raise SpecValueError("OP-VECTORIZE-1", f"{self}: batch shapes {padded} cannot be broadcast together")
            out.append(lengths.pop() if lengths else 1)
        for x, core, shape in zip(node.inputs, self.core_inputs, padded, strict=True):
            offset = batch_ndim - (x.ndim - core.type.ndim)  # the padded axes come first
            for axis, length in enumerate(shape):
                static = x.type.shape[axis - offset] if axis >= offset else 1
                if length == 1 and out[axis] != 1 and static != 1:
                    raise SpecValueError(
                        "OP-VECTORIZE-1",
                        f"{self}: runtime broadcasting is not allowed: input {x} has batch length 1 on axis "
                        f"{axis - offset} but its type {x.type} does not mark it broadcastable "
                        f"(batch shapes {padded}); use pt.specify_broadcastable if it is intended")
        return padded, tuple(out)

    def _core_shapes(self, values: list[np.ndarray]) -> list[tuple[int, ...]]:
        """The core output shapes for these core input shapes, without running the core
        graph (for an empty batch): the core graph's shape rules."""
        from reference.scan.shapes import _shape_of

        shapes = {v: tuple(x.shape[x.ndim - v.type.ndim:]) for v, x in zip(self.core_inputs, values, strict=True)}
        try:
            return [_shape_of(out, {}, dict(shapes)) for out in self.core_outputs]
        except LookupError as error:
            raise SpecValueError("OP-VECTORIZE-1", f"{self}: the core output shapes of an empty batch are "
                                 f"unknown ({error})") from None

    def perform(self, node: Apply, *values: np.ndarray) -> Any:
        """OP-VECTORIZE-1 step 3: loop the core graph over the broadcast batch axes."""
        from reference.evaluate import Schedule, evaluate_graph

        padded, batch = self._batch(node, [v.shape for v in values])
        if self._schedule is None:
            self._schedule = Schedule(traversal.toposort(self.core_outputs), outputs=self.core_outputs)
        results: list[np.ndarray] | None = None
        if int(np.prod(batch)) == 0:
            results = [np.empty(batch + shape, dtype=out.type.numpy_dtype)
                       for shape, out in zip(self._core_shapes(list(values)), node.outputs, strict=True)]
        for index in np.ndindex(*batch):
            env = {}
            for core, x, shape in zip(self.core_inputs, values, padded, strict=True):
                own = len(shape) - (x.ndim - core.type.ndim)
                env[core] = x[tuple(0 if n == 1 else i for i, n in zip(index[own:], shape[own:], strict=True))]
            core_values = evaluate_graph(self.core_outputs, env, order=self._schedule)
            if results is None:
                results = [np.empty(batch + np.shape(v), dtype=out.type.numpy_dtype)
                           for v, out in zip(core_values, node.outputs, strict=True)]
            for result, value in zip(results, core_values, strict=True):
                if result.shape[len(batch):] != np.shape(value):
                    raise SpecValueError("OP-VECTORIZE-1", f"{self}: the core graph gave shape {np.shape(value)} at "
                                         f"batch position {index} and {result.shape[len(batch):]} before")
                result[index] = value
        assert results is not None
        return results[0] if len(results) == 1 else tuple(results)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        _, batch = self._batch(node, [tuple(s) for s in shapes])
        arrays = [np.empty(tuple(s)) if v is None else v for s, v in zip(shapes, values, strict=True)]
        return [batch + core for core in self._core_shapes(arrays)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """OP-VECTORIZE-3: the core graph's pullback, vectorised the same way, summed over the
        batch axes each input was broadcast along (GRAD-OP-1's ``reduce_to_input``)."""
        from reference.grad import backprop
        from reference.tensor.elemwise import reduce_to_input

        inner = [v.type() for v in self.core_inputs]
        outs = traversal.clone_replace(self.core_outputs, list(zip(self.core_inputs, inner, strict=True)))
        cotangents = [None if g is None or o.type.dtype in DISCRETE_DTYPES else o.type() for o, g in
                      zip(outs, output_grads, strict=True)]
        wrt = [v for v, x in zip(inner, node.inputs, strict=True) if x.dtype not in DISCRETE_DTYPES]
        core_grads = dict(zip(map(id, wrt), backprop(outs, cotangents, wrt), strict=True))
        replace = {**dict(zip(inner, node.inputs, strict=True)),
                   **{c: g for c, g in zip(cotangents, output_grads, strict=True) if c is not None}}
        results: list[Any] = []
        for v, x in zip(inner, node.inputs, strict=True):
            g = core_grads.get(id(v))
            results.append(None if g is None else reduce_to_input(vectorize_graph(g, replace), x))
        return results


# -- vectorize_graph, vectorize ----------------------------------------------------------------
def _is_random(node: Apply) -> bool:
    return type(node.op).__module__.startswith("reference.tensor.random")


def _group(outputs: list[Variable], batched: list[tuple[Variable, Variable]]) -> list[Variable]:
    """Vectorise ``outputs``, all depending on the core variables of ``batched`` (pairs of a
    core root and its batched replacement): one Blockwise node (OP-VECTORIZE-1)."""
    order = traversal.toposort(outputs)
    dependent = {id(core) for core, _ in batched}
    for node in order:
        if any(id(v) in dependent for v in node.inputs):
            if _is_random(node):
                raise SpecNotImplementedError("OP-VECTORIZE-1", f"vectorize_graph: the graph draws random numbers "
                                              f"({node.op}) from the replaced variables; vectorising random "
                                              "variables is not implemented")
            dependent.update(id(v) for v in node.outputs)
    frontier: list[Variable] = []  # what the dependent part reads from the rest of the graph
    for node in order:
        if any(id(v) in dependent for v in node.outputs):
            for v in node.inputs:
                if id(v) not in dependent and not isinstance(v, Constant) and all(v is not f for f in frontier):
                    frontier.append(v)
    for v in frontier:
        if not isinstance(v.type, TensorType):
            raise SpecNotImplementedError("OP-VECTORIZE-1", f"vectorize_graph: cannot vectorise a graph reading "
                                          f"{v} of type {v.type}")
    fresh = [v.type() for v in frontier]
    core_inputs = [core for core, _ in batched] + fresh
    core_outputs = traversal.clone_replace(outputs, list(zip(frontier, fresh, strict=True)))
    node = Blockwise(core_inputs, core_outputs).make_node(*[new for _, new in batched], *frontier)
    for old, new in zip(outputs, node.outputs, strict=True):
        new.name = old.name
    return node.outputs


def vectorize_graph(outputs: Variable | Sequence[Variable], replace: Mapping[Variable, Variable]) -> Any:
    """``outputs`` rebuilt with each key of ``replace`` replaced by its value, which may have
    more axes on the left (batch axes): OP-VECTORIZE-1.  One variable gives one variable, a
    sequence a list.  Its value equals looping the graph over the broadcast batch axes."""
    single = not isinstance(outputs, Sequence)
    output_list = [outputs] if single else list(outputs)
    if not isinstance(replace, Mapping) or not all(
            isinstance(k, Variable) and isinstance(v, Variable) for k, v in replace.items()):
        raise SpecValueError("OP-VECTORIZE-1", f"vectorize_graph: replace must map variables to variables, got {replace!r}")
    cores: dict[int, tuple[Variable, Variable]] = {}  # id(old) -> (core root, batched replacement)
    pairs: list[tuple[Variable, Variable]] = []
    for old, new in replace.items():
        if not isinstance(old.type, TensorType) or not isinstance(new.type, TensorType):
            raise SpecNotImplementedError("OP-VECTORIZE-1", f"vectorize_graph: {old} -> {new} is not a tensor replacement")
        if new.type.ndim < old.type.ndim:
            raise SpecValueError("OP-VECTORIZE-1", f"vectorize_graph: {new} of type {new.type} has fewer axes than "
                                 f"the variable {old} of type {old.type} it replaces")
        batch_ndim = new.type.ndim - old.type.ndim
        # step 1: a core root of the replacement's dtype and core static shape
        core = TensorType(new.type.dtype, new.type.shape[batch_ndim:])(name=old.name)
        cores[id(core)] = (core, new)
        pairs.append((old, core))
    core_outputs = traversal.clone_replace(output_list, pairs)
    results: list[Variable | None] = [None] * len(core_outputs)
    groups: dict[tuple[int, ...], list[int]] = {}
    for k, out in enumerate(core_outputs):
        if id(out) in cores:  # a replaced variable itself
            results[k] = cores[id(out)][1]
            continue
        roots = {id(v) for v in traversal.graph_inputs([out])}
        deps = tuple(i for i in cores if i in roots)
        if not deps:  # step 4: nothing replaced is read
            results[k] = output_list[k]
        elif all(cores[i][1].ndim == cores[i][0].ndim for i in deps):  # no batch axes: a plain rebuild
            results[k] = traversal.clone_replace(out, [cores[i] for i in deps])
        else:
            groups.setdefault(deps, []).append(k)
    for deps, members in groups.items():
        for k, new in zip(members, _group([core_outputs[k] for k in members], [cores[i] for i in deps]), strict=True):
            results[k] = new
    return results[0] if single else results


_DIMS = r"\((?:\w+(?:,\w+)*)?\)"
_SIGNATURE = re.compile(rf"^{_DIMS}(?:,{_DIMS})*->{_DIMS}(?:,{_DIMS})*$")


def parse_signature(signature: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The core dimension names of each input and output of a gufunc signature such as
    ``"(m,n),(n)->(m)"`` (OP-VECTORIZE-2); a malformed one is a ``SpecValueError``."""
    if not isinstance(signature, str):
        raise SpecTypeError("OP-VECTORIZE-2", f"vectorize: signature must be a str, got {signature!r}")
    compact = re.sub(r"\s+", "", signature)
    if not _SIGNATURE.match(compact):
        raise SpecValueError("OP-VECTORIZE-2", f"vectorize: not a valid gufunc signature: {signature!r}")
    sides = compact.split("->")
    return [[tuple(re.findall(r"\w+", arg)) for arg in re.findall(r"\([^()]*\)", side)] for side in sides]  # type: ignore[return-value]


def vectorize(func: Callable[..., Any], signature: str | None = None) -> Callable[..., Any]:
    """numpy's ``vectorize`` for a function of symbolic tensors (OP-VECTORIZE-2): the returned
    function calls ``func`` on core variables (the inputs without their batch axes) and
    vectorises the result with :func:`vectorize_graph`.  Without ``signature`` every input's
    core is a scalar (and the outputs may have any number of axes)."""
    parsed = None if signature is None else parse_signature(signature)

    def vectorized(*inputs: Any) -> Any:
        if parsed is None:
            input_sigs: list[tuple[str, ...]] = [()] * len(inputs)
        else:
            input_sigs = parsed[0]
            if len(inputs) != len(input_sigs):
                raise SpecValueError("OP-VECTORIZE-2", f"vectorize: {len(inputs)} inputs given, the signature "
                                     f"{signature!r} has {len(input_sigs)}")
        core_inputs = []
        for i, (x, sig) in enumerate(zip(inputs, input_sigs, strict=True)):
            if not isinstance(x, TensorVariable):
                raise SpecTypeError("OP-VECTORIZE-2", f"vectorize: input {i} must be a tensor variable, got {type(x).__name__}")
            if x.ndim < len(sig):
                raise SpecValueError("OP-VECTORIZE-2", f"vectorize: input {i} ({x.type}) has fewer axes than its "
                                     f"core signature {sig}")
            core_inputs.append(x.type.clone(shape=x.type.shape[x.ndim - len(sig):])(name=x.name))
        core_outputs = func(*core_inputs)
        if core_outputs is None:
            raise SpecValueError("OP-VECTORIZE-2", "vectorize: the function returned no outputs")
        if parsed is not None:
            n = len(core_outputs) if isinstance(core_outputs, list | tuple) else 1
            if n != len(parsed[1]):
                raise SpecValueError("OP-VECTORIZE-2", f"vectorize: the function returned {n} outputs, the "
                                     f"signature {signature!r} has {len(parsed[1])}")
        return vectorize_graph(core_outputs, dict(zip(core_inputs, inputs, strict=True)))

    return vectorized
