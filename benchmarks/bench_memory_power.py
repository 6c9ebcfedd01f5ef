"""Peak memory of the seed's A**k loop when only the last value is read (SCAN-MEM-1).

Run: ``python benchmarks/bench_memory_power.py`` (add ``--quick`` to skip k = 10**6).
Prints, for each k, the tracemalloc peak of one call with the storage plan (``result[-1]``)
and, for comparison, of a function returning every row (which must store k rows).
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np

import reference as pytensor
import reference.tensor as pt


def peak_bytes(f, *args) -> tuple[int, float]:
    tracemalloc.start()
    start = time.perf_counter()
    f(*args)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, seconds


def main() -> None:
    k = pt.iscalar("k")
    A = pt.vector("A")
    result, updates = pytensor.scan(fn=lambda prior, A: prior * A, outputs_info=pt.ones_like(A),
                                    non_sequences=A, n_steps=k)
    last = pytensor.function([A, k], result[-1], updates=updates)
    every = pytensor.function([A, k], result)
    print("storage plan of the last-value function:", *last.storage_plan(), sep="\n  ")
    value = np.linspace(0.99999, 1.00001, 10)  # stays finite for a million steps
    last(value, 10)  # warm up: one-time costs (imports, the kernel's lowering) are not the loop's
    every(value, 10)
    sizes = [10**3, 10**5] if "--quick" in sys.argv else [10**3, 10**5, 10**6]
    print(f"{'k':>9} {'peak, last value only':>22} {'peak, all rows':>16} {'ratio':>7}")
    for n in sizes:
        peak_last, seconds = peak_bytes(last, value, n)
        peak_all, _ = peak_bytes(every, value, n) if n <= 10**5 else (None, None)
        all_text = f"{peak_all:>16,}" if peak_all is not None else f"{'(skipped)':>16}"
        ratio = f"{peak_all / peak_last:7.1f}" if peak_all is not None else ""
        print(f"{n:>9,} {peak_last:>22,} {all_text} {ratio}   ({seconds / n * 1e6:.1f} us/step under tracemalloc)")


if __name__ == "__main__":
    main()
