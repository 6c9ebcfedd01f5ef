"""The numbers behind ``RandomStream``: seeding, drawing, dtypes and shapes, in plain numpy.

This module has no graph code.  The random-variable ops call it; on its own it is the
executable statement of how PyTensor (3.3.x, ``pytensor.tensor.random``) turns a seed into
numbers, so reference can reproduce PyTensor's draws bit for bit.

How a stream is seeded
----------------------
``RandomStream(seed)`` owns one root ``numpy.random.SeedSequence(seed)``.  (``seed=None``
means fresh entropy from the operating system, so such a stream is not reproducible.)

Each time the stream creates a random variable (each call such as ``srng.normal(...)``)
it asks the root for exactly one new child seed sequence.  The k-th variable created
(counting from 0) therefore gets the child whose spawn key is ``(k,)``, i.e. the same
seed sequence as ``SeedSequence(seed).spawn(k + 1)[k]``.  The variable's generator is
``numpy.random.default_rng(child)`` (a PCG64 bit generator), kept in a shared variable of
its own.  Two variables never share a generator.

Only the *creation* order counts.  The order in which variables are later used, or the
order of a function's outputs, does not.  A variable created inside a ``scan`` step
function is created once, when ``scan`` traces that function.

``srng.seed(new_seed)`` replaces the root by ``SeedSequence(new_seed)``, spawns one child
per variable created so far, and gives the variables, in creation order, the generators
built from children 0, 1, ..., n-1.  The root has now spawned n children, so the next
variable created gets child n.  ``srng.seed()`` without an argument reuses the seed given
to the constructor.  :class:`SeedSource` is this mechanism.

How a stream advances
---------------------
When a compiled function is called, each random-variable node draws **once**, from the
current state of its generator, however many outputs use the result.  The draw happens
on a copy of the generator; the copy, advanced by the draw, is the node's "next rng"
output.  (PyTensor's rewrites may skip the copy and draw in place.  The numbers are the
same.)

``RandomStream`` registers that next rng as the shared variable's *default update*, so
after each call the shared variable holds the advanced generator.  Successive calls
therefore return successive numpy draws, exactly as if one ``Generator`` were called
repeatedly.  All functions that use the same variable share this one generator state, so
a call to any of them advances it for the others too.

If the update is not applied, the generator never moves and every call repeats the same
numbers.  This happens with ``function(..., no_default_updates=True)``.  It also happens
when a ``scan`` that draws is compiled without the updates that ``scan`` returned.

Inside ``scan`` the generator is a loop-carried state.  Step t draws from the state that
step t-1 left, and step 0 starts from the shared variable's value.  The state after the
last step is what the returned updates assign to the shared variable.

How one variable draws
----------------------
Every ``draw_*`` function mirrors one ``RandomVariable.perform``:

1. Each parameter with fewer batch dimensions than the output gets size-1 axes added
   on the left.  The output has ``len(size)`` batch dimensions when size is given;
   otherwise it has as many as the parameter with the most.
2. It calls the numpy ``Generator`` method named in the function's docstring with the
   parameters in PyTensor's order, followed by ``size`` (``None`` or a tuple of ints).
3. It converts the result with ``np.asarray(result, dtype=dtype)``.  The default dtype is
   ``int64`` for the discrete distributions and ``floatX`` for the continuous ones.

A draw function mutates the generator it is given.  To model PyTensor's copy-then-draw,
pass it ``copy_generator(state)`` and keep the copy as the next state.

Backends
--------
The numbers here are those of PyTensor's Python ``perform`` path.  PyTensor's default
mode (NUMBA) uses other samplers in two cases:

* bernoulli: the default NUMBA mode draws a uniform per element instead of
  ``binomial(1, p)``.  :func:`draw_bernoulli_numba_backend` gives those numbers.
* choice with ``replace=False``: the NUMBA mode also differs here.  This module does not
  model that sampler.

Every other case recorded in ``tests/data/pytensor_random_draws.json`` agrees between
the two paths.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "DISTRIBUTIONS",
    "REQUIRED",
    "Distribution",
    "SeedSource",
    "bind_params",
    "choice_dtype",
    "copy_generator",
    "draw_bernoulli",
    "draw_bernoulli_numba_backend",
    "draw_binomial",
    "draw_categorical",
    "draw_choice",
    "draw_choice_without_replacement",
    "draw_integers",
    "draw_normal",
    "draw_poisson",
    "draw_uniform",
    "normalize_size",
    "draw_beta",
    "draw_betabinom",
    "draw_gengamma",
    "draw_halfcauchy",
    "draw_invgamma",
    "draw_truncexpon",
    "draw_cauchy",
    "draw_dirichlet",
    "draw_exponential",
    "draw_gamma",
    "draw_geometric",
    "draw_gumbel",
    "draw_halfnormal",
    "draw_hypergeometric",
    "draw_laplace",
    "draw_logistic",
    "draw_lognormal",
    "draw_multinomial",
    "draw_multivariate_normal",
    "draw_negative_binomial",
    "draw_pareto",
    "draw_permutation",
    "draw_t",
    "draw_triangular",
    "draw_vonmises",
    "draw_wald",
    "draw_weibull",
    "output_ndim",
    "output_shape",
    "output_static_shape",
    "permutation_static_shape",
    "support_static_shape",
    "resolve_dtype",
]

Size = tuple[int, ...] | None


# --------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------
class SeedSource:
    """Hands out the generators of the random variables that one ``RandomStream`` creates.

    ``SeedSource(seed)`` corresponds to ``RandomStream(seed)``.  Call
    :meth:`next_generator` once per random variable, in creation order.  Call
    :meth:`reseed` for ``RandomStream.seed``.
    """

    def __init__(self, seed: Any = None, rng_ctor: Any = np.random.default_rng):
        self.initial_seed = seed
        self.rng_ctor = rng_ctor
        self._root = np.random.SeedSequence(seed)
        self.n_created = 0  # random variables created so far = children already spawned

    @property
    def root(self) -> np.random.SeedSequence:
        return self._root

    def next_generator(self) -> np.random.Generator:
        """The generator of the next random variable: ``rng_ctor`` (``default_rng``) of the
        root's next child."""
        (child,) = self._root.spawn(1)
        self.n_created += 1
        return self.rng_ctor(child)  # RAND-STREAM-1

    def reseed(self, seed: Any = None) -> list[np.random.Generator]:
        """Restart from ``SeedSequence(seed)`` and return new generators for the existing variables.

        ``seed=None`` reuses the constructor's seed.  The returned list is in creation
        order, and the caller installs item k as the value of variable k's shared rng.
        Variables created afterwards continue with child ``n_created``.
        """
        if seed is None:
            seed = self.initial_seed
        self._root = np.random.SeedSequence(seed)  # RAND-STREAM-4
        return [self.rng_ctor(child) for child in self._root.spawn(self.n_created)]


