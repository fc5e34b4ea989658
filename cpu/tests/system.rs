//! CPU-level behaviour tests on small hand-assembled programs (words as GNU as emits them).

use cpu::sysreg::SR;
use cpu::{Cpu, Exit};
mod common;
use common::{machine, mmu_on_el1, watcher, RamBus, BASE};
use mmu::GuestRam;

#[test]
fn store_over_executed_code_takes_effect() {
    let (mut cpu, mut bus) = machine(&[
        0xd2800020, // 0x00: movz x0, #1     (patched to movz x0, #2 by the store)
        0xb9000041, // 0x04: str w1, [x2]
        0x91000463, // 0x08: add x3, x3, #1
        0xf100087f, // 0x0c: cmp x3, #2
        0x54ffff81, // 0x10: b.ne 0x00
        0xd503207f, // 0x14: wfi
    ]);
    cpu.set_xreg(1, 0xd2800040);
    cpu.set_xreg(2, BASE);
    assert_eq!(cpu.run(&mut bus, 100), Exit::Wfi);
    assert_eq!(
        cpu.xreg(0),
        2,
        "the second pass must execute the new instruction"
    );
    assert_eq!(cpu.pc(), BASE + 0x18);
}

#[test]
fn illegal_exception_return_then_illegal_state_exception() {
    // SPSR_EL2.M[4] = 1 asks for AArch32, which is not implemented: the ERET is an
    // illegal exception return (PSTATE.IL = 1, EL unchanged, PC = ELR), and the next
    // instruction takes an Illegal Execution state exception (EC 0x0E) at EL2.
    let (mut cpu, mut bus) = machine(&[
        0xd51c4001, // 0x00: msr spsr_el2, x1
        0xd69f03e0, // 0x04: eret
        0xd503201f, // 0x08: nop (ELR target)
    ]);
    cpu.set_xreg(1, 0x3c0 | 0x10);
    cpu.set_sysreg(SR::ELR_EL2, BASE + 8);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.run(&mut bus, 3);
    assert_eq!(cpu.pstate().el, 2);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x0e << 26 | 1 << 25);
    assert_eq!(cpu.sysreg(SR::ELR_EL2), BASE + 8);
    assert_eq!(
        cpu.sysreg(SR::SPSR_EL2) & (1 << 20),
        1 << 20,
        "SPSR.IL records PSTATE.IL"
    );
    assert_eq!(
        cpu.pc(),
        BASE + 0x800 + 0x200,
        "current EL with SP_ELx vector"
    );
}

#[test]
fn hvc_from_el1_goes_to_el2_and_eret_returns() {
    // EL2 enters EL1 through ERET; EL1's HVC #5 lands at VBAR_EL2 + 0x400 (lower EL,
    // AArch64) with ESR_EL2 = EC 0x16 | IL | imm16 and ELR_EL2 = the next instruction.
    let (mut cpu, mut bus) = machine(&[
        0xd51c4001, // 0x00: msr spsr_el2, x1
        0xd69f03e0, // 0x04: eret
        0xd40000a2, // 0x08: hvc #5
    ]);
    cpu.set_xreg(1, 0x3c5); // EL1h, DAIF masked
    cpu.set_sysreg(SR::ELR_EL2, BASE + 8);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.run(&mut bus, 3);
    assert_eq!(cpu.pstate().el, 2);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x5a00_0005);
    assert_eq!(cpu.sysreg(SR::ELR_EL2), BASE + 0xc);
    assert_eq!(cpu.sysreg(SR::SPSR_EL2), 0x3c5);
    assert_eq!(cpu.pc(), BASE + 0x800 + 0x400);
}

#[test]
fn cycles_follow_instruction_classes() {
    // Two ALU ops and one SDIV: the divide costs more than an add (OP_INFO class costs).
    let (mut cpu, mut bus) = machine(&[0x91000400, 0x91000400, 0x9ac20c20, 0xd503207f]);
    cpu.set_xreg(2, 3);
    cpu.run(&mut bus, 10);
    let add = cpu::class_cost(cpu::a64::Class::Alu) as u64;
    let div = cpu::class_cost(cpu::a64::Class::Div) as u64;
    let hint = cpu::class_cost(cpu::a64::Class::Hint) as u64;
    assert!(div > add);
    assert_eq!(cpu.cycles(), 2 * add + div + hint);
    assert_eq!(cpu.insns(), 4);
}

