"""PyTensor's ``pytensor.compile.sharedvalue`` module name (SHARED-VALUE-1)."""

from reference.graph.shared import SharedVariable, shared

__all__ = ["SharedVariable", "shared"]
