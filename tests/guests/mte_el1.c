/*
 * mte_el1: FEAT_MTE2 / FEAT_MTE3 at EL1 and EL0 under an nVHE hypervisor
 * (HCR_EL2.E2H=0, RW=1): HCR_EL2.ATA and TID5, SCTLR_EL1.{ATA,ATA0,TCF,
 * TCF0}, TFSR_EL1/TFSRE0_EL1, TCR_EL1.TCMA1, and stage 2 memory types.
 *
 * EL2 runs with its MMU on (identity map, RAM Tagged, as in `mte`) so that
 * it can set and read the allocation tags of `tbuf` itself.  The EL1&0
 * regime has its own stage 1 (TTBR0_EL1, T0SZ=25, 4K; TBI0=TBI1=1):
 *   0x0000_0000  1 GiB  Device (UART, GIC)
 *   0x4000_0000  1 GiB  RAM, Tagged (MAIR 0xf0), EL1 only
 *   0x8000_0000  1 GiB  RAM alias, Tagged, read-only at EL0 and EL1, PXN:
 *                       EL0 code runs here (VA = PA + 0x4000_0000)
 *   0xc000_0000  1 GiB  RAM alias, Tagged, read/write at EL0, XN: EL0 data
 *   0x1_0000_0000 1 GiB Tagged, used only with stage 2 (the test window)
 * and TTBR1_EL1 (T1SZ=25): 0xffff_ff80_4000_0000 aliases RAM, Tagged.
 *
 * Each test is a snippet run at EL1 (ending with HVC #0xfff) or EL0 (SVC
 * #0xfff, which the EL1 handler turns into HVC #0xfff) with x1, x2 = its
 * operands and x3 = `res`, where it stores values for EL2 to print.  Every
 * other exception is printed by the handler that takes it (ESR in full,
 * ELR relative to the snippet, FAR for aborts) and the instruction is
 * skipped.  tbuf's first granule has allocation tag 3 throughout; the
 * checked accesses use a pointer with tag 5 unless a test says otherwise.
 *
 * Covered: HCR_EL2.ATA=0 (EC 0x18 traps of the MTE registers at EL1, no
 * Allocation Tag access at EL1/EL0), HCR_EL2.TID5 (GMID_EL1), SCTLR_EL1
 * ATA/TCF at EL1 (sync, async into TFSR_EL1.TF0/TF1, asymmetric), TCMA1,
 * LDTR checked as an EL0 access, ATA0/TCF0 at EL0 (Data Abort to EL1 with
 * EC 0x24, TFSRE0_EL1), the EL0-UNDEFINED LDGM/STGM/STZGM, and stage 2
 * memory types with and without HCR_EL2.FWB deciding Tagged/Untagged.
 * Left out: FWB=1 with MemAttr 0b1111 (MemAttr[3] is RES0 without
 * FEAT_MTE_PERM), FEAT_MTE_PERM, SCTLR_ELx.ITFSB.
 */
#include "mte.h"

#define RAM_BASE    0x40000000ull
#define EL0_CODE    0x40000000ull           /* VA - PA of the EL0 code alias */
#define EL0_DATA    0x80000000ull           /* VA - PA of the EL0 data alias */
#define HI_OFF      0xffffff8000000000ull   /* TTBR1 VA - PA */
#define WIN         0x100000000ull          /* stage 2 test window (VA=IPA) */

#define HCR_RW      (1ull << 31)
#define HCR_VM      (1ull << 0)
#define HCR_FWB     (1ull << 46)
#define HCR_ATA     (1ull << 56)
#define HCR_TID5    (1ull << 58)

#define SCTLR2_BASE (0x30c50830ull | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_ATA)
#define SCTLR1_BASE (0x30d00800ull | SCTLR_M | SCTLR_C | SCTLR_I)
/* TCR_EL2 as in mte: RES1, PS=40 bits, IS WB walks, 4K, T0SZ=25, TBI */
#define TCR2_VAL    ((1ull << 31) | (1ull << 23) | (1ull << 20) | (2ull << 16) | \
                     (3 << 12) | (1 << 10) | (1 << 8) | 25)
/* TCR_EL1: TBI1, TBI0, IPS=40 bits, TG1=4K, SH1=IS, WB walks, T1SZ=25,
 * TG0=4K, SH0=IS, WB walks, T0SZ=25 */
