"""The specialised tier: C generated for one program, compiled through cffi and cached.
Spec: spec/5-kernel.rst (KERN-TIER-1 .. KERN-TIER-3).

The generic kernel interprets a program: at every step it walks the bind tables, switches
on each instruction's opcode and reads loop bounds from the geometry table.  This module
writes the same loop for one program as straight-line C and compiles it with the kernel's
own flags.  The generated file includes ``kernel.c``, so every instruction is computed by
the very code the interpreter runs (``exec_instr``, the ``EW*`` drivers, the opcode
table's C expressions): what changes is only what the compiler can see.

* Instructions and geometries are ``static const``: ``exec_instr`` is inlined with one
  case left, its flags and loop bounds folded.
* A *value register* (one element, used only by elementwise instructions on single
  elements, overlapping no other register) lives in a C local instead of memory.  A ring
  buffer whose rows are one element and whose taps are value registers keeps its last rows
  in locals too (``lag_j_k``: the row ``k`` steps back), so a scalar recurrence runs in
  machine registers.  Every row is still written to the ring buffer at commit, so the
  buffers hold exactly what the generic kernel leaves there.

The entry point has ``cloop_run``'s signature and contract (resumable, heads written back
to the plan, ``until`` and the error statuses), so ``runtime.Compiled.run`` calls either.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from reference._cloop import opcodes
from reference._cloop.tape import Program, extent

HERE = Path(__file__).resolve().parent
ENTRY = "cloop_run_specialised"
#: the tier compiles a program once it has run this many loop steps in all (KERN-TIER-2)
SPECIALISE_AFTER_STEPS = 20_000

# why the tier cannot compile in this process (set once, after the first failure)
UNAVAILABLE: str | None = None
_LOADED: dict[str, Any] = {}
# one build at a time: the background thread and a forced tier may both build
_BUILD_LOCK = threading.Lock()
# the thread that compiles programs under cloop__tier="auto" (KERN-TIER-2), made when needed
_BUILDER: ThreadPoolExecutor | None = None


@dataclass
class Layout:
    """How the generic kernel binds each register (``runtime.Compiled`` decides it)."""

    static: list[tuple[int, str, int, int]]   # (reg, "arena"|"ext", k, offset): per call
    seqs: list[tuple[int, int, int]]           # (reg, window, offset): plan.seqbinds[i]
    taps: list[tuple[int, int, int]]           # (reg, ring, tap)
    views: list[tuple[int, int, int]]          # (reg, parent, offset), in order


def ctype(dtype: np.dtype) -> str:
    return opcodes.DTYPES[dtype.name].ctype


# -- which registers become C locals -----------------------------------------------------
def is_scalar_ew(program: Program, pc: int) -> bool:
    ins = program.code[pc]
    return opcodes.BY_NAME[ins.op].kind in ("ew1", "ew2", "ew3") and bool(ins.flags & 1)


def value_registers(program: Program, layout: Layout) -> set[int]:
    """Registers that can live in C locals: one element of a kernel dtype; every
    instruction naming them is elementwise on single elements; no other register shares
    their bytes; read-only roots (sequences, externals, taps) are never written."""
    p = program
    uses: dict[int, list[tuple[int, str]]] = {}
    for pc, ins in enumerate(p.code):
        for role in ("dst", "a", "b", "c"):
            reg = getattr(ins, role)
            if reg >= 0:
                uses.setdefault(reg, []).append((pc, role))
    parents = {parent for _, parent, _ in layout.views}
    bound = {r for r, *_ in layout.static} | {r for r, *_ in layout.seqs} | {r for r, *_ in layout.taps}
    bound |= {ring.src for ring in p.rings if ring.direct}
    chosen = set()
    for reg in p.regs:
        kind = reg.root[0]
        if reg.size != 1 or reg.dtype.name not in opcodes.DTYPES or reg.index in parents:
            continue
        if reg.index not in bound or reg.index not in uses:
            continue  # views are bound from their parent: they stay in memory
        if not all(is_scalar_ew(p, pc) for pc, _ in uses[reg.index]):
            continue
        if kind in ("seq", "ext", "tap") and any(role == "dst" for _, role in uses[reg.index]):
            continue
        if kind in ("arena", "head") and shares_bytes(p, reg):
            continue
        chosen.add(reg.index)
    return chosen


def shares_bytes(program: Program, reg: Any) -> bool:
    return any(other.index != reg.index and other.root == reg.root and overlap(reg, other)
               for other in program.regs)


def lag_rings(program: Program, layout: Layout, values: set[int]) -> dict[int, int]:
    """Rings kept in locals: ring -> how many past rows (the deepest tap)."""
    taps_of: dict[int, list[tuple[int, int]]] = {}
    for reg, ring, tap in layout.taps:
        taps_of.setdefault(ring, []).append((reg, tap))
    lags = {}
    for j, ring in enumerate(program.rings):
        if int(np.prod(ring.row_shape, dtype=np.int64)) != 1 or j not in taps_of:
            continue
        if ring.dtype.name not in opcodes.DTYPES or ring.depth < 1:
            continue
        if all(reg in values for reg, _ in taps_of[j]):
            lags[j] = max(-tap for _, tap in taps_of[j])
    return lags


def is_flat_ew(program: Program, pc: int) -> bool:
    ins = program.code[pc]
    return opcodes.BY_NAME[ins.op].kind in ("ew1", "ew2", "ew3") and bool(ins.flags & 2)


def operands(ins: Any) -> list[int]:
    return [r for r in (ins.a, ins.b, ins.c) if r >= 0]


def fused_runs(program: Program) -> list[list[int]]:
    """Runs of consecutive flat elementwise instructions over the same number of elements
    whose registers either are the same register or share no byte: running them as one loop,
    element after element, reads and writes exactly what running them one after the other
    does (KERN-TIER-1)."""
    p = program
    runs: list[list[int]] = []
    for pc in range(len(p.code)):
        if p.code[pc].op == "HALT":
            break
        if not is_flat_ew(p, pc):
            continue
        n = p.geoms[p.code[pc].geom].n[2]
        run = runs[-1] if runs and runs[-1][-1] == pc - 1 and p.geoms[p.code[runs[-1][-1]].geom].n[2] == n \
            else None
        if run is not None and fusable(p, [*run, pc]):
            run.append(pc)
        else:
            runs.append([pc])
    return [run for run in runs if len(run) > 1]


def fusable(program: Program, run: list[int]) -> bool:
    written = {program.code[pc].dst for pc in run}
    touched = {r for pc in run for r in (program.code[pc].dst, *operands(program.code[pc]))}
    for w in written:
        for x in touched:
            if x != w and program.regs[x].root == program.regs[w].root and overlap(program.regs[w], program.regs[x]):
                return False
    return True


def overlap(a: Any, b: Any) -> bool:
    alo, ahi = extent(a.shape, a.strides, a.itemsize)
    blo, bhi = extent(b.shape, b.strides, b.itemsize)
    return a.offset + alo < b.offset + bhi and b.offset + blo < a.offset + ahi


# -- the C text ---------------------------------------------------------------------------
class Writer:
    """Generates the C of one program (see the module docstring)."""

    def __init__(self, program: Program, layout: Layout) -> None:
        self.p, self.layout = program, layout
        self.values = value_registers(program, layout)
        self.lags = lag_rings(program, layout, self.values)
        self.tap_of = {reg: (ring, tap) for reg, ring, tap in layout.taps}

    def v(self, reg: int) -> str:
        return f"v{reg}"

    def read(self, reg: int) -> str:
        """The value of a one-element register, as the EW drivers read it."""
        if reg in self.values:
            if reg in self.tap_of and self.tap_of[reg][0] in self.lags:
                ring, tap = self.tap_of[reg]
                return f"lag{ring}_{-tap}"
            return self.v(reg)
        return f"*(const {ctype(self.p.regs[reg].dtype)} *)regs[{reg}]"

    def source(self) -> str:
        p = self.p
        out = [f"/* specialised program {p.name!r}: {len(p.code)} instructions, "
               f"{len(p.regs)} registers (reference/_cloop/specialise.py) */",
               "#define CLOOP_SPECIALISED 1", '#include "kernel.c"', ""]
        out += self.tables()
        out.append(f"int32_t {ENTRY}(cloop_plan *plan, int64_t t_begin, int64_t t_end, cloop_result *r)")
        out.append("{")
        out += ["    " + line for line in self.body()]
        out.append("}")
        return "\n".join(out) + "\n"

    def tables(self) -> list[str]:
        p = self.p
        lines = [f"static const cloop_instr CODE[{max(len(p.code), 1)}] = {{"]
        for ins in p.code:
            imm = ", ".join(str(int(v)) for v in ins.imm) or "0"
            lines.append(f"    {{CLOOP_OP_{ins.op}, {ins.flags}, {ins.dst}, {ins.a}, {ins.b}, {ins.c}, "
                         f"{ins.geom}, {ins.fn}, {{{imm}}}}},")
        lines += ["};", f"static const cloop_geom GEOMS[{max(len(p.geoms), 1)}] = {{"]
        for g in p.geoms:
            s = ", ".join("{" + ", ".join(str(int(x)) for x in row) + "}" for row in g.s)
            lines.append(f"    {{{{{', '.join(str(int(x)) for x in g.n)}}}, {{{s}}}}},")
        lines += ["};", ""]
        return lines

    def body(self) -> list[str]:
        p, lay = self.p, self.layout
        L = ["cloop_plan local = *plan;", "cloop_plan *p = &local;", "char **regs = p->regs;",
             "(void)regs; (void)GEOMS; (void)CODE;"]
        for j in range(len(p.rings)):
            L.append(f"char *base{j} = plan->states[{j}].base; const int64_t size{j} = plan->states[{j}].size; "
                     f"int64_t head{j} = plan->states[{j}].head;")
        for i, (_, w, offset) in enumerate(lay.seqs):
            L.append(f"char *sb{i} = p->seq_base[{w}] + {offset}; const int64_t st{i} = p->seqbinds[{i}].step;")
        for reg, kind, _, _ in lay.static:
            if reg in self.values:
                qual = "const " if kind == "ext" else ""
                L.append(f"{qual}{ctype(p.regs[reg].dtype)} v{reg} = *(const {ctype(p.regs[reg].dtype)} *)regs[{reg}];")
        for reg in sorted(self.values):
            root = p.regs[reg].root[0]
            if root in ("head",) or (root == "tap" and self.tap_of[reg][0] not in self.lags):
                L.append(f"{ctype(p.regs[reg].dtype)} v{reg} = 0;")
        for j, depth in self.lags.items():
            ring = p.rings[j]
            c = ctype(ring.dtype)
            for k in range(1, depth + 1):
                L.append(f"{c} lag{j}_{k};")
                L.append(f"{{ int64_t row = head{j} - {k}; if (row < 0) row += size{j}; "
                         f"lag{j}_{k} = *(const {c} *)(base{j} + row * {ring.row_bytes}); }}")
        L.append("int64_t t;")
        L.append("for (t = t_begin; t < t_end; t++) {")
        L += ["    " + line for line in self.step()]
        L.append("}")
        L += self.exit("CLOOP_DONE", "t")
        return L

    def exit(self, status: str, t: str) -> list[str]:
        L = [f"plan->states[{j}].head = head{j};" for j in range(len(self.p.rings))]
        return L + [f"r->t = {t};", "r->pc = -1;", f"return r->status = {status};"]

    def step(self) -> list[str]:
        p, lay = self.p, self.layout
        L = []
        # bind (KERN-BIND-1): as the generic kernel's bind(), one line per register
        for i, (reg, _, _) in enumerate(lay.seqs):
            if reg in self.values:
                c = ctype(p.regs[reg].dtype)
                L.append(f"const {c} v{reg} = *(const {c} *)(sb{i} + t * st{i});")
            else:
                L.append(f"regs[{reg}] = sb{i} + t * st{i};")
        for reg, j, tap in lay.taps:
            if reg in self.values and j in self.lags:
                continue
            row = f"head{j} + ({tap}) < 0 ? head{j} + ({tap}) + size{j} : head{j} + ({tap})"
            address = f"base{j} + ({row}) * {p.rings[j].row_bytes}"
            if reg in self.values:
                c = ctype(p.regs[reg].dtype)
                L.append(f"v{reg} = *(const {c} *)({address});")
            else:
                L.append(f"regs[{reg}] = {address};")
        for j, ring in enumerate(p.rings):
            if ring.direct and ring.src not in self.values:
                L.append(f"regs[{ring.src}] = base{j} + head{j} * {ring.row_bytes};")
        for reg, parent, offset in lay.views:
            L.append(f"regs[{reg}] = regs[{parent}] + {offset};")
        # the tape
        runs = {run[0]: run for run in fused_runs(p)}
        pc = 0
        while pc < len(p.code) and p.code[pc].op != "HALT":
            if pc in runs:
                L += self.fused(runs[pc])
                pc += len(runs[pc])
            else:
                L.append(self.instruction(pc))
                pc += 1
        # until is read before the commit: the generic kernel reads it after, from memory
        # the commit does not write, so both see this step's value
        if p.until_reg >= 0:
            L.append(f"const uint8_t stop = {self.read(p.until_reg)};")
        # commit (KERN-BIND-2): every new row is read before any ring moves
        for j, ring in enumerate(p.rings):
            if ring.src in self.values:
                L.append(f"const {ctype(ring.dtype)} new{j} = {self.read(ring.src)};")
        for j, ring in enumerate(p.rings):
            c = ctype(ring.dtype)
            head_row = f"base{j} + head{j} * {ring.row_bytes}"
            if ring.src in self.values:
                L.append(f"*({c} *)({head_row}) = new{j};")
            elif not ring.direct:
                L.append(f"memcpy({head_row}, regs[{ring.src}], {ring.row_bytes});")
            if j in self.lags:
                for k in range(self.lags[j], 1, -1):
                    L.append(f"lag{j}_{k} = lag{j}_{k - 1};")
                new = f"new{j}" if ring.src in self.values else f"*(const {c} *)({head_row})"
                L.append(f"lag{j}_1 = {new};")
            L.append(f"head{j} = head{j} + 1 == size{j} ? 0 : head{j} + 1;")
        if p.until_reg >= 0:
            L.append("if (stop) {")
            L += ["    " + line for line in self.exit("CLOOP_STOPPED", "t + 1")]
            L.append("}")
        return L

    def fused(self, run: list[int]) -> list[str]:
        """One loop over the elements for a run of flat elementwise instructions: each
        element goes through the run's expressions in tape order.  A register the run
        writes before any read, that no other instruction reads and that no binding or ring
        names, lives in a C local of the loop body instead of memory."""
        p = self.p
        n = p.geoms[p.code[run[0]].geom].n[2]
        read_outside = {r for pc, ins in enumerate(p.code) if pc not in run for r in operands(ins)}
        pinned = {ring.src for ring in p.rings} | {p.until_reg} | {parent for _, parent, _ in self.layout.views}
        local, seen = set(), set()
        for pc in run:
            ins = p.code[pc]
            seen.update(operands(ins))
            reg = p.regs[ins.dst]
            if ins.dst not in seen and ins.dst not in read_outside and ins.dst not in pinned \
                    and reg.root == ("arena",) and not shares_bytes(p, reg):
                local.add(ins.dst)
            seen.add(ins.dst)
        written = {p.code[pc].dst for pc in run}
        # a one-element operand the run does not write is read once, before the loop (the
        # run's written registers share no byte with its other registers: fusable)
        hoisted = {r for pc in run for k, r in enumerate(operands(p.code[pc]))
                   if r not in written and r not in local and p.geoms[p.code[pc].geom].s[1 + k][2] == 0}
        memory: set[int] = set()  # registers the loop body reads or writes through a pointer
        body = []
        for pc in run:
            ins = p.code[pc]
            op = opcodes.BY_NAME[ins.op]
            g = p.geoms[ins.geom]
            types = [ctype(np.dtype(d)) for d in op.dtypes]
            decls = []
            for k, r in enumerate(operands(ins)):
                if r in local:
                    value = f"l{r}"
                elif r in hoisted and not g.s[1 + k][2]:
                    value = f"c{r}"
                else:
                    value = f"m{r}[{'i' if g.s[1 + k][2] else '0'}]"
                    memory.add(r)
                decls.append(f"{types[1 + k]} {'xyz'[k]} = {value};")
            value = f"({types[0]})({op.expr})"
            if ins.dst in local:
                target = f"l{ins.dst}"
            else:
                target = f"m{ins.dst}[i]"
                memory.add(ins.dst)
            body.append(f"        {target} = ({{ {' '.join(decls)} {value}; }});  /* {pc}: {ins.op} */")
        L = [f"{{  /* instructions {run[0]}..{run[-1]} fused: {n} elements */"]
        for r in sorted(memory):
            c = ctype(p.regs[r].dtype)
            L.append(f"    {c} *m{r} = ({c} *)regs[{r}];")
        for r in sorted(hoisted):
            L.append(f"    const {ctype(p.regs[r].dtype)} c{r} = *({ctype(p.regs[r].dtype)} *)regs[{r}];")
        L.append(f"    for (int64_t i = 0; i < {n}; i++) {{")
        for r in sorted(local):  # declared once: the run may write a local more than once
            L.append(f"        {ctype(p.regs[r].dtype)} l{r};")
        L += body
        L += ["    }", "}"]
        return L

    def instruction(self, pc: int) -> str:
        p = self.p
        ins = p.code[pc]
        op = opcodes.BY_NAME[ins.op]
        regs = [ins.dst, ins.a, ins.b, ins.c]
        if is_scalar_ew(p, pc) and any(r in self.values for r in regs if r >= 0):
            types = [ctype(np.dtype(d)) for d in op.dtypes]
            names = ("x", "y", "z")
            decls = " ".join(f"{types[1 + k]} {names[k]} = {self.read(r)};"
                             for k, r in enumerate(regs[1:1 + len(types) - 1]))
            value = f"({types[0]})({op.expr})"
            target = self.v(ins.dst) if ins.dst in self.values else f"*({types[0]} *)regs[{ins.dst}]"
            return f"{{ {decls} {target} = {value}; }}  /* {pc}: {ins.op} */"
        return f"exec_instr(p, regs, GEOMS, &CODE[{pc}]);  /* {pc}: {ins.op} */"


# -- compiling and loading ----------------------------------------------------------------
def cache_dir() -> Path:
    root = os.environ.get("REFERENCE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "reference")
    tag = f"cloop-abi{_abi()}-{sys.implementation.cache_tag}"
    return Path(root) / tag


def _abi() -> int:
    from reference._cloop import ABI_VERSION

    return ABI_VERSION


#: the specialised tier is compiled for this machine's CPU (vector instructions it has);
#: -ffp-contract=off (KERN-EXACT-2) keeps gcc from fusing a*b+c into FMA instructions
NATIVE_ARGS = ["-march=native"]
#: False once the compiler has refused NATIVE_ARGS in this process
_native = True


def compile_args(_build: Any) -> list[str]:
    """The specialised tier's compiler flags: the kernel's own, for this CPU if possible."""
    return list(_build.COMPILE_ARGS) + (NATIVE_ARGS if _native else [])


@functools.cache
def cpu_identity() -> str:
    """What ``-march=native`` compiles for: the CPU's model and instruction-set flags.  Part
    of the cache key, so that a cache shared by two machines never loads a module built
    for instructions this CPU lacks."""
    import platform

    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    fields = ("flags", "features", "model name", "cpu implementer", "cpu part", "isa")
    lines = sorted({line.strip() for line in text.splitlines() if line.split(":")[0].strip().lower() in fields})
    if not lines:  # no /proc/cpuinfo: numpy's view of the CPU's features
        try:
            from numpy._core._multiarray_umath import __cpu_features__ as features
        except ImportError:
            features = {}
        lines = sorted(name for name, present in features.items() if present)
    return "\n".join([platform.machine(), platform.processor(), *lines])


def build(source: str) -> Any:
    """The compiled module of ``source``'s entry point: loaded from the cache, or compiled
    with the kernel's flags (``_build.COMPILE_ARGS``) for this CPU and cached (KERN-TIER-3)."""
    global _native
    from reference._cloop import _build

    with _BUILD_LOCK:
        try:
            return _build_with(source, _build)
        except Exception:
            if not _native:
                raise
            _native = False  # an old or cross compiler: the kernel's flags alone
            return _build_with(source, _build)