/// HCR_EL2.RW (RES1 here) and IMO.
const HCR_RW: u64 = 1 << 31;
const HCR_IMO: u64 = 1 << 4;

#[test]
fn irq_routed_to_el2_is_taken_when_unmasked() {
    let (mut cpu, mut bus) = machine(&[
        0xd50342ff, // 0x00: msr daifclr, #2
        0xd503201f, // 0x04: nop
        0x14000000, // 0x08: b .
    ]);
    cpu.set_sysreg(SR::HCR_EL2, HCR_RW | HCR_IMO);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.set_irq_lines(true, false);
    // Masked at reset (DAIF = 0xf): the first instruction runs, then the IRQ is taken
    // before the second, to EL2's "current EL, SP_ELx" IRQ vector (+0x200 + 0x80).
    cpu.run(&mut bus, 2);
    assert_eq!(cpu.pc(), BASE + 0x800 + 0x280);
    assert_eq!(cpu.sysreg(SR::ELR_EL2), BASE + 4);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0, "IRQs write no syndrome");
    assert_eq!(cpu.pstate().daif, 0xf << 6, "exception entry masks DAIF");
    assert_eq!(cpu.interrupt_counts(), [0, 0, 1]);
}

#[test]
fn irq_routed_to_el1_is_never_taken_at_el2() {
    let (mut cpu, mut bus) = machine(&[0xd50342ff, 0xd503201f, 0x14000000]);
    cpu.set_sysreg(SR::HCR_EL2, HCR_RW); // IMO = 0: physical IRQs target EL1
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.set_irq_lines(true, false);
    cpu.run(&mut bus, 10);
    assert_eq!(cpu.pc(), BASE + 8, "still spinning at EL2");
    assert_eq!(cpu.interrupt_counts(), [0, 0, 0]);
}

#[test]
fn irq_from_el1_to_el2_ignores_pstate_i() {
    // At EL1 with DAIF masked, an IRQ routed to EL2 (higher EL) is still taken, to the
    // "lower EL, AArch64" IRQ vector (+0x400 + 0x80).
    let (mut cpu, mut bus) = machine(&[
        0xd51c4001, // 0x00: msr spsr_el2, x1
        0xd69f03e0, // 0x04: eret
        0x14000000, // 0x08: b .
    ]);
    cpu.set_xreg(1, 0x3c5);
    cpu.set_sysreg(SR::ELR_EL2, BASE + 8);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.set_sysreg(SR::HCR_EL2, HCR_RW | HCR_IMO);
    cpu.run(&mut bus, 2);
    cpu.set_irq_lines(true, false);
    cpu.run(&mut bus, 1);
    assert_eq!(cpu.pc(), BASE + 0x800 + 0x480);
    assert_eq!(cpu.sysreg(SR::SPSR_EL2), 0x3c5);
}

#[test]
fn virtual_timer_fires_at_its_deadline() {
    // msr cntv_tval_el0, x1 ; msr cntv_ctl_el0, x2 ; b .
    let (mut cpu, mut bus) = machine(&[0xd51be301, 0xd51be322, 0x14000000]);
    cpu.set_xreg(1, 100);
    cpu.set_xreg(2, 1); // ENABLE, not masked
    assert_eq!(cpu.run(&mut bus, 2), cpu::Exit::Budget);
    let deadline = cpu
        .next_timer_deadline()
        .expect("armed timer has a deadline");
    assert!(!cpu.timer_output(cpu::Timer::Virt));
    cpu.run(&mut bus, 1000);
    assert!(cpu.physical_count() >= deadline);
    assert!(cpu.timer_output(cpu::Timer::Virt));
    assert_eq!(
        cpu.next_timer_deadline(),
        None,
        "a fired timer has no future deadline"
    );
}

