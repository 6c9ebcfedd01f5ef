"""Chapter 1, compiled functions: arguments, calls, input conversion, givens, updates (FN-*).

The accept/refuse cases of input conversion are those of tests/data/pytensor_facts.md,
section a (ids such as ``a7d`` name them); PyTensor's exception class is recorded where it
is not a TypeError (C.2 of spec/C-divergences.rst).
"""

import re
import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference import function, shared
from reference.errors import MissingInputError, SpecTypeError, SpecValueError, UnusedInputError


def scalar(dtype):
    return pt.tensor(dtype, shape=(), name="x")


def vector(dtype, shape=(None,)):
    return pt.tensor(dtype, shape=shape, name="x")


# -- input conversion ---------------------------------------------------------------------
ACCEPT = [
    # (facts id, input, value, allow_input_downcast, expected)
    ("a1", vector("float32"), [1, 2], None, np.array([1, 2], "float32")),
    ("a5e", vector("float32"), np.array([1, 2], "int8"), None, np.array([1, 2], "float32")),
    ("a6c", scalar("float32"), 0.5, None, np.array(0.5, "float32")),
    ("a6e", scalar("float32"), np.float64(0.5), None, np.array(0.5, "float32")),
    ("a7b", scalar("int32"), 2.0, None, np.array(2, "int32")),
    ("a7c", scalar("int32"), 3, None, np.array(3, "int32")),
    ("a7e", scalar("int32"), np.int64(3), None, np.array(3, "int32")),
    ("a7f", scalar("int32"), True, None, np.array(1, "int32")),
    ("a7g", scalar("float64"), 3, None, np.array(3.0)),
    ("a7h", scalar("bool"), 1, None, np.array(True)),
    ("a7i", scalar("bool"), True, None, np.array(True)),
    ("a8b", vector("int32"), [1, 2], None, np.array([1, 2], "int32")),
    ("a8c", vector("int32"), [1.0, 2.0], None, np.array([1, 2], "int32")),
    ("a9", vector("int64"), np.array([1, 2], "int32"), None, np.array([1, 2])),
    ("a9b", vector("float64"), np.array([0.1], "float32"), None, np.array([0.1], "float32").astype("float64")),
    ("a11", vector("float32"), np.array([0.1, 2.5]), True, np.array([0.1, 2.5], "float32")),
    ("a11b", scalar("int32"), 1.5, True, np.array(1, "int32")),
    ("a11c", vector("int32"), np.array([1, 2**40]), True, np.array([1, 0], "int32")),
    ("a11d", scalar("int8"), 300, True, np.array(44, "int8")),
    ("a11e", vector("float32"), [0.5], False, np.array([0.5], "float32")),
    ("a11g", scalar("float32"), 0.5, False, np.array(0.5, "float32")),
    ("a12", vector("float64"), range(3), None, np.array([0.0, 1.0, 2.0])),
    ("a12b", vector("float64"), np.arange(3), None, np.array([0.0, 1.0, 2.0])),
    ("a12c", vector("float64"), (1, 2), None, np.array([1.0, 2.0])),
    ("a12d", vector("int32"), range(3), None, np.array([0, 1, 2], "int32")),
    ("a14", pt.dmatrix("x"), np.asfortranarray(np.ones((2, 3))), None, np.ones((2, 3))),
    ("nan", vector("float32"), [float("nan"), 1.0], None, np.array([np.nan, 1.0], "float32")),
]

