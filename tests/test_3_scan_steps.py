"""Chapter 3, "Step count", "Taps", "Initial states" and "go_backwards" (SCAN-STEPS-*,
SCAN-TAPS-*, SCAN-INIT-*, SCAN-BACK-1).  The expected values are PyTensor 3.3.7's, recorded
in scan-semantics.md R2-R5, except where a divergence says otherwise."""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.scan import until
from reference.scan.run import NegativeStepsError, available_steps


def sc(fn, **kwargs):
    return pytensor.scan(fn, return_updates=False, **kwargs)


def run(outputs, inputs):
    return pytensor.function(list(inputs), outputs)(*inputs.values())


# -- SCAN-STEPS-1 -----------------------------------------------------------------------------


@pytest.mark.rule("SCAN-STEPS-1")
def test_scan_steps_1__the_shortest_sequence_decides():
    x, y = pt.vector("x"), pt.vector("y")
    out = sc(lambda a, b: a * b, sequences=[x, y])
    # scan-semantics.md R11: map a*b on unequal lengths truncates to [0, 1, 4]
    np.testing.assert_array_equal(run(out, {x: np.arange(3.0), y: np.arange(5.0)}), [0, 1, 4])
    np.testing.assert_array_equal(run(out, {x: np.arange(5.0), y: np.arange(3.0)}), [0, 1, 4])


@pytest.mark.rule("SCAN-STEPS-1", "SCAN-TAPS-2")
def test_scan_steps_1__taps_count_when_finding_the_shortest():
    x, y = pt.vector("x"), pt.vector("y")
    out = sc(lambda a, b, c: a + b + c, sequences=[dict(input=x, taps=[-2, 0]), y])
    # x provides 5 - 2 = 3 steps, y provides 4
    got = run(out, {x: np.arange(5.0), y: 100 * np.arange(4.0)})
    np.testing.assert_array_equal(got, [2.0, 104.0, 206.0])


@pytest.mark.rule("SCAN-STEPS-1")
def test_scan_steps_1__a_very_long_arange_is_cut():
    c = pt.vector("c")
    out = sc(lambda coefficient, power: coefficient * power, sequences=[c, pt.arange(10000)])
    np.testing.assert_array_equal(out.eval({c: [1.0, 1.0, 1.0]}), [0.0, 1.0, 2.0])


@pytest.mark.rule("SCAN-STEPS-1")
def test_scan_steps_1__an_empty_sequence_gives_zero_steps():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    out = sc(lambda a, h: h + a, sequences=x, outputs_info=h0)
    assert run(out, {x: np.zeros(0), h0: 1.0}).shape == (0,)


@pytest.mark.rule("SCAN-STEPS-1")
@pytest.mark.parametrize("with_until", [False, True])
def test_scan_steps_1__no_sequences_and_no_n_steps_raises(with_until):
    h0 = pt.scalar("h0")
    fn = (lambda h: (h + 1, until(h > 3))) if with_until else (lambda h: h + 1)
    with pytest.raises(ValueError, match=r"SCAN-STEPS-1.*n_steps"):
        sc(fn, outputs_info=h0)


# -- SCAN-STEPS-2 -----------------------------------------------------------------------------


@pytest.mark.rule("SCAN-STEPS-2")
@pytest.mark.parametrize("n_steps", [3, np.int8(3), np.int64(3), 3.0, pt.constant(3)])
def test_scan_steps_2__constant_forms(n_steps):
    h0 = pt.scalar("h0")
    out = sc(lambda h: h + 1, outputs_info=h0, n_steps=n_steps)
    np.testing.assert_array_equal(out.eval({h0: 0.0}), [1.0, 2.0, 3.0])


