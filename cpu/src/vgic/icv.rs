//! ICV_* registers: what EL1's ICC_* accesses become while HCR_EL2.IMO/FMO virtualize
//! them (GICv3 12.3 ICV_* descriptions and their accessibility pseudocode).

use super::{hcr, lr, vmcr, Pending, PRIO_MASK, SPURIOUS};
use crate::bits::{HCR_FMO, HCR_IMO, HCR_TGE};
use crate::state::Cpu;
use crate::sysreg::SR;

/// A virtualizable CPU interface register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IcvReg {
    Iar(bool),
    Eoir(bool),
    Hppir(bool),
    Bpr(bool),
    /// Active priorities register n of a group; only n = 0 is implemented (5 bits).
    Apr(bool, u32),
    Igrpen(bool),
    Pmr,
    Ctlr,
    Dir,
    Rpr,
}

/// Which group's virtualization (FMO for Group 0, IMO for Group 1) governs a register;
/// `None` for the common ones (either bit).
fn group_of(r: IcvReg) -> Option<bool> {
    match r {
        IcvReg::Iar(g)
        | IcvReg::Eoir(g)
        | IcvReg::Hppir(g)
        | IcvReg::Bpr(g)
        | IcvReg::Apr(g, _)
        | IcvReg::Igrpen(g) => Some(g),
        _ => None,
    }
}

/// The ICC register (op0 = 3, op1 = 0) with this CRn, CRm, op2, if it is virtualizable;
/// `Err(())` for the SGI generation registers, which trap instead.
fn decode(crn: u32, crm: u32, op2: u32) -> Option<Result<IcvReg, ()>> {
    use IcvReg::*;
    let r = match (crn, crm, op2) {
        (4, 6, 0) => Pmr,
        (12, 8, 0) => Iar(false),
        (12, 8, 1) => Eoir(false),
        (12, 8, 2) => Hppir(false),
        (12, 8, 3) => Bpr(false),
        (12, 8, n @ 4..=7) => Apr(false, n - 4),
        (12, 9, n @ 0..=3) => Apr(true, n),
        (12, 11, 1) => Dir,
        (12, 11, 3) => Rpr,
        (12, 11, 5..=7) => return Some(Err(())),
        (12, 12, 0) => Iar(true),
        (12, 12, 1) => Eoir(true),
        (12, 12, 2) => Hppir(true),
        (12, 12, 3) => Bpr(true),
        (12, 12, 4) => Ctlr,
        (12, 12, 6) => Igrpen(false),
        (12, 12, 7) => Igrpen(true),
        _ => return None,
    };
    Some(Ok(r))
}

/// Where an EL1 ICC_* access goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IcvRoute {
    /// The physical CPU interface (the platform).
    Physical,
    /// The virtual CPU interface.
    Virtual(IcvReg),
    /// Trapped to EL2 (EC 0x18): SGI generation under IMO/FMO, or ICH_HCR_EL2's TALL0,
    /// TALL1, TC, TDIR.
    TrapEl2,
}

/// Route an access with op0 = 3, op1 = 0 at the current EL.
pub(crate) fn icv_route(c: &Cpu, op0: u32, op1: u32, crn: u32, crm: u32, op2: u32) -> IcvRoute {
    let hcr_el2 = c.hcr();
    if c.pstate.el != 1 || op0 != 3 || op1 != 0 || hcr_el2 & HCR_TGE != 0 {
        return IcvRoute::Physical;
    }
    let virt = |g: Option<bool>| match g {
        Some(true) => hcr_el2 & HCR_IMO != 0,
        Some(false) => hcr_el2 & HCR_FMO != 0,
        None => hcr_el2 & (HCR_IMO | HCR_FMO) != 0,
    };
    let r = match decode(crn, crm, op2) {
        None => return IcvRoute::Physical,
        Some(Err(())) if virt(None) => return IcvRoute::TrapEl2,
        Some(Err(())) => return IcvRoute::Physical,
        Some(Ok(r)) => r,
    };
    if !virt(group_of(r)) {
        return IcvRoute::Physical;
    }
    let h = c.sr.get(SR::ICH_HCR_EL2);
    let trapped = match group_of(r) {
        Some(false) => h & hcr::TALL0 != 0,
        Some(true) => h & hcr::TALL1 != 0,
        None => h & hcr::TC != 0 || (r == IcvReg::Dir && h & hcr::TDIR != 0),
    };
    if trapped {
        IcvRoute::TrapEl2
    } else {
        IcvRoute::Virtual(r)
    }
}

