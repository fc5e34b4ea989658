/* Minimal PL011 console output (QEMU virt / hypsim: UART0 at 0x0900_0000). */
#ifndef UART_H
#define UART_H

#include <stdint.h>

void uart_putc(char c);
void uart_puts(const char *s);
void uart_hex64(uint64_t v);   /* "0x" + 16 hex digits */
void uart_hex32(uint32_t v);   /* "0x" + 8 hex digits */
void uart_hex(uint64_t v);     /* "0x" + minimal hex digits */
void uart_dec(uint64_t v);     /* unsigned decimal */

#endif
