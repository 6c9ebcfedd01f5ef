"""Hypothesis strategies that generate scan programs.  Spec: spec/6-oracle.rst
(ORACLE-STRAT-*).

A :class:`ScanProgram` describes one call of ``scan`` and its input values: sequences
with taps, recurrent outputs with one or several taps, mapped outputs, non-sequences,
``n_steps`` (absent, a constant or a symbolic input), ``go_backwards`` and ``until``.
The step is a small expression (a weighted sum of the step's arguments, then maybe
``tanh``/``sin``) that PyTensor and ``reference`` spell the same way, so one program
builds in either::

    from hypothesis import given
    from reference.testing.strategies import scan_programs

    @given(scan_programs())
    def test_my_backend(program):
        inputs, outputs = program.build_reference()        # reference variables
        values = program.input_values()                    # in the order of `inputs`
        mine = my_backend_run(program)                     # your implementation
        assert_matches(mine, outputs, dict(zip(inputs, values)))

:meth:`ScanProgram.source` prints the program as a script (a reproducer), and
:meth:`ScanProgram.run_numpy` evaluates it with a plain-numpy loop written from the
spec's algorithm, a third implementation independent of both graph libraries.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

FLOAT_DTYPES = ("float64", "float32")
INT_DTYPES = ("int64", "int32")


def _tap_suffix(k: int) -> str:
    return "t" if k == 0 else f"tm{-k}" if k < 0 else f"tp{k}"


@dataclass(frozen=True)
class Sequence:
    """A sequence input: ``data`` has shape ``(length, *row_shape)``; ``taps`` in the
    order given to scan (repeats allowed)."""

    name: str
    taps: tuple[int, ...]
    data: np.ndarray

    @property
    def available(self) -> int:
        """The steps it provides (SCAN-TAPS-2)."""
        lowest, highest = min(min(self.taps), 0), max(max(self.taps), 0)
        return max(0, len(self.data) - (highest - lowest))


@dataclass(frozen=True)
class Output:
    """An output.  ``taps == ()``: mapped (nit-sot); ``(-1,)``: one initial row
    (sit-sot); other negative taps: ``initial`` has at least ``-min(taps)`` rows."""

    name: str
    taps: tuple[int, ...]
    initial: np.ndarray | None
    weights: tuple[float, ...]       # one per step argument, in fn's argument order
    bias: float
    activation: str                  # "id", "tanh" or "sin"

    @property
    def recurrent(self) -> bool:
        return bool(self.taps)

    @property
    def multiple_taps(self) -> bool:
        return self.recurrent and self.taps != (-1,)


@dataclass(frozen=True)
class ScanProgram:
    """One scan program with its input values (ORACLE-STRAT-1)."""

    dtype: str
    row_shape: tuple[int, ...]
    sequences: tuple[Sequence, ...]
    outputs: tuple[Output, ...]
    non_sequences: tuple[tuple[str, np.ndarray], ...]
    n_steps: int | None
    n_steps_symbolic: bool
    go_backwards: bool
    until: float | None              # stop once output 0 (summed) exceeds this

    # -- the argument list of fn --------------------------------------------------------
    def arg_names(self) -> list[str]:
        """fn's parameters in scan's order: sequence taps, output taps, non-sequences."""
        names = [f"{s.name}_{_tap_suffix(k)}" for s in self.sequences for k in s.taps]
        names += [f"{o.name}_{_tap_suffix(k)}" for o in self.outputs for k in o.taps]
        names += [name for name, _ in self.non_sequences]
        seen: dict[str, int] = {}
        unique = []
        for name in names:  # a repeated tap gets a second parameter: x0_t, x0_t_2
            seen[name] = seen.get(name, 0) + 1
            unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
        return unique

    def input_names(self) -> list[str]:
        names = [s.name for s in self.sequences]
        names += [o.name for o in self.outputs if o.recurrent]
        names += [name for name, _ in self.non_sequences]
        if self.n_steps_symbolic:
            names.append("n")
        return names

    def input_values(self) -> list[Any]:
        """The values of :meth:`build`'s inputs, in the same order."""
        values: list[Any] = [s.data for s in self.sequences]
        values += [o.initial for o in self.outputs if o.recurrent]
        values += [value for _, value in self.non_sequences]
        if self.n_steps_symbolic:
            values.append(np.asarray(self.n_steps, dtype="int64"))
        return values

    # -- source ------------------------------------------------------------------------
    def _literal(self, value: float) -> str:
        if self.dtype in INT_DTYPES:
            return f"np.{self.dtype}({int(value)})"
        return f"np.{self.dtype}({float(value)!r})"

    def _expression(self, out: Output, args: list[str]) -> str:
        terms = []
        for weight, arg in zip(out.weights, args, strict=True):
            if weight == 0:
                continue
            if weight == 1:
                terms.append(arg)
            elif weight == -1:
                terms.append(f"-{arg}")
            else:
                terms.append(f"{arg} * {self._literal(weight)}")
        text = " + ".join(terms).replace("+ -", "- ")
        if out.bias:
            text += f" + {self._literal(out.bias)}"
        if out.activation != "id":
            text = f"pt.{out.activation}({text})"
        return text

    def graph_source(self) -> str:
        """Python code that builds ``inputs`` and ``outputs`` with ``pytensor``, ``pt``,
        ``np`` and ``until`` in scope (the same code for PyTensor and reference)."""
        lines = []
        row = self.row_shape
        for s in self.sequences:
            lines.append(f'{s.name} = pt.tensor(dtype="{self.dtype}", shape={(None,) * (1 + len(row))}, name="{s.name}")')
        for o in self.outputs:
            if o.recurrent:
                shape = (None,) * (len(row) + (1 if o.multiple_taps else 0))
                lines.append(f'{o.name} = pt.tensor(dtype="{self.dtype}", shape={shape}, name="{o.name}")')
        for name, _ in self.non_sequences:
            lines.append(f'{name} = pt.tensor(dtype="{self.dtype}", shape={(None,) * len(row)}, name="{name}")')
        if self.n_steps_symbolic:
            lines.append('n = pt.tensor(dtype="int64", shape=(), name="n")')
        args = self.arg_names()
        lines.append("")
        lines.append(f"def step({', '.join(args)}):")
        results = []
        for o in self.outputs:
            lines.append(f"    {o.name}_t = {self._expression(o, args)}")
            results.append(f"{o.name}_t")
        ret = f"[{', '.join(results)}]"
        if self.until is not None:
            first = f"{self.outputs[0].name}_t"
            cond = f"{first}.sum()" if row else first
            ret += f", until(pt.gt({cond}, {self._literal(self.until)}))"
        lines.append(f"    return {ret}")
        lines.append("")
        seqs = []
        for s in self.sequences:
            seqs.append(s.name if s.taps == (0,) else f"dict(input={s.name}, taps={list(s.taps)})")
        infos = []
        for o in self.outputs:
            if not o.recurrent:
                infos.append("None")
            elif o.taps == (-1,):
                infos.append(o.name)
            else:
                infos.append(f"dict(initial={o.name}, taps={list(o.taps)})")
        call = ["step"]
        if seqs:
            call.append(f"sequences=[{', '.join(seqs)}]")
        call.append(f"outputs_info=[{', '.join(infos)}]")
        if self.non_sequences:
            call.append(f"non_sequences=[{', '.join(n for n, _ in self.non_sequences)}]")
        if self.n_steps_symbolic:
            call.append("n_steps=n")
        elif self.n_steps is not None:
            call.append(f"n_steps={self.n_steps}")
        if self.go_backwards:
            call.append("go_backwards=True")
        call += ["return_list=True", "return_updates=False"]
        lines.append(f"outputs = pytensor.scan({', '.join(call)})")
        lines.append(f"inputs = [{', '.join(self.input_names())}]")
        return "\n".join(lines)

    def source(self, library: str = "pytensor") -> str:
        """A complete script: imports, the graph, a compiled function and a call with this
        program's values (``library``: ``"pytensor"`` or ``"reference"``)."""
        if library == "pytensor":
            head = ["import numpy as np", "import pytensor", "import pytensor.tensor as pt",
                    "from pytensor.scan.utils import until"]
        else:
            head = ["import numpy as np", "import reference as pytensor", "import reference.tensor as pt",
                    "from reference.scan.utils import until"]
        values = []
        for value in self.input_values():
            array = np.asarray(value)
            if array.size == 0:
                values.append(f"np.zeros({array.shape}, dtype=\"{array.dtype}\")")
            else:
                values.append(f"np.array({array.tolist()!r}, dtype=\"{array.dtype}\")")
        body = [self.graph_source(), "f = pytensor.function(inputs, outputs)",
                f"print(f({', '.join(values)}))"]
        return "\n".join(head) + "\n\n" + "\n".join(body) + "\n"

    def build(self, library: str = "reference") -> tuple[list[Any], list[Any]]:
        """``(inputs, outputs)`` built with ``library`` (``"reference"`` or
        ``"pytensor"``) by running :meth:`graph_source` (ORACLE-STRAT-2)."""
        if library == "reference":
            pytensor = importlib.import_module("reference")
            pt = importlib.import_module("reference.tensor")
            until = importlib.import_module("reference.scan.utils").until
        elif library == "pytensor":
            pytensor = importlib.import_module("pytensor")
            pt = importlib.import_module("pytensor.tensor")
            until = importlib.import_module("pytensor.scan.utils").until
        else:
            raise ValueError(f"library must be 'reference' or 'pytensor', got {library!r}")
        namespace: dict[str, Any] = {"np": np, "pytensor": pytensor, "pt": pt, "until": until}
        exec(compile(self.graph_source(), "<scan program>", "exec"), namespace)  # noqa: S102
        return namespace["inputs"], namespace["outputs"]

    def build_reference(self) -> tuple[list[Any], list[Any]]:
        return self.build("reference")

    def build_pytensor(self) -> tuple[list[Any], list[Any]]:
        return self.build("pytensor")

    # -- meaning -----------------------------------------------------------------------
    def available_steps(self) -> int | None:
        if not self.sequences:
            return None
        return min(s.available for s in self.sequences)

    def expects_error(self) -> bool:
        """True if the spec says this program raises when run (SCAN-STEPS-3, SCAN-STEPS-4)."""
        available = self.available_steps()
        if self.n_steps is None:
            return False
        return self.n_steps < 0 or (available is not None and self.n_steps > available)

    def run_numpy(self) -> list[np.ndarray]:
        """The program's outputs by a plain-numpy loop, written from the spec's algorithm
        (SCAN-TAPS-1, SCAN-TAPS-3, SCAN-INIT-2, SCAN-BACK-1, SCAN-UNTIL-1, SCAN-OUT-3);
        raises ``ValueError`` where the spec raises (ORACLE-STRAT-3)."""
        dtype = np.dtype(self.dtype)
        available = self.available_steps()
        if self.n_steps is None:
            n = available
        else:
            n = self.n_steps
            if n < 0:
                raise ValueError(f"n_steps is {n}; it must be >= 0")
            if available is not None and n > available:
                raise ValueError(f"n_steps is {n} but the sequences provide {available} steps")
        windows = []
        for s in self.sequences:
            lowest = min(min(s.taps), 0)
            for k in s.taps:
                window = s.data[k - lowest: k - lowest + s.available]
                if self.go_backwards:
                    window = window[::-1]
                windows.append(window[:n])
        history = []
        for o in self.outputs:
            if o.recurrent:
                rows = [o.initial] if not o.multiple_taps else list(o.initial[: -min(o.taps)])
                history.append(rows)
        traces: list[list[np.ndarray]] = [[] for _ in self.outputs]
        non_sequences = [value for _, value in self.non_sequences]
        for t in range(n):
            args = [w[t] for w in windows]
            r = 0
            for o in self.outputs:
                if o.recurrent:
                    args += [history[r][k] for k in o.taps]
                    r += 1
            args += non_sequences
            results = []
            with np.errstate(all="ignore"):
                for o in self.outputs:
                    acc = None
                    for weight, arg in zip(o.weights, args, strict=True):
                        if weight == 0:
                            continue
                        term = np.asarray(arg, dtype) if weight == 1 else (
                            np.negative(arg) if weight == -1 else np.multiply(arg, dtype.type(weight)))
                        acc = term if acc is None else np.add(acc, term)
                    if o.bias:
                        acc = np.add(acc, dtype.type(o.bias))
                    if o.activation == "tanh":
                        acc = np.tanh(acc)
                    elif o.activation == "sin":
                        acc = np.sin(acc)
                    results.append(np.asarray(acc, dtype))
            r = 0
            for o, value, trace in zip(self.outputs, results, traces, strict=True):
                trace.append(value)
                if o.recurrent:
                    history[r].append(value)
                    r += 1
            if self.until is not None:
                # a sum as the reference computes it: float32 accumulates in float64 (OP-REDUCE-2)
                first = (results[0].sum(dtype="float64").astype(dtype) if dtype == np.float32 else
                         results[0].sum()) if self.row_shape else results[0]
                if first > dtype.type(self.until):
                    break
        return [np.stack(tr) if tr else np.empty((0, *self.row_shape), dtype) for tr in traces]

    def rules(self) -> list[str]:
        """The scan rules this program exercises (for tables by rule)."""
        rules = ["SCAN-OUT-1"]
        if self.n_steps is None:
            rules.append("SCAN-STEPS-1")
        elif self.n_steps < 0 or self.n_steps == 0:
            rules.append("SCAN-STEPS-4")
        if self.expects_error() and self.n_steps is not None and self.n_steps > 0:
            rules.append("SCAN-STEPS-3")
        if any(s.taps != (0,) for s in self.sequences):
            rules.append("SCAN-TAPS-1")
        if any(o.recurrent for o in self.outputs):
            rules.append("SCAN-TAPS-3")
        if any(o.multiple_taps for o in self.outputs):
            rules.append("SCAN-INIT-2")
        if self.go_backwards and self.sequences:
            rules.append("SCAN-BACK-1")
        if self.until is not None:
            rules.append("SCAN-UNTIL-1")
        if not self.expects_error() and (self.n_steps == 0 or self.available_steps() == 0 and self.n_steps is None):
            rules.append("SCAN-OUT-3")
        return rules

    def __repr__(self) -> str:
        return f"ScanProgram(\n{self.graph_source()}\n# values: {self.input_values()!r}\n)"


