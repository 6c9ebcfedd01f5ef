"""The syntax of a loop: what ``scan()`` builds and the loop semantics read.
Spec: spec/3-scan.rst (SCAN-ARGS-*).

Vocabulary (glossary: PyTensor's names in brackets):

* a *sequence* is read one row per step, at integer *taps* relative to ``t``;
* a *recurrent output* [sit-sot, mit-sot] feeds back: the step reads it at negative taps;
* a *mapped output* [nit-sot] does not feed back;
* a *shared state* [untraced sit-sot] is a shared variable the step updates, or a random
  generator given in ``outputs_info`` (SCAN-RNG-1): only its final value is returned;
* *non-sequences* are read unchanged at every step.

Each inner input is a placeholder variable whose name says what it holds
(``x[t+1]``, ``h[t-1]``, ``W``), so an environment printed in pdb reads like the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from reference.graph.basic import Variable


@dataclass(frozen=True, eq=False)
class SequenceTaps:
    """Sequence ``index``: one inner input per tap, in the order the taps were given."""

    name: str
    taps: tuple[int, ...]
    inner: tuple[Variable, ...]

    @property
    def lowest(self) -> int:
        """``min(min(taps), 0)``: tap 0 always counts (SCAN-TAPS-2)."""
        return min(min(self.taps), 0)

    @property
    def highest(self) -> int:
        return max(max(self.taps), 0)


@dataclass(frozen=True, eq=False)
class RecurrentOutput:
    """An output fed back at negative ``taps``; ``depth = -min(taps)`` initial rows."""

    name: str
    taps: tuple[int, ...]
    inner: tuple[Variable, ...]
    step: Variable
    multiple_taps: bool

    @property
    def depth(self) -> int:
        return -min(self.taps)


@dataclass(frozen=True, eq=False)
class MappedOutput:
    """An output that does not feed back."""

    name: str
    step: Variable


@dataclass(frozen=True, eq=False)
class SharedState:
    """Shared variable ``variable``, read at each step through ``inner`` and replaced by
    ``update`` (SCAN-UPD-1).

    ``output`` is ``None`` for a shared variable updated by fn's updates.  For a random
    generator given as ``outputs_info[output]`` (SCAN-RNG-1), ``variable`` is its initial
    value (shared or symbolic) and the final value is the loop's output ``output``.
    """

    variable: Variable
    inner: Variable
    update: Variable
    output: int | None = None


@dataclass(frozen=True, eq=False)
class ScanSpec:
    """A loop.  ``outputs`` are in the user's order (recurrent and mapped mixed)."""

    sequences: tuple[SequenceTaps, ...]
    outputs: tuple[RecurrentOutput | MappedOutput, ...]
    shared_states: tuple[SharedState, ...]
    non_sequences: tuple[Variable, ...]
    condition: Variable | None
    go_backwards: bool
    truncate_gradient: int
    name: str
    mode: object = None
    profile: bool = False
    allow_gc: bool = False
    n_steps_given: bool = True

    @cached_property
    def recurrent(self) -> list[RecurrentOutput]:
        return [o for o in self.outputs if isinstance(o, RecurrentOutput)]

    @cached_property
    def inner_inputs(self) -> list[Variable]:
        """All placeholders, in the order of the outer inputs."""
        return (
            [v for s in self.sequences for v in s.inner]
            + [v for o in self.recurrent for v in o.inner]
            + [s.inner for s in self.shared_states]
            + list(self.non_sequences)
        )

    @cached_property
    def inner_outputs(self) -> list[Variable]:
        """Every value one step computes."""
        cond = [] if self.condition is None else [self.condition]
        return [o.step for o in self.outputs] + [s.update for s in self.shared_states] + cond
