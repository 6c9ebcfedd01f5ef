"""Which path runs a scan, and running it.  Spec: spec/5-kernel.rst (KERN-MODE-*, KERN-FALL-*).

``ScanOp.perform`` calls :func:`perform` for every mode but ``"python"``:

* ``None`` (the default): the kernel if the step lowers for this call's signature, else
  the Python path; the choice is made per scan and per signature, never per step;
* ``"c"``: the kernel, or :class:`KernelUnavailable` naming what could not be lowered;
* ``"check"``: both paths, compared at every step; :class:`KernelMismatch` names the first
  differing step and output (PyTensor's DebugMode, for loops).

The decision and its reason are kept on the op (``op.kernel_decisions``) for
:func:`reference.explain`.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np

from reference import _cloop
from reference._cloop import lower, runtime, selfcheck, validate
from reference._cloop.tape import Unsupported
from reference.errors import SpecError

MODES = (None, "python", "c", "check")


class KernelUnavailable(SpecError, RuntimeError):
    """``mode="c"`` and the scan cannot run on the kernel (KERN-MODE-2)."""


class KernelMismatch(SpecError, AssertionError):
    """``mode="check"``: the kernel and the Python path differ (KERN-MODE-4)."""


@dataclass
class Decision:
    """What ran a scan for one signature: ``path`` is ``"c"`` or ``"python"``."""

    path: str
    reason: str
    program: Any = None


def normalize_mode(mode: Any) -> str | None:
    """A function's mode for its loops: None (auto), "python", "c" or "check".  PyTensor's
    mode names and Mode objects map onto these by FN-ARGS-2; an unknown mode is a
    SpecValueError naming ``mode``."""
    if mode is None or (isinstance(mode, str) and mode in MODES):
        return mode
    from reference.compile.mode import reference_mode

    return reference_mode(mode)


def _cache(op: Any) -> dict:
    cache = op.__dict__.get("_kernel_cache")
    if cache is None:
        cache = op.__dict__["_kernel_cache"] = {}
    return cache


def compiled_programs(op: Any) -> list:
    """The programs compiled for ``op`` so far (one per signature, and blocked forms)."""
    found = [v for v in _cache(op).values() if isinstance(v, runtime.Compiled)]
    return found + [b for v in found for b in v.blocked.values() if b is not None]


def decisions(op: Any) -> dict:
    found = op.__dict__.get("kernel_decisions")
    if found is None:
        found = op.__dict__["kernel_decisions"] = {}
    return found


#: numpy error-state actions the kernel cannot reproduce (it never raises or calls a handler)
_RAISING_ERRORS = frozenset({"raise", "call"})
_NO_CLOOP_KEY = os.environ.encodekey("REFERENCE_NO_CLOOP") if hasattr(os.environ, "encodekey") else None
_ONE = os.environ.encodevalue("1") if hasattr(os.environ, "encodevalue") else None


def kernel_forbidden_by_environment() -> bool:
    """``REFERENCE_NO_CLOOP=1`` is set, read at every call (it may change at run time)."""
    # os.environ.get encodes the key at every lookup (~0.5 us, a fortieth of a call's fixed
    # cost); the encoded mapping behind it is read directly where CPython has one
    data = getattr(os.environ, "_data", None)
    if data is None:
        return os.environ.get("REFERENCE_NO_CLOOP") == "1"
    return data.get(_NO_CLOOP_KEY) == _ONE


try:  # numpy >= 2 keeps the error state in a context variable: a new object for every change
    from numpy._core._multiarray_umath import _extobj_contextvar as _ERRSTATE
except ImportError:  # pragma: no cover - numpy 1.x
    _ERRSTATE = None
_errstate_seen: list = [None, False]  # (the last error-state object, whether it raises)


def numpy_errors_raise() -> bool:
    """numpy's error state (np.seterr, np.errstate) raises or calls a handler on a
    floating-point error, which the kernel cannot do (KERN-FALL-1)."""
    if _ERRSTATE is None:
        return not _RAISING_ERRORS.isdisjoint(np.geterr().values())
    state = _ERRSTATE.get()
    if state is not _errstate_seen[0]:  # np.geterr() builds a dict (~0.5 us): once per state
        _errstate_seen[:] = [state, not _RAISING_ERRORS.isdisjoint(np.geterr().values())]
    return _errstate_seen[1]


def compiled_for(op: Any, prep: Any) -> Any:
    """The compiled program of ``op`` for this call's signature (cached), or raise
    Unsupported (KERN-FALL-1)."""
    if kernel_forbidden_by_environment():
        raise Unsupported("REFERENCE_NO_CLOOP=1 is set")
    if not _cloop.HAVE_CLOOP:
        raise Unsupported(f"the C kernel is not built ({_cloop.CLOOP_IMPORT_ERROR})")
    if numpy_errors_raise():
        raise Unsupported("numpy's error state raises on floating-point errors (np.seterr); "
                          "the kernel does not report them")
    selfcheck.results()  # the import-time self-check, once per process (KERN-EXACT-3)
    key = lower.signature(op.spec, prep.outer, op.keep)
    cache = _cache(op)
    if len(cache) > 64:  # many signatures (dtypes, shapes): keep memory bounded
        cache.clear()
    hit = cache.get(key)
    if isinstance(hit, Unsupported):
        raise hit
    if hit is None:
        try:
            program = lower.lower(op.spec, op.order, prep.outer, tuple(op.keep))
            try:
                hit = runtime.Compiled(program)
            except validate.InvalidProgram as error:  # a lowering bug: never run it
                raise Unsupported(f"internal error, the lowered program is invalid: {error}") from None
            hit.prepare(op.spec)
            hit.decision = Decision("c", "the step lowers to the kernel", program)
        except Unsupported as error:
            if not getattr(error, "value_dependent", False):
                cache[key] = error
            raise
        cache[key] = hit
    return hit


_FORCED: ContextVar[str | None] = ContextVar("reference_scan_mode", default=None)


def assign_modes(outputs: list, mode: Any) -> list:
    """Rebuild the outer graph's loops with the function's mode (KERN-MODE-1); with the
    default mode, a loop keeps the ``mode=`` given to ``scan`` if it names one of ours."""
    from reference.graph.traversal import clone_replace, toposort
    from reference.scan.op import ScanOp

    mode = normalize_mode(mode)
    replace = {}
    for node in toposort(outputs):
        if not isinstance(node.op, ScanOp):
            continue
        wanted = mode if mode is not None else (node.op.spec.mode if node.op.spec.mode in MODES else None)
        if wanted != node.op.mode:
            rebuilt = node.op.with_mode(wanted).make_node(*node.inputs)
            replace.update(zip(node.outputs, rebuilt.outputs, strict=True))
    return clone_replace(outputs, replace) if replace else outputs


def blocked_for(op: Any, prep: Any, compiled: Any) -> Any:
    """The blocked program of a map (KERN-BIND-3), or None when the loop is not a map, its
    step is not elementwise, or it is too short to gain from blocks.  Built once per
    compiled program (the same signature), and remembered on it."""
    if not lower.blockable(op.spec):
        return None
    block = runtime.block_rows(compiled)
    if block < 2 or prep.n_steps < 2 * block:
        return None
    if block not in compiled.blocked:
        try:
            program = lower.lower(op.spec, op.order, prep.outer, tuple(op.keep), block)
            blocked = runtime.Compiled(program)
            blocked.prepare(op.spec)
            blocked.decision = Decision(
                "c", f"the step lowers to the kernel; a map: {block} loop steps per kernel step", program)
        except (Unsupported, validate.InvalidProgram):
            blocked = None
        compiled.blocked[block] = blocked
    return compiled.blocked[block]


def run_kernel(op: Any, prep: Any, compiled: Any) -> list:
    """The loop on the kernel: in blocks if it is a map that allows it, else step by step."""
    blocked = blocked_for(op, prep, compiled)
    if blocked is not None:
        results = runtime.run_blocked(blocked, compiled, op.spec, prep)
        decisions(op)["last"] = blocked.decision
        return results
    results = runtime.run_compiled(compiled, op.spec, prep)
    decisions(op)["last"] = compiled.decision
    return results


def perform(op: Any, values: Any) -> list:
    """Run ``op`` (a ScanOp) on ``values`` in ``op.mode`` (KERN-MODE-1 .. KERN-MODE-4).

    A loop running on the Python path runs the loops in its step on the Python path too
    (``mode="python"`` never uses the kernel: KERN-MODE-3)."""
    forced = _FORCED.get()
    mode = op.mode if forced is None else forced
    if mode == "python":
        decisions(op)["last"] = Decision("python", "mode='python'" if op.mode == "python"
                                         else "the loop around it runs on the Python path")
        return _python(op, values)
    if mode == "check":
        return check(op, values)
    blockers = op.__dict__.get("_kernel_blockers")
    if blockers is None:
        from reference.explain import static_blockers

        blockers = op.__dict__["_kernel_blockers"] = static_blockers(op.spec)
    if blockers:  # KERN-FALL-1: ops no call could lower, whatever its shapes
        reason = f"the step has ops without a kernel lowering: {', '.join(blockers)}"
        decisions(op)["last"] = Decision("python", reason)
        if mode == "c":
            try:
                runtime.prologue(op.spec, values)
            except Exception:  # noqa: BLE001 - the prologue's errors are the Python path's
                return _python(op, values)
            raise KernelUnavailable("KERN-MODE-2", f"scan {op.spec.name!r} cannot run on the C kernel: {reason}")
        return _python(op, values)
    try:
        prep = runtime.prologue(op.spec, values)
    except Exception:  # noqa: BLE001 - let the Python path raise it, exactly (KERN-FALL-2)
        return _python(op, values)
    try:
        if _tracing():
            raise Unsupported("a trace is being recorded (reference.trace): the Python path records it")
        compiled = compiled_for(op, prep)
    except Unsupported as error:
        decisions(op)["last"] = Decision("python", str(error))
        if mode == "c":
            raise KernelUnavailable(
                "KERN-MODE-2", f"scan {op.spec.name!r} cannot run on the C kernel: {error}") from None
        return _python(op, values)
    try:
        results = run_kernel(op, prep, compiled)
    except Unsupported as error:  # this call's values defeat the program (KERN-FALL-1)
        decisions(op)["last"] = Decision("python", str(error))
        if mode == "c":
            raise KernelUnavailable(
                "KERN-MODE-2", f"scan {op.spec.name!r} cannot run on the C kernel: {error}") from None
        return _python(op, values)
    return results


def _python(op: Any, values: Any) -> list:
    token = _FORCED.set("python")
    try:
        return op.run_python(values)
    finally:
        _FORCED.reset(token)


def _tracing() -> bool:
    global _active_tracer
    if _active_tracer is None:
        try:
            from reference.trace import active_tracer
        except ImportError:
            return False
        _active_tracer = active_tracer
    return _active_tracer() is not None


_active_tracer: Any = None


# -- check mode ----------------------------------------------------------------------------
def python_steps(op: Any, values: Any) -> tuple[list[list], list]:
    """The Python path's value of every output (and shared state) at every step, with
    run.py's functions in run_scan's order."""
    from reference.evaluate import evaluate_graph
    from reference.scan import run

    spec = op.spec
    outer = run.split_outer(spec, values)
    n_steps = run.trip_count(spec, outer)
    windows = run.sequence_windows(spec, outer, n_steps)
    history = run.init_history(spec, outer)
    state = list(outer.shared)
    traces: list[list] = [[] for _ in spec.outputs]
    row_shapes = run.first_row_shapes(spec, outer, None)
    sources = run.step_sources(spec, outer, windows, op.constants)
    sinks = run.output_sinks(spec, history, traces)
    steps: list[list] = []
    for t in range(n_steps):
        inner = run.bind_inner(spec, outer, windows, history, state, t, sources=sources)
        step = evaluate_graph(spec.inner_outputs, inner, order=op.schedule)
        run.store_step(spec, step, history, traces, state, row_shapes, t, sinks)
        steps.append(list(step[:len(spec.outputs) + len(spec.shared_states)]))
        if run.stop_requested(spec, step):
            break
    return steps, state


def same_bits(a: Any, b: Any) -> bool:
    """Equal dtype, shape and bits; NaNs compared as a class (KERN-EXACT-1)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.tobytes() == b.tobytes():
        return True
    if a.dtype.kind in "fc":
        nan_a, nan_b = np.isnan(a), np.isnan(b)
        if not np.array_equal(nan_a, nan_b):
            return False
        a, b = np.where(nan_a, 0, a), np.where(nan_b, 0, b)
        width = {2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize]
        return bool(np.array_equal(np.ascontiguousarray(a).view(width), np.ascontiguousarray(b).view(width)))
    return bool(np.array_equal(a, b))


