"""The functional random-variable API: ``pt.random.normal(loc, scale, size=None, rng=None)``.
Spec: spec/2-ops.rst (RAND-FUNC-*).

Every function draws from the generator variable ``rng`` (a shared or symbolic numpy
``Generator``) and returns the draw, a variable whose node's outputs are
``[next_rng, draw]``.  Nothing updates ``rng`` unless the caller says so
(``function(..., updates={rng: next_rng})``), so without an update every call repeats the
same numbers (RAND-STREAM-3).

The functions are made from the one table of distributions,
:data:`reference.tensor.random._numpy_draws.DISTRIBUTIONS`: each has that row's
parameter names and defaults, then ``size``, then the keyword-only ``rng``, ``dtype``,
``name`` and ``return_next_rng``.  ``gamma``, ``chisquare``, ``standard_normal``,
``choice`` and ``permutation`` have front ends of their own, as in PyTensor.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Variable
from reference.graph.shared import RandomGeneratorType, shared
from reference.tensor.random import _numpy_draws as draws
from reference.tensor.random.op import make_random_variable
from reference.tensor.random.variable import mark_drawn_from, shared_rng

__all__ = ["FUNCTIONAL", "RandomVariableFunction", "chisquare", "choice", "gamma", "permutation", "shared_rng",
           "standard_normal"]


def check_rng(rng: Any, where: str) -> Variable:
    """``rng`` as the generator variable to draw from: ``None`` is a fresh shared generator
    with fresh entropy and no update, as PyTensor makes one per call (RAND-FUNC-1)."""
    if rng is None:
        return shared(np.random.default_rng(), borrow=True)  # RAND-FUNC-1
    if isinstance(rng, Variable) and isinstance(rng.type, RandomGeneratorType):
        return rng
    hint = (" (wrap it: pytensor.shared(generator))" if isinstance(rng, np.random.Generator) else "")
    raise SpecTypeError("RAND-FUNC-1", f"{where}: rng must be a random generator variable, got {rng!r}{hint}")


def draw(name: str, params: tuple, *, size: Any = None, rng: Any = None, dtype: Any = None,
         var_name: str | None = None, return_next_rng: bool = False, options: tuple = (),
         inplace: bool = False) -> Any:
    """Build one random-variable node from ``rng``; return the draw, or ``(next_rng, draw)``
    with ``return_next_rng=True`` (RAND-FUNC-1).  ``inplace`` is the op's flag (RAND-VAR-4)."""
    generator = check_rng(rng, f"{name}(rng)")
    next_rng, value = make_random_variable(name, generator, params, size, dtype, options, inplace=inplace)
    mark_drawn_from(generator)  # RAND-VAR-2
    if var_name is not None:
        value.name = var_name
    return (next_rng, value) if return_next_rng else value


def _signature(name: str, extra: tuple[str, ...] = ()) -> inspect.Signature:
    entry = draws.DISTRIBUTIONS[name]
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        inspect.Parameter(p, kind, **({} if d is draws.REQUIRED else {"default": d}))
        for p, d in zip(entry.param_names, entry.param_defaults, strict=True)
    ]
    parameters.append(inspect.Parameter("size", kind, default=None))
    parameters += [inspect.Parameter(e, kind, default=None) for e in extra]
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters += [inspect.Parameter(k, keyword, default=v) for k, v in
                   (("rng", None), ("dtype", None), ("name", None), ("return_next_rng", False))]
    return inspect.Signature(parameters)


class RandomVariableFunction:
    """The front end of one distribution of the table: ``pt.random.<name>`` is an instance
    of a subclass of this class, one per distribution, as PyTensor's are instances of
    their ops' classes (RAND-FUNC-1).

    ``inplace`` is the flag given to the ops it builds (RAND-VAR-4): ``False`` here, and in
    every op the API builds; a subclass may set it ``True`` (the prng tutorial's
    ``InplaceUniform``).
    """

    #: the row of ``_numpy_draws.DISTRIBUTIONS``
    dist_name: str = ""
    #: RAND-VAR-4: whether the ops built draw from the input generator itself
    inplace: bool = False

    def __init__(self) -> None:
        entry = draws.DISTRIBUTIONS[self.dist_name]
        self.__name__ = self.__qualname__ = self.dist_name
        self.__signature__ = _signature(self.dist_name, entry.options)

    def __repr__(self) -> str:
        return f"pt.random.{self.dist_name}"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = self.dist_name
        entry = draws.DISTRIBUTIONS[name]
        try:
            bound = self.__signature__.bind(*args, **kwargs)
        except TypeError as error:
            raise SpecTypeError("RAND-FUNC-1", f"{name}: {error}") from None
        bound.apply_defaults()
        a = bound.arguments
        params = tuple(a[p] for p in entry.param_names)
        if name == "integers" and params[1] is None:
            params = (0, params[0])  # integers(high): low is 0
        options = tuple((o, a[o]) for o in entry.options if a[o] is not None)
        return draw(name, params, size=a["size"], rng=a["rng"], dtype=a["dtype"], var_name=a["name"],
                    return_next_rng=a["return_next_rng"], options=options, inplace=bool(self.inplace))


