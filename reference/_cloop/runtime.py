"""Running a scan on the kernel.  Spec: spec/5-kernel.rst (KERN-RUN-*, KERN-BIND-*).

The C path reuses the Python path's prologue and epilogue (``reference.scan.run``:
``split_outer``, ``trip_count``, ``sequence_windows``, ``init_history``,
``first_row_shapes``/``infer_row_shapes``, the empty-trace rule of ``collect_outputs``) and
replaces only the loop: one :class:`Compiled` program per signature, a :class:`Frame` of
memory per call, and ``cloop_run`` over chunks of steps.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from reference._cloop import opcodes, specialise, validate
from reference._cloop.tape import Program, Unsupported
from reference.config import config
from reference.errors import SpecError
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


class KernelError(SpecError, RuntimeError):
    """The kernel returned an error status: a bug, since the validator accepted the program
    (KERN-SAFE-1)."""


def _lib() -> tuple[Any, Any]:
    from reference import _cloop

    if not _cloop.HAVE_CLOOP:
        raise Unsupported(f"the C kernel is not built: {_cloop.CLOOP_IMPORT_ERROR}")
    return _cloop.ffi, _cloop.lib


def address(array: np.ndarray) -> int:
    if array.flags.c_contiguous and _FFI is not None:
        return int(_FFI.cast("uintptr_t", _FFI.from_buffer(array)))
    return int(array.__array_interface__["data"][0])


def _ffi() -> Any:
    from reference import _cloop

    return _cloop.ffi


_FFI = _ffi()


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
        self.layout = specialise.Layout(self.static_regs, seq_regs, taps, views)
        # the generic kernel until the specialised tier takes over (KERN-TIER-2)
        self.kernel_run = lib.cloop_run
        self.tier, self.tier_failure = "generic", None
        self.building: Any = None   # the background build's Future (KERN-TIER-2)
        self.steps_run = 0
        self.static_index = np.array([r for r, *_ in self.static_regs], dtype=np.intp)
        self.static_offset = np.array([off for *_, off in self.static_regs], dtype=np.intp)
        self.static_is_ext = [(i, k) for i, (_, kind, k, _) in enumerate(self.static_regs) if kind == "ext"]
        self.chunk = 64
        self.spare: Bundle | None = None
        self.decision: Any = None   # dispatch.Decision of a call that ran this program
        self.recurrent_index: dict[int, int] = {}
        self.constant_addresses: dict[int, tuple[np.ndarray, int]] = {}
        self.nonseq_index: dict[Any, int] = {}
        # a map's blocked forms (KERN-BIND-3) by rows per block (None: does not lower),
        # built by dispatch.blocked_for on first use
        self.blocked: dict[int, Compiled | None] = {}
        self.row_elements = max([int(np.prod(r.row_shape, dtype=np.int64)) for r in program.rings]
                                + [int(np.prod(w.row_shape, dtype=np.int64)) for w in program.windows] + [1])

    def prepare(self, spec: ScanSpec) -> None:
        """Per-spec lookups used at every call."""
        self.recurrent_index = {spec.outputs.index(o): r for r, o in enumerate(spec.recurrent)}
        self.nonseq_index = {v: i for i, v in enumerate(spec.non_sequences)}
        p = self.program
        #: the program's own external arrays (constants): position -> (array, its address)
        self.constant_addresses = {k: (src[1], address(src[1])) for k, src in enumerate(p.ext) if src[0] == "array"}
        #: each external array as ("array", the array) or ("non-sequence", its position);
        #: None when an external is computed per call by the loop-invariant nodes
        self.direct_ext: list[tuple[str, Any]] | None = None
        if not p.invariant_nodes and all(src[0] == "array" or src[1] in self.nonseq_index for src in p.ext):
            self.direct_ext = [src if src[0] == "array" else ("non-sequence", self.nonseq_index[src[1]])
                               for src in p.ext]

    # -- per call ----------------------------------------------------------------------------
    def frame(self, spec: ScanSpec, outer: Any, n_steps: int, windows: list, history: list,
              bundle: Bundle | None = None, block: int = 1, window_steps: int | None = None) -> Frame:
        """The memory of ``n_steps`` kernel steps: externals, ring buffers with their initial
        rows, the sequence windows (read as they are by the first ``window_steps`` steps,
        default all); checked against the program (KERN-SAFE-1)."""
        p = self.program
        if bundle is None:
            arena = aligned_bytes(p.arena_bytes)
            arena_address = address(arena) if arena.size else 0
            old_rings: list = [None] * len(p.rings)
        else:
            arena, arena_address, old_rings = bundle.arena, bundle.arena_address, bundle.rings
        ext = self.external_values(spec, outer)
        for k1, off1, k2, off2 in p.distinct_ext:
            if address(ext[k1]) + off1 == address(ext[k2]) + off2:
                raise Unsupported("dot of a matrix and its own transpose: numpy uses syrk (not lowered)")
        rings, heads = [], []
        for j, ring in enumerate(p.rings):
            size = validate.ring_rows(ring, n_steps)
            buf = old_rings[j]
            if buf is None or buf.shape[0] != size:
                buf = np.empty((size, *ring.row_shape), dtype=ring.dtype)
            if ring.role == "shared":
                if ring.depth != 1 or getattr(outer.shared[ring.index], "shape", None) != ring.row_shape:
                    raise validate.InvalidProgram(f"ring {j} does not hold shared state {ring.index}")
                buf[0] = outer.shared[ring.index]
            elif ring.depth:
                r = self.recurrent_index.get(ring.index)
                if r is None or len(history[r]) != ring.depth:
                    raise validate.InvalidProgram(f"ring {j} does not match the initial rows of output {ring.index}")
                for i, row in enumerate(history[r]):
                    if getattr(row, "shape", None) != ring.row_shape:
                        raise validate.InvalidProgram(f"ring {j} does not match the initial rows of output {ring.index}")
                    buf[i] = row
            rings.append(buf)
            heads.append(ring.depth % size)
        seq_windows = []
        for win in p.windows:
            array = outer.sequences[win.seq]
            if n_steps:
                window = windows[win.seq][win.tap_index]
                seq_windows.append((array, address(window) - address(array), window.strides[0] * block))
            else:
                seq_windows.append((array, 0, 0))
        frame = Frame(arena, arena_address, ext, rings, heads, seq_windows)
        validate.check_frame(p, frame, n_steps, window_steps)
        return frame

    def external_values(self, spec: ScanSpec, outer: Any) -> list[np.ndarray]:
        if self.direct_ext is not None:
            return [value if kind == "array" else outer.non_sequences[value] for kind, value in self.direct_ext]
        p = self.program
        env: dict = dict(p.static_values)
        env.update(zip(spec.non_sequences, outer.non_sequences, strict=True))
        for node in p.invariant_nodes:
            values = [read(env, v) for v in node.inputs]
            for variable, value in zip(node.outputs, run_node(node, values), strict=True):
                env[variable] = value
        return [source[1] if source[0] == "array" else read(env, source[1]) for source in p.ext]

    def external_address(self, k: int, array: np.ndarray) -> int:
        """The address of external array ``k``; known in advance for the program's own."""
        known = self.constant_addresses.get(k)
        return known[1] if known is not None and known[0] is array else address(array)

    def plan(self, frame: Frame, bundle: Bundle | None = None) -> Any:
        """The cloop_plan of this call: a bundle's structures with this call's addresses."""
        bundle = bundle if bundle is not None else Bundle(self)
        bundle.bind(frame)
        frame.keepalive = bundle
        return bundle.plan

    def run(self, frame: Frame, n_steps: int, bundle: Bundle | None = None, start: int = 0) -> int:
        """Run kernel steps ``start`` .. ``n_steps - 1`` in chunks (KERN-RUN-2); the number
        of steps done by then."""
        bundle = bundle if bundle is not None else Bundle(self)
        if start and bundle.frame is frame:  # continuing this frame: only its windows moved
            bundle.bind_windows(frame)
            plan = bundle.plan
        else:
            plan = self.plan(frame, bundle)
        result = bundle.result
        loop_steps = (n_steps - start) * max(self.program.block, 1)  # a blocked step runs `block`
        self.choose_tier(loop_steps)
        self.steps_run += loop_steps
        t = start
        if 0 < n_steps - start <= self.chunk:  # a short loop: one call, no timing
            status = self.kernel_run(plan, start, n_steps, result)
            if status < 0:
                raise KernelError("KERN-SAFE-1", f"kernel status {status} at step {result.t}, "
                                  f"instruction {result.pc}")
            t = n_steps if status == 0 else result.t
            n_steps = 0
        while t < n_steps:
            stop = min(n_steps, t + self.chunk)
            start = time.perf_counter()
            status = self.kernel_run(plan, t, stop, result)
            elapsed = time.perf_counter() - start
            if status < 0:
                raise KernelError("KERN-SAFE-1", f"kernel status {status} at step {result.t}, "
                                  f"instruction {result.pc}")
            done = result.t - t
            if done >= self.chunk and elapsed < CHUNK_SECONDS / 4:
                self.chunk = min(self.chunk * 4, 1 << 40)
            elif elapsed > CHUNK_SECONDS and done > 1:
                self.chunk = max(1, int(done * CHUNK_SECONDS / elapsed))
            t = result.t
            if status == 1:  # CLOOP_STOPPED
                break
        frame.heads = [bundle.states[j].head for j in range(len(self.program.rings))]
        return t

    def choose_tier(self, n_steps: int) -> None:
        """Switch to the specialised tier when the flag asks for it (built now), or
        (``auto``) at the first call after its background build, which starts once this
        program has run SPECIALISE_AFTER_STEPS steps with this call (KERN-TIER-2)."""
        want = config.cloop__tier
        if want == "generic":
            self.kernel_run, self.tier = self.lib.cloop_run, "generic"
            return
        if self.tier == "specialised" or self.tier_failure is not None:
            return
        if want == "auto":
            if self.steps_run + n_steps < specialise.SPECIALISE_AFTER_STEPS:
                return
            if self.building is None:
                self.building = specialise.in_background(self.program, self.layout)
            if not self.building.done():
                return  # a call never waits for a compile under auto
            build, self.building = self.building.result, None
        else:
            build = functools.partial(specialise.specialise, self.program, self.layout)
        try:
            self.kernel_run = build()
        except specialise.TierUnavailable as error:
            self.tier_failure = str(error)
            return
        self.tier = "specialised"

    @property
    def tier_reason(self) -> str:
        """Why ``tier`` runs this program (``reference.explain``)."""
        if self.tier == "specialised":
            return "C generated for this program"
        if self.tier_failure is not None:
            return f"unavailable: {self.tier_failure}"
        if config.cloop__tier == "generic":
            return "cloop__tier='generic'"
        if self.building is not None:
            return f"generic while its specialised C compiles in the background ({self.steps_run} steps run)"
        return f"generic until {specialise.SPECIALISE_AFTER_STEPS} steps have run ({self.steps_run} so far)"

    def take_bundle(self) -> Bundle:
        """The structures of one call: reused when no other call holds them."""
        bundle, self.spare = self.spare, None
        return bundle if bundle is not None else Bundle(self)

    def give_bundle(self, bundle: Bundle, frame: Frame) -> None:
        bundle.rings = frame.rings
        self.spare = bundle

    def collect(self, spec: ScanSpec, outer: Any, frame: Frame, steps: int, n_steps: int) -> list:
        """The loop's outputs as run_scan returns them (SCAN-OUT-1, SCAN-OUT-3, SCAN-UPD-3)."""
        p = self.program
        if steps == 0:  # the rows of empty traces (SCAN-OUT-3)
            from reference.scan.shapes import infer_row_shapes

            row_shapes = first_row_shapes(spec, outer, None)
            if None in row_shapes:
                row_shapes = infer_row_shapes(spec, outer, row_shapes)
        results: list[Any] = [None] * len(spec.outputs)
        shared: list[Any] = list(outer.shared)
        for j, ring in enumerate(p.rings):
            buf = frame.rings[j]
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


