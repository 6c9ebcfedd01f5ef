"""Graph utilities and gradient helpers: ``pytensor.graph.traversal``, the cloning and
comparing functions of ``pytensor.graph.basic``, and ``undefined_grad``, ``subgraph_grad``,
``DisconnectedType``, ``GradClip``, ``GradScale`` of ``pytensor.gradient``
(GRAPH-TRAV-*, GRAPH-CLONE-*, GRAD-CONST-3, GRAD-DISC-1, GRAD-SUBGRAPH-1)."""

import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference import gradient
from reference.errors import DisconnectedInputError, NullTypeGradError
from reference.graph import basic, traversal
from reference.graph.basic import Apply, AtomicVariable, Constant, Node, Op, Variable


def small_graph(tensor):
    """``t = exp(x + y) * x`` with every variable named, for either library."""
    x, y = tensor.dscalars("x", "y")
    s = x + y
    s.name = "s"
    e = tensor.exp(s)
    e.name = "e"
    t = e * x
    t.name = "t"
    return {"x": x, "y": y, "s": s, "e": e, "t": t}


def eigh_graph(tensor):
    """A node with two outputs of which only the first is read."""
    m = tensor.dmatrix("m")
    w, v = tensor.linalg.eigh(m)
    w.name, v.name = "w", "v"
    ew = tensor.exp(w)
    ew.name = "ew"
    out = ew.sum()
    out.name = "out"
    return {"m": m, "w": w, "v": v, "ew": ew, "out": out}


def names(items):
    """Variables by name, nodes by their outputs' names."""
    return [tuple(o.name for o in i.outputs) if hasattr(i, "outputs") else i.name for i in items]


# -- GRAPH-TRAV-1: ancestors, graph_inputs, toposort with blockers -----------------------
@pytest.mark.rule("GRAPH-TRAV-1")
def test_graph_trav_1__blockers_stop_the_walk():
    g = small_graph(pt)
    assert names(traversal.ancestors([g["t"]])) == ["t", "x", "y", "s", "e"]
    assert names(traversal.ancestors([g["t"]], blockers=[g["s"]])) == ["t", "s", "e", "x"]
    assert names(traversal.graph_inputs([g["t"]], blockers=[g["s"]])) == ["x"]
    assert names(traversal.toposort([g["t"]], blockers=[g["s"]])) == [("e",), ("t",)]
    assert names(traversal.apply_ancestors([g["t"]], blockers=[g["s"]])) == [("t",), ("e",)]
    assert traversal.variable_ancestors is traversal.ancestors


@pytest.mark.rule("GRAPH-TRAV-1")
def test_graph_trav_1__a_blocker_reached_by_another_path_is_walked_past_there():
    x = pt.dscalar("x")
    a = pt.exp(x)
    b = a + pt.log(a)
    # a is blocked, but log(a) is still computed from it: nodes above a are not visited
    assert [str(n) for n in traversal.toposort([b], blockers=[a])] == ["Log(Exp.0)", "Add(Exp.0, Log.0)"]
    assert x not in traversal.ancestors([b], blockers=[a])


@pytest.mark.rule("GRAPH-TRAV-1")
def test_graph_trav_1__unread_outputs_of_a_node_are_not_ancestors():
    g = eigh_graph(pt)
    assert "v" not in names(traversal.ancestors([g["out"]]))
    assert traversal.variable_depends_on(g["out"], g["w"])
    assert not traversal.variable_depends_on(g["out"], g["v"])


