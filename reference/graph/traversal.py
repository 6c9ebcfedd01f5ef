"""Walking and rewriting graphs.  Spec: spec/1-graphs.rst (GRAPH-ORDER-*)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reference.graph.basic import Apply, Variable


def toposort(outputs: Iterable[Variable]) -> list[Apply]:
    """The Apply nodes computing ``outputs``, each after the nodes it reads (GRAPH-ORDER-1).

    The order is deterministic: a depth-first post-order visiting inputs left to right,
    outputs in the given order.
    """
    order: list[Apply] = []
    done: set[int] = set()
    for output in outputs:
        stack: list[tuple[Apply, int]] = []
        if output.owner is not None and id(output.owner) not in done:
            stack.append((output.owner, 0))
        while stack:
            node, next_input = stack.pop()
            if id(node) in done:
                continue
            while next_input < len(node.inputs):
                parent = node.inputs[next_input].owner
                next_input += 1
                if parent is not None and id(parent) not in done:
                    stack.append((node, next_input))
                    stack.append((parent, 0))
                    break
            else:
                done.add(id(node))
                order.append(node)
    return order


def graph_inputs(outputs: Iterable[Variable]) -> list[Variable]:
    """The roots (variables without owner) that ``outputs`` depend on, in visiting order."""
    outputs = list(outputs)
    roots: list[Variable] = []
    seen: set[int] = set()

    def visit(variable: Variable) -> None:
        if variable.owner is None and id(variable) not in seen:
            seen.add(id(variable))
            roots.append(variable)

    for output in outputs:
        visit(output)
    for node in toposort(outputs):
        for variable in node.inputs:
            visit(variable)
    return roots


def ancestors(outputs: Iterable[Variable]) -> list[Variable]:
    """Every variable ``outputs`` depend on, including themselves."""
    outputs = list(outputs)
    result: list[Variable] = []
    seen: set[int] = set()
    for variable in outputs:
        if id(variable) not in seen:
            seen.add(id(variable))
            result.append(variable)
    for node in toposort(outputs):
        for variable in (*node.inputs, *node.outputs):
            if id(variable) not in seen:
                seen.add(id(variable))
                result.append(variable)
    return result


def depends_on(outputs: Iterable[Variable], targets: Iterable[Variable]) -> bool:
    """True if any of ``outputs`` is or depends on any of ``targets``."""
    target_ids = {id(t) for t in targets}
    return any(id(v) in target_ids for v in ancestors(outputs))


def explicit_graph_inputs(outputs: Variable | Iterable[Variable]) -> list[Variable]:
    """The roots of ``outputs`` that are neither constants nor shared variables: the
    variables a function of ``outputs`` must take as inputs."""
    from reference.graph.basic import Constant
    from reference.graph.shared import SharedVariable

    return [v for v in graph_inputs(_as_list(outputs)) if not isinstance(v, Constant | SharedVariable)]


def variable_depends_on(variable: Variable, depends_on: Variable | Iterable[Variable]) -> bool:
    """True if ``variable`` is or depends on ``depends_on`` (one variable or several)."""
    return _depends_on([variable], _as_list(depends_on))


def io_toposort(inputs: Iterable[Variable], outputs: Iterable[Variable]) -> list[Apply]:
    """The nodes between ``inputs`` and ``outputs`` (:func:`applys_between`), each after the
    nodes it reads (GRAPH-ORDER-1)."""
    outputs = list(outputs)
    between = {id(node) for node in applys_between(inputs, outputs)}
    return [node for node in toposort(outputs) if id(node) in between]


def vars_between(inputs: Iterable[Variable], outputs: Iterable[Variable]) -> list[Variable]:
    """The variables on paths from ``inputs`` to ``outputs`` (walking back from the outputs
    and stopping at the inputs), the inputs and outputs included."""
    input_ids = {id(v) for v in inputs}
    result: list[Variable] = []
    seen: set[int] = set()
    stack = list(outputs)[::-1]
    while stack:
        variable = stack.pop()
        if id(variable) in seen:
            continue
        seen.add(id(variable))
        result.append(variable)
        if variable.owner is not None and id(variable) not in input_ids:
            stack.extend(reversed(variable.owner.inputs))
    return result


def applys_between(inputs: Iterable[Variable], outputs: Iterable[Variable]) -> list[Apply]:
    """The nodes of :func:`vars_between`, each once."""
    input_ids = {id(v) for v in inputs}
    nodes: list[Apply] = []
    for variable in vars_between(inputs, outputs):
        if variable.owner is not None and id(variable) not in input_ids and not any(variable.owner is n for n in nodes):
            nodes.append(variable.owner)
    return nodes


def get_var_by_name(graphs: Iterable[Variable], target_name: str) -> tuple[Variable, ...]:
    """The variables of ``graphs`` named ``target_name``."""
    return tuple(v for v in ancestors(_as_list(graphs)) if v.name == target_name)


def _as_list(variables: Variable | Iterable[Variable]) -> list[Variable]:
    return [variables] if isinstance(variables, Variable) else list(variables)


_depends_on = depends_on


def clone_replace(
    outputs: Variable | Sequence[Variable], replace: Mapping[Variable, Any] | Sequence[tuple[Variable, Any]] | None = None,
    **rebuild_kwds: Any,
) -> Any:
    """Rebuild ``outputs`` with each key of ``replace`` replaced by its value (GRAPH-REPLACE-1).

    ``outputs`` is one variable (one is returned) or a list or tuple of them (a list is
    returned); ``replace`` a mapping or a list of pairs, whose values may be Python or
    numpy values (made constants).  Nodes whose inputs did not change are shared with the
    original graph; changed nodes are rebuilt through their op's ``make_node``, so types
    are checked again.
    """
    from reference.tensor.variable import as_tensor_variable

    single = isinstance(outputs, Variable)
    output_list = [outputs] if single else list(outputs)
    pairs = list(replace.items()) if isinstance(replace, Mapping) else list(replace or ())
    new: dict[int, Variable] = {id(old): rep if isinstance(rep, Variable) else as_tensor_variable(rep)
                                for old, rep in pairs}
    rebuilt_outputs = _rebuild(output_list, new)
    return rebuilt_outputs[0] if single else rebuilt_outputs


def _rebuild(outputs: list[Variable], new: dict[int, Variable]) -> list[Variable]:
    for node in toposort(outputs):
        if any(id(v) in new for v in node.inputs):
            inputs = [new.get(id(v), v) for v in node.inputs]
            rebuilt = node.op.make_node(*inputs)
            for old_out, new_out in zip(node.outputs, rebuilt.outputs, strict=True):
                if id(old_out) not in new:
                    new_out.name = old_out.name
                    new[id(old_out)] = new_out
    return [new.get(id(v), v) for v in outputs]
