"""PyTensor's module paths for names ``reference`` defines elsewhere (GRAPH-NAMES-1).

Programs written for PyTensor import names from the module PyTensor defines them in
(``from pytensor.tensor.math import dot``, ``from pytensor.tensor.basic import switch``).
``reference`` keeps one module per concept, so some of these names live in another module;
each module listed here answers for PyTensor's names through a module ``__getattr__`` that
looks them up in ``reference.tensor``, the namespace every one of them is exported from.
"""

from __future__ import annotations

from typing import Any

#: For each module, PyTensor 3.3.7's public names of that module that ``reference.tensor``
#: exports but the module itself does not define.
ALIASES: dict[str, frozenset[str]] = {
    "reference.tensor.math": frozenset({
        "all", "any", "argmax", "argmin", "ceil_intdiv", "complex", "complex_from_polar", "cov", "divmod",
        "dot", "isneginf", "isposinf", "largest", "matmul", "matvec", "max", "max_and_argmax", "mean",
        "median", "min", "nan_to_num", "outer", "prod", "ptp", "smallest", "std", "sum", "tensordot", "var",
        "vecdot", "vecmat"}),
    "reference.tensor.basic": frozenset({
        "as_tensor", "atleast_1d", "atleast_2d", "atleast_3d", "atleast_Nd", "cast", "choose", "constant",
        "diag", "diagonal", "empty", "empty_like", "extract_diag", "flatnonzero", "flatten",
        "get_scalar_constant_value", "get_underlying_scalar_constant_value", "get_vector_length",
        "horizontal_stack", "identity", "inverse_permutation", "is_flat", "matrix_transpose", "mgrid",
        "moveaxis", "nonzero", "nonzero_values", "ogrid", "permute_row_elements", "roll", "split",
        "stacklists", "swapaxes", "switch", "take_along_axis", "tensor_copy", "tile", "trace", "transpose",
        "tri", "tril", "tril_indices", "tril_indices_from", "triu", "triu_indices", "triu_indices_from",
        "vertical_stack", "where"}),
    "reference.tensor.extra_ops": frozenset({
        "bartlett", "broadcast_to", "concat_with_broadcast", "cumprod", "cumsum", "squeeze"}),
    "reference.tensor.subtensor": frozenset({"flip", "slice_at_axis", "take"}),
    "reference.tensor.elemwise": frozenset({"DimShuffle"}),
}


def lookup(module: str, name: str) -> Any:
    """``name`` as PyTensor's ``module`` exports it, or ``AttributeError``."""
    if name in ALIASES.get(module, ()):
        import importlib

        import reference.tensor

        if hasattr(reference.tensor, name):
            return getattr(reference.tensor, name)
        return getattr(importlib.import_module("reference.tensor.shape"), name)  # pt.shape is a function
    raise AttributeError(f"module {module!r} has no attribute {name!r}")
