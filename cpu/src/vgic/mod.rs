//! The GICv3 virtual CPU interface of this PE (GICv3 architecture specification, IHI 0069,
//! chapter 6 "Virtual interrupt handling and prioritization", and the ICH_*/ICV_* register
//! descriptions in chapter 12).
//!
//! The hypervisor programs list registers (ICH_LR<n>_EL2), ICH_VMCR_EL2 and ICH_HCR_EL2;
//! with HCR_EL2.IMO/FMO set, EL1's ICC_* accesses reach the ICV_* registers implemented
//! here instead of the physical interface, the highest-priority pending list register
//! raises a virtual IRQ (Group 1) or FIQ (Group 0), and ICH_MISR_EL2 drives the maintenance
//! interrupt (PPI 9, INTID 25), whose level the board feeds to the GIC. Everything is state
//! of the PE (its ICH_* registers), so this lives in `cpu`; only the deactivation of a
//! hardware interrupt (ICH_LR.HW = 1) reaches the physical GIC, through the Platform.
//!
//! Implemented: four list registers, 5 priority and preemption bits (ICH_VTR_EL2), 16-bit
//! INTIDs, both groups, EOImode split, the EOI/U/LRENP/NP/VGrp maintenance conditions, the
//! ICH_HCR_EL2 TALL0/TALL1/TC/TDIR traps. Not implemented: GICv4 direct injection (nV4),
//! LPIs in list registers beyond treating their INTID like any other.

mod icv;
mod regs;

pub(crate) use icv::{icv_route, IcvReg, IcvRoute};
pub(crate) use regs::{eisr, elrsr, misr};

use crate::state::Cpu;
use crate::sysreg::SR;

/// The list registers, in order.
pub(crate) const LRS: [SR; 4] = [
    SR::ICH_LR0_EL2,
    SR::ICH_LR1_EL2,
    SR::ICH_LR2_EL2,
    SR::ICH_LR3_EL2,
];

/// ICH_LR<n>_EL2 fields.
pub(crate) mod lr {
    /// State \[63:62\]: 0b00 invalid, 0b01 pending, 0b10 active, 0b11 pending and active.
    pub const STATE_SHIFT: u32 = 62;
    pub const PENDING: u64 = 0b01;
    pub const ACTIVE: u64 = 0b10;
    /// HW \[61\]: the virtual interrupt is tied to physical pINTID.
    pub const HW: u64 = 1 << 61;
    /// Group \[60\].
    pub const GROUP1: u64 = 1 << 60;
    /// Priority \[55:48\].
    pub const PRIORITY_SHIFT: u32 = 48;
    /// With HW = 0, bit 41 is EOI: ask for a maintenance interrupt when deactivated.
    pub const EOI: u64 = 1 << 41;
    /// pINTID \[44:32\] (with HW = 1).
    pub const PINTID_SHIFT: u32 = 32;

    pub fn state(v: u64) -> u64 {
        v >> STATE_SHIFT
    }
    pub fn vintid(v: u64) -> u32 {
        v as u32
    }
    pub fn priority(v: u64) -> u8 {
        // Only the 5 implemented priority bits (ICH_VTR_EL2.PRIbits = 4).
        (v >> PRIORITY_SHIFT) as u8 & super::PRIO_MASK
    }
    pub fn group1(v: u64) -> bool {
        v & GROUP1 != 0
    }
}

/// ICH_VMCR_EL2 fields.
pub(crate) mod vmcr {
    pub const VENG0: u64 = 1 << 0;
    pub const VENG1: u64 = 1 << 1;
    pub const VCBPR: u64 = 1 << 4;
    pub const VEOIM: u64 = 1 << 9;
    pub const VBPR1_SHIFT: u32 = 18;
    pub const VBPR0_SHIFT: u32 = 21;
    pub const VPMR_SHIFT: u32 = 24;
}

/// ICH_HCR_EL2 fields.
pub(crate) mod hcr {
    pub const EN: u64 = 1 << 0;
    pub const UIE: u64 = 1 << 1;
    pub const LRENPIE: u64 = 1 << 2;
    pub const NPIE: u64 = 1 << 3;
    pub const VGRP0EIE: u64 = 1 << 4;
    pub const VGRP0DIE: u64 = 1 << 5;
    pub const VGRP1EIE: u64 = 1 << 6;
    pub const VGRP1DIE: u64 = 1 << 7;
    pub const TC: u64 = 1 << 10;
    pub const TALL0: u64 = 1 << 11;
    pub const TALL1: u64 = 1 << 12;
    pub const TDIR: u64 = 1 << 14;
    pub const EOICOUNT_SHIFT: u32 = 27;
}

/// Implemented priority bits: 5 (values are multiples of 8).
pub(crate) const PRIO_MASK: u8 = 0xf8;
/// Minimum binary points with 5 preemption bits: BPR0 >= 2, BPR1 >= 3.
const MIN_BPR0: u8 = 2;
/// No interrupt: the idle running priority and the "spurious" INTID.
const IDLE_PRIORITY: u8 = 0xff;
pub(crate) const SPURIOUS: u32 = 1023;

/// A highest-priority pending list register.
#[derive(Clone, Copy)]
pub(crate) struct Pending {
    pub lr: usize,
    pub priority: u8,
    pub group1: bool,
    pub vintid: u32,
}

