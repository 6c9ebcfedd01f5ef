"""The self-check: every lowered op against numpy, on this machine.  Spec: KERN-EXACT-3.

Which bits numpy produces depends on the CPU (its SIMD loops are chosen at import) and on
the build; so before the kernel runs anything, each *subject* (an inline opcode, a numpy
loop called through its pointer, a BLAS routine) is run on edge-case inputs (signed zeros,
NaN, infinities, subnormals, integer extremes, values out of range of a cast, lengths
around numpy's SIMD and pairwise block sizes, contiguous, broadcast, strided and scalar
operands) and compared bit for bit (NaN as a class) with the Python path's own ``perform``
of the same node.  A subject that differs, or that could not be checked, is *disabled*:
the lowering refuses it and the scan falls back to the Python path (KERN-FALL-1).

The check runs once per process, the first time a scan asks for the kernel (or
``python -m reference info``), in about half a second (scipy.special loops are checked
when a loop first needs them).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reference._cloop import opcodes

_RESULTS: Report | None = None
_RUNNING = False


@dataclass
class Report:
    """``passed``/``failed`` map each subject key to a detail; ``seconds`` the time taken."""

    passed: dict[tuple, str] = field(default_factory=dict)
    failed: dict[tuple, str] = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None
    #: merged calls checked so far (KERN-BIND-4): (loop, types, steps, length, form) ->
    #: why not with the result apart from the operands, why not in any layout (None: may);
    #: and the time those checks took
    merges: dict[tuple, tuple[str | None, str | None]] = field(default_factory=dict)
    merge_seconds: float = 0.0

    def summary(self) -> str:
        lines = [f"self-check: {len(self.passed)} subjects agree with numpy, "
                 f"{len(self.failed)} disabled ({self.seconds * 1000:.0f} ms)"]
        if self.error:
            lines.append(f"  the self-check could not run: {self.error}")
        for key, detail in sorted(self.failed.items(), key=str):
            lines.append(f"  disabled {_name(key)}: {detail}")
        if self.merges:
            lines.append(f"merged calls in blocks (KERN-BIND-4): {len(self.merges)} checked "
                         f"({self.merge_seconds * 1000:.0f} ms)")
            for (fn, types, steps, n, form), (apart, anywhere) in sorted(self.merges.items(), key=str):
                what = f"{fn}[{types}] {form}" + (f", strides {list(steps)}, {n} elements" if steps else "")
                verdict = "merged in any layout" if anywhere is None else \
                    f"merged with the result apart ({anywhere})" if apart is None else f"not merged: {apart}"
                lines.append(f"  {what}: {verdict}")
        return "\n".join(lines)


def _name(key: tuple) -> str:
    return key[1] if key[0] == "op" else f"{key[1]}[{key[2]}]"


def results() -> Report:
    """The self-check's report (run on first use)."""
    global _RESULTS, _RUNNING
    if _RESULTS is None:
        from reference import _cloop

        report = Report()
        if not _cloop.HAVE_CLOOP:
            report.error = f"the kernel is not built ({_cloop.CLOOP_IMPORT_ERROR})"
            _RESULTS = report
            return report
        start = time.perf_counter()
        _RUNNING = True
        try:
            run_all(report)
        except Exception as error:  # noqa: BLE001 - a broken self-check disables the kernel
            report.error = f"{type(error).__name__}: {error}"
        finally:
            _RUNNING = False
        report.seconds = time.perf_counter() - start
        _RESULTS = report
    return _RESULTS


def disabled_reason(key: tuple) -> str | None:
    """Why ``key`` may not be lowered on this machine, or None (KERN-EXACT-3)."""
    global _RUNNING
    if _RUNNING:
        return None
    report = results()
    if report.error:
        return f"the self-check did not run: {report.error}"
    if key[0] == "ufunc" and key[1].startswith("scipy.") and key not in report.passed \
            and key not in report.failed:
        _RUNNING = True
        try:
            check_scipy(report, key)
        finally:
            _RUNNING = False
    if key in report.failed:
        return report.failed[key]
    if key not in report.passed:
        return "not covered by the self-check"
    return None


def reset() -> None:
    """Forget the report (tests use it to re-run the check)."""
    global _RESULTS
    _RESULTS = None


# -- running one batch ---------------------------------------------------------------------
@dataclass
class Case:
    """One node of a batch: ``make`` builds the output from input variables."""

    make: Callable[..., Any]
    values: list[np.ndarray]
    label: str = ""


def run_batch(cases: list[Case]) -> list[tuple[Any, Any, Any, str]]:
    """Run every case and return (C result, Python path result, node, label) per case;
    ``C result`` is None where the case did not lower.

    Cases with the same node and input layout share one instance of the node; all
    instances are lowered into one program, which runs once per round, each instance
    taking the next case of its group."""
    from reference.evaluate import evaluate_graph

    groups: dict[tuple, list[int]] = {}
    for i, case in enumerate(cases):
        layout = tuple((v.dtype.str, v.shape, v.strides) for v in case.values)
        groups.setdefault((id(case.make), layout), []).append(i)
    batch = _Batch([cases[members[0]] for members in groups.values()])
    rows: list[Any] = [(None, None, None, c.label) for c in cases]
    for round_ in range(max(len(m) for m in groups.values())):
        todo = [(g, members[round_]) for g, members in enumerate(groups.values()) if round_ < len(members)]
        results = batch.run({g: cases[i].values for g, i in todo})
        for g, i in todo:
            inst = batch.instances[g]
            if inst is None:
                continue
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = evaluate_graph([inst.out], dict(zip(inst.inputs, cases[i].values, strict=True)))[0]
            rows[i] = (results[g], np.asarray(expected), inst.out.owner, cases[i].label)
    return rows


