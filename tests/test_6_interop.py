"""Chapter 6, "The PyTensor bridge" (ORACLE-BRIDGE-*): PyTensor scan graphs, hand-written and
generated, forward and gradient, converted and evaluated by the reference, equal to
PyTensor's ``Mode(linker="py", optimizer=None)`` except the divergences of appendix C.

Needs PyTensor (Python 3.12+): run under the PyTensor virtual environment.
"""

import warnings

import numpy as np
import pytest

pytensor = pytest.importorskip("pytensor")

import pytensor.tensor as pt  # noqa: E402
from hypothesis import assume, given, note, settings  # noqa: E402
from pytensor.compile.mode import Mode  # noqa: E402
from pytensor.scan import foldl, foldr, reduce, scan_checkpoints, until  # noqa: E402

import reference  # noqa: E402
from reference.interop.pytensor import (  # noqa: E402
    ConversionError,
    ScanBuffer,
    UnsupportedOpError,
    check_function,
    evaluate,
    from_pytensor,
)
from reference.testing import compare  # noqa: E402
from reference.testing.strategies import scan_programs  # noqa: E402

PY = Mode(linker="py", optimizer=None)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning",
                                        "ignore::UserWarning")


def sc(fn, **kwargs):
    return pytensor.scan(fn, return_updates=False, **kwargs)


CASES = {}


def case(divergence=None):
    """Register a hand-written graph: returns (inputs, outputs, updates, values).
    ``divergence`` names the appendix C section and the rule the report must cite."""
    def register(build):
        CASES[build.__name__] = (build, divergence)
        return build
    return register


x, y = pt.vector("x"), pt.vector("y")
h0, w = pt.scalar("h0"), pt.scalar("W")
v0, m0 = pt.vector("v0"), pt.vector("m0")
M = pt.matrix("M")
n = pt.iscalar("n")
X = np.arange(5.0)


@case()
def tanh_rnn():
    hs = sc(lambda a, h, w_: pt.tanh(w_ * h + a), sequences=x, outputs_info=h0, non_sequences=w)
    return [x, h0, w], [hs], None, [X, 0.5, 0.9]


@case()
def taps_mitsot_backwards_until():
    r = sc(lambda a, b, m2, m1: (m1 + m2 * a + b, until(m1 > 50)),
           sequences=dict(input=x, taps=[-1, 1]), outputs_info=dict(initial=m0, taps=[-2, -1]),
           n_steps=4, go_backwards=True)
    return [x, m0], [r], None, [np.arange(8.0), np.array([1.0, 2.0])]


@case()
def mapped_and_recurrent_outputs():
    ys, hs = sc(lambda a, h: [a * 2, h + a], sequences=x, outputs_info=[None, h0])
    return [x, h0], [ys, hs], None, [X, 1.0]


@case()
def fibonacci_until():
    fib = sc(lambda a, b: (a + b, until(a + b > 20)), outputs_info=dict(initial=m0, taps=[-2, -1]),
             n_steps=50)
    return [m0], [fib], None, [np.array([1.0, 1.0])]


@case()
def mitsot_extra_initial_rows_are_ignored():
    r = sc(lambda a, b: a * 100 + b, outputs_info=dict(initial=m0, taps=[-3, -1]), n_steps=4)
    return [m0], [r], None, [np.array([1.0, 2.0, 3.0, 4.0, 5.0])]


@case()
def unsorted_duplicate_sequence_taps():
    r = sc(lambda a, b, c: a * 100 + b * 10 + c, sequences=dict(input=x, taps=[1, -1, 1]))
    return [x], [r], None, [np.arange(6.0)]


@case()
def shared_variable_update():
    s = pytensor.shared(np.float64(1.0), name="s")
    r, upd = pytensor.scan(lambda a: (a + s, {s: s + a}), sequences=x)
    return [x], [r], upd, [X]


@case()
def simultaneous_shared_updates():
    p = pytensor.shared(np.float64(1.0), name="p")
    q = pytensor.shared(np.float64(10.0), name="q")
    r, upd = pytensor.scan(lambda: (p + q, {p: q, q: p}), n_steps=3)
    return [], [r], upd, []


@case()
def random_stream_in_the_step():
    srng = pt.random.RandomStream(7)
    r, upd = pytensor.scan(lambda h: h + srng.normal(size=h.shape), outputs_info=v0, n_steps=4)
    return [v0], [r], upd, [np.zeros(3)]


