"""Chapter 3, "Outputs", "Types", "map, reduce, foldl, foldr" and "Printing" (SCAN-OUT-*,
SCAN-TYPE-*, SCAN-NODE-1, SCAN-VIEW-*, SCAN-PRINT-1).  Recorded values:
scan-semantics.md R4, R9-R11, R16."""

import io

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.graph.traversal import clone_replace
from reference.printing import debugprint
from reference.scan import until


def sc(fn, **kwargs):
    return pytensor.scan(fn, return_updates=False, **kwargs)


def run(outputs, inputs):
    return pytensor.function(list(inputs), outputs)(*inputs.values())


# -- SCAN-OUT-1 ---------------------------------------------------------------------------


@pytest.mark.rule("SCAN-OUT-1")
def test_scan_out_1__rows_are_stacked_in_iteration_order():
    x = pt.matrix("x")
    out = sc(lambda row: row[::-1], sequences=x)
    got = out.eval({x: np.arange(6.0).reshape(3, 2)})
    np.testing.assert_array_equal(got, [[1.0, 0.0], [3.0, 2.0], [5.0, 4.0]])


@pytest.mark.rule("SCAN-OUT-1")
def test_scan_out_1__initial_rows_are_never_included():
    m0 = pt.vector("m0")
    out = sc(lambda a, b: a + b, outputs_info=dict(initial=m0, taps=[-2, -1]), n_steps=3)
    got = out.eval({m0: [100.0, 200.0]})
    assert got.shape == (3,)
    np.testing.assert_array_equal(got, [300.0, 500.0, 800.0])


@pytest.mark.rule("SCAN-OUT-1")
def test_scan_out_1__each_output_has_the_step_dtype():
    x = pt.ivector("x")
    a, b = sc(lambda v: (v * 2, v / 2), sequences=x)
    assert a.dtype == "int32" and b.dtype == "float64"
    got = run([a, b], {x: np.array([1, 2], dtype="int32")})
    assert got[0].dtype == np.int32 and got[1].dtype == np.float64


# -- SCAN-OUT-2 ---------------------------------------------------------------------------


@pytest.mark.rule("SCAN-OUT-2")
def test_scan_out_2__a_mapped_output_fixed_by_step_0_raises_on_change():
    # scan-semantics.md B11: PyTensor broadcasts to [[1,1,1],[2,2,2],[3,3,3]]
    out = sc(lambda i: pt.ones(pt.switch(pt.eq(i, 0), 3, 1)) * (i + 1), sequences=pt.arange(3))
    with pytest.raises(ValueError, match=r"SCAN-OUT-2.*step 1.*shape \(1,\).*\(3,\)"):
        out.eval()


@pytest.mark.rule("SCAN-OUT-2")
def test_scan_out_2__a_state_fixed_by_its_initial_value_raises_on_change():
    # scan-semantics.md B11: s.sum(keepdims=True) with an initial state of shape (2,)
    v = pt.vector("v")
    out = sc(lambda s: s.sum(keepdims=True), outputs_info=v, n_steps=3)
    with pytest.raises(ValueError, match=r"SCAN-OUT-2.*step 0.*output v has shape \(1,\).*\(2,\)"):
        out.eval({v: [1.0, 2.0]})


@pytest.mark.rule("SCAN-OUT-2")
def test_scan_out_2__a_growing_matrix_state_raises_at_the_step_it_grows():
    m0, n = pt.matrix("m0"), pt.iscalar("n")

    def fn(m, i):
        return pt.switch(pt.eq(i, 1), 1, 0) * 0 + m  # same shape: fine

    out = sc(lambda i, m: pt.concatenate([m, m])[: pt.switch(pt.eq(i, 1), 3, 2)],
             sequences=pt.arange(n), outputs_info=m0)
    f = pytensor.function([m0, n], out)
    assert f(np.ones((2, 2)), 1).shape == (1, 2, 2)
    with pytest.raises(ValueError, match=r"SCAN-OUT-2.*step 1.*\(3, 2\).*\(2, 2\)"):
        f(np.ones((2, 2)), 3)


