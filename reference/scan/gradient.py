"""The gradient of a loop: backpropagation through time as a reverse loop.
Spec: spec/4-gradients.rst (GRAD-SCAN-*).

The reverse loop is itself built with :func:`reference.scan` over the stored forward
steps, so it is a graph like any other and can be differentiated again.  At reverse step
``t`` (from the last executed step down), with ``pending[r]`` holding what later steps
already sent back to rows ``t, t-1, ...`` of recurrent output ``r``:

1. the cotangent of ``y_r[t]`` is the outer cotangent of that row plus ``pending[r][0]``;
2. the step is rebuilt on the stored inputs of step ``t`` and pulled back;
3. what the pullback gives a tap ``y_r[t+k]`` is added to ``pending[r]`` (shifted one row),
   what it gives a sequence tap is that step's row of the sequence's gradient, and what
   it gives a non-sequence is summed.

``truncate_gradient=k`` runs the reverse loop over the last ``min(k, n)`` steps only.
"""

from __future__ import annotations

import dataclasses
import weakref
from typing import Any

from reference.errors import SpecValueError
from reference.graph.basic import Apply, Variable
from reference.graph.traversal import clone_replace, depends_on
from reference.graph.type import DISCRETE_DTYPES
from reference.scan.spec import RecurrentOutput, ScanSpec


def _float(variable: Variable) -> bool:
    return getattr(variable.type, "dtype", "object") not in DISCRETE_DTYPES + ("object",)


def _split(spec: ScanSpec, outer: list[Variable]) -> tuple[list, list, list, list]:
    i = int(spec.n_steps_given)
    n_seq, n_rec, n_sh = len(spec.sequences), len(spec.recurrent), len(spec.shared_states)
    sequences = outer[i:i + n_seq]
    initials = outer[i + n_seq:i + n_seq + n_rec]
    non_sequences = outer[i + n_seq + n_rec + n_sh:]
    return sequences, initials, outer[i + n_seq + n_rec:i + n_seq + n_rec + n_sh], non_sequences


def forward_windows(spec: ScanSpec, sequences: list[Variable], n: Any) -> list[list[Variable]]:
    """Symbolic copies of the rows each sequence tap read (SCAN-TAPS-1, SCAN-BACK-1)."""
    import reference.tensor as pt

    windows = []
    for seq, value in zip(spec.sequences, sequences, strict=True):
        available = pt.maximum(0, value.shape[0] - (seq.highest - seq.lowest))
        per_tap = []
        for k in seq.taps:
            window = value[k - seq.lowest: k - seq.lowest + available]
            if spec.go_backwards:
                window = window[::-1]
            per_tap.append(window[:n])
        windows.append(per_tap)
    return windows


def forward_histories(spec: ScanSpec, initials: list[Variable], traces: list[Variable]) -> list[Variable]:
    """For each recurrent output, its initial rows followed by its trace."""
    import reference.tensor as pt

    histories = []
    recurrent_traces = [t for t, out in zip(traces, spec.outputs, strict=True) if isinstance(out, RecurrentOutput)]
    for out, initial, trace in zip(spec.recurrent, initials, recurrent_traces, strict=True):
        rows = initial[:out.depth] if out.multiple_taps else pt.expand_dims(initial, 0)
        histories.append(pt.concatenate([rows, trace]))
    return histories


def _with_every_row(node: Apply, output_grads: list[Variable | None]) -> tuple[Apply, list]:
    """A loop that keeps only its final rows (a storage plan, or a reverse loop's running
    sums) is differentiated through its twin that keeps every row; the cotangent of the kept
    rows goes to the twin's last rows (GRAD-SCAN-6: grad of a gradient recomputes them)."""
    import reference.tensor as pt

    full = node.op.with_keep([None] * len(node.op.keep)).make_node(*node.inputs)
    grads = list(output_grads)
    for o, k in enumerate(node.op.keep):
        if k is not None and grads[o] is not None:
            whole, kept = full.outputs[o], node.outputs[o]
            grads[o] = pt.concatenate([pt.zeros_like(whole[:whole.shape[0] - kept.shape[0]]), grads[o]])
    return full, grads


