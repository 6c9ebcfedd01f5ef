"""Walking and rewriting graphs.  Spec: spec/1-graphs.rst (GRAPH-ORDER-*, GRAPH-TRAV-*).

PyTensor's ``pytensor.graph.traversal``.  The functions PyTensor makes generators of return
lists here (GRAPH-TRAV-1); ``list(...)`` of either is the same.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from reference.graph.basic import Apply, Variable

N = TypeVar("N")


def walk(nodes: Iterable[N], expand: Callable[[N], Iterable[N] | None], bfs: bool = True,
         return_children: bool = False) -> Generator[Any, None, None]:
    """Each node reachable from ``nodes`` through ``expand``, once (GRAPH-TRAV-2).

    A queue starts with ``nodes``; the next node is taken from its front (``bfs``) or its
    back (depth first); a node not seen yet is yielded (with ``expand(node)`` when
    ``return_children``) and the nodes ``expand`` gives are added at the back.
    """
    pending: deque[N] = deque(nodes)
    take = pending.popleft if bfs else pending.pop
    seen: set[N] = set()
    while pending:
        node = take()
        if node in seen:
            continue
        seen.add(node)
        children = expand(node)
        yield (node, children) if return_children else node
        if children:
            pending.extend(children)


def _blocked_owner(blocked: set[int]) -> Callable[[Variable], Apply | None]:
    """The owner of a variable, or None for a blocker (GRAPH-TRAV-1)."""
    return lambda v: None if id(v) in blocked else v.owner


def toposort(outputs: Iterable[Variable], blockers: Iterable[Variable] | None = None) -> list[Apply]:
    """The Apply nodes computing ``outputs``, each after the nodes it reads (GRAPH-ORDER-1).

    The order is deterministic: a depth-first post-order visiting inputs left to right,
    outputs in the given order.  A variable of ``blockers`` is treated as a root: the walk
    does not go past it (GRAPH-TRAV-1).
    """
    owner = _blocked_owner({id(v) for v in blockers or ()})
    order: list[Apply] = []
    done: set[int] = set()
    for output in outputs:
        stack: list[tuple[Apply, int]] = []
        first = owner(output)
        if first is not None and id(first) not in done:
            stack.append((first, 0))
        while stack:
            node, next_input = stack.pop()
            if id(node) in done:
                continue
            while next_input < len(node.inputs):
                parent = owner(node.inputs[next_input])
                next_input += 1
                if parent is not None and id(parent) not in done:
                    stack.append((node, next_input))
                    stack.append((parent, 0))
                    break
            else:
                done.add(id(node))
                order.append(node)
    return order


def ancestors(graphs: Iterable[Variable], blockers: Iterable[Variable] | None = None) -> list[Variable]:
    """Every variable ``graphs`` depend on, themselves included, each once (GRAPH-TRAV-1).

    The order: ``graphs``, then the inputs of each node of ``toposort(graphs, blockers)``,
    left to right.  A variable of ``blockers`` is listed when reached, but the walk does not
    go past it.  A node's output that nothing of ``graphs`` reads is not listed.
    """
    graphs = list(graphs)
    blockers = list(blockers or ())
    result: list[Variable] = []
    seen: set[int] = set()
    for variable in (*graphs, *(v for node in toposort(graphs, blockers) for v in node.inputs)):
        if id(variable) not in seen:
            seen.add(id(variable))
            result.append(variable)
    return result


#: PyTensor's other name of :func:`ancestors`
variable_ancestors = ancestors


def apply_ancestors(graphs: Iterable[Variable], blockers: Iterable[Variable] | None = None) -> list[Apply]:
    """The owners of :func:`ancestors` (not of the blockers), each once (GRAPH-TRAV-1)."""
    blockers = list(blockers or ())
    blocked = {id(v) for v in blockers}
    nodes: list[Apply] = []
    seen: set[int] = set()
    for variable in ancestors(graphs, blockers):
        node = variable.owner
        if node is not None and id(variable) not in blocked and id(node) not in seen:
            seen.add(id(node))
            nodes.append(node)
    return nodes


def graph_inputs(outputs: Iterable[Variable], blockers: Iterable[Variable] | None = None) -> list[Variable]:
    """The roots (variables without owner) among :func:`ancestors` (GRAPH-TRAV-1)."""
    return [v for v in ancestors(outputs, blockers) if v.owner is None]


def explicit_graph_inputs(outputs: Variable | Iterable[Variable]) -> list[Variable]:
    """The roots of ``outputs`` that are neither constants nor shared variables: the
    variables a function of ``outputs`` must take as inputs."""
    from reference.graph.basic import Constant
    from reference.graph.shared import SharedVariable

    return [v for v in graph_inputs(_as_list(outputs)) if not isinstance(v, Constant | SharedVariable)]


def vars_between(inputs: Iterable[Variable], outputs: Iterable[Variable]) -> list[Variable]:
    """The variables between ``inputs`` and ``outputs`` (GRAPH-TRAV-3): :func:`walk`, depth
    first, from ``outputs``, a variable with an owner and not in ``inputs`` leading to its
    owner's inputs and outputs.  So every output of a node on the way is listed, read or not."""
    stop = {id(v) for v in inputs}

    def expand(variable: Variable) -> tuple[Variable, ...] | None:
        node = variable.owner
        if node is None or id(variable) in stop:
            return None
        return (*node.inputs, *node.outputs)

    return list(walk(outputs, expand, bfs=False))


