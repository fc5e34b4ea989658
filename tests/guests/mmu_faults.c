/*
 * mmu_faults: stage-1 translation with the 4K granule and 48-bit VAs, in the
 * EL2 regime (TTBR0_EL2) and the EL1&0 regime (TTBR0_EL1/TTBR1_EL1).
 *
 * The guest builds its own page tables (identity maps for the devices and
 * RAM, plus test regions that alias a few pages of the image), enables the
 * MMU and provokes translation faults at levels 0-3, access flag faults
 * (AF=0; TCR.HA is left 0), permission faults (read-only, EL0 access to
 * privileged pages, XN/PXN/UXN, EL1 execution of a page writable at EL0,
 * hierarchical APTable), address size faults (output address / next-level
 * table address above TCR.IPS = 32 bits), level 1 and 2 block mappings,
 * TTBR1 addresses, TBI, EPD1, TLB maintenance and ASIDs, and AT S1E*
 * results in PAR_EL1.
 *
 * Faults are reported through common/exctest (ESR in full, ELR and FAR
 * relative to the label of the access or absolute, SPSR masked), followed by
 * a decoded line "(<fault>, level <n>[, write])".  PAR_EL1 is printed only
 * through its architecturally defined fields: for F=0 PA[47:12], SH and ATTR
 * (bit 11 is RES1 or NSE, bit 10 IMPLEMENTATION DEFINED, bit 9 NS UNKNOWN
 * for a Non-secure regime); for F=1 FST, PTW and S (bits 63:12 and 10 are
 * IMPLEMENTATION DEFINED or RES0/RES1).
 *
 * Data accesses use LDP/STP so that ESR.ISV is architecturally 0.
 */
#include "exctest.h"

/* ---- descriptors (VMSAv8-64 stage 1, 4K granule) ---- */
#define D_TABLE     3ull
#define D_PAGE      3ull
#define D_BLOCK     1ull
#define D_ATTR(i)   ((uint64_t)(i) << 2)
#define D_AP(x)     ((uint64_t)(x) << 6)    /* AP[2:1] */
#define D_SH_IS     (3ull << 8)
#define D_AF        (1ull << 10)
#define D_NG        (1ull << 11)
#define D_PXN       (1ull << 53)
#define D_UXN       (1ull << 54)            /* XN in the EL2 regime */
#define D_PXNTABLE  (1ull << 59)
#define D_UXNTABLE  (1ull << 60)
#define D_APTABLE(x) ((uint64_t)(x) << 61)

/* MAIR: Attr0 Normal WB RW-allocate, Attr1 Device-nGnRnE, Attr2 Normal NC */
#define MAIR_VAL    0x4400ffull
#define NORMAL      (D_AF | D_SH_IS | D_ATTR(0))
#define DEVICE      (D_AF | D_ATTR(1))
#define NORMAL_NC   (D_AF | D_SH_IS | D_ATTR(2))

#define AP_PRIV_RW  D_AP(0)     /* EL1 RW, EL0 none */
#define AP_ALL_RW   D_AP(1)     /* EL1 RW, EL0 RW (EL2 regime: RW) */
#define AP_PRIV_RO  D_AP(2)     /* EL1 RO, EL0 none */
#define AP_ALL_RO   D_AP(3)     /* EL1 RO, EL0 RO (EL2 regime: RO) */

#define BAD_OA      0x140000000ull  /* above the 32-bit IPS/PS */

typedef uint64_t table_t[512] __attribute__((aligned(4096)));

static table_t el2_l0, el2_l1, el2_l2, el2_l3;
static table_t l0, l1a, l1t, l2t, l3t, l2h, l2e, l0h, l1h;

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

