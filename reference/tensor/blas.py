"""Products of vectors and matrices.  Spec: spec/2-ops.rst (OP-DOT-*)."""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.errors import SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import TensorType, upcast
from reference.tensor.variable import TensorVariable, as_tensor_variable


def _check_inner(op: Op, a: TensorVariable, b: TensorVariable, a_axis: int, b_axis: int) -> None:
    n, m = a.type.shape[a_axis], b.type.shape[b_axis]
    if n is not None and m is not None and n != m:
        raise SpecValueError("OP-DOT-1", f"{op}: inner lengths differ: {a.type} and {b.type}")


class Dot(Op):
    """``numpy.dot`` (OP-DOT-1): vector·vector, matrix·vector, vector·matrix, matrix·matrix,
    and for higher ndim a sum over the last axis of ``a`` and the second-to-last of ``b``.
    A scalar operand multiplies.  dtype: the upcast of the two inputs."""

    def make_node(self, a: Any, b: Any) -> Apply:
        a, b = as_tensor_variable(a), as_tensor_variable(b)
        if a.ndim == 0 or b.ndim == 0:
            from reference.tensor.elemwise import broadcast_static_shapes

            shape = broadcast_static_shapes([a.type.shape, b.type.shape], self)
        else:
            b_axis = 0 if b.ndim == 1 else b.ndim - 2
            _check_inner(self, a, b, a.ndim - 1, b_axis)
            b_rest = [n for i, n in enumerate(b.type.shape) if i != b_axis]
            shape = (*a.type.shape[:-1], *b_rest)
        return Apply(self, [a, b], [TensorType(upcast(a.dtype, b.dtype), shape)])

    def perform(self, node: Apply, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            result = np.dot(a, b)
        except ValueError:
            raise SpecValueError("OP-DOT-1", f"Dot: shapes {a.shape} and {b.shape} are not aligned") from None
        return np.asarray(result).astype(node.outputs[0].dtype, copy=False)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        a, b = shapes
        if not a or not b:
            return [np.broadcast_shapes(a, b)]
        b_axis = 0 if len(b) == 1 else len(b) - 2
        return [(*a[:-1], *(n for i, n in enumerate(b) if i != b_axis))]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """``ga = gz · bᵀ`` and ``gb = aᵀ · gz`` in the shapes of the 1-d/2-d cases (GRAD-OP-5)."""
        return _product_pullback(node, output_grads[0])


class MatMul(Op):
    """``numpy.matmul`` (OP-DOT-2): like :class:`Dot` for 1-d and 2-d inputs; stacks of
    matrices broadcast over leading axes.  Scalars are refused."""

    def make_node(self, a: Any, b: Any) -> Apply:
        a, b = as_tensor_variable(a), as_tensor_variable(b)
        if a.ndim == 0 or b.ndim == 0:
            raise SpecValueError("OP-DOT-2", "matmul: scalar operands are not allowed; use *")
        _check_inner(self, a, b, a.ndim - 1, 0 if b.ndim == 1 else b.ndim - 2)
        # numpy's matmul: the batch axes broadcast, and a vector operand loses its axis
        ndim = max(a.ndim, b.ndim, 2) - (a.ndim == 1) - (b.ndim == 1)
        shape: list[int | None] = [None] * ndim
        if a.ndim == 2 and b.ndim == 2:
            shape = [a.type.shape[0], b.type.shape[1]]
        elif a.ndim == 2 and b.ndim == 1:
            shape = [a.type.shape[0]]
        elif a.ndim == 1 and b.ndim == 2:
            shape = [b.type.shape[1]]
        return Apply(self, [a, b], [TensorType(upcast(a.dtype, b.dtype), shape)])

    def perform(self, node: Apply, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            result = np.matmul(a, b)
        except ValueError:
            raise SpecValueError("OP-DOT-2", f"matmul: shapes {a.shape} and {b.shape} are not aligned") from None
        return np.asarray(result).astype(node.outputs[0].dtype, copy=False)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [np.matmul(np.empty(shapes[0]), np.empty(shapes[1])).shape]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """As :class:`Dot` for 1-d and 2-d operands (GRAD-OP-5)."""
        return _product_pullback(node, output_grads[0])


_dot = Dot()
_matmul = MatMul()


def dot(a: Any, b: Any) -> TensorVariable:
    """The dot product (OP-DOT-1)."""
    return _dot(a, b)


def matmul(a: Any, b: Any) -> TensorVariable:
    """The matrix product, ``a @ b`` (OP-DOT-2)."""
    return _matmul(a, b)


def outer(x: Any, y: Any) -> TensorVariable:
    """``x[:, None] * y[None, :]`` of the flattened inputs (OP-DOT-3)."""
    from reference.tensor.math import mul
    from reference.tensor.shape import dimshuffle

    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if x.ndim != 1:
        x = x.flatten()
    if y.ndim != 1:
        y = y.flatten()
    return mul(dimshuffle(x, (0, "x")), dimshuffle(y, ("x", 0)))


def tensordot(a: Any, b: Any, axes: Any = 2) -> TensorVariable:
    """``numpy.tensordot`` expressed with transpose, reshape and :func:`dot`."""
    from reference.tensor.shape import reshape, shape, transpose

    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if isinstance(axes, int):
        a_axes, b_axes = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        a_axes, b_axes = ([x] if isinstance(x, int) else list(x) for x in axes)
    a_axes = [i % a.ndim for i in a_axes]
    b_axes = [i % b.ndim for i in b_axes]
    a_free = [i for i in range(a.ndim) if i not in a_axes]
    b_free = [i for i in range(b.ndim) if i not in b_axes]
    at = transpose(a, a_free + a_axes)
    bt = transpose(b, b_axes + b_free)
    sa, sb = shape(a), shape(b)
    a2 = reshape(at, [-1 if not a_free else _prod([sa[i] for i in a_free]), _prod([sa[i] for i in a_axes])], ndim=2)
    b2 = reshape(bt, [_prod([sb[i] for i in b_axes]), -1 if not b_free else _prod([sb[i] for i in b_free])], ndim=2)
    out = dot(a2, b2)
    return reshape(out, [sa[i] for i in a_free] + [sb[i] for i in b_free], ndim=len(a_free) + len(b_free))


def _prod(items: list) -> Any:
    result: Any = 1
    for item in items:
        result = result * item
    return result


def _product_pullback(node: Apply, gz: Any) -> list:
    from reference.graph.type import DISCRETE_DTYPES
    from reference.tensor.elemwise import reduce_to_input
    from reference.tensor.math import mul
    from reference.tensor.shape import dimshuffle

    a, b = node.inputs
    if a.ndim == 0 or b.ndim == 0:
        ga, gb = mul(gz, b), mul(gz, a)
    elif a.ndim == 1 and b.ndim == 1:
        ga, gb = mul(gz, b), mul(gz, a)
    elif a.ndim == 2 and b.ndim == 1:
        ga, gb = outer(gz, b), dot(dimshuffle(a, (1, 0)), gz)
    elif a.ndim == 1 and b.ndim == 2:
        ga, gb = dot(b, gz), outer(a, gz)
    elif a.ndim == 2 and b.ndim == 2:
        ga, gb = dot(gz, dimshuffle(b, (1, 0))), dot(dimshuffle(a, (1, 0)), gz)
    elif isinstance(node.op, Dot):
        ga, gb = _dot_nd_pullback(a, b, gz)
    else:
        ga, gb = _matmul_nd_pullback(a, b, gz)
    return [None if v.dtype in DISCRETE_DTYPES else reduce_to_input(g, v) for g, v in ((ga, a), (gb, b))]


def _dot_nd_pullback(a: Any, b: Any, gz: Any) -> tuple[Any, Any]:
    """``dot`` with an operand of more than 2 axes contracts the last axis of ``a`` with
    axis ``b_axis`` of ``b``; each gradient contracts ``gz`` with the other operand over the
    axes that operand contributed to the result (GRAD-OP-5)."""
    from reference.tensor.shape import transpose

    b_axis = 0 if b.ndim == 1 else b.ndim - 2
    b_free = [i for i in range(b.ndim) if i != b_axis]
    lead = list(range(a.ndim - 1))
    ga = tensordot(gz, b, axes=(list(range(a.ndim - 1, gz.ndim)), b_free))
    gb = tensordot(a, gz, axes=(lead, lead))  # axes (l, b's free axes...)
    order = list(range(1, b_axis + 1)) + [0] + list(range(b_axis + 1, b.ndim))
    return ga, transpose(gb, order)


def _matmul_nd_pullback(a: Any, b: Any, gz: Any) -> tuple[Any, Any]:
    """``matmul`` of stacks: ``ga = gz @ bᵀ`` and ``gb = aᵀ @ gz`` on the last two axes,
    1-d operands promoted to matrices as ``matmul`` promotes them (GRAD-OP-5).  The
    batch axes are summed back by the caller."""
    from reference.tensor.elemwise import reduce_to_input
    from reference.tensor.shape import expand_dims

    def swap(x: Any) -> Any:
        order = list(range(x.ndim - 2)) + [x.ndim - 1, x.ndim - 2]
        return x.dimshuffle(*order)

    a2 = a if a.ndim >= 2 else expand_dims(a, 0)
    b2 = b if b.ndim >= 2 else expand_dims(b, 1)
    gz2 = gz
    if a.ndim == 1:
        gz2 = expand_dims(gz2, gz2.ndim - 1)
    if b.ndim == 1:
        gz2 = expand_dims(gz2, gz2.ndim)
    ga = reduce_to_input(matmul(gz2, swap(b2)), a2)
    gb = reduce_to_input(matmul(swap(a2), gz2), b2)
    return (ga[0] if a.ndim == 1 else ga), (gb[:, 0] if b.ndim == 1 else gb)
