# Records PyTensor's RandomStream draws into pytensor_random_draws.json (next to this file).
#
# Recorded with: PyTensor 3.3.7, numpy 2.5.5, scipy 1.18.1, CPython 3.12.1 (linux x86_64).
# Run it in the PyTensor venv, not in reference's own environment:
#
#     /work/venvs/pt-rand/bin/python tests/data/make_pytensor_random_draws.py
#
# Every program is compiled twice:
#   "perform" mode  -- Mode(linker="py", optimizer=None): each node runs its Python
#                      `perform`, with no rewrites.  This is the behaviour reference copies.
#   "default" mode  -- PyTensor's default mode (the NUMBA linker in 3.3.x), which
#                      re-implements some samplers; the JSON marks where it differs.
# Each program gets a fresh RandomStream(1234) per mode, so the two modes start from the
# same generator state.
import json
import pathlib
import platform
import sys
import warnings

import numpy as np
import pytensor
import pytensor.tensor as pt
import scipy
from pytensor.compile.mode import Mode
from pytensor.tensor.random.utils import RandomStream

# RandomStream and hidden-rng-output APIs warn on every use in PyTensor 3.x.
warnings.simplefilter("ignore", FutureWarning)
warnings.simplefilter("ignore", DeprecationWarning)
warnings.simplefilter("ignore", UserWarning)

SEED = 1234
PERFORM = Mode(linker="py", optimizer=None)
MODES = {"perform": PERFORM, "default": None}
OUT = pathlib.Path(__file__).with_name("pytensor_random_draws.json")


def as_json(value):
    """numpy array/scalar -> plain JSON (nested lists); floats keep all bits via repr."""
    return np.asarray(value).tolist()


def arg_record(name, value):
    """How a front-end argument reaches the graph: its value and the constant's dtype."""
    return {"name": name, "value": as_json(value), "dtype": pt.as_tensor_variable(value).dtype}


# ---------------------------------------------------------------------------------------
# Single random variables.  Each entry: (case name, distribution name in
# reference.tensor.random._numpy_draws.DISTRIBUTIONS, program text, builder, front-end
# args as (name, value) pairs, options, size, requested dtype, number of calls).
# ---------------------------------------------------------------------------------------
SINGLE = [
    (
        "binomial",
        "binomial",
        "srng.binomial(n=1, p=0.3, size=(4,))",
        lambda s: s.binomial(n=1, p=0.3, size=(4,)),
        [("n", 1), ("p", 0.3)],
        {},
        (4,),
        None,
        5,
    ),
    (
        "normal",
        "normal",
        "srng.normal(0, 1, size=(3,))",
        lambda s: s.normal(0, 1, size=(3,)),
        [("loc", 0), ("scale", 1)],
        {},
        (3,),
        None,
        5,
    ),
    (
        "uniform",
        "uniform",
        "srng.uniform(0, 1, size=(3,))",
        lambda s: s.uniform(0, 1, size=(3,)),
        [("low", 0), ("high", 1)],
        {},
        (3,),
        None,
        5,
    ),
    (
        "integers",
        "integers",
        "srng.integers(0, 10, size=(5,))",
        lambda s: s.integers(0, 10, size=(5,)),
        [("low", 0), ("high", 10)],
        {},
        (5,),
        None,
        5,
    ),
    (
        "bernoulli",
        "bernoulli",
        "srng.bernoulli(0.5, size=(4,))",
        lambda s: s.bernoulli(0.5, size=(4,)),
        [("p", 0.5)],
        {},
        (4,),
        None,
        5,
    ),
    (
        "poisson",
        "poisson",
        "srng.poisson(3.0, size=(4,))",
        lambda s: s.poisson(3.0, size=(4,)),
        [("lam", 3.0)],
        {},
        (4,),
        None,
        5,
    ),
    (
        "choice",
        "choice",
        "srng.choice(5, size=(3,))",
        lambda s: s.choice(5, size=(3,)),
        [("a", 5), ("p", None)],
        {"replace": True},
        (3,),
        None,
        5,
    ),
]

