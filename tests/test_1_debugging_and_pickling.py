"""Debugging a compiled function and saving it: Print, PdbBreakpoint, MonitorMode and
pickling (GRAPH-PRINT-4, GRAPH-PRINT-5, FN-MODE-2, FN-PICKLE-1).

The examples are those of PyTensor 3.3.7's tutorials (doc/tutorial/debug_faq.rst,
loading_and_saving.rst); the expected printed text is PyTensor's, recorded by running
them, except where the rule says reference's graph differs (no rewrites).
"""

import copy
import pickle
import sys
import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.breakpoint import PdbBreakpoint
from reference.compile import MonitorMode, monitormode
from reference.errors import SpecTypeError, SpecValueError


def _pytensor_or_skip():
    real = pytest.importorskip("pytensor")
    warnings.filterwarnings("ignore", category=UserWarning)  # numba's object-mode notes
    return real


def _scan_node(f):
    return next(node for node in f.order if type(node.op).__name__ == "ScanOp")


# -- GRAPH-PRINT-4: Print ------------------------------------------------------------------
@pytest.mark.rule("GRAPH-PRINT-4")
def test_graph_print_4__debug_faq_example_prints_message_and_value(capsys):
    x = pytensor.tensor.dvector("x")
    x_printed = pytensor.printing.Print("this is a very important value")(x)
    f = pytensor.function([x], x * 5)
    f_with_print = pytensor.function([x], x_printed * 5)
    assert np.array_equal(f([1, 2, 3]), [5, 10, 15])
    assert capsys.readouterr().out == ""
    assert np.array_equal(f_with_print([1, 2, 3]), [5, 10, 15])
    assert capsys.readouterr().out == "this is a very important value __str__ = [1. 2. 3.]\n"


@pytest.mark.rule("GRAPH-PRINT-4")
def test_graph_print_4__attrs_are_printed_in_order_callables_called(capsys):
    x = pt.dvector("x")
    y = pytensor.printing.Print("x", attrs=("shape", "__str__", "sum"))(x)
    pytensor.function([x], y * 5)([1, 2, 3])
    assert capsys.readouterr().out == "x shape = (3,)\nx __str__ = [1. 2. 3.]\nx sum = 6.0\n"
    pytensor.function([x], pytensor.printing.Print()(x))([1, 2])
    assert capsys.readouterr().out == " __str__ = [1. 2.]\n"
    s = pt.dscalar("s")
    assert pytensor.function([s], pytensor.printing.Print("s")(s) + 1)(3.5) == 4.5
    assert capsys.readouterr().out == "s __str__ = 3.5\n"
    out = pytensor.printing.Print("e", attrs=("__repr__",))(x).eval({x: [1.0, 2.0]})
    assert capsys.readouterr().out == "e __repr__ = array([1., 2.])\n"
    assert np.array_equal(out, [1.0, 2.0])


@pytest.mark.rule("GRAPH-PRINT-4")
def test_graph_print_4__global_fn_gets_the_op_and_the_value():
    seen = []
    x = pt.ivector("x")
    op = pytensor.printing.Print("g", global_fn=lambda op, value: seen.append((op, value.copy())))
    y = op(x)
    assert y.type == x.type
    result = pytensor.function([x], y)(np.array([1, 2], dtype="int32"))
    assert np.array_equal(result, [1, 2]) and result.dtype == np.int32
    assert len(seen) == 1 and seen[0][0] is op and np.array_equal(seen[0][1], [1, 2])


@pytest.mark.rule("GRAPH-PRINT-4")
def test_graph_print_4__value_is_the_input_itself():
    x = pt.dvector("x")
    node = pytensor.printing.Print("v", global_fn=lambda op, value: None)(x).owner
    value = np.array([1.0, 2.0])
    assert node.op.perform(node, value) is value


@pytest.mark.rule("GRAPH-PRINT-4")
def test_graph_print_4__equality_and_label():
    a = pytensor.printing.Print("m")
    assert a == pytensor.printing.Print("m") and hash(a) == hash(pytensor.printing.Print("m"))
    assert a != pytensor.printing.Print("m", attrs=("shape",))
    assert a.attrs == ("__str__",) and a.message == "m"
    assert str(a).startswith("Print{message='m', attrs=('__str__',), global_fn=<function _print_fn")


