"""Fuzzing the validator and the kernel with hostile programs and inputs (KERN-SAFE-1).

Run under AddressSanitizer and UndefinedBehaviorSanitizer by ``tox -e asan``: any read or
write outside what the program names, or any undefined behaviour in the kernel, aborts the
run there.  In the ordinary build these tests check that whatever the validator accepts
runs, and that hostile loop inputs give the Python path's results or errors.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kernel_programs import scan_cases

import reference as pytensor
import reference.tensor as pt
from reference._cloop import HAVE_CLOOP, dispatch, runtime, validate
from reference._cloop.tape import Geom, Unsupported
from reference.config import config
from reference.graph.traversal import toposort
from reference.scan.op import ScanOp

pytestmark = [
    pytest.mark.skipif(not HAVE_CLOOP, reason="_cloop not built"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
]
F64 = np.float64


def outcome(fn, args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return ("ok", fn(*args))
        except Exception as error:  # noqa: BLE001 - compared between paths
            return ("raised", type(error), str(error).splitlines()[0])


def same_outcome(a, b) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "raised":
        return a[1:] == b[1:]
    x, y = a[1], b[1]
    if isinstance(x, list):
        return all(dispatch.same_bits(p, q) for p, q in zip(x, y, strict=True))
    return dispatch.same_bits(x, y)


@pytest.mark.rule("KERN-SAFE-1")
@pytest.mark.parametrize("name, build, args", [
    ("zero-length sequence",
     lambda: (lambda x: pytensor.scan(lambda a, h: h + a, sequences=x, outputs_info=pt.constant(F64(0)))[0])(pt.dvector("x")),
     [np.zeros(0)]),
    ("huge taps", lambda: pytensor.scan(lambda a, b: a + b, sequences=dict(input=pt.dvector("x"), taps=[-1000, 1000]))[0],
     [np.arange(5.0)]),
    ("huge taps, enough rows", lambda: pytensor.scan(lambda a, b: a + b, sequences=dict(input=pt.dvector("x"), taps=[-300, 200]))[0],
     [np.arange(600.0)]),
    ("n_steps zero", lambda: pytensor.scan(lambda h: h * 2, outputs_info=pt.dvector("h"), n_steps=0)[0], [np.ones(3)]),
    ("empty rows", lambda: pytensor.scan(lambda a, h: h + a.sum(), sequences=pt.dmatrix("x"), outputs_info=pt.constant(F64(0)))[0],
     [np.zeros((4, 0))]),
    ("empty state", lambda: pytensor.scan(lambda h: h * 2 + 1, outputs_info=pt.dvector("h"), n_steps=5)[0], [np.zeros(0)]),
    ("empty matrix product", lambda: pytensor.scan(lambda h, W: pt.dot(W, h), outputs_info=pt.dvector("h"),
                                                   non_sequences=pt.dmatrix("W"), n_steps=3)[0],
     [np.zeros(0), np.zeros((0, 0))]),
    ("deep taps, short initial state", lambda: pytensor.scan(lambda a, b: a + b, outputs_info=dict(initial=pt.dvector("x0"), taps=[-1, -9]),
                                                             n_steps=4)[0], [np.ones(3)]),
    ("until at step 0", lambda: pytensor.scan(lambda h: (h + 1, pytensor.scan.utils.until(h > -1)),
                                              outputs_info=pt.constant(F64(0)), n_steps=10**9)[0], []),
])
@pytest.mark.rule("KERN-TIER-1")
@pytest.mark.parametrize("tier", ["generic", "specialised"])
def test_kern_safe_1__hostile_inputs_give_the_python_paths_outcome(name, build, args, tier):
    out = build()
    inputs = [v for v in pytensor.graph_inputs([out]) if v.owner is None and not isinstance(v, pytensor.Constant)
              and not isinstance(v, pytensor.SharedVariable)]
    python = pytensor.function(inputs, out, mode="python")
    auto = pytensor.function(inputs, out)
    with config.change_flags(cloop__tier=tier):
        assert same_outcome(outcome(python, args), outcome(auto, args)), name


MUTABLE = ["reg_index", "reg_offset", "reg_shape", "reg_stride", "geom_n", "geom_s", "imm", "tap",
           "ring_depth", "ring_src", "until", "flags", "window_stride"]


@pytest.mark.rule("KERN-SAFE-1")
@settings(deadline=None, suppress_health_check=list(HealthCheck))
@given(case=scan_cases(max_depth=3), data=st.data())
def test_kern_safe_1__mutated_programs_are_refused_or_run_safely(case, data):
    auto = pytensor.function(case.inputs, case.full_outputs, updates=case.updates, on_unused_input="ignore")
    case.reset()
    if outcome(auto, case.values)[0] != "ok":
        return
    node = next(n for n in toposort(auto.computed) if isinstance(n.op, ScanOp))
    decision = dispatch.decisions(node.op).get("last")
    if decision is None or decision.path != "c":
        return
    program = clone(decision.program)
    for _ in range(data.draw(st.integers(1, 3))):
        mutate(program, data)
    try:
        validate.check_program(program)
        compiled = runtime.Compiled(program)
    except (validate.InvalidProgram, Unsupported, KeyError, IndexError):
        return
    compiled.prepare(node.op.spec)
    case.reset()
    values = evaluate_outer(auto, node, case)
    prep = runtime.prologue(node.op.spec, values)
    try:
        runtime.run_compiled(compiled, node.op.spec, prep)
    except (validate.InvalidProgram, Unsupported):
        pass


def clone(program):
    """A copy whose registers, code, geometries, rings and windows can be mutated; the
    graph variables it refers to stay shared."""
    new = copy.copy(program)
    for name in ("regs", "code", "geoms", "rings", "windows", "ext_meta", "fns"):
        setattr(new, name, copy.deepcopy(getattr(program, name)))
    new.ext = list(program.ext)
    return new


def evaluate_outer(fn, node, case):
    seen = {}

    def record(n, inputs, outputs):
        if n is node:
            seen["values"] = inputs

    case.reset()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        fn(*case.values, trace=record)
    return seen["values"]


def mutate(program, data) -> None:
    kind = data.draw(st.sampled_from(MUTABLE))
    big = st.one_of(st.integers(-3, 3), st.integers(-2**40, 2**40), st.sampled_from([2**62, -2**62, 8, -8, 64]))
    if kind.startswith("reg") and program.regs:
        reg = data.draw(st.sampled_from(program.regs))
        if kind == "reg_index":
            ins = data.draw(st.sampled_from(program.code)) if program.code else None
            if ins is not None:
                setattr(ins, data.draw(st.sampled_from(["dst", "a", "b", "c"])), data.draw(st.integers(-2, len(program.regs) + 2)))
        elif kind == "reg_offset":
            reg.offset += data.draw(big)
        elif kind == "reg_shape" and reg.shape:
            i = data.draw(st.integers(0, len(reg.shape) - 1))
            reg.shape = tuple(n + data.draw(st.integers(-1, 5)) if j == i else n for j, n in enumerate(reg.shape))
        elif kind == "reg_stride" and reg.strides:
            i = data.draw(st.integers(0, len(reg.strides) - 1))
            reg.strides = tuple(s + data.draw(big) if j == i else s for j, s in enumerate(reg.strides))
    elif kind.startswith("geom") and program.geoms:
        i = data.draw(st.integers(0, len(program.geoms) - 1))
        g = program.geoms[i]
        if kind == "geom_n":
            n = list(g.n)
            n[data.draw(st.integers(0, 2))] += data.draw(st.integers(-1, 2**20))
            program.geoms[i] = Geom(tuple(n), g.s)
        else:
            s = [list(row) for row in g.s]
            s[data.draw(st.integers(0, 3))][data.draw(st.integers(0, 2))] += data.draw(big)
            program.geoms[i] = Geom(g.n, tuple(tuple(row) for row in s))
    elif kind == "imm":
        blas = [ins for ins in program.code if ins.imm]
        if blas:
            ins = data.draw(st.sampled_from(blas))
            imm = list(ins.imm)
            imm[data.draw(st.integers(0, len(imm) - 1))] += data.draw(big)
            ins.imm = tuple(imm)
    elif kind == "tap":
        taps = [r for r in program.regs if r.root[0] == "tap"]
        if taps:
            reg = data.draw(st.sampled_from(taps))
            reg.root = ("tap", reg.root[1], data.draw(st.integers(-50, 3)))
    elif kind == "ring_depth" and program.rings:
        ring = data.draw(st.sampled_from(program.rings))
        ring.depth = max(0, ring.depth + data.draw(st.integers(-2, 2)))
    elif kind == "ring_src" and program.rings:
        ring = data.draw(st.sampled_from(program.rings))
        ring.src = data.draw(st.integers(-1, len(program.regs)))
    elif kind == "until":
        program.until_reg = data.draw(st.integers(-1, len(program.regs)))
    elif kind == "flags" and program.code:
        data.draw(st.sampled_from(program.code)).flags = data.draw(st.integers(0, 3))
    elif kind == "window_stride" and program.windows:
        w = data.draw(st.sampled_from(program.windows))
        if w.row_strides:
            w.row_strides = tuple(s + data.draw(big) for s in w.row_strides)


CANARY = """
import numpy as np
import reference as pytensor, reference.tensor as pt
from reference._cloop import dispatch, runtime
x = pt.dvector("x")
out, _ = pytensor.scan(lambda xt, h: h + xt * 2.0, sequences=x, outputs_info=pt.constant(np.float64(0)))
f = pytensor.function([x], out)
f(np.ones(4))
op = dispatch.decisions  # noqa
from reference.graph.traversal import toposort
from reference.scan.op import ScanOp
op = [n.op for n in toposort(f.computed) if isinstance(n.op, ScanOp)][0]
compiled = [v for v in op.__dict__["_kernel_cache"].values() if isinstance(v, runtime.Compiled)][0]
prep = runtime.prologue(op.spec, [np.ones(4), np.asarray(0.0)])
bundle = runtime.Bundle(compiled)
frame = compiled.frame(op.spec, prep.outer, 4, prep.windows, prep.history, bundle)
plan = compiled.plan(frame, bundle)
seq = prep.outer.sequences[0]
# one row past the end, into ASan's redzone (a far offset may land in another live block)
bundle.seq_base[0] = bundle.seq_base[0] + seq.nbytes  # what the validator exists to prevent
compiled.lib.cloop_run(plan, 0, 4, compiled.ffi.new("cloop_result *"))
print("not detected")
"""


@pytest.mark.rule("KERN-SAFE-1")
def test_kern_safe_1__the_sanitizer_build_catches_an_out_of_bounds_read():
    """Only in ``tox -e asan``: proves the sanitizers are live (a bypassed check aborts)."""
    import os
    import subprocess
    import sys

    from reference._cloop import _kernel

    ldd = subprocess.run(["ldd", _kernel.__file__], capture_output=True, text=True)
    if "libasan" not in ldd.stdout:
        pytest.skip("the kernel is not built with AddressSanitizer (tox -e asan)")
    proc = subprocess.run([sys.executable, "-c", CANARY], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ))
    assert "AddressSanitizer" in proc.stderr and "not detected" not in proc.stdout, proc.stderr[-2000:]
