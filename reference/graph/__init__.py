"""The graph language: types, variables, ops, traversal, shared variables."""

from reference.graph.basic import Apply, Constant, Op, Variable
from reference.graph.traversal import clone_replace, graph_inputs, toposort
from reference.graph.type import TensorType

__all__ = ["Apply", "Constant", "Op", "TensorType", "Variable", "clone_replace", "graph_inputs",
           "toposort"]