# -- SCAN-OUT-3 ---------------------------------------------------------------------------


@pytest.mark.rule("SCAN-OUT-3")
def test_scan_out_3__every_kind_of_output_over_zero_steps():
    # scan-semantics.md R10: sit-sot (0,5), mit-sot rows (3,) -> (0,3), nit-sot (0,5)
    v, m0, n = pt.vector("v"), pt.matrix("m0"), pt.iscalar("n")
    sit = sc(lambda h: h + 1, outputs_info=v, n_steps=n)
    mit = sc(lambda a, b: a + b, outputs_info=dict(initial=m0, taps=[-2, -1]), n_steps=n)
    h0 = pt.scalar("h0")
    hs, ys = sc(lambda h, v: [h + 1, v * h], outputs_info=[h0, None], non_sequences=v, n_steps=n)
    f = pytensor.function([v, m0, h0, n], [sit, mit, hs, ys])
    shapes = [a.shape for a in f(np.ones(5), np.ones((2, 3)), 0.0, 0)]
    assert shapes == [(0, 5), (0, 3), (0,), (0, 5)]


@pytest.mark.rule("SCAN-OUT-3")
def test_scan_out_3__a_map_over_an_empty_matrix():
    x = pt.matrix("x")
    out = sc(lambda row: row * 2, sequences=x)
    assert out.eval({x: np.zeros((0, 4))}).shape == (0, 4)


@pytest.mark.rule("SCAN-OUT-3")
def test_scan_out_3__row_shapes_propagate_through_the_body():
    x, w = pt.matrix("x"), pt.matrix("w")
    out = sc(lambda row, w: pt.dot(row, w).sum(keepdims=True) + pt.dot(row, w), sequences=x,
             non_sequences=w)
    got = run(out, {x: np.zeros((0, 3)), w: np.ones((3, 7))})
    assert got.shape == (0, 7) and got.dtype == np.float64


@pytest.mark.rule("SCAN-OUT-3")
def test_scan_out_3__a_shape_computed_from_non_sequences():
    n, k = pt.iscalar("n"), pt.lscalar("k")
    out = sc(lambda k: pt.zeros((k, 2)), non_sequences=k, n_steps=n)
    assert run(out, {n: 0, k: 4}).shape == (0, 4, 2)


@pytest.mark.rule("SCAN-OUT-3")
def test_scan_out_3__an_uninferable_row_shape_raises():
    x = pt.lvector("x")
    out = sc(lambda a: pt.ones(a), sequences=x)  # the length is the sequence's value
    np.testing.assert_array_equal(out.eval({x: np.array([2, 2])}), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"SCAN-OUT-3.*zero steps.*row shape of output"):
        out.eval({x: np.zeros(0, dtype="int64")})


@pytest.mark.rule("SCAN-OUT-3", "SCAN-UNTIL-2")
def test_scan_out_3__reductions_of_empty_outputs_work():
    # scan-semantics.md R10.3: on PyTensor py, r.sum(0) + v fails with (0,) vs (5,)
    h0, v, n = pt.scalar("h0"), pt.vector("v"), pt.iscalar("n")
    _, ys = sc(lambda h, v: [h + 1, v * h], outputs_info=[h0, None], non_sequences=v, n_steps=n)
    np.testing.assert_array_equal(run(ys.sum(0) + v, {h0: 0.0, v: np.ones(5), n: 0}), np.ones(5))


# -- SCAN-TYPE-1 / 2 / 3 ------------------------------------------------------------------------


