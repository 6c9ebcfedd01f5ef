"""Cloning, printing and comparing graphs: PyTensor's ``clone``, ``clone_get_equiv``,
``as_string`` and ``equal_computations`` of ``pytensor.graph.basic`` (GRAPH-CLONE-*).

Spec: spec/1-graphs.rst.  :mod:`reference.graph.basic` imports this module at its end and
gives its names; this module reads ``basic`` only when a function is called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from reference.graph.basic import Apply, Variable


def clone_get_equiv(inputs: Iterable[Variable], outputs: Iterable[Variable], copy_inputs: bool = True,
                    copy_orphans: bool = True, memo: dict[Any, Any] | None = None,
                    clone_inner_graphs: Any = None, **kwargs: Any) -> dict[Any, Any]:
    """A copy of the graph between ``inputs`` and ``outputs``, as a dict from each of its
    variables and nodes to its copy (GRAPH-CLONE-1).

    1. Each of ``inputs`` maps to its clone (a new root of the same type and name) with
       ``copy_inputs``, else to itself.
    2. The nodes of ``toposort(outputs, blockers=inputs)`` are copied in that order: an
       input of a node not mapped yet (an *orphan*) maps to its clone with
       ``copy_orphans``, else to itself; a node maps to
       ``node.clone_with_new_inputs(mapped inputs, **kwargs)`` and its outputs to the copy's,
       unless all its outputs are mapped already.
    3. An output still not mapped maps to its clone.

    Constants are never cloned.  Entries already in ``memo`` are kept (``memo`` is filled
    and returned).
    """
    from reference.graph.basic import Constant, _warn_clone_inner_graph
    from reference.graph.traversal import toposort

    _warn_clone_inner_graph(clone_inner_graphs, "clone_inner_graphs")
    memo = {} if memo is None else memo
    inputs, outputs = list(inputs), list(outputs)
    for variable in inputs:
        memo.setdefault(variable, variable.clone() if copy_inputs and not isinstance(variable, Constant) else variable)
    for node in toposort(outputs, blockers=inputs):
        for variable in node.inputs:
            if variable not in memo:
                memo[variable] = variable.clone() if copy_orphans and not isinstance(variable, Constant) else variable
        _clone_node(node, memo, **kwargs)
    for variable in outputs:
        if variable not in memo:
            memo[variable] = variable.clone()
    return memo


def _clone_node(node: Apply, memo: dict[Any, Any], **kwargs: Any) -> Apply | None:
    """Step 2 of GRAPH-CLONE-1 for one node."""
    if all(output in memo for output in node.outputs):
        return None
    copied = node.clone_with_new_inputs([memo[v] for v in node.inputs], **kwargs)
    memo[node] = copied
    for old, new in zip(node.outputs, copied.outputs, strict=True):
        memo.setdefault(old, new)
    return copied


def clone(inputs: Sequence[Variable], outputs: Sequence[Variable], copy_inputs: bool = True,
          copy_orphans: bool | None = None, clone_inner_graphs: Any = None) -> tuple[list[Variable], list[Variable]]:
    """The copies of ``inputs`` and ``outputs`` made by :func:`clone_get_equiv`;
    ``copy_orphans`` defaults to ``copy_inputs`` (GRAPH-CLONE-1)."""
    equiv = clone_get_equiv(inputs, outputs, copy_inputs=copy_inputs,
                            copy_orphans=copy_inputs if copy_orphans is None else copy_orphans,
                            clone_inner_graphs=clone_inner_graphs)
    return [equiv[v] for v in inputs], [equiv[v] for v in outputs]


def default_node_formatter(node: Apply, argstrings: list[str]) -> str:
    """``Op(arg, arg, ...)``."""
    return f"{node.op}({', '.join(argstrings)})"


def as_string(inputs: Sequence[Variable], outputs: Sequence[Variable], leaf_formatter: Callable[[Variable], str] = str,
              node_formatter: Callable[[Apply, list[str]], str] = default_node_formatter) -> list[str]:
    """One string per output describing its graph down to ``inputs`` (GRAPH-CLONE-3).

    An input, an orphan (:func:`orphans_between`) or a root is ``leaf_formatter(v)``; the
    output of a node is ``node_formatter(node, [its inputs described])``, with ``::k``
    after it for the ``k``-th output of a node with several.  A node used more than once
    (by the outputs and the nodes between) is numbered: ``*n -> description`` where it is
    first described, ``*n`` afterwards.  Numbers go in the order of first description
    (PyTensor's are in an unspecified order).
    """
    from reference.graph.traversal import applys_between, orphans_between

    given = {id(v) for v in inputs}
    orphans = {id(v) for v in orphans_between(inputs, outputs)}
    uses: dict[int, int] = {}
    for variable in outputs:
        if variable.owner is not None:
            uses[id(variable.owner)] = uses.get(id(variable.owner), 0) + 1
    for node in applys_between(inputs, outputs):
        for variable in node.inputs:
            if variable.owner is not None and id(variable) not in given and id(variable) not in orphans:
                uses[id(variable.owner)] = uses.get(id(variable.owner), 0) + 1
    numbers: dict[int, int] = {}
    done: set[int] = set()

    def describe(variable: Variable) -> str:
        node = variable.owner
        if node is None or id(variable) in given or id(variable) in orphans:
            return leaf_formatter(variable)
        which = "" if len(node.outputs) == 1 else f"::{variable.index}"
        if id(node) in done:
            return f"*{numbers[id(node)]}{which}"
        done.add(id(node))
        if uses.get(id(node), 0) > 1:
            numbers[id(node)] = len(numbers) + 1
        text = node_formatter(node, [describe(v) for v in node.inputs])
        return f"*{numbers[id(node)]} -> {text}" if id(node) in numbers else text

    return [describe(v) for v in outputs]


def equal_computations(xs: Sequence[Any], ys: Sequence[Any], in_xs: Sequence[Variable] | None = None,
                       in_ys: Sequence[Variable] | None = None, strict_dtype: bool = True) -> bool:
    """True if each ``xs[i]`` computes what ``ys[i]`` computes (GRAPH-CLONE-4).

    Two nodes compute the same if their ops are equal (``==``), they have as many inputs
    and outputs, and their inputs pairwise compute the same.  Two roots compute the same
    if they are the same variable, a pair ``(in_xs[j], in_ys[j])``, or constants that are
    ``equals`` (without ``strict_dtype``, constants inside the graphs with equal values
    suffice).  A pair of outputs must have the same ``index`` and types of the same class
    (dtype and broadcastable pattern for tensors).  A value that is not a variable is
    compared by value with the other (a constant's data).  ``xs`` and ``ys`` of different
    lengths are a ``ValueError``.
    """
    from reference.graph.basic import Constant, Variable

    if len(xs) != len(ys):
        raise ValueError("The number of graphs/Variables in each argument must match.")
    in_xs, in_ys = list(in_xs or ()), list(in_ys or ())
    if len(in_xs) != len(in_ys) or not all(_same_class(a.type, b.type) for a, b in zip(in_xs, in_ys, strict=True)):
        return False
    given_x = {id(v) for v in in_xs}
    same: set[tuple[int, int]] = {(id(a), id(b)) for a, b in zip(in_xs, in_ys, strict=True)}
    differ: set[tuple[int, int]] = set()

    def same_roots(a: Variable, b: Variable, in_graph: bool) -> bool:
        if a is b or (id(a), id(b)) in same:
            return True
        if isinstance(a, Constant) and isinstance(b, Constant):
            return a.equals(b) or (in_graph and not strict_dtype and _values_equal(a.data, b.data))
        return False

    def same_nodes(a: Apply, b: Apply) -> bool:
        if a is b:
            return True
        if a.op != b.op or len(a.inputs) != len(b.inputs) or len(a.outputs) != len(b.outputs):
            return False
        pairs = list(zip(a.outputs, b.outputs, strict=True))
        if any((id(u), id(v)) in differ for u, v in pairs):
            return False
        if all((id(u), id(v)) in same for u, v in pairs):
            return True
        for u, v in zip(a.inputs, b.inputs, strict=True):
            if (id(u), id(v)) in same:
                continue
            if u.owner is not None and v.owner is not None and u.index == v.index:
                if not same_nodes(u.owner, v.owner):
                    differ.add((id(u), id(v)))
                    return False
            elif u.owner is not None or v.owner is not None or not same_roots(u, v, in_graph=True):
                return False
        same.update((id(u), id(v)) for u, v in pairs)
        return True

    for x, y in zip(xs, ys, strict=True):
        if not isinstance(x, Variable) or not isinstance(y, Variable):
            if isinstance(x, Variable) or isinstance(y, Variable):
                variable, value = (x, y) if isinstance(x, Variable) else (y, x)
                if not (isinstance(variable, Constant) and _values_equal(variable.data, value)):
                    return False
            elif not _values_equal(x, y):
                return False
            continue
        if (x.owner is None) != (y.owner is None):
            return False
        if x.owner is not None and x.index != y.index:
            return False
        if id(x) not in given_x and not _same_class(x.type, y.type):
            return False
        if x.owner is None and not same_roots(x, y, in_graph=False):
            return False
        if x.owner is not None and not same_nodes(x.owner, y.owner):
            return False
    return True


def _same_class(a: Any, b: Any) -> bool:
    """PyTensor's ``Type.in_same_class``: equal, or tensor types of the same dtype and
    broadcastable pattern."""
    if a == b:
        return True
    return (hasattr(a, "broadcastable") and hasattr(b, "broadcastable") and type(a) is type(b)
            and a.dtype == b.dtype and a.broadcastable == b.broadcastable)


def _values_equal(a: Any, b: Any) -> bool:
    try:
        return bool(np.array_equal(a, b, equal_nan=True))
    except TypeError:  # values numpy cannot compare for NaN (objects)
        return bool(np.array_equal(a, b))
