//! The guest's FEAT_SPE beyond what the bare-metal spe guest checks (tests/guests/spe.c):
//! the jitter range, owner and EL rules, timestamps' counter, and the buffer faults of
//! the two stages and an external abort. Expected values come from the Arm ARM rules
//! cited at each check (D17, D24.7; QEMU has no SPE to compare with).

mod common;

use common::RamBus;
use cpu::sysreg::SR;
use cpu::{Conduit, Cpu, CpuConfig, Exit, PeIrq};
use mmu::GuestRam;

const BASE: u64 = common::BASE;
/// 4 MiB of RAM: code at BASE, stage 2 tables at BASE + 0x1000, the buffer at BUF.
const RAM: u64 = 4 << 20;
const BUF: u64 = BASE + 0x10_0000;
const LIMIT: u64 = BUF + 0x10_0000;

// PMSCR_ELx, PMBLIMITR_EL1, PMBSR_EL1 fields (D24.7).
const E0: u64 = 1 << 0;
const E1: u64 = 1 << 1;
const TS: u64 = 1 << 5;
const PCT_PHYS: u64 = 0b01 << 6;
const ENABLE: u64 = 1;
const S: u64 = 1 << 17;
const EA: u64 = 1 << 18;

/// A PE with SPEv1p2 at `el` (EL2 implemented) running `b .` at BASE, or the loop
/// `ldr x3, [x2]; subs x1, x1, #1; b.ne` with `ldr`. The buffer [BUF, LIMIT) is enabled
/// (fill mode) with PMSIRR_EL1 = 0x100 (256 operations), PMSICR_EL1 = 0.
fn machine(el: u8, ldr: bool) -> (Cpu, RamBus) {
    let bus = RamBus(GuestRam::new(BASE, RAM).unwrap());
    let code: &[u32] = if ldr {
        &[0xf940_0043, 0xf100_0421, 0x54ff_ffc1]
    } else {
        &[0x1400_0000]
    };
    let bytes: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    bus.0.write_bytes(BASE, &bytes).unwrap();
    let mut cpu = Cpu::new(
        CpuConfig {
            has_el2: true,
            conduit: Conduit::Smc,
            mpidr_aff: 0,
            index: 0,
            gic: false,
            pa_bits: 48,
            mte: false,
            spe: 3,
        },
        2,
    );
    cpu.set_el(el, (el != 0) as u8);
    cpu.set_pc(BASE);
    cpu.set_xreg(1, u64::MAX);
    cpu.set_xreg(2, BASE + 0x800);
    cpu.set_sysreg(SR::PMSIRR_EL1, 0x100);
    cpu.set_sysreg(SR::PMBPTR_EL1, BUF);
    cpu.set_sysreg(SR::PMBLIMITR_EL1, LIMIT | ENABLE);
    (cpu, bus)
}

fn run(cpu: &mut Cpu, bus: &mut RamBus, n: u64) {
    let end = cpu.steps() + n;
    while cpu.steps() < end {
        let x = cpu.run(bus, end - cpu.steps());
        assert!(matches!(x, Exit::Yield | Exit::Budget), "{x:?}");
    }
}

/// The records written to [BUF, PMBPTR_EL1).
fn records(cpu: &Cpu, bus: &RamBus) -> Vec<spe::Sample> {
    let n = cpu.sysreg(SR::PMBPTR_EL1) - BUF;
    let mut buf = vec![0u8; n as usize];
    bus.0.read_bytes(BUF, &mut buf).unwrap();
    spe::records(&buf)
        .iter()
        .map(|r| r.sample().expect("a whole record"))
        .collect()
}

#[test]
fn samples_every_interval_plus_one_operations_and_jitter_stays_in_its_byte() {
    // PMSIRR_EL1.RND = 0: after COUNT = 0 reloads INTERVAL * 256, the operation that
    // counts it down to 0 is sampled, so samples are 257 `b .` apart; with RND = 1,
    // COUNT[7:0] is random at each reload (SPEResetSampleCounter), so the gaps are
    // 257 + [0, 255]. The timestamp (PMSCR_EL2.TS, PCT physical) is the cycle count, and
    // each `b .` costs the same.
    let gaps = |rnd: u64| {
        let (mut cpu, mut bus) = machine(2, false);
        cpu.set_sysreg(SR::PMSIRR_EL1, 0x100 | rnd);
        cpu.set_sysreg(SR::PMSCR_EL2, E1 | TS | PCT_PHYS);
        run(&mut cpu, &mut bus, 100_000);
        let ts: Vec<u64> = records(&cpu, &bus)
            .iter()
            .map(|s| s.timestamp.unwrap())
            .collect();
        assert!(ts.len() > 100, "{} records", ts.len());
        ts.windows(2).map(|w| w[1] - w[0]).collect::<Vec<_>>()
    };
    let fixed = gaps(0);
    assert!(fixed.iter().all(|&g| g == fixed[0]), "{fixed:?}");
    assert_eq!(
        fixed[0] % 257,
        0,
        "257 operations of equal cost: {}",
        fixed[0]
    );
    let cost = fixed[0] / 257;
    let jittered: Vec<u64> = gaps(1).iter().map(|g| g / cost - 257).collect();
    assert!(jittered.iter().all(|&j| j <= 255), "{jittered:?}");
    let distinct: std::collections::BTreeSet<_> = jittered.iter().collect();
    assert!(distinct.len() > 50, "random low bits: {distinct:?}");
}

