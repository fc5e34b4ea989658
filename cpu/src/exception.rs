//! Taking exceptions and returning from them (Arm ARM D1.3 "Exceptions", D1.10 exception
//! entry, D1.11 exception return): routing, ESR/ELR/SPSR/FAR/HPFAR, PSTATE and the
//! vector. The syndromes themselves are built in crate::syndrome.
//!
//! EL3 is absent; EL2 may be. Routing follows HCR_EL2.TGE for exceptions from EL0.

use crate::bits::{HCR_TEA, HCR_TGE};
use crate::exc::{Exc, ExcKind};
use crate::state::Cpu;
use crate::syndrome::Syndrome;
use crate::sysreg::SR;

impl Cpu {
    /// Where an exception from the current EL goes by default: EL0 → EL1 (EL2 under
    /// HCR_EL2.TGE), EL1 → EL1, EL2 → EL2.
    pub(crate) fn default_target(&self) -> u8 {
        match self.pstate.el {
            0 if self.hcr() & HCR_TGE != 0 => 2,
            0 => 1,
            el => el,
        }
    }

    /// Take a synchronous exception: write ESR/ELR/SPSR/FAR of the target EL, update
    /// PSTATE and branch to the vector (D1.10.2 "Exception vectors").
    pub(crate) fn take_exception(&mut self, e: Exc) {
        if matches!(e.syndrome, Syndrome::Svc(_) | Syndrome::Hvc(_)) {
            // AArch64.CallSupervisor/CallHypervisor: the instruction completed, so a
            // step advances (SPSR.SS = 0) before its exception is taken (D2.12).
            self.ss_advance();
        }
        let from = self.pstate.el;
        let target = match e.target {
            Some(t) => t,
            // HCR_EL2.TEA (FEAT_RAS, D24.2 HCR_EL2): a synchronous External abort from
            // EL0 or EL1 is taken to EL2.
            None if from < 2 && self.hcr() & HCR_TEA != 0 && e.syndrome.is_external_abort() => 2,
            None => self.default_target(),
        }
        .max(from);
        let lower = target > from;
        let ec = e.syndrome.ec(lower);
        let esr = ((e.syndrome.iss2() as u64) << 32)
            | ((ec as u64) << 26)
            | (1 << 25)
            | e.syndrome.iss() as u64;
        let sync = e.kind == ExcKind::Sync;
        if sync {
            self.exc_count[ec as usize & 63][target as usize] += 1;
        } else {
            self.irq_count[target as usize] += 1;
        }
        if e.kind == ExcKind::SError {
            self.serror_taken(target);
        }
        let writes_esr = sync || e.kind == ExcKind::SError;
        let ret = if e.after {
            self.pc.wrapping_add(4)
        } else {
            self.pc
        };
        let spsr = self.pstate.to_spsr();
        tracing::trace!(target: "hypsim::exc", kind = ?e.kind, ec, esr = format_args!("{esr:#x}"), from, to = target,
            pc = format_args!("{:#x}", self.pc));
        let (esr_r, elr_r, spsr_r, far_r, vbar_r) = if target == 2 {
            (
                SR::ESR_EL2,
                SR::ELR_EL2,
                SR::SPSR_EL2,
                SR::FAR_EL2,
                SR::VBAR_EL2,
            )
        } else {
            (
                SR::ESR_EL1,
                SR::ELR_EL1,
                SR::SPSR_EL1,
                SR::FAR_EL1,
                SR::VBAR_EL1,
            )
        };
        if writes_esr {
            self.sr.set(esr_r, esr);
        }
        self.sr.set(elr_r, ret);
        self.sr.set(spsr_r, spsr);
        if let Some(far) = e.far {
            self.sr.set(far_r, far);
        }
        if let (Some(ipa), 2) = (e.ipa, target) {
            // HPFAR_EL2.FIPA [43:4] = IPA[51:12] (D23.2 HPFAR_EL2); always written for a
            // stage 2 fault, a superset of where the architecture defines it.
            self.sr
                .set(SR::HPFAR_EL2, ((ipa >> 12) << 4) & 0xff_ffff_ffff_fff0);
        }
        let group = if lower {
            0x400
        } else if self.pstate.sp == 0 {
            0x000
        } else {
            0x200
        };
        let offset = group
            + match e.kind {
                ExcKind::Sync => 0,
                ExcKind::Irq => 0x80,
                ExcKind::Fiq => 0x100,
                ExcKind::SError => 0x180,
            };
        // Exception entry clears the local exclusive monitor (an IMPLEMENTATION DEFINED
        // choice the Arm ARM allows; QEMU does the same on ERET).
        self.excl = None;
        self.set_el(target, 1);
        self.pstate.daif = 0xf << 6;
        // FEAT_PAN: entry to EL1 sets PSTATE.PAN unless SCTLR_EL1.SPAN (bit 23) is 1, and
        // so does entry to EL2 in the VHE host ({E2H,TGE} = {1,1}) with SCTLR_EL2.SPAN;
        // entry to a plain EL2 leaves it unchanged.
        let span_sctlr = match target {
            1 => Some(SR::SCTLR_EL1),
            2 if self.in_host() => Some(SR::SCTLR_EL2),
            _ => None,
        };
        if span_sctlr.is_some_and(|r| self.sr.get(r) & (1 << 23) == 0) {
            self.set_pan(true);
        }
        self.pstate.il = false;
        self.pstate.ss = false;
        // FEAT_MTE: exception entry sets PSTATE.TCO (AArch64.TakeException).
        self.pstate.tco = self.cfg.mte;
        self.pc = self.sr.get(vbar_r).wrapping_add(offset);
    }

