"""Chapter 2, the rest of ``pt.random`` (RAND-FUNC-6, RAND-FUNC-7, RAND-UTILS-*, RAND-TYPE-1):
the distributions ``betabinom``, ``gengamma``, ``halfcauchy``, ``invgamma``, ``truncexpon``
and the alias ``nbinom``; PyTensor's class names; ``pytensor.tensor.random.utils``'s
helpers; ``pytensor.tensor.random.type``.

The hard-coded draws are PyTensor 3.3.7's (Python perform path, seeds 0 and 7); the
differential tests at the end replay the programs in PyTensor when it is installed.
"""

import inspect
import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError, SpecValueError
from reference.tensor.random import FUNCTIONAL, RandomStream
from reference.tensor.random.utils import (
    broadcast_params,
    normalize_size_param,
    params_broadcast_shapes,
)

NEW = ("betabinom", "gengamma", "halfcauchy", "invgamma", "truncexpon", "nbinom")

# program, dtype, static shape, draws for seed 0, draws for seed 7 (PyTensor 3.3.7)
PYTENSOR_DRAWS = [
    ('betabinom(10, 2.0, 3.0, size=(5,), rng=r)', 'int64', (5,), [1, 0, 4, 1, 3], [5, 1, 0, 4, 4]),
    ('betabinom(np.array([[5], [10]]), 2.0, np.array([1.0, 2.0, 3.0]), rng=r)', 'int64', (2, 3), [[5, 3, 4], [10, 8, 8]], [[5, 3, 4], [5, 7, 2]]),
    ("betabinom(4.0, 0.5, 0.5, size=(2, 2), dtype='int32', rng=r)", 'int32', (2, 2), [[3, 4], [2, 4]], [[4, 0], [0, 3]]),
    ('gengamma(2.0, 3.0, 1.5, size=(4,), rng=r)', 'float64', (4,), [1.2890588518699628, 1.6306261526940231, 1.2415036597026496, 1.1482434346590344], [1.270207919248556, 1.5439763436272398, 0.8218114997067498, 0.10884362761569061]),
    ('gengamma(size=(3,), rng=r)', 'float64', (3,), [0.6799319039689096, 1.0195971014658647, 0.019806662589055352], [0.7075292557919215, 1.025203348294905, 0.5685486573832514]),
    ('gengamma(np.array([1.0, 2.0, 4.0]), np.array([0.5, 1.5, 3.0]), 2.0, rng=r)', 'float64', (3,), [6.7293868471155704, 2.9450393497467764, 1.6428870845592594], [5.566151440583507, 1.6511832070153978, 1.6968861432188516]),
    ('gengamma(np.array([1.0, 2.0]), 0.5, 0.0, rng=r)', 'float64', (2,), [0.0, 0.0], [0.0, 0.0]),
    ('halfcauchy(1.0, 2.0, size=(4,), rng=r)', 'float64', (4,), [4.118498076757399, 1.90222808627479, 1.1289001539794508, 1.0519347669281682], [3.9941834237929763, 13.279436700654088, 6.439271623214208, 1.7385785390077237]),
    ('halfcauchy(rng=r)', 'float64', (), 1.5592490383786997, 1.4970917118964882),
    ("halfcauchy(np.zeros((2, 1)), np.array([1.0, 2.0, 3.0]), dtype='float32', rng=r)", 'float32', (2, 3), [[1.5592490434646606, 0.902228057384491, 0.19335022568702698], [0.02596738375723362, 6.621947765350342, 21.75368881225586]], [[1.4970917701721191, 12.279437065124512, 8.158907890319824], [0.3692892789840698, 1.0197089910507202, 14.904937744140625]]),
    ('invgamma(2.0, 3.0, size=(4,), rng=r)', 'float64', (4,), [1.6354922560935223, 1.1373553530356662, 2.8133138244362264, 0.7536662467780099], [1.7982858645419875, 2.2434674676869872, 2.618026680042842, 1.718681839109479]),
    ('invgamma(np.array([1.0, 2.0, 3.0]), 0.7, rng=r)', 'float64', (3,), [1.029514861582386, 0.46608526801338895, 0.24633471254563682], [0.9893583823844935, 0.33607634856845126, 0.47922230662658283]),
    ('truncexpon(2.0, 1.0, 0.5, size=(4,), rng=r)', 'float64', (4,), [1.400097122777127, 1.1328135779636284, 1.0180355868804016, 1.0071969806877417], [1.3888059977463867, 1.7475841475315963, 1.5554052838894545, 1.1082880291025907]),
    ('truncexpon(np.array([[1.0, 2.0]]), rng=r)', 'float64', (1, 2), [[0.5152296033003276, 0.265627150069872]], [[0.5027511364739928, 1.4951682284497227]]),
    ('truncexpon(3.0, size=(2, 3), rng=r)', 'float64', (2, 3), [[0.9295007194111378, 0.29619128080731705, 0.03971174989874999], [0.015829399899088922, 1.4818362051533214, 2.0197560879811682]], [[0.9013376159838308, 1.9142266566207033, 1.335854481327266], [0.2407918575610946, 0.33578312392108306, 1.7723204439989964]]),
    ('nbinom(3, 0.4, size=(5,), rng=r)', 'int64', (5,), [1, 5, 1, 2, 13], [4, 11, 1, 5, 1]),
    ('negative_binomial(np.array([1, 5, 20]), 0.25, rng=r)', 'int64', (3,), [1, 21, 89], [3, 13, 38]),
]