#[test]
fn pan_blocks_el1_access_to_el0_data() {
    // msr pan, #1 ; ldr x0, [x1]  → permission fault, level 2 (DFSC 0b001110), at EL1.
    let (mut cpu, mut bus) = mmu_on_el1(&[0xd500419f, 0xf9400020]);
    cpu.run(&mut bus, 2);
    assert_eq!(cpu.sysreg(SR::ESR_EL1), 0x9600_000e);
    assert_eq!(cpu.sysreg(SR::FAR_EL1), 0x4020_3000);
    assert_eq!(
        cpu.sysreg(SR::SPSR_EL1) & (1 << 22),
        1 << 22,
        "SPSR records PSTATE.PAN"
    );
    assert_eq!(cpu.pc(), BASE + 0x800 + 0x200);
}

#[test]
fn pan_clear_allows_el1_access_and_reads_back() {
    // msr pan, #0 ; ldr x0, [x1] ; mrs x2, pan
    let (mut cpu, mut bus) = mmu_on_el1(&[0xd500409f, 0xf9400020, 0xd5384262]);
    cpu.run(&mut bus, 3);
    assert_eq!(cpu.xreg(0), 0x1122_3344_5566_7788);
    assert_eq!(cpu.xreg(2), 0);
    assert_eq!(cpu.pc(), BASE + 12);
}

/// HCR_EL2.TWE (bit 14), TWI (bit 13), TGE (bit 27), E2H (bit 34).
const HCR_TWE: u64 = 1 << 14;
const HCR_TWI: u64 = 1 << 13;
const HCR_TGE: u64 = 1 << 27;
const HCR_E2H: u64 = 1 << 34;

#[test]
fn wfe_traps_to_el2_only_when_it_would_wait() {
    // HCR_EL2.TWE traps a WFE at EL1 only "if the instruction would otherwise have caused
    // the PE to enter a low-power state": after SEVL the first WFE consumes the event and
    // completes; the second traps (EC 0x01, CV = 1, COND = 0b1110, TI = 0b01).
    let (mut cpu, mut bus) = machine(&[
        0xd50320bf, // 0x00: sevl
        0xd503205f, // 0x04: wfe
        0xd503205f, // 0x08: wfe
    ]);
    cpu.set_sysreg(SR::HCR_EL2, HCR_RW | HCR_TWE);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.set_el(1, 1);
    cpu.run(&mut bus, 3);
    assert_eq!(cpu.pstate().el, 2);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x07e0_0001);
    assert_eq!(cpu.sysreg(SR::ELR_EL2), BASE + 8);
}

#[test]
fn twi_does_not_apply_to_the_vhe_host_el0() {
    // With {E2H,TGE} = {1,1} the Effective value of HCR_EL2.TWI is 0, and SCTLR_EL2.nTWI
    // (bit 16, set at reset) lets EL0 wait: the WFI waits instead of trapping.
    let (mut cpu, mut bus) = machine(&[
        0xd503207f, // 0x00: wfi
    ]);
    cpu.set_sysreg(SR::HCR_EL2, HCR_RW | HCR_TWI | HCR_TGE | HCR_E2H);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.set_el(0, 0);
    assert_eq!(cpu.run(&mut bus, 1), Exit::Wfi);
    assert_eq!(cpu.pstate().el, 0);
}

#[test]
fn dc_by_va_translates_but_takes_no_permission_fault_at_el1() {
    // D7.5.9: a data cache operation by VA at EL1 takes Translation faults (reported with
    // CM = 1 and WnR = 1) but no Permission fault, so PAN does not stop DC CIVAC on an
    // EL0 page; the unmapped VA then faults at level 2 (DFSC 0b000110).
    // msr pan, #1 ; dc civac, x1 ; dc civac, x2
    let (mut cpu, mut bus) = mmu_on_el1(&[0xd500419f, 0xd50b7e21, 0xd50b7e22]);
    cpu.set_xreg(2, 0x4040_0000);
    cpu.run(&mut bus, 3);
    assert_eq!(cpu.sysreg(SR::ESR_EL1), 0x9600_0146);
    assert_eq!(cpu.sysreg(SR::FAR_EL1), 0x4040_0000);
    assert_eq!(cpu.sysreg(SR::ELR_EL1), BASE + 8, "the second DC faulted");
}

#[test]
fn dc_ivac_needs_write_permission() {
    // DC IVAC is checked as a write: with PAN set, the EL0-accessible page gives a
    // Permission fault at level 2 (DFSC 0b001110) with CM = 1, WnR = 1.
    // msr pan, #1 ; dc ivac, x1
    let (mut cpu, mut bus) = mmu_on_el1(&[0xd500419f, 0xd5087621]);
    cpu.run(&mut bus, 2);
    assert_eq!(cpu.sysreg(SR::ESR_EL1), 0x9600_014e);
    assert_eq!(cpu.sysreg(SR::ELR_EL1), BASE + 4);
}