@case()
def random_generator_in_outputs_info():
    rng = pytensor.shared(np.random.default_rng(0), name="rng")

    def step(h, rng_):
        next_rng, draw = pt.random.normal(0, 1, size=h.shape, rng=rng_).owner.outputs
        return h + draw, next_rng

    r, final = sc(step, outputs_info=[v0, rng], n_steps=3)
    return [v0], [r], {rng: final}, [np.zeros(2)]


@case()
def integer_draws_in_a_while_loop():
    srng = pt.random.RandomStream(3)
    r, upd = pytensor.scan(lambda h: (h + srng.integers(0, 10), until(h > 20)),
                           outputs_info=pt.constant(np.int64(0)), n_steps=30)
    return [], [r], upd, []


@case()
def nested_scan():
    def row_sum(row, acc):
        inner = sc(lambda v, s_: s_ + v, sequences=row, outputs_info=acc)
        return inner[-1]

    out = sc(row_sum, sequences=M, outputs_info=h0)
    return [M, h0], [out], None, [np.arange(6.0).reshape(2, 3), 0.0]


@case()
def matrix_rnn_with_dot():
    W = pytensor.shared(np.linspace(-1, 1, 9).reshape(3, 3), name="Wmat")
    r = sc(lambda xt, h: pt.tanh(pt.dot(W, h) + xt), sequences=M, outputs_info=v0)
    return [M, v0], [r], None, [np.linspace(0, 1, 12).reshape(4, 3), np.zeros(3)]


@case()
def map_over_a_matrix():
    r = pytensor.map(lambda row: row.sum() * 2, sequences=M, return_updates=False)
    return [M], [r], None, [np.arange(6.0).reshape(3, 2)]


@case()
def reduce_foldl_foldr():
    fn = lambda a, acc: acc * 10 + a  # noqa: E731
    r = reduce(fn, sequences=x, outputs_info=h0, return_updates=False)
    left = foldl(fn, sequences=x, outputs_info=h0, return_updates=False)
    right = foldr(fn, sequences=x, outputs_info=h0, return_updates=False)
    return [x, h0], [r, left, right], None, [np.array([1.0, 2.0, 3.0]), 0.0]


@case()
def symbolic_n_steps_shorter_than_the_sequence():
    r = sc(lambda a, h: h + a, sequences=x, outputs_info=h0, n_steps=n)
    return [x, h0, n], [r], None, [X, 0.0, 3]


@case()
def zero_steps_recurrent_output():
    r = sc(lambda h: h * 2, outputs_info=v0, n_steps=n)
    return [v0, n], [r, r.sum(0)], None, [np.ones(4), 0]


@case(divergence=("divergence-scan-zero-step-shape", "SCAN-OUT-3"))
def zero_steps_mapped_output():
    hs, ys = sc(lambda h, v: [h + 1, v * h], outputs_info=[h0, None], non_sequences=v0, n_steps=n)
    return [h0, v0, n], [hs, ys], None, [0.0, np.ones(3), 0]


@case()
def n_steps_larger_than_the_sequence_raises_on_both():
    r = sc(lambda a, h: h + a, sequences=x, outputs_info=h0, n_steps=n)
    return [x, h0, n], [r], None, [np.arange(3.0), 0.0, 5]


@case()
def negative_n_steps_raises_on_both():
    r = sc(lambda a: a * 2, sequences=x, n_steps=n)
    return [x, n], [r], None, [X, -1]


@case()
def go_backwards_unequal_lengths():
    r = sc(lambda a, b: a * 100 + b, sequences=[x, y], go_backwards=True)
    return [x, y], [r], None, [np.arange(6.0), np.array([0.0, 10.0, 20.0])]


@case()
def until_never_true():
    r = sc(lambda a: (a * 2, until(a > 100)), sequences=x)
    return [x], [r], None, [X]


@case()
def integer_triangular_numbers():
    up_to = pt.iscalar("up_to")
    seq = pt.arange(up_to)
    r = sc(lambda v, acc: acc + v, sequences=seq, outputs_info=pt.as_tensor_variable(np.asarray(0, seq.dtype)))
    return [up_to], [r], None, [15]