def _build_with(source: str, _build: Any) -> Any:
    args = compile_args(_build)
    flags = " ".join(args + _build.LINK_ARGS) + ("\n" + cpu_identity() if _native else "")
    key = hashlib.sha256((flags + "\n" + _kernel_text() + source).encode()).hexdigest()[:20]
    if key in _LOADED:
        return _LOADED[key]
    name = f"_cloop_spec_{key}"
    directory = cache_dir()
    found = sorted(directory.glob(f"{name}.*.so")) if directory.exists() else []
    try:
        lib = _load(name, found[0]) if found else None
    except (ImportError, OSError):  # removed meanwhile by another process's prune_cache
        lib = None
    if lib is None:
        lib = _load(name, _compile(name, source, directory, args, _build))
        prune_cache(directory)
    _LOADED[key] = lib
    return lib


def _load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    os.utime(path)  # the cache forgets the least recently used modules first
    return module.lib


def prune_cache(directory: Path) -> int:
    """Remove the least recently used compiled programs beyond ``config.cloop__cache_size``
    (KERN-TIER-3); the number removed.  A loaded module stays usable after its file is
    removed, and a process that misses it compiles it again."""
    from reference.config import config

    modules = []
    for path in directory.glob("_cloop_spec_*.so"):
        try:
            modules.append((path.stat().st_mtime, path))
        except OSError:  # removed by another process meanwhile
            continue
    modules.sort(reverse=True)
    removed = 0
    for _, path in modules[config.cloop__cache_size:]:
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed


