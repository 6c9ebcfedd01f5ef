"""Checking a program and a call's frame before the kernel sees them.  Spec: KERN-SAFE-1.

The kernel trusts every index, offset and size it is given; these checks are what makes
that safe.  :func:`check_program` runs once per lowered program: every opcode, register,
geometry, function and immediate, and that every byte an instruction can touch lies inside
the register it names and every register inside its root.  :func:`check_frame` runs before
every call: the arrays bound to the program (arena, ring buffers, external arrays, the
sequence windows for every step) have the sizes, strides and alignment the program was
checked against.  Any failure raises :class:`InvalidProgram` and the kernel is not called.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference._cloop import opcodes
from reference._cloop.tape import Program, Register, extent

INT32_MAX = 2**31 - 1


class InvalidProgram(Exception):
    """A program or frame that the kernel must not run; the message says what is wrong."""


def _fail(message: str) -> None:
    raise InvalidProgram(message)


def root_extent(program: Program, root: tuple) -> tuple[int, int]:
    kind = root[0]
    if kind == "arena":
        return (0, program.arena_bytes)
    if kind == "ext":
        k = root[1]
        if not 0 <= k < len(program.ext_meta):
            _fail(f"register root {root}: no external array {k}")
        dtype, shape, strides = program.ext_meta[k]
        return extent(tuple(shape), tuple(strides), np.dtype(dtype).itemsize)
    if kind == "seq":
        w = root[1]
        if not 0 <= w < len(program.windows):
            _fail(f"register root {root}: no sequence window {w}")
        win = program.windows[w]
        return extent(tuple(win.row_shape), tuple(win.row_strides), win.dtype.itemsize)
    if kind in ("tap", "head"):
        j = root[1]
        if not 0 <= j < len(program.rings):
            _fail(f"register root {root}: no ring {j}")
        ring = program.rings[j]
        if kind == "tap" and not (isinstance(root[2], int) and root[2] < 0 and -root[2] <= ring.depth):
            _fail(f"register root {root}: tap must be in [-{ring.depth}, -1]")
        return (0, ring.row_bytes)
    _fail(f"unknown register root {root}")
    return (0, 0)


def register_extent(reg: Register) -> tuple[int, int]:
    lo, hi = extent(reg.shape, reg.strides, reg.itemsize)
    return (reg.offset + lo, reg.offset + hi) if hi > lo else (reg.offset, reg.offset)


def check_register(program: Program, reg: Register) -> None:
    if reg.dtype not in opcodes.NP_DTYPES:
        _fail(f"r{reg.index}: dtype {reg.dtype} is not a kernel dtype")
    if len(reg.shape) != len(reg.strides) or any(n < 0 for n in reg.shape):
        _fail(f"r{reg.index}: bad shape {reg.shape} / strides {reg.strides}")
    if reg.offset % reg.itemsize or any(s % reg.itemsize for s in reg.strides):
        _fail(f"r{reg.index}: offset {reg.offset} or strides {reg.strides} not aligned to {reg.itemsize}")
    lo, hi = root_extent(program, reg.root)
    rlo, rhi = register_extent(reg)
    if rhi > rlo and (rlo < lo or rhi > hi):
        _fail(f"r{reg.index} ({reg.name}): bytes [{rlo}, {rhi}) outside its root {reg.root} [{lo}, {hi})")


def geometry_touch(n: tuple, strides: tuple, itemsize: int) -> tuple[int, int]:
    return extent(tuple(n), tuple(strides), itemsize)


def check_operand(program: Program, pc: int, reg: Register, n: tuple, strides: tuple) -> None:
    if any(s % reg.itemsize for s in strides):  # every element the loop reads is aligned
        _fail(f"instruction {pc}: loop strides {strides} of r{reg.index} are not multiples of {reg.itemsize}")
    lo, hi = geometry_touch(n, strides, reg.itemsize)
    if hi <= lo:
        return
    rlo, rhi = register_extent(reg)
    if reg.offset + lo < rlo or reg.offset + hi > rhi:
        _fail(f"instruction {pc}: the loop touches bytes [{reg.offset + lo}, {reg.offset + hi}) "
              f"of r{reg.index}, which holds [{rlo}, {rhi})")


def _reg(program: Program, pc: int, i: int, what: str) -> Register:
    if not isinstance(i, int) or not 0 <= i < len(program.regs):
        _fail(f"instruction {pc}: {what} register {i} does not exist")
    return program.regs[i]


def _writable(program: Program, pc: int, reg: Register) -> None:
    if reg.root[0] in ("ext", "seq", "tap"):
        _fail(f"instruction {pc} writes r{reg.index}, which is an input ({reg.root[0]})")


def check_instruction(program: Program, pc: int) -> None:
    ins = program.code[pc]
    op = opcodes.BY_NAME.get(ins.op)
    if op is None:
        _fail(f"instruction {pc}: unknown opcode {ins.op!r}")
    if op.kind == "halt":
        return
    dst = _reg(program, pc, ins.dst, "dst")
    _writable(program, pc, dst)
    if op.kind.startswith("ew") or op.kind.startswith("call"):
        nin = int(op.kind[-1])
        operands = [_reg(program, pc, i, "input") for i in (ins.a, ins.b, ins.c)[:nin]]
        if not 0 <= ins.geom < len(program.geoms):
            _fail(f"instruction {pc}: geometry {ins.geom} does not exist")
        g = program.geoms[ins.geom]
        if len(g.n) != 3 or len(g.s) != 4 or any(n < 0 for n in g.n):
            _fail(f"instruction {pc}: malformed geometry {g}")
        if op.kind.startswith("ew"):
            dtypes = tuple(r.dtype for r in (dst, *operands))
            if dtypes != opcodes.NP_OPERANDS[op.name]:
                _fail(f"instruction {pc}: {ins.op} takes {op.dtypes}, got {tuple(dtypes)}")
            if ins.flags & 1 and (dst.size != 1 or any(r.size != 1 for r in operands)):
                _fail(f"instruction {pc}: SCALAR flag on non-scalar operands")
            if ins.flags & 2 and (g.n[0] != 1 or g.n[1] != 1 or g.s[0][2] != dst.itemsize
                                  or any(g.s[k + 1][2] not in (0, r.itemsize) for k, r in enumerate(operands))):
                _fail(f"instruction {pc}: FLAT flag on a non-flat loop")
            if ins.flags & 1:
                return
        else:
            check_call_types(program, pc, ins.fn, [*operands, dst])
        check_operand(program, pc, dst, g.n, g.s[0])
        for k, reg in enumerate(operands):
            check_operand(program, pc, reg, g.n, g.s[k + 1])
        return
    a, b = _reg(program, pc, ins.a, "input"), _reg(program, pc, ins.b, "input")
    if not 0 <= ins.fn < len(program.fns) or program.fns[ins.fn].kind not in ("blas", "ufunc"):
        _fail(f"instruction {pc}: function {ins.fn} does not exist")
    check_linalg(program, pc, op, dst, a, b, tuple(ins.imm))


def check_call_types(program: Program, pc: int, fn: int, regs: list[Register]) -> None:
    if not 0 <= fn < len(program.fns) or program.fns[fn].kind != "ufunc":
        _fail(f"instruction {pc}: function {fn} is not a ufunc loop")
    types = program.fns[fn].types
    want = types.replace("->", "")
    got = "".join(r.dtype.char for r in regs)
    if want != got:
        _fail(f"instruction {pc}: loop {program.fns[fn]} takes {types}, registers are {got}")


def check_linalg(program: Program, pc: int, op: Any, dst: Register, a: Register, b: Register,
                 imm: tuple) -> None:
    dtype = opcodes.NP_OPERANDS[op.name][0] if op.dtypes else a.dtype
    isz = dtype.itemsize
    if any(r.dtype != dtype for r in (dst, a, b)):
        _fail(f"instruction {pc}: {op.name} on {a.dtype}, {b.dtype} -> {dst.dtype}")
    if any(not isinstance(v, int) or abs(v) > INT32_MAX * 4 for v in imm):
        _fail(f"instruction {pc}: bad immediates {imm}")
    if not dst.c_contiguous:
        _fail(f"instruction {pc}: {op.name} writes a non-contiguous register")
    if op.kind == "dot":
        n, inca, incb = imm[:3]
        if a.shape != (n,) or b.shape != (n,) or a.strides != (inca * isz,) or b.strides != (incb * isz,) \
                or inca <= 0 or incb <= 0 or dst.shape != ():
            _fail(f"instruction {pc}: DOT immediates {imm} do not match the registers")
    elif op.kind == "gemv":
        order, trans, m, n, lda, incx, mout = imm[:7]
        ok = a.shape == (m, n) and m > 1 and n > 1 and order in (101, 102) and trans in (111, 112)
        ok = ok and (a.strides == (lda * isz, isz) if order == 101 else a.strides == (isz, lda * isz))
        ok = ok and lda >= (n if order == 101 else m)
        xlen = n if trans == 111 else m
        ok = ok and b.shape == (xlen,) and b.strides == (incx * isz,) and incx > 0
        ok = ok and mout == (m if trans == 111 else n) and dst.shape == (mout,)
        if not ok:
            _fail(f"instruction {pc}: GEMV immediates {imm} do not match the registers")
    elif op.kind == "gemm":
        t1, t2, L, N, M, lda, ldb, ldc = imm[:8]
        ok = a.shape == (L, M) and b.shape == (M, N) and dst.shape == (L, N) and ldc == N
        ok = ok and (a.strides == (lda * isz, isz) if t1 == 111 else a.strides == (isz, lda * isz))
        ok = ok and (b.strides == (ldb * isz, isz) if t2 == 111 else b.strides == (isz, ldb * isz))
        ok = ok and t1 in (111, 112) and t2 in (111, 112) and min(L, N, M) > 1
        if not ok:
            _fail(f"instruction {pc}: GEMM immediates {imm} do not match the registers")
    elif op.kind == "matmul":
        dm, dn, dp, s1m, s1n, s2n, s2p, som, sop = imm[:9]
        if min(dm, dn, dp) < 1:
            _fail(f"instruction {pc}: MATMUL with an empty axis")
        if any(v % isz for v in (s1m, s1n, s2n, s2p, som, sop)):
            _fail(f"instruction {pc}: MATMUL strides are not multiples of {isz}")
        shapes = [((dm, dn), (s1m, s1n), a), ((dn, dp), (s2n, s2p), b), ((dm, dp), (som, sop), dst)]
        for shape_, strides, reg in shapes:
            lo, hi = extent(shape_, strides, isz)
            rlo, rhi = extent(reg.shape, reg.strides, isz)
            if lo < rlo or hi > rhi:
                _fail(f"instruction {pc}: MATMUL touches bytes [{lo}, {hi}) of r{reg.index} [{rlo}, {rhi})")
        for shape_, strides, _ in shapes[:2]:
            if not (strides[1] == isz and strides[0] >= shape_[1] * isz or shape_[0] == 1) and \
                    not (strides[0] == isz and strides[1] >= shape_[0] * isz or shape_[1] == 1):
                _fail(f"instruction {pc}: MATMUL operand is not BLAS-able (numpy's loop would allocate)")
        check_call_types(program, pc, program.code[pc].fn, [a, b, dst])
    else:
        _fail(f"instruction {pc}: unexpected opcode kind {op.kind}")


def check_program(program: Program) -> None:
    """Everything about ``program`` that does not depend on a call (KERN-SAFE-1)."""
    if program.arena_bytes < 0:
        _fail("negative arena")
    for i, reg in enumerate(program.regs):
        if reg.index != i:
            _fail(f"register {i} has index {reg.index}")
        check_register(program, reg)
    for pc in range(len(program.code)):
        check_instruction(program, pc)
    for j, ring in enumerate(program.rings):
        if ring.depth < 0 or ring.dtype not in opcodes.NP_DTYPES:
            _fail(f"ring {j}: bad depth or dtype")
        if any(not (-ring.depth <= k < 0) for k in ring.taps):
            _fail(f"ring {j}: taps {ring.taps} outside [-{ring.depth}, -1]")
        src = _reg(program, -1, ring.src, f"ring {j} source")
        if src.dtype != ring.dtype or src.shape != tuple(ring.row_shape) or not src.c_contiguous:
            _fail(f"ring {j}: source r{src.index} is not a contiguous {ring.dtype}{list(ring.row_shape)}")
        if ring.direct and (src.root != ("head", j) or src.offset != 0):
            _fail(f"ring {j}: direct source r{src.index} is not bound to the ring's head row")
    heads = [r.src for r in program.rings if r.direct]
    if len(heads) != len(set(heads)):
        _fail("two rings write the same register in place")
    for reg in program.regs:
        if reg.root[0] == "head" and not program.rings[reg.root[1]].direct:
            _fail(f"r{reg.index} lives in the head row of ring {reg.root[1]}, which is not written in place")
    if program.until_reg != -1:
        cond = _reg(program, -1, program.until_reg, "until")
        if cond.dtype != np.dtype(bool) or cond.size != 1:
            _fail("the until register is not a bool scalar")


def ring_rows(ring: Any, n_steps: int) -> int:
    """Rows a ring needs for ``n_steps`` steps: its taps, the rows of the result to keep,
    and at least one row besides the taps (KERN-BIND-2): the row a step writes must not be
    a row another commit of the same step still reads (``fn`` returning ``h[t-1]`` as an
    output while ``h``'s own trace is kept for 0 rows)."""
    need = ring.depth + (n_steps if ring.keep is None else min(ring.keep, n_steps))
    return max(need, ring.depth + 1)


def check_frame(program: Program, frame: Any, n_steps: int, window_steps: int | None = None) -> None:
    """The call's arrays against the program for ``n_steps`` kernel steps, of which the
    first ``window_steps`` (default: all) read the frame's sequence windows as they are
    (KERN-SAFE-1)."""
    if n_steps < 0:
        _fail("negative number of steps")
    if frame.arena.nbytes < program.arena_bytes or frame.arena_address % 64:
        _fail("arena too small or misaligned")
    if len(frame.ext) != len(program.ext_meta) or len(frame.rings) != len(program.rings) \
            or len(frame.heads) != len(program.rings) or len(frame.windows) != len(program.windows):
        _fail("the frame's external arrays, rings or sequence windows are not the program's")
    for k, (dtype, shape, strides) in enumerate(program.ext_meta):
        array = frame.ext[k]
        if not isinstance(array, np.ndarray) or array.dtype != dtype or array.shape != tuple(shape) \
                or array.strides != tuple(strides) or not array.flags.aligned:
            _fail(f"external array {k} is not the {np.dtype(dtype)}{list(shape)} with strides {strides} "
                  "the program was built for")
    for j, ring in enumerate(program.rings):
        buf = frame.rings[j]
        size = buf.shape[0]
        flags = buf.flags
        if buf.dtype != ring.dtype or buf.shape[1:] != ring.row_shape \
                or not flags.c_contiguous or not flags.aligned:
            _fail(f"ring {j}: buffer {buf.dtype}{buf.shape} does not hold rows {ring.dtype}{list(ring.row_shape)}")
        rows = ring_rows(ring, n_steps)  # at least the taps, the row written in place, and 1
        if size < rows:
            _fail(f"ring {j}: {size} rows, fewer than the {rows} it needs")
        if not 0 <= frame.heads[j] < size:
            _fail(f"ring {j}: head {frame.heads[j]} outside [0, {size})")
    if window_steps is None:
        window_steps = n_steps
    if window_steps:
        check_windows(program, frame, 0, window_steps - 1)


def check_windows(program: Program, frame: Any, first: int, last: int) -> None:
    """The sequence rows that kernel steps ``first`` to ``last`` read lie inside the
    sequences (KERN-SAFE-1)."""
    for w, win in enumerate(program.windows):
        array, base_offset, step = frame.windows[w]
        row_shape, row_strides = tuple(win.row_shape), tuple(win.row_strides)
        if program.block:  # a block of rows: the row axis first (KERN-BIND-3)
            if row_shape[:1] != (program.block,) or abs(row_strides[0]) != abs(array.strides[0]) \
                    or row_strides[0] * program.block != step:
                _fail(f"sequence window {w}: the block does not match the array's rows")
            row_shape, row_strides = row_shape[1:], row_strides[1:]
        if array.dtype != win.dtype or array.shape[1:] != row_shape \
                or array.strides[1:] != row_strides or not array.flags.aligned:
            _fail(f"sequence window {w}: array does not match the program")
        lo, hi = extent(array.shape, array.strides, array.itemsize)
        rlo, rhi = win.extent()
        for t in (first, last):
            start = base_offset + t * step
            if rhi > rlo and (start + rlo < lo or start + rhi > hi):
                _fail(f"sequence window {w}: the row of step {t} is outside the sequence")
