//! Host-side statistical profiling (`--spe-sample`): a PE's operations are sampled as
//! FEAT_SPE samples them — every Nth operation, optionally with the low eight bits of the
//! interval random (PMSIRR_EL1.RND), then filtered by type, Exception level and latency
//! — and each kept one becomes an [`spe::Sample`] (PC, operation type, events, issue,
//! translation and total latency, data addresses, data source, context, timestamp) for
//! the board to write out. Nothing guest-visible changes: no buffer, no registers.
//!
//! Cost: operations between samples run on the normal paths (the block interpreter and
//! the memory fast path in the flat model); only the sampled one goes through the
//! one-instruction loop, with the fast path reporting its hits so that its data access
//! is seen. The
//! interval counts retired instructions at every EL; `el=` keeps the samples taken at the
//! selected ELs (the architecture would count only there: the density per EL differs).
//! With the flat model the latencies are the class costs and the events only say
//! retired and not taken; `--timing detailed` gives the cache, TLB and branch events and
//! latencies from the model.

use crate::a64::{mem_direction, opflag, Class, Op, OP_INFO};
use crate::state::Cpu;
use crate::sysreg::SR;
use crate::timing::detailed::DataSource;
use spe::{CodeAddr, DataPa, LdStSubclass, OpType, Sample, CONTEXT_EL1, CONTEXT_EL2};

/// Operation-type filter bits (`filter=ld+st+br`): a sample is kept if it is any of the
/// selected types (PMSFCR_EL1.FT semantics); none selected keeps every type.
pub mod filter {
    /// Loads (and atomics).
    pub const LOAD: u8 = 1 << 0;
    /// Stores.
    pub const STORE: u8 = 1 << 1;
    /// Branches.
    pub const BRANCH: u8 = 1 << 2;
}

/// What `--spe-sample` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleConfig {
    /// Operations between samples (at least 1).
    pub interval: u64,
    /// Randomise the low 8 bits of each interval (deterministically, from `seed`).
    pub jitter: bool,
    /// Exception levels whose samples are kept (bit n: ELn).
    pub els: u8,
    /// [`filter`] bits.
    pub filter: u8,
    /// Keep only samples whose total latency is at least this (PMSLATFR_EL1.MINLAT).
    pub min_latency: u32,
    /// Seed of the jitter generator.
    pub seed: u64,
}

/// Sample counts of one PE.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProfileStats {
    /// Operations sampled.
    pub taken: u64,
    /// Sampled operations a filter discarded.
    pub filtered: u64,
    /// Samples handed to the board.
    pub kept: u64,
}

/// The operation being sampled, by the host profiler, the guest's SPE, or both.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Capture {
    /// The retired-instruction count when it started (its index).
    start: u64,
    pc: u64,
    el: u8,
    /// CONTEXTIDR_EL1 and CONTEXTIDR_EL2 as it started.
    ctx: [u32; 2],
    /// Its first data access: (VA, PA, store).
    data: Option<(u64, u64, bool)>,
    /// For `--spe-sample`.
    host: bool,
    /// For the guest's SPE (crate::spe_unit).
    guest: bool,
}

/// A PE's profiler.
#[derive(Clone, Debug)]
pub(crate) struct Profiler {
    cfg: SampleConfig,
    /// The retired-instruction count at which the next operation to run is sampled.
    next_at: u64,
    lfsr: u64,
    samples: Vec<Sample>,
    stats: ProfileStats,
    /// VA minus PA of the first sampled instruction in the upper VA range (the kernel
    /// image's mapping): with the physical load address, where the kernel's _text is.
    kernel_offset: Option<u64>,
}

impl Profiler {
    fn new(cfg: SampleConfig, index: usize, insns: u64) -> Self {
        let mut p = Self {
            lfsr: jitter_seed(cfg.seed, index),
            cfg,
            next_at: 0,
            samples: Vec::new(),
            stats: ProfileStats::default(),
            kernel_offset: None,
        };
        p.next_at = insns + p.interval();
        p
    }

    /// The next interval: PMSIRR_EL1-style, the low 8 bits random with jitter.
    fn interval(&mut self) -> u64 {
        let mut n = self.cfg.interval;
        if self.cfg.jitter {
            n = (n & !0xff) | (xorshift64(&mut self.lfsr) & 0xff);
        }
        n.max(1)
    }
}

