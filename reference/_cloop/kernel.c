/* The scan inner-loop kernel.  Spec: spec/5-kernel.rst (KERN-*).  It never allocates and
 * never calls Python (KERN-RUN-1).
 *
 * One `for t` loop (cloop_run) around one `for pc` loop with one `switch` (exec).  Each
 * step: bind the registers that move (sequence rows, ring-buffer taps, direct outputs,
 * views), run the tape, commit the outputs to their ring buffers, test `until`.
 *
 * Everything this file does was decided in Python beforehand (reference/_cloop/runtime.py)
 * and checked by reference/_cloop/validate.py: step counts, offsets, tap rows, ring sizes,
 * go_backwards, what to keep.  The kernel never allocates, never calls Python (cffi releases
 * the GIL around cloop_run) and trusts every index in the plan.  Build with
 * REFERENCE_CLOOP_DEBUG=1 (-O0 -g -DCLOOP_CHECKED) to assert them again here.
 *
 * Floating point: compiled with -ffp-contract=off and without fast-math, so each C
 * expression rounds exactly as numpy's loop does.  Transcendentals, float // and %, and
 * reductions are not written here: CALL1/CALL2 call numpy's own ufunc loops through the
 * pointers in fns[], and DOT/GEMV/GEMM call numpy's own BLAS (KERN-EXACT-2).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernel.h"
#include "opcodes.h"

#ifdef CLOOP_CHECKED
#include <assert.h>
#define CHECK(cond) assert(cond)
#else
#define CHECK(cond) ((void)0)
#endif

/* numpy's PyUFuncGenericFunction */
typedef void (*cl_loop)(char **args, const intptr_t *dims, const intptr_t *steps, void *data);

/* CBLAS, with 64-bit (ILP64, numpy's scipy-openblas64) or int-sized integers */
typedef double (*cl_ddot64)(int64_t, const double *, int64_t, const double *, int64_t);
typedef float (*cl_sdot64)(int64_t, const float *, int64_t, const float *, int64_t);
typedef void (*cl_dgemv64)(int, int, int64_t, int64_t, double, const double *, int64_t,
                           const double *, int64_t, double, double *, int64_t);
typedef void (*cl_sgemv64)(int, int, int64_t, int64_t, float, const float *, int64_t,
                           const float *, int64_t, float, float *, int64_t);
typedef void (*cl_dgemm64)(int, int, int, int64_t, int64_t, int64_t, double, const double *,
                           int64_t, const double *, int64_t, double, double *, int64_t);
typedef void (*cl_sgemm64)(int, int, int, int64_t, int64_t, int64_t, float, const float *,
                           int64_t, const float *, int64_t, float, float *, int64_t);
typedef double (*cl_ddot32)(int, const double *, int, const double *, int);
typedef float (*cl_sdot32)(int, const float *, int, const float *, int);
typedef void (*cl_dgemv32)(int, int, int, int, double, const double *, int, const double *, int,
                           double, double *, int);
typedef void (*cl_sgemv32)(int, int, int, int, float, const float *, int, const float *, int,
                           float, float *, int);
typedef void (*cl_dgemm32)(int, int, int, int, int, int, double, const double *, int,
                           const double *, int, double, double *, int);
typedef void (*cl_sgemm32)(int, int, int, int, int, int, float, const float *, int,
                           const float *, int, float, float *, int);

/* -- numpy's integer and cast semantics, without undefined behaviour ------------------- */

/* x // y: floor division; x // 0 == 0; MIN // -1 wraps to MIN (numpy) */
#define CL_FDIV(NAME, T, U)                                                    \
    static inline T NAME(T x, T y)                                             \
    {                                                                          \
        if (y == 0) return 0;                                                  \
        if (y == -1) return (T)((U)0 - (U)x);                                  \
        T q = (T)(x / y);                                                      \
        if ((T)(x % y) != 0 && ((x < 0) != (y < 0))) q--;                      \
        return q;                                                              \
    }
/* x % y: the sign of y; x % 0 == 0 (numpy) */
#define CL_MOD(NAME, T)                                                        \
    static inline T NAME(T x, T y)                                             \
    {                                                                          \
        if (y == 0 || y == -1) return 0;                                       \
        T r = (T)(x % y);                                                      \
        if (r != 0 && ((r < 0) != (y < 0))) r = (T)(r + y);                    \
        return r;                                                              \
    }
CL_FDIV(cl_fdiv_i64, int64_t, uint64_t)
CL_FDIV(cl_fdiv_i32, int32_t, uint32_t)
CL_FDIV(cl_fdiv_i8, int8_t, uint8_t)
CL_MOD(cl_mod_i64, int64_t)
CL_MOD(cl_mod_i32, int32_t)
CL_MOD(cl_mod_i8, int8_t)

/* float -> integer as x86-64 numpy does it (cvttsd2si): NaN, infinities and values out of
 * range give the minimum; int8 takes the low byte of the 32-bit conversion.  The self-check
 * compares these with numpy at import and disables them where numpy differs. */
static inline int64_t cl_d2l(double x)
{
    return (x >= -9223372036854775808.0 && x < 9223372036854775808.0) ? (int64_t)x : INT64_MIN;
}
static inline int32_t cl_d2i(double x)
{
    return (x > -2147483649.0 && x < 2147483648.0) ? (int32_t)x : INT32_MIN;
}
static inline int8_t cl_d2b(double x) { return (int8_t)(uint8_t)(uint32_t)cl_d2i(x); }

