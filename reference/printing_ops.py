"""Identity ops that print as a side effect: ``pytensor.printing.Print``.
Spec: spec/1-graphs.rst (GRAPH-PRINT-4)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reference.graph.basic import Apply, Op, Variable


def _print_fn(op: Print, value: Any) -> None:
    """Print's default ``global_fn`` (GRAPH-PRINT-4): for each name of ``op.attrs``, take
    that attribute of the value, call it when it is callable, and print
    ``<message> <name> = <result>``."""
    for attr in op.attrs:
        shown = getattr(value, attr)
        if callable(shown):
            shown = shown()
        print(op.message, attr, "=", shown)


class Print(Op):
    """``Print(message="", attrs=("__str__",), global_fn=_print_fn)(x)`` is ``x``; evaluating
    it calls ``global_fn(op, value)``, which by default prints ``<message> <attr> = <value's
    attr>`` for each attribute (GRAPH-PRINT-4).  Gradients pass through unchanged.  The op
    is never evaluated before the graph runs (not constant-foldable) and has no C-kernel
    lowering: a loop whose step holds one runs on the Python path (KERN-FALL-1)."""

    __props__ = ("message", "attrs", "global_fn")
    #: the output is the input itself (PyTensor's view_map)
    view_map = {0: [0]}
    #: GRAPH-PRINT-4: printing is the op's point, so it runs only when the graph is evaluated
    constant_foldable = False

    def __init__(self, message: str = "", attrs: Iterable[str] = ("__str__",),
                 global_fn: Callable[[Print, Any], None] = _print_fn) -> None:
        self.message = message
        self.attrs = tuple(attrs)
        self.global_fn = global_fn

    def __str__(self) -> str:
        return f"Print{{message={self.message!r}, attrs={self.attrs!r}, global_fn={self.global_fn!r}}}"

    __repr__ = __str__

    def make_node(self, x: Any) -> Apply:
        if not isinstance(x, Variable):
            from reference.tensor.variable import as_tensor_variable

            x = as_tensor_variable(x)
        return Apply(self, [x], [x.type])

    def perform(self, node: Apply, x: Any) -> Any:
        """The input itself, after ``global_fn(self, x)`` (GRAPH-PRINT-4)."""
        self.global_fn(self, x)
        return x

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The cotangent, unchanged (GRAPH-PRINT-4)."""
        return [output_grads[0]]

    def __setstate__(self, state: dict) -> None:
        state.setdefault("global_fn", _print_fn)
        self.__dict__.update(state)