    /// Where an FP/SIMD access at the current EL traps, if it does (D19.x): first
    /// CPACR_EL1.FPEN for EL0/EL1 outside the VHE host (EL0 needs 0b11, EL1 needs bit 20;
    /// traps go to EL1, or EL2 for EL0 under TGE), then CPTR_EL2 to EL2. CPTR_EL2 has two
    /// layouts: TFP (bit 10) traps EL0-EL2 when E2H = 0; with E2H = 1 it takes the CPACR
    /// layout, FPEN \[21:20\]: 0b11 traps nothing, 0b01 traps EL0 in the host (TGE = 1)
    /// only, 0bx0 traps EL0, EL1 and EL2.
    pub(crate) fn fp_trap_target(&self) -> Option<u8> {
        let el = self.pstate.el;
        let tge = self.hcr() & HCR_TGE != 0;
        if el <= 1 && !(el == 0 && tge) {
            let fpen = (self.sr.get(SR::CPACR_EL1) >> 20) & 3;
            let allowed = if el == 0 { fpen == 3 } else { fpen & 1 == 1 };
            if !allowed {
                return Some(1);
            }
        }
        if !self.cfg.has_el2 {
            return None;
        }
        let cptr = self.sr.get(SR::CPTR_EL2);
        let trapped = if self.e2h() {
            match (cptr >> 20) & 3 {
                0b11 => false,
                0b01 => el == 0 && tge,
                _ => true,
            }
        } else {
            cptr & (1 << 10) != 0
        };
        trapped.then_some(2)
    }

    /// ERET (D1.11): restore PSTATE from SPSR_ELx and branch to ELR_ELx, or mark an
    /// illegal exception return (PSTATE.IL = 1, EL and SP unchanged).
    pub(crate) fn exception_return(&mut self) {
        let el = self.pstate.el;
        let (spsr, elr) = if el == 2 {
            (self.sr.get(SR::SPSR_EL2), self.sr.get(SR::ELR_EL2))
        } else {
            (self.sr.get(SR::SPSR_EL1), self.sr.get(SR::ELR_EL1))
        };
        let m = (spsr & 0x1f) as u8;
        let tgt_el = (m >> 2) & 3;
        let illegal = m & 0x10 != 0                       // AArch32 is not implemented
            || m & 0x2 != 0                               // M[1] reserved
            || tgt_el > el                                // return to a higher EL
            || (tgt_el == 2 && !self.cfg.has_el2)         // EL2 not implemented
            || (tgt_el == 0 && m & 1 != 0)                // EL0 has no SP_ELx
            || (tgt_el == 1 && self.hcr() & HCR_TGE != 0); // EL1 with TGE=1 (R_QRRZG)
                                                           // DebugExceptionReturnSS (D2.12, software step): decided before DAIF and EL change.
        let dest = if illegal { el } else { tgt_el };
        self.pstate.ss = self.eret_ss(spsr, dest);
        self.stepping.eret = true;
        self.excl = None;
        self.pstate.nzcv = (spsr as u32) & 0xf000_0000;
        self.pstate.daif = (spsr as u32) & 0x3c0;
        self.pstate.ssbs = spsr & (1 << 12) != 0;
        self.set_pan(spsr & (1 << 22) != 0);
        self.pstate.tco = self.cfg.mte && spsr & (1 << 25) != 0;
        if illegal {
            tracing::debug!(target: "hypsim::exc", spsr = format_args!("{spsr:#x}"), "illegal exception return");
            self.pstate.il = true;
        } else {
            self.pstate.il = spsr & (1 << 20) != 0;
            self.set_el(tgt_el, m & 1);
        }
        self.pc = elr;
        self.dcache.unlink();
    }
}
