"""Chapter 4, "The gradient of a loop" (GRAD-SCAN-*).

The R13 values of ``/work/shared/design/scan-semantics.md`` are reproduced exactly as
listed there (4 to 6 significant digits).  Where the notes do not give the inputs, they
were found with PyTensor 3.3.7: R13.1 and R13.2 are ``h = w*h + x`` with
``x = [1, -2, 3, 0.5]``, ``h0 = 0.7``, ``w = 0.9`` and cost ``sum(h**2)``.  Values given to
more digits were computed with PyTensor 3.3.7 (default mode) and pasted here.

The property tests run generated programs (tests/grad_programs.py: sequence taps,
sit-sot/mit-sot/nit-sot outputs, go_backwards, until, n_steps, truncate_gradient, several
outputs) and compare ``grad`` with central finite differences in float64: step 1e-6,
an element fails when both its absolute and its relative error exceed 1e-6.
"""

import numpy as np
import pytest
from grad_programs import Program, build, input_values, programs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reference as pytensor
import reference.tensor as pt
from reference.errors import DisconnectedInputError, NullTypeGradError
from reference.scan import until
from reference.testing import central_difference, verify_grad

X = np.array([1.0, -2.0, 3.0, 0.5])
H0, W = 0.7, 0.9


def value(g, inputs):
    return pytensor.function(list(inputs), g, on_unused_input="ignore")(*inputs.values())


def linear_rnn(truncate_gradient=-1):
    x, h0, w = pt.vector("x"), pt.scalar("h0"), pt.scalar("w")
    hs = pytensor.scan(lambda xt, h, w_: w_ * h + xt, sequences=x, outputs_info=h0, non_sequences=w,
                       truncate_gradient=truncate_gradient, return_updates=False)
    return x, h0, w, hs


def r13_grads(truncate_gradient=-1):
    x, h0, w, hs = linear_rnn(truncate_gradient)
    return value(pytensor.grad((hs**2).sum(), [x, h0, w]), {x: X, h0: H0, w: W})


# -- GRAD-SCAN-1: the reverse loop ----------------------------------------------------------


@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_scan_1__r13_1_values():
    dx, dh0, dw = r13_grads()
    np.testing.assert_allclose(dx, [10.4196, 7.9551, 10.0235, 5.5365], atol=5e-5)
    assert dh0 == pytest.approx(9.37766, abs=5e-6)
    assert dw == pytest.approx(28.8718, abs=5e-5)
    # PyTensor 3.3.7, all digits
    np.testing.assert_allclose(dx, [10.41962366, 7.9551374, 10.023486, 5.53654], rtol=1e-14)
    assert dw == pytest.approx(28.871834247999995, rel=1e-14)


@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_scan_1__r13_1_matches_finite_differences():
    verify_grad(lambda x, h0, w: pytensor.scan(lambda xt, h, w_: w_ * h + xt, sequences=x, outputs_info=h0,
                                                non_sequences=w, return_updates=False) ** 2,
                [X, np.array(H0), np.array(W)], rng=0)


def mit_sot_program(s, m0, w):
    def f(a, b, c, m3, m1, w_):
        return pt.tanh(a * m3 + b * w_ - c * m1 + 0.1)
    return pytensor.scan(f, sequences=dict(input=s, taps=[-2, 0, 1]), outputs_info=dict(initial=m0, taps=[-3, -1]),
                         non_sequences=w, return_updates=False)


S8 = np.array([0.5, -1.0, 1.5, 0.25, -0.75, 1.0, 0.3, -0.2])
M0 = np.array([0.2, -0.4, 0.6])


@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_scan_1__sequence_taps_and_mit_sot_taps_r13_1():
    # R13.1: sequence taps [-2, 0, 1] with a mit-sot [-3, -1]: 8 + 3 entries, FD-equal
    verify_grad(mit_sot_program, [S8, M0, np.array(0.9)], rng=0)
    s, m0, w = pt.vector("s"), pt.vector("m0"), pt.scalar("w")
    ms = mit_sot_program(s, m0, w)
    got = value(pytensor.grad((ms * np.arange(1, 6)).sum(), [s, m0, w]), {s: S8, m0: M0, w: 0.9})
    pytensor_337 = (
        [0.029158802487679266, 0.3242578517914119, 1.3182987188695796, 0.18331880250621885, 6.853893598019243,
         -0.7299737106213378, 5.011906173352882, -4.338211487774212],
        [0.07289700621919816, 0.8106446294785298, 2.931261766077958],
        1.1419768425852344,
    )
    for ours, theirs in zip(got, pytensor_337, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-13)


