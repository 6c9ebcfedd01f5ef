"""``OpFromGraph``: a graph packaged as an op.  Spec: spec/1-graphs.rst (GRAPH-OFG-*).

The op holds its own copy of the graph from ``inputs`` to ``outputs`` (the *inner graph*,
on fresh input variables).  Applying it to new variables makes one node whose outputs
have the inner outputs' types; evaluating the node evaluates the inner graph with the
reference evaluator; its pullback is the pullback of the inner graph, moved onto the
node's inputs, unless the user overrides it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from reference.errors import (
    MissingInputError,
    SpecNotImplementedError,
    SpecTypeError,
    SpecValueError,
)
from reference.graph.basic import Apply, Constant, Op, Variable
from reference.graph.shared import SharedVariable
from reference.graph.traversal import clone_replace, graph_inputs, toposort
from reference.graph.type import TensorType

__all__ = ["OpFromGraph"]

#: keyword arguments PyTensor 3.3.7 passes on to ``pytensor.function`` (and now ignores,
#: with a FutureWarning), except these, which are refused
_REFUSED_KWARGS = ("updates", "givens")


class OpFromGraph(Op):
    """An op whose computation is the graph from ``inputs`` to ``outputs`` (GRAPH-OFG-1).

    ``OpFromGraph(inputs, outputs, *, inline=False, pullback=None, pushforward=None,
    lop_overrides=None, rop_overrides=None, connection_pattern=None, strict=False,
    name=None, **kwargs)``, PyTensor 3.3.7's signature:

    * ``inputs`` and ``outputs`` are lists of variables; every root the outputs need that
      is not in ``inputs`` must be a constant (GRAPH-OFG-1).  Shared variables are not
      captured: pass them in ``inputs``.
    * ``op(*variables)`` makes a node (GRAPH-OFG-2): one output variable, or a list of them.
      With ``inline=True`` (and no pullback override) the call returns the inner graph
      rebuilt on ``variables`` instead, with no node of this op.
    * ``pullback`` (or its deprecated name ``lop_overrides``) replaces the gradient
      (GRAPH-OFG-4).  ``pushforward``/``rop_overrides`` are accepted and unused: every
      pushforward of ``reference`` is two pullbacks (GRAD-ROP-1).
    """

    def __init__(self, inputs: list[Variable], outputs: list[Variable], *, inline: bool = False,
                 pullback: Callable | OpFromGraph | list | None = None,
                 pushforward: Callable | OpFromGraph | list | None = None,
                 lop_overrides: Callable | OpFromGraph | list | None = None,
                 rop_overrides: Callable | OpFromGraph | list | None = None,
                 connection_pattern: list[list[bool]] | None = None, strict: bool = False,
                 name: str | None = None, destroy_map: dict | None = None, fgraph: Any = None,
                 **kwargs: Any) -> None:
        # GRAPH-OFG-1 step 1: the arguments
        if not (isinstance(inputs, list) and isinstance(outputs, list)):
            raise SpecTypeError("GRAPH-OFG-1", "OpFromGraph: inputs and outputs must be lists, got "
                                f"{type(inputs).__name__} and {type(outputs).__name__}")
        for argument, variables in (("inputs", inputs), ("outputs", outputs)):
            for i, variable in enumerate(variables):
                if not isinstance(variable, Variable):
                    raise SpecTypeError("GRAPH-OFG-1", f"OpFromGraph: {argument}[{i}] must be a variable, got {variable!r}")
        if "grad_overrides" in kwargs:
            raise SpecTypeError(
                "GRAPH-OFG-4",
                "OpFromGraph: grad_overrides is not an argument of OpFromGraph in PyTensor 3.3.7 "
                "(which would ignore it); use pullback=f with f(inputs, outputs, cotangents)",
            )
        refused = [k for k in _REFUSED_KWARGS if k in kwargs]
        if refused:
            raise SpecNotImplementedError("GRAPH-OFG-1", f"OpFromGraph: {refused[0]} is not supported, as in PyTensor")
        for argument, given in (("connection_pattern", connection_pattern), ("destroy_map", destroy_map),
                                ("fgraph", fgraph)):
            if given is not None:
                raise SpecNotImplementedError("GRAPH-OFG-1", f"OpFromGraph: {argument} is not implemented; leave it None")
        ignored = sorted(k for k in kwargs if k != "on_unused_input")
        if ignored:  # as PyTensor 3.3.7: compile keywords are accepted and ignored
            warnings.warn(f"OpFromGraph: keyword arguments for compiling the inner graph are ignored: {ignored}",
                          FutureWarning, stacklevel=2)
        if kwargs.get("on_unused_input") != "ignore" and len({id(v) for v in inputs}) != len(inputs):
            repeated = [str(v) for i, v in enumerate(inputs) if any(v is w for w in inputs[:i])]
            raise SpecValueError("GRAPH-OFG-1", f"OpFromGraph: inputs lists {', '.join(repeated)} more than once; "
                                 "use a copy (x.copy()) to tell them apart")
        if name is not None and not isinstance(name, str):
            raise SpecTypeError("GRAPH-OFG-1", f"OpFromGraph: name must be None or a string, got {name!r}")
        if lop_overrides is not None:
            if pullback is not None:
                raise SpecValueError("GRAPH-OFG-4", "OpFromGraph: lop_overrides and pullback are mutually exclusive")
            warnings.warn("lop_overrides is deprecated in favor of pullback.", FutureWarning, stacklevel=2)
            pullback = lop_overrides
        if rop_overrides is not None:
            if pushforward is not None:
                raise SpecValueError("GRAPH-OFG-4", "OpFromGraph: rop_overrides and pushforward are mutually exclusive")
            warnings.warn("rop_overrides is deprecated in favor of pushforward.", FutureWarning, stacklevel=2)
            pushforward = rop_overrides
        self.override_argument = "lop_overrides" if lop_overrides is not None else "pullback"
        _check_override(pullback, len(inputs), self.override_argument)
        # GRAPH-OFG-1 step 2: the inner graph, on fresh inputs of the same types
        self.inner_inputs = [v.type() for v in inputs]
        for fresh, given in zip(self.inner_inputs, inputs, strict=True):
            fresh.name = given.name
        self.inner_outputs = clone_replace(outputs, dict(zip(inputs, self.inner_inputs, strict=True)))
        inner_ids = {id(v) for v in self.inner_inputs}
        for root in graph_inputs(self.inner_outputs):  # GRAPH-OFG-1 step 3
            if id(root) in inner_ids or isinstance(root, Constant):
                continue
            if isinstance(root, SharedVariable):
                raise MissingInputError("GRAPH-OFG-1", f"OpFromGraph: the outputs depend on shared variable {root}, "
                                        "which is not in inputs; pass it explicitly in inputs")
            raise MissingInputError("GRAPH-OFG-1", f"OpFromGraph: the outputs depend on {root} of type {root.type}, "
                                    "which is neither in inputs nor a constant")
        self.input_types = [v.type for v in inputs]
        self.output_types = [v.type for v in outputs]
        self.is_inline = bool(inline)
        self.pullback_override = pullback
        self.pushforward_override = pushforward
        self.name = name
        self.kwargs = kwargs
        self._schedule: Any = None

    # -- identity and printing ------------------------------------------------------------
    def __eq__(self, other: object) -> bool:  # one op per inner graph
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __str__(self) -> str:  # GRAPH-OFG-2: PyTensor's label
        return f"{self.name or type(self).__name__}{{inline={self.is_inline}}}"

    __repr__ = __str__

    # -- building nodes -------------------------------------------------------------------
    def __call__(self, *inputs: Any, return_list: bool = False, **kwargs: Any) -> Any:
        """A node of this op on ``inputs`` (GRAPH-OFG-2); with ``inline=True`` the inner
        graph rebuilt on ``inputs`` (a node still, when a pullback override is given, so
        that the override applies).  One output, or a list (always a list with
        ``return_list``)."""
        if self.is_inline and self.pullback_override is None:  # GRAPH-OFG-2 step 4
            variables = self._convert(inputs)
            outputs = clone_replace(self.inner_outputs, dict(zip(self.inner_inputs, variables, strict=True)))
        else:
            outputs = self.make_node(*inputs, **kwargs).outputs
        return list(outputs) if return_list or len(outputs) != 1 else outputs[0]

    def make_node(self, *inputs: Any) -> Apply:
        """GRAPH-OFG-2: one input per inner input, of its type; outputs of the inner outputs' types."""
        return Apply(self, self._convert(inputs), list(self.output_types))

    def _convert(self, inputs: Sequence[Any]) -> list[Variable]:
        from reference.tensor.shape import specify_shape
        from reference.tensor.variable import as_tensor_variable, constant

        if len(inputs) != len(self.input_types):
            raise SpecValueError("GRAPH-OFG-2", f"{self}: expected {len(self.input_types)} input(s), got {len(inputs)}")
        variables = []
        for i, (given, expected) in enumerate(zip(inputs, self.input_types, strict=True)):
            if not isinstance(expected, TensorType):  # a random generator: the same type only
                if not isinstance(given, Variable) or given.type != expected:
                    raise SpecTypeError("GRAPH-OFG-2", f"{self}: input {i} must be a variable of type {expected}, "
                                        f"got {given!r}")
                variables.append(given)
                continue
            if not isinstance(given, Variable):  # a literal takes the input's type
                try:
                    given = constant(expected.filter(given, argument=f"input {i}"))
                except (TypeError, ValueError) as error:
                    raise SpecTypeError("GRAPH-OFG-2", f"{self}: input {i} ({given!r}) cannot be a value of "
                                        f"{expected}: {error}") from error
            given = as_tensor_variable(given)
            got = given.type
            compatible = (got.dtype == expected.dtype and got.ndim == expected.ndim
                          and all(a is None or b is None or a == b
                                  for a, b in zip(got.shape, expected.shape, strict=True)))
            if not compatible:
                raise SpecTypeError("GRAPH-OFG-2", f"{self}: input {i} has type {got}, which is not "
                                    f"{expected}; convert it first (e.g. with astype)")
            if not expected.is_super(got):  # checked when evaluated
                given = specify_shape(given, expected.shape)
            variables.append(given)
        return variables

    # -- evaluation -----------------------------------------------------------------------
    def perform(self, node: Apply, *inputs: Any) -> list[np.ndarray]:
        """GRAPH-OFG-3: evaluate the inner graph with its inputs bound to ``inputs``."""
        from reference.evaluate import Schedule, evaluate_graph

        if self._schedule is None:
            self._schedule = Schedule(toposort(self.inner_outputs), outputs=self.inner_outputs)
        env = dict(zip(self.inner_inputs, inputs, strict=True))
        values = evaluate_graph(self.inner_outputs, env, order=self._schedule)
        results = []
        for variable, value in zip(self.inner_outputs, values, strict=True):
            if variable.owner is None:  # an input or a constant: a new array, as any op's result
                value = np.array(value, dtype=variable.type.numpy_dtype, copy=True)
            results.append(value)
        return results

    def infer_shape(self, node: Apply, shapes: list, values: list) -> list:
        """The output shapes, propagated through the inner graph."""
        from reference.scan.shapes import _shape_of

        inner_values = {v: value for v, value in zip(self.inner_inputs, values, strict=True) if value is not None}
        inner_shapes = {v: tuple(shape) for v, shape in zip(self.inner_inputs, shapes, strict=True)}
        return [_shape_of(out, inner_values, inner_shapes) for out in self.inner_outputs]

    # -- gradient -------------------------------------------------------------------------
    def pullback(self, node: Apply, output_grads: list) -> list:
        """GRAPH-OFG-4: the pullback of the inner graph on the node's inputs, or the override."""
        override = self.pullback_override
        if override is None:
            return self._inner_pullback(node, output_grads, range(len(node.inputs)))
        args = self._override_args(node, output_grads)
        if isinstance(override, list):  # GRAPH-OFG-4 step 3: one entry per input
            defaults = iter(self._inner_pullback(node, output_grads,
                                                 [i for i, entry in enumerate(override) if entry is None]))
            grads = [next(defaults) if entry is None else entry(*args) for entry in override]
            return [self._checked_grad(node, i, g) for i, g in enumerate(grads)]
        if isinstance(override, OpFromGraph):
            grads = override(*args[0], *args[1], *args[2], return_list=True)
        else:
            grads = override(*args)
        if not isinstance(grads, list):
            raise SpecTypeError("GRAPH-OFG-4", f"OpFromGraph: the {self.override_argument} function must return a "
                                f"list, got {type(grads).__name__}")
        if len(grads) != len(node.inputs):
            raise SpecValueError("GRAPH-OFG-4", f"OpFromGraph: the {self.override_argument} function must return "
                                 f"{len(node.inputs)} gradients (one per input), got {len(grads)}")
        return [self._checked_grad(node, i, g) for i, g in enumerate(grads)]

    def _override_args(self, node: Apply, output_grads: list) -> tuple[list, list, list]:
        """``(inputs, outputs, cotangents)`` for an override; a missing cotangent is zeros."""
        from reference.tensor.basic import zeros_like

        cotangents = [zeros_like(out) if g is None else g for out, g in zip(node.outputs, output_grads, strict=True)]
        return list(node.inputs), list(node.outputs), cotangents

    def _checked_grad(self, node: Apply, i: int, g: Any) -> Variable | None:
        from reference.tensor.variable import as_tensor_variable

        if g is None:
            return None
        g = as_tensor_variable(g)
        if g.type.ndim != node.inputs[i].type.ndim:
            raise SpecValueError("GRAPH-OFG-4", f"OpFromGraph: {self.override_argument} gave a gradient of type "
                                 f"{g.type} for input {i} of type {node.inputs[i].type}; it must have its ndim")
        return g

    def _inner_pullback(self, node: Apply, output_grads: list, which: Sequence[int]) -> list:
        """GRAPH-OFG-4 step 2: ``backprop`` through the inner graph for the inputs ``which``,
        then rebuilt on the node's inputs, outputs and cotangents."""
        from reference.grad import backprop

        which = list(which)
        if not which:
            return []
        placeholders = [None if g is None else g.type() for g in output_grads]
        grads = backprop(self.inner_outputs, placeholders, [self.inner_inputs[i] for i in which])
        replace: dict[Variable, Variable] = {}
        for inner, outer in zip(self.inner_outputs, node.outputs, strict=True):
            if inner.owner is not None:  # reuse the node's outputs where the gradient reads them
                replace[inner] = outer
        replace.update(zip(self.inner_inputs, node.inputs, strict=True))
        for placeholder, g in zip(placeholders, output_grads, strict=True):
            if placeholder is not None:
                replace[placeholder] = g
        present = [g for g in grads if g is not None]
        rebuilt = iter(clone_replace(present, replace))
        return [None if g is None else next(rebuilt) for g in grads]


def _check_override(override: Any, n_inputs: int, argument: str) -> None:
    """GRAPH-OFG-4 step 1: the forms of an override ``reference`` supports."""
    if override is None or callable(override):
        return
    if isinstance(override, list):
        if len(override) != n_inputs:
            raise SpecValueError("GRAPH-OFG-4", f"OpFromGraph: {argument} as a list needs one entry per input "
                                 f"({n_inputs}), got {len(override)}")
        for i, entry in enumerate(override):
            if entry is not None and not callable(entry):
                raise SpecTypeError("GRAPH-OFG-4", f"OpFromGraph: {argument}[{i}] must be None or a callable, "
                                    f"got {entry!r}")
        return
    raise SpecTypeError("GRAPH-OFG-4", f"OpFromGraph: {argument} must be None, a callable, an OpFromGraph or a "
                        f"list, got {override!r}")