EXTRA = [
    (
        "normal_broadcast_params",
        "normal",
        "srng.normal(np.zeros((2, 1)), np.ones(3))",
        lambda s: s.normal(np.zeros((2, 1)), np.ones(3)),
        [("loc", np.zeros((2, 1))), ("scale", np.ones(3))],
        {},
        None,
        None,
        2,
    ),
    (
        "normal_scalar_no_size",
        "normal",
        "srng.normal(0, 1)",
        lambda s: s.normal(0, 1),
        [("loc", 0), ("scale", 1)],
        {},
        None,
        None,
        2,
    ),
    (
        "normal_float32",
        "normal",
        "srng.normal(0, 1, size=(2, 3), dtype='float32')",
        lambda s: s.normal(0, 1, size=(2, 3), dtype="float32"),
        [("loc", 0), ("scale", 1)],
        {},
        (2, 3),
        "float32",
        2,
    ),
    (
        "uniform_defaults_size_int",
        "uniform",
        "srng.uniform(size=3)",
        lambda s: s.uniform(size=3),
        [("low", 0.0), ("high", 1.0)],
        {},
        (3,),
        None,
        2,
    ),
    (
        "binomial_array_params",
        "binomial",
        "srng.binomial(np.array([1, 5, 40]), np.array([0.3, 0.7, 0.9]))",
        lambda s: s.binomial(np.array([1, 5, 40]), np.array([0.3, 0.7, 0.9])),
        [("n", np.array([1, 5, 40])), ("p", np.array([0.3, 0.7, 0.9]))],
        {},
        None,
        None,
        2,
    ),
    (
        "binomial_int8",
        "binomial",
        "srng.binomial(3, 0.3, size=(4,), dtype='int8')",
        lambda s: s.binomial(3, 0.3, size=(4,), dtype="int8"),
        [("n", 3), ("p", 0.3)],
        {},
        (4,),
        "int8",
        2,
    ),
    (
        "integers_broadcast_low",
        "integers",
        "srng.integers(np.arange(3), 10, size=(2, 3))",
        lambda s: s.integers(np.arange(3), 10, size=(2, 3)),
        [("low", np.arange(3)), ("high", 10)],
        {},
        (2, 3),
        None,
        2,
    ),
    (
        "integers_high_omitted",
        "integers",
        "srng.integers(7, size=3)",
        lambda s: s.integers(7, size=3),
        [("low", 0), ("high", 7)],
        {},
        (3,),
        None,
        2,
    ),
    (
        "integers_int32",
        "integers",
        "srng.integers(0, 10, size=(3,), dtype='int32')",
        lambda s: s.integers(0, 10, size=(3,), dtype="int32"),
        [("low", 0), ("high", 10)],
        {},
        (3,),
        "int32",
        2,
    ),
    (
        "integers_wide_range",
        "integers",
        "srng.integers(0, 2**40, size=(3,))",
        lambda s: s.integers(0, 2**40, size=(3,)),
        [("low", 0), ("high", 2**40)],
        {},
        (3,),
        None,
        2,
    ),
    (
        "bernoulli_array_p",
        "bernoulli",
        "srng.bernoulli(np.array([0.1, 0.9, 0.5]))",
        lambda s: s.bernoulli(np.array([0.1, 0.9, 0.5])),
        [("p", np.array([0.1, 0.9, 0.5]))],
        {},
        None,
        None,
        2,
    ),
    (
        "poisson_default_lam",
        "poisson",
        "srng.poisson(size=(3,))",
        lambda s: s.poisson(size=(3,)),
        [("lam", 1.0)],
        {},
        (3,),
        None,
        2,
    ),
    (
        "poisson_large_lam",
        "poisson",
        "srng.poisson(50.0, size=(3,))",
        lambda s: s.poisson(50.0, size=(3,)),
        [("lam", 50.0)],
        {},
        (3,),
        None,
        2,
    ),
    (
        "choice_no_size",
        "choice",
        "srng.choice(5)",
        lambda s: s.choice(5),
        [("a", 5), ("p", None)],
        {"replace": True},
        None,
        None,
        2,
    ),
    (
        "choice_with_p",
        "choice",
        "srng.choice(3, size=(4,), p=np.array([0.2, 0.3, 0.5]))",
        lambda s: s.choice(3, size=(4,), p=np.array([0.2, 0.3, 0.5])),
        [("a", 3), ("p", np.array([0.2, 0.3, 0.5]))],
        {"replace": True},
        (4,),
        None,
        2,
    ),
    (
        "choice_without_replacement",
        "choice",
        "srng.choice(5, size=(3,), replace=False)",
        lambda s: s.choice(5, size=(3,), replace=False),
        [("a", 5), ("p", None)],
        {"replace": False},
        (3,),
        None,
        2,
    ),
    (
        "choice_without_replacement_rows",
        "choice",
        "srng.choice(np.array([[1, 2], [3, 4], [5, 6]]), size=(2,), replace=False)",
        lambda s: s.choice(np.array([[1, 2], [3, 4], [5, 6]]), size=(2,), replace=False),
        [("a", np.array([[1, 2], [3, 4], [5, 6]])), ("p", None)],
        {"replace": False},
        (2,),
        None,
        2,
    ),
    (
        "categorical",
        "categorical",
        "srng.categorical(np.array([0.2, 0.3, 0.5]), size=(5,))",
        lambda s: s.categorical(np.array([0.2, 0.3, 0.5]), size=(5,)),
        [("p", np.array([0.2, 0.3, 0.5]))],
        {},
        (5,),
        None,
        2,
    ),
]


