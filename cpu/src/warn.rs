//! Warnings to the user about guest behaviour hypsim answers architecturally but the user
//! should know of (an UNDEFINED encoding, an access to an unmapped address, ...): printed
//! once per (kind, PC), counted every time, and summarised at exit, so a guest looping
//! over the same fault prints one line, not one per iteration.

use crate::state::Cpu;
use std::collections::HashMap;

/// What a warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WarnKind {
    /// An encoding hypsim treats as UNDEFINED.
    Undefined,
    /// A SYS operation that is not implemented.
    SysNotImplemented,
    /// An instruction fetch from a PA that is not RAM.
    FetchNotRam,
    /// A data read from an unmapped physical address.
    UnmappedRead,
    /// A data write to an unmapped physical address.
    UnmappedWrite,
}

/// Counts per (kind, PC).
#[derive(Default)]
pub(crate) struct Warnings {
    seen: HashMap<(WarnKind, u64), u64>,
}

impl Cpu {
    /// Count a warning of `kind` at the current PC and print `msg` the first time this PC
    /// raises it. Returns whether it was printed.
    #[cold]
    pub(crate) fn warn_once(&mut self, kind: WarnKind, msg: std::fmt::Arguments) -> bool {
        let pc = self.pc;
        let n = self.warnings.seen.entry((kind, pc)).or_insert(0);
        *n += 1;
        if *n == 1 {
            tracing::warn!(
                cpu = self.cfg.index,
                pc = format_args!("{pc:#x}"),
                el = self.pstate.el,
                "{msg}"
            );
        }
        *n == 1
    }

    /// Every warning raised so far: (kind, PC, times), sorted, for the summary at exit.
    pub fn warning_counts(&self) -> Vec<(WarnKind, u64, u64)> {
        let mut v: Vec<_> = self
            .warnings
            .seen
            .iter()
            .map(|(&(k, pc), &n)| (k, pc, n))
            .collect();
        v.sort();
        v
    }
}