@pytest.mark.rule("SCAN-STEPS-2")
@pytest.mark.parametrize("make", [pt.iscalar, pt.lscalar, pt.bscalar])
def test_scan_steps_2__symbolic_integer_scalars(make):
    h0, n = pt.scalar("h0"), make("n")
    out = sc(lambda h: h + 1, outputs_info=h0, n_steps=n)
    f = pytensor.function([h0, n], out)
    np.testing.assert_array_equal(f(0.0, 4), [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(f(0.0, 1), [1.0])


@pytest.mark.rule("SCAN-STEPS-2")
def test_scan_steps_2__n_steps_becomes_an_int64_input():
    h0, n = pt.scalar("h0"), pt.bscalar("n")
    out = sc(lambda h: h + 1, outputs_info=h0, n_steps=n)
    assert out.owner.inputs[0].dtype == "int64"


@pytest.mark.rule("SCAN-STEPS-2")
@pytest.mark.parametrize("bad", [2.5, True, "3", [3], float("inf"), float("nan")])
def test_scan_steps_2__python_values_that_are_not_integers_raise_type_error(bad):
    with pytest.raises(TypeError, match=r"SCAN-STEPS-2.*n_steps"):
        sc(lambda h: h + 1, outputs_info=pt.scalar("h0"), n_steps=bad)


@pytest.mark.rule("SCAN-STEPS-2")
@pytest.mark.parametrize("bad", [pt.scalar("f"), pt.ivector("v"), pt.constant(np.float64(2.0))])
def test_scan_steps_2__symbolic_values_that_are_not_integer_scalars_raise_value_error(bad):
    with pytest.raises(ValueError, match=r"SCAN-STEPS-2.*n_steps"):
        sc(lambda h: h + 1, outputs_info=pt.scalar("h0"), n_steps=bad)


# -- SCAN-STEPS-3 -----------------------------------------------------------------------------


@pytest.mark.rule("SCAN-STEPS-3")
def test_scan_steps_3__n_steps_smaller_than_the_sequence_uses_the_first_rows():
    x, n = pt.vector("x"), pt.iscalar("n")
    out = sc(lambda a: a * 2, sequences=x, n_steps=n)
    np.testing.assert_array_equal(run(out, {x: np.arange(5.0), n: 2}), [0.0, 2.0])


@pytest.mark.rule("SCAN-STEPS-3")
def test_scan_steps_3__n_steps_larger_than_a_sequence_raises_at_run_time():
    x, y, h0, n = pt.vector("x"), pt.vector("y"), pt.scalar("h0"), pt.iscalar("n")
    out = sc(lambda a, b, c, h: h + a + b + c, sequences=[x, dict(input=y, taps=[-1, 0])],
             outputs_info=h0, n_steps=n)
    f = pytensor.function([x, y, h0, n], out)
    np.testing.assert_array_equal(f(np.ones(5), np.ones(4), 0.0, 3), [3.0, 6.0, 9.0])
    with pytest.raises(ValueError, match=r"SCAN-STEPS-3.*sequences\[1\] \(y\) has 4 rows.*taps \[-1, 0\] give 3 steps.*n_steps is 4"):
        f(np.ones(5), np.ones(4), 0.0, 4)


@pytest.mark.rule("SCAN-STEPS-3")
def test_scan_steps_3__a_constant_n_steps_is_checked_when_the_loop_runs():
    x = pt.vector("x")
    out = sc(lambda a: a * 2, sequences=x, n_steps=5)  # nothing is known about x yet
    with pytest.raises(ValueError, match=r"SCAN-STEPS-3.*sequences\[0\]"):
        out.eval({x: np.arange(3.0)})


# -- SCAN-STEPS-4 -----------------------------------------------------------------------------


@pytest.mark.rule("SCAN-STEPS-4")
def test_scan_steps_4__zero_steps_are_legal():
    h0, n = pt.vector("h0"), pt.iscalar("n")
    out = sc(lambda h: h + 1, outputs_info=h0, n_steps=n)
    assert run(out, {h0: np.ones(5), n: 0}).shape == (0, 5)
    assert sc(lambda h: h + 1, outputs_info=h0, n_steps=0).eval({h0: np.ones(5)}).shape == (0, 5)


@pytest.mark.rule("SCAN-STEPS-4", "SCAN-UPD-3")
def test_scan_steps_4__zero_steps_leave_shared_states_unchanged():
    # scan-semantics.md R7.4: with n_steps=0 the update leaves the value unchanged
    a = pytensor.shared(1, name="a")
    n = pt.iscalar("n")
    _, updates = pytensor.scan(lambda: {a: a + 1}, n_steps=n)
    f = pytensor.function([n], [], updates=updates)
    f(0)
    assert a.get_value() == 1
    f(3)
    assert a.get_value() == 4


@pytest.mark.rule("SCAN-STEPS-4")
@pytest.mark.parametrize("with_sequence", [False, True])
def test_scan_steps_4__negative_symbolic_n_steps_raises_at_run_time(with_sequence):
    x, h0, n = pt.vector("x"), pt.scalar("h0"), pt.iscalar("n")
    if with_sequence:
        out = sc(lambda a, h: h + a, sequences=x, outputs_info=h0, n_steps=n)
        inputs = {x: np.arange(3.0), h0: 0.0, n: -1}
    else:
        out = sc(lambda h: h + 1, outputs_info=h0, n_steps=n)
        inputs = {h0: 0.0, n: -1}
    with pytest.raises(NegativeStepsError, match=r"SCAN-STEPS-4.*n_steps is -1") as info:
        run(out, inputs)
    assert isinstance(info.value, ValueError) and isinstance(info.value, IndexError)


@pytest.mark.rule("SCAN-STEPS-4")
@pytest.mark.parametrize("n_steps", [-1, np.int32(-3), pt.constant(-2)])
def test_scan_steps_4__a_negative_constant_raises_when_scan_is_called(n_steps):
    with pytest.raises(NegativeStepsError, match=r"SCAN-STEPS-4.*n_steps must be >= 0") as info:
        sc(lambda h: h + 1, outputs_info=pt.scalar("h0"), n_steps=n_steps)
    assert isinstance(info.value, IndexError) and isinstance(info.value, ValueError)


# -- SCAN-TAPS-2 / SCAN-TAPS-1 ------------------------------------------------------------------


@pytest.mark.rule("SCAN-TAPS-2")
@pytest.mark.parametrize(("length", "lowest", "highest", "steps"), [
    (6, 0, 2, 4), (6, -2, 0, 4), (6, 0, 3, 3), (6, -3, 0, 3), (9, -4, 0, 5), (3, -4, 0, 0),
    (0, 0, 0, 0), (1, 0, 0, 1), (4, -1, 3, 0),
])
def test_scan_taps_2__steps_provided(length, lowest, highest, steps):
    assert available_steps(length, lowest, highest) == steps


@pytest.mark.rule("SCAN-TAPS-1", "SCAN-TAPS-2")
@pytest.mark.parametrize(("taps", "length", "expected"), [
    # scan-semantics.md R2.3, fn = a*10 + b for two taps, a for one
    ([1, 2], 6, [12, 23, 34, 45]),
    ([-2, -1], 6, [1, 12, 23, 34]),
    ([3], 6, [3, 4, 5]),
    ([-3], 6, [0, 1, 2]),
    ([-4, 0], 9, [4, 15, 26, 37, 48]),
    ([-4, 0], 3, []),
])
def test_scan_taps_1__the_recorded_taps_table(taps, length, expected):
    x = pt.vector("x")
    fn = (lambda a, b: a * 10 + b) if len(taps) == 2 else (lambda a: a)
    out = sc(fn, sequences=dict(input=x, taps=taps))
    np.testing.assert_array_equal(out.eval({x: np.arange(float(length))}), expected)


@pytest.mark.rule("SCAN-TAPS-1")
def test_scan_taps_1__theano_2946_a_tap_of_minus_2_starts_at_the_first_row():
    x = pt.vector("x")
    out = sc(lambda a, b: a, sequences=dict(input=x, taps=[-2, -1]))
    np.testing.assert_array_equal(out.eval({x: [1.0, 2.0, 3.0, 4.0, 5.0]}), [1.0, 2.0, 3.0])


@pytest.mark.rule("SCAN-TAPS-1")
def test_scan_taps_1__row_index_is_t_plus_k_minus_lowest():
    x = pt.vector("x")
    taps = [2, -3, 0, 2, -1]
    out = sc(lambda *args: pt.stack(list(args)), sequences=dict(input=x, taps=taps))
    got = out.eval({x: np.arange(10.0)})
    lowest = -3
    expected = [[t + k - lowest for k in taps] for t in range(10 - 5)]
    np.testing.assert_array_equal(got, expected)


@pytest.mark.rule("SCAN-TAPS-1")
def test_scan_taps_1__matrix_sequences_give_rows():
    m = pt.matrix("m")
    out = sc(lambda a, b: a - b, sequences=dict(input=m, taps=[1, 0]))
    got = out.eval({m: np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 5.0]])})
    np.testing.assert_array_equal(got, [[1.0, 2.0], [2.0, 3.0]])


