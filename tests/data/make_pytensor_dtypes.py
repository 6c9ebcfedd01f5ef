"""Generate pytensor_dtypes.json: ground-truth dtypes/static shapes from real PyTensor.

Run with the reference venv:  /work/venvs/pt/bin/python tests/data/make_pytensor_dtypes.py
(PyTensor 3.3.7, numpy 2.x). Each entry is
  {"expr": str, "dtype": str, "shape": [int|None, ...]}  or  {"expr": str, "error": "Type: first line"}.
Non-variable results (tuples/lists of variables, python ints) are recorded with
"dtype": "<python:TYPE>" and "value": repr.
"""
import json
import os
import warnings

import numpy as np
import pytensor
import pytensor.tensor as pt

warnings.simplefilter("ignore")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytensor_dtypes.json")


def make_ns():
    ns = dict(pt=pt, np=np, pytensor=pytensor)
    ns.update(
        b8=pt.bscalar("b8"),
        i16=pt.wscalar("i16"),
        i32=pt.iscalar("i32"),
        i64=pt.lscalar("i64"),
        f32=pt.fscalar("f32"),
        f64=pt.dscalar("f64"),
        u8=pt.scalar("u8", dtype="uint8"),
        bo=pt.scalar("bo", dtype="bool"),
        bv=pt.bvector("bv"),
        iv32=pt.ivector("iv32"),
        iv64=pt.lvector("iv64"),
        fv=pt.fvector("fv"),
        dv=pt.dvector("dv"),
        fm=pt.fmatrix("fm"),
        dm=pt.dmatrix("dm"),
        im=pt.imatrix("im"),
    )
    return ns


def evaluate(expr, ns):
    try:
        r = eval(expr, ns)
    except Exception as e:  # noqa: BLE001
        msg = str(e).strip().splitlines()
        first = msg[0] if msg else ""
        return {"expr": expr, "error": f"{type(e).__name__}: {first}"}
    if isinstance(r, pt.TensorVariable) or hasattr(r, "type") and hasattr(r.type, "dtype"):
        shape = [None if s is None else int(s) for s in r.type.shape]
        out = {"expr": expr, "dtype": str(r.type.dtype), "shape": shape}
        if isinstance(r, pytensor.graph.basic.Constant) and np.size(r.data) <= 8:
            v = np.asarray(r.data)
            out["value"] = repr(v.tolist()) if v.dtype.kind in "biuf" else repr(v)
        return out
    if isinstance(r, (list, tuple)) and all(hasattr(v, "type") for v in r):
        return {
            "expr": expr,
            "dtype": f"<python:{type(r).__name__}>",
            "value": [
                {"dtype": str(v.type.dtype), "shape": [None if s is None else int(s) for s in v.type.shape]}
                for v in r
            ],
        }
    return {"expr": expr, "dtype": f"<python:{type(r).__name__}>", "value": repr(r)}


# ---------------------------------------------------------------- expressions
E = []

# 1. literal conversion
py_lits = [
    "0", "127", "128", "255", "256", "32767", "32768", "65535", "65536",
    "2**31-1", "2**31", "2**32", "2**63-1", "2**63", "2**64",
    "-1", "-128", "-129", "-32769", "-(2**31)", "-(2**31)-1",
    "True", "False",
    "1.0", "0.5", "0.1", "3.4e38", "1e40", "1e-50", "float('inf')", "float('-inf')", "float('nan')", "-0.0",
    "1j", "None", "'a'",
    "[1,2]", "[1.0, 2.5]", "[0.1]", "[[1,2],[3,4]]", "[True, False]", "[1, 2.5]", "[1, True]", "[]",
    "[300, 70000]", "[2**40]", "(1, 2)", "[[1,2],[3]]",
]
for lit in py_lits:
    E.append(f"pt.as_tensor_variable({lit})")
    E.append(f"pt.constant({lit})")