#[test]
fn timestamps_use_the_physical_or_virtual_count_as_pmscr_pct_says() {
    // CollectTimeStamp: owner EL2, so PMSCR_EL2.TS and PCT; PCT = 0b00 is the virtual
    // count (physical - CNTVOFF_EL2), 0b01 the physical count.
    for (pct, off) in [(PCT_PHYS, 0), (0, 1 << 40)] {
        let (mut cpu, mut bus) = machine(2, false);
        cpu.set_sysreg(SR::CNTVOFF_EL2, 1 << 40);
        cpu.set_sysreg(SR::PMSCR_EL2, E1 | TS | pct);
        run(&mut cpu, &mut bus, 300);
        let r = records(&cpu, &bus);
        assert_eq!(r.len(), 1);
        let ts = r[0].timestamp.unwrap().wrapping_add(off);
        assert!(
            ts <= cpu.cycles() && ts > cpu.cycles().saturating_sub(300 * 16),
            "{ts:#x}"
        );
    }
}

#[test]
fn nothing_is_sampled_above_the_owner_or_while_the_buffer_is_stopped() {
    // StatisticalProfilingEnabled: EL2 does not sample when EL1 owns the buffer
    // (MDCR_EL2.E2PB = 0b11), nor anywhere once PMBSR_EL1.S = 1, and COUNT stays put.
    let (mut cpu, mut bus) = machine(2, false);
    cpu.set_sysreg(SR::MDCR_EL2, 0b11 << 12);
    cpu.set_sysreg(SR::PMSCR_EL2, E1);
    cpu.set_sysreg(SR::PMSICR_EL1, 5);
    run(&mut cpu, &mut bus, 1000);
    assert_eq!(cpu.sysreg(SR::PMBPTR_EL1), BUF);
    assert_eq!(cpu.sysreg(SR::PMSICR_EL1), 5);
    let (mut cpu, mut bus) = machine(2, false);
    cpu.set_sysreg(SR::PMSCR_EL2, E1);
    cpu.set_sysreg(SR::PMSICR_EL1, 5);
    cpu.set_sysreg(SR::PMBSR_EL1, S);
    run(&mut cpu, &mut bus, 1000);
    assert_eq!(cpu.sysreg(SR::PMBPTR_EL1), BUF);
    assert_eq!(cpu.sysreg(SR::PMSICR_EL1), 5);
    // EL1 owning it, EL1 samples (PMSCR_EL1.E1SPE) and EL0 does not (E0SPE = 0).
    for (el, want) in [(1, 1), (0, 0)] {
        let (mut cpu, mut bus) = machine(el, false);
        cpu.set_sysreg(SR::MDCR_EL2, 0b11 << 12);
        cpu.set_sysreg(SR::PMSCR_EL1, E1);
        cpu.set_sysreg(SR::PMSICR_EL1, 5);
        run(&mut cpu, &mut bus, 10);
        assert_eq!(records(&cpu, &bus).len(), want, "EL{el}");
    }
    let (mut cpu, mut bus) = machine(0, false);
    cpu.set_sysreg(SR::MDCR_EL2, 0b11 << 12);
    cpu.set_sysreg(SR::PMSCR_EL1, E0);
    cpu.set_sysreg(SR::PMSICR_EL1, 5);
    run(&mut cpu, &mut bus, 10);
    let r = records(&cpu, &bus);
    assert_eq!((r.len(), r[0].el, r[0].pc), (1, 0, BASE));
}

