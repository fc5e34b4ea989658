/*
 * injwalk: synchronous External aborts on translation table walks, injected
 * with hypsim's `--inject sea,pa=<descriptor PA>,access=walk` (one spec per
 * descriptor, count=1).  Not run by the golden test (QEMU cannot inject);
 * tests/inject.rs runs it with the specs of one case at a time and checks
 * every line it prints against values derived by hand from the Arm ARM (DDI
 * 0487 M.a.a).  Without any spec every probe succeeds ("ok").
 *
 * Each probe is one access through a global label (p_ldr, p_str, p_ldp,
 * p_stp; p_call -> the target page) that the handler names in ELR.  Every probe of a section
 * uses VAs and IPAs that nothing else translates, and its own descriptors,
 * so the first walk that reads an injected descriptor is the probe's; the
 * probes of one VA go deeper one level at a time (an aborted walk caches
 * nothing beyond what it read), and the last one succeeds.
 *
 * A. EL2, stage 1 only (TTBR0_EL2, 4K granule, T0SZ=16: the walk starts at
 *    level 0).  VA 0x80_0000_0000: e2_l0[1] -> e2_l1b[0] -> e2_l2b[0] ->
 *    e2_l3b[0] -> pg_a; +0x1000 -> pg_b (store), +0x2000 -> pg_code (fetch).
 * B. EL1 under stage 2 (HCR_EL2.VM=1), the stage 1 descriptor itself aborts:
 *    TTBR0_EL1 (T0SZ=25: starts at level 1), VA 0xc000_0000: s1_l1[3] ->
 *    s1_l2v[0] -> s1_l3v[0] -> pg_a.  The tables' IPAs are their PAs.
 * C. EL1, the stage 2 walk that translates the IPA of a stage 1 table aborts
 *    (S1PTW): TTBR1_EL1 (T1SZ=25) = IPA_T = 0x80_0000_0000; the stage 1
 *    tables s1t_l1/s1t_l2/s1t_l3/s1t_l3b sit at IPA_T + 0/0x1000/0x2000/
 *    0x3000, which stage 2 maps through s2_l0[1] -> s2_l1t[0] -> s2_l2t[0]
 *    -> s2_l3t[0..3].  VA 0xffff_ff80_0000_0000 -> pg_a; VA
 *    0xffff_ff80_0020_0000 (s1t_l2[1] -> s1t_l3b) -> pg_e (store).
 * D. EL1, the stage 2 walk of the final IPA aborts: VA 0x8000_0000 (s1_l1[2]
 *    -> s1_l2z -> s1_l3z, identity IPAs) -> IPA_D = 0x100_0000_0000, mapped
 *    by s2_l0[2] -> s2_l1d[0] -> s2_l2d[0] -> s2_l3d[0] -> pg_c; IPA_D +
 *    0x1000 (s2_l3d[1]) -> pg_d (STP).  LDP/STP first (ISV is 0 for a pair
 *    whatever the fault), then single-register LDR/STR, which a stage 2
 *    Translation fault would report with ISV = 1 but an External abort with
 *    FEAT_RAS must not: IPA_D + 0x2000 (s2_l3d[2]) -> pg_c, IPA_D + 0x3000
 *    (s2_l3d[3]) -> pg_f (STR).
 * Stage 2: VTCR_EL2 T0SZ=16, SL0=0b10 (starts at level 0), 4K, PS=48 bits.
 *
 * What the architecture says (section numbers of DDI 0487 M.a.a):
 *  - DFSC for a synchronous External abort on a translation table walk is
 *    0b0101LL, LL = the lookup level (0x14..0x17), and for a stage 2 fault
 *    with S1PTW set the level is that of the stage 2 lookup (D24.2.46
 *    ESR_EL2, DFSC and its note; IFSC likewise for an instruction fetch).
 *  - A synchronous External abort on a walk is a Data Abort for a data
 *    access, an Instruction Abort for a fetch (D8.15.1.3, R_YLGBV).
 *  - Routing (J1.3.2.7 SyncExternalAbortTarget, no EL3, HCR_EL2.TEA=0): from
 *    EL2 to EL2; from EL1 to EL2 if IsSecondStage(fault) -- the stage 2 walk
 *    aborted, with or without S1PTW (D8.15.4.1, I_ZGDHT) -- else to EL1.  A
 *    stage 1 descriptor read that aborts is a stage 1 fault even under stage
 *    2 (J1.1.4.75 AArch64.S1Walk: FetchDescriptor after S2Translate).
 *  - EC: 0x25 Data Abort without a change of EL, 0x24 from a lower EL, 0x21
 *    Instruction Abort at the same EL; IL = 1 (D24.2.46).  Vector offsets
 *    0x200 (current EL, SP_ELx) and 0x400 (lower EL, AArch64).
 *  - ISS: ISV = 0 ("When FEAT_RAS is implemented, ISV is 0 for any
 *    synchronous External abort"; also 0 for any stage 2 abort on a stage 1
 *    walk); SET [12:11] 0 (J1.1.3.1 AArch64.FaultSyndrome sets it only for
 *    an abort not on a walk); FnV [10] RES0 (only for DFSC 0b010000);
 *    EA [9] IMPLEMENTATION DEFINED, hypsim 0;
 *    CM [8] 0; S1PTW [7] 1 only for a stage 2 fault on a stage 1 walk;
 *    WnR [6] = the instruction writes (fault.write of the access's
 *    descriptor, J1.1.3.1 AArch64.FaultSyndrome).  ID_AA64PFR0_EL1.RAS = 2:
 *    FEAT_RAS, no RASv2 (no WU), no FEAT_PFAR (no PFV); ESR[63:32] = 0.
 *  - FAR_ELx = the VA accessed (D1.4, R_ZTSSH: FnV covers only External
 *    aborts not on a walk).
 *  - HPFAR_EL2 is UNKNOWN for a synchronous External abort on a stage 2
 *    walk: it is written only for Translation, Access flag, Address size
 *    (and, for S1PTW, Permission) faults and GPFs (D1.4 R_FKLWR, D24.2.76,
 *    J1.3.3.2 IPAValid).  hypsim writes it for every stage 2 fault (the
 *    faulting IPA's page, FIPA [43:4] = IPA[51:12]); the guest prints it and
 *    tests/inject.rs checks hypsim's choice, marked as such.
 * Two probes show where hypsim departs from these rules; tests/inject.rs
 * keeps their architectural expectations in #[ignore]d tests: the S1PTW
 * store (C, VA 0xffff_ff80_0020_0000: WnR must be 1, hypsim reports 0) and
 * the single-register LDR/STR of D (ISV must be 0, hypsim reports the
 * instruction syndrome).
 */
