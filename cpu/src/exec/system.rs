//! Exception generation, hints, barriers, PSTATE access and MRS/MSR/SYS (Arm ARM C4.1.87).

use super::{sysop, undef, Exec, Flow, Step, Stop};
use crate::a64::VisitSystem;
use crate::bits::{HCR_HCD, HCR_TGE, HCR_TSC, HCR_TWE, HCR_TWI};
use crate::exc::Exc;
use crate::flow::Exit;
use crate::platform::Platform;
use crate::platform::SysRegAccess;
use crate::state::Conduit;
use crate::syndrome::{Syndrome, SysRegTrap};
use crate::sysreg::{effect, resolve, Access, SR, SYSREGS};
use crate::vgic::{icv_route, IcvReg, IcvRoute};

/// The op0:op1:CRn:CRm:op2 operands of an MRS/MSR/SYS instruction.
#[derive(Clone, Copy)]
pub(super) struct SysOperands {
    pub op0: u32,
    pub op1: u32,
    pub crn: u32,
    pub crm: u32,
    pub op2: u32,
}

impl SysOperands {
    /// The EC 0x18 trap of this MSR/MRS/SYS (`read`: MRS/SYSL) with `rt`, to `el`.
    pub fn trap(&self, rt: u32, read: bool, el: u8) -> Exc {
        Exc::sync(Syndrome::SysReg(SysRegTrap {
            op0: self.op0,
            op1: self.op1,
            crn: self.crn,
            crm: self.crm,
            op2: self.op2,
            rt,
            read,
        }))
        .to(el)
    }

    /// Packed encoding for the system-register lookup.
    pub fn packed(&self) -> u16 {
        crate::sysreg::enc(self.op0, self.op1, self.crn, self.crm, self.op2)
    }
}

/// SCTLR_EL1.nTWI (bit 16) and nTWE (bit 18).
const SCTLR_NTWI: u64 = 1 << 16;
const SCTLR_NTWE: u64 = 1 << 18;

