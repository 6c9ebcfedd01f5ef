"""Compiled functions, their inputs and outputs, and modes."""

from reference.compile import mode
from reference.compile.builders import OpFromGraph
from reference.compile.function import Function, function
from reference.compile.io import In, Out
from reference.compile.mode import Mode, get_default_mode, get_mode
from reference.compile.monitormode import MonitorMode  # FN-MODE-2
from reference.errors import UnusedInputError
from reference.graph.shared import SharedVariable, shared

__all__ = ["Function", "In", "Mode", "MonitorMode", "OpFromGraph", "Out", "SharedVariable", "UnusedInputError", "function",
           "get_default_mode", "get_mode", "mode", "shared"]