def copy_generator(rng: np.random.Generator) -> np.random.Generator:
    """An independent generator in the same state: what a non-inplace draw starts from."""
    return copy.deepcopy(rng)  # RAND-STREAM-2: draws start from a copy


# --------------------------------------------------------------------------------------
# Arguments: size, dtype, parameter broadcasting
# --------------------------------------------------------------------------------------
def normalize_size(size: int | Sequence[int] | np.ndarray | None) -> Size:
    """``size`` as PyTensor passes it to numpy: ``None``, or a tuple of ints (an int n means ``(n,)``)."""
    if size is None:
        return None
    if isinstance(size, (int, np.integer)):
        return (int(size),)
    return tuple(int(s) for s in size)


def _pad_batch_dims(
    params: Sequence[Any], core_ndims: Sequence[int], size: Size
) -> list[np.ndarray]:
    """Add leading size-1 axes so every parameter has the output's number of batch dimensions.

    A parameter's batch dimensions are those in front of its ``core_ndim`` trailing
    dimensions (0 for scalar parameters, 1 for a probability vector).  PyTensor adds these
    axes when it builds the node, so numpy always sees parameters of equal batch rank.
    """
    arrays = [np.asarray(p) for p in params]
    batch_ndims = [a.ndim - core for a, core in zip(arrays, core_ndims, strict=True)]
    target = len(size) if size is not None else max(batch_ndims, default=0)
    return [
        a.reshape((1,) * (target - b) + a.shape) if b < target else a
        for a, b in zip(arrays, batch_ndims, strict=True)
    ]


def _finish(draws: Any, dtype: str) -> np.ndarray:
    """Every draw ends with ``np.asarray(draws, dtype=dtype)`` (a 0-d array when numpy gave a scalar)."""
    return np.asarray(draws, dtype=dtype)


# --------------------------------------------------------------------------------------
# Draws, one per random variable
# --------------------------------------------------------------------------------------
def draw_binomial(rng, n, p, *, size: Size = None, dtype: str = "int64") -> np.ndarray:
    """``rng.binomial(n, p, size)``, cast to ``dtype`` (default ``int64``).

    Without size the shape is the broadcast of ``n`` and ``p``.  ``dtype`` may be any
    non-float dtype.
    """
    n, p = _pad_batch_dims([n, p], (0, 0), size)
    return _finish(rng.binomial(n, p, size), dtype)  # RAND-DRAW-1


def draw_normal(rng, loc, scale, *, size: Size = None, dtype: str = "float64") -> np.ndarray:
    """``rng.normal(loc, scale, size)``, cast to ``dtype`` (default floatX).

    The draw is always made in float64.  ``dtype="float32"`` rounds the float64 values.
    """
    loc, scale = _pad_batch_dims([loc, scale], (0, 0), size)
    return _finish(rng.normal(loc, scale, size), dtype)  # RAND-DRAW-1


def draw_uniform(rng, low, high, *, size: Size = None, dtype: str = "float64") -> np.ndarray:
    """``rng.uniform(low, high, size)``, cast to ``dtype`` (default floatX); drawn in float64."""
    low, high = _pad_batch_dims([low, high], (0, 0), size)
    return _finish(rng.uniform(low, high, size), dtype)  # RAND-DRAW-1


def draw_integers(rng, low, high, *, size: Size = None, dtype: str = "int64") -> np.ndarray:
    """``rng.integers(low, high, size)`` (``low`` inclusive, ``high`` exclusive), cast to ``dtype``.

    numpy is always called with its default ``dtype=int64``.  A requested ``int32``
    output is a cast of the int64 draws, not numpy's int32 sampler, which would give
    other numbers.
    """
    low, high = _pad_batch_dims([low, high], (0, 0), size)
    return _finish(rng.integers(low, high, size), dtype)  # RAND-DRAW-1


def draw_poisson(rng, lam, *, size: Size = None, dtype: str = "int64") -> np.ndarray:
    """``rng.poisson(lam, size)``, cast to ``dtype`` (default ``int64``)."""
    (lam,) = _pad_batch_dims([lam], (0,), size)
    return _finish(rng.poisson(lam, size), dtype)  # RAND-DRAW-1


def draw_bernoulli(rng, p, *, size: Size = None, dtype: str = "int64") -> np.ndarray:
    """``rng.binomial(1, p, shape)``, cast to ``dtype`` (default ``int64``).

    ``shape`` is ``size``, or ``p``'s shape without size.  PyTensor's perform goes through
    ``scipy.stats.bernoulli.rvs(p, size=size, random_state=rng)``.  That call checks
    ``0 <= p <= 1`` and then calls exactly this numpy method.  Scipy is only a
    detour; the numbers are numpy's.

    The default NUMBA mode uses another sampler: see :func:`draw_bernoulli_numba_backend`.
    """
    (p,) = _pad_batch_dims([p], (0,), size)
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError("bernoulli: p must lie in [0, 1]")
    shape = size if size is not None else p.shape
    return _finish(rng.binomial(1, p, shape), dtype)  # RAND-DRAW-2