#define TCR1_VAL    ((1ull << 38) | (1ull << 37) | (2ull << 32) | (2ull << 30) | \
                     (3ull << 28) | (1 << 26) | (1 << 24) | (25 << 16) | \
                     (3 << 12) | (1 << 10) | (1 << 8) | 25)
#define TCR_TCMA1   (1ull << 58)
/* VTCR_EL2: RES1 31, PS=40 bits, 4K, SH0=IS, WB walks, SL0=1, T0SZ=25 */
#define VTCR_VAL    ((1ull << 31) | (2ull << 16) | (3 << 12) | (1 << 10) | \
                     (1 << 8) | (1 << 6) | 25)
/* stage 2 descriptors: MemAttr[5:2], S2AP=11 (RW), SH=IS, AF */
#define S2(memattr) (((uint64_t)(memattr) << 2) | (3ull << 6) | (3ull << 8) | D_AF)

static table_t l1_2, s1_l1, s1_h1, s2_l1, s2_l2, s2_l3;
static uint64_t tbuf[512] __attribute__((aligned(4096)));
static volatile uint64_t res[8];
#define TB  ((uint64_t)tbuf)

static const struct mte_buf bufs[] = {
    { "tbuf", (uint64_t)tbuf, sizeof(tbuf) },
    { "tbuf(EL0 alias)", (uint64_t)tbuf + EL0_DATA, sizeof(tbuf) },
    /* mte_print_va compares bits 55:0 */
    { "tbuf(TTBR1)", (uint64_t)tbuf + 0x00ffff8000000000ull, sizeof(tbuf) },
    { "WIN", WIN, 0x4000 },
};
#define NBUFS (sizeof(bufs) / sizeof(bufs[0]))

/* ---- snippets ---- */
#define SNIPPET(name, exit, body)                                         \
    extern char name[];                                                   \
    __asm__(".pushsection .text." #name ", \"ax\"\n .balign 4\n" MTE_ASM  \
            ".global " #name "\n" #name ":\n" body "\n " exit "\n"        \
            ".popsection\n")
#define EL1_SNIPPET(name, body) SNIPPET(name, "hvc #0xfff", body)
#define EL0_SNIPPET(name, body) SNIPPET(name, "svc #0xfff", body)

EL1_SNIPPET(el1_regs,
    "mrs x0, gcr_el1\n str x0, [x3]\n mrs x0, rgsr_el1\n str x0, [x3, #8]\n"
    " mrs x0, tfsr_el1\n str x0, [x3, #16]\n mrs x0, tfsre0_el1\n str x0, [x3, #24]\n"
    " msr gcr_el1, x2\n msr rgsr_el1, x2\n msr tfsr_el1, x1\n msr tfsre0_el1, x1\n");
EL1_SNIPPET(el1_tfsr_el2, "mrs x0, s3_4_c5_c6_0\n");
EL1_SNIPPET(el1_gmid, "mrs x0, gmid_el1\n str x0, [x3]\n");
/* x1 = [tag 5] tbuf, x2 = [tag 9] 0 */
EL1_SNIPPET(el1_tags,
    "irg x0, x1\n str x0, [x3]\n addg x0, x1, #16, #1\n str x0, [x3, #8]\n"
    " mov x0, #-1\n ldg x0, [x1]\n str x0, [x3, #16]\n"
    " ldr x0, [x1]\n str x0, [x3, #24]\n ldgm x0, [x1]\n str x0, [x3, #32]\n"
    " stg x2, [x1]\n");
EL1_SNIPPET(el1_ld, "ldr x0, [x1]\n dsb sy\n isb\n");
EL1_SNIPPET(el1_st, "str x2, [x1]\n dsb sy\n isb\n");
EL1_SNIPPET(el1_ldtr, "ldtr x0, [x1]\n dsb sy\n isb\n");
EL1_SNIPPET(el1_s2,
    "mov x0, #0\n ldg x0, [x1]\n str x0, [x3]\n ldr x0, [x1]\n stg x2, [x1]\n");
