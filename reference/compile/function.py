"""``function``: compile a graph into a callable.  Spec: spec/1-graphs.rst (FN-*)."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from reference.compile.io import In, Out
from reference.config import config
from reference.errors import MissingInputError, SpecTypeError, SpecValueError, UnusedInputError
from reference.evaluate import Schedule, TraceHook, evaluate_graph
from reference.graph.basic import Constant, Variable
from reference.graph.shared import SharedVariable
from reference.graph.traversal import clone_replace, graph_inputs, toposort
from reference.graph.type import TensorType


def _pairs(mapping: Any, argument: str) -> list[tuple[Any, Any]]:
    if mapping is None:
        return []
    if isinstance(mapping, Mapping):
        return list(mapping.items())
    try:
        pairs = [tuple(pair) for pair in mapping]
    except TypeError:
        raise SpecTypeError("FN-ARGS-1", f"{argument} must be a dict or a list of pairs") from None
    if any(len(pair) != 2 for pair in pairs):
        raise SpecTypeError("FN-ARGS-1", f"{argument} must be a dict or a list of (variable, value) pairs")
    return pairs


def _as_constant(type_: Any, value: Any, rule: str, what: str) -> Variable:
    """A Python or numpy value given for a variable of type ``type_``: converted as a
    function input of that type is (FN-INPUT-1 .. FN-INPUT-4), kept as a constant of
    exactly that type.  A refused conversion is an error of ``rule``."""
    from reference.tensor.variable import TensorConstant

    if not isinstance(type_, TensorType):
        raise SpecTypeError(rule, f"{what} must be a variable of type {type_}, got {value!r}")
    try:
        return TensorConstant(type_, type_.filter(value, argument=what))
    except SpecTypeError as error:
        raise SpecTypeError(rule, error.message) from None


def update_type_error(target_type: Any, value_type: Any) -> str | None:
    """Why a value of ``value_type`` cannot update a shared variable of ``target_type``, or
    None (FN-UPDATE-1).  Tensors: same dtype and ndim, no two different known lengths,
    and no length 1 where the variable's length is unknown (PyTensor's broadcastable rule);
    a less specific type is checked when the value is stored (SHARED-VALUE-2)."""
    if not isinstance(target_type, TensorType) or not isinstance(value_type, TensorType):
        return None if value_type == target_type else "the types differ"
    if value_type.dtype != target_type.dtype or value_type.ndim != target_type.ndim:
        return "dtype and ndim must be the variable's"
    for axis, (t, v) in enumerate(zip(target_type.shape, value_type.shape, strict=True)):
        if t is not None and v is not None and t != v:
            return f"axis {axis} has static length {v}, the variable's is {t}"
        if t is None and v == 1:
            return f"axis {axis} has static length 1 (broadcastable), the variable's is unknown"
    return None


def checked_update(target: Any, value: Any) -> tuple[SharedVariable, Variable]:
    """One ``(shared variable, new value)`` pair, checked (FN-UPDATE-1)."""
    if not isinstance(target, SharedVariable):
        raise SpecTypeError("FN-UPDATE-1", f"update target must be a shared variable, got {target} ({type(target).__name__})")
    if not isinstance(value, Variable):
        value = _as_constant(target.type, value, "FN-UPDATE-1", f"the update of shared variable {target}")
    reason = update_type_error(target.type, value.type)
    if reason is not None:
        raise SpecTypeError(
            "FN-UPDATE-1",
            f"the update of shared variable {target} must have its type {target.type}, "
            f"but the update value {value} has type {value.type} ({reason})",
        )
    return target, value


def collect_updates(updates: Any, outputs: Sequence[Variable], defaults: Any = True) -> list[tuple[SharedVariable, Variable]]:  # noqa: E501
    """The explicit updates, checked, then the default updates of shared variables the
    graph uses and no explicit update names, checked the same way (FN-UPDATE-1,
    FN-UPDATE-2, SHARED-UPDATE-2).  ``defaults`` is True, False, or the shared variables
    whose default updates are not applied (``no_default_updates`` given as a list)."""
    result: list[tuple[SharedVariable, Variable]] = []
    for target, value in _pairs(updates, "updates"):
        if any(target is t for t, _ in result):
            raise SpecValueError("FN-UPDATE-1", f"shared variable {target} has two updates")
        result.append(checked_update(target, value))
    return result + default_updates(result, outputs, defaults)


def default_updates(explicit: list[tuple[SharedVariable, Variable]], outputs: Sequence[Variable],
                    defaults: Any = True) -> list[tuple[SharedVariable, Variable]]:
    """FN-UPDATE-2: the default updates of the shared variables that ``outputs`` and the
    update values read, then those their default updates read, and so on; none of the
    variables ``explicit`` updates, none with ``defaults`` false, and none of the
    variables ``defaults`` lists."""
    if defaults is True or defaults is False or defaults is None:
        if not defaults:
            return []
        excluded: set[int] = set()
    else:
        excluded = {id(v) for v in defaults}
    result: list[tuple[SharedVariable, Variable]] = []
    pending = [v for _, v in explicit] + list(outputs)
    seen: set[int] = {id(t) for t, _ in explicit} | excluded
    while pending:
        roots = graph_inputs(pending)
        pending = []
        for root in roots:
            # RAND-STREAM-3: a generator advances only through an update; RAND-STREAM-5: the
            # state lives in the shared variable, so every function using it shares it
            if isinstance(root, SharedVariable) and root.default_update is not None and id(root) not in seen:
                seen.add(id(root))
                result.append(checked_update(root, root.default_update))
                pending.append(root.default_update)
    return result


def _defaults(no_default_updates: Any) -> Any:
    """``no_default_updates`` (a bool, or the shared variables to leave alone) as
    :func:`default_updates`' ``defaults``."""
    if isinstance(no_default_updates, bool | None):
        return not no_default_updates
    if isinstance(no_default_updates, list | tuple | set | frozenset):
        for v in no_default_updates:
            if not isinstance(v, SharedVariable):
                raise SpecTypeError("FN-UPDATE-2", f"no_default_updates must be a bool or a list of shared variables, got {v!r} in it")
        return list(no_default_updates)
    raise SpecTypeError("FN-UPDATE-2", f"no_default_updates must be a bool or a list of shared variables, got {no_default_updates!r}")


