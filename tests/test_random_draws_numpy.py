"""Checks the numpy half of RandomStream against numbers recorded from PyTensor.

The data come from tests/data/pytensor_random_draws.json, which
tests/data/make_pytensor_random_draws.py writes from PyTensor.  These tests use only
``reference.tensor.random._numpy_draws`` and numpy; they need no graph API.  The scan
and Gibbs cases are replayed here as numpy models (the loop written out by hand).  The
graph-level replay of those cases is the lead's test.
"""

import json
import pathlib

import numpy as np
import pytest

from reference.tensor.random._numpy_draws import (
    DISTRIBUTIONS,
    SeedSource,
    bind_params,
    choice_dtype,
    copy_generator,
    draw_bernoulli_numba_backend,
    draw_binomial,
    draw_normal,
    normalize_size,
    output_ndim,
    output_static_shape,
    resolve_dtype,
)

DATA = json.loads(
    (pathlib.Path(__file__).parent / "data" / "pytensor_random_draws.json").read_text()
)
SEED = DATA["seed"]
RV_CASES = DATA["single_rv"] + DATA["extra_rv"]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def arg_value(arg):
    """A recorded front-end argument as the array PyTensor's constant would hold."""
    return None if arg["value"] is None else np.asarray(arg["value"], dtype=arg["dtype"])


def case_params(case):
    return [arg_value(a) for a in case["args"]]


def case_size(case):
    return None if case["size"] is None else tuple(case["size"])


def case_dtype(case):
    if case["distribution"] == "choice":
        return None
    return resolve_dtype(case["distribution"], case["requested_dtype"])


def call_draws(draw, state, n_calls, *params, size, dtype, **options):
    """n compiled-function calls with the default update: copy, draw, keep the copy as the new state."""
    results = []
    for _ in range(n_calls):
        rng = copy_generator(state)
        results.append(draw(rng, *params, size=size, dtype=dtype, **options))
        state = rng
    return results, state


def assert_draws_equal(got, expected, dtype):
    expected = np.asarray(expected, dtype=dtype)
    assert got.dtype == expected.dtype
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def case_id(case):
    return case["name"]


# ---------------------------------------------------------------------------------------
# one random variable per fresh stream
# ---------------------------------------------------------------------------------------
@pytest.mark.rule("RAND-STREAM-1")
@pytest.mark.rule("RAND-STREAM-2")
@pytest.mark.rule("RAND-DRAW-1")
@pytest.mark.parametrize("case", RV_CASES, ids=case_id)
def test_successive_calls_match_pytensor_perform(case):
    entry = DISTRIBUTIONS[case["distribution"]]
    state = SeedSource(SEED).next_generator()  # the stream's first RV: child 0
    got, _ = call_draws(
        entry.draw,
        state,
        case["calls"],
        *case_params(case),
        size=case_size(case),
        dtype=case_dtype(case),
        **case["options"],
    )
    for g, expected, dtype in zip(got, case["draws"], case["draws_dtype"], strict=True):
        assert_draws_equal(g, expected, dtype)


@pytest.mark.rule("RAND-DTYPE-1")
@pytest.mark.parametrize("case", RV_CASES, ids=case_id)
def test_output_dtype_rule(case):
    if case["distribution"] == "choice":
        a = arg_value(case["args"][0])
        got = choice_dtype(a.dtype.name, a.ndim, case["options"]["replace"], case_size(case))
    else:
        got = resolve_dtype(case["distribution"], case["requested_dtype"])
    assert got == case["dtype"]


@pytest.mark.rule("RAND-SHAPE-1")
@pytest.mark.parametrize("case", RV_CASES, ids=case_id)
def test_static_shape_of_recorded_cases(case):
    shapes = [None if v is None else v.shape for v in case_params(case)]
    assert output_static_shape(case["distribution"], shapes, case["size"]) == tuple(
        case["static_shape"]
    )
    ndims = [0 if v is None else v.ndim for v in case_params(case)]
    size_length = None if case["size"] is None else len(case["size"])
    assert output_ndim(case["distribution"], ndims, size_length) == len(case["static_shape"])


