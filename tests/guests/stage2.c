/*
 * stage2: stage-2 translation faults (nVHE, HCR_EL2.E2H=0, VM=1).
 *
 * EL2 builds stage-2 tables (VTCR_EL2: 4K granule, T0SZ=24 = 40-bit IPA,
 * SL0=1 = start at level 1 with two concatenated level 1 tables, PS=40 bits;
 * VTTBR_EL2 with VMID 5), then runs EL1 code: first with the EL1 MMU off
 * (VA = IPA), then with its own stage-1 tables, one of which is reached only
 * through an IPA that stage 2 does not map at first.  Every stage-2 fault is
 * taken to EL2, whose handler prints ESR_EL2 in full, ELR_EL2 relative to
 * the label of the access, SPSR_EL2 (masked), FAR_EL2 (unless FnV),
 * HPFAR_EL2 (FIPA, bits 43:4) with the IPA it names, and a decoded line (the
 * fault, its level, read/write, the ISV syndrome: SAS, SSE, SRT, SF, AR;
 * S1PTW), then fixes things up like a hypervisor would:
 *   - an unmapped IPA page that it knows about: map it, retry the access;
 *   - an access flag fault: set AF, retry;
 *   - the MMIO window (IPA 0x1_0000_0000): emulate the access from the
 *     syndrome (ISV=1: a store prints its value, a load gets a value with
 *     SSE/SF applied), skip it; an access with ISV=0 cannot be emulated;
 *   - an instruction abort: return to the caller (x30);
 *   - anything else: skip the instruction.
 * EL1 asks EL2 to change stage-2 entries with HVC (TLBI IPAS2E1IS +
 * VMALLE1IS, or VMALLS12E1IS) and prints what it reads afterwards.
 */
#include "guest.h"
#include "uart.h"

#define HCR_RW      (1ull << 31)
#define HCR_VM      (1ull << 0)

/* ---- stage-2 descriptors (4K granule) ---- */
#define S2_TABLE    3ull
#define S2_PAGE     3ull
#define S2_BLOCK    1ull
#define S2_MEM_NORMAL (0xfull << 2)     /* MemAttr: Normal WB */
#define S2_MEM_DEVICE (0x0ull << 2)     /* MemAttr: Device-nGnRnE */
#define S2AP(x)     ((uint64_t)(x) << 6)
#define S2_NONE     S2AP(0)
#define S2_RO       S2AP(1)
#define S2_RW       S2AP(3)
#define S2_SH_IS    (3ull << 8)
#define S2_AF       (1ull << 10)
#define S2_XN       (2ull << 53)        /* XN[1:0]=10: no execution */
#define S2_NORMAL   (S2_MEM_NORMAL | S2_SH_IS | S2_AF)
#define S2_DEVICE   (S2_MEM_DEVICE | S2_AF | S2_XN)

/* VTCR_EL2: RES1 bit 31, PS=40 bits, TG0=4K, SH0=IS, WB walks, SL0=1
 * (level 1), T0SZ=24 */
#define VTCR_VAL    ((1ull << 31) | (2ull << 16) | (3 << 12) | (1 << 10) | \
                     (1 << 8) | (1 << 6) | 24)
#define VMID        5ull

/* ---- stage-1 descriptors (EL1&0, 4K granule) ---- */
#define D_TABLE     3ull
#define D_PAGE      3ull
#define D_BLOCK     1ull
#define D_ATTR(i)   ((uint64_t)(i) << 2)
#define D_SH_IS     (3ull << 8)
#define D_AF        (1ull << 10)
#define D_PXN       (1ull << 53)
#define D_UXN       (1ull << 54)
#define S1_NORMAL   (D_AF | D_SH_IS | D_ATTR(0))
#define S1_DEVICE   (D_AF | D_ATTR(1) | D_PXN | D_UXN)
#define MAIR_VAL    0x4400ffull
/* TCR_EL1: T0SZ=25 (39-bit VA, start at level 1), 4K, IS WB walks,
 * EPD1=1, IPS=40 bits */
#define TCR_VAL     ((2ull << 32) | (1ull << 23) | (3 << 12) | (1 << 10) | \
                     (1 << 8) | 25)

#define RAM_BASE    0x40000000ull

