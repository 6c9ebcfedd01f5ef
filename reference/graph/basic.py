"""Graph syntax: variables, applications of ops, ops.  Spec: spec/1-graphs.rst (GRAPH-*).

A graph is made of :class:`Variable` objects.  A variable is either a *root* (an input,
a constant or a shared variable: ``owner is None``, GRAPH-ROOT-1) or the ``index``-th output of an
:class:`Apply` node, which applies an :class:`Op` to input variables.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

_ids = itertools.count()


class Variable:
    """A node of the graph, with a type.  ``owner``/``index`` say which Apply made it."""

    def __init__(
        self,
        type: Any,  # noqa: A002 - PyTensor's name
        owner: Apply | None = None,
        index: int | None = None,
        name: str | None = None,
    ) -> None:
        self.type = type
        self.owner = owner
        self.index = index
        self.name = name
        self.auto_id = next(_ids)
        self.tag: dict[str, Any] = {}

    def __str__(self) -> str:
        """The name if set, else ``Op.index`` for outputs, else ``<Type>`` (GRAPH-PRINT-1)."""
        if self.name is not None:
            return self.name
        if self.owner is not None:
            return f"{self.owner.op}.{self.index}"
        return f"<{self.type}>"

    def __repr__(self) -> str:
        return str(self)

    def clone(self) -> Variable:
        """A fresh root variable of the same type and name."""
        return type(self)(self.type, name=self.name)

    def get_parents(self) -> list[Apply]:
        return [] if self.owner is None else [self.owner]

    def eval(self, inputs_to_values: dict | None = None) -> np.ndarray:
        """Evaluate this variable with the reference evaluator (GRAPH-EVAL-1)."""
        from reference.evaluate import evaluate

        return evaluate(self, inputs_to_values or {})


class Constant(Variable):
    """A root with a fixed, read-only value (GRAPH-ROOT-2)."""

    def __init__(self, type: Any, data: Any, name: str | None = None) -> None:  # noqa: A002
        super().__init__(type, None, None, name)
        self.data = data

    @property
    def value(self) -> Any:
        return self.data

    def clone(self) -> Constant:
        return type(self)(self.type, self.data, name=self.name)

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        data = self.data
        if isinstance(data, np.ndarray) and data.size > 8:
            return f"TensorConstant{{{data.dtype.name}{data.shape}}}"
        return str(data.tolist() if isinstance(data, np.ndarray) else data)


class Apply:
    """The application of ``op`` to ``inputs``, producing ``outputs`` (GRAPH-APPLY-1)."""

    def __init__(self, op: Op, inputs: Sequence[Variable], output_types: Sequence[Any]) -> None:
        self.op = op
        self.inputs = list(inputs)
        self.outputs = [
            t.make_variable(self, i) if hasattr(t, "make_variable") else _tensor_output(t, self, i)
            for i, t in enumerate(output_types)
        ]

    @property
    def out(self) -> Variable:
        assert len(self.outputs) == 1, "Apply.out needs exactly one output"
        return self.outputs[0]

    @property
    def nin(self) -> int:
        return len(self.inputs)

    @property
    def nout(self) -> int:
        return len(self.outputs)

    def __str__(self) -> str:
        names = ", ".join(str(v) for v in self.inputs)
        return f"{self.op}({names})"

    __repr__ = __str__


def _tensor_output(type_: Any, owner: Apply, index: int) -> Variable:
    from reference.tensor.variable import TensorVariable

    return TensorVariable(type_, owner=owner, index=index)


class Op:
    """An operation.  Subclasses define:

    * ``make_node(*inputs) -> Apply``: checks the input types and computes the output
      types (the op's well-formedness rule);
    * ``perform(node, *values) -> value or tuple``: the op's execution rule on numpy arrays;
    * ``infer_shape(node, shapes, values)``: output shapes from input shapes (used to
      give zero-step scan outputs their row shape without running the step);
    * ``pullback(node, inputs, outputs, output_grads)``: the vector-Jacobian product.

    ``__props__`` names the parameters that make two instances equal.
    """

    __props__: tuple[str, ...] = ()

    def __call__(self, *inputs: Any, **kwargs: Any) -> Any:
        node = self.make_node(*inputs, **kwargs)
        return node.outputs[0] if len(node.outputs) == 1 else node.outputs

    def make_node(self, *inputs: Any) -> Apply:
        raise NotImplementedError

    def perform(self, node: Apply, *inputs: Any) -> Any:
        raise NotImplementedError

    def _props(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__props__)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._props() == other._props()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self._props()))

    def __str__(self) -> str:
        name = type(self).__name__
        if not self.__props__:
            return name
        params = ", ".join(f"{p}={getattr(self, p)}" for p in self.__props__)
        return f"{name}{{{params}}}"

    __repr__ = __str__
