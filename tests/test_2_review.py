"""Differences found by differential testing of ``pt`` against PyTensor 3.3.7 (review 2).

Each test states PyTensor's value (its Python ``perform`` path, ``Mode(linker="py",
optimizer=None)``) for a case where ``reference`` differed before the fix, or the rule
``reference`` keeps where PyTensor is documented as different (spec/C-divergences.rst).
"""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecValueError


def run(outputs, inputs, *values):
    return pytensor.function(inputs, outputs)(*values)


@pytest.mark.rule("TYPE-SHAPE-1")
def test_tensor_takes_pytensor_signature():
    x = pt.tensor("x", dtype="int8", shape=(2, None))
    assert (x.name, x.dtype, x.type.shape) == ("x", "int8", (2, None))
    y = pt.tensor("f", shape=(3,))  # short strings are names, as in PyTensor
    assert (y.name, y.dtype) == ("f", pytensor.config.floatX)
    z = pt.tensor("float32", shape=(None,), name="z")  # the dtype-first form still works
    assert (z.name, z.dtype) == ("z", "float32")
    assert pt.tensor(np.int16, shape=()).dtype == "int16"


@pytest.mark.rule("OP-SOFTPLUS-1")
def test_softplus_float32_is_float64_rounded_once():
    x = pt.fvector("x")
    v = np.array([0.3483825922012329, 0.7867504954338074, 1.7882698774337769, -1.052757978439331, 20.5],
                 dtype="float32")
    got = run(pt.softplus(x), [x], v)
    d = v.astype("float64")
    want = np.where(d < 18, np.log1p(np.exp(d)), d + np.exp(-d)).astype("float32")
    np.testing.assert_array_equal(got, want)
    assert got[1] == np.float32(1.1619776)  # PyTensor's perform; the float32 formula gives 1.1619778
    b = pt.bvector("b")
    assert run(pt.softplus(b), [b], np.array([-1, 1], dtype="int8")).tolist() == [
        np.float32(0.3132617), np.float32(1.3132616)]


@pytest.mark.rule("OP-REDUCE-5")
def test_argmax_several_axes():
    x = pt.tensor("x", dtype="float64", shape=(2, 3, 4))
    a = np.random.default_rng(0).normal(size=(2, 3, 4))
    out = pt.argmax(x, axis=(0, -1))
    assert out.type.shape == (3,)
    want = np.argmax(np.transpose(a, (1, 0, 2)).reshape(3, 8), axis=-1)
    np.testing.assert_array_equal(run(out, [x], a), want)
    k = pt.argmin(x, axis=(2, 0), keepdims=True)
    assert k.type.shape == (1, 3, 1)
    np.testing.assert_array_equal(run(k, [x], a), np.argmin(np.transpose(a, (1, 0, 2)).reshape(3, 8), -1).reshape(1, 3, 1))


@pytest.mark.rule("OP-REDUCE-5")
def test_argmax_no_axis_and_empty_inputs():
    x = pt.dmatrix("x")
    out = pt.argmax(x, axis=())
    assert out.type.shape == (None, None)
    np.testing.assert_array_equal(run(out, [x], np.ones((2, 3))), np.zeros((2, 3), dtype="int64"))
    # an empty x whose reduced axis is not empty: an empty result, as numpy
    got = run(pt.argmax(x, axis=1), [x], np.zeros((0, 3)))
    assert got.shape == (0,) and got.dtype == np.int64
    with pytest.raises(SpecValueError):
        run(pt.argmax(x, axis=0), [x], np.zeros((0, 3)))


@pytest.mark.rule("OP-REDUCE-3")
def test_min_of_signed_integers_does_not_wrap():
    # PyTensor's -max(-x) gives -100 and 1 (divergence-int-min)
    b = pt.bvector("b")
    v = np.array([-100, -128, 5], dtype="int8")
    assert run(pt.min(b), [b], v) == -128
    assert run(pt.argmin(b), [b], v) == 1


@pytest.mark.rule("OP-REDUCE-2")
def test_sum_with_dtype_accumulates_in_the_input_accumulator():
    f = pt.fvector("f")
    s = pt.sum(f, dtype="int32")
    assert s.owner.op.acc_dtype == "float64"
    assert run(s, [f], np.array([1.5, 2.5, 3.7], dtype="float32")) == 7  # float64 sum 7.7, truncated
    lv = pt.lvector("l")
    s = pt.sum(lv, dtype="float32")
    assert s.owner.op.acc_dtype == "int64"
    v = np.array([2**62, 2**62 - 1, 3, -(2**62), -(2**62)], dtype="int64")
    assert run(s, [lv], v) == np.float32(2)  # int64 sum, then cast


