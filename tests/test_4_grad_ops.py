"""Chapter 4, "Pullbacks of ops" (GRAD-OP-*): every op family's pullback against central
finite differences (``reference.testing.verify_grad``), plus the exact values of the cases
finite differences cannot check (ties, zeros, piecewise-constant rules).

Tolerances: float64 inputs, ``verify_grad``'s defaults (step 1e-6, abs/rel 1e-4) unless a
test says otherwise.  Points are kept away from kinks and jumps (|x| >= 0.1 from them).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference as pytensor
import reference.tensor as pt
from reference.errors import DisconnectedInputError, NullTypeGradError
from reference.testing import verify_grad


def rng(seed=0):
    return np.random.default_rng(seed)


def value(g, inputs):
    return pytensor.function(list(inputs), g, on_unused_input="ignore")(*inputs.values())


def away_from(values, points, margin=0.1):
    """``values`` moved so that no entry is within ``margin`` of one of ``points``."""
    values = np.array(values, dtype="float64")
    for p in points:
        near = np.abs(values - p) < margin
        values[near] = p + np.where(values[near] >= p, margin, -margin)
    return values


floats = st.floats(-2.0, 2.0, allow_nan=False, allow_subnormal=False)


def arrays(shape, elements=floats):
    return hnp.arrays("float64", shape, elements=elements)


# -- GRAD-OP-1: elementwise rules ---------------------------------------------------------

UNARY = {
    # name: (function, domain transform of a value in [-2, 2])
    "exp": (pt.exp, lambda v: v),
    "log": (pt.log, lambda v: np.abs(v) + 0.5),
    "log1p": (pt.log1p, lambda v: np.abs(v)),
    "expm1": (pt.expm1, lambda v: v),
    "sqrt": (pt.sqrt, lambda v: np.abs(v) + 0.5),
    "sin": (pt.sin, lambda v: v),
    "cos": (pt.cos, lambda v: v),
    "tan": (pt.tan, lambda v: v / 2),
    "tanh": (pt.tanh, lambda v: v),
    "sigmoid": (pt.sigmoid, lambda v: v),
    "softplus": (pt.softplus, lambda v: v * 10),
    "erf": (pt.erf, lambda v: v),
    "neg": (pt.neg, lambda v: v),
    "abs": (pt.abs, lambda v: away_from(v, [0.0])),
    "identity": (pt.identity, lambda v: v),
    "square": (pt.square, lambda v: v),
    "reciprocal": (pt.reciprocal, lambda v: away_from(v, [0.0], 0.5)),
}


@pytest.mark.rule("GRAD-OP-1")
@pytest.mark.parametrize("name", sorted(UNARY))
@given(x=arrays(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)))
def test_grad_op_1__unary_rules_match_finite_differences(name, x):
    fn, domain = UNARY[name]
    verify_grad(fn, [domain(x)], rng=rng())


BINARY = {
    "add": (pt.add, lambda x, y: (x, y)),
    "sub": (pt.sub, lambda x, y: (x, y)),
    "mul": (pt.mul, lambda x, y: (x, y)),
    "true_div": (pt.true_div, lambda x, y: (x, away_from(y, [0.0], 0.5))),
    "pow": (pt.pow, lambda x, y: (np.abs(x) + 0.5, y)),
    "mod": (pt.mod, lambda x, y: (away_from(x, [-2, -1, 0, 1, 2], 0.2) * 0.9, np.full_like(y, 1.0))),
    # no ties: maximum/minimum are smooth away from x == y
    "maximum": (pt.maximum, lambda x, y: (x, np.where(np.abs(x - y) < 0.1, x + 0.5, y))),
    "minimum": (pt.minimum, lambda x, y: (x, np.where(np.abs(x - y) < 0.1, x + 0.5, y))),
}


@st.composite
def broadcastable_pair(draw):
    """Two shapes that broadcast: the second may drop leading axes and have length 1
    where the first has any length (and the other way round)."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=3))
    a = tuple(draw(st.sampled_from([n, 1])) for n in shape)
    b = tuple(draw(st.sampled_from([n, 1])) for n in shape)
    b = b[draw(st.integers(0, len(b))):]
    if draw(st.booleans()):
        a, b = b, a
    return draw(arrays(a)), draw(arrays(b))


