"""Graph syntax: variables, applications of ops, ops.  Spec: spec/1-graphs.rst (GRAPH-*).

A graph is made of :class:`Variable` objects.  A variable is either a *root* (an input,
a constant or a shared variable: ``owner is None``, GRAPH-ROOT-1) or the ``index``-th output of an
:class:`Apply` node, which applies an :class:`Op` to input variables.
"""

from __future__ import annotations

import inspect
import itertools
import warnings
from collections.abc import Sequence
from copy import copy
from typing import Any

import numpy as np

from reference.graph.test_value import Scratchpad, compute_test_values

_ids = itertools.count()


def next_variable_id() -> int:
    """The id the next variable created will have at least (ids only increase)."""
    return next(_ids)


class Node:
    """What :class:`Variable` and :class:`Apply` have in common (GRAPH-CLONE-1): the
    parents a graph walk goes to (a variable's owner, a node's inputs)."""

    def get_parents(self) -> list[Any]:
        """A new list of this node's parents (changing it does not change the graph)."""
        raise NotImplementedError

    def dprint(self, **kwargs: Any) -> Any:
        """``pytensor.dprint(self, **kwargs)`` (GRAPH-PRINT-2)."""
        from reference.printing import debugprint

        return debugprint(self, **kwargs)


class Variable(Node):
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

    @property
    def auto_name(self) -> str:
        """``auto_<n>``, unique to the variable: :func:`get_var_by_name` also matches it
        (GRAPH-TRAV-4).  PyTensor sets it on creation; it may be set here too."""
        return self.__dict__.get("_auto_name") or f"auto_{self.auto_id}"

    @auto_name.setter
    def auto_name(self, value: str) -> None:
        self.__dict__["_auto_name"] = value

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


class AtomicVariable(Variable):
    """A root that is never an input to be given a value, compared by :meth:`signature`
    (GRAPH-CLONE-4): PyTensor's base class of constants."""

    def __init__(self, type: Any, name: str | None = None, **kwargs: Any) -> None:  # noqa: A002
        super().__init__(type, None, None, name, **kwargs)

    def signature(self) -> Any:
        raise NotImplementedError

    def merge_signature(self) -> Any:
        return self.signature()

    def equals(self, other: object) -> bool:
        """True if ``other`` is of this class with the same signature (GRAPH-CLONE-4); ``==``
        stays identity."""
        return isinstance(other, type(self)) and self.signature() == other.signature()


class Constant(AtomicVariable):
    """A root with a fixed, read-only value (GRAPH-ROOT-2)."""

    def __init__(self, type: Any, data: Any, name: str | None = None) -> None:  # noqa: A002
        super().__init__(type, name)
        self.data = data

    @property
    def value(self) -> Any:
        return self.data

    def signature(self) -> Any:
        """The type and the value: two constants of equal type whose values have the same
        shape and the same bytes (so NaN equals NaN) have equal signatures (GRAPH-CLONE-4)."""
        data = self.data
        if isinstance(data, np.ndarray):
            return (self.type, data.dtype.str, data.shape, np.ascontiguousarray(data).tobytes())
        return (self.type, data)

    def clone(self) -> Constant:
        return type(self)(self.type, self.data, name=self.name)

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        data = self.data
        if isinstance(data, np.ndarray) and data.size > 8:
            return f"TensorConstant{{{data.dtype.name}{data.shape}}}"
        return str(data.tolist() if isinstance(data, np.ndarray) else data)


