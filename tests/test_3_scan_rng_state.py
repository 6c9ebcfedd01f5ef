"""Chapter 3, a random generator carried through ``outputs_info`` (SCAN-RNG-1)."""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference._cloop.dispatch import KernelUnavailable
from reference.errors import SpecTypeError
from reference.graph.shared import RandomGeneratorType


def normal_step(r):
    next_r, y = pt.random.normal(rng=r).owner.outputs
    return y, next_r


@pytest.mark.rule("SCAN-RNG-1")
def test_scan_rng_1__values_and_final_state_equal_a_numpy_loop():
    rng = pytensor.shared(np.random.default_rng(0))
    (ys, last_rng), updates = pytensor.scan(normal_step, outputs_info=[None, rng], n_steps=3)
    assert updates == {} and last_rng.type == RandomGeneratorType() and ys.ndim == 1
    f = pytensor.function([], [ys, last_rng])
    got, final = f()
    g = np.random.default_rng(0)
    np.testing.assert_array_equal(got, [g.normal() for _ in range(3)])
    assert final.bit_generator.state == g.bit_generator.state
    np.testing.assert_array_equal(f()[0], got)  # no update: every call repeats
    assert rng.get_value().bit_generator.state == np.random.default_rng(0).bit_generator.state


@pytest.mark.rule("SCAN-RNG-1")
def test_scan_rng_1__updates_advance_between_calls_and_argument_order():
    rng = pytensor.shared(np.random.default_rng(1))
    x0 = pt.dscalar("x0")
    seen = []

    def step(x, r, a):
        seen.append((x.type, r.type, a.type))
        next_r, y = pt.random.uniform(rng=r).owner.outputs
        return x + y, next_r, a * 2

    (xs, last_rng, a_s), _ = pytensor.scan(step, outputs_info=[x0, rng, pt.as_tensor_variable(np.float64(1.0))], n_steps=4)
    assert seen[0][1] == RandomGeneratorType()
    f = pytensor.function([x0], [xs, a_s], updates={rng: last_rng})
    g = np.random.default_rng(1)
    for _ in range(2):
        xs_v, a_v = f(0.5)
        np.testing.assert_array_equal(xs_v, 0.5 + np.cumsum([g.uniform() for _ in range(4)]))
        np.testing.assert_array_equal(a_v, [2.0, 4.0, 8.0, 16.0])
    assert rng.get_value().bit_generator.state == g.bit_generator.state


@pytest.mark.rule("SCAN-RNG-1")
def test_scan_rng_1__with_a_random_stream_inside_and_go_backwards():
    srng = pt.random.RandomStream(5)
    rng = pytensor.shared(np.random.default_rng(2))

    def step(r):
        next_r, y = pt.random.normal(rng=r).owner.outputs
        return y + srng.uniform(), next_r

    (ys, last_rng), updates = pytensor.scan(step, outputs_info=[None, rng], n_steps=3, go_backwards=True)
    assert len(updates) == 1
    f = pytensor.function([], ys, updates={**updates, rng: last_rng})
    g, h = np.random.default_rng(2), np.random.default_rng(np.random.SeedSequence(5).spawn(1)[0])
    for _ in range(2):
        np.testing.assert_array_equal(f(), [g.normal() + h.uniform() for _ in range(3)])


@pytest.mark.rule("SCAN-RNG-1")
def test_scan_rng_1__zero_steps_return_the_initial_generator_and_symbolic_rng():
    r = RandomGeneratorType().make_variable(None, None)
    (ys, last_rng), _ = pytensor.scan(normal_step, outputs_info=[None, r], n_steps=pt.lscalar("n"))
    n = ys.owner.inputs[0]
    f = pytensor.function([r, n], [ys, last_rng])
    got, final = f(np.random.default_rng(4), 0)
    assert got.shape == (0,) and final.bit_generator.state == np.random.default_rng(4).bit_generator.state
    got, final = f(np.random.default_rng(4), 2)
    g = np.random.default_rng(4)
    np.testing.assert_array_equal(got, [g.normal(), g.normal()])
    assert final.bit_generator.state == g.bit_generator.state