@dataclass
class _Instance:
    out: Any
    inputs: list
    ext: list[np.ndarray]
    reg: Any


class _Batch:
    """One program holding one instance of each case's node."""

    def __init__(self, cases: list[Case]) -> None:
        from reference._cloop.lower import Lowering

        self.lowering = Lowering.bare()
        self.instances = [self._instance(case) for case in cases]
        self.compiled = None
        p = self.lowering.p
        if p.code:
            from reference._cloop.runtime import Compiled, Frame, address

            self.compiled = Compiled(p)
            arena = np.zeros(p.arena_bytes + 64, dtype=np.uint8)
            shift = -address(arena) % 64
            self.arena = arena[shift:shift + p.arena_bytes]
            self.frame = Frame(self.arena, address(self.arena), [src[1] for src in p.ext], [], [], [])
            self.plan = self.compiled.plan(self.frame)
            self.result = self.compiled.ffi.new("cloop_result *")

    def _instance(self, case: Case) -> _Instance | None:
        from reference._cloop.tape import Unsupported
        from reference.graph.traversal import toposort
        from reference.graph.type import TensorType

        lowering, p = self.lowering, self.lowering.p
        inputs = [TensorType(v.dtype, v.shape)(f"x{i}") for i, v in enumerate(case.values)]
        try:
            out = case.make(*inputs)
        except Exception:  # noqa: BLE001 - the graph refuses these dtypes: not a case
            return None
        mark = (len(p.code), len(p.regs), len(p.ext), len(p.ext_meta), p.arena_bytes)
        ext = [_same_layout(value) for value in case.values]
        try:
            for variable, private in zip(inputs, ext, strict=True):
                lowering.reg[variable] = p.external(("array", private), private, variable.name, "input")
            for node in toposort([out]):
                lowering.lower_node(node)
            reg = lowering.register(out)
        except Unsupported:
            del p.code[mark[0]:], p.regs[mark[1]:], p.ext[mark[2]:], p.ext_meta[mark[3]:]
            p.arena_bytes = mark[4]
            return None
        return _Instance(out, inputs, ext, reg)

    def run(self, values: dict[int, list[np.ndarray]]) -> dict[int, np.ndarray | None]:
        if self.compiled is None:
            return {g: None for g in values}
        for g, vals in values.items():
            inst = self.instances[g]
            if inst is not None:
                for k, value in enumerate(vals):
                    np.copyto(inst.ext[k], value)
        status = self.compiled.lib.cloop_run(self.plan, 0, 1, self.result)
        if status != 0:
            raise RuntimeError(f"kernel status {status} at instruction {self.result.pc}")
        out: dict[int, np.ndarray | None] = {}
        for g in values:
            inst = self.instances[g]
            if inst is None:
                out[g] = None
                continue
            reg = inst.reg
            buffer = self.arena if reg.root[0] == "arena" else self.frame.ext[reg.root[1]]
            out[g] = np.empty(reg.shape, reg.dtype) if reg.size == 0 else np.ndarray(
                reg.shape, reg.dtype, buffer=buffer, offset=reg.offset, strides=reg.strides).copy()
        return out


