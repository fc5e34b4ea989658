//! The HCR_EL2 trap controls of EL1 (and, for some, EL0) accesses: Arm ARM D24.2.62
//! HCR_EL2 (DDI 0487 L.a numbering), bits TVM/TRVM, TID1/TID2/TID3, TACR, TIDCP, TSW,
//! TPCP, TPU, TTLB and TDZ. The MRS/MSR traps are the `trap` functions of the register
//! table rows (sysreg/table.rs) and of the unallocated encodings (access.rs); the SYS
//! instruction traps (DC/IC/TLBI) use [`active`] and the HCR_* bits from exec/sysop.rs.
//! Every trap is EC 0x18 to EL2 with the MRS/MSR/SYS ISS.
//!
//! When the controls apply (HCR_EL2 field descriptions):
//! - EL1: whenever EL2 is implemented (it is always enabled: no EL3, no Secure state).
//!   TVM/TRVM/TID2/TPU/TPCP/TDZ are ignored when {E2H,TGE} = {1,1}, TID1/TID3/TACR/TSW/
//!   TTLB/TIDCP when TGE = 1; both reduce to "TGE = 0" at EL1, because EL1 never runs
//!   with TGE = 1 (an exception return to EL1 is then illegal, and every exception that
//!   would go to EL1 goes to EL2), so [`active`] just masks the TGE = 1 case.
//! - EL0: only TID2 (CTR_EL0), TPU (IC IVAU, DC CVAU), TPCP (DC CVAC/CIVAC/CVAP) and TDZ
//!   (DC ZVA), and only when {E2H,TGE} != {1,1} (with TGE = 1 and E2H = 0 they do apply).
//!   The EL1-targeted SCTLR_EL1.UCT/UCI/DZE traps of EL0 have priority over them.
//! - TID0 traps only AArch32 registers (JIDR, FPSID): nothing to do, EL0/EL1 are
//!   AArch64-only here.
//! - TIDCP at EL0 is IMPLEMENTATION DEFINED ("it is IMPLEMENTATION DEFINED whether any
//!   accesses from EL0 are trapped to EL2"); hypsim, like QEMU, does not trap them: they
//!   stay UNDEFINED (FEAT_TIDCP1 is not implemented).
//! - SWIO (DC ISW performed as DC CISW) and FB/BSU (barriers and TLB maintenance at EL1
//!   upgraded to Inner Shareable) have no visible effect on a PE without a cache model;
//!   FB's one visible effect, a local TLBI at EL1 acting on every PE, is in exec/sysop.rs.

use super::special;
use crate::bits::{
    HCR_TACR, HCR_TDZ, HCR_TGE, HCR_TID1, HCR_TID2, HCR_TID3, HCR_TIDCP, HCR_TRVM, HCR_TVM,
};
use crate::state::Cpu;

/// The HCR_EL2 value whose trap bits govern an access at the current EL: HCR_EL2 at EL1
/// (TGE is always 0 there, see the module docs) and at EL0 outside the VHE host, else 0
/// (EL2 itself, the host's EL0, or no EL2). Callers test only the bits that apply at EL0
/// when they may run there.
#[inline]
pub(crate) fn active(c: &Cpu) -> u64 {
    match c.pstate.el {
        1 => {
            let hcr = c.hcr();
            if hcr & HCR_TGE == 0 {
                hcr
            } else {
                0
            }
        }
        0 if !c.in_host() => c.hcr(),
        _ => 0,
    }
}

/// HCR_EL2 as it governs an EL1 access (0 at EL0 and EL2).
#[inline]
fn el1(c: &Cpu) -> u64 {
    if c.pstate.el == 1 {
        active(c)
    } else {
        0
    }
}

/// TVM (writes) / TRVM (reads): the EL1 virtual memory controls SCTLR_EL1, TTBR0_EL1,
/// TTBR1_EL1, TCR_EL1, ESR_EL1, FAR_EL1, AFSR0_EL1, AFSR1_EL1, MAIR_EL1, AMAIR_EL1 and
/// CONTEXTIDR_EL1. At EL2 with E2H = 1 these encodings name EL2 registers and the
/// `*_EL12` aliases never trap (`active` is 0 at EL2).
pub(super) fn vm_trap(c: &Cpu, read: bool) -> Option<u8> {
    let bit = if read { HCR_TRVM } else { HCR_TVM };
    (el1(c) & bit != 0).then_some(2)
}

