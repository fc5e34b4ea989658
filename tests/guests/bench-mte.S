/*
 * bench-mte: interpreter speed on tag-heavy code (FEAT_MTE2): Allocation Tag
 * stores and loads plus synchronously tag-checked loads and stores, with the
 * MMU on, all of RAM Tagged (as Linux maps its linear map when MTE is
 * present), like an MTE-using allocator's fast path.  Needs MTE: hypsim's
 * default (--mte on), QEMU's -M virt,...,mte=on.
 *
 * Setup (not counted): the stage-1 tables of bench-mmu (EL2 regime, E2H=0,
 * 4 KiB granule, T0SZ=25, PS=40 bits, cacheable inner shareable walks; 1 GiB
 * Device block for 0..1 GiB, 2 MiB blocks for RAM, and 4 KiB level 3 pages
 * for the 2 MiB holding the image), except that MAIR_EL2 Attr1 = 0xf0
 * (Tagged Normal, inner/outer write-back RW-allocate): every RAM mapping is
 * Tagged.  TCR_EL2.TBI=1 (bit 20: the tag in VA[59:56] is ignored by
 * translation), GCR_EL1 = 0 (no tag excluded, so ADDG #1 is tag+1 mod 16).
 * MMU on with SCTLR_EL2.M|C|I|ATA (A=1 kept from start.S: every access is
 * naturally aligned) and TCF=0; then the Allocation Tags of the whole image
 * (code, data, page tables, buffer, stacks: _start..__image_end) are set to
 * 0 with STG (they are UNKNOWN at reset; QEMU starts with 0), so the untagged
 * (tag 0) pointers of the setup and of the C code pass every check; then
 * SCTLR_EL2.TCF=1 (synchronous Tag Check Faults) for the rest of the run.
 * The 8 KiB buffer `buf` is filled with a pseudo-random pattern.
 *
 * Inner loop body, one 64-byte block (4 granules) of `buf` per iteration,
 * a cursor walking the blocks sequentially (wrapping within the 8 KiB); the
 * pointer tag T of the pass is in x21 (buf | T << 56):
 *   - STG, ST2G, STGP set the 4 granules' tags to T (STGP also stores data);
 *   - LDG reads granule 2's tag back into an untagged pointer to the block,
 *     which then makes a checked LDR;
 *   - a Weyl-sequence step picks a random granule of `buf`; LDG gives an
 *     untagged pointer to it that granule's current tag (T, or the previous
 *     pass's tag if not yet retagged in this pass), and it makes a checked
 *     LDR and STR; that pointer (tag included) is folded into the result;
 *   - checked LDP/STP through the pass's tagged pointer.
 * 5 tag instructions (STG, ST2G, STGP, LDG x2) + 5 tag-checked loads/stores
 * (LDP, LDR x2, STR, STP) + 12 ALU (ADD/EOR/AND with shifted operands, MADD)
 * + SUBS/B.NE = exactly 24 instructions per iteration (no other branch), no
 * Tag Check Fault ever.
 * 128 iterations per pass (the cursor covers the 8 KiB once): 3072
 * instructions, plus 4 instructions of outer loop per pass (MOV, ADDG: the
 * next pass's tag T+1 mod 16, SUBS, B.NE): 3076 instructions per pass.
 * Default: 65,000 passes = 199,940,000 loop instructions.
 *
 * The pass count is the 64-bit value `bench_iterations` at the fixed address
 * 0x4008_0010 (ELF symbol bench_iterations) and can be patched.
 * Prints "bench mte done, result=0x<16 hex digits>" (a checksum of the
 * buffer's data and Allocation Tags, read through LDG-tagged pointers, and of
 * the loop registers) and powers off, with the MMU and tag checking still on.
 */

    .arch   armv8.5-a+memtag

