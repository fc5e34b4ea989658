//! Shared harness of the CPU integration tests: a machine that is only RAM.

use cpu::sysreg::SR;
use cpu::{Conduit, Cpu, CpuConfig, WatchVerdict, WatchedAccess};
use mmu::{Bus, GuestRam, MmioResult};

/// A bus with RAM and nothing else: every MMIO access is an external abort.
pub struct RamBus(pub GuestRam);

impl cpu::Platform for RamBus {}

impl Bus for RamBus {
    fn ram(&self) -> &GuestRam {
        &self.0
    }
    fn mmio_read(&mut self, _: u64, _: u8) -> MmioResult {
        MmioResult::Unmapped
    }
    fn mmio_write(&mut self, _: u64, _: u8, _: u64) -> MmioResult {
        MmioResult::Unmapped
    }
}

/// Physical address of RAM (and of the first instruction) in [`machine`].
#[allow(dead_code)] // not every test binary uses it
pub const BASE: u64 = 0x4000_0000;

/// A CPU at EL2 (EL2 implemented, SMC conduit, no GIC) at BASE, over 64 KiB of RAM holding
/// `words` there.
#[allow(dead_code)]
pub fn machine(words: &[u32]) -> (Cpu, RamBus) {
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
        2,
    );
    cpu.set_pc(BASE);
    (cpu, bus)
}

/// EL1&0 stage 1 with 4K pages, 39-bit VA: VA 0x4000_0000 is a 2 MiB block of RAM for EL1
/// only (code), VA 0x4020_0000 an alias of the same RAM that EL0 may read and write.
#[allow(dead_code)]
pub fn mmu_on_el1(words: &[u32]) -> (Cpu, RamBus) {
    mmu_on_el1_with(words, false)
}

/// [`mmu_on_el1`], with `mte`: FEAT_MTE2 on, RAM with tag storage, and MAIR_EL1 attribute
/// 0 Tagged Normal memory (0xF0) instead of Normal Write-Back.
#[allow(dead_code)]
pub fn mmu_on_el1_with(words: &[u32], mte: bool) -> (Cpu, RamBus) {
    let backing = mmu::RamBacking {
        tags: mte,
        ..Default::default()
    };
    let bus = RamBus(GuestRam::with_backing(BASE, 0x10000, &backing).unwrap());
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    bus.0.write_bytes(BASE, &bytes).unwrap();
    // Level 1 table at BASE + 0x1000: entry 1 (VA[38:30] = 1) points at the level 2 table.
    bus.0
        .write_bytes(BASE + 0x1008, &((BASE + 0x2000) | 0b11).to_le_bytes())
        .unwrap();
    // Level 2 blocks: AF (bit 10), SH = Inner Shareable, AttrIndx 0; AP[2:1] = 00 (EL1 RW)
    // for entry 0, 01 (EL1 and EL0 RW) for entry 1.
    bus.0
        .write_bytes(BASE + 0x2000, &(BASE | 0x701).to_le_bytes())
        .unwrap();
    bus.0
        .write_bytes(BASE + 0x2008, &(BASE | 0x741).to_le_bytes())
        .unwrap();
    bus.0
        .write_bytes(BASE + 0x3000, &0x1122_3344_5566_7788u64.to_le_bytes())
        .unwrap();
    let mut cpu = Cpu::new(
        CpuConfig {
            has_el2: false,
            conduit: Conduit::Hvc,
            mpidr_aff: 0,
            index: 0,
            gic: false,
            pa_bits: 48,
            mte,
            spe: 0,
        },
        1,
    );
    cpu.set_sysreg(SR::MAIR_EL1, if mte { 0xf0 } else { 0xff });
    // T0SZ = 25, IRGN0 = ORGN0 = WBWA, SH0 = Inner, TG0 = 4K, EPD1 = 1, IPS = 40 bits.
    cpu.set_sysreg(
        SR::TCR_EL1,
        25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 32),
    );
    cpu.set_sysreg(SR::TTBR0_EL1, BASE + 0x1000);
    cpu.set_sysreg(SR::VBAR_EL1, BASE + 0x800);
    cpu.set_sysreg(SR::SCTLR_EL1, 0x30d0_0800 | 1);
    cpu.set_pc(BASE);
    cpu.set_xreg(1, 0x4020_3000);
    (cpu, bus)
}

/// A platform that records watched accesses and answers `verdict` to those `pick` selects.
pub struct Watcher {
    pub ram: RamBus,
    pub seen: Vec<WatchedAccess>,
    pub pick: fn(&WatchedAccess) -> bool,
    pub verdict: WatchVerdict,
}

impl cpu::Platform for Watcher {
    fn watched_access(&mut self, _cpu: usize, a: &WatchedAccess) -> WatchVerdict {
        self.seen.push(*a);
        if (self.pick)(a) {
            self.verdict
        } else {
            WatchVerdict::Proceed
        }
    }
}

impl mmu::Bus for Watcher {
    fn ram(&self) -> &GuestRam {
        &self.ram.0
    }
    fn mmio_read(&mut self, _: u64, _: u8) -> mmu::MmioResult {
        mmu::MmioResult::Unmapped
    }
    fn mmio_write(&mut self, _: u64, _: u8, _: u64) -> mmu::MmioResult {
        mmu::MmioResult::Unmapped
    }
}

#[allow(dead_code)]
pub fn watcher(ram: RamBus, pick: fn(&WatchedAccess) -> bool, verdict: WatchVerdict) -> Watcher {
    Watcher {
        ram,
        seen: Vec::new(),
        pick,
        verdict,
    }
}
