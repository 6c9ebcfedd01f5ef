"""Chapter 2, operations: one Hypothesis test per op family against numpy (OP-*).

Each op is compiled with ``pytensor.function`` on generated inputs and compared with the
numpy computation its rule names: the same dtype, the same shape (and a static shape that
agrees with it) and bit-equal values (``np.array_equal(..., equal_nan=True)``, plus equal
sign bits for floats), since ``reference``'s ops call numpy on whole arrays.  Inputs get a
static shape of 1 where their length is 1 (so they broadcast, OP-ELEMWISE-2) and a known
or unknown static length elsewhere, as drawn.
"""

import numpy as np
import pytest
import scipy.special
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference as pytensor
import reference.tensor as pt
from reference import function
from reference.errors import SpecError, SpecIndexError, SpecTypeError, SpecValueError
from reference.graph.type import DTYPES

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

REAL = [d for d in DTYPES if not d.startswith("complex")]
INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOATS = ["float16", "float32", "float64"]
UPGRADE = {"bool": "float32", "int8": "float32", "int16": "float32", "uint8": "float32",
           "uint16": "float32", "int32": "float64", "int64": "float64", "uint32": "float64",
           "uint64": "float64"}  # TYPE-UPCAST-2, written out independently of the code


# -- helpers ------------------------------------------------------------------------------
def static_shape(shape, known):
    return tuple(n if n == 1 or k else None for n, k in zip(shape, known, strict=False))


