"""Random variables: ``pt.random.RandomStream`` and the functional API
(``pt.random.normal(..., rng=rng)``).  Spec: spec/2-ops.rst (RAND-*)."""

from reference.tensor.random import basic, utils
from reference.tensor.random.basic import (
    FUNCTIONAL,
    bernoulli,
    beta,
    binomial,
    categorical,
    cauchy,
    chisquare,
    choice,
    dirichlet,
    exponential,
    gamma,
    geometric,
    gumbel,
    halfnormal,
    hypergeometric,
    integers,
    laplace,
    logistic,
    lognormal,
    multinomial,
    multivariate_normal,
    negative_binomial,
    normal,
    pareto,
    permutation,
    poisson,
    shared_rng,
    standard_normal,
    t,
    triangular,
    uniform,
    vonmises,
    wald,
    weibull,
)
from reference.tensor.random.utils import RandomStream

__all__ = ["FUNCTIONAL", "RandomStream", "basic", "shared_rng", "utils", *sorted(FUNCTIONAL)]

utils._add_stream_methods()