@pytest.mark.rule("GRAPH-TRAV-1")
def test_graph_trav_1__basic_gives_the_moved_names_with_a_future_warning():
    with pytest.warns(FutureWarning, match="was moved to `pytensor.graph.traversal.orphans_between`"):
        assert basic.orphans_between is traversal.orphans_between
    for name in ("walk", "apply_depends_on", "truncated_graph_inputs", "general_toposort", "vars_between"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            assert getattr(basic, name) is getattr(traversal, name)
    with pytest.raises(AttributeError):
        basic.no_such_helper  # noqa: B018


# -- GRAPH-TRAV-2: walk ------------------------------------------------------------------
@pytest.mark.rule("GRAPH-TRAV-2")
def test_graph_trav_2__walk_breadth_or_depth_first_each_node_once():
    g = small_graph(pt)

    def expand(v):
        return v.owner.inputs if v.owner is not None else None

    assert names(traversal.walk([g["t"]], expand)) == ["t", "e", "x", "s", "y"]
    assert names(traversal.walk([g["t"]], expand, bfs=False)) == ["t", "x", "e", "s", "y"]
    pairs = list(traversal.walk([g["t"]], expand, bfs=False, return_children=True))
    assert [(v.name, None if c is None else names(c)) for v, c in pairs][:2] == [("t", ["e", "x"]), ("x", None)]
    assert list(traversal.walk([1, 1, 2], lambda n: [n + 1] if n < 3 else None)) == [1, 2, 3]


# -- GRAPH-TRAV-3: between inputs and outputs ----------------------------------------------
@pytest.mark.rule("GRAPH-TRAV-3")
def test_graph_trav_3__orphans_between_as_in_pytensors_docstring():
    x, y = pt.scalars("xy")
    assert list(traversal.orphans_between([x], [(x + y)])) == [y]


@pytest.mark.rule("GRAPH-TRAV-3")
def test_graph_trav_3__vars_between_lists_every_output_of_a_node_on_the_way():
    g = eigh_graph(pt)
    assert names(traversal.vars_between([g["m"]], [g["out"]])) == ["out", "ew", "w", "v", "m"]
    g = small_graph(pt)
    assert names(traversal.vars_between([g["s"]], [g["t"]])) == ["t", "x", "e", "s"]
    assert names(traversal.orphans_between([g["s"]], [g["t"]])) == ["x"]
    assert names(traversal.applys_between([g["s"]], [g["t"]])) == [("t",), ("e",)]


# -- GRAPH-TRAV-4: dependence and names ------------------------------------------------------
@pytest.mark.rule("GRAPH-TRAV-4")
def test_graph_trav_4__apply_and_variable_dependence():
    g = small_graph(pt)
    assert traversal.apply_depends_on(g["t"].owner, g["s"].owner)
    assert traversal.apply_depends_on(g["t"].owner, [g["t"].owner])
    assert not traversal.apply_depends_on(g["s"].owner, g["t"].owner)
    assert traversal.variable_depends_on(g["t"], g["s"]) and traversal.variable_depends_on(g["t"], [g["y"], g["x"]])
    assert not traversal.variable_depends_on(g["s"], g["t"])


@pytest.mark.rule("GRAPH-TRAV-4")
def test_graph_trav_4__get_var_by_name_also_matches_auto_name():
    g = small_graph(pt)
    unnamed = g["t"] * 2
    assert traversal.get_var_by_name([unnamed], "s") == (g["s"],)
    assert traversal.get_var_by_name([unnamed], unnamed.auto_name) == (unnamed,)
    assert unnamed.auto_name.startswith("auto_") and unnamed.auto_name != g["t"].auto_name
    assert unnamed.eval({"x": 1.0, "y": 0.0}) == pytest.approx(2 * np.e)


# -- GRAPH-TRAV-5: general sorts -------------------------------------------------------------
@pytest.mark.rule("GRAPH-TRAV-5")
def test_graph_trav_5__orderings_put_a_node_after_the_nodes_listed():
    a = pt.dscalar("a")
    ex, lg = pt.exp(a), pt.log(a)
    out = ex + lg
    assert traversal.io_toposort([a], [out]) == [ex.owner, lg.owner, out.owner]
    assert traversal.io_toposort([a], [out], orderings={ex.owner: [lg.owner]}) == [lg.owner, ex.owner, out.owner]
    assert traversal.toposort_with_orderings([out], blockers=[ex], orderings={out.owner: [lg.owner]}) == [lg.owner, out.owner]
    with pytest.raises(ValueError, match="clients is no longer supported"):
        traversal.io_toposort([a], [out], clients={})


@pytest.mark.rule("GRAPH-TRAV-5")
def test_graph_trav_5__general_toposort_and_cycles():
    deps = {"a": ["b", "c"], "b": ["c"], "c": []}
    assert traversal.general_toposort(["a"], deps.get) == ["c", "b", "a"]
    assert list(traversal.walk_toposort(["a"], deps.get)) == ["c", "b", "a"]
    with pytest.raises(ValueError, match="graph contains cycles"):
        list(traversal.walk_toposort(["a"], {"a": ["b"], "b": ["a"]}.get))
    with pytest.raises(ValueError, match="deps_cache is no longer supported"):
        traversal.general_toposort(["a"], deps.get, deps_cache={})


# -- GRAPH-TRAV-6: truncated_graph_inputs ----------------------------------------------------
@pytest.mark.rule("GRAPH-TRAV-6")
def test_graph_trav_6__truncated_graph_inputs_cases_of_pytensors_docstring():
    n = pt.dscalar("n")
    c = pt.exp(n)
    o = pt.log(c)
    assert traversal.truncated_graph_inputs([o, o]) == [o]                   # n - n - (o)
    assert traversal.truncated_graph_inputs([o], [c]) == [c]                 # n - (c) - o
    c2 = pt.exp(n)
    o2 = pt.log(c2)
    assert traversal.truncated_graph_inputs([o2], [c2, n]) == [c2, n]         # (c) - (c) - o
    other = pt.dscalar("other")
    o3 = pt.exp(c) + other
    assert traversal.truncated_graph_inputs([o3], [c]) == [other, c]         # additional variables
    disconnected = pt.dscalar("d")
    assert traversal.truncated_graph_inputs([o], [c, disconnected]) == [c]   # disconnected not returned
    assert traversal.truncated_graph_inputs([o, other], [c]) == [other, c]   # disconnected output returned
    assert traversal.truncated_graph_inputs([o], [o, c]) == [o, c]           # n - (c) - (o/c)


# -- GRAPH-CLONE-1: cloning graphs -----------------------------------------------------------
@pytest.mark.rule("GRAPH-CLONE-1")
def test_graph_clone_1__clone_copies_inputs_and_orphans_not_constants():
    g = small_graph(pt)
    two = pt.constant(2.0)
    out = g["t"] * two
    (x2,), (out2,) = basic.clone([g["x"]], [out])
    assert x2 is not g["x"] and x2.name == "x" and x2.owner is None
    roots = traversal.graph_inputs([out2])
    assert two in roots and g["y"] not in roots and x2 in roots
    (x3,), (out3,) = basic.clone([g["x"]], [out], copy_inputs=False)
    assert x3 is g["x"] and g["y"] in traversal.graph_inputs([out3])
    assert basic.equal_computations([out3], [out])
    assert out2.eval({x2: 1.0, roots[1]: 0.0}) == pytest.approx(2 * np.e)


@pytest.mark.rule("GRAPH-CLONE-1")
def test_graph_clone_1__clone_get_equiv_maps_variables_and_nodes_and_keeps_memo():
    g = small_graph(pt)
    keep = pt.dscalar("keep")
    equiv = basic.clone_get_equiv([g["x"]], [g["t"]], copy_orphans=False, memo={g["y"]: keep})
    assert equiv[g["y"]] is keep and equiv[g["x"]] is not g["x"]
    assert equiv[g["t"].owner].outputs[0] is equiv[g["t"]]
    assert traversal.graph_inputs([equiv[g["t"]]]) == [equiv[g["x"]], keep]
    with pytest.warns(FutureWarning, match="clone_inner_graphs"):
        basic.clone_get_equiv([g["x"]], [g["t"]], clone_inner_graphs=True)


@pytest.mark.rule("GRAPH-CLONE-1")
def test_graph_clone_1__variables_and_nodes_are_nodes():
    g = small_graph(pt)
    node = g["t"].owner
    assert isinstance(g["x"], Node) and isinstance(node, Node)
    assert node.get_parents() == [g["e"], g["x"]] and node.get_parents() is not node.inputs
    assert g["t"].get_parents() == [node] and g["x"].get_parents() == []
    assert "Mul" in node.dprint(file="str")


# -- GRAPH-CLONE-2: cloning nodes ------------------------------------------------------------
@pytest.mark.rule("GRAPH-CLONE-2")
def test_graph_clone_2__apply_clone_has_new_outputs_same_inputs():
    g = small_graph(pt)
    node = g["t"].owner
    node.tag.note = "kept"
    copy = node.clone()
    assert copy.op is node.op and copy.inputs == node.inputs and copy.inputs is not node.inputs
    assert copy.outputs[0] is not g["t"] and copy.outputs[0].owner is copy and copy.outputs[0].name == "t"
    assert copy.tag.note == "kept"


@pytest.mark.rule("GRAPH-CLONE-2")
def test_graph_clone_2__clone_with_new_inputs_strict_and_not():
    v = pt.dvector("v")
    node = pt.exp(v).owner
    precise = pt.tensor("p", dtype="float64", shape=(3,))
    assert node.clone_with_new_inputs([precise]).outputs[0].type == precise.type
    vague = pt.exp(precise).owner.clone_with_new_inputs([v])
    assert str(vague.inputs[0].owner.op).startswith("SpecifyShape") and vague.outputs[0].type.shape == (3,)
    with pytest.raises(TypeError, match="Cannot convert Type Matrix"):
        node.clone_with_new_inputs([pt.dmatrix("m")])
    loose = node.clone_with_new_inputs([pt.fvector("f")], strict=False)
    assert loose.outputs[0].dtype == "float32"
    same = node.clone_with_new_inputs([pt.dvector("w")])
    assert same.op is node.op and same.outputs[0].type == node.outputs[0].type
    with pytest.raises(ValueError):
        node.clone_with_new_inputs([v, v])


@pytest.mark.rule("GRAPH-CLONE-2")
def test_graph_clone_2__default_output_and_out():
    m = pt.dmatrix("m")
    w, _ = pt.linalg.eigh(m)
    with pytest.raises(ValueError, match="default_output not specified"):
        w.owner.default_output()
    e = pt.exp(m)
    assert e.owner.default_output() is e and e.owner.out is e

    class Pair(Op):
        default_output = 1

        def make_node(self, x):
            return Apply(self, [x], [x.type, x.type])

    node = Pair().make_node(m)
    assert node.default_output() is node.outputs[1] and node.out is node.outputs[1]


# -- GRAPH-CLONE-3: as_string ----------------------------------------------------------------
@pytest.mark.rule("GRAPH-CLONE-3")
def test_graph_clone_3__as_string_marks_nodes_used_twice():
    a = pt.dscalar("a")
    e = pt.exp(a)
    assert basic.as_string([a], [e + e * e, e]) == ["Add(*1 -> Exp(a), Mul(*1, *1))", "*1"]
    s = a + 1.0
    assert basic.as_string([s], [pt.exp(s) * a]) == ["Mul(Exp(Add.0), a)"]
    m = pt.dmatrix("m")
    w, v = pt.linalg.eigh(m)
    assert basic.as_string([m], [w + 1, v], node_formatter=lambda n, args: f"{type(n.op).__name__}[{','.join(args)}]") == [
        "Elemwise[*1 -> Eigh[m],1]", "*1::1"]


# -- GRAPH-CLONE-4: comparing graphs ---------------------------------------------------------
@pytest.mark.rule("GRAPH-CLONE-4")
def test_graph_clone_4__equal_computations():
    x, y = pt.dscalars("x", "y")
    assert basic.equal_computations([pt.exp(x) + 1], [pt.exp(x) + 1])
    assert not basic.equal_computations([pt.exp(x)], [pt.exp(y)])
    assert basic.equal_computations([pt.exp(x)], [pt.exp(y)], in_xs=[x], in_ys=[y])
    assert not basic.equal_computations([pt.exp(x)], [pt.log(x)])
    assert basic.equal_computations([np.array(2.0)], [pt.constant(2.0)])
    assert not basic.equal_computations([x + 1.0], [x + 2.0])
    f = pt.fscalar("f")
    assert not basic.equal_computations([x], [f], in_xs=[x], in_ys=[f])
    with pytest.raises(ValueError, match="must match"):
        basic.equal_computations([x], [])


@pytest.mark.rule("GRAPH-CLONE-4")
def test_graph_clone_4__constants_equal_by_value_not_by_eq():
    assert pt.constant(np.nan).equals(pt.constant(np.nan))
    assert not pt.constant(1.0).equals(pt.constant(1))
    assert not pt.constant([1.0]).equals(pt.constant(1.0))
    c = pt.constant(1.0)
    assert isinstance(c, AtomicVariable) and isinstance(c, Constant) and c.merge_signature() == c.signature()
    assert not isinstance(pt.dscalar(), AtomicVariable) and isinstance(pt.dscalar(), Variable)


# -- gradients -------------------------------------------------------------------------------
@pytest.mark.rule("GRAD-CONST-3")
def test_grad_const_3__undefined_grad_raises_when_differentiated():
    x = pt.dscalar("x")
    u = gradient.undefined_grad(x)
    assert u.eval({x: 2.0}) == 2.0 and str(u.owner.op) == "UndefinedGrad"
    assert isinstance(u.owner.op, gradient.UndefinedGrad)
    with pytest.raises(NullTypeGradError, match="UndefinedGrad"):
        pytensor.grad(u * 2, x)
    assert pytensor.grad(u * 2 + x, x, disconnected_inputs="ignore", consider_constant=[u]).eval({x: 1.0}) == 1.0


@pytest.mark.rule("GRAD-CONST-3")
def test_grad_const_3__grad_clip_example_of_pytensors_docstring():
    x = pt.scalar()
    z = pytensor.grad(gradient.grad_clip(x, -1, 1) ** 2, x)
    z2 = pytensor.grad(x**2, x)
    f = pytensor.function([x], outputs=[z, z2])
    assert str(f(2.0)) == "[array(1.), array(4.)]"


@pytest.mark.rule("GRAD-CONST-3")
def test_grad_const_3__grad_scale_example_of_pytensors_docstring():
    x = pt.fscalar()
    fx = pt.sin(x)
    fprime = pytensor.function([x], pytensor.grad(fx, wrt=x))
    assert str(fprime(2)).startswith("-0.416")
    fpprime = pytensor.function([x], pytensor.grad(gradient.grad_scale(fx, -1.0), wrt=x))
    assert str(fpprime(2)).startswith("0.416")


@pytest.mark.rule("GRAD-CONST-3")
def test_grad_const_3__gradclip_and_gradscale_classes():
    x = pt.dscalar("x")
    clipped = gradient.GradClip(-1.0, 1.0)(x)
    assert str(clipped.owner.op) == "GradClip"
    assert pytensor.grad(clipped * 5, x).eval({x: 1.0}) == 1.0
    assert pytensor.grad(gradient.GradScale(0.5)(x) * 5, x).eval({x: 1.0}) == 2.5
    with pytest.raises(ValueError, match="clip_upper_bound"):
        gradient.GradClip(1, -1)
    assert isinstance(gradient.grad_clip(x, -1, 1).owner.op, gradient.GradClip)
    assert isinstance(gradient.grad_scale(x, 2.0).owner.op, gradient.GradScale)
    assert not isinstance(gradient.grad_scale(x, 2.0).owner.op, gradient.GradClip)
    assert gradient.GradClip(1, 2) == gradient.GradClip(3, 4)
    rebuilt = clipped.owner.clone_with_new_inputs([pt.dscalar("y"), *clipped.owner.inputs[1:]])
    assert isinstance(rebuilt.op, gradient.GradClip) and len(rebuilt.inputs) == 3


class _TimesDisconnected(Op):
    """``a * b``, whose gradient method says ``b`` is disconnected."""

    def make_node(self, a, b):
        a, b = pt.as_tensor_variable(a), pt.as_tensor_variable(b)
        return Apply(self, [a, b], [a.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] * inputs[1]

    def grad(self, inputs, output_grads):
        return [output_grads[0] * inputs[1], gradient.DisconnectedType()()]


@pytest.mark.rule("GRAD-DISC-1")
def test_grad_disc_1__disconnected_type_from_an_op_grad_is_no_cotangent():
    x, y = pt.dscalars("x", "y")
    out = _TimesDisconnected()(x, y)
    assert pytensor.grad(out, x).eval({x: 2.0, y: 3.0}) == 3.0
    with pytest.raises(DisconnectedInputError):
        pytensor.grad(out, y)
    gx, gy = pytensor.grad(out + y * 0 + x * 0, [x, y], disconnected_inputs="ignore")
    assert gy.eval({x: 2.0, y: 3.0}) == 0.0


@pytest.mark.rule("GRAD-DISC-1")
def test_grad_disc_1__a_placeholder_has_no_values():
    placeholder = gradient.disconnected_type()
    assert isinstance(gradient.disconnected_type, gradient.DisconnectedType)
    assert str(placeholder) == "<DisconnectedType>" and placeholder.owner is None
    with pytest.raises(AssertionError, match="symbolic placeholder"):
        placeholder.type.filter(1.0)


@pytest.mark.rule("GRAD-SUBGRAPH-1")
def test_grad_subgraph_1__checks_its_arguments():
    x = pt.dscalar("x")
    a = pt.exp(x)
    with pytest.raises(TypeError, match="`wrt` must be a list"):
        gradient.subgraph_grad(x, [a], cost=a)
    with pytest.raises(TypeError, match="`end` must be a list"):
        gradient.subgraph_grad([x], a, cost=a)
    with pytest.raises(ValueError, match="`cost` or `start` must be specified"):
        gradient.subgraph_grad([x], [a])
    with pytest.raises(TypeError, match="`start` must be a dictionary"):
        gradient.subgraph_grad([x], [a], start=[1])


@pytest.mark.rule("GRAD-SUBGRAPH-1")
def test_grad_subgraph_1__stops_at_end_and_sums_start_and_cost():
    x, w = pt.dscalars("x", "w")
    a = pt.exp(x * w)
    values = {x: 1.0, w: 0.5}
    (dw,), (da,) = gradient.subgraph_grad([w], [a], cost=(a * 2) ** 2 + w**2)
    assert dw.eval(values) == 1.0  # only w ** 2: the path through a stops at a
    assert da.eval(values) == pytest.approx(8 * np.exp(0.5))
    wrt_grads, end_grads, start_grads, cost_grads = gradient.subgraph_grad(
        [w, x], [a], start={a: pt.constant(1.0)}, cost=a * 3 + w * 5, details=True)
    evaluated = [[float(g.eval(values, on_unused_input="ignore")) for g in part]
                 for part in (wrt_grads, end_grads, start_grads, cost_grads)]
    assert evaluated == [[5.0, 0.0], [4.0], [0.0, 0.0, 1.0], [5.0, 0.0, 3.0]]
    assert gradient.subgraph_grad([w], [a], start={a: pt.constant(1.0)}, details=True)[3] is None


def _mlp_param_grads(lib, tensor, grad_module):
    """PyTensor's subgraph_grad docstring example, with fixed weights and float64."""
    x, t = tensor.dvector("x"), tensor.dvector("t")
    w1 = lib.shared(np.linspace(-1, 1, 12).reshape(3, 4), name="w1")
    w2 = lib.shared(np.linspace(1, -1, 8).reshape(4, 2), name="w2")
    a1 = tensor.tanh(tensor.dot(x, w1))
    a2 = tensor.tanh(tensor.dot(a1, w2))
    cost2 = tensor.sqr(a2 - t).sum() + tensor.sqr(w2.sum())
    cost1 = tensor.sqr(w1.sum())
    params, costs, grad_ends = [[w2], [w1]], [cost2, cost1], [[a1], [x]]
    next_grad, param_grads = None, []
    for i in range(2):
        param_grad, next_grad = grad_module.subgraph_grad(wrt=params[i], end=grad_ends[i], start=next_grad, cost=costs[i])
        next_grad = dict(zip(grad_ends[i], next_grad, strict=True))
        param_grads.extend(param_grad)
    f = lib.function([x, t], param_grads, on_unused_input="ignore")
    return f(np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.2]))