def draw_bernoulli_numba_backend(rng, p, *, size: Size = None, dtype: str = "int64") -> np.ndarray:
    """Bernoulli as PyTensor's default NUMBA mode draws it (not the perform path).

    For each output element in C order, it takes ``u = rng.uniform()`` and returns
    ``0 if p < u else 1``.  This is not ``binomial(1, p)``: for ``p = 0.5`` the two
    samplers return complementary bits from the same uniforms.
    """
    (p,) = _pad_batch_dims([p], (0,), size)
    shape = size if size is not None else p.shape
    u = rng.uniform(size=shape)
    return _finish(np.where(p < u, 0, 1), dtype)  # RAND-BACKEND-1


def draw_categorical(rng, p, *, size: Size = None, dtype: str = "int64") -> np.ndarray:
    """Index k with probability ``p[..., k]``: one uniform per output element, then inverse CDF.

    The rule is ``u = rng.uniform(size=shape)``, where ``shape`` is ``size`` or the batch
    shape ``p.shape[:-1]``.  The index is then ``searchsorted(cumsum(p), u, side="left")``,
    taken row by row over the batch.  ``p`` is not normalised, so a cumulative sum that
    falls short of 1 can give the out-of-range index ``len(p)``, as in PyTensor.
    """
    (p,) = _pad_batch_dims([p], (1,), size)
    if size is None:
        size = p.shape[:-1]
    elif len(size) < p.ndim - 1:
        raise ValueError("categorical: size has fewer dimensions than p's batch shape")
    elif any(
        s == 1 and ps != 1 for s, ps in zip(reversed(size), reversed(p.shape[:-1]), strict=True)
    ):
        raise ValueError("categorical: size is incompatible with the shape of p")
    u = rng.uniform(size=size)
    search_rows = np.vectorize(np.searchsorted, otypes=[np.int64], signature="(n),()->()")
    return _finish(search_rows(np.cumsum(p, axis=-1), u), dtype)  # RAND-DRAW-4


def draw_choice_without_replacement(
    rng, a, p=None, *, size: Size, dtype: str | None = None
) -> np.ndarray:
    """``rng.choice(a, p=p, size=size, replace=False)``, cast to ``a``'s dtype.

    ``size=()`` is passed to numpy as ``None``.  ``a`` is an int n (meaning ``arange(n)``)
    or an array whose rows are chosen; the shape is ``size + a.shape[1:]``.  The output
    dtype is ``a``'s dtype, even for an int ``a``: ``choice(5, ..., replace=False)`` gives
    int8 when 5 is an int8 constant.
    """
    a = np.asarray(a)
    core_shape = tuple(size) if size is not None else ()
    draws = rng.choice(a, p=p, size=core_shape if core_shape != () else None, replace=False)
    return _finish(draws, dtype if dtype is not None else a.dtype.name)


def choice_dtype(a_dtype: str, a_ndim: int, replace: bool, size: Size) -> str:
    """Output dtype of ``choice``.

    It is int64 for sampled indices (scalar ``a``, with replacement or without size).  It
    is ``a``'s dtype when rows of ``a`` are returned, and when sampling without
    replacement.
    """
    if (replace or size is None) and a_ndim == 0:
        return "int64"
    return a_dtype


def draw_choice(
    rng, a, p=None, *, size: Size = None, replace: bool = True, dtype: str | None = None
) -> np.ndarray:
    """``RandomStream.choice(a, size, replace, p)``.  It is not an op of its own; it routes to another sampler.

    * ``replace=True``, or no size: draw indices with ``integers(0, len_a, size)``, or
      with :func:`draw_categorical` when ``p`` is given.  The output is the int64 indices
      when ``a`` is a scalar and ``a[indices]`` otherwise.  (``RandomStream.choice``
      itself rejects a non-scalar ``a`` in this case with a TypeError when the graph is
      built.)  With a scalar ``a`` the numbers are exactly those of ``integers(0, a)``.
    * ``replace=False`` with a size: :func:`draw_choice_without_replacement`.

    ``len_a`` is ``a`` itself when ``a`` is a scalar, else ``a.shape[0]``.  ``p`` must have
    shape ``(len_a,)``.  ``dtype`` cannot be chosen: if given, it must equal
    :func:`choice_dtype`.
    """
    a = np.asarray(a)
    len_a = a if a.ndim == 0 else np.asarray(a.shape[0], dtype="int64")
    if p is not None:
        p = np.asarray(p)
        if p.shape != (int(len_a),):
            raise ValueError(f"choice: p must have shape ({int(len_a)},), got {p.shape}")
    expected_dtype = choice_dtype(a.dtype.name, a.ndim, replace, size)
    if dtype is not None and np.dtype(dtype).name != expected_dtype:
        raise ValueError(f"choice: output dtype is {expected_dtype}; it cannot be changed")

    if replace or size is None:
        if p is None:
            indices = draw_integers(rng, np.asarray(0, dtype="int8"), len_a, size=size)
        else:
            indices = draw_categorical(rng, p, size=size)
        return indices if a.ndim == 0 else a[indices]  # RAND-DRAW-3
    return draw_choice_without_replacement(rng, a, p, size=size)  # RAND-DRAW-3


