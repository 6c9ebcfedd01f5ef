"""PyTensor's compilation modes, mapped onto reference's own.  Spec: spec/1-graphs.rst
(FN-ARGS-2, FN-MODE-1).

A PyTensor mode chooses graph rewrites and a backend (a *linker*).  ``reference`` has
neither: every mode evaluates by the same rules and gives the same values.  A mode only
chooses how loops run (:func:`reference_mode`): ``None`` (the C kernel where a loop's step
lowers, else Python), ``"python"``, ``"c"`` or ``"check"`` (both, compared).
"""

from __future__ import annotations

from typing import Any

from reference.errors import SpecTypeError, SpecValueError

__all__ = [
    "C", "CVM", "FAST_COMPILE", "JAX", "MLX", "NUMBA", "PYTORCH", "DebugMode", "Mode",
    "NanGuardMode", "get_default_mode", "get_mode", "predefined_linkers", "predefined_modes",
    "predefined_optimizers", "reference_mode", "register_mode",
]

#: PyTensor 3.3.7's linker names (``Mode(linker=...)``); ``"py"`` is its Python linker
predefined_linkers: tuple[str, ...] = (
    "py", "c", "c|py", "c|py_nogc", "vm", "cvm", "vm_nogc", "cvm_nogc", "jax", "pytorch",
    "numba", "mlx",
)
#: PyTensor 3.3.7's optimizer names (``Mode(optimizer=...)``), and ``"default"``
predefined_optimizers: tuple[Any, ...] = (
    None, "None", "merge", "minimum_compile", "o4", "o3", "o2", "o1", "unsafe", "fast_compile",
    "fast_run", "fast_run_stable", "stabilize", "default",
)
#: reference's own mode names, each its own meaning (KERN-MODE-1)
OWN_MODES: tuple[str, ...] = ("python", "c", "check")


class Mode:
    """A compilation mode: a linker name and an optimizer name (FN-MODE-1).

    Both are recorded and checked against PyTensor's names; neither changes a value.  A
    mode with the Python linker ``"py"`` runs loops on the Python path."""

    def __init__(self, linker: Any = None, optimizer: Any = "default", db: Any = None) -> None:
        if linker is not None and linker not in predefined_linkers:
            raise SpecValueError("FN-MODE-1", f"Mode: linker must be None or one of {predefined_linkers}, got {linker!r}")
        if not (isinstance(optimizer, str | None) and optimizer in predefined_optimizers):
            raise SpecValueError("FN-MODE-1", f"Mode: optimizer must be one of {predefined_optimizers}, got {optimizer!r}")
        self.provided_linker = linker
        self.provided_optimizer = optimizer
        #: the linker's name; None means PyTensor's default (``"numba"`` in 3.3.7)
        self.linker = "numba" if linker is None else linker
        self.optimizer = "fast_run" if optimizer == "default" else optimizer
        self.db = db
        #: tags given to including / excluding / requiring (recorded only)
        self.tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
        #: set by get_mode for reference's own names ("c", "check", "python")
        self._own: str | None = None

    @property
    def reference_mode(self) -> str | None:
        """How this mode runs loops (FN-MODE-1): ``"python"`` for the linker ``"py"``."""
        if self._own is not None:
            return self._own
        return "python" if self.linker == "py" else None

    def clone(self, link_kwargs: Any = None, optimizer: Any = "", **kwargs: Any) -> Mode:
        """A copy, with another optimizer if ``optimizer`` is given."""
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        if optimizer != "":
            if not (isinstance(optimizer, str | None) and optimizer in predefined_optimizers):
                raise SpecValueError("FN-MODE-1", f"Mode.clone: optimizer must be one of {predefined_optimizers}, got {optimizer!r}")
            new.provided_optimizer = optimizer
            new.optimizer = "fast_run" if optimizer == "default" else optimizer
        return new

    def _tagged(self, how: str, tags: tuple[str, ...]) -> Mode:
        new = self.clone()
        new.tags = (*self.tags, (how, tuple(tags)))
        return new

    def including(self, *tags: str) -> Mode:
        """A copy that records rewrite tags to include (reference has no rewrites)."""
        return self._tagged("including", tags)

    def excluding(self, *tags: str) -> Mode:
        """A copy that records rewrite tags to exclude (reference has no rewrites)."""
        return self._tagged("excluding", tags)

    def requiring(self, *tags: str) -> Mode:
        """A copy that records rewrite tags to require (reference has no rewrites)."""
        return self._tagged("requiring", tags)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(linker={self.linker!r}, optimizer={self.optimizer!r})"

    __str__ = __repr__


