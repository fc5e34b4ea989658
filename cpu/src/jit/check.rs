//! `--jit-check`: every run of compiled code is run again by the interpreter, one
//! instruction at a time from the same state, and the two results are compared — the
//! architectural registers, PSTATE, the system registers, the counts, how the run ended
//! (an exception, an exit) and every word of RAM either one stored to. The first
//! difference stops the machine with both states printed.
//!
//! Compiled code runs first: its stores are logged (old value of each 8-byte word) and
//! undone afterwards, the PE's state is put back, and the interpreter's run becomes the
//! state the machine continues from (equal to the compiled one when the check passes).
//! A run that did something the PE cannot put back — a table walk (the TLB and its cycle
//! charge), a device access, a watched page, a system instruction, a tag store, a store
//! to decoded code — is not replayed; it is counted as unchecked and the machine goes on
//! from it. Compiled code runs one block at a time here (its chaining code runs, and
//! finds no steps left to go on with). The check keeps the memory fast path reporting
//! (`Cpu::fast_observed`), so the interpreter's stores reach [`Cpu::jit_log_store`];
//! compiled code logs its inline stores itself.

use super::drive::End;
use super::{Block, JitRun};
use crate::flow::Exit;
use crate::platform::Platform;
use crate::state::{Cpu, Pstate};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The state a run may change and the check compares.
#[derive(Clone, Default, PartialEq)]
struct Snap {
    x: [u64; 32],
    sp: u64,
    v: [u128; 32],
    sp_el: [u64; 3],
    pc: u64,
    pstate: Pstate,
    sr: Vec<u64>,
    excl: Option<(u64, u8)>,
    event: bool,
    insns: u64,
    cycles: u64,
    exceptions: u64,
    left: u64,
}

impl Snap {
    fn take(&mut self, c: &Cpu, left: u64) {
        self.x = c.x;
        self.sp = c.sp;
        self.v = c.v;
        self.sp_el = c.sp_el;
        self.pc = c.pc;
        self.pstate = c.pstate;
        self.sr.clear();
        self.sr.extend_from_slice(c.sr.values());
        self.excl = c.excl;
        self.event = c.event;
        self.insns = c.insns;
        self.cycles = c.cycles;
        self.exceptions = c.exceptions;
        self.left = left;
    }

    fn put(&self, c: &mut Cpu) {
        c.x = self.x;
        c.sp = self.sp;
        c.v = self.v;
        c.sp_el = self.sp_el;
        c.pc = self.pc;
        c.pstate = self.pstate;
        c.sr.values_mut().copy_from_slice(&self.sr);
        c.excl = self.excl;
        c.event = self.event;
        c.insns = self.insns;
        c.cycles = self.cycles;
        c.exceptions = self.exceptions;
        c.seg_pc = self.pc;
    }

    /// Lines naming each field that differs from `o` (`self` compiled, `o` interpreted).
    fn diff(&self, o: &Snap) -> Vec<String> {
        let mut d = Vec::new();
        let mut f = |name: String, a: String, b: String| {
            if a != b {
                d.push(format!("  {name:<18} compiled {a:<22} interpreter {b}"));
            }
        };
        for n in 0..31 {
            f(format!("X{n}"), hex(self.x[n]), hex(o.x[n]));
        }
        f("SP".into(), hex(self.sp), hex(o.sp));
        for n in 0..32 {
            f(
                format!("V{n}"),
                format!("{:#x}", self.v[n]),
                format!("{:#x}", o.v[n]),
            );
        }
        for n in 0..3 {
            f(format!("SP_EL{n}"), hex(self.sp_el[n]), hex(o.sp_el[n]));
        }
        f("PC".into(), hex(self.pc), hex(o.pc));
        f(
            "PSTATE".into(),
            format!("{:?}", self.pstate),
            format!("{:?}", o.pstate),
        );
        for (i, (a, b)) in self.sr.iter().zip(&o.sr).enumerate() {
            let name = crate::sysreg::SYSREGS.get(i).map_or("?", |r| r.name);
            f(name.into(), hex(*a), hex(*b));
        }
        f(
            "exclusive monitor".into(),
            format!("{:?}", self.excl),
            format!("{:?}", o.excl),
        );
        f(
            "event register".into(),
            self.event.to_string(),
            o.event.to_string(),
        );
        f(
            "instructions".into(),
            self.insns.to_string(),
            o.insns.to_string(),
        );
        f(
            "cycles".into(),
            self.cycles.to_string(),
            o.cycles.to_string(),
        );
        f(
            "exceptions".into(),
            self.exceptions.to_string(),
            o.exceptions.to_string(),
        );
        f(
            "steps left".into(),
            self.left.to_string(),
            o.left.to_string(),
        );
        d
    }

