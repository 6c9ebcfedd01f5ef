"""Generated scan programs, a naive model of scan, and a builder that runs a program with
``reference`` or with PyTensor (used by test_3_scan_properties.py and
test_3_scan_pytensor.py).

A program is a loop over float64 rows of one shape (``()`` or ``(2,)``).  Every step value
(each output, and the update of an optional shared variable) is ``bias + sum(c_i * arg_i)``
over all of ``fn``'s arguments, optionally through ``tanh``; ``until`` compares the sum of
one output's row with a threshold.  So the model can evaluate a step with numpy alone.

The naive model is written from scan-semantics.md section 0, with explicit index
arithmetic; it shares no code with ``reference.scan``.
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

COEFFICIENTS = (-1.0, -0.5, 0.0, 0.5, 1.0)
BIASES = (-1.0, 0.0, 0.5, 1.0)


@dataclass(frozen=True)
class Sequence:
    taps: tuple[int, ...]
    length: int


@dataclass(frozen=True)
class Expression:
    """``tanh?(bias + sum(coefficients[i] * args[i]))`` over rows of shape ``row``."""

    coefficients: tuple[float, ...]
    bias: float
    tanh: bool

    def numpy(self, args: list[np.ndarray], row: tuple[int, ...]) -> np.ndarray:
        acc: Any = np.full(row, self.bias)
        for c, a in zip(self.coefficients, args, strict=True):
            acc = acc + c * a
        return np.tanh(acc) if self.tanh else acc

    def symbolic(self, args: list[Any], lib: Any, row: tuple[int, ...]) -> Any:
        acc: Any = lib.pt.as_tensor_variable(np.full(row, self.bias))
        for c, a in zip(self.coefficients, args, strict=True):
            acc = acc + c * a
        return lib.pt.tanh(acc) if self.tanh else acc


@dataclass(frozen=True)
class Output:
    kind: str  # "mapped", "single" or "multi"
    taps: tuple[int, ...]  # () for mapped, (-1,) for single
    initial_rows: int  # rows of a multi-tap initial state (may be fewer than the depth)
    step: Expression

    @property
    def depth(self) -> int:
        return -min(self.taps) if self.taps else 0


@dataclass(frozen=True)
class Program:
    row: tuple[int, ...]
    sequences: tuple[Sequence, ...]
    outputs: tuple[Output, ...]
    n_non_sequences: int
    shared_update: Expression | None
    n_steps: int | None
    symbolic_n_steps: bool
    go_backwards: bool
    until: tuple[int, float] | None  # (output index, threshold)
    seed: int

    @property
    def n_args(self) -> int:
        return (sum(len(s.taps) for s in self.sequences) + sum(len(o.taps) for o in self.outputs)
                + self.n_non_sequences + (self.shared_update is not None))


@dataclass
class Values:
    sequences: list[np.ndarray]
    initials: list[np.ndarray | None]  # None for mapped outputs
    non_sequences: list[np.ndarray]
    shared: np.ndarray | None


def make_values(program: Program) -> Values:
    rng = np.random.default_rng(program.seed)
    row = program.row

    def draw(*shape: int) -> np.ndarray:
        return np.round(rng.normal(size=(*shape, *row)), 3)

    initials: list[np.ndarray | None] = []
    for out in program.outputs:
        if out.kind == "mapped":
            initials.append(None)
        elif out.kind == "single":
            initials.append(draw())
        else:
            initials.append(draw(out.initial_rows))
    return Values(
        sequences=[draw(s.length) for s in program.sequences],
        initials=initials,
        non_sequences=[draw() for _ in range(program.n_non_sequences)],
        shared=draw() if program.shared_update is not None else None,
    )


def provided_steps(seq: Sequence) -> int:
    """The steps a sequence provides (tap 0 always counts)."""
    lowest, highest = min(min(seq.taps), 0), max(max(seq.taps), 0)
    return max(0, seq.length - (highest - lowest))


# -- strategies -------------------------------------------------------------------------------


@st.composite
def programs(draw: Any, *, allow_errors: bool = True, max_length: int = 8) -> Program:
    """Scan programs; shrinks towards one mapped output over no sequence.

    With ``allow_errors``, ``n_steps`` may exceed what a sequence provides or be negative,
    and a multi-tap initial state may be one row short; otherwise every program runs.
    """
    row = draw(st.sampled_from([(), (2,)]))
    sequences = tuple(
        Sequence(taps=tuple(draw(st.lists(st.integers(-3, 3), min_size=1, max_size=3))),
                 length=draw(st.integers(0, max_length)))
        for _ in range(draw(st.integers(0, 3)))
    )
    kinds = draw(st.lists(st.sampled_from(["mapped", "single", "multi"]), min_size=1, max_size=3))
    raw_outputs = []
    for kind in kinds:
        if kind == "mapped":
            taps: tuple[int, ...] = ()
        elif kind == "single":
            taps = (-1,)
        else:
            taps = tuple(draw(st.lists(st.integers(-4, -1), min_size=1, max_size=3, unique=True)))
            if taps == (-1,):
                kind = "single"
        depth = -min(taps) if taps else 0
        if kind == "multi":
            short = allow_errors and draw(st.integers(0, 19)) == 0
            rows = depth - 1 if short else depth + draw(st.integers(0, 2))
        else:
            rows = 0
        raw_outputs.append((kind, taps, rows))
    n_non_sequences = draw(st.integers(0, 2))
    has_shared = draw(st.booleans())
    n_args = (sum(len(s.taps) for s in sequences) + sum(len(t) for _, t, _ in raw_outputs)
              + n_non_sequences + has_shared)

    def expression() -> Expression:
        return Expression(
            coefficients=tuple(draw(st.lists(st.sampled_from(COEFFICIENTS), min_size=n_args, max_size=n_args))),
            bias=draw(st.sampled_from(BIASES)),
            tanh=draw(st.booleans()),
        )

    outputs = tuple(Output(kind, taps, rows, expression()) for kind, taps, rows in raw_outputs)
    shared_update = expression() if has_shared else None
    if not sequences or draw(st.booleans()):
        low = -1 if allow_errors else 0
        high = 9 if allow_errors else min([max_length] + [provided_steps(s) for s in sequences])
        n_steps: int | None = draw(st.integers(low, high))
        if n_steps < 0 and draw(st.integers(0, 4)):
            n_steps = 0  # negative counts are rare
    else:
        n_steps = None
    until = None
    if draw(st.booleans()):
        until = (draw(st.integers(0, len(outputs) - 1)), draw(st.sampled_from([-1.0, 0.0, 0.3, 1.0])))
    return Program(
        row=row, sequences=sequences, outputs=outputs, n_non_sequences=n_non_sequences,
        shared_update=shared_update, n_steps=n_steps,
        symbolic_n_steps=draw(st.booleans()), go_backwards=draw(st.booleans()), until=until,
        seed=draw(st.integers(0, 2**16)),
    )


# -- the naive model ----------------------------------------------------------------------------


class ModelError(Exception):
    """The model's verdict that scan must raise; ``kind`` says why."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def naive_scan(program: Program, values: Values) -> tuple[list[np.ndarray], np.ndarray | None]:
    """scan-semantics.md section 0, by index arithmetic: at step t, tap k of a sequence
    reads row t + k - lowest (counted from the end when going backwards), tap k of a
    recurrent output reads history row depth + t + k."""
    # how many steps each sequence provides (tap 0 always counts)
    provided = []
    for seq, data in zip(program.sequences, values.sequences, strict=True):
        lowest, highest = min(min(seq.taps), 0), max(max(seq.taps), 0)
        provided.append(max(0, len(data) - (highest - lowest)))
    if program.n_steps is None:
        n = min(provided)
    else:
        n = program.n_steps
        if n < 0:
            raise ModelError("negative n_steps")
        if any(p < n for p in provided):
            raise ModelError("sequence too short")
    history: list[list[np.ndarray]] = []
    for out, initial in zip(program.outputs, values.initials, strict=True):
        if out.kind == "single":
            history.append([initial])
        elif out.kind == "multi":
            if len(initial) < out.depth:
                raise ModelError("initial state too short")
            history.append([initial[j] for j in range(out.depth)])
        else:
            history.append([])
    traces: list[list[np.ndarray]] = [[] for _ in program.outputs]
    shared = values.shared
    for t in range(n):
        args = []
        for seq, data, p in zip(program.sequences, values.sequences, provided, strict=True):
            lowest = min(min(seq.taps), 0)
            position = (p - 1 - t) if program.go_backwards else t
            for k in seq.taps:
                args.append(data[position + k - lowest])
        for out, rows in zip(program.outputs, history, strict=True):
            depth = -min(out.taps) if out.taps else 0
            for k in out.taps:
                args.append(rows[depth + t + k])
        args.extend(values.non_sequences)
        if shared is not None:
            args.append(shared)
        results = [out.step.numpy(args, program.row) for out in program.outputs]
        new_shared = program.shared_update.numpy(args, program.row) if shared is not None else None
        for o, out in enumerate(program.outputs):
            traces[o].append(results[o])
            if out.kind != "mapped":
                history[o].append(results[o])
        shared = new_shared
        if program.until is not None:
            o, threshold = program.until
            if np.sum(results[o]) > threshold:
                break
    stacked = [np.array(trace, dtype="float64").reshape((len(trace), *program.row)) for trace in traces]
    return stacked, shared


