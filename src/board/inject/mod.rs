//! Fault injection (issue 14): physical SErrors and synchronous External aborts fired at
//! an instruction count, a simulated time, a PC or a physical address, exactly and
//! repeatably, with a log of what the guest did with each.
//!
//! Each trigger uses the core's hook for it (DESIGN.md §9), so injection costs nothing
//! where it is not armed: `insn=`/`time=` bound the scheduler's slice, `pc=` is a
//! decoded-instruction-cache sentinel, `pa=` a WATCH page flag. The board owns an
//! [`Injector`]: the scheduler asks it for deadlines and fires them, the bus hands it
//! watched accesses and PC triggers, and CPU events settle what became of each firing.

pub mod log;
pub mod spec;

use cpu::{Cpu, Event, ExcKind, WatchVerdict, WatchedAccess};
use log::{Awaits, Firing, Outcome};
use mmu::GuestRam;
use spec::{Kind, Spec, Trigger};

/// A spec and how many firings it has left.
struct Armed {
    spec: Spec,
    left: u32,
}

/// Every injection of a run and the firings so far.
pub struct Injector {
    armed: Vec<Armed>,
    /// In firing order.
    firings: Vec<Firing>,
}

/// What a firing asks of the CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    SError(u32),
    Abort,
    Ras(cpu::ras::RasError),
}

impl Action {
    /// Apply an asynchronous action (not an abort) to `cpu`.
    fn apply(self, cpu: &mut Cpu) {
        match self {
            Action::SError(iss) => cpu.inject_serror(iss),
            Action::Ras(e) => cpu.record_ras_error(&e),
            Action::Abort => {}
        }
    }
}

/// What a PC trigger asks the CPU to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtPc {
    /// Nothing fired (or an SError was made pending): execute the instruction.
    Resume,
    /// Take a synchronous External abort on fetching it.
    FetchAbort,
}

/// A spec that cannot apply to this machine.
#[derive(Debug, thiserror::Error)]
#[error("--inject {kind},{trigger}: {why}")]
pub struct InjectError {
    kind: &'static str,
    trigger: String,
    why: String,
}

impl Injector {
    /// Arm `specs` on a machine with `cpus` CPUs and `ram`: PC triggers go into every
    /// CPU's decoded-instruction cache, PA triggers flag their RAM pages WATCH.
    pub fn new(
        specs: Vec<Spec>,
        cpus: &mut [&mut Cpu],
        ram: &GuestRam,
    ) -> Result<Self, InjectError> {
        for s in &specs {
            let fail = |why: String| InjectError {
                kind: s.kind.name(),
                trigger: s.trigger_text.clone(),
                why,
            };
            if let Some(c) = s.cpu.filter(|&c| c >= cpus.len()) {
                return Err(fail(format!(
                    "cpu={c}, but the board has {} CPU(s)",
                    cpus.len()
                )));
            }
            if let Trigger::Pa { pa, len, .. } = s.trigger {
                if ram.offset(pa, len).is_none() {
                    return Err(fail(format!(
                        "{pa:#x}..{:#x} is not RAM (RAM is {:#x}..{:#x}); pa= triggers watch RAM",
                        pa + len,
                        ram.base(),
                        ram.base() + ram.size()
                    )));
                }
            }
        }
        let me = Self {
            armed: specs
                .into_iter()
                .map(|spec| Armed {
                    left: spec.count,
                    spec,
                })
                .collect(),
            firings: Vec::new(),
        };
        for (i, c) in cpus.iter_mut().enumerate() {
            for a in &me.armed {
                if let Trigger::Pc { va, .. } = a.spec.trigger {
                    if a.spec.cpu.is_none_or(|k| k == i) {
                        c.set_pc_trigger(va, true);
                    }
                }
            }
        }
        me.update_watches(ram);
        Ok(me)
    }

    /// The firings so far, in order.
    pub fn firings(&self) -> &[Firing] {
        &self.firings
    }

