//! Data accesses: alignment checks, translation, the RAM fast path, the MMIO slow path,
//! and the faults they raise.
//!
//! Alignment (D8.2.11, B2.5): exclusives, atomics and acquire/release need natural
//! alignment always, and so does everything when SCTLR_ELx.A is set (checked before
//! translation); otherwise an unaligned access faults only if it hits Device memory,
//! which every data access is while the stage-1 MMU is off (checked after translation).

use crate::exc::Exc;
use crate::platform::Platform;
use crate::state::Cpu;
use crate::syndrome::{AbortStatus, Syndrome};
use crate::warn::WarnKind;
use crate::watch::WatchKind;
use mmu::walk::AccessKind;
use mmu::{page_flag, MmioResult};

impl Cpu {
    /// The base register of a load/store: Xn, or SP (with the SP alignment check of
    /// SCTLR_ELx.SA / SA0, D1.3.10) when n = 31.
    #[inline(always)]
    pub(crate) fn addr_base(&self, rn: u32) -> Result<u64, Exc> {
        if rn == 31 {
            let sa = if self.pstate.el == 0 { 1 << 4 } else { 1 << 3 };
            if self.sp & 0xf != 0 && self.regime_sctlr() & sa != 0 {
                return Err(Exc::sync(Syndrome::SpAlign));
            }
            Ok(self.sp)
        } else {
            Ok(self.x[rn as usize])
        }
    }

    /// Alignment check that does not depend on the memory type: `always` for accesses
    /// that need natural alignment everywhere, else only under SCTLR_ELx.A.
    #[inline(always)]
    pub(crate) fn check_align(
        &self,
        va: u64,
        size: u64,
        always: bool,
        write: bool,
    ) -> Result<(), Exc> {
        if va & (size - 1) != 0 && (always || self.regime_sctlr() & 2 != 0) {
            return Err(Exc::data_abort(AbortStatus::Alignment, va, write));
        }
        Ok(())
    }

    /// The fast path of a read (crate::fast_tlb): the value, if the page is in the table.
    #[inline(always)]
    fn fast_read<B: Platform>(&mut self, bus: &B, va: u64, size: u8) -> Option<u64> {
        let off = self.fast.read(va, size)?;
        if self.fast_observed {
            self.observe_fast(bus, va, off, false);
        }
        Some(bus.ram().read_le(off, size))
    }

    /// The fast path of a write: whether it was done.
    #[inline(always)]
    fn fast_write<B: Platform>(&mut self, bus: &B, va: u64, size: u8, v: u64) -> bool {
        match self.fast.write(va, size) {
            Some(off) => {
                if self.fast_observed {
                    self.observe_fast(bus, va, off, true);
                    self.jit_log_store(bus.ram(), off, size as u64);
                }
                bus.ram().write_le(off, size, v);
                true
            }
            None => false,
        }
    }

