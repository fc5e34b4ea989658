//! The `detailed` model's out-of-order window: when each operation dispatches, issues and
//! completes, and so what the PE's clock reads (timing-notes.md §4, an interval-style
//! model). Time runs in ticks, [`TICKS`] per cycle, so dispatch widths of 3 and 4 and
//! pipes that accept an operation every third of a cycle are exact.
//!
//! - Dispatch: operations enter in order, `dispatch_width` per cycle, once the reorder
//!   buffer has room (the operation `rob` places earlier has retired). Front-end stalls
//!   (instruction cache and TLB misses) delay it; a mispredicted branch restarts it the
//!   penalty after the branch completes.
//! - Issue: once its source registers are ready (the scoreboard) and its pipe group is
//!   free (each class occupies its group for its reciprocal throughput).
//! - Complete: issue plus the class latency, plus for a data access its translation and
//!   cache-miss cycles. A miss needs one of `mshrs` outstanding-miss slots, so
//!   independent misses overlap (memory-level parallelism) up to that many.
//! - System register accesses go through one in-order pipe, and dispatch does not pass
//!   one before it issues: two reads of a counter (PMCCNTR_EL0, CNTVCT_EL0) in a row see
//!   the clock advance, as on hardware.
//! - Retire: in order, at the later of its completion and the previous retirement.
//!   Serialising operations (barriers, system register accesses, exception entry and
//!   return) wait for everything older to retire, and nothing younger dispatches before
//!   they complete.
//!
//! The PE's cycle count is the dispatch frontier: operations in flight when a timer is
//! read have not finished, as on hardware.

use super::deps::{Deps, SLOTS};

/// Ticks per cycle (divisible by the dispatch widths and pipe rates the models use).
pub(crate) const TICKS: u64 = 12;

/// How a class is executed.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ClassTiming {
    /// Result latency, ticks.
    pub(crate) latency: u64,
    /// Ticks the class occupies its pipe group.
    pub(crate) occupancy: u64,
    /// Pipe group index (0-4: [`SYSREG`] is the system register pipe), or [`SERIAL`].
    pub(crate) group: usize,
}

/// The pipe group of system register accesses.
pub(crate) const SYSREG: usize = 4;
/// The pipe group of operations that serialise.
pub(crate) const SERIAL: usize = 5;

/// One retiring operation, as the window needs it.
pub(crate) struct Op<'a> {
    pub(crate) class: &'a ClassTiming,
    pub(crate) deps: Deps,
    /// Front-end stall before dispatch (ticks).
    pub(crate) front_end: u64,
    /// Translation cycles of its data access (ticks), before the access starts.
    pub(crate) translation: u64,
    /// Cycles its data access waits beyond the L1 hit (ticks), 0 for a hit.
    pub(crate) miss: u64,
    /// Whether the access is a store (its miss does not delay completion).
    pub(crate) store: bool,
    /// Mispredicted branch: penalty in ticks.
    pub(crate) mispredict: Option<u64>,
}

/// When a retired operation dispatched, issued and completed (ticks); converted to
/// cycles only when someone asks (SPE samples), not on every retirement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Timing {
    pub(crate) dispatch: u64,
    pub(crate) issue: u64,
    pub(crate) complete: u64,
}

impl Timing {
    /// Cycles from dispatch to issue.
    pub(crate) fn issue_latency(&self) -> u32 {
        ((self.issue - self.dispatch) / TICKS) as u32
    }