def orphans_between(inputs: Iterable[Variable], outputs: Iterable[Variable]) -> list[Variable]:
    """The roots of :func:`vars_between` that are not in ``inputs`` (GRAPH-TRAV-3)."""
    inputs = list(inputs)
    given = {id(v) for v in inputs}
    return [v for v in vars_between(inputs, outputs) if v.owner is None and id(v) not in given]


def applys_between(inputs: Iterable[Variable], outputs: Iterable[Variable]) -> list[Apply]:
    """The nodes between ``inputs`` and ``outputs``: ``apply_ancestors(outputs,
    blockers=inputs)`` (GRAPH-TRAV-3)."""
    return apply_ancestors(outputs, blockers=inputs)


def apply_depends_on(apply: Apply, depends_on: Apply | Iterable[Apply]) -> bool:
    """True if ``apply`` is, or reads an output of, a node of ``depends_on`` (GRAPH-TRAV-4)."""
    targets = {id(depends_on)} if isinstance(depends_on, Apply) else {id(n) for n in depends_on}
    return id(apply) in targets or any(id(n) in targets for n in apply_ancestors(apply.inputs))


def variable_depends_on(variable: Variable, depends_on: Variable | Iterable[Variable]) -> bool:
    """True if ``variable`` is or depends on ``depends_on`` (one variable or several); another
    output of a node ``variable`` reads is not a dependency (GRAPH-TRAV-4)."""
    targets = {id(v) for v in _as_list(depends_on)}
    return any(id(v) in targets for v in ancestors([variable]))


def depends_on(outputs: Iterable[Variable], targets: Iterable[Variable]) -> bool:
    """True if any of ``outputs`` is, depends on, or is computed with any of ``targets``
    (every output of a node on the way counts)."""
    outputs = list(outputs)
    target_ids = {id(t) for t in targets}
    if any(id(v) in target_ids for v in outputs):
        return True
    return any(id(v) in target_ids for node in toposort(outputs) for v in (*node.inputs, *node.outputs))


def walk_toposort(graphs: Iterable[N], deps: Callable[[N], Iterable[N] | None]) -> Generator[N, None, None]:
    """Every node reachable from ``graphs`` through ``deps``, each after the nodes ``deps``
    gives for it (GRAPH-TRAV-5).

    The nodes are found with a depth-first :func:`walk`; those without dependencies are
    ready, in the order found; a ready node is yielded and each node that depended on it
    and now has nothing left to wait for becomes ready, in the order the walk found the
    pairs.  A cycle is a ``ValueError`` once the ready nodes are exhausted.
    """
    waiting: dict[N, list[N]] = {}

    def dependencies(node: N) -> list[N]:
        if node not in waiting:
            waiting[node] = list(deps(node) or ())
        return waiting[node]

    readers: dict[N, list[N]] = {}
    ready: deque[N] = deque()
    left = 0
    for node, children in walk(graphs, dependencies, bfs=False, return_children=True):
        left += 1
        for child in children:
            readers.setdefault(child, []).append(node)
        if not children:
            ready.append(node)
    done: set[N] = set()
    while ready:
        node = ready.popleft()
        if node in done:
            continue
        done.add(node)
        left -= 1
        yield node
        for reader in readers.get(node, ()):
            waiting[reader] = rest = [d for d in waiting[reader] if d is not node]
            if not rest:
                ready.append(reader)
    if left:
        raise ValueError("graph contains cycles")


