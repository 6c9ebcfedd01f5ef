"""Optimisation and root finding on symbolic objectives: ``pytensor.tensor.optimize``.

Spec: spec/2-ops.rst, section "Optimisation and root finding" (OP-OPTIMIZE-1 ...
OP-OPTIMIZE-5), and spec/4-gradients.rst (GRAD-OPTIMIZE-1).

``minimize(objective, x)`` and its siblings make one node whose op holds the objective as
an inner graph over fresh variables standing for ``x`` and the objective's other inputs
(its *parameters*).  Evaluating the node calls the ``scipy.optimize`` function PyTensor
3.3.7 calls, with the same arguments, on Python functions that evaluate the inner graph
(and the derivative graphs built from it with ``reference.grad`` / ``reference.jacobian``)
with the reference evaluator.  The solution's pullback is the implicit function theorem,
written as a graph over the node's inputs and its solution.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Constant, Op, Variable
from reference.graph.traversal import (
    ancestors,
    clone_replace,
    graph_inputs,
    toposort,
    truncated_graph_inputs,
)
from reference.graph.type import TensorType
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = ["minimize", "minimize_scalar", "root", "root_scalar"]


# -- building the problem -----------------------------------------------------------------------
def _only_constants(variable: Variable) -> bool:
    if isinstance(variable, Constant):
        return True
    return variable.owner is not None and all(isinstance(v, Constant) for v in graph_inputs([variable]))


def _parameters(objective: Variable, x: Variable) -> list[Variable]:
    """OP-OPTIMIZE-1 step 2: the variables nearest the objective that do not depend on
    ``x`` and are not computed from constants alone, in ``truncated_graph_inputs`` order."""
    return [v for v in truncated_graph_inputs([objective], [x]) if v is not x and not _only_constants(v)]


def _as_objective(objective: Any, function: str, argument: str, scalar: bool) -> TensorVariable:
    try:
        objective = as_tensor_variable(objective)
    except (TypeError, ValueError) as error:
        raise SpecTypeError("OP-OPTIMIZE-1", f"{function}: {argument} must be a tensor variable, got "
                            f"{objective!r}") from error
    if scalar and objective.ndim != 0:
        raise SpecValueError("OP-OPTIMIZE-1", f"{function}: {argument} must be a scalar (0-d) tensor, got "
                             f"{objective.type}")
    return objective


def _check_variable(x: Any, function: str, argument: str, ndims: tuple[int, ...] | None) -> TensorVariable:
    if not isinstance(x, TensorVariable):
        raise SpecTypeError("OP-OPTIMIZE-1", f"{function}: {argument} must be a tensor variable, got {x!r}")
    if x.type.dtype not in ("float16", "float32", "float64"):
        raise SpecTypeError("OP-OPTIMIZE-1", f"{function}: {argument} must have a float dtype, got {x.type}")
    if ndims is not None and x.ndim not in ndims:
        wanted = " or ".join(f"{n}-d" for n in ndims)
        raise SpecValueError("OP-OPTIMIZE-1", f"{function}: {argument} must be a {wanted} tensor, got {x.type}")
    return x


def _check_reaches(objective: Variable, x: Variable, function: str, argument: str, what: str) -> None:
    if not any(v is x for v in ancestors([objective])):
        raise SpecValueError("OP-OPTIMIZE-1", f"{function}: {argument} ({x}) must be an input of the graph of "
                             f"{what}, which does not depend on it")


def _pack(objective: TensorVariable, x: Any, function: str, argument: str,
          ) -> tuple[TensorVariable, list[TensorVariable] | None, TensorVariable]:
    """OP-OPTIMIZE-1 step 1: several variables, or one with more than one axis, are packed
    into one vector (OP-PACK-1) that the objective reads through ``unpack``."""
    from reference.tensor.reshaping import pack, unpack

    variables = list(x) if isinstance(x, Sequence) else [x]
    if not variables:
        raise SpecValueError("OP-OPTIMIZE-1", f"{function}: {argument} must not be an empty sequence")
    for i, v in enumerate(variables):
        _check_variable(v, function, argument if len(variables) == 1 else f"{argument}[{i}]", None)
    if len(variables) == 1 and variables[0].ndim <= 1:
        return variables[0], None, objective
    for i, v in enumerate(variables):
        _check_reaches(objective, v, function, f"{argument}[{i}]", "the objective")
    packed, shapes = pack(*variables)
    pieces = unpack(packed, shapes)
    replace = {v: piece if piece.dtype == v.dtype else piece.astype(v.dtype)
               for v, piece in zip(variables, pieces, strict=True)}
    return packed, shapes, clone_replace(objective, replace)


def _bounds(x: TensorVariable, optimizer_kwargs: dict | None, function: str,
            **bounds: Any) -> tuple[tuple[str, ...], list[TensorVariable]]:
    """OP-OPTIMIZE-1 step 4: ``bracket``/``bounds`` given are vectors of ``x``'s dtype."""
    from reference.tensor.math import cast

    clash = sorted(set(bounds) & set(optimizer_kwargs or {}))
    if clash:
        raise SpecValueError("OP-OPTIMIZE-1", f"{function}: pass {clash[0]} as an argument, not in optimizer_kwargs")
    names, values = [], []
    for name, value in bounds.items():
        if value is None:
            continue
        try:
            v = as_tensor_variable(value, ndim=1)
        except (TypeError, ValueError) as error:
            raise SpecTypeError("OP-OPTIMIZE-1", f"{function}: {name} must be a sequence of numbers or a "
                                f"vector, got {value!r}") from error
        names.append(name)
        values.append(v if v.dtype == x.dtype else cast(v, x.dtype))
    return tuple(names), values


