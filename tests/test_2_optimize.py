"""Chapter 2, "Optimisation and root finding" (OP-OPTIMIZE-1 … OP-OPTIMIZE-5), and the
gradient of a solution by the implicit function theorem (GRAD-OPTIMIZE-1).

Values hard-coded below are PyTensor 3.3.7's (run on the same inputs with scipy 1.18);
the examples are those of PyTensor's root-finding notebook
(doc/gallery/optimize/root.ipynb) and of the spec.  scipy's iterations may differ in the
last bits between scipy versions, so hard-coded values are compared to 1e-12; the live
comparisons with PyTensor (same scipy, same process) are bit for bit, and skip where
PyTensor is not installed.
"""

import warnings

import numpy as np
import pytest
import scipy.optimize

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError, SpecValueError
from reference.testing import verify_grad

opt = pt.optimize


def run(inputs, outputs, *values):
    return pytensor.function(list(inputs), list(outputs))(*values)


def close(got, expected, rtol=1e-12):
    np.testing.assert_allclose(np.asarray(got, dtype=float), expected, rtol=rtol, atol=1e-15)


def notebook_system(x, a=1.0):
    """The notebook's first system: x² - y - 1 = 0, x - y² + 1 = 0 (a = 1)."""
    return pt.stack([x[0] ** 2 - x[1] - a, x[0] - x[1] ** 2 + a])


# -- OP-OPTIMIZE-1: the problem ----------------------------------------------------------------
@pytest.mark.rule("OP-OPTIMIZE-1")
def test_op_optimize_1__module_is_importable_as_pytensors():
    import reference.tensor

    assert reference.tensor.optimize.minimize is opt.minimize
    from reference.tensor.optimize import minimize, minimize_scalar, root, root_scalar  # noqa: F401

    assert set(opt.__all__) == {"minimize", "minimize_scalar", "root", "root_scalar"}


@pytest.mark.rule("OP-OPTIMIZE-1")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_op_optimize_1__solution_has_x_type_and_success_is_0d_bool(dtype):
    x, c = pt.vector(name="x", dtype=dtype), pt.vector(name="c", dtype=dtype)
    y, b = pt.scalar(name="y", dtype=dtype), pt.scalar(name="b", dtype=dtype)
    cases = [opt.minimize(((x - c) ** 2).sum(), x), opt.root(x - c, x),
             opt.minimize_scalar((y - b) ** 2, y), opt.root_scalar(y - b, y)]
    for (solution, success), var in zip(cases, [x, x, y, y], strict=True):
        assert solution.type == var.type
        assert success.type == pt.TensorType("bool", ())


@pytest.mark.rule("OP-OPTIMIZE-1")
def test_op_optimize_1__parameters_are_the_truncated_inputs_without_x_and_constants():
    x, a, b = pt.dscalar("x"), pt.dscalar("a"), pt.dscalar("b")
    objective = (x - a * b) ** 2 + pt.exp(pt.constant(2.0) * b) + pt.exp(pt.constant(1.0))
    solution, _ = opt.minimize(objective, x)
    node = solution.owner
    assert node.inputs[0] is x
    # PyTensor 3.3.7: [x, Exp.0, Mul.0] (the subgraphs not depending on x are parameters)
    assert [str(v.owner.op) if v.owner else v.name for v in node.inputs[1:]] == [
        str(objective.owner.inputs[0].owner.inputs[1].owner.op), str((a * b).owner.op)]
    assert len(node.inputs) == 3


