"""Which ops lower, exactness, fallback and modes of the C kernel (spec/5-kernel.rst)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference._cloop import HAVE_CLOOP, dispatch, selfcheck
from reference._cloop.dispatch import KernelMismatch, KernelUnavailable, same_bits
from reference.graph.traversal import toposort
from reference.scan.op import ScanOp

pytestmark = [
    pytest.mark.skipif(not HAVE_CLOOP, reason="_cloop not built"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
]
RNG = np.random.default_rng(20261127)
F64 = np.float64


def loop_paths(fn) -> list:
    return [dispatch.decisions(n.op).get("last") for n in toposort(fn.computed) if isinstance(n.op, ScanOp)]


def ran_on_kernel(fn) -> bool:
    paths = loop_paths(fn)
    return bool(paths) and all(d is not None and d.path in ("c", "check") for d in paths)


def agree(inputs, outputs, args, updates=None, expect_kernel=True):
    """Both paths, compared at every step (check mode) and at the end (default mode)."""
    python = pytensor.function(inputs, outputs, updates=updates, mode="python")
    auto = pytensor.function(inputs, outputs, updates=updates)
    check = pytensor.function(inputs, outputs, updates=updates, mode="check")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = python(*args)
        got = auto(*args)
        check(*args)
    if isinstance(expected, list):
        assert all(same_bits(a, b) for a, b in zip(got, expected, strict=True))
    else:
        assert same_bits(got, expected)
    assert ran_on_kernel(auto) == expect_kernel, pytensor.explain(auto)
    return got


# -- KERN-OP-* -------------------------------------------------------------------------------
@pytest.mark.rule("KERN-OP-1")
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32", "int8"])
def test_kern_op_1__arithmetic_on_each_dtype(dtype):
    x = pt.tensor(dtype, (None,), name="x")
    h0 = pt.tensor(dtype, (), name="h0")

    def step(xt, h):
        out = (h * 3 + xt) // (xt - 1) - pt.maximum(h, xt) % 7 + pt.abs(-h) * pt.sign(xt)
        return pt.cast(out, dtype)

    out, _ = pytensor.scan(step, sequences=x, outputs_info=h0)
    values = np.array([0, 1, -1, 2, 3, 100, -128, 127, 5, 0], dtype=dtype)
    agree([x, h0], out, [values, np.asarray(1, dtype=dtype)])


@pytest.mark.rule("KERN-OP-1")
def test_kern_op_1__integer_wraparound_and_division_by_zero():
    x = pt.lvector("x")
    out, _ = pytensor.scan(lambda xt, h: (h * xt + 9223372036854775807) // xt + h % (xt - xt),
                           sequences=x, outputs_info=pt.constant(np.int64(3)))
    got = agree([x], out, [np.array([0, -1, 2, np.iinfo(np.int64).min, 5], dtype=np.int64)])
    assert got.dtype == np.int64


@pytest.mark.rule("KERN-OP-1")
def test_kern_op_1__comparisons_logic_and_nan():
    x = pt.dvector("x")
    out, _ = pytensor.scan(
        lambda xt, h: [pt.cast((xt < h) | (xt >= 0) ^ pt.eq(xt, xt), "float64") + pt.maximum(xt, h),
                       pt.minimum(h, xt)],
        sequences=x, outputs_info=[pt.constant(F64(0)), None])
    agree([x], out, [np.array([np.nan, -0.0, 0.0, np.inf, -np.inf, 1.5, np.nan])])


@pytest.mark.rule("KERN-OP-1")
def test_kern_op_1__integer_power_does_not_lower():
    x = pt.lvector("x")
    out, _ = pytensor.scan(lambda xt, h: h + xt ** 2, sequences=x, outputs_info=pt.constant(np.int64(0)))
    agree([x], out, [np.arange(5)], expect_kernel=False)


@pytest.mark.rule("KERN-OP-2")
@pytest.mark.parametrize("fn", ["exp", "log", "log1p", "expm1", "sin", "cos", "tan", "tanh", "sigmoid", "erf"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kern_op_2__transcendentals_through_numpy_loops(fn, dtype):
    x = pt.tensor(dtype, (None,), name="x")
    out, _ = pytensor.scan(lambda xt: getattr(pt, fn)(xt), sequences=x)
    values = np.concatenate([np.linspace(-20, 20, 101), [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-310]])
    agree([x], out, [values.astype(dtype)])


@pytest.mark.rule("KERN-OP-2")
def test_kern_op_2__power_floor_divide_remainder_of_floats():
    x, y = pt.dvector("x"), pt.dvector("y")
    out, _ = pytensor.scan(lambda a, b: [a ** b, a // b, a % b], sequences=[x, y])
    values = np.array([7.0, -7.0, 0.0, -0.0, 2.5, np.nan, np.inf, 3.0])
    agree([x, y], out, [values, np.roll(values, 3)])


@pytest.mark.rule("KERN-OP-3")
@pytest.mark.parametrize("src", ["float64", "float32", "int64", "int32", "int8", "bool"])
def test_kern_op_3__casts_are_astype(src):
    x = pt.tensor(src, (None,), name="x")
    out, _ = pytensor.scan(lambda xt: [pt.cast(xt, d) for d in ("float64", "float32", "int64", "int32", "int8", "bool")
                                       if d != src], sequences=x)
    specials = selfcheck.specials(src)
    agree([x], out, [specials])


@pytest.mark.rule("KERN-OP-3")
def test_kern_op_3__switch_identity_clip():
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt, h: pt.switch(xt, pt.clip(h + xt, -1.5, 2.0), pt.identity(h) * 2),
                           sequences=x, outputs_info=pt.constant(F64(0.25)))
    agree([x], out, [np.array([0.0, 1.0, np.nan, -0.0, 3.0, -5.0])])


@pytest.mark.rule("KERN-OP-4")
@pytest.mark.parametrize("kind", ["sum", "prod", "max", "min"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, ()])
def test_kern_op_4__reductions(kind, axis):
    m = pt.dtensor3("m")
    out, _ = pytensor.scan(lambda mt: getattr(pt, kind)(mt, axis=axis), sequences=m)
    values = RNG.standard_normal((4, 130, 3))
    values[1] = -0.0
    values[2, 7, 1] = np.nan
    agree([m], out, [values])


@pytest.mark.rule("KERN-OP-4")
def test_kern_op_4__any_all_and_integer_sums():
    m = pt.ltensor3("m")
    out, _ = pytensor.scan(lambda mt: [mt.sum(), pt.any(mt > 2, axis=0), pt.all(mt > -100, axis=1),
                                       pt.cast(mt, "int8").sum(axis=1)], sequences=m)
    agree([m], out, [RNG.integers(-300, 300, (5, 6, 7))])


@pytest.mark.rule("KERN-OP-4")
@pytest.mark.rule("KERN-LAYOUT-1")
def test_kern_op_4__float_sum_of_a_transposed_matrix_falls_back():
    m = pt.dtensor3("m")
    out, _ = pytensor.scan(lambda mt: (mt.T * 2.0).sum(), sequences=m)
    agree([m], out, [RNG.standard_normal((3, 40, 50))], expect_kernel=False)


@pytest.mark.rule("KERN-OP-5")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kern_op_5__dot_and_matmul(dtype):
    W, x0, X = pt.tensor(dtype, (None, None), name="W"), pt.tensor(dtype, (None,), name="x0"), \
        pt.tensor(dtype, (None, None), name="X")

    def step(xt, h, W):
        return [pt.tanh(pt.dot(W, h) + pt.dot(xt, W) * 0.5 + pt.dot(h, xt)),
                pt.matmul(W, h) + pt.matmul(h, W), pt.dot(W, W + 1).sum(axis=0)]

    out, _ = pytensor.scan(step, sequences=X, outputs_info=[x0, None, None], non_sequences=W)
    n = 9
    agree([W, x0, X], out, [(RNG.standard_normal((n, n)) * 0.3).astype(dtype),
                            RNG.standard_normal(n).astype(dtype), RNG.standard_normal((6, n)).astype(dtype)])


@pytest.mark.rule("KERN-OP-5")
@pytest.mark.rule("KERN-LAYOUT-1")
def test_kern_op_5__fortran_ordered_non_sequence():
    W, h0 = pt.dmatrix("W"), pt.dvector("h0")
    out, _ = pytensor.scan(lambda h, W: pt.dot(W, h) * 0.5, outputs_info=h0, non_sequences=W, n_steps=4)
    w = np.asfortranarray(RNG.standard_normal((7, 7)))
    agree([W, h0], out, [w, np.ones(7)])


@pytest.mark.rule("KERN-OP-5")
def test_kern_op_5__matrix_times_own_transpose_falls_back():
    W = pt.dmatrix("W")
    out, _ = pytensor.scan(lambda h: pt.dot(h, h.T) * 0.1, outputs_info=W, n_steps=2)
    agree([W], out, [RNG.standard_normal((5, 5))], expect_kernel=False)
    # with W a non-sequence, dot(W, W.T) is computed once before the loop, by numpy itself
    out, _ = pytensor.scan(lambda h, W: h + pt.dot(W, W.T), outputs_info=pt.zeros((5, 5)), non_sequences=W, n_steps=2)
    agree([W], out, [RNG.standard_normal((5, 5))])


@pytest.mark.rule("KERN-OP-6")
def test_kern_op_6__views_and_writes_into_parts():
    m = pt.dtensor3("m")

    def step(mt, h):
        row = mt[1]
        col = mt[:, -1]
        block = mt[::2, 1:3].dimshuffle(1, 0)
        h2 = pt.set_subtensor(h[0], row.sum())
        h3 = pt.inc_subtensor(h2[1:], col[:2])
        return h3 + block.reshape((block.size,))[:3] + pt.alloc(mt[0, 0], 3) + pt.stack([mt[0, 1], mt[1, 0], mt[2, 2]])

    out, _ = pytensor.scan(step, sequences=m, outputs_info=pt.zeros((3,)))
    agree([m], out, [RNG.standard_normal((5, 4, 4))])


@pytest.mark.rule("KERN-OP-6")
def test_kern_op_6__advanced_indexing_falls_back():
    m, i = pt.dmatrix("m"), pt.lvector("i")
    out, _ = pytensor.scan(lambda mt, i: mt[i].sum(), sequences=m, non_sequences=i)
    agree([m, i], out, [RNG.standard_normal((4, 5)), np.array([0, 2, 2])], expect_kernel=False)


@pytest.mark.rule("KERN-OP-7")
def test_kern_op_7__constants_and_invariants_are_computed_once():
    x, W = pt.dvector("x"), pt.dmatrix("W")
    out, _ = pytensor.scan(lambda xt, h, W: h * pt.exp(W.T[0]).sum() + xt * pt.constant(np.arange(3.0)).sum(),
                           sequences=x, outputs_info=pt.constant(F64(1)), non_sequences=W)
    fn = pytensor.function([x, W], out)
    fn(np.ones(4), np.eye(3))
    program = loop_paths(fn)[0].program
    assert len(program.invariant_nodes) >= 2  # W.T[0], exp, sum: before the loop
    assert len(program.code) <= 4
    agree([x, W], out, [np.linspace(0, 1, 6), RNG.standard_normal((3, 3))])


# -- KERN-EXACT-* ----------------------------------------------------------------------------
@pytest.mark.rule("KERN-EXACT-1")
def test_kern_exact_1__nan_compared_as_a_class():
    assert same_bits(np.array([np.nan, 1.0]), np.array([-np.nan, 1.0]))
    assert not same_bits(np.array([0.0]), np.array([-0.0]))
    assert not same_bits(np.array([1.0], np.float32), np.array([1.0]))


@pytest.mark.rule("KERN-EXACT-2")
def test_kern_exact_2__compile_flags_and_denormals():
    from reference._cloop import _build

    assert "-ffp-contract=off" in _build.COMPILE_ARGS
    assert "-fno-fast-math" in _build.COMPILE_ARGS and "-fno-fast-math" in _build.LINK_ARGS
    assert not any("fast-math" in a and "no-fast" not in a for a in _build.COMPILE_ARGS + _build.LINK_ARGS)
    assert (np.array([5e-324]) * 1.0)[0] != 0.0  # the kernel did not turn on flush-to-zero


@pytest.mark.rule("KERN-EXACT-2")
def test_kern_exact_2__loops_are_numpys_own():
    from reference._cloop import pointers

    fn, data = pointers.ufunc_loop("numpy.exp", "d->d")
    assert fn != 0
    blas = pointers.numpy_blas()
    assert os.path.dirname(blas.path).startswith(os.path.dirname(np.__file__))


@pytest.mark.rule("KERN-EXACT-3")
def test_kern_exact_3__self_check_passes_and_reports():
    report = selfcheck.results()
    assert report.error is None
    assert len(report.passed) > 150
    assert ("op", "ADD_F64") in report.passed and ("ufunc", "numpy.tanh", "d->d") in report.passed
    assert "subjects agree with numpy" in report.summary()


@pytest.mark.rule("KERN-EXACT-3")
def test_kern_exact_3__a_disabled_subject_falls_back(monkeypatch):
    report = selfcheck.results()
    monkeypatch.setitem(report.failed, ("op", "ADD_F64"), "made to fail by a test")
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt, h: h + xt, sequences=x, outputs_info=pt.constant(F64(0)))
    fn = pytensor.function([x], out)
    fn(np.ones(3))
    decision = loop_paths(fn)[0]
    assert decision.path == "python" and "ADD_F64 is disabled" in decision.reason


# -- KERN-FALL-* and KERN-MODE-* ------------------------------------------------------------
@pytest.mark.rule("KERN-FALL-1")
def test_kern_fall_1__random_ops_fall_back_whole():
    srng = pt.random.RandomStream(3)
    out, updates = pytensor.scan(lambda h: h + srng.normal(), outputs_info=pt.constant(F64(0)), n_steps=4)
    fn = pytensor.function([], out, updates=updates)
    fn()
    assert loop_paths(fn)[0].path == "python"
    assert "NormalRV" in str(pytensor.explain(fn))


@pytest.mark.rule("KERN-FALL-1")
def test_kern_fall_1__numpy_raising_error_state_falls_back():
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt: xt / 0.0, sequences=x)
    fn = pytensor.function([x], out)
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        fn(np.ones(2))
    assert "error state" in loop_paths(fn)[0].reason


@pytest.mark.rule("KERN-FALL-1")
def test_kern_fall_1__the_error_state_is_read_at_every_call():
    """Entering, leaving and changing numpy's error state between calls of the same
    function switches the path each time (the kernel's check is cached per state)."""
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt: xt * 2.0, sequences=x)
    fn = pytensor.function([x], out)
    paths = []
    for state in [{}, {"over": "raise"}, {}, {"invalid": "call"}, {"all": "ignore"}, {"under": "raise"}]:
        with np.errstate(**state):
            fn(np.ones(3))
        paths.append(loop_paths(fn)[0].path)
    old = np.seterr(divide="raise")
    try:
        fn(np.ones(3))
        paths.append(loop_paths(fn)[0].path)
    finally:
        np.seterr(**old)
    fn(np.ones(3))
    paths.append(loop_paths(fn)[0].path)
    assert paths == ["c", "python", "c", "python", "c", "python", "python", "c"]