@functools.cache
def _kernel_text() -> str:
    return "".join((HERE / f).read_text(encoding="utf-8") for f in ("kernel.c", "kernel.h", "opcodes.h"))


def _compile(name: str, source: str, directory: Path, args: list[str], _build: Any) -> Path:
    from cffi import FFI

    directory.mkdir(parents=True, exist_ok=True)
    builder = FFI()
    builder.include(_build.ffibuilder)
    builder.cdef(f"int32_t {ENTRY}(cloop_plan *plan, int64_t t_begin, int64_t t_end, cloop_result *r);")
    builder.set_source(name, source, include_dirs=[str(HERE)], libraries=["m"],
                       extra_compile_args=args, extra_link_args=list(_build.LINK_ARGS))
    with tempfile.TemporaryDirectory(dir=directory) as work:
        built = Path(builder.compile(tmpdir=work, verbose=False))
        final = directory / built.name
        os.replace(built, final)  # atomic: another process may be compiling the same program
    return final


def specialise(program: Program, layout: Layout) -> Any:
    """The ``cloop_run``-compatible entry point of ``program``'s specialised C, or raise
    ``TierUnavailable`` with the reason."""
    global UNAVAILABLE
    if UNAVAILABLE is not None:
        raise TierUnavailable(UNAVAILABLE)
    source = Writer(program, layout).source()
    try:
        lib = build(source)
    except Exception as error:  # noqa: BLE001 - any build failure means: stay generic
        UNAVAILABLE = f"compiling a specialised program failed: {type(error).__name__}: {error}"
        raise TierUnavailable(UNAVAILABLE) from error
    return getattr(lib, ENTRY)