@pytest.mark.rule("OP-OPTIMIZE-1")
def test_op_optimize_1__several_variables_are_packed_and_unpacked():
    y, z, b = pt.dscalar("y"), pt.dvector("z"), pt.dscalar("b")
    solutions, success = opt.minimize((y - b) ** 2 + ((z - 2 * b) ** 2).sum() + y ** 4, [y, z])
    assert isinstance(solutions, list)
    assert [s.type for s in solutions] == [y.type, z.type]
    g = pytensor.grad(solutions[0] + solutions[1].sum(), b)
    sy, sz, ok, gb = run([y, z, b], [*solutions, success, g], 0.0, [0.0, 0.0], 1.0)
    # PyTensor 3.3.7's values
    close(sy, 0.5897546150565489, rtol=1e-9)
    close(sz, [2.000000021340621, 2.000000021340621], rtol=1e-9)
    assert ok
    close(gb, 4.3239534726275775, rtol=1e-8)


@pytest.mark.rule("OP-OPTIMIZE-1")
def test_op_optimize_1__a_matrix_variable_is_packed():
    x, a = pt.dmatrix("x"), pt.dscalar("a")
    solution, success = opt.minimize(((x - a) ** 2).sum() + (x ** 4).sum(), x)
    [solution] = solution
    assert solution.type == x.type
    value, ok = run([x, a], [solution, success], np.zeros((2, 3)), 1.0)
    assert value.shape == (2, 3) and ok
    np.testing.assert_allclose(value, 0.5897546, rtol=1e-6)


@pytest.mark.rule("OP-OPTIMIZE-1")
def test_op_optimize_1__errors_name_the_argument():
    x, y, a = pt.dvector("x"), pt.dscalar("y"), pt.dscalar("a")
    with pytest.raises(SpecValueError, match="objective must be a scalar"):
        opt.minimize(x ** 2, x)
    with pytest.raises(SpecValueError, match="x .* must be an input"):
        opt.minimize(a ** 2, x)
    with pytest.raises(SpecTypeError, match="x must have a float dtype"):
        opt.minimize_scalar(a ** 2, pt.iscalar("i"))
    with pytest.raises(SpecValueError, match="x must be a 0-d tensor"):
        opt.minimize_scalar((x ** 2).sum(), x)
    with pytest.raises(SpecValueError, match="variable must be a 0-d tensor"):
        opt.root_scalar((x ** 2).sum(), x)
    with pytest.raises(SpecValueError, match="equation must be a scalar"):
        opt.root_scalar(x ** 2, y)
    with pytest.raises(SpecTypeError, match="x must be a tensor variable"):
        opt.minimize(a ** 2, 3.0)
    with pytest.raises(SpecValueError, match="pass bracket as an argument"):
        opt.minimize_scalar((y - a) ** 2, y, bracket=[0, 1], optimizer_kwargs={"bracket": (0, 1)})
    with pytest.raises(SpecValueError, match="same number of axes"):
        opt.root((x ** 2).sum(), x)
    with pytest.raises(ValueError):  # a ValueError, as PyTensor's
        opt.minimize(x ** 2, x)


# -- OP-OPTIMIZE-2: minimize -------------------------------------------------------------------
def rosen(x, a, b):
    return ((a - x[:-1]) ** 2 + b * (x[1:] - x[:-1] ** 2) ** 2).sum()


@pytest.mark.rule("OP-OPTIMIZE-2")
def test_op_optimize_2__minimize_spec_example_has_pytensors_values():
    x, c = pt.dvector("x"), pt.dvector("c")
    solution, success = opt.minimize(((x - c) ** 2).sum() + (x ** 4).sum(), x)
    value, ok, g = run([x, c], [solution, success, pytensor.grad(solution.sum(), c)], [0.0, 0.0], [1.0, 2.0])
    close(value, [0.5897546409595775, 0.8351224662951945])
    assert ok.dtype == bool and ok.shape == () and ok
    close(g, [0.3239534533892015, 0.19287975875119986])


@pytest.mark.rule("OP-OPTIMIZE-2")
@pytest.mark.parametrize("method,jac,hess", [("BFGS", True, False), ("Newton-CG", True, True),
                                             ("trust-exact", True, True), ("Nelder-Mead", False, False),
                                             ("L-BFGS-B", True, False)])
