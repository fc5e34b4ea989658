/*
 * inject: what a guest sees of hypsim's fault injection (--inject).  Not run
 * by the golden test (QEMU cannot inject); tests/inject.rs runs it with the
 * specs in tests/guests/inject.specs -- each a PC trigger on one of the
 * global labels inj_* below or a PA trigger on sea_buf -- and compares the
 * output with tests/guests/expect/inject.out, whose values follow from the
 * Arm ARM rules cited here.
 *
 * SError (EC 0x2F, ESR = 0xbe000000 | ISS with IL = 1; D23.2 ESR_ELx):
 *  - routing (D1.3.6, no EL3): to EL2 when HCR_EL2.AMO or TGE is 1, else to
 *    EL1; taken at once when the target is higher than the current EL,
 *    pending while the target is the current EL and PSTATE.A is 1, and never
 *    taken at an EL above its target;
 *  - pending shows in ISR_EL1.A (bit 8);
 *  - ESB with the SError pending and masked at this EL defers it: DISR_EL1 =
 *    A (bit 31) | its IDS/AET/DFSC syndrome, no longer pending (C6.2 ESB);
 *  - vector offsets: current EL with SP_EL0 0x180, with SP_ELx 0x380, lower EL
 *    AArch64 0x580 (D1.10.2, Table "Vector offsets from vector table base").
 * Synchronous External abort (DFSC/IFSC 0b010000): data abort EC 0x25 (same
 * EL) / 0x24 (lower), instruction abort 0x21 / 0x20; WnR (bit 6) for a write;
 * FAR = the faulting VA; the store does not happen.  HCR_EL2.TEA = 1 routes
 * one from EL1 to EL2 (D24.2 HCR_EL2.TEA, FEAT_RAS).
 * A PC trigger fires before the instruction at the label executes, so an
 * SError taken at once has ELR = the label.
 */
#include "guest.h"
#include "uart.h"

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(v)) : "memory")
#define DISR_EL1    "S3_0_C12_C1_1"

#define HCR_AMO     (1ull << 5)
#define HCR_TEA     (1ull << 37)

/* A global label at an instruction, for PC triggers and ELR/FAR printing. */
#define LABEL(name) ".global " #name "\n" #name ":\n"

extern char inj_el2_masked[], inj_el2_esb[], inj_el2_unmasked[], inj_el2_sp0[], inj_sea_read[],
    inj_sea_write[], inj_sea_fetch_pc[], inj_sea_fetch_pa[], inj_el1_masked[],
    inj_el1_amo[], inj_el1_tea[];

/* PA triggers watch these words (sea_buf[0] read, sea_buf[1] write). */
uint64_t sea_buf[2] __attribute__((aligned(16))) = { 0x1111, 0x2222 };

static volatile unsigned nserror, nsync;
static const char *label_name;
static const char *label;

static void expect(const char *name, const char *lbl)
{
    label_name = name;
    label = lbl;
}

static void show_elr(uint64_t elr)
{
    uart_puts(" ELR=");
    if (elr >= (uint64_t)label && elr < (uint64_t)label + 64) {
        uart_puts(label_name);
        uart_puts("+");
        uart_dec(elr - (uint64_t)label);
    } else {
        uart_hex(elr);
    }
}

static void show_far(uint64_t far)
{
    uart_puts(" FAR=");
    if (far == (uint64_t)&sea_buf[0])
        uart_puts("sea_buf+0");
    else if (far == (uint64_t)&sea_buf[1])
        uart_puts("sea_buf+8");
    else if (far == (uint64_t)label)
        uart_puts(label_name);
    else
        uart_hex(far);
}

static void report(const char *el, uint64_t idx, uint64_t esr, uint64_t far, uint64_t elr)
{
    uart_puts("    taken at ");
    uart_puts(el);
    uart_puts(" vector offset ");
    uart_hex((idx & 0xc) * 0x80 + (idx & 3) * 0x80);
    uart_puts(": ESR=");
    uart_hex32(esr);
    show_elr(elr);
    if (VEC_KIND(idx) == 0)
        show_far(far);
    uart_puts("\n");
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);

    if (idx == VEC_LOWER_A64 && ESR_EC(esr) == 0x16) {
        /* hvc #0: HCR_EL2 |= x0; hvc #1: HCR_EL2 &= ~x0 */
        uint64_t hcr = read_sysreg(hcr_el2);
        write_sysreg(hcr_el2, (esr & 0xffff) ? hcr & ~f->x[0] : hcr | f->x[0]);
        isb();
        return;
    }
    report("EL2", idx, esr, read_sysreg(far_el2), f->elr);
    if (VEC_KIND(idx) == 3) {
        nserror++;
    } else {
        nsync++;
        f->elr += 4;
    }
}

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el1);

    report("EL1", idx, esr, read_sysreg(far_el1), f->elr);
    if (VEC_KIND(idx) == 3) {
        nserror++;
    } else {
        nsync++;
        f->elr += 4;
    }
}

static void show_isr(void)
{
    uart_puts("    ISR_EL1.A=");
    uart_dec((read_sysreg(isr_el1) >> 8) & 1);
    uart_puts("\n");
}

static __attribute__((noinline)) void unmask_a(void)
{
    unsigned before = nserror;
    __asm__ volatile("msr daifclr, #4\n isb\n msr daifset, #4\n isb" ::: "memory");
    if (nserror == before)
        uart_puts("    unmasked: no SError taken\n");
}

static uint64_t hvc(unsigned n, uint64_t a)
{
    register uint64_t x0 __asm__("x0") = a;
    if (n == 0)
        __asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
    else
        __asm__ volatile("hvc #1" : "+r"(x0) :: "memory");
    return x0;
}

/* ---------------- EL1 ---------------- */

static void el1_main(void)
{
    uart_puts("\n== EL1, HCR_EL2.AMO=0 (SErrors go to EL1), PSTATE.A=1 ==\n");
    uart_puts("serror,pc=inj_el1_masked,aet=ce: pending, then taken at EL1 when unmasked\n");
    expect("inj_el1_unmask", (const char *)unmask_a);
    __asm__ volatile(LABEL(inj_el1_masked) "nop" ::: "memory");
    show_isr();
    unmask_a();
    show_isr();

    uart_puts("\n== EL1, HCR_EL2.AMO=1 (SErrors go to EL2), PSTATE.A=1 ==\n");
    hvc(0, HCR_AMO);
    uart_puts("serror,pc=inj_el1_amo,ids=1,iss=0x123456: taken at EL2 at once, A masked or not\n");
    expect("inj_el1_amo", inj_el1_amo);
    __asm__ volatile(LABEL(inj_el1_amo) "nop" ::: "memory");
    hvc(1, HCR_AMO);

    uart_puts("\n== EL1, HCR_EL2.TEA=1 ==\n");
    hvc(0, HCR_TEA);
    uart_puts("sea,pa=sea_buf,access=read: ldr from EL1 aborts to EL2\n");
    expect("inj_el1_tea", inj_el1_tea);
    __asm__ volatile("mov x1, %0\n" LABEL(inj_el1_tea) "ldr x2, [x1]"
                     :: "r"(&sea_buf[0]) : "x1", "x2", "memory");
    hvc(1, HCR_TEA);

    uart_puts("\nSErrors taken: ");
    uart_dec(nserror);
    uart_puts(", synchronous exceptions: ");
    uart_dec(nsync);
    uart_puts("\n");
    psci_system_off();
}

/* ---------------- EL2 ---------------- */

static __attribute__((noinline)) void sea_fetch_pa(void)
{
    __asm__ volatile(LABEL(inj_sea_fetch_pa) "nop" ::: "memory");
}

int main(void)
{
    uart_puts("inject test\n\n== EL2, HCR_EL2.AMO=1, PSTATE.A=1 ==\n");
    WR(DISR_EL1, 0);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_AMO);
    isb();

    uart_puts("serror,pc=inj_el2_masked: pending while masked, taken when unmasked\n");
    expect("inj_el2_unmask", (const char *)unmask_a);
    __asm__ volatile(LABEL(inj_el2_masked) "nop" ::: "memory");
    show_isr();
    unmask_a();
    show_isr();

    uart_puts("serror,pc=inj_el2_esb,aet=uer: ESB defers it into DISR_EL1\n");
    __asm__ volatile(LABEL(inj_el2_esb) "nop\n hint #16" ::: "memory");
    uart_puts("    DISR_EL1=");
    uart_hex(RD(DISR_EL1));
    uart_puts("\n");
    show_isr();
    unmask_a();
    WR(DISR_EL1, 0);

    uart_puts("\n== EL2, PSTATE.A=0 ==\n");
    uart_puts("serror,pc=inj_el2_unmasked: taken before the instruction at the label\n");
    __asm__ volatile("msr daifclr, #4\n isb" ::: "memory");
    expect("inj_el2_unmasked", inj_el2_unmasked);
    __asm__ volatile(LABEL(inj_el2_unmasked) "nop" ::: "memory");
    __asm__ volatile("msr daifset, #4\n isb" ::: "memory");
    uart_puts("serror,pc=inj_el2_sp0: with SPSel = 0 (SP_EL0, same stack), offset 0x180\n");
    expect("inj_el2_sp0", inj_el2_sp0);
    __asm__ volatile("mov x0, sp\n msr spsel, #0\n mov sp, x0\n msr daifclr, #4\n isb\n"
                     LABEL(inj_el2_sp0) "nop\n msr daifset, #4\n isb\n msr spsel, #1"
                     ::: "x0", "memory");

    uart_puts("\n== EL2, synchronous External aborts ==\n");
    uart_puts("sea,pa=sea_buf,access=read: ldr\n");
    expect("inj_sea_read", inj_sea_read);
    __asm__ volatile("mov x1, %0\n mov x2, #0\n" LABEL(inj_sea_read) "ldr x2, [x1]"
                     :: "r"(&sea_buf[0]) : "x1", "x2", "memory");
    uart_puts("sea,pa=sea_buf+8,access=write: str, memory unchanged\n");
    expect("inj_sea_write", inj_sea_write);
    __asm__ volatile("mov x1, %0\n mov x2, #0x77\n" LABEL(inj_sea_write) "str x2, [x1, #8]"
                     :: "r"(&sea_buf[0]) : "x1", "x2", "memory");
    uart_puts("    sea_buf[1]=");
    uart_hex(*(volatile uint64_t *)&sea_buf[1]);
    uart_puts("\nsea,pc=inj_sea_fetch_pc: instruction abort on the fetch\n");
    expect("inj_sea_fetch_pc", inj_sea_fetch_pc);
    __asm__ volatile(LABEL(inj_sea_fetch_pc) "nop" ::: "memory");
    uart_puts("sea,pa=inj_sea_fetch_pa,access=fetch: instruction abort on the fetch\n");
    expect("inj_sea_fetch_pa", inj_sea_fetch_pa);
    sea_fetch_pa();
    uart_puts("    the same code again (count=1: no abort)\n");
    sea_fetch_pa();

    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_AMO);
    write_sysreg(sctlr_el1, 0x30d00800);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(el1_main, stack_el1_top);
}
