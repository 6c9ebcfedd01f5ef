"""``map``, ``reduce``, ``foldl``, ``foldr``: loops of one shape.  Spec: spec/3-scan.rst (SCAN-VIEW-*)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reference.scan.basic import scan


def map(fn: Callable[..., Any], sequences: Any, non_sequences: Any = None,  # noqa: A001
        truncate_gradient: int = -1, go_backwards: bool = False, mode: Any = None,
        name: str | None = None, return_updates: bool = True) -> Any:
    """``scan`` with every output mapped (``outputs_info=None``) (SCAN-VIEW-1)."""
    return scan(fn, sequences=sequences, outputs_info=None, non_sequences=non_sequences,
                truncate_gradient=truncate_gradient, go_backwards=go_backwards, mode=mode,
                name=name, return_updates=return_updates)


def reduce(fn: Callable[..., Any], sequences: Any, outputs_info: Any, non_sequences: Any = None,
           go_backwards: bool = False, mode: Any = None, name: str | None = None,
           return_updates: bool = True) -> Any:
    """The last row of each output of ``scan`` (SCAN-VIEW-2).

    Over zero steps there is no last row: taking it raises ``IndexError`` (we do not
    return the initial state; see the divergences chapter).
    """
    result = scan(fn, sequences=sequences, outputs_info=outputs_info, non_sequences=non_sequences,
                  go_backwards=go_backwards, mode=mode, name=name, return_updates=return_updates)
    outputs, updates = result if return_updates else (result, None)
    if outputs is None:
        last = None
    elif isinstance(outputs, list):
        last = [o[-1] for o in outputs]
    else:
        last = outputs[-1]
    return (last, updates) if return_updates else last


def foldl(fn: Callable[..., Any], sequences: Any, outputs_info: Any, non_sequences: Any = None,
          mode: Any = None, name: str | None = None, return_updates: bool = True) -> Any:
    """``reduce`` from the first row to the last (SCAN-VIEW-3)."""
    return reduce(fn, sequences, outputs_info, non_sequences, go_backwards=False, mode=mode,
                  name=name, return_updates=return_updates)


def foldr(fn: Callable[..., Any], sequences: Any, outputs_info: Any, non_sequences: Any = None,
          mode: Any = None, name: str | None = None, return_updates: bool = True) -> Any:
    """``reduce`` from the last row to the first (SCAN-VIEW-3)."""
    return reduce(fn, sequences, outputs_info, non_sequences, go_backwards=True, mode=mode,
                  name=name, return_updates=return_updates)
