"""Chapter 2, random variables at graph level: ``pt.random.RandomStream`` against PyTensor (RAND-*).

The numbers are those recorded from PyTensor in tests/data/pytensor_random_draws.json; the
programs are replayed with ``reference`` in place of PyTensor, through compiled functions
(tests/test_random_draws_numpy.py checks the numpy half alone).
"""

import json
import pathlib

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference import function
from reference.errors import SpecValueError
from reference.tensor.random.utils import RandomStream

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "pytensor_random_draws.json").read_text())
SEED = DATA["seed"]
MARKS = {
    "bernoulli": [pytest.mark.rule("RAND-DRAW-2")],
    "choice": [pytest.mark.rule("RAND-DRAW-3")],
    "categorical": [pytest.mark.rule("RAND-DRAW-4")],
}


def rv_cases(records):
    return [pytest.param(case, id=case["name"], marks=MARKS.get(case["distribution"], [])) for case in records]


def assert_draw(got, expected, dtype):
    expected = np.asarray(expected, dtype=dtype)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.rule("RAND-STREAM-1")
@pytest.mark.rule("RAND-STREAM-2")
@pytest.mark.rule("RAND-DRAW-1")
@pytest.mark.rule("RAND-DTYPE-1")
@pytest.mark.rule("RAND-SHAPE-1")
@pytest.mark.parametrize("case", rv_cases(DATA["single_rv"] + DATA["extra_rv"]))
def test_rand_stream_2__compiled_calls_reproduce_pytensor(case):
    srng = RandomStream(SEED)
    variable = eval(case["program"], {"srng": srng, "np": np})  # noqa: S307 - recorded programs
    assert variable.dtype == case["dtype"]
    assert list(variable.type.shape) == case["static_shape"]
    f = function([], variable)
    for expected, dtype in zip(case["draws"][:5], case["draws_dtype"], strict=False):
        assert_draw(f(), expected, dtype)


@pytest.mark.rule("RAND-STREAM-1")
def test_rand_stream_1__two_rvs_one_stream_creation_order_not_output_order():
    case = DATA["stream"]["two_rvs_same_stream"]
    srng = RandomStream(SEED)
    a = srng.normal(0, 1, size=(3,))
    b = srng.binomial(1, 0.3, size=(4,))
    f = function([], [b, a])
    draws = {rv["var"]: rv for rv in case["rvs"]}
    for k in range(5):
        got_b, got_a = f()
        assert_draw(got_a, draws["a"]["draws"][k], "float64")
        assert_draw(got_b, draws["b"]["draws"][k], "int64")


@pytest.mark.rule("RAND-STREAM-2")
def test_rand_stream_2__one_draw_per_node_per_call():
    case = DATA["stream"]["one_draw_per_call"]
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(2,))
    f = function([], [x, x + 0.0])
    for expected in case["calls"]:
        got = f()
        assert_draw(got[0], expected[0], "float64")
        assert_draw(got[1], expected[1], "float64")


@pytest.mark.rule("RAND-STREAM-2")
def test_rand_stream_2__the_default_update_is_the_advanced_generator():
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(2,))
    (rng,) = [v for v in x.owner.inputs if not isinstance(v, pt.TensorVariable)]
    assert rng.default_update is x.owner.outputs[0]
    before = rng.get_value()
    function([], x)()
    after = rng.get_value()
    expected = np.random.default_rng(np.random.SeedSequence(SEED).spawn(1)[0])
    expected.normal(0, 1, size=(2,))
    assert after.bit_generator.state == expected.bit_generator.state
    assert before.bit_generator.state != after.bit_generator.state


@pytest.mark.rule("RAND-STREAM-3")
def test_rand_stream_3__without_updates_every_call_repeats():
    case = DATA["stream"]["no_default_updates"]
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(3,))
    f = function([], x, no_default_updates=True)
    for expected in case["draws"]:
        assert_draw(f(), expected, "float64")
    assert_draw(x.eval(), case["draws"][0], "float64")  # evaluate never updates (SHARED-UPDATE-1)


