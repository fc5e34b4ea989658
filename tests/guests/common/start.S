/*
 * Entry code, exception vectors and helpers shared by the hypsim test guests.
 *
 * The guest is entered at EL2 (AArch64), MMU off, at _start = 0x4008_0000.
 * Nothing is assumed about the registers at entry (x0 is not used).
 *
 *   - mask DAIF, put SCTLR_EL2 / HCR_EL2 into a known state (MMU, caches and
 *     alignment checks off; EL1 is AArch64), install the EL2 vectors
 *   - set SP to the top of a 64 KiB stack in .bss and zero .bss
 *   - call main(), then power off with PSCI SYSTEM_OFF
 */

#define FRAME_SIZE      272         /* sizeof(struct exc_frame) */

/*
 * SCTLR_EL2 (E2H=0): RES1 bits 29,28,23,22,18,16,11,5,4, plus A (bit 1,
 * alignment checking); M/C/SA/I/WXN/EE = 0.  With the MMU off every data
 * access is to Device memory, where a misaligned access faults whatever A
 * says, so A=1 changes nothing architecturally -- but it made QEMU 7.2
 * (which did not model the Device-memory rule; QEMU 10 does) fault too, so a
 * misaligned access in a guest cannot go unnoticed when the goldens are
 * recorded.
 */
#define SCTLR_EL2_VAL   0x30c50832
/* HCR_EL2: RW=1 (EL1 is AArch64); everything else (TGE, TSC, VM, ...) 0 */
#define HCR_EL2_VAL     0x80000000

.macro adr_l reg, sym
    adrp    \reg, \sym
    add     \reg, \reg, :lo12:\sym
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    b       reset
    .balign 16              /* 0x4008_0010: optional .text.params follows */

    .text
    .balign 4
reset:
    msr     daifset, #0xf
    mrs     x0, CurrentEL
    cmp     x0, #(2 << 2)
    b.ne    not_el2

    movz    x0, #(SCTLR_EL2_VAL & 0xffff)
    movk    x0, #(SCTLR_EL2_VAL >> 16), lsl #16
    msr     sctlr_el2, x0
    mov     x0, #HCR_EL2_VAL
    msr     hcr_el2, x0
    adr_l   x0, vectors_el2
    msr     vbar_el2, x0
    isb

    adr_l   x0, stack_el2_top
    mov     sp, x0
    mov     x29, #0
    mov     x30, #0

    adr_l   x0, __bss_start
    adr_l   x1, __bss_end
1:  cmp     x0, x1
    b.hs    2f
    stp     xzr, xzr, [x0], #16
    b       1b
2:
    bl      main
    b       psci_system_off

not_el2:
    /* Not entered at EL2: print "!EL2\n" raw and try to power off. */
    mov     x1, #0x09000000
    mov     w2, #'!'
    strb    w2, [x1]
    mov     w2, #'E'
    strb    w2, [x1]
    mov     w2, #'L'
    strb    w2, [x1]
    mov     w2, #'2'
    strb    w2, [x1]
    mov     w2, #'\n'
    strb    w2, [x1]
    b       psci_system_off

/* void psci_system_off(void): SMC conduit, valid at EL2 and at EL1. */
    .global psci_system_off
    .type   psci_system_off, %function
psci_system_off:
    movz    w0, #0x0008
    movk    w0, #0x8400, lsl #16
    smc     #0
1:  wfi
    b       1b
    .size   psci_system_off, . - psci_system_off

/* uint64_t psci_call(fid, a1, a2, a3) */
    .global psci_call
    .type   psci_call, %function
psci_call:
    smc     #0
    ret
    .size   psci_call, . - psci_call

/* uint64_t current_el(void): 0..3 */
    .global current_el
    .type   current_el, %function
current_el:
    mrs     x0, CurrentEL
    lsr     x0, x0, #2
    ret
    .size   current_el, . - current_el

/* void enter_el1(void (*entry)(void), void *sp): EL2 -> EL1h, DAIF masked. */
    .global enter_el1
    .type   enter_el1, %function
enter_el1:
    msr     elr_el2, x0
    msr     sp_el1, x1
    mov     x2, #0x3c5
    msr     spsr_el2, x2
    mov     x0, #0
    mov     x1, #0
    mov     x2, #0
    mov     x29, #0
    mov     x30, #0
    eret
    .size   enter_el1, . - enter_el1

/*
 * uint64_t run_el0(void (*entry)(void), void *sp): EL1 -> EL0t, DAIF masked.
 * Callee-saved registers stay on the EL1 stack; an EL1 handler calls
 * el0_finish(frame), whose ERET lands on el0_return below, at EL1h with the
 * EL1 stack pointer as it was when we left.
 */
    .global run_el0
    .type   run_el0, %function
run_el0:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    msr     elr_el1, x0
    msr     sp_el0, x1
    mov     x2, #0x3c0
    msr     spsr_el1, x2
    mov     x0, #0
    mov     x1, #0
    mov     x2, #0
    eret
    .global el0_return
el0_return:
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret
    .size   run_el0, . - run_el0

/*
 * Exception vectors.  Each entry pushes a struct exc_frame and calls
 * exc_elN(frame, vector_index) (C, see guest.h), then restores the frame
 * (including the possibly modified ELR/SPSR) and returns with ERET.
 */
.macro VENTRY el, idx
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x1, #\idx
    b       exc_common_el\el
.endm

.macro VECTORS el
    .balign 2048
    .global vectors_el\el
vectors_el\el:
    VENTRY \el, 0
    VENTRY \el, 1
    VENTRY \el, 2
    VENTRY \el, 3
    VENTRY \el, 4
    VENTRY \el, 5
    VENTRY \el, 6
    VENTRY \el, 7
    VENTRY \el, 8
    VENTRY \el, 9
    VENTRY \el, 10
    VENTRY \el, 11
    VENTRY \el, 12
    VENTRY \el, 13
    VENTRY \el, 14
    VENTRY \el, 15

exc_common_el\el:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, elr_el\el
    stp     x30, x2, [sp, #240]
    mrs     x3, spsr_el\el
    str     x3, [sp, #256]
    mov     x0, sp
    bl      exc_el\el
    ldr     x3, [sp, #256]
    msr     spsr_el\el, x3
    ldp     x30, x2, [sp, #240]
    msr     elr_el\el, x2
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    add     sp, sp, #FRAME_SIZE
    eret
.endm

    VECTORS 2
    VECTORS 1

/* Stacks (zeroed with the rest of .bss). */
    .bss
    .balign 16
stack_el2:
    .space  0x10000
    .global stack_el2_top
stack_el2_top:
stack_el1:
    .space  0x4000
    .global stack_el1_top
stack_el1_top:
stack_el0:
    .space  0x4000
    .global stack_el0_top
stack_el0_top:
