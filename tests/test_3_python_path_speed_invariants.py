"""The Python path's per-step work is small, and computes exactly what the rules say
(GRAPH-EVAL-3, GRAPH-EVAL-4, OP-ELEMWISE-2, SCAN-TAPS-1, SCAN-OUT-1, ORACLE-TRACE-2).

A :class:`~reference.evaluate.Schedule` prepares each node's run once: an elementwise node
gets its ``perform`` specialised to its types (``Elemwise.prepare_perform``), which must
give the same arrays, warnings and errors as ``Elemwise.perform``.  A loop gives each step
a dict of its own, binds a vector's rows as 0-d arrays, and stacks 0-d rows with
``np.array``, as ``np.stack`` would.
"""

import collections
import itertools
import sys
import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
import reference.tensor.elemwise as elemwise_module
from reference.evaluate import Schedule, evaluate_graph
from reference.graph.basic import Apply, Op
from reference.graph.traversal import toposort
from reference.graph.type import TensorType
from reference.scan.op import ScanOp
from reference.scan.run import collect_outputs
from reference.tensor import math

DTYPES = ("float64", "float32", "int64", "int16", "uint8", "bool")
UNARY = (math.neg, math.abs, math.exp, math.sqrt, math.tanh, math.floor, math.invert,
         math.identity, math.sign)
BINARY = (math.add, math.sub, math.mul, math.true_div, math.int_div, math.mod, math.pow,
          math.maximum, math.minimum, math.lt, math.eq, math.and_, math.xor)
#: static shapes of the inputs: 0-d; two vectors; a 0-d and a vector; a static length 1
#: broadcast against a vector
SHAPES = (((), ()), ((None,), (None,)), ((), (None,)), ((1,), (None,)))


def values_for(variable, rng):
    shape = tuple(3 if n is None else n for n in variable.type.shape)
    dtype = variable.type.numpy_dtype
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.kind in "iu":
        return rng.integers(0 if dtype.kind == "u" else -3, 4, shape).astype(dtype)
    return (rng.standard_normal(shape) * 3).astype(dtype)