@pytest.mark.rule("SCAN-TYPE-1")
@pytest.mark.parametrize(("initial", "step", "init_dtype", "step_dtype"), [
    (lambda: pt.as_tensor_variable(0), lambda h, a: h + a, "int8", "int64"),
    (lambda: pt.constant(1.0), lambda h, a: h * pt.cast(a, "float64"), "float32", "float64"),
    (lambda: 0.0, lambda h, a: h + pt.cast(a, "float64"), "float32", "float64"),
    (lambda: pt.as_tensor_variable(np.float64(0)), lambda h, a: pt.cast(h + a, "float32"), "float64", "float32"),
    (lambda: pt.as_tensor_variable(np.int64(0)), lambda h, a: h + 0.5, "int64", "float64"),
])
def test_scan_type_1__no_implicit_cast(initial, step, init_dtype, step_dtype):
    seq = pt.arange(pt.iscalar("n"))
    with pytest.raises(ValueError, match=rf"SCAN-TYPE-1.*outputs_info\[0\].*dtype {init_dtype}.*dtype {step_dtype}.*np.asarray") as info:
        sc(lambda a, h: step(h, a), sequences=seq, outputs_info=initial())
    assert "cast" in str(info.value)


@pytest.mark.rule("SCAN-TYPE-1")
def test_scan_type_1__the_index_names_the_entry():
    h0 = pt.scalar("h0")
    with pytest.raises(ValueError, match=r"outputs_info\[1\]"):
        sc(lambda a, b: (a + 1, b + np.int64(1)), outputs_info=[h0, pt.as_tensor_variable(np.int8(0))],
           n_steps=2)


@pytest.mark.rule("SCAN-TYPE-1")
def test_scan_type_1__checked_at_one_step_too():
    # scan-semantics.md B16: PyTensor's eager n_steps == 1 path skips the check and gives [2]
    with pytest.raises(ValueError, match="SCAN-TYPE-1.*int8.*int32"):
        sc(lambda a, h: a, sequences=dict(input=pt.arange(20, dtype="int32"), taps=[2]),
           outputs_info=0, n_steps=1)


@pytest.mark.rule("SCAN-TYPE-1")
def test_scan_type_1__the_fix_works():
    seq = pt.arange(pt.iscalar("n"))
    out = sc(lambda a, h: h + a, sequences=seq,
             outputs_info=pt.as_tensor_variable(np.asarray(0, seq.dtype)))
    assert out.dtype == "int64"


@pytest.mark.rule("SCAN-TYPE-2")
def test_scan_type_2__single_tap_result_has_the_initial_states_ndim():
    h0 = pt.scalar("h0")
    with pytest.raises(ValueError, match=r"SCAN-TYPE-2.*outputs_info\[0\].*1 dimension\(s\).*expected 0"):
        sc(lambda h: pt.stack([h, h]), outputs_info=h0, n_steps=2)


@pytest.mark.rule("SCAN-TYPE-2")
def test_scan_type_2__multi_tap_result_has_one_dimension_less():
    m0 = pt.vector("m0")
    with pytest.raises(ValueError, match=r"SCAN-TYPE-2.*outputs_info\[0\].*1 dimension\(s\).*expected 0.*one less"):
        sc(lambda a, b: pt.stack([a, b]), outputs_info=dict(initial=m0, taps=[-2, -1]), n_steps=2)


@pytest.mark.rule("SCAN-TYPE-3")
def test_scan_type_3__known_static_lengths_must_agree():
    init = pt.specify_shape(pt.vector("i"), (3,))
    with pytest.raises(ValueError, match=r"SCAN-TYPE-3.*outputs_info\[0\].*length 3 on axis 0.*length 2"):
        sc(lambda h: h[:2], outputs_info=init, n_steps=2)


@pytest.mark.rule("SCAN-TYPE-3")
def test_scan_type_3__length_1_against_unknown_is_checked_at_run_time():
    # scan-semantics.md B10: PyTensor's py and C linkers raise TypeError when compiling
    raw, v = pt.vector("raw"), pt.vector("v")
    init = pt.specify_shape(raw, (1,))
    out = sc(lambda h, v: h + v, outputs_info=init, non_sequences=v, n_steps=2)
    assert out.type.shape == (None, 1)
    f = pytensor.function([raw, v], out)
    np.testing.assert_array_equal(f(np.ones(1), np.ones(1)), [[2.0], [3.0]])
    with pytest.raises(ValueError, match="SCAN-OUT-2"):
        f(np.ones(1), np.ones(3))


