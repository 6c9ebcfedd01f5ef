"""Compiled functions."""

from reference.compile.function import Function, function

__all__ = ["Function", "function"]