# -- the op -------------------------------------------------------------------------------------
class _Memo:
    """The inner graph's outputs at the last point asked for (scipy asks for the value, the
    gradient and the Hessian at one point in separate calls)."""

    def __init__(self, op: OptimizeOp, args: Sequence[Any], shape: tuple[int, ...], dtype: np.dtype) -> None:
        self.op, self.args, self.shape, self.dtype = op, list(args), shape, dtype
        self.last_x: np.ndarray | None = None
        self.last: list[Any] = []

    def __call__(self, x: Any, *_: Any) -> list[Any]:
        x = np.array(x, dtype=self.dtype, copy=True)  # scipy may change its array in place
        if self.last_x is None or self.last_x.shape != x.shape or not (self.last_x == x).all():
            self.last_x = x
            self.last = self.op.evaluate_inner(x.reshape(self.shape), self.args)
        return self.last

    def value(self, x: Any, *args: Any) -> Any:
        return self(x)[0]

    def value_and_grad(self, x: Any, *args: Any) -> tuple[Any, Any]:
        out = self(x)
        return out[0], out[1]

    def grad(self, x: Any, *args: Any) -> Any:
        return self(x)[1]

    def hess(self, x: Any, *args: Any) -> Any:
        return self(x)[-1]

    def outputs(self, x: Any, *args: Any) -> Any:
        out = self(x)
        return out[0] if len(out) == 1 else tuple(out)


