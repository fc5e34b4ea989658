//! PMUv3 behaviour: counting the simulated clock and retired instructions, enables,
//! EL filtering, overflow and its interrupt, and the PMUSERENR_EL0 / MDCR_EL2 traps.
//! Instruction words as GNU as emits them.

use cpu::sysreg::SR;
use cpu::{Conduit, Cpu, CpuConfig};
mod common;
use common::RamBus;
use mmu::GuestRam;

const BASE: u64 = 0x4000_0000;

const NOP: u32 = 0xd503201f;

// PMCR_EL0 bits.
const E: u64 = 1;
const P: u64 = 1 << 1;
const C: u64 = 1 << 2;
const LC: u64 = 1 << 6;
const CCNT: u64 = 1 << 31;

fn machine(words: &[u32], el: u8) -> (Cpu, RamBus) {
    let bus = RamBus(GuestRam::new(BASE, 0x10000).unwrap());
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
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
            spe: 0,
        },
        el,
    );
    cpu.set_pc(BASE);
    (cpu, bus)
}

/// Step `n` instructions, returning the cycle count before each.
fn steps(cpu: &mut Cpu, bus: &mut RamBus, n: usize) -> Vec<u64> {
    (0..n)
        .map(|_| {
            let c = cpu.cycles();
            cpu.step_one(bus).expect("no exception");
            c
        })
        .collect()
}

#[test]
fn counts_cycles_and_instructions() {
    let (mut cpu, mut bus) = machine(
        &[
            0xd51bec01, // 0: msr pmevtyper0_el0, x1   (CPU_CYCLES)
            0xd51bec22, // 1: msr pmevtyper1_el0, x2   (INST_RETIRED)
            0xd51b9c00, // 2: msr pmcr_el0, x0         (E | P | C | LC)
            0xd51b9c23, // 3: msr pmcntenset_el0, x3   (C, 0, 1)
            NOP,        // 4
            NOP,        // 5
            NOP,        // 6
            0xd53b9d03, // 7: mrs x3, pmccntr_el0
            0xd53be804, // 8: mrs x4, pmevcntr0_el0
            0xd53be825, // 9: mrs x5, pmevcntr1_el0
            0xd53b9c00, // 10: mrs x0, pmcr_el0
            0xd53b9cc9, // 11: mrs x9, pmceid0_el0
        ],
        1,
    );
    cpu.set_xreg(0, E | P | C | LC);
    cpu.set_xreg(1, 0x11);
    cpu.set_xreg(2, 0x08);
    cpu.set_xreg(3, CCNT | 3);
    let pre = steps(&mut cpu, &mut bus, 12);
    assert_eq!(
        cpu.xreg(3),
        pre[7] - pre[3],
        "PMCCNTR counts cycles from the enable"
    );
    assert_eq!(cpu.xreg(4), pre[8] - pre[3], "CPU_CYCLES event counter");
    assert_eq!(cpu.xreg(5), 6, "INST_RETIRED: instructions 3..=8 retired");
    assert_eq!(
        cpu.xreg(0),
        E | LC | (4 << 11),
        "P/C read as 0, N = HPMN = 4"
    );
    assert_eq!(
        cpu.xreg(9),
        (1 << 0) | (1 << 8) | (1 << 9) | (1 << 0x11) | (1 << 0x1e),
        "SW_INCR, INST_RETIRED, EXC_TAKEN, CPU_CYCLES, CHAIN"
    );
}

#[test]
fn disable_stops_counting() {
    let (mut cpu, mut bus) = machine(
        &[
            0xd51b9c00, // 0: msr pmcr_el0, x0         (E | LC)
            0xd51b9c23, // 1: msr pmcntenset_el0, x3   (C)
            NOP,        // 2
            0xd51b9c43, // 3: msr pmcntenclr_el0, x3
            NOP,        // 4
            NOP,        // 5
            0xd53b9d03, // 6: mrs x3, pmccntr_el0
            0xd51b9c1f, // 7: msr pmcr_el0, xzr         (E = 0 disables all)
            0xd51b9c23, // 8: msr pmcntenset_el0, x3   (re-enable C: no effect with E = 0)
            NOP,        // 9
            0xd53b9d04, // 10: mrs x4, pmccntr_el0
        ],
        1,
    );
    cpu.set_xreg(0, E | LC);
    cpu.set_xreg(3, CCNT);
    let pre = steps(&mut cpu, &mut bus, 11);
    let v = pre[3] - pre[1];
    assert_eq!(cpu.xreg(3), v);
    assert_eq!(cpu.xreg(4), v, "PMCR.E = 0 stops the cycle counter");
    assert!(!cpu.pmu_irq());
}

