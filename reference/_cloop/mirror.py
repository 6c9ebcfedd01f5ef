"""The kernel's loop in Python, statement by statement.  Spec: KERN-DEBUG-1.

:func:`run_mirror` runs a compiled program on a frame exactly as ``cloop_run`` does (bind,
execute, commit, until), each instruction by the numpy call it stands for, on the same
memory.  Three implementations of one loop (the reference's tree-walking evaluator, this
mirror, the C kernel) triangulate a divergence: evaluator differs from mirror, the
lowering is wrong; mirror differs from C, an opcode is.  :func:`first_divergence` finds the
first step, output and instruction where the C kernel and the Python path part.

    >>> d = reference._cloop.mirror.first_divergence(f, *args)   # doctest: +SKIP
    >>> print(d)                                                  # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import numpy as np

from reference._cloop import opcodes
from reference._cloop.tape import Program, Register, extent


def view_at(address: int, dtype: np.dtype, shape: tuple, strides: tuple) -> np.ndarray:
    """A numpy array over raw memory at ``address`` with ``shape`` and byte ``strides``."""
    lo, hi = extent(tuple(shape), tuple(strides), dtype.itemsize)
    if hi <= lo:
        return np.empty(shape, dtype)
    raw = np.frombuffer((ctypes.c_char * (hi - lo)).from_address(address + lo), dtype=np.uint8)
    return np.ndarray(shape, dtype, buffer=raw, offset=-lo, strides=strides)


def _address(array: np.ndarray) -> int:
    return int(array.__array_interface__["data"][0])


class Mirror:
    """The loop of ``cloop_run`` over a program and a frame."""

    def __init__(self, program: Program, frame: Any) -> None:
        self.p, self.f = program, frame
        self.heads = list(frame.heads)
        self.addr: dict[int, int] = {}

    def bind(self, t: int) -> None:
        """Every register's address at step ``t`` (as ``bind`` in kernel.c)."""
        p, f = self.p, self.f
        for reg in p.regs:
            kind = reg.root[0]
            if kind == "arena":
                base = f.arena_address
            elif kind == "ext":
                base = _address(f.ext[reg.root[1]])
            elif kind == "seq":
                array, base_offset, step = f.windows[reg.root[1]]
                base = _address(array) + base_offset + t * step
            elif kind == "tap":
                j, k = reg.root[1], reg.root[2]
                buf = f.rings[j]
                row = (self.heads[j] + k) % buf.shape[0]
                base = _address(buf) + row * p.rings[j].row_bytes
            else:  # head
                j = reg.root[1]
                base = _address(f.rings[j]) + self.heads[j] * p.rings[j].row_bytes
            self.addr[reg.index] = base + reg.offset

    def value(self, reg: Register) -> np.ndarray:
        return view_at(self.addr[reg.index], reg.dtype, reg.shape, reg.strides)

    def execute(self, pc: int) -> None:
        """One instruction, by its numpy call."""
        ins = self.p.code[pc]
        op = opcodes.BY_NAME[ins.op]
        regs = self.p.regs
        dst = self.value(regs[ins.dst]) if ins.dst >= 0 else None
        args = [self.value(regs[i]) for i in (ins.a, ins.b, ins.c) if i >= 0]
        with np.errstate(all="ignore"):
            if op.kind.startswith("ew"):
                if op.family is not None:
                    getattr(np, opcodes.FAMILIES[op.family].ufunc)(*args, out=dst, casting="unsafe")
                elif op.name.startswith("WHERE"):
                    np.copyto(dst, np.where(*args))
                else:  # COPY, CAST: numpy's unsafe casting is astype's
                    np.copyto(dst, args[0], casting="unsafe")
            elif op.kind in ("call1", "call2"):
                self.call(ins, op)
            elif op.kind in ("dot", "gemv", "gemm"):
                dst[...] = np.dot(args[0], args[1])
            elif op.kind == "matmul":
                dst[...] = np.matmul(args[0], args[1])

    def call(self, ins: Any, op: Any) -> None:
        from reference._cloop.pointers import ufunc_object

        ref = self.p.fns[ins.fn]
        ufunc = ufunc_object(ref.name)
        g = self.p.geoms[ins.geom]
        regs = self.p.regs
        operands = [ins.a] + ([ins.b] if op.kind == "call2" else []) + [ins.dst]
        views = [view_at(self.addr[i], regs[i].dtype, g.n, g.s[[1, 2, 0][k] if op.kind == "call2" else [1, 0][k]])
                 for k, i in enumerate(operands)]
        if op.kind == "call2" and ins.a == ins.dst and g.s[0][2] == 0 and g.s[1][2] == 0:
            # reduce mode: dst[i0, i1] = reduce(b[i0, i1, :], initial=dst[i0, i1])
            acc, rows = views[2], views[1]
            for i0 in range(g.n[0]):
                for i1 in range(g.n[1]):
                    if g.n[2]:
                        acc[i0, i1, 0] = ufunc.reduce(rows[i0, i1], initial=acc[i0, i1, 0])
            return
        ufunc(*views[:-1], out=views[-1])

    def commit(self) -> None:
        for j, ring in enumerate(self.p.rings):
            buf = self.f.rings[j]
            if not ring.direct:
                src = self.value(self.p.regs[ring.src])
                buf[self.heads[j]] = src
            self.heads[j] = (self.heads[j] + 1) % buf.shape[0]

    def step(self, t: int) -> bool:
        """Step ``t``; True if ``until`` stops the loop after it."""
        self.bind(t)
        for pc in range(len(self.p.code)):
            self.execute(pc)
        self.commit()
        if self.p.until_reg >= 0:
            return bool(self.value(self.p.regs[self.p.until_reg]))
        return False


