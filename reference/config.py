"""Configuration read at graph-construction and compile time (GRAPH-CONFIG-1).

Flags can be set in code (``reference.config.floatX = "float32"``), for a block
(``with reference.config.change_flags(floatX="float32"): ...``) or from the
environment: ``REFERENCE_FLAGS="floatX=float32,mode=python"``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

_CHOICES: dict[str, tuple[Any, ...] | type | None] = {
    "floatX": ("float64", "float32"),
    # FN-ARGS-2: reference's modes, PyTensor's mode names, or a Mode (checked in __setattr__)
    "mode": (None, "python", "c", "check", "Mode", "FAST_RUN", "FAST_COMPILE", "DebugMode",
             "DEBUG_MODE", "NanGuardMode", "C", "CVM", "NUMBA", "JAX", "PYTORCH", "MLX"),
    "scan__allow_gc": (False, True),
    "compute_test_value": ("off", "ignore", "warn", "raise", "pdb"),  # GRAPH-TESTVAL-1
    "print_test_value": (False, True),
    "cloop__tier": ("auto", "generic", "specialised"),
    "cloop__cache_size": None,  # a count: _check_count
    # PyTensor's own flags that scripts commonly set; only on_unused_input changes anything
    # (function's default): reference has no rewrites, linkers, profiler or garbage
    # collector to configure (GRAPH-CONFIG-1)
    "on_unused_input": ("raise", "warn", "ignore"),
    "optimizer": ("o4", "o3", "o2", "o1", "unsafe", "fast_run", "fast_compile", "merge", "None"),
    "linker": ("auto", "cvm", "cvm_nogc", "c|py", "c|py_nogc", "py", "vm", "vm_nogc", "c", "numba", "jax"),
    "exception_verbosity": ("low", "medium", "high"),
    "warn_float64": ("ignore", "warn", "raise", "pdb"),
    "cast_policy": ("custom", "numpy+floatX"),
    "on_opt_error": ("warn", "ignore", "raise", "pdb"),
    "on_shape_error": ("warn", "raise"),
    "allow_gc": (True, False),
    "check_input": (True, False),
    "profile": (False, True),
    "profile_memory": (False, True),
    "print_global_stats": (False, True),
    "optimizer_verbose": (False, True),
    "optimizer_including": str,
    "optimizer_excluding": str,
    "optimizer_requiring": str,
}

_DEFAULTS: dict[str, Any] = {
    "floatX": "float64",
    "mode": None,
    "scan__allow_gc": False,
    "compute_test_value": "off",
    "print_test_value": False,
    "cloop__tier": "auto",
    # compiled specialised programs kept on disk, the least recently used removed (KERN-TIER-3)
    "cloop__cache_size": 256,
    "on_unused_input": "raise",
    "optimizer": "o4",
    "linker": "auto",
    "exception_verbosity": "low",
    "warn_float64": "ignore",
    "cast_policy": "custom",
    "on_opt_error": "warn",
    "on_shape_error": "warn",
    "allow_gc": True,
    "check_input": True,
    "profile": False,
    "profile_memory": False,
    "print_global_stats": False,
    "optimizer_verbose": False,
    "optimizer_including": "",
    "optimizer_excluding": "",
    "optimizer_requiring": "",
}


def _parse(name: str, text: str) -> Any:
    if isinstance(_DEFAULTS[name], bool):
        if text.lower() in ("1", "true", "yes"):
            return True
        if text.lower() in ("0", "false", "no"):
            return False
        raise ValueError(f"REFERENCE_FLAGS: {name} expects True or False, got {text!r}")
    if isinstance(_DEFAULTS[name], int):
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"REFERENCE_FLAGS: {name} expects an integer, got {text!r}") from None
    if _CHOICES[name] is str or name == "optimizer":
        return text
    if text in ("None", ""):
        return None
    return text


class Config:
    """The flags.  Unknown names and values outside a flag's choices raise."""

    def __init__(self) -> None:
        for name, value in _DEFAULTS.items():
            object.__setattr__(self, name, value)  # plain attributes: reading a flag is cheap

    def __getattr__(self, name: str) -> Any:  # only called for names that are not flags
        raise AttributeError(f"reference.config has no flag {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in _DEFAULTS:
            raise AttributeError(f"reference.config has no flag {name!r}")
        choices = _CHOICES[name]
        if name == "mode" and not isinstance(value, str | None):
            from reference.compile.mode import Mode

            if isinstance(value, Mode):  # FN-ARGS-2: a Mode object
                object.__setattr__(self, name, value)
                return
        if choices is str:
            if not isinstance(value, str):
                raise ValueError(f"config.{name} must be a string, got {value!r}")
            object.__setattr__(self, name, value)
            return
        if choices is not None and value not in choices:
            raise ValueError(f"config.{name} must be one of {choices}, got {value!r}")
        if choices is None and not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            raise ValueError(f"config.{name} must be an integer >= 0, got {value!r}")
        object.__setattr__(self, name, value)

    @contextlib.contextmanager
    def change_flags(self, **flags: Any) -> Iterator[None]:
        """Set flags for the duration of a ``with`` block."""
        old = {name: getattr(self, name) for name in flags}
        try:
            for name, value in flags.items():
                setattr(self, name, value)
            yield
        finally:
            for name, value in old.items():
                setattr(self, name, value)

    def load_environment(self, text: str) -> None:
        """Apply ``name=value`` pairs separated by commas."""
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, sep, value = item.partition("=")
            if not sep or name not in _DEFAULTS:
                raise ValueError(f"REFERENCE_FLAGS: cannot parse {item!r}")
            setattr(self, name, _parse(name, value))

    def load_pytensor_environment(self, text: str) -> None:
        """Apply the pairs of ``PYTENSOR_FLAGS`` that name flags of ``reference``
        (GRAPH-CONFIG-1 step 1): PyTensor's other flags (``device``, ``cxx`` ...) are
        skipped, and a value ``reference`` does not accept is skipped with a warning."""
        import warnings

        for item in filter(None, (part.strip() for part in text.split(","))):
            name, _, value = item.partition("=")
            if name.strip() not in _DEFAULTS:
                continue
            try:
                setattr(self, name.strip(), _parse(name.strip(), value.strip()))
            except ValueError as error:
                warnings.warn(f"PYTENSOR_FLAGS: {item!r} is not used by reference: {error}", stacklevel=2)


config = Config()
config.load_pytensor_environment(os.environ.get("PYTENSOR_FLAGS", ""))
config.load_environment(os.environ.get("REFERENCE_FLAGS", ""))
