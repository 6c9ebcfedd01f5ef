"""The loop as an op of the outer graph.  Spec: spec/3-scan.rst (SCAN-NODE-*)."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.errors import SpecTypeError
from reference.evaluate import Schedule
from reference.graph.basic import Apply, Constant, Op
from reference.graph.traversal import toposort
from reference.graph.type import TensorType
from reference.scan.run import run_scan
from reference.scan.spec import RecurrentOutput, ScanSpec


class ScanOp(Op):
    """Runs ``spec`` over its outer inputs: ``[n_steps] + sequences + initial states +
    shared variables + non-sequences``.  Outputs: one trace per output (user order), then
    the final value of each shared state.

    ``keep`` is the storage plan: for each output, ``None`` (keep every row) or how many
    final rows to keep.  It is set by ``function`` only when every reader of the output
    reads within those rows (SCAN-MEM-1).

    ``mode`` is the execution mode, set by ``function`` (KERN-MODE-1): ``"python"`` runs the
    loop of ``reference.scan.run``; ``"c"`` the C kernel (``reference._cloop``); ``None``
    the kernel when the step lowers, else Python; ``"check"`` both, compared step by step.
    """

    constant_foldable = False

    def __init__(self, spec: ScanSpec, keep: Sequence[int | None] | None = None,
                 mode: str | None = None) -> None:
        self.spec = spec
        self.keep = tuple(keep) if keep is not None else (None,) * len(spec.outputs)
        self.mode = mode
        self.order = toposort(spec.inner_outputs)
        #: the order with each node's run prepared once, for the Python path
        self.schedule = Schedule(self.order, outputs=spec.inner_outputs)  # GRAPH-EVAL-5
        #: the inner graph's constants, bound once per loop (they never change)
        self.constants = {v: v.data for node in self.order for v in node.inputs if isinstance(v, Constant)}
        self.profile_stats: dict[str, Any] = {"calls": 0, "steps": 0, "seconds": 0.0}

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ScanOp) and other.spec is self.spec and other.keep == self.keep
                and other.mode == self.mode)

    def __hash__(self) -> int:
        return hash((id(self.spec), self.keep, self.mode))

    def __str__(self) -> str:  # SCAN-PRINT-1
        kind = "while_loop=True" if self.spec.condition is not None else "while_loop=False"
        return f"Scan{{{self.spec.name}, {kind}}}"

    #: attributes made at run time (C-kernel programs, dispatch decisions, the "check"
    #: mode's unpruned twin): not pickled, made again at the next call (FN-PICKLE-1)
    RUNTIME_ATTRIBUTES = ("_kernel_cache", "_kernel_blockers", "_check_full", "kernel_decisions")

    def __getstate__(self) -> dict[str, Any]:
        """FN-PICKLE-1: the op without what it made at run time, which holds compiled code.
        Unpickling does not call the constructor, which reads the inner graph: while
        unpickling, the graph may not be complete yet."""
        return {k: v for k, v in self.__dict__.items() if k not in self.RUNTIME_ATTRIBUTES}

    def with_keep(self, keep: Sequence[int | None]) -> ScanOp:
        return ScanOp(self.spec, keep, self.mode)

    def with_mode(self, mode: str | None) -> ScanOp:
        return ScanOp(self.spec, self.keep, mode)

    def make_node(self, *outer: Any) -> Apply:
        spec = self.spec
        expected = self.expected_input_types()
        if len(outer) != len(expected):
            raise SpecTypeError("SCAN-NODE-1", f"{self} takes {len(expected)} inputs, got {len(outer)}")
        for variable, (role, type_) in zip(outer, expected, strict=True):
            if role == "sequence":
                ok = variable.type.dtype == type_.dtype and variable.type.ndim == type_.ndim + 1
            else:
                ok = variable.type == type_ or (
                    isinstance(type_, TensorType) and isinstance(variable.type, TensorType)
                    and variable.type.dtype == type_.dtype and variable.type.ndim == type_.ndim
                )
            if not ok:
                raise SpecTypeError("SCAN-NODE-1", f"{self}: {role} input {variable} has type {variable.type}, incompatible with {type_}")
        out_types: list[Any] = []
        length = 1 if spec.n_steps_given and _known_int(outer[0]) == 1 else None  # SCAN-TYPE-3 step 3
        initials = iter(outer[spec.n_steps_given + len(spec.sequences):])
        for out in spec.outputs:
            if isinstance(out, RecurrentOutput):
                initial = next(initials)
                row = initial.type.shape[1:] if out.multiple_taps else initial.type.shape
                merged = tuple(a if a is not None else b for a, b in zip(row, out.step.type.shape, strict=True))
            else:
                merged = out.step.type.shape
            out_types.append(TensorType(out.step.type.dtype, (length, *merged)))
        out_types.extend(s.variable.type for s in spec.shared_states)
        return Apply(self, list(outer), out_types)

    def expected_input_types(self) -> list[tuple[str, Any]]:
        spec = self.spec
        types: list[tuple[str, Any]] = []
        if spec.n_steps_given:
            types.append(("n_steps", TensorType("int64", ())))
        types += [("sequence", s.inner[0].type) for s in spec.sequences]
        for out in spec.recurrent:
            row = out.inner[0].type
            types.append(("initial", TensorType(row.dtype, (None, *row.shape)) if out.multiple_taps else row))
        types += [("shared", s.variable.type) for s in spec.shared_states]
        types += [("non-sequence", v.type) for v in spec.non_sequences]
        return types

    def perform(self, node: Apply, *values: Any) -> list[Any]:
        start = time.perf_counter() if self.spec.profile else 0.0
        results = kernel_dispatch().perform(self, values)  # KERN-MODE-1: which path runs the loop
        if self.spec.profile:
            self.profile_stats["calls"] += 1
            self.profile_stats["seconds"] += time.perf_counter() - start
            if self.spec.outputs:
                self.profile_stats["steps"] += len(results[0]) if self.keep[0] is None else 0
        return results

    def run_python(self, values: Sequence[Any]) -> list[Any]:
        """The loop on the Python path (the definition)."""
        return run_scan(self.spec, values, order=self.schedule, keep=self.keep, constants=self.constants)

    def pullback(self, node: Apply, output_grads: list) -> list:
        """Backpropagation through time, as a reverse loop (GRAD-SCAN-1)."""
        from reference.scan.gradient import scan_pullback

        return scan_pullback(node, output_grads)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        raise LookupError("the length of a nested loop's output is known only by running it")


def _known_int(variable: Any) -> int | None:
    """The value of a scalar known when the graph is built (OP-CONSTVAL-1), else None."""
    from reference.tensor.shape import constant_value

    value = constant_value(variable)
    return None if value is None or np.ndim(value) != 0 else int(value)


@functools.cache
def kernel_dispatch() -> Any:
    """``reference._cloop.dispatch``, imported at the first call of a loop (it loads the
    kernel's modules, which ``import reference`` does not need)."""
    from reference._cloop import dispatch

    return dispatch
