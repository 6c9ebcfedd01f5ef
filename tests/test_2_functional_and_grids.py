"""Chapter 2, "Vectorising, grids, reshaping and signals" (OP-VECTORIZE-1 ... OP-CONV1D-2).

Values against numpy (or against the core graph looped in Python, for vectorised graphs),
dtypes, static shapes, errors by class and rule id, gradients (``verify_grad``), and, when
PyTensor is installed, the same calls made with PyTensor 3.3.7.
"""

import numpy as np
import pytest
from op_checks import raises_rule, same

import reference as pytensor
import reference.tensor as pt
from reference.errors import (
    SpecAxisError,
    SpecNotImplementedError,
    SpecTypeError,
    SpecValueError,
)
from reference.testing import verify_grad

R = np.random.default_rng(0)


def real_pytensor():
    """PyTensor itself, or skip."""
    real = pytest.importorskip("pytensor")
    if real.__name__ == "reference" or not hasattr(real, "__version__"):
        pytest.skip("PyTensor is not installed")
    return real


def loop(core_fn, arrays, core_ndims):
    """``core_fn`` (numpy arrays -> list of arrays) looped over the broadcast batch axes."""
    batch = np.broadcast_shapes(*[a.shape[:a.ndim - c] for a, c in zip(arrays, core_ndims, strict=True)])
    results = None
    for index in np.ndindex(*batch):
        parts = []
        for a, c in zip(arrays, core_ndims, strict=True):
            b = a.shape[:a.ndim - c]
            padded = (1,) * (len(batch) - len(b)) + b
            own = len(batch) - len(b)
            parts.append(a[tuple(0 if n == 1 else i for i, n in zip(index[own:], padded[own:], strict=True))])
        values = core_fn(*parts)
        if results is None:
            results = [np.empty(batch + np.shape(v), dtype=np.asarray(v).dtype) for v in values]
        for r, v in zip(results, values, strict=True):
            r[index] = v
    return results


def softmax(x):
    return pt.exp(x) / pt.sum(pt.exp(x))


# -- OP-VECTORIZE-1: vectorize_graph ------------------------------------------------------------
@pytest.mark.rule("OP-VECTORIZE-1")
def test_op_vectorize_1__equals_looping_the_core_graph():
    x, w = pt.vector("x"), pt.vector("w")
    core = [softmax(x) * w, pt.sum(x * w), x[0] + x[-1]]
    big_x = pt.tensor("X", dtype="float64", shape=(None, 1, None))
    big_w = pt.matrix("W", shape=(4, None))
    outs = pytensor.graph.replace.vectorize_graph(core, {x: big_x, w: big_w})
    assert [o.type.shape for o in outs] == [(None, 4, None), (None, 4), (None, 1)]
    xv, wv = R.normal(size=(2, 1, 3)), R.normal(size=(4, 3))
    got = pytensor.function([big_x, big_w], outs)(xv, wv)
    core_fn = pytensor.function([x, w], core)
    expected = loop(lambda a, b: core_fn(a, b), [xv, wv], [1, 1])
    expected[2] = loop(lambda a: core_fn(a, np.zeros(3))[2:], [xv], [1])[0]  # reads x only
    for g, e in zip(got, expected, strict=True):
        same(g, e)


@pytest.mark.rule("OP-VECTORIZE-1")
def test_op_vectorize_1__each_output_is_batched_by_what_it_reads():
    x, y, c = pt.scalar("x"), pt.scalar("y"), pt.scalar("c")
    bx, by = pt.vector("bx"), pt.matrix("by")
    out_x, out_y, out_c, same_x = pt.functional.vectorize_graph([x + c, y * 2, c + 1, x], {x: bx, y: by})
    assert out_x.type.ndim == 1 and out_y.type.ndim == 2
    assert same_x is bx  # a replaced variable is its replacement
    assert out_c.owner.inputs[0] is c  # nothing replaced is read: the graph itself
    f = pytensor.function([bx, by, c], [out_x, out_y])
    a, b = np.arange(3.0), np.arange(6.0).reshape(2, 3)
    same(f(a, b, 1.0)[0], a + 1.0)
    same(f(a, b, 1.0)[1], b * 2)
    single = pt.functional.vectorize_graph(x * 2, {x: bx})
    assert isinstance(single, pt.TensorVariable)


@pytest.mark.rule("OP-VECTORIZE-1")
def test_op_vectorize_1__batch_shapes_broadcast_statically_and_at_run_time():
    x, y = pt.vector("x"), pt.vector("y")
    z = pt.dot(x, y)
    out = pt.functional.vectorize_graph(z, {x: pt.tensor(shape=(3, 1, None)), y: pt.tensor(shape=(5, None))})
    assert out.type.shape == (3, 5)
    raises_rule(SpecValueError, "OP-VECTORIZE-1", pt.functional.vectorize_graph, z,
                {x: pt.tensor(shape=(3, None)), y: pt.tensor(shape=(4, None))})
    bx, by = pt.matrix("bx"), pt.matrix("by")
    f = pytensor.function([bx, by], pt.functional.vectorize_graph(z, {x: bx, y: by}))
    same(f(np.ones((2, 3)), np.ones((2, 3))), np.array([3.0, 3.0]))
    with pytest.raises(SpecValueError, match="runtime broadcasting") as info:
        f(np.ones((1, 3)), np.ones((2, 3)))  # length 1 not marked broadcastable
    assert info.value.rule == "OP-VECTORIZE-1"
    with pytest.raises(SpecValueError, match="cannot be broadcast"):
        f(np.ones((2, 3)), np.ones((3, 3)))