/* ---- IPA layout ----
 * l1[0]    0x0000_0000 1 GiB block, Device (UART, GIC: identity)
 * l1[1]    0x4000_0000 -> s2_l2r: 2 MiB blocks, identity, RAM 0-8 MiB
 * l1[2]    0x8000_0000 -> s2_l2t: [0] -> s2_l3t (test pages), [1] invalid
 * l1[3]    invalid
 * l1[4]    0x1_0000_0000 invalid: the MMIO window
 */
#define IPA_PG(n)   (0x80000000ull + (n) * 0x1000ull)
#define IPA_L2_INV  0x80200000ull
#define IPA_L1_INV  0xc0000000ull
#define IPA_MMIO    0x100000000ull
#define IPA_HI_BLK  0x8000000000ull          /* s2_l1[512] */
#define IPA_HI_INV  0xffc0000000ull          /* s2_l1[1023] */
#define BAD_OA      (1ull << 40)            /* above PS = 40 bits */

enum {
    P_UNMAPPED = 0, P_RW = 1, P_RO = 2, P_NONE = 3, P_NOAF = 4, P_XN = 5,
    P_BADOA = 6, P_TLB = 7, P_S1TABLE = 8, P_RW2 = 9,
};

typedef uint64_t table_t[512] __attribute__((aligned(4096)));
static uint64_t s2_l1[1024] __attribute__((aligned(8192)));  /* 2 concatenated */
static table_t s2_l2r, s2_l2t, s2_l3t;
static table_t s1_l1, s1_l2, s1_l3;

uint64_t pg_data[512] __attribute__((aligned(4096))) = {
    0x1111111111111111ull, 0x8765432187654321ull, 0x00000000fedc8001ull,
};
uint64_t pg_data2[512] __attribute__((aligned(4096))) = {
    0xbbbbbbbbbbbbbbbbull, 0xccccccccccccccccull,
};

/* A page of code: a function returning 0x1234. */
__asm__(
    ".section .text.pg_code, \"ax\"\n"
    ".balign 4096\n"
    ".global pg_code\n"
    "pg_code: mov x0, #0x1234\n ret\n"
    ".balign 4096\n"
);
extern char pg_code[];

/* ---- EL1 access helpers: uint64_t fn(uint64_t addr, uint64_t val);
 * each clears NZCV, then t_<fn> is the access; the result is in x0 ---- */
#define ACC(fn, insn)                                               \
    ".global " #fn "\n" #fn ": msr nzcv, xzr\n"                     \
    ".global t_" #fn "\nt_" #fn ": " insn "\n ret\n"
__asm__(
    ".text\n.balign 4\n"
    ACC(ldr_x, "ldr x1, [x0]\n mov x0, x1")
    ACC(str_x, "str x1, [x0]")
    ACC(ldr_w, "ldr w4, [x0]\n mov x0, x4")
    ACC(strb_w, "strb w1, [x0]")
    ACC(strh_w, "strh w7, [x0]")
    ACC(ldrsh_w, "ldrsh w2, [x0]\n mov x0, x2")
    ACC(ldrsb_x, "ldrsb x3, [x0]\n mov x0, x3")
    ACC(ldrsw_x, "ldrsw x8, [x0]\n mov x0, x8")
    ACC(ldar_x, "ldar x5, [x0]\n mov x0, x5")
    ACC(stlr_w, "stlr w6, [x0]")
    ACC(str_xzr, "str xzr, [x0]")
    ACC(ldp_x, "ldp x1, x2, [x0]\n mov x0, x1")
    ACC(stp_x, "stp x1, x1, [x0]")
    ACC(ldr_post, "ldr x1, [x0], #8\n mov x0, x1")
    ACC(str_pre, "str x1, [x0, #8]!")
    ACC(at_s1e1r, "at s1e1r, x0\n isb\n mrs x0, par_el1")
);
#define DECL(fn) uint64_t fn(uint64_t, uint64_t); extern char t_##fn[]
DECL(ldr_x); DECL(str_x); DECL(ldr_w); DECL(strb_w); DECL(strh_w);
DECL(ldrsh_w); DECL(ldrsb_x); DECL(ldrsw_x); DECL(ldar_x); DECL(stlr_w);
DECL(str_xzr); DECL(ldp_x); DECL(stp_x); DECL(ldr_post); DECL(str_pre);
DECL(at_s1e1r);

