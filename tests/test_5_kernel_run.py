"""Binding, running, interrupting, validating and debugging the C kernel (spec/5-kernel.rst)."""

from __future__ import annotations

import _thread
import copy
import re
import signal
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference._cloop import HAVE_CLOOP, dispatch, mirror, runtime, validate
from reference._cloop.dispatch import same_bits
from reference._cloop.tape import disassemble
from reference.config import config
from reference.graph.traversal import toposort
from reference.scan.op import ScanOp

pytestmark = [
    pytest.mark.skipif(not HAVE_CLOOP, reason="_cloop not built"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
]
F64 = np.float64
RNG = np.random.default_rng(7)


def scan_node(fn):
    return [n for n in toposort(fn.computed) if isinstance(n.op, ScanOp)][0]


def compiled_program(fn):
    return dispatch.decisions(scan_node(fn).op)["last"].program


def both(inputs, outputs, args, updates=None):
    results = []
    for mode in ("python", None):
        fn = pytensor.function(inputs, outputs, updates=updates, mode=mode)
        results.append(fn(*args))
    assert dispatch.decisions(scan_node(fn).op)["last"].path == "c"
    for a, b in zip(results[0], results[1], strict=True):
        assert same_bits(a, b)
    return results[1], fn


# -- KERN-BIND-* -----------------------------------------------------------------------------
@pytest.mark.rule("KERN-BIND-1")
@pytest.mark.parametrize("backwards", [False, True])
def test_kern_bind_1__sequence_taps_and_go_backwards(backwards):
    x, y = pt.dvector("x"), pt.dmatrix("y")
    out, _ = pytensor.scan(lambda a, b, c, row: [a + 10 * b - c, row[::-1] * a],
                           sequences=[dict(input=x, taps=[-2, 0, 3]), y], go_backwards=backwards)
    got, _ = both([x, y], out, [np.arange(12.0), RNG.standard_normal((6, 3))])
    assert got[0].shape == (6,)


@pytest.mark.rule("KERN-BIND-1")
def test_kern_bind_1__strided_and_reversed_inputs_are_read_in_place():
    x = pt.dmatrix("x")
    out, _ = pytensor.scan(lambda row, h: h + row * 2, sequences=x, outputs_info=pt.zeros((4,)))
    values = RNG.standard_normal((8, 9))[::-2, 1::2]  # negative row stride, strided rows
    both([x], [out], [values])


@pytest.mark.rule("KERN-BIND-1")
def test_kern_bind_1__multi_tap_outputs_and_shared_state():
    x0 = pt.dmatrix("x0")
    count = pytensor.shared(np.zeros(2), name="count")
    out, updates = pytensor.scan(lambda a, b, c: [a * 0.5 + b - c, {count: count + a}],
                                 outputs_info=dict(initial=x0, taps=[-1, -2, -4]), n_steps=9)
    both([x0], [out], [RNG.standard_normal((4, 2))], updates=updates)


@pytest.mark.rule("KERN-BIND-2")
@pytest.mark.parametrize("read", ["all", "last", "tail3", "none"])
def test_kern_bind_2__storage_plan_sizes_the_ring(read):
    x0 = pt.dvector("x0")
    out, _ = pytensor.scan(lambda a, b: a + b, outputs_info=dict(initial=x0, taps=[-1, -2]), n_steps=20)
    target = {"all": out, "last": out[-1], "tail3": out[-3:], "none": out.shape[0] * 0 + x0.sum()}[read]
    fn = pytensor.function([x0], target)
    python = pytensor.function([x0], target, mode="python")
    value = np.array([1.0, 1.0])
    assert same_bits(fn(value), python(value))
    if read != "none":
        program = compiled_program(fn)
        ring = program.rings[0]
        assert ring.keep == {"all": None, "last": 1, "tail3": 3}[read]


@pytest.mark.rule("KERN-BIND-2")
def test_kern_bind_2__until_keeps_the_stopping_step_and_zero_steps():
    m = pt.dscalar("m")
    n = pt.lscalar("n")
    out, _ = pytensor.scan(lambda p, m: (p * 2, pytensor.scan.utils.until(p * 2 > m)),
                           outputs_info=pt.constant(F64(1)), non_sequences=m, n_steps=n)
    for args in ([45.0, 1024], [45.0, 0], [0.5, 10], [1e9, 5]):
        got, _ = both([m, n], [out], args)
    assert got[0].shape == (5,)


@pytest.mark.rule("KERN-BIND-2")
@pytest.mark.parametrize("tier", ["generic", "specialised"])
def test_kern_bind_2__memory_is_flat_in_the_number_of_steps(tier):
    k, A = pt.iscalar("k"), pt.vector("A")
    result, updates = pytensor.scan(lambda p, A: p * A, outputs_info=pt.ones_like(A), non_sequences=A, n_steps=k)
    fn = pytensor.function([A, k], result[-1], updates=updates)
    a = np.linspace(0.999, 1.001, 10)
    peaks = []
    with config.change_flags(cloop__tier=tier):
        for steps in (1_000, 200_000):
            fn(a, 10)  # a warm-up call: lowering and, for the specialised tier, the compile
            tracemalloc.start()
            fn(a, steps)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    assert peaks[1] < peaks[0] + 4096, peaks
    assert compiled_program(fn).rings[0].keep == 1


# -- KERN-RUN-* ------------------------------------------------------------------------------
@pytest.mark.rule("KERN-RUN-1")
def test_kern_run_1__the_kernel_source_allocates_nothing_and_calls_no_python():
    source = (Path(runtime.__file__).parent / "kernel.c").read_text()
    code = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    for word in ("malloc", "calloc", "realloc", "free(", "Py", "alloca"):
        assert word not in code, word


@pytest.mark.rule("KERN-RUN-1")
@pytest.mark.parametrize("tier", ["generic", "specialised"])
def test_kern_run_1__the_gil_is_released_while_the_kernel_runs(tier):
    x = pt.dvector("x")
    # tanh is a numpy loop call: a step of some nanoseconds on either tier
    out, _ = pytensor.scan(lambda xt, h: pt.tanh(h) * 0.999 + xt, sequences=x, outputs_info=pt.constant(F64(0)))
    fn = pytensor.function([x], out[-1])
    data = np.ones(3_000_000)
    with config.change_flags(cloop__tier=tier):
        fn(data[:10])  # lowering and, for the specialised tier, the compile
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=count)
    runtime_before = runtime.CHUNK_SECONDS
    runtime.CHUNK_SECONDS = 10.0  # one long C call: only a released GIL lets the thread tick
    try:
        thread.start()
        start = time.perf_counter()
        with config.change_flags(cloop__tier=tier):
            fn(data)
        elapsed = time.perf_counter() - start
    finally:
        runtime.CHUNK_SECONDS = runtime_before
        done.set()
        thread.join()
    during = [t for t in ticks if start < t < start + elapsed]
    assert elapsed > 0.005 and len(during) >= 2, (elapsed, len(during))


