"""PyTensor graphs evaluated by the reference.  Spec: spec/6-oracle.rst (ORACLE-BRIDGE-*).

``pip install reference[pytensor]`` (Python 3.12+).  PyTensor is imported when a function
here is first called, never when this module is imported.

::

    from reference.interop.pytensor import check_function, evaluate, from_pytensor

    values = evaluate([ys], {x: x_value})              # PyTensor variables in, arrays out
    conversion = from_pytensor([ys])                    # the reference graph itself
    report = check_function(f, x_value)                 # a compiled function vs the oracle
    assert report.ok, report

What is converted (ORACLE-BRIDGE-1): every node of the graph, op by op, into the
reference op with the same meaning, including ``Scan`` nodes (their inner graphs, the
sequence/mit-sot/sit-sot/nit-sot/untraced-sit-sot encodings, ``n_steps`` and while
loops), shared variables (their current values) and random generators.  An op without
a reference counterpart is never approximated: :class:`UnsupportedOpError` lists every
such op by name before anything is evaluated.  A converted node whose dtype or number of
dimensions differs from PyTensor's is a :class:`ConversionError`.

How a ``Scan`` node maps (ORACLE-BRIDGE-2): PyTensor's node reads its recurrent outputs
from buffers that hold the initial rows followed by room for ``n_steps`` rows, and
returns those buffers.  The bridge gives the reference loop the initial rows
(``buffer[:m]``, or ``buffer[0]`` for a single-tap output), runs it with the reference
semantics, and rebuilds PyTensor's output layout from the initial rows and the
reference's rows (:class:`ScanBuffer`).  Sequences arrive already sliced and reversed by
PyTensor's outer graph, so each is a tap-0 sequence.  Gradient loops with mit-mot
buffers, which the user-level ``scan`` cannot build, run in :class:`BufferLoop`, a
transcription of PyTensor's buffer algorithm whose every step is evaluated by the
reference (ORACLE-BRIDGE-3).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import reference.tensor as rt
from reference.errors import SpecIndexError, SpecValueError
from reference.evaluate import evaluate as reference_evaluate
from reference.evaluate import evaluate_graph
from reference.graph.basic import Apply, Op, Variable
from reference.graph.shared import RandomGeneratorType, shared
from reference.graph.traversal import toposort
from reference.graph.type import TensorType
from reference.tensor import math as rmath
from reference.tensor.variable import TensorConstant


class UnsupportedOpError(NotImplementedError):
    """The graph uses PyTensor ops (or types) the bridge does not convert
    (ORACLE-BRIDGE-1).  ``ops`` maps each name to the number of nodes using it."""

    def __init__(self, ops: Mapping[str, int]) -> None:
        self.ops = dict(ops)
        listed = ", ".join(f"{name} (x{count})" for name, count in sorted(self.ops.items()))
        super().__init__(f"[ORACLE-BRIDGE-1] the graph uses PyTensor ops the reference does not "
                         f"define: {listed}")


class ConversionError(TypeError):
    """A converted node does not have PyTensor's output dtype or number of dimensions
    (ORACLE-BRIDGE-1); ``problems`` lists them."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("[ORACLE-BRIDGE-1] converted nodes disagree with PyTensor's types:\n  "
                         + "\n  ".join(self.problems))


def _pytensor() -> Any:
    try:
        import pytensor
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("reference.interop.pytensor needs PyTensor: pip install 'reference[pytensor]' "
                          "(Python 3.12+)") from error
    return pytensor


# -- PyTensor's buffer layout ------------------------------------------------------------------
class ScanBuffer(Op):
    """PyTensor's output buffer for one loop output, rebuilt from the reference's rows
    (ORACLE-BRIDGE-2).

    Inputs: the buffer PyTensor passed in (for a recurrent output; its first ``depth``
    rows are the initial rows) or the number of rows to store (for a mapped output), the
    reference's rows, and ``n_steps``.  With ``L`` rows to store, ``m`` initial rows and
    ``i`` executed steps, PyTensor returns the initial rows then the steps' rows,
    zero-filled up to ``L`` rows, less the ``n_steps - i`` rows a while loop did not run;
    when ``L < m + i`` (a circular buffer), the last ``L`` rows.
    """

    __props__ = ("depth", "mapped")
    constant_foldable = False

    def __init__(self, depth: int, mapped: bool) -> None:
        self.depth, self.mapped = depth, mapped

    def loop_rows(self, node: Apply) -> tuple[int, int]:
        """Row ``r`` holds the loop's step ``r - depth`` (for the oracle's reports)."""
        return 1, -self.depth

    def make_node(self, buffer: Variable, rows: Variable, n_steps: Variable) -> Apply:
        row_type = rows.type
        return Apply(self, [buffer, rows, n_steps], [TensorType(row_type.dtype, (None, *row_type.shape[1:]))])

    def perform(self, node: Apply, buffer: np.ndarray, rows: np.ndarray, n_steps: np.ndarray) -> np.ndarray:
        if self.mapped:
            length, initial = int(buffer), rows[:0]
        else:
            length, initial = len(buffer), buffer[: self.depth]
        full = np.concatenate([initial, rows]) if len(initial) else rows
        executed, n = len(rows), int(n_steps)
        if length >= len(full):
            out = np.zeros((length, *full.shape[1:]), dtype=full.dtype)
            out[: len(full)] = full
            if executed < n:
                out = out[: length - (n - executed)]
            return out
        return full[len(full) - length:].copy()


