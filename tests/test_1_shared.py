"""Chapter 1, shared variables: creation, values, updates (SHARED-*).

Cases named ``c<n>`` are those of tests/data/pytensor_facts.md, section c.
"""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference import function, shared
from reference.errors import SpecTypeError
from reference.graph.shared import SharedVariable, TensorSharedVariable
from reference.graph.type import TensorType


@pytest.mark.rule("SHARED-VALUE-1")
@pytest.mark.parametrize(
    ("value", "dtype", "shape"),
    [
        (1, "int64", ()),  # c1
        (1.0, "float64", ()),  # c2
        (np.float32(1), "float32", ()),  # c3
        (np.array([1, 2]), "int64", (None,)),  # c4b
        (True, "bool", ()),  # c4c
        (np.int8(1), "int8", ()),  # c4e
        (np.asarray(1, "int32"), "int32", ()),  # c4f
        (0.1, "float64", ()),  # c4g
        (2**40, "int64", ()),  # c4h
        (np.zeros(3), "float64", (None,)),  # c5
        (np.zeros((1, 3)), "float64", (None, None)),  # c5b: no static 1
        (np.array(2.0), "float64", ()),  # c5e
    ],
)
def test_shared_value_1__dtype_and_static_shape(value, dtype, shape):
    s = shared(value)
    assert isinstance(s, TensorSharedVariable) and isinstance(s, SharedVariable)
    assert s.type == TensorType(dtype, shape)
    got = s.get_value()
    assert type(got) is np.ndarray and got.dtype == dtype  # c8f
    np.testing.assert_array_equal(got, np.asarray(value))


@pytest.mark.rule("SHARED-VALUE-1")
def test_shared_value_1__options():
    assert shared(np.zeros(3), shape=(3,)).type.shape == (3,)  # c5c
    with pytest.raises(SpecTypeError):  # c5d
        shared(np.zeros(3), shape=(4,))
    assert shared(np.zeros(3), strict=True).type.shape == (None,)  # c5h
    assert shared([1, 2], dtype="float32").type == TensorType("float32", (None,))
    with pytensor.config.change_flags(floatX="float32"):  # c13
        assert shared(0.1).dtype == "float64"
    s = shared(np.zeros(3), name="W")
    assert (str(s), repr(s), s.name) == ("W", "W", "W")  # c5f
    assert str(shared(np.zeros(3))) == "<Vector(float64, shape=(?,))>"  # c5g
    assert (shared(1) + 1).dtype == "int64" and (shared(1) * 0.5).dtype == "float64"  # c11


@pytest.mark.rule("SHARED-VALUE-1")
@pytest.mark.parametrize("value", [pt.dscalar("x"), None, "abc", object()])
def test_shared_value_1__symbolic_and_object_values_are_refused(value):
    with pytest.raises(SpecTypeError):  # c5i; c5j/c5k are generic in PyTensor (C.6)
        shared(value)


@pytest.mark.rule("SHARED-VALUE-1")
def test_shared_value_1__copies_unless_borrowed():
    a = np.zeros(3)
    s = shared(a)
    a[0] = 7.0  # c8b
    assert s.get_value()[0] == 0.0
    v = s.get_value()
    v[0] = 5.0  # c8
    assert s.get_value()[0] == 0.0 and not np.shares_memory(a, s.get_value())
    b = np.zeros(3)
    t = shared(b, borrow=True)
    assert np.shares_memory(t.get_value(borrow=True), b)
    t.get_value(borrow=True)[0] = 9.0  # c8c/c8d: a borrowed alias writes the shared value
    assert t.get_value()[0] == 9.0 and b[0] == 9.0
    b += 1  # PyTensor's aliasing tutorial: the borrowed array is still the caller's, writable
    assert t.get_value().tolist() == [10.0, 1.0, 1.0]


@pytest.mark.rule("SHARED-VALUE-1")
def test_shared_value_1__the_aliasing_tutorial():
    np_array = np.ones(2, dtype="float32")
    s_default, s_false, s_true = shared(np_array), shared(np_array, borrow=False), shared(np_array, borrow=True)
    np_array += 1
    assert s_default.get_value().tolist() == [1.0, 1.0] and s_false.get_value().tolist() == [1.0, 1.0]
    assert s_true.get_value().tolist() == [2.0, 2.0]


