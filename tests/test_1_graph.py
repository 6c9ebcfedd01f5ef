"""Chapter 1, graphs: roots, applications, evaluation, replacement, printing, config (GRAPH-*)."""

import io
import os
import subprocess
import sys

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.config import Config
from reference.errors import MissingInputError, SpecTypeError
from reference.evaluate import evaluate_graph
from reference.graph.basic import Apply, Constant, Op
from reference.graph.shared import SharedVariable
from reference.graph.traversal import graph_inputs, toposort
from reference.graph.type import TensorType
from reference.printing import debugprint


# -- roots and applications ---------------------------------------------------------------
@pytest.mark.rule("GRAPH-ROOT-1")
def test_graph_root_1__three_kinds_of_roots():
    x = pt.dvector("x")
    c = pt.constant(2.0)
    s = pytensor.shared(np.ones(3), name="s")
    y = x * c + s
    roots = graph_inputs([y])
    assert roots == [x, c, s]
    assert all(r.owner is None for r in roots)
    assert isinstance(c, Constant) and isinstance(s, SharedVariable)
    assert y.owner is not None and x.clone().owner is None and x.clone().name == "x"


@pytest.mark.rule("GRAPH-ROOT-2")
def test_graph_root_2__constants_are_read_only_and_statically_shaped():
    c = pt.constant(np.arange(3.0))
    assert c.type == TensorType("float64", (3,))
    assert not c.data.flags.writeable
    with pytest.raises(ValueError):
        c.data[0] = 5.0
    assert (c * 2).eval().tolist() == [0.0, 2.0, 4.0]


@pytest.mark.rule("GRAPH-APPLY-1")
def test_graph_apply_1__a_node_holds_op_inputs_and_new_outputs():
    a = pt.dscalar("a")
    y = a + 1
    node = y.owner
    assert isinstance(node, Apply) and node.op is pt.add
    assert node.inputs[0] is a and isinstance(node.inputs[1], Constant)
    assert node.outputs == [y] and y.index == 0 and y.owner is node
    assert str(node) == "Add(a, 1)"
    assert a.owner is None  # building a node changes no existing variable


@pytest.mark.rule("GRAPH-APPLY-1")
def test_graph_apply_1__several_outputs_are_returned_as_a_list():
    srng = pt.random.RandomStream(0)
    draw = srng.normal()
    node = draw.owner
    assert len(node.outputs) == 2 and node.outputs[1] is draw
    assert node.op(*node.inputs)[1].type == draw.type


@pytest.mark.rule("GRAPH-VAR-1")
@pytest.mark.parametrize("use", [bool, len, iter, lambda v: v and 1, lambda v: [*v]])
def test_graph_var_1__no_truth_value_length_or_iteration(use):
    x = pt.dvector("x")
    with pytest.raises(SpecTypeError) as info:
        use(x)
    assert info.value.rule == "GRAPH-VAR-1"


@pytest.mark.rule("GRAPH-VAR-1")
def test_graph_var_1__equality_is_identity():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    assert (x == x) is True and (x == y) is False and (x != y) is True
    assert pt.eq(x, y).dtype == "bool"


# -- order and evaluation -----------------------------------------------------------------
@pytest.mark.rule("GRAPH-ORDER-1")
def test_graph_order_1__depth_first_inputs_left_to_right():
    x = pt.dscalar("x")
    a = pt.exp(x)
    b = pt.log(x)
    c = a + b
    d = c * a
    order = toposort([d, b])
    assert order == [a.owner, b.owner, c.owner, d.owner]
    assert toposort([b, d]) == [b.owner, a.owner, c.owner, d.owner]
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for v in node.inputs:
            if v.owner is not None:
                assert position[id(v.owner)] < position[id(node)]


@pytest.mark.rule("GRAPH-EVAL-1")
def test_graph_eval_1__evaluate_one_or_several_and_convert_inputs():
    x = pt.fvector("x")
    y = x * 2
    assert y.eval({x: [1, 2]}).dtype == np.float32
    one, two = pytensor.evaluate([y, y + 1], {x: np.array([1.0, 2.0], dtype="float32")})
    assert one.tolist() == [2.0, 4.0] and two.tolist() == [3.0, 5.0]
    with pytest.raises(SpecTypeError):
        y.eval({x: np.array([0.1])})  # float64 array into float32 (FN-INPUT-2)


