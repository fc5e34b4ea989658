/*
 * gic_timer: GICv3 bring-up the way Linux does it, SGIs and the generic
 * timers' PPIs.
 *
 * EL2: GICD_CTLR (ARE, group enables, RWP), the redistributor's GICR_WAKER
 * handshake, SGI/PPI group, priority and enable in the SGI frame,
 * ICC_SRE_EL2, PMR, IGRPEN1; with HCR_EL2.IMO=1: an SGI to self and the EL2
 * physical timer (CNTHP, INTID 26) taken as IRQs at EL2.
 * EL1 (HCR_EL2.IMO=0, CNTHCTL_EL2.EL1PCEN=1): ICC_SRE_EL1, an SGI to self,
 * the virtual timer (INTID 27) and the EL1 physical timer (INTID 30) waking
 * the PE from WFI, CNTV_CTL_EL0.IMASK suppressing the interrupt while
 * ISTATUS stays 1, priority masking by ICC_PMR_EL1 (ICC_IAR1_EL1 reads 1023),
 * and ICC_CTLR_EL1.EOImode=1 (EOIR drops priority, DIR deactivates).
 *
 * Waiting: interrupts stay masked (PSTATE.I=1) while the guest loops on WFI
 * until ISR_EL1.I shows the IRQ pending; only then is PSTATE.I cleared, so
 * the IRQ is taken at a known point.  No counter or timer value is printed.
 */
#include "guest.h"
#include "uart.h"

#define GICD        0x08000000ul
#define GICR        0x080a0000ul            /* CPU 0: RD_base */
#define GICR_SGI    (GICR + 0x10000)        /* SGI_base */

#define GICD_CTLR       0x0000
#define GICR_WAKER      0x0014
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0   0x0200
#define GICR_ICPENDR0   0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_IPRIORITYR 0x0400

static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

/* ICC registers by encoding, so any assembler accepts them */
#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_HPPIR1_EL1  "S3_0_C12_C12_2"
#define ICC_BPR1_EL1    "S3_0_C12_C12_3"
#define ICC_DIR_EL1     "S3_0_C12_C11_1"
#define ICC_RPR_EL1     "S3_0_C12_C11_3"
#define ICC_SGI1R_EL1   "S3_0_C12_C11_5"
#define ICC_CTLR_EL1    "S3_0_C12_C12_4"
#define ICC_SRE_EL1     "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2     "S3_4_C12_C9_5"
#define CNTHP_TVAL_EL2  "S3_4_C14_C2_0"
#define CNTHP_CTL_EL2   "S3_4_C14_C2_1"

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(v)) : "memory")

static volatile unsigned nirq;
static volatile uint32_t irq_intid;
static volatile uint64_t irq_ctl, irq_rpr, irq_el;
static volatile int eoi_keep_active;

static void handle_irq(unsigned el)
{
    uint32_t intid = RD(ICC_IAR1_EL1) & 0xffffff;
    irq_rpr = RD(ICC_RPR_EL1);
    irq_intid = intid;
    irq_el = el;
    irq_ctl = ~0ull;
    if (intid == 27) {
        irq_ctl = read_sysreg(cntv_ctl_el0);
        write_sysreg(cntv_ctl_el0, 0);
    } else if (intid == 30) {
        irq_ctl = read_sysreg(cntp_ctl_el0);
        write_sysreg(cntp_ctl_el0, 0);
    } else if (intid == 26 && el == 2) {
        irq_ctl = RD(CNTHP_CTL_EL2);
        WR(CNTHP_CTL_EL2, 0);
    }
    isb();
    if (intid < 1020)
        WR(ICC_EOIR1_EL1, intid);   /* EOImode=1: priority drop only */
    isb();
    nirq++;
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    if (VEC_KIND(idx) == 1)
        handle_irq(2);
    else
        guest_unexpected("EL2", idx, read_sysreg(esr_el2), f->elr);
}

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    if (VEC_KIND(idx) == 1)
        handle_irq(1);
    else
        guest_unexpected("EL1", idx, read_sysreg(esr_el1), f->elr);
}

static uint64_t isr_i(void) { return (read_sysreg(isr_el1) >> 7) & 1; }