EL0_SNIPPET(el0_ld, "ldr x0, [x1]\n dsb sy\n");
EL0_SNIPPET(el0_st, "str x2, [x1]\n dsb sy\n");
EL0_SNIPPET(el0_tags,
    "irg x0, x1\n str x0, [x3]\n mov x0, #-1\n ldg x0, [x1]\n str x0, [x3, #8]\n"
    " ldr x0, [x1]\n str x0, [x3, #16]\n");
EL0_SNIPPET(el0_undef,
    "ldgm x0, [x1]\n stgm x0, [x1]\n stzgm x0, [x1]\n mrs x0, gmid_el1\n"
    " mrs x0, gcr_el1\n");

/*
 * void run_lower(entry, spsr, x1, x2, x3): at EL2, ERET to entry with
 * SPSR_EL2 = spsr, fresh SP_EL1 and SP_EL0 (EL0 data alias), x0 = 0 and
 * x1-x3 as given.  Returns when the EL2 handler calls finish().
 */
__asm__(
    ".text\n.balign 4\n.global run_lower\nrun_lower:\n"
    " stp x29, x30, [sp, #-96]!\n stp x19, x20, [sp, #16]\n"
    " stp x21, x22, [sp, #32]\n stp x23, x24, [sp, #48]\n"
    " stp x25, x26, [sp, #64]\n stp x27, x28, [sp, #80]\n"
    " msr elr_el2, x0\n msr spsr_el2, x1\n"
    " adrp x5, stack_el1_top\n add x5, x5, :lo12:stack_el1_top\n msr sp_el1, x5\n"
    " adrp x5, stack_el0_top\n add x5, x5, :lo12:stack_el0_top\n"
    " mov x6, #0x80000000\n add x5, x5, x6\n msr sp_el0, x5\n"
    " mov x1, x2\n mov x2, x3\n mov x3, x4\n mov x0, #0\n eret\n"
    ".global lower_return\nlower_return:\n"
    " ldp x19, x20, [sp, #16]\n ldp x21, x22, [sp, #32]\n"
    " ldp x23, x24, [sp, #48]\n ldp x25, x26, [sp, #64]\n"
    " ldp x27, x28, [sp, #80]\n ldp x29, x30, [sp], #96\n ret\n");
void run_lower(uint64_t entry, uint64_t spsr, uint64_t x1, uint64_t x2,
               uint64_t x3);
extern char lower_return[];

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    if (idx != VEC_LOWER_A64)
        guest_unexpected("EL2", idx, esr, f->elr);
    if (ESR_EC(esr) == 0x16 && ESR_ISS(esr) == 0xfff) {
        f->elr = (uint64_t)lower_return;
        f->spsr = 0x3c9;                        /* EL2h, DAIF masked */
        return;
    }
    mte_report('2', esr, f->elr, read_sysreg(far_el2), bufs, NBUFS);
#ifdef MTEPERM_ONLY
    /* ESR_EL2[63:32] holds ISS2 (TagAccess is ISS2 bit 9, ESR bit 41) */
    uart_puts("       ESR_EL2[63:32]=");
    uart_hex32((uint32_t)(esr >> 32));
    uart_puts(" HPFAR_EL2=");
    uart_hex(read_sysreg(hpfar_el2));
    uart_puts("\n");
#endif
    f->elr += 4;
}

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el1);
    if (VEC_KIND(idx) != 0 || idx >= 12)
        guest_unexpected("EL1", idx, esr, f->elr);
    if (idx == VEC_LOWER_A64 && ESR_EC(esr) == 0x15 && ESR_ISS(esr) == 0xfff)
        __asm__ volatile("hvc #0xfff");         /* EL0 done: back to EL2 */
    mte_report('1', esr, f->elr, read_sysreg(far_el1), bufs, NBUFS);
    f->elr += 4;
}

/* ---- EL2 side ---- */
static void va(uint64_t v) { mte_print_va(v, bufs, NBUFS); }

static void tlbi_el1(void)
{
    __asm__ volatile("dsb sy\n tlbi alle1\n dsb sy\n isb" ::: "memory");
}

/*
 * Run one snippet: print the title, set HCR_EL2 (RW plus hcr), SCTLR_EL1
 * (the base plus sctlr) and TCR_EL1 (plus tcr), GCR_EL1 = 0 and RGSR_EL1 =
 * 0x123400 (IRG's results are then those of the `mte` guest), clear
 * TFSR_EL1/TFSRE0_EL1 and res[], run it and print "no exception" if
 * nothing was taken.  el0: run at EL0 from the code alias.
 */
