/*
 * vgic: the GICv3 virtual CPU interface (ICH_*_EL2 at EL2, ICV_* at EL1).
 *
 * EL2 brings up the GIC like gic_timer (GICD_CTLR, GICR_WAKER, SGI/PPI
 * group 1, priority 0x80), sets ICC_SRE_EL2 (SRE, Enable), its own PMR and
 * IGRPEN1, programs ICH_VMCR_EL2 and ICH_HCR_EL2.En, sets HCR_EL2.IMO/FMO and
 * drops to EL1.  EL1 then runs with its ICC_* accesses going to the ICV_*
 * registers and asks EL2 through HVC to read or write the ICH_* registers
 * (list registers, HCR, VMCR, MISR, EISR, ELRSR):
 *   hvc #0: x0 = ICH register index, returns its value
 *   hvc #1: x0 = ICH register index, x1 = value to write
 * EL1 runs with IRQs and FIQs masked; a virtual interrupt is taken only where
 * the test clears PSTATE.I/F for a moment.  Every trapped access (EC 0x18)
 * is reported by EL2 with ESR_EL2 in full and skipped; the maintenance
 * interrupt (PPI 9 = INTID 25) is taken at EL2 as a physical IRQ.
 *
 * Only architecturally defined values are printed: list registers are
 * written with priorities that are multiples of 8 (5 priority bits are the
 * minimum), ICH_VMCR_EL2 is printed masked to VPMR, VBPR0, VBPR1, VEOIM,
 * VCBPR, VENG1, VENG0, binary points are never set below the minimum for 5
 * preemption bits.
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
#define GICR_ICPENDR0   0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400

static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

/* ICC registers by encoding (ICV_* at EL1 under HCR_EL2.IMO/FMO) */
#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR0_EL1    "S3_0_C12_C8_0"
#define ICC_EOIR0_EL1   "S3_0_C12_C8_1"
#define ICC_HPPIR0_EL1  "S3_0_C12_C8_2"
#define ICC_BPR0_EL1    "S3_0_C12_C8_3"
#define ICC_AP1R0_EL1   "S3_0_C12_C9_0"
#define ICC_DIR_EL1     "S3_0_C12_C11_1"
#define ICC_RPR_EL1     "S3_0_C12_C11_3"
#define ICC_SGI1R_EL1   "S3_0_C12_C11_5"
#define ICC_ASGI1R_EL1  "S3_0_C12_C11_6"
#define ICC_SGI0R_EL1   "S3_0_C12_C11_7"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_HPPIR1_EL1  "S3_0_C12_C12_2"
#define ICC_BPR1_EL1    "S3_0_C12_C12_3"
#define ICC_CTLR_EL1    "S3_0_C12_C12_4"
#define ICC_IGRPEN0_EL1 "S3_0_C12_C12_6"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2     "S3_4_C12_C9_5"

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(v)) : "memory")

/* ICH register indices for the hypercalls */
enum { LR0, LR1, LR2, LR3, HCR, VMCR, MISR, EISR, ELRSR, AP0R0, AP1R0, VTR };
static const char *const ich_name[] = {
    "ICH_LR0_EL2", "ICH_LR1_EL2", "ICH_LR2_EL2", "ICH_LR3_EL2",
    "ICH_HCR_EL2", "ICH_VMCR_EL2", "ICH_MISR_EL2", "ICH_EISR_EL2",
    "ICH_ELRSR_EL2", "ICH_AP0R0_EL2", "ICH_AP1R0_EL2", "ICH_VTR_EL2",
};

