"""The bug cases B1-B19 of scan-semantics.md, and the other divergences of
spec/C-divergences.rst, each with the behaviour chapter 3 defines.  (B12 and B14 are
gradient cases and B13 is about JAX; they belong to the gradients chapter.)"""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.scan import until
from reference.scan.run import NegativeStepsError


def sc(fn, **kwargs):
    return pytensor.scan(fn, return_updates=False, **kwargs)


def run(outputs, inputs):
    return pytensor.function(list(inputs), outputs)(*inputs.values())


@pytest.mark.rule("SCAN-STEPS-3")
@pytest.mark.parametrize("n", [5, 8])
def test_scan_steps_3__b1_n_steps_larger_than_the_sequence_raises(n):
    x, h0, k = pt.vector("x"), pt.scalar("h0"), pt.iscalar("k")
    out = sc(lambda a, h: h + a, sequences=x, outputs_info=h0, n_steps=k)
    with pytest.raises(ValueError, match=r"SCAN-STEPS-3.*sequences\[0\] \(x\) has 3 rows"):
        run(out, {x: np.arange(3.0), h0: 0.0, k: n})


@pytest.mark.rule("SCAN-STEPS-3")
def test_scan_steps_3__b1_a_view_of_a_larger_array_does_not_read_past_its_end():
    big, h0, k = pt.vector("big"), pt.scalar("h0"), pt.iscalar("k")
    out = sc(lambda a, h: h + a, sequences=big[10:13], outputs_info=h0, n_steps=k)
    with pytest.raises(ValueError, match=r"SCAN-STEPS-3.*has 3 rows"):
        run(out, {big: np.arange(30.0), h0: 0.0, k: 8})


@pytest.mark.rule("SCAN-STEPS-3")
def test_scan_steps_3__b2_a_mapped_only_loop_raises_too():
    x = pt.vector("x")
    out = sc(lambda a: a * 2, sequences=x, n_steps=5)
    with pytest.raises(ValueError, match="SCAN-STEPS-3"):
        out.eval({x: np.arange(3.0)})


@pytest.mark.rule("SCAN-STEPS-3")
def test_scan_steps_3__b3_the_shape_of_the_output_raises_too():
    x, k = pt.vector("x"), pt.iscalar("k")
    out = sc(lambda a: a * 2, sequences=x, n_steps=k)
    with pytest.raises(ValueError, match="SCAN-STEPS-3"):
        run(out.shape[0], {x: np.arange(3.0), k: 5})


@pytest.mark.rule("SCAN-STEPS-4")
@pytest.mark.parametrize("with_sequences", [True, False])
def test_scan_steps_4__b4_negative_n_steps_raises_negative_steps_error(with_sequences):
    h0, k, x = pt.scalar("h0"), pt.iscalar("k"), pt.vector("x")
    if with_sequences:
        out = sc(lambda a, h: h + a, sequences=x, outputs_info=h0, n_steps=k)
        inputs = {x: np.arange(3.0), h0: 0.0, k: -1}
    else:
        out = sc(lambda h: h + 1, outputs_info=h0, n_steps=k)
        inputs = {h0: 0.0, k: -1}
    with pytest.raises(NegativeStepsError) as info:
        run(out, inputs)
    assert isinstance(info.value, IndexError) and isinstance(info.value, ValueError)
    with pytest.raises(NegativeStepsError):
        sc(lambda h: h + 1, outputs_info=h0, n_steps=-1)


@pytest.mark.rule("SCAN-OUT-3")
def test_scan_out_3__b5_a_mapped_output_over_zero_steps_keeps_its_row_shape():
    h0, v, n = pt.scalar("h0"), pt.vector("v"), pt.iscalar("n")
    hs, ys = sc(lambda h, v: [h + 1, v * h], outputs_info=[h0, None], non_sequences=v, n_steps=n)
    got = run([hs, ys], {h0: 0.0, v: np.ones(5), n: 0})
    assert [a.shape for a in got] == [(0,), (0, 5)]


