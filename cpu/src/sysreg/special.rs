//! Registers whose reads or writes do more than touch storage.

use super::SR;
use crate::state::Cpu;

pub(super) fn nzcv_r(c: &Cpu) -> u64 {
    c.pstate.nzcv as u64
}
pub(super) fn nzcv_w(c: &mut Cpu, v: u64) {
    c.pstate.nzcv = (v as u32) & 0xf000_0000;
}
pub(super) fn daif_r(c: &Cpu) -> u64 {
    c.pstate.daif as u64
}
pub(super) fn daif_w(c: &mut Cpu, v: u64) {
    c.pstate.daif = (v as u32) & 0x3c0;
    c.dcache.unlink(); // unmasking may let a pending interrupt in
}
pub(super) fn currentel_r(c: &Cpu) -> u64 {
    (c.pstate.el as u64) << 2
}
pub(super) fn spsel_r(c: &Cpu) -> u64 {
    c.pstate.sp as u64
}
pub(super) fn spsel_w(c: &mut Cpu, v: u64) {
    let el = c.pstate.el;
    c.set_el(el, (v & 1) as u8);
}
pub(super) fn sp_el0_r(c: &Cpu) -> u64 {
    c.sp_el(0)
}
pub(super) fn sp_el0_w(c: &mut Cpu, v: u64) {
    c.set_sp_el(0, v)
}
pub(super) fn sp_el1_r(c: &Cpu) -> u64 {
    c.sp_el(1)
}
pub(super) fn sp_el1_w(c: &mut Cpu, v: u64) {
    c.set_sp_el(1, v)
}

/// VBAR_ELx bits 10:0 are RES0.
pub(super) fn vbar_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::VBAR_EL1, v & !0x7ff)
}
pub(super) fn vbar_w2(c: &mut Cpu, v: u64) {
    c.sr.set(SR::VBAR_EL2, v & !0x7ff)
}

/// MIDR_EL1/MPIDR_EL1 read at EL1 return VPIDR_EL2/VMPIDR_EL2 when EL2 is implemented
/// (D23.2 MIDR_EL1, "reads from EL1 return the value of VPIDR_EL2").
pub(super) fn midr_r(c: &Cpu) -> u64 {
    if c.cfg.has_el2 && c.pstate.el == 1 {
        c.sr.get(SR::VPIDR_EL2)
    } else {
        c.sr.get(SR::MIDR_EL1)
    }
}
pub(super) fn mpidr_r(c: &Cpu) -> u64 {
    if c.cfg.has_el2 && c.pstate.el == 1 {
        c.sr.get(SR::VMPIDR_EL2)
    } else {
        c.sr.get(SR::MPIDR_EL1)
    }
}

/// CCSIDR_EL1 for the cache CSSELR_EL1 selects: 64-byte lines, 32 KiB 4-way (L1D) or
/// 48 KiB 3-way (L1I) in the CCIDX-less format; others read 0.
pub(super) fn ccsidr_r(c: &Cpu) -> u64 {
    let csselr = c.sr.get(SR::CSSELR_EL1);
    if let Some(m) = c.core.as_deref() {
        // The core --cpu names: its caches, CSSELR_EL1.Level [3:1], InD [0].
        return m.ccsidr(((csselr >> 1) & 7) as u32, csselr & 1 != 0);
    }
    match csselr & 0xf {
        0 => (127 << 13) | (3 << 3) | 2, // L1D: 128 sets, 4 ways, LineSize 2 (=64 B)
        1 => (255 << 13) | (2 << 3) | 2, // L1I: 256 sets, 3 ways
        _ => 0,
    }
}

/// Physical count: the simulated clock (1 tick = 1 cycle at 1 GHz).
pub(super) fn cntpct_r(c: &Cpu) -> u64 {
    c.cycles
}
/// Virtual count = physical count - CNTVOFF_EL2 (D12.1.2), where the offset applies
/// (see `Cpu::virtual_offset`).
pub(super) fn cntvct_r(c: &Cpu) -> u64 {
    c.cycles.wrapping_sub(c.virtual_offset())
}