# -- SCAN-TAPS-3 --------------------------------------------------------------------------------


@pytest.mark.rule("SCAN-TAPS-3", "SCAN-INIT-2")
def test_scan_taps_3__multi_tap_reads_earlier_steps():
    # scan-semantics.md R4.2: x[t] = x[t-3]*100 + x[t-1], initial [1,2,3], 4 steps
    v0 = pt.vector("v0")
    out = sc(lambda a, b: a * 100 + b, outputs_info=dict(initial=v0, taps=[-3, -1]), n_steps=4)
    np.testing.assert_array_equal(out.eval({v0: [1.0, 2.0, 3.0]}), [103, 303, 603, 10903])


@pytest.mark.rule("SCAN-TAPS-3")
def test_scan_taps_3__fibonacci_with_two_taps():
    v0 = pt.vector("v0")
    out = sc(lambda a, b: a + b, outputs_info=dict(initial=v0, taps=[-2, -1]), n_steps=6)
    np.testing.assert_array_equal(out.eval({v0: [0.0, 1.0]}), [1, 2, 3, 5, 8, 13])


@pytest.mark.rule("SCAN-TAPS-3")
def test_scan_taps_3__tap_k_is_step_t_plus_k():
    # record, at each step, the rows read at taps -4, -1, -2; initial rows are steps -4..-1
    v0 = pt.vector("v0")
    seen = []

    def fn(a, b, c):
        seen.append(True)
        return a + 0 * b + 0 * c + 0  # x[t] = x[t-4]

    out = sc(fn, outputs_info=dict(initial=v0, taps=[-4, -1, -2]), n_steps=6)
    np.testing.assert_array_equal(out.eval({v0: [10.0, 11.0, 12.0, 13.0]}),
                                  [10, 11, 12, 13, 10, 11])