def aligned_bytes(n: int) -> np.ndarray:
    raw = np.empty(n + 64, dtype=np.uint8)
    shift = -address(raw) % 64
    return raw[shift:shift + n]


class Bundle:
    """The C structures of one call of a compiled program: the plan, the register file,
    ring states, sequence bases and the arena, built once and rebound at each call."""

    def __init__(self, compiled: Compiled) -> None:
        ffi, p = compiled.ffi, compiled.program
        self.compiled = compiled
        self.arena = aligned_bytes(p.arena_bytes)
        self.arena_address = address(self.arena) if self.arena.size else 0
        self.rings: list = [None] * len(p.rings)
        self.regs = np.zeros(max(len(p.regs), 1), dtype=np.uintp)
        for r, kind, _, offset in compiled.static_regs:
            if kind == "arena":
                self.regs[r] = self.arena_address + offset
        self.ext_regs = [(r, k, offset) for r, kind, k, offset in compiled.static_regs if kind == "ext"]
        self.states = ffi.new("cloop_state[]", max(len(p.rings), 1))
        for j, ring in enumerate(p.rings):
            self.states[j].row_bytes, self.states[j].src = ring.row_bytes, ring.src
            self.states[j].direct = int(ring.direct)
        self.seq_base = ffi.new("char *[]", max(len(p.windows), 1))
        self.seqbinds = ffi.new("cloop_seqbind[]", max(len(compiled.seq_regs), 1))
        for i, (r, w, off) in enumerate(compiled.seq_regs):
            self.seqbinds[i].reg, self.seqbinds[i].seq, self.seqbinds[i].offset = r, w, off
        self.result = ffi.new("cloop_result *")
        self.frame: Frame | None = None  # the frame bound last
        plan = self.plan = ffi.new("cloop_plan *")
        plan.abi_version = 0
        plan.n_code, plan.n_regs, plan.n_geoms, plan.n_fns = len(p.code), len(p.regs), len(p.geoms), len(p.fns)
        plan.n_seqbinds, plan.n_tapbinds = len(compiled.seq_regs), compiled.n_taps
        plan.n_viewbinds, plan.n_states, plan.n_seqs = compiled.n_views, len(p.rings), len(p.windows)
        plan.until_reg, plan.blas_ilp64 = p.until_reg, compiled.blas_ilp64
        plan.code, plan.geoms = compiled.code, compiled.geoms
        plan.regs = ffi.cast("char **", ffi.from_buffer(self.regs))
        plan.seqbinds, plan.tapbinds, plan.viewbinds = self.seqbinds, compiled.tapbinds, compiled.viewbinds
        plan.states, plan.seq_base = self.states, self.seq_base
        plan.fns, plan.fn_data = compiled.fns, compiled.fn_data

    def bind(self, frame: Frame) -> None:
        """This call's addresses: externals, sequence windows, ring buffers and heads."""
        ffi, compiled = self.compiled.ffi, self.compiled
        regs = self.regs
        if frame.arena_address != self.arena_address:
            for r, kind, _, offset in compiled.static_regs:
                if kind == "arena":
                    regs[r] = frame.arena_address + offset
        ext_address = [compiled.external_address(k, a) for k, a in enumerate(frame.ext)]
        for r, k, offset in self.ext_regs:
            regs[r] = ext_address[k] + offset
        self.bind_windows(frame)
        for j, buf in enumerate(frame.rings):
            s = self.states[j]
            s.base = ffi.from_buffer(buf)  # C-contiguous (check_frame): its first byte
            s.size, s.head = buf.shape[0], frame.heads[j]
        self.frame = frame

    def bind_windows(self, frame: Frame) -> None:
        """This call's sequence windows: their first rows and steps."""
        ffi = self.compiled.ffi
        for w, (array, base_offset, _) in enumerate(frame.windows):
            self.seq_base[w] = ffi.cast("char *", address(array) + base_offset)
        for i, (_, w, _) in enumerate(self.compiled.seq_regs):
            self.seqbinds[i].step = frame.windows[w][2]


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


