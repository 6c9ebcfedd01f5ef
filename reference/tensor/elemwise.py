"""Elementwise application of scalar rules, with broadcasting.  Spec: spec/2-ops.rst (OP-ELEMWISE-*).

An :class:`Elemwise` op applies a :class:`ScalarOp` (one small class per rule, in
``reference.tensor.math``) to every element of its broadcast inputs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import DISCRETE_DTYPES, TensorType, upcast
from reference.tensor.variable import as_tensor_variable

#: numpy 2.3 and later: ``ufunc(..., out=...)`` returns an array, never a numpy scalar
UFUNC_ARRAY_OUT = np.lib.NumpyVersion(np.__version__) >= "2.3.0"


def ufunc_gives(compute: Any, dtypes: list[np.dtype], output: np.dtype) -> bool:
    """True if ``compute`` is a numpy ufunc whose result on inputs of ``dtypes`` has dtype
    ``output``, and ``out=...`` makes it return arrays (numpy 2.3 and later, where dtypes
    follow from the input dtypes alone)."""
    if not UFUNC_ARRAY_OUT or not isinstance(compute, np.ufunc) or compute.nout != 1:
        return False
    try:
        return compute.resolve_dtypes((*dtypes, None))[-1] == output
    except (TypeError, ValueError):  # no loop for these dtypes: perform raises as numpy does
        return False


class ScalarOp:
    """One elementwise rule: how the output dtype follows from the input dtypes, and the
    numpy ufunc that computes it.  Subclasses override ``output_dtype`` and ``impl``."""

    nin: int = 2
    ufunc: Any = None
    #: True for a rule PyTensor applies to any number of inputs (``add``, ``mul``): a call
    #: with other than two inputs folds them from the left (OP-ADD-2)
    variadic: bool = False

    def output_dtype(self, *dtypes: str) -> str:
        return upcast(*dtypes)

    def impl(self, *inputs: np.ndarray) -> np.ndarray:
        return self.ufunc(*inputs)

    def compute_for(self, *dtypes: str) -> Callable[..., Any]:
        """What computes the values on inputs of these static dtypes: ``impl`` where the
        rule defines one, else its numpy ufunc (what ``ScalarOp.impl`` calls).  A rule whose
        ``impl`` only adds checks for some dtypes returns its ufunc for the others."""
        return self.ufunc if type(self).impl is ScalarOp.impl else self.impl

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(vars(self).items()))))

    def __str__(self) -> str:
        return type(self).__name__

    __repr__ = __str__


def broadcast_static_shapes(shapes: list[tuple[int | None, ...]], op: Any) -> tuple[int | None, ...]:  # noqa: E501
    """The static output shape of broadcasting (OP-ELEMWISE-1).

    Shapes are aligned on the right (missing leading dims count as 1).  Per dimension: all
    lengths 1 give 1; otherwise the known lengths other than 1 must agree and give the
    result; with none known the result is unknown.
    """
    ndim = max((len(s) for s in shapes), default=0)
    padded = [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]
    out: list[int | None] = []
    for axis in range(ndim):
        lengths = [s[axis] for s in padded]
        known = {n for n in lengths if n is not None and n != 1}
        if len(known) > 1:
            raise SpecValueError(
                "OP-ELEMWISE-1",
                f"{op}: static shapes {[tuple(s) for s in shapes]} cannot be broadcast "
                f"(axis {axis} has lengths {sorted(known)})",
            )
        if known:
            out.append(known.pop())
        elif all(n == 1 for n in lengths):
            out.append(1)
        else:
            out.append(None)
    return tuple(out)


def check_runtime_broadcast(node: Apply, values: tuple[np.ndarray, ...]) -> tuple[int, ...]:
    """The output shape of an elementwise node on these values (OP-ELEMWISE-2).

    A runtime length of 1 broadcasts only on a dimension whose static length is 1 (the
    type says so); an unknown-length dimension that turns out to be 1 against a longer one
    is an error, as in PyTensor, instead of a silent broadcast.
    """
    first = values[0].shape
    for value in values[1:]:
        if value.shape != first:
            break
    else:
        return first  # equal shapes: nothing broadcasts
    ndim = node.outputs[0].ndim
    out = [1] * ndim
    for value in values:
        offset = ndim - value.ndim
        for axis, length in enumerate(value.shape):
            if length != 1:
                if out[offset + axis] not in (1, length):
                    raise _shape_error(node, values)
                out[offset + axis] = length
    for variable, value in zip(node.inputs, values, strict=True):
        offset = ndim - value.ndim
        for axis, length in enumerate(value.shape):
            if length == 1 and out[offset + axis] != 1 and variable.type.shape[axis] != 1:
                raise SpecValueError(
                    "OP-ELEMWISE-2",
                    f"{node.op}: runtime broadcasting is not allowed: input {variable} has "
                    f"length 1 on axis {axis} but its type {variable.type} does not mark it "
                    f"broadcastable, and the output has length {out[offset + axis]} there "
                    f"(input shapes {[v.shape for v in values]}). Use pt.specify_broadcastable "
                    "or a static shape of 1 if broadcasting is intended",
                )
    return tuple(out)


def _shape_error(node: Apply, values: tuple[np.ndarray, ...]) -> SpecValueError:
    return SpecValueError(
        "OP-ELEMWISE-2",
        f"{node.op}: input shapes {[v.shape for v in values]} cannot be broadcast together",
    )


class Elemwise(Op):
    """Apply ``scalar_op`` elementwise.  Inputs of lower ndim are padded on the left."""

    __props__ = ("scalar_op",)

    def __init__(self, scalar_op: ScalarOp) -> None:
        self.scalar_op = scalar_op
        #: what computes the values (OP-ELEMWISE-2, step 3), chosen once: the scalar rule's
        #: ``impl`` where it defines one, else its numpy ufunc (what ``ScalarOp.impl`` calls)
        self.compute = scalar_op.ufunc if type(scalar_op).impl is ScalarOp.impl else scalar_op.impl

    def __str__(self) -> str:
        return str(self.scalar_op)

    def __call__(self, *inputs: Any, **kwargs: Any) -> Any:
        """Apply the op; a variadic rule (``add``, ``mul``) takes any number of inputs."""
        if self.scalar_op.variadic and len(inputs) != 2 and not kwargs:
            return self._fold(inputs)
        return super().__call__(*inputs, **kwargs)

    def _fold(self, inputs: tuple[Any, ...]) -> Any:
        """``op(x1, …, xn)`` as ``op(op(x1, x2), …, xn)``: the left fold that PyTensor's
        upcast and perform follow (OP-ADD-2); one input gives a copy of it."""
        if not inputs:
            raise SpecTypeError("OP-ADD-2", f"{self} needs at least one input, got none")
        if len(inputs) == 1:
            from reference.tensor.math import identity

            return identity(inputs[0])
        result = inputs[0]
        for x in inputs[1:]:
            result = super().__call__(result, x)
        return result

    def make_node(self, *inputs: Any) -> Apply:
        if len(inputs) != self.scalar_op.nin:
            raise SpecTypeError("OP-ELEMWISE-1", f"{self} takes {self.scalar_op.nin} inputs, got {len(inputs)}")
        variables = [as_tensor_variable(x) for x in inputs]
        shape = broadcast_static_shapes([v.type.shape for v in variables], self)
        dtype = self.scalar_op.output_dtype(*(v.dtype for v in variables))
        return Apply(self, variables, [TensorType(dtype, shape)])

    def perform(self, node: Apply, *inputs: np.ndarray) -> np.ndarray:
        output_type = node.outputs[0].type
        # steps 1-2; a 0-d output has only 0-d inputs, with nothing to broadcast
        shape = () if output_type.shape == () else check_runtime_broadcast(node, inputs)
        result = np.asarray(self.compute(*inputs))
        dtype = output_type.numpy_dtype
        if result.dtype != dtype:
            result = result.astype(dtype)
        if result.shape != shape:
            result = np.broadcast_to(result, shape).copy()
        return result

    def prepare_perform(self, node: Apply) -> Callable[..., np.ndarray]:
        """``perform`` for this node, with what its types fix decided once: the function
        computing the values for its input dtypes (``ScalarOp.compute_for``), the output
        dtype, and that a 0-d output broadcasts nothing.

        With numpy 2.3 or later, a ufunc whose result for the input dtypes already has the
        output dtype needs no step 4: its result has the broadcast shape, and asked with
        ``out=...`` it is an array even when 0-d (where a plain call gives a numpy scalar
        that ``np.asarray`` would make into that array)."""
        compute = self.scalar_op.compute_for(*(v.type.dtype for v in node.inputs))
        output_type = node.outputs[0].type
        if ufunc_gives(compute, [v.type.numpy_dtype for v in node.inputs], output_type.numpy_dtype):
            if output_type.shape == ():
                return functools.partial(compute, out=...)

            def perform_ufunc(*inputs: np.ndarray) -> np.ndarray:
                check_runtime_broadcast(node, inputs)  # steps 1-2
                return compute(*inputs)  # step 3

            return perform_ufunc
        dtype, scalar = output_type.numpy_dtype, output_type.shape == ()

        def perform(*inputs: np.ndarray) -> np.ndarray:
            shape = () if scalar else check_runtime_broadcast(node, inputs)
            result = np.asarray(compute(*inputs))
            if result.dtype != dtype:
                result = result.astype(dtype)
            if result.shape != shape:
                result = np.broadcast_to(result, shape).copy()
            return result

        return perform

    def infer_shape(self, node: Apply, shapes: list[tuple[int, ...]], values: list[Any]) -> list[tuple[int, ...]]:  # noqa: E501
        ndim = node.outputs[0].ndim
        out = [1] * ndim
        for shape in shapes:
            offset = ndim - len(shape)
            for axis, length in enumerate(shape):
                if length != 1:
                    out[offset + axis] = length
        return [tuple(out)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The chain rule through the scalar rule, summed over broadcast axes (GRAD-OP-1)."""
        gz = output_grads[0]
        if node.outputs[0].dtype in DISCRETE_DTYPES or gz is None:
            return [None] * len(node.inputs)
        grads = self.scalar_op.grad(node.inputs, node.outputs[0], gz)
        return [
            None if g is None or x.dtype in DISCRETE_DTYPES else reduce_to_input(g, x)
            for g, x in zip(grads, node.inputs, strict=True)
        ]


