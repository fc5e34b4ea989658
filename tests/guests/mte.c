/*
 * mte: FEAT_MTE2 / FEAT_MTE3 at EL2 (HCR_EL2.E2H=0, the EL2 regime).
 *
 * EL2 turns its MMU on with an identity map (T0SZ=25, 4K granule): the
 * devices as Device-nGnRnE, RAM as one 1 GiB block of Tagged Normal memory
 * (MAIR 0xf0), at UVA one page aliasing `ubuf` as Normal WB *not* Tagged
 * (MAIR 0xff), and at ROVA = UVA + 0x1000 a read-only Tagged alias of
 * `tbuf`.  SCTLR_EL2.{M,C,I,ATA}=1, A=0, TCR_EL2.TBI=1.  The
 * allocation tags of the whole image (code, data, stacks) are set to 0
 * first (they are UNKNOWN at reset), so the C code, whose pointers carry
 * tag 0, passes every tag check.  Test data lives in `tbuf` and `ubuf` and
 * is accessed only by the asm helpers below.
 *
 * Part 1 (SCTLR_EL2.TCF=0): IRG (GCR_EL1.RRND=0 with a fixed RGSR_EL1 seed,
 * Exclude from GCR_EL1 and from Xm), GMI, ADDG/SUBG, SUBP/SUBPS, STG/LDG
 * and their index forms, STZG, ST2G, STZ2G, STGP, LDGM/STGM/STZGM
 * (GMID_EL1), DC GVA/GZVA (DCZID_EL0), tag accesses to the untagged alias,
 * and SCTLR_EL2.ATA=0.  Part 2: tag checking with TCF=1 (sync: Data Abort
 * at EL2, DFSC 0b010001), TCO, TCMA, TBI=0, untagged memory, SP-based
 * addressing, TCF=2 (async: TFSR_EL2.TF0) and TCF=3 (asymmetric, MTE3).
 * Part 3: the tag forms of DC by VA (DC CGVAC, CGDVAC, CGVAP, CGDVAP,
 * CIGVAC, CIGDVAC, IGVAC, IGDVAC) with TCF=1 and a mismatching pointer tag:
 * Tag Unchecked (D10.4.1 R_DRGYL), no exception on tbuf, on a read-only
 * Tagged alias ROVA (clean forms only) and on the untagged alias UVA, and
 * data and allocation tags unchanged.  The invalidating forms run after
 * DC CIGDVAC has cleaned the line, so no dirty data or tags can be lost.
 * (DC CGVADP/CGDVADP need FEAT_DPB2, which hypsim does not advertise.)
 *
 * Every fault is reported by the EL2 handler as ESR_EL2 (32 bits), ELR
 * relative to the label of the instruction, and FAR_EL2 as
 * "[tag t] <buffer>+offset"; the instruction is then skipped.
 *
 * Left out: a DC ZVA that fails its tag check.  DC ZVA is a write
 * (CreateAccDescDCZero: write=TRUE, and it is not AccessType_DC), so the
 * Arm ARM gives ESR WnR=1 (0x96000051) and, with TCF=3, an asynchronous
 * fault; QEMU 10 reports WnR=0 (0x96000011; helper_mte_check_zva's
 * descriptor lacks WRITE) and would treat it as a read under TCF=3.  Only
 * a DC ZVA that passes the check is tested.
 *
 * Left out: MMU faults from the DC tag operations.  With CLIDR_EL1.LoC != 0
 * (QEMU 10 -cpu max: 0x2000023, LoC=2) a DC to the PoC or PoP is not
 * treated as a NOP (D7.5.9.2, AArch64.TreatDCAsNOP), so AArch64.DC
 * translates the VA and faults: on an unmapped VA a Translation fault
 * (ESR_EL2 0x96000147: CM=1, WnR=1, level 3; FAR = the register), and
 * DC IGVAC/IGDVAC without write permission a Permission fault (D8.15.3
 * R_JYWZL; 0x9600014f).  QEMU 10 implements every DC by VA as a NOP and
 * never faults; hypsim raises these faults.
 */
#include "mte.h"

#define RAM_BASE    0x40000000ull
#define UVA         0x80000000ull           /* ubuf, Normal, not Tagged */
#define ROVA        (UVA + 0x1000)          /* tbuf, Tagged, read-only */
#define SCTLR_BASE  (0x30c50830ull | SCTLR_M | SCTLR_C | SCTLR_I)
#define TCR_TBI     (1ull << 20)
#define TCR_TCMA    (1ull << 30)
/* RES1 31, 23; PS=40 bits; SH0=IS; ORGN0=IRGN0=WB RW-alloc; TG0=4K; T0SZ=25 */
#define TCR_BASE    ((1ull << 31) | (1ull << 23) | (2ull << 16) | (3 << 12) | \
                     (1 << 10) | (1 << 8) | 25)

static table_t l1, l2u, l3u;
static uint64_t tbuf[512] __attribute__((aligned(4096)));
static uint64_t ubuf[512] __attribute__((aligned(4096)));
#define TB  ((uint64_t)tbuf)

