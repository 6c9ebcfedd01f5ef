"""The reference evaluator.  Spec: spec/1-graphs.rst (GRAPH-EVAL-*).

Conventions: ``env`` maps each variable to its value; ``node`` is an Apply; nodes run
in the order of :func:`reference.graph.traversal.toposort`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from reference.errors import MissingInputError
from reference.graph.basic import Apply, Constant, Variable
from reference.graph.shared import SharedVariable
from reference.graph.traversal import toposort
from reference.graph.type import TensorType

#: A hook called after each node with ``(node, input values, output values)``.
TraceHook = Callable[[Apply, list[Any], list[Any]], None]


def read(env: Mapping[Variable, Any], variable: Variable) -> Any:
    """The value of ``variable`` (GRAPH-EVAL-2): bound in ``env``, a constant's data, or a
    shared variable's stored value; anything else is a missing input."""
    if variable in env:
        return env[variable]
    if isinstance(variable, Constant):
        return variable.data
    if isinstance(variable, SharedVariable):
        return variable.get_value(borrow=True)
    raise MissingInputError(
        "GRAPH-EVAL-2",
        f"the graph needs variable {variable} of type {variable.type}, which was neither "
        "an input nor given a value",
    )


def check_output(node: Apply, variable: Variable, value: Any) -> None:
    """Assert: an op's result has its output's dtype and ndim (GRAPH-EVAL-4)."""
    if isinstance(value, np.ndarray):
        expected = variable.type
        assert value.dtype == expected.numpy_dtype and value.ndim == len(expected.shape), (
            f"GRAPH-EVAL-4: {node.op} produced {value.dtype}{value.shape} for {variable.type}"
        )


def run_node(node: Apply, inputs: list[Any]) -> list[Any]:
    """Apply ``node.op`` to the input values (GRAPH-EVAL-3)."""
    try:
        result = node.op.perform(node, *inputs)
    except Exception as error:
        error.add_note(f"while evaluating {node}")
        raise
    if len(node.outputs) == 1 and not isinstance(result, (tuple, list)):
        if __debug__:
            check_output(node, node.outputs[0], result)
        return [result]
    values = list(result)  # one value per output
    if __debug__:  # GRAPH-EVAL-4
        assert len(values) == len(node.outputs), (
            f"GRAPH-EVAL-4: {node.op} produced {len(values)} values for {len(node.outputs)} outputs"
        )
        for variable, value in zip(node.outputs, values):  # noqa: B905 - lengths checked above
            check_output(node, variable, value)
    return values


class Step(NamedTuple):
    """What evaluating one node needs, worked out once: an entry of a :class:`Schedule`."""

    node: Apply
    #: ``gather(env)``: the tuple of the values bound to the node's inputs (KeyError if
    #: one is not bound)
    gather: Callable[[Mapping[Variable, Any]], tuple]
    #: for a node with one tensor output whose op offers ``prepare_perform(node)``: that
    #: function, the op's ``perform`` specialised to the node, giving the output's array;
    #: else None (the node runs by :func:`run_node`)
    perform: Callable[..., np.ndarray] | None
    #: the output, and the dtype and ndim GRAPH-EVAL-4 expects of it (with ``perform``)
    output: Variable | None
    dtype: np.dtype | None
    ndim: int | None