@pytest.mark.rule("GRAD-OP-1")
@pytest.mark.parametrize("name", sorted(BINARY))
@given(pair=broadcastable_pair())
def test_grad_op_1__binary_rules_with_broadcasting(name, pair):
    # length-1 axes have static length 1 (verify_grad gives inputs their values' shapes), so
    # they broadcast, and their gradient is summed over the broadcast axis
    fn, domain = BINARY[name]
    x, y = domain(*pair)
    verify_grad(fn, [x, y], rng=rng())


@pytest.mark.rule("GRAD-OP-1")
def test_grad_op_1__broadcast_gradient_is_summed_to_the_input_shape():
    x, b = pt.matrix("x"), pt.tensor("float64", shape=(1, None), name="b")
    g = pytensor.grad((x * b).sum(), b)
    got = value(g, {x: np.arange(6.0).reshape(2, 3), b: np.ones((1, 3))})
    np.testing.assert_array_equal(got, [[3.0, 5.0, 7.0]])
    assert g.type.shape[0] == 1


@pytest.mark.rule("GRAD-OP-1")
@pytest.mark.parametrize("fn", [pt.switch, pt.where])
def test_grad_op_1__switch_routes_the_cotangent_and_the_condition_gets_none(fn):
    x, y = pt.vector("x"), pt.vector("y")
    out = fn(x > 0, x**2, 3 * y)
    gx, gy = pytensor.grad(out.sum(), [x, y])
    got = value([gx, gy], {x: np.array([-1.0, 2.0]), y: np.array([1.0, 1.0])})
    np.testing.assert_array_equal(got[0], [0.0, 4.0])
    np.testing.assert_array_equal(got[1], [3.0, 0.0])
    verify_grad(lambda a, b: fn(a > 0, a**2, 3 * b), [np.array([-1.0, 2.0]), np.array([0.5, 1.0])], rng=rng())


@pytest.mark.rule("GRAD-OP-1")
def test_grad_op_1__clip_inside_and_outside():
    verify_grad(lambda x: pt.clip(x, -1.0, 1.0), [np.array([-1.5, -0.5, 0.5, 1.5])], rng=rng())
    x, lo, hi = pt.vector("x"), pt.scalar("lo"), pt.scalar("hi")
    g = pytensor.grad(pt.clip(x, lo, hi).sum(), [x, lo, hi])
    got = value(g, {x: np.array([-2.0, 0.0, 2.0]), lo: -1.0, hi: 1.0})
    np.testing.assert_array_equal(got[0], [0.0, 1.0, 0.0])
    assert got[1] == 1.0 and got[2] == 1.0


@pytest.mark.rule("GRAD-OP-1")
@pytest.mark.parametrize("fn", [pt.floor, pt.ceil, pt.round, pt.sign, lambda x: x // 2,
                                lambda x: pt.round(x, "half_away_from_zero")])
def test_grad_op_1__piecewise_constant_rules_give_zero(fn):
    x = pt.vector("x")
    g = pytensor.grad(fn(x).sum(), x)
    np.testing.assert_array_equal(value(g, {x: np.array([-1.3, 0.2, 2.5])}), [0.0, 0.0, 0.0])
    verify_grad(fn, [np.array([-1.3, 0.2, 2.7])], rng=rng())


@pytest.mark.rule("GRAD-OP-1")
def test_grad_op_1__maximum_and_minimum_ties_go_to_the_first_argument():
    # PyTensor 3.3.7: maximum returns x when x >= y, ties included, and so does its gradient
    x, y = pt.vector("x"), pt.vector("y")
    for fn in (pt.maximum, pt.minimum):
        gx, gy = pytensor.grad(fn(x, y).sum(), [x, y])
        got = value([gx, gy], {x: np.array([2.0, 1.0]), y: np.array([2.0, 1.0])})
        np.testing.assert_array_equal(got[0], [1.0, 1.0])
        np.testing.assert_array_equal(got[1], [0.0, 0.0])


