//! Typed MMU faults and their fault status codes.

/// The kind of MMU fault a translation produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// Address size fault: an input, table or output address exceeds the configured size.
    AddressSize,
    /// Translation fault: invalid descriptor, address out of range, walk disabled.
    Translation,
    /// Access flag fault: a Block or Page descriptor with AF == 0 and no hardware AF update.
    AccessFlag,
    /// Permission fault.
    Permission,
    /// Synchronous External abort on a translation table walk or on the hardware update of
    /// a descriptor.
    SyncExternalOnWalk,
}

/// An MMU fault, with everything the exception code needs to build ESR/FAR/HPFAR.
///
/// `level` is the lookup level the Arm ARM says is reported for the fault: the level of the
/// descriptor that faulted, level 0 for faults detected before the walk starts (IA out of
/// range, invalid TxSZ, EPDn, TTBR address size), and the Block/Page level for Permission
/// faults (I GQYCH in D8.4.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fault {
    /// What went wrong.
    pub kind: FaultKind,
    /// Lookup level, -1..=3 (-1 only with 52-bit features, which are not implemented yet).
    pub level: i8,
    /// Translation stage that faulted: 1 or 2.
    pub stage: u8,
    /// A stage 2 fault taken on a stage 1 translation table walk (ESR_ELx.ISS.S1PTW).
    pub s1ptw: bool,
    /// The faulting IPA (for HPFAR_EL2) when the fault is a stage 2 fault.
    pub ipa: Option<u64>,
}

impl Fault {
    /// A stage 1 fault at `level`.
    pub const fn stage1(kind: FaultKind, level: i8) -> Self {
        Self {
            kind,
            level,
            stage: 1,
            s1ptw: false,
            ipa: None,
        }
    }

    /// A stage 2 fault at `level` on the translation of `ipa` (not on a stage 1 walk: see
    /// [`Fault::on_s1_walk`]). `ipa` is what HPFAR_EL2.FIPA reports (its bits \[51:12\]).
    pub const fn stage2(kind: FaultKind, level: i8, ipa: u64) -> Self {
        Self {
            kind,
            level,
            stage: 2,
            s1ptw: false,
            ipa: Some(ipa),
        }
    }

    /// This stage 2 fault happened while translating the IPA of a stage 1 translation table
    /// access: sets `s1ptw` (ESR_EL2.ISS.S1PTW). A stage 1 fault is returned unchanged.
    pub const fn on_s1_walk(self) -> Self {
        let mut f = self;
        if f.stage == 2 {
            f.s1ptw = true;
        }
        f
    }

    /// The Data/Instruction Fault Status Code (ESR_ELx.ISS.DFSC / IFSC, bits \[5:0\]).
    ///
    /// Encodings from DDI0487 ESR_ELx, "ISS encoding for an exception from a Data Abort"
    /// (DFSC) and "... from an Instruction Abort" (IFSC); the same table is repeated for
    /// TRBSR_EL1.MSS.FSC (H9.4.30):
    ///
    /// | code       | fault                                                      |
    /// |------------|------------------------------------------------------------|
    /// | 0b0000nn   | Address size fault, level n (level 0 includes the TTBR)    |
    /// | 0b0001nn   | Translation fault, level n                                 |
    /// | 0b0010nn   | Access flag fault, level n (level 0 only with FEAT_LPA2)   |
    /// | 0b0011nn   | Permission fault, level n (level 0 only with FEAT_LPA2)    |
    /// | 0b0101nn   | Synchronous External abort on walk or hardware update, level n |
    /// | 0b101001   | Address size fault, level -1 (FEAT_LPA2)                   |
    /// | 0b101011   | Translation fault, level -1 (FEAT_LPA2)                    |
    /// | 0b010011   | Synchronous External abort on walk, level -1 (FEAT_LPA2)   |
    ///
    /// A level outside -1..=3 (never produced by the walker) is clamped into that range so
    /// the result is always a defined code of the right kind.
    pub fn fsc(&self) -> u32 {
        let level = self.level.clamp(-1, 3);
        if level < 0 {
            return match self.kind {
                FaultKind::AddressSize => 0b10_1001,
                FaultKind::Translation => 0b10_1011,
                FaultKind::SyncExternalOnWalk => 0b01_0011,
                // No level -1 code exists for these: report level 0.
                FaultKind::AccessFlag => 0b00_1000,
                FaultKind::Permission => 0b00_1100,
            };
        }
        let base = match self.kind {
            FaultKind::AddressSize => 0b00_0000,
            FaultKind::Translation => 0b00_0100,
            FaultKind::AccessFlag => 0b00_1000,
            FaultKind::Permission => 0b00_1100,
            FaultKind::SyncExternalOnWalk => 0b01_0100,
        };
        base | level as u32
    }
}
