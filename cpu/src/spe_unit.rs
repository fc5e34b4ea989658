//! The guest's Statistical Profiling Unit (FEAT_SPE, Arm ARM D17; pseudocode J1.1.1
//! "statisticalprofiling"): which operations count down PMSICR_EL1, which one is
//! sampled, what its record holds (PMSCR_ELx), which records the filters keep
//! (PMSFCR_EL1), and the Profiling Buffer: records written at PMBPTR_EL1 through the
//! owning regime's translation, byte by byte, with buffer-full and fault management
//! events in PMBSR_EL1 and PMBIRQ.
//!
//! While profiling may be on (the buffer enabled, not stopped, some PMSCR_ELx.E*SPE set)
//! the run loop runs the operations before the next reload or sample in slices that stop
//! at every exception or change of EL, and those two alone; otherwise SPE costs nothing. Records are
//! complete when the operation retires, so one is never in flight when the next is
//! selected: PMBSR_EL1.COLL stays 0 and PSB CSYNC has nothing to wait for.

use crate::spe_regs::{event_filter_mask, owner_el};
use crate::state::Cpu;
use crate::sysreg::SR;
use crate::warn::WarnKind;
use crate::Platform;
use mmu::walk::AccessKind;
use spe::{OpType, RecordFormat, Sample, CONTEXT_EL1, CONTEXT_EL2};

// PMSCR_EL1/EL2 (D24.7.8, D24.7.9).
const PMSCR_E0SPE: u64 = 1 << 0;
const PMSCR_E1SPE: u64 = 1 << 1;
/// PMSCR_EL2.E2SPE (PMSCR_EL2.E0HSPE is bit 0, like E0SPE).
const PMSCR_E2SPE: u64 = 1 << 1;
const PMSCR_CX: u64 = 1 << 3;
const PMSCR_PA: u64 = 1 << 4;
const PMSCR_TS: u64 = 1 << 5;
const PMSCR_PCT_SHIFT: u32 = 6;

// PMSFCR_EL1 (D24.7.12).
const PMSFCR_FE: u64 = 1 << 0;
const PMSFCR_FT: u64 = 1 << 1;
const PMSFCR_FL: u64 = 1 << 2;
const PMSFCR_FNE: u64 = 1 << 3;
const PMSFCR_B: u64 = 1 << 16;
const PMSFCR_LD: u64 = 1 << 17;
const PMSFCR_ST: u64 = 1 << 18;

// PMBLIMITR_EL1 (D24.7.2).
const PMBLIMITR_E: u64 = 1;
const FM_DISCARD: u64 = 0b10;

// PMBSR_EL1 (D24.7.5).
const PMBSR_S: u64 = 1 << 17;
const PMBSR_EA: u64 = 1 << 18;
const PMBSR_DL: u64 = 1 << 19;
const PMBSR_EC_SHIFT: u32 = 26;
/// EC: stage 1 Data Abort on a write to the buffer.
const EC_S1: u64 = 0b10_0100;
/// EC: stage 2 Data Abort on a write to the buffer.
const EC_S2: u64 = 0b10_0101;
/// MSS.BSC (EC = 0): buffer filled.
const BSC_FULL: u64 = 1;
/// FSC of a synchronous External abort, not on a walk.
const FSC_EXTERNAL: u64 = 0b01_0000;

/// The record size: PMSIDR_EL1.MaxSize = PMBIDR_EL1.Align = 6.
pub(crate) const RECORD: u64 = 64;

/// Guest SPE counts, for `--stats`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpuStats {
    /// Operations sampled.
    pub sampled: u64,
    /// Records the filters dropped.
    pub filtered: u64,
    /// Records written to the buffer.
    pub written: u64,
    /// Records dropped by discard mode or because the buffer was full.
    pub dropped: u64,
    /// Buffer management events for a fault or an external abort on a buffer write.
    pub faults: u64,
}

/// A buffer write that failed: (PMBSR_EL1.EC, the FSC, whether it was an external abort).
type BufferFault = (u64, u64, bool);

impl Cpu {
    /// Guest SPE counts (with `--spe` on).
    pub fn spu_stats(&self) -> Option<SpuStats> {
        (self.cfg.spe != 0).then_some(self.spu_stats)
    }

    /// Keep a copy of every record the guest's SPE writes (`--spe-trace`).
    pub fn set_spe_trace(&mut self) {
        self.spe_trace = Some(Vec::new());
    }

