"""The error catalogue (scan-semantics.md R17): every bad input raises our exception type,
its message starts with the rule's id and names the argument at fault (spec chapter 3,
"Error catalogue")."""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import MissingInputError, SpecError
from reference.scan import until
from reference.scan.run import NegativeStepsError

x = pt.vector("x")
h0 = pt.scalar("h0")
m0 = pt.vector("m0")
shared_s = pytensor.shared(np.float64(0.0), name="s")
shared_w = pytensor.shared(np.ones(2), name="W")


def sc(fn, **kwargs):
    return pytensor.scan(fn, return_updates=False, **kwargs)


def check(build, error, rule, *names):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(error) as info:
            build()
    assert isinstance(info.value, SpecError), info.value
    assert info.value.rule == rule
    text = str(info.value)
    assert text.startswith(f"[{rule}] ")
    for name in names:
        assert name in text, (name, text)


@pytest.mark.rule("SCAN-ARGS-1")
@pytest.mark.parametrize(("build", "error", "names"), [
    pytest.param(lambda: sc(lambda a, b: a, sequences=[x, dict(taps=[0])]), ValueError,
                 ["sequences[1]", "'input'"], id="missing-input"),
    pytest.param(lambda: sc(lambda a: a, sequences=dict(input=x, taps=[])), ValueError,
                 ["sequences[0]", "taps"], id="empty-taps"),
    pytest.param(lambda: sc(lambda a: a, sequences=dict(input=x, taps=[0.5])), TypeError,
                 ["sequences[0]", "taps"], id="float-taps"),
    pytest.param(lambda: sc(lambda a: a, sequences=dict(input=x, taps=[True])), TypeError,
                 ["sequences[0]", "taps"], id="bool-taps"),
    pytest.param(lambda: sc(lambda a: a, sequences=dict(input=x, tap=[1])), ValueError,
                 ["sequences[0]", "'tap'"], id="unknown-key"),
    pytest.param(lambda: sc(lambda a, b: a, sequences=[x, h0]), TypeError,
                 ["sequences[1]", "axis"], id="0-d-sequence"),
])
def test_scan_args_1__bad_sequences(build, error, names):
    check(build, error, "SCAN-ARGS-1", *names)


@pytest.mark.rule("SCAN-ARGS-2")
@pytest.mark.parametrize(("build", "error", "names"), [
    pytest.param(lambda: sc(lambda a: a, outputs_info=[None, dict(taps=[-1])], n_steps=2),
                 ValueError, ["outputs_info[1]", "initial"], id="taps-without-initial"),
    pytest.param(lambda: sc(lambda a, b: a, outputs_info=dict(initial=m0, taps=[-1, -1]), n_steps=2),
                 ValueError, ["outputs_info[0]", "distinct"], id="repeated-taps"),
    pytest.param(lambda: sc(lambda a, b: a, outputs_info=dict(initial=m0, taps=[-1, 0]), n_steps=2),
                 ValueError, ["outputs_info[0]", "negative"], id="tap-0"),
    pytest.param(lambda: sc(lambda a: a, outputs_info=dict(initial=m0, taps=[2]), n_steps=2),
                 ValueError, ["outputs_info[0]", "negative"], id="positive-tap"),
    pytest.param(lambda: sc(lambda a: a, outputs_info=dict(initial=h0, foo=1), n_steps=2),
                 ValueError, ["outputs_info[0]", "'foo'"], id="unknown-key"),
    pytest.param(lambda: sc(lambda a: a, outputs_info=dict(initial=h0, taps=-1), n_steps=2),
                 TypeError, ["outputs_info[0]", "list"], id="int-taps"),
    pytest.param(lambda: sc(lambda a: a, outputs_info=dict(initial=m0, taps=[]), n_steps=2),
                 ValueError, ["outputs_info[0]", "empty"], id="empty-taps"),
    pytest.param(lambda: sc(lambda a: a, outputs_info=dict(initial=m0, taps=[-1.0]), n_steps=2),
                 TypeError, ["outputs_info[0]", "ints"], id="float-taps"),
    pytest.param(lambda: sc(lambda a, b: a, outputs_info=dict(initial=h0, taps=[-2, -1]), n_steps=2),
                 TypeError, ["outputs_info[0]", "leading axis"], id="scalar-multi-tap-initial"),
])
def test_scan_args_2__bad_outputs_info(build, error, names):
    check(build, error, "SCAN-ARGS-2", *names)