class OptimizeOp(Op):
    """An optimisation or root-finding problem (OP-OPTIMIZE-1): the inner graph from
    ``[x, *parameters]`` to the objective (and the derivatives the method is given).

    Node inputs: the starting point (or, for ``minimize_scalar``, the variable, unused),
    the parameters, then one vector per interval argument (``bracket``, ``bounds``).
    Outputs: the solution, of ``x``'s type, and the success flag, a 0-d bool tensor.
    """

    function = ""
    minimization = True  # the implicit function is the objective's gradient, else the objective

    def __init__(self, x: TensorVariable, parameters: Sequence[Variable], objective: TensorVariable, *,
                 method: str, jac: bool = False, hess: bool = False, use_vectorized_jac: bool = False,
                 optimizer_kwargs: dict | None = None, bound_names: tuple[str, ...] = ()) -> None:
        self.inner_inputs = [v.type() for v in (x, *parameters)]
        for fresh, given in zip(self.inner_inputs, (x, *parameters), strict=True):
            fresh.name = given.name
        [inner_objective] = clone_replace([objective], dict(zip((x, *parameters), self.inner_inputs, strict=True)))
        self.inner_outputs: list[Variable] = [inner_objective]
        self.method = method
        self.jac, self.hess = bool(jac), bool(hess)
        self.use_vectorized_jac = bool(use_vectorized_jac)
        self.optimizer_kwargs = dict(optimizer_kwargs or {})
        self.bound_names = tuple(bound_names)
        self._add_derivatives()
        self._schedule: Any = None

    def _add_derivatives(self) -> None:
        """The derivative graphs scipy is given (OP-OPTIMIZE-2 .. OP-OPTIMIZE-5)."""

    def __eq__(self, other: object) -> bool:  # one op per inner graph
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __str__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)}" for name in self._shown)
        return f"{type(self).__name__}({shown})"

    __repr__ = __str__
    _shown: tuple[str, ...] = ("method",)

    @property
    def x_type(self) -> TensorType:
        return self.inner_inputs[0].type

    def make_node(self, x0: Any, *inputs: Any) -> Apply:
        n_params = len(self.inner_inputs) - 1
        if len(inputs) != n_params + len(self.bound_names):
            raise SpecValueError("OP-OPTIMIZE-1", f"{self}: expected {1 + n_params + len(self.bound_names)} "
                                 f"inputs, got {1 + len(inputs)}")
        converted = []
        for i, (given, inner) in enumerate(zip((x0, *inputs[:n_params]), self.inner_inputs, strict=True)):
            v = as_tensor_variable(given)
            if v.type.dtype != inner.type.dtype or v.ndim != inner.type.ndim:
                raise SpecTypeError("OP-OPTIMIZE-1", f"{self}: input {i} has type {v.type}, expected {inner.type}")
            converted.append(v)
        bound_type = TensorType(self.x_type.dtype, (None,))
        for name, given in zip(self.bound_names, inputs[n_params:], strict=True):
            v = as_tensor_variable(given)
            if v.type.dtype != bound_type.dtype or v.ndim != 1:
                raise SpecTypeError("OP-OPTIMIZE-1", f"{self}: {name} has type {v.type}, expected {bound_type}")
            converted.append(v)
        return Apply(self, converted, [self.x_type, TensorType("bool", ())])

    def evaluate_inner(self, x: np.ndarray, args: Sequence[Any]) -> list[Any]:
        """The inner outputs at ``x`` (an array of ``x``'s type) and the parameter values."""
        from reference.evaluate import Schedule, evaluate_graph

        if self._schedule is None:
            self._schedule = Schedule(toposort(self.inner_outputs), outputs=self.inner_outputs)
        env = dict(zip(self.inner_inputs, (x, *args), strict=True))
        return evaluate_graph(self.inner_outputs, env, order=self._schedule)

    def perform(self, node: Apply, x0: np.ndarray, *values: Any) -> tuple[np.ndarray, np.ndarray]:
        import scipy.optimize

        n_params = len(self.inner_inputs) - 1
        args, bounds = values[:n_params], values[n_params:]
        given = {name: tuple(v) for name, v in zip(self.bound_names, bounds, strict=True)}
        solution, success = self.solve(scipy.optimize, np.asarray(x0), list(args), given)
        return np.asarray(solution, dtype=self.x_type.numpy_dtype), np.asarray(bool(success))

    def solve(self, optimize: Any, x0: np.ndarray, args: list[Any], bounds: dict[str, tuple]) -> tuple[Any, Any]:
        raise NotImplementedError

    def pullback(self, node: Apply, output_grads: list) -> list:
        """GRAD-OPTIMIZE-1: the solution's cotangent sent to the parameters by the implicit
        function theorem; the starting point gets zeros, the intervals nothing."""
        from reference.tensor.basic import zeros_like

        g = output_grads[0]
        n_params = len(self.inner_inputs) - 1
        x0, params = node.inputs[0], node.inputs[1:1 + n_params]
        grads: list[Any] = [None] * n_params
        if g is not None:
            grads = implicit_gradients(self, node.outputs[0], params, g)
        return [zeros_like(x0), *grads, *([None] * len(self.bound_names))]


