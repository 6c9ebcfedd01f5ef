"""``python -m reference bench``: per-step time of the C path, the Python path, a hand-written
numpy loop and hand-written C, on the loops of issue 5.  Spec: spec/5-kernel.rst (KERN-PERF).

The C path is timed on both kernel tiers: "C ns/step" is the specialised tier (what a long
loop runs on), "C generic" the interpreter (what short loops run on); see KERN-TIER-2.

Every number is the median over ``--repeat`` runs, in one process, as ns per loop step;
ratios are computed from medians measured in this run.  The hand-written C is compiled
here through cffi with the kernel's flags at ``-O2`` (and calls numpy's own BLAS and
``tanh`` loop where the loop needs them, like the kernel).  ``--peers`` also times
PyTensor's numba and C backends (compared with the C path) and its ``py`` linker, with
and without a C compiler (compared with the Python path; see ``PEER_BACKENDS``), in a
subprocess, when a Python with PyTensor is given (``--peers-python``, default
``/work/venvs/pt/bin/python``), and JAX's ``lax.scan`` under ``jax.jit`` (float64, one
thread; compared with the C path), when a Python with JAX is given (``--jax-python``,
default ``/work/venvs/jax/bin/python``; see ``JAX_SCRIPT``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

HAND_C = r"""
#include <math.h>
#include <stdint.h>
#include <string.h>
typedef void (*loop_fn)(char **, const intptr_t *, const intptr_t *, void *);
typedef void (*gemv_fn)(int, int, int64_t, int64_t, double, const double *, int64_t,
                        const double *, int64_t, double, double *, int64_t);
void powk(double *p, const double *a, int64_t n, int64_t k) {
    for (int64_t t = 0; t < k; t++) for (int64_t i = 0; i < n; i++) p[i] = p[i] * a[i];
}
double running_sum(const double *x, int64_t n) {
    double acc = 0.0;
    for (int64_t t = 0; t < n; t++) acc = acc + x[t];
    return acc;
}
double two_tap(const double *x0, double a, double b, int64_t n) {
    double r[3] = {x0[0], x0[1], x0[2]};
    for (int64_t t = 0; t < n; t++) {
        double v = a * r[(t + 2) % 3] + b * r[t % 3];
        r[t % 3] = v;
    }
    return r[(n + 2) % 3];
}
double polynomial(const double *c, const int64_t *p, double x, int64_t n) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += c[i] * pow(x, (double)p[i]);
    return s;
}
void vec_recur(double *h, const double *a, const double *b, int64_t n, int64_t steps) {
    for (int64_t t = 0; t < steps; t++) for (int64_t i = 0; i < n; i++) h[i] = h[i] * a[i] + b[i];
}
void rnn(double *h, double *t1, double *t2, const double *W, const double *U, const double *b,
         const double *x, int64_t n, int64_t steps, void *gemv, void *tanh_loop, void *tanh_data) {
    intptr_t dims[1] = {n};
    intptr_t st[2] = {8, 8};
    for (int64_t t = 0; t < steps; t++) {
        memset(t1, 0, n * 8);
        memset(t2, 0, n * 8);
        ((gemv_fn)gemv)(101, 111, n, n, 1.0, W, n, h, 1, 0.0, t1, 1);
        ((gemv_fn)gemv)(101, 111, n, n, 1.0, U, n, x + t * n, 1, 0.0, t2, 1);
        for (int64_t i = 0; i < n; i++) t1[i] = t1[i] + t2[i] + b[i];
        char *args[2] = {(char *)t1, (char *)h};
        ((loop_fn)tanh_loop)(args, dims, st, tanh_data);
    }
}
"""

HAND_CDEF = """
void powk(double *p, const double *a, int64_t n, int64_t k);
double running_sum(const double *x, int64_t n);
double two_tap(const double *x0, double a, double b, int64_t n);
double polynomial(const double *c, const int64_t *p, double x, int64_t n);
void vec_recur(double *h, const double *a, const double *b, int64_t n, int64_t steps);
void rnn(double *h, double *t1, double *t2, const double *W, const double *U, const double *b,
         const double *x, int64_t n, int64_t steps, void *gemv, void *tanh_loop, void *tanh_data);