@pytest.mark.rule("KERN-FALL-1")
def test_kern_fall_1__no_cloop_environment_variable(monkeypatch):
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt: xt + 1, sequences=x)
    fn = pytensor.function([x], out)
    fn(np.ones(2))
    assert loop_paths(fn)[0].path == "c"
    monkeypatch.setenv("REFERENCE_NO_CLOOP", "1")
    fn(np.ones(2))
    assert loop_paths(fn)[0].path == "python"
    monkeypatch.setenv("REFERENCE_NO_CLOOP", "0")
    fn(np.ones(2))
    assert loop_paths(fn)[0].path == "c"


@pytest.mark.rule("KERN-FALL-2")
@pytest.mark.parametrize("mode", [None, "c"])
def test_kern_fall_2__errors_are_the_python_paths(mode):
    x = pt.dvector("x")
    n = pt.lscalar("n")
    out, _ = pytensor.scan(lambda xt, h: h + xt, sequences=x, outputs_info=pt.constant(F64(0)), n_steps=n)
    errors = []
    for m in ("python", mode):
        fn = pytensor.function([x, n], out, mode=m)
        with pytest.raises(ValueError) as info:
            fn(np.ones(3), 5)
        errors.append((type(info.value), str(info.value).splitlines()[0]))
    assert errors[0] == errors[1]