#[test]
fn dc_igvac_and_igdvac_need_write_permission_and_translate() {
    // The MTE invalidates (DC IGVAC, DC IGDVAC) are checked like DC IVAC (D8.15.3
    // R_JYWZL): a Permission fault under PAN, CM = 1, WnR = 1; and an unmapped VA is a
    // Translation fault at level 2, not a NOP (CLIDR_EL1.LoC is not 0, D7.5.9.2).
    // QEMU executes every DC by VA as a NOP, so these are checked here, not in mte.out.
    // msr pan, #1 ; dc igvac, x1   /   dc igdvac, x2
    for (word, reg) in [(0xd5087661u32, 1), (0xd50876a2, 2)] {
        let (mut cpu, mut bus) = common::mmu_on_el1_with(&[0xd500419f, word], true);
        cpu.set_xreg(2, 0x4040_0000);
        cpu.run(&mut bus, 2);
        let (esr, far) = if reg == 1 {
            (0x9600_014e, cpu.xreg(1))
        } else {
            (0x9600_0146, 0x4040_0000)
        };
        assert_eq!(cpu.sysreg(SR::ESR_EL1), esr, "{word:#x}");
        assert_eq!(cpu.sysreg(SR::FAR_EL1), far);
        assert_eq!(cpu.sysreg(SR::ELR_EL1), BASE + 4);
    }
}

/// EL2 sets `sysreg` (MDCR_EL2 or CPTR_EL2, by its MSR word) from x1, then ERETs to EL1h
/// at the access under test.
fn el1_access_after_el2_sets(msr_word: u32, value: u64, access: u32) -> (Cpu, RamBus) {
    let (mut cpu, bus) = machine(&[
        msr_word,   // 0x00: msr <reg>, x1
        0xd51c4022, // 0x04: msr elr_el2, x2
        0xd51c4003, // 0x08: msr spsr_el2, x3
        0xd69f03e0, // 0x0c: eret
        access,     // 0x10: the EL1 access
    ]);
    cpu.set_xreg(1, value);
    cpu.set_xreg(2, BASE + 0x10);
    cpu.set_xreg(3, 0x3c5);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    (cpu, bus)
}

/// Run `n` steps, resuming after the exits that only ask the board for attention (a PMU
/// or MDCR_EL2 write returns so the board can re-bound its slice).
fn run_steps<B: cpu::Platform>(cpu: &mut Cpu, bus: &mut B, n: u64) {
    let end = cpu.steps() + n;
    while cpu.steps() < end {
        let x = cpu.run(bus, end - cpu.steps());
        assert!(matches!(x, Exit::Yield | Exit::Budget), "{x:?}");
    }
}

#[test]
fn mdcr_el2_tda_traps_el1_debug_register_reads() {
    // MDCR_EL2.TDA (bit 9): mrs x0, mdscr_el1 at EL1 traps to EL2 with EC 0x18 and the
    // ISS Op0 = 2, Op2 = 2, Op1 = 0, CRn = 0, Rt = 0, CRm = 2, Direction = 1 (read).
    let (mut cpu, mut bus) = el1_access_after_el2_sets(0xd51c1121, 1 << 9, 0xd5300240);
    run_steps(&mut cpu, &mut bus, 5);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x6224_0005);
    assert_eq!(cpu.sysreg(SR::ELR_EL2), BASE + 0x10);
    assert_eq!(cpu.pc(), BASE + 0x800 + 0x400, "lower EL, AArch64 vector");
    // Without TDA the read completes at EL1.
    let (mut cpu, mut bus) = el1_access_after_el2_sets(0xd51c1121, 0, 0xd5300240);
    run_steps(&mut cpu, &mut bus, 5);
    assert_eq!(cpu.pstate().el, 1);
    assert_eq!(cpu.pc(), BASE + 0x14);
}

