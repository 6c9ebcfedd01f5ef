"""Reverse-mode differentiation.  Spec: spec/4-gradients.rst (GRAD-*).

Gradients are graphs: ``grad`` walks the graph of the cost backwards, asking each node's
op for its pullback (the vector-Jacobian product, defined next to the op), and sums the
contributions each variable receives.  Because the result is a graph, ``grad`` of a
gradient works.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reference.errors import (
    DisconnectedInputError,
    NullTypeGradError,
    SpecTypeError,
    SpecValueError,
)
from reference.graph.basic import Apply, Op, Variable
from reference.graph.traversal import toposort
from reference.graph.type import DISCRETE_DTYPES
from reference.tensor.variable import TensorVariable, as_tensor_variable


def _total(contributions: list[Variable]) -> Variable:
    from reference.tensor.math import add

    total = contributions[0]
    for term in contributions[1:]:
        total = add(total, term)
    return total


def backprop(outputs: Sequence[Variable], output_grads: Sequence[Variable | None],
             wrt: Sequence[Variable], consider_constant: Sequence[Variable] = ()) -> list[Variable | None]:
    """The gradients of ``sum(output_grads[i] · outputs[i])`` with respect to ``wrt``
    (GRAD-CHAIN-1).  ``None`` means "does not depend" (disconnected).

    Nodes are visited in reverse topological order; a variable's cotangent is the sum of
    what its readers' pullbacks give it (GRAD-CHAIN-2).  Variables in
    ``consider_constant`` pass no gradient to their inputs (GRAD-CONST-1).
    """
    wrt_ids = {id(v) for v in wrt}
    constant_ids = {id(v) for v in consider_constant}
    order = toposort(outputs)
    depends: set[int] = set(wrt_ids)
    for node in order:  # which variables depend on wrt (others need no cotangent)
        if any(id(v) in depends for v in node.inputs):
            # a constant does not depend on its inputs, but is itself reached (GRAD-CONST-1)
            depends.update(id(v) for v in node.outputs if id(v) not in constant_ids)
    pending: dict[int, list[Variable]] = {}
    for output, g in zip(outputs, output_grads, strict=True):
        if g is not None:
            pending.setdefault(id(output), []).append(g)
    for node in reversed(order):
        if not any(id(v) in depends for v in node.outputs):
            continue
        if any(id(v) in constant_ids for v in node.outputs):
            continue
        cotangents = [_total(pending[id(v)]) if id(v) in pending else None for v in node.outputs]
        if all(g is None for g in cotangents):
            continue
        input_grads = node.op.pullback(node, cotangents)
        for variable, g in zip(node.inputs, input_grads, strict=True):
            if g is None or getattr(getattr(g, "type", None), "disconnected_placeholder", False):
                continue  # GRAD-DISC-1: a DisconnectedType placeholder is no cotangent
            if id(variable) not in depends or variable.type.dtype in DISCRETE_DTYPES:
                continue
            pending.setdefault(id(variable), []).append(g)
    return [_total(pending[id(v)]) if id(v) in pending else None for v in wrt]


def grad(cost: Any, wrt: Any, consider_constant: Sequence[Variable] | None = None,
         disconnected_inputs: str = "raise", add_names: bool = True,
         known_grads: Mapping[Variable, Any] | None = None, return_disconnected: str = "zero",
         null_gradients: str = "raise") -> Any:
    """The gradient of the scalar ``cost`` with respect to ``wrt`` (a variable or a list)
    (GRAD-API-1 .. GRAD-API-4).

    ``known_grads`` seeds cotangents of intermediate variables (then ``cost`` may be None);
    ``disconnected_inputs`` ('raise', 'warn', 'ignore') says what to do when the cost does
    not depend on a ``wrt`` variable; ``return_disconnected`` ('zero', 'none') what to
    return for it.  Integer and boolean ``wrt`` get a zero gradient of float dtype.
    """
    from reference.tensor.basic import second
    from reference.tensor.variable import constant

    single = not isinstance(wrt, list | tuple)
    wrt_list = [wrt] if single else list(wrt)
    for i, variable in enumerate(wrt_list):
        if not isinstance(variable, Variable):
            raise SpecTypeError("GRAD-API-1", f"wrt[{i}] must be a variable, got {variable!r}")
    outputs: list[Variable] = []
    seeds: list[Variable | None] = []
    if cost is not None:
        cost = as_tensor_variable(cost)
        if cost.ndim != 0:
            raise SpecTypeError("GRAD-API-1", f"cost must be a scalar, got {cost.type}; reduce it first (e.g. cost.sum())")
        if cost.dtype in DISCRETE_DTYPES:
            raise SpecTypeError("GRAD-API-1", f"cost must have a float dtype, got {cost.dtype}")
        outputs.append(cost)
        given = [g for v, g in (known_grads or {}).items() if v is cost]
        # GRAD-API-1 step 4: 1 filled against the cost, so every gradient reads the cost's
        # graph (and its inputs) as in PyTensor: grad(2 * x, x) is a function of x
        seeds.append(as_tensor_variable(given[0]) if given  # GRAD-API-2: a known cotangent of the cost
                     else second(cost, constant(1, dtype=cost.dtype)))
    elif not known_grads:
        raise SpecValueError("GRAD-API-1", "grad needs a cost or known_grads")
    for variable, g in (known_grads or {}).items():
        if variable is cost:
            continue
        outputs.append(variable)
        seeds.append(as_tensor_variable(g))
    if disconnected_inputs not in ("raise", "warn", "ignore"):
        raise SpecValueError("GRAD-API-3", f"disconnected_inputs must be 'raise', 'warn' or 'ignore', got {disconnected_inputs!r}")
    return_disconnected = str(return_disconnected).lower()  # PyTensor writes 'None', 'Disconnected'
    if return_disconnected not in ("zero", "none", "disconnected"):
        raise SpecValueError("GRAD-API-3", f"return_disconnected must be 'zero', 'none' or 'disconnected', got {return_disconnected!r}")
    if null_gradients not in ("raise", "return"):
        raise SpecValueError("GRAD-UNDEF-1", f"null_gradients must be 'raise' or 'return', got {null_gradients!r}")
    grads = backprop(outputs, seeds, wrt_list, consider_constant or ())
    searched: set[int] = set()  # nodes known to hold no undefined derivative (GRAD-UNDEF-1)
    results: list[Any] = []
    for i, (variable, g) in enumerate(zip(wrt_list, grads, strict=True)):
        g = _wrt_result(
            variable, g, "GRAD-API-3",
            f"the cost does not depend on wrt[{i}] ({variable}); pass disconnected_inputs='ignore' to get "
            f"{'zeros' if return_disconnected == 'zero' else 'None'}",
            f"the gradient with respect to wrt[{i}] ({variable})", disconnected_inputs, return_disconnected,
            searched if null_gradients == "raise" else None, stacklevel=3)
        if g is None or variable.type.dtype in DISCRETE_DTYPES:
            results.append(g)
            continue
        if add_names and isinstance(g, TensorVariable) and g.name is None and variable.name and cost is not None and cost.name:
            g.name = f"(d{cost.name}/d{variable.name})"  # only when both are named, as PyTensor
        results.append(g)
    if single:
        return results[0]
    return tuple(results) if isinstance(wrt, tuple) else results


def grad_undefined(op: Any, x_pos: int, x: Variable, comment: str = "") -> Variable:
    """For an op's gradient method: the cotangent of input ``x_pos`` (``x``), whose
    derivative is not defined (GRAD-UNDEF-1, PyTensor's helper of this name)."""
    return _undefined(op, x_pos, x, "is not defined", comment)


def grad_not_implemented(op: Any, x_pos: int, x: Variable, comment: str = "") -> Variable:
    """For an op's gradient method: the cotangent of input ``x_pos`` (``x``), whose
    derivative the op does not implement (GRAD-UNDEF-1, PyTensor's helper of this name)."""
    return _undefined(op, x_pos, x, "is not implemented", comment)


def _undefined(op: Any, x_pos: int, x: Variable, why: str, comment: str) -> Variable:
    from reference.config import config
    from reference.tensor.basic import zeros_like
    from reference.tensor.math import undefined_cotangent

    x = as_tensor_variable(x)
    shaped = zeros_like(x) if x.dtype not in DISCRETE_DTYPES else zeros_like(x, dtype=config.floatX)
    message = f"{op}: the gradient with respect to input {x_pos} {why}" + (f" ({comment})" if comment else "")
    return undefined_cotangent("GRAD-UNDEF-1", message, shaped)


def undefined_derivative(variable: Variable, clean: set[int] | None = None) -> str | None:
    """The message of the first node that stands for an undefined derivative (GRAD-UNDEF-1)
    among ``variable``'s ancestors, looking into the inner graphs of loops and
    ``OpFromGraph`` nodes too; ``None`` if there is none.  ``clean`` holds nodes a search
    that found none already visited; this search adds its nodes to it, so the gradients of
    several ``wrt`` variables sharing a graph are searched once in all."""
    from reference.tensor.elemwise import Elemwise
    from reference.tensor.math import GradNotImplemented

    seen: set[int] = set() if clean is None else clean
    pending = [variable]
    while pending:
        v = pending.pop()
        node = v.owner
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        op = node.op
        if isinstance(op, Elemwise) and isinstance(op.scalar_op, GradNotImplemented):
            return op.scalar_op.message
        pending.extend(node.inputs)
        for holder in (getattr(op, "spec", None), op):  # a loop's spec; an OpFromGraph
            inner = getattr(holder, "inner_outputs", None)
            pending.extend((inner() if callable(inner) else inner) or ())
    return None


# -- pullback and pushforward (Lop and Rop) ----------------------------------------------


def _variables(value: Any, argument: str, rule: str, convert: bool = True) -> list[Variable]:
    """``value`` (one variable or a list or tuple) as a list; with ``convert`` anything
    ``as_tensor_variable`` accepts, else variables only; a TypeError names ``argument[i]``."""
    items = list(value) if isinstance(value, list | tuple) else [value]
    result = []
    for i, item in enumerate(items):
        where = f"{argument}[{i}]" if isinstance(value, list | tuple) else argument
        if isinstance(item, Variable):
            result.append(item)
            continue
        if convert:
            try:
                result.append(as_tensor_variable(item))
                continue
            except (TypeError, ValueError) as error:
                raise SpecTypeError(rule, f"{where} must be a variable, got {item!r}") from error
        raise SpecTypeError(rule, f"{where} must be a variable, got {item!r}")
    return result


def _shaped_like(given: Any, results: list[Any]) -> Any:
    """One result for one variable, a list for a list, a tuple for a tuple."""
    if isinstance(given, tuple):
        return tuple(results)
    if isinstance(given, list):
        return results
    return results[0]


def _check_vectors(variables: list[Variable], vectors: list[Variable], names: tuple[str, str],
                   function: str, rule: str) -> None:
    """``vectors[i]`` pairs with ``variables[i]``: as many, float, of the same ndim."""
    if len(variables) != len(vectors):
        raise SpecValueError(rule, f"{function}: {names[0]} has {len(variables)} entries and "
                             f"{names[1]} has {len(vectors)}; they must have as many")
    for i, (variable, vector) in enumerate(zip(variables, vectors, strict=True)):
        if vector.type.dtype in DISCRETE_DTYPES:
            raise SpecTypeError(rule, f"{function}: {names[1]}[{i}] must have a float dtype, got {vector.type}")
        if vector.type.ndim != variable.type.ndim:
            raise SpecValueError(rule, f"{function}: {names[1]}[{i}] ({vector.type}) must have the ndim of "
                                 f"{names[0]}[{i}] ({variable.type})")


def pullback(f: Any, wrt: Any, cotangents: Any, consider_constant: Sequence[Variable] | None = None,
             disconnected_inputs: str = "raise", return_disconnected: str = "zero") -> Any:
    """The vector-Jacobian product ``sum_i cotangents[i] · d f[i] / d wrt[j]`` for each
    ``wrt[j]`` (GRAD-LOP-1): PyTensor's ``pytensor.gradient.pullback``.

    ``f`` and ``cotangents`` are one variable each or lists of the same length; the result
    is shaped like ``wrt`` (one variable, a list or a tuple).  ``consider_constant``,
    ``disconnected_inputs`` and ``return_disconnected`` mean what they mean for ``grad``.
    """

    f_list = _variables(f, "f", "GRAD-LOP-1")
    cotangent_list = _variables(cotangents, "cotangents", "GRAD-LOP-1")
    wrt_list = _variables(wrt, "wrt", "GRAD-LOP-1", convert=False)
    _check_vectors(f_list, cotangent_list, ("f", "cotangents"), "pullback", "GRAD-LOP-1")
    if disconnected_inputs not in ("raise", "warn", "ignore"):
        raise SpecValueError("GRAD-LOP-1", f"disconnected_inputs must be 'raise', 'warn' or 'ignore', got {disconnected_inputs!r}")
    return_disconnected = str(return_disconnected).lower()
    if return_disconnected not in ("zero", "none", "disconnected"):
        raise SpecValueError("GRAD-LOP-1", f"return_disconnected must be 'zero', 'none' or 'disconnected', got {return_disconnected!r}")
    grads = backprop(f_list, cotangent_list, wrt_list, consider_constant or ())  # GRAD-LOP-1 step 3
    searched: set[int] = set()
    results: list[Any] = []
    for i, (variable, g) in enumerate(zip(wrt_list, grads, strict=True)):
        where = f"wrt[{i}]" if isinstance(wrt, list | tuple) else "wrt"  # GRAD-LOP-1 step 4, as GRAD-API-3
        results.append(_wrt_result(
            variable, g, "GRAD-LOP-1",
            f"pullback: f does not depend on {where} ({variable}); pass disconnected_inputs='ignore' to get "
            f"{'zeros' if return_disconnected == 'zero' else 'None'}",
            f"pullback: the cotangent of wrt[{i}] ({variable})", disconnected_inputs, return_disconnected,
            searched, stacklevel=4))
    return _shaped_like(wrt, results)


def _wrt_result(variable: Variable, g: Variable | None, rule: str, disconnected: str, what: str,
                disconnected_inputs: str, return_disconnected: str, searched: set[int] | None,
                stacklevel: int) -> Any:
    """What ``grad`` and ``pullback`` return for one ``wrt`` variable whose summed
    cotangent is ``g``: zeros of floatX for a discrete one (GRAD-API-4); for a disconnected
    one, the ``disconnected`` message raised, warned or dropped, then zeros or ``None``
    (GRAD-API-3); ``NullTypeGradError`` when ``g`` needs an undefined derivative and
    ``searched`` is given (GRAD-UNDEF-1); else ``g``."""
    from reference.config import config
    from reference.tensor.basic import zeros_like

    if variable.type.dtype in DISCRETE_DTYPES:
        return zeros_like(variable, dtype=config.floatX)
    if g is None:
        if disconnected_inputs == "raise":
            raise DisconnectedInputError(rule, disconnected)
        if disconnected_inputs == "warn":
            import warnings

            warnings.warn(disconnected, stacklevel=stacklevel)
        return zeros_like(variable) if return_disconnected == "zero" else None
    undefined = undefined_derivative(g, searched) if searched is not None else None
    if undefined is not None:
        raise NullTypeGradError("GRAD-UNDEF-1", f"{what} needs a derivative that is not defined: {undefined}")
    return g


def pushforward(f: Any, wrt: Any, tangents: Any, disconnected_outputs: str = "raise",
                return_disconnected: str = "zero", use_op_pushforward: bool = False) -> Any:
    """The Jacobian-vector product ``sum_j d f[i] / d wrt[j] · tangents[j]`` for each
    ``f[i]`` (GRAD-ROP-1): PyTensor's ``pytensor.gradient.pushforward``.

    Computed as PyTensor does by default, with two pullbacks and no forward-mode rule per
    op: ``g = pullback(f, wrt, u)`` at placeholder cotangents ``u = zeros_like(f)`` is
    linear in ``u``, so ``pullback(g, u, tangents)`` is the product asked for.  The result
    is shaped like ``f``.
    """
    return _pushforward(f, wrt, tangents, disconnected_outputs, return_disconnected,
                        use_op_pushforward, "use_op_pushforward", "pushforward")


def _pushforward(f: Any, wrt: Any, tangents: Any, disconnected_outputs: str, return_disconnected: str,
                 use_op: bool, use_op_name: str, function: str) -> Any:
    from reference.config import config
    from reference.tensor.basic import zeros_like

    # GRAD-ROP-2: use_op (PyTensor's per-op forward-mode rules) gives the same product; no op
    # of reference has such a rule, so it is computed with two pullbacks either way
    del use_op, use_op_name
    f_list = _variables(f, "f", "GRAD-ROP-1")
    wrt_list = _variables(wrt, "wrt", "GRAD-ROP-1", convert=False)
    tangent_list = _variables(tangents, "tangents" if function == "pushforward" else "eval_points", "GRAD-ROP-1")
    names = ("wrt", "tangents" if function == "pushforward" else "eval_points")
    _check_vectors(wrt_list, tangent_list, names, function, "GRAD-ROP-1")
    if disconnected_outputs not in ("raise", "warn", "ignore"):
        raise SpecValueError("GRAD-ROP-1", f"disconnected_outputs must be 'raise', 'warn' or 'ignore', got {disconnected_outputs!r}")
    return_disconnected = str(return_disconnected).lower()
    if return_disconnected not in ("zero", "none", "disconnected"):
        raise SpecValueError("GRAD-ROP-1", f"return_disconnected must be 'zero', 'none' or 'disconnected', got {return_disconnected!r}")
    # GRAD-ROP-1 step 3: placeholder cotangents, computed from f so that no new root appears
    placeholders = [zeros_like(output, dtype=config.floatX) for output in f_list]
    try:
        wrt_cotangents = pullback(f_list, wrt_list, placeholders, disconnected_inputs=disconnected_outputs)
    except DisconnectedInputError as error:
        message = error.message.replace("pullback:", f"{function}:", 1).replace("disconnected_inputs=", "disconnected_outputs=")
        raise DisconnectedInputError("GRAD-ROP-1", message) from None
    # GRAD-ROP-1 step 4: the product is linear in the placeholders; pull the tangents back
    results = pullback(wrt_cotangents, placeholders, tangent_list, disconnected_inputs="ignore",
                       return_disconnected=return_disconnected)
    return _shaped_like(f, results)


def Lop(f: Any, wrt: Any, eval_points: Any, consider_constant: Sequence[Variable] | None = None,  # noqa: N802
        disconnected_inputs: str = "raise", return_disconnected: str = "zero") -> Any:
    """PyTensor's deprecated name of :func:`pullback`, with ``eval_points`` for
    ``cotangents``; warns ``FutureWarning`` as PyTensor 3.3.7 does (GRAD-LOP-2)."""
    import warnings

    warnings.warn("Lop is deprecated, use pullback instead.", FutureWarning, stacklevel=2)
    f_list = _variables(f, "f", "GRAD-LOP-2")
    points = _variables(eval_points, "eval_points", "GRAD-LOP-2")
    _check_vectors(f_list, points, ("f", "eval_points"), "Lop", "GRAD-LOP-2")
    return pullback(f, wrt, eval_points, consider_constant=consider_constant,
                    disconnected_inputs=disconnected_inputs, return_disconnected=return_disconnected)


def Rop(f: Any, wrt: Any, eval_points: Any, disconnected_outputs: str = "raise",  # noqa: N802
        return_disconnected: str = "zero", use_op_rop_implementation: bool = False) -> Any:
    """PyTensor's deprecated name of :func:`pushforward`, with ``eval_points`` for
    ``tangents``; warns ``FutureWarning`` as PyTensor 3.3.7 does (GRAD-ROP-2)."""
    import warnings

    warnings.warn("Rop is deprecated, use pushforward instead.", FutureWarning, stacklevel=2)
    return _pushforward(f, wrt, eval_points, disconnected_outputs, return_disconnected,
                        use_op_rop_implementation, "use_op_rop_implementation", "Rop")


class GradientOverride(Op):
    """The identity, with a pullback of its own (GRAD-CONST-2): ``kind`` is ``"zero"``
    (zeros), ``"disconnected"`` (nothing: the input is disconnected through this path),
    ``"clip"`` (the cotangent clipped to ``[a, b]``, the node's other inputs) or ``"scale"``
    (the cotangent times the node's other input)."""

    __props__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __str__(self) -> str:
        return {"zero": "ZeroGrad", "disconnected": "DisconnectedGrad", "clip": "GradClip",
                "scale": "GradScale"}[self.kind]

    def make_node(self, x: Any, *parameters: Any) -> Apply:
        x = as_tensor_variable(x)
        return Apply(self, [x, *(as_tensor_variable(p) for p in parameters)], [x.type])

    def perform(self, node: Apply, x: Any, *parameters: Any) -> Any:
        return x.copy()

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        from reference.tensor.basic import zeros_like
        from reference.tensor.math import clip, mul

        g, x, parameters = output_grads[0], node.inputs[0], node.inputs[1:]
        rest: list[Any] = [None] * len(parameters)
        if self.kind == "zero":
            return [zeros_like(x), *rest]
        if self.kind == "disconnected":
            return [None, *rest]
        if self.kind == "clip":
            return [clip(g, parameters[0], parameters[1]), *rest]
        return [mul(g, parameters[0]), *rest]


def zero_grad(x: Any) -> Variable:
    """``x``, through which every gradient is zero (GRAD-CONST-2)."""
    return GradientOverride("zero")(x)


def disconnected_grad(x: Any) -> Variable:
    """``x``, through which no gradient flows: a path through it is disconnected (GRAD-CONST-2)."""
    return GradientOverride("disconnected")(x)


def grad_clip(x: Any, lower_bound: Any, upper_bound: Any) -> Variable:
    """``x``, whose gradient is clipped to ``[lower_bound, upper_bound]`` (GRAD-CONST-2)."""
    return GradientOverride("clip")(x, lower_bound, upper_bound)


def grad_scale(x: Any, multiplier: Any) -> Variable:
    """``x``, whose gradient is multiplied by ``multiplier`` (GRAD-CONST-2)."""
    return GradientOverride("scale")(x, multiplier)