@pytest.mark.rule("KERN-FALL-2")
def test_kern_fall_2__a_step_that_would_raise_raises_the_same_error():
    x = pt.dmatrix("x")
    out, _ = pytensor.scan(lambda xt: xt * xt[:1], sequences=x)
    messages = []
    for m in ("python", None):
        with pytest.raises(ValueError) as info:
            pytensor.function([x], out, mode=m)(np.ones((2, 3)))
        messages.append(str(info.value).splitlines()[0])
    assert messages[0] == messages[1]


@pytest.mark.rule("KERN-MODE-1")
def test_kern_mode_1__function_mode_reaches_every_loop():
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt: xt * 2, sequences=x)
    for mode, expected in ((None, None), ("FAST_RUN", None), ("python", "python"), ("c", "c"),
                           ("check", "check"), ("DebugMode", "check")):
        fn = pytensor.function([x], out, mode=mode)
        assert [n.op.mode for n in toposort(fn.computed) if isinstance(n.op, ScanOp)] == [expected]
    with pytensor.config.change_flags(mode="python"):
        fn = pytensor.function([x], out)
    assert [n.op.mode for n in toposort(fn.computed) if isinstance(n.op, ScanOp)] == ["python"]


@pytest.mark.rule("KERN-MODE-1")
def test_kern_mode_1__scan_mode_argument_is_kept_by_the_default():
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt: xt * 2, sequences=x, mode="python")
    fn = pytensor.function([x], out)
    fn(np.ones(2))
    assert loop_paths(fn)[0].path == "python"