@pytest.mark.rule("SCAN-ARGS-2")
def test_scan_args_2__taps_none_warns_naming_the_entry():
    with pytest.warns(UserWarning, match=r"outputs_info\[1\]: taps=None"):
        sc(lambda a, b: (a, b), outputs_info=[h0, dict(initial=h0, taps=None)], n_steps=1)


@pytest.mark.rule("SCAN-ARGS-3")
def test_scan_args_3__more_outputs_than_entries():
    check(lambda: sc(lambda a: (a, a), sequences=x, outputs_info=[None]), ValueError,
          "SCAN-ARGS-3", "outputs_info", "2 output(s)", "1 entries")


@pytest.mark.rule("SCAN-ARGS-5")
def test_scan_args_5__fn_not_callable():
    check(lambda: sc("fn", sequences=x), TypeError, "SCAN-ARGS-5", "fn")


@pytest.mark.rule("SCAN-BODY-1")
@pytest.mark.parametrize(("fn", "names"), [
    pytest.param(lambda a: 1.0, ["output 0", "float"], id="number"),
    pytest.param(lambda a: np.ones(2), ["output 0", "ndarray"], id="ndarray"),
    pytest.param(lambda a: None, ["output 0", "None"], id="none"),
    pytest.param(lambda a: [[a], [a]], ["output 0", "list"], id="nested-lists"),
    pytest.param(lambda a: (a, 2), ["output 1", "int"], id="second-output"),
    pytest.param(lambda a: (until(a > 0), a), ["until", "last"], id="until-first"),
    pytest.param(lambda a: (a, until(a > 0), {}), ["until", "last"], id="until-middle"),
    pytest.param(lambda a: ({shared_s: shared_s + 1}, a), ["outputs first"], id="updates-first"),
])
def test_scan_body_1__bad_return_values(fn, names):
    check(lambda: pytensor.scan(fn, sequences=x), ValueError, "SCAN-BODY-1", *names)


@pytest.mark.rule("SCAN-STEPS-1")
def test_scan_steps_1__no_sequences_no_n_steps():
    check(lambda: sc(lambda h: h, outputs_info=h0), ValueError, "SCAN-STEPS-1", "n_steps")


@pytest.mark.rule("SCAN-STEPS-2")
@pytest.mark.parametrize(("n_steps", "error"), [
    pytest.param(2.5, TypeError, id="float"),
    pytest.param(True, TypeError, id="bool"),
    pytest.param("3", TypeError, id="str"),
    pytest.param(pt.scalar("f"), ValueError, id="symbolic-float"),
    pytest.param(pt.ivector("v"), ValueError, id="vector"),
])
def test_scan_steps_2__bad_n_steps(n_steps, error):
    check(lambda: sc(lambda h: h, outputs_info=h0, n_steps=n_steps), error, "SCAN-STEPS-2", "n_steps")


@pytest.mark.rule("SCAN-STEPS-3")
def test_scan_steps_3__n_steps_larger_than_a_sequence():
    n = pt.iscalar("n")
    out = sc(lambda a, b: a + b, sequences=[x, dict(input=m0, taps=[2])], n_steps=n)
    f = pytensor.function([x, m0, n], out)
    check(lambda: f(np.ones(5), np.ones(4), 3), ValueError, "SCAN-STEPS-3",
          "sequences[1]", "m0", "4 rows", "taps [2]", "2 steps", "n_steps is 3")


@pytest.mark.rule("SCAN-STEPS-4")
def test_scan_steps_4__negative_n_steps():
    n = pt.iscalar("n")
    f = pytensor.function([h0, n], sc(lambda h: h, outputs_info=h0, n_steps=n))
    check(lambda: f(0.0, -2), NegativeStepsError, "SCAN-STEPS-4", "n_steps", "-2")
    check(lambda: sc(lambda h: h, outputs_info=h0, n_steps=-2), NegativeStepsError,
          "SCAN-STEPS-4", "n_steps", "-2")


@pytest.mark.rule("SCAN-INIT-2")
def test_scan_init_2__too_few_initial_rows():
    out = sc(lambda a, b, c: (a, b + c), outputs_info=[h0, dict(initial=m0, taps=[-4, -1])], n_steps=2)
    f = pytensor.function([h0, m0], out)
    check(lambda: f(0.0, np.ones(3)), ValueError, "SCAN-INIT-2", "m0", "3 rows", "need 4")


