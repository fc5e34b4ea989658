/*
 * alignment: data alignment with SCTLR_ELx.A=0.
 *
 * With the MMU off, data accesses are to Device-nGnRnE memory, where every
 * misaligned access takes an Alignment fault (DFSC 0x21) even with
 * SCTLR_ELx.A=0.  Checked at EL2 (loads and stores of several sizes, a load
 * pair, and aligned accesses of every size, which must not fault), at EL1 and
 * at EL0.  QEMU 10 models this rule, so the golden is recorded from QEMU like
 * the others.  SP alignment checking (EC 0x26) is in the spalign guest.
 * Report format: see common/exctest.h.
 */
#include "exctest.h"

__asm__(
    ".text\n"
    ".balign 4\n"

    /* ---------- EL2, SCTLR_EL2.A = 0 ---------- */
    "el2_ldx: " ABUF(x9, 4) " mov x10, #0x80000000\n msr nzcv, x10\n"
    "t_ldx: ldr x10, [x9]\n ret\n"

    "el2_stw: " ABUF(x9, 0x42) " mov x10, #0x40000000\n msr nzcv, x10\n"
    "t_stw: str w10, [x9]\n ret\n"

    "el2_ldh: " ABUF(x9, 0x21) " mov x10, #0x20000000\n msr nzcv, x10\n"
    "t_ldh: ldrh w10, [x9]\n ret\n"

    "el2_ldpw: " ABUF(x9, 0x66) " mov x10, #0x10000000\n msr nzcv, x10\n"
    "t_ldpw: ldp w10, w11, [x9]\n ret\n"

    /* aligned accesses of every size: no exception */
    "el2_aligned: " ABUF(x9, 0)
    "  ldrb w10, [x9, #1]\n ldrh w10, [x9, #2]\n ldr w10, [x9, #4]\n ldr x10, [x9, #8]\n"
    "  ldp x10, x11, [x9, #16]\n strb w10, [x9, #3]\n strh w10, [x9, #6]\n ret\n"

    /* ---------- EL1, SCTLR_EL1.A = 0 ---------- */
    "el1_ldx: " ABUF(x9, 0xa4) " mov x10, #0x90000000\n msr nzcv, x10\n"
    "t1_ldx: ldr x10, [x9]\n ret\n"

    /* ---------- EL0 ---------- */
    "el0_prog: " ABUF(x9, 0xc4) " mov x10, #0x50000000\n msr nzcv, x10\n"
    "t0_ldx: ldr x0, [x9]\n"
    "  mov x0, #0x600d\n"
    "t0_exit: svc #0\n"
    "  b .\n"
);

void el2_ldx(void), el2_stw(void), el2_ldh(void), el2_ldpw(void),
     el2_aligned(void), el1_ldx(void), el0_prog(void);
extern char t_ldx[], t_stw[], t_ldh[], t_ldpw[], t1_ldx[], t0_ldx[],
     t0_exit[];

static const struct exc_step el0_steps[] = {
    { "t0_ldx",  "ldr x0, [abuf+0xc4] (misaligned, Device)", t0_ldx,  0 },
    { "t0_exit", "svc #0 (exit)", t0_exit, 1 },
};

EXCTEST_HANDLERS

static void el1_main(void)
{
    uart_puts("\n== EL1 (MMU off, SCTLR_EL1.A=0) ==\n");
    EXC_RUN("ldr x10, [abuf+0xa4]", el1_ldx, t1_ldx);
    exctest_el0_and_off(el0_prog, stack_el0_top, EXC_STEPS(el0_steps));
}

int main(void)
{
    /* start.S sets SCTLR_EL2.A; clear it: only the memory type is left. */
    write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) & ~2ull);
    isb();
    uart_puts("alignment test\n\n== EL2 (MMU off, SCTLR_EL2.A=0) ==\n");

    EXC_RUN("ldr x10, [abuf+0x4]", el2_ldx, t_ldx);
    EXC_RUN("str w10, [abuf+0x42]", el2_stw, t_stw);
    EXC_RUN("ldrh w10, [abuf+0x21]", el2_ldh, t_ldh);
    EXC_RUN("ldp w10, w11, [abuf+0x66]", el2_ldpw, t_ldpw);
    unsigned before = exc_taken_el2;
    el2_aligned();
    uart_puts(exc_taken_el2 == before ? "  aligned accesses: no exception\n"
                                      : "  aligned accesses: FAULTED\n");

    /* SCTLR_EL1: RES1 bits only, A/SA/SA0 = 0 */
    exctest_enter_el1(0x30d00800, el1_main);
}
