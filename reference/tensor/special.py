"""``pt.special``: softmax, log_softmax, logit, beta, betaln, factorial, poch, xlogy,
xlog1py, and PyTensor's ``logsumexp`` and ``logaddexp`` (the functions ``pt.logsumexp`` and
``pt.logaddexp`` are).  Spec: spec/2-ops.rst, "Special functions" (OP-SPECIAL-1 ..
OP-SPECIAL-5).

Each function is a composition of the ops of chapter 2, written as the formula PyTensor's
evaluation computes (the maximum along the axes is subtracted before ``exp``), so dtypes,
static shapes and gradients follow from the rules of the ops it is made of.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.errors import SpecTypeError
from reference.tensor.math import (
    _xlog1py,
    _xlogy,
    add,
    exp,
    gamma,
    gammaln,
    log,
    logaddexp,
    logsumexp,
    mul,
    sub,
    true_div,
)
from reference.tensor.reduction import max as max_
from reference.tensor.reduction import normalize_axes
from reference.tensor.reduction import sum as sum_
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = [
    "beta", "betaln", "factorial", "log_softmax", "logaddexp", "logit", "logsumexp", "poch", "softmax",
    "xlog1py", "xlogy",
]  # fmt: skip


def _axes(x: TensorVariable, axis: Any, name: str) -> tuple[int, ...]:
    """``axis`` as a tuple of axes of ``x``: ``None`` is every axis (OP-SPECIAL-1 step 1)."""
    if axis is not None and not isinstance(axis, int | np.integer | list | tuple):
        raise SpecTypeError("OP-SPECIAL-1", f"{name}: axis must be None, an int or a tuple of ints, got {axis!r}")
    if isinstance(axis, list | tuple):
        for a in axis:
            if isinstance(a, bool) or not isinstance(a, int | np.integer):
                raise SpecTypeError("OP-SPECIAL-1", f"{name}: axis must be None, an int or a tuple of ints, got {axis!r}")
    return normalize_axes(axis, x.ndim, name)


def _stable(x: TensorVariable, axes: tuple[int, ...]) -> TensorVariable:
    """``x`` minus its maximum along ``axes`` (kept as length-1 axes)."""
    return sub(x, max_(x, axis=axes, keepdims=True))


def softmax(c: Any, axis: Any = None) -> TensorVariable:
    """``exp(x - max) / sum(exp(x - max))`` along ``axis`` (default: every axis) (OP-SPECIAL-1)."""
    x = as_tensor_variable(c)
    axes = _axes(x, axis, "softmax")
    e_x = exp(_stable(x, axes))  # OP-SPECIAL-1 step 2
    return true_div(e_x, sum_(e_x, axis=axes, keepdims=True))  # OP-SPECIAL-1 step 3


def log_softmax(c: Any, axis: Any = None) -> TensorVariable:
    """``(x - max) - log(sum(exp(x - max)))`` along ``axis`` (default: every axis) (OP-SPECIAL-2)."""
    x = as_tensor_variable(c)
    axes = _axes(x, axis, "log_softmax")
    x_stable = _stable(x, axes)  # OP-SPECIAL-2
    return sub(x_stable, log(sum_(exp(x_stable), axis=axes, keepdims=True)))


def logit(x: Any) -> TensorVariable:
    """``log(x / (1 - x))``, the inverse of ``sigmoid`` (OP-SPECIAL-3)."""
    x = as_tensor_variable(x)
    return log(true_div(x, sub(1, x)))  # OP-SPECIAL-3


def beta(a: Any, b: Any) -> TensorVariable:
    """The beta function ``gamma(a) * gamma(b) / gamma(a + b)`` (OP-SPECIAL-4)."""
    return true_div(mul(gamma(a), gamma(b)), gamma(add(a, b)))  # OP-SPECIAL-4


def betaln(a: Any, b: Any) -> TensorVariable:
    """``gammaln(a) + gammaln(b) - gammaln(a + b)`` (OP-SPECIAL-4)."""
    return sub(add(gammaln(a), gammaln(b)), gammaln(add(a, b)))  # OP-SPECIAL-4


def factorial(n: Any) -> TensorVariable:
    """``gamma(n + 1)`` (OP-SPECIAL-4)."""
    return gamma(add(n, 1))  # OP-SPECIAL-4


def poch(z: Any, m: Any) -> TensorVariable:
    """The rising factorial ``gamma(z + m) / gamma(z)`` (OP-SPECIAL-4)."""
    return true_div(gamma(add(z, m)), gamma(z))  # OP-SPECIAL-4


def xlogy(x: Any, y: Any) -> TensorVariable:
    """``x * log(y)``, and ``0`` where ``x == 0`` (OP-SPECIAL-5)."""
    return _xlogy(x, y)  # OP-SPECIAL-5


def xlog1py(x: Any, y: Any) -> TensorVariable:
    """``x * log1p(y)``, and ``0`` where ``x == 0`` (OP-SPECIAL-5)."""
    return _xlog1py(x, y)  # OP-SPECIAL-5


# importing the submodule makes ``pt.xlogx`` the module, as in PyTensor (OP-SPECIAL-5)
from reference.tensor import xlogx  # noqa: E402, F401
