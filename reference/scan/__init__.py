"""Loops: ``reference.scan`` is both this package and the ``scan`` function.

``reference.scan(fn, ...)`` builds a loop; ``reference.scan.utils.until``,
``reference.scan.until``, ``reference.scan.map`` and friends are reachable as
attributes, so PyTensor's guide runs verbatim.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from reference.scan import utils
from reference.scan.basic import scan
from reference.scan.checkpoints import scan_checkpoints
from reference.scan.utils import until
from reference.scan.views import foldl, foldr, map, reduce  # noqa: A004


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return scan(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["foldl", "foldr", "map", "reduce", "scan", "scan_checkpoints", "until", "utils"]
