/*
 * tmodel: microbenchmarks for the `detailed` timing model (tests/timing.rs runs it with
 * --timing detailed and each --cpu, and checks the shapes against the model's data;
 * no golden: the figures are hypsim's own). Cycles come from CNTVCT_EL0, which counts
 * the simulated clock (1 tick = 1 cycle). Every result line has 4 fields.
 *
 * EL2 with its MMU on (E2H=0): 1 GiB blocks, RAM Normal Write-Back (MAIR 0xff), so
 * translation never misses the model's TLBs for the chase (one block entry covers it).
 * The only 4 KiB pages, for tlb alone, are an alias of PA 0x6000_0000 + 32 MiB at VA
 * 0x8000_0000 (l1[2] -> one level 2 and 16 level 3 tables in .bss), so the RAM block used
 * by everything else stays whole. op enables FP at EL2 (CPTR_EL2.TFP=0).
 *
 * chase: a dependent load chain (`ldr x0, [x0]`, SUBS, B.NE: 3 instructions) through a
 *   random cyclic permutation of the 64-byte lines of a buffer of 4 KiB .. 64 MiB at PA
 *   0x5000_0000, after one warm-up pass; prints "chase <bytes> <cycles per step x100>
 *   <L1D_CACHE_REFILL events per 100 steps>" (PMU event counter 0).
 * branch: a loop whose conditional branch is always taken, alternates, or follows an
 *   LFSR bit (random); prints "branch <pattern> <cycles per iteration x100>
 *   <BR_MIS_PRED events per 100 iterations>". Random minus alternating is the
 *   mispredict cost of half the iterations.
 * tlb: the chase loop over one line in each of <pages> = 8 .. 8192 distinct 4 KiB pages
 *   in a random cyclic order (page i: line (i ^ i >> 6 ^ i >> 12) % 64, so the lines
 *   spread evenly over every cache's sets); one warm-up pass, then max(pages, 16384)
 *   timed steps; prints "tlb <pages> <cycles per step x100> <L1D_TLB_REFILL (0x05) per
 *   100 steps>". The lines take <pages> x 64 bytes (512 KiB at most, plus the level 3
 *   descriptors the walks read: 8 per line), so they outgrow an L1D but no L2.
 * op: 1024 iterations of 16 copies of one instruction + SUBS + B.NE (so 2 loop
 *   instructions per 16 counted: a throughput figure includes them), dependent (each
 *   one reads the previous result) or independent (8 destinations, sources not written
 *   in the loop): ADD, MUL, UMULH, UDIV (64-bit; dep: x0 = K / x0 oscillates between
 *   two 32-bit quotients, indep divides the same K by one of them), FMADD (dep: `fmadd
 *   d0, d0, d1, d2`, chained through the multiplicand, converging to 2.0), FADD; prints
 *   "op <name> <cycles per counted instruction x100> 0".
 * ifoot: a straight-line function of <bytes>/4 independent instructions (`add x9, x0, #1`,
 *   `add x10, x0, #1`, ..., `add x0, x0, #1`, `ret`)
 *   written to PA 0x6800_0000 (1 GiB block, executable), DC CVAU per line, IC IALLU;
 *   2 warm-up calls, then max(4, 2^19 / instructions) timed calls, for 4 KiB .. 1 MiB;
 *   prints "ifoot <bytes> <cycles per executed function instruction x100>
 *   <L1I_CACHE_REFILL (0x01) per 100 of them>" (the calling loop, 4 instructions per
 *   call, is timed but not counted: < 0.4%).
 */
#include "guest.h"
#include "uart.h"

#define RAM_BASE    0x40000000ull
#define BUF         0x50000000ull
#define D_BLOCK     0x1ull
#define D_AF        (1ull << 10)
#define D_SH_IS     (3ull << 8)
#define D_AP_RW     (1ull << 6)
#define D_ATTR(i)   ((uint64_t)(i) << 2)
#define D_XN        (1ull << 54)
/* TCR_EL2: RES1 31, 23; PS=40 bits; SH0=IS; WB walks; TG0=4K; T0SZ=25 */
#define TCR_VAL     ((1ull << 31) | (1ull << 23) | (2ull << 16) | (3 << 12) | \
                     (1 << 10) | (1 << 8) | 25)