/// EL0 traps go to EL1, or EL2 when HCR_EL2.TGE routes EL0 there.
fn el0_target(c: &Cpu) -> u8 {
    if c.hcr() & crate::bits::HCR_TGE != 0 {
        2
    } else {
        1
    }
}

/// SCTLR_EL1.UMA = 0 traps EL0 DAIF accesses (SCTLR_EL2.UMA in the VHE host).
pub(super) fn uma_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (c.pstate.el == 0 && c.el0_sctlr() & (1 << 9) == 0).then(|| el0_target(c))
}
/// SCTLR_EL1.UCT = 0 traps EL0 reads of CTR_EL0 (SCTLR_EL2.UCT in the VHE host).
pub(super) fn uct_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (c.pstate.el == 0 && c.el0_sctlr() & (1 << 15) == 0).then(|| el0_target(c))
}
/// CNTKCTL_EL1.EL0PCTEN (bit 0) / EL0VCTEN (bit 1) gate EL0 counter reads. In the VHE
/// host the same bits of CNTHCTL_EL2 (its E2H layout) do (D12.x, CNTHCTL_EL2).
fn cntkctl_trap(c: &Cpu, bits: u64) -> Option<u8> {
    let ctl = if c.in_host() {
        SR::CNTHCTL_EL2
    } else {
        SR::CNTKCTL_EL1
    };
    (c.pstate.el == 0 && c.sr.get(ctl) & bits == 0).then(|| el0_target(c))
}
pub(super) fn cntfrq_trap(c: &Cpu, _read: bool) -> Option<u8> {
    cntkctl_trap(c, 3)
}
pub(super) fn cntpct_trap(c: &Cpu, _read: bool) -> Option<u8> {
    cntkctl_trap(c, 1)
}
pub(super) fn cntvct_trap(c: &Cpu, _read: bool) -> Option<u8> {
    cntkctl_trap(c, 2)
}

/// HCR_EL2.RW (bit 31) is RES1: EL1 cannot run AArch32 (ID_AA64PFR0_EL1.EL1 = 1).
pub(super) const HCR_RW: u64 = 1 << 31;
pub(super) fn hcr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::HCR_EL2, v | HCR_RW);
    c.dcache.unlink(); // IMO/FMO/TGE change where interrupts go
}

// ---- Generic timer registers (D12.2); the behaviour lives in crate::timer ----
use crate::timer::Timer;

macro_rules! timer_accessors {
    ($t:expr, $ctl_r:ident, $ctl_w:ident, $tval_r:ident, $tval_w:ident) => {
        pub(super) fn $ctl_r(c: &Cpu) -> u64 {
            c.timer_ctl_read($t)
        }
        pub(super) fn $ctl_w(c: &mut Cpu, v: u64) {
            c.timer_ctl_write($t, v)
        }
        pub(super) fn $tval_r(c: &Cpu) -> u64 {
            c.timer_tval_read($t)
        }
        pub(super) fn $tval_w(c: &mut Cpu, v: u64) {
            c.timer_tval_write($t, v)
        }
    };
}
timer_accessors!(
    Timer::Phys,
    cntp_ctl_r,
    cntp_ctl_w,
    cntp_tval_r,
    cntp_tval_w
);
timer_accessors!(
    Timer::Virt,
    cntv_ctl_r,
    cntv_ctl_w,
    cntv_tval_r,
    cntv_tval_w
);
timer_accessors!(
    Timer::HypVirt,
    cnthv_ctl_r,
    cnthv_ctl_w,
    cnthv_tval_r,
    cnthv_tval_w
);
timer_accessors!(
    Timer::HypPhys,
    cnthp_ctl_r,
    cnthp_ctl_w,
    cnthp_tval_r,
    cnthp_tval_w
);