@pytest.mark.rule("SCAN-OUT-1")
def test_scan_out_1__b6_the_last_row_of_zero_steps_raises_index_error():
    x0, n = pt.vector("x0"), pt.iscalar("n")
    xs = sc(lambda h: h + 1, outputs_info=x0, n_steps=n)
    f = pytensor.function([x0, n], xs[-1])
    np.testing.assert_array_equal(f([0.0, 1.0], 2), [2.0, 3.0])
    with pytest.raises(IndexError):
        f([0.0, 1.0], 0)


@pytest.mark.rule("SCAN-VIEW-2")
def test_scan_view_2__b6_reduce_over_an_empty_sequence_raises_index_error():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    total = pytensor.reduce(lambda a, acc: acc + a, sequences=x, outputs_info=h0,
                            return_updates=False)
    with pytest.raises(IndexError):
        run(total, {x: np.zeros(0), h0: 5.0})


@pytest.mark.rule("SCAN-MEM-1", "SCAN-OUT-1")
@pytest.mark.parametrize(("n_steps", "index"), [(1, 200), (1, -200), (1, 2), (0, 200), (0, 2)])
def test_scan_mem_1__b7_out_of_range_constant_indices_raise(n_steps, index):
    h0 = pt.scalar("h0")
    ys = sc(lambda h: h + 1, outputs_info=h0, n_steps=n_steps)
    with pytest.raises(IndexError):
        run(ys[index], {h0: 0.0})


@pytest.mark.rule("SCAN-MEM-1", "SCAN-UNTIL-2")
def test_scan_mem_1__b8_positive_indices_into_a_while_loop_with_constant_n_steps():
    max_value = pt.scalar("max_value")
    values = sc(lambda p, m: (p * 2, until(p * 2 > m)), outputs_info=pt.constant(1.0),
                non_sequences=max_value, n_steps=1024)
    f = pytensor.function([max_value], [values[i] for i in range(6)] + [values[-1], values[-6]])
    assert [float(v) for v in f(45)] == [2, 4, 8, 16, 32, 64, 64, 2]


@pytest.mark.rule("SCAN-INIT-2")
def test_scan_init_2__b9_a_short_initial_state_raises():
    v0 = pt.vector("v0")
    out = sc(lambda a, b: a * 100 + b, outputs_info=dict(initial=v0, taps=[-3, -1]), n_steps=4)
    with pytest.raises(ValueError, match=r"SCAN-INIT-2.*has 2 rows but taps \[-3, -1\] need 3"):
        out.eval({v0: [1.0, 2.0]})


@pytest.mark.rule("SCAN-TYPE-3", "SCAN-OUT-2")
def test_scan_type_3__b10_static_length_1_against_unknown_is_accepted_and_checked():
    raw, v = pt.vector("raw"), pt.vector("v")
    out = sc(lambda h, v: h + v, outputs_info=pt.specify_shape(raw, (1,)), non_sequences=v,
             n_steps=2)
    f = pytensor.function([raw, v], out)
    np.testing.assert_array_equal(f(np.ones(1), np.ones(1)), [[2.0], [3.0]])
    with pytest.raises(ValueError, match="SCAN-OUT-2"):
        f(np.ones(1), np.ones(3))
    # and the reverse: unknown initial length, step of static length 1
    back = sc(lambda h: pt.specify_shape(h.sum(keepdims=True), (1,)), outputs_info=raw, n_steps=2)
    np.testing.assert_array_equal(back.eval({raw: [3.0]}), [[3.0], [3.0]])
    with pytest.raises(ValueError, match="SCAN-OUT-2"):
        back.eval({raw: [1.0, 2.0]})


@pytest.mark.rule("SCAN-OUT-2")
def test_scan_out_2__b11_no_broadcasting_into_a_row():
    growing = sc(lambda i: pt.ones(pt.switch(pt.eq(i, 0), 3, 1)) * (i + 1), sequences=pt.arange(3))
    with pytest.raises(ValueError, match="SCAN-OUT-2"):
        growing.eval()
    v = pt.vector("v")
    summed = sc(lambda s: s.sum(keepdims=True), outputs_info=v, n_steps=3)
    with pytest.raises(ValueError, match="SCAN-OUT-2"):
        summed.eval({v: [1.0, 2.0]})