# --------------------------------------------------------------------------------------
# The functional API's other distributions (RAND-FUNC-2)
# --------------------------------------------------------------------------------------
def _generator_method(method: str, n_params: int) -> Callable[..., np.ndarray]:
    """A draw that is one numpy ``Generator`` method: ``getattr(rng, method)(*params, size)``.

    The parameters are padded to the output's batch rank first (step 1 of the module
    docstring), as PyTensor's node does before ``perform`` sees them.
    """

    def draw(rng, *params, size: Size = None, dtype: str = "float64") -> np.ndarray:
        padded = _pad_batch_dims(params, (0,) * n_params, size)
        return _finish(getattr(rng, method)(*padded, size=size), dtype)  # RAND-FUNC-2

    draw.__name__ = draw.__qualname__ = f"draw_{method}"
    draw.__doc__ = f"``rng.{method}(*params, size)``, cast to ``dtype``."
    return draw


def _rvs_shape(arrays: Sequence[np.ndarray], size: Size) -> tuple[int, ...]:
    """The shape a scipy-style draw makes: ``size``, or the broadcast of every parameter."""
    return tuple(size) if size is not None else np.broadcast_shapes(*(a.shape for a in arrays))


def _scipy_style(name: str, standard: Callable[..., Any], n_shape: int,
                 check: Callable[..., Any] | None = None,
                 split: Callable[..., tuple] | None = None) -> Callable[..., np.ndarray]:
    """A draw that PyTensor delegates to ``scipy.stats.<dist>.rvs(..., random_state=rng)``.

    Its parameters are ``n_shape`` shape parameters, then ``loc`` and ``scale`` (``pareto``
    has no ``loc``: it is 0).  ``split``, when given, maps the padded parameters to
    ``(shape params, loc, scale)`` instead (``gengamma`` passes ``alpha / p`` and ``p``
    to scipy, with ``lambd`` as the scale).  scipy checks the parameters (``scale >= 0``
    and the distribution's own domain, ``check``), returns ``loc`` everywhere without
    drawing when every ``scale`` is 0, and otherwise draws the standard variate
    ``standard(rng, *shape params, shape)`` and returns ``standard * scale + loc``.  This
    is that computation in numpy, so the numbers are the same without scipy.
    """

    def draw(rng, *params, size: Size = None, dtype: str = "float64") -> np.ndarray:
        padded = _pad_batch_dims(params, (0,) * len(params), size)
        if split is not None:
            shape_params, loc, scale = split(*padded)  # RAND-FUNC-6
        else:
            shape_params = padded[:n_shape]
            loc, scale = ((padded[n_shape], padded[n_shape + 1]) if len(padded) == n_shape + 2
                          else (0.0, padded[n_shape]))
        valid = np.asarray(scale) >= 0
        if check is not None:
            valid = valid & check(*shape_params)
        if not np.all(valid):
            raise ValueError(f"{name}: parameters outside the distribution's domain")
        shape = _rvs_shape([*padded, np.asarray(loc), np.asarray(scale)], size)
        if np.all(np.asarray(scale) == 0):
            return _finish(loc * np.ones(shape, "d"), dtype)  # RAND-FUNC-3: no draw
        values = standard(rng, *shape_params, shape)
        return _finish(values * scale + loc, dtype)  # RAND-FUNC-3

    draw.__name__ = draw.__qualname__ = f"draw_{name}"
    draw.__doc__ = f"``{name}`` as scipy.stats draws it for PyTensor (RAND-FUNC-3)."
    return draw


def _cauchy_standard(rng, shape):
    """scipy's ``cauchy``: the inverse CDF of one uniform per element."""
    q = rng.uniform(size=shape)
    return np.where(q < 0.5, -1.0 / np.tan(np.pi * q), 1.0 / np.tan(np.pi * (1.0 - q)))


def _gumbel_standard(rng, shape):
    """scipy's ``gumbel_r``: ``-log(-log(u))`` for one uniform per element."""
    return -np.log(-np.log(rng.uniform(size=shape)))


def _pareto_standard(rng, b, shape):
    """scipy's ``pareto``: ``(1 - u) ** (-1 / b)`` for one uniform per element."""
    return pow(1 - rng.uniform(size=shape), -1.0 / b)


draw_beta = _generator_method("beta", 2)
draw_gamma = _generator_method("gamma", 2)
draw_exponential = _generator_method("exponential", 1)
draw_lognormal = _generator_method("lognormal", 2)
draw_geometric = _generator_method("geometric", 1)
draw_hypergeometric = _generator_method("hypergeometric", 3)
draw_laplace = _generator_method("laplace", 2)
draw_logistic = _generator_method("logistic", 2)
draw_vonmises = _generator_method("vonmises", 2)
draw_weibull = _generator_method("weibull", 1)
draw_wald = _generator_method("wald", 2)
draw_triangular = _generator_method("triangular", 3)
draw_negative_binomial = _generator_method("negative_binomial", 2)
draw_t = _scipy_style("t", lambda rng, df, shape: rng.standard_t(df, size=shape), 1, lambda df: df > 0)
draw_cauchy = _scipy_style("cauchy", _cauchy_standard, 0)
draw_halfnormal = _scipy_style("halfnormal", lambda rng, shape: abs(rng.standard_normal(size=shape)), 0)
draw_gumbel = _scipy_style("gumbel", _gumbel_standard, 0)
draw_pareto = _scipy_style("pareto", _pareto_standard, 1, lambda b: b > 0)


def _halfcauchy_standard(rng, shape):
    """scipy's ``halfcauchy``: the inverse CDF ``tan(pi / 2 * u)`` of one uniform per element."""
    return np.tan(np.pi / 2 * rng.uniform(size=shape))


def _truncexpon_standard(rng, b, shape):
    """scipy's ``truncexpon``: the inverse CDF ``-log1p(u * expm1(-b))`` of one uniform per
    element, with ``scipy.special``'s ``log1p`` and ``expm1`` (for a float32 ``b``, scipy's
    ``expm1`` is correctly rounded where numpy's float32 loop is not, so numpy's would
    change the last bits)."""
    from scipy import special

    return -special.log1p(rng.uniform(size=shape) * special.expm1(-b))