@pytest.mark.rule("KERN-RUN-2")
@pytest.mark.parametrize("tier", ["generic", "specialised"])
def test_kern_run_2__ctrl_c_interrupts_within_100_ms_and_shared_variables_are_unchanged(tier):
    state = pytensor.shared(np.float64(1.0), name="state")
    n = pt.lscalar("n")
    _, updates = pytensor.scan(lambda: {state: state * 1.0000001 + 1e-9}, n_steps=n)
    fn = pytensor.function([n], [], updates=updates)
    with config.change_flags(cloop__tier=tier):
        fn(10)  # lowering and, for the specialised tier, the compile: before the timed call
    state.set_value(np.float64(1.0))
    before = state.get_value()
    fired = []

    def interrupt():
        fired.append(time.perf_counter())
        _thread.interrupt_main()

    # Python raises KeyboardInterrupt only with its own SIGINT handler installed; a process
    # started in the background (SIGINT ignored) has none, so install it for this test.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, interrupt)
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt), config.change_flags(cloop__tier=tier):
            fn(10**10)  # bounded: a lost interrupt fails the test instead of hanging it
        caught = time.perf_counter()
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert caught - fired[0] < 0.1, caught - fired[0]
    assert state.get_value() == before


# -- KERN-SAFE-1 ------------------------------------------------------------------------------
def a_program():
    x, W = pt.dvector("x"), pt.dmatrix("W")
    out, _ = pytensor.scan(lambda xt, h, W: pt.tanh(pt.dot(W, h) + xt).sum() * h,
                           sequences=x, outputs_info=pt.ones((3,)), non_sequences=W)
    fn = pytensor.function([x, W], out)
    fn(np.ones(4), np.eye(3))
    return compiled_program(fn)