@pytest.mark.rule("SCAN-INIT-2", "SCAN-ARGS-2")
def test_scan_init_2__b15_a_numpy_multi_tap_initial_state():
    out = sc(lambda a, b: a + b, outputs_info=dict(initial=np.array([1.0, 1.0]), taps=[-2, -1]),
             n_steps=4)
    np.testing.assert_array_equal(out.eval(), [2.0, 3.0, 5.0, 8.0])


@pytest.mark.rule("SCAN-RESULT-1", "SCAN-STEPS-3", "SCAN-TYPE-1")
def test_scan_result_1__b16_one_step_is_an_ordinary_loop():
    # zero outputs: None (PyTensor's eager path returns [])
    a = pytensor.shared(1, name="a")
    outputs, _ = pytensor.scan(lambda: {a: a + 1}, n_steps=1)
    assert outputs is None
    # a short sequence: ValueError (PyTensor's eager path raises IndexError)
    x = pt.vector("x")
    with pytest.raises(ValueError, match="SCAN-STEPS-3"):
        sc(lambda v: v, sequences=x, n_steps=1).eval({x: np.zeros(0)})
    # the dtype check applies at one step as at two
    for n_steps in (1, 2):
        with pytest.raises(ValueError, match="SCAN-TYPE-1"):
            sc(lambda v, h: v, sequences=dict(input=pt.arange(20, dtype="int32"), taps=[2]),
               outputs_info=0, n_steps=n_steps)


@pytest.mark.rule("SCAN-UNTIL-2")
def test_scan_until_2__b17_a_while_loop_over_non_sequences_only():
    a = pt.scalar("a")
    out = sc(lambda a: (pt.tanh(a), until(pt.tanh(a) > 0)), non_sequences=[a], n_steps=5)
    np.testing.assert_allclose(out.eval({a: 0.3}), [np.tanh(0.3)])


@pytest.mark.rule("SCAN-ARGS-5", "SCAN-BODY-1")
def test_scan_args_5__b18_the_docstrings_drift():
    # taps=None is passed (as [-1]); (updates, outputs) is an error
    h0 = pt.scalar("h0")
    with pytest.warns(UserWarning):
        out = sc(lambda h: h + 1, outputs_info=dict(initial=h0, taps=None), n_steps=2)
    np.testing.assert_array_equal(out.eval({h0: 0.0}), [1.0, 2.0])
    s = pytensor.shared(0.0, name="s")
    with pytest.raises(ValueError, match="SCAN-BODY-1"):
        pytensor.scan(lambda h: ({s: s + 1}, h + 1), outputs_info=h0, n_steps=2)


@pytest.mark.rule("SCAN-BACK-1")
def test_scan_back_1__b19_constant_one_step_goes_backwards():
    x, y = pt.vector("x"), pt.vector("y")
    one = sc(lambda a: a, sequences=x, n_steps=1, go_backwards=True)
    np.testing.assert_array_equal(one.eval({x: 10 * np.arange(8.0)}), [70.0])
    five = sc(lambda a, b, c, d, e: a + b + c + d + e, n_steps=1, go_backwards=True,
              sequences=[dict(input=x, taps=[3, -1]), dict(input=y, taps=[-1, -2, -1])])
    np.testing.assert_array_equal(run(five, {x: 10 * np.arange(8.0), y: 1000 * np.arange(5.0)}),
                                  [8100.0])


# -- the other divergences of spec/C-divergences.rst -------------------------------------------


