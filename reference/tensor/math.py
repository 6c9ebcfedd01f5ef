"""Elementwise scalar rules and the user functions built on them.  Spec: spec/2-ops.rst.

Each class states one rule: the output dtype (``output_dtype``) and the value (``impl``,
a numpy ufunc applied to whole arrays, so results equal numpy's bit for bit).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.config import config
from reference.errors import SpecTypeError, SpecValueError
from reference.graph.type import (
    COMPLEX_DTYPES,
    DISCRETE_DTYPES,
    INT_DTYPES,
    upcast,
    upgrade_to_float,
)
from reference.tensor.elemwise import Elemwise, ScalarOp
from reference.tensor.variable import TensorVariable, as_tensor_variable


def zeros_like_float(x: Any) -> Any:
    """A zero gradient shaped like ``x`` (GRAD-OP-1: piecewise-constant rules)."""
    from reference.tensor.basic import zeros_like

    return zeros_like(x)


def _no_bool(op: ScalarOp, dtypes: tuple[str, ...]) -> None:
    if "bool" in dtypes:
        raise SpecTypeError("OP-ELEMWISE-3", f"{op} is not defined on bool inputs")


# -- arithmetic -------------------------------------------------------------------------
class Add(ScalarOp):
    """``x + y`` (OP-ADD-1); ``add(x1, …, xn)`` folds from the left (OP-ADD-2).  dtype:
    upcast of the inputs."""

    variadic = True

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [gz, gz]

    ufunc = np.add


class Sub(ScalarOp):
    """``x - y`` (OP-SUB-1).  dtype: upcast; a bool result (bool - bool) is refused."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [gz, neg(gz)]

    ufunc = np.subtract

    def output_dtype(self, *dtypes: str) -> str:
        dtype = upcast(*dtypes)
        _no_bool(self, (dtype,))  # OP-ELEMWISE-3: only bool - bool; bool - int8 is int8
        return dtype


class Mul(ScalarOp):
    """``x * y`` (OP-MUL-1); ``mul(x1, …, xn)`` folds from the left (OP-ADD-2).  dtype:
    upcast of the inputs."""

    variadic = True

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, y = inputs
        return [mul(gz, y), mul(gz, x)]

    ufunc = np.multiply


class TrueDiv(ScalarOp):
    """``x / y`` (OP-TRUEDIV-1).  dtype: ``config.floatX`` when both inputs are integers or
    bool, else the upcast of the inputs."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, y = inputs
        return [true_div(gz, y), neg(true_div(mul(gz, x), mul(y, y)))]

    ufunc = np.true_divide

    def output_dtype(self, *dtypes: str) -> str:
        if all(d in DISCRETE_DTYPES for d in dtypes):
            return config.floatX
        return upcast(*dtypes)


class IntDiv(ScalarOp):
    """``x // y``: floor division (OP-INTDIV-1).  dtype: upcast; integer ``x // 0`` is 0."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [zeros_like_float(x) for x in inputs]

    ufunc = np.floor_divide


