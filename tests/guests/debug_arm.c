/*
 * debug_arm: self-hosted debug cases where QEMU 10 departs from the Arm ARM,
 * so the golden is written from the Arm ARM rules cited below (the harness
 * and report format are debug.c's, common/debugtest.h).
 *
 * - OS lock (OSLSR_EL1.OSLK = 1, set by OSLAR_EL1): debug exceptions other
 *   than BRK are disabled (AArch64.GenerateDebugExceptionsFrom returns FALSE
 *   when OSLSR_EL1.OSLK is 1; D2.4, D2.5).  QEMU tests the wrong OSLSR_EL1 bit
 *   and takes them.  BRK is taken regardless.
 * - Unlinked Context ID breakpoint (DBGBCR.BT = 0b0010, D2.8.3): matches
 *   every instruction at EL0/EL1 while CONTEXTIDR_EL1 equals DBGBVR[31:0];
 *   QEMU does not implement the type.  The handler clears MDE at the first.
 * - Stepping an MSR DAIFSet that sets PSTATE.D (D2.11, CheckSoftwareStep):
 *   the step advances to active-pending, but debug exceptions are now masked
 *   at ELd, so no Software Step exception is taken before the next
 *   instruction.  QEMU takes one right after the stepped instruction.
 * - Two hits on one load/store watchpoint, a store then a load: the load's
 *   syndrome has WnR = 0 (ESR_ELx.WnR, "the watchpoint was triggered by a
 *   read").  QEMU keeps WnR = 1 from the earlier store.
 */
#include "debugtest.h"

#define STRAIGHT "mov x4, #1\n add x4, x4, #2\n add x4, x4, #3\n add x4, x4, #4\n"
EL0_SNIPPET(straight_el0, STRAIGHT);
EL1_SNIPPET(brk_el1, "mov x4, #1\n brk #0x77\n add x4, x4, #2\n");
EL0_SNIPPET(step_el0, "mov x4, #1\n add x4, x4, #1\n add x4, x4, #2\n");
EL1_SNIPPET(step_mask,
            "mov x4, #1\n mrs x5, mdscr_el1\n msr daifset, #8\n add x4, x4, #1\n"
            " add x4, x4, #2\n");
EL0_SNIPPET(st_ld_el0, "str x4, [x1, #16]\n ldr x5, [x1, #16]\n");

static const struct test tests[] = {
    { "bp EL0, OS lock set: disabled", straight_el0, EL0, MDSCR_MDE, 1,
      BCR(PL_EL0, 0, 0, 0), -1, 0, 0, 1 },
    { "step EL0, OS lock set: disabled", step_el0, EL0, MDSCR_SS, -1, 0, -1, 0,
      0, 1, 1 },
    { "wp EL0, OS lock set: disabled", st_ld_el0, EL0, MDSCR_MDE, -1, 0, 16,
      WCR(PL_EL0, 3, 0xff, 0), 0, 1 },
    { "BRK at EL1, OS lock set: taken", brk_el1, EL1, MDSCR_MDE, -1, 0, -1, 0,
      0, 1 },
    { "bp EL0, unlinked context ID 0x42, CONTEXTIDR_EL1=0x42", straight_el0,
      EL0, MDSCR_MDE, -1, 0, -1, 0, 0, 0, 0, 2, 0x42 },
    { "bp EL0, unlinked context ID 0x42, CONTEXTIDR_EL1=0x41: no match",
      straight_el0, EL0, MDSCR_MDE, -1, 0, -1, 0, 0, 0, 0, 2, 0x41 },
    { "step EL1, KDE=1: MSR DAIFSet (D) ends stepping", step_mask, EL1,
      MDSCR_SS | MDSCR_KDE, -1, 0, -1, 0, 0, 0, 1 },
    { "wp EL0 load+store: STR then LDR on the same doubleword", st_ld_el0,
      EL0, MDSCR_MDE, -1, 0, 16, WCR(PL_EL0, 3, 0xff, 0) },
};

int main(void)
{
    uart_puts("debug_arm: self-hosted debug, Arm ARM cases\n");
    run_tests(tests, sizeof(tests) / sizeof(tests[0]));
    uart_puts("\ndone\n");
    return 0;
}
