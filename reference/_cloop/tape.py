"""Programs for the kernel: registers, instructions, geometries.  Spec: spec/5-kernel.rst.

A :class:`Program` is the lowered form of one scan's step for one signature (the dtypes,
shapes and strides of the loop's inputs): a flat typed *tape* of instructions over
*registers* with static shapes.  It says nothing about a particular call; the per-call
memory (arena, ring buffers, external arrays) is in ``runtime.Frame``.

Where a register's bytes live (its *root*):

* ``("arena",)``: a temporary in the call's arena, C-contiguous, 64-byte aligned;
* ``("ext", k)``: external array ``k`` of the call (a constant, a non-sequence, a value
  computed once per call before the loop);
* ``("seq", s)``: the row of sequence window ``s`` read at step ``t`` (bound per step);
* ``("tap", j, k)``: the row ``k`` steps back of ring buffer ``j`` (bound per step);
* ``("head", j)``: the row ring buffer ``j`` writes at this step (bound per step: the
  instruction computing an output writes it in place).

A register has a byte ``offset`` from its root and byte ``strides``, so views (subtensor,
dimshuffle) are registers without instructions.  ``py_strides`` are the strides numpy's
value has on the Python path (``None``: unknown); only ops whose numpy result depends on
memory order (float reductions, BLAS) read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reference._cloop import opcodes

ALIGN = 64


def c_strides(shape: tuple[int, ...], itemsize: int) -> tuple[int, ...]:
    strides = []
    step = itemsize
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


def is_c_contiguous(shape: tuple[int, ...], strides: tuple[int, ...] | None, itemsize: int) -> bool:
    """numpy's C-contiguity: strides of axes of length 1 do not matter."""
    if strides is None:
        return False
    if 0 in shape:
        return True
    step = itemsize
    for n, s in zip(reversed(shape), reversed(strides), strict=True):
        if n != 1 and s != step:
            return False
        step *= n
    return True


def is_f_contiguous(shape: tuple[int, ...], strides: tuple[int, ...] | None, itemsize: int) -> bool:
    if strides is None:
        return False
    return is_c_contiguous(tuple(reversed(shape)), tuple(reversed(strides)), itemsize)


def extent(shape: tuple[int, ...], strides: tuple[int, ...], itemsize: int) -> tuple[int, int]:
    """Bytes touched, ``[lo, hi)`` relative to the first element; ``(0, 0)`` if empty."""
    if 0 in shape:
        return (0, 0)
    lo = hi = 0
    for n, s in zip(shape, strides, strict=True):
        if s < 0:
            lo += (n - 1) * s
        else:
            hi += (n - 1) * s
    return (lo, hi + itemsize)


@dataclass
class Register:
    index: int
    name: str
    dtype: np.dtype
    shape: tuple[int, ...]
    strides: tuple[int, ...]
    root: tuple
    offset: int = 0
    py_strides: tuple[int, ...] | None = None
    origin: str = "temp"   # temp, const, input, invariant, view

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def nbytes(self) -> int:
        return self.size * self.itemsize

    @property
    def c_contiguous(self) -> bool:
        return is_c_contiguous(self.shape, self.strides, self.itemsize)

    @property
    def py_c_contiguous(self) -> bool:
        """numpy's value on the Python path is C-contiguous, with the same layout as ours."""
        return self.c_contiguous and is_c_contiguous(self.shape, self.py_strides, self.itemsize)

    def describe(self) -> str:
        dims = ",".join(map(str, self.shape))
        root = self.root[0] if self.root[0] == "arena" else ":".join(map(str, self.root))
        return f"r{self.index} {self.dtype.name}[{dims}] {root}+{self.offset} {self.name}"


@dataclass(frozen=True)
class Geom:
    n: tuple[int, int, int]
    s: tuple[tuple[int, int, int], ...]   # four operands: dst, a, b, c


@dataclass(frozen=True)
class FnRef:
    """A function pointer the kernel calls: a ufunc loop ``("ufunc", module.name, types)``
    or a BLAS routine ``("blas", name)``."""

    kind: str
    name: str
    types: str = ""

    def __str__(self) -> str:
        return f"{self.name}[{self.types}]" if self.types else self.name


@dataclass
class Instr:
    op: str
    dst: int
    a: int = -1
    b: int = -1
    c: int = -1
    geom: int = -1
    fn: int = -1
    imm: tuple[int, ...] = ()
    flags: int = 0
    note: str = ""


@dataclass
class Ring:
    """A ring buffer: ``depth`` initial rows, then one row per step; ``size`` rows."""

    name: str
    role: str                  # "output" or "shared"
    index: int                 # output index in spec.outputs, or shared-state index
    dtype: np.dtype
    row_shape: tuple[int, ...]
    depth: int
    taps: tuple[int, ...]
    src: int = -1              # register holding the step's row
    direct: bool = False       # src is bound to the head row (written in place)
    keep: int | None = None    # rows of the result to keep (None: all)

    @property
    def row_bytes(self) -> int:
        return int(np.prod(self.row_shape, dtype=np.int64)) * self.dtype.itemsize