impl<B: Platform> Exec<'_, B> {
    /// WFI/WFE traps (D1.3.x, EC 0x01): EL0 to EL1 unless SCTLR_EL1.nTWx, then EL0/EL1
    /// to EL2 when HCR_EL2.TWx, whose Effective value is 0 when {E2H,TGE} = {1,1}
    /// (HCR_EL2.TWI/TWE). ISS: CV = 1, COND = 0b1110, TI = 0 for WFI, 1 for WFE.
    fn wfx_trap(&self, wfe: bool) -> Option<Exc> {
        let el = self.cpu.pstate.el;
        let (n_bit, hcr_bit) = if wfe {
            (SCTLR_NTWE, HCR_TWE)
        } else {
            (SCTLR_NTWI, HCR_TWI)
        };
        let hcr = self.cpu.hcr();
        if el == 0 && self.cpu.el0_sctlr() & n_bit == 0 {
            // SCTLR_EL1.nTWx traps to EL1, or under TGE to EL2; in the VHE host it is
            // SCTLR_EL2.nTWx (trapping to EL2).
            if self.cpu.in_host() {
                return Some(Exc::sync(Syndrome::Wfx { wfe }).to(2));
            }
            if hcr & HCR_TGE == 0 {
                return Some(Exc::sync(Syndrome::Wfx { wfe }).to(1));
            }
        }
        if el <= 1 && !self.cpu.in_host() && hcr & hcr_bit != 0 {
            return Some(Exc::sync(Syndrome::Wfx { wfe }).to(2));
        }
        None
    }

    /// MRS/MSR after decoding op0..op2.
    fn sysreg_access(&mut self, o: SysOperands, rt: u32, read: bool) -> Flow {
        match resolve(self.cpu, &self.cpu.sr, o.packed(), read) {
            Access::Ok(r) => {
                let info = &SYSREGS[r as usize];
                if r == SR::SP_EL0 && self.cpu.pstate.sp == 0 {
                    // SP_EL0 is UNDEFINED while it is the current stack pointer.
                    return undef();
                }
                if read {
                    let v = match info.read {
                        Some(f) => f(self.cpu),
                        None => self.cpu.sr.get(r),
                    };
                    self.set_x(rt, v);
                } else {
                    let v = self.x(rt);
                    match info.write {
                        Some(f) => f(self.cpu, v),
                        None => self.cpu.sr.set(r, v),
                    }
                    if info.effects & effect::XLAT != 0 {
                        self.cpu.xlat_changed();
                        let event = crate::Event::ContextChange { reg: r, value: v };
                        self.bus.on_event(self.cpu.cfg.index, event);
                    }
                    if info.effects & effect::DEBUG != 0 && self.cpu.debug_changed() {
                        return Err(Stop::Exit(crate::Exit::Yield));
                    }
                    if info.effects & effect::IRQ != 0 {
                        self.cpu.sync_interrupts(self.bus);
                    }
                    if info.effects & effect::RESCHED != 0 {
                        return Err(Stop::Exit(crate::Exit::Yield));
                    }
                }
                Ok(Step::Next)
            }
            Access::Raz => {
                self.set_x(rt, 0);
                Ok(Step::Next)
            }
            Access::Trap(el) => Err(Stop::Exc(o.trap(rt, read, el))),
            Access::NotInTable => match icv_route(self.cpu, o.op0, o.op1, o.crn, o.crm, o.op2) {
                IcvRoute::Virtual(r) => self.icv_access(r, rt, read),
                IcvRoute::TrapEl2 => Err(Stop::Exc(o.trap(rt, read, 2))),
                IcvRoute::Physical if self.platform_sysreg(o, rt, read) => Ok(Step::Next),
                IcvRoute::Physical => self.undefined_sysreg(o, read),
            },
            Access::Undefined => self.undefined_sysreg(o, read),
        }
    }

    fn undefined_sysreg(&mut self, o: SysOperands, read: bool) -> Flow {
        let dir = if read { "MRS" } else { "MSR" };
        super::log_undefined(
            self.cpu,
            format_args!(
                "{dir} S{}_{}_C{}_C{}_{}: no such register at this EL",
                o.op0, o.op1, o.crn, o.crm, o.op2
            ),
        );
        undef()
    }

    /// An EL1 access to the virtual CPU interface (crate::vgic). It may change the
    /// virtual lines and the maintenance interrupt, so the board re-syncs afterwards.
    fn icv_access(&mut self, r: IcvReg, rt: u32, read: bool) -> Flow {
        if read {
            let v = self.cpu.icv_read(r);
            self.set_x(rt, v);
        } else if let Some(pintid) = self.cpu.icv_write(r, self.x(rt)) {
            self.bus.deactivate_interrupt(self.cpu.cfg.index, pintid);
        }
        self.cpu.sync_interrupts(self.bus);
        Ok(Step::Next)
    }
}

impl<B: Platform> Exec<'_, B> {
    /// Offer an access the CPU's table lacks to the platform (EL1 and up only: nothing
    /// the platform owns is EL0-accessible). Returns whether it was handled.
    fn platform_sysreg(&mut self, o: SysOperands, rt: u32, read: bool) -> bool {
        let el = self.cpu.pstate.el;
        if el == 0 {
            return false;
        }
        let acc = SysRegAccess {
            op0: o.op0,
            op1: o.op1,
            crn: o.crn,
            crm: o.crm,
            op2: o.op2,
            cpu: self.cpu.cfg.index,
            el,
        };
        let handled = if read {
            match self.bus.sysreg_read(acc) {
                Some(v) => {
                    self.set_x(rt, v);
                    true
                }
                None => false,
            }
        } else {
            let v = self.x(rt);
            self.bus.sysreg_write(acc, v)
        };
        // Acknowledge, EOI, deactivation, PMR and SGI writes change the interrupt lines
        // at once; take the new state before the next instruction.
        self.cpu.sync_interrupts(self.bus);
        handled
    }
}

