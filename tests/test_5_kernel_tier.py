"""The specialised tier (KERN-TIER-1 .. KERN-TIER-3): C generated for one program gives the
generic tier's and the Python path's bits; which tier runs; the cache of compiled programs.

Each new program costs one C compile (~0.2–1 s), so the generated-loop property test runs
fewer examples than the generic tier's: 20 by default, 1,000 under
``HYPOTHESIS_PROFILE=deep``.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from kernel_programs import scan_cases
from test_5_kernel_property import check_case

import reference as pytensor
import reference.tensor as pt
from reference._cloop import HAVE_CLOOP, dispatch, specialise
from reference.config import config
from reference.scan.op import ScanOp
from reference.scan.utils import until

pytestmark = pytest.mark.skipif(not HAVE_CLOOP, reason="_cloop not built")

TIER_EXAMPLES = 1000 if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else 20


def compiled_programs(fn) -> list:
    return [compiled for node in _scan_nodes(fn) for compiled in dispatch.compiled_programs(node.op)]


def _scan_nodes(fn) -> list:
    from reference.graph.traversal import toposort

    return [n for n in toposort(fn.computed) if isinstance(n.op, ScanOp)]


def bits(value) -> bytes:
    value = np.asarray(value)
    return value.dtype.str.encode() + str(value.shape).encode() + value.tobytes()


def run_tiers(inputs, outputs, args, updates=None):
    """The outputs on the Python path, the generic tier and the specialised tier."""
    results = {}
    for tier in ("generic", "specialised"):
        with config.change_flags(cloop__tier=tier):
            fn = pytensor.function(inputs, outputs, updates=updates)
            results[tier] = fn(*args)
            assert {c.tier for c in compiled_programs(fn) if c.steps_run} == {tier}
    results["python"] = pytensor.function(inputs, outputs, updates=updates, mode="python")(*args)
    return results


def assert_same(results):
    reference = [bits(v) for v in results["python"]]
    for tier in ("generic", "specialised"):
        assert [bits(v) for v in results[tier]] == reference, tier


def loops():
    """Loops chosen to reach each kind of register the tier handles."""
    x = pt.dvector("x")
    running, _ = pytensor.scan(lambda xt, acc: acc + xt, sequences=x, outputs_info=pt.constant(np.float64(0)))
    yield "running sum (value registers, a ring in locals)", [x], [running, running[-1]], \
        [np.random.default_rng(0).standard_normal(300)]

    x0, a, b = pt.dvector("x0"), pt.dscalar("a"), pt.dscalar("b")
    two, _ = pytensor.scan(lambda x1, x3, a, b: a * x1 + b * x3, outputs_info=dict(initial=x0, taps=[-1, -3]),
                           non_sequences=[a, b], n_steps=257)
    yield "two taps (lags 1..3 in locals)", [x0, a, b], [two], [np.array([0.1, 0.2, 0.3]), 0.5, 0.49]

    A, k = pt.dvector("A"), pt.iscalar("k")
    power, _ = pytensor.scan(lambda p, A: p * A, outputs_info=pt.ones_like(A), non_sequences=A, n_steps=k)
    yield "A**k (vector rows: exec_instr with constant geometry)", [A, k], [power[-1]], \
        [np.linspace(0.5, 1.5, 10), 100]

    n = pt.lscalar("n")
    counted, _ = pytensor.scan(lambda c: (c + 3, until(c > 50)), outputs_info=pt.constant(np.int64(0)),
                               n_steps=n)
    yield "until on an int64 recurrence", [n], [counted], [1000]

    v = pt.fvector("v")
    mixed, _ = pytensor.scan(lambda vt, h: pt.switch(vt > 0, h * vt, h - vt).astype("float32"),
                             sequences=v, outputs_info=pt.constant(np.float32(1)), go_backwards=True)
    yield "float32, switch, go_backwards", [v], [mixed], [np.linspace(-2, 2, 101).astype("float32")]

    y = pt.lvector("y")
    same, _ = pytensor.scan(lambda h: h, outputs_info=y[0], n_steps=5)
    yield "an output that is its own previous value", [y], [same], [np.array([7, 8], dtype="int64")]

    s = pt.dvector("s")
    both, _ = pytensor.scan(lambda st, h, g: [h * 0.5 + st, (g + h).sum()],
                            sequences=s, outputs_info=[pt.constant(np.float64(1)), pt.constant(np.float64(0))])
    yield "two rings, one read by the other's step", [s], both, [np.arange(40.0)]


@pytest.mark.rule("KERN-TIER-1")
@pytest.mark.parametrize("name,inputs,outputs,args", list(loops()), ids=[case[0] for case in loops()])
def test_kern_tier_1__both_tiers_give_the_python_paths_bits(name, inputs, outputs, args):
    assert_same(run_tiers(inputs, outputs, args))


@pytest.mark.rule("KERN-TIER-1")
def test_kern_tier_1__shared_updates_and_random_free_loops_match():
    acc = pytensor.shared(np.float64(0.5), name="acc")
    x = pt.dvector("x")
    out, updates = pytensor.scan(lambda xt: {acc: acc * 0.9 + xt}, sequences=x)
    for tier in ("generic", "specialised"):
        acc.set_value(np.float64(0.5))
        with config.change_flags(cloop__tier=tier):
            pytensor.function([x], [], updates=updates)(np.arange(50.0))
        got = acc.get_value()
        acc.set_value(np.float64(0.5))
        pytensor.function([x], [], updates=updates, mode="python")(np.arange(50.0))
        assert bits(got) == bits(acc.get_value()), tier


@pytest.mark.rule("KERN-TIER-1")
def test_kern_tier_1__scalar_steps_run_in_c_locals():
    """The running sum's registers are all values and its ring keeps its last row in a local:
    the generated step calls no interpreter code."""
    x = pt.dvector("x")
    s, _ = pytensor.scan(lambda xt, acc: acc + xt, sequences=x, outputs_info=pt.constant(np.float64(0)))
    fn = pytensor.function([x], s[-1])
    fn(np.ones(3))
    (compiled,) = compiled_programs(fn)
    writer = specialise.Writer(compiled.program, compiled.layout)
    assert writer.values == {r.index for r in compiled.program.regs}
    assert writer.lags == {0: 1}
    source = writer.source()
    assert "exec_instr(p" not in source and "lag0_1 = new0;" in source


@pytest.mark.rule("KERN-TIER-1")
@pytest.mark.rule("KERN-EXACT-1")
@settings(max_examples=TIER_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(scan_cases())
def test_kern_tier_1__generated_loops_on_the_specialised_tier_equal_the_python_path(case):
    with config.change_flags(cloop__tier="specialised"):
        check_case(case)
    assert specialise.UNAVAILABLE is None  # every generated program compiled


@pytest.mark.rule("KERN-TIER-2")
def test_kern_tier_2__auto_specialises_after_enough_steps():
    x = pt.dvector("x")
    s, _ = pytensor.scan(lambda xt, acc: acc * 0.5 + xt, sequences=x, outputs_info=pt.constant(np.float64(0)))
    fn = pytensor.function([x], s[-1])
    with config.change_flags(cloop__tier="auto"):
        fn(np.ones(100))
        (compiled,) = compiled_programs(fn)
        assert compiled.tier == "generic" and "20000" in compiled.tier_reason
        fn(np.ones(specialise.SPECIALISE_AFTER_STEPS))  # starts the build, runs generic
        assert compiled.tier == "generic" and compiled.building is not None
        specialise.wait_for_builds()
        fn(np.ones(10))
        assert compiled.tier == "specialised"
        assert "kernel tier: specialised" in str(pytensor.explain(fn))
    with config.change_flags(cloop__tier="generic"):
        fn(np.ones(10))
        assert compiled.tier == "generic"


@pytest.mark.rule("KERN-TIER-2")
def test_kern_tier_2__a_failed_build_keeps_the_generic_tier(monkeypatch):
    specialise.wait_for_builds()  # no build of an earlier test may see the broken one

    def broken(source):
        raise OSError("no compiler here")

    monkeypatch.setattr(specialise, "build", broken)
    monkeypatch.setattr(specialise, "UNAVAILABLE", None)
    x = pt.dvector("x")
    s, _ = pytensor.scan(lambda xt, acc: acc - xt, sequences=x, outputs_info=pt.constant(np.float64(0)))
    with config.change_flags(cloop__tier="specialised"):
        fn = pytensor.function([x], s)
        got = fn(np.arange(10.0))
    (compiled,) = compiled_programs(fn)
    assert compiled.tier == "generic" and "no compiler here" in compiled.tier_reason
    assert "kernel tier: generic (unavailable" in str(pytensor.explain(fn))
    assert bits(got) == bits(pytensor.function([x], s, mode="python")(np.arange(10.0)))


@pytest.mark.rule("KERN-TIER-2")
def test_kern_tier_2__the_flag_takes_only_its_choices():
    with pytest.raises(ValueError, match="cloop__tier"):
        config.cloop__tier = "fast"


@pytest.mark.rule("KERN-TIER-3")
def test_kern_tier_3__a_compiled_program_is_loaded_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REFERENCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(specialise, "_LOADED", {})
    source = specialise.PROBE_SOURCE
    assert "specialised tier: available (0 programs" not in specialise.status()
    specialise.build(source)
    built = list(specialise.cache_dir().glob("_cloop_spec_*.so"))
    assert len(built) == 1 and specialise.cache_dir().parent == tmp_path

    def no_compiler(*args):
        raise AssertionError("compiled again")

    monkeypatch.setattr(specialise, "_LOADED", {})
    monkeypatch.setattr(specialise, "_compile", no_compiler)
    entry = getattr(specialise.build(source), specialise.ENTRY)
    from reference._cloop import ffi

    result = ffi.new("cloop_result *")
    assert entry(ffi.new("cloop_plan *"), 0, 7, result) == 0 and result.t == 7


@pytest.mark.rule("KERN-TIER-1")
def test_kern_tier_1__a_run_of_vector_instructions_is_one_loop():
    """h * a + b on vectors: the multiply and the add run as one loop, the product never
    leaves a C local; results equal the Python path's."""
    h0, a, b = pt.dvector("h0"), pt.dvector("a"), pt.dvector("b")
    out, _ = pytensor.scan(lambda h, a, b: h * a + b, outputs_info=h0, non_sequences=[a, b], n_steps=50)
    rng = np.random.default_rng(3)
    args = [rng.standard_normal(100), rng.uniform(0.5, 1.0, 100), rng.standard_normal(100)]
    assert_same(run_tiers([h0, a, b], [out], args))
    fn = pytensor.function([h0, a, b], out)
    fn(*args)
    (compiled,) = compiled_programs(fn)
    runs = specialise.fused_runs(compiled.program)
    assert [[compiled.program.code[pc].op for pc in run] for run in runs] == [["MULTIPLY_F64", "ADD_F64"]]
    source = specialise.Writer(compiled.program, compiled.layout).source()
    assert "fused: 100 elements" in source and "        double l" in source