class BufferLoop(Op):
    """A PyTensor ``Scan`` node run with PyTensor's buffer algorithm (``Scan.perform``),
    each step evaluated by the reference (ORACLE-BRIDGE-3).  Used for the gradient loops
    PyTensor builds (mit-mot buffers), which the user-level ``scan`` cannot express."""

    constant_foldable = False

    def __init__(self, info: Any, name: str, inner_inputs: list[Variable],
                 inner_outputs: list[Variable], output_types: list[Any]) -> None:
        self.info = info
        self.name = name
        self.inner_inputs = inner_inputs
        self.inner_outputs = inner_outputs
        self.output_types = output_types
        self.order = toposort(inner_outputs)

    def __str__(self) -> str:
        return f"BufferLoop{{{self.name}}}"

    def make_node(self, *inputs: Variable) -> Apply:
        return Apply(self, list(inputs), list(self.output_types))

    def perform(self, node: Apply, *inputs: Any) -> list[Any]:  # noqa: C901 - a transcription
        info = self.info
        n = int(inputs[0])
        if n < 0:
            raise SpecIndexError("ORACLE-BRIDGE-3", f"Scan was asked to run for negative number of step {n}")
        k = 1
        seqs = list(inputs[k:k + info.n_seqs])
        k += info.n_seqs
        for idx, seq in enumerate(seqs):
            if len(seq) < n:
                raise SpecValueError("ORACLE-BRIDGE-3", f"Sequence {idx} has shape {seq.shape} but the "
                                     f"Scan's required number of steps is {n}")
        in_slices = list(info.mit_mot_in_slices) + list(info.mit_sot_in_slices) + list(info.sit_sot_in_slices)
        n_tap = len(in_slices)
        buffers = [np.array(b, copy=True) for b in inputs[k:k + n_tap]]
        k += n_tap
        states = list(inputs[k:k + info.n_untraced_sit_sot])
        k += info.n_untraced_sit_sot
        nit_sizes = [int(s) for s in inputs[k:k + info.n_nit_sot]]
        k += info.n_nit_sot
        non_seqs = list(inputs[k:])
        store = [len(b) for b in buffers] + nit_sizes
        mintaps = [min(taps) for taps in in_slices] + [0] * info.n_nit_sot
        pos = [(-mintaps[j]) % store[j] if store[j] else 0 for j in range(len(store))]
        nit: list[np.ndarray | None] = [None] * info.n_nit_sot
        n_mit_mot = len(info.mit_mot_in_slices)
        i = 0
        while i < n:
            env: dict[Variable, Any] = {}
            args = [s[i] for s in seqs]
            for j, taps in enumerate(in_slices):
                args += [buffers[j][(pos[j] + t) % store[j]] for t in taps]
            args += states + non_seqs
            for placeholder, value in zip(self.inner_inputs, args, strict=True):
                env[placeholder] = value
            try:
                results = evaluate_graph(self.inner_outputs, env, order=self.order)
            except Exception as error:
                error.add_note(f"in step t={i} of the gradient loop {self.name!r}")
                raise
            r = 0
            for j in range(n_mit_mot):
                for out_slice in info.mit_mot_out_slices[j]:
                    buffers[j][out_slice + pos[j]] = results[r]
                    r += 1
            for j in range(n_mit_mot, n_tap):
                buffers[j][pos[j]] = results[r]
                r += 1
            for j in range(info.n_nit_sot):
                value = np.asarray(results[r])
                if nit[j] is None:
                    nit[j] = np.empty((nit_sizes[j], *value.shape), dtype=self.output_types[n_tap + j].dtype)
                nit[j][pos[n_tap + j]] = value
                r += 1
            states = list(results[r:r + info.n_untraced_sit_sot])
            r += info.n_untraced_sit_sot
            pos = [(p + 1) % s if s else 0 for p, s in zip(pos, store, strict=True)]
            i += 1
            if info.as_while and results[r] != 0:
                break
        outputs: list[Any] = list(buffers) + [
            a if a is not None else np.empty((0,) * self.output_types[n_tap + j].ndim,
                                             dtype=self.output_types[n_tap + j].dtype)
            for j, a in enumerate(nit)]
        for j in range(n_mit_mot, n_tap + info.n_nit_sot):  # rotate, zero-fill, truncate
            buf, s, p = outputs[j], store[j], pos[j]
            if n == 0 or buf is None:
                continue
            if s < i - mintaps[j] and p < s:
                outputs[j] = np.concatenate([buf[p:], buf[:p]])
            elif s > i - mintaps[j]:
                buf[i - mintaps[j]:] = 0
                if i < n:
                    outputs[j] = buf[: -(n - i)]
        return outputs + states


# -- names ----------------------------------------------------------------------------------
def _readable(var: Any, fallback: str) -> str:
    """A name for a loop input: the variable's name, else a named variable it was indexed,
    padded or set from."""
    seen = 0
    while var is not None and seen < 8:
        if getattr(var, "name", None):
            return str(var.name)
        owner = getattr(var, "owner", None)
        if owner is None or not owner.inputs:
            break
        cls = type(owner.op).__name__
        var = owner.inputs[1] if cls in ("IncSubtensor",) and len(owner.inputs) > 1 else owner.inputs[0]
        seen += 1
    return fallback


