"""Differential test: generated scan programs (tests/scan_programs.py) run through PyTensor's
pure-Python linker without rewrites, ``Mode(linker="py", optimizer=None)``, and through
``reference``.  They must agree: the same values, or both raise.  A case is skipped only
when it falls under a divergence of spec/C-divergences.rst, named by its label
(``divergence-scan-...``).

Needs PyTensor (Python >= 3.12); skipped otherwise.  Run with
``--hypothesis-show-statistics`` to see how many cases each divergence skipped.
"""

import types
import warnings

import numpy as np
import pytest
from hypothesis import event, example, given
from scan_programs import (
    Expression,
    ModelError,
    Output,
    Program,
    Sequence,
    make_values,
    naive_scan,
    programs,
    provided_steps,
    reference_library,
    run_program,
)

pytensor = pytest.importorskip("pytensor")

from pytensor.compile.mode import Mode  # noqa: E402
from pytensor.scan.utils import until as pytensor_until  # noqa: E402

PYTENSOR = types.SimpleNamespace(
    name="pytensor", scan=pytensor.scan, function=pytensor.function, shared=pytensor.shared,
    pt=pytensor.tensor, until=pytensor_until, mode=Mode(linker="py", optimizer=None))
REFERENCE = reference_library()


def divergence(program, values):
    """The label of the divergence this case falls under, or None."""
    for out in program.outputs:
        if out.kind == "multi" and out.initial_rows < out.depth:
            return "divergence-scan-short-initial"  # B9: PyTensor reads uninitialised memory
    if program.n_steps == 1 and not program.symbolic_n_steps and (
            program.go_backwards or any(provided_steps(s) < 1 for s in program.sequences)):
        # B19: PyTensor's eager path reads the first window, even when going backwards;
        # B16: it reads row k - lowest without checking that the sequence provides a step
        return "divergence-scan-one-step"
    try:
        expected, _ = naive_scan(program, values)
    except ModelError:
        return None
    if len(expected[0]) == 0 and program.shared_update is not None:
        return "divergence-scan-zero-step-update"  # B6: PyTensor reads an empty trace's last row
    if program.row and len(expected[0]) == 0 and any(o.kind == "mapped" for o in program.outputs):
        return "divergence-scan-zero-step-shape"  # B5: PyTensor gives (0, 0)
    return None


def run(program, values, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return run_program(program, values, lib), None
        except Exception as error:  # noqa: BLE001 - both raising is agreement
            return None, error


MIXED = Program(row=(2,), sequences=(Sequence((2, -1, 2), 7), Sequence((0,), 4)),
                outputs=(Output("single", (-1,), 0, Expression((0.5,) * 8, 0.5, True)),
                         Output("multi", (-3, -1), 4, Expression((-0.5,) * 8, 1.0, True)),
                         Output("mapped", (), 0, Expression((1.0,) * 8, 0.0, False))),
                n_non_sequences=0, shared_update=Expression((0.5,) * 8, 0.0, True), n_steps=None,
                symbolic_n_steps=False, go_backwards=True, until=(2, 3.0), seed=7)


@pytest.mark.rule("SCAN-TAPS-1", "SCAN-TAPS-2", "SCAN-TAPS-3", "SCAN-STEPS-1", "SCAN-STEPS-3",
                  "SCAN-INIT-1", "SCAN-INIT-2", "SCAN-BACK-1", "SCAN-UNTIL-1", "SCAN-UNTIL-2",
                  "SCAN-OUT-1", "SCAN-OUT-3", "SCAN-UPD-1", "SCAN-UPD-2", "SCAN-UPD-3")
@given(program=programs())
@example(program=MIXED)
def test_scan_taps_1__reference_agrees_with_pytensor(program):
    values = make_values(program)
    label = divergence(program, values)
    if label is not None:
        event(f"skipped: {label}")
        return
    ours, our_error = run(program, values, REFERENCE)
    theirs, their_error = run(program, values, PYTENSOR)
    if their_error is not None or our_error is not None:
        event("both raised")
        assert our_error is not None, f"PyTensor raised {their_error!r}, reference did not"
        assert their_error is not None, f"reference raised {our_error!r}, PyTensor did not"
        return
    event("same values")
    (our_outputs, our_shared), (their_outputs, their_shared) = ours, theirs
    for a, b in zip(our_outputs, their_outputs, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    if our_shared is not None:
        np.testing.assert_allclose(our_shared, their_shared, rtol=1e-12, atol=1e-12)