@pytest.mark.rule("RAND-SHAPE-1")
@pytest.mark.parametrize(
    "case",
    DATA["static_shapes"],
    ids=lambda c: f"{c['distribution']}-{c['param_shapes']}-size{c['size']}",
)
def test_static_shape_with_unknown_lengths(case):
    shapes = [tuple(s) for s in case["param_shapes"]]
    got = output_static_shape(case["distribution"], shapes, case["size"])
    assert got == tuple(case["static_shape"])


@pytest.mark.rule("RAND-BACKEND-1")
@pytest.mark.parametrize(
    "case", [c for c in RV_CASES if c["distribution"] == "bernoulli"], ids=case_id
)
def test_default_numba_mode_bernoulli_uses_uniform_threshold(case):
    assert not case["default_mode_matches_perform"]
    state = SeedSource(SEED).next_generator()
    got, _ = call_draws(
        draw_bernoulli_numba_backend,
        state,
        case["calls"],
        *case_params(case),
        size=case_size(case),
        dtype=case_dtype(case),
    )
    for g, expected in zip(got, case["draws_default_mode"], strict=True):
        assert_draws_equal(g, expected, case["dtype"])


@pytest.mark.rule("RAND-BACKEND-1")
def test_only_bernoulli_and_choice_without_replacement_differ_in_default_mode():
    differing = {c["name"] for c in RV_CASES if not c["default_mode_matches_perform"]}
    assert differing == {"bernoulli", "bernoulli_array_p", "choice_without_replacement"}


# ---------------------------------------------------------------------------------------
# stream-level behaviour
# ---------------------------------------------------------------------------------------
@pytest.mark.rule("RAND-STREAM-1")
def test_creation_order_picks_the_child_seed():
    case = DATA["stream"]["two_rvs_same_stream"]
    source = SeedSource(SEED)
    for rv in case["rvs"]:  # recorded in creation order
        state = source.next_generator()
        assert source.n_created == rv["spawn_index"] + 1
        entry = DISTRIBUTIONS[rv["distribution"]]
        params = [arg_value(a) for a in rv["args"]]
        got, _ = call_draws(
            entry.draw,
            state,
            len(rv["draws"]),
            *params,
            size=tuple(rv["size"]),
            dtype=resolve_dtype(rv["distribution"]),
        )
        for g, expected in zip(got, rv["draws"], strict=True):
            assert_draws_equal(g, expected, rv["dtype"])


@pytest.mark.rule("RAND-STREAM-1")
def test_child_k_is_spawn_key_k():
    direct = np.random.default_rng(np.random.SeedSequence(SEED, spawn_key=(1,)))
    source = SeedSource(SEED)
    source.next_generator()
    np.testing.assert_array_equal(source.next_generator().normal(size=3), direct.normal(size=3))


@pytest.mark.rule("RAND-STREAM-2")
def test_one_draw_per_node_per_call():
    case = DATA["stream"]["one_draw_per_call"]
    state = SeedSource(SEED).next_generator()
    got, _ = call_draws(draw_normal, state, 2, np.int8(0), np.int8(1), size=(2,), dtype="float64")
    for g, (x, x_again) in zip(got, case["calls"], strict=True):
        assert_draws_equal(g, x, "float64")
        assert_draws_equal(g, x_again, "float64")


@pytest.mark.rule("RAND-STREAM-3")
def test_without_updates_every_call_repeats():
    case = DATA["stream"]["no_default_updates"]
    state = SeedSource(SEED).next_generator()
    for expected in case["draws"]:
        # the node draws from a copy and the copy is dropped: the shared state never moves
        got = draw_normal(copy_generator(state), np.int8(0), np.int8(1), size=(3,))
        assert_draws_equal(got, expected, case["dtype"])