def _tap(name: str, k: int) -> str:
    return f"{name}[t]" if k == 0 else f"{name}[t{k:+d}]"


# -- the converter ---------------------------------------------------------------------------
_ELEMWISE: dict[str, Callable[..., Any]] = {
    "Add": rmath.add, "Mul": rmath.mul, "Sub": rmath.sub, "TrueDiv": rmath.true_div,
    "IntDiv": rmath.int_div, "Mod": rmath.mod, "Pow": rmath.pow,
    "ScalarMaximum": rmath.maximum, "Maximum": rmath.maximum,
    "ScalarMinimum": rmath.minimum, "Minimum": rmath.minimum,
    "Neg": rmath.neg, "Abs": rmath.abs, "Sign": rmath.sign, "Identity": rmath.identity,
    "Exp": rmath.exp, "Log": rmath.log, "Log1p": rmath.log1p, "Expm1": rmath.expm1,
    "Sqrt": rmath.sqrt, "Sin": rmath.sin, "Cos": rmath.cos, "Tan": rmath.tan, "Tanh": rmath.tanh,
    "Sigmoid": rmath.sigmoid, "Softplus": rmath.softplus, "Erf": rmath.erf,
    "ArcSin": rmath.arcsin, "ArcCos": rmath.arccos, "ArcTan": rmath.arctan, "ArcTan2": rmath.arctan2,
    "Sinh": rmath.sinh, "Cosh": rmath.cosh, "ArcSinh": rmath.arcsinh, "ArcCosh": rmath.arccosh,
    "ArcTanh": rmath.arctanh, "Log2": rmath.log2, "Log10": rmath.log10, "Exp2": rmath.exp2,
    "Trunc": rmath.trunc, "Erfc": rmath.erfc, "Erfcx": rmath.erfcx, "Erfinv": rmath.erfinv,
    "Erfcinv": rmath.erfcinv, "Gamma": rmath.gamma, "GammaLn": rmath.gammaln, "Psi": rmath.psi,
    "TriGamma": rmath.tri_gamma, "PolyGamma": rmath.polygamma, "Log1mexp": rmath.log1mexp,
    "IsNan": rmath.isnan, "IsInf": rmath.isinf, "Real": rmath.real, "Imag": rmath.imag,
    "Conj": rmath.conj,
    "Floor": rmath.floor, "Ceil": rmath.ceil,
    "RoundHalfToEven": rmath.round_half_to_even, "RoundHalfAwayFromZero": rmath.round_half_away_from_zero,
    "LT": rmath.lt, "LE": rmath.le, "GT": rmath.gt, "GE": rmath.ge, "EQ": rmath.eq, "NEQ": rmath.neq,
    "AND": rmath.and_, "OR": rmath.or_, "XOR": rmath.xor, "Invert": rmath.invert,
    "Switch": rmath.switch, "Clip": rmath.clip, "Second": rt.second,
    "Sqr": lambda x: rmath.mul(x, x), "Reciprocal": rmath.reciprocal,
}  # fmt: skip
_NARY = {"Add", "Mul"}  # PyTensor's Add and Mul take any number of inputs: a left fold

_REDUCE_KIND = {"Add": "sum", "Mul": "prod", "ScalarMaximum": "max", "Maximum": "max",
                "ScalarMinimum": "min", "Minimum": "min", "OR": "any", "AND": "all"}

_PASS_THROUGH = {"ScalarFromTensor", "TensorFromScalar", "DeepCopyOp", "ViewOp", "OutputGuard"}

_SUPPORTED_OPS = {
    "Elemwise", "DimShuffle", "CAReduce", "Argmax", "Dot", "Blockwise", "Shape", "Shape_i",
    "SpecifyShape", "Reshape", "Alloc", "AllocEmpty", "MakeVector", "Join", "ARange", "Eye",
    "CumOp", "Subtensor", "IncSubtensor", "AdvancedSubtensor", "AdvancedIncSubtensor",
    "AdvancedSubtensor1", "AdvancedIncSubtensor1", "Scan", "RandomVariable", "Dot22",
    "Gemv", "Gemm", "ScalarOp",
} | _PASS_THROUGH


@dataclass
class Conversion:
    """The reference graph of some PyTensor variables (ORACLE-BRIDGE-1).

    ``outputs`` are reference variables in the order asked for; ``memo`` maps each
    converted PyTensor variable to its reference variable; ``inputs`` lists the free
    PyTensor inputs with their reference variables, ``shared`` the shared variables
    (converted with the value they held at conversion).
    """

    outputs: list[Any]
    memo: dict[Any, Any]
    inputs: list[tuple[Any, Any]] = field(default_factory=list)
    shared: list[tuple[Any, Any]] = field(default_factory=list)

    def bind(self, values: Mapping[Any, Any]) -> dict[Variable, Any]:
        """``{PyTensor variable or name: value}`` -> ``{reference variable: value}``."""
        env: dict[Variable, Any] = {}
        by_name = {str(p.name): r for p, r in self.inputs if p.name}
        for key, value in values.items():
            if isinstance(key, str):
                if key not in by_name:
                    raise KeyError(f"no input named {key!r}; inputs: {sorted(by_name)}")
                env[by_name[key]] = value
            elif key in self.memo:
                env[self.memo[key]] = value
            else:
                raise KeyError(f"{key} is not an input of the converted graph")
        return env

    def evaluate(self, values: Mapping[Any, Any] | None = None, **options: Any) -> Any:
        """Evaluate the reference graph with PyTensor-keyed input values."""
        return reference_evaluate(self.outputs, self.bind(values or {}), **options)


