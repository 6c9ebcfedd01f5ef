"""Shared variables: graph roots whose value lives between calls.  Spec: spec/1-graphs.rst (SHARED-*)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Variable
from reference.graph.type import TensorType, check_dtype
from reference.tensor.variable import TensorVariable


class SharedVariable(Variable):
    """A root whose value is stored in the variable itself (SHARED-VALUE-1).

    Compiled functions read the value at the start of each call and may replace it
    through updates; only ``set_value`` and those updates change it (SHARED-UPDATE-1).  ``default_update``, if set, is the update a compiled function
    applies when the caller gives none for this variable (SHARED-UPDATE-2).
    """

    default_update: Variable | None = None

    def get_value(self, borrow: bool = False, return_internal_type: bool = False) -> Any:
        """The current value; a copy unless ``borrow=True`` (SHARED-VALUE-1)."""
        return self._value if borrow else copy.deepcopy(self._value)

    def set_value(self, new_value: Any, borrow: bool = False) -> None:
        """Replace the value; it must fit the variable's type (SHARED-VALUE-2)."""
        self._value = self._filter(new_value, borrow)

    def _filter(self, value: Any, borrow: bool) -> Any:
        raise NotImplementedError

    def filter_value(self, value: Any) -> Any:
        """``value`` converted to this variable's type (a private copy), or an error."""
        return self._filter(value, borrow=False)

    @property
    def container(self) -> SharedVariable:
        return self


class TensorSharedVariable(SharedVariable, TensorVariable):
    """A shared tensor.  Its type is fixed at creation: a new value must have the same
    dtype (or convert to it exactly) and ndim (SHARED-VALUE-2)."""

    def __init__(self, type: TensorType, value: np.ndarray, name: str | None = None,  # noqa: A002
                 strict: bool = False, allow_downcast: bool | None = None) -> None:
        TensorVariable.__init__(self, type, name=name)
        #: SHARED-VALUE-2: how ``set_value`` converts new values
        self.strict, self.allow_downcast = bool(strict), allow_downcast
        self._value = self._filter(value, borrow=True)

    def _filter(self, value: Any, borrow: bool) -> np.ndarray:
        argument = f"shared variable {self}"
        if self.strict and not (isinstance(value, np.ndarray) and value.dtype == self.type.numpy_dtype):
            raise SpecTypeError(
                "SHARED-VALUE-2",
                f"{argument} is strict: a new value must be an ndarray of dtype {self.type.dtype}, "
                f"got {type(value).__name__}" + (f" of dtype {value.dtype}" if isinstance(value, np.ndarray) else ""),
            )
        data = self.type.filter(value, argument=argument, allow_downcast=self.allow_downcast)
        if not borrow and (data is value or data.base is not None):
            data = data.copy()
        return data  # with borrow=True it may be the caller's array: writes to it are seen

    def get_value(self, borrow: bool = False, return_internal_type: bool = False) -> np.ndarray:
        return self._value if borrow else self._value.copy()

    def clone(self) -> TensorSharedVariable:
        return TensorSharedVariable(self.type, self._value, name=self.name, strict=self.strict,
                                    allow_downcast=self.allow_downcast)


#: ``set_value(seed=...)`` not given (``None`` is a seed: fresh entropy)
_NO_SEED: Any = object()


class RandomGeneratorType:
    """The type of a numpy ``Generator`` held in a shared variable (RAND-STREAM-1)."""

    ndim = 0
    dtype = "object"
    shape = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomGeneratorType)

    def __hash__(self) -> int:
        return hash(RandomGeneratorType)

    def __str__(self) -> str:
        return "RandomGeneratorType"

    __repr__ = __str__

    def make_variable(self, owner: Any, index: int | None, name: str | None = None) -> RandomGeneratorVariable:
        """A generator variable: an op's output, or a root when ``owner`` is None (RAND-VAR-1)."""
        return RandomGeneratorVariable(self, owner=owner, index=index, name=name)

    def __call__(self, name: str | None = None) -> RandomGeneratorVariable:
        """A symbolic generator variable named ``name``, as ``pt.random.rng(name)`` (RAND-VAR-1)."""
        return self.make_variable(None, None, name=name)

    def filter(self, value: Any, *, argument: str, allow_downcast: bool | None = None) -> np.random.Generator:  # noqa: E501
        if not isinstance(value, np.random.Generator):
            raise SpecTypeError("RAND-STREAM-1", f"{argument}: expected a numpy Generator, got {type(value).__name__}")
        return value