def general_toposort(outputs: Iterable[N], deps: Callable[[N], Iterable[N] | None],
                     compute_deps_cache: Any = None, deps_cache: Any = None, clients: Any = None) -> list[N]:
    """``list(walk_toposort(outputs, deps))`` (GRAPH-TRAV-5); the three cache arguments
    PyTensor no longer supports are a ``ValueError`` when given."""
    for name, value in (("compute_deps_cache", compute_deps_cache), ("deps_cache", deps_cache), ("clients", clients)):
        if value is not None:
            raise ValueError(f"{name} is no longer supported")
    return list(walk_toposort(outputs, deps))


def toposort_with_orderings(graphs: Iterable[Variable], *, blockers: Iterable[Variable] | None = None,
                            orderings: Mapping[Any, Sequence[Any]] | None = None) -> list[Apply]:
    """The nodes computing ``graphs`` from ``blockers``, each after its inputs' owners and
    after the nodes ``orderings[node]`` lists (GRAPH-TRAV-5).

    Without ``orderings`` it is :func:`toposort`; with them, the Apply nodes of
    :func:`walk_toposort` over variables and nodes, where a node depends on its inputs and
    its ``orderings`` entry, a variable on its owner (and the owner's entry), a blocker on
    nothing.
    """
    if not orderings:
        return toposort(graphs, blockers)
    blocked = {id(v) for v in blockers or ()}

    def deps(item: Any) -> list[Any] | None:
        if isinstance(item, Apply):
            return [*item.inputs, *orderings.get(item, ())]
        if id(item) in blocked:
            return None
        node = item.owner
        return [node, *orderings.get(node, ())] if node is not None else list(orderings.get(item, ()))

    return [item for item in walk_toposort(graphs, deps) if isinstance(item, Apply)]


def io_toposort(inputs: Iterable[Variable], outputs: Iterable[Variable],
                orderings: Mapping[Any, Sequence[Any]] | None = None, clients: Any = None) -> list[Apply]:
    """The nodes between ``inputs`` and ``outputs``, each after the nodes it reads
    (GRAPH-ORDER-1): ``toposort_with_orderings(outputs, blockers=inputs, orderings=...)``
    (GRAPH-TRAV-5); ``clients`` is no longer supported (``ValueError``)."""
    if clients is not None:
        raise ValueError("clients is no longer supported")
    return toposort_with_orderings(list(outputs), blockers=list(inputs), orderings=orderings)


def truncated_graph_inputs(outputs: Sequence[Variable],
                           ancestors_to_include: Iterable[Variable] | None = None) -> list[Variable]:
    """The variables closest to ``outputs`` that do not depend on ``ancestors_to_include``,
    and the variables of ``ancestors_to_include`` that are reached (GRAPH-TRAV-6).

    Without ``ancestors_to_include`` it is ``outputs`` without repetitions.  Otherwise the
    variables are examined depth first from the last output: one of
    ``ancestors_to_include`` is kept, and its inputs examined only if it depends on another
    of them; another variable that depends on an included one or on a variable already
    examined is replaced by its inputs; any other is kept.
    """
    kept: list[Variable] = []
    seen: set[int] = set()
    if not ancestors_to_include:
        for variable in outputs:
            if id(variable) not in seen:
                seen.add(id(variable))
                kept.append(variable)
        return kept
    include = {id(v) for v in ancestors_to_include}
    stops = set(include)  # the included variables and every variable examined so far
    pending = list(outputs)
    while pending:
        variable = pending.pop()
        if id(variable) in seen:
            continue
        seen.add(id(variable))
        if id(variable) in include:
            kept.append(variable)
            if _reaches(variable, include - {id(variable)}):
                pending.extend(v for v in variable.owner.inputs if id(v) not in seen)
            continue
        if _reaches(variable, stops):
            pending.extend(variable.owner.inputs)
        else:
            kept.append(variable)
        stops.add(id(variable))
    return kept


def _reaches(variable: Variable, ids: set[int]) -> bool:
    return any(id(v) in ids for v in ancestors([variable]))


def get_var_by_name(graphs: Iterable[Variable], target_var_id: str) -> tuple[Variable, ...]:
    """The variables of ``graphs`` whose ``name`` or ``auto_name`` is ``target_var_id``, in
    the breadth-first order of :func:`walk` through inputs (GRAPH-TRAV-4)."""
    def expand(variable: Variable) -> list[Variable] | None:
        return None if variable.owner is None else variable.owner.inputs

    return tuple(v for v in walk(_as_list(graphs), expand)
                 if target_var_id == v.name or target_var_id == v.auto_name)


def _as_list(variables: Variable | Iterable[Variable]) -> list[Variable]:
    return [variables] if isinstance(variables, Variable) else list(variables)


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
