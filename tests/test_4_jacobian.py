"""Chapter 4, "Jacobians and Hessians" (GRAD-JAC-*): ``jacobian``, ``hessian`` and
``hessian_vector_product`` against closed forms (to ``rtol=1e-12``) and central finite
differences (step 1e-6, ``rtol=1e-6``, ``atol=1e-8``), shapes, static shapes and errors.
"""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import (
    DisconnectedInputError,
    SpecTypeError,
    SpecValueError,
)
from reference.gradient import hessian, hessian_vector_product, jacobian

RNG = np.random.default_rng(44)


def numeric_jacobian(f, x, eps=1e-6):
    """d f(x) / d x by central differences: shape f(x).shape + x.shape."""
    x = np.asarray(x, dtype="float64")
    out = np.asarray(f(x))
    jac = np.zeros(out.shape + x.shape)
    for index in np.ndindex(*x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        jac[(Ellipsis, *index)] = (np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * eps)
    return jac


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__jacobian_of_tanh_v_dot_a():
    v, A = pt.dvector("v"), pt.dmatrix("A")
    J = pt.jacobian(pt.tanh(v @ A), v)
    assert J.type.dtype == "float64" and J.type.shape == (None, None)
    vv, AA = RNG.normal(size=3), RNG.normal(size=(3, 4))
    got = pytensor.function([v, A], J)(vv, AA)
    t = np.tanh(vv @ AA)
    np.testing.assert_allclose(got, (1 - t ** 2)[:, None] * AA.T, rtol=1e-12)
    np.testing.assert_allclose(got, numeric_jacobian(lambda x: np.tanh(x @ AA), vv), rtol=1e-6, atol=1e-8)


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__list_and_tuple_of_wrt_and_matrix_wrt():
    v, A = pt.dvector("v"), pt.dmatrix("A")
    y = pt.tanh(v @ A)
    as_list = jacobian(y, [v, A])
    as_tuple = jacobian(y, (v, A))
    assert isinstance(as_list, list) and isinstance(as_tuple, tuple)
    assert [j.type.shape for j in as_list] == [(None, None), (None, None, None)]
    vv, AA = RNG.normal(size=2), RNG.normal(size=(2, 3))
    jv, jA = pytensor.function([v, A], as_list)(vv, AA)
    assert jv.shape == (3, 2) and jA.shape == (3, 2, 3)
    np.testing.assert_allclose(jA, numeric_jacobian(lambda a: np.tanh(vv @ a), AA), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(jv, numeric_jacobian(lambda x: np.tanh(x @ AA), vv), rtol=1e-6, atol=1e-8)


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__matrix_expression_has_shape_expression_plus_wrt():
    m = pt.dmatrix("m", shape=(2, 3))
    s = pt.dscalar("s")
    y = pt.exp(m) * s
    jm, js = jacobian(y, [m, s])
    assert jm.type.shape == (2, 3, 2, 3) and js.type.shape == (2, 3)
    mv = RNG.normal(size=(2, 3))
    got_m, got_s = pytensor.function([m, s], [jm, js])(mv, 1.5)
    want = np.zeros((2, 3, 2, 3))
    for i, j in np.ndindex(2, 3):
        want[i, j, i, j] = np.exp(mv[i, j]) * 1.5
    np.testing.assert_allclose(got_m, want, rtol=1e-12)
    np.testing.assert_allclose(got_s, np.exp(mv), rtol=1e-12)
    free = pt.dmatrix("free")
    assert jacobian(free * 2, free).type.shape == (None, None, None, None)


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__scalar_expression_gives_the_gradient():
    v, s = pt.dvector("v"), pt.dscalar("s")
    cost = (v ** 3).sum()
    J = jacobian(cost, v)
    assert J.type.shape == (None,)
    vv = np.array([1.0, -2.0, 0.5])
    np.testing.assert_array_equal(J.eval({v: vv}), pytensor.grad(cost, v).eval({v: vv}))
    assert jacobian(s ** 2, s).eval({s: 3.0}) == 6.0
    one = pt.dmatrix("one", shape=(1, 1))
    J1 = jacobian(one * s, s)  # every static length 1: no loop, reshaped to (1, 1)
    assert J1.type.shape == (1, 1)
    np.testing.assert_array_equal(J1.eval({one: [[4.0]], s: 2.0}), [[4.0]])


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__float32():
    f = pt.fvector("f")
    J = jacobian(f ** 2, f)
    assert J.dtype == "float32"
    np.testing.assert_allclose(J.eval({f: np.array([1.0, 2.0], "float32")}), np.diag([2.0, 4.0]), rtol=1e-6)


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__disconnected_and_consider_constant():
    v, u = pt.dvector("v"), pt.dvector("u")
    with pytest.raises(DisconnectedInputError, match=r"wrt\[0\] \(u\)"):
        jacobian(v ** 2, u)
    J = jacobian(v ** 2, [v, u], disconnected_inputs="ignore")
    jv, ju = pytensor.function([v, u], J)(np.array([1.0, 3.0]), np.array([0.0, 0.0, 0.0]))
    np.testing.assert_array_equal(jv, np.diag([2.0, 6.0]))
    np.testing.assert_array_equal(ju, np.zeros((2, 3)))
    w = v ** 2
    Jc = jacobian(w * v, v, consider_constant=[w])  # d(c * v)/dv with c held constant
    np.testing.assert_array_equal(Jc.eval({v: np.array([2.0, 3.0])}), np.diag([4.0, 9.0]))


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__errors_name_the_argument():
    v = pt.dvector("v")
    with pytest.raises(SpecTypeError, match=r"\[GRAD-JAC-1\] jacobian: expression must be a variable"):
        jacobian(np.ones(3), v)
    with pytest.raises(SpecTypeError, match=r"\[GRAD-JAC-1\] jacobian: wrt\[1\] must be a variable, got 3"):
        jacobian(v * 2, [v, 3])
    with pytest.raises(SpecTypeError, match="expression must have a float dtype, got int32"):
        jacobian(pt.ivector("i") * 2, v)


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__vectorize_true_gives_the_same_values():
    v = pt.dvector("v")
    value = np.array([4.0, 5.0])
    np.testing.assert_array_equal(jacobian(v ** 2, v, vectorize=True).eval({v: value}),
                                  jacobian(v ** 2, v).eval({v: value}))


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__integer_wrt_gives_float_zeros():
    v, i = pt.dvector("v"), pt.ivector("i")
    J = jacobian(v * pt.cast(i, "float64"), i)
    assert J.dtype == pytensor.config.floatX
    got = J.eval({v: np.array([1.0, 2.0]), i: np.array([3, 4], "int32")})
    np.testing.assert_array_equal(got, np.zeros((2, 2)))


@pytest.mark.rule("GRAD-JAC-1")
@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_jac_1__jacobian_through_a_scan():
    x, w = pt.dvector("x"), pt.dscalar("w")
    hs = pytensor.scan(lambda xt, h, w_: pt.tanh(w_ * h + xt), sequences=x,
                       outputs_info=pt.constant(0.1, dtype="float64"), non_sequences=w, return_updates=False)
    jx, jw = jacobian(hs, [x, w])
    xv, wv = np.array([0.3, -0.2, 0.5, 0.1]), 0.8

    def forward(xs, w_=wv):
        h, out = 0.1, []
        for xt in xs:
            h = np.tanh(w_ * h + xt)
            out.append(h)
        return np.array(out)

    got_x, got_w = pytensor.function([x, w], [jx, jw])(xv, wv)
    np.testing.assert_allclose(got_x, numeric_jacobian(forward, xv), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(got_w, numeric_jacobian(lambda a: forward(xv, a), np.array(wv)), rtol=1e-6, atol=1e-8)
    assert np.all(np.triu(got_x, 1) == 0)  # causal: h[t] does not depend on x[t+1:]


@pytest.mark.rule("GRAD-JAC-1")
def test_grad_jac_1__jacobian_of_an_intermediate_variable():
    x = pt.dvector("x")
    h = pt.sin(x)
    J = jacobian(h ** 2, h)
    xv = np.array([0.3, 1.1])
    np.testing.assert_allclose(J.eval({x: xv}), np.diag(2 * np.sin(xv)), rtol=1e-12)


@pytest.mark.rule("GRAD-JAC-2")
def test_grad_jac_2__hessian_of_a_quadratic_is_a_plus_a_transpose():
    v, A = pt.dvector("v"), pt.dmatrix("A")
    H = pt.hessian(v @ A @ v, v)
    assert H.type.shape == (None, None) and H.dtype == "float64"
    AA = RNG.normal(size=(4, 4))
    got = pytensor.function([v, A], H)(RNG.normal(size=4), AA)
    np.testing.assert_allclose(got, AA + AA.T, rtol=1e-12)


@pytest.mark.rule("GRAD-JAC-2")
def test_grad_jac_2__hessian_against_finite_differences():
    v, u = pt.dvector("v"), pt.dvector("u")
    cost = pt.exp(v).sum() * (u ** 2).sum() + (v[0] * u[1]) ** 3
    hv, hu = hessian(cost, [v, u])
    vv, uv = np.array([0.2, -0.4, 0.7]), np.array([0.5, 1.5])
    got_v, got_u = pytensor.function([v, u], [hv, hu])(vv, uv)
    grad_v = pytensor.function([v, u], pytensor.grad(cost, v))
    grad_u = pytensor.function([v, u], pytensor.grad(cost, u))
    np.testing.assert_allclose(got_v, numeric_jacobian(lambda a: grad_v(a, uv), vv), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(got_u, numeric_jacobian(lambda b: grad_u(vv, b), uv), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(got_v, got_v.T, rtol=1e-12)
    assert isinstance(hessian(cost, (v, u)), tuple)


@pytest.mark.rule("GRAD-JAC-2")
def test_grad_jac_2__linear_cost_has_a_zero_hessian_and_disconnected_handling():
    v, u = pt.dvector("v"), pt.dvector("u")
    np.testing.assert_array_equal(hessian((v * 2).sum(), v).eval({v: [1.0, 2.0]}), np.zeros((2, 2)))
    with pytest.raises(DisconnectedInputError):
        hessian((v ** 2).sum(), u)
    zeros = hessian((v ** 2).sum(), u, disconnected_inputs="ignore")
    got = pytensor.function([u], zeros)(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(got, np.zeros((3, 3)))


@pytest.mark.rule("GRAD-JAC-2")
def test_grad_jac_2__errors_name_the_argument():
    v, m, s = pt.dvector("v"), pt.dmatrix("m"), pt.dscalar("s")
    with pytest.raises(SpecTypeError, match=r"\[GRAD-JAC-2\] hessian: cost must be a variable"):
        hessian(1.0, v)
    with pytest.raises(SpecValueError, match=r"\[GRAD-JAC-2\] hessian: cost must be 0-d"):
        hessian(v ** 2, v)
    with pytest.raises(SpecValueError, match=r"hessian: wrt\[0\] must be a vector \(1-d\)"):
        hessian((m ** 2).sum(), m)
    with pytest.raises(SpecValueError, match=r"hessian: wrt\[1\] must be a vector"):
        hessian((v ** 2).sum() * s, [v, s])
    with pytest.raises(SpecTypeError, match=r"hessian: wrt\[0\] must be a variable"):
        hessian((v ** 2).sum(), ["v"])


@pytest.mark.rule("GRAD-JAC-3")
def test_grad_jac_3__hessian_vector_product():
    v, p = pt.dvector("v"), pt.dvector("p")
    A = RNG.normal(size=(3, 3))
    cost = pt.dot(v, pt.dot(pt.constant(A), v)) + (v ** 4).sum()
    hvp = hessian_vector_product(cost, v, p)
    vv, pv = RNG.normal(size=3), RNG.normal(size=3)
    got = pytensor.function([v, p], hvp)(vv, pv)
    full = A + A.T + np.diag(12 * vv ** 2)
    np.testing.assert_allclose(got, full @ pv, rtol=1e-12)
    H = pytensor.function([v], hessian(cost, v))(vv)
    np.testing.assert_allclose(got, H @ pv, rtol=1e-12)
    u, q = pt.dvector("u"), pt.dvector("q")
    both = hessian_vector_product((v ** 2).sum() * (u ** 2).sum(), [v, u], [p, q])
    assert isinstance(both, list) and len(both) == 2
    with pytest.raises(SpecValueError, match=r"\[GRAD-JAC-3\] hessian_vector_product: 2 wrt variable\(s\) but 1 p"):
        hessian_vector_product((v ** 2).sum() * (u ** 2).sum(), [v, u], [p])


@pytest.mark.rule("GRAD-JAC-1")
@pytest.mark.rule("GRAD-JAC-2")
def test_grad_jac_1__exported_names():
    assert pt.jacobian(pt.dvector("a") * 2, pt.dvector("b"), disconnected_inputs="ignore").ndim == 2
    for name in ("jacobian", "hessian", "hessian_vector_product"):
        assert name in pytensor.gradient.__all__
    assert pytensor.gradient.jacobian is jacobian


@pytest.mark.rule("GRAD-JAC-1")
@pytest.mark.rule("GRAD-JAC-2")
def test_grad_jac_1__values_and_static_shapes_match_pytensor():
    ptp = pytest.importorskip("pytensor")
    ptt = pytest.importorskip("pytensor.tensor")
    vv, AA = RNG.normal(size=3), RNG.normal(size=(3, 2))
    results = []
    for lib, tensor in ((pytensor, pt), (ptp, ptt)):
        v, A, v3 = tensor.dvector("v"), tensor.dmatrix("A"), tensor.dvector("v3", shape=(3,))
        outs = [*lib.gradient.jacobian(tensor.tanh(v @ A), [v, A]), lib.gradient.jacobian(v3 ** 2, v3),
                lib.gradient.jacobian(tensor.outer(v, v3), v3), lib.gradient.hessian((tensor.exp(v) * v3).sum(), v3)]
        shapes = [o.type.shape for o in outs]
        results.append((shapes, lib.function([v, A, v3], outs, on_unused_input="ignore")(vv, AA, vv)))
    assert results[0][0] == results[1][0]
    for ours, theirs in zip(results[0][1], results[1][1], strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
