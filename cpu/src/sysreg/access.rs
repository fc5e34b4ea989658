//! Who may access a system register, and what an MRS/MSR turns into (Arm ARM D19.2
//! "Configurable instruction enables and disables, and trap controls").

use super::{hcr_traps, SysRegFile, SR, SYSREGS};
use crate::state::Cpu;

/// Static access permission of a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Perm {
    /// Read/write from EL0 up.
    El0Rw,
    /// Read-only from EL0 up.
    El0Ro,
    /// Read-only at EL0, read/write from EL1 up (TPIDRRO_EL0).
    El0RoEl1Rw,
    /// Read/write from EL1 up.
    El1Rw,
    /// Read-only from EL1 up.
    El1Ro,
    /// Write-only from EL1 up (OSLAR_EL1).
    El1Wo,
    /// Read/write at EL2 only; absent (UNDEFINED) when EL2 is not implemented.
    El2Rw,
    /// Read-only at EL2 only; absent when EL2 is not implemented.
    El2Ro,
}

/// What an access resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Proceed on this register.
    Ok(SR),
    /// Read-as-zero, writes UNDEFINED (reserved ID register space, D23.3).
    Raz,
    /// UNDEFINED: EC 0x00 to the usual target.
    Undefined,
    /// Not a register of the CPU's table: the platform may implement it (GIC CPU
    /// interface), otherwise UNDEFINED.
    NotInTable,
    /// Trapped to this EL with EC 0x18.
    Trap(u8),
}

/// Whether `enc` is in the feature ID register space FEAT_IDST covers (op0 = 3, CRn = 0:
/// op1 = 0 with CRm = 0..7, and op1 = 1, CRm = 0 with op2 = 0, 1, 4, 7: CCSIDR_EL1,
/// CLIDR_EL1, GMID_EL1, AIDR_EL1).
fn idst_space(enc: u16) -> bool {
    let (op0, op1, crn, crm, op2) = (
        enc >> 14,
        (enc >> 11) & 7,
        (enc >> 7) & 0xf,
        (enc >> 3) & 0xf,
        enc & 7,
    );
    op0 == 3
        && crn == 0
        && ((op1 == 0 && crm <= 7) || (op1 == 1 && crm == 0 && matches!(op2, 0 | 1 | 4 | 7)))
}

/// Resolve an MRS (`read`) or MSR of the packed encoding at the current EL.
pub(crate) fn resolve(cpu: &Cpu, file: &SysRegFile, enc: u16, read: bool) -> Access {
    let el = cpu.pstate.el;
    if el == 0 && idst_space(enc) {
        // FEAT_IDST (ID_AA64MMFR2_EL1.IDS = 1): trapped to EL1 (EL2 under HCR_EL2.TGE)
        // with EC 0x18, in preference to UNDEFINED.
        return Access::Trap(cpu.default_target());
    }
    if let Some(r) = file.find_alias(enc) {
        // *_EL12 / *_EL02 exist at EL2 with E2H = 1 only (FEAT_VHE); they are EL2
        // accesses to the EL1/EL0 register, so no EL1 trap applies.
        let present = SYSREGS[r as usize].needs.is_none_or(|f| f(&cpu.cfg));
        return if el == 2 && cpu.e2h() && present {
            Access::Ok(r)
        } else {
            Access::Undefined
        };
    }
    let Some(r) = file.find(enc) else {
        // Unallocated encodings in the ID space op0=3, op1=0, CRn=0, CRm=1..7 are RAZ
        // for reads at EL1 and above (D23.3.1 "Reserved ID registers"), unless
        // HCR_EL2.TID3 traps them from EL1, which takes priority.
        let crm = (enc >> 3) & 0xf;
        let in_id_space = enc >> 7 == ((3 << 7) as u16) && (1..=7).contains(&crm);
        if in_id_space && read && el >= 1 {
            return if hcr_traps::reserved_id_traps(cpu) {
                Access::Trap(2)
            } else {
                Access::Raz
            };
        }
        // HCR_EL2.TIDCP: the IMPLEMENTATION DEFINED spaces (CRn = 11, 15) trap from EL1
        // in preference to UNDEFINED.
        if hcr_traps::tidcp_traps(cpu, u32::from(enc >> 14), u32::from((enc >> 7) & 0xf)) {
            return Access::Trap(2);
        }
        return Access::NotInTable;
    };
    let info = &SYSREGS[r as usize];
    if info.needs.is_some_and(|f| !f(&cpu.cfg)) {
        return Access::Undefined;
    }
    let ok = match info.perm {
        Perm::El0Rw => true,
        Perm::El0Ro => read,
        Perm::El0RoEl1Rw => read || el >= 1,
        Perm::El1Rw => el >= 1,
        Perm::El1Ro => el >= 1 && read,
        Perm::El1Wo => el >= 1 && !read,
        Perm::El2Rw => el >= 2 && cpu.cfg.has_el2,
        Perm::El2Ro => el >= 2 && cpu.cfg.has_el2 && read,
    };
    if !ok {
        return Access::Undefined;
    }
    if let Some(trap) = info.trap {
        if let Some(t) = trap(cpu, read) {
            return Access::Trap(t);
        }
    }
    // FEAT_VHE: at EL2 with E2H = 1 the *_EL1 encodings name *_EL2 registers, and in the
    // host's EL0 the EL0 timer encodings name the EL2 timers (the only EL0-accessible
    // registers with a redirection).
    if (el == 2 && cpu.e2h()) || (el == 0 && cpu.in_host()) {
        return Access::Ok(file.e2h_target(r));
    }
    Access::Ok(r)
}
