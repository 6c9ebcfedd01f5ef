"""The dtype and static shape of ~4400 expressions, against PyTensor 3.3.7.

``tests/data/pytensor_dtypes.json`` (written by ``tests/data/make_pytensor_dtypes.py`` from
PyTensor) records, for each expression over a fixed set of variables, the dtype and static
shape of the result, or the class of the exception.  Each expression is evaluated here with
``reference`` in place of PyTensor and must give the same dtype and static shape (and, for
small constants, the same value), or raise an exception of the same family.

Two kinds of entries are not compared, and both are listed here:

* ``DIVERGENT``: where ``reference`` deliberately differs; each names its section of
  ``spec/C-divergences.rst``;
* expressions that call a function ``reference`` does not provide (``pt.arcsin``,
  ``pt.linspace``, ...): PyTensor has many more functions than the ops of chapter 2.  They are
  found by the ``AttributeError`` they raise, and ``NOT_IN_API`` lists the other calls
  reference does not support.
"""

import json
import pathlib
import warnings

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.graph.basic import Constant

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "pytensor_dtypes.json").read_text())

#: Entries where reference differs on purpose: expression -> section of spec/C-divergences.rst.
DIVERGENT = {
    "pt.as_tensor_variable(2**63)": "C.1 (divergence-uint64-literals): uint64, not a wrapped int64",
    "pt.constant(2**63)": "C.1 (divergence-uint64-literals): uint64, not a wrapped int64",
    "iv32 + 2**63": "C.1 (divergence-uint64-literals): int32 + uint64 is float64",
    "pt.as_tensor_variable(2**64)": "C.2 (divergence-error-classes): TypeError, not OverflowError",
    "pt.constant(2**64)": "C.2 (divergence-error-classes): TypeError, not OverflowError",
    "iv32 + 2**64": "C.2 (divergence-error-classes): TypeError, not OverflowError",
    "pt.as_tensor_variable(None)": "C.2 (divergence-error-classes): TypeError, not NotImplementedError",
    "pt.as_tensor_variable('a')": "C.2 (divergence-error-classes): TypeError, not NotImplementedError",
    "pt.full_like(fv, 2)": "C.3 (divergence-full-like): x's dtype, as numpy",
    "pt.full_like(iv32, 2.5)": "C.3 (divergence-full-like): x's dtype, as numpy",
    "dv[bo]": "C.4 (divergence-bool-scalar-index): numpy's 0-d boolean index",
}

#: Calls of functions reference has, in forms it does not support.
NOT_IN_API = {
    "pt.where(fv > 0)": "one-argument where (nonzero) is not an op of chapter 2",
}

#: An expected exception class -> the builtin classes reference's exception may derive from.
FAMILIES = {
    "TypeError": (TypeError,),
    "ValueError": (ValueError,),
    "IndexError": (IndexError,),
    "AxisError": (ValueError, IndexError),  # numpy's AxisError is both
    "OverflowError": (OverflowError,),
    "NotImplementedError": (NotImplementedError,),
}


def namespace():
    """The variables of make_pytensor_dtypes.make_ns, made with reference."""
    return dict(
        pt=pt, np=np, pytensor=pytensor,
        b8=pt.bscalar("b8"), i16=pt.wscalar("i16"), i32=pt.iscalar("i32"), i64=pt.lscalar("i64"),
        f32=pt.fscalar("f32"), f64=pt.dscalar("f64"), u8=pt.scalar("u8", dtype="uint8"),
        bo=pt.scalar("bo", dtype="bool"), bv=pt.bvector("bv"), iv32=pt.ivector("iv32"),
        iv64=pt.lvector("iv64"), fv=pt.fvector("fv"), dv=pt.dvector("dv"), fm=pt.fmatrix("fm"),
        dm=pt.dmatrix("dm"), im=pt.imatrix("im"),
    )  # fmt: skip