@pytest.mark.rule("RAND-STREAM-4")
def test_rand_stream_4__seed_regenerates_in_creation_order():
    case = DATA["stream"]["reseed"]
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(2,))
    y = srng.uniform(0, 1, size=(2,))
    f = function([], [x, y])
    for got, expected in zip(f(), case["first_call_before_reseed"], strict=True):
        assert_draw(got, expected, "float64")
    srng.seed(99)
    for call in case["calls_after_seed_99"]:
        for got, expected in zip(f(), call, strict=True):
            assert_draw(got, expected, "float64")
    z = srng.normal(0, 1, size=(2,))  # child 2 of SeedSequence(99)
    assert_draw(function([], z)(), case["z_created_after_seed_99_first_draw"], "float64")
    srng.seed()  # the constructor's seed
    for got, expected in zip(f(), case["call_after_seed_none"], strict=True):
        assert_draw(got, expected, "float64")


@pytest.mark.rule("RAND-STREAM-5")
def test_rand_stream_5__functions_share_an_rvs_generator():
    case = DATA["stream"]["shared_state_across_functions"]
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(2,))
    f1 = function([], x)
    f2 = function([], x * 1.0)
    for call, expected in zip((f1, f2, f1), case["draws"], strict=True):
        assert_draw(call(), expected, "float64")


@pytest.mark.rule("RAND-DRAW-1")
def test_rand_draw_1__invalid_parameters_are_value_errors():
    srng = RandomStream(SEED)
    f = function([], srng.bernoulli(1.5))
    with pytest.raises(SpecValueError) as info:
        f()
    assert info.value.rule == "RAND-DRAW-1" and "BernoulliRV" in str(info.value)
    p = pt.dscalar("p")
    g = function([p], srng.binomial(3, p))
    assert g(0.5).dtype == np.int64
    with pytest.raises(SpecValueError):
        g(-0.5)


@pytest.mark.rule("RAND-DRAW-3")
def test_rand_draw_3__choice_of_an_array_gives_rows():
    srng = RandomStream(SEED)
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    rows = function([], srng.choice(a, size=(4,)))()  # C.9: PyTensor refuses this
    indices = function([], RandomStream(SEED).choice(3, size=(4,)))()
    np.testing.assert_array_equal(rows, a[indices])


@pytest.mark.rule("RAND-DTYPE-1")
def test_rand_dtype_1__discrete_to_float_allowed_continuous_to_int_refused():
    srng = RandomStream(SEED)
    assert srng.binomial(1, 0.5, size=(2,), dtype="float64").dtype == "float64"  # C.9
    assert srng.integers(0, 10, dtype="int32").dtype == "int32"
    assert srng.normal(dtype="float32").dtype == "float32"
    with pytensor.config.change_flags(floatX="float32"):
        assert srng.uniform().dtype == "float32"
    for make in (lambda: srng.normal(0, 1, dtype="int64"), lambda: srng.uniform(dtype="int8")):
        with pytest.raises(SpecValueError) as info:  # errors.normal_int_dtype
            make()
        assert info.value.rule == "RAND-DTYPE-1"


@pytest.mark.rule("RAND-SHAPE-1")
@pytest.mark.parametrize("case", DATA["static_shapes"], ids=lambda c: f"{c['distribution']}{c['param_shapes']}{c['size']}")
def test_rand_shape_1__static_shapes_as_pytensor(case):
    srng = RandomStream(SEED)
    params = [pt.tensor("float64", shape=tuple(s)) for s in case["param_shapes"]]
    size = None if case["size"] is None else [pt.lscalar() if n is None else n for n in case["size"]]
    if case["distribution"] == "categorical":
        variable = srng.categorical(*params, size=size)
    else:
        variable = getattr(srng, case["distribution"])(*params, size=size)
    assert list(variable.type.shape) == case["static_shape"]


@pytest.mark.rule("RAND-SHAPE-1")
def test_rand_shape_1__size_shorter_than_the_parameters_batch_dims():
    srng = RandomStream(SEED)
    with pytest.raises(SpecValueError) as info:  # errors.size_shorter_than_param_batch_dims
        srng.normal(np.zeros((2, 3)), 1, size=(3,))
    assert info.value.rule == "RAND-SHAPE-1"


# -- scan -------------------------------------------------------------------------------
@pytest.mark.rule("RAND-SCAN-1")
@pytest.mark.rule("RAND-STREAM-3")
def test_rand_scan_1__the_generator_is_carried_through_the_steps():
    case = DATA["lead_expectations"]["scan_normal"]
    srng = RandomStream(SEED)
    values, updates = pytensor.scan(lambda: srng.normal(0, 1), n_steps=4, return_updates=True)
    after = srng.normal(0, 1, size=(2,))  # created after scan traced the step: child 1
    assert values.dtype == case["values_dtype"] and list(values.type.shape) == case["values_static_shape"]
    f = function([], values, updates=updates)
    for expected in case["calls"]:
        assert_draw(f(), expected, case["values_dtype"])
    assert_draw(function([], after)(), case["after_rv_first_draw"], "float64")
    fresh = RandomStream(SEED)
    values2, _ = pytensor.scan(lambda: fresh.normal(0, 1), n_steps=4, return_updates=True)
    f2 = function([], values2)  # without the updates: every call restarts
    for expected in case["calls_without_updates"]:
        assert_draw(f2(), expected, case["values_dtype"])


