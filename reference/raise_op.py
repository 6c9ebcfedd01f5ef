"""PyTensor's ``pytensor.raise_op``: ops that pass a value through once conditions hold.
Spec: spec/2-ops.rst, "Assertions" (OP-ASSERT-1)."""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.errors import SpecTypeError
from reference.graph.basic import Apply, Op
from reference.tensor.variable import as_tensor_variable

__all__ = ["Assert", "CheckAndRaise", "assert_op"]


class CheckAndRaise(Op):
    """``CheckAndRaise(exc_type, msg)(x, *conds)`` is ``x`` when every condition (a scalar)
    is true, and raises ``exc_type(msg)`` when one is false (OP-ASSERT-1).  ``x`` receives
    its cotangent unchanged; the conditions receive none."""

    __props__ = ("exc_type", "msg")

    def __init__(self, exc_type: type[BaseException], msg: str = "") -> None:
        if not (isinstance(exc_type, type) and issubclass(exc_type, Exception)):
            raise SpecTypeError("OP-ASSERT-1", f"CheckAndRaise: exc_type must be an exception class, got {exc_type!r}")
        self.exc_type, self.msg = exc_type, msg

    def __str__(self) -> str:
        return f"CheckAndRaise{{{self.exc_type.__name__}, msg={self.msg!r}}}"

    def make_node(self, x: Any, *conds: Any) -> Apply:
        x = as_tensor_variable(x)
        checked = []
        for i, cond in enumerate(conds):
            cond = as_tensor_variable(cond)
            if cond.ndim != 0:
                raise SpecTypeError("OP-ASSERT-1", f"{self}: condition {i} must be a scalar, got {cond.type}")
            checked.append(cond)
        return Apply(self, [x, *checked], [x.type()])

    def perform(self, node: Apply, x: np.ndarray, *conds: np.ndarray) -> np.ndarray:
        if not all(bool(c) for c in conds):  # OP-ASSERT-1
            raise self.exc_type(self.msg)
        return x

    def pullback(self, node: Apply, output_grads: list) -> list:
        return [output_grads[0]] + [None] * (len(node.inputs) - 1)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]


class Assert(CheckAndRaise):
    """``CheckAndRaise(AssertionError, msg)``; PyTensor's default message."""

    def __init__(self, msg: str = "PyTensor Assert failed!") -> None:
        super().__init__(AssertionError, msg)

    def __str__(self) -> str:
        return f"Assert{{msg={self.msg!r}}}"


assert_op = Assert()