#define SCTLR_VAL   (0x30c50830ull | 1 | (1 << 2) | (1 << 12))
#define D_TABLE     0x3ull                   /* also a level 3 page descriptor */
#define TLB_VA      0x80000000ull            /* l1[2]: 4 KiB pages ... */
#define TLB_PA      0x60000000ull            /* ... of PA 0x6000_0000 + 32 MiB */
#define TLB_PAGES   8192
#define IFOOT       0x68000000ull            /* the ifoot function (in l1[1]) */

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2t[512] __attribute__((aligned(4096)));
static uint64_t l3t[TLB_PAGES / 512][512] __attribute__((aligned(4096)));
static uint64_t lfsr = 0xace1;

static uint64_t rnd(void)
{
    lfsr ^= lfsr << 13;
    lfsr ^= lfsr >> 7;
    lfsr ^= lfsr << 17;
    return lfsr;
}

/* PMU event counter 0 counts `event` at EL2 (PMEVTYPER0_EL0.NSH), from zero. */
static void pmu_count(uint64_t event)
{
    write_sysreg(pmcr_el0, 0);
    write_sysreg(pmevtyper0_el0, (1ull << 27) | event);
    write_sysreg(pmevcntr0_el0, 0);
    write_sysreg(pmcntenset_el0, 1);
    write_sysreg(pmcr_el0, 1);
    isb();
}

static uint64_t pmu_read(void)
{
    isb();
    return read_sysreg(pmevcntr0_el0);
}

static inline uint64_t now(void)
{
    uint64_t t;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t) :: "memory");
    return t;
}