/// ICV_CTLR_EL1 read-only fields: PRIbits = 4 (5 bits) \[10:8\], IDbits = 0 (16 bits),
/// A3V = 1 \[15\].
const CTLR_RO: u64 = (4 << 8) | (1 << 15);

impl Cpu {
    fn vmcr(&self) -> u64 {
        self.sr.get(SR::ICH_VMCR_EL2)
    }
    fn set_vmcr_field(&mut self, shift: u32, width: u32, v: u64) {
        let mask = ((1u64 << width) - 1) << shift;
        let n = (self.vmcr() & !mask) | ((v << shift) & mask);
        self.sr.set(SR::ICH_VMCR_EL2, n);
    }
    fn apr_reg(group1: bool) -> SR {
        if group1 {
            SR::ICH_AP1R0_EL2
        } else {
            SR::ICH_AP0R0_EL2
        }
    }

    /// MRS of an ICV_* register. Reading ICV_IAR acknowledges.
    pub(crate) fn icv_read(&mut self, r: IcvReg) -> u64 {
        let v = self.vmcr();
        match r {
            IcvReg::Iar(g) => self.icv_acknowledge(g) as u64,
            // The highest-priority pending interrupt if it belongs to this group, else
            // 1023 (GICv3 ICV_HPPIR<n>_EL1; likewise KVM's __vgic_v3_read_hppir()).
            IcvReg::Hppir(g) => self
                .vgic_hppi()
                .filter(|p| p.group1 == g)
                .map_or(SPURIOUS, |p| p.vintid) as u64,
            IcvReg::Bpr(false) => self.vbpr(false) as u64,
            IcvReg::Bpr(true) if v & vmcr::VCBPR != 0 => (self.vbpr(false) + 1).min(7) as u64,
            IcvReg::Bpr(true) => self.vbpr(true) as u64,
            IcvReg::Apr(g, 0) => self.sr.get(Self::apr_reg(g)),
            IcvReg::Apr(..) => 0,
            IcvReg::Igrpen(false) => v & vmcr::VENG0,
            IcvReg::Igrpen(true) => (v & vmcr::VENG1) >> 1,
            IcvReg::Pmr => (v >> vmcr::VPMR_SHIFT) & PRIO_MASK as u64,
            IcvReg::Ctlr => {
                CTLR_RO | ((v & vmcr::VEOIM != 0) as u64) << 1 | (v & vmcr::VCBPR != 0) as u64
            }
            IcvReg::Rpr => self.vgic_running_priority() as u64,
            IcvReg::Eoir(_) | IcvReg::Dir => 0, // write-only: not routed here for reads
        }
    }

