/*
 * exceptions: synchronous exception behaviour at EL2, EL1 and EL0.
 *
 * Each exception provoked here is reported by the handler that takes it (see
 * common/exctest.h for the format): full ESR_ELx, ELR_ELx relative to the
 * test instruction's label, SPSR_ELx (masked to the base-architecture bits)
 * and FAR_ELx where the architecture defines it.  NZCV is set to a distinct
 * value before each faulting instruction so that the saved flags are
 * checked too.
 *
 * EL2: BRK, UDF, an unallocated encoding, HVC, SVC, external aborts on an
 *      unmapped address (pair, writeback and single-register loads and
 *      stores), alignment faults, PC alignment.
 * EL1: (entered with ERET) SVC (to EL1), HVC (to EL2, which reports and
 *      returns), BRK, UDF, MRS of an EL2 register, external aborts,
 *      alignment faults.
 * EL0: (entered with ERET from EL1) SVC, MRS of an EL1 register and of
 *      CurrentEL, ERET, BRK, external abort (EC 0x24, lower EL), and an SVC
 *      that returns to EL1, which powers off with SMC.
 */
#include "exctest.h"

/* Test code: tiny leaf functions in assembly, each with a global label on
 * the instruction of interest.  They only use x9-x15 (and x30 for PC align). */