E += [
    "pt.as_tensor_variable(1, ndim=1)",
    "pt.as_tensor_variable([1,2], ndim=2)",
    "pt.constant(1, dtype='float32')",
    "pt.constant(0.1, dtype='float32')",
    "pt.constant(300, dtype='int8')",
    "pt.constant(1.5, dtype='int32')",
    "pt.constant([1,2], ndim=1)",
    "pt.constant(5, ndim=1)",
    "pt.as_tensor_variable(0.1, dtype='float32')",
    "pt.as_tensor_variable(np.float64(0.1), dtype='float32')",
]
np_dtypes = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
             "float16", "float32", "float64", "complex64", "complex128"]
for d in np_dtypes:
    E.append(f"pt.as_tensor_variable(np.asarray(1, '{d}'))")
    E.append(f"pt.as_tensor_variable(np.{d}(1))" if d != "bool" else "pt.as_tensor_variable(np.bool_(True))")
    E.append(f"pt.constant(np.zeros((2, 3), '{d}'))")
    E.append(f"pt.as_tensor_variable(np.zeros((1, 3), '{d}'))")
E += [
    "pt.as_tensor_variable(np.zeros((0,)))",
    "pt.as_tensor_variable(np.arange(3))",
    "pt.as_tensor_variable([np.float32(1), np.float32(2)])",
    "pt.as_tensor_variable([f32, i32])",
    "pt.as_tensor_variable([i32, i32])",
    "pt.as_tensor_variable([f64, 1])",
    "pt.as_tensor_variable((f32, 1.5))",
    "pt.as_tensor_variable([bo, 1])",
    "pt.as_tensor_variable(fv.shape)",
    "pt.as_tensor_variable([fv.shape[0], 2])",
]

# 2. binary ops with python scalars / numpy scalars
vars_all = ["b8", "i16", "i32", "i64", "u8", "bo", "f32", "f64", "bv", "iv32", "iv64", "fv", "dv"]
scalars = ["1", "2", "-1", "1.5", "2.5", "300", "70000", "2**40", "0.5", "0.1", "1e40", "True",
           "np.int8(2)", "np.int64(2)", "np.float32(0.5)", "np.float64(0.5)", "np.int32(2)",
           "np.asarray(2, 'int8')", "np.asarray(0.5, 'float32')"]
ops = ["+", "-", "*", "/", "//", "%", "**"]
for v in vars_all:
    for s in scalars:
        for op in ops:
            E.append(f"{v} {op} {s}")
# reversed
for v in ["b8", "i32", "u8", "bo", "f32", "iv32", "fv", "bv"]:
    for s in ["2", "0.5", "300", "np.float64(0.5)", "np.int64(2)"]:
        for op in ["+", "-", "/", "//", "**"]:
            E.append(f"{s} {op} {v}")
# var vs var
for a in vars_all:
    for b in vars_all:
        for op in ops:
            E.append(f"{a} {op} {b}")
# examples named explicitly in the brief (most are also generated above)
E += ["fv * 2", "fv * 2.5", "fv * 0.1", "iv32 / 2", "iv32 // 2", "b8 * 300", "i32 + 1.5", "bo + bo", "bo * 2",
      "u8 - 1", "iv32 ** 2", "iv32 ** 0.5", "fv ** 2", "i64 / i64", "bv / bv", "i16 / 2", "bo - bo", "bo * bo",
      "bo / bo", "bo // bo", "bo % bo", "bo ** bo", "-bo", "u8 - u8", "u8 * u8", "bo + True", "i32 + True",
      "iv32 * 2**40", "iv32 + 2**63", "iv32 + 2**64", "f32 + 2**24", "f32 + 16777217", "fv * np.float16(2)"]
E += ["fm @ dm", "fm @ fv", "im @ im", "dv @ dv", "fv @ fm", "fm @ fm", "iv32 @ fv",
      "fm + fv", "dm * iv32", "im / 2", "im // 2", "fm.T", "dm + 1"]

# 3. unary ops
unary = ["abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "erf", "softplus",
         "log1p", "expm1", "floor", "ceil", "round", "sign", "neg", "sqr", "reciprocal",
         "trunc", "isnan", "isinf", "gammaln", "exp2", "log2", "deg2rad", "square", "iround",
         "erfinv", "tan", "arctan", "cosh", "special.logit", "special.log_softmax", "special.softmax",
         "log10", "arcsin", "sinh", "gamma", "psi", "erfc", "log1mexp", "conj", "angle"]
for u in unary:
    for v in ["b8", "i16", "i32", "i64", "u8", "bo", "f32", "f64", "iv32", "bv"]:
        E.append(f"pt.{u}({v})")
for v in ["bo", "b8", "u8", "i32", "f32", "iv32", "bv"]:
    E += [f"-{v}", f"abs({v})", f"~{v}", f"pt.invert({v})"]
E += ["pt.round(f32, mode='half_to_even')", "pt.round(f32, mode='half_away_from_zero')",
      "pt.round(i32, mode='half_to_even')", "pt.sign(0)", "pt.exp(1)", "pt.exp(1.0)",
      "pt.sqrt(2)", "pt.sqrt(np.int8(2))", "pt.exp(np.float32(1))", "pt.log(True)"]

# 4. comparisons / logic
for a, b in [("i32", "2"), ("f32", "0.5"), ("fv", "dv"), ("bo", "bo"), ("iv32", "2.5"), ("u8", "-1"),
             ("b8", "300"), ("fv", "1e40"), ("bo", "1")]:
    for op in ["<", "<=", ">", ">=", "==", "!="]:
        E.append(f"{a} {op} {b}" if op not in ("==", "!=") else f"pt.{'eq' if op == '==' else 'neq'}({a}, {b})")
E += ["fv == fv", "fv != fv", "pt.eq(fv, 1)", "pt.isclose(fv, dv)", "pt.allclose(fv, dv)"]
for a, b in [("bo", "bo"), ("i32", "i32"), ("b8", "i32"), ("bo", "i32"), ("bv", "iv32"), ("bo", "True"),
             ("i32", "3"), ("u8", "1"), ("f32", "f32"), ("bo", "1"), ("b8", "300")]:
    for f in ["and_", "or_", "xor", "bitwise_and"]:
        E.append(f"pt.{f}({a}, {b})")
    for op in ["&", "|", "^"]:
        E.append(f"{a} {op} {b}")
E += ["pt.invert(bo)", "pt.invert(i32)", "pt.invert(u8)", "pt.invert(f32)", "pt.bitwise_not(bo)",
      "pt.lt(bo, 1)", "pt.lt(i32, np.float32(1.5))"]

