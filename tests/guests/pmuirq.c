/*
 * pmuirq: the PMUv3 overflow interrupt (Arm ARM D11, "Generating overflow
 * interrupt requests") through the GICv3, taken at EL1.
 *
 * EL2 stands in for firmware: MDCR_EL2.HPMN = PMCR_EL0.N (every counter
 * belongs to EL1 and is gated by PMCR_EL0.E; TPM/TPMCR/HPME = 0, as Linux's
 * EL2 set-up leaves it), ICC_SRE_EL2 = SRE | Enable, HCR_EL2.IMO = 0 (IRQs
 * go to EL1), then ERET to EL1.  EL1 brings the GIC up as an OS that trusts
 * firmware: GICD_CTLR = ARE | EnableGrp1, PPI 23 (the PMU interrupt on QEMU
 * virt and hypsim, level-sensitive) group 1, priority 0x80, enabled in the
 * SGI frame, ICC_SRE_EL1/PMR/IGRPEN1 -- but GICR_WAKER is not touched (real
 * firmware has woken the redistributor; QEMU does not gate delivery on it,
 * and QEMU and hypsim differ there at entry on purpose).
 *
 * The IRQ handler reads ICC_IAR1_EL1 and PMOVSCLR_EL0, clears those
 * overflow flags (so the level-sensitive request drops), writes
 * ICC_EOIR1_EL1 and sets a flag; the main line prints what it saw:
 *   1. SW_INCR: counter 0 counts event 0x00 from 0xffffffff, interrupt and
 *      counter enabled, PMCR_EL0.E = 1, PSTATE.I = 0; MSR PMSWINC_EL0 makes
 *      it overflow (PMOVS bit 0).  The spin after the MSR is 5 instructions
 *      per iteration; fewer than 12 iterations ("taken within 64
 *      instructions") is what a prompt interrupt gives (the request is
 *      raised by the MSR itself).
 *   2. CPU_CYCLES (0x11): counter 1 from 0xffffffff - 2000 overflows while
 *      the guest spins, for at most 100 ms of CNTVCT_EL0 time (QEMU counts
 *      cycles from its virtual clock and raises the overflow from a host
 *      timer, which took up to 1.3 million iterations); PMOVS bit 1.
 *   3. Gating: PMCR_EL0.E = 0, then PMINTENSET and PMOVSSET bit 0 by hand:
 *      the request stays low (D11: counter n < HPMN needs PMCR_EL0.E = 1),
 *      so no IRQ arrives in 100,000 iterations; then E = 1 and it arrives.
 * Only INTIDs, overflow bits and yes/no are printed: iteration counts and
 * counter values depend on the emulator's speed.
 *
 * QEMU 10's PMCR_EL0 write does not re-evaluate the interrupt line (only
 * writes to PMINTENSET/CLR and PMOVSSET/CLR and a counter overflow call
 * pmu_update_irq()): setting E = 1 with an overflow pending raises nothing,
 * and clearing E with the request asserted leaves it asserted.  So step 3
 * sets E = 0 *before* making the overflow pending, and follows E = 1 with a
 * write of PMINTENSET bit 0, which is already set (no change in the
 * architecture; it makes QEMU look at the line again).  hypsim takes the
 * IRQ on the E = 1 write alone.
 */
#include "guest.h"
#include "uart.h"

#define GICD        0x08000000ul
#define GICR        0x080a0000ul            /* CPU 0: RD_base */
#define GICR_SGI    (GICR + 0x10000)        /* SGI_base */

#define GICD_CTLR       0x0000
#define GICR_CTLR       0x0000
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ICPENDR0   0x0280
#define GICR_IPRIORITYR 0x0400

#define PPI_PMU         23

#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_BPR1_EL1    "S3_0_C12_C12_3"
#define ICC_CTLR_EL1    "S3_0_C12_C12_4"
#define ICC_SRE_EL1     "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2     "S3_4_C12_C9_5"

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(v)) : "memory")