    /// MSR of an ICV_* register. Returns the physical INTID to deactivate in the
    /// distributor when an EOI or DIR deactivated a hardware interrupt (ICH_LR.HW = 1).
    pub(crate) fn icv_write(&mut self, r: IcvReg, value: u64) -> Option<u32> {
        match r {
            IcvReg::Eoir(g) => {
                let intid = value as u32 & 0xff_ffff;
                // A special INTID (1020-1023) is ignored: no priority drop, no
                // deactivation (GICv3 specification, ICV_EOIR<n>_EL1 and the special
                // INTIDs; QEMU's icv_eoir_write() likewise returns before dropping).
                if (1020..=1023).contains(&intid) {
                    return None;
                }
                self.icv_priority_drop(g);
                if self.vmcr() & vmcr::VEOIM == 0 {
                    return self.icv_deactivate(intid);
                }
            }
            IcvReg::Dir => {
                if self.vmcr() & vmcr::VEOIM != 0 {
                    return self.icv_deactivate(value as u32 & 0xff_ffff);
                }
            }
            IcvReg::Bpr(false) => self.set_vmcr_field(vmcr::VBPR0_SHIFT, 3, value.max(2)),
            IcvReg::Bpr(true) => {
                if self.vmcr() & vmcr::VCBPR == 0 {
                    self.set_vmcr_field(vmcr::VBPR1_SHIFT, 3, value.max(3))
                }
            }
            IcvReg::Apr(g, 0) => self.sr.set(Self::apr_reg(g), value & 0xffff_ffff),
            IcvReg::Apr(..) => {}
            IcvReg::Igrpen(false) => self.set_vmcr_field(0, 1, value & 1),
            IcvReg::Igrpen(true) => self.set_vmcr_field(1, 1, value & 1),
            IcvReg::Pmr => self.set_vmcr_field(vmcr::VPMR_SHIFT, 8, value & PRIO_MASK as u64),
            IcvReg::Ctlr => {
                self.set_vmcr_field(4, 1, value & 1); // CBPR -> VCBPR
                self.set_vmcr_field(9, 1, (value >> 1) & 1); // EOImode -> VEOIM
            }
            IcvReg::Iar(_) | IcvReg::Hppir(_) | IcvReg::Rpr => {} // read-only
        }
        None
    }

    /// ICV_IAR: the highest-priority pending interrupt of the group becomes active and its
    /// group priority active, if it can be signalled; otherwise 1023.
    fn icv_acknowledge(&mut self, group1: bool) -> u32 {
        let Some(p): Option<Pending> = self.vgic_hppi() else {
            return SPURIOUS;
        };
        if p.group1 != group1 || !self.vgic_can_signal(&p) {
            return SPURIOUS;
        }
        let v = self.lr(p.lr);
        let state_mask = 0b11 << lr::STATE_SHIFT;
        self.set_lr(p.lr, (v & !state_mask) | (lr::ACTIVE << lr::STATE_SHIFT));
        let bit = self.vgic_group_priority(group1, p.priority) >> 3;
        let apr = Self::apr_reg(group1);
        let a = self.sr.get(apr) | (1 << bit);
        self.sr.set(apr, a);
        self.dcache.unlink(); // the virtual lines changed
        p.vintid
    }

    /// Priority drop of an ICV_EOIR: clear the highest active priority if it belongs to
    /// this group.
    fn icv_priority_drop(&mut self, group1: bool) {
        let (a0, a1) = self.vgic_apr();
        let all = a0 | a1;
        if all == 0 {
            return;
        }
        let bit = 1u32 << all.trailing_zeros();
        let owner1 = a0 & bit == 0;
        if owner1 == group1 {
            let apr = Self::apr_reg(group1);
            let a = self.sr.get(apr) & !(bit as u64);
            self.sr.set(apr, a);
        }
        self.dcache.unlink();
    }

    /// Deactivate virtual `intid`: clear the active state of its list register. A
    /// hardware interrupt's physical INTID is returned for deactivation in the GIC; no
    /// matching list register counts in ICH_HCR_EL2.EOIcount (for LRENP maintenance).
    fn icv_deactivate(&mut self, intid: u32) -> Option<u32> {
        let found = (0..super::LRS.len()).find(|&n| {
            let v = self.lr(n);
            lr::vintid(v) == intid && lr::state(v) & lr::ACTIVE != 0
        });
        self.dcache.unlink();
        let Some(n) = found else {
            if intid < 1020 {
                let h = self.sr.get(SR::ICH_HCR_EL2);
                let count = ((h >> hcr::EOICOUNT_SHIFT) + 1) & 0x1f;
                let h = (h & !(0x1f << hcr::EOICOUNT_SHIFT)) | (count << hcr::EOICOUNT_SHIFT);
                self.sr.set(SR::ICH_HCR_EL2, h);
            }
            return None;
        };
        let v = self.lr(n) & !(lr::ACTIVE << lr::STATE_SHIFT);
        self.set_lr(n, v);
        (v & lr::HW != 0).then_some(((v >> lr::PINTID_SHIFT) & 0x1fff) as u32)
    }
}
