"""Random-generator variables: ``pt.random.rng``, ``pt.random.shared_rng`` and the
distribution methods of generator variables (``next_rng, x = rng.normal()``).
Spec: spec/2-ops.rst (RAND-VAR-*).

A generator variable is a :class:`~reference.graph.shared.RandomGeneratorVariable`: a
function input made by :func:`rng`, a shared generator made by :func:`shared_rng` (or
``pytensor.shared(generator)``), or the next generator returned by a draw.  Each has one
method per function of the functional API (:data:`reference.tensor.random.FUNCTIONAL`)
that draws from it and returns ``(next_rng, draw)``.
"""

from __future__ import annotations

import copy
import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.shared import (
    RandomGeneratorSharedVariable,
    RandomGeneratorType,
    RandomGeneratorVariable,
    shared,
)

__all__ = ["RandomGeneratorSharedVariable", "RandomGeneratorVariable", "rng", "shared_rng"]

_UNSET: Any = object()


def rng(name: str | None = None) -> RandomGeneratorVariable:
    """A symbolic generator variable, to be given a numpy ``Generator`` when a compiled
    function is called (RAND-VAR-1).  Draws copy it, so the caller's generator is not
    advanced (RAND-STREAM-2)."""
    if name is not None and not isinstance(name, str):
        raise SpecTypeError("RAND-VAR-1", f"rng: name must be a string or None, got {name!r}")
    return RandomGeneratorType()(name)


def shared_rng(value: np.random.Generator | None = None, *, seed: Any = _UNSET, name: str | None = None,
               borrow: bool = False) -> RandomGeneratorSharedVariable:
    """A shared generator holding ``value`` (a copy unless ``borrow``), or
    ``np.random.default_rng(seed)``; exactly one of ``value`` and ``seed`` (RAND-VAR-3)."""
    if value is None:
        if seed is _UNSET:
            raise SpecValueError("RAND-VAR-3", "shared_rng: give value (a numpy Generator) or seed=...")
        value, borrow = np.random.default_rng(seed if borrow else copy.deepcopy(seed)), True
    elif seed is not _UNSET:
        raise SpecValueError("RAND-VAR-3", "shared_rng: give value or seed, not both")
    elif not isinstance(value, np.random.Generator):
        raise SpecTypeError("RAND-VAR-3", f"shared_rng: value must be a numpy Generator, got {type(value).__name__}")
    return shared(value, name=name, borrow=borrow)  # type: ignore[return-value]


def mark_drawn_from(generator: Any) -> None:
    """Record that ``generator`` fed a draw (RAND-VAR-2)."""
    generator.tag.drawn_from = True


def _method(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``rng.<name>(...)``: ``pt.random.<name>(..., rng=rng, return_next_rng=True)`` (RAND-VAR-1)."""

    def method(self: RandomGeneratorVariable, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
        for given in ("rng", "return_next_rng"):
            if given in kwargs:
                raise SpecTypeError("RAND-VAR-1", f"{self}.{name}: {given} is implied by the method; do not pass it")
        if getattr(self.tag, "drawn_from", False):  # RAND-VAR-2
            warnings.warn(f"{self}.{name}: this generator variable already fed a draw, so this draw repeats "
                          "its numbers; draw from the next_rng that draw returned", UserWarning, stacklevel=2)
        return function(*args, rng=self, return_next_rng=True, **kwargs)

    method.__name__ = name
    method.__qualname__ = f"RandomGeneratorVariable.{name}"
    method.__doc__ = (f"``pt.random.{name}(..., rng=self, return_next_rng=True)``: returns "
                      "``(next_rng, draw)`` (RAND-VAR-1).")
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # pragma: no cover - every function of the API has one
        return method
    kept = [p for n, p in signature.parameters.items() if n not in ("rng", "return_next_rng", "kwargs")]
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    method.__signature__ = signature.replace(parameters=[self_parameter, *kept])  # type: ignore[attr-defined]
    return method


def add_generator_methods() -> None:
    """Give :class:`RandomGeneratorVariable` one method per function of the functional API
    (RAND-VAR-1)."""
    from reference.tensor.random.basic import FUNCTIONAL

    for name, function in FUNCTIONAL.items():
        setattr(RandomGeneratorVariable, name, _method(name, function))