def check(op: Any, values: Any) -> list:
    """Run both paths; raise KernelMismatch at the first step and output that differ
    (KERN-MODE-4).  Returns the Python path's results."""
    spec = op.spec
    expected = _python(op, values)
    full = op.__dict__.get("_check_full")
    if full is None:  # the same loop keeping every row, to compare every step
        full = op.__dict__["_check_full"] = op.with_keep((None,) * len(spec.outputs)).with_mode(None)
    try:
        prep = runtime.prologue(spec, values)
        compiled = compiled_for(full, prep)
    except Unsupported as error:
        decisions(op)["last"] = Decision("python", f"check mode: not compared ({error})")
        return expected
    got = run_kernel(full, prep, compiled)
    steps, _ = python_steps(op, values)
    names = [o.name for o in spec.outputs]
    n_out = len(spec.outputs)
    n_c = got[0].shape[0] if n_out else None
    for t, step in enumerate(steps):
        for o in range(n_out):
            if n_c is not None and t >= n_c:
                raise KernelMismatch("KERN-MODE-4", f"scan {spec.name!r}: the C path stopped after {n_c} "
                                     f"steps, the Python path ran step {t}")
            if not same_bits(got[o][t], step[o]):
                raise KernelMismatch(
                    "KERN-MODE-4",
                    f"scan {spec.name!r}: step {t}, output {o} ({names[o]}) differs: C path "
                    f"{got[o][t]!r}, Python path {step[o]!r}")
    if n_c is not None and n_c != len(steps):
        raise KernelMismatch("KERN-MODE-4", f"scan {spec.name!r}: the C path ran {n_c} steps, the "
                             f"Python path {len(steps)}")
    for i, state in enumerate(spec.shared_states):
        if not same_bits(got[n_out + i], expected[n_out + i]):
            raise KernelMismatch("KERN-MODE-4", f"scan {spec.name!r}: the final value of shared "
                                 f"variable {state.variable} differs")
    if any(k is not None for k in op.keep):  # and the loop as planned: its kept rows only
        _check_kept_rows(op, values, expected)
    decisions(op)["last"] = Decision("check", "both paths ran and agree at every step", compiled.program)
    return expected


def _check_kept_rows(op: Any, values: Any, expected: list) -> None:
    """KERN-MODE-4: the kernel running the loop's own program (the storage plan's ring
    sizes, SCAN-MEM-1) returns the Python path's kept rows and final shared values."""
    spec = op.spec
    try:
        prep = runtime.prologue(spec, values)
        compiled = compiled_for(op, prep)
    except Unsupported:
        return
    got = run_kernel(op, prep, compiled)
    names = [o.name for o in spec.outputs] + [str(s.variable) for s in spec.shared_states]
    for i, (a, b) in enumerate(zip(got, expected, strict=True)):
        if np.shape(a) != np.shape(b) or not same_bits(np.asarray(a), np.asarray(b)):
            raise KernelMismatch("KERN-MODE-4", f"scan {spec.name!r}: {names[i]} as the storage plan keeps it "
                                 f"differs: C path {a!r}, Python path {b!r}")