/// CNTHCTL_EL2: EL1PCTEN gates CNTPCT_EL0 and EL1PCEN the EL1 physical timer registers for
/// accesses from EL0 and EL1: bits 0 and 1 when E2H = 0, bits 10 and 11 in the E2H layout
/// (which reuses bits 0 and 1 for EL0PCTEN/EL0VCTEN). (nVHE bit, VHE bit) pairs.
const CNTHCTL_EL1PCTEN: (u64, u64) = (1 << 0, 1 << 10);
const CNTHCTL_EL1PCEN: (u64, u64) = (1 << 1, 1 << 11);
/// CNTKCTL_EL1: EL0VTEN bit 8 and EL0PTEN bit 9 gate the EL0 timer registers.
const CNTKCTL_EL0VTEN: u64 = 1 << 8;
const CNTKCTL_EL0PTEN: u64 = 1 << 9;

/// The EL2 gate of an EL0/EL1 counter or timer access; not in the VHE host, whose EL0 is
/// governed by the EL0 bits of CNTHCTL_EL2 instead (`cntkctl_trap`).
fn el2_gate(c: &Cpu, (nvhe, vhe): (u64, u64)) -> Option<u8> {
    if !c.cfg.has_el2 || c.pstate.el > 1 || c.in_host() {
        return None;
    }
    let bit = if c.e2h() { vhe } else { nvhe };
    (c.sr.get(SR::CNTHCTL_EL2) & bit == 0).then_some(2)
}

/// EL1 physical timer: EL0 needs CNTKCTL_EL1.EL0PTEN; EL0 and EL1 need CNTHCTL_EL2.EL1PCEN.
pub(super) fn cntp_trap(c: &Cpu, _read: bool) -> Option<u8> {
    cntkctl_trap(c, CNTKCTL_EL0PTEN).or_else(|| el2_gate(c, CNTHCTL_EL1PCEN))
}
/// EL1 virtual timer: EL0 needs CNTKCTL_EL1.EL0VTEN.
pub(super) fn cntv_trap(c: &Cpu, _read: bool) -> Option<u8> {
    cntkctl_trap(c, CNTKCTL_EL0VTEN)
}
/// CNTPCT_EL0: EL0 needs CNTKCTL_EL1.EL0PCTEN; EL0 and EL1 need CNTHCTL_EL2.EL1PCTEN.
pub(super) fn cntpct_full_trap(c: &Cpu, read: bool) -> Option<u8> {
    cntpct_trap(c, read).or_else(|| el2_gate(c, CNTHCTL_EL1PCTEN))
}

/// OSLSR_EL1 at reset: OSLM = 0b10 (OS lock implemented, bits 3 and 0) and OSLK = 1
/// (the OS lock is locked after a cold reset, D2.5).
pub(super) const OSLSR_RESET: u64 = (1 << 3) | (1 << 1);

/// OSLAR_EL1.OSLK (bit 0) sets OSLSR_EL1.OSLK (bit 1).
pub(super) fn oslar_w(c: &mut Cpu, v: u64) {
    let oslsr = (c.sr.get(SR::OSLSR_EL1) & !2) | ((v & 1) << 1);
    c.sr.set(SR::OSLSR_EL1, oslsr);
}

/// ICH_VTR_EL2: ListRegs = 3 (four list registers), PREbits = PRIbits = 4 (5 bits, as the
/// physical interface), A3V = 1, nV4 = 1 (no GICv4 direct injection), IDbits = 0 (16 bits).
pub(super) const ICH_VTR: u64 = 3 | (1 << 20) | (1 << 21) | (4 << 26) | (4 << 29);

/// ICH_HCR_EL2: En \[0\], UIE, LRENPIE, NPIE, VGrp0EIE/DIE, VGrp1EIE/DIE \[7:1\], TC,
/// TALL0, TALL1 \[12:10\], TDIR \[14\], EOIcount \[31:27\]; other bits RES0 (no TSEI,
/// TDS, vSGIEOICount).
pub(super) fn ich_hcr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::ICH_HCR_EL2, v & 0xf800_5cff);
}