/* call x0 with x0 = 0: returns 0x1234 if it ran, 0 if the fetch faulted */
__asm__(
    ".text\n.balign 4\n"
    ".global call_x0\ncall_x0: stp x29, x30, [sp, #-16]!\n mov x9, x0\n"
    "  mov x0, #0\n msr nzcv, xzr\n blr x9\n ldp x29, x30, [sp], #16\n ret\n"
);
uint64_t call_x0(uint64_t addr, uint64_t unused);

static uint64_t hvc(uint64_t fn, uint64_t arg)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = arg;
    __asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}
#define HVC_DONE    0
#define HVC_REMAP   1   /* x1 = 0: P_TLB -> pg_data2, TLBI IPAS2E1IS + VMALLE1IS;
                           x1 = 1: P_TLB -> pg_data, TLBI VMALLS12E1IS */

/* ---- shared state (EL1 writes, EL2 reads; identity-mapped) ---- */
static const char *volatile cur_name = "?";
static const char *volatile cur_label_name = "?";
static volatile uint64_t cur_label;
static volatile unsigned faults;

/* ---- EL2: reporting and fix-ups ---- */
static void s2_map(unsigned slot, uint64_t desc)
{
    s2_l3t[slot] = desc;
    __asm__ volatile("dsb ishst\n tlbi ipas2e1is, %0\n dsb ish\n"
                     " tlbi vmalle1is\n dsb ish\n isb"
                     :: "r"(IPA_PG(slot) >> 12) : "memory");
}

static void print_rel(uint64_t v)
{
    uint64_t l = cur_label;
    uart_puts(cur_label_name);
    if (v >= l) {
        uart_puts("+");
        uart_hex(v - l);
    } else {
        uart_puts("-");
        uart_hex(l - v);
    }
}

static const char *fault_kind(unsigned fsc)
{
    switch (fsc >> 2) {
    case 0: return "address size fault";
    case 1: return "translation fault";
    case 2: return "access flag fault";
    case 3: return "permission fault";
    default: return "other fault";
    }
}

static void mmio(struct exc_frame *f, uint64_t esr, uint64_t ipa)
{
    unsigned sas = (esr >> 22) & 3, srt = (esr >> 16) & 31;
    unsigned sse = (esr >> 21) & 1, sf = (esr >> 15) & 1;
    uint64_t mask = sas == 3 ? ~0ull : (1ull << (8 << sas)) - 1;

    if (!((esr >> 24) & 1)) {
        uart_puts("       MMIO: ISV=0, cannot emulate; skipped\n");
        return;
    }
    if ((esr >> 6) & 1) {
        uint64_t v = srt == 31 ? 0 : f->x[srt] & mask;
        uart_puts("       MMIO: write IPA ");
        uart_hex(ipa);
        uart_puts(" size ");
        uart_dec(1u << sas);
        uart_puts(" value ");
        uart_hex(v);
        uart_puts("\n");
    } else {
        uint64_t v = 0x8899aabbccddeeffull & mask;
        if (sse && sas != 3 && (v >> ((8 << sas) - 1)) & 1)
            v |= ~mask;
        if (!sf)
            v &= 0xffffffffull;
        uart_puts("       MMIO: read IPA ");
        uart_hex(ipa);
        uart_puts(" size ");
        uart_dec(1u << sas);
        uart_puts(", returns ");
        uart_hex(v);
        uart_puts(" in x");
        uart_dec(srt);
        uart_puts("\n");
        if (srt != 31)
            f->x[srt] = v;
    }
}

