"""Einstein summation and the vector products of numpy 2: ``einsum``, ``vecdot``, ``matvec``
and ``vecmat``.

Spec: spec/2-ops.rst, section "Array functions" (OP-EINSUM-1, OP-EINSUM-2, OP-VECDOT-1) and
spec/4-gradients.rst (GRAD-OP-6).  ``einsum`` is defined by one explicit composition of the
ops of chapter 2 (diagonals by advanced indexing, ``dimshuffle``, elementwise ``mul`` and
one ``sum``), so its value is deterministic, its static shape and gradient are those ops',
and it agrees with ``numpy.einsum`` up to the rounding of the sum.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.errors import SpecTypeError, SpecValueError
from reference.graph.basic import Apply, Op
from reference.tensor.shape import dimshuffle
from reference.tensor.variable import TensorVariable, as_tensor_variable

__all__ = ["einsum", "matvec", "vecdot", "vecmat"]

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


class _EqualLengths(Op):
    """``x`` itself, after checking that its axes ``a`` and ``b`` have the same length: a
    label repeated in one operand of ``einsum`` (OP-EINSUM-1)."""

    __props__ = ("a", "b", "label")

    def __init__(self, a: int, b: int, label: str) -> None:
        self.a, self.b, self.label = a, b, label

    def make_node(self, x: Any) -> Apply:
        x = as_tensor_variable(x)
        return Apply(self, [x], [x.type.clone()])

    def perform(self, node: Apply, x: np.ndarray) -> np.ndarray:
        if x.shape[self.a] != x.shape[self.b]:
            raise SpecValueError(
                "OP-EINSUM-1", f"einsum: label {self.label!r} is repeated on axes of lengths "
                f"{x.shape[self.a]} and {x.shape[self.b]}"
            )
        return x

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        return [shapes[0]]

    def pullback(self, node: Apply, output_grads: list) -> list:
        """The identity (GRAD-OP-6)."""
        return [output_grads[0]]


def _parse(subscripts: Any, ndims: list[int]) -> tuple[list[list[str]], list[str], int]:
    """The labels of each operand (ellipsis axes named ``'.0'``, ``'.1'``, ..., aligned on
    the right), the output's labels, and the number of ellipsis axes (OP-EINSUM-1)."""
    if not isinstance(subscripts, str):
        raise SpecTypeError("OP-EINSUM-1", f"einsum: subscripts must be a str, got {subscripts!r}")
    text = subscripts.replace(" ", "")
    if text.count("->") > 1:
        raise SpecValueError("OP-EINSUM-1", f"einsum: more than one '->' in {subscripts!r}")
    lhs, arrow, rhs = text.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise SpecValueError(
            "OP-EINSUM-1", f"einsum: {subscripts!r} has {len(terms)} operand terms for {len(ndims)} operands"
        )

    def split_term(term: str, where: str) -> tuple[list[str], bool]:
        ellipsis = term.count("...")
        if ellipsis > 1 or (ellipsis == 0 and "." in term) or term.replace("...", "").count(".") > 0:
            raise SpecValueError("OP-EINSUM-1", f"einsum: bad ellipsis in {where} {term!r}")
        before, _, after = term.partition("...")
        for c in before + after:
            if c not in _LETTERS:
                raise SpecValueError("OP-EINSUM-1", f"einsum: {c!r} in {where} {term!r} is not a letter")
        return [*before, "...", *after] if ellipsis else list(term), bool(ellipsis)

    n_ellipsis = 0
    parsed: list[tuple[list[str], bool]] = []
    for k, (term, ndim) in enumerate(zip(terms, ndims, strict=True)):
        labels, has = split_term(term, f"operand {k}'s term")
        letters = len(labels) - has
        if (not has and letters != ndim) or (has and letters > ndim):
            raise SpecValueError(
                "OP-EINSUM-1", f"einsum: term {term!r} has {letters} labels for operand {k} of {ndim} axes"
            )
        n_ellipsis = max(n_ellipsis, ndim - letters if has else 0)
        parsed.append((labels, has))
    operands: list[list[str]] = []
    for (labels, has), ndim in zip(parsed, ndims, strict=True):
        if has:
            i = labels.index("...")
            width = ndim - (len(labels) - 1)
            dots = [f".{j}" for j in range(n_ellipsis - width, n_ellipsis)]
            labels = labels[:i] + dots + labels[i + 1:]
        operands.append(labels)
    letters_in = [c for labels in operands for c in labels if not c.startswith(".")]
    dots_all = [f".{j}" for j in range(n_ellipsis)]
    if arrow:
        out, has_out = split_term(rhs, "the output")
        letters_out = [c for c in out if c != "..."]
        for c in letters_out:
            if c not in letters_in:
                raise SpecValueError("OP-EINSUM-1", f"einsum: output label {c!r} is not in any operand")
        if len(set(letters_out)) != len(letters_out):
            raise SpecValueError("OP-EINSUM-1", f"einsum: a label is repeated in the output {rhs!r}")
        if not has_out and n_ellipsis:
            raise SpecValueError("OP-EINSUM-1", "einsum: the operands have '...' axes but the output has no '...'")
        if has_out:
            i = out.index("...")
            out = out[:i] + dots_all + out[i + 1:]
    else:
        out = dots_all + sorted(c for c in set(letters_in) if letters_in.count(c) == 1)
    return operands, out, n_ellipsis