# 5. misc elementwise
E += [
    "pt.maximum(iv32, 1.5)", "pt.maximum(iv32, 2)", "pt.maximum(bv, 300)", "pt.maximum(fv, dv)",
    "pt.maximum(bo, bo)", "pt.minimum(u8, -1)", "pt.maximum(fv, 0.1)", "pt.maximum(fv, np.float64(0.1))",
    "pt.switch(bo, iv32, fv)", "pt.switch(bo, i32, f32)", "pt.switch(bo, bv, 300)", "pt.switch(bo, 1, 2)",
    "pt.switch(bo, 1, 2.5)", "pt.switch(i32, fv, 0)", "pt.switch(fv > 0, fv, 0.0)", "pt.switch(bo, b8, u8)",
    "pt.where(bo, iv32, fv)", "pt.where(fv > 0)", "pt.cast(fv, 'int32')", "pt.cast(iv32, 'float32')",
    "pt.cast(bo, 'int8')", "pt.cast(fv, 'bool')", "pt.cast(3, 'int8')", "pt.cast(fv, 'float64')",
    "pt.cast(fv, 'floatX')", "fv.astype('int64')", "iv32.astype('float32')",
    "pt.clip(iv32, 0, 5)", "pt.clip(iv32, 0.5, 5)", "pt.clip(bv, 0, 300)", "pt.clip(fv, 0, 1)",
    "pt.clip(fv, 0.0, 1.0)", "pt.clip(fv, np.float64(0), 1)", "pt.clip(u8, -1, 5)",
    "pt.true_div(i32, i32)", "pt.int_div(f32, f32)", "pt.int_div(i32, 2)", "pt.mod(f32, 2)",
    "pt.pow(i32, i32)", "pt.pow(i32, -1)", "pt.pow(bo, bo)", "pt.pow(u8, 2)", "pt.power(iv32, 2)",
    "pt.add(bo, bo)", "pt.mul(bo, bo)", "pt.sub(bo, bo)", "pt.add(i32, f32, f64)", "pt.add(b8, u8)",
    "pt.add(i16, u8)", "pt.add(i64, f32)", "pt.add(i32, f32)", "pt.add(i16, f32)", "pt.add(b8, f32)",
    "pt.add(iv64, fv)", "pt.add(bv, fv)", "pt.add(u8, i16)",
    "pt.real(f32)", "pt.sqr(bo)", "pt.abs(u8)", "pt.arctan2(i32, i32)", "pt.arctan2(f32, i32)",
    "pt.outer(fv, dv)", "pt.dot(fv, dv)", "pt.dot(iv32, iv32)", "pt.dot(fm, fv)", "pt.dot(bv, bv)",
    "pt.dot(fv, iv32)", "pt.dot(fm, dm)", "pt.dot(im, fm)", "pt.dot(f32, fv)", "pt.dot(fv, 2)",
    "pt.dot(dm, dm)", "pt.tensordot(fm, dm, 1)", "pt.matmul(fm, dm)", "pt.matmul(fv, fv)",
]

# 6. reductions
red_vars = ["bv", "iv32", "iv64", "bo", "u8", "b8", "i32", "fv", "dv", "fm", "im"]
for r in ["sum", "prod", "mean", "max", "min", "argmax", "argmin", "any", "all", "var", "std"]:
    for v in red_vars:
        E.append(f"pt.{r}({v})")
E += [
    "pt.vector(dtype='uint8').sum()", "pt.vector(dtype='uint16').sum()", "pt.vector(dtype='uint32').sum()",
    "pt.vector(dtype='uint64').sum()", "pt.vector(dtype='bool').sum()", "pt.vector(dtype='int16').sum()",
    "pt.vector(dtype='float16').sum()", "pt.vector(dtype='float16').mean()", "pt.vector(dtype='uint8').prod()",
    "pt.vector(dtype='bool').prod()", "pt.vector(dtype='bool').mean()", "pt.vector(dtype='bool').max()",
    "pt.sum(bv, dtype='int8')", "pt.sum(fv, dtype='float64')", "pt.sum(fv, acc_dtype='float64')",
    "pt.sum(iv32, dtype='float32')", "pt.mean(iv32, dtype='float32')", "pt.mean(bv, acc_dtype='float32')",
    "pt.sum(fm, axis=0)", "pt.sum(fm, axis=1)", "pt.sum(fm, axis=-1, keepdims=True)", "pt.sum(fm, axis=(0, 1))",
    "pt.mean(fm, axis=0)", "pt.max(fm, axis=0)", "pt.argmax(fm, axis=0)", "pt.argmax(fm, axis=None)",
    "pt.argmax(fm, axis=1, keepdims=True)", "pt.max(fm, axis=1, keepdims=True)", "pt.any(fm, axis=0)",
    "pt.sum(fm, axis=2)", "pt.cumsum(bv)", "pt.cumsum(iv32)", "pt.cumsum(bo)", "pt.cumsum(fv)",
    "pt.cumprod(bv)", "pt.cumsum(fm)", "pt.cumsum(fm, axis=0)", "pt.cumsum(pt.vector(dtype='bool'))",
    "pt.cumsum(pt.vector(dtype='uint8'))", "fv.sum()", "fv.mean()", "iv32.sum()", "iv32.mean()",
    "bv.sum()", "bv.prod()", "fv.max()", "fv.argmax()", "iv32.any()", "fm.sum(axis=0)",
    "pt.max_and_argmax(fv)" if hasattr(pt, "max_and_argmax") else "pt.max(fv)",
    "pt.sum(pt.as_tensor_variable(np.zeros((2, 3))), axis=0)", "pt.sum(pt.zeros((2, 3)), axis=1)",
    "pt.argsort(fv)", "pt.sort(fv)", "pt.logsumexp(fv)", "pt.logsumexp(iv32)",
]