class Mod(ScalarOp):
    """``x % y`` with the sign of ``y`` (OP-MOD-1).  dtype: upcast; integer ``x % 0`` is 0."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, y = inputs
        return [gz, neg(mul(gz, int_div(x, y)))]

    ufunc = np.remainder


class Pow(ScalarOp):
    """``x ** y`` (OP-POW-1).  dtype: upcast, with bool ** bool giving int8."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, y = inputs
        # d/dy x**y = log(x) x**y, taken as 0 at x == 0 (its limit for y > 0), as PyTensor
        dy = switch(eq(x, 0), 0, mul(mul(gz, log(x)), output))
        return [mul(mul(gz, y), pow(x, sub(y, 1))), dy]

    def output_dtype(self, *dtypes: str) -> str:
        dtype = upcast(*dtypes)
        return "int8" if dtype == "bool" else dtype

    def compute_for(self, *dtypes: str) -> Any:
        """``impl`` when both inputs are integers or bool (its checks), else ``np.power``."""
        return self.impl if all(d in DISCRETE_DTYPES for d in dtypes) else np.power

    def impl(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        if x.dtype.kind in "biu" and y.dtype.kind in "biu":  # steps 1-2: integer and bool only
            if x.dtype == bool and y.dtype == bool:
                x = x.astype("int8")
            if np.result_type(x, y).kind in "iu" and np.any(y < 0):  # OP-POW-1: numpy's rule
                raise SpecValueError(
                    "OP-POW-1", f"Pow: integers to negative integer powers are not allowed (exponent {y.min()})"
                )
        return np.power(x, y)


class Maximum(ScalarOp):
    """Elementwise maximum, NaN-propagating (OP-MAXIMUM-1).  dtype: upcast."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, y = inputs
        # ties go to x alone (a valid subgradient, as PyTensor); NaN sends gz to y
        first = ge(x, y)
        return [mul(gz, first), mul(gz, sub(1, first))]

    ufunc = np.maximum


class Minimum(ScalarOp):
    """Elementwise minimum, NaN-propagating (OP-MINIMUM-1).  dtype: upcast."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, y = inputs
        first = le(x, y)  # ties go to x alone, as PyTensor
        return [mul(gz, first), mul(gz, sub(1, first))]

    ufunc = np.minimum


# -- unary ------------------------------------------------------------------------------
class Unary(ScalarOp):
    nin = 1

    def output_dtype(self, *dtypes: str) -> str:
        return dtypes[0]


class Neg(Unary):
    """``-x`` (OP-NEG-1).  dtype: the input's; bool is refused."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [neg(gz)]

    ufunc = np.negative

    def output_dtype(self, *dtypes: str) -> str:
        _no_bool(self, dtypes)
        return dtypes[0]


class Abs(Unary):
    """``abs(x)`` (OP-ABS-1).  dtype: the input's (complex gives its real dtype)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, sign(inputs[0]))]

    ufunc = np.absolute

    def output_dtype(self, *dtypes: str) -> str:
        return {"complex64": "float32", "complex128": "float64"}.get(dtypes[0], dtypes[0])


class Sign(Unary):
    """``sign(x)``: -1, 0 or 1 (OP-SIGN-1).  dtype: the input's."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [zeros_like_float(inputs[0])]

    ufunc = np.sign

    def output_dtype(self, *dtypes: str) -> str:
        _no_bool(self, dtypes)  # OP-ELEMWISE-3
        return dtypes[0]


class Identity(Unary):
    """The value itself (OP-IDENTITY-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [gz]

    def impl(self, x: np.ndarray) -> np.ndarray:
        return x.copy()


class FloatUnary(Unary):
    """Base of float-valued unary rules: integers and bool become floats (TYPE-UPCAST-2)."""

    def output_dtype(self, *dtypes: str) -> str:
        return upgrade_to_float(dtypes[0])

    def impl(self, x: np.ndarray) -> np.ndarray:
        # cast first: numpy computes exp(int8) in float16, PyTensor in float32 (TYPE-UPCAST-2)
        return self.ufunc(x.astype(upgrade_to_float(x.dtype.name), copy=False))


class Exp(FloatUnary):
    """``e ** x`` (OP-EXP-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, output)]

    ufunc = np.exp


class Log(FloatUnary):
    """Natural logarithm (OP-LOG-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [true_div(gz, inputs[0])]

    ufunc = np.log


class Log1p(FloatUnary):
    """``log(1 + x)`` (OP-LOG1P-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [true_div(gz, add(1, inputs[0]))]

    ufunc = np.log1p


class Expm1(FloatUnary):
    """``exp(x) - 1`` (OP-EXPM1-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, add(output, 1))]

    ufunc = np.expm1


class Sqrt(FloatUnary):
    """Square root (OP-SQRT-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [true_div(mul(gz, 0.5), output)]

    ufunc = np.sqrt


class Sin(FloatUnary):
    """Sine (OP-SIN-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, cos(inputs[0]))]

    ufunc = np.sin


class Cos(FloatUnary):
    """Cosine (OP-COS-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [neg(mul(gz, sin(inputs[0])))]

    ufunc = np.cos


class Tan(FloatUnary):
    """Tangent (OP-TAN-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        c = cos(inputs[0])
        return [true_div(gz, mul(c, c))]

    ufunc = np.tan


class Tanh(FloatUnary):
    """Hyperbolic tangent (OP-TANH-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, sub(1, mul(output, output)))]

    ufunc = np.tanh


class Sigmoid(FloatUnary):
    """The logistic function ``1 / (1 + exp(-x))`` (OP-SIGMOID-1), computed by
    ``scipy.special.expit`` in the output dtype."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(mul(gz, output), sub(1, output))]

    def impl(self, x: np.ndarray) -> np.ndarray:
        from scipy.special import expit

        return expit(x.astype(upgrade_to_float(x.dtype.name), copy=False))


class Softplus(FloatUnary):
    """``log(1 + exp(x))`` evaluated without overflow (OP-SOFTPLUS-1).

    Piecewise, as PyTensor: ``exp(x)`` below -37, ``log1p(exp(x))`` below 18,
    ``x + exp(-x)`` below 33.3, else ``x``.
    """

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, sigmoid(inputs[0]))]

    def impl(self, x: np.ndarray) -> np.ndarray:
        dtype = upgrade_to_float(x.dtype.name)
        x = x.astype(dtype, copy=False)
        return np.where(
            x < -37.0,
            np.exp(x),
            np.where(
                x < 18.0,
                np.log1p(np.exp(x)),
                np.where(x < 33.3, np.add(x, np.exp(np.negative(x))), x),
            ),
        ).astype(dtype, copy=False)


