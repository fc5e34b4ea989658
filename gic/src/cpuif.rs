//! The physical CPU interface, one per PE, reached through the ICC_* system
//! registers: priority mask, binary points, active priorities, group
//! enables, and the acknowledge / priority-drop / deactivate flow.
//!
//! A virtual interface (ICH_*_EL2 list registers and the ICV_* views) will
//! sit beside this one as its own per-PE state; the hook it needs from here
//! is `Gic::deactivate`, which a hardware-mapped list register calls when
//! the guest deactivates its virtual interrupt.

use crate::irq::Group;
use crate::lpi::FIRST_LPI;
use crate::prio::{self, MIN_BPR0, MIN_BPR1, PRI_BITS, PRI_MASK};
use crate::{Gic, IccReg, IrqLines};

/// The highest-priority pending interrupt chosen for a PE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Hppi {
    pub(crate) intid: u32,
    pub(crate) priority: u8,
    pub(crate) group: Group,
}

/// INTID returned by an acknowledge or HPPIR read with nothing to report.
pub(crate) const SPURIOUS: u32 = 1023;

/// ICC_CTLR_EL1 read-only fields: PRIbits [10:8] = implemented bits - 1 (4:
/// 32 levels), IDbits [13:11] = 0 (16-bit INTIDs, as GICD_TYPER.IDbits =
/// 15), SEIS [14] = 0 (no SError from the GIC), A3V [15] = 1 (matching
/// GICD_TYPER.A3V), RSS [18] = 0 and ExtRange [19] = 0 (SGIs reach Aff0
/// 0-15 only; no extended INTIDs).
const CTLR_RO: u64 = ((PRI_BITS as u64 - 1) << 8) | (1 << 15);
const CTLR_CBPR: u64 = 1 << 0;
const CTLR_EOIMODE: u64 = 1 << 1;

/// ICC_SRE_EL1/EL2: SRE, DFB and DIB are RAO/WI because only the
/// system-register interface exists (no GICv2 memory-mapped compatibility).
const SRE_RAO: u64 = 0b111;
/// ICC_SRE_EL2.Enable: EL1 may access ICC_SRE_EL1 without trapping to EL2.
const SRE_EL2_ENABLE: u64 = 1 << 3;

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct CpuInterface {
    pmr: u8,
    bpr0: u8,
    bpr1: u8,
    cbpr: bool,
    eoimode: bool,
    igrpen: [bool; 2],
    /// ICC_AP0R0_EL1 and ICC_AP1R0_EL1: one bit per active preemption level.
    apr: [u32; 2],
    sre_el2_enable: bool,
    /// Cached selection, refreshed by `Gic::update` after every change.
    pub(crate) hppi: Option<Hppi>,
    pub(crate) lines: IrqLines,
}

impl CpuInterface {
    pub(crate) fn new() -> Self {
        CpuInterface {
            // Everything masked and both groups disabled until software
            // sets them up; binary points at their minimum.
            pmr: 0,
            bpr0: MIN_BPR0,
            bpr1: MIN_BPR1,
            cbpr: false,
            eoimode: false,
            igrpen: [false, false],
            apr: [0, 0],
            // 1 so that a kernel entered directly at EL1 (no EL2 software to
            // set it) can use ICC_SRE_EL1 without trapping to an empty EL2.
            sre_el2_enable: true,
            hppi: None,
            lines: IrqLines::default(),
        }
    }

    /// ICC_IGRPEN0/1_EL1.Enable.
    pub(crate) fn group_enabled(&self, group: Group) -> bool {
        self.igrpen[group.index()]
    }

    /// Binary point governing `group`, expressed the Group 0 way (keep bits
    /// [7:b+1]). With CBPR set, Group 1 uses ICC_BPR0_EL1 unchanged.
    fn binary_point(&self, group: Group) -> u8 {
        match group {
            Group::G1 if !self.cbpr => self.bpr1.saturating_sub(1),
            _ => self.bpr0,
        }
    }

    fn group_priority(&self, group: Group, priority: u8) -> u8 {
        priority & prio::group_mask(self.binary_point(group))
    }

    pub(crate) fn running_priority(&self) -> u8 {
        prio::running_priority(self.apr[0], self.apr[1])
    }