static const struct mte_buf bufs[] = {
    { "tbuf", (uint64_t)tbuf, sizeof(tbuf) },
    { "ubuf", (uint64_t)ubuf, sizeof(ubuf) },
    { "UVA", UVA, 4096 },
    { "ROVA", ROVA, 4096 },
};
#define NBUFS (sizeof(bufs) / sizeof(bufs[0]))

/* ---- labelled helpers: uint64_t fn(uint64_t x0, uint64_t x1, uint64_t x2);
 * t_<fn> is the instruction under test ---- */
#define FN(fn, pre, insn, post)                                         \
    ".global " #fn "\n" #fn ":\n" pre "\n"                              \
    ".global t_" #fn "\nt_" #fn ": " insn "\n" post "\n ret\n"
/* SP-based: SP_EL0 = x0, SPSel=0 around the instruction */
#define SPFN(fn, insn) FN(fn, " msr sp_el0, x0\n msr spsel, #0", insn, " msr spsel, #1")
__asm__(
    ".text\n.balign 4\n" MTE_ASM
    FN(ld_x, "", "ldr x0, [x0]", "")
    FN(st_x, "", "str x1, [x0]", "")
    FN(ldp_x, "", "ldp x0, x1, [x0]", "")
    FN(ldadd_x, "", "ldadd x1, x2, [x0]", " mov x0, x2")
    FN(dczva_x, "", "dc zva, x0", "")
    FN(stg_x, "", "stg x1, [x0]", "")
    FN(ldg_x, " mov x1, #0", "ldg x1, [x0]", " mov x0, x1")
    FN(stgp_x, "", "stgp x1, x2, [x0]", "")
    FN(tco_ld, " msr tco, #1", "ldr x0, [x0]", " mrs x1, tco\n msr tco, #0\n"
       " cmp x1, #0\n csel x0, x0, xzr, ne")
    SPFN(sp_base, "ldr x0, [sp]")
    SPFN(sp_imm, "ldr x0, [sp, #8]")
    SPFN(sp_unscaled, "ldur x0, [sp, #-8]")
    SPFN(sp_str, "str x1, [sp, #8]")
    SPFN(sp_ldp, "ldp x0, x1, [sp, #16]")
    SPFN(sp_pre, "ldr x0, [sp, #8]!")
    SPFN(sp_post, "ldr x0, [sp], #8")
    SPFN(sp_reg, "ldr x0, [sp, x2]")
    SPFN(sp_stp_pre, "stp x1, x1, [sp, #-16]!")
    /* tag stores with index forms; x0 = address, x1 = tag source,
     * x2, x3 = data; return the written-back x0 */
    FN(stg_pre, "", "stg x1, [x0, #32]!", "")
    FN(stg_post, "", "stg x1, [x0], #-16", "")
    FN(ldg_p16, " mov x1, #-1", "ldg x1, [x0, #16]", " mov x0, x1")
    FN(ldg_m16, " mov x1, #0", "ldg x1, [x0, #-16]", " mov x0, x1")
    FN(stzg_0, "", "stzg x1, [x0]", "")
    FN(stzg_pre, "", "stzg x1, [x0, #16]!", "")
    FN(stzg_post, "", "stzg x1, [x0], #32", "")
    FN(st2g_0, "", "st2g x1, [x0]", "")
    FN(st2g_pre, "", "st2g x1, [x0, #-32]!", "")
    FN(st2g_post, "", "st2g x1, [x0], #48", "")
    FN(stz2g_0, "", "stz2g x1, [x0]", "")
    FN(stgp_off, " mov x3, x1", "stgp x2, x3, [x0, #16]", "")
    FN(stgp_pre, " mov x3, x1", "stgp x2, x3, [x0, #-32]!", "")
    FN(stgp_post, " mov x3, x1", "stgp x2, x3, [x0], #48", "")
    FN(stgm_x, "", "stgm x1, [x0]", "")
    FN(stzgm_x, "", "stzgm x1, [x0]", "")
    FN(dcgva_x, "", "dc gva, x0", "")
    FN(dcgzva_x, "", "dc gzva, x0", "")
    /* ADDG/SUBG (immediates fixed): x0 = source */
    FN(addg_a, "", "addg x0, x0, #32, #3", "")
    FN(addg_b, "", "addg x0, x0, #0, #0", "")
    FN(addg_c, "", "addg x0, x0, #1008, #15", "")
    FN(subg_a, "", "subg x0, x0, #48, #1", "")
    FN(subps_x, "", "subps x0, x0, x1", " mrs x1, nzcv\n str x1, [x2]")
    /* tag (G) and data-and-tag (GD) forms of DC by VA: x0 = address */
    FN(dc_cgvac, "", "dc cgvac, x0", "")
    FN(dc_cgdvac, "", "dc cgdvac, x0", "")
    FN(dc_cgvap, "", "dc cgvap, x0", "")
    FN(dc_cgdvap, "", "dc cgdvap, x0", "")
    FN(dc_cigvac, "", "dc cigvac, x0", "")
    FN(dc_cigdvac, "", "dc cigdvac, x0", "")
    FN(dc_igvac, "", "dc igvac, x0", "")
    FN(dc_igdvac, "", "dc igdvac, x0", "")
);
#define DECL(fn) uint64_t fn(uint64_t, uint64_t, uint64_t); extern char t_##fn[]
DECL(ld_x); DECL(st_x); DECL(ldp_x); DECL(ldadd_x); DECL(dczva_x);
DECL(stg_x); DECL(ldg_x); DECL(stgp_x); DECL(tco_ld);
DECL(sp_base); DECL(sp_imm); DECL(sp_unscaled); DECL(sp_str); DECL(sp_ldp);
DECL(sp_pre); DECL(sp_post); DECL(sp_reg); DECL(sp_stp_pre);
DECL(stg_pre); DECL(stg_post); DECL(ldg_p16); DECL(ldg_m16);
DECL(stzg_0); DECL(stzg_pre); DECL(stzg_post); DECL(st2g_0);
DECL(st2g_pre); DECL(st2g_post); DECL(stz2g_0); DECL(stgp_off);
DECL(stgp_pre); DECL(stgp_post); DECL(stgm_x); DECL(stzgm_x);
DECL(dcgva_x); DECL(dcgzva_x); DECL(addg_a); DECL(addg_b); DECL(addg_c);
DECL(subg_a); DECL(subps_x);
DECL(dc_cgvac); DECL(dc_cgdvac); DECL(dc_cgvap); DECL(dc_cgdvap);
DECL(dc_cigvac); DECL(dc_cigdvac); DECL(dc_igvac); DECL(dc_igdvac);

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    if (idx != VEC_CUR_SP0 && idx != VEC_CUR_SPX)
        guest_unexpected("EL2", idx, esr, f->elr);
    mte_report('2', esr, f->elr, read_sysreg(far_el2), bufs, NBUFS);
    f->elr += 4;
}

