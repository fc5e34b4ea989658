//! The `detailed` timing model (`--timing detailed`, DESIGN.md §9 "Timing"): tag-only
//! L1I/L1D/L2/LLC caches and L1 instruction/data plus L2 TLBs, a branch predictor, and
//! per-class latencies and throughputs from a [`CoreModel`]. It sees every fetch, data
//! access and branch: in this mode the CPU runs one instruction at a time, and the
//! memory fast path reports its hits (`Cpu::fast_observed`), so the flat mode's speed is
//! untouched. Each retired operation leaves an
//! [`OpRecord`] (latencies, events, data source) for the PMU and SPE.
//!
//! Costs: the structures below say what each operation's accesses cost — a data access
//! that misses L1D waits the latency of the level that hits minus the L1D latency
//! (already in the class latency); a TLB miss adds the L2 TLB latency, and an L2 TLB miss
//! a walk of one descriptor read per level through the data caches (timing-notes.md §2);
//! an instruction fetch that misses L1I or the iTLB stalls the front end; a mispredicted
//! branch restarts it. The out-of-order window (`window.rs`: scoreboard, pipes, reorder
//! buffer, outstanding misses) turns that into when the operation issues and completes,
//! and so the PE's clock.

use super::bpred::{BranchKind, Predictor};
use super::core_model::CoreModel;
use super::tags::TagArray;
use super::window::{ClassTiming, Op, Window, SERIAL, SYSREG, TICKS};
use crate::a64::{Class, ALL_CLASSES, NUM_CLASSES};

/// Event counts (the PMU's model-driven events; names as the PMUv3 common events).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Events {
    /// L1D_CACHE (0x04).
    pub l1d_cache: u64,
    /// L1D_CACHE_REFILL (0x03).
    pub l1d_cache_refill: u64,
    /// L1I_CACHE (0x14).
    pub l1i_cache: u64,
    /// L1I_CACHE_REFILL (0x01).
    pub l1i_cache_refill: u64,
    /// L2D_CACHE (0x16).
    pub l2d_cache: u64,
    /// L2D_CACHE_REFILL (0x17).
    pub l2d_cache_refill: u64,
    /// LL_CACHE_RD (0x36).
    pub ll_cache_rd: u64,
    /// LL_CACHE_MISS_RD (0x37).
    pub ll_cache_miss_rd: u64,
    /// L1D_TLB (0x25).
    pub l1d_tlb: u64,
    /// L1D_TLB_REFILL (0x05).
    pub l1d_tlb_refill: u64,
    /// L1I_TLB (0x26).
    pub l1i_tlb: u64,
    /// L1I_TLB_REFILL (0x02).
    pub l1i_tlb_refill: u64,
    /// BR_PRED (0x12): predictable branches speculatively executed.
    pub br_pred: u64,
    /// BR_MIS_PRED (0x10).
    pub br_mis_pred: u64,
    /// BR_RETIRED (0x21).
    pub br_retired: u64,
    /// MEM_ACCESS (0x13).
    pub mem_access: u64,
    /// INST_SPEC (0x1B).
    pub inst_spec: u64,
    /// STALL_FRONTEND (0x23): cycles lost to instruction-side misses.
    pub stall_frontend: u64,
    /// STALL_BACKEND (0x24): cycles lost to data-side misses.
    pub stall_backend: u64,
}

/// Where a load's data came from (the SPE data source, and `--stats`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DataSource {
    /// No data access.
    #[default]
    None,
    /// L1 data cache.
    L1,
    /// L2.
    L2,
    /// Last-level cache.
    Llc,
    /// DRAM.
    Dram,
    /// A device (MMIO).
    Device,
}

/// SPE-style event bits of one operation (Arm ARM D18 Events packet numbering).
pub mod op_event {
    /// Generated an exception.
    pub const EXCEPTION: u32 = 1 << 0;
    /// Retired (architecturally executed).
    pub const RETIRED: u32 = 1 << 1;
    /// L1 data cache access.
    pub const L1D_ACCESS: u32 = 1 << 2;
    /// L1 data cache refill (miss).
    pub const L1D_REFILL: u32 = 1 << 3;
    /// TLB access.
    pub const TLB_ACCESS: u32 = 1 << 4;
    /// TLB walk (miss in every TLB level).
    pub const TLB_WALK: u32 = 1 << 5;
    /// Conditional branch not taken.
    pub const NOT_TAKEN: u32 = 1 << 6;
    /// Branch mispredicted.
    pub const MISPREDICTED: u32 = 1 << 7;
    /// Last-level cache access.
    pub const LLC_ACCESS: u32 = 1 << 8;
    /// Last-level cache miss.
    pub const LLC_MISS: u32 = 1 << 9;
}

