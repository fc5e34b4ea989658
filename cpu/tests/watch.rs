//! Watched pages (crate::watch): the platform is asked before each access to a WATCH page
//! — with the exact retired-instruction count even in the middle of a block — and its
//! verdict makes the access fail with a synchronous External abort (data, instruction, or
//! on a table walk at the walk's level) or makes an SError pending.

mod common;

use common::{machine, mmu_on_el1, watcher, BASE};
use cpu::sysreg::SR;
use cpu::{WatchKind, WatchVerdict};

#[test]
fn accesses_report_exact_counts_and_an_abort_leaves_memory_alone() {
    let (mut cpu, ram) = machine(&[
        0xd2800020, // 0x00: mov x0, #1
        0x91000400, // 0x04: add x0, x0, #1
        0xf9400023, // 0x08: ldr x3, [x1]       watched: 2 retired before it
        0x91000400, // 0x0c: add x0, x0, #1
        0xf9000022, // 0x10: str x2, [x1]       watched: aborts
    ]);
    let page = BASE + 0x3000;
    ram.0.write_bytes(page, &0x1234u64.to_le_bytes()).unwrap();
    assert!(ram.0.set_watch(page, true));
    let mut bus = watcher(
        ram,
        |a| a.kind == WatchKind::Write,
        WatchVerdict::ExternalAbort,
    );
    cpu.set_xreg(1, page);
    cpu.set_xreg(2, 0x55);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.run(&mut bus, 5); // four instructions (the store does not retire) and the entry
    let kinds: Vec<_> = bus
        .seen
        .iter()
        .map(|a| (a.kind, a.pc - BASE, a.insns))
        .collect();
    assert_eq!(
        kinds,
        vec![(WatchKind::Read, 0x08, 2), (WatchKind::Write, 0x10, 4)]
    );
    assert_eq!(bus.seen[1].value, Some(0x55));
    assert_eq!(bus.seen[0].el, 2);
    assert_eq!(cpu.xreg(3), 0x1234);
    // Data abort, same EL, DFSC 0b010000, WnR = 1; the store did not happen.
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x9600_0050);
    assert_eq!(cpu.sysreg(SR::FAR_EL2), page);
    assert_eq!(cpu.sysreg(SR::ELR_EL2), BASE + 0x10);
    let mut b = [0u8; 8];
    bus.ram.0.read_bytes(page, &mut b).unwrap();
    assert_eq!(u64::from_le_bytes(b), 0x1234);
    assert_eq!(cpu.insns(), 4);
}

#[test]
fn serror_verdict_lets_the_access_happen_and_makes_an_serror_pending() {
    let (mut cpu, ram) = machine(&[0xf9400023]); // ldr x3, [x1]
    let page = BASE + 0x3000;
    ram.0.write_bytes(page, &7u64.to_le_bytes()).unwrap();
    ram.0.set_watch(page, true);
    let mut bus = watcher(ram, |_| true, WatchVerdict::SError(0x1811));
    cpu.set_xreg(1, page);
    cpu.run(&mut bus, 1);
    assert_eq!(cpu.xreg(3), 7);
    assert!(cpu.serror_pending());
}

#[test]
fn fetches_from_a_watched_page_are_each_reported_and_may_abort() {
    let (mut cpu, ram) = machine(&[
        0xd2800020, // 0x00: mov x0, #1
        0x91000400, // 0x04: add x0, x0, #1     aborts on its second fetch
        0x17ffffff, // 0x08: b 0x04
    ]);
    ram.0.set_watch(BASE, true);
    let mut bus = watcher(
        ram,
        |a| a.kind == WatchKind::Fetch && a.pc == BASE + 4 && a.insns > 1,
        WatchVerdict::ExternalAbort,
    );
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    cpu.run(&mut bus, 4); // three instructions and the abort's entry
    let fetches: Vec<_> = bus.seen.iter().map(|a| (a.pc - BASE, a.insns)).collect();
    assert_eq!(fetches, [(0, 0), (4, 1), (8, 2), (4, 3)]);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x8600_0010);
    assert_eq!(cpu.sysreg(SR::FAR_EL2), BASE + 4);
    assert_eq!(cpu.xreg(0), 2);
}