@pytest.mark.rule("KERN-SAFE-1")
def test_kern_safe_1__a_lowered_program_passes():
    validate.check_program(a_program())


@pytest.mark.rule("KERN-SAFE-1")
@pytest.mark.parametrize("mutation", [
    "register_out_of_range", "geometry_too_long", "write_an_input", "wrong_dtype",
    "bad_opcode", "tap_too_deep", "offset_past_root", "gemv_lda", "ring_source_shape",
    "direct_elsewhere", "until_not_bool", "misaligned",
])
def test_kern_safe_1__hostile_programs_are_refused(mutation):
    from test_5_kernel_fuzz import clone

    program = clone(a_program())
    code = program.code
    ew = next(i for i in code if i.op.startswith(("ADD", "MUL", "TANH", "COPY", "CAST")) or i.op.startswith("CALL"))
    if mutation == "register_out_of_range":
        ew.a = len(program.regs) + 3
    elif mutation == "geometry_too_long":
        from reference._cloop.tape import Geom

        g = program.geoms[ew.geom]
        program.geoms.append(Geom((g.n[0], g.n[1], g.n[2] + 1000), g.s))
        ew.geom = len(program.geoms) - 1
        ew.flags = 0
    elif mutation == "write_an_input":
        ew.dst = next(r.index for r in program.regs if r.root[0] in ("ext", "tap"))
    elif mutation == "wrong_dtype":
        ew.op = "ADD_F32" if not ew.op.startswith("CALL") else "ADD_F32"
    elif mutation == "bad_opcode":
        ew.op = "NO_SUCH_OPCODE"
    elif mutation == "tap_too_deep":
        reg = next(r for r in program.regs if r.root[0] == "tap")
        reg.root = ("tap", reg.root[1], -5)
    elif mutation == "offset_past_root":
        program.regs[ew.dst].offset += 10**6
    elif mutation == "gemv_lda":
        gemv = next(i for i in code if i.op.startswith("GEMV"))
        gemv.imm = (gemv.imm[0], gemv.imm[1], gemv.imm[2], gemv.imm[3], 1, *gemv.imm[5:])
    elif mutation == "ring_source_shape":
        program.rings[0].row_shape = (4,)
    elif mutation == "direct_elsewhere":
        program.rings[0].direct = not program.rings[0].direct
    elif mutation == "until_not_bool":
        program.until_reg = 0
    elif mutation == "misaligned":
        program.regs[ew.dst].offset += 3
    with pytest.raises(validate.InvalidProgram):
        validate.check_program(program)


@pytest.mark.rule("KERN-SAFE-1")
def test_kern_safe_1__frames_are_checked_before_every_call():
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt, h: h + xt, sequences=x, outputs_info=pt.constant(F64(0)))
    fn = pytensor.function([x], out)
    fn(np.ones(5))
    op = scan_node(fn).op
    prep = runtime.prologue(op.spec, [np.ones(5), np.asarray(0.0)])
    compiled = dispatch.compiled_for(op, prep)
    frame = compiled.frame(op.spec, prep.outer, prep.n_steps, prep.windows, prep.history)
    bad = copy.copy(frame)
    bad.rings = [frame.rings[0][:1]]
    with pytest.raises(validate.InvalidProgram):
        validate.check_frame(compiled.program, bad, 5)
    bad = copy.copy(frame)
    array, base, step = frame.windows[0]
    bad.windows = [(array, base, step * 3)]
    with pytest.raises(validate.InvalidProgram):
        validate.check_frame(compiled.program, bad, 5)
    bad = copy.copy(frame)
    bad.heads = [7]
    with pytest.raises(validate.InvalidProgram):
        validate.check_frame(compiled.program, bad, 5)


# -- KERN-DEBUG-1 -----------------------------------------------------------------------------
@pytest.mark.rule("KERN-DEBUG-1")
def test_kern_debug_1__disassembly_names_registers_and_opcodes():
    text = disassemble(a_program())
    assert "GEMV_F64" in text and "CALL1" in text and "numpy.tanh[d->d]" in text and "ring0" in text


