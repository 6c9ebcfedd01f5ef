"""PyTensor's ``pytensor.graph.op`` module name: :class:`Op` (GRAPH-OP-2)."""

from reference.graph.basic import Apply, Op

__all__ = ["Apply", "Op"]