    /// Steps CPU `i` may run before an `insn=` trigger of its own is due (`None`: none
    /// armed). A step retires at most one instruction, so the slice never overshoots.
    pub fn insns_until(&self, i: usize, cpu: &Cpu) -> Option<u64> {
        self.live()
            .filter(|a| a.spec.cpu.unwrap_or(0) == i)
            .filter_map(|a| match a.spec.trigger {
                Trigger::Insn(n) => Some(n.saturating_sub(cpu.insns())),
                _ => None,
            })
            .min()
    }

    /// The earliest `time=` deadline of CPU `i` (its physical count, in ns).
    pub fn next_time(&self, i: usize) -> Option<u64> {
        self.live()
            .filter(|a| a.spec.cpu.unwrap_or(0) == i)
            .filter_map(|a| match a.spec.trigger {
                Trigger::Time(t) => Some(t),
                _ => None,
            })
            .min()
    }

    /// Fire CPU `i`'s `insn=` and `time=` triggers that are due.
    pub fn fire_due(&mut self, i: usize, cpu: &mut Cpu) {
        for a in 0..self.armed.len() {
            let arm = &self.armed[a];
            if arm.left == 0 || arm.spec.cpu.unwrap_or(0) != i {
                continue;
            }
            let due = match arm.spec.trigger {
                Trigger::Insn(n) => cpu.insns() >= n,
                Trigger::Time(t) => cpu.physical_count() >= t,
                _ => false,
            };
            if due {
                let (pc, el, insns, now) =
                    (cpu.pc(), cpu.pstate().el, cpu.insns(), cpu.physical_count());
                self.fire(a, i, pc, el, insns, now).apply(cpu);
            }
        }
    }

    /// CPU `i` reached a PC trigger at `pc`; returns what it must do.
    pub fn at_pc(&mut self, i: usize, cpu: &mut Cpu) -> AtPc {
        let (pc, el) = (cpu.pc(), cpu.pstate().el);
        let mut out = AtPc::Resume;
        for a in 0..self.armed.len() {
            let arm = &self.armed[a];
            let hit = arm.left > 0
                && arm.spec.cpu.is_none_or(|k| k == i)
                && matches!(arm.spec.trigger, Trigger::Pc { va, el: e } if va == pc && e.is_none_or(|e| e == el));
            // One synchronous abort per fetch: a second `sea` there waits for the retry.
            if !hit || (out == AtPc::FetchAbort && arm.spec.kind == Kind::Sea) {
                continue;
            }
            match self.fire(a, i, pc, el, cpu.insns(), cpu.physical_count()) {
                Action::Abort => out = AtPc::FetchAbort,
                act => act.apply(cpu),
            }
            if self.armed[a].left == 0
                && !self
                    .live()
                    .any(|b| matches!(b.spec.trigger, Trigger::Pc { va, .. } if va == pc))
            {
                cpu.set_pc_trigger(pc, false);
            }
        }
        out
    }

    /// A CPU is about to make an access to a watched page: fire the `pa=` triggers it
    /// matches. One External abort at most per access; any number of SErrors (the last
    /// syndrome wins, as one pending SError has one syndrome).
    pub fn watched_access(
        &mut self,
        i: usize,
        acc: &WatchedAccess,
        ram: &GuestRam,
    ) -> WatchVerdict {
        let mut verdict = WatchVerdict::Proceed;
        let (lo, hi) = (acc.pa, acc.pa + acc.size as u64);
        let mut changed = false;
        for a in 0..self.armed.len() {
            let arm = &self.armed[a];
            let Trigger::Pa { pa, len, access } = arm.spec.trigger else {
                continue;
            };
            let hit = arm.left > 0
                && arm.spec.cpu.is_none_or(|k| k == i)
                && access.matches(acc.kind)
                && lo < pa + len
                && pa < hi;
            if !hit || (verdict == WatchVerdict::ExternalAbort && arm.spec.kind == Kind::Sea) {
                continue;
            }
            match self.fire(a, i, acc.pc, acc.el, acc.insns, acc.now) {
                Action::Abort => verdict = WatchVerdict::ExternalAbort,
                _ if verdict == WatchVerdict::ExternalAbort => {}
                Action::SError(iss) => verdict = WatchVerdict::SError(iss),
                Action::Ras(e) => verdict = WatchVerdict::Ras(e),
            }
            changed |= self.armed[a].left == 0;
        }
        if changed {
            self.update_watches(ram);
        }
        verdict
    }

