"""PyTensor's ``pytensor.compile.ops.as_op``: an Op from a Python function (GRAPH-OP-2)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from reference.errors import SpecTypeError
from reference.graph.basic import Apply, Op
from reference.graph.type import TensorType


def _as_type(item: Any) -> TensorType:
    """A TensorType, or a constructor such as ``pt.dmatrix`` (a function in reference)."""
    if isinstance(item, TensorType):
        return item
    if callable(item):
        made = item()
        if isinstance(getattr(made, "type", None), TensorType):
            return made.type
    raise SpecTypeError("GRAPH-OP-2", f"as_op: itypes and otypes must be tensor types, got {item!r}")


class FromFunctionOp(Op):
    """The Op ``as_op`` makes: inputs of ``itypes``, outputs of ``otypes``, computed by
    ``fn`` on numpy arrays; it has no gradient."""

    __props__ = ("fn", "itypes", "otypes")

    def __init__(self, fn: Callable[..., Any], itypes: Sequence[Any], otypes: Sequence[Any],
                 infer_shape: Callable[..., Any] | None = None) -> None:
        self.fn = fn
        self.itypes = tuple(_as_type(t) for t in itypes)
        self.otypes = tuple(_as_type(t) for t in otypes)
        self._infer_shape = infer_shape

    def __str__(self) -> str:
        return f"FromFunctionOp{{{getattr(self.fn, '__name__', 'fn')}}}"

    def make_node(self, *inputs: Any) -> Apply:
        from reference.tensor.variable import as_tensor_variable

        if len(inputs) != len(self.itypes):
            raise SpecTypeError("GRAPH-OP-2", f"{self}: expected {len(self.itypes)} inputs, got {len(inputs)}")
        variables = []
        for i, (value, itype) in enumerate(zip(inputs, self.itypes, strict=True)):
            variable = as_tensor_variable(value)
            if variable.type != itype and not itype.is_super(variable.type):
                raise SpecTypeError("GRAPH-OP-2", f"{self}: input {i} must be of type {itype}, got {variable.type}")
            variables.append(variable)
        return Apply(self, variables, list(self.otypes))

    def perform(self, node: Apply, *inputs: Any) -> Any:
        results = self.fn(*inputs)
        if len(self.otypes) == 1:
            return np.asarray(results, dtype=self.otypes[0].numpy_dtype)
        return tuple(np.asarray(r, dtype=t.numpy_dtype) for r, t in zip(results, self.otypes, strict=True))

    def pullback(self, node: Apply, output_grads: list) -> list:
        return [None] * len(node.inputs)  # no gradient: the inputs are disconnected


def as_op(itypes: Sequence[Any], otypes: Sequence[Any], infer_shape: Callable[..., Any] | None = None) -> Callable[[Callable[..., Any]], FromFunctionOp]:  # noqa: E501
    """A decorator making an Op of a function of numpy arrays (GRAPH-OP-2)."""
    def decorator(fn: Callable[..., Any]) -> FromFunctionOp:
        return FromFunctionOp(fn, itypes, otypes, infer_shape)

    return decorator


__all__ = ["FromFunctionOp", "as_op"]
