"""The C path equals the Python path, bit for bit, at every step (KERN-EXACT-1).

Random loops from ``kernel_programs.scan_cases`` run three ways: ``mode="python"`` (the
definition), the default mode (the kernel where the step lowers, with the function's
storage plan) and ``mode="check"`` (both paths, every step of every output compared, with
the first differing step and output named).  Results, exceptions and shared-variable
values must agree.  ``HYPOTHESIS_PROFILE=deep`` runs 20,000 examples.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from kernel_programs import map_cases, scan_cases

import reference as pytensor
from reference._cloop import HAVE_CLOOP, dispatch, runtime
from reference.graph.traversal import toposort
from reference.scan.op import ScanOp

pytestmark = [
    pytest.mark.skipif(not HAVE_CLOOP, reason="_cloop not built"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
]


def call(fn, case):
    case.reset()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            result = fn(*case.values)
        except Exception as error:  # noqa: BLE001 - compared between the paths
            return ("raised", type(error), str(error).split("\n")[0]), None
    return ("ok", result), [v.get_value() for v, _ in case.shared]


def same(a, b) -> bool:
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return dispatch.same_bits(a, b)


def kernel_paths(fn) -> list[str]:
    paths = []
    for node in toposort(fn.computed):
        if isinstance(node.op, ScanOp):
            decision = dispatch.decisions(node.op).get("last")
            paths.append("unknown" if decision is None else decision.path)
            if decision is not None and decision.path in ("c", "check") and \
                    any(isinstance(v, runtime.Compiled) and v.program.block
                        for v in node.op.__dict__.get("_kernel_cache", {}).values()):
                event("a map ran in blocks")
            if decision is not None and decision.path == "python":
                event(f"fallback: {decision.reason[:60]}")
    return paths


@pytest.mark.rule("PROP-KERN-1")
@pytest.mark.rule("KERN-EXACT-1")
@pytest.mark.rule("KERN-MODE-4")
@pytest.mark.rule("KERN-BIND-3")
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                HealthCheck.filter_too_much])
@given(scan_cases(), st.sampled_from([2, 3, runtime.BLOCK_ROWS]))
def test_kern_exact_1__c_path_equals_python_path_at_every_step(case, block_rows):
    saved, runtime.BLOCK_ROWS = runtime.BLOCK_ROWS, block_rows  # maps run in blocks of 2 or 3 rows
    try:
        check_case(case)
    finally:
        runtime.BLOCK_ROWS = saved


def check_case(case):
    python = pytensor.function(case.inputs, case.outputs, updates=case.updates, mode="python",
                               on_unused_input="ignore")
    auto = pytensor.function(case.inputs, case.outputs, updates=case.updates,
                             on_unused_input="ignore")
    check = pytensor.function(case.inputs, case.full_outputs, updates=case.updates, mode="check",
                              on_unused_input="ignore")
    expected, expected_shared = call(python, case)
    got, got_shared = call(auto, case)
    paths = kernel_paths(auto)
    event(f"default mode ran: {paths}")
    if expected[0] == "raised":
        assert got[0] == "raised" and got[1:] == expected[1:], (case.description, expected, got)
        return
    assert got[0] == "ok", (case.description, got)
    assert same(got[1], expected[1]), (case.description, got[1], expected[1])
    assert same(got_shared, expected_shared), case.description
    checked, _ = call(check, case)
    if checked[0] == "raised":
        assert not issubclass(checked[1], dispatch.KernelMismatch), (case.description, checked)
    kernel_paths(check)


@pytest.mark.rule("PROP-KERN-1")
@pytest.mark.rule("KERN-BIND-3")
@pytest.mark.rule("KERN-EXACT-1")
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                HealthCheck.filter_too_much])
@given(map_cases(), st.sampled_from([2, 3, 5]))
def test_kern_bind_3__maps_in_blocks_equal_the_python_path(case, block_rows):
    saved, runtime.BLOCK_ROWS = runtime.BLOCK_ROWS, block_rows
    try:
        check_case(case)
    finally:
        runtime.BLOCK_ROWS = saved