def _gengamma_standard(rng, a, c, shape):
    """scipy's ``gengamma``: ``standard_gamma(a, shape) ** (1 / c)``."""
    return rng.standard_gamma(a, size=shape) ** (1.0 / c)


def _gengamma_split(alpha, p, lambd):
    """PyTensor calls ``scipy.stats.gengamma.rvs(alpha / p, p, scale=lambd)``: the shape
    parameters are ``a = alpha / p`` (computed in the parameters' own dtype) and ``c = p``;
    ``loc`` is 0."""
    return [alpha / p, p], 0.0, lambd


draw_halfcauchy = _scipy_style("halfcauchy", _halfcauchy_standard, 0)
draw_truncexpon = _scipy_style("truncexpon", _truncexpon_standard, 1, lambda b: b > 0)
draw_gengamma = _scipy_style("gengamma", _gengamma_standard, 2, lambda a, c: (a > 0) & (c != 0),
                             split=_gengamma_split)


def draw_invgamma(rng: np.random.Generator, shape: Any, scale: Any, *, size: Size = None,
                  dtype: str = "float64") -> np.ndarray:
    """``1 / rng.gamma(shape, 1 / scale, size)``, cast to ``dtype`` (default floatX).

    ``1 / scale`` is computed in ``scale``'s own dtype (float32 for a Python float
    constant), as PyTensor's perform computes it, before numpy's gamma sampler sees it.
    """
    shape, scale = _pad_batch_dims([shape, scale], (0, 0), size)
    return _finish(1 / rng.gamma(shape, 1 / scale, size), dtype)  # RAND-FUNC-6


def draw_betabinom(rng: np.random.Generator, n: Any, a: Any, b: Any, *, size: Size = None,
                   dtype: str = "int64") -> np.ndarray:
    """``p = rng.beta(a, b, shape)``, then ``rng.binomial(n, p, shape)``, cast to ``dtype``.

    This is ``scipy.stats.betabinom.rvs`` in numpy: ``n`` **MUST** be a non-negative
    integer (an integral float is accepted) and ``a``, ``b`` positive, else ValueError.
    ``shape`` is ``size``, or the broadcast of the three parameters.
    """
    n, a, b = _pad_batch_dims([n, a, b], (0, 0, 0), size)
    valid = (n >= 0) & (n == np.floor(n)) & (a > 0) & (b > 0)
    if not np.all(valid):
        raise ValueError("betabinom: parameters outside the distribution's domain")
    shape = _rvs_shape([n, a, b], size)
    p = rng.beta(a, b, shape)
    return _finish(rng.binomial(np.asarray(n, dtype=int), p, shape), dtype)  # RAND-FUNC-6


def draw_multivariate_normal(rng, mean, cov, *, size: Size = None, dtype: str = "float64",
                             method: str = "cholesky") -> np.ndarray:
    """``mean + A @ z`` for ``z = rng.normal(size=batch + (n,))`` and ``A A^T = cov``.

    ``A`` is ``cholesky(cov)`` (the default), or ``U * sqrt(s)`` from ``svd(cov)`` or
    ``V * sqrt(w)`` from ``eigh(cov)`` for ``method="svd"``/``"eigh"``.  ``batch`` is
    ``size``, or the broadcast of ``mean``'s and ``cov``'s batch shapes.  This is
    PyTensor's sampler, not numpy's ``Generator.multivariate_normal`` (which factors with
    SVD and gives other numbers).
    """
    mean, cov = _pad_batch_dims([mean, cov], (1, 2), size)
    batch = tuple(size) if size is not None else np.broadcast_shapes(mean.shape[:-1], cov.shape[:-2])
    if method == "cholesky":
        factor = np.linalg.cholesky(cov)
    elif method == "svd":
        factor, s, _ = np.linalg.svd(cov)
        factor = factor * np.sqrt(s)[..., None, :]
    else:
        w, factor = np.linalg.eigh(cov)
        factor = factor * np.sqrt(w)[..., None, :]
    z = rng.normal(size=(*batch, mean.shape[-1]))
    out = np.einsum("...ij,...j->...i", factor, z)
    out += mean
    return _finish(out, dtype)  # RAND-FUNC-4


def draw_dirichlet(rng, alphas, *, size: Size = None, dtype: str = "float64") -> np.ndarray:
    """``rng.dirichlet``: one call for a single ``alphas`` vector (with ``size``), else one
    call per batch index, in C order, of ``alphas`` broadcast to ``size + (k,)``."""
    (alphas,) = _pad_batch_dims([alphas], (1,), size)
    if alphas.ndim == 1:
        return _finish(rng.dirichlet(alphas, size=size), dtype)  # RAND-FUNC-4
    if size is not None:
        alphas = np.broadcast_to(alphas, tuple(size) + alphas.shape[-1:])
    out = np.empty(alphas.shape)
    for index in np.ndindex(alphas.shape[:-1]):
        out[index] = rng.dirichlet(alphas[index])
    return _finish(out, dtype)  # RAND-FUNC-4


def draw_multinomial(rng, n, p, *, size: Size = None, dtype: str = "int64") -> np.ndarray:
    """``rng.multinomial``: one call for a scalar ``n`` and a single ``p`` vector (with
    ``size``), else one call per batch index, in C order, of ``n`` and ``p`` broadcast
    together (to ``size`` when given)."""
    n, p = _pad_batch_dims([n, p], (0, 1), size)
    if n.ndim == 0 and p.ndim == 1:
        return _finish(rng.multinomial(n, p, size=size), dtype)  # RAND-FUNC-4
    batch = tuple(size) if size is not None else np.broadcast_shapes(n.shape, p.shape[:-1])
    n = np.broadcast_to(n, batch)
    p = np.broadcast_to(p, batch + p.shape[-1:])
    out = np.empty(p.shape, dtype="int64")
    for index in np.ndindex(batch):
        out[index] = rng.multinomial(n[index], p[index])
    return _finish(out, dtype)  # RAND-FUNC-4


