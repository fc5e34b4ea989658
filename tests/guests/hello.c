/*
 * hello: the smallest guest.  Prints a greeting and the exception level it
 * was entered at (must be EL2), then returns to start.S, which powers the
 * machine off with PSCI SYSTEM_OFF.
 */
#include "guest.h"
#include "uart.h"

int main(void)
{
    uart_puts("Hello from a hypsim test guest!\n");
    uart_puts("CurrentEL: EL");
    uart_dec(current_el());
    uart_puts("\n");
    uart_puts("Powering off via PSCI SYSTEM_OFF.\n");
    return 0;
}