    /// May `h` be signalled (and acknowledged)? It must be above the priority
    /// mask and its group priority above the running priority.
    pub(crate) fn can_signal(&self, h: &Hppi) -> bool {
        h.priority < self.pmr && self.group_priority(h.group, h.priority) < self.running_priority()
    }

    /// Priority drop for an EOIR write of `group`: clear the highest active
    /// priority, provided it belongs to that group. Returns whether it did.
    fn priority_drop(&mut self, group: Group) -> bool {
        let all = self.apr[0] | self.apr[1];
        if all == 0 {
            return false;
        }
        let bit = 1u32 << all.trailing_zeros();
        let owner = if self.apr[0] & bit != 0 {
            Group::G0
        } else {
            Group::G1
        };
        if owner != group {
            return false;
        }
        self.apr[owner.index()] &= !bit;
        true
    }

    fn bpr1_view(&self) -> u8 {
        if self.cbpr {
            (self.bpr0 + 1).min(7)
        } else {
            self.bpr1
        }
    }
}

impl Gic {
    /// Read an ICC_* register of `cpu` (which must exist).
    pub(crate) fn cpu_read(&mut self, cpu: usize, reg: IccReg) -> u64 {
        let c = &self.cpus[cpu];
        match reg {
            IccReg::Pmr => u64::from(c.pmr),
            IccReg::Iar0 => u64::from(self.acknowledge(cpu, Group::G0)),
            IccReg::Iar1 => u64::from(self.acknowledge(cpu, Group::G1)),
            IccReg::Hppir0 => u64::from(hppir(c, Group::G0)),
            IccReg::Hppir1 => u64::from(hppir(c, Group::G1)),
            IccReg::Bpr0 => u64::from(c.bpr0),
            IccReg::Bpr1 => u64::from(c.bpr1_view()),
            IccReg::Rpr => u64::from(c.running_priority()),
            IccReg::Ctlr => {
                let mut v = CTLR_RO;
                if c.cbpr {
                    v |= CTLR_CBPR;
                }
                if c.eoimode {
                    v |= CTLR_EOIMODE;
                }
                v
            }
            IccReg::SreEl1 => SRE_RAO,
            IccReg::SreEl2 => SRE_RAO | if c.sre_el2_enable { SRE_EL2_ENABLE } else { 0 },
            IccReg::Igrpen0 => u64::from(c.igrpen[0]),
            IccReg::Igrpen1 => u64::from(c.igrpen[1]),
            IccReg::Ap0r(0) => u64::from(c.apr[0]),
            IccReg::Ap1r(0) => u64::from(c.apr[1]),
            // AP*R1-3 are not implemented with 5 preemption bits.
            IccReg::Ap0r(_) | IccReg::Ap1r(_) => 0,
            IccReg::Eoir0
            | IccReg::Eoir1
            | IccReg::Dir
            | IccReg::Sgi0r
            | IccReg::Sgi1r
            | IccReg::Asgi1r => {
                tracing::debug!(cpu, ?reg, "gic: read of a write-only ICC register, RAZ");
                0
            }
        }
    }