# -- SCAN-INIT-1 / SCAN-INIT-2 ----------------------------------------------------------------


@pytest.mark.rule("SCAN-INIT-1", "SCAN-OUT-1")
def test_scan_init_1__outputs_exclude_the_initial_state():
    # scan-semantics.md R4.1
    h0 = pt.scalar("h0")
    out = sc(lambda h: h * 2, outputs_info=h0, n_steps=3)
    np.testing.assert_array_equal(out.eval({h0: 1.0}), [2.0, 4.0, 8.0])


@pytest.mark.rule("SCAN-INIT-1")
@pytest.mark.parametrize("entry", ["bare", "taps_minus_1"])
def test_scan_init_1__a_length_1_vector_is_a_vector_state(entry):
    # scan-semantics.md R2.6: taps == [-1] is single-tap in any form
    v0 = pt.vector("v0")
    info = v0 if entry == "bare" else dict(initial=v0, taps=[-1])
    out = sc(lambda h: h + 1, outputs_info=info, n_steps=3)
    assert out.ndim == 2
    np.testing.assert_array_equal(out.eval({v0: [5.0]}), [[6.0], [7.0], [8.0]])


@pytest.mark.rule("SCAN-INIT-1")
def test_scan_init_1__numpy_and_python_initial_states():
    out = sc(lambda h: h * 2, outputs_info=np.float64(1.0), n_steps=2)
    np.testing.assert_array_equal(out.eval(), [2.0, 4.0])
    out = sc(lambda h: h + np.array([1.0, 1.0]), outputs_info=np.zeros(2), n_steps=2)
    np.testing.assert_array_equal(out.eval(), [[1.0, 1.0], [2.0, 2.0]])


@pytest.mark.rule("SCAN-INIT-2")
def test_scan_init_2__rows_after_the_depth_are_ignored():
    v0 = pt.vector("v0")
    out = sc(lambda a, b: a * 100 + b, outputs_info=dict(initial=v0, taps=[-3, -1]), n_steps=4)
    np.testing.assert_array_equal(out.eval({v0: [1.0, 2.0, 3.0, 4.0, 5.0]}), [103, 303, 603, 10903])


@pytest.mark.rule("SCAN-INIT-2")
def test_scan_init_2__a_single_tap_of_minus_2():
    v0 = pt.vector("v0")
    out = sc(lambda a: a + 1, outputs_info=dict(initial=v0, taps=[-2]), n_steps=4)
    np.testing.assert_array_equal(out.eval({v0: [10.0, 20.0]}), [11, 21, 12, 22])


@pytest.mark.rule("SCAN-INIT-2")
def test_scan_init_2__too_few_initial_rows_raise():
    v0 = pt.vector("v0")
    out = sc(lambda a, b: a * 100 + b, outputs_info=dict(initial=v0, taps=[-3, -1]), n_steps=4)
    with pytest.raises(ValueError, match=r"SCAN-INIT-2.*v0 has 2 rows but taps \[-3, -1\] need 3"):
        out.eval({v0: [1.0, 2.0]})


@pytest.mark.rule("SCAN-INIT-2")
def test_scan_init_2__a_numpy_initial_state_works():
    out = sc(lambda a, b: a + b, outputs_info=dict(initial=np.array([0.0, 1.0]), taps=[-2, -1]),
             n_steps=5)
    np.testing.assert_array_equal(out.eval(), [1.0, 2.0, 3.0, 5.0, 8.0])


