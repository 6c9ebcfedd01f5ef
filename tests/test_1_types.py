"""Chapter 1, types: dtypes, static shapes, upcasting and the dtypes of literals (TYPE-*)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError, SpecValueError
from reference.graph.type import DTYPES, TensorType, literal_dtype, upcast, upgrade_to_float

dtypes = st.sampled_from(DTYPES)


# -- TYPE-DTYPE-1 -------------------------------------------------------------------------
@pytest.mark.rule("TYPE-DTYPE-1")
@pytest.mark.parametrize(
    ("spelling", "name"),
    [("f4", "float32"), (float, "float64"), (np.int16, "int16"), ("bool", "bool"), ("u8", "uint64")],
)
def test_type_dtype_1__spellings_normalise(spelling, name):
    assert TensorType(spelling, ()).dtype == name


@pytest.mark.rule("TYPE-DTYPE-1")
def test_type_dtype_1__floatx_follows_config():
    with pytensor.config.change_flags(floatX="float32"):
        assert TensorType("floatX", ()).dtype == "float32"
        assert pt.cast(pt.ivector(), "floatX").dtype == "float32"
    assert TensorType("floatX", ()).dtype == "float64"


@pytest.mark.rule("TYPE-DTYPE-1")
@pytest.mark.parametrize("bad", ["float128", "str", "object", "not-a-dtype", "datetime64"])
def test_type_dtype_1__unknown_dtypes_are_refused(bad):
    with pytest.raises(SpecTypeError) as info:
        TensorType(bad, ())
    assert info.value.rule == "TYPE-DTYPE-1"


# -- TYPE-SHAPE-1 -------------------------------------------------------------------------
@pytest.mark.rule("TYPE-SHAPE-1")
def test_type_shape_1__broadcastable_means_static_length_one():
    t = TensorType("float64", broadcastable=(True, False))
    assert t.shape == (1, None) and t.broadcastable == (True, False) and t.ndim == 2
    assert pt.matrix(shape=(1, None)).type == t


@pytest.mark.rule("TYPE-SHAPE-1")
@pytest.mark.parametrize("bad", [(-1,), (True,), (1.5,), ("3",)])
def test_type_shape_1__bad_entries_are_refused(bad):
    with pytest.raises(SpecTypeError) as info:
        TensorType("float64", bad)
    assert info.value.rule == "TYPE-SHAPE-1"


@pytest.mark.rule("TYPE-SHAPE-1")
def test_type_shape_1__constructors_and_their_defaults():
    assert pt.vector().type == TensorType("float64", (None,))
    assert pt.ivector().dtype == "int32" and pt.bmatrix().dtype == "int8"
    assert pt.ztensor3().type == TensorType("complex128", (None, None, None))
    assert pt.tensor("int32", shape=(2, None)).type == TensorType("int32", (2, None))
    with pytest.raises(SpecValueError):
        pt.vector(shape=(1, 2))


# -- TYPE-SHAPE-2 -------------------------------------------------------------------------
@pytest.mark.rule("TYPE-SHAPE-2")
def test_type_shape_2__unknown_lengths_hold_known_ones():
    assert TensorType("float64", (None, 3)).is_super(TensorType("float64", (2, 3)))
    assert not TensorType("float64", (2, 3)).is_super(TensorType("float64", (None, 3)))
    assert not TensorType("float64", (None,)).is_super(TensorType("float32", (None,)))
    assert not TensorType("float64", (None,)).is_super(TensorType("float64", (None, None)))


# -- TYPE-VALUE-1 -------------------------------------------------------------------------
@pytest.mark.rule("TYPE-VALUE-1")
def test_type_value_1__dtype_ndim_and_known_lengths():
    t = TensorType("float64", (None, 2))
    assert t.value_fits(np.zeros((5, 2)))
    assert not t.value_fits(np.zeros((5, 3)))
    assert not t.value_fits(np.zeros((5, 2), dtype="float32"))
    assert not t.value_fits(np.zeros(2))


# -- TYPE-UPCAST-1 ------------------------------------------------------------------------
@pytest.mark.rule("TYPE-UPCAST-1")
@given(a=dtypes, b=dtypes, c=dtypes)
def test_type_upcast_1__numpy_promotion_pairwise(a, b, c):
    assert upcast(a, b) == np.promote_types(a, b).name
    assert upcast(a, b, c) == np.promote_types(np.promote_types(a, b), c).name
    x, y = pt.tensor(a, shape=()), pt.tensor(b, shape=(None,))
    if upcast(a, b) != "bool":
        assert (x - y).dtype == upcast(a, b)
    assert (x + y).dtype == upcast(a, b)


@pytest.mark.rule("TYPE-UPCAST-1")
def test_type_upcast_1__values_never_matter_only_dtypes():
    assert (pt.fscalar() + pt.dvector()).dtype == "float64"
    assert (pt.fvector() * 2).dtype == "float32"
    assert (pt.fvector() * 0.1).dtype == "float64"
    assert (pt.fvector() * 70000).dtype == "float64"
    assert (pt.bscalar() * 300).dtype == "int16"


# -- TYPE-UPCAST-2 ------------------------------------------------------------------------
@pytest.mark.rule("TYPE-UPCAST-2")
@pytest.mark.parametrize(
    ("dtype", "expected"),
    [("bool", "float32"), ("int8", "float32"), ("int16", "float32"), ("uint8", "float32"),
     ("uint16", "float32"), ("int32", "float64"), ("int64", "float64"), ("uint32", "float64"),
     ("uint64", "float64"), ("float16", "float16"), ("float32", "float32"),
     ("float64", "float64"), ("complex64", "complex64")],
)
def test_type_upcast_2__upgrade_to_float(dtype, expected):
    assert upgrade_to_float(dtype) == expected
    assert pt.sqrt(pt.tensor(dtype, shape=())).dtype == expected
    with pytensor.config.change_flags(floatX="float32"):  # independent of floatX
        assert pt.exp(pt.tensor(dtype, shape=())).dtype == expected


# -- TYPE-LITERAL-1 -----------------------------------------------------------------------
@pytest.mark.rule("TYPE-LITERAL-1")
@pytest.mark.parametrize(
    ("value", "dtype"),
    [(0, "int8"), (127, "int8"), (128, "int16"), (-129, "int16"), (32768, "int32"),
     (2**31, "int64"), (2**63 - 1, "int64"), (2**63, "uint64"), (True, "int8"),
     (1.0, "float32"), (0.5, "float32"), (300.0, "float32"), (float("inf"), "float32"),
     (-0.0, "float32"), (0.1, "float64"), (1e40, "float64"), (float("nan"), "float64"),
     (1j, "complex128"), ([1, 2], "int64"), ([1.0, 2.0], "float64"), ([True], "bool"),
     (np.float32(0.1), "float32"), (np.int16(1), "int16"), (np.zeros(2, "uint8"), "uint8")],
)
def test_type_literal_1__dtype_of_a_literal(value, dtype):
    assert literal_dtype(value) == dtype
    assert pt.constant(value).dtype == dtype


@pytest.mark.rule("TYPE-LITERAL-1")
@pytest.mark.parametrize("value", [2**64, None, "a", object()])
def test_type_literal_1__unconvertible_values_are_type_errors(value):
    with pytest.raises(SpecTypeError) as info:
        pt.constant(value)
    assert info.value.rule == "TYPE-LITERAL-1"


@pytest.mark.rule("TYPE-LITERAL-1")
def test_type_literal_1__floatx_float32_makes_every_float_float32():
    with pytensor.config.change_flags(floatX="float32"):
        assert pt.constant(0.1).dtype == "float32"
        assert pt.constant(1e40).dtype == "float32"
        assert pt.constant([0.1, 0.2]).dtype == "float64"  # a list keeps numpy's dtype
        assert pt.constant([]).dtype == "float32"  # ... except an empty float list
    assert pt.constant([]).dtype == "float64"


@pytest.mark.rule("TYPE-LITERAL-1")
def test_type_literal_1__explicit_dtype_casts_and_ndim_pads():
    assert pt.constant(300, dtype="int8").data == 44
    assert pt.constant(1.5, dtype="int32").data == 1
    c = pt.constant([1, 2], ndim=3)
    assert c.type == TensorType("int64", (1, 1, 2))


@given(value=st.integers(min_value=-(2**63), max_value=2**64 - 1))
@pytest.mark.rule("TYPE-LITERAL-1")
def test_type_literal_1__integers_take_the_smallest_dtype_that_holds_them(value):
    dtype = literal_dtype(value)
    assert np.asarray(value, dtype=dtype) == value
    smaller = {"int16": "int8", "int32": "int16", "int64": "int32"}.get(dtype)
    if smaller:
        info = np.iinfo(smaller)
        assert not info.min <= value <= info.max


# -- TYPE-LITERAL-2 -----------------------------------------------------------------------
@pytest.mark.rule("TYPE-LITERAL-2")
def test_type_literal_2__variables_pass_and_lists_of_variables_stack():
    x = pt.dscalar("x")
    assert pt.as_tensor_variable(x) is x
    v = pt.as_tensor_variable([x, 1.0])
    assert v.type == TensorType("float64", (2,))
    assert v.eval({x: 3.0}).tolist() == [3.0, 1.0]
    assert pt.as_tensor_variable(x, dtype="float32").dtype == "float32"


@pytest.mark.rule("TYPE-LITERAL-2")
def test_type_literal_2__python_bools_and_non_tensors_are_refused():
    x = pt.dscalar("x")
    for bad in (lambda: pt.as_tensor_variable(True), lambda: x + False,
                lambda: pt.as_tensor_variable(pt.random.RandomStream(1).normal().owner.inputs[0]),
                lambda: pt.as_tensor_variable(x, ndim=1)):
        with pytest.raises(SpecTypeError) as info:
            bad()
        assert info.value.rule == "TYPE-LITERAL-2"


@pytest.mark.rule("TYPE-LITERAL-2")
@pytest.mark.parametrize("left", [np.int64(2), np.float64(0.5), np.asarray(2, "int8")])
def test_type_literal_2__numpy_values_on_the_left_give_way(left):
    b8 = pt.bscalar("b8")
    result = left + b8
    assert isinstance(result, pt.TensorVariable)
    assert result.dtype == np.promote_types(np.asarray(left).dtype, "int8").name


@pytest.mark.rule("GRAPH-NAMES-1")
def test_graph_names_1__pytensor_module_paths():
    # programs import names from the module PyTensor defines them in
    from reference.tensor.basic import constant, switch, where  # noqa: F401
    from reference.tensor.elemwise import DimShuffle  # noqa: F401
    from reference.tensor.math import dot, max, sum  # noqa: A004, F401
    from reference.tensor.nlinalg import matrix_inverse  # noqa: F401
    from reference.tensor.sharedvar import TensorSharedVariable  # noqa: F401
    from reference.tensor.slinalg import cholesky, solve  # noqa: F401
    from reference.tensor.sort import argsort, sort  # noqa: F401
    from reference.tensor.type import TensorType, dmatrices, dvector

    assert dvector("v").type is dvector and isinstance(dvector, TensorType) and len(dmatrices(2)) == 2
    from reference.compile import FAST_COMPILE, NUMBA, Mode, as_op  # noqa: F401

    assert isinstance(NUMBA, Mode)
    import reference.tensor.math as math_module

    assert not hasattr(math_module, "no_such_name")
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        math_module.no_such_name  # noqa: B018


@pytest.mark.rule("TYPE-LITERAL-1", "TYPE-LITERAL-2")
def test_type_literal_2__ndim_drops_leading_axes_of_length_one():
    assert pt.constant(np.ones((1, 1, 3)), ndim=1).type == TensorType("float64", (3,))  # PyTensor: the same
    assert pt.as_tensor_variable(np.ones((1, 1, 3)), ndim=1).type.shape == (3,)
    with pytest.raises(SpecTypeError, match="TYPE-LITERAL-1"):
        pt.constant(np.ones((2, 3)), ndim=1)
    row = pt.tensor("row", dtype="float64", shape=(1, None))
    v = pt.as_tensor_variable(row, ndim=1)
    assert v.type.shape == (None,) and v.eval({row: np.ones((1, 4))}).tolist() == [1.0] * 4
    with pytest.raises(SpecTypeError, match="TYPE-LITERAL-2"):
        pt.as_tensor_variable(pt.dmatrix("m"), ndim=1)
    assert pt.dvector("u").mean(acc_dtype="float64").dtype == "float64"
