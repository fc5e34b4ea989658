//! MTE tag checks and the memory fast path (crate::mte, crate::fast_tlb): a Tagged page
//! whose accesses are checked never enters the fast path, so a check suppressed by
//! PSTATE.TCO still happens once TCO clears; an unchecked regime (TCF = 0) keeps the fast
//! path. The instruction-level behaviour is tested against QEMU by the `mte` guests.

mod common;

use common::{mmu_on_el1_with, BASE};
use cpu::sysreg::SR;

const MSR_TCO_1: u32 = 0xd503419f;
const MSR_TCO_0: u32 = 0xd503409f;
/// SCTLR_EL1.ATA (43) and TCF = 1, synchronous (41:40).
const ATA_TCF_SYNC: u64 = (1 << 43) | (1 << 40);

/// EL1 with MMU on over Tagged memory, TBI0 on, the granule at PA BASE + 0x3000 tagged 5.
fn tagged_machine(words: &[u32], sctlr_mte: u64) -> (cpu::Cpu, common::RamBus) {
    let (mut cpu, bus) = mmu_on_el1_with(words, true);
    bus.0.set_tag(0x3000, 5);
    let tcr = cpu.sysreg(SR::TCR_EL1);
    cpu.set_sysreg(SR::TCR_EL1, tcr | (1 << 37));
    let sctlr = cpu.sysreg(SR::SCTLR_EL1);
    cpu.set_sysreg(SR::SCTLR_EL1, sctlr | sctlr_mte);
    (cpu, bus)
}

#[test]
fn tco_suppresses_a_check_that_applies_again_when_it_clears() {
    let (mut cpu, mut bus) = tagged_machine(
        &[
            MSR_TCO_1,  // 0x00
            0xf9400022, // 0x04: ldr x2, [x1]   tag 0 vs 5, TCO = 1: unchecked
            MSR_TCO_0,  // 0x08
            0xf9400023, // 0x0c: ldr x3, [x1]   checked: synchronous Tag Check Fault
        ],
        ATA_TCF_SYNC,
    );
    cpu.run(&mut bus, 4); // three instructions retire, then the exception entry
    assert_eq!(cpu.xreg(2), 0x1122_3344_5566_7788);
    assert_eq!(cpu.xreg(3), 0, "the faulting load did not complete");
    // Data Abort from the same EL (EC 0x25), DFSC 0b010001, ISV = 0, WnR = 0.
    assert_eq!(cpu.sysreg(SR::ESR_EL1), 0x9600_0011);
    assert_eq!(cpu.sysreg(SR::FAR_EL1), 0x4020_3000);
    assert_eq!(cpu.sysreg(SR::ELR_EL1), BASE + 0x0c);
    assert_eq!(cpu.pc(), BASE + 0x800 + 0x200);
}

#[test]
fn matching_tags_pass_and_unchecked_regimes_do_not_fault() {
    // Pointer tag 5 matches; then TCF = 0 makes a mismatch harmless.
    let words = [
        0xf9400022, // ldr x2, [x1]
        0xf9000022, // str x2, [x1]
    ];
    let (mut cpu, mut bus) = tagged_machine(&words, ATA_TCF_SYNC);
    cpu.set_xreg(1, 0x0500_0000_4020_3000);
    cpu.run(&mut bus, 2);
    assert_eq!(cpu.pc(), BASE + 8);
    let (mut cpu, mut bus) = tagged_machine(&words, 1 << 43);
    cpu.run(&mut bus, 2);
    assert_eq!(cpu.pc(), BASE + 8, "TCF = 0: no check");
}

#[test]
fn asynchronous_mode_reports_in_tfsr_and_completes_the_access() {
    let (mut cpu, mut bus) = tagged_machine(
        &[0xf9000022], // str x2, [x1]
        (1 << 43) | (2 << 40),
    );
    cpu.set_xreg(2, 0xabcd);
    cpu.run(&mut bus, 1);
    assert_eq!(cpu.pc(), BASE + 4);
    assert_eq!(cpu.sysreg(SR::TFSR_EL1), 1, "TF0: a TTBR0 address");
    let mut b = [0u8; 8];
    bus.0.read_bytes(BASE + 0x3000, &mut b).unwrap();
    assert_eq!(u64::from_le_bytes(b), 0xabcd);
    assert_eq!(cpu.tag_faults().asynchronous, 1);
}
