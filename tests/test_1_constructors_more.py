"""Chapter 1, "Types": the rank-6 and rank-7 constructors (TYPE-SHAPE-1), the plural
constructors (TYPE-SHAPE-3) and PyTensor's module constants in ``pt``.

PyTensor 3.3.7's behaviour, where a test compares with it, is checked only when PyTensor is
installed; every assertion before that is on ``reference`` alone.
"""

import math

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError, SpecValueError

PREFIXES = {"b": "int8", "w": "int16", "i": "int32", "l": "int64", "f": "float32",
            "d": "float64", "c": "complex64", "z": "complex128"}
PLURALS = {"scalar": "scalars", "vector": "vectors", "matrix": "matrices", "tensor3": "tensor3s",
           "tensor4": "tensor4s", "tensor5": "tensor5s", "tensor6": "tensor6s", "tensor7": "tensor7s",
           "row": "rows", "col": "cols"}
NDIM = {"scalar": 0, "vector": 1, "matrix": 2, "tensor3": 3, "tensor4": 4, "tensor5": 5,
        "tensor6": 6, "tensor7": 7}


# -- tensor6, tensor7 -----------------------------------------------------------------------
@pytest.mark.rule("TYPE-SHAPE-1")
@pytest.mark.parametrize("kind", ["tensor6", "tensor7"])
def test_type_shape_1__rank_6_and_7_constructors(kind):
    n = NDIM[kind]
    x = getattr(pt, kind)("x")
    assert x.name == "x" and x.type.shape == (None,) * n and x.dtype == pytensor.config.floatX
    for prefix, dtype in PREFIXES.items():
        maker = getattr(pt, prefix + kind)  # a type, as in PyTensor: y.type is maker
        y = maker("y")
        assert y.type is maker and repr(maker) == f"TensorType({dtype}, shape={(None,) * n})"
        assert y.dtype == dtype and y.type.shape == (None,) * n and y.name == "y"
    shaped = getattr(pt, kind)(shape=(2,) + (None,) * (n - 1), dtype="int16")
    assert shaped.type.shape == (2,) + (None,) * (n - 1) and shaped.dtype == "int16"
    with pytest.raises(SpecValueError, match="TYPE-SHAPE-1"):
        getattr(pt, "d" + kind)(shape=(1, 2))


@pytest.mark.rule("TYPE-SHAPE-1")
def test_type_shape_1__rank_7_input_evaluates():
    t = pt.dtensor7("t")
    value = np.arange(2 * 3 * 1 * 2 * 1 * 2 * 2, dtype="float64").reshape(2, 3, 1, 2, 1, 2, 2)
    out = pytensor.function([t], (t * 2).sum(axis=(0, 6)))(value)
    np.testing.assert_array_equal(out, (value * 2).sum(axis=(0, 6)))
    assert str(t.type) == "Tensor7(float64, shape=(?, ?, ?, ?, ?, ?, ?))"


@pytest.mark.rule("TYPE-SHAPE-1")
def test_type_shape_1__floatx_constructors_read_floatx_when_called():
    with pytensor.config.change_flags(floatX="float32"):
        assert pt.tensor6().dtype == "float32"
        assert [v.dtype for v in pt.tensor7s(2)] == ["float32", "float32"]
        assert pt.scalars("a", "b")[0].dtype == "float32"
    assert pt.tensor6().dtype == "float64"


# -- plural constructors --------------------------------------------------------------------
def all_plurals():
    for prefix in ("", "d", "f", "i", "l"):
        for kind, plural in PLURALS.items():
            yield prefix, kind, prefix + plural


@pytest.mark.rule("TYPE-SHAPE-3")
@pytest.mark.parametrize(("prefix", "kind", "name"), list(all_plurals()))
def test_type_shape_3__every_plural_makes_the_singular_type(prefix, kind, name):
    plural = getattr(pt, name)
    single = getattr(pt, prefix + kind)
    a, b = plural("a", "b")
    assert (a.name, b.name) == ("a", "b")
    assert a.type == single().type == b.type
    assert a is not b
    assert plural.__name__ == name