@pytest.mark.rule("GRAD-OP-1")
def test_grad_op_1__pow_exponent_gradient_is_zero_at_base_zero():
    # d/dy x**y = log(x) x**y, whose limit at x = 0 is 0; PyTensor 3.3.7 gives 5.72681707421347
    x, y = pt.vector("x"), pt.scalar("y")
    with np.errstate(divide="ignore", invalid="ignore"):
        got = value(pytensor.grad((x**y).sum(), y), {x: np.array([0.0, 2.5]), y: 2.0})
    np.testing.assert_allclose(got, 6.25 * np.log(2.5), rtol=1e-15)


@pytest.mark.rule("GRAD-OP-1")
def test_grad_op_1__abs_at_zero_is_zero():
    x = pt.vector("x")
    np.testing.assert_array_equal(value(pytensor.grad(pt.abs(x).sum(), x), {x: np.array([0.0, -2.0])}), [0.0, -1.0])


@pytest.mark.rule("GRAD-OP-1")
def test_grad_op_1__cast_passes_the_cotangent_in_the_input_dtype():
    f = pt.fvector("f")
    g = pytensor.grad(pt.cast(f, "float64").sum() * 2, f)
    assert g.dtype == "float32"
    np.testing.assert_array_equal(value(g, {f: np.ones(2, "float32")}), [2.0, 2.0])
    # linear, so a large step is exact; float32 rounding needs it
    verify_grad(lambda a: pt.cast(a, "float32") * 3, [np.array([1.0, -2.0])], rng=rng(), eps=1e-2, abs_tol=1e-3, rel_tol=1e-3)


@pytest.mark.rule("GRAD-OP-1")
def test_grad_op_1__float32_inputs_match_finite_differences_at_float32_tolerance():
    verify_grad(lambda a, b: pt.tanh(a * b) + a / (1 + b * b), [np.array([0.5, -1.0], "float32"), np.array([1.5, 0.25], "float32")], rng=rng())


# -- GRAD-OP-2: reductions, and ops without a gradient -------------------------------------


@st.composite
def array_and_axes(draw, max_dims=3):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=1, max_side=3))
    x = draw(arrays(shape))
    ndim = len(shape)
    axis = draw(st.one_of(
        st.none(),
        st.integers(-ndim, ndim - 1),
        st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple),
    ))
    keepdims = draw(st.booleans())
    return x, axis, keepdims


@pytest.mark.rule("GRAD-OP-2")
@pytest.mark.parametrize("kind", ["sum", "prod", "mean"])
@given(case=array_and_axes())
def test_grad_op_2__sum_prod_mean_over_any_axes(kind, case):
    x, axis, keepdims = case
    fn = getattr(pt, kind)
    verify_grad(lambda a: fn(a, axis=axis, keepdims=keepdims), [x], rng=rng())


@pytest.mark.rule("GRAD-OP-2")
@pytest.mark.parametrize("kind", ["max", "min"])
@given(case=array_and_axes())
def test_grad_op_2__max_min_without_ties(kind, case):
    x, axis, keepdims = case
    # distinct entries, so the extremum of every group is unique and the function smooth
    x = np.arange(x.size, dtype="float64").reshape(x.shape) * 0.37 % 2.3 + np.linspace(0, 0.01, x.size).reshape(x.shape)
    fn = getattr(pt, kind)
    verify_grad(lambda a: fn(a, axis=axis, keepdims=keepdims), [x], rng=rng())