def implicit_gradients(op: OptimizeOp, x_star: Variable, params: Sequence[Variable], g: Variable) -> list:
    """GRAD-OPTIMIZE-1: with ``F(x, θ) = 0`` at the solution (``F`` the objective's gradient
    for a minimisation, the equations for a root), ``dx*/dθ = -(∂F/∂x)⁻¹ ∂F/∂θ``; each
    parameter receives ``gᵀ dx*/dθ`` (zeros when ``F`` does not read it); ``None`` for an integer one."""
    from reference.grad import grad
    from reference.graph.type import DISCRETE_DTYPES
    from reference.jacobian import jacobian
    from reference.tensor.blas import tensordot
    from reference.tensor.extra_ops import atleast_2d
    from reference.tensor.linalg import solve
    from reference.tensor.reshaping import pack, unpack

    inner_x, *inner_params = op.inner_inputs
    f = op.inner_outputs[0]
    if op.minimization:
        f = grad(f, inner_x)
    # every float parameter the objective reads is connected, as in PyTensor: one that F
    # does not read (it only shifts a minimised objective) gets zeros, not "disconnected"
    connected = [p.type.dtype not in DISCRETE_DTYPES for p in inner_params]
    wrt = [p for p, c in zip(inner_params, connected, strict=True) if c]
    results: list[Any] = [None] * len(inner_params)
    if not wrt:
        return results
    outer = dict(zip(op.inner_inputs, (x_star, *params), strict=True))
    if f.ndim == 0:  # one equation in one unknown: -(∂F/∂θ) / (∂F/∂x)
        df_dx, *df_dthetas = grad(f, [inner_x, *wrt], disconnected_inputs="ignore")
        df_dx, *df_dthetas = clone_replace([df_dx, *df_dthetas], outer)
        sensitivities = iter([-(d / df_dx) * g for d in df_dthetas])
    else:  # a system: one solve for all parameters, their Jacobians side by side
        df_dx, *df_dthetas = jacobian(f, [inner_x, *wrt], disconnected_inputs="ignore",
                                      vectorize=op.use_vectorized_jac)
        df_dx, *df_dthetas = clone_replace([df_dx, *df_dthetas], outer)
        stacked, shapes = pack(*df_dthetas, keep_axes=0)  # (m, sum of the parameters' sizes)
        pieces = unpack(solve(-atleast_2d(df_dx), stacked), shapes, keep_axes=0)
        sensitivities = iter([tensordot(g, piece, [[0], [0]]) for piece in pieces])
    for i, c in enumerate(connected):
        if c:
            results[i] = next(sensitivities)
    return results


class MinimizeOp(OptimizeOp):
    """OP-OPTIMIZE-2: ``scipy.optimize.minimize`` of a scalar objective of a 0-d or 1-d ``x``."""

    _shown = ("method", "jac", "hess", "hessp")
    hessp = False

    def _add_derivatives(self) -> None:
        from reference.grad import grad
        from reference.jacobian import jacobian

        x = self.inner_inputs[0]
        if self.jac:
            self.inner_outputs.append(grad(self.inner_outputs[0], x))
        if self.hess:
            self.inner_outputs.append(jacobian(self.inner_outputs[-1], x, vectorize=self.use_vectorized_jac))

    def solve(self, optimize: Any, x0: np.ndarray, args: list[Any], bounds: dict[str, tuple]) -> tuple[Any, Any]:
        memo = _Memo(self, args, x0.shape, x0.dtype)  # OP-OPTIMIZE-2 step 1
        res = optimize.minimize(fun=memo.value_and_grad if self.jac else memo.value, jac=self.jac, x0=x0,
                                args=tuple(args), hess=memo.hess if self.hess else None, method=self.method,
                                **self.optimizer_kwargs)
        return res.x.reshape(x0.shape).astype(x0.dtype), res.success


