/* The scan inner-loop kernel.
 *
 * Placeholder: the real kernel (one `for t` loop around one `switch` over opcodes)
 * comes in a later issue.  Today this file holds one real function so that the cffi
 * build, the compiler flags and the no-compiler fallback are exercised end to end.
 */
#include "kernel.h"

int cloop_abi_version(void)
{
    return CLOOP_ABI_VERSION;
}