#include "guest.h"
#include "uart.h"

#define HCR_RW      (1ull << 31)
#define HCR_VM      (1ull << 0)

/* Stage 1 descriptors (4K granule) */
#define D_TABLE     3ull
#define D_PAGE      3ull
#define D_BLOCK     1ull
#define D_ATTR(i)   ((uint64_t)(i) << 2)
#define D_AP_RW1    (1ull << 6)         /* AP[2:1] = 01: EL2 RW (AP[1] RES1) */
#define D_SH_IS     (3ull << 8)
#define D_AF        (1ull << 10)
#define D_PXN       (1ull << 53)
#define D_UXN       (1ull << 54)        /* XN in the EL2 regime */
#define NORMAL      (D_AF | D_SH_IS | D_ATTR(0))
#define DEVICE      (D_AF | D_ATTR(1) | D_PXN | D_UXN)
#define MAIR_VAL    0x00ffull           /* Attr0 Normal WB, Attr1 Device-nGnRnE */

/* Stage 2 descriptors */
#define S2_NORMAL   ((0xfull << 2) | (3ull << 6) | (3ull << 8) | (1ull << 10))
#define S2_DEVICE   ((0x0ull << 2) | (3ull << 6) | (1ull << 10) | (2ull << 53))

/* TCR_EL2 (E2H=0): RES1 31, 23; PS=48 bits; 4K; SH0 IS, WB walks; T0SZ=16 */
#define TCR_EL2_VAL ((1ull << 31) | (1ull << 23) | (5ull << 16) | (3 << 12) | \
                     (1 << 10) | (1 << 8) | 16)
/* TCR_EL1: IPS=48 bits; TG1=4K, SH1 IS, WB walks, T1SZ=25; TG0=4K, SH0 IS,
 * WB walks, T0SZ=25 */
#define TCR_EL1_VAL ((5ull << 32) | (2ull << 30) | (3ull << 28) | (1ull << 26) | \
                     (1ull << 24) | (25ull << 16) | (3 << 12) | (1 << 10) | \
                     (1 << 8) | 25)
/* VTCR_EL2: RES1 31; PS=48 bits; 4K; SH0 IS, WB walks; SL0=0b10 (level 0);
 * T0SZ=16 */
#define VTCR_VAL    ((1ull << 31) | (5ull << 16) | (3 << 12) | (1 << 10) | \
                     (1 << 8) | (2 << 6) | 16)
