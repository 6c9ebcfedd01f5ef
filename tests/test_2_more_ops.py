"""Chapter 2: var and std, row and col, broadcast_to, variadic add and mul (OP-*).

As in ``test_2_ops.py``: values bit for bit against the numpy computation the rule names,
dtypes and static shapes against PyTensor 3.3.7's (recorded here from runs of PyTensor,
and for a few expressions also in ``tests/data/pytensor_dtypes.json``), errors by class and
rule id.
"""

import functools
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference as pytensor
import reference.tensor as pt
from reference import function
from reference._cloop import HAVE_CLOOP
from reference._cloop.dispatch import same_bits
from reference.errors import SpecTypeError, SpecValueError
from reference.graph.type import DTYPES

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

REAL = [d for d in DTYPES if not d.startswith("complex")]
EXACT = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "float64"]


def raises_rule(error, rule, fn, *args, **kwargs):
    with pytest.raises(error) as info:
        fn(*args, **kwargs)
    assert info.value.rule == rule, info.value
    return info.value


def assert_same(out, got, expected):
    """``got`` (computed for variable ``out``) is ``expected`` bit for bit, of ``out``'s
    dtype, with a shape that fits ``out``'s static shape."""
    expected = np.asarray(expected)
    assert got.dtype == expected.dtype == np.dtype(out.dtype), (got.dtype, expected.dtype, out.dtype)
    assert got.shape == expected.shape
    assert all(s is None or s == n for s, n in zip(out.type.shape, got.shape, strict=True)), out.type
    assert np.array_equal(got, expected, equal_nan=got.dtype.kind in "fc")
    if got.dtype.kind == "f":
        assert np.array_equal(np.signbit(got), np.signbit(expected))


def static_of(shape, known):
    return tuple(n if n == 1 or k else None for n, k in zip(shape, known, strict=True))


@st.composite
def reduction_case(draw, dtypes):
    """An array, an ``axis`` argument, the normalized axes and the reduced count."""
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    if dtype == "bool":
        elements = st.booleans()
    elif dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        elements = st.integers(max(info.min, -1000), min(info.max, 1000))
    else:
        bound = 100.0 if dtype == "float16" else 1e6
        elements = st.floats(-bound, bound, width=np.dtype(dtype).itemsize * 8)
    a = draw(hnp.arrays(dtype, shape, elements=elements))
    ndim = len(shape)
    axis = draw(st.none() | st.integers(-ndim, ndim - 1)
                | st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).map(tuple))
    if axis is None:
        axes = tuple(range(ndim))
    elif isinstance(axis, int):
        axes = (axis % ndim,)
    else:
        axes = tuple(sorted(axis))
    count = int(np.prod([shape[i] for i in axes]))
    return a, axis, axes, count


