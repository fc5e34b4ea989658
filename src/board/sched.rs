//! Deterministic round-robin scheduling of vCPUs on one host thread, interrupt wiring
//! between devices, timers, the GIC and the CPUs, idling of simulated time while every
//! CPU waits, and the handling of everything a CPU hands to the board (firmware calls,
//! WFI/WFE/SEV).

use super::inject;
use super::psci::{self, Action, Power};
use super::Machine;
use cpu::Exit;
use std::io::Write;

/// Steps a vCPU runs before the next one gets its turn.
pub const QUANTUM: u64 = 10_000;

/// While every other PE waits (WFI/WFE), a spin-wait's YIELD hands over the turn this
/// often: a PE it woke (an SGI) gets to run within that many spins.
const YIELD_WAITING: u32 = 64;

/// A bound on the cycles one step costs in the flat timing model (an exception entry
/// plus a table walk or two), for approaching a `time=` injection without passing it.
const MAX_STEP_CYCLES: u64 = 64;

/// Where `--snapshot-at` saves the machine: the first boundary between scheduling rounds
/// after CPU 0 has retired this many instructions, or after its clock reached this time
/// (ns). The point does not bound any slice, so the saving run is the run without it, and
/// a run resumed from the snapshot continues it exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapPoint {
    /// Retired instructions of CPU 0.
    Insn(u64),
    /// CPU 0's physical count.
    Time(u64),
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// PSCI SYSTEM_OFF.
    PowerOff,
    /// PSCI SYSTEM_RESET.
    Reset,
    /// `--max-insns` reached.
    InsnLimit,
    /// Every powered-on CPU waits (WFI/WFE) and nothing can wake it.
    Hang,
    /// Every CPU is off (CPU_OFF on the last one).
    AllOff,
    /// The host asked the run to stop (Ctrl-C): output files are still written.
    Interrupted,
    /// The `--snapshot-at` point was reached, between two scheduling rounds: save the
    /// machine, then call `run` again to go on.
    Snapshot,
    /// A CPU faults on fetching its own exception vector, forever.
    VectorLoop {
        /// CPU index.
        cpu: usize,
        /// The vector address.
        pc: u64,
    },
    /// `--jit-check` found compiled code and the interpreter disagreeing on a CPU (its
    /// `Cpu::jit_check_report` says how).
    JitMismatch {
        /// CPU index.
        cpu: usize,
    },
}

impl<W: Write> Machine<W> {
    /// Retired instructions over all vCPUs.
    pub fn total_insns(&self) -> u64 {
        self.vcpus.iter().map(|v| v.cpu.insns()).sum()
    }

    /// Progress (instructions plus exceptions) over all vCPUs, bounded by `--max-insns`.
    fn total_steps(&self) -> u64 {
        self.vcpus.iter().map(|v| v.cpu.steps()).sum()
    }

    /// Run until the guest powers off, resets, hangs, or `max_insns` retire. `between`
    /// runs after every round of slices (host I/O); it returns false to stop the run.
    pub fn run(&mut self, max_insns: u64, mut between: impl FnMut(&mut Self) -> bool) -> Outcome {
        loop {
            if let Some(p) = self.snapshot_at {
                let c = &self.vcpus[0].cpu;
                if match p {
                    SnapPoint::Insn(n) => c.insns() >= n,
                    SnapPoint::Time(t) => c.physical_count() >= t,
                } {
                    self.snapshot_at = None;
                    return Outcome::Snapshot;
                }
            }
            let mut ran = false;
            for i in 0..self.vcpus.len() {
                self.catch_up_waiters();
                if let Some(inj) = &mut self.bus.inject {
                    inj.fire_due(i, &mut self.vcpus[i].cpu);
                }
                self.vcpus[i].cpu.ras_tick();
                self.sync_interrupts();
                let v = &self.vcpus[i];
                if v.power != Power::On || v.in_wfi || v.in_wfe {
                    continue;
                }
                let done = self.total_steps();
                if done >= max_insns {
                    return Outcome::InsnLimit;
                }
                ran = true;
                let cpu = &self.vcpus[i].cpu;
                let now = cpu.physical_count();
                // Stop at the next event that raises an interrupt, so it is raised on
                // time: a timer deadline, the earliest possible PMU counter overflow, the
                // RTC's alarm. Every step costs at least one cycle.
                let inject = self.bus.inject.as_ref();
                let next_event = [
                    cpu.next_timer_deadline(),
                    cpu.next_pmu_overflow_cycle(),
                    cpu.next_ras_event(),
                    self.bus.rtc.next_event_ns(now),
                ]
                .into_iter()
                .flatten()
                .min();
                let until_event = next_event.map_or(u64::MAX, |d| d.saturating_sub(now).max(1));
                let budget = if self.tracer.is_some() {
                    1
                } else {
                    // An `insn=` injection is due after that many more retired instructions;
                    // a `time=` one is approached in slices that cannot pass it by more
                    // than one step's cost.
                    let until_insn = inject
                        .and_then(|inj| inj.insns_until(i, cpu))
                        .map_or(u64::MAX, |n| n.max(1));
                    let until_time = inject
                        .and_then(|inj| inj.next_time(i))
                        .map_or(u64::MAX, |t| {
                            (t.saturating_sub(now) / MAX_STEP_CYCLES).max(1)
                        });
                    QUANTUM
                        .min(until_event)
                        .min(until_insn)
                        .min(until_time)
                        .min(max_insns - done)
                };
                if let Some(t) = &self.tracer {
                    t.trace(i, &mut self.vcpus[i].cpu, &self.bus);
                }
                self.bus.now_ns = now;
                // YIELD hands over the turn at once while another PE runs; while the
                // others wait, every YIELD_WAITING-th time (a spinning PE may have woken
                // one); alone, never.
                let others = self.vcpus.iter().enumerate();
                let every = others
                    .filter(|&(j, v)| j != i && v.power == Power::On)
                    .map(|(_, v)| !v.in_wfi && !v.in_wfe)
                    .max()
                    .map_or(0, |running| if running { 1 } else { YIELD_WAITING });
                self.vcpus[i].cpu.set_yield_every(every);
                let exit = self.vcpus[i].cpu.run(&mut self.bus, budget);
                if let Some(o) = self.handle_exit(i, exit) {
                    return o;
                }
            }
            if !between(self) {
                return Outcome::Interrupted;
            }
            if !ran && !self.idle() {
                return if self.vcpus.iter().any(|v| v.power == Power::On) {
                    Outcome::Hang
                } else {
                    Outcome::AllOff
                };
            }
        }
    }

