"""Chapter 6, "Comparing", "Reports" and "Tolerance policies" (ORACLE-COMPARE-*,
ORACLE-REPORT-*, ORACLE-TOL-*)."""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.scan import until
from reference.testing import MismatchError, Report, assert_matches, compare
from reference.testing.compare import OP_ULPS, ulp_distance


def rnn():
    x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("W")
    hs = pytensor.scan(lambda a, h, w_: pt.tanh(w_ * h + a), sequences=x, outputs_info=h0,
                       non_sequences=w, return_updates=False)
    hs.name = "hs"
    cost = (hs ** 2).sum()
    cost.name = "cost"
    return {x: np.arange(4.0), h0: np.float64(0.5), w: np.float64(0.9)}, hs, cost


def numpy_rnn(x, h0, w):
    h, rows = h0, []
    for a in x:
        h = np.tanh(w * h + a)
        rows.append(h)
    rows = np.array(rows)
    return [rows, (rows ** 2).sum()]


# -- ORACLE-COMPARE ----------------------------------------------------------------------------


@pytest.mark.rule("ORACLE-COMPARE-1")
def test_oracle_compare_1__values_or_a_callable():
    inputs, hs, cost = rnn()
    report = compare(numpy_rnn, [hs, cost], inputs)
    assert isinstance(report, Report) and report.ok and bool(report)
    assert compare(numpy_rnn(*inputs.values()), [hs, cost], inputs).ok
    assert compare(numpy_rnn(*inputs.values())[0], hs, inputs).ok  # one output: the value itself
    assert compare(lambda *a: numpy_rnn(*a)[0], hs, inputs).ok


@pytest.mark.rule("ORACLE-COMPARE-1")
def test_oracle_compare_1__the_callable_gets_the_values_in_dict_order():
    a, b = pt.scalar("a"), pt.scalar("b")
    seen = []
    report = compare(lambda *args: seen.append(args) or args[0] - args[1], a - b, {a: 5.0, b: 3.0})
    assert report.ok and seen == [(5.0, 3.0)]


@pytest.mark.rule("ORACLE-COMPARE-2")
def test_oracle_compare_2__errors_agree_when_both_raise():
    x, n = pt.vector("x"), pt.iscalar("n")
    y = pytensor.scan(lambda a: a * 2, sequences=x, n_steps=n, return_updates=False)
    inputs = {x: np.array([1.0, 2.0, 3.0]), n: 5}
    both = compare(lambda *_: 1 / 0, y, inputs)
    assert both.ok and both.rule == "SCAN-STEPS-3"
    assert not compare(lambda *_: 1 / 0, y, inputs, errors="type").ok
    assert compare(lambda *_: np.empty(-1), y, inputs, errors="type").ok  # a ValueError
    only_reference = compare([np.array([2.0, 4.0, 6.0, 6.0, 6.0])], y, inputs)
    assert not only_reference.ok and only_reference.rule == "SCAN-STEPS-3"
    only_actual = compare(lambda *_: 1 / 0, y, {x: np.array([1.0, 2.0, 3.0]), n: 2})
    assert not only_actual.ok and only_actual.actual_error is not None


@pytest.mark.rule("ORACLE-COMPARE-2")
def test_oracle_compare_2__count_then_shape_then_dtype_then_values():
    inputs, hs, cost = rnn()
    rows, total = numpy_rnn(*inputs.values())
    assert compare([rows], [hs, cost], inputs).first.kind == "missing"
    assert compare([rows[:3], total], [hs, cost], inputs).first.kind == "length"
    assert compare([rows[:, None], total], [hs, cost], inputs).first.kind == "shape"
    assert compare([rows.astype("float32"), total], [hs, cost], inputs).first.kind == "dtype"
    assert compare([rows.astype("float32"), total], [hs, cost], inputs, check_dtype=False,
                   rtol=1e-6).ok
    changed = rows.copy()
    changed[1:] += 1e-3
    report = compare([changed, total], [hs, cost], inputs)
    first = report.first
    assert first.kind == "value" and first.element == (1,) and first.mismatched == 3
    assert [o.ok for o in report.outputs] == [False, True]


@pytest.mark.rule("ORACLE-COMPARE-2")
def test_oracle_compare_2__random_generators_compare_by_state():
    s = pytensor.shared(np.random.default_rng(3), name="rng")
    assert compare([np.random.default_rng(3)], s, {}).ok
    assert not compare([np.random.default_rng(4)], s, {}).ok