def describe(result):
    """What the JSON records for a result: dtype/shape (and small constant values)."""
    if hasattr(result, "type") and hasattr(result.type, "dtype"):
        out = {"dtype": result.type.dtype, "shape": list(result.type.shape)}
        if isinstance(result, Constant) and np.size(result.data) <= 8:
            value = np.asarray(result.data)
            out["value"] = repr(value.tolist()) if value.dtype.kind in "biuf" else repr(value)
        return out
    if isinstance(result, list | tuple) and all(hasattr(v, "type") for v in result):
        return {"dtype": f"<python:{type(result).__name__}>",
                "value": [{"dtype": v.type.dtype, "shape": list(v.type.shape)} for v in result]}
    return {"dtype": f"<python:{type(result).__name__}>", "value": repr(result)}


def compare(entries):
    """Evaluate every entry; return (number compared, mismatches, expressions not in the API)."""
    compared, mismatches, missing = 0, [], []
    for entry in entries:
        expr = entry["expr"]
        if expr in DIVERGENT or expr in NOT_IN_API:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result, error = eval(expr, namespace()), None  # noqa: S307 - recorded expressions
        except AttributeError as exc:
            if "has no attribute" in str(exc):
                missing.append(expr)
                continue
            result, error = None, exc
        except Exception as exc:  # noqa: BLE001 - the class is what is compared
            result, error = None, exc
        compared += 1
        if "error" in entry:
            family = FAMILIES[entry["error"].split(":")[0]]
            if error is None or not isinstance(error, family):
                mismatches.append((expr, entry["error"], repr(error) if error else describe(result)))
            continue
        if error is not None:
            mismatches.append((expr, entry, repr(error)))
            continue
        got = describe(result)
        wanted = {k: entry[k] for k in ("dtype", "shape", "value") if k in entry}
        if {k: got.get(k) for k in wanted} != wanted:
            mismatches.append((expr, wanted, got))
    return compared, mismatches, missing


@pytest.mark.rule("TYPE-LITERAL-1")
@pytest.mark.rule("TYPE-LITERAL-2")
@pytest.mark.rule("TYPE-UPCAST-1")
@pytest.mark.rule("TYPE-UPCAST-2")
@pytest.mark.rule("OP-ELEMWISE-1")
@pytest.mark.rule("OP-TRUEDIV-1")
@pytest.mark.rule("OP-REDUCE-2")
@pytest.mark.rule("OP-REDUCE-6")
@pytest.mark.rule("OP-INDEX-4")
def test_type_upcast_1__dtype_table_matches_pytensor():
    compared, mismatches, missing = compare(DATA["entries"])
    assert not mismatches, "\n".join(map(str, mismatches[:30]))
    assert compared >= 150, compared
    assert compared > 10 * len(missing), (compared, len(missing))


@pytest.mark.rule("GRAPH-CONFIG-1")
@pytest.mark.rule("TYPE-LITERAL-1")
@pytest.mark.rule("OP-TRUEDIV-1")
def test_graph_config_1__dtype_table_with_floatx_float32_matches_pytensor():
    with pytensor.config.change_flags(floatX="float32"):
        compared, mismatches, missing = compare(DATA["floatX_float32"])
    assert not mismatches, "\n".join(map(str, mismatches))
    assert compared >= 40 and set(missing) <= {"pt.linspace(0, 1, 5)", "pt.var(iv32)"}


def test_divergent_entries_exist_and_name_a_divergence():
    """Every exception listed above is in the data and cites a section of C-divergences.rst."""
    exprs = {e["expr"] for e in DATA["entries"]}
    assert set(DIVERGENT) <= exprs and set(NOT_IN_API) <= exprs
    text = (pathlib.Path(__file__).parent.parent / "spec" / "C-divergences.rst").read_text()
    for reason in DIVERGENT.values():
        label = reason.split("(")[1].split(")")[0]
        assert f".. _{label}:" in text, label
