"""Properties of scan over generated programs (tests/scan_programs.py): ``reference.scan``
agrees with a naive numpy model written from scan-semantics.md section 0, and a few laws
of the semantics hold.  Settings come from the Hypothesis profile (tests/conftest.py)."""

import dataclasses

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
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
    symbolic_fn,
    without_until,
)

import reference as pytensor
import reference.tensor as pt
from reference.errors import SpecError
from reference.scan.run import NegativeStepsError

LIB = reference_library()

#: the model's reason to raise -> the rule whose error reference must raise
EXPECTED_RULE = {
    "negative n_steps": "SCAN-STEPS-4",
    "sequence too short": "SCAN-STEPS-3",
    "initial state too short": "SCAN-INIT-2",
}


def assert_same(got, expected):
    got_outputs, got_shared = got
    expected_outputs, expected_shared = expected
    assert len(got_outputs) == len(expected_outputs)
    for a, b in zip(got_outputs, expected_outputs, strict=True):
        assert a.shape == b.shape, (a.shape, b.shape)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    if expected_shared is not None:
        np.testing.assert_allclose(got_shared, expected_shared, rtol=1e-12, atol=1e-12)


def run_both(program, lib=LIB):
    values = make_values(program)
    try:
        expected = naive_scan(program, values)
    except ModelError as verdict:
        with pytest.raises(SpecError) as info:
            run_program(program, values, lib)
        assert info.value.rule == EXPECTED_RULE[verdict.kind], (verdict.kind, info.value)
        if verdict.kind == "negative n_steps":
            assert isinstance(info.value, NegativeStepsError)
        return None
    got = run_program(program, values, lib)
    assert_same(got, expected)
    return got


SIMPLE = Program(row=(), sequences=(Sequence((0,), 3),),
                 outputs=(Output("mapped", (), 0, Expression((1.0,), 0.0, False)),),
                 n_non_sequences=0, shared_update=None, n_steps=None, symbolic_n_steps=False,
                 go_backwards=False, until=None, seed=0)
FIB = Program(row=(), sequences=(), n_non_sequences=0, shared_update=None, n_steps=6,
              outputs=(Output("multi", (-2, -1), 2, Expression((1.0, 1.0), 0.0, False)),),
              symbolic_n_steps=True, go_backwards=False, until=(0, 1.0), seed=1)
MIXED = Program(row=(2,), sequences=(Sequence((2, -1, 2), 7), Sequence((0,), 4)),
                outputs=(Output("single", (-1,), 0, Expression((0.5,) * 8, 0.5, True)),
                         Output("multi", (-3, -1), 4, Expression((-0.5,) * 8, 1.0, True)),
                         Output("mapped", (), 0, Expression((1.0,) * 8, 0.0, False))),
                n_non_sequences=0, shared_update=Expression((0.5,) * 8, 0.0, True), n_steps=None,
                symbolic_n_steps=False, go_backwards=True, until=(2, 3.0), seed=7)


@pytest.mark.rule("PROP-MODEL-1")
@pytest.mark.rule("SCAN-TAPS-1", "SCAN-TAPS-2", "SCAN-TAPS-3", "SCAN-STEPS-1", "SCAN-STEPS-3",
                  "SCAN-STEPS-4", "SCAN-INIT-1", "SCAN-INIT-2", "SCAN-BACK-1", "SCAN-UNTIL-1",
                  "SCAN-UNTIL-2", "SCAN-OUT-1", "SCAN-OUT-3", "SCAN-UPD-1", "SCAN-UPD-2",
                  "SCAN-UPD-3", "SCAN-ARGS-5")
@pytest.mark.parametrize("mode", [None, "python"])
@given(program=programs())
@example(program=SIMPLE)
@example(program=FIB)
@example(program=MIXED)
def test_scan_taps_1__reference_agrees_with_the_naive_model(mode, program):
    run_both(program, reference_library(mode))


@pytest.mark.rule("PROP-UNTIL-1")
@pytest.mark.rule("SCAN-UNTIL-1", "SCAN-UNTIL-2")
@given(program=programs(allow_errors=False))
def test_scan_until_2__until_outputs_are_a_prefix(program):
    assume(program.until is not None)
    values = make_values(program)
    with_stop, _ = run_program(program, values, LIB)
    without, _ = run_program(without_until(program), values, LIB)
    lengths = {len(a) for a in with_stop}
    assert len(lengths) == 1
    (n,) = lengths
    for a, b in zip(with_stop, without, strict=True):
        np.testing.assert_array_equal(a, b[:n])
    if n < len(without[0]):  # it stopped early: the last kept step satisfied the condition
        o, threshold = program.until
        assert np.sum(with_stop[o][n - 1]) > threshold
    for t in range(n - 1):  # and no earlier step did
        o, threshold = program.until
        assert not np.sum(with_stop[o][t]) > threshold


