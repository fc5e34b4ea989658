/*
 * vhe: FEAT_VHE (Virtualization Host Extensions) at EL2.
 *
 * With HCR_EL2.E2H=1 the host kernel runs at EL2 unmodified:
 *   - the *_EL1 encodings (SCTLR, TCR, TTBR0/1, MAIR, VBAR, CONTEXTIDR,
 *     ESR, FAR, ELR, SPSR, CPACR, CNTKCTL) used at EL2 name the *_EL2
 *     registers (CPACR_EL1 -> CPTR_EL2, CNTKCTL_EL1 -> CNTHCTL_EL2), and the
 *     EL0 timer encodings name the EL2 timers (CNTV_* -> CNTHV_*);
 *   - the real EL1/EL0 registers are reached through the *_EL12 / *_EL02
 *     aliases, which are UNDEFINED when E2H=0;
 *   - EL2 translates in the EL2&0 regime: TTBR0_EL2 and TTBR1_EL2, TCR_EL2 in
 *     the TCR_EL1 layout, ASIDs, AP[1] as the EL0 permission, PAN;
 *   - with TGE=1 too, EL0 runs in that regime and its exceptions go to EL2,
 *     LDTR/STTR at EL2 act as EL0 accesses, the EL1 TLBI operations work on
 *     the EL2&0 regime;
 *   - CNTVCT_EL0 at EL2 (and at host EL0) ignores CNTVOFF_EL2, and the EL2
 *     virtual timer compares against the physical count.
 *
 * Register checks print "ok" or, on a mismatch, the values written and read.
 * Faults are reported through common/exctest (ESR in full, ELR/FAR relative
 * to the access label or absolute, SPSR masked) plus a decoded line.  Data
 * accesses in fault tests use LDP/STP or LDTR, so ESR.ISV is 0.  No counter
 * or timer value is printed, only comparisons and ISTATUS bits.
 */
#include "exctest.h"

#define HCR_RW      (1ull << 31)
#define HCR_TGE     (1ull << 27)
#define HCR_E2H     (1ull << 34)

/* ---- stage-1 descriptors, 4K granule ---- */
#define D_TABLE     3ull
#define D_PAGE      3ull
#define D_BLOCK     1ull
#define D_ATTR(i)   ((uint64_t)(i) << 2)
#define D_AP(x)     ((uint64_t)(x) << 6)
#define D_SH_IS     (3ull << 8)
#define D_AF        (1ull << 10)
#define D_NG        (1ull << 11)
#define D_PXN       (1ull << 53)
#define D_UXN       (1ull << 54)

#define MAIR_VAL    0x4400ffull
#define NORMAL      (D_AF | D_SH_IS | D_ATTR(0))
#define DEVICE      (D_AF | D_ATTR(1))

#define AP_PRIV_RW  D_AP(0)
#define AP_ALL_RW   D_AP(1)
#define AP_PRIV_RO  D_AP(2)
#define AP_ALL_RO   D_AP(3)

/* TCR_EL2 with E2H=1 (TCR_EL1 layout): T0SZ=T1SZ=16, 4K granules (TG0=0,
 * TG1=2), inner shareable write-back walks, IPS=32 bits, 8-bit ASIDs from
 * TTBR0 (A1=0, AS=0) */
#define TCR_VHE     ((2ull << 30) | (3ull << 28) | (1ull << 26) | (1ull << 24) | \
                     (16ull << 16) | (3 << 12) | (1 << 10) | (1 << 8) | 16)
#define TCR_EPD1    (1ull << 23)
#define ASID(n)     ((uint64_t)(n) << 48)

#define RAM_BASE    0x40000000ull

typedef uint64_t table_t[512] __attribute__((aligned(4096)));
static table_t l0, l1, l2, l3, l0h, l1h, l2h, l3h;

uint64_t pg_data[512] __attribute__((aligned(4096))) = {
    0x1111111111111111ull, 0x2222222222222222ull,
};
uint64_t pg_data2[512] __attribute__((aligned(4096))) = {
    0xbbbbbbbbbbbbbbbbull, 0xccccccccccccccccull,
};

/* A page of code: a function returning 0x1234, callable from any EL. */
__asm__(
    ".section .text.pg_code, \"ax\"\n"
    ".balign 4096\n"
    ".global pg_code\n"
    "pg_code: mov x0, #0x1234\n ret\n"
    ".balign 4096\n"
);
extern char pg_code[];

/* ---- virtual addresses (EL2&0 regime) ---- */
/* TTBR0_EL2: l0[0] -> l1; l1[0] devices, l1[1] RAM (identity), l1[2] -> l2,
 * l2[0] -> l3 (test pages), l2[1] invalid, l1[3] invalid, l0[1] invalid */
#define V_PG(n)     (0x80000000ull + (n) * 0x1000ull)
#define V_L2_INV    0x80200000ull
#define V_L1_INV    0xc0000000ull
#define V_L0_INV    0x8000000000ull
#define V_HOLE      0x1000000000000ull          /* bit 48: outside both */
/* TTBR1_EL2: l0h[511] -> l1h; l1h[511] RAM block, l1h[510] -> l2h,
 * l2h[0] -> l3h (l3h[1] = pg_data, l3h[0] invalid), l1h[0] invalid,
 * l0h[0] invalid */
#define V_HI_BLK    0xffffffffc0000000ull
#define V_HI_PG(n)  (0xffffffff80000000ull + (n) * 0x1000ull)
#define V_HI_L1_INV 0xffffff8000000000ull
#define V_HI_L0_INV 0xffff000000000000ull
#define V_HI_HOLE   0xfffe000000000000ull       /* bits 63:48 not all ones */
#define HI(pa)      (V_HI_BLK + ((uint64_t)(pa) - RAM_BASE))

/* l3 slots */
enum {
    S_INV = 0, S_PRIV = 1, S_EL0RW = 2, S_EL0RO = 3, S_EL0PROG = 4,
    S_NG = 5, S_GLOBAL = 6, S_CODE_EL0W = 7, S_CODE_PXN = 8, S_CODE_UXN = 9,
};

