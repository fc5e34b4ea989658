//! The cycle-approximate model (DESIGN.md §6), in one place: what a retired operation, an
//! exception entry and a translation table walk cost, behind the [`TimingModel`]
//! interface, and the only code that adds to the PE's cycle and instruction counts (the
//! generic timer and the PMU read them). Today's model is [`Flat`]: a fixed cost per
//! instruction class, Neoverse N1 figures from timing-notes.md (issue-limited throughput
//! rounded up to whole cycles); caches, TLBs and predictors come with a `detailed` model.

use crate::a64::Class;
use crate::state::Cpu;

mod bpred;
pub mod core_model;
mod deps;
pub(crate) mod detailed;
mod tags;
mod window;

/// What the core asks of a timing model.
pub trait TimingModel {
    /// Cycles one retired operation of `class` costs. Asked once per decode (the decoded
    /// instruction carries the figure), so it is free on the execution path.
    fn op_cycles(&self, class: Class) -> u16;
    /// Cycles taking an exception costs (pipeline drain plus vector fetch).
    fn exception_entry_cycles(&self) -> u64;
    /// Cycles a translation table walk (a TLB miss) costs.
    fn walk_cycles(&self) -> u64;
}

/// The flat model: a per-class table, the default and the fast one.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flat;

impl TimingModel for Flat {
    fn op_cycles(&self, class: Class) -> u16 {
        class_cost(class)
    }
    fn exception_entry_cycles(&self) -> u64 {
        EXCEPTION_ENTRY
    }
    fn walk_cycles(&self) -> u64 {
        WALK_CYCLES
    }
}

/// The model this core charges with.
pub(crate) type Model = Flat;

/// Cycles charged for a table walk (timing-notes.md: a warm walk hits the L2, ~20-40).
const WALK_CYCLES: u64 = 30;

/// The kind of branch `op` is for the predictor (`None`: not a predicted branch, e.g.
/// ERET).
pub(crate) fn branch_kind(op: crate::a64::Op, flags: u16) -> Option<bpred::BranchKind> {
    use crate::a64::{opflag, Op};
    use bpred::BranchKind as K;
    Some(match op {
        Op::B => K::Direct,
        Op::BL => K::Call,
        Op::BR => K::Indirect,
        Op::BLR => K::IndirectCall,
        Op::RET => K::Return,
        _ if flags & opflag::CONDITIONAL != 0 => K::Conditional,
        _ => return None,
    })
}

impl Cpu {
    /// Select the core `--cpu` names: MIDR_EL1 (and VPIDR_EL2's reset value), CLIDR_EL1,
    /// CTR_EL0, CCSIDR_EL1 and PMCR_EL0.N describe it; with `detailed`, the `detailed`
    /// timing model simulates it (the memory fast path reports its hits to it).
    pub fn set_core_model(&mut self, model: core_model::CoreModel, detailed: bool) {
        use crate::sysreg::SR;
        self.sr.set(SR::MIDR_EL1, model.midr);
        self.sr.set(SR::VPIDR_EL2, model.midr);
        self.sr.set(SR::CLIDR_EL1, model.clidr());
        self.sr.set(SR::CTR_EL0, model.ctr());
        if detailed {
            self.detailed = Some(Box::new(detailed::Detailed::new(model.clone())));
            self.fast_observed = true;
            self.fast.flush();
            self.mmu.model_ctx = self.compute_model_ctx();
            // Decoded instructions carry their class instead of a flat cost.
            self.dcache.flush();
        }
        self.core = Some(Box::new(model));
        // PMCR_EL0.N (and MDCR_EL2.HPMN's reset value) are the core's.
        crate::pmu::init(self);
    }

    /// The model's event counts, if the `detailed` model runs.
    pub fn model_events(&self) -> Option<detailed::Events> {
        self.detailed.as_ref().map(|d| d.events)
    }

    /// The model's record of the last retired (or faulting) operation.
    pub fn last_op(&self) -> Option<detailed::OpRecord> {
        self.detailed.as_ref().map(|d| d.record())
    }

    /// The translation context the model's TLBs tag entries with (kept up to date with
    /// the regime, `Mmu::model_ctx`).
    #[inline(always)]
    pub(crate) fn model_ctx(&self) -> u64 {
        self.mmu.model_ctx
    }

    /// [`Self::model_ctx`] from the registers: regime, VMID tag and the ASID of TTBR0 of
    /// the regime.
    pub(crate) fn compute_model_ctx(&self) -> u64 {
        use crate::sysreg::SR;
        let r = self.mmu.cur;
        let asid = match r {
            crate::regime::RegimeId::El10 => self.sr.get(SR::TTBR0_EL1) >> 48,
            crate::regime::RegimeId::El20 => self.sr.get(SR::TTBR0_EL2) >> 48,
            crate::regime::RegimeId::El2 => 0,
        };
        ((r as u64) << 61) ^ ((self.mmu.vmid_tag as u64) << 44) ^ (asid << 28)
    }

