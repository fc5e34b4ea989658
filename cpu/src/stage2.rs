//! Stage 2 of the EL1&0 regime as the PE uses it: when it applies (HCR_EL2.VM or DC, TGE
//! clear), the VMID, and the decoded VTCR_EL2/VTTBR_EL2 configuration the TLB fill walks
//! with (mmu::walk::walk_stage2). Translation itself is in crate::translate.

use crate::bits::{HCR_DC, HCR_TGE, HCR_VM};
use crate::state::Cpu;
use crate::sysreg::SR;
use mmu::walk::{Stage2Config, Stage2Features};

/// What the stage 2 walker implements for us: 16-bit VMIDs (ID_AA64MMFR1_EL1.VMIDBits);
/// no hardware Access flag (HAFDBS not advertised) and no FEAT_XNX (XN\[1\] alone).
const FEATURES: Stage2Features = Stage2Features {
    vmid16: true,
    hafdbs: false,
    xnx: false,
};

/// VTCR_EL2.VS: 16-bit VMIDs.
const VTCR_VS: u64 = 1 << 19;

impl Cpu {
    /// Whether EL1&0 translations go through stage 2: HCR_EL2.VM or DC set and TGE clear
    /// (D8.1, "stage 2 ... enabled"; TGE = 1 disables it for EL1&0).
    pub(crate) fn stage2_enabled(&self) -> bool {
        let hcr = self.hcr();
        hcr & (HCR_VM | HCR_DC) != 0 && hcr & HCR_TGE == 0
    }

    /// The current VMID (VTTBR_EL2.VMID, 8 bits unless VTCR_EL2.VS selects 16).
    pub(crate) fn vmid(&self) -> u16 {
        if !self.cfg.has_el2 {
            return 0;
        }
        let raw = (self.sr.get(SR::VTTBR_EL2) >> 48) as u16;
        if self.sr.get(SR::VTCR_EL2) & VTCR_VS != 0 {
            raw
        } else {
            raw & 0xff
        }
    }

    /// SCTLR_EL1 as EL1&0 stage 1 sees it: HCR_EL2.DC = 1 (with TGE = 0) makes stage 1
    /// behave as disabled (M treated as 0).
    pub(crate) fn el10_sctlr(&self) -> u64 {
        let sctlr = self.sr.get(SR::SCTLR_EL1);
        let hcr = self.hcr();
        if hcr & HCR_DC != 0 && hcr & HCR_TGE == 0 {
            sctlr & !1
        } else {
            sctlr
        }
    }

    /// The decoded stage 2 configuration, cached until a stage 2 register changes.
    pub(crate) fn stage2_config(&mut self) -> Stage2Config {
        if let Some(c) = self.mmu.s2cfg {
            return c;
        }
        let c = Stage2Config::new(
            self.sr.get(SR::VTCR_EL2),
            self.sr.get(SR::VTTBR_EL2),
            self.sr.get(SR::SCTLR_EL2),
            self.cfg.pa_bits,
            FEATURES,
        );
        self.mmu.s2cfg = Some(c);
        c
    }
}
