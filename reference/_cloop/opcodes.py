"""The kernel's instruction set: one table, the single source of truth for C and Python
(KERN-BUILD-2).

Spec: spec/5-kernel.rst (KERN-OP-*).  ``python -m reference._cloop.opcodes`` writes
``opcodes.h`` (the C enum) and the generated block of ``kernel.c`` (one ``case`` line per
elementwise opcode); ``--check`` fails if either file differs from what this table says
(``tox -e gen-check`` and ``tests/test_5_kernel_build.py`` run it).

An opcode is typed: ``ADD_F64`` adds two float64 registers.  Elementwise opcodes are written
as a C expression over the operand values ``x``, ``y``, ``z`` (the loop drivers ``EW1``,
``EW2``, ``EW3`` in ``kernel.c`` run it over a broadcast geometry); the expression follows
numpy's definition of the ufunc loop of that dtype (integer wrap-around, ``x // 0 == 0``,
NaN-propagating ``maximum``...).  The other opcodes (numpy loop calls, BLAS) have
hand-written cases in ``kernel.c``.

Each elementwise *family* names the numpy ufunc whose loop it reproduces: the lowering asks
that ufunc which loop numpy would run (``ufunc.resolve_dtypes``), and the Python mirror and
the import-time self-check call the same ufunc.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DType:
    """A register dtype: numpy name, opcode suffix, C type, unsigned C type (integers)."""

    name: str
    suffix: str
    ctype: str
    utype: str | None = None

    @property
    def kind(self) -> str:
        return np.dtype(self.name).kind


DTYPES: dict[str, DType] = {d.name: d for d in (
    DType("float64", "F64", "double"),
    DType("float32", "F32", "float"),
    DType("int64", "I64", "int64_t", "uint64_t"),
    DType("int32", "I32", "int32_t", "uint32_t"),
    DType("int8", "I8", "int8_t", "uint8_t"),
    DType("bool", "B", "uint8_t"),
)}
FLOATS = ("float64", "float32")
INTS = ("int64", "int32", "int8")


def _wrap(d: DType, expr: str) -> str:
    """Integer arithmetic in the unsigned type: wraps like numpy, no undefined behaviour."""
    return f"({d.ctype})(({d.utype})x {expr} ({d.utype})y)"


def _float(fn: str) -> dict[str, str]:
    return {"float64": f"{fn}(x)", "float32": f"{fn}f(x)"}


@dataclass(frozen=True)
class Family:
    """Elementwise opcodes computing numpy ufunc ``ufunc`` inline, one per loop dtype.

    ``exprs`` maps the loop dtype to the C expression; ``out`` is ``"same"`` (the loop
    dtype) or ``"bool"``.
    """

    name: str
    ufunc: str
    nin: int
    exprs: dict[str, str]
    out: str = "same"


def _families() -> list[Family]:
    D = DTYPES
    arith = {
        "add": ("+", "x || y"),
        "subtract": ("-", None),
        "multiply": ("*", "x && y"),
    }
    fams: list[Family] = []
    for name, (sym, boolean) in arith.items():
        exprs = {f: f"x {sym} y" for f in FLOATS}
        exprs.update({i: _wrap(D[i], sym) for i in INTS})
        if boolean:
            exprs["bool"] = f"({boolean})"
        fams.append(Family(name, name, 2, exprs))
    fams.append(Family("true_divide", "true_divide", 2, {f: "x / y" for f in FLOATS}))
    fams.append(Family("floor_divide", "floor_divide", 2, {i: f"cl_fdiv_{D[i].suffix.lower()}(x, y)" for i in INTS}))
    fams.append(Family("remainder", "remainder", 2, {i: f"cl_mod_{D[i].suffix.lower()}(x, y)" for i in INTS}))
    # numpy: NaN propagates; on a tie (equal values, e.g. -0.0 and 0.0) the second wins
    fams.append(Family("maximum", "maximum", 2, {
        **{f: "((x > y || x != x) ? x : y)" for f in FLOATS},
        **{i: "(x > y ? x : y)" for i in (*INTS, "bool")}}))
    fams.append(Family("minimum", "minimum", 2, {
        **{f: "((x < y || x != x) ? x : y)" for f in FLOATS},
        **{i: "(x < y ? x : y)" for i in (*INTS, "bool")}}))
    for name, sym in (("less", "<"), ("less_equal", "<="), ("greater", ">"),
                      ("greater_equal", ">="), ("equal", "=="), ("not_equal", "!=")):
        fams.append(Family(name, name, 2, {d: f"(x {sym} y)" for d in DTYPES}, out="bool"))
    for name, sym in (("bitwise_and", "&"), ("bitwise_or", "|"), ("bitwise_xor", "^")):
        fams.append(Family(name, name, 2, {d: f"({D[d].ctype})(x {sym} y)" for d in (*INTS, "bool")}))
    fams.append(Family("invert", "invert", 1, {
        **{i: f"({D[i].ctype})(~x)" for i in INTS}, "bool": "(!x)"}))
    fams.append(Family("negative", "negative", 1, {
        **{f: "(-x)" for f in FLOATS},
        **{i: f"({D[i].ctype})(({D[i].utype})0 - ({D[i].utype})x)" for i in INTS}}))
    fams.append(Family("absolute", "absolute", 1, {
        **_float("fabs"),
        **{i: f"(x < 0 ? ({D[i].ctype})(({D[i].utype})0 - ({D[i].utype})x) : x)" for i in INTS},
        "bool": "x"}))
    # numpy: sign(nan) is nan, sign(-0.0) is 0.0
    fams.append(Family("sign", "sign", 1, {
        **{f: "(x > 0 ? 1 : (x < 0 ? -1 : (x == 0 ? 0 : x)))" for f in FLOATS},
        **{i: f"({D[i].ctype})((x > 0) - (x < 0))" for i in INTS}}))
    fams.append(Family("sqrt", "sqrt", 1, _float("sqrt")))
    fams.append(Family("floor", "floor", 1, _float("floor")))
    fams.append(Family("ceil", "ceil", 1, _float("ceil")))
    fams.append(Family("rint", "rint", 1, _float("rint")))
    return fams


FAMILIES: dict[str, Family] = {f.name: f for f in _families()}


@dataclass(frozen=True)
class Opcode:
    """One opcode.  ``kind``: ``ew1``/``ew2``/``ew3`` (elementwise, generated C), ``call1``/
    ``call2`` (a numpy ufunc loop through a pointer), ``matmul`` (numpy's matmul gufunc loop),
    ``dot``/``gemv``/``gemm`` (BLAS through a pointer), ``halt``.  ``dtypes``: (dst, a, b, c) dtype names for typed
    opcodes.  ``family``: the ufunc family (``None`` for casts, copies and selects)."""

    code: int
    name: str
    kind: str
    dtypes: tuple[str, ...] = ()
    expr: str | None = None
    family: str | None = None
    doc: str = field(default="", compare=False)


def _opcodes() -> list[Opcode]:
    table: list[tuple] = [("HALT", "halt", (), None, None, "end of the tape")]
    for fam in FAMILIES.values():
        for dtype, expr in fam.exprs.items():
            out = "bool" if fam.out == "bool" else dtype
            name = f"{fam.name.upper()}_{DTYPES[dtype].suffix}"
            table.append((name, f"ew{fam.nin}", (out,) + (dtype,) * fam.nin, expr, fam.name, f"numpy.{fam.ufunc} on {dtype}"))
    for dtype, d in DTYPES.items():
        table.append((f"WHERE_{d.suffix}", "ew3", (dtype, "bool", dtype, dtype), "(x ? y : z)", None,
                      f"numpy.where(c, a, b) on {dtype}"))
    for dtype, d in DTYPES.items():
        table.append((f"COPY_{d.suffix}", "ew1", (dtype, dtype), "x", None, f"copy {dtype} (broadcasting)"))
    for src, s in DTYPES.items():
        for dst, t in DTYPES.items():
            if src != dst:
                table.append((f"CAST_{s.suffix}_{t.suffix}", "ew1", (dst, src),
                              f"cl_cast_{s.suffix.lower()}_{t.suffix.lower()}(x)", None,
                              f"ndarray.astype: {src} to {dst}"))
    table += [
        ("CALL1", "call1", (), None, None, "a numpy ufunc loop with one input: fn(args=[a, dst])"),
        ("CALL2", "call2", (), None, None, "a numpy ufunc loop with two inputs: fn(args=[a, b, dst])"),
        ("DOT_F64", "dot", ("float64",) * 3, None, None, "0.0 + cblas_ddot (numpy's DOUBLE_dot)"),
        ("DOT_F32", "dot", ("float32",) * 3, None, None, "(float)(0.0 + cblas_sdot) (numpy's FLOAT_dot)"),
        ("GEMV_F64", "gemv", ("float64",) * 3, None, None, "cblas_dgemv, alpha 1, beta 0"),
        ("GEMV_F32", "gemv", ("float32",) * 3, None, None, "cblas_sgemv, alpha 1, beta 0"),
        ("GEMM_F64", "gemm", ("float64",) * 3, None, None, "cblas_dgemm, alpha 1, beta 0"),
        ("GEMM_F32", "gemm", ("float32",) * 3, None, None, "cblas_sgemm, alpha 1, beta 0"),
        ("MATMUL", "matmul", (), None, None, "numpy's matmul gufunc loop: fn(args=[a, b, dst])"),
    ]
    return [Opcode(i, name, kind, dtypes, expr, fam, doc)
            for i, (name, kind, dtypes, expr, fam, doc) in enumerate(table)]


OPCODES: list[Opcode] = _opcodes()
BY_NAME: dict[str, Opcode] = {op.name: op for op in OPCODES}
#: numpy dtype objects of the kernel's dtypes, and each opcode's operand dtypes as objects
NP_DTYPES: frozenset[np.dtype] = frozenset(np.dtype(d) for d in DTYPES)
NP_OPERANDS: dict[str, tuple[np.dtype, ...]] = {op.name: tuple(np.dtype(d) for d in op.dtypes) for op in OPCODES}


def elementwise(family: str, dtype: str) -> Opcode | None:
    """The inline opcode of ``family`` whose loop dtype is ``dtype``, if there is one."""
    return BY_NAME.get(f"{family.upper()}_{DTYPES[dtype].suffix}") if dtype in DTYPES else None


def cast(src: str, dst: str) -> Opcode:
    return BY_NAME[f"CAST_{DTYPES[src].suffix}_{DTYPES[dst].suffix}"]


def copy(dtype: str) -> Opcode:
    return BY_NAME[f"COPY_{DTYPES[dtype].suffix}"]


def where(dtype: str) -> Opcode:
    return BY_NAME[f"WHERE_{DTYPES[dtype].suffix}"]


# -- generated C ---------------------------------------------------------------------------
HEADER = "opcodes.h"
KERNEL = "kernel.c"
BEGIN = "/* BEGIN GENERATED by reference/_cloop/opcodes.py: elementwise cases */"
END = "/* END GENERATED */"


def header_text() -> str:
    lines = [
        "/* Generated by reference/_cloop/opcodes.py (python -m reference._cloop.opcodes).",
        " * Do not edit: change the table in opcodes.py and regenerate. */",
        "#ifndef REFERENCE_CLOOP_OPCODES_H",
        "#define REFERENCE_CLOOP_OPCODES_H",
        "",
        "enum cloop_opcode {",
    ]
    lines += [f"    CLOOP_OP_{op.name} = {op.code},  /* {op.doc} */" for op in OPCODES]
    lines += ["};", "", f"#define CLOOP_N_OPCODES {len(OPCODES)}", "", "#endif", ""]
    return "\n".join(lines)


def cases_text() -> str:
    lines = [BEGIN]
    for op in OPCODES:
        if op.kind not in ("ew1", "ew2", "ew3"):
            continue
        types = ", ".join(DTYPES[d].ctype for d in op.dtypes)
        lines.append(f"    case CLOOP_OP_{op.name}: {op.kind.upper()}({types}, {op.expr}); break;")
    lines.append("    " + END)
    return "\n".join(lines)


def kernel_with_cases(kernel: str) -> str:
    start, stop = kernel.index(BEGIN), kernel.index(END) + len(END)
    return kernel[:start] + cases_text() + kernel[stop:]


def main(argv: list[str]) -> int:
    header, kernel = HERE / HEADER, HERE / KERNEL
    want_header = header_text()
    want_kernel = kernel_with_cases(kernel.read_text(encoding="utf-8"))
    if "--check" in argv:
        stale = [p.name for p, want in ((header, want_header), (kernel, want_kernel))
                 if not p.exists() or p.read_text(encoding="utf-8") != want]
        if stale:
            print(f"stale generated C: {', '.join(stale)}; run python -m reference._cloop.opcodes")
            return 1
        return 0
    header.write_text(want_header, encoding="utf-8")
    kernel.write_text(want_kernel, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