class Function:
    """A compiled graph.  Call it with the inputs' values (positionally or by name)."""

    def __init__(self, inputs: Sequence[Variable], outputs: Any, updates: Any = None, givens: Any = None,
                 mode: Any = None, name: str | None = None, on_unused_input: str | None = None,
                 allow_input_downcast: bool | None = None, no_default_updates: bool = False,
                 trust_input: bool = False, rebuild_strict: bool = True) -> None:
        from reference.compile.mode import get_mode, reference_mode

        #: how the function was built, for copy()
        self._build_args = dict(inputs=inputs, outputs=outputs, updates=updates, givens=givens, mode=mode,
                                name=name, on_unused_input=on_unused_input,
                                allow_input_downcast=allow_input_downcast, no_default_updates=no_default_updates,
                                trust_input=trust_input, rebuild_strict=rebuild_strict)
        reference_mode(mode)  # FN-ARGS-2: an unknown mode is an error naming `mode`
        self.mode = mode if mode is not None else config.mode
        self.name = name
        self.allow_input_downcast = allow_input_downcast
        #: FN-INPUT-1 .. 4 always apply: reference checks every argument (FN-ARGS-1)
        self.trust_input = bool(trust_input)
        if isinstance(inputs, In):
            raise SpecTypeError("FN-ARGS-1", "inputs must be a list of variables, got a single In")
        items = self._check_in_items(inputs)
        self.inputs = self._check_inputs([item.variable if isinstance(item, In) else item for item in items])
        #: each input's In (FN-IN-1): a plain variable is In(variable)
        self.input_specs = [item if isinstance(item, In) else In(item) for item in items]
        #: the keyword that passes each input (FN-IN-1)
        self.input_names = [spec.name for spec in self.input_specs]
        self.single_output = isinstance(outputs, Variable | Out)
        self.output_specs = self._output_specs(outputs)
        self.outputs = [spec.variable for spec in self.output_specs]
        self.output_borrow = [spec.borrow for spec in self.output_specs]  # FN-OUT-1
        in_updates = [(spec.value, spec.update) for spec in self.input_specs  # FN-IN-2
                      if spec.update is not None and spec.value is not None]
        explicit = _pairs(updates, "updates") + in_updates
        update_pairs = collect_updates(explicit, self.outputs, defaults=False)
        replacements = _pairs(givens, "givens")
        if replacements:
            self.outputs, update_pairs = self._apply_givens(replacements, self.outputs, update_pairs,
                                                            strict=rebuild_strict)
        cut = {v: v.clone() for v in self.inputs if v.owner is not None}
        if cut:  # FN-ARGS-1: an input computed by an op is cut from its graph and becomes a root
            self.inputs = [cut.get(v, v) for v in self.inputs]
            self.outputs, update_pairs = self._apply_givens(list(cut.items()), self.outputs, update_pairs)
        # FN-UPDATE-2: default updates of what the graph reads once givens and cut inputs
        # are in place (a shared variable replaced by givens, or above an input, is not read)
        update_pairs += default_updates(update_pairs, self.outputs, _defaults(no_default_updates))
        self.update_targets = [t for t, _ in update_pairs]
        self.update_values = [v for _, v in update_pairs]
        from reference.scan.storage import plan_storage

        self.computed, self.plan = plan_storage(self.outputs + self.update_values)  # SCAN-MEM-1
        from reference._cloop.dispatch import assign_modes

        self.computed = assign_modes(self.computed, self.mode)  # KERN-MODE-1
        self.order = toposort(self.computed)
        self._check_graph(on_unused_input or config.on_unused_input)  # GRAPH-CONFIG-1
        #: each input's name in error messages
        self.input_labels = [f"input {i}" + (f" ({name})" if name else "") for i, name in enumerate(self.input_names)]
        #: the graph's constants, bound once per call (GRAPH-EVAL-2: a constant's value is its data)
        self.constants = {v: v.data for node in self.order for v in node.inputs if isinstance(v, Constant)}
        #: the order with each node's run prepared once (GRAPH-EVAL-3)
        self.schedule = Schedule(self.order, outputs=self.computed)  # GRAPH-EVAL-5
        #: PyTensor's ``f.maker`` (FN-ATTR-1): the mode, the In and Out specs and the graph
        self.maker = FunctionMaker(get_mode(self.mode), self.input_specs, self.output_specs,
                                   FunctionGraphView(self.inputs, self.computed))
        #: how a call evaluates the graph: evaluate_graph, or MonitorMode's loop (FN-MODE-2)
        self._evaluate = self._evaluator()

    def _evaluator(self) -> Any:
        """``evaluate_graph``; under a MonitorMode, its monitored loop (FN-MODE-2), chosen
        once so that a call without a monitor costs nothing more."""
        from reference.compile.monitormode import MonitorMode, evaluate_monitored

        mode = self.maker.mode
        if not isinstance(mode, MonitorMode):
            return evaluate_graph
        index = {node: i for i, node in enumerate(self.order)}
        return functools.partial(evaluate_monitored, mode=mode, fgraph=self.maker.fgraph, index=index)

    # -- pickling (FN-PICKLE-1) -----------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        """The function's state without its schedule (each node's prepared run, closures)
        and evaluator (FN-PICKLE-1); loop ops pickle without their C-kernel programs."""
        state = dict(self.__dict__)
        del state["schedule"], state["_evaluate"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A loaded function plans its schedule and chooses its evaluator at its first call
        (FN-PICKLE-1): while unpickling, the graph may not be complete yet."""
        self.__dict__.update(state)
        self.schedule = None
        self._evaluate = _PlanAtFirstCall(self)

    def __copy__(self) -> Function:
        """``copy.copy(f)`` is ``f.copy()``, sharing the shared variables (FN-PICKLE-1)."""
        return self.copy()

    # -- compile-time checks ------------------------------------------------------------
    @staticmethod
    def _check_in_items(inputs: Any) -> list[Any]:
        if isinstance(inputs, Variable):
            raise SpecTypeError("FN-ARGS-1", "inputs must be a list of variables, got a single variable")
        if not isinstance(inputs, list | tuple):  # a set or a dict has no order
            raise SpecTypeError("FN-ARGS-1", f"inputs must be a list or tuple of variables, got a {type(inputs).__name__}")
        return list(inputs)

    @staticmethod
    def _output_specs(outputs: Any) -> list[Out]:
        """``outputs`` as Out specs (FN-ARGS-1, FN-OUT-1)."""
        if isinstance(outputs, Out):
            return [outputs]
        if isinstance(outputs, list | tuple):
            plain = [o.variable if isinstance(o, Out) else o for o in outputs]
            variables = Function._check_outputs(plain)
            return [o if isinstance(o, Out) else Out(v) for o, v in zip(outputs, variables, strict=True)]
        return [Out(v) for v in Function._check_outputs(outputs)]

    @staticmethod
    def _check_inputs(inputs: Any) -> list[Variable]:
        if isinstance(inputs, Variable):
            raise SpecTypeError("FN-ARGS-1", "inputs must be a list of variables, got a single variable")
        result = []
        for i, variable in enumerate(inputs):
            if not isinstance(variable, Variable):
                raise SpecTypeError("FN-ARGS-1", f"inputs[{i}] must be a variable, got {variable!r}")
            if isinstance(variable, Constant):
                raise SpecTypeError("FN-ARGS-1", f"inputs[{i}] is the constant {variable}; constants cannot be inputs")
            if isinstance(variable, SharedVariable):
                raise SpecTypeError("FN-ARGS-1", f"inputs[{i}] is the shared variable {variable}; shared variables cannot be explicit inputs (use givens to substitute one)")
            if any(variable is other for other in result):
                raise SpecValueError("FN-ARGS-1", f"inputs[{i}] = {variable} is given twice")
            result.append(variable)
        return result

    @staticmethod
    def _check_outputs(outputs: Any) -> list[Variable]:
        if outputs is None:
            return []
        if isinstance(outputs, Variable):
            return [outputs]
        if not isinstance(outputs, list | tuple):
            raise SpecTypeError("FN-ARGS-1", f"outputs must be a variable or a list of variables, got {outputs!r} of type {type(outputs).__name__}")
        for i, output in enumerate(outputs):
            if not isinstance(output, Variable):
                raise SpecTypeError("FN-ARGS-1", f"outputs[{i}] must be a variable, got {output!r} of type {type(output).__name__}")
        return list(outputs)

    @staticmethod
    def _apply_givens(replacements: list, outputs: list, update_pairs: list,
                      strict: bool = True) -> tuple[list, list]:
        """Replace variables before compiling (FN-GIVENS-1); types must agree, unless
        ``strict`` is false (``rebuild_strict=False``): then the nodes rebuilt on the new
        variables take the types their ops give them."""
        mapping = {}
        for old, new in replacements:
            if not isinstance(old, Variable):
                raise SpecTypeError("FN-GIVENS-1", f"givens keys must be variables, got {old!r}")
            if not isinstance(new, Variable):
                new = _as_constant(old.type, new, "FN-GIVENS-1", f"givens: the value for {old}")
            if strict and old.type != new.type and not (hasattr(old.type, "is_super") and old.type.is_super(new.type)):
                raise SpecTypeError("FN-GIVENS-1", f"givens: {old} of type {old.type} cannot be replaced by {new} of type {new.type}")
            mapping[old] = new
        computed = clone_replace(outputs + [v for _, v in update_pairs], mapping)
        n = len(outputs)
        return computed[:n], [(t, v) for (t, _), v in zip(update_pairs, computed[n:], strict=True)]

    def _check_graph(self, on_unused_input: str) -> None:
        roots = graph_inputs(self.computed)
        root_ids = {id(r) for r in roots}
        input_ids = {id(v) for v in self.inputs}
        for root in roots:
            if id(root) not in input_ids and not isinstance(root, Constant | SharedVariable):
                raise MissingInputError(
                    "FN-INPUT-5",
                    f"the outputs depend on {root} of type {root.type}, which is not in the inputs "
                    "and has no value; add it to the inputs or give it through givens",
                )
        if on_unused_input not in ("raise", "warn", "ignore"):
            raise SpecValueError("FN-ARGS-1", f"on_unused_input must be 'raise', 'warn' or 'ignore', got {on_unused_input!r}")
        for i, variable in enumerate(self.inputs):
            if id(variable) not in root_ids and on_unused_input != "ignore":
                message = (
                    f"input {i} ({variable}) is not used to compute the outputs; pass "
                    "on_unused_input='warn' or 'ignore' to allow it"
                )
                if on_unused_input == "raise":
                    raise UnusedInputError("FN-ARGS-3", message)
                warnings.warn(message, stacklevel=3)

    # -- calling ------------------------------------------------------------------------
    def bind_arguments(self, args: tuple, kwargs: dict) -> dict[Variable, Any]:
        """Match call arguments to inputs and convert them (FN-CALL-1, FN-INPUT-1 .. -4)."""
        if len(args) > len(self.inputs):
            raise SpecTypeError("FN-CALL-1", f"{self._label()} takes {len(self.inputs)} inputs, got {len(args)}")
        values: list[Any] = list(args) + [_MISSING] * (len(self.inputs) - len(args))
        for key, value in kwargs.items():
            matches = [i for i, name in enumerate(self.input_names) if name == key]  # FN-IN-1
            if not matches:
                raise SpecTypeError("FN-CALL-1", f"{self._label()} has no input named {key!r}")
            if len(matches) > 1:
                raise SpecTypeError("FN-CALL-1", f"{self._label()}: the name {key!r} is ambiguous (inputs {matches})")
            if values[matches[0]] is not _MISSING:
                raise SpecTypeError("FN-CALL-1", f"{self._label()} got input {key!r} twice")
            values[matches[0]] = value
        env: dict[Variable, Any] = {}
        for i, variable in enumerate(self.inputs):
            value, label, spec = values[i], self.input_labels[i], self.input_specs[i]
            allow_downcast = self.allow_input_downcast if spec.allow_downcast is None else spec.allow_downcast
            if spec.value is not None:  # FN-IN-2: the input's value lives in a shared variable
                if value is not _MISSING and spec.implicit:
                    raise SpecTypeError("FN-IN-2", f"{self._label()}: {label} is implicit (its value is shared variable {spec.value}); it cannot be given")
                if value is not _MISSING:
                    spec.value.set_value(value)
                value = spec.value.get_value(borrow=True)
            if value is _MISSING:
                raise SpecTypeError("FN-CALL-1", f"{self._label()}: missing {label}")
            if spec.strict and not (isinstance(value, np.ndarray) and value.dtype == variable.type.numpy_dtype):
                raise SpecTypeError("FN-IN-1", f"{self._label()}: {label} is strict: it must be an ndarray of dtype {variable.type.dtype}, got {value!r}")
            env[variable] = variable.type.filter(value, argument=label, allow_downcast=allow_downcast)
        return env

    def __call__(self, *args: Any, trace: TraceHook | bool | None = None, on_step: Any = None,
                 **kwargs: Any) -> Any:
        """Evaluate outputs and update values, then apply the updates together (FN-UPDATE-3).

        ``trace=True`` returns ``(outputs, Trace)``; ``on_step`` is called after each node
        of each loop step (ORACLE-TRACE-1, ORACLE-TRACE-2; :mod:`reference.trace`)."""
        if trace is True or on_step is not None:
            from reference.trace import call_traced

            return call_traced(self, args, kwargs, hook=None if trace is True else trace,
                               on_step=on_step, want_trace=trace is True)
        env = self.bind_arguments(args, kwargs)
        env.update(self.constants)
        results = self._evaluate(self.computed, env, trace=trace, order=self.schedule)
        n = len(self.outputs)
        if any(self.output_borrow):  # FN-OUT-1
            outputs = [self._borrowed(value, env) if borrow else _fresh(value)
                       for value, borrow in zip(results[:n], self.output_borrow, strict=True)]
        else:
            outputs = [_fresh(value) for value in results[:n]]  # FN-CALL-1: outputs never alias
        if self.update_targets:  # FN-UPDATE-3: every new value is checked, then all are set
            new_values = [target.filter_value(value) for target, value in
                          zip(self.update_targets, results[n:], strict=True)]
            for target, value in zip(self.update_targets, new_values, strict=True):
                target.set_value(value, borrow=True)
        if self.single_output:
            return outputs[0]
        return outputs

    def _borrowed(self, value: Any, env: Mapping[Variable, Any]) -> Any:
        """An Out(borrow=True) output (FN-OUT-1): returned as it is, unless it may share
        memory with the caller's array for an input that is not In(borrow=True)."""
        if not isinstance(value, np.ndarray):
            return value
        for variable, spec in zip(self.inputs, self.input_specs, strict=True):
            if not spec.borrow and spec.value is None and np.may_share_memory(value, env[variable]):
                return value.copy()
        return value

    # -- PyTensor's Function methods (FN-ATTR-1) ----------------------------------------
    def copy(self, share_memory: bool = False, swap: Any = None, delete_updates: bool = False,
             name: str | None = None, profile: Any = None) -> Function:
        """A new function of the same graph (FN-ATTR-1).  ``swap`` maps shared variables to
        other shared variables of the same type, read and updated in their place;
        ``delete_updates`` drops the updates; ``share_memory`` has nothing to share."""
        args = dict(self._build_args)
        if name is not None:
            args["name"] = name
        if delete_updates:
            args["updates"], args["no_default_updates"] = None, True
            # an input used only by the dropped updates stays an (unused) input
            args["on_unused_input"] = "ignore"
        if swap:
            pairs = _pairs(swap, "swap")
            for old, new in pairs:
                if not isinstance(old, SharedVariable) or not isinstance(new, SharedVariable) or old.type != new.type:
                    raise SpecTypeError("FN-ATTR-1", f"copy: swap must map shared variables to shared variables of the same type, got {old!r}: {new!r}")
            mapping = dict(pairs)
            args["updates"] = [(mapping.get(t, t), v) for t, v in _pairs(args["updates"], "updates")]
            # the givens' values read the swapped variables too (train.copy(swap={x: test_x}))
            args["givens"] = [(k, clone_replace(v, mapping) if isinstance(v, Variable) else v)
                              for k, v in _pairs(args["givens"], "givens")] + pairs
        return Function(**args)

    def free(self) -> None:
        """Release intermediate storage: a function keeps none between calls (FN-ATTR-1)."""

    def get_shared(self) -> list[SharedVariable]:
        """The shared variables the function reads or updates (FN-ATTR-1)."""
        found: list[SharedVariable] = []
        for variable in graph_inputs(self.computed) + list(self.update_targets):
            if isinstance(variable, SharedVariable) and not any(variable is v for v in found):
                found.append(variable)
        return found

    def dprint(self, **kwargs: Any) -> str:
        """``debugprint(self, **kwargs)`` (GRAPH-PRINT-2)."""
        from reference.printing import debugprint

        return debugprint(self, **kwargs)

    def storage_plan(self) -> list:
        """For each loop output: how many rows are kept, and why (SCAN-MEM-1)."""
        return list(self.plan)

    def _label(self) -> str:
        return f"function {self.name!r}" if self.name else "the function"

    def __repr__(self) -> str:
        return f"<reference.Function {self.name or ''} inputs={self.inputs} outputs={self.outputs}>"


