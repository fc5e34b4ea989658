//! How an instruction, and a run, end: the flow types every handler and the run loop
//! share. They sit low in the crate: they name only the exception value and plain data.

use crate::exc::Exc;

/// Why `Cpu::run` returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The step budget ran out.
    Budget,
    /// A firmware call (PSCI/SMCCC) through the conduit; PC already points after it.
    /// The board answers in X0..X3 and resumes.
    FirmwareCall,
    /// WFI: the PE waits for an interrupt; PC points after the WFI.
    Wfi,
    /// WFE with the event register clear; PC points after the WFE.
    Wfe,
    /// SEV: the board sets every PE's event register.
    Sev,
    /// YIELD: a hint that this PE spins waiting for another; the board lets the next
    /// PE run (as QEMU's round-robin TCG does), so a spin-wait for another CPU's work
    /// ends within its bound instead of using up the whole slice.
    Yield,
    /// A TLBI of the Inner Shareable domain, already applied here: the board applies it
    /// to every other PE.
    TlbiBroadcast(crate::regime::TlbiOp),
    /// Execution reached a PC trigger (`Cpu::set_pc_trigger`); the instruction there has
    /// not executed. `Cpu::resume_from_trigger` lets it run on.
    Trigger,
    /// The PE keeps faulting on the fetch of its own exception vector (e.g. VBAR_ELx
    /// points at memory that is not RAM): nothing it does can make progress.
    VectorLoop,
    /// `--jit-check` found compiled code and the interpreter disagreeing
    /// (`Cpu::jit_check_report` says how); the machine stops.
    JitMismatch,
}

/// How an instruction completed.
pub(crate) enum Step {
    /// Fall through to PC + 4.
    Next,
    /// The handler set PC.
    Branch,
}

/// Why an instruction did not complete normally.
pub(crate) enum Stop {
    /// A synchronous exception (the instruction does not retire).
    Exc(Exc),
    /// The instruction retired, and the board must act before execution continues.
    Exit(Exit),
}

impl From<Exc> for Stop {
    #[inline(always)]
    fn from(e: Exc) -> Self {
        Stop::Exc(e)
    }
}

/// Result of every handler.
pub(crate) type Flow = Result<Step, Stop>;
