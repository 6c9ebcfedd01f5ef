"""``RandomStream``: a factory of random variables with their own generators.
Spec: spec/2-ops.rst (RAND-STREAM-*)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest
from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Variable
from reference.graph.shared import RandomGeneratorSharedVariable, shared
from reference.graph.type import INT_DTYPES
from reference.tensor.random import _numpy_draws as draws
from reference.tensor.random.op import make_random_variable
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = ["RandomStream", "broadcast_params", "normalize_size_param", "params_broadcast_shapes"]


def _is_one(length: Any) -> bool:
    """Whether a length is known to be 1: the int 1, or a variable whose value is 1 when
    the graph is built."""
    if isinstance(length, Variable):
        from reference.tensor.shape import constant_value

        value = constant_value(length)
        return value is not None and np.ndim(value) == 0 and value == 1
    return bool(length == 1)


def params_broadcast_shapes(param_shapes: Sequence[Any], ndims_params: Sequence[int],
                            use_pytensor: bool = True) -> list[tuple[Any, ...]]:
    """The shapes the parameters of a random variable take when their batch dimensions
    are broadcast together (RAND-UTILS-1).

    Parameter ``i`` has ``ndims_params[i]`` core (trailing) dimensions; the rest of its
    shape is its batch shape.  The batch shapes are aligned on the right; per axis the
    length is the other one where one of them is 1, else their maximum (``maximum`` of
    the graph with ``use_pytensor``, Python's ``max`` otherwise).  Lengths are not checked:
    ``(2,)`` and ``(3,)`` give ``(3,)``, as in PyTensor.  Each result is the broadcast batch
    shape followed by the parameter's own core shape.
    """
    if use_pytensor:
        from reference.tensor.math import maximum as max_fn
    else:
        max_fn = max

    def larger(a: Any, b: Any) -> Any:
        if _is_one(a):
            return b
        if _is_one(b):
            return a
        return max_fn(a, b)

    rev_batch: list[Any] = []
    for core, shape in zip(ndims_params, param_shapes, strict=True):
        shape = tuple(shape)
        batch = shape[: len(shape) - core]
        rev_batch = [larger(a, b) for a, b in zip_longest(reversed(batch), rev_batch, fillvalue=1)]  # RAND-UTILS-1
    batch_shape = tuple(reversed(rev_batch))
    return [batch_shape + (tuple(shape)[len(tuple(shape)) - core:] if core > 0 else ())
            for core, shape in zip(ndims_params, param_shapes, strict=True)]


def broadcast_params(params: Sequence[Any], ndims_params: Sequence[int]) -> list[Any]:
    """``params`` broadcast to :func:`params_broadcast_shapes` of their shapes (RAND-UTILS-1).

    numpy arrays give read-only views (``np.broadcast_to``); if any parameter is a
    variable the result is variables (``pt.broadcast_to``), a parameter's broadcastable
    axes counting as length 1.
    """
    symbolic = any(isinstance(p, Variable) for p in params)
    shapes = []
    for p in params:
        if isinstance(p, Variable):
            shapes.append(tuple(1 if bcast else p.shape[i] for i, bcast in enumerate(p.broadcastable)))
        else:
            shapes.append(tuple(np.shape(p)))
    targets = params_broadcast_shapes(shapes, ndims_params, use_pytensor=symbolic)
    if symbolic:
        from reference.tensor.basic import broadcast_to

        return [broadcast_to(p, shape) for p, shape in zip(params, targets, strict=True)]  # RAND-UTILS-1
    return [np.broadcast_to(p, shape) for p, shape in zip(params, targets, strict=True)]


def normalize_size_param(size: Any) -> TensorVariable | None:
    """A random variable's ``size`` argument as the int64 vector of static length that the
    op takes (RAND-UTILS-2).

    ``None`` stays ``None`` (PyTensor returns its ``NoneConst``; ``reference`` has no None
    type).  An int ``n`` is ``[n]``; a sequence, numpy array or variable is converted to a
    vector and cast to int64 (an integer scalar variable becomes a 1-vector).  Anything
    else, numpy scalars and bools included, is a ``SpecTypeError``; a vector whose length
    is not known when the graph is built is a ``SpecValueError``.
    """
    from reference.tensor.extra_ops import get_vector_length
    from reference.tensor.math import cast
    from reference.tensor.shape import shape_padleft, specify_shape

    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, int | Sequence | Variable | np.ndarray) \
            or isinstance(size, str):
        raise SpecTypeError("RAND-UTILS-2",
                            f"size must be None, an integer, or a sequence of integers, got {size!r}")
    if isinstance(size, int):
        size = [size]
    if not isinstance(size, Variable) and not any(isinstance(s, Variable) for s in np.ravel(np.asarray(size, "O"))):
        size = np.asarray(size).astype("int64")  # a constant: cast now, as PyTensor's constant folding does
        if size.ndim == 0:
            size = size.reshape(1)
    vector = as_tensor_variable(size)
    if vector.ndim == 0:
        vector = shape_padleft(vector, 1)
    if vector.ndim != 1:
        raise SpecTypeError("RAND-UTILS-2", f"size must be a vector, got {vector.type}")
    if vector.dtype != "int64":
        vector = cast(vector, "int64")
    if vector.type.shape[0] is None:
        try:
            length = get_vector_length(vector)
        except SpecValueError:
            raise SpecValueError("RAND-UTILS-2", f"size: the length of {vector} cannot be determined") from None
        vector = specify_shape(vector, (length,))
    assert vector.dtype in INT_DTYPES
    return vector  # RAND-UTILS-2


class RandomStream:
    """Each random variable it makes gets a fresh shared generator: the k-th is seeded
    with child k of ``SeedSequence(seed)`` (RAND-STREAM-1).  The generator's default update
    is the advanced generator, so a compiled function draws new numbers at each call
    (RAND-STREAM-2)."""

    def __init__(self, seed: Any = None, namespace: Any = None, rng_ctor: Any = None) -> None:
        self.default_seed = seed
        #: what makes a generator from a SeedSequence (RAND-STREAM-1; PyTensor's default)
        self.rng_ctor = np.random.default_rng if rng_ctor is None else rng_ctor
        self.seed_source = draws.SeedSource(seed, self.rng_ctor)
        self.state_updates: list[tuple[RandomGeneratorSharedVariable, Any]] = []

    @property
    def default_instance_seed(self) -> Any:
        """PyTensor's name of the constructor's seed."""
        return self.default_seed

    @property
    def gen_seedgen(self) -> np.random.SeedSequence:
        """The SeedSequence whose next child seeds the next generator (PyTensor's name)."""
        return self.seed_source.root

    def seed(self, seed: Any = None) -> None:
        """Re-seed every generator made so far, in creation order (RAND-STREAM-4)."""
        generators = self.seed_source.reseed(self.default_seed if seed is None else seed)
        for (variable, _), generator in zip(self.state_updates, generators, strict=True):
            variable.set_value(generator, borrow=True)

    def _draw(self, name: str, params: tuple, size: Any, dtype: Any, options: tuple = (),
              label: str | None = None) -> TensorVariable:
        rng = shared(self.seed_source.next_generator(), borrow=True)
        next_rng, value = make_random_variable(name, rng, params, size, dtype, options)
        rng.default_update = next_rng
        self.state_updates.append((rng, next_rng))
        if label is not None:
            value.name = label
        return value

    def gen(self, op: Any, *params: Any, **kwargs: Any) -> TensorVariable:
        """``op(*params, **kwargs)`` drawn from a new generator of the stream (RAND-STREAM-6):
        ``op`` is a function of the functional API (``pt.random.normal``), or the name of a
        distribution of the table (then only ``size`` and ``dtype`` are keywords)."""
        if isinstance(op, str):
            unknown = set(kwargs) - {"size", "dtype"}
            if unknown:
                raise SpecTypeError("RAND-STREAM-6", f"gen({op!r}): unexpected keyword(s) {sorted(unknown)}")
            return self._draw(op, draws.bind_params(op, *params), kwargs.get("size"), kwargs.get("dtype"))
        if not callable(op):
            raise SpecTypeError("RAND-STREAM-6", f"gen: op must be a function of pt.random or a distribution name, "
                                f"got {op!r}")
        return self._functional(op, *params, **kwargs)  # RAND-STREAM-6

    def updates(self) -> list[tuple[RandomGeneratorSharedVariable, Any]]:
        """The ``(shared generator, next generator)`` pair of every random variable made so
        far, in creation order: an ``updates`` argument for ``function`` (RAND-STREAM-6)."""
        return list(self.state_updates)

    def binomial(self, n: Any = None, p: Any = None, size: Any = None, dtype: Any = None,
                 name: str | None = None) -> TensorVariable:
        """``n`` trials with success probability ``p`` (int64 unless ``dtype``)."""
        return self._draw("binomial", draws.bind_params("binomial", n, p), size, dtype, label=name)

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: Any = None, dtype: Any = None,
               name: str | None = None) -> TensorVariable:
        """Gaussian draws (floatX unless ``dtype``)."""
        return self._draw("normal", (loc, scale), size, dtype, label=name)

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: Any = None, dtype: Any = None,
                name: str | None = None) -> TensorVariable:
        """Uniform draws in ``[low, high)`` (floatX unless ``dtype``)."""
        return self._draw("uniform", (low, high), size, dtype, label=name)

    def integers(self, low: Any, high: Any = None, size: Any = None, dtype: Any = None,
                 name: str | None = None) -> TensorVariable:
        """Integers in ``[low, high)``; one argument means ``[0, low)``."""
        return self._draw("integers", draws.bind_params("integers", low, high), size, dtype, label=name)

    def bernoulli(self, p: Any, size: Any = None, dtype: Any = None, name: str | None = None) -> TensorVariable:
        """1 with probability ``p``, else 0 (int64)."""
        return self._draw("bernoulli", (p,), size, dtype, label=name)

    def poisson(self, lam: Any = 1.0, size: Any = None, dtype: Any = None, name: str | None = None) -> TensorVariable:
        """Poisson draws (int64)."""
        return self._draw("poisson", (lam,), size, dtype, label=name)

    def categorical(self, p: Any, size: Any = None, dtype: Any = None, name: str | None = None) -> TensorVariable:
        """Indices drawn with probabilities ``p`` (last axis)."""
        return self._draw("categorical", (p,), size, dtype, label=name)

    def choice(self, a: Any, size: Any = None, replace: bool = True, p: Any = None, dtype: Any = None,
               name: str | None = None) -> TensorVariable:
        """Draw from ``range(a)`` (scalar ``a``) or the rows of ``a``."""
        params = (a,) if p is None else (a, p)
        return self._draw("choice", params, size, dtype, (("replace", bool(replace)),), label=name)


    def _functional(self, function: Any, *args: Any, **kwargs: Any) -> TensorVariable:
        """A draw of the functional API from a fresh generator of the stream (RAND-FUNC-5)."""
        rng = shared(self.seed_source.next_generator(), borrow=True)
        next_rng, value = function(*args, rng=rng, return_next_rng=True, **kwargs)
        rng.default_update = next_rng
        self.state_updates.append((rng, next_rng))
        return value


def _stream_method(name: str) -> Any:
    from reference.tensor.random.basic import FUNCTIONAL

    function = FUNCTIONAL[name]

    def method(self: RandomStream, *args: Any, **kwargs: Any) -> TensorVariable:
        return self._functional(function, *args, **kwargs)  # RAND-FUNC-5

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``pt.random.{name}`` drawn from a new generator of this stream."
    return method


def _add_stream_methods() -> None:
    """The distributions of the functional API that have no method above (RAND-FUNC-5)."""
    from reference.tensor.random.basic import FUNCTIONAL

    for name in FUNCTIONAL:
        if not hasattr(RandomStream, name):
            setattr(RandomStream, name, _stream_method(name))


RandomStream.__module__ = "reference.tensor.random.utils"
