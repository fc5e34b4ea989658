/*
 * rasirq: `--inject ras,...,signal=irq` reaching the guest as an interrupt
 * through the GICv3.  No QEMU golden (QEMU has no error records);
 * tests/inject.rs runs it with three `ras,insn=N,...,signal=irq` specs and
 * compares with expect/rasirq.out.
 *
 * The PE's error records (cpu/src/ras.rs) drive two level-sensitive
 * interrupt requests, wired by the board to one SPI per CPU
 * (src/board/layout.rs; the /ras-error-records node of the device tree):
 * the fault handling interrupt (FHI) at INTID 64 + CPU and the error
 * recovery interrupt (ERI) at INTID 72 + CPU.  Which one fires, by the RAS
 * System Architecture's ERR<n>CTLR (the node's controls live in its first
 * record, record 0: "present only when error record <n> is implemented and
 * error record <n> is the first error record in the node"):
 *  - UI, bit [2], "Uncorrected error recovery interrupt enable. When enabled,
 *    the error recovery interrupt is generated for all detected Uncorrected
 *    errors that are not deferred";
 *  - FI, bit [3], "Fault handling interrupt enable. When enabled the fault
 *    handling interrupt is generated for all detected Deferred errors and
 *    Uncorrected errors";
 *  - CFI, bit [8], the fault handling interrupt for Corrected errors, exists
 *    only when ERR<n>FR.CFI is nonzero: hypsim's ERXFR of record 0 is
 *    0x100151 (ED, UI, FI, UE = 0b01 "implemented and controllable", CFI
 *    [11:10] = 0b00), so CFI is RES0 and no Corrected error interrupts.
 * `--inject ras,...,signal=irq` records the error and asserts the ERI
 * whatever UI says (an injection asking for it), until software clears
 * ERXSTATUS.V; the FHI follows FI as above.  This guest sets UI anyway, as
 * software must for an Uncorrected error to raise the ERI.
 *
 * ERR<n>STATUS: V [30], UE [29], ER [28], OF [27], MV [26], CE [25:24],
 * DE [23], PN [22], UET [21:20], CI [19] are write-one-to-clear ("Access to
 * this field is W1C"); writing back the value read clears the record, and
 * with V = 0 the record holds no error, so neither request is asserted any
 * more (both are level-sensitive: hypsim's choice, which the RAS
 * architecture leaves IMPLEMENTATION DEFINED).
 *
 * GICv3 (IHI 0069, "Interrupt handling state machine"): acknowledging a
 * level-sensitive interrupt whose request is still asserted makes it
 * "active and pending", so GICD_ISPENDR shows it pending inside the handler
 * until the request drops; once ERXSTATUS.V is cleared it is active only
 * (ISPENDR bit 0), and the EOI (ICC_CTLR_EL1.EOImode = 0: priority drop and
 * deactivation) leaves it inactive (ISACTIVER bit 0).
 *
 * Everything runs at EL2 with HCR_EL2.IMO = 1 (with TGE = 0 a physical IRQ
 * is taken to EL2 only then).  GIC: GICD_CTLR = ARE | EnableGrp1 |
 * EnableGrp0, the redistributor woken (GICR_WAKER), SPIs 64 and 72 group 1,
 * level-sensitive (GICD_ICFGR), routed to CPU 0 (GICD_IROUTER = 0, IRM = 0),
 * priorities 0x80 (FHI) and 0xa0 (ERI), enabled; ICC_SRE_EL2, PMR 0xf0,
 * IGRPEN1.  Waiting: with PSTATE.I = 1, WFI (at the label rasirq_wfi, where
 * the test's insn= triggers fire) until ISR_EL1.I shows an IRQ pending,
 * bounded; then a short unmasked window in which it is taken.
 *
 *  1. ERXCTLR = ED | UI; --inject ras,record=0,status=0x60300000 (V, UE,
 *     UET = UER),signal=irq: the ERI (72) only (FI = 0: 64 stays low).
 *  2. ERXCTLR = ED | UI | FI; --inject ras,record=1,status=0x60200000 (V,
 *     UE, UET = UEO),signal=irq: an Uncorrected error with FI = 1 asserts
 *     the FHI too.  64 has the higher priority (0x80 < 0xa0), so it is taken
 *     first; clearing record 1 drops both requests, so 72 is never taken.
 *  3. ERXCTLR = ED (UI = FI = 0); --inject ras,record=0,status=0x42000000
 *     (V, CE = 0b10: a Corrected error),signal=irq: architecturally no
 *     record interrupt is enabled for it, so only the injection's own
 *     request (README: `irq`, "the record's error recovery interrupt, until
 *     software clears V") asserts the ERI (72); this is the case where
 *     signal=irq differs from signal=none (in 1 and 2 the records'
 *     controls alone assert the same requests).
 * The handler reads ICC_IAR1_EL1, prints the INTID and GICD_ISPENDR for
 * 64/72, finds the valid record(s) through ERRSELR_EL1/ERXSTATUS_EL1,
 * prints and clears them, prints ISPENDR again and writes ICC_EOIR1_EL1.
 */