    /// Write an ICC_* register of `cpu` (which must exist).
    pub(crate) fn cpu_write(&mut self, cpu: usize, reg: IccReg, value: u64) {
        let c = &mut self.cpus[cpu];
        match reg {
            IccReg::Pmr => c.pmr = value as u8 & PRI_MASK,
            IccReg::Bpr0 => c.bpr0 = (value as u8 & 7).max(MIN_BPR0),
            // With CBPR set, ICC_BPR1_EL1 is an alias view and writes are ignored.
            IccReg::Bpr1 if c.cbpr => {}
            IccReg::Bpr1 => c.bpr1 = (value as u8 & 7).max(MIN_BPR1),
            IccReg::Ctlr => {
                c.cbpr = value & CTLR_CBPR != 0;
                c.eoimode = value & CTLR_EOIMODE != 0;
            }
            IccReg::SreEl1 => {}
            IccReg::SreEl2 => c.sre_el2_enable = value & SRE_EL2_ENABLE != 0,
            IccReg::Igrpen0 => c.igrpen[0] = value & 1 != 0,
            IccReg::Igrpen1 => c.igrpen[1] = value & 1 != 0,
            // Software only writes back values it read (context restore) or 0.
            IccReg::Ap0r(0) => c.apr[0] = value as u32,
            IccReg::Ap1r(0) => c.apr[1] = value as u32,
            IccReg::Ap0r(_) | IccReg::Ap1r(_) => {}
            IccReg::Eoir0 => self.end_of_interrupt(cpu, Group::G0, value),
            IccReg::Eoir1 => self.end_of_interrupt(cpu, Group::G1, value),
            IccReg::Dir => {
                if c.eoimode {
                    self.deactivate(cpu, value as u32 & 0xFF_FFFF);
                } else {
                    tracing::debug!(cpu, value, "gic: ICC_DIR_EL1 write with EOImode=0 ignored");
                }
            }
            IccReg::Sgi1r => self.generate_sgi(cpu, value, true),
            // With one Security state ICC_ASGI1R_EL1 has no "other" Group 1
            // to target and behaves like ICC_SGI0R_EL1.
            IccReg::Sgi0r | IccReg::Asgi1r => self.generate_sgi(cpu, value, false),
            IccReg::Iar0 | IccReg::Iar1 | IccReg::Hppir0 | IccReg::Hppir1 | IccReg::Rpr => {
                tracing::debug!(
                    cpu,
                    ?reg,
                    value,
                    "gic: write to a read-only ICC register ignored"
                );
            }
        }
    }

    /// ICC_IAR0/1_EL1: take the chosen interrupt if it is of `group` and may
    /// preempt; otherwise report spurious with no side effect.
    fn acknowledge(&mut self, cpu: usize, group: Group) -> u32 {
        let c = &self.cpus[cpu];
        let Some(h) = c.hppi.filter(|h| h.group == group && c.can_signal(h)) else {
            return SPURIOUS;
        };
        let bit = prio::apr_bit(c.group_priority(h.group, h.priority));
        self.cpus[cpu].apr[group.index()] |= bit;
        if h.intid >= FIRST_LPI {
            // An LPI has no active state: acknowledging it just clears its pending state.
            self.redists[cpu].lpis.clear_pending(h.intid);
        } else if let Some(irq) = self.private_or_spi_mut(cpu, h.intid) {
            irq.acknowledge();
        }
        h.intid
    }

    /// ICC_EOIR0/1_EL1: priority drop, then deactivation unless EOImode
    /// splits it off to ICC_DIR_EL1. Special and unimplemented INTIDs are
    /// ignored entirely.
    fn end_of_interrupt(&mut self, cpu: usize, group: Group, value: u64) {
        let intid = value as u32 & 0xFF_FFFF;
        let lpi = (FIRST_LPI..1 << 16).contains(&intid);
        if intid >= self.dist.num_intids() && !lpi {
            tracing::debug!(
                cpu,
                intid,
                "gic: EOI of an invalid or special INTID ignored"
            );
            return;
        }
        if !self.cpus[cpu].priority_drop(group) {
            tracing::debug!(
                cpu,
                intid,
                ?group,
                "gic: EOI with no active priority of that group ignored"
            );
            return;
        }
        if !self.cpus[cpu].eoimode {
            self.deactivate(cpu, intid);
        }
    }

    /// Clear the active state of `intid` as seen from `cpu`: SGIs and PPIs
    /// in that PE's redistributor, SPIs in the distributor.
    pub(crate) fn deactivate(&mut self, cpu: usize, intid: u32) {
        if intid >= FIRST_LPI {
            return; // LPIs have no active state
        }
        match self.private_or_spi_mut(cpu, intid) {
            Some(irq) => irq.active = false,
            None => tracing::debug!(cpu, intid, "gic: deactivation of an invalid INTID ignored"),
        }
    }
}

/// ICC_HPPIR0/1_EL1: the chosen interrupt if it is of `group`, ignoring the
/// priority mask and running priority.
fn hppir(c: &CpuInterface, group: Group) -> u32 {
    match c.hppi {
        Some(h) if h.group == group => h.intid,
        _ => SPURIOUS,
    }
}
