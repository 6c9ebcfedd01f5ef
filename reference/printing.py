"""Printing graphs.  Spec: spec/1-graphs.rst (GRAPH-PRINT-*)."""

from __future__ import annotations

import sys
from typing import Any, TextIO

import numpy as np

from reference.graph.basic import Apply, Variable
from reference.printing_ops import Print, _print_fn  # noqa: F401  (GRAPH-PRINT-4: pytensor.printing.Print)


class _Ids:
    """Short ids ``A``, ``B``, ... ``AA`` given to variables in printing order."""

    def __init__(self) -> None:
        self.ids: dict[int, str] = {}

    def __call__(self, variable: Variable) -> tuple[str, bool]:
        key = id(variable.owner) if variable.owner is not None else id(variable)
        if key in self.ids:
            return self.ids[key], False
        n = len(self.ids)
        label = ""
        while True:
            label = chr(ord("A") + n % 26) + label
            n = n // 26 - 1
            if n < 0:
                break
        self.ids[key] = label
        return label, True


def _line(variable: Variable, ids: _Ids, print_type: bool, print_shape: bool = False) -> tuple[str, bool]:
    label, first = ids(variable)
    if variable.owner is not None:
        text = str(variable.owner.op)
        if len(variable.owner.outputs) > 1:
            text += f".{variable.index}"
    else:
        text = str(variable)
    text += f" [id {label}]"
    if variable.owner is not None and variable.name:
        text += f" {variable.name!r}"
    if print_type:
        text += f" <{variable.type}>"
    if print_shape and hasattr(variable.type, "shape"):  # the static shape, ? where unknown
        dims = ", ".join("?" if n is None else str(n) for n in variable.type.shape)
        text += f" shape=({dims}{',' if len(variable.type.shape) == 1 else ''})"
    return text, first


def _tree(variable: Variable, ids: _Ids, print_type: bool, prefix: str, child_prefix: str,
          lines: list[str], scans: list[Variable], depth: int = -1, print_shape: bool = False) -> None:
    text, first = _line(variable, ids, print_type, print_shape)
    lines.append(prefix + text)
    node = variable.owner
    if node is not None and not first and node.inputs:
        lines.append(child_prefix + " └─ ···")  # a node printed before: its inputs are not repeated
    if node is None or not first or depth == 1:  # GRAPH-PRINT-3: depth levels printed
        return
    from reference.scan.op import ScanOp

    if isinstance(node.op, ScanOp) and not any(s.owner is node for s in scans):
        scans.append(variable)
    for i, parent in enumerate(node.inputs):
        last = i == len(node.inputs) - 1
        _tree(parent, ids, print_type, child_prefix + (" └─ " if last else " ├─ "),
              child_prefix + ("   " if last else " │ "), lines, scans, depth - 1, print_shape)


def debugprint(obj: Any, depth: int = -1, print_type: bool = False, print_shape: bool = False,
               file: TextIO | str | None = None, id_type: str = "CHAR", stop_on_name: bool = False,
               done: Any = None, print_storage: bool = False, used_ids: Any = None,
               print_op_info: bool = False, print_destroy_map: bool = False,
               print_view_map: bool = False, print_memory_map: bool = False,
               print_inner_graphs: Any = "auto", print_fgraph_inputs: bool = False,
               print_assumptions: bool = False) -> str:
    """Print the graph of ``obj`` (a variable, an Apply node (its outputs), a list of them,
    or a compiled function) as an indented tree with ids; loops are followed by their
    inner graphs, whose inputs are named by what they hold (``x[t]``, ``h[t-1]``, ``W``)
    (GRAPH-PRINT-2).  Returns the text;
    ``file="str"`` returns it without printing, as in PyTensor.

    The signature is PyTensor's (``pytensor.dprint`` is this function): ``depth`` (levels
    printed, -1 for all), ``print_type``, ``print_shape`` (each variable's static shape)
    and ``print_inner_graphs=False`` (no inner graphs) are honoured, the other keywords are
    accepted and change nothing (GRAPH-PRINT-3)."""
    from reference.compile.function import Function

    if isinstance(obj, Function):
        variables = obj.computed
    elif isinstance(obj, list | tuple):
        variables = [v for item in obj for v in (item.outputs if isinstance(item, Apply) else [item])]
    elif isinstance(obj, Apply):  # GRAPH-PRINT-2: a node prints as its outputs, as in PyTensor
        variables = list(obj.outputs)
    else:
        variables = [obj]
    ids = _Ids()
    lines: list[str] = []
    scans: list[Variable] = []
    for variable in variables:
        _tree(variable, ids, print_type, "", "", lines, scans, depth, print_shape)
    if print_inner_graphs is False:
        scans = []
    shown = 0
    if scans:
        lines.append("")
        lines.append("Inner graphs:")
    while shown < len(scans):
        scan_var = scans[shown]
        shown += 1
        spec = scan_var.owner.op.spec
        lines.append("")
        text, _ = _line(scan_var, ids, print_type, print_shape)
        lines.append(text)
        inner_lines: list[str] = []
        for out in spec.inner_outputs:
            _tree(out, ids, print_type, " ← ", "   ", inner_lines, scans, print_shape=print_shape)
        lines.extend(inner_lines)
    text = "\n".join(lines)
    if file == "str":  # PyTensor's spelling for "return the text, print nothing"
        return text + "\n"
    print(text, file=file if file is not None else sys.stdout)
    return text


