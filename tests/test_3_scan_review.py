"""Cases found by running realistic scan programs under PyTensor 3.3.7 and ``reference``
side by side: each checks the behaviour the spec defines (PyTensor's, or a divergence of
spec/C-divergences.rst)."""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.scan import until


def sc(fn, **kwargs):
    return pytensor.scan(fn, return_updates=False, **kwargs)


@pytest.mark.rule("SCAN-TYPE-3")
@pytest.mark.parametrize("n_steps", [1, np.int64(1), 1.0, "folded"])
def test_scan_type_3__a_constant_one_step_loop_has_static_length_1(n_steps):
    if n_steps == "folded":
        n_steps = pt.as_tensor_variable(np.int64(2)) - 1
    x = pt.vector("x")
    mapped = sc(lambda a: a * 2, sequences=x, n_steps=n_steps)
    state = sc(lambda h: h * 2, outputs_info=pt.ones(3), n_steps=n_steps)
    stopped = sc(lambda h: (h * 2, until(h.sum() > 0)), outputs_info=pt.ones(3), n_steps=n_steps)
    assert mapped.type.shape == (1,)
    assert state.type.shape == (1, 3)
    assert stopped.type.shape == (1, 3)


@pytest.mark.rule("SCAN-TYPE-3")
def test_scan_type_3__other_step_counts_leave_the_length_unknown():
    x, n = pt.vector("x"), pt.iscalar("n")
    for steps in [None, 0, 2, n]:
        assert sc(lambda a: a * 2, sequences=x, n_steps=steps).type.shape == (None,)