    /// Waiting CPUs follow the running ones' simulated time, so their timers fire and the
    /// WFE event stream ticks; a WFE also ends when another CPU wrote the location its
    /// exclusive reservation covers.
    fn catch_up_waiters(&mut self) {
        let running = |v: &super::Vcpu| v.power == Power::On && !v.in_wfi && !v.in_wfe;
        let Some(now) = self
            .vcpus
            .iter()
            .filter(|v| running(v))
            .map(|v| v.cpu.physical_count())
            .max()
        else {
            return;
        };
        for v in self
            .vcpus
            .iter_mut()
            .filter(|v| v.power == Power::On && (v.in_wfi || v.in_wfe))
        {
            if v.in_wfe {
                if v.cpu.next_event_stream().is_some_and(|t| t <= now) {
                    v.in_wfe = false;
                }
                if let Some(old) = v.wfe_watch {
                    if v.cpu.exclusive_monitor_value(&mut self.bus) != Some(old) {
                        v.cpu.clear_exclusive_monitor();
                        v.in_wfe = false;
                    }
                }
                if !v.in_wfe {
                    v.wfe_watch = None;
                }
            }
            v.cpu.idle_until(now);
        }
    }

    /// Feed device and timer outputs to the GIC, then the GIC's outputs to the CPUs;
    /// a CPU waiting in WFI or WFE wakes when an interrupt is asserted for it.
    fn sync_interrupts(&mut self) {
        self.bus.now_ns = self.vcpus[0].cpu.physical_count();
        self.bus.sync_device_lines();
        for (i, v) in self.vcpus.iter().enumerate() {
            self.bus.set_pe_lines(i, v.cpu.irq_outputs());
        }
        for (i, v) in self.vcpus.iter_mut().enumerate() {
            let lines = self.bus.gic.irq_lines(i);
            v.cpu.set_irq_lines(lines.irq, lines.fiq);
            // Physical lines, or a virtual interrupt from the list registers.
            if v.cpu.interrupt_asserted() {
                v.in_wfi = false;
                v.in_wfe = false;
            }
        }
    }

    /// Every powered-on CPU waits: let simulated time jump to the next event (a timer
    /// deadline, the WFE event stream, the RTC). Returns false if nothing can ever wake
    /// any CPU.
    fn idle(&mut self) -> bool {
        let now = self
            .vcpus
            .iter()
            .filter(|v| v.power == Power::On)
            .map(|v| v.cpu.physical_count())
            .max();
        let Some(now) = now else { return false };
        let mut next = self.bus.rtc.next_event_ns(now);
        for v in self.vcpus.iter().filter(|v| v.power == Power::On) {
            let mut cand = v.cpu.next_timer_deadline();
            // A `time=` injection also ends the idle period (it makes an SError pending).
            let i = v.cpu.config().index;
            let inj = self.bus.inject.as_ref().and_then(|inj| inj.next_time(i));
            cand = cand
                .into_iter()
                .chain(inj)
                .chain(v.cpu.next_ras_event())
                .min();
            // PMU: an overflow of a cycle-counting counter also ends the idle period.
            cand = cand.into_iter().chain(v.cpu.next_pmu_idle_wakeup()).min();
            if v.in_wfe {
                cand = cand.into_iter().chain(v.cpu.next_event_stream()).min();
            }
            next = next.into_iter().chain(cand).min();
        }
        let Some(mut t) = next else { return false };
        if let Some(origin) = self.wall_clock {
            t = pace_to_wall(origin, now, t);
        }
        for v in self.vcpus.iter_mut().filter(|v| v.power == Power::On) {
            v.cpu.idle_until(t);
            // A WFE with the event stream on completes at the stream's event.
            if v.in_wfe && v.cpu.next_event_stream().is_some() {
                v.in_wfe = false;
            }
        }
        self.sync_interrupts();
        true
    }