def _diagonals(x: TensorVariable, labels: list[str]) -> tuple[TensorVariable, list[str]]:
    """``x`` with each repeated label reduced to one axis by a diagonal (OP-EINSUM-1)."""
    from reference.tensor.extra_ops import diagonal

    labels = list(labels)
    while len(set(labels)) != len(labels):
        label = next(c for c in labels if labels.count(c) > 1)
        a = labels.index(label)
        b = labels.index(label, a + 1)
        n, m = x.type.shape[a], x.type.shape[b]
        if n is not None and m is not None and n != m:
            raise SpecValueError("OP-EINSUM-1", f"einsum: label {label!r} is repeated on axes of lengths {n} and {m}")
        x = diagonal(_EqualLengths(a, b, label)(x), 0, a, b)  # the diagonal goes last
        labels = [c for i, c in enumerate(labels) if i not in (a, b)] + [label]
    return x, labels


def einsum(subscripts: str, *operands: Any, optimize: Any = None) -> TensorVariable:
    """``np.einsum(subscripts, *operands)`` by the composition of OP-EINSUM-2.

    ``optimize`` is accepted for PyTensor's signature; it changes nothing here (the
    composition is fixed)."""
    if not operands:
        raise SpecValueError("OP-EINSUM-1", "einsum: needs at least one operand")
    xs = [as_tensor_variable(x) for x in operands]
    terms, out, _ = _parse(subscripts, [x.ndim for x in xs])
    # OP-EINSUM-2: the layout is the output's labels, then the summed labels by first use
    summed: list[str] = []
    for labels in terms:
        for c in labels:
            if c not in out and c not in summed:
                summed.append(c)
    layout = out + summed
    lengths: dict[str, int] = {}
    laid_out = []
    for k, (x, labels) in enumerate(zip(xs, terms, strict=True)):
        x, labels = _diagonals(x, labels)
        for c, n in zip(labels, x.type.shape, strict=True):
            if n is None or n == 1:
                continue
            if lengths.setdefault(c, n) != n:
                name = "'...'" if c.startswith(".") else repr(c)
                raise SpecValueError(
                    "OP-EINSUM-1", f"einsum: label {name} has length {lengths[c]} and, in operand {k}, {n}"
                )
        laid_out.append(dimshuffle(x, [labels.index(c) if c in labels else "x" for c in layout]))
    product = laid_out[0]
    for x in laid_out[1:]:
        product = product * x  # OP-EINSUM-2: left to right
    if not summed:
        return product
    from reference.tensor.reduction import sum as sum_

    axes = tuple(range(len(out), len(layout)))
    return sum_(product, axis=axes, dtype=None if len(xs) == 1 else product.dtype)  # OP-EINSUM-2


# -- numpy 2's vector products ---------------------------------------------------------------
def _vector_product(x1: Any, x2: Any, dtype: Any, where: str, core1: int, core2: int, subscripts: str) -> TensorVariable:
    from reference.tensor.math import cast

    a, b = as_tensor_variable(x1), as_tensor_variable(x2)
    for name, x, core in (("x1", a, core1), ("x2", b, core2)):
        if x.ndim < core:
            raise SpecValueError("OP-VECDOT-1", f"{where}: {name} needs at least {core} axes, got {x.type}")
    n1 = a.type.shape[-1]
    n2 = b.type.shape[-2] if where == "vecmat" else b.type.shape[-1]
    if n1 is not None and n2 is not None and n1 != n2:
        raise SpecValueError("OP-VECDOT-1", f"{where}: the contracted lengths {n1} and {n2} differ")
    out = einsum(subscripts, a, b)  # OP-VECDOT-1
    return out if dtype is None else cast(out, dtype)


def vecdot(x1: Any, x2: Any, dtype: Any = None) -> TensorVariable:
    """``np.vecdot(x1, x2)``: ``einsum("...i,...i->...", x1, x2)`` (OP-VECDOT-1), cast to
    ``dtype`` when given."""
    return _vector_product(x1, x2, dtype, "vecdot", 1, 1, "...i,...i->...")


def matvec(x1: Any, x2: Any, dtype: Any = None) -> TensorVariable:
    """``np.matvec(x1, x2)``: ``einsum("...ij,...j->...i", x1, x2)`` (OP-VECDOT-1)."""
    return _vector_product(x1, x2, dtype, "matvec", 2, 1, "...ij,...j->...i")


def vecmat(x1: Any, x2: Any, dtype: Any = None) -> TensorVariable:
    """``np.vecmat(x1, x2)``: ``einsum("...j,...ji->...i", x1, x2)`` (OP-VECDOT-1)."""
    return _vector_product(x1, x2, dtype, "vecmat", 1, 2, "...j,...ji->...i")