#[test]
fn el_filtering_counts_only_el0() {
    let (mut cpu, mut bus) = machine(
        &[
            0xd51befe1, // 0: msr pmccfiltr_el0, x1   (P: not at EL1)
            0xd51b9e04, // 1: msr pmuserenr_el0, x4   (CR)
            0xd51b9c00, // 2: msr pmcr_el0, x0
            0xd51b9c23, // 3: msr pmcntenset_el0, x3
            0xd5184029, // 4: msr elr_el1, x9
            0xd518401f, // 5: msr spsr_el1, xzr        (EL0t)
            NOP,        // 6
            0xd69f03e0, // 7: eret
            NOP,        // 8 (EL0)
            NOP,        // 9
            0xd53b9d02, // 10: mrs x2, pmccntr_el0
        ],
        1,
    );
    cpu.set_xreg(0, E | LC);
    cpu.set_xreg(1, 1 << 31);
    cpu.set_xreg(3, CCNT);
    cpu.set_xreg(4, 1 << 2);
    cpu.set_xreg(9, BASE + 8 * 4);
    let pre = steps(&mut cpu, &mut bus, 11);
    assert_eq!(cpu.pstate().el, 0);
    // The ERET's own cycles count at its target EL (EL0).
    assert_eq!(cpu.xreg(2), pre[10] - pre[7]);
}

#[test]
fn cycle_counter_overflows_at_32_bits_without_lc() {
    let (mut cpu, mut bus) = machine(
        &[
            0xd51b9d06, // 0: msr pmccntr_el0, x6
            0xd5189e27, // 1: msr pmintenset_el1, x7
            0xd51b9c00, // 2: msr pmcr_el0, x0          (E, LC = 0)
            0xd51b9c23, // 3: msr pmcntenset_el0, x3
        ],
        1,
    );
    for i in 4..64u64 {
        bus.0.write_bytes(BASE + 4 * i, &NOP.to_le_bytes()).unwrap();
    }
    cpu.set_xreg(0, E);
    cpu.set_xreg(3, CCNT);
    cpu.set_xreg(6, 0xffff_fff0);
    cpu.set_xreg(7, CCNT);
    steps(&mut cpu, &mut bus, 3);
    assert_eq!(cpu.next_pmu_overflow_cycle(), None, "not counting yet");
    let enable_at = cpu.cycles();
    steps(&mut cpu, &mut bus, 1);
    assert_eq!(cpu.next_pmu_overflow_cycle(), Some(enable_at + 0x10));
    assert_eq!(cpu.next_pmu_idle_wakeup(), Some(enable_at + 0x10));
    while cpu.cycles() < enable_at + 0x10 {
        assert!(!cpu.pmu_irq());
        steps(&mut cpu, &mut bus, 1);
    }
    assert!(cpu.pmu_irq(), "overflow raises the interrupt");
    assert_eq!(cpu.next_pmu_overflow_cycle(), None, "already pending");
    // Read and clear the flag; the counter itself kept counting past 2^32.
    let (mut cpu2, mut bus2) = (cpu, bus);
    let pc = cpu2.pc();
    bus2.0
        .write_bytes(
            pc,
            &[
                0xd53b9c68u32, // mrs x8, pmovsclr_el0
                0xd51b9c68,    // msr pmovsclr_el0, x8
                0xd53b9d03,    // mrs x3, pmccntr_el0
            ]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect::<Vec<u8>>(),
        )
        .unwrap();
    steps(&mut cpu2, &mut bus2, 3);
    assert_eq!(cpu2.xreg(8), CCNT);
    assert!(!cpu2.pmu_irq(), "PMOVSCLR clears the request");
    assert!(cpu2.xreg(3) > 0xffff_ffff, "PMCCNTR stays a 64-bit count");
}

