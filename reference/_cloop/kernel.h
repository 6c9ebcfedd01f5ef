/* C ABI of the scan inner-loop kernel (reference._cloop._kernel).  Spec: spec/5-kernel.rst.
 *
 * This header is the single source of truth for the C interface: _build.py passes it,
 * minus its '#' lines, to cffi's cdef, and kernel.c includes it.  So keep it cdef-clean:
 * plain types and prototypes only; macros and include guards go on '#' lines.
 *
 * Python (reference/_cloop/runtime.py) builds a cloop_plan: the tape (code), the loop
 * geometries, the register file, how registers are rebound at each step (sequence rows,
 * ring-buffer taps, views), the ring buffers of the recurrent outputs and the numpy loop and
 * BLAS function pointers.  reference/_cloop/validate.py checks every index, offset and
 * extent of it first (KERN-SAFE-1); the kernel trusts the plan and never allocates, never
 * calls Python and never reads or writes outside what the plan names.
 */
#ifndef REFERENCE_CLOOP_KERNEL_H
#define REFERENCE_CLOOP_KERNEL_H

#include <stdint.h>

/* Bump on every change to this interface; reference/_cloop/__init__.py checks it. */
#define CLOOP_ABI_VERSION 3

/* cloop_instr.flags */
#define CLOOP_F_SCALAR 1  /* every operand is a single element */
#define CLOOP_F_FLAT 2    /* one loop; dst contiguous; each input contiguous or broadcast */

/* cloop_result.status */
#define CLOOP_DONE 0      /* ran to t_end */
#define CLOOP_STOPPED 1   /* the until register was nonzero after step t - 1 */
#define CLOOP_E_OPCODE -1 /* unknown opcode at pc */

/* One instruction: dst = op(a, b, c).  Registers are indices into cloop_plan.regs. */
typedef struct {
    int32_t op;       /* enum cloop_opcode (opcodes.h) */
    int32_t flags;    /* CLOOP_F_* */
    int32_t dst, a, b, c;
    int32_t geom;     /* index into geoms (elementwise and CALL opcodes) */
    int32_t fn;       /* index into fns/fn_data (CALL and BLAS opcodes) */
    int64_t imm[10];  /* BLAS and MATMUL: order/trans flags, sizes, leading dimensions, strides */
} cloop_instr;

/* A loop nest over up to three axes (n[0] outermost) with byte strides per operand:
 * s[0] dst, s[1] a, s[2] b, s[3] c.  A stride of 0 broadcasts. */
typedef struct {
    int64_t n[3];
    int64_t s[4][3];
} cloop_geom;

/* regs[reg] = seq_base[seq] + offset + t * step   (step < 0 walks backwards) */
typedef struct {
    int32_t reg, seq;
    int64_t offset, step;
} cloop_seqbind;

/* regs[reg] = row (head + tap) mod size of ring states[state]; tap < 0 */
typedef struct {
    int32_t reg, state;
    int64_t tap;
} cloop_tapbind;

/* regs[reg] = regs[parent] + offset   (applied in order, after the other binds) */
typedef struct {
    int32_t reg, parent;
    int64_t offset;
} cloop_viewbind;

/* A ring buffer of `size` rows of `row_bytes` bytes; `head` is the row this step writes.
 * After the step, register `src` (row_bytes contiguous bytes) is copied to the head row,
 * unless `direct`: then `src` was bound to the head row before the step ran. */
typedef struct {
    char *base;
    int64_t row_bytes, size, head;
    int32_t src, direct;
} cloop_state;

typedef struct {
    int32_t abi_version;
    int32_t n_code, n_regs, n_geoms, n_fns;
    int32_t n_seqbinds, n_tapbinds, n_viewbinds, n_states, n_seqs;
    int32_t until_reg;    /* -1: no until; else a bool register read after each step */
    int32_t blas_ilp64;   /* 1: BLAS integers are int64_t; 0: int */
    const cloop_instr *code;
    const cloop_geom *geoms;
    char **regs;
    const cloop_seqbind *seqbinds;
    const cloop_tapbind *tapbinds;
    const cloop_viewbind *viewbinds;
    cloop_state *states;
    char **seq_base;
    void **fns;
    void **fn_data;
} cloop_plan;

typedef struct {
    int64_t t;        /* the next step to run: steps [t_begin, t) ran */
    int32_t status;   /* CLOOP_DONE, CLOOP_STOPPED or CLOOP_E_* */
    int32_t pc;       /* the instruction of an error */
} cloop_result;

int cloop_abi_version(void);
int64_t cloop_sizeof_plan(void);
int64_t cloop_sizeof_instr(void);
int64_t cloop_sizeof_geom(void);

/* Run steps t_begin .. t_end - 1.  Resumable: the ring heads live in the plan. */
int32_t cloop_run(cloop_plan *plan, int64_t t_begin, int64_t t_end, cloop_result *result);

/* Run one instruction outside any loop (the import-time self-check uses it). */
int32_t cloop_exec(cloop_plan *plan, int32_t pc);

#endif
