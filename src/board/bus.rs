//! The board's physical bus: guest RAM plus the MMIO devices of [`super::layout`].

use super::layout::{self, Region};
use devices::Pl011;
use mmu::{Bus, GuestRam, MmioResult};
use std::io::Write;

/// Everything a CPU can address.
pub struct VirtBus<W: Write> {
    /// Guest RAM.
    pub ram: GuestRam,
    /// The console UART.
    pub uart: Pl011<W>,
}

impl<W: Write> cpu::Platform for VirtBus<W> {}

impl<W: Write> Bus for VirtBus<W> {
    #[inline(always)]
    fn ram(&self) -> &GuestRam {
        &self.ram
    }

    fn mmio_read(&mut self, pa: u64, size: u8) -> MmioResult {
        match layout::decode(pa) {
            Region::Uart(off) => MmioResult::Ok(self.uart.read(off, size) as u64),
            Region::None => MmioResult::Unmapped,
        }
    }

    fn mmio_write(&mut self, pa: u64, size: u8, value: u64) -> MmioResult {
        match layout::decode(pa) {
            Region::Uart(off) => {
                self.uart.write(off, size, value as u32);
                MmioResult::Ok(0)
            }
            Region::None => MmioResult::Unmapped,
        }
    }
}
