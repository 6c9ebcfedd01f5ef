"""Chapter 3, "Body", "until" and "Shared updates and random streams" (SCAN-BODY-*,
SCAN-STRICT-1, SCAN-UNTIL-*, SCAN-UPD-*).  Recorded values: scan-semantics.md R6-R8."""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import MissingInputError
from reference.scan import until


def sc(fn, **kwargs):
    return pytensor.scan(fn, return_updates=False, **kwargs)


def run(outputs, inputs, updates=None):
    return pytensor.function(list(inputs), outputs, updates=updates)(*inputs.values())


# -- SCAN-BODY-1: what fn returns ---------------------------------------------------------


@pytest.mark.rule("SCAN-BODY-1")
@pytest.mark.parametrize("form", ["tuple", "list", "list_in_tuple_with_updates",
                                  "flat_with_updates", "list_with_until", "flat_with_until",
                                  "updates_pairs"])
def test_scan_body_1__outputs_updates_until_in_that_order(form):
    x = pt.vector("x")
    s = pytensor.shared(np.float64(0.0), name="s")
    forms = {
        "tuple": lambda a: (a * 2, a + 1),
        "list": lambda a: [a * 2, a + 1],
        "list_in_tuple_with_updates": lambda a: ([a * 2, a + 1], {s: s + a}),
        "flat_with_updates": lambda a: (a * 2, a + 1, {s: s + a}),
        "list_with_until": lambda a: ([a * 2, a + 1], until(a > 100)),
        "flat_with_until": lambda a: (a * 2, a + 1, {s: s + a}, until(a > 100)),
        "updates_pairs": lambda a: (a * 2, a + 1, [(s, s + a)]),
    }
    outputs, updates = pytensor.scan(forms[form], sequences=x)
    got = run(outputs, {x: [1.0, 2.0]}, updates=updates)
    np.testing.assert_array_equal(got[0], [2.0, 4.0])
    np.testing.assert_array_equal(got[1], [2.0, 3.0])
    assert (s in updates) == ("updates" in form or "flat_with_until" in form or form == "updates_pairs")


@pytest.mark.rule("SCAN-BODY-1")
def test_scan_body_1__only_updates_and_until():
    c = pytensor.shared(np.float64(0.0), name="c")
    outputs, updates = pytensor.scan(lambda: ({c: c + 1}, until(c >= 2)), n_steps=10)
    assert outputs is None
    pytensor.function([], [], updates=updates)()
    assert c.get_value() == 3.0


@pytest.mark.rule("SCAN-BODY-1")
@pytest.mark.parametrize("bad", [
    lambda a: (until(a > 0), a),
    lambda a: (a, until(a > 0), {}),
])
def test_scan_body_1__until_must_be_last(bad):
    with pytest.raises(ValueError, match=r"SCAN-BODY-1.*until.*last"):
        sc(bad, sequences=pt.vector("x"))


@pytest.mark.rule("SCAN-BODY-1")
def test_scan_body_1__updates_before_outputs_raise():
    s = pytensor.shared(np.float64(0.0), name="s")
    with pytest.raises(ValueError, match=r"SCAN-BODY-1.*outputs first"):
        pytensor.scan(lambda a: ({s: s + 1}, a), sequences=pt.vector("x"))


@pytest.mark.rule("SCAN-BODY-1")
@pytest.mark.parametrize("bad", [1.0, np.ones(2), None, [[0]]], ids=["number", "ndarray", "none", "nested"])
def test_scan_body_1__outputs_must_be_symbolic(bad):
    x = pt.vector("x")
    fn = (lambda a: [[a], [a]]) if isinstance(bad, list) else (lambda a: bad)
    with pytest.raises(ValueError, match=r"SCAN-BODY-1.*output 0 returned by fn"):
        sc(fn, sequences=x)


# -- SCAN-BODY-2 / SCAN-BODY-3 ---------------------------------------------------------------