@pytest.mark.rule("OP-VECTORIZE-1")
def test_op_vectorize_1__empty_batch_and_shape_rules():
    x = pt.vector("x")
    bx = pt.matrix("bx")
    out = pt.functional.vectorize_graph(pt.concatenate([x, x]), {x: bx})
    value = out.eval({bx: np.zeros((0, 3))})
    assert value.shape == (0, 6) and value.dtype == np.float64
    shape = pt.functional.vectorize_graph(x.shape, {x: bx})  # Shape: the core shape at every position
    same(shape.eval({bx: np.zeros((2, 3))}), np.array([[3], [3]]))


@pytest.mark.rule("OP-VECTORIZE-1")
def test_op_vectorize_1__errors():
    x = pt.vector("x")
    raises_rule(SpecValueError, "OP-VECTORIZE-1", pt.functional.vectorize_graph, x + 1, {x: pt.scalar()})
    raises_rule(SpecValueError, "OP-VECTORIZE-1", pt.functional.vectorize_graph, x + 1, {x: np.ones((2, 3))})
    srng = pt.random.RandomStream(0)
    noisy = x + srng.normal(x, 1.0)
    raises_rule(SpecNotImplementedError, "OP-VECTORIZE-1", pt.functional.vectorize_graph, noisy, {x: pt.matrix()})


# -- OP-VECTORIZE-2: vectorize --------------------------------------------------------------------
@pytest.mark.rule("OP-VECTORIZE-2")
def test_op_vectorize_2__signature_gives_the_core_axes():
    x = pt.matrix("x")
    y = pt.vectorize(softmax, signature="(a)->(a)")(x)
    a = np.array([[0.0, 1, 2], [2, 1, 0]])
    same(y.eval({x: a}), np.exp(a) / np.exp(a).sum(axis=1, keepdims=True))
    first, last = pt.vectorize(lambda v: (v[0], v[-1]), signature="(a)->(),()")(x)
    same(first.eval({x: a}), a[:, 0])
    same(last.eval({x: a}), a[:, -1])
    m, v = pt.tensor(shape=(2, None, 3, 4)), pt.tensor(shape=(5, 4))
    mv = pt.vectorize(pt.dot, signature="(m, n), (n) -> (m)")(m, v)
    assert mv.type.shape == (2, 5, 3)
    mval, vval = R.normal(size=(2, 5, 3, 4)), R.normal(size=(5, 4))
    np.testing.assert_allclose(mv.eval({m: mval, v: vval}), np.einsum("abmn,bn->abm", mval, vval), rtol=1e-12)


@pytest.mark.rule("OP-VECTORIZE-2")
def test_op_vectorize_2__without_signature_inputs_are_scalars():
    x = pt.vector("x")
    pair = pt.vectorize(lambda s: pt.stack([s, s * 2]))(x)  # the outputs may have core axes
    assert pair.type.shape == (None, 2)
    same(pair.eval({x: np.array([1.0, 2.0])}), np.array([[1.0, 2.0], [2.0, 4.0]]))
    i = pt.ivector("i")
    clipped = pt.vectorize(lambda s: pt.switch(s > 2, s, 0))(i)
    assert clipped.dtype == "int32"
    same(clipped.eval({i: np.array([1, 3], dtype="int32")}), np.array([0, 3], dtype="int32"))


@pytest.mark.rule("OP-VECTORIZE-2")
def test_op_vectorize_2__errors():
    x = pt.matrix("x")
    raises_rule(SpecValueError, "OP-VECTORIZE-2", pt.vectorize, softmax, "(a)->")
    raises_rule(SpecValueError, "OP-VECTORIZE-2", pt.vectorize, softmax, "(a)(b)->(a)")
    raises_rule(SpecValueError, "OP-VECTORIZE-2", pt.vectorize(softmax, "(a)->(a)"), x, x)
    raises_rule(SpecValueError, "OP-VECTORIZE-2", pt.vectorize(softmax, "(a,b,c)->(a)"), x)
    raises_rule(SpecValueError, "OP-VECTORIZE-2", pt.vectorize(softmax, "(a)->(a),()"), x)
    raises_rule(SpecValueError, "OP-VECTORIZE-2", pt.vectorize(lambda v: None), x)
    raises_rule(SpecTypeError, "OP-VECTORIZE-2", pt.vectorize(softmax, "(a)->(a)"), np.ones((2, 3)))