#define SCTLR_EL1_VAL 0x30d00801ull     /* RES1 bits, M */

#define RAM_BASE    0x40000000ull
#define VA_E2       0x8000000000ull
#define VA_V        0xc0000000ull
#define VA_T        0xffffff8000000000ull
#define VA_T2       0xffffff8000200000ull
#define VA_Z        0x80000000ull
#define IPA_T       0x8000000000ull
#define IPA_D       0x10000000000ull

typedef uint64_t table_t[512] __attribute__((aligned(4096)));

/* Global, so that tests/inject.rs can name them in --inject specs. */
table_t e2_l0, e2_l1a, e2_l1b, e2_l2b, e2_l3b;
table_t s1_l1, s1_l2v, s1_l3v, s1_l2z, s1_l3z;
table_t s1t_l1, s1t_l2, s1t_l3, s1t_l3b;
table_t s2_l0, s2_l1a, s2_l1t, s2_l2t, s2_l3t, s2_l1d, s2_l2d, s2_l3d;

uint64_t pg_a[512] __attribute__((aligned(4096))) = { 0x1111111111111111ull };
uint64_t pg_b[512] __attribute__((aligned(4096))) = { 0x2222222222222222ull };
uint64_t pg_c[512] __attribute__((aligned(4096))) = { 0x3333333333333333ull };
uint64_t pg_d[512] __attribute__((aligned(4096))) = { 0x4444444444444444ull };
uint64_t pg_e[512] __attribute__((aligned(4096))) = { 0x5555555555555555ull };
uint64_t pg_f[512] __attribute__((aligned(4096))) = { 0x6666666666666666ull };

/* A page of code: returns 0x1234. */
__asm__(
    ".section .text.pg_code, \"ax\"\n"
    ".balign 4096\n"
    ".global pg_code\n"
    "pg_code: mov x0, #0x1234\n ret\n"
    ".balign 4096\n"
);
extern char pg_code[];

/* The probes: p_ldr/p_str/p_ldp/p_stp are the accesses themselves; p_call
 * branches to x0 (the fetch), which returns 0x1234 if it ran. */
__asm__(
    ".text\n.balign 4\n"
    ".global p_ldr\np_ldr: ldr x1, [x0]\n mov x0, x1\n ret\n"
    ".global p_str\np_str: str x1, [x0]\n ret\n"
    ".global p_ldp\np_ldp: ldp x1, x2, [x0]\n mov x0, x1\n ret\n"
    ".global p_stp\np_stp: stp x1, x1, [x0]\n ret\n"
    ".global p_call\np_call: stp x29, x30, [sp, #-16]!\n mov x9, x0\n mov x0, #0\n"
    " blr x9\n ldp x29, x30, [sp], #16\n ret\n"
);
uint64_t p_ldr(uint64_t va);
uint64_t p_str(uint64_t va, uint64_t val);
uint64_t p_ldp(uint64_t va);
uint64_t p_stp(uint64_t va, uint64_t val);
uint64_t p_call(uint64_t va);

static volatile unsigned aborts;

static void show_elr(uint64_t elr)
{
    uart_puts(" ELR=");
    if (elr == (uint64_t)p_ldr)
        uart_puts("p_ldr");
    else if (elr == (uint64_t)p_str)
        uart_puts("p_str");
    else if (elr == (uint64_t)p_ldp)
        uart_puts("p_ldp");
    else if (elr == (uint64_t)p_stp)
        uart_puts("p_stp");
    else
        uart_hex(elr);
}

/* " -> ELn +off ESR=.. FAR=.. [HPFAR=..] ELR=.." on the probe's line. */
static void report(const char *el, uint64_t idx, uint64_t esr, uint64_t far,
                   int hpfar, uint64_t elr)
{
    uart_puts(" -> ");
    uart_puts(el);
    uart_puts(" +");
    uart_hex(idx * 0x80);
    uart_puts(" ESR=");
    uart_hex(esr);
    uart_puts(" FAR=");
    uart_hex(far);
    if (hpfar) {
        uart_puts(" HPFAR=");
        uart_hex(read_sysreg(hpfar_el2));
    }
    show_elr(elr);
}