__asm__(
    ".text\n"
    ".balign 4\n"

    /* ---------- EL2 ---------- */
    "el2_brk: mov x9, #0x80000000\n msr nzcv, x9\n"
    "t_brk: brk #0x1234\n ret\n"

    "el2_udf: mov x9, #0x40000000\n msr nzcv, x9\n"
    "t_udf: udf #0\n ret\n"

    /* bits[28:25] = 0b0001: unallocated in the A64 top-level encoding */
    "el2_unalloc: mov x9, #0x20000000\n msr nzcv, x9\n"
    "t_unalloc: .inst 0x02000000\n ret\n"

    "el2_hvc: mov x9, #0x10000000\n msr nzcv, x9\n"
    "t_hvc: hvc #0x42\n ret\n"

    "el2_svc: mov x9, #0xc0000000\n msr nzcv, x9\n"
    "t_svc: svc #0x11\n ret\n"

    /* Unmapped physical address: synchronous external abort.  ISV (ESR
     * bit 24) is 0 for all of them: in ESR_EL2 it can be 1 only for
     * stage 2 aborts, and these are stage 1 (EL2 regime) aborts.  QEMU 7.2
     * wrongly set ISV for the single-register forms; QEMU 10 does not. */
    "el2_extabt_ld: mov x9, #0x0b000000\n mov x10, #0xa0000000\n msr nzcv, x10\n"
    "t_extabt_ld: ldp x10, x11, [x9]\n ret\n"

    "el2_extabt_st: mov x9, #0x0b000000\n add x9, x9, #0x10\n mov x10, #0x50000000\n msr nzcv, x10\n"
    "t_extabt_st: str w10, [x9, #8]!\n ret\n"

    "el2_extabt_ldr: mov x9, #0x0b000000\n add x9, x9, #0x20\n mov x10, #0xe0000000\n msr nzcv, x10\n"
    "t_extabt_ldr: ldr x10, [x9]\n ret\n"

    "el2_extabt_strb: mov x9, #0x0b000000\n add x9, x9, #0x33\n mov x10, #0x30000000\n msr nzcv, x10\n"
    "t_extabt_strb: strb w10, [x9]\n ret\n"

    /* Misaligned accesses to RAM.  With the MMU off RAM is Device memory,
     * where any misaligned access faults; QEMU 7.2 did not model that, so
     * these run with SCTLR_ELx.A=1 (alignment checking; start.S already sets
     * it at EL2, the tests set it explicitly anyway), which makes the fault
     * architectural for any memory type (see the `alignment` guest for the
     * A=0 case, including single-register accesses at EL2).  Exclusives
     * fault on misalignment even with A=0. */
    "el2_align_ldxr: " ABUF(x9, 4) " msr nzcv, xzr\n"
    "t_align_ldxr: ldxr x10, [x9]\n ret\n"

    "el2_align_ldp: " ABUF(x9, 0x64) " mov x10, #0x60000000\n"
    "  mrs x12, sctlr_el2\n orr x13, x12, #(1 << 1)\n msr sctlr_el2, x13\n isb\n msr nzcv, x10\n"
    "t_align_ldp: ldp x10, x11, [x9]\n"
    "  msr sctlr_el2, x12\n isb\n ret\n"

    "el2_align_ldh: " ABUF(x9, 0x21) " mov x10, #0x30000000\n"
    "  mrs x12, sctlr_el2\n orr x13, x12, #(1 << 1)\n msr sctlr_el2, x13\n isb\n msr nzcv, x10\n"
    "t_align_ldh: ldrh w10, [x9], #2\n"
    "  msr sctlr_el2, x12\n isb\n ret\n"

    "el2_align_stp: " ABUF(x9, 0x42) " mov x10, #0x90000000\n"
    "  mrs x12, sctlr_el2\n orr x13, x12, #(1 << 1)\n msr sctlr_el2, x13\n isb\n msr nzcv, x10\n"
    "t_align_stp: stp w10, w10, [x9]\n"
    "  msr sctlr_el2, x12\n isb\n ret\n"

    /* branch to a misaligned address; the handler resumes at x30 */
    "el2_pcalign: mov x15, x30\n adr x9, t_pc_target\n add x9, x9, #2\n"
    "  mov x10, #0x70000000\n msr nzcv, x10\n adr x30, 1f\n"
    "t_pcalign: br x9\n"
    "1: mov x30, x15\n ret\n"
    "t_pc_target: nop\n nop\n ret\n"

    /* ---------- EL1 ---------- */
    "el1_svc: mov x9, #0x80000000\n msr nzcv, x9\n"
    "t1_svc: svc #7\n ret\n"

    "el1_hvc: mov x9, #0x40000000\n msr nzcv, x9\n"
    "t1_hvc: hvc #9\n ret\n"

    "el1_brk: mov x9, #0x20000000\n msr nzcv, x9\n"
    "t1_brk: brk #0x77\n ret\n"

    "el1_udf: msr nzcv, xzr\n"
    "t1_udf: udf #0xbeef\n ret\n"

    /* an EL2 register is UNDEFINED at EL1 (HCR_EL2.NV = 0) */
    "el1_mrs_el2: mov x9, #0x10000000\n msr nzcv, x9\n"
    "t1_mrs_el2: mrs x10, hcr_el2\n ret\n"

    "el1_extabt: mov x9, #0x0b000000\n add x9, x9, #0x100\n mov x10, #0xc0000000\n msr nzcv, x10\n"
    "t1_extabt: ldrb w10, [x9]\n ret\n"

    "el1_extabt_st: mov x9, #0x0b000000\n add x9, x9, #0x200\n mov x10, #0x80000000\n msr nzcv, x10\n"
    "t1_extabt_st: strh w10, [x9]\n ret\n"

    "el1_align: " ABUF(x9, 0xa6) " mov x10, #0x30000000\n"
    "  mrs x12, sctlr_el1\n orr x13, x12, #(1 << 1)\n msr sctlr_el1, x13\n isb\n msr nzcv, x10\n"
    "t1_align: str x10, [x9]\n"
    "  msr sctlr_el1, x12\n isb\n ret\n"

    "el1_align_ldar: " ABUF(x9, 0xc6) " mov x10, #0x50000000\n msr nzcv, x10\n"
    "t1_align_ldar: ldaxr w10, [x9]\n ret\n"

    /* ---------- EL0 (entered from EL1, exits with svc #0xffff) ---------- */
    "el0_prog: mov x9, #0x60000000\n msr nzcv, x9\n"
    "t0_svc: svc #0x15\n"
    "t0_mrs: mrs x0, sctlr_el1\n"
    "t0_cel: mrs x0, CurrentEL\n"
    "t0_eret: eret\n"
    "t0_brk: brk #3\n"
    "  mov x9, #0x0b000000\n"
    "t0_extabt: ldr w0, [x9]\n"
    "  mov x0, #0x5a5a\n"
    "t0_exit: svc #0xffff\n"
    "  b .\n"
);

void el2_brk(void), el2_udf(void), el2_unalloc(void), el2_hvc(void),
     el2_svc(void), el2_extabt_ld(void), el2_extabt_st(void),
     el2_extabt_ldr(void), el2_extabt_strb(void),
     el2_align_ldxr(void), el2_align_ldp(void), el2_align_ldh(void),
     el2_align_stp(void), el2_pcalign(void);
void el1_svc(void), el1_hvc(void), el1_brk(void), el1_udf(void),
     el1_mrs_el2(void), el1_extabt(void), el1_extabt_st(void),
     el1_align(void), el1_align_ldar(void);
