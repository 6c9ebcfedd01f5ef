"""Compiled functions, their inputs and outputs, and modes."""

from reference.compile import mode
from reference.compile.builders import OpFromGraph
from reference.compile.function import Function, function
from reference.compile.io import In, Out
from reference.compile.mode import Mode, get_mode

__all__ = ["Function", "In", "Mode", "OpFromGraph", "Out", "function", "get_mode", "mode"]
