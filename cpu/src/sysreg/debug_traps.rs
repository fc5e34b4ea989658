//! EL2 traps of EL1's self-hosted debug and CPACR_EL1 accesses: MDCR_EL2.TDA, TDOSA, TDRA
//! and TDE (Arm ARM D24.2 MDCR_EL2), which a hypervisor such as KVM sets so a guest's use
//! of the debug registers can be emulated or switched lazily, and CPTR_EL2.TCPAC (D24.2
//! CPTR_EL2, bit 31 in both the E2H = 0 and E2H = 1 layouts). All are EC 0x18 to EL2.
//!
//! MDCR_EL2.TDE = 1, or HCR_EL2.TGE = 1, makes TDA, TDOSA and TDRA behave as 1 for every
//! purpose other than a direct read of MDCR_EL2. The debug registers of the table are all
//! EL1-only (EL0's DCC registers are not implemented), so only EL1 accesses trap.

use crate::bits::HCR_TGE;
use crate::state::Cpu;
use crate::sysreg::SR;

const MDCR_TDE: u64 = 1 << 8;
const MDCR_TDA: u64 = 1 << 9;
const MDCR_TDOSA: u64 = 1 << 10;
const MDCR_TDRA: u64 = 1 << 11;
const CPTR_TCPAC: u64 = 1 << 31;

/// Whether MDCR_EL2 control `bit` traps an access from the current EL.
fn mdcr_traps(c: &Cpu, bit: u64) -> Option<u8> {
    if !c.cfg.has_el2 || c.pstate.el != 1 {
        return None;
    }
    let mdcr = c.sr.get(SR::MDCR_EL2);
    let forced = mdcr & MDCR_TDE != 0 || c.hcr() & HCR_TGE != 0;
    (forced || mdcr & bit != 0).then_some(2)
}

/// TDA: breakpoint/watchpoint registers, MDSCR_EL1, MDCCINT_EL1, DBGCLAIM*,
/// DBGAUTHSTATUS_EL1, MDCCSR_EL0.
pub(super) fn tda_trap(c: &Cpu, _read: bool) -> Option<u8> {
    mdcr_traps(c, MDCR_TDA)
}

/// TDOSA: the OS lock and power-down registers OSLAR_EL1, OSLSR_EL1, OSDLR_EL1,
/// DBGPRCR_EL1.
pub(super) fn tdosa_trap(c: &Cpu, _read: bool) -> Option<u8> {
    mdcr_traps(c, MDCR_TDOSA)
}

/// TDRA: MDRAR_EL1.
pub(super) fn tdra_trap(c: &Cpu, _read: bool) -> Option<u8> {
    mdcr_traps(c, MDCR_TDRA)
}

/// CPTR_EL2.TCPAC: EL1 accesses to CPACR_EL1 trap to EL2.
pub(super) fn tcpac_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (c.cfg.has_el2 && c.pstate.el == 1 && c.sr.get(SR::CPTR_EL2) & CPTR_TCPAC != 0).then_some(2)
}
