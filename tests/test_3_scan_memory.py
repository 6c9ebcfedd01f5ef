"""Chapter 3, "Memory plan" (SCAN-MEM-1): which rows a compiled function keeps, that the plan
never changes a value, and that the guide's ``A**k`` runs in memory independent of ``k``."""

import gc
import tracemalloc

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.scan import until


def power_loop():
    k = pt.iscalar("k")
    A = pt.vector("A")
    result, updates = pytensor.scan(fn=lambda prior_result, A: prior_result * A,
                                    outputs_info=pt.ones_like(A), non_sequences=A, n_steps=k)
    return A, k, result, updates


def kept(f):
    return [entry.keep for entry in f.storage_plan()]


@pytest.mark.rule("SCAN-MEM-1")
def test_scan_mem_1__the_last_row_keeps_one_row():
    A, k, result, updates = power_loop()
    f = pytensor.function([A, k], result[-1], updates=updates)
    assert kept(f) == [1]
    (entry,) = f.storage_plan()
    assert (entry.name, entry.index, entry.reason) == ("scan_fn", 0, "readers read only final rows")
    assert str(entry) == "scan 'scan_fn' output 0: keep the last 1 row(s) (readers read only final rows)"
    np.testing.assert_array_equal(f([1.0, 2.0, 3.0], 5), [1.0, 32.0, 243.0])


@pytest.mark.rule("SCAN-MEM-1")
def test_scan_mem_1__the_last_three_rows_keep_three():
    A, k, result, updates = power_loop()
    f = pytensor.function([A, k], result[-3:])
    assert kept(f) == [3]
    np.testing.assert_array_equal(f([2.0], 6), [[16.0], [32.0], [64.0]])
    np.testing.assert_array_equal(f([2.0], 2), [[2.0], [4.0]])


@pytest.mark.rule("SCAN-MEM-1")
def test_scan_mem_1__several_final_readers_keep_the_most_rows():
    A, k, result, _ = power_loop()
    f = pytensor.function([A, k], [result[-1], result[-4:], result[-2]])
    assert kept(f) == [4]
    last, last4, second = f([2.0], 6)
    np.testing.assert_array_equal(last, [64.0])
    np.testing.assert_array_equal(last4, [[8.0], [16.0], [32.0], [64.0]])
    np.testing.assert_array_equal(second, [32.0])


@pytest.mark.rule("SCAN-MEM-1")
def test_scan_mem_1__a_positive_index_keeps_every_row():
    A, k, result, _ = power_loop()
    f = pytensor.function([A, k], result[5])
    assert kept(f) == [None]
    np.testing.assert_array_equal(f([2.0], 8), [64.0])


@pytest.mark.rule("SCAN-MEM-1")
def test_scan_mem_1__a_symbolic_index_keeps_every_row():
    A, k, result, _ = power_loop()
    i = pt.iscalar("i")
    f = pytensor.function([A, k, i], result[i])
    assert kept(f) == [None]
    np.testing.assert_array_equal(f([2.0], 8, 5), [64.0])


@pytest.mark.rule("SCAN-MEM-1")
@pytest.mark.parametrize("reader", ["itself", "sum", "mixed"])
def test_scan_mem_1__other_readers_keep_every_row(reader):
    A, k, result, _ = power_loop()
    outputs = {"itself": result, "sum": result.sum(), "mixed": [result[-1], result.sum()]}[reader]
    f = pytensor.function([A, k], outputs)
    assert kept(f) == [None]


@pytest.mark.rule("SCAN-MEM-1")
def test_scan_mem_1__an_output_nothing_reads_keeps_no_row():
    x = pt.vector("x")
    a, b = pytensor.scan(lambda v: (v * 2, v + 1), sequences=x, return_updates=False)
    f = pytensor.function([x], b[-1])
    assert kept(f) == [0, 1]
    assert f([1.0, 2.0]) == 3.0


@pytest.mark.rule("SCAN-MEM-1", "SCAN-UNTIL-2")
def test_scan_mem_1__the_last_row_of_a_while_loop():
    max_value = pt.scalar("max_value")
    values = pytensor.scan(lambda p, m: (p * 2, until(p * 2 > m)), outputs_info=pt.constant(1.0),
                           non_sequences=max_value, n_steps=1024, return_updates=False)
    f = pytensor.function([max_value], values[-1])
    assert kept(f) == [1]
    assert f(45) == 64.0 and f(0.5) == 2.0


@pytest.mark.rule("SCAN-MEM-1")
def test_scan_mem_1__histories_are_unaffected():
    # a multi-tap state reads 3 rows back although only the last row is kept
    m0 = pt.vector("m0")
    fib = pytensor.scan(lambda a, b, c: a + c, outputs_info=dict(initial=m0, taps=[-3, -2, -1]),
                        n_steps=10, return_updates=False)
    f = pytensor.function([m0], fib[-1])
    g = pytensor.function([m0], fib)
    assert kept(f) == [1] and kept(g) == [None]
    assert f([1.0, 1.0, 1.0]) == g([1.0, 1.0, 1.0])[-1]


@pytest.mark.rule("SCAN-MEM-1")
@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_scan_mem_1__values_are_identical_with_and_without_the_plan(n):
    x, h0 = pt.matrix("x"), pt.vector("h0")
    hs, ys = pytensor.scan(lambda row, h: [pt.tanh(h + row), row * 2], sequences=x,
                           outputs_info=[h0, None], return_updates=False)
    data = np.arange(2.0 * n).reshape(n, 2) / 7
    full = pytensor.function([x, h0], [hs, ys])(data, np.ones(2))
    planned = pytensor.function([x, h0], [hs[-2:], ys[-1:]])
    assert kept(planned) == [2, 1]
    got = planned(data, np.ones(2))
    np.testing.assert_array_equal(got[0], full[0][-2:])
    np.testing.assert_array_equal(got[1], full[1][-1:])
    if n == 0:
        with pytest.raises(IndexError):
            pytensor.function([x, h0], hs[-1])(data, np.ones(2))


@pytest.mark.rule("SCAN-MEM-1")
def test_scan_mem_1__updates_read_through_the_plan():
    s = pytensor.shared(np.float64(0.0), name="s")
    x = pt.vector("x")
    out, updates = pytensor.scan(lambda v: (s + v, {s: s + v}), sequences=x)
    f = pytensor.function([x], out[-1], updates=updates)
    assert kept(f) == [1]
    assert f([1.0, 2.0, 3.0]) == 6.0 and s.get_value() == 6.0


def peak_bytes(function, *args):
    gc.collect()
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.rule("SCAN-MEM-1")
@pytest.mark.parametrize("mode", [None, "python"])
def test_scan_mem_1__peak_memory_of_the_guides_power_does_not_grow_with_k(mode):
    A, k, result, updates = power_loop()
    power = pytensor.function(inputs=[A, k], outputs=result[-1], updates=updates, mode=mode)
    everything = pytensor.function(inputs=[A, k], outputs=result, mode=mode)
    a = np.full(1000, 1.0001)  # rows of 8 kB
    power(a, 10)  # warm caches
    small, large = peak_bytes(power, a, 200), peak_bytes(power, a, 2000)
    stored = peak_bytes(everything, a, 2000)
    assert large < 1.5 * small + 64_000, (small, large)
    assert large < 200_000, large  # a few rows, not 2000 * 8 kB
    assert stored > 2000 * 8000 > 50 * large  # the stored trace is what the plan avoids
