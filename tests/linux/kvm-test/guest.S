// The guest code that kvmtest.c runs in each KVM vCPU (AArch64, EL1h, MMU
// off, all interrupts masked at entry).  It is assembled into kvmtest itself, in the
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
//   x4  IPA of the in-kernel vGICv3's distributor (GICD)
//   x5  IPA of this vCPU's redistributor (its RD_base; SGI_base is +64 KiB)
//   x6  index of the vCPU this one sends SGI 2 to (the next one, or itself
//       when alone; KVM gives vCPU j MPIDR Aff0 = j, and j < 16 here)
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
//   The interrupt phase (KVM's in-kernel vGICv3 and the EL1 virtual timer;
//   the GIC's registers are emulated inside KVM, so they make no exits):
//   +0x50  write 8 bytes  ICC_SRE_EL1 after writing SRE | DFB | DIB
//   +0x58  write 8 bytes  GICR_TYPER of this vCPU's redistributor
//          (then: GICR_WAKER.ProcessorSleep = 0, GICR_IGROUPR0 = all
//          Group 1, priority 0xa0 for INTIDs 0, 1, 3 and 24-27 and 0xf0 for
//          INTID 2, GICR_ISENABLER0 = INTIDs 1 and 2 (SGIs) and 27 (the
//          virtual timer's PPI), GICD_CTLR =
//          ARE | EnableGrp1, ICC_PMR_EL1 = 0xf0, ICC_IGRPEN1_EL1 = 1,
//          VBAR_EL1 = the vector table below)
//   +0x60  write 8 bytes  CNTVCT_EL0 (KVM's CNTVOFF_EL2 makes it count from
//          about the vCPU's creation)
//   +0x68  write 8 bytes  CNTFRQ_EL0
//   3 times: CNTV_CVAL_EL0 = CNTVCT_EL0 + CNTFRQ_EL0 / 200 (5 ms),
//          CNTV_CTL_EL0 = ENABLE, then WFI until the IRQ handler has run
//          (see wait_irq; KVM traps the WFI and blocks the vCPU until the
//          timer fires).  The handler reports:
//     +0x70  write 8 bytes  ICC_IAR1_EL1 (27)
//     +0x78  write 8 bytes  CNTV_CTL_EL0 in the handler (ENABLE | ISTATUS)
//     +0x80  write 8 bytes  CNTVCT_EL0 - CNTV_CVAL_EL0 in the handler (>= 0)
//          then masks the timer (CNTV_CTL_EL0.IMASK = 1) and writes
//          ICC_EOIR1_EL1.
//   ICC_SGI1R_EL1 = SGI 1 to this vCPU itself (KVM traps and emulates the
//          write), then WFI until the handler has run; it reports
//     +0x70  write 8 bytes  ICC_IAR1_EL1 (1)
//   ICC_SGI1R_EL1 = SGI 2 to vCPU x6, then 1 ms with IRQs unmasked: SGI 2's
//          priority 0xf0 is masked by ICC_PMR_EL1 = 0xf0 (only a priority
//          higher than PMR's, numerically lower, is signalled), so the SGI 2
//          this vCPU receives (from its predecessor, or from itself) waits.
//          (KVM has 5 priority bits: 0xff written to PMR reads as 0xf8, so
//          0xf8 would never be signalled.)
//   +0x88  write 8 bytes  the number of IRQs the handler took (4)
//   ICC_PMR_EL1 = 0xff, then WFI until the handler has run; it reports
//     +0x70  write 8 bytes  ICC_IAR1_EL1 (2)
//   +0xa0  write 8 bytes  the number of IRQs the handler took (5)
//   +0x40  write 8 bytes  0x454e4f44 ("DONE")
//   then HVC #0 with x0 = PSCI_SYSTEM_OFF (0x84000008): KVM exits with
//   KVM_EXIT_SYSTEM_EVENT / KVM_SYSTEM_EVENT_SHUTDOWN.  (For vCPUs other
//   than 0 the VMM stops after the DONE write and never gets this far.)
//   If the HVC returns, +0x48  write 8 bytes  the PSCI return value.
// Failures the guest reports (and then spins):
//   +0x90  write 8 bytes  the number of IRQs taken so far, if an awaited IRQ
//          has not arrived 2 s (CNTVCT_EL0 time; 10 s for the SGI 2 from
//          another vCPU) after it was due
//   +0x98  write 8 bytes  ESR_EL1 | (vector offset << 32), on any exception
//          other than an IRQ to EL1h (in the SError mode, kvmtest -s, the
//          one exception expected: see kvmtest_serror_entry at the end)
//
// Registers: x9 MMIO base, x20 GICD, x21 RD_base, x22 IRQs taken (the
// handler increments it), x23 the target vCPU of SGI 2, x24 CNTFRQ_EL0, x25
// the timer delay, x27 the deadline and x28 the IRQ count awaited by
// wait_irq; the handler uses only x12..x16.

    .section .rodata.kvmtest_guest, "a"
    .balign 4
    .global kvmtest_guest_start
    .global kvmtest_guest_end
