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


class Second(ScalarOp):
    """``y`` broadcast against ``x``: ``y``'s values and dtype, ``x`` giving only shape and
    dependence (OP-ALLOC-2 step 4, PyTensor's ``second``/``fill``).  ``x``'s values are not
    used, so it gets no cotangent (disconnected), as in PyTensor."""

    def output_dtype(self, *dtypes: str) -> str:
        return dtypes[1]

    def impl(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.broadcast_to(y, np.broadcast_shapes(x.shape, y.shape)).copy()

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [None, gz]


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
        x = x.astype("float64", copy=False)  # computed in float64, rounded once (OP-SOFTPLUS-1)
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


# -- more float unary rules (inverse trigonometric, hyperbolic, logarithms in other bases) -
class FloatUnaryReal(FloatUnary):
    """Base of float unary rules PyTensor defines on real inputs only: a complex input is
    refused when the node is built (``rule`` names the rule)."""

    rule = "TYPE-UPCAST-2"

    def output_dtype(self, *dtypes: str) -> str:
        if dtypes[0] in COMPLEX_DTYPES:
            raise SpecTypeError(self.rule, f"{self} is not defined on complex inputs, got {dtypes[0]}")
        return upgrade_to_float(dtypes[0])


def _one_minus_square(x: Any) -> Any:
    return sub(1, mul(x, x))


class ArcSin(FloatUnary):
    """Inverse sine (OP-ARCTRIG-1); gradient ``gz / sqrt(1 - x*x)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [true_div(gz, sqrt(_one_minus_square(inputs[0])))]

    ufunc = np.arcsin


class ArcCos(FloatUnary):
    """Inverse cosine (OP-ARCTRIG-1); gradient ``-gz / sqrt(1 - x*x)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [neg(true_div(gz, sqrt(_one_minus_square(inputs[0]))))]

    ufunc = np.arccos


class ArcTan(FloatUnary):
    """Inverse tangent (OP-ARCTRIG-1); gradient ``gz / (1 + x*x)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x = inputs[0]
        return [true_div(gz, add(1, mul(x, x)))]

    ufunc = np.arctan


class ArcTan2(ScalarOp):
    """``arctan2(y, x)``: the angle of the point ``(x, y)`` (OP-ARCTAN2-1).  dtype:
    ``upgrade_to_float`` of the upcast of the inputs, which are cast to it first."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        y, x = inputs
        r2 = add(mul(x, x), mul(y, y))
        return [true_div(mul(gz, x), r2), neg(true_div(mul(gz, y), r2))]

    def output_dtype(self, *dtypes: str) -> str:
        dtype = upgrade_to_float(upcast(*dtypes))
        if dtype in COMPLEX_DTYPES:  # numpy's arctan2 has no complex loop
            raise SpecTypeError("OP-ARCTAN2-1", f"{self} is not defined on complex inputs")
        return dtype

    def impl(self, y: np.ndarray, x: np.ndarray) -> np.ndarray:
        dtype = upgrade_to_float(upcast(y.dtype.name, x.dtype.name))
        return np.arctan2(y.astype(dtype, copy=False), x.astype(dtype, copy=False))


class Sinh(FloatUnary):
    """Hyperbolic sine (OP-HYPERBOLIC-1); gradient ``gz * cosh(x)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, cosh(inputs[0]))]

    ufunc = np.sinh


class Cosh(FloatUnary):
    """Hyperbolic cosine (OP-HYPERBOLIC-1); gradient ``gz * sinh(x)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, sinh(inputs[0]))]

    ufunc = np.cosh


class ArcSinh(FloatUnary):
    """Inverse hyperbolic sine (OP-HYPERBOLIC-1); gradient ``gz / sqrt(x*x + 1)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x = inputs[0]
        return [true_div(gz, sqrt(add(mul(x, x), 1)))]

    ufunc = np.arcsinh


class ArcCosh(FloatUnary):
    """Inverse hyperbolic cosine (OP-HYPERBOLIC-1); gradient ``gz / sqrt(x*x - 1)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x = inputs[0]
        return [true_div(gz, sqrt(sub(mul(x, x), 1)))]

    ufunc = np.arccosh


class ArcTanh(FloatUnary):
    """Inverse hyperbolic tangent (OP-HYPERBOLIC-1); gradient ``gz / (1 - x*x)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [true_div(gz, _one_minus_square(inputs[0]))]

    ufunc = np.arctanh


class Log2(FloatUnary):
    """Base-2 logarithm (OP-LOG2-1); gradient ``gz / (x * log(2))``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [true_div(gz, mul(inputs[0], float(np.log(2.0))))]

    ufunc = np.log2