class Erf(FloatUnary):
    """The error function (OP-ERF-1), computed by ``scipy.special.erf``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x = inputs[0]
        return [mul(mul(gz, 2.0 / np.sqrt(np.pi)), exp(neg(mul(x, x))))]

    def impl(self, x: np.ndarray) -> np.ndarray:
        from scipy.special import erf

        return erf(x.astype(upgrade_to_float(x.dtype.name), copy=False))


class Floor(FloatUnary):
    """Largest integer not above ``x``, as a float (OP-FLOOR-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [zeros_like_float(inputs[0])]

    ufunc = np.floor


class Ceil(FloatUnary):
    """Smallest integer not below ``x``, as a float (OP-CEIL-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [zeros_like_float(inputs[0])]

    ufunc = np.ceil


class FloatOnlyUnary(Unary):
    def output_dtype(self, *dtypes: str) -> str:
        if dtypes[0] not in ("float16", "float32", "float64"):
            raise SpecTypeError("OP-ROUND-1", f"{self} is defined on floats only, got {dtypes[0]}")
        return dtypes[0]


class RoundHalfToEven(FloatOnlyUnary):
    """Round to the nearest integer, ties to even (OP-ROUND-1).  Floats only."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [zeros_like_float(inputs[0])]

    def impl(self, x: np.ndarray) -> np.ndarray:
        return np.round(x)  # np.round is a function, not a ufunc: a class attribute would bind


class RoundHalfAwayFromZero(FloatOnlyUnary):
    """Round to the nearest integer, ties away from zero (OP-ROUND-2).  Floats only."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [zeros_like_float(inputs[0])]

    def impl(self, x: np.ndarray) -> np.ndarray:
        # PyTensor's perform: floor(x + 0.5) if x > 0 else ceil(x - 0.5) (so +0.0 gives -0.0)
        return np.where(x > 0, np.floor(np.add(x, 0.5)), np.ceil(np.subtract(x, 0.5)))


# -- comparisons and logic --------------------------------------------------------------
class Compare(ScalarOp):
    def output_dtype(self, *dtypes: str) -> str:
        return "bool"


class LT(Compare):
    """``x < y`` (OP-COMPARE-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [None] * len(inputs)

    ufunc = np.less


class LE(Compare):
    """``x <= y`` (OP-COMPARE-1)."""

    ufunc = np.less_equal


class GT(Compare):
    """``x > y`` (OP-COMPARE-1)."""

    ufunc = np.greater


class GE(Compare):
    """``x >= y`` (OP-COMPARE-1)."""

    ufunc = np.greater_equal


class EQ(Compare):
    """``x == y`` elementwise (OP-COMPARE-1)."""

    ufunc = np.equal


class NEQ(Compare):
    """``x != y`` elementwise (OP-COMPARE-1)."""

    ufunc = np.not_equal


class Bitwise(ScalarOp):
    """Base of the logical rules: bitwise on integers, logical on bool (OP-LOGIC-1)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [None] * len(inputs)

    def output_dtype(self, *dtypes: str) -> str:
        kinds = {"bool" if d == "bool" else "int" if d in DISCRETE_DTYPES else "other" for d in dtypes}
        if kinds not in ({"bool"}, {"int"}):
            raise SpecTypeError(
                "OP-LOGIC-1", f"{self} needs all-integer or all-bool inputs, got {', '.join(dtypes)}"
            )
        dtype = upcast(*dtypes)
        if dtype not in DISCRETE_DTYPES:  # a signed integer with uint64 upcasts to float64
            raise SpecTypeError("OP-LOGIC-1", f"{self}: {', '.join(dtypes)} have no common integer dtype")
        return dtype


class And(Bitwise):
    """``x & y`` (OP-LOGIC-1)."""

    ufunc = np.bitwise_and


class Or(Bitwise):
    """``x | y`` (OP-LOGIC-1)."""

    ufunc = np.bitwise_or


class Xor(Bitwise):
    """``x ^ y`` (OP-LOGIC-1)."""

    ufunc = np.bitwise_xor


class Invert(Bitwise):
    """``~x``: logical not on bool, bitwise not on integers (OP-LOGIC-1)."""

    nin = 1
    ufunc = np.invert


class Switch(ScalarOp):
    """``cond ? x : y`` elementwise (OP-SWITCH-1).  dtype: upcast of ``x`` and ``y``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        cond, x, y = inputs
        zero = zeros_like_float(gz)
        return [None, switch(cond, gz, zero), switch(cond, zero, gz)]

    nin = 3

    def output_dtype(self, *dtypes: str) -> str:
        return upcast(dtypes[1], dtypes[2])

    def impl(self, cond: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.where(cond, x, y)


class Clip(ScalarOp):
    """``min(max(x, low), high)`` (OP-CLIP-1).  dtype: upcast of the three inputs."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, low, high = inputs
        inside = and_(ge(x, low), le(x, high))
        zero = zeros_like_float(gz)
        return [switch(inside, gz, zero), switch(lt(x, low), gz, zero), switch(gt(x, high), gz, zero)]

    nin = 3

    def impl(self, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        return np.minimum(np.maximum(x, low), high)


class Cast(Unary):
    """Conversion to ``dtype`` with numpy's ``astype`` (OP-CAST-1): floats to integers
    truncate toward zero, out-of-range values wrap as numpy defines."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [gz]

    def __init__(self, dtype: str) -> None:
        self.dtype = dtype

    def __str__(self) -> str:
        return f"Cast{{{self.dtype}}}"

    def output_dtype(self, *dtypes: str) -> str:
        return self.dtype

    def impl(self, x: np.ndarray) -> np.ndarray:
        if x.dtype.kind in "fc" and self.dtype in INT_DTYPES:  # nan, inf or out of range: no warning
            with np.errstate(invalid="ignore"):
                return x.astype(self.dtype)
        return x.astype(self.dtype)


# -- user functions ---------------------------------------------------------------------
def _elemwise(scalar_op: ScalarOp) -> Elemwise:
    return Elemwise(scalar_op)


add = _elemwise(Add())
sub = _elemwise(Sub())
mul = _elemwise(Mul())
true_div = _elemwise(TrueDiv())
int_div = _elemwise(IntDiv())
floor_div = int_div
mod = _elemwise(Mod())
pow = _elemwise(Pow())  # noqa: A001 - PyTensor's name
maximum = _elemwise(Maximum())
minimum = _elemwise(Minimum())
neg = _elemwise(Neg())
abs = _elemwise(Abs())  # noqa: A001
sign = _elemwise(Sign())
identity = _elemwise(Identity())
exp = _elemwise(Exp())
log = _elemwise(Log())
log1p = _elemwise(Log1p())
expm1 = _elemwise(Expm1())
sqrt = _elemwise(Sqrt())
sin = _elemwise(Sin())
cos = _elemwise(Cos())
tan = _elemwise(Tan())
tanh = _elemwise(Tanh())
sigmoid = _elemwise(Sigmoid())
softplus = _elemwise(Softplus())
erf = _elemwise(Erf())
floor = _elemwise(Floor())
ceil = _elemwise(Ceil())
round_half_to_even = _elemwise(RoundHalfToEven())
round_half_away_from_zero = _elemwise(RoundHalfAwayFromZero())
lt = less = _elemwise(LT())
le = less_equal = _elemwise(LE())
gt = greater = _elemwise(GT())
ge = greater_equal = _elemwise(GE())
eq = _elemwise(EQ())
neq = _elemwise(NEQ())
and_ = bitwise_and = _elemwise(And())
or_ = bitwise_or = _elemwise(Or())
xor = bitwise_xor = _elemwise(Xor())
invert = bitwise_not = _elemwise(Invert())
switch = _elemwise(Switch())
_clip = _elemwise(Clip())

divide = true_div
multiply = mul
subtract = sub
negative = neg
absolute = abs
power = pow
square_root = sqrt
expit = sigmoid


def where(condition: Any, x: Any, y: Any) -> TensorVariable:
    """numpy's ``where``: the same rule as :func:`switch`."""
    return switch(condition, x, y)


def clip(x: Any, a_min: Any, a_max: Any) -> TensorVariable:
    """Clip ``x`` to ``[a_min, a_max]`` (OP-CLIP-1)."""
    return _clip(x, a_min, a_max)


def round(x: Any, mode: str = "half_to_even") -> TensorVariable:  # noqa: A001
    """Round with ``mode`` ``"half_to_even"`` (numpy's rule) or ``"half_away_from_zero"``."""
    if mode == "half_to_even":
        return round_half_to_even(x)
    if mode == "half_away_from_zero":
        return round_half_away_from_zero(x)
    raise ValueError(f"round: mode must be 'half_to_even' or 'half_away_from_zero', got {mode!r}")


def cast(x: Any, dtype: Any) -> TensorVariable:
    """Convert ``x`` to ``dtype`` (OP-CAST-1); a cast to the same dtype returns ``x``."""
    from reference.graph.type import check_dtype

    x = as_tensor_variable(x)
    dtype = check_dtype(dtype)
    if x.dtype == dtype:
        return x
    if x.dtype in COMPLEX_DTYPES and dtype not in COMPLEX_DTYPES:
        raise SpecTypeError("OP-CAST-1", "casting complex to real is ambiguous; use real() or abs()")
    return Elemwise(Cast(dtype))(x)


def square(x: Any) -> TensorVariable:
    """``x * x``."""
    x = as_tensor_variable(x)
    return mul(x, x)


def reciprocal(x: Any) -> TensorVariable:
    """``1 / x`` in the float dtype of ``x`` (TYPE-UPCAST-2: int8 gives float32, as PyTensor)."""
    x = as_tensor_variable(x)
    return true_div(1, cast(x, upgrade_to_float(x.dtype)))
