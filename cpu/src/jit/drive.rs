//! How the run loop uses the JIT: heat counting at block starts, compiling, running a
//! compiled block and accounting for it exactly as the interpreter would have.

use super::{status, Block, Jit, JitStats, COMPILED, NEVER, THRESHOLD};
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
        // Compiled code's fast path reports nothing: observed accesses stay interpreted.
        if h == NEVER || self.fast_observed {
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
        let mut block = super::compile::<B>(jit, &self.dcache.slots[cur][..], i, len, self.pc);
        if block.is_none() {
            // The buffer is full: start over.
            if !jit.flush() {
                self.jit = None;
                self.dcache.cool();
                return;
            }
            self.dcache.cool();
            block = super::compile::<B>(jit, &self.dcache.slots[cur][..], i, len, self.pc);
        }
        jit.stats.compile_seconds += t0.elapsed().as_secs_f64();
        let Some(b) = block else {
            self.dcache.heat[cur][i] = NEVER;
            return;
        };
        jit.stats.blocks += 1;
        self.dcache.heat[cur][i] = COMPILED | jit.blocks.len() as u32;
        jit.blocks.push(b);
    }

    /// Run compiled block `b` and account for what it did as the interpreter would: its
    /// retired instructions and their cycles, the exception of a faulting instruction
    /// (one step of `left`), or the exit an instruction asked for.
    fn jit_run<B: Platform>(&mut self, bus: &mut B, b: &Block, left: &mut u64) -> JitRun {
        self.seg_pc = self.pc;
        let (r, out) = super::enter(self, bus, b);
        let (s, k) = (r & 0xff, r >> 8);
        let Some(jit) = self.jit.as_deref_mut() else {
            unreachable!("a block ran without a JIT");
        };
        if s == status::END {
            jit.stats.jit_insns += b.len as u64;
            self.retire(b.len as u64, b.cycles);
            *left -= b.len as u64;
            return JitRun::Ran;
        }
        // The instruction at index k faulted (it does not retire) or retired last.
        let done = if s == status::EXC { k } else { k + 1 };
        let cycles = jit.prefix[(b.prefix as u64 + done) as usize] as u64;
        jit.stats.jit_insns += done;
        self.retire(done, cycles);
        *left -= k + 1;
        match (s, out.exc, out.exit) {
            (status::EXC, Some(e), _) => {
                self.enter(bus, e);
                JitRun::Ran
            }
            (status::EXIT, _, Some(x)) => JitRun::Exit(x),
            _ => JitRun::Ran,
        }
    }
}
