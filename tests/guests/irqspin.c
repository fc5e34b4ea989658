/*
 * irqspin: interrupts must be taken promptly while the PE busy-waits.
 *
 * For each source, with PSTATE.I masked, the GIC is set up for its INTID
 * (group 1, priority 0x80, enabled) and the source is armed so that its
 * interrupt becomes pending at once: SGI 1 to self (ICC_SGI1R_EL1), the
 * PL011's TX interrupt (UARTIMSC.TXIM set, then a byte written to UARTDR),
 * and the EL2 physical (CNTHP, INTID 26), EL1 physical (CNTP, 30), EL1
 * virtual (CNTV, 27) and EL2 virtual (CNTHV, 28, with HCR_EL2.E2H=1) timers
 * with CVAL = 0, i.e. the timer condition already met.  Then IRQs are
 * unmasked and the PE spins
 *
 *     for (i = 0; i < 1000 && !taken; i++)
 *         ;
 *
 * on a flag that the IRQ handler sets after acknowledging the interrupt
 * (ICC_IAR1_EL1), silencing its source and writing ICC_EOIR1_EL1.  One line
 * per source says whether the interrupt was taken within the bound; if it
 * was not, the PE keeps spinning (100,000 more iterations) to tell "taken
 * late" from "never taken".  No iteration count is ever printed: QEMU and
 * hypsim run at different speeds, but both must take every interrupt within
 * the bound.
 *
 * SGIs to other CPUs: CPU 0 starts CPUs 1, 2, 3 with PSCI CPU_ON (on one
 * CPU the first CPU_ON fails and the guest prints "secondaries: none").  Each
 * secondary sets up its stack, vectors, redistributor and CPU interface,
 * unmasks IRQs and waits, first in a WFI loop, later spinning on a memory
 * flag.  CPU 0 sends SGI 2 to each in turn and spins on a flag that the
 * target's handler sets.  These spins execute YIELD in every iteration, as
 * a real spin-wait does (Linux's cpu_relax()): under QEMU's single-threaded
 * TCG (the @smp4 golden is recorded with -accel tcg,thread=single) YIELD is
 * what lets the round-robin scheduler run the other vCPUs; see README.md.
 *
 * All interrupts are taken at EL2 (HCR_EL2.IMO=1).  CPU 0 powers off with
 * PSCI SYSTEM_OFF at the end, whatever the secondaries are doing.
 */
#include "guest.h"
#include "uart.h"

#define NCPU        4
#define SPIN_BOUND  1000u           /* iterations within which an IRQ must be taken */
#define LATE_BOUND  100000u         /* then: taken late, or never */

#define GICD        0x08000000ul
#define GICR0       0x080a0000ul    /* CPU 0's RD_base; 0x20000 per CPU */
#define GICR_STRIDE 0x20000ul
#define UART        0x09000000ul

#define GICD_CTLR       0x0000
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ICPENDR    0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER    0x6000

#define GICR_CTLR       0x0000
#define GICR_WAKER      0x0014
#define SGI_BASE        0x10000     /* the SGI frame follows RD_base */
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ICPENDR0   0x0280
#define GICR_IPRIORITYR 0x0400

#define UART_DR     0x000
#define UART_IMSC   0x038
#define UART_ICR    0x044
#define UART_TXIM   (1u << 5)

#define HCR_IMO     (1ull << 4)
#define HCR_E2H     (1ull << 34)

/* INTIDs */
#define SGI_SELF    1
#define SGI_OTHER   2
#define SGI_WAKE    3
#define PPI_CNTHP   26
#define PPI_CNTV    27
#define PPI_CNTHV   28
#define PPI_CNTP    30
#define SPI_UART    33

