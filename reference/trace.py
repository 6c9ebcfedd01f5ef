"""Per-iteration traces: every value an evaluation computes, every loop variable at every
step.  Spec: spec/6-oracle.rst (ORACLE-TRACE-*).

Use it through the evaluator or a compiled function::

    values, trace = reference.evaluate(outputs, inputs, trace=True)
    outputs, trace = f(*args, trace=True)
    trace["h"]                      # a value of the outer graph, by name (or by variable)
    run = trace.scan("scan_fn")     # the first run of the loop named scan_fn
    run[37]["h[t-1]"]               # the value bound to h[t-1] at step 37
    run.column("h[t]")              # the value of h computed at each step
    print(run.table())              # one row per step

``on_step=callable`` calls ``callable(scan_name, t, node, inputs, outputs)`` after every
node of every step, so ``if t == 37: breakpoint()`` stops inside step 37.

How it works: :func:`tracing` puts a :class:`Tracer` in a context variable.  The loop
(``reference.scan.run.run_scan``) asks :func:`start_trace` once per run; with no active
tracer that returns ``None`` and each step pays one ``is None`` test, so tracing costs
nothing when it is off.  A run found while another loop is at step ``t`` (a loop in a
loop's step) records that path.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

import numpy as np

from reference.graph.basic import Apply, Constant, Variable

#: ``on_step(scan_name, t, node, input values, output values)``, after each node of a step.
StepHook = Callable[[str, int, Apply, list[Any], list[Any]], None]

_ACTIVE: ContextVar[Tracer | None] = ContextVar("reference_tracer", default=None)


def active_tracer() -> Tracer | None:
    """The tracer collecting values in this context, or None."""
    return _ACTIVE.get()


@contextlib.contextmanager
def tracing(tracer: Tracer | None = None) -> Iterator[Tracer]:
    """Collect every loop run in the block into ``tracer`` (a new one by default)."""
    tracer = tracer if tracer is not None else Tracer()
    token = _ACTIVE.set(tracer)
    try:
        yield tracer
    finally:
        _ACTIVE.reset(token)


def start_trace(spec: Any, n_steps: int) -> ScanRun | None:
    """Called by ``run_scan`` once per run: the recorder of this run, or None when no
    tracer is active (ORACLE-TRACE-3)."""
    tracer = _ACTIVE.get()
    if tracer is None:
        return None
    return tracer.start_run(spec, n_steps)


# -- names ---------------------------------------------------------------------------------
def base_name(variable: Variable) -> str:
    """A readable name: the variable's own name, else ``Op`` (``Op.i`` for the i-th output
    of a node with several outputs), else its type in angle brackets (ORACLE-TRACE-1)."""
    if variable.name:
        return str(variable.name)
    if variable.owner is not None:
        op = str(variable.owner.op)
        return op if len(variable.owner.outputs) == 1 else f"{op}.{variable.index}"
    if isinstance(variable, Constant):
        return f"constant {variable}"
    return f"<{variable.type}>"


class _Namer:
    """Gives each variable a unique readable key: the base name, then ``name#2``, ``name#3``
    for later variables with the same base name (ORACLE-TRACE-1)."""

    def __init__(self) -> None:
        self.keys: dict[Variable, str] = {}
        self.taken: dict[str, int] = {}

    def __call__(self, variable: Variable, preferred: str | None = None) -> str:
        key = self.keys.get(variable)
        if key is not None:
            return key
        base = preferred or base_name(variable)
        count = self.taken.get(base, 0) + 1
        self.taken[base] = count
        key = base if count == 1 else f"{base}#{count}"
        self.keys[variable] = key
        return key


def _summary(value: Any, width: int = 24) -> str:
    if isinstance(value, np.ndarray | np.generic):
        if value.ndim == 0:
            item = value.item()
            text = f"{item:.6g}" if isinstance(item, float) else repr(item)
        else:
            text = np.array2string(value, precision=5, threshold=6, edgeitems=2,
                                   separator=",", max_line_width=10**6)
            text = " ".join(text.split())
    elif isinstance(value, np.random.Generator):
        text = "Generator"
    else:
        text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


# -- one run of one loop -------------------------------------------------------------------
class ScanRun:
    """What one execution of a loop computed, step by step (ORACLE-TRACE-2).

    ``run[t]`` is a dict from readable names to the values of step ``t``: the inner
    inputs (``x[t]``, ``h[t-1]``, ``W``), every intermediate value, and the step's results
    under ``<output>[t]`` (``h[t]``), ``<shared>'`` (the new value of a shared state) and
    ``until``.  ``path`` is ``((outer_scan_name, t), ...)`` for a loop run inside the
    step of another loop, ``()`` at the top level.
    """

    def __init__(self, spec: Any, n_steps: int, path: tuple[tuple[str, int], ...],
                 on_step: StepHook | None, record: bool) -> None:
        self.spec = spec
        self.name: str = spec.name
        self.n_steps = n_steps
        self.path = path
        self.steps: list[dict[Variable, Any]] = []
        self.executed = 0
        self._on_step = on_step
        self._record = record
        self._keys: dict[Variable, str] | None = None

    # called by run_scan, once per step
    def step(self, t: int, inner: dict[Variable, Any], hook: Callable | None) -> Callable | None:
        """Record step ``t``, whose values ``inner`` will hold once the step has run (the
        evaluator extends that dict in place); return the per-node hook to use."""
        self.executed = t + 1
        if self._record:
            self.steps.append(inner)
        on_step = self._on_step
        if on_step is None:
            return hook
        name = self.name

        def per_node(node: Apply, inputs: list[Any], outputs: list[Any]) -> None:
            on_step(name, t, node, inputs, outputs)
            if hook is not None:
                hook(node, inputs, outputs)

        return per_node

    # -- reading ---------------------------------------------------------------------------
    def keys(self) -> dict[Variable, str]:
        """Variable -> readable key, for every variable a step binds or computes."""
        if self._keys is None:
            self._keys = self._make_keys()
        return self._keys

    def _make_keys(self) -> dict[Variable, str]:
        from reference.graph.traversal import toposort

        spec = self.spec
        namer = _Namer()
        for variable in spec.inner_inputs:
            namer(variable)
        for node in toposort(spec.inner_outputs):
            for variable in node.inputs:
                if not isinstance(variable, Constant):
                    namer(variable)
            for variable in node.outputs:
                namer(variable)
        keys = dict(namer.keys)
        self._aliases: dict[str, Variable] = {}
        for out in spec.outputs:
            self._aliases[f"{out.name}[t]"] = out.step
        for state in spec.shared_states:
            self._aliases[f"{state.variable}'"] = state.update
        if spec.condition is not None:
            self._aliases["until"] = spec.condition
        return keys

    def _lookup(self, key: str | Variable) -> Variable:
        if isinstance(key, Variable):
            return key
        keys = self.keys()
        if key in self._aliases:
            return self._aliases[key]
        for variable, name in keys.items():
            if name == key:
                return variable
        raise KeyError(f"scan {self.name!r} has no inner variable named {key!r}; "
                       f"names: {sorted(set(keys.values()) | set(self._aliases))}")

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, t: int) -> dict[str, Any]:
        """The values of step ``t`` by readable name (aliases included)."""
        env = self.steps[t]
        keys = self.keys()
        result = {name: env[v] for v, name in keys.items() if v in env}
        for alias, variable in self._aliases.items():
            if variable in env:
                result[alias] = env[variable]
        return result

    def value(self, t: int, key: str | Variable) -> Any:
        """The value of one inner variable at step ``t``."""
        return self.steps[t][self._lookup(key)]

    def column(self, key: str | Variable) -> Any:
        """The value of ``key`` at every recorded step: stacked into one array when the
        rows have one shape, else a list."""
        variable = self._lookup(key)
        values = [env[variable] for env in self.steps if variable in env]
        if values and all(isinstance(v, np.ndarray) for v in values) and \
                len({(v.shape, v.dtype) for v in values}) == 1:
            return np.stack(values)
        return values

    def columns(self, everything: bool = False) -> list[str]:
        """The table's columns: the step's inputs and results (``everything``: every
        intermediate value too)."""
        spec = self.spec
        keys = self.keys()
        names = [keys[v] for v in spec.inner_inputs]
        if everything:
            inputs = set(spec.inner_inputs)
            names += [name for v, name in keys.items() if v not in inputs and name not in names]
        names += list(self._aliases)
        return names

    def table(self, everything: bool = False, width: int = 16, max_steps: int = 200) -> str:
        """A text table, one row per step (ORACLE-TRACE-2)."""
        columns = self.columns(everything)
        where = "".join(f"{name}[t={t}]/" for name, t in self.path)
        head = (f"scan {where}{self.name!r}: {self.executed} step(s) executed"
                f" of {self.n_steps}")
        rows = [["t", *columns]]
        for t in range(min(len(self.steps), max_steps)):
            env = self.steps[t]
            row = [str(t)]
            for name in columns:
                variable = self._lookup(name)
                row.append(_summary(env[variable], width) if variable in env else "-")
            rows.append(row)
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = [head]
        for i, row in enumerate(rows):
            lines.append("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        if len(self.steps) > max_steps:
            lines.append(f"... {len(self.steps) - max_steps} more step(s)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        where = "".join(f"{name}[t={t}]/" for name, t in self.path)
        return f"<ScanRun {where}{self.name!r}: {self.executed} step(s)>"


# -- the collector -------------------------------------------------------------------------
class Tracer:
    """Collects the loop runs of one traced evaluation (or of a whole script)."""

    def __init__(self, on_step: StepHook | None = None, record: bool = True) -> None:
        self.on_step = on_step
        self.record = record
        self.runs: list[ScanRun] = []

    def start_run(self, spec: Any, n_steps: int) -> ScanRun:
        run = ScanRun(spec, n_steps, _enclosing_path(), self.on_step, self.record)
        self.runs.append(run)
        return run


def _enclosing_path() -> tuple[tuple[str, int], ...]:
    """The loops whose step is running now, outermost first: found as the frames of
    ``run_scan`` on the call stack (their locals ``run`` and ``t``)."""
    from reference.scan.run import run_scan

    code = run_scan.__code__
    path = []
    frame = sys._getframe(2)  # skip start_run and start_trace
    while frame is not None:
        if frame.f_code is code:
            run = frame.f_locals.get("run")
            t = frame.f_locals.get("t")
            if isinstance(run, ScanRun) and isinstance(t, int):
                path.append((run.name, t))
        frame = frame.f_back
    # the innermost frame is the run being started itself (its `run` is not yet bound)
    return tuple(reversed(path))


# -- the result ----------------------------------------------------------------------------
class Trace:
    """Everything one traced evaluation computed (ORACLE-TRACE-1).

    ``trace[key]`` is the value of an outer variable (``key``: the variable, or its
    readable name: the variable's name, else ``Op``/``Op.i``, made unique with ``#2``,
    ``#3``...).  ``trace.runs`` lists the loop runs in the order they started;
    :meth:`scan` finds one by name.
    """

    def __init__(self, values: dict[Variable, Any], order: list[Variable], runs: list[ScanRun]) -> None:
        self.variables = values
        namer = _Namer()
        for variable in order:
            namer(variable)
        self.names: dict[Variable, str] = namer.keys
        self.runs = runs

    @property
    def values(self) -> dict[str, Any]:
        return {self.names[v]: value for v, value in self.variables.items() if v in self.names}

    def __getitem__(self, key: str | Variable) -> Any:
        if isinstance(key, Variable):
            return self.variables[key]
        for variable, name in self.names.items():
            if name == key:
                return self.variables[variable]
        raise KeyError(f"no traced value named {key!r}; names: {sorted(self.names.values())}")

    def __contains__(self, key: object) -> bool:
        if isinstance(key, Variable):
            return key in self.variables
        return key in self.names.values()

    def keys(self) -> list[str]:
        return list(self.names.values())

    def scan(self, name: str | None = None, index: int = 0) -> ScanRun:
        """The ``index``-th run of the loop called ``name`` (any loop when None)."""
        runs = [r for r in self.runs if name is None or r.name == name]
        if not runs:
            raise KeyError(f"no run of a loop named {name!r}; runs: {self.runs}")
        return runs[index]

    def table(self, everything: bool = False) -> str:
        """The per-step table of every loop run."""
        return "\n\n".join(run.table(everything) for run in self.runs) or "no loop ran"

    def __repr__(self) -> str:
        return f"<Trace: {len(self.names)} value(s), {len(self.runs)} loop run(s)>"


class _OuterRecorder:
    """The per-node hook of the outer graph: records every node's inputs and outputs."""

    def __init__(self, hook: Callable | None) -> None:
        self.values: dict[Variable, Any] = {}
        self.order: list[Variable] = []
        self.hook = hook

    def __call__(self, node: Apply, inputs: list[Any], outputs: list[Any]) -> None:
        for variable, value in zip(node.inputs, inputs, strict=True):
            if variable not in self.values and not isinstance(variable, Constant):
                self.values[variable] = value
                self.order.append(variable)
        for variable, value in zip(node.outputs, outputs, strict=True):
            self.values[variable] = value
            self.order.append(variable)
        if self.hook is not None:
            self.hook(node, inputs, outputs)

    def finish(self, inputs: Mapping[Variable, Any] | Sequence[tuple[Variable, Any]],
               runs: list[ScanRun]) -> Trace:
        pairs = inputs.items() if isinstance(inputs, Mapping) else inputs
        values: dict[Variable, Any] = {}
        order: list[Variable] = []
        for variable, value in pairs:
            values[variable] = value
            order.append(variable)
        for variable in self.order:
            if variable not in values:
                values[variable] = self.values[variable]
                order.append(variable)
        return Trace(values, order, runs)


def evaluate_traced(outputs: Any, inputs: Mapping[Variable, Any] | None, *, hook: Callable | None,
                    on_step: StepHook | None, want_trace: bool) -> Any:
    """``reference.evaluate(..., trace=True)``: the values and a :class:`Trace`
    (ORACLE-TRACE-1).  ``on_step`` alone: the values, with the hook called."""
    from reference.evaluate import evaluate

    recorder = _OuterRecorder(hook)
    with tracing(Tracer(on_step=on_step, record=want_trace)) as tracer:
        values = evaluate(outputs, inputs, trace=recorder)
    if not want_trace:
        return values
    single = isinstance(outputs, Variable)
    out_list = [outputs] if single else list(outputs)
    given = dict(inputs or {})
    for variable, value in zip(out_list, [values] if single else values, strict=True):
        if variable not in recorder.values:  # an output that is an input, a constant or shared
            given.setdefault(variable, value)
    converted = {v: recorder.values.get(v, value) for v, value in given.items()}
    return values, recorder.finish(converted, tracer.runs)


def call_traced(function: Any, args: tuple, kwargs: dict, *, hook: Callable | None,
                on_step: StepHook | None, want_trace: bool) -> Any:
    """``f(*args, trace=True)``: the outputs and a :class:`Trace` (ORACLE-TRACE-1)."""
    recorder = _OuterRecorder(hook)
    with tracing(Tracer(on_step=on_step, record=want_trace)) as tracer:
        outputs = function(*args, trace=recorder, **kwargs)
    if not want_trace:
        return outputs
    bound = function.bind_arguments(args, kwargs)
    return outputs, recorder.finish(bound, tracer.runs)


def main(argv: list[str] | None = None) -> int:
    """``python -m reference trace FILE.py [args...]``: run the script with a tracer
    active, then print a per-step table of every loop run it evaluated (ORACLE-TRACE-3)."""
    import argparse
    import runpy
    import traceback

    parser = argparse.ArgumentParser(prog="python -m reference trace",
                                     description="Run a script and print a per-step table of "
                                                 "each loop it evaluates.")
    parser.add_argument("--all", action="store_true", help="every intermediate value, not only "
                                                            "the step's inputs and results")
    parser.add_argument("--max-steps", type=int, default=200, help="rows per table (default 200)")
    parser.add_argument("--width", type=int, default=16, help="characters per value (default 16)")
    parser.add_argument("script")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    saved = sys.argv
    sys.argv = [options.script, *options.args]
    status = 0
    try:
        with tracing() as tracer:
            try:
                runpy.run_path(options.script, run_name="__main__")
            except SystemExit as error:
                status = error.code if isinstance(error.code, int) else 0
            except Exception:  # noqa: BLE001 - show the loops up to the failure
                traceback.print_exc()
                status = 1
    finally:
        sys.argv = saved
    print()
    print(f"== {len(tracer.runs)} loop run(s) traced in {options.script}")
    for run in tracer.runs:
        print()
        print(run.table(everything=options.all, width=options.width, max_steps=options.max_steps))
    return status


__all__ = [
    "ScanRun", "StepHook", "Trace", "Tracer", "active_tracer", "call_traced", "evaluate_traced",
    "main", "start_trace", "tracing",
]