static inline float cl_cast_f64_f32(double x) { return (float)x; }
static inline int64_t cl_cast_f64_i64(double x) { return cl_d2l(x); }
static inline int32_t cl_cast_f64_i32(double x) { return cl_d2i(x); }
static inline int8_t cl_cast_f64_i8(double x) { return cl_d2b(x); }
static inline uint8_t cl_cast_f64_b(double x) { return x != 0; }
static inline double cl_cast_f32_f64(float x) { return (double)x; }
static inline int64_t cl_cast_f32_i64(float x) { return cl_d2l((double)x); }
static inline int32_t cl_cast_f32_i32(float x) { return cl_d2i((double)x); }
static inline int8_t cl_cast_f32_i8(float x) { return cl_d2b((double)x); }
static inline uint8_t cl_cast_f32_b(float x) { return x != 0; }
static inline double cl_cast_i64_f64(int64_t x) { return (double)x; }
static inline float cl_cast_i64_f32(int64_t x) { return (float)x; }
static inline int32_t cl_cast_i64_i32(int64_t x) { return (int32_t)(uint32_t)(uint64_t)x; }
static inline int8_t cl_cast_i64_i8(int64_t x) { return (int8_t)(uint8_t)(uint64_t)x; }
static inline uint8_t cl_cast_i64_b(int64_t x) { return x != 0; }
static inline double cl_cast_i32_f64(int32_t x) { return (double)x; }
static inline float cl_cast_i32_f32(int32_t x) { return (float)x; }
static inline int64_t cl_cast_i32_i64(int32_t x) { return (int64_t)x; }
static inline int8_t cl_cast_i32_i8(int32_t x) { return (int8_t)(uint8_t)(uint32_t)x; }
static inline uint8_t cl_cast_i32_b(int32_t x) { return x != 0; }
static inline double cl_cast_i8_f64(int8_t x) { return (double)x; }
static inline float cl_cast_i8_f32(int8_t x) { return (float)x; }
static inline int64_t cl_cast_i8_i64(int8_t x) { return (int64_t)x; }
static inline int32_t cl_cast_i8_i32(int8_t x) { return (int32_t)x; }
static inline uint8_t cl_cast_i8_b(int8_t x) { return x != 0; }
static inline double cl_cast_b_f64(uint8_t x) { return x != 0; }
static inline float cl_cast_b_f32(uint8_t x) { return x != 0; }
static inline int64_t cl_cast_b_i64(uint8_t x) { return x != 0; }
static inline int32_t cl_cast_b_i32(uint8_t x) { return x != 0; }
static inline int8_t cl_cast_b_i8(uint8_t x) { return x != 0; }

/* -- elementwise loop drivers ------------------------------------------------------------
 * EXPR reads x, y, z: the values of operands a, b, c.  CLOOP_F_SCALAR: one element.
 * CLOOP_F_FLAT: one loop of n[2] over a contiguous dst, each input contiguous or broadcast
 * (separate loops so that gcc vectorises them).  Otherwise: the three-axis nest. */
#define EW1(TD, TA, EXPR)                                                              \
    do {                                                                               \
        char *d_ = regs[in->dst];                                                      \
        const char *a_ = regs[in->a];                                                  \
        if (in->flags & CLOOP_F_SCALAR) {                                              \
            TA x = *(const TA *)a_;                                                    \
            *(TD *)d_ = (TD)(EXPR);                                                    \
            break;                                                                     \
        }                                                                              \
        const cloop_geom *g_ = &geoms[in->geom];                                       \
        if (in->flags & CLOOP_F_FLAT) {                                                \
            const int64_t n_ = g_->n[2];                                               \
            TD *D_ = (TD *)d_;                                                         \
            const TA *A_ = (const TA *)a_;                                             \
            if (g_->s[1][2]) {                                                         \
                for (int64_t i_ = 0; i_ < n_; i_++) { TA x = A_[i_]; D_[i_] = (TD)(EXPR); } \
            } else {                                                                   \
                TA x = A_[0];                                                          \
                TD v_ = (TD)(EXPR);                                                    \
                for (int64_t i_ = 0; i_ < n_; i_++) D_[i_] = v_;                       \
            }                                                                          \
            break;                                                                     \
        }                                                                              \
        for (int64_t i0_ = 0; i0_ < g_->n[0]; i0_++)                                   \
            for (int64_t i1_ = 0; i1_ < g_->n[1]; i1_++) {                             \
                char *dp_ = d_ + i0_ * g_->s[0][0] + i1_ * g_->s[0][1];                \
                const char *ap_ = a_ + i0_ * g_->s[1][0] + i1_ * g_->s[1][1];          \
                for (int64_t i2_ = 0; i2_ < g_->n[2]; i2_++) {                         \
                    TA x = *(const TA *)(ap_ + i2_ * g_->s[1][2]);                     \
                    *(TD *)(dp_ + i2_ * g_->s[0][2]) = (TD)(EXPR);                     \
                }                                                                      \
            }                                                                          \
    } while (0)

#define EW2(TD, TA, TB, EXPR)                                                          \
    do {                                                                               \
        char *d_ = regs[in->dst];                                                      \
        const char *a_ = regs[in->a], *b_ = regs[in->b];                               \
        if (in->flags & CLOOP_F_SCALAR) {                                              \
            TA x = *(const TA *)a_;                                                    \
            TB y = *(const TB *)b_;                                                    \
            *(TD *)d_ = (TD)(EXPR);                                                    \
            break;                                                                     \
        }                                                                              \
        const cloop_geom *g_ = &geoms[in->geom];                                       \
        if (in->flags & CLOOP_F_FLAT) {                                                \
            const int64_t n_ = g_->n[2];                                               \
            TD *D_ = (TD *)d_;                                                         \
            const TA *A_ = (const TA *)a_;                                             \
            const TB *B_ = (const TB *)b_;                                             \
            if (g_->s[1][2] && g_->s[2][2]) {                                          \
                for (int64_t i_ = 0; i_ < n_; i_++) {                                  \
                    TA x = A_[i_]; TB y = B_[i_]; D_[i_] = (TD)(EXPR);                 \
                }                                                                      \
            } else if (g_->s[1][2]) {                                                  \
                TB y = B_[0];                                                          \
                for (int64_t i_ = 0; i_ < n_; i_++) { TA x = A_[i_]; D_[i_] = (TD)(EXPR); } \
            } else if (g_->s[2][2]) {                                                  \
                TA x = A_[0];                                                          \
                for (int64_t i_ = 0; i_ < n_; i_++) { TB y = B_[i_]; D_[i_] = (TD)(EXPR); } \
            } else {                                                                   \
                TA x = A_[0]; TB y = B_[0];                                            \
                TD v_ = (TD)(EXPR);                                                    \
                for (int64_t i_ = 0; i_ < n_; i_++) D_[i_] = v_;                       \
            }                                                                          \
            break;                                                                     \
        }                                                                              \
        for (int64_t i0_ = 0; i0_ < g_->n[0]; i0_++)                                   \
            for (int64_t i1_ = 0; i1_ < g_->n[1]; i1_++) {                             \
                char *dp_ = d_ + i0_ * g_->s[0][0] + i1_ * g_->s[0][1];                \
                const char *ap_ = a_ + i0_ * g_->s[1][0] + i1_ * g_->s[1][1];          \
                const char *bp_ = b_ + i0_ * g_->s[2][0] + i1_ * g_->s[2][1];          \
                for (int64_t i2_ = 0; i2_ < g_->n[2]; i2_++) {                         \
                    TA x = *(const TA *)(ap_ + i2_ * g_->s[1][2]);                     \
                    TB y = *(const TB *)(bp_ + i2_ * g_->s[2][2]);                     \
                    *(TD *)(dp_ + i2_ * g_->s[0][2]) = (TD)(EXPR);                     \
                }                                                                      \
            }                                                                          \
    } while (0)

