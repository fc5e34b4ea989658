/*
 * Small runtime for the hypsim test guests: default (weak) exception
 * handlers and the few libc functions the compiler may call on its own.
 */
#include <stddef.h>
#include "guest.h"
#include "uart.h"

/* "*** unexpected exception at <el>: vector <idx> ESR=<esr> ELR=<elr>", no newline. */
static void report_unexpected(const char *el, uint64_t idx, uint64_t esr,
                              uint64_t elr)
{
    uart_puts("\n*** unexpected exception at ");
    uart_puts(el);
    uart_puts(": vector ");
    uart_dec(idx);
    uart_puts(" ESR=");
    uart_hex64(esr);
    uart_puts(" ELR=");
    uart_hex64(elr);
}

void guest_unexpected(const char *el, uint64_t idx, uint64_t esr, uint64_t elr)
{
    report_unexpected(el, idx, esr, elr);
    uart_puts("\n");
    psci_system_off();
}

static void unexpected(const char *el, struct exc_frame *f, uint64_t idx,
                       uint64_t esr, uint64_t far)
{
    report_unexpected(el, idx, esr, f->elr);
    uart_puts(" SPSR=");
    uart_hex64(f->spsr);
    uart_puts(" FAR=");
    uart_hex64(far);
    uart_puts("\n");
    psci_system_off();
}

__attribute__((weak)) void exc_el2(struct exc_frame *f, uint64_t idx)
{
    unexpected("EL2", f, idx, read_sysreg(esr_el2), read_sysreg(far_el2));
}

__attribute__((weak)) void exc_el1(struct exc_frame *f, uint64_t idx)
{
    unexpected("EL1", f, idx, read_sysreg(esr_el1), read_sysreg(far_el1));
}

void el0_finish(struct exc_frame *f)
{
    f->elr = (uint64_t)el0_return;
    f->spsr = 0x3c5;    /* EL1h, DAIF masked */
}

/* The compiler may emit calls to these even with -ffreestanding. */
void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (p < q) {
        while (n--)
            *p++ = *q++;
    } else {
        while (n--)
            p[n] = q[n];
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}