/* ---- printing ---- */
static void va(uint64_t v) { mte_print_va(v, bufs, NBUFS); }

static void title(const char *s)
{
    uart_puts(s);
    uart_puts("\n");
}

/* After a test: "no exception" (and the result if show) unless it faulted */
static void none(uint64_t r, const char *what)
{
    if (mte_faults)
        return;
    uart_puts("    -> no exception");
    if (what) {
        uart_puts(", ");
        uart_puts(what);
        uart_puts("=");
        uart_hex64(r);
    }
    uart_puts("\n");
}

/* A word of tbuf, read with PSTATE.TCO=1 (the pointer has tag 0) */
static uint64_t peek(uint64_t off)
{
    uint64_t v;
    __asm__ volatile(MTE_ASM "msr tco, #1\n ldr %0, [%1]\n msr tco, #0"
                     : "=r"(v) : "r"(TB + off) : "memory");
    return v;
}

/* "  tags at tbuf+off: t t ..." (n granules, LDG) or "  words at ..." */
static void dump(int is_tags, uint64_t off, unsigned n)
{
    uart_puts(is_tags ? "  tags at tbuf+" : "  words at tbuf+");
    uart_hex(off);
    uart_puts(":");
    for (unsigned i = 0; i < n; i++) {
        uart_puts(" ");
        uart_hex(is_tags ? ldg_tag(TB + off + 16 * i) : peek(off + 8 * i));
    }
    uart_puts("\n");
}
#define tags(off, n)    dump(1, off, n)
#define words(off, n)   dump(0, off, n)

static void wb(uint64_t x0)
{
    uart_puts("  x0 after writeback: ");
    va(x0);
    uart_puts("\n");
}

static void set_sctlr(uint64_t extra)
{
    write_sysreg(sctlr_el2, SCTLR_BASE | extra);
    isb();
}

static void set_tcr(uint64_t extra)
{
    write_sysreg(tcr_el2, TCR_BASE | extra);
    tlbi_alle2();
}

static void fill(uint64_t off, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        tbuf[off / 8 + i] = 0x0101010101010101ull * ((off / 8 + i) & 0xff);
}

/* ---- part 1: the instructions ---- */
static uint64_t irg(uint64_t xn, uint64_t xm)
{
    uint64_t d;
    __asm__ volatile(MTE_ASM "irg %0, %1, %2" : "=r"(d) : "r"(xn), "r"(xm));
    return d;
}

static void irg_run(const char *name, uint64_t gcr, uint64_t rgsr, uint64_t xm,
                    unsigned n, int show_rgsr)
{
    MSR(GCR_EL1, gcr);
    if (show_rgsr)
        MSR(RGSR_EL1, rgsr);
    isb();
    uart_puts(name);
    uart_puts(":");
    for (unsigned i = 0; i < n; i++) {
        uart_puts(" ");
        uart_hex(TAG_OF(irg(TB, xm)));
    }
    if (show_rgsr) {
        uart_puts("; RGSR_EL1=");
        uart_hex(MRS(RGSR_EL1));
    }
    uart_puts("\n");
}