# -- OP-REDUCE-7, OP-REDUCE-8: var and std ----------------------------------------------------
@pytest.mark.rule("OP-REDUCE-7")
@pytest.mark.rule("OP-REDUCE-8")
@given(case=reduction_case(EXACT), ddof=st.integers(0, 3), keepdims=st.booleans())
def test_op_reduce_7__var_and_std_equal_numpy(case, ddof, keepdims):
    """float64, bool and integers: np.var and np.std bit for bit (while ddof <= n)."""
    a, axis, _, count = case
    assume(ddof <= count)
    x = pt.tensor(dtype=a.dtype.name, shape=(None,) * a.ndim, name="x")
    v = pt.var(x, axis=axis, ddof=ddof, keepdims=keepdims)
    s = pt.std(x, axis=axis, ddof=ddof, keepdims=keepdims)
    got_v, got_s = function([x], [v, s])(a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(v, got_v, np.var(a, axis=axis, ddof=ddof, keepdims=keepdims))
        assert_same(s, got_s, np.std(a, axis=axis, ddof=ddof, keepdims=keepdims))
    assert v.dtype == s.dtype == "float64" and (v.name, s.name) == ("var", "std")
    assert v.type.shape == np.var(np.zeros(a.shape), axis=axis, keepdims=keepdims).shape or None in v.type.shape


def rule_var(a, axes, ddof, keepdims, corrected):
    """OP-REDUCE-7 spelled with numpy: sums with PyTensor's accumulator dtypes."""
    dtype = a.dtype
    acc = {"float16": "float32", "float32": "float64"}.get(dtype.name, dtype.name)
    count_dtype = np.float32 if dtype.name in ("float16", "float32") else np.float64
    n = int(np.prod([a.shape[i] for i in axes]))

    def total(b, keep):
        return np.add.reduce(b, axis=axes, dtype=acc, keepdims=keep).astype(dtype)

    def mean(b, keep):
        if dtype.name == "float16":  # mean sums float16 in float32 and casts the mean back
            return (np.add.reduce(b, axis=axes, dtype="float32", keepdims=keep)
                    / count_dtype(n)).astype("float16")
        return total(b, keep) / count_dtype(n)

    c = a - mean(a, True)
    if ddof == 0:
        v = mean(c * c, keepdims)
    else:
        v = total(c * c, keepdims) / dtype.type(n - ddof)
    if corrected:
        if ddof == 0:
            e = mean(c, keepdims)
            v = v - e * e
        else:
            s = total(c, keepdims)
            v = v - s * s / dtype.type((n - ddof) * n)
    return np.asarray(v).astype(dtype)


@pytest.mark.rule("OP-REDUCE-7")
@given(case=reduction_case(["float16", "float32", "float64"]), ddof=st.integers(0, 2),
       keepdims=st.booleans(), corrected=st.booleans())
def test_op_reduce_7__floats_and_corrected_follow_the_formula(case, ddof, keepdims, corrected):
    """float16/float32 (sums accumulate wider, so not np.var) and corrected=True: the
    rule's steps written with numpy."""
    a, axis, axes, _ = case
    x = pt.tensor(dtype=a.dtype.name, shape=(None,) * a.ndim, name="x")
    v = pt.var(x, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)
    got = function([x], v)(a)
    with np.errstate(all="ignore"):
        expected = rule_var(a, axes, ddof, keepdims, corrected)
    assert_same(v, got, expected)


@pytest.mark.rule("OP-REDUCE-7")
@pytest.mark.rule("OP-REDUCE-8")
def test_op_reduce_7__dtypes_and_static_shapes_are_pytensors():
    """Recorded from PyTensor 3.3.7 for an input of static shape (None, 3): the dtype of
    var and std with every option combination, and the static shapes."""
    pytensor_dtype = {"bool": "float64", "int8": "float64", "uint8": "float64", "int32": "float64",
                      "int64": "float64", "uint64": "float64", "float16": "float16",
                      "float32": "float32", "float64": "float64", "complex64": "complex64",
                      "complex128": "complex128"}
    for dtype, wanted in pytensor_dtype.items():
        x = pt.tensor(dtype=dtype, shape=(None, 3))
        for kwargs in ({}, {"ddof": 1}, {"corrected": True}, {"ddof": 1, "corrected": True}):
            for make in (pt.var, pt.std):
                out = make(x, **kwargs)
                assert (out.dtype, out.type.shape) == (wanted, ()), (dtype, kwargs)
        assert pt.var(x, axis=0, keepdims=True).type.shape == (1, 3)
        assert pt.std(x, axis=-1).type.shape == (None,)
        assert pt.var(x, axis=[]).type.shape == (None, 3)
    with pytensor.config.change_flags(floatX="float32"):
        assert pt.var(pt.ivector()).dtype == "float64"  # as PyTensor: the mean of ints is float64


@pytest.mark.rule("OP-REDUCE-7")
def test_op_reduce_7__complex_squares_without_conjugating():
    """PyTensor's formula on complex inputs: the mean of c * c (numpy's var takes |c|**2)."""
    a = np.array([1 + 2j, 3 - 1j, -2 + 0.5j])
    x = pt.zvector("x")
    got = function([x], pt.var(x))(a)
    c = a - np.add.reduce(a) / 3.0
    assert_same(pt.var(x), got, np.add.reduce(c * c) / 3.0)


@pytest.mark.rule("OP-REDUCE-7")
def test_op_reduce_7__ddof_forms():
    x = pt.dvector("x")
    a = np.array([1.0, 2.0, 4.0])
    d = pt.lscalar("d")
    f = function([x, d], pt.var(x, ddof=d))
    for k in (0, 1, 2):
        assert f(a, k) == np.var(a, ddof=k)  # a symbolic ddof takes step 3 even when it is 0
    assert function([x], pt.var(x, ddof=1.5))(a) == np.add.reduce((a - a.mean()) ** 2) / 1.5
    # ddof above n: PyTensor divides by n - ddof (numpy by max(n - ddof, 0))
    got = function([x], pt.var(x, ddof=4))(a)
    assert got == np.add.reduce((a - a.mean()) ** 2) / -1.0 and got < 0
    # a 0-d input: no axis reduced, n is 1
    s = pt.dscalar("s")
    assert function([s], [pt.var(s), pt.var(s, ddof=1)])(3.0)[0] == 0.0
    assert np.isnan(function([s], pt.var(s, ddof=1))(3.0))


@pytest.mark.rule("OP-REDUCE-7")
def test_op_reduce_7__errors():
    x = pt.dmatrix("x")
    error = raises_rule(SpecValueError, "OP-REDUCE-7", pt.var, x, None, True)
    assert "ddof" in str(error) and "keepdims" in str(error)
    raises_rule(SpecValueError, "OP-REDUCE-7", pt.std, x, ddof=np.bool_(False))
    raises_rule(SpecValueError, "OP-REDUCE-7", pt.var, pt.dscalar(), axis=0)
    raises_rule(SpecValueError, "OP-REDUCE-1", pt.var, x, axis=2)
    raises_rule(SpecValueError, "OP-REDUCE-1", pt.std, x, axis=(0, 0))
    raises_rule(SpecTypeError, "OP-REDUCE-1", pt.var, x, axis=pt.lscalar())
    assert pt.var(pt.dscalar(), axis=()).type.shape == ()


@pytest.mark.rule("OP-REDUCE-7")
@pytest.mark.rule("OP-REDUCE-8")
def test_op_reduce_7__methods_are_the_functions():
    x = pt.fmatrix("x")
    a = np.arange(6, dtype="float32").reshape(2, 3) ** 2
    f = function([x], [x.var(), x.std(axis=0, ddof=1, keepdims=True), pt.var(x), pt.std(x, 0, 1, True)])
    got = f(a)
    assert same_bits(got[0], got[2]) and same_bits(got[1], got[3])
    assert x.var().name == "var" and x.std().name == "std"


@pytest.mark.rule("OP-REDUCE-7")
@pytest.mark.rule("OP-REDUCE-8")
@pytest.mark.rule("GRAD-OP-1")
@pytest.mark.parametrize("kwargs", [{}, {"ddof": 1}, {"axis": 0}, {"axis": 1, "ddof": 1}, {"corrected": True}])
def test_op_reduce_7__gradient_is_the_analytic_one(kwargs):
    """d var / dx = 2 (x - mean) / (n - ddof); d std / dx = (x - mean) / ((n - ddof) std).
    (PyTensor 3.3.7 gives the same numbers to 12 digits on this input.)"""
    a = np.array([[1.0, 2.5, -3.0], [0.5, 4.0, 2.0]])
    x = pt.dmatrix("x")
    gv = pytensor.grad(pt.var(x, **kwargs).sum(), x)
    gs = pytensor.grad(pt.std(x, **kwargs).sum(), x)
    got_v, got_s = function([x], [gv, gs])(a)
    axis, ddof = kwargs.get("axis"), kwargs.get("ddof", 0)
    centered = a - a.mean(axis=axis, keepdims=True)
    n = a.size if axis is None else a.shape[axis]
    np.testing.assert_allclose(got_v, 2 * centered / (n - ddof), rtol=1e-12, atol=1e-15)
    std = np.std(a, axis=axis, ddof=ddof, keepdims=True)
    np.testing.assert_allclose(got_s, centered / ((n - ddof) * std), rtol=1e-12, atol=1e-15)


# -- OP-ADD-2: variadic add and mul -----------------------------------------------------------
@pytest.mark.rule("OP-ADD-2")
@given(data=st.data(), n=st.integers(3, 5))
def test_op_add_2__fold_from_the_left_equals_numpy(data, n):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=3, max_side=3))
    arrays = [data.draw(hnp.arrays(data.draw(st.sampled_from(REAL)), s)) for s in shapes.input_shapes]
    variables = [pt.tensor(dtype=a.dtype.name, shape=static_of(a.shape, [True] * a.ndim)) for a in arrays]
    for make, ufunc in ((pt.add, np.add), (pt.mul, np.multiply)):
        out = make(*variables)
        dtype = functools.reduce(np.promote_types, (a.dtype for a in arrays))
        with np.errstate(all="ignore"):
            expected = functools.reduce(lambda u, v: ufunc(u, v).astype(np.promote_types(u.dtype, v.dtype)), arrays)
        got = function(variables, out)(*arrays)
        assert out.dtype == dtype.name
        assert_same(out, got, np.broadcast_to(expected.astype(dtype), shapes.result_shape))
        assert out.type.shape == shapes.result_shape