impl Cpu {
    pub(crate) fn lr(&self, n: usize) -> u64 {
        self.sr.get(LRS[n])
    }
    pub(crate) fn set_lr(&mut self, n: usize, v: u64) {
        self.sr.set(LRS[n], v)
    }

    /// The highest-priority pending list register whose group is enabled, lowest index
    /// first among equals (GICv3 6.2: ties are IMPLEMENTATION DEFINED). A list register of
    /// a disabled group (ICH_VMCR_EL2.VENG0/VENG1 = 0) is skipped, so a lower-priority one
    /// of the enabled group can still be signalled and acknowledged. This follows the
    /// GICv3 HighestPriorityVirtualInterrupt() function as QEMU's hppvi_index() (which
    /// cites it) and KVM's __vgic_v3_highest_priority_lr() both implement it.
    pub(crate) fn vgic_hppi(&self) -> Option<Pending> {
        let vmcr = self.sr.get(SR::ICH_VMCR_EL2);
        (0..LRS.len())
            .filter_map(|n| {
                let v = self.lr(n);
                let enabled = if lr::group1(v) {
                    vmcr & vmcr::VENG1 != 0
                } else {
                    vmcr & vmcr::VENG0 != 0
                };
                (lr::state(v) == lr::PENDING && enabled).then(|| Pending {
                    lr: n,
                    priority: lr::priority(v),
                    group1: lr::group1(v),
                    vintid: lr::vintid(v),
                })
            })
            .min_by_key(|p| (p.priority, p.lr))
    }

    /// Binary point of `group1`'s interrupts in the Group 0 form (keep priority bits
    /// \[7:b+1\]); with VCBPR, Group 1 uses VBPR0.
    fn vgic_binary_point(&self, group1: bool) -> u8 {
        if group1 && self.sr.get(SR::ICH_VMCR_EL2) & vmcr::VCBPR == 0 {
            self.vbpr(true) - 1
        } else {
            self.vbpr(false)
        }
    }

    /// ICH_VMCR_EL2.VBPR0 or VBPR1 as ICV_BPR0/1_EL1 read them: at least the minimum
    /// binary point of 5 preemption bits (2 for Group 0, 3 for Group 1).
    pub(crate) fn vbpr(&self, group1: bool) -> u8 {
        let v = self.sr.get(SR::ICH_VMCR_EL2);
        if group1 {
            (((v >> vmcr::VBPR1_SHIFT) & 7) as u8).max(MIN_BPR0 + 1)
        } else {
            (((v >> vmcr::VBPR0_SHIFT) & 7) as u8).max(MIN_BPR0)
        }
    }

    /// Group (preemption) priority of `priority`: bits \[7:b+1\] (none when b = 7; the
    /// shift is done in 16 bits so a guest's VBPR0 = 7 cannot overflow it).
    pub(crate) fn vgic_group_priority(&self, group1: bool, priority: u8) -> u8 {
        priority & (0xffu16 << (self.vgic_binary_point(group1) + 1)) as u8
    }

    /// The active-priority bitmaps (ICH_AP0R0_EL2, ICH_AP1R0_EL2): bit n = group priority
    /// n << 3 is active.
    pub(crate) fn vgic_apr(&self) -> (u32, u32) {
        (
            self.sr.get(SR::ICH_AP0R0_EL2) as u32,
            self.sr.get(SR::ICH_AP1R0_EL2) as u32,
        )
    }

    /// ICV_RPR_EL1: the highest active group priority, or 0xff when nothing is active.
    pub(crate) fn vgic_running_priority(&self) -> u8 {
        let (a0, a1) = self.vgic_apr();
        let all = a0 | a1;
        if all == 0 {
            IDLE_PRIORITY
        } else {
            (all.trailing_zeros() as u8) << 3
        }
    }

    /// May pending interrupt `p` be signalled and acknowledged: its group enabled, above
    /// the virtual priority mask, and its group priority above the running priority.
    pub(crate) fn vgic_can_signal(&self, p: &Pending) -> bool {
        let v = self.sr.get(SR::ICH_VMCR_EL2);
        let enabled = if p.group1 {
            v & vmcr::VENG1 != 0
        } else {
            v & vmcr::VENG0 != 0
        };
        let vpmr = (v >> vmcr::VPMR_SHIFT) as u8 & PRIO_MASK;
        enabled
            && p.priority < vpmr
            && self.vgic_group_priority(p.group1, p.priority) < self.vgic_running_priority()
    }

    /// The virtual IRQ and FIQ the list registers signal (ICH_HCR_EL2.En = 1): the
    /// highest-priority pending interrupt, Group 1 as vIRQ and Group 0 as vFIQ.
    pub(crate) fn vgic_lines(&self) -> (bool, bool) {
        if !self.cfg.has_el2 || self.sr.get(SR::ICH_HCR_EL2) & hcr::EN == 0 {
            return (false, false);
        }
        match self.vgic_hppi() {
            Some(p) if self.vgic_can_signal(&p) => (p.group1, !p.group1),
            _ => (false, false),
        }
    }

    /// Level of the maintenance interrupt: ICH_HCR_EL2.En and a maintenance condition
    /// (ICH_MISR_EL2 non-zero).
    pub fn maintenance_interrupt(&self) -> bool {
        self.cfg.has_el2 && misr(self) != 0
    }
}
