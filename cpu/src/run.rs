//! The execution loop: the block interpreter over the decoded-instruction cache
//! (crate::decode_cache), exception entry and PC triggers.

use crate::a64::{decode, dispatch, opflag, Op, OP_INFO};
use crate::decode_cache::{Decoded, EMPTY, NO_TAG, SENTINEL, SLOTS};
use crate::events::Event;
use crate::exc::{Exc, ExcKind};
use crate::exec::Exec;
use crate::flow::{Exit, Step, Stop};
use crate::jit::JitRun;
use crate::platform::Platform;
use crate::state::Cpu;
use crate::syndrome::{AbortStatus, Syndrome};
use crate::sysreg::SR;
use mmu::page_flag;

/// Consecutive faults on fetching an exception vector before the run gives up.
const VECTOR_LOOP_LIMIT: u32 = 16;

impl Cpu {
    /// Fetch and (if needed) decode the instruction at PC.
    #[inline(always)]
    fn fetch<B: Platform>(&mut self, bus: &mut B) -> Result<Decoded, Exc> {
        if self.pc & !0xffc != self.dcache.tag {
            self.link_page(bus)?;
        }
        let i = ((self.pc >> 2) & 0x3ff) as usize;
        let d = self.dcache.slots[self.dcache.cur][i];
        if d.op != Op::NotDecoded {
            return Ok(d);
        }
        let pa = self.dcache.cur_pa | (self.pc & 0xfff);
        // The linked page is a whole RAM page (RAM is a multiple of 4 KiB); should that
        // ever not hold, fault the fetch rather than crash the host.
        let Some(off) = bus.ram().offset(pa, 4) else {
            return Err(Exc::insn_abort(AbortStatus::SyncExternal, self.pc));
        };
        // A watched page is never cached: each execution fetches (and reports) again.
        let watched = bus.ram().page_flags(off) & page_flag::WATCH != 0;
        if watched {
            self.watched(bus, crate::WatchKind::Fetch, self.pc, pa, 4, None)?;
        }
        let raw = u32::from_le_bytes(bus.ram().read_at(off));
        let op = decode(raw);
        let info = &OP_INFO[op as usize];
        // Only the page offset decides, so that every VA mapping this physical page
        // sees the sentinel and checks its own address (`sentinel_hit`).
        let pc = self.pc;
        let marked = self.triggers.iter().any(|&t| (t ^ pc) & 0xffc == 0);
        let sentinel = if marked || self.armed.may_break(pc) {
            SENTINEL
        } else {
            0
        };
        let d = Decoded {
            raw,
            op,
            cost: self.op_cycles(info.class),
            flags: info.flags | sentinel,
        };
        if !watched {
            self.dcache.slots[self.dcache.cur][i] = d;
        }
        Ok(d)
    }

    /// Slow path of `fetch`: PSTATE.IL and PC alignment checks, then find the page.
    #[cold]
    #[inline(never)]
    pub(crate) fn link_page<B: Platform>(&mut self, bus: &mut B) -> Result<(), Exc> {
        if let Some(irq) = self.pending_interrupt() {
            return Err(irq);
        }
        if self.pstate.il {
            // D1.4.4: executing with PSTATE.IL set is an Illegal Execution state exception.
            return Err(Exc::sync(Syndrome::IllegalState));
        }
        if self.pc & 3 != 0 {
            return Err(Exc {
                far: Some(self.pc),
                ..Exc::sync(Syndrome::PcAlign)
            });
        }
        if let Some((off, slot)) = self.fast.exec(self.pc) {
            // Linked before in this translation context (the jump cache).
            let ram = bus.ram();
            if ram.code_epoch() == self.dcache.epoch && ram.page_flags(off) & page_flag::CODE != 0 {
                self.dcache.link(self.pc, ram.base() + off, slot);
                return Ok(());
            }
        }
        let pa = self
            .translate(bus, self.pc, mmu::walk::AccessKind::Exec, false)?
            .pa;
        let ram = bus.ram();
        if ram.code_epoch() != self.dcache.epoch {
            self.dcache.epoch = ram.code_epoch();
            self.dcache.flush();
        }
        let Some(off) = ram.offset(pa, 4) else {
            let pc = self.pc;
            self.warn_once(
                crate::warn::WarnKind::FetchNotRam,
                format_args!("instruction fetch from {pc:#x} (PA {pa:#x}), which is not RAM: instruction abort"),
            );
            return Err(Exc::insn_abort(AbortStatus::SyncExternal, self.pc));
        };
        if ram.mark_code(off) {
            // Fast-path write entries may cover this page: stores must see the flag.
            self.fast.flush();
            self.fast.flag_gen = ram.flag_gen();
        }
        let page = pa >> 12;
        let n = self.dcache.slots.len();
        let cur = *self.dcache.pages.entry(page).or_insert(n);
        if cur == n {
            self.dcache.slots.push(Box::new([EMPTY; SLOTS]));
            self.dcache.heat.push(Box::new([0; SLOTS]));
            self.dcache.chain.push(Box::new([0; SLOTS]));
        }
        self.dcache.link(self.pc, pa, cur);
        self.fast.fill_exec(self.pc, off & !0xfff, cur);
        Ok(())
    }

