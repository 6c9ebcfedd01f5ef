"""The spec, the code and the tests name the same rules (docs/contributing.rst, "Rules").

Checked without Sphinx: rules are read from ``spec/*.rst``, markers from the test files
with ``ast``, and mentions from the text of ``reference/`` and ``tests/``; all three by
``docs/_ext/rule_ids.py``, the module the docs' rule index uses too.

The checker's own tests further down run it on small made-up trees.  Their ids start with
FIXTURE, which is not a rule prefix, so they are not mistaken for uses of real rules.
"""

import re
import textwrap
from pathlib import Path

import pytest

import rule_ids

ROOT = Path(__file__).resolve().parent.parent


def where(sites) -> str:
    """``a.py:3,9, b.py:1`` for lines, node ids for tests, in first-seen order."""
    lines: dict[str, list[str]] = {}
    for site in sites:
        if site.test:
            lines.setdefault(site.test, [])
        else:
            lines.setdefault(site.path, []).append(str(site.line))
    return ", ".join(
        f"{place}:{','.join(nums)}" if nums else place for place, nums in lines.items()
    )


def untested_message(report: rule_ids.LinkReport) -> str:
    listed = "; ".join(f"{r.id} ({r.site})" for r in report.untested)
    return f"rules with no test marked @pytest.mark.rule(ID): {listed}"


def unknown_message(report: rule_ids.LinkReport) -> str:
    listed = "; ".join(f"{i} at {where(sites)}" for i, sites in report.unknown.items())
    return f"ids used but not defined in spec/: {listed}"


def duplicates_message(report: rule_ids.LinkReport) -> str:
    listed = "; ".join(
        f"{i} at {', '.join(str(r.site) for r in defs)}" for i, defs in report.duplicates.items()
    )
    return f"rules defined more than once: {listed}"


def malformed_message(report: rule_ids.LinkReport) -> str:
    listed = "; ".join(
        f"{r.id!r} at {r.site} (title={r.title!r}, status={r.status!r})" for r in report.malformed
    )
    return (
        "malformed rule definitions (the id must match rule_ids.RULE_ID_RE, :title: is "
        f"required, :status: is one of {', '.join(rule_ids.STATUSES)}): {listed}"
    )


# -- the repository's own links ----------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> rule_ids.LinkReport:
    return rule_ids.check_links(ROOT)


def test_every_active_rule_has_a_test(report):
    if report.untested:
        pytest.fail(untested_message(report), pytrace=False)


def test_every_rule_but_a_law_names_its_implementing_code(report):
    if report.unimplemented:
        ids = ", ".join(f"{r.id} ({r.site})" for r in report.unimplemented)
        pytest.fail(f"rules no line under reference/ names (cite the id where it is implemented): {ids}", pytrace=False)


def test_every_used_id_is_defined(report):
    if report.unknown:
        pytest.fail(unknown_message(report), pytrace=False)


def test_no_rule_is_defined_twice(report):
    if report.duplicates:
        pytest.fail(duplicates_message(report), pytrace=False)


def test_rule_definitions_are_well_formed(report):
    if report.malformed:
        pytest.fail(malformed_message(report), pytrace=False)


def test_rule_markers_of_this_session_are_defined(collected_rule_markers):
    """Markers as pytest applied them: catches ids that are built at run time."""
    if collected_rule_markers.malformed:
        pytest.fail(
            f"malformed rule markers: {'; '.join(collected_rule_markers.malformed)}", pytrace=False
        )
    defined = {rule.id for rule in rule_ids.parse_spec(ROOT / "spec", ROOT)}
    unknown = {i: n for i, n in collected_rule_markers.by_id.items() if i not in defined}
    if unknown:
        listed = "; ".join(f"{i} on {', '.join(nodes)}" for i, nodes in unknown.items())
        pytest.fail(f"rule markers naming no rule in spec/: {listed}", pytrace=False)


# -- the checker itself, on made-up trees ------------------------------------------------

