"""Walking and rewriting graphs.  Spec: spec/1-graphs.rst (GRAPH-ORDER-*)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

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


def clone_replace(
    outputs: Sequence[Variable], replace: Mapping[Variable, Variable]
) -> list[Variable]:
    """Rebuild ``outputs`` with each key of ``replace`` replaced by its value (GRAPH-REPLACE-1).

    Nodes whose inputs did not change are shared with the original graph; changed nodes
    are rebuilt through their op's ``make_node``, so types are checked again.
    """
    new: dict[int, Variable] = {id(old): rep for old, rep in replace.items()}
    for node in toposort(outputs):
        if any(id(v) in new for v in node.inputs):
            inputs = [new.get(id(v), v) for v in node.inputs]
            rebuilt = node.op.make_node(*inputs)
            for old_out, new_out in zip(node.outputs, rebuilt.outputs, strict=True):
                if id(old_out) not in new:
                    new_out.name = old_out.name
                    new[id(old_out)] = new_out
    return [new.get(id(v), v) for v in outputs]
