"""Chapter 2, "Assertions" (OP-ASSERT-1): PyTensor's raise_op."""

import numpy as np
import pytest

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecTypeError
from reference.raise_op import Assert, CheckAndRaise, assert_op


@pytest.mark.rule("OP-ASSERT-1")
def test_op_assert_1__passes_the_value_or_raises():
    x = pt.dvector("x")
    f = pytensor.function([x], assert_op(x, pt.all(x > 0)))
    assert f(np.ones(2)).tolist() == [1.0, 1.0]
    with pytest.raises(AssertionError, match="PyTensor Assert failed!"):  # PyTensor's message
        f(-np.ones(2))
    g = pytensor.function([x], Assert("x must be positive")(x, (x > 0).all(), x.sum() > 0))
    with pytest.raises(AssertionError, match="x must be positive"):
        g(np.array([1.0, -2.0]))
    h = pytensor.function([x], CheckAndRaise(ValueError, "bad")(x, x.sum() > 0))
    with pytest.raises(ValueError, match="bad"):
        h(-np.ones(2))
    assert pytensor.grad(assert_op(x, pt.all(x > 0)).sum(), x).eval({x: np.ones(2)}).tolist() == [1.0, 1.0]
    assert str(Assert("m")) == "Assert{msg='m'}" and Assert("m") == Assert("m")
    with pytest.raises(SpecTypeError, match="scalar"):
        assert_op(x, pt.dvector("v"))


@pytest.mark.rule("OP-ASSERT-1")
@pytest.mark.parametrize("mode", [None, "python"])
def test_op_assert_1__inside_a_loop(mode):
    x = pt.dvector("x")
    ys = pytensor.scan(lambda v: assert_op(v * 2, v > 0), sequences=x, return_updates=False)
    f = pytensor.function([x], ys, mode=mode)
    assert f(np.array([1.0, 2.0])).tolist() == [2.0, 4.0]
    with pytest.raises(AssertionError):
        f(np.array([1.0, -2.0]))
