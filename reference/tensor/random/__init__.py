"""Random variables: ``pt.random.RandomStream``, the functional API
(``pt.random.normal(..., rng=rng)``) and generator variables (``pt.random.rng``,
``pt.random.shared_rng``, ``next_rng, x = rng.normal()``).  Spec: spec/2-ops.rst (RAND-*)."""

from reference.tensor.random import basic, utils, variable
from reference.tensor.random import type as _type  # noqa: F401 - pytensor.tensor.random.type (RAND-TYPE-1)
from reference.tensor.random.basic import (
    FUNCTIONAL,
    bernoulli,
    beta,
    betabinom,
    binomial,
    categorical,
    cauchy,
    chisquare,
    choice,
    dirichlet,
    exponential,
    gamma,
    gengamma,
    geometric,
    gumbel,
    halfcauchy,
    halfnormal,
    hypergeometric,
    integers,
    invgamma,
    laplace,
    logistic,
    lognormal,
    multinomial,
    multivariate_normal,
    nbinom,
    negative_binomial,
    normal,
    pareto,
    permutation,
    poisson,
    shared_rng,
    standard_normal,
    t,
    triangular,
    truncexpon,
    uniform,
    vonmises,
    wald,
    weibull,
)
from reference.tensor.random.utils import RandomStream
from reference.tensor.random.variable import (
    RandomGeneratorSharedVariable,
    RandomGeneratorVariable,
    rng,
)

__all__ = ["FUNCTIONAL", "RandomGeneratorSharedVariable", "RandomGeneratorVariable", "RandomStream", "basic", "rng",
           "shared_rng", "utils", "variable", *sorted(FUNCTIONAL)]

utils._add_stream_methods()
variable.add_generator_methods()