@pytest.mark.rule("SCAN-BODY-2", "SCAN-UPD-1")
def test_scan_body_2__an_updated_shared_variable_is_read_per_step():
    # scan-semantics.md R7.2: a counter s + xt with update {s: s + xt} over [1,2,3]
    s = pytensor.shared(np.float64(0.0), name="s")
    x = pt.vector("x")
    out, updates = pytensor.scan(lambda xt: (s + xt, {s: s + xt}), sequences=x)
    np.testing.assert_array_equal(run(out, {x: [1.0, 2.0, 3.0]}, updates), [1.0, 3.0, 6.0])
    assert s.get_value() == 6.0


@pytest.mark.rule("SCAN-BODY-2")
def test_scan_body_2__the_placeholder_is_named_after_the_variable():
    s = pytensor.shared(np.float64(0.0), name="s")
    out, _ = pytensor.scan(lambda: (s * 2, {s: s + 1}), n_steps=2)
    states = out.owner.op.spec.shared_states
    assert len(states) == 1 and states[0].variable is s and states[0].inner.name == "s"
    assert states[0].inner is not s


@pytest.mark.rule("SCAN-BODY-3")
def test_scan_body_3__implicit_shared_and_free_variables_are_added():
    w = pytensor.shared(np.float64(2.0), name="w")
    b = pt.scalar("b")
    x = pt.vector("x")
    out = sc(lambda a: a * w + b, sequences=x)
    f = pytensor.function([x, b], out)
    np.testing.assert_array_equal(f([1.0, 2.0], 10.0), [12.0, 14.0])
    assert any(i is w for i in out.owner.inputs) and any(i is b for i in out.owner.inputs)


@pytest.mark.rule("SCAN-BODY-3")
def test_scan_body_3__the_root_is_added_and_the_expression_recomputed():
    # scan-semantics.md R13.6: W**2 used inside fn, the root W is the non-sequence
    w = pt.scalar("w")
    w2 = w**2
    x = pt.vector("x")
    out = sc(lambda a: a * w2, sequences=x)
    assert any(i is w for i in out.owner.inputs)
    assert not any(i is w2 for i in out.owner.inputs)
    np.testing.assert_array_equal(run(out, {x: [1.0, 2.0], w: 3.0}), [9.0, 18.0])


@pytest.mark.rule("SCAN-BODY-3")
def test_scan_body_3__a_free_variable_used_only_in_an_update():
    # PyTensor 3.3.7 raises MissingInputError here (R8.3); reference adds it
    c = pytensor.shared(np.float64(0.0), name="c")
    inc = pt.scalar("inc")
    outputs, updates = pytensor.scan(lambda: {c: c + inc}, n_steps=3)
    assert outputs is None
    pytensor.function([inc], [], updates=updates)(2.0)
    assert c.get_value() == 6.0


@pytest.mark.rule("SCAN-BODY-3")
def test_scan_body_3__a_scan_inside_fn():
    m = pt.matrix("m")

    def row_total(row):
        partial = sc(lambda e, acc: acc + e, sequences=row, outputs_info=pt.constant(np.float64(0)))
        return partial[-1]

    totals = sc(row_total, sequences=m)
    np.testing.assert_array_equal(totals.eval({m: np.arange(6.0).reshape(2, 3)}), [3.0, 12.0])


@pytest.mark.rule("SCAN-BODY-3")
def test_scan_body_3__an_inner_scan_reading_an_outer_free_variable():
    x, w = pt.vector("x"), pt.scalar("w")

    def fn(a):
        powers = sc(lambda h: h * w, outputs_info=a, n_steps=2)
        return powers[-1]

    out = sc(fn, sequences=x)
    np.testing.assert_array_equal(run(out, {x: [1.0, 2.0], w: 3.0}), [9.0, 18.0])


@pytest.mark.rule("SCAN-BODY-3", "SCAN-NODE-1")
def test_scan_body_3__a_scan_over_the_outputs_of_a_scan():
    x = pt.vector("x")
    cumulative = sc(lambda a, h: h + a, sequences=x, outputs_info=pt.constant(np.float64(0)))
    doubled = sc(lambda c: c * 2, sequences=cumulative)
    np.testing.assert_array_equal(doubled.eval({x: [1.0, 2.0, 3.0]}), [2.0, 6.0, 12.0])


# -- SCAN-STRICT-1 -------------------------------------------------------------------------------