# 7. constructors / shape ops
E += [
    "pt.arange(3)", "pt.arange(i32)", "pt.arange(0., 1., 0.1)", "pt.arange(f32)", "pt.arange(1, 10, 2)",
    "pt.arange(b8)", "pt.arange(u8)", "pt.arange(i64)", "pt.arange(f64)", "pt.arange(0, 5, 0.5)",
    "pt.arange(3, dtype='float32')", "pt.arange(np.int32(3))", "pt.arange(np.int8(3))", "pt.arange(bo)",
    "pt.arange(i32, i64)", "pt.arange(300)", "pt.arange(0, i32, 2)", "pt.arange(2**40, 2**40 + 3)",
    "pt.arange(np.float32(3))",
    "pt.zeros((2,3))", "pt.zeros(i32)", "pt.zeros(3)", "pt.zeros((i32, 3))", "pt.zeros((2, 3), dtype='int32')",
    "pt.zeros(())", "pt.zeros([])", "pt.ones((2,))", "pt.zeros_like(iv32)", "pt.ones_like(iv32)",
    "pt.ones_like(fm)", "pt.zeros_like(bo)", "pt.zeros_like(fv, dtype='int8')", "pt.ones_like(np.zeros(3))",
    "pt.zeros(fv.shape)", "pt.zeros((fv.shape[0], 2))", "pt.zeros(np.int64(3))", "pt.zeros(i16)",
    "pt.eye(3)", "pt.eye(3, 4)", "pt.eye(i32)", "pt.eye(3, dtype='int32')", "pt.identity_like(fm)",
    "pt.full((2,), 3)", "pt.full((2,), 3.5)", "pt.full((2, 3), f32)", "pt.full((2,), 3, dtype='int8')",
    "pt.full((2,), np.float32(1))", "pt.full(i32, 1)", "pt.full_like(fv, 2)", "pt.full_like(iv32, 2.5)",
    "pt.alloc(0.0, 3)", "pt.alloc(0, 3)", "pt.alloc(f32, 2, 3)", "pt.alloc(fv, 2, 3)", "pt.alloc(fv, 2, 1)",
    "pt.alloc(0.0, i32)", "pt.alloc(np.float32(0), 3)", "pt.alloc(fv, 3)",
    "pt.empty((2, 3))", "pt.fill(fv, 2)", "pt.second(fv, 2)",
    "pt.concatenate([iv32, fv])", "pt.concatenate([fv, dv])", "pt.concatenate([iv32, bv])",
    "pt.concatenate([[1, 2], fv])", "pt.concatenate([fm, dm])", "pt.concatenate([fm, dm], axis=1)",
    "pt.concatenate([pt.zeros((2, 3)), pt.zeros((4, 3))])", "pt.concatenate([pt.zeros((2, 3)), dm])",
    "pt.concatenate([fv, fm])", "pt.concatenate([bo, bo])",
    "pt.stack([f32, i32])", "pt.stack([i32, i32])", "pt.stack([f32, f64])", "pt.stack([fv, dv])",
    "pt.stack([fv, dv], axis=1)", "pt.stack([1, 2])", "pt.stack([bo, i32])", "pt.stack([i32, 1.5])",
    "pt.stack([fv, iv32, bv])", "pt.stack([pt.zeros(3), pt.zeros(3)])", "pt.stack([])",
    "pt.join(0, fv, dv)", "pt.horizontal_stack(fv, dv)", "pt.vertical_stack(fm, dm)",
    "pt.tile(fv, 2)", "pt.repeat(fv, 2)", "pt.roll(fv, 1)", "pt.flip(fv)",
    "fv.shape", "fv.shape[0]", "fm.shape", "fm.shape[-1]", "pt.shape(fv)", "fv.size", "fv.ndim", "fm.ndim",
    "pt.zeros((2, 3)).shape", "pt.zeros((2, 3)).shape[0]", "fm.T", "dm.T", "pt.transpose(fm)",
    "pt.zeros((2, 3)).T", "fm.dimshuffle(1, 0)", "fm.dimshuffle('x', 0, 1)", "fv.dimshuffle(0, 'x')",
    "fm.reshape((-1,))", "fm.flatten()", "fm.reshape((2, -1))", "fv.reshape((2, 3))", "fm.reshape((6,))",
    "pt.zeros((2, 3)).reshape((-1,))", "pt.zeros((2, 3)).reshape((3, 2))", "pt.zeros((2, 3)).flatten()",
    "fm.reshape((i32, -1))", "fm.ravel()", "pt.flatten(fm, ndim=1)", "fv.reshape((1, -1))",
    "pt.expand_dims(fv, 0)", "pt.squeeze(fv[None])", "pt.specify_shape(fv, (3,))",
    "pt.specify_shape(fm, (None, 4))", "pt.broadcast_to(fv, (2, 3))", "pt.broadcast_to(f32, (2, 3))",
    "pt.zeros((2, 1)) + pt.zeros((1, 3))", "pt.zeros((2, 1)) + dv", "pt.zeros((3,)) + dv",
    "pt.zeros((2, 3)) + pt.zeros((4, 3))", "pt.vector(shape=(1,)) + dv", "pt.vector(shape=(3,)) + dv",
    "pt.vector(shape=(3,)) + pt.vector(shape=(4,))", "pt.matrix(shape=(1, None)) + dm",
    "pt.vector(shape=(None,))", "pt.vector()", "pt.matrix()", "pt.tensor(dtype='int32', shape=(2, None))",
    "pt.tensor3()", "pt.scalar()", "pt.vector(dtype='int64')", "pt.row()", "pt.col()", "pt.tensor(shape=(1,))",
    "pt.vector(shape=(1,)) + 1", "pt.vector(shape=(1,)) * dv",
    # indexing
    "dv[1:3]", "dv[None]", "dm[0]", "dm[:, 0]", "dv[0]", "dv[-1]", "dv[i32]", "dv[iv32]", "dv[[0, 2]]",
    "dv[dv > 0]", "dm[dm > 0]", "dm[0, 1]", "dm[:, None]", "dm[..., 0]", "dm[1:, ::2]", "dv[::-1]",
    "dv[i32:]", "dm[iv32]", "dm[iv32, 0]", "dm[[0, 1], [1, 0]]", "dv[2.0]", "dv[f32]", "dv[bv]",
    "dv[np.int64(1)]", "dv[fv]", "pt.zeros((5, 4))[1:3]", "pt.zeros((5, 4))[1:3, 0]", "pt.zeros((5, 4))[0]",
    "pt.zeros((5, 4))[::2]", "pt.zeros((5, 4))[:, None]", "pt.zeros((5, 4))[[0, 1]]", "pt.zeros((5, 4))[-1]",
    "pt.zeros((5,))[1:10]", "pt.zeros((5,))[i32:]", "pt.zeros((5,))[5:]", "pt.constant([1, 2, 3])[0]",
    "dv[dv]", "dv[bo]", "dv[[True, False, True]]", "pt.zeros((5,))[[True, False, True, False, True]]",
    "pt.set_subtensor(dv[1:], 5)", "pt.set_subtensor(dv[1:], 5.5)", "pt.set_subtensor(iv32[1:], 5.5)",
    "pt.inc_subtensor(dv[[0, 0]], 1)", "pt.inc_subtensor(iv32[0], 1.5)", "pt.set_subtensor(fv[0], f64)",
    "pt.set_subtensor(fv[0], 0.1)", "pt.set_subtensor(bv[0], 300)", "pt.inc_subtensor(fv[iv32], dv)",
    "pt.set_subtensor(fv[0], fv)", "pt.set_subtensor(f32, 1)",
    "pt.take(dv, iv32)", "pt.diag(fm)", "pt.diag(fv)", "pt.trace(fm)", "pt.tril(fm)", "pt.triu(fm)",
    "pt.nonzero(fv)", "pt.flatnonzero(fv)", "pt.shape_padleft(fv)", "pt.shape_padright(fv, 2)",
    "pt.linspace(0, 1, 5)" if hasattr(pt, "linspace") else "pt.arange(5)",
    "pt.concatenate([pt.zeros(2), pt.zeros(3)])", "pt.stack([pt.zeros((2,)), dv])",
    "pt.constant(np.zeros((2, 3)))[0]", "pt.swapaxes(fm, 0, 1)", "pt.moveaxis(fm, 0, 1)",
]

