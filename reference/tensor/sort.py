"""PyTensor's ``pytensor.tensor.sort``: ``sort`` and ``argsort``, defined in
:mod:`reference.tensor.extra_ops` (OP-SORT-1)."""

from reference.tensor.extra_ops import argsort, sort

__all__ = ["argsort", "sort"]
