"""``python -m reference survey-pytensor``: PyTensor's backends against the spec.
Spec: spec/6-oracle.rst (ORACLE-SURVEY-1).

Runs generated scan programs, the seed guide's examples and one probe per known backend
disagreement through every installed PyTensor backend, compares each result with the
reference, and prints an agreement table by backend and by rule, with the smallest
reproducer of every disagreement.  ``--rst FILE`` also writes the tables as a docs page.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import io
import platform
import sys
import time
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: The known disagreements of the design notes (scan-semantics.md R18), by the rule that
#: decides them.
KNOWN = {
    "SCAN-STEPS-3": "B1, B2, B3, B16",
    "SCAN-STEPS-4": "B4",
    "SCAN-OUT-3": "B5",
    "OP-INDEX-3": "B6, B7, B8",
    "SCAN-INIT-2": "B9",
    "SCAN-OUT-2": "B11",
    "GRAD-SCAN-8": "B12",
    "SCAN-BACK-1": "B19",
}

#: The seed examples (``reference.examples``) and the rule each illustrates.
EXAMPLE_RULES = {
    "power_of_a": "SCAN-MEM-1",
    "polynomial": "SCAN-STEPS-1",
    "triangular_numbers": "SCAN-TYPE-1",
    "set_value_at_position": "SCAN-OUT-1",
    "shared_updates": "SCAN-UPD-3",
    "gibbs_sampling": "SCAN-UPD-3",
    "powers_of_two": "SCAN-UNTIL-1",
}


@dataclass(frozen=True)
class Probe:
    """A known disagreement as a program: ``source`` defines ``inputs``, ``outputs`` and
    ``values`` given ``pytensor``, ``pt``, ``np``, ``until`` and ``grad``."""

    name: str
    bug: str
    rules: tuple[str, ...]
    source: str


PROBES = [
    Probe("n_steps above the sequence length, mapped output", "B1/B2", ("SCAN-STEPS-3",), """
x, n = pt.vector("x"), pt.iscalar("n")
outputs = [pytensor.scan(lambda a: a * 2, sequences=x, n_steps=n, return_updates=False)]
inputs, values = [x, n], [np.arange(3.0), np.int32(5)]
"""),
    Probe("n_steps above the sequence length, recurrent output", "B1", ("SCAN-STEPS-3",), """
x, h0, n = pt.vector("x"), pt.scalar("h0"), pt.iscalar("n")
outputs = [pytensor.scan(lambda a, h: h + a, sequences=x, outputs_info=h0, n_steps=n, return_updates=False)]
inputs, values = [x, h0, n], [np.arange(3.0), np.float64(0.0), np.int32(8)]
"""),
    Probe("the length of such an output", "B3", ("SCAN-STEPS-3",), """
x, h0, n = pt.vector("x"), pt.scalar("h0"), pt.iscalar("n")
r = pytensor.scan(lambda a, h: h + a, sequences=x, outputs_info=h0, n_steps=n, return_updates=False)
outputs = [r.shape[0]]
inputs, values = [x, h0, n], [np.arange(3.0), np.float64(0.0), np.int32(5)]
"""),
    Probe("negative n_steps", "B4", ("SCAN-STEPS-4",), """
x, n = pt.vector("x"), pt.iscalar("n")
outputs = [pytensor.scan(lambda a: a * 2, sequences=x, n_steps=n, return_updates=False)]
inputs, values = [x, n], [np.arange(3.0), np.int32(-1)]
"""),
    Probe("a mapped output over zero steps", "B5", ("SCAN-OUT-3",), """
h0, v, n = pt.scalar("h0"), pt.vector("v"), pt.iscalar("n")
outputs = pytensor.scan(lambda h, v_: [h + 1, v_ * h], outputs_info=[h0, None], non_sequences=v,
                        n_steps=n, return_updates=False)
inputs, values = [h0, v, n], [np.float64(0.0), np.ones(5), np.int32(0)]
"""),
    Probe("the last row of an empty output", "B6", ("OP-INDEX-3",), """