    /// Settle firings from CPU `i`'s events: the SError taken or deferred, the abort
    /// taken.
    pub fn on_event(&mut self, i: usize, e: &Event) {
        let (sync, taken): (Awaits, Outcome) = match *e {
            Event::ExceptionEntry {
                kind,
                esr,
                to_el,
                elr,
                vector,
                far,
                physical_serror,
                ..
            } => {
                let t = Outcome::Taken {
                    el: to_el,
                    vector_offset: vector & 0x7ff,
                    esr,
                    far,
                    elr,
                };
                match kind {
                    ExcKind::Sync => (Awaits::Sync, t),
                    ExcKind::SError if physical_serror => (Awaits::SError, t),
                    ExcKind::Irq => (Awaits::Irq, t),
                    _ => return,
                }
            }
            Event::SErrorDeferred { .. } => (Awaits::SError, Outcome::Deferred),
            _ => return,
        };
        for f in self
            .firings
            .iter_mut()
            .filter(|f| f.cpu == i && f.outcome == Outcome::Pending)
        {
            if f.awaits == Some(sync) {
                f.outcome = taken;
                if sync == Awaits::Sync {
                    // The abort an injection caused is the first synchronous exception.
                    break;
                }
            }
        }
    }

    fn live(&self) -> impl Iterator<Item = &Armed> {
        self.armed.iter().filter(|a| a.left > 0)
    }

    /// Record a firing of spec `a` on CPU `i`; returns what the CPU must do.
    fn fire(&mut self, a: usize, i: usize, pc: u64, el: u8, insns: u64, now: u64) -> Action {
        let arm = &mut self.armed[a];
        arm.left -= 1;
        tracing::info!(target: "hypsim::inject", cpu = i, kind = arm.spec.kind.name(),
            trigger = %arm.spec.trigger_text, pc = format_args!("{pc:#x}"), el, insns, time_ns = now, "fired");
        let awaits = match arm.spec.kind {
            Kind::SError { .. } => Some(Awaits::SError),
            Kind::Sea => Some(Awaits::Sync),
            Kind::Ras(e) => match e.signal {
                cpu::ras::RasSignal::SError => Some(Awaits::SError),
                cpu::ras::RasSignal::Irq => Some(Awaits::Irq),
                cpu::ras::RasSignal::None => None,
            },
        };
        self.firings.push(Firing {
            awaits,
            kind: arm.spec.kind.name(),
            trigger: arm.spec.trigger_text.clone(),
            cpu: i,
            insn: insns,
            time_ns: now,
            pc,
            el,
            outcome: Outcome::Pending,
        });
        match arm.spec.kind {
            Kind::SError { iss } => Action::SError(iss),
            Kind::Sea => Action::Abort,
            Kind::Ras(e) => Action::Ras(e),
        }
    }

    /// WATCH exactly the pages live `pa=` triggers cover.
    fn update_watches(&self, ram: &GuestRam) {
        let mut pages = std::collections::BTreeMap::<u64, bool>::new();
        for a in &self.armed {
            if let Trigger::Pa { pa, len, .. } = a.spec.trigger {
                for p in (pa >> 12)..=((pa + len - 1) >> 12) {
                    *pages.entry(p).or_default() |= a.left > 0;
                }
            }
        }
        for (p, on) in pages {
            ram.set_watch(p << 12, on);
        }
    }
}