def test_op_optimize_2__minimize_is_the_scipy_call_on_the_inner_graph(method, jac, hess):
    x, a, b = pt.dvector("x"), pt.dscalar("a"), pt.dscalar("b")
    solution, success = opt.minimize(rosen(x, a, b), x, method=method, jac=jac, hess=hess)
    got, ok = run([x, a, b], [solution, success], np.zeros(3), 1.0, 10.0)
    expected = scipy.optimize.minimize(
        fun=(lambda v: (scipy.optimize.rosen(v), scipy.optimize.rosen_der(v))) if jac else scipy.optimize.rosen,
        x0=np.zeros(3), jac=jac, hess=scipy.optimize.rosen_hess if hess else None, method=method)
    # the same method from the same start: the same minimum (the objectives differ in b)
    assert bool(ok) == bool(expected.success) or method == "Nelder-Mead"
    np.testing.assert_allclose(got, 1.0, atol=1e-3)


@pytest.mark.rule("OP-OPTIMIZE-2")
def test_op_optimize_2__scalar_x_and_optimizer_kwargs():
    y, c = pt.dscalar("y"), pt.dvector("c")
    solution, success = opt.minimize(((y - c) ** 2).sum() + pt.exp(y), y)
    value, ok, g = run([y, c], [solution, success, pytensor.grad(solution, c)], 0.0, [1.0, 2.0])
    assert value.shape == () and ok
    close(value, 0.890758114655135)  # PyTensor 3.3.7
    close(g, [0.3107048802842346, 0.3107048802842346])
    solution, success = opt.minimize(((y - c) ** 2).sum() + pt.exp(y), y, optimizer_kwargs={"options": {"maxiter": 1}})
    assert not run([y, c], [success], 0.0, [1.0, 2.0])[0]


# -- OP-OPTIMIZE-3: minimize_scalar ------------------------------------------------------------
@pytest.mark.rule("OP-OPTIMIZE-3")
def test_op_optimize_3__minimize_scalar_has_pytensors_values():
    y, b = pt.dscalar("y"), pt.dscalar("b")
    solution, success = opt.minimize_scalar((y - b) ** 2 + pt.cos(y), y)
    value, ok, g = run([y, b], [solution, success, pytensor.grad(solution, b)], 0.0, 3.0)
    assert ok
    close([value, g], [3.0471507752140785, 0.667658433311785])
    expected = scipy.optimize.minimize_scalar(lambda v: (v - 3.0) ** 2 + np.cos(v), method="brent")
    close(value, expected.x)


@pytest.mark.rule("OP-OPTIMIZE-3")
def test_op_optimize_3__symbolic_bounds_and_bracket():
    y, b, lo = pt.dscalar("y"), pt.dscalar("b"), pt.dscalar("lo")
    solution, success = opt.minimize_scalar((y - b) ** 2 + pt.cos(y), y, method="bounded", bounds=[lo, 1.0])
    value, ok, g = run([y, b, lo], [solution, success, pytensor.grad(solution, b)], 0.0, 3.0, 0.0)
    assert ok
    close([value, g], [0.9999940391390134, 1.370151422830941])  # PyTensor 3.3.7
    assert pytensor.grad(solution, lo, disconnected_inputs="ignore", return_disconnected="none") is None
    solution, success = opt.minimize_scalar((y - b) ** 2 + pt.cos(y), y, bracket=(b - 1, b + 1))
    value, ok = run([y, b], [solution, success], 0.0, 3.0)
    assert ok
    close(value, scipy.optimize.minimize_scalar(lambda v: (v - 3.0) ** 2 + np.cos(v), bracket=(2.0, 4.0)).x)


