"""``scan_checkpoints``: a loop that stores only every ``save_every_N``-th state, so that its
gradient recomputes the steps in between.  Spec: spec/4-gradients.rst (GRAD-CKPT-*)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reference.errors import SpecValueError
from reference.scan.basic import _as_list, scan


class TapsNotSupported(SpecValueError, RuntimeError):
    """``scan_checkpoints`` is singly recurrent: no taps (GRAD-CKPT-3)."""


def scan_checkpoints(fn: Callable[..., Any], sequences: Any = None, outputs_info: Any = None,
                     non_sequences: Any = None, name: str = "checkpointscan_fn",
                     n_steps: Any = None, save_every_N: int = 10, padding: bool = True,
                     return_updates: bool = True) -> Any:
    """Run ``fn`` like ``reference.scan``, as an outer loop over chunks of
    ``save_every_N`` steps each running an inner loop (GRAD-CKPT-1).

    Returns, for each output, the value at the end of each chunk (steps N-1, 2N-1, ...,
    n-1), so ``outputs[-1]`` is the plain loop's last value.  Sequences are read from the
    start, all of the same length; ``padding`` zero-pads them to a whole number of chunks.
    """
    import reference.tensor as pt

    seqs = _as_list(sequences)
    infos = _as_list(outputs_info)
    consts = _as_list(non_sequences)
    for where, items in (("sequences", seqs), ("outputs_info", infos)):
        for i, item in enumerate(items):
            if isinstance(item, Mapping) and "taps" in item:
                raise TapsNotSupported("GRAD-CKPT-3", f"scan_checkpoints doesn't work with taps ({where}[{i}] has taps); use scan")
    seqs = [pt.as_tensor_variable(s) for s in seqs]
    if isinstance(save_every_N, bool) or not isinstance(save_every_N, int) or save_every_N < 1:
        raise SpecValueError("GRAD-CKPT-1", f"save_every_N must be an int >= 1, got {save_every_N!r}")
    if n_steps is None:
        if not seqs:
            raise SpecValueError("SCAN-STEPS-1", "scan_checkpoints needs n_steps or at least one sequence")
        n_steps = seqs[0].shape[0]
    n = pt.cast(pt.as_tensor_variable(n_steps), "int64")
    size = save_every_N
    n_chunks = (n + size - 1) // size
    last_length = n - (n_chunks - 1) * size
    chunked = []
    for s in seqs:  # GRAD-CKPT-2: pad to whole chunks, then one row per chunk
        rows = s[:n]
        if padding:
            filler = pt.alloc(pt.zeros_like(s[0]), n_chunks * size - n, *[s.shape[i] for i in range(1, s.ndim)])
            rows = pt.concatenate([rows, filler])
        chunked.append(pt.reshape(rows, [n_chunks, size] + [s.shape[i] for i in range(1, s.ndim)], ndim=s.ndim + 1))
    recurrent = [i for i, info in enumerate(infos) if info is not None]

    def chunk(*args: Any) -> list:
        chunk_seqs = list(args[:len(chunked)])
        index = args[len(chunked)]
        states = list(args[len(chunked) + 1:len(chunked) + 1 + len(recurrent)])
        chunk_consts = list(args[len(chunked) + 1 + len(recurrent):])
        steps = pt.switch(pt.eq(index, n_chunks - 1), last_length, size)
        inner_info = [None] * len(infos)
        for position, i in enumerate(recurrent):
            inner_info[i] = states[position]
        outputs = scan(fn, sequences=chunk_seqs, outputs_info=inner_info or None,
                       non_sequences=chunk_consts, n_steps=steps, name=f"{name}_chunk",
                       return_list=True, return_updates=False)
        # a copy of the last row: o[-1] is a view, and the outer loop storing it would keep
        # every chunk's whole inner trace alive (n rows in all instead of n / N)
        return [pt.identity(o[-1]) for o in outputs]

    results = scan(chunk, sequences=chunked + [pt.arange(n_chunks)], outputs_info=infos or None,
                   non_sequences=consts, n_steps=n_chunks, name=name, return_updates=False)
    return (results, {}) if return_updates else results
