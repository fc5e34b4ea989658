//! Shared harness of the CPU integration tests: a machine that is only RAM.

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