static void insn_tests(void)
{
    uint64_t r, flags;

    title("\n== IRG (GCR_EL1.RRND=0: RGSR_EL1 seed) ==");
    irg_run("IRG x8, GCR=0x0, RGSR=0x123400", 0, 0x123400, 0, 8, 1);
    irg_run("IRG x4, Exclude=0x00ff, RGSR=0xbeef05", 0xff, 0xbeef05, 0, 4, 1);
    irg_run("IRG x4, Exclude=0x0001, Xm=0xff00, RGSR=0x0abc0c", 1, 0x0abc0c,
            0xff00, 4, 1);
    irg_run("IRG x4, Exclude=0x0000, Xm=0x5555, RGSR=0x00f103", 0, 0x00f103,
            0x5555, 4, 1);
    irg_run("IRG x2, Exclude=0xffff (all), RGSR=0x123407", 0xffff, 0x123407, 0,
            2, 1);
    irg_run("IRG x2, Exclude=0x0080, SEED=0 (offset 0), RGSR=0x7", 0x80, 0x7, 0,
            2, 1);
    irg_run("IRG x4, RRND=1, Exclude=0xfdff (only tag 9)", 0x1fdff, 0, 0, 4, 0);
    MSR(GCR_EL1, 0);
    MSR(RGSR_EL1, 0x123400);
    isb();
    uart_puts("IRG keeps bits 63:60 and 55:0 of Xn: ");
    va(irg(TAGGED(TB + 0x123, 0xf) | (0xaull << 60), 0));
    uart_puts("\n");

    title("\n== GMI ==");
    uart_puts("GMI [tag 5], Xm=0x8000000000000001: ");
    __asm__ volatile(MTE_ASM "gmi %0, %1, %2" : "=r"(r)
                     : "r"(TAGGED(TB, 5)), "r"(0x8000000000000001ull));
    uart_hex64(r);
    uart_puts("\nGMI [tag f], Xm=0: ");
    __asm__ volatile(MTE_ASM "gmi %0, %1, xzr" : "=r"(r) : "r"(TAGGED(TB, 15)));
    uart_hex64(r);
    uart_puts("\n");

    title("\n== ADDG / SUBG (GCR_EL1.Exclude) ==");
    static const struct {
        const char *name;
        uint64_t (*fn)(uint64_t, uint64_t, uint64_t);
        uint64_t gcr, src_off, src_tag;
    } ag[] = {
        { "ADDG #32, #3 from [tag 2] tbuf, Exclude=0x0000", addg_a, 0, 0, 2 },
        { "ADDG #32, #3 from [tag 2] tbuf, Exclude=0x0018", addg_a, 0x18, 0, 2 },
        { "ADDG #0, #0 from [tag 3] tbuf, Exclude=0x0018", addg_b, 0x18, 0, 3 },
        { "ADDG #1008, #15 from [a][tag e] tbuf, Exclude=0x0000", addg_c, 0, 0,
          0xae },
        { "SUBG #48, #1 from [tag f] tbuf+0x100, Exclude=0x0001", subg_a, 1,
          0x100, 15 },
        { "ADDG #32, #3 from [tag 2] tbuf, Exclude=0xffff", addg_a, 0xffff, 0, 2 },
    };
    for (unsigned i = 0; i < sizeof(ag) / sizeof(ag[0]); i++) {
        MSR(GCR_EL1, ag[i].gcr);
        isb();
        uart_puts(ag[i].name);
        uart_puts(": ");
        /* src_tag bits 7:4 go to bits 63:60 */
        va(ag[i].fn(TAGGED(TB + ag[i].src_off, ag[i].src_tag & 15) |
                    (ag[i].src_tag >> 4) << 60, 0, 0));
        uart_puts("\n");
    }
    MSR(GCR_EL1, 0);
    isb();

    title("\n== SUBP / SUBPS ==");
    __asm__ volatile(MTE_ASM "subp %0, %1, %2" : "=r"(r)
                     : "r"(TAGGED(TB + 0x40, 5)), "r"(TAGGED(TB, 9)));
    uart_puts("SUBP [tag 5] tbuf+0x40, [tag 9] tbuf: ");
    uart_hex64(r);
    __asm__ volatile(MTE_ASM "subp %0, %1, %2" : "=r"(r)
                     : "r"(0x0380000000000000ull), "r"(0x10ull));
    uart_puts("\nSUBP 0x0380000000000000, 0x10 (bit 55 sign-extends): ");
    uart_hex64(r);
    /* equal but for the tags; a < b; a > b */
    const uint64_t ps[3][2] = {
        { TAGGED(TB, 5), TAGGED(TB, 7) },
        { TAGGED(TB, 5), TAGGED(TB + 0x10, 9) },
        { TAGGED(TB + 0x10, 9), TAGGED(TB, 5) },
    };
    for (unsigned i = 0; i < 3; i++) {
        volatile uint64_t nzcv = 0;
        uint64_t a = ps[i][0], b = ps[i][1];
        r = subps_x(a, b, (uint64_t)&nzcv);
        flags = nzcv;
        uart_puts("\nSUBPS ");
        va(a);
        uart_puts(", ");
        va(b);
        uart_puts(": ");
        uart_hex64(r);
        uart_puts(" NZCV=");
        uart_hex32((uint32_t)flags);
    }
    uart_puts("\n");
}

