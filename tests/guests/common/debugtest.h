/*
 * The harness of the self-hosted debug guests (debug.c, whose golden is
 * QEMU's, and debug_arm.c, whose golden follows the Arm ARM where QEMU
 * differs): each test programs the debug registers from EL2 and runs a
 * snippet at EL1 or EL0 with run_lower(); see debug.c for the report format
 * and what the handlers do.  Included by exactly one C file per guest.
 */
#ifndef DEBUGTEST_H
#define DEBUGTEST_H

#include "guest.h"
#include "uart.h"

/* The test tables leave trailing fields zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define HCR_RW      (1ull << 31)
#define HCR_TGE     (1ull << 27)
#define MDCR_TDE    (1ull << 8)
#define MDSCR_SS    (1ull << 0)
#define MDSCR_KDE   (1ull << 13)
#define MDSCR_MDE   (1ull << 15)
#define SPSR_SS     (1ull << 21)
#define SPSR_D      (1ull << 9)

/* DBGBCR: E, PMC [2:1], BAS [8:5] = 0b1111, HMC [13], LBN [19:16], BT [23:20]. */
#define BCR(pmc, hmc, lbn, bt) \
    (1ull | (pmc) << 1 | 0xfull << 5 | (hmc) << 13 | (lbn) << 16 | (bt) << 20)
/* DBGWCR: E, PAC [2:1], LSC [4:3], BAS [12:5], MASK [28:24]. */
#define WCR(pac, lsc, bas, mask) \
    (1ull | (pac) << 1 | (lsc) << 3 | (bas) << 5 | (mask) << 24)
#define PL_EL1 1
#define PL_EL0 2
#define LSC_LD 1
#define LSC_ST 2

enum mode { EL1, EL1_D, EL0 };

struct test {
    const char *name;
    const char *snippet;
    enum mode mode;
    uint64_t mdscr;
    int bp_insn;        /* breakpoint 0 at this snippet instruction, or -1 */
    uint64_t bcr;       /* its DBGBCR0 */
    int wp_off;         /* watchpoint 0 at zbuf + this offset, or -1 */
    uint64_t wcr;       /* its DBGWCR0 */
    uint64_t mdcr;      /* MDCR_EL2 */
    int os_lock;
    int ss;             /* enter the snippet with SPSR.SS = 1 */
    int ctx;            /* 1: bp 4 = linked context ID 0x42 (BT 0b0011), bp 0
                         *    linked to it (BT 0b0001, LBN 4); 2: bp 5 =
                         *    unlinked context ID 0x42 (BT 0b0010) */
    uint64_t contextidr;
};

static uint8_t zbuf[8192] __attribute__((aligned(4096), used));
static volatile unsigned taken, debug_hits;
static volatile uint64_t cur_entry;

/*
 * void run_lower(const char *entry, uint64_t spsr): at EL2, ERET to entry
 * with SPSR_EL2 = spsr, fresh SP_EL1/SP_EL0, x1 = zbuf, x3 = zbuf + 0x800.
 * Returns when an EL2 handler calls finish() on the frame.
 */
__asm__(
    "    .text\n"
    "    .balign 4\n"
    "    .global run_lower\n"
    "run_lower:\n"
    "    stp x29, x30, [sp, #-96]!\n"
    "    stp x19, x20, [sp, #16]\n"
    "    stp x21, x22, [sp, #32]\n"
    "    stp x23, x24, [sp, #48]\n"
    "    stp x25, x26, [sp, #64]\n"
    "    stp x27, x28, [sp, #80]\n"
    "    msr elr_el2, x0\n"
    "    msr spsr_el2, x1\n"
    "    adrp x2, stack_el1_top\n"
    "    add x2, x2, :lo12:stack_el1_top\n"
    "    msr sp_el1, x2\n"
    "    adrp x2, stack_el0_top\n"
    "    add x2, x2, :lo12:stack_el0_top\n"
    "    msr sp_el0, x2\n"
    "    adrp x1, zbuf\n"
    "    add x1, x1, :lo12:zbuf\n"
    "    add x3, x1, #0x800\n"
    "    mov x0, #0\n"
    "    mov x2, #0\n"
    "    eret\n"
    "    .global lower_return\n"
    "lower_return:\n"
    "    ldp x19, x20, [sp, #16]\n"
    "    ldp x21, x22, [sp, #32]\n"
    "    ldp x23, x24, [sp, #48]\n"
    "    ldp x25, x26, [sp, #64]\n"
    "    ldp x27, x28, [sp, #80]\n"
    "    ldp x29, x30, [sp], #96\n"
    "    ret\n");
void run_lower(const char *entry, uint64_t spsr);
extern char lower_return[];

#define SNIPPET(name, exit, body)                                         \
    extern const char name[];                                             \
    __asm__("    .pushsection .text." #name ", \"ax\"\n"                  \
            "    .balign 4\n"                                             \
            "    .global " #name "\n" #name ":\n" body "\n"               \
            "    " exit "\n    .popsection\n")
