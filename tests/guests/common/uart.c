/* Minimal PL011 console output for the hypsim test guests. */
#include "uart.h"

#define UART_BASE   0x09000000ul
#define UART_DR     (*(volatile uint8_t *)(UART_BASE + 0x00))
#define UART_FR     (*(volatile uint32_t *)(UART_BASE + 0x18))
#define UART_FR_TXFF (1u << 5)

void uart_putc(char c)
{
    while (UART_FR & UART_FR_TXFF)
        ;
    UART_DR = (uint8_t)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

static void hex_digits(uint64_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    uart_putc('0');
    uart_putc('x');
    for (int i = digits - 1; i >= 0; i--)
        uart_putc(hex[(v >> (4 * i)) & 0xf]);
}

void uart_hex64(uint64_t v) { hex_digits(v, 16); }
void uart_hex32(uint32_t v) { hex_digits(v, 8); }

void uart_hex(uint64_t v)
{
    int digits = 1;
    while (digits < 16 && (v >> (4 * digits)) != 0)
        digits++;
    hex_digits(v, digits);
}

void uart_dec(uint64_t v)
{
    char buf[21];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        uart_putc(buf[--i]);
}