def compile_and_call(build, n_calls, mode, **function_kwargs):
    srng = RandomStream(SEED)
    out = build(srng)
    f = pytensor.function([], out, mode=mode, **function_kwargs)
    return out, [f() for _ in range(n_calls)]


def same_draws(a, b):
    return all(
        np.array_equal(x, y) and np.asarray(x).dtype == np.asarray(y).dtype
        for x, y in zip(a, b, strict=True)
    )


def record_rv(case):
    name, dist, program, build, args, options, size, dtype, n_calls = case
    draws = {}
    for mode_name, mode in MODES.items():
        out, draws[mode_name] = compile_and_call(build, n_calls, mode)
    return {
        "name": name,
        "distribution": dist,
        "program": program,
        "args": [
            arg_record(n, v) if v is not None else {"name": n, "value": None, "dtype": None}
            for n, v in args
        ],
        "options": options,
        "size": None if size is None else list(size),
        "requested_dtype": dtype,
        "dtype": out.type.dtype,
        "static_shape": list(out.type.shape),
        "spawn_index": 0,
        "calls": n_calls,
        "draws": [as_json(d) for d in draws["perform"]],
        "draws_dtype": [str(np.asarray(d).dtype) for d in draws["perform"]],
        "default_mode_matches_perform": same_draws(draws["perform"], draws["default"]),
        "draws_default_mode": [as_json(d) for d in draws["default"]],
    }


# ---------------------------------------------------------------------------------------
# Stream-level behaviour (all in perform mode; default mode agrees for these programs).
# ---------------------------------------------------------------------------------------
def two_rvs_same_stream():
    srng = RandomStream(SEED)
    a = srng.normal(0, 1, size=(3,))  # created first  -> child 0
    b = srng.binomial(1, 0.3, size=(4,))  # created second -> child 1
    f = pytensor.function([], [b, a], mode=PERFORM)  # outputs listed in the other order
    calls = [f() for _ in range(5)]
    return {
        "program": "srng = RandomStream(1234); a = srng.normal(0, 1, size=(3,)); "
        "b = srng.binomial(1, 0.3, size=(4,)); f = function([], [b, a]); 5 calls",
        "rvs": [
            {
                "var": "a",
                "distribution": "normal",
                "args": [arg_record("loc", 0), arg_record("scale", 1)],
                "size": [3],
                "dtype": a.type.dtype,
                "spawn_index": 0,
                "draws": [as_json(c[1]) for c in calls],
            },
            {
                "var": "b",
                "distribution": "binomial",
                "args": [arg_record("n", 1), arg_record("p", 0.3)],
                "size": [4],
                "dtype": b.type.dtype,
                "spawn_index": 1,
                "draws": [as_json(c[0]) for c in calls],
            },
        ],
        "rule": "the k-th RV created by a stream (k = 0, 1, ...) draws from its own generator, "
        "built from the k-th child of SeedSequence(seed); output order in function() is irrelevant",
    }


def no_default_updates():
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(3,))
    f = pytensor.function([], x, mode=PERFORM, no_default_updates=True)
    calls = [f() for _ in range(3)]
    return {
        "program": "srng = RandomStream(1234); x = srng.normal(0, 1, size=(3,)); "
        "f = function([], x, no_default_updates=True); 3 calls",
        "distribution": "normal",
        "args": [arg_record("loc", 0), arg_record("scale", 1)],
        "size": [3],
        "dtype": x.type.dtype,
        "spawn_index": 0,
        "draws": [as_json(c) for c in calls],
        "rule": "without the update the shared generator never moves: every call repeats the first draw",
    }