#define EL1_SNIPPET(name, body) SNIPPET(name, "hvc #0xfff", body)
#define EL0_SNIPPET(name, body) SNIPPET(name, "svc #0xfff", body)

static void finish(struct exc_frame *f)
{
    f->elr = (uint64_t)lower_return;
    f->spsr = 0x3c9;            /* EL2h, DAIF masked */
}

static void report(char el, uint64_t esr, struct exc_frame *f)
{
    unsigned ec = ESR_EC(esr);
    uart_puts("    -> EL");
    uart_putc(el);
    uart_puts(" ESR=");
    uart_hex32((uint32_t)esr);
    uart_puts(" from EL");
    uart_dec((f->spsr >> 2) & 3);
    uart_puts(", insn ");
    uart_dec((f->elr - cur_entry) / 4);
    if (ec == 0x34 || ec == 0x35) {
        uint64_t far = el == '2' ? read_sysreg(far_el2) : read_sysreg(far_el1);
        uart_puts(" FAR=zbuf+");
        uart_hex(far - (uint64_t)zbuf);
    }
    if (ec == 0x32 || ec == 0x33 || ec == 0x15) {
        uart_puts(" SS=");
        uart_dec((f->spsr >> 21) & 1);
    }
    uart_puts("\n");
    taken++;
    if (ec >= 0x30 && ec <= 0x35 && ++debug_hits >= 12) {
        uart_puts("    (12 debug exceptions: MDSCR_EL1 cleared)\n");
        write_sysreg(mdscr_el1, 0);
    }
    if (ec == 0x30 || ec == 0x31)
        write_sysreg(mdscr_el1, read_sysreg(mdscr_el1) & ~MDSCR_MDE);
    if (ec == 0x32 || ec == 0x33)
        f->spsr |= SPSR_SS;         /* step on */
    if (ec == 0x34 || ec == 0x35 || ec == 0x3c)
        f->elr += 4;                /* skip the access, or the BRK */
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    unsigned ec = ESR_EC(esr);
    if (VEC_KIND(idx) != 0)
        guest_unexpected("EL2", idx, esr, f->elr);
    if (ec == 0x16 && ESR_ISS(esr) == 0xfff) {
        finish(f);                              /* end of the snippet */
        return;
    }
    report('2', esr, f);
}

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el1);
    unsigned ec = ESR_EC(esr);
    if (VEC_KIND(idx) != 0)
        guest_unexpected("EL1", idx, esr, f->elr);
    if (idx == VEC_LOWER_A64 && ec == 0x15 && ESR_ISS(esr) == 0xfff)
        __asm__ volatile("hvc #0xfff");         /* EL0 done: back to EL2 */
    report('1', esr, f);
}

static void clear_debug(void)
{
    write_sysreg(mdscr_el1, 0);
    write_sysreg(dbgbcr0_el1, 0);
    write_sysreg(dbgbcr4_el1, 0);
    write_sysreg(dbgbcr5_el1, 0);
    write_sysreg(dbgwcr0_el1, 0);
    write_sysreg(mdcr_el2, 0);
    write_sysreg(oslar_el1, 0);
    write_sysreg(contextidr_el1, 0);
    isb();
}

static void run_tests(const struct test *tests, unsigned n)
{
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    clear_debug();
    for (unsigned i = 0; i < n; i++) {
        const struct test *t = &tests[i];
        uint64_t spsr = t->mode == EL0 ? 0x3c0 : 0x3c5;

        if (t->mode == EL1)
            spsr &= ~SPSR_D;
        if (t->ss)
            spsr |= SPSR_SS;
        uart_puts("\n");
        uart_puts(t->name);
        uart_puts("\n");
        write_sysreg(hcr_el2, HCR_RW);
        write_sysreg(sctlr_el1, 0x30d00800ull);
        if (t->bp_insn >= 0) {
            write_sysreg(dbgbvr0_el1, (uint64_t)t->snippet + 4 * t->bp_insn);
            write_sysreg(dbgbcr0_el1, t->bcr);
        }
        if (t->ctx == 1) {
            write_sysreg(dbgbvr4_el1, 0x42);
            write_sysreg(dbgbcr4_el1, BCR(0, 0, 0, 3));
        }
        if (t->ctx == 2) {
            write_sysreg(dbgbvr5_el1, 0x42);
            write_sysreg(dbgbcr5_el1, BCR(PL_EL0, 0, 0, 2));
        }
        if (t->wp_off >= 0) {
            write_sysreg(dbgwvr0_el1, (uint64_t)zbuf + t->wp_off);
            write_sysreg(dbgwcr0_el1, t->wcr);
        }
        write_sysreg(contextidr_el1, t->contextidr);
        write_sysreg(mdcr_el2, t->mdcr);
        write_sysreg(oslar_el1, t->os_lock);
        write_sysreg(mdscr_el1, t->mdscr);
        isb();
        taken = 0;
        debug_hits = 0;
        cur_entry = (uint64_t)t->snippet;
        run_lower(t->snippet, spsr);
        clear_debug();
        if (!taken)
            uart_puts("    -> no exception\n");
    }
}

#endif
