"""Hypothesis strategies: random scans whose steps use the ops the kernel lowers.

``scan_cases()`` draws a whole loop (sequences with taps, recurrent outputs with taps,
mapped outputs, a shared state, non-sequences, go_backwards, n_steps, until) whose step
is a random expression over the kernel's dtypes (float64, float32, int64, int32, int8,
bool), shapes (scalar, vector, matrix) and ops (elementwise, comparisons, switch, casts,
reductions, dot, matmul, indexing, set/inc_subtensor, dimshuffle), plus the values to run it
on (with NaN, infinities, signed zeros, subnormals, integer extremes).  Used by
``test_5_kernel_property.py`` and the ASan fuzz test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecError

DTYPES = ["float64", "float32", "int64", "int32", "int8", "bool"]
FLOATS = ["float64", "float32"]


@dataclass
class Var:
    var: Any
    dtype: str
    kind: str  # "s" scalar, "v" vector (n,), "m" matrix (m, n)


@dataclass
class ScanCase:
    inputs: list = field(default_factory=list)
    values: list = field(default_factory=list)
    outputs: list = field(default_factory=list)      # what the functions return
    full_outputs: list = field(default_factory=list)  # every trace, for check mode
    updates: Any = None
    shared: list = field(default_factory=list)        # (shared variable, initial value)
    description: str = ""

    def reset(self) -> None:
        for variable, value in self.shared:
            variable.set_value(value.copy())


def element_strategy(dtype: str, wild: bool) -> st.SearchStrategy:
    if dtype == "bool":
        return st.booleans()
    if dtype in FLOATS:
        width = 64 if dtype == "float64" else 32
        tame = st.floats(-3, 3, width=width)
        if not wild:
            return tame
        return st.one_of(tame, st.floats(width=width, allow_nan=True, allow_infinity=True,
                                         allow_subnormal=True),
                         st.sampled_from([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-310, 300.7, -129.5]))
    info = np.iinfo(dtype)
    small = st.integers(-5, 5)
    if not wild:
        return small
    return st.one_of(small, st.integers(int(info.min), int(info.max)),
                     st.sampled_from([int(info.min), int(info.max), 0, -1]))


def array_of(dtype: str, shape: tuple, wild: bool) -> st.SearchStrategy:
    return hnp.arrays(np.dtype(dtype), shape, elements=element_strategy(dtype, wild))


class Builder:
    """Random step expressions over a pool of typed variables."""

    ELEMENTWISE = ["leaf", "unary", "binary", "binary", "compare", "switch", "cast", "clip"]
    ANY = ELEMENTWISE + ["reduce", "dot", "index", "setsub", "shuffle"]

    def __init__(self, draw: Any, n: int, m: int, pool: list[Var], elementwise: bool = False) -> None:
        self.draw, self.n, self.m, self.pool = draw, n, m, pool
        self.choices = self.ELEMENTWISE if elementwise else self.ANY

    def shape(self, kind: str) -> tuple:
        return {"s": (), "v": (self.n,), "m": (self.m, self.n)}[kind]

    def leaf(self) -> Var:
        draw = self.draw
        if self.pool and draw(st.integers(0, 4)) > 0:
            return draw(st.sampled_from(self.pool))
        dtype = draw(st.sampled_from(DTYPES))
        value = draw(array_of(dtype, (), wild=True))
        return Var(pt.constant(value), dtype, "s")

    def expr(self, depth: int) -> Var:
        draw = self.draw
        if depth <= 0:
            return self.leaf()
        choice = draw(st.sampled_from(self.choices))
        try:
            return getattr(self, f"make_{choice}")(depth)
        except (SpecError, TypeError, ValueError, IndexError):
            return self.leaf()

    def wrap(self, out: Any) -> Var:
        """A Var for ``out``: its kind from its static shape; other shapes are summed."""
        kinds = {(): "s", (self.n,): "v", (self.m, self.n): "m"}
        kind = kinds.get(tuple(out.type.shape))
        if kind is None:
            out = out.any() if out.dtype == "bool" else out.sum()
            kind = "s"
        return Var(out, out.dtype, kind)

    def make_leaf(self, depth: int) -> Var:
        return self.leaf()

    def make_unary(self, depth: int) -> Var:
        x = self.expr(depth - 1)
        name = self.draw(st.sampled_from(["neg", "abs", "sign", "floor", "ceil", "exp", "log", "log1p",
                                          "expm1", "sin", "cos", "tan", "tanh", "sqrt", "sigmoid", "erf",
                                          "invert", "round", "identity", "arcsin", "arccos", "arctan",
                                          "sinh", "cosh", "arcsinh", "arccosh", "arctanh", "log2", "log10",
                                          "exp2", "trunc", "erfc", "erfcx", "erfinv", "erfcinv", "gamma",
                                          "gammaln", "psi", "j0", "j1", "i0", "i1", "ndtri_exp"]))
        fn = {"round": pt.round}.get(name) or getattr(pt, name)
        return self.wrap(fn(x.var))

    def pair(self, depth: int) -> tuple[Var, Var]:
        return self.expr(depth - 1), self.expr(depth - 1)

    def make_binary(self, depth: int) -> Var:
        a, b = self.pair(depth)
        name = self.draw(st.sampled_from(["add", "sub", "mul", "true_div", "int_div", "mod", "maximum",
                                          "minimum", "pow", "and_", "or_", "xor", "arctan2", "second"]))
        return self.wrap(getattr(pt, name)(a.var, b.var))

    def make_compare(self, depth: int) -> Var:
        a, b = self.pair(depth)
        name = self.draw(st.sampled_from(["lt", "le", "gt", "ge", "eq", "neq"]))
        return self.wrap(getattr(pt, name)(a.var, b.var))

    def make_switch(self, depth: int) -> Var:
        c, a, b = self.expr(depth - 1), self.expr(depth - 1), self.expr(depth - 1)
        return self.wrap(pt.switch(c.var, a.var, b.var))

    def make_clip(self, depth: int) -> Var:
        x, lo, hi = self.expr(depth - 1), self.leaf(), self.leaf()
        return self.wrap(pt.clip(x.var, lo.var, hi.var))

    def make_cast(self, depth: int) -> Var:
        x = self.expr(depth - 1)
        return self.wrap(pt.cast(x.var, self.draw(st.sampled_from(DTYPES))))

    def make_reduce(self, depth: int) -> Var:
        x = self.expr(depth - 1)
        var = x.var.T if x.kind == "m" and self.draw(st.integers(0, 3)) == 0 else x.var
        kind = self.draw(st.sampled_from(["sum", "prod", "max", "min", "any", "all", "mean"]))
        axes = {0: [None], 1: [None, 0, -1], 2: [None, 0, 1, -1, (0, 1)]}[var.ndim]
        axis = self.draw(st.sampled_from(axes))
        keepdims = self.draw(st.booleans())
        return self.wrap(getattr(pt, kind)(var, axis=axis, keepdims=keepdims))

    def make_dot(self, depth: int) -> Var:
        a, b = self.pair(depth)
        dtype = self.draw(st.sampled_from(FLOATS))
        av, bv = pt.cast(a.var, dtype), pt.cast(b.var, dtype)
        fn = pt.dot if self.draw(st.booleans()) else pt.matmul
        if a.kind == "m" and b.kind == "m":
            bv = bv.T
        elif a.kind == "v" and b.kind == "m":
            av = av[:self.m] if self.draw(st.booleans()) else pt.alloc(av.sum(), self.m)
        elif a.kind == "m" and b.kind == "s":
            av, bv = av.T, pt.alloc(bv, self.m)
        return self.wrap(fn(av, bv))

    def make_index(self, depth: int) -> Var:
        x = self.expr(depth - 1)
        draw = self.draw
        if x.kind == "s":
            return self.wrap(x.var.dimshuffle("x")[0])
        if x.kind == "v":
            choice = draw(st.sampled_from(["elem", "reverse", "slice"]))
            if choice == "elem":
                return self.wrap(x.var[draw(st.integers(-self.n, self.n - 1))])
            if choice == "reverse":
                return self.wrap(x.var[::-1])
            return self.wrap(x.var[1::2])
        i = draw(st.integers(-self.m, self.m - 1))
        j = draw(st.integers(-self.n, self.n - 1))
        choice = draw(st.sampled_from(["row", "col", "elem", "block"]))
        if choice == "row":
            return self.wrap(x.var[i])
        if choice == "elem":
            return self.wrap(x.var[i, j])
        if choice == "col":
            return self.wrap(x.var[:, j])
        return self.wrap(x.var[::-1, ::2])

    def make_setsub(self, depth: int) -> Var:
        x, y = self.expr(depth - 1), self.expr(depth - 1)
        if x.kind == "s":
            raise ValueError("scalar")
        length = self.n if x.kind == "v" else self.m
        i = self.draw(st.integers(-length, length - 1))
        yv = y.var
        if y.kind == "m" or (x.kind == "v" and y.kind == "v"):
            yv = yv.any() if y.dtype == "bool" else yv.sum()
        fn = pt.set_subtensor if self.draw(st.booleans()) else pt.inc_subtensor
        return self.wrap(fn(x.var[i], pt.cast(yv, x.dtype)))

    def make_shuffle(self, depth: int) -> Var:
        x = self.expr(depth - 1)
        if x.kind == "m":
            return self.wrap(x.var.T.T)
        if x.kind == "v":
            return self.wrap(x.var.dimshuffle("x", 0)[0])
        return self.wrap(x.var.dimshuffle("x")[0])

    def coerce(self, x: Var, dtype: str, kind: str) -> Any:
        """``x`` as a ``dtype`` value of ``kind``."""
        var = x.var
        if x.kind != kind:
            if kind == "s":
                var = var.sum() if x.dtype != "bool" else var.any()
            elif kind == "v":
                if x.kind == "m":
                    var = var[0]
                else:
                    var = pt.alloc(var, self.n)
            else:
                var = pt.alloc(var, self.m, self.n)
        var = pt.cast(var, dtype)
        if var.type.shape != tuple(self.shape(kind)) and None in var.type.shape:
            var = pt.specify_shape(var, self.shape(kind))
        return var


@st.composite
def scan_cases(draw: Any, max_depth: int = 4) -> ScanCase:
    n = draw(st.sampled_from([1, 2, 3, 8, 9, 17]))
    m = draw(st.sampled_from([2, 3]))
    wild = draw(st.booleans())
    case = ScanCase()
    pool_specs: list[tuple[str, str]] = []

    # sequences
    seq_specs = []
    for _ in range(draw(st.integers(0, 2))):
        dtype = draw(st.sampled_from(DTYPES))
        kind = draw(st.sampled_from(["s", "v", "m"]))
        taps = draw(st.lists(st.integers(-3, 3), min_size=1, max_size=3, unique=True))
        length = draw(st.integers(0, 9))
        seq_specs.append((dtype, kind, taps, length))
    rec_specs = []
    for _ in range(draw(st.integers(0, 2))):
        dtype = draw(st.sampled_from(DTYPES))
        kind = draw(st.sampled_from(["s", "v", "m"]))
        taps = draw(st.sampled_from([[-1], [-1], [-2], [-1, -3], [-3, -1, -2]]))
        rec_specs.append((dtype, kind, taps))
    n_mapped = draw(st.integers(0 if rec_specs else 1, 2))
    mapped_specs = [(draw(st.sampled_from(DTYPES)), draw(st.sampled_from(["s", "v", "m"]))) for _ in range(n_mapped)]
    nonseq_specs = [(draw(st.sampled_from(DTYPES)), draw(st.sampled_from(["s", "v", "m"])))
                    for _ in range(draw(st.integers(0, 2)))]
    use_shared = draw(st.booleans())
    shared_spec = (draw(st.sampled_from(DTYPES)), draw(st.sampled_from(["s", "v"]))) if use_shared else None
    go_backwards = draw(st.booleans())
    use_until = draw(st.integers(0, 3)) == 0

    def shape_of(kind: str) -> tuple:
        return {"s": (), "v": (n,), "m": (m, n)}[kind]

    sequences, seq_values = [], []
    for i, (dtype, kind, taps, length) in enumerate(seq_specs):
        var = pt.tensor(dtype, (None, *shape_of(kind)), name=f"seq{i}")
        case.inputs.append(var)
        value = draw(array_of(dtype, (length, *shape_of(kind)), wild))
        case.values.append(value)
        seq_values.append(value)
        sequences.append(dict(input=var, taps=taps))
        pool_specs += [(dtype, kind)] * len(taps)
    outputs_info = []
    for i, (dtype, kind, taps) in enumerate(rec_specs):
        depth = -min(taps)
        shape = shape_of(kind) if taps == [-1] else (depth, *shape_of(kind))
        var = pt.tensor(dtype, shape, name=f"init{i}")
        case.inputs.append(var)
        case.values.append(draw(array_of(dtype, shape, wild)))
        outputs_info.append(dict(initial=var, taps=taps) if taps != [-1] else var)
    nonseqs = []
    for i, (dtype, kind) in enumerate(nonseq_specs):
        var = pt.tensor(dtype, shape_of(kind), name=f"ns{i}")
        case.inputs.append(var)
        case.values.append(draw(array_of(dtype, shape_of(kind), wild)))
        nonseqs.append(var)
        pool_specs.append((dtype, kind))
    shared = None
    if shared_spec:
        value = draw(array_of(shared_spec[0], shape_of(shared_spec[1]), wild))
        shared = pytensor.shared(value.copy(), name="state")
        case.shared.append((shared, value))

    available = [max(0, length - (max(max(taps), 0) - min(min(taps), 0))) for _, _, taps, length in seq_specs]
    n_steps_choice = draw(st.sampled_from(["none", "exact", "fewer", "zero", "more"] if seq_specs
                                          else ["exact", "zero"]))
    if n_steps_choice == "none":
        n_steps = None
    else:
        most = min(available) if available else draw(st.integers(1, 9))
        n_steps = {"exact": most, "fewer": max(0, most - 2), "zero": 0, "more": most + 1}[n_steps_choice]
    depth = draw(st.integers(1, max_depth))
    outs_info_full = list(outputs_info) + [None] * len(mapped_specs)
    targets = [(d, k) for d, k, _ in rec_specs] + list(mapped_specs)
    order = draw(st.permutations(range(len(targets))))
    targets = [targets[i] for i in order]
    outs_info_full = [outs_info_full[i] for i in order]
    # the step receives sequence taps, then the recurrent taps in outputs_info order, then
    # the non-sequences
    rec_tap_specs = [(d, k, len(t)) for d, k, t in rec_specs] + [None] * len(mapped_specs)
    n_seq_taps = sum(len(taps) for _, _, taps, _ in seq_specs)
    rec_part = [(rec_tap_specs[i][0], rec_tap_specs[i][1]) for i in order if rec_tap_specs[i] is not None
                for _ in range(rec_tap_specs[i][2])]
    pool_specs[:] = pool_specs[:n_seq_taps] + rec_part + pool_specs[n_seq_taps:]

    def step(*args: Any) -> Any:
        pool = [Var(a, d, k) for a, (d, k) in zip(args, pool_specs, strict=True)]
        if shared is not None:
            pool.append(Var(shared, shared_spec[0], shared_spec[1]))
        builder = Builder(draw, n, m, pool)
        results = [builder.coerce(builder.expr(depth), d, k) for d, k in targets]
        extra: list = []
        if shared is not None:
            extra.append({shared: builder.coerce(builder.expr(depth), *shared_spec)})
        if use_until:
            cond = builder.coerce(builder.expr(depth - 1), draw(st.sampled_from(DTYPES)), "s")
            extra.append(pytensor.scan.utils.until(cond))
        return results + extra

    outs, updates = pytensor.scan(step, sequences=sequences, outputs_info=outs_info_full or None,
                                  non_sequences=nonseqs, n_steps=n_steps, go_backwards=go_backwards,
                                  return_list=True)
    case.full_outputs = list(outs)
    case.updates = updates
    reads = []
    for out in outs:  # "none": the storage plan keeps 0 rows of an output nothing reads
        how = draw(st.sampled_from(["all", "last", "tail", "none"]))
        if how == "last" and n_steps != 0:
            reads.append(out[-1])
        elif how == "tail":
            reads.append(out[-2:])
        elif how == "all":
            reads.append(out)
    case.outputs = reads or list(outs[:1])
    case.description = (f"n={n} m={m} seqs={seq_specs} rec={rec_specs} mapped={mapped_specs} "
                        f"nonseq={nonseq_specs} shared={shared_spec} back={go_backwards} "
                        f"until={use_until} n_steps={n_steps}")
    return case


@st.composite
def map_cases(draw: Any, max_depth: int = 4) -> ScanCase:
    """Loops that only map sequences elementwise (every output mapped, no shared state, no
    until): the kernel may run them in blocks of steps (KERN-BIND-3)."""
    n = draw(st.sampled_from([1, 2, 3, 9]))
    m = draw(st.sampled_from([2, 3]))
    kind = draw(st.sampled_from(["s", "v", "m"]))
    wild = draw(st.booleans())
    shape = {"s": (), "v": (n,), "m": (m, n)}[kind]
    case = ScanCase()
    pool_specs: list[tuple[str, str]] = []
    sequences = []
    for i in range(draw(st.integers(1, 2))):
        dtype = draw(st.sampled_from(DTYPES))
        taps = draw(st.lists(st.integers(-2, 2), min_size=1, max_size=2, unique=True))
        var = pt.tensor(dtype, (None, *shape), name=f"seq{i}")
        case.inputs.append(var)
        case.values.append(draw(array_of(dtype, (draw(st.integers(0, 14)), *shape), wild)))
        sequences.append(dict(input=var, taps=taps))
        pool_specs += [(dtype, kind)] * len(taps)
    nonseqs = []
    for i in range(draw(st.integers(0, 1))):
        dtype = draw(st.sampled_from(DTYPES))
        var = pt.tensor(dtype, shape, name=f"ns{i}")
        case.inputs.append(var)
        case.values.append(draw(array_of(dtype, shape, wild)))
        nonseqs.append(var)
        pool_specs.append((dtype, kind))
    targets = [draw(st.sampled_from(DTYPES)) for _ in range(draw(st.integers(1, 2)))]
    depth = draw(st.integers(1, max_depth))

    def step(*args: Any) -> Any:
        pool = [Var(a, d, k) for a, (d, k) in zip(args, pool_specs, strict=True)]
        builder = Builder(draw, n, m, pool, elementwise=True)
        outs = []
        for dtype in targets:
            x = builder.expr(depth)
            var = x.var if x.kind == kind else x.var + pt.zeros(shape, dtype=x.var.dtype)
            outs.append(pt.cast(var, dtype))
        return outs

    outs, _ = pytensor.scan(step, sequences=sequences, non_sequences=nonseqs,
                            go_backwards=draw(st.booleans()), return_list=True)
    case.full_outputs = list(outs)
    reads = []
    for out in outs:
        how = draw(st.sampled_from(["all", "last", "tail"]))
        reads.append(out[-3:] if how == "tail" else out[-1:] if how == "last" else out)
    case.outputs = reads
    case.description = f"map n={n} m={m} kind={kind} seqs={len(sequences)} targets={targets}"
    return case
