"""Chapter 4, "scan_checkpoints" (GRAD-CKPT-*).  Values are scan-semantics.md R12's or
PyTensor 3.3.7's (``pytensor.scan.checkpoints.scan_checkpoints``), as each test says."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference as pytensor
import reference.tensor as pt
from reference.scan.checkpoints import scan_checkpoints

XS = np.linspace(-1, 1, 10)


def value(g, inputs):
    return pytensor.function(list(inputs), g, on_unused_input="ignore")(*inputs.values())


def tanh_rnn(xt, h, w):
    return pt.tanh(w * h + xt)


# -- GRAD-CKPT-1: chunks, chunk ends, the gradient --------------------------------------------


@pytest.mark.rule("GRAD-CKPT-1")
def test_grad_ckpt_1__outputs_are_the_chunk_ends():
    x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("w")
    ck, updates = scan_checkpoints(tanh_rnn, sequences=x, outputs_info=h0, non_sequences=w, save_every_N=3)
    assert updates == {}
    ref = pytensor.scan(tanh_rnn, sequences=x, outputs_info=h0, non_sequences=w, return_updates=False)
    got_ck, got_ref = value([ck, ref], {x: XS, h0: 0.5, w: 1.2})
    np.testing.assert_array_equal(got_ck, got_ref[[2, 5, 8, 9]])  # steps N-1, 2N-1, ..., n-1
    # PyTensor 3.3.7 on the same inputs
    np.testing.assert_allclose(got_ck, [-0.9166975219975281, -0.707700851473253, 0.641732990337053, 0.9436181463936447], rtol=1e-15)


@pytest.mark.rule("GRAD-CKPT-1")
def test_grad_ckpt_1__gradient_equals_the_plain_loops():
    x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("w")
    ck = scan_checkpoints(tanh_rnn, sequences=x, outputs_info=h0, non_sequences=w, save_every_N=3, return_updates=False)
    ref = pytensor.scan(tanh_rnn, sequences=x, outputs_info=h0, non_sequences=w, return_updates=False)
    got = value(pytensor.grad(ck[-1], [x, h0, w]) + pytensor.grad(ref[-1], [x, h0, w]), {x: XS, h0: 0.5, w: 1.2})
    for a, b in zip(got[:3], got[3:], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-17)
    # PyTensor 3.3.7's gradient of the checkpointed loop
    np.testing.assert_allclose(got[0], [0.0003242446820223895, 0.0003157920212135981, 0.0009129639818947962,
                                        0.004764977959700284, 0.019493238747778932, 0.051681950179836254,
                                        0.08628162220754057, 0.09279794986207325, 0.07734653895456732,
                                        0.10958479379662209], rtol=1e-12)
    assert got[1] == pytest.approx(0.0003890936184268674, rel=1e-12)
    assert got[2] == pytest.approx(-0.10113420610462086, rel=1e-12)


@pytest.mark.rule("GRAD-CKPT-1")
@given(n=st.integers(1, 13), size=st.integers(1, 5), seed=st.integers(0, 1000))
def test_grad_ckpt_1__any_length_and_chunk_size(n, size, seed):
    r = np.random.default_rng(seed)
    xs, h0v, wv = r.uniform(-1, 1, n), r.uniform(-1, 1), r.uniform(-1.5, 1.5)
    x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("w")

    def step(xt, h, w_):
        new = pt.tanh(w_ * h + xt)
        return new, new * xt

    ck = scan_checkpoints(step, sequences=x, outputs_info=[h0, None], non_sequences=w, save_every_N=size, return_updates=False)
    ref = pytensor.scan(step, sequences=x, outputs_info=[h0, None], non_sequences=w, return_updates=False)
    ends = [min(i, n - 1) for i in range(size - 1, n + size - 1, size)]
    cost_ck = (ck[0] * np.arange(1, len(ends) + 1)).sum() + ck[1][-1]
    cost_ref = (ref[0][ends] * np.arange(1, len(ends) + 1)).sum() + ref[1][-1]
    got = value(ck + pytensor.grad(cost_ck, [x, h0, w]) + ref + pytensor.grad(cost_ref, [x, h0, w]), {x: xs, h0: h0v, w: wv})
    np.testing.assert_array_equal(got[0], got[5][ends])
    np.testing.assert_array_equal(got[1], got[6][ends])
    for a, b in zip(got[2:5], got[7:10], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.rule("GRAD-CKPT-1")
def test_grad_ckpt_1__without_sequences_n_steps_is_needed_r12():
    h0 = pt.scalar("h0")
    ck = scan_checkpoints(lambda h: h * 2.0, outputs_info=h0, n_steps=7, save_every_N=3, return_updates=False)
    np.testing.assert_array_equal(value(ck, {h0: 1.0}), [8, 64, 128])
    with pytest.raises(ValueError, match="n_steps"):
        scan_checkpoints(lambda h: h * 2.0, outputs_info=h0, save_every_N=3)


@pytest.mark.rule("GRAD-CKPT-1")
def test_grad_ckpt_1__works_without_non_sequences_b14():
    # B14: PyTensor 3.3.7 raises "TypeError: <lambda>() takes 2 positional arguments but 4 were given"
    x, h0 = pt.vector("x"), pt.scalar("h0")
    ck = scan_checkpoints(lambda xt, h: h + xt, sequences=x, outputs_info=h0, save_every_N=3, return_updates=False)
    np.testing.assert_array_equal(value(ck, {x: np.arange(10.0), h0: 0.0}), [3, 15, 36, 45])
    np.testing.assert_array_equal(value(pytensor.grad(ck[-1], x), {x: np.arange(10.0), h0: 0.0}), np.ones(10))


@pytest.mark.rule("GRAD-CKPT-1")
def test_grad_ckpt_1__nit_sot_output():
    x = pt.vector("x")
    ck = scan_checkpoints(lambda xt: xt * 2, sequences=x, outputs_info=None, save_every_N=3, return_updates=False)
    np.testing.assert_array_equal(value(ck, {x: np.arange(10.0)}), [4, 10, 16, 18])


@pytest.mark.rule("GRAD-CKPT-1")
@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_grad_ckpt_1__save_every_n_must_be_a_positive_int(size):
    with pytest.raises(ValueError, match="GRAD-CKPT-1"):
        scan_checkpoints(lambda xt: xt * 2, sequences=pt.vector("x"), save_every_N=size)


@pytest.mark.rule("GRAD-CKPT-1")
def test_grad_ckpt_1__reachable_names():
    # PyTensor 3.3.7 has only pytensor.scan.checkpoints.scan_checkpoints
    import reference.scan

    assert pytensor.scan_checkpoints is scan_checkpoints
    assert reference.scan.scan_checkpoints is scan_checkpoints


# -- GRAD-CKPT-2: sequences and padding --------------------------------------------------------


@pytest.mark.rule("GRAD-CKPT-2")
def test_grad_ckpt_2__padding_false_needs_a_whole_number_of_chunks():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    ck = scan_checkpoints(lambda xt, h: h + xt, sequences=x, outputs_info=h0, save_every_N=3, padding=False, return_updates=False)
    f = pytensor.function([x, h0], ck)
    np.testing.assert_array_equal(f(np.arange(9.0), 0.0), [3, 15, 36])
    # R12: PyTensor raises "ValueError: total size of new array must be unchanged" (reshape)
    with pytest.raises(ValueError, match="reshape"):
        f(np.arange(10.0), 0.0)


@pytest.mark.rule("GRAD-CKPT-2")
def test_grad_ckpt_2__padding_does_not_change_the_result():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    ck = scan_checkpoints(lambda xt, h: h * 0.5 + xt, sequences=x, outputs_info=h0, save_every_N=4, return_updates=False)
    ref = pytensor.scan(lambda xt, h: h * 0.5 + xt, sequences=x, outputs_info=h0, return_updates=False)
    got = value([ck, ref, pytensor.grad(ck[-1], x), pytensor.grad(ref[-1], x)], {x: np.arange(1.0, 11.0), h0: 1.0})
    np.testing.assert_array_equal(got[0], got[1][[3, 7, 9]])
    np.testing.assert_array_equal(got[2], got[3])


@pytest.mark.rule("GRAD-CKPT-2")
def test_grad_ckpt_2__n_steps_shorter_than_the_sequences_r12():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    ck = scan_checkpoints(lambda xt, h: h + xt, sequences=x, outputs_info=h0, n_steps=5, save_every_N=3, return_updates=False)
    ref = pytensor.scan(lambda xt, h: h + xt, sequences=x, outputs_info=h0, return_updates=False)
    got_ck, got_ref = value([ck, ref], {x: np.arange(10.0), h0: 0.0})
    assert got_ck[-1] == got_ref[4]
    np.testing.assert_array_equal(value(pytensor.grad(ck[-1], x), {x: np.arange(10.0), h0: 0.0}), [1] * 5 + [0] * 5)


@pytest.mark.rule("GRAD-CKPT-2")
def test_grad_ckpt_2__matrix_sequences_and_vector_states():
    x, h0, W = pt.matrix("x"), pt.vector("h0"), pt.matrix("W")
    step = lambda xt, h, W_: pt.tanh(pt.dot(W_, h) + xt)  # noqa: E731
    ck = scan_checkpoints(step, sequences=x, outputs_info=h0, non_sequences=W, save_every_N=4, return_updates=False)
    ref = pytensor.scan(step, sequences=x, outputs_info=h0, non_sequences=W, return_updates=False)
    r = np.random.default_rng(0)
    values = {x: r.normal(size=(11, 3)), h0: r.normal(size=3), W: r.normal(size=(3, 3)) * 0.5}
    got = value([ck, ref] + pytensor.grad(ck[-1].sum(), [x, h0, W]) + pytensor.grad(ref[-1].sum(), [x, h0, W]), values)
    np.testing.assert_array_equal(got[0], got[1][[3, 7, 10]])
    for a, b in zip(got[2:5], got[5:8], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


# -- GRAD-CKPT-3: no taps --------------------------------------------------------------------


@pytest.mark.rule("GRAD-CKPT-3")
@pytest.mark.parametrize("where", ["sequences", "outputs_info"])
def test_grad_ckpt_3__taps_raise_a_runtime_error(where):
    x, h0 = pt.vector("x"), pt.vector("h0")
    kwargs = dict(sequences=x, outputs_info=h0)
    if where == "sequences":
        kwargs["sequences"] = dict(input=x, taps=[-1])
    else:
        kwargs["outputs_info"] = dict(initial=h0, taps=[-2, -1])
    # PyTensor 3.3.7: RuntimeError("scan_checkpoints doesn't work with taps.")
    with pytest.raises(RuntimeError, match="GRAD-CKPT-3.*doesn't work with taps"):
        scan_checkpoints(lambda *a: a[-1], **kwargs)


@pytest.mark.rule("GRAD-CKPT-3")
def test_grad_ckpt_3__an_initial_state_dict_without_taps_is_fine():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    ck = scan_checkpoints(lambda xt, h: h + xt, sequences=[x], outputs_info=[dict(initial=h0)], save_every_N=2, return_updates=False)
    np.testing.assert_array_equal(value(ck, {x: np.arange(4.0), h0: 0.0}), [1, 6])


@pytest.mark.rule("GRAD-CKPT-1", "GRAD-SCAN-6")
def test_grad_ckpt_1__second_derivatives_equal_the_plain_loops():
    x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("w")
    ck = scan_checkpoints(tanh_rnn, sequences=x, outputs_info=h0, non_sequences=w, save_every_N=3, return_updates=False)
    ref = pytensor.scan(tanh_rnn, sequences=x, outputs_info=h0, non_sequences=w, return_updates=False)
    outs = []
    for hs in (ck, ref):
        gw = pytensor.grad(hs[-1], w)
        outs += [pytensor.grad(gw, w), pytensor.grad(gw, x)]
    got = value(outs, {x: XS, h0: 0.5, w: 1.2})
    assert got[0] == pytest.approx(got[2], rel=1e-12)
    np.testing.assert_allclose(got[1], got[3], rtol=1e-12, atol=1e-15)