# -- strategies --------------------------------------------------------------------------------
def _elements(dtype: str) -> st.SearchStrategy:
    if dtype in INT_DTYPES:
        return st.integers(-3, 3)
    return st.integers(-4, 4).map(lambda i: i / 2)


def _array(draw: Any, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    size = int(np.prod(shape)) if shape else 1
    items = draw(st.lists(_elements(dtype), min_size=size, max_size=size))
    return np.asarray(items, dtype=dtype).reshape(shape)


@st.composite
def scan_programs(draw: Any, *, dtypes: tuple[str, ...] = ("float64", "float32", "int64", "int32"),
                  max_length: int = 6, max_sequences: int = 2, max_outputs: int = 3,
                  max_non_sequences: int = 2, vector_rows: bool = True, allow_until: bool = True,
                  allow_backwards: bool = True, n_steps_forms: tuple[str, ...] = ("none", "constant", "symbolic"),
                  allow_errors: bool = False) -> ScanProgram:
    """Draw a :class:`ScanProgram` (ORACLE-STRAT-1).

    Lengths run from 0; sequence taps from -2 to 2 (unsorted, repeats allowed); outputs
    mix mapped, single-tap and multi-tap recurrent ones; ``n_steps`` is absent, a
    constant or a symbolic input (``n_steps_forms``) and never more than the sequences
    provide unless ``allow_errors`` (then it may also be negative).  Integer programs use
    ``id`` steps with weights in {-1, 0, 1}; float programs also use ``tanh`` and ``sin``.
    """
    dtype = draw(st.sampled_from(dtypes))
    row = (draw(st.integers(1, 3)),) if vector_rows and draw(st.booleans()) else ()
    n_seq = draw(st.integers(0, max_sequences))
    sequences = []
    for i in range(n_seq):
        taps = tuple(draw(st.lists(st.integers(-2, 2), min_size=1, max_size=3)))
        if draw(st.booleans()):
            taps = (0,)
        length = draw(st.integers(0, max_length))
        sequences.append(Sequence(f"x{i}", taps, _array(draw, dtype, (length, *row))))
    available = min((s.available for s in sequences), default=None)
    forms = [f for f in n_steps_forms if not (f == "none" and not sequences)]
    form = draw(st.sampled_from(forms or ["constant"]))
    if form == "none":
        n_steps = None
    else:
        limit = available if available is not None else max_length
        if allow_errors:  # a negative constant is refused when scan is called: symbolic only
            n_steps = draw(st.integers(-1 if form == "symbolic" else 0, limit + 2))
        else:
            n_steps = draw(st.integers(0, limit))
    n_out = draw(st.integers(1, max_outputs))
    kinds = [draw(st.sampled_from(["mapped", "sit", "mit"])) for _ in range(n_out)]
    out_taps: list[tuple[int, ...]] = []
    for kind in kinds:
        if kind == "mapped":
            out_taps.append(())
        elif kind == "sit":
            out_taps.append((-1,))
        else:
            taps = tuple(draw(st.lists(st.integers(-3, -1), min_size=1, max_size=3, unique=True)))
            out_taps.append(taps if taps != (-1,) else (-2,))
    n_non = draw(st.integers(0, max_non_sequences))
    non_sequences = tuple((f"w{i}", _array(draw, dtype, row)) for i in range(n_non))
    n_args = sum(len(s.taps) for s in sequences) + sum(len(t) for t in out_taps) + n_non
    if n_args == 0:  # a step needs an argument: make output 0 read its previous value
        out_taps[0] = (-1,)
        n_args = 1
    is_int = dtype in INT_DTYPES
    weight_values = [1, -1, 0] if is_int else [1.0, 0.5, -1.0, -0.5, 2.0, 0.0]  # shrinks to 1
    outputs = []
    for j, taps in enumerate(out_taps):
        name = f"h{j}" if taps else f"y{j}"
        initial = None
        if taps == (-1,):
            initial = _array(draw, dtype, row)
        elif taps:
            rows = -min(taps) + draw(st.integers(0, 1))  # SCAN-INIT-2: extra rows are ignored
            initial = _array(draw, dtype, (rows, *row))
        weights = tuple(draw(st.sampled_from(weight_values)) for _ in range(n_args))
        if all(w == 0 for w in weights):
            first = draw(st.integers(0, n_args - 1))
            weights = tuple(1 if i == first else w for i, w in enumerate(weights))
        bias = draw(st.sampled_from([0, 1] if is_int else [0.0, 0.25, -1.0]))
        activation = "id" if is_int else draw(st.sampled_from(["id", "tanh", "sin"]))
        outputs.append(Output(name, taps, initial, weights, bias, activation))
    go_backwards = bool(sequences) and allow_backwards and draw(st.booleans())
    until = None
    if allow_until and draw(st.booleans()):
        until = float(draw(st.integers(-2, 4)))
    return ScanProgram(dtype=dtype, row_shape=row, sequences=tuple(sequences), outputs=tuple(outputs),
                       non_sequences=non_sequences, n_steps=n_steps,
                       n_steps_symbolic=form == "symbolic", go_backwards=go_backwards, until=until)


__all__ = ["Output", "ScanProgram", "Sequence", "scan_programs"]
