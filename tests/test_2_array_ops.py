"""Chapter 2, "Array functions" (OP-FLIP-1 ... OP-SEARCHSORTED-1) and their gradients
(GRAD-OP-6).

Values against the numpy function each rule names (bit for bit, ``assert_array_equal``
with the dtype), static shapes against PyTensor 3.3.7's (recorded from runs of PyTensor;
where reference knows more, the rule says so), errors by class and rule id, gradients
against finite differences (``verify_grad``), and each function inside a ``scan`` step.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from op_checks import raises_rule, run, same

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError, SpecValueError
from reference.testing import verify_grad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def rng(seed=0):
    return np.random.default_rng(seed)


def typed(value):
    """A symbolic input whose type is the value's (static shape included)."""
    return pt.tensor(dtype=str(value.dtype), shape=value.shape)


def int_valued(dtypes, shapes, lo, hi):
    """Arrays of integer values in ``[lo, hi]`` cast to one of ``dtypes`` (booleans: non-zero)."""
    return st.tuples(hnp.arrays("int64", shapes, elements=st.integers(lo, hi)), st.sampled_from(dtypes)).map(
        lambda pair: pair[0].astype(pair[1]))


small_arrays = hnp.arrays(
    st.sampled_from(["float64", "float32", "int32", "int8"]),
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4),
    elements=st.integers(-5, 5),
)


# -- OP-FLIP-1, OP-ROLL-1, OP-AXES-1, OP-ATLEAST-1 ---------------------------------------------
@pytest.mark.rule("OP-FLIP-1")
@given(a=small_arrays, data=st.data())
def test_op_flip_1__flip_is_numpy_flip(a, data):
    x = typed(a)
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1),
                               st.lists(st.integers(0, a.ndim - 1), unique=True).map(tuple)))
    out = pt.flip(x, axis)
    assert out.type.shape == a.shape
    same(run(out, [x], a), np.flip(a, axis))


@pytest.mark.rule("OP-FLIP-1")
def test_op_flip_1__errors_and_scalars():
    raises_rule(SpecValueError, "OP-FLIP-1", pt.flip, pt.dmatrix(), 2)
    raises_rule(SpecValueError, "OP-FLIP-1", pt.flip, pt.dmatrix(), (0, 0))
    s = pt.dscalar()
    same(run(pt.flip(s), [s], 2.5), np.flip(np.float64(2.5)))


@pytest.mark.rule("OP-ROLL-1")
@given(a=small_arrays, shift=st.integers(-6, 6), data=st.data())
def test_op_roll_1__roll_is_numpy_roll(a, shift, data):
    x, s = typed(a), pt.lscalar("s")
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    out = pt.roll(x, s, axis)
    assert out.type.shape == a.shape
    same(run(out, [x, s], a, shift), np.roll(a, shift, axis))


@pytest.mark.rule("OP-ROLL-1")
def test_op_roll_1__tuples_and_errors():
    a = np.arange(12.0).reshape(3, 4)
    x = typed(a)
    same(run(pt.roll(x, (1, -2), axis=(0, 1)), [x], a), np.roll(a, (1, -2), axis=(0, 1)))
    same(run(pt.roll(x, 1, axis=(0, 1)), [x], a), np.roll(a, 1, axis=(0, 1)))
    raises_rule(SpecValueError, "OP-ROLL-1", pt.roll, x, 1, axis=5)
    raises_rule(SpecTypeError, "OP-ROLL-1", pt.roll, x, 1.5)
    raises_rule(SpecValueError, "OP-ROLL-1", pt.roll, pt.dscalar(), 1)
    raises_rule(SpecValueError, "OP-ROLL-1", pt.roll, x, (1, 2, 3), axis=(0, 1))


@pytest.mark.rule("OP-AXES-1")
def test_op_axes_1__swapaxes_moveaxis_matrix_transpose():
    a = rng().standard_normal((2, 3, 4))
    x = typed(a)
    cases = [
        (pt.swapaxes(x, 0, -1), np.swapaxes(a, 0, -1), (4, 3, 2)),
        (pt.moveaxis(x, 0, -1), np.moveaxis(a, 0, -1), (3, 4, 2)),
        (pt.moveaxis(x, [0, 1], [2, 0]), np.moveaxis(a, [0, 1], [2, 0]), (3, 4, 2)),
        (pt.matrix_transpose(x), np.matrix_transpose(a) if hasattr(np, "matrix_transpose")
         else np.swapaxes(a, -1, -2), (2, 4, 3)),
    ]
    for out, expected, static in cases:
        assert out.type.shape == static
        same(run(out, [x], a), expected)
    raises_rule(SpecValueError, "OP-AXES-1", pt.swapaxes, x, 0, 3)
    raises_rule(SpecTypeError, "OP-AXES-1", pt.swapaxes, x, 0, 1.0)
    raises_rule(SpecValueError, "OP-AXES-1", pt.moveaxis, x, 3, 0)
    raises_rule(SpecValueError, "OP-AXES-1", pt.moveaxis, x, [0, 0], [1, 2])
    raises_rule(SpecValueError, "OP-AXES-1", pt.moveaxis, x, [0, 1], [1])
    raises_rule(SpecValueError, "OP-AXES-1", pt.matrix_transpose, pt.dvector())


@pytest.mark.rule("OP-ATLEAST-1")
def test_op_atleast_1__pads_on_the_left_as_pytensor():
    s, v, m = pt.dscalar(), pt.tensor(dtype="float64", shape=(5,)), pt.tensor(dtype="float64", shape=(3, 4))
    assert pt.atleast_1d(s).type.shape == (1,)
    assert pt.atleast_1d(v) is v
    assert pt.atleast_2d(v).type.shape == (1, 5)
    assert pt.atleast_2d(v, left=False).type.shape == (5, 1)
    assert pt.atleast_3d(s).type.shape == (1, 1, 1)
    assert pt.atleast_3d(m).type.shape == (1, 3, 4)  # numpy: (3, 4, 1)
    assert pt.atleast_3d(m, left=False).type.shape == (3, 4, 1)
    assert pt.atleast_1d(3).type.dtype == "int8"
    a = np.arange(5.0)
    same(run(pt.atleast_2d(v), [v], a), np.atleast_2d(a))


