"""Every example of PyTensor's scan guide, verbatim, with ``import reference as pytensor``
in place of the guide's ``import pytensor`` lines (spec chapter 3 runs the same code in the
doctest build).  The printed values are the guide's."""

import numpy
import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import MissingInputError


@pytest.mark.rule("SCAN-ARGS-5", "SCAN-INIT-1", "SCAN-MEM-1")
def test_scan_args_5__guide_power_of_a_vector():
    k = pt.iscalar("k")
    A = pt.vector("A")

    # Symbolic description of the result
    result, updates = pytensor.scan(fn=lambda prior_result, A: prior_result * A,
                                    outputs_info=pt.ones_like(A),
                                    non_sequences=A,
                                    n_steps=k)

    # We only care about A**k, but scan has provided us with A**1 through A**k.
    # Discard the values that we don't care about. Scan is smart enough to
    # notice this and not waste memory saving them.
    final_result = result[-1]

    # compiled function that returns A**k
    power = pytensor.function(inputs=[A, k], outputs=final_result, updates=updates)

    np.testing.assert_array_equal(power(range(10), 2), [0, 1, 4, 9, 16, 25, 36, 49, 64, 81])
    np.testing.assert_array_equal(power(range(10), 4), np.arange(10.0) ** 4)
    assert [entry.keep for entry in power.storage_plan()] == [1]


@pytest.mark.rule("SCAN-STEPS-1")
def test_scan_steps_1__guide_polynomial():
    coefficients = pytensor.tensor.vector("coefficients")
    x = pt.scalar("x")

    max_coefficients_supported = 10000

    # Generate the components of the polynomial
    components, updates = pytensor.scan(fn=lambda coefficient, power, free_variable: coefficient * (free_variable ** power),
                                        outputs_info=None,
                                        sequences=[coefficients, pytensor.tensor.arange(max_coefficients_supported)],
                                        non_sequences=x)
    # Sum them up
    polynomial = components.sum()

    # Compile a function
    calculate_polynomial = pytensor.function(inputs=[coefficients, x], outputs=polynomial)

    # Test
    test_coefficients = numpy.asarray([1, 0, 2], dtype=numpy.float32)
    test_value = 3
    assert calculate_polynomial(test_coefficients, test_value) == 19.0
    assert 1.0 * (3 ** 0) + 0.0 * (3 ** 1) + 2.0 * (3 ** 2) == 19.0