/// FPCR: the implemented bits (AHP 26, DN 25, FZ 24, RMode 23:22, FZ16 19; the trap
/// enables 15, 12:8 read as zero since FP exceptions are not trapped).
pub(super) fn fpcr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::FPCR, v & 0x07c8_0000);
}
/// FPSR: cumulative flags IDC 7, IXC 4, UFC 3, OFC 2, DZC 1, IOC 0, and QC 27.
pub(super) fn fpsr_w(c: &mut Cpu, v: u64) {
    c.sr.set(SR::FPSR, v & 0x0800_009f);
}
/// FPCR/FPSR accesses are FP/SIMD accesses: CPACR_EL1.FPEN and CPTR_EL2.TFP apply.
pub(super) fn fp_trap(c: &Cpu, _read: bool) -> Option<u8> {
    c.fp_trap_target()
}

/// ISR_EL1 (D23.2): pending IRQ (I, bit 7), FIQ (F, bit 6) and SError (A, bit 8) as the
/// PE sees them: where HCR_EL2.IMO/FMO/AMO virtualize a class at EL1, its virtual
/// pending state, else the physical one.
pub(super) fn isr_r(c: &Cpu) -> u64 {
    use crate::bits::{HCR_AMO, HCR_FMO, HCR_IMO};
    // Virtualized at EL1 (HCR_EL2.IMO/FMO/AMO, TGE clear): see crate::interrupts.
    let virt = |route: u64| c.virtual_route(route);
    let (virq, vfiq, vserr) = c.virtual_pending();
    let i = if virt(HCR_IMO) { virq } else { c.irq_line };
    let f = if virt(HCR_FMO) { vfiq } else { c.fiq_line };
    let a = if virt(HCR_AMO) {
        vserr
    } else {
        c.serror_pending()
    };
    ((a as u64) << 8) | ((i as u64) << 7) | ((f as u64) << 6)
}

/// DISR_EL1 at EL1 with HCR_EL2.AMO = 1 is VDISR_EL2 (FEAT_RAS).
pub(super) fn disr_r(c: &Cpu) -> u64 {
    c.sr.get(c.disr_register())
}
pub(super) fn disr_w(c: &mut Cpu, v: u64) {
    // A [31], IDS [24], AET [12:10], EA [9], DFSC [5:0] (ISS [23:0] when IDS = 1).
    let r = c.disr_register();
    c.sr.set(r, v & 0x81ff_ffff);
}
/// HCR_EL2.TERR (bit 36) traps EL1 accesses to the RAS error-record registers to EL2.
pub(super) fn terr_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (c.pstate.el == 1 && c.hcr() & (1 << 36) != 0).then_some(2)
}

/// HCR_EL2.FIEN (bit 47, FEAT_RASv1p1) = 0 traps EL1 accesses to the fault injection
/// registers (ERXPFGF/ERXPFGCTL/ERXPFGCDN_EL1) to EL2 (D24.9).
pub(super) fn fien_trap(c: &Cpu, _read: bool) -> Option<u8> {
    (c.pstate.el == 1 && c.cfg.has_el2 && c.hcr() & (1 << 47) == 0).then_some(2)
}

/// PAN (FEAT_PAN): PSTATE.PAN in bit 22.
pub(super) fn pan_r(c: &Cpu) -> u64 {
    (c.pstate.pan as u64) << 22
}
pub(super) fn pan_w(c: &mut Cpu, v: u64) {
    c.set_pan(v & (1 << 22) != 0);
}

pub(super) fn tco_r(c: &Cpu) -> u64 {
    (c.pstate.tco as u64) << 25
}
pub(super) fn tco_w(c: &mut Cpu, v: u64) {
    c.pstate.tco = v & (1 << 25) != 0;
}
