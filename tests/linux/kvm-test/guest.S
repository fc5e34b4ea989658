// The guest code that kvmtest.c runs in each KVM vCPU (AArch64, EL1h, MMU
// off, all interrupts masked).  It is assembled into kvmtest itself, in the
// read-only section .rodata.kvmtest_guest between kvmtest_guest_start and
// kvmtest_guest_end; the VMM copies those bytes to guest RAM.  The code is
// position independent (no literal pools, no absolute addresses).
//
// Entry registers, set by the VMM with KVM_SET_ONE_REG:
//   x0  MMIO base of this vCPU (outside every memslot: each access is a
//       KVM_EXIT_MMIO exit)
//   x1  IPA of this vCPU's 512 KiB data area in guest RAM; its first word
//       holds a magic value written there by the VMM before KVM_RUN
//   x2  N, the loop's iteration count (>= 1)
//   x3  vCPU index
//
// The accesses, in order (offsets from x0; kvmtest.c checks each exit):
//   +0x00  write 1 byte   0xab
//   +0x02  write 2 bytes  0xbeef
//   +0x04  write 4 bytes  0xdeadbeef
//   +0x08  write 8 bytes  0x0123456789abcde0 | index
//   +0x10  read 8 bytes   -> x5 (the VMM supplies a per-vCPU value)
//   +0x18  read 4 bytes   -> w6 (zero-extended into x6)
//   +0x20  write 8 bytes  x5, echoed
//   +0x28  write 8 bytes  x5 ^ x6 ^ (the magic word read from guest RAM)
//   +0x30  write 8 bytes  N (loop start: the VMM starts its clock)
//          loop i = 1..N: data[i & 0xffff] = i; sum += data[i & 0xffff]
//   +0x38  write 8 bytes  sum (= N(N+1)/2 mod 2^64; the VMM stops its clock)
//   +0x40  write 8 bytes  0x454e4f44 ("DONE")
//   then HVC #0 with x0 = PSCI_SYSTEM_OFF (0x84000008): KVM exits with
//   KVM_EXIT_SYSTEM_EVENT / KVM_SYSTEM_EVENT_SHUTDOWN.  (For vCPUs other
//   than 0 the VMM stops after the DONE write and never gets this far.)
//   If the HVC returns, +0x48  write 8 bytes  the PSCI return value.

    .section .rodata.kvmtest_guest, "a"
    .balign 4
    .global kvmtest_guest_start
    .global kvmtest_guest_end
kvmtest_guest_start:
    mov     x9, x0                      // keep the MMIO base (x0 is the PSCI function id later)

    movz    w4, #0xab
    strb    w4, [x9, #0x00]
    movz    w4, #0xbeef
    strh    w4, [x9, #0x02]
    movz    w4, #0xbeef
    movk    w4, #0xdead, lsl #16
    str     w4, [x9, #0x04]
    movz    x4, #0xcde0
    movk    x4, #0x89ab, lsl #16
    movk    x4, #0x4567, lsl #32
    movk    x4, #0x0123, lsl #48
    orr     x4, x4, x3
    str     x4, [x9, #0x08]

    ldr     x5, [x9, #0x10]
    ldr     w6, [x9, #0x18]
    str     x5, [x9, #0x20]
    ldr     x7, [x1]                    // the VMM's magic word in guest RAM
    eor     x4, x5, x6
    eor     x4, x4, x7
    str     x4, [x9, #0x28]

    str     x2, [x9, #0x30]             // loop start
    mov     x5, #0                      // sum
    mov     x6, #1                      // i
    mov     x10, #0xffff                // word index mask (512 KiB)
1:  and     x7, x6, x10
    str     x6, [x1, x7, lsl #3]
    ldr     x8, [x1, x7, lsl #3]
    add     x5, x5, x8
    add     x6, x6, #1
    cmp     x6, x2
    b.ls    1b
    str     x5, [x9, #0x38]             // loop result

    movz    x4, #0x4f44
    movk    x4, #0x454e, lsl #16
    str     x4, [x9, #0x40]             // DONE

    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16        // PSCI 0.2 SYSTEM_OFF (SMC32/HVC32 id)
    hvc     #0
    str     x0, [x9, #0x48]             // only reached if SYSTEM_OFF returned
2:  b       2b
kvmtest_guest_end:

    .section .note.GNU-stack, "", %progbits