def fresh(seed=0):
    return pytensor.shared(np.random.default_rng(seed))


def build(program, r, module=pt):
    return eval("pt.random." + program, {"pt": module, "np": np, "r": r})  # noqa: S307 - fixed programs


def ids(cases):
    return [c[0].split("(")[0] + str(i) for i, c in enumerate(cases)]


# -- RAND-FUNC-6: the draws are PyTensor's ---------------------------------------------------
@pytest.mark.rule("RAND-FUNC-6")
@pytest.mark.parametrize("program,dtype,shape,first,second", PYTENSOR_DRAWS, ids=ids(PYTENSOR_DRAWS))
def test_rand_func_6__draws_dtype_and_static_shape_equal_pytensor(program, dtype, shape, first, second):
    for seed, want in ((0, first), (7, second)):
        r = fresh(seed)
        x = build(program, r)
        assert x.dtype == dtype and tuple(x.type.shape) == shape
        got = pytensor.function([], x, updates={r: x.owner.outputs[0]})()
        assert got.dtype == dtype and got.shape == shape
        np.testing.assert_array_equal(got, np.asarray(want, dtype=dtype))


@pytest.mark.rule("RAND-FUNC-6")
def test_rand_func_6__draws_are_numpys_computations():
    def got(program, seed=3):
        return pytensor.function([], build(program, fresh(seed)))()

    g = np.random.default_rng(3)
    p = g.beta(2.0, 3.0, (4,))
    np.testing.assert_array_equal(got("betabinom(6, 2.0, 3.0, size=(4,), rng=r)"), g.binomial(6, p, (4,)))
    g = np.random.default_rng(3)
    np.testing.assert_array_equal(got("invgamma(2.0, 4.0, size=(3,), rng=r)"),
                                  1 / g.gamma(2.0, 1 / np.float32(4.0), (3,)))
    g = np.random.default_rng(3)
    np.testing.assert_array_equal(got("halfcauchy(0.5, 2.0, size=(3,), rng=r)"),
                                  np.tan(np.pi / 2 * g.uniform(size=(3,))) * 2.0 + 0.5)
    g = np.random.default_rng(3)
    np.testing.assert_array_equal(got("truncexpon(1.5, 0.5, 2.0, size=(3,), rng=r)"),
                                  -np.log1p(g.uniform(size=(3,)) * np.float32(np.expm1(-1.5))) * 2.0 + 0.5)
    g = np.random.default_rng(3)
    alpha, p = np.float32(2.0), np.float32(3.0)  # alpha / p in float32, as PyTensor computes it
    np.testing.assert_array_equal(got("gengamma(2.0, 3.0, 1.5, size=(3,), rng=r)"),
                                  g.standard_gamma(alpha / p, size=(3,)) ** (1.0 / p) * np.float32(1.5))


@pytest.mark.rule("RAND-FUNC-6")
def test_rand_func_6__signatures_and_defaults_are_pytensors():
    params = {name: list(inspect.signature(FUNCTIONAL[name]).parameters)[:4] for name in NEW}
    assert params == {
        "betabinom": ["n", "a", "b", "size"], "gengamma": ["alpha", "p", "lambd", "size"],
        "halfcauchy": ["loc", "scale", "size", "rng"], "invgamma": ["shape", "scale", "size", "rng"],
        "truncexpon": ["b", "loc", "scale", "size"], "nbinom": ["n", "p", "size", "rng"],
    }
    defaults = inspect.signature(pt.random.gengamma).parameters
    assert [defaults[n].default for n in ("alpha", "p", "lambd")] == [1.0, 1.0, 1.0]
    assert inspect.signature(pt.random.truncexpon).parameters["loc"].default == 0.0
    assert pt.random.nbinom is pt.random.negative_binomial