static void run_(const char *title, char *entry, const char *entry_name,
                 int el0, uint64_t hcr, uint64_t sctlr, uint64_t tcr,
                 uint64_t x1, uint64_t x2)
{
    uint64_t e = (uint64_t)entry + (el0 ? EL0_CODE : 0);

    uart_puts(title);
    uart_puts("\n");
    write_sysreg(hcr_el2, HCR_RW | hcr);
    write_sysreg(sctlr_el1, SCTLR1_BASE | sctlr);
    write_sysreg(tcr_el1, TCR1_VAL | tcr);
    MSR(GCR_EL1, 0);
    MSR(RGSR_EL1, 0x123400);
    MSR(TFSR_EL1, 0);
    MSR(TFSRE0_EL1, 0);
    tlbi_el1();
    for (unsigned i = 0; i < 8; i++)
        res[i] = 0xeeee;
    mte_label_name = entry_name;
    mte_label = e;
    mte_faults = 0;
    run_lower(e, el0 ? 0x3c0 : 0x3c5, x1, x2,
              (uint64_t)res + (el0 ? EL0_DATA : 0));
    if (!mte_faults)
        uart_puts("    -> no exception\n");
    write_sysreg(hcr_el2, HCR_RW);
    isb();
}

#define run(title, snippet, ...) run_(title, snippet, #snippet, __VA_ARGS__)

static void put_res(const char *name, unsigned i, int as_va)
{
    uart_puts("  ");
    uart_puts(name);
    uart_puts(": ");
    if (as_va)
        va(res[i]);
    else
        uart_hex64(res[i]);
    uart_puts("\n");
}

static void put_reg(const char *name, uint64_t v)
{
    uart_puts("  ");
    uart_puts(name);
    uart_puts("=");
    uart_hex(v);
    uart_puts("\n");
}

static void tfsr(void)
{
    __asm__ volatile("dsb sy\n isb" ::: "memory");
    put_reg("TFSR_EL1", MRS(TFSR_EL1));
    put_reg("TFSRE0_EL1", MRS(TFSRE0_EL1));
}

static void mem(void)
{
    put_reg("tbuf[0]", tbuf[0]);
}

static void tag_tbuf(void)
{
    put_reg("LDG at EL2: tag of tbuf", ldg_tag(TB));
    stg_tag(TB, 3);
}

static void tags_results(void)
{
    put_res("IRG x0, x1", 0, 1);
    put_res("ADDG x0, x1, #16, #1", 1, 1);
    put_res("LDG (Xt=all ones)", 2, 0);
    put_res("LDR (checked)", 3, 0);
    put_res("LDGM", 4, 0);
    put_reg("RGSR_EL1", MRS(RGSR_EL1));
    tag_tbuf();
}

#define T5(p)   TAGGED(p, 5)
#define EL1     0
#define EL0     1