# -- OP-REPEAT-1, OP-TILE-1 ------------------------------------------------------------------
@pytest.mark.rule("OP-REPEAT-1")
@given(a=small_arrays, data=st.data())
def test_op_repeat_1__repeat_is_numpy_repeat(a, data):
    x = typed(a)
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    length = a.size if axis is None else a.shape[axis]
    if data.draw(st.booleans()):
        reps = np.int64(data.draw(st.integers(0, 3)))
        r = pt.lscalar("r")
    else:
        reps = np.array(data.draw(st.lists(st.integers(0, 3), min_size=length, max_size=length)), dtype="int64")
        r = pt.lvector("r")
    same(run(pt.repeat(x, r, axis), [x, r], a, reps), np.repeat(a, reps, axis))
    const = pt.repeat(x, reps, axis)
    assert const.type.shape == np.repeat(a, reps, axis).shape
    same(run(const, [x], a), np.repeat(a, reps, axis))


@pytest.mark.rule("OP-REPEAT-1")
def test_op_repeat_1__static_shapes_and_errors():
    x = pt.tensor(dtype="float64", shape=(3, 4))
    assert pt.repeat(x, 2).type.shape == (24,)
    assert pt.repeat(x, 2, axis=1).type.shape == (3, 8)
    assert pt.repeat(x, pt.iscalar(), axis=1).type.shape == (3, None)
    assert pt.repeat(x, pt.lvector(), axis=0).type.shape == (None, 4)
    assert pt.repeat(x, [1, 2, 3], axis=0).type.shape == (6, 4)  # PyTensor: (None, 4)
    raises_rule(SpecTypeError, "OP-REPEAT-1", pt.repeat, x, 2.0)
    raises_rule(SpecValueError, "OP-REPEAT-1", pt.repeat, x, -1)
    raises_rule(SpecValueError, "OP-REPEAT-1", pt.repeat, x, 2, axis=3)
    raises_rule(SpecValueError, "OP-REPEAT-1", pt.repeat, x, np.array([[1]]), axis=0)
    raises_rule(SpecValueError, "OP-REPEAT-1", pt.repeat, x, [1, 2], axis=0)
    r = pt.lvector()
    f = pytensor.function([x, r], pt.repeat(x, r, axis=0), mode="python")
    raises_rule(SpecValueError, "OP-REPEAT-1", f, np.zeros((3, 4)), np.array([1, -1, 1]))
    raises_rule(SpecValueError, "OP-REPEAT-1", f, np.zeros((3, 4)), np.array([1, 1]))


@pytest.mark.rule("OP-TILE-1")
@given(a=small_arrays, reps=st.lists(st.integers(0, 3), min_size=0, max_size=4))
def test_op_tile_1__tile_is_numpy_tile(a, reps):
    x = typed(a)
    out = pt.tile(x, tuple(reps))
    expected = np.tile(a, tuple(reps))
    assert out.type.shape == expected.shape
    same(run(out, [x], a), expected)


@pytest.mark.rule("OP-TILE-1")
def test_op_tile_1__symbolic_reps_and_errors():
    a = np.arange(6.0).reshape(2, 3)
    x, i = pt.dmatrix("x"), pt.lscalar("i")
    out = pt.tile(x, (i, 2))
    assert out.type.shape == (None, None)
    same(run(out, [x, i], a, 3), np.tile(a, (3, 2)))
    xs = typed(a)
    assert pt.tile(xs, 2).type.shape == (2, 6)
    assert pt.tile(xs, (i, 2)).type.shape == (None, 6)
    v = pt.tensor(dtype="int64", shape=(3,))
    assert pt.tile(xs, v).type.shape == (None, None, None)
    same(run(pt.tile(xs, v), [xs, v], a, np.array([2, 1, 2])), np.tile(a, (2, 1, 2)))
    raises_rule(SpecValueError, "OP-TILE-1", pt.tile, xs, 2.0)
    raises_rule(SpecValueError, "OP-TILE-1", pt.tile, xs, (-1, 2))
    raises_rule(SpecValueError, "OP-TILE-1", pt.tile, xs, pt.lvector())
    s = pt.dscalar()
    same(run(pt.tile(s, 3), [s], 1.5), np.tile(1.5, 3))


# -- OP-STACK-1, OP-STACK-2, OP-SPLIT-1 ------------------------------------------------------
@pytest.mark.rule("OP-STACK-1")
def test_op_stack_1__horizontal_and_vertical_stack():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(4, dtype="float32").reshape(2, 2)
    x, y = typed(a), typed(b)
    out = pt.horizontal_stack(x, y)
    assert out.type.shape == (2, 5) and out.dtype == "float64"
    same(run(out, [x, y], a, b), np.hstack([a, b]))
    same(run(pt.vertical_stack(x, x), [x], a), np.vstack([a, a]))
    raises_rule(SpecValueError, "OP-STACK-1", pt.horizontal_stack, x)
    raises_rule(SpecValueError, "OP-STACK-1", pt.vertical_stack, pt.dvector(), pt.dvector())


@pytest.mark.rule("OP-STACK-2")
def test_op_stack_2__stacklists():
    s, t = pt.dscalar("s"), pt.dscalar("t")
    out = pt.stacklists([[s, t], [t, s]])
    assert out.type.shape == (2, 2)
    same(run(out, [s, t], 1.0, 2.0), np.array([[1.0, 2.0], [2.0, 1.0]]))
    assert pt.stacklists([1, 2]).dtype == "int8"
    assert pt.stacklists([s, 1]).dtype == "float64"
    raises_rule(SpecValueError, "OP-STACK-2", pt.stacklists, [])