@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_scan_1__extra_initial_rows_get_zero():
    # only initial[:3] is read (taps [-3, -1]); the fourth row gets a zero gradient
    s, m0, w = pt.vector("s"), pt.vector("m0"), pt.scalar("w")
    ms = mit_sot_program(s, m0, w)
    g = value(pytensor.grad(ms.sum(), m0), {s: S8, m0: np.append(M0, 5.0), w: 0.9})
    assert g[3] == 0.0 and np.all(g[:3] != 0.0)
    verify_grad(mit_sot_program, [S8, np.append(M0, 5.0), np.array(0.9)], rng=1)


@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_scan_1__vector_state_rnn_with_several_outputs():
    def rnn(x, h0, W_, U, b):
        def step(xt, h, W__, U_, b_):
            new = pt.tanh(pt.dot(W__, h) + pt.dot(U_, xt) + b_)
            return new, (new**2).sum()
        return pytensor.scan(step, sequences=x, outputs_info=[h0, None], non_sequences=[W_, U, b], return_updates=False)

    r = np.random.default_rng(0)
    values = [r.normal(size=(5, 2)), r.normal(size=3) * 0.5, r.normal(size=(3, 3)) * 0.5, r.normal(size=(3, 2)), r.normal(size=3)]
    verify_grad(lambda *a: list(rnn(*a)), values, rng=0)


@pytest.mark.rule("GRAD-SCAN-1")
def test_grad_scan_1__gradient_of_one_output_ignores_the_others():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    hs, ys = pytensor.scan(lambda xt, h: (h + xt, xt * 10.0), sequences=x, outputs_info=[h0, None], return_updates=False)
    g = value(pytensor.grad(hs[-1], x), {x: X, h0: H0})
    np.testing.assert_array_equal(g, [1.0, 1.0, 1.0, 1.0])


# -- GRAD-SCAN-2: sequences ----------------------------------------------------------------


@pytest.mark.rule("GRAD-SCAN-2")
def test_grad_scan_2__go_backwards_r13_1():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    hs = pytensor.scan(lambda xt, h: 0.5 * h + xt, sequences=x, outputs_info=h0, go_backwards=True, return_updates=False)
    np.testing.assert_array_equal(value(pytensor.grad(hs[-1], x), {x: np.arange(4.0), h0: 0.0}), [1, 0.5, 0.25, 0.125])


@pytest.mark.rule("GRAD-SCAN-2")
def test_grad_scan_2__n_steps_shorter_than_the_sequence_r13_1():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    hs = pytensor.scan(lambda xt, h: 0.5 * h + xt, sequences=x, outputs_info=h0, n_steps=3, return_updates=False)
    np.testing.assert_array_equal(value(pytensor.grad(hs.sum(), x), {x: np.arange(5.0), h0: 0.0}), [1.75, 1.5, 1, 0, 0])


@pytest.mark.rule("GRAD-SCAN-2")
def test_grad_scan_2__go_backwards_with_taps_and_n_steps():
    def fn(x, h0):
        return pytensor.scan(lambda a, b, h: pt.sin(a * h) + b, sequences=dict(input=x, taps=[-1, 1]),
                             outputs_info=h0, n_steps=4, go_backwards=True, return_updates=False)
    verify_grad(fn, [np.linspace(-1, 1, 8), np.array(0.3)], rng=0)
    x, h0 = pt.vector("x"), pt.scalar("h0")
    g = value(pytensor.grad(fn(x, h0).sum(), x), {x: np.linspace(-1, 1, 8), h0: 0.3})
    # backwards, steps read the last rows: x[0] and x[1] are never read
    assert g[0] == 0.0 and g[1] == 0.0 and np.all(g[2:] != 0.0)


@pytest.mark.rule("GRAD-SCAN-2")
def test_grad_scan_2__a_row_read_by_several_taps_sums_their_gradients():
    x = pt.vector("x")
    ys = pytensor.scan(lambda a, b: a * b, sequences=dict(input=x, taps=[0, 1]), return_updates=False)
    got = value(pytensor.grad(ys.sum(), x), {x: np.array([1.0, 2.0, 3.0])})
    np.testing.assert_array_equal(got, [2.0, 1.0 + 3.0, 2.0])


@pytest.mark.rule("GRAD-SCAN-2")
def test_grad_scan_2__integer_sequences_get_no_gradient():
    i, w = pt.ivector("i"), pt.scalar("w")
    ys = pytensor.scan(lambda a, w_: pt.cast(a, "float64") * w_, sequences=i, non_sequences=w, return_updates=False)
    gi, gw = pytensor.grad(ys.sum(), [i, w])
    got = value([gi, gw], {i: np.array([1, 2, 3], "int32"), w: 2.0})
    np.testing.assert_array_equal(got[0], [0.0, 0.0, 0.0])
    assert got[1] == 6.0


# -- GRAD-SCAN-3: truncate_gradient ---------------------------------------------------------


