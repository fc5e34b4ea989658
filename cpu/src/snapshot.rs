//! A PE's state as a serde value, for the board's snapshots (`--snapshot-save`,
//! `--snapshot-load`): everything architecturally visible or that later counts depend
//! on — registers, PSTATE, system registers, the exclusive monitor and event register,
//! counters, the pending SError, RAS records, the PMU, and the TLB's entries (stale ones
//! included: a resumed run must hit and miss exactly where the original did). What is
//! derived from it (decoded instructions, the fast TLB, regime configurations, PC
//! triggers, warnings) is rebuilt or left to the board on restore.

use crate::state::{Cpu, Pstate};
use serde::{Deserialize, Serialize};

/// Saved state of one PE.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CpuState {
    x: Vec<u64>,
    sp: u64,
    /// V0..V31 as (low, high) halves.
    v: Vec<(u64, u64)>,
    sp_el: [u64; 3],
    pc: u64,
    pstate: Pstate,
    sr: Vec<u64>,
    excl: Option<(u64, u8)>,
    event: bool,
    cycles: u64,
    insns: u64,
    exceptions: u64,
    last_vector: u64,
    vector_faults: u32,
    irq_line: bool,
    fiq_line: bool,
    serror: Option<u32>,
    ras: crate::ras::Ras,
    irq_count: [u64; 3],
    exc_count: Vec<[u64; 3]>,
    pmu: crate::pmu::Pmu,
    #[serde(default)]
    tag_faults: crate::mte::TagFaults,
    tlb: crate::translate::TlbState,
    /// The guest SPE's jitter generator and counts (crate::spe_unit).
    #[serde(default)]
    spe_lfsr: u64,
    #[serde(default)]
    spu_stats: crate::spe_unit::SpuStats,
}

impl Cpu {
    /// This PE's state.
    pub fn save_state(&self) -> CpuState {
        CpuState {
            x: self.x.to_vec(),
            sp: self.sp,
            v: self
                .v
                .iter()
                .map(|&q| (q as u64, (q >> 64) as u64))
                .collect(),
            sp_el: self.sp_el,
            pc: self.pc,
            pstate: self.pstate,
            sr: self.sr.values().to_vec(),
            excl: self.excl,
            event: self.event,
            cycles: self.cycles,
            insns: self.insns,
            exceptions: self.exceptions,
            last_vector: self.last_vector,
            vector_faults: self.vector_faults,
            irq_line: self.irq_line,
            fiq_line: self.fiq_line,
            serror: self.serror,
            ras: self.ras.clone(),
            irq_count: self.irq_count,
            exc_count: self.exc_count.to_vec(),
            pmu: self.pmu.clone(),
            tag_faults: self.tag_faults,
            tlb: self.mmu.save_tlb(),
            spe_lfsr: self.spe_lfsr,
            spu_stats: self.spu_stats,
        }
    }

    /// Restore a state saved by [`Cpu::save_state`] from a PE of the same configuration;
    /// `Err` names what does not fit.
    pub fn restore_state(&mut self, s: &CpuState) -> Result<(), String> {
        if s.x.len() != 32 || s.v.len() != 32 || s.exc_count.len() != 64 {
            return Err("register file of the wrong size".into());
        }
        let max_el = if self.cfg.has_el2 { 2 } else { 1 };
        if s.pstate.el > max_el || s.pstate.sp > 1 {
            return Err(format!(
                "PSTATE EL{} SPSel {} on a PE whose highest EL is {max_el}",
                s.pstate.el, s.pstate.sp
            ));
        }
        if s.sr.len() != self.sr.values().len() {
            return Err(format!(
                "{} system registers saved, this build has {}",
                s.sr.len(),
                self.sr.values().len()
            ));
        }
        self.mmu.restore_tlb(&s.tlb)?;
        self.x.copy_from_slice(&s.x);
        self.sp = s.sp;
        for (q, &(lo, hi)) in self.v.iter_mut().zip(&s.v) {
            *q = (hi as u128) << 64 | lo as u128;
        }
        self.sp_el = s.sp_el;
        self.pc = s.pc;
        self.pstate = s.pstate;
        self.sr.values_mut().copy_from_slice(&s.sr);
        self.excl = s.excl;
        self.event = s.event;
        self.cycles = s.cycles;
        self.insns = s.insns;
        self.seg_pc = s.pc;
        self.exceptions = s.exceptions;
        self.last_vector = s.last_vector;
        self.vector_faults = s.vector_faults;
        self.irq_line = s.irq_line;
        self.fiq_line = s.fiq_line;
        self.serror = s.serror;
        self.ras = s.ras.clone();
        self.irq_count = s.irq_count;
        self.exc_count.copy_from_slice(&s.exc_count);
        self.pmu = s.pmu.clone();
        self.tag_faults = s.tag_faults;
        if s.spe_lfsr != 0 {
            // 0: a snapshot from before SPE (the generator's state is never 0).
            self.spe_lfsr = s.spe_lfsr;
        }
        self.spu_stats = s.spu_stats;
        // Derived state.
        self.xlat_changed();
        let _ = self.debug_changed(); // the next run() picks stepping up
        self.stepping = Default::default();
        self.fast.select(self.pstate.el, self.pstate.pan);
        self.dcache.flush();
        self.trigger_resume = None;
        Ok(())
    }
}