FIXTURE_RE = re.compile(r"\bFIXTURE(-[A-Z0-9]+)+-\d+\b")


def make_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def check(root: Path) -> rule_ids.LinkReport:
    return rule_ids.check_links(root, id_re=FIXTURE_RE)


SPEC = textwrap.dedent("""\
    Chapter
    =======

    .. rule:: FIXTURE-LINKS-1
       :title: A tested rule
       :phase: exec

       Body.

    .. rule:: FIXTURE-LINKS-2
       :title: A rule nobody tests

       Body.

    .. rule:: FIXTURE-LINKS-3
       :title: An old rule
       :status: retired

       Retired rules need no test.

    .. code-block:: rst

       .. rule:: FIXTURE-LINKS-4
          :title: An example inside a code block is not a definition
""")

TESTS = textwrap.dedent("""\
    import pytest

    @pytest.mark.rule("FIXTURE-LINKS-1")
    def test_links_1():
        pass
""")


def test_checker_reports_a_rule_without_a_test(tmp_path):
    root = make_tree(tmp_path, {"spec/1-x.rst": SPEC, "tests/test_x.py": TESTS})
    report = check(root)
    assert [r.id for r in report.untested] == ["FIXTURE-LINKS-2"]
    assert report.untested[0].site == rule_ids.Site("spec/1-x.rst", 10)
    assert "FIXTURE-LINKS-2 (spec/1-x.rst:10)" in untested_message(report)
    assert not report.unknown and not report.duplicates and not report.malformed


def test_checker_passes_when_every_rule_is_tested(tmp_path):
    tests = TESTS + '\n@pytest.mark.rule("FIXTURE-LINKS-2")\ndef test_links_2():\n    pass\n'
    code = "# FIXTURE-LINKS-1 and FIXTURE-LINKS-2 are implemented here\n"
    root = make_tree(tmp_path, {"spec/1-x.rst": SPEC, "tests/test_x.py": tests, "reference/x.py": code})
    assert check(root) == rule_ids.LinkReport()


def test_checker_reports_a_rule_without_code_unless_it_is_a_law(tmp_path):
    spec = SPEC.replace(":title: A rule nobody tests", ":title: A law\n   :phase: law")
    root = make_tree(tmp_path, {"spec/1-x.rst": spec, "tests/test_x.py": TESTS})
    assert [r.id for r in check(root).unimplemented] == ["FIXTURE-LINKS-1"]


def test_checker_reports_ids_used_but_not_defined(tmp_path):
    tests = TESTS + (
        '\n@pytest.mark.rule("FIXTURE-LINKS-2", "FIXTURE-GHOST-1")\n'
        "def test_ghost():\n"
        '    assert err.rule == "FIXTURE-GHOST-2"\n'
        '\n@pytest.mark.rule("fixture-links-1")\n'
        "def test_typo():\n"
        "    pass\n"
    )
    code = "def f():\n    return 1  # FIXTURE-GHOST-3: implements a rule that is not there\n"
    root = make_tree(
        tmp_path,
        {"spec/1-x.rst": SPEC, "tests/test_x.py": tests, "reference/sub/mod.py": code},
    )
    report = check(root)
    assert list(report.unknown) == [
        "FIXTURE-GHOST-1",
        "FIXTURE-GHOST-2",
        "FIXTURE-GHOST-3",
        "fixture-links-1",
    ]
    assert report.unknown["FIXTURE-GHOST-3"] == [rule_ids.Site("reference/sub/mod.py", 2)]
    assert [str(s) for s in report.unknown["FIXTURE-GHOST-1"]] == ["tests/test_x.py::test_ghost"]
    message = unknown_message(report)
    assert "FIXTURE-GHOST-2 at tests/test_x.py:9;" in message
    assert "fixture-links-1 at tests/test_x.py::test_typo" in message
    assert where(
        [rule_ids.Site("a.py", 3), rule_ids.Site("b.py", 1), rule_ids.Site("a.py", 9)]
    ) == ("a.py:3,9, b.py:1")


