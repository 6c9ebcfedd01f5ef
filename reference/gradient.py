"""PyTensor's ``pytensor.gradient`` names: ``grad``, ``jacobian``, ``hessian``,
``hessian_vector_product``, ``pullback``, ``pushforward``, ``Lop``, ``Rop``, ``verify_grad``,
``numeric_grad``, ``DisconnectedInputError``, ``NullTypeGradError``, ``GradientError``, ``zero_grad``, ``disconnected_grad``, ``grad_clip``,
``grad_scale``.
The rules are in :mod:`reference.grad` and :mod:`reference.jacobian` (spec chapter 4)."""

from reference.errors import DisconnectedInputError, NullTypeGradError
from reference.grad import (
    Lop,
    Rop,
    backprop,
    disconnected_grad,
    grad,
    grad_clip,
    grad_not_implemented,
    grad_scale,
    grad_undefined,
    pullback,
    pushforward,
    zero_grad,
)
from reference.grad_extras import (
    DisconnectedType,
    GradClip,
    GradScale,
    UndefinedGrad,
    disconnected_type,
    subgraph_grad,
    undefined_grad,
)
from reference.jacobian import hessian, hessian_vector_product, jacobian
from reference.testing.gradcheck import GradientError, numeric_grad, verify_grad

__all__ = [
    "DisconnectedType", "GradClip", "GradScale", "UndefinedGrad", "disconnected_type", "subgraph_grad", "undefined_grad",
    "DisconnectedInputError", "GradientError", "Lop", "NullTypeGradError", "Rop", "backprop", "disconnected_grad", "grad", "grad_clip",
    "grad_not_implemented", "grad_scale", "grad_undefined", "hessian", "hessian_vector_product", "jacobian", "numeric_grad", "pullback",
    "pushforward", "verify_grad", "zero_grad",
]