class Log10(FloatUnary):
    """Base-10 logarithm (OP-LOG2-1); gradient ``gz / (x * log(10))``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [true_div(gz, mul(inputs[0], float(np.log(10.0))))]

    ufunc = np.log10


class Exp2(FloatUnary):
    """``2 ** x`` (OP-LOG2-1); gradient ``gz * z * log(2)``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(mul(gz, output), float(np.log(2.0)))]

    ufunc = np.exp2


class Trunc(FloatUnaryReal):
    """The integer part of ``x`` (toward zero), as a float (OP-TRUNC-1); zero gradient."""

    rule = "OP-TRUNC-1"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [zeros_like_float(inputs[0])]

    ufunc = np.trunc


# -- scipy.special functions: computed in the float dtype of the input (TYPE-UPCAST-2) ----
class ScipyUnary(FloatUnaryReal):
    """Base of the rules computed by one ``scipy.special`` ufunc (named by ``special``) on
    the input cast to the output dtype."""

    special = ""

    def impl(self, x: np.ndarray) -> np.ndarray:
        import scipy.special

        return getattr(scipy.special, self.special)(x.astype(upgrade_to_float(x.dtype.name), copy=False))


_TWO_OVER_SQRT_PI = float(2.0 / np.sqrt(np.pi))
_SQRT_PI_OVER_TWO = float(np.sqrt(np.pi) / 2.0)


class Erfc(ScipyUnary):
    """The complementary error function ``1 - erf(x)`` (OP-ERFC-1), by
    ``scipy.special.erfc``; gradient ``-gz * 2/sqrt(pi) * exp(-x*x)``."""

    rule, special = "OP-ERFC-1", "erfc"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x = inputs[0]
        return [neg(mul(mul(gz, _TWO_OVER_SQRT_PI), exp(neg(mul(x, x)))))]


class Erfcx(ScipyUnary):
    """The scaled complementary error function ``exp(x*x) * erfc(x)`` (OP-ERFC-1), by
    ``scipy.special.erfcx``; gradient ``gz * (2*x*z - 2/sqrt(pi))``."""

    rule, special = "OP-ERFC-1", "erfcx"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, sub(mul(mul(2, inputs[0]), output), _TWO_OVER_SQRT_PI))]


class Erfinv(ScipyUnary):
    """The inverse of ``erf`` on ``[-1, 1]`` (OP-ERFC-1), by ``scipy.special.erfinv``;
    gradient ``gz * sqrt(pi)/2 * exp(z*z)``."""

    rule, special = "OP-ERFC-1", "erfinv"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(mul(gz, _SQRT_PI_OVER_TWO), exp(mul(output, output)))]


class Erfcinv(ScipyUnary):
    """The inverse of ``erfc`` on ``[0, 2]`` (OP-ERFC-1), by ``scipy.special.erfcinv``;
    gradient ``-gz * sqrt(pi)/2 * exp(z*z)``."""

    rule, special = "OP-ERFC-1", "erfcinv"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [neg(mul(mul(gz, _SQRT_PI_OVER_TWO), exp(mul(output, output))))]


class Gamma(ScipyUnary):
    """The gamma function (OP-GAMMA-1), by ``scipy.special.gamma``; gradient
    ``gz * z * psi(x)``.  Complex inputs keep their dtype, as in PyTensor."""

    special = "gamma"
    output_dtype = FloatUnary.output_dtype

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(mul(gz, output), psi(inputs[0]))]


class GammaLn(ScipyUnary):
    """``log(abs(gamma(x)))`` (OP-GAMMA-1), by ``scipy.special.gammaln``; gradient
    ``gz * psi(x)``.  A complex dtype is accepted when built, as in PyTensor (scipy then
    refuses it when run)."""

    special = "gammaln"
    output_dtype = FloatUnary.output_dtype

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, psi(inputs[0]))]


class Psi(ScipyUnary):
    """The digamma function, the derivative of ``gammaln`` (OP-GAMMA-1), by
    ``scipy.special.psi``; gradient ``gz * tri_gamma(x)``."""

    special = "psi"
    output_dtype = FloatUnary.output_dtype

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, tri_gamma(inputs[0]))]


class TriGamma(FloatUnaryReal):
    """The trigamma function, the derivative of ``psi`` (OP-GAMMA-1):
    ``scipy.special.polygamma(1, x)`` of ``x`` cast to the output dtype (scipy computes it
    in float64; the result is converted to the output dtype); gradient
    ``gz * polygamma(2, x)``."""

    rule = "OP-GAMMA-1"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, polygamma(2, inputs[0]))]

    def impl(self, x: np.ndarray) -> np.ndarray:
        from scipy.special import polygamma as scipy_polygamma

        return scipy_polygamma(1, x.astype(upgrade_to_float(x.dtype.name), copy=False))