@pytest.mark.rule("SCAN-UNTIL-3")
@pytest.mark.parametrize("condition", [True, False, pt.vector("c") > 0, np.ones(2)])
def test_scan_until_3__bad_conditions(condition):
    check(lambda: until(condition), TypeError, "SCAN-UNTIL-3", "until")


@pytest.mark.rule("SCAN-STRICT-1")
def test_scan_strict_1__shared_variable_not_passed():
    check(lambda: sc(lambda a: a * shared_w.sum(), sequences=x, strict=True), MissingInputError,
          "SCAN-STRICT-1", "W", "non_sequences")


@pytest.mark.rule("SCAN-UPD-4")
def test_scan_upd_4__bad_update_targets_and_values():
    check(lambda: pytensor.scan(lambda a: (a, {x: x + 1}), sequences=x), TypeError, "SCAN-UPD-4",
          "shared variable", "x")
    check(lambda: pytensor.scan(lambda: {shared_s: shared_s.astype("float32")}, n_steps=1),
          TypeError, "SCAN-UPD-4", "s", "float32")
    check(lambda: pytensor.scan(lambda: {shared_w: shared_w.sum()}, n_steps=1),
          TypeError, "SCAN-UPD-4", "W")


@pytest.mark.rule("SCAN-UPD-5")
def test_scan_upd_5__return_updates_false_with_updates():
    check(lambda: pytensor.scan(lambda: {shared_s: shared_s + 1}, n_steps=1, return_updates=False),
          ValueError, "SCAN-UPD-5", "return_updates=False", "'s'")


@pytest.mark.rule("SCAN-UPD-2")
def test_scan_upd_2__an_update_changes_shape():
    v = pytensor.shared(np.ones(2), name="v")
    _, updates = pytensor.scan(lambda: {v: v[:1]}, n_steps=1)
    f = pytensor.function([], [], updates=updates)
    check(f, ValueError, "SCAN-UPD-2", "v", "step 0", "(1,)", "(2,)")


@pytest.mark.rule("SCAN-TYPE-1")
def test_scan_type_1__dtype_mismatch():
    check(lambda: sc(lambda a, h: h + a, sequences=pt.arange(3), outputs_info=0), ValueError,
          "SCAN-TYPE-1", "outputs_info[0]", "int8", "int64", "np.asarray", "pt.cast")


@pytest.mark.rule("SCAN-TYPE-2")
def test_scan_type_2__ndim_mismatch():
    check(lambda: sc(lambda h: pt.stack([h, h]), outputs_info=[h0], n_steps=2), ValueError,
          "SCAN-TYPE-2", "outputs_info[0]", "1 dimension(s)", "expected 0")


@pytest.mark.rule("SCAN-TYPE-3")
def test_scan_type_3__static_length_mismatch():
    init = pt.specify_shape(pt.vector("i"), (3,))
    check(lambda: sc(lambda h: h[:2], outputs_info=init, n_steps=2), ValueError, "SCAN-TYPE-3",
          "outputs_info[0]", "3", "2")


@pytest.mark.rule("SCAN-OUT-2")
def test_scan_out_2__row_shape_change():
    out = sc(lambda i: pt.ones(pt.switch(pt.eq(i, 0), 3, 1)), sequences=pt.arange(3))
    check(out.eval, ValueError, "SCAN-OUT-2", "outputs[0]", "step 1", "(1,)", "(3,)")


@pytest.mark.rule("SCAN-OUT-3")
def test_scan_out_3__row_shape_not_inferable():
    v = pt.lvector("v")
    out = sc(lambda a: pt.ones(a), sequences=v)
    check(lambda: out.eval({v: np.zeros(0, dtype="int64")}), ValueError, "SCAN-OUT-3",
          "zero steps", "outputs[0]")


@pytest.mark.rule("SCAN-NODE-1")
def test_scan_node_1__a_rebuilt_node_with_wrong_types():
    out = sc(lambda a: a, sequences=x)
    check(lambda: out.owner.op.make_node(pt.ivector("i")), TypeError, "SCAN-NODE-1", "sequence")
    check(lambda: out.owner.op.make_node(x, x), TypeError, "SCAN-NODE-1", "1 inputs, got 2")
