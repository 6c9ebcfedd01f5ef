"""Generated scan programs for the gradient tests (tests/test_4_grad_scan.py).

(Not tests/scan_programs.py, which holds chapter 3's program generator.)

A :class:`Program` is data: sequences with taps, recurrent outputs (sit-sot, mit-sot with
taps, nit-sot), scalar non-sequences, ``go_backwards``, ``truncate_gradient``, ``n_steps``
and an optional ``until``.  :func:`build` turns it into a loop with any PyTensor-like
module (``reference`` or ``pytensor``), so the same program runs on both.

Every step output is ``tanh(bias + sum(coef * float args) + 0.5 * arg_p * arg_q)``: smooth,
bounded, and with a product so that gradients depend on the values.  Rows are scalars.
``until`` stops on an integer counter sequence (step ``t`` reads the value ``t`` in either
direction), never on a float, so the number of executed steps does not change under the
small perturbations of finite differences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st


@dataclass(frozen=True)
class Program:
    seq_taps: tuple[tuple[int, ...], ...]      # taps of each float sequence
    seq_lengths: tuple[int, ...]
    outputs: tuple[tuple[str, tuple[int, ...], int], ...]  # (kind, taps, extra initial rows)
    n_non_sequences: int
    go_backwards: bool
    truncate_gradient: int
    n_steps: int | None
    until: int | None                           # stop after the step that reads counter == until
    coef: tuple[tuple[float, ...], ...]         # per output: one weight per float argument
    product: tuple[tuple[int, int], ...]        # per output: the two float arguments multiplied
    bias: tuple[float, ...]

    @property
    def n_float_args(self) -> int:
        recurrent = sum(len(taps) for kind, taps, _ in self.outputs if kind != "nit")
        return sum(len(t) for t in self.seq_taps) + recurrent + self.n_non_sequences

    def available_steps(self) -> int | None:
        """Steps the float sequences allow (None without sequences), SCAN-STEPS-1."""
        if not self.seq_taps:
            return None
        return min(max(0, n - (max(max(t), 0) - min(min(t), 0))) for n, t in zip(self.seq_lengths, self.seq_taps, strict=True))

    def counter_length(self) -> int:
        available = self.available_steps()
        return (self.n_steps if available is None else available) or 0


def input_values(program: Program, rng: np.random.Generator) -> list[np.ndarray]:
    """Float values for the inputs, in :func:`input_types` order."""
    values = [rng.uniform(-1.5, 1.5, size=n) for n in program.seq_lengths]
    for kind, taps, extra in program.outputs:
        if kind == "sit":
            values.append(np.array(rng.uniform(-1, 1)))
        elif kind == "mit":
            values.append(rng.uniform(-1, 1, size=-min(taps) + extra))
    values += [np.array(rng.uniform(-1, 1)) for _ in range(program.n_non_sequences)]
    return values


def build(program: Program, m, t, until_cls, inputs: list, seq_slices=None, n_steps=None,
          truncate: bool = True) -> list:
    """The outputs of ``program`` on the symbolic ``inputs`` with the module ``m`` (``t``
    its tensor module, ``until_cls`` its ``until``).  ``seq_slices`` (a slice applied to
    every sequence, counter included) and ``n_steps`` override the program's, for the
    truncation oracle; ``truncate=False`` drops ``truncate_gradient``."""
    n_seq = len(program.seq_taps)
    seqs = inputs[:n_seq]
    rest = inputs[n_seq:]
    infos = []
    for kind, taps, _ in program.outputs:
        if kind == "nit":
            infos.append(None)
        elif kind == "sit":
            infos.append(rest.pop(0))
        else:
            infos.append(dict(initial=rest.pop(0), taps=list(taps)))
    non_sequences = rest
    sequences = [dict(input=s, taps=list(taps)) for s, taps in zip(seqs, program.seq_taps, strict=True)]
    if program.until is not None:
        length = program.counter_length()
        counter = np.arange(length, dtype="int64")
        if program.go_backwards:
            counter = counter[::-1].copy()
        sequences.append(dict(input=t.as_tensor_variable(counter), taps=[0]))
    if seq_slices is not None:
        sequences = [dict(s, input=s["input"][seq_slices]) for s in sequences]

    def step(*args):
        args = list(args)
        counter_value = None
        if program.until is not None:
            n_float_seq_args = sum(len(x) for x in program.seq_taps)
            counter_value = args.pop(n_float_seq_args)
        outs = []
        for coef, (p, q), bias in zip(program.coef, program.product, program.bias, strict=True):
            total = bias + 0.5 * args[p] * args[q]
            for c, a in zip(coef, args, strict=True):
                total = total + c * a
            outs.append(t.tanh(total))
        if counter_value is not None:
            return outs, until_cls(t.eq(counter_value, program.until))
        return outs

    steps = program.n_steps if n_steps is None else n_steps
    kwargs = dict(sequences=sequences or None, outputs_info=infos, non_sequences=non_sequences or None,
                  n_steps=steps, go_backwards=program.go_backwards, return_list=True)
    if truncate:
        kwargs["truncate_gradient"] = program.truncate_gradient
    result = m.scan(step, **kwargs)
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict):
        result = result[0]
    return list(result)


@st.composite
def programs(draw, max_length: int = 6, allow_truncate: bool = True, allow_until: bool = True) -> Program:
    n_seq = draw(st.integers(0, 2))
    seq_taps = tuple(
        tuple(draw(st.lists(st.integers(-2, 2), min_size=1, max_size=3, unique=True))) for _ in range(n_seq)
    )
    seq_lengths = tuple(draw(st.integers(0, max_length)) for _ in range(n_seq))
    outputs = []
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["sit", "mit", "nit"]))
        if kind == "mit":
            taps = tuple(sorted(draw(st.lists(st.integers(-3, -1), min_size=1, max_size=2, unique=True))))
            if taps == (-1,):
                taps = (-2, -1)
            outputs.append(("mit", taps, draw(st.integers(0, 1))))
        elif kind == "sit":
            outputs.append(("sit", (-1,), 0))
        else:
            outputs.append(("nit", (), 0))
    n_ns = draw(st.integers(0, 2))
    available = None
    if seq_taps:
        available = min(max(0, n - (max(max(t), 0) - min(min(t), 0))) for n, t in zip(seq_lengths, seq_taps, strict=True))
    if available is None:
        n_steps = draw(st.integers(0, max_length))
    else:
        n_steps = draw(st.one_of(st.none(), st.integers(0, available)))
    truncate = draw(st.sampled_from([-1, 0, 1, 2, 3, 100])) if allow_truncate else -1
    executed = n_steps if n_steps is not None else available
    until = draw(st.one_of(st.none(), st.integers(0, max(executed or 0, 0)))) if allow_until else None
    n_float = sum(len(t) for t in seq_taps) + sum(len(t) for k, t, _ in outputs if k != "nit") + n_ns
    if n_float == 0:  # only nit-sot outputs and nothing to read: give the step a non-sequence
        n_ns, n_float = 1, 1
    weight = st.floats(-1, 1, allow_nan=False).map(lambda v: round(v, 3))
    coefs = tuple(tuple(draw(weight) for _ in range(n_float)) for _ in outputs)
    products = tuple((draw(st.integers(0, n_float - 1)), draw(st.integers(0, n_float - 1))) for _ in outputs)
    biases = tuple(draw(st.floats(-0.5, 0.5, allow_nan=False).map(lambda v: round(v, 3))) for _ in outputs)
    return Program(seq_taps, seq_lengths, tuple(outputs), n_ns, draw(st.booleans()), truncate, n_steps,
                   until, coefs, products, biases)
