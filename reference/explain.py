"""``reference.explain(fn)``: which path runs each loop of a compiled function, and why.
Spec: spec/5-kernel.rst (KERN-EXPLAIN-1).

For every ``scan`` in the function: its mode, whether the C kernel is available, whether
every op of the step has a kernel lowering (a static look, before any call), and, once the
function has been called, what ran at the last call and why (the lowering's reason when
it fell back, or the program it ran, with ``verbose=True`` disassembled).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LoopReport:
    name: str
    mode: str | None
    path: str | None            # "c", "python" or "check" at the last call; None before any call
    reason: str
    blockers: list[str] = field(default_factory=list)  # ops the kernel has no lowering for
    program: Any = None
    tier: str = ""              # the kernel tier of that program, and why (KERN-TIER-2)

    def __str__(self) -> str:
        mode = {None: "default (kernel where the step lowers)", "python": "python",
                "c": "c (kernel required)", "check": "check (both paths, compared)"}[self.mode]
        lines = [f"scan {self.name!r}: mode {mode}"]
        if self.path is None:
            lines.append(f"  not called yet; {self.reason}")
        else:
            where = {"c": "the C kernel", "python": "the Python path",
                     "check": "both paths (check mode)"}[self.path]
            lines.append(f"  last call ran on {where}: {self.reason}")
        if self.blockers:
            lines.append("  ops without a kernel lowering: " + ", ".join(self.blockers))
        if self.program is not None:
            lines.append(f"  program: {len(self.program.code)} instructions, "
                         f"{len(self.program.regs)} registers")
        if self.tier:
            lines.append(f"  kernel tier: {self.tier}")
        return "\n".join(lines)


@dataclass
class Explanation:
    loops: list[LoopReport]
    kernel: str
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.loops:
            return "this function has no scan"
        return "\n".join([self.kernel, *map(str, self.loops), *self.details])

    def __iter__(self) -> Any:
        return iter(self.loops)

    def __len__(self) -> int:
        return len(self.loops)


def static_blockers(spec: Any) -> list[str]:
    """Ops of the step that the kernel cannot run whatever the inputs (KERN-FALL-1)."""
    from reference._cloop.lower import SCIPY_OF, UFUNC_OF
    from reference.graph.traversal import toposort
    from reference.graph.type import TensorType
    from reference.scan.op import ScanOp
    from reference.tensor import math as tm
    from reference.tensor.basic import Alloc, MakeVector
    from reference.tensor.blas import Dot, MatMul
    from reference.tensor.elemwise import Elemwise
    from reference.tensor.reduction import Reduce
    from reference.tensor.shape import DimShuffle, Reshape, Shape, SpecifyShape
    from reference.tensor.subtensor import IncSubtensor, Subtensor

    lowered = (Elemwise, Reduce, Dot, MatMul, Subtensor, IncSubtensor, DimShuffle, Reshape,
               SpecifyShape, Shape, Alloc, MakeVector)
    scalar_ok = set(UFUNC_OF) | set(SCIPY_OF) | {tm.Identity, tm.Cast, tm.Switch, tm.Clip}
    blockers = []
    # only nodes that depend on the step need a lowering: the others run before the loop
    varying = {id(v) for s in spec.sequences for v in s.inner}
    varying |= {id(v) for o in spec.recurrent for v in o.inner}
    varying |= {id(s.inner) for s in spec.shared_states}
    for state in spec.shared_states:  # SCAN-RNG-1: the kernel carries tensors only
        if not isinstance(state.variable.type, TensorType):
            blockers.append(f"{state.variable.type} state {state.inner.name or state.variable} (not a tensor)")
    for node in toposort(spec.inner_outputs):
        op = node.op
        if not any(id(v) in varying for v in node.inputs) and getattr(op, "constant_foldable", True):
            continue
        varying |= {id(v) for v in node.outputs}
        if isinstance(op, ScanOp):
            blockers.append(f"{op} (a loop in the step)")
        elif not getattr(op, "constant_foldable", True):
            blockers.append(f"{op} (random or stateful)")
        elif not isinstance(op, lowered):
            blockers.append(str(op))
        elif isinstance(op, Elemwise) and type(op.scalar_op) not in scalar_ok:
            blockers.append(str(op))
        elif isinstance(op, Subtensor | IncSubtensor) and any(e[0] == "array" for e in op.template):
            blockers.append(f"{op} (advanced indexing)")
    return sorted(set(blockers))


def program_tier(op: Any, program: Any) -> str:
    """Which kernel tier runs ``program`` and why (KERN-TIER-2); "" if it has not run."""
    from reference._cloop import dispatch

    for compiled in dispatch.compiled_programs(op):
        if compiled.program is program:
            return f"{compiled.tier} ({compiled.tier_reason})"
    return ""


def explain(fn: Any, verbose: bool = False) -> Explanation:
    """Say, per scan of compiled function ``fn``, which path runs and why (KERN-EXPLAIN-1)."""
    from reference import _cloop
    from reference._cloop import dispatch
    from reference._cloop.tape import disassemble
    from reference.graph.traversal import toposort
    from reference.scan.op import ScanOp

    loops, details = [], []
    for node in toposort(fn.computed):
        op = node.op
        if not isinstance(op, ScanOp):
            continue
        blockers = static_blockers(op.spec)
        decision = dispatch.decisions(op).get("last")
        if decision is None:
            if op.mode == "python":
                reason = "the Python path runs (mode='python')"
            elif not _cloop.HAVE_CLOOP:
                reason = f"the C kernel is not built ({_cloop.CLOOP_IMPORT_ERROR})"
            elif blockers:
                reason = "the Python path will run: the step has ops without a kernel lowering"
            else:
                reason = "the kernel will run if the step lowers for the call's shapes and dtypes"
            report = LoopReport(op.spec.name, op.mode, None, reason, blockers)
        else:
            report = LoopReport(op.spec.name, op.mode, decision.path, decision.reason, blockers,
                                decision.program, program_tier(op, decision.program))
            if verbose and decision.program is not None:
                details.append(disassemble(decision.program))
        loops.append(report)
    return Explanation(loops, _cloop.kernel_status(), details)