@pytest.mark.rule("GRAPH-PRINT-4")
def test_graph_print_4__gradient_passes_through(capsys):
    x = pt.dvector("x")
    y = pytensor.printing.Print("m")(x)
    g = pytensor.grad((y**2).sum(), x)
    assert np.array_equal(pytensor.function([x], g)([1.0, 2.0]), [2.0, 4.0])
    assert "m __str__ = [1. 2.]\n" in capsys.readouterr().out


@pytest.mark.rule("GRAPH-PRINT-4")
def test_graph_print_4__not_evaluated_before_the_call(capsys):
    x = pt.dvector("x")
    c = pytensor.printing.Print("c")(pt.constant(np.array([1.0, 2.0])))
    f = pytensor.function([x], c + x)
    assert capsys.readouterr().out == ""
    assert np.array_equal(f([1.0, 1.0]), [2.0, 3.0])
    assert np.array_equal(f([1.0, 1.0]), [2.0, 3.0])
    assert capsys.readouterr().out == "c __str__ = [1. 2.]\n" * 2


@pytest.mark.rule("GRAPH-PRINT-4", "KERN-MODE-2")
def test_graph_print_4__in_a_loop_prints_each_step_on_the_python_path(capsys):
    from reference._cloop.dispatch import KernelUnavailable

    xs = pt.dvector("xs")
    out = pytensor.scan(lambda a, h: pytensor.printing.Print("h")(h) + a, sequences=xs,
                        outputs_info=np.float64(0.0), return_updates=False)
    assert capsys.readouterr().out == ""
    for mode in (None, "python"):
        f = pytensor.function([xs], out, mode=mode)
        assert np.array_equal(f([1.0, 2.0, 3.0]), [1.0, 3.0, 6.0])
        assert capsys.readouterr().out == "h __str__ = 0.0\nh __str__ = 1.0\nh __str__ = 3.0\n"
        assert _scan_node(f).op.kernel_decisions["last"].path == "python"
    with pytest.raises(KernelUnavailable, match=r"KERN-MODE-2.*Print\{message='h'"):
        pytensor.function([xs], out, mode="c")([1.0, 2.0, 3.0])


@pytest.mark.rule("GRAPH-PRINT-4")
def test_graph_print_4__as_pytensor_prints(capsys):
    real = _pytensor_or_skip()
    import pytensor.tensor as rpt

    texts = []
    for lib, tensor in ((real, rpt), (pytensor, pt)):
        x = tensor.dvector("x")
        a = lib.printing.Print("a", attrs=("shape", "sum", "__str__"))(x)
        s = tensor.lscalar("s")
        b = lib.printing.Print("b")(s)
        f = lib.function([x, s], [a * 2, b + 1], mode="FAST_COMPILE")
        values = f([1.0, 2.5], 3)
        g = lib.function([x], lib.grad(a.sum(), x), mode="FAST_COMPILE")([4.0])
        texts.append((sorted(capsys.readouterr().out.splitlines()), [v.tolist() for v in values], g.tolist()))
    assert texts[0] == texts[1]


# -- GRAPH-PRINT-5: PdbBreakpoint ----------------------------------------------------------
def _mse_breakpoint():
    x, target = pt.dvector("x"), pt.dvector("target")
    mse = (x - target) ** 2
    condition = pt.gt(mse.sum(), 100)
    mse, monitored_x, monitored_target = PdbBreakpoint("MSE too high")(condition, mse, x, target)
    return x, target, mse, monitored_x


BANNER = (
    "\n\n-------------------------------------------------\n"
    "Conditional breakpoint 'MSE too high' activated\n\n"
    "The monitored variables are stored, in order,\n"
    "in the list variable 'monitored' as NumPy arrays.\n\n"
    "Their contents can be altered and, when execution\n"
    "resumes, the updated values will be used.\n"
    "-------------------------------------------------\n"
)


@pytest.mark.rule("GRAPH-PRINT-5")
def test_graph_print_5__false_condition_returns_the_values(capsys, monkeypatch):
    import reference.breakpoint as bp

    monkeypatch.setattr(bp, "_debugger", lambda: pytest.fail("the debugger must not start"))
    x, target, mse, _ = _mse_breakpoint()
    f = pytensor.function([x, target], mse)
    assert np.array_equal(f([10.0, 0.0], [10.0, 5.0]), [0.0, 25.0])
    assert capsys.readouterr().out == ""


