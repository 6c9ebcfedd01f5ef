/* C ABI of the scan inner-loop kernel (reference._cloop._kernel).
 *
 * This header is the single source of truth for the C interface: _build.py passes it,
 * minus its '#' lines, to cffi's cdef, and kernel.c includes it.  So keep it cdef-clean:
 * plain prototypes and types only; macros and include guards go on '#' lines.
 *
 * For now it declares only cloop_abi_version(), which proves that the build works and
 * lets Python detect a stale compiled module.  The real kernel comes in a later issue.
 */
#ifndef REFERENCE_CLOOP_KERNEL_H
#define REFERENCE_CLOOP_KERNEL_H

/* Bump on every change to this interface; reference/_cloop/__init__.py checks it. */
#define CLOOP_ABI_VERSION 1

int cloop_abi_version(void);

#endif
