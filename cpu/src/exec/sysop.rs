//! SYS instructions (cache maintenance, TLB maintenance, address translation) as a table
//! keyed by op1:CRn:CRm:op2 (Arm ARM C5.3 "A64 System instructions").

use super::system::SysOperands;
use super::{undef, Exec, Flow, Step, Stop};
use crate::bits::{HCR_FB, HCR_TDZ, HCR_TGE, HCR_TPCP, HCR_TPU, HCR_TSW, HCR_TTLB};
use crate::flow::Exit;
use crate::platform::Platform;
use crate::regime::{RegimeId, TlbiOp};
use crate::sysreg::{hcr_trap_controls, tidcp_traps};

/// What a SYS operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// DC ZVA: zero a DCZID-sized block (a store for faults and permissions).
    DcZva,
    /// Data-cache maintenance by VA: no architecturally visible effect here (no cache
    /// model holds data), but still an EL0 permission check (SCTLR_EL1.UCI).
    DcVa,
    /// Data-cache maintenance by set/way: EL1+ only, no visible effect.
    DcSw,
    /// IC IALLU/IALLUIS: drop every decoded instruction.
    IcAll,
    /// IC IVAU: translate only (EL0 subject to SCTLR_EL1.UCI); decodes stay coherent.
    IcVa,
    /// DC GVA / DC GZVA (FEAT_MTE2): set the tags of a DCZID-sized block from Xt's tag,
    /// zeroing its data with `zero`.
    DcGva { zero: bool },
}

/// (name, op1, CRn, CRm, op2, kind, HCR_EL2 trap control). op1 = 3 entries are the ones
/// EL0 may use. The HCR_EL2 controls (D24.2.62): TPU traps the operations to the Point
/// of Unification, TPCP (formerly TPC) those to the Point of Coherency/Persistence, TSW
/// the set/way ones (EL1 only), TDZ DC ZVA.
const SYSOPS: &[(&str, u32, u32, u32, u32, Kind, u64)] = &[
    ("IC IALLUIS", 0, 7, 1, 0, Kind::IcAll, HCR_TPU),
    ("IC IALLU", 0, 7, 5, 0, Kind::IcAll, HCR_TPU),
    ("IC IVAU", 3, 7, 5, 1, Kind::IcVa, HCR_TPU),
    ("DC IVAC", 0, 7, 6, 1, Kind::DcVa, HCR_TPCP),
    ("DC ISW", 0, 7, 6, 2, Kind::DcSw, HCR_TSW),
    ("DC CSW", 0, 7, 10, 2, Kind::DcSw, HCR_TSW),
    ("DC CISW", 0, 7, 14, 2, Kind::DcSw, HCR_TSW),
    ("DC ZVA", 3, 7, 4, 1, Kind::DcZva, HCR_TDZ),
    ("DC CVAC", 3, 7, 10, 1, Kind::DcVa, HCR_TPCP),
    ("DC CVAU", 3, 7, 11, 1, Kind::DcVa, HCR_TPU),
    ("DC CVAP", 3, 7, 12, 1, Kind::DcVa, HCR_TPCP),
    ("DC CIVAC", 3, 7, 14, 1, Kind::DcVa, HCR_TPCP),
];

/// The FEAT_MTE2 operations, present only with MTE: tag setting by block, and the tag
/// (G) and data-and-tag (GD) forms of the cache maintenance above, which behave as those.
const MTE_SYSOPS: &[(&str, u32, u32, u32, u32, Kind, u64)] = &[
    ("DC GVA", 3, 7, 4, 3, Kind::DcGva { zero: false }, HCR_TDZ),
    ("DC GZVA", 3, 7, 4, 4, Kind::DcGva { zero: true }, HCR_TDZ),
    ("DC IGVAC", 0, 7, 6, 3, Kind::DcVa, HCR_TPCP),
    ("DC IGDVAC", 0, 7, 6, 5, Kind::DcVa, HCR_TPCP),
    ("DC IGSW", 0, 7, 6, 4, Kind::DcSw, HCR_TSW),
    ("DC IGDSW", 0, 7, 6, 6, Kind::DcSw, HCR_TSW),
    ("DC CGSW", 0, 7, 10, 4, Kind::DcSw, HCR_TSW),
    ("DC CGDSW", 0, 7, 10, 6, Kind::DcSw, HCR_TSW),
    ("DC CIGSW", 0, 7, 14, 4, Kind::DcSw, HCR_TSW),
    ("DC CIGDSW", 0, 7, 14, 6, Kind::DcSw, HCR_TSW),
    ("DC CGVAC", 3, 7, 10, 3, Kind::DcVa, HCR_TPCP),
    ("DC CGDVAC", 3, 7, 10, 5, Kind::DcVa, HCR_TPCP),
    ("DC CGVAP", 3, 7, 12, 3, Kind::DcVa, HCR_TPCP),
    ("DC CGDVAP", 3, 7, 12, 5, Kind::DcVa, HCR_TPCP),
    ("DC CIGVAC", 3, 7, 14, 3, Kind::DcVa, HCR_TPCP),
    ("DC CIGDVAC", 3, 7, 14, 5, Kind::DcVa, HCR_TPCP),
];

