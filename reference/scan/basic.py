"""``scan()``: from the user's arguments to a loop node.  Spec: spec/3-scan.rst (SCAN-ARGS-*).

The steps, in order: normalise ``sequences``, ``outputs_info`` and ``non_sequences``
(SCAN-ARGS-1..4); make one placeholder per inner input and call ``fn`` with them in the
fixed order (SCAN-ARGS-5); split what ``fn`` returned (SCAN-BODY-1); find the shared and
free variables the step uses (SCAN-BODY-2, SCAN-BODY-3); check types (SCAN-TYPE-*); build
the :class:`~reference.scan.op.ScanOp` node.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from reference.errors import MissingInputError, SpecTypeError, SpecValueError
from reference.graph.basic import Constant, Variable, next_variable_id
from reference.graph.shared import RandomGeneratorType, SharedVariable
from reference.graph.traversal import clone_replace, graph_inputs
from reference.graph.type import INT_DTYPES, TensorType
from reference.scan.spec import MappedOutput, RecurrentOutput, ScanSpec, SequenceTaps, SharedState
from reference.scan.utils import until
from reference.tensor.variable import TensorVariable, as_tensor_variable, constant


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _label(variable: Variable, fallback: str) -> str:
    return variable.name if getattr(variable, "name", None) else fallback


def _tap_name(name: str, k: int) -> str:
    """``x[t]``, ``x[t+2]``, ``h[t-1]``: a placeholder's name (SCAN-PRINT-1)."""
    return f"{name}[t]" if k == 0 else f"{name}[t{k:+d}]"


# -- SCAN-ARGS: normalising the arguments ------------------------------------------------
def normalize_sequence(item: Any, i: int) -> tuple[TensorVariable, tuple[int, ...]]:
    """A sequence is a variable (tap 0) or ``dict(input=..., taps=[...])`` with any
    integer taps, in any order, repeats allowed (SCAN-ARGS-1)."""
    where = f"sequences[{i}]"
    if isinstance(item, Mapping):
        if "input" not in item:
            raise SpecValueError("SCAN-ARGS-1", f"{where}: a dict sequence needs the key 'input'")
        unknown = set(item) - {"input", "taps"}
        if unknown:
            raise SpecValueError("SCAN-ARGS-1", f"{where}: unexpected keys {sorted(unknown)}; expected 'input' and 'taps'")
        variable, taps = item["input"], item.get("taps", [0])
    else:
        variable, taps = item, [0]
    taps = [0] if taps is None else [taps] if isinstance(taps, int) else list(taps)
    if not taps:
        raise SpecValueError("SCAN-ARGS-1", f"{where}: taps must not be empty")
    if any(isinstance(k, bool) or not isinstance(k, int) for k in taps):
        raise SpecTypeError("SCAN-ARGS-1", f"{where}: taps must be Python ints, got {taps}")
    variable = as_tensor_variable(variable)
    if variable.ndim == 0:
        raise SpecTypeError("SCAN-ARGS-1", f"{where}: a sequence needs at least one axis to iterate over, got {variable.type}")
    return variable, tuple(taps)