# -- SCAN-NODE-1 -----------------------------------------------------------------------------


@pytest.mark.rule("SCAN-NODE-1")
def test_scan_node_1__givens_replace_a_sequence():
    x, y = pt.vector("x"), pt.vector("y")
    doubled = sc(lambda a: a * 2, sequences=x)
    f = pytensor.function([y], doubled, givens={x: y[::-1]})
    np.testing.assert_array_equal(f([1.0, 2.0, 3.0]), [6.0, 4.0, 2.0])


@pytest.mark.rule("SCAN-NODE-1")
def test_scan_node_1__inputs_and_outputs_in_order():
    x, h0, n, w = pt.vector("x"), pt.scalar("h0"), pt.iscalar("n"), pt.scalar("w")
    s = pytensor.shared(np.float64(0.0), name="s")
    outs, updates = pytensor.scan(lambda a, h, w: ([h + a * w, a], {s: s + a}), sequences=x,
                                  outputs_info=[h0, None], non_sequences=w, n_steps=n)
    node = outs[0].owner
    assert node.inputs[1:] == [x, h0, s, w]
    assert node.inputs[0].owner is not None  # n cast to int64
    assert node.outputs[:2] == outs and node.outputs[2] is updates[s]


@pytest.mark.rule("SCAN-NODE-1")
def test_scan_node_1__a_replacement_of_another_type_raises():
    x = pt.vector("x")
    doubled = sc(lambda a: a * 2, sequences=x)
    with pytest.raises(TypeError, match=r"SCAN-NODE-1.*sequence input"):
        clone_replace([doubled], {x: pt.ivector("i")})
    with pytest.raises(TypeError, match="SCAN-NODE-1"):
        doubled.owner.op.make_node(pt.matrix("m"))


# -- SCAN-VIEW-1 / 2 / 3 ------------------------------------------------------------------------


@pytest.mark.rule("SCAN-VIEW-1")
def test_scan_view_1__map_is_scan_without_recurrence():
    x, y = pt.vector("x"), pt.vector("y")
    out, updates = pytensor.map(lambda a, b: a * b, sequences=[x, y])
    assert updates == {}
    np.testing.assert_array_equal(run(out, {x: np.arange(3.0), y: np.arange(5.0)}), [0, 1, 4])


@pytest.mark.rule("SCAN-VIEW-1")
def test_scan_view_1__map_with_non_sequences_and_backwards():
    x, w = pt.vector("x"), pt.scalar("w")
    out = pytensor.map(lambda a, w: a * w, sequences=x, non_sequences=w, go_backwards=True,
                       return_updates=False)
    np.testing.assert_array_equal(run(out, {x: [1.0, 2.0, 3.0], w: 2.0}), [6.0, 4.0, 2.0])


@pytest.mark.rule("SCAN-VIEW-1")
def test_scan_view_1__map_takes_no_n_steps():
    with pytest.raises(TypeError):
        pytensor.map(lambda a: a, sequences=pt.vector("x"), n_steps=2)


@pytest.mark.rule("SCAN-VIEW-2")
def test_scan_view_2__reduce_is_the_last_row():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    total, updates = pytensor.reduce(lambda a, acc: acc * 10 + a, sequences=x, outputs_info=h0)
    assert updates == {}
    assert run(total, {x: [1.0, 2.0, 3.0], h0: 0.0}) == 123.0


@pytest.mark.rule("SCAN-VIEW-2")
def test_scan_view_2__reduce_with_two_outputs():
    x, s0, p0 = pt.vector("x"), pt.scalar("s0"), pt.scalar("p0")
    total, product = pytensor.reduce(lambda a, s, p: (s + a, p * a), sequences=x,
                                     outputs_info=[s0, p0], return_updates=False)
    got = run([total, product], {x: [1.0, 2.0, 3.0], s0: 1.0, p0: 1.0})
    assert [float(v) for v in got] == [7.0, 6.0]