static void abort_el2(struct exc_frame *f, uint64_t esr)
{
    unsigned ec = ESR_EC(esr), fsc = esr & 0x3f;
    int fnv = (esr >> 10) & 1, s1ptw = (esr >> 7) & 1;
    uint64_t far = read_sysreg(far_el2);
    uint64_t hpfar = read_sysreg(hpfar_el2) & 0x00000ffffffffff0ull;
    uint64_t ipa = (hpfar << 8) | (far & 0xfff);

    faults++;
    uart_puts("  ");
    uart_puts(cur_name);
    uart_puts("\n    -> EL2 EC=");
    uart_hex(ec);
    uart_puts(" ESR_EL2=");
    uart_hex32((uint32_t)esr);
    uart_puts(" ELR_EL2=");
    print_rel(f->elr);
    uart_puts(" SPSR_EL2=");
    uart_hex32((uint32_t)(f->spsr & 0xf03003dfull));
    uart_puts("\n       ");
    if (!fnv) {
        uart_puts("FAR_EL2=");
        if (far >= cur_label && far < cur_label + 0x100)
            print_rel(far);
        else
            uart_hex(far);
        uart_puts(" ");
    }
    uart_puts("HPFAR_EL2=");
    uart_hex(hpfar);
    uart_puts(" (IPA page ");
    uart_hex(hpfar << 8);
    uart_puts(")\n       (stage 2 ");
    uart_puts(fault_kind(fsc));
    uart_puts(", level ");
    uart_dec(fsc & 3);
    if (ec == 0x20) {
        uart_puts(", instruction fetch");
    } else {
        uart_puts((esr >> 6) & 1 ? ", write" : ", read");
        if (s1ptw)
            uart_puts(", S1PTW");
        if ((esr >> 8) & 1)
            uart_puts(", CM");
        if ((esr >> 24) & 1) {
            uart_puts("; ISV=1 SAS=");
            uart_dec((esr >> 22) & 3);
            uart_puts(" SSE=");
            uart_dec((esr >> 21) & 1);
            uart_puts(" SRT=");
            uart_dec((esr >> 16) & 31);
            uart_puts(" SF=");
            uart_dec((esr >> 15) & 1);
            uart_puts(" AR=");
            uart_dec((esr >> 14) & 1);
        } else {
            uart_puts("; ISV=0");
        }
    }
    uart_puts(")\n");

    /* fix-ups */
    uint64_t page = hpfar << 8;
    if (ec == 0x20) {
        f->elr = f->x[30];
    } else if (page == IPA_PG(P_UNMAPPED) && (fsc >> 2) == 1) {
        uart_puts("       EL2: map IPA page -> pg_data, retry\n");
        s2_map(P_UNMAPPED, (uint64_t)pg_data | S2_NORMAL | S2_RW | S2_XN | S2_PAGE);
    } else if (page == IPA_PG(P_S1TABLE) && (fsc >> 2) == 1) {
        uart_puts("       EL2: map IPA page -> the stage-1 level 3 table, retry\n");
        s2_map(P_S1TABLE, (uint64_t)s1_l3 | S2_NORMAL | S2_RW | S2_XN | S2_PAGE);
    } else if (page == IPA_PG(P_NOAF) && (fsc >> 2) == 2) {
        uart_puts("       EL2: set AF, retry\n");
        s2_map(P_NOAF, s2_l3t[P_NOAF] | S2_AF);
    } else if (page >= IPA_MMIO && page < IPA_MMIO + 0x10000) {
        mmio(f, esr, ipa);
        f->elr += 4;
    } else {
        f->elr += 4;
    }
}

static void hvc_el2(struct exc_frame *f)
{
    uint64_t fn = f->x[0], arg = f->x[1];
    if (fn == HVC_DONE) {
        uart_puts("\nstage-2 faults taken at EL2: ");
        uart_dec(faults);
        uart_puts("\n");
        psci_system_off();
    }
    if (fn == HVC_REMAP) {
        uint64_t pa = arg ? (uint64_t)pg_data : (uint64_t)pg_data2;
        s2_l3t[P_TLB] = pa | S2_NORMAL | S2_RW | S2_XN | S2_PAGE;
        if (arg == 0)
            __asm__ volatile("dsb ishst\n tlbi ipas2e1is, %0\n dsb ish\n"
                             " tlbi vmalle1is\n dsb ish\n isb"
                             :: "r"(IPA_PG(P_TLB) >> 12) : "memory");
        else
            __asm__ volatile("dsb ishst\n tlbi vmalls12e1is\n dsb ish\n isb"
                             ::: "memory");
        f->x[0] = 0;
        return;
    }
    f->x[0] = ~0ull;
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    unsigned ec = ESR_EC(esr);
    if (idx == VEC_LOWER_A64 && ec == 0x16) {
        hvc_el2(f);
        return;
    }
    if (idx == VEC_LOWER_A64 && (ec == 0x24 || ec == 0x20)) {
        abort_el2(f, esr);
        return;
    }
    uart_puts("\n*** unexpected exception at EL2: vector ");
    uart_dec(idx);
    uart_puts(" ESR_EL2=");
    uart_hex64(esr);
    uart_puts(" ELR_EL2=");
    uart_hex64(f->elr);
    uart_puts(" FAR_EL2=");
    uart_hex64(read_sysreg(far_el2));
    uart_puts("\n");
    psci_system_off();
}