@pytest.mark.rule("GRAD-SCAN-3")
def test_grad_scan_3__k_2_r13_2_values():
    dx, dh0, dw = r13_grads(2)
    np.testing.assert_allclose(dx, [0, 0, 10.0235, 5.5365], atol=5e-5)
    assert dx[0] == 0.0 and dx[1] == 0.0
    assert dh0 == 0.0
    assert dw == pytest.approx(8.6112, abs=5e-5)
    x, h0, w, hs = linear_rnn(2)
    np.testing.assert_allclose(value(pytensor.grad(hs[-1], x), {x: X, h0: H0, w: W}), [0, 0, 0.9, 1], rtol=1e-15)


@pytest.mark.rule("GRAD-SCAN-3")
def test_grad_scan_3__k_0_gives_zeros():
    # B12: PyTensor's numba backend gives zeros, its Python and C backends crash
    dx, dh0, dw = r13_grads(0)
    np.testing.assert_array_equal(dx, [0, 0, 0, 0])
    assert dh0 == 0.0 and dw == 0.0


@pytest.mark.rule("GRAD-SCAN-3")
@pytest.mark.parametrize("k, expected", [
    # PyTensor 3.3.7
    (1, ([0.0, 0.0, 0.0, 5.53654], 0.0, 13.953741761999998)),
    (3, ([0.0, 7.9551374, 10.023486, 5.53654], 0.0, 21.578097685999996)),
    (4, ([10.41962366, 7.9551374, 10.023486, 5.53654], 9.377661294, 28.871834247999995)),
    (10, ([10.41962366, 7.9551374, 10.023486, 5.53654], 9.377661294, 28.871834247999995)),
])
def test_grad_scan_3__k_1_3_n_and_more_than_n(k, expected):
    got = r13_grads(k)
    for ours, theirs in zip(got, expected, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14)
    if k >= len(X):
        for ours, full in zip(got, r13_grads(), strict=True):
            np.testing.assert_array_equal(ours, full)


@pytest.mark.rule("GRAD-SCAN-3")
@pytest.mark.parametrize("k, expected", [
    # PyTensor 3.3.7; with k = 4 of 5 steps, step 1 reads initial row 1 and step 2 initial
    # row 2 through tap -3: those rows keep their gradient, row 0 (read by step 0) gets zero
    (1, ([0.0, 0.0, 0.0, 0.0, 4.35556187769158, 0.0, 4.439650270984649, -4.338211487774212], [0.0, 0.0, 0.0], 1.4798834236615497)),
    (2, ([0.0, 0.0, 0.0, 1.0003753764999335, 4.35556187769158, 1.0169268230065507, 5.011906173352882, -4.338211487774212], [0.0, 0.0, 0.0], 2.6098021158910507)),
    (4, ([0.0, 0.3242578517914119, 1.187084107675023, 0.27079520996925666, 6.853893598019243, -0.7299737106213378, 5.011906173352882, -4.338211487774212], [0.0, 0.8106446294785298, 2.967710269187557], 0.9232858239276398)),
])
def test_grad_scan_3__mit_sot_initial_rows_read_inside_the_window(k, expected):
    s, m0, w = pt.vector("s"), pt.vector("m0"), pt.scalar("w")

    def f(a, b, c, m3, m1, w_):
        return pt.tanh(a * m3 + b * w_ - c * m1 + 0.1)
    ms = pytensor.scan(f, sequences=dict(input=s, taps=[-2, 0, 1]), outputs_info=dict(initial=m0, taps=[-3, -1]),
                       non_sequences=w, truncate_gradient=k, return_updates=False)
    got = value(pytensor.grad((ms * np.arange(1, 6)).sum(), [s, m0, w]), {s: S8, m0: M0, w: 0.9})
    for ours, theirs in zip(got, expected, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-15)


@pytest.mark.rule("GRAD-SCAN-3")
def test_grad_scan_3__window_counts_executed_steps_with_until():
    # the window is the last k *executed* steps: here 3 steps run, k = 2 covers steps 1, 2
    x, h0 = pt.vector("x"), pt.scalar("h0")
    hs = pytensor.scan(lambda xt, h: (h + xt**2, until(h + xt**2 > 5)), sequences=x, outputs_info=h0,
                       truncate_gradient=2, return_updates=False)
    dx, dh0 = value(pytensor.grad(hs.sum(), [x, h0]), {x: np.array([1, 1.5, 2, 3, 4]), h0: 0.5})
    np.testing.assert_array_equal(dx, [0, 6, 4, 0, 0])
    assert dh0 == 0.0


# -- GRAD-SCAN-4: executed steps (until, n_steps = 0) -----------------------------------------


