/*
 * bench-mmu: interpreter speed on MMU-on integer code with loads and stores,
 * like real kernel code (stage-1 translation on, caches on).
 *
 * Setup (not counted): stage-1 tables for the EL2 regime (E2H=0) in .bss,
 * 4 KiB granule, TCR_EL2.T0SZ=25 (39-bit VA, walk starts at level 1), PS=40
 * bits, table walks inner/outer write-back cacheable, inner shareable;
 * MAIR_EL2 Attr0 = 0x00 (Device-nGnRnE), Attr1 = 0xff (Normal WB).  Identity
 * map:
 *   0x0000_0000..0x3fff_ffff  level 1 1 GiB block, Device, XN (UART, GIC)
 *   0x4000_0000..0x7fff_ffff  level 2 2 MiB blocks, Normal, inner shareable,
 *                             except the 2 MiB holding `arr`, whose level 2
 *                             entry points to a level 3 table of 512 4 KiB
 *                             pages (Normal): the array -- and the image, its
 *                             .bss and stack, which share that 2 MiB -- go
 *                             through a full 3-level walk (L1 -> L2 -> L3
 *                             page), like a kernel's page mappings.
 * The tables are cleaned+invalidated to the PoC (DC CIVAC: they were written
 * with the MMU off), then MAIR/TCR/TTBR0_EL2, ISB, TLBI ALLE2, IC IALLU, DSB,
 * ISB, SCTLR_EL2.M|C|I (A=1 kept from start.S: every access is naturally
 * aligned), ISB.  The 4 KiB array `arr` is then filled with a pseudo-random
 * pattern.
 *
 * Inner loop body: a Weyl-sequence step picks a random 16-byte slot p of the
 * array, a cursor walks 16-byte slots q sequentially (wrapping within the
 * 4 KiB), and a 64-bit word is read at an offset loaded from q (pointer
 * chase).  12 loads/stores (LDP/STP of 64-bit and 32-bit pairs, LDR/STR of
 * 8/32/64 bits, register-offset forms) + 14 ALU (ADD/EOR/AND with shifted
 * operands, MADD, CMP, CSEL) + a data-dependent TBZ on a Weyl bit (taken about
 * half the time) whose two paths are both 3 instructions (TBZ + EOR + B, or
 * TBZ taken + ORR + ADD) + SUBS/B.NE = exactly 31 instructions per iteration
 * on every path (12/31 = 39% memory operations).
 * 256 iterations per pass (the cursor covers the 4 KiB once): 7936
 * instructions, plus 3 instructions of outer loop per pass (MOV, SUBS, B.NE):
 * 7939 instructions per pass.
 * Default: 37,800 passes = 300,094,200 loop instructions.
 *
 * The pass count is the 64-bit value `bench_iterations` at the fixed address
 * 0x4008_0010 (ELF symbol bench_iterations) and can be patched.
 * Prints "bench mmu done, result=0x<16 hex digits>" (a checksum of the array
 * and the loop registers) and powers off, with the MMU still on.
 */

/* Descriptors (stage 1, EL2 regime: AP[1] RES1, bit 54 = XN) */
#define D_BLOCK         0x1
#define D_TABLE         0x3
#define D_PAGE          0x3
#define D_ATTR_DEV      (0 << 2)        /* MAIR Attr0: Device-nGnRnE */
#define D_ATTR_NORM     (1 << 2)        /* MAIR Attr1: Normal WB */
#define D_AP_RW         (1 << 6)        /* AP[2:1] = 01: read/write */
#define D_SH_IS         (3 << 8)
#define D_AF            (1 << 10)
#define NORMAL_BLOCK    (D_BLOCK | D_ATTR_NORM | D_AP_RW | D_SH_IS | D_AF)  /* 0x745 */
#define NORMAL_PAGE     (D_PAGE | D_ATTR_NORM | D_AP_RW | D_SH_IS | D_AF)   /* 0x747 */
#define DEVICE_BLOCK_LO (D_BLOCK | D_ATTR_DEV | D_AP_RW | D_AF)             /* 0x441 */