#define PMCR_E          1u
#define SPIN_BOUND      100000u
#define CYCLES_BOUND_DIV 10u    /* CNTFRQ_EL0 / 10: 100 ms */
#define PROMPT_ITERS    12u     /* 1 + 12 * 5 + 2 < 64 instructions */

static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

static volatile uint32_t irq_flag;
static volatile uint32_t irq_intid;
static volatile uint64_t irq_ovs;
static volatile unsigned nirq, nspurious;

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    if (VEC_KIND(idx) != 1)
        guest_unexpected("EL1", idx, read_sysreg(esr_el1), f->elr);
    uint32_t intid = RD(ICC_IAR1_EL1) & 0xffffff;
    if (intid >= 1020) {
        nspurious++;
        return;
    }
    uint64_t ovs = read_sysreg(pmovsclr_el0);
    write_sysreg(pmovsclr_el0, ovs);
    isb();
    WR(ICC_EOIR1_EL1, intid);
    isb();
    irq_intid = intid;
    irq_ovs = ovs;
    nirq++;
    irq_flag = 1;
}

static void irq_unmask(void) { __asm__ volatile("msr daifclr, #2\n isb" ::: "memory"); }
static void irq_mask(void) { __asm__ volatile("msr daifset, #2\n isb" ::: "memory"); }

static void arm_flag(void)
{
    irq_flag = 0;
    irq_intid = ~0u;
    irq_ovs = ~0ull;
}

/* Iterations of a plain bounded spin on irq_flag. */
static unsigned spin(unsigned bound)
{
    unsigned i;
    for (i = 0; i < bound && !irq_flag; i++)
        ;
    return i;
}

/* Spin on irq_flag for at most 1/div s of counter time. */
static void spin_time(unsigned div)
{
    uint64_t start = read_sysreg(cntvct_el0);
    uint64_t ticks = read_sysreg(cntfrq_el0) / div;
    while (!irq_flag && read_sysreg(cntvct_el0) - start < ticks)
        ;
}

static void print_irq(void)
{
    uart_puts("IRQ ");
    if (irq_flag)
        uart_dec(irq_intid);
    else
        uart_puts("none");
    uart_puts(", PMOVS ");
    uart_hex(irq_ovs & 0xffffffff);
}

static void gic_init(void)
{
    wr32(GICD + GICD_CTLR, 0);
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
    wr32(GICD + GICD_CTLR, (1u << 4) | (1u << 1));  /* ARE, EnableGrp1 */
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;

    wr32(GICR_SGI + GICR_ICENABLER0, 1u << PPI_PMU);
    while (rd32(GICR + GICR_CTLR) & (1u << 3))      /* RWP */
        ;
    wr32(GICR_SGI + GICR_ICPENDR0, 1u << PPI_PMU);
    wr32(GICR_SGI + GICR_IGROUPR0, rd32(GICR_SGI + GICR_IGROUPR0) | 1u << PPI_PMU);
    wr8(GICR_SGI + GICR_IPRIORITYR + PPI_PMU, 0x80);
    wr32(GICR_SGI + GICR_ISENABLER0, 1u << PPI_PMU);

    WR(ICC_SRE_EL1, RD(ICC_SRE_EL1) | 1);
    isb();
    WR(ICC_PMR_EL1, 0xf0);
    WR(ICC_BPR1_EL1, 0);
    WR(ICC_CTLR_EL1, 0);            /* EOImode 0 */
    WR(ICC_IGRPEN1_EL1, 1);
    isb();
}

