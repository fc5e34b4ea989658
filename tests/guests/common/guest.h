/* Common declarations for the hypsim bare-metal test guests. */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

#define read_sysreg(r) ({                                   \
    uint64_t __v;                                           \
    __asm__ volatile("mrs %0, " #r : "=r"(__v) :: "memory"); \
    __v;                                                    \
})

#define write_sysreg(r, v) \
    __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }

/* PSCI function IDs (SMC32 calling convention). */
#define PSCI_VERSION     0x84000000u
#define PSCI_SYSTEM_OFF  0x84000008u

/*
 * Register frame pushed by the common exception vectors (start.S).
 * A handler may modify it: the vector code writes elr/spsr back into
 * ELR_ELx/SPSR_ELx and reloads x0-x30 before the ERET.
 */
struct exc_frame {
    uint64_t x[31];   /* x0..x30 */
    uint64_t elr;     /* ELR_ELx at exception entry */
    uint64_t spsr;    /* SPSR_ELx at exception entry */
    uint64_t pad;
};

/*
 * Vector index passed to the handlers: (vector offset / 0x80).
 *   0-3   current EL with SP_EL0    (sync, IRQ, FIQ, SError)
 *   4-7   current EL with SP_ELx
 *   8-11  lower EL, AArch64
 *   12-15 lower EL, AArch32
 */
#define VEC_KIND(idx)   ((idx) & 3)      /* 0 = synchronous */
#define VEC_CUR_SP0     0
#define VEC_CUR_SPX     4
#define VEC_LOWER_A64   8

/* ESR_ELx fields */
#define ESR_EC(esr)     (((esr) >> 26) & 0x3f)
#define ESR_IL          (1u << 25)
#define ESR_ISS(esr)    ((esr) & 0x1ffffff)

/* Handlers called by the vectors; the defaults (runtime.c) are weak and
 * report an unexpected exception, then power off. */
void exc_el2(struct exc_frame *f, uint64_t idx);
void exc_el1(struct exc_frame *f, uint64_t idx);

/* runtime.c: report an exception a guest did not expect ("*** unexpected exception at
 * <el>: vector <idx> ESR=.. ELR=..") and power off. */
void guest_unexpected(const char *el, uint64_t idx, uint64_t esr, uint64_t elr)
    __attribute__((noreturn));

/* start.S */
extern char vectors_el2[], vectors_el1[];
extern char stack_el2_top[], stack_el1_top[], stack_el0_top[];
extern char el0_return[];
void psci_system_off(void) __attribute__((noreturn));
uint64_t psci_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t current_el(void);
/* EL2 -> EL1h (DAIF masked) at entry, with SP_EL1 = sp.  Never returns. */
void enter_el1(void (*entry)(void), void *sp) __attribute__((noreturn));
/* EL1 -> EL0t (DAIF masked) at entry, with SP_EL0 = sp.  Returns once an
 * EL1 handler calls el0_finish() on the frame of an exception from EL0;
 * the return value is the EL0 x0 at that point. */
uint64_t run_el0(void (*entry)(void), void *sp);
/* For an EL1 handler: make the ERET resume run_el0()'s caller at EL1. */
void el0_finish(struct exc_frame *f);

#endif