/* ---- access helpers, each with one labelled instruction ---- */
__asm__(
    ".text\n.balign 4\n"
    ".global acc_read\nacc_read: msr nzcv, xzr\n"
    ".global t_read\nt_read: ldp x0, x1, [x0]\n ret\n"
    ".global acc_write\nacc_write: mov x2, #0x40000000\n msr nzcv, x2\n"
    ".global t_write\nt_write: stp x1, x1, [x0]\n ret\n"
    ".global acc_ldtr\nacc_ldtr: mov x2, #0x80000000\n msr nzcv, x2\n"
    ".global t_ldtr\nt_ldtr: ldtr x0, [x0]\n ret\n"
    /* call x0 with x0 = 0; returns 0x1234 if it ran, 0 if the fetch
     * faulted (the handler resumes at x30) */
    ".global acc_exec\nacc_exec: stp x29, x30, [sp, #-16]!\n mov x9, x0\n mov x0, #0\n"
    "  mov x2, #0x20000000\n msr nzcv, x2\n"
    "  blr x9\n ldp x29, x30, [sp], #16\n ret\n"
);
uint64_t acc_read(uint64_t va);
void acc_write(uint64_t va, uint64_t v);
uint64_t acc_ldtr(uint64_t va);
uint64_t acc_exec(uint64_t va);
extern char t_read[], t_write[], t_ldtr[];

/* *_EL12 / *_EL02 accesses that are UNDEFINED with E2H=0 */
__asm__(
    ".text\n.balign 4\n"
    ".global u_sctlr\nu_sctlr: msr nzcv, xzr\n mov x0, #0\n"
    ".global t_u_sctlr\nt_u_sctlr: mrs x0, sctlr_el12\n ret\n"
    ".global u_ttbr0\nu_ttbr0: msr nzcv, xzr\n mov x0, #0\n"
    ".global t_u_ttbr0\nt_u_ttbr0: msr ttbr0_el12, x0\n ret\n"
    ".global u_vbar\nu_vbar: msr nzcv, xzr\n mov x0, #0\n"
    ".global t_u_vbar\nt_u_vbar: mrs x0, vbar_el12\n ret\n"
    ".global u_cntkctl\nu_cntkctl: msr nzcv, xzr\n mov x0, #0\n"
    ".global t_u_cntkctl\nt_u_cntkctl: msr cntkctl_el12, x0\n ret\n"
    ".global u_cntvctl\nu_cntvctl: msr nzcv, xzr\n mov x0, #0\n"
    ".global t_u_cntvctl\nt_u_cntvctl: mrs x0, cntv_ctl_el02\n ret\n"
    ".global u_cntpcval\nu_cntpcval: msr nzcv, xzr\n mov x0, #0\n"
    ".global t_u_cntpcval\nt_u_cntpcval: msr cntp_cval_el02, x0\n ret\n"
);
void u_sctlr(void), u_ttbr0(void), u_vbar(void), u_cntkctl(void),
    u_cntvctl(void), u_cntpcval(void);
extern char t_u_sctlr[], t_u_ttbr0[], t_u_vbar[], t_u_cntkctl[],
    t_u_cntvctl[], t_u_cntpcval[];

static void print_fsc(uint64_t esr)
{
    unsigned ec = ESR_EC(esr), fsc = esr & 0x3f;
    if (ec != 0x20 && ec != 0x21 && ec != 0x24 && ec != 0x25)
        return;
    uart_puts("       (");
    switch (fsc >> 2) {
    case 0: uart_puts("address size fault"); break;
    case 1: uart_puts("translation fault"); break;
    case 2: uart_puts("access flag fault"); break;
    case 3: uart_puts("permission fault"); break;
    default: uart_puts("FSC "); uart_hex(fsc); break;
    }
    uart_puts(", level ");
    uart_dec(fsc & 3);
    if (ec == 0x24 || ec == 0x25)
        uart_puts((esr >> 6) & 1 ? ", write" : ", read");
    else
        uart_puts(", instruction fetch");
    uart_puts(")\n");
}

/* ---- EL0 program (host EL0: E2H=1, TGE=1) ----
 * Run through the alias V_PG(S_EL0PROG) (AP=11, PXN).  Only PC-relative
 * literals; results in x20-x25, printed at the final svc. */
__asm__(
    ".section .text.el0_page, \"ax\"\n"
    ".balign 4096\n"
    ".global el0_page\n"
    "el0_page:\n"
    "  ldr x9, =0x80002000\n"                   /* V_PG(S_EL0RW) */
    "  ldp x20, x21, [x9]\n"
    "  stp x21, x20, [x9, #0x10]\n"
    "  ldr x9, =0x80001000\n"                   /* V_PG(S_PRIV) */
    "e0_priv: ldp x10, x11, [x9]\n"
    "  ldr x9, =0x80003000\n"                   /* V_PG(S_EL0RO) */
    "e0_rowr: stp x10, x11, [x9]\n"
    "  ldr x9, =0x80000000\n"                   /* V_PG(S_INV) */
    "e0_l3: ldp x10, x11, [x9, #0x18]\n"
    "  ldr x9, =0xffffffffc0000000\n"           /* TTBR1 block, privileged */
    "e0_hi: ldp x10, x11, [x9]\n"
    "e0_sctlr: mrs x10, sctlr_el1\n"
    "e0_vct: mrs x22, cntvct_el0\n"             /* traps until EL0VCTEN=1 */
    "  mrs x23, cntpct_el0\n"
    "  ldr x12, =0x80009000\n"                  /* V_PG(S_CODE_UXN) */
    "  mov x0, #0\n"
    "e0_uxn: blr x12\n"
    "  ldr x12, =0x80008000\n"                  /* V_PG(S_CODE_PXN) */
    "  blr x12\n mov x24, x0\n"
    "  ldr x12, =0x80007000\n"                  /* V_PG(S_CODE_EL0W) */
    "  blr x12\n mov x25, x0\n"
    "e0_exit: svc #0x33\n"
    "  b .\n"
    ".ltorg\n"
    ".balign 4096\n"
);
extern char el0_page[], e0_priv[], e0_rowr[], e0_l3[], e0_hi[], e0_sctlr[],
    e0_vct[], e0_uxn[], e0_exit[];

#define EL0VA(sym) (V_PG(S_EL0PROG) + ((uint64_t)(sym) - (uint64_t)el0_page))

struct step { const char *label; const char *test; uint64_t addr; };
static struct step el0_steps[9];
static const unsigned n_el0_steps = 9;