@pytest.mark.rule("GRAPH-PRINT-5")
def test_graph_print_5__true_condition_stops_with_monitored_and_takes_changes(capsys, monkeypatch):
    import reference.breakpoint as bp

    stops = []

    def set_trace():
        frame = sys._getframe(1)  # the debugger stops in the op's frame
        monitored = frame.f_locals["monitored"]
        stops.append([m.copy() for m in monitored])
        monitored[0] = np.array([1.0, 2.0])  # the user changes a value at the prompt

    monkeypatch.setattr(bp, "_debugger", lambda: set_trace)
    x, target, mse, monitored_x = _mse_breakpoint()
    f = pytensor.function([x, target], [mse, monitored_x])
    result, seen_x = f([0.0, 0.0], [10.0, 5.0])
    assert capsys.readouterr().out == BANNER
    assert len(stops) == 1
    assert [m.tolist() for m in stops[0]] == [[100.0, 25.0], [0.0, 0.0], [10.0, 5.0]]
    assert np.array_equal(result, [1.0, 2.0]) and np.array_equal(seen_x, [0.0, 0.0])


@pytest.mark.rule("GRAPH-PRINT-5")
def test_graph_print_5__debugger_is_pudb_then_ipdb_then_pdb(monkeypatch):
    import pdb

    import reference.breakpoint as bp

    monkeypatch.setitem(sys.modules, "pudb", None)
    monkeypatch.setitem(sys.modules, "ipdb", None)
    assert bp._debugger() is pdb.set_trace
    fake = type(sys)("ipdb")
    fake.set_trace = lambda: None
    monkeypatch.setitem(sys.modules, "ipdb", fake)
    assert bp._debugger() is fake.set_trace


@pytest.mark.rule("GRAPH-PRINT-5")
def test_graph_print_5__condition_is_a_scalar_without_gradient():
    x = pt.dvector("x")
    with pytest.raises(SpecTypeError, match="GRAPH-PRINT-5.*scalar"):
        PdbBreakpoint("b")(x > 0, x)
    y = PdbBreakpoint("b")(pt.lt(x.sum(), 0), x)
    assert y.type == x.type
    g = pytensor.grad((y**2).sum(), x)
    assert np.array_equal(pytensor.function([x], g)([1.0, 3.0]), [2.0, 6.0])


@pytest.mark.rule("GRAPH-PRINT-5")
def test_graph_print_5__banner_as_pytensor_prints(capsys, monkeypatch):
    _pytensor_or_skip()
    import pdb

    import pytensor.tensor as rpt
    from pytensor.breakpoint import PdbBreakpoint as RealBreakpoint

    import reference.breakpoint as bp

    monkeypatch.setitem(sys.modules, "pudb", None)
    monkeypatch.setitem(sys.modules, "ipdb", None)
    monkeypatch.setattr(pdb, "set_trace", lambda: None)
    monkeypatch.setattr(bp, "_debugger", lambda: (lambda: None))
    texts = []
    for tensor, op in ((rpt, RealBreakpoint), (pt, PdbBreakpoint)):
        x = tensor.dvector("x")
        y = op("MSE too high")(tensor.gt(x.sum(), 1), x)
        texts.append(y.eval({x: np.array([1.0, 2.0])}).tolist())
        texts.append(capsys.readouterr().out)
    assert texts[0:2] == texts[2:4] and texts[1] == BANNER


# -- FN-MODE-2: MonitorMode ----------------------------------------------------------------
def inspect_inputs(fgraph, i, node, fn):
    print(i, node, "input(s) value(s):", [input[0] for input in fn.inputs], end="")


def inspect_outputs(fgraph, i, node, fn):
    print(" output(s) value(s):", [output[0] for output in fn.outputs])


@pytest.mark.rule("FN-MODE-2")
def test_fn_mode_2__debug_faq_inspect_example(capsys):
    x = pytensor.tensor.dscalar("x")
    f = pytensor.function([x], [5 * x], mode=pytensor.compile.MonitorMode(pre_func=inspect_inputs,
                                                                         post_func=inspect_outputs))
    assert f(3) == [15.0]
    # PyTensor's rewritten graph: "0 Mul(5.0, x) input(s) value(s): [array(5.), array(3.)] ..."
    assert capsys.readouterr().out == (
        "0 Mul(5, x) input(s) value(s): [array(5, dtype=int8), array(3.)] output(s) value(s): [array(15.)]\n"
    )