@pytest.mark.rule("GRAPH-EVAL-1")
def test_graph_eval_1__every_intermediate_is_bound_once():
    x = pt.dscalar("x")
    a = pt.exp(x)
    b = a + a
    env = {x: np.asarray(1.0)}
    seen = []
    (value,) = evaluate_graph([b], env, trace=lambda node, ins, outs: seen.append(node))
    assert seen == [a.owner, b.owner]
    assert env[a] == np.exp(1.0) and value == 2 * np.exp(1.0)


@pytest.mark.rule("GRAPH-EVAL-2")
def test_graph_eval_2__reading_bound_constant_shared_or_missing():
    x, y = pt.dscalar("x"), pt.dscalar("y")
    s = pytensor.shared(10.0, name="s")
    assert (x + 1 + s).eval({x: 1.0}) == 12.0
    with pytest.raises(MissingInputError) as info:
        pytensor.evaluate(x + y, {x: 1.0})
    assert info.value.rule == "GRAPH-EVAL-2"
    with pytest.raises(MissingInputError) as info:  # GRAPH-EVAL-6: eval builds a function
        (x + y).eval({x: 1.0})
    assert info.value.rule == "FN-INPUT-5"
    assert "y" in str(info.value) and "Scalar(float64" in str(info.value)


@pytest.mark.rule("GRAPH-EVAL-3")
def test_graph_eval_3__an_op_error_propagates_with_a_note():
    x = pt.dvector("x")
    y = x.reshape((2, 2))
    with pytest.raises(ValueError) as info:
        y.eval({x: np.zeros(3)})
    assert info.value.rule == "OP-RESHAPE-1"
    assert any("while evaluating Reshape" in note for note in info.value.__notes__)


class _LyingOp(Op):
    """Promises float64 and returns float32: the evaluator's assertion must catch it."""

    def make_node(self, x):
        x = pt.as_tensor_variable(x)
        return Apply(self, [x], [TensorType("float64", x.type.shape)])

    def perform(self, node, x):
        return x.astype("float32")


@pytest.mark.rule("GRAPH-EVAL-4")
def test_graph_eval_4__a_value_of_the_wrong_dtype_is_a_crash():
    x = pt.dvector("x")
    with pytest.raises(AssertionError, match="GRAPH-EVAL-4"):
        _LyingOp()(x).eval({x: np.zeros(2)})


@pytest.mark.rule("GRAPH-EVAL-4")
def test_graph_eval_4__ops_return_values_of_their_types():
    x = pt.bvector("x")
    outputs = [x / 2, pt.exp(x), x.sum(), x.mean(), x > 0, pt.cast(x, "float16")]
    values = pytensor.evaluate(outputs, {x: np.array([1, -2], "int8")})
    for variable, value in zip(outputs, values, strict=True):
        assert variable.type.value_fits(value)


# -- replacement --------------------------------------------------------------------------
@pytest.mark.rule("GRAPH-REPLACE-1")
def test_graph_replace_1__changed_nodes_are_rebuilt_others_shared():
    x, y, w = pt.dscalar("x"), pt.dscalar("y"), pt.dscalar("w")
    kept = pt.exp(w)
    z = x * 2 + kept
    z.name = "z"
    (new,) = pytensor.clone_replace([z], {x: y + 1})
    assert new is not z and new.name == "z"
    assert new.owner.inputs[1] is kept  # unchanged node shared
    assert new.eval({y: 1.0, w: 0.0}) == 5.0
    assert z.owner.inputs[0].owner.inputs[0] is x  # original graph untouched


@pytest.mark.rule("GRAPH-REPLACE-1")
def test_graph_replace_1__types_are_checked_again():
    x = pt.dvector("x")
    y = x + pt.zeros((3,))
    with pytest.raises(ValueError) as info:
        pytensor.clone_replace([y], {x: pt.zeros((4,))})
    assert info.value.rule == "OP-ELEMWISE-1"