class Converter:
    """Converts PyTensor variables into reference variables, node by node."""

    def __init__(self, memo: Mapping[Any, Any] | None = None, root: Converter | None = None) -> None:
        self.pytensor = _pytensor()
        self.memo: dict[Any, Any] = dict(memo or {})
        self.root = root if root is not None else self
        if root is None:
            self.inputs: list[tuple[Any, Any]] = []
            self.shared: list[tuple[Any, Any]] = []
            self.problems: list[str] = []

    # -- checking first ---------------------------------------------------------------------
    def unsupported(self, outputs: Sequence[Any]) -> dict[str, int]:
        """Every op (and root type) in the graph, inner graphs included, that the bridge
        cannot convert, with how many nodes use it."""
        from pytensor.graph.traversal import ancestors, io_toposort

        found: dict[str, int] = {}
        pending = [list(outputs)]
        seen_inner: set[int] = set()
        while pending:
            outs = pending.pop()
            roots = [v for v in ancestors(outs) if v.owner is None]
            for root in roots:
                if self._root_kind(root) is None:
                    name = f"variable of type {root.type}"
                    found[name] = found.get(name, 0) + 1
            for node in io_toposort(roots, outs):
                name = self._unsupported_name(node)
                if name is not None:
                    found[name] = found.get(name, 0) + 1
                inner = self._inner_outputs(node)
                if inner is not None and id(node.op) not in seen_inner:
                    seen_inner.add(id(node.op))
                    pending.append(inner)
        return found

    def _inner_outputs(self, node: Any) -> list[Any] | None:
        cls = type(node.op).__name__
        if cls == "Scan":
            return list(node.op.inner_outputs)
        return None

    def _class_names(self, op: Any) -> list[str]:
        return [c.__name__ for c in type(op).__mro__]

    def _unsupported_name(self, node: Any) -> str | None:
        op = node.op
        names = self._class_names(op)
        supported = next((n for n in names if n in _SUPPORTED_OPS), None)
        if supported is None:
            return type(op).__name__
        if supported == "Elemwise" or supported == "ScalarOp":
            scalar = op.scalar_op if supported == "Elemwise" else op
            return self._unsupported_scalar(scalar)
        if supported == "CAReduce":
            kind = _REDUCE_KIND.get(type(op.scalar_op).__name__)
            return None if kind else f"{type(op).__name__}{{{type(op.scalar_op).__name__}}}"
        if supported == "Blockwise":
            core = type(op.core_op).__name__
            return None if core == "Dot" else f"Blockwise{{{core}}}"
        if supported == "RandomVariable":
            from reference.tensor.random._numpy_draws import DISTRIBUTIONS

            return None if op.name in DISTRIBUTIONS and op.name != "choice" else f"{type(op).__name__} ({op.name})"
        if supported == "AdvancedIncSubtensor" and getattr(op, "ignore_duplicates", False):
            return "AdvancedIncSubtensor{ignore_duplicates=True}"
        if supported == "Argmax" and op.axis is not None and len(op.axis) > 1 and \
                len(op.axis) != node.inputs[0].type.ndim:
            return "Argmax over several (not all) axes"
        return None

    def _unsupported_scalar(self, scalar: Any) -> str | None:
        cls = type(scalar).__name__
        if cls == "Cast" or cls in _ELEMWISE:
            return None
        if cls == "Composite":
            for inner in scalar.fgraph.toposort():
                bad = self._unsupported_scalar(inner.op)
                if bad is not None:
                    return bad
            return None
        return f"Elemwise{{{cls}}}"

    def _root_kind(self, var: Any) -> str | None:
        from pytensor.compile.sharedvalue import SharedVariable as PtShared
        from pytensor.graph.basic import Constant as PtConstant
        from pytensor.scalar.basic import ScalarType
        from pytensor.tensor.random.type import RandomGeneratorType as PtRngType
        from pytensor.tensor.type import TensorType as PtTensorType
        from pytensor.tensor.type_other import NoneTypeT

        t = var.type
        if isinstance(t, NoneTypeT):
            return "none"
        if isinstance(var, PtShared):
            return "shared" if isinstance(t, PtTensorType | PtRngType) else None
        if isinstance(var, PtConstant):
            return "constant" if isinstance(t, PtTensorType | ScalarType) else None
        if isinstance(t, PtTensorType | ScalarType | PtRngType):
            return "input"
        return None

    # -- converting -------------------------------------------------------------------------
    def convert(self, outputs: Sequence[Any]) -> list[Any]:
        """Reference variables for ``outputs`` (ORACLE-BRIDGE-1)."""
        if self.root is self:
            missing = self.unsupported(outputs)
            if missing:
                raise UnsupportedOpError(missing)
        from pytensor.graph.traversal import ancestors, io_toposort

        roots = [v for v in ancestors(outputs) if v.owner is None]
        for root in roots:
            if root not in self.memo:
                self.memo[root] = self._convert_root(root)
        for node in io_toposort(roots, list(outputs)):
            if all(o in self.memo for o in node.outputs):
                continue
            inputs = [self.memo[v] for v in node.inputs]
            results = self._convert_node(node, inputs)
            for pt_var, ref_var in zip(node.outputs, results, strict=True):
                self.memo[pt_var] = self._check(node, pt_var, ref_var)
        if self.root is self and self.problems:
            raise ConversionError(self.problems)
        return [self.memo[o] for o in outputs]

    @staticmethod
    def _ref_type(t: Any) -> Any:
        from pytensor.scalar.basic import ScalarType
        from pytensor.tensor.random.type import RandomGeneratorType as PtRngType

        if isinstance(t, ScalarType):
            return TensorType(t.dtype, ())
        if isinstance(t, PtRngType):
            return RandomGeneratorType()
        return TensorType(t.dtype, tuple(t.shape))

    def _convert_root(self, var: Any) -> Any:
        kind = self._root_kind(var)
        if kind == "none":
            return None
        if kind == "constant":
            data = np.asarray(var.data)
            return TensorConstant(self._ref_type(var.type), data, name=var.name)
        if kind == "shared":
            value = var.get_value(borrow=False)
            if isinstance(value, np.random.Generator):
                ref = shared(copy.deepcopy(value), name=var.name, borrow=True)
            else:
                ref = shared(np.asarray(value), name=var.name, shape=tuple(var.type.shape), borrow=True)
            self.root.shared.append((var, ref))
            return ref
        ref_type = self._ref_type(var.type)
        ref = Variable(ref_type, name=var.name) if isinstance(ref_type, RandomGeneratorType) else ref_type(var.name)
        self.root.inputs.append((var, ref))
        return ref

    def _check(self, node: Any, pt_var: Any, ref_var: Any) -> Any:
        """The converted variable, with PyTensor's static lengths where PyTensor knows more;
        a different dtype or ndim is recorded as a problem (ORACLE-BRIDGE-1)."""
        if ref_var is None or isinstance(ref_var.type, RandomGeneratorType):
            return ref_var
        expected = self._ref_type(pt_var.type)
        if ref_var.type.dtype != expected.dtype or ref_var.type.ndim != expected.ndim:
            self.root.problems.append(f"{node.op} output {pt_var.index}: PyTensor {pt_var.type}, "
                                      f"reference {ref_var.type}")
            return ref_var
        ref_shape = ref_var.type.shape
        if any(e is not None and r is None for e, r in zip(expected.shape, ref_shape, strict=True)):
            ref_var = rt.specify_shape(ref_var, [e if e is not None else r for e, r in
                                                 zip(expected.shape, ref_shape, strict=True)])
        return ref_var

    def _convert_node(self, node: Any, inputs: list[Any]) -> list[Any]:
        op = node.op
        names = self._class_names(op)
        kind = next(n for n in names if n in _SUPPORTED_OPS)
        if kind in _PASS_THROUGH:
            return [inputs[0]]
        method = getattr(self, f"_op_{kind}")
        result = method(node, inputs)
        return result if isinstance(result, list) else [result]

    # -- elementwise ------------------------------------------------------------------------
    def _scalar(self, scalar: Any, inputs: list[Any], out_dtype: str) -> Any:
        cls = type(scalar).__name__
        if cls == "Cast":
            return rmath.cast(inputs[0], scalar.o_type.dtype)
        if cls == "Composite":
            memo = dict(zip(scalar.fgraph.inputs, inputs, strict=True))
            for inner in scalar.fgraph.toposort():
                args = [memo[v] if v in memo else TensorConstant(TensorType(v.type.dtype, ()), np.asarray(v.data, dtype=v.type.dtype))
                        for v in inner.inputs]
                memo[inner.outputs[0]] = self._scalar(inner.op, args, inner.outputs[0].type.dtype)
            return memo[scalar.fgraph.outputs[0]]
        function = _ELEMWISE[cls]
        if cls in _NARY and len(inputs) > 2:
            result = function(inputs[0], inputs[1])
            for x in inputs[2:]:
                result = function(result, x)
            return result
        return function(*inputs)

    def _op_Elemwise(self, node: Any, inputs: list[Any]) -> Any:
        return self._scalar(node.op.scalar_op, inputs, node.outputs[0].type.dtype)

    def _op_ScalarOp(self, node: Any, inputs: list[Any]) -> Any:
        return self._scalar(node.op, inputs, node.outputs[0].type.dtype)

    def _op_DimShuffle(self, node: Any, inputs: list[Any]) -> Any:
        return rt.dimshuffle(inputs[0], list(node.op.new_order))

    # -- reductions and products ------------------------------------------------------------
    def _op_CAReduce(self, node: Any, inputs: list[Any]) -> Any:
        from reference.tensor.reduction import Reduce

        op = node.op
        kind = _REDUCE_KIND[type(op.scalar_op).__name__]
        ndim = node.inputs[0].type.ndim
        axes = tuple(range(ndim)) if op.axis is None else tuple(int(a) for a in op.axis)
        out_dtype = node.outputs[0].type.dtype
        acc = getattr(op, "acc_dtype", None) if kind in ("sum", "prod") else None
        return Reduce(kind, axes, False, out_dtype, acc)(inputs[0])

    def _op_Argmax(self, node: Any, inputs: list[Any]) -> Any:
        from reference.tensor.reduction import Argmax

        axis = node.op.axis
        ndim = node.inputs[0].type.ndim
        if axis is None or len(axis) == ndim and ndim != 1:
            return Argmax("max", None, False)(inputs[0])
        return Argmax("max", int(axis[0]), False)(inputs[0])

    def _op_Dot(self, node: Any, inputs: list[Any]) -> Any:
        return rt.dot(*inputs)

    def _op_Dot22(self, node: Any, inputs: list[Any]) -> Any:
        return rt.dot(*inputs)

    def _op_Gemv(self, node: Any, inputs: list[Any]) -> Any:
        y, alpha, a, x, beta = inputs
        return rmath.add(rmath.mul(beta, y), rmath.mul(alpha, rt.dot(a, x)))

    def _op_Gemm(self, node: Any, inputs: list[Any]) -> Any:
        z, a, x, y, b = inputs
        return rmath.add(rmath.mul(b, z), rmath.mul(a, rt.dot(x, y)))

    def _op_Blockwise(self, node: Any, inputs: list[Any]) -> Any:
        return rt.matmul(*inputs)

    def _op_CumOp(self, node: Any, inputs: list[Any]) -> Any:
        op = node.op
        return (rt.cumsum if op.mode == "add" else rt.cumprod)(inputs[0], axis=op.axis)

    # -- shapes and construction ------------------------------------------------------------
    def _op_Shape(self, node: Any, inputs: list[Any]) -> Any:
        return rt.shape(inputs[0])

    def _op_Shape_i(self, node: Any, inputs: list[Any]) -> Any:
        return rt.shape(inputs[0])[int(node.op.i)]

    def _op_SpecifyShape(self, node: Any, inputs: list[Any]) -> Any:
        x, *dims = inputs
        return rt.specify_shape(x, [None if d is None else d for d in dims])

    def _op_Reshape(self, node: Any, inputs: list[Any]) -> Any:
        return rt.reshape(inputs[0], inputs[1], ndim=node.op.ndim)

    def _op_Alloc(self, node: Any, inputs: list[Any]) -> Any:
        return rt.alloc(inputs[0], *inputs[1:])

    def _op_AllocEmpty(self, node: Any, inputs: list[Any]) -> Any:
        # uninitialised memory in PyTensor; the bridge fills it with zeros (ORACLE-BRIDGE-2)
        dtype = node.outputs[0].type.dtype
        return rt.alloc(TensorConstant(TensorType(dtype, ()), np.zeros((), dtype=dtype)), *inputs)

    def _op_MakeVector(self, node: Any, inputs: list[Any]) -> Any:
        return rt.make_vector(inputs, dtype=node.outputs[0].type.dtype)

    def _op_Join(self, node: Any, inputs: list[Any]) -> Any:
        axis = getattr(node.op, "axis", None)
        if axis is None:  # older PyTensor: the axis is the first input
            axis, inputs = int(node.inputs[0].data), inputs[1:]
        return rt.join(int(axis), *inputs)

    def _op_ARange(self, node: Any, inputs: list[Any]) -> Any:
        return rt.arange(*inputs, dtype=node.outputs[0].type.dtype)

    def _op_Eye(self, node: Any, inputs: list[Any]) -> Any:
        return rt.eye(*inputs, dtype=node.outputs[0].type.dtype)

    # -- indexing ---------------------------------------------------------------------------
    def _index(self, node: Any, first: int) -> tuple:
        from pytensor.graph.basic import Constant as PtConstant
        from pytensor.tensor.subtensor import indices_from_subtensor

        if hasattr(node.op, "idx_list"):
            items = indices_from_subtensor(node.inputs[first:], node.op.idx_list)
        else:  # AdvancedSubtensor1-style: one index vector
            items = tuple(node.inputs[first:])

        def part(v: Any) -> Any:
            if v is None:
                return None
            if isinstance(v, PtConstant):
                data = np.asarray(v.data)
                if data.ndim == 0 and data.dtype.kind in "iu":
                    return int(data)
                return self.memo[v]
            return self.memo[v]

        index = []
        for item in items:
            if isinstance(item, slice):
                index.append(slice(part(item.start), part(item.stop), part(item.step)))
            else:
                index.append(part(item))
        return tuple(index)

    def _op_Subtensor(self, node: Any, inputs: list[Any]) -> Any:
        return inputs[0][self._index(node, 1)]

    _op_AdvancedSubtensor = _op_Subtensor
    _op_AdvancedSubtensor1 = _op_Subtensor

    def _op_IncSubtensor(self, node: Any, inputs: list[Any]) -> Any:
        part = inputs[0][self._index(node, 2)]
        if node.op.set_instead_of_inc:
            return rt.set_subtensor(part, inputs[1])
        return rt.inc_subtensor(part, inputs[1])

    _op_AdvancedIncSubtensor = _op_IncSubtensor
    _op_AdvancedIncSubtensor1 = _op_IncSubtensor

    # -- random variables -------------------------------------------------------------------
    def _op_RandomVariable(self, node: Any, inputs: list[Any]) -> list[Any]:
        from reference.tensor.random.op import make_random_variable

        rng, size, *params = inputs
        next_rng, draw = make_random_variable(node.op.name, rng, tuple(params), size,
                                              node.outputs[1].type.dtype)
        return [next_rng, draw]

    # -- loops ------------------------------------------------------------------------------
    def _placeholder(self, pt_var: Any, name: str) -> Any:
        ref_type = self._ref_type(pt_var.type)
        if isinstance(ref_type, RandomGeneratorType):
            return Variable(ref_type, name=name)
        return ref_type(name)

    def _inner(self, inner_inputs: list[Any], placeholders: list[Any], inner_outputs: list[Any]) -> list[Any]:
        sub = Converter({p: r for p, r in zip(inner_inputs, placeholders, strict=True)}, root=self.root)
        return sub.convert(inner_outputs)

    def _op_Scan(self, node: Any, inputs: list[Any]) -> list[Any]:
        op, info = node.op, node.op.info
        if info.n_mit_mot:
            return self._buffer_loop(node, inputs)
        from reference.scan.op import ScanOp
        from reference.scan.spec import (
            MappedOutput,
            RecurrentOutput,
            ScanSpec,
            SequenceTaps,
            SharedState,
        )

        outer = node.inputs
        inner_in = list(op.inner_inputs)
        inner_out = list(op.inner_outputs)
        n_seq, n_mit, n_sit = info.n_seqs, info.n_mit_sot, info.n_sit_sot
        n_nit, n_untr = info.n_nit_sot, info.n_untraced_sit_sot
        k = 1
        seq_outer = list(range(k, k + n_seq))
        k += n_seq
        tap_outer = list(range(k, k + n_mit + n_sit))
        k += n_mit + n_sit
        untr_outer = list(range(k, k + n_untr))
        k += n_untr
        nit_outer = list(range(k, k + n_nit))
        k += n_nit
        ns_outer = list(range(k, len(outer)))

        placeholders: list[Any] = []
        j = 0
        seq_specs = []
        for s, idx in enumerate(seq_outer):
            name = _readable(outer[idx], f"sequences[{s}]")
            ph = self._placeholder(inner_in[j], _tap(name, 0))
            placeholders.append(ph)
            seq_specs.append(SequenceTaps(name, (0,), (ph,)))
            j += 1
        taps_list = list(info.mit_sot_in_slices) + list(info.sit_sot_in_slices)
        tap_names = []
        tap_placeholders = []
        for o, (idx, taps) in enumerate(zip(tap_outer, taps_list, strict=True)):
            name = _readable(outer[idx], f"outputs_info[{o}]")
            tap_names.append(name)
            phs = tuple(self._placeholder(inner_in[j + i], _tap(name, int(t))) for i, t in enumerate(taps))
            j += len(taps)
            placeholders.extend(phs)
            tap_placeholders.append(phs)
        untr_placeholders = []
        for u, idx in enumerate(untr_outer):
            ph = self._placeholder(inner_in[j], _readable(outer[idx], f"state[{u}]"))
            placeholders.append(ph)
            untr_placeholders.append(ph)
            j += 1
        ns_placeholders = []
        for s, idx in enumerate(ns_outer):
            ph = self._placeholder(inner_in[j], _readable(outer[idx], f"non_sequences[{s}]"))
            placeholders.append(ph)
            ns_placeholders.append(ph)
            j += 1
        steps = self._inner(inner_in, placeholders, inner_out)

        outputs_spec: list[Any] = []
        initials: list[Any] = []
        r = 0
        for o, (idx, taps) in enumerate(zip(tap_outer, taps_list, strict=True)):
            multiple = o < n_mit
            depth = -min(taps)
            buffer = inputs[idx]
            initials.append(buffer[:depth] if multiple else buffer[0])
            outputs_spec.append(RecurrentOutput(tap_names[o], tuple(int(t) for t in taps),
                                                tap_placeholders[o], steps[r], multiple))
            r += 1
        for m in range(n_nit):
            outputs_spec.append(MappedOutput(f"{op.name}.nit_sot[{m}]", steps[r]))
            r += 1
        states = []
        for u, idx in enumerate(untr_outer):
            states.append(SharedState(inputs[idx], untr_placeholders[u], steps[r]))
            r += 1
        condition = steps[r] if info.as_while else None
        spec = ScanSpec(sequences=tuple(seq_specs), outputs=tuple(outputs_spec), shared_states=tuple(states),
                        non_sequences=tuple(ns_placeholders), condition=condition, go_backwards=False,
                        truncate_gradient=int(op.truncate_gradient), name=str(op.name), n_steps_given=True)
        n_steps = rmath.cast(inputs[0], "int64")
        loop = ScanOp(spec).make_node(n_steps, *[inputs[i] for i in seq_outer], *initials,
                                      *[inputs[i] for i in untr_outer], *[inputs[i] for i in ns_outer])
        results: list[Any] = []
        for o, (idx, taps) in enumerate(zip(tap_outer, taps_list, strict=True)):
            depth = -min(taps) if o < n_mit else 1
            results.append(ScanBuffer(depth, False)(inputs[idx], loop.outputs[o], n_steps))
        for m, idx in enumerate(nit_outer):
            results.append(ScanBuffer(0, True)(inputs[idx], loop.outputs[n_mit + n_sit + m], n_steps))
        results.extend(loop.outputs[n_mit + n_sit + n_nit:])
        return results

    def _buffer_loop(self, node: Any, inputs: list[Any]) -> list[Any]:
        op = node.op
        inner_in = list(op.inner_inputs)
        placeholders = [self._placeholder(v, v.name or f"i{j}") for j, v in enumerate(inner_in)]
        steps = self._inner(inner_in, placeholders, list(op.inner_outputs))
        output_types = [self._ref_type(o.type) for o in node.outputs]
        loop = BufferLoop(op.info, str(op.name), placeholders, steps, output_types)
        return loop.make_node(*inputs).outputs


