"""PyTensor's ``pytensor.tensor.type``: the tensor type and the input constructors, which
are defined in :mod:`reference.graph.type` (``TensorType``) and :mod:`reference.tensor.basic`
(``dvector``, ``matrices`` ...; TYPE-SHAPE-1, TYPE-SHAPE-3)."""

from reference.graph.type import TensorType
from reference.tensor.basic import *  # noqa: F403 - the constructors
from reference.tensor.basic import __all__ as _constructors
from reference.tensor.basic import tensor

__all__ = ["TensorType", "tensor", *_constructors]