    /// Read `size` (1, 2, 4, 8) bytes at `va`, zero-extended.
    #[inline(always)]
    pub(crate) fn read_mem<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
    ) -> Result<u64, Exc> {
        self.read_mem_as(bus, va, size, false)
    }

    /// Read as an ordinary load; `unpriv` for LDTR (permission-checked as EL0).
    #[inline(always)]
    pub(crate) fn read_mem_as<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        unpriv: bool,
    ) -> Result<u64, Exc> {
        if !unpriv {
            if let Some(v) = self.fast_read(bus, va, size) {
                return Ok(v);
            }
        }
        self.read_slow(bus, va, size, unpriv)
    }

    /// Everything the fast path does not serve: alignment rules, page-crossing accesses,
    /// translation (and its faults), MMIO, flagged pages; fills the fast path on success.
    #[inline(never)]
    fn read_slow<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        unpriv: bool,
    ) -> Result<u64, Exc> {
        self.check_align(va, size as u64, false, false)?;
        if va & (size as u64 - 1) != 0 && (va & 0xfff) + size as u64 > 0x1000 {
            return self.read_split(bus, va, size, unpriv);
        }
        let t = self.translate(bus, va, AccessKind::Read, unpriv)?;
        let (pa, device) = (t.pa, t.device);
        if device && va & (size as u64 - 1) != 0 {
            return Err(Exc::data_abort(AbortStatus::Alignment, va, false));
        }
        let fill = self.tag_gate(bus, va, &t, size as u64, false, unpriv)?;
        self.read_pa(bus, va, pa, size, fill, unpriv)
    }

    /// Read after the caller checked alignment (exclusives, atomics, acquire).
    #[inline(always)]
    pub(crate) fn read_aligned<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
    ) -> Result<u64, Exc> {
        if let Some(v) = self.fast_read(bus, va, size) {
            return Ok(v);
        }
        self.read_aligned_slow(bus, va, size)
    }

    #[inline(never)]
    fn read_aligned_slow<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
    ) -> Result<u64, Exc> {
        let t = self.translate(bus, va, AccessKind::Read, false)?;
        let fill = self.tag_gate(bus, va, &t, size as u64, false, false)?;
        self.read_pa(bus, va, t.pa, size, fill, false)
    }

    /// Read `size` bytes at `pa` (translated from `va` for this PE's current EL and PAN;
    /// `fill`: the fast path may remember the page, unless the access is `unpriv` (LDTR)
    /// or the page is watched by a watchpoint, which is checked first (crate::debug).
    #[inline(always)]
    fn read_pa<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        pa: u64,
        size: u8,
        fill: bool,
        unpriv: bool,
    ) -> Result<u64, Exc> {
        let unwatched = self.watchpoints(va, size as u64, false, unpriv)?;
        let fill = fill && !unpriv && unwatched;
        let ram = bus.ram();
        let in_ram = ram.offset(pa, size as u64);
        self.observe_data(bus, va, pa, false, in_ram.is_none());
        let ram = bus.ram();
        if let Some(off) = in_ram {
            if ram.page_flags(off) & page_flag::WATCH != 0 {
                self.watched(bus, WatchKind::Read, va, pa, size, None)?;
            } else if fill {
                self.fast
                    .fill(va, off & !0xfff, false, self.mmu.last_size_log2);
            }
            return Ok(bus.ram().read_le(off, size));
        }
        self.mmio_read(bus, va, pa, size)
    }

    /// An unaligned Normal-memory read that crosses a page: byte by byte, each byte
    /// translated (and faulting) on its own.
    #[cold]
    fn read_split<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        unpriv: bool,
    ) -> Result<u64, Exc> {
        let mut v = 0u64;
        for i in 0..size as u64 {
            let a = va.wrapping_add(i);
            let t = self.translate(bus, a, AccessKind::Read, unpriv)?;
            let (pa, device) = (t.pa, t.device);
            if device {
                return Err(Exc::data_abort(AbortStatus::Alignment, va, false));
            }
            self.tag_gate(bus, a, &t, 1, false, unpriv)?;
            v |= self.read_pa(bus, a, pa, 1, false, unpriv)? << (8 * i);
        }
        Ok(v)
    }

    #[cold]
    fn mmio_read<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        pa: u64,
        size: u8,
    ) -> Result<u64, Exc> {
        self.jit_effect();
        let r = bus.mmio_read(pa, size);
        let (value, mapped) = match r {
            MmioResult::Ok(v) => (v, true),
            MmioResult::Unmapped => (0, false),
        };
        let event = crate::Event::Mmio {
            pa,
            size,
            write: false,
            value,
            mapped,
        };
        bus.on_event(self.cfg.index, event);
        match r {
            MmioResult::Ok(v) => {
                // Reading a device register (an interrupt acknowledge, a FIFO) may
                // change an interrupt line.
                self.sync_interrupts(bus);
                Ok(v)
            }
            MmioResult::Unmapped => {
                self.warn_once(WarnKind::UnmappedRead, format_args!("guest read of {size} bytes at unmapped physical address {pa:#x}: external abort"));
                Err(Exc::data_abort(AbortStatus::SyncExternal, va, false))
            }
        }
    }

    /// Write the low `size` bytes of `v` at `va`.
    #[inline(always)]
    pub(crate) fn write_mem<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        v: u64,
    ) -> Result<(), Exc> {
        self.write_mem_as(bus, va, size, v, false)
    }

    /// Write as an ordinary store; `unpriv` for STTR.
    #[inline(always)]
    pub(crate) fn write_mem_as<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        v: u64,
        unpriv: bool,
    ) -> Result<(), Exc> {
        if !unpriv && self.fast_write(bus, va, size, v) {
            return Ok(());
        }
        self.write_slow(bus, va, size, v, unpriv)
    }

    #[inline(never)]
    fn write_slow<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        v: u64,
        unpriv: bool,
    ) -> Result<(), Exc> {
        self.check_align(va, size as u64, false, true)?;
        if va & (size as u64 - 1) != 0 && (va & 0xfff) + size as u64 > 0x1000 {
            return self.write_split(bus, va, size, v, unpriv);
        }
        let t = self.translate(bus, va, AccessKind::Write, unpriv)?;
        let (pa, device) = (t.pa, t.device);
        if device && va & (size as u64 - 1) != 0 {
            return Err(Exc::data_abort(AbortStatus::Alignment, va, true));
        }
        let fill = self.tag_gate(bus, va, &t, size as u64, true, unpriv)?;
        self.write_pa(bus, va, pa, size, v, fill, unpriv)
    }

    /// Write after the caller checked alignment (exclusives, atomics, release).
    #[inline(always)]
    pub(crate) fn write_aligned<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        v: u64,
    ) -> Result<(), Exc> {
        if self.fast_write(bus, va, size, v) {
            return Ok(());
        }
        self.write_aligned_slow(bus, va, size, v)
    }

    #[inline(never)]
    fn write_aligned_slow<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        v: u64,
    ) -> Result<(), Exc> {
        let t = self.translate(bus, va, AccessKind::Write, false)?;
        let fill = self.tag_gate(bus, va, &t, size as u64, true, false)?;
        self.write_pa(bus, va, t.pa, size, v, fill, false)
    }

    /// Write at `pa` (see [`Self::read_pa`] for `fill` and `unpriv`). A store to a page
    /// holding decoded instructions drops them (self-modifying code), then the page is
    /// plain data again.
    #[allow(clippy::too_many_arguments)]
    fn write_pa<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        pa: u64,
        size: u8,
        v: u64,
        fill: bool,
        unpriv: bool,
    ) -> Result<(), Exc> {
        let unwatched = self.watchpoints(va, size as u64, true, unpriv)?;
        let fill = fill && !unpriv && unwatched;
        let ram = bus.ram();
        let in_ram = ram.offset(pa, size as u64);
        self.observe_data(bus, va, pa, true, in_ram.is_none());
        let ram = bus.ram();
        if let Some(off) = in_ram {
            if ram.page_flags(off) & page_flag::WATCH != 0 {
                // Asked first: an External abort leaves memory unchanged.
                self.watched(bus, WatchKind::Write, va, pa, size, Some(v))?;
            } else if fill {
                self.fast
                    .fill(va, off & !0xfff, true, self.mmu.last_size_log2);
            }
            let ram = bus.ram();
            if self.fast_observed {
                self.jit_log_store(ram, off, size as u64);
            }
            ram.write_le(off, size, v);
            self.stored_to_ram(ram, off, pa, size as u64);
            return Ok(());
        }
        self.mmio_write(bus, va, pa, size, v)
    }

    /// Zero the naturally aligned `bytes`-sized block at `va` (DC ZVA, STZG and friends):
    /// one translation, checked as a store, for the whole block (it never crosses a
    /// page); `checked`: tag checked, as DC ZVA is (the tag-setting forms are not).
    pub(crate) fn zero_block<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        bytes: u64,
        checked: bool,
    ) -> Result<(), Exc> {
        let t = self.translate(bus, va, AccessKind::Write, false)?;
        // A store for watchpoints (D2.10), checked before the tag check.
        self.watchpoints(va, bytes, true, false)?;
        if checked {
            self.tag_gate(bus, va, &t, bytes, true, false)?;
        }
        let pa = t.pa;
        let ram = bus.ram();
        match ram.offset(pa, bytes) {
            // Plain RAM: one fill (DC ZVA on MMIO or a watched page goes doubleword by
            // doubleword, so devices and observers see each store).
            Some(off) if ram.page_flags(off) & page_flag::WATCH == 0 => {
                self.observe_data(bus, va, pa, true, false);
                let ram = bus.ram();
                if self.fast_observed {
                    self.jit_log_store(ram, off, bytes);
                }
                self.stored_to_ram(ram, off, pa, bytes);
                // Cannot fail: the range was checked above.
                let _ = ram.fill_zero(pa, bytes);
            }
            _ => {
                for i in (0..bytes).step_by(8) {
                    self.write_pa(bus, va + i, pa + i, 8, 0, false, false)?;
                }
            }
        }
        Ok(())
    }

    /// Watchpoints on a data access about to happen (after its translation): the
    /// Watchpoint exception if one matches; else whether the fast path may remember
    /// the page (no armed watchpoint overlaps it).
    #[inline(always)]
    fn watchpoints(&self, va: u64, size: u64, write: bool, unpriv: bool) -> Result<bool, Exc> {
        if self.armed.wp_ranges.is_empty() {
            return Ok(true);
        }
        self.watchpoint_check(va, size, write, unpriv, false)?;
        Ok(!self.armed.watches_page(va))
    }

    /// After a store of `len` bytes at RAM offset `off` (physical address `pa`): a page
    /// holding decoded instructions drops them (self-modifying code), and is plain data
    /// again until it is executed.
    fn stored_to_ram(&mut self, ram: &mmu::GuestRam, off: u64, pa: u64, len: u64) {
        let before = ram.code_epoch();
        let last = off + len - 1;
        let crosses = last >> mmu::PAGE_SHIFT != off >> mmu::PAGE_SHIFT;
        if ram.take_code_flag(off) | (crosses && ram.take_code_flag(last)) {
            self.jit_effect();
            self.dcache.invalidate_pa(pa, len, before, ram.code_epoch());
        }
    }

    #[cold]
    fn write_split<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: u8,
        v: u64,
        unpriv: bool,
    ) -> Result<(), Exc> {
        // Translate every byte first so a fault leaves memory untouched.
        let mut pas = [0u64; 8];
        for (i, slot) in pas.iter_mut().enumerate().take(size as usize) {
            let a = va.wrapping_add(i as u64);
            let t = self.translate(bus, a, AccessKind::Write, unpriv)?;
            let (pa, device) = (t.pa, t.device);
            if device {
                return Err(Exc::data_abort(AbortStatus::Alignment, va, true));
            }
            self.tag_gate(bus, a, &t, 1, true, unpriv)?;
            *slot = pa;
        }
        for (i, &pa) in pas.iter().enumerate().take(size as usize) {
            let a = va.wrapping_add(i as u64);
            self.write_pa(bus, a, pa, 1, v >> (8 * i), false, unpriv)?;
        }
        Ok(())
    }

    #[cold]
    fn mmio_write<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        pa: u64,
        size: u8,
        v: u64,
    ) -> Result<(), Exc> {
        self.jit_effect();
        let r = bus.mmio_write(pa, size, v);
        let event = crate::Event::Mmio {
            pa,
            size,
            write: true,
            value: v,
            mapped: r != MmioResult::Unmapped,
        };
        bus.on_event(self.cfg.index, event);
        match r {
            MmioResult::Ok(_) => {
                self.sync_interrupts(bus);
                Ok(())
            }
            MmioResult::Unmapped => {
                self.warn_once(WarnKind::UnmappedWrite, format_args!("guest write of {size} bytes at unmapped physical address {pa:#x}: external abort"));
                Err(Exc::data_abort(AbortStatus::SyncExternal, va, true))
            }
        }
    }
}