/// Stage 2 for EL1&0 (VTCR_EL2: T0SZ 25, SL0 = 1 (start at level 1), 4K granule,
/// PS 48 bits): IPA [BASE, BASE + 2 MiB) maps to the same PA, read/write; the next 2 MiB
/// (the buffer's block) is unmapped.
fn stage2(cpu: &mut Cpu, bus: &RamBus) {
    let l1 = BASE + 0x1000;
    let l2 = BASE + 0x2000;
    bus.0
        .write_bytes(l1 + 8, &(l2 | 0b11).to_le_bytes())
        .unwrap();
    // Block: AF [10], SH inner [9:8], S2AP RW [7:6], MemAttr Normal WB [5:2].
    let block = BASE | (1 << 10) | (0b11 << 8) | (0b11 << 6) | (0xf << 2) | 0b01;
    bus.0.write_bytes(l2, &block.to_le_bytes()).unwrap();
    cpu.set_sysreg(SR::VTCR_EL2, 25 | (1 << 6) | (0b101 << 16));
    cpu.set_sysreg(SR::VTTBR_EL2, l1);
    cpu.set_sysreg(SR::HCR_EL2, 1 | (1 << 31)); // VM, RW
}

#[test]
fn stage_2_fault_on_the_buffer_stops_it_with_pmbsr_ec_0x25() {
    // EL1 owns the buffer (E2PB = 0b11); its writes go through stage 2 (D17.8). The IPA
    // of the buffer is unmapped at level 2: PMBSR_EL1.S = 1, EC = 0b100101 (stage 2 Data
    // Abort on a buffer write), FSC = 0b000110 (Translation fault, level 2), DL = 0 (no
    // byte of the record was written), PMBPTR_EL1 = the faulting address; no exception is
    // taken, and PMBIRQ rises.
    let (mut cpu, mut bus) = machine(1, false);
    stage2(&mut cpu, &bus);
    cpu.set_sysreg(SR::MDCR_EL2, 0b11 << 12);
    cpu.set_sysreg(SR::PMSCR_EL1, E1);
    cpu.set_sysreg(SR::PMSICR_EL1, 10);
    let buf = BASE + 0x20_0040;
    cpu.set_sysreg(SR::PMBPTR_EL1, buf);
    cpu.set_sysreg(SR::PMBLIMITR_EL1, (BASE + 0x30_0000) | ENABLE);
    run(&mut cpu, &mut bus, 100);
    assert_eq!(cpu.sysreg(SR::PMBSR_EL1), (0b10_0101 << 26) | S | 0b00_0110);
    assert_eq!(cpu.sysreg(SR::PMBPTR_EL1), buf);
    assert_eq!((cpu.pstate().el, cpu.pc()), (1, BASE), "no exception");
    assert!(cpu.irq_output(PeIrq::SpeBuffer));
    // Mapped: the record lands in RAM through stage 2.
    let (mut cpu, mut bus) = machine(1, false);
    stage2(&mut cpu, &bus);
    cpu.set_sysreg(SR::MDCR_EL2, 0b11 << 12);
    cpu.set_sysreg(SR::PMSCR_EL1, E1);
    cpu.set_sysreg(SR::PMSICR_EL1, 10);
    run(&mut cpu, &mut bus, 100);
    assert_eq!(cpu.sysreg(SR::PMBSR_EL1), 0);
    assert_eq!(records(&cpu, &bus).len(), 1);
    assert!(!cpu.irq_output(PeIrq::SpeBuffer));
}

#[test]
fn external_abort_on_a_buffer_write_sets_pmbsr_ea() {
    // A buffer VA that is not RAM (EL2 owner, MMU off): the write is an External abort,
    // PMBSR_EL1.EA = 1 with S = 1, EC = stage 1 Data Abort and FSC = 0b010000.
    let (mut cpu, mut bus) = machine(2, true);
    cpu.set_sysreg(SR::PMSCR_EL2, E1);
    cpu.set_sysreg(SR::PMSICR_EL1, 3);
    cpu.set_sysreg(SR::PMBPTR_EL1, 0x1000_0000);
    cpu.set_sysreg(SR::PMBLIMITR_EL1, 0x2000_0000 | ENABLE);
    run(&mut cpu, &mut bus, 100);
    assert_eq!(
        cpu.sysreg(SR::PMBSR_EL1),
        (0b10_0100 << 26) | EA | S | 0b01_0000
    );
    assert_eq!(cpu.sysreg(SR::PMBPTR_EL1), 0x1000_0000);
    assert!(cpu.irq_output(PeIrq::SpeBuffer));
}

#[test]
fn a_load_record_names_its_data_address() {
    // With COUNT = 1 the first operation is sampled: `ldr x3, [x2]`, Operation Type
    // class 1 (load), data VA (and PA: PMSCR_EL2.PA with an EL2 owner) = x2.
    let (mut cpu, mut bus) = machine(2, true);
    cpu.set_sysreg(SR::PMSCR_EL2, E1 | (1 << 4));
    cpu.set_sysreg(SR::PMSICR_EL1, 1);
    run(&mut cpu, &mut bus, 10);
    let r = records(&cpu, &bus);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].pc, BASE);
    assert!(matches!(
        r[0].op,
        spe::OpType::LoadStore { store: false, .. }
    ));
    assert_eq!(r[0].data_va, Some(BASE + 0x800));
    assert_eq!(r[0].data_pa.map(|p| p.pa), Some(BASE + 0x800));
}