#[test]
fn cptr_el2_tcpac_traps_el1_cpacr_accesses() {
    // CPTR_EL2.TCPAC (bit 31, TFP clear): mrs x0, cpacr_el1 → EC 0x18, Op0 = 3, Op2 = 2,
    // Op1 = 0, CRn = 1, Rt = 0, CRm = 0, read.
    let (mut cpu, mut bus) = el1_access_after_el2_sets(0xd51c1141, 1 << 31, 0xd5381040);
    cpu.run(&mut bus, 5);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x6234_0401);
}

/// A platform that records what the CPU reports through `sync_interrupts` and drives the
/// IRQ line from the virtual timer's output, as a GIC would.
struct SyncBus {
    ram: RamBus,
    calls: Vec<cpu::PeIrqLevels>,
}

impl cpu::Platform for SyncBus {
    fn sync_interrupts(&mut self, _cpu: usize, o: cpu::PeIrqLevels) -> Option<(bool, bool)> {
        self.calls.push(o);
        Some((o.get(cpu::PeIrq::TimerVirt), false))
    }
}

impl mmu::Bus for SyncBus {
    fn ram(&self) -> &GuestRam {
        &self.ram.0
    }
    fn mmio_read(&mut self, _: u64, _: u8) -> mmu::MmioResult {
        mmu::MmioResult::Ok(0)
    }
    fn mmio_write(&mut self, _: u64, _: u8, _: u64) -> mmu::MmioResult {
        mmu::MmioResult::Ok(0)
    }
}

#[test]
fn interrupt_lines_are_resynced_before_the_next_instruction() {
    // At EL2 with HCR_EL2.IMO and PSTATE.I clear: an MMIO store, then a timer write whose
    // condition holds at once (TVAL 0), then a spin. The timer's IRQ must be taken right
    // after the MSR, not at the end of the run's budget.
    let (cpu0, ram) = machine(&[
        0xd50342ff, // 0x00: msr daifclr, #2
        0xb9000020, // 0x04: str w0, [x1]          (MMIO: resync)
        0xd51be31f, // 0x08: msr cntv_tval_el0, xzr
        0xd51be322, // 0x0c: msr cntv_ctl_el0, x2  (ENABLE: the output rises)
        0x14000000, // 0x10: b .
    ]);
    let mut cpu = cpu0;
    let mut bus = SyncBus {
        ram,
        calls: Vec::new(),
    };
    cpu.set_xreg(1, 0x0900_0000);
    cpu.set_xreg(2, 1);
    cpu.set_sysreg(SR::HCR_EL2, HCR_RW | HCR_IMO);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.run(&mut bus, 5);
    assert!(bus.calls.len() >= 3, "MMIO and both timer writes resync");
    assert!(!bus.calls[0].get(cpu::PeIrq::TimerVirt));
    assert!(bus.calls.last().unwrap().get(cpu::PeIrq::TimerVirt));
    assert_eq!(
        cpu.pc(),
        BASE + 0x800 + 0x280,
        "IRQ taken at EL2 (current EL, SP_ELx) before the branch executed"
    );
    assert_eq!(cpu.sysreg(SR::ELR_EL2), BASE + 0x10);
}

#[test]
fn store_to_a_page_before_and_after_it_becomes_code() {
    // The first stores to the page at BASE + 0x1000 happen while it is plain data (so the
    // fast path remembers it as writable); then it is executed, and a later store must
    // still drop the decoded instruction.
    let (mut cpu, mut bus) = machine(&[
        0xb9000043, // 0x00: str w3, [x2]      movz x0, #1 at BASE + 0x1000
        0xb9000444, // 0x04: str w4, [x2, #4]  ret
        0xd63f0040, // 0x08: blr x2            x0 = 1
        0xb9000045, // 0x0c: str w5, [x2]      movz x0, #2
        0xaa0003e6, // 0x10: mov x6, x0
        0xd63f0040, // 0x14: blr x2            x0 = 2
        0xd503207f, // 0x18: wfi
    ]);
    cpu.set_xreg(2, BASE + 0x1000);
    cpu.set_xreg(3, 0xd2800020);
    cpu.set_xreg(4, 0xd65f03c0);
    cpu.set_xreg(5, 0xd2800040);
    assert_eq!(cpu.run(&mut bus, 100), Exit::Wfi);
    assert_eq!(cpu.xreg(6), 1);
    assert_eq!(
        cpu.xreg(0),
        2,
        "the store after the first call must reach the decodes"
    );
}

