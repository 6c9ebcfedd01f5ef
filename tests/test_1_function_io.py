"""In, Out, modes, Function attributes and dprint (FN-IN-*, FN-OUT-1, FN-ARGS-2,
FN-MODE-1, FN-ATTR-1, GRAPH-PRINT-3)."""

import io

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference import In, Mode, Out
from reference.compile import mode as mode_module
from reference.errors import SpecTypeError, SpecValueError


# -- In ----------------------------------------------------------------------------------
@pytest.mark.rule("FN-IN-1")
def test_fn_in_1__name_passes_the_input_by_keyword():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    f = pytensor.function([x, In(y, name="yy")], x + y)
    assert f(1.0, yy=5.0) == 6.0
    assert f(yy=1.0, x=2.0) == 3.0
    with pytest.raises(SpecTypeError, match="no input named 'y'"):
        f(1.0, y=5.0)


@pytest.mark.rule("FN-IN-1")
def test_fn_in_1__plain_in_is_the_variable_and_checks():
    x = pt.dscalar("x")
    assert pytensor.function([In(x)], x * 2)(x=3.0) == 6.0
    with pytest.raises(SpecTypeError, match="In: variable must be a variable"):
        In(3.0)
    with pytest.raises(SpecTypeError, match="name must be a string"):
        In(x, name=3)
    with pytest.raises(SpecTypeError, match="ambiguous"):
        pytensor.function([In(x, name="a"), In(pt.dscalar(), name="a")], x, on_unused_input="ignore")(1.0, a=2.0)
    assert In(x, autoname=False).name is None


@pytest.mark.rule("FN-IN-1")
def test_fn_in_1__allow_downcast_and_strict():
    q = pt.fscalar("q")
    assert pytensor.function([In(q, allow_downcast=True)], q)(1.1).dtype == np.float32
    with pytest.raises(TypeError):
        pytensor.function([In(q)], q)(np.float64(1.1))
    with pytest.raises(TypeError):
        pytensor.function([In(q, allow_downcast=False)], q, allow_input_downcast=True)(np.float64(1.1))
    y = pt.dscalar("y")
    f = pytensor.function([In(y, strict=True)], y)
    assert f(np.asarray(2.0)) == 2.0
    with pytest.raises(SpecTypeError, match="strict"):
        f(1)


@pytest.mark.rule("FN-IN-2")
def test_fn_in_2__plain_default_values_are_refused():
    y = pt.dscalar("y")
    with pytest.raises(SpecValueError, match="value must be None or a shared variable") as info:
        In(y, value=1.0)
    assert info.value.rule == "FN-IN-2"
    with pytest.raises(SpecTypeError, match="implicit input needs a value"):
        In(y, implicit=True)


@pytest.mark.rule("FN-IN-2")
def test_fn_in_2__a_shared_value_is_implicit_and_updated():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    s = pytensor.shared(np.float64(1.0), name="s")
    f = pytensor.function([x, In(y, value=s, update=y * 2)], x + y)
    assert [float(f(1.0)), float(f(1.0))] == [2.0, 3.0]
    assert s.get_value() == 4.0
    with pytest.raises(SpecTypeError, match="implicit"):
        f(1.0, 3.0)
    with pytest.raises(SpecTypeError, match="implicit"):
        f(1.0, y=3.0)


@pytest.mark.rule("FN-IN-2")
def test_fn_in_2__not_implicit_stores_the_argument():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    s = pytensor.shared(np.float64(2.0), name="s")
    f = pytensor.function([x, In(y, value=s, implicit=False)], x + y)
    assert f(1.0) == 3.0
    assert f(1.0, 10.0) == 11.0
    assert s.get_value() == 10.0
    assert f(1.0) == 11.0


@pytest.mark.rule("FN-IN-2")
def test_fn_in_2__an_update_without_value_has_no_effect():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    f = pytensor.function([x, In(y, update=y + x)], x + y)
    assert f(1.0, 3.0) == 4.0
    assert f(1.0, 3.0) == 4.0
    with pytest.raises(SpecTypeError, match="missing"):
        f(1.0)


@pytest.mark.rule("FN-IN-2", "FN-UPDATE-1")
def test_fn_in_2__two_updates_of_one_shared_variable_are_refused():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    s = pytensor.shared(np.float64(2.0), name="s")
    with pytest.raises(SpecValueError, match="two updates"):
        pytensor.function([x, In(y, value=s, update=y + x)], x + y, updates={s: s + 1})