/* System registers by encoding, so any assembler accepts them */
#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_BPR1_EL1    "S3_0_C12_C12_3"
#define ICC_SGI1R_EL1   "S3_0_C12_C11_5"
#define ICC_CTLR_EL1    "S3_0_C12_C12_4"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2     "S3_4_C12_C9_5"
#define CNTHP_CTL_EL2   "S3_4_C14_C2_1"
#define CNTHP_CVAL_EL2  "S3_4_C14_C2_2"
#define CNTHV_CTL_EL2   "S3_4_C14_C3_1"
#define CNTHV_CVAL_EL2  "S3_4_C14_C3_2"

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(v)) : "memory")

static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void wr64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

static inline void irq_unmask(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void irq_mask(void) { __asm__ volatile("msr daifset, #2\n isb" ::: "memory"); }
static inline void dsb(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("yield" ::: "memory"); }

static uint64_t gicr(unsigned cpu) { return GICR0 + cpu * GICR_STRIDE; }

/* ---- IRQ handling (every CPU; TPIDR_EL2 holds the CPU number) ---- */

static volatile unsigned taken[NCPU];        /* set by the handler */
static volatile uint32_t taken_intid[NCPU];
static volatile unsigned spurious[NCPU];

static void silence(uint32_t intid)
{
    switch (intid) {
    case SPI_UART:
        wr32(UART + UART_IMSC, 0);
        wr32(UART + UART_ICR, UART_TXIM);
        break;
    case PPI_CNTHP: WR(CNTHP_CTL_EL2, 0); break;
    case PPI_CNTP:  write_sysreg(cntp_ctl_el0, 0); break;
    case PPI_CNTV:  write_sysreg(cntv_ctl_el0, 0); break;   /* only with E2H=0 */
    case PPI_CNTHV: WR(CNTHV_CTL_EL2, 0); break;
    default: break;                                          /* SGIs: edge */
    }
    isb();
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    if (VEC_KIND(idx) != 1)
        guest_unexpected("EL2", idx, read_sysreg(esr_el2), f->elr);
    unsigned cpu = read_sysreg(tpidr_el2) & (NCPU - 1);
    uint32_t intid = RD(ICC_IAR1_EL1) & 0xffffff;
    if (intid >= 1020) {
        spurious[cpu]++;
        return;
    }
    silence(intid);
    WR(ICC_EOIR1_EL1, intid);
    isb();
    taken_intid[cpu] = intid;
    dsb();
    taken[cpu] = 1;
    dsb();
}

/* ---- the spins ---- */

/* The bounded busy-wait: nonzero if the flag was seen within the bound. */
static int spin(volatile unsigned *flag)
{
    unsigned i;
    for (i = 0; i < SPIN_BOUND && !*flag; i++)
        ;
    return i < SPIN_BOUND;
}

/* The same with YIELD in the loop (waiting for another CPU). */
static int spin_relax(volatile unsigned *flag)
{
    unsigned i;
    for (i = 0; i < SPIN_BOUND && !*flag; i++)
        cpu_relax();
    return i < SPIN_BOUND;
}

static int wait_late(volatile unsigned *flag)
{
    unsigned i;
    for (i = 0; i < LATE_BOUND && !*flag; i++)
        cpu_relax();
    return i < LATE_BOUND;
}

/* The rest of a result line, after "name: ".  IRQs are masked again. */
static void verdict(unsigned cpu, uint32_t intid, int in_bound, int late)
{
    if (taken[cpu] && taken_intid[cpu] != intid) {
        uart_puts("*** wrong INTID ");
        uart_dec(taken_intid[cpu]);
        uart_puts("\n");
    } else if (in_bound) {
        uart_puts("taken\n");
    } else {
        uart_puts("NOT taken within 1000 iterations");
        uart_puts(late ? " (taken later)\n" : " (never taken)\n");
    }
}

/* ---- GIC set-up ---- */

static void gicd_rwp(void)
{
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
}

static void gicr_rwp(unsigned cpu)
{
    while (rd32(gicr(cpu) + GICR_CTLR) & (1u << 3))
        ;
}

/* This CPU's redistributor and CPU interface: SGIs/PPIs group 1, priority
 * 0x80, all disabled; ICC_* for group 1 at EL2. */
static void gic_cpu_init(unsigned cpu)
{
    uint64_t rd = gicr(cpu), sgi = rd + SGI_BASE;

    wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~2u);     /* ProcessorSleep */
    while (rd32(rd + GICR_WAKER) & 4)                        /* ChildrenAsleep */
        ;
    wr32(sgi + GICR_ICENABLER0, 0xffffffff);
    gicr_rwp(cpu);
    wr32(sgi + GICR_ICPENDR0, 0xffffffff);
    wr32(sgi + GICR_IGROUPR0, 0xffffffff);
    for (unsigned i = 0; i < 32; i++)
        wr8(sgi + GICR_IPRIORITYR + i, 0x80);

    WR(ICC_SRE_EL2, 0xf);           /* SRE, DFB, DIB, Enable */
    isb();
    WR(ICC_PMR_EL1, 0xf0);
    WR(ICC_BPR1_EL1, 0);
    WR(ICC_CTLR_EL1, 0);            /* EOImode 0 */
    WR(ICC_IGRPEN1_EL1, 1);
    isb();
}

