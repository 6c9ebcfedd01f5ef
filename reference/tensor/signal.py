"""``pt.signal``: convolution of the last axis (``pytensor.tensor.signal``).

Spec: spec/2-ops.rst, section "Vectorising, grids, reshaping and signals" (OP-CONV1D-1,
and OP-CONV1D-2 for the gradient).  :class:`Convolve1d` convolves two vectors; leading axes
are batch axes, looped over by :func:`reference.tensor.functional.vectorize`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.graph.type import TensorType, upcast
from reference.tensor.shape import constant_value
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = ["convolve1d"]


class Convolve1d(Op):
    """``np.convolve(in1, in2, "full" if full_mode else "valid")`` of two vectors
    (OP-CONV1D-1); ``full_mode`` is a 0-d boolean tensor, as PyTensor's scalar."""

    def make_node(self, in1: Any, in2: Any, full_mode: Any) -> Apply:
        a, b = as_tensor_variable(in1), as_tensor_variable(in2)
        full = as_tensor_variable(full_mode)
        if a.ndim != 1 or b.ndim != 1:
            raise SpecValueError("OP-CONV1D-1", f"Convolve1d: the inputs must be vectors, got {a.type} and {b.type}")
        if full.ndim != 0 or full.dtype != "bool":
            raise SpecTypeError("OP-CONV1D-1", f"Convolve1d: full_mode must be a boolean scalar, got {full.type}")
        mode = constant_value(full)
        n, k = a.type.shape[0], b.type.shape[0]
        if mode is None or n is None or k is None:
            length = None
        else:
            length = n + k - 1 if bool(mode) else max(n, k) - min(n, k) + 1
        return Apply(self, [a, b, full], [TensorType(upcast(a.dtype, b.dtype), (length,))])

    def perform(self, node: Apply, a: np.ndarray, b: np.ndarray, full: np.ndarray) -> np.ndarray:
        result = np.convolve(a, b, mode="full" if bool(full) else "valid")
        return result.astype(node.outputs[0].type.numpy_dtype, copy=False)

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        (n,), (k,), _ = shapes
        if values[2] is None:
            raise LookupError("Convolve1d: the length depends on full_mode")
        return [(n + k - 1 if bool(values[2]) else max(n, k) - min(n, k) + 1,)]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """OP-CONV1D-2: each input's cotangent is the convolution of the output's with the other
        input reversed, in "valid" mode, except in a "valid" convolution for the longer input,
        whose cotangent is the "full" one."""
        from reference.tensor.math import and_, invert, lt

        a, b, full = node.inputs
        g = output_grads[0]
        if g is None:
            return [None, None, None]
        n, k = a.shape[0], b.shape[0]
        full_a = and_(invert(full), lt(k, n))
        full_b = and_(invert(full), lt(n, k))
        return [self(g, b[::-1], full_a), self(g, a[::-1], full_b), None]


_convolve1d = Convolve1d()


def convolve1d(in1: Any, in2: Any, mode: str = "full") -> TensorVariable:
    """The discrete linear convolution of the last axes of ``in1`` and ``in2``, broadcast over
    the other axes (OP-CONV1D-1): ``mode`` "full", "valid" or "same" (the length of ``in1``,
    centred in the full result)."""
    from reference.tensor.basic import join, zeros
    from reference.tensor.functional import Blockwise

    a, b = as_tensor_variable(in1), as_tensor_variable(in2)
    if mode not in ("full", "valid", "same"):
        raise SpecValueError("OP-CONV1D-1", f"convolve1d: mode must be 'full', 'valid' or 'same', got {mode!r}")
    if a.ndim < 1 or b.ndim < 1:
        raise SpecValueError("OP-CONV1D-1", f"convolve1d: the inputs need an axis, got {a.type} and {b.type}")
    if mode == "same":  # step 2: "valid" of in1 padded with k // 2 zeros left, (k - 1) // 2 right
        k = b.shape[-1]
        batch = [a.shape[i] for i in range(a.ndim - 1)]
        a = join(-1, zeros([*batch, k // 2], dtype=a.dtype), a, zeros([*batch, (k - 1) // 2], dtype=a.dtype))
        mode = "valid"
    # step 3: a Blockwise whose core reads the mode as an input, so the output's length is
    # unknown when the graph is built, as in PyTensor
    core = [TensorType(a.dtype, a.type.shape[-1:])(), TensorType(b.dtype, b.type.shape[-1:])(), TensorType("bool", ())()]
    blockwise = Blockwise(core, [_convolve1d(*core)])
    return blockwise(a, b, as_tensor_variable(np.bool_(mode == "full")))
