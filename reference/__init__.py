"""reference: the executable specification of PyTensor's ``scan``.

Use it as PyTensor: ``import reference as pytensor`` and ``import reference.tensor as pt``.
"""

from reference import printing, raise_op, tensor
from reference.compile.function import Function, function
from reference.config import config
from reference.errors import (
    DisconnectedInputError,
    MissingInputError,
    SpecAxisError,
    SpecError,
    SpecIndexError,
    SpecTypeError,
    SpecValueError,
    UnusedInputError,
)
from reference.evaluate import evaluate
from reference.grad import grad
from reference.graph.basic import Apply, Constant, Op, Variable
from reference.graph.replace import clone_replace
from reference.graph.shared import SharedVariable, shared
from reference.graph.traversal import graph_inputs
from reference.graph.type import TensorType
from reference.tensor.blas import dot

__version__ = "0.1.0"

__all__ = [
    "Apply", "Constant", "DisconnectedInputError", "Function", "MissingInputError", "Op",
    "SharedVariable", "SpecAxisError", "SpecError", "SpecIndexError", "SpecTypeError", "SpecValueError",
    "TensorType", "UnusedInputError", "Variable", "clone_replace", "config", "dot", "evaluate",
    "function", "grad", "graph_inputs", "shared", "tensor",
]

from reference import scan  # noqa: E402  (the callable module)
from reference.scan import foldl, foldr, map, reduce, scan_checkpoints  # noqa: E402, A004

__all__ += ["foldl", "foldr", "map", "reduce", "scan", "scan_checkpoints"]

from reference.explain import explain  # noqa: E402  (KERN-EXPLAIN-1)

__all__ += ["explain"]
from reference import (
    gradient,  # noqa: E402  (pytensor.gradient.grad, verify_grad)
    ifelse,  # noqa: E402  (pytensor.ifelse.ifelse: OP-IFELSE-1)
)
from reference.compile import In, Mode, Out, get_mode  # noqa: E402  (FN-IN-1, FN-OUT-1, FN-MODE-1)
from reference.compile import mode as _mode  # noqa: E402, F401  (reference.compile.mode)
from reference.compile.builders import OpFromGraph  # noqa: E402  (GRAPH-OFG-1)
from reference.grad import Lop, Rop, pullback, pushforward  # noqa: E402  (GRAD-LOP-1, GRAD-ROP-1)
from reference.printing import dprint  # noqa: E402  (GRAPH-PRINT-3)

__all__ += ["Lop", "OpFromGraph", "Rop", "pullback", "pushforward"]

__all__ += ["In", "Mode", "Out", "dprint", "get_mode", "ifelse"]