@dataclass
class SeqWindow:
    """The rows sequence ``seq`` offers at tap ``tap``: a window of the outer array."""

    seq: int
    tap_index: int
    dtype: np.dtype
    row_shape: tuple[int, ...]
    row_strides: tuple[int, ...]

    def extent(self) -> tuple[int, int]:
        return extent(tuple(self.row_shape), tuple(self.row_strides), self.dtype.itemsize)


@dataclass
class Program:
    regs: list[Register] = field(default_factory=list)
    code: list[Instr] = field(default_factory=list)
    geoms: list[Geom] = field(default_factory=list)
    fns: list[FnRef] = field(default_factory=list)
    ext: list[Any] = field(default_factory=list)       # per-call source of each external array
    ext_meta: list[tuple] = field(default_factory=list)  # (dtype, shape, strides) expected
    windows: list[SeqWindow] = field(default_factory=list)
    rings: list[Ring] = field(default_factory=list)
    invariant_nodes: list[Any] = field(default_factory=list)
    static_values: dict = field(default_factory=dict)   # statics the invariant nodes read
    distinct_ext: list = field(default_factory=list)    # (k1, off1, k2, off2): must not alias
    until_reg: int = -1
    arena_bytes: int = 0
    name: str = ""
    block: int = 0           # > 0: each kernel step runs `block` steps of the loop

    # -- building ------------------------------------------------------------------------
    def add_register(self, name: str, dtype: Any, shape: tuple[int, ...], strides: tuple[int, ...],
                     root: tuple, offset: int = 0, py_strides: tuple[int, ...] | None = None,
                     origin: str = "temp") -> Register:
        reg = Register(len(self.regs), name, np.dtype(dtype), tuple(int(n) for n in shape),
                       tuple(int(s) for s in strides), root, int(offset), py_strides, origin)
        self.regs.append(reg)
        return reg

    def temp(self, dtype: Any, shape: tuple[int, ...], name: str = "") -> Register:
        dtype = np.dtype(dtype)
        offset = -(-self.arena_bytes // ALIGN) * ALIGN
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        self.arena_bytes = offset + max(nbytes, 1)
        strides = c_strides(tuple(shape), dtype.itemsize)
        return self.add_register(name, dtype, shape, strides, ("arena",), offset, strides)

    def external(self, source: Any, value: np.ndarray, name: str = "", origin: str = "const") -> Register:
        """A register over external array ``value`` (fetched per call from ``source``)."""
        k = len(self.ext)
        self.ext.append(source)
        self.ext_meta.append((value.dtype, value.shape, value.strides))
        return self.add_register(name, value.dtype, value.shape, value.strides, ("ext", k), 0,
                                 value.strides, origin)

    def view(self, parent: Register, offset: int, shape: tuple[int, ...], strides: tuple[int, ...],
             name: str = "", py_strides: tuple[int, ...] | None = None) -> Register:
        return self.add_register(name, parent.dtype, shape, strides, parent.root,
                                 parent.offset + offset, py_strides, "view")

    def fn_index(self, ref: FnRef) -> int:
        if ref not in self.fns:
            self.fns.append(ref)
        return self.fns.index(ref)

    def geom_index(self, geom: Geom) -> int:
        if geom not in self.geoms:
            self.geoms.append(geom)
        return self.geoms.index(geom)

    def emit(self, instr: Instr) -> Instr:
        self.code.append(instr)
        return instr

    # -- elementwise -----------------------------------------------------------------------
    def elementwise(self, opname: str, dst: Register, *operands: Register, note: str = "") -> Instr:
        """``dst = op(*operands)`` with numpy broadcasting of the operands to ``dst.shape``."""
        op = opcodes.BY_NAME[opname]
        assert op.kind == f"ew{len(operands)}", (opname, len(operands))
        n, strides = broadcast_geometry(dst, operands)
        flags = elementwise_flags(dst, operands, n, strides)
        geom = self.geom_index(Geom(n, strides))
        ids = [r.index for r in operands] + [-1] * (3 - len(operands))
        return self.emit(Instr(opname, dst.index, *ids, geom=geom, flags=flags, note=note))

    def call(self, ref: FnRef, dst: Register, *operands: Register, note: str = "") -> Instr:
        """A numpy ufunc loop applied elementwise (broadcasting) to ``operands``."""
        n, strides = broadcast_geometry(dst, operands)
        geom = self.geom_index(Geom(n, strides))
        ids = [r.index for r in operands] + [-1] * (2 - len(operands))
        return self.emit(Instr(f"CALL{len(operands)}", dst.index, ids[0], ids[1],
                               geom=geom, fn=self.fn_index(ref), note=note))

    def call_geometry(self, ref: FnRef, dst: Register, operands: list[Register], geom: Geom,
                      note: str = "") -> Instr:
        ids = [r.index for r in operands] + [-1] * (2 - len(operands))
        return self.emit(Instr(f"CALL{len(operands)}", dst.index, ids[0], ids[1],
                               geom=self.geom_index(geom), fn=self.fn_index(ref), note=note))


class Unsupported(Exception):
    """This graph, op or value cannot run on the kernel; the message says why."""


def broadcast_geometry(dst: Register, operands: tuple[Register, ...] | list[Register]
                       ) -> tuple[tuple[int, int, int], tuple[tuple[int, int, int], ...]]:
    """The loop nest of an elementwise op: ``dst.shape`` with each operand's strides (0 on
    broadcast axes), axes of length 1 dropped and mergeable axes merged, at most three."""
    ndim = len(dst.shape)
    cols: list[list[int]] = [list(dst.strides)]
    for reg in operands:
        pad = ndim - len(reg.shape)
        if pad < 0:
            raise Unsupported(f"operand {reg.name} has more axes than the result")
        s = [0] * pad
        for axis, (length, stride) in enumerate(zip(reg.shape, reg.strides, strict=True)):
            out = dst.shape[pad + axis]
            if length == out:
                s.append(stride)
            elif length == 1:
                s.append(0)
            else:
                raise Unsupported(f"shape {reg.shape} does not broadcast to {dst.shape}")
        cols.append(s)
    while len(cols) < 4:
        cols.append([0] * ndim)
    axes = [(dst.shape[i], [c[i] for c in cols]) for i in range(ndim) if dst.shape[i] != 1]
    if any(length == 0 for length, _ in axes):
        axes = [(0, [0, 0, 0, 0])]
    merged: list[tuple[int, list[int]]] = []
    for length, s in axes:
        if merged:
            plen, ps = merged[-1]
            if all(ps[k] == s[k] * length for k in range(4)):
                merged[-1] = (plen * length, s)
                continue
        merged.append((length, s))
    if len(merged) > 3:
        raise Unsupported(f"elementwise loop over {len(merged)} axes (the kernel runs at most 3)")
    while len(merged) < 3:
        merged.insert(0, (1, [0, 0, 0, 0]))
    n = tuple(length for length, _ in merged)
    strides = tuple(tuple(merged[i][1][k] for i in range(3)) for k in range(4))
    return n, strides  # type: ignore[return-value]


def elementwise_flags(dst: Register, operands: Any, n: tuple, strides: tuple) -> int:
    if dst.size == 1 and all(r.size == 1 for r in operands):
        return 1  # CLOOP_F_SCALAR
    if n[0] == 1 and n[1] == 1 and strides[0][2] == dst.itemsize and all(
            strides[k + 1][2] in (0, r.itemsize) for k, r in enumerate(operands)):
        return 2  # CLOOP_F_FLAT
    return 0


def disassemble(program: Program) -> str:
    """The program, readably: registers, then one line per instruction."""
    lines = [f"program {program.name!r}: {len(program.code)} instructions, "
             f"{len(program.regs)} registers, arena {program.arena_bytes} bytes"
             + (f", {program.block} loop steps per kernel step" if program.block else "")]
    lines.append("registers:")
    lines += [f"  {r.describe()}" for r in program.regs]
    if program.windows:
        lines.append("sequence windows:")
        lines += [f"  w{i}: sequence {w.seq} tap #{w.tap_index} {w.dtype.name}{list(w.row_shape)}"
                  for i, w in enumerate(program.windows)]
    if program.rings:
        lines.append("ring buffers:")
        for j, ring in enumerate(program.rings):
            how = "in place" if ring.direct else "copied"
            lines.append(f"  ring{j}: {ring.role} {ring.name} {ring.dtype.name}{list(ring.row_shape)}"
                         f" depth {ring.depth} taps {list(ring.taps)} <- r{ring.src} ({how})"
                         f" keep {'all' if ring.keep is None else ring.keep}")
    if program.invariant_nodes:
        lines.append("computed once per call (loop-invariant):")
        lines += [f"  {node}" for node in program.invariant_nodes]
    lines.append("code:")
    for pc, ins in enumerate(program.code):
        args = ", ".join(f"r{i}" for i in (ins.a, ins.b, ins.c) if i >= 0)
        extra = []
        if ins.geom >= 0:
            g = program.geoms[ins.geom]
            extra.append(f"loop {'x'.join(map(str, g.n))}")
        if ins.fn >= 0:
            extra.append(f"fn {program.fns[ins.fn]}")
        if ins.imm:
            extra.append(f"imm {list(ins.imm)}")
        tail = f"  ; {', '.join(extra)}" if extra else ""
        note = f"  # {ins.note}" if ins.note else ""
        lines.append(f"  {pc:3d}  r{ins.dst} = {ins.op}({args}){tail}{note}")
    if program.until_reg >= 0:
        lines.append(f"until: r{program.until_reg}")
    return "\n".join(lines)