@pytest.mark.rule("SCAN-VIEW-2")
def test_scan_view_2__reduce_over_an_empty_sequence_raises_index_error():
    # scan-semantics.md B6: numba and cvm return the initial state 5.0
    x, h0 = pt.vector("x"), pt.scalar("h0")
    total = pytensor.reduce(lambda a, acc: acc + a, sequences=x, outputs_info=h0,
                            return_updates=False)
    with pytest.raises(IndexError):
        run(total, {x: np.zeros(0), h0: 5.0})


@pytest.mark.rule("SCAN-VIEW-2")
def test_scan_view_2__reduce_takes_no_truncate_gradient():
    with pytest.raises(TypeError):
        pytensor.reduce(lambda a, h: a, sequences=pt.vector("x"), outputs_info=pt.scalar("h"),
                        truncate_gradient=2)


@pytest.mark.rule("SCAN-VIEW-3")
def test_scan_view_3__foldl_and_foldr():
    # scan-semantics.md R11: reduce and foldl give 123, foldr gives 321
    x, h0 = pt.vector("x"), pt.scalar("h0")
    step = lambda a, acc: acc * 10 + a
    left = pytensor.foldl(step, sequences=x, outputs_info=h0, return_updates=False)
    right = pytensor.foldr(step, sequences=x, outputs_info=h0, return_updates=False)
    got = run([left, right], {x: [1.0, 2.0, 3.0], h0: 0.0})
    assert [float(v) for v in got] == [123.0, 321.0]


@pytest.mark.rule("SCAN-VIEW-3")
def test_scan_view_3__fold_with_updates_returns_a_pair():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    total, updates = pytensor.foldr(lambda a, acc: acc + a, sequences=x, outputs_info=h0)
    assert updates == {}
    assert run(total, {x: [1.0, 2.0], h0: 0.0}) == 3.0


@pytest.mark.rule("SCAN-VIEW-3")
def test_scan_view_3__folds_take_no_go_backwards():
    with pytest.raises(TypeError):
        pytensor.foldl(lambda a, h: a, sequences=pt.vector("x"), outputs_info=pt.scalar("h"),
                       go_backwards=True)


# -- SCAN-PRINT-1 ---------------------------------------------------------------------------


@pytest.mark.rule("SCAN-PRINT-1")
def test_scan_print_1__op_and_outputs():
    x = pt.vector("x")
    y = sc(lambda a: a * 2, sequences=x)
    assert str(y) == "Scan{scan_fn, while_loop=False}.0"
    w = sc(lambda a: (a * 2, until(a > 1)), sequences=x, name="loop")
    assert str(w.owner.op) == "Scan{loop, while_loop=True}"


@pytest.mark.rule("SCAN-PRINT-1")
def test_scan_print_1__placeholders_are_named_by_source_and_tap():
    x, h, w = pt.vector("x"), pt.vector("h"), pt.scalar("W")
    out = sc(lambda a, b, h3, h1, w: [h1 * w + a - b + h3, a * 2],
             sequences=dict(input=x, taps=[-1, 0]),
             outputs_info=[dict(initial=h, taps=[-3, -1]), None], non_sequences=w)
    spec = out[0].owner.op.spec
    assert [v.name for v in spec.inner_inputs] == ["x[t-1]", "x[t]", "h[t-3]", "h[t-1]", "W"]


@pytest.mark.rule("SCAN-PRINT-1")
def test_scan_print_1__debugprint_shows_the_inner_graph():
    x, h, w = pt.vector("x"), pt.scalar("h"), pt.scalar("W")
    out = sc(lambda a, h, w: h * w + a, sequences=x, outputs_info=h, non_sequences=w, name="rnn")
    buffer = io.StringIO()
    text = debugprint(out, file=buffer)
    assert text.splitlines()[0] == "Scan{rnn, while_loop=False} [id A]"
    assert "Inner graphs:" in text
    for name in ("h[t-1]", "W", "x[t]"):
        assert f"─ {name} [id" in text
    assert " ← Add" in text
