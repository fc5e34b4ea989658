/*
 * demo: hypsim's built-in demo guest -- a tiny hypervisor and its guest.
 *
 *   EL2 (the "hypervisor"): installs its exception vectors (VBAR_EL2),
 *       makes EL1 AArch64 (HCR_EL2.RW=1) and enters the guest with ERET.
 *   EL1 (the "guest"): says hello, asks the hypervisor for a service with
 *       HVC #1, prints the answer and powers off with PSCI SYSTEM_OFF
 *       (SMC #0, which goes to the firmware because HCR_EL2.TSC=0).
 */
#include "guest.h"
#include "uart.h"

/* EL1: the guest. */
static void guest_main(void)
{
    uart_puts("hello from the EL1 guest (CurrentEL=");
    uart_dec(current_el());
    uart_puts(")\n");

    register uint64_t x0 __asm__("x0") = 20;
    __asm__ volatile("hvc #1" : "+r"(x0) :: "memory");
    uint64_t answer = x0;

    uart_puts("EL1 guest: the hypervisor answered ");
    uart_dec(answer);
    uart_puts(", powering off\n");
    psci_system_off();
}

/* EL2: every exception taken to EL2 lands here (see common/start.S). */
void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);

    if (idx == VEC_LOWER_A64 && ESR_EC(esr) == 0x16) {     /* HVC from EL1 */
        uart_puts("EL2: hypercall #");
        uart_dec(esr & 0xffff);
        uart_puts(" from EL1, ESR_EL2=");
        uart_hex32((uint32_t)esr);
        uart_puts("\n");
        f->x[0] = f->x[0] * 2 + 2;      /* the "service": x0 -> 2*x0 + 2 */
        return;                         /* ERET to the instruction after HVC */
    }
    uart_puts("EL2: unexpected exception, ESR_EL2=");
    uart_hex32((uint32_t)esr);
    uart_puts("\n");
    psci_system_off();
}

/* EL2: the hypervisor. */
int main(void)
{
    uart_puts("hypsim demo: EL2 hypervisor starting\n");
    write_sysreg(vbar_el2, (uint64_t)vectors_el2);
    write_sysreg(hcr_el2, 1ull << 31);          /* RW: EL1 is AArch64 */
    write_sysreg(sctlr_el1, 0x30d00802);        /* EL1: MMU off, A=1 */
    isb();
    uart_puts("EL2: entering the guest at EL1\n");
    enter_el1(guest_main, stack_el1_top);       /* ERET */
}
