"""Jacobians and Hessians, built from :func:`reference.grad` and :func:`reference.scan`.
Spec: spec/4-gradients.rst, "Jacobians and Hessians" (GRAD-JAC-*).

As in PyTensor, a Jacobian is a loop over the entries of the flattened expression whose
step is the gradient of one entry; the expression and ``wrt`` are the loop's
non-sequences (``fn`` differentiates through them: SCAN-ARGS-4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Variable
from reference.graph.type import DISCRETE_DTYPES


def _wrt_list(wrt: Any, function: str) -> list[Variable]:
    variables = list(wrt) if isinstance(wrt, list | tuple) else [wrt]
    for i, variable in enumerate(variables):
        if not isinstance(variable, Variable):
            raise SpecTypeError("GRAD-JAC-1", f"{function}: wrt[{i}] must be a variable, got {variable!r}")
    return variables


def _lengths(x: Any) -> list[Any]:
    """The lengths of ``x``: the static length where known, else ``x.shape[i]``."""
    return [n if n is not None else x.shape[i] for i, n in enumerate(x.type.shape)]


def _as_given(wrt: Any, results: list[Any]) -> Any:
    """One result for one variable, a list for a list, a tuple for a tuple (GRAD-API-1 step 6)."""
    if isinstance(wrt, tuple):
        return tuple(results)
    if isinstance(wrt, list):
        return results
    return results[0]


def jacobian(expression: Any, wrt: Any, consider_constant: Sequence[Variable] | None = None,
             disconnected_inputs: str = "raise", vectorize: bool = False) -> Any:
    """The Jacobian of ``expression`` with respect to ``wrt`` (a variable, or a list or tuple
    of them): for each ``w``, a tensor of shape ``expression.shape + w.shape`` (GRAD-JAC-1).

    A loop (``scan``) over the entries of the flattened expression, each step the
    ``grad`` of one entry.  An expression whose static shape is all ones (a scalar) needs
    no loop: its Jacobian is its gradient.
    """
    import reference.tensor as pt
    from reference.grad import grad
    from reference.scan import scan

    if not isinstance(expression, Variable):
        raise SpecTypeError("GRAD-JAC-1", f"jacobian: expression must be a variable, got {expression!r}")
    # GRAD-JAC-1: vectorize=True gives the same values; reference always builds the loop
    if expression.type.dtype in DISCRETE_DTYPES:
        raise SpecTypeError(
            "GRAD-JAC-1", f"jacobian: expression must have a float dtype, got {expression.type.dtype}"
        )
    wrt_list = _wrt_list(wrt, "jacobian")
    kwargs = {"consider_constant": consider_constant, "disconnected_inputs": disconnected_inputs}
    if all(expression.type.broadcastable):  # GRAD-JAC-1 step 2: one entry, no loop
        rows = grad(pt.squeeze(expression) if expression.ndim else expression, wrt_list, **kwargs)
    else:  # GRAD-JAC-1 step 3: one gradient per entry of the flattened expression
        flat = pt.flatten(expression)

        def row(i: Variable, flat: Variable, *wrt_given: Variable) -> list[Variable]:
            return grad(flat[i], list(wrt_given), **kwargs)

        rows = scan(row, sequences=pt.arange(flat.shape[0]), non_sequences=[flat, *wrt_list],
                    return_updates=False, return_list=True, name="jacobian")
    results = []
    for jac, w in zip(rows, wrt_list, strict=True):
        if jac.ndim < expression.ndim + w.ndim:  # GRAD-JAC-1 step 4
            shape = _lengths(expression) + _lengths(w)
            jac = pt.reshape(jac, shape, ndim=len(shape))
        results.append(jac)
    return _as_given(wrt, results)


def hessian(cost: Any, wrt: Any, consider_constant: Sequence[Variable] | None = None,
            disconnected_inputs: str = "raise") -> Any:
    """The Hessian of the scalar ``cost`` with respect to each vector of ``wrt``: the
    Jacobian of its gradient, one ``(n, n)`` matrix per vector (GRAD-JAC-2)."""
    import reference.tensor as pt
    from reference.grad import grad
    from reference.scan import scan

    if not isinstance(cost, Variable):
        raise SpecTypeError("GRAD-JAC-2", f"hessian: cost must be a variable, got {cost!r}")
    if cost.ndim != 0:
        raise SpecValueError("GRAD-JAC-2", f"hessian: cost must be 0-d, got {cost.type}")
    wrt_list = _wrt_list(wrt, "hessian")
    results = []
    for i, w in enumerate(wrt_list):
        if w.ndim != 1:
            raise SpecValueError("GRAD-JAC-2", f"hessian: wrt[{i}] must be a vector (1-d), got {w.type}")
        g = grad(cost, w, consider_constant=consider_constant, disconnected_inputs=disconnected_inputs)

        def row(j: Variable, g: Variable, w: Variable) -> Variable:
            # GRAD-JAC-2: an entry of the gradient may not depend on w (no error)
            return grad(g[j], w, consider_constant=consider_constant, disconnected_inputs="ignore")

        results.append(scan(row, sequences=pt.arange(g.shape[0]), non_sequences=[g, w],
                            return_updates=False, name="hessian"))
    return _as_given(wrt, results)


def hessian_vector_product(cost: Any, wrt: Any, p: Any, **grad_kwargs: Any) -> Any:
    """The Hessian of ``cost`` times ``p``: the gradient of ``sum(grad(cost, w) * p)``, two
    reverse passes and no loop (GRAD-JAC-3).  ``wrt`` and ``p`` are a variable each or
    lists of the same length; ``grad_kwargs`` go to both calls of ``grad``."""
    import reference.tensor as pt
    from reference.grad import grad

    wrt_list = _wrt_list(wrt, "hessian_vector_product")
    p_list = list(p) if isinstance(p, list | tuple) else [p]
    if len(p_list) != len(wrt_list):
        raise SpecValueError(
            "GRAD-JAC-3", f"hessian_vector_product: {len(wrt_list)} wrt variable(s) but {len(p_list)} p vector(s)"
        )
    gradients = grad(cost, wrt_list, **grad_kwargs)
    product = pt.add(*[(g * v).sum() for g, v in zip(gradients, p_list, strict=True)])
    return _as_given(wrt, list(grad(product, wrt_list, **grad_kwargs)))
