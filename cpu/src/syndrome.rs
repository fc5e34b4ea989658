//! Typed syndromes: one variant per exception class the core raises, carrying the fields
//! ESR_ELx reports (Arm ARM D23.2 ESR_ELx), turned into EC and ISS in one place
//! ([`Syndrome::ec`], [`Syndrome::iss`]) when the exception is taken. Translation faults
//! stay [`mmu::walk::Fault`] values until then.
//!
//! The instruction syndrome of a stage 2 Data Abort (ISS\[24:14\], ISV = 1) comes from the
//! decoded operation ([`isv`]): only loads and stores of a single general-purpose
//! register without writeback qualify, including the acquire/release and unprivileged
//! forms; never exclusives, pairs, atomics, SIMD&FP registers or anything with writeback
//! (the hypervisor then decodes the instruction itself, as KVM does for ISV = 0).

use crate::a64::Op;
use crate::bits::ec;
use mmu::walk::Fault;

/// Why a data or instruction access aborted (ESR_ELx.ISS.DFSC / IFSC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbortStatus {
    /// A translation fault of either stage (its kind, level and stage).
    Walk(Fault),
    /// Alignment fault (DFSC 0b100001).
    Alignment,
    /// Synchronous External abort, not on a translation table walk (0b010000).
    SyncExternal,
    /// Synchronous Tag Check Fault (FEAT_MTE2, 0b010001).
    TagCheck,
}

impl AbortStatus {
    /// Whether this is a Synchronous External abort (on a walk or not).
    pub fn is_external(&self) -> bool {
        match self {
            AbortStatus::Walk(f) => f.kind == mmu::walk::FaultKind::SyncExternalOnWalk,
            AbortStatus::Alignment | AbortStatus::TagCheck => false,
            AbortStatus::SyncExternal => true,
        }
    }

    /// The fault status code.
    pub fn fsc(&self) -> u32 {
        match self {
            AbortStatus::Walk(f) => f.fsc(),
            AbortStatus::Alignment => 0x21,
            AbortStatus::SyncExternal => 0x10,
            AbortStatus::TagCheck => 0x11,
        }
    }
}

/// The operands of a trapped MSR, MRS or System instruction (EC 0x18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SysRegTrap {
    /// op0 (1 for System instructions).
    pub op0: u32,
    /// op1.
    pub op1: u32,
    /// CRn.
    pub crn: u32,
    /// CRm.
    pub crm: u32,
    /// op2.
    pub op2: u32,
    /// Rt.
    pub rt: u32,
    /// Direction: MRS/SYSL (true) or MSR/SYS.
    pub read: bool,
}