@pytest.mark.rule("RAND-STREAM-4")
def test_reseed_regenerates_existing_rvs_in_creation_order():
    case = DATA["stream"]["reseed"]
    source = SeedSource(SEED)
    x_rng, y_rng = source.next_generator(), source.next_generator()

    def f(x_state, y_state):
        x_copy, y_copy = copy_generator(x_state), copy_generator(y_state)
        out = [
            draw_normal(x_copy, np.int8(0), np.int8(1), size=(2,)),
            draw_binomial_free_uniform(y_copy),
        ]
        return out, x_copy, y_copy

    out, x_rng, y_rng = f(x_rng, y_rng)
    for g, expected in zip(out, case["first_call_before_reseed"], strict=True):
        assert_draws_equal(g, expected, "float64")

    x_rng, y_rng = source.reseed(99)
    for expected_call in case["calls_after_seed_99"]:
        out, x_rng, y_rng = f(x_rng, y_rng)
        for g, expected in zip(out, expected_call, strict=True):
            assert_draws_equal(g, expected, "float64")

    z_rng = source.next_generator()  # created after seed(99): child 2
    assert source.n_created - 1 == case["z_spawn_index_in_seed_99"]
    z = draw_normal(copy_generator(z_rng), np.int8(0), np.int8(1), size=(2,))
    assert_draws_equal(z, case["z_created_after_seed_99_first_draw"], "float64")

    # seed() with no argument: back to the constructor's seed; x and y are children 0 and 1
    x_rng, y_rng, _z_rng = source.reseed()
    out, _, _ = f(x_rng, y_rng)
    for g, expected in zip(out, case["call_after_seed_none"], strict=True):
        assert_draws_equal(g, expected, "float64")


def draw_binomial_free_uniform(rng):
    """The reseed case's second RV: srng.uniform(0, 1, size=(2,))."""
    return DISTRIBUTIONS["uniform"].draw(rng, np.int8(0), np.int8(1), size=(2,), dtype="float64")


@pytest.mark.rule("RAND-STREAM-5")
def test_functions_sharing_an_rv_share_its_state():
    case = DATA["stream"]["shared_state_across_functions"]
    state = SeedSource(SEED).next_generator()
    got, _ = call_draws(draw_normal, state, 3, np.int8(0), np.int8(1), size=(2,), dtype="float64")
    for g, expected in zip(got, case["draws"], strict=True):  # f1(), f2(), f1()
        assert_draws_equal(g, expected, "float64")


# ---------------------------------------------------------------------------------------
# scan: numpy models of the lead's expectations
# ---------------------------------------------------------------------------------------
@pytest.mark.rule("RAND-SCAN-1")
def test_scan_threads_the_generator_through_steps_numpy_model():
    case = DATA["lead_expectations"]["scan_normal"]
    source = SeedSource(SEED)
    state = source.next_generator()  # the RV created while scan traced fn
    initial = state
    for expected in case["calls"]:
        steps = []
        for _t in range(4):
            rng = copy_generator(state)
            steps.append(draw_normal(rng, np.int8(0), np.int8(1), size=None))
            state = rng  # step t+1 starts where step t left
        assert_draws_equal(np.stack(steps), expected, case["values_dtype"])
    # without the scan's updates every call restarts from the initial state
    for expected in case["calls_without_updates"]:
        np.testing.assert_array_equal(expected, case["calls"][0])
    assert initial is not state
    after = draw_normal(source.next_generator(), np.int8(0), np.int8(1), size=(2,))
    assert_draws_equal(after, case["after_rv_first_draw"], "float64")


@pytest.mark.rule("RAND-SCAN-1")
def test_gibbs_seed_example_numpy_model():
    case = DATA["lead_expectations"]["gibbs_seed_example"]
    W = np.asarray(case["W_values"])
    bvis, bhid = np.asarray(case["bvis_values"]), np.asarray(case["bhid_values"])
    source = SeedSource(1234)
    h_rng, v_rng = (
        source.next_generator(),
        source.next_generator(),
    )  # hsample's RV, then the returned RV

    def sigmoid(x):
        return 1.0 / (1.0 + np.exp(-x))

    for expected_last, expected_trace in zip(case["calls"], case["traces"], strict=True):
        v = np.asarray(case["input"], dtype="int64")
        trace = []
        for _t in range(10):
            hmean = sigmoid(np.dot(v, W) + bhid)
            h = draw_binomial(h_rng, np.int8(1), hmean, size=hmean.shape)
            vmean = sigmoid(np.dot(h, W.T) + bvis)
            v = draw_binomial(v_rng, np.int8(1), vmean, size=v.shape)
            trace.append(v)
        assert_draws_equal(v, expected_last, case["dtype"])
        assert_draws_equal(np.stack(trace), expected_trace, case["dtype"])


