//! FEAT_SPE's registers as the guest sees them (`--spe v1|v1p1|v1p2`; Arm ARM D17 and the
//! PMS*/PMB* register descriptions in D24.7): the ID values, the writable fields, the
//! buffer owner (MDCR_EL2.E2PB) and the EL2 traps (MDCR_EL2.TPMS, E2PB).
//! The sampling engine is crate::spe_unit.

use crate::state::{Cpu, CpuConfig};
use crate::sysreg::SR;

/// `needs` of the SPE registers.
pub(crate) fn spe(c: &CpuConfig) -> bool {
    c.spe != 0
}

/// `needs` of the SPEv1p2 registers (PMSNEVFR_EL1).
pub(crate) fn spe_v1p2(c: &CpuConfig) -> bool {
    c.spe >= 3
}

// MDCR_EL2 (D24.3.17).
const MDCR_E2PB_SHIFT: u32 = 12;
const MDCR_TPMS: u64 = 1 << 14;

/// PMBIDR_EL1.Align: 64-byte records, aligned (MaxSize = Align).
const ALIGN: u64 = 6;

/// The Exception level that owns the profiling buffer: EL2 when MDCR_EL2.E2PB is 0b00
/// (with EL2 implemented), else EL1 (D17.7 "ProfilingBufferOwner", no EL3).
pub(crate) fn owner_el(c: &Cpu) -> u8 {
    if c.cfg.has_el2 && (c.sr.get(SR::MDCR_EL2) >> MDCR_E2PB_SHIFT) & 3 == 0 {
        2
    } else {
        1
    }
}

/// Whether an access at EL1 is one EL2 sees: not the host's EL1 ({E2H, TGE} = {1, 1}
/// leaves none).
fn el1_under_el2(c: &Cpu) -> bool {
    c.pstate.el == 1 && c.cfg.has_el2
}

/// PMS* registers at EL1: MDCR_EL2.TPMS traps them to EL2.
pub(crate) fn tpms_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (el1_under_el2(c) && c.sr.get(SR::MDCR_EL2) & MDCR_TPMS != 0).then_some(2)
}

/// PMBLIMITR/PMBPTR/PMBSR at EL1: trapped to EL2 unless MDCR_EL2.E2PB is 0b11 (EL1 owns
/// the buffer without traps); 0b00 (EL2 owns it) and 0b10 (EL1 owns it, trapped) trap.
pub(crate) fn e2pb_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (el1_under_el2(c) && (c.sr.get(SR::MDCR_EL2) >> MDCR_E2PB_SHIFT) & 3 != 3).then_some(2)
}

/// PMSIDR_EL1 (D24.7.14): FE, FT, FL, ArchInst, LDS = 1, ERnd = 0, FnE with SPEv1p2,
/// Interval = 0 (256), MaxSize = 6 (64 bytes), CountSize = 2 (12-bit saturating).
pub(crate) fn pmsidr(cfg: &CpuConfig) -> u64 {
    let fne = (cfg.spe >= 3) as u64;
    0b1_1111 | (fne << 6) | (6 << 12) | (2 << 16)
}

/// PMBIDR_EL1 (D24.7.1): Align = 6; P = 1 when the buffer is owned by a higher Exception
/// level than the reader's; F = 0 (no flag updates).
pub(crate) fn pmbidr_r(c: &Cpu) -> u64 {
    let p = (owner_el(c) > c.pstate.el) as u64;
    ALIGN | (p << 4)
}

/// PMSCR_EL1 (D24.7.8): E0SPE, E1SPE, CX, PA, TS, PCT.
pub(crate) fn pmscr_el1_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMSCR_EL1, v & 0xfb);
}

/// PMSCR_EL2 (D24.7.9): E0HSPE, E2SPE, CX, PA, TS, PCT.
pub(crate) fn pmscr_el2_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMSCR_EL2, v & 0xfb);
}

/// PMSICR_EL1: COUNT [31:0], ECOUNT [63:56] (RES0 without FEAT_SPE_ERnd).
pub(crate) fn pmsicr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMSICR_EL1, v & 0xffff_ffff);
}