class FunctionGraphView:
    """``f.maker.fgraph``: the inputs (then the shared variables read) and the outputs
    (then the update values) of a compiled function (FN-ATTR-1)."""

    def __init__(self, inputs: list[Variable], computed: list[Variable]) -> None:
        shared = [v for v in graph_inputs(computed) if isinstance(v, SharedVariable)]
        self.inputs = list(inputs) + shared
        self.outputs = list(computed)

    def toposort(self) -> list:
        return toposort(self.outputs)

    @property
    def apply_nodes(self) -> set:
        return set(self.toposort())


class FunctionMaker:
    """``f.maker``: the Mode, the In and Out specs and the graph (FN-ATTR-1)."""

    def __init__(self, mode: Any, inputs: list[In], outputs: list[Out], fgraph: FunctionGraphView) -> None:
        self.mode, self.inputs, self.outputs, self.fgraph = mode, inputs, outputs, fgraph


class _PlanAtFirstCall:
    """The evaluator of a loaded function until its first call (FN-PICKLE-1): plans the
    schedule, puts the real evaluator in place, and evaluates with it."""

    def __init__(self, function: Function) -> None:
        self.function = function

    def __call__(self, outputs: list[Variable], env: dict[Variable, Any], trace: TraceHook | None = None,
                 order: Any = None) -> list[Any]:
        f = self.function
        f.schedule = Schedule(f.order, outputs=f.computed)  # GRAPH-EVAL-5
        f._evaluate = f._evaluator()
        return f._evaluate(outputs, env, trace=trace, order=f.schedule)