@pytest.mark.rule("RAND-FUNC-6")
def test_rand_func_6__scipy_domain_errors_and_zero_scale():
    for program in ("betabinom(-1, 1.0, 1.0, rng=r)", "betabinom(2.5, 1.0, 1.0, rng=r)",
                    "betabinom(3, 0.0, 1.0, rng=r)", "gengamma(-1.0, rng=r)", "gengamma(1.0, 0.0, rng=r)",
                    "truncexpon(0.0, rng=r)", "halfcauchy(0.0, -1.0, rng=r)", "invgamma(-1.0, 1.0, rng=r)"):
        f = pytensor.function([], build(program, fresh()))
        with pytest.raises(SpecValueError, match="RAND-DRAW-1"):
            f()
    r = fresh()
    x = pt.random.halfcauchy(2.0, 0.0, size=(2,), rng=r)
    np.testing.assert_array_equal(pytensor.function([], x, updates={r: x.owner.outputs[0]})(), [2.0, 2.0])
    assert r.get_value().bit_generator.state == np.random.default_rng(0).bit_generator.state  # nothing drawn


@pytest.mark.rule("RAND-FUNC-6")
def test_rand_func_6__argument_dtype_and_shape_errors():
    with pytest.raises(SpecTypeError, match="missing"):
        pt.random.invgamma(2.0, rng=fresh())
    with pytest.raises(SpecTypeError, match="missing"):
        pt.random.betabinom(3, 1.0, rng=fresh())
    with pytest.raises(SpecValueError, match="RAND-DTYPE-1"):
        pt.random.halfcauchy(dtype="int64", rng=fresh())
    with pytest.raises(SpecValueError, match="RAND-SHAPE-1"):
        pt.random.truncexpon(np.ones((2, 3)), size=(3,), rng=fresh())
    assert pt.random.gengamma(2.0, 1.0, 1.0, dtype="float32", rng=fresh()).dtype == "float32"
    assert tuple(pt.random.invgamma(pt.dvector("a"), 2.0, rng=fresh()).type.shape) == (None,)
    assert tuple(pt.random.betabinom(pt.lmatrix("n"), 1.0, np.ones(3), rng=fresh()).type.shape) == (None, 3)


@pytest.mark.rule("RAND-FUNC-6")
def test_rand_func_6__stream_and_generator_methods_have_the_new_distributions():
    srng = RandomStream(5)
    x = srng.truncexpon(2.0, size=(3,))
    y = srng.nbinom(3, 0.5, size=(2,))
    f = pytensor.function([], [x, y])
    gx, gy = (np.random.default_rng(c) for c in np.random.SeedSequence(5).spawn(2))
    a, b = f()
    np.testing.assert_array_equal(a, -np.log1p(gx.uniform(size=(3,)) * np.float32(np.expm1(-2.0))))
    np.testing.assert_array_equal(b, gy.negative_binomial(3, np.float32(0.5), (2,)))
    rng = pt.random.rng("rng")
    for name in NEW:
        assert callable(getattr(srng, name)) and callable(getattr(rng, name)), name
    next_rng, x = rng.betabinom(10, 2.0, 3.0, size=(5,))
    g = pytensor.function([rng], [next_rng, x])
    next_value, value = g(np.random.default_rng(0))
    np.testing.assert_array_equal(value, PYTENSOR_DRAWS[0][3])
    np.testing.assert_array_equal(g(next_value)[1], pytensor.function([], pt.random.betabinom(
        10, 2.0, 3.0, size=(5,), rng=pytensor.shared(next_value)))())


# -- RAND-FUNC-7: PyTensor's class names ------------------------------------------------------
PYTENSOR_CLASSES = [
    "BernoulliRV", "BetaBinomialRV", "BetaRV", "BinomialRV", "CategoricalRV", "CauchyRV", "DirichletRV",
    "ExponentialRV", "GammaRV", "GenGammaRV", "GeometricRV", "GumbelRV", "HalfCauchyRV", "HalfNormalRV",
    "HyperGeometricRV", "IntegersRV", "InvGammaRV", "LaplaceRV", "LogNormalRV", "LogisticRV", "MultinomialRV",
    "MvNormalRV", "NegBinomialRV", "NormalRV", "ParetoRV", "PermutationRV", "PoissonRV", "StudentTRV",
    "TriangularRV", "TruncExponentialRV", "UniformRV", "VonMisesRV", "WaldRV", "WeibullRV",
]