/* ---- virtual addresses ---- */
/* EL2 regime */
#define E2_L3(n)    (0x80200000ull + (n) * 0x1000ull)
#define E2_BLK2M    0x80400000ull
#define E2_L2_INV   0x80000000ull
#define E2_L1_INV   0xc0000000ull
#define E2_L0_INV   0x8000000000ull
/* EL1&0 regime, TTBR0 */
#define V_L1_INV    0x8000000000ull             /* l1t[0] invalid */
#define V_L2_INV    0x8040000000ull             /* l2t[0] invalid */
#define V_L3(n)     (0x8040200000ull + (n) * 0x1000ull)
#define V_BLK2M(n)  (0x8040000000ull + (n) * 0x200000ull)
#define V_BLK1G(n)  (0x8000000000ull + (n) * 0x40000000ull)
#define V_L0_INV    0x10000000000ull            /* l0[2] invalid */
#define V_L0_BLOCK  0x18000000000ull            /* l0[3]: block at level 0 */
#define V_OUTRANGE  0x1000000000000ull          /* bit 48 set */
/* TTBR1 */
#define V_HI_BLK    0xffffffffc0000000ull       /* l0h[511] -> l1h[511] */
#define V_HI_L1_INV 0xffffff8000000000ull       /* l1h[0] invalid */
#define V_HI_L0_INV 0xffff000000000000ull       /* l0h[0] invalid */

#define RAM_BASE    0x40000000ull

/* l3t slots */
enum {
    S_INV = 0, S_RW = 1, S_RO = 2, S_NOAF = 3, S_BADOA = 4, S_CODE_EL0W = 5,
    S_CODE_PXN = 6, S_CODE_UXN = 7, S_EL0PROG = 8, S_RESERVED = 9,
    S_EL0RW = 10, S_EL0RO = 11, S_NC = 12, S_TLB = 13, S_ASID = 14,
};

/* ---- access helpers, each with one labelled instruction ---- */
__asm__(
    ".text\n.balign 4\n"
    ".global acc_read\nacc_read: msr nzcv, xzr\n"
    ".global t_read\nt_read: ldp x0, x1, [x0]\n ret\n"
    ".global acc_write\nacc_write: mov x2, #0x40000000\n msr nzcv, x2\n"
    ".global t_write\nt_write: stp x1, x1, [x0]\n ret\n"
    /* call x0 with x0 = 0; returns 0x1234 if it ran, 0 if the fetch
     * faulted (the handler resumes at x30) */
    ".global acc_exec\nacc_exec: stp x29, x30, [sp, #-16]!\n mov x9, x0\n mov x0, #0\n"
    "  mov x2, #0x20000000\n msr nzcv, x2\n"
    "  blr x9\n ldp x29, x30, [sp], #16\n ret\n"
);
uint64_t acc_read(uint64_t va);
void acc_write(uint64_t va, uint64_t v);
uint64_t acc_exec(uint64_t va);
extern char t_read[], t_write[];

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

/* Instruction aborts: resume at the caller of the faulting branch. */
static void after(struct exc_frame *f, uint64_t esr)
{
    unsigned ec = ESR_EC(esr);
    print_fsc(esr);
    if (ec == 0x20 || ec == 0x21)
        f->elr = f->x[30];
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    exctest_el2(f, idx);
    after(f, esr);
}

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el1);
    if (idx >= VEC_LOWER_A64 && ESR_EC(esr) == 0x15) {
        uart_puts("  EL0 results: ldp x20/x21 (EL0 RW page)=");
        uart_hex(f->x[20]);
        uart_puts("/");
        uart_hex(f->x[21]);
        uart_puts(" call PXN-only page=");
        uart_hex(f->x[22]);
        uart_puts(" call EL0-writable page=");
        uart_hex(f->x[23]);
        uart_puts(" tagged ldp=");
        uart_hex(f->x[24]);
        uart_puts("\n");
    }
    exctest_el1(f, idx);
    if (ESR_EC(esr) != 0x15)
        after(f, esr);
}

/* ---- test runners ---- */
static void expect_start(unsigned *before)
{
    *before = exc_taken_el2 + exc_taken_el1;
}

static void expect_none(const char *name, unsigned before)
{
    if (exc_taken_el2 + exc_taken_el1 == before)
        exctest_none(name);
}

static void t_rd(const char *name, uint64_t va)
{
    unsigned b;
    expect_start(&b);
    exctest_expect(name, "t_read", t_read);
    acc_read(va);
    expect_none(name, b);
}

static void t_wr(const char *name, uint64_t va)
{
    unsigned b;
    expect_start(&b);
    exctest_expect(name, "t_write", t_write);
    acc_write(va, 0x5a5a5a5a5a5a5a5aull);
    expect_none(name, b);
}

static void t_ex(const char *name, uint64_t va)
{
    unsigned b;
    expect_start(&b);
    exctest_expect(name, "target", (void *)va);
    acc_exec(va);
    expect_none(name, b);
}