/// The initial state of a PE's interval jitter generator: `seed` mixed with the PE's
/// `index`, never 0 (xorshift's fixed point). Host profiler and guest SPE alike.
pub(crate) fn jitter_seed(seed: u64, index: usize) -> u64 {
    (seed ^ (index as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1
}

/// The next value of a xorshift64 generator: deterministic runs, uniform low bits.
pub(crate) fn xorshift64(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

/// The SPE operation type of `op` (`raw`), whose data access (if any) was a store when
/// `store`.
fn op_type(op: Op, raw: u32, store: bool) -> OpType {
    let info = &OP_INFO[op as usize];
    let f = info.flags;
    if f & opflag::BRANCH != 0 {
        return OpType::Branch {
            cond: f & opflag::CONDITIONAL != 0,
            indirect: f & opflag::INDIRECT != 0,
        };
    }
    let (load, st) = mem_direction(op, raw);
    if load || st || matches!(info.class, Class::Atomic) {
        return OpType::LoadStore {
            store: if load && st { store } else { st },
            subclass: if f & opflag::FP_SIMD != 0 {
                LdStSubclass::SimdFp
            } else {
                LdStSubclass::Gp
            },
            atomic: f & opflag::ATOMIC != 0,
            exclusive: f & opflag::EXCLUSIVE != 0,
            acquire_release: false,
        };
    }
    OpType::Other { cond: false }
}

impl Cpu {
    /// Sample this PE's operations (`--spe-sample`). The memory fast path stays on: only
    /// the sampled operations leave it.
    pub fn set_profiler(&mut self, cfg: SampleConfig) {
        let index = self.cfg.index;
        self.profiler = Some(Box::new(Profiler::new(cfg, index, self.insns)));
    }

    /// The samples taken since the last call.
    pub fn take_samples(&mut self) -> Vec<Sample> {
        self.profiler
            .as_mut()
            .map_or_else(Vec::new, |p| std::mem::take(&mut p.samples))
    }

    /// The profiler's counts, if it runs.
    pub fn profile_stats(&self) -> Option<ProfileStats> {
        self.profiler.as_ref().map(|p| p.stats)
    }

    /// VA minus PA of the code in the upper VA range this PE's samples saw (the kernel
    /// image's mapping), once one was taken there.
    pub fn kernel_va_offset(&self) -> Option<u64> {
        self.profiler.as_ref().and_then(|p| p.kernel_offset)
    }

    /// Instructions the PE may retire before the next sampled operation, if a profiler
    /// runs (0: the next operation is sampled).
    #[inline]
    pub(crate) fn until_sample(&self) -> Option<u64> {
        self.profiler
            .as_ref()
            .map(|p| p.next_at.saturating_sub(self.insns))
    }

    /// The next operation is sampled for the host profiler (`host`), the guest's SPE
    /// (`guest`) or both: note where it starts.
    pub(crate) fn begin_sample(&mut self, host: bool, guest: bool) {
        self.fast_observed = true;
        self.capture = Some(Capture {
            start: self.insns,
            pc: self.pc,
            el: self.pstate.el,
            ctx: [
                self.sr.get(SR::CONTEXTIDR_EL1) as u32,
                self.sr.get(SR::CONTEXTIDR_EL2) as u32,
            ],
            data: None,
            host,
            guest,
        });
    }

    /// The sampled operation's data access (its first one).
    #[inline]
    pub(crate) fn sample_data(&mut self, va: u64, pa: u64, write: bool) {
        if let Some(c) = self.capture.as_mut() {
            c.data.get_or_insert((va, pa, write));
        }
    }

    /// Whether an operation is being sampled.
    #[inline]
    pub(crate) fn sampling(&self) -> bool {
        self.capture.is_some()
    }

    /// The sampled operation `op` (`raw`, flat cost `cost`) retired with the PC now at
    /// `next` (`exception`: it generated an exception instead): build its sample and
    /// hand it to the host profiler and/or the guest's SPE.
    #[cold]
    pub(crate) fn end_sample<B: crate::Platform>(
        &mut self,
        bus: &mut B,
        op: Op,
        raw: u32,
        cost: u16,
        next: u64,
        exception: bool,
    ) {
        let Some(c) = self.capture.take() else {
            return;
        };
        self.fast_observed = self.detailed.is_some() || self.jit_checking();
        let s = self.sample_of(&c, op, raw, cost, next, exception);
        if c.host {
            self.host_sample(&c, s.clone());
        }
        if c.guest {
            self.spe_complete(bus, s, c.el, c.ctx);
        }
    }

    /// What every sample of the operation holds: PC, type, events, latencies, data
    /// addresses and source, branch target (no context or timestamp: those depend on
    /// who samples).
    fn sample_of(
        &self,
        c: &Capture,
        op: Op,
        raw: u32,
        cost: u16,
        next: u64,
        exception: bool,
    ) -> Sample {
        let store = c.data.is_some_and(|d| d.2);
        let ty = op_type(op, raw, store);
        let mut s = Sample::new(c.pc, c.el, true);
        s.op = ty;
        if let Some((va, pa, _)) = c.data {
            s.data_va = Some(va);
            s.data_pa = Some(DataPa {
                pa,
                ns: true,
                ch: false,
                pat: 0,
            });
        }
        let taken = next != c.pc.wrapping_add(4);
        match self.last_op() {
            Some(r) => {
                s.events = r.events as u64;
                s.issue_latency = r.issue_latency;
                s.total_latency = r.total_latency;
                s.translation_latency = r.translation_latency;
                s.data_source = match r.source {
                    DataSource::L1 => Some(spe::data_source::L1D),
                    DataSource::L2 => Some(spe::data_source::L2),
                    DataSource::Llc => Some(spe::data_source::SYSTEM_CACHE),
                    DataSource::Dram => Some(spe::data_source::DRAM),
                    DataSource::None | DataSource::Device => None,
                };
            }
            None => {
                s.events = if exception {
                    spe::event::EXCEPTION
                } else {
                    spe::event::RETIRED
                };
                if matches!(ty, OpType::Branch { cond: true, .. }) && !taken {
                    s.events |= spe::event::NOT_TAKEN;
                }
                s.total_latency = cost as u32;
            }
        }
        if let OpType::Branch { .. } = ty {
            // SPEBranch records the target of a taken branch only.
            if !exception && taken {
                s.branch_target = Some(CodeAddr {
                    va: next,
                    el: self.pstate.el,
                    ns: true,
                });
            }
        }
        s
    }

    /// `--spe-sample`'s part: context and physical timestamp, its filters, and the next
    /// sampled operation (counted from this one: every Nth operation is sampled).
    fn host_sample(&mut self, c: &Capture, mut s: Sample) {
        let timestamp = self.physical_count();
        // The sampled instruction's page is still the decode cache's current one.
        let pc_pa = self.dcache.cur_pa;
        let vhe_el2 = c.el == 2 && self.e2h();
        let Some(p) = self.profiler.as_deref_mut() else {
            return;
        };
        p.next_at = c.start + p.interval();
        p.stats.taken += 1;
        if c.pc >> 48 == 0xffff && c.el >= 1 && p.kernel_offset.is_none() {
            p.kernel_offset = Some((c.pc & !0xfff).wrapping_sub(pc_pa));
        }
        let index = if vhe_el2 { CONTEXT_EL2 } else { CONTEXT_EL1 };
        s.context[index] = Some(c.ctx[index]);
        s.timestamp = Some(timestamp);
        let f = p.cfg.filter;
        let type_ok = f == 0
            || match s.op {
                OpType::LoadStore { store: true, .. } => f & filter::STORE != 0,
                OpType::LoadStore { .. } => f & filter::LOAD != 0,
                OpType::Branch { .. } => f & filter::BRANCH != 0,
                OpType::Other { .. } => false,
            };
        if !type_ok || p.cfg.els & (1 << c.el) == 0 || s.total_latency < p.cfg.min_latency {
            p.stats.filtered += 1;
            return;
        }
        p.stats.kept += 1;
        p.samples.push(s);
    }

    /// The sampled operation never ran (its fetch faulted): sample the next one instead.
    pub(crate) fn drop_sample(&mut self) {
        self.capture = None;
        self.fast_observed = self.detailed.is_some() || self.jit_checking();
    }
}
