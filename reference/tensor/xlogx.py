"""``pt.xlogx``: PyTensor's deprecated module of ``xlogx`` and ``xlogy0``.  Spec:
spec/2-ops.rst, OP-SPECIAL-5."""

from __future__ import annotations

import warnings
from typing import Any

from reference.tensor.variable import TensorVariable


def xlogx(x: Any) -> TensorVariable:
    """``pt.special.xlogy(x, x)``; deprecated, as in PyTensor: warns (``FutureWarning``)
    (OP-SPECIAL-5)."""
    from reference.tensor.special import xlogy

    warnings.warn("xlogx is deprecated; use pt.special.xlogy(x, x)", FutureWarning, stacklevel=2)
    return xlogy(x, x)


def xlogy0(x: Any, y: Any) -> TensorVariable:
    """``pt.special.xlogy(x, y)``; deprecated, as in PyTensor: warns (``FutureWarning``)
    (OP-SPECIAL-5)."""
    from reference.tensor.special import xlogy

    warnings.warn("xlogy0 is deprecated; use pt.special.xlogy(x, y)", FutureWarning, stacklevel=2)
    return xlogy(x, y)
