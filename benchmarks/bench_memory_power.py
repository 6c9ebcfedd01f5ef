"""Peak memory of the seed's A**k loop when only the last value is read (SCAN-MEM-1).

Run: ``python benchmarks/bench_memory_power.py`` (add ``--quick`` to skip k = 10**6).
Prints, for each k, the tracemalloc peak of one call with the storage plan (``result[-1]``)
and, for comparison, of a function returning every row (which must store k rows), on the
Python path and on both tiers of the C kernel (the Python path stops at k = 10**5: it takes
about 3 us a step).
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


PATHS = (("Python path", "python", "generic"), ("C, generic tier", None, "generic"),
         ("C, specialised tier", None, "specialised"))


def main() -> None:
    k = pt.iscalar("k")
    A = pt.vector("A")
    result, updates = pytensor.scan(fn=lambda prior, A: prior * A, outputs_info=pt.ones_like(A),
                                    non_sequences=A, n_steps=k)
    value = np.linspace(0.99999, 1.00001, 10)  # stays finite for a million steps
    sizes = [10**3, 10**5] if "--quick" in sys.argv else [10**3, 10**5, 10**6]
    for title, mode, tier in PATHS:  # the loop on each path (KERN-TIER-2 picks the C tier)
        with pytensor.config.change_flags(cloop__tier=tier):
            last = pytensor.function([A, k], result[-1], updates=updates, mode=mode)
            every = pytensor.function([A, k], result, mode=mode)
            if mode is None and title.endswith("generic tier"):
                print("storage plan of the last-value function:", *last.storage_plan(), sep="\n  ")
            last(value, 10)  # warm up: one-time costs (imports, lowering, the tier's compile)
            every(value, 10)  # are not the loop's
            print(f"\n{title}\n{'k':>9} {'peak, last value only':>22} {'peak, all rows':>16} {'ratio':>7}")
            for n in sizes if mode is None else sizes[:2]:
                peak_last, seconds = peak_bytes(last, value, n)
                peak_all, _ = peak_bytes(every, value, n) if n <= 10**5 else (None, None)
                all_text = f"{peak_all:>16,}" if peak_all is not None else f"{'(skipped)':>16}"
                ratio = f"{peak_all / peak_last:7.1f}" if peak_all is not None else ""
                print(f"{n:>9,} {peak_last:>22,} {all_text} {ratio}   "
                      f"({seconds / n * 1e6:.2f} us/step under tracemalloc)")


if __name__ == "__main__":
    main()