@pytest.mark.rule("FN-IN-3")
def test_fn_in_3__mutable_and_borrow():
    v = pt.dvector("v")
    with pytest.raises(SpecValueError, match="mutable=True and borrow=False"):
        In(v, mutable=True, borrow=False)
    assert In(v, mutable=True).borrow is True
    a = np.ones(3)
    out = pytensor.function([In(v, mutable=True)], v * 2)(a)
    np.testing.assert_array_equal(out, 2.0)
    np.testing.assert_array_equal(a, 1.0)  # reference never overwrites the caller's array


# -- Out ---------------------------------------------------------------------------------
@pytest.mark.rule("FN-OUT-1")
def test_fn_out_1__borrowed_outputs():
    v = pt.dvector("v")
    a = np.ones(3)
    assert pytensor.function([In(v, borrow=True)], Out(v, borrow=True))(a) is a
    assert pytensor.function([v], Out(v, borrow=True))(a) is not a
    assert pytensor.function([In(v, borrow=True)], v)(a) is not a
    s = pytensor.shared(np.ones(2), name="s")
    got = pytensor.function([], Out(s, borrow=True))()
    assert np.shares_memory(got, s.get_value(borrow=True))


@pytest.mark.rule("FN-OUT-1")
def test_fn_out_1__single_and_lists():
    v = pt.dvector("v")
    a = np.arange(2.0)
    assert isinstance(pytensor.function([v], Out(v * 2))(a), np.ndarray)
    first, second = pytensor.function([v], [Out(v * 2), v])(a)
    np.testing.assert_array_equal(first, [0.0, 2.0])
    np.testing.assert_array_equal(second, a)
    with pytest.raises(SpecTypeError, match="Out: variable must be a variable"):
        Out(3)


# -- modes -------------------------------------------------------------------------------
NAMES = ["Mode", "FAST_RUN", "FAST_COMPILE", "DebugMode", "DEBUG_MODE", "NanGuardMode", "C", "CVM",
         "NUMBA", "JAX", "PYTORCH", "MLX", "python", "c", "check", "numba", "cvm", None]


def scan_graph():
    x, h0 = pt.dvector("x"), pt.dscalar("h0")
    hs = pytensor.scan(lambda a, h: pt.tanh(h * 0.5 + a), sequences=x, outputs_info=h0, return_updates=False)
    return [x, h0], [hs, hs.sum() * 2]


@pytest.mark.rule("FN-ARGS-2", "KERN-MODE-1")
@pytest.mark.parametrize("mode", NAMES + [Mode(linker="py"), Mode(), Mode("cvm", "fast_compile"), mode_module.FAST_COMPILE])
def test_fn_args_2__every_mode_gives_the_same_values(mode):
    inputs, outputs = scan_graph()
    values = [np.linspace(-1, 1, 7), np.asarray(0.3)]
    expected = pytensor.function(inputs, outputs, mode="python")(*values)
    got = pytensor.function(inputs, outputs, mode=mode)(*values)
    for a, b in zip(expected, got, strict=True):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


@pytest.mark.rule("FN-ARGS-2")
@pytest.mark.parametrize("mode", ["VM", "py", "vm", "bogus", 3])
def test_fn_args_2__unknown_modes_are_refused(mode):
    x = pt.dscalar("x")
    with pytest.raises(SpecValueError, match=r"mode must be None, a Mode or one of \('Mode'") as info:
        pytensor.function([x], x, mode=mode)
    assert info.value.rule == "FN-ARGS-2"
    with pytest.raises(SpecValueError, match="mode must be"):
        pytensor.scan(lambda a: a * 2, sequences=pt.dvector(), mode=mode, return_updates=False)


@pytest.mark.rule("FN-ARGS-2", "KERN-MODE-1")
def test_fn_args_2__how_modes_run_loops():
    inputs, outputs = scan_graph()
    table = {None: None, "FAST_RUN": None, "NUMBA": None, "C": None, "DebugMode": "check",
             "DEBUG_MODE": "check", "check": "check", "python": "python", "c": "c",
             Mode(linker="py"): "python", Mode(linker="c"): None, mode_module.DebugMode(): "check"}
    for mode, expected in table.items():
        assert mode_module.reference_mode(mode) == expected, mode
        f = pytensor.function(inputs, outputs, mode=mode)
        (scan_node,) = [n for n in f.order if type(n.op).__name__ == "ScanOp"]
        assert scan_node.op.mode == expected, mode
    x = pt.dvector("x")
    ys = pytensor.scan(lambda a: a * 2, sequences=x, mode=Mode(linker="py"), return_updates=False)
    f = pytensor.function([x], ys)
    (scan_node,) = [n for n in f.order if type(n.op).__name__ == "ScanOp"]
    assert scan_node.op.mode == "python"


