"""Compiled functions, their inputs and outputs, and modes; the names PyTensor's
``pytensor.compile`` exports that ``reference`` has (GRAPH-NAMES-1)."""

from reference.compile import mode
from reference.compile.builders import OpFromGraph
from reference.compile.function import Function, FunctionMaker, function
from reference.compile.io import In, Out
from reference.compile.mode import (
    CVM,
    FAST_COMPILE,
    JAX,
    NUMBA,
    PYTORCH,
    C,
    Mode,
    get_default_mode,
    get_mode,
    predefined_modes,
    register_mode,
)
from reference.compile.monitormode import MonitorMode  # FN-MODE-2
from reference.compile.ops import FromFunctionOp, as_op
from reference.errors import UnusedInputError
from reference.graph.shared import SharedVariable, shared

__all__ = ["C", "CVM", "FAST_COMPILE", "JAX", "NUMBA", "PYTORCH", "FromFunctionOp", "Function", "FunctionMaker",
           "In", "Mode", "MonitorMode", "OpFromGraph", "Out", "SharedVariable", "UnusedInputError", "as_op",
           "function", "get_default_mode", "get_mode", "mode", "predefined_modes", "register_mode", "shared"]