#define EW3(TD, TA, TB, TC, EXPR)                                                      \
    do {                                                                               \
        char *d_ = regs[in->dst];                                                      \
        const char *a_ = regs[in->a], *b_ = regs[in->b], *c_ = regs[in->c];            \
        if (in->flags & CLOOP_F_SCALAR) {                                              \
            TA x = *(const TA *)a_;                                                    \
            TB y = *(const TB *)b_;                                                    \
            TC z = *(const TC *)c_;                                                    \
            *(TD *)d_ = (TD)(EXPR);                                                    \
            break;                                                                     \
        }                                                                              \
        const cloop_geom *g_ = &geoms[in->geom];                                       \
        for (int64_t i0_ = 0; i0_ < g_->n[0]; i0_++)                                   \
            for (int64_t i1_ = 0; i1_ < g_->n[1]; i1_++) {                             \
                char *dp_ = d_ + i0_ * g_->s[0][0] + i1_ * g_->s[0][1];                \
                const char *ap_ = a_ + i0_ * g_->s[1][0] + i1_ * g_->s[1][1];          \
                const char *bp_ = b_ + i0_ * g_->s[2][0] + i1_ * g_->s[2][1];          \
                const char *cp_ = c_ + i0_ * g_->s[3][0] + i1_ * g_->s[3][1];          \
                for (int64_t i2_ = 0; i2_ < g_->n[2]; i2_++) {                         \
                    TA x = *(const TA *)(ap_ + i2_ * g_->s[1][2]);                     \
                    TB y = *(const TB *)(bp_ + i2_ * g_->s[2][2]);                     \
                    TC z = *(const TC *)(cp_ + i2_ * g_->s[3][2]);                     \
                    *(TD *)(dp_ + i2_ * g_->s[0][2]) = (TD)(EXPR);                     \
                }                                                                      \
            }                                                                          \
    } while (0)

/* -- numpy loops and BLAS ---------------------------------------------------------------- */

/* fn(args=[a, (b,) dst]) once per (i0, i1), over n[2] elements with the axis-2 strides.
 * A reduction passes dst as a too, with stride 0: numpy's own reduce loop (pairwise sum). */
static void call_loop(const cloop_plan *p, const cloop_instr *in, int nin)
{
    const cloop_geom *g = &p->geoms[in->geom];
    cl_loop f = (cl_loop)p->fns[in->fn];
    void *data = p->fn_data[in->fn];
    char *d = p->regs[in->dst], *a = p->regs[in->a], *b = nin == 2 ? p->regs[in->b] : NULL;
    intptr_t dims[1] = {(intptr_t)g->n[2]};
    intptr_t steps[3];
    steps[0] = (intptr_t)g->s[1][2];
    steps[1] = (intptr_t)(nin == 2 ? g->s[2][2] : g->s[0][2]);
    steps[2] = (intptr_t)g->s[0][2];
    if (g->n[2] == 0) return;
    for (int64_t i0 = 0; i0 < g->n[0]; i0++)
        for (int64_t i1 = 0; i1 < g->n[1]; i1++) {
            char *args[3];
            args[0] = a + i0 * g->s[1][0] + i1 * g->s[1][1];
            if (nin == 2) {
                args[1] = b + i0 * g->s[2][0] + i1 * g->s[2][1];
                args[2] = d + i0 * g->s[0][0] + i1 * g->s[0][1];
            } else {
                args[1] = d + i0 * g->s[0][0] + i1 * g->s[0][1];
            }
            f(args, dims, steps, data);
        }
}

/* imm: n, inc_a, inc_b (elements).  numpy's DOUBLE_dot / FLOAT_dot: sum = 0. + dot. */
static void blas_dot(const cloop_plan *p, const cloop_instr *in, int is_double)
{
    const int64_t *m = in->imm;
    void *f = p->fns[in->fn];
    const char *a = p->regs[in->a], *b = p->regs[in->b];
    double sum = 0.;
    if (is_double) {
        if (p->blas_ilp64)
            sum += ((cl_ddot64)f)(m[0], (const double *)a, m[1], (const double *)b, m[2]);
        else
            sum += ((cl_ddot32)f)((int)m[0], (const double *)a, (int)m[1], (const double *)b, (int)m[2]);
        *(double *)p->regs[in->dst] = sum;
    } else {
        if (p->blas_ilp64)
            sum += ((cl_sdot64)f)(m[0], (const float *)a, m[1], (const float *)b, m[2]);
        else
            sum += ((cl_sdot32)f)((int)m[0], (const float *)a, (int)m[1], (const float *)b, (int)m[2]);
        *(float *)p->regs[in->dst] = (float)sum;
    }
}

