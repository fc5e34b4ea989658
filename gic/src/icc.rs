//! Names and encodings of the ICC_* system registers the GIC implements, so
//! the CPU's MRS/MSR decoder can hand us a register without knowing the GIC.
//! The EL3 registers (ICC_CTLR_EL3, ICC_SRE_EL3, ICC_IGRPEN1_EL3) are absent
//! because the board has no EL3; their encodings decode to `None`.

/// A GIC CPU-interface system register (the `_EL1` names are also what EL2
/// software uses; they are not redirected by HCR_EL2.E2H).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IccReg {
    /// ICC_PMR_EL1: priority mask.
    Pmr,
    /// ICC_IAR0_EL1: acknowledge a Group 0 interrupt.
    Iar0,
    /// ICC_IAR1_EL1: acknowledge a Group 1 interrupt.
    Iar1,
    /// ICC_EOIR0_EL1: end of a Group 0 interrupt.
    Eoir0,
    /// ICC_EOIR1_EL1: end of a Group 1 interrupt.
    Eoir1,
    /// ICC_HPPIR0_EL1: highest-priority pending Group 0 interrupt.
    Hppir0,
    /// ICC_HPPIR1_EL1: highest-priority pending Group 1 interrupt.
    Hppir1,
    /// ICC_BPR0_EL1: Group 0 binary point.
    Bpr0,
    /// ICC_BPR1_EL1: Group 1 binary point.
    Bpr1,
    /// ICC_DIR_EL1: deactivate (when ICC_CTLR_EL1.EOImode = 1).
    Dir,
    /// ICC_RPR_EL1: running priority.
    Rpr,
    /// ICC_SGI0R_EL1: generate Group 0 SGIs.
    Sgi0r,
    /// ICC_SGI1R_EL1: generate Group 1 SGIs.
    Sgi1r,
    /// ICC_ASGI1R_EL1: generate SGIs for the other Security state.
    Asgi1r,
    /// ICC_CTLR_EL1: EOI mode, common binary point, and the RO ID fields.
    Ctlr,
    /// ICC_SRE_EL1: system-register enable, RAO/WI here.
    SreEl1,
    /// ICC_SRE_EL2: system-register enable and the EL1 SRE trap control.
    SreEl2,
    /// ICC_IGRPEN0_EL1: Group 0 enable.
    Igrpen0,
    /// ICC_IGRPEN1_EL1: Group 1 enable.
    Igrpen1,
    /// `ICC_AP0R<n>_EL1`, n = 0..=3: Group 0 active priorities.
    Ap0r(u8),
    /// `ICC_AP1R<n>_EL1`, n = 0..=3: Group 1 active priorities.
    Ap1r(u8),
}

/// Whether an ICC register may be read, written, or both. An MRS of a
/// write-only register (or MSR of a read-only one) is UNDEFINED; the CPU
/// model decides that from this before calling into the GIC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IccAccess {
    /// MRS only.
    ReadOnly,
    /// MSR only.
    WriteOnly,
    /// Both.
    ReadWrite,
}

impl IccReg {
    /// Every register, for building the CPU's system-register table.
    pub const ALL: [IccReg; 27] = [
        IccReg::Pmr,
        IccReg::Iar0,
        IccReg::Iar1,
        IccReg::Eoir0,
        IccReg::Eoir1,
        IccReg::Hppir0,
        IccReg::Hppir1,
        IccReg::Bpr0,
        IccReg::Bpr1,
        IccReg::Dir,
        IccReg::Rpr,
        IccReg::Sgi0r,
        IccReg::Sgi1r,
        IccReg::Asgi1r,
        IccReg::Ctlr,
        IccReg::SreEl1,
        IccReg::SreEl2,
        IccReg::Igrpen0,
        IccReg::Igrpen1,
        IccReg::Ap0r(0),
        IccReg::Ap0r(1),
        IccReg::Ap0r(2),
        IccReg::Ap0r(3),
        IccReg::Ap1r(0),
        IccReg::Ap1r(1),
        IccReg::Ap1r(2),
        IccReg::Ap1r(3),
    ];

    /// Decode an MRS/MSR system-register encoding (op0, op1, CRn, CRm, op2).
    pub fn from_encoding(op0: u32, op1: u32, crn: u32, crm: u32, op2: u32) -> Option<IccReg> {
        use IccReg::*;
        Some(match (op0, op1, crn, crm, op2) {
            (3, 0, 4, 6, 0) => Pmr,
            (3, 0, 12, 8, 0) => Iar0,
            (3, 0, 12, 8, 1) => Eoir0,
            (3, 0, 12, 8, 2) => Hppir0,
            (3, 0, 12, 8, 3) => Bpr0,
            (3, 0, 12, 8, n @ 4..=7) => Ap0r((n - 4) as u8),
            (3, 0, 12, 9, n @ 0..=3) => Ap1r(n as u8),
            (3, 0, 12, 11, 1) => Dir,
            (3, 0, 12, 11, 3) => Rpr,
            (3, 0, 12, 11, 5) => Sgi1r,
            (3, 0, 12, 11, 6) => Asgi1r,
            (3, 0, 12, 11, 7) => Sgi0r,
            (3, 0, 12, 12, 0) => Iar1,
            (3, 0, 12, 12, 1) => Eoir1,
            (3, 0, 12, 12, 2) => Hppir1,
            (3, 0, 12, 12, 3) => Bpr1,
            (3, 0, 12, 12, 4) => Ctlr,
            (3, 0, 12, 12, 5) => SreEl1,
            (3, 0, 12, 12, 6) => Igrpen0,
            (3, 0, 12, 12, 7) => Igrpen1,
            (3, 4, 12, 9, 5) => SreEl2,
            _ => return None,
        })
    }

    /// The encoding (op0, op1, CRn, CRm, op2); the inverse of
    /// [`IccReg::from_encoding`]. `Ap0r`/`Ap1r` indices are taken modulo 4.
    pub fn encoding(self) -> (u32, u32, u32, u32, u32) {
        use IccReg::*;
        match self {
            Pmr => (3, 0, 4, 6, 0),
            Iar0 => (3, 0, 12, 8, 0),
            Eoir0 => (3, 0, 12, 8, 1),
            Hppir0 => (3, 0, 12, 8, 2),
            Bpr0 => (3, 0, 12, 8, 3),
            Ap0r(n) => (3, 0, 12, 8, 4 + u32::from(n % 4)),
            Ap1r(n) => (3, 0, 12, 9, u32::from(n % 4)),
            Dir => (3, 0, 12, 11, 1),
            Rpr => (3, 0, 12, 11, 3),
            Sgi1r => (3, 0, 12, 11, 5),
            Asgi1r => (3, 0, 12, 11, 6),
            Sgi0r => (3, 0, 12, 11, 7),
            Iar1 => (3, 0, 12, 12, 0),
            Eoir1 => (3, 0, 12, 12, 1),
            Hppir1 => (3, 0, 12, 12, 2),
            Bpr1 => (3, 0, 12, 12, 3),
            Ctlr => (3, 0, 12, 12, 4),
            SreEl1 => (3, 0, 12, 12, 5),
            Igrpen0 => (3, 0, 12, 12, 6),
            Igrpen1 => (3, 0, 12, 12, 7),
            SreEl2 => (3, 4, 12, 9, 5),
        }
    }

    /// Read/write permission of the register.
    pub fn access(self) -> IccAccess {
        use IccReg::*;
        match self {
            Iar0 | Iar1 | Hppir0 | Hppir1 | Rpr => IccAccess::ReadOnly,
            Eoir0 | Eoir1 | Dir | Sgi0r | Sgi1r | Asgi1r => IccAccess::WriteOnly,
            _ => IccAccess::ReadWrite,
        }
    }

    /// Lowest Exception level allowed to access the register (1 or 2).
    /// Trapping and ICV_* redirection under HCR_EL2.IMO/FMO are the CPU's
    /// business; this is only the architectural floor.
    pub fn min_el(self) -> u8 {
        match self {
            IccReg::SreEl2 => 2,
            _ => 1,
        }
    }
}
