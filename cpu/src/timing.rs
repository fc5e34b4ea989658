//! The cycle-approximate model (DESIGN.md §6), in one place: what a retired operation, an
//! exception entry and a translation table walk cost, behind the [`TimingModel`]
//! interface, and the only code that adds to the PE's cycle and instruction counts (the
//! generic timer and the PMU read them). Today's model is [`Flat`]: a fixed cost per
//! instruction class, Neoverse N1 figures from timing-notes.md (issue-limited throughput
//! rounded up to whole cycles); caches, TLBs and predictors come with a `detailed` model.

use crate::a64::Class;
use crate::state::Cpu;

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

impl Cpu {
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

    /// Charge a translation table walk.
    pub(crate) fn charge_walk(&mut self) {
        self.cycles += self.timing.walk_cycles();
    }

    /// The cost of one operation of `class`, for the decoded-instruction cache.
    pub(crate) fn op_cycles(&self, class: Class) -> u16 {
        self.timing.op_cycles(class)
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
        Class::Fp => 3,
        Class::Fpdiv => 12,
        Class::Undef => 1,
    }
}