    /// The general registers, SP, PC, PSTATE and the counts, four to a line.
    fn dump(&self, out: &mut String) {
        for row in 0..8 {
            out.push_str("   ");
            for n in row * 4..(row * 4 + 4).min(31) {
                let _ = write!(out, " X{n:<2} {:#018x}", self.x[n]);
            }
            if row == 7 {
                let _ = write!(out, " SP  {:#018x}", self.sp);
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "    PC {:#x}  NZCV {:04b}  EL{}  instructions {}  cycles {}",
            self.pc,
            self.pstate.nzcv >> 28,
            self.pstate.el,
            self.insns,
            self.cycles
        );
    }
}

fn hex(v: u64) -> String {
    format!("{v:#x}")
}

/// Check state of one PE's JIT.
#[derive(Default)]
pub(crate) struct Check {
    /// Whether stores are being logged (a run is being checked).
    logging: bool,
    /// (RAM offset of an 8-byte word, its value before the store), in store order.
    undo: Vec<(u64, u64)>,
    /// Things a run did that cannot be put back (see the module doc), counted.
    effects: u64,
    /// The states before a run, after compiled code and after the interpreter (kept to
    /// reuse their buffers).
    snaps: [Snap; 3],
    /// The report of the first difference, once found.
    pub(crate) report: Option<String>,
    /// A deliberate fault for the check's own tests (`Cpu::jit_check_sabotage`).
    sabotage: Option<Sabotage>,
}

/// What [`Cpu::jit_check_sabotage`] makes a compiled run get wrong.
#[derive(Clone, Copy, Debug)]
pub enum Sabotage {
    /// Flip bit 0 of X`n` after the run.
    Register(u8),
    /// Flip bit 0 of the first word the run stored to (a run with no store is left
    /// alone; the next one with a store gets it).
    Store,
}

impl Check {
    fn log(&mut self, ram: &mmu::GuestRam, off: u64, len: u64) {
        let mut w = off & !7;
        while w < off + len {
            self.undo.push((w, ram.read_le(w, 8)));
            w += 8;
        }
    }
}

/// How a run ended, for comparing: a fault from linking the next page is the same
/// exception at the same point as one from the instruction.
fn same(a: &End, b: &End) -> bool {
    let norm = |e: &End| match e {
        End::Link(x) => End::Exc(*x),
        e => *e,
    };
    norm(a) == norm(b)
}

impl Cpu {
    /// Turn `--jit-check` on (the JIT must be on): false if it is off.
    pub fn set_jit_check(&mut self) -> bool {
        let Some(jit) = self.jit.as_deref_mut() else {
            return false;
        };
        jit.check = Some(Box::default());
        self.dcache.cool();
        self.fast_observed = true;
        true
    }

    /// The report of the difference `--jit-check` found, if it found one.
    pub fn jit_check_report(&self) -> Option<&str> {
        self.jit.as_deref()?.check.as_deref()?.report.as_deref()
    }

    /// For the check's own tests: make the next checked compiled run end wrong (as a
    /// miscompiled block would), so that the check must report it.
    #[doc(hidden)]
    pub fn jit_check_sabotage(&mut self, s: Sabotage) {
        if let Some(c) = self.check_state() {
            c.sabotage = Some(s);
        }
    }

