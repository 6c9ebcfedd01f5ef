"""Chapter 2, the functional random-variable API ``pt.random.<dist>(..., rng=rng)`` (RAND-FUNC-*).

Every case is checked against numpy's ``Generator`` directly (the computation each rule
names), bit for bit; the optional differential test at the end replays the same cases in
PyTensor when it is installed.
"""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError, SpecValueError
from reference.graph.shared import SharedVariable
from reference.tensor.random import FUNCTIONAL, RandomStream
from reference.tensor.random import _numpy_draws as draws


def fresh(seed=0):
    return pytensor.shared(np.random.default_rng(seed))


def run(x, rng):
    next_rng, draw = x.owner.outputs
    assert draw is x
    f = pytensor.function([], x, updates={rng: next_rng})
    return f, f()


# program, numpy expectation from a Generator g, dtype, static shape
CASES = [
    ("normal(1.0, 2.0, size=(3,), rng=r)", lambda g: g.normal(1.0, 2.0, (3,)), "float64", (3,)),
    ("normal(np.zeros((2, 1)), np.ones(3), rng=r)", lambda g: g.normal(np.zeros((2, 1)), np.ones(3)), "float64", (2, 3)),
    ("standard_normal(size=(2,), rng=r)", lambda g: g.normal(0.0, 1.0, (2,)), "float64", (2,)),
    ("normal(0.0, 1.0, size=(2,), dtype='float32', rng=r)", lambda g: g.normal(0, 1, (2,)).astype("float32"), "float32", (2,)),
    ("uniform(-1.0, 2.0, size=(4,), rng=r)", lambda g: g.uniform(-1.0, 2.0, (4,)), "float64", (4,)),
    ("binomial(10, 0.3, size=(5,), rng=r)", lambda g: g.binomial(10, 0.3, (5,)), "int64", (5,)),
    ("bernoulli(0.3, size=(6,), rng=r)", lambda g: g.binomial(1, 0.3, (6,)), "int64", (6,)),
    ("poisson(np.array([1.0, 2.0, 30.0]), rng=r)", lambda g: g.poisson([1.0, 2.0, 30.0]), "int64", (3,)),
    ("integers(5, size=(4,), rng=r)", lambda g: g.integers(0, 5, (4,)), "int64", (4,)),
    ("integers(2, 9, size=(2, 3), rng=r)", lambda g: g.integers(2, 9, (2, 3)), "int64", (2, 3)),
    ("choice(5, size=(3,), rng=r)", lambda g: g.integers(0, 5, (3,)), "int64", (3,)),
    ("beta(2.0, 3.0, size=(4,), rng=r)", lambda g: g.beta(2.0, 3.0, (4,)), "float64", (4,)),
    ("gamma(2.0, scale=3.0, size=(4,), rng=r)", lambda g: g.gamma(2.0, 3.0, (4,)), "float64", (4,)),
    ("chisquare(3, size=(3,), rng=r)", lambda g: g.gamma(1.5, 2.0, (3,)), "float64", (3,)),
    ("exponential(2.0, size=(3,), rng=r)", lambda g: g.exponential(2.0, (3,)), "float64", (3,)),
    ("lognormal(0.5, 0.2, size=(3,), rng=r)", lambda g: g.lognormal(0.5, 0.2, (3,)), "float64", (3,)),
    ("geometric(0.3, size=(5,), rng=r)", lambda g: g.geometric(0.3, (5,)), "int64", (5,)),
    ("hypergeometric(5, 6, 3, size=(4,), rng=r)", lambda g: g.hypergeometric(5, 6, 3, (4,)), "int64", (4,)),
    ("laplace(1.0, 2.0, size=(3,), rng=r)", lambda g: g.laplace(1.0, 2.0, (3,)), "float64", (3,)),
    ("logistic(1.0, 2.0, size=(3,), rng=r)", lambda g: g.logistic(1.0, 2.0, (3,)), "float64", (3,)),
    ("negative_binomial(3, 0.4, size=(5,), rng=r)", lambda g: g.negative_binomial(3, 0.4, (5,)), "int64", (5,)),
    ("vonmises(0.5, 2.0, size=(4,), rng=r)", lambda g: g.vonmises(0.5, 2.0, (4,)), "float64", (4,)),
    ("weibull(1.5, size=(4,), rng=r)", lambda g: g.weibull(1.5, (4,)), "float64", (4,)),
    ("wald(1.0, 2.0, size=(4,), rng=r)", lambda g: g.wald(1.0, 2.0, (4,)), "float64", (4,)),
    ("triangular(0.0, 1.0, 3.0, size=(4,), rng=r)", lambda g: g.triangular(0.0, 1.0, 3.0, (4,)), "float64", (4,)),
    ("t(3.0, 1.0, 2.0, size=(4,), rng=r)", lambda g: g.standard_t(3.0, (4,)) * 2.0 + 1.0, "float64", (4,)),
    ("halfnormal(1.0, 3.0, size=(4,), rng=r)", lambda g: abs(g.standard_normal((4,))) * 3.0 + 1.0, "float64", (4,)),
    ("gumbel(0.5, 2.0, size=(5,), rng=r)", lambda g: -np.log(-np.log(g.uniform(size=(5,)))) * 2.0 + 0.5, "float64", (5,)),
    ("pareto(3.0, 2.0, size=(5,), rng=r)", lambda g: pow(1 - g.uniform(size=(5,)), -1.0 / np.float32(3.0)) * 2.0, "float64", (5,)),
    ("cauchy(0.5, 2.0, size=(6,), rng=r)", lambda g: draws._cauchy_standard(g, (6,)) * 2.0 + 0.5, "float64", (6,)),
    ("dirichlet(np.array([1.0, 2.0, 3.0]), rng=r)", lambda g: g.dirichlet([1.0, 2.0, 3.0]), "float64", (3,)),
    ("dirichlet(np.array([1.0, 2.0]), size=(3,), rng=r)", lambda g: np.array([g.dirichlet([1.0, 2.0]) for _ in range(3)]), "float64", (3, 2)),
    ("multinomial(5, np.array([0.2, 0.3, 0.5]), rng=r)", lambda g: g.multinomial(5, [0.2, 0.3, 0.5]), "int64", (3,)),
    ("multinomial(np.array([5, 10]), np.array([0.2, 0.8]), rng=r)", lambda g: np.array([g.multinomial(5, [0.2, 0.8]), g.multinomial(10, [0.2, 0.8])]), "int64", (2, 2)),
    ("multivariate_normal(np.array([1.0, 2.0]), np.array([[2.0, 0.5], [0.5, 1.0]]), size=(4,), rng=r)",
     lambda g: g.normal(size=(4, 2)) @ np.linalg.cholesky([[2.0, 0.5], [0.5, 1.0]]).T + [1.0, 2.0], "float64", (4, 2)),
    ("permutation(6, rng=r)", lambda g: g.permutation(6).astype("int8"), "int8", (6,)),
    ("permutation(np.arange(12.0).reshape(4, 3), rng=r)", lambda g: g.permutation(np.arange(12.0).reshape(4, 3)), "float64", (4, 3)),
    ("categorical(np.array([0.2, 0.3, 0.5]), size=(5,), rng=r)",
     lambda g: np.searchsorted(np.cumsum([0.2, 0.3, 0.5]), g.uniform(size=(5,))), "int64", (5,)),
]


