//! An empty virtio-mmio transport (virtio spec 1.x §4.2, legacy interface), as QEMU
//! `virt` has 32 of them at 0x0a000000 with nothing behind them: firmware, kernels and
//! test suites probe them (kvm-unit-tests' micro-bench times reads of one). With no
//! device, QEMU reads MagicValue "virt", Version 1 (legacy), VendorID "QEMU" and zero
//! everywhere else (DeviceID 0: no device), and ignores writes.

/// MagicValue: "virt" in little-endian ASCII.
const MAGIC: u32 = 0x7472_6976;
/// Version of a legacy transport (QEMU's default, `force-legacy`).
const VERSION: u32 = 1;
/// VendorID: "QEMU" in little-endian ASCII, QEMU's.
const VENDOR: u32 = 0x554d_4551;

/// Read `size` bytes at `off` within one transport's window: the identification
/// registers as 32-bit reads, zero for everything else.
pub fn empty_transport_read(off: u64, size: u8) -> u32 {
    if size != 4 {
        return 0;
    }
    match off {
        0x000 => MAGIC,
        0x004 => VERSION,
        0x00c => VENDOR,
        _ => 0,
    }
}
