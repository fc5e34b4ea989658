/*
 * alignment: alignment checks that QEMU 7.2 does not model, so the golden
 * output (golden/alignment.out) is written by hand from the Arm ARM rather
 * than recorded from QEMU (scripts/qemu-golden.sh leaves it alone).
 *
 *  - With the MMU off, data accesses are to Device-nGnRnE memory, where every
 *    misaligned access takes an Alignment fault (DFSC 0x21) even with
 *    SCTLR_ELx.A=0.  Checked at EL2, EL1 and EL0.
 *  - SP alignment checking (EC 0x26): SCTLR_EL2.SA at EL2, SCTLR_EL1.SA at
 *    EL1 and SCTLR_EL1.SA0 at EL0.  The check is on the SP value whenever SP
 *    is the base register, whatever the offset; other uses of a misaligned SP
 *    do not fault.  At EL2/EL1 the test runs on SP_EL0 (SPSel=0) so the
 *    handler still has an aligned SP_ELx; the exception then comes from
 *    EL2t/EL1t (vector offset 0x000).
 * Report format: see common/exctest.h.
 */
#include "exctest.h"

__asm__(
    ".text\n"
    ".balign 4\n"

    /* ---------- EL2, SCTLR_EL2.A = 0 ---------- */
    "el2_ldx: adrp x9, abuf\n add x9, x9, :lo12:abuf\n add x9, x9, #4\n mov x10, #0x80000000\n msr nzcv, x10\n"
    "t_ldx: ldr x10, [x9]\n ret\n"

    "el2_stw: adrp x9, abuf\n add x9, x9, :lo12:abuf\n add x9, x9, #0x42\n mov x10, #0x40000000\n msr nzcv, x10\n"
    "t_stw: str w10, [x9]\n ret\n"

    "el2_ldh: adrp x9, abuf\n add x9, x9, :lo12:abuf\n add x9, x9, #0x21\n mov x10, #0x20000000\n msr nzcv, x10\n"
    "t_ldh: ldrh w10, [x9]\n ret\n"

    "el2_ldpw: adrp x9, abuf\n add x9, x9, :lo12:abuf\n add x9, x9, #0x66\n mov x10, #0x10000000\n msr nzcv, x10\n"
    "t_ldpw: ldp w10, w11, [x9]\n ret\n"

    /* aligned accesses of every size: no exception */
    "el2_aligned: adrp x9, abuf\n add x9, x9, :lo12:abuf\n"
    "  ldrb w10, [x9, #1]\n ldrh w10, [x9, #2]\n ldr w10, [x9, #4]\n ldr x10, [x9, #8]\n"
    "  ldp x10, x11, [x9, #16]\n strb w10, [x9, #3]\n strh w10, [x9, #6]\n ret\n"

    /* SP alignment at EL2 */
    "el2_sp: mrs x12, sctlr_el2\n orr x13, x12, #(1 << 3)\n msr sctlr_el2, x13\n isb\n"
    "  adrp x11, abuf\n add x11, x11, :lo12:abuf\n add x11, x11, #0x80\n"
    "  msr spsel, #0\n mov sp, x11\n add sp, sp, #8\n mov x10, sp\n"     /* no fault */
    "  mov x10, #0xc0000000\n msr nzcv, x10\n"
    "t_sp: ldr x10, [sp]\n"
    "  msr spsel, #1\n msr sctlr_el2, x12\n isb\n ret\n"

    /* the check is on SP itself: SP+8 is 16-byte aligned here */
    "el2_sp8: mrs x12, sctlr_el2\n orr x13, x12, #(1 << 3)\n msr sctlr_el2, x13\n isb\n"
    "  adrp x11, abuf\n add x11, x11, :lo12:abuf\n add x11, x11, #0x98\n"
    "  msr spsel, #0\n mov sp, x11\n mov x10, #0x60000000\n msr nzcv, x10\n"
    "t_sp8: ldr x10, [sp, #8]\n"
    "  msr spsel, #1\n msr sctlr_el2, x12\n isb\n ret\n"

    /* ---------- EL1, SCTLR_EL1.A = 0 ---------- */
    "el1_ldx: adrp x9, abuf\n add x9, x9, :lo12:abuf\n add x9, x9, #0xa4\n mov x10, #0x90000000\n msr nzcv, x10\n"
    "t1_ldx: ldr x10, [x9]\n ret\n"

    "el1_sp: mrs x12, sctlr_el1\n orr x13, x12, #(1 << 3)\n msr sctlr_el1, x13\n isb\n"
    "  adrp x11, abuf\n add x11, x11, :lo12:abuf\n add x11, x11, #0xb8\n"
    "  msr spsel, #0\n mov sp, x11\n mov x10, #0x30000000\n msr nzcv, x10\n"
    "t1_sp: str x10, [sp]\n"
    "  msr spsel, #1\n msr sctlr_el1, x12\n isb\n ret\n"

    /* ---------- EL0 (SCTLR_EL1.SA0 = 1), SP_EL0 = abuf+0xe8 ---------- */
    "el0_prog: adrp x9, abuf\n add x9, x9, :lo12:abuf\n add x9, x9, #0xc4\n mov x10, #0x50000000\n msr nzcv, x10\n"
    "t0_ldx: ldr x0, [x9]\n"
    "t0_sp: ldr x0, [sp]\n"
    "  mov x0, #0x600d\n"
    "t0_exit: svc #0\n"
    "  b .\n"
);

