//! Translation regimes and TLB maintenance operations: plain data shared by the
//! translation code, the instruction handlers, events and the board.

/// Translation regimes this PE has (D8.1.1): EL1&0, EL2 (HCR_EL2.E2H = 0) and EL2&0 (the
/// FEAT_VHE host, E2H = 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum RegimeId {
    /// EL1&0, TTBR0_EL1/TTBR1_EL1.
    El10 = 0,
    /// EL2, TTBR0_EL2.
    El2 = 1,
    /// EL2&0, TTBR0_EL2/TTBR1_EL2 with ASIDs (E2H = 1 at EL2, and at EL0 when TGE = 1).
    El20 = 2,
}

/// A TLB maintenance operation, as the board broadcasts it for the Inner Shareable forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlbiOp {
    /// Every entry of a regime (VMALLE1, ALLE1, VMALLS12E1, ALLE2).
    All(RegimeId),
    /// Entries of a regime covering `va`, for `asid` (None: any ASID), global ones always.
    Va {
        /// Regime.
        regime: RegimeId,
        /// Tag-free VA (sign-extended from bit 55).
        va: u64,
        /// ASID to match, or None for all ASIDs.
        asid: Option<u16>,
    },
    /// Non-global entries of an ASID in a regime with ASIDs (EL1&0 or EL2&0).
    Asid(RegimeId, u16),
    /// Entries that went through stage 2 (IPAS2E1*: entries are not indexed by IPA, so
    /// every two-stage entry goes, a permitted over-invalidation).
    Stage2,
}