def reseed():
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(2,))
    y = srng.uniform(0, 1, size=(2,))
    f = pytensor.function([], [x, y], mode=PERFORM)
    before = f()
    srng.seed(99)
    after = [f() for _ in range(2)]
    z = srng.normal(0, 1, size=(2,))  # created after seed(99)
    fz = pytensor.function([], z, mode=PERFORM)
    z_draw = fz()
    srng.seed()  # no argument: back to the constructor's seed
    again = f()
    return {
        "program": "srng = RandomStream(1234); x = srng.normal(0, 1, size=(2,)); "
        "y = srng.uniform(0, 1, size=(2,)); f = function([], [x, y]); f(); "
        "srng.seed(99); f(); f(); z = srng.normal(0, 1, size=(2,)); "
        "function([], z)(); srng.seed(); f()",
        "first_call_before_reseed": [as_json(v) for v in before],
        "calls_after_seed_99": [[as_json(v) for v in c] for c in after],
        "z_created_after_seed_99_first_draw": as_json(z_draw),
        "z_spawn_index_in_seed_99": 2,
        "call_after_seed_none": [as_json(v) for v in again],
        "rule": "seed(s) restarts SeedSequence(s) and gives the existing RVs, in creation order, "
        "generators from its children 0..n-1; an RV created later gets child n; "
        "seed() with no argument reuses the constructor's seed",
    }


def shared_state_across_functions():
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(2,))
    f1 = pytensor.function([], x, mode=PERFORM)
    f2 = pytensor.function([], x * 1.0, mode=PERFORM)
    seq = [f1(), f2(), f1()]
    return {
        "program": "srng = RandomStream(1234); x = srng.normal(0, 1, size=(2,)); "
        "f1 = function([], x); f2 = function([], x * 1.0); f1(); f2(); f1()",
        "draws": [as_json(v) for v in seq],
        "rule": "functions that use the same RV share its generator: calls to either one advance it",
    }


def one_draw_per_call():
    srng = RandomStream(SEED)
    x = srng.normal(0, 1, size=(2,))
    f = pytensor.function([], [x, x + 0.0], mode=PERFORM)
    calls = [f() for _ in range(2)]
    return {
        "program": "srng = RandomStream(1234); x = srng.normal(0, 1, size=(2,)); "
        "f = function([], [x, x + 0.0]); 2 calls",
        "calls": [[as_json(v) for v in c] for c in calls],
        "rule": "an RV node draws once per call, however many outputs use it",
    }


# ---------------------------------------------------------------------------------------
# Scan and the seed's Gibbs example (need the lead's graph API to replay).
# ---------------------------------------------------------------------------------------
def scan_of_normal(srng):
    """pytensor.scan(lambda: srng.normal(0, 1), n_steps=4) with the updates returned."""
    return pytensor.scan(lambda: srng.normal(0, 1), n_steps=4, return_updates=True)


def scan_normal():
    result = {}
    for mode_name, mode in MODES.items():
        srng = RandomStream(SEED)
        values, updates = scan_of_normal(srng)
        after = srng.normal(0, 1, size=(2,))  # created after scan traced fn
        f = pytensor.function([], values, updates=updates, mode=mode)
        calls = [f() for _ in range(2)]
        g = pytensor.function([], after, mode=mode)
        result[mode_name] = {
            "calls": [as_json(c) for c in calls],
            "after_first_draw": as_json(g()),
            "values_dtype": values.type.dtype,
            "values_static_shape": list(values.type.shape),
        }
        srng2 = RandomStream(SEED)
        values2, _ = scan_of_normal(srng2)
        f2 = pytensor.function([], values2, mode=mode)
        result[mode_name]["calls_without_updates"] = [as_json(f2()) for _ in range(2)]
    assert result["perform"] == result["default"], "modes disagree on scan_normal"
    r = result["perform"]
    return {
        "program": "srng = RandomStream(1234); values, updates = pytensor.scan(lambda: srng.normal(0, 1), "
        "n_steps=4, return_updates=True); f = pytensor.function([], values, updates=updates); "
        "f(); f(); then after = srng.normal(0, 1, size=(2,)); pytensor.function([], after)()",
        "values_dtype": r["values_dtype"],
        "values_static_shape": r["values_static_shape"],
        "calls": r["calls"],
        "after_rv_spawn_index": 1,
        "after_rv_first_draw": r["after_first_draw"],
        "calls_without_updates_program": "fresh RandomStream(1234), same scan, "
        "f2 = pytensor.function([], values) (updates not passed); f2(); f2()",
        "calls_without_updates": r["calls_without_updates"],
        "expectation": (
            "The RV is created once, when scan traces fn (child 0 of SeedSequence(1234); "
            "an RV created afterwards gets child 1). Step t draws from the generator state "
            "left by step t-1 (step 0 starts from the shared variable's value), so the 4 "
            "values of one call equal 4 successive scalar draws g.normal(0, 1). The returned "
            "updates map the shared rng to the state after the last step; passing them to "
            "function() makes call 2 continue where call 1 stopped. Without them, every call "
            "restarts from the same state and repeats the same 4 values."
        ),
        "numpy_model": "g = default_rng(SeedSequence(1234).spawn(1)[0]); "
        "call k = [g.normal(0, 1) for t in range(4)]",
    }


