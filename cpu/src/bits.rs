//! Leaf architectural constants the whole core uses: exception classes (ESR_ELx.EC) and
//! the HCR_EL2 bits (Arm ARM D24.2 HCR_EL2). Nothing here depends on any other module.

/// Exception classes (ESR_ELx.EC) used by the core.
pub mod ec {
    /// Unknown reason: UNDEFINED instructions.
    pub const UNKNOWN: u8 = 0x00;
    /// Trapped WFI/WFE.
    pub const WFX: u8 = 0x01;
    /// Access to SIMD or floating-point functionality trapped by CPACR_EL1.FPEN or
    /// CPTR_EL2.TFP.
    pub const FP_ACCESS: u8 = 0x07;
    /// Illegal Execution state.
    pub const ILLEGAL_STATE: u8 = 0x0e;
    /// SVC in AArch64.
    pub const SVC64: u8 = 0x15;
    /// HVC in AArch64.
    pub const HVC64: u8 = 0x16;
    /// SMC in AArch64 (trapped by HCR_EL2.TSC).
    pub const SMC64: u8 = 0x17;
    /// Trapped MSR, MRS or System instruction.
    pub const SYSREG: u8 = 0x18;
    /// Instruction abort from a lower EL.
    pub const IABT_LOWER: u8 = 0x20;
    /// Instruction abort from the current EL.
    pub const IABT_SAME: u8 = 0x21;
    /// PC alignment fault.
    pub const PC_ALIGN: u8 = 0x22;
    /// Data abort from a lower EL.
    pub const DABT_LOWER: u8 = 0x24;
    /// Data abort from the current EL.
    pub const DABT_SAME: u8 = 0x25;
    /// SP alignment fault.
    pub const SP_ALIGN: u8 = 0x26;
    /// SError exception.
    pub const SERROR: u8 = 0x2f;
    /// Breakpoint exception from a lower EL.
    pub const BKPT_LOWER: u8 = 0x30;
    /// Breakpoint exception from the current EL.
    pub const BKPT_SAME: u8 = 0x31;
    /// Software Step exception from a lower EL.
    pub const SSTEP_LOWER: u8 = 0x32;
    /// Software Step exception from the current EL.
    pub const SSTEP_SAME: u8 = 0x33;
    /// Watchpoint exception from a lower EL.
    pub const WPT_LOWER: u8 = 0x34;
    /// Watchpoint exception from the current EL.
    pub const WPT_SAME: u8 = 0x35;
    /// BRK instruction.
    pub const BRK: u8 = 0x3c;
}

/// HCR_EL2 bits the core consults.
pub(crate) const HCR_TGE: u64 = 1 << 27;
/// FEAT_RAS: route synchronous External aborts from EL0/EL1 to EL2.
pub(crate) const HCR_TEA: u64 = 1 << 37;
pub(crate) const HCR_E2H: u64 = 1 << 34;
pub(crate) const HCR_TSC: u64 = 1 << 19;
pub(crate) const HCR_HCD: u64 = 1 << 29;
pub(crate) const HCR_FMO: u64 = 1 << 3;
pub(crate) const HCR_IMO: u64 = 1 << 4;
pub(crate) const HCR_AMO: u64 = 1 << 5;
pub(crate) const HCR_VF: u64 = 1 << 6;
pub(crate) const HCR_VI: u64 = 1 << 7;
pub(crate) const HCR_VSE: u64 = 1 << 8;
pub(crate) const HCR_VM: u64 = 1 << 0;
pub(crate) const HCR_PTW: u64 = 1 << 2;
pub(crate) const HCR_DC: u64 = 1 << 12;
pub(crate) const HCR_FB: u64 = 1 << 9;
pub(crate) const HCR_TWI: u64 = 1 << 13;
pub(crate) const HCR_TWE: u64 = 1 << 14;
pub(crate) const HCR_TID1: u64 = 1 << 16;
pub(crate) const HCR_TID2: u64 = 1 << 17;
pub(crate) const HCR_TID3: u64 = 1 << 18;
pub(crate) const HCR_TIDCP: u64 = 1 << 20;
pub(crate) const HCR_TACR: u64 = 1 << 21;
pub(crate) const HCR_TSW: u64 = 1 << 22;
pub(crate) const HCR_TPCP: u64 = 1 << 23;
pub(crate) const HCR_TPU: u64 = 1 << 24;
pub(crate) const HCR_TTLB: u64 = 1 << 25;
pub(crate) const HCR_TVM: u64 = 1 << 26;
pub(crate) const HCR_TDZ: u64 = 1 << 28;
pub(crate) const HCR_TRVM: u64 = 1 << 30;
/// FEAT_S2FWB: stage 2 forces the memory type.
pub(crate) const HCR_FWB: u64 = 1 << 46;
/// FEAT_MTE2: EL0/EL1 may access allocation tags (and their registers).
pub(crate) const HCR_ATA: u64 = 1 << 56;
/// FEAT_MTE2: EL1 reads of GMID_EL1 trap to EL2.
pub(crate) const HCR_TID5: u64 = 1 << 58;