REFUSE = [
    # (facts id, input, value, allow_input_downcast, rule)
    ("a2", vector("float32"), [0.1, 2.5], None, "FN-INPUT-4"),
    ("a3", vector("float32"), 1.5, None, "FN-INPUT-3"),
    ("a4", vector("float32"), 1, None, "FN-INPUT-3"),
    ("a5", vector("float32"), np.array([0.1, 2.5]), None, "FN-INPUT-2"),
    ("a5b", vector("float32"), np.array([1.0, 2.5]), None, "FN-INPUT-2"),
    ("a5c", vector("float32"), np.array([1, 2]), None, "FN-INPUT-2"),
    ("a5d", vector("float32"), np.array([1, 2], "int32"), None, "FN-INPUT-2"),
    ("a5f", vector("float32"), [0.1], None, "FN-INPUT-4"),
    ("a6", scalar("float32"), np.float64(0.1), None, "FN-INPUT-4"),
    ("a6b", scalar("float32"), 0.1, None, "FN-INPUT-4"),
    ("a6d", scalar("float32"), 1e40, None, "FN-INPUT-4"),
    ("a7", scalar("int32"), 1.5, None, "FN-INPUT-4"),
    ("a7d", scalar("int32"), 2**40, None, "FN-INPUT-4"),  # OverflowError in PyTensor (C.2)
    ("a7j", scalar("int8"), 300, None, "FN-INPUT-4"),  # OverflowError in PyTensor (C.2)
    ("a7k", scalar("uint8"), -1, None, "FN-INPUT-4"),  # OverflowError in PyTensor (C.2)
    ("a8", vector("int32"), np.array([1, 2], "int64"), None, "FN-INPUT-2"),
    ("a9c", vector("int64"), np.array([1.0]), None, "FN-INPUT-2"),
    ("a10", vector("float64"), np.zeros((2, 2)), None, "FN-INPUT-3"),
    ("a10b", vector("float64"), np.float64(1), None, "FN-INPUT-3"),
    ("a10c", scalar("float64"), np.zeros(1), None, "FN-INPUT-3"),
    ("a10d", scalar("float64"), [1.0], None, "FN-INPUT-3"),
    ("a10e", vector("float64", (3,)), np.zeros(2), None, "FN-INPUT-3"),
    ("a10f", vector("float64", (1,)), np.zeros(2), None, "FN-INPUT-3"),
    ("a11f", vector("float32"), [0.1], False, "FN-INPUT-4"),
    ("a11h", scalar("float32"), 0.1, False, "FN-INPUT-4"),
    ("a15", vector("float64"), "ab", None, "FN-INPUT-4"),  # ValueError in PyTensor (C.2)
    ("a16", vector("float64"), None, None, "FN-INPUT-4"),
]


@pytest.mark.rule("FN-INPUT-1")
@pytest.mark.rule("FN-INPUT-2")
@pytest.mark.rule("FN-INPUT-4")
@pytest.mark.parametrize(("case", "x", "value", "downcast", "expected"), ACCEPT, ids=[c[0] for c in ACCEPT])
def test_fn_input_1__accepted_values_convert_as_pytensor(case, x, value, downcast, expected):
    got = function([x], x, allow_input_downcast=downcast)(value)
    assert type(got) is np.ndarray and got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


@pytest.mark.rule("FN-INPUT-2")
@pytest.mark.rule("FN-INPUT-3")
@pytest.mark.rule("FN-INPUT-4")
@pytest.mark.parametrize(("case", "x", "value", "downcast", "rule"), REFUSE, ids=[c[0] for c in REFUSE])
def test_fn_input_4__refused_values_are_type_errors(case, x, value, downcast, rule):
    f = function([x], x, allow_input_downcast=downcast)
    with pytest.raises(SpecTypeError) as info:
        f(value)
    assert info.value.rule == rule
    assert "input 0 (x)" in str(info.value)


@pytest.mark.rule("FN-INPUT-1")
def test_fn_input_1__an_array_of_the_dtype_is_used_as_it_is():
    x = pt.dvector("x")
    seen = []
    a = np.arange(3.0)
    function([x], x * 2)(a, trace=lambda node, ins, outs: seen.append(ins[0]))
    assert seen[0] is a


@pytest.mark.rule("FN-INPUT-4")
def test_fn_input_4__floatx_float32_accepts_python_floats():
    with pytensor.config.change_flags(floatX="float32"):
        x = pt.fscalar("x")
        f = function([x], x)
        assert f(0.1) == np.float32(0.1)  # a17
        assert f(np.float64(0.1)) == np.float32(0.1)
        v = pt.fvector("v")
        with pytest.raises(SpecTypeError):  # a17b: only scalars, not lists
            function([v], v)([0.1])


# -- missing and unused inputs ------------------------------------------------------------
@pytest.mark.rule("FN-INPUT-5")
def test_fn_input_5__missing_input_error_names_the_variable():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    with pytest.raises(MissingInputError) as info:
        function([x], x + y)
    assert info.value.rule == "FN-INPUT-5"
    assert "depend on y of type Scalar(float64, shape=())" in str(info.value)
    unnamed = pt.dscalar()
    with pytest.raises(MissingInputError, match=r"<Scalar\(float64, shape=\(\)\)>"):
        function([x], x + unnamed)


