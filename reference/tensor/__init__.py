"""The tensor namespace users import as ``pt`` (``import reference.tensor as pt``)."""

from numpy import e, euler_gamma, inf, nan, newaxis, pi  # noqa: F401 - PyTensor's module constants

from reference.graph.type import TensorType
from reference.tensor import linalg, special, subtensor
from reference.tensor.basic import *  # noqa: F403
from reference.tensor.basic import (
    alloc,
    arange,
    broadcast_to,
    concatenate,
    cumprod,
    cumsum,
    eye,
    fill,
    full,
    full_like,
    identity_like,
    join,
    make_vector,
    ones,
    ones_like,
    second,
    stack,
    tensor,
    zeros,
    zeros_like,
)
from reference.tensor.blas import dot, matmul, outer, tensordot
from reference.tensor.einsum import einsum, matvec, vecdot, vecmat
from reference.tensor.extra_ops import *  # noqa: F403
from reference.tensor.functional import vectorize
from reference.tensor.grids import (
    bartlett,
    complex,
    complex_from_polar,
    concat_with_broadcast,
    extract_diag,
    interpolate1d,
    is_flat,
    mgrid,
    nonzero_values,
    ogrid,
    slice_at_axis,
)
from reference.tensor.math import (
    abs,
    absolute,
    add,
    allclose,
    and_,
    angle,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    betainc,
    betaincinv,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    cast,
    ceil,
    chi2sf,
    clip,
    conj,
    conjugate,
    cos,
    cosh,
    deg2rad,
    digamma,
    divide,
    eq,
    equal,
    erf,
    erfc,
    erfcinv,
    erfcx,
    erfinv,
    exp,
    exp2,
    expit,
    expm1,
    floor,
    floor_div,
    gamma,
    gammainc,
    gammaincc,
    gammainccinv,
    gammaincinv,
    gammal,
    gammaln,
    gammau,
    ge,
    greater,
    greater_equal,
    gt,
    hyp2f1,
    i0,
    i1,
    identity,
    imag,
    int_div,
    invert,
    iround,
    isclose,
    isfinite,
    isinf,
    isnan,
    iv,
    ive,
    j0,
    j1,
    jv,
    kn,
    kv,
    kve,
    le,
    less,
    less_equal,
    log,
    log1mexp,
    log1p,
    log1pexp,
    log2,
    log10,
    logaddexp,
    logsumexp,
    lt,
    maximum,
    minimum,
    mod,
    mul,
    multiply,
    ndtri_exp,
    neg,
    negative,
    neq,
    not_equal,
    or_,
    owens_t,
    polygamma,
    pow,
    power,
    psi,
    rad2deg,
    real,
    reciprocal,
    round,
    round_half_away_from_zero,
    round_half_to_even,
    sgn,
    sigmoid,
    sign,
    sin,
    sinh,
    softplus,
    sqr,
    sqrt,
    square,
    sub,
    subtract,
    switch,
    tan,
    tanh,
    tri_gamma,
    true_div,
    trunc,
    where,
    xor,
)
from reference.tensor.reduction import (
    all,
    any,
    argmax,
    argmin,
    max,
    max_and_argmax,
    mean,
    min,
    prod,
    std,
    sum,
    var,
)
from reference.tensor.reshaping import join_dims, pack, split_dims, unpack
from reference.tensor.shape import (
    dimshuffle,
    expand_dims,
    flatten,
    reshape,
    shape,
    shape_padaxis,
    shape_padleft,
    shape_padright,
    specify_broadcastable,
    specify_shape,
    squeeze,
    transpose,
)
from reference.tensor.subtensor import inc_subtensor, set_subtensor
from reference.tensor.variable import TensorConstant, TensorVariable, as_tensor_variable, constant

as_tensor = as_tensor_variable
true_divide = true_div


def ndim(x):  # noqa: ANN001, ANN201
    """The number of axes of ``x`` (a Python int)."""
    return as_tensor_variable(x).ndim


def size(x):  # noqa: ANN001, ANN201
    """The number of elements of ``x`` (symbolic)."""
    return as_tensor_variable(x).size


def grad(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201
    """``pytensor.tensor.grad``: the same function as :func:`reference.grad`."""
    from reference.grad import grad as grad_

    return grad_(*args, **kwargs)


def jacobian(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201
    """``pytensor.tensor.jacobian``: the same function as :func:`reference.gradient.jacobian`."""
    from reference.jacobian import jacobian as jacobian_

    return jacobian_(*args, **kwargs)


def hessian(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201
    """``pytensor.tensor.hessian``: the same function as :func:`reference.gradient.hessian`."""
    from reference.jacobian import hessian as hessian_

    return hessian_(*args, **kwargs)


def __getattr__(name: str):  # noqa: ANN202
    if name in ("random", "signal"):
        import importlib

        return importlib.import_module(f"reference.tensor.{name}")
    raise AttributeError(f"module 'reference.tensor' has no attribute {name!r}")


# PyTensor's module paths (GRAPH-NAMES-1), loaded with the package as PyTensor's are, so
# that importing one later cannot rebind a function of the same name (pt.sort) to it
import reference.tensor.sort  # noqa: E402 - binds pt.sort to the module: rebound below
from reference.tensor import (  # noqa: E402, F401
    nlinalg,
    optimize,
    random,  # noqa: E402, F401 - gives generator variables their methods (RAND-VAR-1)
    sharedvar,
    slinalg,
    type,  # noqa: E402, F401, A004 - PyTensor's pt.type module
)
from reference.tensor.extra_ops import sort  # noqa: E402, F811 - pt.sort is the function