static void test_swinc(void)
{
    uint64_t i;

    write_sysreg(pmevtyper0_el0, 0x00);             /* SW_INCR, count at EL1 */
    write_sysreg(pmevcntr0_el0, 0xffffffff);
    write_sysreg(pmintenset_el1, 1);
    write_sysreg(pmcntenset_el0, 1);
    write_sysreg(pmcr_el0, PMCR_E);
    isb();
    arm_flag();
    irq_unmask();
    __asm__ volatile(
        "   mov     %0, #0\n"
        "   msr     pmswinc_el0, %2\n"
        "1: ldr     w9, [%1]\n"
        "   cbnz    w9, 2f\n"
        "   add     %0, %0, #1\n"
        "   cmp     %0, %3\n"
        "   b.lo    1b\n"
        "2:\n"
        : "=&r"(i)
        : "r"(&irq_flag), "r"(1ull), "r"((uint64_t)SPIN_BOUND)
        : "x9", "cc", "memory");
    if (!irq_flag)
        spin(SPIN_BOUND);
    irq_mask();
    write_sysreg(pmcntenclr_el0, 1);
    write_sysreg(pmintenclr_el1, 1);
    isb();

    uart_puts("SW_INCR overflow: ");
    print_irq();
    uart_puts(", taken within 64 instructions: ");
    uart_puts(irq_flag && i < PROMPT_ITERS ? "yes\n" : "no\n");
}

static void test_cycles(void)
{
    write_sysreg(pmevtyper1_el0, 0x11);             /* CPU_CYCLES, count at EL1 */
    write_sysreg(pmevcntr1_el0, 0xffffffffull - 2000);
    write_sysreg(pmintenset_el1, 2);
    arm_flag();
    irq_unmask();
    write_sysreg(pmcntenset_el0, 2);
    isb();
    spin_time(CYCLES_BOUND_DIV);
    irq_mask();
    write_sysreg(pmcntenclr_el0, 2);
    write_sysreg(pmintenclr_el1, 2);
    isb();

    uart_puts("CPU_CYCLES overflow: ");
    print_irq();
    uart_puts(", taken: ");
    uart_puts(irq_flag ? "yes\n" : "no\n");
}

static void test_gating(void)
{
    write_sysreg(pmcr_el0, 0);                      /* E = 0 */
    isb();
    write_sysreg(pmintenset_el1, 1);
    write_sysreg(pmovsset_el0, 1);
    isb();
    uart_puts("E=0, PMINTENSET 0x1, PMOVSSET ");
    uart_hex(read_sysreg(pmovsset_el0) & 0xffffffff);
    uart_puts("\n");

    arm_flag();
    irq_unmask();
    spin(SPIN_BOUND);
    irq_mask();
    uart_puts("E=0 gates the request: ");
    uart_puts(irq_flag ? "no (" : "yes\n");
    if (irq_flag) {
        print_irq();
        uart_puts(")\n");
    }

    arm_flag();
    write_sysreg(pmovsset_el0, 1);                  /* in case it was taken */
    irq_unmask();
    write_sysreg(pmcr_el0, PMCR_E);
    write_sysreg(pmintenset_el1, 1);                /* for QEMU, see the top */
    isb();
    spin(SPIN_BOUND);
    irq_mask();
    write_sysreg(pmintenclr_el1, 1);
    write_sysreg(pmcr_el0, 0);
    isb();
    uart_puts("E=1: ");
    print_irq();
    uart_puts(", taken: ");
    uart_puts(irq_flag ? "yes\n" : "no\n");
}

static void el1_main(void)
{
    gic_init();
    test_swinc();
    test_cycles();
    test_gating();
    if (nspurious) {
        uart_puts("*** spurious IRQs: ");
        uart_dec(nspurious);
        uart_puts("\n");
    }
    uart_puts("IRQs taken: ");
    uart_dec(nirq);
    uart_puts("\ndone\n");
    psci_system_off();
}

int main(void)
{
    uart_puts("pmuirq: PMUv3 overflow interrupt (PPI 23) at EL1\n");
    write_sysreg(mdcr_el2, (read_sysreg(pmcr_el0) >> 11) & 0x1f);  /* HPMN = N */
    WR(ICC_SRE_EL2, 0xf);           /* SRE, DFB, DIB, Enable (EL1 access) */
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~(1ull << 4));    /* IMO = 0 */
    write_sysreg(sctlr_el1, 0x30d00800);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(el1_main, stack_el1_top);
}