@pytest.mark.rule("FN-INPUT-5")
def test_fn_input_5__a_missing_input_of_an_update_is_found_too():
    s = shared(0.0, name="s")
    y = pt.dscalar("y")
    with pytest.raises(MissingInputError, match="depend on y"):
        function([], s, updates=[(s, s + y)])


@pytest.mark.rule("FN-ARGS-3")
def test_fn_args_3__unused_input_raise_warn_ignore():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    with pytest.raises(UnusedInputError) as info:
        function([x, y], x * 2)
    assert isinstance(info.value, ValueError) and info.value.rule == "FN-ARGS-3"
    assert "input 1 (y)" in str(info.value)
    with pytest.warns(UserWarning, match="input 1"):
        f = function([x, y], x * 2, on_unused_input="warn")
    assert f(1.0, 2.0) == 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = function([x, y], x * 2, on_unused_input="ignore")
    assert g(1.0, y=5.0) == 2.0
    with pytest.raises(UnusedInputError):  # b2e, b2f
        function([x], [])
    with pytest.raises(UnusedInputError):
        function([x])


# -- arguments ----------------------------------------------------------------------------
@pytest.mark.rule("FN-ARGS-1")
def test_fn_args_1__inputs_must_be_a_list_of_distinct_plain_variables():
    x = pt.dscalar("x")
    s = shared(1.0)
    for inputs, error in (
        (x, SpecTypeError),  # b4d
        ([1.0], SpecTypeError),  # b4c
        ([pt.constant(1.0)], SpecTypeError),  # b4e
        ([s], SpecTypeError),  # b4f
        ([x, x], SpecValueError),  # b1j
    ):
        with pytest.raises(error) as info:
            function(inputs, x * 2)
        assert info.value.rule == "FN-ARGS-1"


@pytest.mark.rule("FN-ARGS-1")
def test_fn_args_1__a_computed_input_is_cut_from_its_graph():
    x = pt.dscalar("x")
    y = x * 2
    f = function([y], [y + 1, y * y])  # b4g: x is not needed
    assert f(5.0) == [6.0, 25.0]
    y.name = "y"
    assert function([y], y + 1)(y=3.0) == 4.0


@pytest.mark.rule("FN-ARGS-1")
@pytest.mark.parametrize("outputs", [{"a": pt.dscalar("x") * 2}, 3, "x"])
def test_fn_args_1__outputs_must_be_variables(outputs):
    with pytest.raises(SpecTypeError) as info:
        function([], outputs, on_unused_input="ignore")
    assert info.value.rule == "FN-ARGS-1"


@pytest.mark.rule("FN-ARGS-1")
def test_fn_args_1__options_are_checked():
    x = pt.dscalar("x")
    with pytest.raises(SpecValueError):  # b3d
        function([x], x, on_unused_input="bogus")
    with pytest.raises(SpecTypeError):
        function([x], x, updates=[(1, 2, 3)])
    with pytest.raises(SpecTypeError):
        function([x], x, givens=5)
    assert function([x], x, name="myfn", profile=None, trust_input=False).name == "myfn"


@pytest.mark.rule("FN-ARGS-2")
@pytest.mark.parametrize("mode", [None, "python", "FAST_RUN", "FAST_COMPILE", "DebugMode"])
def test_fn_args_2__every_mode_gives_the_same_values(mode):
    x = pt.dvector("x")
    f = function([x], pt.exp(x).sum(), mode=mode)
    assert f(np.arange(3.0)) == np.exp(np.arange(3.0)).sum()


@pytest.mark.rule("FN-ARGS-2")
def test_fn_args_2__an_unknown_mode_is_refused():
    x = pt.dvector("x")
    with pytest.raises(SpecValueError) as info:
        function([x], x, mode="NO_SUCH_MODE")
    assert info.value.rule == "FN-ARGS-2"


# -- calling ------------------------------------------------------------------------------
@pytest.mark.rule("FN-CALL-1")
def test_fn_call_1__by_position_and_by_name():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    f = function([x, y], x - y)
    assert f(3.0, 1.0) == 2.0
    assert f(y=1.0, x=3.0) == 2.0  # b1
    assert f(3.0, y=1.0) == 2.0
    unnamed = pt.dscalar()
    h = function([unnamed, y], unnamed - y)  # b1b
    assert h(1.0, y=2.0) == -1.0