#[test]
fn event_counter_overflow_wraps_and_needs_inten_and_e() {
    let (mut cpu, mut bus) = machine(
        &[
            0xd51bec22, // 0: msr pmevtyper1_el0, x2   (INST_RETIRED)
            0xd51be826, // 1: msr pmevcntr1_el0, x6
            0xd51b9c00, // 2: msr pmcr_el0, x0
            0xd51b9c23, // 3: msr pmcntenset_el0, x3   (counter 1)
            NOP,        // 4
            NOP,        // 5
            0xd53be825, // 6: mrs x5, pmevcntr1_el0
            0xd5189e27, // 7: msr pmintenset_el1, x7
            0xd51b9c1f, // 8: msr pmcr_el0, xzr
        ],
        1,
    );
    cpu.set_xreg(0, E | LC);
    cpu.set_xreg(2, 0x08);
    cpu.set_xreg(3, 2);
    cpu.set_xreg(6, 0xffff_fffd);
    cpu.set_xreg(7, 2);
    steps(&mut cpu, &mut bus, 7);
    // Instructions 3, 4, 5 retire before the read: 0xfffffffd + 3 wraps to 0.
    assert_eq!(cpu.xreg(5), 0);
    assert!(!cpu.pmu_irq(), "PMINTENSET bit clear: no request");
    steps(&mut cpu, &mut bus, 1);
    assert!(cpu.pmu_irq(), "overflow flag + PMINTENSET + PMCR.E");
    steps(&mut cpu, &mut bus, 1);
    assert!(!cpu.pmu_irq(), "PMCR.E = 0 gates the request");
}

/// Counters 0 and 1 as a chained pair: counter 0 counts `even_event` from `even`,
/// counter 1 counts CHAIN from `odd`; then `extra` instructions run after the enable.
/// Returns (counter 0, counter 1, PMOVSCLR) as read back.
fn chained(even_event: u64, even: u64, odd: u64, extra: &[u32]) -> (u64, u64, u64) {
    let mut words = vec![
        0xd51bec01, // msr pmevtyper0_el0, x1
        0xd51bec22, // msr pmevtyper1_el0, x2   (CHAIN)
        0xd51be804, // msr pmevcntr0_el0, x4
        0xd51be825, // msr pmevcntr1_el0, x5
        0xd51b9c00, // msr pmcr_el0, x0
        0xd51b9c23, // msr pmcntenset_el0, x3   (counters 0 and 1)
    ];
    words.extend_from_slice(extra);
    words.extend_from_slice(&[
        0xd53be80a, // mrs x10, pmevcntr0_el0
        0xd53be82b, // mrs x11, pmevcntr1_el0
        0xd53b9c6c, // mrs x12, pmovsclr_el0
    ]);
    let n = words.len();
    let (mut cpu, mut bus) = machine(&words, 1);
    cpu.set_xreg(0, E);
    cpu.set_xreg(1, even_event);
    cpu.set_xreg(2, 0x1e);
    cpu.set_xreg(3, 3);
    cpu.set_xreg(4, even);
    cpu.set_xreg(5, odd);
    cpu.set_xreg(6, 1);
    steps(&mut cpu, &mut bus, n);
    (cpu.xreg(10), cpu.xreg(11), cpu.xreg(12))
}