@pytest.mark.rule("OP-SPLIT-1")
def test_op_split_1__split_is_numpy_split_at_the_cumulative_sizes():
    a = np.arange(12.0).reshape(3, 4)
    x = typed(a)
    parts = pt.split(x, [1, 3], n_splits=2, axis=1)
    assert isinstance(parts, list) and [p.type.shape for p in parts] == [(3, 1), (3, 3)]
    for got, expected in zip(run(parts, [x], a), np.split(a, [1], axis=1), strict=True):
        same(got, expected)
    assert pt.split(x, [1, 2], 2)[1].type.shape == (2, 4)  # n_splits positionally too
    one = pt.split(x, [3], n_splits=1)
    assert isinstance(one, pt.TensorVariable) and one.type.shape == (3, 4)
    sizes = pt.lvector("sizes")
    parts = pt.split(x, sizes, n_splits=3, axis=1)
    assert [p.type.shape for p in parts] == [(3, None)] * 3
    f = pytensor.function([x, sizes], parts, mode="python")
    for got, expected in zip(f(a, np.array([0, 3, 1])), np.split(a, [0, 3], axis=1), strict=True):
        same(got, expected)
    raises_rule(SpecValueError, "OP-SPLIT-1", f, a, np.array([1, 1, 1]))
    raises_rule(SpecValueError, "OP-SPLIT-1", f, a, np.array([3, 2, -1]))
    raises_rule(SpecValueError, "OP-SPLIT-1", f, a, np.array([2, 2]))
    raises_rule(SpecValueError, "OP-SPLIT-1", pt.split, x, [1, 2], n_splits=3)
    raises_rule(SpecTypeError, "OP-SPLIT-1", pt.split, x, [1.0, 2.0], n_splits=2)
    raises_rule(SpecValueError, "OP-SPLIT-1", pt.split, x, [1, 2], n_splits=2, axis=2)
    raises_rule(SpecValueError, "OP-SPLIT-1", pt.split, x, [1, 1], n_splits=2)
    raises_rule(SpecValueError, "OP-SPLIT-1", pt.split, pt.dscalar(), [1], n_splits=1)


# -- OP-TAKE-1, OP-TAKE-2 --------------------------------------------------------------------
@pytest.mark.rule("OP-TAKE-1")
@given(a=small_arrays.filter(lambda a: a.size > 0), data=st.data())
def test_op_take_1__take_is_numpy_take(a, data):
    x = typed(a)
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    n = a.size if axis is None else a.shape[axis]
    mode = data.draw(st.sampled_from(["raise", "wrap", "clip"]))
    bound = (-n, n - 1) if mode == "raise" else (-3 * n, 3 * n)
    idx = data.draw(hnp.arrays("int64", hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
                               elements=st.integers(*bound)))
    i = typed(idx)
    same(run(pt.take(x, i, axis, mode=mode), [x, i], a, idx), np.take(a, idx, axis, mode=mode))


@pytest.mark.rule("OP-TAKE-1")
def test_op_take_1__static_shapes_and_errors():
    x = pt.tensor(dtype="float64", shape=(3, 4))
    assert pt.take(x, pt.ivector(), axis=0).type.shape == (None, 4)
    assert pt.take(x, pt.iscalar(), axis=1).type.shape == (3,)
    assert pt.take(x, [0, 2], axis=-1).type.shape == (3, 2)
    assert pt.take(x, pt.imatrix(), axis=1).type.shape == (3, None, None)
    a = np.arange(12.0).reshape(3, 4)
    same(run(pt.take(x, np.array([True, False])), [x], a), np.take(a, np.array([True, False])))
    raises_rule(SpecTypeError, "OP-TAKE-1", pt.take, x, pt.fvector())
    raises_rule(SpecValueError, "OP-TAKE-1", pt.take, x, [0], axis=2)
    raises_rule(SpecValueError, "OP-TAKE-1", pt.take, x, [0], mode="bogus")
    with pytest.raises(IndexError):
        run(pt.take(x, [5], axis=0), [x], a)


@pytest.mark.rule("OP-TAKE-2")
@given(a=small_arrays.filter(lambda a: a.size > 0), data=st.data())
def test_op_take_2__take_along_axis_is_numpy(a, data):
    x = typed(a)
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    n = a.shape[axis]
    shape = list(a.shape)
    shape[axis] = data.draw(st.integers(0, 4))
    idx = data.draw(hnp.arrays("int64", tuple(shape), elements=st.integers(-n, n - 1)))
    i = typed(idx)
    out = pt.take_along_axis(x, i, axis)
    assert out.type.shape == tuple(shape)
    same(run(out, [x, i], a, idx), np.take_along_axis(a, idx, axis))


@pytest.mark.rule("OP-TAKE-2")
def test_op_take_2__axis_none_and_errors():
    a = np.arange(12.0).reshape(3, 4)
    x = typed(a)
    idx = np.array([11, 0, 5])
    same(run(pt.take_along_axis(x, idx, None), [x], a), np.take_along_axis(a, idx, None))
    assert pt.take_along_axis(x, pt.imatrix(), 0).type.shape == (None, 4)  # PyTensor: (None, None)
    raises_rule(SpecValueError, "OP-TAKE-2", pt.take_along_axis, x, pt.imatrix(), None)
    raises_rule(SpecValueError, "OP-TAKE-2", pt.take_along_axis, x, pt.ivector(), 0)
    raises_rule(SpecTypeError, "OP-TAKE-2", pt.take_along_axis, x, pt.fmatrix(), 0)
    raises_rule(SpecValueError, "OP-TAKE-2", pt.take_along_axis, x, pt.imatrix(), 3)
    raises_rule(SpecValueError, "OP-TAKE-2", pt.take_along_axis, x,
                pt.tensor(dtype="int64", shape=(2, 1)), 1)


# -- OP-DIAG-1, OP-DIAG-2, OP-DIAG-3, OP-TRI-1 ---------------------------------------------------
@pytest.mark.rule("OP-DIAG-1")
@pytest.mark.rule("OP-DIAG-3")
@given(a=int_valued(["float64", "int32", "uint8", "bool"],
                      hnp.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=4), 0, 5),
       offset=st.integers(-5, 5), data=st.data())