def presliced(program, values):
    """The same loop with every sequence tap k turned into a tap-0 sequence pre-sliced to
    the rows tap k reads: seq[k - lowest : k - lowest + steps provided]."""
    sequences, data = [], []
    for seq, array in zip(program.sequences, values.sequences, strict=True):
        lowest, highest = min(min(seq.taps), 0), max(max(seq.taps), 0)
        provided = max(0, len(array) - (highest - lowest))
        for k in seq.taps:
            window = array[k - lowest: k - lowest + provided]
            sequences.append(Sequence((0,), len(window)))
            data.append(window)
    new_program = dataclasses.replace(program, sequences=tuple(sequences))
    return new_program, dataclasses.replace(values, sequences=data)


@pytest.mark.rule("PROP-TAPS-1")
@pytest.mark.rule("SCAN-TAPS-1", "SCAN-TAPS-2", "SCAN-BACK-1")
@given(program=programs(allow_errors=False))
def test_scan_taps_1__shifting_a_tap_equals_pre_slicing_the_sequence(program):
    assume(any(seq.taps != (0,) for seq in program.sequences))
    values = make_values(program)
    new_program, new_values = presliced(program, values)
    assert_same(run_program(new_program, new_values, LIB), run_program(program, values, LIB))


@pytest.mark.rule("PROP-TAPS-1")
@pytest.mark.rule("SCAN-TAPS-1")
@given(k=st.integers(-4, 4), length=st.integers(0, 8))
def test_scan_taps_1__a_single_tap_reads_the_sliced_sequence(k, length):
    x = pt.vector("x")
    data = np.arange(float(length))
    shifted = pytensor.scan(lambda a: a, sequences=dict(input=x, taps=[k]), return_updates=False)
    plain = pytensor.scan(lambda a: a, sequences=x, return_updates=False)
    f = pytensor.function([x], shifted)
    g = pytensor.function([x], plain)
    np.testing.assert_array_equal(f(data), g(data[max(k, 0): max(length + min(k, 0), 0)]))


@pytest.mark.rule("PROP-STEPS-1")
@pytest.mark.rule("SCAN-STEPS-2", "SCAN-BACK-1", "SCAN-ARGS-5")
@given(program=programs(allow_errors=False))
def test_scan_back_1__one_step_is_one_application_of_fn(program):
    program = dataclasses.replace(program, n_steps=1, symbolic_n_steps=False)
    values = make_values(program)
    assume(all(provided_steps(s) >= 1 for s in program.sequences))
    outputs, shared = run_program(program, values, LIB)
    # apply fn once, outside any loop, to the rows of step 0
    args = []
    for seq, data in zip(program.sequences, values.sequences, strict=True):
        lowest = min(min(seq.taps), 0)
        position = provided_steps(seq) - 1 if program.go_backwards else 0
        args.extend(pt.as_tensor_variable(data[position + k - lowest]) for k in seq.taps)
    for out, initial in zip(program.outputs, values.initials, strict=True):
        if out.kind == "single":
            args.append(pt.as_tensor_variable(initial))
        elif out.kind == "multi":
            args.extend(pt.as_tensor_variable(initial[out.depth + k]) for k in out.taps)
    args.extend(pt.as_tensor_variable(v) for v in values.non_sequences)
    shared_var = None if values.shared is None else pytensor.shared(values.shared.copy(), name="s")
    result = symbolic_fn(program, LIB, shared_var)(*args)
    outs = result if isinstance(result, list) else result[0]
    once = pytensor.function([], outs)()
    for got, value in zip(outputs, once, strict=True):
        np.testing.assert_array_equal(got, np.asarray(value)[None])
    if shared_var is not None:
        new_value = pytensor.function([], result[1][shared_var])()
        np.testing.assert_array_equal(shared, new_value)


@pytest.mark.rule("PROP-BACK-1")
@pytest.mark.rule("SCAN-BACK-1")
@given(program=programs(allow_errors=False))
def test_scan_back_1__backwards_equals_scanning_the_reversed_sequences(program):
    # with every tap turned into a tap-0 sequence first (the law holds for tap 0)
    program, values = presliced(dataclasses.replace(program, go_backwards=True), make_values(program))
    backwards = run_program(program, values, LIB)
    reversed_values = dataclasses.replace(values, sequences=[s[::-1] for s in values.sequences])
    forwards = run_program(dataclasses.replace(program, go_backwards=False), reversed_values, LIB)
    assert_same(backwards, forwards)


@pytest.mark.rule("PROP-OUT-1")
@pytest.mark.rule("SCAN-OUT-3", "SCAN-STEPS-4")
@given(program=programs(allow_errors=False), empty_sequence=st.booleans())
def test_scan_out_3__zero_step_outputs_have_shape_0_row(program, empty_sequence):
    if empty_sequence and program.sequences:
        first = dataclasses.replace(program.sequences[0], length=0)
        program = dataclasses.replace(program, sequences=(first, *program.sequences[1:]), n_steps=None)
    else:
        program = dataclasses.replace(program, n_steps=0)
    values = make_values(program)
    outputs, shared = run_program(program, values, LIB)
    assert [o.shape for o in outputs] == [(0, *program.row)] * len(program.outputs)
    if values.shared is not None:
        np.testing.assert_array_equal(shared, values.shared)