/* imm: order, trans, m, n, lda, incx, len(y).  numpy zeroes y first, then alpha=1, beta=0. */
static void blas_gemv(const cloop_plan *p, const cloop_instr *in, int is_double)
{
    const int64_t *m = in->imm;
    void *f = p->fns[in->fn];
    const char *a = p->regs[in->a], *x = p->regs[in->b];
    char *y = p->regs[in->dst];
    memset(y, 0, (size_t)m[6] * (is_double ? sizeof(double) : sizeof(float)));
    if (is_double) {
        if (p->blas_ilp64)
            ((cl_dgemv64)f)((int)m[0], (int)m[1], m[2], m[3], 1., (const double *)a, m[4],
                            (const double *)x, m[5], 0., (double *)y, 1);
        else
            ((cl_dgemv32)f)((int)m[0], (int)m[1], (int)m[2], (int)m[3], 1., (const double *)a,
                            (int)m[4], (const double *)x, (int)m[5], 0., (double *)y, 1);
    } else {
        if (p->blas_ilp64)
            ((cl_sgemv64)f)((int)m[0], (int)m[1], m[2], m[3], 1.f, (const float *)a, m[4],
                            (const float *)x, m[5], 0.f, (float *)y, 1);
        else
            ((cl_sgemv32)f)((int)m[0], (int)m[1], (int)m[2], (int)m[3], 1.f, (const float *)a,
                            (int)m[4], (const float *)x, (int)m[5], 0.f, (float *)y, 1);
    }
}

/* imm: transA, transB, L, N, M, lda, ldb, ldc (row-major; numpy's cblas_matrixproduct) */
static void blas_gemm(const cloop_plan *p, const cloop_instr *in, int is_double)
{
    const int64_t *m = in->imm;
    void *f = p->fns[in->fn];
    const char *a = p->regs[in->a], *b = p->regs[in->b];
    char *c = p->regs[in->dst];
    const int row_major = 101;
    memset(c, 0, (size_t)(m[2] * m[3]) * (is_double ? sizeof(double) : sizeof(float)));
    if (is_double) {
        if (p->blas_ilp64)
            ((cl_dgemm64)f)(row_major, (int)m[0], (int)m[1], m[2], m[3], m[4], 1.,
                            (const double *)a, m[5], (const double *)b, m[6], 0., (double *)c, m[7]);
        else
            ((cl_dgemm32)f)(row_major, (int)m[0], (int)m[1], (int)m[2], (int)m[3], (int)m[4], 1.,
                            (const double *)a, (int)m[5], (const double *)b, (int)m[6], 0.,
                            (double *)c, (int)m[7]);
    } else {
        if (p->blas_ilp64)
            ((cl_sgemm64)f)(row_major, (int)m[0], (int)m[1], m[2], m[3], m[4], 1.f,
                            (const float *)a, m[5], (const float *)b, m[6], 0.f, (float *)c, m[7]);
        else
            ((cl_sgemm32)f)(row_major, (int)m[0], (int)m[1], (int)m[2], (int)m[3], (int)m[4], 1.f,
                            (const float *)a, (int)m[5], (const float *)b, (int)m[6], 0.f,
                            (float *)c, (int)m[7]);
    }
}

/* numpy's matmul gufunc loop, one outer iteration: dims = (1, dm, dn, dp); imm = dm, dn, dp,
 * is1_m, is1_n, is2_n, is2_p, os_m, os_p (byte strides; 0 for a missing core axis). */
static void call_matmul(const cloop_plan *p, const cloop_instr *in)
{
    const int64_t *m = in->imm;
    cl_loop f = (cl_loop)p->fns[in->fn];
    intptr_t dims[4] = {1, (intptr_t)m[0], (intptr_t)m[1], (intptr_t)m[2]};
    intptr_t steps[9] = {0, 0, 0, (intptr_t)m[3], (intptr_t)m[4], (intptr_t)m[5],
                         (intptr_t)m[6], (intptr_t)m[7], (intptr_t)m[8]};
    char *args[3] = {p->regs[in->a], p->regs[in->b], p->regs[in->dst]};
    f(args, dims, steps, p->fn_data[in->fn]);
}

#ifdef CLOOP_CHECKED
static void check_instr(const cloop_plan *p, const cloop_instr *in)
{
    assert(in->op >= 0 && in->op < CLOOP_N_OPCODES);
    assert(in->dst >= -1 && in->dst < p->n_regs);
    assert(in->a >= -1 && in->a < p->n_regs);
    assert(in->b >= -1 && in->b < p->n_regs);
    assert(in->c >= -1 && in->c < p->n_regs);
    assert(in->geom >= -1 && in->geom < p->n_geoms);
    assert(in->fn >= -1 && in->fn < p->n_fns);
    assert(in->dst < 0 || p->regs[in->dst] != NULL);
    assert(in->a < 0 || p->regs[in->a] != NULL);
}
#endif

/* Run one instruction: 0; CLOOP_OP_HALT: 1; an unknown opcode: -1.  Always inlined, so a
 * caller holding a constant `in` and `geoms` (the specialised tier, KERN-TIER-1) gets one
 * case with its flags and loop bounds folded. */