/* Descriptors (stage 1, EL2 regime: AP[1] RES1, bit 54 = XN) */
#define D_BLOCK         0x1
#define D_TABLE         0x3
#define D_PAGE          0x3
#define D_ATTR_DEV      (0 << 2)        /* MAIR Attr0: Device-nGnRnE */
#define D_ATTR_TAGGED   (1 << 2)        /* MAIR Attr1: Tagged Normal WB */
#define D_AP_RW         (1 << 6)        /* AP[2:1] = 01: read/write */
#define D_SH_IS         (3 << 8)
#define D_AF            (1 << 10)
#define TAGGED_BLOCK    (D_BLOCK | D_ATTR_TAGGED | D_AP_RW | D_SH_IS | D_AF)  /* 0x745 */
#define TAGGED_PAGE     (D_PAGE | D_ATTR_TAGGED | D_AP_RW | D_SH_IS | D_AF)   /* 0x747 */
#define DEVICE_BLOCK_LO (D_BLOCK | D_ATTR_DEV | D_AP_RW | D_AF)               /* 0x441 */

#define MAIR_VAL        0xf000          /* Attr1 = 0xf0 (Tagged), Attr0 = 0x00 */
/*
 * TCR_EL2 (E2H=0): RES1 bits 31 and 23; TBI (bit 20); PS (18:16) = 0b010
 * (40 bits); TG0 = 4 KiB; SH0 = inner shareable; ORGN0 = IRGN0 = WB RA WA;
 * T0SZ = 25.
 */
#define TCR_VAL         0x80923519
/* SCTLR_EL2 bits: M (0), C (2), I (12); ATA (43); TCF (41:40) = 1 (sync) */
#define SCTLR_MCI       0x1005
#define SCTLR_ATA_BIT   43
#define SCTLR_TCF_SYNC_BIT 40

#define BUF_SIZE        8192

    .section .text.params, "a"
    .balign 8
    .global bench_iterations
bench_iterations:
    .quad   65000

    .section .rodata.str, "aMS", %progbits, 1
msg_done:
    .asciz  "bench mte done, result="
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
buf:
    .space  BUF_SIZE

    .text
    .balign 4
    .global main
    .type   main, %function
