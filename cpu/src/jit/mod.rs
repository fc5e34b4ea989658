//! The JIT (DESIGN.md §10): straight-line runs of the block interpreter that executed
//! often enough are compiled to host code (x86-64 only; other hosts keep the block
//! interpreter). A compiled block runs from its first PC up to a branch (its last
//! instruction), a PC trigger, an undecoded slot or the end of the page. Other
//! block-ending instructions (system registers, barriers, maintenance, exception
//! generation) run inside it through their handlers, with the counts retired first as
//! the interpreter does before them. The counts are exact by construction: each block
//! adds its instruction count and cycle sum (the decoded slots' costs, as the interpreter
//! would) as it ends, and a stop inside a block adds the prefix up to the instruction.
//!
//! Simple integer operations are emitted inline on the register file; every other
//! instruction calls its interpreter handler through one helper, with PC stored first.
//! A helper that faults, asks the board for attention or unlinks the page (the one exit
//! flag) ends the block where it is.
//!
//! Blocks are found through the decoded-instruction cache: each slot has a heat word
//! (executions counted up to [`THRESHOLD`], then the compiled block's index), and the
//! cache drops heat together with the decodes (self-modifying code, IC IALLU, triggers),
//! so a compiled block never outlives the decodes it came from. The code buffer is
//! bounded: when full, every block is dropped and compilation starts over.

mod check;
mod drive;
#[cfg(target_arch = "x86_64")]
mod x64;
#[cfg(target_arch = "x86_64")]
mod x64_mem;

pub use check::Sabotage;
pub(crate) use drive::JitRun;

use crate::a64::Op;
use crate::decode_cache::{Decoded, SLOTS};
use crate::exc::Exc;
use crate::flow::Exit;

/// Executions of a block start in the interpreter before it is compiled.
pub(crate) const THRESHOLD: u32 = 32;
/// Heat word of a slot whose block is compiled: this bit plus the block's index.
pub(crate) const COMPILED: u32 = 1 << 31;
/// Heat word of a slot where no block can start (a block-ending instruction).
pub(crate) const NEVER: u32 = u32::MAX;

/// Why compiled code returned (low byte of its result; for a stop inside a block, the
/// instruction's index in that block above it).
pub(crate) mod status {
    /// Blocks ran to their end; PC is the next instruction.
    pub const END: u64 = 0;
    /// The instruction raised an exception (not taken yet; it did not retire).
    pub const EXC: u64 = 1;
    /// The instruction retired and asks the board for attention; PC is after it.
    pub const EXIT: u64 = 2;
    /// The instruction retired and unlinked the page (or branched); PC is set.
    pub const STOP: u64 = 3;
}

/// What the block's helpers leave for the run loop.
pub(crate) struct Outcome {
    pub(crate) exc: Option<Exc>,
    pub(crate) exit: Option<Exit>,
    /// An exception from linking the next page (taken as the run loop's link would).
    pub(crate) link: Option<Exc>,
}

/// One compiled block.
#[derive(Clone, Copy)]
pub(crate) struct Block {
    /// Offset of its code in the buffer.
    pub(crate) code: usize,
    /// Address of its chained entry (where other blocks jump in, past the prologue).
    pub(crate) entry: usize,
    /// The virtual address it was compiled for (PC-relative results are baked in).
    pub(crate) va: u64,
    /// Instructions in it.
    pub(crate) len: u32,
    /// Where the block's cycle prefix sums start in `Jit::prefix` (the cycles of its
    /// first k instructions at `prefix + k`).
    pub(crate) prefix: u32,
}

/// JIT statistics for `--stats`.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct JitStats {
    /// Blocks compiled.
    pub blocks: u64,
    /// Host seconds spent compiling.
    pub compile_seconds: f64,
    /// Instructions retired in compiled blocks.
    pub jit_insns: u64,
    /// Times the code buffer filled up and every block was dropped.
    pub flushes: u64,
    /// Host code bytes emitted.
    pub code_bytes: u64,
    /// `--jit-check`: compiled runs the interpreter ran again and agreed with.
    pub check_runs: u64,
    /// `--jit-check`: instructions in those runs.
    pub check_insns: u64,
    /// `--jit-check`: compiled runs not run again (they did what cannot be undone: a
    /// table walk, a device access, a system instruction, ...).
    pub check_skipped: u64,
}

impl JitStats {
    /// Both PEs' figures added.
    pub fn sum(&self, o: &JitStats) -> JitStats {
        JitStats {
            blocks: self.blocks + o.blocks,
            compile_seconds: self.compile_seconds + o.compile_seconds,
            jit_insns: self.jit_insns + o.jit_insns,
            flushes: self.flushes + o.flushes,
            code_bytes: self.code_bytes + o.code_bytes,
            check_runs: self.check_runs + o.check_runs,
            check_insns: self.check_insns + o.check_insns,
            check_skipped: self.check_skipped + o.check_skipped,
        }
    }
}

/// The JIT of one PE.
pub(crate) struct Jit {
    #[cfg(target_arch = "x86_64")]
    pub(crate) code: x64::CodeBuffer,
    pub(crate) blocks: Vec<Block>,
    /// Cycle prefix sums of every block (see `Block::prefix`).
    pub(crate) prefix: Vec<u32>,
    pub(crate) stats: JitStats,
    /// `--jit-check`, when on.
    pub(crate) check: Option<Box<check::Check>>,
}

impl Jit {
    /// A JIT for this host, or None where there is none.
    pub(crate) fn new() -> Option<Box<Self>> {
        #[cfg(target_arch = "x86_64")]
        {
            Some(Box::new(Self {
                code: x64::CodeBuffer::new()?,
                blocks: Vec::new(),
                prefix: Vec::new(),
                stats: JitStats::default(),
                check: None,
            }))
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            None
        }
    }
}

impl Jit {
    /// Forget every block (the code buffer is full); false if no new buffer could be had.
    pub(crate) fn flush(&mut self) -> bool {
        self.blocks.clear();
        self.prefix.clear();
        self.stats.flushes += 1;
        #[cfg(target_arch = "x86_64")]
        {
            self.code.reset()
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            true
        }
    }
}

/// Whether this host has a JIT.
pub fn supported() -> bool {
    cfg!(target_arch = "x86_64")
}

/// The instructions a block starting at slot `first` of `page` would hold: up to the
/// first branch (which is the block's last), trigger or undecoded slot, or the page end.
/// Other block-ending instructions run inside the block through their handlers, with
/// the counts retired first (they may read them); one that changes what compiled code
/// relies on (translation, interrupts, PSTATE, the code itself) unlinks the page, and
/// the block stops after it.
pub(crate) fn block_len(page: &[Decoded; SLOTS], first: usize) -> usize {
    use crate::decode_cache::SENTINEL;
    let mut n = 0;
    for d in &page[first..] {
        if d.op == Op::NotDecoded || d.flags & SENTINEL != 0 {
            break;
        }
        n += 1;
        if is_branch(d.op) {
            break;
        }
    }
    n
}

/// The branches compiled code evaluates (they change only PC, and BL/BLR X30; the
/// interpreter keeps ERET and the rest of the block-ending instructions).
pub(crate) fn is_branch(op: Op) -> bool {
    matches!(
        op,
        Op::B
            | Op::BL
            | Op::B_cond
            | Op::CBZ
            | Op::CBNZ
            | Op::TBZ
            | Op::TBNZ
            | Op::BR
            | Op::BLR
            | Op::RET
    )
}

#[cfg(target_arch = "x86_64")]
pub(crate) use x64::{compile, enter};