@pytest.mark.rule("GRAD-SCAN-4")
def test_grad_scan_4__until_r13_3_values():
    x, h0 = pt.vector("x"), pt.scalar("h0")
    hs = pytensor.scan(lambda xt, h: (h + xt**2, until(h + xt**2 > 5)), sequences=x, outputs_info=h0, return_updates=False)
    out, dx, dh0 = value([hs] + pytensor.grad(hs.sum(), [x, h0]), {x: np.array([1, 1.5, 2, 3, 4]), h0: 0.5})
    np.testing.assert_array_equal(out, [1.5, 3.75, 7.75])
    np.testing.assert_array_equal(dx, [6, 6, 4, 0, 0])
    assert dh0 == 3.0


@pytest.mark.rule("GRAD-SCAN-4")
def test_grad_scan_4__until_with_mit_sot_fibonacci_r13_3():
    # f[t] = f[t-2] + c * f[t-1] from x0 = [1, 1], c = 1, until f > 20: d/dx0 = [20, 32], d/dc = 114
    x0, c = pt.vector("x0"), pt.scalar("c")

    def fib(f2, f1, c_):
        new = f2 + c_ * f1
        return new, until(new > 20)

    fs = pytensor.scan(fib, outputs_info=dict(initial=x0, taps=[-2, -1]), non_sequences=c, n_steps=100, return_updates=False)
    out, dx0, dc = value([fs] + pytensor.grad(fs.sum(), [x0, c]), {x0: np.array([1.0, 1.0]), c: 1.0})
    np.testing.assert_array_equal(out, [2, 3, 5, 8, 13, 21])
    np.testing.assert_array_equal(dx0, [20, 32])
    assert dc == 114.0
    fd = central_difference(pytensor.function([x0, c], fs.sum()), [np.array([1.0, 1.0]), np.array(1.0)])
    np.testing.assert_allclose(fd[0], [20, 32], rtol=1e-8)
    np.testing.assert_allclose(fd[1], 114, rtol=1e-8)


@pytest.mark.rule("GRAD-SCAN-4")
def test_grad_scan_4__theano_5439_repro():
    x = pt.vector("x")
    ys = pytensor.scan(lambda xt: (xt**2, until(xt >= 5)), sequences=x, return_updates=False)
    np.testing.assert_array_equal(value(pytensor.grad(ys.sum(), x), {x: np.arange(10.0)}), [0, 2, 4, 6, 8, 10, 0, 0, 0, 0])


@pytest.mark.rule("GRAD-SCAN-4")
def test_grad_scan_4__until_with_recurrent_taps_matches_finite_differences():
    def fn(x, m0):
        def step(a, m2, m1):
            new = m2 * 0.5 + pt.sin(m1) * a
            return new, until(pt.abs(new) > 0.5)
        return pytensor.scan(step, sequences=x, outputs_info=dict(initial=m0, taps=[-2, -1]), return_updates=False)
    x0, m0 = np.array([1.0, 1.5, 2.0, 0.5, 3.0, 1.0]), np.array([0.8, -0.4])
    out = pytensor.function([xs := pt.vector("x"), ms := pt.vector("m0")], fn(xs, ms))(x0, m0)
    assert len(out) == 5 and np.all(np.abs(np.abs(out) - 0.5) > 0.05)  # away from the switch
    verify_grad(fn, [x0, m0], rng=0)


@pytest.mark.rule("GRAD-SCAN-4")
def test_grad_scan_4__n_steps_zero_gives_zeros():
    x, h0, n = pt.vector("x"), pt.scalar("h0"), pt.iscalar("n")
    hs = pytensor.scan(lambda xt, h: 0.5 * h + xt, sequences=x, outputs_info=h0, n_steps=n, return_updates=False)
    dx, dh0 = value(pytensor.grad(hs.sum(), [x, h0]), {x: np.arange(5.0), h0: 1.0, n: 0})
    np.testing.assert_array_equal(dx, np.zeros(5))
    assert dh0 == 0.0


@pytest.mark.rule("GRAD-SCAN-4")
def test_grad_scan_4__symbolic_n_steps():
    x, h0, n = pt.vector("x"), pt.scalar("h0"), pt.iscalar("n")
    hs = pytensor.scan(lambda xt, h: 0.5 * h + xt, sequences=x, outputs_info=h0, n_steps=n, return_updates=False)
    g = pytensor.grad(hs.sum(), x)
    f = pytensor.function([x, h0, n], g)
    np.testing.assert_array_equal(f(np.arange(5.0), 0.0, 3), [1.75, 1.5, 1, 0, 0])
    np.testing.assert_array_equal(f(np.arange(5.0), 0.0, 1), [1, 0, 0, 0, 0])


# -- GRAD-SCAN-5: non-sequences and implicit inputs ---------------------------------------------