def normalize_output_info(item: Any, i: int) -> tuple[TensorVariable | None, tuple[int, ...]]:
    """An ``outputs_info`` entry: ``None`` (mapped), a value (recurrent, taps ``[-1]``), or
    ``dict(initial=..., taps=[...])`` with distinct negative taps (SCAN-ARGS-2)."""
    where = f"outputs_info[{i}]"
    if item is None:
        return None, ()
    if isinstance(item, Mapping):
        unknown = set(item) - {"initial", "taps", "inplace"}
        if unknown:
            raise SpecValueError("SCAN-ARGS-2", f"{where}: unexpected keys {sorted(unknown)}; expected 'initial' and 'taps'")
        initial = item.get("initial")
        if initial is None:
            if item.get("taps"):
                raise SpecValueError("SCAN-ARGS-2", f"{where}: taps {item['taps']} need an initial state; add initial=...")
            return None, ()
        taps = item.get("taps", [-1])
        if taps is None:
            warnings.warn(f"{where}: taps=None with an initial state means taps=[-1]", UserWarning, stacklevel=4)
            taps = [-1]
    else:
        initial, taps = item, [-1]
    if is_generator(initial):  # SCAN-RNG-1: an untraced generator state, read at [-1] only
        if isinstance(taps, int) or not isinstance(taps, list | tuple) or list(taps) != [-1]:
            raise SpecTypeError("SCAN-RNG-1", f"{where}: a random generator state is read only at tap -1 "
                                f"(its previous value), got taps {taps!r}")
        if isinstance(initial, np.random.Generator):
            raise SpecTypeError("SCAN-RNG-1", f"{where}: a numpy Generator must be a variable: "
                                "pass pytensor.shared(generator)")
        return initial, (-1,)
    if isinstance(taps, int) or not isinstance(taps, list | tuple):
        raise SpecTypeError("SCAN-ARGS-2", f"{where}: taps must be a list of negative ints, got {taps!r}")
    if not taps:
        raise SpecValueError("SCAN-ARGS-2", f"{where}: taps must not be empty")
    if any(isinstance(k, bool) or not isinstance(k, int) for k in taps):
        raise SpecTypeError("SCAN-ARGS-2", f"{where}: taps must be Python ints, got {taps}")
    if len(set(taps)) != len(taps):
        raise SpecValueError("SCAN-ARGS-2", f"{where}: taps must be distinct, got {taps}")
    if any(k >= 0 for k in taps):
        raise SpecValueError("SCAN-ARGS-2", f"{where}: output taps must be negative (a step can only read earlier steps), got {taps}")
    return as_tensor_variable(initial), tuple(taps)


def is_generator(value: Any) -> bool:
    """A random generator: a variable of generator type, or a numpy ``Generator`` value."""
    return isinstance(value, np.random.Generator) or (
        isinstance(value, Variable) and isinstance(value.type, RandomGeneratorType))


def normalize_n_steps(n_steps: Any) -> TensorVariable | None:
    """``n_steps``: None, a non-negative integer, or a symbolic integer scalar (SCAN-STEPS-2)."""
    if n_steps is None:
        return None
    if isinstance(n_steps, float) and n_steps.is_integer():
        n_steps = int(n_steps)
    if isinstance(n_steps, bool) or (not isinstance(n_steps, Variable) and not hasattr(n_steps, "__index__")):
        raise SpecTypeError("SCAN-STEPS-2", f"n_steps must be an integer or an integer scalar variable, got {n_steps!r}")
    variable = as_tensor_variable(n_steps)
    if variable.ndim != 0 or variable.dtype not in INT_DTYPES:
        raise SpecValueError("SCAN-STEPS-2", f"n_steps must be an integer scalar, got {variable.type}")
    if isinstance(variable, Constant) and int(variable.data) < 0:
        from reference.scan.run import NegativeStepsError

        raise NegativeStepsError("SCAN-STEPS-4", f"n_steps must be >= 0, got {int(variable.data)}")
    if isinstance(variable, Constant):  # step 3 at build time: the loop reads an int64 constant
        return variable if variable.dtype == "int64" else constant(variable.data, dtype="int64")
    from reference.tensor.math import cast

    return cast(variable, "int64")


# -- SCAN-BODY: what fn returned ---------------------------------------------------------
def _is_update_pairs(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) > 0 and all(
        isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], SharedVariable) for p in value
    )


def split_step_result(result: Any) -> tuple[list[Any], list[tuple[Any, Any]], until | None]:
    """Split fn's return value into outputs, updates and the stop condition: in that order,
    each optional, the condition last (SCAN-BODY-1)."""
    if isinstance(result, until):
        return [], [], result
    if isinstance(result, Mapping):
        return [], list(result.items()), None
    if _is_update_pairs(result):
        return [], list(result), None
    if not isinstance(result, list | tuple):
        return [result], [], None
    items = list(result)
    condition = None
    if items and isinstance(items[-1], until):
        condition = items.pop()
    if any(isinstance(x, until) for x in items):
        raise SpecValueError("SCAN-BODY-1", "fn must return the until(...) condition last")
    updates: list[tuple[Any, Any]] = []
    if items and (isinstance(items[-1], Mapping) or _is_update_pairs(items[-1])):
        last = items.pop()
        updates = list(last.items()) if isinstance(last, Mapping) else list(last)
    if any(isinstance(x, Mapping) for x in items):
        raise SpecValueError("SCAN-BODY-1", "fn must return its outputs first, then the updates dict, then until(...)")
    if len(items) == 1 and isinstance(items[0], list | tuple):
        items = list(items[0])
    return items, updates, condition