kvmtest_guest_start:
    mov     x9, x0                      // keep the MMIO base (x0 is the PSCI function id later)
    mov     x20, x4                     // GICD
    mov     x21, x5                     // this vCPU's RD_base
    mov     x23, x6                     // SGI 2's target vCPU

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

    // ---- The interrupt phase.
    // The GIC's system register interface (KVM forces ICC_SRE_EL1.SRE to 1).
    mrs     x4, icc_sre_el1
    orr     x4, x4, #7                  // SRE, DFB, DIB
    msr     icc_sre_el1, x4
    isb
    mrs     x4, icc_sre_el1
    str     x4, [x9, #0x50]

    // The redistributor.
    ldr     x4, [x21, #0x08]            // GICR_TYPER (64-bit)
    str     x4, [x9, #0x58]
    ldr     w4, [x21, #0x14]            // GICR_WAKER
    and     w4, w4, #~2                 // ProcessorSleep = 0
    str     w4, [x21, #0x14]
3:  ldr     w4, [x21, #0x14]
    tbnz    w4, #2, 3b                  // until ChildrenAsleep = 0
    add     x10, x21, #0x10, lsl #12    // SGI_base = RD_base + 64 KiB
    mov     w4, #-1
    str     w4, [x10, #0x80]            // GICR_IGROUPR0: SGIs and PPIs in Group 1
    movz    w4, #0xa0a0
    movk    w4, #0xa0a0, lsl #16
    str     w4, [x10, #0x418]           // GICR_IPRIORITYR6: INTIDs 24-27 at 0xa0
    movk    w4, #0xa0f0, lsl #16
    str     w4, [x10, #0x400]           // GICR_IPRIORITYR0: INTIDs 0, 1, 3 at 0xa0, INTID 2 at 0xf0
    movz    w4, #0x0006
    movk    w4, #0x0800, lsl #16
    str     w4, [x10, #0x100]           // GICR_ISENABLER0: INTIDs 1, 2 and 27
    // The distributor (shared: every vCPU writes the same value).
    mov     w4, #0x12
    str     w4, [x20, #0x00]            // GICD_CTLR: ARE (RAO in KVM) | EnableGrp1
3:  ldr     w4, [x20, #0x00]
    tbnz    w4, #31, 3b                 // until RWP = 0
    // The CPU interface and the vector table.
    mov     x4, #0xf0
    msr     icc_pmr_el1, x4
    mov     x4, #1
    msr     icc_igrpen1_el1, x4
    adr     x4, vectors
    msr     vbar_el1, x4
    isb

    mrs     x4, cntvct_el0
    str     x4, [x9, #0x60]
    mrs     x24, cntfrq_el0
    str     x24, [x9, #0x68]
    mov     x4, #200
    udiv    x25, x24, x4                // 5 ms of counter ticks
    mov     x22, #0                     // IRQs taken
    mov     x26, #0                     // timer rounds done
4:  isb
    mrs     x4, cntvct_el0
    add     x4, x4, x25
    msr     cntv_cval_el0, x4
    add     x27, x4, x24, lsl #1        // give up 2 s after the deadline
    mov     x4, #1
    msr     cntv_ctl_el0, x4            // ENABLE, IMASK = 0
    isb
    add     x28, x22, #1
    bl      wait_irq
    add     x26, x26, #1
    cmp     x26, #3
    b.lo    4b

    // SGI 1 to this vCPU: ICC_SGI1R_EL1 = Aff3.Aff2.Aff1, INTID, TargetList.
    mrs     x4, mpidr_el1
    and     x5, x4, #0xf
    mov     x6, #1
    lsl     x6, x6, x5                  // TargetList: bit Aff0 (Aff0 < 16 here)
    ubfx    x7, x4, #8, #8
    orr     x6, x6, x7, lsl #16         // Aff1
    ubfx    x7, x4, #16, #8
    orr     x6, x6, x7, lsl #32         // Aff2
    ubfx    x7, x4, #32, #8
    orr     x6, x6, x7, lsl #48         // Aff3
    orr     x6, x6, #(1 << 24)          // INTID 1
    isb
    mrs     x4, cntvct_el0
    add     x27, x4, x24, lsl #1
    add     x28, x22, #1
    msr     icc_sgi1r_el1, x6
    isb
    bl      wait_irq

    // SGI 2 (priority 0xf0) to vCPU x23, then 1 ms with IRQs unmasked, in
    // which the SGI 2 for this vCPU must stay masked by ICC_PMR_EL1 = 0xf0.
    mov     x4, #1
    lsl     x4, x4, x23                 // TargetList (Aff3.Aff2.Aff1 = 0)
    orr     x4, x4, #(2 << 24)          // INTID 2
    msr     icc_sgi1r_el1, x4
    isb
    mov     x4, #1000
    udiv    x4, x24, x4
    mrs     x5, cntvct_el0
    add     x5, x5, x4
    msr     daifclr, #2
5:  isb
    mrs     x4, cntvct_el0
    cmp     x4, x5
    b.lo    5b
    msr     daifset, #2
    str     x22, [x9, #0x88]            // IRQs taken
    mov     x4, #0xff
    msr     icc_pmr_el1, x4             // (reads as 0xf8) SGI 2 may now be signalled
    isb
    mrs     x4, cntvct_el0
    mov     x5, #10
    madd    x27, x24, x5, x4            // give up after 10 s
    add     x28, x22, #1
    bl      wait_irq
    str     x22, [x9, #0xa0]            // IRQs taken

    movz    x4, #0x4f44
    movk    x4, #0x454e, lsl #16
    str     x4, [x9, #0x40]             // DONE

    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16        // PSCI 0.2 SYSTEM_OFF (SMC32/HVC32 id)
    hvc     #0
    str     x0, [x9, #0x48]             // only reached if SYSTEM_OFF returned
2:  b       2b

// Wait, with IRQs masked except around the check, until the handler has
// taken x28 IRQs in all (x22), or report a timeout once CNTVCT_EL0 passes
// x27.  WFI also wakes on a pending IRQ that PSTATE.I masks, so no wakeup is
// lost between the check and the WFI.
wait_irq:
    msr     daifset, #2
    cmp     x22, x28
    b.hs    2f
    isb
    mrs     x4, cntvct_el0
    cmp     x4, x27
    b.hi    3f
    wfi
    msr     daifclr, #2                 // a pending IRQ is taken here
    isb
    b       wait_irq
2:  ret
3:  str     x22, [x9, #0x90]            // timeout
4:  b       4b

// The IRQ handler (current EL with SP_ELx): acknowledge, check the timer,
// mask it, EOI (which also deactivates: ICC_CTLR_EL1.EOImode = 0).
irq_handler:
    mrs     x12, icc_iar1_el1
    str     x12, [x9, #0x70]
    cmp     x12, #27
    b.ne    1f
    mrs     x13, cntv_ctl_el0
    isb
    mrs     x14, cntvct_el0
    mrs     x15, cntv_cval_el0
    mov     x16, #3                     // ENABLE | IMASK: the timer's output goes low
    msr     cntv_ctl_el0, x16
    isb
    str     x13, [x9, #0x78]
    sub     x14, x14, x15
    str     x14, [x9, #0x80]
1:  cmp     x12, #1020
    b.hs    2f                          // a special INTID: nothing to EOI
    msr     icc_eoir1_el1, x12
    isb
2:  add     x22, x22, #1
    eret

// Any other exception: report ESR_EL1 and the vector offset (x12), spin.
unexpected:
    mrs     x13, esr_el1
    orr     x13, x13, x12, lsl #32
    str     x13, [x9, #0x98]
1:  b       1b

// VBAR_EL1 must be 2 KiB aligned: the section starts at kvmtest_guest_start
// (guest RAM offset 0), and .org counts from the section's start.
    .org    0x800
vectors:
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .org    0x800 + \n * 0x80
    .if     \n == 5
    b       irq_handler                 // +0x280: IRQ, current EL with SP_ELx
    .else
    mov     x12, #(\n * 0x80)
    b       unexpected
    .endif
    .endr

// The SError mode (kvmtest -s): the VMM starts vCPU 0 here, at guest RAM
// offset 0x1000 (IPA 0x10001000). It installs the vectors, unmasks SErrors
// and spins at offset 0x1040 (IPA 0x10001040, where hypsim's tests inject a
// physical SError with a PC trigger). KVM turns a physical SError taken while
// the guest runs into a virtual one (HCR_EL2.VSE, VSESR_EL2), which the guest
// takes at VBAR_EL1 + 0x380 and reports through `unexpected` (+0x98).
    .org    0x1000
    .global kvmtest_serror_entry
kvmtest_serror_entry:
    mov     x9, x0
    adr     x4, vectors
    msr     vbar_el1, x4
    isb
    msr     daifclr, #4
    isb
    b       serror_wait
    .org    0x1040
serror_wait:
    b       serror_wait

// The MTE mode (kvmtest -m): the VMM enables KVM_CAP_ARM_MTE on the VM and
// starts vCPU 0 here, at guest RAM offset 0x1080, with
//   x0  the MMIO base
//   x1  IPA of buffer A (a page; buffer B is the next page, and the page
//       after that holds 16 words of scratch, all with allocation tag 0)
//   x2  TTBR0_EL1: the VMM's stage 1 tables (4 KiB granule, 39-bit VA,
//       starting at level 1): an identity map of guest RAM's 2 MiB as
//       Tagged Normal memory (MAIR attribute 0xF0) and of the MMIO base's
//       2 MiB as Device-nGnRnE
// It installs its own vectors (mte_vectors: a synchronous tag check fault
// at EL1 is reported and skipped, anything else goes to +0x98), enables
// the MMU with MTE at EL1 (SCTLR_EL1.ATA, TCF = 1: synchronous faults;
// TCR_EL1.TBI0; GCR_EL1.Exclude = tag 0, RRND = 0; RGSR_EL1 seeded) and
// makes these accesses (offsets from x0):
//   +0x00  write 8 bytes  ID_AA64PFR1_EL1 (before the MMU is on)
//   +0x08  write 8 bytes  SCTLR_EL1 after enabling M, C, I, ATA and TCF = 1
//   Buffer A's 256 granules get tags: 0..127 from IRG, 128..255 the tag
//   i & 15 by STG from a pointer carrying it; each granule's first word is
//   then written (i) and read back through its tagged pointer.
//   16 times (j = 0..15):
//     +0x10  write 8 bytes  the tags set in granules 16j..16j+15 (4 bits
//            each, granule 16j in bits 3:0)
//     +0x18  write 8 bytes  the same granules' tags as LDG reads them
//   +0x20  write 8 bytes  the sum of the 256 words read back (32640). The
//          VMM now checks A's tags (KVM_ARM_MTE_COPY_TAGS and its own
//          PROT_MTE view) and writes buffer B's tags (KVM_ARM_TAGS_TO_GUEST).
//   Three times, a pointer with the wrong tag (the granule's tag ^ 1):
//     +0x28  write 8 bytes  the pointer (A granule 5: load; A granule 6:
//            store; B granule 10: load, below)
//     the access takes a synchronous tag check fault at VBAR_EL1 + 0x200,
//     whose handler reports
//     +0x30  write 8 bytes  ESR_EL1 (EC 0x25, DFSC 0x11)
//     +0x38  write 8 bytes  FAR_EL1
//     and returns past the access.
//   +0x50  write 8 bytes  A granule 6's first word after the faulting store (6)
//   +0x58  write 8 bytes  A granule 7's first word, loaded through a wrong
//          tag with PSTATE.TCO = 1 (no fault: 7)
//   16 times: +0x60  write 8 bytes  buffer B's tags, as LDG reads them
//   +0x68  write 8 bytes  B granule 9's first word, loaded with its tag
//   (then the wrong-tag load from B granule 10 above)
//   +0x70  write 8 bytes  GCR_EL1 (still 1 after all the exits)
//   +0x40  write 8 bytes  "DONE", then PSCI SYSTEM_OFF (+0x48 if it returns)
//   +0x98  write 8 bytes  ESR_EL1 | (vector offset << 32) on any other
//          exception (reported with the MMU off; then it spins)
    .arch   armv8.5-a+memtag            // the MTE instructions (only from here on)
    .org    0x1080
    .global kvmtest_mte_entry
kvmtest_mte_entry:
    mov     x9, x0                      // MMIO base
    mov     x19, x1                     // buffer A
    add     x20, x1, #0x1000            // buffer B
    add     x21, x1, #0x2000            // the tags set in A, 16 words
    adr     x4, mte_vectors
    msr     vbar_el1, x4
    isb
    mrs     x4, id_aa64pfr1_el1
    str     x4, [x9, #0x00]

    mov     x4, #0xf0                   // Attr0 0xF0 Tagged Normal WB, Attr1 0x00 Device-nGnRnE
    msr     mair_el1, x4
    movz    x4, #0x3519                 // T0SZ 25, IRGN0 = ORGN0 = WB, SH0 inner, TG0 4K
    movk    x4, #0x8080, lsl #16        // EPD1 (bit 23), TG1 4K (bits 31:30 = 2)
    movk    x4, #0x0020, lsl #32        // TBI0 (bit 37); IPS 0 (32 bits)
    msr     tcr_el1, x4
    msr     ttbr0_el1, x2
    mov     x4, #1
    msr     gcr_el1, x4                 // Exclude = tag 0, RRND = 0
    movz    x4, #0xc300
    movk    x4, #0x00a5, lsl #16
    msr     rgsr_el1, x4                // SEED 0xa5c3, TAG 0
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    mrs     x4, sctlr_el1
    orr     x4, x4, #1                  // M
    orr     x4, x4, #(1 << 2)           // C
    orr     x4, x4, #(1 << 12)          // I
    orr     x4, x4, #(1 << 43)          // ATA: tag accesses at EL1
    orr     x4, x4, #(1 << 40)          // TCF = 0b01: synchronous tag check faults
    and     x4, x4, #~(1 << 41)
    and     x4, x4, #~(1 << 19)         // WXN
    and     x4, x4, #~(1 << 1)          // A
    msr     sctlr_el1, x4
    isb
    mrs     x4, sctlr_el1
    str     x4, [x9, #0x08]

    // Tag buffer A; write and read back each granule's first word through
    // its tagged pointer (tag-checked, must not fault).
    mov     x10, #0                     // granule i
    mov     x11, #0                     // the packed tags of this word
    mov     x12, #0                     // the sum of the words read back
1:  add     x4, x19, x10, lsl #4
    cmp     x10, #128
    b.hs    2f
    irg     x4, x4                      // a random tag, not excluded by GCR_EL1
    b       3f
2:  and     x5, x10, #15
    bfi     x4, x5, #56, #4             // the tag i & 15
3:  stg     x4, [x4]
    str     x10, [x4]
    ldr     x5, [x4]
    add     x12, x12, x5
    ubfx    x5, x4, #56, #4
    and     x6, x10, #15
    lsl     x6, x6, #2
    lsl     x5, x5, x6
    orr     x11, x11, x5
    cmp     x6, #60
    b.ne    4f
    lsr     x6, x10, #4
    str     x11, [x21, x6, lsl #3]
    mov     x11, #0
4:  add     x10, x10, #1
    cmp     x10, #256
    b.lo    1b

    // Report the tags set and the tags LDG reads, 16 granules at a time.
    mov     x10, #0                     // word j
5:  ldr     x4, [x21, x10, lsl #3]
    str     x4, [x9, #0x10]
    add     x7, x19, x10, lsl #8
    bl      mte_ldg16
    str     x11, [x9, #0x18]
    add     x10, x10, #1
    cmp     x10, #16
    b.lo    5b
    str     x12, [x9, #0x20]            // the sum; the VMM writes B's tags here

    // A load through a wrong tag: a synchronous tag check fault.
    add     x4, x19, #(5 * 16)
    ldg     x4, [x4]
    eor     x4, x4, #(1 << 56)
    str     x4, [x9, #0x28]
    ldr     x5, [x4]
    // A store through a wrong tag: a fault, and memory is not written.
    add     x4, x19, #(6 * 16)
    ldg     x4, [x4]
    eor     x4, x4, #(1 << 56)
    str     x4, [x9, #0x28]
    mov     x5, #0xbad
    str     x5, [x4]
    add     x4, x19, #(6 * 16)
    ldg     x4, [x4]
    ldr     x5, [x4]
    str     x5, [x9, #0x50]
    // PSTATE.TCO = 1: no check.
    add     x4, x19, #(7 * 16)
    ldg     x4, [x4]
    eor     x4, x4, #(1 << 56)
    msr     tco, #1
    ldr     x5, [x4]
    msr     tco, #0
    str     x5, [x9, #0x58]

    // Buffer B: the tags the VMM wrote with KVM_ARM_MTE_COPY_TAGS.
    mov     x10, #0
6:  add     x7, x20, x10, lsl #8
    bl      mte_ldg16
    str     x11, [x9, #0x60]
    add     x10, x10, #1
    cmp     x10, #16
    b.lo    6b
    add     x4, x20, #(9 * 16)
    ldg     x4, [x4]
    ldr     x5, [x4]
    str     x5, [x9, #0x68]
    add     x4, x20, #(10 * 16)
    ldg     x4, [x4]
    eor     x4, x4, #(1 << 56)
    str     x4, [x9, #0x28]
    ldr     x5, [x4]

    mrs     x4, gcr_el1
    str     x4, [x9, #0x70]
    movz    x4, #0x4f44
    movk    x4, #0x454e, lsl #16
    str     x4, [x9, #0x40]             // DONE
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16        // PSCI 0.2 SYSTEM_OFF
    hvc     #0
    str     x0, [x9, #0x48]
7:  b       7b

// x11 = the tags of the 16 granules at x7 as LDG reads them, 4 bits each.
mte_ldg16:
    mov     x11, #0
    mov     x6, #0
1:  add     x4, x7, x6, lsl #4
    ldg     x5, [x4]
    ubfx    x5, x5, #56, #4
    lsl     x8, x6, #2
    lsl     x5, x5, x8
    orr     x11, x11, x5
    add     x6, x6, #1
    cmp     x6, #16
    b.lo    1b
    ret

// A synchronous exception at EL1 (SP_EL1): a tag check fault (EC 0x25, DFSC
// 0x11) is reported (ESR_EL1, FAR_EL1) and skipped; anything else is not.
mte_sync:
    mrs     x13, esr_el1
    lsr     x14, x13, #26
    cmp     x14, #0x25
    b.ne    1f
    and     x14, x13, #0x3f
    cmp     x14, #0x11
    b.ne    1f
    str     x13, [x9, #0x30]
    mrs     x13, far_el1
    str     x13, [x9, #0x38]
    mrs     x13, elr_el1
    add     x13, x13, #4
    msr     elr_el1, x13
    eret
1:  mov     x12, #0x200
// Any other exception: MMU off (so that the report itself cannot fault),
// report ESR_EL1 and the vector offset (x12), spin.
mte_unexpected:
    mrs     x13, sctlr_el1
    and     x13, x13, #~1
    msr     sctlr_el1, x13
    isb
    mrs     x13, esr_el1
    orr     x13, x13, x12, lsl #32
    str     x13, [x9, #0x98]
1:  b       1b

    .org    0x1800
mte_vectors:
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .org    0x1800 + \n * 0x80
    .if     \n == 4
    b       mte_sync                    // +0x200: synchronous, current EL with SP_ELx
    .else
    mov     x12, #(\n * 0x80)
    b       mte_unexpected
    .endif
    .endr
    .org    0x2000
kvmtest_guest_end:

    .section .note.GNU-stack, "", %progbits
