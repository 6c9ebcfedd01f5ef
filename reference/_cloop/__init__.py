"""The optional C inner loop, compiled by ``pip install`` through cffi (see ``_build.py``).

This module is the only importer of the compiled ``_kernel``; the rest of the package
asks ``HAVE_CLOOP`` and never touches ``ffi``/``lib`` directly.  Importing never fails and
never warns: without the kernel, ``HAVE_CLOOP`` is False, ``CLOOP_IMPORT_ERROR`` says why,
and the pure-Python path is used.

The modules (spec/5-kernel.rst): ``opcodes`` (the instruction set, source of the C enum),
``tape`` (programs and ``disassemble``), ``lower`` (step graph to program), ``validate``
(the checks before every call), ``pointers`` (numpy's loops and BLAS), ``selfcheck``,
``runtime`` (running a program), ``dispatch`` (which path runs a loop), ``mirror`` (the
loop in Python, ``first_divergence``) and ``bench``.
"""

from typing import Any

__all__ = ["CLOOP_IMPORT_ERROR", "HAVE_CLOOP", "disassemble", "kernel_status"]

# Must equal CLOOP_ABI_VERSION in kernel.h: a compiled module that reports another
# version is stale (built from an older kernel.h) and is not used.
ABI_VERSION = 3

REBUILD_HINT = (
    "to build it, install a C compiler (e.g. gcc) and reinstall: "
    "`pip install -e .` in a checkout, or `pip install --force-reinstall --no-deps .`"
)

ffi: Any = None
lib: Any = None
CLOOP_IMPORT_ERROR: str | None = None

try:
    from reference._cloop._kernel import ffi, lib
except ImportError as e:
    CLOOP_IMPORT_ERROR = f"{type(e).__name__}: {e}"
else:
    if lib.cloop_abi_version() != ABI_VERSION:
        CLOOP_IMPORT_ERROR = (
            f"stale build: the compiled kernel reports ABI {lib.cloop_abi_version()}, "
            f"this package expects ABI {ABI_VERSION}"
        )
        ffi = lib = None

HAVE_CLOOP: bool = CLOOP_IMPORT_ERROR is None


def disassemble(program: Any) -> str:
    """A lowered program, readably (``reference._cloop.tape.disassemble``)."""
    from reference._cloop.tape import disassemble as _disassemble

    return _disassemble(program)


def kernel_status() -> str:
    """One line for humans: bug reports, CI logs, ``python -m reference`` diagnostics."""
    if HAVE_CLOOP:
        from reference._cloop import _kernel

        return f"C kernel: available (ABI {ABI_VERSION}, {_kernel.__file__})"
    return f"C kernel: unavailable ({CLOOP_IMPORT_ERROR}); {REBUILD_HINT}"