#include "guest.h"
#include "uart.h"

#define GICD        0x08000000ul
#define GICR        0x080a0000ul            /* CPU 0: RD_base */

#define GICD_CTLR       0x0000
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_ISACTIVER  0x0300
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6000
#define GICR_WAKER      0x0014

#define INTID_FHI       64      /* RasFault, CPU 0 */
#define INTID_ERI       72      /* RasRecovery, CPU 0 */

#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_BPR1_EL1    "S3_0_C12_C12_3"
#define ICC_CTLR_EL1    "S3_0_C12_C12_4"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2     "S3_4_C12_C9_5"

#define ERRIDR_EL1      "S3_0_C5_C3_0"
#define ERRSELR_EL1     "S3_0_C5_C3_1"
#define ERXCTLR_EL1     "S3_0_C5_C4_1"
#define ERXSTATUS_EL1   "S3_0_C5_C4_2"

#define CTLR_ED     (1u << 0)
#define CTLR_UI     (1u << 2)
#define CTLR_FI     (1u << 3)
#define STATUS_V    (1u << 30)

#define HCR_IMO     (1ull << 4)

#define WFI_BOUND   1000u

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0\n isb" :: "r"((uint64_t)(v)) : "memory")

static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void wr64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

static volatile unsigned nirq, nspurious;

static unsigned gicd_bit(uint64_t reg, unsigned intid)
{
    return (rd32(GICD + reg + 4 * (intid / 32)) >> (intid % 32)) & 1;
}

static void show_pending(const char *when)
{
    uart_puts("    GICD_ISPENDR ");
    uart_puts(when);
    uart_puts(": 64=");
    uart_dec(gicd_bit(GICD_ISPENDR, INTID_FHI));
    uart_puts(" 72=");
    uart_dec(gicd_bit(GICD_ISPENDR, INTID_ERI));
    uart_puts("\n");
}

/* Print and clear (write back the value read: W1C) every valid record. */
static void clear_records(void)
{
    uint64_t num = RD(ERRIDR_EL1) & 0xffff;
    for (uint64_t r = 0; r < num; r++) {
        WR(ERRSELR_EL1, r);
        uint64_t st = RD(ERXSTATUS_EL1);
        if (!(st & STATUS_V))
            continue;
        uart_puts("    record ");
        uart_dec(r);
        uart_puts(": ERXSTATUS=");
        uart_hex(st);
        WR(ERXSTATUS_EL1, st);
        uart_puts(", after writing it back=");
        uart_hex(RD(ERXSTATUS_EL1));
        uart_puts("\n");
    }
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    if (VEC_KIND(idx) != 1)
        guest_unexpected("EL2", idx, read_sysreg(esr_el2), f->elr);
    uint32_t intid = RD(ICC_IAR1_EL1) & 0xffffff;
    if (intid >= 1020) {
        nspurious++;
        return;
    }
    uart_puts("  IRQ: ICC_IAR1_EL1 INTID=");
    uart_dec(intid);
    uart_puts("\n");
    show_pending("before clearing");
    clear_records();
    show_pending("after clearing");
    WR(ICC_EOIR1_EL1, intid);
    nirq++;
}