@pytest.mark.rule("FN-ARGS-2", "GRAPH-CONFIG-1")
def test_fn_args_2__config_mode_takes_the_same_names():
    x = pt.dscalar("x")
    for mode in ("NUMBA", "DebugMode", "FAST_COMPILE", Mode(linker="py")):
        with pytensor.config.change_flags(mode=mode):
            assert pytensor.config.mode is mode or pytensor.config.mode == mode
            assert pytensor.function([x], x * 2)(2.0) == 4.0
    for bad in ("VM", 3):
        with pytest.raises(ValueError):
            pytensor.config.mode = bad
    assert pytensor.config.mode is None


@pytest.mark.rule("FN-MODE-1")
def test_fn_mode_1__mode_objects():
    m = Mode(linker="py", optimizer=None)
    assert (m.linker, m.optimizer, m.provided_linker, m.provided_optimizer) == ("py", None, "py", None)
    assert Mode().linker == "numba" and Mode().optimizer == "fast_run"
    assert repr(Mode("cvm")) == "Mode(linker='cvm', optimizer='fast_run')"
    with pytest.raises(SpecValueError, match="linker must be None or one of"):
        Mode(linker="bogus")
    with pytest.raises(SpecValueError, match="optimizer must be one of"):
        Mode(optimizer="bogus")
    tagged = m.including("fast_run").excluding("inplace").requiring("x")
    assert tagged.linker == "py" and tagged.tags == (("including", ("fast_run",)), ("excluding", ("inplace",)), ("requiring", ("x",)))
    assert m.tags == ()
    assert m.clone(optimizer="fast_compile").optimizer == "fast_compile"
    assert tagged.reference_mode == "python"


@pytest.mark.rule("FN-MODE-1")
def test_fn_mode_1__get_mode_and_the_module():
    assert pytensor.get_mode is mode_module.get_mode
    m = Mode("py")
    assert pytensor.get_mode(m) is m
    assert pytensor.get_mode("FAST_COMPILE") is mode_module.FAST_COMPILE
    assert pytensor.get_mode("cvm") is mode_module.CVM
    assert isinstance(pytensor.get_mode("DebugMode"), mode_module.DebugMode)
    assert isinstance(pytensor.get_mode("NanGuardMode"), mode_module.NanGuardMode)
    assert pytensor.get_mode(None).linker == "numba"
    assert mode_module.get_default_mode().linker == "numba"
    with pytensor.config.change_flags(mode="FAST_COMPILE"):
        assert pytensor.get_mode(None) is mode_module.FAST_COMPILE
    with pytest.raises(SpecValueError, match="got 'VM'"):
        pytensor.get_mode("VM")
    assert set(mode_module.predefined_modes) >= {"FAST_COMPILE", "C", "CVM", "JAX", "NUMBA", "PYTORCH", "MLX"}
    assert "py" in mode_module.predefined_linkers and "fast_run" in mode_module.predefined_optimizers
    x = pt.dscalar("x")
    assert pytensor.function([x], x, mode="JAX").maker.mode is mode_module.JAX


@pytest.mark.rule("FN-MODE-1")
def test_fn_mode_1__register_mode():
    mine = Mode(linker="py")
    mode_module.register_mode("MY_TEST_MODE", mine)
    try:
        assert pytensor.get_mode("MY_TEST_MODE") is mine
        x = pt.dscalar("x")
        assert pytensor.function([x], x + 1, mode="MY_TEST_MODE")(1.0) == 2.0
        with pytest.raises(SpecValueError, match="already used"):
            mode_module.register_mode("MY_TEST_MODE", mine)
        with pytest.raises(SpecValueError, match="already used"):
            mode_module.register_mode("FAST_RUN", mine)
    finally:
        del mode_module.predefined_modes["MY_TEST_MODE"]


# -- Function attributes -----------------------------------------------------------------
@pytest.mark.rule("FN-ATTR-1")
def test_fn_attr_1__maker_and_trust_input():
    x = pt.dscalar("x")
    s = pytensor.shared(0.0, name="s")
    f = pytensor.function([x], x + s, updates={s: s + x}, name="fn", trust_input=True)
    assert f.name == "fn" and f.trust_input is True
    assert f.maker.fgraph.inputs == [x, s]
    assert len(f.maker.fgraph.outputs) == 2 and f.maker.fgraph.outputs[0] is f.outputs[0]
    assert [i.variable for i in f.maker.inputs] == [x]
    assert [o.variable for o in f.maker.outputs] == f.outputs
    assert f.maker.fgraph.toposort()[-1].outputs[0] in f.maker.fgraph.outputs
    with pytest.raises(TypeError):
        f("not a number")  # reference checks arguments even with trust_input=True
    assert pytensor.function([x], x).trust_input is False