@pytest.mark.rule("RAND-FUNC-7")
def test_rand_func_7__every_pytensor_class_name_is_importable_from_basic():
    import reference.tensor.random.basic as basic

    for name in PYTENSOR_CLASSES:
        cls = getattr(basic, name)
        assert isinstance(cls, type) and cls.__name__ == name
        assert name not in basic.__all__
    from reference.tensor.random.basic import MvNormalRV, NegBinomialRV, StudentTRV  # noqa: F401

    assert isinstance(pt.random.multivariate_normal, MvNormalRV)
    assert isinstance(pt.random.nbinom, NegBinomialRV) and isinstance(pt.random.t, StudentTRV)
    for name in ("betabinom", "gengamma", "halfcauchy", "invgamma", "truncexpon", "lognormal", "vonmises"):
        assert type(FUNCTIONAL[name]).__name__ in PYTENSOR_CLASSES
    # documented by PyTensor, absent from PyTensor 3.3.7 and so from reference
    for name in ("RandIntRV", "ChoiceRV", "ChiSquareRV", "StandardNormalRV"):
        assert not hasattr(basic, name)


@pytest.mark.rule("RAND-FUNC-7")
def test_rand_func_7__calling_a_class_instance_is_the_functional_api():
    from reference.tensor.random.basic import InvGammaRV, PermutationRV

    x = PermutationRV()(5, rng=fresh())
    assert x.dtype == "int8" and tuple(x.type.shape) == (5,)
    np.testing.assert_array_equal(pytensor.function([], x)(), np.random.default_rng(0).permutation(5))
    y = InvGammaRV()(2.0, 3.0, size=(4,), rng=fresh())
    np.testing.assert_array_equal(pytensor.function([], y)(), PYTENSOR_DRAWS[10][3])


# -- RAND-UTILS-1 / RAND-UTILS-2: pytensor.tensor.random.utils ------------------------------
@pytest.mark.rule("RAND-UTILS-1")
@pytest.mark.parametrize("shapes,ndims,want", [
    ([(2,), (3, 1, 1)], [0, 0], [(3, 1, 2), (3, 1, 2)]),
    ([(3,), (4, 3, 3)], [1, 2], [(4, 3), (4, 3, 3)]),
    ([(5, 3), (2, 1, 3, 3)], [1, 2], [(2, 5, 3), (2, 5, 3, 3)]),
    ([(2, 3), (4, 3)], [1, 1], [(4, 3), (4, 3)]),
    ([(), (2,)], [0, 0], [(2,), (2,)]),
    ([(2, 3)], [0], [(2, 3)]),
    ([(2,), (3,)], [0, 0], [(3,), (3,)]),  # not checked, as in PyTensor
])
def test_rand_utils_1__params_broadcast_shapes_equal_pytensors(shapes, ndims, want):
    assert params_broadcast_shapes(shapes, ndims, use_pytensor=False) == want


@pytest.mark.rule("RAND-UTILS-1")
def test_rand_utils_1__broadcast_params_numpy_and_symbolic():
    mean, cov = np.array([1, 2, 3]), np.stack([np.eye(3)] * 2)
    m, c = broadcast_params([mean, cov], [1, 2])
    np.testing.assert_array_equal(m, [[1, 2, 3], [1, 2, 3]])
    assert c.shape == (2, 3, 3) and not m.flags.writeable
    x, y = pt.dvector("x"), pt.dmatrix("y")
    bx, by = broadcast_params([x, y], [0, 0])
    assert tuple(bx.type.shape) == (None, None) and tuple(by.type.shape) == (None, None)
    f = pytensor.function([x, y], [bx, by])
    got = f(np.array([1.0, 2.0]), np.zeros((3, 2)))
    np.testing.assert_array_equal(got[0], [[1.0, 2.0]] * 3)
    a, b = broadcast_params([pt.dvector("a", shape=(1,)), pt.dmatrix("b", shape=(2, 3))], [0, 0])
    assert tuple(a.type.shape) == (2, 3) and tuple(b.type.shape) == (2, 3)
    shapes = params_broadcast_shapes([(3,), (4, 3, 3)], [1, 2])
    assert shapes == [(4, 3), (4, 3, 3)]
    with pytest.raises(ValueError):
        broadcast_params([np.zeros(2), np.zeros(3)], [0, 0])