@pytest.mark.rule("GRAD-SUBGRAPH-1")
def test_grad_subgraph_1__mlp_example_of_pytensors_docstring():
    got = _mlp_param_grads(pytensor, pt, gradient)
    assert [g.shape for g in got] == [(4, 2), (3, 4)]
    assert np.isfinite(got[0]).all() and np.isfinite(got[1]).all()


# -- against PyTensor ------------------------------------------------------------------------
def _both():
    real = pytest.importorskip("pytensor")
    import pytensor.tensor as rpt

    return real, rpt


@pytest.mark.rule("GRAPH-TRAV-1", "GRAPH-TRAV-2", "GRAPH-TRAV-3", "GRAPH-TRAV-4", "GRAPH-TRAV-5", "GRAPH-TRAV-6")
@pytest.mark.parametrize("build", [small_graph, eigh_graph])
def test_graph_trav_1_to_6__as_pytensor_does(build):
    _, rpt = _both()
    from pytensor.graph import traversal as rtraversal

    results = []
    for tensor, trav in ((rpt, rtraversal), (pt, traversal)):
        g = build(tensor)
        root, out = list(g.values())[0], list(g.values())[-1]
        middle = list(g.values())[2]

        def expand(v):
            return v.owner.inputs if v.owner is not None else None

        def deps(v):
            return [*v.owner.inputs] if v.owner is not None else None

        results.append({
            # same order
            "walk": names(trav.walk([out], expand)),
            "walk_dfs": names(trav.walk([out], expand, bfs=False)),
            "vars_between": names(trav.vars_between([middle], [out])),
            "orphans_between": names(trav.orphans_between([root], [out])),
            "general_toposort": names(trav.general_toposort([out], deps)),
            "io_toposort": names(trav.io_toposort([root], [out])),
            "truncated": names(trav.truncated_graph_inputs([out], [middle])),
            "truncated_root": names(trav.truncated_graph_inputs([out], [root])),
            "by_name": names(trav.get_var_by_name([out], middle.name)),
            "depends": [trav.variable_depends_on(out, v) for v in g.values()],
            "apply_depends": [trav.apply_depends_on(out.owner, v.owner) for v in g.values() if v.owner],
            # same sets
            "ancestors": sorted(names(trav.ancestors([out]))),
            "ancestors_blocked": sorted(names(trav.ancestors([out], blockers=[middle]))),
            "graph_inputs": sorted(names(trav.graph_inputs([out], blockers=[middle]))),
            "toposort": sorted(names(trav.toposort([out], blockers=[middle]))),
            "applys_between": sorted(names(trav.applys_between([middle], [out]))),
        })
    assert results[0] == results[1]