def build_gibbs(output, mode):
    """The seed's code (scan-guide.rst, "Using shared variables - Gibbs sampling", first
    testcode block) with return_updates=True added as instructed.  `output` picks what the
    compiled function returns: "last" is the seed's values[-1], "all" the whole trace."""
    rng = np.random.default_rng(203940)
    W_values = rng.uniform(size=(2, 2))
    bvis_values = rng.uniform(size=(2,))
    bhid_values = rng.uniform(size=(2,))

    W = pytensor.shared(W_values)
    bvis = pytensor.shared(bvis_values)
    bhid = pytensor.shared(bhid_values)

    srng = pt.random.RandomStream(1234)

    def one_step(vsample):
        hmean = pt.sigmoid(pt.dot(vsample, W) + bhid)
        hsample = srng.binomial(1, hmean, size=hmean.shape)
        vmean = pt.sigmoid(pt.dot(hsample, W.T) + bvis)

        return srng.binomial(1, vmean, size=vsample.shape)

    sample = pt.lvector()

    values, updates = pytensor.scan(one_step, outputs_info=sample, n_steps=10, return_updates=True)

    gibbs10 = pytensor.function(
        [sample], values[-1] if output == "last" else values, updates=updates, mode=mode
    )
    return gibbs10, (W_values, bvis_values, bhid_values)


def gibbs_seed_example():
    result = {}
    for mode_name, mode in MODES.items():
        gibbs10, (W_values, bvis_values, bhid_values) = build_gibbs("last", mode)
        calls = [gibbs10(np.array([0, 1])) for _ in range(2)]
        trace_fn, _ = build_gibbs("all", mode)
        traces = [trace_fn(np.array([0, 1])) for _ in range(2)]
        result[mode_name] = {
            "calls": [as_json(c) for c in calls],
            "traces": [as_json(c) for c in traces],
            "dtype": str(calls[0].dtype),
            "W_values": as_json(W_values),
            "bvis_values": as_json(bvis_values),
            "bhid_values": as_json(bhid_values),
        }
    assert result["perform"] == result["default"], "modes disagree on the Gibbs example"
    r = result["perform"]

    # The seed's second Gibbs block passes dtype=floatX to binomial; PyTensor 3.3.7 refuses.
    try:
        RandomStream(1234).binomial(size=(2,), n=1, p=0.5, dtype=pytensor.config.floatX)
        second_block = "accepted"
    except ValueError as err:
        second_block = f"ValueError: {err}"

    return {
        "program": "scan-guide.rst, 'Using shared variables - Gibbs sampling', first testcode block "
        "(return_updates=True added); gibbs10(np.array([0, 1])) called twice",
        "W_values": r["W_values"],
        "bvis_values": r["bvis_values"],
        "bhid_values": r["bhid_values"],
        "input": [0, 1],
        "calls": r["calls"],
        "dtype": r["dtype"],
        "traces_program": "same code in a fresh setup, but function([sample], values, updates=updates): "
        "all 10 steps of each of two calls",
        "traces": r["traces"],
        "expectation": (
            "one_step creates two RVs while scan traces it: hsample's binomial (child 0 of "
            "SeedSequence(1234)) and the returned binomial (child 1). Each of the 10 steps draws "
            "binomial(1, hmean, size=(2,)) from generator 0 and binomial(1, vmean, size=(2,)) from "
            "generator 1, each continuing from its state after the previous step; values[-1] is "
            "step 10's sample (int64, because binomial's default dtype is int64 and scan keeps it). "
            "The second call continues both generators from where the first call left them."
        ),
        "numpy_model": (
            "g0, g1 = [default_rng(c) for c in SeedSequence(1234).spawn(2)]; v = [0, 1]; "
            "10 times: h = g0.binomial(1, sigmoid(v @ W + bhid), (2,)); "
            "v = g1.binomial(1, sigmoid(h @ W.T + bvis), (2,)); result = v"
        ),
        "seed_second_block_binomial_dtype_floatX": second_block,
    }


