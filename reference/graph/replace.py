"""PyTensor's ``pytensor.graph.replace``: ``clone_replace`` and ``graph_replace``
(GRAPH-REPLACE-1), which check each replacement's type as PyTensor does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reference.errors import SpecTypeError, SpecValueError
from reference.graph import traversal
from reference.graph.basic import Variable


def _checked(replace: Any, strict: bool = True) -> list[tuple[Variable, Any]]:
    from reference.graph.type import TensorType
    from reference.tensor.variable import as_tensor_variable

    pairs = list(replace.items()) if isinstance(replace, Mapping) else list(replace or ())
    checked = []
    for old, new in pairs:
        if not isinstance(old, Variable):
            raise SpecTypeError("GRAPH-REPLACE-1", f"clone_replace: keys must be variables, got {old!r}")
        if not isinstance(new, Variable):
            new = as_tensor_variable(new)
        if strict and isinstance(old.type, TensorType) and isinstance(new.type, TensorType) and (
                old.type.dtype != new.type.dtype or old.type.ndim != new.type.ndim):
            raise SpecTypeError(
                "GRAPH-REPLACE-1",
                f"clone_replace: {old} of type {old.type} cannot be replaced by {new} of type {new.type}: "
                "the dtype and the number of dimensions must be the same",
            )
        checked.append((old, new))
    return checked


def clone_replace(output: Variable | Sequence[Variable], replace: Any = None, **rebuild_kwds: Any) -> Any:
    """``output`` (one variable, or a list or tuple) rebuilt with the replacements of
    ``replace`` (a mapping or a list of pairs), each of the replaced variable's dtype and
    number of dimensions unless ``rebuild_strict=False``: then the rebuilt nodes take the
    types their ops give them (GRAPH-REPLACE-1)."""
    return traversal.clone_replace(output, _checked(replace, rebuild_kwds.get("rebuild_strict", True)))


def graph_replace(outputs: Variable | Sequence[Variable], replace: Any = None, *, strict: bool = True) -> Any:
    """:func:`clone_replace`; with ``strict`` (the default) a replaced variable that
    ``outputs`` do not depend on is a ``SpecValueError`` (GRAPH-REPLACE-1)."""
    pairs = _checked(replace)
    if strict:
        reached = {id(v) for v in traversal.ancestors(outputs if isinstance(outputs, Sequence) else [outputs])}
        unused = [old for old, _ in pairs if id(old) not in reached]
        if unused:
            raise SpecValueError("GRAPH-REPLACE-1", f"graph_replace: some replacements were not used: {unused}")
    return traversal.clone_replace(outputs, pairs)


def vectorize(*args: Any, **kwargs: Any) -> Any:
    """PyTensor's former name of :func:`vectorize_graph`; warns as PyTensor does."""
    import warnings

    warnings.warn("vectorize was renamed to vectorize_graph", UserWarning, stacklevel=2)
    return vectorize_graph(*args, **kwargs)


def vectorize_graph(outputs: Variable | Sequence[Variable], replace: Mapping[Variable, Variable]) -> Any:
    """PyTensor's ``pytensor.graph.replace.vectorize_graph``: the function of
    :mod:`reference.tensor.functional` (OP-VECTORIZE-1)."""
    from reference.tensor.functional import vectorize_graph as vectorize_graph_

    return vectorize_graph_(outputs, replace)


__all__ = ["clone_replace", "graph_replace", "vectorize_graph"]


def __getattr__(name: str) -> Any:
    """PyTensor's names of this module that live in another module here (reference/_aliases.py)."""
    from reference import _aliases

    return _aliases.lookup(__name__, name)
