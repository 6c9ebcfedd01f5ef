"""The seed guide's examples, as functions returning their printed results.

``python -m reference demo`` runs them; the tests and the spec run them too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import reference as pytensor
import reference.tensor as pt


def power_of_a() -> list:
    """A**k elementwise with a loop; only the last value is kept (memory plan)."""
    k = pt.iscalar("k")
    A = pt.vector("A")
    result, updates = pytensor.scan(fn=lambda prior_result, A: prior_result * A,
                                    outputs_info=pt.ones_like(A), non_sequences=A, n_steps=k)
    power = pytensor.function(inputs=[A, k], outputs=result[-1], updates=updates)
    return [power(range(10), 2), power(range(10), 4)]


def polynomial() -> list:
    """A polynomial from its coefficients, scanning two sequences of unequal length."""
    coefficients = pt.vector("coefficients")
    x = pt.scalar("x")
    components, updates = pytensor.scan(
        fn=lambda coefficient, power, free_variable: coefficient * (free_variable ** power),
        outputs_info=None, sequences=[coefficients, pt.arange(10000)], non_sequences=x)
    calculate = pytensor.function(inputs=[coefficients, x], outputs=components.sum())
    test_coefficients = np.asarray([1, 0, 2], dtype=np.float32)
    return [calculate(test_coefficients, 3), 1.0 * (3 ** 0) + 0.0 * (3 ** 1) + 2.0 * (3 ** 2)]


def triangular_numbers() -> list:
    """A running sum; the initial state must have the step's dtype (int64 here)."""
    up_to = pt.iscalar("up_to")
    seq = pt.arange(up_to)
    outputs_info = pt.as_tensor_variable(np.asarray(0, seq.dtype))
    scan_result, _ = pytensor.scan(fn=lambda arange_val, sum_to_date: sum_to_date + arange_val,
                                   outputs_info=outputs_info, sequences=seq)
    triangular = pytensor.function(inputs=[up_to], outputs=scan_result)
    return [triangular(15), [n * (n + 1) // 2 for n in range(15)]]


def set_value_at_position() -> list:
    """Each step writes one value into a matrix of zeros."""
    location = pt.imatrix("location")
    values = pt.vector("values")
    output_model = pt.matrix("output_model")

    def step(a_location, a_value, output_model):
        zeros = pt.zeros_like(output_model)
        return pt.set_subtensor(zeros[a_location[0], a_location[1]], a_value)

    result, _ = pytensor.scan(fn=step, outputs_info=None, sequences=[location, values],
                              non_sequences=output_model)
    f = pytensor.function(inputs=[location, values, output_model], outputs=result)
    return [f(np.asarray([[1, 1], [2, 3]], dtype=np.int32), np.asarray([42, 50], dtype=np.float32),
              np.zeros((5, 5), dtype=np.float32))]


def shared_updates() -> list:
    """A loop that only updates a shared variable; the update applies once per call."""
    a = pytensor.shared(1)
    _, updates = pytensor.scan(lambda: {a: a + 1}, n_steps=10)
    b = a + 1
    c = updates[a] + 1
    f = pytensor.function([], [b, c], updates=updates)
    first = f()
    after_first = a.get_value()
    second = f()
    return [first, after_first, second, a.get_value()]


def gibbs_sampling() -> list:
    """Ten Gibbs steps with random streams inside the loop, called twice."""
    rng = np.random.default_rng(203940)
    W = pytensor.shared(rng.uniform(size=(2, 2)))
    bvis = pytensor.shared(rng.uniform(size=(2,)))
    bhid = pytensor.shared(rng.uniform(size=(2,)))
    srng = pt.random.RandomStream(1234)

    def one_step(vsample):
        hmean = pt.sigmoid(pt.dot(vsample, W) + bhid)
        hsample = srng.binomial(1, hmean, size=hmean.shape)
        vmean = pt.sigmoid(pt.dot(hsample, W.T) + bvis)
        return srng.binomial(1, vmean, size=vsample.shape)

    sample = pt.lvector()
    values, updates = pytensor.scan(one_step, outputs_info=sample, n_steps=10)
    gibbs10 = pytensor.function([sample], values[-1], updates=updates)
    return [gibbs10(np.array([0, 1])), gibbs10(np.array([0, 1]))]


def powers_of_two() -> list:
    """A while loop: stop after the first power above ``max_value``."""
    def power_of_2(previous_power, max_value):
        return previous_power * 2, pytensor.scan.utils.until(previous_power * 2 > max_value)

    max_value = pt.scalar()
    values, _ = pytensor.scan(power_of_2, outputs_info=pt.constant(1.), non_sequences=max_value,
                              n_steps=1024)
    f = pytensor.function([max_value], values)
    return [f(45)]


EXAMPLES: dict[str, Callable[[], list]] = {
    "power_of_a": power_of_a,
    "polynomial": polynomial,
    "triangular_numbers": triangular_numbers,
    "set_value_at_position": set_value_at_position,
    "shared_updates": shared_updates,
    "gibbs_sampling": gibbs_sampling,
    "powers_of_two": powers_of_two,
}
