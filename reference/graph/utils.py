"""PyTensor's ``pytensor.graph.utils`` module name for the graph errors."""

from reference.errors import MissingInputError

__all__ = ["MissingInputError"]