static int small_diff(uint64_t a, uint64_t b)
{
    uint64_t d = a - b;
    return d < (1ull << 32) || -d < (1ull << 32);
}

static void el0_exception(struct exc_frame *f, uint64_t esr)
{
    unsigned ec = ESR_EC(esr);
    uint64_t insn = ec == 0x15 ? f->elr - 4 : f->elr;
    const struct step *s = 0;
    for (unsigned i = 0; i < n_el0_steps; i++)
        if (el0_steps[i].addr == insn)
            s = &el0_steps[i];
    exc_taken_el2++;
    if (!s) {
        uart_puts("  unexpected exception from EL0: ESR_EL2=");
        uart_hex32((uint32_t)esr);
        uart_puts(" ELR_EL2=");
        uart_hex(f->elr);
        uart_puts("\n");
        psci_system_off();
    }
    uart_puts("  ");
    uart_puts(s->test);
    uart_puts("\n    -> EL2 EC=");
    uart_hex(ec);
    uart_puts(" ESR_EL2=");
    uart_hex32((uint32_t)esr);
    uart_puts(" ELR_EL2=");
    uart_puts(s->label);
    uart_puts("+");
    uart_hex(f->elr - s->addr);
    uart_puts(" SPSR_EL2=");
    uart_hex32((uint32_t)(f->spsr & EXC_SPSR_MASK));
    if (ec == 0x20 || ec == 0x24) {
        uart_puts(" FAR_EL2=");
        uart_hex(read_sysreg(far_el2));
    }
    uart_puts("\n");
    print_fsc(esr);

    if (ec == 0x18) {
        /* CNTVCT_EL0 trapped (CNTHCTL_EL2.EL0VCTEN=0): allow EL0 counter
         * reads through CNTKCTL_EL1 (= CNTHCTL_EL2) and retry */
        write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) | 3);
        return;
    }
    if (ec == 0x20) {
        f->elr = f->x[30];
        return;
    }
    if (ec == 0x15) {
        uart_puts("  EL0 results: ldp (EL0 RW page)=");
        uart_hex(f->x[20]);
        uart_puts("/");
        uart_hex(f->x[21]);
        uart_puts(" call PXN page=");
        uart_hex(f->x[24]);
        uart_puts(" call EL0-writable page=");
        uart_hex(f->x[25]);
        uart_puts("\n  EL0 CNTVCT_EL0 within 2^32 of CNTPCT_EL0 (CNTVOFF_EL2 = -2^40 ignored): ");
        uart_puts(small_diff(f->x[22], f->x[23]) ? "yes\n" : "no\n");
        f->elr = (uint64_t)el0_return;
        f->spsr = 0x3c9;        /* EL2h, DAIF masked */
        return;
    }
    f->elr += 4;
}

/* Instruction aborts: resume at the caller of the faulting branch. */
void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    if (idx >= VEC_LOWER_A64 && VEC_KIND(idx) == 0) {
        el0_exception(f, esr);
        return;
    }
    exctest_el2(f, idx);
    print_fsc(esr);
    if (ESR_EC(esr) == 0x21)
        f->elr = f->x[30];
}

/* ---- test runners ---- */
static void t_rd(const char *name, uint64_t va)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, "t_read", t_read);
    acc_read(va);
    if (exc_taken_el2 == b)
        exctest_none(name);
}

static void t_wr(const char *name, uint64_t va)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, "t_write", t_write);
    acc_write(va, 0x5a5a5a5a5a5a5a5aull);
    if (exc_taken_el2 == b)
        exctest_none(name);
}

static void t_lt(const char *name, uint64_t va)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, "t_ldtr", t_ldtr);
    acc_ldtr(va);
    if (exc_taken_el2 == b)
        exctest_none(name);
}

static void t_ex(const char *name, uint64_t va)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, "target", (void *)va);
    acc_exec(va);
    if (exc_taken_el2 == b)
        exctest_none(name);
}

static void ok_value(const char *name, unsigned b, uint64_t v)
{
    if (exc_taken_el2 == b) {
        uart_puts("  ");
        uart_puts(name);
        uart_puts(" = ");
        uart_hex(v);
        uart_puts("\n");
    }
}

static void ok_rd(const char *name, uint64_t va)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, "t_read", t_read);
    ok_value(name, b, acc_read(va));
}

static void ok_lt(const char *name, uint64_t va)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, "t_ldtr", t_ldtr);
    ok_value(name, b, acc_ldtr(va));
}

static void ok_wr(const char *name, uint64_t va, uint64_t v)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, "t_write", t_write);
    acc_write(va, v);
    if (exc_taken_el2 == b) {
        uart_puts("  ");
        uart_puts(name);
        uart_puts(": ok\n");
    }
}

static void ok_ex(const char *name, uint64_t va)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, "target", (void *)va);
    uint64_t v = acc_exec(va);
    if (exc_taken_el2 == b) {
        uart_puts("  ");
        uart_puts(name);
        uart_puts(": ran, x0=");
        uart_hex(v);
        uart_puts("\n");
    }
}

static void u_test(const char *name, void (*fn)(void), const char *label_name,
                   const void *label)
{
    unsigned b = exc_taken_el2;
    exctest_expect(name, label_name, label);
    fn();
    if (exc_taken_el2 == b)
        exctest_none(name);
}
#define U_TEST(name, fn) u_test(name, fn, "t_" #fn, t_##fn)

/* ---- register checks ---- */
static void check(const char *what, uint64_t wrote, uint64_t read)
{
    uart_puts("  ");
    uart_puts(what);
    if (wrote == read) {
        uart_puts(": ok\n");
    } else {
        uart_puts(": MISMATCH, wrote ");
        uart_hex(wrote);
        uart_puts(", read ");
        uart_hex(read);
        uart_puts("\n");
    }
}

static void yesno(const char *what, int v)
{
    uart_puts("  ");
    uart_puts(what);
    uart_puts(v ? ": yes\n" : ": no\n");
}

static void set_hcr(uint64_t v)
{
    write_sysreg(hcr_el2, v);
    isb();
}

/*
 * One register with an EL1 and an EL2 version:
 *  phase 1 (E2H=0): the real EL1 register = a (via its EL1 name);
 *  phase 2 (E2H=1): write b via the EL1 name, read via the EL2 name; write c
 *    via the EL2 name, read via the EL1 name; read the EL12 alias (= a);
 *    write d via the EL12 alias, the EL2 register still reads c;
 *  phase 3 (E2H=0): the EL1 name reads d.
 */
