"""Running a scan on the kernel.  Spec: spec/5-kernel.rst (KERN-RUN-*, KERN-BIND-*).

The C path reuses the Python path's prologue and epilogue (``reference.scan.run``:
``split_outer``, ``trip_count``, ``sequence_windows``, ``init_history``,
``first_row_shapes``/``infer_row_shapes``, the empty-trace rule of ``collect_outputs``) and
replaces only the loop: one :class:`Compiled` program per signature, a :class:`Frame` of
memory per call, and ``cloop_run`` over chunks of steps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from reference._cloop import opcodes, validate
from reference._cloop.tape import Program, Unsupported
from reference.evaluate import read, run_node
from reference.scan.run import (
    first_row_shapes,
    init_history,
    sequence_windows,
    split_outer,
    trip_count,
)
from reference.scan.spec import ScanSpec

#: a chunk of steps runs for about this long before Python regains control (KERN-RUN-2)
CHUNK_SECONDS = 0.02


class KernelError(RuntimeError):
    """The kernel returned an error status (a bug: the validator should have refused)."""


def _lib() -> tuple[Any, Any]:
    from reference import _cloop

    if not _cloop.HAVE_CLOOP:
        raise Unsupported(f"the C kernel is not built: {_cloop.CLOOP_IMPORT_ERROR}")
    return _cloop.ffi, _cloop.lib


def address(array: np.ndarray) -> int:
    return int(array.__array_interface__["data"][0])


class Compiled:
    """A validated program with its static C structures (code, geometries, functions)."""

    def __init__(self, program: Program) -> None:
        from reference._cloop import pointers

        ffi, lib = _lib()
        validate.check_program(program)
        self.program = program
        self.ffi, self.lib = ffi, lib
        p = program
        self.code = ffi.new("cloop_instr[]", max(len(p.code), 1))
        for i, ins in enumerate(p.code):
            c = self.code[i]
            c.op = opcodes.BY_NAME[ins.op].code
            c.flags, c.dst, c.a, c.b, c.c = ins.flags, ins.dst, ins.a, ins.b, ins.c
            c.geom, c.fn = ins.geom, ins.fn
            for k, v in enumerate(ins.imm):
                c.imm[k] = v
        self.geoms = ffi.new("cloop_geom[]", max(len(p.geoms), 1))
        for i, g in enumerate(p.geoms):
            for k in range(3):
                self.geoms[i].n[k] = g.n[k]
                for o in range(4):
                    self.geoms[i].s[o][k] = g.s[o][k]
        self.fns = ffi.new("void *[]", max(len(p.fns), 1))
        self.fn_data = ffi.new("void *[]", max(len(p.fns), 1))
        for i, ref in enumerate(p.fns):
            fn, data = pointers.resolve(ref)
            self.fns[i] = ffi.cast("void *", fn)
            self.fn_data[i] = ffi.cast("void *", data)
        self.blas_ilp64 = int(pointers.blas_ilp64())
        # how each register gets its address: statically per call, or per step
        self.static_regs: list[tuple[int, str, int, int]] = []   # (reg, "arena"|"ext", k, offset)
        seq_regs, taps, views = [], [], []
        canonical: dict[tuple, int] = {}
        for reg in p.regs:
            if reg.root[0] == "tap" and reg.offset == 0:
                canonical.setdefault(reg.root, reg.index)
        for ring_index, ring in enumerate(p.rings):
            if ring.direct:
                canonical[("head", ring_index)] = ring.src
        for reg in p.regs:
            kind = reg.root[0]
            if kind == "arena":
                self.static_regs.append((reg.index, "arena", 0, reg.offset))
            elif kind == "ext":
                self.static_regs.append((reg.index, "ext", reg.root[1], reg.offset))
            elif kind == "seq":
                seq_regs.append((reg.index, reg.root[1], reg.offset))
            elif kind == "tap" and canonical[reg.root] == reg.index:
                taps.append((reg.index, reg.root[1], reg.root[2]))
            elif kind == "head" and canonical[reg.root] == reg.index:
                pass  # bound by the kernel to the ring's head row
            else:
                parent = canonical[reg.root] if reg.root[0] == "head" else canonical[reg.root]
                views.append((reg.index, parent, reg.offset))
        self.seq_regs = seq_regs
        self.tapbinds = ffi.new("cloop_tapbind[]", max(len(taps), 1))
        for i, (r, j, k) in enumerate(taps):
            self.tapbinds[i].reg, self.tapbinds[i].state, self.tapbinds[i].tap = r, j, k
        self.viewbinds = ffi.new("cloop_viewbind[]", max(len(views), 1))
        for i, (r, parent, off) in enumerate(views):
            self.viewbinds[i].reg, self.viewbinds[i].parent, self.viewbinds[i].offset = r, parent, off
        self.n_taps, self.n_views = len(taps), len(views)
        self.static_index = np.array([r for r, *_ in self.static_regs], dtype=np.intp)
        self.static_offset = np.array([off for *_, off in self.static_regs], dtype=np.intp)
        self.static_is_ext = [(i, k) for i, (_, kind, k, _) in enumerate(self.static_regs) if kind == "ext"]
        self.chunk = 64

    # -- per call ----------------------------------------------------------------------------
    def frame(self, spec: ScanSpec, outer: Any, n_steps: int, windows: list, history: list) -> Frame:
        p = self.program
        arena = np.empty(p.arena_bytes + 64, dtype=np.uint8)
        shift = -address(arena) % 64
        arena = arena[shift:shift + p.arena_bytes]
        ext = self.external_values(spec, outer)
        rings, heads = [], []
        for j, ring in enumerate(p.rings):
            size = validate.ring_rows(ring, n_steps)
            buf = np.empty((size, *ring.row_shape), dtype=ring.dtype)
            if ring.role == "shared":
                buf[0] = outer.shared[ring.index]
            elif ring.depth:
                r = [o for o in spec.recurrent].index(spec.outputs[ring.index])
                for i, row in enumerate(history[r]):
                    buf[i] = row
            rings.append(buf)
            heads.append(ring.depth % size)
        seq_windows = []
        for win in p.windows:
            window = windows[win.seq][win.tap_index]
            array = outer.sequences[win.seq]
            if n_steps:
                base_offset = address(window) - address(array)
                seq_windows.append((array, base_offset, window.strides[0]))
            else:
                seq_windows.append((array, 0, 0))
        frame = Frame(arena, address(arena) if arena.size else 0, ext, rings, heads, seq_windows)
        validate.check_frame(p, frame, n_steps)
        return frame

    def external_values(self, spec: ScanSpec, outer: Any) -> list[np.ndarray]:
        p = self.program
        env: dict = dict(p.static_values)
        env.update(zip(spec.non_sequences, outer.non_sequences, strict=True))
        for node in p.invariant_nodes:
            values = [read(env, v) for v in node.inputs]
            for variable, value in zip(node.outputs, run_node(node, values), strict=True):
                env[variable] = value
        return [source[1] if source[0] == "array" else read(env, source[1]) for source in p.ext]

    def plan(self, frame: Frame) -> Any:
        """The cloop_plan of this call (fresh per call: calls may run concurrently)."""
        ffi, p = self.ffi, self.program
        regs = np.zeros(max(len(p.regs), 1), dtype=np.uintp)
        bases = np.full(len(self.static_regs), frame.arena_address, dtype=np.uintp)
        for i, k in self.static_is_ext:
            bases[i] = address(frame.ext[k])
        if len(self.static_regs):
            regs[self.static_index] = bases + self.static_offset.astype(np.uintp)
        plan = ffi.new("cloop_plan *")
        seq_base = ffi.new("char *[]", max(len(frame.windows), 1))
        seqbinds = ffi.new("cloop_seqbind[]", max(len(self.seq_regs), 1))
        for w, (array, base_offset, step) in enumerate(frame.windows):
            seq_base[w] = ffi.cast("char *", address(array) + base_offset)
        for i, (r, w, off) in enumerate(self.seq_regs):
            seqbinds[i].reg, seqbinds[i].seq = r, w
            seqbinds[i].offset, seqbinds[i].step = off, frame.windows[w][2]
        states = ffi.new("cloop_state[]", max(len(p.rings), 1))
        for j, (ring, buf) in enumerate(zip(p.rings, frame.rings, strict=True)):
            s = states[j]
            s.base = ffi.cast("char *", address(buf))
            s.row_bytes, s.size, s.head = ring.row_bytes, buf.shape[0], frame.heads[j]
            s.src, s.direct = ring.src, int(ring.direct)
        plan.abi_version = 0
        plan.n_code, plan.n_regs, plan.n_geoms, plan.n_fns = len(p.code), len(p.regs), len(p.geoms), len(p.fns)
        plan.n_seqbinds, plan.n_tapbinds, plan.n_viewbinds = len(self.seq_regs), self.n_taps, self.n_views
        plan.n_states, plan.n_seqs = len(p.rings), len(frame.windows)
        plan.until_reg, plan.blas_ilp64 = p.until_reg, self.blas_ilp64
        plan.code, plan.geoms = self.code, self.geoms
        plan.regs = ffi.cast("char **", ffi.from_buffer(regs))
        plan.seqbinds, plan.tapbinds, plan.viewbinds = seqbinds, self.tapbinds, self.viewbinds
        plan.states, plan.seq_base = states, seq_base
        plan.fns, plan.fn_data = self.fns, self.fn_data
        frame.keepalive = (regs, seq_base, seqbinds, states)
        return plan

    def run(self, frame: Frame, n_steps: int) -> int:
        """Run up to ``n_steps`` steps in chunks (KERN-RUN-2); the number of steps done."""
        plan = self.plan(frame)
        result = self.ffi.new("cloop_result *")
        t = 0
        while t < n_steps:
            stop = min(n_steps, t + self.chunk)
            start = time.perf_counter()
            status = self.lib.cloop_run(plan, t, stop, result)
            elapsed = time.perf_counter() - start
            if status < 0:
                raise KernelError(f"kernel status {status} at step {result.t}, instruction {result.pc}")
            done = result.t - t
            if done >= self.chunk and elapsed < CHUNK_SECONDS / 4:
                self.chunk = min(self.chunk * 4, 1 << 40)
            elif elapsed > CHUNK_SECONDS and done > 1:
                self.chunk = max(1, int(done * CHUNK_SECONDS / elapsed))
            t = result.t
            if status == 1:  # CLOOP_STOPPED
                break
        frame.heads = [plan.states[j].head for j in range(len(self.program.rings))]
        return t

    def collect(self, spec: ScanSpec, outer: Any, frame: Frame, steps: int, n_steps: int) -> list:
        """The loop's outputs as run_scan returns them (SCAN-OUT-1, SCAN-OUT-3, SCAN-UPD-3)."""
        p = self.program
        row_shapes: list = [None] * len(spec.outputs)
        if steps == 0:
            from reference.scan.shapes import infer_row_shapes

            row_shapes = first_row_shapes(spec, outer, None)
            if None in row_shapes:
                row_shapes = infer_row_shapes(spec, outer, row_shapes)
        results: list[Any] = [None] * len(spec.outputs)
        shared: list[Any] = list(outer.shared)
        for ring, buf in zip(p.rings, frame.rings, strict=True):
            size = buf.shape[0]
            produced = ring.depth + steps
            if ring.role == "shared":
                if steps:
                    shared[ring.index] = buf[(produced - 1) % size].copy()
                continue
            q = steps if ring.keep is None else min(ring.keep, steps)
            if q == 0:
                row = ring.row_shape if steps else row_shapes[ring.index]
                results[ring.index] = np.empty((0, *row), dtype=ring.dtype)
            elif produced <= size:
                results[ring.index] = buf[produced - q:produced].copy()
            else:
                results[ring.index] = buf[np.arange(produced - q, produced) % size]
        return results + shared


@dataclass
class Frame:
    arena: np.ndarray
    arena_address: int
    ext: list[np.ndarray]
    rings: list[np.ndarray]
    heads: list[int]
    windows: list[tuple[np.ndarray, int, int]]
    keepalive: Any = None


@dataclass
class Prepared:
    """The prologue of one call, shared by both paths."""

    outer: Any
    n_steps: int
    windows: list
    history: list


def prologue(spec: ScanSpec, values: Any) -> Prepared:
    outer = split_outer(spec, values)
    n_steps = trip_count(spec, outer)
    windows = sequence_windows(spec, outer, n_steps)
    history = init_history(spec, outer)
    return Prepared(outer, n_steps, windows, history)


def run_compiled(compiled: Compiled, spec: ScanSpec, prep: Prepared) -> list:
    frame = compiled.frame(spec, prep.outer, prep.n_steps, prep.windows, prep.history)
    steps = compiled.run(frame, prep.n_steps)
    return compiled.collect(spec, prep.outer, frame, steps, prep.n_steps)