# ---------------------------------------------------------------------------------------
# argument rules
# ---------------------------------------------------------------------------------------
@pytest.mark.rule("RAND-DTYPE-1")
def test_dtype_cannot_cross_float_and_int():
    assert DATA["errors"]["normal_int_dtype"].startswith("ValueError")
    assert DATA["lead_expectations"]["gibbs_seed_example"][
        "seed_second_block_binomial_dtype_floatX"
    ].startswith("ValueError")
    with pytest.raises(ValueError):
        resolve_dtype("normal", "int64")
    with pytest.raises(ValueError):
        resolve_dtype("binomial", "float64")
    assert resolve_dtype("normal", "floatX", floatX="float32") == "float32"
    assert resolve_dtype("uniform", floatX="float32") == "float32"
    assert resolve_dtype("binomial", "int8") == "int8"


@pytest.mark.rule("RAND-SHAPE-1")
def test_size_shorter_than_param_batch_dims_is_an_error():
    assert DATA["errors"]["size_shorter_than_param_batch_dims"].startswith("ValueError")
    with pytest.raises(ValueError):
        output_static_shape("normal", [(2, 3), ()], (3,))


@pytest.mark.rule("RAND-DRAW-1")
def test_bind_params_defaults_and_integers_single_argument():
    assert bind_params("normal") == (0.0, 1.0)
    assert bind_params("poisson") == (1.0,)
    assert bind_params("integers", 7) == (0, 7)
    assert bind_params("integers", 2, high=9) == (2, 9)
    assert bind_params("binomial", n=1, p=0.3) == (1, 0.3)
    with pytest.raises(TypeError):
        bind_params("binomial", 1)
    assert normalize_size(3) == (3,)
    assert normalize_size(np.array([2, 3])) == (2, 3)
    assert normalize_size(None) is None


# ---------------------------------------------------------------------------------------
# the distribution-specific rules, stated directly in numpy
# ---------------------------------------------------------------------------------------
def cases_of(distribution):
    return [c for c in RV_CASES if c["distribution"] == distribution]


@pytest.mark.rule("RAND-DRAW-2")
@pytest.mark.parametrize("case", cases_of("bernoulli"), ids=case_id)
def test_bernoulli_is_binomial_with_one_trial(case):
    rng = SeedSource(SEED).next_generator()
    (p,) = case_params(case)
    shape = case_size(case) or p.shape
    for expected in case["draws"]:
        np.testing.assert_array_equal(rng.binomial(1, p, shape), expected)
    assert case["dtype"] == "int64"


@pytest.mark.rule("RAND-DRAW-3")
def test_choice_with_replacement_is_integers():
    case = next(c for c in RV_CASES if c["name"] == "choice")
    rng = SeedSource(SEED).next_generator()
    for expected in case["draws"]:
        np.testing.assert_array_equal(rng.integers(0, 5, size=(3,)), expected)
    assert case["dtype"] == "int64"


@pytest.mark.rule("RAND-DRAW-3")
def test_choice_without_replacement_keeps_the_dtype_of_a():
    case = next(c for c in RV_CASES if c["name"] == "choice_without_replacement")
    assert case["args"][0]["dtype"] == "int8" and case["dtype"] == "int8"
    rng = SeedSource(SEED).next_generator()
    for expected in case["draws"]:
        np.testing.assert_array_equal(rng.choice(5, size=(3,), replace=False), expected)
    assert DATA["errors"]["choice_array_a_with_replacement"].startswith("TypeError")


@pytest.mark.rule("RAND-DRAW-4")
@pytest.mark.parametrize("case", cases_of("categorical"), ids=case_id)
def test_categorical_is_inverse_cdf_of_one_uniform(case):
    rng = SeedSource(SEED).next_generator()
    (p,) = case_params(case)
    for expected in case["draws"]:
        u = rng.uniform(size=case_size(case))
        np.testing.assert_array_equal(np.searchsorted(np.cumsum(p), u, side="left"), expected)