/* a read that must succeed */
static void ok_rd(const char *name, uint64_t va)
{
    unsigned b;
    expect_start(&b);
    exctest_expect(name, "t_read", t_read);
    uint64_t v = acc_read(va);
    if (exc_taken_el2 + exc_taken_el1 == b) {
        uart_puts("  ");
        uart_puts(name);
        uart_puts(" = ");
        uart_hex(v);
        uart_puts("\n");
    }
}

static void ok_wr(const char *name, uint64_t va, uint64_t v)
{
    unsigned b;
    expect_start(&b);
    exctest_expect(name, "t_write", t_write);
    acc_write(va, v);
    if (exc_taken_el2 + exc_taken_el1 == b) {
        uart_puts("  ");
        uart_puts(name);
        uart_puts(": ok\n");
    }
}

static void ok_ex(const char *name, uint64_t va)
{
    unsigned b;
    expect_start(&b);
    exctest_expect(name, "target", (void *)va);
    uint64_t v = acc_exec(va);
    if (exc_taken_el2 + exc_taken_el1 == b) {
        uart_puts("  ");
        uart_puts(name);
        uart_puts(": ran, x0=");
        uart_hex(v);
        uart_puts("\n");
    }
}

static void print_pa(uint64_t pa)
{
    uint64_t d = (uint64_t)pg_data, d2 = (uint64_t)pg_data2,
             c = (uint64_t)pg_code;
    if (pa >= d && pa < d + 4096) {
        uart_puts("pg_data+");
        uart_hex(pa - d);
    } else if (pa >= d2 && pa < d2 + 4096) {
        uart_puts("pg_data2+");
        uart_hex(pa - d2);
    } else if (pa >= c && pa < c + 4096) {
        uart_puts("pg_code+");
        uart_hex(pa - c);
    } else {
        uart_hex(pa);
    }
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
        uart_puts(" (");
        switch (fst >> 2) {
        case 0: uart_puts("address size"); break;
        case 1: uart_puts("translation"); break;
        case 2: uart_puts("access flag"); break;
        case 3: uart_puts("permission"); break;
        default: uart_puts("other"); break;
        }
        uart_puts(" L");
        uart_dec(fst & 3);
        uart_puts(")\n");
    } else {
        uart_puts("F=0 PA=");
        print_pa(par & 0x0000fffffffff000ull);
        uart_puts(" SH=");
        uart_dec((par >> 7) & 3);
        uart_puts(" ATTR=");
        uart_hex(par >> 56);
        uart_puts("\n");
    }
}

#define AT_FN(name, op)                                              \
    static uint64_t name(uint64_t va)                                \
    {                                                                \
        __asm__ volatile("at " op ", %0\n isb" :: "r"(va) : "memory"); \
        return read_sysreg(par_el1);                                 \
    }
AT_FN(at_s1e1r, "s1e1r")
AT_FN(at_s1e1w, "s1e1w")
AT_FN(at_s1e0r, "s1e0r")
AT_FN(at_s1e0w, "s1e0w")
AT_FN(at_s1e2r, "s1e2r")
AT_FN(at_s1e2w, "s1e2w")

#define AT(fn, op, va) print_par(op, (va), fn(va))

static void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }

static void tlbi_el1_all(void)
{
    __asm__ volatile("dsb ishst\n tlbi vmalle1\n dsb ish\n isb" ::: "memory");
}

/* ================= EL2 regime ================= */

static void build_el2_tables(void)
{
    uint64_t d = (uint64_t)pg_data, c = (uint64_t)pg_code;

    el2_l0[0] = (uint64_t)el2_l1 | D_TABLE;
    /* el2_l0[1] invalid */
    el2_l1[0] = 0x0 | DEVICE | AP_ALL_RW | D_UXN | D_BLOCK;
    el2_l1[1] = RAM_BASE | NORMAL | AP_ALL_RW | D_BLOCK;
    el2_l1[2] = (uint64_t)el2_l2 | D_TABLE;
    /* el2_l1[3] invalid */
    /* el2_l2[0] invalid */
    el2_l2[1] = (uint64_t)el2_l3 | D_TABLE;
    el2_l2[2] = RAM_BASE | NORMAL | AP_ALL_RW | D_UXN | D_BLOCK;
    /* el2_l3[0] invalid */
    el2_l3[1] = d | NORMAL | AP_ALL_RW | D_UXN | D_PAGE;
    el2_l3[2] = d | NORMAL | AP_ALL_RO | D_UXN | D_PAGE;
    el2_l3[3] = d | (NORMAL & ~D_AF) | AP_ALL_RW | D_UXN | D_PAGE;
    el2_l3[4] = BAD_OA | NORMAL | AP_ALL_RW | D_UXN | D_PAGE;
    el2_l3[5] = c | NORMAL | AP_ALL_RO | D_UXN | D_PAGE;
    el2_l3[6] = c | NORMAL | AP_ALL_RO | D_PAGE;
}

