/*
 * mtefile: guest RAM and MTE tags kept in files (hypsim --memory-file and
 * --tag-file). No golden: tests/mte_files.rs runs it twice with the same
 * files. The first run finds no magic word at SLOT, so it writes 16
 * granules of data with allocation tags 0..15 and then the magic word, and
 * powers off; a later run finds the magic word and prints the data and
 * tags (read with LDG) it left there.
 */
#include "mte.h"

#define RAM_BASE    0x40000000ull
/* 256 MiB into RAM: clear of the image and of hypsim's DTB slot (RAM +
 * 128 MiB) */
#define SLOT        0x50000000ull
#define MAGIC       0x4d544546494c4521ull   /* "!ELIFETM" */
#define SCTLR_BASE  (0x30c50830ull | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_ATA)
/* RES1 31, 23; PS=40 bits; SH0=IS; WB walks; TG0=4K; T0SZ=25; TBI */
#define TCR_VAL     ((1ull << 31) | (1ull << 23) | (1ull << 20) | (2ull << 16) | \
                     (3 << 12) | (1 << 10) | (1 << 8) | 25)

static table_t l1;

int main(void)
{
    volatile uint64_t *p = (volatile uint64_t *)SLOT;

    l1[0] = 0x0 | D_ATTR(A_DEVICE) | D_AF | D_AP(1) | D_UXN | D_BLOCK;
    l1[1] = RAM_BASE | D_ATTR(A_TAGGED) | D_SH_IS | D_AF | D_AP(1) | D_BLOCK;
    write_sysreg(mair_el2, MAIR_MTE);
    write_sysreg(ttbr0_el2, (uint64_t)l1);
    write_sysreg(tcr_el2, TCR_VAL);
    tlbi_alle2();
    write_sysreg(sctlr_el2, SCTLR_BASE);
    isb();

    if (p[0] != MAGIC) {
        for (unsigned i = 1; i < 16; i++) {
            stg_tag(SLOT + 16 * i, i);
            p[2 * i] = 0x1111111111111111ull * i;
        }
        __asm__ volatile("dsb sy" ::: "memory");
        p[0] = MAGIC;
        uart_puts("mtefile: stored 15 granules of data and tags\n");
        return 0;
    }
    uart_puts("mtefile: found data and tags of an earlier run\n");
    for (unsigned i = 1; i < 16; i++) {
        uart_puts("  granule ");
        uart_hex(i);
        uart_puts(": tag ");
        uart_hex(ldg_tag(SLOT + 16 * i));
        uart_puts(" data ");
        uart_hex64(p[2 * i]);
        uart_puts("\n");
    }
    return 0;
}