/// What the model knows of one retired operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpRecord {
    /// Cycles from dispatch to issue (waiting for its sources and its pipe).
    pub issue_latency: u32,
    /// Cycles from dispatch to completion.
    pub total_latency: u32,
    /// Cycles waiting for translation (TLB misses and walks).
    pub translation_latency: u32,
    /// [`op_event`] bits.
    pub events: u32,
    /// Where the (last) data access was served from.
    pub source: DataSource,
}

/// The state of one PE's model.
#[derive(Clone, Debug)]
pub(crate) struct Detailed {
    pub(crate) model: CoreModel,
    l1i: TagArray,
    l1d: TagArray,
    l2: TagArray,
    llc: Option<TagArray>,
    itlb: TagArray,
    dtlb: TagArray,
    l2tlb: TagArray,
    bp: Predictor,
    pub(crate) events: Events,
    /// The operation being executed, and after it retired (or faulted) until the next
    /// one starts, the last one's record (no copy: that made retire stall on
    /// store-forwarding).
    pub(crate) op: OpRecord,
    /// Cycles its fetch stalled the front end.
    op_front_end: u32,
    /// Cycles its data accesses waited for translation.
    op_translation: u32,
    /// Cycles its data accesses waited beyond an L1D hit.
    op_miss: u32,
    /// Whether its (last) data access was a store.
    op_store: bool,
    /// When the last operation dispatched, issued and completed: its record's
    /// latencies ([`Self::record`]).
    op_timing: super::window::Timing,
    /// Per class (`Class as usize`): latency, occupancy and pipe group.
    classes: [ClassTiming; NUM_CLASSES],
    /// Operand registers of recently retired encodings (direct-mapped by encoding):
    /// decoding them on every retirement cost more than the rest of the window.
    deps_memo: Box<[(u32, super::deps::Deps); DEPS_MEMO]>,
    window: Window,
    /// The instruction line (physical) and page (virtual) last fetched: sequential
    /// fetches within a line are one access, within a page one iTLB lookup.
    fetch_line: u64,
    fetch_va_page: u64,
}

fn cache(g: &super::core_model::CacheGeometry) -> TagArray {
    TagArray::new(g.sets(), g.ways)
}

fn tlb(g: &super::core_model::TlbGeometry) -> TagArray {
    TagArray::new((g.entries / g.ways) as u64, g.ways)
}

/// Entries of the operand memo (a power of two).
const DEPS_MEMO: usize = 4096;

/// The window's view of each class.
fn class_timings(m: &CoreModel) -> [ClassTiming; NUM_CLASSES] {
    let mut t = [ClassTiming::default(); NUM_CLASSES];
    for (i, slot) in t.iter_mut().enumerate() {
        let class = ALL_CLASSES[i];
        slot.latency = m.latency.of(class) as u64 * TICKS;
        slot.occupancy = (m.occupancy.of(class) * TICKS as f32).round() as u64;
        slot.group = match class {
            Class::Alu | Class::Branch | Class::Hint | Class::Undef => 0,
            Class::Sysreg => SYSREG,
            Class::Crc | Class::Mul | Class::Mulh | Class::Div => 1,
            Class::Load | Class::Store | Class::Ldst | Class::Atomic => 2,
            Class::Simd | Class::Fp | Class::Fma | Class::Fpdiv => 3,
            Class::Barrier | Class::Exc | Class::Eret => SERIAL,
        };
    }
    t
}