void el2_ldx(void), el2_stw(void), el2_ldh(void), el2_ldpw(void),
     el2_aligned(void), el2_sp(void), el2_sp8(void), el1_ldx(void), el1_sp(void),
     el0_prog(void);
extern char t_ldx[], t_stw[], t_ldh[], t_ldpw[], t_sp[], t_sp8[], t1_ldx[],
     t1_sp[], t0_ldx[], t0_sp[], t0_exit[];

uint64_t abuf[32] __attribute__((aligned(256)));

static const struct exc_step el0_steps[] = {
    { "t0_ldx",  "ldr x0, [abuf+0xc4] (misaligned, Device)", t0_ldx,  0 },
    { "t0_sp",   "ldr x0, [sp] with SP_EL0=abuf+0xe8, SCTLR_EL1.SA0=1", t0_sp, 0 },
    { "t0_exit", "svc #0 (exit)", t0_exit, 1 },
};

void exc_el2(struct exc_frame *f, uint64_t idx) { exctest_el2(f, idx); }
void exc_el1(struct exc_frame *f, uint64_t idx) { exctest_el1(f, idx); }

static void el1_main(void)
{
    uart_puts("\n== EL1 (MMU off, SCTLR_EL1.A=0) ==\n");
    EXC_RUN("ldr x10, [abuf+0xa4]", el1_ldx, t1_ldx);
    EXC_RUN("str x10, [sp] with SP_EL0=abuf+0xb8, SPSel=0, SCTLR_EL1.SA=1",
            el1_sp, t1_sp);

    uart_puts("\n== EL0 ==\n");
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | (1 << 4));    /* SA0 */
    isb();
    uint64_t x0 = run_el0(el0_prog, (char *)abuf + 0xe8);
    uart_puts("back at EL1, EL0 x0=");
    uart_hex(x0);

    uart_puts("\n\nexceptions taken: EL2=");
    uart_dec(exc_taken_el2);
    uart_puts(" EL1=");
    uart_dec(exc_taken_el1);
    uart_puts("\n");
    psci_system_off();
}

int main(void)
{
    /* start.S sets SCTLR_EL2.A; clear it: only the memory type is left. */
    write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) & ~2ull);
    isb();
    uart_puts("alignment test\n\n== EL2 (MMU off, SCTLR_EL2.A=0) ==\n");
    exctest_set_buffer("abuf", abuf, sizeof(abuf));
    exctest_set_el0_steps(el0_steps, sizeof(el0_steps) / sizeof(el0_steps[0]));

    EXC_RUN("ldr x10, [abuf+0x4]", el2_ldx, t_ldx);
    EXC_RUN("str w10, [abuf+0x42]", el2_stw, t_stw);
    EXC_RUN("ldrh w10, [abuf+0x21]", el2_ldh, t_ldh);
    EXC_RUN("ldp w10, w11, [abuf+0x66]", el2_ldpw, t_ldpw);
    unsigned before = exc_taken_el2;
    el2_aligned();
    uart_puts(exc_taken_el2 == before ? "  aligned accesses: no exception\n"
                                      : "  aligned accesses: FAULTED\n");
    EXC_RUN("ldr x10, [sp] with SP_EL0=abuf+0x88, SPSel=0, SCTLR_EL2.SA=1",
            el2_sp, t_sp);
    EXC_RUN("ldr x10, [sp, #8] with SP_EL0=abuf+0x98, SPSel=0, SCTLR_EL2.SA=1",
            el2_sp8, t_sp8);

    write_sysreg(sctlr_el1, 0x30d00800);    /* RES1 bits only: A/SA/SA0 = 0 */
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(el1_main, stack_el1_top);
}
