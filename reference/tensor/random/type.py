"""The types of random generators, where PyTensor keeps them
(``pytensor.tensor.random.type``).  Spec: spec/2-ops.rst (RAND-TYPE-1).

``reference`` defines :class:`RandomGeneratorType` in :mod:`reference.graph.shared`, next
to the shared generator variables; this module names it again, with the instance
``random_generator_type`` and the abstract base ``RandomType``.
"""

from __future__ import annotations

from abc import ABC

from reference.graph.shared import RandomGeneratorType

__all__ = ["RandomGeneratorType", "RandomType", "random_generator_type"]


class RandomType(ABC):  # noqa: B024 - a marker base, as PyTensor's RandomType has no methods of its own
    """The base of the types whose values are numpy random generators (RAND-TYPE-1):
    ``isinstance(t, RandomType)`` holds for every :class:`RandomGeneratorType`."""


RandomType.register(RandomGeneratorType)  # RAND-TYPE-1

#: RAND-TYPE-1: the one instance PyTensor's graphs use; all instances are equal
random_generator_type: RandomGeneratorType = RandomGeneratorType()