@pytest.mark.rule("KERN-MODE-2")
def test_kern_mode_2__c_mode_raises_naming_the_op():
    x = pt.dmatrix("x")
    out, _ = pytensor.scan(lambda xt: pt.argmax(xt), sequences=x)
    fn = pytensor.function([x], out, mode="c")
    with pytest.raises(KernelUnavailable, match="Argmax"):
        fn(np.ones((2, 3)))
    v = pt.dvector("v")
    ok = pytensor.function([v], v.sum() + pytensor.scan(lambda vt: vt + 1, sequences=v)[0].sum(), mode="c")
    assert ok(np.ones(3)) == 9.0


@pytest.mark.rule("KERN-MODE-3")
def test_kern_mode_3__python_mode_never_uses_the_kernel():
    x = pt.dmatrix("x")

    def outer(row):
        inner, _ = pytensor.scan(lambda v: v * 2, sequences=row)
        return inner.sum()

    out, _ = pytensor.scan(outer, sequences=x)
    fn = pytensor.function([x], out, mode="python")
    fn(np.ones((2, 3)))
    assert loop_paths(fn)[0].path == "python"
    inner_op = [n.op for n in toposort(fn.computed) if isinstance(n.op, ScanOp)][0]
    nested = [n.op for n in toposort(inner_op.spec.inner_outputs) if isinstance(n.op, ScanOp)]
    assert all(dispatch.decisions(op).get("last") is None or dispatch.decisions(op)["last"].path == "python"
               for op in nested)