def in_background(program: Program, layout: Layout) -> Future:
    """Start building ``program``'s specialised entry point on the compile thread; the
    future gives what :func:`specialise` returns or raises (KERN-TIER-2)."""
    global _BUILDER
    if _BUILDER is None:
        _BUILDER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reference-specialise")
    try:
        return _BUILDER.submit(specialise, program, layout)
    except RuntimeError as error:  # the interpreter is exiting: no new threads
        failed: Future = Future()
        failed.set_exception(TierUnavailable(f"no background compile: {error}"))
        return failed


def wait_for_builds() -> None:
    """Return once every background build started so far has finished (the compile thread
    runs them in order)."""
    if _BUILDER is not None:
        _BUILDER.submit(int).result()


def _forget_builder() -> None:
    global _BUILDER, _BUILD_LOCK
    _BUILDER, _BUILD_LOCK = None, threading.Lock()  # a forked child has neither thread nor holder


os.register_at_fork(after_in_child=_forget_builder)


#: the smallest specialised module: what ``status()`` builds to prove the tier works here
PROBE_SOURCE = ('#define CLOOP_SPECIALISED 1\n#include "kernel.c"\n'
                f"int32_t {ENTRY}(cloop_plan *plan, int64_t t_begin, int64_t t_end, cloop_result *r)\n"
                "{ (void)plan; (void)t_begin; r->t = t_end; r->pc = -1; return r->status = CLOOP_DONE; }\n")


def status() -> str:
    """One line for ``python -m reference info``: can this machine build specialised
    programs, and where are they cached (KERN-TIER-2, KERN-TIER-3)."""
    try:
        directory = cache_dir()
        build(PROBE_SOURCE)
    except Exception as error:  # noqa: BLE001 - reported, the generic tier runs
        return f"specialised tier: unavailable ({type(error).__name__}: {error}); the generic tier runs"
    cached = len(list(directory.glob("_cloop_spec_*.so")))
    target = "this CPU (-march=native)" if _native else "any CPU of this architecture"
    return f"specialised tier: available, compiled for {target} ({cached} programs compiled in {directory})"


class TierUnavailable(RuntimeError):
    """The specialised tier cannot run here; the generic kernel runs instead."""