/// The syndrome of an exception, by class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syndrome {
    /// IRQ or FIQ: no syndrome is written.
    None,
    /// Unknown reason (EC 0x00): UNDEFINED instructions.
    Unknown,
    /// Trapped WFI or WFE (EC 0x01).
    Wfx {
        /// WFE rather than WFI (TI).
        wfe: bool,
    },
    /// SIMD/FP access trapped by CPACR_EL1.FPEN or CPTR_EL2 (EC 0x07).
    FpAccess,
    /// Illegal Execution state (EC 0x0E).
    IllegalState,
    /// SVC (EC 0x15).
    Svc(u16),
    /// HVC (EC 0x16).
    Hvc(u16),
    /// SMC trapped by HCR_EL2.TSC (EC 0x17).
    Smc(u16),
    /// Trapped MSR, MRS or System instruction (EC 0x18).
    SysReg(SysRegTrap),
    /// Instruction Abort (EC 0x20 from a lower EL, 0x21 from the same EL).
    InsnAbort(AbortStatus),
    /// PC alignment fault (EC 0x22).
    PcAlign,
    /// Data Abort (EC 0x24 from a lower EL, 0x25 from the same EL).
    DataAbort {
        /// Fault status.
        status: AbortStatus,
        /// WnR: the access was a write (1 for cache maintenance and AT too).
        wnr: bool,
        /// CM: raised by a cache maintenance or address translation instruction.
        cm: bool,
        /// The instruction syndrome ISS\[24:14\] with ISV set, when it applies.
        isv: Option<u32>,
        /// ISS2.TagAccess (FEAT_MTE_PERM): a stage 2 Permission fault caused by the
        /// NoTagAccess attribute (ESR_EL2 bit 41).
        tag_access: bool,
    },
    /// SP alignment fault (EC 0x26).
    SpAlign,
    /// SError (EC 0x2F) with its ISS (IDS, AET, EA, DFSC).
    SError(u32),
    /// Breakpoint exception (EC 0x30 from a lower EL, 0x31 from the same EL).
    Breakpoint,
    /// Software Step exception (EC 0x32 / 0x33).
    SoftwareStep {
        /// ISV: the instruction before the exception was stepped, so `ex` is valid.
        isv: bool,
        /// EX: the stepped instruction was a Load-Exclusive.
        ex: bool,
    },
    /// Watchpoint exception (EC 0x34 / 0x35).
    Watchpoint {
        /// WnR: the access that matched was a write.
        wnr: bool,
        /// CM: raised by a cache maintenance instruction (DC ZVA).
        cm: bool,
    },
    /// BRK (EC 0x3C).
    Brk(u16),
}

impl Syndrome {
    /// Whether this is a data or instruction abort for a Synchronous External abort.
    pub fn is_external_abort(&self) -> bool {
        match self {
            Syndrome::DataAbort { status, .. } | Syndrome::InsnAbort(status) => {
                status.is_external()
            }
            _ => false,
        }
    }

    /// ESR_ELx.ISS2 (bits \[55:32\]): only TagAccess (ISS2 bit 9, FEAT_MTE_PERM) is set
    /// by anything hypsim implements.
    pub fn iss2(&self) -> u32 {
        match self {
            Syndrome::DataAbort {
                tag_access: true, ..
            } => 1 << 9,
            _ => 0,
        }
    }

    /// ESR_ELx.EC, for an exception taken from a lower EL (`lower`) or the same EL.
    pub fn ec(&self, lower: bool) -> u8 {
        match self {
            Syndrome::None | Syndrome::Unknown => ec::UNKNOWN,
            Syndrome::Wfx { .. } => ec::WFX,
            Syndrome::FpAccess => ec::FP_ACCESS,
            Syndrome::IllegalState => ec::ILLEGAL_STATE,
            Syndrome::Svc(_) => ec::SVC64,
            Syndrome::Hvc(_) => ec::HVC64,
            Syndrome::Smc(_) => ec::SMC64,
            Syndrome::SysReg(_) => ec::SYSREG,
            Syndrome::InsnAbort(_) if lower => ec::IABT_LOWER,
            Syndrome::InsnAbort(_) => ec::IABT_SAME,
            Syndrome::PcAlign => ec::PC_ALIGN,
            Syndrome::DataAbort { .. } if lower => ec::DABT_LOWER,
            Syndrome::DataAbort { .. } => ec::DABT_SAME,
            Syndrome::SpAlign => ec::SP_ALIGN,
            Syndrome::SError(_) => ec::SERROR,
            Syndrome::Breakpoint if lower => ec::BKPT_LOWER,
            Syndrome::Breakpoint => ec::BKPT_SAME,
            Syndrome::SoftwareStep { .. } if lower => ec::SSTEP_LOWER,
            Syndrome::SoftwareStep { .. } => ec::SSTEP_SAME,
            Syndrome::Watchpoint { .. } if lower => ec::WPT_LOWER,
            Syndrome::Watchpoint { .. } => ec::WPT_SAME,
            Syndrome::Brk(_) => ec::BRK,
        }
    }

