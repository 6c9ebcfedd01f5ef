"""The graph language: types, variables, ops, traversal, shared variables."""

from reference.graph.basic import Apply, Constant, Op, Variable
from reference.graph.replace import clone_replace, graph_replace, vectorize_graph
from reference.graph.traversal import (
           ancestors,
           explicit_graph_inputs,
           graph_inputs,
           io_toposort,
           toposort,
)
from reference.graph.type import TensorType

__all__ = ["Apply", "Constant", "Op", "TensorType", "Variable", "ancestors", "clone_replace",
           "explicit_graph_inputs", "graph_inputs", "graph_replace", "io_toposort", "toposort",
           "vectorize_graph"]