#define REG_PHASE1(el1, a) write_sysreg(el1, a)
#define REG_PHASE2(N1, el1, N2, el2, N12, el12, a, b, c, d) do {          \
        uint64_t b_ = (b), c_ = (c);                                     \
        write_sysreg(el1, b_); isb();                                    \
        check("MSR " N1 ", MRS " N2, b_, read_sysreg(el2));              \
        write_sysreg(el2, c_); isb();                                    \
        check("MSR " N2 ", MRS " N1, c_, read_sysreg(el1));              \
        check("MRS " N12 " (real " N1 ")", (a), read_sysreg(el12));      \
        write_sysreg(el12, d); isb();                                    \
        check("MSR " N12 ", " N2 " unchanged", c_, read_sysreg(el2));    \
    } while (0)
#define REG_PHASE3(N1, el1, d) \
    check("E2H=0: MRS " N1 " = value written via the EL12 alias", (d), \
          read_sysreg(el1))

/* values: a (real EL1, E2H=0), d (real EL1 via EL12); b, c (EL2 register) */
#define SCTLR_A     0x30d04800ull   /* RES1 bits + DZE */
#define SCTLR_D     0x34d08800ull   /* RES1 bits + UCT + UCI */
#define TTBR0_A     (ASID(1) | 0x40101000ull)
#define TTBR0_B     (ASID(2) | 0x40202000ull)
#define TTBR0_C     (ASID(3) | 0x40303000ull)
#define TTBR0_D     (ASID(4) | 0x40404000ull)
#define TTBR1_A     (ASID(5) | 0x40505000ull)
#define TTBR1_B     (ASID(6) | 0x40606000ull)
#define TTBR1_C     (ASID(7) | 0x40707000ull)
#define TTBR1_D     (ASID(8) | 0x40808000ull)
#define MAIR_A      0x000000000044ff04ull
#define MAIR_B      0x00000000bb4400ffull
#define MAIR_C      0xff44000000000000ull
#define MAIR_D      0x0004000044ffbb00ull
#define VBAR_A      0x40100000ull
#define VBAR_B      0x40200800ull
#define VBAR_D      0x40300000ull
#define CTXID_A     0x1234abcdull
#define CTXID_B     0x2345bcdeull
#define CTXID_C     0x3456cdefull
#define CTXID_D     0x4567def0ull
#define ESR_A       0x96000045ull
#define ESR_B       0x5a001234ull
#define ESR_C       0x56000011ull
#define ESR_D       0x92000007ull
#define FAR_A       0x123456789abcdef0ull
#define FAR_B       0xfedcba9876543210ull
#define FAR_C       0x0000ffff00001234ull
#define FAR_D       0xffff000012345678ull
#define ELR_A       0x0000000040081234ull
#define ELR_B       0xffff800010203040ull
#define ELR_C       0x0000000000400000ull
#define ELR_D       0xffffffffc0001000ull
#define SPSR_A      0x600003c5ull
#define SPSR_B      0x800003c9ull
#define SPSR_C      0x200003c4ull
#define SPSR_D      0x000003c0ull
#define CPACR_A     (3ull << 20)    /* FPEN=11 */
#define CPACR_D     (1ull << 20)    /* FPEN=01 */
#define CNTKCTL_A   0x3ull          /* EL0PCTEN, EL0VCTEN */
#define CNTKCTL_D   0x300ull        /* EL0VTEN, EL0PTEN */
#define TCR_A       TCR_VHE
#define TCR_D       (TCR_VHE | TCR_EPD1)

static void el1_regs_phase1(void)
{
    REG_PHASE1(sctlr_el1, SCTLR_A);
    REG_PHASE1(tcr_el1, TCR_A);
    REG_PHASE1(ttbr0_el1, TTBR0_A);
    REG_PHASE1(ttbr1_el1, TTBR1_A);
    REG_PHASE1(mair_el1, MAIR_A);
    REG_PHASE1(vbar_el1, VBAR_A);
    REG_PHASE1(contextidr_el1, CTXID_A);
    REG_PHASE1(esr_el1, ESR_A);
    REG_PHASE1(far_el1, FAR_A);
    REG_PHASE1(elr_el1, ELR_A);
    REG_PHASE1(spsr_el1, SPSR_A);
    REG_PHASE1(cpacr_el1, CPACR_A);
    REG_PHASE1(cntkctl_el1, CNTKCTL_A);
    isb();
}

static void el1_regs_phase2(void)
{
    uint64_t sctlr2 = read_sysreg(sctlr_el2);
    uint64_t cptr = read_sysreg(cptr_el2) & ~(3ull << 20);
    uint64_t cnthctl = read_sysreg(cnthctl_el2) & ~0x303ull;

    REG_PHASE2("SCTLR_EL1", sctlr_el1, "SCTLR_EL2", sctlr_el2,
               "SCTLR_EL12", sctlr_el12, SCTLR_A, sctlr2 | (1 << 14),
               sctlr2, SCTLR_D);
    REG_PHASE2("TCR_EL1", tcr_el1, "TCR_EL2", tcr_el2, "TCR_EL12", tcr_el12,
               TCR_A, TCR_VHE | TCR_EPD1, TCR_VHE, TCR_D);
    REG_PHASE2("TTBR0_EL1", ttbr0_el1, "TTBR0_EL2", ttbr0_el2, "TTBR0_EL12",
               ttbr0_el12, TTBR0_A, TTBR0_B, TTBR0_C, TTBR0_D);
    REG_PHASE2("TTBR1_EL1", ttbr1_el1, "TTBR1_EL2", ttbr1_el2, "TTBR1_EL12",
               ttbr1_el12, TTBR1_A, TTBR1_B, TTBR1_C, TTBR1_D);
    REG_PHASE2("MAIR_EL1", mair_el1, "MAIR_EL2", mair_el2, "MAIR_EL12",
               mair_el12, MAIR_A, MAIR_B, MAIR_C, MAIR_D);
    REG_PHASE2("VBAR_EL1", vbar_el1, "VBAR_EL2", vbar_el2, "VBAR_EL12",
               vbar_el12, VBAR_A, VBAR_B, (uint64_t)vectors_el2, VBAR_D);
    REG_PHASE2("CONTEXTIDR_EL1", contextidr_el1, "CONTEXTIDR_EL2",
               contextidr_el2, "CONTEXTIDR_EL12", contextidr_el12, CTXID_A,
               CTXID_B, CTXID_C, CTXID_D);
    REG_PHASE2("ESR_EL1", esr_el1, "ESR_EL2", esr_el2, "ESR_EL12", esr_el12,
               ESR_A, ESR_B, ESR_C, ESR_D);
    REG_PHASE2("FAR_EL1", far_el1, "FAR_EL2", far_el2, "FAR_EL12", far_el12,
               FAR_A, FAR_B, FAR_C, FAR_D);
    REG_PHASE2("ELR_EL1", elr_el1, "ELR_EL2", elr_el2, "ELR_EL12", elr_el12,
               ELR_A, ELR_B, ELR_C, ELR_D);
    REG_PHASE2("SPSR_EL1", spsr_el1, "SPSR_EL2", spsr_el2, "SPSR_EL12",
               spsr_el12, SPSR_A, SPSR_B, SPSR_C, SPSR_D);
    REG_PHASE2("CPACR_EL1", cpacr_el1, "CPTR_EL2", cptr_el2, "CPACR_EL12",
               cpacr_el12, CPACR_A, cptr | (1ull << 20), cptr | (3ull << 20),
               CPACR_D);
    REG_PHASE2("CNTKCTL_EL1", cntkctl_el1, "CNTHCTL_EL2", cnthctl_el2,
               "CNTKCTL_EL12", cntkctl_el12, CNTKCTL_A, cnthctl | 0x300,
               cnthctl | 0x3, CNTKCTL_D);
}

