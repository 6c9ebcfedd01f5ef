"""Merged numpy-loop calls in blocks (KERN-BIND-4): when the self-check has verified a merged
call on this machine, a block calls the loop once; the C path still equals the Python path
bit for bit; an unverified merge keeps one call per step."""

from __future__ import annotations

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference._cloop import HAVE_CLOOP, dispatch, selfcheck
from reference._cloop.dispatch import same_bits
from reference._cloop.tape import disassemble
from reference.graph.traversal import toposort
from reference.scan.op import ScanOp

pytestmark = [
    pytest.mark.skipif(not HAVE_CLOOP, reason="_cloop not built"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
]
RNG = np.random.default_rng(11)
SPECIALS = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, np.inf, -np.inf, np.nan, 5e-324, -1e-310, 1e300, -3.5, 710.0]


def blocked_program(fn):
    node = [n for n in toposort(fn.computed) if isinstance(n.op, ScanOp)][0]
    assert dispatch.decisions(node.op)["last"].path == "c"
    programs = [v.program for v in dispatch.compiled_programs(node.op) if v.program.block]
    assert programs, "the map did not run in blocks"
    return programs[0]


def both(inputs, outputs, args, **kwargs):
    results = [pytensor.function(inputs, outputs, mode=mode, **kwargs)(*args) for mode in ("python", None)]
    fn = pytensor.function(inputs, outputs, **kwargs)
    got = fn(*args)
    for a, b, c in zip(results[0], results[1], got, strict=True):
        assert same_bits(a, b) and same_bits(a, c)
    return fn


def calls(program):
    """(loop, geometry n) of every numpy-loop call of ``program``."""
    return [(str(program.fns[ins.fn]), program.geoms[ins.geom].n) for ins in program.code
            if ins.op in ("CALL1", "CALL2")]


def with_specials(values, dtype="float64"):
    values = np.array(values, dtype=dtype)
    flat = values.reshape(-1)
    flat[: len(SPECIALS)] = np.array(SPECIALS).astype(dtype)
    flat[-len(SPECIALS):] = np.array(SPECIALS).astype(dtype)
    return values


def polynomial(steps=3000):
    coefficients, x = pt.dvector("coefficients"), pt.dscalar("x")
    components, _ = pytensor.scan(lambda c, p, x: c * (x ** p), outputs_info=None,
                                  sequences=[coefficients, pt.arange(steps)], non_sequences=x)
    return [coefficients, x], [components, components.sum()]


@pytest.mark.rule("KERN-BIND-4")
def test_kern_bind_4__the_polynomial_calls_power_once_per_block():
    inputs, outputs = polynomial()
    for x in (1.0001, 0.1, -2.5, 0.0, np.nan):
        fn = both(inputs, outputs, [with_specials(RNG.standard_normal(2900)), x])
    program = blocked_program(fn)
    text = disassemble(program)
    (call,) = calls(program)
    assert call[0] == "numpy.power[dd->d]"
    verified = any(selfcheck.merge_refused("numpy.power", "dd->d", (8, 8, 8), 1024, apart=apart,
                                           form="power fast path") is None for apart in (False, True))
    if verified:  # numpy 2.4 on x86-64: the merged call and numpy's fast path, in inline opcodes
        assert call[1] == (1, 1, 1024), text
        assert "power fast path: y == 2.0" in text
    else:
        assert call[1] == (1, 1024, 1), text


BINARY = {
    "power": lambda a, b: a ** b,
    "broadcast exponent": lambda a, b: a ** b[0],
    "broadcast base": lambda a, b: b[0] ** a,
}


def maps():
    """(name, step, sequences, non_sequences, go_backwards, dtype): blocked maps over numpy
    loops, with broadcast operands, strided and reversed windows, rows of several elements."""
    yield "exp", lambda c: pt.exp(c), 1, 0, False, "float64"
    yield "exp backwards", lambda c: pt.exp(c), 1, 0, True, "float64"
    yield "log of a column", lambda c: pt.log(c), "column", 0, False, "float64"
    yield "tanh and sin", lambda c, k: pt.tanh(c) * pt.sin(c + k), 1, 1, False, "float64"
    yield "tanh and sin backwards", lambda c, k: pt.tanh(c) * pt.sin(c + k), 1, 1, True, "float32"
    yield "power", lambda c, p: c ** p, 2, 0, False, "float64"
    yield "power backwards", lambda c, p: c ** p, 2, 0, True, "float64"
    yield "power float32", lambda c, p: c ** p, 2, 0, False, "float32"
    yield "power of a broadcast base", lambda p, x: x ** p, 1, 1, False, "float64"
    yield "power to a broadcast exponent", lambda c, k: c ** k, 1, 1, False, "float64"
    yield "exp and power of rows", lambda row, v: pt.exp(row) + v ** row, "rows", "vector", False, "float64"
    yield "log of rows backwards", lambda row: pt.log(row), "rows", 0, True, "float32"