class DebugMode(Mode):
    """PyTensor's DebugMode: for loops, reference's ``"check"`` (both paths, compared)."""

    def __init__(self, optimizer: Any = "fast_run", **kwargs: Any) -> None:
        super().__init__(linker=None, optimizer=optimizer)
        self._own = "check"


class NanGuardMode(Mode):
    """PyTensor's NanGuardMode, accepted as a name: reference does not check for NaN or
    infinity (FN-MODE-1)."""

    def __init__(self, nan_is_error: Any = None, inf_is_error: Any = None, big_is_error: Any = None,
                 optimizer: Any = "default", linker: Any = None, **kwargs: Any) -> None:
        super().__init__(linker=linker, optimizer=optimizer)


FAST_COMPILE = Mode("vm", "fast_compile")
C = Mode("c", "fast_run")
CVM = Mode("cvm", "fast_run")
NUMBA = Mode("numba", "fast_run")
JAX = Mode("jax", "fast_run")
PYTORCH = Mode("pytorch", "fast_run")
MLX = Mode("mlx", "fast_run")

#: PyTensor's predefined modes by name (``register_mode`` adds to it)
predefined_modes: dict[str, Mode] = {
    "FAST_COMPILE": FAST_COMPILE, "C": C, "CVM": CVM, "JAX": JAX, "NUMBA": NUMBA,
    "PYTORCH": PYTORCH, "MLX": MLX,
}


def _named(name: str) -> Mode | None:
    """The mode PyTensor's ``get_mode(name)`` gives, or reference's own; None if unknown."""
    if name in ("Mode", "FAST_RUN"):
        return Mode("numba", "fast_run")
    if name in ("DebugMode", "DEBUG_MODE", "check"):
        return DebugMode()
    if name == "NanGuardMode":
        return NanGuardMode()
    if name in OWN_MODES:  # "python", "c": reference's own meaning (KERN-MODE-1)
        mode = Mode("py", None) if name == "python" else Mode("c", "fast_run")
        mode._own = name
        return mode
    for key in (name, name.upper()):  # PyTensor also looks a name up in upper case
        if key in predefined_modes:
            return predefined_modes[key]
    return None


def mode_names() -> tuple[str, ...]:
    """Every name ``function(mode=...)`` accepts (FN-ARGS-2)."""
    return ("Mode", "FAST_RUN", "DebugMode", "DEBUG_MODE", "NanGuardMode", *predefined_modes, *OWN_MODES)


def get_mode(orig_string: Any = None) -> Mode:
    """The Mode for a name or a Mode (FN-MODE-1); None means ``config.mode``."""
    if orig_string is None:
        from reference.config import config

        orig_string = config.mode if config.mode is not None else "Mode"
    if isinstance(orig_string, Mode):
        return orig_string
    if isinstance(orig_string, str):
        found = _named(orig_string)
        if found is not None:
            return found
    raise SpecValueError("FN-ARGS-2", f"mode must be None, a Mode or one of {mode_names()}, got {orig_string!r}")


def get_default_mode() -> Mode:
    """``get_mode(None)``."""
    return get_mode(None)


def register_mode(name: str, mode: Mode) -> None:
    """Add ``mode`` to ``predefined_modes`` under ``name`` (a new name)."""
    if not isinstance(mode, Mode):
        raise SpecTypeError("FN-MODE-1", f"register_mode: mode must be a Mode, got {mode!r}")
    if name in predefined_modes or _named(name) is not None:
        raise SpecValueError("FN-MODE-1", f"register_mode: mode name {name!r} already used")
    predefined_modes[name] = mode


def reference_mode(mode: Any) -> str | None:
    """How loops run under ``mode`` (FN-ARGS-2): None, ``"python"``, ``"c"`` or ``"check"``.

    None and PyTensor's names for optimised or compiled modes give None; ``DebugMode``
    gives ``"check"``; a Mode gives its :attr:`Mode.reference_mode`; reference's own names
    keep their meaning.  Anything else is a SpecValueError naming ``mode``."""
    if mode is None or mode in ("FAST_RUN", "FAST_COMPILE"):
        return None
    if isinstance(mode, str) and mode in OWN_MODES:
        return mode
    return get_mode(mode).reference_mode