# -- OP-OPTIMIZE-4: root -----------------------------------------------------------------------
@pytest.mark.rule("OP-OPTIMIZE-4")
@pytest.mark.parametrize("x0,expected", [
    ([1.0, 1.0], [1.618033988749895, 1.618033988749895]),
    ([-1.0, -1.0], [-0.6180339887498948, -0.6180339887498949]),
    ([0.0, 0.0], [-0.6180339887498949, -0.6180339887498948]),
    ([-2.0, 1.0], [-0.9999999999999999, -1.760130811228809e-16]),
])
def test_op_optimize_4__root_of_the_notebooks_system_has_pytensors_values(x0, expected):
    x = pt.dvector("x")
    solution, success = opt.root(notebook_system(x), x)
    value, ok = run([x], [solution, success], x0)
    assert ok
    close(value, expected, rtol=1e-12)


@pytest.mark.rule("OP-OPTIMIZE-4")
@pytest.mark.parametrize("method", ["hybr", "lm", "broyden1"])
def test_op_optimize_4__root_methods_and_jac_false(method):
    x = pt.dvector("x")
    solution, success = opt.root(notebook_system(x), x, method=method, jac=method != "broyden1")
    if method == "broyden1":  # scipy warns for jac=False too, as under PyTensor (which passes it)
        with pytest.warns(RuntimeWarning, match="does not use the jacobian"):
            value, ok = run([x], [solution, success], [1.0, 1.0])
    else:
        value, ok = run([x], [solution, success], [1.0, 1.0])
    assert ok  # a root (broyden1 finds (-1, 0))
    np.testing.assert_allclose(run([x], [notebook_system(x)], value)[0], 0.0, atol=1e-5)
    # jac=False with "hybr" works (PyTensor 3.3.7 hands scipy a list and fails)
    solution, success = opt.root(notebook_system(x), x, jac=False)
    np.testing.assert_allclose(run([x], [solution], [1.0, 1.0])[0], (1 + 5 ** 0.5) / 2, rtol=1e-12)


@pytest.mark.rule("OP-OPTIMIZE-4")
def test_op_optimize_4__root_of_a_scalar_variable():
    y, b = pt.dscalar("y"), pt.dscalar("b")
    solution, success = opt.root(y ** 3 - b, y)
    value, ok = run([y, b], [solution, success], 1.0, 8.0)
    assert value.shape == () and ok
    np.testing.assert_allclose(value, 2.0, rtol=1e-12)


# -- OP-OPTIMIZE-5: root_scalar ----------------------------------------------------------------
@pytest.mark.rule("OP-OPTIMIZE-5")
@pytest.mark.parametrize("kwargs,expected,expected_grad", [
    ({}, 1.9999999999999947, 0.08333333333333377),
    ({"method": "brentq", "bracket": "symbolic"}, 2.000000000000004, 0.083333333333333),
    ({"method": "newton", "jac": True}, 2.0, 0.08333333333333333),
])
def test_op_optimize_5__root_scalar_has_pytensors_values(kwargs, expected, expected_grad):
    y, b = pt.dscalar("y"), pt.dscalar("b")
    if kwargs.get("bracket") == "symbolic":
        kwargs = {**kwargs, "bracket": [0.0, b]}
    solution, success = opt.root_scalar(y ** 3 - b, y, **kwargs)
    value, ok, g = run([y, b], [solution, success, pytensor.grad(solution, b)], 1.0, 8.0)
    assert ok
    close([value, g], [expected, expected_grad])


@pytest.mark.rule("OP-OPTIMIZE-5")
def test_op_optimize_5__failure_flag_hess_and_errors():
    y, b = pt.dscalar("y"), pt.dscalar("b")
    solution, success = opt.root_scalar(y ** 2 + b, y, optimizer_kwargs={"maxiter": 5})
    value, ok = run([y, b], [solution, success], 1.0, 1.0)
    assert not ok
    close(value, 1.0016011211215397, rtol=1e-9)  # PyTensor 3.3.7
    solution, success = opt.root_scalar(y ** 3 - b, y, method="halley", jac=True, hess=True)
    np.testing.assert_allclose(run([y, b], [solution], 1.0, 8.0)[0], 2.0, rtol=1e-14)
    with pytest.raises(SpecValueError, match="hess=True needs jac=True"):
        opt.root_scalar(y ** 3 - b, y, hess=True)
    solution, _ = opt.root_scalar(y ** 3 - b, y, method="no such method")
    with pytest.raises(ValueError):
        run([y, b], [solution], 1.0, 8.0)