static void el1_tests(void)
{
    const uint64_t t9 = TAGGED(0, 9);

    uart_puts("\n== HCR_EL2.ATA=0 ==\n");
    run("EL1: MRS/MSR GCR_EL1, RGSR_EL1, TFSR_EL1, TFSRE0_EL1 (trapped, EC 0x18)",
        el1_regs, EL1, 0, 0, 0, 1, 0x0f0f);
    run("EL1: MRS TFSR_EL2 (UNDEFINED at EL1)", el1_tfsr_el2, EL1, 0, 0, 0, 0, 0);
    run("EL1, SCTLR_EL1.ATA=1, TCF=1: IRG, ADDG, LDG, LDR, LDGM, STG [tag 9]",
        el1_tags, EL1, 0, SCTLR_ATA | SCTLR_TCF(TCF_SYNC), 0, T5(TB), t9);
    tags_results();

    uart_puts("\n== HCR_EL2.TID5 ==\n");
    run("EL1: MRS GMID_EL1, TID5=1", el1_gmid, EL1, HCR_ATA | HCR_TID5, 0, 0, 0, 0);
    run("EL1: MRS GMID_EL1, TID5=0", el1_gmid, EL1, HCR_ATA, 0, 0, 0, 0);
    put_res("GMID_EL1", 0, 0);

    uart_puts("\n== HCR_EL2.ATA=1 ==\n");
    MSR(TFSR_EL1, 0);
    run("EL1: MRS/MSR GCR_EL1, RGSR_EL1, TFSR_EL1, TFSRE0_EL1 (x2=0xf0f, x1=1)",
        el1_regs, EL1, HCR_ATA, 0, 0, 1, 0x0f0f);
    put_res("GCR_EL1 (was 0)", 0, 0);
    put_res("RGSR_EL1 (was 0x123400)", 1, 0);
    put_reg("now GCR_EL1", MRS(GCR_EL1));
    put_reg("now RGSR_EL1", MRS(RGSR_EL1));
    put_reg("now TFSR_EL1", MRS(TFSR_EL1));
    put_reg("now TFSRE0_EL1", MRS(TFSRE0_EL1));
    run("EL1, SCTLR_EL1.ATA=0, TCF=1: IRG, ADDG, LDG, LDR, LDGM, STG [tag 9]",
        el1_tags, EL1, HCR_ATA, SCTLR_TCF(TCF_SYNC), 0, T5(TB), t9);
    tags_results();
    run("EL1, SCTLR_EL1.ATA=1, TCF=0: IRG, ADDG, LDG, LDR, LDGM, STG [tag 9]",
        el1_tags, EL1, HCR_ATA, SCTLR_ATA, 0, T5(TB), t9);
    tags_results();

    const uint64_t sync = SCTLR_ATA | SCTLR_TCF(TCF_SYNC);
    const uint64_t async = SCTLR_ATA | SCTLR_TCF(TCF_ASYNC);
    const uint64_t asymm = SCTLR_ATA | SCTLR_TCF(TCF_ASYMM);
    run("EL1, TCF=1: LDR [tag 5] tbuf", el1_ld, EL1, HCR_ATA, sync, 0, T5(TB), 0);
    run("EL1, TCF=1: STR [tag 5] tbuf (0x2222)", el1_st, EL1, HCR_ATA, sync, 0,
        T5(TB), 0x2222);
    mem();
    run("EL1, TCF=1: LDR [tag 3] tbuf (match)", el1_ld, EL1, HCR_ATA, sync, 0,
        TAGGED(TB, 3), 0);
    run("EL1, TCF=1: LDR [tag 5] tbuf through TTBR1", el1_ld, EL1, HCR_ATA, sync,
        0, T5(TB + HI_OFF), 0);
    run("EL1, TCF=1, TCR_EL1.TCMA1=1: LDR [tag f] tbuf through TTBR1", el1_ld,
        EL1, HCR_ATA, sync, TCR_TCMA1, TB + HI_OFF, 0);
    run("EL1, TCF=1, TCR_EL1.TCMA1=0: LDR [tag f] tbuf through TTBR1", el1_ld,
        EL1, HCR_ATA, sync, 0, TB + HI_OFF, 0);
    run("EL1, TCF=2: LDR [tag 5] tbuf", el1_ld, EL1, HCR_ATA, async, 0, T5(TB), 0);
    tfsr();
    run("EL1, TCF=2: STR [tag 5] tbuf through TTBR1 (0x3333)", el1_st, EL1,
        HCR_ATA, async, 0, T5(TB + HI_OFF), 0x3333);
    tfsr();
    mem();
    run("EL1, TCF=3: LDR [tag 5] tbuf", el1_ld, EL1, HCR_ATA, asymm, 0, T5(TB), 0);
    tfsr();
    run("EL1, TCF=3: STR [tag 5] tbuf (0x4444)", el1_st, EL1, HCR_ATA, asymm, 0,
        T5(TB), 0x4444);
    tfsr();
    mem();

    /* An unprivileged access is checked as an EL0 access (R_MCGNZ) */
    const uint64_t p = T5(TB + EL0_DATA);
    const uint64_t ata = SCTLR_ATA | SCTLR_ATA0;
    run("EL1, ATA0=1, TCF0=1, TCF=0: LDTR [tag 5] tbuf(EL0 alias)", el1_ldtr,
        EL1, HCR_ATA, ata | SCTLR_TCF0(TCF_SYNC), 0, p, 0);
    run("EL1, ATA0=1, TCF0=0, TCF=1: LDTR [tag 5] tbuf(EL0 alias)", el1_ldtr,
        EL1, HCR_ATA, ata | SCTLR_TCF(TCF_SYNC), 0, p, 0);
    run("EL1, ATA0=1, TCF0=2, TCF=1: LDTR [tag 5] tbuf(EL0 alias)", el1_ldtr,
        EL1, HCR_ATA, ata | SCTLR_TCF0(TCF_ASYNC) | SCTLR_TCF(TCF_SYNC), 0, p, 0);
    tfsr();
    run("EL1, ATA0=0, TCF0=1: LDTR [tag 5] tbuf(EL0 alias)", el1_ldtr, EL1,
        HCR_ATA, SCTLR_ATA | SCTLR_TCF0(TCF_SYNC), 0, p, 0);
}

