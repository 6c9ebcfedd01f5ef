"""Spec rule ids: the one regex, and the scanners that link rules to code and tests.

Pure Python (no Sphinx, no pytest import), shared by ``docs/_ext/rules.py`` (the
``rule-index`` table) and ``tests/test_spec_links.py`` (the link checks), so the docs and
the tests can never disagree about what a rule id is or where it is used.

Where ids are looked for:

* **definitions**: ``.. rule:: ID`` directives starting in column 0 of ``spec/*.rst``, with
  the options ``:title:`` (required), ``:phase:`` and ``:status:`` (``active``, the default,
  or ``retired``) on the lines right after it;
* **tests**: every ``pytest.mark.rule("ID", ...)`` call in ``tests/**/*.py``, found with
  ``ast``, so decorators on functions and classes, ``pytestmark = ...`` and
  ``pytest.param(..., marks=pytest.mark.rule(...))`` all count.  Only literal strings are
  seen here; ids computed at run time are checked by ``tests/conftest.py`` instead;
* **mentions**: any text matching the regex in ``reference/**/*.{py,c,h}`` (code sites:
  comments, docstrings, error arguments) and ``tests/**/*.py``.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Chapter prefixes a rule id may start with.
PREFIXES = (
    "GRAPH", "TYPE", "OP", "FN", "SHARED", "RAND", "SCAN", "GRAD", "KERN", "PROP", "ORACLE",
)  # fmt: skip
#: PREFIX, one or more -WORD parts, then -NUMBER: e.g. SCAN-TAPS-3.
RULE_ID_RE = re.compile(rf"\b({'|'.join(PREFIXES)})(-[A-Z0-9]+)+-\d+\b")
#: Values of the ``:status:`` option; only ``retired`` rules need no test.
STATUSES = ("active", "retired")

CODE_SUFFIXES = (".py", ".c", ".h")
_DIRECTIVE_RE = re.compile(r"\.\. rule::[ \t]*(.*?)\s*$")
_OPTION_RE = re.compile(r"[ \t]+:([\w-]+):[ \t]*(.*?)\s*$")


def is_rule_id(text: str, id_re: re.Pattern[str] = RULE_ID_RE) -> bool:
    return id_re.fullmatch(text) is not None


@dataclass(frozen=True)
class Site:
    """A place in the repository: ``path`` relative to the root, 1-based ``line``, and for
    a test marker the qualified name of the test (``tests/x.py::TestA::test_b``)."""

    path: str
    line: int
    test: str | None = None

    def __str__(self) -> str:
        return self.test or f"{self.path}:{self.line}"


@dataclass(frozen=True)
class RuleDef:
    id: str
    title: str
    phase: str
    status: str
    site: Site


def parse_spec(spec_dir: Path, root: Path) -> list[RuleDef]:
    """Every ``.. rule::`` definition in ``spec_dir/*.rst``, in file and line order."""
    rules = []
    for path in sorted(spec_dir.glob("*.rst")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            m = _DIRECTIVE_RE.match(line)
            if not m:
                continue
            options = {}
            for option_line in lines[i + 1 :]:
                om = _OPTION_RE.match(option_line)
                if not om:
                    break
                options[om.group(1)] = om.group(2)
            site = Site(path.relative_to(root).as_posix(), i + 1)
            rules.append(
                RuleDef(
                    id=m.group(1),
                    title=options.get("title", ""),
                    phase=options.get("phase", ""),
                    status=options.get("status", "active"),
                    site=site,
                )
            )
    return rules


def _python_files(directory: Path) -> Iterable[Path]:
    return sorted(p for p in directory.rglob("*.py") if "__pycache__" not in p.parts)


def _is_rule_mark(func: ast.expr) -> bool:
    """``pytest.mark.rule`` or ``mark.rule`` (after ``from pytest import mark``)."""
    if not (isinstance(func, ast.Attribute) and func.attr == "rule"):
        return False
    owner = func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
        isinstance(owner, ast.Name) and owner.id == "mark"
    )


class _MarkerFinder(ast.NodeVisitor):
    def __init__(self, path: str, id_re: re.Pattern[str]):
        self.path = path
        self.id_re = id_re
        self.scope: list[str] = []
        self.found: list[tuple[str, Site]] = []

    def _visit_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        # Decorators are visited inside the scope: a marker on `def test_x` belongs to test_x.
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _visit_scope

    def visit_Call(self, node: ast.Call) -> None:
        if _is_rule_mark(node.func):
            test = "::".join([self.path, *self.scope]) if self.scope else None
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    self.found.append((arg.value, Site(self.path, node.lineno, test)))
        self.generic_visit(node)


def find_test_markers(
    test_dir: Path, root: Path, id_re: re.Pattern[str] = RULE_ID_RE
) -> dict[str, list[Site]]:
    """Rule id -> the tests whose ``pytest.mark.rule(...)`` names it (literal strings only)."""
    markers: dict[str, list[Site]] = defaultdict(list)
    for path in _python_files(test_dir):
        rel = path.relative_to(root).as_posix()
        finder = _MarkerFinder(rel, id_re)
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for rule_id, site in finder.found:
            if site not in markers[rule_id]:
                markers[rule_id].append(site)
    return dict(markers)


def find_mentions(
    directory: Path,
    root: Path,
    suffixes: tuple[str, ...] = CODE_SUFFIXES,
    id_re: re.Pattern[str] = RULE_ID_RE,
) -> dict[str, list[Site]]:
    """Rule id -> every ``path:line`` under ``directory`` whose text contains it."""
    mentions: dict[str, list[Site]] = defaultdict(list)
    if not directory.is_dir():
        return {}
    for path in sorted(directory.rglob("*")):
        if path.suffix not in suffixes or "__pycache__" in path.parts or not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in id_re.finditer(line):
                site = Site(rel, lineno)
                if site not in mentions[m.group(0)]:
                    mentions[m.group(0)].append(site)
    return dict(mentions)


@dataclass
class LinkReport:
    """What ``check_links`` found; every field is empty when spec, code and tests agree."""

    #: non-retired rules that no test marks
    untested: list[RuleDef] = field(default_factory=list)
    #: ids used in tests or code that no rule defines -> where they are used
    unknown: dict[str, list[Site]] = field(default_factory=dict)
    #: ids defined more than once -> all definitions
    duplicates: dict[str, list[RuleDef]] = field(default_factory=dict)
    #: definitions with a malformed id, a missing title or an unknown status
    malformed: list[RuleDef] = field(default_factory=list)
    #: non-retired rules other than laws (``:phase: law``) that no line of code names
    unimplemented: list[RuleDef] = field(default_factory=list)


def check_links(
    root: Path,
    *,
    spec_dir: str = "spec",
    test_dir: str = "tests",
    code_dir: str = "reference",
    id_re: re.Pattern[str] = RULE_ID_RE,
) -> LinkReport:
    """Compare the rules in ``root/spec_dir`` with the ids used in tests and code."""
    rules = parse_spec(root / spec_dir, root)
    markers = find_test_markers(root / test_dir, root, id_re)
    used: dict[str, list[Site]] = defaultdict(list)
    for mentions in (
        markers,  # also catches marker ids the regex does not match, e.g. "scan-taps-3"
        find_mentions(root / test_dir, root, (".py",), id_re),
        find_mentions(root / code_dir, root, CODE_SUFFIXES, id_re),
    ):
        for rule_id, sites in mentions.items():
            seen = {(s.path, s.line) for s in used[rule_id]}
            used[rule_id].extend(s for s in sites if (s.path, s.line) not in seen)

    report = LinkReport()
    by_id: dict[str, list[RuleDef]] = defaultdict(list)
    for rule in rules:
        by_id[rule.id].append(rule)
        if not is_rule_id(rule.id, id_re) or not rule.title or rule.status not in STATUSES:
            report.malformed.append(rule)
    report.duplicates = {i: defs for i, defs in by_id.items() if len(defs) > 1}
    report.untested = [
        defs[0] for i, defs in by_id.items() if defs[0].status != "retired" and i not in markers
    ]
    report.unknown = {i: sites for i, sites in sorted(used.items()) if i not in by_id}
    code_ids = set(find_mentions(root / code_dir, root, CODE_SUFFIXES, id_re))
    report.unimplemented = [
        defs[0] for i, defs in by_id.items()
        if defs[0].status != "retired" and defs[0].phase != "law" and i not in code_ids
    ]
    return report
