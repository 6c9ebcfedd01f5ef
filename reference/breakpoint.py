"""``pytensor.breakpoint.PdbBreakpoint``: a conditional debugger stop inside a compiled
graph.  Spec: spec/1-graphs.rst (GRAPH-PRINT-5)."""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op, Variable

__all__ = ["PdbBreakpoint"]

_BANNER = (
    "\n\n"
    "-------------------------------------------------\n"
    "Conditional breakpoint '{name}' activated\n\n"
    "The monitored variables are stored, in order,\n"
    "in the list variable 'monitored' as NumPy arrays.\n\n"
    "Their contents can be altered and, when execution\n"
    "resumes, the updated values will be used.\n"
    "-------------------------------------------------"
)


def _debugger() -> Any:
    """The ``set_trace`` of the first debugger that imports: pudb, then ipdb, then pdb
    (GRAPH-PRINT-5).  Called with no argument, it stops in the caller's frame."""
    for module in ("pudb", "ipdb"):
        try:
            return __import__(module).set_trace
        except ImportError:
            continue
    import pdb

    return pdb.set_trace


class PdbBreakpoint(Op):
    """``PdbBreakpoint(name)(condition, *monitored)`` returns the monitored values (one
    output each).  When the 0-d ``condition`` is true at run time, it prints a banner naming
    the breakpoint and stops in a debugger with the values, as numpy arrays, in the local
    list ``monitored``; after resuming, the outputs are those list entries converted to the
    inputs' types (GRAPH-PRINT-5).  The condition has no gradient; the monitored values'
    gradients pass through unchanged."""

    __props__ = ("name",)
    #: GRAPH-PRINT-5: the stop happens when the graph runs, never before
    constant_foldable = False

    def __init__(self, name: str) -> None:
        self.name = name

    def make_node(self, condition: Any, *monitored_vars: Any) -> Apply:
        from reference.tensor.variable import as_tensor_variable

        condition = as_tensor_variable(condition)
        if condition.ndim != 0:
            raise SpecTypeError("GRAPH-PRINT-5", f"PdbBreakpoint: the condition must be a scalar (0-d), got {condition.type}")
        monitored = [v if isinstance(v, Variable) else as_tensor_variable(v) for v in monitored_vars]
        return Apply(self, [condition, *monitored], [v.type for v in monitored])

    def perform(self, node: Apply, condition: Any, *values: Any) -> Any:
        """The monitored values; a debugger stop first when ``condition`` holds (GRAPH-PRINT-5)."""
        if condition:
            try:
                monitored = [np.asarray(value) for value in values]
            except Exception:  # noqa: BLE001 - PyTensor's ValueError
                raise SpecValueError("GRAPH-PRINT-5", f"Some of the inputs to the PdbBreakpoint op '{self.name}' "
                                     "could not be converted to NumPy arrays") from None
            print(_BANNER.format(name=self.name))
            set_trace = _debugger()
            set_trace()  # the debugger stops here, with `monitored` in this frame
            values = tuple(variable.type.filter(value, argument=f"monitored[{i}]")
                           for i, (variable, value) in enumerate(zip(node.inputs[1:], monitored, strict=True)))
        if len(node.outputs) == 1:
            return values[0]
        return values

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return list(shapes[1:])

    def pullback(self, node: Apply, output_grads: list) -> list:
        """No gradient for the condition; each monitored value's cotangent passes (GRAPH-PRINT-5)."""
        return [None, *output_grads]