static void tagstore_tests(void)
{
    uint64_t r;

    title("\n== STG / LDG ==");
    fill(0, 128);
    stg_x(TB, TAGGED(0, 3), 0);
    uart_puts("STG [tag 3] at tbuf\n");
    tags(0, 4);
    uart_puts("LDG Xt=all ones, [tbuf+8]: ");
    uart_hex64(ldg_p16(TB - 8, 0, 0));
    uart_puts("\nLDG [x0, #-16], x0=tbuf+0x10: tag ");
    uart_hex(TAG_OF(ldg_m16(TB + 0x10, 0, 0)));
    uart_puts("\nSTG [tag 4], [x0, #32]!, x0=tbuf\n");
    wb(stg_pre(TB, TAGGED(0, 4), 0));
    uart_puts("STG [tag 5], [x0], #-16, x0=tbuf+0x30\n");
    wb(stg_post(TB + 0x30, TAGGED(0, 5), 0));
    uart_puts("STG Xt=[tag 6], [Xn=[tag 9] tbuf+0x10] (tag from Xt)\n");
    stg_x(TAGGED(TB + 0x10, 9), TAGGED(0, 6), 0);
    tags(0, 4);
    words(0, 8);
    title("STG to tbuf+0x48 (not 16-byte aligned)");
    EXPECT(t_stg_x);
    stg_x(TB + 0x48, TAGGED(0, 7), 0);
    none(0, 0);

    title("\n== STZG / ST2G / STZ2G / STGP ==");
    uart_puts("STZG [tag 7], [tbuf+0x40]\n");
    stzg_0(TB + 0x40, TAGGED(0, 7), 0);
    uart_puts("STZG [tag 8], [x0, #16]!, x0=tbuf+0x40\n");
    wb(stzg_pre(TB + 0x40, TAGGED(0, 8), 0));
    uart_puts("STZG [tag 9], [x0], #32, x0=tbuf+0x60\n");
    wb(stzg_post(TB + 0x60, TAGGED(0, 9), 0));
    tags(0x40, 4);
    words(0x40, 8);
    uart_puts("ST2G [tag a], [tbuf+0x80]\n");
    st2g_0(TB + 0x80, TAGGED(0, 10), 0);
    uart_puts("ST2G [tag b], [tbuf+0xb0] (odd granule)\n");
    st2g_0(TB + 0xb0, TAGGED(0, 11), 0);
    uart_puts("ST2G [tag c], [x0, #-32]!, x0=tbuf+0x100\n");
    wb(st2g_pre(TB + 0x100, TAGGED(0, 12), 0));
    uart_puts("ST2G [tag d], [x0], #48, x0=tbuf+0x100\n");
    wb(st2g_post(TB + 0x100, TAGGED(0, 13), 0));
    tags(0x80, 10);
    words(0x80, 4);
    uart_puts("STZ2G [tag e], [tbuf+0x120]\n");
    stz2g_0(TB + 0x120, TAGGED(0, 14), 0);
    tags(0x110, 4);
    words(0x118, 6);
    uart_puts("STGP x2, x3, [x0, #16], x0=[tag 1] tbuf+0x140\n");
    stgp_off(TAGGED(TB + 0x140, 1), 0x3333, 0x2222);
    uart_puts("STGP x2, x3, [x0, #-32]!, x0=[tag 2] tbuf+0x190\n");
    wb(stgp_pre(TAGGED(TB + 0x190, 2), 0x5555, 0x4444));
    uart_puts("STGP x2, x3, [x0], #48, x0=[tag f] tbuf+0x190\n");
    wb(stgp_post(TAGGED(TB + 0x190, 15), 0x7777, 0x6666));
    tags(0x140, 6);
    words(0x150, 12);

    title("\n== LDGM / STGM / STZGM / DC GVA / DC GZVA ==");
    r = MRS(GMID_EL1);
    uart_puts("GMID_EL1=");
    uart_hex(r);
    uart_puts(" (BS: LDGM/STGM block ");
    uart_dec(4u << (r & 15));
    r = read_sysreg(dczid_el0);
    uart_puts(" bytes), DCZID_EL0=");
    uart_hex(r);
    uart_puts(" (BS: DC GVA/GZVA, STZGM block ");
    uart_dec(4u << (r & 15));
    uart_puts(" bytes)\n");
    fill(0x200, 64);
    uart_puts("STGM 0xfedcba9876543210, [tbuf+0x200]\n");
    stgm_x(TB + 0x200, 0xfedcba9876543210ull, 0);
    tags(0x200, 16);
    uart_puts("LDGM [tbuf+0x248]: ");
    uart_hex64(ldgm(TB + 0x248));
    uart_puts("\nSTZGM 0xa5, [tbuf+0x348]\n");
    stzgm_x(TB + 0x348, 0xa5, 0);
    uart_puts("DC GVA [tag b] tbuf+0x3c8\n");
    dcgva_x(TAGGED(TB + 0x3c8, 11), 0, 0);
    uart_puts("DC GZVA [tag c] tbuf+0x388\n");
    dcgzva_x(TAGGED(TB + 0x388, 12), 0, 0);
    uart_puts("LDGM [tbuf+0x300]: ");
    uart_hex64(ldgm(TB + 0x300));
    uart_puts("\n");
    words(0x338, 2);
    words(0x378, 2);
    words(0x3b8, 2);
    words(0x3f8, 1);

    title("\n== untagged alias UVA of ubuf (MAIR 0xff) ==");
    ubuf[0] = 0x1234;
    ubuf[1] = 0x5678;
    stg_tag((uint64_t)ubuf, 5);
    uart_puts("STG [tag 5] at ubuf (Tagged mapping); LDG UVA: ");
    uart_hex(ldg_tag(UVA));
    stg_x(TAGGED(UVA, 9), TAGGED(0, 9), 0);
    uart_puts("\nSTG [tag 9] at UVA; LDG ubuf: ");
    uart_hex(ldg_tag((uint64_t)ubuf));
    uart_puts("\nLDGM UVA: ");
    uart_hex64(ldgm(UVA));
    stzg_0(UVA, TAGGED(0, 9), 0);
    uart_puts("\nSTZG [tag 9] at UVA; LDG ubuf: ");
    uart_hex(ldg_tag((uint64_t)ubuf));
    uart_puts(", ubuf[0..1]: ");
    uart_hex(ubuf[0]);
    uart_puts(" ");
    uart_hex(ubuf[1]);
    uart_puts("\n");
}