@pytest.mark.rule("FN-CALL-1")
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f: f(1.0, 2.0, 3.0), "takes 2 inputs, got 3"),  # b1d
        (lambda f: f(1.0, z=2.0), "no input named 'z'"),  # b1c
        (lambda f: f(1.0), "missing input 1 (y)"),  # b1e
        (lambda f: f(1.0, x=2.0), "got input 'x' twice"),  # b1f
    ],
)
def test_fn_call_1__argument_errors(call, message):
    x, y = pt.dscalar("x"), pt.dscalar("y")
    f = function([x, y], x + y)
    with pytest.raises(SpecTypeError, match=re.escape(message)) as info:
        call(f)
    assert info.value.rule == "FN-CALL-1"


@pytest.mark.rule("FN-CALL-1")
def test_fn_call_1__an_ambiguous_name_is_refused():
    x, x2 = pt.dscalar("x"), pt.dscalar("x")
    f = function([x, x2], x + x2)
    assert f(1.0, 2.0) == 3.0  # b1h
    with pytest.raises(SpecTypeError, match="ambiguous"):  # b1i
        f(x=1.0, x2=2.0)


@pytest.mark.rule("FN-CALL-1")
def test_fn_call_1__outputs_are_fresh_arrays():
    x = pt.dvector("x")
    s = shared(np.zeros(2), name="s")
    a = np.ones(2)
    r = function([x], x)(a)  # b2g
    assert r is not a and not np.shares_memory(r, a)
    r0, r1 = function([x], [x * 2, x * 2])(a)  # b2h
    assert r0 is not r1
    y = x * 2
    r2, r3 = function([x], [y, y])(a)  # the same variable twice
    assert r2 is not r3 and not np.shares_memory(r2, r3)
    out = function([], s)()
    out[0] = 5.0  # writable, and not the shared storage
    assert s.get_value()[0] == 0.0
    view = function([x], x[1:])(a)
    view[0] = 9.0
    assert a[1] == 1.0


@pytest.mark.rule("FN-CALL-1")
def test_fn_call_1__one_output_or_a_list():
    x = pt.dscalar("x")
    assert type(function([x], x * 2)(3.0)) is np.ndarray  # a13b: 0-d array, not np.float64
    assert function([x], x * 2)(3.0).shape == ()
    assert function([x], [x * 2])(1.0) == [2.0]  # b2b
    assert function([x], (x * 2, x + 1))(1.0) == [2.0, 2.0]  # b2d
    assert function([], [])() == []  # b2l
    assert function([x], pt.constant(3.0), on_unused_input="ignore")(1.0).dtype == np.float32


# -- givens -------------------------------------------------------------------------------
@pytest.mark.rule("FN-GIVENS-1")
def test_fn_givens_1__replace_inputs_shared_and_python_values():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    assert function([y], x * 2, givens={x: y + 1})(1.0) == 4.0  # b7
    s = shared(5.0, name="s")
    assert function([], x * 2, givens=[(x, s)])() == 10.0  # b7b
    assert function([], x * 2, givens={x: 3.0})() == 6.0  # b7d
    v = pt.dvector("v")
    assert function([], v + 1, givens={v: pt.zeros((3,))})().tolist() == [1.0, 1.0, 1.0]
    t = shared(1.0, name="t")
    assert function([], t * 2, givens={t: pt.constant(np.float64(4.0))})() == 8.0


@pytest.mark.rule("FN-GIVENS-1")
@pytest.mark.parametrize(
    ("key", "value"),
    [
        (pt.dscalar("x"), pt.fscalar("y")),  # b7c
        (pt.dscalar("x"), pt.iscalar("i")),  # b7f
        (shared(5.0, name="s"), pt.constant(1.0)),  # b7e: float32 constant for float64
        (pt.fscalar("x"), 0.1),  # not exactly a float32
        (pt.dvector("x"), pt.dmatrix("m")),
    ],
)
def test_fn_givens_1__types_must_agree(key, value):
    with pytest.raises(SpecTypeError) as info:
        function([], key * 2, givens={key: value}, on_unused_input="ignore")
    assert info.value.rule == "FN-GIVENS-1"