class RandomGeneratorVariable(Variable):
    """A variable whose value is a numpy ``Generator``: an input made by
    ``pt.random.rng``, a shared generator, or the next generator a draw returns.

    It has one method per distribution of the functional API, attached by
    :mod:`reference.tensor.random`: ``rng.normal(loc, scale, size=None, ...)`` is
    ``pt.random.normal(loc, scale, size=None, ..., rng=rng, return_next_rng=True)`` and
    returns ``(next_rng, draw)`` (RAND-VAR-1); calling one on a generator variable that
    already fed a draw warns (RAND-VAR-2).
    """


class RandomGeneratorSharedVariable(SharedVariable, RandomGeneratorVariable):
    """A shared numpy ``Generator``; ``get_value`` returns a copy of its state."""

    def __init__(self, value: np.random.Generator, name: str | None = None) -> None:
        super().__init__(RandomGeneratorType(), name=name)
        self._value = self._filter(value, borrow=True)

    def _filter(self, value: Any, borrow: bool) -> np.random.Generator:
        value = self.type.filter(value, argument=f"shared variable {self}")
        return value if borrow else copy.deepcopy(value)

    def set_value(self, new_value: np.random.Generator | None = None, *, seed: Any = _NO_SEED,
                  borrow: bool = False) -> None:
        """Give the variable the generator ``new_value``, or ``np.random.default_rng(seed)``:
        exactly one of the two (RAND-VAR-3).  Without ``borrow`` the variable keeps a copy of
        ``new_value`` (of ``seed``, for a seed such as a ``SeedSequence``)."""
        if new_value is None:
            if seed is _NO_SEED:
                raise SpecValueError("RAND-VAR-3", f"set_value of {self}: give new_value or seed=...")
            new_value, borrow = np.random.default_rng(seed if borrow else copy.deepcopy(seed)), True
        elif seed is not _NO_SEED:
            raise SpecValueError("RAND-VAR-3", f"set_value of {self}: give new_value or seed, not both")
        super().set_value(new_value, borrow=borrow)

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        value = getattr(self, "_value", None)
        return "RNG" if value is None else f"RNG({value})"


def shared(value: Any, name: str | None = None, borrow: bool = False, strict: bool = False,
           allow_downcast: bool | None = None, shape: Any = None, dtype: Any = None,
           broadcastable: Any = None) -> SharedVariable:
    """A shared variable holding ``value`` (SHARED-VALUE-1).

    The dtype is the value's numpy dtype (Python ints give int64, floats float64); every
    axis has unknown static length unless ``shape`` says otherwise (or ``broadcastable``:
    a static length 1 where it is true).
    """
    if isinstance(value, Variable):
        raise SpecTypeError("SHARED-VALUE-1", f"shared() needs a value, got the symbolic variable {value}")
    if broadcastable is not None:
        if shape is not None:
            raise SpecTypeError("SHARED-VALUE-1", "shared(): give shape or broadcastable, not both")
        shape = tuple(1 if b else None for b in broadcastable)
    if isinstance(value, np.random.Generator):
        return RandomGeneratorSharedVariable(value if borrow else copy.deepcopy(value), name=name)
    data = np.asarray(value) if dtype is None else np.asarray(value, dtype=check_dtype(dtype))
    if data.dtype == object:
        raise SpecTypeError("SHARED-VALUE-1", f"shared(): cannot hold a value of type {type(value).__name__}")
    static = (None,) * data.ndim if shape is None else tuple(shape)
    type_ = TensorType(data.dtype, static)
    return TensorSharedVariable(type_, data if borrow else data.copy(), name=name, strict=strict,
                                allow_downcast=allow_downcast)
