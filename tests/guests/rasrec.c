/*
 * rasrec: the PE's RAS error records (FEAT_RASv1p1) and their Common Fault
 * Injection Model, and --inject ras.  No QEMU golden (QEMU has no error
 * records: ERRIDR_EL1.NUM = 0); tests/inject.rs runs it with rasrec.specs
 * and compares with expect/rasrec.out.  Values follow the Arm ARM (D20.7
 * "Error records in the PE", D24.9 the ERR and ERX registers) and the RAS
 * System Architecture v1.1 register layouts, and hypsim's documented
 * IMPLEMENTATION DEFINED choices (cpu/src/ras.rs):
 *  - ERRIDR_EL1.NUM = 2: record 0 is the first record of the PE's node
 *    (ERXFR: ED, UI, FI, UE = 0b01, INJ = 0b01 -> 0x100151; ERXPFGF: R, SYN,
 *    MV, AV, ER, CE = 0b01, DE, UEO, UER, UEU, UC, OF -> 0x60001a7f), record
 *    1 a secondary record (ERXFR = ERXPFGF = 0);
 *  - the pseudo-fault counter loads from ERXPFGCDN when ERXPFGCTL.CDNEN is
 *    written 1 and counts simulated cycles; at zero the enabled error is
 *    recorded (ERXCTLR.ED = 1): ERXSTATUS.V, UE with UET (UC 00, UEU 01,
 *    UEO 10, UER 11) or CE = 0b10, plus AV/MV/ER as ERXPFGCTL asks; an
 *    uncorrected error is an SError when ERXCTLR.UE = 1 (UC: always), with
 *    ESR ISS = AET << 10 | DFSC 0b010001 (AET UC 0, UEU 1, UEO 2, UER 3, CE 6);
 *  - ERXSTATUS fields [31:19] are write-one-to-clear: writing back the value
 *    read clears the record;
 *  - HCR_EL2.TERR traps EL1 accesses to ERXSTATUS (not to the ERXPFG*
 *    registers); HCR_EL2.FIEN = 0 traps EL1 accesses to ERXPFGF/CTL/CDN
 *    (EC 0x18 to EL2).
 * Everything runs at EL2 with HCR_EL2.AMO = 1 (SErrors to EL2) and PSTATE.A
 * clear, except the trap checks at EL1.
 */
#include "guest.h"
#include "uart.h"

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0\n isb" :: "r"((uint64_t)(v)) : "memory")

#define ERRIDR_EL1      "S3_0_C5_C3_0"
#define ERRSELR_EL1     "S3_0_C5_C3_1"
#define ERXFR_EL1       "S3_0_C5_C4_0"
#define ERXCTLR_EL1     "S3_0_C5_C4_1"
#define ERXSTATUS_EL1   "S3_0_C5_C4_2"
#define ERXADDR_EL1     "S3_0_C5_C4_3"
#define ERXPFGF_EL1     "S3_0_C5_C4_4"
#define ERXPFGCTL_EL1   "S3_0_C5_C4_5"
#define ERXPFGCDN_EL1   "S3_0_C5_C4_6"
#define ERXMISC0_EL1    "S3_0_C5_C5_0"

#define HCR_AMO     (1ull << 5)
#define HCR_TERR    (1ull << 36)
#define HCR_FIEN    (1ull << 47)

#define CTLR_ED     (1u << 0)
#define CTLR_UE     (1u << 4)
#define PFG_CDNEN   (1u << 31)
#define PFG_AV      (1u << 11)
#define PFG_CE      (1u << 6)
#define PFG_UER     (1u << 3)
#define PFG_UC      (1u << 1)

#define LABEL(name) ".global " #name "\n" #name ":\n"
extern char inj_ras_record1[];

static volatile unsigned nserror, ntrap;

static void show(const char *what, uint64_t v)
{
    uart_puts("  ");
    uart_puts(what);
    uart_puts("=");
    uart_hex(v);
    uart_puts("\n");
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);

    if (VEC_KIND(idx) == 3) {
        uart_puts("  SError taken at EL2: ESR_EL2=");
        uart_hex32(esr);
        uart_puts("\n");
        nserror++;
        return;
    }
    if (idx == VEC_LOWER_A64 && ESR_EC(esr) == 0x16) {
        /* hvc #0: HCR_EL2 |= x0 */
        write_sysreg(hcr_el2, read_sysreg(hcr_el2) | f->x[0]);
        isb();
        return;
    }
    if (idx == VEC_LOWER_A64 && ESR_EC(esr) == 0x18) {
        uart_puts("  trapped to EL2: ESR_EL2=");
        uart_hex32(esr);
        uart_puts("\n");
        ntrap++;
        f->elr += 4;
        return;
    }
    guest_unexpected("EL2", idx, esr, f->elr);
}

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    guest_unexpected("EL1", idx, read_sysreg(esr_el1), f->elr);
}

/* Spin (bounded) until an SError has been taken. */
static void wait_serror(unsigned before)
{
    for (unsigned i = 0; i < 100000 && nserror == before; i++)
        __asm__ volatile("nop");
    if (nserror == before)
        uart_puts("  no SError\n");
}

static void clear_record(void)
{
    uint64_t st = RD(ERXSTATUS_EL1);
    WR(ERXSTATUS_EL1, st);
    show("ERXSTATUS after writing it back", RD(ERXSTATUS_EL1));
}