static void gic_init(void)
{
    wr32(GICD + GICD_CTLR, 0);
    gicd_rwp();
    wr32(GICD + GICD_CTLR, (1u << 4) | 3);  /* ARE, EnableGrp1, EnableGrp0 */
    gicd_rwp();
    /* SPI 33 (the UART): group 1, priority 0x80, to CPU 0, disabled */
    wr32(GICD + GICD_ICENABLER + 4, 1u << (SPI_UART - 32));
    gicd_rwp();
    wr32(GICD + GICD_ICPENDR + 4, 1u << (SPI_UART - 32));
    wr32(GICD + GICD_IGROUPR + 4, rd32(GICD + GICD_IGROUPR + 4) | 1u << (SPI_UART - 32));
    wr8(GICD + GICD_IPRIORITYR + SPI_UART, 0x80);
    wr64(GICD + GICD_IROUTER + 8 * SPI_UART, 0);
    gic_cpu_init(0);
}

static void intid_enable(unsigned cpu, uint32_t intid)
{
    if (intid < 32)
        wr32(gicr(cpu) + SGI_BASE + GICR_ISENABLER0, 1u << intid);
    else
        wr32(GICD + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
    dsb();
}

static void intid_disable(unsigned cpu, uint32_t intid)
{
    if (intid < 32) {
        wr32(gicr(cpu) + SGI_BASE + GICR_ICENABLER0, 1u << intid);
        gicr_rwp(cpu);
        wr32(gicr(cpu) + SGI_BASE + GICR_ICPENDR0, 1u << intid);
    } else {
        wr32(GICD + GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
        gicd_rwp();
        wr32(GICD + GICD_ICPENDR + 4 * (intid / 32), 1u << (intid % 32));
    }
    dsb();
}

/* ---- the local sources (CPU 0) ---- */

static void arm_sgi_self(void)
{
    /* Aff3.Aff2.Aff1 = 0, TargetList = Aff0 0 (CPU 0), IRM = 0 */
    WR(ICC_SGI1R_EL1, ((uint64_t)SGI_SELF << 24) | 1);
    isb();
}

static void arm_uart(void)
{
    /* TX interrupt cleared and unmasked, then a byte sent: the (empty) TX
     * FIFO is at or below its trigger level again, which raises TXRIS --
     * in QEMU's pl011 and in hypsim's alike.  The byte is the ':' after
     * the name on the result line. */
    wr32(UART + UART_ICR, UART_TXIM);
    wr32(UART + UART_IMSC, UART_TXIM);
    uart_putc(':');
}

static void arm_cnthp(void)
{
    WR(CNTHP_CVAL_EL2, 0);          /* condition met: count >= 0 */
    WR(CNTHP_CTL_EL2, 1);           /* ENABLE, IMASK=0 */
    isb();
}

static void arm_cntp(void)
{
    write_sysreg(cntp_cval_el0, 0);
    write_sysreg(cntp_ctl_el0, 1);
    isb();
}

static void arm_cntv(void)
{
    write_sysreg(cntv_cval_el0, 0);
    write_sysreg(cntv_ctl_el0, 1);
    isb();
}

static void arm_cnthv(void)
{
    WR(CNTHV_CVAL_EL2, 0);
    WR(CNTHV_CTL_EL2, 1);
    isb();
}

struct source {
    const char *name;       /* printed up to the ':' */
    uint32_t intid;
    void (*arm)(void);
    int prints_colon;       /* arm() writes the ':' itself */
};

static void run_local(const struct source *s)
{
    taken[0] = 0;
    taken_intid[0] = ~0u;
    intid_enable(0, s->intid);
    uart_puts(s->name);
    if (!s->prints_colon)
        uart_putc(':');
    s->arm();

    irq_unmask();
    int in_bound = spin(&taken[0]);
    int late = in_bound || wait_late(&taken[0]);
    irq_mask();

    /* Leave nothing behind, whatever happened. */
    silence(s->intid);
    intid_disable(0, s->intid);

    uart_putc(' ');
    verdict(0, s->intid, in_bound, late);
}

/* ---- secondaries ---- */

uint8_t sec_stacks[NCPU][8192] __attribute__((aligned(16), used));
static volatile unsigned sec_ready[NCPU];
static volatile unsigned sec_mode;          /* 0: WFI loop, 1: spin */
static volatile unsigned sec_spinning[NCPU];

void secondary_entry(void);
void secondary_main(uint64_t cpu) __attribute__((noreturn, used));

/*
 * PSCI CPU_ON entry (EL2, MMU off, x0 = context = CPU number): the same
 * SCTLR_EL2 as start.S, HCR_EL2 = RW | IMO, EL2 vectors, DAIF masked, a
 * stack of its own (sec_stacks[cpu]), TPIDR_EL2 = the CPU number.
 */
__asm__(
    "    .text\n"
    "    .balign 4\n"
    "    .global secondary_entry\n"
    "    .type secondary_entry, %function\n"
    "secondary_entry:\n"
    "    msr     daifset, #0xf\n"
    "    movz    x1, #0x0832\n"
    "    movk    x1, #0x30c5, lsl #16\n"
    "    msr     sctlr_el2, x1\n"
    "    movz    x1, #0x0010\n"
    "    movk    x1, #0x8000, lsl #16\n"
    "    msr     hcr_el2, x1\n"
    "    adrp    x1, vectors_el2\n"
    "    add     x1, x1, :lo12:vectors_el2\n"
    "    msr     vbar_el2, x1\n"
    "    msr     tpidr_el2, x0\n"
    "    isb\n"
    "    adrp    x1, sec_stacks\n"
    "    add     x1, x1, :lo12:sec_stacks\n"
    "    add     x2, x0, #1\n"
    "    add     x1, x1, x2, lsl #13\n"
    "    mov     sp, x1\n"
    "    mov     x29, #0\n"
    "    mov     x30, #0\n"
    "    b       secondary_main\n"
    "    .size secondary_entry, . - secondary_entry\n");

void secondary_main(uint64_t cpu)
{
    gic_cpu_init(cpu);
    intid_enable(cpu, SGI_OTHER);
    intid_enable(cpu, SGI_WAKE);
    dsb();
    sec_ready[cpu] = 1;
    dsb();
    irq_unmask();
    for (;;) {
        if (sec_mode) {
            sec_spinning[cpu] = 1;
            while (sec_mode)
                cpu_relax();
            sec_spinning[cpu] = 0;
        } else {
            __asm__ volatile("wfi" ::: "memory");
        }
    }
}

/* Wait (IRQs masked, YIELD in the loop) for another CPU to set a flag. */
static int wait_flag(volatile unsigned *flag)
{
    for (unsigned i = 0; i < 100000000u; i++) {
        if (*flag)
            return 1;
        cpu_relax();
    }
    return 0;
}

static void sgi_to(unsigned cpu, uint32_t intid)
{
    WR(ICC_SGI1R_EL1, ((uint64_t)intid << 24) | (1u << cpu));
    isb();
}

static void run_remote(unsigned cpu, const char *how)
{
    uart_puts("sgi-cpu");
    uart_dec(cpu);
    uart_puts(" (INTID 2, target ");
    uart_puts(how);
    uart_puts("): ");
    taken[cpu] = 0;
    taken_intid[cpu] = ~0u;
    dsb();
    sgi_to(cpu, SGI_OTHER);
    int in_bound = spin_relax(&taken[cpu]);
    int late = in_bound || wait_late(&taken[cpu]);
    verdict(cpu, SGI_OTHER, in_bound, late);
}

static unsigned start_secondaries(void)
{
    unsigned n = 0;
    for (unsigned cpu = 1; cpu < NCPU; cpu++) {
        int64_t r = (int64_t)psci_call(0xc4000003u, cpu,
                                       (uint64_t)secondary_entry, cpu);
        if (r != 0)
            break;
        if (!wait_flag(&sec_ready[cpu])) {
            uart_puts("*** cpu");
            uart_dec(cpu);
            uart_puts(" did not come up\n");
            break;
        }
        n++;
    }
    return n;
}

static void test_secondaries(void)
{
    unsigned n = start_secondaries();
    if (n == 0) {
        uart_puts("secondaries: none\n");
        return;
    }
    uart_puts("secondaries: ");
    uart_dec(n);
    uart_puts("\n");

    /* Targets idle in a WFI loop. */
    for (unsigned cpu = 1; cpu <= n; cpu++)
        run_remote(cpu, "in WFI");

    /* Targets busy-waiting on sec_mode: wake them with SGI 3 first. */
    sec_mode = 1;
    dsb();
    for (unsigned cpu = 1; cpu <= n; cpu++) {
        sgi_to(cpu, SGI_WAKE);
        if (!wait_flag(&sec_spinning[cpu])) {
            uart_puts("*** cpu");
            uart_dec(cpu);
            uart_puts(" did not start spinning\n");
            return;
        }
    }
    for (unsigned cpu = 1; cpu <= n; cpu++)
        run_remote(cpu, "spinning");
    sec_mode = 0;
    dsb();
}

int main(void)
{
    static const struct source local[] = {
        { "sgi-self (INTID 1)", SGI_SELF, arm_sgi_self, 0 },
        { "pl011-tx (INTID 33)", SPI_UART, arm_uart, 1 },
        { "cnthp (INTID 26)", PPI_CNTHP, arm_cnthp, 0 },
        { "cntp (INTID 30)", PPI_CNTP, arm_cntp, 0 },
        { "cntv (INTID 27)", PPI_CNTV, arm_cntv, 0 },
    };
    static const struct source cnthv = { "cnthv (INTID 28, E2H=1)", PPI_CNTHV,
                                         arm_cnthv, 0 };

    uart_puts("irqspin: interrupts taken while spinning (bound 1000 iterations)\n");
    write_sysreg(tpidr_el2, 0);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_IMO);  /* IRQs to EL2 */
    isb();
    gic_init();

    for (unsigned i = 0; i < sizeof(local) / sizeof(local[0]); i++)
        run_local(&local[i]);

    /* The EL2 virtual timer (FEAT_VHE): E2H=1, TGE=0, IMO=1 */
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_E2H);
    isb();
    run_local(&cnthv);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_E2H);
    isb();

    test_secondaries();

    for (unsigned cpu = 0; cpu < NCPU; cpu++) {
        if (spurious[cpu]) {
            uart_puts("*** spurious IRQs on cpu");
            uart_dec(cpu);
            uart_puts(": ");
            uart_dec(spurious[cpu]);
            uart_puts("\n");
        }
    }
    uart_puts("done\n");
    return 0;
}