@pytest.mark.rule("KERN-DEBUG-1")
def test_kern_debug_1__the_mirror_runs_the_same_loop():
    x, W, h0 = pt.dvector("x"), pt.dmatrix("W"), pt.dvector("h0")
    out, _ = pytensor.scan(lambda xt, h, W: [pt.tanh(pt.dot(W, h) + xt), (h * xt).sum()],
                           sequences=x, outputs_info=[h0, None], non_sequences=W)
    fn = pytensor.function([x, W, h0], out)
    args = [RNG.standard_normal(7), RNG.standard_normal((3, 3)), np.ones(3)]
    fn(*args)
    op = scan_node(fn).op
    values = [args[0], args[2], args[1]]
    prep = runtime.prologue(op.spec, values)
    compiled = dispatch.compiled_for(op, prep)
    frame = compiled.frame(op.spec, prep.outer, prep.n_steps, prep.windows, prep.history)
    steps = mirror.run_mirror(compiled, frame, prep.n_steps)
    by_mirror = compiled.collect(op.spec, prep.outer, frame, steps, prep.n_steps)
    by_kernel = runtime.run_compiled(compiled, op.spec, prep)
    assert all(same_bits(a, b) for a, b in zip(by_mirror, by_kernel, strict=True))
    assert mirror.first_divergence(fn, *args) is None


@pytest.mark.rule("KERN-DEBUG-1")
def test_kern_debug_1__first_divergence_names_step_output_and_instruction():
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt, h: (h + xt) * 2.0, sequences=x, outputs_info=pt.constant(F64(1)))
    fn = pytensor.function([x], out)
    fn(np.ones(3))
    op = scan_node(fn).op
    compiled = next(v for v in op.__dict__["_kernel_cache"].values() if isinstance(v, runtime.Compiled))
    full = op.with_keep((None,)).with_mode(None)
    full.__dict__["_kernel_cache"] = {k: compiled for k in op.__dict__["_kernel_cache"]}
    from reference._cloop import opcodes

    add = next(i for i, ins in enumerate(compiled.program.code) if ins.op == "ADD_F64")
    compiled.code[add].op = opcodes.BY_NAME["SUBTRACT_F64"].code  # a wrong opcode in C only
    original = op.with_keep
    try:
        op.with_keep = lambda keep: type("F", (), {"with_mode": lambda self, m: full})()
        found = mirror.first_divergence(fn, np.array([0.0, 1.0, 2.0]))
    finally:
        op.with_keep = original
        compiled.code[add].op = opcodes.BY_NAME["ADD_F64"].code
    assert found is not None and found.step == 1 and found.output == 0  # step 0: 1 - 0 == 1 + 0
    assert "ADD_F64" in found.instruction


@pytest.mark.rule("KERN-BIND-3")
def test_kern_bind_3__the_seed_polynomial_runs_in_blocks():
    coefficients, x = pt.dvector("coefficients"), pt.dscalar("x")
    components, _ = pytensor.scan(lambda c, p, x: c * (x ** p), outputs_info=None,
                                  sequences=[coefficients, pt.arange(3000)], non_sequences=x)
    args = [RNG.standard_normal(2500), 1.001]
    got, fn = both([coefficients, x], [components, components.sum()], args)
    blocked = [v for v in dispatch.compiled_programs(scan_node(fn).op) if v.program.block]
    assert blocked and blocked[0].program.block == 1024
    assert "1024 loop steps per kernel step" in disassemble(blocked[0].program)


@pytest.mark.rule("KERN-BIND-3")
def test_kern_bind_3__a_step_with_a_reduction_runs_step_by_step():
    x = pt.dmatrix("x")
    out, _ = pytensor.scan(lambda row: row.sum() * 2, sequences=x)
    got, fn = both([x], [out], [RNG.standard_normal((5000, 3))])
    assert not any(v.program.block for v in dispatch.compiled_programs(scan_node(fn).op))


@pytest.mark.rule("KERN-BIND-3")
@pytest.mark.parametrize("n", [9, 11, 13, 17])
@pytest.mark.parametrize("k", [1, 3, 4, 5, 7])
@pytest.mark.parametrize("backwards", [False, True])
def test_kern_bind_3__kept_rows_of_a_map_with_an_overlapping_block(monkeypatch, n, k, backwards):
    """Only the last k rows read (the storage plan keeps k): with blocks of 4 the ring keeps
    whole blocks and the overlapping one; the rows returned equal the Python path's."""
    monkeypatch.setattr(runtime, "BLOCK_ROWS", 4)
    x = pt.dvector("x")
    ys, _ = pytensor.scan(lambda a: pt.exp(a) * 2.0 - a, sequences=x, go_backwards=backwards)
    data = np.linspace(-3.0, 2.0, n)
    fn = pytensor.function([x], [ys[-k:], ys[-1]])
    got = fn(data)
    expected = pytensor.function([x], [ys[-k:], ys[-1]], mode="python")(data)
    assert [g.tobytes() for g in got] == [e.tobytes() for e in expected]
    blocked = [c for c in dispatch.compiled_programs(scan_node(fn).op) if c.program.block]
    assert blocked and blocked[0].steps_run and blocked[0].program.rings[0].keep is not None