    /// ESR_ELx.ISS (bits \[24:0\]).
    pub fn iss(&self) -> u32 {
        match *self {
            Syndrome::None
            | Syndrome::Unknown
            | Syndrome::FpAccess
            | Syndrome::IllegalState
            | Syndrome::PcAlign
            | Syndrome::SpAlign => 0,
            // CV = 1, COND = 0b1110 (AL), TI = 0 for WFI, 1 for WFE.
            Syndrome::Wfx { wfe } => (1 << 24) | (0xe << 20) | wfe as u32,
            Syndrome::Svc(imm) | Syndrome::Hvc(imm) | Syndrome::Smc(imm) | Syndrome::Brk(imm) => {
                imm as u32
            }
            // Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1],
            // Direction [0].
            Syndrome::SysReg(t) => {
                (t.op0 << 20)
                    | (t.op2 << 17)
                    | (t.op1 << 14)
                    | (t.crn << 10)
                    | (t.rt << 5)
                    | (t.crm << 1)
                    | t.read as u32
            }
            // S1PTW [7], IFSC [5:0].
            Syndrome::InsnAbort(s) => s1ptw(&s) | s.fsc(),
            // ISV..AR [24:14], CM [8], S1PTW [7], WnR [6], DFSC [5:0].
            Syndrome::DataAbort {
                status,
                wnr,
                cm,
                isv,
                ..
            } => {
                isv.unwrap_or(0)
                    | ((cm as u32) << 8)
                    | s1ptw(&status)
                    | ((wnr as u32) << 6)
                    | status.fsc()
            }
            Syndrome::SError(iss) => iss & 0x1ff_ffff,
            // IFSC / DFSC [5:0] = 0b100010, Debug exception.
            Syndrome::Breakpoint => DEBUG_FSC,
            // ISV [24], EX [6].
            Syndrome::SoftwareStep { isv, ex } => {
                ((isv as u32) << 24) | (((isv && ex) as u32) << 6) | DEBUG_FSC
            }
            // CM [8], WnR [6].
            Syndrome::Watchpoint { wnr, cm } => {
                ((cm as u32) << 8) | ((wnr as u32) << 6) | DEBUG_FSC
            }
        }
    }
}

/// The fault status code of debug exceptions (IFSC/DFSC 0b100010).
const DEBUG_FSC: u32 = 0x22;

fn s1ptw(s: &AbortStatus) -> u32 {
    match s {
        AbortStatus::Walk(f) => (f.s1ptw as u32) << 7,
        _ => 0,
    }
}

/// ISS\[24:14\] with ISV set — SAS (access size), SSE (sign-extending load), SRT (Rt), SF
/// (64-bit register), AR (acquire/release) — for the decoded operation `op` (encoding
/// `raw`), or `None` when it does not qualify.
pub(crate) fn isv(op: Op, raw: u32) -> Option<u32> {
    let size = raw >> 30; // size, bits [31:30], in every qualifying row
    let rt = raw & 0x1f; // rt, bits [4:0]
    let opc = (raw >> 22) & 3; // opc, bits [23:22], where the row has it
    let (sse, sf, ar) = match op {
        Op::LDST_uimm | Op::LDST_reg => plain(size, opc)?,
        // idx 00 (unscaled) and 10 (unprivileged); 01/11 write back.
        Op::LDST_imm9 if matches!((raw >> 10) & 3, 0b00 | 0b10) => plain(size, opc)?,
        Op::LDAR | Op::STLR | Op::LDLAR | Op::STLLR | Op::LDAPR => (false, size == 3, true),
        Op::LDAPUR => {
            let (sse, sf, _) = plain(size, opc)?;
            (sse, sf, true)
        }
        _ => return None,
    };
    Some(
        (1 << 24)
            | (size << 22)
            | ((sse as u32) << 21)
            | (rt << 16)
            | ((sf as u32) << 15)
            | ((ar as u32) << 14),
    )
}