@pytest.mark.rule("KERN-TIER-1")
def test_kern_tier_1__the_power_fast_path_of_a_map_is_one_loop():
    """The seed's polynomial in blocks: numpy's power fast path (tests and selects) runs as
    one fused loop that writes its test register once per exponent, the base broadcast to
    every row is read once before the loop; results equal the Python path's."""
    c, x = pt.dvector("c"), pt.dscalar("x")
    comps, _ = pytensor.scan(lambda c, p, x: c * (x ** p), sequences=[c, pt.arange(3000)], non_sequences=x)
    args = [np.random.default_rng(5).standard_normal(3000), 1.0001]
    assert_same(run_tiers([c, x], [comps, comps.sum()], args))
    with config.change_flags(cloop__tier="specialised"):
        fn = pytensor.function([c, x], comps)
        fn(*args)
    (blocked,) = [p for p in compiled_programs(fn) if p.program.block]
    assert blocked.tier == "specialised"
    runs = specialise.fused_runs(blocked.program)
    fast = max(runs, key=len)
    ops = [blocked.program.code[pc].op for pc in fast]
    assert ops.count("EQUAL_F64") == 5 and ops.count("WHERE_F64") == 5 and ops[-1] == "MULTIPLY_F64"
    source = specialise.Writer(blocked.program, blocked.layout).source()
    assert "const double c" in source