# -- OP-VECTORIZE-3: gradients --------------------------------------------------------------------
@pytest.mark.rule("OP-VECTORIZE-3")
def test_op_vectorize_3__gradient_is_the_looped_core_gradient():
    verify_grad(pt.vectorize(softmax, "(a)->(a)"), [R.normal(size=(2, 3))], rng=R)
    verify_grad(lambda m, v: pt.vectorize(pt.dot, "(m,n),(n)->(m)")(m, v),
                [R.normal(size=(2, 3, 4)), R.normal(size=(1, 4))], rng=R)  # v broadcast: summed
    w = pt.vector("w")
    verify_grad(lambda b, w_: pytensor.graph.replace.vectorize_graph(softmax(w) * w, {w: b}) * w_.sum(),
                [R.normal(size=(3, 4)), R.normal(size=(2,))], rng=R)
    x, c = pt.vector("x"), pt.vector("c")
    bx = pt.matrix("bx")
    out = pt.functional.vectorize_graph(pt.sum(pt.sin(x) * c), {x: bx})
    gx, gc = pytensor.grad(out.sum(), [bx, c])
    xv, cv = R.normal(size=(3, 4)), R.normal(size=4)
    f = pytensor.function([bx, c], [gx, gc])
    np.testing.assert_allclose(f(xv, cv)[0], np.cos(xv) * cv, rtol=1e-12)
    np.testing.assert_allclose(f(xv, cv)[1], np.sin(xv).sum(axis=0), rtol=1e-12)  # c is read by every row


@pytest.mark.rule("OP-VECTORIZE-3")
def test_op_vectorize_3__integer_inputs_get_no_gradient():
    out = pt.vectorize(lambda v, k: v[k] * 2.0, "(n),()->()")(pt.matrix("bx"), pt.ivector("bi"))
    bx = out.owner.inputs[0]
    g = pytensor.grad(out.sum(), bx)
    value = g.eval({bx: np.ones((2, 3)), out.owner.inputs[1]: np.array([0, 2], dtype="int32")})
    same(value, np.array([[2.0, 0, 0], [0, 0, 2.0]]))


# -- OP-GRID-1: mgrid, ogrid ------------------------------------------------------------------------
@pytest.mark.rule("OP-GRID-1")
@pytest.mark.parametrize("key", [
    (slice(0, 3), slice(0, 4)),
    (slice(1, 7, 2), slice(-2, 2)),
    (slice(None, 3), slice(0, 2), slice(4, 0, -2)),
    (slice(0.5, 2, 0.5), slice(0, 3)),
])
def test_op_grid_1__mgrid_and_ogrid_are_numpys(key):
    for ours, theirs in ((pt.mgrid, np.mgrid), (pt.ogrid, np.ogrid)):
        grids = ours[key]
        expected = theirs[key]
        assert len(grids) == len(expected)
        for g, e in zip(grids, expected, strict=True):
            assert g.type.shape == e.shape
            np.testing.assert_array_equal(g.eval(), e)
    dense = pt.mgrid[key]
    assert all(g.dtype == dense[0].dtype for g in dense)


@pytest.mark.rule("OP-GRID-1")
def test_op_grid_1__one_slice_symbolic_bounds_and_errors():
    same(pt.mgrid[0:3].eval(), np.arange(3))
    same(pt.ogrid[2:8:3].eval(), np.arange(2, 8, 3))
    n = pt.iscalar("n")
    a, b = pt.mgrid[0:n, 0:2]
    assert a.type.shape == (None, 2)
    same(a.eval({n: 3}), np.mgrid[0:3, 0:2][0])
    raises_rule(SpecTypeError, "OP-GRID-1", lambda: pt.mgrid[0:3, 2])
    raises_rule(SpecNotImplementedError, "OP-GRID-1", lambda: pt.mgrid[0:1:5j, 0:3])


# -- OP-BARTLETT-1 ---------------------------------------------------------------------------------
@pytest.mark.rule("OP-BARTLETT-1")
def test_op_bartlett_1__is_numpys_window():
    m = pt.lscalar("m")
    w = pt.bartlett(m)
    assert w.type.shape == (None,) and w.dtype == "float64"
    f = pytensor.function([m], w)
    for value in (-2, 0, 1, 2, 5, 6):
        same(f(value), np.bartlett(value))
    same(pt.bartlett(np.int8(4)).eval(), np.bartlett(4))
    raises_rule(SpecTypeError, "OP-BARTLETT-1", pt.bartlett, 3.0)
    raises_rule(SpecTypeError, "OP-BARTLETT-1", pt.bartlett, pt.ivector())
    assert pt.bartlett(4).shape.eval().tolist() == [4]