impl Detailed {
    pub(crate) fn new(model: CoreModel) -> Self {
        Self {
            l1i: cache(&model.l1i),
            l1d: cache(&model.l1d),
            l2: cache(&model.l2),
            llc: model.llc.as_ref().map(cache),
            itlb: tlb(&model.itlb),
            dtlb: tlb(&model.dtlb),
            l2tlb: tlb(&model.l2tlb),
            bp: Predictor::new(&model.predictor),
            events: Events::default(),
            op: OpRecord::default(),
            op_front_end: 0,
            op_translation: 0,
            op_miss: 0,
            op_store: false,
            op_timing: Default::default(),
            classes: class_timings(&model),
            deps_memo: Box::new([(0, super::deps::deps(0)); DEPS_MEMO]),
            window: Window::new(
                model.window.dispatch_width,
                model.window.rob,
                model.window.mshrs,
            ),
            fetch_line: u64::MAX,
            fetch_va_page: u64::MAX,
            model,
        }
    }

    /// A miss in L1 (instruction or data) at physical line address `line_pa`: look it up
    /// in L2 and the LLC. Returns the latency beyond the L1 hit and the source.
    fn beyond_l1(&mut self, pa: u64, l1_latency: u32, read: bool) -> (u32, DataSource) {
        let m = &self.model;
        self.events.l2d_cache += 1;
        if self.l2.access(pa >> m.l2.line.trailing_zeros()) {
            return (m.l2.latency.saturating_sub(l1_latency), DataSource::L2);
        }
        self.events.l2d_cache_refill += 1;
        if let (Some(llc), Some(g)) = (self.llc.as_mut(), m.llc.as_ref()) {
            self.events.ll_cache_rd += read as u64;
            self.op.events |= op_event::LLC_ACCESS;
            if llc.access(pa >> g.line.trailing_zeros()) {
                return (g.latency.saturating_sub(l1_latency), DataSource::Llc);
            }
            self.events.ll_cache_miss_rd += read as u64;
            self.op.events |= op_event::LLC_MISS;
        }
        (m.dram_latency.saturating_sub(l1_latency), DataSource::Dram)
    }

    /// A TLB lookup of page key `key` in the L1 instruction (`data` false) or data TLB,
    /// then the L2 TLB: the cycles that adds, and whether every level missed (then the
    /// caller walks: [`Self::walk`]).
    pub(crate) fn tlb(&mut self, key: u64, data: bool) -> (u32, bool) {
        let hit = if data {
            self.events.l1d_tlb += 1;
            self.dtlb.access(key)
        } else {
            self.events.l1i_tlb += 1;
            self.itlb.access(key)
        };
        if hit {
            return (0, false);
        }
        if data {
            self.events.l1d_tlb_refill += 1;
        } else {
            self.events.l1i_tlb_refill += 1;
        }
        if self.l2tlb.access(key) {
            return (self.model.l2tlb.latency, false);
        }
        self.op.events |= op_event::TLB_WALK;
        (self.model.l2tlb.latency, true)
    }

    /// A table walk reading the descriptors at `pas` through the data caches (L1D, L2,
    /// LLC, DRAM, as a load would): the cycles it adds to the operation (the sum of the
    /// reads' latencies, one after another: each needs the previous one's result).
    pub(crate) fn walk(&mut self, pas: &[u64], data: bool) -> u32 {
        let mut cycles = 0;
        for &pa in pas {
            self.events.l1d_cache += 1;
            let l1 = self.model.l1d.latency;
            cycles += if self.l1d.access(pa >> self.model.l1d.line.trailing_zeros()) {
                l1
            } else {
                self.events.l1d_cache_refill += 1;
                l1 + self.beyond_l1(pa, l1, true).0
            };
        }
        self.op.translation_latency += cycles;
        if data {
            self.op_translation += cycles;
            self.events.stall_backend += cycles as u64;
        } else {
            self.op_front_end += cycles;
            self.events.stall_frontend += cycles as u64;
        }
        cycles
    }

    /// Whether fetching from `pc` leaves the page last fetched from (then the fetch
    /// looks the page up in the instruction TLBs: [`Self::fetch_page`]).
    #[inline]
    pub(crate) fn new_fetch_page(&self, pc: u64) -> bool {
        pc >> 12 != self.fetch_va_page
    }