main:
    stp     x29, x30, [sp, #-48]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]

    /* ---- page tables (MMU off: plain stores) ---- */
    adrp    x0, pt_l1
    add     x0, x0, :lo12:pt_l1
    adrp    x1, pt_l2
    add     x1, x1, :lo12:pt_l2
    adrp    x2, pt_l3
    add     x2, x2, :lo12:pt_l3
    adrp    x20, buf
    add     x20, x20, :lo12:buf

    /* L1[0]: 0..1 GiB Device block, XN; L1[1]: table -> L2 */
    mov     x3, #DEVICE_BLOCK_LO
    orr     x3, x3, #(1 << 54)
    str     x3, [x0]
    orr     x3, x1, #D_TABLE
    str     x3, [x0, #8]

    /* L2[i] = 0x4000_0000 + i * 2 MiB, Tagged block */
    mov     x3, #0x40000000
    mov     x5, #TAGGED_BLOCK
    orr     x3, x3, x5
    mov     x4, #0
1:  str     x3, [x1, x4, lsl #3]
    add     x3, x3, #0x200000
    add     x4, x4, #1
    cmp     x4, #512
    b.ne    1b

    /* L2 entry of the 2 MiB holding the image -> L3 table */
    ubfx    x4, x20, #21, #9
    orr     x3, x2, #D_TABLE
    str     x3, [x1, x4, lsl #3]

    /* L3[j] = (buf & ~(2 MiB - 1)) + j * 4 KiB, Tagged page */
    and     x3, x20, #~0x1fffff
    mov     x5, #TAGGED_PAGE
    orr     x3, x3, x5
    mov     x4, #0
1:  str     x3, [x2, x4, lsl #3]
    add     x3, x3, #0x1000
    add     x4, x4, #1
    cmp     x4, #512
    b.ne    1b

    /* The walks are cacheable: clean+invalidate the tables to the PoC. */
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

    /* ---- translation registers, MMU on, ATA=1, TCF=0 ---- */
    mov     x3, #MAIR_VAL
    msr     mair_el2, x3
    movz    x3, #(TCR_VAL & 0xffff)
    movk    x3, #(TCR_VAL >> 16), lsl #16
    msr     tcr_el2, x3
    msr     ttbr0_el2, x0
    msr     gcr_el1, xzr
    isb
    tlbi    alle2
    ic      iallu
    dsb     sy
    isb
    mrs     x3, sctlr_el2
    mov     x4, #SCTLR_MCI
    orr     x3, x3, x4
    orr     x3, x3, #(1 << SCTLR_ATA_BIT)
    msr     sctlr_el2, x3
    isb

    /* ---- Allocation Tags of the image := 0, then TCF=1 ---- */
    adrp    x4, _start
    add     x4, x4, :lo12:_start
    adrp    x5, __image_end
    add     x5, x5, :lo12:__image_end
1:  stg     x4, [x4], #16               /* x4 has tag 0 */
    cmp     x4, x5
    b.lo    1b
    dsb     sy
    orr     x3, x3, #(1 << SCTLR_TCF_SYNC_BIT)
    msr     sctlr_el2, x3
    isb

    /* ---- fill buf with a pattern (tag 0 everywhere; not counted) ---- */
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
    cmp     x4, #BUF_SIZE
    b.ne    1b

    ldr     x8, bench_iterations
    addg    x21, x20, #0, #1            /* pointer tag of the first pass: 1 */
    mov     x1, #0                      /* sequential cursor (offset) */
    mov     x6, #0
    mov     x11, #0
    mov     x13, #0
    mov     x15, #0
    cbz     x8, 4f

    .balign 64
0:  mov     x16, #(BUF_SIZE / 64)       /* outer: 4 instructions per pass */
1:  add     x7, x21, x1                 /*  1  p: block, tag T */
    add     x17, x20, x1                /*  2  the block, tag 0 */
    stg     x7, [x7]                    /*  3  T  granule 0 := T */
    st2g    x7, [x7, #16]               /*  4  T  granules 1, 2 := T */
    stgp    x2, x13, [x7, #48]          /*  5  T  granule 3 := T, + data */
    ldg     x17, [x17, #32]             /*  6  T  x17 gets granule 2's tag */
    ldp     x5, x6, [x7]                /*  7  C  LDP 64-bit */
    ldr     x10, [x17, #40]             /*  8  C  LDR through the LDG pointer */
    add     x2, x2, x9                  /*  9  Weyl step */
    eor     x3, x2, x2, lsr #29         /* 10 */
    and     x4, x3, #0x1ff0             /* 11  random granule */
    add     x22, x20, x4                /* 12  its address, tag 0 */
    ldg     x22, [x22]                  /* 13  T  its current tag */
    ldr     x11, [x22]                  /* 14  C  LDR */
    madd    x5, x5, x12, x6             /* 15 */
    eor     x13, x13, x5                /* 16 */
    add     x6, x6, x10, lsl #3         /* 17 */
    eor     x15, x22, x15, ror #11      /* 18  fold the LDG pointer (tag) */
    str     x6, [x22, #8]               /* 19  C  STR */
    stp     x13, x11, [x7, #16]         /* 20  C  STP 64-bit */
    add     x1, x1, #64                 /* 21 */
    and     x1, x1, #(BUF_SIZE - 64)    /* 22  wrap within 8 KiB */
    subs    x16, x16, #1                /* 23 */
    b.ne    1b                          /* 24 */
    addg    x21, x21, #0, #1            /* next pass: T + 1 (mod 16) */
    subs    x8, x8, #1
    b.ne    0b

4:  /* result: registers folded with buf's data and tags (not counted) */
    eor     x19, x2, x13
    add     x19, x19, x15
    eor     x19, x19, x6, ror #7
    add     x19, x19, x11
    eor     x19, x19, x21               /* the next pass's tag */
    mov     x4, #0
5:  add     x3, x20, x4
    ldg     x3, [x3]                    /* tag of the granule, into x3 */
    ldp     x5, x6, [x3]                /* checked: passes */
    eor     x19, x3, x19, ror #5
    add     x19, x19, x5
    eor     x19, x19, x6, ror #3
    add     x4, x4, #16
    cmp     x4, #BUF_SIZE
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
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret
    .size   main, . - main
