/*
 * bench-simd: interpreter speed on Advanced SIMD integer and FP instructions.
 *
 * Two 4 KiB buffers in .bss: `ibuf` (1024 pseudo-random 32-bit words from a
 * 64-bit LCG) and `fbuf` (1024 floats k/256, k = ibuf[i] >> 24, made with
 * USHR + UCVTF (vector, fixed-point)), so every FP value is exact, finite
 * and in [0, 1): no NaN or infinity can appear and the result does not
 * depend on NaN propagation details.
 *
 * Inner loop body, per 64-byte step of both buffers: 2 LD1 (4 registers,
 * post-index), FMUL/FMLA (x2), FADD, FMAX, ADD (x3), EOR, USHR, ADDV, UMOV,
 * scalar ADD, FADDP, FADD, SUBS, B.NE = 20 instructions, 64 steps per pass
 * (1280 instructions), plus 5 instructions of outer loop per pass (3 MOV,
 * SUBS, B.NE): 1285 instructions per pass.
 * The FP accumulators are kept bounded (acc = acc * 0.5 + a * b).
 * Default: 233,000 passes = 299,405,000 loop instructions.
 *
 * The pass count is the 64-bit value `bench_iterations` at the fixed address
 * 0x4008_0010 (ELF symbol bench_iterations) and can be patched.
 * Prints "bench simd done, result=0x<16 hex digits>" and powers off.
 *
 * FP/SIMD is enabled at EL2 by clearing CPTR_EL2.TFP (bit 10); the guest
 * stays at EL2.  All vector accesses are 16-byte aligned (the MMU is off:
 * Device memory).
 */
    .arch   armv8.2-a+fp+simd

    .section .text.params, "a"
    .balign 8
    .global bench_iterations
bench_iterations:
    .quad   233000

    .section .rodata.str, "aMS", %progbits, 1
msg_done:
    .asciz  "bench simd done, result="
msg_nl:
    .asciz  "\n"

    .bss
    .balign 64
ibuf:
    .skip   4096
fbuf:
    .skip   4096

    .text
    .balign 4
    .global main
    .type   main, %function
main:
    stp     x29, x30, [sp, #-32]!
    str     x19, [sp, #16]

    /* enable FP/SIMD at EL2: CPTR_EL2.TFP = 0 */
    mrs     x0, cptr_el2
    bic     x0, x0, #(1 << 10)
    msr     cptr_el2, x0
    isb

    /* fill ibuf from a 64-bit LCG (upper 32 bits of each state) */
    adrp    x14, ibuf
    add     x14, x14, :lo12:ibuf
    adrp    x13, fbuf
    add     x13, x13, :lo12:fbuf
    ldr     x4, =6364136223846793005
    ldr     x5, =1442695040888963407
    movz    x6, #0x5eed
    mov     x1, x14
    mov     x3, #1024
1:  madd    x6, x6, x4, x5
    lsr     x7, x6, #32
    str     w7, [x1], #4
    subs    x3, x3, #1
    b.ne    1b

    /* fbuf[i] = (ibuf[i] >> 24) / 256.0 */
    mov     x1, x13
    mov     x2, x14
    mov     x3, #256
1:  ld1     {v0.4s}, [x2], #16
    ushr    v0.4s, v0.4s, #24
    ucvtf   v0.4s, v0.4s, #8
    st1     {v0.4s}, [x1], #16
    subs    x3, x3, #1
    b.ne    1b

    /* accumulators */
    fmov    v30.4s, #0.5
    movi    v16.16b, #0
    movi    v17.16b, #0
    movi    v19.16b, #0
    movi    v20.16b, #0
    movi    v21.16b, #0
    movi    v22.16b, #0
    movi    v26.16b, #0
    mov     x10, #0
    ldr     x8, bench_iterations
    cbz     x8, 3f

    .balign 64
2:  /* outer loop: one pass over both buffers */
    mov     x1, x13
    mov     x2, x14
    mov     x3, #64
1:  /* 20 instructions per 64-byte step */
    ld1     {v0.4s, v1.4s, v2.4s, v3.4s}, [x1], #64
    ld1     {v4.4s, v5.4s, v6.4s, v7.4s}, [x2], #64
    fmul    v16.4s, v16.4s, v30.4s
    fmla    v16.4s, v0.4s, v1.4s
    fmul    v17.4s, v17.4s, v30.4s
    fmla    v17.4s, v2.4s, v3.4s
    fadd    v18.4s, v0.4s, v2.4s
    fmax    v19.4s, v19.4s, v18.4s
    add     v20.4s, v20.4s, v4.4s
    eor     v21.16b, v21.16b, v5.16b
    add     v22.4s, v22.4s, v6.4s
    ushr    v23.4s, v7.4s, #3
    add     v21.4s, v21.4s, v23.4s
    addv    s24, v4.4s
    umov    w9, v24.s[0]
    add     x10, x10, x9
    faddp   v25.4s, v16.4s, v17.4s
    fadd    v26.4s, v26.4s, v25.4s
    subs    x3, x3, #1
    b.ne    1b
    subs    x8, x8, #1
    b.ne    2b

3:  /* fold everything into x19 (not counted) */
    faddp   v26.4s, v26.4s, v26.4s
    faddp   s26, v26.2s
    fmov    w0, s26
    fmaxv   s19, v19.4s
    fmov    w1, s19
    faddp   v16.4s, v16.4s, v17.4s
    faddp   v16.4s, v16.4s, v16.4s
    faddp   s16, v16.2s
    fmov    w2, s16
    addv    s20, v20.4s
    fmov    w3, s20
    addv    s22, v22.4s
    fmov    w4, s22
    umov    x5, v21.d[0]
    umov    x6, v21.d[1]

    eor     x19, x10, x0, lsl #32
    add     x19, x19, x1
    eor     x19, x19, x2, lsl #16
    add     x19, x19, x3, lsl #32
    eor     x19, x19, x4
    add     x19, x19, x5
    eor     x19, x19, x6, ror #17

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
    .ltorg
