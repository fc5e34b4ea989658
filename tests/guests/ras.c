/*
 * ras: FEAT_RAS and the virtual exceptions a hypervisor injects through
 * HCR_EL2.{VSE,VI,VF}.
 *
 * EL2 sets HCR_EL2.{AMO,IMO,FMO} and drops to EL1, which asks EL2 through
 * HVC to change HCR_EL2 bits or to read/write VSESR_EL2 and VDISR_EL2:
 *   hvc #0: HCR_EL2 |= x0        hvc #1: HCR_EL2 &= ~x0
 *   hvc #2: VSESR_EL2 = x0       hvc #3: x0 = VDISR_EL2
 *   hvc #4: x0 = HCR_EL2         hvc #5: VDISR_EL2 = x0
 * EL1 runs with DAIF masked except where a test unmasks one bit for a
 * moment.  Checked: a virtual SError (VSE, with AMO=1) pending in ISR_EL1.A
 * while PSTATE.A masks it, taken at EL1 once unmasked with ESR_EL1 = EC 0x2F
 * and VSESR_EL2's IDS/ISS, and HCR_EL2.VSE cleared by taking it; ESB at EL1
 * with A masked deferring it into VDISR_EL2 (A=1 plus the syndrome), read
 * through DISR_EL1 at EL1 and VDISR_EL2 at EL2, VSE cleared, nothing taken
 * after unmasking; ESB with nothing pending; VSE/VI/VF without AMO/IMO/FMO
 * (no virtual exception); virtual IRQ and FIQ (VI/VF) in ISR_EL1.I/F and
 * taken at EL1; ERRIDR_EL1 read at EL1 (NUM, IMPLEMENTATION DEFINED, not
 * printed) and HCR_EL2.TERR trapping it to EL2
 * (EC 0x18, ESR_EL2 printed in full).  The other error record registers are
 * left alone: with ERRIDR_EL1.NUM = 0 it is IMPLEMENTATION DEFINED whether
 * ERRSELR_EL1 (and the ERX* registers reached through it) are UNDEFINED or
 * RES0 -- QEMU makes them UNDEFINED, hypsim RES0.  There is no physical SError
 * source on the virt board, so only virtual SErrors are used.
 */
#include "guest.h"
#include "uart.h"

#define HCR_FMO     (1ull << 3)
#define HCR_IMO     (1ull << 4)
#define HCR_AMO     (1ull << 5)
#define HCR_VF      (1ull << 6)
#define HCR_VI      (1ull << 7)
#define HCR_VSE     (1ull << 8)
#define HCR_TERR    (1ull << 36)

#define VSESR_EL2   "S3_4_C5_C2_3"
#define VDISR_EL2   "S3_4_C12_C1_1"
#define DISR_EL1    "S3_0_C12_C1_1"
#define ERRIDR_EL1  "S3_0_C5_C3_0"

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(v)) : "memory")
#define ESB() __asm__ volatile("hint #16" ::: "memory")

static volatile unsigned trap_count, nserror, nirq, nfiq;

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);

    if (idx == VEC_LOWER_A64 && ESR_EC(esr) == 0x16) {
        uint64_t x0 = f->x[0];
        switch (esr & 0xffff) {
        case 0: write_sysreg(hcr_el2, read_sysreg(hcr_el2) | x0); break;
        case 1: write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~x0); break;
        case 2: WR(VSESR_EL2, x0); break;
        case 3: f->x[0] = RD(VDISR_EL2); break;
        case 4: f->x[0] = read_sysreg(hcr_el2); break;
        case 5: WR(VDISR_EL2, x0); break;
        default: guest_unexpected("EL2 (hvc)", idx, esr, f->elr);
        }
        isb();
        return;
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
        f->elr += 4;
        trap_count++;
        return;
    }
    guest_unexpected("EL2", idx, esr, f->elr);
}