@pytest.mark.rule("SCAN-STRICT-1")
def test_scan_strict_1__an_implicit_shared_variable_raises_when_scan_is_called():
    w = pytensor.shared(np.float64(2.0), name="w")
    x = pt.vector("x")
    with pytest.raises(MissingInputError, match=r"SCAN-STRICT-1.*shared variable w.*non_sequences"):
        pytensor.scan(lambda a: a * w, sequences=x, strict=True)


@pytest.mark.rule("SCAN-STRICT-1")
def test_scan_strict_1__listing_it_as_a_sequence_does_not_count():
    w = pytensor.shared(np.ones(3), name="w")
    with pytest.raises(MissingInputError, match="SCAN-STRICT-1"):
        pytensor.scan(lambda a: a * w.sum(), sequences=w, strict=True)


@pytest.mark.rule("SCAN-STRICT-1")
def test_scan_strict_1__passing_it_as_a_non_sequence_satisfies_strict():
    w = pytensor.shared(np.float64(2.0), name="w")
    x = pt.vector("x")
    out = sc(lambda a, w: a * w, sequences=x, non_sequences=[w], strict=True)
    np.testing.assert_array_equal(out.eval({x: [1.0, 2.0]}), [2.0, 4.0])


@pytest.mark.rule("SCAN-STRICT-1")
def test_scan_strict_1__free_variables_and_updated_shared_variables_are_fine():
    b = pt.scalar("b")
    s = pytensor.shared(np.float64(0.0), name="s")
    srng = pt.random.RandomStream(3)
    x = pt.vector("x")
    out, updates = pytensor.scan(lambda a: (a + b + s + srng.normal(0, 1) * 0, {s: s + 1}),
                                 sequences=x, strict=True)
    got = pytensor.function([x, b], out, updates=updates)([1.0, 1.0], 10.0)
    np.testing.assert_array_equal(got, [11.0, 12.0])


# -- SCAN-UNTIL-3 / SCAN-UNTIL-1 / SCAN-UNTIL-2 ------------------------------------------------


@pytest.mark.rule("SCAN-UNTIL-3")
@pytest.mark.parametrize("value", [True, False])
def test_scan_until_3__a_python_bool_raises_type_error(value):
    with pytest.raises(TypeError, match=r"SCAN-UNTIL-3.*until"):
        until(value)


@pytest.mark.rule("SCAN-UNTIL-3")
def test_scan_until_3__the_condition_must_be_a_scalar():
    with pytest.raises(TypeError, match=r"SCAN-UNTIL-3.*until.*scalar.*Vector"):
        until(pt.vector("x") > 0)


@pytest.mark.rule("SCAN-UNTIL-3")
def test_scan_until_3__numbers_and_numpy_scalars_are_accepted():
    assert until(np.float64(1.0)).condition.ndim == 0
    assert until(0).condition.ndim == 0


@pytest.mark.rule("SCAN-UNTIL-1")
def test_scan_until_1__the_step_that_makes_it_true_is_kept():
    # scan-semantics.md R6.3: until(h >= 3) with h0 = 0 gives [1, 2, 3, 4]
    h0 = pt.scalar("h0")
    out = sc(lambda h: (h + 1, until(h >= 3)), outputs_info=h0, n_steps=10)
    np.testing.assert_array_equal(out.eval({h0: 0.0}), [1.0, 2.0, 3.0, 4.0])


@pytest.mark.rule("SCAN-UNTIL-1")
def test_scan_until_1__any_nonzero_value_stops():
    # scan-semantics.md R6.3: until(h * 0.5) with h0 = 0 gives [1, 2]
    h0 = pt.scalar("h0")
    out = sc(lambda h: (h + 1, until(h * 0.5)), outputs_info=h0, n_steps=10)
    np.testing.assert_array_equal(out.eval({h0: 0.0}), [1.0, 2.0])
    ints = sc(lambda h: (h + 1, until(h)), outputs_info=pt.constant(np.int64(0)), n_steps=10)
    np.testing.assert_array_equal(ints.eval(), [1, 2])