def run_mirror(compiled: Any, frame: Any, n_steps: int) -> int:
    """Run the program on ``frame`` in Python; the number of steps done (as Compiled.run)."""
    mirror = Mirror(compiled.program, frame)
    t = 0
    while t < n_steps:
        stop = mirror.step(t)
        t += 1
        if stop:
            break
    frame.heads = mirror.heads
    return t


@dataclass
class Divergence:
    step: int
    output: int
    name: str
    c_value: Any
    python_value: Any
    instruction: str | None = None

    def __str__(self) -> str:
        where = f"\n  first instruction whose result differs: {self.instruction}" if self.instruction else ""
        return (f"step {self.step}, output {self.output} ({self.name}): C {self.c_value!r}, "
                f"Python {self.python_value!r}{where}")


def first_divergence(fn: Any, *args: Any) -> Divergence | None:
    """Run every scan of compiled function ``fn`` on both paths, one step at a time, and
    return the first step and output where they differ (None if they agree).  At that step
    the mirror runs the same program on a copy of the state to name the instruction."""
    from reference._cloop import dispatch, runtime
    from reference.graph.traversal import toposort
    from reference.scan.op import ScanOp

    seen: dict = {}

    def record(node: Any, inputs: list, outputs: list) -> None:
        if isinstance(node.op, ScanOp):
            seen.setdefault(node, inputs)

    fn(*args, trace=record)  # the outer graph's values reaching each loop
    for node in toposort(fn.computed):
        if not isinstance(node.op, ScanOp) or node not in seen:
            continue
        op, values = node.op, seen[node]
        full = op.with_keep((None,) * len(op.spec.outputs)).with_mode(None)
        prep = runtime.prologue(op.spec, values)
        compiled = dispatch.compiled_for(full, prep)
        steps, _ = dispatch.python_steps(op, values)
        frame = compiled.frame(op.spec, prep.outer, prep.n_steps, prep.windows, prep.history)
        plan = compiled.plan(frame)
        result = compiled.ffi.new("cloop_result *")
        for t, py_step in enumerate(steps):
            before = [buf.copy() for buf in frame.rings]
            heads = [plan.states[j].head for j in range(len(frame.rings))]
            compiled.lib.cloop_run(plan, t, t + 1, result)
            for o, out in enumerate(op.spec.outputs):
                j = next(k for k, r in enumerate(compiled.program.rings) if r.role == "output" and r.index == o)
                buf = frame.rings[j]
                row = buf[(plan.states[j].head - 1) % buf.shape[0]]
                if not dispatch.same_bits(row, py_step[o]):
                    return Divergence(t, o, out.name, row.copy(), py_step[o],
                                      _culprit(compiled, frame, before, heads, t))
    return None


def _culprit(compiled: Any, frame: Any, rings_before: list, heads: list, t: int) -> str | None:
    """Re-run step ``t`` in the mirror from the state before it; the first instruction whose
    destination differs from the kernel's arena."""
    from reference._cloop.dispatch import same_bits
    from reference._cloop.runtime import Frame

    arena = frame.arena.copy()
    shadow = Frame(np.empty_like(frame.arena), 0, frame.ext, [b.copy() for b in rings_before], heads,
                   frame.windows)
    shadow.arena_address = _address(shadow.arena)
    mirror = Mirror(compiled.program, shadow)
    mirror.bind(t)
    kernel = Mirror(compiled.program, Frame(arena, _address(arena), frame.ext, frame.rings, heads,
                                            frame.windows))
    kernel.bind(t)
    p = compiled.program
    for pc, ins in enumerate(p.code):
        mirror.execute(pc)
        reg = p.regs[ins.dst]
        if reg.root[0] != "arena":
            continue
        if not same_bits(mirror.value(reg), kernel.value(reg)):
            return f"{pc}: r{ins.dst} = {ins.op} ({ins.note})"
    return None