# -- OP-INTERP1D-1 ---------------------------------------------------------------------------------
def interp1d_numpy(x, y, x_hat, method, left=None, right=None, extrapolate=True):
    order = np.argsort(x)
    x, y = x[order], y[order]
    n = len(x)
    out = []
    for t in np.ravel(x_hat):
        i = int(np.searchsorted(x, t))
        j = min(max(i, 1), n - 1)
        if method == "linear":
            v = y[j - 1] + (t - x[j - 1]) / (x[j] - x[j - 1]) * (y[j] - y[j - 1])
        elif method == "nearest":
            v = y[j - 1] if t - x[j - 1] <= x[j] - t else y[j]
        elif method == "first":
            v = y[min(max(i - 1, 0), n - 1)]
        elif method == "last":
            v = y[min(i, n - 1)]
        else:
            v = (y[j - 1] + y[j]) / 2
        if not extrapolate:
            v = (y[0] if left is None else left) if i == 0 else (y[-1] if right is None else right) if i == n else v
        out.append(v)
    return np.array(out).reshape(np.shape(x_hat))


@pytest.mark.rule("OP-INTERP1D-1")
@pytest.mark.parametrize("method", ["linear", "nearest", "first", "last", "mean"])
@pytest.mark.parametrize("extrapolate", [True, False])
def test_op_interp1d_1__each_method(method, extrapolate):
    x, y = np.array([3.0, 1.0, 2.0, 5.0]), np.array([30.0, 10.0, 25.0, -5.0])
    x_hat = pt.matrix("x_hat")
    points = np.array([[0.0, 1.0, 1.5, 2.0], [2.5, 4.9, 5.0, 7.0]])
    f = pt.interpolate1d(x, y, method=method, extrapolate=extrapolate)
    out = f(x_hat)
    assert out.type.shape == (None, None) and out.dtype == "float64"
    np.testing.assert_array_equal(out.eval({x_hat: points}), interp1d_numpy(x, y, points, method, extrapolate=extrapolate))
    padded = pt.interpolate1d(x, y, method=method, left_pad=-1.0, right_pad=99.0, extrapolate=extrapolate)
    np.testing.assert_array_equal(padded(points).eval(),
                                  interp1d_numpy(x, y, points, method, -1.0, 99.0, extrapolate=extrapolate))


@pytest.mark.rule("OP-INTERP1D-1")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # pt.interp's unused branch
def test_op_interp1d_1__interp_gradient_and_errors():
    xp, fp = np.array([1.0, 2.0, 4.0]), np.array([0.0, 1.0, -1.0])
    same(pt.interp(np.array([0.5, 1.5, 3.0, 5.0]), xp, fp).eval(), np.interp([0.5, 1.5, 3.0, 5.0], xp, fp))
    verify_grad(lambda y, t: pt.interpolate1d(xp, y)(t), [fp, np.array([1.5, 3.0, 4.5])], rng=R)
    raises_rule(SpecNotImplementedError, "OP-INTERP1D-1", pt.interpolate1d, xp, fp, method="cubic")
    raises_rule(SpecValueError, "OP-INTERP1D-1", pt.interpolate1d(np.ones((2, 2)), np.ones((2, 2))), pt.vector())


# -- OP-JOINDIMS-1, OP-SPLITDIMS-1 ---------------------------------------------------------------
@pytest.mark.rule("OP-JOINDIMS-1")
def test_op_joindims_1__merges_consecutive_axes():
    x = pt.tensor("x", shape=(2, 3, 4, 5))
    a = R.normal(size=(2, 3, 4, 5))
    cases = [((), (120,)), ((1,), (2, 60)), ((1, 2), (2, 12, 5)), ((-1,), (2, 3, 4, 5)), ((2, 0), (2, 3, 1, 4, 5)),
             ((4,), (2, 3, 4, 5, 1))]
    for args, expected in cases:
        out = pt.join_dims(x, *args)
        assert out.type.shape == expected
        same(out.eval({x: a}), a.reshape(expected))
    y = pt.tensor("y", shape=(None, 3, None))
    assert pt.join_dims(y, 1).type.shape == (None, None)
    assert pt.join_dims(pt.scalar(), 0, 0).type.shape == (1,)
    raises_rule(SpecAxisError, "OP-JOINDIMS-1", pt.join_dims, x, 5)
    raises_rule(SpecValueError, "OP-JOINDIMS-1", pt.join_dims, x, 2, 3)
    raises_rule(SpecValueError, "OP-JOINDIMS-1", pt.join_dims, x, 0, -1)
    verify_grad(lambda v: pt.join_dims(v, 1) ** 2, [R.normal(size=(2, 3, 2))], rng=R)


