/*
 * spalign: SP alignment checking (EC 0x26, SP Alignment fault exception).
 *
 * QEMU does not implement SCTLR_ELx.SA/SA0 at all (it never raises EC 0x26,
 * 7.2 and 10 alike), so the golden output (golden/spalign.out) is written by
 * hand from the Arm ARM (D1.4.10.2 "SP alignment checking") and
 * scripts/qemu-golden.sh leaves it alone.
 *
 *  - SCTLR_EL2.SA at EL2, SCTLR_EL1.SA at EL1 and SCTLR_EL1.SA0 at EL0.
 *  - The check is on the SP value whenever SP is the base register of a load
 *    or store, whatever the offset (ldr x10, [sp, #8] faults although SP+8
 *    is 16-byte aligned); other uses of a misaligned SP (add, mov) do not
 *    fault.
 *  - At EL2/EL1 the test runs on SP_EL0 (SPSel=0), so the handler still has
 *    an aligned SP_ELx; the exception then comes from EL2t/EL1t (vector
 *    offset 0x000, SPSR.M = 0b1000 / 0b0100).  At EL0, SP_EL0 is misaligned
 *    from the start.
 * ESR_ELx = 0x9a000000 (EC 0x26, IL=1, ISS RES0); ELR_ELx = the load/store.
 * Report format: see common/exctest.h.
 */
#include "exctest.h"

__asm__(
    ".text\n"
    ".balign 4\n"

    /* ---------- EL2, SCTLR_EL2.SA = 1 ---------- */
    "el2_sp: mrs x12, sctlr_el2\n orr x13, x12, #(1 << 3)\n msr sctlr_el2, x13\n isb\n"
    "  " ABUF(x11, 0x80)
    "  msr spsel, #0\n mov sp, x11\n add sp, sp, #8\n mov x10, sp\n"     /* no fault */
    "  mov x10, #0xc0000000\n msr nzcv, x10\n"
    "t_sp: ldr x10, [sp]\n"
    "  msr spsel, #1\n msr sctlr_el2, x12\n isb\n ret\n"

    /* the check is on SP itself: SP+8 is 16-byte aligned here */
    "el2_sp8: mrs x12, sctlr_el2\n orr x13, x12, #(1 << 3)\n msr sctlr_el2, x13\n isb\n"
    "  " ABUF(x11, 0x98)
    "  msr spsel, #0\n mov sp, x11\n mov x10, #0x60000000\n msr nzcv, x10\n"
    "t_sp8: ldr x10, [sp, #8]\n"
    "  msr spsel, #1\n msr sctlr_el2, x12\n isb\n ret\n"

    /* ---------- EL1, SCTLR_EL1.SA = 1 ---------- */
    "el1_sp: mrs x12, sctlr_el1\n orr x13, x12, #(1 << 3)\n msr sctlr_el1, x13\n isb\n"
    "  " ABUF(x11, 0xb8)
    "  msr spsel, #0\n mov sp, x11\n mov x10, #0x30000000\n msr nzcv, x10\n"
    "t1_sp: str x10, [sp]\n"
    "  msr spsel, #1\n msr sctlr_el1, x12\n isb\n ret\n"

    /* ---------- EL0 (SCTLR_EL1.SA0 = 1), SP_EL0 = abuf+0xe8 ---------- */
    "el0_prog: mov x10, #0x50000000\n msr nzcv, x10\n"
    "t0_sp: ldr x0, [sp]\n"
    "  mov x0, #0x600d\n"
    "t0_exit: svc #0\n"
    "  b .\n"
);

void el2_sp(void), el2_sp8(void), el1_sp(void), el0_prog(void);
extern char t_sp[], t_sp8[], t1_sp[], t0_sp[], t0_exit[];

static const struct exc_step el0_steps[] = {
    { "t0_sp",   "ldr x0, [sp] with SP_EL0=abuf+0xe8, SCTLR_EL1.SA0=1", t0_sp, 0 },
    { "t0_exit", "svc #0 (exit)", t0_exit, 1 },
};

EXCTEST_HANDLERS

static void el1_main(void)
{
    uart_puts("\n== EL1 ==\n");
    EXC_RUN("str x10, [sp] with SP_EL0=abuf+0xb8, SPSel=0, SCTLR_EL1.SA=1",
            el1_sp, t1_sp);

    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | (1 << 4));    /* SA0 */
    isb();
    exctest_el0_and_off(el0_prog, (char *)abuf + 0xe8, EXC_STEPS(el0_steps));
}

int main(void)
{
    uart_puts("spalign test\n\n== EL2 ==\n");

    EXC_RUN("ldr x10, [sp] with SP_EL0=abuf+0x88, SPSel=0, SCTLR_EL2.SA=1",
            el2_sp, t_sp);
    EXC_RUN("ldr x10, [sp, #8] with SP_EL0=abuf+0x98, SPSel=0, SCTLR_EL2.SA=1",
            el2_sp8, t_sp8);

    /* SCTLR_EL1: RES1 bits only, A/SA/SA0 = 0 */
    exctest_enter_el1(0x30d00800, el1_main);
}