impl<B: Platform> VisitSystem for Exec<'_, B> {
    fn svc(&mut self, imm16: u32) -> Flow {
        Err(Stop::Exc(Exc {
            after: true,
            ..Exc::sync(Syndrome::Svc(imm16 as u16))
        }))
    }
    /// HVC: UNDEFINED at EL0, and when EL2 is absent unless it is our firmware conduit;
    /// HCR_EL2.HCD makes it UNDEFINED at EL1 and EL2.
    fn hvc(&mut self, imm16: u32) -> Flow {
        let el = self.cpu.pstate.el;
        if el == 0 {
            return undef();
        }
        if !self.cpu.cfg.has_el2 {
            return if self.cpu.cfg.conduit == Conduit::Hvc {
                Err(Stop::Exit(Exit::FirmwareCall))
            } else {
                undef()
            };
        }
        if self.cpu.hcr() & HCR_HCD != 0 {
            return undef();
        }
        Err(Stop::Exc(
            Exc {
                after: true,
                ..Exc::sync(Syndrome::Hvc(imm16 as u16))
            }
            .to(2),
        ))
    }
    /// SMC: trapped to EL2 by HCR_EL2.TSC from EL1 (return address is the SMC itself);
    /// otherwise our firmware conduit, or UNDEFINED (no EL3).
    fn smc(&mut self, imm16: u32) -> Flow {
        let el = self.cpu.pstate.el;
        if el == 0 {
            return undef();
        }
        if el == 1 && self.cpu.hcr() & HCR_TSC != 0 {
            return Err(Stop::Exc(Exc::sync(Syndrome::Smc(imm16 as u16)).to(2)));
        }
        if self.cpu.cfg.conduit == Conduit::Smc {
            return Err(Stop::Exit(Exit::FirmwareCall));
        }
        undef()
    }
    fn brk(&mut self, imm16: u32) -> Flow {
        Err(Stop::Exc(self.cpu.software_breakpoint(imm16 as u16)))
    }
    /// HLT is UNDEFINED: halting debug is not enabled (EDSCR.HDE = 0).
    fn hlt(&mut self, _imm16: u32) -> Flow {
        undef()
    }
    fn hint(&mut self, crm: u32, op2: u32) -> Flow {
        match (crm << 3) | op2 {
            // WFE/WFI trap only "if the instruction would otherwise have caused the PE
            // to enter a low-power state" (HCR_EL2.TWE/TWI, SCTLR_EL1.nTWE/nTWI): a WFE
            // with the event register set, or a WFI with an interrupt asserted (even
            // one PSTATE masks), completes at once without trapping.
            2 => {
                if self.cpu.event {
                    self.cpu.event = false;
                    return Ok(Step::Next);
                }
                match self.wfx_trap(true) {
                    Some(e) => Err(Stop::Exc(e)),
                    None => {
                        let event = crate::Event::Wait { wfe: true };
                        self.bus.on_event(self.cpu.cfg.index, event);
                        Err(Stop::Exit(Exit::Wfe))
                    }
                }
            }
            3 => {
                if self.cpu.interrupt_asserted() {
                    return Ok(Step::Next);
                }
                match self.wfx_trap(false) {
                    Some(e) => Err(Stop::Exc(e)),
                    None => {
                        let event = crate::Event::Wait { wfe: false };
                        self.bus.on_event(self.cpu.cfg.index, event);
                        Err(Stop::Exit(Exit::Wfi))
                    }
                }
            }
            4 => Err(Stop::Exit(Exit::Sev)),
            5 => {
                self.cpu.event = true;
                Ok(Step::Next)
            }
            // ESB (FEAT_RAS): defer a pending masked SError.
            16 => {
                if let Some(disr) = self.cpu.error_sync_barrier() {
                    let cpu = self.cpu.cfg.index;
                    self.bus
                        .on_event(cpu, crate::Event::SErrorDeferred { disr });
                }
                Ok(Step::Next)
            }
            // YIELD: a spin-wait; let the other PEs run (Exit::Yield), when the board
            // asks for it.
            1 if self.cpu.yield_due() => Err(Stop::Exit(Exit::Yield)),
            // NOP, PSB, CSDB, BTI, PAC hints etc.: features not advertised
            // execute as NOP (hint space, C6.2 HINT).
            _ => Ok(Step::Next),
        }
    }
    fn clrex(&mut self, _crm: u32) -> Flow {
        self.cpu.excl = None;
        Ok(Step::Next)
    }
    fn dsb(&mut self, _crm: u32) -> Flow {
        Ok(Step::Next)
    }
    fn dmb(&mut self, _crm: u32) -> Flow {
        Ok(Step::Next)
    }
    /// ISB is a context synchronization event: instructions after it are fetched anew, so
    /// code another PE patched (and made visible with IC maintenance) is seen here. Drop
    /// the linked page; the refetch path checks the RAM's code epoch.
    fn isb(&mut self, _crm: u32) -> Flow {
        self.cpu.dcache.unlink();
        Ok(Step::Next)
    }
    fn sb(&mut self) -> Flow {
        Ok(Step::Next)
    }
    fn cfinv(&mut self) -> Flow {
        self.cpu.pstate.nzcv ^= 1 << 29;
        Ok(Step::Next)
    }
    /// XAFLAG (FEAT_FlagM2): FP compare flags from the "external" form AXFLAG makes back to
    /// the Arm form (C6.2 XAFLAG): N = !C & !Z, Z = Z & C, C = C | Z, V = !C & Z.
    fn xaflag(&mut self) -> Flow {
        let f = self.cpu.pstate.nzcv >> 28;
        let (z, c) = (f >> 2 & 1, f >> 1 & 1);
        let (nc, nz) = (c ^ 1, z ^ 1);
        self.cpu.pstate.nzcv = ((nc & nz) << 3 | (z & c) << 2 | (c | z) << 1 | (nc & z)) << 28;
        Ok(Step::Next)
    }
    /// AXFLAG (FEAT_FlagM2): FP compare flags from the Arm form to an "external" one where
    /// unordered (V) reads as equal and not greater: N = 0, Z = Z | V, C = C & !V, V = 0.
    fn axflag(&mut self) -> Flow {
        let f = self.cpu.pstate.nzcv >> 28;
        let (z, c, v) = (f >> 2 & 1, f >> 1 & 1, f & 1);
        self.cpu.pstate.nzcv = ((z | v) << 2 | (c & (v ^ 1)) << 1) << 28;
        Ok(Step::Next)
    }
    /// MSR (immediate) to PSTATE fields (C5.2): SPSel, PAN, TCO (with MTE) and
    /// DAIFSet/DAIFClr; the fields of features not advertised (UAO, DIT, SSBS, ...) are
    /// UNDEFINED.
    fn msr_imm(&mut self, op1: u32, crm: u32, op2: u32) -> Flow {
        let el = self.cpu.pstate.el;
        match (op1, op2) {
            (0, 5) if el >= 1 => {
                self.cpu.set_el(el, (crm & 1) as u8);
                Ok(Step::Next)
            }
            // FEAT_PAN: MSR PAN, #imm (UNDEFINED at EL0).
            (0, 4) if el >= 1 => {
                self.cpu.set_pan(crm & 1 != 0);
                Ok(Step::Next)
            }
            // FEAT_MTE: MSR TCO, #imm, allowed at EL0 too.
            (3, 4) if self.cpu.cfg.mte => {
                self.cpu.pstate.tco = crm & 1 != 0;
                Ok(Step::Next)
            }
            (3, 6) | (3, 7) => {
                if el == 0 && self.cpu.el0_sctlr() & (1 << 9) == 0 {
                    let o = SysOperands {
                        op0: 0,
                        op1,
                        crn: 4,
                        crm,
                        op2,
                    };
                    let t = self.cpu.default_target();
                    return Err(Stop::Exc(o.trap(31, false, t)));
                }
                let bits = crm << 6;
                if op2 == 6 {
                    self.cpu.pstate.daif |= bits;
                } else {
                    self.cpu.pstate.daif &= !bits;
                    self.cpu.dcache.unlink(); // a pending interrupt may now be taken
                }
                Ok(Step::Next)
            }
            _ => undef(),
        }
    }
    fn sys(&mut self, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) -> Flow {
        sysop::execute(self, op1, crn, crm, op2, rt)
    }
    /// SYSL: no SYSL operations are implemented (GCS etc. are not advertised), but the
    /// IMPLEMENTATION DEFINED ones (CRn = 11, 15) trap to EL2 under HCR_EL2.TIDCP.
    fn sysl(&mut self, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) -> Flow {
        if crate::sysreg::tidcp_traps(self.cpu, 1, crn) {
            let o = SysOperands {
                op0: 1,
                op1,
                crn,
                crm,
                op2,
            };
            return Err(Stop::Exc(o.trap(rt, true, 2)));
        }
        undef()
    }
    fn msr_reg(&mut self, o0: u32, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) -> Flow {
        self.sysreg_access(
            SysOperands {
                op0: 2 + o0,
                op1,
                crn,
                crm,
                op2,
            },
            rt,
            false,
        )
    }
    fn mrs(&mut self, o0: u32, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) -> Flow {
        self.sysreg_access(
            SysOperands {
                op0: 2 + o0,
                op1,
                crn,
                crm,
                op2,
            },
            rt,
            true,
        )
    }
}