@pytest.mark.rule("KERN-BIND-4")
@pytest.mark.parametrize("case", list(maps()), ids=lambda case: case[0])
def test_kern_bind_4__merged_calls_give_the_python_paths_bits(case):
    _, step, n_seq, n_non, backwards, dtype = case
    steps = 2600
    if n_seq == "rows":
        seqs, values = [pt.matrix("rows", dtype=dtype)], [with_specials(RNG.standard_normal((steps, 3)), dtype)]
    elif n_seq == "column":
        seqs = [pt.matrix("m", dtype=dtype)]
        values = [np.abs(with_specials(RNG.standard_normal((steps, 3)) * 10, dtype))]
    else:
        seqs = [pt.vector(f"s{i}", dtype=dtype) for i in range(n_seq)]
        values = [with_specials(RNG.standard_normal(steps) * 3, dtype) for _ in range(n_seq)]
        if n_seq == 2:  # exponents: the fast path's, integers, halves
            values[1][100:400] = np.resize(np.array([-1, 0, 0.5, 1, 2, 3, -2, 1.5], dtype), 300)
    if n_non == "vector":
        nons, non_values = [pt.vector("v", dtype=dtype)], [np.array([0.5, 2.0, -1.5], dtype)]
    else:
        nons = [pt.scalar(f"k{i}", dtype=dtype) for i in range(n_non)]
        non_values = [np.asarray(v, dtype) for v in (2.0, 0.5)[:n_non]]
    sequences = [seqs[0][:, 1]] if n_seq == "column" else seqs
    out, _ = pytensor.scan(step, sequences=sequences, non_sequences=nons, go_backwards=backwards)
    fn = both(seqs + nons, [out], values + non_values)
    program = blocked_program(fn)
    assert calls(program)


@pytest.mark.rule("KERN-BIND-4")
def test_kern_bind_4__merged_call_geometries():
    """Rows of one element merge into one call of ``block`` elements with the operands'
    block strides (stride 0 when broadcast, negative when reversed); rows of several
    elements merge the block axis with the row, or run it innermost."""
    x, k = pt.dvector("x"), pt.dscalar("k")
    out, _ = pytensor.scan(lambda c, k: pt.tanh(c) ** k, sequences=x, non_sequences=k, go_backwards=True)
    program = blocked_program(both([x, k], [out], [RNG.standard_normal(3000), 3.0]))
    for ins in program.code:
        if ins.op.startswith("CALL"):
            g = program.geoms[ins.geom]
            if g.n == (1, 1, 1024):
                assert g.s[0][2] == 8 and all(s[2] in (8, -8, 0) for s in g.s[1:])
    m, v = pt.dmatrix("m"), pt.dvector("v")
    out, _ = pytensor.scan(lambda row, v: pt.sin(row) + v ** row, sequences=m, non_sequences=v)
    program = blocked_program(both([m, v], [out], [RNG.standard_normal((3000, 4)), np.array([0.5, 2.0, 3.0, 1.5])]))
    for loop, n in calls(program):
        assert n[0] * n[1] in (1, 4, program.block), (loop, n)


@pytest.mark.rule("KERN-BIND-4")
def test_kern_bind_4__an_unverified_merge_keeps_one_call_per_step(monkeypatch):
    monkeypatch.setattr(selfcheck, "merge_refused", lambda *args, **kwargs: "refused by the test")
    inputs, outputs = polynomial()
    fn = both(inputs, outputs, [RNG.standard_normal(2900), 1.0001])
    program = blocked_program(fn)
    assert calls(program) == [("numpy.power[dd->d]", (1, 1024, 1))]
    assert "one call per step" in disassemble(program)
    x = pt.dvector("x")
    out, _ = pytensor.scan(lambda c: pt.exp(c), sequences=x)
    assert calls(blocked_program(both([x], [out], [RNG.standard_normal(2500)]))) == [
        ("numpy.exp[d->d]", (1, 1024, 1))]


@pytest.mark.rule("KERN-BIND-4")
def test_kern_bind_4__a_merge_verified_only_apart_gets_a_result_apart(monkeypatch):
    real = selfcheck.merge_refused

    def apart_only(*args, apart=False, form="call"):
        return real(*args, apart=apart, form=form) if apart else "touching differs (the test)"

    monkeypatch.setattr(selfcheck, "merge_refused", apart_only)
    x, k = pt.dvector("x"), pt.dscalar("k")
    out, _ = pytensor.scan(lambda c, k: pt.exp(c) * k, sequences=x, non_sequences=k)
    program = blocked_program(both([x, k], [out], [RNG.standard_normal(2500), 3.0]))
    (ins,) = [ins for ins in program.code if ins.op == "CALL1"]
    assert program.geoms[ins.geom].n == (1, 1, 1024) and "apart" in ins.note
    dst = program.regs[ins.dst]
    pad = 16
    for reg in program.regs:  # nothing else in the arena within a stride of the result
        if reg.root == ("arena",) and reg.index != dst.index and reg.nbytes:
            assert reg.offset + reg.nbytes + pad <= dst.offset or reg.offset >= dst.offset + dst.nbytes + pad
    assert dst.offset >= pad and dst.offset + dst.nbytes + pad <= program.arena_bytes
    assert all(program.regs[ring.src].index != dst.index or not ring.direct for ring in program.rings)


@pytest.mark.rule("KERN-BIND-4")
def test_kern_bind_4__the_check_refuses_a_merge_that_differs():
    # a varying exponent: numpy's one-element call computes sqrt(-0.0) == -0.0 for (-0.0) ** 0.5,
    # its merged call pow(-0.0, 0.5) == +0.0 (IEEE)
    reason = selfcheck.merge_refused("numpy.power", "dd->d", (8, 8, 8), 1024)
    assert reason is not None and "differs" in reason
    assert selfcheck.merge_refused("numpy.power", "dd->d", (8, 8, 8), 1024, apart=True) is not None
    assert selfcheck.merge_refused("numpy.exp", "d->d", (8, 8), 1024, form="power fast path") is not None
    assert "KERN-BIND-4" in selfcheck.results().summary()