@pytest.mark.rule("KERN-MODE-4")
def test_kern_mode_4__check_mode_names_the_first_difference(monkeypatch):
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda xt, h: h + xt, sequences=x, outputs_info=pt.constant(F64(0)))
    fn = pytensor.function([x], out, mode="check")
    assert same_bits(fn(np.arange(4.0)), np.array([0.0, 1.0, 3.0, 6.0]))
    assert loop_paths(fn)[0].path == "check"
    from reference._cloop import runtime

    original = runtime.Compiled.collect

    def corrupt(self, spec, outer, frame, steps, n_steps):
        results = original(self, spec, outer, frame, steps, n_steps)
        results[0][2] += 1.0
        return results

    monkeypatch.setattr(runtime.Compiled, "collect", corrupt)
    with pytest.raises(KernelMismatch, match="step 2, output 0"):
        fn(np.arange(4.0))


@pytest.mark.rule("KERN-EXPLAIN-1")
def test_kern_explain_1__per_loop_path_and_reason():
    x = pt.dmatrix("x")
    a, _ = pytensor.scan(lambda xt: xt + 1, sequences=x, name="fast")
    b, _ = pytensor.scan(lambda xt: pt.argmax(xt), sequences=x, name="slow")
    fn = pytensor.function([x], [a, b])
    before = pytensor.explain(fn)
    assert len(before) == 2 and "not called yet" in str(before) and "Argmax" in str(before)
    fn(np.ones((2, 3)))
    after = {r.name: r for r in pytensor.explain(fn)}
    assert after["fast"].path == "c" and after["slow"].path == "python"
    assert "Argmax" in after["slow"].reason
    assert "ADD_F64" in str(pytensor.explain(fn, verbose=True))