class PolyGamma(ScalarOp):
    """``polygamma(n, x)``, the ``n``-th derivative of ``psi`` (OP-GAMMA-1): ``n`` must be
    of an integer (or bool) dtype; dtype ``upgrade_to_float`` of ``x``'s, complex refused;
    computed by ``scipy.special.polygamma`` on ``x`` cast to that dtype.  Gradient: none for
    ``n``, ``gz * polygamma(n + 1, x)`` for ``x``."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        n, x = inputs
        return [None, mul(gz, polygamma(add(n, 1), x))]

    def output_dtype(self, *dtypes: str) -> str:
        if dtypes[0] not in DISCRETE_DTYPES:
            raise SpecTypeError("OP-GAMMA-1", f"polygamma: the order n must be discrete, got {dtypes[0]}")
        if dtypes[1] in COMPLEX_DTYPES:
            raise SpecTypeError("OP-GAMMA-1", f"polygamma is not defined on complex inputs, got {dtypes[1]}")
        return upgrade_to_float(dtypes[1])

    def impl(self, n: np.ndarray, x: np.ndarray) -> np.ndarray:
        from scipy.special import polygamma as scipy_polygamma

        return scipy_polygamma(n, x.astype(upgrade_to_float(x.dtype.name), copy=False))


# -- more scipy.special functions (OP-SCIPY-1): Bessel, incomplete gamma and beta, ... ------
class GradNotImplemented(Unary):
    """The cotangent of an input whose derivative ``op`` does not define (GRAD-UNDEF-1): a
    node that raises ``SpecValueError`` (with ``rule``, naming ``op`` and ``why``) when
    evaluated.  ``grad`` returns it without error: it reaches a result only when that input
    depends on a ``wrt`` variable, and is dropped otherwise."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule, self.message = rule, message

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [_elemwise(self)(gz)]

    def impl(self, gz: np.ndarray) -> np.ndarray:
        raise SpecValueError(self.rule, self.message)  # GRAD-UNDEF-1


def undefined_cotangent(rule: str, message: str, gz: Any) -> Any:
    """A cotangent that stands for an undefined derivative (GRAD-UNDEF-1)."""
    return _elemwise(GradNotImplemented(rule, message))(gz)


def _grad_undefined(op: ScalarOp, name: str, gz: Any, why: str = "is not implemented") -> Any:
    """The cotangent of input ``name`` of ``op``, whose derivative ``why`` (GRAD-UNDEF-1)."""
    message = f"{str(op).lower()}: the gradient with respect to {name} {why}"
    return _elemwise(GradNotImplemented(op.rule, message))(gz)


_SERIES = "is a series PyTensor sums in a loop; reference does not implement it"


class ScipySpecial(ScalarOp):
    """Base of the rules computed by one ``scipy.special`` ufunc (named by ``special``) on
    every input cast to the output dtype (OP-SCIPY-1): ``upgrade_to_float`` of each input
    dtype, upcast; complex inputs are refused when the node is built (``rule``)."""

    rule, special = "OP-SCIPY-1", ""

    def output_dtype(self, *dtypes: str) -> str:
        if any(d in COMPLEX_DTYPES for d in dtypes):  # OP-SCIPY-1
            raise SpecTypeError(self.rule, f"{str(self).lower()} is not defined on complex inputs, got {list(dtypes)}")
        return upcast(*(upgrade_to_float(d) for d in dtypes))

    def impl(self, *xs: np.ndarray) -> np.ndarray:
        import scipy.special

        dtype = self.output_dtype(*(x.dtype.name for x in xs))
        return getattr(scipy.special, self.special)(*(x.astype(dtype, copy=False) for x in xs))  # OP-SCIPY-1


class J0(ScipyUnary):
    """The Bessel function of the first kind of order 0 (OP-BESSEL-1), by
    ``scipy.special.j0``; gradient ``-gz * j1(x)``."""

    rule, special = "OP-BESSEL-1", "j0"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(mul(gz, -1), j1(inputs[0]))]


class J1(ScipyUnary):
    """The Bessel function of the first kind of order 1 (OP-BESSEL-1), by
    ``scipy.special.j1``; gradient ``gz * (j0(x) - jv(2, x)) / 2``."""

    rule, special = "OP-BESSEL-1", "j1"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x = inputs[0]
        return [true_div(mul(gz, sub(j0(x), jv(2, x))), 2.0)]


class I0(ScipyUnary):
    """The modified Bessel function of the first kind of order 0 (OP-BESSEL-1), by
    ``scipy.special.i0``; gradient ``gz * i1(x)``."""

    rule, special = "OP-BESSEL-1", "i0"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(gz, i1(inputs[0]))]