@pytest.mark.rule("OP-ADD-2")
def test_op_add_2__dtypes_nodes_and_arity():
    h, b, u = pt.scalar(dtype="float16"), pt.bscalar(), pt.scalar(dtype="uint8")
    # recorded from PyTensor 3.3.7: its upcast folds from the left too
    assert (pt.add(h, b, u).dtype, pt.add(b, u, h).dtype) == ("float16", "float32")
    assert (pt.mul(h, b, u).dtype, pt.mul(b, u, h).dtype) == ("float16", "float32")
    assert pt.add(pt.iscalar(), pt.fscalar(), pt.dscalar()).dtype == "float64"
    bo = pt.scalar(dtype="bool")
    assert pt.add(bo, bo, bo).dtype == pt.mul(bo, bo, bo).dtype == "bool"
    x, y, z = pt.dvector("x"), pt.dvector("y"), pt.dvector("z")
    out = pt.add(x, y, z)
    assert out.owner.op is pt.add and out.owner.inputs[0].owner.inputs == [x, y]
    one = pt.add(x)
    assert one is not x and one.type == x.type
    assert function([x], one)(np.array([1.0, -0.0])).tolist() == [1.0, -0.0]
    assert pt.mul(bo).dtype == "bool"
    raises_rule(SpecTypeError, "OP-ADD-2", pt.add)
    raises_rule(SpecTypeError, "OP-ADD-2", pt.mul)
    for binary in (pt.maximum, pt.minimum, pt.sub):  # PyTensor: TypeError for these too
        raises_rule(SpecTypeError, "OP-ELEMWISE-1", binary, x, y, z)
    raises_rule(SpecValueError, "OP-ELEMWISE-1", pt.add, pt.dvector(shape=(3,)), x, pt.dvector(shape=(4,)))
    g = pytensor.grad(pt.mul(x, y, z).sum(), [x, y, z])
    a = [np.array([1.0, 2.0]), np.array([3.0, 5.0]), np.array([7.0, 11.0])]
    got = function([x, y, z], g)(*a)
    assert [v.tolist() for v in got] == [(a[1] * a[2]).tolist(), (a[0] * a[2]).tolist(), (a[0] * a[1]).tolist()]


