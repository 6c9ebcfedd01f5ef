"""Chapter 3, "Syntax": the arguments of ``scan`` and what it returns (SCAN-ARGS-*,
SCAN-OPTS-1, SCAN-RESULT-1).  Values recorded from PyTensor 3.3.7 come from
scan-semantics.md R1 and R2."""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecError


def sc(fn, **kwargs):
    return pytensor.scan(fn, return_updates=False, **kwargs)


def names_seen(record):
    """A step function that records its arguments' names and returns the first one."""

    def fn(*args):
        record.extend(a.name for a in args)
        return args[0]

    return fn


# -- SCAN-ARGS-1: sequences ----------------------------------------------------------------


@pytest.mark.rule("SCAN-ARGS-1")
def test_scan_args_1__a_bare_variable_is_read_at_tap_0():
    x = pt.vector("x")
    seen = []
    y = sc(names_seen(seen), sequences=x)
    assert seen == ["x[t]"]
    np.testing.assert_array_equal(y.eval({x: [1.0, 2.0, 3.0]}), [1.0, 2.0, 3.0])


@pytest.mark.rule("SCAN-ARGS-1")
@pytest.mark.parametrize("form", [{}, {"taps": None}, {"taps": 0}, {"taps": [0]}])
def test_scan_args_1__dict_forms_of_tap_0(form):
    x = pt.vector("x")
    seen = []
    y = sc(names_seen(seen), sequences=dict(input=x, **form))
    assert seen == ["x[t]"]
    np.testing.assert_array_equal(y.eval({x: [1.0, 2.0]}), [1.0, 2.0])


@pytest.mark.rule("SCAN-ARGS-1")
def test_scan_args_1__an_int_tap_is_wrapped_in_a_list():
    x = pt.vector("x")
    seen = []
    y = sc(names_seen(seen), sequences=dict(input=x, taps=2))
    assert seen == ["x[t+2]"]
    np.testing.assert_array_equal(y.eval({x: np.arange(5.0)}), [2.0, 3.0, 4.0])


@pytest.mark.rule("SCAN-ARGS-1", "SCAN-ARGS-5")
def test_scan_args_1__taps_in_any_order_with_repeats_are_passed_as_given():
    # scan-semantics.md R2.2: taps [1, -1, 1] on arange(6) -> [202, 313, 424, 535]
    x = pt.vector("x")
    seen = []

    def fn(a, b, c):
        seen.extend([a.name, b.name, c.name])
        return a * 100 + b * 10 + c

    y = sc(fn, sequences=[dict(input=x, taps=[1, -1, 1])])
    assert seen == ["x[t+1]", "x[t-1]", "x[t+1]"]
    np.testing.assert_array_equal(y.eval({x: np.arange(6.0)}), [202, 313, 424, 535])


@pytest.mark.rule("SCAN-ARGS-1")
def test_scan_args_1__numpy_arrays_and_lists_are_sequences():
    y = sc(lambda a, b: a + b, sequences=[np.arange(3.0), [10.0, 20.0, 30.0]])
    np.testing.assert_array_equal(y.eval(), [10.0, 21.0, 32.0])


@pytest.mark.rule("SCAN-ARGS-1")
def test_scan_args_1__a_tuple_of_sequences_is_a_list():
    x, y = pt.vector("x"), pt.vector("y")
    out = sc(lambda a, b: a - b, sequences=(x, y))
    np.testing.assert_array_equal(out.eval({x: [3.0, 4.0], y: [1.0, 1.0]}), [2.0, 3.0])


@pytest.mark.rule("SCAN-ARGS-1")
def test_scan_args_1__an_unnamed_sequence_is_called_by_its_position():
    seen = []
    sc(names_seen(seen), sequences=[pt.vector(), dict(input=pt.vector(), taps=[-1])])
    assert seen == ["sequences[0][t]", "sequences[1][t-1]"]


# -- SCAN-ARGS-2: outputs_info -------------------------------------------------------------


@pytest.mark.rule("SCAN-ARGS-2")
@pytest.mark.parametrize("entry", [None, {}, {"initial": None}])
def test_scan_args_2__mapped_output_forms(entry):
    x = pt.vector("x")
    seen = []
    y = sc(names_seen(seen), sequences=x, outputs_info=[entry])
    assert seen == ["x[t]"]
    np.testing.assert_array_equal(y.eval({x: [1.0, 2.0]}), [1.0, 2.0])