class I1(ScipyUnary):
    """The modified Bessel function of the first kind of order 1 (OP-BESSEL-1), by
    ``scipy.special.i1``; gradient ``gz * (i0(x) + ive(2, x) * exp(abs(x))) / 2``."""

    rule, special = "OP-BESSEL-1", "i1"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x = inputs[0]
        return [true_div(mul(gz, add(i0(x), mul(ive(2, x), exp(abs(x))))), 2.0)]


class Jv(ScipySpecial):
    """``jv(v, x)``, the Bessel function of the first kind of real order ``v``
    (OP-BESSEL-1); gradient: not implemented for ``v`` (GRAD-UNDEF-1),
    ``gz * (jv(v - 1, x) - jv(v + 1, x)) / 2`` for ``x``."""

    rule, special = "OP-BESSEL-1", "jv"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        v, x = inputs
        return [_grad_undefined(self, "v", gz), true_div(mul(gz, sub(jv(sub(v, 1), x), jv(add(v, 1), x))), 2.0)]


class Ive(ScipySpecial):
    """``ive(v, x) = iv(v, x) * exp(-abs(x))`` (OP-BESSEL-1); gradient: not implemented for
    ``v``, ``gz * (ive(v-1, x) - 2 * s * ive(v, x) + ive(v+1, x)) / 2`` for ``x``, with
    ``s = 1 if x > 0 else -1``."""

    rule, special = "OP-BESSEL-1", "ive"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        v, x = inputs
        s = switch(gt(x, 0), 1, -1)
        slope = add(sub(ive(sub(v, 1), x), mul(mul(2.0, s), ive(v, x))), ive(add(v, 1), x))
        return [_grad_undefined(self, "v", gz), true_div(mul(gz, slope), 2.0)]


class Kve(ScipySpecial):
    """``kve(v, x) = kv(v, x) * exp(x)`` (OP-BESSEL-1); gradient: not implemented for
    ``v``, ``gz * ((1 - v/x) * z - kve(v - 1, x))`` for ``x``."""

    rule, special = "OP-BESSEL-1", "kve"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        v, x = inputs
        slope = sub(mul(sub(1, true_div(v, x)), output), kve(sub(v, 1), x))
        return [_grad_undefined(self, "v", gz), mul(gz, slope)]


def _gamma_density(k: Any, x: Any) -> Any:
    """``exp(-x + (k - 1) * log(x) - gammaln(k))``, the derivative of ``gammainc`` in ``x``."""
    return exp(sub(add(neg(x), mul(sub(k, 1), log(x))), gammaln(k)))


class GammaInc(ScipySpecial):
    """The regularized lower incomplete gamma function ``gammainc(k, x)`` (OP-GAMMAINC-1);
    gradient: a series for ``k``, not implemented (GRAD-UNDEF-1);
    ``gz * exp(-x + (k-1)*log(x) - gammaln(k))`` for ``x``."""

    rule, special = "OP-GAMMAINC-1", "gammainc"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        k, x = inputs
        return [_grad_undefined(self, "k", gz, _SERIES), mul(gz, _gamma_density(k, x))]


class GammaIncC(ScipySpecial):
    """The regularized upper incomplete gamma function ``gammaincc(k, x)``
    (OP-GAMMAINC-1); gradient: a series for ``k``, not implemented;
    ``-gz * exp(-x + (k-1)*log(x) - gammaln(k))`` for ``x``."""

    rule, special = "OP-GAMMAINC-1", "gammaincc"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        k, x = inputs
        return [_grad_undefined(self, "k", gz, _SERIES), mul(gz, neg(_gamma_density(k, x)))]


class GammaIncInv(ScipySpecial):
    """The inverse in ``x`` of ``gammainc(k, x)`` (OP-GAMMAINC-1); gradient: not
    implemented for ``k``, ``gz * exp(z) * gamma(k) * z ** (1 - k)`` for ``x``."""

    rule, special = "OP-GAMMAINC-1", "gammaincinv"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        k, _ = inputs
        slope = mul(mul(exp(output), gamma(k)), pow(output, sub(1, k)))
        return [_grad_undefined(self, "k", gz), mul(gz, slope)]


class GammaIncCInv(ScipySpecial):
    """The inverse in ``x`` of ``gammaincc(k, x)`` (OP-GAMMAINC-1); gradient: not
    implemented for ``k``, ``-gz * exp(z) * gamma(k) * z ** (1 - k)`` for ``x``."""

    rule, special = "OP-GAMMAINC-1", "gammainccinv"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        k, _ = inputs
        slope = mul(mul(neg(exp(output)), gamma(k)), pow(output, sub(1, k)))
        return [_grad_undefined(self, "k", gz), mul(gz, slope)]