# -- OP-ROWCOL-1 ------------------------------------------------------------------------------
#: PyTensor 3.3.7's row and col constructors (dir(pytensor.tensor)), with their dtypes.
ROW_COL = {"row": None, "col": None, "brow": "int8", "bcol": "int8", "wrow": "int16", "wcol": "int16",
           "irow": "int32", "icol": "int32", "lrow": "int64", "lcol": "int64", "frow": "float32",
           "fcol": "float32", "drow": "float64", "dcol": "float64", "crow": "complex64",
           "ccol": "complex64", "zrow": "complex128", "zcol": "complex128"}


@pytest.mark.rule("OP-ROWCOL-1")
def test_op_rowcol_1__constructors_dtypes_and_static_shapes():
    assert {n for n in dir(pt) if n.endswith(("row", "col"))} == set(ROW_COL)
    for name, dtype in ROW_COL.items():
        variable = getattr(pt, name)("v")
        shape = (1, None) if name.endswith("row") else (None, 1)
        assert variable.type == pt.TensorType(dtype or "float64", shape) and variable.name == "v"
    with pytensor.config.change_flags(floatX="float32"):
        assert pt.row().dtype == pt.col().dtype == "float32"
    assert pt.row("r", dtype="int32").type == pt.TensorType("int32", (1, None))
    assert pt.col(shape=(4, 1)).type.shape == (4, 1)
    assert pt.drow(shape=(1, 3)).type.shape == (1, 3) and pt.dcol(shape=(4, 1)).type.shape == (4, 1)


