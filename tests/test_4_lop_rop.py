"""Chapter 4, "Vector-Jacobian and Jacobian-vector products" (GRAD-LOP-*, GRAD-ROP-*).

Values are checked against closed forms and central finite differences; the differential
tests at the end compare with PyTensor 3.3.7 when it is installed."""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import (
    DisconnectedInputError,
    SpecTypeError,
    SpecValueError,
)
from reference.gradient import Lop, Rop, pullback, pushforward
from reference.testing import numeric_grad

RNG = np.random.default_rng(20261)


def run(outputs, inputs):
    return pytensor.function(list(inputs), outputs, on_unused_input="ignore")(*inputs.values())


def numeric_jacobian(fn, values, eps=1e-6):
    """J[i, j] = d fn(values)[i] / d (concatenated values)[j], by central differences."""
    flat = np.concatenate([np.ravel(v) for v in values])
    sizes = [np.size(v) for v in values]

    def call(vector):
        parts, start = [], 0
        for v, n in zip(values, sizes, strict=True):
            parts.append(vector[start:start + n].reshape(np.shape(v)))
            start += n
        return np.ravel(fn(*parts))

    columns = []
    for j in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[j] += eps
        down[j] -= eps
        columns.append((call(up) - call(down)) / (2 * eps))
    return np.stack(columns, axis=1)


def recurrence():
    """h[t] = w * h[t-1] + x[t] (the chapter's loop)."""
    x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("w")
    hs = pytensor.scan(lambda xt, h, w_: w_ * h + xt, sequences=x, outputs_info=h0,
                       non_sequences=w, return_updates=False)
    return x, h0, w, hs


def recurrence_np(x, h0, w):
    out, h = [], h0
    for xt in x:
        h = w * h + xt
        out.append(h)
    return np.array(out)


VALUES = (np.array([1.0, -2.0, 3.0, 0.5]), 0.7, 0.9)