@pytest.mark.rule("KERN-TIER-2")
def test_kern_tier_2__a_map_in_blocks_counts_its_loop_steps():
    """A blocked map's kernel step runs many loop steps: auto switches after 20,000 loop
    steps, not 20,000 blocks."""
    x = pt.dvector("x")
    y, _ = pytensor.scan(lambda xt: xt * 2.0 + 1.0, sequences=x)
    fn = pytensor.function([x], y)
    with config.change_flags(cloop__tier="auto"):
        fn(np.ones(specialise.SPECIALISE_AFTER_STEPS + 10))
        specialise.wait_for_builds()
        fn(np.ones(specialise.SPECIALISE_AFTER_STEPS + 10))
    (blocked,) = [p for p in compiled_programs(fn) if p.program.block]
    assert blocked.tier == "specialised" and blocked.steps_run >= specialise.SPECIALISE_AFTER_STEPS
    assert "loop steps per kernel step" in str(pytensor.explain(fn))


@pytest.mark.rule("KERN-TIER-1")
def test_kern_tier_1__overlapping_registers_are_not_fused():
    """A write into part of a vector that the next instruction reads elsewhere must finish
    first: such runs stay separate instructions."""
    h0 = pt.dvector("h0")
    out, _ = pytensor.scan(lambda h: pt.set_subtensor(h[1:], h[:-1] * 0.5) + h, outputs_info=h0, n_steps=7)
    args = [np.arange(6.0)]
    assert_same(run_tiers([h0], [out], args))



