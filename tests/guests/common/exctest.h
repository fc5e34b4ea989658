/*
 * Helpers for guests that provoke exceptions and report them
 * (exceptions, alignment).  A guest forwards its exc_el2/exc_el1 to
 * exctest_el2/exctest_el1 and runs each test through EXC_RUN().
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

void exctest_set_buffer(const char *name, const void *base, uint64_t size);
void exctest_set_el0_steps(const struct exc_step *steps, unsigned n);
void exctest_expect(const char *name, const char *label_name, const void *label);
void exctest_none(const char *name);
void exctest_el2(struct exc_frame *f, uint64_t idx);
void exctest_el1(struct exc_frame *f, uint64_t idx);

/* Run test function fn, whose instruction of interest is at label. */
#define EXC_RUN(name, fn, label) do {                           \
        unsigned before_ = exc_taken_el2 + exc_taken_el1;       \
        exctest_expect((name), #label, (label));                \
        fn();                                                   \
        if (exc_taken_el2 + exc_taken_el1 == before_)           \
            exctest_none(name);                                 \
    } while (0)

#endif