x0, n = pt.vector("x0"), pt.iscalar("n")
xs = pytensor.scan(lambda h: h + 1, outputs_info=x0, n_steps=n, return_updates=False)
outputs = [xs[-1]]
inputs, values = [x0, n], [np.array([0.0, 1.0]), np.int32(0)]
"""),
    Probe("a constant index past the end of an output", "B7", ("OP-INDEX-3",), """
h0 = pt.scalar("h0")
ys = pytensor.scan(lambda h: h + 1, outputs_info=h0, n_steps=1, return_updates=False)
outputs = [ys[2]]
inputs, values = [h0], [np.float64(0.0)]
"""),
    Probe("a positive index into a while loop with constant n_steps", "B8", ("OP-INDEX-3",), """
max_value = pt.scalar("max_value")
values_ = pytensor.scan(lambda p, m: (p * 2, until(p * 2 > m)), outputs_info=pt.constant(np.float64(1.0)),
                        non_sequences=max_value, n_steps=1024, return_updates=False)
outputs = [values_[0], values_[2]]
inputs, values = [max_value], [np.float64(45.0)]
"""),
    Probe("a multi-tap initial state with too few rows", "B9", ("SCAN-INIT-2",), """
m0 = pt.vector("m0")
outputs = [pytensor.scan(lambda a, b: a * 100 + b, outputs_info=dict(initial=m0, taps=[-3, -1]),
                         n_steps=4, return_updates=False)]
inputs, values = [m0], [np.array([1.0, 2.0])]
"""),
    Probe("a step result that would broadcast into a row", "B11", ("SCAN-OUT-2",), """
i = pt.vector("i", dtype="int64")
outputs = [pytensor.scan(lambda k: pt.ones(pt.switch(pt.eq(k, 0), 3, 1)) * (k + 1), sequences=i,
                         return_updates=False)]
inputs, values = [i], [np.arange(3)]
"""),
    Probe("truncate_gradient=0", "B12", ("GRAD-SCAN-8",), """
x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("w")
hs = pytensor.scan(lambda a, h, w_: w_ * h + a, sequences=x, outputs_info=h0, non_sequences=w,
                   truncate_gradient=0, return_updates=False)
outputs = grad((hs ** 2).sum(), [x, h0, w])
inputs, values = [x, h0, w], [np.array([1.0, 0.5, -1.0, 2.0]), np.float64(0.3), np.float64(0.9)]
"""),
    Probe("constant n_steps=1 with go_backwards", "B19", ("SCAN-BACK-1",), """