class MinimizeScalarOp(OptimizeOp):
    """OP-OPTIMIZE-3: ``scipy.optimize.minimize_scalar`` of a scalar objective of a 0-d ``x``."""

    def solve(self, optimize: Any, x0: np.ndarray, args: list[Any], bounds: dict[str, tuple]) -> tuple[Any, Any]:
        memo = _Memo(self, args, (), x0.dtype)  # OP-OPTIMIZE-3: x0 is not used
        res = optimize.minimize_scalar(fun=memo.value, args=tuple(args), method=self.method, **bounds,
                                       **self.optimizer_kwargs)
        return res.x, res.success


class RootOp(OptimizeOp):
    """OP-OPTIMIZE-4: ``scipy.optimize.root`` of equations with the shape of ``variables``."""

    minimization = False
    _shown = ("method", "jac")

    def _add_derivatives(self) -> None:
        from reference.jacobian import jacobian
        from reference.tensor.extra_ops import atleast_2d

        if self.jac:
            j = jacobian(self.inner_outputs[0], self.inner_inputs[0], vectorize=self.use_vectorized_jac)
            self.inner_outputs.append(atleast_2d(j))

    def solve(self, optimize: Any, x0: np.ndarray, args: list[Any], bounds: dict[str, tuple]) -> tuple[Any, Any]:
        memo = _Memo(self, args, x0.shape, x0.dtype)  # OP-OPTIMIZE-4 step 1
        res = optimize.root(fun=memo.outputs, jac=self.jac, x0=x0, args=tuple(args), method=self.method,
                            **self.optimizer_kwargs)
        return res.x.reshape(x0.shape).astype(x0.dtype), res.success


class RootScalarOp(OptimizeOp):
    """OP-OPTIMIZE-5: ``scipy.optimize.root_scalar`` of one equation in a 0-d ``variable``."""

    minimization = False
    _shown = ("method", "jac", "hess")

    def _add_derivatives(self) -> None:
        from reference.grad import grad

        x = self.inner_inputs[0]
        if self.jac:
            self.inner_outputs.append(grad(self.inner_outputs[0], x))
        if self.hess:
            self.inner_outputs.append(grad(self.inner_outputs[-1], x))

    def solve(self, optimize: Any, x0: np.ndarray, args: list[Any], bounds: dict[str, tuple]) -> tuple[Any, Any]:
        memo = _Memo(self, args, (), x0.dtype)  # OP-OPTIMIZE-5
        res = optimize.root_scalar(f=memo.value, fprime=memo.grad if self.jac else None,
                                   fprime2=memo.hess if self.hess else None, x0=x0, args=tuple(args),
                                   method=self.method, **bounds, **self.optimizer_kwargs)
        return res.root, res.converged


# -- the functions ------------------------------------------------------------------------------
def minimize(objective: Any, x: TensorVariable | Sequence[TensorVariable], method: str = "BFGS",
             jac: bool = True, hess: bool = False, use_vectorized_jac: bool = False,
             optimizer_kwargs: dict | None = None) -> tuple[Any, TensorVariable]:
    """``(solution, success)``: ``x`` minimising the scalar ``objective`` (OP-OPTIMIZE-2),
    starting from ``x``'s value.  Several variables (or one with more than one axis) give
    a list of solutions."""
    objective = _as_objective(objective, "minimize", "objective", scalar=True)
    packed, shapes, objective = _pack(objective, x, "minimize", "x")
    _check_variable(packed, "minimize", "x", (0, 1))
    _check_reaches(objective, packed, "minimize", "x", "the objective")
    params = _parameters(objective, packed)
    op = MinimizeOp(packed, params, objective, method=method, jac=jac, hess=hess,
                    use_vectorized_jac=use_vectorized_jac, optimizer_kwargs=optimizer_kwargs)
    solution, success = op(packed, *params)
    return _unpacked(solution, shapes), success


