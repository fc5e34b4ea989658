//! Shared harness of the CPU integration tests: a machine that is only RAM.

use cpu::{Conduit, Cpu, CpuConfig};
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
        },
        2,
    );
    cpu.set_pc(BASE);
    (cpu, bus)
}
