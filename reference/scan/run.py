"""The loop semantics.  Spec: spec/3-scan.rst (SCAN-STEPS-*, SCAN-TAPS-*, SCAN-UNTIL-*, ...).

Conventions: ``t`` is the step; ``k`` a tap; ``windows[i][j]`` the rows sequence ``i``
offers at its ``j``-th tap, one per step; ``history[r]`` the last rows of recurrent output
``r`` (its initial rows first), so that the row ``k`` steps back is ``history[r][k]``;
``traces[o]`` the rows output ``o`` returns; ``inner`` maps each placeholder (``x[t]``,
``h[t-1]``, ``W``) to its value at this step.

The per-step functions (``bind_inner``, ``store_step``) read what does not change from
step to step from lists gathered once per run (``step_sources``, ``output_sinks``), pair
lists whose lengths are equal by construction without ``strict=True``, and skip the loops
over recurrent outputs and shared states when there are none: they run once per step, and
in CPython 3.11 making a ``zip`` costs several times what ``enumerate`` does, twice that
with a keyword argument.
"""
# ruff: noqa: B905

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from reference.errors import SpecIndexError, SpecValueError
from reference.evaluate import Schedule, TraceHook, evaluate_graph
from reference.graph.basic import Apply, Variable
from reference.scan.spec import MappedOutput, RecurrentOutput, ScanSpec
from reference.trace import start_trace


class NegativeStepsError(SpecValueError, IndexError):
    """``n_steps`` is negative at run time (SCAN-STEPS-4)."""


@dataclass
class ScanInputs:
    """The outer values of one loop, by role."""

    n_steps: int | None
    sequences: list[np.ndarray]
    initials: list[np.ndarray]
    shared: list[Any]
    non_sequences: list[Any]


def split_outer(spec: ScanSpec, values: Sequence[Any]) -> ScanInputs:
    """Cut the outer input values into their roles (the order of ``ScanOp`` inputs)."""
    values = list(values)
    n_steps = int(values.pop(0)) if spec.n_steps_given else None
    n_seq, n_rec, n_sh = len(spec.sequences), len(spec.recurrent), len(spec.shared_states)
    return ScanInputs(
        n_steps=n_steps,
        sequences=values[:n_seq],
        initials=values[n_seq:n_seq + n_rec],
        shared=values[n_seq + n_rec:n_seq + n_rec + n_sh],
        non_sequences=values[n_seq + n_rec + n_sh:],
    )


def available_steps(length: int, lowest: int, highest: int) -> int:
    """Steps a sequence of ``length`` rows provides with taps spanning [lowest, highest]
    (tap 0 always included): ``max(0, length - (highest - lowest))`` (SCAN-TAPS-2)."""
    return max(0, length - (highest - lowest))


def trip_count(spec: ScanSpec, outer: ScanInputs) -> int:
    """The number of steps to run (SCAN-STEPS-1 .. SCAN-STEPS-4).

    Without ``n_steps``, the shortest sequence decides.  A given ``n_steps`` must be
    non-negative and no larger than what every sequence provides.
    """
    provided = [
        available_steps(len(value), seq.lowest, seq.highest)
        for seq, value in zip(spec.sequences, outer.sequences)
    ]
    if outer.n_steps is None:
        return min(provided)  # SCAN-STEPS-1
    if outer.n_steps < 0:
        raise NegativeStepsError("SCAN-STEPS-4", f"scan {spec.name!r}: n_steps is {outer.n_steps}; it must be >= 0")
    for i, (seq, steps) in enumerate(zip(spec.sequences, provided)):
        if steps < outer.n_steps:  # SCAN-STEPS-3
            raise SpecValueError(
                "SCAN-STEPS-3",
                f"scan {spec.name!r}: sequences[{i}] ({seq.name}) has {len(outer.sequences[i])} "
                f"rows, which with taps {list(seq.taps)} give {steps} steps, but n_steps is "
                f"{outer.n_steps}",
            )
    return outer.n_steps


def sequence_windows(spec: ScanSpec, outer: ScanInputs, n_steps: int) -> list[list[np.ndarray]]:
    """For each sequence and tap ``k``, the rows read at steps 0..n_steps-1 (SCAN-TAPS-1,
    SCAN-BACK-1): ``seq[k - lowest :]`` cut to the available length, reversed when going
    backwards, then cut to ``n_steps``."""
    windows = []
    for seq, value in zip(spec.sequences, outer.sequences):
        steps = available_steps(len(value), seq.lowest, seq.highest)
        per_tap = []
        for k in seq.taps:
            window = value[k - seq.lowest: k - seq.lowest + steps]
            if spec.go_backwards:
                window = window[::-1]  # SCAN-BACK-1
            per_tap.append(window[:n_steps])
        windows.append(per_tap)
    return windows