@pytest.mark.rule("OP-ROWCOL-1")
def test_op_rowcol_1__errors():
    error = raises_rule(SpecValueError, "OP-ROWCOL-1", pt.row, shape=(2, None))
    assert "row" in str(error) and "(2, None)" in str(error)
    raises_rule(SpecValueError, "OP-ROWCOL-1", pt.col, shape=(None, 2))
    raises_rule(SpecValueError, "OP-ROWCOL-1", pt.row, shape=(1,))
    raises_rule(SpecTypeError, "OP-ROWCOL-1", pt.row, shape=None)
    raises_rule(SpecValueError, "OP-ROWCOL-1", pt.drow, shape=(None, 3))
    raises_rule(SpecValueError, "OP-ROWCOL-1", pt.dcol, shape=(1, 2))
    raises_rule(SpecValueError, "OP-ROWCOL-1", pt.fcol, shape=(None, 1, 1))
    with pytest.raises(TypeError):
        pt.row("r", "int32")  # dtype is keyword-only, as in PyTensor


@pytest.mark.rule("OP-ROWCOL-1")
@pytest.mark.rule("OP-ELEMWISE-1")
def test_op_rowcol_1__rows_and_cols_broadcast():
    r, c = pt.drow("r"), pt.dcol("c")
    out = r + c
    assert out.type.shape == (None, None)
    a, b = np.array([[1.0, 2.0, 3.0]]), np.array([[10.0], [20.0]])
    assert_same(out, function([r, c], out)(a, b), a + b)


# -- OP-ALLOC-1 (static shapes) and OP-BROADCASTTO-1 -----------------------------------------
@pytest.mark.rule("OP-ALLOC-1")
def test_op_alloc_1__static_shape_combines_value_and_target():
    """As PyTensor 3.3.7's Alloc.make_node (outputs recorded from it)."""
    x3, x1, n = pt.dvector("x3", shape=(3,)), pt.dvector("x1", shape=(1,)), pt.lscalar("n")
    assert pt.alloc(x3, n).type.shape == (3,)
    assert pt.alloc(x3, n, n).type.shape == (None, 3)
    assert pt.alloc(x1, n).type.shape == (None,)
    assert pt.alloc(x1, 2, 5).type.shape == (2, 5)
    assert pt.alloc(pt.fvector(), 2, 1).type.shape == (2, 1)
    error = raises_rule(SpecValueError, "OP-ALLOC-1", pt.alloc, x3, 2, 4)
    assert "3" in str(error) and "4" in str(error)
    raises_rule(SpecValueError, "OP-ALLOC-1", pt.alloc, x3, -1, 3)


@pytest.mark.rule("OP-BROADCASTTO-1")
@given(data=st.data())
def test_op_broadcastto_1__numpy_broadcast_to(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=1, max_dims=3, max_side=3))
    target = shapes.result_shape
    (value_shape,) = shapes.input_shapes
    value = data.draw(hnp.arrays(data.draw(st.sampled_from(REAL)), value_shape))
    value_known = data.draw(st.lists(st.booleans(), min_size=value.ndim, max_size=value.ndim))
    target_known = data.draw(st.lists(st.booleans(), min_size=len(target), max_size=len(target)))
    n = [pt.lscalar(f"n{i}") for i in range(len(target))]
    x = pt.tensor(dtype=value.dtype.name, shape=static_of(value.shape, value_known), name="x")
    out = pt.broadcast_to(x, [t if k else v for t, k, v in zip(target, target_known, n, strict=True)])
    got = function([x, *n], out, on_unused_input="ignore")(value, *target)
    assert_same(out, got, np.broadcast_to(value, target))
    assert got.flags.writeable and not np.shares_memory(got, value)
    padded = (None,) * (len(target) - value.ndim) + x.type.shape
    assert out.type.shape == tuple(
        t if k else (None if s == 1 else s) for t, k, s in zip(target, target_known, padded, strict=True)
    )