/* ---- part 2: tag checking ---- */
#define CK 0x400        /* tbuf+0x400: tag 3, tbuf+0x410: tag 4 */

static void check_tests(void)
{
    uint64_t r;

    fill(CK, 16);
    stg_tag(TB + CK, 3);
    stg_tag(TB + CK + 0x10, 4);
    uart_puts("\n== SCTLR_EL2.ATA=0, TCF=1 (Allocation Tag access disabled) ==\n");
    set_sctlr(SCTLR_TCF(TCF_SYNC));
    MSR(RGSR_EL1, 0x123400);
    isb();
    uart_puts("IRG: ");
    va(irg(TAGGED(TB, 5), 0));
    uart_puts(", RGSR_EL1=");
    uart_hex(MRS(RGSR_EL1));
    uart_puts("\nADDG #32, #3 from [tag 2] tbuf: ");
    va(addg_a(TAGGED(TB, 2), 0, 0));
    uart_puts("\nLDG tbuf+0x400: ");
    uart_hex(TAG_OF(ldg_x(TB + CK, 0, 0)));
    stg_x(TB + CK, TAGGED(0, 9), 0);
    uart_puts("\nLDR [tag 5] tbuf+0x400\n");
    EXPECT(t_ld_x);
    r = ld_x(TAGGED(TB + CK, 5), 0, 0);
    none(r, "x0");
    set_sctlr(SCTLR_ATA);
    uart_puts("back to ATA=1, TCF=0: was STG [tag 9] at ATA=0 ignored?\n");
    tags(CK, 2);

    title("\n== TCF=0: LDR [tag 5] tbuf+0x400 ==");
    EXPECT(t_ld_x);
    none(ld_x(TAGGED(TB + CK, 5), 0, 0), "x0");

    title("\n== TCF=1 (synchronous) ==");
    set_sctlr(SCTLR_ATA | SCTLR_TCF(TCF_SYNC));
    title("LDR [tag 5] tbuf+0x400 (allocation tag 3)");
    EXPECT(t_ld_x);
    none(ld_x(TAGGED(TB + CK, 5), 0, 0), "x0");
    title("STR [tag 5] tbuf+0x400");
    EXPECT(t_st_x);
    st_x(TAGGED(TB + CK, 5), 0xdead, 0);
    none(0, 0);
    uart_puts("  memory unchanged: ");
    uart_hex(peek(CK));
    title("\nLDR [tag 3] tbuf+0x408 (match)");
    EXPECT(t_ld_x);
    none(ld_x(TAGGED(TB + CK + 8, 3), 0, 0), "x0");
    title("STR [tag 3] tbuf+0x400 (match)");
    EXPECT(t_st_x);
    st_x(TAGGED(TB + CK, 3), 0xbeef, 0);
    none(0, 0);
    uart_puts("  memory: ");
    uart_hex(peek(CK));
    title("\nLDP [tag 3] tbuf+0x408 (second granule has tag 4)");
    EXPECT(t_ldp_x);
    none(ldp_x(TAGGED(TB + CK + 8, 3), 0, 0), "x0");
    title("LDP [tag 4] tbuf+0x408 (first granule has tag 3)");
    EXPECT(t_ldp_x);
    none(ldp_x(TAGGED(TB + CK + 8, 4), 0, 0), "x0");
    title("LDR [tag 3] tbuf+0x40c (misaligned, crosses into tag 4)");
    EXPECT(t_ld_x);
    none(ld_x(TAGGED(TB + CK + 0xc, 3), 0, 0), "x0");
    title("LDR [tag 4] tbuf+0x40c (misaligned, first granule tag 3)");
    EXPECT(t_ld_x);
    none(ld_x(TAGGED(TB + CK + 0xc, 4), 0, 0), "x0");
    title("LDADD [tag 5] tbuf+0x400 (read and write)");
    EXPECT(t_ldadd_x);
    none(ldadd_x(TAGGED(TB + CK, 5), 1, 0), "x0");
    stg_tag(TB + CK + 0x40, 6);
    stg_tag(TB + CK + 0x50, 6);
    stg_tag(TB + CK + 0x60, 6);
    stg_tag(TB + CK + 0x70, 6);
    title("DC ZVA [tag 6] tbuf+0x440 (all four granules tag 6)");
    EXPECT(t_dczva_x);
    dczva_x(TAGGED(TB + CK + 0x40, 6), 0, 0);
    none(0, 0);
    words(CK + 0x38, 3);
    title("Unchecked: STGP [tag 5] tbuf+0x400, LDG/STG [tag 5] tbuf+0x410");
    EXPECT(t_stgp_x);
    stgp_x(TAGGED(TB + CK, 5), 0x11, 0x22);
    stg_x(TAGGED(TB + CK + 0x10, 5), TAGGED(0, 4), 0);
    ldg_x(TAGGED(TB + CK + 0x10, 5), 0, 0);
    none(0, 0);
    tags(CK, 2);
    stg_tag(TB + CK, 3);
    title("PSTATE.TCO=1: LDR [tag 5] tbuf+0x400 (x0 = 0 if TCO read 0)");
    EXPECT(t_tco_ld);
    none(tco_ld(TAGGED(TB + CK, 5), 0, 0), "x0");

    title("\n== TCR_EL2.TCMA, TBI ==");
    title("TCMA=0: LDR [tag 0] tbuf+0x400");
    EXPECT(t_ld_x);
    none(ld_x(TB + CK, 0, 0), "x0");
    set_tcr(TCR_TBI | TCR_TCMA);
    title("TCMA=1: LDR [tag 0] tbuf+0x400");
    EXPECT(t_ld_x);
    none(ld_x(TB + CK, 0, 0), "x0");
    title("TCMA=1: LDR [tag 5] tbuf+0x400");
    EXPECT(t_ld_x);
    none(ld_x(TAGGED(TB + CK, 5), 0, 0), "x0");
    set_tcr(0);
    title("TBI=0: LDR [tag 0] tbuf+0x400");
    EXPECT(t_ld_x);
    none(ld_x(TB + CK, 0, 0), "x0");
    set_tcr(TCR_TBI);
    title("untagged memory: LDR [tag 5] UVA, STR [tag 5] UVA+8");
    EXPECT(t_ld_x);
    ld_x(TAGGED(UVA, 5), 0, 0);
    st_x(TAGGED(UVA + 8, 5), 0x77, 0);
    none(0, 0);

    title("\n== SP-based accesses, SP_EL0 = [tag 5] tbuf+0x400 ==");
#define T(fn) fn, t_##fn, "t_" #fn
    static const struct test {
        const char *name;
        uint64_t (*fn)(uint64_t, uint64_t, uint64_t);
        const char *label, *label_name;
        unsigned tag;
    } sp[] = {
        { "LDR x0, [sp]", T(sp_base), 0 },
        { "LDR x0, [sp, #8]", T(sp_imm), 0 },
        { "LDUR x0, [sp, #-8]", T(sp_unscaled), 0 },
        { "STR x1, [sp, #8]", T(sp_str), 0 },
        { "LDP x0, x1, [sp, #16]", T(sp_ldp), 0 },
        { "LDR x0, [sp, #8]! (pre-index)", T(sp_pre), 0 },
        { "LDR x0, [sp], #8 (post-index)", T(sp_post), 0 },
        { "LDR x0, [sp, x2] (register offset, x2=8)", T(sp_reg), 0 },
        { "STP x1, x1, [sp, #-16]!", T(sp_stp_pre), 0 },
    };
    for (unsigned i = 0; i < sizeof(sp) / sizeof(sp[0]); i++) {
        title(sp[i].name);
        mte_label_name = sp[i].label_name;
        mte_label = (uint64_t)sp[i].label;
        mte_faults = 0;
        sp[i].fn(TAGGED(TB + CK, 5), 0x99, 8);
        none(0, 0);
    }

    title("\n== TCF=2 (asynchronous): TFSR_EL2 ==");
    set_sctlr(SCTLR_ATA | SCTLR_TCF(TCF_ASYNC));
    static const struct test as[] = {
        { "LDR [tag 5] tbuf+0x400", T(ld_x), 5 },
        { "STR [tag 5] tbuf+0x400 (0x5a)", T(st_x), 5 },
        { "LDR [tag 3] tbuf+0x400 (match)", T(ld_x), 3 },
        { "LDADD [tag 5] tbuf+0x400 (+0x5a)", T(ldadd_x), 5 },
    };
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            title("\n== TCF=3 (asymmetric, FEAT_MTE3): loads sync, stores async ==");
            set_sctlr(SCTLR_ATA | SCTLR_TCF(TCF_ASYMM));
        }
        for (unsigned i = 0; i < sizeof(as) / sizeof(as[0]); i++) {
            title(as[i].name);
            MSR(TFSR_EL2, 0);
            isb();
            mte_label_name = as[i].label_name;
            mte_label = (uint64_t)as[i].label;
            mte_faults = 0;
            as[i].fn(TAGGED(TB + CK, as[i].tag), 0x5a, 0);
            __asm__ volatile("dsb sy\n isb" ::: "memory");
            r = MRS(TFSR_EL2);
            none(0, 0);
            uart_puts("  TFSR_EL2=");
            uart_hex(r);
            uart_puts(", memory: ");
            uart_hex(peek(CK));
            uart_puts("\n");
        }
        MSR(TFSR_EL2, 0);
        isb();
    }
    set_sctlr(SCTLR_ATA);
}