#: at most this many loop steps per kernel step when a map runs in blocks (KERN-BIND-3)
BLOCK_ROWS = 1024
#: and about this many elements per register of a block
BLOCK_ELEMENTS = 8192


def block_rows(compiled: Compiled) -> int:
    """Loop steps per kernel step for a map whose rows are ``compiled``'s rows."""
    return max(1, min(BLOCK_ROWS, BLOCK_ELEMENTS // max(compiled.row_elements, 1)))


def run_blocked(blocked: Compiled, compiled: Compiled, spec: ScanSpec, prep: Prepared) -> list:
    """A map in blocks: ``n_steps // block`` kernel steps of the blocked program; the
    remaining steps are the last rows of one more kernel step, whose block ends at the last
    step and so overlaps the block before it (KERN-BIND-3)."""
    block = blocked.program.block
    n_blocks = prep.n_steps // block
    tail = prep.n_steps - n_blocks * block
    steps = n_blocks + (1 if tail else 0)
    bundle = blocked.take_bundle()
    frame = blocked.frame(spec, prep.outer, steps, prep.windows, prep.history, bundle, block, window_steps=n_blocks)
    blocked.run(frame, n_blocks, bundle)
    if tail:  # the windows moved back by block - tail rows: kernel step n_blocks ends at the last row
        frame.windows = [(array, base + (tail - block) * (step // block), step) for array, base, step in frame.windows]
        validate.check_windows(blocked.program, frame, n_blocks, n_blocks)
        blocked.run(frame, steps, bundle, start=n_blocks)
    results = []
    for j, (ring, buf) in enumerate(zip(blocked.program.rings, frame.rings, strict=True)):
        if ring.keep is None:  # every block, in order from row 0: the buffer is the result
            trace = every_loop_row(ring, buf, n_blocks, tail, block)
            frame.rings[j] = None  # so the next call does not reuse it
        else:
            trace = loop_rows(ring, buf, n_blocks, tail, block)
        keep = prep_keep(compiled, ring.index)
        results.append(trace if keep is None else trace[len(trace) - min(keep, len(trace)):].copy())
    blocked.give_bundle(bundle, frame)
    order = sorted(range(len(results)), key=lambda k: blocked.program.rings[k].index)
    return [results[k] for k in order]


def every_loop_row(ring: Any, buf: np.ndarray, n_blocks: int, tail: int, block: int) -> np.ndarray:
    """The loop rows of a ring buffer that kept every kernel step: a view of the buffer,
    with the new rows of the overlapping block moved up to follow the full blocks."""
    rows = buf.reshape(-1, *ring.row_shape[1:])
    end = n_blocks * block
    if tail:
        rows[end:end + tail] = rows[end + block - tail:end + block]  # numpy copies overlaps safely
    return rows[:end + tail]


def loop_rows(ring: Any, buf: np.ndarray, n_blocks: int, tail: int, block: int) -> np.ndarray:
    """The loop rows a blocked ring buffer holds after ``n_blocks`` full kernel steps and,
    if ``tail``, the overlapping one (its last ``tail`` rows are new), as a fresh array."""
    steps = n_blocks + (1 if tail else 0)
    kept = steps if ring.keep is None else min(ring.keep, steps)
    size = buf.shape[0]
    full = [s % size for s in range(steps - kept, n_blocks)]  # the full blocks still held
    trace = np.empty((len(full) * block + tail, *ring.row_shape[1:]), dtype=buf.dtype)
    if full and full == list(range(full[0], full[0] + len(full))):
        trace[:len(full) * block] = buf[full[0]:full[0] + len(full)].reshape(-1, *ring.row_shape[1:])
    elif full:
        trace[:len(full) * block] = buf[full].reshape(-1, *ring.row_shape[1:])
    if tail:
        trace[len(full) * block:] = buf[n_blocks % size][block - tail:]
    return trace


def prep_keep(compiled: Compiled, output: int) -> int | None:
    return next(r.keep for r in compiled.program.rings if r.role == "output" and r.index == output)


def run_compiled(compiled: Compiled, spec: ScanSpec, prep: Prepared) -> list:
    bundle = compiled.take_bundle()
    frame = compiled.frame(spec, prep.outer, prep.n_steps, prep.windows, prep.history, bundle)
    steps = compiled.run(frame, prep.n_steps, bundle)
    results = compiled.collect(spec, prep.outer, frame, steps, prep.n_steps)
    compiled.give_bundle(bundle, frame)  # not on an exception: a half-run bundle is dropped
    return results
