"""Finite-difference checks of gradients, for the tests of ``reference`` and of its importers.

``verify_grad`` is a drop-in for ``pytensor.gradient.verify_grad``: it builds ``fun`` on
symbolic inputs, turns its output into a scalar with a random projection, and compares
:func:`reference.grad` of that scalar with central finite differences at the given point.
``numeric_grad`` is the finite-difference half on its own (plain numpy, no graphs), with
the same ``gf``/``max_err`` interface as PyTensor's class of that name.

Example::

    import numpy as np
    import reference.tensor as pt
    from reference.testing import verify_grad

    verify_grad(pt.tanh, [np.array([[2.0, 3.0], [-1.0, 0.5]])], rng=np.random.default_rng(0))
    verify_grad(lambda x, y: pt.dot(x, y), [np.ones((2, 3)), np.ones((3,))], rng=0)

On failure it raises :class:`GradientError` (an ``AssertionError``), so pytest shows it
as a failed assertion: the first line says which input and index disagree, the next lines
give both values, the errors and the tolerances.

The spec's rules for gradients are in ``spec/4-gradients.rst`` (GRAD-*); this module only
checks them numerically and defines none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_EPS",
    "DEFAULT_TOL",
    "GradientError",
    "abs_rel_err",
    "central_difference",
    "numeric_grad",
    "random_projection",
    "verify_grad",
]

#: Default finite-difference step by dtype.  Central differences have an error of order
#: ``eps**2`` (truncation) plus ``ulp(f) / eps`` (rounding); these steps are near the
#: cube root of each dtype's machine epsilon, where the two balance.
DEFAULT_EPS = {"float64": 1e-6, "float32": 3e-3, "float16": 1e-1}

#: Default absolute and relative tolerance by dtype (PyTensor's ``verify_grad`` values).
DEFAULT_TOL = {"float64": 1e-4, "float32": 1e-2, "float16": 5e-2}

_FLOATS = ("float16", "float32", "float64")


class GradientError(AssertionError):
    """The analytic gradient and the finite-difference estimate disagree.

    Attributes (as in PyTensor's ``GradientError``): ``arg`` (which input), ``err_pos``
    (flat index into it), ``shape`` (its shape), ``val1`` (analytic value), ``val2``
    (numeric value), ``abs_err``, ``rel_err``, ``abs_tol``, ``rel_tol``.
    """

    def __init__(self, arg: int, err_pos: int, shape: tuple[int, ...], val1: float,
                 val2: float, abs_err: float, rel_err: float, abs_tol: float, rel_tol: float,
                 detail: str = "") -> None:
        self.arg, self.err_pos, self.shape = arg, err_pos, tuple(shape)
        self.val1, self.val2 = val1, val2
        self.abs_err, self.rel_err = abs_err, rel_err
        self.abs_tol, self.rel_tol = abs_tol, rel_tol
        self.detail = detail
        super().__init__(str(self))

    def __str__(self) -> str:
        index = np.unravel_index(self.err_pos, self.shape) if self.shape else ()
        where = f"input {self.arg}" + (f" at index {tuple(int(i) for i in index)}" if self.shape else "")
        lines = [
            f"gradient of {where} is wrong: analytic {self.val1:.6g}, numeric {self.val2:.6g}",
            f"  input {self.arg} has shape {self.shape}; flat position {self.err_pos}",
            f"  max abs. error {self.abs_err:.3g} (abs_tol {self.abs_tol:.3g}), "
            f"max rel. error {self.rel_err:.3g} (rel_tol {self.rel_tol:.3g})",
        ]
        if self.detail:
            lines.append(f"  {self.detail}")
        return "\n".join(lines)


def abs_rel_err(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """``|a - b|`` and ``|a - b| / max(|a| + |b|, 1e-8)``, elementwise, in float64."""
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    abs_err = np.abs(a - b)
    return abs_err, abs_err / np.maximum(np.abs(a) + np.abs(b), 1e-8)


def central_difference(f: Callable[..., Any], values: Sequence[Any], eps: float | None = None) -> list[np.ndarray]:
    """The gradient of the scalar function ``f(*values)`` by central differences.

    Each element ``x`` of each array is moved to ``x + eps`` and ``x - eps`` in the array's
    own dtype; the derivative is ``(f(x+) - f(x-)) / (x+ - x-)``, dividing by the step that
    was actually taken after rounding.  ``eps`` defaults to :data:`DEFAULT_EPS` of the least
    precise input dtype.  Returns one float64 array per input, shaped like it.
    """
    arrays = [np.array(v) for v in values]
    for i, a in enumerate(arrays):
        if a.dtype.name not in _FLOATS:
            raise TypeError(f"central_difference: input {i} has dtype {a.dtype}; only float inputs can be perturbed")
    if eps is None:
        eps = max(DEFAULT_EPS[a.dtype.name] for a in arrays)
    grads = []
    for i, a in enumerate(arrays):
        g = np.zeros(a.shape, dtype="float64")
        for position in np.ndindex(a.shape):
            x = a[position]
            plus, minus = a.copy(), a.copy()
            plus[position] = x + a.dtype.type(eps)
            minus[position] = x - a.dtype.type(eps)
            step = float(plus[position]) - float(minus[position])
            args_plus = [plus if j == i else arrays[j].copy() for j in range(len(arrays))]
            args_minus = [minus if j == i else arrays[j].copy() for j in range(len(arrays))]
            f_plus = float(np.asarray(f(*args_plus)))
            f_minus = float(np.asarray(f(*args_minus)))
            g[position] = (f_plus - f_minus) / step
        grads.append(g)
    return grads


class numeric_grad:  # noqa: N801 - PyTensor's name
    """The gradient of a scalar numpy function at a point, by central differences.

    ``numeric_grad(f, pt, eps=None)``: ``pt`` is an array or a list of arrays; ``gf`` is the
    gradient (an array, or a list when ``pt`` is a list), as in PyTensor's class, which
    uses one-sided differences instead.
    """

    def __init__(self, f: Callable[..., Any], pt: Any, eps: float | None = None,
                 out_type: str | None = None) -> None:
        packed = not isinstance(pt, list | tuple)
        values = [pt] if packed else list(pt)
        if eps is None:
            eps = max(DEFAULT_EPS.get(np.asarray(v).dtype.name, DEFAULT_EPS["float64"]) for v in values)
        self.eps = eps
        grads = central_difference(f, values, eps)
        self.gf: Any = grads[0] if packed else grads

    abs_rel_err = staticmethod(abs_rel_err)

    def abs_rel_errors(self, g_pt: Sequence[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
        """``abs_rel_err`` of each analytic gradient in ``g_pt`` against ``gf``."""
        gf = self.gf if isinstance(self.gf, list) else [self.gf]
        if len(g_pt) != len(gf):
            raise ValueError(f"expected {len(gf)} gradients, got {len(g_pt)}")
        errors = []
        for i, (a, b) in enumerate(zip(g_pt, gf, strict=True)):
            a = np.asarray(a)
            if a.shape != b.shape:
                raise ValueError(f"gradient {i} has shape {a.shape}, the input has {b.shape}")
            errors.append(abs_rel_err(a, b))
        return errors

    def max_err(self, g_pt: Sequence[Any], abs_tol: float, rel_tol: float) -> tuple[int, int, float, float]:
        """``(arg, flat position, abs_err, rel_err)`` of the worst element, measured by
        ``min(abs_err / abs_tol, rel_err / rel_tol)`` (> 1: both tolerances exceeded).
        A non-finite error counts as infinitely bad."""
        best = (-1.0, -1, 0, 0.0, 0.0)  # arg -1: no element at all
        for arg, (abs_err, rel_err) in enumerate(self.abs_rel_errors(g_pt)):
            if abs_err.size == 0:
                continue
            scaled = np.minimum(abs_err / abs_tol, rel_err / rel_tol)
            scaled = np.where(np.isfinite(scaled), scaled, np.inf).reshape(-1)
            position = int(np.argmax(scaled))
            if scaled[position] > best[0]:
                best = (float(scaled[position]), arg, position,
                        float(abs_err.reshape(-1)[position]), float(rel_err.reshape(-1)[position]))
        return best[1], best[2], best[3], best[4]


def random_projection(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Weights in ``[0.5, 1.5)``: never near zero, so no output's gradient is lost."""
    return rng.random(shape) + 0.5


def _rng(rng: Any) -> Any:
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, int | np.integer):
        return np.random.default_rng(int(rng))
    if isinstance(rng, np.random.RandomState):
        return np.random.default_rng(rng.randint(2**31))
    return rng