    /// Run until `budget` steps (retired instructions plus exceptions taken) are used or
    /// something needs the board. Returns why it stopped.
    ///
    /// The block interpreter: from the linked code page, instructions run straight on
    /// (no page lookup, retired instructions and cycles added once per block) until one
    /// that ends a block (`opflag::ENDS_BLOCK`: branches, system instructions, ...), the
    /// end of the page or of the budget, or an unlink request (the one exit flag: an
    /// interrupt line, PSTATE or the code itself changed). Counters are brought up to date
    /// before any block-ending instruction executes, since those may read them (CNTPCT,
    /// PMU). A block that does not fit the budget simply stops early, so every stop point
    /// stays exact.
    pub fn run<B: Platform>(&mut self, bus: &mut B, budget: u64) -> Exit {
        let gen = bus.ram().flag_gen();
        if gen != self.fast.flag_gen {
            // Another PE (or the board) flagged a page since this one last ran.
            self.fast.flush();
            self.fast.flag_gen = gen;
        }
        if self.armed.step {
            return self.run_stepping(bus, budget);
        }
        if self.profiler.is_some() || self.spe_live() {
            return self.run_profiled(bus, budget);
        }
        self.run_unprofiled(bus, budget)
    }

    /// [`Self::run`] with `--spe-sample` or the guest's SPE live: slices end before each
    /// operation the host profiler samples, which runs alone through the one-instruction
    /// loop with the memory fast path reporting its hits (so that its data access is
    /// seen); everything between runs as usual. While the guest's SPE may profile, slices
    /// also end before the operation that reloads or samples PMSICR_EL1 and at every
    /// exception or change of EL (which decide whether operations count).
    fn run_profiled<B: Platform>(&mut self, bus: &mut B, budget: u64) -> Exit {
        let mut left = budget;
        while left != 0 {
            let until = self.until_sample().unwrap_or(u64::MAX);
            let guest = self.spe_live();
            // Operations the guest's SPE lets run on before one it must look at alone
            // (the flat model only: the detailed one runs one at a time anyway).
            let free = match guest {
                true if self.detailed.is_none() => self.spe_free_ops(),
                true => 0,
                false => u64::MAX,
            };
            if until == 0 || free == 0 {
                let guest = guest && self.spe_count_op();
                if until == 0 || guest {
                    self.begin_sample(until == 0, guest);
                }
                let x = self.run_detailed(bus, 1);
                if self.sampling() {
                    // Its fetch faulted: the next operation is sampled instead.
                    self.drop_sample();
                }
                left -= 1;
                if x != Exit::Budget {
                    return x;
                }
                continue;
            }
            let slice = left.min(until).min(free);
            let x = if guest {
                let (before, counting) = (self.steps(), self.spe_enabled_here());
                let x = self.run_blocks::<B, true>(bus, slice);
                let ops = self.steps() - before;
                if counting {
                    self.spe_count_ops(ops);
                }
                left -= ops;
                x
            } else {
                let x = self.run_unprofiled(bus, slice);
                left -= slice;
                x
            };
            if x != Exit::Budget {
                return x;
            }
        }
        Exit::Budget
    }

    fn run_unprofiled<B: Platform>(&mut self, bus: &mut B, budget: u64) -> Exit {
        if self.detailed.is_some() {
            return self.run_detailed(bus, budget);
        }
        self.run_blocks::<B, false>(bus, budget)
    }

