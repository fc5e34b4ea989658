/*
 * debug: self-hosted debug (Arm ARM D2) -- hardware breakpoints, watchpoints
 * and software step, their enable rules and routing.
 *
 * Driven from EL2 like el2traps: for each test, EL2 programs the debug
 * registers (DBGBCR/DBGBVR, DBGWCR/DBGWVR, MDSCR_EL1, OSLAR_EL1, MDCR_EL2,
 * CONTEXTIDR_EL1; harness in common/debugtest.h), then runs a short snippet at EL1 or EL0 with run_lower().
 * An EL1 snippet ends with `hvc #0xfff`, an EL0 snippet with `svc #0xfff`
 * (taken to EL1, whose handler makes the `hvc #0xfff`), after which EL2
 * clears the debug state and goes on.  Every other exception is reported by
 * the handler that takes it as
 *     -> ELn ESR=<low 32 bits> from ELm, insn <index in the snippet>
 *        [FAR=zbuf+<off>] (watchpoints)  [SS=<SPSR.SS>] (steps, SVC)
 * A breakpoint handler clears MDSCR_EL1.MDE and resumes at the instruction,
 * which then runs; a watchpoint handler skips the instruction (ELR += 4), so
 * a watched store does not happen; a step handler resumes with SPSR.SS = 1,
 * so stepping goes on (after 12 debug exceptions in one test the handler
 * clears MDSCR_EL1, a safety net).
 *
 * Covered: address breakpoints at EL1 (KDE, PSTATE.D, PMC), EL0, routed to
 * EL2 by MDCR_EL2.TDE, at EL2 itself (HMC with TDE and KDE), MDSCR_EL1.MDE
 * gating them, a linked address + context ID breakpoint; watchpoints on
 * stores and loads (LSC), byte selects (BAS, word-aligned DBGWVR), an address
 * mask, a pair that crosses into the watched doubleword, at EL0 (PAC),
 * LDTR/STTR at EL1 (unprivileged for PAC) and routed to EL2; software step of EL0 from EL1 (ISV/EX, a branch, a
 * Load-Exclusive, stepping over SVC, entering active-pending), of EL1 with
 * KDE and of EL1 routed to EL2; BRK at EL1 and EL0, routed to EL2 by TDE
 * (what KVM's software breakpoints need).  The goldens are QEMU 10's.  Where QEMU
 * departs from the Arm ARM, the cases are in debug_arm.c instead (golden
 * written from the Arm ARM).  Not covered: DC ZVA and DC IVAC (the MMU is
 * off: Device memory, where DC ZVA faults first).
 */
#include "debugtest.h"

/* Straight-line code: breakpoints sit on one of its instructions. */
#define STRAIGHT "mov x4, #1\n add x4, x4, #2\n add x4, x4, #3\n add x4, x4, #4\n"
EL1_SNIPPET(straight_el1, STRAIGHT);
EL0_SNIPPET(straight_el0, STRAIGHT);
/* Accesses to zbuf (x1). */
EL1_SNIPPET(st_b3, "mov w4, #0x5a\n strb w4, [x1, #3]\n ldrb w5, [x1, #3]\n");
EL1_SNIPPET(ld_x0, "ldr x4, [x1]\n str x4, [x1, #8]\n");
EL1_SNIPPET(st_h3, "mov w4, #7\n strb w4, [x1, #4]\n strh w4, [x1, #2]\n");
EL1_SNIPPET(ld_q_at4, "ldr x4, [x1]\n ldr w5, [x1, #8]\n");
EL1_SNIPPET(st_far, "str x4, [x1, #0x7f8]\n str x4, [x3]\n str x4, [x3, #0x800]\n");
EL1_SNIPPET(ldp_cross, "ldp x4, x5, [x1, #8]\n ldp x4, x5, [x1, #32]\n");
/* LDTR/STTR at EL1 are unprivileged: they match PAC = EL0, not EL1 (D2.9.4). */
EL1_SNIPPET(unpriv, "ldtr x4, [x1, #16]\n sttr x4, [x1, #16]\n ldr x5, [x1, #16]\n");
EL0_SNIPPET(st_el0, "ldr x5, [x1, #16]\n str x4, [x1, #16]\n");
/* Stepping. */
EL0_SNIPPET(step_el0,
            "mov x4, #1\n add x4, x4, #1\n b 1f\n mov x4, #9\n"
            "1: ldxr x5, [x1]\n clrex\n svc #1\n mov x4, #3\n");