class Schedule:
    """A graph's nodes in evaluation order (GRAPH-ORDER-1), each with its :class:`Step`.
    A compiled function and a loop's step build one, and evaluate it at every call and
    every step; ``prepare=False`` runs every node by :func:`run_node`.

    Given the graph's ``outputs``, a graph with a lazy op (``IfElse``) is split by
    GRAPH-EVAL-5: the nodes only one branch of a lazy node needs leave ``nodes`` and go
    into that branch's own Schedule, in ``branches[node]`` (then, else), which runs only
    when the condition picks it.  Without lazy nodes ``branches`` is empty."""

    def __init__(self, order: Sequence[Apply], prepare: bool = True,
                 outputs: Sequence[Variable] | None = None) -> None:
        nodes = list(order)
        #: what the schedule is built from: it pickles as these and is planned again on
        #: loading, its prepared closures never pickled (FN-PICKLE-1)
        self._built_from = (nodes, prepare, None if outputs is None else list(outputs))
        homes = None
        if outputs is not None and any(is_lazy(node) for node in nodes):
            homes = branch_homes(nodes, outputs)  # GRAPH-EVAL-5
        self._fill(nodes, homes, None, prepare)

    def __getstate__(self) -> dict[str, Any]:
        """FN-PICKLE-1: a schedule pickles as what it is built from, never its prepared
        closures; loading plans it again."""
        return {"_built_from": self._built_from}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(*state["_built_from"])  # type: ignore[misc]

    def _fill(self, nodes: list[Apply], homes: dict | None, place: Any, prepare: bool) -> None:
        """This schedule holds the nodes whose home is ``place`` (None: the top level)."""
        self.nodes = nodes if homes is None else [n for n in nodes if homes[n] == place]
        #: for each lazy node of this level: the schedules of its then and else branches
        self.branches: dict[Apply, tuple[Schedule, Schedule]] = {}
        for node in self.nodes:
            if homes is not None and is_lazy(node):
                parts = []
                for branch in (0, 1):
                    part = Schedule.__new__(Schedule)
                    part._fill(nodes, homes, (node, branch), prepare)
                    parts.append(part)
                self.branches[node] = (parts[0], parts[1])
        self.steps = [plan_step(node, prepare, lazy=node in self.branches) for node in self.nodes]


def is_lazy(node: Apply) -> bool:
    """Whether ``node``'s op reads only one of its branches (``IfElse``: GRAPH-EVAL-5)."""
    return getattr(node.op, "lazy", False)


def branch_homes(nodes: Sequence[Apply], outputs: Sequence[Variable]) -> dict[Apply, Any]:
    """Where each node runs (GRAPH-EVAL-5): None (whenever the graph is evaluated), or
    ``(lazy node, branch)`` when only that branch of that node needs it (0 then, 1 else).

    Walk the nodes from the last to the first.  A node's value is wanted by each of its
    readers: an output of the graph wants it at the top level; a branch input of a lazy
    node wants it in that branch; any other reader wants it where the reader runs.  The
    node runs in the innermost place that holds all of these (a branch of a lazy node
    lies inside the place of that node)."""
    wanted_at_top = {id(v) for v in outputs}
    readers: dict[int, list[tuple[Apply, int]]] = {}
    for node in nodes:
        for position, variable in enumerate(node.inputs):
            readers.setdefault(id(variable), []).append((node, position))
    homes: dict[Apply, Any] = {}

    def enclosing(place: Any) -> list[Any]:
        chain = [place]
        while place is not None:
            place = homes[place[0]]
            chain.append(place)
        return chain

    for node in reversed(nodes):
        places = []
        for variable in node.outputs:
            if id(variable) in wanted_at_top:
                places.append(None)
            for reader, position in readers.get(id(variable), ()):
                if is_lazy(reader) and position > 0:  # input 0 is the condition
                    places.append((reader, 0 if position <= reader.op.n_outs else 1))
                else:
                    places.append(homes[reader])
        home = places[0] if places else None
        for place in places[1:]:  # the innermost place enclosing both
            around = enclosing(home)
            while place not in around:
                place = homes[place[0]]
            home = place
        homes[node] = home
    return homes


def plan_step(node: Apply, prepare: bool = True, lazy: bool = False) -> Step:
    """The :class:`Step` of ``node``.  A lazy node's step gathers only its condition."""
    if lazy:
        return Step(node, gatherer(node.inputs[:1]), None, None, None, None)
    gather = gatherer(node.inputs)
    prepare_perform = getattr(node.op, "prepare_perform", None) if prepare else None
    if prepare_perform is None or len(node.outputs) != 1 or not isinstance(node.outputs[0].type, TensorType):
        return Step(node, gather, None, None, None, None)
    output = node.outputs[0]
    return Step(node, gather, prepare_perform(node), output, output.type.numpy_dtype, output.type.ndim)