    /// The block interpreter for up to `budget` steps; with `GUARD`, it also stops (with
    /// [`Exit::Budget`], the budget not used up) after the first exception or change of
    /// EL, so that the guest SPE's counting, which depends on the EL, stays exact.
    #[inline(always)]
    fn run_blocks<B: Platform, const GUARD: bool>(&mut self, bus: &mut B, budget: u64) -> Exit {
        let (el, exceptions) = (self.pstate.el, self.exceptions);
        let mut left = budget;
        while left != 0 {
            if self.pc & !0xffc != self.dcache.tag {
                match self.link_or_enter(bus, &mut left) {
                    Ok(true) => {}
                    Ok(false) if GUARD => return Exit::Budget,
                    Ok(false) => continue,
                    Err(x) => return x,
                }
            }
            if !GUARD && self.jit.is_some() {
                match self.jit_block(bus, &mut left) {
                    JitRun::Interpret => {}
                    JitRun::Ran => continue,
                    JitRun::Exit(x) => return x,
                }
            }
            if let Some(x) = self.run_block(bus, &mut left) {
                return x;
            }
            if GUARD && (self.pstate.el != el || self.exceptions != exceptions) {
                return Exit::Budget;
            }
        }
        Exit::Budget
    }

    /// One block from PC on the linked page (see [`Self::run`]); `left` is the budget.
    #[inline(always)]
    fn run_block<B: Platform>(&mut self, bus: &mut B, left: &mut u64) -> Option<Exit> {
        let cur = self.dcache.cur;
        self.seg_pc = self.pc;
        let mut i = ((self.pc >> 2) & 0x3ff) as usize;
        let max = (*left).min((SLOTS - i) as u64);
        let (mut done, mut n, mut cyc) = (0u64, 0u64, 0u64);
        let exit = loop {
            let mut d = self.dcache.slots[cur][i];
            if d.op == Op::NotDecoded {
                d = match self.fetch(bus) {
                    Ok(d) => d,
                    Err(e) => {
                        self.retire(n, cyc);
                        *left -= done + 1;
                        self.enter(bus, e);
                        return None;
                    }
                };
            }
            if d.flags & (opflag::ENDS_BLOCK | SENTINEL) != 0 {
                self.retire(n, cyc);
                (n, cyc) = (0, 0);
                if d.flags & SENTINEL != 0 {
                    match self.sentinel_hit(bus) {
                        None => {}
                        Some(Err(x)) => {
                            *left -= done;
                            return Some(x);
                        }
                        Some(Ok(e)) => {
                            *left -= done + 1;
                            self.enter(bus, e);
                            return None;
                        }
                    }
                }
            }
            match dispatch(&mut Exec { cpu: self, bus }, d.op, d.raw) {
                Ok(Step::Next) => {
                    self.pc = self.pc.wrapping_add(4);
                    (done, n, cyc) = (done + 1, n + 1, cyc + d.cost as u64);
                    i += 1;
                    if done == max || d.flags & opflag::ENDS_BLOCK != 0 || self.dcache.tag == NO_TAG
                    {
                        break None;
                    }
                }
                Ok(Step::Branch) => {
                    (done, n, cyc) = (done + 1, n + 1, cyc + d.cost as u64);
                    break None;
                }
                Err(Stop::Exc(e)) => {
                    self.retire(n, cyc);
                    *left -= done + 1;
                    self.enter(bus, e.with_instruction(d.op, d.raw));
                    return None;
                }
                Err(Stop::Exit(x)) => {
                    self.pc = self.pc.wrapping_add(4);
                    (done, n, cyc) = (done + 1, n + 1, cyc + d.cost as u64);
                    break Some(x);
                }
            }
        };
        self.retire(n, cyc);
        *left -= done;
        exit
    }

    /// Link the page of PC (it is not the linked one). Ok(true): linked; Ok(false): the
    /// fetch faulted and the exception was taken (one step of `left`); Err: the run is
    /// stuck faulting on its exception vector.
    #[cold]
    fn link_or_enter<B: Platform>(&mut self, bus: &mut B, left: &mut u64) -> Result<bool, Exit> {
        let Err(e) = self.link_page(bus) else {
            return Ok(true);
        };
        self.link_fault(bus, e, left)
    }

