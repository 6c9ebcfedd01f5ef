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

_CHOICES: dict[str, tuple[Any, ...] | None] = {
    "floatX": ("float64", "float32"),
    # FN-ARGS-2: reference's modes, PyTensor's mode names, or a Mode (checked in __setattr__)
    "mode": (None, "python", "c", "check", "Mode", "FAST_RUN", "FAST_COMPILE", "DebugMode",
             "DEBUG_MODE", "NanGuardMode", "C", "CVM", "NUMBA", "JAX", "PYTORCH", "MLX"),
    "scan__allow_gc": (False, True),
    "compute_test_value": ("off",),
    "cloop__tier": ("auto", "generic", "specialised"),
    "cloop__cache_size": None,  # a count: _check_count
}

_DEFAULTS: dict[str, Any] = {
    "floatX": "float64",
    "mode": None,
    "scan__allow_gc": False,
    "compute_test_value": "off",
    "cloop__tier": "auto",
    # compiled specialised programs kept on disk, the least recently used removed (KERN-TIER-3)
    "cloop__cache_size": 256,
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


config = Config()
config.load_environment(os.environ.get("REFERENCE_FLAGS", ""))
