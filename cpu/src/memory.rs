//! Data accesses: address checks, RAM fast path, MMIO slow path, and the faults they raise.
//!
//! Stage-1 translation is not implemented yet, so VA = PA. With the stage-1 MMU off every
//! data access is to Device-nGnRnE memory (D8.2.11), so unaligned accesses take an
//! Alignment fault; exclusives, atomics and acquire/release must be aligned regardless.

use crate::exception::{fsc, Exc};
use crate::state::Cpu;
use crate::sysreg::SR;
use mmu::{Bus, MmioResult};

impl Cpu {
    /// SCTLR of the current translation regime.
    #[inline(always)]
    fn sctlr(&self) -> u64 {
        if self.pstate.el == 2 {
            self.sr.get(SR::SCTLR_EL2)
        } else {
            self.sr.get(SR::SCTLR_EL1)
        }
    }

    /// Whether an ordinary access of this size must be aligned: MMU off (Device memory)
    /// or SCTLR_ELx.A set.
    #[inline(always)]
    fn strict_align(&self) -> bool {
        let s = self.sctlr();
        s & 1 == 0 || s & 2 != 0
    }

    /// The base register of a load/store: Xn, or SP (with the SP alignment check of
    /// SCTLR_ELx.SA / SA0, D1.3.10) when n = 31.
    #[inline(always)]
    pub(crate) fn addr_base(&self, rn: u32) -> Result<u64, Exc> {
        if rn == 31 {
            let sa = if self.pstate.el == 0 { 1 << 4 } else { 1 << 3 };
            if self.sp & 0xf != 0 && self.sctlr() & sa != 0 {
                return Err(Exc::new(crate::ec::SP_ALIGN, 0));
            }
            Ok(self.sp)
        } else {
            Ok(self.x[rn as usize])
        }
    }

    /// Check alignment of an access of `size` bytes; `always` for accesses that require
    /// natural alignment in every memory type (exclusives, atomics, acquire/release).
    #[inline(always)]
    pub(crate) fn check_align(
        &self,
        va: u64,
        size: u64,
        always: bool,
        write: bool,
    ) -> Result<(), Exc> {
        if va & (size - 1) != 0 && (always || self.strict_align()) {
            return Err(Exc::data_abort(fsc::ALIGNMENT, va, write));
        }
        Ok(())
    }

    /// Read `size` (1, 2, 4, 8) bytes at `va`, zero-extended.
    #[inline(always)]
    pub(crate) fn read_mem<B: Bus>(&mut self, bus: &mut B, va: u64, size: u8) -> Result<u64, Exc> {
        self.check_align(va, size as u64, false, false)?;
        self.read_aligned(bus, va, size)
    }

    /// Read after the alignment check was done by the caller.
    #[inline(always)]
    pub(crate) fn read_aligned<B: Bus>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
    ) -> Result<u64, Exc> {
        let ram = bus.ram();
        if let Some(off) = ram.offset(va, size as u64) {
            return Ok(ram.read_le(off, size));
        }
        self.mmio_read(bus, va, size)
    }

    #[cold]
    fn mmio_read<B: Bus>(&mut self, bus: &mut B, pa: u64, size: u8) -> Result<u64, Exc> {
        match bus.mmio_read(pa, size) {
            MmioResult::Ok(v) => Ok(v),
            MmioResult::Unmapped => {
                tracing::warn!(pc = format_args!("{:#x}", self.pc), "guest read of {size} bytes at unmapped physical address {pa:#x}: external abort");
                Err(Exc::data_abort(fsc::SYNC_EXT, pa, false))
            }
        }
    }

    /// Write the low `size` bytes of `v` at `va`.
    #[inline(always)]
    pub(crate) fn write_mem<B: Bus>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        v: u64,
    ) -> Result<(), Exc> {
        self.check_align(va, size as u64, false, true)?;
        self.write_aligned(bus, va, size, v)
    }

    /// Write after the alignment check was done by the caller.
    #[inline(always)]
    pub(crate) fn write_aligned<B: Bus>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        v: u64,
    ) -> Result<(), Exc> {
        let ram = bus.ram();
        if let Some(off) = ram.offset(va, size as u64) {
            ram.write_le(off, size, v);
            // Self-modifying code: a store to a page with decoded instructions drops them.
            let before = ram.code_epoch();
            if ram.take_code_flag(off) | ram.take_code_flag(off + size as u64 - 1) {
                self.dcache
                    .invalidate_pa(va, size as u64, before, ram.code_epoch());
            }
            return Ok(());
        }
        self.mmio_write(bus, va, size, v)
    }

    #[cold]
    fn mmio_write<B: Bus>(&mut self, bus: &mut B, pa: u64, size: u8, v: u64) -> Result<(), Exc> {
        match bus.mmio_write(pa, size, v) {
            MmioResult::Ok(_) => Ok(()),
            MmioResult::Unmapped => {
                tracing::warn!(pc = format_args!("{:#x}", self.pc), "guest write of {size} bytes at unmapped physical address {pa:#x}: external abort");
                Err(Exc::data_abort(fsc::SYNC_EXT, pa, true))
            }
        }
    }
}