/// CHAIN (0x1E) on an odd counter counts each overflow of the even counter below it
/// (Arm ARM D11 "Chaining"; PMUv3 without FEAT_PMUv3p5, so 32-bit counters). The even
/// counter still sets its overflow flag; the odd one sets its own when it wraps too.
#[test]
fn chain_counts_overflows_of_the_even_counter() {
    // INST_RETIRED from 0xfffffffe: the enable's successor and 3 more wrap it once.
    let (c0, c1, ovs) = chained(0x08, 0xffff_fffe, 5, &[NOP, NOP, NOP]);
    assert_eq!(
        (c0, c1, ovs),
        (2, 6, 1),
        "one overflow of counter 0: counter 1 + 1"
    );
    // Counter 1 at 0xffffffff wraps as well: a 64-bit count 0x1_ffff_ffff + 4 wraps.
    let (c0, c1, ovs) = chained(0x08, 0xffff_fffe, 0xffff_ffff, &[NOP, NOP, NOP]);
    assert_eq!((c0, c1, ovs), (2, 0, 3), "both halves overflow");
    // No overflow, no CHAIN count.
    let (c0, c1, ovs) = chained(0x08, 0, 7, &[NOP]);
    assert_eq!((c0, c1, ovs), (2, 7, 0));
}

/// A software increment that overflows an even counter increments its CHAIN partner
/// at once (kvm-unit-tests' pmu-chained-sw-incr checks the same).
#[test]
fn chain_follows_a_software_increment() {
    let (c0, c1, ovs) = chained(0x00, 0xffff_ffff, 0, &[0xd51b9c86]); // msr pmswinc_el0, x6
    assert_eq!((c0, c1, ovs), (0, 1, 1));
}

#[test]
fn software_increment() {
    let (mut cpu, mut bus) = machine(
        &[
            0xd51b9c00, // msr pmcr_el0, x0
            0xd51b9c23, // msr pmcntenset_el0, x3
            0xd51b9c81, // msr pmswinc_el0, x1
            0xd51b9c81, // msr pmswinc_el0, x1
            0xd51b9ca1, // msr pmselr_el0, x1         (SEL = 1)
            0xd53b9d4a, // mrs x10, pmxevcntr_el0
            0xd53b9d2b, // mrs x11, pmxevtyper_el0
        ],
        1,
    );
    cpu.set_xreg(0, E);
    cpu.set_xreg(1, 1 << 1);
    cpu.set_xreg(3, 1 << 1);
    steps(&mut cpu, &mut bus, 4);
    // SELR takes x1 = 2 after the increments; re-point it at counter 1.
    cpu.set_xreg(1, 1);
    steps(&mut cpu, &mut bus, 3);
    assert_eq!(cpu.xreg(10), 2, "two SW_INCR increments of counter 1");
    assert_eq!(cpu.xreg(11), 0, "event 0x00 = SW_INCR");
}

#[test]
fn pmuserenr_controls_el0_access() {
    let (mut cpu, mut bus) = machine(
        &[
            0xd53b9e02, // mrs x2, pmuserenr_el0  (always readable at EL0)
            0xd53b9d02, // mrs x2, pmccntr_el0
            0xd53be803, // mrs x3, pmevcntr0_el0
            0xd51b9d01, // msr pmccntr_el0, x1
            0xd51b9c81, // msr pmswinc_el0, x1
            0xd53b9c00, // mrs x0, pmcr_el0
        ],
        1,
    );
    let sysreg_trap = |cpu: &mut Cpu, bus: &mut RamBus, at: u64| {
        cpu.set_pc(BASE + 4 * at);
        let e = cpu.step_one(bus).expect_err("traps");
        assert_eq!(e.ec(), 0x18, "instruction {at}");
        assert_eq!(e.target, Some(1));
        e
    };
    let ok = |cpu: &mut Cpu, bus: &mut RamBus, at: u64| {
        cpu.set_pc(BASE + 4 * at);
        cpu.step_one(bus).expect("allowed");
    };
    cpu.set_el(0, 0);
    ok(&mut cpu, &mut bus, 0);
    // PMUSERENR_EL0 = 0: everything else traps to EL1 with EC 0x18.
    let e = sysreg_trap(&mut cpu, &mut bus, 1);
    // ISS: Op0 = 3, Op2 = 0, Op1 = 3, CRn = 9, Rt = 2, CRm = 13, read.
    assert_eq!(
        e.iss(),
        (3 << 20) | (3 << 14) | (9 << 10) | (2 << 5) | (13 << 1) | 1
    );
    for at in 2..6 {
        sysreg_trap(&mut cpu, &mut bus, at);
    }
    // CR = 1: PMCCNTR reads only.
    cpu.set_el(1, 1);
    write_userenr(&mut cpu, &mut bus, 1 << 2);
    cpu.set_el(0, 0);
    ok(&mut cpu, &mut bus, 1);
    sysreg_trap(&mut cpu, &mut bus, 2);
    sysreg_trap(&mut cpu, &mut bus, 3);
    sysreg_trap(&mut cpu, &mut bus, 4);
    // ER: event counter reads; SW: PMSWINC.
    cpu.set_el(1, 1);
    write_userenr(&mut cpu, &mut bus, (1 << 3) | (1 << 1));
    cpu.set_el(0, 0);
    ok(&mut cpu, &mut bus, 2);
    ok(&mut cpu, &mut bus, 4);
    sysreg_trap(&mut cpu, &mut bus, 1);
    sysreg_trap(&mut cpu, &mut bus, 5);
    // EN: everything.
    cpu.set_el(1, 1);
    write_userenr(&mut cpu, &mut bus, 1);
    cpu.set_el(0, 0);
    ok(&mut cpu, &mut bus, 0);
    assert_eq!(cpu.xreg(2), 1, "PMUSERENR_EL0 read at EL0");
    for at in 1..6 {
        ok(&mut cpu, &mut bus, at);
    }
}