static void el1_regs_phase3(void)
{
    REG_PHASE3("SCTLR_EL1", sctlr_el1, SCTLR_D);
    REG_PHASE3("TCR_EL1", tcr_el1, TCR_D);
    REG_PHASE3("TTBR0_EL1", ttbr0_el1, TTBR0_D);
    REG_PHASE3("TTBR1_EL1", ttbr1_el1, TTBR1_D);
    REG_PHASE3("MAIR_EL1", mair_el1, MAIR_D);
    REG_PHASE3("VBAR_EL1", vbar_el1, VBAR_D);
    REG_PHASE3("CONTEXTIDR_EL1", contextidr_el1, CTXID_D);
    REG_PHASE3("ESR_EL1", esr_el1, ESR_D);
    REG_PHASE3("FAR_EL1", far_el1, FAR_D);
    REG_PHASE3("ELR_EL1", elr_el1, ELR_D);
    REG_PHASE3("SPSR_EL1", spsr_el1, SPSR_D);
    REG_PHASE3("CPACR_EL1", cpacr_el1, CPACR_D);
    REG_PHASE3("CNTKCTL_EL1", cntkctl_el1, CNTKCTL_D);
}

/* ---- timers ---- */
#define CTL_ENABLE  1ull
#define CTL_IMASK   2ull
#define CTL_ISTATUS 4ull
#define VOFF        0xffffff0000000000ull   /* virtual count = physical + 2^40 */

static uint64_t cntpct(void)
{
    isb();
    return read_sysreg(cntpct_el0);
}

static void print_ctl(const char *what, uint64_t ctl)
{
    uart_puts("  ");
    uart_puts(what);
    uart_puts(": ENABLE=");
    uart_dec(ctl & 1);
    uart_puts(" IMASK=");
    uart_dec((ctl >> 1) & 1);
    if (ctl & CTL_ENABLE) {     /* ISTATUS is UNKNOWN when ENABLE=0 */
        uart_puts(" ISTATUS=");
        uart_dec((ctl >> 2) & 1);
    }
    uart_puts("\n");
}

static void timer_tests_e2h0(void)
{
    uart_puts("-- counters, E2H=0 --\n");
    /* the EL1 timers start disabled (their ENABLE bits reset UNKNOWN) */
    write_sysreg(cntv_ctl_el0, 0);
    write_sysreg(cntp_ctl_el0, 0);
    write_sysreg(cntvoff_el2, VOFF);
    isb();
    uint64_t v = read_sysreg(cntvct_el0);
    uint64_t p = read_sysreg(cntpct_el0);
    yesno("EL2, E2H=0: CNTVCT_EL0 - CNTPCT_EL0 within 2^32 of 2^40 (CNTVOFF_EL2 applies)",
          small_diff(v - p, 1ull << 40));
}