@pytest.mark.rule("KERN-TIER-3")
def test_kern_tier_3__the_cache_key_names_the_cpu_and_a_refused_native_flag_falls_back(monkeypatch, tmp_path):
    """Modules built for this CPU are keyed by its identity; a compiler that refuses
    -march=native builds with the kernel's flags alone, and the tier still runs."""
    identity = specialise.cpu_identity()
    assert identity and identity.splitlines()[0]  # at least the machine's architecture
    monkeypatch.setenv("REFERENCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(specialise, "_LOADED", {})
    monkeypatch.setattr(specialise, "_native", True)
    monkeypatch.setattr(specialise, "NATIVE_ARGS", ["-march=no-such-cpu"])
    lib = specialise.build(specialise.PROBE_SOURCE)
    assert specialise._native is False
    from reference._cloop import ffi

    result = ffi.new("cloop_result *")
    assert getattr(lib, specialise.ENTRY)(ffi.new("cloop_plan *"), 0, 3, result) == 0 and result.t == 3
    assert "any CPU of this architecture" in specialise.status()


@pytest.mark.rule("KERN-TIER-2")
def test_kern_tier_2__auto_never_waits_for_a_compile(monkeypatch):
    """The call that crosses the threshold, and every call while the compile runs, run on
    the generic tier with the same results; the first call after it runs the new C."""
    import threading

    specialise.wait_for_builds()
    release, started = threading.Event(), threading.Event()
    real = specialise.specialise

    def slow(program, layout):
        started.set()
        assert release.wait(30), "the test never released the build"
        return real(program, layout)

    monkeypatch.setattr(specialise, "specialise", slow)
    x = pt.dvector("x")
    s, _ = pytensor.scan(lambda xt, acc: acc * 0.25 - xt, sequences=x, outputs_info=pt.constant(np.float64(1)))
    fn = pytensor.function([x], s)
    data = np.linspace(-1.0, 1.0, specialise.SPECIALISE_AFTER_STEPS)
    expected = bits(pytensor.function([x], s, mode="python")(data))
    with config.change_flags(cloop__tier="auto"):
        try:
            assert bits(fn(data)) == expected
            (compiled,) = compiled_programs(fn)
            assert started.wait(30)
            assert bits(fn(data)) == expected  # the compile is still blocked
            assert compiled.tier == "generic" and "compiles in the background" in compiled.tier_reason
        finally:
            release.set()
        specialise.wait_for_builds()
        assert bits(fn(data)) == expected
        assert compiled.tier == "specialised" and compiled.building is None


@pytest.mark.rule("KERN-TIER-3")
def test_kern_tier_3__the_cache_keeps_the_most_recently_used_programs(monkeypatch, tmp_path):
    """Beyond ``cloop__cache_size`` modules, the least recently used are removed; a removed
    module is compiled again when needed, and a loaded one keeps working."""
    from reference._cloop import ffi

    monkeypatch.setenv("REFERENCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(specialise, "_LOADED", {})
    sources = [specialise.PROBE_SOURCE + f"/* program {i} */\n" for i in range(3)]
    with config.change_flags(cloop__cache_size=2):
        libs = []
        for source in sources:
            libs.append(specialise.build(source))
            os.utime(max(specialise.cache_dir().glob("_cloop_spec_*.so"), key=os.path.getmtime),
                     (1e9 + len(libs), 1e9 + len(libs)))  # distinct times, oldest first
        names = sorted(p.name for p in specialise.cache_dir().glob("_cloop_spec_*.so"))
        assert len(names) == 2
        result = ffi.new("cloop_result *")
        assert getattr(libs[0], specialise.ENTRY)(ffi.new("cloop_plan *"), 0, 5, result) == 0 and result.t == 5
        monkeypatch.setattr(specialise, "_LOADED", {})
        specialise.build(sources[0])  # its file was removed: compiled again
        assert len(list(specialise.cache_dir().glob("_cloop_spec_*.so"))) == 2
    with config.change_flags(cloop__cache_size=0):
        assert specialise.prune_cache(specialise.cache_dir()) == 2


@pytest.mark.rule("KERN-TIER-3")
@pytest.mark.parametrize("value", [-1, 2.5, "many", True])
def test_kern_tier_3__the_cache_size_is_a_count(value):
    with pytest.raises(ValueError, match="cloop__cache_size"):
        config.cloop__cache_size = value


@pytest.mark.rule("GRAPH-CONFIG-1")
def test_graph_config_1__the_cache_size_is_read_from_the_environment():
    with config.change_flags(cloop__cache_size=config.cloop__cache_size):
        config.load_environment("cloop__cache_size=12")
        assert config.cloop__cache_size == 12
        with pytest.raises(ValueError, match="expects an integer"):
            config.load_environment("cloop__cache_size=lots")