#[test]
fn an_abort_on_a_descriptor_read_is_an_external_abort_on_the_walk_at_its_level() {
    // Stage 1 of EL1&0 (common::mmu_on_el1): the level 2 table at BASE + 0x2000 is watched
    // and the descriptor read for the data VA fails: DFSC 0b010110 (level 2), at EL1.
    let (mut cpu, ram) = mmu_on_el1(&[0xf9400020]); // ldr x0, [x1] with x1 = 0x4020_3000
    ram.0.set_watch(BASE + 0x2000, true);
    let mut bus = watcher(
        ram,
        |a| a.kind == WatchKind::Walk && a.va == 0x4020_3000,
        WatchVerdict::ExternalAbort,
    );
    cpu.run(&mut bus, 1); // the load's abort
    let walks: Vec<_> = bus.seen.iter().map(|a| (a.va, a.pa - BASE)).collect();
    // The fetch's walk reads entry 0, the load's entry 1.
    assert_eq!(walks, vec![(BASE, 0x2000), (0x4020_3000, 0x2008)]);
    assert_eq!(cpu.sysreg(SR::ESR_EL1), 0x9600_0016);
    assert_eq!(cpu.sysreg(SR::FAR_EL1), 0x4020_3000);
    assert_eq!(cpu.pc(), BASE + 0x800 + 0x200);
}

#[test]
fn an_abort_on_a_stage_2_descriptor_read_during_the_stage_1_walk_is_an_s1ptw_fault() {
    // common::mmu_on_el1's stage 1, now under an identity stage 2 (VTTBR_EL2 at BASE +
    // 0x5000: level 1 entry 1 -> level 2 table at BASE + 0x6000, entry 0 a 2 MiB block of
    // RAM). The stage 2 walk that translates the IPA of the load's first stage 1
    // descriptor reads the level 2 entry, which fails: a Data Abort to EL2 from EL1 (EC
    // 0x24) with S1PTW = 1 and DFSC 0b010110 (synchronous External abort on a walk, level
    // 2, of stage 2), FAR_EL2 = the VA, HPFAR_EL2 = the IPA page of the stage 1 table.
    let (cpu1, ram) = mmu_on_el1(&[0xf9400020]); // ldr x0, [x1] with x1 = 0x4020_3000
    let mut cpu = cpu::Cpu::new(
        cpu::CpuConfig {
            has_el2: true,
            conduit: cpu::Conduit::Smc,
            mpidr_aff: 0,
            index: 0,
            gic: false,
            pa_bits: 48,
            mte: false,
            spe: 0,
        },
        1,
    );
    for r in [
        SR::MAIR_EL1,
        SR::TCR_EL1,
        SR::TTBR0_EL1,
        SR::VBAR_EL1,
        SR::SCTLR_EL1,
    ] {
        cpu.set_sysreg(r, cpu1.sysreg(r));
    }
    cpu.set_pc(BASE);
    cpu.set_xreg(1, 0x4020_3000);
    let w = |a: u64, v: u64| ram.0.write_bytes(a, &v.to_le_bytes()).unwrap();
    w(BASE + 0x5008, (BASE + 0x6000) | 0b11);
    w(BASE, 0xf9400020); // the descriptor writes above do not touch the code
                         // Block, MemAttr Normal WB (0b1111), S2AP read/write, inner shareable, AF.
    w(BASE + 0x6000, BASE | 0x7fd);
    // T0SZ = 25, SL0 = 1 (start at level 1), IRGN0/ORGN0 WB, SH0 inner, 4K, PS 40 bits.
    cpu.set_sysreg(
        SR::VTCR_EL2,
        25 | (1 << 6) | (1 << 8) | (1 << 10) | (3 << 12) | (2 << 16),
    );
    cpu.set_sysreg(SR::VTTBR_EL2, BASE + 0x5000);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0xc00);
    cpu.set_sysreg(SR::HCR_EL2, (1 << 31) | 1); // RW, VM
    ram.0.set_watch(BASE + 0x6000, true);
    let mut bus = watcher(
        ram,
        |a| a.kind == WatchKind::Walk && a.va == 0x4020_3000 && a.pa == BASE + 0x6000,
        WatchVerdict::ExternalAbort,
    );
    cpu.run(&mut bus, 1);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x9200_0096);
    assert_eq!(cpu.sysreg(SR::FAR_EL2), 0x4020_3000);
    assert_eq!(cpu.sysreg(SR::HPFAR_EL2), ((BASE + 0x1000) >> 12) << 4);
    assert_eq!(cpu.pstate().el, 2);
}
