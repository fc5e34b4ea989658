//! The physical bus as seen by a CPU: RAM (direct access) plus MMIO (board callbacks).

use crate::GuestRam;

/// Outcome of an MMIO access that missed RAM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MmioResult {
    /// A device answered; for reads this is the value (zero-extended).
    Ok(u64),
    /// No region decodes this address: the CPU raises a synchronous external abort.
    Unmapped,
}

/// The physical address space a CPU executes against.
///
/// RAM is exposed directly so the CPU can access it without a call per byte; everything
/// else goes through `mmio_read`/`mmio_write`, implemented by the board.
pub trait Bus {
    /// Guest RAM.
    fn ram(&self) -> &GuestRam;
    /// Read `size` bytes (1, 2, 4 or 8) at physical address `pa` outside RAM.
    fn mmio_read(&mut self, pa: u64, size: u8) -> MmioResult;
    /// Write `size` bytes at physical address `pa` outside RAM.
    fn mmio_write(&mut self, pa: u64, size: u8, value: u64) -> MmioResult;
}