@pytest.mark.rule("RAND-FUNC-1")
@pytest.mark.rule("RAND-FUNC-2")
@pytest.mark.rule("RAND-FUNC-3")
@pytest.mark.rule("RAND-FUNC-4")
@pytest.mark.parametrize("program,expect,dtype,shape", CASES, ids=[c[0].split("(")[0] + str(i) for i, c in enumerate(CASES)])
def test_rand_func__values_equal_numpy_generator(program, expect, dtype, shape):
    for seed in (0, 7):
        r = fresh(seed)
        x = eval("pt.random." + program, {"pt": pt, "np": np, "r": r})  # noqa: S307 - fixed programs
        assert x.dtype == dtype and tuple(x.type.shape) == shape
        f, got = run(x, r)
        g = np.random.default_rng(seed)
        expected = np.asarray(expect(g), dtype=dtype)
        if "multivariate" in program:
            np.testing.assert_allclose(got, expected, rtol=1e-12)
        else:
            assert got.dtype == expected.dtype and got.shape == expected.shape
            np.testing.assert_array_equal(got, expected)
        # the update advanced the shared generator exactly as the numpy draws advanced g
        assert r.get_value().bit_generator.state == g.bit_generator.state
        second = np.asarray(expect(g), dtype=dtype)
        if "multivariate" not in program:
            np.testing.assert_array_equal(f(), second)


@pytest.mark.rule("RAND-FUNC-1")
def test_rand_func_1__outputs_are_next_rng_then_draw_and_no_update_repeats():
    r = fresh(3)
    x = pt.random.normal(0, 1, size=(2,), rng=r)
    next_rng, draw = x.owner.outputs
    assert draw is x and str(next_rng.type) == "RandomGeneratorType"
    f = pytensor.function([], x)
    np.testing.assert_array_equal(f(), f())
    assert r.get_value().bit_generator.state == np.random.default_rng(3).bit_generator.state
    pair = pt.random.normal(0, 1, rng=r, return_next_rng=True)
    assert pair[0] is pair[1].owner.outputs[0]


@pytest.mark.rule("RAND-FUNC-1")
def test_rand_func_1__rng_none_is_a_fresh_shared_generator_per_call():
    x, y = pt.random.normal(size=(2,)), pt.random.normal(size=(2,))
    assert x.owner.inputs[0] is not y.owner.inputs[0]
    assert isinstance(x.owner.inputs[0], SharedVariable)
    assert x.owner.inputs[0].default_update is None
    f = pytensor.function([], x)
    np.testing.assert_array_equal(f(), f())