def _same_layout(value: np.ndarray) -> np.ndarray:
    """A new array with ``value``'s shape and strides (a view into a fresh buffer)."""
    if value.ndim == 0 or 0 in value.shape:
        return np.empty(value.shape, value.dtype)
    lo = sum((n - 1) * s for n, s in zip(value.shape, value.strides, strict=True) if s < 0)
    hi = sum((n - 1) * s for n, s in zip(value.shape, value.strides, strict=True) if s > 0)
    span = hi - lo + value.itemsize
    base = np.empty(span // value.itemsize + 1, value.dtype)
    return np.lib.stride_tricks.as_strided(base[(-lo) // value.itemsize:], value.shape, value.strides)


def check_subject(report: Report, key: tuple, cases: list[Case]) -> None:
    """Run ``cases`` and record whether ``key`` agrees with numpy on all of them."""
    from reference._cloop.dispatch import same_bits

    if key in report.failed:
        return
    try:
        rows = run_batch(cases)
    except Exception as error:  # noqa: BLE001
        report.failed[key] = f"could not be checked: {type(error).__name__}: {error}"
        report.passed.pop(key, None)
        return
    ran = 0
    for got, expected, node, label in rows:
        if got is None:
            continue
        ran += 1
        if not same_bits(got, expected):
            bad = _first_difference(got, expected)
            report.failed[key] = f"differs from numpy on {label or node}: {bad}"
            report.passed.pop(key, None)
            return
    if ran:
        report.passed.setdefault(key, f"{ran} cases")


def _first_difference(got: np.ndarray, expected: np.ndarray) -> str:
    if got.shape != expected.shape or got.dtype != expected.dtype:
        return f"C gave {got.dtype}{got.shape}, numpy {expected.dtype}{expected.shape}"
    flat_g, flat_e = got.reshape(-1), expected.reshape(-1)
    for i in range(flat_g.size):
        from reference._cloop.dispatch import same_bits

        if not same_bits(flat_g[i], flat_e[i]):
            return f"element {i}: C {flat_g[i]!r}, numpy {flat_e[i]!r}"
    return "?"


# -- inputs ---------------------------------------------------------------------------------
FLOAT_SPECIALS = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 7.0, -7.0, 1e300, -1e300, 5e-324,
                  -5e-324, 1e-310, np.inf, -np.inf, np.nan, 300.7, -129.5, 3e9, -3e9, 1e20,
                  2.0**63, -(2.0**63), 2.0**31, -(2.0**31) - 1, 127.9, -128.9, 1e-8, 0.1]
INT_SPECIALS = [0, 1, -1, 2, -2, 3, 7, -7, 100, -128, 127, 255, 2**31 - 1, -(2**31),
                2**62, -(2**63), 2**63 - 1, -(2**63) + 1, 13]


def specials(dtype: str) -> np.ndarray:
    if dtype == "bool":
        return np.array([False, True])
    if dtype in ("float64", "float32"):
        with np.errstate(all="ignore"):
            return np.array(FLOAT_SPECIALS, dtype=np.float64).astype(dtype)
    return np.unique(np.array(INT_SPECIALS, dtype=np.int64).astype(dtype))


def smooth(dtype: str, n: int = 203) -> np.ndarray:
    """Values across the useful range of transcendentals."""
    rng = np.random.default_rng(12345)
    parts = [np.linspace(-40, 40, n), rng.standard_normal(n) * 3, 10.0 ** rng.uniform(-12, 3, n),
             -(10.0 ** rng.uniform(-12, 3, n)), specials("float64")]
    return np.concatenate(parts).astype(dtype)


def forms(values: list[np.ndarray], scalars: int = 12) -> list[list[np.ndarray]]:
    """The operand layouts to check: flat vectors; 0-d scalars; vector with scalar (each
    side); a strided 3-d view; a reversed (negative stride) vector."""
    n = len(values[0])
    out = [[v.copy() for v in values]]
    idx = np.unique(np.linspace(0, n - 1, min(n, scalars)).astype(int))
    for i in idx:
        out.append([np.array(v[i]) for v in values])
    if len(values) > 1:
        for k in range(len(values)):
            out.append([np.array(v[idx[3 % len(idx)]]) if j == k else v.copy() for j, v in enumerate(values)])
    m = (n // 6) * 6
    if m:  # a strided 3-d view: the general loop nest
        out.append([np.ascontiguousarray(v[:m]).reshape(2, 3, m // 6).transpose(2, 0, 1)[:, ::-1] for v in values])
    return out


def pairs(a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    x, y = np.meshgrid(a, b, indexing="ij")
    return [x.reshape(-1), y.reshape(-1)]


# -- subjects --------------------------------------------------------------------------------
def _ufunc_fn(name: str) -> Callable[..., Any]:
    from reference.tensor import math as tm

    return {
        "add": tm.add, "subtract": tm.sub, "multiply": tm.mul, "true_divide": tm.true_div,
        "floor_divide": tm.int_div, "remainder": tm.mod, "maximum": tm.maximum,
        "minimum": tm.minimum, "less": tm.lt, "less_equal": tm.le, "greater": tm.gt,
        "greater_equal": tm.ge, "equal": tm.eq, "not_equal": tm.neq, "bitwise_and": tm.and_,
        "bitwise_or": tm.or_, "bitwise_xor": tm.xor, "invert": tm.invert, "negative": tm.neg,
        "absolute": tm.abs, "sign": tm.sign, "sqrt": tm.sqrt, "floor": tm.floor, "ceil": tm.ceil,
        "rint": tm.round_half_to_even, "exp": tm.exp, "log": tm.log, "log1p": tm.log1p,
        "expm1": tm.expm1, "sin": tm.sin, "cos": tm.cos, "tan": tm.tan, "tanh": tm.tanh,
        "power": tm.pow, "expit": tm.sigmoid, "erf": tm.erf, "arcsin": tm.arcsin,
        "arccos": tm.arccos, "arctan": tm.arctan, "arctan2": tm.arctan2, "sinh": tm.sinh,
        "cosh": tm.cosh, "arcsinh": tm.arcsinh, "arccosh": tm.arccosh, "arctanh": tm.arctanh,
        "log2": tm.log2, "log10": tm.log10, "exp2": tm.exp2, "trunc": tm.trunc, "erfc": tm.erfc, "erfcx": tm.erfcx,
        "erfinv": tm.erfinv, "erfcinv": tm.erfcinv, "gamma": tm.gamma, "gammaln": tm.gammaln,
        "psi": tm.psi, "j0": tm.j0, "j1": tm.j1, "i0": tm.i0, "i1": tm.i1, "ndtri_exp": tm.ndtri_exp,
    }[name]


def check_elementwise(report: Report) -> None:
    for op in opcodes.OPCODES:
        if op.kind not in ("ew1", "ew2", "ew3") or op.family is None:
            continue
        fam = opcodes.FAMILIES[op.family]
        dtype = op.dtypes[1]
        base = specials(dtype)
        values = [base] if fam.nin == 1 else pairs(base, base)
        fn = _ufunc_fn(fam.ufunc)
        cases = [Case(fn, vs, f"{op.name} {form_label(vs)}") for vs in forms(values)]
        check_subject(report, ("op", op.name), cases)


def form_label(values: list[np.ndarray]) -> str:
    return "on " + " and ".join(f"{v.dtype.char}{list(v.shape)}" for v in values)


def check_casts_copies_where(report: Report) -> None:
    from reference.tensor import basic as tb
    from reference.tensor import math as tm

    for src in opcodes.DTYPES:
        for dst in opcodes.DTYPES:
            base = specials(src)
            if src == dst:
                cases = [Case(tm.identity, vs, f"copy {form_label(vs)}") for vs in forms([base])]
                cases.append(Case(lambda x: tb.alloc(x, 3, 5), [base[:1].reshape(())], "alloc"))
                cases.append(Case(lambda x: tb.alloc(x, 4, 2), [np.resize(base, 2)], "alloc row"))
                check_subject(report, ("op", opcodes.copy(src).name), cases)
                continue
            cases = [Case(lambda x, d=dst: tm.cast(x, d), vs, f"cast to {dst} {form_label(vs)}")
                     for vs in forms([base], scalars=len(base))]
            check_subject(report, ("op", opcodes.cast(src, dst).name), cases)
    for dtype in opcodes.DTYPES:
        base = specials(dtype)
        x, y = pairs(base, base[::-1])
        cond = (np.arange(x.size) % 3 == 0)
        cases = [Case(tm.switch, vs, f"where {form_label(vs)}") for vs in forms([cond, x, y])]
        check_subject(report, ("op", opcodes.where(dtype).name), cases)


CALLS = {
    1: ["exp", "log", "log1p", "expm1", "sin", "cos", "tan", "tanh", "arcsin", "arccos", "arctan",
        "sinh", "cosh", "arcsinh", "arccosh", "arctanh", "log2", "log10", "exp2", "trunc"],
    2: ["power", "floor_divide", "remainder", "arctan2"],
}
#: the scipy.special loops ScalarOps call (lower.SCIPY_OF), checked on first use
SCIPY_CALLS = ("expit", "erf", "erfc", "erfcx", "erfinv", "erfcinv", "gamma", "gammaln", "psi",
               "j0", "j1", "i0", "i1", "ndtri_exp")


def check_calls(report: Report) -> None:
    for dtype, char in (("float64", "d"), ("float32", "f")):
        vals = smooth(dtype)
        for name in CALLS[1]:
            cases = [Case(_ufunc_fn(name), vs, f"{name} {form_label(vs)}") for vs in forms([vals])]
            check_subject(report, ("ufunc", f"numpy.{name}", f"{char}->{char}"), cases)
        small = np.concatenate([specials(dtype), np.linspace(-5, 5, 23).astype(dtype), [2.0, -1.0]])
        for name in CALLS[2]:
            grid = pairs(small, small)
            cases = [Case(_ufunc_fn(name), vs, f"{name} {form_label(vs)}") for vs in forms(grid, scalars=60)]
            check_subject(report, ("ufunc", f"numpy.{name}", f"{char}{char}->{char}"), cases)


def check_scipy(report: Report, key: tuple) -> None:
    """A scipy.special loop, checked when a lowering first asks for it (importing
    scipy.special is slow, and most loops never use it)."""
    name = key[1].rpartition(".")[2]
    char = key[2][0]
    if name not in SCIPY_CALLS or char not in "df" or key[2] != f"{char}->{char}":
        return
    dtype = {"d": "float64", "f": "float32"}[char]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = [Case(_ufunc_fn(name), vs, f"{name} {form_label(vs)}") for vs in forms([smooth(dtype)])]
        check_subject(report, key, cases)


FLOAT_LENGTHS = [1, 7, 8, 9, 17, 128, 129, 1000, 10007]
FLOAT_MATRICES = [(1, 5), (5, 1), (3, 7), (130, 2), (9, 33)]
INT_LENGTHS = [1, 9, 130]
INT_MATRICES = [(3, 7), (7, 3)]


def reduce_data(dtype: str, n: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return [rng.integers(0, 2, n).astype(bool), np.zeros(n, bool), np.ones(n, bool)]
    if dtype in ("float64", "float32"):
        scale = 10.0 ** rng.integers(-3, 4, n)
        data = [(rng.standard_normal(n) * scale).astype(dtype), np.full(n, -0.0, dtype),
                np.where(np.arange(n) % 2, 0.0, -0.0).astype(dtype)]
        if n > 2:
            with_nan = data[0].copy()
            with_nan[n // 2] = np.nan
            data.append(with_nan)
        return data
    info = np.iinfo(dtype)
    return [rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)]


def _reducers() -> dict[str, dict[Any, Callable[..., Any]]]:
    from reference.tensor import reduction as red

    fns = {"sum": red.sum, "prod": red.prod, "max": red.max, "min": red.min, "any": red.any, "all": red.all}
    table: dict[str, dict[Any, Callable[..., Any]]] = {}
    for kind, fn in fns.items():
        table[kind] = {axis: (lambda x, a=axis, f=fn: f(x, axis=a)) for axis in (None, 0, 1, ())}
        table[kind]["keepdims"] = lambda x, f=fn: f(x, axis=1, keepdims=True)
    return table


def check_reductions(report: Report) -> None:
    from reference.tensor import reduction as red

    ufunc_of = {"sum": "add", "prod": "multiply", "max": "maximum", "min": "minimum",
                "any": "logical_or", "all": "logical_and"}
    reducers = _reducers()
    for dtype in opcodes.DTYPES:
        floating = dtype in ("float64", "float32")
        lengths, matrices = (FLOAT_LENGTHS, FLOAT_MATRICES) if floating else (INT_LENGTHS, INT_MATRICES)
        for kind, table in reducers.items():
            if kind in ("any", "all") and dtype != "bool":
                continue
            cases: list[Case] = []
            for i, n in enumerate(lengths):
                for data in reduce_data(dtype, n, i):
                    cases.append(Case(table[None], [data], f"{kind} of {dtype}[{n}]"))
            for i, shape_ in enumerate(matrices):
                for data in reduce_data(dtype, shape_[0] * shape_[1], 100 + i):
                    m = data.reshape(shape_)
                    for axis in (None, 0, 1, "keepdims"):
                        cases.append(Case(table[axis], [m], f"{kind} axis {axis} of {shape_}"))
            cases.append(Case(table[()], [reduce_data(dtype, 5, 7)[0]], f"{kind} over no axis"))
            acc = np.dtype(red.ACC_DTYPE.get(dtype, dtype)) if kind in ("sum", "prod") else np.dtype(dtype)
            if kind in ("any", "all"):
                acc = np.dtype(bool)
            key = ("ufunc", f"numpy.{ufunc_of[kind]}", acc.char * 2 + "->" + acc.char)
            check_subject(report, key, cases)


def check_blas(report: Report) -> None:
    from reference.tensor import blas

    rng = np.random.default_rng(7)
    for dtype, suffix in (("float64", "F64"), ("float32", "F32")):
        def mat(m: int, n: int, order: str = "C", dtype: str = dtype) -> np.ndarray:
            return np.asarray(rng.standard_normal((m, n)), dtype=dtype, order=order)

        def vec(n: int, dtype: str = dtype) -> np.ndarray:
            return rng.standard_normal(n).astype(dtype)

        dots = [Case(blas.dot, [vec(n), vec(n)], f"dot of vectors [{n}]") for n in (2, 3, 8, 17, 100, 1000)]
        dots.append(Case(blas.dot, [vec(40)[::2], vec(20)], "dot of a strided vector"))
        check_subject(report, ("op", f"DOT_{suffix}"), dots)
        gemv = []
        for m, n in ((2, 2), (3, 5), (64, 64), (256, 256), (100, 3), (7, 130)):
            for order in "CF":
                gemv.append(Case(blas.dot, [mat(m, n, order), vec(n)], f"dot {order} matrix {m}x{n} by vector"))
                gemv.append(Case(blas.dot, [vec(m), mat(m, n, order)], f"dot vector by {order} matrix {m}x{n}"))
        check_subject(report, ("op", f"GEMV_{suffix}"), gemv)
        gemm = []
        for (m, k, n) in ((2, 2, 2), (3, 5, 4), (33, 17, 9), (64, 64, 64)):
            for oa in "CF":
                for ob in "CF":
                    gemm.append(Case(blas.dot, [mat(m, k, oa), mat(k, n, ob)], f"dot {oa}{ob} {m}x{k}x{n}"))
        check_subject(report, ("op", f"GEMM_{suffix}"), gemm)
        mm = []
        for m, k, n in ((2, 3, 4), (64, 64, 64), (1, 5, 3), (5, 1, 4)):
            for oa in "CF":
                mm.append(Case(blas.matmul, [mat(m, k, oa), mat(k, n)], f"matmul {oa} {m}x{k}x{n}"))
            mm.append(Case(blas.matmul, [mat(m, k), vec(k)], f"matmul matrix {m}x{k} by vector"))
            mm.append(Case(blas.matmul, [vec(m), mat(m, n)], f"matmul vector by matrix {m}x{n}"))
        mm.append(Case(blas.matmul, [vec(17), vec(17)], "matmul of vectors"))
        char = np.dtype(dtype).char
        check_subject(report, ("ufunc", "numpy.matmul", f"{char}{char}->{char}"), mm)
        if ("ufunc", "numpy.matmul", f"{char}{char}->{char}") in report.passed:
            report.passed[("op", "MATMUL")] = "numpy's matmul loop"


# -- merged calls in blocks (KERN-BIND-4) ------------------------------------------------------
#: lengths every merge check calls the loop with: around numpy's SIMD widths and unrolls
#: (1..17), a few powers of two either side, and a block
MERGE_LENGTHS = (*range(1, 18), 31, 32, 33, 63, 64, 65, 127, 128, 129, 1023, 1024)
#: about this many arena bytes per checked length (strided layouts get fewer elements)
MERGE_BYTES = 1 << 20
#: the forms of a merged call the check knows
MERGE_FORMS = ("call", "power fast path")


def merge_refused(ufunc: str, types: str, steps: tuple[int, ...], n: int, *, apart: bool = False,
                  form: str = "call") -> str | None:
    """Why one call of the loop ``ufunc[types]`` over ``n`` elements, with inner strides
    ``steps`` (bytes: the result's, then each operand's), may not replace the calls of one
    element each that the Python path makes; None when it may (KERN-BIND-4).  ``apart``:
    the caller guarantees that the call's result is apart from its operands in memory (as
    numpy's overlap test sees them); else any layout.  ``form="power fast path"``: the call
    followed by ``lower.emit_power_fast_path``.  Each (loop, strides, length, form) is
    checked the first time a lowering asks, then remembered for the process."""
    if _RUNNING:
        return "asked while the self-check runs"
    report = results()
    if report.error:
        return f"the self-check did not run: {report.error}"
    key = (ufunc, types, tuple(int(s) for s in steps), int(n), form)
    if key not in report.merges:
        start = time.perf_counter()
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                report.merges[key] = check_merge(report, *key)
        except Exception as error:  # noqa: BLE001 - what was not checked is not merged
            reason = f"could not be checked: {type(error).__name__}: {error}"
            report.merges[key] = (reason, reason)
        report.merge_seconds += time.perf_counter() - start
    apart_reason, any_reason = report.merges[key]
    return apart_reason if apart else any_reason


def check_merge(report: Report, ufunc: str, types: str, steps: tuple[int, ...], n: int,
                form: str) -> tuple[str | None, str | None]:
    """Run the form as a merged call would, on every length of MERGE_LENGTHS and ``n``,
    with the result apart from the operands, compared element by element with one call of
    the loop on that element alone; and the call with its result touching each operand
    (numpy's loops test for overlap, counting ranges that touch, and may take another code
    path), compared with the call apart.  Once per loop, the single calls are compared with
    numpy's ufunc on 0-d arrays, the Python path's step.  The reasons (None: agrees) with
    the result apart, and in any layout (KERN-BIND-4)."""
    ins, _, out = types.partition("->")
    refusal = None
    if out not in ("d", "f") or set(ins) != {out} or len(ins) not in (1, 2):
        refusal = "only float loops with one dtype are merged"
    elif len(steps) != len(ins) + 1 or any(s % np.dtype(out).itemsize for s in steps) or steps[0] <= 0 or n < 1:
        refusal = f"strides {list(steps)} are not those of a merged call"
    elif max(abs(s) for s in steps) * 64 > MERGE_BYTES:
        refusal = f"strides {list(steps)} are too large to check"
    elif form not in MERGE_FORMS or (form != "call" and (ufunc != "numpy.power" or steps[2] == 0)):
        refusal = f"no merged form {form!r} for {ufunc} with strides {list(steps)}"
    if refusal:
        return refusal, refusal
    dtype = np.dtype(out)
    values = merge_samples(ufunc, out, len(ins))
    anchor = (ufunc, types, (), 1, "one call per element")
    if anchor not in report.merges:
        reason = _MergeRun(ufunc, types, dtype, values).anchor()
        report.merges[anchor] = (reason, reason)
    if report.merges[anchor][0] is not None:
        return report.merges[anchor]
    return _MergeRun(ufunc, types, dtype, values).layouts(steps, sorted({*MERGE_LENGTHS, n}), form)


_SAMPLES: dict[tuple, list[np.ndarray]] = {}


def merge_samples(ufunc: str, char: str, nin: int) -> list[np.ndarray]:
    """Operand values of the merge check: random values across magnitudes and both signs,
    specials (signed zeros, infinities, NaN, subnormals, the largest and smallest values,
    overflow thresholds, large arguments), integers as floats; pairs of them for binary
    loops, with integer, half-integer and large exponents and bases near one."""
    key = (ufunc, char, nin)
    if key in _SAMPLES:
        return _SAMPLES[key]
    dtype = {"d": "float64", "f": "float32"}[char]
    rng = np.random.default_rng(5)
    sign = rng.choice([-1.0, 1.0], 4000)
    edges = [5e-324, -5e-324, 1e-320, 2.2250738585072014e-308, -2.2250738585072014e-308, 1e-300,
             -1e-300, 1.1754943508222875e-38, 1.401298464324817e-45, -1.401298464324817e-45, 1e-40,
             3.4028234663852886e38, -3.4028234663852886e38, 1.7976931348623157e308,
             -1.7976931348623157e308, 709.782712893384, 709.79, 710.0, -745.1332191019411, -745.14,
             -708.4, 88.72283, 88.73, -103.97208, -87.33655, 1e6, -1e6, 1e15, 1e22, 2.0**60, -(2.0**60),
             np.pi / 2, np.pi, -np.pi, 2 * np.pi, 1.0 - 1e-16, 1.0 + 2e-16, 0.9999, 1.0001, 19.0,
             -19.0, 20.0, 22.0, 37.5, -37.5]
    if nin == 1:
        parts = [smooth("float64"), np.array(edges), sign[:400] * 10.0 ** rng.uniform(-30, 30, 400),
                 rng.standard_normal(200) * 100, rng.uniform(-1, 1, 200), np.arange(-50.0, 51.0)]
        data = [np.concatenate(parts)]
    else:
        base = np.concatenate([specials("float64"), [2.0, 0.5, -0.5, 1.5, -3.0, 10.0, 1.0001, -1e-3]])
        grid = pairs(base, base)
        m = 1000
        xs = sign[:m] * 10.0 ** rng.uniform(-8, 8, m)
        ys = np.concatenate([rng.integers(-40, 41, 250).astype(float), rng.integers(-80, 81, 150) / 2.0,
                             rng.standard_normal(200) * 5, sign[m:m + 200] * 10.0 ** rng.uniform(-3, 3, 200),
                             sign[m + 200:m + 400] * 10.0 ** rng.uniform(3, 6, 200)])
        near = 1.0 + sign[2000:2300] * 10.0 ** rng.uniform(-12, -2, 300)
        big = rng.integers(0, 20000, 300).astype(float)
        ints = rng.integers(-1000, 1001, 200).astype(float)
        data = [np.concatenate([grid[0], xs, near, ints]),
                np.concatenate([grid[1], ys, big, rng.integers(-5, 6, 200).astype(float)])]
    with np.errstate(all="ignore"):
        result = [np.ascontiguousarray(v.astype(dtype)) for v in data]
    _SAMPLES[key] = result
    return result


class _MergeRun:
    """One program of the merge check: calls of one loop over arena regions laid out as
    asked, the values written before the run and the results compared after it."""

    def __init__(self, ufunc: str, types: str, dtype: np.dtype, values: list[np.ndarray]) -> None:
        from reference._cloop.tape import FnRef, Program

        self.ufunc, self.dtype, self.values = ufunc, dtype, values
        self.isz, self.nin = dtype.itemsize, len(values)
        self.ref = FnRef("ufunc", ufunc, types)
        self.p = Program(name="merge check")
        self.fills: list[tuple[Any, np.ndarray]] = []

    # -- building ----------------------------------------------------------------------------
    def region(self, nbytes: int, shift: int = 0) -> int:
        offset = -(-self.p.arena_bytes // 64) * 64 + shift
        self.p.arena_bytes = offset + max(nbytes, 1)
        return offset

    def reg(self, offset: int, shape: tuple, strides: tuple, name: str) -> Any:
        return self.p.add_register(name, self.dtype, shape, strides, ("arena",), offset, None, "temp")

    def singles(self, operands: list[np.ndarray]) -> tuple[Any, list[Any]]:
        """One call per element over the flat ``operands`` (the per-step call of a row of
        one element: length 1, strides 0); returns the result and operand registers."""
        from reference._cloop.tape import Geom

        total, isz = len(operands[0]), self.isz
        regs = []
        for k, value in enumerate(operands):
            r = self.reg(self.region(total * isz), (total,), (isz,), f"in{k}")
            self.fills.append((r, value))
            regs.append(r)
        dst = self.reg(self.region(total * isz), (total,), (isz,), "out")
        one = (0, isz, 0)
        self.p.call_geometry(self.ref, dst, regs, Geom((1, total, 1), (one, one, one if self.nin == 2 else
                                                                          (0, 0, 0), (0, 0, 0))))
        return dst, regs

    def merged(self, steps: tuple[int, ...], length: int, calls: int, operands: list[np.ndarray],
               touch: int | None) -> Any:
        """``calls`` calls of ``length`` elements with inner strides ``steps``, each in its
        own cell of the arena: operands and result apart, or the result's range (as numpy
        computes it: one stride past the last element) ending where operand ``touch``'s
        begins; returns the result register."""
        from reference._cloop.tape import Geom

        isz, L = self.isz, length
        gap = max(abs(s) for s in steps) + isz
        ptr = [0] * len(steps)

        def span(s: int) -> int:
            return abs(s) * (L - 1) + isz

        def lead(s: int) -> int:
            return abs(s) * (L - 1) if s < 0 else 0

        pos, order = 0, list(range(len(steps)))
        if touch is not None:
            k, s = touch + 1, steps[touch + 1]
            low = steps[0] * L + (abs(s) if s < 0 else 0)
            ptr[k] = low + lead(s)
            pos = low + span(s) + gap
            order = [r for r in order if r not in (0, k)]
        for r in order:
            ptr[r] = pos + lead(steps[r])
            pos += span(steps[r]) + gap
        cell = pos if pos % 64 else pos + isz
        base = self.region(calls * cell, (L % (64 // isz)) * isz)
        regs = [self.reg(base + ptr[r], (calls, L), (cell, steps[r]), f"r{r}") for r in range(len(steps))]
        for k, value in enumerate(operands):
            self.fills.append((regs[k + 1], value.reshape(calls, L)))
        geom = tuple((0, cell, s) for s in steps) + ((0, 0, 0),) * (4 - len(steps))
        self.p.call_geometry(self.ref, regs[0], regs[1:], Geom((1, calls, L), geom))
        return regs[0]

    # -- running -----------------------------------------------------------------------------
    def run(self) -> np.ndarray:
        from reference._cloop.runtime import Compiled, Frame, address, aligned_bytes

        compiled = Compiled(self.p)
        arena = aligned_bytes(-(-self.p.arena_bytes // 64) * 64)  # whole words for view()
        arena[:] = 0
        for reg, value in self.fills:
            self.view(arena, reg)[...] = value
        frame = Frame(arena, address(arena), [src[1] for src in self.p.ext], [], [], [])
        plan = compiled.plan(frame)
        result = compiled.ffi.new("cloop_result *")
        status = compiled.lib.cloop_run(plan, 0, 1, result)
        if status != 0:
            raise RuntimeError(f"kernel status {status} at instruction {result.pc}")
        return arena

    def view(self, arena: np.ndarray, reg: Any) -> np.ndarray:
        flat = arena.view(reg.dtype)
        return np.lib.stride_tricks.as_strided(flat[reg.offset // reg.itemsize:], reg.shape, reg.strides)

    def anchor(self) -> str | None:
        """One call per element, as a block's per-step calls, against numpy's ufunc on 0-d
        arrays (Elemwise.perform at one step of the Python path)."""
        from reference._cloop import pointers
        from reference._cloop.dispatch import same_bits

        fn = pointers.ufunc_object(self.ufunc)
        expected = np.array([fn(*(np.array(v[i]) for v in self.values)) for i in range(len(self.values[0]))],
                            dtype=self.dtype)
        dst, _ = self.singles(self.values)
        got = self.view(self.run(), dst).copy()
        if same_bits(got, expected):
            return None
        return "one call per element differs from numpy on 0-d arrays: " + self.first_difference(
            got, expected, self.values)

    def layouts(self, steps: tuple[int, ...], lengths: list[int], form: str) -> tuple[str | None, str | None]:
        """Every length, every layout: the first difference with the result apart (the form
        against one call per element of the same values), and in any layout (the call with
        the result touching an operand against the call with it apart; None: none).  The
        power fast path's inline opcodes, which give each element the same bits in any
        layout (KERN-BIND-3), run once over the results of the calls apart, gathered."""
        from reference._cloop import opcodes
        from reference._cloop.dispatch import same_bits

        S = len(self.values[0])
        per_element = sum(max(abs(s), self.isz) for s in steps) * (self.nin + 3)
        cases, columns, at = [], [[] for _ in range(self.nin)], 0
        for L in lengths:
            total = max(L, min(S, MERGE_BYTES // per_element) // L * L)
            calls = total // L
            start = (L * 7919) % S
            index = (start + np.arange(total)) % S
            operands = []
            for k in range(self.nin):
                if steps[k + 1] == 0:  # one value per call
                    pick = (start + 131 * np.arange(calls) + L) % S
                    operands.append(np.repeat(self.values[k][pick], L))
                else:
                    operands.append(self.values[k][index])
                columns[k].append(operands[k])
            merged = [self.merged(steps, L, calls, operands, touch) for touch in (None, *range(self.nin))]
            cases.append((f"{calls} calls of {L} elements", merged, at, operands))
            at += total
        single, ins = self.singles([np.concatenate(c) for c in columns])
        result = single
        if form != "call":
            from reference._cloop.lower import emit_power_fast_path

            gathered = self.reg(self.region(at * self.isz), (at,), (self.isz,), "gathered")
            for _, merged, start, _ in cases:
                part = self.reg(gathered.offset + start * self.isz, merged[0].shape,
                                (merged[0].shape[1] * self.isz, self.isz), "part")
                self.p.elementwise(opcodes.copy(self.dtype.name).name, part, merged[0])
            result = self.p.temp(self.dtype, (at,), "power")
            emit_power_fast_path(self.p, result, gathered, ins[0], ins[1])
        arena = self.run()
        expected_all, got_all = self.view(arena, single), self.view(arena, result)
        apart = touching = None
        for label, merged, start, operands in cases:
            size = operands[0].size
            alone = expected_all[start:start + size]
            first = self.view(arena, merged[0]).reshape(-1)
            got = first if form == "call" else got_all[start:start + size]
            if apart is None and not same_bits(got, alone):
                apart = f"differs on {label}, result apart: " + self.first_difference(got, alone, operands)
            for k, other in enumerate(merged[1:]):
                other = self.view(arena, other).reshape(-1)
                if touching is None and not same_bits(other, first):
                    touching = (f"differs on {label}, result touching operand {k} (against apart): "
                                + self.first_difference(other, first, operands))
        return apart, apart or touching

    @staticmethod
    def first_difference(got: np.ndarray, expected: np.ndarray, operands: list[np.ndarray]) -> str:
        from reference._cloop.dispatch import same_bits

        for i in range(got.size):
            if not same_bits(got[i], expected[i]):
                args = ", ".join(repr(v[i]) for v in operands)
                return f"element {i} ({args}): {got[i]!r} merged, {expected[i]!r} alone"
        return "?"


def run_all(report: Report) -> None:
    """Every subject the lowering can emit (KERN-EXACT-3)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_elementwise(report)
        check_casts_copies_where(report)
        check_calls(report)
        check_reductions(report)
        check_blas(report)
        denormal = np.array([5e-324]) * 1.0
        if denormal[0] == 0.0:
            report.error = "denormals flush to zero in this process (a fast-math library was loaded)"