# -- GRAD-LOP-1 --------------------------------------------------------------------------


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__matrix_vector_product_gives_u_times_a():
    A, v, u = pt.matrix("A"), pt.vector("v"), pt.vector("u")
    a, vv, uu = RNG.normal(size=(3, 2)), RNG.normal(size=2), RNG.normal(size=3)
    got = run(pullback(A @ v, v, u), {A: a, v: vv, u: uu})
    np.testing.assert_allclose(got, uu @ a)
    gA = run(pullback(A @ v, A, u), {A: a, v: vv, u: uu})
    np.testing.assert_allclose(gA, np.outer(uu, vv))


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__several_outputs_sum_their_products():
    x = pt.vector("x")
    u1, u2 = pt.vector("u1"), pt.scalar("u2")
    f = [pt.sin(x), (x ** 2).sum()]
    g = pullback(f, x, [u1, u2])
    xv, a, b = np.array([0.3, -1.2]), np.array([2.0, -1.0]), 1.5
    np.testing.assert_allclose(run(g, {x: xv, u1: a, u2: b}), a * np.cos(xv) + b * 2 * xv)


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__scalar_cost_with_cotangent_one_is_grad():
    x = pt.vector("x")
    cost = (pt.tanh(x) * x).sum()
    g1 = pullback(cost, x, pt.constant(1.0))
    g2 = pytensor.grad(cost, x)
    xv = np.array([0.1, 0.5, -2.0])
    np.testing.assert_array_equal(run(g1, {x: xv}), run(g2, {x: xv}))


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__matches_finite_differences():
    x, y = pt.vector("x"), pt.matrix("y")
    u = pt.vector("u")
    f = pt.exp(y @ x) * pt.sum(x)
    gx, gy = pullback(f, [x, y], u)
    xv, yv, uv = RNG.normal(size=3), RNG.normal(size=(2, 3)), RNG.normal(size=2)
    got_x, got_y = run([gx, gy], {x: xv, y: yv, u: uv})

    def fn(xv, yv):
        return np.exp(yv @ xv) * xv.sum()

    J = numeric_jacobian(fn, [xv, yv])
    vjp = uv @ J
    np.testing.assert_allclose(got_x, vjp[:3], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(got_y, vjp[3:].reshape(2, 3), rtol=1e-6, atol=1e-8)


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__through_scan_closed_form():
    x, h0, w, hs = recurrence()
    u = pt.vector("u")
    gx, gh0, gw = pullback(hs, [x, h0, w], u)
    uv = np.array([1.0, -1.0, 0.5, 2.0])
    got = run([gx, gh0, gw], {x: VALUES[0], h0: VALUES[1], w: VALUES[2], u: uv})
    J = numeric_jacobian(recurrence_np, [VALUES[0], np.array(VALUES[1]), np.array(VALUES[2])])
    vjp = uv @ J
    np.testing.assert_allclose(got[0], vjp[:4], rtol=1e-6)
    np.testing.assert_allclose(got[1], vjp[4], rtol=1e-6)
    np.testing.assert_allclose(got[2], vjp[5], rtol=1e-6)
    # closed form for x: dh[t]/dx[s] = w**(t-s) for t >= s
    wv = VALUES[2]
    expected = [sum(uv[t] * wv ** (t - s) for t in range(s, 4)) for s in range(4)]
    np.testing.assert_allclose(got[0], expected)
    # numeric_grad of the projection u · h(x, h0, w)
    numeric = numeric_grad(lambda a, b, c: uv @ recurrence_np(a, b, c),
                           [VALUES[0].copy(), np.array(VALUES[1]), np.array(VALUES[2])])
    for analytic, fd in zip(got, numeric.gf, strict=True):
        np.testing.assert_allclose(analytic, fd, rtol=1e-6)


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__a_variable_listed_twice_receives_both_cotangents():
    x = pt.vector("x")
    y = x * 3
    u1, u2 = pt.vector("u1"), pt.vector("u2")
    g = pullback([y, y], x, [u1, u2])
    np.testing.assert_allclose(run(g, {x: [1.0, 2.0], u1: [1.0, 1.0], u2: [2.0, 0.0]}), [9.0, 3.0])


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__result_has_the_structure_of_wrt():
    x, y, u = pt.vector("x"), pt.vector("y"), pt.vector("u")
    f = x * y
    assert isinstance(pullback(f, x, u), pytensor.Variable)
    assert isinstance(pullback(f, [x, y], u), list)
    assert isinstance(pullback(f, (x, y), u), tuple)
    assert isinstance(pullback([f], [x], [u]), list)


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__errors_name_the_argument():
    x, u = pt.vector("x"), pt.vector("u")
    with pytest.raises(SpecValueError, match=r"f has 1 entries and cotangents has 2"):
        pullback([x * 2], x, [u, u])
    with pytest.raises(SpecValueError, match=r"cotangents\[0\].*ndim"):
        pullback([x * 2], x, [pt.matrix("m")])
    with pytest.raises(SpecTypeError, match=r"cotangents.*float"):
        pullback(x * 2, x, pt.ivector("i"))
    with pytest.raises(SpecTypeError, match=r"wrt\[1\] must be a variable"):
        pullback(x * 2, [x, 3.0], u)
    with pytest.raises(SpecValueError, match="disconnected_inputs"):
        pullback(x * 2, x, u, disconnected_inputs="loud")


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__disconnected_wrt():
    x, y, u = pt.vector("x"), pt.vector("y"), pt.vector("u")
    with pytest.raises(DisconnectedInputError, match=r"pullback: f does not depend on wrt\[1\] \(y\)"):
        pullback(x * 2, [x, y], u)
    gx, gy = pullback(x * 2, [x, y], u, disconnected_inputs="ignore")
    np.testing.assert_array_equal(run(gy, {y: [1.0, 2.0]}), [0.0, 0.0])
    assert pullback(x * 2, [x, y], u, disconnected_inputs="ignore", return_disconnected="none")[1] is None
    with pytest.warns(UserWarning, match="does not depend"):
        pullback(x * 2, [x, y], u, disconnected_inputs="warn")


@pytest.mark.rule("GRAD-LOP-1")
def test_grad_lop_1__consider_constant():
    x, u = pt.vector("x"), pt.vector("u")
    y = x * 3
    g = pullback(y * x, x, u, consider_constant=[y])
    np.testing.assert_allclose(run(g, {x: [1.0, 2.0], u: [1.0, 1.0]}), [3.0, 6.0])


# -- GRAD-LOP-2 --------------------------------------------------------------------------


@pytest.mark.rule("GRAD-LOP-2")
def test_grad_lop_2__lop_warns_and_is_pullback():
    A, v, u = pt.matrix("A"), pt.vector("v"), pt.vector("u")
    with pytest.warns(FutureWarning, match="Lop is deprecated, use pullback instead."):
        g = Lop(A @ v, v, u)
    values = {A: np.array([[1.0, 2.0], [3.0, 4.0]]), v: np.array([1.0, 1.0]), u: np.array([1.0, 10.0])}
    np.testing.assert_allclose(run(g, values), run(pullback(A @ v, v, u), values))
    assert pytensor.Lop is Lop and pytensor.gradient.Lop is Lop


@pytest.mark.rule("GRAD-LOP-2")
def test_grad_lop_2__errors_name_eval_points():
    x = pt.vector("x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        with pytest.raises(SpecValueError, match="eval_points has 2"):
            Lop(x * 2, x, [x, x])


# -- GRAD-ROP-1 --------------------------------------------------------------------------


@pytest.mark.rule("GRAD-ROP-1")
def test_grad_rop_1__matrix_vector_product_gives_a_times_t():
    A, v, t = pt.matrix("A"), pt.vector("v"), pt.vector("t")
    a, vv, tv = RNG.normal(size=(3, 2)), RNG.normal(size=2), RNG.normal(size=2)
    np.testing.assert_allclose(run(pushforward(A @ v, v, t), {A: a, v: vv, t: tv}), a @ tv)
    tA = pt.matrix("tA")
    ta = RNG.normal(size=(3, 2))
    np.testing.assert_allclose(run(pushforward(A @ v, A, tA), {A: a, v: vv, tA: ta}), ta @ vv)


@pytest.mark.rule("GRAD-ROP-1")
def test_grad_rop_1__matches_finite_differences_for_several_inputs_and_outputs():
    x, y = pt.vector("x"), pt.matrix("y")
    tx, ty = pt.vector("tx"), pt.matrix("ty")
    f = [pt.exp(y @ x), pt.tanh(x).sum() * y]
    r1, r2 = pushforward(f, [x, y], [tx, ty])
    xv, yv = RNG.normal(size=3), RNG.normal(size=(2, 3))
    txv, tyv = RNG.normal(size=3), RNG.normal(size=(2, 3))
    got1, got2 = run([r1, r2], {x: xv, y: yv, tx: txv, ty: tyv})
    tangent = np.concatenate([txv, tyv.ravel()])
    J1 = numeric_jacobian(lambda a, b: np.exp(b @ a), [xv, yv])
    J2 = numeric_jacobian(lambda a, b: np.tanh(a).sum() * b, [xv, yv])
    np.testing.assert_allclose(got1, J1 @ tangent, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(got2, (J2 @ tangent).reshape(2, 3), rtol=1e-6, atol=1e-8)


@pytest.mark.rule("GRAD-ROP-1")
def test_grad_rop_1__through_scan_closed_form_and_finite_differences():
    x, h0, w, hs = recurrence()
    tx, th0, tw = pt.vector("tx"), pt.scalar("th0"), pt.scalar("tw")
    jvp = pushforward(hs, [x, h0, w], [tx, th0, tw])
    txv, th0v, twv = np.array([0.5, 1.0, -1.0, 2.0]), -0.3, 0.25
    got = run(jvp, {x: VALUES[0], h0: VALUES[1], w: VALUES[2], tx: txv, th0: th0v, tw: twv})
    J = numeric_jacobian(recurrence_np, [VALUES[0], np.array(VALUES[1]), np.array(VALUES[2])])
    np.testing.assert_allclose(got, J @ np.concatenate([txv, [th0v, twv]]), rtol=1e-6)
    # closed form for x alone: dh[t] = sum_{s<=t} w**(t-s) tx[s]
    only_x = run(pushforward(hs, x, tx), {x: VALUES[0], h0: VALUES[1], w: VALUES[2], tx: txv})
    wv = VALUES[2]
    np.testing.assert_allclose(only_x, [sum(wv ** (t - s) * txv[s] for s in range(t + 1)) for t in range(4)])


@pytest.mark.rule("GRAD-ROP-1")
def test_grad_rop_1__hessian_vector_product_as_pushforward_of_grad():
    x, t = pt.vector("x"), pt.vector("t")
    cost = (x ** 3).sum() + (x[0] * x[1])
    hvp = pushforward(pytensor.grad(cost, x), x, t)
    xv, tv = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 2.0])
    H = np.diag(6 * xv) + np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]])
    np.testing.assert_allclose(run(hvp, {x: xv, t: tv}), H @ tv)