def _as_step_output(value: Any, i: int, generator: bool = False) -> Variable:
    returned = is_generator(value)
    if generator and not returned:  # SCAN-RNG-1
        raise SpecTypeError("SCAN-RNG-1", f"output {i}: outputs_info[{i}] is a random generator, so fn must "
                            f"return the next generator there (e.g. next_rng, x = pt.random.normal(rng=r)"
                            f".owner.outputs), got {value!r}")
    if returned and not generator:  # SCAN-RNG-1
        raise SpecTypeError("SCAN-RNG-1", f"output {i}: fn returns a random generator ({value}) but "
                            f"outputs_info[{i}] is not one; give the generator as that initial state")
    if isinstance(value, TensorVariable) or returned:
        return value
    raise SpecValueError(
        "SCAN-BODY-1",
        f"output {i} returned by fn is {value!r} ({type(value).__name__}); fn must return "
        "symbolic variables (wrap constants with pt.constant or pt.as_tensor_variable)",
    )


# -- building the loop ---------------------------------------------------------------------
def scan(fn: Callable[..., Any], sequences: Any = None, outputs_info: Any = None,
         non_sequences: Any = None, n_steps: Any = None, truncate_gradient: int = -1,
         go_backwards: bool = False, mode: Any = None, name: str | None = None,
         profile: bool = False, allow_gc: bool | None = None, strict: bool = False,
         return_list: bool = False, return_updates: bool = True) -> Any:
    """Build a loop that applies ``fn`` step by step (spec chapter 3).

    ``fn`` receives, in order: each sequence's taps, each recurrent output's taps (in
    ``outputs_info`` order), then ``non_sequences``.  Returns ``(outputs, updates)``, or only
    the outputs with ``return_updates=False``.
    """
    from reference.config import config
    from reference.scan.op import ScanOp

    if not callable(fn):
        raise SpecTypeError("SCAN-ARGS-5", f"fn must be callable, got {fn!r}")
    import numbers

    if isinstance(truncate_gradient, bool) or not isinstance(truncate_gradient, numbers.Integral) or truncate_gradient < -1:
        raise SpecValueError("GRAD-SCAN-8", f"truncate_gradient must be -1 (no truncation) or an int >= 0, got {truncate_gradient!r}")
    truncate_gradient = int(truncate_gradient)  # GRAD-SCAN-8: numpy integers too
    name = name or "scan_fn"

    sequence_items = [normalize_sequence(s, i) for i, s in enumerate(_as_list(sequences))]
    output_items = [normalize_output_info(o, i) for i, o in enumerate(_as_list(outputs_info))]
    explicit = [x if isinstance(x, Variable) else as_tensor_variable(x) for x in _as_list(non_sequences)]  # SCAN-ARGS-4
    steps = normalize_n_steps(n_steps)
    if steps is None and not sequence_items:
        raise SpecValueError("SCAN-STEPS-1", "scan needs n_steps or at least one sequence to know how many steps to run")

    # SCAN-ARGS-5: one placeholder per inner input, passed to fn in the fixed order
    sequences_spec = []
    args: list[Variable] = []
    for i, (variable, taps) in enumerate(sequence_items):
        label = _label(variable, f"sequences[{i}]")
        row = TensorType(variable.dtype, variable.type.shape[1:])
        inner = tuple(row(_tap_name(label, k)) for k in taps)
        sequences_spec.append((variable, SequenceTaps(label, taps, inner)))
        args.extend(inner)
    recurrent_inner: list[tuple[Variable, tuple[int, ...], tuple[Variable, ...], str] | None] = []
    for i, (initial, taps) in enumerate(output_items):
        if initial is None:
            recurrent_inner.append(None)
            continue
        label = _label(initial, f"outputs_info[{i}]")
        if is_generator(initial):  # SCAN-RNG-1: fn receives the current generator
            placeholder = RandomGeneratorType().make_variable(None, None)
            placeholder.name = _tap_name(label, -1)
            recurrent_inner.append((initial, taps, (placeholder,), label))
            args.append(placeholder)
            continue
        multiple = list(taps) != [-1]
        if multiple and initial.ndim == 0:
            raise SpecTypeError("SCAN-ARGS-2", f"outputs_info[{i}]: taps {list(taps)} need an initial state with a leading axis of at least {-min(taps)} rows, got the scalar {initial.type}")
        row = TensorType(initial.dtype, initial.type.shape[1:] if multiple else initial.type.shape)
        inner = tuple(row(_tap_name(label, k)) for k in taps)
        recurrent_inner.append((initial, taps, inner, label))
        args.extend(inner)
    args.extend(explicit)  # SCAN-ARGS-4: fn receives each non-sequence itself

    created_from = next_variable_id()  # SCAN-UPD-3: shared variables fn creates have later ids
    result = fn(*args)
    raw_outputs, raw_updates, stop = split_step_result(result)
    generator_at = {i for i, (initial, _) in enumerate(output_items) if initial is not None and is_generator(initial)}
    step_outputs = [_as_step_output(v, i, i in generator_at) for i, v in enumerate(raw_outputs)]
    if output_items and len(output_items) != len(step_outputs):
        raise SpecValueError(
            "SCAN-ARGS-3",
            f"fn returned {len(step_outputs)} output(s) but outputs_info has {len(output_items)} "
            "entries; give one entry per output (None for an output that does not feed back)",
        )
    if not output_items:
        recurrent_inner = [None] * len(step_outputs)
    # SCAN-RNG-1: generator states are untraced states, carried like shared states
    generator_states = [(i, recurrent_inner[i], step_outputs[i]) for i in sorted(generator_at)]
    step_outputs = [v for i, v in enumerate(step_outputs) if i not in generator_at]
    recurrent_inner = [r for i, r in enumerate(recurrent_inner) if i not in generator_at]

    # SCAN-BODY-2: shared variables with updates become loop state
    updates: list[tuple[SharedVariable, TensorVariable]] = []
    for target, value in raw_updates:
        if not isinstance(target, SharedVariable):
            raise SpecTypeError("SCAN-UPD-4", f"update target must be a shared variable, got {target} ({type(target).__name__})")
        if not isinstance(value, Variable):
            value = as_tensor_variable(value, dtype=target.type.dtype)
        updates.append((target, value))
    condition = None if stop is None else stop.condition
    visible = step_outputs + [v for _, v in updates] + [v for _, _, v in generator_states] + ([condition] if condition is not None else [])
    updates.extend(_absorb_default_updates(visible, updates, created_from))

    everything = step_outputs + [v for _, v in updates] + [v for _, _, v in generator_states] + ([condition] if condition is not None else [])
    # SCAN-ARGS-4: then each non-sequence (not shared, not a constant) is replaced in the
    # step by a placeholder bound to its value at every step; fn could take gradients
    # through the variable itself (grad(y[i], x) with y = f(x), both non-sequences)
    non_sequence_inner = [x if isinstance(x, SharedVariable | Constant) else x.type(x.name) for x in explicit]
    explicit_replace: dict[Variable, Variable] = {}
    for outer, inner in zip(explicit, non_sequence_inner, strict=True):
        if inner is not outer and outer not in explicit_replace:
            explicit_replace[outer] = inner
    if explicit_replace:
        everything = clone_replace(everything, explicit_replace)

    # SCAN-BODY-3: free variables and shared variables become non-sequences
    # a shared variable given in non_sequences is passed to fn as itself; like one used
    # implicitly it becomes an outer input, so gradients reach it (GRAD-SCAN-5)
    step_arguments = args[:len(args) - len(explicit)] + non_sequence_inner  # what the step binds
    placeholders = {id(v) for v in step_arguments if not isinstance(v, SharedVariable | Constant)}
    updated = {id(t) for t, _ in updates}
    implicit = [r for r in graph_inputs(everything)
                if id(r) not in placeholders and not isinstance(r, Constant) and id(r) not in updated]
    if strict:
        explicit_ids = {id(x) for x in explicit}
        for root in implicit:
            if isinstance(root, SharedVariable) and id(root) not in explicit_ids:
                raise MissingInputError(
                    "SCAN-STRICT-1",
                    f"strict=True: fn uses shared variable {root} which is not in non_sequences; "
                    "pass it in non_sequences (and as an argument of fn)",
                )
    replace: dict[Variable, Variable] = {}
    outer_non_sequences: list[Variable] = []
    inner_non_sequences: list[Variable] = []
    for outer, arg in zip(explicit, non_sequence_inner, strict=True):
        if isinstance(arg, SharedVariable | Constant):
            continue
        outer_non_sequences.append(outer)
        inner_non_sequences.append(arg)
    for root in implicit:
        if any(root is o for o in outer_non_sequences):
            continue
        placeholder = root.type.make_variable(None, None) if not hasattr(root, "dtype") else root.type(root.name)
        placeholder.name = root.name
        replace[root] = placeholder
        outer_non_sequences.append(root)
        inner_non_sequences.append(placeholder)
    states = []
    for target, value in updates:
        inner = target.type(target.name) if hasattr(target, "dtype") else target.type.make_variable(None, None)
        inner.name = target.name
        replace[target] = inner
        states.append((target, inner, value))
    rebuilt = clone_replace(everything, replace) if replace else everything
    n_out = len(step_outputs)
    step_outputs = rebuilt[:n_out]
    state_updates = rebuilt[n_out:n_out + len(states)]
    generator_steps = rebuilt[n_out + len(states):n_out + len(states) + len(generator_states)]
    condition = rebuilt[-1] if condition is not None else None

    outputs_spec = []
    initials = []
    for i, (step, rec) in enumerate(zip(step_outputs, recurrent_inner, strict=True)):
        if rec is None:
            outputs_spec.append(MappedOutput(_label(step, f"outputs[{i}]"), step))
            continue
        initial, taps, inner, label = rec
        check_recurrent_type(i, initial, step, list(taps) != [-1])
        outputs_spec.append(RecurrentOutput(label, taps, inner, step, list(taps) != [-1]))
        initials.append(initial)
    shared_states = []
    for (target, inner, _), value in zip(states, state_updates, strict=True):
        check_update_type(target, value)
        shared_states.append(SharedState(target, inner, value))
    for (i, (initial, _, (inner,), _), _), value in zip(generator_states, generator_steps, strict=True):
        shared_states.append(SharedState(initial, inner, value, output=i))  # SCAN-RNG-1

    spec = ScanSpec(
        sequences=tuple(s for _, s in sequences_spec),
        outputs=tuple(outputs_spec),
        shared_states=tuple(shared_states),
        non_sequences=tuple(inner_non_sequences),
        condition=condition,
        go_backwards=bool(go_backwards),
        truncate_gradient=truncate_gradient,
        name=name,  # SCAN-OPTS-1: name, mode, profile, allow_gc are stored, never used by the semantics
        mode=_loop_mode(mode),  # FN-ARGS-2: PyTensor's names and Mode objects map to ours
        profile=bool(profile),
        allow_gc=config.scan__allow_gc if allow_gc is None else bool(allow_gc),
        n_steps_given=steps is not None,
    )
    op = ScanOp(spec)
    outer_inputs = ([steps] if steps is not None else []) + [v for v, _ in sequences_spec] + initials + [s.variable for s in shared_states] + outer_non_sequences
    node = op.make_node(*outer_inputs)
    traces = list(node.outputs[:len(outputs_spec)])
    finals = node.outputs[len(outputs_spec):]
    update_map = {s.variable: v for s, v in zip(shared_states, finals, strict=True) if s.output is None}
    for s, final in zip(shared_states, finals, strict=True):
        if s.output is not None:
            traces.insert(s.output, final)  # SCAN-RNG-1: the final generator, in its outputs_info place
    if not traces:  # SCAN-RESULT-1
        outputs: Any = None
    elif len(traces) == 1 and not return_list:
        outputs = traces[0]
    else:
        outputs = list(traces)
    if not return_updates:
        if update_map:
            raise SpecValueError(
                "SCAN-UPD-5",
                f"return_updates=False but the loop updates {[str(k) for k in update_map]}; "
                "use return_updates=True and pass the updates to function, or carry the state "
                "through outputs_info",
            )
        return outputs
    return outputs, update_map


