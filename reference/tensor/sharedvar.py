"""PyTensor's ``pytensor.tensor.sharedvar``: shared tensors, defined in
:mod:`reference.graph.shared` (SHARED-*)."""

from reference.graph.shared import SharedVariable, TensorSharedVariable, shared

tensor_constructor = shared

__all__ = ["SharedVariable", "TensorSharedVariable", "shared", "tensor_constructor"]
