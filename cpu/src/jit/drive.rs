//! How the run loop uses the JIT: heat counting at block starts, compiling, running a
//! compiled block and accounting for it exactly as the interpreter would have.

use super::{status, Block, Jit, JitStats, COMPILED, NEVER, THRESHOLD};
use crate::exc::Exc;
use crate::flow::Exit;
use crate::platform::Platform;
use crate::state::Cpu;

/// What [`Cpu::jit_block`] did.
pub(crate) enum JitRun {
    /// Nothing: the interpreter runs the block.
    Interpret,
    /// A compiled block ran (and may have taken an exception).
    Ran,
    /// A compiled block ran and an instruction asks the board for attention.
    Exit(Exit),
}

impl Cpu {
    /// Turn the JIT on or off (`--jit`); false if this host has none.
    pub fn set_jit(&mut self, on: bool) -> bool {
        self.jit = if on { Jit::new() } else { None };
        self.dcache.cool();
        !on || self.jit.is_some()
    }

    /// JIT statistics, when the JIT is on.
    pub fn jit_stats(&self) -> Option<JitStats> {
        self.jit.as_ref().map(|j| j.stats)
    }

    /// At a block start (PC on the linked page): run its compiled block if there is one
    /// that fits the budget, else count the start and compile it once hot.
    #[inline(always)]
    pub(crate) fn jit_block<B: Platform>(&mut self, bus: &mut B, left: &mut u64) -> JitRun {
        let (cur, i) = (self.dcache.cur, ((self.pc >> 2) & 0x3ff) as usize);
        let h = self.dcache.heat[cur][i];
        // Compiled code's fast path reports nothing: observed accesses stay interpreted
        // (but for `--jit-check`, whose compiled code reports its stores).
        if h == NEVER || self.fast_observed && !self.jit_checking() {
            return JitRun::Interpret;
        }
        if h & COMPILED != 0 {
            let Some(jit) = self.jit.as_deref() else {
                return JitRun::Interpret;
            };
            let b = jit.blocks[(h & !COMPILED) as usize];
            if b.va != self.pc || b.len as u64 > *left {
                return JitRun::Interpret;
            }
            if self.fast_observed {
                return self.jit_run_checked(bus, &b, left);
            }
            return self.jit_run(bus, &b, left);
        }
        if h < THRESHOLD {
            self.dcache.heat[cur][i] = h + 1;
        } else {
            self.jit_compile::<B>(cur, i);
        }
        JitRun::Interpret
    }

    #[cold]
    #[inline(never)]
    fn jit_compile<B: Platform>(&mut self, cur: usize, i: usize) {
        let len = super::block_len(&self.dcache.slots[cur], i);
        if len == 0 {
            self.dcache.heat[cur][i] = NEVER;
            return;
        }
        let Some(jit) = self.jit.as_deref_mut() else {
            return;
        };
        let t0 = std::time::Instant::now();
        let (slots, chain) = (&self.dcache.slots[cur][..], &self.dcache.chain[cur]);
        let mut block = super::compile::<B>(jit, slots, i, len, self.pc, chain);
        if block.is_none() {
            // The buffer is full: start over.
            if !jit.flush() {
                self.jit = None;
                self.dcache.cool();
                return;
            }
            self.dcache.cool();
            let (slots, chain) = (&self.dcache.slots[cur][..], &self.dcache.chain[cur]);
            block = super::compile::<B>(jit, slots, i, len, self.pc, chain);
        }
        jit.stats.compile_seconds += t0.elapsed().as_secs_f64();
        let Some(b) = block else {
            self.dcache.heat[cur][i] = NEVER;
            return;
        };
        jit.stats.blocks += 1;
        self.dcache.heat[cur][i] = COMPILED | jit.blocks.len() as u32;
        self.dcache.chain[cur][i] = b.entry;
        jit.blocks.push(b);
    }

    /// Run compiled block `b` (and the blocks it chains to) and account for what they did
    /// as the interpreter would; then take the exception a faulting instruction raised or
    /// pass on the exit an instruction asked for.
    pub(super) fn jit_run<B: Platform>(
        &mut self,
        bus: &mut B,
        b: &Block,
        left: &mut u64,
    ) -> JitRun {
        match self.jit_exec(bus, b, left) {
            Some(end) => self.jit_finish(bus, end, left),
            None => JitRun::Interpret,
        }
    }

    /// Run compiled block `b` and the blocks it chains to: retire what they ran (the
    /// instructions and their cycles; a faulting instruction takes one step of `left`)
    /// and say how the run ended (None: nothing ran).
    #[inline]
    pub(super) fn jit_exec<B: Platform>(
        &mut self,
        bus: &mut B,
        b: &Block,
        left: &mut u64,
    ) -> Option<End> {
        self.seg_pc = self.pc;
        let base = self.jit.as_deref()?.code.base;
        let ran = super::enter(self, bus, base, b, *left);
        let (s, k, n) = (ran.result & 0xff, ran.result >> 8, ran.n);
        let jit = self.jit.as_deref_mut()?;
        if s == status::END {
            jit.stats.jit_insns += n.insns;
            self.retire(n.insns - n.done_insns, n.cycles - n.done_cycles);
            *left = n.left;
            return match ran.out.link {
                Some(e) => Some(End::Link(e)),
                None if n.insns == 0 => None,
                None => Some(End::Ran),
            };
        }
        // The instruction at index k of the running block faulted (it does not retire)
        // or retired last; the block had taken its whole length off the steps left.
        let cur = jit.blocks[n.cur as usize];
        let done = if s == status::EXC { k } else { k + 1 };
        let insns = n.insns + done;
        let cycles = n.cycles + jit.prefix[(cur.prefix as u64 + done) as usize] as u64;
        jit.stats.jit_insns += insns;
        self.retire(insns - n.done_insns, cycles - n.done_cycles);
        *left = n.left + cur.len as u64 - (k + 1);
        Some(match (s, ran.out.exc, ran.out.exit) {
            (status::EXC, Some(e), _) => End::Exc(e),
            (status::EXIT, _, Some(x)) => End::Exit(x),
            _ => End::Ran,
        })
    }

    /// What follows a run of compiled code that ended with `end`.
    #[inline]
    pub(super) fn jit_finish<B: Platform>(
        &mut self,
        bus: &mut B,
        end: End,
        left: &mut u64,
    ) -> JitRun {
        match end {
            End::Ran => JitRun::Ran,
            End::Exc(e) => {
                self.enter(bus, e);
                JitRun::Ran
            }
            End::Link(e) => match self.link_fault(bus, e, left) {
                Ok(_) => JitRun::Ran,
                Err(x) => JitRun::Exit(x),
            },
            End::Exit(x) => JitRun::Exit(x),
        }
    }
}

/// How a run of compiled code ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum End {
    /// Its blocks ran; PC is the next instruction.
    Ran,
    /// An instruction raised this exception (not taken yet; one step is counted).
    Exc(Exc),
    /// Linking the next page raised this exception (not taken yet, nor counted).
    Link(Exc),
    /// The last instruction retired and asks the board for this.
    Exit(Exit),
}