def tutorial_detect_nan(fgraph, i, node, fn):
    """debug_faq.rst's version: its isinstance test is inverted, so it never prints for
    arrays (in PyTensor 3.3.7 too)."""
    for output in fn.outputs:
        if (not isinstance(output[0], np.ndarray) and
                np.isnan(output[0]).any()):
            print("*** NaN detected ***")
            pytensor.printing.debugprint(node)
            print("Inputs : %s" % [input[0] for input in fn.inputs])
            print("Outputs: %s" % [output[0] for output in fn.outputs])
            break


NAN_REPORT = """\
*** NaN detected ***
Mul [id A]
 ├─ Log [id B]
 │  └─ x [id C]
 └─ x [id C]
Inputs : [array(-inf), array(0.)]
Outputs: [array(nan)]
"""


@pytest.mark.rule("FN-MODE-2")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_fn_mode_2__debug_faq_detect_nan_examples(capsys):
    x = pytensor.tensor.dscalar("x")
    f = pytensor.function([x], [pytensor.tensor.log(x) * x],
                          mode=pytensor.compile.MonitorMode(post_func=tutorial_detect_nan))
    assert np.isnan(f(0)[0])
    assert capsys.readouterr().out == ""  # as in PyTensor: the tutorial's test never holds
    mode = pytensor.compile.MonitorMode(post_func=monitormode.detect_nan).excluding("local_elemwise_fusion", "inplace")
    f = pytensor.function([x], [pytensor.tensor.log(x) * x], mode=mode)
    assert np.isnan(f(0)[0])
    assert capsys.readouterr().out == NAN_REPORT
    assert f(1.0) == [0.0]
    assert capsys.readouterr().out == ""


@pytest.mark.rule("FN-MODE-2")
def test_fn_mode_2__callbacks_get_fgraph_position_node_and_storage_cells():
    calls = []

    def pre(fgraph, i, node, fn):
        calls.append(("pre", fgraph, i, node, [c[:] for c in fn.inputs], [c[:] for c in fn.outputs]))

    def post(fgraph, i, node, fn):
        calls.append(("post", fgraph, i, node, [c[:] for c in fn.inputs], [c[0].tolist() for c in fn.outputs]))

    y = pt.dvector("y")
    f = pytensor.function([y], [pt.exp(y).sum(), y + 1], mode=MonitorMode(pre_func=pre, post_func=post))
    f([0.0, 1.0])
    order = f.maker.fgraph.toposort()
    assert [(c[0], c[2], c[3]) for c in calls] == [(w, i, n) for i, n in enumerate(order) for w in ("pre", "post")]
    assert all(c[1] is f.maker.fgraph for c in calls)
    assert all(outputs == [[None]] for w, *_, outputs in calls if w == "pre")
    assert all(len(inputs) == len(n.inputs) and all(len(c) == 1 for c in inputs)
               for _, _, _, n, inputs, _ in calls)
    add = next(c for c in calls if c[0] == "post" and str(c[3].op) == "Add")
    assert add[5] == [[1.0, 2.0]] and add[4][1][0] == 1  # the constant's value is an input


@pytest.mark.rule("FN-MODE-2")
def test_fn_mode_2__a_value_stored_by_post_func_is_read_downstream():
    def double_exp(fgraph, i, node, fn):
        if str(node.op) == "Exp":
            fn.outputs[0][0] = fn.outputs[0][0] * 2

    x = pt.dscalar("x")
    f = pytensor.function([x], pt.exp(x) + 1, mode=MonitorMode(post_func=double_exp))
    assert f(0.0) == 3.0