# -- printing -----------------------------------------------------------------------------
@pytest.mark.rule("GRAPH-PRINT-1")
def test_graph_print_1__names_of_variables_and_types():
    x = pt.dvector("x")
    a = pt.dscalar("a")
    assert str(x) == repr(x) == "x"
    assert str(pt.vector()) == "<Vector(float64, shape=(?,))>"
    assert str(pt.fmatrix()) == "<Matrix(float32, shape=(?, ?))>"
    assert str(pt.tensor("int32", shape=(2, None))) == "<Matrix(int32, shape=(2, ?))>"
    assert str(pt.tensor3()) == "<Tensor3(float64, shape=(?, ?, ?))>"
    assert str(a + 1) == "Add.0" and str(pt.exp(x)) == "Exp.0"
    z = x + x
    z.name = "z"
    assert str(z) == "z"
    assert str(x.type) == "Vector(float64, shape=(?,))"
    assert repr(x.type) == "TensorType(float64, shape=(None,))"
    assert repr(pt.fscalar().type) == "TensorType(float32, shape=())"
    assert str(pt.constant(1.5)) == "1.5" and str(pt.constant([1, 2])) == "[1, 2]"
    assert str(pt.constant(np.zeros(20))) == "TensorConstant{float64(20,)}"
    assert str(pytensor.shared(np.zeros(3), name="W")) == "W"


@pytest.mark.rule("GRAPH-PRINT-2")
def test_graph_print_2__layout_ids_and_repeated_nodes():
    x, y = pt.dvector("x"), pt.dvector("y")
    z = x + y
    text = debugprint(z * z, file="str")
    assert text == (
        "Mul [id A]\n"
        " ├─ Add [id B]\n"
        " │  ├─ x [id C]\n"
        " │  └─ y [id D]\n"
        " └─ Add [id B]\n"
        "    └─ ···\n"
    )
    typed = debugprint((x + y).sum(), file="str", print_type=True)
    assert typed.splitlines()[1:] == [
        " └─ Add [id B] <Vector(float64, shape=(?,))>",
        "    ├─ x [id C] <Vector(float64, shape=(?,))>",
        "    └─ y [id D] <Vector(float64, shape=(?,))>",
    ]
    assert debugprint([x + y, x * y], file="str") == (
        "Add [id A]\n ├─ x [id B]\n └─ y [id C]\nMul [id D]\n ├─ x [id B]\n └─ y [id C]\n"
    )


@pytest.mark.rule("GRAPH-PRINT-2")
def test_graph_print_2__file_and_stdout_and_named_intermediates(capsys):
    x = pt.dvector("x")
    m = pt.exp(x)
    m.name = "m"
    buffer = io.StringIO()
    returned = debugprint(m + 1, file=buffer)
    assert buffer.getvalue() == returned + "\n"
    assert returned.splitlines()[1] == " ├─ Exp [id B] 'm'"
    debugprint(m)
    assert capsys.readouterr().out.startswith("Exp [id A] 'm'")


@pytest.mark.rule("GRAPH-PRINT-2")
def test_graph_print_2__loops_print_their_inner_graphs():
    a = pt.dscalar("a")
    values, _ = pytensor.scan(lambda h: h * a, outputs_info=a, n_steps=3)
    text = debugprint(values, file="str")
    assert "\nInner graphs:\n" in text
    assert " ← Mul" in text and "a[t-1]" in text


# -- configuration ------------------------------------------------------------------------
@pytest.mark.rule("GRAPH-CONFIG-1")
def test_graph_config_1__environment_text_is_parsed():
    config = Config()
    config.load_environment("floatX=float32, scan__allow_gc=True,mode=python")
    assert (config.floatX, config.scan__allow_gc, config.mode) == ("float32", True, "python")
    config.load_environment("scan__allow_gc=0,mode=None")
    assert config.scan__allow_gc is False and config.mode is None
    for bad in ("floatX", "nope=1", "floatX=float16", "scan__allow_gc=maybe"):
        with pytest.raises(ValueError):
            Config().load_environment(bad)


@pytest.mark.rule("GRAPH-CONFIG-1")
def test_graph_config_1__set_and_change_flags_restore():
    config = Config()
    with pytest.raises(AttributeError):
        config.device = "cpu"
    with pytest.raises(AttributeError):
        _ = config.compute_test_values  # not a flag (compute_test_value is)
    with pytest.raises(ValueError):
        config.floatX = "int32"
    with pytest.raises(ValueError):
        config.linker = "gpu"
    with pytensor.config.change_flags(floatX="float32"):
        v = pt.vector()
        c = pt.constant(0.1)
        i = pt.ivector()
        assert (v.dtype, c.dtype, (i / i).dtype) == ("float32", "float32", "float32")
    assert pytensor.config.floatX == "float64"
    assert v.dtype == "float32"  # a built graph keeps its types
    with pytest.raises(ValueError), pytensor.config.change_flags(floatX="float32"):
        raise ValueError("leaving the block by an exception restores the flag too")
    assert pytensor.config.floatX == "float64"