    /// The records written since the last call.
    pub fn take_spe_trace(&mut self) -> Vec<Sample> {
        self.spe_trace
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// ProfilingBufferEnabled(): PMBLIMITR_EL1.E = 1 and PMBSR_EL1.S = 0.
    fn buffer_enabled(&self) -> bool {
        self.sr.get(SR::PMBLIMITR_EL1) & PMBLIMITR_E != 0
            && self.sr.get(SR::PMBSR_EL1) & PMBSR_S == 0
    }

    /// Whether profiling may be on at some EL, so that the run loop must look at every
    /// operation.
    #[inline]
    pub(crate) fn spe_live(&self) -> bool {
        self.cfg.spe != 0
            && (self.sr.get(SR::PMSCR_EL1) | self.sr.get(SR::PMSCR_EL2))
                & (PMSCR_E0SPE | PMSCR_E1SPE)
                != 0
            && self.buffer_enabled()
    }

    /// StatisticalProfilingEnabled() at `el` (D17.4): the buffer is enabled, `el` is not
    /// above the buffer's owner, and PMSCR_ELx enables `el` (EL0 of the FEAT_VHE host:
    /// PMSCR_EL2.E0HSPE).
    fn spe_enabled_at(&self, el: u8) -> bool {
        if !self.buffer_enabled() || el > owner_el(self) {
            return false;
        }
        let (el1, el2) = (self.sr.get(SR::PMSCR_EL1), self.sr.get(SR::PMSCR_EL2));
        match el {
            0 if self.tge() => el2 & PMSCR_E0SPE != 0,
            0 => el1 & PMSCR_E0SPE != 0,
            1 => el1 & PMSCR_E1SPE != 0,
            _ => el2 & PMSCR_E2SPE != 0,
        }
    }

    fn tge(&self) -> bool {
        self.cfg.has_el2 && self.hcr() & crate::bits::HCR_TGE != 0
    }

    /// Whether operations at the current EL count (for a slice of them).
    pub(crate) fn spe_enabled_here(&self) -> bool {
        self.spe_enabled_at(self.pstate.el)
    }

    /// How many operations may run before one that [`Self::spe_count_op`] must see:
    /// COUNT - 1 while they count (the one that reloads a zero COUNT or samples at 1
    /// runs alone), any number otherwise (the slice stops at a change of EL).
    pub(crate) fn spe_free_ops(&self) -> u64 {
        if !self.spe_enabled_here() {
            return u64::MAX;
        }
        (self.sr.get(SR::PMSICR_EL1) & 0xffff_ffff).saturating_sub(1)
    }

    /// `n` operations (fewer than COUNT) ran at an EL where they count.
    pub(crate) fn spe_count_ops(&mut self, n: u64) {
        let icr = self.sr.get(SR::PMSICR_EL1);
        debug_assert!(n < icr & 0xffff_ffff);
        self.sr.set(SR::PMSICR_EL1, icr - n);
    }

    /// SPEToCollectSample() for the operation about to run: while profiling is enabled at
    /// the current EL, a zero PMSICR_EL1.COUNT is reloaded (that operation is not
    /// sampled), otherwise it counts down and the operation that makes it zero is the
    /// sampled one. So with COUNT = K the K-th operation is sampled, then every
    /// (INTERVAL * 256 + 1)-th.
    pub(crate) fn spe_count_op(&mut self) -> bool {
        if !self.spe_enabled_at(self.pstate.el) {
            return false;
        }
        let icr = self.sr.get(SR::PMSICR_EL1);
        let count = icr & 0xffff_ffff;
        if count == 0 {
            // SPEResetSampleCounter: COUNT[31:8] = INTERVAL, COUNT[7:0] random with RND.
            let irr = self.sr.get(SR::PMSIRR_EL1);
            let mut v = irr & 0xffff_ff00;
            if irr & 1 != 0 {
                v |= crate::profile::xorshift64(&mut self.spe_lfsr) & 0xff;
            }
            self.sr.set(SR::PMSICR_EL1, (icr & !0xffff_ffff) | v);
            return false;
        }
        self.sr.set(SR::PMSICR_EL1, icr - 1);
        count == 1
    }

    /// The sampled operation completed as `s` (PC, type, events, latencies, data
    /// addresses; executed at `el` with CONTEXTIDR_EL1/EL2 = `ctx`): add what PMSCR_ELx
    /// asks for, filter, and write the record to the buffer.
    pub(crate) fn spe_complete<B: Platform>(
        &mut self,
        bus: &mut B,
        mut s: Sample,
        el: u8,
        ctx: [u32; 2],
    ) {
        self.spu_stats.sampled += 1;
        if self.cfg.spe < 3 {
            // E[6] (not taken) is an SPEv1p2 event (Linux's PMSEVFR_EL1 masks agree).
            s.events &= !spe::event::NOT_TAKEN;
        }
        let owner = owner_el(self);
        let (el1, el2) = (self.sr.get(SR::PMSCR_EL1), self.sr.get(SR::PMSCR_EL2));
        let el2_on = self.cfg.has_el2;
        // CollectContextIDR1: not at EL2, nor in the FEAT_VHE host's EL0.
        s.context[CONTEXT_EL1] =
            (el != 2 && !self.tge() && el1 & PMSCR_CX != 0).then_some(ctx[CONTEXT_EL1]);
        // CollectContextIDR2.
        s.context[CONTEXT_EL2] = (el2_on && el2 & PMSCR_CX != 0).then_some(ctx[CONTEXT_EL2]);
        // CollectPhysicalAddress: the owner's PMSCR.PA, and EL2's too for an EL1 owner.
        let pa = if !el2_on {
            el1 & PMSCR_PA != 0
        } else if owner == 2 {
            el2 & PMSCR_PA != 0
        } else {
            el2 & el1 & PMSCR_PA != 0
        };
        if !pa {
            s.data_pa = None;
        }
        // CollectTimeStamp: the owner's PMSCR.TS; PCT = 0b01 selects the physical count
        // (EL2's choice bounds EL1's).
        let ts = if owner == 2 { el2 } else { el1 } & PMSCR_TS != 0;
        let pct = |v: u64| (v >> PMSCR_PCT_SHIFT) & 3 == 1;
        let physical = if el2_on {
            pct(el2) && (owner == 2 || pct(el1))
        } else {
            pct(el1)
        };
        s.timestamp = ts.then(|| {
            let off = if physical || !el2_on {
                0
            } else {
                self.sr.get(SR::CNTVOFF_EL2)
            };
            self.physical_count().wrapping_sub(off)
        });
        if !self.spe_keep(&s) {
            self.spu_stats.filtered += 1;
            return;
        }
        let mut v = Vec::with_capacity(RECORD as usize);
        // The fullest record hypsim builds (both Context packets, 32 event bits) is
        // exactly 64 bytes: the spe crate test `fullest_record_fits_64_bytes`.
        let encoded = RecordFormat::default().encode_into(&s, &mut v);
        debug_assert!(encoded.is_ok(), "{encoded:?}");
        let Ok(rec) = <[u8; RECORD as usize]>::try_from(v.as_slice()) else {
            self.spu_stats.dropped += 1;
            return;
        };
        if self.spe_write(bus, &rec) {
            if let Some(t) = self.spe_trace.as_mut() {
                t.push(s);
            }
        }
    }

    /// SPECollectRecord's filters (D17.5): FE (every event in PMSEVFR_EL1 happened),
    /// FnE (none in PMSNEVFR_EL1 did), FT (a selected type: B, LD, ST are ORed), FL (the
    /// total latency reaches PMSLATFR_EL1.MINLAT).
    fn spe_keep(&self, s: &Sample) -> bool {
        let fcr = self.sr.get(SR::PMSFCR_EL1);
        let mask = event_filter_mask(self.cfg.spe);
        let ev = s.events & mask;
        if fcr & PMSFCR_FE != 0 && !ev & self.sr.get(SR::PMSEVFR_EL1) & mask != 0 {
            return false;
        }
        if fcr & PMSFCR_FNE != 0 && ev & self.sr.get(SR::PMSNEVFR_EL1) != 0 {
            return false;
        }
        let types = fcr & (PMSFCR_B | PMSFCR_LD | PMSFCR_ST);
        if fcr & PMSFCR_FT != 0 && types != 0 {
            let is = match s.op {
                OpType::Branch { .. } => PMSFCR_B,
                OpType::LoadStore { store: true, .. } => PMSFCR_ST,
                OpType::LoadStore { .. } => PMSFCR_LD,
                OpType::Other { .. } => 0,
            };
            if types & is == 0 {
                return false;
            }
        }
        let minlat = self.sr.get(SR::PMSLATFR_EL1) & 0xfff;
        !(fcr & PMSFCR_FL != 0 && (s.total_latency as u64) < minlat)
    }

    /// Write one record at PMBPTR_EL1 (SPEWriteToBuffer, D17.8): in discard mode
    /// nothing; when it does not fit below the limit, a buffer-full event instead; byte
    /// by byte through the owner's translation, a fault stopping the buffer with
    /// PMBPTR_EL1 at the faulting byte (DL = 1 if part of the record was written); after
    /// a record, a buffer-full event if the next one would not fit. Returns whether the
    /// record was written whole.
    fn spe_write<B: Platform>(&mut self, bus: &mut B, rec: &[u8; RECORD as usize]) -> bool {
        let lim = self.sr.get(SR::PMBLIMITR_EL1);
        if (lim >> 1) & 3 == FM_DISCARD {
            self.spu_stats.dropped += 1;
            return false;
        }
        let limit = lim & !0xfff;
        let ptr = self.sr.get(SR::PMBPTR_EL1);
        if ptr.wrapping_add(RECORD) > limit || ptr > limit {
            self.spu_stats.dropped += 1;
            self.spe_event(bus, BSC_FULL);
            return false;
        }
        let mut done = 0u64;
        while done < RECORD {
            let va = ptr.wrapping_add(done);
            let n = (RECORD - done).min(0x1000 - (va & 0xfff));
            let chunk = &rec[done as usize..(done + n) as usize];
            if let Err((ec, fsc, ea)) = self.spe_buffer_store(bus, va, chunk) {
                self.spu_stats.faults += 1;
                self.sr.set(SR::PMBPTR_EL1, va);
                let dl = if done != 0 { PMBSR_DL } else { 0 };
                let ea = if ea { PMBSR_EA } else { 0 };
                self.spe_event(bus, (ec << PMBSR_EC_SHIFT) | dl | ea | fsc);
                return false;
            }
            done += n;
        }
        let ptr = ptr.wrapping_add(RECORD);
        self.sr.set(SR::PMBPTR_EL1, ptr);
        self.spu_stats.written += 1;
        // SPEBufferIsFull: no room for another record of MaxSize.
        if ptr.wrapping_add(RECORD) > limit {
            self.spe_event(bus, BSC_FULL);
        }
        true
    }

    /// PMBIRQ: asserted while PMBSR_EL1.S is 1 (D17.8, SPECycle).
    pub(crate) fn pmbirq(&self) -> bool {
        self.cfg.spe != 0 && self.sr.get(SR::PMBSR_EL1) & PMBSR_S != 0
    }

    /// A buffer management event: PMBSR_EL1.S = 1 with `syndrome` (EC, DL, EA, MSS),
    /// which stops profiling and raises PMBIRQ.
    fn spe_event<B: Platform>(&mut self, bus: &mut B, syndrome: u64) {
        let old = self.sr.get(SR::PMBSR_EL1);
        // DL and EA accumulate until software clears them; COLL is never set here.
        let keep = old & (PMBSR_DL | PMBSR_EA);
        self.sr.set(SR::PMBSR_EL1, keep | syndrome | PMBSR_S);
        self.sync_interrupts(bus);
    }

    /// Store `data` (within one page) at buffer VA `va`: translated as a privileged write
    /// in the owner's regime (EL2 or EL2&0 for an EL2 owner, EL1&0 with stage 2 for an
    /// EL1 owner), then written to RAM; anything else is an External abort.
    fn spe_buffer_store<B: Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        data: &[u8],
    ) -> Result<(), BufferFault> {
        let owner = owner_el(self);
        let regime = self.regime_of(owner);
        let pa = self
            .translate_for(bus, regime, owner, va, AccessKind::Write)
            .map_err(|f| {
                let ec = if f.stage == 2 { EC_S2 } else { EC_S1 };
                (ec, f.fsc() as u64, false)
            })?;
        if bus.ram().write_bytes(pa, data).is_err() {
            self.warn_once(
                WarnKind::UnmappedWrite,
                format_args!("SPE buffer write at VA {va:#x}: physical address {pa:#x} is not RAM: external abort"),
            );
            return Err((EC_S1, FSC_EXTERNAL, true));
        }
        Ok(())
    }
}
