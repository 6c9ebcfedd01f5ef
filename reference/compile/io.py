"""``In`` and ``Out``: an input or output of ``function`` with options.  Spec:
spec/1-graphs.rst (FN-IN-*, FN-OUT-1)."""

from __future__ import annotations

from typing import Any

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Variable
from reference.graph.shared import SharedVariable

__all__ = ["In", "Out", "SymbolicInput", "SymbolicOutput"]


class In:
    """An input of ``function`` with options (FN-IN-1).

    * ``name``: the keyword that passes it (default: the variable's name);
    * ``value``: None, or a shared variable holding the input's value: the input is then
      *implicit* (not an argument) unless ``implicit=False``;
    * ``update``: with a shared ``value``, the shared variable's value after each call;
    * ``mutable``, ``borrow``: whether the function may change or return the caller's
      array (reference never changes it; FN-IN-3);
    * ``strict``, ``allow_downcast``: how the argument is converted (FN-INPUT-1).
    """

    def __init__(self, variable: Any, name: Any = None, value: Any = None, update: Any = None,
                 mutable: bool | None = None, strict: bool = False, allow_downcast: bool | None = None,
                 autoname: bool = True, implicit: bool | None = None, borrow: bool | None = None,
                 shared: bool = False) -> None:
        if not isinstance(variable, Variable):
            raise SpecTypeError("FN-IN-1", f"In: variable must be a variable, got {variable!r} of type {type(variable).__name__}")
        if name is None and autoname:
            name = variable.name
        if name is not None and not isinstance(name, str):
            raise SpecTypeError("FN-IN-1", f"In: name must be a string, got {name!r}")
        if value is not None and not isinstance(value, SharedVariable):
            # FN-IN-2: PyTensor 3.3.7 refuses default values ("deprecated")
            raise SpecValueError(
                "FN-IN-2",
                f"In: value must be None or a shared variable, got {value!r}; inputs with default "
                "values are not supported (PyTensor 3.3.7 refuses them too): use a shared variable",
            )
        if update is not None and not isinstance(update, Variable):
            raise SpecTypeError("FN-IN-2", f"In: update must be a variable, got {update!r}")
        if implicit is None:
            implicit = value is not None
        if implicit and value is None:
            raise SpecTypeError("FN-IN-2", f"In: an implicit input needs a value (a shared variable); {variable} has none")
        self.borrow = mutable if borrow is None else borrow
        if mutable and not self.borrow:  # FN-IN-3
            raise SpecValueError("FN-IN-3", f"In: input {variable} has mutable=True and borrow=False; mutable=True needs borrow=True")
        self.variable = variable
        self.name = name
        self.value = value
        self.update = update
        self.mutable = bool(mutable)
        self.strict = strict
        self.allow_downcast = allow_downcast
        self.autoname = autoname
        self.implicit = bool(implicit)
        self.shared = shared

    def __repr__(self) -> str:
        if self.update is not None:
            return f"In({self.variable} -> {self.update})"
        return f"In({self.variable})"

    __str__ = __repr__


SymbolicInput = In


class Out:
    """An output of ``function``; ``borrow=True`` lets the call return it without a copy
    (FN-OUT-1)."""

    def __init__(self, variable: Any, borrow: bool = False) -> None:
        if not isinstance(variable, Variable):
            raise SpecTypeError("FN-OUT-1", f"Out: variable must be a variable, got {variable!r} of type {type(variable).__name__}")
        self.variable = variable
        self.borrow = bool(borrow)

    def __repr__(self) -> str:
        return f"Out({self.variable},{self.borrow})"

    __str__ = __repr__


SymbolicOutput = Out