static void el0_tests(void)
{
    const uint64_t p = T5(TB + EL0_DATA);
    const uint64_t ata = SCTLR_ATA | SCTLR_ATA0;

    uart_puts("\n== EL0 (HCR_EL2.ATA=1, SCTLR_EL1.ATA=1) ==\n");
    run("EL0, ATA0=1, TCF0=1: LDR [tag 5] tbuf", el0_ld, EL0, HCR_ATA,
        ata | SCTLR_TCF0(TCF_SYNC), 0, p, 0);
    run("EL0, ATA0=1, TCF0=1: STR [tag 5] tbuf (0x5555)", el0_st, EL0, HCR_ATA,
        ata | SCTLR_TCF0(TCF_SYNC), 0, p, 0x5555);
    mem();
    run("EL0, ATA0=1, TCF0=0, TCF=1: LDR [tag 5] tbuf", el0_ld, EL0, HCR_ATA,
        ata | SCTLR_TCF(TCF_SYNC), 0, p, 0);
    run("EL0, ATA0=1, TCF0=2: LDR [tag 5] tbuf", el0_ld, EL0, HCR_ATA,
        ata | SCTLR_TCF0(TCF_ASYNC), 0, p, 0);
    tfsr();
    run("EL0, ATA0=1, TCF0=3: LDR [tag 5] tbuf", el0_ld, EL0, HCR_ATA,
        ata | SCTLR_TCF0(TCF_ASYMM), 0, p, 0);
    tfsr();
    run("EL0, ATA0=1, TCF0=3: STR [tag 5] tbuf (0x6666)", el0_st, EL0, HCR_ATA,
        ata | SCTLR_TCF0(TCF_ASYMM), 0, p, 0x6666);
    tfsr();
    mem();
    run("EL0, ATA0=1, TCF0=1: IRG, LDG, LDR", el0_tags, EL0, HCR_ATA,
        ata | SCTLR_TCF0(TCF_SYNC), 0, p, 0);
    put_res("IRG x0, x1", 0, 1);
    put_res("LDG (Xt=all ones)", 1, 0);
    run("EL0, ATA0=0, TCF0=1: IRG, LDG, LDR", el0_tags, EL0, HCR_ATA,
        SCTLR_ATA | SCTLR_TCF0(TCF_SYNC), 0, p, 0);
    put_res("IRG x0, x1", 0, 1);
    put_res("LDG (Xt=all ones)", 1, 0);
    put_res("LDR (checked)", 2, 0);
    run("EL0, HCR_EL2.ATA=0, ATA0=1, TCF0=1: IRG, LDG, LDR", el0_tags, EL0, 0,
        ata | SCTLR_TCF0(TCF_SYNC), 0, p, 0);
    put_res("IRG x0, x1", 0, 1);
    put_res("LDG (Xt=all ones)", 1, 0);
    put_res("LDR (checked)", 2, 0);
    run("EL0: LDGM, STGM, STZGM (UNDEFINED), MRS GMID_EL1 (EC 0x18, FEAT_IDST),"
        " MRS GCR_EL1 (UNDEFINED)", el0_undef, EL0, HCR_ATA, ata, 0, p, 0);
}