@pytest.mark.rule("FN-MODE-2")
def test_fn_mode_2__loops_are_one_node_ifelse_runs_the_taken_branch():
    from reference.ifelse import ifelse

    seen = []
    xs = pt.dvector("xs")
    total = pytensor.scan(lambda a, h: a + h, sequences=xs, outputs_info=np.float64(0.0), return_updates=False)[-1]
    c = pt.dscalar("c")
    out = ifelse(pt.gt(c, 0), pt.exp(total), pt.log(total))
    f = pytensor.function([xs, c], out, mode=MonitorMode(pre_func=lambda fg, i, node, fn: seen.append(type(node.op).__name__ + ":" + str(node.op))))
    assert f([1.0, 2.0], 1.0) == pytest.approx(np.exp(3.0))
    assert sum(s.startswith("ScanOp") for s in seen) == 1
    assert any(s.endswith(":Exp") for s in seen) and not any(s.endswith(":Log") for s in seen)


@pytest.mark.rule("FN-MODE-2")
def test_fn_mode_2__linker_refused_tags_keep_callbacks():
    with pytest.raises(SpecValueError, match="FN-MODE-2"):
        MonitorMode(linker="py")
    mode = MonitorMode(pre_func=print).excluding("fusion")
    assert isinstance(mode, MonitorMode) and mode.pre_func is print and mode.post_func is None
    assert pytensor.get_mode(mode) is mode
    assert monitormode.MonitorMode is pytensor.compile.MonitorMode
    x = pt.dscalar("x")
    assert pytensor.function([x], x * 2, mode=mode).maker.mode is mode


@pytest.mark.rule("FN-MODE-2")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_fn_mode_2__detect_nan_as_pytensor_prints(capsys):
    real = _pytensor_or_skip()
    from pytensor.compile.debug.monitormode import detect_nan

    x = real.tensor.dscalar("x")
    mode = real.compile.MonitorMode(post_func=detect_nan).excluding("local_elemwise_fusion", "inplace")
    real.function([x], [real.tensor.log(x) * x], mode=mode)(0)
    assert capsys.readouterr().out == NAN_REPORT


# -- FN-PICKLE-1: pickling -----------------------------------------------------------------
@pytest.mark.rule("FN-PICKLE-1")
def test_fn_pickle_1__a_compiled_function_pickles_and_loads_working():
    x = pt.dvector("x")
    f = pytensor.function([x], x * 2, name="double")
    g = pickle.loads(pickle.dumps(f))
    assert g.name == "double" and np.array_equal(g([1.0, 2.0]), [2.0, 4.0])
    assert np.array_equal(g(x=[3.0]), [6.0])
    assert np.array_equal(f(np.ones(3)), [2.0, 2.0, 2.0])  # the original is unchanged
    h = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(f))))  # loaded, never called, pickled again
    assert np.array_equal(h([1.0]), [2.0]) and np.array_equal(h([2.0]), [4.0])


@pytest.mark.rule("FN-PICKLE-1")
def test_fn_pickle_1__shared_variables_are_pickled_with_the_function():
    x = pt.dvector("x")
    s = pytensor.shared(np.array([1.0, 2.0]), name="s")
    f = pytensor.function([x], x * 2 + s, updates={s: s + 1})
    f(np.ones(2))
    g = pickle.loads(pickle.dumps(f))
    assert np.array_equal(g(np.ones(2)), [4.0, 5.0]) and np.array_equal(s.get_value(), [2.0, 3.0])
    (loaded,) = g.get_shared()
    assert loaded is not s and np.array_equal(loaded.get_value(), [3.0, 4.0])
    f2, s2 = pickle.loads(pickle.dumps((f, s)))
    f2(np.ones(2))
    assert f2.get_shared()[0] is s2 and np.array_equal(s2.get_value(), [3.0, 4.0])
    assert np.array_equal(s.get_value(), [2.0, 3.0])


@pytest.mark.rule("FN-PICKLE-1")
def test_fn_pickle_1__deepcopy_copies_shared_copy_shares_them():
    x = pt.dvector("x")
    s = pytensor.shared(np.array([1.0, 2.0]), name="s")
    f = pytensor.function([x], x * 2 + s, updates={s: s + 1})
    d = copy.deepcopy(f)
    assert np.array_equal(d(np.ones(2)), [3.0, 4.0]) and np.array_equal(s.get_value(), [1.0, 2.0])
    assert d.get_shared()[0] is not s
    c = copy.copy(f)
    assert c is not f and c.get_shared()[0] is s
    c(np.ones(2))
    assert np.array_equal(s.get_value(), [2.0, 3.0])