EL1_SNIPPET(step_el1, "mov x4, #1\n mrs x5, mdscr_el1\n add x4, x4, #1\n");
EL1_SNIPPET(step_el1_tde, "mov x4, #1\n add x4, x4, #1\n");
/* BRK: routed to ELd like the debug exceptions (AArch64.SoftwareBreakpoint). */
EL1_SNIPPET(brk_el1, "mov x4, #1\n brk #0x4b4\n add x4, x4, #1\n");
EL0_SNIPPET(brk_el0, "mov x4, #1\n brk #0x4b5\n add x4, x4, #1\n");

static const struct test tests[] = {
    /* Breakpoints */
    { "bp EL1, PMC=EL1, KDE=1, D=0", straight_el1, EL1, MDSCR_MDE | MDSCR_KDE,
      2, BCR(PL_EL1, 0, 0, 0), -1 },
    { "bp EL1, KDE=0: disabled at ELd", straight_el1, EL1, MDSCR_MDE, 2,
      BCR(PL_EL1, 0, 0, 0), -1 },
    { "bp EL1, PSTATE.D=1: masked", straight_el1, EL1_D,
      MDSCR_MDE | MDSCR_KDE, 2, BCR(PL_EL1, 0, 0, 0), -1 },
    { "bp EL1, PMC=EL0: no match", straight_el1, EL1, MDSCR_MDE | MDSCR_KDE, 2,
      BCR(PL_EL0, 0, 0, 0), -1 },
    { "bp EL0, PMC=EL0 (KDE=0)", straight_el0, EL0, MDSCR_MDE, 1,
      BCR(PL_EL0, 0, 0, 0), -1 },
    { "bp EL0, PMC=EL1: no match", straight_el0, EL0, MDSCR_MDE, 1,
      BCR(PL_EL1, 0, 0, 0), -1 },
    { "bp EL0, PMC=EL0|EL1, MDE=0: disabled", straight_el0, EL0, 0, 1,
      BCR(3, 0, 0, 0), -1 },
    { "bp EL1, MDCR_EL2.TDE=1 (KDE=0, D=1): to EL2", straight_el1, EL1_D,
      MDSCR_MDE, 3, BCR(PL_EL1, 0, 0, 0), -1, 0, MDCR_TDE },
    { "bp EL0, linked to context ID 0x42, CONTEXTIDR_EL1=0x42", straight_el0,
      EL0, MDSCR_MDE, 2, BCR(PL_EL0, 0, 4, 1), -1, 0, 0, 0, 0, 1, 0x42 },
    { "bp EL0, linked to context ID 0x42, CONTEXTIDR_EL1=0x43: no match",
      straight_el0, EL0, MDSCR_MDE, 2, BCR(PL_EL0, 0, 4, 1), -1, 0, 0, 0, 0,
      1, 0x43 },
    /* Watchpoints (zbuf at x1) */
    { "wp store, BAS=0xff at zbuf: STRB zbuf+3", st_b3, EL1,
      MDSCR_MDE | MDSCR_KDE, -1, 0, 0, WCR(PL_EL1, LSC_ST, 0xff, 0) },
    { "wp load, BAS=0xff at zbuf: STRB no, LDRB zbuf+3 yes", st_b3, EL1,
      MDSCR_MDE | MDSCR_KDE, -1, 0, 0, WCR(PL_EL1, LSC_LD, 0xff, 0) },
    { "wp load+store at zbuf+8 (pair of accesses)", ld_x0, EL1,
      MDSCR_MDE | MDSCR_KDE, -1, 0, 8, WCR(PL_EL1, 3, 0xff, 0) },
    { "wp store, BAS=0x0f: STRB zbuf+4 no, STRH zbuf+2 yes", st_h3, EL1,
      MDSCR_MDE | MDSCR_KDE, -1, 0, 0, WCR(PL_EL1, LSC_ST, 0x0f, 0) },
    { "wp load, DBGWVR=zbuf+4, BAS=0x1: LDR x zbuf", ld_q_at4, EL1,
      MDSCR_MDE | MDSCR_KDE, -1, 0, 4, WCR(PL_EL1, LSC_LD, 0x1, 0) },
    { "wp store, MASK=11 (2 KiB at zbuf)", st_far, EL1, MDSCR_MDE | MDSCR_KDE,
      -1, 0, 0, WCR(PL_EL1, LSC_ST, 0xff, 11) },
    { "wp load at zbuf+16: LDP zbuf+8 and zbuf+32", ldp_cross, EL1,
      MDSCR_MDE | MDSCR_KDE, -1, 0, 16, WCR(PL_EL1, LSC_LD, 0xff, 0) },
    { "wp EL1, KDE=0: disabled", st_b3, EL1, MDSCR_MDE, -1, 0, 0,
      WCR(PL_EL1, 3, 0xff, 0) },
    { "wp EL0, PAC=EL0", st_el0, EL0, MDSCR_MDE, -1, 0, 16,
      WCR(PL_EL0, 3, 0xff, 0) },
    { "wp EL0, PAC=EL1: no match", st_el0, EL0, MDSCR_MDE, -1, 0, 16,
      WCR(PL_EL1, 3, 0xff, 0) },
    { "wp PAC=EL0 at EL1: LDTR and STTR match, LDR does not", unpriv, EL1,
      MDSCR_MDE | MDSCR_KDE, -1, 0, 16, WCR(PL_EL0, 3, 0xff, 0) },
    { "wp PAC=EL1 at EL1: LDR matches, LDTR and STTR do not", unpriv, EL1,
      MDSCR_MDE | MDSCR_KDE, -1, 0, 16, WCR(PL_EL1, 3, 0xff, 0) },
    { "wp EL1, MDCR_EL2.TDE=1: to EL2", st_b3, EL1_D, MDSCR_MDE, -1, 0, 0,
      WCR(PL_EL1, LSC_ST, 0xff, 0), MDCR_TDE },
    /* Software step */
    { "step EL0 from EL1 (SPSR.SS=1)", step_el0, EL0, MDSCR_SS, -1, 0, -1, 0,
      0, 0, 1 },
    { "step EL0 entered with SPSR.SS=0: active-pending at once", step_el0,
      EL0, MDSCR_SS, -1, 0, -1, 0, 0, 0, 0 },
    { "step EL1, KDE=1, D=0, SPSR.SS=1 (HVC stepped too)", step_el1, EL1,
      MDSCR_SS | MDSCR_KDE, -1, 0, -1, 0, 0, 0, 1 },
    { "step EL1, KDE=1, D=0, SPSR.SS=0", step_el1, EL1, MDSCR_SS | MDSCR_KDE,
      -1, 0, -1, 0, 0, 0, 0 },
    { "step EL1, KDE=0: disabled", step_el1, EL1, MDSCR_SS, -1, 0, -1, 0, 0,
      0, 1 },
    { "step EL1, MDCR_EL2.TDE=1: to EL2", step_el1_tde, EL1_D, MDSCR_SS, -1,
      0, -1, 0, MDCR_TDE, 0, 1 },
    { "BRK at EL1: to EL1", brk_el1, EL1_D, 0, -1, 0, -1, 0 },
    { "BRK at EL1, MDCR_EL2.TDE=1: to EL2", brk_el1, EL1_D, 0, -1, 0, -1, 0,
      MDCR_TDE },
    { "BRK at EL0, MDCR_EL2.TDE=1: to EL2", brk_el0, EL0, 0, -1, 0, -1, 0,
      MDCR_TDE },
};