def gatherer(variables: Sequence[Variable]) -> Callable[[Mapping[Variable, Any]], tuple]:
    """``gather(env)``: the tuple ``(env[v] for v in variables)``."""
    if len(variables) > 1:
        return operator.itemgetter(*variables)
    if variables:
        (variable,) = variables
        return lambda env: (env[variable],)
    return lambda env: ()


def evaluate_graph(
    outputs: Sequence[Variable],
    env: dict[Variable, Any],
    trace: TraceHook | None = None,
    order: Sequence[Apply] | Schedule | None = None,
) -> list[Any]:
    """Evaluate ``outputs`` given the bindings in ``env`` (GRAPH-EVAL-1 .. GRAPH-EVAL-3).

    ``env`` is extended with every intermediate value.  ``order`` may pass a precomputed
    topological order, or a :class:`Schedule` of one.
    """
    if not isinstance(order, Schedule):
        order = Schedule(order if order is not None else toposort(outputs), prepare=False, outputs=outputs)
    branches = order.branches
    for node, gather, perform, output, dtype, ndim in order.steps:
        try:
            inputs = gather(env)
        except KeyError:  # constants and shared variables not bound in env
            read_now = node.inputs if node not in branches else node.inputs[:1]  # a lazy node: its condition
            inputs = tuple(read(env, variable) for variable in read_now)
        if perform is None:
            if branches and node in branches:  # GRAPH-EVAL-5: only the branch the condition picks runs
                inputs, results = run_branch(node, inputs[0], branches[node], env, trace)
            else:
                results = run_node(node, list(inputs))
            for i, variable in enumerate(node.outputs):
                env[variable] = results[i]
        else:  # run_node's steps, with the op's perform prepared for the node
            try:
                result = perform(*inputs)
            except Exception as error:
                error.add_note(f"while evaluating {node}")
                raise
            if __debug__ and (result.dtype is not dtype or result.ndim != ndim):
                check_output(node, output, result)  # GRAPH-EVAL-4 (an equal dtype passes)
            env[output] = result
        if trace is not None:
            trace(node, list(inputs), results if perform is None else [result])
    try:
        return [env[variable] for variable in outputs]
    except KeyError:  # an output that is an unbound constant or shared variable
        return [read(env, variable) for variable in outputs]


def run_branch(node: Apply, condition: Any, branches: tuple[Schedule, Schedule],
               env: dict[Variable, Any], trace: TraceHook | None) -> tuple[list[Any], list[Any]]:
    """Run a lazy node (GRAPH-EVAL-5): the branch its condition picks, then take that
    branch's values.  Returns the node's input values (None for the branch not taken) and
    its output values."""
    n = node.op.n_outs
    taken = 0 if condition else 1  # OP-IFELSE-2: the truth value of the 0-d condition
    chosen = node.inputs[1 + n * taken: 1 + n * (taken + 1)]
    values = evaluate_graph(chosen, env, trace=trace, order=branches[taken])
    skipped = [None] * n
    return [condition, *(values if taken == 0 else skipped), *(skipped if taken == 0 else values)], values


def evaluate(outputs: Any, inputs: Mapping[Variable, Any] | None = None, *,
             trace: TraceHook | bool | None = None, on_step: Any = None) -> Any:
    """Evaluate one variable or a list of them, with ``inputs`` mapping variables to values.

    Values are converted to the variables' types as a compiled function converts them.
    ``trace`` is a per-node hook ``(node, inputs, outputs)``, or ``True`` to return
    ``(values, Trace)`` with every intermediate value and every loop step;
    ``on_step(scan_name, t, node, inputs, outputs)`` runs after each node of each loop
    step (ORACLE-TRACE-1, ORACLE-TRACE-2; :mod:`reference.trace`).
    """
    if trace is True or on_step is not None:
        from reference.trace import evaluate_traced

        return evaluate_traced(outputs, inputs, hook=None if trace is True else trace,
                               on_step=on_step, want_trace=trace is True)
    single = isinstance(outputs, Variable)
    output_list = [outputs] if single else list(outputs)
    env: dict[Variable, Any] = {}
    for variable, value in (inputs or {}).items():
        env[variable] = variable.type.filter(value, argument=f"input {variable}")
    values = evaluate_graph(output_list, env, trace=trace)
    return values[0] if single else values
