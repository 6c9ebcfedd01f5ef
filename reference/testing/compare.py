"""Compare another implementation with the reference.  Spec: spec/6-oracle.rst
(ORACLE-COMPARE-*, ORACLE-REPORT-*, ORACLE-TOL-*).

::

    from reference.testing import assert_matches, compare

    report = compare(actual, outputs, inputs)          # a Report; report.ok
    assert_matches(actual, outputs, inputs)            # raises MismatchError(report)

``outputs`` are reference variables (one, or a list), ``inputs`` a dict
``{variable: value}``, and ``actual`` either the values another implementation produced
(one array per output) or a callable taking the input values positionally, in the dict's
order, and returning them.

Tolerance policies (ORACLE-TOL-1 .. ORACLE-TOL-4):

``"ulp"`` (the default)
    Integers and booleans: equal.  Floats: an element passes if its distance in units in
    the last place is within the output's *ulp budget*, the sum of the per-op allowances
    of every node evaluation the output depends on (:data:`OP_ULPS`: 0 for the IEEE-exact
    ops ``+ - * / sqrt``, casts, comparisons and indexing; 2 for ``exp``, ``log``,
    ``tanh``...; 4 for sums and products, whose order of summation may differ), each loop
    node counting its step's ops once per executed step.  With a budget ``b > 0`` an
    element also passes if its absolute error is at most ``b * eps(dtype) * max|expected|``
    (a guard for results of cancellation, whose ulp distance means little).  A budget of
    0 means bit-equal values.
``"exact"``
    Every element equal (NaN equals NaN; ``-0.0`` equals ``0.0``).
``"dtype"``
    Per-dtype ``rtol``/``atol`` (:data:`DTYPE_TOLERANCES`), for implementations that
    reorder or fuse floating-point operations freely (fast-math, other BLAS): float64
    ``1e-9``/``1e-12``, float32 ``1e-4``/``1e-6``, float16 ``1e-2``/``1e-3``; integers equal.

Explicit ``ulps=``, ``rtol=`` or ``atol=`` override the policy's numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reference.graph.basic import Apply, Variable

#: Allowed error, in ulps, per evaluation of an op (ORACLE-TOL-2).  Keys are the class
#: names of ops and of elementwise scalar rules; ops not listed are exact (0).
OP_ULPS: dict[str, int] = {
    "Exp": 2, "Log": 2, "Log1p": 2, "Expm1": 2, "Sin": 2, "Cos": 2, "Tan": 3, "Tanh": 2,
    "Pow": 2, "Sigmoid": 3, "Softplus": 3, "Erf": 4,
    "Reduce": 4, "Dot": 4, "MatMul": 4, "CumOp": 4,
}  # fmt: skip

#: ``(rtol, atol)`` by dtype for the ``"dtype"`` policy (ORACLE-TOL-3).
DTYPE_TOLERANCES: dict[str, tuple[float, float]] = {
    "float16": (1e-2, 1e-3), "float32": (1e-4, 1e-6), "float64": (1e-9, 1e-12),
    "complex64": (1e-4, 1e-6), "complex128": (1e-9, 1e-12),
}  # fmt: skip

POLICIES = ("ulp", "exact", "dtype")

_RULE_RE = re.compile(r"\b([A-Z]+(?:-[A-Z0-9]+)+-[0-9]+)\b")


class MismatchError(AssertionError):
    """Raised by :func:`assert_matches`; ``.report`` is the :class:`Report` (ORACLE-COMPARE-3)."""

    def __init__(self, report: Report) -> None:
        super().__init__(str(report))
        self.report = report


# -- ulps ----------------------------------------------------------------------------------
_INT_VIEW = {2: np.int16, 4: np.int32, 8: np.int64}


def _ordered(x: np.ndarray) -> np.ndarray:
    """Floats as integers that count representable values in order (-0.0 and 0.0 -> 0)."""
    view = x.view(_INT_VIEW[x.dtype.itemsize]).astype(np.int64)
    low = np.int64(np.iinfo(_INT_VIEW[x.dtype.itemsize]).min)
    return np.where(view < 0, low - view, view)


def ulp_distance(expected: Any, actual: Any) -> np.ndarray:
    """Elementwise distance in units in the last place, as float64 (ORACLE-TOL-2).

    NaN against NaN is 0, NaN against a number is ``inf``; complex values take the larger
    of the real and imaginary distances; integers give ``|a - b|``.
    """
    a, b = np.asarray(expected), np.asarray(actual)
    if a.dtype.kind == "c":
        return np.maximum(ulp_distance(a.real, b.real), ulp_distance(a.imag, b.imag))
    if a.dtype.kind != "f":
        with np.errstate(all="ignore"):
            return np.abs(a.astype(np.float64) - b.astype(np.float64))
    b = b.astype(a.dtype)
    oa, ob = _ordered(a), _ordered(b)
    rough = np.abs(oa.astype(np.float64) - ob.astype(np.float64))
    with np.errstate(over="ignore"):
        exact = np.abs(oa - ob).astype(np.float64)
    result = np.where(rough < 2.0**52, exact, rough)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    result = np.where(nan_a & nan_b, 0.0, result)
    return np.where(nan_a ^ nan_b, np.inf, result)


# -- rules ---------------------------------------------------------------------------------
@functools.cache
def rule_titles() -> dict[str, str]:
    """Rule id -> title, read from the spec chapters when the package sits in a checkout."""
    spec = Path(__file__).resolve().parents[2] / "spec"
    titles: dict[str, str] = {}
    if spec.is_dir():
        for path in sorted(spec.glob("*.rst")):
            lines = path.read_text(encoding="utf-8").splitlines()
            for i, line in enumerate(lines):
                if line.startswith(".. rule:: "):
                    rule = line.split()[-1]
                    for follow in lines[i + 1:i + 4]:
                        if follow.strip().startswith(":title:"):
                            titles[rule] = follow.split(":title:", 1)[1].strip()
    return titles


def _op_rule(node: Apply) -> str | None:
    op = node.op
    for obj in (getattr(op, "scalar_op", None), op):
        if obj is not None:
            match = _RULE_RE.search(type(obj).__doc__ or "")
            if match:
                return match.group(1)
    return None


def loop_output(variable: Variable) -> tuple[Variable, int] | None:
    """``(loop output, offset)`` when ``variable`` is a loop output's rows, directly or
    through ops that only select or relabel rows: row ``r`` of ``variable`` holds step
    ``r + offset`` (ORACLE-REPORT-2).  Ops say so with ``loop_rows(node) -> (input index,
    offset)`` (the PyTensor bridge's buffers do); ``x[s:]`` shifts by ``s``."""
    from reference.scan.op import ScanOp
    from reference.tensor.shape import SpecifyShape
    from reference.tensor.subtensor import Subtensor

    offset = 0
    for _ in range(16):
        node = variable.owner
        if node is None:
            return None
        if isinstance(node.op, ScanOp):
            return (variable, offset) if variable.index < len(node.op.spec.outputs) else None
        if hasattr(node.op, "loop_rows"):
            index, shift = node.op.loop_rows(node)
            variable, offset = node.inputs[index], offset + shift
        elif isinstance(node.op, SpecifyShape):
            variable = node.inputs[0]
        elif isinstance(node.op, Subtensor) and len(node.op.template) == 1 and \
                node.op.template[0][0] == "slice" and isinstance(node.op.template[0][1], int) and \
                node.op.template[0][1] >= 0 and node.op.template[0][2:] == (None, None):
            variable, offset = node.inputs[0], offset + node.op.template[0][1]
        else:
            return None
    return None


def output_rules(variable: Variable) -> list[str]:
    """The rules that define ``variable``'s value, most specific first (ORACLE-REPORT-2):
    for a loop output, the rules of its kind; else the rule named by its op."""
    from reference.scan.op import ScanOp
    from reference.scan.spec import RecurrentOutput

    node = variable.owner
    if node is None:
        return []
    view = loop_output(variable)
    if view is not None:
        variable = view[0]
        node = variable.owner
    if isinstance(node.op, ScanOp):
        spec = node.op.spec
        rules: list[str] = []
        if variable.index >= len(spec.outputs):
            rules.append("SCAN-UPD-3")
        else:
            out = spec.outputs[variable.index]
            if isinstance(out, RecurrentOutput):
                rules += ["SCAN-TAPS-3", "SCAN-INIT-2" if out.multiple_taps else "SCAN-INIT-1"]
            rules.append("SCAN-OUT-1")
        if spec.sequences:
            rules.append("SCAN-TAPS-1")
        if spec.go_backwards:
            rules.append("SCAN-BACK-1")
        if spec.condition is not None:
            rules.append("SCAN-UNTIL-1")
        if spec.shared_states:
            rules.append("SCAN-UPD-1")
        return rules
    rule = _op_rule(node)
    return [rule] if rule else []


def _mismatch_rule(variable: Variable, kind: str, step: int | None, expected: np.ndarray) -> list[str]:
    """The rule for this kind of difference in this output, then the output's other rules."""
    from reference.scan.spec import RecurrentOutput

    rules = output_rules(variable)
    view = loop_output(variable)
    first: str | None = None
    if view is not None:
        loop_var, offset = view
        spec = loop_var.owner.op.spec
        out = spec.outputs[loop_var.index]
        length = expected.shape[0] - offset if expected.ndim else 0
        if kind == "length":
            first = ("SCAN-OUT-3" if length <= 0 else
                     "SCAN-UNTIL-2" if spec.condition is not None else
                     "SCAN-STEPS-3" if spec.n_steps_given else "SCAN-STEPS-1")
        elif kind == "shape":
            first = "SCAN-OUT-3" if expected.ndim and length <= 0 else "SCAN-OUT-2"
        elif kind == "dtype":
            first = "SCAN-TYPE-1" if isinstance(out, RecurrentOutput) else "SCAN-OUT-1"
        elif kind == "value" and step is not None:
            if spec.go_backwards:
                first = "SCAN-BACK-1"
            elif isinstance(out, RecurrentOutput):
                first = "SCAN-TAPS-3" if step >= (out.depth if out.multiple_taps else 1) else (
                    "SCAN-INIT-2" if out.multiple_taps else "SCAN-INIT-1")
            elif spec.sequences:
                first = "SCAN-TAPS-1"
    if first is not None:
        rules = [first] + [r for r in rules if r != first]
    return rules


# -- tolerances ----------------------------------------------------------------------------
def _op_key(node: Apply) -> str:
    scalar = getattr(node.op, "scalar_op", None)
    return type(scalar).__name__ if scalar is not None else type(node.op).__name__


def ulp_budgets(outputs: Sequence[Variable], runs: Sequence[Any], op_ulps: Mapping[str, int]) -> list[int]:
    """Each output's ulp budget: the allowances of every node evaluation it depends on,
    a loop's step ops counted once per executed step (ORACLE-TOL-2)."""
    from reference.graph.traversal import toposort
    from reference.scan.op import ScanOp

    executed: dict[int, int] = {}
    for run in runs:
        executed[id(run.spec)] = executed.get(id(run.spec), 0) + run.executed

    @functools.cache
    def loop_cost(spec: Any) -> int:
        total = 0
        for node in toposort(spec.inner_outputs):
            if isinstance(node.op, ScanOp):
                total += loop_cost(node.op.spec)
            else:
                total += op_ulps.get(_op_key(node), 0) * executed.get(id(spec), 0)
        return total

    budgets = []
    for variable in outputs:
        total = 0
        for node in toposort([variable]):
            total += loop_cost(node.op.spec) if isinstance(node.op, ScanOp) else op_ulps.get(_op_key(node), 0)
        budgets.append(total)
    return budgets


@dataclass
class _Tolerance:
    kind: str                    # "exact", "ulp", "allclose"
    ulps: float = 0.0
    rtol: float = 0.0
    atol: float = 0.0

    def describe(self, dtype: str) -> str:
        if dtype in ("bool",) or np.dtype(dtype).kind in "iub" or self.kind == "exact":
            return "exact"
        if self.kind == "ulp":
            return f"<= {self.ulps:g} ulp" if self.ulps else "exact (0 ulp)"
        return f"rtol={self.rtol:g}, atol={self.atol:g}"


def _passes(expected: np.ndarray, actual: np.ndarray, tol: _Tolerance,
            ulps: np.ndarray) -> np.ndarray:
    kind = expected.dtype.kind
    if kind not in "fc":
        return expected == actual
    both_nan = np.isnan(expected) & np.isnan(actual)
    equal = (expected == actual) | both_nan
    if tol.kind == "exact":
        return equal
    with np.errstate(all="ignore"):
        err = np.abs(expected - actual)
        if tol.kind == "ulp":
            if tol.ulps == 0:
                return equal
            finite = np.abs(expected[np.isfinite(expected)])
            scale = float(finite.max()) if finite.size else 0.0
            eps = float(np.finfo(expected.dtype).eps)
            return equal | (ulps <= tol.ulps) | (err <= tol.ulps * eps * scale)
        return equal | (err <= tol.atol + tol.rtol * np.abs(expected))


# -- the report ----------------------------------------------------------------------------
def _type_text(value: Any) -> str:
    if isinstance(value, np.ndarray | np.generic):
        return f"{value.dtype}{tuple(value.shape)}"
    return type(value).__name__


def _value_text(value: Any) -> str:
    if isinstance(value, np.ndarray | np.generic) and np.ndim(value) == 0:
        item = value.item() if hasattr(value, "item") else value
        return repr(item)
    text = np.array2string(np.asarray(value), precision=8, threshold=10, edgeitems=3,
                           separator=", ", max_line_width=10**6)
    return " ".join(text.split())


@dataclass
class OutputComparison:
    """How one output compares (ORACLE-REPORT-1)."""

    index: int
    name: str
    ok: bool
    kind: str                             # "ok", "length", "shape", "dtype", "value", "missing"
    expected_type: str
    actual_type: str
    tolerance: str
    rules: list[str]
    is_scan_output: bool = False
    mismatched: int = 0
    size: int = 0
    element: tuple[int, ...] | None = None
    step: int | None = None
    expected_value: Any = None
    actual_value: Any = None
    max_abs: float = 0.0
    max_rel: float = 0.0
    max_ulp: float = 0.0
    note: str = ""

    @property
    def rule(self) -> str | None:
        return self.rules[0] if self.rules else None

    def line(self) -> str:
        head = f"  [{self.index}] {self.name}: {self.expected_type}"
        if self.ok:
            return f"{head}  ok ({self.tolerance}; max ulp {self.max_ulp:g}, max abs {self.max_abs:.3g})"
        text = f"{head}  DIFFERS ({self.kind}): {self.note}"
        if self.kind == "value":
            text += (f"; {self.mismatched} of {self.size} element(s) outside {self.tolerance};"
                     f" max abs {self.max_abs:.3g}, max rel {self.max_rel:.3g}, max ulp {self.max_ulp:g}")
        return text


@dataclass
class Report:
    """The result of :func:`compare` (ORACLE-REPORT-1).  ``bool(report)`` is ``report.ok``.

    ``first`` is the first output that differs; ``rule`` the spec rule that defines the
    behaviour in question; ``str(report)`` a one-line summary, then the details.
    """

    ok: bool
    outputs: list[OutputComparison]
    policy: str
    inputs: list[tuple[str, str]]
    expected_error: BaseException | None = None
    actual_error: BaseException | None = None
    error_rule: str | None = None
    versions: str = ""
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok

    @property
    def first(self) -> OutputComparison | None:
        return next((o for o in self.outputs if not o.ok), None)

    @property
    def rule(self) -> str | None:
        if self.error_rule is not None:
            return self.error_rule
        first = self.first
        return first.rule if first is not None else None

    @property
    def step(self) -> int | None:
        first = self.first
        return first.step if first is not None else None

    @property
    def element(self) -> tuple[int, ...] | None:
        first = self.first
        return first.element if first is not None else None

    def summary(self) -> str:
        """The first line: what differs, where, and the rule (ORACLE-REPORT-3)."""
        tag = f" [{self.rule}]" if self.rule else ""
        if self.ok:
            if self.expected_error is not None:
                return (f"both raise: the reference {type(self.expected_error).__name__}, "
                        f"the implementation {type(self.actual_error).__name__}{tag}")
            return f"all {len(self.outputs)} output(s) match the reference (policy: {self.policy})"
        if self.expected_error is not None and self.actual_error is None:
            return (f"the reference raises {type(self.expected_error).__name__} but the "
                    f"implementation returned {len(self.outputs)} value(s){tag}")
        if self.actual_error is not None and self.expected_error is None:
            return (f"the implementation raised {type(self.actual_error).__name__}: "
                    f"{_first_line(self.actual_error)}; the reference returns values{tag}")
        if self.expected_error is not None:
            return (f"both raise, but the implementation raised {type(self.actual_error).__name__} "
                    f"where the reference raises {type(self.expected_error).__name__}{tag}")
        first = self.first
        assert first is not None
        where = f"output {first.index} ({first.name})"
        if first.kind == "value":
            at = f"step {first.step}, element {first.element}" if first.step is not None else \
                f"element {first.element}"
            return (f"{where} differs at {at}: expected {_value_text(first.expected_value)}, "
                    f"got {_value_text(first.actual_value)} ({first.max_ulp:g} ulp max; "
                    f"allowed {first.tolerance}){tag}")
        return f"{where} differs: {first.note}{tag}"

    def details(self) -> str:
        lines = [f"policy: {self.policy}"]
        if self.expected_error is not None:
            lines.append(f"reference raised: {type(self.expected_error).__name__}: {_first_line(self.expected_error)}")
        if self.actual_error is not None:
            lines.append(f"implementation raised: {type(self.actual_error).__name__}: {_first_line(self.actual_error)}")
        if self.outputs:
            lines.append("outputs:")
            lines.extend(o.line() for o in self.outputs)
        if self.inputs:
            lines.append("inputs: " + ", ".join(f"{name} {kind}" for name, kind in self.inputs))
        rule = self.rule
        if rule is not None:
            title = rule_titles().get(rule)
            text = f"rule: {rule}" + (f" ({title})" if title else "")
            first = self.first
            if first is not None and len(first.rules) > 1:
                text += "; see also " + ", ".join(first.rules[1:])
            lines.append(text)
        lines.extend(self.notes)
        lines.append(self.versions)
        return "\n".join(lines)

    def __str__(self) -> str:
        return f"{self.summary()}\n{self.details()}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else ""


# -- comparing -----------------------------------------------------------------------------
def _tolerance(policy: str, dtype: np.dtype, budget: int, ulps: float | None,
               rtol: float | None, atol: float | None) -> _Tolerance:
    if rtol is not None or atol is not None:
        default_rtol, default_atol = DTYPE_TOLERANCES.get(dtype.name, (0.0, 0.0))
        return _Tolerance("allclose", rtol=default_rtol if rtol is None else rtol,
                          atol=default_atol if atol is None else atol)
    if ulps is not None:
        return _Tolerance("ulp", ulps=float(ulps))
    if policy == "exact":
        return _Tolerance("exact")
    if policy == "dtype":
        r, a = DTYPE_TOLERANCES.get(dtype.name, (0.0, 0.0))
        return _Tolerance("allclose", rtol=r, atol=a)
    return _Tolerance("ulp", ulps=float(budget))


def compare_values(index: int, name: str, variable: Variable | None, expected: Any, actual: Any,
                   tol: _Tolerance, check_dtype: bool = True) -> OutputComparison:
    """Compare one output's values (ORACLE-COMPARE-2)."""
    is_generator = isinstance(expected, np.random.Generator)
    if is_generator:
        same = isinstance(actual, np.random.Generator) and \
            expected.bit_generator.state == actual.bit_generator.state
        rules = output_rules(variable) if variable is not None else []
        return OutputComparison(index, name, same, "ok" if same else "value", "Generator",
                                type(actual).__name__, "same state", rules,
                                note="" if same else "random generator states differ")
    exp = np.asarray(expected)
    act = np.asarray(actual)
    view = loop_output(variable) if variable is not None else None
    scan = view is not None
    rules = output_rules(variable) if variable is not None else []
    result = OutputComparison(index, name, True, "ok", _type_text(exp), _type_text(act),
                              tol.describe(exp.dtype.name), rules, is_scan_output=scan, size=exp.size)

    def fail(kind: str, note: str, step: int | None = None) -> OutputComparison:
        result.ok, result.kind, result.note, result.step = False, kind, note, step
        if variable is not None:
            result.rules = _mismatch_rule(variable, kind, step, exp)
        return result

    if exp.shape != act.shape:
        if scan and exp.ndim >= 1 and act.ndim == exp.ndim and exp.shape[0] != act.shape[0]:
            first_missing = min(exp.shape[0], act.shape[0]) + view[1]
            return fail("length", f"expected {exp.shape[0]} rows (shape {exp.shape}), got "
                        f"{act.shape[0]} (shape {act.shape})", step=max(first_missing, 0))
        return fail("shape", f"expected shape {exp.shape}, got {act.shape}")
    if exp.dtype != act.dtype:
        if check_dtype:
            return fail("dtype", f"expected dtype {exp.dtype}, got {act.dtype}")
        with np.errstate(all="ignore"):
            act = act.astype(exp.dtype)
    if exp.size == 0:
        return result
    if exp.dtype.kind in "fc":
        ulps = ulp_distance(exp, act)
        with np.errstate(all="ignore"):
            err = np.abs(exp - act).astype(np.float64)
            both_nan = np.isnan(exp) & np.isnan(act)
            err = np.where(both_nan | (exp == act), 0.0, err)
            rel = np.where(err == 0, 0.0, err / np.abs(exp))
    elif exp.dtype.kind == "b":
        ulps = (exp != act).astype(np.float64)
        err = rel = ulps
    else:
        ulps = ulp_distance(exp, act)
        err = ulps
        with np.errstate(all="ignore"):
            rel = np.where(err == 0, 0.0, err / np.abs(exp.astype(np.float64)))
    ok = _passes(exp, act, tol, ulps)
    finite = lambda a: float(np.nanmax(np.where(np.isnan(a), np.inf, a))) if a.size else 0.0
    result.max_ulp, result.max_abs, result.max_rel = finite(ulps), finite(err), finite(rel)
    if np.all(ok):
        return result
    bad = np.argwhere(~np.asarray(ok))
    element = tuple(int(i) for i in bad[0])
    result.mismatched = len(bad)
    result.element = element
    result.expected_value = exp[element]
    result.actual_value = act[element]
    step = element[0] + view[1] if view is not None and element and element[0] + view[1] >= 0 else None
    return fail("value", f"first at element {element}", step=step)


def _input_summary(inputs: Mapping[Variable, Any]) -> list[tuple[str, str]]:
    result = []
    for i, (variable, value) in enumerate(inputs.items()):
        name = variable.name or f"inputs[{i}]"
        result.append((name, _type_text(np.asarray(value)) if not isinstance(value, np.random.Generator)
                       else "Generator"))
    return result


def _versions() -> str:
    import reference

    return f"reference {reference.__version__}, numpy {np.__version__}"


def _same_error_kind(expected: BaseException, actual: BaseException) -> bool:
    bases = [b for b in (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError,
                         OverflowError, MemoryError) if isinstance(expected, b)]
    return not bases or any(isinstance(actual, b) for b in bases)


def compare(actual: Any, outputs: Any, inputs: Mapping[Variable, Any] | None = None, *,
            policy: str = "ulp", ulps: float | None = None, rtol: float | None = None,
            atol: float | None = None, check_dtype: bool = True, errors: str = "any",
            op_ulps: Mapping[str, int] | None = None, expected: Sequence[Any] | None = None) -> Report:
    """Compare ``actual`` with what the reference computes for ``outputs`` on ``inputs``
    (ORACLE-COMPARE-1).

    ``actual``: a list of values, one per output (a single value for a single output), or a
    callable called as ``actual(*inputs.values())``.  ``policy``: ``"ulp"``, ``"exact"`` or
    ``"dtype"`` (module docstring).  ``errors="any"``: when the reference raises, any
    exception from the implementation agrees; ``"type"``: it must share the builtin
    exception class (``ValueError``, ``TypeError``, ``IndexError``...).  ``expected``
    skips the reference evaluation (values computed earlier).
    """
    from reference.evaluate import evaluate
    from reference.trace import Tracer, tracing

    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
    if errors not in ("any", "type"):
        raise ValueError(f"errors must be 'any' or 'type', got {errors!r}")
    single = isinstance(outputs, Variable)
    out_list: list[Variable] = [outputs] if single else list(outputs)
    inputs = dict(inputs or {})
    names = [v.name or f"outputs[{i}]" for i, v in enumerate(out_list)]
    input_summary = _input_summary(inputs)
    policy_text = policy if ulps is None and rtol is None and atol is None else \
        f"{policy}, overridden by " + ", ".join(
            f"{k}={v}" for k, v in (("ulps", ulps), ("rtol", rtol), ("atol", atol)) if v is not None)

    # the reference
    expected_error: BaseException | None = None
    runs: list[Any] = []
    if expected is None:
        try:
            with tracing(Tracer(record=False)) as tracer:
                expected = list(evaluate(out_list, inputs))
            runs = tracer.runs
        except Exception as error:  # noqa: BLE001 - an error is a result to compare
            expected_error = error
    else:
        expected = list(expected)

    # the implementation
    actual_error: BaseException | None = None
    values: Any = None
    if callable(actual):
        try:
            values = actual(*inputs.values())
        except Exception as error:  # noqa: BLE001
            actual_error = error
    else:
        values = actual
    if actual_error is None:
        if single and not (isinstance(values, list | tuple) and len(values) == 1):
            values = [values]
        values = list(values) if isinstance(values, list | tuple) else [values]

    report = Report(ok=True, outputs=[], policy=policy_text, inputs=input_summary,
                    expected_error=expected_error, actual_error=actual_error, versions=_versions())
    if expected_error is not None or actual_error is not None:
        report.ok = expected_error is not None and actual_error is not None and (
            errors == "any" or _same_error_kind(expected_error, actual_error))
        report.error_rule = getattr(expected_error, "rule", None)
        if report.error_rule is None and out_list:
            rules = output_rules(out_list[0])
            report.error_rule = rules[0] if rules else None
        if expected_error is not None and actual_error is None:
            report.outputs = [
                OutputComparison(i, names[i], False, "missing", "(raises)", _type_text(np.asarray(v))
                                 if not isinstance(v, np.random.Generator) else "Generator",
                                 "-", output_rules(out_list[i]) if i < len(out_list) else [],
                                 note="the reference raises")
                for i, v in enumerate(values)
            ]
        return report

    if len(values) != len(out_list):
        report.ok = False
        report.outputs = [OutputComparison(0, "outputs", False, "missing", f"{len(out_list)} output(s)",
                                           f"{len(values)} value(s)", "-", [],
                                           note=f"expected {len(out_list)} value(s), got {len(values)}")]
        return report
    budgets = ulp_budgets(out_list, runs, OP_ULPS if op_ulps is None else {**OP_ULPS, **op_ulps}) \
        if policy == "ulp" and ulps is None else [0] * len(out_list)
    for i, (variable, exp, act) in enumerate(zip(out_list, expected, values, strict=True)):
        dtype = np.asarray(exp).dtype if not isinstance(exp, np.random.Generator) else np.dtype(object)
        tol = _tolerance(policy, dtype, budgets[i], ulps, rtol, atol)
        report.outputs.append(compare_values(i, names[i], variable, exp, act, tol, check_dtype))
    report.ok = all(o.ok for o in report.outputs)
    return report


def compare_arrays(expected: Sequence[Any], actual: Sequence[Any], *, policy: str = "dtype",
                   names: Sequence[str] | None = None, ulps: float | None = None,
                   rtol: float | None = None, atol: float | None = None,
                   check_dtype: bool = True) -> Report:
    """Compare two lists of values without a graph (ORACLE-COMPARE-2): each pair by
    shape, dtype and tolerance.  With no graph there is no ulp budget, so ``"ulp"`` means
    0 ulp unless ``ulps`` is given."""
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
    expected, actual = list(expected), list(actual)
    names = list(names) if names is not None else [f"values[{i}]" for i in range(len(expected))]
    report = Report(ok=True, outputs=[], policy=policy, inputs=[], versions=_versions())
    if len(expected) != len(actual):
        report.ok = False
        report.outputs = [OutputComparison(0, "values", False, "missing", f"{len(expected)} value(s)",
                                           f"{len(actual)} value(s)", "-", [],
                                           note=f"expected {len(expected)} value(s), got {len(actual)}")]
        return report
    for i, (exp, act) in enumerate(zip(expected, actual, strict=True)):
        dtype = np.dtype(object) if isinstance(exp, np.random.Generator) else np.asarray(exp).dtype
        tol = _tolerance(policy, dtype, 0, ulps, rtol, atol)
        report.outputs.append(compare_values(i, names[i], None, exp, act, tol, check_dtype))
    report.ok = all(o.ok for o in report.outputs)
    return report


def assert_matches(actual: Any, outputs: Any, inputs: Mapping[Variable, Any] | None = None,
                   **options: Any) -> Report:
    """:func:`compare`, raising :class:`MismatchError` (an ``AssertionError``) with the
    report when they differ (ORACLE-COMPARE-3).  Returns the report otherwise."""
    report = compare(actual, outputs, inputs, **options)
    if not report.ok:
        raise MismatchError(report)
    return report


__all__ = [
    "DTYPE_TOLERANCES", "OP_ULPS", "POLICIES", "MismatchError", "OutputComparison", "Report",
    "assert_matches", "compare", "compare_arrays", "compare_values", "output_rules", "ulp_budgets", "ulp_distance",
]