/* ICH_LR<n>_EL2 */
#define LR_PENDING  (1ull << 62)
#define LR_ACTIVE   (2ull << 62)
#define LR_HW       (1ull << 61)
#define LR_G1       (1ull << 60)
#define LR_PRIO(p)  ((uint64_t)(p) << 48)
#define LR_PINTID(n) ((uint64_t)(n) << 32)
#define LR_EOI      (1ull << 41)
/* ICH_HCR_EL2 */
#define HCR_EN      (1u << 0)
#define HCR_UIE     (1u << 1)
#define HCR_LRENPIE (1u << 2)
#define HCR_NPIE    (1u << 3)
#define HCR_VGRP0EIE (1u << 4)
#define HCR_VGRP0DIE (1u << 5)
#define HCR_VGRP1EIE (1u << 6)
#define HCR_VGRP1DIE (1u << 7)
#define HCR_TC      (1u << 10)
#define HCR_TALL0   (1u << 11)
#define HCR_TALL1   (1u << 12)
#define HCR_TDIR    (1u << 14)
/* ICH_VMCR_EL2 */
#define VMCR_VENG0  (1u << 0)
#define VMCR_VENG1  (1u << 1)
#define VMCR_VCBPR  (1u << 4)
#define VMCR_VEOIM  (1u << 9)
#define VMCR_VBPR1(n) ((uint64_t)(n) << 18)
#define VMCR_VBPR0(n) ((uint64_t)(n) << 21)
#define VMCR_VPMR(n)  ((uint64_t)(n) << 24)
#define VMCR_MASK   0xfffc0213ull   /* VPMR VBPR0 VBPR1 VEOIM VCBPR VENG1 VENG0 */

/* ---------------- EL2 ---------------- */

static uint64_t ich_read(unsigned r)
{
    switch (r) {
    case LR0: return RD("S3_4_C12_C12_0");
    case LR1: return RD("S3_4_C12_C12_1");
    case LR2: return RD("S3_4_C12_C12_2");
    case LR3: return RD("S3_4_C12_C12_3");
    case HCR: return RD("S3_4_C12_C11_0");
    case VMCR: return RD("S3_4_C12_C11_7") & VMCR_MASK;
    case MISR: return RD("S3_4_C12_C11_2");
    case EISR: return RD("S3_4_C12_C11_3");
    case ELRSR: return RD("S3_4_C12_C11_5");
    case AP0R0: return RD("S3_4_C12_C8_0");
    case AP1R0: return RD("S3_4_C12_C9_0");
    case VTR: return RD("S3_4_C12_C11_1");
    }
    return ~0ull;
}

static void ich_write(unsigned r, uint64_t v)
{
    switch (r) {
    case LR0: WR("S3_4_C12_C12_0", v); break;
    case LR1: WR("S3_4_C12_C12_1", v); break;
    case LR2: WR("S3_4_C12_C12_2", v); break;
    case LR3: WR("S3_4_C12_C12_3", v); break;
    case HCR: WR("S3_4_C12_C11_0", v); break;
    case VMCR: WR("S3_4_C12_C11_7", v); break;
    case AP0R0: WR("S3_4_C12_C8_0", v); break;
    case AP1R0: WR("S3_4_C12_C9_0", v); break;
    }
    isb();
}

static volatile unsigned maint_count;
static volatile unsigned trap_count;

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);

    if (idx == VEC_LOWER_A64 + 1) {
        /* Physical IRQ from EL1: the maintenance interrupt. */
        uint32_t intid = RD(ICC_IAR1_EL1) & 0xffffff;
        uint64_t misr = ich_read(MISR);
        uart_puts("    EL2: physical IRQ, ICC_IAR1_EL1 INTID=");
        uart_dec(intid);
        uart_puts(" ICH_MISR_EL2=");
        uart_hex(misr);
        uart_puts("\n");
        /* Clear the conditions: no more maintenance enables, no EOI
         * requests left in the list registers. */
        ich_write(HCR, ich_read(HCR) & ~0xfeull);
        for (unsigned n = LR0; n <= LR3; n++)
            if (ich_read(EISR) & (1u << n))
                ich_write(n, 0);
        uart_puts("    EL2: cleared, ICH_MISR_EL2=");
        uart_hex(ich_read(MISR));
        uart_puts("\n");
        if (intid < 1020)
            WR(ICC_EOIR1_EL1, intid);
        isb();
        maint_count++;
        return;
    }
    if (idx == VEC_LOWER_A64 && ESR_EC(esr) == 0x16) {
        switch (esr & 0xffff) {
        case 0: f->x[0] = ich_read(f->x[0]); return;
        case 1: ich_write(f->x[0], f->x[1]); return;
        }
    }
    if (idx == VEC_LOWER_A64 && ESR_EC(esr) == 0x18) {
        uart_puts("    trapped to EL2: ESR_EL2=");
        uart_hex32(esr);
        uart_puts(" (");
        uart_puts(esr & 1 ? "MRS" : "MSR");
        uart_puts(" op0=3 op1=");
        uart_dec((esr >> 14) & 7);
        uart_puts(" CRn=");
        uart_dec((esr >> 10) & 15);
        uart_puts(" CRm=");
        uart_dec((esr >> 1) & 15);
        uart_puts(" op2=");
        uart_dec((esr >> 17) & 7);
        uart_puts(" Rt=");
        uart_dec((esr >> 5) & 31);
        uart_puts(")\n");
        if ((esr & 1) && ((esr >> 5) & 31) < 31)
            f->x[(esr >> 5) & 31] = 0x5555;
        f->elr += 4;
        trap_count++;
        return;
    }
    guest_unexpected("EL2", idx, esr, f->elr);
}

