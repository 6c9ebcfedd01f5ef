"""PyTensor's ``pytensor.gradient`` names: ``grad``, ``verify_grad``, ``numeric_grad``,
``DisconnectedInputError``.  The rules are in :mod:`reference.grad` (spec chapter 4)."""

from reference.errors import DisconnectedInputError
from reference.grad import backprop, grad
from reference.testing.gradcheck import numeric_grad, verify_grad

__all__ = ["DisconnectedInputError", "backprop", "grad", "numeric_grad", "verify_grad"]