/* ---- part 3: DC tag cache maintenance by VA ---- */
#define DCT 0x600       /* tbuf+0x600: one 64-byte line, tags 1, 2, 3, 4 */

static void dc_tag_tests(void)
{
    /* the clean (and clean and invalidate) forms first, so that the line
     * holds no dirty data or tags when DC IGVAC/IGDVAC invalidate it */
    static const struct {
        const char *name;
        uint64_t (*fn)(uint64_t, uint64_t, uint64_t);
        const char *label, *label_name;
    } dc[] = {
        { "DC CGVAC", T(dc_cgvac) },
        { "DC CGDVAC", T(dc_cgdvac) },
        { "DC CGVAP", T(dc_cgvap) },
        { "DC CGDVAP", T(dc_cgdvap) },
        { "DC CIGVAC", T(dc_cigvac) },
        { "DC CIGDVAC", T(dc_cigdvac) },
        { "DC IGVAC", T(dc_igvac) },
        { "DC IGDVAC", T(dc_igdvac) },
    };
#define NDC     (sizeof(dc) / sizeof(dc[0]))
    const struct {
        const char *title;
        uint64_t addr;
        unsigned n;     /* the first n of dc[] */
        int is_ubuf;
    } where[] = {
        { "tbuf (Tagged, writable): allocation tag 2, pointer tag 9",
          TAGGED(TB + DCT + 0x18, 9), NDC, 0 },
        /* no DC IGVAC/IGDVAC here: they need write permission (D8.15.3
         * R_JYWZL), and QEMU 10 does not fault */
        { "ROVA (read-only Tagged alias of tbuf): clean forms only",
          TAGGED(ROVA + DCT + 0x18, 9), NDC - 2, 0 },
        { "UVA (untagged alias of ubuf)", TAGGED(UVA + 0x18, 9), NDC, 1 },
    };

    title("\n== DC tag cache maintenance by VA (Tag Unchecked), TCF=1 ==");
    fill(DCT, 8);
    for (unsigned i = 0; i < 4; i++)
        stg_tag(TB + DCT + 16 * i, i + 1);
    *(volatile uint64_t *)&ubuf[3] = 0x3333;
    set_sctlr(SCTLR_ATA | SCTLR_TCF(TCF_SYNC));
    for (unsigned w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
        title(where[w].title);
        for (unsigned i = 0; i < where[w].n; i++) {
            uart_puts(dc[i].name);
            uart_puts(" ");
            va(where[w].addr);
            uart_puts("\n");
            mte_label_name = dc[i].label_name;
            mte_label = (uint64_t)dc[i].label;
            mte_faults = 0;
            dc[i].fn(where[w].addr, 0, 0);
            none(0, 0);
        }
        if (where[w].is_ubuf) {
            uart_puts("  ubuf[3]: ");
            uart_hex(*(volatile uint64_t *)&ubuf[3]);
            uart_puts("\n");
        } else {
            tags(DCT, 4);
            words(DCT, 8);
        }
    }
    set_sctlr(SCTLR_ATA);
}