@pytest.mark.rule("GRAD-SCAN-5")
@pytest.mark.parametrize("how", ["implicit", "non_sequence"])
def test_grad_scan_5__shared_weight_r13_1(how):
    w = pytensor.shared(W, name="w")
    x, h0 = pt.vector("x"), pt.scalar("h0")
    if how == "implicit":
        hs = pytensor.scan(lambda xt, h: w * h + xt, sequences=x, outputs_info=h0, return_updates=False)
    else:
        hs = pytensor.scan(lambda xt, h, w_: w_ * h + xt, sequences=x, outputs_info=h0, non_sequences=w, return_updates=False)
    got = value(pytensor.grad((hs**2).sum(), w), {x: X, h0: H0})
    assert got == pytest.approx(28.8718, abs=5e-5)


@pytest.mark.rule("GRAD-SCAN-5")
def test_grad_scan_5__implicit_intermediate_is_not_an_input_r13_6():
    W_ = pt.scalar("W")
    W2 = W_**2
    h0 = pt.scalar("h0")
    hs = pytensor.scan(lambda h: h + W2, outputs_info=h0, n_steps=3, return_updates=False)
    assert value(pytensor.grad(hs[-1], W_), {W_: 2.0, h0: 0.0}) == 12.0
    # W**2 is rebuilt inside the loop from the root W: the loop never reads W2 itself
    with pytest.raises(DisconnectedInputError, match="GRAD-API-3"):
        pytensor.grad(hs[-1], W2)


@pytest.mark.rule("GRAD-SCAN-5")
def test_grad_scan_5__intermediate_passed_as_non_sequence_r13_6():
    W_ = pt.scalar("W")
    W2 = W_**2
    h0 = pt.scalar("h0")
    hs = pytensor.scan(lambda h, w2: h + w2, outputs_info=h0, non_sequences=W2, n_steps=3, return_updates=False)
    dW2, dW = value(pytensor.grad(hs[-1], [W2, W_]), {W_: 2.0, h0: 0.0})
    assert dW2 == 3.0 and dW == 12.0


@pytest.mark.rule("GRAD-SCAN-5")
def test_grad_scan_5__shared_intermediate_r13_6():
    S = pytensor.shared(2.0, name="S")
    S2 = S * 2
    h0 = pt.scalar("h0")
    hs = pytensor.scan(lambda h: h + S2, outputs_info=h0, n_steps=3, return_updates=False)
    assert value(pytensor.grad(hs[-1], S), {h0: 0.0}) == 6.0  # PyTensor 3.3.7: 6.0
    with pytest.raises(DisconnectedInputError):
        pytensor.grad(hs[-1], S2)


@pytest.mark.rule("GRAD-SCAN-5")
def test_grad_scan_5__non_sequence_gradient_is_summed_over_steps():
    x, w = pt.vector("x"), pt.vector("w")
    ys = pytensor.scan(lambda xt, w_: xt * w_, sequences=x, non_sequences=w, return_updates=False)
    np.testing.assert_array_equal(value(pytensor.grad(ys.sum(), w), {x: X, w: np.ones(2)}), [X.sum(), X.sum()])


# -- GRAD-SCAN-6: gradients are graphs --------------------------------------------------------


@pytest.mark.rule("GRAD-SCAN-6")
def test_grad_scan_6__third_derivative_r13_1():
    a = pt.scalar("a")
    hs = pytensor.scan(lambda h: h**2, outputs_info=a, n_steps=3, return_updates=False)
    f = hs[-1]
    d1 = pytensor.grad(f, a)
    d2 = pytensor.grad(d1, a)
    d3 = pytensor.grad(d2, a)
    got = value([f, d1, d2, d3], {a: 1.1})
    np.testing.assert_allclose(got, [2.1436, 15.5897, 99.2074, 541.1314], atol=5e-5)
    np.testing.assert_allclose(got, [1.1**8, 8 * 1.1**7, 56 * 1.1**6, 336 * 1.1**5], rtol=1e-13)


@pytest.mark.rule("GRAD-SCAN-6")
def test_grad_scan_6__hessian_vector_product():
    x, h0, w, hs = linear_rnn()
    cost = (pt.tanh(hs) ** 2).sum()
    v = pt.vector("v")
    g = pytensor.grad(cost, x)
    hv = pytensor.grad((g * v).sum(), x)
    direction = np.array([0.3, -1.0, 0.5, 2.0])
    got = value(hv, {x: X, h0: H0, w: W, v: direction})
    grad_fn = pytensor.function([x, h0, w], g)
    eps = 1e-5
    fd = (grad_fn(X + eps * direction, H0, W) - grad_fn(X - eps * direction, H0, W)) / (2 * eps)
    np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.rule("GRAD-SCAN-6")