#[test]
fn poison_unknown_fills_the_unknown_fields_but_no_enable() {
    // --poison-unknown: every SPE register with an UNKNOWN reset value reads non-zero,
    // while PMSCR_ELx.E*SPE, PMBLIMITR_EL1.E and PMBSR_EL1.S stay 0 (nothing profiles,
    // PMBIRQ stays low).
    let (mut cpu, _) = machine(2, false);
    cpu.set_sysreg(SR::PMBLIMITR_EL1, 0);
    cpu.poison_unknown();
    for r in [
        SR::PMSCR_EL1,
        SR::PMSCR_EL2,
        SR::PMSICR_EL1,
        SR::PMSIRR_EL1,
        SR::PMSFCR_EL1,
        SR::PMSEVFR_EL1,
        SR::PMSNEVFR_EL1,
        SR::PMSLATFR_EL1,
        SR::PMBLIMITR_EL1,
        SR::PMBPTR_EL1,
        SR::PMBSR_EL1,
    ] {
        assert_ne!(cpu.sysreg(r), 0, "{r:?}");
    }
    assert_eq!(cpu.sysreg(SR::PMSCR_EL1) & (E0 | E1), 0);
    assert_eq!(cpu.sysreg(SR::PMSCR_EL2) & (E0 | E1), 0);
    assert_eq!(cpu.sysreg(SR::PMBLIMITR_EL1) & ENABLE, 0);
    assert_eq!(cpu.sysreg(SR::PMBSR_EL1) & S, 0);
    assert!(!cpu.irq_output(PeIrq::SpeBuffer));
}

#[test]
fn el2_gates_what_an_el1_owner_collects() {
    // EL1 owns the buffer: CollectPhysicalAddress needs PMSCR_EL1.PA and PMSCR_EL2.PA, and
    // CollectTimeStamp's physical count needs PCT = 0b01 in both (else the virtual count,
    // physical - CNTVOFF_EL2); TS itself is PMSCR_EL1's.
    for (el2, pa, physical) in [(0, false, false), ((1 << 4) | PCT_PHYS, true, true)] {
        let (mut cpu, mut bus) = machine(1, true);
        cpu.set_sysreg(SR::MDCR_EL2, 0b11 << 12);
        cpu.set_sysreg(SR::CNTVOFF_EL2, 1 << 40);
        cpu.set_sysreg(SR::PMSCR_EL1, E1 | TS | (1 << 4) | PCT_PHYS);
        cpu.set_sysreg(SR::PMSCR_EL2, el2);
        cpu.set_sysreg(SR::PMSICR_EL1, 1);
        run(&mut cpu, &mut bus, 10);
        let r = records(&cpu, &bus);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].data_pa.is_some(), pa, "PMSCR_EL2 {el2:#x}");
        let ts = r[0].timestamp.unwrap();
        assert_eq!(ts <= cpu.cycles(), physical, "{ts:#x}");
    }
}

#[test]
fn stage_2_permission_fault_on_the_buffer() {
    // The buffer's block mapped read-only at stage 2 (S2AP = 0b01): the write is a stage 2
    // Permission fault at level 2, FSC 0b001110.
    let (mut cpu, mut bus) = machine(1, false);
    stage2(&mut cpu, &bus);
    let ro = (BASE + 0x20_0000) | (1 << 10) | (0b11 << 8) | (0b01 << 6) | (0xf << 2) | 0b01;
    bus.0.write_bytes(BASE + 0x2008, &ro.to_le_bytes()).unwrap();
    cpu.set_sysreg(SR::MDCR_EL2, 0b11 << 12);
    cpu.set_sysreg(SR::PMSCR_EL1, E1);
    cpu.set_sysreg(SR::PMSICR_EL1, 2);
    cpu.set_sysreg(SR::PMBPTR_EL1, BASE + 0x20_0000);
    cpu.set_sysreg(SR::PMBLIMITR_EL1, (BASE + 0x30_0000) | ENABLE);
    run(&mut cpu, &mut bus, 10);
    assert_eq!(cpu.sysreg(SR::PMBSR_EL1), (0b10_0101 << 26) | S | 0b00_1110);
    assert_eq!(cpu.sysreg(SR::PMBPTR_EL1), BASE + 0x20_0000);
}
