//! SYS instructions (cache maintenance, TLB maintenance, address translation) as a table
//! keyed by op1:CRn:CRm:op2 (Arm ARM C5.3 "A64 System instructions").

use super::system::SysOperands;
use super::{undef, Exec, Flow, Step, Stop};
use crate::exception::{ec, Exc, HCR_TGE};
use crate::platform::Platform;
use crate::sysreg::SR;

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
    /// IC IVAU: drop decodes (EL0 subject to SCTLR_EL1.UCI).
    IcVa,
}

/// (name, op1, CRn, CRm, op2, kind). op1 = 3 entries are the ones EL0 may use.
const SYSOPS: &[(&str, u32, u32, u32, u32, Kind)] = &[
    ("IC IALLUIS", 0, 7, 1, 0, Kind::IcAll),
    ("IC IALLU", 0, 7, 5, 0, Kind::IcAll),
    ("IC IVAU", 3, 7, 5, 1, Kind::IcVa),
    ("DC IVAC", 0, 7, 6, 1, Kind::DcVa),
    ("DC ISW", 0, 7, 6, 2, Kind::DcSw),
    ("DC CSW", 0, 7, 10, 2, Kind::DcSw),
    ("DC CISW", 0, 7, 14, 2, Kind::DcSw),
    ("DC ZVA", 3, 7, 4, 1, Kind::DcZva),
    ("DC CVAC", 3, 7, 10, 1, Kind::DcVa),
    ("DC CVAU", 3, 7, 11, 1, Kind::DcVa),
    ("DC CVAP", 3, 7, 12, 1, Kind::DcVa),
    ("DC CIVAC", 3, 7, 14, 1, Kind::DcVa),
];

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
        // TLBI: there is no TLB yet (translation is VA = PA), so every TLB maintenance
        // operation completes with nothing to invalidate. op1 = 4 forms need EL2.
        return match (op1, el) {
            (0, 1..) | (4, 2) if op1 != 4 || ex.cpu.cfg.has_el2 => Ok(Step::Next),
            _ => undef(),
        };
    }
    let Some(&(name, _, _, _, _, kind)) = SYSOPS
        .iter()
        .find(|&&(_, o1, n, m, o2, _)| (o1, n, m, o2) == (op1, crn, crm, op2))
    else {
        tracing::warn!(pc = format_args!("{:#x}", ex.cpu.pc),
            "SYS #{op1}, C{crn}, C{crm}, #{op2} is not implemented (address translation, prediction restriction, ...): UNDEFINED");
        return undef();
    };
    if el == 0 {
        if op1 != 3 {
            return undef();
        }
        let gate = if kind == Kind::DcZva {
            SCTLR_DZE
        } else {
            SCTLR_UCI
        };
        if ex.cpu.sr.get(SR::SCTLR_EL1) & gate == 0 {
            let target = if ex.cpu.hcr() & HCR_TGE != 0 { 2 } else { 1 };
            let iss = SysOperands {
                op0: 1,
                op1,
                crn,
                crm,
                op2,
            }
            .iss(rt, false);
            return Err(Stop::Exc(Exc::new(ec::SYSREG, iss).to(target)));
        }
    }
    tracing::trace!(target: "hypsim::sys", "{name}");
    match kind {
        Kind::DcZva => {
            let bytes = crate::sysreg::DCZVA_BYTES;
            let va = ex.x(rt) & !(bytes - 1);
            for i in 0..bytes / 8 {
                // On Device memory DC ZVA *may* raise an Alignment fault (C5.3 DC ZVA);
                // like QEMU we zero the block instead.
                ex.cpu.write_aligned(ex.bus, va + 8 * i, 8, 0)?;
            }
        }
        Kind::IcAll | Kind::IcVa => ex.cpu.flush_decoded(),
        Kind::DcVa | Kind::DcSw => {}
    }
    Ok(Step::Next)
}