def test_op_diag_1__diagonal_and_trace_are_numpy(a, offset, data):
    axis1, axis2 = data.draw(st.lists(st.integers(-a.ndim, a.ndim - 1), min_size=2, max_size=2,
                                      unique_by=lambda i: i % a.ndim))
    for static in (True, False):
        x = typed(a) if static else pt.tensor(dtype=str(a.dtype), shape=(None,) * a.ndim)
        out = pt.diagonal(x, offset, axis1, axis2)
        expected = np.diagonal(a, offset, axis1, axis2)
        if static:
            assert out.type.shape == expected.shape
        same(run(out, [x], a), expected)
        t = pt.trace(x, offset, axis1, axis2)
        same(run(t, [x], a), np.trace(a, offset, axis1, axis2, dtype=t.dtype))


@pytest.mark.rule("OP-DIAG-3")
def test_op_diag_3__trace_dtypes_are_sum_dtypes():
    assert pt.trace(pt.fmatrix()).dtype == "float32"
    assert pt.trace(pt.imatrix()).dtype == "int64"
    assert pt.trace(pt.tensor(dtype="uint8", shape=(2, 2))).dtype == "uint64"
    assert pt.trace(pt.tensor(dtype="bool", shape=(2, 2))).dtype == "int64"
    assert pt.trace(pt.tensor(dtype="float64", shape=(2, 3, 4))).type.shape == (4,)


@pytest.mark.rule("OP-DIAG-1")
@pytest.mark.rule("OP-DIAG-2")
def test_op_diag_2__diag_of_vectors_and_matrices():
    v = np.array([1.0, 2.0, 3.0])
    x = typed(v)
    for k in (-2, 0, 1):
        out = pt.diag(x, k)
        assert out.type.shape == np.diag(v, k).shape
        same(run(out, [x], v), np.diag(v, k))
    xv = pt.dvector()
    assert pt.diag(xv, 1).type.shape == (None, None)
    same(run(pt.diag(xv, -1), [xv], v), np.diag(v, -1))
    m = np.arange(12.0).reshape(3, 4)
    xm = typed(m)
    for k in (-2, 0, 1, 10):
        out = pt.diag(xm, k)
        assert out.type.shape == np.diag(m, k).shape
        same(run(out, [xm], m), np.diag(m, k))
    raises_rule(SpecValueError, "OP-DIAG-2", pt.diag, pt.dtensor3())
    raises_rule(SpecValueError, "OP-DIAG-2", pt.diag, pt.dscalar())
    raises_rule(SpecTypeError, "OP-DIAG-2", pt.diag, xm, pt.iscalar())
    raises_rule(SpecValueError, "OP-DIAG-1", pt.diagonal, pt.dtensor3(), 0, 1, 1)
    raises_rule(SpecValueError, "OP-DIAG-1", pt.diagonal, pt.dtensor3(), 0, 0, 3)
    raises_rule(SpecValueError, "OP-DIAG-1", pt.diagonal, pt.dvector())


@pytest.mark.rule("OP-TRI-1")
@given(a=int_valued(["float64", "int16", "bool"],
                      hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4), 0, 3),
       k=st.integers(-4, 4))
def test_op_tri_1__tril_and_triu_are_numpy(a, k):
    x, kk = typed(a), pt.lscalar("k")
    for fn, np_fn in ((pt.tril, np.tril), (pt.triu, np.triu)):
        out = fn(x, k)
        assert out.type.shape == np_fn(a, k).shape
        same(run(out, [x], a), np_fn(a, k))
        same(run(fn(x, kk), [x, kk], a, k), np_fn(a, k))


@pytest.mark.rule("OP-TRI-1")
def test_op_tri_1__tri_and_nan_entries():
    for args in ((3,), (3, 4, 1), (2, 5, -1), (0,)):
        out = pt.tri(*args)
        assert out.type.shape == np.tri(*args).shape and out.dtype == "float64"
        same(run(out, []), np.tri(*args))
    assert pt.tri(3, dtype="int32").dtype == "int32"
    n = pt.lscalar("n")
    assert pt.tri(n).type.shape == (None, None)
    same(run(pt.tri(n, 3, 1, dtype="int8"), [n], 4), np.tri(4, 3, 1, dtype="int8"))
    a = np.array([[np.nan, np.inf], [1.0, np.nan]])
    x = typed(a)
    same(run(pt.tril(x), [x], a), np.tril(a))  # nan above the diagonal becomes 0, as numpy
    same(run(pt.triu(x), [x], a), np.triu(a))
    raises_rule(SpecTypeError, "OP-TRI-1", pt.tril, pt.dscalar())
    raises_rule(SpecTypeError, "OP-TRI-1", pt.tri, 2.5)
    raises_rule(SpecTypeError, "OP-TRI-1", pt.tril, x, pt.dscalar())


# -- OP-SPACE-1, OP-SPACE-2, OP-SPACE-3 ------------------------------------------------------
@pytest.mark.rule("OP-SPACE-1")
@pytest.mark.rule("OP-SPACE-2")
@pytest.mark.rule("OP-SPACE-3")
@given(start=st.sampled_from([0, 1, -3, 0.5, 2.25]), stop=st.sampled_from([1, 10, -7, 0.1, 100.0]),
       num=st.integers(0, 7), endpoint=st.booleans(), dtype=st.sampled_from(["float64", "float32", "int64"]))
def test_op_space_1__spaced_ranges_are_numpy(start, stop, num, endpoint, dtype):
    s, t = pt.dscalar("s"), pt.dscalar("t")
    n = pt.lscalar("n")
    lin = pt.linspace(s, t, n, endpoint=endpoint, dtype=dtype)
    same(run(lin, [s, t, n], start, stop, num), np.linspace(np.float64(start), np.float64(stop), num,
                                                            endpoint=endpoint, dtype=dtype))
    log_ = pt.logspace(s, t / 10, num, base=2.0, endpoint=endpoint, dtype=dtype)
    assert log_.type.shape == (num,)
    same(run(log_, [s, t], start, stop), np.logspace(np.float64(start), np.float64(stop) / 10, num,
                                                     endpoint=endpoint, base=2.0, dtype=dtype))
    geom = pt.geomspace(abs(start) + 1, t, num, endpoint=endpoint, dtype=dtype)
    expected = np.geomspace(np.asarray(abs(start) + 1, dtype=geom.owner.inputs[0].dtype), np.float64(stop),
                            num, endpoint=endpoint, dtype=dtype)
    same(run(geom, [t], stop), expected)


