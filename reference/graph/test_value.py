"""Test values: example values carried by variables while a graph is built.
Spec: spec/1-graphs.rst (GRAPH-TESTVAL-1).

``x.tag.test_value = value`` attaches an example value to a variable.  With
``config.compute_test_value`` other than ``"off"``, each node built from then on is run on
its inputs' test values as soon as it is built, and its outputs get theirs, so that a
shape or dtype error shows at the line that builds the graph.
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace
from typing import Any

from reference.errors import SpecValueError


class Scratchpad(SimpleNamespace):
    """``Variable.tag``: free attributes (``test_value`` among them), as PyTensor's tag."""

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def __contains__(self, key: str) -> bool:
        return hasattr(self, key)


class TestValueError(SpecValueError):
    """A node's input has no test value while ``compute_test_value`` is ``"raise"``."""

    __test__ = False  # not a pytest test class


def _value_of(variable: Any) -> tuple[bool, Any]:
    from reference.graph.basic import Constant
    from reference.graph.shared import SharedVariable

    if isinstance(variable, Constant):
        return True, variable.data
    if isinstance(variable, SharedVariable):
        return True, variable.get_value(borrow=True)
    if "test_value" in variable.tag:
        return True, variable.tag.test_value
    return False, None


def compute_test_values(node: Any, mode: str) -> None:
    """GRAPH-TESTVAL-1: run ``node`` on its inputs' test values and store its outputs'.

    An input without one (neither a constant, a shared variable nor tagged) stops it:
    ``"ignore"`` silently, ``"warn"`` with a warning, ``"raise"``/``"pdb"`` with
    ``TestValueError`` naming the input.  Errors of the op itself propagate.
    """
    from reference.evaluate import run_node

    values = []
    for i, variable in enumerate(node.inputs):
        known, value = _value_of(variable)
        if not known:
            message = f"{node.op}: input {i} ({variable}) has no test value (compute_test_value={mode!r})"
            if mode in ("raise", "pdb"):
                raise TestValueError("GRAPH-TESTVAL-1", message)
            if mode == "warn":
                warnings.warn(message, stacklevel=4)
            return
        values.append(variable.type.filter(value, argument=f"the test value of {variable}")
                      if hasattr(variable.type, "filter") else value)
    for output, value in zip(node.outputs, run_node(node, values), strict=True):
        output.tag.test_value = value