class Apply(Node):
    """The application of ``op`` to ``inputs``, producing ``outputs`` (GRAPH-APPLY-1)."""

    def __init__(self, op: Op, inputs: Sequence[Variable], output_types: Sequence[Any]) -> None:
        self.op = op
        self.inputs = list(inputs)
        self.outputs = [_output(t, self, i) for i, t in enumerate(output_types)]
        self.tag = Scratchpad()

    def default_output(self) -> Variable:
        """``outputs[op.default_output]``, else the only output; several outputs and no
        ``default_output`` is a ``ValueError`` (GRAPH-CLONE-2)."""
        chosen = getattr(self.op, "default_output", None)
        if chosen is not None:
            return self.outputs[chosen]
        if len(self.outputs) != 1:
            raise ValueError(f"Multi-output Op {self.op} default_output not specified")
        return self.outputs[0]

    @property
    def out(self) -> Variable:
        """:meth:`default_output` (GRAPH-CLONE-2)."""
        return self.default_output()

    def get_parents(self) -> list[Variable]:
        return list(self.inputs)

    def clone(self, clone_inner_graph: Any = None) -> Apply:
        """A node of the same op on the same inputs, with new outputs (clones of these)
        and a copy of ``tag`` (GRAPH-CLONE-2)."""
        _warn_clone_inner_graph(clone_inner_graph, "clone_inner_graph")
        node = type(self).__new__(type(self))
        Apply.__init__(node, self.op, self.inputs, [output.clone() for output in self.outputs])
        node.tag = copy(self.tag)
        return node

    def clone_with_new_inputs(self, inputs: Sequence[Variable], strict: bool = True,
                              clone_inner_graph: Any = None) -> Apply:
        """This node's op applied to ``inputs`` (GRAPH-CLONE-2).

        An input whose type equals the old one's is taken as it is.  Otherwise, with
        ``strict``, it must be convertible to the old type (:func:`_convert_input`: a more
        precise static shape is kept, a less precise one is checked by ``specify_shape``),
        else ``TypeError``; without ``strict`` it is taken as it is.  When a type changed
        the node is rebuilt by ``op.make_node``, else it is :meth:`clone` with the new inputs.
        """
        _warn_clone_inner_graph(clone_inner_graph, "clone_inner_graph")
        if not isinstance(inputs, list | tuple):
            raise TypeError(f"clone_with_new_inputs: inputs must be a list or tuple, got {type(inputs).__name__}")
        if len(inputs) != len(self.inputs):
            raise ValueError(f"clone_with_new_inputs: {self.op} has {len(self.inputs)} inputs, got {len(inputs)}")
        new_inputs = list(inputs)
        remake = bool(getattr(self.op, "_output_type_depends_on_input_value", False))
        for i, (old, new) in enumerate(zip(self.inputs, new_inputs, strict=True)):
            if old.type == new.type and not remake:
                continue
            if strict:
                new_inputs[i] = _convert_input(old, new)
                remake = remake or new_inputs[i].type != old.type
            else:
                remake = True
        if remake:
            node = self.op.make_node(*new_inputs)
            node.tag = copy(self.tag)
            return node
        node = self.clone()
        node.inputs = new_inputs
        return node

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


def _warn_clone_inner_graph(value: Any, name: str) -> None:
    if value is not None:
        warnings.warn(f"`{name}` is deprecated and ignored: inner-graph `Op`s are immutable, "
                      "so cloning always shares them.", FutureWarning, stacklevel=3)


def _convert_input(old: Variable, new: Variable) -> Variable:
    """``new`` in place of ``old`` in a strict clone (GRAPH-CLONE-2): as it is if its type is
    ``old``'s or more precise, checked by ``specify_shape`` if less precise, else TypeError."""
    if new.type == old.type:
        return new
    is_super = getattr(old.type, "is_super", None)
    if is_super is not None and type(new.type) is type(old.type):
        if is_super(new.type):
            return new
        if new.type.is_super(old.type):
            from reference.tensor.shape import specify_shape

            return specify_shape(new, old.type.shape)
    raise TypeError(f"Cannot convert Type {new.type} (of Variable {new}) into Type {old.type}. "
                    f"You can try to manually convert {new} into a {old.type}.")


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


#: PyTensor's ``pytensor.graph.basic`` also gives the traversal helpers moved to
#: ``pytensor.graph.traversal``, with a FutureWarning (GRAPH-TRAV-1)
_TRAVERSAL = ("ancestors", "apply_depends_on", "applys_between", "explicit_graph_inputs", "general_toposort",
              "get_var_by_name", "graph_inputs", "io_toposort", "orphans_between", "truncated_graph_inputs",
              "variable_depends_on", "vars_between", "walk")


def __getattr__(name: str) -> Any:
    if name in _TRAVERSAL:  # imported here: traversal imports this module
        from reference.graph import traversal

        warnings.warn(f"`pytensor.graph.basic.{name}` was moved to `pytensor.graph.traversal.{name}`. "
                      "Calling it from the old location will fail in a future release.", FutureWarning, stacklevel=2)
        return getattr(traversal, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# cloning and comparing graphs (GRAPH-CLONE-*); the module reads this one only when called
from reference.graph.cloning import as_string, clone, clone_get_equiv, equal_computations  # noqa: E402, F401
