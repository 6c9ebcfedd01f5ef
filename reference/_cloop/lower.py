"""Lowering a scan's step graph to a :class:`~reference._cloop.tape.Program`.  Spec: KERN-OP-*.

The lowering runs at the first call of a given *signature* (the dtypes, shapes and strides
of the loop's inputs; ``signature()``), with that call's values at hand, and raises
:class:`~reference._cloop.tape.Unsupported` with a reason when the step cannot run on the
kernel exactly as the Python path runs it (KERN-FALL-1).

Each inner variable is one of

* **static**: known without the call's data (constants, shapes, and ops on those); folded
  now by the op's own ``perform``, the code the Python path runs;
* **invariant**: depends only on non-sequences (and statics): computed once per call, in
  Python, by the op's ``perform`` (the Python path computes it at every step and gets the
  same bits every time);
* **varying**: depends on the step: lowered to instructions, one numpy call of the Python
  path per instruction (KERN-EXACT-1).

The rules for each op are in spec/5-kernel.rst (KERN-OP-1 .. KERN-OP-7); the comments name
them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference._cloop import opcodes
from reference._cloop.tape import (
    FnRef,
    Geom,
    Program,
    Register,
    Ring,
    SeqWindow,
    Unsupported,
    broadcast_geometry,
    c_strides,
    extent,
    is_c_contiguous,
    is_f_contiguous,
)
from reference.evaluate import run_node
from reference.graph.basic import Apply, Constant, Variable
from reference.graph.shared import SharedVariable
from reference.scan.spec import MappedOutput, RecurrentOutput, ScanSpec
from reference.tensor import math as tm
from reference.tensor.basic import Alloc, MakeVector
from reference.tensor.blas import Dot, MatMul
from reference.tensor.elemwise import Elemwise, check_runtime_broadcast
from reference.tensor.reduction import Reduce, reduced_shape
from reference.tensor.shape import SYMBOLIC, DimShuffle, Reshape, Shape, SpecifyShape
from reference.tensor.shape import _check_static as check_reshape_static
from reference.tensor.subtensor import IncSubtensor, Subtensor, numpy_index

SUPPORTED_DTYPES = tuple(opcodes.DTYPES)
FLOAT_CHARS = {"float64": "d", "float32": "f"}

#: ScalarOp class -> the numpy ufunc its ``impl`` calls (KERN-OP-1, KERN-OP-2)
UFUNC_OF: dict[type, str] = {
    tm.Add: "add", tm.Sub: "subtract", tm.Mul: "multiply", tm.TrueDiv: "true_divide",
    tm.IntDiv: "floor_divide", tm.Mod: "remainder", tm.Maximum: "maximum",
    tm.Minimum: "minimum", tm.LT: "less", tm.LE: "less_equal", tm.GT: "greater",
    tm.GE: "greater_equal", tm.EQ: "equal", tm.NEQ: "not_equal", tm.And: "bitwise_and",
    tm.Or: "bitwise_or", tm.Xor: "bitwise_xor", tm.Invert: "invert", tm.Neg: "negative",
    tm.Abs: "absolute", tm.Sign: "sign", tm.Sqrt: "sqrt", tm.Floor: "floor", tm.Ceil: "ceil",
    tm.RoundHalfToEven: "rint", tm.Exp: "exp", tm.Log: "log", tm.Log1p: "log1p",
    tm.Expm1: "expm1", tm.Sin: "sin", tm.Cos: "cos", tm.Tan: "tan", tm.Tanh: "tanh",
    tm.Pow: "power", tm.ArcSin: "arcsin", tm.ArcCos: "arccos", tm.ArcTan: "arctan",
    tm.ArcTan2: "arctan2", tm.Sinh: "sinh", tm.Cosh: "cosh", tm.ArcSinh: "arcsinh",
    tm.ArcCosh: "arccosh", tm.ArcTanh: "arctanh", tm.Log2: "log2", tm.Log10: "log10",
    tm.Exp2: "exp2", tm.Trunc: "trunc",
}  # fmt: skip

#: ufuncs whose float loops the kernel may call through a pointer (KERN-EXACT-2)
CALLABLE = {"exp", "log", "log1p", "expm1", "sin", "cos", "tan", "tanh", "power",
            "floor_divide", "remainder", "sqrt", "floor", "ceil", "rint", "maximum", "minimum",
            "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "arcsinh", "arccosh", "arctanh",
            "log2", "log10", "exp2", "trunc"}
#: scipy.special ufuncs used by ScalarOps (their loops too) (KERN-OP-2)
SCIPY_OF: dict[type, str] = {tm.Sigmoid: "expit", tm.Erf: "erf", tm.Erfc: "erfc", tm.Erfcx: "erfcx",
                             tm.Erfinv: "erfinv", tm.Erfcinv: "erfcinv", tm.Gamma: "gamma",
                             tm.GammaLn: "gammaln", tm.Psi: "psi", tm.J0: "j0", tm.J1: "j1",
                             tm.I0: "i0", tm.I1: "i1", tm.NdtriExp: "ndtri_exp"}
#: reduction kind -> numpy ufunc whose reduce loop the kernel calls (KERN-OP-4)
REDUCE_UFUNC = {"sum": "add", "prod": "multiply", "max": "maximum", "min": "minimum",
                "any": "logical_or", "all": "logical_and"}


def dtype_char(dtype: np.dtype) -> str:
    return np.dtype(dtype).char


def loop_types(ufunc: np.ufunc, dtypes: list[np.dtype]) -> tuple[list[np.dtype], np.dtype]:
    """The loop numpy runs for ``ufunc`` on inputs of ``dtypes``: (input dtypes, output dtype)."""
    try:
        resolved = ufunc.resolve_dtypes(tuple(dtypes) + (None,) * ufunc.nout)
    except Exception as error:  # noqa: BLE001 - numpy refuses these dtypes
        raise Unsupported(f"numpy.{ufunc.__name__} has no loop for {[d.name for d in dtypes]}: {error}") from None
    return list(resolved[:ufunc.nin]), resolved[-1]


def types_string(ins: list[np.dtype], out: np.dtype) -> str:
    return "".join(dtype_char(d) for d in ins) + "->" + dtype_char(out)


def value_signature(value: Any) -> tuple:
    if isinstance(value, np.ndarray):
        return (value.dtype.char, value.shape, value.strides)
    return (type(value).__name__,)


def row_signature(value: Any) -> tuple:
    """A sequence's (or multi-tap initial state's) signature: its rows, not their number."""
    if isinstance(value, np.ndarray) and value.ndim:
        return (value.dtype.char, value.shape[1:], value.strides)
    return value_signature(value)


def signature(spec: ScanSpec, outer: Any, keep: tuple) -> tuple:
    """What a lowered program depends on: dtypes, row shapes and strides of every input,
    and the storage plan.  Values, and how many rows a sequence has, are not part of it."""
    initials = [row_signature(outer.initials[r]) if out.multiple_taps else value_signature(outer.initials[r])
                for r, out in enumerate(spec.recurrent)]
    return (
        tuple(map(row_signature, outer.sequences)),
        tuple(initials),
        tuple(map(value_signature, outer.shared)),
        tuple(map(value_signature, outer.non_sequences)),
        keep,
    )


class Lowering:
    """One lowering pass.  ``non_c_rings``: rings whose rows are not C-contiguous on the
    Python path (found by the previous pass)."""

    def __init__(self, spec: ScanSpec, order: list[Apply], outer: Any, keep: tuple,
                 non_c_rings: frozenset[int] = frozenset(), block: int = 0) -> None:
        self.spec, self.order, self.outer, self.keep = spec, order, outer, keep
        self.non_c_rings = non_c_rings
        self.block = block                    # > 0: one kernel step runs `block` loop steps
        self.blocked: set[int] = set()        # registers with the leading block axis
        self.p = Program(name=spec.name)
        self.p.block = block
        self.reg: dict[Variable, Register] = {}
        self.static: dict[Variable, Any] = {}
        self.invariant: dict[Variable, Any] = {}
        self.produced: dict[int, int] = {}    # register -> pc of the instruction writing it
        self.ring_py_c: dict[int, bool] = {}  # ring -> rows C-contiguous on the Python path
        self.pinned: set[int] = set()         # temporaries place_outputs must not move

    @classmethod
    def bare(cls, name: str = "selfcheck") -> Lowering:
        """A lowering with no loop around it: the self-check lowers single nodes with it."""
        self = cls.__new__(cls)
        self.spec, self.order, self.outer, self.keep = None, [], None, ()  # type: ignore[assignment]
        self.non_c_rings = frozenset()
        self.p = Program(name=name)
        self.reg, self.static, self.invariant, self.produced, self.ring_py_c = {}, {}, {}, {}, {}
        self.block, self.blocked, self.pinned = 0, set(), set()
        return self

    # -- entry ---------------------------------------------------------------------------
    def run(self) -> Program:
        self.bind_inputs()
        for node in self.order:
            self.lower_node(node)
        self.bind_outputs()
        self.bind_until()
        self.place_outputs()
        used = {v for node in self.p.invariant_nodes for v in node.inputs}
        self.p.static_values = {v: value for v, value in self.static.items() if v in used}
        return self.p

    # -- inputs (KERN-BIND-1) ----------------------------------------------------------------
    def bind_inputs(self) -> None:
        spec, outer, p = self.spec, self.outer, self.p
        for s, (seq, value) in enumerate(zip(spec.sequences, outer.sequences, strict=True)):
            value = self.check_array(value, f"sequence {seq.name}")
            row, strides = value.shape[1:], value.strides[1:]
            if self.block:  # KERN-BIND-3: `block` consecutive rows of the window
                step = -value.strides[0] if spec.go_backwards else value.strides[0]
                row, strides = (self.block, *row), (step, *strides)
            for j, placeholder in enumerate(seq.inner):
                w = len(p.windows)
                p.windows.append(SeqWindow(s, j, value.dtype, row, strides))
                reg = self.reg[placeholder] = p.add_register(
                    placeholder.name or f"seq{s}", value.dtype, row, strides, ("seq", w), 0,
                    strides, "input")
                if self.block:
                    self.blocked.add(reg.index)
        recurrent = [o for o in spec.outputs if isinstance(o, RecurrentOutput)]
        for out, initial in zip(recurrent, outer.initials, strict=True):
            initial = self.check_array(initial, f"initial state of {out.name}")
            row = initial.shape[1:] if out.multiple_taps else initial.shape
            rows_c = is_c_contiguous(row, initial.strides[1:] if out.multiple_taps else initial.strides,
                                     initial.itemsize)
            self.add_ring(out.name, "output", spec.outputs.index(out), initial.dtype, row,
                          out.depth, out.taps, out.inner, rows_c)
        for i, (state, value) in enumerate(zip(spec.shared_states, outer.shared, strict=True)):
            value = self.check_array(value, f"shared variable {state.variable}")
            self.add_ring(str(state.variable), "shared", i, value.dtype, value.shape, 1, (-1,),
                          (state.inner,), is_c_contiguous(value.shape, value.strides, value.itemsize))
        for placeholder, value in zip(spec.non_sequences, outer.non_sequences, strict=True):
            self.invariant[placeholder] = value

    def check_array(self, value: Any, what: str) -> np.ndarray:
        if not isinstance(value, np.ndarray):
            raise Unsupported(f"{what} is a {type(value).__name__}, not an array")
        if value.dtype.name not in SUPPORTED_DTYPES or not value.dtype.isnative:
            raise Unsupported(f"{what} has dtype {value.dtype}; the kernel runs {', '.join(SUPPORTED_DTYPES)}")
        if not value.flags.aligned:
            raise Unsupported(f"{what} is not aligned")
        return value

    def add_ring(self, name: str, role: str, index: int, dtype: np.dtype, row: tuple, depth: int,
                 taps: tuple, inner: tuple, rows_c: bool) -> None:
        j = len(self.p.rings)
        keep = self.keep[index] if role == "output" else 1
        self.p.rings.append(Ring(name, role, index, np.dtype(dtype), tuple(row), depth, tuple(taps), keep=keep))
        py_c = rows_c and j not in self.non_c_rings
        self.ring_py_c[j] = py_c
        strides = c_strides(tuple(row), np.dtype(dtype).itemsize)
        for placeholder, k in zip(inner, taps, strict=True):
            self.reg[placeholder] = self.p.add_register(
                placeholder.name or name, dtype, row, strides, ("tap", j, k), 0,
                strides if py_c else None, "input")

    # -- classification ------------------------------------------------------------------------
    def kind(self, variable: Variable) -> str:
        if variable in self.static:
            return "static"
        if variable in self.invariant:
            return "invariant"
        if variable in self.reg:
            return "varying"
        if isinstance(variable, Constant):
            self.static[variable] = variable.data
            return "static"
        if isinstance(variable, SharedVariable):
            self.invariant[variable] = variable.get_value(borrow=True)
            return "invariant"
        raise Unsupported(f"the step reads {variable}, which is not an input of the loop")

    def lower_node(self, node: Apply) -> None:
        kinds = {self.kind(v) for v in node.inputs}
        foldable = getattr(node.op, "constant_foldable", True)
        if foldable and kinds <= {"static"}:
            self.evaluate_now(node, self.static)
        elif foldable and kinds <= {"static", "invariant"}:
            self.evaluate_now(node, self.invariant)
            self.p.invariant_nodes.append(node)
        elif isinstance(node.op, Shape):
            reg = self.register(node.inputs[0])
            shape_ = reg.shape[1:] if reg.index in self.blocked else reg.shape
            self.static[node.outputs[0]] = np.asarray(shape_, dtype="int64")
        else:
            self.lower_varying(node)

    def evaluate_now(self, node: Apply, into: dict) -> None:
        values = [self.static[v] if v in self.static else self.invariant[v] for v in node.inputs]
        try:
            results = run_node(node, values)
        except Exception as error:  # noqa: BLE001 - the Python path raises it (KERN-FALL-1)
            raise Unsupported(f"{node.op} raises {type(error).__name__} on this call's values") from None
        for variable, value in zip(node.outputs, results, strict=True):
            into[variable] = value

    def register(self, variable: Variable) -> Register:
        """The register holding ``variable`` (static and invariant values become externals)."""
        if variable in self.reg:
            return self.reg[variable]
        kind = self.kind(variable)
        value = self.static[variable] if kind == "static" else self.invariant[variable]
        value = self.check_array(np.asarray(value) if kind == "static" else value, f"value {variable}")
        if kind == "static":
            reg = self.p.external(("array", value), value, str(variable), "const")
        else:
            reg = self.p.external(("var", variable), value, str(variable), "invariant")
        self.reg[variable] = reg
        return reg

    def static_int_values(self, variable: Variable, what: str) -> np.ndarray:
        if self.kind(variable) != "static":
            raise Unsupported(f"{what} {variable} is not known before the loop runs")
        return np.asarray(self.static[variable])

    # -- emitting helpers ----------------------------------------------------------------------
    def emit_ew(self, opname: str, dst: Register, *operands: Register, note: str = "") -> Register:
        self.p.elementwise(opname, dst, *operands, note=note)
        self.produced[dst.index] = len(self.p.code) - 1
        return dst

    def emit_call(self, ufunc: str, types: str, dst: Register, *operands: Register, note: str = "") -> Register:
        self.check_callable(ufunc, types)
        # KERN-LAYOUT-1: numpy's loops choose a code path by stride sign.  (In blocks, a
        # map's registers carry a block axis the Python path does not have, and a map has
        # no ring: its views have the Python path's strides, KERN-BIND-4 checks the rest.)
        for r in () if self.block else operands:
            if r.py_strides is None or any(py < 0 <= s for py, s in zip(r.py_strides, r.strides, strict=True)):
                raise Unsupported(f"{ufunc} on {r.name}, whose layout on the Python path is not the kernel's "
                                  "(numpy's loops round differently for reversed strides)")
        ref = FnRef("ufunc", ufunc, types)
        if self.block:
            self.emit_block_call(ref, dst, operands, note)
        else:
            self.p.call(ref, dst, *operands, note=note)
        self.produced[dst.index] = len(self.p.code) - 1
        return dst

    def emit_block_call(self, ref: FnRef, dst: Register, operands: tuple[Register, ...], note: str) -> None:
        """A numpy loop in a block: one call over the block's rows when the self-check has
        verified that merged call on this machine -- in any layout, or with its result kept
        apart from its operands, or (``power`` with a varying exponent) followed by numpy's
        fast path -- else one call per step (KERN-BIND-3, KERN-BIND-4)."""
        from reference._cloop import selfcheck

        per_step = self.per_step_call_geometry(dst, operands)
        merged = self.merged_call_geometry(dst, operands)
        ufunc, types, nin = ref.name, ref.types, len(operands)
        if merged is not None and per_step.n[2] > 1 and selfcheck.merge_refused(
                ufunc, types, inner_steps(per_step, nin), per_step.n[2]) is not None:
            merged = None  # the per-step call of a longer row must itself be one call per element
        if merged is None:
            self.p.call_geometry(ref, dst, list(operands), per_step, note=note)
            return
        forms: list[tuple[str, bool]] = [("call", False)]  # (form, the base copied to a block first)
        if ufunc == "numpy.power" and merged.s[2][2] != 0 and all(
                selfcheck.disabled_reason(("op", name)) is None for name in power_fast_path_opcodes(dst.dtype)):
            # a varying exponent: the plain call never agrees (numpy's fast path); a broadcast
            # base is copied to a block first if the check allows (SIMD pow gathers it slowly)
            forms[:0] = [("power fast path", True)] * (merged.s[1][2] == 0) + [("power fast path", False)]
        for form, copy_base in forms:
            args = list(operands)
            if copy_base:
                args[0] = Register(-1, "base", dst.dtype, dst.shape, dst.strides, ("arena",))
            geom = self.merged_call_geometry(dst, tuple(args)) if copy_base else merged
            if geom is None:
                continue
            steps, n = inner_steps(geom, nin), geom.n[2]
            pad = max(abs(s) for s in steps) + dst.itemsize
            for apart in (False, True):
                if selfcheck.merge_refused(ufunc, types, steps, n, apart=apart, form=form) is not None:
                    continue
                if copy_base:
                    args[0] = self.p.temp(dst.dtype, dst.shape, f"{operands[0].name} per row")
                    self.emit_ew(opcodes.copy(dst.dtype.name).name, args[0], operands[0], note="the base per row")
                out = dst if form == "call" else self.p.temp(dst.dtype, dst.shape, "power (one call)")
                if apart:
                    self.keep_apart(out, pad)
                self.p.call_geometry(ref, out, args, geom,
                                     note=f"{note} (one call{', result apart from its operands' if apart else ''})")
                if form != "call":
                    emit_power_fast_path(self.p, dst, out, operands[0], operands[1])
                return
        self.p.call_geometry(ref, dst, list(operands), per_step,
                             note=f"{note} (one call per step: no merged call is verified on this machine)")

    def keep_apart(self, reg: Register, pad: int) -> None:
        """Move arena temporary ``reg`` (not yet written or viewed) to a fresh place at least
        ``pad`` bytes from anything else in the arena and from its ends, and keep it there
        (not written in place: KERN-BIND-2).  A call writing it is then apart, as numpy's
        overlap test sees it, from operands whose strides are below ``pad`` (KERN-BIND-4)."""
        start = -(-(self.p.arena_bytes + pad) // 64) * 64
        reg.offset = start
        self.p.arena_bytes = start + max(reg.nbytes, 1) + pad
        self.pinned.add(reg.index)

    def per_step_call_geometry(self, dst: Register, operands: tuple[Register, ...]) -> Geom:
        """KERN-BIND-3: one call per step, on that step's row with the row's own length and
        strides, exactly as the Python path calls the loop."""
        def row(r: Register) -> Register:
            return Register(r.index, r.name, r.dtype, r.shape[1:], r.strides[1:], r.root, r.offset)

        n, strides = broadcast_geometry(row(dst), [row(r) for r in operands])
        if n[0] != 1 or n[1] != 1:
            raise Unsupported("a numpy loop over rows of several axes does not run in blocks")
        regs = (dst, *operands)
        block_strides = [r.strides[0] if r.shape[0] != 1 else 0 for r in regs] + [0] * (4 - len(regs))
        return Geom((1, self.block, n[2]), tuple((0, block_strides[k], strides[k][2]) for k in range(4)))

    def merged_call_geometry(self, dst: Register, operands: tuple[Register, ...]) -> Geom | None:
        """KERN-BIND-4: the block's calls as one loop nest: the block axis merged with the
        rows where the layouts allow (a row of one element: one call over the block), or
        innermost (one call per element of the row); None when neither makes fewer calls."""
        regs = (dst, *operands)
        if dst.size == 0 or any(len(r.shape) != len(dst.shape) for r in regs):
            return None

        def block_last(r: Register) -> Register:
            return Register(r.index, r.name, r.dtype, (*r.shape[1:], r.shape[0]),
                            (*r.strides[1:], r.strides[0]), r.root, r.offset)

        best: Geom | None = None
        for views in (regs, [block_last(r) for r in regs]):
            try:
                n, strides = broadcast_geometry(views[0], views[1:])
            except Unsupported:
                continue
            if best is None or n[0] * n[1] < best.n[0] * best.n[1]:
                best = Geom(n, strides)
        if best is None or best.n[0] * best.n[1] >= self.block:
            return None
        return best

    def check_callable(self, ufunc: str, types: str) -> None:
        from reference._cloop import selfcheck

        reason = selfcheck.disabled_reason(("ufunc", ufunc, types))
        if reason:
            raise Unsupported(f"{ufunc}[{types}] is disabled on this machine: {reason}")

    def check_opcode(self, opname: str) -> None:
        from reference._cloop import selfcheck

        reason = selfcheck.disabled_reason(("op", opname))
        if reason:
            raise Unsupported(f"opcode {opname} is disabled on this machine: {reason}")

    def cast(self, reg: Register, dtype: np.dtype, note: str = "") -> Register:
        """``reg`` converted to ``dtype`` as ``astype`` converts (KERN-OP-3)."""
        dtype = np.dtype(dtype)
        if reg.dtype == dtype:
            return reg
        if dtype.name not in SUPPORTED_DTYPES:
            raise Unsupported(f"numpy computes this in {dtype}, which the kernel does not run")
        opname = opcodes.cast(reg.dtype.name, dtype.name).name
        self.check_opcode(opname)
        out = self.p.temp(dtype, reg.shape, f"{reg.name}.astype({dtype.name})")
        out.py_strides = out.strides if reg.py_c_contiguous or reg.size <= 1 else None
        return self.emit_ew(opname, out, reg, note=note or f"astype {dtype.name}")

    def materialize(self, reg: Register, note: str = "") -> Register:
        """A C-contiguous copy of ``reg`` (or ``reg`` if it already is one)."""
        if reg.c_contiguous and reg.root[0] == "arena":
            return reg
        out = self.p.temp(reg.dtype, reg.shape, f"copy({reg.name})")
        out.py_strides = reg.py_strides if reg.py_c_contiguous else None
        return self.emit_ew(opcodes.copy(reg.dtype.name).name, out, reg, note=note or "copy")

    def result_temp(self, dtype: np.dtype, shape_: tuple, inputs: list[Register], name: str) -> Register:
        out = self.p.temp(dtype, shape_, name)
        if not all(r.py_c_contiguous or r.size <= 1 for r in inputs):
            out.py_strides = None  # numpy's K order follows a non-C input (KERN-LAYOUT-1)
        return out

    # -- varying ops ---------------------------------------------------------------------------
    def lower_varying(self, node: Apply) -> None:
        op = node.op
        if len(node.outputs) != 1:
            raise Unsupported(f"{op} has {len(node.outputs)} outputs")
        if self.block and not isinstance(op, Elemwise):
            raise Unsupported(f"{op}: only elementwise steps run in blocks")
        handler = {
            Elemwise: self.lower_elemwise,
            Reduce: self.lower_reduce,
            Dot: self.lower_dot,
            MatMul: self.lower_matmul,
            Subtensor: self.lower_subtensor,
            IncSubtensor: self.lower_incsubtensor,
            DimShuffle: self.lower_dimshuffle,
            Reshape: self.lower_reshape,
            SpecifyShape: self.lower_specify_shape,
            Alloc: self.lower_alloc,
            MakeVector: self.lower_make_vector,
        }.get(type(op))
        if handler is None:
            raise Unsupported(f"{op} ({type(op).__name__}) has no kernel lowering")
        out = handler(node)
        variable = node.outputs[0]
        ndim = variable.type.ndim + (1 if out.index in self.blocked else 0)
        if out.dtype != np.dtype(variable.type.dtype) or len(out.shape) != ndim:
            raise Unsupported(f"internal: {op} lowered to {out.dtype}{out.shape} for {variable.type}")
        self.reg[variable] = out

    def output_shape(self, node: Apply, regs: list[Register]) -> tuple[int, ...]:
        """Elemwise's runtime broadcasting check on static shapes (OP-ELEMWISE-2)."""
        fakes = tuple(np.broadcast_to(np.empty((), bool), r.shape) for r in regs)
        try:
            return check_runtime_broadcast(node, fakes)
        except Exception:  # noqa: BLE001 - the Python path raises it
            raise Unsupported(f"{node.op}: shapes {[r.shape for r in regs]} raise at run time") from None

    def lower_elemwise(self, node: Apply) -> Register:
        regs = [self.register(v) for v in node.inputs]
        if not self.block:
            return self.lower_elemwise_on(node, regs, self.output_shape(node, regs))
        # KERN-BIND-3: values of the step carry a leading block axis; each operand's row is
        # padded on the left to the result's row, as numpy broadcasts one step
        aligned = [self.align_row(r, node.outputs[0].type.ndim) for r in regs]
        out = self.lower_elemwise_on(node, aligned, np.broadcast_shapes(*(r.shape for r in aligned)))
        if any(r.index in self.blocked for r in regs):
            self.blocked.add(out.index)
        return out

    def align_row(self, r: Register, ndim: int) -> Register:
        """``r`` as a block of rows of ``ndim`` axes: the block axis first (length 1 for a
        value that does not depend on the step), then the row padded on the left."""
        blocked = r.index in self.blocked
        row, strides = (r.shape[1:], r.strides[1:]) if blocked else (r.shape, r.strides)
        pad = ndim - len(row)
        if not pad and blocked:
            return r
        lead = (r.shape[0],) if blocked else (1,)
        lead_stride = (r.strides[0],) if blocked else (0,)
        py = None
        if r.py_strides is not None:
            py_row = r.py_strides[1:] if blocked else r.py_strides
            py = (r.py_strides[0] if blocked else 0, *(0,) * pad, *py_row)
        return self.p.view(r, 0, lead + (1,) * pad + row, lead_stride + (0,) * pad + strides, r.name, py)

    def lower_elemwise_on(self, node: Apply, regs: list[Register], out_shape: tuple) -> Register:
        scalar = node.op.scalar_op
        out_dtype = np.dtype(node.outputs[0].type.dtype)
        note = str(node.op)
        kind = type(scalar)
        if kind is tm.Identity:
            out = self.result_temp(regs[0].dtype, out_shape, regs, "identity")
            return self.emit_ew(opcodes.copy(regs[0].dtype.name).name, out, regs[0], note=note)
        if kind is tm.Second:  # KERN-OP-3: y broadcast against x, C-ordered as Second.impl's
            out = self.p.temp(regs[1].dtype, out_shape, "second")
            return self.emit_ew(opcodes.copy(regs[1].dtype.name).name, out, regs[1], note=note)
        if kind is tm.Cast:
            return self.materialize_cast(regs[0], out_dtype, out_shape, note)
        if kind is tm.Switch:
            return self.lower_where(regs, out_dtype, out_shape, note)
        if kind is tm.Clip:
            low = self.ufunc_apply("maximum", [regs[0], regs[1]], out_shape, note + " (maximum)")
            result = self.ufunc_apply("minimum", [low, regs[2]], out_shape, note + " (minimum)")
            return self.cast(result, out_dtype)
        if kind in SCIPY_OF:
            return self.lower_scipy(SCIPY_OF[kind], regs[0], out_dtype, out_shape, note)
        if kind not in UFUNC_OF:
            raise Unsupported(f"elementwise {scalar} has no kernel lowering")
        result = self.ufunc_apply(UFUNC_OF[kind], regs, out_shape, note)
        return self.cast(result, out_dtype)  # Elemwise.perform's astype

    def ufunc_apply(self, name: str, regs: list[Register], out_shape: tuple, note: str) -> Register:
        """``numpy.<name>(*regs)``: cast inputs to numpy's loop dtypes, run the loop inline or
        through its pointer (KERN-OP-1, KERN-OP-2)."""
        ufunc = getattr(np, name)
        ins, out_dtype = loop_types(ufunc, [r.dtype for r in regs])
        if out_dtype.name not in SUPPORTED_DTYPES or any(d.name not in SUPPORTED_DTYPES for d in ins):
            raise Unsupported(f"numpy.{name} runs its {types_string(ins, out_dtype)} loop here, "
                              "a dtype the kernel does not run")
        cast_in = [self.cast(r, d) for r, d in zip(regs, ins, strict=True)]
        out = self.result_temp(out_dtype, out_shape, regs, name)
        family = opcodes.FAMILIES.get(name)
        op = opcodes.elementwise(name, ins[0].name) if family else None
        if op is not None and all(d == ins[0] for d in ins):
            self.check_opcode(op.name)
            return self.emit_ew(op.name, out, *cast_in, note=note)
        if name in CALLABLE and ins[0].name in FLOAT_CHARS:
            return self.emit_call(f"numpy.{name}", types_string(ins, out_dtype), out, *cast_in, note=note)
        raise Unsupported(f"numpy.{name} on {ins[0].name} has no kernel lowering")

    def materialize_cast(self, reg: Register, dtype: np.dtype, out_shape: tuple, note: str) -> Register:
        out = self.cast(reg, dtype, note=note)
        if out.shape != out_shape:
            raise Unsupported("internal: cast changed shape")
        return out

    def lower_where(self, regs: list[Register], out_dtype: np.dtype, out_shape: tuple, note: str) -> Register:
        """``np.where(cond, x, y)``: cond by truthiness, x and y promoted (KERN-OP-3)."""
        cond, x, y = regs
        cond = self.cast(cond, np.dtype(bool))
        common = np.promote_types(x.dtype, y.dtype)
        x, y = self.cast(x, common), self.cast(y, common)
        op = opcodes.where(common.name)
        self.check_opcode(op.name)
        out = self.result_temp(common, out_shape, regs, "where")
        self.emit_ew(op.name, out, cond, x, y, note=note)
        return self.cast(out, out_dtype)

    def lower_scipy(self, name: str, reg: Register, out_dtype: np.dtype, out_shape: tuple, note: str) -> Register:
        import scipy.special

        # expit and erf allocate nothing, so only their numeric reports matter
        if any(v != "ignore" for k, v in scipy.special.geterr().items() if k != "memory"):
            raise Unsupported("scipy.special.seterr is set: its loops would call Python to report")
        from reference.graph.type import upgrade_to_float

        x = self.cast(reg, np.dtype(upgrade_to_float(reg.dtype.name)))
        if x.dtype.name not in FLOAT_CHARS:
            raise Unsupported(f"scipy.special.{name} on {x.dtype}")
        char = FLOAT_CHARS[x.dtype.name]
        out = self.result_temp(x.dtype, out_shape, [reg], name)
        self.emit_call(f"scipy.special.{name}", f"{char}->{char}", out, x, note=note)
        return self.cast(out, out_dtype)

    # -- reductions (KERN-OP-4) --------------------------------------------------------------
    def lower_reduce(self, node: Apply) -> Register:
        """``Reduce.perform``: numpy's reduce loop over the flat data, per row, or row after
        row (KERN-OP-4)."""
        op = node.op
        x = self.register(node.inputs[0])
        out_dtype = np.dtype(op.dtype)
        out_shape = reduced_shape(x.shape, op.axes, op.keepdims)
        ufunc = getattr(np, REDUCE_UFUNC[op.kind])
        acc = np.dtype(op.acc_dtype or x.dtype) if op.kind in ("sum", "prod") else \
            np.dtype(bool) if op.kind in ("any", "all") else x.dtype
        ordered = acc.kind == "f" and op.kind in ("sum", "prod", "max", "min")
        if ordered and not (x.py_c_contiguous or x.size <= 1):
            raise Unsupported(f"{op}: numpy's summation order follows the memory layout of "
                              f"{x.name}, which is not C-contiguous on the Python path")
        if op.kind in ("max", "min") and any(x.shape[a] == 0 for a in op.axes):
            raise Unsupported(f"{op} of an empty axis raises")
        # numpy drops axes of length 1 before choosing its loop order
        kept = [(n, a in op.axes) for a, n in enumerate(x.shape) if n != 1]
        if not op.axes or (kept and not any(r for _, r in kept)):
            return self.cast(self.reduce_nothing(op, x, acc, ufunc, out_shape), out_dtype)
        if x.dtype != acc and acc.kind == "f" and (x.size > 8192 or len(op.axes) != len(x.shape)):
            raise Unsupported(f"{op}: numpy casts {x.dtype} to {acc} in buffered chunks here")
        loop_in, loop_out = loop_types(ufunc, [acc, acc])
        if loop_out != acc or any(d != acc for d in loop_in):
            raise Unsupported(f"{op}: numpy.{ufunc.__name__} reduces {acc} with another loop")
        types = types_string(loop_in, loop_out)
        self.check_callable(f"numpy.{ufunc.__name__}", types)
        x = self.materialize(self.cast(x, acc, note=f"{op}: dtype={acc.name}"), str(op))
        dst = self.p.temp(acc, out_shape, f"{op.kind}({x.name})")
        geom, src = self.reduce_geometry(op, x, dst, kept, ufunc, acc)
        if geom.n[1] * geom.n[2] > 0:
            self.p.call_geometry(FnRef("ufunc", f"numpy.{ufunc.__name__}", types), dst, [dst, src],
                                 geom, note=str(op))
        self.produced[dst.index] = len(self.p.code) - 1
        return self.cast(dst, out_dtype)

    def reduce_nothing(self, op: Any, x: Register, acc: np.dtype, ufunc: np.ufunc,
                       out_shape: tuple) -> Register:
        """A reduction over no axis (or only axes of length 1): ``identity + x`` for sums and
        products (numpy: ``0.0 + -0.0`` is ``0.0``), a copy for max and min, a conversion to
        bool for any and all."""
        x = self.cast(x, acc)
        if op.kind in ("sum", "prod"):
            identity = np.asarray(ufunc.identity, dtype=acc)
            const = self.p.external(("array", identity), identity, f"identity({ufunc.__name__})", "const")
            _, res = loop_types(ufunc, [acc, acc])
            inline = opcodes.elementwise(ufunc.__name__, acc.name)
            if inline is None or res != acc:
                raise Unsupported(f"{op}: numpy.{ufunc.__name__} on {acc} has no inline opcode")
            self.check_opcode(inline.name)
            x = self.emit_ew(inline.name, self.result_temp(acc, x.shape, [x], op.kind), const, x, note=str(op))
        x = self.materialize(x, str(op))
        return self.p.view(x, 0, out_shape, c_strides(out_shape, x.itemsize), x.name, c_strides(out_shape, x.itemsize)
                           if x.py_c_contiguous else None)

    def reduce_geometry(self, op: Any, x: Register, dst: Register, kept: list, ufunc: np.ufunc,
                        acc: np.dtype) -> tuple[Geom, Register]:
        """Initialise ``dst`` and return the loop nest and source of the reduce calls."""
        first = op.kind in ("max", "min")  # no identity: start from the first element
        skip = 1 if first else 0
        isz, osz = x.itemsize, dst.itemsize
        if all(r for _, r in kept):
            n = x.size
            self.init_reduce(dst, x, first, ufunc, acc, str(op))
            geom = Geom((1, 1, n - skip), ((0, 0, 0), (0, 0, 0), (0, 0, isz), (0, 0, 0)))
            src = self.p.view(x, skip * isz, (n - skip,), (isz,), f"{x.name}.flat") if skip else x
            return geom, src
        if len(kept) == 2:
            (rows, rows_reduced), (cols, _) = kept
            axis = 0 if rows_reduced else 1
            self.init_reduce(dst, x, first, ufunc, acc, str(op), rows=rows, cols=cols, axis=axis)
            if axis == 1:  # each row: numpy's reduce loop (pairwise for sums)
                geom = Geom((1, rows, cols - skip), ((0, osz, 0), (0, osz, 0), (0, cols * isz, isz), (0, 0, 0)))
                return geom, self.p.view(x, skip * isz, (rows, cols - skip), (cols * isz, isz), x.name)
            # the rows one after another, elementwise: numpy's order for the outer axis
            geom = Geom((1, rows - skip, cols), ((0, 0, osz), (0, 0, osz), (0, cols * isz, isz), (0, 0, 0)))
            return geom, self.p.view(x, skip * cols * isz, (rows - skip, cols), (cols * isz, isz), x.name)
        raise Unsupported(f"{op} on shape {x.shape}: only full reductions and one axis of a "
                          "matrix are lowered")

    def init_reduce(self, dst: Register, x: Register, first: bool, ufunc: np.ufunc, acc: np.dtype,
                    note: str, rows: int = 0, cols: int = 0, axis: int = -1) -> None:
        """The reduction's starting value: numpy's identity, or (max, min) the first element
        along the reduced axis."""
        copy = opcodes.copy(acc.name).name
        if not first:
            identity = np.asarray(ufunc.identity, dtype=acc)
            const = self.p.external(("array", identity), identity, f"identity({ufunc.__name__})", "const")
            self.emit_ew(copy, dst, const, note=f"{note}: identity")
            return
        if axis == -1:
            src = self.p.view(x, 0, dst.shape, (0,) * len(dst.shape), f"{x.name}[first]")
        elif axis == 1:
            src = self.p.view(x, 0, (rows,), (cols * x.itemsize,), f"{x.name}[:, 0]")
            src = self.p.view(src, 0, dst.shape, _row_strides(dst.shape, rows, cols * x.itemsize), src.name)
        else:
            src = self.p.view(x, 0, (cols,), (x.itemsize,), f"{x.name}[0]")
            src = self.p.view(src, 0, dst.shape, _row_strides(dst.shape, cols, x.itemsize), src.name)
        self.emit_ew(copy, dst, src, note=f"{note}: first element")

    # -- products (KERN-OP-5) ----------------------------------------------------------------
    def lower_dot(self, node: Apply) -> Register:
        """``np.dot`` as numpy's cblas_matrixproduct calls BLAS, for float64/float32 vectors
        and matrices with every axis longer than 1."""
        a, b = (self.register(v) for v in node.inputs)
        dtype = self.blas_dtype(node, a, b)
        for r in (a, b):
            if len(r.shape) not in (1, 2) or any(n <= 1 for n in r.shape):
                raise Unsupported(f"dot of shape {r.shape}: numpy's scalar and row/column paths are not lowered")
            if r.py_strides != r.strides:
                raise Unsupported(f"dot: the Python path's layout of {r.name} is not known")
        suffix = opcodes.DTYPES[dtype.name].suffix
        blasname = {"float64": "d", "float32": "s"}[dtype.name]
        isz = dtype.itemsize
        if len(a.shape) == 1 and len(b.shape) == 1:
            if a.shape != b.shape:
                raise Unsupported("dot: lengths differ (raises)")
            a, b = self.blas_vector(a), self.blas_vector(b)
            out = self.p.temp(dtype, (), "dot")
            self.emit_blas(f"DOT_{suffix}", f"{blasname}dot", out, a, b,
                           (a.shape[0], a.strides[0] // isz, b.strides[0] // isz), str(node.op))
            return out
        if len(a.shape) == 2 and len(b.shape) == 1:
            matrix, vector, trans, m_out = a, b, 111, a.shape[0]
            if a.shape[1] != b.shape[0]:
                raise Unsupported("dot: shapes not aligned (raises)")
        elif len(a.shape) == 1 and len(b.shape) == 2:
            matrix, vector, trans, m_out = b, a, 112, b.shape[1]
            if a.shape[0] != b.shape[0]:
                raise Unsupported("dot: shapes not aligned (raises)")
        else:
            return self.lower_gemm(node, a, b, dtype, suffix, blasname)
        matrix = self.one_segment(matrix)
        vector = self.blas_vector(vector)
        m, n = matrix.shape
        if matrix.c_contiguous:
            order, lda = 101, max(n, 1)
        else:
            order, lda = 102, max(m, 1)
        out = self.p.temp(dtype, (m_out,), "dot")
        self.emit_blas(f"GEMV_{suffix}", f"{blasname}gemv", out, matrix, vector,
                       (order, trans, m, n, lda, vector.strides[0] // isz, m_out), str(node.op))
        return out

    def lower_gemm(self, node: Apply, a: Register, b: Register, dtype: np.dtype, suffix: str,
                   blasname: str) -> Register:
        if a.shape[1] != b.shape[0]:
            raise Unsupported("dot: shapes not aligned (raises)")
        a, b = self.one_segment(a, fortran_ok=True), self.one_segment(b, fortran_ok=True)
        if a.shape == b.shape[::-1] and a.strides == b.strides[::-1]:
            if a.root == b.root and a.offset == b.offset:
                raise Unsupported("dot of a matrix and its own transpose: numpy uses syrk (not lowered)")
            if a.root[0] == "ext" and b.root[0] == "ext":
                # whether two externals share their first byte is known only per call
                self.p.distinct_ext.append((a.root[1], a.offset, b.root[1], b.offset))
        trans1 = 112 if not a.c_contiguous else 111
        trans2 = 112 if not b.c_contiguous else 111
        L, M = a.shape
        N = b.shape[1]
        lda = max(a.shape[1], 1) if trans1 == 111 else max(a.shape[0], 1)
        ldb = max(b.shape[1], 1) if trans2 == 111 else max(b.shape[0], 1)
        out = self.p.temp(dtype, (L, N), "dot")
        self.emit_blas(f"GEMM_{suffix}", f"{blasname}gemm", out, a, b,
                       (trans1, trans2, L, N, M, lda, ldb, max(N, 1)), str(node.op))
        return out

    def blas_dtype(self, node: Apply, a: Register, b: Register) -> np.dtype:
        if a.dtype != b.dtype or a.dtype.name not in FLOAT_CHARS:
            raise Unsupported(f"{node.op} on {a.dtype} and {b.dtype}: only float64 or float32 "
                              "pairs use BLAS")
        from reference._cloop import pointers

        try:
            pointers.numpy_blas()
        except pointers.PointerError as error:
            raise Unsupported(str(error)) from None
        return a.dtype

    def blas_vector(self, r: Register) -> Register:
        if r.strides[0] <= 0 or r.strides[0] % r.itemsize:
            return self.materialize(r)
        return r

    def one_segment(self, r: Register, fortran_ok: bool = True) -> Register:
        if r.c_contiguous or (fortran_ok and is_f_contiguous(r.shape, r.strides, r.itemsize)):
            return r
        copy = self.materialize(r)
        copy.py_strides = copy.strides  # numpy's PyArray_Copy: C order
        return copy

    def emit_blas(self, opname: str, fn: str, out: Register, a: Register, b: Register,
                  imm: tuple, note: str) -> None:
        from reference._cloop.tape import Instr

        self.check_opcode(opname)
        self.p.emit(Instr(opname, out.index, a.index, b.index, fn=self.p.fn_index(FnRef("blas", fn)),
                          imm=tuple(int(v) for v in imm), note=note))
        self.produced[out.index] = len(self.p.code) - 1

    def lower_matmul(self, node: Apply) -> Register:
        """``np.matmul`` by numpy's own matmul loop, for BLAS-able layouts (KERN-OP-5)."""
        a, b = (self.register(v) for v in node.inputs)
        dtype = self.blas_dtype(node, a, b)
        if len(a.shape) not in (1, 2) or len(b.shape) not in (1, 2):
            raise Unsupported("matmul of stacks of matrices is not lowered")
        for r in (a, b):
            if r.py_strides != r.strides:
                raise Unsupported(f"matmul: the Python path's layout of {r.name} is not known")
        a2 = self.one_segment(a) if len(a.shape) == 2 else self.blas_vector(a)
        b2 = self.one_segment(b) if len(b.shape) == 2 else self.blas_vector(b)
        if a2 is not a or b2 is not b:
            raise Unsupported("matmul of a non-contiguous matrix (numpy's loop would allocate)")
        dm, dn = (a.shape if len(a.shape) == 2 else (1, a.shape[0]))
        dn2, dp = (b.shape if len(b.shape) == 2 else (b.shape[0], 1))
        if dn != dn2:
            raise Unsupported("matmul: shapes not aligned (raises)")
        if 0 in (dm, dn, dp):
            raise Unsupported("matmul with an empty axis")
        is1 = a.strides if len(a.shape) == 2 else (0, a.strides[0])
        is2 = b.strides if len(b.shape) == 2 else (b.strides[0], 0)
        isz = dtype.itemsize
        out_shape, os_ = {
            (2, 2): ((dm, dp), (dp * isz, isz)),
            (2, 1): ((dm,), (isz, 0)),
            (1, 2): ((dp,), (0, isz)),
            (1, 1): ((), (0, 0)),
        }[(len(a.shape), len(b.shape))]
        out = self.p.temp(dtype, out_shape, "matmul")
        from reference._cloop.tape import Instr

        types = FLOAT_CHARS[dtype.name] * 2 + "->" + FLOAT_CHARS[dtype.name]
        self.check_callable("numpy.matmul", types)
        self.check_opcode("MATMUL")
        self.p.emit(Instr("MATMUL", out.index, a.index, b.index,
                          fn=self.p.fn_index(FnRef("ufunc", "numpy.matmul", types)),
                          imm=(dm, dn, dp, is1[0], is1[1], is2[0], is2[1], os_[0], os_[1]),
                          note=str(node.op)))
        self.produced[out.index] = len(self.p.code) - 1
        return out

    # -- views (KERN-OP-6) -------------------------------------------------------------------
    def lower_subtensor(self, node: Apply) -> Register:
        op = node.op
        if op.advanced:
            raise Unsupported("advanced (array) indexing is not lowered")
        x = self.register(node.inputs[0])
        index = self.static_index(op.template, node.inputs[1:])
        return self.index_view(x, index, str(op))

    def static_index(self, template: tuple, inputs: list[Variable]) -> tuple:
        values = [self.static_int_values(v, "index") for v in inputs]
        try:
            return numpy_index(template, tuple(values))
        except Exception as error:  # noqa: BLE001
            raise Unsupported(f"index {template} raises: {error}") from None

    def index_view(self, x: Register, index: tuple, name: str) -> Register:
        """The view ``x[index]`` for ints, slices and None (numpy's basic indexing)."""
        shape_: list[int] = []
        strides: list[int] = []
        py: list[int] | None = [] if x.py_strides is not None else None
        offset = 0
        axis = 0
        for item in index:
            if item is None:
                shape_.append(1)
                strides.append(0)
                if py is not None:
                    py.append(0)
                continue
            if axis >= len(x.shape):
                raise Unsupported("too many indices (raises)")
            n, s = x.shape[axis], x.strides[axis]
            ps = x.py_strides[axis] if x.py_strides is not None else 0
            if isinstance(item, slice):
                start, stop, step = item.indices(n)
                length = len(range(start, stop, step))
                offset += start * s if length else 0
                shape_.append(length)
                strides.append(s * step)
                if py is not None:
                    py.append(ps * step)
            else:
                i = int(item)
                if not -n <= i < n:
                    raise Unsupported(f"index {i} is out of range for length {n} (raises)")
                offset += (i % n) * s
            axis += 1
        shape_ += list(x.shape[axis:])
        strides += list(x.strides[axis:])
        if py is not None:
            py += list(x.py_strides[axis:])  # type: ignore[index]
        return self.p.view(x, offset, tuple(shape_), tuple(strides), f"{x.name}[{name}]",
                           tuple(py) if py is not None else None)

    def lower_incsubtensor(self, node: Apply) -> Register:
        op = node.op
        if any(e[0] == "array" for e in op.template):
            raise Unsupported("advanced (array) indexing is not lowered")
        x, y = self.register(node.inputs[0]), self.register(node.inputs[1])
        index = self.static_index(op.template, node.inputs[2:])
        out = self.p.temp(x.dtype, x.shape, f"{op}")
        self.emit_ew(opcodes.copy(x.dtype.name).name, out, x, note=f"{op}: x.copy()")
        part = self.index_view(out, index, str(op))
        try:
            if np.broadcast_shapes(y.shape, part.shape) != part.shape:
                raise ValueError
        except ValueError:
            raise Unsupported(f"{op}: y of shape {y.shape} cannot fill {part.shape} (raises)") from None
        y = self.cast(y, x.dtype)
        if op.set_instead_of_inc:
            self.emit_ew(opcodes.copy(x.dtype.name).name, part, y, note=f"{op}: set")
        else:
            ins, res = loop_types(np.add, [x.dtype, x.dtype])
            add = opcodes.elementwise("add", ins[0].name)
            if add is None or res != x.dtype:
                raise Unsupported(f"{op}: numpy adds {x.dtype} with another loop")
            self.emit_ew(add.name, part, part, y, note=f"{op}: +=")
        self.produced[out.index] = len(self.p.code) - 1
        return out

    def lower_dimshuffle(self, node: Apply) -> Register:
        op = node.op
        x = self.register(node.inputs[0])
        for axis in op.drop:
            if x.shape[axis] != 1:
                raise Unsupported(f"{op}: dropped axis {axis} has length {x.shape[axis]} (raises)")
        shape_ = tuple(1 if i == "x" else x.shape[i] for i in op.new_order)
        strides = tuple(0 if i == "x" else x.strides[i] for i in op.new_order)
        py = None if x.py_strides is None else tuple(0 if i == "x" else x.py_strides[i] for i in op.new_order)
        return self.p.view(x, 0, shape_, strides, f"{x.name}.dimshuffle", py)

    def lower_reshape(self, node: Apply) -> Register:
        x = self.register(node.inputs[0])
        target = tuple(int(n) for n in self.static_int_values(node.inputs[1], "reshape target"))
        try:
            new_shape = np.empty(x.shape, dtype=bool).reshape(target).shape if x.size < 10**6 else \
                np.broadcast_to(np.empty((), bool), x.shape).reshape(target).shape
            check_reshape_static(node, np.broadcast_to(np.empty((), bool), new_shape))
        except Exception:  # noqa: BLE001
            raise Unsupported(f"reshape of {x.shape} to {target} raises") from None
        py_c = x.py_c_contiguous
        if not x.c_contiguous:
            x = self.materialize(x)
        view = self.p.view(x, 0, new_shape, c_strides(new_shape, x.itemsize), f"{x.name}.reshape")
        view.py_strides = view.strides if py_c else None
        return view

    def lower_specify_shape(self, node: Apply) -> Register:
        x = self.register(node.inputs[0])
        lengths = iter(node.inputs[1:])  # the symbolic lengths: known before the loop, or not lowered
        for n, actual in zip(node.op.shape, x.shape, strict=True):
            if n == SYMBOLIC:
                n = int(self.static_int_values(next(lengths), "specify_shape length"))
            if n is not None and n != actual:
                raise Unsupported("specify_shape fails (raises)")
        return x

    def lower_alloc(self, node: Apply) -> Register:
        value = self.register(node.inputs[0])
        target = tuple(int(self.static_int_values(v, "alloc shape")) for v in node.inputs[1:])
        try:
            if np.broadcast_shapes(value.shape, target) != target or min(target, default=0) < 0:
                raise ValueError
        except ValueError:
            raise Unsupported(f"alloc of {value.shape} to {target} raises") from None
        out = self.p.temp(value.dtype, target, "alloc")
        return self.emit_ew(opcodes.copy(value.dtype.name).name, out, value, note=str(node.op))

    def lower_make_vector(self, node: Apply) -> Register:
        dtype = np.dtype(node.op.dtype)
        items = [self.register(v) for v in node.inputs]
        if any(r.dtype != dtype for r in items):
            raise Unsupported("make_vector converting its items' dtypes is not lowered")
        out = self.p.temp(dtype, (len(items),), "make_vector")
        for i, item in enumerate(items):
            part = self.p.view(out, i * dtype.itemsize, (), (), f"make_vector[{i}]")
            self.emit_ew(opcodes.copy(dtype.name).name, part, item, note=str(node.op))
        self.produced[out.index] = len(self.p.code) - 1
        return out

    # -- outputs (KERN-BIND-2) ---------------------------------------------------------------
    def bind_outputs(self) -> None:
        spec, p = self.spec, self.p
        rings = {(r.role, r.index): j for j, r in enumerate(p.rings)}
        for o, out in enumerate(spec.outputs):
            src = self.register(out.step)
            if isinstance(out, MappedOutput):
                keep = self.keep[o]
                if self.block:
                    src = self.blocked_rows(src)
                    keep = None if keep is None else -(-keep // self.block) + 1
                j = len(p.rings)
                p.rings.append(Ring(out.name, "output", o, src.dtype, src.shape, 0, (), keep=keep))
            else:
                j = rings[("output", o)]
                ring = p.rings[j]
                if src.shape != ring.row_shape:
                    raise Unsupported(f"output {out.name}: step rows of shape {src.shape}, the state's "
                                      f"rows have shape {ring.row_shape} (raises)")
            self.set_ring_source(j, src)
        for i, state in enumerate(spec.shared_states):
            j = rings[("shared", i)]
            src = self.register(state.update)
            if src.shape != p.rings[j].row_shape:
                raise Unsupported(f"the update of {state.variable} has shape {src.shape} (raises)")
            self.set_ring_source(j, src)

    def blocked_rows(self, src: Register) -> Register:
        """A block of rows of an output: a value not computed from the step's rows is copied
        to every row of the block."""
        if src.index in self.blocked:
            return src
        shape_ = (self.block, *src.shape)
        out = self.p.temp(src.dtype, shape_, f"{src.name} per row")
        view = self.p.view(src, 0, shape_, (0, *src.strides), src.name)
        return self.emit_ew(opcodes.copy(src.dtype.name).name, out, view, note="the same row at every step")

    def set_ring_source(self, j: int, src: Register) -> None:
        ring = self.p.rings[j]
        if src.dtype != ring.dtype:
            raise Unsupported(f"internal: {ring.name} dtype {src.dtype} != {ring.dtype}")
        if not src.c_contiguous:
            src = self.materialize(src, note=f"commit {ring.name}")
        ring.src = src.index

    def bind_until(self) -> None:
        if self.spec.condition is None:
            return
        cond = self.register(self.spec.condition)
        if cond.size != 1:
            raise Unsupported("until condition is not a scalar")
        cond = self.cast(cond, np.dtype(bool))  # bool(step[-1]): nonzero stops (SCAN-UNTIL-1)
        self.p.until_reg = cond.index

    def place_outputs(self) -> None:
        """Write each ring's source in place when it is a temporary only this ring commits
        (KERN-BIND-2); views of it move with it."""
        sources = [r.src for r in self.p.rings]
        for j, ring in enumerate(self.p.rings):
            src = self.p.regs[ring.src]
            if (src.root != ("arena",) or src.origin != "temp" or sources.count(ring.src) != 1
                    or src.index not in self.produced or src.index == self.p.until_reg
                    or not src.c_contiguous or src.index in self.pinned):
                continue
            lo, hi = src.offset, src.offset + max(src.nbytes, 1)
            for reg in self.p.regs:
                if reg.root == ("arena",) and lo <= reg.offset < hi:
                    reg.root, reg.offset = ("head", j), reg.offset - lo
            ring.direct = True

    def py_layout_mismatches(self) -> frozenset[int]:
        """Rings assumed C-contiguous on the Python path whose step output is not, or is a
        reversed view (of one element, too: numpy's loops see its negative stride)."""
        bad = set()
        for j, ring in enumerate(self.p.rings):
            src = self.p.regs[ring.src]
            reversed_view = src.py_strides is not None and any(s < 0 for s in src.py_strides)
            if ring.depth and self.ring_py_c.get(j) and \
                    ((not src.py_c_contiguous and src.size > 1) or reversed_view):
                bad.add(j)
        return frozenset(bad)


def inner_steps(geom: Geom, nin: int) -> tuple[int, ...]:
    """The strides a numpy loop is called with under ``geom``: the result's, then each
    operand's (bytes)."""
    return tuple(geom.s[k][2] for k in range(nin + 1))


#: numpy's power loop, called on one element with a stride-0 exponent (one step's call),
#: computes these exponents by these expressions, not by its pow: its fast path (KERN-BIND-4)
POWER_FAST_PATH = ((2.0, "x * x"), (1.0, "x"), (0.0, "1"), (-1.0, "1 / x"), (0.5, "sqrt(x)"))


def power_fast_path_opcodes(dtype: np.dtype) -> list[str]:
    """The inline opcodes emit_power_fast_path uses for ``dtype``."""
    name = np.dtype(dtype).name
    return [_inline(f, name) for f in ("multiply", "true_divide", "sqrt", "equal")] + [opcodes.where(name).name]


def _inline(family: str, dtype: str) -> str:
    op = opcodes.elementwise(family, dtype)
    if op is None:
        raise Unsupported(f"no inline {family} for {dtype}")
    return op.name


def emit_power_fast_path(p: Program, dst: Register, pw: Register, x: Register, y: Register) -> None:
    """``dst = pw``, the result of one merged call of numpy.power on ``x`` and ``y``, except
    where ``y`` is an exponent of POWER_FAST_PATH: there, what numpy's loop computes for
    that element alone (KERN-BIND-4).  Inline opcodes only."""
    dtype = dst.dtype
    name = dtype.name

    def const(v: float) -> Register:
        value = np.asarray(v, dtype=dtype)
        return p.external(("array", value), value, repr(v), "const")

    def apply(family: str, *args: Register) -> Register:
        out = p.temp(dtype, x.shape, f"power fast path {family}")
        p.elementwise(_inline(family, name), out, *args, note="power fast path")
        return out

    one = const(1.0)
    # the fast path's values first, then one run of tests and selects over the block (the
    # specialised tier fuses that run into one loop: KERN-TIER-1)
    values = {"x * x": apply("multiply", x, x), "x": x, "1": one,
              "1 / x": apply("true_divide", one, x), "sqrt(x)": apply("sqrt", x)}
    cond = p.temp(np.dtype(bool), dst.shape, "power exponent test")
    src = pw
    for exponent, how in POWER_FAST_PATH:
        p.elementwise(_inline("equal", name), cond, y, const(exponent), note=f"power fast path: y == {exponent}")
        p.elementwise(opcodes.where(name).name, dst, cond, values[how], src, note=f"power fast path: {how}")
        src = dst


def _row_strides(dst_shape: tuple, n: int, stride: int) -> tuple:
    """Strides giving ``dst_shape`` (``n`` elements plus keepdims axes of 1) over a vector."""
    return tuple(stride if length == n and length != 1 else 0 for length in dst_shape)


def blockable(spec: ScanSpec) -> bool:
    """A loop whose steps are independent: every output is mapped, no shared state, no
    ``until`` (KERN-BIND-3); whether its step is elementwise the lowering finds out."""
    return (bool(spec.outputs) and bool(spec.sequences) and not spec.shared_states
            and spec.condition is None and all(isinstance(o, MappedOutput) for o in spec.outputs))


def lower(spec: ScanSpec, order: list[Apply], outer: Any, keep: tuple, block: int = 0) -> Program:
    """Lower ``spec``'s step for this call's signature, or raise Unsupported.  With
    ``block``, one kernel step runs ``block`` steps of the loop (KERN-BIND-3)."""
    non_c: frozenset[int] = frozenset()
    for _ in range(len(spec.outputs) + len(spec.shared_states) + 1):
        lowering = Lowering(spec, order, outer, keep, non_c, block)
        program = lowering.run()
        bad = lowering.py_layout_mismatches()
        if not bad - non_c:
            program.invariant_values = None  # type: ignore[attr-defined]
            return program
        non_c = non_c | bad
    raise Unsupported("internal: the Python-path layout of the recurrent states did not settle")


__all__ = ["Lowering", "Unsupported", "blockable", "extent", "lower", "signature"]