def verify_grad(fun: Callable[..., Any], pt: Sequence[Any], n_tests: int = 2, rng: Any = None,
                eps: float | None = None, out_type: str | None = None,
                abs_tol: float | None = None, rel_tol: float | None = None, mode: Any = None,
                cast_to_output_type: bool = False, no_debug_ref: bool = True) -> None:
    """Check :func:`reference.grad` of ``fun`` at ``pt`` against central finite differences.

    Parameters are PyTensor's:

    ``fun``
        Called with one symbolic variable per entry of ``pt`` (each of the type
        ``pt.as_tensor_variable(value).type``, so static shapes are the values' shapes and
        length-1 axes broadcast); returns a float tensor, or a list of them (an extension:
        PyTensor refuses lists; here each output gets its own projection and they are added).
    ``pt``
        A list or tuple of float arrays: the point.
    ``n_tests``
        How many random projections to try; each must pass.
    ``rng``
        A ``numpy.random.Generator``, a ``RandomState``, an int seed, or None (fresh entropy).
    ``eps``
        The finite-difference step; default :data:`DEFAULT_EPS` of the least precise input.
    ``abs_tol``, ``rel_tol``
        An element fails when its absolute error exceeds ``abs_tol`` **and** its relative
        error exceeds ``rel_tol``; defaults :data:`DEFAULT_TOL` of the least precise input.
    ``mode``
        Passed to :func:`reference.function`.
    ``cast_to_output_type``
        Make the projection float32 when the output is float32 (else float64).
    ``out_type``, ``no_debug_ref``
        Accepted for compatibility and ignored.

    The cost is ``sum(u * fun(*inputs))`` with ``u`` drawn by :func:`random_projection`;
    the analytic gradient is ``grad(cost, inputs, disconnected_inputs='ignore')``, so an
    input the output does not depend on must have a zero numeric gradient.  Raises
    :class:`GradientError` at the first failing projection, ``TypeError`` for a non-float
    input or output.
    """
    import reference
    import reference.tensor as tensor

    if not isinstance(pt, list | tuple):
        raise TypeError("verify_grad: pt must be a list or tuple of arrays")
    values = [np.array(p) for p in pt]
    for i, p in enumerate(values):
        if p.dtype.name not in _FLOATS:
            raise TypeError(f"verify_grad works only with float inputs, but input {i} has dtype {p.dtype}")
    least = max((p.dtype.name for p in values), key=lambda d: DEFAULT_TOL[d])
    abs_tol = DEFAULT_TOL[least] if abs_tol is None else abs_tol
    rel_tol = DEFAULT_TOL[least] if rel_tol is None else rel_tol
    generator = _rng(rng)

    inputs = []
    for i, p in enumerate(values):
        variable = tensor.as_tensor_variable(p).type()
        variable.name = f"input {i}"
        inputs.append(variable)
    result = fun(*inputs)
    outputs = list(result) if isinstance(result, list | tuple) else [result]
    outputs = [tensor.as_tensor_variable(o) for o in outputs]
    for k, o in enumerate(outputs):
        if o.dtype not in _FLOATS:
            raise TypeError(f"verify_grad: output {k} of fun has dtype {o.dtype}; only float outputs have gradients")

    def compile_(outs: Any) -> Any:
        return reference.function(inputs, outs, mode=mode, allow_input_downcast=True, on_unused_input="ignore")

    forward = compile_(outputs)
    shapes = [np.shape(v) for v in forward(*[p.copy() for p in values])]
    projections = []
    for k, (o, shape) in enumerate(zip(outputs, shapes, strict=True)):
        u = random_projection(generator, shape)
        if cast_to_output_type and o.dtype == "float32":
            u = u.astype("float32")
        projections.append(reference.shared(u, name=f"random_projection {k}"))
    cost = None
    for o, u in zip(outputs, projections, strict=True):
        term = tensor.sum(u * o)
        cost = term if cost is None else cost + term
    cost_fn = compile_(cost)
    grads = reference.grad(cost, inputs, disconnected_inputs="ignore")
    grad_fn = compile_(grads)

    for test in range(n_tests):
        numeric = numeric_grad(lambda *args: cost_fn(*args), [p.copy() for p in values], eps)
        analytic = [np.asarray(g) for g in grad_fn(*[p.copy() for p in values])]
        for i, (a, p) in enumerate(zip(analytic, values, strict=True)):
            if a.shape != p.shape:
                raise GradientError(i, 0, p.shape, float("nan"), float("nan"), float("inf"), float("inf"),
                                    abs_tol, rel_tol, f"the analytic gradient has shape {a.shape}, the input {p.shape}")
        arg, position, abs_err, rel_err = numeric.max_err(analytic, abs_tol, rel_tol)
        if arg >= 0:
            bad = not (abs_err <= abs_tol or rel_err <= rel_tol)
            a_val = float(analytic[arg].reshape(-1)[position])
            n_val = float(numeric.gf[arg].reshape(-1)[position])
            if bad or not (np.isfinite(a_val) and np.isfinite(n_val)):
                raise GradientError(arg, position, values[arg].shape, a_val, n_val, abs_err, rel_err,
                                    abs_tol, rel_tol, f"projection {test + 1} of {n_tests}; eps {numeric.eps:g}")
        if test < n_tests - 1:
            for u, shape in zip(projections, shapes, strict=True):
                u.set_value(random_projection(generator, shape).astype(u.dtype))