/* Wait in WFI (IRQs masked) until an IRQ is pending at the PE. */
static void wait_irq_pending(void)
{
    for (unsigned i = 0; i < 1000000 && !isr_i(); i++)
        __asm__ volatile("wfi" ::: "memory");
    if (!isr_i()) {
        uart_puts("*** no IRQ became pending\n");
        psci_system_off();
    }
}

/* Unmask IRQs for a moment: the pending IRQ is taken here. */
static void take_irq(void)
{
    unsigned before = nirq;
    __asm__ volatile("msr daifclr, #2\n isb\n msr daifset, #2\n isb" ::: "memory");
    if (nirq == before) {
        uart_puts("  *** IRQ not taken after unmasking\n");
        return;
    }
    uart_puts("  IRQ taken at EL");
    uart_dec(irq_el);
    uart_puts(": ICC_IAR1_EL1 INTID=");
    uart_dec(irq_intid);
    uart_puts(" ICC_RPR_EL1=");
    uart_hex(irq_rpr);
    if (irq_ctl != ~0ull) {
        uart_puts(" timer CTL in handler=");
        uart_hex(irq_ctl);
        uart_puts(" (ISTATUS=");
        uart_dec((irq_ctl >> 2) & 1);
        uart_puts(")");
    }
    uart_puts("\n");
}

static void show_pending(void)
{
    uart_puts("  ISR_EL1.I=");
    uart_dec(isr_i());
    uart_puts(" ICC_HPPIR1_EL1=");
    uart_dec(RD(ICC_HPPIR1_EL1) & 0xffffff);
    uart_puts("\n");
}

static void send_sgi_self(unsigned intid)
{
    /* Aff3.Aff2.Aff1 = 0, TargetList = CPU with Aff0 0, IRM = 0 */
    WR(ICC_SGI1R_EL1, ((uint64_t)intid << 24) | 1);
    isb();
}

static void wait_gicr_bit(uint64_t reg, unsigned bit, unsigned want)
{
    for (unsigned i = 0; i < 1000000; i++)
        if (((rd32(GICR_SGI + reg) >> bit) & 1) == want)
            return;
    uart_puts("  *** GICR bit did not change\n");
}

static void gic_init(void)
{
    /* Distributor: ARE | EnableGrp1 | EnableGrp0 (single Security state,
     * DS=1), then wait for RWP. */
    wr32(GICD + GICD_CTLR, 0);
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
    wr32(GICD + GICD_CTLR, (1u << 4) | 3);
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
    uart_puts("GICD_CTLR & 0x53 = ");
    uart_hex(rd32(GICD + GICD_CTLR) & 0x53);
    uart_puts(" (ARE, DS, EnableGrp1, EnableGrp0)\n");

    /* Redistributor: put it to sleep (firmware may have left it awake: TF-A
     * does, and so does hypsim, standing in for firmware; QEMU leaves its reset
     * state, asleep), then wake it up. */
    wr32(GICR + GICR_WAKER, rd32(GICR + GICR_WAKER) | 2u);
    while (!(rd32(GICR + GICR_WAKER) & 4))
        ;
    uart_puts("GICR_WAKER & 0x6 before = ");
    uart_hex(rd32(GICR + GICR_WAKER) & 6);
    wr32(GICR + GICR_WAKER, rd32(GICR + GICR_WAKER) & ~2u);
    while (rd32(GICR + GICR_WAKER) & 4)
        ;
    uart_puts(", after clearing ProcessorSleep = ");
    uart_hex(rd32(GICR + GICR_WAKER) & 6);
    uart_puts("\n");

    /* SGIs and PPIs: Group 1, priority 0x80 (SGI 1: 0xa0), enable those
     * used. */
    wr32(GICR_SGI + GICR_ICENABLER0, 0xffffffff);
    wr32(GICR_SGI + GICR_ICPENDR0, 0xffffffff);
    wr32(GICR_SGI + GICR_IGROUPR0, 0xffffffff);
    for (unsigned i = 0; i < 32; i++)
        wr8(GICR_SGI + GICR_IPRIORITYR + i, i == 1 ? 0xa0 : 0x80);
    wr32(GICR_SGI + GICR_ISENABLER0,
         (1u << 0) | (1u << 1) | (1u << 3) | (1u << 26) | (1u << 27) | (1u << 30));
    uart_puts("GICR_ISENABLER0 = ");
    uart_hex(rd32(GICR_SGI + GICR_ISENABLER0));
    uart_puts(", IPRIORITYR SGI1/SGI3 = ");
    uart_hex(*(volatile uint8_t *)(GICR_SGI + GICR_IPRIORITYR + 1));
    uart_puts("/");
    uart_hex(*(volatile uint8_t *)(GICR_SGI + GICR_IPRIORITYR + 3));
    uart_puts("\n");
}

