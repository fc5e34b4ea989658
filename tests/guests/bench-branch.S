/*
 * bench-branch: interpreter speed on data-dependent control flow.
 *
 * Each iteration advances a xorshift64 generator (3 instructions) and then
 * takes four data-dependent two-way branches (TBZ, CBZ, B.LT, TBNZ; both
 * sides of each are 3 instructions long including the branch), calls a
 * leaf function (BL + 3 instructions ending in RET) and closes with
 * SUBS + B.NE: exactly 23 instructions per iteration whatever the path.
 * Default: 13,000,000 iterations = 299,000,000 loop instructions.
 *
 * The iteration count is the 64-bit value `bench_iterations` at the fixed
 * address 0x4008_0010 (ELF symbol bench_iterations) and can be patched.
 * Prints "bench branch done, result=0x<16 hex digits>" and powers off.
 */
    .section .text.params, "a"
    .balign 8
    .global bench_iterations
bench_iterations:
    .quad   13000000

    .section .rodata.str, "aMS", %progbits, 1
msg_done:
    .asciz  "bench branch done, result="
msg_nl:
    .asciz  "\n"

    .text
    .balign 4
    .global main
    .type   main, %function
main:
    stp     x29, x30, [sp, #-32]!
    str     x19, [sp, #16]
    ldr     x9, bench_iterations
    movz    x0, #0x7c15
    movk    x0, #0x9e37, lsl #48        /* xorshift state, nonzero */
    mov     x1, #0
    mov     x3, #0
    mov     x4, #0
    mov     x5, #0
    mov     x6, #0
    cbz     x9, 9f

    .balign 64
loop:
    eor     x0, x0, x0, lsl #13         /* 1 */
    eor     x0, x0, x0, lsr #7          /* 2 */
    eor     x0, x0, x0, lsl #17         /* 3 */
    tbz     x0, #5, 1f                  /* 4 */
    add     x1, x1, #1                  /* 5 */
    b       2f                          /* 6 */
1:  sub     x1, x1, #3                  /* 5 */
    b       2f                          /* 6 */
2:  and     x2, x0, #0x300              /* 7 */
    cbz     x2, 3f                      /* 8 */
    eor     x3, x3, x0                  /* 9 */
    b       4f                          /* 10 */
3:  add     x3, x3, #7                  /* 9 */
    b       4f                          /* 10 */
4:  cmp     x1, x3                      /* 11 */
    b.lt    5f                          /* 12 */
    add     x4, x4, x1                  /* 13 */
    b       6f                          /* 14 */
5:  sub     x4, x4, x3                  /* 13 */
    b       6f                          /* 14 */
6:  bl      leaf                        /* 15, leaf: 16-18 */
    tbnz    x0, #17, 7f                 /* 19 */
    add     x5, x5, x0, lsr #3          /* 20 */
    b       8f                          /* 21 */
7:  sub     x5, x5, x0, lsl #1          /* 20 */
    b       8f                          /* 21 */
8:  subs    x9, x9, #1                  /* 22 */
    b.ne    loop                        /* 23 */

9:  eor     x19, x0, x1
    add     x19, x19, x3
    eor     x19, x19, x4, ror #11
    add     x19, x19, x5
    eor     x19, x19, x6, ror #29

    adrp    x0, msg_done
    add     x0, x0, :lo12:msg_done
    bl      uart_puts
    mov     x0, x19
    bl      uart_hex64
    adrp    x0, msg_nl
    add     x0, x0, :lo12:msg_nl
    bl      uart_puts

    mov     w0, #0
    ldr     x19, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret
    .size   main, . - main

    .type   leaf, %function
leaf:
    eor     x6, x6, x4, ror #7
    add     x6, x6, #1
    ret
    .size   leaf, . - leaf
