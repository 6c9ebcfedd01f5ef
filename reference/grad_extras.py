"""More of ``pytensor.gradient``: ``undefined_grad``, ``subgraph_grad``, ``DisconnectedType``
and the op classes ``GradClip``, ``GradScale``, ``UndefinedGrad``.

Spec: spec/4-gradients.rst (GRAD-CONST-3, GRAD-SUBGRAPH-1, GRAD-DISC-1).  Exported by
:mod:`reference.gradient`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference.grad import GradientOverride, grad, grad_undefined
from reference.graph.basic import Apply, Variable

_PLACEHOLDER = ("If you're assigning to a DisconnectedType you're doing something wrong. "
                "It should only be used as a symbolic placeholder.")


class DisconnectedType:
    """The type of a placeholder for a disconnected gradient (GRAD-DISC-1): an op's
    gradient method may return ``DisconnectedType()()`` for an input its outputs do not
    depend on; the chain rule reads it as no cotangent at all.  It has no values."""

    #: read by :func:`reference.grad.backprop` (GRAD-DISC-1)
    disconnected_placeholder = True

    def __call__(self, name: str | None = None) -> Variable:
        """A new variable of this type, without owner."""
        return Variable(self, name=name)

    def make_variable(self, owner: Apply | None, index: int | None, name: str | None = None) -> Variable:
        return Variable(self, owner, index, name)

    def filter(self, data: Any, strict: bool = False, allow_downcast: Any = None) -> Any:
        raise AssertionError(_PLACEHOLDER)

    def filter_variable(self, other: Any) -> Any:
        raise AssertionError(_PLACEHOLDER)

    def value_eq(self, a: Any, b: Any, force_same_dtype: bool = True) -> bool:
        raise AssertionError(_PLACEHOLDER)

    def __str__(self) -> str:
        return "DisconnectedType"

    __repr__ = __str__


#: PyTensor's instance: ``disconnected_type()`` is a placeholder variable
disconnected_type = DisconnectedType()


class _Kind(type):
    """``isinstance(op, GradClip)`` also holds for the ``GradientOverride`` of that kind
    that :func:`reference.grad.grad_clip` builds (GRAD-CONST-3)."""

    def __instancecheck__(cls, instance: Any) -> bool:
        kind = cls.__dict__.get("_kind")
        return super().__instancecheck__(instance) or (
            kind is not None and type(instance) is GradientOverride and instance.kind == kind)


class UndefinedGrad(GradientOverride, metaclass=_Kind):
    """The identity, whose gradient is undefined (GRAD-CONST-3, GRAD-UNDEF-1)."""

    def __init__(self) -> None:
        super().__init__("undefined")

    def __str__(self) -> str:
        return "UndefinedGrad"

    def pullback(self, node: Apply, output_grads: list) -> list:
        """An undefined cotangent for the input (GRAD-CONST-3)."""
        return [grad_undefined(self, 0, node.inputs[0])]


class GradClip(GradientOverride, metaclass=_Kind):
    """``GradClip(lower, upper)(x)`` is ``grad_clip(x, lower, upper)`` (GRAD-CONST-3): the
    bounds become inputs of the node.  Numeric bounds with ``upper < lower`` are a
    ``ValueError``."""

    _kind = "clip"

    def __init__(self, clip_lower_bound: Any, clip_upper_bound: Any) -> None:
        super().__init__("clip")
        if not isinstance(clip_lower_bound, Variable) and not isinstance(clip_upper_bound, Variable) \
                and not clip_upper_bound >= clip_lower_bound:
            raise ValueError("`clip_upper_bound` should be >= `clip_lower_bound`")
        self.clip_lower_bound = clip_lower_bound
        self.clip_upper_bound = clip_upper_bound

    def make_node(self, x: Any, *parameters: Any) -> Apply:
        return super().make_node(x, *(parameters or (self.clip_lower_bound, self.clip_upper_bound)))


class GradScale(GradientOverride, metaclass=_Kind):
    """``GradScale(multiplier)(x)`` is ``grad_scale(x, multiplier)`` (GRAD-CONST-3)."""

    _kind = "scale"

    def __init__(self, multiplier: Any) -> None:
        super().__init__("scale")
        self.multiplier = multiplier

    def make_node(self, x: Any, *parameters: Any) -> Apply:
        return super().make_node(x, *(parameters or (self.multiplier,)))


def undefined_grad(x: Any) -> Variable:
    """``x``, whose gradient is undefined: ``grad`` through it raises ``NullTypeGradError``
    (GRAD-CONST-3, GRAD-UNDEF-1)."""
    return UndefinedGrad()(x)


def subgraph_grad(wrt: list[Variable], end: list[Variable], start: Mapping[Variable, Any] | None = None,
                  cost: Variable | None = None, details: bool = False) -> tuple[list[Variable], ...]:
    """The gradients with respect to ``wrt`` and to ``end`` of ``cost`` and of the known
    gradients ``start``, not going past ``end`` (GRAD-SUBGRAPH-1).

    1. ``wrt`` and ``end`` must be lists and ``start`` a dict or None (``TypeError``); one
       of ``cost`` and ``start`` must be given (``ValueError``).
    2. With ``start``: ``grad(None, params, known_grads=start, consider_constant=end,
       disconnected_inputs="ignore")``, where ``params`` is ``wrt + end`` without
       repetitions; with ``cost``: ``grad(cost, params, consider_constant=end,
       disconnected_inputs="ignore")``; with both, their sum.
    3. Return ``(wrt_grads, end_grads)``, and with ``details`` also the two lists of step 2
       (``None`` for the one not computed), ordered as ``params``.
    """
    if cost is None and start is None:
        raise ValueError("`cost` or `start` must be specified.")
    if not isinstance(end, list):
        raise TypeError("`end` must be a list.")
    if not isinstance(wrt, list):
        raise TypeError("`wrt` must be a list.")
    if start is not None and not isinstance(start, dict):
        raise TypeError("`start` must be a dictionary.")
    params: list[Variable] = []
    for variable in (*wrt, *end):
        if not any(variable is p for p in params):
            params.append(variable)
    start_grads = cost_grads = None
    if start is not None:
        start_grads = list(grad(None, params, known_grads=start, consider_constant=end, disconnected_inputs="ignore"))
    if cost is not None:
        cost_grads = list(grad(cost, params, consider_constant=end, disconnected_inputs="ignore"))
    if start_grads is not None and cost_grads is not None:
        totals = [s + c for s, c in zip(start_grads, cost_grads, strict=True)]
    else:
        totals = start_grads if start_grads is not None else cost_grads
    assert totals is not None
    by_param = {id(p): g for p, g in zip(params, totals, strict=True)}
    wrt_grads = [by_param[id(v)] for v in wrt]
    end_grads = [by_param[id(v)] for v in end]
    if details:
        return wrt_grads, end_grads, start_grads, cost_grads
    return wrt_grads, end_grads