static void el2_tests(void)
{
    uart_puts("== EL2 regime: TTBR0_EL2, 4K granule, T0SZ=16, PS=32 bits ==\n");
    build_el2_tables();
    write_sysreg(mair_el2, MAIR_VAL);
    /* RES1 bits 31, 23; SH0=IS, ORGN0=IRGN0=WB; TG0=4K; PS=0 (32 bits) */
    write_sysreg(tcr_el2, (1ull << 31) | (1ull << 23) | (3 << 12) | (1 << 10) |
                 (1 << 8) | 16);
    write_sysreg(ttbr0_el2, (uint64_t)el2_l0);
    isb();
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
    write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | 1);
    isb();
    uart_puts("MMU on at EL2\n");

    ok_rd("read via 2MiB block (pg_data alias)",
          E2_BLK2M + ((uint64_t)pg_data - RAM_BASE));
    ok_rd("read via L3 page RW", E2_L3(1));
    ok_wr("write via L3 page RW", E2_L3(1) + 0x10, 0x3333333333333333ull);
    ok_rd("read via L3 page RO", E2_L3(2) + 0x10);
    t_rd("read, level 0 entry invalid", E2_L0_INV + 0x40);
    t_rd("read, level 1 entry invalid", E2_L1_INV + 0x48);
    t_rd("read, level 2 entry invalid", E2_L2_INV + 0x50);
    t_rd("read, level 3 entry invalid", E2_L3(0) + 0x58);
    t_rd("read, VA above 2^48 (T0SZ=16)", 0x1000000000000ull);
    t_wr("write to read-only page (AP=11)", E2_L3(2) + 0x60);
    t_rd("read, AF=0", E2_L3(3) + 0x68);
    t_wr("write, AF=0", E2_L3(3) + 0x70);
    t_rd("read, output address 0x140000000 above PS", E2_L3(4) + 0x78);
    t_ex("execute XN page", E2_L3(5));
    ok_ex("execute page with XN=0", E2_L3(6));

    AT(at_s1e2r, "S1E2R", E2_L3(1) + 0x123);
    AT(at_s1e2w, "S1E2W", E2_L3(2));
    AT(at_s1e2r, "S1E2R", E2_L3(2));
    AT(at_s1e2r, "S1E2R", E2_L3(0));
    AT(at_s1e2r, "S1E2R", E2_L3(3));
    AT(at_s1e2r, "S1E2R", E2_L3(4));
    AT(at_s1e2r, "S1E2R", E2_L2_INV);
    AT(at_s1e2r, "S1E2R", E2_L1_INV);
    AT(at_s1e2r, "S1E2R", E2_L0_INV);
    AT(at_s1e2r, "S1E2R", E2_BLK2M + 0x1f5678);
    AT(at_s1e2r, "S1E2R", 0x09000000ull);
}

/* ================= EL1&0 regime ================= */