static void s2_tests(void)
{
    static const struct {
        unsigned page, fwb;
        const char *name;
    } pg[] = {
        { 0, 0, "FWB=0, S2 MemAttr 0b0101 (Normal NC)" },
        { 1, 0, "FWB=0, S2 MemAttr 0b1111 (Normal WB)" },
        { 2, 0, "FWB=0, S2 MemAttr 0b0110 (Outer NC, Inner WT)" },
        { 3, 0, "FWB=0, S2 MemAttr 0b0111 (Outer NC, Inner WB)" },
        { 0, 1, "FWB=1, S2 MemAttr 0b0101 (Normal NC)" },
        { 2, 1, "FWB=1, S2 MemAttr 0b0110 (force Normal WB)" },
        { 3, 1, "FWB=1, S2 MemAttr 0b0111 (stage 1 attributes)" },
    };

    uart_puts("\n== stage 2 (HCR_EL2.VM=1): EL1 LDG, LDR [tag 5], STG [tag 9]"
              " via WIN+page (-> tbuf), TCF=1 ==\n");
    s2_l1[0] = 0x0 | S2(0x0) | (2ull << 53) | D_BLOCK;     /* Device, XN */
    s2_l1[1] = RAM_BASE | S2(0xf) | D_BLOCK;
    s2_l1[4] = (uint64_t)s2_l2 | D_TABLE;
    s2_l2[0] = (uint64_t)s2_l3 | D_TABLE;
    s2_l3[0] = TB | S2(0x5) | D_PAGE;
    s2_l3[1] = TB | S2(0xf) | D_PAGE;
    s2_l3[2] = TB | S2(0x6) | D_PAGE;
    s2_l3[3] = TB | S2(0x7) | D_PAGE;
    write_sysreg(vtcr_el2, VTCR_VAL);
    write_sysreg(vttbr_el2, (uint64_t)s2_l1 | (1ull << 48));
    for (unsigned i = 0; i < sizeof(pg) / sizeof(pg[0]); i++) {
        uint64_t hcr = HCR_ATA | HCR_VM | (pg[i].fwb ? HCR_FWB : 0);
        /* RAM stays Normal Write-Back: 0b1111 with FWB=0, 0b0110 with FWB=1 (0b1111
         * with FWB=1 is NoTagAccess under FEAT_MTE_PERM, which QEMU lacks; see mteperm). */
        s2_l1[1] = RAM_BASE | S2(pg[i].fwb ? 0x6 : 0xf) | D_BLOCK;
        run(pg[i].name, el1_s2, EL1, hcr, SCTLR_ATA | SCTLR_TCF(TCF_SYNC), 0,
            T5(WIN + 0x1000 * pg[i].page), TAGGED(0, 9));
        put_res("LDG", 0, 0);
        tag_tbuf();
    }
    tlbi_el1();
}

#ifdef MTEPERM_ONLY
/*
 * FEAT_MTE_PERM (see mteperm.c): stage 2 NoTagAccess pages in the test
 * window, EL1 with HCR_EL2.ATA=1, SCTLR_EL1.ATA=1, TCF=1 (and TCF=0).
 */