#define MAIR_VAL        0xff00          /* Attr1 = 0xff, Attr0 = 0x00 */
/*
 * TCR_EL2 (E2H=0): RES1 bits 31 and 23; PS (18:16) = 0b010 (40 bits);
 * TG0 = 4 KiB; SH0 = inner shareable; ORGN0 = IRGN0 = WB RA WA; T0SZ = 25.
 */
#define TCR_VAL         0x80823519
/* SCTLR_EL2 bits: M (0), C (2), I (12) */
#define SCTLR_MCI       0x1005

    .section .text.params, "a"
    .balign 8
    .global bench_iterations
bench_iterations:
    .quad   37800

    .section .rodata.str, "aMS", %progbits, 1
msg_done:
    .asciz  "bench mmu done, result="
msg_nl:
    .asciz  "\n"

    .bss
    .balign 4096
pt_l1:
    .space  4096
pt_l2:
    .space  4096
pt_l3:
    .space  4096
pt_end:
arr:
    .space  4096

    .text
    .balign 4
    .global main
    .type   main, %function
main:
    stp     x29, x30, [sp, #-80]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    str     x25, [sp, #64]

    /* ---- page tables (MMU off: plain stores) ---- */
    adrp    x0, pt_l1
    add     x0, x0, :lo12:pt_l1
    adrp    x1, pt_l2
    add     x1, x1, :lo12:pt_l2
    adrp    x2, pt_l3
    add     x2, x2, :lo12:pt_l3
    adrp    x20, arr
    add     x20, x20, :lo12:arr

    /* L1[0]: 0..1 GiB Device block, XN; L1[1]: table -> L2 */
    mov     x3, #DEVICE_BLOCK_LO
    orr     x3, x3, #(1 << 54)
    str     x3, [x0]
    orr     x3, x1, #D_TABLE
    str     x3, [x0, #8]

    /* L2[i] = 0x4000_0000 + i * 2 MiB, Normal block */
    mov     x3, #0x40000000
    mov     x5, #NORMAL_BLOCK
    orr     x3, x3, x5
    mov     x4, #0
1:  str     x3, [x1, x4, lsl #3]
    add     x3, x3, #0x200000
    add     x4, x4, #1
    cmp     x4, #512
    b.ne    1b

    /* L2 entry of the 2 MiB holding arr -> L3 table */
    ubfx    x4, x20, #21, #9
    orr     x3, x2, #D_TABLE
    str     x3, [x1, x4, lsl #3]

    /* L3[j] = (arr & ~(2 MiB - 1)) + j * 4 KiB, Normal page */
    and     x3, x20, #~0x1fffff
    mov     x5, #NORMAL_PAGE
    orr     x3, x3, x5
    mov     x4, #0
1:  str     x3, [x2, x4, lsl #3]
    add     x3, x3, #0x1000
    add     x4, x4, #1
    cmp     x4, #512
    b.ne    1b

    /*
     * The walks are cacheable: clean+invalidate the tables to the PoC
     * (line size from CTR_EL0.DminLine).
     */
    dsb     sy
    mrs     x3, ctr_el0
    ubfx    x3, x3, #16, #4
    mov     x4, #4
    lsl     x4, x4, x3                  /* smallest D-cache line, bytes */
    adrp    x5, pt_end
    add     x5, x5, :lo12:pt_end
    mov     x6, x0
1:  dc      civac, x6
    add     x6, x6, x4
    cmp     x6, x5
    b.lo    1b
    dsb     sy

    /* ---- translation registers, MMU on ---- */
    mov     x3, #MAIR_VAL
    msr     mair_el2, x3
    movz    x3, #(TCR_VAL & 0xffff)
    movk    x3, #(TCR_VAL >> 16), lsl #16
    msr     tcr_el2, x3
    msr     ttbr0_el2, x0
    isb
    tlbi    alle2
    ic      iallu
    dsb     sy
    isb
    mrs     x3, sctlr_el2
    mov     x4, #SCTLR_MCI
    orr     x3, x3, x4
    msr     sctlr_el2, x3
    isb

    /* ---- fill arr with a pattern (MMU on; not counted) ---- */
    movz    x9, #0x7c15                 /* Weyl constant 0x9e3779b97f4a7c15 */
    movk    x9, #0x7f4a, lsl #16
    movk    x9, #0x79b9, lsl #32
    movk    x9, #0x9e37, lsl #48
    movz    x12, #0x7f2d                /* multiplier 0x5851f42d4c957f2d */
    movk    x12, #0x4c95, lsl #16
    movk    x12, #0xf42d, lsl #32
    movk    x12, #0x5851, lsl #48
    movz    x2, #0x5eed
    mov     x4, #0
1:  madd    x2, x2, x12, x9
    str     x2, [x20, x4]
    add     x4, x4, #8
    cmp     x4, #4096
    b.ne    1b

    ldr     x8, bench_iterations
    mov     x1, #0                      /* sequential cursor (offset) */
    mov     x13, #0
    mov     x14, #0
    mov     x15, #0
    mov     x23, #0
    cbz     x8, 4f

    .balign 64
0:  mov     x16, #256                   /* outer: 3 instructions per pass */
1:  add     x2, x2, x9                  /*  1  Weyl step */
    eor     x3, x2, x2, lsr #29         /*  2 */
    and     x4, x3, #0xff0              /*  3  random 16-byte slot */
    add     x7, x20, x4                 /*  4  p */
    add     x17, x20, x1                /*  5  q */
    ldp     x5, x6, [x7]                /*  6  M  LDP 64-bit */
    ldr     w10, [x17, #4]              /*  7  M  LDR 32-bit */
    ldrb    w11, [x7, #9]               /*  8  M  LDRB */
    ldp     w24, w21, [x17, #8]         /*  9  M  LDP 32-bit */
    madd    x5, x5, x12, x6             /* 10 */
    eor     x13, x13, x5                /* 11 */
    and     x22, x21, #0xff8            /* 12  data-dependent offset */
    ldr     x23, [x20, x22]             /* 13  M  LDR 64-bit, register offset */
    add     x6, x6, x10, lsl #3         /* 14 */
    cmp     x5, x6                      /* 15 */
    csel    x15, x5, x6, hi             /* 16 */
    tbz     x3, #40, 2f                 /* 17 */
    eor     x14, x14, x11, lsl #7       /* 18 */
    b       3f                          /* 19 */
2:  orr     x25, x11, x24, lsl #8       /* 18' */
    add     x14, x14, x25               /* 19' */
3:  stp     x15, x13, [x7]              /* 20  M  STP 64-bit */
    str     w14, [x17, #8]              /* 21  M  STR 32-bit */
    strb    w5, [x7, #3]                /* 22  M  STRB */
    str     w6, [x20, x22]              /* 23  M  STR 32-bit, register offset */
    ldr     x10, [x17]                  /* 24  M  LDR 64-bit */
    add     x10, x10, x23               /* 25 */
    str     x10, [x17]                  /* 26  M  STR 64-bit */
    str     w15, [x17, #12]             /* 27  M  STR 32-bit */
    add     x1, x1, #16                 /* 28 */
    and     x1, x1, #0xff0              /* 29  wrap within 4 KiB */
    subs    x16, x16, #1                /* 30 */
    b.ne    1b                          /* 31 */
    subs    x8, x8, #1
    b.ne    0b

4:  /* result: registers folded with a checksum of arr (not counted) */
    eor     x19, x2, x13
    add     x19, x19, x14
    eor     x19, x19, x15, ror #7
    add     x19, x19, x23
    mov     x4, #0
5:  ldr     x3, [x20, x4]
    eor     x19, x3, x19, ror #5
    add     x4, x4, #8
    cmp     x4, #4096
    b.ne    5b

    adrp    x0, msg_done
    add     x0, x0, :lo12:msg_done
    bl      uart_puts
    mov     x0, x19
    bl      uart_hex64
    adrp    x0, msg_nl
    add     x0, x0, :lo12:msg_nl
    bl      uart_puts

    mov     w0, #0
    ldr     x25, [sp, #64]
    ldp     x23, x24, [sp, #48]
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #80
    ret
    .size   main, . - main