int main(void)
{
    uart_puts("mte: FEAT_MTE2/MTE3 at EL2 (E2H=0), EL2 regime MMU on\n");
    uart_puts("ID_AA64PFR1_EL1.MTE=");
    uart_hex((read_sysreg(id_aa64pfr1_el1) >> 8) & 0xf);
    uart_puts("\n");

    l1[0] = 0x0 | D_ATTR(A_DEVICE) | D_AF | D_AP(1) | D_UXN | D_BLOCK;
    l1[1] = RAM_BASE | D_ATTR(A_TAGGED) | D_SH_IS | D_AF | D_AP(1) | D_BLOCK;
    l1[2] = (uint64_t)l2u | D_TABLE;
    l2u[0] = (uint64_t)l3u | D_TABLE;
    l3u[0] = (uint64_t)ubuf | D_ATTR(A_UNTAGGED) | D_SH_IS | D_AF | D_AP(1) |
             D_UXN | D_PAGE;
    l3u[1] = (uint64_t)tbuf | D_ATTR(A_TAGGED) | D_SH_IS | D_AF | D_AP(3) |
             D_UXN | D_PAGE;
    write_sysreg(mair_el2, MAIR_MTE);
    write_sysreg(ttbr0_el2, (uint64_t)l1);
    set_tcr(TCR_TBI);
    set_sctlr(SCTLR_ATA);
    clear_tags((uint64_t)_start, (uint64_t)__image_end);
    uart_puts("MMU on; MAIR_EL2=0x44ff00f0, TCR_EL2.TBI=1, SCTLR_EL2.ATA=1\n");

    insn_tests();
    tagstore_tests();
    check_tests();
    dc_tag_tests();
    uart_puts("\ndone\n");
    return 0;
}