/* ---------------- EL1 ---------------- */

static uint64_t hv_read(unsigned r)
{
    register uint64_t x0 __asm__("x0") = r;
    __asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
    return x0;
}

static void hv_write(unsigned r, uint64_t v)
{
    register uint64_t x0 __asm__("x0") = r;
    register uint64_t x1 __asm__("x1") = v;
    __asm__ volatile("hvc #1" : "+r"(x0) : "r"(x1) : "memory");
}

static void show(unsigned r)
{
    uart_puts("  ");
    uart_puts(ich_name[r]);
    uart_puts("=");
    uart_hex(hv_read(r));
    uart_puts("\n");
}

static void show_lrs(void)
{
    for (unsigned n = LR0; n <= LR3; n++)
        show(n);
}

static void clear_lrs(void)
{
    for (unsigned n = LR0; n <= LR3; n++)
        hv_write(n, 0);
}

static volatile unsigned nirq, nfiq;
static volatile uint32_t irq_intid, irq_rpr;
static volatile int irq_no_eoi;

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    if (idx == VEC_CUR_SPX + 1) {
        uint32_t intid = RD(ICC_IAR1_EL1) & 0xffffff;
        irq_rpr = RD(ICC_RPR_EL1);
        irq_intid = intid;
        uart_puts("    vIRQ taken at EL1: ICV_IAR1_EL1=");
        uart_dec(intid);
        uart_puts(" ICV_RPR_EL1=");
        uart_hex(irq_rpr);
        uart_puts(" LR state in handler=");
        for (unsigned n = LR0; n <= LR3; n++) {
            uint64_t lr = hv_read(n);
            if ((uint32_t)lr == intid)
                uart_dec(lr >> 62);
        }
        uart_puts("\n");
        if (intid < 1020 && !irq_no_eoi)
            WR(ICC_EOIR1_EL1, intid);
        isb();
        nirq++;
        return;
    }
    if (idx == VEC_CUR_SPX + 2) {
        uint32_t intid = RD(ICC_IAR0_EL1) & 0xffffff;
        uart_puts("    vFIQ taken at EL1: ICV_IAR0_EL1=");
        uart_dec(intid);
        uart_puts(" ICV_RPR_EL1=");
        uart_hex(RD(ICC_RPR_EL1));
        uart_puts("\n");
        if (intid < 1020)
            WR(ICC_EOIR0_EL1, intid);
        isb();
        nfiq++;
        return;
    }
    guest_unexpected("EL1", idx, read_sysreg(esr_el1), f->elr);
}

static uint64_t isr(void) { return read_sysreg(isr_el1); }

static void show_isr(void)
{
    uint64_t v = isr();
    uart_puts("  ISR_EL1.I=");
    uart_dec((v >> 7) & 1);
    uart_puts(" ISR_EL1.F=");
    uart_dec((v >> 6) & 1);
    uart_puts("\n");
}

static void take_irq(void)
{
    unsigned before = nirq;
    __asm__ volatile("msr daifclr, #2\n isb\n msr daifset, #2\n isb" ::: "memory");
    if (nirq == before)
        uart_puts("    no vIRQ taken\n");
}

static void take_fiq(void)
{
    unsigned before = nfiq;
    __asm__ volatile("msr daifclr, #1\n isb\n msr daifset, #1\n isb" ::: "memory");
    if (nfiq == before)
        uart_puts("    no vFIQ taken\n");
}