def init_history(spec: ScanSpec, outer: ScanInputs) -> list[deque]:
    """The rows each recurrent output starts from (SCAN-INIT-1, SCAN-INIT-2).

    One tap ``[-1]``: the initial value is the row.  Several taps: the first ``depth``
    rows of the initial value, row ``j`` standing for step ``j - depth``; a shorter
    initial value raises.
    """
    history = []
    for out, initial in zip(spec.recurrent, outer.initials):
        if not out.multiple_taps:
            rows = [initial]
        else:
            if len(initial) < out.depth:
                raise SpecValueError(
                    "SCAN-INIT-2",
                    f"scan {spec.name!r}: the initial state of {out.name} has {len(initial)} "
                    f"rows but taps {list(out.taps)} need {out.depth}",
                )
            rows = list(initial[:out.depth])
        history.append(deque(rows, maxlen=out.depth))
    return history


@dataclass(slots=True)
class StepSources:
    """What ``bind_inner`` reads alike at every step of one run, gathered once: the values
    every step binds (the inner graph's constants and the non-sequences), and each
    sequence tap's placeholder with its window (SCAN-TAPS-1)."""

    fixed: dict[Variable, Any]
    rows: list[tuple[Variable, np.ndarray]]


def step_sources(spec: ScanSpec, outer: ScanInputs, windows: list[list[np.ndarray]],
                 constants: dict[Variable, Any] | None = None) -> StepSources:
    """The :class:`StepSources` of a run."""
    fixed: dict[Variable, Any] = dict(constants) if constants else {}
    for i, placeholder in enumerate(spec.non_sequences):
        fixed[placeholder] = outer.non_sequences[i]
    rows = [(placeholder, windows[i][j])
            for i, seq in enumerate(spec.sequences) for j, placeholder in enumerate(seq.inner)]
    return StepSources(fixed, rows)


def bind_inner(spec: ScanSpec, outer: ScanInputs, windows: list[list[np.ndarray]],
               history: list[deque], state: list[Any], t: int,
               constants: dict[Variable, Any] | None = None,
               sources: StepSources | None = None) -> dict[Variable, Any]:
    """The values of the step's inputs at step ``t`` (SCAN-TAPS-1, SCAN-TAPS-3, SCAN-UPD-1).

    ``constants`` are the inner graph's constants; ``sources`` the run's
    :func:`step_sources`, made here when not given.  Each step gets a dict of its own, so
    that in a debugger it holds only what that step has bound and computed.
    """
    if sources is None:
        sources = step_sources(spec, outer, windows, constants)
    inner = dict(sources.fixed)
    for placeholder, window in sources.rows:
        inner[placeholder] = window[t, ...]  # SCAN-TAPS-1: row t; a 0-d view for a vector, as PyTensor
    if history:
        for out, rows in zip(spec.recurrent, history):
            for j, placeholder in enumerate(out.inner):
                inner[placeholder] = rows[out.taps[j]]  # SCAN-TAPS-3: rows ends with step t-1
    if state:
        for shared, value in zip(spec.shared_states, state):
            inner[shared.inner] = value
    return inner


def check_row(spec: ScanSpec, name: str, value: np.ndarray, expected: tuple[int, ...], t: int) -> None:
    """A step's output row keeps the row shape of its output (SCAN-OUT-2)."""
    if value.shape != expected:
        raise SpecValueError(
            "SCAN-OUT-2",
            f"scan {spec.name!r}: at step {t}, output {name} has shape {value.shape} but its "
            f"rows have shape {expected} (fixed by the initial state, or by step 0); scan does "
            "not broadcast step results",
        )


def output_sinks(spec: ScanSpec, history: list[deque], traces: list[Any]) -> list[tuple[int, str, Any, deque | None]]:
    """Where ``store_step`` puts each output's row, gathered once per run: the output's
    index and name, its trace, and its history if it is recurrent (SCAN-OUT-1)."""
    histories = iter(history)  # one per recurrent output, in output order
    return [(o, out.name, traces[o], next(histories) if isinstance(out, RecurrentOutput) else None)
            for o, out in enumerate(spec.outputs)]


