"""Chapter 6, "Traces" (ORACLE-TRACE-*): every value of an evaluation by name, every loop
variable at every step, the per-node-per-step hook, and no cost when off."""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.scan import until
from reference.trace import ScanRun, Trace, Tracer, active_tracer, tracing


def rnn():
    x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("W")
    hs = pytensor.scan(lambda a, h, w_: pt.tanh(w_ * h + a), sequences=x, outputs_info=h0,
                       non_sequences=w, return_updates=False)
    hs.name = "hs"
    return x, h0, w, hs


VALUES = {"x": np.arange(4.0), "h0": 0.5, "W": 0.9}


def bind(*variables):
    return {v: VALUES[v.name] for v in variables}


@pytest.mark.rule("ORACLE-TRACE-1")
def test_oracle_trace_1__values_and_trace():
    x, h0, w, hs = rnn()
    cost = (hs ** 2).sum()
    plain = pytensor.evaluate([hs, cost], bind(x, h0, w))
    values, trace = pytensor.evaluate([hs, cost], bind(x, h0, w), trace=True)
    assert isinstance(trace, Trace)
    for a, b in zip(plain, values, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(trace["hs"], values[0])
    np.testing.assert_array_equal(trace[hs], values[0])
    np.testing.assert_array_equal(trace[cost], values[1])
    assert trace["x"].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert {"x", "h0", "W", "hs"} <= set(trace.keys())
    assert "hs" in trace and x in trace


@pytest.mark.rule("ORACLE-TRACE-1")
def test_oracle_trace_1__unnamed_values_get_unique_keys():
    a = pt.vector("a")
    out = (a + 1) * (a + 2)
    _, trace = pytensor.evaluate(out, {a: [1.0, 2.0]}, trace=True)
    assert trace.keys() == ["a", "Add", "Add#2", "Mul"]
    assert trace["Add#2"].tolist() == [3.0, 4.0]


@pytest.mark.rule("ORACLE-TRACE-1")
def test_oracle_trace_1__single_output_and_function():
    x, h0, w, hs = rnn()
    value, trace = pytensor.evaluate(hs, bind(x, h0, w), trace=True)
    assert value.shape == (4,)
    f = pytensor.function([x, h0, w], hs)
    out, trace2 = f(np.arange(4.0), 0.5, 0.9, trace=True)
    np.testing.assert_array_equal(out, value)
    np.testing.assert_array_equal(trace2["hs"], value)
    np.testing.assert_array_equal(trace2.scan().column("h0[t]"), value)


@pytest.mark.rule("ORACLE-TRACE-1")
def test_oracle_trace_1__callable_trace_is_still_a_per_node_hook():
    x, h0, w, hs = rnn()
    nodes = []
    value = pytensor.evaluate(hs, bind(x, h0, w), trace=lambda node, i, o: nodes.append(node))
    assert value.shape == (4,)
    assert any(type(n.op).__name__ == "ScanOp" for n in nodes)
    seen = []
    f = pytensor.function([x, h0, w], hs)
    f(np.arange(4.0), 0.5, 0.9, trace=lambda node, i, o: seen.append(node))
    assert seen


@pytest.mark.rule("ORACLE-TRACE-2")
def test_oracle_trace_2__every_inner_variable_at_every_step():
    x, h0, w, hs = rnn()
    _, trace = pytensor.evaluate(hs, bind(x, h0, w), trace=True)
    run = trace.scan("scan_fn")
    assert isinstance(run, ScanRun) and len(run) == 4 and run.path == ()
    h = 0.5
    for t in range(4):
        step = run[t]
        assert step["x[t]"] == t
        np.testing.assert_array_equal(step["h0[t-1]"], h)
        assert step["W"] == 0.9
        np.testing.assert_allclose(step["Mul"], 0.9 * h)
        h = np.tanh(0.9 * h + t)
        np.testing.assert_array_equal(step["h0[t]"], h)
        np.testing.assert_array_equal(step["Tanh"], h)
    assert run.value(2, "x[t]") == 2
    text = run.table()
    assert text.splitlines()[0] == "scan 'scan_fn': 4 step(s) executed of 4"
    assert "h0[t-1]" in text.splitlines()[1]


@pytest.mark.rule("ORACLE-TRACE-2")
def test_oracle_trace_2__shared_states_and_until_are_named():
    s = pytensor.shared(np.float64(0.0), name="s")
    x = pt.vector("x")
    ys, updates = pytensor.scan(lambda a: (a + s, {s: s + a}, until(a > 1)), sequences=x)
    f = pytensor.function([x], ys, updates=updates)
    out, trace = f(np.arange(5.0), trace=True)
    run = trace.scan()
    assert len(run) == 3  # the step with a > 1 is kept (SCAN-UNTIL-1)
    assert run[2]["until"] and not run[1]["until"]
    assert run[1]["s"] == 0.0 and run[1]["s'"] == 1.0
    assert run.columns() == ["x[t]", "s", "outputs[0][t]", "s'", "until"]


@pytest.mark.rule("ORACLE-TRACE-2")
def test_oracle_trace_2__nested_loops_record_their_path():
    a = pt.matrix("A")

    def row_sum(row, acc):
        inner = pytensor.scan(lambda v, s_: s_ + v, sequences=row, outputs_info=acc,
                              name="inner", return_updates=False)
        return inner[-1]

    out = pytensor.scan(row_sum, sequences=a, outputs_info=pt.constant(np.float64(0)),
                        name="outer", return_updates=False)
    value, trace = pytensor.evaluate(out, {a: np.ones((2, 3))}, trace=True)
    assert value.tolist() == [3.0, 6.0]
    assert [r.name for r in trace.runs] == ["outer", "inner", "inner"]
    assert trace.runs[1].path == (("outer", 0),) and trace.runs[2].path == (("outer", 1),)
    assert trace.scan("inner", 1)[0]["outputs_info[0][t-1][t-1]"] == 3.0
    assert "outer[t=1]/'inner'" in trace.table()


@pytest.mark.rule("ORACLE-TRACE-2")
def test_oracle_trace_2__on_step_can_stop_at_one_step():
    x, h0, w, hs = rnn()
    calls = []

    def on_step(name, t, node, inputs, outputs):
        calls.append((name, t, type(node.op.scalar_op).__name__))
        if t == 2 and type(node.op.scalar_op).__name__ == "Tanh":
            raise KeyboardInterrupt("stopped at step 2")  # what breakpoint() would do

    with pytest.raises(KeyboardInterrupt):
        pytensor.evaluate(hs, bind(x, h0, w), on_step=on_step)
    assert calls[:3] == [("scan_fn", 0, "Mul"), ("scan_fn", 0, "Add"), ("scan_fn", 0, "Tanh")]
    assert calls[-1] == ("scan_fn", 2, "Tanh")
    # on_step alone returns the values only
    value = pytensor.evaluate(hs, bind(x, h0, w), on_step=lambda *args: None)
    assert value.shape == (4,)


@pytest.mark.rule("ORACLE-TRACE-2")
def test_oracle_trace_2__a_failing_step_is_recorded_up_to_the_error():
    x, v = pt.vector("x"), pt.vector("v")
    ys = pytensor.scan(lambda a, v_: v_[pt.cast(a, "int64")] * 2, sequences=x, non_sequences=v,
                       return_updates=False)
    with tracing() as tracer, pytest.raises(IndexError):
        pytensor.evaluate(ys, {x: [1.0, 5.0], v: [10.0, 20.0]})
    run = tracer.runs[0]
    assert len(run) == 2 and run.executed == 2
    assert run[0]["outputs[0][t]"] == 40.0
    assert run[1]["x[t]"] == 5.0 and "outputs[0][t]" not in run[1]


@pytest.mark.rule("ORACLE-TRACE-3")
def test_oracle_trace_3__values_are_unchanged_and_nothing_is_recorded_when_off():
    x, h0, w, hs = rnn()
    assert active_tracer() is None
    plain = pytensor.evaluate(hs, bind(x, h0, w))
    with tracing() as tracer:
        assert active_tracer() is tracer
        f = pytensor.function([x, h0, w], hs)
        traced = f(np.arange(4.0), 0.5, 0.9)  # no trace= argument: the block's tracer records
    assert active_tracer() is None
    np.testing.assert_array_equal(plain, traced)
    assert len(tracer.runs) == 1 and len(tracer.runs[0]) == 4
    counting = Tracer(record=False)
    with tracing(counting):
        pytensor.evaluate(hs, bind(x, h0, w))
    assert counting.runs[0].executed == 4 and len(counting.runs[0]) == 0


@pytest.mark.rule("ORACLE-TRACE-3")
def test_oracle_trace_3__zero_step_runs_are_recorded():
    h0, n = pt.scalar("h0"), pt.iscalar("n")
    ys = pytensor.scan(lambda h: h + 1, outputs_info=h0, n_steps=n, return_updates=False)
    value, trace = pytensor.evaluate(ys, {h0: 0.0, n: 0}, trace=True)
    assert value.shape == (0,)
    assert len(trace.runs) == 1 and trace.runs[0].n_steps == 0 and len(trace.runs[0]) == 0
    assert "0 step(s) executed of 0" in trace.table()


@pytest.mark.rule("ORACLE-TRACE-3")
def test_oracle_trace_3__trace_command_prints_a_table_per_loop(tmp_path, capsys):
    from reference.__main__ import main

    script = tmp_path / "loop.py"
    script.write_text(
        "import numpy as np\n"
        "import reference as pytensor\n"
        "import reference.tensor as pt\n"
        "x = pt.vector('x')\n"
        "ys = pytensor.scan(lambda a: a * 2, sequences=x, return_updates=False)\n"
        "print(pytensor.function([x], ys)(np.arange(3.0)))\n"
    )
    assert main(["trace", str(script)]) == 0
    out = capsys.readouterr().out
    assert "[0. 2. 4.]" in out
    assert "== 1 loop run(s) traced in" in out
    assert "scan 'scan_fn': 3 step(s) executed of 3" in out
    assert main(["trace", "--all", str(script)]) == 0
    assert "Mul" in capsys.readouterr().out