/// `msr pmuserenr_el0, x4` at the current EL (placed after the test program).
fn write_userenr(cpu: &mut Cpu, bus: &mut RamBus, v: u64) {
    let at = BASE + 0x1000;
    bus.0.write_bytes(at, &0xd51b9e04u32.to_le_bytes()).unwrap();
    cpu.set_pc(at);
    cpu.set_xreg(4, v);
    cpu.step_one(bus).expect("EL1 writes PMUSERENR_EL0");
}

#[test]
fn mdcr_el2_traps_and_hpmn() {
    let (mut cpu, mut bus) = machine(
        &[
            0xd53b9c00, // 0: mrs x0, pmcr_el0
            0xd51b9d01, // 1: msr pmccntr_el0, x1
            0xd53be861, // 2: mrs x1, pmevcntr3_el0
            0xd5189e21, // 3: msr pmintenset_el1, x1
        ],
        1,
    );
    assert_eq!(cpu.sysreg(SR::MDCR_EL2) & 0x1f, 4, "HPMN resets to N");
    // HPMN = 2: EL1 sees N = 2; the counters above are reserved for EL2.
    cpu.set_sysreg(SR::MDCR_EL2, 2);
    cpu.step_one(&mut bus).unwrap();
    assert_eq!((cpu.xreg(0) >> 11) & 0x1f, 2);
    cpu.set_el(2, 1);
    cpu.set_pc(BASE);
    cpu.step_one(&mut bus).unwrap();
    assert_eq!((cpu.xreg(0) >> 11) & 0x1f, 4, "EL2 sees every counter");
    cpu.set_el(1, 1);
    // TPMCR traps PMCR_EL0 only.
    cpu.set_sysreg(SR::MDCR_EL2, 4 | (1 << 5));
    cpu.set_pc(BASE);
    let e = cpu.step_one(&mut bus).expect_err("TPMCR");
    assert_eq!((e.ec(), e.target), (0x18, Some(2)));
    cpu.step_one(&mut bus).expect_err("still at PMCR");
    cpu.set_pc(BASE + 4);
    cpu.step_one(&mut bus)
        .expect("PMCCNTR is not trapped by TPMCR");
    // TPM traps every PMU register from EL1, including PMINTENSET_EL1.
    cpu.set_sysreg(SR::MDCR_EL2, 4 | (1 << 6));
    for at in 0..4 {
        cpu.set_pc(BASE + 4 * at);
        let e = cpu.step_one(&mut bus).expect_err("TPM");
        assert_eq!((e.ec(), e.target), (0x18, Some(2)));
    }
    // At EL2 nothing traps.
    cpu.set_el(2, 1);
    for at in 0..4 {
        cpu.set_pc(BASE + 4 * at);
        cpu.step_one(&mut bus).expect("EL2");
    }
}