    fn handle_exit(&mut self, i: usize, exit: Exit) -> Option<Outcome> {
        match exit {
            Exit::Budget => None,
            // The next PE gets its turn (the loop moves on).
            Exit::Yield => None,
            // A PC trigger: fault injection's (the only board feature that sets them).
            Exit::Trigger => {
                let cpu = &mut self.vcpus[i].cpu;
                match self.bus.inject.as_mut().map(|inj| inj.at_pc(i, cpu)) {
                    Some(inject::AtPc::FetchAbort) => cpu.take_fetch_external_abort(&mut self.bus),
                    _ => cpu.resume_from_trigger(),
                }
                None
            }
            Exit::Wfi => {
                self.vcpus[i].in_wfi = true;
                None
            }
            Exit::Wfe => {
                let v = &mut self.vcpus[i];
                v.in_wfe = true;
                v.wfe_watch = v.cpu.exclusive_monitor_value(&mut self.bus);
                None
            }
            Exit::Sev => {
                for v in &mut self.vcpus {
                    v.cpu.set_event();
                    v.in_wfe = false;
                }
                None
            }
            Exit::TlbiBroadcast(op) => {
                for (j, v) in self.vcpus.iter_mut().enumerate() {
                    if j != i {
                        v.cpu.apply_tlbi(op);
                    }
                }
                None
            }
            Exit::FirmwareCall => self.firmware_call(i),
            Exit::VectorLoop => Some(Outcome::VectorLoop {
                cpu: i,
                pc: self.vcpus[i].cpu.pc(),
            }),
            Exit::JitMismatch => Some(Outcome::JitMismatch { cpu: i }),
        }
    }

    fn firmware_call(&mut self, i: usize) -> Option<Outcome> {
        let c = &self.vcpus[i].cpu;
        let x = [c.xreg(0), c.xreg(1), c.xreg(2), c.xreg(3)];
        let action = psci::call(self, x);
        tracing::debug!(target: "hypsim::psci", cpu = i, fid = format_args!("{:#x}", x[0]), ?action);
        let ret = |m: &mut Self, v: i64| m.vcpus[i].cpu.set_xreg(0, v as u64);
        match action {
            Action::Return(v) => ret(self, v),
            Action::SystemOff => return Some(Outcome::PowerOff),
            Action::SystemReset => return Some(Outcome::Reset),
            Action::CpuOff => {
                self.vcpus[i].power = Power::Off;
                self.bus.gic.set_processor_sleep(i, true);
            }
            Action::Standby => {
                ret(self, psci::ret::SUCCESS);
                self.vcpus[i].in_wfi = true;
            }
            Action::CpuOn {
                index,
                entry,
                context,
            } => {
                let el = self.el;
                // The new CPU starts at the caller's simulated time.
                let now = self.vcpus[i].cpu.physical_count();
                let t = &mut self.vcpus[index];
                t.cpu.reset(el);
                t.cpu.idle_until(now);
                t.cpu.set_pc(entry);
                t.cpu.set_xreg(0, context);
                t.power = Power::On;
                self.bus.gic.set_processor_sleep(index, false);
                let t = &mut self.vcpus[index];
                t.in_wfi = false;
                t.in_wfe = false;
                t.wfe_watch = None;
                ret(self, psci::ret::SUCCESS);
            }
        }
        None
    }
}

/// Longest host sleep of one idle step in `--clock wall` mode: the scheduler feeds host
/// input to the UART between steps, so this bounds the typing latency.
const WALL_SLICE: std::time::Duration = std::time::Duration::from_millis(10);

/// `--clock wall`: how far an idle period starting at simulated time `now` may go towards
/// the next event `t`. Simulated time may not pass the wall time since `origin`; when the
/// event lies beyond it, sleep up to [`WALL_SLICE`] and stop where the wall clock then is
/// (the caller idles again on its next round, so a long wait is a series of short sleeps
/// with input checked in between). Waking a WFE before its event this way is a spurious
/// wake-up, which the architecture allows.
fn pace_to_wall(origin: std::time::Instant, now: u64, t: u64) -> u64 {
    let wall = |o: std::time::Instant| o.elapsed().as_nanos().min(u64::MAX as u128) as u64;
    let w = wall(origin);
    if t <= w {
        return t;
    }
    std::thread::sleep(std::time::Duration::from_nanos(t - w).min(WALL_SLICE));
    t.min(wall(origin).max(now))
}