def test_checker_reports_duplicate_and_malformed_definitions(tmp_path):
    other = """\
        .. rule:: FIXTURE-LINKS-1
           :title: Defined a second time

        .. rule:: FIXTURE-9
           :title: No part between prefix and number

        .. rule:: FIXTURE-LINKS-5

        .. rule:: FIXTURE-LINKS-6
           :title: Bad status
           :status: draft
    """
    root = make_tree(tmp_path, {"spec/1-x.rst": SPEC, "spec/2-y.rst": other})
    report = check(root)
    assert [str(r.site) for r in report.duplicates["FIXTURE-LINKS-1"]] == [
        "spec/1-x.rst:4",
        "spec/2-y.rst:1",
    ]
    assert list(report.duplicates) == ["FIXTURE-LINKS-1"]
    assert [r.id for r in report.malformed] == ["FIXTURE-9", "FIXTURE-LINKS-5", "FIXTURE-LINKS-6"]
    assert "FIXTURE-LINKS-1 at spec/1-x.rst:4, spec/2-y.rst:1" in duplicates_message(report)
    assert "'FIXTURE-9' at spec/2-y.rst:4" in malformed_message(report)


def test_marker_forms_are_all_found(tmp_path):
    tests = """\
        import pytest
        from pytest import mark

        pytestmark = [pytest.mark.rule("FIXTURE-MOD-1"), pytest.mark.slow]

        @pytest.mark.rule("FIXTURE-FN-1")
        def test_fn():
            pass

        @pytest.mark.rule("FIXTURE-CLS-1")
        class TestGroup:
            pytestmark = pytest.mark.rule("FIXTURE-CLSMOD-1")

            @mark.rule("FIXTURE-METHOD-1", "FIXTURE-METHOD-2")
            def test_method(self):
                pass

        @pytest.mark.parametrize(
            "x", [1, pytest.param(2, marks=[pytest.mark.rule("FIXTURE-PARAM-1")])]
        )
        def test_param(x):
            pass

        CASES = [pytest.param(3, marks=pytest.mark.rule("FIXTURE-PARAM-2"))]

        @pytest.mark.rule(RULE_NAME_FROM_A_VARIABLE)
        def test_dynamic():
            pass
    """
    root = make_tree(tmp_path, {"tests/sub/test_forms.py": tests})
    markers = rule_ids.find_test_markers(root / "tests", root, FIXTURE_RE)
    found = {i: [str(s) for s in sites] for i, sites in markers.items()}
    f = "tests/sub/test_forms.py"
    assert found == {
        "FIXTURE-MOD-1": [f"{f}:4"],
        "FIXTURE-FN-1": [f"{f}::test_fn"],
        "FIXTURE-CLS-1": [f"{f}::TestGroup"],
        "FIXTURE-CLSMOD-1": [f"{f}::TestGroup"],
        "FIXTURE-METHOD-1": [f"{f}::TestGroup::test_method"],
        "FIXTURE-METHOD-2": [f"{f}::TestGroup::test_method"],
        "FIXTURE-PARAM-1": [f"{f}::test_param"],
        "FIXTURE-PARAM-2": [f"{f}:24"],
    }


def test_rule_id_regex():
    for prefix in rule_ids.PREFIXES:
        assert rule_ids.is_rule_id(f"{prefix}-TAPS-3")
        assert rule_ids.is_rule_id(f"{prefix}-EQ-2B-10")
    for text in (
        "SCAN-3",
        "scan-taps-3",
        "SCAN-taps-3",
        "SCAN-TAPS-X",
        "NOPE-TAPS-3",
        "SCAN-TAPS-",
    ):
        assert not rule_ids.is_rule_id(text)
    found = [
        m.group(0) for m in rule_ids.RULE_ID_RE.finditer(f"x = 1  # {'SCAN'}-TAPS-3, MYSCAN-A-1")
    ]
    assert found == ["SCAN" + "-TAPS-3"]