def _absorb_default_updates(visible: list[Variable], updates: list,
                            created_from: int) -> list[tuple[SharedVariable, Variable]]:
    """Shared variables the step uses whose ``default_update`` is set (random generators)
    and that ``fn`` created (ids from ``created_from`` on) become loop state updated by that
    expression; their default update is cleared, so only the loop's returned updates
    advance them (SCAN-UPD-3, RAND-SCAN-1, RAND-STREAM-3).  One created before ``fn`` ran (a
    draw made outside the loop) is an ordinary shared input: every step reads the same
    state, and its default update stays with the graph around the loop."""
    absorbed: list[tuple[SharedVariable, Variable]] = []
    taken = {id(t) for t, _ in updates}
    pending = list(visible)
    while pending:
        found = []
        for root in graph_inputs(pending):
            if (isinstance(root, SharedVariable) and root.default_update is not None and id(root) not in taken
                    and root.auto_id >= created_from):
                taken.add(id(root))
                absorbed.append((root, root.default_update))
                found.append(root.default_update)
                root.default_update = None
        pending = found
    return absorbed


def check_recurrent_type(i: int, initial: TensorVariable, step: TensorVariable, multiple: bool) -> None:
    """The step output has the initial state's dtype exactly, and its row's ndim
    (SCAN-TYPE-1, SCAN-TYPE-2); static lengths must not contradict (SCAN-TYPE-3)."""
    if step.dtype != initial.dtype:
        raise SpecValueError(
            "SCAN-TYPE-1",
            f"outputs_info[{i}]: the initial state has dtype {initial.dtype} but fn returns "
            f"dtype {step.dtype} for this output; scan does not cast implicitly. Give the "
            f"initial state dtype {step.dtype} (e.g. np.asarray(value, dtype='{step.dtype}') or "
            f"pt.cast(init, '{step.dtype}')), or cast the step's result",
        )
    row_shape = initial.type.shape[1:] if multiple else initial.type.shape
    if step.ndim != len(row_shape):
        what = "one less than the initial state's" if multiple else "the initial state's"
        raise SpecValueError(
            "SCAN-TYPE-2",
            f"outputs_info[{i}]: fn returns {step.ndim} dimension(s) for this output, expected "
            f"{len(row_shape)} ({what}: {initial.type})",
        )
    for axis, (a, b) in enumerate(zip(row_shape, step.type.shape, strict=True)):
        if a is not None and b is not None and a != b:
            raise SpecValueError(
                "SCAN-TYPE-3",
                f"outputs_info[{i}]: the state's rows have length {a} on axis {axis} but fn "
                f"returns length {b}",
            )


def check_update_type(target: SharedVariable, value: Variable) -> None:
    """An update inside a loop has the shared variable's dtype and ndim (SCAN-UPD-4)."""
    if target.type.dtype != value.type.dtype or target.type.ndim != value.type.ndim:
        raise SpecTypeError(
            "SCAN-UPD-4",
            f"the update of shared variable {target} must have its type {target.type}, got "
            f"{value} of type {value.type}",
        )


def _loop_mode(mode: Any) -> Any:
    """The loop's own mode, None, "python", "c" or "check" (FN-ARGS-2, KERN-MODE-1)."""
    from reference.compile.mode import reference_mode

    return reference_mode(mode)