# -- entry points --------------------------------------------------------------------------------
def from_pytensor(outputs: Any, memo: Mapping[Any, Any] | None = None) -> Conversion:
    """Convert PyTensor variables (one or a list) into a reference graph (ORACLE-BRIDGE-1).

    ``memo`` may map PyTensor variables to reference variables to use for them.  Raises
    :class:`UnsupportedOpError` naming every op the bridge does not convert.
    """
    single = not isinstance(outputs, list | tuple)
    out_list = [outputs] if single else list(outputs)
    converter = Converter(memo)
    refs = converter.convert(out_list)
    return Conversion(refs, converter.memo, converter.inputs, converter.shared)


def evaluate(outputs: Any, inputs: Mapping[Any, Any] | None = None, **options: Any) -> Any:
    """Evaluate PyTensor variables with the reference: ``inputs`` maps PyTensor
    variables (or their names) to values.  ``options`` go to :func:`reference.evaluate`
    (``trace=True``, ``on_step=...``)."""
    single = not isinstance(outputs, list | tuple)
    conversion = from_pytensor([outputs] if single else list(outputs))
    result = conversion.evaluate(inputs or {}, **options)
    if single:
        if isinstance(result, tuple):  # (values, trace)
            return result[0][0], result[1]
        return result[0]
    return result