/* Link the lines of [BUF, BUF + bytes) into one random cycle; returns its start. */
static uint64_t *build(uint64_t bytes)
{
    uint64_t n = bytes / 64;
    uint64_t *idx = (uint64_t *)(BUF + (128ull << 20));   /* scratch: a permutation */
    for (uint64_t i = 0; i < n; i++)
        idx[i] = i;
    for (uint64_t i = n - 1; i > 0; i--) {
        uint64_t j = rnd() % (i + 1), t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    for (uint64_t i = 0; i < n; i++)
        *(uint64_t *)(BUF + idx[i] * 64) = BUF + idx[(i + 1) % n] * 64;
    return (uint64_t *)(BUF + idx[0] * 64);
}

static uint64_t chase(uint64_t *p, uint64_t steps)
{
    uint64_t x = (uint64_t)p;
    __asm__ volatile("1: ldr %0, [%0]\n subs %1, %1, #1\n b.ne 1b"
                     : "+r"(x), "+r"(steps) :: "memory");
    return x;
}

static void chase_test(uint64_t bytes)
{
    uint64_t *p = build(bytes);
    uint64_t n = bytes / 64, steps = n < 16384 ? 16384 : n;
    chase(p, n);                                           /* warm up */
    pmu_count(0x03);                                       /* L1D_CACHE_REFILL */
    uint64_t t0 = now();
    chase(p, steps);
    uint64_t t1 = now();
    uint64_t refills = pmu_read();
    uart_puts("chase ");
    uart_dec(bytes);
    uart_puts(" ");
    uart_dec((t1 - t0) * 100 / steps);
    uart_puts(" ");
    uart_dec(refills * 100 / steps);
    uart_puts("\n");
}

/* The tested CBNZ depends on `bit`: always 1, alternating, or an LFSR bit. Its taken
 * path is one instruction, the other two (ADD, B), so patterns with the same share of
 * taken branches (alternating and random: half) run the same instruction mix. */
static void branch_test(const char *name, int mode)
{
    pmu_count(0x10);                                       /* BR_MIS_PRED */
    uint64_t iters = 20000, v = 0xace1, acc = 0, t0 = now();
    for (uint64_t i = 0; i < iters; i++) {
        uint64_t bit;
        v ^= v << 13;
        v ^= v >> 7;
        v ^= v << 17;
        bit = mode == 0 ? 1 : mode == 1 ? (i & 1) : (v >> 11) & 1;
        __asm__ volatile("cbnz %1, 1f\n add %0, %0, #1\n b 2f\n1: add %0, %0, #2\n2:"
                         : "+r"(acc) : "r"(bit));
    }
    uint64_t t1 = now(), mispredicts = pmu_read();
    uart_puts("branch ");
    uart_puts(name);
    uart_puts(" ");
    uart_dec((t1 - t0) * 100 / iters);
    uart_puts(" ");
    uart_dec(mispredicts * 100 / iters);
    uart_puts(acc ? "\n" : " \n");
}

/* "<kind> <name or n> <value> <pmu>\n" */
static void result(const char *kind, const char *name, uint64_t n, uint64_t value,
                   uint64_t pmu)
{
    uart_puts(kind);
    uart_puts(" ");
    if (name)
        uart_puts(name);
    else
        uart_dec(n);
    uart_puts(" ");
    uart_dec(value);
    uart_puts(" ");
    uart_dec(pmu);
    uart_puts("\n");
}

/* The 4 KiB-page window: l1[2] -> l2t -> l3t, TLB_VA + i * 4 KiB -> TLB_PA + i * 4 KiB. */
static void map_pages(void)
{
    for (uint64_t i = 0; i < TLB_PAGES / 512; i++) {
        l2t[i] = (uint64_t)l3t[i] | D_TABLE;
        for (uint64_t j = 0; j < 512; j++)
            l3t[i][j] = (TLB_PA + (i * 512 + j) * 4096) | D_ATTR(1) | D_SH_IS | D_AF |
                        D_AP_RW | D_XN | D_TABLE;
    }
    l1[2] = (uint64_t)l2t | D_TABLE;
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
}

/* Link one line of each of pages 0 .. pages-1 of the window into one random cycle. Page i
 * uses line (i ^ i >> 6 ^ i >> 12) % 64: for any power-of-two number of sets S >= 64 (line
 * index i * 64 + that, modulo S), pages 0 .. S-1 fall in S different sets, so the lines
 * fill every set of every cache level evenly ((i % 64) would use only 64 sets of each). */
static uint64_t *build_pages(uint64_t pages)
{
    uint64_t *idx = (uint64_t *)(BUF + (128ull << 20));   /* scratch: a permutation */
    for (uint64_t i = 0; i < pages; i++)
        idx[i] = i;
    for (uint64_t i = pages - 1; i > 0; i--) {
        uint64_t j = rnd() % (i + 1), t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
#define PAGE_LINE(i) (TLB_VA + (i) * 4096 + (((i) ^ (i) >> 6 ^ (i) >> 12) % 64) * 64)
    for (uint64_t i = 0; i < pages; i++)
        *(uint64_t *)PAGE_LINE(idx[i]) = PAGE_LINE(idx[(i + 1) % pages]);
    return (uint64_t *)PAGE_LINE(idx[0]);
}

static void tlb_test(uint64_t pages)
{
    uint64_t *p = build_pages(pages);
    uint64_t steps = pages < 16384 ? 16384 : pages;
    chase(p, pages);                                       /* warm up */
    pmu_count(0x05);                                       /* L1D_TLB_REFILL */
    uint64_t t0 = now();
    chase(p, steps);
    uint64_t t1 = now();
    result("tlb", 0, pages, (t1 - t0) * 100 / steps, pmu_read() * 100 / steps);
}

/*
 * op kernels: uint64_t op_<name>(uint64_t iterations), OP_ITERS x (16 tested
 * instructions + SUBS + B.NE). Only caller-saved registers: x0-x17, d0-d7, d16-d31.
 */
#define OP_KERNEL(name, setup, body)                                              \
    __asm__(".text\n .p2align 6\n .type op_" #name ", %function\nop_" #name ":\n" \
            " mov x17, x0\n" setup "\n .p2align 6\n1:\n .rept 2\n" body "\n .endr\n" \
            " subs x17, x17, #1\n b.ne 1b\n ret\n .size op_" #name ", . - op_" #name "\n"); \
    uint64_t op_##name(uint64_t);
#define IRP8(insn)  " .irp r, 1, 2, 3, 4, 5, 6, 7, 8\n " insn "\n .endr"
#define IRP8D(insn) " .irp r, 16, 17, 18, 19, 20, 21, 22, 23\n " insn "\n .endr"
#define REP8(insn)  " .rept 8\n " insn "\n .endr"
/* x12 = K = 0xfedcba9876543210, x13 = 0xff6e33c7 (isqrt(K): K / x oscillates between
 * it and 0xff6e33c8) */
#define DIV_SETUP   " movz x12, #0x3210\n movk x12, #0x7654, lsl #16\n" \
                    " movk x12, #0xba98, lsl #32\n movk x12, #0xfedc, lsl #48\n" \
                    " movz x13, #0x33c7\n movk x13, #0xff6e, lsl #16\n mov x0, x13"
#define BIG_SETUP   " movz x10, #0x7c15\n movk x10, #0x7f4a, lsl #16\n" \
                    " movk x10, #0x79b9, lsl #32\n movk x10, #0x9e37, lsl #48\n" \
                    " mvn x11, x10"
OP_KERNEL(add_dep, " mov x0, #1\n mov x1, #3", REP8("add x0, x0, x1"))
OP_KERNEL(add_indep, " mov x10, #5\n mov x11, #7", IRP8("add x\\r, x10, x11"))
OP_KERNEL(mul_dep, BIG_SETUP "\n mov x0, x10\n orr x1, x11, #1", REP8("mul x0, x0, x1"))
OP_KERNEL(mul_indep, BIG_SETUP, IRP8("mul x\\r, x10, x11"))
OP_KERNEL(umulh_dep, BIG_SETUP "\n mov x0, x10\n mov x1, #-1", REP8("umulh x0, x0, x1"))
OP_KERNEL(umulh_indep, BIG_SETUP, IRP8("umulh x\\r, x10, x11"))
OP_KERNEL(div_dep, DIV_SETUP, REP8("udiv x0, x12, x0"))
OP_KERNEL(div_indep, DIV_SETUP, IRP8("udiv x\\r, x12, x13"))
OP_KERNEL(fmadd_dep, " fmov d0, #1.0\n fmov d1, #0.5\n fmov d2, #1.0",
          REP8("fmadd d0, d0, d1, d2"))
OP_KERNEL(fmadd_indep, " fmov d1, #0.5\n fmov d2, #1.0\n fmov d3, #1.5",
          IRP8D("fmadd d\\r, d1, d2, d3"))
OP_KERNEL(fadd_dep, " fmov d0, #1.0\n fmov d1, #0.5", REP8("fadd d0, d0, d1"))
OP_KERNEL(fadd_indep, " fmov d1, #0.5\n fmov d2, #1.0", IRP8D("fadd d\\r, d1, d2"))

#define OP_ITERS    1024
#define OP_INSNS    (OP_ITERS * 16)

static void op_test(const char *name, uint64_t (*fn)(uint64_t))
{
    fn(16);                                                /* warm up */
    uint64_t t0 = now();
    fn(OP_ITERS);
    uint64_t t1 = now();
    result("op", name, 0, (t1 - t0) * 100 / OP_INSNS, 0);
}

/* Write independent `add x9..x12, x0, #1` x (bytes/4 - 2), `add x0, x0, #1` and `ret` at
 * IFOOT (independent, so the front end, not a dependency chain, bounds the speed); make
 * it visible to fetch. */
static void write_ifoot(uint64_t bytes)
{
    uint32_t *code = (uint32_t *)IFOOT;
    uint64_t n = bytes / 4, ctr = read_sysreg(ctr_el0);
    uint64_t dline = 4ull << ((ctr >> 16) & 0xf);
    for (uint64_t i = 0; i < n - 2; i++)
        code[i] = 0x91000400 | (9 + i % 4);                /* add x9+i%4, x0, #1 */
    code[n - 2] = 0x91000400;                              /* add x0, x0, #1 */
    code[n - 1] = 0xd65f03c0;                              /* ret */
    for (uint64_t a = IFOOT; a < IFOOT + bytes; a += dline)
        __asm__ volatile("dc cvau, %0" :: "r"(a) : "memory");
    __asm__ volatile("dsb ish\n ic iallu\n dsb ish\n isb" ::: "memory");
}

static void ifoot_test(uint64_t bytes)
{
    uint64_t (*fn)(uint64_t) = (uint64_t (*)(uint64_t))IFOOT;
    uint64_t n = bytes / 4, calls = (1ull << 19) / n, acc = 0;
    if (calls < 4)
        calls = 4;
    write_ifoot(bytes);
    acc = fn(fn(0));                                       /* warm up */
    pmu_count(0x01);                                       /* L1I_CACHE_REFILL */
    uint64_t t0 = now();
    for (uint64_t i = 0; i < calls; i++)
        acc = fn(acc);
    uint64_t t1 = now(), refills = pmu_read();
    if (acc != calls + 2)
        uart_puts("tmodel: ifoot: wrong result\n");
    result("ifoot", 0, bytes, (t1 - t0) * 100 / (calls * n), refills * 100 / (calls * n));
}

int main(void)
{
    l1[0] = 0x0 | D_ATTR(0) | D_AF | D_AP_RW | D_XN | D_BLOCK;           /* Device */
    l1[1] = RAM_BASE | D_ATTR(1) | D_SH_IS | D_AF | D_AP_RW | D_BLOCK;   /* Normal WB */
    write_sysreg(mair_el2, 0xff00);
    write_sysreg(ttbr0_el2, (uint64_t)l1);
    write_sysreg(tcr_el2, TCR_VAL);
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
    write_sysreg(sctlr_el2, SCTLR_VAL);
    isb();
    uart_puts("tmodel: MIDR_EL1=");
    uart_hex(read_sysreg(midr_el1));
    uart_puts(" CLIDR_EL1=");
    uart_hex(read_sysreg(clidr_el1));
    uart_puts(" CTR_EL0=");
    uart_hex(read_sysreg(ctr_el0));
    uart_puts(" PMCR_EL0.N=");
    uart_dec((read_sysreg(pmcr_el0) >> 11) & 0x1f);
    uart_puts("\n");
    for (uint64_t kb = 4; kb <= 64 * 1024; kb *= 2)
        chase_test(kb * 1024);
    branch_test("taken", 0);
    branch_test("alternating", 1);
    branch_test("random", 2);
    map_pages();
    for (uint64_t pages = 8; pages <= TLB_PAGES; pages *= 2)
        tlb_test(pages);
    write_sysreg(cptr_el2, read_sysreg(cptr_el2) & ~(1ull << 10));   /* TFP: FP on */
    isb();
    op_test("add-dep", op_add_dep);
    op_test("add-indep", op_add_indep);
    op_test("mul-dep", op_mul_dep);
    op_test("mul-indep", op_mul_indep);
    op_test("umulh-dep", op_umulh_dep);
    op_test("umulh-indep", op_umulh_indep);
    op_test("div-dep", op_div_dep);
    op_test("div-indep", op_div_indep);
    op_test("fmadd-dep", op_fmadd_dep);
    op_test("fmadd-indep", op_fmadd_indep);
    op_test("fadd-dep", op_fadd_dep);
    op_test("fadd-indep", op_fadd_indep);
    for (uint64_t kb = 4; kb <= 1024; kb *= 2)
        ifoot_test(kb * 1024);
    uart_puts("done\n");
    return 0;
}