static inline __attribute__((always_inline)) int32_t exec_instr(const cloop_plan *p, char **regs,
                                                                const cloop_geom *geoms,
                                                                const cloop_instr *in)
{
        switch (in->op) {
    /* BEGIN GENERATED by reference/_cloop/opcodes.py: elementwise cases */
    case CLOOP_OP_ADD_F64: EW2(double, double, double, x + y); break;
    case CLOOP_OP_ADD_F32: EW2(float, float, float, x + y); break;
    case CLOOP_OP_ADD_I64: EW2(int64_t, int64_t, int64_t, (int64_t)((uint64_t)x + (uint64_t)y)); break;
    case CLOOP_OP_ADD_I32: EW2(int32_t, int32_t, int32_t, (int32_t)((uint32_t)x + (uint32_t)y)); break;
    case CLOOP_OP_ADD_I8: EW2(int8_t, int8_t, int8_t, (int8_t)((uint8_t)x + (uint8_t)y)); break;
    case CLOOP_OP_ADD_B: EW2(uint8_t, uint8_t, uint8_t, (x || y)); break;
    case CLOOP_OP_SUBTRACT_F64: EW2(double, double, double, x - y); break;
    case CLOOP_OP_SUBTRACT_F32: EW2(float, float, float, x - y); break;
    case CLOOP_OP_SUBTRACT_I64: EW2(int64_t, int64_t, int64_t, (int64_t)((uint64_t)x - (uint64_t)y)); break;
    case CLOOP_OP_SUBTRACT_I32: EW2(int32_t, int32_t, int32_t, (int32_t)((uint32_t)x - (uint32_t)y)); break;
    case CLOOP_OP_SUBTRACT_I8: EW2(int8_t, int8_t, int8_t, (int8_t)((uint8_t)x - (uint8_t)y)); break;
    case CLOOP_OP_MULTIPLY_F64: EW2(double, double, double, x * y); break;
    case CLOOP_OP_MULTIPLY_F32: EW2(float, float, float, x * y); break;
    case CLOOP_OP_MULTIPLY_I64: EW2(int64_t, int64_t, int64_t, (int64_t)((uint64_t)x * (uint64_t)y)); break;
    case CLOOP_OP_MULTIPLY_I32: EW2(int32_t, int32_t, int32_t, (int32_t)((uint32_t)x * (uint32_t)y)); break;
    case CLOOP_OP_MULTIPLY_I8: EW2(int8_t, int8_t, int8_t, (int8_t)((uint8_t)x * (uint8_t)y)); break;
    case CLOOP_OP_MULTIPLY_B: EW2(uint8_t, uint8_t, uint8_t, (x && y)); break;
    case CLOOP_OP_TRUE_DIVIDE_F64: EW2(double, double, double, x / y); break;
    case CLOOP_OP_TRUE_DIVIDE_F32: EW2(float, float, float, x / y); break;
    case CLOOP_OP_FLOOR_DIVIDE_I64: EW2(int64_t, int64_t, int64_t, cl_fdiv_i64(x, y)); break;
    case CLOOP_OP_FLOOR_DIVIDE_I32: EW2(int32_t, int32_t, int32_t, cl_fdiv_i32(x, y)); break;
    case CLOOP_OP_FLOOR_DIVIDE_I8: EW2(int8_t, int8_t, int8_t, cl_fdiv_i8(x, y)); break;
    case CLOOP_OP_REMAINDER_I64: EW2(int64_t, int64_t, int64_t, cl_mod_i64(x, y)); break;
    case CLOOP_OP_REMAINDER_I32: EW2(int32_t, int32_t, int32_t, cl_mod_i32(x, y)); break;
    case CLOOP_OP_REMAINDER_I8: EW2(int8_t, int8_t, int8_t, cl_mod_i8(x, y)); break;
    case CLOOP_OP_MAXIMUM_F64: EW2(double, double, double, ((x > y || x != x) ? x : y)); break;
    case CLOOP_OP_MAXIMUM_F32: EW2(float, float, float, ((x > y || x != x) ? x : y)); break;
    case CLOOP_OP_MAXIMUM_I64: EW2(int64_t, int64_t, int64_t, (x > y ? x : y)); break;
    case CLOOP_OP_MAXIMUM_I32: EW2(int32_t, int32_t, int32_t, (x > y ? x : y)); break;
    case CLOOP_OP_MAXIMUM_I8: EW2(int8_t, int8_t, int8_t, (x > y ? x : y)); break;
    case CLOOP_OP_MAXIMUM_B: EW2(uint8_t, uint8_t, uint8_t, (x > y ? x : y)); break;
    case CLOOP_OP_MINIMUM_F64: EW2(double, double, double, ((x < y || x != x) ? x : y)); break;
    case CLOOP_OP_MINIMUM_F32: EW2(float, float, float, ((x < y || x != x) ? x : y)); break;
    case CLOOP_OP_MINIMUM_I64: EW2(int64_t, int64_t, int64_t, (x < y ? x : y)); break;
    case CLOOP_OP_MINIMUM_I32: EW2(int32_t, int32_t, int32_t, (x < y ? x : y)); break;
    case CLOOP_OP_MINIMUM_I8: EW2(int8_t, int8_t, int8_t, (x < y ? x : y)); break;
    case CLOOP_OP_MINIMUM_B: EW2(uint8_t, uint8_t, uint8_t, (x < y ? x : y)); break;
    case CLOOP_OP_LESS_F64: EW2(uint8_t, double, double, (x < y)); break;
    case CLOOP_OP_LESS_F32: EW2(uint8_t, float, float, (x < y)); break;
    case CLOOP_OP_LESS_I64: EW2(uint8_t, int64_t, int64_t, (x < y)); break;
    case CLOOP_OP_LESS_I32: EW2(uint8_t, int32_t, int32_t, (x < y)); break;
    case CLOOP_OP_LESS_I8: EW2(uint8_t, int8_t, int8_t, (x < y)); break;
    case CLOOP_OP_LESS_B: EW2(uint8_t, uint8_t, uint8_t, (x < y)); break;
    case CLOOP_OP_LESS_EQUAL_F64: EW2(uint8_t, double, double, (x <= y)); break;
    case CLOOP_OP_LESS_EQUAL_F32: EW2(uint8_t, float, float, (x <= y)); break;
    case CLOOP_OP_LESS_EQUAL_I64: EW2(uint8_t, int64_t, int64_t, (x <= y)); break;
    case CLOOP_OP_LESS_EQUAL_I32: EW2(uint8_t, int32_t, int32_t, (x <= y)); break;
    case CLOOP_OP_LESS_EQUAL_I8: EW2(uint8_t, int8_t, int8_t, (x <= y)); break;
    case CLOOP_OP_LESS_EQUAL_B: EW2(uint8_t, uint8_t, uint8_t, (x <= y)); break;
    case CLOOP_OP_GREATER_F64: EW2(uint8_t, double, double, (x > y)); break;
    case CLOOP_OP_GREATER_F32: EW2(uint8_t, float, float, (x > y)); break;
    case CLOOP_OP_GREATER_I64: EW2(uint8_t, int64_t, int64_t, (x > y)); break;
    case CLOOP_OP_GREATER_I32: EW2(uint8_t, int32_t, int32_t, (x > y)); break;
    case CLOOP_OP_GREATER_I8: EW2(uint8_t, int8_t, int8_t, (x > y)); break;
    case CLOOP_OP_GREATER_B: EW2(uint8_t, uint8_t, uint8_t, (x > y)); break;
    case CLOOP_OP_GREATER_EQUAL_F64: EW2(uint8_t, double, double, (x >= y)); break;
    case CLOOP_OP_GREATER_EQUAL_F32: EW2(uint8_t, float, float, (x >= y)); break;
    case CLOOP_OP_GREATER_EQUAL_I64: EW2(uint8_t, int64_t, int64_t, (x >= y)); break;
    case CLOOP_OP_GREATER_EQUAL_I32: EW2(uint8_t, int32_t, int32_t, (x >= y)); break;
    case CLOOP_OP_GREATER_EQUAL_I8: EW2(uint8_t, int8_t, int8_t, (x >= y)); break;
    case CLOOP_OP_GREATER_EQUAL_B: EW2(uint8_t, uint8_t, uint8_t, (x >= y)); break;
    case CLOOP_OP_EQUAL_F64: EW2(uint8_t, double, double, (x == y)); break;
    case CLOOP_OP_EQUAL_F32: EW2(uint8_t, float, float, (x == y)); break;
    case CLOOP_OP_EQUAL_I64: EW2(uint8_t, int64_t, int64_t, (x == y)); break;
    case CLOOP_OP_EQUAL_I32: EW2(uint8_t, int32_t, int32_t, (x == y)); break;
    case CLOOP_OP_EQUAL_I8: EW2(uint8_t, int8_t, int8_t, (x == y)); break;
    case CLOOP_OP_EQUAL_B: EW2(uint8_t, uint8_t, uint8_t, (x == y)); break;
    case CLOOP_OP_NOT_EQUAL_F64: EW2(uint8_t, double, double, (x != y)); break;
    case CLOOP_OP_NOT_EQUAL_F32: EW2(uint8_t, float, float, (x != y)); break;
    case CLOOP_OP_NOT_EQUAL_I64: EW2(uint8_t, int64_t, int64_t, (x != y)); break;
    case CLOOP_OP_NOT_EQUAL_I32: EW2(uint8_t, int32_t, int32_t, (x != y)); break;
    case CLOOP_OP_NOT_EQUAL_I8: EW2(uint8_t, int8_t, int8_t, (x != y)); break;
    case CLOOP_OP_NOT_EQUAL_B: EW2(uint8_t, uint8_t, uint8_t, (x != y)); break;
    case CLOOP_OP_BITWISE_AND_I64: EW2(int64_t, int64_t, int64_t, (int64_t)(x & y)); break;
    case CLOOP_OP_BITWISE_AND_I32: EW2(int32_t, int32_t, int32_t, (int32_t)(x & y)); break;
    case CLOOP_OP_BITWISE_AND_I8: EW2(int8_t, int8_t, int8_t, (int8_t)(x & y)); break;
    case CLOOP_OP_BITWISE_AND_B: EW2(uint8_t, uint8_t, uint8_t, (uint8_t)(x & y)); break;
    case CLOOP_OP_BITWISE_OR_I64: EW2(int64_t, int64_t, int64_t, (int64_t)(x | y)); break;
    case CLOOP_OP_BITWISE_OR_I32: EW2(int32_t, int32_t, int32_t, (int32_t)(x | y)); break;
    case CLOOP_OP_BITWISE_OR_I8: EW2(int8_t, int8_t, int8_t, (int8_t)(x | y)); break;
    case CLOOP_OP_BITWISE_OR_B: EW2(uint8_t, uint8_t, uint8_t, (uint8_t)(x | y)); break;
    case CLOOP_OP_BITWISE_XOR_I64: EW2(int64_t, int64_t, int64_t, (int64_t)(x ^ y)); break;
    case CLOOP_OP_BITWISE_XOR_I32: EW2(int32_t, int32_t, int32_t, (int32_t)(x ^ y)); break;
    case CLOOP_OP_BITWISE_XOR_I8: EW2(int8_t, int8_t, int8_t, (int8_t)(x ^ y)); break;
    case CLOOP_OP_BITWISE_XOR_B: EW2(uint8_t, uint8_t, uint8_t, (uint8_t)(x ^ y)); break;
    case CLOOP_OP_INVERT_I64: EW1(int64_t, int64_t, (int64_t)(~x)); break;
    case CLOOP_OP_INVERT_I32: EW1(int32_t, int32_t, (int32_t)(~x)); break;
    case CLOOP_OP_INVERT_I8: EW1(int8_t, int8_t, (int8_t)(~x)); break;
    case CLOOP_OP_INVERT_B: EW1(uint8_t, uint8_t, (!x)); break;
    case CLOOP_OP_NEGATIVE_F64: EW1(double, double, (-x)); break;
    case CLOOP_OP_NEGATIVE_F32: EW1(float, float, (-x)); break;
    case CLOOP_OP_NEGATIVE_I64: EW1(int64_t, int64_t, (int64_t)((uint64_t)0 - (uint64_t)x)); break;
    case CLOOP_OP_NEGATIVE_I32: EW1(int32_t, int32_t, (int32_t)((uint32_t)0 - (uint32_t)x)); break;
    case CLOOP_OP_NEGATIVE_I8: EW1(int8_t, int8_t, (int8_t)((uint8_t)0 - (uint8_t)x)); break;
    case CLOOP_OP_ABSOLUTE_F64: EW1(double, double, fabs(x)); break;
    case CLOOP_OP_ABSOLUTE_F32: EW1(float, float, fabsf(x)); break;
    case CLOOP_OP_ABSOLUTE_I64: EW1(int64_t, int64_t, (x < 0 ? (int64_t)((uint64_t)0 - (uint64_t)x) : x)); break;
    case CLOOP_OP_ABSOLUTE_I32: EW1(int32_t, int32_t, (x < 0 ? (int32_t)((uint32_t)0 - (uint32_t)x) : x)); break;
    case CLOOP_OP_ABSOLUTE_I8: EW1(int8_t, int8_t, (x < 0 ? (int8_t)((uint8_t)0 - (uint8_t)x) : x)); break;
    case CLOOP_OP_ABSOLUTE_B: EW1(uint8_t, uint8_t, x); break;
    case CLOOP_OP_SIGN_F64: EW1(double, double, (x > 0 ? 1 : (x < 0 ? -1 : (x == 0 ? 0 : x)))); break;
    case CLOOP_OP_SIGN_F32: EW1(float, float, (x > 0 ? 1 : (x < 0 ? -1 : (x == 0 ? 0 : x)))); break;
    case CLOOP_OP_SIGN_I64: EW1(int64_t, int64_t, (int64_t)((x > 0) - (x < 0))); break;
    case CLOOP_OP_SIGN_I32: EW1(int32_t, int32_t, (int32_t)((x > 0) - (x < 0))); break;
    case CLOOP_OP_SIGN_I8: EW1(int8_t, int8_t, (int8_t)((x > 0) - (x < 0))); break;
    case CLOOP_OP_SQRT_F64: EW1(double, double, sqrt(x)); break;
    case CLOOP_OP_SQRT_F32: EW1(float, float, sqrtf(x)); break;
    case CLOOP_OP_FLOOR_F64: EW1(double, double, floor(x)); break;
    case CLOOP_OP_FLOOR_F32: EW1(float, float, floorf(x)); break;
    case CLOOP_OP_CEIL_F64: EW1(double, double, ceil(x)); break;
    case CLOOP_OP_CEIL_F32: EW1(float, float, ceilf(x)); break;
    case CLOOP_OP_RINT_F64: EW1(double, double, rint(x)); break;
    case CLOOP_OP_RINT_F32: EW1(float, float, rintf(x)); break;
    case CLOOP_OP_WHERE_F64: EW3(double, uint8_t, double, double, (x ? y : z)); break;
    case CLOOP_OP_WHERE_F32: EW3(float, uint8_t, float, float, (x ? y : z)); break;
    case CLOOP_OP_WHERE_I64: EW3(int64_t, uint8_t, int64_t, int64_t, (x ? y : z)); break;
    case CLOOP_OP_WHERE_I32: EW3(int32_t, uint8_t, int32_t, int32_t, (x ? y : z)); break;
    case CLOOP_OP_WHERE_I8: EW3(int8_t, uint8_t, int8_t, int8_t, (x ? y : z)); break;
    case CLOOP_OP_WHERE_B: EW3(uint8_t, uint8_t, uint8_t, uint8_t, (x ? y : z)); break;
    case CLOOP_OP_COPY_F64: EW1(double, double, x); break;
    case CLOOP_OP_COPY_F32: EW1(float, float, x); break;
    case CLOOP_OP_COPY_I64: EW1(int64_t, int64_t, x); break;
    case CLOOP_OP_COPY_I32: EW1(int32_t, int32_t, x); break;
    case CLOOP_OP_COPY_I8: EW1(int8_t, int8_t, x); break;
    case CLOOP_OP_COPY_B: EW1(uint8_t, uint8_t, x); break;
    case CLOOP_OP_CAST_F64_F32: EW1(float, double, cl_cast_f64_f32(x)); break;
    case CLOOP_OP_CAST_F64_I64: EW1(int64_t, double, cl_cast_f64_i64(x)); break;
    case CLOOP_OP_CAST_F64_I32: EW1(int32_t, double, cl_cast_f64_i32(x)); break;
    case CLOOP_OP_CAST_F64_I8: EW1(int8_t, double, cl_cast_f64_i8(x)); break;
    case CLOOP_OP_CAST_F64_B: EW1(uint8_t, double, cl_cast_f64_b(x)); break;
    case CLOOP_OP_CAST_F32_F64: EW1(double, float, cl_cast_f32_f64(x)); break;
    case CLOOP_OP_CAST_F32_I64: EW1(int64_t, float, cl_cast_f32_i64(x)); break;
    case CLOOP_OP_CAST_F32_I32: EW1(int32_t, float, cl_cast_f32_i32(x)); break;
    case CLOOP_OP_CAST_F32_I8: EW1(int8_t, float, cl_cast_f32_i8(x)); break;
    case CLOOP_OP_CAST_F32_B: EW1(uint8_t, float, cl_cast_f32_b(x)); break;
    case CLOOP_OP_CAST_I64_F64: EW1(double, int64_t, cl_cast_i64_f64(x)); break;
    case CLOOP_OP_CAST_I64_F32: EW1(float, int64_t, cl_cast_i64_f32(x)); break;
    case CLOOP_OP_CAST_I64_I32: EW1(int32_t, int64_t, cl_cast_i64_i32(x)); break;
    case CLOOP_OP_CAST_I64_I8: EW1(int8_t, int64_t, cl_cast_i64_i8(x)); break;
    case CLOOP_OP_CAST_I64_B: EW1(uint8_t, int64_t, cl_cast_i64_b(x)); break;
    case CLOOP_OP_CAST_I32_F64: EW1(double, int32_t, cl_cast_i32_f64(x)); break;
    case CLOOP_OP_CAST_I32_F32: EW1(float, int32_t, cl_cast_i32_f32(x)); break;
    case CLOOP_OP_CAST_I32_I64: EW1(int64_t, int32_t, cl_cast_i32_i64(x)); break;
    case CLOOP_OP_CAST_I32_I8: EW1(int8_t, int32_t, cl_cast_i32_i8(x)); break;
    case CLOOP_OP_CAST_I32_B: EW1(uint8_t, int32_t, cl_cast_i32_b(x)); break;
    case CLOOP_OP_CAST_I8_F64: EW1(double, int8_t, cl_cast_i8_f64(x)); break;
    case CLOOP_OP_CAST_I8_F32: EW1(float, int8_t, cl_cast_i8_f32(x)); break;
    case CLOOP_OP_CAST_I8_I64: EW1(int64_t, int8_t, cl_cast_i8_i64(x)); break;
    case CLOOP_OP_CAST_I8_I32: EW1(int32_t, int8_t, cl_cast_i8_i32(x)); break;
    case CLOOP_OP_CAST_I8_B: EW1(uint8_t, int8_t, cl_cast_i8_b(x)); break;
    case CLOOP_OP_CAST_B_F64: EW1(double, uint8_t, cl_cast_b_f64(x)); break;
    case CLOOP_OP_CAST_B_F32: EW1(float, uint8_t, cl_cast_b_f32(x)); break;
    case CLOOP_OP_CAST_B_I64: EW1(int64_t, uint8_t, cl_cast_b_i64(x)); break;
    case CLOOP_OP_CAST_B_I32: EW1(int32_t, uint8_t, cl_cast_b_i32(x)); break;
    case CLOOP_OP_CAST_B_I8: EW1(int8_t, uint8_t, cl_cast_b_i8(x)); break;
    /* END GENERATED */
        case CLOOP_OP_CALL1: call_loop(p, in, 1); break;
        case CLOOP_OP_CALL2: call_loop(p, in, 2); break;
        case CLOOP_OP_DOT_F64: blas_dot(p, in, 1); break;
        case CLOOP_OP_DOT_F32: blas_dot(p, in, 0); break;
        case CLOOP_OP_GEMV_F64: blas_gemv(p, in, 1); break;
        case CLOOP_OP_GEMV_F32: blas_gemv(p, in, 0); break;
        case CLOOP_OP_GEMM_F64: blas_gemm(p, in, 1); break;
        case CLOOP_OP_GEMM_F32: blas_gemm(p, in, 0); break;
        case CLOOP_OP_MATMUL: call_matmul(p, in); break;
        case CLOOP_OP_HALT: return 1;
        default: return -1;
        }
        return 0;
}