    /// Cycles from dispatch to completion (rounded up).
    pub(crate) fn total_latency(&self) -> u32 {
        (self.complete - self.dispatch).div_ceil(TICKS) as u32
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Window {
    /// Ticks between dispatches (TICKS / width).
    dispatch_step: u64,
    /// Dispatch frontier, ticks.
    now: u64,
    /// Cycles handed to the PE so far.
    reported: u64,
    /// Scoreboard: when each register's value is ready, ticks.
    ready: [u64; SLOTS],
    /// When each pipe group can accept its next operation.
    pipe_free: [u64; SERIAL],
    /// Retirement times of the last `rob` operations (a ring; its size a power of two).
    rob: Box<[u64]>,
    seq: usize,
    last_retire: u64,
    /// When each outstanding-miss slot frees (a ring, oldest next).
    mshr: Box<[u64]>,
    mshr_next: usize,
}

impl Window {
    pub(crate) fn new(width: u32, rob: u32, mshrs: u32) -> Self {
        Self {
            dispatch_step: TICKS / width.max(1) as u64,
            now: 0,
            reported: 0,
            ready: [0; SLOTS],
            pipe_free: [0; SERIAL],
            rob: vec![0; rob.max(1).next_power_of_two() as usize].into_boxed_slice(),
            seq: 0,
            last_retire: 0,
            mshr: vec![0; mshrs.max(1) as usize].into_boxed_slice(),
            mshr_next: 0,
        }
    }

    /// The PE's clock reads `cycles` as the next operation starts: if something outside
    /// the window advanced it (an exception entry, time idle in WFI), dispatch resumes
    /// from there.
    #[inline]
    pub(crate) fn sync(&mut self, cycles: u64) {
        if cycles != self.reported {
            self.now = self.now.max(cycles * TICKS);
            self.reported = cycles;
        }
    }

    /// Everything in flight completes before anything else happens (an exception).
    pub(crate) fn drain(&mut self) {
        self.now = self.now.max(self.last_retire);
    }

    /// Drain, and the cycle everything has completed by (tests measure with it, as a
    /// guest does with an ISB before reading the clock).
    #[cfg(test)]
    pub(crate) fn settle(&mut self) -> u64 {
        self.drain();
        self.now.div_ceil(TICKS)
    }

    /// Price one operation: returns its timing and the cycles the PE's clock advances.
    #[inline]
    pub(crate) fn retire(&mut self, op: &Op) -> (Timing, u64) {
        let c = op.class;
        let slot = self.seq & (self.rob.len() - 1);
        let mut dispatch = self.now.max(self.rob[slot]) + op.front_end;
        if c.group == SERIAL {
            dispatch = dispatch.max(self.last_retire);
        }
        let src = op.deps.src;
        let ready = self.ready[src[0] as usize]
            .max(self.ready[src[1] as usize])
            .max(self.ready[src[2] as usize])
            .max(self.ready[src[3] as usize]);
        let mut issue = dispatch.max(ready);
        if c.group < SERIAL {
            issue = issue.max(self.pipe_free[c.group]);
            self.pipe_free[c.group] = issue + c.occupancy;
        }
        let start = issue + op.translation;
        let mut complete = start + c.latency;
        if op.miss != 0 {
            // The miss waits for a free outstanding-miss slot.
            let m = self.mshr_next;
            let begin = start.max(self.mshr[m]);
            let done = begin + c.latency + op.miss;
            self.mshr[m] = done;
            self.mshr_next = if m + 1 == self.mshr.len() { 0 } else { m + 1 };
            if !op.store {
                complete = done;
            }
        }
        for d in op.deps.dst {
            self.ready[d as usize] = complete;
        }
        self.ready[op.deps.wb as usize] = issue + TICKS;
        if op.deps.flags {
            self.ready[super::deps::FLAGS as usize] = complete;
        }
        let retire = complete.max(self.last_retire);
        self.last_retire = retire;
        self.rob[slot] = retire;
        self.seq = self.seq.wrapping_add(1);
        self.now = dispatch + self.dispatch_step;
        if c.group == SERIAL {
            self.now = self.now.max(complete);
        } else if c.group == SYSREG {
            self.now = self.now.max(issue + c.occupancy);
        }
        if let Some(penalty) = op.mispredict {
            self.now = self.now.max(complete) + penalty;
        }
        let cycles = self.now / TICKS;
        let advance = cycles - self.reported;
        self.reported = cycles;
        let timing = Timing {
            dispatch,
            issue,
            complete,
        };
        (timing, advance)
    }
}

#[cfg(test)]
mod tests {
    use super::super::deps::deps;
    use super::*;

    const ALU: ClassTiming = ClassTiming {
        latency: TICKS,
        occupancy: TICKS / 3,
        group: 0,
    };
    const MUL: ClassTiming = ClassTiming {
        latency: 4 * TICKS,
        occupancy: 3 * TICKS,
        group: 1,
    };

    /// Cycles until `raws` repeated `times` times have all retired.
    fn run(w: &mut Window, class: &ClassTiming, raws: &[u32], times: usize) -> u64 {
        for _ in 0..times {
            for &raw in raws {
                let op = Op {
                    class,
                    deps: deps(raw),
                    front_end: 0,
                    translation: 0,
                    miss: 0,
                    store: false,
                    mispredict: None,
                };
                w.retire(&op);
            }
        }
        w.settle()
    }

    #[test]
    fn chains_cost_latency_and_independent_ops_throughput() {
        // mul x0, x0, x1 (dependent) vs mul x2..x9, x1, x1 (independent).
        let mut w = Window::new(4, 128, 8);
        let dep = run(&mut w, &MUL, &[0x9b01_7c00], 1000);
        assert!((3990..=4010).contains(&dep), "{dep}");
        let indep: Vec<u32> = (2..10).map(|r| 0x9b01_7c20 | r).collect();
        let mut w = Window::new(4, 128, 8);
        let c = run(&mut w, &MUL, &indep, 125);
        assert!((2990..=3010).contains(&c), "{c}");
        // add x2..x9, x1, x1: three ALU pipes' worth per cycle, within a width of 4.
        let adds: Vec<u32> = (2..10).map(|r| 0x8b01_0020 | r).collect();
        let mut w = Window::new(4, 128, 8);
        let c = run(&mut w, &ALU, &adds, 375);
        assert!((995..=1005).contains(&c), "{c}");
    }
}