@pytest.mark.rule("KERN-BUILD-1")
def test_kern_build_1__kernel_present_when_required():
    from reference import _cloop

    if os.environ.get("REFERENCE_REQUIRE_CLOOP") == "1":
        assert _cloop.HAVE_CLOOP, _cloop.CLOOP_IMPORT_ERROR
    assert _cloop.lib.cloop_abi_version() == _cloop.ABI_VERSION
    assert "available" in _cloop.kernel_status()
    assert _cloop.lib.cloop_sizeof_plan() == _cloop.ffi.sizeof("cloop_plan")
    assert _cloop.lib.cloop_sizeof_instr() == _cloop.ffi.sizeof("cloop_instr")


@pytest.mark.rule("KERN-BUILD-1")
def test_kern_build_1__without_the_kernel_everything_runs_on_python():
    code = (
        "import sys; sys.modules['reference._cloop._kernel'] = None\n"
        "import numpy as np, reference as pytensor, reference.tensor as pt\n"
        "from reference import _cloop\n"
        "assert not _cloop.HAVE_CLOOP\n"
        "x = pt.dvector('x'); out, _ = pytensor.scan(lambda v: v * 2, sequences=x)\n"
        "f = pytensor.function([x], out); assert (f(np.ones(2)) == 2).all()\n"
        "print(pytensor.explain(f))\n"
        "from reference.__main__ import main; main(['info'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(pytensor.__file__))))
    assert proc.returncode == 0, proc.stderr
    assert "unavailable" in proc.stdout and "pip install" in proc.stdout


@pytest.mark.rule("KERN-BUILD-2")
def test_kern_build_2__generated_c_matches_the_opcode_table():
    from reference._cloop import opcodes

    assert opcodes.main(["--check"]) == 0
    header = (opcodes.HERE / "opcodes.h").read_text()
    for op in opcodes.OPCODES:
        assert f"CLOOP_OP_{op.name} = {op.code}," in header
        if op.kind not in ("ew1", "ew2", "ew3"):
            assert f"case CLOOP_OP_{op.name}:" in (opcodes.HERE / "kernel.c").read_text()


@pytest.mark.rule("KERN-LAYOUT-1")
def test_kern_layout_1__a_numpy_loop_on_a_reversed_one_element_state_is_not_lowered():
    """Found by the deep property run: the step returns a reversed view of one element, so
    from step 1 on the Python path calls float32 tan with a negative stride, which numpy
    rounds differently from the contiguous call; the kernel would read a contiguous row."""
    h0 = pt.fvector("h0")
    out, _ = pytensor.scan(lambda h: pt.tan(h).dimshuffle("x", 0)[0][::-1], outputs_info=h0, n_steps=3)
    v = np.array([300.7], dtype=np.float32)
    expected = pytensor.function([h0], out, mode="python")(v)
    fn = pytensor.function([h0], out)
    assert fn(v).tobytes() == expected.tobytes()
    assert "reversed strides" in str(pytensor.explain(fn))
