/* Exception reporting for the exceptions/alignment/spalign guests (see
 * exctest.h). */
#include "exctest.h"

volatile unsigned exc_taken_el2, exc_taken_el1;

uint64_t abuf[32] __attribute__((aligned(256)));

/* Shared by all ELs (the MMU is off everywhere). */
static const char *volatile cur_name = "?";
static const char *volatile cur_label_name = "?";
static volatile uint64_t cur_label;
static const struct exc_step *el0_steps;
static unsigned el0_nsteps;

void exctest_expect(const char *name, const char *label_name, const void *label)
{
    cur_name = name;
    cur_label_name = label_name;
    cur_label = (uint64_t)label;
}

void exctest_none(const char *name)
{
    uart_puts("  ");
    uart_puts(name);
    uart_puts("\n    -> no exception!\n");
}

static int far_valid(unsigned ec)
{
    return ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25;
}

static void print_addr(uint64_t v, const char *label_name, uint64_t label)
{
    uint64_t base = (uint64_t)abuf;
    if (v >= base && v < base + sizeof(abuf)) {
        uart_puts("abuf+");
        uart_hex(v - base);
    } else if (v >= label && v < label + 0x100) {
        uart_puts(label_name);
        uart_puts("+");
        uart_hex(v - label);
    } else {
        uart_hex(v);
    }
}

static void reg(const char *name, char el)
{
    uart_puts(" ");
    uart_puts(name);
    uart_puts("_EL");
    uart_putc(el);
    uart_puts("=");
}

static void report(char el, const char *name, const char *label_name,
                   uint64_t label, uint64_t esr, uint64_t elr, uint64_t spsr,
                   uint64_t far)
{
    unsigned ec = ESR_EC(esr);
    uart_puts("  ");
    uart_puts(name);
    uart_puts("\n    -> EL");
    uart_putc(el);
    uart_puts(" EC=");
    uart_hex(ec);
    reg("ESR", el);
    uart_hex32((uint32_t)esr);
    reg("ELR", el);
    uart_puts(label_name);
    if (elr >= label) {
        uart_puts("+");
        uart_hex(elr - label);
    } else {
        uart_puts("-");
        uart_hex(label - elr);
    }
    reg("SPSR", el);
    uart_hex32((uint32_t)(spsr & EXC_SPSR_MASK));
    if (far_valid(ec)) {
        reg("FAR", el);
        print_addr(far, label_name, label);
    }
    uart_puts("\n");
}

static void skip(struct exc_frame *f, uint64_t esr)
{
    unsigned ec = ESR_EC(esr);
    if (ec == 0x15 || ec == 0x16 || ec == 0x17)
        return;                     /* SVC/HVC/SMC: ELR is the next insn */
    if (ec == 0x22)
        f->elr = f->x[30];          /* PC alignment: ELR is the bad PC */
    else
        f->elr += 4;
}

static void check_sync(uint64_t idx, const char *el)
{
    if (VEC_KIND(idx) != 0) {
        uart_puts("unexpected asynchronous exception at ");
        uart_puts(el);
        uart_puts("\n");
        psci_system_off();
    }
}

void exctest_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    uint64_t far = read_sysreg(far_el2);

    check_sync(idx, "EL2");
    exc_taken_el2++;
    if (idx >= VEC_LOWER_A64)
        uart_puts("  [EL2 handler, exception from EL1]\n");
    report('2', cur_name, cur_label_name, cur_label, esr, f->elr, f->spsr, far);
    skip(f, esr);
}

void exctest_el1(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el1);
    uint64_t far = read_sysreg(far_el1);

    check_sync(idx, "EL1");
    exc_taken_el1++;
    if (idx < VEC_LOWER_A64) {
        report('1', cur_name, cur_label_name, cur_label, esr, f->elr,
               f->spsr, far);
        skip(f, esr);
        return;
    }

    /* From EL0: identify the step by the address of the instruction. */
    uint64_t insn = ESR_EC(esr) == 0x15 ? f->elr - 4 : f->elr;
    const struct exc_step *s = 0;
    for (unsigned i = 0; i < el0_nsteps; i++)
        if ((uint64_t)el0_steps[i].addr == insn)
            s = &el0_steps[i];
    if (!s) {
        report('1', "unexpected exception from EL0", "?", 0, esr, f->elr,
               f->spsr, far);
        psci_system_off();
    }
    report('1', s->test, s->label_name, (uint64_t)s->addr, esr, f->elr,
           f->spsr, far);
    if (s->exit)
        el0_finish(f);
    else
        skip(f, esr);
}

void exctest_enter_el1(uint64_t sctlr_el1, void (*fn)(void))
{
    write_sysreg(sctlr_el1, sctlr_el1);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    isb();
    enter_el1(fn, stack_el1_top);
}

void exctest_el0_and_off(void (*prog)(void), void *sp,
                         const struct exc_step *steps, unsigned n)
{
    el0_steps = steps;
    el0_nsteps = n;
    uart_puts("\n== EL0 ==\n");
    uint64_t x0 = run_el0(prog, sp);
    uart_puts("back at EL");
    uart_dec(current_el());
    uart_puts(", EL0 x0=");
    uart_hex(x0);
    uart_puts("\n\nexceptions taken: EL2=");
    uart_dec(exc_taken_el2);
    uart_puts(" EL1=");
    uart_dec(exc_taken_el1);
    uart_puts("\npowering off via SMC from EL");
    uart_dec(current_el());
    uart_puts("\n");
    psci_system_off();
}
