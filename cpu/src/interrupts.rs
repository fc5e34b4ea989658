//! Asynchronous exceptions (Arm ARM D1.3.6 "Asynchronous exception types, routing,
//! masking and priorities", for a PE without EL3): physical IRQ, FIQ and SError, the
//! virtual ones a hypervisor injects with HCR_EL2.{VI,VF,VSE} (D1.3.x "Virtual
//! interrupts"), and the FEAT_RAS Error Synchronization Barrier that defers a masked
//! SError into DISR_EL1 / VDISR_EL2.

use crate::bits::{HCR_AMO, HCR_FMO, HCR_IMO, HCR_TGE, HCR_VF, HCR_VI, HCR_VSE};
use crate::exc::{Exc, ExcKind};
use crate::state::Cpu;
use crate::sysreg::SR;

/// PSTATE.{A,I,F} in the DAIF layout.
const DAIF_A: u32 = 1 << 8;
const DAIF_I: u32 = 1 << 7;
const DAIF_F: u32 = 1 << 6;

/// The syndrome bits an SError carries in ESR_ELx.ISS, DISR_EL1 and VSESR_EL2: IDS \[24\]
/// and ISS \[23:0\] (AET, EA, DFSC when IDS = 0).
const SERROR_ISS_MASK: u64 = 0x1ff_ffff;
/// DISR_EL1.A / VDISR_EL2.A: an SError was deferred by ESB.
const DISR_A: u64 = 1 << 31;

impl Cpu {
    /// Make a physical SError pending on this PE, with the ESR ISS it will report (IDS,
    /// AET, EA, DFSC; e.g. 0x0000_0000 for an uncategorized error). It is taken as soon as
    /// routing and PSTATE.A allow, or deferred by an ESB into DISR_EL1.
    pub fn inject_serror(&mut self, iss: u32) {
        self.serror = Some(iss & SERROR_ISS_MASK as u32);
        self.dcache.unlink();
    }

    /// Whether a physical SError is pending.
    pub fn serror_pending(&self) -> bool {
        self.serror.is_some()
    }

    /// Whether EL2 virtualizes this async exception class for the current EL: EL0/EL1,
    /// TGE = 0 and the class routed to EL2 (IMO/FMO/AMO). Only then are virtual
    /// interrupts visible, and only then may they be taken.
    pub(crate) fn virtual_route(&self, route: u64) -> bool {
        let hcr = self.hcr();
        self.pstate.el <= 1 && hcr & HCR_TGE == 0 && hcr & route != 0
    }

    /// Pending virtual IRQ, FIQ and SError (from HCR_EL2.VI/VF/VSE and the GIC's virtual
    /// CPU interface, crate::vgic), as seen from the current EL.
    pub(crate) fn virtual_pending(&self) -> (bool, bool, bool) {
        let hcr = self.hcr();
        // Checked at every page link: skip the virtual CPU interface when no virtual
        // exception can be seen here (EL2, the host's EL0, no route bit set).
        if self.pstate.el > 1 || hcr & HCR_TGE != 0 || hcr & (HCR_IMO | HCR_FMO | HCR_AMO) == 0 {
            return (false, false, false);
        }
        let (gic_virq, gic_vfiq) = self.vgic_lines();
        (
            self.virtual_route(HCR_IMO) && (hcr & HCR_VI != 0 || gic_virq),
            self.virtual_route(HCR_FMO) && (hcr & HCR_VF != 0 || gic_vfiq),
            self.virtual_route(HCR_AMO) && hcr & HCR_VSE != 0,
        )
    }

    /// Where a physical async exception of this routing class goes: EL2 under the route
    /// bit or TGE (E2H + TGE acts as all route bits set), else EL1.
    fn physical_target(&self, route: u64) -> u8 {
        if self.hcr() & (route | HCR_TGE) != 0 {
            2
        } else {
            1
        }
    }

    /// Taken now: to a higher EL whatever PSTATE says, to the current EL when unmasked,
    /// never to a lower EL.
    fn takeable(&self, target: u8, mask: u32) -> bool {
        let el = self.pstate.el;
        target > el || (target == el && self.pstate.daif & mask == 0)
    }