def draw_permutation(rng, x, *, size: Size = None, dtype: str | None = None) -> np.ndarray:
    """``rng.permutation(int(x))`` for a scalar ``x``; ``rng.permutation(x)`` (along the
    first axis) for an array.  With ``size``, one permutation per index of ``size`` of
    ``x`` broadcast to ``size + x.shape``, in C order.  The dtype is ``x``'s."""
    x = np.asarray(x)
    out_dtype = dtype if dtype is not None else x.dtype.name
    if not size:
        return _finish(rng.permutation(x.item() if x.ndim == 0 else x), out_dtype)  # RAND-FUNC-4
    x = np.broadcast_to(x, tuple(size) + x.shape[len(size):] if x.ndim > len(size) else tuple(size) + x.shape)
    core = x.shape[len(size):]
    if core == ():
        rows = [rng.permutation(int(x[index])) for index in np.ndindex(tuple(size))]
        return _finish(np.reshape(rows, tuple(size) + (-1,)), out_dtype)
    out = np.empty(x.shape, dtype=x.dtype)
    for index in np.ndindex(tuple(size)):
        out[index] = rng.permutation(x[index])
    return _finish(out, out_dtype)  # RAND-FUNC-4


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------
REQUIRED = object()  # marks a parameter without a default in Distribution.param_defaults


class Distribution(NamedTuple):
    """One row of :data:`DISTRIBUTIONS`.

    ``default_dtype`` is a rule: ``"floatX"`` (the configured float type), a dtype name,
    or ``"choice"``/``"param"`` (the dtype follows a parameter: :func:`choice_dtype`,
    ``permutation``'s ``x``).  ``core_ndims`` gives each parameter's number of trailing
    non-batch dimensions; it is ``None`` for choice and permutation, whose shape rules are
    special.  ``support`` names the parameter (index) whose last axis is the length of
    each draw's one core axis (``None``: scalar draws).  ``calls`` says in words which
    numpy ``Generator`` method the draw calls (the spec's table is made from it).
    """

    draw: Callable[..., np.ndarray]
    n_params: int
    default_dtype: str
    param_names: tuple[str, ...]
    param_defaults: tuple[Any, ...]
    core_ndims: tuple[int, ...] | None
    options: tuple[str, ...] = ()  # keyword options besides size/dtype
    support: tuple[int, ...] | None = None  # parameters that give the core axis's length
    calls: str = ""


