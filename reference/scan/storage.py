"""The storage plan: how many rows of each loop output to keep.  Spec: spec/3-scan.rst (SCAN-MEM-*).

Storage is not semantics.  A loop output is the stack of all its rows; but when every
reader of it reads only its last ``k`` rows (``out[-1]``, ``out[-k:]``, the last row taken
by ``reduce``), keeping the last ``k`` rows gives every reader the same value.  The plan is
computed when a function is compiled and can be inspected with ``Function.storage_plan()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from reference.graph.basic import Apply, Variable
from reference.graph.traversal import clone_replace, toposort
from reference.scan.op import ScanOp
from reference.tensor.subtensor import Subtensor


@dataclass(frozen=True)
class StorageEntry:
    """Output ``index`` of loop ``name`` keeps ``keep`` final rows (``None``: all rows)."""

    name: str
    index: int
    keep: int | None
    reason: str

    def __str__(self) -> str:
        what = "all rows" if self.keep is None else f"the last {self.keep} row(s)"
        return f"scan {self.name!r} output {self.index}: keep {what} ({self.reason})"


def rows_read(node: Apply) -> int | None:
    """How many final rows a reader needs, if it reads only final rows (SCAN-MEM-1):
    ``x[i]`` with a constant ``i < 0`` needs ``-i``; ``x[a:]`` with a constant ``a < 0``
    needs ``-a``; anything else may read any row."""
    if not isinstance(node.op, Subtensor) or len(node.inputs) != 1:
        return None
    template = node.op.template
    if len(template) != 1:
        return None
    entry = template[0]
    if entry[0] == "const" and entry[1] < 0:
        return -entry[1]
    if entry[0] == "slice" and isinstance(entry[1], int) and entry[1] < 0 and entry[2] is None and entry[3] in (None, 1):
        return -entry[1]
    return None


def plan_storage(outputs: list[Variable]) -> tuple[list[Variable], list[StorageEntry]]:
    """Rebuild ``outputs`` with each loop keeping only the rows its readers need."""
    order = toposort(outputs)
    clients: dict[int, list[Apply]] = {}
    for node in order:
        for variable in node.inputs:
            clients.setdefault(id(variable), []).append(node)
    returned = {id(v) for v in outputs}
    replace: dict[Variable, Variable] = {}
    plan: list[StorageEntry] = []
    for node in order:
        if not isinstance(node.op, ScanOp):
            continue
        spec = node.op.spec
        keep: list[int | None] = []
        # entries name outputs by their place in scan's result, generator states included
        untraced = {s.output for s in spec.shared_states if s.output is not None}
        places = [p for p in range(len(spec.outputs) + len(untraced)) if p not in untraced]
        for p in sorted(untraced):  # SCAN-RNG-1: one value, never a history
            plan.append(StorageEntry(spec.name, p, 1, "an untraced generator state: its final value only"))
        for o, trace in enumerate(node.outputs[:len(spec.outputs)]):
            readers = clients.get(id(trace), [])
            needs = [rows_read(reader) for reader in readers]
            if id(trace) in returned:
                keep.append(None)
                plan.append(StorageEntry(spec.name, places[o], None, "the output itself is returned"))
            elif not readers:
                keep.append(0)
                plan.append(StorageEntry(spec.name, places[o], 0, "no reader"))
            elif None in needs:
                keep.append(None)
                plan.append(StorageEntry(spec.name, places[o], None, "a reader may read any row"))
            else:
                keep.append(max(needs))  # type: ignore[type-var]
                plan.append(StorageEntry(spec.name, places[o], max(needs), "readers read only final rows"))  # type: ignore[type-var]
        if any(k is not None for k in keep):
            rebuilt = node.op.with_keep(keep).make_node(*node.inputs)
            for old, new in zip(node.outputs, rebuilt.outputs, strict=True):
                replace[old] = new
    if not replace:
        return outputs, plan
    return clone_replace(outputs, replace), plan