# -- building a program with a library ------------------------------------------------------------


def reference_library(mode: str | None = None) -> types.SimpleNamespace:
    """``reference`` as a library for ``run_program``; ``mode`` is given to ``function``
    (``None``: the default, which may run a loop in the C kernel; ``"python"``: the
    Python definition)."""
    import reference
    import reference.tensor as pt
    from reference.scan import until

    return types.SimpleNamespace(name="reference", scan=reference.scan, function=reference.function,
                                 shared=reference.shared, pt=pt, until=until, mode=mode)


def symbolic_fn(program: Program, lib: Any, shared_var: Any):
    """The step function: outputs (and the shared update, and until) from the arguments,
    returned in the form both libraries accept: ``[outputs]``, then updates, then until."""

    def fn(*args: Any) -> Any:
        args = list(args)
        if shared_var is not None:
            args.append(shared_var)
        assert len(args) == program.n_args
        outs = [out.step.symbolic(args, lib, program.row) for out in program.outputs]
        result: list[Any] = [outs]
        if shared_var is not None:
            result.append({shared_var: program.shared_update.symbolic(args, lib, program.row)})
        if program.until is not None:
            o, threshold = program.until
            total = outs[o].sum() if program.row else outs[o]
            result.append(lib.until(total > threshold))
        return outs if len(result) == 1 else tuple(result)

    return fn