static uint32_t iar1(void)
{
    uint32_t v = RD(ICC_IAR1_EL1) & 0xffffff;
    uart_puts("  ICV_IAR1_EL1=");
    uart_dec(v);
    uart_puts(" ICV_RPR_EL1=");
    uart_hex(RD(ICC_RPR_EL1));
    uart_puts(" AP1R0!=0:");
    uart_dec(RD(ICC_AP1R0_EL1) != 0);
    uart_puts("\n");
    return v;
}

static void eoir1(uint32_t v)
{
    WR(ICC_EOIR1_EL1, v);
    isb();
    uart_puts("  ICV_EOIR1_EL1 <- ");
    uart_dec(v);
    uart_puts(": ICV_RPR_EL1=");
    uart_hex(RD(ICC_RPR_EL1));
    uart_puts("\n");
}

static void hppir1(void)
{
    uart_puts("  ICV_HPPIR1_EL1=");
    uart_dec(RD(ICC_HPPIR1_EL1) & 0xffffff);
    uart_puts("\n");
}

static uint32_t isactive(unsigned intid)
{
    return (rd32(GICR_SGI + GICR_ISACTIVER0) >> intid) & 1;
}

static void wait_maint(unsigned before)
{
    for (unsigned i = 0; i < 100000 && maint_count == before; i++)
        __asm__ volatile("isb" ::: "memory");
    if (maint_count == before)
        uart_puts("    no maintenance interrupt\n");
}

#define BASE_VMCR (VMCR_VPMR(0xf0) | VMCR_VBPR0(2) | VMCR_VBPR1(3) | VMCR_VENG1)