@pytest.mark.rule("FN-GIVENS-1")
def test_fn_givens_1__keys_must_be_variables_and_targets_stay():
    s = shared(0.0, name="s")
    x = pt.dscalar("x")
    with pytest.raises(SpecTypeError):
        function([], x, givens={1.0: x})
    f = function([x], s, updates=[(s, s + x)], givens={s: x * 10})
    assert f(2.0) == 20.0  # the output sees the given value
    assert s.get_value() == 22.0  # the update value too (x * 10 + x), but the target is still s


# -- updates ------------------------------------------------------------------------------
@pytest.mark.rule("FN-UPDATE-1")
@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda s, x: [(x, x + 1)], SpecTypeError),  # b6
        (lambda s, x: [(s * 2, s + 1)], SpecTypeError),  # b6b
        (lambda s, x: [(s, s + 1), (s, s + 2)], SpecValueError),  # b6e
        (lambda s, x: [(s, pt.cast(x, "float32"))], SpecTypeError),  # b5
        (lambda s, x: [(s, pt.cast(x, "int32"))], SpecTypeError),  # b5c
        (lambda s, x: [(s, pt.constant(5))], SpecTypeError),  # b5j: int8 constant
        (lambda s, x: [(s, pt.constant(0.5))], SpecTypeError),  # b5k: float32 constant
        (lambda s, x: [(s, pt.stack([x]))], SpecTypeError),  # wrong ndim
    ],
)
def test_fn_update_1__update_pairs_are_checked(make, error):
    s = shared(0.0, name="s")
    x = pt.dscalar("x")
    with pytest.raises(error) as info:
        function([x], x, updates=make(s, x))
    assert info.value.rule == "FN-UPDATE-1"


@pytest.mark.rule("FN-UPDATE-1")
def test_fn_update_1__python_values_convert_to_the_target_type():
    s = shared(0.0, name="s")
    function([], [], updates=[(s, 5)])()  # b5f
    assert s.get_value() == 5.0 and s.get_value().dtype == np.float64
    f32 = shared(np.float32(0), name="f32")
    i32 = shared(np.int32(0), name="i32")
    with pytest.raises(SpecTypeError, match="FN-UPDATE-1"):  # b5l
        function([], [], updates=[(f32, 0.1)])
    with pytest.raises(SpecTypeError, match="FN-UPDATE-1"):  # b5n
        function([], [], updates=[(i32, 1.5)])
    v = shared(np.zeros(3), name="v")
    function([], [], updates=[(v, [5.0])])()  # a constant of v's type, not of shape (1,)
    assert v.get_value().tolist() == [5.0]


@pytest.mark.rule("FN-UPDATE-1")
def test_fn_update_1__static_shapes_of_updates():
    s = shared(np.zeros(3), name="s")
    v = pt.dvector("v")
    f = function([v], [], updates=[(s, v)])  # b5h: another length is fine
    f(np.ones(4))
    assert s.get_value().shape == (4,)
    function([], [], updates=[(s, pt.zeros((3,)))])()  # more specific is fine
    with pytest.raises(SpecTypeError, match="broadcastable"):  # b5i
        function([], [], updates=[(s, pt.zeros((1,)))])
    fixed = shared(np.zeros(3), name="fixed", shape=(3,))
    g = function([v], [], updates=[(fixed, v)])  # less specific: checked when stored
    g(np.ones(3))
    with pytest.raises(SpecTypeError) as info:
        g(np.ones(4))
    assert info.value.rule == "FN-INPUT-3"
    assert fixed.get_value().tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(SpecTypeError, match="static length 2"):
        function([], [], updates=[(fixed, pt.zeros((2,)))])


@pytest.mark.rule("FN-UPDATE-2")
def test_fn_update_2__default_updates_apply_when_the_variable_is_used():
    s = shared(0, name="s")
    s.default_update = s + 1
    f = function([], s)
    assert (f(), f(), s.get_value()) == (0, 1, 2)  # c9
    function([], s, updates=[(s, s + 10)])()  # c9b
    assert s.get_value() == 12
    function([], s, no_default_updates=True)()  # c9c
    assert s.get_value() == 12
    x = pt.dscalar("x")
    function([x], x * 2)(1.0)  # c9d
    assert s.get_value() == 12