def row_variable(lib: Any, extra_axes: int, row: tuple[int, ...], name: str) -> Any:
    ndim = extra_axes + len(row)
    return [lib.pt.scalar, lib.pt.vector, lib.pt.matrix][ndim](name)


def run_program(program: Program, values: Values, lib: Any) -> tuple[list[np.ndarray], np.ndarray | None]:
    """Build the program with ``lib`` and run it once; the outputs and the shared
    variable's value after the call (its update applied)."""
    inputs: list[Any] = []
    given: list[Any] = []
    sequences = []
    for i, (seq, data) in enumerate(zip(program.sequences, values.sequences, strict=True)):
        v = row_variable(lib, 1, program.row, f"s{i}")
        inputs.append(v)
        given.append(data)
        sequences.append(dict(input=v, taps=list(seq.taps)))
    outputs_info: list[Any] = []
    for o, (out, initial) in enumerate(zip(program.outputs, values.initials, strict=True)):
        if out.kind == "mapped":
            outputs_info.append(None)
            continue
        v = row_variable(lib, out.kind == "multi", program.row, f"o{o}")
        inputs.append(v)
        given.append(initial)
        outputs_info.append(v if out.kind == "single" else dict(initial=v, taps=list(out.taps)))
    non_sequences = []
    for j, data in enumerate(values.non_sequences):
        v = row_variable(lib, 0, program.row, f"w{j}")
        inputs.append(v)
        given.append(data)
        non_sequences.append(v)
    shared_var = None
    if values.shared is not None:
        shared_var = lib.shared(np.array(values.shared, dtype="float64"), name="s")
    n_steps: Any = program.n_steps
    if n_steps is not None and program.symbolic_n_steps:
        n_steps = lib.pt.iscalar("n")
        inputs.append(n_steps)
        given.append(program.n_steps)
    outs, updates = lib.scan(symbolic_fn(program, lib, shared_var), sequences=sequences,
                             outputs_info=outputs_info, non_sequences=non_sequences,
                             n_steps=n_steps, go_backwards=program.go_backwards,
                             return_list=True)
    kwargs = {} if lib.mode is None else {"mode": lib.mode}
    f = lib.function(inputs, outs, updates=updates, on_unused_input="ignore", **kwargs)
    results = [np.asarray(r) for r in f(*given)]
    final = None if shared_var is None else np.asarray(shared_var.get_value())
    return results, final


def without_until(program: Program) -> Program:
    return dataclasses.replace(program, until=None)
