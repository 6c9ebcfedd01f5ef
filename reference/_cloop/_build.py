"""cffi builder for the C kernel (API mode, out-of-line): ``reference._cloop._kernel`` (KERN-BUILD-1).

``setup.py`` hands ``ffibuilder`` to setuptools through ``cffi_modules``, so ``pip install .``
and ``pip install -e .`` compile the kernel.  Environment variables read at build time:

``REFERENCE_REQUIRE_CLOOP=1``
    A failed compile fails the install.  Otherwise the extension is *optional*: with no
    working C compiler the install still succeeds, and ``reference._cloop.HAVE_CLOOP`` is
    False with the reason kept in ``CLOOP_IMPORT_ERROR``.
``REFERENCE_CLOOP_DEBUG=1``
    Debug build: ``-O0 -g -DCLOOP_CHECKED`` (bounds checks in the kernel, for gdb).
``REFERENCE_CLOOP_SANITIZE=1``
    AddressSanitizer and UndefinedBehaviorSanitizer build (``-fsanitize=address,undefined``,
    plus the checked build's asserts), for ``tox -e asan``.  Python itself is not
    instrumented, so the ASan runtime must be preloaded: see ``tox.ini`` [testenv:asan].

The flags keep the kernel's floating point bit-identical to numpy's array loops:
no contraction into FMA, no fast-math (``-fno-fast-math`` also on the link line, so a
user's ``CFLAGS=-ffast-math`` cannot link ``crtfastmath.o`` and flush denormals to zero
in the whole process).  See the ecosystem notes, section 1.6.
"""

import os
import re

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))

# setuptools wants paths relative to the project root, which is the working directory
# of every build that setup.py drives.
SOURCES = [os.path.relpath(os.path.join(HERE, "kernel.c"))]
HEADER = os.path.relpath(os.path.join(HERE, "kernel.h"))
OPCODES_HEADER = os.path.relpath(os.path.join(HERE, "opcodes.h"))
INCLUDE_DIRS = [os.path.relpath(HERE)]

# -fwrapv and -fno-strict-aliasing: registers are typed views of raw bytes, and integer
# opcodes wrap (they compute in unsigned types anyway).  -O3 lets gcc vectorise the
# elementwise loops; it never reassociates floating point without fast-math.
FP_FLAGS = ["-fno-fast-math", "-ffp-contract=off", "-fno-math-errno", "-fwrapv",
            "-fno-strict-aliasing", "-std=gnu11"]
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
            "-fno-omit-frame-pointer"]
if os.environ.get("REFERENCE_CLOOP_SANITIZE") == "1":
    COMPILE_ARGS = ["-O1", "-g", "-DCLOOP_CHECKED", *SANITIZE, *FP_FLAGS]
    LINK_ARGS = ["-fno-fast-math", *SANITIZE]
elif os.environ.get("REFERENCE_CLOOP_DEBUG") == "1":
    COMPILE_ARGS = ["-O0", "-g", "-DCLOOP_CHECKED", *FP_FLAGS]
    LINK_ARGS = ["-fno-fast-math"]
else:
    COMPILE_ARGS = ["-O3", *FP_FLAGS]
    LINK_ARGS = ["-fno-fast-math"]
OPTIONAL = os.environ.get("REFERENCE_REQUIRE_CLOOP") != "1"


def read_cdef(path: str) -> str:
    """The header without its preprocessor lines: cffi's cdef takes only declarations."""
    with open(path, encoding="utf-8") as f:
        return "".join(line for line in f if not re.match(r"\s*#", line))


ffibuilder = FFI()
ffibuilder.cdef(read_cdef(HEADER))
ffibuilder.set_source(
    "reference._cloop._kernel",
    # setuptools rebuilds only when a source is newer than the .so.  Naming the flags in
    # the generated source makes a flag change (e.g. the debug build) rewrite that
    # source, so the extension is rebuilt instead of an old .so being reused.
    f'/* compiled with: {" ".join(COMPILE_ARGS)} */\n#include "kernel.h"\n',
    sources=SOURCES,
    depends=[HEADER, OPCODES_HEADER],
    include_dirs=INCLUDE_DIRS,
    libraries=["m"],
    extra_compile_args=COMPILE_ARGS,
    extra_link_args=LINK_ARGS,
    optional=OPTIONAL,
)
