// The guest code that kvmdebug.c runs in its KVM vCPU (AArch64, EL1h, MMU
// off, DAIF masked), debugged from the VMM with KVM_SET_GUEST_DEBUG.  It is
// assembled into kvmdebug itself, in the read-only section
// .rodata.kvmdebug_guest between kvmdebug_guest_start and kvmdebug_guest_end;
// the VMM copies those bytes to guest RAM offset 0 (IPA 0x10000000).  The code
// is position independent; the kd_* labels are global so that the VMM knows
// the addresses it expects in PC, DBGBVR0 and FAR.
//
// Entry registers, set by the VMM with KVM_SET_ONE_REG:
//   x20      IPA of a data area in guest RAM: [x20] holds MAGIC, [x20 + 8]
//            (the watched doubleword D) WP_INIT, [x20 + 16..40] zero
//   x21      an MMIO address outside guest RAM (the exception report below)
//   VBAR_EL1 kd_vectors
//
// The phases (kvmdebug.c drives them and checks each exit):
//   a. single-stepped, one KVM_EXIT_DEBUG (EC 0x32) per instruction: the 10
//      instructions from kvmdebug_guest_start to kd_step_end, with a taken
//      CBNZ and a taken B (the two skipped MOVZs would spoil x1) and a
//      load-exclusive (its step exception has ESR.EX = 1);
//   b. hardware breakpoint 0 on kd_bp, inside a loop of 3 iterations: hit on
//      each (EC 0x30), stepped over twice, cleared on the third hit;
//   c. hardware watchpoint 0 on D (stores only): the load from D and the
//      store to D + 8 must not hit; the store at kd_wp_store does (EC 0x34,
//      FAR = D, memory not yet written); the VMM steps over it.  Then bytes
//      4..7 of D only (BAS 0xf0): the STRB to byte 1 must not hit, the STRH
//      to bytes 6..7 at kd_wp_half does (FAR = D + 6);
//   e. a BRK (KVM_GUESTDBG_USE_SW_BP: EC 0x3c, the BRK's immediate in the
//      ISS); the VMM moves PC past it;
//   d. debugging off: the guest stores its final value and calls PSCI
//      SYSTEM_OFF by HVC (KVM_EXIT_SYSTEM_EVENT / SHUTDOWN).
//
// Any exception taken by the guest itself goes to kd_vectors, which leave
// x12 = the vector offset, x13 = ESR_EL1, x14 = ELR_EL1, x15 = FAR_EL1 and
// store to [x21]: a KVM_EXIT_MMIO, which the VMM reports as a failure.

    .section .rodata.kvmdebug_guest, "a"
    .balign 4
    .global kvmdebug_guest_start, kvmdebug_guest_end, kd_vectors
    .global kd_cbnz_target, kd_b_target, kd_ldxr, kd_step_end
    .global kd_bp, kd_wp_store, kd_wp_half, kd_brk, kd_off_pass, kd_hvc
kvmdebug_guest_start:
    // ---- a. Single step.
    movz    x1, #5                      // x1 = 5
    add     x1, x1, #7                  // x1 = 12
    ldr     x2, [x20]                   // x2 = MAGIC
    eor     x3, x1, x2                  // x3 = MAGIC ^ 12
    cbnz    x1, kd_cbnz_target          // taken
    movz    x1, #0xbad
kd_cbnz_target:
    add     x4, x3, x1, lsl #4          // x4 = (MAGIC ^ 12) + 192
    b       kd_b_target                 // taken
    movz    x1, #0xbad
kd_b_target:
kd_ldxr:
    ldxr    x5, [x20]                   // x5 = MAGIC (ESR.EX = 1 on its step)
    clrex
    sub     x6, x4, x5                  // x6 = x4 - MAGIC
kd_step_end:
    // ---- b. Hardware breakpoint in a loop.
    mov     x7, #0                      // iteration
    mov     x8, #0                      // sum
1:  add     x7, x7, #1
kd_bp:
    add     x8, x8, x7                  // breakpoint 0: hit with x7 = 1, 2, 3
    cmp     x7, #3
    b.lo    1b                          // x8 = 6 after the loop
    // ---- c. Hardware watchpoint on D = [x20 + 8], stores only.
    ldr     x9, [x20, #8]               // a load from D: no hit (x9 = WP_INIT)
    add     x10, x8, #0x100             // x10 = 0x106
    str     x10, [x20, #16]             // a store next to D: no hit
kd_wp_store:
    str     x10, [x20, #8]              // hit (BAS 0xff); D = 0x106 once stepped over
    strb    w10, [x20, #9]              // byte 1 of D: no hit with BAS 0xf0; D = 0x606
kd_wp_half:
    strh    w10, [x20, #14]             // bytes 6..7 of D: hit; D = 0x0106000000000606
    // ---- e. Software breakpoint.
kd_brk:
    brk     #0x4b44
    // ---- d. Debugging off (the VMM gives a breakpoint on kd_off_pass with
    // control = 0, which KVM must ignore).
kd_off_pass:
    add     x11, x10, x8                // x11 = 0x10c
    str     x11, [x20, #24]
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16        // PSCI 0.2 SYSTEM_OFF (SMC32/HVC32 id)
kd_hvc:
    hvc     #0
    str     x0, [x20, #32]              // only reached if SYSTEM_OFF returned
2:  b       2b

// Any exception the guest takes itself: report it (see above) and spin.
kd_unexpected:
    mrs     x13, esr_el1
    mrs     x14, elr_el1
    mrs     x15, far_el1
    str     x13, [x21]
3:  b       3b

// VBAR_EL1 must be 2 KiB aligned: the section starts at guest RAM offset 0,
// and .org counts from the section's start.
    .org    0x800
kd_vectors:
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .org    0x800 + \n * 0x80
    mov     x12, #(\n * 0x80)
    b       kd_unexpected
    .endr
    .org    0x1000
kvmdebug_guest_end:

    .section .note.GNU-stack, "", %progbits