@pytest.mark.rule("SCAN-UNTIL-1")
def test_scan_until_1__powers_of_two():
    # scan-semantics.md R6.3: f(45) = [2,4,8,16,32,64] (float32), f(0.5) = [2.]
    max_value = pt.scalar("max_value")
    values = sc(lambda p, m: (p * 2, until(p * 2 > m)), outputs_info=pt.constant(1.0),
                non_sequences=max_value, n_steps=1024)
    f = pytensor.function([max_value], values)
    got = f(45)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, [2, 4, 8, 16, 32, 64])
    np.testing.assert_array_equal(f(0.5), [2.0])


@pytest.mark.rule("SCAN-UNTIL-2")
def test_scan_until_2__a_mapped_output_is_cut():
    x = pt.vector("x")
    out = sc(lambda a: (a * 10, until(a > 2)), sequences=x)
    np.testing.assert_array_equal(out.eval({x: [0.0, 1.0, 3.0, 4.0, 5.0]}), [0, 10, 30])


@pytest.mark.rule("SCAN-UNTIL-2")
def test_scan_until_2__never_true_runs_every_step():
    x = pt.vector("x")
    out = sc(lambda a: (a * 10, until(a > 20)), sequences=x)
    np.testing.assert_array_equal(out.eval({x: [0.0, 1.0, 3.0, 4.0, 5.0]}), [0, 10, 30, 40, 50])


@pytest.mark.rule("SCAN-UNTIL-2")
def test_scan_until_2__zero_steps():
    h0, n = pt.scalar("h0"), pt.iscalar("n")
    out = sc(lambda h: (h + 1, until(h > 2)), outputs_info=h0, n_steps=n)
    assert run(out, {h0: 0.0, n: 0}).shape == (0,)


@pytest.mark.rule("SCAN-UNTIL-2")
def test_scan_until_2__a_multi_tap_output_is_cut():
    # scan-semantics.md R6.4: mit-sot fib until(> 20) gives [2, 3, 5, 8, 13, 21]
    v0 = pt.vector("v0")
    out = sc(lambda a, b: (a + b, until(a + b > 20)), outputs_info=dict(initial=v0, taps=[-2, -1]),
             n_steps=100)
    np.testing.assert_array_equal(out.eval({v0: [1.0, 1.0]}), [2, 3, 5, 8, 13, 21])


@pytest.mark.rule("SCAN-UNTIL-2")
def test_scan_until_2__all_kinds_of_output_have_the_same_length():
    x, h0, m0 = pt.vector("x"), pt.scalar("h0"), pt.vector("m0")

    def fn(a, h, m2, m1):
        return [a * 2, h + a, m2 + m1], until(a >= 2)

    outs = sc(fn, sequences=x, outputs_info=[None, h0, dict(initial=m0, taps=[-2, -1])])
    got = run(outs, {x: np.arange(6.0), h0: 0.0, m0: [1.0, 1.0]})
    assert [len(v) for v in got] == [3, 3, 3]
    np.testing.assert_array_equal(got[2], [2.0, 3.0, 5.0])


@pytest.mark.rule("SCAN-UNTIL-2", "SCAN-UPD-3")
def test_scan_until_2__shared_updates_stop_at_the_last_executed_step():
    # scan-semantics.md R6.5: c -> c+1 with until(c >= 3) gives [0,1,2,3] and leaves c = 4
    c = pytensor.shared(np.float64(0.0), name="c")
    out, updates = pytensor.scan(lambda: (c + 0, {c: c + 1}, until(c >= 3)), n_steps=10)
    np.testing.assert_array_equal(run(out, {}, updates), [0.0, 1.0, 2.0, 3.0])
    assert c.get_value() == 4.0


# -- SCAN-UPD-1 / SCAN-UPD-2 -----------------------------------------------------------------


@pytest.mark.rule("SCAN-UPD-1")
def test_scan_upd_1__outputs_see_the_value_before_the_steps_update():
    s = pytensor.shared(np.float64(5.0), name="s")
    out, updates = pytensor.scan(lambda: (s * 1, {s: s * 2}), n_steps=3)
    np.testing.assert_array_equal(run(out, {}, updates), [5.0, 10.0, 20.0])
    assert s.get_value() == 40.0