@pytest.mark.rule("KERN-BIND-3")
@pytest.mark.parametrize("n", [8, 9, 11, 13])
@pytest.mark.parametrize("backwards", [False, True])
def test_kern_bind_3__the_last_steps_are_an_overlapping_block(monkeypatch, n, backwards):
    """With blocks of 4 steps, n steps run as n // 4 blocks plus one block ending at the last
    step; every row equals the Python path's."""
    monkeypatch.setattr(runtime, "BLOCK_ROWS", 4)
    x = pt.dvector("x")
    ys, _ = pytensor.scan(lambda a, b: pt.exp(a) * b - a, sequences=dict(input=x, taps=[0, 2]),
                          go_backwards=backwards)
    data = np.linspace(-3.0, 2.0, n + 2)
    runs = []
    original = runtime.Compiled.run

    def counted(self, frame, n_steps, bundle=None, start=0):
        runs.append((self.program.block, start, n_steps))
        return original(self, frame, n_steps, bundle, start)

    monkeypatch.setattr(runtime.Compiled, "run", counted)
    got = pytensor.function([x], ys)(data)
    expected = pytensor.function([x], ys, mode="python")(data)
    assert got.tobytes() == expected.tobytes() and got.shape == expected.shape == (n,)
    # one frame: kernel steps 0 .. n // 4 - 1, then the overlapping block as step n // 4
    assert runs == [(4, 0, n // 4)] + ([(4, n // 4, n // 4 + 1)] if n % 4 else [])


@pytest.mark.rule("KERN-BIND-2")
@pytest.mark.parametrize("mode", ["c", None])
def test_kern_bind_2__a_commit_never_overwrites_a_row_another_commit_reads(mode):
    # PyTensor's test_seq_tap_bug_jeremiah: h's trace is read by nobody (kept for 0 rows),
    # and the second output returns h[t-1]; a ring of 1 row let h's new row overwrite it
    s, i = pt.matrix("s"), pt.vector("i")
    (_, prev), _ = pytensor.scan(lambda x, p: (x, p), sequences=s, outputs_info=[i, None])
    f = pytensor.function([s, i], prev, mode=mode)
    assert f(np.arange(1.0, 5.0).reshape(4, 1), -np.ones(1)).ravel().tolist() == [-1.0, 1.0, 2.0, 3.0]
    p0, w = pt.vector("p0"), pt.vector("w")
    (_, prev2), _ = pytensor.scan(lambda p, w_: (w_, p), outputs_info=[p0, None], non_sequences=w, n_steps=3)
    g = pytensor.function([p0, w], prev2, mode=mode)
    assert g(-np.ones(1), 7 * np.ones(1)).ravel().tolist() == [-1.0, 7.0, 7.0]


@pytest.mark.rule("KERN-MODE-4")
def test_kern_mode_4__check_mode_also_runs_the_planned_program(monkeypatch):
    from reference._cloop import dispatch, validate

    s, i = pt.matrix("s"), pt.vector("i")
    (_, prev), _ = pytensor.scan(lambda x, p: (x, p), sequences=s, outputs_info=[i, None])
    f = pytensor.function([s, i], prev, mode="check")
    args = (np.arange(1.0, 5.0).reshape(4, 1), -np.ones(1))
    assert f(*args).ravel().tolist() == [-1.0, 1.0, 2.0, 3.0]
    # the ring-size bug of KERN-BIND-2, put back: every step of the unplanned twin agrees,
    # the planned program's kept rows do not, and check mode says so
    monkeypatch.setattr(validate, "ring_rows", lambda ring, n: max(
        ring.depth + (n if ring.keep is None else min(ring.keep, n)), ring.depth + (1 if ring.direct else 0), 1))
    g = pytensor.function([s, i], prev, mode="check")
    with pytest.raises(dispatch.KernelMismatch, match="as the storage plan keeps it"):
        g(*args)