# -- GRAD-OPTIMIZE-1: the implicit function theorem --------------------------------------------
@pytest.mark.rule("GRAD-OPTIMIZE-1")
def test_grad_optimize_1__root_gradient_is_pytensors():
    x, a = pt.dvector("x"), pt.dscalar("a")
    solution, _ = opt.root(notebook_system(x, a), x)
    g = pytensor.grad(solution.sum(), a)
    close(run([x, a], [g], [1.0, 1.0], 1.0)[0], 0.8944271909999159)  # PyTensor 3.3.7


@pytest.mark.rule("GRAD-OPTIMIZE-1")
def test_grad_optimize_1__verify_grad_root_and_minimize():
    rng = np.random.default_rng(0)

    def root_solution(x0, a, c):
        solution, _ = opt.root(pt.stack([x0[0] ** 3 + x0[1] - a, x0[1] * c[0] - x0[0] + c[1]]), x0)
        return solution

    verify_grad(root_solution, [np.array([1.0, 1.0]), np.array(2.0), np.array([3.0, 0.5])], rng=rng)

    def minimum(x0, c, m):
        solution, _ = opt.minimize(((x0 - c) ** 2).sum() + (m @ x0) ** 4, x0, method="trust-exact", hess=True,
                                   optimizer_kwargs={"tol": 1e-12})
        return solution

    verify_grad(minimum, [np.zeros(2), np.array([1.0, 2.0]), np.array([0.3, -0.2])], rng=rng,
                abs_tol=1e-6, rel_tol=1e-6)

    def scalar_minimum(y0, b):
        solution, _ = opt.minimize_scalar((y0 - b) ** 2 + pt.cos(y0), y0, optimizer_kwargs={"tol": 1e-12})
        return solution

    # brent locates a minimum to about sqrt(machine epsilon): wider finite differences
    verify_grad(scalar_minimum, [np.array(0.0), np.array(3.0)], rng=rng, eps=1e-3, abs_tol=1e-4, rel_tol=1e-4)


@pytest.mark.rule("GRAD-OPTIMIZE-1")
def test_grad_optimize_1__disconnected_parameters_starting_point_and_second_derivative():
    x, c, b = pt.dvector("x"), pt.dvector("c"), pt.dscalar("b")
    solution, success = opt.minimize(((x - c) ** 2).sum() + b, x)  # b only shifts the objective
    g = pytensor.function([x, c, b], pytensor.grad(solution.sum(), b), on_unused_input="ignore")
    assert g([0.0, 0.0], [1.0, 2.0], 0.0) == 0.0  # PyTensor 3.3.7: 0.0
    y = pt.dscalar("y")
    solution, _ = opt.minimize_scalar((y - b) ** 2, y, bounds=[b - 1, b + 1], method="bounded")
    assert pytensor.grad(solution, b, disconnected_inputs="ignore", return_disconnected="none") is not None
    [lo_grad] = solution.owner.op.pullback(solution.owner, [pt.constant(1.0), None])[-1:]
    assert lo_grad is None  # the interval gets no cotangent
    solution, success = opt.minimize(((x - c) ** 2).sum() + b, x)
    g = pytensor.function([x], pytensor.grad(solution.sum(), x), on_unused_input="ignore")
    assert g([0.5, 0.5]).tolist() == [0, 0]  # the starting point gets zeros
    solution, _ = opt.root_scalar(y ** 3 - b, y, method="newton", jac=True)
    d1 = pytensor.grad(solution, b)
    d2 = pytensor.grad(d1, b)
    v1, v2 = run([y, b], [d1, d2], 1.0, 8.0)
    np.testing.assert_allclose([v1, v2], [1 / 12, -2 / 9 * 8.0 ** (-5 / 3)], rtol=1e-12)


