/*
 * bench-ldst: interpreter speed on loads and stores to RAM.
 *
 * A 64 KiB buffer in .bss is walked in 64-byte steps.  Inner loop body:
 * 11 loads/stores (LDP/STP, LDR/STR of 8/16/32/64 bits, LDRSW) + 4 ALU +
 * ADD/CMP/B.NE = 18 instructions per 64-byte step, 1024 steps per pass
 * (18432 instructions), plus 4 instructions of outer loop per pass
 * (MOV, ADD, SUBS, B.NE): 18436 instructions per pass.
 * Default: 16,000 passes = 294,976,000 loop instructions.
 *
 * The pass count is the 64-bit value `bench_iterations` at the fixed address
 * 0x4008_0010 (ELF symbol bench_iterations) and can be patched.
 * Prints "bench ldst done, result=0x<16 hex digits>" and powers off.
 * All accesses are naturally aligned (the MMU is off: Device memory).
 */
    .section .text.params, "a"
    .balign 8
    .global bench_iterations
bench_iterations:
    .quad   16000

    .section .rodata.str, "aMS", %progbits, 1
msg_done:
    .asciz  "bench ldst done, result="
msg_nl:
    .asciz  "\n"

    .bss
    .balign 64
buf:
    .space  0x10000

    .text
    .balign 4
    .global main
    .type   main, %function
main:
    stp     x29, x30, [sp, #-32]!
    str     x19, [sp, #16]
    ldr     x8, bench_iterations
    adrp    x14, buf
    add     x14, x14, :lo12:buf
    add     x13, x14, #0x10000          /* end of buffer */
    movz    x10, #0x5eed
    movk    x10, #0x1234, lsl #32
    cbz     x8, 3f

    .balign 64
1:  mov     x1, x14                     /* outer: 4 instructions per pass */
2:  ldp     x2, x3, [x1]                /* inner: 18 instructions */
    ldp     x4, x5, [x1, #16]
    add     x2, x2, x10
    eor     x3, x3, x4
    stp     x3, x2, [x1, #8]
    ldr     w6, [x1, #32]
    ldrb    w7, [x1, #35]
    ldrh    w11, [x1, #22]
    add     x10, x10, x5
    add     w6, w6, w7
    str     w6, [x1, #4]
    strh    w11, [x1, #34]
    ldrsw   x12, [x1, #24]
    eor     x10, x10, x12, ror #13
    str     x10, [x1, #24]
    add     x1, x1, #64
    cmp     x1, x13
    b.ne    2b
    add     x10, x10, #1
    subs    x8, x8, #1
    b.ne    1b

3:  /* result: x10 folded with a checksum of the buffer (not counted) */
    mov     x19, x10
    mov     x1, x14
4:  ldr     x2, [x1], #8
    eor     x19, x2, x19, ror #5
    cmp     x1, x13
    b.ne    4b

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