@pytest.mark.rule("SCAN-RNG-1")
def test_scan_rng_1__errors_name_the_argument():
    rng = pytensor.shared(np.random.default_rng(0))
    with pytest.raises(SpecTypeError, match=r"outputs_info\[1\].*tap -1"):
        pytensor.scan(normal_step, outputs_info=[None, dict(initial=rng, taps=[-2])], n_steps=2)
    with pytest.raises(SpecTypeError, match=r"outputs_info\[0\].*shared"):
        pytensor.scan(normal_step, outputs_info=[np.random.default_rng(0)], n_steps=2)
    with pytest.raises(SpecTypeError, match=r"output 0: outputs_info\[0\] is a random generator"):
        pytensor.scan(lambda r: pt.random.normal(rng=r), outputs_info=[rng], n_steps=2)
    with pytest.raises(SpecTypeError, match=r"output 0: fn returns a random generator"):
        pytensor.scan(lambda x: pt.random.normal(rng=rng, return_next_rng=True)[0],
                      outputs_info=[pt.dscalar()], n_steps=2)
    # the dict form with taps [-1] is accepted
    pytensor.scan(normal_step, outputs_info=[None, dict(initial=rng, taps=[-1])], n_steps=2)


@pytest.mark.rule("SCAN-RNG-1")
@pytest.mark.rule("KERN-FALL-1")
def test_scan_rng_1__the_kernel_does_not_lower_a_generator_state():
    rng = pytensor.shared(np.random.default_rng(0))
    x0 = pt.dscalar("x0")
    (xs, last_rng), _ = pytensor.scan(lambda x, r: (x + 1, r), outputs_info=[x0, rng], n_steps=3)
    f = pytensor.function([x0], [xs, last_rng])
    xs_v, final = f(1.0)
    np.testing.assert_array_equal(xs_v, [2.0, 3.0, 4.0])
    assert final.bit_generator.state == np.random.default_rng(0).bit_generator.state
    assert "not a tensor" in str(pytensor.explain(f))
    g = pytensor.function([x0], [xs, last_rng], mode="c")
    with pytest.raises(KernelUnavailable, match="not a tensor"):
        g(1.0)


@pytest.mark.rule("SCAN-RNG-1")
@pytest.mark.rule("SCAN-MEM-1")
def test_scan_rng_1__storage_plan_keeps_one_value():
    rng = pytensor.shared(np.random.default_rng(0))
    (ys, last_rng), _ = pytensor.scan(normal_step, outputs_info=[None, rng], n_steps=3)
    f = pytensor.function([], ys[-1], updates={rng: last_rng})
    plan = f.storage_plan()
    assert [(e.index, e.keep) for e in plan] == [(1, 1), (0, 1)]
    g = np.random.default_rng(0)
    assert f() == [g.normal() for _ in range(3)][-1]


@pytest.mark.rule("SCAN-RNG-1")
@pytest.mark.rule("GRAD-SCAN-7")
def test_scan_rng_1__gradients():
    rng = pytensor.shared(np.random.default_rng(0))
    w = pt.dscalar("w")

    def step(x, r, w):
        next_r, y = pt.random.normal(rng=r).owner.outputs
        return x * w, next_r

    (xs, _), _ = pytensor.scan(step, outputs_info=[pt.as_tensor_variable(np.float64(1.0)), rng],
                               non_sequences=[w], n_steps=3)
    g = pytensor.function([w], pytensor.grad(xs[-1], w))
    assert g(2.0) == 12.0  # the generator state does not reach xs: an ordinary gradient

    def noisy(x, r, w):
        next_r, y = pt.random.normal(rng=r).owner.outputs
        return x * w + y, next_r

    (xs, _), _ = pytensor.scan(noisy, outputs_info=[pt.as_tensor_variable(np.float64(1.0)), rng],
                               non_sequences=[w], n_steps=3)
    f = pytensor.function([w], [xs, pytensor.grad(xs[-1], w)])
    x, g = f(2.0)
    assert np.isclose(g, x[1] + 2.0 * (x[0] + 2.0), rtol=1e-14, atol=0)  # additive noise: needs x only

    def scaled(x, r, w):
        next_r, y = pt.random.normal(rng=r).owner.outputs
        return x * w * y, next_r

    (xs, _), _ = pytensor.scan(scaled, outputs_info=[pt.as_tensor_variable(np.float64(1.0)), rng],
                               non_sequences=[w], n_steps=3)
    with pytest.raises(TypeError, match="GRAD-SCAN-7"):  # y's per-step values are not stored
        pytensor.grad(xs[-1], w)

    def returned(x, r, w):
        next_r, y = pt.random.normal(rng=r).owner.outputs
        return x * w * y, y, next_r

    (xs, ys, _), _ = pytensor.scan(returned, outputs_info=[pt.as_tensor_variable(np.float64(1.0)), None, rng],
                                   non_sequences=[w], n_steps=3)
    x, y, g = pytensor.function([w], [xs, ys, pytensor.grad(xs[-1], w)])(2.0)
    assert np.isclose(g, 3 * 4.0 * np.prod(y), rtol=1e-14, atol=0)  # PyTensor: the same