    /// The instruction TLB lookup of a fetch from a new page (key `page`): whether it
    /// missed every level (the caller then walks).
    pub(crate) fn fetch_page(&mut self, pc: u64, page: u64) -> bool {
        self.fetch_va_page = pc >> 12;
        let (t, walk) = self.tlb(page, false);
        self.op_front_end += t;
        self.events.stall_frontend += t as u64;
        walk
    }

    /// A new operation starts (before its fetch); the PE's clock reads `cycles`.
    #[inline]
    pub(crate) fn begin(&mut self, cycles: u64) {
        self.op = OpRecord::default();
        self.op_front_end = 0;
        self.op_translation = 0;
        self.op_miss = 0;
        self.op_store = false;
        self.events.inst_spec += 1;
        self.window.sync(cycles);
    }

    /// The instruction at `pc` (physical `pa`) is fetched from L1I.
    #[inline]
    pub(crate) fn fetch(&mut self, pa: u64) {
        let line = pa >> self.model.l1i.line.trailing_zeros();
        if line != self.fetch_line {
            self.fetch_line = line;
            self.events.l1i_cache += 1;
            if !self.l1i.access(line) {
                self.events.l1i_cache_refill += 1;
                let (extra, _) = self.beyond_l1(pa, self.model.l1i.latency, true);
                self.op_front_end += extra;
                self.events.stall_frontend += extra as u64;
            }
        }
    }

    /// The data TLB lookup of an access by the current operation to the mapping `page`
    /// (its number, size and translation context folded into one key): whether it missed
    /// every level (the caller then walks, before [`Self::data`]).
    #[inline]
    pub(crate) fn data_tlb(&mut self, page: u64) -> bool {
        self.events.mem_access += 1;
        self.op.events |= op_event::TLB_ACCESS;
        let (t, walk) = self.tlb(page, true);
        self.op.translation_latency += t;
        self.op_translation += t;
        self.events.stall_backend += t as u64;
        walk
    }

    /// The data access itself, at physical `pa`; `device`: to a device (not cached).
    #[inline]
    pub(crate) fn data(&mut self, pa: u64, write: bool, device: bool) {
        let mut extra = 0;
        if device {
            self.op.source = DataSource::Device;
        } else {
            self.events.l1d_cache += 1;
            self.op.events |= op_event::L1D_ACCESS;
            let line = pa >> self.model.l1d.line.trailing_zeros();
            if self.l1d.access(line) {
                self.op.source = DataSource::L1;
            } else {
                self.events.l1d_cache_refill += 1;
                self.op.events |= op_event::L1D_REFILL;
                let (e, src) = self.beyond_l1(pa, self.model.l1d.latency, !write);
                extra += e;
                self.op.source = src;
            }
        }
        self.op_miss += extra;
        self.op_store = write;
        self.events.stall_backend += extra as u64;
    }

    /// The current operation, `raw` of class index `class` (`Class as usize`), retired;
    /// `branch`: its kind, whether taken, and where to. Returns the cycles the PE's clock
    /// advances.
    #[inline]
    pub(crate) fn retire(
        &mut self,
        pc: u64,
        raw: u32,
        class: u16,
        branch: Option<(BranchKind, bool, u64)>,
    ) -> u64 {
        let mut mispredict = None;
        if let Some((kind, taken, target)) = branch {
            self.events.br_retired += 1;
            if kind == BranchKind::Conditional {
                self.events.br_pred += 1;
                if !taken {
                    self.op.events |= op_event::NOT_TAKEN;
                }
            }
            if self.bp.retire(pc, kind, taken, target) {
                self.events.br_mis_pred += 1;
                self.op.events |= op_event::MISPREDICTED;
                let penalty = self.model.predictor.mispredict_penalty;
                mispredict = Some(penalty as u64 * TICKS);
                self.events.stall_frontend += penalty as u64;
            }
            // A taken branch starts a new fetch line.
            if taken {
                self.fetch_line = u64::MAX;
            }
        }
        let deps = self.deps_of(raw);
        let op = Op {
            class: &self.classes[class as usize],
            deps,
            front_end: self.op_front_end as u64 * TICKS,
            translation: self.op_translation as u64 * TICKS,
            miss: self.op_miss as u64 * TICKS,
            store: self.op_store,
            mispredict,
        };
        let (timing, cycles) = self.window.retire(&op);
        self.op.events |= op_event::RETIRED;
        self.op_timing = timing;
        cycles
    }