#[test]
fn stale_translation_is_used_until_tlbi() {
    // The descriptor mapping VA 0x4020_0000 is cleared without TLB maintenance: the load
    // through the fast path still uses the old translation (as hardware may), and after
    // TLBI VMALLE1 the same load takes a level 2 Translation fault.
    let (mut cpu, mut bus) = mmu_on_el1(&[
        0xf9400020, // 0x00: ldr x0, [x1]
        0xf9000083, // 0x04: str x3, [x4]      descriptor := 0 (via the EL1 alias)
        0xf9400025, // 0x08: ldr x5, [x1]      stale
        0xd508871f, // 0x0c: tlbi vmalle1
        0xd5033b9f, // 0x10: dsb ish
        0xf9400026, // 0x14: ldr x6, [x1]      faults
    ]);
    cpu.set_xreg(3, 0);
    cpu.set_xreg(4, 0x4000_2008);
    cpu.run(&mut bus, 6); // five instructions and the exception entry
    assert_eq!(cpu.xreg(0), 0x1122_3344_5566_7788);
    assert_eq!(cpu.xreg(5), 0x1122_3344_5566_7788, "stale entry until TLBI");
    assert_eq!(cpu.xreg(6), 0);
    assert_eq!(cpu.sysreg(SR::ESR_EL1), 0x9600_0006);
    assert_eq!(cpu.sysreg(SR::FAR_EL1), 0x4020_3000);
    assert_eq!(cpu.sysreg(SR::ELR_EL1), BASE + 0x14);
}

#[test]
fn watched_pages_leave_the_fast_path_and_report_every_access() {
    let (mut cpu, ram) = machine(&[
        0xf9400020, // 0x00: ldr x0, [x1]      (not watched yet: fast path from now on)
        0xf9000022, // 0x04: str x2, [x1]
        0xf9400023, // 0x08: ldr x3, [x1]      watched
        0xf9000424, // 0x0c: str x4, [x1, #8]  watched
        0xf9400023, // 0x10: ldr x3, [x1]      not watched again
    ]);
    let mut bus = watcher(ram, |_| false, cpu::WatchVerdict::Proceed);
    let page = BASE + 0x3000;
    cpu.set_xreg(1, page);
    cpu.set_xreg(2, 0x55);
    cpu.set_xreg(4, 0x66);
    cpu.run(&mut bus, 2);
    assert!(bus.seen.is_empty());
    let seen = |b: &common::Watcher| -> Vec<_> {
        b.seen
            .iter()
            .map(|a| (a.va, a.pa, a.size, a.value))
            .collect()
    };
    assert!(bus.ram.0.set_watch(page + 0x123, true));
    cpu.run(&mut bus, 2);
    assert_eq!(
        seen(&bus),
        vec![(page, page, 8, None), (page + 8, page + 8, 8, Some(0x66))]
    );
    assert_eq!(cpu.xreg(3), 0x55);
    assert!(bus.ram.0.set_watch(page, false));
    cpu.run(&mut bus, 1);
    assert_eq!(bus.seen.len(), 2);
}

#[test]
fn pmu_overflow_interrupt_output_is_resynced_on_register_writes() {
    // PMCR_EL0.E, PMINTENSET_EL1.C, then PMOVSSET_EL0.C: the overflow interrupt request
    // rises with the last write, and the platform hears of it before the next instruction.
    let (cpu0, ram) = machine(&[
        0xd51b9c01, // msr pmcr_el0, x1
        0xd5189e22, // msr pmintenset_el1, x2
        0xd51b9e62, // msr pmovsset_el0, x2
    ]);
    let mut cpu = cpu0;
    let mut bus = SyncBus {
        ram,
        calls: Vec::new(),
    };
    cpu.set_xreg(1, 1);
    cpu.set_xreg(2, 1 << 31);
    run_steps(&mut cpu, &mut bus, 2);
    assert_eq!(bus.calls.len(), 2, "each write resyncs");
    assert!(!bus.calls[1].get(cpu::PeIrq::Pmu));
    cpu.run(&mut bus, 1);
    assert_eq!(bus.calls.len(), 3);
    assert!(bus.calls[2].get(cpu::PeIrq::Pmu));
}