@case()
def float32_loop():
    xf, hf = pt.vector("xf", dtype="float32"), pt.scalar("hf", dtype="float32")
    r = sc(lambda a, h: pt.sigmoid(h * np.float32(0.5) + a), sequences=xf, outputs_info=hf)
    return [xf, hf], [r], None, [np.linspace(-1, 1, 6, dtype="float32"), np.float32(0.25)]


@case()
def indexing_scan_outputs():
    r = sc(lambda h: h * 2 + 1, outputs_info=h0, n_steps=6)
    return [h0], [r[-1], r[-3:], r[::2].sum(), r[2]], None, [1.0]


@case()
def set_subtensor_in_the_step():
    location = pt.imatrix("location")
    values = pt.vector("values")
    model = pt.matrix("model")

    def step(loc, val, m):
        return pt.set_subtensor(pt.zeros_like(m)[loc[0], loc[1]], val)

    r = sc(step, sequences=[location, values], non_sequences=model)
    return [location, values, model], [r], None, [np.array([[1, 1], [2, 3]], dtype="int32"),
                                                  np.array([42.0, 50.0]), np.zeros((5, 5))]


@case()
def vector_state_until_on_a_sum():
    r = sc(lambda h: (h * 1.5, until(h.sum() > 10)), outputs_info=v0, n_steps=20)
    return [v0], [r], None, [np.array([1.0, 2.0])]


@case()
def scan_checkpoints_output():
    ck = scan_checkpoints(lambda a, h, w_: pt.tanh(h * w_ + a), sequences=[x], outputs_info=[h0],
                          non_sequences=[w], save_every_N=3, return_updates=False)
    return [x, h0, w], [ck], None, [np.linspace(-1, 1, 10), 0.1, 0.7]


@case()
def constant_one_step_builds_no_scan():
    # PyTensor's eager path (B19): the bridge converts PyTensor's own graph, so it agrees;
    # the survey, which builds the program in both libraries, shows the divergence.
    r = sc(lambda a: a, sequences=x, n_steps=1, go_backwards=True)
    return [x], [r], None, [10 * np.arange(8.0)]


# -- gradient graphs (BufferLoop for the mit-mot loops PyTensor's grad builds) -----------------


@case()
def grad_tanh_rnn():
    hs = sc(lambda a, h, w_: pt.tanh(w_ * h + a), sequences=x, outputs_info=h0, non_sequences=w)
    return [x, h0, w], pytensor.grad((hs ** 2).sum(), [x, h0, w]), None, [X / 5, 0.5, 0.9]


@case()
def grad_mitsot_and_sequence_taps():
    r = sc(lambda a, b, c, m3, m1: m1 * a + m3 * b + c, sequences=dict(input=x, taps=[-2, 0, 1]),
           outputs_info=dict(initial=m0, taps=[-3, -1]))
    return [x, m0], pytensor.grad(r.sum(), [x, m0]), None, [np.linspace(0.1, 1, 8), np.array([0.5, 0.2, 0.1])]


@case()
def grad_go_backwards():
    r = sc(lambda a, h: h * 0.5 + a, sequences=x, outputs_info=h0, go_backwards=True)
    return [x, h0], pytensor.grad(r[-1], [x, h0]), None, [np.arange(4.0), 0.0]


@case()
def grad_through_until():
    r = sc(lambda a, h: (h + a ** 2, until(h + a ** 2 > 5)), sequences=x, outputs_info=h0)
    return [x, h0], pytensor.grad(r.sum(), [x, h0]), None, [np.array([1.0, 1.5, 2.0, 3.0, 4.0]), 0.5]


@case()
def grad_truncated():
    r = pytensor.scan(lambda a, h, w_: w_ * h + a, sequences=x, outputs_info=h0, non_sequences=w,
                      truncate_gradient=2, return_updates=False)
    return [x, h0, w], pytensor.grad((r ** 2).sum(), [x, h0, w]), None, [np.arange(4.0) / 4, 0.3, 0.8]


@case()
def grad_matrix_rnn_shared_weight():
    W = pytensor.shared(np.linspace(-0.5, 0.5, 9).reshape(3, 3), name="Wg")
    r = sc(lambda xt, h: pt.tanh(pt.dot(W, h) + xt), sequences=M, outputs_info=v0)
    return [M, v0], pytensor.grad(r[-1].sum(), [W, v0, M]), None, [np.linspace(0, 1, 9).reshape(3, 3), np.ones(3)]