# Static output shapes PyTensor infers at graph construction.  Parameters are symbolic
# tensors with the given static shapes (None = unknown); size entries None = symbolic.
STATIC_SHAPES = [
    ("normal", [(None,), (3,)], None),
    ("normal", [(1,), (None,)], None),
    ("normal", [(1,), (1, 1)], None),
    ("normal", [(None, 1), (None,)], None),
    ("normal", [(None,), (None,)], None),
    ("normal", [(2, 1), (3,)], None),
    ("normal", [(), ()], None),
    ("normal", [(), ()], (None, 3)),
    ("normal", [(), ()], (3,)),
    ("normal", [(), ()], ()),
    ("normal", [(None,), ()], (2, None)),
    ("binomial", [(), (4,)], None),
    ("poisson", [(2, 3)], None),
    ("categorical", [(3,)], (4,)),
    ("categorical", [(2, 3)], None),
    ("categorical", [(None, 3)], (5, None)),
]


def static_shapes():
    out = []
    n = pt.lscalar("n")
    for dist, shapes, size in STATIC_SHAPES:
        srng = RandomStream(SEED)
        params = [pt.tensor(dtype="float64", shape=s) for s in shapes]
        sym_size = None if size is None else [n if s is None else s for s in size]
        if sym_size is not None and len(sym_size) == 0:
            sym_size = ()
        rv = getattr(srng, dist)(*params, size=sym_size)
        out.append(
            {
                "distribution": dist,
                "param_shapes": [list(s) for s in shapes],
                "size": None if size is None else list(size),
                "static_shape": list(rv.type.shape),
            }
        )
    return out


def errors():
    out = {}
    try:
        RandomStream(SEED).choice(np.array([10.0, 20.0, 30.0]), size=(4,))
        out["choice_array_a_with_replacement"] = "accepted"
    except TypeError as err:
        out["choice_array_a_with_replacement"] = f"TypeError: {str(err)[:160]}"
    try:
        RandomStream(SEED).normal(np.zeros((2, 3)), 1, size=(3,))
        out["size_shorter_than_param_batch_dims"] = "accepted"
    except ValueError as err:
        out["size_shorter_than_param_batch_dims"] = f"ValueError: {str(err).splitlines()[0]}"
    try:
        RandomStream(SEED).normal(0, 1, size=(2,), dtype="int64")
        out["normal_int_dtype"] = "accepted"
    except ValueError as err:
        out["normal_int_dtype"] = f"ValueError: {err}"
    try:
        RandomStream(SEED).normal(0, 1, rng=None)
        out["rng_keyword"] = "accepted"
    except ValueError as err:
        out["rng_keyword"] = f"ValueError: {err}"
    return out


def main():
    data = {
        "about": "Draws of pytensor.tensor.random.utils.RandomStream(1234) recorded from PyTensor. "
        "'draws' come from the Python perform path (Mode(linker='py', optimizer=None)); "
        "'draws_default_mode' from PyTensor's default (NUMBA) mode. Arrays are nested lists; "
        "'args' give each front-end argument with the dtype PyTensor gives its constant.",
        "generated_by": "tests/data/make_pytensor_random_draws.py",
        "versions": {
            "pytensor": pytensor.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
            "floatX": pytensor.config.floatX,
        },
        "seed": SEED,
        "single_rv": [record_rv(c) for c in SINGLE],
        "extra_rv": [record_rv(c) for c in EXTRA],
        "stream": {
            "two_rvs_same_stream": two_rvs_same_stream(),
            "no_default_updates": no_default_updates(),
            "reseed": reseed(),
            "shared_state_across_functions": shared_state_across_functions(),
            "one_draw_per_call": one_draw_per_call(),
        },
        "lead_expectations": {
            "scan_normal": scan_normal(),
            "gibbs_seed_example": gibbs_seed_example(),
        },
        "static_shapes": static_shapes(),
        "errors": errors(),
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT} with python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