/* ---- EL1 test runner ---- */
typedef uint64_t (*acc_fn)(uint64_t, uint64_t);

/* show: print the result in x0 (after a fix-up, or if no fault) */
static void run(const char *name, acc_fn fn, const char *label_name,
                const void *label, uint64_t addr, uint64_t val, int show)
{
    unsigned b = faults;
    cur_name = name;
    cur_label_name = label_name;
    cur_label = (uint64_t)label;
    uint64_t r = fn(addr, val);
    if (faults == b) {
        uart_puts("  ");
        uart_puts(name);
        uart_puts(": no fault");
    } else if (show) {
        uart_puts("    then");
    } else {
        return;
    }
    if (show) {
        uart_puts(", x0=");
        uart_hex(r);
    }
    uart_puts("\n");
}
#define T(name, fn, addr, val, show) \
    run(name, fn, "t_" #fn, t_##fn, (addr), (val), (show))
#define X(name, addr) run(name, call_x0, "target", (void *)(addr), (addr), 0, 1)

static void el1_main(void)
{
    uart_puts("\n== EL1, stage 1 off (VA = IPA) ==\nCurrentEL: EL");
    uart_dec(current_el());
    uart_puts("\n");
    T("read IPA page, mapped RW", ldr_x, IPA_PG(P_RW) + 0x8, 0, 1);
    T("write IPA page, mapped RW", str_x, IPA_PG(P_RW) + 0x10, 0x3333, 0);
    T("read back", ldr_x, IPA_PG(P_RW) + 0x10, 0, 1);

    uart_puts("-- second concatenated level 1 table (IPA bit 39 set) --\n");
    T("LDR X via 1 GiB block at IPA 0x8000000000 (entry 512)", ldr_x,
      IPA_HI_BLK + ((uint64_t)pg_data - RAM_BASE) + 0x8, 0, 1);
    T("LDR X, IPA 0xffc0000000 (entry 1023 invalid)", ldr_x,
      IPA_HI_INV + 0x10, 0, 0);

    uart_puts("-- translation faults --\n");
    T("LDR X, level 3 entry invalid (EL2 maps it)", ldr_x,
      IPA_PG(P_UNMAPPED) + 0x8, 0, 1);
    T("LDR X, level 2 entry invalid", ldr_x, IPA_L2_INV + 0x20, 0, 0);
    T("STR X, level 1 entry invalid", str_x, IPA_L1_INV + 0x28, 0x77, 0);

    uart_puts("-- access flag fault --\n");
    T("LDR W, AF=0 (EL2 sets AF)", ldr_w, IPA_PG(P_NOAF) + 0x4, 0, 1);

    uart_puts("-- permission faults and the ISV syndrome --\n");
    T("STR X to S2AP=01 (read-only)", str_x, IPA_PG(P_RO) + 0x30, 0x44, 0);
    T("LDR X from S2AP=01", ldr_x, IPA_PG(P_RO), 0, 1);
    T("STRB W to S2AP=01", strb_w, IPA_PG(P_RO) + 0x31, 0x45, 0);
    T("STRH W7 to S2AP=01", strh_w, IPA_PG(P_RO) + 0x32, 0, 0);
    T("STLR W6 to S2AP=01", stlr_w, IPA_PG(P_RO) + 0x34, 0, 0);
    T("STR XZR to S2AP=01", str_xzr, IPA_PG(P_RO) + 0x38, 0, 0);
    T("LDR X1 from S2AP=00 (no access)", ldr_x, IPA_PG(P_NONE) + 0x40, 0, 0);
    T("LDR W4 from S2AP=00", ldr_w, IPA_PG(P_NONE) + 0x44, 0, 0);
    T("LDRSH W2 from S2AP=00", ldrsh_w, IPA_PG(P_NONE) + 0x46, 0, 0);
    T("LDRSB X3 from S2AP=00", ldrsb_x, IPA_PG(P_NONE) + 0x47, 0, 0);
    T("LDRSW X8 from S2AP=00", ldrsw_x, IPA_PG(P_NONE) + 0x48, 0, 0);
    T("LDAR X5 from S2AP=00", ldar_x, IPA_PG(P_NONE) + 0x50, 0, 0);
    T("LDP from S2AP=00 (ISV=0)", ldp_x, IPA_PG(P_NONE) + 0x60, 0, 0);
    T("STP to S2AP=01 (ISV=0)", stp_x, IPA_PG(P_RO) + 0x70, 0, 0);
    T("LDR post-index writeback from S2AP=00 (ISV=0)", ldr_post,
      IPA_PG(P_NONE) + 0x78, 0, 0);
    T("STR pre-index writeback to S2AP=01 (ISV=0)", str_pre,
      IPA_PG(P_RO) + 0x80, 0, 0);
    X("execute IPA page with XN", IPA_PG(P_XN));
    X("execute IPA page mapped by EL2 with XN", IPA_PG(P_UNMAPPED));

    uart_puts("-- address size fault (PS = 40 bits) --\n");
    T("LDR X, output address 2^40 + pg_data", ldr_x, IPA_PG(P_BADOA) + 0x88, 0, 0);

    uart_puts("-- MMIO window (unmapped IPA 0x100000000, emulated by EL2) --\n");
    T("STR W to MMIO (STRB)", strb_w, IPA_MMIO + 0x1, 0xa5, 0);
    T("STLR W6 to MMIO", stlr_w, IPA_MMIO + 0x4, 0, 0);
    T("STR X to MMIO", str_x, IPA_MMIO + 0x8, 0x0123456789abcdefull, 0);
    T("LDR W4 from MMIO", ldr_w, IPA_MMIO + 0x10, 0, 1);
    T("LDRSH W2 from MMIO", ldrsh_w, IPA_MMIO + 0x12, 0, 1);
    T("LDRSB X3 from MMIO", ldrsb_x, IPA_MMIO + 0x13, 0, 1);
    T("LDR X from MMIO", ldr_x, IPA_MMIO + 0x18, 0, 1);
    T("STP to MMIO (ISV=0)", stp_x, IPA_MMIO + 0x20, 0x99, 0);

    uart_puts("-- TLB maintenance after changing a stage-2 entry --\n");
    T("read IPA page (pg_data)", ldr_x, IPA_PG(P_TLB), 0, 1);
    hvc(HVC_REMAP, 0);
    T("EL2 remapped it to pg_data2, TLBI IPAS2E1IS + VMALLE1IS", ldr_x,
      IPA_PG(P_TLB), 0, 1);
    hvc(HVC_REMAP, 1);
    T("EL2 remapped it to pg_data, TLBI VMALLS12E1IS", ldr_x,
      IPA_PG(P_TLB), 0, 1);

    uart_puts("\n== EL1, stage 1 on (TTBR0_EL1, 4K, T0SZ=25, IPS=40 bits) ==\n");
    /* VA 0-3 GiB: identity 1 GiB blocks (devices, RAM, test IPA range);
     * VA 0x1_0000_0000: s1_l2 -> level 3 table at IPA_PG(P_S1TABLE),
     * which stage 2 does not map until the first walk faults */
    s1_l1[0] = 0x0 | S1_DEVICE | D_BLOCK;
    s1_l1[1] = RAM_BASE | S1_NORMAL | D_BLOCK;
    s1_l1[2] = 0x80000000ull | S1_NORMAL | D_UXN | D_PXN | D_BLOCK;
    s1_l1[4] = (uint64_t)s1_l2 | D_TABLE;
    s1_l2[0] = IPA_PG(P_S1TABLE) | D_TABLE;
    s1_l2[1] = IPA_L2_INV | D_TABLE;
    s1_l3[0] = IPA_PG(P_RW2) | S1_NORMAL | D_UXN | D_PXN | D_PAGE;
    s1_l3[1] = IPA_L2_INV | S1_NORMAL | D_UXN | D_PXN | D_PAGE;
    s1_l3[2] = IPA_PG(P_RO) | S1_NORMAL | D_UXN | D_PXN | D_PAGE;
    s1_l3[3] = IPA_MMIO | S1_NORMAL | D_UXN | D_PXN | D_PAGE;
    write_sysreg(mair_el1, MAIR_VAL);
    write_sysreg(tcr_el1, TCR_VAL);
    write_sysreg(ttbr0_el1, (uint64_t)s1_l1);
    __asm__ volatile("dsb ish\n tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | 1);
    isb();
    uart_puts("MMU on at EL1\n");
    T("LDR X via VA 0x100000000: stage 1 walk faults at stage 2 (S1PTW)",
      ldr_x, 0x100000000ull + 0x8, 0, 1);
    T("LDR X via VA 0x100000000 again", ldr_x, 0x100000000ull, 0, 1);
    T("LDR X via VA 0x100001000 -> IPA 0x80200000 (stage 2 level 2 invalid)",
      ldr_x, 0x100001000ull + 0x28, 0, 0);
    T("STRH W7 via VA 0x100002000 -> read-only IPA page", strh_w,
      0x100002000ull + 0x2a, 0, 0);
    /* ESR_ELx.WnR: "For faults on cache maintenance and address translation
     * instructions, this bit always returns a value of 1." (D24.2 ESR_EL2) */
    T("AT S1E1R via VA 0x100200000: its stage 1 table at IPA 0x80200000 faults at "
      "stage 2 (S1PTW, CM, WnR)", at_s1e1r, 0x100200000ull + 0x18, 0, 0);
    T("LDRSH W2 via VA 0x100003000 -> MMIO", ldrsh_w, 0x100003000ull + 0x2, 0, 1);
    T("STR X via VA 0x100003000 -> MMIO", str_x, 0x100003000ull + 0x8,
      0xfeedull, 0);
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~1ull);
    isb();
    hvc(HVC_DONE, 0);
    for (;;)
        ;
}

int main(void)
{
    uint64_t d = (uint64_t)pg_data, c = (uint64_t)pg_code;

    uart_puts("stage2 test\n\n== EL2: stage 2, 4K granule, T0SZ=24 (40-bit IPA), "
              "SL0=1 (two concatenated level 1 tables), PS=40 bits, VMID 5 ==\n");
    s2_l1[0] = 0x0 | S2_DEVICE | S2_RW | S2_BLOCK;
    s2_l1[1] = (uint64_t)s2_l2r | S2_TABLE;
    s2_l1[2] = (uint64_t)s2_l2t | S2_TABLE;
    s2_l1[512] = RAM_BASE | S2_NORMAL | S2_RW | S2_XN | S2_BLOCK;
    for (unsigned i = 0; i < 4; i++)
        s2_l2r[i] = (RAM_BASE + i * 0x200000ull) | S2_NORMAL | S2_RW | S2_BLOCK;
    s2_l2t[0] = (uint64_t)s2_l3t | S2_TABLE;
    s2_l3t[P_RW] = d | S2_NORMAL | S2_RW | S2_XN | S2_PAGE;
    s2_l3t[P_RO] = d | S2_NORMAL | S2_RO | S2_XN | S2_PAGE;
    s2_l3t[P_NONE] = d | S2_NORMAL | S2_NONE | S2_XN | S2_PAGE;
    s2_l3t[P_NOAF] = d | (S2_NORMAL & ~S2_AF) | S2_RW | S2_XN | S2_PAGE;
    s2_l3t[P_XN] = c | S2_NORMAL | S2_RO | S2_XN | S2_PAGE;
    s2_l3t[P_BADOA] = (BAD_OA | d) | S2_NORMAL | S2_RW | S2_XN | S2_PAGE;
    s2_l3t[P_TLB] = d | S2_NORMAL | S2_RW | S2_XN | S2_PAGE;
    s2_l3t[P_RW2] = d | S2_NORMAL | S2_RW | S2_XN | S2_PAGE;
    /* IPA 0x1_0000_0000 (the MMIO window, s2_l1[4]) and the level 1
     * entry s2_l1[1023] in the second concatenated table: invalid */

    write_sysreg(vtcr_el2, VTCR_VAL);
    write_sysreg(vttbr_el2, (uint64_t)s2_l1 | (VMID << 48));
    isb();
    __asm__ volatile("dsb ish\n tlbi vmalls12e1is\n dsb ish\n isb" ::: "memory");
    write_sysreg(hcr_el2, HCR_RW | HCR_VM);
    isb();
    write_sysreg(sctlr_el1, 0x30d00800);    /* RES1 bits, MMU off */
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(el1_main, stack_el1_top);
}