@pytest.mark.rule("GRAD-ROP-1")
def test_grad_rop_1__result_has_the_structure_of_f():
    x, t = pt.vector("x"), pt.vector("t")
    assert isinstance(pushforward([x * 2, x * 3], x, t), list)
    assert isinstance(pushforward((x * 2,), [x], [t]), tuple)
    assert not isinstance(pushforward(x * 2, x, t), list | tuple)


@pytest.mark.rule("GRAD-ROP-1")
def test_grad_rop_1__errors_name_the_argument():
    x, y, t = pt.vector("x"), pt.matrix("y"), pt.vector("t")
    with pytest.raises(SpecValueError, match="wrt has 2 entries and tangents has 1"):
        pushforward(x * 2, [x, y], [t])
    with pytest.raises(SpecValueError, match=r"tangents\[0\].*ndim"):
        pushforward(y * 2, y, t)
    with pytest.raises(SpecTypeError, match=r"tangents\[0\] must have a float dtype"):
        pushforward(x * 2, x, pt.lvector("i"))
    with pytest.raises(SpecValueError, match="disconnected_outputs"):
        pushforward(x * 2, x, t, disconnected_outputs="loud")


@pytest.mark.rule("GRAD-ROP-1")
def test_grad_rop_1__disconnected():
    x, z, t, tz = pt.vector("x"), pt.vector("z"), pt.vector("t"), pt.vector("tz")
    with pytest.raises(DisconnectedInputError, match=r"pushforward: f does not depend on wrt\[1\] \(z\)"):
        pushforward(x * 2, [x, z], [t, tz])
    got = pushforward(x * 2, [x, z], [t, tz], disconnected_outputs="ignore")
    np.testing.assert_allclose(run(got, {x: [1.0, 2.0], t: [1.0, 1.0]}), [2.0, 2.0])
    # an output none of wrt reaches gets zeros (or None)
    r1, r2 = pushforward([x * 2, z * 2], x, t)
    np.testing.assert_array_equal(run(r2, {z: [5.0, 6.0], x: [1.0, 1.0]}), [0.0, 0.0])
    assert pushforward([x * 2, z * 2], x, t, return_disconnected="none")[1] is None