@pytest.mark.rule("SCAN-TYPE-1")
def test_scan_type_1__guide_triangular_numbers():
    up_to = pt.iscalar("up_to")

    # define a named function, rather than using lambda
    def accumulate_by_adding(arange_val, sum_to_date):
        return sum_to_date + arange_val
    seq = pt.arange(up_to)

    # An unauthorized implicit downcast from the dtype of 'seq', to that of
    # 'pt.as_tensor_variable(0)' which is of dtype 'int8' by default would occur
    # if this instruction were to be used instead of the next one:
    # outputs_info = pt.as_tensor_variable(0)

    outputs_info = pt.as_tensor_variable(np.asarray(0, seq.dtype))
    scan_result, scan_updates = pytensor.scan(fn=accumulate_by_adding,
                                              outputs_info=outputs_info,
                                              sequences=seq)
    triangular_sequence = pytensor.function(inputs=[up_to], outputs=scan_result)

    # test
    some_num = 15
    got = triangular_sequence(some_num)
    assert got.tolist() == [n * (n + 1) // 2 for n in range(some_num)]
    assert got.tolist() == [0, 1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 66, 78, 91, 105]

    # the pitfall the comment describes: an int8 initial state is an error
    with pytest.raises(ValueError, match=r"outputs_info\[0\].*int8.*int64"):
        pytensor.scan(fn=accumulate_by_adding, outputs_info=pt.as_tensor_variable(0), sequences=seq)


@pytest.mark.rule("SCAN-BODY-3")
def test_scan_body_3__guide_set_value_at_position():
    location = pt.imatrix("location")
    values = pt.vector("values")
    output_model = pt.matrix("output_model")

    def set_value_at_position(a_location, a_value, output_model):
        zeros = pt.zeros_like(output_model)
        zeros_subtensor = zeros[a_location[0], a_location[1]]
        return pt.set_subtensor(zeros_subtensor, a_value)

    result, updates = pytensor.scan(fn=set_value_at_position,
                                    outputs_info=None,
                                    sequences=[location, values],
                                    non_sequences=output_model)

    assign_values_at_positions = pytensor.function(inputs=[location, values, output_model], outputs=result)

    # test
    test_locations = numpy.asarray([[1, 1], [2, 3]], dtype=numpy.int32)
    test_values = numpy.asarray([42, 50], dtype=numpy.float32)
    test_output_model = numpy.zeros((5, 5), dtype=numpy.float32)
    got = assign_values_at_positions(test_locations, test_values, test_output_model)
    expected = np.zeros((2, 5, 5))
    expected[0, 1, 1] = 42
    expected[1, 2, 3] = 50
    np.testing.assert_array_equal(got, expected)


def gibbs_shared_values():
    rng = np.random.default_rng(203940)
    W_values = rng.uniform(size=(2, 2))
    bvis_values = rng.uniform(size=(2,))
    bhid_values = rng.uniform(size=(2,))
    return W_values, bvis_values, bhid_values


@pytest.mark.rule("SCAN-BODY-3", "SCAN-UPD-3")
def test_scan_body_3__guide_gibbs_sampling_with_implicit_shared_variables():
    W_values, bvis_values, bhid_values = gibbs_shared_values()

    W = pytensor.shared(W_values)
    bvis = pytensor.shared(bvis_values)
    bhid = pytensor.shared(bhid_values)

    srng = pt.random.RandomStream(1234)

    def one_step(vsample):
        hmean = pt.sigmoid(pt.dot(vsample, W) + bhid)
        hsample = srng.binomial(1, hmean, size=hmean.shape)
        vmean = pt.sigmoid(pt.dot(hsample, W.T) + bvis)

        return srng.binomial(1, vmean, size=vsample.shape)

    sample = pt.lvector()

    values, updates = pytensor.scan(one_step, outputs_info=sample, n_steps=10)

    gibbs10 = pytensor.function([sample], values[-1], updates=updates)

    # the two generators are loop state; W, bvis, bhid were added as non-sequences
    assert len(updates) == 2
    assert {id(v) for v in (W, bvis, bhid)} <= {id(v) for v in values.owner.inputs}
    draws = [gibbs10([0, 1]) for _ in range(6)]
    assert all(d.shape == (2,) and d.dtype == np.int64 and set(d.tolist()) <= {0, 1} for d in draws)
    # the generators advance from call to call: ten steps give other draws each time
    chains = pytensor.function([sample], values, updates=updates)
    assert not all(np.array_equal(chains([0, 1]), chains([0, 1])) for _ in range(3))
    # without the updates, every call repeats the same ten draws
    same = pytensor.function([sample], values)
    np.testing.assert_array_equal(same([0, 1]), same([0, 1]))


@pytest.mark.rule("SCAN-STRICT-1", "SCAN-ARGS-4")
def test_scan_strict_1__guide_gibbs_sampling_explicit_then_strict():
    W_values, bvis_values, bhid_values = gibbs_shared_values()

    W = pytensor.shared(W_values) # we assume that ``W_values`` contains the
                                  # initial values of your weight matrix

    bvis = pytensor.shared(bvis_values)
    bhid = pytensor.shared(bhid_values)

    trng = pytensor.tensor.random.utils.RandomStream(1234)

    # OneStep, with explicit use of the shared variables (W, bvis, bhid)
    def OneStep(vsample, W, bvis, bhid):
        hmean = pt.sigmoid(pytensor.dot(vsample, W) + bhid)
        hsample = trng.binomial(size=hmean.shape, n=1, p=hmean)
        vmean = pt.sigmoid(pytensor.dot(hsample, W.T) + bvis)
        return trng.binomial(size=vsample.shape, n=1, p=vmean,
                             dtype=pytensor.config.floatX)

    sample = pytensor.tensor.vector()

    # The new scan, with the shared variables passed as non_sequences
    values, updates = pytensor.scan(fn=OneStep,
                                    outputs_info=sample,
                                    non_sequences=[W, bvis, bhid],
                                    n_steps=10)

    gibbs10 = pytensor.function([sample], values[-1], updates=updates)
    got = gibbs10([0.0, 1.0])
    assert got.dtype == np.float64 and set(got.tolist()) <= {0.0, 1.0}

    # Same OneStep as in original example.
    def OneStep(vsample) :  # noqa: E203
        hmean = pt.sigmoid(pytensor.dot(vsample, W) + bhid)
        hsample = trng.binomial(size=hmean.shape, n=1, p=hmean)
        vmean = pt.sigmoid(pytensor.dot(hsample, W.T) + bvis)
        return trng.binomial(size=vsample.shape, n=1, p=vmean,
                             dtype=pytensor.config.floatX)

    # The new scan, adding strict=True to the original call.
    with pytest.raises(MissingInputError, match="SCAN-STRICT-1"):
        values, updates = pytensor.scan(OneStep,
                                        outputs_info=sample,
                                        n_steps=10,
                                        strict=True)

    # OneStep, with explicit use of the shared variables (W, bvis, bhid)
    def OneStep(vsample, W, bvis, bhid) :  # noqa: E203
        hmean = pt.sigmoid(pytensor.dot(vsample, W) + bhid)
        hsample = trng.binomial(size=hmean.shape, n=1, p=hmean)
        vmean = pt.sigmoid(pytensor.dot(hsample, W.T) + bvis)
        return trng.binomial(size=vsample.shape, n=1, p=vmean,
                             dtype=pytensor.config.floatX)

    # The new scan, adding strict=True to the original call, and passing
    # explicitly W, bvis and bhid.
    values, updates = pytensor.scan(OneStep,
                                    outputs_info=sample,
                                    non_sequences=[W, bvis, bhid],
                                    n_steps=10,
                                    strict=True)
    assert pytensor.function([sample], values, updates=updates)([1.0, 0.0]).shape == (10, 2)


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__guide_shared_counter():
    a = pytensor.shared(1)
    values, updates = pytensor.scan(lambda: {a: a+1}, n_steps=10)

    b = a + 1
    c = updates[a] + 1
    f = pytensor.function([], [b, c], updates=updates)

    assert str(b) == "Add.0"
    assert str(c) == "Add.0"
    assert a.get_value() == 1

    assert values is None
    # "b will be 2, c will be 12, while a.value is 11"
    assert [int(v) for v in f()] == [2, 12] and a.get_value() == 11
    # "If we call the function again, b will become 12, c will be 22 and a.value 21"
    assert [int(v) for v in f()] == [12, 22] and a.get_value() == 21


@pytest.mark.rule("SCAN-UPD-3")
def test_scan_upd_3__guide_shared_counter_without_updates():
    a = pytensor.shared(1)
    values, updates = pytensor.scan(lambda: {a: a+1}, n_steps=10)
    b = a + 1
    c = updates[a] + 1
    f = pytensor.function([], [b, c])
    # "a.value will always remain 1, b will always be 2 and c will always be 12"
    for _ in range(3):
        assert [int(v) for v in f()] == [2, 12]
        assert a.get_value() == 1


@pytest.mark.rule("SCAN-TAPS-1", "SCAN-TAPS-3", "SCAN-STRICT-1")
def test_scan_taps_1__guide_recurrent_network():
    def oneStep(u_tm4, u_t, x_tm3, x_tm1, y_tm1, W, W_in_1, W_in_2,  W_feedback, W_out):

        x_t = pt.tanh(pytensor.dot(x_tm1, W) + \
                      pytensor.dot(u_t,   W_in_1) + \
                      pytensor.dot(u_tm4, W_in_2) + \
                      pytensor.dot(y_tm1, W_feedback))
        y_t = pytensor.dot(x_tm3, W_out)

        return [x_t, y_t]

    W = pt.matrix()
    W_in_1 = pt.matrix()
    W_in_2 = pt.matrix()
    W_feedback = pt.matrix()
    W_out = pt.matrix()

    u = pt.matrix() # it is a sequence of vectors
    x0 = pt.matrix() # initial state of x has to be a matrix, since
                    # it has to cover x[-3]
    y0 = pt.vector() # y0 is just a vector since scan has only to provide
                    # y[-1]


    ([x_vals, y_vals], updates) = pytensor.scan(fn=oneStep,
                                                sequences=dict(input=u, taps=[-4,-0]),
                                                outputs_info=[dict(initial=x0, taps=[-3,-1]), y0],
                                                non_sequences=[W, W_in_1, W_in_2, W_feedback, W_out],
                                                strict=True)
         # for second input y, scan adds -1 in output_taps by default

    # "uvals = [0,1,...,8]: scan starts from uvals[4]": five steps; check against numpy
    f = pytensor.function([u, x0, y0, W, W_in_1, W_in_2, W_feedback, W_out], [x_vals, y_vals])
    d = 3
    rng = np.random.default_rng(0)
    uvals = rng.normal(size=(9, d))
    x0v, y0v = rng.normal(size=(3, d)), rng.normal(size=d)
    Ws = [rng.normal(size=(d, d)) * 0.5 for _ in range(5)]
    xs, ys = f(uvals, x0v, y0v, *Ws)
    assert xs.shape == (5, d) and ys.shape == (5, d)
    x_hist, y_prev = list(x0v), y0v
    for t in range(5):
        u_t, u_tm4 = uvals[t + 4], uvals[t]
        x_t = np.tanh(x_hist[-1] @ Ws[0] + u_t @ Ws[1] + u_tm4 @ Ws[2] + y_prev @ Ws[3])
        y_t = x_hist[-3] @ Ws[4]
        np.testing.assert_allclose(xs[t], x_t, rtol=1e-12)
        np.testing.assert_allclose(ys[t], y_t, rtol=1e-12)
        x_hist.append(x_t)
        y_prev = y_t


@pytest.mark.rule("SCAN-UNTIL-1", "SCAN-UNTIL-3")
def test_scan_until_1__guide_powers_of_two():
    def power_of_2(previous_power, max_value):
        return previous_power*2, pytensor.scan.utils.until(previous_power*2 > max_value)

    max_value = pt.scalar()
    values, _ = pytensor.scan(power_of_2,
                              outputs_info = pt.constant(1.),
                              non_sequences = max_value,
                              n_steps = 1024)

    f = pytensor.function([max_value], values)

    np.testing.assert_array_equal(f(45), [2.0, 4.0, 8.0, 16.0, 32.0, 64.0])