static uint64_t hvc(unsigned n, uint64_t a);

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    switch (idx) {
    case VEC_CUR_SPX + 3:
        uart_puts("    SError taken at EL1: ESR_EL1=");
        uart_hex32(read_sysreg(esr_el1));
        uart_puts(" (EC=");
        uart_hex(ESR_EC(read_sysreg(esr_el1)));
        uart_puts(") SPSR_EL1 & 0x3cf=");
        uart_hex(f->spsr & 0x3cf);
        uart_puts("\n");
        nserror++;
        return;
    case VEC_CUR_SPX + 1:
        uart_puts("    IRQ taken at EL1, SPSR_EL1 & 0x3cf=");
        uart_hex(f->spsr & 0x3cf);
        uart_puts("; EL2 clears HCR_EL2.VI\n");
        hvc(1, HCR_VI);
        nirq++;
        return;
    case VEC_CUR_SPX + 2:
        uart_puts("    FIQ taken at EL1, SPSR_EL1 & 0x3cf=");
        uart_hex(f->spsr & 0x3cf);
        uart_puts("; EL2 clears HCR_EL2.VF\n");
        hvc(1, HCR_VF);
        nfiq++;
        return;
    }
    guest_unexpected("EL1", idx, read_sysreg(esr_el1), f->elr);
}

/* ---------------- EL1 ---------------- */

static uint64_t hvc(unsigned n, uint64_t a)
{
    register uint64_t x0 __asm__("x0") = a;
    switch (n) {
    case 0: __asm__ volatile("hvc #0" : "+r"(x0) :: "memory"); break;
    case 1: __asm__ volatile("hvc #1" : "+r"(x0) :: "memory"); break;
    case 2: __asm__ volatile("hvc #2" : "+r"(x0) :: "memory"); break;
    case 3: __asm__ volatile("hvc #3" : "+r"(x0) :: "memory"); break;
    case 4: __asm__ volatile("hvc #4" : "+r"(x0) :: "memory"); break;
    case 5: __asm__ volatile("hvc #5" : "+r"(x0) :: "memory"); break;
    }
    return x0;
}

static void show_isr(void)
{
    uint64_t v = read_sysreg(isr_el1);
    uart_puts("  ISR_EL1: A=");
    uart_dec((v >> 8) & 1);
    uart_puts(" I=");
    uart_dec((v >> 7) & 1);
    uart_puts(" F=");
    uart_dec((v >> 6) & 1);
    uart_puts("\n");
}

static void show_hcr(void)
{
    uint64_t h = hvc(4, 0);
    uart_puts("  HCR_EL2: VSE=");
    uart_dec((h >> 8) & 1);
    uart_puts(" VI=");
    uart_dec((h >> 7) & 1);
    uart_puts(" VF=");
    uart_dec((h >> 6) & 1);
    uart_puts("\n");
}

static void show_disr(void)
{
    uart_puts("  DISR_EL1 (at EL1)=");
    uart_hex(RD(DISR_EL1));
    uart_puts(" VDISR_EL2 (at EL2)=");
    uart_hex(hvc(3, 0));
    uart_puts("\n");
}

static void unmask_a(void)
{
    unsigned before = nserror;
    __asm__ volatile("msr daifclr, #4\n isb\n msr daifset, #4\n isb" ::: "memory");
    if (nserror == before)
        uart_puts("    no SError taken\n");
}

static void unmask_i(void)
{
    unsigned before = nirq;
    __asm__ volatile("msr daifclr, #2\n isb\n msr daifset, #2\n isb" ::: "memory");
    if (nirq == before)
        uart_puts("    no IRQ taken\n");
}

static void unmask_f(void)
{
    unsigned before = nfiq;
    __asm__ volatile("msr daifclr, #1\n isb\n msr daifset, #1\n isb" ::: "memory");
    if (nfiq == before)
        uart_puts("    no FIQ taken\n");
}

