"""Reverse-mode differentiation.  Spec: spec/4-gradients.rst (GRAD-*).

Gradients are graphs: ``grad`` walks the graph of the cost backwards, asking each node's
op for its pullback (the vector-Jacobian product, defined next to the op), and sums the
contributions each variable receives.  Because the result is a graph, ``grad`` of a
gradient works.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reference.errors import DisconnectedInputError, SpecTypeError, SpecValueError
from reference.graph.basic import Variable
from reference.graph.traversal import toposort
from reference.graph.type import DISCRETE_DTYPES
from reference.tensor.variable import TensorVariable, as_tensor_variable


def _total(contributions: list[Variable]) -> Variable:
    from reference.tensor.math import add

    total = contributions[0]
    for term in contributions[1:]:
        total = add(total, term)
    return total


def backprop(outputs: Sequence[Variable], output_grads: Sequence[Variable | None],
             wrt: Sequence[Variable], consider_constant: Sequence[Variable] = ()) -> list[Variable | None]:
    """The gradients of ``sum(output_grads[i] · outputs[i])`` with respect to ``wrt``
    (GRAD-CHAIN-1).  ``None`` means "does not depend" (disconnected).

    Nodes are visited in reverse topological order; a variable's cotangent is the sum of
    what its readers' pullbacks give it (GRAD-CHAIN-2).  Variables in
    ``consider_constant`` pass no gradient to their inputs (GRAD-CONST-1).
    """
    wrt_ids = {id(v) for v in wrt}
    constant_ids = {id(v) for v in consider_constant}
    order = toposort(outputs)
    depends: set[int] = set(wrt_ids)
    for node in order:  # which variables depend on wrt (others need no cotangent)
        if any(id(v) in depends for v in node.inputs):
            # a constant does not depend on its inputs, but is itself reached (GRAD-CONST-1)
            depends.update(id(v) for v in node.outputs if id(v) not in constant_ids)
    pending: dict[int, list[Variable]] = {}
    for output, g in zip(outputs, output_grads, strict=True):
        if g is not None:
            pending.setdefault(id(output), []).append(g)
    for node in reversed(order):
        if not any(id(v) in depends for v in node.outputs):
            continue
        if any(id(v) in constant_ids for v in node.outputs):
            continue
        cotangents = [_total(pending[id(v)]) if id(v) in pending else None for v in node.outputs]
        if all(g is None for g in cotangents):
            continue
        input_grads = node.op.pullback(node, cotangents)
        for variable, g in zip(node.inputs, input_grads, strict=True):
            if g is None or id(variable) not in depends or variable.type.dtype in DISCRETE_DTYPES:
                continue
            pending.setdefault(id(variable), []).append(g)
    return [_total(pending[id(v)]) if id(v) in pending else None for v in wrt]


def grad(cost: Any, wrt: Any, consider_constant: Sequence[Variable] | None = None,
         disconnected_inputs: str = "raise", add_names: bool = True,
         known_grads: Mapping[Variable, Any] | None = None, return_disconnected: str = "zero",
         null_gradients: str = "raise") -> Any:
    """The gradient of the scalar ``cost`` with respect to ``wrt`` (a variable or a list)
    (GRAD-API-1 .. GRAD-API-4).

    ``known_grads`` seeds cotangents of intermediate variables (then ``cost`` may be None);
    ``disconnected_inputs`` ('raise', 'warn', 'ignore') says what to do when the cost does
    not depend on a ``wrt`` variable; ``return_disconnected`` ('zero', 'none') what to
    return for it.  Integer and boolean ``wrt`` get a zero gradient of float dtype.
    """
    from reference.config import config
    from reference.tensor.basic import ones_like, zeros_like

    single = not isinstance(wrt, list | tuple)
    wrt_list = [wrt] if single else list(wrt)
    for i, variable in enumerate(wrt_list):
        if not isinstance(variable, Variable):
            raise SpecTypeError("GRAD-API-1", f"wrt[{i}] must be a variable, got {variable!r}")
    outputs: list[Variable] = []
    seeds: list[Variable | None] = []
    if cost is not None:
        cost = as_tensor_variable(cost)
        if cost.ndim != 0:
            raise SpecTypeError("GRAD-API-1", f"cost must be a scalar, got {cost.type}; reduce it first (e.g. cost.sum())")
        if cost.dtype in DISCRETE_DTYPES:
            raise SpecTypeError("GRAD-API-1", f"cost must have a float dtype, got {cost.dtype}")
        outputs.append(cost)
        given = [g for v, g in (known_grads or {}).items() if v is cost]
        seeds.append(as_tensor_variable(given[0]) if given else ones_like(cost))  # GRAD-API-2
    elif not known_grads:
        raise SpecValueError("GRAD-API-1", "grad needs a cost or known_grads")
    for variable, g in (known_grads or {}).items():
        if variable is cost:
            continue
        outputs.append(variable)
        seeds.append(as_tensor_variable(g))
    if disconnected_inputs not in ("raise", "warn", "ignore"):
        raise SpecValueError("GRAD-API-3", f"disconnected_inputs must be 'raise', 'warn' or 'ignore', got {disconnected_inputs!r}")
    if return_disconnected not in ("zero", "none", "disconnected"):
        raise SpecValueError("GRAD-API-3", f"return_disconnected must be 'zero' or 'none', got {return_disconnected!r}")
    grads = backprop(outputs, seeds, wrt_list, consider_constant or ())
    results: list[Any] = []
    for i, (variable, g) in enumerate(zip(wrt_list, grads, strict=True)):
        if variable.type.dtype in DISCRETE_DTYPES:  # GRAD-API-4
            results.append(zeros_like(variable, dtype=config.floatX))
            continue
        if g is None:
            message = f"the cost does not depend on wrt[{i}] ({variable}); pass disconnected_inputs='ignore' to get {'zeros' if return_disconnected == 'zero' else 'None'}"
            if disconnected_inputs == "raise":
                raise DisconnectedInputError("GRAD-API-3", message)
            if disconnected_inputs == "warn":
                import warnings

                warnings.warn(message, stacklevel=2)
            results.append(zeros_like(variable) if return_disconnected == "zero" else None)
            continue
        if add_names and isinstance(g, TensorVariable) and g.name is None and variable.name and cost is not None and cost.name:
            g.name = f"(d{cost.name}/d{variable.name})"  # only when both are named, as PyTensor
        results.append(g)
    if single:
        return results[0]
    return tuple(results) if isinstance(wrt, tuple) else results