/* Skip the aborted access, or return from the fetched call. */
static void resume(struct exc_frame *f, uint64_t esr)
{
    aborts++;
    if (ESR_EC(esr) == 0x20 || ESR_EC(esr) == 0x21)
        f->elr = f->x[30];
    else
        f->elr += 4;
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    unsigned ec = ESR_EC(esr);

    if (idx == VEC_CUR_SPX && (ec == 0x25 || ec == 0x21)) {
        report("EL2", idx, esr, read_sysreg(far_el2), 0, f->elr);
    } else if (idx == VEC_LOWER_A64 && ec == 0x24) {
        report("EL2", idx, esr, read_sysreg(far_el2), 1, f->elr);
    } else {
        guest_unexpected("EL2", idx, esr, f->elr);
    }
    resume(f, esr);
}

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el1);

    if (idx != VEC_CUR_SPX || ESR_EC(esr) != 0x25)
        guest_unexpected("EL1", idx, esr, f->elr);
    report("EL1", idx, esr, read_sysreg(far_el1), 0, f->elr);
    resume(f, esr);
}

/* "  <insn> <va>:" then the abort (the handler) or " ok [value]". */
static void probe_load(const char *insn, uint64_t (*fn)(uint64_t), uint64_t va)
{
    unsigned before = aborts;
    uart_puts("  ");
    uart_puts(insn);
    uart_puts(" ");
    uart_hex(va);
    uart_puts(":");
    uint64_t v = fn(va);
    if (aborts == before) {
        uart_puts(" ok ");
        uart_hex(v);
    }
    uart_puts("\n");
}

/* Stores 0x77; a later load shows whether the store happened. */
static void probe_store(const char *insn, uint64_t (*fn)(uint64_t, uint64_t), uint64_t va)
{
    unsigned before = aborts;
    uart_puts("  ");
    uart_puts(insn);
    uart_puts(" ");
    uart_hex(va);
    uart_puts(":");
    fn(va, 0x77);
    if (aborts == before)
        uart_puts(" ok");
    uart_puts("\n");
}

#define probe_ldr(va) probe_load("ldr", p_ldr, (va))
#define probe_ldp(va) probe_load("ldp", p_ldp, (va))
#define probe_str(va) probe_store("str", p_str, (va))
#define probe_stp(va) probe_store("stp", p_stp, (va))

static void probe_call(uint64_t va)
{
    unsigned before = aborts;
    uart_puts("  blr ");
    uart_hex(va);
    uart_puts(":");
    uint64_t v = p_call(va);
    if (aborts == before) {
        uart_puts(" ok ");
        uart_hex(v);
    }
    uart_puts("\n");
}

static void build_tables(void)
{
    /* A: EL2 stage 1 */
    e2_l0[0] = (uint64_t)e2_l1a | D_TABLE;
    e2_l0[1] = (uint64_t)e2_l1b | D_TABLE;
    e2_l1a[0] = 0x0 | DEVICE | D_AP_RW1 | D_BLOCK;
    e2_l1a[1] = RAM_BASE | NORMAL | D_AP_RW1 | D_BLOCK;
    e2_l1b[0] = (uint64_t)e2_l2b | D_TABLE;
    e2_l2b[0] = (uint64_t)e2_l3b | D_TABLE;
    e2_l3b[0] = (uint64_t)pg_a | NORMAL | D_AP_RW1 | D_UXN | D_PAGE;
    e2_l3b[1] = (uint64_t)pg_b | NORMAL | D_AP_RW1 | D_UXN | D_PAGE;
    e2_l3b[2] = (uint64_t)pg_code | NORMAL | D_AP_RW1 | D_PAGE;

    /* EL1&0 stage 1, TTBR0_EL1 (IPA = PA) */
    s1_l1[0] = 0x0 | DEVICE | D_BLOCK;
    s1_l1[1] = RAM_BASE | NORMAL | D_UXN | D_BLOCK;
    s1_l1[2] = (uint64_t)s1_l2z | D_TABLE;
    s1_l1[3] = (uint64_t)s1_l2v | D_TABLE;
    s1_l2v[0] = (uint64_t)s1_l3v | D_TABLE;
    s1_l3v[0] = (uint64_t)pg_a | NORMAL | D_PXN | D_UXN | D_PAGE;
    s1_l2z[0] = (uint64_t)s1_l3z | D_TABLE;
    s1_l3z[0] = IPA_D | NORMAL | D_PXN | D_UXN | D_PAGE;
    for (int i = 1; i < 4; i++)
        s1_l3z[i] = (IPA_D + i * 0x1000) | NORMAL | D_PXN | D_UXN | D_PAGE;

    /* EL1&0 stage 1, TTBR1_EL1 = IPA_T: next-level addresses are IPAs */
    s1t_l1[0] = (IPA_T + 0x1000) | D_TABLE;
    s1t_l2[0] = (IPA_T + 0x2000) | D_TABLE;
    s1t_l2[1] = (IPA_T + 0x3000) | D_TABLE;
    s1t_l3[0] = (uint64_t)pg_a | NORMAL | D_PXN | D_UXN | D_PAGE;
    s1t_l3b[0] = (uint64_t)pg_e | NORMAL | D_PXN | D_UXN | D_PAGE;

    /* Stage 2 */
    s2_l0[0] = (uint64_t)s2_l1a | D_TABLE;
    s2_l0[1] = (uint64_t)s2_l1t | D_TABLE;
    s2_l0[2] = (uint64_t)s2_l1d | D_TABLE;
    s2_l1a[0] = 0x0 | S2_DEVICE | D_BLOCK;
    s2_l1a[1] = RAM_BASE | S2_NORMAL | D_BLOCK;
    s2_l1t[0] = (uint64_t)s2_l2t | D_TABLE;
    s2_l2t[0] = (uint64_t)s2_l3t | D_TABLE;
    s2_l3t[0] = (uint64_t)s1t_l1 | S2_NORMAL | D_PAGE;
    s2_l3t[1] = (uint64_t)s1t_l2 | S2_NORMAL | D_PAGE;
    s2_l3t[2] = (uint64_t)s1t_l3 | S2_NORMAL | D_PAGE;
    s2_l3t[3] = (uint64_t)s1t_l3b | S2_NORMAL | D_PAGE;
    s2_l1d[0] = (uint64_t)s2_l2d | D_TABLE;
    s2_l2d[0] = (uint64_t)s2_l3d | D_TABLE;
    s2_l3d[0] = (uint64_t)pg_c | S2_NORMAL | D_PAGE;
    s2_l3d[1] = (uint64_t)pg_d | S2_NORMAL | D_PAGE;
    s2_l3d[2] = (uint64_t)pg_c | S2_NORMAL | D_PAGE;
    s2_l3d[3] = (uint64_t)pg_f | S2_NORMAL | D_PAGE;
}

