"""``until``: the stop condition of a while-loop.  Spec: spec/3-scan.rst (SCAN-UNTIL-*)."""

from __future__ import annotations

from typing import Any

from reference.errors import SpecTypeError


class until:  # noqa: N801 - PyTensor's name
    """Wraps the condition a step returns last; the loop stops after the first step
    where it is nonzero (SCAN-UNTIL-1).  The condition must be a scalar (SCAN-UNTIL-3)."""

    def __init__(self, condition: Any) -> None:
        from reference.tensor.variable import as_tensor_variable

        if isinstance(condition, bool):
            raise SpecTypeError(
                "SCAN-UNTIL-3",
                f"until({condition}): the condition must be symbolic; a Python bool would stop "
                "every step or none",
            )
        condition = as_tensor_variable(condition)
        if condition.ndim != 0:
            raise SpecTypeError(
                "SCAN-UNTIL-3",
                f"until: the condition must be a scalar, got {condition.type}; reduce it first "
                "(for example with .any() or .all())",
            )
        self.condition = condition

    def __repr__(self) -> str:
        return f"until({self.condition})"