void el0_prog(void);
extern char t_brk[], t_udf[], t_unalloc[], t_hvc[], t_svc[], t_extabt_ld[],
     t_extabt_st[], t_extabt_ldr[], t_extabt_strb[], t_align_ldxr[],
     t_align_ldp[], t_align_ldh[], t_align_stp[], t_pcalign[], t_pc_target[];
extern char t1_svc[], t1_hvc[], t1_brk[], t1_udf[], t1_mrs_el2[],
     t1_extabt[], t1_extabt_st[], t1_align[], t1_align_ldar[];
extern char t0_svc[], t0_mrs[], t0_cel[], t0_eret[], t0_brk[], t0_extabt[],
     t0_exit[];

/* EL0 steps, identified by the address of the faulting instruction. */
static const struct exc_step el0_steps[] = {
    { "t0_svc",    "svc #0x15",            t0_svc,    0 },
    { "t0_mrs",    "mrs x0, sctlr_el1",    t0_mrs,    0 },
    { "t0_cel",    "mrs x0, CurrentEL",    t0_cel,    0 },
    { "t0_eret",   "eret",                 t0_eret,   0 },
    { "t0_brk",    "brk #3",               t0_brk,    0 },
    { "t0_extabt", "ldr w0, [0x0b000000]", t0_extabt, 0 },
    { "t0_exit",   "svc #0xffff (exit)",   t0_exit,   1 },
};

EXCTEST_HANDLERS

#define RUN EXC_RUN

static void el1_main(void)
{
    uart_puts("\n== EL1 ==\nCurrentEL: EL");
    uart_dec(current_el());
    uart_puts("\n");

    RUN("svc #7", el1_svc, t1_svc);
    RUN("hvc #9", el1_hvc, t1_hvc);
    RUN("brk #0x77", el1_brk, t1_brk);
    RUN("udf #0xbeef", el1_udf, t1_udf);
    RUN("mrs x10, hcr_el2 (UNDEFINED at EL1)", el1_mrs_el2, t1_mrs_el2);
    RUN("ldrb w10, [0x0b000100] (unmapped: external abort)", el1_extabt, t1_extabt);
    RUN("strh w10, [0x0b000200] (unmapped: external abort)", el1_extabt_st, t1_extabt_st);
    RUN("str x10, [abuf+0xa6] (misaligned, SCTLR_EL1.A=1)", el1_align, t1_align);
    RUN("ldaxr w10, [abuf+0xc6] (misaligned exclusive)", el1_align_ldar, t1_align_ldar);

    exctest_el0_and_off(el0_prog, stack_el0_top, EXC_STEPS(el0_steps));
}

int main(void)
{
    uart_puts("exceptions test\n\n== EL2 ==\nCurrentEL: EL");
    uart_dec(current_el());
    uart_puts("\n");

    RUN("brk #0x1234", el2_brk, t_brk);
    RUN("udf #0", el2_udf, t_udf);
    RUN(".inst 0x02000000 (unallocated)", el2_unalloc, t_unalloc);
    RUN("hvc #0x42", el2_hvc, t_hvc);
    RUN("svc #0x11", el2_svc, t_svc);
    RUN("ldp x10, x11, [0x0b000000] (unmapped: external abort)", el2_extabt_ld, t_extabt_ld);
    RUN("str w10, [0x0b000010, #8]! (unmapped: external abort)", el2_extabt_st, t_extabt_st);
    RUN("ldr x10, [0x0b000020] (unmapped: external abort)", el2_extabt_ldr, t_extabt_ldr);
    RUN("strb w10, [0x0b000033] (unmapped: external abort)", el2_extabt_strb, t_extabt_strb);
    RUN("ldxr x10, [abuf+0x4] (misaligned exclusive)", el2_align_ldxr, t_align_ldxr);
    RUN("ldp x10, x11, [abuf+0x64] (misaligned, SCTLR_EL2.A=1)", el2_align_ldp, t_align_ldp);
    RUN("ldrh w10, [abuf+0x21], #2 (misaligned, SCTLR_EL2.A=1)", el2_align_ldh, t_align_ldh);
    RUN("stp w10, w10, [abuf+0x42] (misaligned, SCTLR_EL2.A=1)", el2_align_stp, t_align_stp);
    RUN("br to t_pc_target+2 (PC alignment)", el2_pcalign, t_pc_target);

    /* Drop to EL1: AArch64 (HCR_EL2.RW=1, set by start.S), MMU off.
     * SCTLR_EL1: RES1 bits and A (alignment checking, see start.S). */
    exctest_enter_el1(0x30d00802, el1_main);
}