x = pt.vector("x")
outputs = [pytensor.scan(lambda a: a, sequences=x, n_steps=1, go_backwards=True, return_updates=False)]
inputs, values = [x], [10 * np.arange(8.0)]
"""),
]


# -- backends --------------------------------------------------------------------------------
def backends(names: list[str] | None = None) -> dict[str, Any]:
    """The installed PyTensor backends: name -> mode."""
    from pytensor.compile.mode import Mode

    found: dict[str, Any] = {"py": Mode(linker="py", optimizer=None), "fast_compile": "FAST_COMPILE"}
    import pytensor

    if pytensor.config.cxx:
        found["cvm"] = Mode(linker="cvm", optimizer="fast_run")
    for module, name, mode in (("numba", "numba", "NUMBA"), ("jax", "jax", "JAX")):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
            found[name] = mode
    if names:
        unknown = [n for n in names if n not in found]
        if unknown:
            raise SystemExit(f"unknown or unavailable backend(s) {unknown}; available: {sorted(found)}")
        found = {n: found[n] for n in names}
    return found


# -- one case on one backend -------------------------------------------------------------------
@dataclass
class Outcome:
    """One case on one backend: ``status`` is ``agree``, ``differ``, ``last-bits`` (differs
    under the ulp policy, agrees under the dtype policy) or ``no-compile``."""

    status: str
    rule: str | None = None
    summary: str = ""


@dataclass
class Case:
    kind: str                      # "generated", "example", "probe"
    name: str
    rules: list[str]
    source: str                    # a reproducer
    size: int
    outcomes: dict[str, Outcome] = field(default_factory=dict)


def _classify(report: Any, relaxed: Callable[[], Any] | None) -> Outcome:
    if report.ok:
        return Outcome("agree", report.rule, report.summary())
    if relaxed is not None and report.expected_error is None and report.actual_error is None:
        with contextlib.suppress(Exception):
            if relaxed().ok:
                return Outcome("last-bits", report.rule, report.summary())
    return Outcome("differ", report.rule, report.summary())


def _quiet() -> contextlib.AbstractContextManager:
    stack = contextlib.ExitStack()
    stack.enter_context(warnings.catch_warnings())
    warnings.simplefilter("ignore")
    stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
    stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
    return stack


def _run_graph(build: Callable[[str], tuple[list, list, list]], mode: Any) -> Outcome:
    """``build(library)`` gives ``(inputs, outputs, values)``; compare PyTensor under
    ``mode`` with the reference."""
    import pytensor

    from reference.testing.compare import compare

    try:
        ref_inputs, ref_outputs, values = build("reference")
        ref_error = None
    except Exception as error:  # noqa: BLE001 - the reference refuses the program
        ref_error, ref_inputs, ref_outputs, values = error, [], [], None
    try:
        with _quiet():
            pt_inputs, pt_outputs, pt_values = build("pytensor")
            f = pytensor.function(pt_inputs, pt_outputs, mode=mode, on_unused_input="ignore")
    except NotImplementedError as error:
        if ref_error is not None:
            return Outcome("agree", getattr(ref_error, "rule", None), "both refuse the program")
        return Outcome("no-compile", None, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    except Exception as error:  # noqa: BLE001
        if ref_error is not None:
            return Outcome("agree", getattr(ref_error, "rule", None), "both refuse the program")
        return Outcome("differ", None, f"PyTensor refuses the program: {type(error).__name__}: "
                                       f"{str(error).splitlines()[0] if str(error) else ''}")
    values = values if values is not None else pt_values
    copies = lambda: [np.array(v, copy=True) for v in values]  # noqa: E731

    def actual(*_: Any) -> Any:
        with _quiet():
            return f(*copies())

    if ref_error is not None:
        try:
            actual()
        except Exception:  # noqa: BLE001
            return Outcome("agree", getattr(ref_error, "rule", None), "both raise")
        return Outcome("differ", getattr(ref_error, "rule", None),
                       f"the reference refuses the program ({type(ref_error).__name__}: "
                       f"{str(ref_error).splitlines()[0]}) but PyTensor runs it")
    inputs = dict(zip(ref_inputs, values, strict=True))
    try:
        produced = actual()
        got: Any = produced
    except Exception as error:  # noqa: BLE001
        got, error_ = None, error

        def raising(*_: Any) -> Any:
            raise error_

        report = compare(raising, ref_outputs, inputs)
        return _classify(report, None)
    report = compare(list(got) if isinstance(got, list) else [got], ref_outputs, inputs)
    return _classify(report, lambda: compare(list(got) if isinstance(got, list) else [got],
                                             ref_outputs, inputs, policy="dtype"))


def _library(name: str) -> dict[str, Any]:
    if name == "reference":
        import reference as lib
        import reference.tensor as pt
        from reference.scan.utils import until
    else:
        import pytensor as lib
        import pytensor.tensor as pt
        from pytensor.scan.utils import until
    return {"pytensor": lib, "pt": pt, "np": np, "until": until, "grad": lib.grad}


def _probe_builder(probe: Probe) -> Callable[[str], tuple[list, list, list]]:
    def build(library: str) -> tuple[list, list, list]:
        namespace = _library(library)
        exec(compile(probe.source, f"<probe {probe.name}>", "exec"), namespace)  # noqa: S102
        return namespace["inputs"], list(namespace["outputs"]), namespace["values"]
    return build


def _program_builder(program: Any) -> Callable[[str], tuple[list, list, list]]:
    def build(library: str) -> tuple[list, list, list]:
        inputs, outputs = program.build(library)
        return inputs, outputs, program.input_values()
    return build


# -- the seed examples ---------------------------------------------------------------------------
def _pytensor_examples(mode: Any) -> dict[str, Callable[[], list]]:
    """``reference.examples`` run with ``pytensor`` bound to PyTensor (the guide's code is
    PyTensor's), every function compiled with ``mode``."""
    import pytensor
    import pytensor.tensor as pt

    import reference.examples

    scan_utils = importlib.import_module("pytensor.scan.utils")  # pytensor.scan is the function

    shim = types.ModuleType("pytensor_for_the_survey")
    shim.__dict__.update({k: getattr(pytensor, k) for k in dir(pytensor) if not k.startswith("__")})

    def function(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("mode", mode)
        return pytensor.function(*args, **kwargs)

    class Scan:
        utils = scan_utils  # the guide's pytensor.scan.utils.until

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return pytensor.scan(*args, **kwargs)

    shim.function = function
    shim.scan = Scan()
    source = inspect.getsource(reference.examples)
    source = source.replace("import reference as pytensor\n", "").replace("import reference.tensor as pt\n", "")
    namespace: dict[str, Any] = {"pytensor": shim, "pt": pt, "np": np, "__name__": "pytensor_examples"}
    exec(compile(source, "<reference.examples under PyTensor>", "exec"), namespace)  # noqa: S102
    return namespace["EXAMPLES"]


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return [item for v in value for item in _flatten(v)]
    return [np.asarray(value)]


def _run_example(name: str, mode: Any) -> Outcome:
    from reference.examples import EXAMPLES
    from reference.testing.compare import compare_arrays

    expected = _flatten(EXAMPLES[name]())
    try:
        with _quiet():
            actual = _flatten(_pytensor_examples(mode)[name]())
    except NotImplementedError as error:
        return Outcome("no-compile", None, f"{type(error).__name__}: {str(error).splitlines()[0]}")
    except Exception as error:  # noqa: BLE001
        return Outcome("differ", EXAMPLE_RULES.get(name), f"PyTensor raised {type(error).__name__}: "
                                                           f"{str(error).splitlines()[0] if str(error) else ''}")
    report = compare_arrays(expected, actual, policy="exact", check_dtype=False)
    if report.ok:
        return Outcome("agree", EXAMPLE_RULES.get(name), report.summary())
    relaxed = compare_arrays(expected, actual, policy="dtype", check_dtype=False)
    status = "last-bits" if relaxed.ok else "differ"
    return Outcome(status, EXAMPLE_RULES.get(name), report.summary())


# -- generating ------------------------------------------------------------------------------------
def generated_programs(count: int, seed: int | None) -> list[Any]:
    """``count`` programs of ``scan_programs(allow_errors=True)``, the same ones on every
    run unless ``seed`` is given."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    from reference.testing.strategies import scan_programs

    programs: list[Any] = []
    seen: set[str] = set()

    @settings(max_examples=count, derandomize=seed is None, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(scan_programs(allow_errors=True))
    def collect(program: Any) -> None:
        key = program.source()
        if key not in seen:
            seen.add(key)
            programs.append(program)

    if seed is not None:
        collect = hypothesis_seed(seed)(collect)
    collect()
    return programs


def _size(program: Any) -> int:
    return len(program.graph_source()) + sum(np.asarray(v).size for v in program.input_values()) * 4


# -- the survey ------------------------------------------------------------------------------------
def run_survey(count: int = 60, seed: int | None = None, backend_names: list[str] | None = None,
               progress: Callable[[str], None] | None = None) -> tuple[dict[str, Any], list[Case]]:
    """Run every case on every backend (ORACLE-SURVEY-1)."""
    modes = backends(backend_names)
    cases: list[Case] = []
    for program in generated_programs(count, seed):
        cases.append(Case("generated", f"program {len(cases)}", program.rules(), program.source(),
                          _size(program)))
        cases[-1].program = program  # type: ignore[attr-defined]
    from reference.examples import EXAMPLES

    for name in EXAMPLES:
        cases.append(Case("example", name, [EXAMPLE_RULES.get(name, "SCAN-OUT-1")],
                          f"reference/examples.py: {name}", 0))
    for probe in PROBES:
        source = "import numpy as np\nimport pytensor\nimport pytensor.tensor as pt\n" \
                 "from pytensor.scan.utils import until\nfrom pytensor import grad\n" + probe.source + \
                 "print(pytensor.function(inputs, outputs)(*values))\n"
        cases.append(Case("probe", f"{probe.bug}: {probe.name}", list(probe.rules), source, 0))
        cases[-1].probe = probe  # type: ignore[attr-defined]
    for backend, mode in modes.items():
        start = time.perf_counter()
        for case in cases:
            if case.kind == "generated":
                outcome = _run_graph(_program_builder(case.program), mode)  # type: ignore[attr-defined]
            elif case.kind == "probe":
                outcome = _run_graph(_probe_builder(case.probe), mode)  # type: ignore[attr-defined]
            else:
                outcome = _run_example(case.name, mode)
            if case.kind != "generated" and outcome.status != "agree" and outcome.rule != case.rules[0]:
                outcome.rule = case.rules[0]  # the behaviour the probe or example is about
                if outcome.summary.endswith("]") and " [" in outcome.summary:
                    outcome.summary = outcome.summary[: outcome.summary.rindex(" [")]
                outcome.summary += f" [{outcome.rule}]"
            case.outcomes[backend] = outcome
        if progress is not None:
            progress(f"{backend}: {len(cases)} cases in {time.perf_counter() - start:.1f} s")
    return modes, cases


# -- tables ------------------------------------------------------------------------------------------
def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _rst_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    rule = "  ".join("=" * w for w in widths)
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return [rule, line(header), rule, *(line(r) for r in rows), rule]


def by_backend(modes: dict[str, Any], cases: list[Case]) -> tuple[list[str], list[list[str]]]:
    header = ["backend", "cases", "agree", "differ", "last bits only", "does not compile"]
    rows = []
    for backend in modes:
        counts = {s: 0 for s in ("agree", "differ", "last-bits", "no-compile")}
        for case in cases:
            counts[case.outcomes[backend].status] += 1
        rows.append([backend, str(len(cases)), str(counts["agree"]), str(counts["differ"]),
                     str(counts["last-bits"]), str(counts["no-compile"])])
    return header, rows


def by_rule(modes: dict[str, Any], cases: list[Case]) -> tuple[list[str], list[list[str]]]:
    """Per rule and backend: ``agree/cases``, a disagreement counted under the rule its
    report names; ``+k`` last-bits differences, ``k n/c`` cases that do not compile."""
    totals: dict[str, dict[str, list[int]]] = {}
    for case in cases:
        rules = set(case.rules)
        for backend in modes:
            outcome = case.outcomes[backend]
            if outcome.status != "agree" and outcome.rule:
                rules.add(outcome.rule)
        for rule in rules:
            for backend in modes:
                cell = totals.setdefault(rule, {}).setdefault(backend, [0, 0, 0, 0])
                outcome = case.outcomes[backend]
                cell[0] += 1
                attributed = outcome.rule == rule or (outcome.rule is None and rule == case.rules[0])
                if outcome.status == "differ" and attributed:
                    cell[1] += 1
                elif outcome.status == "last-bits" and attributed:
                    cell[2] += 1
                elif outcome.status == "no-compile" and rule == case.rules[0]:
                    cell[3] += 1
    header = ["rule", *modes, "known as"]
    rows = []
    for rule in sorted(totals):
        row = [rule]
        for backend in modes:
            total, differ, bits, nc = totals[rule][backend]
            text = f"{total - differ - bits - nc}/{total}"
            if bits:
                text += f" +{bits}b"
            if nc:
                text += f" {nc}nc"
            row.append(text)
        row.append(KNOWN.get(rule, ""))
        rows.append(row)
    return header, rows


def disagreements(modes: dict[str, Any], cases: list[Case]) -> list[tuple[str, str, str, list[Case]]]:
    """``(backend, rule, status, cases)`` for every class of non-agreement, smallest case
    first."""
    classes: dict[tuple[str, str, str], list[Case]] = {}
    for case in cases:
        for backend in modes:
            outcome = case.outcomes[backend]
            if outcome.status != "agree":
                key = (backend, outcome.rule or case.rules[0], outcome.status)
                classes.setdefault(key, []).append(case)
    order = {"differ": 0, "no-compile": 1, "last-bits": 2}
    result = []
    for (backend, rule, status), members in sorted(classes.items(), key=lambda kv: (kv[0][1], order[kv[0][2]], kv[0][0])):
        members.sort(key=lambda c: (c.kind != "probe", c.kind != "example", c.size))
        result.append((backend, rule, status, members))
    return result


def environment() -> str:
    import pytensor

    versions = [f"PyTensor {pytensor.__version__}", f"numpy {np.__version__}", f"Python {platform.python_version()}"]
    for module in ("numba", "jax"):
        with contextlib.suppress(ImportError):
            versions.append(f"{module} {importlib.import_module(module).__version__}")
    import reference

    versions.append(f"reference {reference.__version__}")
    return ", ".join(versions)


def by_rule_groups(modes: dict[str, Any], cases: list[Case]) -> list[tuple[str, list[tuple[str, str, list[Case]]]]]:
    """The disagreements grouped by rule: ``(rule, [(backend, status, cases), ...])``."""
    groups: dict[str, list[tuple[str, str, list[Case]]]] = {}
    for backend, rule, status, members in disagreements(modes, cases):
        groups.setdefault(rule, []).append((backend, status, members))
    return sorted(groups.items())


def _reproducers(entries: list[tuple[str, str, list[Case]]]) -> list[Case]:
    """The smallest probe and the smallest generated program among a rule's disagreements."""
    chosen: list[Case] = []
    for kind in ("probe", "generated"):
        members = [c for _, _, cases_ in entries for c in cases_ if c.kind == kind]
        if members:
            chosen.append(min(members, key=lambda c: c.size))
    return chosen


def findings(modes: dict[str, Any], cases: list[Case]) -> list[str]:
    """One sentence per rule with disagreements: which backends, how many cases."""
    from reference.testing.compare import rule_titles

    titles = rule_titles()
    lines = []
    for rule, entries in by_rule_groups(modes, cases):
        differing = [(b, st, len(m)) for b, st, m in entries if st == "differ"]
        other = [(b, st, len(m)) for b, st, m in entries if st != "differ"]
        parts = []
        if differing:
            backends_ = [b for b, _, _ in differing]
            everyone = len(backends_) == len(modes) > 1
            who = "every backend" if everyone else ", ".join(backends_)
            counts = ", ".join(f"{b} {k}" for b, _, k in differing)
            parts.append(f"{who} {'disagrees' if everyone or len(backends_) == 1 else 'disagree'} "
                         f"with the spec (cases: {counts})")
        for backend, status, k in other:
            parts.append(f"{backend}: {k} case(s) {'in the last bits only' if status == 'last-bits' else 'do not compile'}")
        known = f", known as {KNOWN[rule]}" if rule in KNOWN else ""
        title = f" ({titles[rule]})" if rule in titles else ""
        lines.append(f"{rule}{title}{known}: " + "; ".join(parts) + ".")
    return lines


def text_report(modes: dict[str, Any], cases: list[Case]) -> str:
    lines = [f"Survey of PyTensor's scan backends against the spec ({environment()})", ""]
    kinds = {k: sum(c.kind == k for c in cases) for k in ("generated", "example", "probe")}
    lines.append(f"{len(cases)} cases: {kinds['generated']} generated programs, {kinds['example']} seed "
                 f"examples, {kinds['probe']} probes; backends: {', '.join(modes)}")
    lines.append("")
    lines.extend(_grid(*by_backend(modes, cases)))
    lines.append("")
    lines.append("By rule (agree/cases; +kb: k more differ in the last bits only; k nc: k do not compile):")
    lines.extend(_grid(*by_rule(modes, cases)))
    lines.append("")
    lines.append("Findings:")
    lines.extend("  " + line for line in findings(modes, cases))
    lines.append("")
    lines.append("Disagreements by rule, with the smallest reproducers:")
    for rule, entries in by_rule_groups(modes, cases):
        lines.append("")
        lines.append(f"[{rule}]" + (f" known as {KNOWN[rule]}" if rule in KNOWN else ""))
        for backend, status, members in entries:
            lines.append(f"  {backend}: {status}, {len(members)} case(s); e.g. {members[0].name}: "
                         f"{members[0].outcomes[backend].summary}")
        for case in _reproducers(entries):
            lines.append(f"  reproducer ({case.name}):")
            lines.extend("    " + line for line in case.source.rstrip().splitlines())
    return "\n".join(lines)


RST_HEAD = """\
.. This page is generated by ``python -m reference survey-pytensor --examples 100 --rst
   docs/survey.rst`` (run under Python 3.12 with PyTensor installed); edit
   reference/interop/survey.py, not this file.

Survey: PyTensor's backends against the spec
============================================

``python -m reference survey-pytensor`` (:rule:`ORACLE-SURVEY-1`) ran scan programs
through every PyTensor backend installed here and compared each result with the reference.
The cases are generated programs (:rule:`ORACLE-STRAT-1`, with ``allow_errors=True``:
some programs ask for more steps than their sequences provide, or a negative number),
the seed guide's examples (``reference.examples``, run with ``pytensor`` bound to
PyTensor) and one probe per known disagreement that the generated programs cannot
express.  Backends: ``py`` is ``Mode(linker="py", optimizer=None)``, the closest thing to
PyTensor's own semantics; ``fast_compile`` is ``"FAST_COMPILE"``; ``cvm`` is
``Mode(linker="cvm", optimizer="fast_run")`` (C); ``numba`` is ``"NUMBA"``, PyTensor's
default; ``jax`` is ``"JAX"`` when JAX is installed.

A case *agrees* when the results match under the ``"ulp"`` policy
(:rule:`ORACLE-TOL-2`), or when both raise; *last bits only* when they differ under that
policy but agree under the ``"dtype"`` policy (:rule:`ORACLE-TOL-3`); *does not compile*
when PyTensor cannot compile the program on that backend.  A disagreement is counted
under the rule its report names (:rule:`ORACLE-REPORT-2`); a probe's or an example's
under the rule it is about.  *Known as* gives the ids of the design notes' list of
backend bugs (B1 to B19).  Where the spec deliberately differs from PyTensor,
:doc:`spec/C-divergences` says why.

"""


def _rule_role(rule: str) -> str:
    """A link to the rule when the spec defines it, else the id as literal text."""
    from reference.testing.compare import rule_titles

    return f":rule:`{rule}`" if rule in rule_titles() else f"``{rule}``"


def rst_report(modes: dict[str, Any], cases: list[Case]) -> str:
    lines = [RST_HEAD]
    kinds = {k: sum(c.kind == k for c in cases) for k in ("generated", "example", "probe")}
    lines.append(f"Environment: {environment()}.  Backends: {', '.join(modes)}.  {len(cases)} cases: "
                 f"{kinds['generated']} generated programs, {kinds['example']} seed examples, "
                 f"{kinds['probe']} probes.")
    lines.append("")
    lines += ["By backend", "----------", ""]
    lines.extend(_rst_table(*by_backend(modes, cases)))
    lines += ["", "By rule", "-------", ""]
    lines.append("Each cell is *agree/cases* among the cases that exercise the rule or whose "
                 "disagreement is counted under it; ``+kb``: *k* more differ in the last bits "
                 "only; ``k nc``: *k* do not compile.")
    lines.append("")
    header, rows = by_rule(modes, cases)
    lines.extend(_rst_table(header, [[_rule_role(r[0]), *r[1:]] for r in rows]))
    lines += ["", "What the survey found", "---------------------", ""]
    for line in findings(modes, cases):
        rule = line.split(" ", 1)[0].rstrip(",:")
        lines.append(f"* {_rule_role(rule)}{line[len(rule):]}")
    groups = by_rule_groups(modes, cases)
    spec_choices = [r for r, entries in groups if any(b == "py" and st == "differ" for b, st, _ in entries)]
    backend_bugs = [r for r, entries in groups if r not in spec_choices
                    and any(st == "differ" for _, st, _ in entries)]
    if "py" in modes and (spec_choices or backend_bugs):
        lines.append("")
        if spec_choices:
            lines.append("Where even ``py`` (PyTensor's own loop, no rewrites) disagrees, the spec chose "
                         "another behaviour than PyTensor on purpose, or PyTensor builds no loop at all "
                         "(its eager path for a constant ``n_steps=1``); :doc:`spec/C-divergences` gives "
                         "the reasons: " + ", ".join(_rule_role(r) for r in spec_choices) + ".")
        if backend_bugs:
            lines.append("")
            lines.append("Where ``py`` agrees and another backend does not, the other backend or "
                         "PyTensor's rewrites change what the program means: "
                         + ", ".join(_rule_role(r) for r in backend_bugs) + ".")
    lines += ["", "Disagreements and reproducers", "-----------------------------", ""]
    lines.append("For each rule: every backend that disagrees, with the first case's report, and "
                 "the smallest probe and generated program as scripts (they print PyTensor's "
                 "result on its default backend; pass ``mode=`` to ``pytensor.function`` for "
                 "another).")
    for rule, entries in by_rule_groups(modes, cases):
        lines.append("")
        title = rule + (f" ({KNOWN[rule]})" if rule in KNOWN else "")
        lines += [title, "~" * len(title), ""]
        for backend, status, members in entries:
            summary = members[0].outcomes[backend].summary.replace("`", "'")
            lines.append(f"* {backend}: {status}, {len(members)} case(s); {members[0].name}: ``{summary}``")
        for case in _reproducers(entries):
            lines += ["", f"{case.name}:", "", ".. code-block:: python", ""]
            lines.extend("   " + line if line else "" for line in case.source.rstrip().splitlines())
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference survey-pytensor",
                                     description="PyTensor's scan backends against the spec.")
    parser.add_argument("--examples", type=int, default=60, help="generated programs (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="draw other programs (default: fixed)")
    parser.add_argument("--backends", default=None, help="comma-separated, e.g. py,numba")
    parser.add_argument("--rst", default=None, help="also write the report as a reStructuredText page")
    args = parser.parse_args(argv)
    try:
        import pytensor  # noqa: F401
    except ImportError:
        print("survey-pytensor needs PyTensor: pip install 'reference[pytensor]' (Python 3.12+)",
              file=sys.stderr)
        return 2
    names = args.backends.split(",") if args.backends else None
    modes, cases = run_survey(args.examples, args.seed, names,
                              progress=lambda text: print(text, file=sys.stderr))
    print(text_report(modes, cases))
    if args.rst:
        with open(args.rst, "w", encoding="utf-8") as handle:
            handle.write(rst_report(modes, cases))
    return 0


__all__ = ["KNOWN", "PROBES", "Probe", "backends", "main", "run_survey", "rst_report", "text_report"]