@pytest.mark.rule("ORACLE-COMPARE-3")
def test_oracle_compare_3__assert_matches_raises_an_assertion_error_with_the_report():
    inputs, hs, cost = rnn()
    assert assert_matches(numpy_rnn, [hs, cost], inputs).ok
    rows, total = numpy_rnn(*inputs.values())
    with pytest.raises(AssertionError) as info:
        assert_matches([rows + 1e-6, total], [hs, cost], inputs)
    assert isinstance(info.value, MismatchError)
    assert info.value.report.step == 0
    assert str(info.value) == str(info.value.report)


# -- ORACLE-REPORT -----------------------------------------------------------------------------


@pytest.mark.rule("ORACLE-REPORT-1")
def test_oracle_report_1__what_a_report_holds():
    inputs, hs, cost = rnn()
    rows, total = numpy_rnn(*inputs.values())
    changed = rows.copy()
    changed[2] += 2e-9
    report = compare([changed, total], [hs, cost], inputs)
    first = report.first
    assert (first.index, first.name, first.expected_type, first.actual_type) == (0, "hs", "float64(4,)", "float64(4,)")
    assert first.step == 2 and first.element == (2,)
    assert first.expected_value == rows[2] and first.actual_value == changed[2]
    assert first.max_abs == pytest.approx(2e-9, rel=1e-3) and first.max_ulp > 1e6
    assert first.tolerance == "<= 8 ulp"
    assert report.inputs == [("x", "float64(4,)"), ("h0", "float64()"), ("W", "float64()")]
    assert report.policy == "ulp" and report.expected_error is None


@pytest.mark.rule("ORACLE-REPORT-2")
@pytest.mark.parametrize(("case", "rule"), [
    ("recurrent step 0", "SCAN-INIT-1"),
    ("recurrent later step", "SCAN-TAPS-3"),
    ("rows", "SCAN-STEPS-1"),
    ("mapped", "SCAN-TAPS-1"),
    ("op", "OP-REDUCE-1"),
])
def test_oracle_report_2__the_rule_of_the_divergent_value(case, rule):
    inputs, hs, cost = rnn()
    rows, total = numpy_rnn(*inputs.values())
    x = next(iter(inputs))
    if case.startswith("recurrent"):
        rows = rows.copy()
        rows[0 if "0" in case else 3] += 1
        actual, outputs = [rows], hs
    elif case == "rows":
        actual, outputs = [rows[:2]], hs
    elif case == "mapped":
        outputs = pytensor.scan(lambda a: a * 2, sequences=x, return_updates=False)
        actual = [np.array([0.0, 2.0, 4.0, 7.0])]
    else:
        actual, outputs = [total + 1], cost
    report = compare(actual, outputs, inputs)
    assert report.rule == rule, report


@pytest.mark.rule("ORACLE-REPORT-2")
def test_oracle_report_2__while_loops_zero_steps_and_row_views():
    x = pt.vector("x")
    ys = pytensor.scan(lambda a: (a * 10, until(a > 1)), sequences=x, return_updates=False)
    inputs = {x: np.arange(5.0)}
    assert compare([np.array([0.0, 10.0, 20.0, 30.0, 40.0])], ys, inputs).rule == "SCAN-UNTIL-2"
    empty = {x: np.zeros((0,))}
    m = pt.matrix("m")
    rows = pytensor.scan(lambda r: r * 2, sequences=m, return_updates=False)
    assert compare([np.zeros((0, 0))], rows, {m: np.zeros((0, 3))}).rule == "SCAN-OUT-3"
    assert compare([np.zeros((1,))], ys, empty).rule == "SCAN-OUT-3"
    # rows of a loop output seen through x[1:]: steps are counted from the slice
    h0 = pt.scalar("h0")
    hs = pytensor.scan(lambda a, h: h + a, sequences=x, outputs_info=h0, return_updates=False)
    tail = hs[1:]
    report = compare([np.array([1.0, 3.0, 7.0, 10.0])], tail, {x: np.arange(5.0), h0: 0.0})
    assert report.step == 3 and report.first.element == (2,)


@pytest.mark.rule("ORACLE-REPORT-3")
def test_oracle_report_3__one_line_then_details():
    inputs, hs, cost = rnn()
    rows, total = numpy_rnn(*inputs.values())
    text = str(compare([rows + 1e-9, total], [hs, cost], inputs))
    first, *details = text.splitlines()
    assert first.startswith("output 0 (hs) differs at step 0, element (0,): expected ")
    assert first.endswith("[SCAN-INIT-1]")
    assert details[0] == "policy: ulp"
    assert any(line.startswith("  [1] cost: float64()  ok") for line in details)
    assert any(line.startswith("inputs: x float64(4,)") for line in details)
    assert any(line.startswith("rule: SCAN-INIT-1") for line in details)
    assert details[-1].startswith("reference ")
    ok = compare(numpy_rnn, [hs, cost], inputs)
    assert ok.summary() == "all 2 output(s) match the reference (policy: ulp)"