def _with_traced_states(node: Apply, output_grads: list[Variable | None]) -> tuple[Apply, list, list[int]]:
    """A loop whose outputs read a tensor shared variable it updates (a counter), or whose
    update of one receives a cotangent, is differentiated through its twin that carries
    each such variable as a recurrent output [sit-sot] whose trace is kept: the twin
    recomputes the same steps from the same initial values, and the update's cotangent
    goes to the last row of that trace (GRAD-SCAN-7).  Random generators stay untraced.
    Returns the node, the cotangents and, for each of the node's inputs, the twin's input
    that stands for it."""
    import reference.tensor as pt
    from reference.graph.type import TensorType
    from reference.scan.op import ScanOp

    spec: ScanSpec = node.op.spec
    n_out, n_sh = len(spec.outputs), len(spec.shared_states)
    steps = [o.step for o in spec.outputs]
    traced = [j for j, st in enumerate(spec.shared_states)
              if st.output is None and isinstance(st.variable.type, TensorType)
              and (output_grads[n_out + j] is not None or depends_on(steps, [st.inner]))]
    if not traced:
        return node, output_grads, list(range(len(node.inputs)))
    kept = [j for j in range(n_sh) if j not in traced]
    twin_spec = dataclasses.replace(
        spec,
        outputs=spec.outputs + tuple(
            RecurrentOutput(name=spec.shared_states[j].variable.name or f"shared_{j}", taps=(-1,),
                            inner=(spec.shared_states[j].inner,), step=spec.shared_states[j].update,
                            multiple_taps=False)
            for j in traced),
        shared_states=tuple(spec.shared_states[j] for j in kept))
    first_shared = int(spec.n_steps_given) + len(spec.sequences) + len(spec.recurrent)
    order = (list(range(first_shared)) + [first_shared + j for j in traced] + [first_shared + j for j in kept]
             + list(range(first_shared + n_sh, len(node.inputs))))
    twin = ScanOp(twin_spec, None, node.op.mode).make_node(*[node.inputs[k] for k in order])
    grads = list(output_grads[:n_out])
    for k, j in enumerate(traced):  # the twin's output n_out + k is shared state j's trace
        trace, g = twin.outputs[n_out + k], output_grads[n_out + j]
        grads.append(None if g is None else pt.set_subtensor(pt.zeros_like(trace)[-1], g))
    grads += [output_grads[n_out + j] for j in kept]
    where = [order.index(k) for k in range(len(node.inputs))]
    return twin, grads, where


_CONNECTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def connected_inputs(spec: ScanSpec, outputs: list[int]) -> set[int]:
    """The positions (among the outer inputs after ``n_steps``) of the inputs the loop's
    ``outputs`` depend on (GRAD-SCAN-1 step 5): the sequences, initial states and
    non-sequences whose placeholders the cotangent of an output's step reaches
    (GRAD-CHAIN-1); an output whose step reaches recurrent output ``r``'s taps also
    depends on ``r``'s initial state and on everything ``r`` depends on."""
    direct = _CONNECTIONS.setdefault(spec, {})
    first_initial = len(spec.sequences)
    recurrent = [o for o, out in enumerate(spec.outputs) if isinstance(out, RecurrentOutput)]
    found: set[int] = set()
    pending, seen = list(outputs), set(outputs)
    while pending:
        o = pending.pop()
        if o not in direct:
            direct[o] = _step_connections(spec, spec.outputs[o].step)
        found |= direct[o]
        for i in direct[o]:                                         # y[t] reads z[t-1]: y needs z's inputs
            r = i - first_initial
            if 0 <= r < len(recurrent) and recurrent[r] not in seen:
                seen.add(recurrent[r])
                pending.append(recurrent[r])
    return found


def _step_connections(spec: ScanSpec, step: Variable) -> set[int]:
    """The outer inputs (positions after ``n_steps``) whose placeholders ``step``'s
    cotangent reaches."""
    from reference.grad import backprop

    if not _float(step):
        return set()
    owner: dict[int, int] = {}                                      # placeholder -> outer input
    for s, seq in enumerate(spec.sequences):
        owner.update((id(p), s) for p in seq.inner)
    base = len(spec.sequences)
    for r, out in enumerate(spec.recurrent):
        owner.update((id(p), base + r) for p in out.inner)
    base += len(spec.recurrent) + len(spec.shared_states)
    owner.update((id(p), base + j) for j, p in enumerate(spec.non_sequences))
    placeholders = [p for p in spec.inner_inputs if id(p) in owner and _float(p)]
    grads = backprop([step], [step.type()], placeholders)
    return {owner[id(p)] for p, g in zip(placeholders, grads, strict=True) if g is not None}