@pytest.mark.rule("RAND-FUNC-1")
def test_rand_func_1__symbolic_generator_input():
    from reference.graph.shared import RandomGeneratorType

    r = RandomGeneratorType().make_variable(None, None)
    x = pt.random.uniform(size=(3,), rng=r)
    f = pytensor.function([r], x)
    np.testing.assert_array_equal(f(np.random.default_rng(5)), np.random.default_rng(5).uniform(size=3))


@pytest.mark.rule("RAND-FUNC-1")
def test_rand_func_1__errors_name_the_argument():
    with pytest.raises(SpecTypeError, match=r"normal\(rng\).*shared"):
        pt.random.normal(rng=np.random.default_rng(0))
    with pytest.raises(SpecTypeError, match="RAND-FUNC-1"):
        pt.random.normal(0, 1, (2,), 5, rng=fresh())
    with pytest.raises(SpecTypeError, match="missing"):
        pt.random.beta(1.0, rng=fresh())
    with pytest.raises(SpecValueError, match="RAND-SHAPE-1"):
        pt.random.normal(np.zeros((2, 3)), 1.0, size=(3,), rng=fresh())
    with pytest.raises(SpecValueError, match="RAND-DTYPE-1"):
        pt.random.normal(0, 1, dtype="int64", rng=fresh())
    with pytest.raises(SpecValueError, match="RAND-SHAPE-1"):
        pt.random.dirichlet(1.0, rng=fresh())
    x = pt.random.t(-1.0, rng=fresh())
    with pytest.raises(SpecValueError, match="RAND-DRAW-1"):
        pytensor.function([], x)()


@pytest.mark.rule("RAND-FUNC-2")
def test_rand_func_2__gamma_scale_or_rate():
    with pytest.raises(SpecValueError, match="not both"):
        pt.random.gamma(1.0, rate=2.0, scale=2.0, rng=fresh())
    with pytest.raises(SpecValueError, match="give scale"):
        pt.random.gamma(1.0, rng=fresh())
    with pytest.warns(FutureWarning):
        x = pt.random.gamma(2.0, rate=4.0, size=(3,), rng=fresh())
    np.testing.assert_array_equal(pytensor.function([], x)(), np.random.default_rng(0).gamma(2.0, 0.25, 3))


@pytest.mark.rule("RAND-FUNC-3")
def test_rand_func_3__zero_scale_draws_nothing():
    r = fresh()
    x = pt.random.halfnormal(2.0, 0.0, size=(2,), rng=r)
    f, got = run(x, r)
    np.testing.assert_array_equal(got, [2.0, 2.0])
    assert r.get_value().bit_generator.state == np.random.default_rng(0).bit_generator.state


@pytest.mark.rule("RAND-SHAPE-1")
def test_rand_shape_1__support_axes_and_unknown_lengths():
    mean = pt.dvector("mean")
    x = pt.random.multivariate_normal(mean, np.eye(3), size=(4,), rng=fresh())
    assert tuple(x.type.shape) == (4, 3)
    p = pt.dmatrix("p")
    assert tuple(pt.random.multinomial(5, p, rng=fresh()).type.shape) == (None, None)
    assert tuple(pt.random.permutation(pt.lscalar("n"), rng=fresh()).type.shape) == (None,)
    assert draws.output_ndim("dirichlet", [2], None) == 2


@pytest.mark.rule("RAND-FUNC-5")
def test_rand_func_5__random_stream_has_every_distribution():
    srng = RandomStream(11)
    for name in FUNCTIONAL:
        assert callable(getattr(srng, name)), name
    x = srng.gamma(2.0, scale=1.5, size=(3,))
    y = srng.dirichlet(np.ones(3))
    f = pytensor.function([], [x, y])
    children = np.random.SeedSequence(11).spawn(2)
    gx, gy = (np.random.default_rng(c) for c in children)
    for _ in range(2):
        a, b = f()
        np.testing.assert_array_equal(a, gx.gamma(2.0, 1.5, 3))
        np.testing.assert_array_equal(b, gy.dirichlet(np.ones(3)))
    srng.seed(11)
    np.testing.assert_array_equal(f()[0], np.random.default_rng(children[0]).gamma(2.0, 1.5, 3))


# -- optional: the same programs in PyTensor -----------------------------------------------
@pytest.mark.rule("RAND-FUNC-2")
@pytest.mark.parametrize("program", [c[0] for c in CASES])
def test_rand_func_2__differential_against_pytensor(program):
    real = pytest.importorskip("pytensor")
    import pytensor.tensor as real_pt

    mode = real.compile.mode.Mode(linker="py", optimizer=None)
    r_real, r_ref = real.shared(np.random.default_rng(2)), fresh(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x_real = eval("pt.random." + program, {"pt": real_pt, "np": np, "r": r_real})  # noqa: S307
    x_ref = eval("pt.random." + program, {"pt": pt, "np": np, "r": r_ref})  # noqa: S307
    got = run(x_ref, r_ref)[1]
    want = real.function([], x_real, updates={r_real: x_real.owner.outputs[0]}, mode=mode)()
    assert got.dtype == want.dtype and tuple(x_ref.type.shape) == tuple(x_real.type.shape)
    np.testing.assert_array_equal(got, want)
