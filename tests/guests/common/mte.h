/*
 * Helpers shared by the MTE guests (mte, mte_el1): the MTE system registers
 * by encoding, pointer tags, tag instructions that cannot fault in the way
 * they are used here, stage-1 descriptor bits, MAIR values and a fault
 * reporter that names addresses relative to labels and buffers.
 *
 * The guests are built with -march=armv8.2-a, so every asm block that uses
 * an MTE instruction starts with MTE_ASM (binutils does not accept
 * ".arch_extension memtag" on top of armv8.2-a; armv8.5-a is a superset).
 */
#ifndef MTE_H
#define MTE_H

#include "guest.h"
#include "uart.h"

#define MTE_ASM ".arch armv8.5-a+memtag\n"

/* MTE System registers (encodings, so that no +memtag is needed). */
#define GCR_EL1     s3_0_c1_c0_6
#define RGSR_EL1    s3_0_c1_c0_5
#define TFSR_EL1    s3_0_c5_c6_0
#define TFSRE0_EL1  s3_0_c5_c6_1
#define TFSR_EL2    s3_4_c5_c6_0
#define GMID_EL1    s3_1_c0_c0_4
/* read_sysreg/write_sysreg stringize their argument: expand it first */
#define MRS(r)      read_sysreg(r)
#define MSR(r, v)   write_sysreg(r, v)

/* SCTLR_ELx MTE fields */
#define SCTLR_M     (1ull << 0)
#define SCTLR_C     (1ull << 2)
#define SCTLR_I     (1ull << 12)
#define SCTLR_TCF0(x) ((uint64_t)(x) << 38)
#define SCTLR_TCF(x)  ((uint64_t)(x) << 40)
#define SCTLR_ATA0  (1ull << 42)
#define SCTLR_ATA   (1ull << 43)
#define TCF_NONE    0
#define TCF_SYNC    1
#define TCF_ASYNC   2
#define TCF_ASYMM   3

/* Pointer tags: bits [59:56] */
#define TAGGED(p, t) (((uint64_t)(p) & ~(0xfull << 56)) | ((uint64_t)(t) << 56))
#define TAG_OF(v)    (((uint64_t)(v) >> 56) & 0xf)

/* ---- stage-1 descriptors (VMSAv8-64, 4K granule) ---- */
#define D_TABLE     3ull
#define D_PAGE      3ull
#define D_BLOCK     1ull
#define D_ATTR(i)   ((uint64_t)(i) << 2)
#define D_AP(x)     ((uint64_t)(x) << 6)    /* AP[2:1] */
#define D_SH_IS     (3ull << 8)
#define D_AF        (1ull << 10)
#define D_PXN       (1ull << 53)
#define D_UXN       (1ull << 54)            /* XN in the EL2 regime */

/* MAIR: Attr0 Tagged Normal WB (0xf0), Attr1 Device-nGnRnE, Attr2 Normal
 * WB RW-allocate, not Tagged (0xff), Attr3 Normal Non-cacheable (0x44) */
#define MAIR_MTE    0x44ff00f0ull
#define A_TAGGED    0
#define A_DEVICE    1
#define A_UNTAGGED  2
#define A_NC        3

typedef uint64_t table_t[512] __attribute__((aligned(4096)));

extern char _start[], __image_end[];

/* ---- tag instructions used as tools (TCF, alignment: cannot fault) ---- */
static inline uint64_t ldg_tag(uint64_t va)
{
    uint64_t t = 0;
    __asm__ volatile(MTE_ASM "ldg %0, [%1]" : "+r"(t) : "r"(va) : "memory");
    return TAG_OF(t);
}

static inline void stg_tag(uint64_t va, unsigned tag)
{
    __asm__ volatile(MTE_ASM "stg %0, [%0]" :: "r"(TAGGED(va, tag)) : "memory");
}

static inline uint64_t ldgm(uint64_t va)
{
    uint64_t v;
    __asm__ volatile(MTE_ASM "ldgm %0, [%1]" : "=r"(v) : "r"(va) : "memory");
    return v;
}

/* Allocation tags are UNKNOWN at reset: set those of [start, end) to 0. */
static inline void clear_tags(uint64_t start, uint64_t end)
{
    for (uint64_t a = start & ~15ull; a < end; a += 16)
        __asm__ volatile(MTE_ASM "stg %0, [%0]" :: "r"(a) : "memory");
    __asm__ volatile("dsb sy" ::: "memory");
}

static inline void tlbi_alle2(void)
{
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
}

/* ---- reporting ---- */
struct mte_buf {
    const char *name;
    uint64_t base, size;
};

/* The label of the instruction a test expects to fault (set by EXPECT). */
static const char *volatile mte_label_name = "?";
static volatile uint64_t mte_label;
static volatile unsigned mte_faults;
#define EXPECT(label) do {                                  \
        extern char label[];                                \
        mte_label_name = #label;                            \
        mte_label = (uint64_t)label;                        \
        mte_faults = 0;                                     \
    } while (0)

/* An address as "[tag t] <buf>+off" (bits 55:0 against the buffers), with
 * bits 63:60 too when they are not zero. */
static inline void mte_print_va(uint64_t v, const struct mte_buf *bufs,
                                unsigned nbufs)
{
    uint64_t a = v & 0x00ffffffffffffffull;
    if (v >> 60) {
        uart_puts("[63:60 ");
        uart_hex(v >> 60);
        uart_puts("] ");
    }
    uart_puts("[tag ");
    uart_hex(TAG_OF(v));
    uart_puts("] ");
    for (unsigned i = 0; i < nbufs; i++) {
        if (a >= bufs[i].base && a < bufs[i].base + bufs[i].size) {
            uart_puts(bufs[i].name);
            uart_puts("+");
            uart_hex(a - bufs[i].base);
            return;
        }
    }
    uart_hex(a);
}

/* "    -> EL<el> ESR_EL<el>=0x........ ELR=<label>+off [FAR_EL<el>=...]" for
 * an exception taken to EL<el>; FAR only for instruction/data aborts. */
static inline void mte_report(char el, uint64_t esr, uint64_t elr,
                              uint64_t far, const struct mte_buf *bufs,
                              unsigned nbufs)
{
    unsigned ec = ESR_EC(esr);
    uart_puts("    -> EL");
    uart_putc(el);
    uart_puts(" ESR_EL");
    uart_putc(el);
    uart_puts("=");
    uart_hex32((uint32_t)esr);
    uart_puts(" ELR=");
    if (elr >= mte_label && elr < mte_label + 0x100) {
        uart_puts(mte_label_name);
        uart_puts("+");
        uart_hex(elr - mte_label);
    } else {
        uart_puts("?");
    }
    if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25) {
        uart_puts(" FAR_EL");
        uart_putc(el);
        uart_puts("=");
        mte_print_va(far, bufs, nbufs);
    }
    uart_puts("\n");
    mte_faults++;
}

#endif