def minimize_scalar(objective: Any, x: TensorVariable, method: str = "brent", bracket: Any = None,
                    bounds: Any = None, optimizer_kwargs: dict | None = None) -> tuple[TensorVariable, TensorVariable]:
    """``(solution, success)``: the 0-d ``x`` minimising the scalar ``objective``
    (OP-OPTIMIZE-3); ``bracket`` and ``bounds`` may be symbolic."""
    objective = _as_objective(objective, "minimize_scalar", "objective", scalar=True)
    _check_variable(x, "minimize_scalar", "x", (0,))
    _check_reaches(objective, x, "minimize_scalar", "x", "the objective")
    params = _parameters(objective, x)
    names, values = _bounds(x, optimizer_kwargs, "minimize_scalar", bracket=bracket, bounds=bounds)
    op = MinimizeScalarOp(x, params, objective, method=method, optimizer_kwargs=optimizer_kwargs,
                          bound_names=names)
    solution, success = op(x, *params, *values)
    return solution, success


def root(equations: Any, variables: TensorVariable | Sequence[TensorVariable], method: str = "hybr",
         jac: bool = True, use_vectorized_jac: bool = False,
         optimizer_kwargs: dict | None = None) -> tuple[Any, TensorVariable]:
    """``(solution, success)``: ``variables`` at which ``equations`` are zero
    (OP-OPTIMIZE-4), starting from their value."""
    equations = _as_objective(equations, "root", "equations", scalar=False)
    packed, shapes, equations = _pack(equations, variables, "root", "variables")
    if packed.ndim != equations.ndim:
        raise SpecValueError("OP-OPTIMIZE-4", f"root: variables ({packed.type}) and equations ({equations.type}) "
                             "must have the same number of axes")
    _check_reaches(equations, packed, "root", "variables", "the equations")
    params = _parameters(equations, packed)
    op = RootOp(packed, params, equations, method=method, jac=jac, use_vectorized_jac=use_vectorized_jac,
                optimizer_kwargs=optimizer_kwargs)
    solution, success = op(packed, *params)
    return _unpacked(solution, shapes), success


def root_scalar(equation: Any, variable: TensorVariable, method: str = "secant", jac: bool = False,
                hess: bool = False, bracket: Any = None,
                optimizer_kwargs: dict | None = None) -> tuple[TensorVariable, TensorVariable]:
    """``(solution, success)``: the 0-d ``variable`` at which the scalar ``equation`` is
    zero (OP-OPTIMIZE-5), starting from its value."""
    equation = _as_objective(equation, "root_scalar", "equation", scalar=True)
    _check_variable(variable, "root_scalar", "variable", (0,))
    _check_reaches(equation, variable, "root_scalar", "variable", "the equation")
    if hess and not jac:
        raise SpecValueError("OP-OPTIMIZE-5", "root_scalar: hess=True needs jac=True (no method uses the second "
                             "derivative without the first)")
    params = _parameters(equation, variable)
    names, values = _bounds(variable, optimizer_kwargs, "root_scalar", bracket=bracket)
    op = RootScalarOp(variable, params, equation, method=method, jac=jac, hess=hess,
                      optimizer_kwargs=optimizer_kwargs, bound_names=names)
    solution, success = op(variable, *params, *values)
    return solution, success


def _unpacked(solution: TensorVariable, shapes: list[TensorVariable] | None) -> Any:
    if shapes is None:
        return solution
    from reference.tensor.reshaping import unpack

    return unpack(solution, shapes)
