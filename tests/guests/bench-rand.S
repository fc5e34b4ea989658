/*
 * bench-rand: the 16 MiB random-access memory mix -- MMU-on integer code whose loads and
 * stores land on random 4 KiB pages of a 16 MiB array (4096 pages), so most accesses
 * miss any small translation cache: the emulator's softmmu/fast TLB and its walks are
 * what it measures, like a kernel touching a large working set.
 *
 * Setup (not counted): as bench-mmu (stage-1 EL2 tables, 4 KiB granule, 39-bit VA,
 * identity map, 2 MiB Normal blocks), except that the eight 2 MiB regions holding `arr`
 * (16 MiB, 2 MiB aligned) are mapped by eight level 3 tables of 4 KiB pages. Tables
 * cleaned to the PoC, MMU and caches on, TLBI ALLE2. `arr` starts zeroed (.bss).
 *
 * Inner loop body (19 instructions, 5 memory operations, no data-dependent branch):
 * two Weyl/xorshift steps give two random 8-byte slots p, r anywhere in the 16 MiB;
 * load p, load a pair at r, mix with MADD/EOR, store back at p and r, and read the slot
 * the loaded value points at (a dependent random load).
 * 1024 iterations per pass + 3 instructions of outer loop: 19459 instructions per pass.
 * Default: 2,000 passes = 38,918,000 loop instructions.
 *
 * The pass count is the 64-bit value `bench_iterations` at the fixed address
 * 0x4008_0010 (ELF symbol bench_iterations) and can be patched.
 * Prints "bench rand done, result=0x<16 hex digits>" (a checksum of the registers and
 * 4096 sampled words of the array) and powers off, with the MMU still on.
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
    .quad   2000

    .section .rodata.str, "aMS", %progbits, 1
msg_done:
    .asciz  "bench rand done, result="
msg_nl:
    .asciz  "\n"

    .bss
    .balign 4096
pt_l1:
    .space  4096
pt_l2:
    .space  4096
pt_l3:
    .space  8 * 4096
pt_end:
    .balign 0x200000
arr:
    .space  16 * 1024 * 1024

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

    /* The 8 L2 entries of arr -> the 8 L3 tables */
    ubfx    x4, x20, #21, #9
    mov     x6, x2
    mov     x7, #8
1:  orr     x3, x6, #D_TABLE
    str     x3, [x1, x4, lsl #3]
    add     x4, x4, #1
    add     x6, x6, #4096
    subs    x7, x7, #1
    b.ne    1b

    /* L3: 4096 pages from arr, Normal */
    mov     x3, x20
    mov     x5, #NORMAL_PAGE
    orr     x3, x3, x5
    mov     x4, #0
1:  str     x3, [x2, x4, lsl #3]
    add     x3, x3, #0x1000
    add     x4, x4, #1
    cmp     x4, #4096
    b.ne    1b

    /* The walks are cacheable: clean+invalidate the tables to the PoC. */
    dsb     sy
    mrs     x3, ctr_el0
    ubfx    x3, x3, #16, #4
    mov     x4, #4
    lsl     x4, x4, x3
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

    movz    x9, #0x7c15                 /* Weyl constant 0x9e3779b97f4a7c15 */
    movk    x9, #0x7f4a, lsl #16
    movk    x9, #0x79b9, lsl #32
    movk    x9, #0x9e37, lsl #48
    movz    x12, #0x7f2d                /* multiplier 0x5851f42d4c957f2d */
    movk    x12, #0x4c95, lsl #16
    movk    x12, #0xf42d, lsl #32
    movk    x12, #0x5851, lsl #48
    mov     x11, #0xfffff8              /* 8-byte slots of 16 MiB */
    mov     x2, #0x5eed
    ldr     x8, bench_iterations
    mov     x13, #0
    mov     x14, #0
    cbz     x8, 4f

    .balign 64
0:  mov     x16, #1024                  /* outer: 3 instructions per pass */
1:  add     x2, x2, x9                  /*  1  Weyl step */
    eor     x3, x2, x2, lsr #29         /*  2 */
    and     x4, x3, x11                 /*  3  random slot p */
    eor     x5, x3, x3, lsr #17         /*  4 */
    and     x6, x5, x11                 /*  5  random slot r (8-byte aligned) */
    and     x6, x6, #~0xf               /*  6  16-byte aligned for the pair */
    ldr     x7, [x20, x4]               /*  7  M  load p */
    add     x17, x20, x6                /*  8 */
    ldp     x21, x22, [x17]             /*  9  M  load pair r */
    madd    x7, x7, x12, x21            /* 10 */
    eor     x13, x13, x7                /* 11 */
    str     x7, [x20, x4]               /* 12  M  store p */
    add     x22, x22, x3                /* 13 */
    stp     x22, x13, [x17]             /* 14  M  store pair r */
    and     x10, x7, x11                /* 15  slot the value points at */
    ldr     x10, [x20, x10]             /* 16  M  dependent random load */
    add     x14, x14, x10               /* 17 */
    subs    x16, x16, #1                /* 18 */
    b.ne    1b                          /* 19 */
    subs    x8, x8, #1
    b.ne    0b

4:  /* result: registers folded with 4096 sampled words of arr (not counted) */
    eor     x19, x2, x13
    add     x19, x19, x14
    mov     x4, #0
    mov     x5, #(16 * 1024 * 1024)
5:  ldr     x3, [x20, x4]
    eor     x19, x3, x19, ror #5
    add     x4, x4, #4096
    cmp     x4, x5
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