# dedupe preserving order
seen = set()
EXPRS = []
for e in E:
    if e not in seen:
        seen.add(e)
        EXPRS.append(e)

FLOATX32 = [
    "pt.vector()", "pt.scalar()", "pt.matrix()", "pt.as_tensor_variable(0.1)", "pt.as_tensor_variable(1.0)",
    "pt.as_tensor_variable(1e40)", "pt.constant(0.5)", "pt.as_tensor_variable([0.1, 0.2])",
    "pt.as_tensor_variable(np.float64(0.1))", "pt.as_tensor_variable(np.asarray([0.1]))",
    "pt.arange(0., 1., 0.1)", "pt.arange(3)", "pt.arange(f64)", "iv32 / 2", "i32 / i32", "i64 / 2",
    "bv / bv", "b8 / 2", "i16 / i16", "u8 / 2", "pt.mean(iv32)", "pt.mean(bv)", "pt.mean(iv64)",
    "pt.mean(fv)", "pt.mean(dv)", "fv * 0.1", "fv * 1e40", "iv32 * 0.5", "i32 + 1.5", "i64 + 0.5",
    "fv + np.float64(0.5)", "iv32 ** 0.5", "pt.sqrt(i32)", "pt.exp(iv32)", "pt.exp(i64)", "pt.exp(bv)",
    "pt.sigmoid(i32)", "pt.zeros((2,3))", "pt.ones(3)", "pt.eye(3)", "pt.alloc(0.0, 3)", "pt.full((2,), 3.5)",
    "pt.cast(iv32, 'floatX')", "pt.cast(iv32, pytensor.config.floatX)", "pt.var(iv32)",
    "pt.linspace(0, 1, 5)" if hasattr(pt, "linspace") else "pt.arange(5)",
]


def main():
    results = []
    for e in EXPRS:
        results.append(evaluate(e, make_ns()))
    fx = []
    with pytensor.config.change_flags(floatX="float32"):
        for e in FLOATX32:
            fx.append(evaluate(e, make_ns()))
    data = {
        "pytensor_version": pytensor.__version__,
        "numpy_version": np.__version__,
        "floatX_default": pytensor.config.floatX,
        "entries": results,
        "floatX_float32": fx,
    }
    # one entry per line: compact and diff-friendly, still plain JSON
    def dump_list(lst):
        return "[\n" + ",\n".join("  " + json.dumps(e) for e in lst) + "\n ]"
    head = {k: v for k, v in data.items() if not isinstance(v, list)}
    parts = ["{"]
    for k, v in head.items():
        parts.append(f" {json.dumps(k)}: {json.dumps(v)},")
    parts.append(f' "entries": {dump_list(results)},')
    parts.append(f' "floatX_float32": {dump_list(fx)}')
    parts.append("}")
    with open(OUT, "w") as f:
        f.write("\n".join(parts) + "\n")
    print(f"wrote {len(results)} entries + {len(fx)} floatX_float32 entries to {OUT}")


if __name__ == "__main__":
    main()