static void gic_init(void)
{
    wr32(GICD + GICD_CTLR, 0);
    while (rd32(GICD + GICD_CTLR) & (1u << 31))     /* RWP */
        ;
    wr32(GICD + GICD_CTLR, (1u << 4) | 3);          /* ARE, EnableGrp1, EnableGrp0 */
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
    wr32(GICR + GICR_WAKER, rd32(GICR + GICR_WAKER) & ~2u);  /* ProcessorSleep = 0 */
    while (rd32(GICR + GICR_WAKER) & 4)                     /* ChildrenAsleep */
        ;

    static const unsigned ids[2] = { INTID_FHI, INTID_ERI };
    for (unsigned k = 0; k < 2; k++) {
        unsigned n = ids[k];
        uint32_t bit = 1u << (n % 32);
        wr32(GICD + GICD_ICENABLER + 4 * (n / 32), bit);
        while (rd32(GICD + GICD_CTLR) & (1u << 31))
            ;
        wr32(GICD + GICD_ICPENDR + 4 * (n / 32), bit);
        wr32(GICD + GICD_IGROUPR + 4 * (n / 32),
             rd32(GICD + GICD_IGROUPR + 4 * (n / 32)) | bit);
        wr8(GICD + GICD_IPRIORITYR + n, n == INTID_FHI ? 0x80 : 0xa0);
        /* Int_config [2n+1] = 0: level-sensitive */
        uint64_t cfg = GICD + GICD_ICFGR + 4 * (n / 16);
        wr32(cfg, rd32(cfg) & ~(2u << (2 * (n % 16))));
        wr64(GICD + GICD_IROUTER + 8 * n, 0);     /* Aff3.Aff2.Aff1.Aff0 = 0, IRM = 0 */
        wr32(GICD + GICD_ISENABLER + 4 * (n / 32), bit);
    }

    WR(ICC_SRE_EL2, 0xf);           /* SRE, DFB, DIB, Enable */
    WR(ICC_PMR_EL1, 0xf0);
    WR(ICC_BPR1_EL1, 0);
    WR(ICC_CTLR_EL1, 0);            /* EOImode = 0 */
    WR(ICC_IGRPEN1_EL1, 1);
}

static uint64_t isr_i(void) { return (read_sysreg(isr_el1) >> 7) & 1; }

/*
 * Wait (PSTATE.I = 1) in WFI until an IRQ is pending, bounded; the test's
 * insn= triggers fire on arriving at rasirq_wfi.  Then unmask for a moment:
 * the pending IRQ is taken there.
 */
static void __attribute__((noinline)) wait_and_take(void)
{
    unsigned before = nirq, i;
    __asm__ volatile(
        "   mov     %w0, #0\n"
        "1: mrs     x9, isr_el1\n"
        "   tbnz    x9, #7, 2f\n"
        ".global rasirq_wfi\n"
        "rasirq_wfi:\n"
        "   wfi\n"
        "   add     %w0, %w0, #1\n"
        "   cmp     %w0, %w1\n"
        "   b.lo    1b\n"
        "2:\n"
        : "=&r"(i)
        : "r"(WFI_BOUND)
        : "x9", "cc", "memory");
    uart_puts("  ISR_EL1.I=");
    uart_dec(isr_i());
    uart_puts(i < WFI_BOUND ? " (woken within the bound)\n" : " (bound reached)\n");
    /* Taken at the first instruction boundary after the unmask, and no later
     * than the ISB (a context synchronization event): ELR_EL2 = rasirq_unmasked
     * or the NOP after it. */
    __asm__ volatile("msr daifclr, #2\n"
                     ".global rasirq_unmasked\n"
                     "rasirq_unmasked:\n"
                     " isb\n nop\n msr daifset, #2\n isb" ::: "memory");
    uart_puts("  IRQs taken: ");
    uart_dec(nirq - before);
    uart_puts(", GICD_ISACTIVER: 64=");
    uart_dec(gicd_bit(GICD_ISACTIVER, INTID_FHI));
    uart_puts(" 72=");
    uart_dec(gicd_bit(GICD_ISACTIVER, INTID_ERI));
    uart_puts("\n");
}

int main(void)
{
    uart_puts("rasirq test\n\n");
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_IMO);
    isb();
    gic_init();
    uart_puts("GIC up: SPIs 64 (FHI, prio 0x80) and 72 (ERI, prio 0xa0), group 1, level, CPU 0\n");
    show_pending("with no error recorded");

    uart_puts("\n== 1: ERXCTLR=ED|UI, --inject ras,record=0,status=0x60300000,signal=irq ==\n");
    WR(ERRSELR_EL1, 0);
    WR(ERXCTLR_EL1, CTLR_ED | CTLR_UI);
    wait_and_take();

    uart_puts("\n== 2: ERXCTLR=ED|UI|FI, --inject ras,record=1,status=0x60200000,signal=irq ==\n");
    WR(ERRSELR_EL1, 0);
    WR(ERXCTLR_EL1, CTLR_ED | CTLR_UI | CTLR_FI);
    wait_and_take();

    uart_puts("\n== 3: ERXCTLR=ED, --inject ras,record=0,status=0x42000000,signal=irq ==\n");
    WR(ERRSELR_EL1, 0);
    WR(ERXCTLR_EL1, CTLR_ED);
    wait_and_take();

    uart_puts("\nIRQs: ");
    uart_dec(nirq);
    uart_puts(", spurious: ");
    uart_dec(nspurious);
    uart_puts("\n");
    return 0;
}