# -- PyTensor ----------------------------------------------------------------------------------
def _build(which, T, *ins):
    o = T.optimize
    if which == "minimize_scalar":
        return o.minimize_scalar((ins[0] - ins[1]) ** 2 + T.cos(ins[0]), ins[0])
    if which == "minimize_bounded":
        return o.minimize_scalar((ins[0] - ins[1]) ** 2 + T.cos(ins[0]), ins[0], method="bounded",
                                 bounds=[ins[1] - 2, ins[1] + 2])
    if which == "minimize":
        x, a, b = ins
        return o.minimize(((a - x[:-1]) ** 2 + b * (x[1:] - x[:-1] ** 2) ** 2).sum(), x)
    if which == "minimize_hess":
        x, a, b = ins
        return o.minimize(((a - x[:-1]) ** 2 + b * (x[1:] - x[:-1] ** 2) ** 2).sum(), x, method="trust-exact",
                          hess=True)
    if which == "root":
        x, a = ins
        return o.root(T.stack([x[0] ** 2 - x[1] - a, x[0] - x[1] ** 2 + a]), x)
    if which == "root_lm":
        x, a = ins
        return o.root(T.stack([x[0] ** 2 - x[1] - a, x[0] - x[1] ** 2 + a]), x, method="lm")
    if which == "root_scalar":
        return o.root_scalar(ins[0] ** 3 - ins[1], ins[0])
    if which == "root_scalar_halley":
        return o.root_scalar(ins[0] ** 3 - ins[1], ins[0], method="halley", jac=True, hess=True)
    raise AssertionError(which)


_CASES = {
    "minimize_scalar": [np.float64(0.0), np.float64(3.0)],
    "minimize_bounded": [np.float64(0.0), np.float64(3.0)],
    "minimize": [np.zeros(3), np.float64(1.0), np.float64(10.0)],
    "minimize_hess": [np.zeros(3), np.float64(1.0), np.float64(10.0)],
    "root": [np.array([1.0, 1.0]), np.float64(1.0)],
    "root_lm": [np.array([-2.0, 1.0]), np.float64(1.0)],
    "root_scalar": [np.float64(1.0), np.float64(8.0)],
    "root_scalar_halley": [np.float64(1.0), np.float64(8.0)],
}


@pytest.mark.rule("OP-OPTIMIZE-2", "OP-OPTIMIZE-3", "OP-OPTIMIZE-4", "OP-OPTIMIZE-5", "GRAD-OPTIMIZE-1")
@pytest.mark.parametrize("which", sorted(_CASES))
def test_op_optimize__values_dtypes_shapes_and_gradients_same_as_pytensor(which):
    ptn = pytest.importorskip("pytensor")
    ptt = pytest.importorskip("pytensor.tensor")
    args = _CASES[which]
    ours_in = [pt.tensor(name=f"i{k}", dtype="float64", shape=(None,) * np.ndim(v)) for k, v in enumerate(args)]
    theirs_in = [ptt.tensor(f"i{k}", dtype="float64", shape=(None,) * np.ndim(v)) for k, v in enumerate(args)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = _build(which, pt, *ours_in), _build(which, ptt, *theirs_in)
        assert ours[0].type.dtype == theirs[0].type.dtype and ours[0].type.shape == theirs[0].type.shape
        cost_o, cost_t = (ours[0] ** 2).sum(), (theirs[0] ** 2).sum()
        got = pytensor.function(ours_in, [ours[0], ours[1], *pytensor.grad(cost_o, ours_in[1:])])(*args)
        expected = ptn.function(theirs_in, [theirs[0], theirs[1], *ptn.grad(cost_t, theirs_in[1:])],
                                mode="FAST_COMPILE")(*args)
    for g, e in zip(got, expected, strict=True):
        g, e = np.asarray(g), np.asarray(e)
        assert g.dtype == e.dtype and g.shape == e.shape
        assert np.array_equal(g, e), (which, g, e)