@pytest.mark.rule("FN-ATTR-1")
def test_fn_attr_1__copy_free_get_shared():
    s = pytensor.shared(0.0, name="s")
    f = pytensor.function([], s, updates={s: s + 1})
    g = f.copy(name="g")
    assert g.name == "g"
    assert [float(f()), float(g()), float(f())] == [0.0, 1.0, 2.0]
    h = f.copy(delete_updates=True)
    assert [float(h()), float(h())] == [3.0, 3.0]
    other = pytensor.shared(10.0, name="other")
    k = f.copy(swap={s: other})
    assert float(k()) == 10.0 and other.get_value() == 11.0 and s.get_value() == 3.0
    with pytest.raises(SpecTypeError, match="swap"):
        f.copy(swap={s: pytensor.shared(np.zeros(2))})
    assert f.free() is None and float(f()) == 3.0
    assert f.get_shared() == [s]


# -- dprint ------------------------------------------------------------------------------
@pytest.mark.rule("GRAPH-PRINT-3")
def test_graph_print_3__dprint_is_debugprint_with_pytensors_keywords():
    x, y = pt.dvector("x"), pt.dvector("y")
    z = (x + y) * x
    full = pytensor.printing.debugprint(z, file="str")
    assert pytensor.dprint(z, file="str") == full
    assert pytensor.dprint(z, depth=1, file="str") == "Mul [id A]\n"
    assert pytensor.dprint(z, depth=2, file="str") == "Mul [id A]\n ├─ Add [id B]\n └─ x [id C]\n"
    assert pytensor.dprint(z, -1, False, False, "str", id_type="CHAR", stop_on_name=False,
                           print_storage=False, print_op_info=False) == full
    buffer = io.StringIO()
    pytensor.dprint(z, file=buffer)
    assert buffer.getvalue() == full
    f = pytensor.function([x, y], z)
    assert f.dprint(file="str") == pytensor.dprint(f, file="str")


@pytest.mark.rule("GRAPH-PRINT-3")
def test_graph_print_3__inner_graphs_can_be_left_out():
    x = pt.dvector("x")
    ys = pytensor.scan(lambda a: a * 2, sequences=x, return_updates=False)
    assert "Inner graphs:" in pytensor.dprint(ys, file="str")
    assert "Inner graphs:" not in pytensor.dprint(ys, file="str", print_inner_graphs=False)


# -- against PyTensor --------------------------------------------------------------------
@pytest.mark.rule("FN-IN-2", "FN-ARGS-2")
def test_fn_in_2__as_pytensor_does():
    real = pytest.importorskip("pytensor")
    import pytensor.tensor as rpt

    results = []
    for lib, tensor in ((real, rpt), (pytensor, pt)):
        x, y = tensor.dscalar("x"), tensor.dscalar("y")
        s = lib.shared(np.float64(1.0), name="s")
        f = lib.function([x, lib.In(y, value=s, update=y * 2 + x)], x + y, mode="FAST_COMPILE")
        results.append([float(f(1.0)), float(f(2.0)), float(s.get_value())])
        with pytest.raises(ValueError):
            lib.In(y, value=1.0)
    assert results[0] == results[1]


@pytest.mark.rule("FN-GIVENS-1", "GRAPH-REPLACE-1")
def test_fn_givens_1__rebuild_strict_false_lets_the_types_change():
    import warnings

    from reference.graph.replace import clone_replace, graph_replace, vectorize

    x, y = pt.dvector("x"), pt.fvector("y")
    f = pytensor.function([y], x * 2, givens={x: y}, rebuild_strict=False)
    assert f(np.array([1, 2], dtype="float32")).dtype == np.float32  # PyTensor: float32
    with pytest.raises(TypeError):
        pytensor.function([y], x * 2, givens={x: y})
    assert clone_replace(x * 2, {x: y}, rebuild_strict=False).dtype == "float32"
    with pytest.raises(TypeError):
        clone_replace(x * 2, {x: y})
    s = pt.dscalar("s")
    with pytest.raises(ValueError, match="not used"):
        graph_replace([x * 2], {s: x.sum()})
    assert graph_replace([x * 2], {s: x.sum()}, strict=False)[0].owner is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        batched = vectorize(x * 2, {x: pt.dmatrix("m")})  # PyTensor's former name of vectorize_graph
    assert batched.ndim == 2 and "renamed to vectorize_graph" in str(caught[0].message)


@pytest.mark.rule("GRAPH-PRINT-3")
def test_graph_print_3__print_shape_shows_static_shapes():
    x, m = pt.dvector("x"), pt.dmatrix("m", shape=(2, None))
    text = pytensor.dprint((x + m).sum(axis=0), print_type=True, print_shape=True, file="str")
    assert text.splitlines()[1] == " └─ Add [id B] <Matrix(float64, shape=(2, ?))> shape=(2, ?)"  # PyTensor's form
    assert "shape=(?,)" in pytensor.dprint(x, print_shape=True, file="str")