static void el1_main(void)
{
    uart_puts("\n== EL1 ==\nCurrentEL: EL");
    uart_dec(current_el());
    uart_puts("\n");
    WR(ICC_SRE_EL1, RD(ICC_SRE_EL1) | 1);
    isb();
    uart_puts("ICC_SRE_EL1.SRE = ");
    uart_dec(RD(ICC_SRE_EL1) & 1);
    uart_puts("\n");
    WR(ICC_PMR_EL1, 0xf0);
    WR(ICC_CTLR_EL1, 0);            /* EOImode = 0 */
    WR(ICC_IGRPEN1_EL1, 1);
    isb();

    uart_puts("SGI 0 to self via ICC_SGI1R_EL1\n");
    send_sgi_self(0);
    wait_irq_pending();
    show_pending();
    take_irq();

    uart_puts("virtual timer: CNTV_TVAL_EL0=1000, CNTV_CTL_EL0=ENABLE, WFI\n");
    write_sysreg(cntv_tval_el0, 1000);
    write_sysreg(cntv_ctl_el0, 1);
    isb();
    wait_irq_pending();
    uart_puts("  woken: CNTV_CTL_EL0=");
    uart_hex(read_sysreg(cntv_ctl_el0));
    uart_puts("\n");
    show_pending();
    take_irq();
    uart_puts("  after the handler disabled it: CNTV_CTL_EL0=");
    uart_hex(read_sysreg(cntv_ctl_el0) & 3);
    uart_puts(" (ENABLE, IMASK)\n");

    uart_puts("EL1 physical timer: CNTP_TVAL_EL0=1000, CNTP_CTL_EL0=ENABLE, WFI\n");
    write_sysreg(cntp_tval_el0, 1000);
    write_sysreg(cntp_ctl_el0, 1);
    isb();
    wait_irq_pending();
    uart_puts("  woken: CNTP_CTL_EL0=");
    uart_hex(read_sysreg(cntp_ctl_el0));
    uart_puts("\n");
    show_pending();
    take_irq();

    uart_puts("virtual timer with IMASK=1: CNTV_CTL_EL0=ENABLE|IMASK\n");
    write_sysreg(cntv_tval_el0, 1000);
    write_sysreg(cntv_ctl_el0, 3);
    isb();
    for (unsigned i = 0; i < 100000000 && !(read_sysreg(cntv_ctl_el0) & 4); i++)
        ;
    uart_puts("  condition met: CNTV_CTL_EL0=");
    uart_hex(read_sysreg(cntv_ctl_el0));
    uart_puts(" ISR_EL1.I=");
    uart_dec(isr_i());
    uart_puts(" GICR_ISPENDR0[27]=");
    uart_dec((rd32(GICR_SGI + GICR_ISPENDR0) >> 27) & 1);
    uart_puts("\n");
    uart_puts("  clearing IMASK\n");
    write_sysreg(cntv_ctl_el0, 1);
    isb();
    wait_irq_pending();
    show_pending();
    take_irq();

    uart_puts("priority masking: SGI 1 (priority 0xa0) with ICC_PMR_EL1=0x80\n");
    WR(ICC_PMR_EL1, 0x80);
    isb();
    send_sgi_self(1);
    wait_gicr_bit(GICR_ISPENDR0, 1, 1);
    uart_puts("  GICR_ISPENDR0[1]=1 ISR_EL1.I=");
    uart_dec(isr_i());
    uart_puts(" ICC_IAR1_EL1=");
    uart_dec(RD(ICC_IAR1_EL1) & 0xffffff);
    uart_puts(" ICC_PMR_EL1=");
    uart_hex(RD(ICC_PMR_EL1));
    uart_puts("\n  raising ICC_PMR_EL1 to 0xf0\n");
    WR(ICC_PMR_EL1, 0xf0);
    isb();
    wait_irq_pending();
    show_pending();
    take_irq();

    uart_puts("EOImode=1: SGI 3\n");
    WR(ICC_CTLR_EL1, 2);
    isb();
    uart_puts("  ICC_CTLR_EL1.EOImode=");
    uart_dec((RD(ICC_CTLR_EL1) >> 1) & 1);
    uart_puts("\n");
    send_sgi_self(3);
    wait_irq_pending();
    take_irq();
    uart_puts("  after EOIR: ICC_RPR_EL1=");
    uart_hex(RD(ICC_RPR_EL1));
    uart_puts(" GICR_ISACTIVER0[3]=");
    uart_dec((rd32(GICR_SGI + GICR_ISACTIVER0) >> 3) & 1);
    uart_puts("\n  SGI 3 again while active\n");
    send_sgi_self(3);
    wait_gicr_bit(GICR_ISPENDR0, 3, 1);
    uart_puts("  GICR_ISPENDR0[3]=1 ISR_EL1.I=");
    uart_dec(isr_i());
    uart_puts("\n  ICC_DIR_EL1=3\n");
    WR(ICC_DIR_EL1, 3);
    isb();
    wait_irq_pending();
    uart_puts("  GICR_ISACTIVER0[3]=");
    uart_dec((rd32(GICR_SGI + GICR_ISACTIVER0) >> 3) & 1);
    uart_puts("\n");
    take_irq();
    WR(ICC_DIR_EL1, 3);
    isb();
    uart_puts("  ICC_DIR_EL1=3: GICR_ISACTIVER0[3]=");
    uart_dec((rd32(GICR_SGI + GICR_ISACTIVER0) >> 3) & 1);
    uart_puts("\n");
    WR(ICC_CTLR_EL1, 0);
    isb();

    uart_puts("\nIRQs taken: ");
    uart_dec(nirq);
    uart_puts("\npowering off via SMC from EL");
    uart_dec(current_el());
    uart_puts("\n");
    psci_system_off();
}