    /// The asynchronous exception to take before the next instruction, if any. Priority
    /// (IMPLEMENTATION DEFINED among pending ones): SError, FIQ, IRQ, then the virtual
    /// SError, FIQ and IRQ, which are always taken to EL1.
    pub(crate) fn pending_interrupt(&self) -> Option<Exc> {
        if let Some(iss) = self.serror {
            let target = self.physical_target(HCR_AMO);
            if self.takeable(target, DAIF_A) {
                return Some(Exc::serror(iss, target));
            }
        }
        for (line, route, mask, kind) in [
            (self.fiq_line, HCR_FMO, DAIF_F, ExcKind::Fiq),
            (self.irq_line, HCR_IMO, DAIF_I, ExcKind::Irq),
        ] {
            if line {
                let target = self.physical_target(route);
                if self.takeable(target, mask) {
                    return Some(Exc::interrupt(kind, target));
                }
            }
        }
        let (virq, vfiq, vserr) = self.virtual_pending();
        if vserr && self.takeable(1, DAIF_A) {
            // ESR_EL1 gets VSESR_EL2's IDS and ISS (FEAT_RAS).
            let iss = (self.sr.get(SR::VSESR_EL2) & SERROR_ISS_MASK) as u32;
            return Some(Exc::serror(iss, 1));
        }
        if vfiq && self.takeable(1, DAIF_F) {
            return Some(Exc::interrupt(ExcKind::Fiq, 1));
        }
        if virq && self.takeable(1, DAIF_I) {
            return Some(Exc::interrupt(ExcKind::Irq, 1));
        }
        None
    }

    /// An SError is being taken to `target`: consume its source. A virtual SError (taken
    /// to EL1 while AMO routes physical ones to EL2) clears HCR_EL2.VSE.
    pub(crate) fn serror_taken(&mut self, target: u8) {
        if target == 1 && self.hcr() & HCR_AMO != 0 && self.hcr() & HCR_TGE == 0 {
            let hcr = self.sr.get(SR::HCR_EL2) & !HCR_VSE;
            self.sr.set(SR::HCR_EL2, hcr);
        } else {
            self.serror = None;
        }
    }

    /// Whether something that ends WFI is pending: a physical interrupt line, a physical
    /// SError, or a virtual interrupt visible at this EL (masked or not, D1.6.2).
    pub fn interrupt_asserted(&self) -> bool {
        let (virq, vfiq, vserr) = self.virtual_pending();
        self.irq_line || self.fiq_line || self.serror.is_some() || virq || vfiq || vserr
    }

    /// ESB (FEAT_RAS, C6.2 ESB): an SError that is pending but masked at this EL is
    /// deferred: its syndrome goes to DISR_EL1 with A = 1 and it is no longer pending. At
    /// EL0/EL1 with AMO = 1 (TGE = 0) the virtual SError is the one deferred, into
    /// VDISR_EL2, and HCR_EL2.VSE is cleared.
    /// Returns DISR_EL1 when a physical SError was deferred.
    pub(crate) fn error_sync_barrier(&mut self) -> Option<u64> {
        let (_, _, vserr) = self.virtual_pending();
        if self.virtual_route(HCR_AMO) {
            if vserr && self.pstate.daif & DAIF_A != 0 {
                let syn = self.sr.get(SR::VSESR_EL2) & SERROR_ISS_MASK;
                self.sr.set(SR::VDISR_EL2, DISR_A | syn);
                let hcr = self.sr.get(SR::HCR_EL2) & !HCR_VSE;
                self.sr.set(SR::HCR_EL2, hcr);
            }
            return None;
        }
        if let Some(iss) = self.serror {
            let target = self.physical_target(HCR_AMO);
            if target == self.pstate.el && self.pstate.daif & DAIF_A != 0 {
                let disr = DISR_A | (iss as u64 & SERROR_ISS_MASK);
                self.sr.set(SR::DISR_EL1, disr);
                self.serror = None;
                return Some(disr);
            }
        }
        None
    }

    /// DISR_EL1 as EL1 sees it: VDISR_EL2 when AMO virtualizes SErrors (D23.2 DISR_EL1).
    pub(crate) fn disr_register(&self) -> SR {
        if self.pstate.el == 1 && self.virtual_route(HCR_AMO) {
            SR::VDISR_EL2
        } else {
            SR::DISR_EL1
        }
    }
}