@pytest.mark.rule("FN-PICKLE-1", "KERN-MODE-1")
@pytest.mark.parametrize("mode", [None, "c", "python", "check"])
def test_fn_pickle_1__loops_pickle_without_kernel_programs_and_rebuild_them(mode):
    xs = pt.dvector("xs")
    w = pytensor.shared(np.float64(0.5), name="w")
    out = pytensor.scan(lambda a, h: w * h + a, sequences=xs, outputs_info=np.float64(0.0), return_updates=False)
    f = pytensor.function([xs], out, mode=mode)
    expected = f(np.arange(5.0))
    data = pickle.dumps(f)
    assert b"_kernel_cache" not in data and b"kernel_decisions" not in data
    g = pickle.loads(data)
    assert np.array_equal(g(np.arange(5.0)), expected)
    path = _scan_node(f).op.kernel_decisions["last"].path
    assert _scan_node(g).op.kernel_decisions["last"].path == path
    assert np.array_equal(copy.deepcopy(f)(np.arange(5.0)), expected)


@pytest.mark.rule("FN-PICKLE-1")
def test_fn_pickle_1__graphs_with_lazy_ops_prints_and_random_streams(capsys):
    from reference.ifelse import ifelse

    x = pt.dvector("x")
    c = pt.dscalar("c")
    y = pytensor.printing.Print("y")(ifelse(pt.gt(c, 0), x * 2, x - 1))
    f = pickle.loads(pickle.dumps(pytensor.function([x, c], y)))
    assert np.array_equal(f([1.0], 1.0), [2.0]) and np.array_equal(f([1.0], -1.0), [0.0])
    assert capsys.readouterr().out == "y __str__ = [2.]\ny __str__ = [0.]\n"
    srng = pt.random.RandomStream(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = pytensor.function([], srng.normal(size=2))
    g = pickle.loads(pickle.dumps(r))
    assert np.array_equal(r(), g())  # the generator's state is pickled with it
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(pytensor.function([x], pytensor.printing.Print("p", global_fn=lambda o, v: None)(x)))


@pytest.mark.rule("FN-PICKLE-1", "FN-MODE-2")
def test_fn_pickle_1__monitored_function_reloads_its_monitor(capsys):
    x = pt.dscalar("x")
    f = pytensor.function([x], x * 2, mode=MonitorMode(post_func=inspect_outputs))
    g = pickle.loads(pickle.dumps(f))
    assert g(1.0) == 2.0
    assert capsys.readouterr().out == " output(s) value(s): [array(2.)]\n"


@pytest.mark.rule("FN-PICKLE-1")
def test_fn_pickle_1__shared_variables_as_pytensor_does():
    real = _pytensor_or_skip()
    import pytensor.tensor as rpt

    results = []
    for lib, tensor in ((real, rpt), (pytensor, pt)):
        x = tensor.dvector("x")
        s = lib.shared(np.array([1.0, 2.0]), name="s")
        f = lib.function([x], x * 2 + s, updates={s: s + 1})
        row = [f(np.ones(2)).tolist()]
        g = pickle.loads(pickle.dumps(f))
        row += [g(np.ones(2)).tolist(), s.get_value().tolist(), g.get_shared()[0] is s]
        f2, s2 = pickle.loads(pickle.dumps((f, s)))
        row += [f2(np.ones(2)).tolist(), f2.get_shared()[0] is s2, s2.get_value().tolist()]
        d = copy.deepcopy(f)
        row += [d(np.ones(2)).tolist(), d.get_shared()[0] is s, s.get_value().tolist()]
        c = copy.copy(f)
        row += [c(np.ones(2)).tolist(), c.get_shared()[0] is s, s.get_value().tolist()]
        results.append(row)
    assert results[0] == results[1]


@pytest.mark.rule("FN-PICKLE-1")
@pytest.mark.parametrize("protocol", [0, 1, 2, pickle.HIGHEST_PROTOCOL])
def test_fn_pickle_1__every_protocol(protocol):
    x = pt.dscalar("x")
    f = pytensor.function([x], x * 2)
    assert pickle.loads(pickle.dumps(f, protocol=protocol))(3.0) == 6.0


@pytest.mark.rule("FN-ARGS-1")
def test_fn_args_1__inputs_in_a_set_are_refused():
    x = pt.dscalar("x")
    with pytest.raises(TypeError, match="list or tuple"):  # PyTensor: TypeError too
        pytensor.function({x}, x)