/// A trapped SYS instruction: EC 0x18 with op0 = 1 and Direction = 0 in the ISS.
fn sys_trap(op1: u32, crn: u32, crm: u32, op2: u32, rt: u32, target: u8) -> Flow {
    let o = SysOperands {
        op0: 1,
        op1,
        crn,
        crm,
        op2,
    };
    Err(Stop::Exc(o.trap(rt, false, target)))
}

/// SCTLR_EL1.DZE (bit 14) and UCI (bit 26): EL0 may use DC ZVA / DC and IC by VA.
const SCTLR_DZE: u64 = 1 << 14;
const SCTLR_UCI: u64 = 1 << 26;

pub(super) fn execute<B: Platform>(
    ex: &mut Exec<'_, B>,
    op1: u32,
    crn: u32,
    crm: u32,
    op2: u32,
    rt: u32,
) -> Flow {
    let el = ex.cpu.pstate.el;
    if crn == 8 {
        return tlbi(ex, op1, crm, op2, rt);
    }
    if crn == 7 && crm == 8 {
        return at(ex, op1, op2, rt);
    }
    let mte: &[_] = if ex.cpu.cfg.mte { MTE_SYSOPS } else { &[] };
    let Some(&(name, _, _, _, _, kind, hcr_trap)) = SYSOPS
        .iter()
        .chain(mte)
        .find(|&&(_, o1, n, m, o2, _, _)| (o1, n, m, o2) == (op1, crn, crm, op2))
    else {
        // HCR_EL2.TIDCP: IMPLEMENTATION DEFINED System instructions (CRn = 11, 15) trap
        // from EL1 in preference to UNDEFINED.
        if tidcp_traps(ex.cpu, 1, crn) {
            return sys_trap(op1, crn, crm, op2, rt, 2);
        }
        ex.cpu.warn_once(crate::warn::WarnKind::SysNotImplemented, format_args!(
            "SYS #{op1}, C{crn}, C{crm}, #{op2} is not implemented (address translation, prediction restriction, ...): UNDEFINED"));
        return undef();
    };
    if el == 0 {
        if op1 != 3 {
            return undef();
        }
        let gate = if matches!(kind, Kind::DcZva | Kind::DcGva { .. }) {
            SCTLR_DZE
        } else {
            SCTLR_UCI
        };
        if ex.cpu.el0_sctlr() & gate == 0 {
            let target = if ex.cpu.hcr() & HCR_TGE != 0 { 2 } else { 1 };
            return sys_trap(op1, crn, crm, op2, rt, target);
        }
    }
    // Then the HCR_EL2 control, for EL1 and (outside the VHE host) EL0: the EL0
    // UNDEFINED and SCTLR_EL1.UCI/DZE cases above have priority over it.
    if hcr_trap_controls(ex.cpu) & hcr_trap != 0 {
        return sys_trap(op1, crn, crm, op2, rt, 2);
    }
    tracing::trace!(target: "hypsim::sys", "{name}");
    match kind {
        Kind::DcZva => {
            let bytes = crate::sysreg::DCZVA_BYTES;
            let va = ex.x(rt) & !(bytes - 1);
            // On Device memory DC ZVA *may* raise an Alignment fault (C5.3 DC ZVA); like
            // QEMU we zero the block instead.
            ex.cpu.zero_block(ex.bus, va, bytes, true)?;
        }
        Kind::DcGva { zero } => {
            let bytes = crate::sysreg::DCZVA_BYTES;
            let xt = ex.x(rt);
            let va = xt & !(bytes - 1);
            if zero {
                ex.cpu.zero_block(ex.bus, va, bytes, false)?;
            }
            ex.cpu
                .store_tag_block(ex.bus, va, bytes, crate::mte::ptr_tag(xt))?;
        }
        Kind::IcAll => ex.cpu.flush_decoded(),
        // The decoded-instruction cache is kept coherent with memory by the stores
        // themselves (code-page flags), as on a core with CTR_EL0.DIC = 1 behaviour, so
        // invalidation by VA only has to translate (and fault) like the instruction.
        // Dropping decodes here made Linux, which issues IC IVAU line by line after
        // patching, spend a third of its boot refilling the cache.
        Kind::IcVa => ex.cpu.maintain_va(ex.bus, ex.x(rt), false, false)?,
        Kind::DcVa => {
            // DC IVAC needs write permission; at EL0 the others need read permission;
            // otherwise a data cache operation by VA takes no Permission fault.
            let ivac = matches!(name, "DC IVAC" | "DC IGVAC" | "DC IGDVAC");
            ex.cpu
                .maintain_va(ex.bus, ex.x(rt), ivac, ivac || el == 0)?;
        }
        Kind::DcSw => {}
    }
    Ok(Step::Next)
}