static void build_el1_tables(void)
{
    uint64_t d = (uint64_t)pg_data, c = (uint64_t)pg_code;
    extern char el0_page[];
    uint64_t e0 = (uint64_t)el0_page;

    /* TTBR0 */
    l0[0] = (uint64_t)l1a | D_TABLE;
    l0[1] = (uint64_t)l1t | D_TABLE;
    /* l0[2] invalid */
    l0[3] = RAM_BASE | NORMAL | AP_PRIV_RW | D_UXN | D_BLOCK; /* no L0 blocks */

    l1a[0] = 0x0 | DEVICE | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;
    l1a[1] = RAM_BASE | NORMAL | AP_PRIV_RW | D_UXN | D_BLOCK;

    /* l1t[0] invalid */
    l1t[1] = (uint64_t)l2t | D_TABLE;
    l1t[2] = RAM_BASE | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;
    l1t[3] = RAM_BASE | (NORMAL & ~D_AF) | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;
    l1t[4] = 0x100000000ull | D_TABLE;           /* table above IPS */
    l1t[5] = (uint64_t)l2h | D_APTABLE(2) | D_TABLE; /* read-only below */
    l1t[6] = (uint64_t)l2e | D_APTABLE(1) | D_TABLE; /* no EL0 below */

    /* l2t[0] invalid */
    l2t[1] = (uint64_t)l3t | D_TABLE;
    l2t[2] = RAM_BASE | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;
    l2t[3] = RAM_BASE | NORMAL | AP_PRIV_RO | D_UXN | D_PXN | D_BLOCK;
    l2t[4] = RAM_BASE | (NORMAL & ~D_AF) | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;
    l2t[5] = 0x100000000ull | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;

    l2h[0] = RAM_BASE | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;
    l2e[0] = RAM_BASE | NORMAL | AP_ALL_RW | D_UXN | D_PXN | D_BLOCK;

    l3t[S_RW] = d | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    l3t[S_RO] = d | NORMAL | AP_PRIV_RO | D_UXN | D_PXN | D_PAGE;
    l3t[S_NOAF] = d | (NORMAL & ~D_AF) | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    l3t[S_BADOA] = BAD_OA | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    l3t[S_CODE_EL0W] = c | NORMAL | AP_ALL_RW | D_PAGE;
    l3t[S_CODE_PXN] = c | NORMAL | AP_ALL_RO | D_PXN | D_PAGE;
    l3t[S_CODE_UXN] = c | NORMAL | AP_ALL_RO | D_UXN | D_PAGE;
    l3t[S_EL0PROG] = e0 | NORMAL | AP_ALL_RO | D_PXN | D_PAGE;
    l3t[S_RESERVED] = d | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | 1; /* 0b01 */
    l3t[S_EL0RW] = d | NORMAL | AP_ALL_RW | D_UXN | D_PXN | D_PAGE;
    l3t[S_EL0RO] = d | NORMAL | AP_ALL_RO | D_UXN | D_PXN | D_PAGE;
    l3t[S_NC] = d | NORMAL_NC | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    l3t[S_TLB] = d | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    l3t[S_ASID] = d | NORMAL | D_NG | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;

    /* TTBR1 */
    l0h[511] = (uint64_t)l1h | D_TABLE;
    l1h[511] = RAM_BASE | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_BLOCK;
}

#define TCR_EL1_BASE ((2ull << 30) | (3ull << 28) | (1ull << 26) | (1ull << 24) | \
                      (16ull << 16) | (3 << 12) | (1 << 10) | (1 << 8) | 16)
#define TCR_EPD1     (1ull << 23)
#define TCR_TBI0     (1ull << 37)
#define ASID(n)      ((uint64_t)(n) << 48)

/* EL0 program, in a page of its own, run through the alias V_L3(S_EL0PROG).
 * It uses only PC-relative literals.  Results go to x20-x24, which the EL1
 * handler prints at the final svc. */
__asm__(
    ".section .text.el0_page, \"ax\"\n"
    ".balign 4096\n"
    ".global el0_page\n"
    "el0_page:\n"
    "  ldr x9, =0x804020a000\n"                 /* V_L3(S_EL0RW) */
    "e0_rd: ldp x20, x21, [x9]\n"
    "  ldr x9, =0x8040201000\n"                 /* V_L3(S_RW): privileged */
    "e0_priv: ldp x10, x11, [x9]\n"
    "  ldr x9, =0x804020b000\n"                 /* V_L3(S_EL0RO) */
    "e0_rowr: stp x10, x11, [x9]\n"
    "  ldr x9, =0x8040200000\n"                 /* V_L3(S_INV) */
    "e0_l3: ldp x10, x11, [x9, #0x30]\n"
    "  ldr x9, =0x8180000000\n"                 /* l2e[0] under APTable=01 */
    "e0_hier: ldp x10, x11, [x9]\n"
    "  ldr x12, =0x8040207000\n"                /* V_L3(S_CODE_UXN) */
    "  mov x0, #0\n"
    "e0_uxn: blr x12\n"
    "  ldr x12, =0x8040206000\n"                /* V_L3(S_CODE_PXN) */
    "  blr x12\n mov x22, x0\n"
    "  ldr x12, =0x8040205000\n"                /* V_L3(S_CODE_EL0W) */
    "  blr x12\n mov x23, x0\n"
    "  ldr x9, =0xa50000804020a008\n"           /* tagged (TBI0=1) */
    "e0_tag: ldp x24, x10, [x9]\n"
    "e0_exit: svc #0\n"
    "  b .\n"
    ".ltorg\n"
    ".balign 4096\n"
);
extern char el0_page[], e0_rd[], e0_priv[], e0_rowr[], e0_l3[], e0_hier[],
    e0_uxn[], e0_tag[], e0_exit[];