    /// The record of the last retired (or faulting) operation.
    pub(crate) fn record(&self) -> OpRecord {
        let mut r = self.op;
        if r.events & op_event::RETIRED != 0 {
            r.issue_latency = self.op_timing.issue_latency();
            r.total_latency = self.op_timing.total_latency();
        }
        r
    }

    /// The operands of `raw`, from the memo when it holds them.
    #[inline]
    fn deps_of(&mut self, raw: u32) -> super::deps::Deps {
        let i = (raw.wrapping_mul(0x9e37_79b1) >> 20) as usize & (DEPS_MEMO - 1);
        let e = &mut self.deps_memo[i];
        if e.0 != raw {
            *e = (raw, super::deps::deps(raw));
        }
        e.1
    }

    /// The current operation took an exception instead of retiring.
    pub(crate) fn abort(&mut self) {
        self.op.events |= op_event::EXCEPTION;
        self.window.drain();
        self.fetch_line = u64::MAX;
        self.fetch_va_page = u64::MAX;
    }

    /// TLB maintenance: the model's TLBs forget everything (a TLBI by VA or ASID drops
    /// more than it must; the cost is a few refills).
    pub(crate) fn tlb_invalidate(&mut self) {
        self.itlb.clear();
        self.dtlb.clear();
        self.l2tlb.clear();
        self.fetch_va_page = u64::MAX;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::core_model::*;

    fn table<T: Copy>(other: T, mem: T) -> ClassTable<T> {
        ClassTable {
            alu: other,
            crc: other,
            mul: other,
            mulh: other,
            div: other,
            mem,
            atomic: other,
            barrier: other,
            sysreg: other,
            exc: other,
            simd: other,
            fp: other,
            fma: other,
            fpdiv: other,
        }
    }

    fn n1() -> CoreModel {
        let c = |size, ways, latency| CacheGeometry {
            size,
            ways,
            line: 64,
            latency,
        };
        let t = |entries, ways, latency| TlbGeometry {
            entries,
            ways,
            latency,
        };
        CoreModel {
            name: "test".into(),
            midr: 0,
            l1i: c(65536, 4, 4),
            l1d: c(65536, 4, 4),
            l2: c(1 << 20, 8, 11),
            llc: Some(c(16 << 20, 16, 40)),
            dram_latency: 300,
            itlb: t(48, 48, 0),
            dtlb: t(48, 48, 0),
            l2tlb: t(1280, 5, 6),
            predictor: PredictorGeometry {
                gshare_bits: 10,
                btb_entries: 64,
                ras_depth: 4,
                mispredict_penalty: 11,
            },
            window: WindowGeometry {
                dispatch_width: 4,
                rob: 128,
                mshrs: 8,
            },
            pmu_counters: 6,
            latency: table(1, 4),
            occupancy: table(0.5, 0.5),
        }
    }

    /// Per-access cost of a chase through every line of `bytes` in a shuffled order,
    /// after one warm-up pass.
    fn chase(m: &mut Detailed, bytes: u64) -> f64 {
        let n = bytes / 64;
        let mut order: Vec<u64> = (0..n).collect();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for i in (1..n as usize).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let (mut start, mut clock) = (0, 0);
        for pass in 0..2 {
            if pass == 1 {
                start = m.window.settle();
            }
            for &l in &order {
                m.begin(clock);
                m.fetch(0);
                m.data_tlb(1);
                m.data(0x5000_0000 + l * 64, false, false);
                // ldr x0, [x0]: each load waits for the previous one.
                let c = m.retire(0, 0xf940_0000, Class::Load as u16, None);
                clock += c;
            }
        }
        (m.window.settle() - start) as f64 / n as f64
    }

    #[test]
    fn chase_plateaus_follow_the_geometry() {
        for (kb, want) in [(32, 4.0), (512, 11.0), (8192, 40.0), (65536, 300.0)] {
            let mut m = Detailed::new(n1());
            let got = chase(&mut m, kb << 10);
            assert!(
                (got - want).abs() / want < 0.05,
                "{kb} KiB: {got} cycles per load, want {want}"
            );
        }
    }
}