@pytest.mark.rule("OP-BROADCASTTO-1")
def test_op_broadcastto_1__shape_forms_and_errors():
    """Static shapes and error classes as PyTensor 3.3.7's (run on the same calls)."""
    fv, x3, n = pt.fvector("fv"), pt.dvector("x3", shape=(3,)), pt.lscalar("n")
    assert pt.broadcast_to(fv, (2, 3)).type == pt.TensorType("float32", (2, 3))
    assert pt.broadcast_to(pt.fscalar(), (2, 3)).type.shape == (2, 3)
    assert pt.broadcast_to(2, (2, 3)).dtype == "int8"
    assert pt.broadcast_to(x3, [n, 3]).type.shape == (None, 3)
    assert pt.broadcast_to(x3, (n,)).type.shape == (3,)
    assert pt.broadcast_to(x3, np.array([2, 3])).type.shape == (2, 3)
    assert pt.broadcast_to(x3, (0, 3)).type.shape == (0, 3)
    v2 = pt.lvector("v2", shape=(2,))
    out = pt.broadcast_to(x3, v2)
    assert out.type.shape == (None, 3)
    assert function([x3, v2], out)(np.arange(3.0), np.array([2, 3])).tolist() == [[0.0, 1.0, 2.0]] * 2
    raises_rule(SpecTypeError, "OP-BROADCASTTO-1", pt.broadcast_to, x3, 5)
    raises_rule(SpecTypeError, "OP-BROADCASTTO-1", pt.broadcast_to, x3, n)
    raises_rule(SpecValueError, "OP-BROADCASTTO-1", pt.broadcast_to, x3, pt.lvector())
    raises_rule(SpecTypeError, "OP-BROADCASTTO-1", pt.broadcast_to, x3, ())
    raises_rule(SpecTypeError, "OP-BROADCASTTO-1", pt.broadcast_to, pt.dmatrix(), (5,))
    raises_rule(SpecTypeError, "OP-ALLOC-1", pt.broadcast_to, x3, (2.0, 3))
    raises_rule(SpecValueError, "OP-ALLOC-1", pt.broadcast_to, x3, (2, 4))
    f = function([fv], pt.broadcast_to(fv, (2, 3)))
    error = raises_rule(SpecValueError, "OP-ALLOC-1", f, np.ones(1, "float32"))
    assert "runtime broadcasting" in str(error)
    raises_rule(SpecValueError, "OP-ALLOC-1", f, np.ones(4, "float32"))


# -- in scan steps, on both paths -------------------------------------------------------------
@pytest.mark.rule("OP-REDUCE-7")
@pytest.mark.rule("OP-REDUCE-8")
@pytest.mark.rule("OP-ADD-2")
@pytest.mark.rule("OP-BROADCASTTO-1")
def test_op_reduce_7__in_a_scan_step():
    """The new functions are compositions of existing ops: a scan step using them runs
    on the Python path and (where built) the C kernel with the same bits, and each step
    equals numpy's."""
    xs, h0 = pt.dmatrix("xs"), pt.dvector("h0", shape=(3,))

    def step(r, h):
        return [pt.add(h, r, pt.var(r), pt.std(r, ddof=1, corrected=True)),
                pt.mul(r, r, 2.0).sum() + pt.broadcast_to(pt.var(r, keepdims=True), (2, 3)).sum()]

    ys = pytensor.scan(step, sequences=[xs], outputs_info=[h0, None], return_updates=False)
    a = np.random.default_rng(7).standard_normal((20, 3))
    expected = pytensor.function([xs, h0], ys, mode="python")(a, np.zeros(3))
    h = np.zeros(3)
    for t, row in enumerate(a):
        n, c = 3, row - np.add.reduce(row) / 3.0
        corrected = np.sqrt(np.add.reduce(c * c) / 2.0 - np.add.reduce(c) ** 2 / 6.0)
        h = h + row + np.var(row) + corrected
        assert same_bits(expected[0][t], h)
        assert same_bits(expected[1][t], np.add.reduce(row * row * 2.0) + np.add.reduce(
            np.broadcast_to(np.var(row, keepdims=True), (2, n)), axis=(0, 1)))
    if HAVE_CLOOP:
        got = pytensor.function([xs, h0], ys, mode="check")(a, np.zeros(3))
        assert all(same_bits(p, q) for p, q in zip(got, expected, strict=True))