def _replay_states(spec: ScanSpec, grads: list, outputs: list[Variable], rows: list[Variable],
                   states: list[Variable]) -> list:
    """GRAD-SCAN-7: the step's pullback ``grads`` read each output in ``outputs`` (one that
    depends on a state the loop updates, such as a random draw) from its stored ``rows``;
    if they still read such a state, whose per-step values are not stored, the gradient is
    not defined."""
    from reference.errors import NullTypeGradError

    if not states:
        return grads
    present = [g for g in grads if g is not None]
    present = clone_replace(present, dict(zip(outputs, rows, strict=True))) if outputs else present
    if depends_on(present, states):
        raise NullTypeGradError("GRAD-SCAN-7", f"scan {spec.name!r}: the gradient of a step reads a value computed from a shared variable or random generator updated inside the loop (such as a random draw) that is not one of the loop's outputs; its per-step values are not stored, so the gradient is not defined (return it as an output of fn)")
    it = iter(present)
    return [None if g is None else next(it) for g in grads]


def scan_pullback(node: Apply, output_grads: list[Variable | None]) -> list[Variable | None]:
    """Implements :rule:`GRAD-SCAN-1` .. :rule:`GRAD-SCAN-6`."""
    import reference.tensor as pt
    from reference.grad import backprop
    from reference.scan.basic import scan

    if any(k is not None for k in node.op.keep):
        node, output_grads = _with_every_row(node, output_grads)
    twin, twin_grads, where = _with_traced_states(node, output_grads)
    if twin is not node:
        grads = scan_pullback(twin, twin_grads)
        return [grads[k] for k in where]
    spec: ScanSpec = node.op.spec
    n_out = len(spec.outputs)
    traces, trace_grads = node.outputs[:n_out], list(output_grads[:n_out])
    if any(g is not None for g in output_grads[n_out:]):
        raise SpecValueError("GRAD-SCAN-7", f"scan {spec.name!r}: gradients through shared variables updated inside the loop are not defined; carry the state through outputs_info instead")
    sequences, initials, _, non_sequences = _split(spec, list(node.inputs))
    none = [None] * len(node.inputs)
    if not traces or all(g is None for g in trace_grads):
        return none

    n = traces[0].shape[0]                                           # executed steps (GRAD-SCAN-4)
    k = spec.truncate_gradient
    m = n if k == -1 else pt.minimum(n, k)                          # GRAD-SCAN-3
    windows = forward_windows(spec, sequences, n)
    histories = forward_histories(spec, initials, traces)
    tap_rows = [[h[out.depth + tap: out.depth + tap + n] for tap in out.taps]
                for out, h in zip(spec.recurrent, histories, strict=True)]
    cotangents = [g if g is not None else pt.zeros_like(t) for g, t in zip(trace_grads, traces, strict=True)]

    seq_placeholders = [p for s in spec.sequences for p in s.inner]
    rec_placeholders = [p for out in spec.recurrent for p in out.inner]
    flat_windows = [w for per_tap in windows for w in per_tap]
    flat_rows = [r for per_tap in tap_rows for r in per_tap]
    diff_seq = [i for i, p in enumerate(seq_placeholders) if _float(p)]
    diff_ns = [j for j, p in enumerate(spec.non_sequences) if _float(p)]
    n_rec = len(spec.recurrent)
    states = [s.inner for s in spec.shared_states]
    replayed = [o for o, out in enumerate(spec.outputs) if states and depends_on([out.step], states)]
    n_seq_args = n_out + len(flat_windows) + len(flat_rows) + len(replayed)

    def reverse_step(*args: Variable) -> list[Variable]:
        g = list(args[:n_out])
        ws = list(args[n_out:n_out + len(flat_windows)])
        hs = list(args[n_out + len(flat_windows):n_out + len(flat_windows) + len(flat_rows)])
        stored = list(args[n_out + len(flat_windows) + len(flat_rows):n_seq_args])
        rest = list(args[n_seq_args:])
        pending, accumulated, ns = rest[:n_rec], rest[n_rec:n_rec + len(diff_ns)], rest[n_rec + len(diff_ns):]
        mapping = dict(zip(seq_placeholders, ws, strict=True))
        mapping.update(zip(rec_placeholders, hs, strict=True))
        mapping.update(zip(spec.non_sequences, ns, strict=True))
        steps = clone_replace([out.step for out in spec.outputs], mapping)
        step_cotangents = []
        r = 0
        for o, out in enumerate(spec.outputs):                     # GRAD-SCAN-1 step 1
            if isinstance(out, RecurrentOutput):
                step_cotangents.append(g[o] + pending[r][0])
                r += 1
            else:
                step_cotangents.append(g[o])
        wrt = [ws[i] for i in diff_seq] + hs + [ns[j] for j in diff_ns]
        grads = backprop(steps, step_cotangents, wrt)             # GRAD-SCAN-1 step 2
        grads = _replay_states(spec, grads, [steps[o] for o in replayed], stored, states)
        grads = [pt.zeros_like(v) if gv is None else pt.cast(gv, v.dtype) for gv, v in zip(grads, wrt, strict=True)]
        g_seq = grads[:len(diff_seq)]
        g_rec = grads[len(diff_seq):len(diff_seq) + len(hs)]
        g_ns = grads[len(diff_seq) + len(hs):]
        new_pending = []
        position = 0
        for out, rows in zip(spec.recurrent, pending, strict=True):  # GRAD-SCAN-1 step 3
            shifted = pt.concatenate([rows[1:], pt.zeros_like(rows[:1])])
            for tap in out.taps:
                shifted = pt.inc_subtensor(shifted[-tap - 1], g_rec[position])
                position += 1
            new_pending.append(shifted)
        new_accumulated = [a + gn for a, gn in zip(accumulated, g_ns, strict=True)]
        return new_pending + new_accumulated + g_seq

    reverse = [x[::-1] for x in cotangents + flat_windows + flat_rows + [traces[o] for o in replayed]]
    pending_init = [pt.zeros_like(h[:out.depth]) for out, h in zip(spec.recurrent, histories, strict=True)]
    acc_init = [pt.zeros_like(non_sequences[j]) for j in diff_ns]
    n_mapped = len(diff_seq)
    results = scan(reverse_step, sequences=reverse, outputs_info=pending_init + acc_init + [None] * n_mapped,
                   non_sequences=non_sequences, n_steps=m, name=f"grad_of_{spec.name}",
                   return_list=True, return_updates=False)
    # storage: pending rows and running sums are read only through their last row, so the
    # reverse loop keeps one row of each instead of one per step (the rows of a sequence's
    # gradient are all kept); without this the running sum of a (32, 32) weight alone
    # would hold n * 8 kB
    if results:
        loop = results[0].owner
        keep = [1] * (n_rec + len(diff_ns)) + [None] * n_mapped
        results = loop.op.with_keep(keep).make_node(*loop.inputs).outputs[:len(results)]
    final = [pt.concatenate([pt.expand_dims(init, 0), trace[-1:]])[-1]  # trace[-1:]: SCAN-MEM-1 keeps 1 row
             for init, trace in zip(pending_init + acc_init, results[:n_rec + len(diff_ns)], strict=True)]
    pending_final, acc_final = final[:n_rec], final[n_rec:]
    seq_rows = results[n_rec + len(diff_ns):]

    grads: list[Variable | None] = list(none)
    base = int(spec.n_steps_given)
    # sequences: the reverse rows, put back in forward order after n - m zero rows (GRAD-SCAN-2)
    window_grads = []
    for row_grads, i in zip(seq_rows, diff_seq, strict=True):
        forward_rows = row_grads[::-1]
        window = flat_windows[i]
        window_grads.append(pt.concatenate([pt.zeros_like(window[:n - m]), forward_rows]))
    seq_grads = backprop([flat_windows[i] for i in diff_seq], window_grads, sequences) if diff_seq else [None] * len(sequences)
    for s, gs in enumerate(seq_grads):
        grads[base + s] = gs
    # initial states (GRAD-SCAN-1 step 4): after the last reverse step (t = n - m), row i of
    # pending holds what the window sent to history row y[n-m-1-i]; the initial rows are
    # y[-depth] .. y[-1].  With truncation (d = n - m > 0) a window step may still read an
    # initial row through a tap -j with j > d: those rows keep their gradient, the rest get
    # zero (GRAD-SCAN-3); a sit-sot initial state (depth 1) gets zero whenever d > 0.
    offset = base + len(sequences)
    for r, (out, initial, rows) in enumerate(zip(spec.recurrent, initials, pending_final, strict=True)):
        if not _float(initial):
            continue
        if out.multiple_taps:
            value = rows[::-1]                                       # y[n-m-depth] .. y[n-m-1]
            if k != -1:
                d = pt.minimum(n - m, out.depth)
                value = pt.concatenate([pt.zeros_like(value), value])[out.depth - d:2 * out.depth - d]
            value = pt.concatenate([value, pt.zeros_like(initial[out.depth:])])
        else:
            value = rows[0]
            if k != -1:
                value = pt.switch(pt.eq(m, n), value, pt.zeros_like(value))
        grads[offset + r] = value
    offset += len(initials) + len(spec.shared_states)
    for j, g in zip(diff_ns, acc_final, strict=True):              # GRAD-SCAN-5
        grads[offset + j] = g
    # GRAD-SCAN-1 step 5: an input no differentiated output depends on is disconnected
    connected = connected_inputs(spec, [o for o, g in enumerate(trace_grads) if g is not None])
    return [g if i >= base and i - base in connected else None for i, g in enumerate(grads)]
