//! An exception about to be taken: its vector entry, typed syndrome, FAR, target EL and
//! the IPA for HPFAR_EL2, with one constructor per class. Taking it is
//! `crate::exception`'s job.

use crate::syndrome::{AbortStatus, Syndrome};

/// Which entry of the vector table an exception uses (D1.10.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExcKind {
    /// Synchronous (offset 0x000): writes ESR and, for some classes, FAR.
    Sync,
    /// IRQ (offset 0x080): no syndrome.
    Irq,
    /// FIQ (offset 0x100): no syndrome.
    Fiq,
    /// SError (offset 0x180): writes ESR (EC 0x2F), never FAR.
    SError,
}

/// An exception about to be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exc {
    /// Vector entry.
    pub kind: ExcKind,
    /// What ESR_ELx will say (EC and ISS are encoded when the exception is taken).
    pub syndrome: Syndrome,
    /// FAR_ELx value, for the classes that set it.
    pub far: Option<u64>,
    /// Target EL, or `None` for the default routing of this class.
    pub target: Option<u8>,
    /// Return address is the next instruction (SVC/HVC) rather than this one.
    pub after: bool,
    /// The faulting IPA of a stage 2 abort, for HPFAR_EL2.
    pub ipa: Option<u64>,
}

impl Exc {
    /// A synchronous exception with `syndrome`, routed by default.
    pub const fn sync(syndrome: Syndrome) -> Self {
        Self {
            kind: ExcKind::Sync,
            syndrome,
            far: None,
            target: None,
            after: false,
            ipa: None,
        }
    }

    /// ESR_ELx.EC as taken to the same EL (aborts from a lower EL use the other form).
    pub fn ec(&self) -> u8 {
        self.syndrome.ec(false)
    }

    /// ESR_ELx.ISS.
    pub fn iss(&self) -> u32 {
        self.syndrome.iss()
    }

    /// A physical IRQ or FIQ taken to `el`.
    pub const fn interrupt(kind: ExcKind, el: u8) -> Self {
        Self {
            kind,
            target: Some(el),
            ..Self::sync(Syndrome::None)
        }
    }

    /// Add the instruction syndrome (ESR ISS\[24:14\], ISV = 1) to a stage 2 data abort
    /// that is not on a stage 1 walk, when the decoded instruction qualifies (see
    /// [`crate::syndrome::isv`]).
    pub(crate) fn with_instruction(mut self, op: crate::a64::Op, raw: u32) -> Self {
        if let Syndrome::DataAbort {
            status: AbortStatus::Walk(f),
            isv,
            ..
        } = &mut self.syndrome
        {
            // No syndrome for an External abort on the walk: "When FEAT_RAS is
            // implemented, ISV is 0 for any synchronous External abort" (ESR_ELx.ISV).
            let external = f.kind == mmu::walk::FaultKind::SyncExternalOnWalk;
            if f.stage == 2 && !f.s1ptw && !external {
                *isv = crate::syndrome::isv(op, raw);
            }
        }
        self
    }

    /// An SError (physical or virtual) with syndrome `iss`, taken to `el`.
    pub const fn serror(iss: u32, el: u8) -> Self {
        Self {
            kind: ExcKind::SError,
            target: Some(el),
            ..Self::sync(Syndrome::SError(iss))
        }
    }

    /// UNDEFINED instruction (EC 0x00, ISS 0).
    pub const fn undefined() -> Self {
        Self::sync(Syndrome::Unknown)
    }

    /// Data abort (`status`) at virtual address `va`; `wnr` = write. ISV = 0: there is no
    /// instruction syndrome for stage-1/PA faults (D23.2 ESR_ELx, ISS encoding for a Data
    /// Abort; see [`Exc::with_instruction`] for stage 2).
    pub fn data_abort(status: AbortStatus, va: u64, wnr: bool) -> Self {
        Self {
            far: Some(va),
            ..Self::sync(Syndrome::DataAbort {
                status,
                wnr,
                cm: false,
                isv: None,
                tag_access: false,
            })
        }
    }

    /// Instruction abort at `va`.
    pub fn insn_abort(status: AbortStatus, va: u64) -> Self {
        Self {
            far: Some(va),
            ..Self::sync(Syndrome::InsnAbort(status))
        }
    }

    /// Trap to `el`.
    pub fn to(mut self, el: u8) -> Self {
        self.target = Some(el);
        self
    }
}