    fn check_state(&mut self) -> Option<&mut Check> {
        self.jit.as_deref_mut()?.check.as_deref_mut()
    }

    /// Whether `--jit-check` is on.
    pub(crate) fn jit_checking(&self) -> bool {
        self.jit.as_deref().is_some_and(|j| j.check.is_some())
    }

    /// A store of `len` bytes at RAM offset `off` is about to be made (the memory fast
    /// path reports it while the check is on): log the words' old values.
    #[cold]
    #[inline(never)]
    pub(crate) fn jit_log_store(&mut self, ram: &mmu::GuestRam, off: u64, len: u64) {
        if let Some(c) = self.check_state() {
            if c.logging {
                c.log(ram, off, len);
            }
        }
    }

    /// Something a checked run cannot put back happened (see the module doc).
    #[cold]
    #[inline(never)]
    pub(crate) fn jit_effect(&mut self) {
        if let Some(c) = self.check_state() {
            c.effects += 1;
        }
    }

    /// Start (`on`) or stop logging stores; the effects counted so far.
    fn check_logging(&mut self, on: bool) -> u64 {
        match self.check_state() {
            Some(c) => {
                c.logging = on;
                if on {
                    c.undo.clear();
                }
                c.effects
            }
            None => 0,
        }
    }

    /// [`Cpu::jit_run`] under `--jit-check`.
    pub(super) fn jit_run_checked<B: Platform>(
        &mut self,
        bus: &mut B,
        b: &Block,
        left: &mut u64,
    ) -> JitRun {
        let Some(c) = self.check_state() else {
            return self.jit_run(bus, b, left);
        };
        let mut snaps = std::mem::take(&mut c.snaps);
        let r = self.checked(bus, b, left, &mut snaps);
        if let Some(c) = self.check_state() {
            c.snaps = snaps;
        }
        r
    }

    fn checked<B: Platform>(
        &mut self,
        bus: &mut B,
        b: &Block,
        left: &mut u64,
        snaps: &mut [Snap; 3],
    ) -> JitRun {
        let [before, compiled, now] = snaps;
        let link = (self.dcache.tag, self.dcache.cur, self.dcache.cur_pa);
        let left0 = *left;
        before.take(self, left0);
        let effects = self.check_logging(true);
        // One block at a time (its chaining code runs, but finds no steps left), so that
        // a block that cannot be undone leaves the others checked.
        let mut steps = b.len as u64;
        let end = self.jit_exec(bus, b, &mut steps);
        *left -= b.len as u64 - steps;
        let changed = self.check_logging(false) != effects;
        let Some(end) = end else {
            return JitRun::Interpret;
        };
        if changed {
            if let Some(j) = self.jit.as_deref_mut() {
                j.stats.check_skipped += 1;
            }
            return self.jit_finish(bus, end, left);
        }
        let ram = bus.ram();
        let Some(c) = self.jit.as_deref_mut().and_then(|j| j.check.as_deref_mut()) else {
            return self.jit_finish(bus, end, left);
        };
        match c.sabotage.take() {
            Some(Sabotage::Register(n)) => self.x[n as usize % 31] ^= 1,
            Some(Sabotage::Store) if !c.undo.is_empty() => {
                let w = c.undo[0].0;
                ram.write_le(w, 8, ram.read_le(w, 8) ^ 1);
            }
            s => c.sabotage = s,
        }
        // What compiled code left in the words it stored to; then memory as before.
        let mut words: BTreeMap<u64, u64> = c
            .undo
            .iter()
            .map(|&(w, _)| (w, ram.read_le(w, 8)))
            .collect();
        for &(w, old) in c.undo.iter().rev() {
            ram.write_le(w, 8, old);
        }
        // Steps the run used, as the interpreter counts them (a fault is one).
        let jit_left = *left - matches!(end, End::Link(_)) as u64;
        compiled.take(self, jit_left);
        before.put(self);
        (self.dcache.tag, self.dcache.cur, self.dcache.cur_pa) = link;
        // The interpreter, one instruction at a time, over the same instructions.
        let retired = compiled.insns - before.insns;
        self.check_logging(true);
        let (ref_end, steps, ran) = self.reference(bus, retired, &end);
        self.check_logging(false);
        now.take(self, left0 - steps);
        let ram = bus.ram();
        let Some(c) = self.check_state() else {
            return self.jit_finish(bus, end, left);
        };
        // Words only the interpreter stored to: compiled code left their old value.
        for &(w, old) in c.undo.iter().rev() {
            words.entry(w).or_insert(old);
        }
        let mut diff = Vec::new();
        if !same(&end, &ref_end) {
            diff.push(format!(
                "  run ended          compiled {end:?}\n                     interpreter {ref_end:?}"
            ));
        }
        if compiled != now {
            diff.extend(compiled.diff(now));
        }
        for (&w, &v) in &words {
            let r = ram.read_le(w, 8);
            if r != v {
                let pa = ram.base() + w;
                diff.push(format!(
                    "  RAM {pa:#x}{:pad$} compiled {v:<#22x} interpreter {r:#x}",
                    "",
                    pad = 14usize.saturating_sub(format!("{pa:#x}").len())
                ));
            }
        }
        if diff.is_empty() {
            if let Some(j) = self.jit.as_deref_mut() {
                j.stats.check_runs += 1;
                j.stats.check_insns += retired;
            }
            return self.jit_finish(bus, end, left);
        }
        let report = self.check_report(b, [before, compiled, now], &ran, &diff);
        if let Some(c) = self.check_state() {
            c.report = Some(report);
        }
        JitRun::Exit(Exit::JitMismatch)
    }