@pytest.mark.rule("TYPE-SHAPE-3")
def test_type_shape_3__plural_names_follow_pytensor():
    assert pt.dvectors() == []
    assert pt.dvectors(0) == [] and pt.dvectors(-2) == []
    one = pt.dvectors(1)
    assert isinstance(one, list) and len(one) == 1 and one[0].name is None
    three = pt.dmatrices(3)
    assert len(three) == 3 and all(v.name is None and v.type.shape == (None, None) for v in three)
    assert len({id(v) for v in three}) == 3
    single = pt.dvectors("x")  # one name: the variable itself, not a list
    assert not isinstance(single, list) and single.name == "x" and single.dtype == "float64"
    assert [v.name for v in pt.lscalars("ijk")] == ["i", "j", "k"]  # a string: one per character
    assert [v.name for v in pt.fvectors("xy", "z")] == ["xy", "z"]
    assert [v.name for v in pt.imatrices(["p", "q"])] == ["p", "q"]
    assert [v.name for v in pt.ivectors(("p", "q"))] == ["p", "q"]
    assert pt.ivectors([]) == []
    assert [v.name for v in pt.dvectors("a", None)] == ["a", None]
    assert len(pt.dvectors(2, "ignored")) == 2  # PyTensor ignores what follows a count
    assert len(pt.dvectors(True)) == 1  # a bool is an int
    rows = pt.drows("r1", "r2")
    assert all(r.type.shape == (1, None) and r.dtype == "float64" for r in rows)
    cols = pt.icols(2)
    assert all(c.type.shape == (None, 1) and c.dtype == "int32" for c in cols)
    assert pt.rows("r").type.shape == (1, None)


@pytest.mark.rule("TYPE-SHAPE-3")
@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((2.0,), r"names must be a count or names"),
        ((np.int64(2),), r"names must be a count or names"),
        (("a", 3), r"names\[1\] must be a string"),
        (("a", ["b"]), r"names\[1\] must be a string"),
        ((["a", 3],), r"names\[1\] must be a string"),
        ((["a"],), r"names\[0\] must be a string, got the list"),
        ((("a",),), r"names\[0\] must be a string, got the tuple"),
    ],
)
def test_type_shape_3__bad_names_are_type_errors_naming_the_argument(args, match):
    with pytest.raises(SpecTypeError, match=r"\[TYPE-SHAPE-3\] dvectors: " + match):
        pt.dvectors(*args)


@pytest.mark.rule("TYPE-SHAPE-3")
def test_type_shape_3__plural_forms_that_pytensor_lacks_are_absent():
    for name in ("bvectors", "wscalars", "cmatrices", "zvectors", "brows", "ccols", "btensor6s"):
        assert not hasattr(pt, name), name


@pytest.mark.rule("TYPE-SHAPE-3")
@pytest.mark.rule("TYPE-SHAPE-1")
def test_type_shape_3__names_match_pytensor():
    ptt = pytest.importorskip("pytensor.tensor")
    ours = {n for n in dir(pt) if any(n.endswith(p) for p in PLURALS.values())
            or "tensor6" in n or "tensor7" in n}
    theirs = {n for n in dir(ptt) if any(n.endswith(p) for p in PLURALS.values())
              or "tensor6" in n or "tensor7" in n}
    assert ours == theirs
    cases = [(), (0,), (1,), (3,), ("a",), ("ab",), ("a", "b"), (["a", "b"],), ("xy", "z"), (True,)]
    for name in sorted(theirs):
        if not name.endswith(tuple(PLURALS.values())):
            assert getattr(pt, name)().type.shape == getattr(ptt, name)().type.shape
            assert getattr(pt, name)().dtype == getattr(ptt, name)().dtype
            continue
        for args in cases:
            a, b = getattr(pt, name)(*args), getattr(ptt, name)(*args)
            assert isinstance(a, list) == isinstance(b, list), (name, args)
            a, b = (a, b) if isinstance(a, list) else ([a], [b])
            assert [(v.name, v.type.dtype, v.type.shape) for v in a] == [
                (v.name, v.type.dtype, v.type.shape) for v in b], (name, args)


# -- module constants -----------------------------------------------------------------------
def test_module_constants_are_pytensors_python_values():
    assert type(pt.pi) is float and pt.pi == math.pi
    assert type(pt.e) is float and pt.e == math.e
    assert type(pt.inf) is float and pt.inf == math.inf
    assert type(pt.nan) is float and math.isnan(pt.nan)
    assert type(pt.euler_gamma) is float and pt.euler_gamma == pytest.approx(0.5772156649015329, abs=0)
    assert pt.newaxis is None
    x = pt.dvector("x")
    assert x[:, pt.newaxis].type.shape == (None, 1)
    assert (x * pt.pi).eval({x: [1.0]})[0] == math.pi


def test_module_constants_match_pytensor():
    ptt = pytest.importorskip("pytensor.tensor")
    for name in ("pi", "e", "inf", "euler_gamma", "newaxis"):
        assert getattr(pt, name) == getattr(ptt, name) and type(getattr(pt, name)) is type(getattr(ptt, name))
    assert math.isnan(ptt.nan)