@pytest.mark.rule("RAND-UTILS-2")
def test_rand_utils_2__normalize_size_param_gives_an_int64_vector_of_known_length():
    assert normalize_size_param(None) is None
    for size, want in ((3, [3]), ((2, 3), [2, 3]), ([2, 3], [2, 3]), (np.array([4, 5], dtype="int32"), [4, 5]),
                       ((), []), ((2.5,), [2])):
        v = normalize_size_param(size)
        assert v.dtype == "int64" and tuple(v.type.shape) == (len(want),)
        np.testing.assert_array_equal(v.eval(), want)
    k = pt.lscalar("k")
    v = normalize_size_param(k)
    assert tuple(v.type.shape) == (1,) and v.dtype == "int64"
    np.testing.assert_array_equal(v.eval({k: 4}), [4])
    v = normalize_size_param((pt.lscalar("a"), 3))
    assert tuple(v.type.shape) == (2,)


@pytest.mark.rule("RAND-UTILS-2")
def test_rand_utils_2__normalize_size_param_errors():
    for bad in (2.5, np.int64(3), True, "ab"):
        with pytest.raises(SpecTypeError, match="RAND-UTILS-2"):
            normalize_size_param(bad)
    for unknown in (pt.lvector("s"), pt.dvector("d")):
        with pytest.raises(SpecValueError, match="RAND-UTILS-2"):
            normalize_size_param(unknown)


# -- RAND-TYPE-1: pytensor.tensor.random.type -------------------------------------------------
@pytest.mark.rule("RAND-TYPE-1")
def test_rand_type_1__module_names_the_generator_type():
    from reference.graph.shared import RandomGeneratorType as Defined
    from reference.tensor.random.type import RandomGeneratorType, RandomType, random_generator_type

    assert RandomGeneratorType is Defined
    assert isinstance(random_generator_type, RandomGeneratorType) and isinstance(random_generator_type, RandomType)
    assert pt.random.rng().type == random_generator_type and fresh().type == random_generator_type
    assert pytensor.tensor.random.type.random_generator_type is random_generator_type
    assert not isinstance(pt.dvector().type, RandomType)


# -- optional: the same programs in PyTensor ---------------------------------------------------
@pytest.mark.rule("RAND-FUNC-6")
@pytest.mark.parametrize("program", [c[0] for c in PYTENSOR_DRAWS])
def test_rand_func_6__differential_against_pytensor(program):
    real = pytest.importorskip("pytensor")
    import pytensor.tensor as real_pt

    mode = real.compile.mode.Mode(linker="py", optimizer=None)
    for seed in (2, 11):
        r_real, r_ref = real.shared(np.random.default_rng(seed)), fresh(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x_real = build(program, r_real, real_pt)
        x_ref = build(program, r_ref)
        got = pytensor.function([], x_ref, updates={r_ref: x_ref.owner.outputs[0]})()
        want = real.function([], x_real, updates={r_real: x_real.owner.outputs[0]}, mode=mode)()
        assert got.dtype == want.dtype and tuple(x_ref.type.shape) == tuple(x_real.type.shape)
        np.testing.assert_array_equal(got, want)
        assert r_ref.get_value().bit_generator.state == r_real.get_value().bit_generator.state


@pytest.mark.rule("RAND-FUNC-7")
def test_rand_func_7__differential_class_names_against_pytensor():
    pytest.importorskip("pytensor")
    import pytensor.tensor.random.basic as real_basic

    assert sorted(n for n in dir(real_basic) if n.endswith("RV")) == sorted(PYTENSOR_CLASSES)


@pytest.mark.rule("RAND-UTILS-1")
@pytest.mark.rule("RAND-UTILS-2")
def test_rand_utils_differential_against_pytensor():
    pytest.importorskip("pytensor")
    from pytensor.tensor.random import utils as real

    for shapes, ndims in (([(2,), (3, 1, 1)], [0, 0]), ([(5, 3), (2, 1, 3, 3)], [1, 2]), ([(2,), (3,)], [0, 0])):
        assert params_broadcast_shapes(shapes, ndims, use_pytensor=False) == \
            real.params_broadcast_shapes(shapes, ndims, use_pytensor=False)
    for size in (3, (2, 3), np.array([4, 5], dtype="int32"), (), (2.5,)):
        np.testing.assert_array_equal(normalize_size_param(size).eval(), real.normalize_size_param(size).eval())
