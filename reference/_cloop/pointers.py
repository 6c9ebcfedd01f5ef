"""Function pointers into numpy: ufunc inner loops and numpy's own BLAS.  Spec: KERN-EXACT-2.

The kernel computes transcendentals, float ``//`` and ``%``, and reductions by calling the
very loop numpy runs for the same ufunc and dtypes, and ``dot`` by calling the BLAS numpy
is linked with; so the bits are numpy's by construction.  The self-check
(``selfcheck.py``) still compares every use against numpy at import.

* A ufunc's loops are read from its ``PyUFuncObject`` (numpy's public struct,
  ``ufuncobject.h``): ``functions[k]`` and ``data[k]`` for the ``k``-th entry of
  ``ufunc.types``.  The struct's layout is checked against the ufunc's Python attributes
  (``nin``, ``nout``, ``ntypes``, ``__name__``) before any pointer is used.
* numpy's BLAS is the ``scipy-openblas`` library in ``numpy.libs`` (wheels); its CBLAS
  symbols are ``scipy_cblas_ddot64_`` etc. (64-bit integers).  Other builds: the plain
  ``cblas_*`` names of the library numpy loaded.  Nothing found: ``dot`` does not lower.
"""

from __future__ import annotations

import ctypes
import glob
import importlib
import os
from dataclasses import dataclass
from functools import cache

import numpy as np

from reference._cloop.tape import FnRef

_HEAD = 2 * ctypes.sizeof(ctypes.c_ssize_t)   # PyObject_HEAD: ob_refcnt, ob_type
_PTR = ctypes.sizeof(ctypes.c_void_p)


class PointerError(Exception):
    """A function pointer could not be found or its struct did not check out."""


def ufunc_object(name: str) -> np.ufunc:
    """``"numpy.exp"`` or ``"scipy.special.expit"`` to the ufunc object."""
    module, _, attr = name.rpartition(".")
    ufunc = getattr(importlib.import_module(module), attr)
    if not isinstance(ufunc, np.ufunc):
        raise PointerError(f"{name} is not a ufunc")
    return ufunc


@cache
def ufunc_loop(name: str, types: str) -> tuple[int, int]:
    """The (function, data) pointers of ``name``'s loop for ``types`` (e.g. ``"dd->d"``)."""
    ufunc = ufunc_object(name)
    base = id(ufunc)
    nin, nout, _nargs, _identity = (ctypes.c_int * 4).from_address(base + _HEAD)
    functions = ctypes.c_void_p.from_address(base + _HEAD + 16).value
    data = ctypes.c_void_p.from_address(base + _HEAD + 16 + _PTR).value
    ntypes = ctypes.c_int.from_address(base + _HEAD + 16 + 2 * _PTR).value
    cname = ctypes.c_char_p.from_address(base + _HEAD + 16 + 3 * _PTR).value
    if (nin, nout, ntypes) != (ufunc.nin, ufunc.nout, ufunc.ntypes) or cname is None \
            or cname.decode() != ufunc.__name__ or not functions:
        raise PointerError(f"{name}: the PyUFuncObject layout is not numpy's documented one")
    if types not in ufunc.types:
        raise PointerError(f"{name} has no loop {types}")
    k = ufunc.types.index(types)
    fn = ctypes.c_void_p.from_address(functions + _PTR * k).value
    dat = ctypes.c_void_p.from_address(data + _PTR * k).value if data else None
    if not fn:
        raise PointerError(f"{name}[{types}]: the loop pointer is NULL")
    return fn, dat or 0


@dataclass(frozen=True)
class Blas:
    path: str
    ilp64: bool
    symbols: dict[str, int]


_BLAS_NAMES = ("ddot", "sdot", "dgemv", "sgemv", "dgemm", "sgemm")


@cache
def numpy_blas() -> Blas:
    """numpy's own CBLAS: the library file and the addresses of the routines we call."""
    candidates = sorted(glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*")))
    candidates += sorted(glob.glob(os.path.join(os.path.dirname(np.__file__), ".dylibs", "*openblas*")))
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix, ilp64 in (("scipy_", "64_", True), ("scipy_", "", False),
                                      ("", "64_", True), ("", "", False)):
            try:
                symbols = {name: ctypes.cast(getattr(lib, f"{prefix}cblas_{name}{suffix}"),
                                             ctypes.c_void_p).value
                           for name in _BLAS_NAMES}
            except AttributeError:
                continue
            return Blas(path, ilp64, symbols)  # type: ignore[arg-type]
    raise PointerError("numpy's BLAS library was not found (looked for openblas in numpy.libs)")


def resolve(ref: FnRef) -> tuple[int, int]:
    """(function, data) pointers for a program's function reference."""
    if ref.kind == "ufunc":
        return ufunc_loop(ref.name, ref.types)
    if ref.kind == "blas":
        return numpy_blas().symbols[ref.name], 0
    raise PointerError(f"unknown function kind {ref.kind}")


def blas_ilp64() -> bool:
    try:
        return numpy_blas().ilp64
    except PointerError:
        return True