@pytest.mark.rule("OP-SPACE-1")
def test_op_space_1__dtypes_shapes_axis_and_errors():
    assert pt.linspace(0, 1, 5).type == pt.TensorType("float64", (5,))
    assert pt.linspace(0, 1).type.shape == (50,)
    with pytensor.config.change_flags(floatX="float32"):
        assert pt.linspace(0, 1, 5).dtype == "float32"
    assert pt.linspace(pt.fvector(), 1, 5).type.shape == (5, None)
    x = pt.tensor(dtype="float64", shape=(3, 4))
    assert pt.linspace(x, 1, 5).type.shape == (5, 3, 4)
    assert pt.linspace(x, 1, 5, axis=-1).type.shape == (3, 4, 5)
    assert pt.linspace(0, 1, pt.iscalar()).type.shape == (None,)
    a = np.arange(12.0).reshape(3, 4)
    same(run(pt.linspace(x, 2 * x + 1, 4, axis=1), [x], a), np.linspace(a, 2 * a + 1, 4, axis=1))
    samples, step = pt.linspace(0, 1, 5, retstep=True)
    assert step.type == pt.TensorType("float64", ())
    got = run([samples, step], [])
    expected = np.linspace(0, 1, 5, retstep=True)
    same(got[0], expected[0])
    same(got[1], np.float64(expected[1]))
    raises_rule(SpecValueError, "OP-SPACE-1", pt.linspace, 0, 1, -1)
    raises_rule(SpecTypeError, "OP-SPACE-1", pt.linspace, 0, 1, 2.5)
    raises_rule(SpecValueError, "OP-SPACE-1", pt.linspace, 0, 1, 5, axis=1)
    n = pt.lscalar()
    raises_rule(SpecValueError, "OP-SPACE-1", run, pt.linspace(0, 1, n), [n], -2)
    raises_rule(SpecValueError, "OP-SPACE-3", run, pt.geomspace(0, 1, 3), [])
    assert pt.geomspace(pt.dvector(), 100, 3).type.shape == (3, None)
    assert pt.logspace(0, 2, 3, dtype="float32").dtype == "float32"


# -- OP-DIFF-1, OP-PTP-1, OP-BROADCAST-1, OP-EMPTY-1 -----------------------------------------
@pytest.mark.rule("OP-DIFF-1")
@given(a=int_valued(["float64", "int32", "uint8", "bool"],
                      hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5), 0, 9),
       n=st.integers(0, 6), data=st.data())
def test_op_diff_1__diff_is_numpy_diff(a, n, data):
    x = typed(a)
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    out = pt.diff(x, n, axis)
    expected = np.diff(a, n, axis)
    assert out.type.shape == expected.shape and out.dtype == expected.dtype
    same(run(out, [x], a), expected)


@pytest.mark.rule("OP-DIFF-1")
def test_op_diff_1__errors():
    raises_rule(SpecValueError, "OP-DIFF-1", pt.diff, pt.dmatrix(), -1)
    raises_rule(SpecTypeError, "OP-DIFF-1", pt.diff, pt.dmatrix(), 1.0)
    raises_rule(SpecValueError, "OP-DIFF-1", pt.diff, pt.dscalar())
    raises_rule(SpecValueError, "OP-DIFF-1", pt.diff, pt.dmatrix(), 1, 2)


@pytest.mark.rule("OP-PTP-1")
def test_op_ptp_1__ptp_is_max_minus_min():
    a = np.array([[3, 250, 7], [0, 4, 9]], dtype="uint8")
    x = typed(a)
    for axis in (None, 0, 1, (0, 1)):
        out = pt.ptp(x, axis)
        assert out.dtype == "uint8"
        same(run(out, [x], a), np.ptp(a, axis))
    assert pt.ptp(pt.ivector()).dtype == "int32"
    raises_rule(SpecTypeError, "OP-PTP-1", pt.ptp, pt.tensor(dtype="bool", shape=(None,)))


@pytest.mark.rule("OP-BROADCAST-1")
def test_op_broadcast_1__broadcast_arrays():
    a, b = np.arange(12.0).reshape(3, 4), np.arange(4, dtype="int32")
    x, y = typed(a), pt.ivector("y")
    outs = pt.broadcast_arrays(x, y)
    assert [(o.dtype, o.type.shape) for o in outs] == [("float64", (3, 4)), ("int32", (3, 4))]
    for got, expected in zip(run(outs, [x, y], a, b), np.broadcast_arrays(a, b), strict=True):
        same(got, expected)
    s, v = pt.dscalar("s"), pt.ivector("v")
    outs = pt.broadcast_arrays(s, v)
    assert [o.type.shape for o in outs] == [(None,), (None,)]
    for got, expected in zip(run(outs, [s, v], 2.0, b), np.broadcast_arrays(np.float64(2.0), b), strict=True):
        same(got, expected)
    raises_rule(SpecValueError, "OP-BROADCAST-1", pt.broadcast_arrays, x, pt.tensor(dtype="float64", shape=(5,)))
    u, w = pt.dvector("u"), pt.dvector("w")
    with pytest.raises(SpecValueError):
        run(pt.broadcast_arrays(u, w), [u, w], np.zeros(3), np.zeros(2))


@pytest.mark.rule("OP-EMPTY-1")
def test_op_empty_1__empty_and_empty_like():
    assert pt.empty((2, 3)).type == pt.TensorType("float64", (2, 3))
    assert pt.empty((2, 3), dtype="int32").dtype == "int32"
    assert pt.empty(3).type.shape == (3,)
    i = pt.lscalar("i")
    assert pt.empty((i, 3)).type.shape == (None, 3)
    assert pt.empty(pt.tensor(dtype="int64", shape=(3,))).type.shape == (None, None, None)
    x = pt.tensor(dtype="float32", shape=(3, None))
    assert pt.empty_like(x).type == x.type
    assert pt.empty_like(x, dtype="int8").type == pt.TensorType("int8", (3, None))
    same(run(pt.empty((i, 2)), [i], 2), np.zeros((2, 2)))