@pytest.mark.rule("GRAPH-CONFIG-1")
def test_graph_config_1__reference_flags_is_read_at_import():
    env = dict(os.environ, REFERENCE_FLAGS="floatX=float32")
    out = subprocess.run(
        [sys.executable, "-c", "import reference.tensor as pt; print(pt.vector().dtype)"],
        env=env, capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == "float32"


@pytest.mark.rule("GRAPH-CONFIG-1")
def test_graph_config_1__pytensor_flags_is_read_too():
    code = "import reference as pytensor; print(pytensor.config.floatX, pytensor.config.on_unused_input)"
    env = dict(os.environ, PYTENSOR_FLAGS="device=cpu,floatX=float32,cxx=,on_unused_input=warn")
    env.pop("REFERENCE_FLAGS", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["float32", "warn"]  # PyTensor-only flags are skipped
    env["REFERENCE_FLAGS"] = "floatX=float64"  # reference's own variable wins
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["float64", "warn"]
    env = dict(os.environ, PYTENSOR_FLAGS="floatX=float16")
    env.pop("REFERENCE_FLAGS", None)
    out = subprocess.run([sys.executable, "-W", "always", "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.split()[0] == "float64" and "float16" in out.stderr


# -- GRAPH-TESTVAL-1: test values --------------------------------------------------------------


@pytest.mark.rule("GRAPH-TESTVAL-1")
def test_graph_testval_1__tags_take_attributes():
    x = pt.dscalar("x")
    x.tag.test_value = 1.0
    x.tag.anything = "kept"
    assert x.tag.test_value == 1.0 and x.tag["anything"] == "kept" and "test_value" in x.tag
    assert "test_value" not in pt.dscalar("y").tag


@pytest.mark.rule("GRAPH-TESTVAL-1")
def test_graph_testval_1__nodes_run_on_test_values_when_built():
    import warnings

    import reference as pytensor
    from reference.graph.test_value import TestValueError

    m, u, w = pt.dmatrix("m"), pt.dvector("u"), pt.dvector("w")
    m.tag.test_value, u.tag.test_value = np.ones((3, 4)), np.arange(5.0)
    with pytensor.config.change_flags(compute_test_value="raise"):
        e = pt.exp(m).sum(axis=0) + pytensor.shared(np.ones(4)) * 2
        np.testing.assert_array_equal(e.tag.test_value, np.full(4, 3 * np.e + 2))
        with pytest.raises(ValueError, match="OP-DOT-1"):  # at the line that builds it
            pt.dot(m, u)
        with pytest.raises(TestValueError, match="input 0 \\(w\\) has no test value"):
            w + 1
    with pytensor.config.change_flags(compute_test_value="warn"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert "test_value" not in (w + 1).tag
    assert any("no test value" in str(c.message) for c in caught)
    with pytensor.config.change_flags(compute_test_value="ignore"):
        assert "test_value" not in (w + 1).tag
    assert "test_value" not in pt.exp(m).tag  # "off" (the default) computes none
    f = pytensor.function([u], u * 2)  # compiled functions ignore them
    assert f(np.ones(2)).tolist() == [2.0, 2.0]


@pytest.mark.rule("GRAPH-CONFIG-1")
def test_graph_config_1__warn_float64_acts_on_new_float64_variables():
    import warnings

    with pytensor.config.change_flags(warn_float64="raise", floatX="float32"):
        assert (pt.vector("x") * 2).dtype == "float32"
        assert pt.constant(1.0, dtype="float64").dtype == "float64"  # constants do not count
        with pytest.raises(SpecTypeError, match="float64"):
            pt.dvector("d")
        with pytest.raises(SpecTypeError):
            pt.vector("x") * np.float64(2.0)  # an upcast creates one
    with pytensor.config.change_flags(warn_float64="warn"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pt.dvector("d")
    assert caught and caught[0].filename == __file__  # pointing at the line that created it