@pytest.mark.rule("SCAN-ARGS-2", "SCAN-INIT-1")
@pytest.mark.parametrize("make", [
    lambda h0: h0,
    lambda h0: dict(initial=h0),
    lambda h0: dict(initial=h0, taps=[-1]),
    lambda h0: dict(initial=h0, taps=(-1,)),
])
def test_scan_args_2__single_tap_forms(make):
    h0 = pt.scalar("h0")
    seen = []

    def fn(h):
        seen.append(h.name)
        return h * 2

    y = sc(fn, outputs_info=make(h0), n_steps=3)
    assert seen == ["h0[t-1]"]
    np.testing.assert_array_equal(y.eval({h0: 1.0}), [2.0, 4.0, 8.0])


@pytest.mark.rule("SCAN-ARGS-2")
def test_scan_args_2__taps_none_with_an_initial_state_warns_and_means_minus_1():
    h0 = pt.scalar("h0")
    with pytest.warns(UserWarning, match=r"outputs_info\[0\]"):
        y = sc(lambda h: h + 1, outputs_info=dict(initial=h0, taps=None), n_steps=2)
    np.testing.assert_array_equal(y.eval({h0: 0.0}), [1.0, 2.0])


@pytest.mark.rule("SCAN-ARGS-2")
def test_scan_args_2__the_inplace_key_is_accepted_and_ignored():
    h0 = pt.scalar("h0")
    y = sc(lambda h: h + 1, outputs_info=dict(initial=h0, inplace=True), n_steps=2)
    np.testing.assert_array_equal(y.eval({h0: 0.0}), [1.0, 2.0])


@pytest.mark.rule("SCAN-ARGS-2", "SCAN-ARGS-5")
def test_scan_args_2__multi_tap_taps_are_passed_in_the_order_given():
    # scan-semantics.md R2.4: taps=[-1, -3] passes (x[t-1], x[t-3])
    m0 = pt.vector("m0")
    seen = []

    def fn(a, b):
        seen.extend([a.name, b.name])
        return a * 10 + b

    y = sc(fn, outputs_info=dict(initial=m0, taps=[-1, -3]), n_steps=2)
    assert seen == ["m0[t-1]", "m0[t-3]"]
    # history 1, 2, 3: step 0 = 3*10 + 1 = 31; step 1 = 31*10 + 2 = 312
    np.testing.assert_array_equal(y.eval({m0: [1.0, 2.0, 3.0]}), [31.0, 312.0])


@pytest.mark.rule("SCAN-ARGS-2")
def test_scan_args_2__a_single_tap_other_than_minus_1_is_multi_tap():
    m0 = pt.vector("m0")
    y = sc(lambda a: a + 1, outputs_info=dict(initial=m0, taps=[-2]), n_steps=4)
    assert y.ndim == 1
    np.testing.assert_array_equal(y.eval({m0: [10.0, 20.0]}), [11.0, 21.0, 12.0, 22.0])