def reduce_to_input(g: Any, x: Any) -> Any:
    """``g`` (shaped like a broadcast result) summed back to the shape of input ``x``, in
    ``x``'s dtype: over added leading axes and over axes where ``x`` has static length 1
    (the only axes that broadcast, by OP-ELEMWISE-2) (GRAD-OP-1)."""
    from reference.tensor.math import cast
    from reference.tensor.reduction import sum as sum_

    g = as_tensor_variable(g)
    if g.ndim > x.ndim:
        g = sum_(g, axis=tuple(range(g.ndim - x.ndim)))
    axes = tuple(i for i, n in enumerate(x.type.shape) if n == 1 and g.type.shape[i] != 1)
    if axes:
        g = sum_(g, axis=axes, keepdims=True)
    if g.ndim < x.ndim or g.type.shape != x.type.shape and any(
        a is not None and b is not None and a != b for a, b in zip(g.type.shape, x.type.shape, strict=True)
    ):
        from reference.tensor.basic import alloc
        from reference.tensor.shape import shape

        g = alloc(g, *(shape(x)[i] for i in range(x.ndim)))
    return cast(g, x.dtype)


def __getattr__(name: str) -> Any:
    """PyTensor's names of this module that live in another module here (reference/_aliases.py)."""
    from reference import _aliases

    return _aliases.lookup(__name__, name)
