/*
 * bench-alu: interpreter speed on simple ALU instructions.
 *
 * Loop body: 30 ALU instructions (ADD/SUB/EOR/ORR/AND/LSL/LSR/ROR, register,
 * shifted-register and immediate forms; no multiplies) + SUBS + B.NE
 *   = 32 instructions per iteration.
 * Default: 31,250,000 iterations = 1,000,000,000 loop instructions.
 *
 * The iteration count is the 64-bit value `bench_iterations` at the fixed
 * address 0x4008_0010 (ELF symbol bench_iterations) and can be patched.
 * Prints "bench alu done, result=0x<16 hex digits>" and powers off.
 */
    .section .text.params, "a"
    .balign 8
    .global bench_iterations
bench_iterations:
    .quad   31250000

    .section .rodata.str, "aMS", %progbits, 1
msg_done:
    .asciz  "bench alu done, result="
msg_nl:
    .asciz  "\n"

    .text
    .balign 4
    .global main
    .type   main, %function
main:
    stp     x29, x30, [sp, #-32]!
    str     x19, [sp, #16]
    ldr     x8, bench_iterations
    movz    x0, #0x1234
    movz    x1, #0x5678, lsl #16
    movz    x2, #0x9abc, lsl #32
    movz    x3, #0xdef0, lsl #48
    mov     x4, #1
    mov     x5, #2
    mov     x6, #3
    mov     x7, #4
    mov     x9, #5
    mov     x10, #6
    cbz     x8, 2f

    .balign 64
1:  /* 30 ALU instructions */
    add     x0, x0, x1
    eor     x2, x2, x0
    orr     x3, x3, x2, lsr #3
    sub     x4, x4, x3
    lsl     x5, x4, #5
    eor     x6, x6, x5
    add     x7, x7, x6
    lsr     x9, x7, #11
    eor     x1, x1, x9
    add     x2, x2, #0x123
    sub     x3, x3, x1
    eor     x0, x0, x3, lsl #2
    and     x10, x0, #0xff00ff00ff00ff00
    add     x4, x4, x10
    ror     x5, x5, #7
    eor     x6, x6, x4, lsr #9
    sub     x7, x7, x5
    orr     x9, x9, x6
    eor     x9, x9, x7
    add     w10, w10, w9
    eor     x1, x1, x10, lsl #17
    sub     x2, x2, x9, lsr #1
    and     x3, x3, #0xfffffffffffffff7
    add     x0, x0, x2
    eor     x4, x4, x0, ror #13
    lsl     x10, x1, #1
    sub     x5, x5, x10
    orr     x6, x6, #0x10
    eor     x7, x7, x3
    add     x1, x1, x7
    /* back-edge */
    subs    x8, x8, #1
    b.ne    1b

2:  eor     x19, x0, x1
    eor     x19, x19, x2
    eor     x19, x19, x3
    add     x19, x19, x4
    add     x19, x19, x5
    eor     x19, x19, x6
    eor     x19, x19, x7
    add     x19, x19, x9
    add     x19, x19, x10

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