/// (SSE, SF, AR) of a general-purpose load/store from `opc`: 00 store, 01 zero-extending
/// load, 10 sign-extending load into X (PRFM when size = 3: no abort syndrome), 11
/// sign-extending load into W (unallocated for size >= 2).
fn plain(size: u32, opc: u32) -> Option<(bool, bool, bool)> {
    match opc {
        0b00 | 0b01 => Some((false, size == 3, false)),
        0b10 if size < 3 => Some((true, true, false)),
        0b11 if size < 2 => Some((true, false, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::a64::decode;

    fn isv_of(raw: u32) -> Option<u32> {
        isv(decode(raw), raw)
    }

    /// Words from GNU as (aarch64-linux-gnu-as), with the ISS the Arm ARM field rules give.
    #[test]
    fn syndromes_of_known_encodings() {
        let isv = 1 << 24;
        // ldr x1, [x2]: SAS=3, SRT=1, SF=1
        assert_eq!(isv_of(0xf9400041), Some(isv | 3 << 22 | 1 << 16 | 1 << 15));
        // strb w3, [x4, #1]: SAS=0, SRT=3
        assert_eq!(isv_of(0x39000483), Some(isv | 3 << 16));
        // ldrsh w5, [x6]: SAS=1, SSE=1, SF=0
        assert_eq!(isv_of(0x79c000c5), Some(isv | 1 << 22 | 1 << 21 | 5 << 16));
        // ldrsw x7, [x8, x9]: SAS=2, SSE=1, SF=1
        assert_eq!(
            isv_of(0xb8a96907),
            Some(isv | 2 << 22 | 1 << 21 | 7 << 16 | 1 << 15)
        );
        // ldur w10, [x11, #-4]
        assert_eq!(isv_of(0xb85fc16a), Some(isv | 2 << 22 | 10 << 16));
        // ldar x12, [x13]: AR=1
        assert_eq!(
            isv_of(0xc8dffdac),
            Some(isv | 3 << 22 | 12 << 16 | 1 << 15 | 1 << 14)
        );
        // stlr w14, [x15]
        assert_eq!(isv_of(0x889ffdee), Some(isv | 2 << 22 | 14 << 16 | 1 << 14));
        // ldr x1, [x2], #8 (post-index): writeback, no syndrome
        assert_eq!(isv_of(0xf8408441), None);
        // ldr x1, [x2, #8]! (pre-index)
        assert_eq!(isv_of(0xf8408c41), None);
        // ldp x1, x2, [x3]
        assert_eq!(isv_of(0xa9400861), None);
        // ldxr x1, [x2]
        assert_eq!(isv_of(0xc85f7c41), None);
        // ldadd x1, x2, [x3]
        assert_eq!(isv_of(0xf8210062), None);
        // ldr q0, [x1] (SIMD&FP)
        assert_eq!(isv_of(0x3dc00020), None);
    }

    #[test]
    fn esr_fields_by_class() {
        use mmu::walk::{Fault, FaultKind};
        assert_eq!(Syndrome::Wfx { wfe: true }.iss(), 0x01e0_0001);
        let t = SysRegTrap {
            op0: 3,
            op1: 0,
            crn: 1,
            crm: 0,
            op2: 0,
            rt: 2,
            read: true,
        };
        // mrs x2, sctlr_el1
        assert_eq!(Syndrome::SysReg(t).iss(), 0x0030_0441);
        let walk = Fault::stage2(FaultKind::Translation, 1, 0x8000_0000).on_s1_walk();
        let d = Syndrome::DataAbort {
            status: AbortStatus::Walk(walk),
            wnr: false,
            cm: true,
            isv: None,
            tag_access: false,
        };
        assert_eq!((d.ec(true), d.iss()), (0x24, 0x185));
        assert_eq!(
            Syndrome::InsnAbort(AbortStatus::SyncExternal).ec(false),
            0x21
        );
        assert_eq!(Syndrome::SError(0xffff_ffff).iss(), 0x1ff_ffff);
    }
}
