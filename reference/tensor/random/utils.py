"""``RandomStream``: a factory of random variables with their own generators.
Spec: spec/2-ops.rst (RAND-STREAM-*)."""

from __future__ import annotations

from typing import Any

from reference.graph.shared import RandomGeneratorSharedVariable, shared
from reference.tensor.random import _numpy_draws as draws
from reference.tensor.random.op import make_random_variable
from reference.tensor.variable import TensorVariable


class RandomStream:
    """Each random variable it makes gets a fresh shared generator: the k-th is seeded
    with child k of ``SeedSequence(seed)`` (RAND-STREAM-1).  The generator's default update
    is the advanced generator, so a compiled function draws new numbers at each call
    (RAND-STREAM-2)."""

    def __init__(self, seed: Any = None, namespace: Any = None, rng_ctor: Any = None) -> None:
        self.default_seed = seed
        self.seed_source = draws.SeedSource(seed)
        self.state_updates: list[tuple[RandomGeneratorSharedVariable, Any]] = []

    def seed(self, seed: Any = None) -> None:
        """Re-seed every generator made so far, in creation order (RAND-STREAM-4)."""
        generators = self.seed_source.reseed(self.default_seed if seed is None else seed)
        for (variable, _), generator in zip(self.state_updates, generators, strict=True):
            variable.set_value(generator, borrow=True)

    def _draw(self, name: str, params: tuple, size: Any, dtype: Any, options: tuple = ()) -> TensorVariable:
        rng = shared(self.seed_source.next_generator(), borrow=True)
        next_rng, value = make_random_variable(name, rng, params, size, dtype, options)
        rng.default_update = next_rng
        self.state_updates.append((rng, next_rng))
        return value

    def gen(self, name: str, *params: Any, size: Any = None, dtype: Any = None) -> TensorVariable:
        return self._draw(name, draws.bind_params(name, *params), size, dtype)

    def binomial(self, n: Any = None, p: Any = None, size: Any = None, dtype: Any = None, **kw: Any) -> TensorVariable:  # noqa: E501
        """``n`` trials with success probability ``p`` (int64 unless ``dtype``)."""
        return self._draw("binomial", draws.bind_params("binomial", n, p), size, dtype)

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: Any = None, dtype: Any = None) -> TensorVariable:  # noqa: E501
        """Gaussian draws (floatX unless ``dtype``)."""
        return self._draw("normal", (loc, scale), size, dtype)

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: Any = None, dtype: Any = None) -> TensorVariable:  # noqa: E501
        """Uniform draws in ``[low, high)`` (floatX unless ``dtype``)."""
        return self._draw("uniform", (low, high), size, dtype)

    def integers(self, low: Any, high: Any = None, size: Any = None, dtype: Any = None) -> TensorVariable:  # noqa: E501
        """Integers in ``[low, high)``; one argument means ``[0, low)``."""
        return self._draw("integers", draws.bind_params("integers", low, high), size, dtype)

    def bernoulli(self, p: Any, size: Any = None, dtype: Any = None) -> TensorVariable:
        """1 with probability ``p``, else 0 (int64)."""
        return self._draw("bernoulli", (p,), size, dtype)

    def poisson(self, lam: Any = 1.0, size: Any = None, dtype: Any = None) -> TensorVariable:
        """Poisson draws (int64)."""
        return self._draw("poisson", (lam,), size, dtype)

    def categorical(self, p: Any, size: Any = None, dtype: Any = None) -> TensorVariable:
        """Indices drawn with probabilities ``p`` (last axis)."""
        return self._draw("categorical", (p,), size, dtype)

    def choice(self, a: Any, size: Any = None, replace: bool = True, p: Any = None, dtype: Any = None) -> TensorVariable:  # noqa: E501
        """Draw from ``range(a)`` (scalar ``a``) or the rows of ``a``."""
        params = (a,) if p is None else (a, p)
        return self._draw("choice", params, size, dtype, (("replace", bool(replace)),))


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