/* Run instructions [pc, end); return -1, or the pc of an unknown opcode. */
static inline __attribute__((always_inline)) int32_t exec(const cloop_plan *p, int32_t pc, int32_t end)
{
    char **regs = p->regs;
    const cloop_geom *geoms = p->geoms;
    for (; pc < end; pc++) {
        const cloop_instr *in = &p->code[pc];
#ifdef CLOOP_CHECKED
        check_instr(p, in);
#endif
        int32_t status = exec_instr(p, regs, geoms, in);
        if (status > 0) return -1;
        if (status < 0) return pc;
    }
    return -1;
}

/* The generic driver.  A specialised program (reference/_cloop/specialise.py) includes this
 * file for exec_instr and brings its own driver. */
#ifndef CLOOP_SPECIALISED
static inline void bind(cloop_plan *p, int64_t t)
{
    char **regs = p->regs;
    for (int32_t i = 0; i < p->n_seqbinds; i++) {
        const cloop_seqbind *sb = &p->seqbinds[i];
        CHECK(sb->reg >= 0 && sb->reg < p->n_regs && sb->seq >= 0 && sb->seq < p->n_seqs);
        regs[sb->reg] = (char *)((intptr_t)p->seq_base[sb->seq] + sb->offset + t * sb->step);
    }
    for (int32_t i = 0; i < p->n_tapbinds; i++) {
        const cloop_tapbind *tb = &p->tapbinds[i];
        CHECK(tb->reg >= 0 && tb->reg < p->n_regs && tb->state >= 0 && tb->state < p->n_states);
        const cloop_state *s = &p->states[tb->state];
        int64_t row = s->head + tb->tap;
        if (row < 0) row += s->size;
        CHECK(row >= 0 && row < s->size);
        regs[tb->reg] = s->base + row * s->row_bytes;
    }
    for (int32_t i = 0; i < p->n_states; i++) {
        const cloop_state *s = &p->states[i];
        if (s->direct) regs[s->src] = s->base + s->head * s->row_bytes;
    }
    for (int32_t i = 0; i < p->n_viewbinds; i++) {
        const cloop_viewbind *vb = &p->viewbinds[i];
        CHECK(vb->reg >= 0 && vb->reg < p->n_regs && vb->parent >= 0 && vb->parent < p->n_regs);
        regs[vb->reg] = (char *)((intptr_t)regs[vb->parent] + vb->offset);
    }
}