def store_step(spec: ScanSpec, step: list[Any], history: list[deque], traces: list[Any],
               state: list[Any], row_shapes: list[tuple | None], t: int,
               sinks: list[tuple[int, str, Any, deque | None]] | None = None) -> None:
    """Append the step's outputs to the traces and histories and replace the shared
    states, all at once (SCAN-OUT-1, SCAN-UPD-2).  ``sinks`` are the run's
    :func:`output_sinks`, made here when not given."""
    if sinks is None:
        sinks = output_sinks(spec, history, traces)
    for o, name, trace, rows in sinks:
        value = step[o]
        if row_shapes[o] is None:
            row_shapes[o] = value.shape
        check_row(spec, name, value, row_shapes[o], t)
        trace.append(value)
        if rows is not None:
            rows.append(value)
    if state:
        n_out = len(spec.outputs)
        for i, (shared, value) in enumerate(zip(spec.shared_states, step[n_out:])):
            if isinstance(value, np.ndarray) and value.shape != np.shape(state[i]):
                raise SpecValueError(
                    "SCAN-UPD-2",
                    f"scan {spec.name!r}: at step {t}, the update of {shared.variable} has shape "
                    f"{value.shape} but the variable has shape {np.shape(state[i])}",
                )
            state[i] = value


def stop_requested(spec: ScanSpec, step: list[Any]) -> bool:
    """True if the step's ``until`` condition is nonzero (SCAN-UNTIL-1)."""
    return spec.condition is not None and bool(step[-1])


def collect_outputs(spec: ScanSpec, traces: list[Any], state: list[Any],
                    row_shapes: list[tuple | None]) -> list[Any]:
    """Stack each trace; an empty trace has shape ``(0, *row_shape)`` (SCAN-OUT-1,
    SCAN-OUT-3); shared states give their final values (SCAN-UPD-3)."""
    results = []
    for out, trace, row_shape in zip(spec.outputs, traces, row_shapes, strict=True):
        if not trace:
            results.append(np.empty((0, *row_shape), dtype=out.step.type.dtype))
        elif row_shape == ():  # the array np.stack makes of 0-d rows, made without a view of each
            results.append(np.array(list(trace)))
        else:
            results.append(np.stack(list(trace)))
    return results + list(state)


def first_row_shapes(spec: ScanSpec, outer: ScanInputs, node: Apply | None) -> list[tuple | None]:
    """Row shapes known before the loop: recurrent outputs take their initial state's
    row shape; mapped outputs are fixed by step 0 (``None`` until then)."""
    shapes: list[tuple | None] = []
    recurrent = iter(zip(spec.recurrent, outer.initials, strict=True))
    for out in spec.outputs:
        if isinstance(out, MappedOutput):
            shapes.append(None)
        else:
            rec, initial = next(recurrent)
            shapes.append(initial.shape[1:] if rec.multiple_taps else initial.shape)
    return shapes


def run_scan(spec: ScanSpec, values: Sequence[Any], *, order: Sequence[Apply] | Schedule,
             keep: Sequence[int | None], trace: TraceHook | None = None,
             constants: dict[Variable, Any] | None = None) -> list[Any]:
    """Run the loop on the outer ``values`` (spec chapter 3, in order).

    ``keep[o]`` (from the storage plan) bounds how many final rows of output ``o`` are
    kept; it changes what is stored, never what is computed.
    """
    outer = split_outer(spec, values)
    n_steps = trip_count(spec, outer)                        # SCAN-STEPS-*
    windows = sequence_windows(spec, outer, n_steps)         # SCAN-TAPS-1, SCAN-BACK-1
    history = init_history(spec, outer)                      # SCAN-INIT-*
    state = list(outer.shared)                               # SCAN-UPD-1
    traces = [deque(maxlen=k) if k is not None else [] for k in keep]
    row_shapes = first_row_shapes(spec, outer, None)
    step_outputs = spec.inner_outputs
    sources, sinks = step_sources(spec, outer, windows, constants), output_sinks(spec, history, traces)
    run = start_trace(spec, n_steps)                         # ORACLE-TRACE-3: None unless tracing
    for t in range(n_steps):
        inner = bind_inner(spec, outer, windows, history, state, t, sources=sources)
        hook = trace if run is None else run.step(t, inner, trace)
        try:
            step = evaluate_graph(step_outputs, inner, trace=hook, order=order)
        except Exception as error:
            error.add_note(f"in step t={t} of scan {spec.name!r}")
            raise
        store_step(spec, step, history, traces, state, row_shapes, t, sinks)
        if stop_requested(spec, step):                       # SCAN-UNTIL-1: step t is kept
            # SCAN-UNTIL-2: traces and shared states end at step t
            break
    if n_steps == 0 or None in row_shapes:
        from reference.scan.shapes import infer_row_shapes

        row_shapes = infer_row_shapes(spec, outer, row_shapes)
    return collect_outputs(spec, traces, state, row_shapes)


__all__ = ["NegativeStepsError", "SpecIndexError", "run_scan"]