#: elementwise ops printed infix, always in parentheses, as PyTensor's pprint does
_INFIX = {"Add": "+", "Sub": "-", "Mul": "*", "TrueDiv": "/", "IntDiv": "//", "Pow": "**"}
#: elementwise ops PyTensor's pprint names otherwise than reference's op label
_NAMES = {"GT": "Gt", "LT": "Lt", "GE": "Ge", "LE": "Le", "EQ": "Eq", "NEQ": "Neq"}


def _pp_root(variable: Variable) -> str:
    from reference.graph.basic import Constant

    if isinstance(variable, Constant) and variable.name is None:
        return str(np.asarray(variable.data))  # numpy's form, as PyTensor's pprint
    return str(variable)


def pprint(variable: Variable) -> str:
    """A one-line rendering of ``variable``'s graph (GRAPH-PRINT-1): arithmetic infix in
    parentheses (``((x ** 2) + 3)``), ``-x``, ``|x|``, casts as ``float32(x)``, sums as
    ``sum(x, axis=...)``, constant slices as ``x[1:3]``, a matrix transpose as ``M.T``, and
    every other op as ``<label>(<inputs>)``."""
    node = variable.owner
    if node is None:
        return _pp_root(variable)
    op, args = node.op, [pprint(v) for v in node.inputs]
    name = type(op).__name__
    if name == "Elemwise":
        scalar = str(getattr(op, "scalar_op", ""))
        if scalar in _INFIX and len(args) >= 2:
            return "(" + f" {_INFIX[scalar]} ".join(args) + ")"
        if scalar == "Neg" and len(args) == 1:
            return f"(-{args[0]})"
        if scalar == "Abs" and len(args) == 1:
            return f"|{args[0]}|"
        if scalar.startswith("Cast{") and len(args) == 1:
            return f"{scalar[5:-1]}({args[0]})"
        if scalar in _NAMES:
            return f"{_NAMES[scalar]}({', '.join(args)})"
    if name == "Reduce" and getattr(op, "kind", None) == "sum" and len(args) == 1:
        axes = tuple(range(node.inputs[0].ndim)) if op.axes is None else tuple(op.axes)
        every = sorted(axes) == list(range(node.inputs[0].ndim))
        return f"sum({args[0]}, axis={None if every else axes})"
    if name == "Subtensor" and len(args) == 1:
        return f"{args[0]}[{str(op)[len('Subtensor{'):-1]}]"
    if name == "DimShuffle" and node.inputs[0].ndim == 2 and tuple(op.new_order) == (1, 0):
        return f"{args[0]}.T"
    return f"{op}({', '.join(args)})"


#: PyTensor's other name of pprint (``pytensor.printing.pp``)
pp = pprint


def profile_summary(obj: Any) -> str:
    """Per-loop call count, steps and time of the loops built with ``profile=True`` in a
    compiled function's graph (or a list of variables)."""
    from reference.compile.function import Function
    from reference.graph.traversal import toposort
    from reference.scan.op import ScanOp

    variables = obj.computed if isinstance(obj, Function) else (obj if isinstance(obj, list) else [obj])
    lines = []
    for node in toposort(variables):
        if isinstance(node.op, ScanOp) and node.op.spec.profile:
            stats = node.op.profile_stats
            per_call = stats["seconds"] / stats["calls"] if stats["calls"] else 0.0
            lines.append(f"scan {node.op.spec.name!r}: {stats['calls']} call(s), {stats['steps']} step(s), "
                         f"{stats['seconds'] * 1e3:.3f} ms total, {per_call * 1e3:.3f} ms per call")
    return "\n".join(lines) if lines else "no loop was built with profile=True"


#: PyTensor's short name (``pytensor.dprint``)
dprint = debugprint