static void el1_main(void)
{
    uart_puts("\n== EL1 (HCR_EL2.IMO=FMO=1) ==\n");

    /* ---- register views ---- */
    uart_puts("ICV_CTLR_EL1 vs ICH_VTR_EL2 (PRIbits, IDbits, SEIS, A3V): ");
    {
        uint64_t ctlr = RD(ICC_CTLR_EL1), vtr = hv_read(VTR);
        int ok = ((ctlr >> 8) & 7) == ((vtr >> 29) & 7) &&
                 ((ctlr >> 11) & 7) == ((vtr >> 23) & 7) &&
                 ((ctlr >> 14) & 1) == ((vtr >> 22) & 1) &&
                 ((ctlr >> 15) & 1) == ((vtr >> 21) & 1);
        uart_puts(ok ? "match\n" : "MISMATCH\n");
        uart_puts("ICV_CTLR_EL1 EOImode/CBPR = ");
        uart_dec((ctlr >> 1) & 1);
        uart_puts("/");
        uart_dec(ctlr & 1);
        uart_puts("\n");
    }
    uart_puts("ICV_PMR_EL1=");
    uart_hex(RD(ICC_PMR_EL1));
    uart_puts(" ICV_BPR0_EL1=");
    uart_dec(RD(ICC_BPR0_EL1));
    uart_puts(" ICV_BPR1_EL1=");
    uart_dec(RD(ICC_BPR1_EL1));
    uart_puts(" ICV_IGRPEN0_EL1=");
    uart_dec(RD(ICC_IGRPEN0_EL1));
    uart_puts(" ICV_IGRPEN1_EL1=");
    uart_dec(RD(ICC_IGRPEN1_EL1));
    uart_puts(" ICV_RPR_EL1=");
    uart_hex(RD(ICC_RPR_EL1));
    uart_puts("\n");
    uart_puts("write ICV_PMR=0xe8 BPR0=4 BPR1=5 IGRPEN0=1 IGRPEN1=0 CTLR=EOImode:\n");
    WR(ICC_PMR_EL1, 0xe8);
    WR(ICC_BPR0_EL1, 4);
    WR(ICC_BPR1_EL1, 5);
    WR(ICC_IGRPEN0_EL1, 1);
    WR(ICC_IGRPEN1_EL1, 0);
    WR(ICC_CTLR_EL1, 2);
    isb();
    show(VMCR);
    uart_puts("ICV_CTLR_EL1=CBPR: ICV_BPR1_EL1 reads BPR0+1 = ");
    WR(ICC_CTLR_EL1, 1);
    isb();
    uart_dec(RD(ICC_BPR1_EL1));
    WR(ICC_BPR1_EL1, 7);      /* ignored with CBPR */
    isb();
    uart_puts(", after writing 7: ");
    uart_dec(RD(ICC_BPR1_EL1));
    uart_puts("\n");
    show(VMCR);
    hv_write(VMCR, BASE_VMCR);
    uart_puts("EL2 wrote ICH_VMCR_EL2: ICV_PMR_EL1=");
    uart_hex(RD(ICC_PMR_EL1));
    uart_puts(" ICV_BPR1_EL1=");
    uart_dec(RD(ICC_BPR1_EL1));
    uart_puts(" ICV_IGRPEN1_EL1=");
    uart_dec(RD(ICC_IGRPEN1_EL1));
    uart_puts(" ICV_CTLR_EL1.EOImode=");
    uart_dec((RD(ICC_CTLR_EL1) >> 1) & 1);
    uart_puts("\n");

    /* ---- delivery ---- */
    uart_puts("\nLR0: pending Group 1 vINTID 40 priority 0x80\n");
    show_isr();
    hv_write(LR0, LR_PENDING | LR_G1 | LR_PRIO(0x80) | 40);
    show_isr();
    hppir1();
    show(ELRSR);
    take_irq();
    show(LR0);
    show(ELRSR);
    show_isr();

    /* ---- priority order, ties, PMR, running priority ---- */
    uart_puts("\nLR0..3: vINTID 50 @0xa0, 51 @0x90, 52 @0x90, 53 @0xc0 (all G1 pending)\n");
    hv_write(LR0, LR_PENDING | LR_G1 | LR_PRIO(0xa0) | 50);
    hv_write(LR1, LR_PENDING | LR_G1 | LR_PRIO(0x90) | 51);
    hv_write(LR2, LR_PENDING | LR_G1 | LR_PRIO(0x90) | 52);
    hv_write(LR3, LR_PENDING | LR_G1 | LR_PRIO(0xc0) | 53);
    hppir1();
    uint32_t a = iar1();
    show(LR1);
    hppir1();
    uart_puts("same group priority 0x90 is running:\n");
    iar1();
    show_isr();
    eoir1(a);
    show(LR1);
    show(ELRSR);
    a = iar1();
    uart_puts("EOI of special INTID 1023 is ignored:\n");
    eoir1(1023);
    eoir1(a);
    eoir1(iar1());
    uart_puts("ICV_PMR_EL1=0xc0 masks vINTID 53 @0xc0:\n");
    WR(ICC_PMR_EL1, 0xc0);
    isb();
    show_isr();
    hppir1();
    iar1();
    WR(ICC_PMR_EL1, 0xc8);
    isb();
    uart_puts("ICV_PMR_EL1=0xc8:\n");
    show_isr();
    eoir1(iar1());
    show_lrs();
    show(ELRSR);
    WR(ICC_PMR_EL1, 0xf0);
    isb();

    uart_puts("\npreemption and ICV_BPR1_EL1: vINTID 60 @0x90, then 61 @0x88\n");
    hv_write(LR0, LR_PENDING | LR_G1 | LR_PRIO(0x90) | 60);
    a = iar1();
    hv_write(LR1, LR_PENDING | LR_G1 | LR_PRIO(0x88) | 61);
    uart_puts("BPR1=3 (group priority [7:3]): 0x88 preempts 0x90\n");
    show_isr();
    take_irq();
    eoir1(a);
    uart_puts("BPR1=5 (group priority [7:5]): 0x88 does not preempt 0x90\n");
    WR(ICC_BPR1_EL1, 5);
    isb();
    hv_write(LR0, LR_PENDING | LR_G1 | LR_PRIO(0x90) | 60);
    a = iar1();
    hv_write(LR1, LR_PENDING | LR_G1 | LR_PRIO(0x88) | 61);
    show_isr();
    hppir1();
    iar1();
    eoir1(a);
    show_isr();
    take_irq();
    WR(ICC_BPR1_EL1, 3);
    isb();
    show_lrs();

    uart_puts("\ngroup enables: LR0 Group 0 vINTID 70 @0x80 (VENG0=0), LR1 Group 1 vINTID 71 @0xa0\n");
    clear_lrs();
    hv_write(LR0, LR_PENDING | LR_PRIO(0x80) | 70);
    hv_write(LR1, LR_PENDING | LR_G1 | LR_PRIO(0xa0) | 71);
    show_isr();
    hppir1();
    uart_puts("  ICV_HPPIR0_EL1=");
    uart_dec(RD(ICC_HPPIR0_EL1) & 0xffffff);
    uart_puts("\n");
    take_irq();
    uart_puts("ICV_IGRPEN0_EL1=1: vINTID 70 signalled as vFIQ\n");
    WR(ICC_IGRPEN0_EL1, 1);
    isb();
    show_isr();
    uart_puts("  ICV_HPPIR0_EL1=");
    uart_dec(RD(ICC_HPPIR0_EL1) & 0xffffff);
    uart_puts("\n");
    hppir1();
    uart_puts("  ICV_IAR1_EL1 (group mismatch)=");
    uart_dec(RD(ICC_IAR1_EL1) & 0xffffff);
    uart_puts("\n");
    take_fiq();
    show_lrs();
    WR(ICC_IGRPEN0_EL1, 0);
    isb();
    clear_lrs();

    /* ---- EOImode = 1 ---- */
    uart_puts("\nEOImode=1 (ICV_CTLR_EL1.EOImode): vINTID 80 @0xa0\n");
    WR(ICC_CTLR_EL1, 2);
    isb();
    show(VMCR);
    hv_write(LR0, LR_PENDING | LR_G1 | LR_PRIO(0xa0) | 80);
    a = iar1();
    eoir1(a);
    show(LR0);
    uart_puts("  ICV_DIR_EL1 <- 80\n");
    WR(ICC_DIR_EL1, a);
    isb();
    show(LR0);
    WR(ICC_CTLR_EL1, 0);
    isb();
    clear_lrs();

    /* ---- maintenance status registers ---- */
    uart_puts("\nmaintenance status (read at EL2; PPI 25 still disabled)\n");
    hv_write(LR0, LR_PENDING | LR_G1 | LR_EOI | LR_PRIO(0xa0) | 90);
    hv_write(LR1, LR_PENDING | LR_G1 | LR_PRIO(0xa0) | 91);
    hv_write(LR2, LR_PENDING | LR_HW | LR_G1 | LR_PINTID(1) | LR_PRIO(0xb0) | 92);
    show(EISR);
    show(ELRSR);
    show(MISR);
    uart_puts("acknowledge and EOI vINTID 90 (LR.EOI=1) and 91:\n");
    eoir1(iar1());
    eoir1(iar1());
    show(EISR);
    show(ELRSR);
    show(MISR);
    uart_puts("ICH_HCR_EL2 = En|UIE|NPIE (one valid LR left, pending):\n");
    hv_write(HCR, HCR_EN | HCR_UIE | HCR_NPIE);
    show(MISR);
    uart_puts("LR2 made active (not pending):\n");
    hv_write(LR2, LR_ACTIVE | LR_HW | LR_G1 | LR_PINTID(1) | LR_PRIO(0xb0) | 92);
    show(MISR);
    uart_puts("LR1 pending again (two valid LRs):\n");
    hv_write(LR1, LR_PENDING | LR_G1 | LR_PRIO(0xa0) | 91);
    show(MISR);
    clear_lrs();
    uart_puts("LRENPIE: EOI of vINTID 93 after EL2 removed its LR:\n");
    hv_write(HCR, HCR_EN | HCR_LRENPIE);
    hv_write(LR0, LR_PENDING | LR_G1 | LR_PRIO(0xa0) | 93);
    a = iar1();
    hv_write(LR0, 0);
    show(MISR);
    eoir1(a);
    show(HCR);
    show(MISR);
    uart_puts("VGrp enables (ICH_HCR_EL2 = En|VGrp0EIE|VGrp1EIE|VGrp1DIE):\n");
    hv_write(HCR, HCR_EN | HCR_VGRP0EIE | HCR_VGRP1EIE | HCR_VGRP1DIE);
    uart_puts("  VENG0=0 VENG1=1: ");
    show(MISR);
    WR(ICC_IGRPEN1_EL1, 0);
    WR(ICC_IGRPEN0_EL1, 1);
    isb();
    uart_puts("  VENG0=1 VENG1=0: ");
    show(MISR);
    WR(ICC_IGRPEN0_EL1, 0);
    isb();
    hv_write(HCR, HCR_EN | HCR_VGRP0DIE | HCR_VGRP1DIE);
    uart_puts("  VGrp0DIE|VGrp1DIE, VENG0=0 VENG1=0: ");
    show(MISR);
    WR(ICC_IGRPEN1_EL1, 1);
    isb();
    hv_write(HCR, HCR_EN);

    /* ---- the maintenance interrupt ---- */
    uart_puts("\nmaintenance interrupt: GICR_ISENABLER0[25]=1\n");
    wr32(GICR_SGI + GICR_ISENABLER0, 1u << 25);
    unsigned before = maint_count;
    uart_puts("  ICH_HCR_EL2 = En|UIE with no valid LR\n");
    hv_write(HCR, HCR_EN | HCR_UIE);
    wait_maint(before);
    before = maint_count;
    uart_puts("  EOI maintenance: LR0 vINTID 94 with EOI=1\n");
    hv_write(LR0, LR_PENDING | LR_G1 | LR_EOI | LR_PRIO(0xa0) | 94);
    a = iar1();
    WR(ICC_EOIR1_EL1, a);
    isb();
    wait_maint(before);
    show(LR0);
    before = maint_count;
    uart_puts("  ICV_IGRPEN1_EL1=0 with VGrp1DIE\n");
    hv_write(HCR, HCR_EN | HCR_VGRP1DIE);
    WR(ICC_IGRPEN1_EL1, 0);
    isb();
    wait_maint(before);
    WR(ICC_IGRPEN1_EL1, 1);
    isb();
    show(HCR);
    wr32(GICR_SGI + GICR_ICENABLER0, 1u << 25);

    /* ---- hardware interrupts ---- */
    uart_puts("\nHW=1: LR0 vINTID 27 -> physical SGI 8 (made active in GICR_ISACTIVER0)\n");
    wr32(GICR_SGI + GICR_ISACTIVER0, 1u << 8);
    hv_write(LR0, LR_PENDING | LR_HW | LR_G1 | LR_PINTID(8) | LR_PRIO(0xa0) | 27);
    uart_puts("  GICR_ISACTIVER0[8]=");
    uart_dec(isactive(8));
    uart_puts("\n");
    take_irq();
    uart_puts("  after EOIR: GICR_ISACTIVER0[8]=");
    uart_dec(isactive(8));
    uart_puts("\n");
    show(LR0);
    show(ELRSR);
    uart_puts("HW=1 with EOImode=1: vINTID 28 -> physical PPI 23\n");
    WR(ICC_CTLR_EL1, 2);
    isb();
    wr32(GICR_SGI + GICR_ISACTIVER0, 1u << 23);
    hv_write(LR0, LR_PENDING | LR_HW | LR_G1 | LR_PINTID(23) | LR_PRIO(0xa0) | 28);
    take_irq();
    uart_puts("  after EOIR: GICR_ISACTIVER0[23]=");
    uart_dec(isactive(23));
    uart_puts("\n");
    show(LR0);
    WR(ICC_DIR_EL1, 28);
    isb();
    uart_puts("  after ICV_DIR_EL1: GICR_ISACTIVER0[23]=");
    uart_dec(isactive(23));
    uart_puts("\n");
    show(LR0);
    WR(ICC_CTLR_EL1, 0);
    isb();
    clear_lrs();

    /* ---- traps ---- */
    uart_puts("\ntraps\n");
    uart_puts("ICC_SGI1R_EL1 (IMO=1):\n");
    __asm__ volatile("mov x9, #1\n msr " ICC_SGI1R_EL1 ", x9" ::: "x9", "memory");
    uart_puts("ICC_SGI0R_EL1:\n");
    __asm__ volatile("mov x9, #1\n msr " ICC_SGI0R_EL1 ", x9" ::: "x9", "memory");
    uart_puts("ICC_ASGI1R_EL1:\n");
    __asm__ volatile("mov x9, #1\n msr " ICC_ASGI1R_EL1 ", x9" ::: "x9", "memory");
    uart_puts("TALL1: ICC_IAR1_EL1, ICC_BPR1_EL1 write, ICC_PMR_EL1 (not trapped)\n");
    hv_write(HCR, HCR_EN | HCR_TALL1);
    __asm__ volatile("mrs x10, " ICC_IAR1_EL1 ::: "x10", "memory");
    __asm__ volatile("mov x11, #3\n msr " ICC_BPR1_EL1 ", x11" ::: "x11", "memory");
    uart_puts("  ICV_PMR_EL1=");
    uart_hex(RD(ICC_PMR_EL1));
    uart_puts("\n");
    uart_puts("TALL0: ICC_HPPIR0_EL1, ICC_IAR1_EL1 (not trapped)\n");
    hv_write(HCR, HCR_EN | HCR_TALL0);
    __asm__ volatile("mrs x12, " ICC_HPPIR0_EL1 ::: "x12", "memory");
    uart_puts("  ICV_IAR1_EL1=");
    uart_dec(RD(ICC_IAR1_EL1) & 0xffffff);
    uart_puts("\n");
    uart_puts("TC: ICC_PMR_EL1, ICC_CTLR_EL1 write, ICC_RPR_EL1, ICC_DIR_EL1\n");
    hv_write(HCR, HCR_EN | HCR_TC);
    __asm__ volatile("mrs x13, " ICC_PMR_EL1 ::: "x13", "memory");
    __asm__ volatile("msr " ICC_CTLR_EL1 ", xzr" ::: "memory");
    __asm__ volatile("mrs x14, " ICC_RPR_EL1 ::: "x14", "memory");
    __asm__ volatile("mov x15, #1023\n msr " ICC_DIR_EL1 ", x15" ::: "x15", "memory");
    uart_puts("TDIR: ICC_DIR_EL1, ICC_EOIR1_EL1 (not trapped)\n");
    hv_write(HCR, HCR_EN | HCR_TDIR);
    __asm__ volatile("mov x15, #1023\n msr " ICC_DIR_EL1 ", x15" ::: "x15", "memory");
    WR(ICC_EOIR1_EL1, 1023);
    isb();
    hv_write(HCR, HCR_EN);

    uart_puts("\nvIRQs taken: ");
    uart_dec(nirq);
    uart_puts(", vFIQs taken: ");
    uart_dec(nfiq);
    uart_puts(", maintenance IRQs: ");
    uart_dec(maint_count);
    uart_puts(", traps: ");
    uart_dec(trap_count);
    uart_puts("\npowering off via SMC from EL");
    uart_dec(current_el());
    uart_puts("\n");
    psci_system_off();
}