"""


def build_hand_c() -> Any:
    """Compile the hand-written loops (cffi, -O2, the kernel's floating-point flags)."""
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(HAND_CDEF)
    tmp = tempfile.mkdtemp(prefix="reference-bench-")
    ffi.set_source("_hand_loops", HAND_C, extra_compile_args=["-O2", "-ffp-contract=off", "-fno-math-errno"],
                   libraries=["m"])
    path = ffi.compile(tmpdir=tmp, verbose=False)
    import importlib.util

    spec = importlib.util.spec_from_file_location("_hand_loops", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@dataclass
class Workload:
    key: str
    title: str
    steps: int                   # steps of the C path and hand-written C
    slow_steps: int              # steps of the Python path and the numpy loop
    make: Callable[[int], tuple[Callable[[str], Any], list, Callable[[], Any], Callable[[], Any] | None]]
    results: dict[str, float] = field(default_factory=dict)


def _fn(inputs: list, outputs: Any, mode: str | None, updates: Any = None) -> Any:
    import reference as pytensor

    return pytensor.function(inputs, outputs, updates=updates, mode=mode)


def make_power(steps: int) -> Any:
    import reference as pytensor
    import reference.tensor as pt

    k, A = pt.iscalar("k"), pt.vector("A")
    result, updates = pytensor.scan(lambda p, A: p * A, outputs_info=pt.ones_like(A), non_sequences=A, n_steps=k)
    a = np.linspace(0.99995, 1.00005, 10)

    def function(mode: str | None) -> Any:
        return _fn([A, k], result[-1], mode, updates)

    def numpy_loop() -> Any:
        p = np.ones_like(a)
        for _ in range(steps):
            p = p * a
        return p

    def hand(lib: Any, ffi: Any) -> Callable[[], Any]:
        p = np.ones(10)
        pp, pa = ffi.from_buffer("double[]", p), ffi.from_buffer("double[]", a)
        return lambda: (p.fill(1.0), lib.powk(pp, pa, 10, steps))

    return function, [a, steps], numpy_loop, hand


def make_running_sum(steps: int) -> Any:
    import reference as pytensor
    import reference.tensor as pt

    x = pt.dvector("x")
    s, _ = pytensor.scan(lambda xt, acc: acc + xt, sequences=x, outputs_info=pt.constant(np.float64(0)))
    xs = np.random.default_rng(1).standard_normal(steps)

    def function(mode: str | None) -> Any:
        return _fn([x], s[-1], mode)

    def numpy_loop() -> Any:
        acc = np.zeros(())
        for t in range(steps):
            acc = acc + xs[t]
        return acc

    def hand(lib: Any, ffi: Any) -> Callable[[], Any]:
        px = ffi.from_buffer("double[]", xs)
        return lambda: lib.running_sum(px, steps)

    return function, [xs], numpy_loop, hand


def make_two_tap(steps: int) -> Any:
    import reference as pytensor
    import reference.tensor as pt

    x0, a, b = pt.dvector("x0"), pt.dscalar("a"), pt.dscalar("b")
    y, _ = pytensor.scan(lambda x1, x3, a, b: a * x1 + b * x3, outputs_info=dict(initial=x0, taps=[-1, -3]),
                         non_sequences=[a, b], n_steps=steps)
    init = np.array([0.1, 0.2, 0.3])

    def function(mode: str | None) -> Any:
        return _fn([x0, a, b], y[-1], mode)

    def numpy_loop() -> Any:
        hist = [np.asarray(v) for v in init]
        av, bv = np.asarray(0.5), np.asarray(0.49)
        for _ in range(steps):
            hist.append(av * hist[-1] + bv * hist[-3])
            hist.pop(0)
        return hist[-1]

    def hand(lib: Any, ffi: Any) -> Callable[[], Any]:
        p = ffi.from_buffer("double[]", init)
        return lambda: lib.two_tap(p, 0.5, 0.49, steps)

    return function, [init, 0.5, 0.49], numpy_loop, hand


def make_polynomial(steps: int) -> Any:
    import reference as pytensor
    import reference.tensor as pt

    coefficients, x = pt.dvector("coefficients"), pt.dscalar("x")
    components, _ = pytensor.scan(lambda c, p, x: c * (x ** p), outputs_info=None,
                                  sequences=[coefficients, pt.arange(steps)], non_sequences=x)
    c = np.random.default_rng(2).standard_normal(steps)
    powers = np.arange(steps)

    def function(mode: str | None) -> Any:
        return _fn([coefficients, x], components.sum(), mode)

    def numpy_loop() -> Any:
        xv = np.asarray(1.0001)
        out = [c[i] * (xv ** powers[i]) for i in range(steps)]
        return np.sum(out)

    def hand(lib: Any, ffi: Any) -> Callable[[], Any]:
        pc, pp = ffi.from_buffer("double[]", c), ffi.from_buffer("int64_t[]", powers)
        return lambda: lib.polynomial(pc, pp, 1.0001, steps)

    return function, [c, 1.0001], numpy_loop, hand


def make_rnn(hidden: int) -> Callable[[int], Any]:
    def make(steps: int) -> Any:
        import reference as pytensor
        import reference.tensor as pt

        W, U, b, X, h0 = pt.dmatrix("W"), pt.dmatrix("U"), pt.dvector("b"), pt.dmatrix("X"), pt.dvector("h0")
        h, _ = pytensor.scan(lambda xt, h, W, U, b: pt.tanh(pt.dot(W, h) + pt.dot(U, xt) + b),
                             sequences=X, outputs_info=h0, non_sequences=[W, U, b])
        rng = np.random.default_rng(3)
        w = rng.standard_normal((hidden, hidden)) / np.sqrt(hidden)
        u = rng.standard_normal((hidden, hidden)) / np.sqrt(hidden)
        bv = rng.standard_normal(hidden) * 0.1
        xs = rng.standard_normal((steps, hidden))
        start = np.zeros(hidden)

        def function(mode: str | None) -> Any:
            return _fn([W, U, b, X, h0], h[-1], mode)

        def numpy_loop() -> Any:
            hv = start
            for t in range(steps):
                hv = np.tanh(np.dot(w, hv) + np.dot(u, xs[t]) + bv)
            return hv

        def hand(lib: Any, ffi: Any) -> Callable[[], Any]:
            from reference._cloop import pointers

            gemv = ffi.cast("void *", pointers.numpy_blas().symbols["dgemv"])
            fn, data = pointers.ufunc_loop("numpy.tanh", "d->d")
            hv, t1, t2 = np.zeros(hidden), np.zeros(hidden), np.zeros(hidden)
            buf = [ffi.from_buffer("double[]", v) for v in (hv, t1, t2, w, u, bv, xs)]
            return lambda: (hv.fill(0.0), lib.rnn(*buf, hidden, steps, gemv, ffi.cast("void *", fn),
                                                  ffi.cast("void *", data)))

        return function, [w, u, bv, xs, start], numpy_loop, hand
    return make


def make_vector(steps: int) -> Any:
    import reference as pytensor
    import reference.tensor as pt

    a, b, h0 = pt.dvector("a"), pt.dvector("b"), pt.dvector("h0")
    h, _ = pytensor.scan(lambda h, a, b: h * a + b, outputs_info=h0, non_sequences=[a, b], n_steps=steps)
    rng = np.random.default_rng(4)
    av, bv, start = rng.uniform(0.5, 0.9, 1000), rng.standard_normal(1000), np.zeros(1000)

    def function(mode: str | None) -> Any:
        return _fn([a, b, h0], h[-1], mode)

    def numpy_loop() -> Any:
        hv = start
        for _ in range(steps):
            hv = hv * av + bv
        return hv

    def hand(lib: Any, ffi: Any) -> Callable[[], Any]:
        hv = np.zeros(1000)
        buf = [ffi.from_buffer("double[]", v) for v in (hv, av, bv)]
        return lambda: (hv.fill(0.0), lib.vec_recur(*buf, 1000, steps))

    return function, [av, bv, start], numpy_loop, hand


WORKLOADS = [
    ("w1", "A**k, A of length 10, k=1e5, last value", 100_000, 3_000, make_power),
    ("w2", "scalar running sum, 1e6 steps", 1_000_000, 5_000, make_running_sum),
    ("w5", "x[t] = a*x[t-1] + b*x[t-3], 1e6 steps", 1_000_000, 5_000, make_two_tap),
    ("w3", "polynomial, 1e4 coefficients", 10_000, 2_000, make_polynomial),
    ("w4a", "RNN tanh(W h + U x + b), hidden 64, 1e4 steps", 10_000, 1_000, make_rnn(64)),
    ("w4b", "RNN tanh(W h + U x + b), hidden 256, 1e4 steps", 10_000, 500, make_rnn(256)),
    ("w6", "h = h*a + b on vectors of length 1000, 1e4 steps", 10_000, 1_000, make_vector),
]


def median_seconds(fn: Callable[[], Any], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fixed_cost(repeat: int, mode: str | None = None) -> float:
    """Seconds to call a compiled function holding one scan of one scalar step."""
    import reference as pytensor
    import reference.tensor as pt

    x = pt.dscalar("x")
    y, _ = pytensor.scan(lambda h: h + 1.0, outputs_info=x, n_steps=1)
    f = pytensor.function([x], y[-1], mode=mode)
    f(0.0)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(200):
            f(0.0)
        times.append((time.perf_counter() - start) / 200)
    return statistics.median(times)


def run(quick: bool = False, repeat: int = 5, peers: bool = False, peers_python: str | None = None,
        only: list[str] | None = None, out: Any = sys.stdout, jax_python: str | None = None) -> dict:
    from reference import _cloop
    from reference._cloop import selfcheck
    from reference.config import config

    print(f"reference bench: numpy {np.__version__}; {_cloop.kernel_status()}", file=out)
    selfcheck.results()
    hand_ffi = None
    try:
        hand_lib = build_hand_c()
        hand_ffi = hand_lib.ffi
    except Exception as error:  # noqa: BLE001 - no compiler: no hand-written C column
        print(f"hand-written C unavailable: {error}", file=out)
    table = {}
    for key, title, steps, slow, make in WORKLOADS:
        if only and key not in only:
            continue
        if quick:
            steps, slow = max(steps // 20, 100), max(slow // 10, 50)
        row: dict[str, float] = {}
        function, args, _, hand = make(steps)
        _, slow_args, slow_numpy, _ = make(slow)
        # the C path on each tier (KERN-TIER-2): the specialised tier is what long loops get
        for tier, column in (("generic", "c_generic"), ("specialised", "c")):
            with config.change_flags(cloop__tier=tier):
                fc = function(None)
                fc(*args)
                row[column] = median_seconds(lambda f=fc, a=args: f(*a), repeat) / steps
        fp = make(slow)[0]("python")
        row["python"] = median_seconds(lambda f=fp, a=slow_args: f(*a), max(1, repeat // 2)) / slow
        row["numpy"] = median_seconds(slow_numpy, max(1, repeat // 2)) / slow
        if hand_ffi is not None and hand is not None:
            run_hand = hand(hand_lib.lib, hand_ffi)
            row["hand_c"] = median_seconds(run_hand, repeat) / steps
        from reference import explain

        loops = explain(fc).loops
        row["kernel_ran"] = float(bool(loops) and loops[0].path == "c")
        table[key] = row
        print(_format_row(key, title, row), file=out, flush=True)
    cost = fixed_cost(repeat)
    print(f"fixed cost of calling a compiled function holding one scan (1 step): {cost * 1e6:.1f} us"
          f" (Python path: {fixed_cost(repeat, 'python') * 1e6:.1f} us)", file=out)
    result = {"workloads": table, "fixed_cost_s": cost}
    if peers:
        result["peers"] = run_peers(peers_python or "/work/venvs/pt/bin/python", quick, out, only)
        jax_numbers = run_jax(jax_python or JAX_PYTHON, quick, repeat, out, only)
        if jax_numbers:
            result["peers"]["jax"] = jax_numbers
    return result


def _format_row(key: str, title: str, row: dict) -> str:
    def ns(v: float) -> str:
        return f"{v * 1e9:10.1f}"

    parts = [f"{key:4s} {title[:48]:48s}", ns(row["c"]), ns(row["c_generic"]), ns(row["python"]),
             ns(row["numpy"])]
    parts.append(ns(row["hand_c"]) if "hand_c" in row else f"{'-':>10s}")
    parts.append(f"{row['python'] / row['c']:9.0f}x {row['numpy'] / row['c']:7.0f}x")
    parts.append(f"{row['c'] / row['hand_c']:6.2f}" if "hand_c" in row else "     -")
    if not row.get("kernel_ran"):
        parts.append("  (kernel did not run!)")
    return " ".join(parts)


HEADER = (f"{'':4s} {'loop':48s} {'C ns/step':>10s} {'C generic':>10s} {'Py ns':>10s} {'numpy ns':>10s}"
          f" {'handC ns':>10s}"
          f" {'Py/C':>10s} {'np/C':>8s} {'C/handC':>7s}")

PEER_SCRIPT = r"""
import json, sys, time, statistics
import numpy as np
import pytensor, pytensor.tensor as pt
quick = sys.argv[1] == "1"
mode_name = sys.argv[2]
only = sys.argv[3].split(",") if len(sys.argv) > 3 and sys.argv[3] else None
from pytensor.compile.mode import Mode
mode = {"numba": Mode(linker="numba", optimizer="fast_run"),
        "c": Mode(linker="cvm", optimizer="fast_run"),
        "py": Mode(linker="py", optimizer="fast_run"),
        "py-nocxx": Mode(linker="py", optimizer="fast_run")}[mode_name]
python_linker = mode_name.startswith("py")
def med(fn, r=3):
    fn(); ts = []
    for _ in range(r):
        s = time.perf_counter(); fn(); ts.append(time.perf_counter() - s)
    return statistics.median(ts)
out = {}
def power(steps):
    k = pt.iscalar("k"); A = pt.vector("A", dtype="float64")
    r, u = pytensor.scan(lambda p, A: p * A, outputs_info=pt.ones_like(A), non_sequences=A, n_steps=k)
    f = pytensor.function([A, k], r[-1], updates=u, mode=mode)
    a = np.linspace(0.99995, 1.00005, 10)
    return med(lambda: f(a, steps)) / steps
def running(steps):
    x = pt.dvector("x")
    s, _ = pytensor.scan(lambda xt, acc: acc + xt, sequences=x, outputs_info=pt.constant(np.float64(0)))
    f = pytensor.function([x], s[-1], mode=mode)
    xs = np.random.default_rng(1).standard_normal(steps)
    return med(lambda: f(xs)) / steps
def twotap(steps):
    x0 = pt.dvector("x0"); a = pt.dscalar("a"); b = pt.dscalar("b")
    y, _ = pytensor.scan(lambda x1, x3, a, b: a * x1 + b * x3, outputs_info=dict(initial=x0, taps=[-1, -3]), non_sequences=[a, b], n_steps=steps)
    f = pytensor.function([x0, a, b], y[-1], mode=mode)
    return med(lambda: f(np.array([0.1, 0.2, 0.3]), 0.5, 0.49)) / steps
def poly(steps):
    c = pt.dvector("c"); x = pt.dscalar("x")
    comp, _ = pytensor.scan(lambda c, p, x: c * (x ** p), sequences=[c, pt.arange(steps)], non_sequences=x)
    f = pytensor.function([c, x], comp.sum(), mode=mode)
    cv = np.random.default_rng(2).standard_normal(steps)
    return med(lambda: f(cv, 1.0001)) / steps
def rnn(hidden, steps):
    W, U, b, X, h0 = pt.dmatrix("W"), pt.dmatrix("U"), pt.dvector("b"), pt.dmatrix("X"), pt.dvector("h0")
    h, _ = pytensor.scan(lambda xt, h, W, U, b: pt.tanh(pt.dot(W, h) + pt.dot(U, xt) + b), sequences=X, outputs_info=h0, non_sequences=[W, U, b])
    f = pytensor.function([W, U, b, X, h0], h[-1], mode=mode)
    rng = np.random.default_rng(3)
    args = [rng.standard_normal((hidden, hidden)) / np.sqrt(hidden), rng.standard_normal((hidden, hidden)) / np.sqrt(hidden), rng.standard_normal(hidden) * 0.1, rng.standard_normal((steps, hidden)), np.zeros(hidden)]
    return med(lambda: f(*args)) / steps
def vec(steps):
    a, b, h0 = pt.dvector("a"), pt.dvector("b"), pt.dvector("h0")
    h, _ = pytensor.scan(lambda h, a, b: h * a + b, outputs_info=h0, non_sequences=[a, b], n_steps=steps)
    f = pytensor.function([a, b, h0], h[-1], mode=mode)
    rng = np.random.default_rng(4)
    args = [rng.uniform(0.5, 0.9, 1000), rng.standard_normal(1000), np.zeros(1000)]
    return med(lambda: f(*args)) / steps
# the py linker is slow: fewer steps (the times are per step)
d = 20 if quick or python_linker else 1
runs = {"w1": lambda: power(100000 // d), "w2": lambda: running(1000000 // d),
        "w5": lambda: twotap(1000000 // d), "w3": lambda: poly(10000),
        "w4a": lambda: rnn(64, 10000 // d), "w4b": lambda: rnn(256, 10000 // d),
        "w6": lambda: vec(10000 // d)}
base_mode = mode
for key, run in runs.items():
    if only is None or key in only:
        try:
            out[key] = run()
        except OverflowError as error:
            # PyTensor's py linker overflows an int8 constant in the outer graph's fused
            # Composite{minimum(1, n) + 1} (w2, n > 127); the step has nothing to fuse
            if not python_linker:
                raise
            print(f"{key}: {error}; retrying without fusion", file=sys.stderr)
            mode = base_mode.excluding("fusion")
            out[key] = run()
            mode = base_mode
print(json.dumps(out))
"""


#: PyTensor's backends timed by ``--peers``.  ``py`` is ``Mode(linker="py")``: a Python
#: perform for every outer node, but the loop's step is linked by a VM that compiles C
#: thunks when a compiler is configured; ``py-nocxx`` is the same mode with
#: ``PYTENSOR_FLAGS=cxx=``, where every node runs its Python ``perform``.
PEER_BACKENDS = ("numba", "c", "py", "py-nocxx")


def run_peers(python: str, quick: bool, out: Any, only: list[str] | None = None) -> dict:
    """PyTensor's backends (:data:`PEER_BACKENDS`) on the same loops, in a subprocess."""
    results: dict = {}
    if not os.path.exists(python):
        print(f"peers: {python} not found", file=out)
        return results
    for backend in PEER_BACKENDS:
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", NUMBA_NUM_THREADS="1")
        if backend == "py-nocxx":
            env["PYTENSOR_FLAGS"] = "cxx="
        try:
            proc = subprocess.run([python, "-c", PEER_SCRIPT, "1" if quick else "0", backend,
                                   ",".join(only or [])],
                                  capture_output=True, text=True, timeout=3600, env=env)
            results[backend] = json.loads(proc.stdout.strip().splitlines()[-1])
        except Exception as error:  # noqa: BLE001 - report and go on
            print(f"peers: PyTensor {backend} failed: {error}", file=out)
    for backend, numbers in results.items():
        print(f"PyTensor {backend}: " + ", ".join(f"{k} {v * 1e9:.1f} ns/step" for k, v in numbers.items()),
              file=out)
    return results


#: JAX's ``lax.scan`` on the same loops (same sizes, data and step counts as the ``make_*``
#: functions; ``--quick`` divides them like :func:`run`), each step function under
#: ``jax.jit`` with float64 enabled; inputs are placed on the device beforehand, one
#: compiling call precedes the timed ones, and each timed call ends with
#: ``block_until_ready()``.  Prints one JSON line: seconds per step for each workload key.
JAX_SCRIPT = r"""
import json, sys, time, statistics
import numpy as np
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
from jax import lax
quick = sys.argv[1] == "1"
repeat = max(1, int(sys.argv[2]))
only = sys.argv[3].split(",") if len(sys.argv) > 3 and sys.argv[3] else None
def n(steps):
    return max(steps // 20, 100) if quick else steps
def med(f, args):
    args = [jax.device_put(a) for a in args]
    jax.block_until_ready(f(*args))  # compile
    ts = []
    for _ in range(repeat):
        s = time.perf_counter(); jax.block_until_ready(f(*args)); ts.append(time.perf_counter() - s)
    return statistics.median(ts)
def power(steps):
    f = jax.jit(lambda a: lax.scan(lambda p, _: (p * a, None), jnp.ones_like(a), None, length=steps)[0])
    return med(f, [np.linspace(0.99995, 1.00005, 10)]) / steps
def running(steps):
    f = jax.jit(lambda xs: lax.scan(lambda acc, xt: (acc + xt, None), jnp.float64(0), xs)[0])
    return med(f, [np.random.default_rng(1).standard_normal(steps)]) / steps
def twotap(steps):
    def loop(x0, a, b):
        def step(c, _):
            x3, x2, x1 = c
            return (x2, x1, a * x1 + b * x3), None
        return lax.scan(step, (x0[0], x0[1], x0[2]), None, length=steps)[0][2]
    return med(jax.jit(loop), [np.array([0.1, 0.2, 0.3]), np.float64(0.5), np.float64(0.49)]) / steps
def poly(steps):
    def loop(c, x):
        _, comp = lax.scan(lambda carry, cp: (carry, cp[0] * x ** cp[1]), None, (c, jnp.arange(steps)))
        return comp.sum()
    return med(jax.jit(loop), [np.random.default_rng(2).standard_normal(steps), np.float64(1.0001)]) / steps
def rnn(hidden, steps):
    def loop(W, U, b, X, h0):
        return lax.scan(lambda h, xt: (jnp.tanh(W @ h + U @ xt + b), None), h0, X)[0]
    rng = np.random.default_rng(3)
    args = [rng.standard_normal((hidden, hidden)) / np.sqrt(hidden), rng.standard_normal((hidden, hidden)) / np.sqrt(hidden), rng.standard_normal(hidden) * 0.1, rng.standard_normal((steps, hidden)), np.zeros(hidden)]
    return med(jax.jit(loop), args) / steps
def vec(steps):
    def loop(a, b, h0):
        return lax.scan(lambda h, _: (h * a + b, None), h0, None, length=steps)[0]
    rng = np.random.default_rng(4)
    return med(jax.jit(loop), [rng.uniform(0.5, 0.9, 1000), rng.standard_normal(1000), np.zeros(1000)]) / steps
runs = {"w1": lambda: power(n(100000)), "w2": lambda: running(n(1000000)),
        "w5": lambda: twotap(n(1000000)), "w3": lambda: poly(n(10000)),
        "w4a": lambda: rnn(64, n(10000)), "w4b": lambda: rnn(256, n(10000)),
        "w6": lambda: vec(n(10000))}
out = {key: run() for key, run in runs.items() if only is None or key in only}
print(json.dumps(out))
"""

#: The Python that ``--peers`` runs :data:`JAX_SCRIPT` with, unless ``--jax-python`` is given.
JAX_PYTHON = "/work/venvs/jax/bin/python"


def run_jax(python: str, quick: bool, repeat: int, out: Any, only: list[str] | None = None) -> dict:
    """JAX ``lax.scan`` (:data:`JAX_SCRIPT`) on the same loops, in a one-thread subprocess."""
    if not os.path.exists(python):
        print(f"peers: JAX not found at {python}", file=out)
        return {}
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    proc = None
    try:
        proc = subprocess.run([python, "-c", JAX_SCRIPT, "1" if quick else "0", str(repeat),
                               ",".join(only or [])],
                              capture_output=True, text=True, timeout=3600, env=env)
        numbers = json.loads(proc.stdout.strip().splitlines()[-1])
    except Exception as error:  # noqa: BLE001 - report and go on
        tail = proc.stderr.strip().splitlines()[-1:] if proc is not None else []
        print(f"peers: JAX failed: {error} {' '.join(tail)}".rstrip(), file=out)
        return {}
    print("JAX lax.scan: " + ", ".join(f"{k} {v * 1e9:.1f} ns/step" for k, v in numbers.items()), file=out)
    return numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--peers", action="store_true",
                        help="also time PyTensor's numba, C and py backends (py also with cxx=)"
                             " and JAX lax.scan")
    parser.add_argument("--peers-python", default=None, help="a Python with PyTensor installed")
    parser.add_argument("--jax-python", default=None,
                        help=f"a Python with JAX installed, for --peers (default {JAX_PYTHON})")
    parser.add_argument("--only", nargs="*", help="workload keys (w1 w2 w5 w3 w4a w4b w6)")
    parser.add_argument("--json", default=None, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    print(HEADER)
    result = run(args.quick, args.repeat, args.peers, args.peers_python, args.only, jax_python=args.jax_python)
    if args.peers and result.get("peers"):
        print_peer_ratios(result)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    return 0


def print_peer_ratios(result: dict) -> None:
    """PyTensor's compiled backends and JAX against the C path; PyTensor's ``py`` linker
    (``py``, ``py-nocxx``) against the Python path."""
    for backend, numbers in result["peers"].items():
        ours, name = ("python", "Python path") if backend.startswith("py") else ("c", "C path")
        label = "JAX" if backend == "jax" else f"PyTensor {backend}"
        ratios = []
        for key, row in result["workloads"].items():
            if key in numbers:
                ratios.append(f"{key} {numbers[key] / row[ours]:.1f}x")
        print(f"{label} / {name}: " + ", ".join(ratios))