_R = REQUIRED
#: The one table of distributions: the functional API (``pt.random.<name>``), the
#: ``RandomStream`` methods and the op all read it.
DISTRIBUTIONS: dict[str, Distribution] = {
    "binomial": Distribution(draw_binomial, 2, "int64", ("n", "p"), (_R, _R), (0, 0),
                             calls="binomial(n, p, size)"),
    "normal": Distribution(draw_normal, 2, "floatX", ("loc", "scale"), (0.0, 1.0), (0, 0),
                           calls="normal(loc, scale, size)"),
    "uniform": Distribution(draw_uniform, 2, "floatX", ("low", "high"), (0.0, 1.0), (0, 0),
                            calls="uniform(low, high, size)"),
    # integers(low) alone means integers(0, low): see bind_params.
    "integers": Distribution(draw_integers, 2, "int64", ("low", "high"), (_R, None), (0, 0),
                             calls="integers(low, high, size)"),
    "bernoulli": Distribution(draw_bernoulli, 1, "int64", ("p",), (_R,), (0,),
                              calls="binomial(1, p, shape)"),
    "poisson": Distribution(draw_poisson, 1, "int64", ("lam",), (1.0,), (0,), calls="poisson(lam, size)"),
    "categorical": Distribution(draw_categorical, 1, "int64", ("p",), (_R,), (1,),
                                calls="uniform(size=shape), then searchsorted(cumsum(p), u)"),
    "choice": Distribution(
        draw_choice, 2, "choice", ("a", "p"), (_R, None), None, ("replace",),
        calls="integers or categorical (indices); choice(a, p=p, size, replace=False)",
    ),
    "permutation": Distribution(draw_permutation, 1, "param", ("x",), (_R,), None,
                                calls="permutation(x), one call per batch index"),
    "beta": Distribution(draw_beta, 2, "floatX", ("alpha", "beta"), (_R, _R), (0, 0),
                         calls="beta(alpha, beta, size)"),
    "gamma": Distribution(draw_gamma, 2, "floatX", ("shape", "scale"), (_R, _R), (0, 0),
                          calls="gamma(shape, scale, size)"),
    "exponential": Distribution(draw_exponential, 1, "floatX", ("scale",), (1.0,), (0,),
                                calls="exponential(scale, size)"),
    "lognormal": Distribution(draw_lognormal, 2, "floatX", ("mean", "sigma"), (0.0, 1.0), (0, 0),
                              calls="lognormal(mean, sigma, size)"),
    "multivariate_normal": Distribution(
        draw_multivariate_normal, 2, "floatX", ("mean", "cov"), (_R, _R), (1, 2), ("method",), (0, 1),
        calls="normal(size=batch + (n,)), then mean + A @ z",
    ),
    "dirichlet": Distribution(draw_dirichlet, 1, "floatX", ("alphas",), (_R,), (1,), (), (0,),
                              calls="dirichlet(alphas[, size]), one call per batch index"),
    "multinomial": Distribution(draw_multinomial, 2, "int64", ("n", "p"), (_R, _R), (0, 1), (), (1,),
                                calls="multinomial(n, p[, size]), one call per batch index"),
    "geometric": Distribution(draw_geometric, 1, "int64", ("p",), (_R,), (0,), calls="geometric(p, size)"),
    "hypergeometric": Distribution(draw_hypergeometric, 3, "int64", ("ngood", "nbad", "nsample"),
                                   (_R, _R, _R), (0, 0, 0), calls="hypergeometric(ngood, nbad, nsample, size)"),
    "laplace": Distribution(draw_laplace, 2, "floatX", ("loc", "scale"), (0.0, 1.0), (0, 0),
                            calls="laplace(loc, scale, size)"),
    "logistic": Distribution(draw_logistic, 2, "floatX", ("loc", "scale"), (0, 1), (0, 0),
                             calls="logistic(loc, scale, size)"),
    "negative_binomial": Distribution(draw_negative_binomial, 2, "int64", ("n", "p"), (_R, _R), (0, 0),
                                      calls="negative_binomial(n, p, size)"),
    "t": Distribution(draw_t, 3, "floatX", ("df", "loc", "scale"), (_R, 0.0, 1.0), (0, 0, 0),
                      calls="standard_t(df, shape) * scale + loc"),
    "cauchy": Distribution(draw_cauchy, 2, "floatX", ("loc", "scale"), (0.0, 1.0), (0, 0),
                           calls="uniform(size=shape), inverse CDF, * scale + loc"),
    "halfnormal": Distribution(draw_halfnormal, 2, "floatX", ("loc", "scale"), (0.0, 1.0), (0, 0),
                               calls="abs(standard_normal(shape)) * scale + loc"),
    "vonmises": Distribution(draw_vonmises, 2, "floatX", ("mu", "kappa"), (_R, _R), (0, 0),
                             calls="vonmises(mu, kappa, size)"),
    "weibull": Distribution(draw_weibull, 1, "floatX", ("shape",), (_R,), (0,), calls="weibull(shape, size)"),
    "wald": Distribution(draw_wald, 2, "floatX", ("mean", "scale"), (1.0, 1.0), (0, 0),
                         calls="wald(mean, scale, size)"),
    "triangular": Distribution(draw_triangular, 3, "floatX", ("left", "mode", "right"), (_R, _R, _R),
                               (0, 0, 0), calls="triangular(left, mode, right, size)"),
    "gumbel": Distribution(draw_gumbel, 2, "floatX", ("loc", "scale"), (_R, 1.0), (0, 0),
                           calls="uniform(size=shape); -log(-log(u)) * scale + loc"),
    "pareto": Distribution(draw_pareto, 2, "floatX", ("b", "scale"), (_R, 1.0), (0, 0),
                           calls="uniform(size=shape); (1 - u) ** (-1 / b) * scale"),
    # RAND-FUNC-6: the rest of PyTensor 3.3.7's distributions
    "betabinom": Distribution(draw_betabinom, 3, "int64", ("n", "a", "b"), (_R, _R, _R), (0, 0, 0),
                              calls="beta(a, b, shape), then binomial(n, p, shape)"),
    "gengamma": Distribution(draw_gengamma, 3, "floatX", ("alpha", "p", "lambd"), (1.0, 1.0, 1.0), (0, 0, 0),
                             calls="standard_gamma(alpha / p, shape) ** (1 / p) * lambd"),
    "halfcauchy": Distribution(draw_halfcauchy, 2, "floatX", ("loc", "scale"), (0.0, 1.0), (0, 0),
                               calls="uniform(size=shape); tan(pi / 2 * u) * scale + loc"),
    "invgamma": Distribution(draw_invgamma, 2, "floatX", ("shape", "scale"), (_R, _R), (0, 0),
                             calls="1 / gamma(shape, 1 / scale, size)"),
    "truncexpon": Distribution(draw_truncexpon, 3, "floatX", ("b", "loc", "scale"), (_R, 0.0, 1.0), (0, 0, 0),
                               calls="uniform(size=shape); -log1p(u * expm1(-b)) * scale + loc"),
}


