"""The reference evaluator.  Spec: spec/1-graphs.rst (GRAPH-EVAL-*).

Conventions: ``env`` maps each variable to its value; ``node`` is an Apply; nodes run
in the order of :func:`reference.graph.traversal.toposort`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

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


def prepare_node(node: Apply) -> Callable[[list[Any]], list[Any]] | None:
    """``run_node(node, inputs)`` with what the node's types fix worked out once, for a node
    with one tensor output whose op offers ``prepare_perform(node)``: its ``perform``
    specialised to the node, returning the output's array.  None for any other node
    (GRAPH-EVAL-3, GRAPH-EVAL-4)."""
    prepare = getattr(node.op, "prepare_perform", None)
    if prepare is None or len(node.outputs) != 1 or not isinstance(node.outputs[0].type, TensorType):
        return None
    perform = prepare(node)
    variable = node.outputs[0]
    dtype, ndim = variable.type.numpy_dtype, variable.type.ndim

    def run(inputs: list[Any]) -> list[Any]:
        try:
            value = perform(*inputs)
        except Exception as error:
            error.add_note(f"while evaluating {node}")
            raise
        if __debug__ and (value.dtype != dtype or value.ndim != ndim):
            check_output(node, variable, value)  # GRAPH-EVAL-4: raises
        return [value]

    return run


class Schedule:
    """A graph's nodes in evaluation order (GRAPH-ORDER-1), with what running each needs
    worked out once: a compiled function and a loop's step build one, and evaluate it at
    every call and every step.

    ``steps`` holds, per node, ``(node, inputs, outputs, run)``: the variables it reads
    and binds, and :func:`prepare_node`'s ``run`` (None: :func:`run_node`).
    """

    def __init__(self, order: Sequence[Apply], prepare: bool = True) -> None:
        self.nodes = list(order)
        self.steps = [
            (node, tuple(node.inputs), tuple(node.outputs), prepare_node(node) if prepare else None)
            for node in self.nodes
        ]


def evaluate_graph(
    outputs: Sequence[Variable],
    env: dict[Variable, Any],
    trace: TraceHook | None = None,
    order: Sequence[Apply] | Schedule | None = None,
) -> list[Any]:
    """Evaluate ``outputs`` given the bindings in ``env`` (GRAPH-EVAL-1 .. GRAPH-EVAL-3).

    ``env`` is extended with every intermediate value.  ``order`` may pass a precomputed
    topological order, or a :class:`Schedule` of it.
    """
    if not isinstance(order, Schedule):
        order = Schedule(order if order is not None else toposort(outputs), prepare=False)
    for node, sources, targets, run in order.steps:
        try:
            inputs = [env[variable] for variable in sources]
        except KeyError:  # constants and shared variables not bound in env
            inputs = [read(env, variable) for variable in sources]
        results = run_node(node, inputs) if run is None else run(inputs)
        for i, variable in enumerate(targets):
            env[variable] = results[i]
        if trace is not None:
            trace(node, inputs, results)
    try:
        return [env[variable] for variable in outputs]
    except KeyError:  # an output that is an unbound constant or shared variable
        return [read(env, variable) for variable in outputs]


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