#define EL0VA(sym) ((void *)(V_L3(S_EL0PROG) + ((uint64_t)(sym) - (uint64_t)el0_page)))

static struct exc_step el0_steps[8];

static void el1_main(void)
{
    uint64_t d = (uint64_t)pg_data;
    uint64_t sctlr;

    uart_puts("\n== EL1&0 regime: TTBR0_EL1/TTBR1_EL1, 4K granule, "
              "T0SZ=T1SZ=16, IPS=32 bits ==\nCurrentEL: EL");
    uart_dec(current_el());
    uart_puts("\n");
    write_sysreg(mair_el1, MAIR_VAL);
    write_sysreg(tcr_el1, TCR_EL1_BASE);
    write_sysreg(ttbr0_el1, (uint64_t)l0 | ASID(1));
    write_sysreg(ttbr1_el1, (uint64_t)l0h);
    isb();
    tlbi_el1_all();
    sctlr = read_sysreg(sctlr_el1);
    write_sysreg(sctlr_el1, sctlr | 1);
    isb();
    uart_puts("MMU on at EL1\n");

    uart_puts("-- successful accesses --\n");
    ok_rd("read via L3 page", V_L3(S_RW));
    ok_wr("write via L3 page", V_L3(S_RW) + 0x10, 0x4444444444444444ull);
    ok_rd("read back through the identity map", d + 0x10);
    ok_rd("read via read-only page", V_L3(S_RO) + 0x10);
    ok_rd("read via 2MiB block", V_BLK2M(2) + (d - RAM_BASE));
    ok_rd("read via 1GiB block", V_BLK1G(2) + (d - RAM_BASE) + 8);
    ok_rd("read via TTBR1 1GiB block", V_HI_BLK + (d - RAM_BASE));
    ok_rd("read via Normal-NC page", V_L3(S_NC) + 8);
    ok_rd("read via read-only hierarchy (APTable=10)",
          V_BLK1G(5) + (d - RAM_BASE));
    ok_rd("EL1 read under APTable=01 (EL0 no access)",
          V_BLK1G(6) + (d - RAM_BASE));

    uart_puts("-- translation faults --\n");
    t_rd("read, level 0 entry invalid", V_L0_INV + 0x8);
    t_rd("read, level 0 block descriptor (invalid with 4K, DS=0)",
         V_L0_BLOCK + 0x10);
    t_rd("read, level 1 entry invalid", V_L1_INV + 0x18);
    t_rd("read, level 2 entry invalid", V_L2_INV + 0x20);
    t_rd("read, level 3 entry invalid", V_L3(S_INV) + 0x28);
    t_wr("write, level 3 entry invalid", V_L3(S_INV) + 0x30);
    t_rd("read, level 3 descriptor 0b01 (reserved)", V_L3(S_RESERVED) + 0x38);
    t_rd("read, VA bit 48 set (outside both ranges)", V_OUTRANGE + 0x40);
    t_rd("read, TTBR1 level 0 entry invalid", V_HI_L0_INV + 0x48);
    t_rd("read, TTBR1 level 1 entry invalid", V_HI_L1_INV + 0x50);
    t_ex("execute, level 3 entry invalid", V_L3(S_INV));

    uart_puts("-- access flag faults --\n");
    t_rd("read, page AF=0", V_L3(S_NOAF) + 0x58);
    t_wr("write, page AF=0", V_L3(S_NOAF) + 0x60);
    t_rd("read, 2MiB block AF=0", V_BLK2M(4) + 0x68);
    t_rd("read, 1GiB block AF=0", V_BLK1G(3) + 0x70);

    uart_puts("-- permission faults --\n");
    t_wr("write to read-only page (AP=10)", V_L3(S_RO) + 0x78);
    t_wr("write to read-only 2MiB block", V_BLK2M(3) + 0x80);
    t_wr("write under APTable=10 (read-only hierarchy)", V_BLK1G(5) + 0x88);
    t_ex("execute PXN page at EL1", V_L3(S_CODE_PXN));
    t_ex("execute page writable at EL0 (AP=01) at EL1", V_L3(S_CODE_EL0W));
    ok_ex("execute UXN (PXN=0) page at EL1", V_L3(S_CODE_UXN));
    t_ex("execute data page (UXN, PXN) at EL1", V_L3(S_RW));

    uart_puts("-- address size faults (IPS=32 bits) --\n");
    t_rd("read, page output address 0x140000000", V_L3(S_BADOA) + 0x90);
    t_rd("read, 2MiB block output address 0x100000000", V_BLK2M(5) + 0x98);
    t_rd("read, level 1 table address 0x100000000", V_BLK1G(4) + 0xa0);

    uart_puts("-- AT --\n");
    AT(at_s1e1r, "S1E1R", V_L3(S_RW) + 0x123);
    AT(at_s1e1w, "S1E1W", V_L3(S_RW));
    AT(at_s1e1r, "S1E1R", V_L3(S_RO));
    AT(at_s1e1w, "S1E1W", V_L3(S_RO));
    AT(at_s1e0r, "S1E0R", V_L3(S_RW));
    AT(at_s1e0r, "S1E0R", V_L3(S_EL0RW));
    AT(at_s1e0w, "S1E0W", V_L3(S_EL0RW));
    AT(at_s1e0w, "S1E0W", V_L3(S_EL0RO));
    AT(at_s1e1r, "S1E1R", V_L3(S_INV));
    AT(at_s1e1r, "S1E1R", V_L3(S_NOAF));
    AT(at_s1e1r, "S1E1R", V_L3(S_BADOA));
    AT(at_s1e1r, "S1E1R", V_L3(S_RESERVED));
    AT(at_s1e1r, "S1E1R", V_L3(S_NC));
    AT(at_s1e1r, "S1E1R", 0x09000000ull);
    AT(at_s1e1r, "S1E1R", V_BLK2M(2) + 0x1f5678);
    AT(at_s1e1r, "S1E1R", V_BLK1G(2) + 0x3fedc123);
    AT(at_s1e1r, "S1E1R", V_HI_BLK + 0x2345678);
    AT(at_s1e1r, "S1E1R", V_L2_INV);
    AT(at_s1e1r, "S1E1R", V_L1_INV);
    AT(at_s1e1r, "S1E1R", V_L0_INV);
    AT(at_s1e1r, "S1E1R", V_L0_BLOCK);
    AT(at_s1e1r, "S1E1R", V_OUTRANGE);
    AT(at_s1e1r, "S1E1R", V_BLK1G(3));
    AT(at_s1e1r, "S1E1R", V_BLK1G(4));
    AT(at_s1e1w, "S1E1W", V_BLK1G(5));
    AT(at_s1e0r, "S1E0R", V_BLK1G(6));
    AT(at_s1e1r, "S1E1R", V_BLK1G(6));

    uart_puts("-- TBI --\n");
    write_sysreg(tcr_el1, TCR_EL1_BASE | TCR_TBI0);
    isb();
    tlbi_el1_all();
    ok_rd("TBI0=1: read 0x5a00008040201000", 0x5a00000000000000ull | V_L3(S_RW));
    t_rd("TBI0=1: read, tagged, level 3 invalid",
         0x5a00000000000000ull | (V_L3(S_INV) + 0xa8));
    AT(at_s1e1r, "S1E1R", 0x5a00000000000000ull | V_L3(S_RW));
    ok_rd("TBI0=1: read 0xff..: TTBR1 untouched, TBI1=0",
          V_HI_BLK + (d - RAM_BASE));
    t_rd("TBI1=0: read 0x5affffffc0000000 (tagged TTBR1 address)",
         0x5affffffc0000000ull + 0xb8);
    write_sysreg(tcr_el1, TCR_EL1_BASE);
    isb();
    tlbi_el1_all();
    t_rd("TBI0=0: read 0x5a00008040201000", 0x5a00000000000000ull | V_L3(S_RW));

    uart_puts("-- EPD1 --\n");
    write_sysreg(tcr_el1, TCR_EL1_BASE | TCR_EPD1);
    isb();
    tlbi_el1_all();
    t_rd("EPD1=1: read via TTBR1", V_HI_BLK + 0xc0);
    write_sysreg(tcr_el1, TCR_EL1_BASE);
    isb();
    tlbi_el1_all();
    ok_rd("EPD1=0: read via TTBR1", V_HI_BLK + (d - RAM_BASE));

    uart_puts("-- TLB maintenance --\n");
    uint64_t va = V_L3(S_TLB), d2 = (uint64_t)pg_data2;
    uint64_t pte1 = d | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    uint64_t pte2 = d2 | NORMAL | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    ok_rd("read (pg_data)", va);
    l3t[S_TLB] = pte2;
    __asm__ volatile("dsb ishst\n tlbi vae1is, %0\n dsb ish\n isb"
                     :: "r"((va >> 12) | ASID(1)) : "memory");
    ok_rd("after remap to pg_data2 + TLBI VAE1IS", va);
    l3t[S_TLB] = pte1;
    __asm__ volatile("dsb ishst\n tlbi vale1, %0\n dsb nsh\n isb"
                     :: "r"((va >> 12) | ASID(1)) : "memory");
    ok_rd("after remap to pg_data + TLBI VALE1", va);
    /* (No TLBI ASIDE1 here: it need not invalidate a global last-level
     * entry, so the result would not be architecturally determined.) */
    l3t[S_TLB] = pte2;
    __asm__ volatile("dsb ishst\n tlbi vaae1is, %0\n dsb ish\n isb"
                     :: "r"(va >> 12) : "memory");
    ok_rd("after remap to pg_data2 + TLBI VAAE1IS", va);
    l3t[S_TLB] = 0;
    __asm__ volatile("dsb ishst\n tlbi vmalle1is\n dsb ish\n isb" ::: "memory");
    t_rd("after unmap + TLBI VMALLE1IS", va + 0xb0);

    va = V_L3(S_ASID);
    ok_rd("ASID 1: read nG page (pg_data)", va);
    l3t[S_ASID] = d2 | NORMAL | D_NG | AP_PRIV_RW | D_UXN | D_PXN | D_PAGE;
    dsb_sy();
    write_sysreg(ttbr0_el1, (uint64_t)l0 | ASID(2));
    isb();
    ok_rd("ASID 2 (never used before): read nG page", va);
    __asm__ volatile("dsb ishst\n tlbi aside1, %0\n dsb nsh\n isb"
                     :: "r"(ASID(1)) : "memory");
    write_sysreg(ttbr0_el1, (uint64_t)l0 | ASID(1));
    isb();
    ok_rd("ASID 1 after TLBI ASIDE1 for ASID 1: read nG page", va);

    /* EL0: TBI0=1 for the tagged access */
    write_sysreg(tcr_el1, TCR_EL1_BASE | TCR_TBI0);
    isb();
    tlbi_el1_all();
    el0_steps[0] = (struct exc_step){ "e0_priv", "EL0 ldp from privileged page (AP=00)", EL0VA(e0_priv), 0 };
    el0_steps[1] = (struct exc_step){ "e0_rowr", "EL0 stp to read-only page (AP=11)", EL0VA(e0_rowr), 0 };
    el0_steps[2] = (struct exc_step){ "e0_l3", "EL0 ldp, level 3 entry invalid", EL0VA(e0_l3), 0 };
    el0_steps[3] = (struct exc_step){ "e0_hier", "EL0 ldp under APTable=01", EL0VA(e0_hier), 0 };
    el0_steps[4] = (struct exc_step){ "target", "EL0 execute UXN page", (void *)V_L3(S_CODE_UXN), 0 };
    el0_steps[5] = (struct exc_step){ "e0_exit", "svc #0 (exit)", EL0VA(e0_exit), 1 };
    exctest_el0_and_off((void (*)(void))EL0VA(el0_page), stack_el0_top,
                        el0_steps, 6);
}

int main(void)
{
    uart_puts("mmu_faults test\n\n");
    build_el1_tables();
    el2_tests();
    /* SCTLR_EL1: RES1 bits (incl. SPAN=1, so PAN is left alone), MMU off */
    exctest_enter_el1(0x30d00800, el1_main);
}
