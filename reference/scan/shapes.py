"""Row shapes of outputs of a loop that ran zero steps.  Spec: spec/3-scan.rst (SCAN-OUT-3).

A mapped output's rows are fixed by what step 0 would return.  With zero steps no step
runs, so the row shape is inferred from the step's graph: each inner variable is known
either by value (when it depends only on non-sequences, shared values and constants, it
is computed) or by shape (propagated with each op's ``infer_shape``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.errors import SpecValueError
from reference.graph.basic import Constant, Variable
from reference.graph.shared import SharedVariable
from reference.graph.traversal import toposort
from reference.scan.spec import ScanSpec


def _known_inputs(spec: ScanSpec, outer: Any) -> tuple[dict[Variable, Any], dict[Variable, tuple]]:
    values: dict[Variable, Any] = {}
    shapes: dict[Variable, tuple] = {}
    for seq, value in zip(spec.sequences, outer.sequences, strict=True):
        for placeholder in seq.inner:
            shapes[placeholder] = tuple(value.shape[1:])
    for out, initial in zip(spec.recurrent, outer.initials, strict=True):
        for placeholder in out.inner:
            shapes[placeholder] = tuple(initial.shape[1:] if out.multiple_taps else initial.shape)
    for shared, value in zip(spec.shared_states, outer.shared, strict=True):
        values[shared.inner] = value
    for placeholder, value in zip(spec.non_sequences, outer.non_sequences, strict=True):
        values[placeholder] = value
    for variable, value in values.items():
        shapes[variable] = tuple(np.shape(value))
    return values, shapes


def infer_row_shapes(spec: ScanSpec, outer: Any, row_shapes: list[tuple | None]) -> list[tuple]:
    """Fill in the unknown row shapes (SCAN-OUT-3)."""
    values, shapes = _known_inputs(spec, outer)
    result = list(row_shapes)
    for o, out in enumerate(spec.outputs):
        if result[o] is not None:
            continue
        static = out.step.type.shape
        if None not in static:
            result[o] = tuple(static)
            continue
        try:
            result[o] = _shape_of(out.step, values, shapes)
        except LookupError as error:
            raise SpecValueError(
                "SCAN-OUT-3",
                f"scan {spec.name!r} ran zero steps and the row shape of output {out.name} "
                f"cannot be inferred without running a step ({error}); give the step's "
                "result a static shape with pt.specify_shape",
            ) from None
    return result


def _shape_of(target: Variable, values: dict[Variable, Any], shapes: dict[Variable, tuple]) -> tuple:
    for node in toposort([target]):
        inputs_known = True
        for variable in node.inputs:
            if variable in values:
                continue
            if isinstance(variable, Constant):
                values[variable] = variable.data
                shapes[variable] = variable.data.shape
            elif isinstance(variable, SharedVariable):
                values[variable] = variable.get_value(borrow=True)
                shapes[variable] = np.shape(values[variable])
            else:
                inputs_known = False
        if inputs_known and getattr(node.op, "constant_foldable", True):
            results = node.op.perform(node, *(values[v] for v in node.inputs))
            results = results if isinstance(results, tuple | list) else [results]
            for variable, value in zip(node.outputs, results, strict=True):
                values[variable] = value
                shapes[variable] = np.shape(value)
            continue
        if not hasattr(node.op, "infer_shape"):
            raise LookupError(f"{node.op} has no shape rule")
        in_shapes = []
        for variable in node.inputs:
            if variable not in shapes:
                raise LookupError(f"the shape of {variable} is unknown")
            in_shapes.append(shapes[variable])
        out_shapes = node.op.infer_shape(node, in_shapes, [values.get(v) for v in node.inputs])
        for variable, shape in zip(node.outputs, out_shapes, strict=True):
            shapes[variable] = tuple(int(n) for n in shape)
    if target in values:
        return tuple(np.shape(values[target]))
    return shapes[target]