def bind_params(name: str, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """Front-end arguments -> the parameter tuple the draw function takes, as PyTensor binds them.

    It fills in defaults.  For ``integers`` called with one argument, that argument is
    ``high`` and ``low`` is 0.  ``size``, ``dtype`` and options are not parameters; pass
    them separately.
    """
    entry = DISTRIBUTIONS[name]
    if len(args) > entry.n_params:
        raise TypeError(f"{name}: at most {entry.n_params} parameters, got {len(args)}")
    values = list(args) + [
        kwargs.pop(n) if n in kwargs else d
        for n, d in zip(
            entry.param_names[len(args) :], entry.param_defaults[len(args) :], strict=True
        )
    ]
    if kwargs:
        raise TypeError(f"{name}: unexpected arguments {sorted(kwargs)}")
    missing = [n for n, v in zip(entry.param_names, values, strict=True) if v is REQUIRED]
    if missing:
        raise TypeError(f"{name}: missing parameter(s) {missing}")
    if name == "integers" and values[1] is None:
        values = [0, values[0]]
    return tuple(values)


def resolve_dtype(name: str, requested: str | None = None, *, floatX: str = "float64") -> str:
    """Output dtype of a random variable, given an optional ``dtype=`` argument.

    The default is ``floatX`` for continuous distributions and int64 for discrete ones.
    A requested dtype may change the width, but float stays float and non-float stays
    non-float.  Crossing between them is a ValueError, as in PyTensor; so
    ``binomial(..., dtype="float64")`` is refused.
    """
    rule = DISTRIBUTIONS[name].default_dtype
    if rule in ("choice", "param"):
        raise ValueError(f"{name}: its dtype follows a parameter (choice_dtype(), permutation's x)")
    default = floatX if rule == "floatX" else rule
    if requested is None:
        return default
    wanted = floatX if requested == "floatX" else np.dtype(requested).name
    if wanted.startswith("float") != default.startswith("float"):
        raise ValueError(
            f"{name}: output dtype cannot change from {rule} to {wanted}"
        )  # RAND-DTYPE-1
    return wanted


# --------------------------------------------------------------------------------------
# Static output shape
# --------------------------------------------------------------------------------------
StaticShape = tuple[int | None, ...]


def _broadcast_static(shapes: Sequence[StaticShape]) -> StaticShape:
    """Broadcast shapes with unknown (None) entries, aligned on the right.

    Per dimension: a known length other than 1 wins; if all are 1 the result is 1;
    otherwise it is unknown.  Two different known lengths other than 1 are an error.
    """
    ndim = max((len(s) for s in shapes), default=0)
    padded = [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]
    result: list[int | None] = []
    for axis, dims in enumerate(zip(*padded, strict=True)):
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ValueError(
                f"parameters do not broadcast: lengths {sorted(known)} on batch axis {axis}"
            )
        if known:
            result.append(known.pop())
        elif all(d == 1 for d in dims):
            result.append(1)
        else:
            result.append(None)
    return tuple(result)


def output_static_shape(
    name: str, param_shapes: Sequence[StaticShape | None], size: Sequence[int | None] | None = None
) -> StaticShape:
    """The output's static shape, as PyTensor infers it when the node is built.

    ``param_shapes`` lists each parameter's static shape (None for an unknown length).
    ``size`` is None, or one entry per output dimension (None for a symbolic length).

    With size, the shape is ``tuple(size)``; a parameter with more batch dimensions than
    ``len(size)`` is a ValueError.  Without size, it is the broadcast of the parameters'
    batch shapes.  All distributions here have scalar draws, so there is no support
    shape to append.

    For ``choice`` pass the shapes of ``a`` and ``p`` (``None`` for no ``p``).  The shape is
    ``size`` (or ``()``) followed by ``a.shape[1:]``.
    """
    if name == "choice":
        a_shape = tuple(param_shapes[0])
        return (tuple(size) if size is not None else ()) + a_shape[1:]
    if name == "permutation":
        return permutation_static_shape(tuple(param_shapes[0]), size)
    entry = DISTRIBUTIONS[name]
    core_ndims = entry.core_ndims
    for i, (s, core) in enumerate(zip(param_shapes, core_ndims, strict=True)):
        if len(s) < core:
            raise ValueError(
                f"{name}: parameter {entry.param_names[i]} needs at least {core} dimension(s), got {len(s)}"
            )
    batch_shapes = [
        tuple(s)[: len(s) - core] for s, core in zip(param_shapes, core_ndims, strict=True)
    ]
    support = support_static_shape(name, param_shapes)
    if size is not None:
        for i, batch in enumerate(batch_shapes):
            if len(batch) > len(size):
                raise ValueError(
                    f"{name}: parameter {i} has {len(batch)} batch dimensions, more than len(size) = {len(size)}"
                )
        _broadcast_static([*batch_shapes, tuple(size)])  # parameters must broadcast to size
        return tuple(size) + support  # RAND-SHAPE-1: size given
    return _broadcast_static(batch_shapes) + support  # RAND-SHAPE-1: no size


def support_static_shape(name: str, param_shapes: Sequence[StaticShape]) -> StaticShape:
    """The core shape of one draw: ``()`` for scalar draws; for a vector draw, the last
    length of the parameters in ``Distribution.support`` (the first that is known)."""
    support = DISTRIBUTIONS[name].support
    if not support:
        return ()
    lengths = {tuple(param_shapes[i])[-1] for i in support} - {None}
    if len(lengths) > 1:
        raise ValueError(f"{name}: the parameters' core lengths {sorted(lengths)} differ")
    return (lengths.pop() if lengths else None,)


def permutation_static_shape(x_shape: StaticShape, size: Sequence[int | None] | None,
                             x_value: Any = None) -> StaticShape:
    """``permutation(x)``: ``x``'s shape, or ``(x,)`` for a scalar ``x`` (its length known
    when ``x`` is a constant, ``x_value``); ``size`` in front when given."""
    core = tuple(x_shape) if x_shape else ((int(x_value),) if x_value is not None else (None,))
    return (tuple(size) if size is not None else ()) + core


def output_shape(name: str, params: Sequence[np.ndarray], size: Size, options: dict | None = None) -> tuple[int, ...]:
    """The output shape for parameter values ``params`` (what ``infer_shape`` needs)."""
    shapes = [np.shape(p) for p in params]
    if name == "choice":
        return (tuple(size) if size is not None else ()) + tuple(shapes[0][1:])
    if name == "permutation":
        x = np.asarray(params[0])
        return permutation_static_shape(shapes[0], size, x if x.ndim == 0 else None)
    shape = output_static_shape(name, shapes, size)
    if None in shape:
        batch_shapes = [s[: len(s) - c] for s, c in zip(shapes, DISTRIBUTIONS[name].core_ndims, strict=True)]
        batch = np.broadcast_shapes(*batch_shapes) if size is None else tuple(size)
        return tuple(batch) + tuple(shape[len(batch):])
    return tuple(int(n) for n in shape)


def output_ndim(name: str, param_ndims: Sequence[int], size_length: int | None = None) -> int:
    """Number of output dimensions: ``len(size)``, or else the most batch dimensions of any parameter."""
    if name == "choice":
        return (size_length or 0) + max(param_ndims[0] - 1, 0)
    if name == "permutation":
        return (size_length or 0) + max(param_ndims[0], 1)
    entry = DISTRIBUTIONS[name]
    support = 1 if entry.support else 0
    if size_length is not None:
        return size_length + support
    core_ndims = entry.core_ndims
    return support + max((nd - core for nd, core in zip(param_ndims, core_ndims, strict=True)), default=0)