@pytest.mark.rule("SHARED-VALUE-2")
def test_shared_value_2__set_value_converts_like_an_input():
    s = shared(np.zeros(2))
    s.set_value(np.ones(2, "float32"))  # c6
    assert s.get_value().dtype == np.float64
    s.set_value(np.array([1, 2]))  # c6b
    s.set_value([1, 2])  # c6e
    assert s.get_value().tolist() == [1.0, 2.0]
    s.set_value(np.zeros(5))  # c7b: an unknown length may change
    assert s.get_value().shape == (5,)
    i = shared(1)
    i.set_value(3.0)  # c6g
    assert i.get_value() == 3 and i.get_value().dtype == np.int64
    f = shared(1.0)
    f.set_value(3)  # c6h
    assert f.get_value() == 3.0


@pytest.mark.rule("SHARED-VALUE-2")
@pytest.mark.parametrize(
    ("make", "value", "rule"),
    [
        (lambda: shared(np.zeros(2, "float32")), np.array([0.1, 0.2]), "FN-INPUT-2"),  # c6c
        (lambda: shared(np.zeros(2, "int64")), np.array([1.5, 2.0]), "FN-INPUT-2"),  # c6d
        (lambda: shared(1), 2.5, "FN-INPUT-4"),  # c6f
        (lambda: shared(np.float32(1)), 0.1, "FN-INPUT-4"),  # c6i
        (lambda: shared(np.zeros(2)), np.zeros((2, 2)), "FN-INPUT-3"),  # c7
        (lambda: shared(np.zeros(2)), 1.0, "FN-INPUT-3"),  # c7c
        (lambda: shared(np.zeros(3), shape=(3,)), np.zeros(4), "FN-INPUT-3"),  # c7d
    ],
)
def test_shared_value_2__refused_values_leave_the_value(make, value, rule):
    s = make()
    before = s.get_value()
    with pytest.raises(SpecTypeError) as info:
        s.set_value(value)
    assert info.value.rule == rule
    np.testing.assert_array_equal(s.get_value(), before)


@pytest.mark.rule("SHARED-VALUE-2")
def test_shared_value_2__a_private_copy_unless_borrowed():
    s = shared(np.zeros(3))
    a = np.ones(3)
    s.set_value(a)
    a[0] = 5.0  # c8e
    assert s.get_value()[0] == 1.0
    assert not np.shares_memory(s.get_value(borrow=True), a)
    b = np.ones(3)
    s.set_value(b, borrow=True)
    assert np.shares_memory(s.get_value(borrow=True), b)


@pytest.mark.rule("SHARED-UPDATE-1")
def test_shared_update_1__building_and_evaluating_never_change_a_value():
    s = shared(0, name="s")
    s.default_update = s + 1
    y = s * 10
    assert pytensor.evaluate(y) == 0 and pytensor.evaluate([y, s + 1]) == [0, 1]
    f = function([], y, no_default_updates=True)
    g = function([], y)
    assert s.get_value() == 0  # building functions changes nothing
    f()
    assert s.get_value() == 0
    g()
    assert s.get_value() == 1  # only a call's updates (and set_value) do
    s.set_value(5)
    assert g() == 50 and s.get_value() == 6


@pytest.mark.rule("SHARED-UPDATE-2")
def test_shared_update_2__default_update_is_a_variable_or_none():
    s = shared(np.zeros(2), name="s")
    assert s.default_update is None
    s.default_update = s + 1
    f = function([], s.sum())
    assert [f(), f()] == [0.0, 2.0]
    s.default_update = None
    assert [f(), f()] == [4.0, 6.0]  # read when f was built
    g = function([], s.sum())
    assert [g(), g()] == [8.0, 8.0]


@pytest.mark.rule("SHARED-VALUE-1")
def test_shared_value_1__broadcastable_gives_static_lengths_of_one():
    s = shared(np.zeros((1, 3)), broadcastable=(True, False))
    assert s.type.shape == (1, None)
    with pytest.raises(TypeError, match="FN-INPUT-3"):
        shared(np.zeros((2, 3)), broadcastable=(True, False))  # the value must fit
    with pytest.raises(TypeError, match="not both"):
        shared(np.zeros((1, 3)), shape=(1, 3), broadcastable=(True, False))