@pytest.mark.rule("GRAPH-CLONE-1", "GRAPH-CLONE-2", "GRAPH-CLONE-3", "GRAPH-CLONE-4")
def test_graph_clone_1_to_4__as_pytensor_does():
    _, rpt = _both()
    from pytensor.graph import basic as rbasic

    results = []
    for tensor, bas in ((rpt, rbasic), (pt, basic)):
        g = small_graph(tensor)
        x, y, t = g["x"], g["y"], g["t"]
        e = tensor.exp(x)
        (x2,), (t2,) = bas.clone([x], [t])
        (x3,), (t3,) = bas.clone([x], [t], copy_orphans=False)
        equiv = bas.clone_get_equiv([x], [t], copy_inputs=False)
        node = tensor.exp(tensor.dvector("v")).owner
        strict = []
        for new in (tensor.tensor("p", dtype="float64", shape=(3,)), tensor.dmatrix("m"), tensor.fvector("f")):
            for flag in (True, False):
                try:
                    strict.append(str(node.clone_with_new_inputs([new], strict=flag).outputs[0].type))
                except TypeError:
                    strict.append("TypeError")
        results.append({
            "clone": [x2 is x, t2 is t, bas.equal_computations([t], [t2]), bas.equal_computations([t], [t2], [x], [x2])],
            "clone_orphans": [bas.equal_computations([t], [t3], [x], [x3]), y in list(bas.clone_get_equiv([x], [t]).values())],
            "equiv": [equiv[x] is x, equiv[y] is y, sorted(str(k) for k in equiv)],
            "strict": strict,
            "as_string": bas.as_string([x], [e + e * e, e]) + bas.as_string([g["s"]], [t * g["s"]]),
            "equal": [bas.equal_computations([tensor.exp(x) + 1], [tensor.exp(x) + 1]),
                      bas.equal_computations([tensor.exp(x)], [tensor.exp(y)], [x], [y]),
                      bas.equal_computations([np.array(2.0)], [tensor.constant(2.0)]),
                      bas.equal_computations([tensor.constant(1.0)], [tensor.constant(1)]),
                      bas.equal_computations([tensor.exp(tensor.constant(1.0))], [tensor.exp(tensor.constant(1))],
                                             strict_dtype=False)],
            "constants": [tensor.constant(np.nan).equals(tensor.constant(np.nan)),
                          tensor.constant(1.0).equals(tensor.constant(1)),
                          tensor.constant([1.0]).equals(tensor.constant(1.0))],
        })
    assert results[0] == results[1]