# -- OP-SORT-1 --------------------------------------------------------------------------------
@pytest.mark.rule("OP-SORT-1")
@given(a=int_valued(["float64", "float32", "int32", "bool"],
                      hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5), -3, 3),
       kind=st.sampled_from([None, "quicksort", "mergesort", "heapsort", "stable"]), data=st.data())
def test_op_sort_1__sort_and_argsort_are_numpy(a, kind, data):
    x = typed(a)
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    s, i = pt.sort(x, axis, kind), pt.argsort(x, axis, kind)
    assert s.type.shape == np.sort(a, axis).shape and i.dtype == "int64"
    got_s, got_i = run([s, i], [x], a)
    same(got_s, np.sort(a, axis, kind))
    same(got_i, np.argsort(a, axis, kind).astype("int64"))


@pytest.mark.rule("OP-SORT-1")
def test_op_sort_1__nan_stable_and_errors():
    a = np.array([3.0, np.nan, -1.0, 2.0, np.nan, -np.inf])
    x = typed(a)
    same(run(pt.sort(x), [x], a), np.sort(a))
    same(run(pt.argsort(x, stable=True), [x], a), np.argsort(a, stable=True))
    raises_rule(SpecValueError, "OP-SORT-1", pt.sort, pt.dmatrix(), 2)
    raises_rule(SpecValueError, "OP-SORT-1", pt.sort, pt.dscalar())
    raises_rule(SpecValueError, "OP-SORT-1", pt.argsort, pt.dscalar())
    raises_rule(SpecValueError, "OP-SORT-1", pt.sort, x, kind="bogus")
    raises_rule(SpecValueError, "OP-SORT-1", pt.sort, x, order="f")
    assert pt.sort(pt.tensor(dtype="float64", shape=(3, 4)), axis=None).type.shape == (12,)


# -- OP-NONZERO-1, OP-BINCOUNT-1, OP-SEARCHSORTED-1 --------------------------------------------
@pytest.mark.rule("OP-NONZERO-1")
@given(a=int_valued(["float64", "int8", "bool"],
                      hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4), 0, 2))
def test_op_nonzero_1__nonzero_and_flatnonzero_are_numpy(a):
    x = typed(a)
    outs = pt.nonzero(x)
    assert isinstance(outs, tuple) and len(outs) == a.ndim
    for got, expected in zip(run(list(outs), [x], a), np.nonzero(a), strict=True):
        same(got, expected.astype("int64"))
    matrix = pt.nonzero(x, return_matrix=True)
    assert matrix.type.shape == (a.ndim, None)
    same(run(matrix, [x], a), np.array(np.nonzero(a), dtype="int64").reshape(a.ndim, -1))
    same(run(pt.flatnonzero(x), [x], a), np.flatnonzero(a).astype("int64"))


@pytest.mark.rule("OP-NONZERO-1")
def test_op_nonzero_1__scalars_are_refused():
    raises_rule(SpecValueError, "OP-NONZERO-1", pt.nonzero, pt.dscalar())
    raises_rule(SpecValueError, "OP-NONZERO-1", pt.flatnonzero, pt.dscalar())


@pytest.mark.rule("OP-NONZERO-1")
def test_op_nonzero_1__indexing_with_a_constant_flatnonzero_gives_a_vector():
    v = pt.as_tensor(np.arange(6.0))[pt.flatnonzero(np.array([0, 1, 1]))]  # was typed (1, 2)
    assert v.type.shape == (2,) and v.eval().tolist() == [1.0, 2.0]


@pytest.mark.rule("OP-BINCOUNT-1")
def test_op_bincount_1__bincount():
    a = np.array([0, 3, 3, 1, 7], dtype="int32")
    w = np.array([0.5, 1.0, 2.0, -1.0, 3.0])
    x, ww = pt.ivector("x"), pt.dvector("w")
    out = pt.bincount(x)
    assert out.type == pt.TensorType("int32", (None,))
    same(run(out, [x], a), np.bincount(a).astype("int32"))
    same(run(pt.bincount(x, minlength=10), [x], a), np.bincount(a, minlength=10).astype("int32"))
    weighted = pt.bincount(x, weights=ww)
    assert weighted.dtype == "float64"
    same(run(weighted, [x, ww], a, w), np.bincount(a, w))
    raises_rule(SpecValueError, "OP-BINCOUNT-1", run, out, [x], np.array([1, -1], dtype="int32"))
    raises_rule(SpecTypeError, "OP-BINCOUNT-1", pt.bincount, pt.dvector())
    raises_rule(SpecTypeError, "OP-BINCOUNT-1", pt.bincount, pt.imatrix())
    raises_rule(SpecValueError, "OP-BINCOUNT-1", pt.bincount, x, minlength=-1)
    verify_grad(lambda w_: pt.bincount(a, weights=w_, minlength=9), [w], rng=rng())


@pytest.mark.rule("OP-SEARCHSORTED-1")
def test_op_searchsorted_1__searchsorted():
    xs = np.array([1.0, 2.0, 2.0, 5.0])
    vs = np.array([[0.0, 2.0], [2.5, 9.0]])
    x, v = pt.dvector("x"), typed(vs)
    for side in ("left", "right"):
        out = pt.searchsorted(x, v, side=side)
        assert out.type == pt.TensorType("int64", (2, 2))
        same(run(out, [x, v], xs, vs), np.searchsorted(xs, vs, side=side).astype("int64"))
    unsorted = np.array([5.0, 1.0, 2.0])
    sorter = pt.lvector("sorter")
    same(run(pt.searchsorted(x, v, sorter=sorter), [x, v, sorter], unsorted, vs, np.argsort(unsorted)),
         np.searchsorted(unsorted, vs, sorter=np.argsort(unsorted)).astype("int64"))
    raises_rule(SpecValueError, "OP-SEARCHSORTED-1", pt.searchsorted, x, v, side="middle")
    raises_rule(SpecValueError, "OP-SEARCHSORTED-1", pt.searchsorted, pt.dmatrix(), v)