int main(void)
{
    uart_puts("gic_timer test\n\n== EL2 ==\n");
    gic_init();

    WR(ICC_SRE_EL2, 0xf);           /* SRE, DFB, DIB, Enable (EL1 access) */
    isb();
    WR(ICC_PMR_EL1, 0xf0);
    WR(ICC_BPR1_EL1, 0);
    WR(ICC_CTLR_EL1, 0);
    WR(ICC_IGRPEN1_EL1, 1);
    isb();
    uart_puts("ICC_SRE_EL2 & 0x9 = ");
    uart_hex(RD(ICC_SRE_EL2) & 9);
    uart_puts(", ICC_PMR_EL1 = ");
    uart_hex(RD(ICC_PMR_EL1));
    uart_puts(", ICC_IGRPEN1_EL1 = ");
    uart_dec(RD(ICC_IGRPEN1_EL1));
    uart_puts("\n");

    /* IRQs to EL2 */
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | (1 << 4));
    isb();
    uart_puts("HCR_EL2.IMO=1: SGI 0 to self\n");
    send_sgi_self(0);
    wait_irq_pending();
    show_pending();
    take_irq();

    uart_puts("EL2 physical timer: CNTHP_TVAL_EL2=1000, CNTHP_CTL_EL2=ENABLE, WFI\n");
    WR(CNTHP_TVAL_EL2, 1000);
    WR(CNTHP_CTL_EL2, 1);
    isb();
    wait_irq_pending();
    uart_puts("  woken: CNTHP_CTL_EL2=");
    uart_hex(RD(CNTHP_CTL_EL2));
    uart_puts("\n");
    show_pending();
    take_irq();

    /* IRQs to EL1; EL1 may use the physical timer and counter. */
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~(1ull << 4));
    write_sysreg(cnthctl_el2, read_sysreg(cnthctl_el2) | 3);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(sctlr_el1, 0x30d00800);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(el1_main, stack_el1_top);
}