def gibbs(output, float_block=False):
    """The scan guide's Gibbs sampler (its first testcode block; with ``float_block``, its
    second block, which passes dtype=floatX to binomial and W, bvis, bhid as non-sequences)."""
    rng = np.random.default_rng(203940)
    W_values = rng.uniform(size=(2, 2))
    bvis_values = rng.uniform(size=(2,))
    bhid_values = rng.uniform(size=(2,))
    W = pytensor.shared(W_values)
    bvis = pytensor.shared(bvis_values)
    bhid = pytensor.shared(bhid_values)
    srng = pt.random.RandomStream(1234)
    if float_block:
        def one_step(vsample, W, bvis, bhid):
            hmean = pt.sigmoid(pytensor.dot(vsample, W) + bhid)
            hsample = srng.binomial(size=hmean.shape, n=1, p=hmean)
            vmean = pt.sigmoid(pytensor.dot(hsample, W.T) + bvis)
            return srng.binomial(size=vsample.shape, n=1, p=vmean, dtype=pytensor.config.floatX)

        sample = pt.vector()
        values, updates = pytensor.scan(one_step, outputs_info=sample, non_sequences=[W, bvis, bhid], n_steps=10)
    else:
        def one_step(vsample):
            hmean = pt.sigmoid(pt.dot(vsample, W) + bhid)
            hsample = srng.binomial(1, hmean, size=hmean.shape)
            vmean = pt.sigmoid(pt.dot(hsample, W.T) + bvis)
            return srng.binomial(1, vmean, size=vsample.shape)

        sample = pt.lvector()
        values, updates = pytensor.scan(one_step, outputs_info=sample, n_steps=10)
    return pytensor.function([sample], values[-1] if output == "last" else values, updates=updates)


@pytest.mark.rule("RAND-SCAN-1")
def test_rand_scan_1__the_seed_gibbs_example_reproduces_pytensor():
    case = DATA["lead_expectations"]["gibbs_seed_example"]
    gibbs10 = gibbs("last")
    for expected in case["calls"]:
        assert_draw(gibbs10(np.array([0, 1])), expected, case["dtype"])
    trace = gibbs("all")
    for expected in case["traces"]:
        assert_draw(trace(np.array([0, 1])), expected, case["dtype"])


@pytest.mark.rule("RAND-SCAN-1")
@pytest.mark.rule("RAND-DTYPE-1")
def test_rand_scan_1__the_seed_float_gibbs_block_runs_with_the_same_numbers():
    case = DATA["lead_expectations"]["gibbs_seed_example"]
    assert case["seed_second_block_binomial_dtype_floatX"].startswith("ValueError")  # C.9
    gibbs10 = gibbs("last", float_block=True)
    for expected in case["calls"]:
        assert_draw(gibbs10(np.array([0.0, 1.0])), expected, "float64")


@pytest.mark.rule("RAND-STREAM-1")
def test_rand_stream_1__rng_ctor_and_names():
    import reference as pytensor

    def mt(seed):
        return np.random.Generator(np.random.MT19937(seed))

    s = pt.random.RandomStream(1, rng_ctor=mt)
    assert s.rng_ctor is mt and s.default_instance_seed == 1
    draws = pytensor.function([], s.uniform(size=(2,)))()
    np.testing.assert_allclose(draws, [0.73831175, 0.70321635], rtol=1e-7)  # PyTensor 3.3.7's values
    s.seed(1)  # re-seeding uses the constructor too
    assert isinstance(s.state_updates[0][0].get_value().bit_generator, np.random.MT19937)
    plain = pt.random.RandomStream(1)
    assert plain.rng_ctor is np.random.default_rng
    for method in ("normal", "uniform", "poisson", "bernoulli", "categorical", "integers", "choice", "binomial"):
        args = {"bernoulli": (0.5,), "categorical": (np.ones(3) / 3,), "integers": (5,), "choice": (4,),
                "binomial": (3, 0.5)}.get(method, ())
        assert getattr(plain, method)(*args, name="z").name == "z"