@pytest.mark.rule("OP-SPLITDIMS-1")
def test_op_splitdims_1__splits_one_axis():
    x = pt.tensor("x", shape=(6, 4, 6))
    a = R.normal(size=(6, 4, 6))
    n = pt.lscalar("n")
    cases = [((2, 3), 0, (2, 3, 4, 6)), ((2, 3), -1, (6, 4, 2, 3)), (4, 1, (6, 4, 6)),
             (np.array([2, 2]), 1, (6, 2, 2, 6)), ([pt.constant(np.int64(3)), 2], 2, (6, 4, 3, 2))]
    for shape, axis, expected in cases:
        out = pt.split_dims(x, shape, axis)
        assert out.type.shape == expected
        same(out.eval({x: a}), a.reshape(expected))
    out = pt.split_dims(x, (n, 3), 0)
    assert out.type.shape == (None, 3, 4, 6)
    same(out.eval({x: a, n: 2}), a.reshape(2, 3, 4, 6))
    one = pt.tensor("one", shape=(1, 3))
    squeezed = pt.split_dims(one, (), 0)  # no lengths: the length-1 axis goes
    assert squeezed.type.shape == (3,)
    same(squeezed.eval({one: np.ones((1, 3))}), np.ones(3))
    raises_rule(SpecTypeError, "OP-SPLITDIMS-1", pt.split_dims, x, (2.0, 3), 0)
    raises_rule(SpecAxisError, "OP-SPLITDIMS-1", pt.split_dims, x, (2, 3), 3)
    with pytest.raises(ValueError):  # the product is not the axis's length: reshape's error at run time
        pt.split_dims(x, (n, 4), 0).eval({x: a, n: 2})
    verify_grad(lambda v: pt.split_dims(v, (2, 2), 1) ** 2, [R.normal(size=(3, 4))], rng=R)


# -- OP-PACK-1, OP-UNPACK-1 ----------------------------------------------------------------------
@pytest.mark.rule("OP-PACK-1")
@pytest.mark.rule("OP-UNPACK-1")
@pytest.mark.parametrize("keep_axes, shapes, packed_shape", [
    (None, [(2, 3), (4, 5, 6)], (126,)),
    (0, [(2, 3), (2, 5, 6)], (2, 33)),
    ((-2, -1), [(4, 2, 3), (5, 2, 3)], (9, 2, 3)),
    ((0, -1), [(2, 4, 3), (2, 5, 3)], (2, 9, 3)),
    ((0,), [(2,), (2, 3)], (2, 4)),
])
def test_op_pack_1__packs_and_unpack_restores(keep_axes, shapes, packed_shape):
    variables = [pt.tensor(shape=s) for s in shapes]
    arrays = [R.normal(size=s) for s in shapes]
    packed, packed_shapes = pt.pack(*variables, keep_axes=keep_axes)
    assert packed.type.shape == packed_shape
    assert all(ps.dtype == "int64" for ps in packed_shapes)
    values = dict(zip(variables, arrays, strict=True))
    axis = 0 if keep_axes in (None, (-2, -1)) else 1
    n_before = {None: 0, 0: 1, (-2, -1): 0, (0, -1): 1, (0,): 1}[keep_axes]
    n_after = {None: 0, 0: 0, (-2, -1): 2, (0, -1): 1, (0,): 0}[keep_axes]
    expected = np.concatenate([a.reshape(a.shape[:n_before] + (-1,) + a.shape[a.ndim - n_after:]) for a in arrays],
                              axis=axis)
    same(packed.eval(values), expected)
    for ps, a in zip(packed_shapes, arrays, strict=True):
        same(ps.eval(values), np.array(a.shape[n_before:a.ndim - n_after], dtype="int64"))
    unpacked = pt.unpack(packed, packed_shapes, keep_axes=keep_axes)
    for u, v, a in zip(unpacked, variables, arrays, strict=True):
        assert u.type.shape == v.type.shape
        same(u.eval(values), a)


@pytest.mark.rule("OP-PACK-1")
def test_op_pack_1__keep_axes_rules_and_gradient():
    x = pt.tensor(shape=(2, 3, 4))
    for bad in ([], (1,), (0, 2), (-1, 0), (-2,), (0, 0)):
        with pytest.raises(SpecValueError):
            pt.pack(x, keep_axes=bad)
    raises_rule(SpecTypeError, "OP-PACK-1", pt.pack, x, keep_axes="0")
    raises_rule(SpecValueError, "OP-PACK-1", pt.pack, pt.vector(), keep_axes=(0, -1))
    verify_grad(lambda a, b: pt.pack(a, b, keep_axes=0)[0] ** 2, [R.normal(size=(2, 2)), R.normal(size=(2, 1, 3))], rng=R)


@pytest.mark.rule("OP-UNPACK-1")
def test_op_unpack_1__errors_and_symbolic_shapes():
    raises_rule(SpecValueError, "OP-UNPACK-1", pt.unpack, pt.matrix(), [(2,)])
    raises_rule(SpecValueError, "OP-UNPACK-1", pt.unpack, pt.tensor3(), [(2,)], keep_axes=0)
    raises_rule(SpecAxisError, "OP-UNPACK-1", pt.unpack, pt.matrix(), [(2,)], keep_axes=2)
    v, n = pt.vector("v"), pt.lscalar("n")
    a, b = pt.unpack(v, [(n, 2), (3,)])
    values = {v: np.arange(9.0), n: 3}
    same(a.eval(values), np.arange(6.0).reshape(3, 2))
    same(b.eval(values), np.arange(6.0, 9.0))
    (only,) = pt.unpack(v, [(3, 2)])
    assert only.type.shape == (3, 2)
    verify_grad(lambda p: pt.unpack(p, [(2, 2), (1,)])[0] * 3, [R.normal(size=5)], rng=R)


