"""Random variables as ops.  Spec: spec/2-ops.rst (RAND-*).

A :class:`RandomVariable` node takes a generator, an optional ``size`` and the
distribution's parameters, and returns the advanced generator and the draw.  The draw
itself is :mod:`reference.tensor.random._numpy_draws`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.config import config
from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op, Variable
from reference.graph.shared import RandomGeneratorType
from reference.graph.type import FLOAT_DTYPES, TensorType, check_dtype
from reference.tensor.random import _numpy_draws as draws
from reference.tensor.shape import as_shape_vector, constant_entries, constant_value
from reference.tensor.variable import TensorVariable, as_tensor_variable


class RandomVariable(Op):
    """Draw from distribution ``name`` (RAND-DRAW-1): a copy of the input generator is
    advanced by the draw and returned with it (RAND-STREAM-2).

    ``inplace`` (RAND-VAR-4) is ``False`` for every op the API builds: ``reference`` has no
    rewrite that sets it.  An op built with ``inplace=True`` draws from the input generator
    itself, which the draw advances, as PyTensor's in-place ops do.
    """

    __props__ = ("name", "dtype", "has_size", "options", "inplace")
    constant_foldable = False

    def __init__(self, name: str, dtype: str, has_size: bool, options: tuple = (), inplace: bool = False) -> None:
        self.name, self.dtype, self.has_size, self.options = name, dtype, has_size, options
        self.inplace = bool(inplace)  # RAND-VAR-4

    def __str__(self) -> str:
        from reference.tensor.random.basic import class_name

        return f"{class_name(self.name)}{{{self.dtype}}}"  # PyTensor's class name (RAND-FUNC-7)

    def make_node(self, rng: Variable, *inputs: Any) -> Apply:
        if not isinstance(rng.type, RandomGeneratorType):
            raise SpecTypeError("RAND-DRAW-1", f"{self}: the first input must be a random generator, got {rng.type}")
        size = as_tensor_variable(inputs[0]) if self.has_size else None
        params = [as_tensor_variable(p) for p in inputs[self.has_size:]]
        size_static = constant_entries(size) if size is not None else None
        try:
            if self.name == "choice":
                shape = draws.output_static_shape(self.name, [params[0].type.shape, None], size_static)
            elif self.name == "permutation":
                x = params[0]
                shape = draws.permutation_static_shape(
                    x.type.shape, size_static, constant_value(x) if x.ndim == 0 else None)
            else:
                shape = draws.output_static_shape(self.name, [p.type.shape for p in params], size_static)
        except ValueError as error:
            raise SpecValueError("RAND-SHAPE-1", f"{self}: {error}") from None
        inputs_ = [rng] + ([size] if size is not None else []) + params
        return Apply(self, inputs_, [RandomGeneratorType(), TensorType(self.dtype, shape)])

    def perform(self, node: Apply, rng: np.random.Generator, *inputs: Any) -> tuple:
        size = draws.normalize_size(inputs[0]) if self.has_size else None
        params = inputs[self.has_size:]
        # RAND-STREAM-2: draw from a copy; RAND-VAR-4: an in-place op advances the input itself
        generator = rng if self.inplace else draws.copy_generator(rng)
        entry = draws.DISTRIBUTIONS[self.name]
        try:
            with np.errstate(all="ignore"):
                value = entry.draw(generator, *params, size=size, dtype=self.dtype, **dict(self.options))
        except ValueError as error:
            raise SpecValueError("RAND-DRAW-1", f"{self}: invalid parameters: {error}") from None
        return generator, np.asarray(value, dtype=self.dtype)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        if self.has_size and values[1] is None:
            raise LookupError("size unknown")
        size = tuple(int(n) for n in values[1]) if self.has_size else None
        params = values[1 + self.has_size:]
        if self.name == "permutation" and shapes[-1] == () and params[0] is None:
            raise LookupError("the length of permutation(n) is the value of n")
        stand_ins = [np.empty(s) if v is None else v for s, v in zip(shapes[1 + self.has_size:], params, strict=True)]
        return [(), draws.output_shape(self.name, stand_ins, size, dict(self.options))]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """No derivative: a draw does not vary smoothly with its parameters (GRAD-OP-2).
        A float parameter's cotangent is undefined (GRAD-UNDEF-1), so ``grad`` through a
        draw to its parameters raises, as PyTensor's does; the generator and size get
        ``None``."""
        from reference.tensor.math import undefined_cotangent

        draw = node.outputs[1]
        gz = output_grads[1] if output_grads[1] is not None else draw.zeros_like()
        first_param = 1 + self.has_size
        message = f"random variable {self.name}: the gradient with respect to its parameters is not defined"
        return [None] * first_param + [undefined_cotangent("GRAD-OP-2", message, gz)
                                       for _ in node.inputs[first_param:]]


def make_random_variable(name: str, rng: Variable, params: tuple, size: Any, dtype: Any,
                         options: tuple = (), inplace: bool = False) -> tuple[Variable, TensorVariable]:
    """Build the node; returns ``(next_rng, draw)``.  ``inplace`` is the op's flag (RAND-VAR-4)."""
    entry = draws.DISTRIBUTIONS[name]
    param_vars = [as_tensor_variable(p) for p in params if p is not None] if name == "choice" else [as_tensor_variable(p) for p in params]
    if name == "choice":
        a = param_vars[0]
        out_dtype = draws.choice_dtype(a.dtype, a.ndim, dict(options).get("replace", True),
                                       None if size is None else ())
    elif entry.default_dtype == "param":
        out_dtype = param_vars[0].dtype  # RAND-FUNC-4: permutation keeps x's dtype
        if dtype is not None and check_dtype(dtype) != out_dtype:
            raise SpecValueError("RAND-DTYPE-1", f"{name}: the output dtype is x's, {out_dtype}; it cannot be changed")
    elif dtype is None:
        out_dtype = config.floatX if entry.default_dtype == "floatX" else entry.default_dtype
    else:
        out_dtype = check_dtype(dtype)
        default = config.floatX if entry.default_dtype == "floatX" else entry.default_dtype
        if default in FLOAT_DTYPES and out_dtype not in FLOAT_DTYPES:
            raise SpecValueError("RAND-DTYPE-1", f"{name}: a continuous distribution cannot give dtype {out_dtype}")
    inputs: list[Any] = []
    if size is not None:
        inputs.append(as_shape_vector(size, f"{name}(size)"))
    inputs.extend(param_vars)
    op = RandomVariable(name, out_dtype, size is not None, options, inplace)
    node = op.make_node(rng, *inputs)
    return node.outputs[0], node.outputs[1]
