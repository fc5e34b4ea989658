//! FEAT_VHE register redirection (Arm ARM D5.x "Virtualization Host Extensions", and each
//! register's accessibility pseudocode): with HCR_EL2.E2H = 1, EL2 runs the host kernel
//! unmodified, so the *_EL1 encodings it uses name the *_EL2 registers, the real EL1
//! registers move to the op1 = 5 *_EL12 / *_EL02 encodings, and, in the host's EL0
//! ({E2H,TGE} = {1,1}), the EL0 timer encodings name the EL2 timers.

use super::{enc, SR};

/// `*_EL1` (or EL0 timer) register → the register it names at EL2 with E2H = 1. The EL0
/// timer rows also apply at EL0 with {E2H,TGE} = {1,1}.
pub(super) const E2H_REDIRECT: &[(SR, SR)] = &[
    (SR::SCTLR_EL1, SR::SCTLR_EL2),
    (SR::CPACR_EL1, SR::CPTR_EL2),
    (SR::TTBR0_EL1, SR::TTBR0_EL2),
    (SR::TTBR1_EL1, SR::TTBR1_EL2),
    (SR::TCR_EL1, SR::TCR_EL2),
    (SR::AFSR0_EL1, SR::AFSR0_EL2),
    (SR::AFSR1_EL1, SR::AFSR1_EL2),
    (SR::ESR_EL1, SR::ESR_EL2),
    (SR::FAR_EL1, SR::FAR_EL2),
    (SR::MAIR_EL1, SR::MAIR_EL2),
    (SR::AMAIR_EL1, SR::AMAIR_EL2),
    (SR::VBAR_EL1, SR::VBAR_EL2),
    (SR::CONTEXTIDR_EL1, SR::CONTEXTIDR_EL2),
    (SR::CNTKCTL_EL1, SR::CNTHCTL_EL2),
    (SR::SPSR_EL1, SR::SPSR_EL2),
    (SR::ELR_EL1, SR::ELR_EL2),
    (SR::CNTP_TVAL_EL0, SR::CNTHP_TVAL_EL2),
    (SR::CNTP_CTL_EL0, SR::CNTHP_CTL_EL2),
    (SR::CNTP_CVAL_EL0, SR::CNTHP_CVAL_EL2),
    (SR::CNTV_TVAL_EL0, SR::CNTHV_TVAL_EL2),
    (SR::CNTV_CTL_EL0, SR::CNTHV_CTL_EL2),
    (SR::CNTV_CVAL_EL0, SR::CNTHV_CVAL_EL2),
    (SR::TFSR_EL1, SR::TFSR_EL2),
    (SR::PMSCR_EL1, SR::PMSCR_EL2),
];

/// The `*_EL12` / `*_EL02` encodings (op1 = 5) and the EL1/EL0 register each reaches. They
/// are accessible only at EL2 with E2H = 1, and UNDEFINED otherwise.
pub(super) const EL12_ALIASES: &[(u16, SR)] = &[
    (enc(3, 5, 1, 0, 0), SR::SCTLR_EL1),
    (enc(3, 5, 1, 0, 2), SR::CPACR_EL1),
    (enc(3, 5, 2, 0, 0), SR::TTBR0_EL1),
    (enc(3, 5, 2, 0, 1), SR::TTBR1_EL1),
    (enc(3, 5, 2, 0, 2), SR::TCR_EL1),
    (enc(3, 5, 4, 0, 0), SR::SPSR_EL1),
    (enc(3, 5, 4, 0, 1), SR::ELR_EL1),
    (enc(3, 5, 5, 1, 0), SR::AFSR0_EL1),
    (enc(3, 5, 5, 1, 1), SR::AFSR1_EL1),
    (enc(3, 5, 5, 2, 0), SR::ESR_EL1),
    (enc(3, 5, 6, 0, 0), SR::FAR_EL1),
    (enc(3, 5, 10, 2, 0), SR::MAIR_EL1),
    (enc(3, 5, 10, 3, 0), SR::AMAIR_EL1),
    (enc(3, 5, 12, 0, 0), SR::VBAR_EL1),
    (enc(3, 5, 13, 0, 1), SR::CONTEXTIDR_EL1),
    (enc(3, 5, 14, 1, 0), SR::CNTKCTL_EL1),
    (enc(3, 5, 14, 2, 0), SR::CNTP_TVAL_EL0),
    (enc(3, 5, 14, 2, 1), SR::CNTP_CTL_EL0),
    (enc(3, 5, 14, 2, 2), SR::CNTP_CVAL_EL0),
    (enc(3, 5, 14, 3, 0), SR::CNTV_TVAL_EL0),
    (enc(3, 5, 14, 3, 1), SR::CNTV_CTL_EL0),
    (enc(3, 5, 14, 3, 2), SR::CNTV_CVAL_EL0),
    (enc(3, 5, 5, 6, 0), SR::TFSR_EL1),
    (enc(3, 5, 9, 9, 0), SR::PMSCR_EL1),
];