/// TLBI (C5.5): CRm 3 = Inner Shareable, 7 = local (1 = Outer Shareable, treated as IS).
/// Range forms (FEAT_TLBIRANGE) are not advertised and stay UNDEFINED. The Xt operand
/// carries VA[55:12] in bits 43:0 and the ASID in bits 63:48. The stage 2 forms (IPAS2*)
/// drop every combined stage 1+2 entry (they are not indexed by IPA).
fn tlbi<B: Platform>(ex: &mut Exec<'_, B>, op1: u32, crm: u32, op2: u32, rt: u32) -> Flow {
    let el = ex.cpu.pstate.el;
    let needs = if op1 == 4 { 2 } else { 1 };
    if el < needs || (op1 == 4 && !ex.cpu.cfg.has_el2) || !matches!(op1, 0 | 4) {
        return undef();
    }
    let xt = ex.x(rt);
    let va = (((xt & 0xfff_ffff_ffff) << 20) as i64 >> 8) as u64; // VA[55:12], sign-extended
    let asid = (xt >> 48) as u16;
    // FEAT_VHE: the *E1 forms act on EL2&0 when executed in the host ({E2H,TGE} = {1,1}
    // at EL2), and the *E2 forms act on EL2&0, with ASIDs, whenever E2H = 1 (C5.5 TLBI
    // pseudocode, "if IsInHost()").
    let e1 = if el == 2 && ex.cpu.in_host() {
        RegimeId::El20
    } else {
        RegimeId::El10
    };
    let e2 = if ex.cpu.e2h() {
        RegimeId::El20
    } else {
        RegimeId::El2
    };
    let op = match (op1, crm, op2) {
        (0, 1 | 3 | 7, 0) => TlbiOp::All(e1),
        (0, 1 | 3 | 7, 1 | 5) => TlbiOp::Va {
            regime: e1,
            va,
            asid: Some(asid),
        },
        (0, 1 | 3 | 7, 2) => TlbiOp::Asid(e1, asid),
        (0, 1 | 3 | 7, 3 | 7) => TlbiOp::Va {
            regime: e1,
            va,
            asid: None,
        },
        (4, 1 | 3 | 7, 0) => TlbiOp::All(e2),
        (4, 1 | 3 | 7, 1 | 5) => TlbiOp::Va {
            regime: e2,
            va,
            asid: (e2 == RegimeId::El20).then_some(asid),
        },
        (4, 1 | 3 | 7, 4 | 6) => TlbiOp::All(RegimeId::El10),
        (4, 0 | 4, 1 | 5) => TlbiOp::Stage2, // IPAS2E1(IS), IPAS2LE1(IS)
        _ => return undef(),
    };
    // HCR_EL2.TTLB traps every TLBI of EL1 (the op1 = 0 forms; the others are UNDEFINED
    // there). HCR_EL2.FB forces the EL1 ones to be broadcast across the Inner Shareable
    // domain: a local form then acts like its IS form.
    let controls = if el == 1 {
        hcr_trap_controls(ex.cpu)
    } else {
        0
    };
    if controls & HCR_TTLB != 0 {
        return sys_trap(op1, 8, crm, op2, rt, 2);
    }
    ex.cpu.apply_tlbi(op);
    let local = (crm == 7 || crm == 4) && controls & HCR_FB == 0;
    let event = crate::Event::Tlbi {
        op,
        broadcast: !local,
    };
    ex.bus.on_event(ex.cpu.cfg.index, event);
    if !local {
        return Err(Stop::Exit(Exit::TlbiBroadcast(op)));
    }
    Ok(Step::Next)
}

/// AT (C5.5.x): translations into PAR_EL1. op1 0: S1E1R/W (op2 0/1), S1E0R/W (op2 2/3);
/// op1 4: S1E2R/W (op2 0/1) and the two-stage S12E1R/W, S12E0R/W (op2 4..7).
fn at<B: Platform>(ex: &mut Exec<'_, B>, op1: u32, op2: u32, rt: u32) -> Flow {
    let el = ex.cpu.pstate.el;
    // In the VHE host, AT S1E1* and S1E0* translate in EL2&0 (as EL2 and EL0), and so does
    // AT S1E2* whenever E2H = 1.
    let host = el == 2 && ex.cpu.in_host();
    let (regime, as_el, need) = match (op1, op2) {
        (0, 0 | 1) if host => (RegimeId::El20, 2, 1),
        (0, 2 | 3) if host => (RegimeId::El20, 0, 1),
        (0, 0 | 1) => (RegimeId::El10, 1, 1),
        (0, 2 | 3) => (RegimeId::El10, 0, 1),
        (4, 0 | 1) => (ex.cpu.regime_of(2), 2, 2),
        (4, 4 | 5) => (RegimeId::El10, 1, 2),
        (4, 6 | 7) => (RegimeId::El10, 0, 2),
        _ => return undef(),
    };
    if el < need || (need == 2 && !ex.cpu.cfg.has_el2) {
        return undef();
    }
    let va = ex.x(rt);
    let write = op2 & 1 == 1;
    let two_stage = op1 == 4 && op2 >= 4;
    ex.cpu
        .address_translate(ex.bus, regime, as_el, write, va, two_stage)
        .map_err(Stop::Exc)?;
    Ok(Step::Next)
}