    /// Take `e`, raised by linking the page of PC (one step of `left`); Err: the run is
    /// stuck faulting on its exception vector.
    #[cold]
    pub(crate) fn link_fault<B: Platform>(
        &mut self,
        bus: &mut B,
        e: Exc,
        left: &mut u64,
    ) -> Result<bool, Exit> {
        *left -= 1;
        if self.pc == self.last_vector {
            self.vector_faults += 1;
            if self.vector_faults > VECTOR_LOOP_LIMIT {
                return Err(Exit::VectorLoop);
            }
        }
        self.enter(bus, e);
        Ok(false)
    }

    /// [`Self::run`] under the `detailed` timing model: one instruction at a time, each
    /// fetch, data access and branch shown to the model, which prices the instruction.
    /// Software step (crate::debug) runs its single instructions here too (flat model:
    /// each priced at its slot's cost).
    #[inline(never)]
    pub(crate) fn run_detailed<B: Platform>(&mut self, bus: &mut B, budget: u64) -> Exit {
        let mut left = budget;
        while left != 0 {
            if self.pc & !0xffc != self.dcache.tag {
                match self.link_or_enter(bus, &mut left) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(x) => return x,
                }
            }
            self.seg_pc = self.pc;
            left -= 1;
            let d = match self.fetch(bus) {
                Ok(d) => d,
                Err(e) => {
                    self.enter(bus, e);
                    continue;
                }
            };
            if d.flags & SENTINEL != 0 {
                match self.sentinel_hit(bus) {
                    None => {}
                    Some(Err(x)) => return x,
                    Some(Ok(e)) => {
                        self.enter(bus, e);
                        continue;
                    }
                }
            }
            let pc = self.pc;
            let pa = self.dcache.cur_pa | (pc & 0xfff);
            self.model_fetch(bus, pa);
            let r = dispatch(&mut Exec { cpu: self, bus }, d.op, d.raw);
            let next = match r {
                Ok(Step::Next) | Err(Stop::Exit(_)) => pc.wrapping_add(4),
                Ok(Step::Branch) => self.pc,
                Err(Stop::Exc(e)) => {
                    if let Some(m) = self.detailed.as_deref_mut() {
                        m.abort();
                    }
                    if self.sampling() {
                        self.end_sample(bus, d.op, d.raw, d.cost, pc, true);
                    }
                    self.enter(bus, e.with_instruction(d.op, d.raw));
                    continue;
                }
            };
            self.pc = next;
            let branch = crate::timing::branch_kind(d.op, d.flags)
                .map(|k| (k, next != pc.wrapping_add(4), next));
            let cycles = match self.detailed.as_deref_mut() {
                Some(m) => m.retire(pc, d.raw, d.cost, branch),
                None => d.cost as u64,
            };
            self.retire(1, cycles);
            if self.sampling() {
                self.end_sample(bus, d.op, d.raw, d.cost, next, false);
            }
            if let Err(Stop::Exit(x)) = r {
                return x;
            }
        }
        Exit::Budget
    }

    /// Retired instructions and cycles as of the instruction now executing: the block
    /// interpreter adds its sums only at block ends, so inside a block this adds the
    /// straight-line run from the last commit (`seg_pc`) to PC, from the decoded slots'
    /// costs. For slow paths (watched accesses) that must report exact counts.
    pub(crate) fn exact_counts(&self) -> (u64, u64) {
        let (pc, seg) = (self.pc, self.seg_pc);
        if pc & !0xfff != seg & !0xfff || pc < seg || self.dcache.tag != pc & !0xfff {
            return (self.insns, self.cycles);
        }
        let (a, b) = (((seg >> 2) & 0x3ff) as usize, ((pc >> 2) & 0x3ff) as usize);
        let cycles: u64 = self.dcache.slots[self.dcache.cur][a..b]
            .iter()
            .map(|d| d.cost as u64)
            .sum();
        (self.insns + (b - a) as u64, self.cycles + cycles)
    }

    #[cold]
    pub(crate) fn enter<B: Platform>(&mut self, bus: &mut B, e: Exc) {
        self.charge_exception();
        self.exceptions += 1;
        let from = self.pc;
        let from_el = self.pstate.el;
        // A trigger being resumed from applies to that instruction only, not to a later
        // visit after the exception.
        self.trigger_resume = None;
        let physical_before = self.serror.is_some();
        self.take_exception(e);
        let physical_serror = e.kind == ExcKind::SError && physical_before && self.serror.is_none();
        if from != self.last_vector {
            self.vector_faults = 0;
        }
        self.last_vector = self.pc;
        let to_el = self.pstate.el;
        let (esr, elr) = if to_el == 2 {
            (SR::ESR_EL2, SR::ELR_EL2)
        } else {
            (SR::ESR_EL1, SR::ELR_EL1)
        };
        let writes_esr = matches!(e.kind, ExcKind::Sync | ExcKind::SError);
        bus.on_event(
            self.cfg.index,
            Event::ExceptionEntry {
                kind: e.kind,
                esr: if writes_esr { self.sr.get(esr) } else { 0 },
                from_el,
                to_el,
                elr: self.sr.get(elr),
                vector: self.pc,
                far: e.far,
                physical_serror,
            },
        );
    }

    /// A sentinel slot at PC (its page offset matches a trigger or a breakpoint; the
    /// address itself is checked here): `Err(Exit::Trigger)` if a trigger fires (the
    /// trigger being resumed from runs on once), else `Ok` with the Breakpoint
    /// exception if an armed breakpoint matches.
    #[cold]
    fn sentinel_hit<B: Platform>(&mut self, bus: &mut B) -> Option<Result<Exc, Exit>> {
        let resumed = self.trigger_resume.take() == Some(self.pc);
        if !resumed && self.triggers.contains(&self.pc) {
            bus.on_event(self.cfg.index, Event::Trigger { pc: self.pc });
            return Some(Err(Exit::Trigger));
        }
        self.breakpoint_at_pc().map(Ok)
    }

    /// Stop before executing the instruction at virtual address `va` (`on`), or stop
    /// doing so: for debugger breakpoints and injection at a PC. The decoded-instruction
    /// cache carries a sentinel there, so other code runs at full speed.
    pub fn set_pc_trigger(&mut self, va: u64, on: bool) {
        self.triggers.retain(|&t| t != va);
        if on {
            self.triggers.push(va);
        }
        self.dcache.flush();
    }

    /// Take a Synchronous External abort on fetching the instruction at PC (an
    /// Instruction Abort, IFSC 0b010000, FAR = PC), as if memory had returned an error:
    /// fault injection at a PC trigger.
    pub fn take_fetch_external_abort<B: Platform>(&mut self, bus: &mut B) {
        self.enter(bus, Exc::insn_abort(AbortStatus::SyncExternal, self.pc));
    }

    /// After [`Exit::Trigger`]: execute the instruction at PC when the run resumes.
    pub fn resume_from_trigger(&mut self) {
        self.trigger_resume = Some(self.pc);
    }

    /// Execute exactly one instruction (for tests and the difftest runner). Returns
    /// `Ok(exit)` if it completed, `Err(exc)` if it raised a synchronous exception (which
    /// is *not* taken: the state is as before the instruction).
    pub fn step_one<B: Platform>(&mut self, bus: &mut B) -> Result<Option<Exit>, Exc> {
        self.seg_pc = self.pc;
        let d = self.fetch(bus)?;
        let exit = match dispatch(&mut Exec { cpu: self, bus }, d.op, d.raw) {
            Ok(Step::Next) => {
                self.pc = self.pc.wrapping_add(4);
                None
            }
            Ok(Step::Branch) => None,
            Err(Stop::Exc(e)) => return Err(e.with_instruction(d.op, d.raw)),
            // It completed and asks the board for attention: it retired all the same.
            Err(Stop::Exit(x)) => {
                self.pc = self.pc.wrapping_add(4);
                Some(x)
            }
        };
        // With the `detailed` model the slot holds the class, not a cost: it does not
        // price single steps.
        let cycles = if self.detailed.is_some() {
            1
        } else {
            d.cost as u64
        };
        self.retire(1, cycles);
        Ok(exit)
    }

    /// Retired instructions plus exceptions taken: the measure of progress that
    /// `--max-insns` bounds (a guest looping through exceptions still uses it up).
    pub fn steps(&self) -> u64 {
        self.insns + self.exceptions
    }

    /// Drop every decoded instruction (IC IALLU and friends).
    pub(crate) fn flush_decoded(&mut self) {
        self.dcache.flush();
    }
}