static void timer_tests_e2h1(void)
{
    uint64_t now, cval;

    uart_puts("-- counters and timers, E2H=1 (CNTVOFF_EL2 = -2^40) --\n");
    isb();
    uint64_t v = read_sysreg(cntvct_el0);
    uint64_t p = read_sysreg(cntpct_el0);
    yesno("EL2, E2H=1: CNTVCT_EL0 within 2^32 of CNTPCT_EL0 (CNTVOFF_EL2 ignored)",
          small_diff(v, p));

    /* CNTV_* at EL2 with E2H=1 are the EL2 virtual timer CNTHV_* */
    now = cntpct();
    cval = now + (1ull << 39);
    write_sysreg(cntv_cval_el0, cval);
    isb();
    check("MSR CNTV_CVAL_EL0, MRS CNTHV_CVAL_EL2", cval,
          read_sysreg(cnthv_cval_el2));
    write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
    isb();
    print_ctl("MSR CNTV_CTL_EL0 = ENABLE|IMASK; MRS CNTHV_CTL_EL2",
              read_sysreg(cnthv_ctl_el2));
    print_ctl("MRS CNTV_CTL_EL02 (EL1 virtual timer, untouched)",
              read_sysreg(cntv_ctl_el02));
    print_ctl("CNTHV CVAL = physical count + 2^39: MRS CNTV_CTL_EL0",
              read_sysreg(cntv_ctl_el0));
    /* the EL1 virtual timer with the same CVAL compares the virtual count
     * (physical + 2^40): its condition is met */
    write_sysreg(cntv_cval_el02, cval);
    write_sysreg(cntv_ctl_el02, CTL_ENABLE | CTL_IMASK);
    isb();
    check("MSR CNTV_CVAL_EL02, MRS CNTV_CVAL_EL02", cval,
          read_sysreg(cntv_cval_el02));
    check("CNTHV_CVAL_EL2 unchanged", cval, read_sysreg(cnthv_cval_el2));
    print_ctl("EL1 virtual timer, same CVAL: MRS CNTV_CTL_EL02",
              read_sysreg(cntv_ctl_el02));
    write_sysreg(cntv_ctl_el02, 0);

    /* CNTHV: CVAL a little ahead, then wait until the count passes it */
    now = cntpct();
    write_sysreg(cntv_cval_el0, now + 1000);
    isb();
    while (cntpct() <= now + 1000)
        ;
    print_ctl("CNTHV after the physical count passed CVAL: MRS CNTV_CTL_EL0",
              read_sysreg(cntv_ctl_el0));
    print_ctl("  the same through CNTHV_CTL_EL2", read_sysreg(cnthv_ctl_el2));
    /* TVAL: CVAL = count + SignExtend(TVAL) */
    write_sysreg(cntv_tval_el0, 0x7fffffffull);
    isb();
    print_ctl("MSR CNTV_TVAL_EL0 = 0x7fffffff: MRS CNTV_CTL_EL0",
              read_sysreg(cntv_ctl_el0));
    write_sysreg(cntv_tval_el0, 0xffffff00ull);   /* -256 */
    isb();
    print_ctl("MSR CNTV_TVAL_EL0 = -256: MRS CNTV_CTL_EL0",
              read_sysreg(cntv_ctl_el0));
    yesno("MRS CNTHV_TVAL_EL2 negative",
          (read_sysreg(cnthv_tval_el2) & 0x80000000ull) != 0);
    write_sysreg(cntv_ctl_el0, 0);
    isb();
    print_ctl("MSR CNTV_CTL_EL0 = 0: MRS CNTHV_CTL_EL2",
              read_sysreg(cnthv_ctl_el2));

    /* CNTP_* at EL2 with E2H=1 are CNTHP_*; CNTP_*_EL02 the EL1 timer */
    write_sysreg(cntp_ctl_el0, CTL_IMASK);
    write_sysreg(cntp_ctl_el02, 0);
    isb();
    print_ctl("MSR CNTP_CTL_EL0 = IMASK; MRS CNTHP_CTL_EL2",
              read_sysreg(cnthp_ctl_el2));
    now = cntpct();
    write_sysreg(cntp_cval_el0, now + (1ull << 39));
    write_sysreg(cntp_cval_el02, now + 7);
    isb();
    check("MSR CNTP_CVAL_EL0, MRS CNTHP_CVAL_EL2", now + (1ull << 39),
          read_sysreg(cnthp_cval_el2));
    check("MSR CNTP_CVAL_EL02, MRS CNTP_CVAL_EL02", now + 7,
          read_sysreg(cntp_cval_el02));
    write_sysreg(cnthp_ctl_el2, 0);
    print_ctl("MSR CNTHP_CTL_EL2 = 0; MRS CNTP_CTL_EL0",
              read_sysreg(cntp_ctl_el0));
}

/* ---- page tables ---- */
static void build_tables(void)
{
    uint64_t d = (uint64_t)pg_data, c = (uint64_t)pg_code;
    uint64_t e0 = (uint64_t)el0_page;

    l0[0] = (uint64_t)l1 | D_TABLE;
    l1[0] = 0x0 | DEVICE | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;
    l1[1] = RAM_BASE | NORMAL | AP_PRIV_RW | D_UXN | D_BLOCK;
    l1[2] = (uint64_t)l2 | D_TABLE;
    l2[0] = (uint64_t)l3 | D_TABLE;
    l3[S_PRIV] = d | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    l3[S_EL0RW] = d | NORMAL | AP_ALL_RW | D_UXN | D_PXN | D_PAGE;
    l3[S_EL0RO] = d | NORMAL | AP_ALL_RO | D_UXN | D_PXN | D_PAGE;
    l3[S_EL0PROG] = e0 | NORMAL | AP_ALL_RO | D_PXN | D_PAGE;
    l3[S_NG] = d | NORMAL | D_NG | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    l3[S_GLOBAL] = d | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    l3[S_CODE_EL0W] = c | NORMAL | AP_ALL_RW | D_PAGE;
    l3[S_CODE_PXN] = c | NORMAL | AP_ALL_RO | D_PXN | D_PAGE;
    l3[S_CODE_UXN] = c | NORMAL | AP_ALL_RO | D_UXN | D_PAGE;

    l0h[511] = (uint64_t)l1h | D_TABLE;
    l1h[510] = (uint64_t)l2h | D_TABLE;
    l1h[511] = RAM_BASE | NORMAL | AP_PRIV_RW | D_UXN | D_BLOCK;
    l2h[0] = (uint64_t)l3h | D_TABLE;
    l3h[1] = d | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
}

static void print_par(const char *op, uint64_t va, uint64_t par)
{
    uart_puts("  AT ");
    uart_puts(op);
    uart_puts(" ");
    uart_hex(va);
    uart_puts(" -> PAR_EL1 ");
    if (par & 1) {
        unsigned fst = (par >> 1) & 0x3f;
        uart_puts("F=1 FST=");
        uart_hex(fst);
        uart_puts(" PTW=");
        uart_dec((par >> 8) & 1);
        uart_puts(" S=");
        uart_dec((par >> 9) & 1);
        uart_puts("\n");
    } else {
        uint64_t pa = par & 0x0000fffffffff000ull, d = (uint64_t)pg_data;
        uart_puts("F=0 PA=");
        if (pa == d) {
            uart_puts("pg_data");
        } else {
            uart_hex(pa);
        }
        uart_puts(" SH=");
        uart_dec((par >> 7) & 3);
        uart_puts(" ATTR=");
        uart_hex(par >> 56);
        uart_puts("\n");
    }
}

static uint64_t at_s1e2r(uint64_t va)
{
    __asm__ volatile("at s1e2r, %0\n isb" :: "r"(va) : "memory");
    return read_sysreg(par_el1);
}

static uint64_t at_s1e2w(uint64_t va)
{
    __asm__ volatile("at s1e2w, %0\n isb" :: "r"(va) : "memory");
    return read_sysreg(par_el1);
}

static void remap(unsigned slot, uint64_t pte)
{
    l3[slot] = pte;
    __asm__ volatile("dsb ishst" ::: "memory");
}