@pytest.mark.rule("GRAD-CONST-3", "GRAD-DISC-1", "GRAD-SUBGRAPH-1")
def test_grad_const_3_disc_1_subgraph_1__as_pytensor_does():
    real, rpt = _both()
    import pytensor.gradient as rgradient
    from pytensor.graph.basic import Apply as RApply
    from pytensor.graph.op import Op as ROp

    class RTimes(ROp):
        def make_node(self, a, b):
            a, b = rpt.as_tensor_variable(a), rpt.as_tensor_variable(b)
            return RApply(self, [a, b], [a.type()])

        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0] * inputs[1]

        def grad(self, inputs, output_grads):
            return [output_grads[0] * inputs[1], rgradient.DisconnectedType()()]

        def connection_pattern(self, node):
            return [[True], [False]]

    results = []
    for lib, tensor, grad_module, times in ((real, rpt, rgradient, RTimes), (pytensor, pt, gradient, _TimesDisconnected)):
        x, y = tensor.dscalars("x", "y")
        row = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = times()(x, y)
            row.append(float(lib.grad(out, x).eval({x: 2.0, y: 3.0})))
            try:
                lib.grad(out, y)
            except ValueError as error:
                row.append(type(error).__name__)
            try:
                lib.grad(grad_module.undefined_grad(x) * 2, x)
            except TypeError as error:
                row.append(type(error).__name__)
            row.append(float(lib.grad(grad_module.GradClip(-1.0, 1.0)(x) * 5, x).eval({x: 1.0})))
            row.append(float(lib.grad(grad_module.GradScale(0.5)(x) * 5, x).eval({x: 1.0})))
            row.append(str(grad_module.GradClip(-1.0, 1.0)(x).owner.op))
            row.extend(np.round(g, 10).tolist() for g in _mlp_param_grads(lib, tensor, grad_module))
        results.append(row)
    assert results[0] == results[1]