static void el1_main(void)
{
    uart_puts("\n== EL1 (HCR_EL2.AMO=IMO=FMO=1, DAIF masked) ==\n");
    show_isr();
    show_disr();

    uart_puts("\nvirtual SError: VSESR_EL2=0x1abcdef (IDS=1), HCR_EL2.VSE=1\n");
    hvc(2, 0x1abcdef);
    hvc(0, HCR_VSE);
    show_isr();
    show_hcr();
    uart_puts("  unmask PSTATE.A:\n");
    unmask_a();
    show_isr();
    show_hcr();

    uart_puts("\nvirtual SError: VSESR_EL2=0x1411 (IDS=0, AET=0b101, DFSC=0x11)\n");
    hvc(2, 0x1411);
    hvc(0, HCR_VSE);
    show_isr();
    uart_puts("  unmask PSTATE.A:\n");
    unmask_a();
    show_hcr();

    uart_puts("\nESB with PSTATE.A=1 and a virtual SError pending (VSESR_EL2=0x1411)\n");
    hvc(0, HCR_VSE);
    show_isr();
    ESB();
    isb();
    uart_puts("  after ESB:\n");
    show_isr();
    show_hcr();
    show_disr();
    uart_puts("  unmask PSTATE.A:\n");
    unmask_a();
    uart_puts("  DISR_EL1 = 0 (at EL1):\n");
    WR(DISR_EL1, 0);
    isb();
    show_disr();

    uart_puts("\nESB with an IDS=1 syndrome (VSESR_EL2=0x1000042)\n");
    hvc(2, 0x1000042);
    hvc(0, HCR_VSE);
    ESB();
    isb();
    show_hcr();
    show_disr();
    uart_puts("  VDISR_EL2 = 0 (at EL2)\n");
    hvc(5, 0);
    show_disr();

    uart_puts("\nESB with nothing pending\n");
    ESB();
    isb();
    show_disr();

    uart_puts("\nHCR_EL2.VSE=1 with AMO=0: no virtual SError\n");
    hvc(1, HCR_AMO);
    hvc(0, HCR_VSE);
    show_isr();
    ESB();
    isb();
    show_disr();
    unmask_a();
    show_hcr();
    uart_puts("  AMO=1 again:\n");
    hvc(0, HCR_AMO);
    show_isr();
    unmask_a();
    show_hcr();

    uart_puts("\nvirtual IRQ: HCR_EL2.VI=1\n");
    hvc(0, HCR_VI);
    show_isr();
    uart_puts("  unmask PSTATE.I:\n");
    unmask_i();
    show_isr();
    show_hcr();

    uart_puts("\nvirtual FIQ: HCR_EL2.VF=1\n");
    hvc(0, HCR_VF);
    show_isr();
    uart_puts("  unmask PSTATE.F:\n");
    unmask_f();
    show_isr();
    show_hcr();

    uart_puts("\nHCR_EL2.VI=VF=1 with IMO=FMO=0: no virtual interrupts\n");
    hvc(1, HCR_IMO | HCR_FMO);
    hvc(0, HCR_VI | HCR_VF);
    show_isr();
    unmask_i();
    unmask_f();
    uart_puts("  IMO=FMO=1 again:\n");
    hvc(0, HCR_IMO | HCR_FMO);
    show_isr();
    unmask_f();
    unmask_i();
    show_isr();
    show_hcr();

    /* ERRIDR_EL1.NUM is IMPLEMENTATION DEFINED (QEMU 0, hypsim 2): read, not printed. */
    uart_puts("\nerror records\n");
    __asm__ volatile("mrs x9, " ERRIDR_EL1 ::: "x9", "memory");
    uart_puts("  ERRIDR_EL1 read at EL1\n");
    uart_puts("HCR_EL2.TERR=1: ERRIDR_EL1 at EL1\n");
    hvc(0, HCR_TERR);
    __asm__ volatile("mrs x9, " ERRIDR_EL1 ::: "x9", "memory");
    hvc(1, HCR_TERR);

    uart_puts("\nSErrors taken: ");
    uart_dec(nserror);
    uart_puts(", IRQs: ");
    uart_dec(nirq);
    uart_puts(", FIQs: ");
    uart_dec(nfiq);
    uart_puts(", traps: ");
    uart_dec(trap_count);
    uart_puts("\npowering off via SMC from EL");
    uart_dec(current_el());
    uart_puts("\n");
    psci_system_off();
}

int main(void)
{
    uart_puts("ras test\n\n== EL2 ==\n");
    uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
    uart_puts("RAS implemented: ");
    uart_puts(((pfr0 >> 28) & 0xf) >= 1 ? "yes\n" : "no\n");
    WR(VSESR_EL2, 0);
    WR(VDISR_EL2, 0);
    WR(DISR_EL1, 0);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_AMO | HCR_IMO | HCR_FMO);
    write_sysreg(sctlr_el1, 0x30d00800);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(el1_main, stack_el1_top);
}
