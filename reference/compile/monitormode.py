"""``MonitorMode``: a mode that calls user functions around every node's evaluation.
Spec: spec/1-graphs.rst (FN-MODE-2).

The callbacks take PyTensor's arguments ``(fgraph, i, node, fn)``: the function's graph
(``f.maker.fgraph``), the node's position in the function's topological order, the Apply
node, and a thunk whose ``fn.inputs`` and ``fn.outputs`` are lists of one-element storage
lists (``fn.inputs[k][0]`` is the value of input ``k``; ``fn.outputs[k][0]`` is ``None``
before the node runs and its value after).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from reference.compile.mode import Mode
from reference.errors import SpecValueError
from reference.evaluate import Schedule, TraceHook, read, run_node
from reference.graph.basic import Apply, Variable

__all__ = ["MonitorMode", "NodeThunk", "detect_nan", "evaluate_monitored"]

#: ``callback(fgraph, i, node, fn)``
Callback = Callable[[Any, int, Apply, "NodeThunk"], Any]


class MonitorMode(Mode):
    """``MonitorMode(pre_func=None, post_func=None, optimizer="default", linker=None)``: each
    node of a function compiled with it runs as ``pre_func(fgraph, i, node, fn)``, ``fn()``,
    ``post_func(fgraph, i, node, fn)`` (FN-MODE-2).  Values are those of the default mode;
    ``linker`` must be None (the mode has its own)."""

    def __init__(self, pre_func: Callback | None = None, post_func: Callback | None = None,
                 optimizer: Any = "default", linker: Any = None, db: Any = None) -> None:
        if linker is not None and not isinstance(getattr(linker, "mode", None), MonitorMode):
            raise SpecValueError("FN-MODE-2", f"MonitorMode can only use its own linker; got linker={linker!r}")
        super().__init__(linker="c|py", optimizer=optimizer, db=db)
        self.pre_func = pre_func
        self.post_func = post_func

    def eval(self, fgraph: Any, i: int, node: Apply, fn: NodeThunk) -> None:
        """Run one node: ``pre_func``, the node, ``post_func`` (FN-MODE-2)."""
        if self.pre_func is not None:
            self.pre_func(fgraph, i, node, fn)
        fn()
        if self.post_func is not None:
            self.post_func(fgraph, i, node, fn)

    def clone(self, link_kwargs: Any = None, optimizer: Any = "", **kwargs: Any) -> MonitorMode:
        """A copy with the same callbacks (and another optimizer if given)."""
        return super().clone(link_kwargs, optimizer, **kwargs)  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"MonitorMode(pre_func={self.pre_func!r}, post_func={self.post_func!r}, optimizer={self.optimizer!r})"

    __str__ = __repr__


class NodeThunk:
    """The ``fn`` given to MonitorMode's callbacks (FN-MODE-2): ``inputs`` and ``outputs``
    are lists of one-element lists; calling it evaluates the node from ``inputs`` into
    ``outputs``.  ``lazy`` is False, as PyTensor's thunks under MonitorMode are."""

    lazy = False

    def __init__(self, node: Apply, inputs: Sequence[Any], run: Callable[[list[Any]], list[Any]]) -> None:
        self.node = node
        self.inputs = [[value] for value in inputs]
        self.outputs: list[list[Any]] = [[None] for _ in node.outputs]
        self._run = run

    def __call__(self) -> None:
        results = self._run([cell[0] for cell in self.inputs])
        for cell, value in zip(self.outputs, results, strict=True):
            cell[0] = value

    # PyTensor's thunk attribute names
    @property
    def thunk(self) -> NodeThunk:
        return self

    @property
    def cthunk(self) -> None:
        return None


def evaluate_monitored(outputs: Sequence[Variable], env: dict[Variable, Any], trace: TraceHook | None = None,
                       order: Schedule | None = None, *, mode: MonitorMode, fgraph: Any,
                       index: dict[Apply, int]) -> list[Any]:
    """:func:`reference.evaluate.evaluate_graph` with ``mode.eval`` around every node
    (FN-MODE-2).  ``index`` gives each node's position in the function's order.  A lazy
    node (``IfElse``, GRAPH-EVAL-5) runs its chosen branch, monitored, inside its own call."""
    assert order is not None
    branches = order.branches
    for node, _gather, perform, _output, _dtype, _ndim in order.steps:
        lazy = node in branches
        values = [read(env, v) for v in (node.inputs[:1] if lazy else node.inputs)]
        if lazy:
            def run(vals: list[Any], node: Apply = node) -> list[Any]:
                return _run_branch(node, vals[0], branches[node], env, trace, mode, fgraph, index)
        elif perform is not None:
            def run(vals: list[Any], perform: Callable[..., Any] = perform, node: Apply = node) -> list[Any]:
                try:
                    return [perform(*vals)]
                except Exception as error:
                    error.add_note(f"while evaluating {node}")
                    raise
        else:
            def run(vals: list[Any], node: Apply = node) -> list[Any]:
                return run_node(node, vals)
        fn = NodeThunk(node, values, run)
        mode.eval(fgraph, index.get(node, -1), node, fn)
        results = [cell[0] for cell in fn.outputs]
        for variable, value in zip(node.outputs, results, strict=True):
            env[variable] = value
        if trace is not None:
            trace(node, [cell[0] for cell in fn.inputs], results)
    return [read(env, variable) for variable in outputs]


def _run_branch(node: Apply, condition: Any, branches: tuple[Schedule, Schedule], env: dict[Variable, Any],
                trace: TraceHook | None, mode: MonitorMode, fgraph: Any, index: dict[Apply, int]) -> list[Any]:
    """The chosen branch of a lazy node, each of its nodes monitored (GRAPH-EVAL-5, FN-MODE-2)."""
    n = node.op.n_outs
    taken = 0 if condition else 1  # OP-IFELSE-2
    chosen = node.inputs[1 + n * taken: 1 + n * (taken + 1)]
    return evaluate_monitored(chosen, env, trace, branches[taken], mode=mode, fgraph=fgraph, index=index)


def detect_nan(fgraph: Any, i: int, node: Apply, fn: NodeThunk) -> None:
    """A ``post_func`` for MonitorMode (FN-MODE-2): when an output of the node holds a NaN,
    print ``*** NaN detected ***``, the node's debugprint, and its input and output values."""
    from reference.printing import debugprint

    for output in fn.outputs:
        if not isinstance(output[0], np.random.Generator) and np.isnan(output[0]).any():
            print("*** NaN detected ***")
            debugprint(node)
            print(f"Inputs : {[cell[0] for cell in fn.inputs]}")
            print(f"Outputs: {[cell[0] for cell in fn.outputs]}")
            break