    /// Run `retired` instructions through the interpreter from the restored state, then
    /// the one compiled code faulted on, if it did: how that ended, the steps used and
    /// the instructions run (PC, encoding).
    fn reference<B: Platform>(
        &mut self,
        bus: &mut B,
        retired: u64,
        jit: &End,
    ) -> (End, u64, Vec<(u64, u32)>) {
        let total = retired + matches!(jit, End::Exc(_) | End::Link(_)) as u64;
        let (mut end, mut ran) = (End::Ran, Vec::new());
        for k in 0..total {
            let pc = self.pc;
            let r = self.step_one(bus);
            ran.push((pc, self.raw_at(pc)));
            match r {
                Ok(None) => continue,
                Ok(Some(x)) => end = End::Exit(x),
                Err(e) => end = End::Exc(e),
            }
            if k + 1 != total {
                return (end, k + 1, ran);
            }
        }
        (end, total, ran)
    }

    /// The decoded encoding at `pc` if it is on the linked page, else 0.
    fn raw_at(&self, pc: u64) -> u32 {
        if self.dcache.tag != pc & !0xffc {
            return 0;
        }
        self.dcache.slots[self.dcache.cur][((pc >> 2) & 0x3ff) as usize].raw
    }

    fn check_report(
        &self,
        b: &Block,
        [before, compiled, now]: [&mut Snap; 3],
        ran: &[(u64, u32)],
        diff: &[String],
    ) -> String {
        let mut s = format!(
            "jit-check: CPU {}: compiled code and the interpreter differ after a run from PC \
             {:#x} (the block at {:#x} of {} instructions, and any it chained to)\n",
            self.cfg.index, before.pc, b.va, b.len
        );
        s.push_str("differences:\n");
        for d in diff {
            let _ = writeln!(s, "{d}");
        }
        s.push_str("instructions the interpreter ran (PC: encoding):\n");
        let skip = ran.len().saturating_sub(64);
        if skip > 0 {
            let _ = writeln!(s, "  ({skip} before these)");
        }
        for (pc, raw) in &ran[skip..] {
            let _ = writeln!(s, "  {pc:#x}: {raw:08x}");
        }
        for (what, snap) in [
            ("before the run", &*before),
            ("after compiled code", &*compiled),
            ("after the interpreter", &*now),
        ] {
            let _ = writeln!(s, "state {what}:");
            snap.dump(&mut s);
        }
        s
    }
}