static inline void commit(cloop_plan *p)
{
    for (int32_t i = 0; i < p->n_states; i++) {
        cloop_state *s = &p->states[i];
        CHECK(s->head >= 0 && s->head < s->size);
        if (!s->direct) memcpy(s->base + s->head * s->row_bytes, p->regs[s->src], (size_t)s->row_bytes);
        s->head = s->head + 1 == s->size ? 0 : s->head + 1;
    }
}

int32_t cloop_run(cloop_plan *plan, int64_t t_begin, int64_t t_end, cloop_result *r)
{
    /* A private copy of the plan: the compiler keeps its fields in registers, since stores
     * through regs[] cannot change it (the ring heads live in plan->states, not here). */
    cloop_plan local = *plan;
    cloop_plan *p = &local;
    int64_t t;
    for (t = t_begin; t < t_end; t++) {
        bind(p, t);
        int32_t bad = exec(p, 0, p->n_code);
        if (bad >= 0) {
            r->t = t;
            r->pc = bad;
            return r->status = CLOOP_E_OPCODE;
        }
        commit(p);
        if (p->until_reg >= 0 && *(const uint8_t *)p->regs[p->until_reg]) {
            r->t = t + 1;
            r->pc = -1;
            return r->status = CLOOP_STOPPED;
        }
    }
    r->t = t;
    r->pc = -1;
    return r->status = CLOOP_DONE;
}

int32_t cloop_exec(cloop_plan *p, int32_t pc) { return exec(p, pc, pc + 1); }

int cloop_abi_version(void) { return CLOOP_ABI_VERSION; }
int64_t cloop_sizeof_plan(void) { return (int64_t)sizeof(cloop_plan); }
int64_t cloop_sizeof_instr(void) { return (int64_t)sizeof(cloop_instr); }
int64_t cloop_sizeof_geom(void) { return (int64_t)sizeof(cloop_geom); }
#endif
