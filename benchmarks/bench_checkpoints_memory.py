"""Peak memory and time of the backward pass: plain scan vs scan_checkpoints (GRAD-CKPT-1).

Run: ``python benchmarks/bench_checkpoints_memory.py`` (``--n 1000`` for a quick run;
``--N`` sets save_every_N, ``--state`` the state size).

A small RNN, ``h[t] = tanh(W h[t-1] + U x[t] + b)`` with a state of 32 and inputs of 8, runs
``n = 10**4`` steps; the cost is ``sum(h[-1]**2)``.  For each form the script compiles
``grad(cost, [W, U, b, h0])`` and measures, with tracemalloc, the peak memory allocated
during one call of the compiled gradient (inputs excluded), and its time without tracemalloc.
Expected from the layout: the plain loop stores its n states (n * 32 * 8 bytes, 2.6 MB at
n = 10**4) and the reverse loop reads them; the checkpointed loop stores n / N chunk ends
and recomputes one chunk of N states at a time.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

import reference as pytensor
import reference.tensor as pt


def rnn_step(xt, h, W, U, b):
    return pt.tanh(pt.dot(W, h) + pt.dot(U, xt) + b)


def build(kind: str, N: int):
    x, h0 = pt.matrix("x"), pt.vector("h0")
    W, U, b = pt.matrix("W"), pt.matrix("U"), pt.vector("b")
    if kind == "scan":
        hs = pytensor.scan(rnn_step, sequences=x, outputs_info=h0, non_sequences=[W, U, b], return_updates=False)
    else:
        hs = pytensor.scan_checkpoints(rnn_step, sequences=x, outputs_info=h0, non_sequences=[W, U, b],
                                       save_every_N=N, return_updates=False)
    cost = (hs[-1] ** 2).sum()
    grads = pytensor.grad(cost, [W, U, b, h0])
    return pytensor.function([x, h0, W, U, b], grads)


def peak_of_call(f, args) -> int:
    tracemalloc.start()
    f(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def seconds_of_call(f, args) -> float:
    start = time.perf_counter()
    f(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**4, help="steps (default 10**4)")
    parser.add_argument("--N", type=int, default=100, help="save_every_N (default 100)")
    parser.add_argument("--state", type=int, default=32, help="state size (default 32)")
    parser.add_argument("--inputs", type=int, default=8, help="input size (default 8)")
    options = parser.parse_args()
    n, N, d, k = options.n, options.N, options.state, options.inputs
    r = np.random.default_rng(0)
    args = [r.normal(size=(n, k)), r.normal(size=d) * 0.1, r.normal(size=(d, d)) / np.sqrt(d),
            r.normal(size=(d, k)) / np.sqrt(k), r.normal(size=d) * 0.1]
    print(f"RNN state {d}, inputs {k}, n = {n:,} steps, save_every_N = {N}; cost sum(h[-1]**2)")
    print(f"one state row: {d * 8} bytes; all n states: {n * d * 8:,} bytes")
    results = {}
    for kind in ("scan", "scan_checkpoints"):
        f = build(kind, N)
        small = [a[: 2 * N] if i == 0 else a for i, a in enumerate(args)]
        f(*small)  # warm up: one-time costs (imports, the kernel's lowering) are not the loop's
        gradients = f(*args)
        seconds = seconds_of_call(f, args)
        peak = peak_of_call(f, args)
        results[kind] = (peak, seconds, gradients)
    same = all(np.allclose(a, b, rtol=1e-10, atol=1e-14) for a, b in zip(results["scan"][2], results["scan_checkpoints"][2], strict=True))
    print(f"{'form':<18} {'peak of the gradient call':>26} {'time':>9}")
    for kind, (peak, seconds, _) in results.items():
        print(f"{kind:<18} {peak:>20,} bytes {seconds:>8.2f}s")
    (p0, t0, _), (p1, t1, _) = results["scan"], results["scan_checkpoints"]
    print(f"ratio plain / checkpoints: memory {p0 / p1:.1f}x, time {t0 / t1:.2f}x")
    print(f"gradients equal (rtol 1e-10): {same}")


if __name__ == "__main__":
    main()