/* A breakpoint at EL2 itself: ELd = EL2 (MDCR_EL2.TDE), KDE = 1, PSTATE.D = 0,
 * DBGBCR.HMC = 1 with PMC = EL1 (what Linux uses for a VHE kernel). */
extern char el2_bp[];
static void bp_at_el2(void)
{
    uart_puts("\nbp EL2, HMC=1, PMC=EL1, TDE=1, KDE=1, D=0\n");
    cur_entry = (uint64_t)el2_bp;
    write_sysreg(dbgbvr0_el1, (uint64_t)el2_bp + 8);
    write_sysreg(dbgbcr0_el1, BCR(PL_EL1, 1, 0, 0));
    write_sysreg(mdcr_el2, MDCR_TDE);
    write_sysreg(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
    isb();
    taken = 0;
    __asm__ volatile("msr daifclr, #8\n"
                     "el2_bp:\n"
                     " mov x4, #1\n add x4, x4, #1\n add x4, x4, #2\n"
                     " msr daifset, #8\n" ::: "x4", "memory");
    if (!taken)
        uart_puts("    -> no exception\n");
    clear_debug();
}

int main(void)
{
    uart_puts("debug: breakpoints, watchpoints, software step\n");
    run_tests(tests, sizeof(tests) / sizeof(tests[0]));
    bp_at_el2();
    uart_puts("\nzbuf[3]=");
    uart_hex(zbuf[3]);
    uart_puts(" zbuf[2]=");
    uart_hex(zbuf[2]);
    uart_puts("\ndone\n");
    return 0;
}
