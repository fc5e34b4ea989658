/*
 * Helpers for guests that provoke exceptions and report them
 * (exceptions, alignment, spalign).  Such a guest:
 *   - puts EXCTEST_HANDLERS at file scope (its exc_el2/exc_el1 forward to
 *     exctest_el2/exctest_el1),
 *   - runs each EL2/EL1 test through EXC_RUN(),
 *   - drops to EL1 with exctest_enter_el1(), and ends at EL1 with
 *     exctest_el0_and_off(), which runs an EL0 program whose faulting
 *     instructions are listed in a struct exc_step table, then prints the
 *     exception counts and powers off.
 * The shared buffer abuf (256-byte aligned) is for the tests' data accesses;
 * ABUF() puts its address plus an offset into a register in test assembly.
 *
 * Each exception is reported by the handler that takes it, as
 *   "  <test name>\n    -> ELn EC=.. ESR_ELn=.. ELR_ELn=<label>+off
 *    SPSR_ELn=.. [FAR_ELn=..]\n"
 * ESR_ELx: the low 32 bits in full.
 * ELR_ELx: relative to the label of the test instruction.
 * SPSR_ELx: masked with EXC_SPSR_MASK = N Z C V, SS, IL, D A I F, M[4:0];
 *   other bits (PAN, UAO, DIT, TCO, SSBS, BTYPE, ...) depend on optional
 *   features and are not printed.
 * FAR_ELx: only for instruction/data aborts and PC alignment faults, where
 *   the architecture defines it; relative to the registered buffer or to the
 *   label when it points there, absolute otherwise.
 * Handlers resume after the faulting instruction (ELR += 4), except for
 * SVC/HVC/SMC (ELR already points past it) and PC alignment faults (resume at
 * the address in x30, which the test sets up).
 */
#ifndef EXCTEST_H
#define EXCTEST_H

#include "guest.h"
#include "uart.h"

#define EXC_SPSR_MASK 0xf03003dfull

/* A faulting EL0 instruction, identified by its address. */
struct exc_step {
    const char *label_name;
    const char *test;
    const void *addr;
    int exit;           /* nonzero: return to run_el0()'s caller at EL1 */
};

extern volatile unsigned exc_taken_el2, exc_taken_el1;

/* The test buffer; FAR values inside it are printed as abuf+<offset>. */
extern uint64_t abuf[32];

/* In an __asm__ string: reg = abuf + off (reg and off as bare tokens). */
#define ABUF(reg, off) \
    "adrp " #reg ", abuf\n add " #reg ", " #reg ", :lo12:abuf\n" \
    " add " #reg ", " #reg ", #" #off "\n"

void exctest_expect(const char *name, const char *label_name, const void *label);
void exctest_none(const char *name);
void exctest_el2(struct exc_frame *f, uint64_t idx);
void exctest_el1(struct exc_frame *f, uint64_t idx);

#define EXCTEST_HANDLERS                                                  \
    void exc_el2(struct exc_frame *f, uint64_t idx) { exctest_el2(f, idx); } \
    void exc_el1(struct exc_frame *f, uint64_t idx) { exctest_el1(f, idx); }

/* At EL2: set SCTLR_EL1, install the EL1 vectors and ERET to fn at EL1h
 * (DAIF masked) on the EL1 stack. */
void exctest_enter_el1(uint64_t sctlr_el1, void (*fn)(void))
    __attribute__((noreturn));

/* At EL1: print "\n== EL0 ==\n", run prog at EL0t with SP_EL0 = sp until an
 * exception at a step marked exit, print "back at EL1, EL0 x0=<x0>", the
 * number of exceptions taken at EL2 and EL1, and power off with SMC. */
void exctest_el0_and_off(void (*prog)(void), void *sp,
                         const struct exc_step *steps, unsigned n)
    __attribute__((noreturn));
#define EXC_STEPS(a) (a), (unsigned)(sizeof(a) / sizeof((a)[0]))

/* Run test function fn, whose instruction of interest is at label. */
#define EXC_RUN(name, fn, label) do {                           \
        unsigned before_ = exc_taken_el2 + exc_taken_el1;       \
        exctest_expect((name), #label, (label));                \
        fn();                                                   \
        if (exc_taken_el2 + exc_taken_el1 == before_)           \
            exctest_none(name);                                 \
    } while (0)

#endif
