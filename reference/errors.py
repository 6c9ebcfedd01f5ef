"""Exceptions of the reference semantics.

Every defined failure carries the id of the spec rule that defines it.  The
classes also derive from the builtin exception PyTensor raises in the same
situation (``TypeError``, ``ValueError``, ``IndexError``), so code written
against PyTensor catches them unchanged.
"""

from __future__ import annotations


class SpecError(Exception):
    """A failure defined by a spec rule; ``str()`` starts with ``[RULE-ID]``."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule = rule
        self.message = message


class SpecTypeError(SpecError, TypeError):
    """A value or variable has the wrong type (dtype, ndim, kind)."""


class SpecValueError(SpecError, ValueError):
    """A value is of the right type but not acceptable (shape, range, count)."""


class SpecIndexError(SpecError, IndexError):
    """An index is out of range."""


class SpecAxisError(SpecValueError, IndexError):
    """An axis is out of range for the array's number of axes: both a ``ValueError`` and an
    ``IndexError``, as numpy's ``AxisError`` (PyTensor raises either, depending on the op)."""


class MissingInputError(SpecError):
    """A graph needs a variable that was neither an input nor given a value."""


class DisconnectedInputError(SpecValueError):
    """``grad`` was asked for a variable the cost does not depend on."""


class NullTypeGradError(SpecValueError, TypeError):
    """``grad`` needs a derivative that is not defined.  A ``TypeError`` as PyTensor's class
    of that name, and a ``ValueError`` as in earlier versions of ``reference``."""


class UnusedInputError(SpecValueError):
    """``function`` was given an input the outputs do not use."""


class SpecNotImplementedError(SpecError, NotImplementedError):
    """An option PyTensor has that ``reference`` does not implement (the rule says so)."""


class NotScalarConstantError(SpecError):
    """``get_scalar_constant_value``: the variable is not a scalar known when the graph is
    built.  As PyTensor's class of the same name, it derives from ``Exception`` only."""