static void gic_init(void)
{
    wr32(GICD + GICD_CTLR, 0);
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
    wr32(GICD + GICD_CTLR, (1u << 4) | 3);
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
    wr32(GICR + GICR_WAKER, rd32(GICR + GICR_WAKER) & ~2u);
    while (rd32(GICR + GICR_WAKER) & 4)
        ;
    wr32(GICR_SGI + GICR_ICENABLER0, 0xffffffff);
    wr32(GICR_SGI + GICR_ICPENDR0, 0xffffffff);
    wr32(GICR_SGI + GICR_ICACTIVER0, 0xffffffff);
    wr32(GICR_SGI + GICR_IGROUPR0, 0xffffffff);
    for (unsigned i = 0; i < 32; i++)
        wr8(GICR_SGI + GICR_IPRIORITYR + i, 0x80);
    uart_puts("GIC: distributor and redistributor up, SGIs/PPIs Group 1 priority 0x80\n");
}

int main(void)
{
    uart_puts("vgic test\n\n== EL2 ==\n");
    gic_init();
    WR(ICC_SRE_EL2, 0xf);
    isb();
    WR(ICC_PMR_EL1, 0xf0);
    WR(ICC_BPR1_EL1, 0);
    WR(ICC_CTLR_EL1, 0);
    WR(ICC_IGRPEN1_EL1, 1);
    isb();

    ich_write(VMCR, BASE_VMCR);
    ich_write(HCR, HCR_EN);
    for (unsigned n = LR0; n <= LR3; n++)
        ich_write(n, 0);
    uart_puts("ICH_VMCR_EL2=");
    uart_hex(ich_read(VMCR));
    uart_puts(" ICH_HCR_EL2=");
    uart_hex(ich_read(HCR));
    uart_puts(" ICH_ELRSR_EL2=");
    uart_hex(ich_read(ELRSR));
    uart_puts(" ICH_MISR_EL2=");
    uart_hex(ich_read(MISR));
    uart_puts("\n");

    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | (1 << 4) | (1 << 3));
    write_sysreg(sctlr_el1, 0x30d00800);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(el1_main, stack_el1_top);
}