# -- ORACLE-TOL --------------------------------------------------------------------------------


@pytest.mark.rule("ORACLE-TOL-1")
def test_oracle_tol_1__named_policies_and_exact_integers():
    a = pt.vector("a", dtype="int64")
    out = a * 3
    inputs = {a: np.array([1, 2, 3])}
    for policy in ("ulp", "dtype", "exact"):
        assert compare([np.array([3, 6, 9])], out, inputs, policy=policy).ok
        assert not compare([np.array([3, 6, 10])], out, inputs, policy=policy).ok
    with pytest.raises(ValueError, match="policy"):
        compare([np.array([3, 6, 9])], out, inputs, policy="close")
    f = pt.vector("f")
    nan = {f: np.array([np.nan, 1.0])}
    assert compare([np.array([np.nan, 1.0])], f * 1, nan, policy="exact").ok
    assert compare([np.array([1.0 + 1e-15, 1.0])], f * 1, {f: np.ones(2)}, ulps=5).ok
    assert compare([np.array([1.001, 1.0])], f * 1, {f: np.ones(2)}, rtol=1e-2).ok


def test_ulp_distance():
    one = np.float64(1.0)
    assert ulp_distance(one, np.nextafter(one, 2)) == 1
    assert ulp_distance(np.float64(-0.0), np.float64(0.0)) == 0
    assert ulp_distance(np.float64(-1e-320), np.float64(1e-320)) == 4048
    assert ulp_distance(np.float32(1.0), np.nextafter(np.float32(1), np.float32(0))) == 1
    assert np.isinf(ulp_distance(np.float64(np.nan), one)) and ulp_distance(np.nan, np.nan) == 0
    big = np.array([np.finfo("float64").max])
    assert ulp_distance(big, -big)[0] > 1e19


@pytest.mark.rule("ORACLE-TOL-2")
def test_oracle_tol_2__the_budget_counts_ops_and_steps():
    inputs, hs, cost = rnn()
    report = compare(numpy_rnn, [hs, cost], inputs)
    # hs: 4 steps of tanh (2 ulp); cost: that, the power (2) and the sum (4)
    assert [o.tolerance for o in report.outputs] == ["<= 8 ulp", "<= 14 ulp"]
    assert OP_ULPS["Tanh"] == 2 and "Add" not in OP_ULPS
    rows, total = numpy_rnn(*inputs.values())
    near = rows.copy()
    near[3] = np.nextafter(np.nextafter(near[3], 2), 2)
    assert compare([near, total], [hs, cost], inputs).ok
    assert not compare([near, total], [hs, cost], inputs, op_ulps={"Tanh": 0}).ok
    # exact ops: a budget of 0
    a = pt.vector("a")
    exact = compare([np.array([np.nextafter(0.1 * 3, 1)])], a * 3, {a: np.array([0.1])})
    assert not exact.ok and exact.first.tolerance == "exact (0 ulp)"


@pytest.mark.rule("ORACLE-TOL-2")
def test_oracle_tol_2__cancellation_guard():
    a = pt.vector("a")
    out = pt.exp(a) - 1.0
    inputs = {a: np.array([1e-12, 1.0])}
    expected = np.exp(inputs[a]) - 1.0
    actual = expected + np.array([1e-16, 0.0])  # many ulps at 1e-12, tiny next to e - 1
    report = compare([actual], out, inputs)
    assert report.ok and report.outputs[0].max_ulp > 2


@pytest.mark.rule("ORACLE-TOL-3")
def test_oracle_tol_3__dtype_policy():
    f = pt.vector("f", dtype="float32")
    d = pt.vector("d")
    assert compare([np.float32([1.00001])], f * 1, {f: np.float32([1.0])}, policy="dtype").ok
    assert not compare([np.float32([1.001])], f * 1, {f: np.float32([1.0])}, policy="dtype").ok
    assert compare([np.array([1.0 + 1e-10])], d * 1, {d: np.array([1.0])}, policy="dtype").ok
    assert not compare([np.array([1.0 + 1e-8])], d * 1, {d: np.array([1.0])}, policy="dtype").ok


@pytest.mark.rule("ORACLE-TOL-4")
def test_oracle_tol_4__exact_policy():
    inputs, hs, cost = rnn()
    rows, total = numpy_rnn(*inputs.values())
    assert compare([rows, total], [hs, cost], inputs, policy="exact").ok
    near = rows.copy()
    near[0] = np.nextafter(near[0], 2)
    assert not compare([near, total], [hs, cost], inputs, policy="exact").ok
    assert compare([near, total], [hs, cost], inputs, policy="ulp").ok