# -- OP-COMPLEXFN-1 -----------------------------------------------------------------------------
@pytest.mark.rule("OP-COMPLEXFN-1")
def test_op_complexfn_1__dtype_value_and_gradient():
    table = {("float32", "float32"): "complex64", ("int32", "int8"): "complex128", ("int8", "int8"): "complex64",
             ("float64", "float32"): "complex128", ("int16", "uint8"): "complex64", ("uint32", "int8"): "complex128"}
    for (a, b), expected in table.items():
        assert pt.complex(pt.vector(dtype=a), pt.vector(dtype=b)).dtype == expected
    re, im = R.normal(size=(2, 3)), R.normal(size=3)
    same(pt.complex(re, im).eval(), (re + 1j * im).astype("complex128"))
    same(pt.complex(np.float32(1.5), np.float32(-2)).eval(), np.complex64(1.5 - 2j))
    raises_rule(SpecTypeError, "OP-COMPLEXFN-1", pt.complex, np.array([1j]), np.array([1.0]))
    x, y = pt.vector("x"), pt.fvector("y")
    z = pt.complex(x, y)
    gz = np.array([1 + 2j, -3 + 0.5j])
    gx, gy = pytensor.pullback(z, [x, y], pt.constant(gz))
    assert gy.dtype == "float32"
    same(gx.eval({x: np.zeros(2)}), gz.real)
    same(gy.eval({y: np.zeros(2, dtype="float32")}), gz.imag.astype("float32"))
    with pytest.warns(FutureWarning):
        polar = pt.complex_from_polar(np.array([2.0]), np.array([0.5]))
    np.testing.assert_allclose(polar.eval(), 2 * np.exp(0.5j), rtol=1e-15)


# -- OP-HELPERS-2 -------------------------------------------------------------------------------
@pytest.mark.rule("OP-HELPERS-2")
def test_op_helpers_2__small_helpers():
    a = np.array([[0, 3, 0], [-1, 0, 2]], dtype="int16")
    out = pt.nonzero_values(a)
    assert out.dtype == "int16" and out.type.ndim == 1
    same(out.eval(), a[a != 0])
    with pytest.warns(FutureWarning):
        d = pt.extract_diag(np.arange(9.0).reshape(3, 3))
    same(d.eval(), np.array([0.0, 4.0, 8.0]))
    assert pt.slice_at_axis(slice(None, 1), 1) == (slice(None), slice(None, 1), Ellipsis)
    assert pt.slice_at_axis(slice(2), 0) == (slice(2), Ellipsis)
    assert pt.is_flat(pt.vector()) and pt.is_flat(pt.matrix(), 2) and not pt.is_flat(pt.matrix())


@pytest.mark.rule("OP-HELPERS-2")
def test_op_helpers_2__concat_with_broadcast():
    x, y = pt.tensor("x", shape=(1, 3)), pt.tensor("y", shape=(2, None))
    out = pt.concat_with_broadcast([x, y], axis=0)
    assert out.type.shape == (3, 3)
    xv, yv = R.normal(size=(1, 3)), R.normal(size=(2, 3))
    same(out.eval({x: xv, y: yv}), np.concatenate([xv, yv]))
    u, v = pt.tensor("u", shape=(2, 1)), pt.tensor("v", shape=(1, 4))
    uv, vv = R.normal(size=(2, 1)), R.normal(size=(1, 4))
    got = pt.concat_with_broadcast([u, v], axis=-1).eval({u: uv, v: vv})
    same(got, np.concatenate([uv, np.broadcast_to(vv, (2, 4))], axis=1))
    raises_rule(SpecValueError, "OP-HELPERS-2", pt.concat_with_broadcast, [])
    raises_rule(SpecTypeError, "OP-HELPERS-2", pt.concat_with_broadcast, [x, pt.vector()])
    raises_rule(SpecAxisError, "OP-HELPERS-2", pt.concat_with_broadcast, [x, y], axis=2)
    verify_grad(lambda p, q: pt.concat_with_broadcast([p, q], axis=0) ** 2, [xv, yv], rng=R)