static void perm_tests(void)
{
    static const struct {
        unsigned page, fwb;
        uint64_t sctlr;
        const char *name;
    } pg[] = {
        { 0, 0, SCTLR_TCF(TCF_SYNC), "FWB=0, S2 MemAttr 0b0100 (NoTagAccess), TCF=1" },
        { 0, 0, 0, "FWB=0, S2 MemAttr 0b0100 (NoTagAccess), TCF=0" },
        { 1, 0, SCTLR_TCF(TCF_SYNC), "FWB=0, S2 MemAttr 0b1111 (Normal WB), TCF=1" },
        { 2, 1, SCTLR_TCF(TCF_SYNC), "FWB=1, S2 MemAttr 0b1110 (NoTagAccess, force WB), TCF=1" },
        { 3, 1, SCTLR_TCF(TCF_SYNC), "FWB=1, S2 MemAttr 0b1111 (NoTagAccess, stage 1), TCF=1" },
        { 1, 1, SCTLR_TCF(TCF_SYNC), "FWB=1, S2 MemAttr 0b1111 via an Untagged stage 1 page" },
    };

    uart_puts("ID_AA64PFR2_EL1.MTEPERM=");
    uart_hex(MRS(s3_0_c0_c4_2) & 0xf);
    uart_puts("\n\n== stage 2 NoTagAccess: EL1 LDG, LDR [tag 5], STG [tag 9] via"
              " WIN+page (-> tbuf) ==\n");
    s2_l1[0] = 0x0 | S2(0x0) | (2ull << 53) | D_BLOCK;     /* Device, XN */
    s2_l1[4] = (uint64_t)s2_l2 | D_TABLE;
    s2_l2[0] = (uint64_t)s2_l3 | D_TABLE;
    write_sysreg(vtcr_el2, VTCR_VAL);
    write_sysreg(vttbr_el2, (uint64_t)s2_l1 | (1ull << 48));
    for (unsigned i = 0; i < sizeof(pg) / sizeof(pg[0]); i++) {
        uint64_t hcr = HCR_ATA | HCR_VM | (pg[i].fwb ? HCR_FWB : 0);
        s2_l1[1] = RAM_BASE | S2(pg[i].fwb ? 0x6 : 0xf) | D_BLOCK;
        s2_l3[0] = TB | S2(0x4) | D_PAGE;
        s2_l3[1] = TB | S2(0xf) | D_PAGE;
        s2_l3[2] = TB | S2(0xe) | D_PAGE;
        s2_l3[3] = TB | S2(0xf) | D_PAGE;
        /* the last case: stage 1 maps WIN+0x1000 Normal WB, not Tagged */
        s1_l1[4] = WIN | D_ATTR(i == 5 ? A_UNTAGGED : A_TAGGED) | D_SH_IS | D_AF |
                   D_BLOCK | D_UXN | D_PXN;
        run(pg[i].name, el1_s2, EL1, hcr, SCTLR_ATA | pg[i].sctlr, 0,
            T5(WIN + 0x1000 * pg[i].page), TAGGED(0, 9));
        put_res("LDG", 0, 0);
        tag_tbuf();
    }
    tlbi_el1();
}
#endif

int main(void)
{
#ifdef MTEPERM_ONLY
    uart_puts("mteperm: FEAT_MTE_PERM, stage 2 NoTagAccess (HCR_EL2.E2H=0)\n");
#else
    uart_puts("mte_el1: FEAT_MTE2/MTE3 at EL1 and EL0 (HCR_EL2.E2H=0)\n");
#endif

    /* EL2: identity map, RAM Tagged; tags of the image cleared */
    l1_2[0] = 0x0 | D_ATTR(A_DEVICE) | D_AF | D_AP(1) | D_UXN | D_BLOCK;
    l1_2[1] = RAM_BASE | D_ATTR(A_TAGGED) | D_SH_IS | D_AF | D_AP(1) | D_BLOCK;
    write_sysreg(mair_el2, MAIR_MTE);
    write_sysreg(ttbr0_el2, (uint64_t)l1_2);
    write_sysreg(tcr_el2, TCR2_VAL);
    tlbi_alle2();
    write_sysreg(sctlr_el2, SCTLR2_BASE);
    isb();
    clear_tags((uint64_t)_start, (uint64_t)__image_end);
    stg_tag(TB, 3);
    tbuf[0] = 0x1111;

    /* EL1&0 stage 1 */
    const uint64_t n = D_ATTR(A_TAGGED) | D_SH_IS | D_AF | D_BLOCK;
    s1_l1[0] = 0x0 | D_ATTR(A_DEVICE) | D_AF | D_UXN | D_PXN | D_BLOCK;
    s1_l1[1] = RAM_BASE | n | D_UXN;                         /* EL1 RW */
    s1_l1[2] = RAM_BASE | n | D_AP(3) | D_PXN;               /* RO, EL0 code */
    s1_l1[3] = RAM_BASE | n | D_AP(1) | D_UXN | D_PXN;       /* EL0 RW data */
    s1_l1[4] = WIN | n | D_UXN | D_PXN;
    s1_h1[1] = RAM_BASE | n | D_UXN | D_PXN;
    write_sysreg(mair_el1, MAIR_MTE);
    write_sysreg(ttbr0_el1, (uint64_t)s1_l1);
    write_sysreg(ttbr1_el1, (uint64_t)s1_h1);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);

#ifdef MTEPERM_ONLY
    (void)el1_tests;
    (void)el0_tests;
    (void)s2_tests;
    perm_tests();
#else
    el1_tests();
    el0_tests();
    s2_tests();
#endif
    uart_puts("\ndone\n");
    return 0;
}