@pytest.mark.rule("GRAD-OP-2")
def test_grad_op_2__max_ties_each_get_the_whole_cotangent():
    # as PyTensor 3.3.7 ([1, 1, 0]): every element equal to the maximum receives the cotangent,
    # so the gradient is not a subgradient at a tie (its entries sum to 2)
    x = pt.vector("x")
    np.testing.assert_array_equal(value(pytensor.grad(pt.max(x), x), {x: np.array([2.0, 2.0, 1.0])}), [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(value(pytensor.grad(pt.min(x), x), {x: np.array([1.0, 2.0, 1.0])}), [1.0, 0.0, 1.0])


@pytest.mark.rule("GRAD-OP-2")
@pytest.mark.parametrize("values, expected", [
    ([0.0, 2.0, 3.0], [6.0, 0.0, 0.0]),
    ([0.0, 0.0, 3.0], [0.0, 0.0, 0.0]),
    ([1.0, 2.0, 3.0], [6.0, 3.0, 2.0]),
])
def test_grad_op_2__prod_is_exact_with_zeros(values, expected):
    # the product of the other elements, not prod / x (PyTensor 3.3.7 gives the same values)
    x = pt.vector("x")
    np.testing.assert_array_equal(value(pytensor.grad(pt.prod(x), x), {x: np.array(values)}), expected)


@pytest.mark.rule("GRAD-OP-2")
def test_grad_op_2__prod_with_zeros_along_an_axis_matches_finite_differences():
    x = np.array([[0.0, 2.0, 3.0], [1.5, 0.0, 0.0], [1.0, -2.0, 0.5]])
    verify_grad(lambda a: pt.prod(a, axis=1), [x], rng=rng())
    verify_grad(lambda a: pt.prod(a, axis=0, keepdims=True), [x], rng=rng())


@pytest.mark.rule("GRAD-OP-2")
@pytest.mark.parametrize("make", [
    lambda x: pt.cast(pt.argmax(x), "float64"),
    lambda x: pt.cast(pt.any(x > 0), "float64"),
    lambda x: pt.cast(pt.all(x > 0), "float64"),
    lambda x: pt.cast(x.shape[0], "float64"),
])
def test_grad_op_2__discrete_results_pass_no_gradient(make):
    x = pt.vector("x")
    with pytest.raises(DisconnectedInputError):
        pytensor.grad(make(x), x)
    g = pytensor.grad(make(x), x, disconnected_inputs="ignore")
    np.testing.assert_array_equal(value(g, {x: np.array([1.0, 3.0])}), [0.0, 0.0])


@pytest.mark.rule("GRAD-OP-2")
def test_grad_op_2__arange_eye_and_random_draws_have_no_gradient():
    s = pt.scalar("s")
    n = pt.cast(s, "int64")
    for cost in (pt.arange(n).sum() * 1.0, pt.eye(n).sum() * 1.0):
        with pytest.raises(DisconnectedInputError):
            pytensor.grad(cost, s)
    from reference.tensor.random.utils import RandomStream

    mu = pt.scalar("mu")
    draw = RandomStream(seed=3).normal(mu, 1.0)
    with pytest.raises(NullTypeGradError, match="random variable normal"):  # PyTensor: NullTypeGradError too
        pytensor.grad(draw, mu)
    with pytest.raises(TypeError):
        pytensor.grad(draw + mu, mu)  # not 1.0: the draw's derivative is undefined, not zero
    g = pytensor.grad(draw + mu, mu, null_gradients="return")
    with pytest.raises(ValueError, match="random variable normal"):
        g.eval({mu: 0.0})
    assert pytensor.grad(RandomStream(seed=3).normal(0.0, 1.0) * mu, mu).eval({mu: 2.0}) != 0.0


# -- GRAD-OP-3: structure ------------------------------------------------------------------


@pytest.mark.rule("GRAD-OP-3")
@pytest.mark.parametrize("fn, shape", [
    (lambda a: pt.reshape(a, (3, 2)), (2, 3)),
    (lambda a: pt.reshape(a, (-1,)), (2, 3)),
    (lambda a: a.flatten(), (2, 2, 2)),
    (lambda a: a.T, (2, 3)),
    (lambda a: a.dimshuffle(1, "x", 0), (2, 3)),
    (lambda a: a.dimshuffle("x", 0, "x"), (3,)),
    (lambda a: a.dimshuffle(1), (1, 3)),
    (lambda a: pt.transpose(a, (2, 0, 1)), (2, 3, 2)),
    (lambda a: pt.expand_dims(a, 1), (2, 3)),
    (lambda a: pt.squeeze(a), (1, 3, 1)),
    (lambda a: pt.specify_shape(a, (2, None)) * 2, (2, 3)),
    (lambda a: pt.stack([a[0], a[1] * 2, a[0]]), (2,)),
    (lambda a: pt.alloc(a, 4, 3), (3,)),
    (lambda a: pt.alloc(a, 2, 2, 3), (1, 3)),
    (lambda a: pt.concatenate([a, 2 * a, a[:1]], axis=0), (2, 3)),
    (lambda a: pt.concatenate([a, a[:, ::-1]], axis=-1), (2, 3)),
    (lambda a: pt.cumsum(a, axis=0), (3, 2)),
    (lambda a: pt.cumsum(a, axis=1), (3, 2)),
    (lambda a: pt.cumsum(a), (3, 2)),
])
def test_grad_op_3__structural_ops_match_finite_differences(fn, shape):
    x = rng(1).normal(size=shape)
    verify_grad(fn, [x], rng=rng())


@pytest.mark.rule("GRAD-OP-3")
@given(data=st.data())
def test_grad_op_3__join_of_generated_parts(data):
    ndim = data.draw(st.integers(1, 3))
    axis = data.draw(st.integers(-ndim, ndim - 1))
    base = list(data.draw(hnp.array_shapes(min_dims=ndim, max_dims=ndim, min_side=1, max_side=3)))
    parts = []
    for _ in range(data.draw(st.integers(1, 3))):
        shape = list(base)
        shape[axis] = data.draw(st.integers(0, 3))
        parts.append(data.draw(arrays(tuple(shape))))
    verify_grad(lambda *ps: pt.concatenate(list(ps), axis=axis), parts, rng=rng())


@pytest.mark.rule("GRAD-OP-3")
@given(data=st.data())
def test_grad_op_3__dimshuffle_of_generated_patterns(data):
    x = data.draw(arrays(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)))
    axes = data.draw(st.permutations(range(x.ndim)))
    # drop axes of length 1 at random, insert new ones at random
    kept = [a for a in axes if x.shape[a] != 1 or data.draw(st.booleans())]
    pattern = list(kept)
    for _ in range(data.draw(st.integers(0, 2))):
        pattern.insert(data.draw(st.integers(0, len(pattern))), "x")
    x = np.asarray(x)
    verify_grad(lambda a: a.dimshuffle(*pattern) * 1.5, [x], rng=rng())


@pytest.mark.rule("GRAD-OP-3")
def test_grad_op_3__cumprod_gradient_is_finite_at_zeros():
    """The rule divides by nothing: at a zero the gradient is the product of the others
    (tests/test_2_array_ops.py checks it against a brute-force sum)."""
    x = pt.dvector("x")
    g = pytensor.function([x], pytensor.grad(pt.cumprod(x).sum(), x))(np.array([2.0, 0.0, 3.0]))
    np.testing.assert_allclose(g, [1.0 + 0.0 + 0.0, 2.0 + 2.0 * 3.0, 0.0])


@pytest.mark.rule("GRAD-OP-3")
def test_grad_op_3__make_vector_entries_and_integer_entries():
    a, b, i = pt.scalar("a"), pt.scalar("b"), pt.iscalar("i")
    v = pt.stack([a, b * 3, a])
    ga, gb = pytensor.grad((v * np.array([1.0, 2.0, 4.0])).sum(), [a, b])
    np.testing.assert_array_equal(value([ga, gb], {a: 1.0, b: 1.0}), [5.0, 6.0])
    gi = pytensor.grad(pt.stack([a, pt.cast(i, "float64")]).sum(), i)
    assert value(gi, {i: 3}) == 0.0


# -- GRAD-OP-4: indexing ------------------------------------------------------------------


@pytest.mark.rule("GRAD-OP-4")
@pytest.mark.parametrize("fn", [
    lambda a: a[1],
    lambda a: a[-1, 1:],
    lambda a: a[::-1, ::2],
    lambda a: a[1:, None, 0],
    lambda a: a[[0, 0, 2]],
    lambda a: a[[2, 0], [1, 1]],
    lambda a: a[:, [1, 1, 0, 1]],
    lambda a: a[np.array([True, False, True])],
    lambda a: a[pt.constant(np.array([[0, 1], [1, 1]]))],
])
def test_grad_op_4__subtensor_scatters_the_cotangent_with_repeats_accumulating(fn):
    x = rng(2).normal(size=(3, 3))
    verify_grad(fn, [x], rng=rng())


@pytest.mark.rule("GRAD-OP-4")
def test_grad_op_4__repeated_index_counts_each_time():
    x = pt.vector("x")
    got = value(pytensor.grad(x[[0, 0, 2]].sum(), x), {x: np.ones(3)})
    np.testing.assert_array_equal(got, [2.0, 0.0, 1.0])  # PyTensor 3.3.7: [2, 0, 1]


@pytest.mark.rule("GRAD-OP-4")
@pytest.mark.parametrize("index", [
    lambda a: a[1:],
    lambda a: a[[0, 2, 0]],
    lambda a: a[0, [1, 1]],
    lambda a: a[:, 0],
])
def test_grad_op_4__inc_subtensor_with_repeated_indices(index):
    x = rng(3).normal(size=(3, 2))

    def fn(a, b):
        part = index(a)
        return pt.inc_subtensor(part, b * pt.ones_like(part)) ** 2

    verify_grad(fn, [x, np.array(0.7)], rng=rng())
    verify_grad(lambda a: pt.inc_subtensor(index(a), a[0, 0] * 3) * a, [x], rng=rng())


@pytest.mark.rule("GRAD-OP-4")
def test_grad_op_4__inc_subtensor_repeated_values_match_pytensor():
    x, s = pt.vector("x"), pt.scalar("s")
    gx, gs = pytensor.grad((pt.inc_subtensor(x[[0, 0, 1]], s) ** 2).sum(), [x, s])
    got = value([gx, gs], {x: np.ones(3), s: 2.0})
    np.testing.assert_array_equal(got[0], [10.0, 6.0, 2.0])  # PyTensor 3.3.7
    assert got[1] == 26.0


@pytest.mark.rule("GRAD-OP-4")
def test_grad_op_4__set_subtensor_without_repeats_matches_finite_differences():
    x = rng(4).normal(size=(3, 2))
    verify_grad(lambda a, b: pt.set_subtensor(a[[2, 0]], b) * a, [x, np.array([[1.0, 2.0], [3.0, 4.0]])], rng=rng())
    verify_grad(lambda a, b: pt.set_subtensor(a[1:, 0], b) ** 2, [x, np.array(0.5)], rng=rng())


@pytest.mark.rule("GRAD-OP-4")
def test_grad_op_4__set_subtensor_with_repeats_counts_every_index_entry():
    # the value written last wins, but y receives the cotangent of every index entry, as
    # in PyTensor 3.3.7 (2.0 here): not the derivative (1.0) -- documented, not a bug
    x, s = pt.vector("x"), pt.scalar("s")
    gx, gs = pytensor.grad(pt.set_subtensor(x[[0, 0]], s).sum(), [x, s])
    got = value([gx, gs], {x: np.ones(3), s: 2.0})
    np.testing.assert_array_equal(got[0], [0.0, 1.0, 1.0])
    assert got[1] == 2.0


@pytest.mark.rule("GRAD-OP-4")
def test_grad_op_4__integer_indices_have_no_gradient():
    x, i = pt.vector("x"), pt.iscalar("i")
    s = pt.scalar("s")
    assert value(pytensor.grad(x[i], i), {i: 1}) == 0.0
    with pytest.raises(DisconnectedInputError):
        pytensor.grad(x[pt.cast(s, "int64")], s)


# -- GRAD-OP-5: products ------------------------------------------------------------------


@pytest.mark.rule("GRAD-OP-5")
@pytest.mark.parametrize("fn", [pt.dot, pt.matmul, lambda a, b: a @ b])
@pytest.mark.parametrize("shapes", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)), ((1, 3), (3, 1))])
def test_grad_op_5__dot_of_vectors_and_matrices(fn, shapes):
    a, b = (rng(5).normal(size=s) for s in shapes)
    verify_grad(fn, [a, b], rng=rng())


