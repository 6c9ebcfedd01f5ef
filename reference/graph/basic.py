"""Graph syntax: variables, applications of ops, ops.  Spec: spec/1-graphs.rst (GRAPH-*).

A graph is made of :class:`Variable` objects.  A variable is either a *root* (an input,
a constant or a shared variable: ``owner is None``, GRAPH-ROOT-1) or the ``index``-th output of an
:class:`Apply` node, which applies an :class:`Op` to input variables.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from reference.graph.test_value import Scratchpad, compute_test_values

_ids = itertools.count()


def next_variable_id() -> int:
    """The id the next variable created will have at least (ids only increase)."""
    return next(_ids)


class Variable:
    """A node of the graph, with a type.  ``owner``/``index`` say which Apply made it."""

    def __init__(
        self,
        type: Any,  # noqa: A002 - PyTensor's name
        owner: Apply | None = None,
        index: int | None = None,
        name: str | None = None,
    ) -> None:
        self.type = type
        self.owner = owner
        self.index = index
        self.name = name
        self.auto_id = next(_ids)
        self.tag = Scratchpad()  # free attributes, such as test_value (GRAPH-TESTVAL-1)

    def __str__(self) -> str:
        """The name if set, else ``Op.index`` for outputs, else ``<Type>`` (GRAPH-PRINT-1)."""
        if self.name is not None:
            return self.name
        if self.owner is not None:
            return f"{self.owner.op}.{self.index}"
        return f"<{self.type}>"

    def __repr__(self) -> str:
        return str(self)

    def clone(self) -> Variable:
        """A fresh root variable of the same type and name."""
        return type(self)(self.type, name=self.name)

    def get_parents(self) -> list[Apply]:
        return [] if self.owner is None else [self.owner]

    def eval(self, inputs_to_values: dict | None = None, **kwargs: Any) -> np.ndarray:
        """The value of this variable, as PyTensor's ``eval`` (GRAPH-EVAL-6): a function of
        the keys of ``inputs_to_values`` (variables, or names of variables of this graph)
        computing it, built with ``kwargs`` once per set of keys and kept, then called."""
        from reference.compile.function import function
        from reference.errors import SpecValueError
        from reference.graph.traversal import get_var_by_name

        ignore_unused = kwargs.get("on_unused_input") in ("ignore", "warn")
        kwargs.setdefault("on_unused_input", "ignore")  # GRAPH-EVAL-6: extra variables are allowed
        values: dict[Variable, Any] = {}
        for key, value in (inputs_to_values or {}).items():
            if isinstance(key, str):
                found = get_var_by_name([self], key)
                if len(found) > 1:
                    raise SpecValueError("GRAPH-EVAL-6", f"eval: several variables of the graph are named {key!r}")
                if not found and not ignore_unused:
                    raise SpecValueError("GRAPH-EVAL-6", f"eval: no variable of the graph is named {key!r}")
                if found:
                    values[found[0]] = value
            else:
                values[key] = value
        inputs = tuple(sorted(values, key=id))
        cache = self.__dict__.setdefault("_fn_cache", {})
        try:
            key = (tuple(map(id, inputs)), tuple(kwargs.items()))
            hash(key)
        except TypeError:
            key = None
        if key is not None and key in cache:
            fn = cache[key][1]
        else:
            fn = function(list(inputs), self, **kwargs)
            if key is not None:
                cache[key] = (inputs, fn)  # the inputs are kept alive with the ids that name them
        return fn(*[values[variable] for variable in inputs])


class Constant(Variable):
    """A root with a fixed, read-only value (GRAPH-ROOT-2)."""

    def __init__(self, type: Any, data: Any, name: str | None = None) -> None:  # noqa: A002
        super().__init__(type, None, None, name)
        self.data = data

    @property
    def value(self) -> Any:
        return self.data

    def clone(self) -> Constant:
        return type(self)(self.type, self.data, name=self.name)

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        data = self.data
        if isinstance(data, np.ndarray) and data.size > 8:
            return f"TensorConstant{{{data.dtype.name}{data.shape}}}"
        return str(data.tolist() if isinstance(data, np.ndarray) else data)


class Apply:
    """The application of ``op`` to ``inputs``, producing ``outputs`` (GRAPH-APPLY-1)."""

    def __init__(self, op: Op, inputs: Sequence[Variable], output_types: Sequence[Any]) -> None:
        self.op = op
        self.inputs = list(inputs)
        self.outputs = [_output(t, self, i) for i, t in enumerate(output_types)]

    @property
    def out(self) -> Variable:
        assert len(self.outputs) == 1, "Apply.out needs exactly one output"
        return self.outputs[0]

    @property
    def nin(self) -> int:
        return len(self.inputs)

    @property
    def nout(self) -> int:
        return len(self.outputs)

    def __str__(self) -> str:
        names = ", ".join(str(v) for v in self.inputs)
        return f"{self.op}({names})"

    __repr__ = __str__


def _tensor_output(type_: Any, owner: Apply, index: int) -> Variable:
    from reference.tensor.variable import TensorVariable

    return TensorVariable(type_, owner=owner, index=index)


def _output(spec: Any, owner: Apply, index: int) -> Variable:
    """The ``index``-th output of ``owner``: made from a type, or, as PyTensor's ``Apply``
    takes it, a new variable without owner (``x.type()``) that becomes the output (GRAPH-OP-2)."""
    if isinstance(spec, Variable):
        if spec.owner is not None:
            raise ValueError(f"Apply: output {index} ({spec}) is already the output of {spec.owner}")
        spec.owner, spec.index = owner, index
        return spec
    return spec.make_variable(owner, index) if hasattr(spec, "make_variable") else _tensor_output(spec, owner, index)


def _parameters(function: Any) -> list[inspect.Parameter] | None:
    try:
        return list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None


def _pytensor_perform(function: Any) -> bool:
    """``perform(self, node, inputs, output_storage[, params])``: PyTensor's signature."""
    params = _parameters(function)
    if params is None or any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        return False
    positional = [p for p in params if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    return len(positional) in (4, 5) and any(word in positional[3].name for word in ("out", "storage"))


def _adapt_pytensor_op(cls: type) -> None:
    """Give an Op subclass written for PyTensor reference's protocol (GRAPH-OP-2)."""
    namespace = cls.__dict__
    user_perform = namespace.get("perform")
    if user_perform is not None and _pytensor_perform(user_perform):
        def perform(self: Op, node: Apply, *inputs: Any) -> Any:
            storage: list[list[Any]] = [[None] for _ in node.outputs]
            user_perform(self, node, list(inputs), storage)
            values = []
            for (value,), output in zip(storage, node.outputs, strict=True):
                dtype = getattr(output.type, "numpy_dtype", None)
                values.append(np.asarray(value, dtype=dtype) if dtype is not None else value)
            return values[0] if len(values) == 1 else tuple(values)

        cls.perform = perform  # type: ignore[method-assign]
    user_shape = namespace.get("infer_shape")
    params = _parameters(user_shape) if user_shape is not None else None
    if params and len(params) > 1 and params[1].name == "fgraph":
        def infer_shape(self: Op, node: Apply, shapes: list, values: list) -> list:
            return [tuple(int(n) for n in shape) for shape in user_shape(self, None, node, shapes)]

        cls.infer_shape = infer_shape  # type: ignore[method-assign]
    if "pullback" not in namespace and ("L_op" in namespace or "grad" in namespace):
        def pullback(self: Op, node: Apply, output_grads: list) -> list:
            from reference.tensor.basic import zeros_like

            grads = [zeros_like(o) if g is None else g for o, g in zip(node.outputs, output_grads, strict=True)]
            if hasattr(self, "L_op") and "L_op" in {k for c in type(self).__mro__ for k in c.__dict__}:
                return list(self.L_op(node.inputs, node.outputs, grads))
            return list(self.grad(node.inputs, grads))

        cls.pullback = pullback  # type: ignore[attr-defined]


class Op:
    """An operation.  Subclasses define:

    * ``make_node(*inputs) -> Apply``: checks the input types and computes the output
      types (the op's well-formedness rule);
    * ``perform(node, *values) -> value or tuple``: the op's execution rule on numpy arrays;
    * ``infer_shape(node, shapes, values)``: output shapes from input shapes (used to
      give zero-step scan outputs their row shape without running the step);
    * ``pullback(node, inputs, outputs, output_grads)``: the vector-Jacobian product.

    ``__props__`` names the parameters that make two instances equal.
    """

    __props__: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__module__.startswith("reference."):  # GRAPH-OP-2: a user's Op
            _adapt_pytensor_op(cls)

    def __call__(self, *inputs: Any, **kwargs: Any) -> Any:
        from reference.config import config

        node = self.make_node(*inputs, **kwargs)
        if config.compute_test_value != "off":
            compute_test_values(node, config.compute_test_value)  # GRAPH-TESTVAL-1
        return node.outputs[0] if len(node.outputs) == 1 else node.outputs

    def make_node(self, *inputs: Any) -> Apply:
        raise NotImplementedError

    def perform(self, node: Apply, *inputs: Any) -> Any:
        raise NotImplementedError

    def _props(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__props__)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._props() == other._props()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self._props()))

    def __str__(self) -> str:
        name = type(self).__name__
        if not self.__props__:
            return name
        params = ", ".join(f"{p}={getattr(self, p)}" for p in self.__props__)
        return f"{name}{{{params}}}"

    __repr__ = __str__


#: PyTensor's ``pytensor.graph.basic`` also gives the traversal helpers
_TRAVERSAL = ("ancestors", "applys_between", "explicit_graph_inputs", "get_var_by_name", "graph_inputs",
              "io_toposort", "variable_depends_on", "vars_between")


def __getattr__(name: str) -> Any:
    if name in _TRAVERSAL:  # imported here: traversal imports this module
        from reference.graph import traversal

        return getattr(traversal, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
