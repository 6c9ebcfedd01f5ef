"""``ifelse``: choose between two graphs by a scalar condition.  Spec: spec/1-graphs.rst
(OP-IFELSE-*, GRAPH-EVAL-5).

Unlike ``pt.switch``, which computes both of its inputs and chooses elementwise, an
``IfElse`` node is *lazy*: the evaluator runs only the nodes the taken branch needs
(:func:`reference.evaluate.branch_homes`).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op, Variable
from reference.graph.type import DISCRETE_DTYPES, TensorType
from reference.tensor.variable import as_tensor_variable

__all__ = ["IfElse", "ifelse"]


class IfElse(Op):
    """``then_branch if condition else else_branch`` for ``n_outs`` pairs of values.

    Inputs: the condition, the ``n_outs`` values of the then branch, the ``n_outs`` values
    of the else branch.  Outputs: the ``n_outs`` values of the taken branch."""

    __props__ = ("n_outs", "as_view", "name")
    #: the evaluator runs only the taken branch's nodes (GRAPH-EVAL-5)
    lazy = True

    def __init__(self, n_outs: int, as_view: bool = False, name: str | None = None) -> None:
        self.n_outs = n_outs
        self.as_view = as_view
        self.name = name

    def make_node(self, condition: Any, *branches: Any) -> Apply:
        """The types of OP-IFELSE-1."""
        if len(branches) != 2 * self.n_outs:
            raise SpecValueError("OP-IFELSE-1", f"IfElse with n_outs={self.n_outs} takes {2 * self.n_outs} branch values, got {len(branches)}")
        condition = as_tensor_variable(condition)
        if condition.ndim != 0:
            raise SpecTypeError("OP-IFELSE-1", f"ifelse: condition must be a scalar (0-d), got {condition} of type {condition.type}")
        then_values = [as_tensor_variable(v) for v in branches[:self.n_outs]]
        else_values = [as_tensor_variable(v) for v in branches[self.n_outs:]]
        output_types = []
        for i, (a, b) in enumerate(zip(then_values, else_values, strict=True)):
            where = f"then_branch[{i}] ({a.type}) and else_branch[{i}] ({b.type})" if self.n_outs > 1 or self.name else f"then_branch ({a.type}) and else_branch ({b.type})"
            if a.dtype != b.dtype:
                raise SpecTypeError("OP-IFELSE-1", f"ifelse: {where} must have the same dtype")
            if a.ndim != b.ndim:
                raise SpecTypeError("OP-IFELSE-1", f"ifelse: {where} must have the same ndim")
            # OP-IFELSE-1: a length is static only where both branches have it
            shape = tuple(n if n == m else None for n, m in zip(a.type.shape, b.type.shape, strict=True))
            output_types.append(TensorType(a.dtype, shape))
        return Apply(self, [condition, *then_values, *else_values], output_types)

    def perform(self, node: Apply, condition: np.ndarray, *values: np.ndarray) -> list[np.ndarray]:
        """Both branches computed (a Schedule without the graph's outputs): pick one
        (OP-IFELSE-2).  With GRAPH-EVAL-5 the evaluator does this itself, lazily."""
        n = self.n_outs
        return list(values[:n] if condition else values[n:])

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        n = self.n_outs
        if values[0] is not None:
            return list(shapes[1:1 + n] if values[0] else shapes[1 + n:])
        if shapes[1:1 + n] != shapes[1 + n:]:
            raise LookupError("ifelse: the branches' shapes differ and the condition is unknown")
        return list(shapes[1:1 + n])

    def pullback(self, node: Apply, output_grads: list) -> list:
        """OP-IFELSE-3: each output's cotangent goes to the taken branch's value, zeros to
        the other's; the condition gets a zero gradient (none when it is discrete)."""
        from reference.tensor.basic import zeros_like

        condition, n = node.inputs[0], self.n_outs
        connected = [i for i, g in enumerate(output_grads)
                     if g is not None and node.outputs[i].dtype not in DISCRETE_DTYPES]
        then_grads: list[Any] = [None] * n
        else_grads: list[Any] = [None] * n
        if connected:
            given = [output_grads[i] for i in connected]
            zeros = [zeros_like(g) for g in given]
            taken = ifelse(condition, given, zeros)
            skipped = ifelse(condition, zeros, given)
            for i, g_then, g_else in zip(connected, taken, skipped, strict=True):
                then_grads[i], else_grads[i] = g_then, g_else
        condition_grad = None if condition.dtype in DISCRETE_DTYPES else zeros_like(condition)
        return [condition_grad, *then_grads, *else_grads]

    def __str__(self) -> str:  # GRAPH-PRINT-1: PyTensor's label
        return f"if{{{self.name or ''}}}"

    __repr__ = __str__


def ifelse(condition: Any, then_branch: Any, else_branch: Any, name: str | None = None) -> Any:
    """``then_branch`` if the scalar ``condition`` is true, else ``else_branch``; only the
    taken branch is computed (OP-IFELSE-1, OP-IFELSE-2, GRAPH-EVAL-5).

    The branches are one value each, or lists (tuples) of the same length; a list gives a
    list of outputs, a tuple a tuple."""
    several = isinstance(then_branch, list | tuple)
    then_values = list(then_branch) if several else [then_branch]
    else_values = list(else_branch) if isinstance(else_branch, list | tuple) else [else_branch]
    if len(then_values) != len(else_values):
        raise SpecValueError(
            "OP-IFELSE-1",
            f"ifelse: then_branch has {len(then_values)} values and else_branch has "
            f"{len(else_values)}; they must have as many",
        )
    if not then_values:
        return type(then_branch)() if several else []
    node = IfElse(len(then_values), name=name).make_node(condition, *then_values, *else_values)
    outputs: Sequence[Variable] = node.outputs
    if not several:
        return outputs[0]
    return tuple(outputs) if isinstance(then_branch, tuple) else list(outputs)


class _CallableModule(types.ModuleType):
    """``pytensor.ifelse`` is the function in PyTensor and this module in reference:
    calling the module calls :func:`ifelse`, so both spellings work."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return ifelse(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