static void hvc_set_hcr(uint64_t bits)
{
    register uint64_t x0 __asm__("x0") = bits;
    __asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
}

static void el1_main(void)
{
    uart_puts("\n== traps at EL1 ==\n");
    WR(ERRSELR_EL1, 0);
    uart_puts("HCR_EL2.FIEN=0: ERXPFGF_EL1 and ERXPFGCTL_EL1\n");
    __asm__ volatile("mrs x9, " ERXPFGF_EL1 "\n msr " ERXPFGCTL_EL1 ", xzr"
                     ::: "x9", "memory");
    uart_puts("HCR_EL2.FIEN=1: ERXPFGF_EL1\n");
    hvc_set_hcr(HCR_FIEN);
    show("ERXPFGF", RD(ERXPFGF_EL1));
    uart_puts("HCR_EL2.TERR=1: ERXSTATUS_EL1 traps, ERXPFGCDN_EL1 does not\n");
    hvc_set_hcr(HCR_TERR);
    __asm__ volatile("mrs x9, " ERXSTATUS_EL1 "\n mrs x9, " ERXPFGCDN_EL1
                     ::: "x9", "memory");
    uart_puts("\ntraps: ");
    uart_dec(ntrap);
    uart_puts(", SErrors: ");
    uart_dec(nserror);
    uart_puts("\n");
    psci_system_off();
}

int main(void)
{
    uart_puts("rasrec test\n\n== error records ==\n");
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_AMO);
    isb();
    __asm__ volatile("msr daifclr, #4\n isb" ::: "memory");
    show("ERRIDR_EL1.NUM", RD(ERRIDR_EL1) & 0xffff);
    WR(ERRSELR_EL1, 0);
    show("record 0: ERXFR", RD(ERXFR_EL1));
    show("record 0: ERXPFGF", RD(ERXPFGF_EL1));
    WR(ERRSELR_EL1, 1);
    show("record 1: ERXFR", RD(ERXFR_EL1));
    show("record 1: ERXPFGF", RD(ERXPFGF_EL1));
    WR(ERXMISC0_EL1, 0xabcd);
    show("record 1: ERXMISC0 as written", RD(ERXMISC0_EL1));
    WR(ERRSELR_EL1, 5);
    show("ERRSELR=5 (no such record): ERXFR", RD(ERXFR_EL1));

    uart_puts("\n== pseudo-fault: UER, ERXCTLR.UE=1, AV, countdown 100 ==\n");
    WR(ERRSELR_EL1, 0);
    WR(ERXCTLR_EL1, CTLR_ED | CTLR_UE);
    WR(ERXADDR_EL1, 0x1234);
    WR(ERXPFGCDN_EL1, 100);
    unsigned before = nserror;
    WR(ERXPFGCTL_EL1, PFG_UER | PFG_AV | PFG_CDNEN);
    wait_serror(before);
    show("ERXSTATUS", RD(ERXSTATUS_EL1));
    show("ERXADDR", RD(ERXADDR_EL1));
    clear_record();

    uart_puts("\n== pseudo-fault: UC with ERXCTLR.UE=0 (still an SError) ==\n");
    WR(ERXCTLR_EL1, CTLR_ED);
    WR(ERXPFGCDN_EL1, 10);
    before = nserror;
    WR(ERXPFGCTL_EL1, PFG_UC | PFG_CDNEN);
    wait_serror(before);
    show("ERXSTATUS", RD(ERXSTATUS_EL1));
    clear_record();

    uart_puts("\n== pseudo-fault: CE (recorded, no SError) ==\n");
    WR(ERXPFGCDN_EL1, 10);
    before = nserror;
    WR(ERXPFGCTL_EL1, PFG_CE | PFG_CDNEN);
    for (unsigned i = 0; i < 1000; i++)
        __asm__ volatile("nop");
    show("SErrors taken", nserror - before);
    show("ERXSTATUS", RD(ERXSTATUS_EL1));
    clear_record();

    uart_puts("\n== pseudo-fault with ERXCTLR.ED=0: nothing recorded ==\n");
    WR(ERXCTLR_EL1, 0);
    WR(ERXPFGCDN_EL1, 10);
    WR(ERXPFGCTL_EL1, PFG_UC | PFG_CDNEN);
    for (unsigned i = 0; i < 1000; i++)
        __asm__ volatile("nop");
    show("ERXSTATUS", RD(ERXSTATUS_EL1));

    uart_puts("\n== --inject ras,pc=inj_ras_record1,record=1,status=0x60200000,addr=0x8000 ==\n");
    before = nserror;
    __asm__ volatile(LABEL(inj_ras_record1) "nop" ::: "memory");
    wait_serror(before);
    WR(ERRSELR_EL1, 1);
    show("record 1: ERXSTATUS", RD(ERXSTATUS_EL1));
    show("record 1: ERXADDR", RD(ERXADDR_EL1));
    clear_record();

    __asm__ volatile("msr daifset, #4\n isb" ::: "memory");
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~(HCR_AMO | HCR_FIEN | HCR_TERR));
    write_sysreg(sctlr_el1, 0x30d00800);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(el1_main, stack_el1_top);
}
