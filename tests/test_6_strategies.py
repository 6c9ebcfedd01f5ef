"""Chapter 6, "Strategies" (ORACLE-STRAT-*): generated scan programs, built from one source,
checked against a plain-numpy loop."""

import numpy as np
import pytest
from hypothesis import find, given, note

import reference as pytensor
from reference.testing import assert_matches
from reference.testing.strategies import Output, ScanProgram, Sequence, scan_programs


@pytest.mark.rule("ORACLE-STRAT-1")
@given(scan_programs(allow_errors=True))
def test_oracle_strat_1__programs_stay_in_their_space(program):
    note(program.graph_source())
    assert isinstance(program, ScanProgram)
    assert program.dtype in ("float64", "float32", "int64", "int32")
    assert program.row_shape in ((), (1,), (2,), (3,))
    assert 0 <= len(program.sequences) <= 2 and 1 <= len(program.outputs) <= 3
    for seq in program.sequences:
        assert 1 <= len(seq.taps) <= 3 and all(-2 <= k <= 2 for k in seq.taps)
        assert seq.data.shape[1:] == program.row_shape and len(seq.data) <= 6
    for out in program.outputs:
        assert all(-3 <= k <= -1 for k in out.taps) and len(set(out.taps)) == len(out.taps)
        if out.multiple_taps:
            assert len(out.initial) in (-min(out.taps), 1 - min(out.taps))
        assert any(out.weights)
    if not program.sequences:
        assert program.n_steps is not None
    if program.n_steps is not None and program.n_steps < 0:
        assert program.n_steps_symbolic


@pytest.mark.rule("ORACLE-STRAT-1")
@given(scan_programs())
def test_oracle_strat_1__without_allow_errors_programs_run(program):
    assert not program.expects_error()
    inputs, outputs = program.build_reference()
    values = pytensor.function(inputs, outputs)(*program.input_values())
    assert len(values) == len(program.outputs)


@pytest.mark.rule("ORACLE-STRAT-1")
def test_oracle_strat_1__shrinks_to_small_programs():
    program = find(scan_programs(), lambda p: len(p.outputs) >= 2)
    assert program.row_shape == () and not program.sequences and not program.non_sequences
    assert len(program.outputs) == 2 and not any(o.multiple_taps for o in program.outputs)
    program = find(scan_programs(), lambda p: any(o.multiple_taps for o in p.outputs))
    assert len(program.outputs) == 1 and program.outputs[0].taps in ((-2,), (-3,), (-1, -2))


@pytest.mark.rule("ORACLE-STRAT-2")
def test_oracle_strat_2__one_source_for_both_libraries():
    f32 = lambda values: np.asarray(values, dtype="float32")  # noqa: E731
    program = ScanProgram(
        dtype="float32", row_shape=(2,),
        sequences=(Sequence("x0", (1, -1), f32([[1, 2], [3, 4], [5, 6], [7, 8]])),),
        outputs=(Output("h0", (-1,), f32([0, 0]), (1.0, 0.5, -1.0), 0.25, "tanh"),
                 Output("y1", (), None, (2.0, 0.0, 1.0), 0.0, "id")),
        non_sequences=(), n_steps=2, n_steps_symbolic=True, go_backwards=True, until=1.0)
    source = program.graph_source()
    assert "until(" in source and "go_backwards=True" in source and "n_steps=n" in source
    assert "import" not in source
    inputs, outputs = program.build("reference")
    assert [v.name for v in inputs] == program.input_names()
    script = program.source("reference")
    namespace = {}
    exec(compile(script, "<reproducer>", "exec"), namespace)  # prints the result
    assert "f" in namespace
    assert program.source("pytensor").startswith("import numpy as np\nimport pytensor\n")
    with pytest.raises(ValueError, match="library"):
        program.build("jax")


@pytest.mark.rule("ORACLE-STRAT-3")
@given(scan_programs(allow_errors=True))
def test_oracle_strat_3__numpy_loop_agrees_with_the_reference(program):
    note(program.source("reference"))
    inputs, outputs = program.build_reference()

    def numpy_loop(*_values):
        return program.run_numpy()

    assert_matches(numpy_loop, outputs, dict(zip(inputs, program.input_values(), strict=True)))


@pytest.mark.rule("ORACLE-STRAT-3")
def test_oracle_strat_3__errors_where_the_spec_raises():
    program = find(scan_programs(allow_errors=True), lambda p: p.expects_error())
    with pytest.raises(ValueError):
        program.run_numpy()
    inputs, outputs = program.build_reference()
    with pytest.raises(ValueError):
        pytensor.function(inputs, outputs)(*program.input_values())
    assert np.all([isinstance(v, np.ndarray) for v in program.input_values()])