#: RAND-FUNC-7: PyTensor's class name for each row whose name is not the row's name in
#: CamelCase followed by ``RV``
CLASS_NAMES: dict[str, str] = {
    "betabinom": "BetaBinomialRV", "gengamma": "GenGammaRV", "halfcauchy": "HalfCauchyRV",
    "halfnormal": "HalfNormalRV", "hypergeometric": "HyperGeometricRV", "invgamma": "InvGammaRV",
    "lognormal": "LogNormalRV", "multivariate_normal": "MvNormalRV", "negative_binomial": "NegBinomialRV",
    "t": "StudentTRV", "truncexpon": "TruncExponentialRV", "vonmises": "VonMisesRV",
}


def class_name(name: str) -> str:
    """The name of the class of ``pt.random.<name>``: PyTensor's (RAND-FUNC-7)."""
    return CLASS_NAMES.get(name) or "".join(part.capitalize() for part in name.split("_")) + "RV"


def _from_table(name: str) -> RandomVariableFunction:
    """The function ``pt.random.<name>``, with the table row's parameters (RAND-FUNC-1): an
    instance of its own subclass of :class:`RandomVariableFunction`, named as PyTensor's
    class (RAND-FUNC-7)."""
    entry = draws.DISTRIBUTIONS[name]
    class_name_ = class_name(name)
    doc = (f"Draw from ``{name}``: numpy's ``Generator.{entry.calls}`` "
           f"(default dtype {entry.default_dtype}; RAND-FUNC-2).")
    cls = type(class_name_, (RandomVariableFunction,), {"dist_name": name, "__doc__": doc, "__module__": __name__})
    return cls()


def gamma(shape: Any, rate: Any = None, scale: Any = None, size: Any = None, **kwargs: Any) -> Any:
    """``rng.gamma(shape, scale, size)``.  Give ``scale``; ``rate`` (deprecated, a
    FutureWarning) means ``scale = 1 / rate``; both or neither is an error (RAND-FUNC-2)."""
    if rate is not None and scale is not None:
        raise SpecValueError("RAND-FUNC-2", "gamma: give scale or rate, not both")
    if rate is None and scale is None:
        raise SpecValueError("RAND-FUNC-2", "gamma: give scale (or the deprecated rate)")
    if rate is not None:
        warnings.warn("gamma: rate is deprecated; use scale", FutureWarning, stacklevel=2)
        scale = 1.0 / rate
    return _FROM_TABLE["gamma"](shape, scale, size, **kwargs)


def chisquare(df: Any, size: Any = None, **kwargs: Any) -> Any:
    """``gamma(df / 2.0, scale=2.0)``: chi-square with ``df`` degrees of freedom (RAND-FUNC-2)."""
    return gamma(df / 2.0, scale=2.0, size=size, **kwargs)


def standard_normal(*, size: Any = None, **kwargs: Any) -> Any:
    """``normal(0.0, 1.0)`` (RAND-FUNC-2)."""
    return _FROM_TABLE["normal"](0.0, 1.0, size, **kwargs)


def choice(a: Any, size: Any = None, replace: bool = True, p: Any = None, *, rng: Any = None,
           return_next_rng: bool = False) -> Any:
    """Draw from ``range(a)`` (scalar ``a``) or the rows of ``a`` (RAND-DRAW-3)."""
    params = (a,) if p is None else (a, p)
    return draw("choice", params, size=size, rng=rng, return_next_rng=return_next_rng,
                options=(("replace", bool(replace)),))


def permutation(x: Any, size: Any = None, *, rng: Any = None, return_next_rng: bool = False) -> Any:
    """A permutation of ``range(x)`` (scalar ``x``) or of ``x`` along its first axis (RAND-FUNC-4)."""
    return draw("permutation", (x,), size=size, rng=rng, return_next_rng=return_next_rng)


_SPECIAL = {"gamma": gamma, "choice": choice, "permutation": permutation}
_FROM_TABLE = {name: _from_table(name) for name in draws.DISTRIBUTIONS if name not in ("choice", "permutation")}

#: Every function of the API by name: the table's rows, their front ends, the two
#: derived distributions, and ``nbinom``, PyTensor's other name of ``negative_binomial``
#: (the same object; RAND-FUNC-6).
FUNCTIONAL: dict[str, Callable[..., Any]] = {
    **_FROM_TABLE, **_SPECIAL, "chisquare": chisquare, "standard_normal": standard_normal,
    "nbinom": _FROM_TABLE["negative_binomial"],
}
globals().update({name: f for name, f in FUNCTIONAL.items() if name not in globals()})
__all__ += sorted(n for n in FUNCTIONAL if n not in __all__)

# RAND-FUNC-7: the classes, by PyTensor's names (``from pytensor.tensor.random.basic import
# NormalRV``); ``PermutationRV`` is the class of ops behind the function ``permutation``.
# As in PyTensor they are not in ``__all__``, so ``pt.random`` does not list them.
RV_CLASSES: dict[str, type] = {class_name(name): type(f) for name, f in _FROM_TABLE.items()}
RV_CLASSES["PermutationRV"] = type(_from_table("permutation"))
globals().update(RV_CLASSES)