def test_grad_scan_6__second_derivative_with_respect_to_a_non_sequence():
    x, h0, w, hs = linear_rnn()
    cost = (hs**2).sum()
    dw = pytensor.grad(cost, w)
    d2w = pytensor.grad(dw, w)
    grad_fn = pytensor.function([x, h0, w], dw)
    fd = (grad_fn(X, H0, W + 1e-5) - grad_fn(X, H0, W - 1e-5)) / 2e-5
    assert value(d2w, {x: X, h0: H0, w: W}) == pytest.approx(fd, rel=1e-7)


@pytest.mark.rule("GRAD-SCAN-6")
def test_grad_scan_6__the_gradient_of_a_loop_is_a_loop():
    from reference.scan.op import ScanOp
    x, h0, w, hs = linear_rnn()
    g = pytensor.grad((hs**2).sum(), w)
    from reference.graph.traversal import toposort
    names = [node.op.spec.name for node in toposort([g]) if isinstance(node.op, ScanOp)]
    assert "grad_of_scan_fn" in names


# -- GRAD-SCAN-7: what has no gradient ----------------------------------------------------------


@pytest.mark.rule("GRAD-SCAN-7")
def test_grad_scan_7__a_draw_the_pullback_reads_must_be_an_output():
    from reference.tensor.random.utils import RandomStream

    srng = RandomStream(seed=1)
    w, h0 = pt.scalar("w"), pt.scalar("h0")
    hs, _ = pytensor.scan(lambda h, w_: w_ * h * srng.uniform(), outputs_info=h0, non_sequences=w, n_steps=3)
    with pytest.raises(NullTypeGradError, match="GRAD-SCAN-7"):  # PyTensor: NullTypeGradError
        pytensor.grad(hs[-1], w)


@pytest.mark.rule("GRAD-SCAN-7")
def test_grad_scan_7__a_draw_returned_by_fn_is_read_back_from_its_trace():
    from reference.tensor.random.utils import RandomStream

    srng = RandomStream(seed=3)
    w, h0 = pt.dscalar("w"), pt.dscalar("h0")

    def step(h, w_):
        m = srng.uniform() * 2
        return [h * w_ * m, m]

    (h, m), updates = pytensor.scan(step, outputs_info=[h0, None], non_sequences=w, n_steps=4)
    f = pytensor.function([h0, w], [h[-1], m, pytensor.grad(h[-1], w)], updates=updates)
    for _ in range(2):  # new draws at each call; the gradient uses that call's draws
        hv, mv, gv = f(1.0, 0.5)
        assert np.isclose(gv, 4 * 0.5 ** 3 * np.prod(mv), rtol=1e-14, atol=0)
        assert np.isclose(hv, 0.5 ** 4 * np.prod(mv), rtol=1e-14, atol=0)


@pytest.mark.rule("GRAD-SCAN-7")
def test_grad_scan_7__an_additive_draw_needs_no_stored_value():
    from reference.tensor.random.utils import RandomStream

    srng = RandomStream(seed=1)
    w, h0 = pt.dscalar("w"), pt.dscalar("h0")
    hs, updates = pytensor.scan(lambda h, w_: w_ * h + srng.normal(0, 1), outputs_info=h0, non_sequences=w, n_steps=3)
    f = pytensor.function([w, h0], [hs, pytensor.grad(hs[-1], w)], updates=updates)
    h, g = f(0.5, 1.0)
    assert np.isclose(g, h[1] + 0.5 * (h[0] + 0.5 * 1.0), rtol=1e-14, atol=0)  # d/dw needs h only


@pytest.mark.rule("GRAD-SCAN-7")
def test_grad_scan_7__shared_variable_updated_inside_the_loop():
    c = pytensor.shared(0.0, name="c")
    w, h0 = pt.scalar("w"), pt.scalar("h0")
    hs, updates = pytensor.scan(lambda h, w_: (w_ * h + c, {c: c + 1}), outputs_info=h0, non_sequences=w, n_steps=3)
    f = pytensor.function([w, h0], [hs, pytensor.grad(hs[-1], w)], updates=updates)
    h, g = f(0.5, 1.0)
    assert h.tolist() == [0.5, 1.25, 2.625] and g == 1.75  # PyTensor: the same
    assert pytensor.grad(updates[c], w, disconnected_inputs="ignore").eval({w: 0.5}) == 0.0
    # d/dw reads c2's per-step values: the twin loop traces c2 (PyTensor: the same values)
    c2 = pytensor.shared(1.0, name="c2")
    hs2, upd2 = pytensor.scan(lambda h, w_: (w_ * h * c2, {c2: c2 * w_}), outputs_info=h0, non_sequences=w, n_steps=3)
    f = pytensor.function([w, h0], [hs2, pytensor.grad(hs2[-1], w), pytensor.grad(upd2[c2], w),
                                    *pytensor.grad(hs2[-1] + upd2[c2], [w, h0])], updates=upd2)
    assert [np.asarray(v).tolist() for v in f(0.5, 1.0)] == [[0.5, 0.125, 0.015625], 0.1875, 0.75, 0.9375, 0.015625]
    assert c2.get_value() == 0.125  # the update is applied once (0.5 ** 3), by the loop itself
    k = pytensor.shared(1, name="k")  # an integer counter, read as a float
    hs3, upd3 = pytensor.scan(lambda h, w_: (w_ * h * pt.cast(k, "float64"), {k: k + 1}), outputs_info=h0,
                              non_sequences=w, n_steps=3)
    h, g = pytensor.function([w, h0], [hs3, pytensor.grad(hs3[-1], w)], updates=upd3)(1.5, 1.0)
    assert h.tolist() == [1.5, 4.5, 20.25] and g == 3 * 1.5 ** 2 * 6