@pytest.mark.rule("FN-UPDATE-2")
def test_fn_update_2__default_updates_of_default_updates():
    step = shared(1, name="step")
    step.default_update = step * 2
    total = shared(0, name="total")
    total.default_update = total + step
    f = function([], total)
    f()
    assert (total.get_value(), step.get_value()) == (1, 2)
    f()
    assert (total.get_value(), step.get_value()) == (3, 4)


@pytest.mark.rule("FN-UPDATE-2")
def test_fn_update_2__default_updates_are_type_checked():
    s = shared(0.0, name="s")
    s.default_update = pt.iscalar("i") + 0  # c9e
    with pytest.raises(SpecTypeError) as info:
        function([], s)
    assert info.value.rule == "FN-UPDATE-1"


@pytest.mark.rule("FN-UPDATE-3")
def test_fn_update_3__updates_are_simultaneous_and_outputs_see_old_values():
    a, b = shared(1.0, name="a"), shared(2.0, name="b")
    f = function([], [a * 1, b * 1], updates=[(a, b), (b, a)])  # b6f
    assert f() == [1.0, 2.0]
    assert (a.get_value(), b.get_value()) == (2.0, 1.0)
    s = shared(0.0, name="s")
    g = function([], s, updates=[(s, s + 1)])  # b6d
    assert (g(), g(), s.get_value()) == (0.0, 1.0, 2.0)


@pytest.mark.rule("FN-UPDATE-3")
def test_fn_update_3__a_call_that_raises_changes_no_shared_value():
    a = shared(1.0, name="a")
    fixed = shared(np.zeros(2), name="fixed", shape=(2,))
    x = pt.dvector("x")
    f = function([x], x.reshape((2, 2)), updates=[(a, a + 1)])
    with pytest.raises(ValueError):  # the output fails
        f(np.zeros(3))
    assert a.get_value() == 1.0
    g = function([x], [], updates=[(a, a + 1), (fixed, x)])
    with pytest.raises(SpecTypeError):  # the second update's value does not fit
        g(np.zeros(3))
    assert a.get_value() == 1.0 and fixed.get_value().tolist() == [0.0, 0.0]
    g(np.ones(2))
    assert a.get_value() == 2.0 and fixed.get_value().tolist() == [1.0, 1.0]


@pytest.mark.rule("FN-UPDATE-3")
def test_fn_update_3__updates_only_and_dict_updates():
    s = shared(0.0, name="s")
    f = function([], [], updates={s: s + 1})  # b6c, b2m
    assert f() == []
    assert s.get_value() == 1.0


@pytest.mark.rule("FN-UPDATE-2")
def test_fn_update_2__default_updates_follow_what_the_built_graph_reads():
    # values: PyTensor 3.3.7's (its tests test_no_default_updates, test_default_updates_*)
    x, y = pytensor.shared(0, name="x"), pytensor.shared(1, name="y")
    x.default_update = x + 2
    pytensor.function([], x, no_default_updates=[y])()
    assert x.get_value() == 2  # a list leaves out only the variables it names
    pytensor.function([], x, no_default_updates=[x])()
    assert x.get_value() == 2
    with pytest.raises(TypeError, match="no_default_updates"):
        pytensor.function([], x, no_default_updates=[x + 1])
    a = pytensor.shared(0, name="a")
    a.default_update = a + 1
    b = 2 * a
    assert pytensor.function([b], b)(21) == 21 and a.get_value() == 0  # a is only read above the input
    c = pytensor.shared(1.0, name="c")
    c.default_update = c + 3.0
    s = pt.dscalar("s")
    assert pytensor.function([s], c + 10, givens={c: s})(5.0) == 15.0 and c.get_value() == 1.0


@pytest.mark.rule("FN-ATTR-1")
def test_fn_attr_1__copy_swaps_shared_variables_read_through_givens():
    train, test = pytensor.shared(np.array([1.0, 2.0])), pytensor.shared(np.array([10.0, 20.0]))
    i, x = pt.iscalar("i"), pt.dscalar("x")
    f = pytensor.function([i], x * 2, givens={x: train[i]})
    assert f(1) == 4.0 and f.copy(swap={train: test})(1) == 40.0  # PyTensor: 40.0