    /// A slow-path data access (to RAM or, `device`, a device), shown to the observers
    /// of data accesses when there are any (`Cpu::fast_observed`: the `detailed` model,
    /// a profiler's sampled operation); one flag test otherwise.
    #[inline(always)]
    pub(crate) fn observe_data<B: mmu::Bus>(
        &mut self,
        bus: &B,
        va: u64,
        pa: u64,
        write: bool,
        device: bool,
    ) {
        if self.fast_observed {
            let shift = self.mmu.last_size_log2;
            self.observe(bus, va, pa, write, device, shift);
        }
    }

    /// A data access the memory fast path served (RAM offset `off`), while it reports
    /// its hits: the translation size is the one the entry was filled from.
    #[inline(never)]
    pub(crate) fn observe_fast<B: mmu::Bus>(&mut self, bus: &B, va: u64, off: u64, write: bool) {
        let pa = bus.ram().base().wrapping_add(off);
        let shift = self.fast.size_log2(va);
        self.observe(bus, va, pa, write, false, shift);
    }

    /// The model prices the access (`shift`: log2 of its translation's size) and the
    /// sampled operation (host profiler or guest SPE), if any, notes its addresses.
    #[inline(never)]
    fn observe<B: mmu::Bus>(
        &mut self,
        bus: &B,
        va: u64,
        pa: u64,
        write: bool,
        device: bool,
        shift: u8,
    ) {
        if self.detailed.is_some() {
            self.model_data_slow(bus, va, pa, write, device, shift);
        }
        self.sample_data(va, pa, write);
    }

    /// The model is taken out of the PE while it prices the access, so that a walk can
    /// look at the translation registers (`walk_descriptors`) meanwhile. `shift`: log2
    /// of the size of the translation (the model's TLBs hold whole blocks).
    #[inline(never)]
    fn model_data_slow<B: mmu::Bus>(
        &mut self,
        bus: &B,
        va: u64,
        pa: u64,
        write: bool,
        device: bool,
        shift: u8,
    ) {
        let Some(mut m) = self.detailed.take() else {
            return;
        };
        let page = (va >> shift) ^ ((shift as u64) << 56) ^ self.model_ctx();
        if m.data_tlb(page) {
            m.walk(&self.walk_descriptors(bus, va), true);
        }
        m.data(pa, write, device);
        self.detailed = Some(m);
    }

    /// Show the fetch of the instruction at PC (physical `pa`) to the `detailed` model,
    /// which starts pricing it (a no-op without it).
    #[inline]
    pub(crate) fn model_fetch<B: mmu::Bus>(&mut self, bus: &B, pa: u64) {
        let Some(mut m) = self.detailed.take() else {
            return;
        };
        let pc = self.pc;
        m.begin(self.cycles);
        if m.new_fetch_page(pc) && m.fetch_page(pc, (pc >> 12) ^ self.model_ctx()) {
            m.walk(&self.walk_descriptors(bus, pc), false);
        }
        m.fetch(pa);
        self.detailed = Some(m);
    }

    /// Retire `insns` instructions costing `cycles` (the block interpreter's sums).
    #[inline(always)]
    pub(crate) fn retire(&mut self, insns: u64, cycles: u64) {
        self.insns += insns;
        self.cycles += cycles;
        self.seg_pc = self.pc;
    }

    /// Charge an exception entry.
    pub(crate) fn charge_exception(&mut self) {
        self.cycles += self.timing.exception_entry_cycles();
    }

    /// Charge a translation table walk of the architectural TLB. The `detailed` model
    /// prices translation with its own TLBs instead (the architectural TLB holds 4 KiB
    /// slices and is a host-side structure, so its misses are not the core's).
    pub(crate) fn charge_walk(&mut self) {
        self.jit_effect();
        if self.detailed.is_none() {
            self.cycles += self.timing.walk_cycles();
        }
    }

    /// The cost of one operation of `class`, for the decoded-instruction cache: the flat
    /// table's. With the `detailed` model the slot holds the class itself (`Class as
    /// usize`): the model prices the operation when it retires.
    pub(crate) fn op_cycles(&self, class: Class) -> u16 {
        match self.detailed.as_deref() {
            Some(_) => class as u16,
            None => self.timing.op_cycles(class),
        }
    }
}

/// Cycles charged for taking an exception (pipeline drain plus vector fetch).
const EXCEPTION_ENTRY: u64 = 20;

/// Cost in cycles of one retired instruction of `class`.
pub const fn class_cost(class: Class) -> u16 {
    match class {
        Class::Alu | Class::Branch | Class::Hint => 1,
        Class::Crc => 2,
        Class::Mul => 3,
        Class::Mulh => 4,
        Class::Div => 12,
        Class::Load | Class::Store | Class::Ldst => 4,
        Class::Atomic => 8,
        Class::Barrier => 10,
        Class::Sysreg => 6,
        Class::Exc | Class::Eret => 20,
        Class::Simd => 1,
        Class::Fp | Class::Fma => 3,
        Class::Fpdiv => 12,
        Class::Undef => 1,
    }
}