/// PMSIRR_EL1: RND [0], INTERVAL [31:8].
pub(crate) fn pmsirr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMSIRR_EL1, v & 0xffff_ff01);
}

/// PMSFCR_EL1: FE [0], FT [1], FL [2], FnE [3] (SPEv1p2), B [16], LD [17], ST [18].
pub(crate) fn pmsfcr_w(c: &mut Cpu, v: u64) {
    let fne = if c.cfg.spe >= 3 { 1 << 3 } else { 0 };
    c.sr.set(SR::PMSFCR_EL1, v & (0x7_0007 | fne));
}

/// The event bits PMSEVFR_EL1/PMSNEVFR_EL1 may filter on at this SPE version (the rest
/// RES0): v1 1, 3, 5, 7, 12-15, 24-31, 48-63; v1p1 adds 11, 17, 18; v1p2 adds 6.
pub(crate) fn event_filter_mask(spe: u8) -> u64 {
    let mut m: u64 = (1 << 1) | (1 << 3) | (1 << 5) | (1 << 7) | (0xf << 12) | (0xff << 24);
    m |= 0xffff << 48;
    if spe >= 2 {
        m |= (1 << 11) | (1 << 17) | (1 << 18);
    }
    if spe >= 3 {
        m |= 1 << 6;
    }
    m
}

/// PMSEVFR_EL1.
pub(crate) fn pmsevfr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMSEVFR_EL1, v & event_filter_mask(c.cfg.spe));
}

/// PMSNEVFR_EL1 (SPEv1p2).
pub(crate) fn pmsnevfr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMSNEVFR_EL1, v & event_filter_mask(c.cfg.spe));
}

/// PMSLATFR_EL1: MINLAT [11:0] (the 12-bit counters).
pub(crate) fn pmslatfr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMSLATFR_EL1, v & 0xfff);
}

/// PMBLIMITR_EL1: E [0], FM [2:1], LIMIT [63:12].
pub(crate) fn pmblimitr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMBLIMITR_EL1, v & (!0xfff | 0x7));
}

/// PMBPTR_EL1: a virtual address; the low bits stay as written (records are aligned by
/// the sampling engine, which writes at PMBPTR).
pub(crate) fn pmbptr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMBPTR_EL1, v);
}

/// PMBSR_EL1: EC [31:26], DL [19], EA [18], S [17], COLL [16], MSS [15:0].
pub(crate) fn pmbsr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::PMBSR_EL1, v & 0xfc0f_ffff);
}

/// The SPE registers whose reset value is UNKNOWN (all fields but the enables, D24.7):
/// hypsim resets them to zero; `--poison-unknown` writes this pattern through each
/// register's write mask instead. The enables (PMSCR_ELx.E*SPE, PMBLIMITR_EL1.E) and
/// PMBSR_EL1.S stay 0, so nothing is sampled or signalled before software asks.
const POISON: u64 = 0xa5a5_5a5a_c3c3_3c3c;

impl Cpu {
    /// `--poison-unknown`: fill the UNKNOWN-reset SPE state with non-zero garbage.
    pub fn poison_unknown(&mut self) {
        if self.cfg.spe == 0 {
            return;
        }
        pmscr_el1_w(self, POISON & !0b11);
        pmscr_el2_w(self, POISON & !0b11);
        pmsicr_w(self, POISON);
        pmsirr_w(self, POISON);
        pmsfcr_w(self, POISON);
        pmsevfr_w(self, POISON);
        pmsnevfr_w(self, POISON);
        pmslatfr_w(self, POISON);
        pmblimitr_w(self, POISON & !1);
        pmbptr_w(self, POISON);
        pmbsr_w(self, POISON & !(1 << 17));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filterable_events_grow_with_the_version() {
        assert_eq!(event_filter_mask(1) & (1 << 6), 0);
        assert_eq!(event_filter_mask(1) & (1 << 11), 0);
        assert_ne!(event_filter_mask(2) & (1 << 11), 0);
        assert_ne!(event_filter_mask(3) & (1 << 6), 0);
        assert_eq!(event_filter_mask(3) & (1 << 2), 0, "L1D access: v1p4");
    }
}