@pytest.mark.rule("OP-REDUCE-2")
def test_sum_refuses_an_acc_dtype_that_loses_precision():
    from reference.errors import SpecTypeError

    with pytest.raises(SpecTypeError):
        pt.sum(pt.dvector(), acc_dtype="float32")
    with pytest.raises(SpecTypeError):
        pt.prod(pt.lvector(), acc_dtype="int32")
    assert pt.sum(pt.lvector(), acc_dtype="float32").owner.op.acc_dtype == "float32"
    assert pt.sum(pt.bvector(), acc_dtype="int16").dtype == "int64"


@pytest.mark.rule("OP-SETSUB-2")
def test_set_inc_methods_and_ignore_duplicates():
    x = pt.dvector("x")
    v = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(run(x[1:].set(0), [x], v), [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(run(x[[0, 0]].inc(1), [x], v), [3.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(run(x[[0, 0]].inc(1, ignore_duplicates=True), [x], v), [2.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(run(pt.inc_subtensor(x[[0, 0]], 5, set_instead_of_inc=True), [x], v), [5.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(run(pt.set_subtensor(x[:2], 7, inplace=True), [x], v), [7.0, 7.0, 3.0, 4.0])
    # basic indices: ignore_duplicates changes nothing
    np.testing.assert_array_equal(run(pt.inc_subtensor(x[1:], 1, ignore_duplicates=True), [x], v), [1.0, 3.0, 4.0, 5.0])


@pytest.mark.rule("OP-REDUCE-3")
def test_max_min_initial():
    x = pt.dmatrix("x")
    empty = np.zeros((0, 3))
    np.testing.assert_array_equal(run(x.max(axis=0, initial=-np.inf), [x], empty), [-np.inf] * 3)
    np.testing.assert_array_equal(run(pt.min(x, axis=0, initial=np.inf), [x], empty), [np.inf] * 3)
    b = pt.bmatrix("b")
    assert run(pt.max(b, initial=-np.inf), [b], np.zeros((0, 2), "int8")) == -128
    assert run(pt.min(b, axis=None, initial=np.inf), [b], np.zeros((2, 0), "int8")) == 127
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(run(x.max(axis=1, initial=-np.inf), [x], a), [2.0, 5.0])
    with pytest.raises(SpecValueError):
        pt.max(x, initial=0.0)
    with pytest.raises(SpecValueError):
        run(pt.max(x, axis=0), [x], empty)


@pytest.mark.rule("GRAPH-VAR-1")
def test_pytensor_tensor_methods():
    x = pt.dmatrix("x")
    a = np.array([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]])
    checks = [
        (x.mT, a.T), (x.T.real, a.T), (x.sort(), np.sort(a)), (x.argsort(axis=0), np.argsort(a, axis=0)),
        (x.cumprod(axis=1), np.cumprod(a, axis=1)), (x.repeat(2, axis=0), a.repeat(2, axis=0)),
        (x.take([0, 4]), a.take([0, 4])), (x.swapaxes(0, 1), a.swapaxes(0, 1)), (x.diagonal(1), a.diagonal(1)),
        (x.trace(), a.trace()), (x.ravel(), a.ravel()), (x.ptp(axis=0), np.ptp(a, axis=0)),
        (x.fill(2.0), np.full_like(a, 2.0)), (x.zeros_like(), np.zeros_like(a)), (x.ones_like(), np.ones_like(a)),
        (x.norm(2), np.sqrt((a**2).sum())), (x.norm(1, axis=0), np.abs(a).sum(0)), (x.norm(np.inf, axis=1), np.abs(a).max(1)),
        (x.round(), np.round(a)), (x.conj(), a), (x.exp(), np.exp(a)), (x.floor(), np.floor(a)),
        (divmod(x, 2.0)[1], np.mod(a, 2.0)), (divmod(7.0, x)[0], np.floor_divide(7.0, a)),
        (x.max(axis=0), a.max(0)), (x.min(axis=1, keepdims=True), a.min(1, keepdims=True)),
    ]
    outs = run([c[0] for c in checks], [x], a)
    for got, (_, want) in zip(outs, checks, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-15)
    (nz,) = run(list(x.nonzero()), [x], a)[:1]
    np.testing.assert_array_equal(nz, np.nonzero(a)[0])