@pytest.mark.rule("GRAD-SCAN-7")
def test_grad_scan_7__an_update_the_outputs_do_not_read_is_fine():
    c = pytensor.shared(0.0, name="c")
    w, h0 = pt.scalar("w"), pt.scalar("h0")
    hs, updates = pytensor.scan(lambda h, w_: (w_ * h, {c: c + 1}), outputs_info=h0, non_sequences=w, n_steps=3)
    assert pytensor.function([w, h0], pytensor.grad(hs[-1], w), updates=updates)(0.5, 1.0) == 0.75  # PyTensor: 0.75


# -- GRAD-SCAN-8: the truncate_gradient argument --------------------------------------------------


@pytest.mark.rule("GRAD-SCAN-8")
@pytest.mark.parametrize("k", [-2, 1.5, True, "2", None])
def test_grad_scan_8__truncate_gradient_must_be_minus_one_or_a_natural_number(k):
    # PyTensor 3.3.7 takes -2 like 2 (it slices with it) and fails on 1.5 and True late
    with pytest.raises(ValueError, match="GRAD-SCAN-8"):
        pytensor.scan(lambda xt: xt * 2, sequences=pt.vector("x"), truncate_gradient=k)


@pytest.mark.rule("GRAD-SCAN-8")
@pytest.mark.parametrize("k", [-1, 0, 5, np.int64(3)])
def test_grad_scan_8__accepted_values(k):
    x = pt.vector("x")
    ys = pytensor.scan(lambda xt: xt * 2, sequences=x, truncate_gradient=k, return_updates=False)
    got = value(pytensor.grad(ys.sum(), x), {x: np.ones(4)})
    expected = {-1: [2, 2, 2, 2], 0: [0, 0, 0, 0], 5: [2, 2, 2, 2], 3: [0, 2, 2, 2]}[int(k)]
    np.testing.assert_array_equal(got, expected)  # PyTensor 3.3.7 for np.int64(3): [0, 2, 2, 2]


# -- properties: generated programs against central finite differences ------------------------------


def _oracle_gradient(program: Program, values, weights, n_executed):
    """Central differences of the truncated cost: the first ``n - m`` steps are frozen at
    their values (their outputs and the state they hand on become constants), and only the
    last ``m = min(k, n)`` steps are recomputed (GRAD-SCAN-3).  ``m = n`` without truncation."""
    k = program.truncate_gradient
    m = n_executed if k == -1 else min(k, n_executed)
    n1 = n_executed - m
    n_seq = len(program.seq_taps)
    full_inputs = [pt.as_tensor_variable(v).type() for v in values]
    full = build(program, pytensor, pt, until, full_inputs, truncate=False)
    traces = pytensor.function(full_inputs, full, on_unused_input="ignore")(*values)

    inputs = [pt.as_tensor_variable(v).type() for v in values]
    part = list(inputs)
    position = n_seq
    rec = 0
    for (kind, taps, _), trace in zip(program.outputs, traces, strict=True):
        if kind == "nit":
            continue
        if n1 > 0:  # frozen: the state after step n1 - 1
            if kind == "sit":
                part[position] = pt.constant(trace[n1 - 1])
            else:  # history rows n1 .. n1+depth-1: initial rows stay symbolic (a window
                # step may read them through a tap), output rows of earlier steps are frozen
                depth = -min(taps)
                frozen = pt.constant(trace[max(0, n1 - depth):n1])
                part[position] = frozen if n1 >= depth else pt.concatenate([inputs[position][n1:depth], frozen])
        position += 1
        rec += 1
    slicer = None
    if n1 > 0:
        slicer = slice(None, -n1) if program.go_backwards else slice(n1, None)
    outs = build(program, pytensor, pt, until, part, seq_slices=slicer, n_steps=m, truncate=False)
    cost = sum(((o * w[n1:]).sum() for o, w in zip(outs, weights, strict=True)), pt.constant(0.0))
    f = pytensor.function(inputs, cost, on_unused_input="ignore")
    return central_difference(f, values, eps=1e-6)


