//! The board's physical bus: guest RAM plus the MMIO devices of [`super::layout`].

use super::layout::{self, Region};
use devices::{Pl011, Pl031};
use mmu::{Bus, GuestRam, MmioResult};
use std::io::Write;

/// Everything a CPU can address.
pub struct VirtBus<W: Write> {
    /// Guest RAM.
    pub ram: GuestRam,
    /// The console UART.
    pub uart: Pl011<W>,
    /// The real-time clock.
    pub rtc: Pl031,
    /// Number of CPUs (one GIC redistributor each).
    pub cpus: usize,
    /// Simulated time (ns) of the CPU running now, for time-aware devices.
    pub now_ns: u64,
}

impl<W: Write> cpu::Platform for VirtBus<W> {}

impl<W: Write> Bus for VirtBus<W> {
    #[inline(always)]
    fn ram(&self) -> &GuestRam {
        &self.ram
    }

    fn mmio_read(&mut self, pa: u64, size: u8) -> MmioResult {
        match layout::decode(pa, self.cpus) {
            Region::Uart(off) => MmioResult::Ok(self.uart.read(off, size) as u64),
            Region::Rtc(off) => MmioResult::Ok(self.rtc.read(off, size, self.now_ns) as u64),
            Region::Gicd(_) | Region::Gicr(_) | Region::None => MmioResult::Unmapped,
        }
    }

    fn mmio_write(&mut self, pa: u64, size: u8, value: u64) -> MmioResult {
        match layout::decode(pa, self.cpus) {
            Region::Uart(off) => self.uart.write(off, size, value as u32),
            Region::Rtc(off) => self.rtc.write(off, size, value as u32, self.now_ns),
            Region::Gicd(_) | Region::Gicr(_) | Region::None => return MmioResult::Unmapped,
        }
        MmioResult::Ok(0)
    }
}