# -- GRAD-OP-6 --------------------------------------------------------------------------------
GRADS = {
    "flip": (lambda x: pt.flip(x, 1), (3, 4)),
    "roll": (lambda x: pt.roll(x, 2, axis=1), (3, 4)),
    "roll_flat": (lambda x: pt.roll(x, -5), (3, 4)),
    "repeat_scalar": (lambda x: pt.repeat(x, 3, axis=0), (3, 4)),
    "repeat_vector": (lambda x: pt.repeat(x, [2, 0, 1, 3], axis=1), (3, 4)),
    "repeat_flat": (lambda x: pt.repeat(x, 2), (3, 4)),
    "tile": (lambda x: pt.tile(x, (2, 1, 3)), (3, 4)),
    "swapaxes": (lambda x: pt.swapaxes(x, 0, 1), (3, 4)),
    "split": (lambda x: [p * (i + 1) for i, p in enumerate(pt.split(x, [1, 0, 3], n_splits=3, axis=1))], (3, 4)),
    "split_unused": (lambda x: pt.split(x, [2, 1], n_splits=2, axis=0)[1], (3, 4)),
    "take": (lambda x: pt.take(x, np.array([[0, 2], [2, 2]]), axis=1), (3, 4)),
    "take_along_axis": (lambda x: pt.take_along_axis(x, np.array([[0, 0, 2, 1]]), axis=0), (3, 4)),
    "diag_vector": (lambda x: pt.diag(x, -1), (4,)),
    "diagonal": (lambda x: pt.diagonal(x, 1), (3, 4)),
    "trace": (lambda x: pt.trace(x), (3, 4)),
    "tril": (lambda x: pt.tril(x, -1), (3, 4)),
    "triu": (lambda x: pt.triu(x), (3, 4)),
    "diff": (lambda x: pt.diff(x, 2, axis=1), (3, 4)),
    "sort": (lambda x: pt.sort(x, axis=0), (3, 4)),
    "sort_flat": (lambda x: pt.sort(x, axis=None), (3, 4)),
    "ptp": (lambda x: pt.ptp(x, axis=1), (3, 4)),
    "broadcast_arrays": (lambda x: pt.broadcast_arrays(x, pt.zeros((2, 1, 4)))[0], (3, 4)),
    "linspace_array": (lambda x: pt.linspace(x, 2 * x + 1, 5, axis=1), (3, 4)),
}


@pytest.mark.rule("GRAD-OP-6")
@pytest.mark.parametrize("name", sorted(GRADS))
def test_grad_op_6__array_functions_match_finite_differences(name):
    fn, shape = GRADS[name]
    value = rng(1).permutation(np.arange(np.prod(shape))).reshape(shape) / 3.0 - 1.0  # distinct entries
    verify_grad(fn, [value], rng=rng())


@pytest.mark.rule("GRAD-OP-6")
@pytest.mark.parametrize("kind", ["lin", "log", "geom"])
@pytest.mark.parametrize("endpoint", [True, False])
def test_grad_op_6__spaced_ranges_match_finite_differences(kind, endpoint):
    def fn(start, stop):
        if kind == "lin":
            return pt.linspace(start, stop, 6, endpoint=endpoint)
        if kind == "log":
            return pt.logspace(start, stop, 6, base=3.0, endpoint=endpoint)
        return pt.geomspace(start, stop, 6, endpoint=endpoint)

    verify_grad(fn, [np.array(0.7), np.array([1.5, 2.5])], rng=rng())
    base = pt.dscalar("base")
    start = pt.dscalar("start")
    verify_grad(lambda b: pt.logspace(0.5, 1.5, 4, base=b), [np.array(2.5)], rng=rng())
    assert base is not None and start is not None


@pytest.mark.rule("GRAD-OP-6")
def test_grad_op_6__sort_sends_each_cotangent_to_its_source():
    a = np.array([3.0, -1.0, 2.0, 0.5])
    x = pt.dvector("x")
    weights = np.arange(1.0, 5.0)
    g = pytensor.grad(pt.sum(pt.sort(x) * weights), x)
    same(run(g, [x], a), weights[np.argsort(np.argsort(a))])
    i = pt.argsort(x)
    assert pytensor.grad(pt.sum(x[i] * weights), x) is not None  # argsort itself is not differentiated


# -- inside scan --------------------------------------------------------------------------------
@pytest.mark.rule("OP-FLIP-1")
@pytest.mark.rule("OP-ROLL-1")
@pytest.mark.rule("OP-REPEAT-1")
@pytest.mark.rule("OP-TILE-1")
@pytest.mark.rule("OP-SPLIT-1")
@pytest.mark.rule("OP-DIAG-2")
@pytest.mark.rule("OP-TRI-1")
@pytest.mark.rule("OP-SORT-1")
@pytest.mark.rule("OP-SPACE-1")
@pytest.mark.rule("OP-DIFF-1")
@pytest.mark.rule("OP-TAKE-1")
@pytest.mark.rule("OP-NONZERO-1")
@pytest.mark.rule("OP-SEARCHSORTED-1")
def test_op_flip_1__array_functions_in_a_scan_step_on_both_paths():
    """Each step equals numpy's; the default mode (the C kernel where it can lower the
    step, else the Python path per scan) gives the same values as ``mode="python"``."""
    xs, h0 = pt.dmatrix("xs"), pt.tensor(dtype="float64", shape=(4,), name="h0")

    def step(r, h):
        first, rest = pt.split(r, [1, 3], n_splits=2)
        new_h = (pt.roll(h, 1) + pt.flip(r) + pt.sort(r) + pt.repeat(first, 4)
                 + pt.tile(rest, 2)[:4] + pt.diag(r)[0] + pt.tril(pt.outer(r, r)).sum(axis=0)
                 + pt.linspace(r[0], r[1], 4) + pt.concatenate([pt.diff(r), r[:1]])
                 + pt.take(r, pt.argsort(r)))
        count = pt.nonzero(r > 0)[0].shape[0] + pt.searchsorted(pt.sort(r), 0.0)
        return [new_h, count]

    ys = pytensor.scan(step, sequences=[xs], outputs_info=[h0, None], return_updates=False)
    a = np.round(rng(3).standard_normal((6, 4)), 2)
    python = pytensor.function([xs, h0], ys, mode="python")(a, np.zeros(4))
    h = np.zeros(4)
    for t, r in enumerate(a):
        h = (np.roll(h, 1) + np.flip(r) + np.sort(r) + np.repeat(r[:1], 4) + np.tile(r[1:], 2)[:4]
             + np.diag(r)[0] + np.tril(np.outer(r, r)).sum(axis=0) + np.linspace(r[0], r[1], 4)
             + np.concatenate([np.diff(r), r[:1]]) + np.take(r, np.argsort(r)))
        np.testing.assert_allclose(python[0][t], h, rtol=1e-12)
        assert python[1][t] == np.count_nonzero(r > 0) + np.searchsorted(np.sort(r), 0.0)
    default = pytensor.function([xs, h0], ys)(a, np.zeros(4))
    for got, expected in zip(default, python, strict=True):
        same(got, expected)