class _Missing:
    pass


_MISSING = _Missing()


def _fresh(value: Any) -> Any:
    """An output the caller may modify (FN-CALL-1): a copy of every array, since any array
    of the evaluation may be the caller's input, a constant's or shared variable's
    (read-only) storage, an update value, another output, or a view of one of these."""
    return value.copy() if isinstance(value, np.ndarray) else value


def function(inputs: Sequence[Variable] | None = None, outputs: Any = None, mode: Any = None,
             updates: Any = None, givens: Any = None, no_default_updates: bool = False,
             accept_inplace: bool = False, name: str | None = None, rebuild_strict: bool = True,
             allow_input_downcast: bool | None = None, profile: Any = None,
             on_unused_input: str | None = None, trust_input: bool = False) -> Function:
    """Compile ``outputs`` as a function of ``inputs`` (FN-ARGS-1).

    ``updates`` maps shared variables to new values, applied after every output is
    computed (FN-UPDATE-3); ``givens`` substitutes variables before compiling.
    """
    return Function([] if inputs is None else inputs, outputs, updates=updates, givens=givens, mode=mode, name=name,
                    on_unused_input=on_unused_input, allow_input_downcast=allow_input_downcast,
                    no_default_updates=no_default_updates, trust_input=trust_input, rebuild_strict=rebuild_strict)
