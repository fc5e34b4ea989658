/*
 * tmodel: microbenchmarks for the `detailed` timing model (tests/timing.rs runs it with
 * --timing detailed and each --cpu, and checks the shapes against the model's data;
 * no golden: the figures are hypsim's own). Cycles come from CNTVCT_EL0, which counts
 * the simulated clock (1 tick = 1 cycle).
 *
 * EL2 with its MMU on (E2H=0): 1 GiB blocks, RAM Normal Write-Back (MAIR 0xff), so
 * translation never misses the model's TLBs for the chase (one block entry covers it).
 *
 * chase: a dependent load chain (`ldr x0, [x0]`, SUBS, B.NE: 3 instructions) through a
 *   random cyclic permutation of the 64-byte lines of a buffer of 4 KiB .. 64 MiB at PA
 *   0x5000_0000, after one warm-up pass; prints "chase <bytes> <cycles per step x100>
 *   <L1D_CACHE_REFILL events per 100 steps>" (PMU event counter 0).
 * branch: a loop whose conditional branch is always taken, alternates, or follows an
 *   LFSR bit (random); prints "branch <pattern> <cycles per iteration x100>
 *   <BR_MIS_PRED events per 100 iterations>". Random minus alternating is the
 *   mispredict cost of half the iterations.
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

static uint64_t l1[512] __attribute__((aligned(4096)));
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
    uart_puts("\n");
    for (uint64_t kb = 4; kb <= 64 * 1024; kb *= 2)
        chase_test(kb * 1024);
    branch_test("taken", 0);
    branch_test("alternating", 1);
    branch_test("random", 2);
    uart_puts("done\n");
    return 0;
}