def _check_program(program: Program, seed: int):
    rng = np.random.default_rng(seed)
    values = input_values(program, rng)
    inputs = [pt.as_tensor_variable(v).type() for v in values]
    outs = build(program, pytensor, pt, until, inputs)
    traces = pytensor.function(inputs, outs, on_unused_input="ignore")(*values)
    n_executed = len(traces[0])
    weights = [rng.random(np.shape(t)) + 0.5 for t in traces]
    cost = sum(((o * w).sum() for o, w in zip(outs, weights, strict=True)), pt.constant(0.0))
    grads = pytensor.grad(cost, inputs, disconnected_inputs="ignore")
    ours = pytensor.function(inputs, grads, on_unused_input="ignore")(*values)
    expected = _oracle_gradient(program, values, weights, n_executed)
    for i, (a, b) in enumerate(zip(ours, expected, strict=True)):
        assert np.shape(a) == np.shape(b), f"input {i}: gradient shape {np.shape(a)}, input {np.shape(b)}"
        err = np.abs(a - b)
        bad = (err > 1e-6) & (err > 1e-6 * (np.abs(a) + np.abs(b)))
        assert not bad.any(), f"input {i}: analytic {a}, finite differences {b} ({program})"
    return ours


@pytest.mark.rule("PROP-GRAD-1", "PROP-GRAD-2")
@pytest.mark.rule("GRAD-SCAN-1", "GRAD-SCAN-2", "GRAD-SCAN-3", "GRAD-SCAN-4", "GRAD-SCAN-5")
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(program=programs(), seed=st.integers(0, 2**16))
def test_grad_scan_1__generated_programs_match_finite_differences(program, seed):
    _check_program(program, seed)


@pytest.mark.rule("PROP-GRAD-2")
@pytest.mark.rule("GRAD-SCAN-3")
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(program=programs(allow_truncate=False), seed=st.integers(0, 2**16))
def test_grad_scan_3__truncation_at_n_or_more_is_the_full_gradient(program, seed):
    rng = np.random.default_rng(seed)
    values = input_values(program, rng)
    inputs = [pt.as_tensor_variable(v).type() for v in values]
    results = []
    for k in (-1, 6, 100):
        p = Program(**{**program.__dict__, "truncate_gradient": k})
        outs = build(p, pytensor, pt, until, inputs)
        cost = sum(((o * (i + 1.0)).sum() for i, o in enumerate(outs)), pt.constant(0.0))
        grads = pytensor.grad(cost, inputs, disconnected_inputs="ignore")
        results.append(pytensor.function(inputs, grads, on_unused_input="ignore")(*values))
    for other in results[1:]:
        for a, b in zip(results[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


# -- differential: PyTensor's gradients on the same programs (Python >= 3.12 with pytensor) --------


def _pytensor():
    pytensor_ = pytest.importorskip("pytensor", reason="pytensor needs Python >= 3.12 (extra 'pytensor')")
    import pytensor.tensor as ptt
    from pytensor.scan.utils import until as ptt_until
    return pytensor_, ptt, ptt_until


@pytest.mark.rule("GRAD-SCAN-1", "GRAD-SCAN-3", "GRAD-SCAN-4")
@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=25, deadline=None)
@given(program=programs(), seed=st.integers(0, 2**16))
def test_grad_scan_1__generated_programs_match_pytensor(program, seed):
    import warnings

    theirs_mod, ptt, ptt_until = _pytensor()
    # B12: truncate_gradient=0 crashes PyTensor's Python backend (and with a constant
    # n_steps=1 its eager path ignores it: C-divergences, "Gradients")
    assume(program.truncate_gradient != 0)
    # B19: PyTensor's eager path for a constant n_steps=1 ignores go_backwards
    assume(not (program.n_steps == 1 and program.go_backwards))
    rng = np.random.default_rng(seed)
    values = input_values(program, rng)
    ours = _check_program(program, seed)
    inputs = [ptt.as_tensor_variable(v).type() for v in values]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outs = build(program, theirs_mod, ptt, ptt_until, inputs)
        traces = theirs_mod.function(inputs, outs, mode="FAST_COMPILE", on_unused_input="ignore")(*values)
        rng = np.random.default_rng(seed)
        input_values(program, rng)  # the same draws as _check_program, so the same weights
        weights = [rng.random(np.shape(t)) + 0.5 for t in traces]
        cost = sum((ptt.sum(o * w) for o, w in zip(outs, weights, strict=True)), ptt.constant(0.0))
        grads = theirs_mod.grad(cost, inputs, disconnected_inputs="ignore")
        theirs = theirs_mod.function(inputs, grads, mode="FAST_COMPILE", on_unused_input="ignore")(*values)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