static void mmu_tests(void)
{
    uint64_t d = (uint64_t)pg_data, d2 = (uint64_t)pg_data2;

    uart_puts("\n== EL2&0 regime (E2H=1, TGE=0): TTBR0_EL2/TTBR1_EL2, "
              "TCR_EL2 in the TCR_EL1 layout, T0SZ=T1SZ=16 ==\n");
    build_tables();
    /* programmed through the EL1 names, as a VHE host kernel does */
    write_sysreg(mair_el1, MAIR_VAL);
    write_sysreg(tcr_el1, TCR_VHE);
    write_sysreg(ttbr0_el1, (uint64_t)l0 | ASID(1));
    write_sysreg(ttbr1_el1, (uint64_t)l0h);
    isb();
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | 1);
    isb();
    yesno("MMU on through SCTLR_EL1: SCTLR_EL2.M", read_sysreg(sctlr_el2) & 1);

    uart_puts("-- TTBR0_EL2 and TTBR1_EL2 --\n");
    ok_rd("read via TTBR0 page (EL0 no access)", V_PG(S_PRIV));
    ok_wr("write via TTBR0 page", V_PG(S_PRIV) + 0x10, 0x3333333333333333ull);
    ok_rd("read via TTBR0 page AP=01 (EL0 RW)", V_PG(S_EL0RW) + 0x10);
    ok_rd("read via TTBR0 page AP=11 (EL0 RO)", V_PG(S_EL0RO) + 0x8);
    ok_rd("read via TTBR1 1GiB block", HI(d));
    ok_rd("read via TTBR1 page", V_HI_PG(1) + 0x10);
    ok_wr("write via TTBR1 page", V_HI_PG(1) + 0x18, 0x4444444444444444ull);
    ok_rd("read back through the identity map", d + 0x18);
    ok_ex("execute via TTBR1 1GiB block", HI(pg_code));

    uart_puts("-- translation faults --\n");
    t_rd("read, TTBR0 level 0 entry invalid", V_L0_INV + 0x8);
    t_rd("read, TTBR0 level 1 entry invalid", V_L1_INV + 0x10);
    t_rd("read, TTBR0 level 2 entry invalid", V_L2_INV + 0x18);
    t_rd("read, TTBR0 level 3 entry invalid", V_PG(S_INV) + 0x20);
    t_rd("read, TTBR1 level 0 entry invalid", V_HI_L0_INV + 0x28);
    t_rd("read, TTBR1 level 1 entry invalid", V_HI_L1_INV + 0x30);
    t_rd("read, TTBR1 level 3 entry invalid", V_HI_PG(0) + 0x38);
    t_wr("write, TTBR1 level 3 entry invalid", V_HI_PG(0) + 0x40);
    t_rd("read, VA bit 48 set (between the ranges)", V_HOLE + 0x48);
    t_rd("read, VA 0xfffe... (bits 63:48 not all ones)", V_HI_HOLE + 0x50);
    t_ex("execute, TTBR1 level 3 entry invalid", V_HI_PG(0));
    write_sysreg(tcr_el1, TCR_VHE | TCR_EPD1);
    isb();
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
    t_rd("read via TTBR1 with TCR_EL2.EPD1=1", V_HI_PG(1));
    write_sysreg(tcr_el1, TCR_VHE);
    isb();
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");

    uart_puts("-- permissions (AP[1] is the EL0 permission) --\n");
    t_wr("write to page AP=11 (read-only)", V_PG(S_EL0RO) + 0x58);
    t_ex("execute PXN page", V_PG(S_CODE_PXN));
    t_ex("execute page writable at EL0 (AP=01)", V_PG(S_CODE_EL0W));
    ok_ex("execute UXN (PXN=0) page", V_PG(S_CODE_UXN));
    ok_lt("TGE=0: LDTR from page AP=00 (acts as LDR)", V_PG(S_PRIV));

    uart_puts("-- PAN (PSTATE.PAN=1) --\n");
    __asm__ volatile("msr pan, #1\n isb" ::: "memory");
    t_rd("PAN: read page AP=01 (EL0 RW)", V_PG(S_EL0RW) + 0x60);
    t_wr("PAN: write page AP=01 (EL0 RW)", V_PG(S_EL0RW) + 0x68);
    t_rd("PAN: read page AP=11 (EL0 RO)", V_PG(S_EL0RO) + 0x70);
    ok_rd("PAN: read page AP=00", V_PG(S_PRIV));
    t_lt("PAN, TGE=0: LDTR from page AP=01 (acts as LDR)", V_PG(S_EL0RW) + 0x78);
    __asm__ volatile("msr pan, #0\n isb" ::: "memory");
    ok_rd("PAN=0: read page AP=01", V_PG(S_EL0RW) + 0x10);

    uart_puts("-- AT S1E2R/S1E2W in the EL2&0 regime --\n");
    print_par("S1E2R", V_PG(S_PRIV) + 0x123, at_s1e2r(V_PG(S_PRIV) + 0x123));
    print_par("S1E2R", V_HI_PG(1), at_s1e2r(V_HI_PG(1)));
    print_par("S1E2W", V_PG(S_EL0RO), at_s1e2w(V_PG(S_EL0RO)));
    print_par("S1E2R", V_HI_PG(0), at_s1e2r(V_HI_PG(0)));
    print_par("S1E2R", V_HI_L1_INV, at_s1e2r(V_HI_L1_INV));

    uart_puts("\n== host: E2H=1, TGE=1 ==\n");
    set_hcr(HCR_RW | HCR_E2H | HCR_TGE);
    uart_puts("-- LDTR acts as an EL0 access --\n");
    t_lt("TGE=1: LDTR from page AP=00", V_PG(S_PRIV) + 0x80);
    ok_lt("TGE=1: LDTR from page AP=01", V_PG(S_EL0RW));
    ok_lt("TGE=1: LDTR from page AP=11", V_PG(S_EL0RO) + 8);
    __asm__ volatile("msr pan, #1\n isb" ::: "memory");
    ok_lt("PAN, TGE=1: LDTR from page AP=01", V_PG(S_EL0RW));
    t_rd("PAN, TGE=1: read page AP=01", V_PG(S_EL0RW) + 0x88);
    __asm__ volatile("msr pan, #0\n isb" ::: "memory");

    uart_puts("-- TLB maintenance and ASIDs --\n");
    uint64_t va = V_PG(S_GLOBAL), pte = NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    ok_rd("global page (pg_data)", va);
    remap(S_GLOBAL, d2 | pte);
    __asm__ volatile("tlbi vae2is, %0\n dsb ish\n isb"
                     :: "r"((va >> 12) | ASID(9)) : "memory");
    ok_rd("remap to pg_data2, TLBI VAE2IS (ASID 9; global entries match any ASID)", va);
    remap(S_GLOBAL, d | pte);
    __asm__ volatile("tlbi vale2, %0\n dsb nsh\n isb"
                     :: "r"((va >> 12) | ASID(1)) : "memory");
    ok_rd("remap to pg_data, TLBI VALE2", va);
    remap(S_GLOBAL, d2 | pte);
    __asm__ volatile("tlbi vae1, %0\n dsb nsh\n isb"
                     :: "r"((va >> 12) | ASID(1)) : "memory");
    ok_rd("remap to pg_data2, TLBI VAE1 (EL2&0 with TGE=1)", va);
    remap(S_GLOBAL, d | pte);
    __asm__ volatile("tlbi vaae1is, %0\n dsb ish\n isb"
                     :: "r"(va >> 12) : "memory");
    ok_rd("remap to pg_data, TLBI VAAE1IS", va);
    remap(S_GLOBAL, d2 | pte);
    __asm__ volatile("tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    ok_rd("remap to pg_data2, TLBI VMALLE1", va);
    remap(S_GLOBAL, 0);
    __asm__ volatile("tlbi alle2is\n dsb ish\n isb" ::: "memory");
    t_rd("unmap, TLBI ALLE2IS", va + 0x90);

    va = V_PG(S_NG);
    pte = NORMAL | D_NG | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    ok_rd("ASID 1: nG page (pg_data)", va);
    remap(S_NG, d2 | pte);
    write_sysreg(ttbr0_el1, (uint64_t)l0 | ASID(2));
    isb();
    ok_rd("remap to pg_data2; ASID 2 (never used): nG page", va);
    __asm__ volatile("tlbi vae2, %0\n dsb nsh\n isb"
                     :: "r"((va >> 12) | ASID(1)) : "memory");
    write_sysreg(ttbr0_el1, (uint64_t)l0 | ASID(1));
    isb();
    ok_rd("TLBI VAE2 for ASID 1; ASID 1: nG page", va);
    remap(S_NG, d | pte);
    __asm__ volatile("tlbi aside1, %0\n dsb nsh\n isb"
                     :: "r"(ASID(1)) : "memory");
    ok_rd("remap to pg_data, TLBI ASIDE1 for ASID 1 (TGE=1): nG page", va);
    __asm__ volatile("tlbi aside1, %0\n dsb nsh\n isb"
                     :: "r"(ASID(2)) : "memory");
    write_sysreg(ttbr0_el1, (uint64_t)l0 | ASID(2));
    isb();
    ok_rd("TLBI ASIDE1 for ASID 2; ASID 2: nG page", va);
    write_sysreg(ttbr0_el1, (uint64_t)l0 | ASID(1));
    isb();

    uart_puts("\n== host EL0 (E2H=1, TGE=1): exceptions go to EL2 ==\n");
    /* CNTHCTL_EL2 (through CNTKCTL_EL1): EL0PCTEN=1, EL0VCTEN=0 */
    write_sysreg(cntkctl_el1, (read_sysreg(cntkctl_el1) & ~0x303ull) | 1);
    isb();
    el0_steps[0] = (struct step){ "e0_priv", "EL0 ldp from page AP=00", EL0VA(e0_priv) };
    el0_steps[1] = (struct step){ "e0_rowr", "EL0 stp to page AP=11", EL0VA(e0_rowr) };
    el0_steps[2] = (struct step){ "e0_l3", "EL0 ldp, level 3 entry invalid", EL0VA(e0_l3) };
    el0_steps[3] = (struct step){ "e0_hi", "EL0 ldp from TTBR1 block AP=00", EL0VA(e0_hi) };
    el0_steps[4] = (struct step){ "e0_sctlr", "EL0 mrs sctlr_el1 (UNDEFINED)", EL0VA(e0_sctlr) };
    el0_steps[5] = (struct step){ "e0_vct", "EL0 mrs cntvct_el0 with CNTHCTL_EL2.EL0VCTEN=0 (retried with 1)", EL0VA(e0_vct) };
    el0_steps[6] = (struct step){ "target", "EL0 execute UXN page", V_PG(S_CODE_UXN) };
    el0_steps[7] = (struct step){ "e0_exit", "EL0 svc #0x33", EL0VA(e0_exit) };
    el0_steps[8] = (struct step){ "?", "?", 1 };
    run_el0((void (*)(void))EL0VA(el0_page), stack_el0_top);
    uart_puts("back at EL");
    uart_dec(current_el());
    uart_puts("\n");

    /* MMU off, back to E2H=0 */
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~1ull);
    isb();
}

