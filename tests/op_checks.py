"""Helpers the chapter-2 op tests share: run a graph, compare values and dtypes, expect a
rule's error."""

import numpy as np
import pytest

import reference as pytensor


def run(outputs, inputs, *values, mode="python"):
    """Compile ``outputs`` of ``inputs`` and call it on ``values``."""
    return pytensor.function(list(inputs), outputs, mode=mode, on_unused_input="ignore")(*values)


def same(got, expected):
    """``got`` equals ``expected`` in value (nan where nan) and dtype."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    np.testing.assert_array_equal(got, expected)


def raises_rule(error, rule, fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` raises ``error`` carrying ``rule``; the exception."""
    with pytest.raises(error) as info:
        fn(*args, **kwargs)
    assert info.value.rule == rule, info.value
    return info.value
