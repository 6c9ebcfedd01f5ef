"""Chapter 6, "The PyTensor bridge" (ORACLE-SURVEY-1): the backend survey's tables, and a
small survey run (the latter needs PyTensor)."""

import pytest

from reference.interop import survey
from reference.interop.survey import Case, Outcome, by_backend, by_rule, disagreements


def synthetic_cases():
    agree = Outcome("agree", "SCAN-OUT-1")
    cases = [
        Case("generated", "program 0", ["SCAN-OUT-1", "SCAN-STEPS-1"], "source 0", 10,
             {"py": agree, "numba": agree}),
        Case("generated", "program 1", ["SCAN-OUT-1", "SCAN-STEPS-3"], "source 1", 30,
             {"py": agree, "numba": Outcome("differ", "SCAN-STEPS-3", "the reference raises")}),
        Case("generated", "program 2", ["SCAN-OUT-1", "SCAN-STEPS-3"], "source 2", 20,
             {"py": agree, "numba": Outcome("differ", "SCAN-STEPS-3", "the reference raises")}),
        Case("probe", "B5", ["SCAN-OUT-3"], "source 3", 0,
             {"py": Outcome("differ", "SCAN-OUT-3", "shape"), "numba": Outcome("last-bits", "SCAN-OUT-3")}),
        Case("example", "powers_of_two", ["SCAN-UNTIL-1"], "", 0,
             {"py": agree, "numba": Outcome("no-compile", None, "NotImplementedError")}),
    ]
    return {"py": None, "numba": None}, cases


@pytest.mark.rule("ORACLE-SURVEY-1")
def test_oracle_survey_1__tables_by_backend_and_by_rule():
    modes, cases = synthetic_cases()
    header, rows = by_backend(modes, cases)
    assert header[:4] == ["backend", "cases", "agree", "differ"]
    assert rows == [["py", "5", "4", "1", "0", "0"], ["numba", "5", "1", "2", "1", "1"]]
    header, rows = by_rule(modes, cases)
    table = {row[0]: row[1:] for row in rows}
    assert header == ["rule", "py", "numba", "known as"]
    assert table["SCAN-STEPS-3"] == ["2/2", "0/2", "B1, B2, B3, B16"]
    assert table["SCAN-OUT-3"] == ["0/1", "0/1 +1b", "B5"]
    assert table["SCAN-UNTIL-1"] == ["1/1", "0/1 1nc", ""]
    assert table["SCAN-OUT-1"] == ["3/3", "3/3", ""]
    classes = disagreements(modes, cases)
    steps = next(c for c in classes if c[:3] == ("numba", "SCAN-STEPS-3", "differ"))
    assert [c.name for c in steps[3]] == ["program 2", "program 1"]  # smallest first


@pytest.mark.rule("ORACLE-SURVEY-1")
def test_oracle_survey_1__a_small_survey_run():
    pytest.importorskip("pytensor")
    modes, cases = survey.run_survey(count=3, backend_names=["py"])
    kinds = [c.kind for c in cases]
    assert kinds.count("generated") >= 1 and kinds.count("example") == 7
    assert kinds.count("probe") == len(survey.PROBES)
    outcome = {c.name: c.outcomes["py"] for c in cases}
    assert outcome["B5: a mapped output over zero steps"].status == "differ"
    assert outcome["B5: a mapped output over zero steps"].rule == "SCAN-OUT-3"
    assert outcome["B1/B2: n_steps above the sequence length, mapped output"].status == "agree"
    assert all(outcome[name].status == "agree" for name in survey.EXAMPLE_RULES)
    text = survey.text_report(modes, cases)
    assert "By rule" in text and "[SCAN-OUT-3] known as B5\n  py: differ" in text
    rst = survey.rst_report(modes, cases)
    assert ":rule:`SCAN-OUT-3`" in rst and ".. code-block:: python" in rst