@pytest.mark.rule("SCAN-TYPE-3")
def test_scan_type_3__a_one_step_output_broadcasts():
    # PyTensor: scan(..., n_steps=1) has static length 1, so adding a longer vector works
    x, v, m = pt.vector("x"), pt.vector("v"), pt.matrix("m")
    mapped = sc(lambda a: a * 2, sequences=x, n_steps=1)
    state = sc(lambda h: h * 2, outputs_info=pt.ones(3), n_steps=1)
    f = pytensor.function([x, v, m], [mapped + v, state + m])
    got_v, got_m = f(np.arange(3.0), np.arange(4.0), np.ones((4, 3)))
    np.testing.assert_array_equal(got_v, [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(got_m, np.full((4, 3), 3.0))
    g = pytensor.grad((mapped + v).sum(), x)
    np.testing.assert_array_equal(pytensor.function([x, v], g)(np.arange(3.0), np.arange(4.0)), [8.0, 0.0, 0.0])


@pytest.mark.rule("SCAN-TYPE-3")
def test_scan_type_3__a_one_step_output_nobody_reads_runs():
    h0 = pt.scalar("h0")
    hs, ys = sc(lambda h: [h + 1, h * 2], outputs_info=[h0, None], n_steps=1)
    np.testing.assert_array_equal(pytensor.function([h0], ys)(3.0), [6.0])
    np.testing.assert_array_equal(pytensor.function([h0], hs[-1])(3.0), 4.0)


@pytest.mark.rule("SCAN-ARGS-1")
def test_scan_args_1__lists_and_arrays_are_sequences():
    # PyTensor: a list raises AttributeError, an array with n_steps TypeError (C.27)
    out = sc(lambda a, b: a * b, sequences=[[1.0, 2.0, 3.0], np.array([10.0, 20.0, 30.0, 40.0])])
    np.testing.assert_array_equal(pytensor.function([], out)(), [10.0, 40.0, 90.0])
    out = sc(lambda a: a * 2, sequences=np.array([1.0, 2.0, 3.0]), n_steps=2)
    np.testing.assert_array_equal(pytensor.function([], out)(), [2.0, 4.0])


@pytest.mark.rule("SCAN-STRICT-1")
def test_scan_strict_1__one_non_sequence_without_a_list():
    # PyTensor: TypeError "TensorType does not support iteration" (C.27)
    W = pytensor.shared(np.ones((2, 2)), name="W")
    x = pt.matrix("x")
    out = sc(lambda r, W: pt.dot(r, W), sequences=x, non_sequences=W, strict=True)
    np.testing.assert_array_equal(pytensor.function([x], out)(np.arange(4.0).reshape(2, 2)), [[1.0, 1.0], [5.0, 5.0]])


@pytest.mark.rule("SCAN-UPD-4")
def test_scan_upd_4__a_python_number_update_is_converted():
    # PyTensor: ValueError "may only be made of ... PyTensor variables" (C.26)
    c = pytensor.shared(np.float64(1.0), name="c")
    out, updates = pytensor.scan(lambda: (c * 2, {c: 5}), n_steps=3)
    assert updates[c].dtype == "float64"
    f = pytensor.function([], out, updates=updates)
    np.testing.assert_array_equal(f(), [2.0, 10.0, 10.0])
    assert c.get_value() == 5.0


@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_scan_1__inputs_the_differentiated_outputs_ignore_are_disconnected():
    # PyTensor 3.3.7 (Scan.connection_pattern): DisconnectedInputError for each of these
    x, y, w, h0, lim = pt.vector("x"), pt.vector("y"), pt.scalar("w"), pt.scalar("h0"), pt.scalar("lim")
    unused_seq = sc(lambda a, b: a * 2, sequences=[x, y])
    unused_init = sc(lambda a, h: a * 2, sequences=x, outputs_info=h0)
    doubled, scaled = sc(lambda a, w: [a * 2, a * w], sequences=x, non_sequences=w)
    stopped = sc(lambda a, h, lim: (h + a, until(h + a > lim)), sequences=x, outputs_info=h0, non_sequences=lim)
    for cost, wrt in [(unused_seq.sum(), y), (unused_init.sum(), h0), (doubled.sum(), w), (stopped.sum(), lim)]:
        with pytest.raises(pytensor.DisconnectedInputError, match="GRAD-API-3"):
            pytensor.grad(cost, wrt)
    g = pytensor.grad(unused_seq.sum(), y, disconnected_inputs="ignore")
    np.testing.assert_array_equal(g.eval({y: np.arange(4.0)}), np.zeros(4))
    np.testing.assert_array_equal(pytensor.grad(scaled.sum(), w).eval({x: np.arange(3.0), w: 1.0}), 3.0)


@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_scan_1__an_output_depends_on_what_the_states_it_reads_depend_on():
    # a[t] = 2 b[t-1], b[t] = w b[t-1]: a depends on w and b0 through b, not on a0
    w, a0, b0 = pt.scalar("w"), pt.scalar("a0"), pt.scalar("b0")
    a, _ = sc(lambda a, b, w: [b * 2, b * w], outputs_info=[a0, b0], non_sequences=w, n_steps=3)
    dw, db0 = pytensor.function([w, a0, b0], pytensor.grad(a[-1], [w, b0]))(0.5, 1.0, 2.0)
    assert (dw, db0) == (4.0, 0.5)
    with pytest.raises(pytensor.DisconnectedInputError):
        pytensor.grad(a[-1], a0)
    # nested: the inner loop's output the outer step returns ignores v
    M, v = pt.matrix("M"), pt.scalar("v")

    def row_step(row, w, v):
        acc, _ = sc(lambda e, a, w, v: [a * w + e, e * v], sequences=row,
                    outputs_info=[pt.constant(np.float64(0)), None], non_sequences=[w, v])
        return acc[-1]
    totals = sc(row_step, sequences=M, non_sequences=[w, v])
    with pytest.raises(pytensor.DisconnectedInputError):
        pytensor.grad(totals.sum(), v)
    dM = pytensor.grad(totals.sum(), M).eval({M: np.arange(6.0).reshape(3, 2), w: 0.5, v: 1.0})
    np.testing.assert_array_equal(dM, np.tile([0.5, 1.0], (3, 1)))