# -- GRAD-ROP-2 --------------------------------------------------------------------------


@pytest.mark.rule("GRAD-ROP-2")
def test_grad_rop_2__rop_warns_and_is_pushforward():
    A, v, t = pt.matrix("A"), pt.vector("v"), pt.vector("t")
    with pytest.warns(FutureWarning, match="Rop is deprecated, use pushforward instead."):
        r = Rop(A @ v, v, t)
    values = {A: np.array([[1.0, 2.0], [3.0, 4.0]]), v: np.array([1.0, 1.0]), t: np.array([1.0, 10.0])}
    np.testing.assert_allclose(run(r, values), [21.0, 43.0])
    assert pytensor.Rop is Rop and pytensor.pushforward is pushforward and pytensor.pullback is pullback


@pytest.mark.rule("GRAD-ROP-2")
def test_grad_rop_2__op_implementation_gives_the_same_product():
    x, t = pt.vector("x"), pt.vector("t")
    point = {x: np.array([1.0, 2.0]), t: np.array([3.0, 4.0])}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        by_op = Rop(pt.sin(x) * 2, x, t, use_op_rop_implementation=True)
        with pytest.raises(SpecValueError, match="eval_points has 2"):
            Rop(x * 2, x, [t, t])
    np.testing.assert_array_equal(by_op.eval(point), pushforward(pt.sin(x) * 2, x, t).eval(point))
    np.testing.assert_allclose(pushforward(pt.sin(x) * 2, x, t, use_op_pushforward=True).eval(point),
                               2 * np.cos([1.0, 2.0]) * [3.0, 4.0], rtol=1e-15)


# -- differential tests with PyTensor ----------------------------------------------------


@pytest.mark.rule("GRAD-LOP-1", "GRAD-ROP-1")
def test_grad_lop_rop__agree_with_pytensor_through_scan():
    ptn = pytest.importorskip("pytensor")
    ptt = pytest.importorskip("pytensor.tensor")
    from pytensor.gradient import pullback as p_pullback
    from pytensor.gradient import pushforward as p_pushforward

    def build(lib, tlib, lop, rop):
        x, h0, w = tlib.vector("x"), tlib.scalar("h0"), tlib.scalar("w")
        hs = lib.scan(lambda xt, h, w_: tlib.tanh(w_ * h + xt), sequences=x, outputs_info=h0,
                      non_sequences=w, return_updates=False)
        u, tx, tw = tlib.vector("u"), tlib.vector("tx"), tlib.scalar("tw")
        outs = [*lop(hs, [x, w], u), rop(hs, [x, w], [tx, tw])]
        return lib.function([x, h0, w, u, tx, tw], outs)

    ours = build(pytensor, pt, pullback, pushforward)
    theirs = build(ptn, ptt, p_pullback, p_pushforward)
    args = (VALUES[0], VALUES[1], VALUES[2], np.array([1.0, 2.0, -1.0, 0.5]), np.array([0.1, 0.2, 0.3, 0.4]), 0.5)
    for a, b in zip(ours(*args), theirs(*args), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