@pytest.mark.rule("SCAN-UPD-2")
def test_scan_upd_2__updates_are_simultaneous():
    # scan-semantics.md R7.2 (values measured on PyTensor with p = 10, q = 1)
    p = pytensor.shared(np.float64(10.0), name="p")
    q = pytensor.shared(np.float64(1.0), name="q")
    out, updates = pytensor.scan(lambda: (p + q, {p: q, q: p}), n_steps=3)
    np.testing.assert_array_equal(run(out, {}, updates), [11.0, 11.0, 11.0])
    assert (p.get_value(), q.get_value()) == (1.0, 10.0)


@pytest.mark.rule("SCAN-UPD-2")
def test_scan_upd_2__an_update_must_keep_the_shape():
    v = pytensor.shared(np.ones(2), name="v")
    _, updates = pytensor.scan(lambda: {v: pt.concatenate([v, v])}, n_steps=2)
    f = pytensor.function([], [], updates=updates)
    with pytest.raises(ValueError, match=r"SCAN-UPD-2.*step 0.*update of v has shape \(4,\)"):
        f()
    np.testing.assert_array_equal(v.get_value(), [1.0, 1.0])


# -- SCAN-UPD-3: the updates scan returns; random streams ------------------------------------------


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__the_update_maps_the_variable_to_a_loop_output():
    a = pytensor.shared(1, name="a")
    values, updates = pytensor.scan(lambda: {a: a + 1}, n_steps=10)
    assert values is None
    assert list(updates) == [a]
    assert updates[a].owner.op is not None and str(updates[a]).startswith("Scan{scan_fn")


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__applied_once_per_call_and_never_without_them():
    # scan-semantics.md R7.4, the guide's counter
    a = pytensor.shared(1, name="a")
    _, updates = pytensor.scan(lambda: {a: a + 1}, n_steps=10)
    b = a + 1
    c = updates[a] + 1
    f = pytensor.function([], [b, c], updates=updates)
    assert [int(v) for v in f()] == [2, 12] and a.get_value() == 11
    assert [int(v) for v in f()] == [12, 22] and a.get_value() == 21
    g = pytensor.function([], [b, c])
    assert [int(v) for v in g()] == [22, 32] and a.get_value() == 21
    assert [int(v) for v in g()] == [22, 32] and a.get_value() == 21


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__without_updates_the_counter_stays_at_1():
    a = pytensor.shared(1, name="a")
    _, updates = pytensor.scan(lambda: {a: a + 1}, n_steps=10)
    f = pytensor.function([], [a + 1, updates[a] + 1])
    for _ in range(3):
        assert [int(v) for v in f()] == [2, 12]
        assert a.get_value() == 1


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__random_draws_differ_per_step_and_per_call_with_updates():
    srng = pt.random.RandomStream(42)
    draws, updates = pytensor.scan(lambda: srng.normal(0, 1), n_steps=4)
    assert len(updates) == 1
    f = pytensor.function([], draws, updates=updates)
    first, second = f(), f()
    assert len(set(first.tolist())) == 4
    assert not np.array_equal(first, second)


@pytest.mark.rule("SCAN-UPD-3", "SCAN-BODY-3")
def test_scan_upd_3__a_draw_made_outside_fn_is_the_same_at_every_step():
    # PyTensor 3.3.7: no update returned, the same row at every step, new rows per call
    srng = pt.random.RandomStream(1234)
    d = srng.normal(size=(2,))
    rows, updates = pytensor.scan(lambda: d * 1.0, n_steps=3)
    assert len(updates) == 0
    f = pytensor.function([], [rows, d], updates=updates)
    (first, d1), (second, d2) = f(), f()
    assert np.array_equal(first, np.stack([d1] * 3)) and np.array_equal(second, np.stack([d2] * 3))
    assert not np.array_equal(d1, d2)  # the function applies the draw's default update
    assert first.shape == (3, 2)
    # a draw made inside fn from the same stream is loop state, as before
    rows2, updates2 = pytensor.scan(lambda: d * 0.0 + srng.uniform(), n_steps=3)
    assert len(updates2) == 1
    assert len(set(pytensor.function([], rows2, updates=updates2)()[:, 0].tolist())) == 3


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__random_draws_repeat_without_updates():
    srng = pt.random.RandomStream(42)
    draws, updates = pytensor.scan(lambda: srng.normal(0, 1), n_steps=4)
    f = pytensor.function([], draws)
    first, second = f(), f()
    assert len(set(first.tolist())) == 4
    np.testing.assert_array_equal(first, second)


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__the_generators_default_update_is_cleared():
    srng = pt.random.RandomStream(7)
    seen = []

    def fn():
        value = srng.normal(0, 1)
        seen.append(srng.state_updates[-1][0])
        return value

    _, updates = pytensor.scan(fn, n_steps=2)
    (generator,) = seen
    assert generator.default_update is None
    assert list(updates) == [generator]


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__same_seed_same_draws():
    def draws(seed):
        srng = pt.random.RandomStream(seed)
        out, updates = pytensor.scan(lambda: srng.uniform(0, 1), n_steps=3)
        return pytensor.function([], out, updates=updates)()

    np.testing.assert_array_equal(draws(5), draws(5))
    assert not np.array_equal(draws(5), draws(6))


