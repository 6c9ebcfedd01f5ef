"""PyTensor's ``pytensor.gradient`` names: ``grad``, ``jacobian``, ``hessian``,
``hessian_vector_product``, ``verify_grad``, ``numeric_grad``, ``DisconnectedInputError``.
The rules are in :mod:`reference.grad` and :mod:`reference.jacobian` (spec chapter 4)."""

from reference.errors import DisconnectedInputError
from reference.grad import backprop, grad
from reference.jacobian import hessian, hessian_vector_product, jacobian
from reference.testing.gradcheck import numeric_grad, verify_grad

__all__ = [
    "DisconnectedInputError", "backprop", "grad", "hessian", "hessian_vector_product", "jacobian",
    "numeric_grad", "verify_grad",
]