@case()
def grad_of_n_steps_shorter_than_sequence():
    r = sc(lambda a, h: h * a, sequences=x, outputs_info=h0, n_steps=3)
    return [x, h0], pytensor.grad(r[-1], [x, h0]), None, [np.array([1.0, 2.0, 0.5, 4.0, 5.0]), 1.5]


@case()
def second_derivative_through_a_loop():
    r = sc(lambda h: h * h, outputs_info=h0, n_steps=3)
    g = pytensor.grad(r[-1], h0)
    return [h0], [g, pytensor.grad(g, h0)], None, [1.1]


@case()
def grad_nested_scan():
    def row_sum(row, acc):
        return sc(lambda v, s_: s_ * 0.5 + v, sequences=row, outputs_info=acc)[-1]

    out = sc(row_sum, sequences=M, outputs_info=h0)
    return [M, h0], pytensor.grad(out.sum(), [M, h0]), None, [np.arange(6.0).reshape(2, 3), 1.0]


# -- running the cases -----------------------------------------------------------------------------


def run_case(build):
    inputs, outputs, updates, values = build()
    f = pytensor.function(inputs, outputs, updates=updates, mode=PY)
    return check_function(f, *values)


@pytest.mark.rule("ORACLE-BRIDGE-1", "ORACLE-BRIDGE-2", "ORACLE-BRIDGE-4")
@pytest.mark.parametrize("name", [n for n in CASES if not n.startswith("grad") and "derivative" not in n])
def test_oracle_bridge_2__hand_written_scan_graphs(name):
    build, divergence = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = run_case(build)
    if divergence is None:
        assert report.ok, report
    else:
        section, rule = divergence  # a documented divergence (spec appendix C)
        assert not report.ok and report.rule == rule, report


@pytest.mark.rule("ORACLE-BRIDGE-3", "ORACLE-BRIDGE-4")
@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("grad") or "derivative" in n])
def test_oracle_bridge_3__gradient_graphs(name):
    build, _ = CASES[name]
    report = run_case(build)
    assert report.ok, report


@pytest.mark.rule("ORACLE-BRIDGE-2", "ORACLE-BRIDGE-4")
@settings(max_examples=25, deadline=None)
@given(scan_programs(allow_errors=True))
def test_oracle_bridge_2__generated_scan_graphs(program):
    note(program.source())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs, outputs = program.build_pytensor()
        # PyTensor's eager path for a constant n_steps=1 drops a sequence the step ignores
        f = pytensor.function(inputs, outputs, mode=PY, on_unused_input="ignore")
        report = check_function(f, *program.input_values())
    if not report.ok:  # appendix C.13: a mapped output over zero steps
        assert report.rule == "SCAN-OUT-3" and report.first.actual_type.endswith("(0, 0)"), report


@pytest.mark.rule("ORACLE-BRIDGE-3")
@settings(max_examples=15, deadline=None)
@given(scan_programs(dtypes=("float64",), allow_until=False))
def test_oracle_bridge_3__pytensor_gradients_equal_reference_gradients(program):
    """The same program differentiated by each library (chapter 4 against PyTensor's grad)."""
    note(program.source())
    # scan-semantics.md B19: PyTensor's eager path for a constant n_steps=1 ignores
    # go_backwards, so its loop reads another row (C.10; SCAN-BACK-1 is ours)
    assume(not (program.n_steps == 1 and not program.n_steps_symbolic and program.go_backwards
                and program.sequences))
    costs = []
    for library, grad in (("pytensor", pytensor.grad), ("reference", reference.grad)):
        inputs, outputs = program.build(library)
        cost = sum(o.sum() for o in outputs)
        wrt = [v for v in inputs if v.name != "n"]
        costs.append((inputs, [cost] + grad(cost, wrt, disconnected_inputs="ignore")))
    (pt_inputs, pt_outputs), (ref_inputs, ref_outputs) = costs
    values = program.input_values()
    f = pytensor.function(pt_inputs, pt_outputs, mode=PY, on_unused_input="ignore")
    if "SCAN-OUT-3" in program.rules() and program.row_shape:
        # appendix C.13: PyTensor's mapped outputs over zero steps have shape (0, 0), which
        # its own gradient graph then cannot broadcast; the reference's gradient is zeros
        expected = lambda *args: f(*args)  # noqa: E731
        report = compare(expected, ref_outputs, dict(zip(ref_inputs, values, strict=True)), policy="dtype")
        assert report.ok or report.actual_error is not None, report
        return
    report = compare(f(*values), ref_outputs, dict(zip(ref_inputs, values, strict=True)), policy="dtype")
    assert report.ok, report