@pytest.mark.rule("GRAD-OP-5")
def test_grad_op_5__scalar_operands_outer_and_tensordot():
    verify_grad(pt.dot, [np.array(1.5), rng(6).normal(size=(2, 3))], rng=rng())
    verify_grad(pt.outer, [rng(6).normal(size=3), rng(7).normal(size=2)], rng=rng())
    verify_grad(lambda a, b: pt.tensordot(a, b, axes=1), [rng(6).normal(size=(2, 3)), rng(7).normal(size=(3, 2))], rng=rng())


@pytest.mark.rule("GRAD-OP-5")
@pytest.mark.parametrize("shapes", [((2, 3, 4), (4,)), ((2, 3, 4), (5, 4, 2)), ((4,), (3, 4, 2)), ((3, 4), (2, 4, 5)), ((2, 2, 3, 4), (4, 5))])
def test_grad_op_5__dot_of_more_than_two_dimensions(shapes):
    a, b = (rng(8).normal(size=s) for s in shapes)
    verify_grad(pt.dot, [a, b], rng=rng())


@pytest.mark.rule("GRAD-OP-5")
@pytest.mark.parametrize("shapes", [((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((4,), (2, 4, 5)), ((2, 3, 4), (4,)), ((3, 4), (2, 4, 5))])
def test_grad_op_5__matmul_of_stacks(shapes):
    a, b = (rng(9).normal(size=s) for s in shapes)
    verify_grad(pt.matmul, [a, b], rng=rng())


@pytest.mark.rule("GRAD-UNDEF-1")
def test_grad_undefined_1__pytensor_helpers_for_op_authors():
    from reference.gradient import grad_not_implemented, grad_undefined
    from reference.graph.basic import Apply
    from reference.graph.op import Op

    class Scaled(Op):
        __props__ = ()

        def make_node(self, x, k):
            x, k = pt.as_tensor_variable(x), pt.as_tensor_variable(k)
            return Apply(self, [x, k], [x.type()])

        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0] * inputs[1]

        def grad(self, inputs, output_grads):
            x, k = inputs
            return [grad_not_implemented(self, 0, x, "a test"), grad_undefined(self, 1, k)]

    x, k = pt.dvector("x"), pt.dscalar("k")
    y = Scaled()(x, k).sum()
    with pytest.raises(NullTypeGradError, match="input 0 is not implemented \\(a test\\)"):
        pytensor.grad(y, x)
    with pytest.raises(TypeError, match="input 1 is not defined"):
        pytensor.grad(y, k)
    g = pytensor.grad(y, k, null_gradients="return")
    with pytest.raises(ValueError, match="GRAD-UNDEF-1"):
        g.eval({x: np.ones(2), k: 1.0})
    from reference.gradient import pullback, pushforward

    t = pt.dvector("t")
    with pytest.raises(NullTypeGradError):  # PyTensor: NullTypeGradError too
        pushforward(Scaled()(x, k), x, t)
    with pytest.raises(NullTypeGradError):
        pullback(Scaled()(x, k), x, t)
