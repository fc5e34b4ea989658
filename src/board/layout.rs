//! The physical memory map of the `virt`-like board (DESIGN.md §4), the single source of
//! truth for the bus and (later) the device tree.

/// RAM base, as on QEMU `virt`.
pub const RAM_BASE: u64 = 0x4000_0000;
/// Physical address space the board decodes (40 bits, as QEMU `virt` without highmem).
pub const PA_LIMIT: u64 = 1 << 40;

/// PL011 UART.
pub const UART_BASE: u64 = 0x0900_0000;
/// PL011 register window.
pub const UART_SIZE: u64 = 0x1000;

/// Most vCPUs the board accepts (one GICv3 redistributor region per CPU, later).
pub const MAX_CPUS: usize = 8;

/// What an MMIO address decodes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    /// The PL011, at this offset.
    Uart(u64),
    /// Nothing: an access is an external abort.
    None,
}

/// Decode a physical address outside RAM.
#[inline]
pub fn decode(pa: u64) -> Region {
    if pa.wrapping_sub(UART_BASE) < UART_SIZE {
        Region::Uart(pa - UART_BASE)
    } else {
        Region::None
    }
}