class BetaInc(ScipySpecial):
    """The regularized incomplete beta function ``betainc(a, b, x)`` (OP-BETAINC-1);
    gradient: series for ``a`` and ``b``, not implemented (GRAD-UNDEF-1);
    ``gz * exp(log1p(-x)*(b-1) + log(x)*(a-1) - betaln(a, b))`` for ``x``."""

    nin = 3
    rule, special = "OP-BETAINC-1", "betainc"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        a, b, x = inputs
        betaln = sub(add(gammaln(a), gammaln(b)), gammaln(add(a, b)))
        density = exp(sub(add(mul(log1p(neg(x)), sub(b, 1)), mul(log(x), sub(a, 1))), betaln))
        return [_grad_undefined(self, "a", gz, _SERIES), _grad_undefined(self, "b", gz, _SERIES), mul(gz, density)]


class BetaIncInv(ScipySpecial):
    """The inverse in ``x`` of ``betainc(a, b, x)`` (OP-BETAINC-1); gradient: not
    implemented for ``a`` and ``b``, ``gz * exp(betaln(a, b)) * (1-z)**(1-b) * z**(1-a)``
    for ``x``."""

    nin = 3
    rule, special = "OP-BETAINC-1", "betaincinv"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        a, b, _ = inputs
        betaln = sub(add(gammaln(a), gammaln(b)), gammaln(add(a, b)))
        slope = mul(mul(exp(betaln), pow(sub(1, output), sub(1, b))), pow(output, sub(1, a)))
        return [_grad_undefined(self, "a", gz), _grad_undefined(self, "b", gz), mul(gz, slope)]


class Hyp2F1(ScipySpecial):
    """The Gauss hypergeometric function ``hyp2f1(a, b, c, z)`` (OP-HYP2F1-1); gradient:
    series for ``a``, ``b``, ``c``, not implemented (GRAD-UNDEF-1);
    ``gz * (a*b/c) * hyp2f1(a+1, b+1, c+1, z)`` for ``z``."""

    nin = 4
    rule, special = "OP-HYP2F1-1", "hyp2f1"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        a, b, c, z = inputs
        slope = mul(true_div(mul(a, b), c), hyp2f1(add(a, 1), add(b, 1), add(c, 1), z))
        return [*(_grad_undefined(self, n, gz, _SERIES) for n in "abc"), mul(gz, slope)]


_SQRT_2PI = float(np.sqrt(2.0 * np.pi))


class OwensT(ScipySpecial):
    """Owen's T function ``owens_t(h, a)`` (OP-OWENST-1); gradients
    ``-gz * exp(-h*h/2) * erf(a*h/sqrt(2)) / (2*sqrt(2*pi))`` and
    ``gz * exp(-(a*a+1)*h*h/2) / (2*pi*(a*a+1))``."""

    rule, special = "OP-OWENST-1", "owens_t"

    def __str__(self) -> str:
        return "Owens_t"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        h, a = inputs
        h2, a2p1 = pow(h, 2), add(pow(a, 2), 1)
        gh = true_div(mul(mul(mul(gz, -1), exp(true_div(neg(h2), 2))), erf(true_div(mul(a, h), float(np.sqrt(2.0))))),
                      2 * _SQRT_2PI)
        ga = true_div(mul(gz, exp(mul(mul(-0.5, a2p1), h2))), mul(2 * np.pi, a2p1))
        return [gh, ga]


class NdtriExp(ScipyUnary):
    """The inverse of ``log(ndtr(x))`` (OP-NDTRIEXP-1), by ``scipy.special.ndtri_exp``;
    gradient ``gz * sqrt(2*pi) * exp(x + z*z/2)``."""

    rule, special = "OP-NDTRIEXP-1", "ndtri_exp"

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        return [mul(mul(gz, _SQRT_2PI), exp(add(inputs[0], true_div(pow(output, 2), 2))))]