@pytest.mark.rule("SCAN-OPTS-1", "SCAN-RESULT-1")
def test_scan_opts_1__no_warnings_for_the_default_form_or_mode():
    x = pt.vector("x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pytensor.scan(lambda a: a, sequences=x)
        pytensor.scan(lambda a: a, sequences=x, mode="FAST_COMPILE")
        pytensor.map(lambda a: a, sequences=x, mode="FAST_RUN")


@pytest.mark.rule("SCAN-UNTIL-3")
def test_scan_until_3__the_guides_attribute_chain_works():
    assert pytensor.scan.utils.until(pt.scalar("c") > 0).condition.ndim == 0


@pytest.mark.rule("SCAN-BODY-3")
def test_scan_body_3__r8_3_free_variable_only_in_updates():
    c = pytensor.shared(np.float64(0.0), name="c")
    inc = pt.scalar("inc")
    _, updates = pytensor.scan(lambda: {c: c + inc}, n_steps=3)
    pytensor.function([inc], [], updates=updates)(2.0)
    assert c.get_value() == 6.0


@pytest.mark.rule("SCAN-STEPS-2")
def test_scan_steps_2__a_non_integral_float_raises_and_an_integral_one_works():
    h0 = pt.scalar("h0")
    with pytest.raises(TypeError, match=r"SCAN-STEPS-2.*n_steps.*2\.5"):
        sc(lambda h: h + 1, outputs_info=h0, n_steps=2.5)
    np.testing.assert_array_equal(sc(lambda h: h + 1, outputs_info=h0, n_steps=2.0).eval({h0: 0.0}),
                                  [1.0, 2.0])


@pytest.mark.rule("SCAN-UNTIL-3")
def test_scan_until_3__a_non_scalar_condition_raises_type_error():
    with pytest.raises(TypeError, match="SCAN-UNTIL-3"):
        until(pt.vector("v") > 0)
    with pytest.raises(TypeError, match="SCAN-UNTIL-3"):
        until(True)


@pytest.mark.rule("SCAN-BODY-1")
def test_scan_body_1__several_outputs_without_a_list():
    x = pt.vector("x")
    s = pytensor.shared(np.float64(0.0), name="s")
    (a, b), updates = pytensor.scan(lambda v: (v, v * 2, {s: s + v}, until(v > 1)), sequences=x)
    got = pytensor.function([x], [a, b], updates=updates)([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(got[0], [1.0, 2.0])
    np.testing.assert_array_equal(got[1], [2.0, 4.0])
    assert s.get_value() == 3.0


@pytest.mark.rule("SCAN-ARGS-1", "SCAN-ARGS-2")
def test_scan_args_1__malformed_arguments_raise_defined_errors():
    x = pt.vector("x")
    with pytest.raises(ValueError, match=r"sequences\[0\].*'input'"):
        sc(lambda a: a, sequences=dict(taps=[0]))
    with pytest.raises(ValueError, match=r"sequences\[0\].*unexpected keys \['tap'\]"):
        sc(lambda a: a, sequences=dict(input=x, tap=[1]))
    with pytest.raises(TypeError, match=r"sequences\[0\].*at least one axis"):
        sc(lambda a: a, sequences=pt.scalar("s"))
    with pytest.raises(ValueError, match=r"outputs_info\[0\].*must not be empty"):
        sc(lambda a: a, outputs_info=dict(initial=x, taps=[]), n_steps=1)


@pytest.mark.rule("SCAN-UPD-2")
def test_scan_upd_2__a_shared_state_keeps_its_shape():
    v = pytensor.shared(np.ones(2), name="v")
    _, updates = pytensor.scan(lambda: {v: pt.concatenate([v, v])}, n_steps=2)
    with pytest.raises(ValueError, match=r"SCAN-UPD-2.*update of v"):
        pytensor.function([], [], updates=updates)()


@pytest.mark.rule("SCAN-PRINT-1")
def test_scan_print_1__no_inplace_field():
    assert str(sc(lambda a: a, sequences=pt.vector("x"))) == "Scan{scan_fn, while_loop=False}.0"


@pytest.mark.rule("SCAN-ARGS-2")
@pytest.mark.rule("SCAN-RNG-1")
def test_scan_args_2__a_generator_in_outputs_info_is_an_untraced_state():
    """C.29: supported now; the final generator is returned in the entry's place."""
    rng = pytensor.shared(np.random.default_rng(1))

    def step(r):
        next_r, value = pt.random.normal(0, 1, rng=r).owner.outputs
        return next_r, value

    (final, values), updates = pytensor.scan(step, outputs_info=[rng, None], n_steps=3)
    assert updates == {}
    got = pytensor.function([], values, updates={rng: final})()
    np.testing.assert_array_equal(got, np.random.default_rng(1).normal(0, 1, size=3))