def _snapshot(value: Any) -> Any:
    return copy.deepcopy(value) if isinstance(value, np.random.Generator) else np.array(value, copy=True)


def check_function(fn: Any, *args: Any, outputs: Sequence[Any] | None = None,
                   updates: Mapping[Any, Any] | None = None, **compare_options: Any) -> Any:
    """Call the compiled PyTensor function ``fn`` on ``args`` and compare what it returns,
    and the values it gives its shared variables, with the reference's evaluation of the
    same graph (ORACLE-BRIDGE-4).  Returns a :class:`~reference.testing.compare.Report`
    naming the first divergence.

    The graph is the function's own (``fn.maker.fgraph``, after PyTensor's rewrites)
    unless ``outputs`` (and ``updates``) give the variables it was compiled from; pass
    them to hold rewrites to the spec too.  ``compare_options`` go to
    :func:`reference.testing.compare` (``policy=``, ``ulps=``...).
    """
    from reference.testing.compare import compare

    maker = fn.maker
    explicit = [i for i in maker.inputs if not getattr(i, "implicit", False)]
    if len(args) != len(explicit):
        raise TypeError(f"the function takes {len(explicit)} inputs, got {len(args)}")
    values = []
    for spec, arg in zip(explicit, args, strict=True):
        values.append(spec.variable.type.filter(arg, strict=False, allow_downcast=spec.allow_downcast))
    if outputs is not None:
        pt_inputs = [i.variable for i in explicit]
        pt_outputs = list(outputs)
        update_pairs = list((updates or {}).items())
        graph_outputs = pt_outputs + [v for _, v in update_pairs]
        memo: dict[Any, Any] = {}
        conversion_inputs = pt_inputs
        shared_targets = [t for t, _ in update_pairs]
    else:
        fgraph = maker.fgraph
        n_out = len(fgraph.outputs) - len(fgraph.update_mapping)
        graph_outputs = list(fgraph.outputs)
        conversion_inputs = list(fgraph.inputs[: len(explicit)])
        memo = {}
        shared_targets = [maker.inputs[fgraph.update_mapping[k]].variable
                          for k in range(n_out, len(fgraph.outputs))]
        # the fgraph's own shared inputs: converted with the current values
        for pt_in, spec in zip(fgraph.inputs[len(explicit):], maker.inputs[len(explicit):], strict=True):
            value = spec.variable.get_value(borrow=True)
            ref_type = Converter._ref_type(pt_in.type)
            if isinstance(ref_type, RandomGeneratorType):
                ref = shared(copy.deepcopy(value), name=pt_in.name, borrow=True)
            else:
                ref = shared(np.array(value, copy=True), name=spec.variable.name, shape=tuple(pt_in.type.shape), borrow=True)
            memo[pt_in] = ref
    reference_inputs = {}
    for i, pt_in in enumerate(conversion_inputs):
        ref_type = Converter._ref_type(pt_in.type)
        ref = ref_type(pt_in.name or f"inputs[{i}]")
        memo[pt_in] = ref
        reference_inputs[ref] = values[i]
    converter = Converter(memo)
    refs = converter.convert(graph_outputs)
    for i, ref in enumerate(refs[len(refs) - len(shared_targets):]):
        if ref.name is None:
            target = shared_targets[i]
            ref.name = f"update of {target.name or f'shared[{i}]'}"

    def run(*call_args: Any) -> list[Any]:
        result = fn(*[_snapshot(a) for a in call_args])
        n_out = len(refs) - len(shared_targets)
        result = [] if n_out == 0 else list(result) if isinstance(result, list) else [result]
        after = [t.get_value(borrow=False) for t in shared_targets]
        return result + after

    return compare(run, refs, reference_inputs, **compare_options)


__all__ = [
    "BufferLoop", "Conversion", "ConversionError", "Converter", "ScanBuffer", "UnsupportedOpError",
    "check_function", "evaluate", "from_pytensor",
]