int main(void)
{
    uart_puts("vhe test\n\n== E2H=0 ==\n");
    el1_regs_phase1();
    uart_puts("-- *_EL12 / *_EL02 are UNDEFINED with E2H=0 --\n");
    U_TEST("MRS SCTLR_EL12", u_sctlr);
    U_TEST("MSR TTBR0_EL12", u_ttbr0);
    U_TEST("MRS VBAR_EL12", u_vbar);
    U_TEST("MSR CNTKCTL_EL12", u_cntkctl);
    U_TEST("MRS CNTV_CTL_EL02", u_cntvctl);
    U_TEST("MSR CNTP_CVAL_EL02", u_cntpcval);
    timer_tests_e2h0();

    uart_puts("\n== E2H=1, TGE=0 ==\n");
    set_hcr(HCR_RW | HCR_E2H);
    yesno("HCR_EL2.E2H reads 1", (read_sysreg(hcr_el2) >> 34) & 1);
    uart_puts("-- *_EL1 names reach *_EL2; *_EL12 reach the EL1 registers --\n");
    el1_regs_phase2();
    timer_tests_e2h1();
    mmu_tests();

    uart_puts("\n== E2H=0 again ==\n");
    set_hcr(HCR_RW);
    el1_regs_phase3();
    write_sysreg(cntvoff_el2, 0);
    uart_puts("\nexceptions taken at EL2: ");
    uart_dec(exc_taken_el2);
    uart_puts("\n");
    return 0;
}