# -- SCAN-UPD-4 / SCAN-UPD-5 ---------------------------------------------------------------


@pytest.mark.rule("SCAN-UPD-4")
def test_scan_upd_4__the_target_must_be_shared():
    x = pt.vector("x")
    with pytest.raises(TypeError, match=r"SCAN-UPD-4.*shared variable, got x"):
        pytensor.scan(lambda a: (a, {x: x + 1}), sequences=x)


@pytest.mark.rule("SCAN-UPD-4")
def test_scan_upd_4__the_value_must_have_the_targets_type():
    c = pytensor.shared(np.float64(0.0), name="c")
    with pytest.raises(TypeError, match=r"SCAN-UPD-4.*shared variable c.*float32"):
        pytensor.scan(lambda: {c: c.astype("float32")}, n_steps=2)


@pytest.mark.rule("SCAN-UPD-4")
def test_scan_upd_4__a_python_value_is_converted_to_the_targets_dtype():
    c = pytensor.shared(np.float64(0.0), name="c")
    _, updates = pytensor.scan(lambda: {c: 3}, n_steps=2)
    pytensor.function([], [], updates=updates)()
    assert c.get_value() == 3.0 and c.get_value().dtype == np.float64


@pytest.mark.rule("SCAN-UPD-5")
def test_scan_upd_5__return_updates_false_with_updates_raises():
    a = pytensor.shared(1, name="a")
    with pytest.raises(ValueError, match=r"SCAN-UPD-5.*return_updates=False.*\['a'\]"):
        pytensor.scan(lambda: {a: a + 1}, n_steps=10, return_updates=False)


@pytest.mark.rule("SCAN-UPD-5")
def test_scan_upd_5__an_absorbed_random_generator_counts():
    srng = pt.random.RandomStream(1)
    with pytest.raises(ValueError, match="SCAN-UPD-5"):
        pytensor.scan(lambda: srng.normal(0, 1), n_steps=2, return_updates=False)


@pytest.mark.rule("SCAN-UPD-3", "SCAN-BODY-3")
def test_scan_upd_3__a_generator_without_an_update_draws_the_same_value_at_every_step():
    # scan-semantics.md R7.5: an RNG passed as a plain non-sequence (no update) yields the
    # same draw at every step
    srng = pt.random.RandomStream(5)
    value = srng.normal(0, 1)
    generator = srng.state_updates[-1][0]
    generator.default_update = None  # a plain shared generator, as in PyTensor's case
    draws, updates = pytensor.scan(lambda: value * 1, n_steps=3)
    assert updates == {}
    got = pytensor.function([], draws)()
    assert got[0] == got[1] == got[2]


@pytest.mark.rule("SCAN-NODE-1", "SCAN-BODY-3")
def test_scan_node_1__a_loop_inside_givens():
    y, x = pt.vector("y"), pt.vector("x")
    cumulative = sc(lambda a, h: h + a, sequences=y, outputs_info=pt.constant(np.float64(0)))
    f = pytensor.function([y], x * 2, givens={x: cumulative})
    np.testing.assert_array_equal(f([1.0, 2.0, 3.0]), [2.0, 6.0, 12.0])