def outcome(fn, values):
    """What ``fn(*values)`` gives: ("value", array) or ("error", type, message), with its
    warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("value", fn(*values))
        except Exception as error:  # noqa: BLE001 - compared below
            result = ("error", type(error), str(error))
    return result, [(w.category, str(w.message)) for w in caught]


def assert_same_outcome(node, values):
    expected, expected_warnings = outcome(lambda *v: node.op.perform(node, *v), values)
    got, got_warnings = outcome(node.op.prepare_perform(node), values)
    assert got_warnings == expected_warnings, node
    assert got[0] == expected[0], (node, got, expected)
    if got[0] == "error":
        assert got[1:] == expected[1:], node
        return
    a, b = got[1], expected[1]
    assert type(a) is type(b) is np.ndarray, node
    assert (a.dtype, a.shape, a.strides) == (b.dtype, b.shape, b.strides), node
    assert a.tobytes() == b.tobytes(), node


def elemwise_nodes():
    """A node of every rule above on every pairing of dtypes and shapes that builds."""
    for op, dtype, shape in itertools.product(UNARY, DTYPES, [(), (None,)]):
        yield from _build(op, [pt.tensor(dtype=dtype, shape=shape)])
    for op, dtypes, shapes in itertools.product(BINARY, itertools.product(DTYPES, repeat=2), SHAPES):
        yield from _build(op, [pt.tensor(dtype=d, shape=s) for d, s in zip(dtypes, shapes, strict=True)])
    cond = pt.tensor(dtype="bool", shape=(None,))
    for d1, d2 in itertools.product(DTYPES, repeat=2):
        yield from _build(math.switch, [cond, pt.tensor(dtype=d1, shape=()), pt.tensor(dtype=d2, shape=(None,))])


def _build(op, variables):
    try:
        yield op(*variables).owner
    except Exception:  # noqa: BLE001 - a rule refusing these dtypes (OP-ELEMWISE-3)
        return


@pytest.mark.rule("OP-ELEMWISE-2")
@pytest.mark.parametrize("array_out", [True, False], ids=["numpy-out-ellipsis", "asarray"])
def test_op_elemwise_2__the_prepared_perform_is_perform(monkeypatch, array_out):
    monkeypatch.setattr(elemwise_module, "UFUNC_ARRAY_OUT", array_out and elemwise_module.UFUNC_ARRAY_OUT)
    rng = np.random.default_rng(0)
    nodes = list(elemwise_nodes())
    assert len(nodes) > 500
    for node in nodes:
        values = [values_for(v, rng) for v in node.inputs]
        assert_same_outcome(node, values)
        if node.inputs[-1].type.shape == (None,):  # a runtime length-1 the type does not allow
            assert_same_outcome(node, [*values[:-1], values[-1][:1]])


@pytest.mark.rule("OP-ELEMWISE-2")
def test_op_elemwise_2__a_prepared_perform_on_numpy_scalars_and_views():
    x, p = pt.dscalar("x"), pt.lscalar("p")
    node = (x ** p).owner
    powers = np.arange(4)
    for value in (powers[2], powers[2, ...], np.asarray(2)):
        assert_same_outcome(node, [np.asarray(1.5), value])


@pytest.mark.rule("OP-POW-1", "GRAPH-EVAL-3")
def test_op_pow_1__integer_checks_run_in_a_loop_step():
    x = pt.lvector("x")
    powers = pytensor.scan(lambda e: pt.constant(np.int64(2)) ** e, sequences=x, return_updates=False)
    f = pytensor.function([x], powers, mode="python")
    np.testing.assert_array_equal(f(np.arange(3)), [1, 2, 4])
    with pytest.raises(ValueError) as info:
        f(np.array([1, -1]))
    assert info.value.rule == "OP-POW-1"
    assert any("while evaluating Pow" in note for note in info.value.__notes__)
    assert any("in step t=1" in note for note in info.value.__notes__)


def graph():
    x, y = pt.dvector("x"), pt.dscalar("y")
    z = pt.exp(x * y) - (x > 0.5) * y
    return [x, y], [z, z.sum(), pt.argmax(z)]


@pytest.mark.rule("GRAPH-EVAL-1", "GRAPH-EVAL-3")
def test_graph_eval_1__a_schedule_evaluates_as_the_order():
    (x, y), outputs = graph()
    order = toposort(outputs)
    env = {x: np.linspace(0, 1, 5), y: np.asarray(0.7)}
    runs = []
    for how in (order, Schedule(order), Schedule(order, prepare=False), None):
        calls = []
        values = evaluate_graph(outputs, dict(env), trace=lambda n, i, o, c=calls: c.append((n, i, o)), order=how)
        runs.append((values, calls))
    (values, calls), rest = runs[0], runs[1:]
    for other_values, other_calls in rest:
        for a, b in zip(values, other_values, strict=True):
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
        assert [c[0] for c in other_calls] == [c[0] for c in calls]
        for (_, ins_a, outs_a), (_, ins_b, outs_b) in zip(calls, other_calls, strict=True):
            assert isinstance(ins_b, list) and isinstance(outs_b, list)
            assert all(np.array_equal(a, b) for a, b in zip(ins_a + outs_a, ins_b + outs_b, strict=True))


class _LyingPrepared(Op):
    """Promises float64; its prepared perform returns float32."""

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [TensorType("float64", x.type.shape)])

    def perform(self, node, x):
        return x.astype("float64")

    def prepare_perform(self, node):
        return lambda x: x.astype("float32")


@pytest.mark.rule("GRAPH-EVAL-4")
def test_graph_eval_4__prepared_performs_are_checked():
    x = pt.dvector("x")
    y = _LyingPrepared()(x)
    np.testing.assert_array_equal(evaluate_graph([y], {x: np.ones(2)})[0], np.ones(2))
    with pytest.raises(AssertionError, match="GRAPH-EVAL-4"):
        evaluate_graph([y], {x: np.ones(2)}, order=Schedule(toposort([y])))


def loop():
    x, h0, w = pt.dvector("x"), pt.dscalar("h0"), pt.dscalar("w")
    hs = pytensor.scan(lambda a, h, w_: pt.tanh(w_ * h + a), sequences=x, outputs_info=h0,
                       non_sequences=w, return_updates=False)
    return [x, h0, w], hs, [np.linspace(-1, 1, 6), np.asarray(0.5), np.asarray(0.9)]


@pytest.mark.rule("ORACLE-TRACE-2", "SCAN-TAPS-1")
def test_oracle_trace_2__a_recorded_run_keeps_a_dict_per_step():
    inputs, hs, values = loop()
    f = pytensor.function(inputs, hs, mode="python")
    plain = f(*values)
    traced, trace = f(*values, trace=True)
    np.testing.assert_array_equal(plain, traced)
    (run,) = trace.runs
    assert len({id(env) for env in run.steps}) == len(run) == 6
    spec = run.spec
    np.testing.assert_array_equal(run.column(spec.sequences[0].inner[0]), values[0])
    np.testing.assert_array_equal(run.column(spec.outputs[0].step), plain)


@pytest.mark.rule("SCAN-TAPS-1")
def test_scan_taps_1__a_vectors_rows_are_0d_arrays():
    inputs, hs, values = loop()
    seen = []
    pytensor.function(inputs, hs, mode="python")(*values, on_step=lambda name, t, node, ins, outs: seen.extend(ins))
    x_rows = [v for v in seen if isinstance(v, np.ndarray) and v.ndim == 0 and v.base is not None]
    assert len(x_rows) == 6
    assert not any(isinstance(v, np.generic) for v in seen)


@pytest.mark.rule("SCAN-OUT-1")
@pytest.mark.parametrize("dtype", ["float64", "float32", "int8", "bool", "complex128"])
def test_scan_out_1__0d_rows_stack_as_np_stack_does(dtype):
    _, hs, _ = loop()
    spec = next(node.op for node in toposort([hs]) if isinstance(node.op, ScanOp)).spec
    rows = [np.asarray(v, dtype=dtype) for v in (0, 1, 3)] + [np.arange(5).astype(dtype)[2, ...]]
    for trace in (rows, collections.deque(rows, maxlen=2)):
        (got,) = collect_outputs(spec, [trace], [], [()])
        expected = np.stack(list(trace))
        assert (got.dtype, got.shape, got.strides) == (expected.dtype, expected.shape, expected.strides)
        assert got.tobytes() == expected.tobytes()


def python_calls_per_step(f, args_for):
    """Python-level function calls per loop step, from runs of 100 and 200 steps (the
    fewest of three runs each: a garbage collection or a first-time cache fill inside a
    run adds calls that are not the step's)."""
    counts = []
    for steps in (100, 200):
        args = args_for(steps)
        f(*args)
        runs = []
        for _ in range(3):
            calls = [0]

            def profile(frame, event, arg, calls=calls):
                calls[0] += event == "call"

            sys.setprofile(profile)
            try:
                f(*args)
            finally:
                sys.setprofile(None)
            runs.append(calls[0])
        counts.append(min(runs))
    return (counts[1] - counts[0]) / 100


@pytest.mark.rule("GRAPH-EVAL-3", "SCAN-OUT-1")
@pytest.mark.parametrize("depth", [1, 2, 6])
def test_graph_eval_3__a_0d_step_costs_the_same_python_calls_whatever_its_size(depth):
    """bind_inner, evaluate_graph (and its list of outputs), store_step, check_row and
    stop_requested: the elementwise nodes of a 0-d step run without Python calls."""
    c, x = pt.dvector("c"), pt.dscalar("x")

    def step(ct, p, x_):
        value = ct * x_ ** p
        for _ in range(depth - 1):
            value = value * x_ + ct
        return value

    if not elemwise_module.UFUNC_ARRAY_OUT:
        pytest.skip("numpy < 2.3: a 0-d ufunc call needs a Python wrapper to return an array")
    out = pytensor.scan(step, sequences=[c, pt.arange(1000)], non_sequences=x, return_updates=False)
    f = pytensor.function([c, x], out.sum(), mode="python")
    assert python_calls_per_step(f, lambda n: [np.linspace(0, 1, n), 1.0001]) <= 6


@pytest.mark.rule("GRAPH-EVAL-3")
def test_graph_eval_3__loops_and_functions_prepare_their_elementwise_nodes():
    inputs, hs, _ = loop()
    f = pytensor.function(inputs, hs.sum() * 2, mode="python")
    scan_op = next(node.op for node in f.order if isinstance(node.op, ScanOp))
    for schedule in (scan_op.schedule, f.schedule):
        for step in schedule.steps:
            if isinstance(step.node.op, elemwise_module.Elemwise):
                assert step.perform is not None, step.node