@pytest.mark.rule("SCAN-ARGS-2", "SCAN-ARGS-5")
def test_scan_args_2__mixed_outputs_keep_the_users_order():
    # scan-semantics.md R2.5: [None, h0, dict(initial=m0, taps=[-2,-1])]
    x, h0, m0 = pt.vector("x"), pt.scalar("h0"), pt.vector("m0")
    seen = []

    def fn(xt, h, m2, m1):
        seen.extend(a.name for a in (xt, h, m2, m1))
        return xt * 2, h + xt, m2 + m1

    outs = sc(fn, sequences=x, outputs_info=[None, h0, dict(initial=m0, taps=[-2, -1])])
    assert seen == ["x[t]", "h0[t-1]", "m0[t-2]", "m0[t-1]"]
    values = pytensor.function([x, h0, m0], outs)([1.0, 2.0, 3.0], 0.0, [1.0, 1.0])
    np.testing.assert_array_equal(values[0], [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(values[1], [1.0, 3.0, 6.0])
    np.testing.assert_array_equal(values[2], [2.0, 3.0, 5.0])


@pytest.mark.rule("SCAN-ARGS-2")
def test_scan_args_2__an_unnamed_initial_state_is_called_by_its_position():
    seen = []

    def fn(h):
        seen.append(h.name)
        return h

    sc(fn, outputs_info=[pt.scalar()], n_steps=1)
    assert seen == ["outputs_info[0][t-1]"]


# -- SCAN-ARGS-3: one outputs_info entry per output -----------------------------------------


@pytest.mark.rule("SCAN-ARGS-3")
@pytest.mark.parametrize("outputs_info", [[None], [None, None, None]])
def test_scan_args_3__outputs_info_must_match_the_outputs(outputs_info):
    x = pt.vector("x")
    with pytest.raises(ValueError, match=r"SCAN-ARGS-3.*2 output\(s\).*outputs_info") as info:
        sc(lambda a: (a, a * 2), sequences=x, outputs_info=outputs_info)
    assert isinstance(info.value, SpecError)


@pytest.mark.rule("SCAN-ARGS-3")
@pytest.mark.parametrize("outputs_info", [None, []])
def test_scan_args_3__without_outputs_info_every_output_is_mapped(outputs_info):
    x = pt.vector("x")
    a, b = sc(lambda a: (a, a * 2), sequences=x, outputs_info=outputs_info)
    f = pytensor.function([x], [a, b])
    got = f([1.0, 2.0])
    np.testing.assert_array_equal(got[0], [1.0, 2.0])
    np.testing.assert_array_equal(got[1], [2.0, 4.0])


# -- SCAN-ARGS-4: non_sequences --------------------------------------------------------------


@pytest.mark.rule("SCAN-ARGS-4")
def test_scan_args_4__a_python_number_becomes_an_int8_constant():
    seen = []

    def fn(a, three):
        seen.append(three)
        return a * three

    x = pt.vector("x")
    y = sc(fn, sequences=x, non_sequences=3)
    assert seen[0].dtype == "int8"
    np.testing.assert_array_equal(y.eval({x: [1.0, 2.0]}), [3.0, 6.0])


@pytest.mark.rule("SCAN-ARGS-4")
def test_scan_args_4__fn_receives_the_variable_and_the_step_binds_a_placeholder():
    """As PyTensor: fn is called with the non-sequence itself; the step built from its
    result reads a placeholder of the same type and name, bound at every step."""
    x, w = pt.vector("x"), pt.scalar("w")
    seen = []

    def fn(a, w_inner):
        seen.append(w_inner)
        return a * w_inner

    y = sc(fn, sequences=x, non_sequences=[w])
    assert seen[0] is w
    (inner,) = y.owner.op.spec.non_sequences
    assert inner is not w and inner.name == "w" and inner.type == w.type
    np.testing.assert_array_equal(pytensor.function([x, w], y)([1.0, 2.0], 5.0), [5.0, 10.0])


@pytest.mark.rule("SCAN-ARGS-4")
def test_scan_args_4__fn_can_differentiate_through_the_non_sequences():
    """The Jacobian idiom of PyTensor's derivatives tutorial: grad(y[i], x) inside fn, with
    y = f(x) and both given as non-sequences."""
    x = pt.dvector("x")
    y = x ** 2
    J, updates = pytensor.scan(lambda i, y, x: pytensor.grad(y[i], x),
                               sequences=pt.arange(y.shape[0]), non_sequences=[y, x])
    f = pytensor.function([x], J, updates=updates)
    np.testing.assert_array_equal(f([4.0, 4.0]), [[8.0, 0.0], [0.0, 8.0]])
    v = pt.dvector("v")
    A = pt.dmatrix("A")
    out = pt.tanh(pt.dot(v, A))
    J2, _ = pytensor.scan(lambda i, out, v: pytensor.grad(out[i], v),
                          sequences=pt.arange(out.shape[0]), non_sequences=[out, v])
    a = np.random.default_rng(0).normal(size=(3, 3))
    vv = np.array([0.1, -0.2, 0.3])
    expected = (1 - np.tanh(vv @ a) ** 2)[:, None] * a.T
    np.testing.assert_allclose(pytensor.function([v, A], J2)(vv, a), expected, rtol=1e-12)
    H, _ = pytensor.scan(lambda i, gy, x: pytensor.grad(gy[i], x),
                         sequences=pt.arange(x.shape[0]), non_sequences=[pytensor.grad(pt.sum(x ** 3), x), x])
    np.testing.assert_array_equal(pytensor.function([x], H)([1.0, 2.0]), [[6.0, 0.0], [0.0, 12.0]])


@pytest.mark.rule("SCAN-ARGS-4")
def test_scan_args_4__a_shared_variable_is_passed_as_itself():
    w = pytensor.shared(np.float64(2.0), name="w")
    seen = []

    def fn(a, w_inner):
        seen.append(w_inner)
        return a * w_inner

    x = pt.vector("x")
    y = sc(fn, sequences=x, non_sequences=w)
    assert seen[0] is w
    f = pytensor.function([x], y)
    np.testing.assert_array_equal(f([1.0, 2.0]), [2.0, 4.0])
    w.set_value(np.float64(3.0))
    np.testing.assert_array_equal(f([1.0, 2.0]), [3.0, 6.0])


@pytest.mark.rule("SCAN-ARGS-4")
def test_scan_args_4__a_numpy_array_non_sequence():
    x = pt.vector("x")
    y = sc(lambda a, v: a + v.sum(), sequences=x, non_sequences=[np.array([1.0, 2.0])])
    np.testing.assert_array_equal(y.eval({x: [0.0, 1.0]}), [3.0, 4.0])


# -- SCAN-ARGS-5: the order of fn's arguments ---------------------------------------------------


@pytest.mark.rule("SCAN-ARGS-5")
def test_scan_args_5__the_docstring_example_with_taps_none_passed():
    # scan-semantics.md R2.5, observed argument names
    s1, s2, s3 = pt.vector("s1"), pt.vector("s2"), pt.vector("s3")
    o1, o2, o3 = pt.vector("o1"), pt.scalar("o2"), pt.scalar("o3")
    a1, a2 = pt.scalar("a1"), pt.scalar("a2")
    seen = []

    def fn(*args):
        seen.extend(a.name for a in args)
        return args[5] + args[6] + args[9], args[7] + args[10], args[8]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        pytensor.scan(
            fn,
            sequences=[dict(input=s1, taps=[-3, 2, -1]), s2, dict(input=s3, taps=3)],
            outputs_info=[dict(initial=o1, taps=[-3, -5]), dict(initial=o2, taps=None), o3],
            non_sequences=[a1, a2],
        )
    assert seen == ["s1[t-3]", "s1[t+2]", "s1[t-1]", "s2[t]", "s3[t+3]",
                    "o1[t-3]", "o1[t-5]", "o2[t-1]", "o3[t-1]", "a1", "a2"]


@pytest.mark.rule("SCAN-ARGS-5")
def test_scan_args_5__implicit_and_updated_variables_are_not_arguments():
    x = pt.vector("x")
    w = pytensor.shared(np.float64(2.0), name="w")
    count = pytensor.shared(np.float64(0.0), name="count")
    seen = []

    def fn(a):
        seen.append(a.name)
        return a * w, {count: count + 1}

    out, updates = pytensor.scan(fn, sequences=x)
    assert seen == ["x[t]"]
    f = pytensor.function([x], out, updates=updates)
    np.testing.assert_array_equal(f([1.0, 2.0]), [2.0, 4.0])
    assert count.get_value() == 2.0


@pytest.mark.rule("SCAN-ARGS-5")
def test_scan_args_5__fn_must_be_callable():
    with pytest.raises(TypeError, match=r"SCAN-ARGS-5.*fn must be callable"):
        pytensor.scan(3, sequences=pt.vector("x"))


@pytest.mark.rule("SCAN-ARGS-5")
def test_scan_args_5__the_wrong_arity_is_pythons_type_error():
    with pytest.raises(TypeError, match="positional argument"):
        pytensor.scan(lambda a, b: a, sequences=pt.vector("x"))


# -- SCAN-OPTS-1: name, mode, profile, allow_gc --------------------------------------------------


@pytest.mark.rule("SCAN-OPTS-1")
def test_scan_opts_1__name_is_shown_in_the_op():
    x = pt.vector("x")
    y = sc(lambda a: a, sequences=x, name="myloop")
    assert str(y.owner.op) == "Scan{myloop, while_loop=False}"
    assert str(sc(lambda a: a, sequences=x).owner.op) == "Scan{scan_fn, while_loop=False}"


@pytest.mark.rule("SCAN-OPTS-1")
@pytest.mark.parametrize("options", [
    {"mode": "FAST_RUN"}, {"mode": "FAST_COMPILE"}, {"profile": True},
    {"allow_gc": True}, {"allow_gc": False}, {"name": "other"},
])
def test_scan_opts_1__options_never_change_values(options):
    x, h0 = pt.vector("x"), pt.scalar("h0")
    plain = sc(lambda a, h: h * 0.5 + a, sequences=x, outputs_info=h0)
    other = sc(lambda a, h: h * 0.5 + a, sequences=x, outputs_info=h0, **options)
    f = pytensor.function([x, h0], [plain, other])
    a, b = f([1.0, 2.0, 3.0], 4.0)
    np.testing.assert_array_equal(a, b)


@pytest.mark.rule("SCAN-OPTS-1")
def test_scan_opts_1__allow_gc_none_means_the_config_flag():
    x = pt.vector("x")
    y = sc(lambda a: a, sequences=x)
    assert y.owner.op.spec.allow_gc == pytensor.config.scan__allow_gc
    assert sc(lambda a: a, sequences=x, allow_gc=True).owner.op.spec.allow_gc is True


@pytest.mark.rule("SCAN-OPTS-1")
def test_scan_opts_1__profile_counts_calls():
    x = pt.vector("x")
    y = sc(lambda a: a * 2, sequences=x, profile=True)
    f = pytensor.function([x], y)
    f([1.0, 2.0])
    f([1.0])
    stats = y.owner.op.profile_stats
    assert stats["calls"] == 2 and stats["seconds"] >= 0.0


@pytest.mark.rule("SCAN-OPTS-1", "SCAN-RESULT-1")
def test_scan_opts_1__no_deprecation_or_future_warning():
    # PyTensor 3.3.7 warns for return_updates=True (the default) and for mode=
    x = pt.vector("x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = pytensor.scan(lambda a: a * 2, sequences=x, mode="FAST_RUN")
    assert isinstance(result, tuple) and result[1] == {}


# -- SCAN-RESULT-1: what scan returns -------------------------------------------------------------


@pytest.mark.rule("SCAN-RESULT-1")
def test_scan_result_1__default_is_outputs_and_updates():
    x = pt.vector("x")
    outputs, updates = pytensor.scan(lambda a: a * 2, sequences=x)
    assert isinstance(outputs, pytensor.Variable)
    assert updates == {}


@pytest.mark.rule("SCAN-RESULT-1")
def test_scan_result_1__one_output_or_a_list():
    x = pt.vector("x")
    assert isinstance(sc(lambda a: a * 2, sequences=x), pytensor.Variable)
    one = sc(lambda a: a * 2, sequences=x, return_list=True)
    assert isinstance(one, list) and len(one) == 1
    two = sc(lambda a: (a * 2, a + 1), sequences=x)
    assert isinstance(two, list) and len(two) == 2
    also_two = sc(lambda a: [a * 2, a + 1], sequences=x, return_list=True)
    assert isinstance(also_two, list) and len(also_two) == 2


@pytest.mark.rule("SCAN-RESULT-1")
@pytest.mark.parametrize("return_list", [False, True])
def test_scan_result_1__no_outputs_gives_none(return_list):
    a = pytensor.shared(1, name="a")
    outputs, updates = pytensor.scan(lambda: {a: a + 1}, n_steps=10, return_list=return_list)
    assert outputs is None
    assert list(updates) == [a]


@pytest.mark.rule("SCAN-RESULT-1")
def test_scan_result_1__no_outputs_at_one_step_is_also_none():
    # PyTensor's eager n_steps == 1 path returns [] here (B16)
    a = pytensor.shared(1, name="a")
    outputs, updates = pytensor.scan(lambda: {a: a + 1}, n_steps=1)
    assert outputs is None
    pytensor.function([], [], updates=updates)()
    assert a.get_value() == 2


@pytest.mark.rule("SCAN-RESULT-1", "SCAN-UNTIL-3")
def test_scan_result_1__scan_is_a_callable_module_with_attributes():
    import reference.scan
    from reference.scan import until as until_1
    from reference.scan.utils import until as until_2

    assert callable(reference.scan)
    assert pytensor.scan.utils.until is until_1 is until_2 is pytensor.scan.until
    for name in ("map", "reduce", "foldl", "foldr"):
        assert getattr(pytensor.scan, name) is getattr(pytensor, name)