/// TID3: EL1 reads of the ID group 3 registers (ID_AA64*_EL1 and the rest of op0=3,
/// op1=0, CRn=0, CRm=1..7). The registers are read-only: writes are UNDEFINED first.
pub(super) fn tid3_trap(c: &Cpu, read: bool) -> Option<u8> {
    (read && el1(c) & HCR_TID3 != 0).then_some(2)
}

/// TID3 for an unallocated encoding of the ID space, which otherwise reads as zero:
/// the trap has priority over RAZ (HCR_EL2.TID3: "this field traps all MRS accesses to
/// registers in the following range ... op0 == 3, op1 == 0, CRn == 0, CRm == {2-7}";
/// CRm == 1 holds the AArch32 ID registers it lists by name).
pub(super) fn reserved_id_traps(c: &Cpu) -> bool {
    el1(c) & HCR_TID3 != 0
}

/// TID1: EL1 reads of REVIDR_EL1 and AIDR_EL1.
pub(super) fn tid1_trap(c: &Cpu, read: bool) -> Option<u8> {
    (read && el1(c) & HCR_TID1 != 0).then_some(2)
}

/// TID2: EL1 reads of CCSIDR_EL1, CLIDR_EL1, CSSELR_EL1 and writes of CSSELR_EL1.
pub(super) fn tid2_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (el1(c) & HCR_TID2 != 0).then_some(2)
}

/// CTR_EL0: at EL0 SCTLR_EL1.UCT = 0 traps to EL1 first (SCTLR_EL2.UCT in the host);
/// then TID2 traps EL0 (outside the host) and EL1 reads to EL2.
pub(super) fn ctr_trap(c: &Cpu, read: bool) -> Option<u8> {
    special::uct_trap(c, read).or_else(|| (active(c) & HCR_TID2 != 0).then_some(2))
}

/// HCR_EL2.ATA = 0 (FEAT_MTE2): EL1 accesses to GCR_EL1, RGSR_EL1, TFSR_EL1 and
/// TFSRE0_EL1 trap to EL2 (each register's access pseudocode; EC 0x18, as QEMU).
pub(super) fn ata_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (c.pstate.el == 1 && el1(c) & crate::bits::HCR_ATA == 0 && c.cfg.has_el2).then_some(2)
}

/// TID5: EL1 reads of GMID_EL1.
pub(super) fn tid5_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (el1(c) & crate::bits::HCR_TID5 != 0).then_some(2)
}

/// TACR: EL1 reads and writes of ACTLR_EL1.
pub(super) fn tacr_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (el1(c) & HCR_TACR != 0).then_some(2)
}

/// TIDCP: EL1 accesses to the encodings reserved for IMPLEMENTATION DEFINED registers
/// (MRS/MSR with op0 = 3) and System instructions (SYS/SYSL with op0 = 1), CRn = 11 or 15,
/// trap to EL2. "The trapping of accesses to these registers from EL1 is higher priority
/// than an exception resulting from the register access being UNDEFINED." No register of
/// the table lives there (tested), and the GIC CPU interface (ICC_*, CRn = 12, and
/// ICC_PMR_EL1 with CRn = 4) is outside these spaces.
pub(crate) fn tidcp_traps(c: &Cpu, op0: u32, crn: u32) -> bool {
    (op0 == 1 || op0 == 3) && (crn == 11 || crn == 15) && el1(c) & HCR_TIDCP != 0
}

/// DCZID_EL0.DZP (bit 4) reads as 1 when DC ZVA is prohibited at the current EL: at EL0
/// when SCTLR_EL1.DZE = 0 (SCTLR_EL2.DZE in the host), and at EL0/EL1 when HCR_EL2.TDZ
/// traps it (HCR_EL2.TDZ: "Reading the DCZID_EL0 returns a value that indicates that the
/// instructions this trap applies to are not supported").
pub(super) fn dczid_r(c: &Cpu) -> u64 {
    const SCTLR_DZE: u64 = 1 << 14;
    let prohibited =
        (c.pstate.el == 0 && c.el0_sctlr() & SCTLR_DZE == 0) || active(c) & HCR_TDZ != 0;
    super::idregs::DCZID | (prohibited as u64) << 4
}