@pytest.mark.rule("ORACLE-BRIDGE-1")
def test_oracle_bridge_1__unsupported_ops_are_listed_by_name():
    out = sc(lambda a: pt.linalg.inv(pt.outer(a, a) + pt.eye(2)), sequences=M)
    det = pt.linalg.det(M)
    with pytest.raises(UnsupportedOpError) as info:
        from_pytensor([out, det, pt.i0(x)])
    assert set(info.value.ops) == {"Blockwise{MatrixInverse}", "Blockwise{Det}", "Elemwise{I0}"}
    assert "ORACLE-BRIDGE-1" in str(info.value)
    assert isinstance(info.value, NotImplementedError)


@pytest.mark.rule("ORACLE-BRIDGE-1")
def test_oracle_bridge_1__conversion_keeps_types_names_and_shared_values():
    s = pytensor.shared(np.arange(3.0), name="s")
    out = (x * s).sum() + pt.constant(np.float32(2.0))
    conversion = from_pytensor(out)
    (ref,) = conversion.outputs
    assert ref.type.dtype == out.type.dtype and ref.type.ndim == 0
    assert [p.name for p, _ in conversion.inputs] == ["x"] and conversion.inputs[0][1].name == "x"
    (pt_shared, ref_shared), = conversion.shared
    assert pt_shared is s and ref_shared.get_value().tolist() == [0.0, 1.0, 2.0]
    assert conversion.evaluate({"x": np.ones(3)}) == [5.0]
    assert evaluate(out, {x: np.ones(3)}) == 5.0
    assert isinstance(ConversionError(["a"]), TypeError)


@pytest.mark.rule("ORACLE-BRIDGE-2")
def test_oracle_bridge_2__pytensor_buffer_layout():
    op = ScanBuffer(2, False)
    init = np.array([[1.0], [2.0], [0.0], [0.0], [0.0]])
    rows = np.array([[3.0], [4.0]])
    node = op.make_node(reference.tensor.matrix("b"), reference.tensor.matrix("r"), reference.tensor.lscalar("n"))
    # a while loop that ran 2 of 3 steps: initial rows, steps, the missing row dropped
    assert op.perform(node, init[:5], rows, np.int64(3)).ravel().tolist() == [1.0, 2.0, 3.0, 4.0]
    # a longer buffer is zero-filled
    assert op.perform(node, np.zeros((6, 1)), rows, np.int64(2)).ravel().tolist() == [0, 0, 3, 4, 0, 0]
    # a circular buffer keeps the last rows
    assert op.perform(node, init[:3], rows, np.int64(2)).ravel().tolist() == [2.0, 3.0, 4.0]
    assert ScanBuffer(0, True).perform(node, np.int64(2), rows, np.int64(2)).ravel().tolist() == [3, 4]


@pytest.mark.rule("ORACLE-BRIDGE-2")
def test_oracle_bridge_2__traces_of_converted_loops():
    hs = sc(lambda a, h: h * 2 + a, sequences=x, outputs_info=h0)
    value, trace = evaluate(hs, {x: np.arange(3.0), h0: 1.0}, trace=True)
    assert value.tolist() == [2.0, 5.0, 12.0]
    run = trace.scan("scan_fn")
    assert run.column("h0[t]").tolist() == [2.0, 5.0, 12.0] and run[1]["h0[t-1]"] == 2.0


@pytest.mark.rule("ORACLE-BRIDGE-4")
def test_oracle_bridge_4__rewritten_and_original_graphs():
    r = sc(lambda a, h: h + a, sequences=x, outputs_info=h0, n_steps=n)
    f = pytensor.function([x, h0, n], r[-1], mode="FAST_RUN")
    assert check_function(f, X, 0.0, 3).ok
    assert check_function(f, X, 0.0, 3, outputs=[r[-1]]).ok
    # B1: the default (Numba) backend reads past the sequence; the reference raises
    numba = pytensor.function([x, h0, n], r, mode="NUMBA")
    report = check_function(numba, np.arange(3.0), 0.0, 5)
    assert not report.ok and report.rule == "SCAN-STEPS-3"
    assert report.summary().startswith("the reference raises SpecValueError but the implementation")