@st.composite
def operands(draw, n=2, dtypes=tuple(REAL), max_dims=3, same_dtype=False):
    """``n`` arrays of broadcast-compatible shapes, and their static shapes."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, min_dims=0, max_dims=max_dims, max_side=3))
    first = draw(st.sampled_from(dtypes))
    arrays = []
    for shape in shapes.input_shapes:
        dtype = first if same_dtype else draw(st.sampled_from(dtypes))
        arrays.append(draw(hnp.arrays(dtype, shape)))
    known = [draw(st.lists(st.booleans(), min_size=len(a.shape), max_size=len(a.shape))) for a in arrays]
    return arrays, [static_shape(a.shape, k) for a, k in zip(arrays, known, strict=True)]


def compile_and_run(make, arrays, statics=None):
    statics = statics or [a.shape for a in arrays]
    variables = [pt.tensor(a.dtype.name, shape=s, name=f"x{i}") for i, (a, s) in
                 enumerate(zip(arrays, statics, strict=True))]
    out = make(*variables)
    return out, function(variables, out)(*arrays)


def assert_same(out, got, expected):
    """``got`` (computed by reference for variable ``out``) is ``expected``, bit for bit."""
    expected = np.asarray(expected)
    assert got.dtype == expected.dtype == np.dtype(out.dtype), (got.dtype, expected.dtype, out.dtype)
    assert got.shape == expected.shape
    assert out.ndim == got.ndim
    assert all(s is None or s == n for s, n in zip(out.type.shape, got.shape, strict=True)), out.type
    assert np.array_equal(got, expected, equal_nan=got.dtype.kind in "fc")
    if got.dtype.kind == "f":
        assert np.array_equal(np.signbit(got), np.signbit(expected))


def check_elemwise(make, reference, arrays, statics, dtype):
    """Compile ``make`` and compare with ``reference(*arrays)`` cast to ``dtype``."""
    out, got = compile_and_run(make, arrays, statics)
    with np.errstate(all="ignore"):
        expected = np.asarray(reference(*arrays)).astype(dtype)
    assert_same(out, got, np.broadcast_to(expected, np.broadcast_shapes(*(a.shape for a in arrays))))


def result_dtype(*arrays):
    """numpy's promotion, pairwise from the left (TYPE-UPCAST-1; np.result_type of three
    dtypes is not always the pairwise fold: int8, uint8, float16 gives float16 there)."""
    dtype = arrays[0].dtype
    for a in arrays[1:]:
        dtype = np.promote_types(dtype, a.dtype)
    return dtype.name


def binary_test(make, reference, data, dtypes=tuple(REAL)):
    arrays, statics = data.draw(operands(2, dtypes))
    check_elemwise(make, reference, arrays, statics, result_dtype(*arrays))


def float_unary_test(make, reference, data, dtypes=tuple(REAL)):
    (a,), statics = data.draw(operands(1, dtypes))
    dtype = UPGRADE.get(a.dtype.name, a.dtype.name)
    check_elemwise(make, lambda a: reference(a.astype(dtype)), [a], statics, dtype)


def raises_rule(error, rule, fn, *args):
    with pytest.raises(error) as info:
        fn(*args)
    assert info.value.rule == rule
    return info.value


# -- OP-ELEMWISE --------------------------------------------------------------------------
@pytest.mark.rule("OP-ELEMWISE-1")
@given(data=st.data())
def test_op_elemwise_1__static_shape_is_the_broadcast_of_static_shapes(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3))
    known = [data.draw(st.lists(st.booleans(), min_size=len(s), max_size=len(s))) for s in shapes.input_shapes]
    variables = [pt.tensor("float64", shape=static_shape(s, k)) for s, k in zip(shapes.input_shapes, known, strict=True)]
    out = pt.clip(*variables)
    for axis, length in enumerate(out.type.shape):
        column = [v.type.shape[axis - out.ndim + v.ndim] for v in variables if axis - out.ndim + v.ndim >= 0]
        if length is None:
            assert all(n in (None, 1) for n in column) and None in column
        else:
            assert length == shapes.result_shape[axis]


@pytest.mark.rule("OP-ELEMWISE-1")
def test_op_elemwise_1__conflicting_static_lengths_and_arity_are_refused():
    error = raises_rule(SpecValueError, "OP-ELEMWISE-1", pt.add, pt.zeros((3,)), pt.zeros((4,)))
    assert "Add" in str(error)
    raises_rule(SpecTypeError, "OP-ELEMWISE-1", pt.maximum, pt.dscalar(), pt.dscalar(), pt.dscalar())
    assert (pt.vector(shape=(1,)) + pt.dvector()).type.shape == (None,)


@pytest.mark.rule("OP-ELEMWISE-2")
def test_op_elemwise_2__no_runtime_broadcasting():
    x, y = pt.dvector("x"), pt.dvector("y")
    f = function([x, y], x + y)
    for a, b in ((np.zeros(3), np.ones(1)), (np.zeros(0), np.ones(1)), (np.ones(1), np.zeros(3))):
        error = raises_rule(SpecValueError, "OP-ELEMWISE-2", f, a, b)
        assert "Add" in str(error) and "runtime broadcasting" in str(error)
    error = raises_rule(SpecValueError, "OP-ELEMWISE-2", f, np.zeros(3), np.zeros(2))
    assert "cannot be broadcast" in str(error)
    assert f(np.zeros(0), np.zeros(0)).shape == (0,)  # d1g
    m = pt.dmatrix("m")
    raises_rule(SpecValueError, "OP-ELEMWISE-2", function([m, y], m + y), np.zeros((2, 3)), np.zeros(2))
    r = pt.matrix("r", shape=(1, None))
    assert function([r, y], r + y)(np.ones((1, 3)), np.arange(3.0)).shape == (1, 3)


@pytest.mark.rule("OP-ELEMWISE-3")
def test_op_elemwise_3__bool_only_where_defined():
    bo = pt.scalar("bo", dtype="bool")
    for make in (lambda: bo - bo, lambda: -bo, lambda: pt.sign(bo), lambda: bo - pt.vector(dtype="bool")):
        raises_rule(SpecTypeError, "OP-ELEMWISE-3", make)
    assert (bo - 1).dtype == "int8" and (2.5 - bo).dtype == "float32"
    assert (bo + bo).dtype == "bool" and (bo * bo).dtype == "bool" and (bo // bo).dtype == "bool"


# -- arithmetic ---------------------------------------------------------------------------
@pytest.mark.rule("OP-ADD-1")
@given(data=st.data())
def test_op_add_1__numpy_add(data):
    binary_test(pt.add, np.add, data, DTYPES)


@pytest.mark.rule("OP-SUB-1")
@given(data=st.data())
def test_op_sub_1__numpy_subtract(data):
    arrays, statics = data.draw(operands(2, DTYPES))
    if result_dtype(*arrays) == "bool":
        raises_rule(SpecTypeError, "OP-ELEMWISE-3", compile_and_run, pt.sub, arrays, statics)
    else:
        check_elemwise(pt.sub, np.subtract, arrays, statics, result_dtype(*arrays))


@pytest.mark.rule("OP-MUL-1")
@given(data=st.data())
def test_op_mul_1__numpy_multiply(data):
    binary_test(pt.mul, np.multiply, data, DTYPES)


@pytest.mark.rule("OP-TRUEDIV-1")
@given(data=st.data(), floatx=st.sampled_from(["float64", "float32"]))
def test_op_truediv_1__floatx_for_integers_else_upcast(data, floatx):
    arrays, statics = data.draw(operands(2, DTYPES))
    discrete = all(a.dtype.kind in "biu" for a in arrays)
    with pytensor.config.change_flags(floatX=floatx):
        dtype = floatx if discrete else result_dtype(*arrays)
        check_elemwise(pt.true_div, np.true_divide, arrays, statics, dtype)


@pytest.mark.rule("OP-INTDIV-1")
@given(data=st.data())
def test_op_intdiv_1__numpy_floor_divide(data):
    binary_test(pt.int_div, np.floor_divide, data)


@pytest.mark.rule("OP-INTDIV-1")
def test_op_intdiv_1__integer_division_by_zero_is_zero():
    iv = pt.ivector("iv")
    got = function([iv], iv // 0)(np.array([5, -5, 0], "int32"))  # g1
    assert got.tolist() == [0, 0, 0] and got.dtype == np.int32


@pytest.mark.rule("OP-MOD-1")
@given(data=st.data())
def test_op_mod_1__numpy_remainder(data):
    binary_test(pt.mod, np.remainder, data)


@pytest.mark.rule("OP-POW-1")
@given(data=st.data())
def test_op_pow_1__numpy_power(data):
    arrays, statics = data.draw(operands(2, DTYPES))
    x, y = arrays
    dtype = result_dtype(x, y)
    if dtype == "bool":
        dtype, x = "int8", x.astype("int8")
    if np.dtype(dtype).kind in "iu" and np.any(y < 0):
        error = raises_rule(SpecValueError, "OP-POW-1", compile_and_run, pt.pow, arrays, statics)
        assert "Pow" in str(error)
        return
    check_elemwise(pt.pow, lambda a, b: np.power(x, b), arrays, statics, dtype)


@pytest.mark.rule("OP-MAXIMUM-1")
@given(data=st.data())
def test_op_maximum_1__numpy_maximum(data):
    binary_test(pt.maximum, np.maximum, data)


@pytest.mark.rule("OP-MINIMUM-1")
@given(data=st.data())
def test_op_minimum_1__numpy_minimum(data):
    binary_test(pt.minimum, np.minimum, data)


# -- unary --------------------------------------------------------------------------------
@pytest.mark.rule("OP-NEG-1")
@given(data=st.data())
def test_op_neg_1__numpy_negative(data):
    (a,), statics = data.draw(operands(1, [d for d in DTYPES if d != "bool"]))
    check_elemwise(pt.neg, np.negative, [a], statics, a.dtype)


@pytest.mark.rule("OP-ABS-1")
@given(data=st.data())
def test_op_abs_1__numpy_absolute(data):
    (a,), statics = data.draw(operands(1, DTYPES))
    check_elemwise(pt.abs, np.absolute, [a], statics, np.absolute(a).dtype)


@pytest.mark.rule("OP-SIGN-1")
@given(data=st.data())
def test_op_sign_1__numpy_sign(data):
    (a,), statics = data.draw(operands(1, [d for d in REAL if d != "bool"]))
    check_elemwise(pt.sign, np.sign, [a], statics, a.dtype)


@pytest.mark.rule("OP-IDENTITY-1")
@given(data=st.data())
def test_op_identity_1__a_copy(data):
    (a,), statics = data.draw(operands(1, DTYPES))
    check_elemwise(pt.identity, np.copy, [a], statics, a.dtype)
    x = pt.dvector("x")
    assert x.copy(name="c").name == "c"


@pytest.mark.rule("OP-EXP-1")
@given(data=st.data())
def test_op_exp_1__numpy_exp_in_the_float_dtype(data):
    float_unary_test(pt.exp, np.exp, data, DTYPES)


@pytest.mark.rule("OP-EXP-1")
def test_op_exp_1__int8_is_computed_in_float32_not_float16():
    b = pt.bvector("b")
    got = function([b], pt.exp(b))(np.array([-3, 0, 5], "int8"))  # h7
    assert got.dtype == np.float32 and got[0] == np.exp(np.float32(-3))


@pytest.mark.rule("OP-LOG-1")
@given(data=st.data())
def test_op_log_1__numpy_log(data):
    float_unary_test(pt.log, np.log, data, DTYPES)


@pytest.mark.rule("OP-LOG1P-1")
@given(data=st.data())
def test_op_log1p_1__numpy_log1p(data):
    float_unary_test(pt.log1p, np.log1p, data, DTYPES)


@pytest.mark.rule("OP-EXPM1-1")
@given(data=st.data())
def test_op_expm1_1__numpy_expm1(data):
    float_unary_test(pt.expm1, np.expm1, data, DTYPES)


@pytest.mark.rule("OP-SQRT-1")
@given(data=st.data())
def test_op_sqrt_1__numpy_sqrt(data):
    float_unary_test(pt.sqrt, np.sqrt, data, DTYPES)


@pytest.mark.rule("OP-SIN-1")
@given(data=st.data())
def test_op_sin_1__numpy_sin(data):
    float_unary_test(pt.sin, np.sin, data, DTYPES)


@pytest.mark.rule("OP-COS-1")
@given(data=st.data())
def test_op_cos_1__numpy_cos(data):
    float_unary_test(pt.cos, np.cos, data, DTYPES)


@pytest.mark.rule("OP-TAN-1")
@given(data=st.data())
def test_op_tan_1__numpy_tan(data):
    float_unary_test(pt.tan, np.tan, data, DTYPES)


@pytest.mark.rule("OP-TANH-1")
@given(data=st.data())
def test_op_tanh_1__numpy_tanh(data):
    float_unary_test(pt.tanh, np.tanh, data, DTYPES)


@pytest.mark.rule("OP-SIGMOID-1")
@given(data=st.data())
def test_op_sigmoid_1__scipy_expit(data):
    float_unary_test(pt.sigmoid, scipy.special.expit, data)


@pytest.mark.rule("OP-SOFTPLUS-1")
@given(data=st.data())
def test_op_softplus_1__pytensor_piecewise_formula(data):
    def softplus(x):  # in float64, rounded once to x's dtype, as PyTensor's perform
        d = x.astype("float64")
        return np.where(d < -37.0, np.exp(d), np.where(
            d < 18.0, np.log1p(np.exp(d)), np.where(d < 33.3, d + np.exp(-d), d))).astype(x.dtype)

    float_unary_test(pt.softplus, softplus, data)


@pytest.mark.rule("OP-SOFTPLUS-1")
def test_op_softplus_1__at_the_breakpoints():
    x = pt.dvector("x")
    points = np.array([-745.0, -40.0, -37.5, -37.0, -20.0, 17.9, 18.0, 18.1, 33.2, 33.3, 33.4, 800.0])
    got = function([x], pt.softplus(x))(points)
    assert got[-1] == 800.0 and got[7] == 18.1 + np.exp(-18.1) and got[1] == np.exp(-40.0)


@pytest.mark.rule("OP-ERF-1")
@given(data=st.data())
def test_op_erf_1__scipy_erf(data):
    float_unary_test(pt.erf, scipy.special.erf, data)


@pytest.mark.rule("OP-FLOOR-1")
@given(data=st.data())
def test_op_floor_1__numpy_floor_as_float(data):
    float_unary_test(pt.floor, np.floor, data)


@pytest.mark.rule("OP-CEIL-1")
@given(data=st.data())
def test_op_ceil_1__numpy_ceil_as_float(data):
    float_unary_test(pt.ceil, np.ceil, data)


@pytest.mark.rule("OP-ROUND-1")
@given(data=st.data())
def test_op_round_1__numpy_round_on_floats(data):
    (a,), statics = data.draw(operands(1, FLOATS))
    check_elemwise(pt.round, np.round, [a], statics, a.dtype)


@pytest.mark.rule("OP-ROUND-1")
def test_op_round_1__integers_and_unknown_modes_are_refused():
    raises_rule(SpecTypeError, "OP-ROUND-1", pt.round, pt.ivector())  # h1d
    with pytest.raises(ValueError):
        pt.round(pt.dvector(), mode="x")  # h1e


@pytest.mark.rule("OP-ROUND-2")
@given(data=st.data())
def test_op_round_2__half_away_from_zero_as_pytensor_perform(data):
    (a,), statics = data.draw(operands(1, FLOATS))

    def reference(x):
        return np.where(x > 0, np.floor(x + x.dtype.type(0.5)), np.ceil(x - x.dtype.type(0.5)))

    check_elemwise(lambda x: pt.round(x, mode="half_away_from_zero"), reference, [a], statics, a.dtype)


@pytest.mark.rule("OP-ROUND-2")
def test_op_round_2__ties_and_zeros():
    x = pt.dvector("x")
    got = function([x], pt.round_half_away_from_zero(x))(np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.0, 0.0]))
    assert got.tolist() == [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0, 0.0, 0.0]
    assert np.signbit(got[-2:]).all()  # perform's ceil(x - 0.5) at zero


# -- comparisons, logic, selection, casts -------------------------------------------------
@pytest.mark.rule("OP-COMPARE-1")
@pytest.mark.parametrize(
    ("make", "reference"),
    [(pt.lt, np.less), (pt.le, np.less_equal), (pt.gt, np.greater), (pt.ge, np.greater_equal),
     (pt.eq, np.equal), (pt.neq, np.not_equal), (lambda x, y: x < y, np.less)],
)
@given(data=st.data())
def test_op_compare_1__numpy_comparisons_give_bool(make, reference, data):
    arrays, statics = data.draw(operands(2))
    check_elemwise(make, reference, arrays, statics, "bool")


@pytest.mark.rule("OP-LOGIC-1")
@pytest.mark.parametrize(
    ("make", "reference"),
    [(pt.and_, np.bitwise_and), (pt.or_, np.bitwise_or), (pt.xor, np.bitwise_xor),
     (lambda x, y: x & y, np.bitwise_and)],
)
@given(data=st.data())
def test_op_logic_1__bitwise_on_integers_logical_on_bool(make, reference, data):
    dtypes = data.draw(st.sampled_from([["bool"], INTS]))
    arrays, statics = data.draw(operands(2, dtypes))
    if result_dtype(*arrays) not in ["bool", *INTS]:  # int64 with uint64: no integer dtype
        raises_rule(SpecTypeError, "OP-LOGIC-1", compile_and_run, make, arrays, statics)
        return
    check_elemwise(make, reference, arrays, statics, result_dtype(*arrays))


@pytest.mark.rule("OP-LOGIC-1")
@given(data=st.data())
def test_op_logic_1__invert(data):
    (a,), statics = data.draw(operands(1, ["bool", *INTS]))
    check_elemwise(pt.invert, np.invert, [a], statics, a.dtype)


@pytest.mark.rule("OP-LOGIC-1")
def test_op_logic_1__mixed_or_float_inputs_are_refused():
    bo = pt.scalar("bo", dtype="bool")
    for make in (lambda: bo & 1, lambda: pt.xor(bo, pt.iscalar()), lambda: pt.dvector() | 1):
        raises_rule(SpecTypeError, "OP-LOGIC-1", make)


@pytest.mark.rule("OP-SWITCH-1")
@given(data=st.data())
def test_op_switch_1__numpy_where(data):
    arrays, statics = data.draw(operands(3))
    check_elemwise(pt.switch, np.where, arrays, statics, result_dtype(*arrays[1:]))


@pytest.mark.rule("OP-CLIP-1")
@given(data=st.data())
def test_op_clip_1__minimum_of_maximum(data):
    arrays, statics = data.draw(operands(3))
    check_elemwise(pt.clip, lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi), arrays, statics,
                   result_dtype(*arrays))


@pytest.mark.rule("OP-CAST-1")
@given(data=st.data(), dtype=st.sampled_from(DTYPES))
def test_op_cast_1__numpy_astype(data, dtype):
    (a,), statics = data.draw(operands(1, DTYPES))
    if a.dtype.kind == "c" and dtype not in ("complex64", "complex128"):
        raises_rule(SpecTypeError, "OP-CAST-1", pt.cast, pt.tensor(a.dtype.name, shape=statics[0]), dtype)
        return
    check_elemwise(lambda x: pt.cast(x, dtype), lambda x: x.astype(dtype), [a], statics, dtype)


@pytest.mark.rule("OP-CAST-1")
def test_op_cast_1__same_dtype_is_the_variable_itself():
    x = pt.fvector("x")
    assert pt.cast(x, "float32") is x and x.astype("floatX").dtype == "float64"


# -- shapes -------------------------------------------------------------------------------
@st.composite
def arrays_any(draw, dtypes=("float64", "int32", "bool"), max_dims=4):
    return draw(hnp.arrays(draw(st.sampled_from(dtypes)), hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=4)))


@pytest.mark.rule("OP-SHAPE-1")
@given(a=arrays_any())
def test_op_shape_1__int64_vector_of_the_shape(a):
    out, got = compile_and_run(pt.shape, [a], [(None,) * a.ndim])
    assert_same(out, got, np.asarray(a.shape, dtype="int64"))
    assert out.type.shape == (a.ndim,)
    size = pt.dmatrix().size
    assert size.dtype == "int64" and size.ndim == 0


@pytest.mark.rule("OP-SHAPE-2")
def test_op_shape_2__shape_arguments():
    x = pt.dvector("x")
    n = pt.lscalar("n")
    a = np.arange(6.0)
    for shape in ((2, 3), [2, n], pt.as_tensor_variable(np.array([2, 3], "int32")), (np.int16(2), 3)):
        got = function([x, n], x.reshape(shape), on_unused_input="ignore")(a, 3)
        assert got.shape == (2, 3)
    assert pt.zeros(n).type.shape == (None,) and pt.zeros(3).type.shape == (3,)
    assert x.reshape((x.shape[0],)).type.shape == (None,)
    assert pt.zeros((2, 3)).reshape((pt.zeros((2, 3)).shape[1], 2)).type.shape == (3, 2)
    for bad in ((2.0, 3), (pt.dscalar(), 3), pt.dvector(), [pt.lvector()]):
        raises_rule(SpecTypeError, "OP-SHAPE-2", x.reshape, bad)


@st.composite
def reshapes(draw):
    a = draw(arrays_any(max_dims=3))
    factors = []
    rest = a.size
    for _ in range(draw(st.integers(0, 3))):
        divisors = [d for d in range(1, 5) if rest % d == 0] if rest else [0, 1, 2]
        d = draw(st.sampled_from(divisors))
        factors.append(d)
        rest = rest // d if d else rest
    target = [*factors, rest] if rest or not factors else [*factors, 0]
    if a.size and draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    return a, tuple(target)


@pytest.mark.rule("OP-RESHAPE-1")
@given(case=reshapes(), known=st.booleans())
def test_op_reshape_1__numpy_reshape(case, known):
    a, target = case
    out, got = compile_and_run(lambda x: x.reshape(target), [a], [a.shape if known else (None,) * a.ndim])
    assert_same(out, got, a.reshape(target))


@pytest.mark.rule("OP-RESHAPE-1")
def test_op_reshape_1__errors():
    x = pt.dvector("x")
    f = function([x], x.reshape((2, -1)))
    error = raises_rule(SpecValueError, "OP-RESHAPE-1", f, np.zeros(5))
    assert any("Reshape" in note for note in error.__notes__)
    s = pt.lvector("s")
    g = function([x, s], pt.reshape(x, s, ndim=2))
    raises_rule(SpecValueError, "OP-RESHAPE-1", g, np.zeros(4), np.array([-1, -1]))
    raises_rule(SpecValueError, "OP-RESHAPE-1", g, np.zeros(4), np.array([-2, -2]))
    raises_rule(SpecValueError, "OP-RESHAPE-1", pt.reshape, x, s)  # the length of s is unknown
    h = function([x], pt.specify_shape(x, (4,)).reshape((2, 2)))
    assert h(np.arange(4.0)).shape == (2, 2)


@pytest.mark.rule("OP-RESHAPE-2")
@given(a=arrays_any(max_dims=4), data=st.data())
def test_op_reshape_2__flatten_keeps_leading_axes(a, data):
    ndim = data.draw(st.integers(1, max(a.ndim, 1)))
    try:
        expected = a.reshape(a.shape[: ndim - 1] + (-1,)) if a.ndim else a.reshape(1)
    except ValueError:  # numpy cannot infer -1 next to a 0 length: neither can reshape
        raises_rule(SpecValueError, "OP-RESHAPE-1", compile_and_run, lambda x: pt.flatten(x, ndim), [a], [(None,) * a.ndim])
        return
    out, got = compile_and_run(lambda x: pt.flatten(x, ndim), [a], [(None,) * a.ndim])
    assert_same(out, got, expected)
    raises_rule(SpecValueError, "OP-RESHAPE-2", pt.flatten, pt.dmatrix(), 3)


@pytest.mark.rule("OP-DIMSHUFFLE-1")
@given(a=arrays_any(max_dims=4), data=st.data())
def test_op_dimshuffle_1__permute_insert_and_drop(a, data):
    droppable = [i for i, n in enumerate(a.shape) if n == 1]
    dropped = data.draw(st.lists(st.sampled_from(droppable), unique=True)) if droppable else []
    kept = data.draw(st.permutations([i for i in range(a.ndim) if i not in dropped]))
    pattern = list(kept)
    for _ in range(data.draw(st.integers(0, 2))):
        pattern.insert(data.draw(st.integers(0, len(pattern))), "x")
    static = static_shape(a.shape, data.draw(st.lists(st.booleans(), min_size=a.ndim, max_size=a.ndim)))
    out, got = compile_and_run(lambda x: x.dimshuffle(*pattern), [a], [static])
    expected = np.transpose(a, list(kept) + dropped).reshape([1 if p == "x" else a.shape[p] for p in pattern])
    assert_same(out, got, expected)


@pytest.mark.rule("OP-DIMSHUFFLE-1")
def test_op_dimshuffle_1__bad_patterns():
    m = pt.dmatrix("m")
    for pattern in ((0, 0), (0, 2), (0,)):  # repeated, out of range, dropping a non-broadcastable axis
        raises_rule(SpecValueError, "OP-DIMSHUFFLE-1", m.dimshuffle, *pattern)
    assert pt.matrix(shape=(1, None)).dimshuffle(1).type.shape == (None,)


@pytest.mark.rule("OP-DIMSHUFFLE-2")
@given(a=arrays_any(max_dims=4), data=st.data())
def test_op_dimshuffle_2__numpy_transpose(a, data):
    axes = data.draw(st.none() | st.permutations(range(a.ndim)))
    out, got = compile_and_run(lambda x: pt.transpose(x, axes), [a], [a.shape])
    assert_same(out, got, np.transpose(a, axes))
    if a.ndim == 2:
        assert_same(*compile_and_run(lambda x: x.T, [a]), a.T)


@pytest.mark.rule("OP-DIMSHUFFLE-2")
def test_op_dimshuffle_2__not_a_permutation():
    raises_rule(SpecValueError, "OP-DIMSHUFFLE-2", pt.transpose, pt.dmatrix(), (0, 0))


@pytest.mark.rule("OP-DIMSHUFFLE-3")
@given(a=arrays_any(max_dims=3), data=st.data())
def test_op_dimshuffle_3__numpy_expand_dims(a, data):
    axis = data.draw(st.integers(-(a.ndim + 1), a.ndim))
    out, got = compile_and_run(lambda x: pt.expand_dims(x, axis), [a])
    assert_same(out, got, np.expand_dims(a, axis))
    assert out.type.shape[axis] == 1
    assert pt.shape_padleft(pt.dvector()).type.shape == (1, None)
    assert pt.shape_padright(pt.dvector(), 2).type.shape == (None, 1, 1)


@pytest.mark.rule("OP-DIMSHUFFLE-4")
@given(a=arrays_any(max_dims=4))
def test_op_dimshuffle_4__numpy_squeeze_of_static_ones(a):
    out, got = compile_and_run(pt.squeeze, [a])
    assert_same(out, got, np.squeeze(a))
    raises_rule(SpecValueError, "OP-DIMSHUFFLE-1", pt.squeeze, pt.dmatrix(), 0)


@pytest.mark.rule("OP-SPECIFYSHAPE-1")
@given(a=arrays_any(max_dims=3), data=st.data())
def test_op_specifyshape_1__the_value_itself_with_the_given_lengths(a, data):
    given = tuple(data.draw(st.sampled_from([None, n, n + 1])) for n in a.shape)
    x = pt.tensor(a.dtype.name, shape=(None,) * a.ndim, name="x")
    out = pt.specify_shape(x, given)
    assert out.type.shape == given
    f = function([x], out)
    if any(g is not None and g != n for g, n in zip(given, a.shape, strict=True)):
        error = raises_rule(SpecValueError, "OP-SPECIFYSHAPE-1", f, a)
        assert "specify_shape" in str(error)
    else:
        assert_same(out, f(a), a)


@pytest.mark.rule("OP-SPECIFYSHAPE-1")
def test_op_specifyshape_1__static_shape_and_runtime_check():
    x = pt.dmatrix("x")
    y = pt.specify_shape(x, (2, None))
    assert y.type.shape == (2, None)
    f = function([x], y)
    assert f(np.zeros((2, 5))).shape == (2, 5)
    error = raises_rule(SpecValueError, "OP-SPECIFYSHAPE-1", f, np.zeros((3, 5)))
    assert "specify_shape" in str(error)
    raises_rule(SpecValueError, "OP-SPECIFYSHAPE-1", pt.specify_shape, x, (2,))
    raises_rule(SpecValueError, "OP-SPECIFYSHAPE-1", pt.specify_shape, pt.zeros((3,)), (4,))
    assert pt.specify_broadcastable(x, 0).type.shape == (1, None)
    assert pt.specify_shape(pt.dvector(), pt.constant(3)).type.shape == (3,)


# -- creation -----------------------------------------------------------------------------
@pytest.mark.rule("OP-ALLOC-1")
@given(data=st.data())
def test_op_alloc_1__numpy_broadcast_to(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=1, max_dims=3, max_side=3))
    target = shapes.result_shape
    (value_shape,) = shapes.input_shapes
    value = data.draw(hnp.arrays(data.draw(st.sampled_from(REAL)), value_shape))
    known = data.draw(st.lists(st.booleans(), min_size=len(target), max_size=len(target)))
    n = [pt.lscalar(f"n{i}") for i in range(len(target))]
    lengths = [t if k else v for t, k, v in zip(target, known, n, strict=True)]
    v = pt.tensor(value.dtype.name, shape=static_shape(value.shape, [False] * value.ndim), name="v")
    out = pt.alloc(v, *lengths)
    got = function([v, *n], out, on_unused_input="ignore")(value, *target)
    assert_same(out, got, np.broadcast_to(value, target))
    assert out.type.shape == tuple(t if k else None for t, k in zip(target, known, strict=True))


@pytest.mark.rule("OP-ALLOC-1")
def test_op_alloc_1__errors():
    x = pt.dvector("x")
    n = pt.lscalar("n")
    f = function([x, n], pt.alloc(x, 2, n))
    error = raises_rule(SpecValueError, "OP-ALLOC-1", f, np.ones(1), 3)  # d3c
    assert "runtime broadcasting" in str(error)
    raises_rule(SpecValueError, "OP-ALLOC-1", f, np.ones(2), 3)  # d3d
    raises_rule(SpecValueError, "OP-ALLOC-1", f, np.ones(2), -2)
    raises_rule(SpecTypeError, "OP-ALLOC-1", pt.alloc, x, 2.0)
    raises_rule(SpecValueError, "OP-ALLOC-1", pt.alloc, pt.dmatrix(), 3)
    assert function([x], pt.alloc(pt.specify_broadcastable(x, 0), 2, 3))(np.ones(1)).shape == (2, 3)


@pytest.mark.rule("OP-ALLOC-2")
@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
       dtype=st.none() | st.sampled_from(REAL), fill=st.integers(-3, 3) | st.floats(-2, 2, width=16))
def test_op_alloc_2__numpy_zeros_ones_full(shape, dtype, fill):
    default = dtype or "float64"
    for make, expected in ((lambda: pt.zeros(shape, dtype=dtype), np.zeros(shape, default)),
                           (lambda: pt.ones(shape, dtype=dtype), np.ones(shape, default)),
                           (lambda: pt.full(shape, fill, dtype=dtype),
                            np.full(shape, pt.constant(fill).data).astype(dtype or pt.constant(fill).dtype))):
        out = make()
        assert_same(out, function([], out)(), expected)
        assert out.type.shape == shape


@pytest.mark.rule("OP-ALLOC-2")
def test_op_alloc_2__zeros_ones_full_and_like():
    assert pt.zeros((2, 3)).type == pt.TensorType("float64", (2, 3))
    assert pt.ones(3, dtype="int8").eval().tolist() == [1, 1, 1]
    assert pt.full((2,), 3).dtype == "int8" and pt.full((2,), 3.5).eval().tolist() == [3.5, 3.5]
    assert pt.full((2,), 3, dtype="float32").dtype == "float32"
    x = pt.imatrix("x")
    for make, fill in ((pt.zeros_like, 0), (pt.ones_like, 1), (lambda x: pt.full_like(x, 7), 7)):
        out = make(x)
        got = function([x], out)(np.zeros((2, 3), "int32"))
        assert_same(out, got, np.full((2, 3), fill, "int32"))
    assert pt.full_like(pt.fvector(), 2).dtype == "float32"  # C.3: PyTensor gives int8
    assert pt.zeros_like(x, dtype="bool").dtype == "bool"
    assert pt.zeros_like(pt.zeros((2, 3))).type.shape == (2, 3)
    with pytensor.config.change_flags(floatX="float32"):
        assert pt.zeros(2).dtype == "float32" and pt.ones(2).dtype == "float32"
    m = pt.dmatrix("m")
    y = pt.second(m, pt.constant(np.int8(4)))
    assert y.dtype == "int8" and function([m], y)(np.zeros((2, 3))).tolist() == [[4] * 3] * 2


@pytest.mark.rule("OP-ARANGE-1")
@given(
    start=st.integers(-5, 5) | st.floats(-5, 5, width=32),
    stop=st.integers(-5, 5) | st.floats(-5, 5, width=32),
    step=st.sampled_from([1, 2, -1, -3, 0.5, -0.25, 0.1]),
)
def test_op_arange_1__numpy_arange(start, stop, step):
    out = pt.arange(start, stop, step)
    dtypes = [pt.constant(v).dtype for v in (start, stop, step)]
    dtype = np.result_type(*dtypes).name
    dtype = {"int8": "int64", "int16": "int64", "int32": "int64"}.get(dtype, dtype)
    got = function([], out)()
    expected = np.arange(pt.constant(start).data, pt.constant(stop).data, pt.constant(step).data, dtype=dtype)
    assert_same(out, got, expected)
    assert out.type.shape == expected.shape


@pytest.mark.rule("OP-ARANGE-1")
def test_op_arange_1__symbolic_bounds_and_errors():
    n = pt.lscalar("n")
    out = pt.arange(n)
    assert out.type.shape == (None,) and out.dtype == "int64"
    assert function([n], out)(4).tolist() == [0, 1, 2, 3]
    s = pt.lscalar("s")
    raises_rule(SpecValueError, "OP-ARANGE-1", function([n, s], pt.arange(0, n, s)), 3, 0)
    raises_rule(SpecTypeError, "OP-ARANGE-1", pt.arange, pt.dvector())
    with pytensor.config.change_flags(floatX="float32"):
        assert pt.arange(0.0, 1.0, 0.1).type == pt.TensorType("float32", (10,))


@pytest.mark.rule("OP-EYE-1")
@given(n=st.integers(0, 4), m=st.none() | st.integers(0, 4), k=st.integers(-4, 4),
       dtype=st.none() | st.sampled_from(["int8", "float32", "bool"]))
def test_op_eye_1__numpy_eye(n, m, k, dtype):
    out = pt.eye(n, m, k, dtype=dtype)
    assert_same(out, function([], out)(), np.eye(n, m, k, dtype=dtype or "float64"))
    assert out.type.shape == (n, n if m is None else m)


@pytest.mark.rule("OP-JOIN-1")
@given(data=st.data())
def test_op_join_1__numpy_concatenate(data):
    ndim = data.draw(st.integers(1, 3))
    base = data.draw(hnp.array_shapes(min_dims=ndim, max_dims=ndim, min_side=0, max_side=3))
    axis = data.draw(st.integers(-ndim, ndim - 1))
    arrays = []
    for _ in range(data.draw(st.integers(1, 3))):
        shape = list(base)
        shape[axis] = data.draw(st.integers(0, 3))
        arrays.append(data.draw(hnp.arrays(data.draw(st.sampled_from(REAL)), tuple(shape))))
    statics = [static_shape(a.shape, data.draw(st.lists(st.booleans(), min_size=ndim, max_size=ndim))) for a in arrays]
    out, got = compile_and_run(lambda *xs: pt.concatenate(list(xs), axis=axis), arrays, statics)
    assert_same(out, got, np.concatenate(arrays, axis=axis).astype(result_dtype(*arrays)))


@pytest.mark.rule("OP-JOIN-1")
def test_op_join_1__errors():
    x, y = pt.dvector("x"), pt.dmatrix("y")
    raises_rule(SpecTypeError, "OP-JOIN-1", pt.concatenate, [x, y])
    raises_rule(SpecTypeError, "OP-JOIN-1", pt.concatenate, [pt.dscalar()])
    raises_rule(SpecTypeError, "OP-JOIN-1", pt.concatenate, x)
    raises_rule(SpecValueError, "OP-JOIN-1", pt.concatenate, [x], 1)
    raises_rule(SpecValueError, "OP-JOIN-1", pt.concatenate, [pt.zeros((2, 3)), pt.zeros((2, 4))])
    z = pt.dmatrix("z")
    g = function([y, z], pt.join(0, y, z))
    raises_rule(SpecValueError, "OP-JOIN-1", g, np.zeros((1, 2)), np.zeros((1, 3)))


@pytest.mark.rule("OP-JOIN-2")
@given(data=st.data())
def test_op_join_2__numpy_stack(data):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3))
    arrays = [data.draw(hnp.arrays(data.draw(st.sampled_from(REAL)), shape)) for _ in range(data.draw(st.integers(1, 3)))]
    axis = 0 if not shape else data.draw(st.integers(-len(shape) - 1, len(shape)))
    out, got = compile_and_run(lambda *xs: pt.stack(list(xs), axis=axis), arrays)
    assert_same(out, got, np.stack(arrays, axis=axis).astype(result_dtype(*arrays)))


@pytest.mark.rule("OP-JOIN-2")
def test_op_join_2__errors():
    raises_rule(SpecValueError, "OP-JOIN-2", pt.stack, [])
    raises_rule(SpecValueError, "OP-JOIN-2", pt.stack, [pt.dscalar()], 1)


@pytest.mark.rule("OP-JOIN-3")
def test_op_join_3__make_vector():
    a, b = pt.dscalar("a"), pt.iscalar("b")
    v = pt.make_vector([a, b])
    assert v.type == pt.TensorType("float64", (2,))
    assert_same(v, function([a, b], v)(1.5, 2), np.array([1.5, 2.0]))
    assert pt.make_vector([b, pt.lscalar()], dtype="int8").dtype == "int8"  # integers into an int dtype
    assert pt.make_vector([]).type == pt.TensorType("int64", (0,))
    raises_rule(SpecTypeError, "OP-JOIN-3", pt.make_vector, [a], "int32")
    raises_rule(SpecTypeError, "OP-JOIN-3", pt.make_vector, [pt.dvector()])


@pytest.mark.rule("OP-CUMSUM-1")
@given(a=arrays_any(dtypes=("float64", "float32", "int8", "int64", "bool"), max_dims=3), data=st.data(),
       mode=st.sampled_from(["sum", "prod"]))
def test_op_cumsum_1__numpy_cumsum_and_cumprod_in_the_input_dtype(a, data, mode):
    axis = data.draw(st.none() | st.integers(-a.ndim, a.ndim - 1)) if a.ndim else None
    make, reference = (pt.cumsum, np.cumsum) if mode == "sum" else (pt.cumprod, np.cumprod)
    out, got = compile_and_run(lambda x: make(x, axis=axis), [a])
    assert_same(out, got, reference(a, axis=axis, dtype=a.dtype))
    raises_rule(SpecValueError, "OP-CUMSUM-1", pt.cumsum, pt.dvector(), 1)


# -- indexing -----------------------------------------------------------------------------
@st.composite
def basic_index_cases(draw):
    a = draw(arrays_any(dtypes=("float64", "int16"), max_dims=3))
    index = draw(hnp.basic_indices(a.shape, allow_newaxis=True, allow_ellipsis=True))
    return a, index


@pytest.mark.rule("OP-INDEX-1")
@pytest.mark.rule("OP-INDEX-3")
@given(case=basic_index_cases(), known=st.booleans())
def test_op_index_3__basic_indices_as_numpy(case, known):
    a, index = case
    out, got = compile_and_run(lambda x: x[index], [a], [a.shape if known else (None,) * a.ndim])
    assert_same(out, got, a[index])
    if known:
        assert out.type.shape == a[index].shape


@pytest.mark.rule("OP-INDEX-3")
@given(a=arrays_any(dtypes=("float64",), max_dims=2), data=st.data())
def test_op_index_3__symbolic_ints_and_slice_bounds(a, data):
    assume(a.ndim >= 1)
    n = a.shape[0]
    i = data.draw(st.integers(-n - 2, n + 1))
    start, stop = data.draw(st.none() | st.integers(-4, 4)), data.draw(st.none() | st.integers(-4, 4))
    x = pt.tensor("float64", shape=(None,) * a.ndim, name="x")
    iv, sv = pt.lscalar("i"), pt.lscalar("s")
    f = function([x, iv, sv], [x[sv:], x[start:stop], x[iv:sv]], on_unused_input="ignore")
    got = f(a, i, start or 0)
    for out, g, expected in zip(f.outputs, got, [a[start or 0:], a[start:stop], a[i:start or 0]], strict=True):
        assert_same(out, g, expected)
    g = function([x, iv], x[iv])
    if -n <= i < n:
        assert_same(x[iv], g(a, i), a[i])
    else:
        error = raises_rule(SpecIndexError, "OP-INDEX-3", g, a, i)
        assert "Subtensor" in str(error)


@pytest.mark.rule("OP-INDEX-1")
def test_op_index_1__refused_indices():
    x = pt.dvector("x")
    raises_rule(SpecTypeError, "OP-INDEX-1", x.__getitem__, 1.0)  # f10b
    raises_rule(SpecTypeError, "OP-INDEX-1", x.__getitem__, pt.dscalar())  # f10
    raises_rule(SpecTypeError, "OP-INDEX-1", x.__getitem__, True)  # f15
    raises_rule(SpecTypeError, "OP-INDEX-1", x.__getitem__, [True, False])
    raises_rule(SpecTypeError, "OP-INDEX-1", x.__getitem__, slice(0.5, None))
    raises_rule(SpecIndexError, "OP-INDEX-1", x.__getitem__, (0, 0))  # f11
    raises_rule(SpecIndexError, "OP-INDEX-1", pt.dscalar().__getitem__, 0)  # f12
    raises_rule(SpecIndexError, "OP-INDEX-1", x.__getitem__, (Ellipsis, Ellipsis))
    assert x[:] is not x and x[...].owner is not None
    assert function([x], pt.set_subtensor(x[:], 5.0))(np.zeros(2)).tolist() == [5.0, 5.0]
    assert x[np.int32(1)].ndim == 0 and x[None, :, None].type.shape == (1, None, 1)  # f13, f14


@pytest.mark.rule("OP-INDEX-2")
def test_op_index_2__zero_step():
    x = pt.dvector("x")
    raises_rule(SpecValueError, "OP-INDEX-2", x.__getitem__, slice(None, None, 0))
    raises_rule(SpecValueError, "OP-INDEX-2", pt.zeros((3,)).__getitem__, slice(None, None, 0))
    s = pt.lscalar("s")
    f = function([x, s], x[::s])
    assert f(np.arange(3.0), -1).tolist() == [2.0, 1.0, 0.0]
    raises_rule(SpecValueError, "OP-INDEX-2", f, np.arange(3.0), 0)


@pytest.mark.rule("OP-INDEX-3")
def test_op_index_3__constant_out_of_range():
    raises_rule(SpecIndexError, "OP-INDEX-3", pt.zeros((3,)).__getitem__, 5)  # C.5
    x = pt.dvector("x")
    f = function([x], [x[-1], x[-3]])  # f2: unknown length, checked when it runs
    assert f(np.array([1.0, 2.0, 3.0])) == [3.0, 1.0]
    raises_rule(SpecIndexError, "OP-INDEX-3", f, np.array([1.0, 2.0]))


@st.composite
def advanced_index_cases(draw):
    a = draw(hnp.arrays("float64", hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
    index = draw(hnp.integer_array_indices(a.shape, result_shape=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)))
    index = list(index)
    if len(index) < a.ndim and draw(st.booleans()):  # mix in a slice or an int
        index.insert(draw(st.integers(0, len(index))), draw(st.sampled_from([slice(None), slice(1, None), 0])))
    return a, tuple(index)


@pytest.mark.rule("OP-INDEX-4")
@given(case=advanced_index_cases(), known=st.booleans(), symbolic=st.booleans())
def test_op_index_4__integer_arrays_as_numpy(case, known, symbolic):
    a, index = case
    try:
        expected = a[index]
    except IndexError:
        assume(False)
    arrays = [i for i in index if isinstance(i, np.ndarray)]
    x = pt.tensor("float64", shape=a.shape if known else (None,) * a.ndim, name="x")
    ivs = [pt.tensor(i.dtype.name, shape=i.shape, name=f"i{k}") for k, i in enumerate(arrays)]
    it = iter(ivs)
    sym_index = tuple(next(it) if isinstance(i, np.ndarray) else i for i in index) if symbolic else index
    out = x[sym_index]
    got = function([x, *ivs], out, on_unused_input="ignore")(a, *arrays)
    assert_same(out, got, expected)
    if known and not symbolic:
        assert out.type.shape == expected.shape


@pytest.mark.rule("OP-INDEX-4")
@given(a=hnp.arrays("int32", hnp.array_shapes(min_dims=1, max_dims=3, max_side=3)), data=st.data())
def test_op_index_4__boolean_masks_as_numpy(a, data):
    k = data.draw(st.integers(1, a.ndim))
    mask = data.draw(hnp.arrays("bool", a.shape[:k]))
    x = pt.tensor("int32", shape=(None,) * a.ndim, name="x")
    m = pt.tensor("bool", shape=(None,) * k, name="m")
    out = x[m]
    assert_same(out, function([x, m], out)(a, mask), a[mask])
    constant = x[mask]
    assert constant.type.shape[0] == int(mask.sum())


@pytest.mark.rule("OP-INDEX-4")
def test_op_index_4__static_shapes_and_errors():
    dv, dm = pt.dvector("dv"), pt.dmatrix("dm")
    assert dv[[0, 2]].type.shape == (2,)
    assert dm[[0, 1], [1, 0]].type.shape == (2,)
    assert pt.dtensor3()[0, :, [1, 2]].type.shape == (2, None)  # separated: the block goes first
    assert pt.dtensor3()[:, [0, 1], [1, 2]].type.shape == (None, 2)
    f = function([dv], dv[[0, 5]])
    error = raises_rule(SpecIndexError, "OP-INDEX-3", f, np.arange(3.0))  # f3b
    assert "AdvancedSubtensor" in str(error)
    m = pt.vector("m", dtype="bool")
    g = function([dv, m], dv[m])
    raises_rule(SpecIndexError, "OP-INDEX-3", g, np.arange(3.0), np.array([True, False]))  # f4c
    h = function([dv], dv[np.array([True, False, True])])  # f4d
    assert h(np.array([1.0, 2.0, 3.0])).tolist() == [1.0, 3.0]
    assert dv[np.array(True)].type.shape == (1, None)  # C.4


@st.composite
def set_cases(draw):
    a = draw(hnp.arrays(draw(st.sampled_from(["float64", "int32", "float32"])),
                        hnp.array_shapes(min_dims=1, max_dims=3, max_side=3)))
    index = draw(hnp.basic_indices(a.shape) | hnp.integer_array_indices(a.shape, result_shape=hnp.array_shapes(max_dims=1, max_side=3)))
    part = a[index].shape
    suffix = part[len(part) - draw(st.integers(0, len(part))):]
    y_shape = tuple(1 if draw(st.booleans()) else n for n in suffix)  # broadcasts to the part
    y = draw(hnp.arrays(draw(st.sampled_from(["float64", "int8", "int64", "float32"])), y_shape))
    return a, index, y


@pytest.mark.rule("OP-SETSUB-1")
@given(case=set_cases())
def test_op_setsub_1__a_copy_with_the_part_replaced(case):
    a, index, y = case
    x = pt.tensor(a.dtype.name, shape=(None,) * a.ndim, name="x")
    v = pt.tensor(y.dtype.name, shape=(None,) * y.ndim, name="v")
    out = pt.set_subtensor(x[index], v)
    before = a.copy()
    got = function([x, v], out)(a, y)
    expected = a.copy()
    with np.errstate(all="ignore"):
        expected[index] = y.astype(a.dtype)
    assert_same(out, got, expected)
    assert np.array_equal(a, before, equal_nan=True)  # x itself is never changed


@pytest.mark.rule("OP-SETSUB-1")
def test_op_setsub_1__casts_and_errors():
    iv = pt.ivector("iv")
    assert function([iv], pt.set_subtensor(iv[1:], 5.5))(np.array([1, 2, 3], "int32")).tolist() == [1, 5, 5]  # f7
    bv = pt.bvector("bv")
    assert function([bv], pt.set_subtensor(bv[0], 300))(np.array([1, 2], "int8")).tolist() == [44, 2]  # f7d
    assert pt.set_subtensor(pt.fvector()[0], pt.dscalar()).dtype == "float32"  # f7c
    raises_rule(SpecTypeError, "OP-SETSUB-1", pt.set_subtensor, pt.fvector(), 1)
    raises_rule(SpecTypeError, "OP-SETSUB-1", pt.set_subtensor, pt.fvector()[0], pt.fvector())
    x, v = pt.dvector("x"), pt.dvector("v")
    f = function([x, v], pt.set_subtensor(x[1:], v))
    assert f(np.zeros(4), np.ones(1)).tolist() == [0.0, 1.0, 1.0, 1.0]  # d7: length 1 broadcasts here
    raises_rule(SpecValueError, "OP-SETSUB-1", f, np.zeros(4), np.ones(2))  # d7b
    i = pt.lscalar("i")
    g = function([x, i], pt.set_subtensor(x[i], 1.0))
    raises_rule(SpecIndexError, "OP-SETSUB-1", g, np.zeros(2), 5)
    assert function([x], pt.set_subtensor(x[[0, 0]], np.array([5.0, 6.0])))(np.zeros(2)).tolist() == [6.0, 0.0]


@pytest.mark.rule("OP-SETSUB-2")
@given(case=set_cases())
def test_op_setsub_2__add_at_the_indexed_places(case):
    a, index, y = case
    x = pt.tensor(a.dtype.name, shape=(None,) * a.ndim, name="x")
    v = pt.tensor(y.dtype.name, shape=(None,) * y.ndim, name="v")
    out = pt.inc_subtensor(x[index], v)
    got = function([x, v], out)(a, y)
    expected = a.copy()
    with np.errstate(all="ignore"):
        np.add.at(expected, index, y.astype(a.dtype))
    assert_same(out, got, expected)


@pytest.mark.rule("OP-SETSUB-2")
def test_op_setsub_2__repeated_indices_accumulate():
    x = pt.dvector("x")
    f = function([x], pt.inc_subtensor(x[[0, 0]], 1))  # f6
    assert f(np.array([1.0, 2.0, 3.0])).tolist() == [3.0, 2.0, 3.0]
    iv = pt.ivector("iv")
    assert function([iv], pt.inc_subtensor(iv[0], 1.5))(np.array([1, 2, 3], "int32")).tolist() == [2, 2, 3]


# -- reductions ---------------------------------------------------------------------------
@st.composite
def reduction_cases(draw, dtypes=tuple(REAL), min_side=0):
    a = draw(hnp.arrays(draw(st.sampled_from(dtypes)), hnp.array_shapes(min_dims=0, max_dims=3, min_side=min_side, max_side=3)))
    axis = draw(st.none() | (st.integers(-a.ndim, a.ndim - 1) if a.ndim else st.just(0))
                | hnp.valid_tuple_axes(a.ndim))
    return a, axis, draw(st.booleans())


def numpy_axes(a, axis):
    if axis is None:
        return tuple(range(a.ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(ax % a.ndim for ax in axes)) if a.ndim else ()


SUM_DTYPE = {"bool": "int64", "int8": "int64", "int16": "int64", "int32": "int64", "int64": "int64",
             "uint8": "uint64", "uint16": "uint64", "uint32": "uint64", "uint64": "uint64"}
ACC_DTYPE = {**SUM_DTYPE, "float16": "float32", "float32": "float64"}


@pytest.mark.rule("OP-REDUCE-1")
def test_op_reduce_1__axes_are_normalised_and_checked():
    m = pt.dtensor3("m")
    assert m.sum(axis=-1).type.shape == (None, None)
    assert m.sum(axis=(0, 2), keepdims=True).type.shape == (1, None, 1)
    assert pt.zeros((2, 3)).max(axis=1).type.shape == (2,)
    for axis, error in ((3, SpecValueError), (-4, SpecValueError), ((0, 0), SpecValueError),
                        ((0, -3), SpecValueError), (pt.lscalar(), SpecTypeError)):
        raises_rule(error, "OP-REDUCE-1", pt.sum, m, axis)


@pytest.mark.rule("OP-REDUCE-2")
@given(case=reduction_cases(), kind=st.sampled_from(["sum", "prod"]))
def test_op_reduce_2__sum_and_prod_accumulate_then_cast(case, kind):
    a, axis, keepdims = case
    make = pt.sum if kind == "sum" else pt.prod
    ufunc = np.add if kind == "sum" else np.multiply
    out, got = compile_and_run(lambda x: make(x, axis=axis, keepdims=keepdims), [a], [(None,) * a.ndim])
    dtype = SUM_DTYPE.get(a.dtype.name, a.dtype.name)
    with np.errstate(all="ignore"):
        expected = ufunc.reduce(a, axis=numpy_axes(a, axis), dtype=ACC_DTYPE.get(a.dtype.name, a.dtype.name),
                                keepdims=keepdims)
    assert_same(out, got, np.asarray(expected).astype(dtype))


@pytest.mark.rule("OP-REDUCE-2")
def test_op_reduce_2__explicit_dtypes_and_size():
    b = pt.bvector("b")
    assert function([b], b.sum())(np.array([100, 100, 100], "int8")) == 300  # i1g
    assert pt.sum(b, dtype="int8").dtype == "int8"
    assert pt.sum(pt.fvector(), acc_dtype="float32").dtype == "float32"
    x = pt.dmatrix("x")
    assert function([x], x.size)(np.zeros((2, 3))) == 6  # i4b


@pytest.mark.rule("OP-REDUCE-3")
@given(case=reduction_cases(min_side=1), kind=st.sampled_from(["max", "min"]))
def test_op_reduce_3__max_and_min_keep_the_dtype(case, kind):
    a, axis, keepdims = case
    make = pt.max if kind == "max" else pt.min
    ufunc = np.maximum if kind == "max" else np.minimum
    out, got = compile_and_run(lambda x: make(x, axis=axis, keepdims=keepdims), [a], [(None,) * a.ndim])
    axes = numpy_axes(a, axis)
    expected = ufunc.reduce(a, axis=axes, keepdims=keepdims) if axes else a.copy()
    assert_same(out, got, expected)


@pytest.mark.rule("OP-REDUCE-3")
def test_op_reduce_3__an_empty_axis_is_an_error():
    x = pt.dmatrix("x")
    f = function([x], [x.max(axis=1)])
    assert f(np.zeros((0, 3)))[0].shape == (0,)  # nothing is reduced over an empty set
    error = raises_rule(SpecValueError, "OP-REDUCE-3", function([x], x.max(axis=0)), np.zeros((0, 3)))
    assert "Max" in str(error)
    raises_rule(SpecValueError, "OP-REDUCE-3", function([x], x.min()), np.zeros((0, 3)))


@pytest.mark.rule("OP-REDUCE-4")
@given(case=reduction_cases(), kind=st.sampled_from(["any", "all"]))
def test_op_reduce_4__logical_reductions(case, kind):
    a, axis, keepdims = case
    make = pt.any if kind == "any" else pt.all
    ufunc = np.logical_or if kind == "any" else np.logical_and
    out, got = compile_and_run(lambda x: make(x, axis=axis, keepdims=keepdims), [a], [(None,) * a.ndim])
    axes = numpy_axes(a, axis)
    expected = ufunc.reduce(a, axis=axes, keepdims=keepdims) if axes else a.astype(bool)
    assert_same(out, got, expected)


@pytest.mark.rule("OP-REDUCE-5")
@given(case=reduction_cases(min_side=1), kind=st.sampled_from(["max", "min"]))
def test_op_reduce_5__first_position_of_the_extreme(case, kind):
    a, axis, keepdims = case
    assume(axis is None or isinstance(axis, int))
    axis = None if a.ndim == 0 else axis
    make = pt.argmax if kind == "max" else pt.argmin
    function_ = np.argmax if kind == "max" else np.argmin
    out, got = compile_and_run(lambda x: make(x, axis=axis, keepdims=keepdims), [a], [(None,) * a.ndim])
    if axis is None:
        expected = np.asarray(function_(a.reshape(-1)))
        expected = expected.reshape((1,) * a.ndim) if keepdims else expected
    else:
        expected = function_(a, axis=axis, keepdims=keepdims)
    assert_same(out, np.asarray(got), np.asarray(expected, dtype="int64"))


@pytest.mark.rule("OP-REDUCE-5")
def test_op_reduce_5__an_empty_input_is_an_error():
    x = pt.dvector("x")
    raises_rule(SpecValueError, "OP-REDUCE-5", function([x], pt.argmax(x)), np.zeros(0))


@pytest.mark.rule("OP-REDUCE-6")
@given(case=reduction_cases(dtypes=("bool", "int8", "int32", "uint16", "float16", "float32", "float64")))
def test_op_reduce_6__sum_divided_once_by_the_count(case):
    a, axis, keepdims = case
    out, got = compile_and_run(lambda x: pt.mean(x, axis=axis, keepdims=keepdims), [a], [(None,) * a.ndim])
    axes = numpy_axes(a, axis)
    sum_dtype = "float32" if a.dtype == np.float16 else SUM_DTYPE.get(a.dtype.name, a.dtype.name)
    acc = ACC_DTYPE.get(sum_dtype, sum_dtype)
    s = np.asarray(np.add.reduce(a, axis=axes, dtype=acc, keepdims=keepdims)).astype(sum_dtype)
    fd = "float32" if sum_dtype == "float32" else "float64"
    n = np.asarray(np.prod([a.shape[i] for i in axes], dtype="int64"), dtype=fd)
    with np.errstate(all="ignore"):
        expected = np.true_divide(s, n).astype(np.result_type(s.dtype, fd) if sum_dtype.startswith("float") else "float64")
    if a.dtype == np.float16:
        expected = expected.astype("float16")
    assert_same(out, got, expected)
    assert out.name == "mean"


@pytest.mark.rule("OP-REDUCE-6")
def test_op_reduce_6__dtypes_follow_pytensor():
    for dtype in ("bool", "int8", "int16", "int32", "int64", "uint8"):  # i1
        assert pt.mean(pt.vector(dtype=dtype)).dtype == "float64"
        assert pt.mean(pt.scalar(dtype=dtype)).dtype == "float64"
        with pytensor.config.change_flags(floatX="float32"):
            assert pt.mean(pt.vector(dtype=dtype)).dtype == "float64"
    for dtype in ("float16", "float32", "float64"):
        assert pt.mean(pt.vector(dtype=dtype)).dtype == dtype
    x = pt.dvector("x")
    assert np.isnan(function([x], x.mean())(np.zeros(0)))  # i1c


# -- products -----------------------------------------------------------------------------
@st.composite
def product_cases(draw, max_a=3, max_b=3, allow_scalars=True):
    a_ndim = draw(st.integers(0 if allow_scalars else 1, max_a))
    b_ndim = draw(st.integers(0 if allow_scalars else 1, max_b))
    k = draw(st.integers(0, 3))
    a_shape = tuple(draw(st.integers(0, 3)) for _ in range(a_ndim - 1)) + ((k,) if a_ndim else ())
    b_shape = ()
    if b_ndim == 1:
        b_shape = (k,)
    elif b_ndim >= 2:
        b_shape = tuple(draw(st.integers(0, 3)) for _ in range(b_ndim - 2)) + (k, draw(st.integers(0, 3)))
    dtypes = st.sampled_from(["float64", "float32", "int32", "int8", "bool", "complex128"])
    small = st.integers(-3, 3)
    a = draw(hnp.arrays("int8", a_shape, elements=small)).astype(draw(dtypes))
    b = draw(hnp.arrays("int8", b_shape, elements=small)).astype(draw(dtypes))
    return a, b


@pytest.mark.rule("OP-DOT-1")
@given(case=product_cases(), known=st.booleans())
def test_op_dot_1__numpy_dot(case, known):
    a, b = case
    statics = [a.shape, b.shape] if known else [static_shape(a.shape, [False] * a.ndim), static_shape(b.shape, [False] * b.ndim)]
    out, got = compile_and_run(pt.dot, [a, b], statics)
    assert_same(out, got, np.asarray(np.dot(a, b)).astype(result_dtype(a, b)))


@pytest.mark.rule("OP-DOT-1")
def test_op_dot_1__misaligned_shapes():
    raises_rule(SpecValueError, "OP-DOT-1", pt.dot, pt.zeros((2, 3)), pt.zeros((4,)))
    x, y = pt.dmatrix("x"), pt.dvector("y")
    f = function([x, y], pt.dot(x, y))
    error = raises_rule(SpecValueError, "OP-DOT-1", f, np.zeros((2, 3)), np.zeros(4))
    assert "Dot" in str(error)
    assert pytensor.dot is pt.dot or pytensor.dot(x, y).type == pt.dot(x, y).type


@pytest.mark.rule("OP-DOT-2")
@given(case=product_cases(allow_scalars=False))
def test_op_dot_2__numpy_matmul(case):
    a, b = case
    try:
        expected = np.matmul(a, b)
    except ValueError:
        assume(False)
    out, got = compile_and_run(pt.matmul, [a, b], [a.shape, b.shape])
    assert_same(out, got, np.asarray(expected).astype(result_dtype(a, b)))
    assert_same(*compile_and_run(lambda p, q: p @ q, [a, b]), np.asarray(expected).astype(result_dtype(a, b)))


@pytest.mark.rule("OP-DOT-2")
def test_op_dot_2__scalars_and_misaligned_shapes():
    raises_rule(SpecValueError, "OP-DOT-2", pt.matmul, pt.dscalar(), pt.dvector())
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    raises_rule(SpecValueError, "OP-DOT-2", function([x, y], x @ y), np.zeros((2, 3)), np.zeros((2, 3)))


@pytest.mark.rule("OP-DOT-3")
@given(data=st.data())
def test_op_dot_3__numpy_outer(data):
    a = data.draw(hnp.arrays(data.draw(st.sampled_from(["float64", "int16", "float32"])), hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)))
    b = data.draw(hnp.arrays(data.draw(st.sampled_from(["float64", "int16", "float32"])), hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)))
    out, got = compile_and_run(pt.outer, [a, b])
    assert_same(out, got, np.outer(a, b).astype(result_dtype(a, b)))


def test_every_error_of_this_chapter_is_a_spec_error():
    """The errors above carry rule ids (SpecError); an unexpected builtin error would not."""
    assert issubclass(SpecIndexError, SpecError) and issubclass(SpecValueError, ValueError)


@pytest.mark.rule("OP-SPECIFYSHAPE-1")
@pytest.mark.parametrize("mode", [None, "python"])
def test_op_specifyshape_1__symbolic_lengths_are_checked_at_run_time(mode):
    x, n = pt.dmatrix("x"), pt.lscalar("n")
    y = pt.specify_shape(x, (n, None))
    assert y.type.shape == (None, None)
    f = pytensor.function([x, n], y, mode=mode)
    assert f(np.ones((4, 2)), 4).shape == (4, 2)  # PyTensor: the same
    with pytest.raises(ValueError, match="OP-SPECIFYSHAPE-1"):
        f(np.ones((4, 2)), 3)
    rows = pytensor.scan(lambda r, k: pt.specify_shape(r * 2, (k,)), sequences=x, non_sequences=n,
                         return_updates=False)
    assert pytensor.function([x, n], rows, mode=mode)(np.ones((3, 2)), 2).tolist() == [[2.0, 2.0]] * 3