class XLogY(ScalarOp):
    """``x * log(y)``, and ``0`` where ``x == 0`` (OP-SPECIAL-5), computed as PyTensor's
    ``switch(eq(x, 0), 0, x * log(y))``: ``log(y)`` in ``y``'s float dtype, the product in
    the upcast of ``x``'s dtype and that one.  Gradients ``gz * log(y)`` and ``gz * x / y``
    (not masked at ``x == 0``)."""

    log = staticmethod(np.log)

    def output_dtype(self, *dtypes: str) -> str:
        return upcast("int8", upcast(dtypes[0], upgrade_to_float(dtypes[1])))

    def impl(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            logy = self.log(y.astype(upgrade_to_float(y.dtype.name), copy=False))
            dtype = upcast(x.dtype.name, logy.dtype.name)
            return np.where(x == 0, 0, np.multiply(x.astype(dtype, copy=False), logy.astype(dtype, copy=False))).astype(
                self.output_dtype(x.dtype.name, y.dtype.name), copy=False)

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, y = inputs
        return [mul(gz, log(y)), true_div(mul(gz, x), y)]


class XLog1pY(XLogY):
    """``x * log1p(y)``, and ``0`` where ``x == 0`` (OP-SPECIAL-5), as :class:`XLogY` with
    ``log1p``.  Gradients ``gz * log1p(y)`` and ``gz * x / (1 + y)``."""

    log = staticmethod(np.log1p)

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        x, y = inputs
        return [mul(gz, log1p(y)), true_div(mul(gz, x), add(1, y))]


class Log1mexp(FloatUnary):
    """``log(1 - exp(x))`` (OP-LOG1MEXP-1), piecewise as PyTensor: where ``x < log(0.5)``,
    ``log1p(-exp(x))``, else ``log(-expm1(x))`` (``-inf`` at 0, ``nan`` above).  Gradient
    ``-gz / expm1(-x)``, with ``-inf`` where that is infinite (at ``x == 0``).  Computed
    in float64 and rounded to the output dtype."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        slope = true_div(-1.0, expm1(neg(inputs[0])))
        slope = switch(isinf(slope), -np.inf, slope)
        return [mul(gz, slope)]

    def impl(self, x: np.ndarray) -> np.ndarray:
        # in float64 whatever the output dtype (then rounded by Elemwise.perform), as
        # PyTensor's perform (Python floats) and C code (C's double functions) compute it
        x = x.astype(np.promote_types(upgrade_to_float(x.dtype.name), "float64"), copy=False)
        with np.errstate(all="ignore"):  # both branches are computed everywhere
            return np.where(x < np.log(0.5), np.log1p(np.negative(np.exp(x))), np.log(np.negative(np.expm1(x))))


# -- classification, and parts of complex numbers --------------------------------------
class IsNan(Unary):
    """``x`` is NaN (OP-ISNAN-1).  dtype: bool; integers and bool give False."""

    ufunc = np.isnan

    def output_dtype(self, *dtypes: str) -> str:
        return "bool"


class IsInf(Unary):
    """``x`` is infinite, of either sign (OP-ISNAN-1).  dtype: bool."""

    ufunc = np.isinf

    def output_dtype(self, *dtypes: str) -> str:
        return "bool"


class IsFinite(Unary):
    """``x`` is neither NaN nor infinite (OP-ISNAN-1).  dtype: bool; integers give True."""

    ufunc = np.isfinite

    def output_dtype(self, *dtypes: str) -> str:
        return "bool"


_REAL_OF = {"complex64": "float32", "complex128": "float64"}


def _complex_grad_refused(op: ScalarOp, x: Any) -> None:
    if x.dtype in COMPLEX_DTYPES:
        raise SpecTypeError("OP-COMPLEX-1", f"the gradient of {op} of a complex input is not defined here")


class Real(Unary):
    """The real part (OP-COMPLEX-1).  dtype: a complex input's real dtype, else the
    input's (the value is a copy of ``x``)."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        _complex_grad_refused(self, inputs[0])
        return [gz]

    def output_dtype(self, *dtypes: str) -> str:
        return _REAL_OF.get(dtypes[0], dtypes[0])

    def impl(self, x: np.ndarray) -> np.ndarray:
        return np.array(np.real(x))  # np.real of a real array is the array itself: copy


class Imag(Unary):
    """The imaginary part (OP-COMPLEX-1).  dtype: as :class:`Real`; zeros for a real input."""

    def grad(self, inputs: list, output: Any, gz: Any) -> list:
        _complex_grad_refused(self, inputs[0])
        return [zeros_like_float(inputs[0])]

    def output_dtype(self, *dtypes: str) -> str:
        return _REAL_OF.get(dtypes[0], dtypes[0])

    def impl(self, x: np.ndarray) -> np.ndarray:
        return np.array(np.imag(x))


class Conj(Unary):
    """The complex conjugate (OP-COMPLEX-1); only built for complex inputs (``conj`` of a
    real input is the input itself)."""

    ufunc = np.conjugate


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
second = _elemwise(Second())
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
arcsin = _elemwise(ArcSin())
arccos = _elemwise(ArcCos())
arctan = _elemwise(ArcTan())
arctan2 = _elemwise(ArcTan2())
sinh = _elemwise(Sinh())
cosh = _elemwise(Cosh())
arcsinh = _elemwise(ArcSinh())
arccosh = _elemwise(ArcCosh())
arctanh = _elemwise(ArcTanh())
log2 = _elemwise(Log2())
log10 = _elemwise(Log10())
exp2 = _elemwise(Exp2())
trunc = _elemwise(Trunc())
erfc = _elemwise(Erfc())
erfcx = _elemwise(Erfcx())
erfinv = _elemwise(Erfinv())
erfcinv = _elemwise(Erfcinv())
gamma = _elemwise(Gamma())
gammaln = _elemwise(GammaLn())
psi = digamma = _elemwise(Psi())
tri_gamma = _elemwise(TriGamma())
polygamma = _elemwise(PolyGamma())
log1mexp = _elemwise(Log1mexp())
j0 = _elemwise(J0())
j1 = _elemwise(J1())
i0 = _elemwise(I0())
i1 = _elemwise(I1())
jv = _elemwise(Jv())
ive = _elemwise(Ive())
kve = _elemwise(Kve())
gammainc = _elemwise(GammaInc())
gammaincc = _elemwise(GammaIncC())
gammaincinv = _elemwise(GammaIncInv())
gammainccinv = _elemwise(GammaIncCInv())
betainc = _elemwise(BetaInc())
betaincinv = _elemwise(BetaIncInv())
hyp2f1 = _elemwise(Hyp2F1())
owens_t = _elemwise(OwensT())
ndtri_exp = _elemwise(NdtriExp())
_xlogy = _elemwise(XLogY())
_xlog1py = _elemwise(XLog1pY())
isnan = _elemwise(IsNan())
isinf = _elemwise(IsInf())
isfinite = _elemwise(IsFinite())
real = _elemwise(Real())
imag = _elemwise(Imag())
_conj = _elemwise(Conj())

divide = true_div
multiply = mul
subtract = sub
negative = neg
absolute = abs
power = pow
square_root = sqrt
expit = sigmoid
log1pexp = softplus  # PyTensor's log1pexp is its Softplus op (OP-SOFTPLUS-1)
equal = eq
not_equal = neq
sgn = sign


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


def sqr(x: Any) -> TensorVariable:
    """``x * x``: the same as :func:`square`."""
    return square(x)


def iround(x: Any, mode: str | None = None) -> TensorVariable:
    """``cast(round(x, mode), "int64")`` (OP-IROUND-1); ``mode=None`` rounds half to even.
    Floats only, as :func:`round`."""
    return cast(round(x, "half_to_even" if mode is None else mode), "int64")


def conj(x: Any) -> TensorVariable:
    """The complex conjugate (OP-COMPLEX-1); a real ``x`` is returned itself, as PyTensor."""
    x = as_tensor_variable(x)
    return _conj(x) if x.dtype in COMPLEX_DTYPES else x


conjugate = conj


def angle(z: Any) -> TensorVariable:
    """The polar angle of ``z``: ``arctan2(imag(z), real(z))`` (OP-COMPLEX-1)."""
    z = as_tensor_variable(z)
    return arctan2(imag(z), real(z))


def isclose(a: Any, b: Any, rtol: float = 1.0e-5, atol: float = 1.0e-8, equal_nan: bool = False) -> TensorVariable:
    """numpy's ``isclose`` composed of elementwise ops as PyTensor composes it (OP-ISCLOSE-1):
    ``abs(a - b) <= atol + rtol * abs(b)`` where neither is NaN or infinite, or both are
    infinities of the same sign, or (``equal_nan``) both are NaN."""
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    close = le(abs(sub(a, b)), add(atol, mul(rtol, abs(b))))
    a_nan, b_nan = isnan(a), isnan(b)
    a_inf, b_inf = isinf(a), isinf(b)
    finite_and_close = and_(close, invert(or_(or_(a_nan, b_nan), or_(a_inf, b_inf))))
    same_infinity = and_(and_(a_inf, b_inf), eq(mul(a_inf, sign(a)), mul(b_inf, sign(b))))
    result = or_(finite_and_close, same_infinity)
    if equal_nan:
        result = or_(result, and_(a_nan, b_nan))
    return result


def allclose(a: Any, b: Any, rtol: float = 1.0e-5, atol: float = 1.0e-8, equal_nan: bool = False) -> TensorVariable:
    """``all(isclose(a, b, rtol, atol, equal_nan))`` (OP-ISCLOSE-1): a bool scalar."""
    from reference.tensor.reduction import all as all_

    return all_(isclose(a, b, rtol, atol, equal_nan))


def _unshifted(x_max: Any) -> Any:
    """``x_max``, with 0 where it is infinite (OP-LOGSUMEXP-1 step 2)."""
    return switch(isinf(x_max), 0.0, x_max)


def logaddexp(*xs: Any) -> TensorVariable:
    """``log(exp(x1) + ... + exp(xn))`` of broadcast inputs, shifted by their maximum as
    PyTensor composes it (OP-LOGADDEXP-1)."""
    if not xs:
        raise SpecTypeError("OP-LOGADDEXP-1", "logaddexp needs at least one input")
    xs = tuple(as_tensor_variable(x) for x in xs)
    x_max = xs[0]
    for x in xs[1:]:
        x_max = maximum(x_max, x)
    x_max = _unshifted(x_max)
    return add(log(add(*(exp(sub(x, x_max)) for x in xs))), x_max)


def _lowest(dtype: str) -> Any:
    """The ``initial`` of PyTensor's maximum in logsumexp: ``-inf`` converted to ``dtype``."""
    if dtype in ("float16", "float32", "float64"):
        return -np.inf
    if dtype == "bool":
        return False
    return np.iinfo(dtype).min  # what PyTensor's max(..., initial=-inf) starts from


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> TensorVariable:
    """``log(sum(exp(x), axis))``, shifted by the maximum as PyTensor composes it
    (OP-LOGSUMEXP-1); an empty reduction gives ``-inf``."""
    from reference.tensor.basic import alloc, concatenate
    from reference.tensor.reduction import max as max_
    from reference.tensor.reduction import normalize_axes
    from reference.tensor.reduction import sum as sum_
    from reference.tensor.shape import squeeze

    x = as_tensor_variable(x)
    axes = normalize_axes(axis, x.ndim, "logsumexp")
    if x.dtype in COMPLEX_DTYPES:
        raise SpecTypeError("OP-LOGSUMEXP-1", "logsumexp is not defined on complex inputs here")
    padded = x
    for a in axes:  # step 1: max with an initial value, so an empty axis gives the lowest value
        if padded.type.shape[a] is None or padded.type.shape[a] == 0:
            shape = [1 if i == a else padded.shape[i] for i in range(padded.ndim)]
            low = alloc(np.asarray(_lowest(x.dtype), dtype=x.dtype), *shape)
            padded = concatenate([padded, low], axis=a)
    x_max = _unshifted(max_(padded, axis=axes, keepdims=True))
    out = add(log(sum_(exp(sub(x, x_max)), axis=axes, keepdims=True)), x_max)
    return out if keepdims or not axes else squeeze(out, axes)


def deg2rad(x: Any) -> TensorVariable:
    """Degrees to radians: ``x * (pi / 180)``, the constant in the output dtype, as PyTensor
    builds it (OP-DEGREES-1)."""
    x = as_tensor_variable(x)
    return mul(x, np.asarray(np.pi / 180, dtype=upgrade_to_float(x.dtype)))


def rad2deg(x: Any) -> TensorVariable:
    """Radians to degrees: ``x * (180 / pi)``, the constant in the output dtype, as PyTensor
    builds it (OP-DEGREES-1)."""
    x = as_tensor_variable(x)
    return mul(x, np.asarray(180 / np.pi, dtype=upgrade_to_float(x.dtype)))


# -- scipy.special functions PyTensor defines as compositions (OP-BESSEL-1, OP-GAMMAINC-1) --
def iv(v: Any, x: Any) -> TensorVariable:
    """``iv(v, x)``, the modified Bessel function of the first kind: ``ive(v, x) *
    exp(abs(x))`` (OP-BESSEL-1)."""
    return mul(ive(v, x), exp(abs(x)))  # OP-BESSEL-1


def kv(v: Any, x: Any) -> TensorVariable:
    """``kv(v, x)``, the modified Bessel function of the second kind: ``kve(v, x) *
    exp(-x)`` (OP-BESSEL-1)."""
    return mul(kve(v, x), exp(neg(x)))  # OP-BESSEL-1


def kn(n: Any, x: Any) -> TensorVariable:
    """``kn(n, x)``: the same graph as ``kv(n, x)`` (OP-BESSEL-1)."""
    return kv(n, x)


def gammau(k: Any, x: Any) -> TensorVariable:
    """The upper incomplete gamma function ``gammaincc(k, x) * gamma(k)`` (OP-GAMMAINC-1)."""
    return mul(gammaincc(k, x), gamma(k))  # OP-GAMMAINC-1


def gammal(k: Any, x: Any) -> TensorVariable:
    """The lower incomplete gamma function ``gammainc(k, x) * gamma(k)`` (OP-GAMMAINC-1)."""
    return mul(gammainc(k, x), gamma(k))  # OP-GAMMAINC-1


def chi2sf(x: Any, k: Any) -> TensorVariable:
    """The chi-squared survival function ``gammaincc(k / 2, x / 2)`` (OP-GAMMAINC-1).
    Deprecated, as in PyTensor: warns (``UserWarning``)."""
    import warnings

    warnings.warn("chi2sf is deprecated. Use `gammaincc(k / 2, x / 2)` instead", UserWarning, stacklevel=2)
    return gammaincc(true_div(k, 2), true_div(x, 2))  # OP-GAMMAINC-1


def __getattr__(name: str) -> Any:
    """PyTensor's names of this module that live in another module here (reference/_aliases.py)."""
    from reference import _aliases

    return _aliases.lookup(__name__, name)