# -- OP-CONV1D-1, OP-CONV1D-2 -------------------------------------------------------------------
def convolve_numpy(p, q, mode):
    """numpy's convolve; "same" is the length of ``p`` centred in the full result (scipy's),
    computed as OP-CONV1D-1 step 2 does: "valid" of ``p`` padded with zeros."""
    if mode != "same":
        return np.convolve(p, q, mode)
    k = len(q)
    return np.convolve(np.pad(p, (k // 2, (k - 1) // 2)), q, "valid")


@pytest.mark.rule("OP-CONV1D-1")
@pytest.mark.parametrize("mode", ["full", "valid", "same"])
def test_op_conv1d_1__is_numpys_convolve_over_batch_axes(mode):
    a, b = pt.tensor("a", shape=(2, 1, None)), pt.tensor("b", shape=(3, None))
    out = pt.signal.convolve1d(a, b, mode=mode)
    assert out.type.shape == (2, 3, None) and out.dtype == "float64"
    for n, k in ((6, 3), (3, 5), (4, 4)):
        av, bv = R.normal(size=(2, 1, n)), R.normal(size=(3, k))
        expected = loop(lambda p, q: [convolve_numpy(p, q, mode)], [av, bv], [1, 1])[0]
        same(out.eval({a: av, b: bv}), expected)
    ints = pt.signal.convolve1d(np.array([1, 2, 3], dtype="int8"), np.array([1, -1], dtype="int16"), mode)
    assert ints.dtype == "int16"
    same(ints.eval(), convolve_numpy(np.array([1, 2, 3]), np.array([1, -1]), mode).astype("int16"))


@pytest.mark.rule("OP-CONV1D-1")
def test_op_conv1d_1__errors():
    raises_rule(SpecValueError, "OP-CONV1D-1", pt.signal.convolve1d, pt.vector(), pt.vector(), mode="circular")
    raises_rule(SpecValueError, "OP-CONV1D-1", pt.signal.convolve1d, pt.scalar(), pt.vector())
    raises_rule(SpecTypeError, "OP-CONV1D-1", pt.signal.Convolve1d(), pt.vector(), pt.vector(), np.int8(1))


@pytest.mark.rule("OP-CONV1D-2")
@pytest.mark.parametrize("mode", ["full", "valid", "same"])
@pytest.mark.parametrize("n, k", [(5, 3), (3, 5), (4, 4)])
def test_op_conv1d_2__gradient(mode, n, k):
    verify_grad(lambda p, q: pt.signal.convolve1d(p, q, mode), [R.normal(size=(2, n)), R.normal(size=k)], rng=R)


# -- against PyTensor 3.3.7 (skipped without it) ------------------------------------------------
@pytest.mark.rule("OP-VECTORIZE-1")
@pytest.mark.rule("OP-VECTORIZE-3")
def test_op_vectorize_1__against_pytensor():
    real = real_pytensor()
    import pytensor.tensor as rpt
    from pytensor.graph.replace import vectorize_graph as real_vectorize_graph

    cases = [  # (function of a module, core shapes, batched shapes, signature)
        (lambda m, v: m.exp(v) / m.sum(m.exp(v)), [(None,)], [(2, None)], "(a)->(a)"),
        (lambda m, v, w: m.dot(v, w), [(None, 4), (4,)], [(3, 1, None, 4), (5, 4)], "(m,n),(n)->(m)"),
        (lambda m, v, w: (v * w)[::-1].sum(), [(3,), (3,)], [(None, 3), (1, 3)], None),
        (lambda m, v: m.concatenate([v, v[:1]]), [(None,)], [(2, 3)], None),
    ]
    for fn, core_shapes, batch_shapes, _ in cases:
        arrays = [R.normal(size=tuple(3 if n is None else n for n in s)) for s in batch_shapes]
        ours_core = [pt.tensor(shape=s) for s in core_shapes]
        theirs_core = [rpt.tensor(shape=s) for s in core_shapes]
        ours_b = [pt.tensor(shape=s) for s in batch_shapes]
        theirs_b = [rpt.tensor(shape=s) for s in batch_shapes]
        ours = pt.functional.vectorize_graph(fn(pt, *ours_core), dict(zip(ours_core, ours_b, strict=True)))
        theirs = real_vectorize_graph(fn(rpt, *theirs_core), dict(zip(theirs_core, theirs_b, strict=True)))
        assert ours.type.shape == theirs.type.shape and ours.dtype == theirs.dtype
        got = pytensor.function(ours_b, [ours, *pytensor.grad((ours ** 2).sum(), ours_b)])(*arrays)
        want = real.function(theirs_b, [theirs, *real.grad((theirs ** 2).sum(), theirs_b)])(*arrays)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-14)
    mv = rpt.vectorize(lambda s: rpt.stack([s, s * 2]))(rpt.vector())
    assert pt.vectorize(lambda s: pt.stack([s, s * 2]))(pt.vector()).type.shape == mv.type.shape


@pytest.mark.rule("OP-GRID-1")
@pytest.mark.rule("OP-BARTLETT-1")
@pytest.mark.rule("OP-HELPERS-2")
@pytest.mark.rule("OP-COMPLEXFN-1")
def test_op_grid_1__against_pytensor():
    real_pytensor()
    import pytensor.tensor as rpt

    for key in [(slice(0, 3), slice(0, 4)), (slice(1, 7, 2), slice(0.5, 2, 0.5)), (slice(-2, 2),)]:
        for ours, theirs in ((pt.mgrid[key], rpt.mgrid[key]), (pt.ogrid[key], rpt.ogrid[key])):
            for o, t in zip(ours, theirs, strict=True):
                assert o.type.shape == t.type.shape
                same(o.eval(), t.eval())
    for m in (-1, 0, 3, 6):
        same(pt.bartlett(m).eval(), rpt.bartlett(m).eval())
    assert pt.bartlett(4).type.shape == rpt.bartlett(4).type.shape
    for a, b in (("float32", "int8"), ("int64", "int8"), ("uint16", "int16"), ("float64", "float64")):
        assert pt.complex(pt.vector(dtype=a), pt.vector(dtype=b)).dtype == rpt.complex(
            rpt.vector(dtype=a), rpt.vector(dtype=b)).dtype
    x, y = rpt.tensor(shape=(1, 3)), rpt.tensor(shape=(2, None))
    ox, oy = pt.tensor(shape=(1, 3)), pt.tensor(shape=(2, None))
    assert pt.concat_with_broadcast([ox, oy]).type.shape == rpt.concat_with_broadcast([x, y]).type.shape
    a = np.array([[0, 3, 0], [-1, 0, 2]], dtype="int16")
    same(pt.nonzero_values(a).eval(), rpt.nonzero_values(a).eval())
    assert pt.slice_at_axis(slice(1, None), 2) == rpt.slice_at_axis(slice(1, None), 2)


@pytest.mark.rule("OP-PACK-1")
@pytest.mark.rule("OP-UNPACK-1")
@pytest.mark.rule("OP-JOINDIMS-1")
@pytest.mark.rule("OP-SPLITDIMS-1")
def test_op_pack_1__against_pytensor():
    real = real_pytensor()
    import pytensor.tensor as rpt

    for keep_axes, shapes in [(None, [(2, 3), (4, None, 6)]), (0, [(2, 3), (2, 5, 6)]), ((0, -1), [(2, 4, 3), (2, 5, 3)])]:
        ours_v = [pt.tensor(shape=s) for s in shapes]
        theirs_v = [rpt.tensor(shape=s) for s in shapes]
        arrays = [R.normal(size=tuple(5 if n is None else n for n in s)) for s in shapes]
        op, ops = pt.pack(*ours_v, keep_axes=keep_axes)
        tp, tps = rpt.pack(*theirs_v, keep_axes=keep_axes)
        assert op.type.shape == tp.type.shape and [s.type.shape for s in ops] == [s.type.shape for s in tps]
        ou = pt.unpack(op, ops, keep_axes=keep_axes)
        tu = rpt.unpack(tp, tps, keep_axes=keep_axes)
        assert [u.type.shape for u in ou] == [u.type.shape for u in tu]
        cost_o = (op ** 3).sum() + sum((u * (i + 2)).sum() for i, u in enumerate(ou))
        cost_t = (tp ** 3).sum() + sum((u * (i + 2)).sum() for i, u in enumerate(tu))
        got = pytensor.function(ours_v, [op, *pytensor.grad(cost_o, ours_v)])(*arrays)
        want = real.function(theirs_v, [tp, *real.grad(cost_t, theirs_v)])(*arrays)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, w, rtol=1e-12)
    x, rx = pt.tensor(shape=(2, None, 4, 5)), rpt.tensor(shape=(2, None, 4, 5))
    for args in [(), (1,), (1, 2), (2, 0), (-1,)]:
        assert pt.join_dims(x, *args).type.shape == rpt.join_dims(rx, *args).type.shape
    for shape, axis in [((2, 2), 2), (4, -2), ((1, 5, 1), 3)]:
        assert pt.split_dims(x, shape, axis).type.shape == rpt.split_dims(rx, shape, axis).type.shape


@pytest.mark.rule("OP-INTERP1D-1")
@pytest.mark.rule("OP-CONV1D-1")
@pytest.mark.rule("OP-CONV1D-2")
def test_op_conv1d_1__against_pytensor():
    real = real_pytensor()
    import pytensor.tensor as rpt

    x, y = np.array([3.0, 1.0, 2.0, 5.0]), np.array([30.0, 10.0, 25.0, -5.0])
    points = np.array([0.0, 1.0, 1.5, 2.0, 2.5, 4.9, 5.0, 7.0])
    for method in ("linear", "nearest", "first", "last", "mean"):
        for extrapolate in (True, False):
            ours = pt.interpolate1d(x, y, method, left_pad=-1.0, extrapolate=extrapolate)(points)
            theirs = rpt.interpolate1d(x, y, method, left_pad=-1.0, extrapolate=extrapolate)(rpt.as_tensor(points))
            same(ours.eval(), theirs.eval())
    for mode in ("full", "valid", "same"):
        for n, k in ((6, 3), (3, 5)):
            av, bv = R.normal(size=(2, n)), R.normal(size=(3, 1, k))
            oa, ob = pt.tensor(shape=(2, None)), pt.tensor(shape=(3, 1, None))
            ta, tb = rpt.tensor(shape=(2, None)), rpt.tensor(shape=(3, 1, None))
            oc, tc = pt.signal.convolve1d(oa, ob, mode), rpt.signal.convolve1d(ta, tb, mode)
            assert oc.type.shape == tc.type.shape and oc.dtype == tc.dtype
            got = pytensor.function([oa, ob], [oc, *pytensor.grad((oc * pt.sin(oc)).sum(), [oa, ob])])(av, bv)
            want = real.function([ta, tb], [tc, *real.grad((tc * rpt.sin(tc)).sum(), [ta, tb])])(av, bv)
            for g, w in zip(got, want, strict=True):
                np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)