@pytest.mark.rule("SCAN-INIT-2")
def test_scan_init_2__matrix_rows():
    m0 = pt.matrix("m0")
    out = sc(lambda a, b: a + b, outputs_info=dict(initial=m0, taps=[-2, -1]), n_steps=2)
    got = out.eval({m0: [[1.0, 0.0], [0.0, 1.0]]})
    np.testing.assert_array_equal(got, [[1.0, 1.0], [1.0, 2.0]])


# -- SCAN-BACK-1 ----------------------------------------------------------------------------------


@pytest.mark.rule("SCAN-BACK-1")
def test_scan_back_1__unequal_sequences_align_at_their_ends():
    x, y = pt.vector("x"), pt.vector("y")
    out = sc(lambda a, b: a * 100 + b, sequences=[x, y], go_backwards=True)
    np.testing.assert_array_equal(run(out, {x: np.arange(6.0), y: [0.0, 10.0, 20.0]}), [520, 410, 300])


@pytest.mark.rule("SCAN-BACK-1")
def test_scan_back_1__n_steps_takes_the_last_rows():
    x = pt.vector("x")
    out = sc(lambda a: a, sequences=x, n_steps=2, go_backwards=True)
    np.testing.assert_array_equal(out.eval({x: np.arange(5.0)}), [4.0, 3.0])


@pytest.mark.rule("SCAN-BACK-1")
def test_scan_back_1__taps_keep_their_forward_meaning():
    x = pt.vector("x")
    out = sc(lambda a, b: a * 10 + b, sequences=dict(input=x, taps=[-2, 0]), go_backwards=True)
    np.testing.assert_array_equal(out.eval({x: np.arange(6.0)}), [35, 24, 13, 2])


@pytest.mark.rule("SCAN-BACK-1")
def test_scan_back_1__outputs_come_in_iteration_order():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    out = sc(lambda a, h: h * 10 + a, sequences=x, outputs_info=h0, go_backwards=True)
    np.testing.assert_array_equal(run(out, {x: [1.0, 2.0, 3.0, 4.0], h0: 0.0}), [4, 43, 432, 4321])


@pytest.mark.rule("SCAN-BACK-1")
def test_scan_back_1__without_sequences_it_has_no_effect():
    h0 = pt.scalar("h0")
    a = sc(lambda h: h * 2 + 1, outputs_info=h0, n_steps=4, go_backwards=True)
    b = sc(lambda h: h * 2 + 1, outputs_info=h0, n_steps=4)
    np.testing.assert_array_equal(a.eval({h0: 0.0}), b.eval({h0: 0.0}))


@pytest.mark.rule("SCAN-BACK-1", "SCAN-UNTIL-2")
def test_scan_back_1__with_until():
    x = pt.vector("x")
    out = sc(lambda a: (a * 10, until(a < 2)), sequences=x, go_backwards=True)
    np.testing.assert_array_equal(out.eval({x: np.arange(5.0)}), [40, 30, 20, 10])


@pytest.mark.rule("SCAN-BACK-1")
@pytest.mark.parametrize("symbolic", [False, True])
def test_scan_back_1__one_step_reads_the_last_window(symbolic):
    # scan-semantics.md B19: PyTensor gives [0.] and [2040.] for a constant n_steps=1
    x, y, n = pt.vector("x"), pt.vector("y"), pt.iscalar("n")
    n_steps = n if symbolic else 1
    inputs = {n: 1} if symbolic else {}
    one = sc(lambda a: a, sequences=x, n_steps=n_steps, go_backwards=True)
    np.testing.assert_array_equal(run(one, {x: 10 * np.arange(8.0), **inputs}), [70.0])
    five = sc(lambda a, b, c, d, e: a + b + c + d + e, n_steps=n_steps, go_backwards=True,
              sequences=[dict(input=x, taps=[3, -1]), dict(input=y, taps=[-1, -2, -1])])
    got = run(five, {x: 10 * np.arange(8.0), y: 1000 * np.arange(5.0), **inputs})
    np.testing.assert_array_equal(got, [8100.0])
    forward = sc(lambda a, b, c, d, e: a + b + c + d + e, n_steps=n_steps,
                 sequences=[dict(input=x, taps=[3, -1]), dict(input=y, taps=[-1, -2, -1])])
    got = run(forward, {x: 10 * np.arange(8.0), y: 1000 * np.arange(5.0), **inputs})
    np.testing.assert_array_equal(got, [2040.0])


@pytest.mark.rule("SCAN-BACK-1")
def test_scan_back_1__map_backwards():
    x = pt.vector("x")
    out = pytensor.map(lambda a: a * 2, sequences=x, go_backwards=True, return_updates=False)
    np.testing.assert_array_equal(out.eval({x: np.arange(4.0)}), [6, 4, 2, 0])