static void el1_main(void)
{
    uart_puts("\n== B: EL1 under stage 2, stage 1 descriptor (TTBR0_EL1, from level 1) ==\n");
    for (int i = 0; i < 4; i++)
        probe_ldr(VA_V);

    uart_puts("\n== C: EL1, stage 2 walk for a stage 1 table (TTBR1_EL1 at IPA 0x8000000000) ==\n");
    for (int i = 0; i < 7; i++)
        probe_ldr(VA_T);
    probe_str(VA_T2);
    probe_ldr(VA_T2);

    uart_puts("\n== D: EL1, stage 2 walk of the final IPA (0x10000000000) ==\n");
    for (int i = 0; i < 5; i++)
        probe_ldp(VA_Z);
    probe_stp(VA_Z + 0x1000);
    probe_ldp(VA_Z + 0x1000);
    probe_ldr(VA_Z + 0x2000);
    probe_ldr(VA_Z + 0x2000);
    probe_str(VA_Z + 0x3000);
    probe_ldr(VA_Z + 0x3000);

    uart_puts("\naborts taken: ");
    uart_dec(aborts);
    uart_puts("\n");
    psci_system_off();
}

int main(void)
{
    uart_puts("injwalk test\n");
    build_tables();

    write_sysreg(mair_el2, MAIR_VAL);
    write_sysreg(tcr_el2, TCR_EL2_VAL);
    write_sysreg(ttbr0_el2, (uint64_t)e2_l0);
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
    write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | 1);
    isb();

    uart_puts("\n== A: EL2, stage 1 (TTBR0_EL2, from level 0) ==\n");
    for (int i = 0; i < 5; i++)
        probe_ldr(VA_E2);
    probe_str(VA_E2 + 0x1000);
    probe_ldr(VA_E2 + 0x1000);
    probe_call(VA_E2 + 0x2000);
    probe_call(VA_E2 + 0x2000);

    write_sysreg(mair_el1, MAIR_VAL);
    write_sysreg(tcr_el1, TCR_EL1_VAL);
    write_sysreg(ttbr0_el1, (uint64_t)s1_l1);
    write_sysreg(ttbr1_el1, IPA_T);
    write_sysreg(vtcr_el2, VTCR_VAL);
    write_sysreg(vttbr_el2, (1ull << 48) | (uint64_t)s2_l0);
    write_sysreg(hcr_el2, HCR_RW | HCR_VM);
    write_sysreg(sctlr_el1, SCTLR_EL1_VAL);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    __asm__ volatile("dsb sy\n tlbi alle1\n dsb sy\n isb" ::: "memory");
    enter_el1(el1_main, stack_el1_top);
}