# -- the submodule and PyTensor (optional) ------------------------------------------------------
@pytest.mark.rule("OP-FLIP-1")
def test_op_flip_1__extra_ops_is_a_submodule_of_pt():
    import reference.tensor.extra_ops as extra_ops

    assert pt.extra_ops is extra_ops
    for name in extra_ops.__all__:
        assert getattr(pt, name) is getattr(extra_ops, name)


@pytest.mark.rule("OP-SPACE-1")
@pytest.mark.rule("OP-TILE-1")
@pytest.mark.rule("OP-DIAG-1")
def test_op_space_1__values_match_pytensor_when_installed():
    ptn = pytest.importorskip("pytensor")
    import pytensor.tensor as ptt

    a = np.arange(12.0).reshape(3, 4)
    cases = [
        (lambda m, x: m.linspace(x, 2 * x + 1, 5, axis=1), a),
        (lambda m, x: m.tile(x, (2, 1, 2)), a),
        (lambda m, x: m.diagonal(x, 1), a),
        (lambda m, x: m.repeat(x, [1, 0, 2], axis=0), a),
        (lambda m, x: m.roll(x, 3), a),
        (lambda m, x: m.tril(x, -1), a),
    ]
    for build, value in cases:
        xr, xp = pt.dmatrix("x"), ptt.dmatrix("x")
        ours = pytensor.function([xr], build(pt, xr), mode="python")(value)
        theirs = ptn.function([xp], build(ptt, xp))(value)
        same(ours, theirs)


# -- GRAD-OP-3: cumprod --------------------------------------------------------------------------
def brute_force_cumprod_grad(x, g, axis):
    """``grad_i = sum_{j>=i} g_j * prod_{k<=j, k!=i} x_k`` along ``axis``, by loops."""
    xs, gs = np.moveaxis(x, axis, -1), np.moveaxis(g, axis, -1)
    out = np.zeros_like(xs)
    n = xs.shape[-1]
    for idx in np.ndindex(xs.shape[:-1]):
        for i in range(n):
            total = 0.0
            for j in range(i, n):
                total += gs[idx + (j,)] * np.prod([xs[idx + (k,)] for k in range(j + 1) if k != i])
            out[idx + (i,)] = total
    return np.moveaxis(out, -1, axis)


@pytest.mark.rule("GRAD-OP-3")
@given(x=hnp.arrays("float64", hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.sampled_from([0.0, 0.0, 1.0, -2.0, 0.5, 3.0])),
       data=st.data())
def test_grad_op_3__cumprod_gradient_is_exact_at_zeros(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    g = data.draw(hnp.arrays("float64", x.shape, elements=st.sampled_from([1.0, -1.0, 2.0, 0.25])))
    xv = typed(x)
    got = run(pytensor.grad(pt.sum(pt.cumprod(xv, axis) * g), xv), [xv], x)
    expected = brute_force_cumprod_grad(x, g, axis % x.ndim)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    assert np.isfinite(got).all()
    flat = run(pytensor.grad(pt.sum(pt.cumprod(xv) * g.reshape(-1)), xv), [xv], x)
    np.testing.assert_allclose(flat, brute_force_cumprod_grad(x.reshape(-1), g.reshape(-1), 0).reshape(x.shape),
                               rtol=1e-12, atol=0)


@pytest.mark.rule("GRAD-OP-3")
def test_grad_op_3__cumprod_matches_finite_differences():
    value = rng(2).uniform(0.5, 1.5, (3, 4)) * np.sign(rng(3).standard_normal((3, 4)))
    verify_grad(lambda x: pt.cumprod(x, axis=1), [value], rng=rng())
    verify_grad(lambda x: pt.cumprod(x, axis=0), [value], rng=rng())
    verify_grad(lambda x: pt.cumprod(x), [value], rng=rng())
    x = pt.dvector("x")
    g = pytensor.grad(pt.sum(pt.cumprod(x)), x)
    with pytest.raises(SpecValueError) as info:
        pytensor.grad(pt.sum(g), x)
    assert info.value.rule == "GRAD-OP-3"


@pytest.mark.rule("OP-REDUCE-1")
@pytest.mark.rule("OP-ROLL-1")
@pytest.mark.rule("OP-JOIN-1")
@pytest.mark.rule("OP-SORT-1")
@pytest.mark.parametrize("build", [
    lambda m: pt.sum(m, axis=2),
    lambda m: pt.roll(m, 1, axis=-3),
    lambda m: pt.concatenate([m, m], axis=2),
    lambda m: pt.sort(m, axis=5),
    lambda m: pt.cumsum(m, axis=2),
    lambda m: pt.flip(m, axis=2),
], ids=["sum", "roll", "concatenate", "sort", "cumsum", "flip"])
def test_an_axis_out_of_range_is_both_a_value_error_and_an_index_error(build):
    """numpy's AxisError is both; PyTensor raises one or the other depending on the op, so
    code written against either catches ours."""
    from reference.errors import SpecAxisError

    m = pt.dmatrix("m")
    with pytest.raises(SpecAxisError) as caught:
        build(m)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, IndexError)
    assert "axis" in str(caught.value)
