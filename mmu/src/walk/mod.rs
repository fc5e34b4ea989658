//! Stage 1 translation table walks (VMSAv8-64), as pure functions the CPU calls on a TLB
//! miss.
//!
//! Facts come from the Arm ARM (DDI0487): D8.1 (sizes, TnSZ limits), D8.2 (walk, start
//! levels, descriptor addresses), D8.3 (descriptor formats), D8.4 (permissions, PAN), D8.5
//! (Access flag), MAIR_EL1 (memory types), TCR_EL1/TCR_EL2 (field layouts), ESR_ELx (fault
//! status codes).
//!
//! Scope: stage 1 of the EL1&0, EL2 (E2H == 0) and EL2&0 regimes; 4KB/16KB/64KB granules;
//! 48-bit VA (no FEAT_LVA/TTST/D128); 48-bit OA, or 52-bit OA with FEAT_LPA (a 52-bit
//! implemented PA size) and the 64KB granule: OA\[51:48\] / NLTA\[51:48\] in descriptor
//! bits \[15:12\], BADDR\[51:48\] in TTBR bits \[5:2\] when {I}PS = 0b110, 4TB level 1 blocks
//! (D8.2.3 Table D8-10, D8.2.10, D8.3.1); no FEAT_LPA2 (TCR.DS is ignored, so the 4KB and
//! 16KB granules stay at 48 bits); Direct permissions only. Stage 2 slots
//! in through [`WalkMem`]: the walker reads every descriptor through it, so an adapter that
//! translates table IPAs through stage 2 produces S1PTW faults without changes here.
//!
//! Stage 2 of the EL1&0 regime (VTCR_EL2/VTTBR_EL2) is in the `stage2` module: see
//! [`walk_stage2`], [`Stage2Config`], [`combine_s1_s2`] and the [`S2WalkMem`] adapter; its
//! own choices are listed in that module's documentation.
//!
//! # CONSTRAINED UNPREDICTABLE and IMPLEMENTATION DEFINED choices
//!
//! - TnSZ outside 16..=39: every walk of that range takes a level 0 Translation fault (one
//!   of the two choices R RYXNYW and R RSXWGM permit; the other is clamping).
//! - Reserved TG0 (0b11) / TG1 (0b00): 4KB.
//! - TCR.{I}PS larger than the implemented PA size is treated as the PA size (R CLPQT); the
//!   OA is further limited to 48 bits for the 4KB and 16KB granules, and for 64KB without
//!   FEAT_LPA (AArch64.PhysicalAddressSize). The reserved {I}PS 0b111 behaves as 0b110,
//!   including the 52-bit TTBR format.
//! - With FEAT_LPA the 64KB descriptors always use the 52-bit format (Table D8-50: the
//!   format follows FEAT_LPA, not {I}PS), so OA\[51:48\] beyond a smaller {I}PS is an
//!   Address size fault. The TTBR uses the 52-bit format only with {I}PS = 0b110; its table
//!   is then aligned to at least 64 bytes (bits \[5:0\] of the base are zero).
//! - Descriptor bits that are RES0 in this configuration (e.g. \[49:48\], \[16:12\] of blocks,
//!   \[15:12\] of 64KB descriptors without FEAT_LPA) are ignored; they never produce a fault.
//! - Hardware Access flag update (TCR.HA with FEAT_HAFDBS): the AF is set during the walk,
//!   before the permission check, so a Permission fault can follow an AF update (permitted
//!   by R QSPMS). If the compare-and-swap keeps losing to concurrent writers, the walk gives
//!   up after [`HW_UPDATE_RETRIES`] attempts with an Access flag fault.
//! - Reserved MAIR and SH encodings: see [`MemAttrs::from_mair`].
//! - Stage 1 disabled: VA == PA, Device-nGnRnE attributes (those of data accesses; an
//!   instruction fetch is Normal memory per SCTLR_ELx.I, which the fetch path applies),
//!   all permissions, and a level 0 Address size fault if the VA (top byte ignored under
//!   TBI) exceeds the implemented PA size (R VCDSW).

mod attrs;
mod config;
mod fault;
mod mem;
mod perms;
mod stage2;
#[cfg(test)]
mod stage2_tests;
#[cfg(test)]
mod tests;

pub use attrs::{Cacheability, DeviceType, MemAttrs, MemType, Shareability};
pub use config::{
    Features, Granule, Regime, Stage1Config, VaRange, MAX_OA_BITS, MAX_TXSZ, MIN_TXSZ,
    OA_BITS_NO_LPA,
};
pub use fault::{Fault, FaultKind};
pub use mem::{WalkMem, WalkMemError};
pub use perms::{check, AccessKind, Perms, Rwx};
pub use stage2::{
    check_stage2, combine_for_access, combine_s1_s2, walk_stage2, S2Cacheability, S2ConfigError,
    S2MemAttrs, S2MemType, S2Perms, S2Translation, S2WalkMem, Stage2Config, Stage2Features,
};

use config::{bits_mask, desc_addr};
use mem::set_access_flag;

/// A successful stage 1 translation: what a TLB caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Translation {
    /// The output address (PA, or IPA when stage 2 follows) of the translated VA.
    pub pa: u64,
    /// Bytes mapped by the Block/Page descriptor (4K, 16K, 64K, 2M, 32M, 512M, 1G or 4T);
    /// `pa` and the VA agree modulo this size.
    pub page_size: u64,
    /// Memory type and shareability.
    pub attrs: MemAttrs,
    /// Stage 1 permissions, before PSTATE.PAN; check each access with [`check`].
    pub perms: Perms,
    /// Not global: the entry belongs to `asid` only.
    pub ng: bool,
    /// The regime's ASID at walk time (`None` in the EL2 regime).
    pub asid: Option<u16>,
    /// Lookup level of the Block/Page descriptor (0 when stage 1 is disabled).
    pub level: i8,
}

impl Translation {
    /// [`check`] this translation's permissions, producing a full Permission [`Fault`] at
    /// the Block/Page level on failure.
    pub fn check(
        &self,
        access: AccessKind,
        el: u8,
        unprivileged: bool,
        pan: bool,
    ) -> Result<(), Fault> {
        check(&self.perms, access, el, unprivileged, pan).map_err(|kind| {
            // The only Translation fault a check gives is E0PD's, at level 0.
            let level = if kind == FaultKind::Translation {
                0
            } else {
                self.level
            };
            Fault::stage1(kind, level)
        })
    }
}

/// How often a walk restarts after losing a hardware Access flag update race.
pub const HW_UPDATE_RETRIES: usize = 4;

// Descriptor fields (D8.3.1).
const DESC_VALID: u64 = 1 << 0;
const DESC_TABLE_OR_PAGE: u64 = 1 << 1;
/// Descriptor AF, bit 10, at both stages (Tables D8-53 and their stage 2 versions).
const DESC_AF: u64 = 1 << 10;
const DESC_NG: u64 = 1 << 11;
const DESC_PXN: u64 = 1 << 53;
const DESC_UXN_XN: u64 = 1 << 54;
// Table descriptor hierarchical fields (Table D8-50).
const TABLE_PXN: u64 = 1 << 59;
const TABLE_UXN_XN: u64 = 1 << 60;
const TABLE_AP_SHIFT: u32 = 61;

/// Translate `va` with the stage 1 regime `cfg`, reading descriptors through `mem`.
///
/// Faults are reported in the Arm ARM's priority order for a single stage: IA out of range
/// / invalid TnSZ / EPDn (Translation, level 0), TTBR address size (level 0), then per
/// lookup level External abort, invalid descriptor (Translation), table address size, and
/// at the Block/Page: output address size, then Access flag. Permission faults come from
/// [`check`] / [`Translation::check`], after a successful walk.
pub fn walk<M: WalkMem + ?Sized>(
    cfg: &Stage1Config,
    mem: &mut M,
    va: u64,
) -> Result<Translation, Fault> {
    if !cfg.enabled {
        return flat(cfg, va);
    }
    let mut last_level = 3;
    for _ in 0..HW_UPDATE_RETRIES {
        match walk_once(cfg, mem, va)? {
            Step::Done(t) => return Ok(t),
            Step::Retry(level) => last_level = level,
        }
    }
    Err(Fault::stage1(FaultKind::AccessFlag, last_level))
}

enum Step {
    Done(Translation),
    /// The hardware AF update lost a race at this level: walk again.
    Retry(i8),
}

/// Hierarchical controls accumulated from Table descriptors.
#[derive(Default)]
struct Hier {
    /// APTable\[1:0\], OR-ed over the walk.
    ap: u8,
    /// UXNTable (XNTable in the EL2 regime).
    uxn: bool,
    /// PXNTable.
    pxn: bool,
}

fn walk_once<M: WalkMem + ?Sized>(cfg: &Stage1Config, mem: &mut M, va: u64) -> Result<Step, Fault> {
    let idx = cfg.range_index(va);
    let r = &cfg.ranges[idx];
    let two = cfg.regime.two_levels();
    let l0 = |kind| Err(Fault::stage1(kind, 0));

    if !r.txsz_valid {
        return l0(FaultKind::Translation);
    }
    // The IA must fit in 64 - TnSZ bits; the bits above are all equal to VA[55] for two
    // ranges, all zero for one range, with [63:56] excluded under TBI (D8.1.9, D8.2.4).
    let ia = r.ia_bits();
    let top = if r.tbi { 55 } else { 63 };
    let upper_bits = va & bits_mask(top, ia);
    let in_range = if idx == 1 {
        upper_bits == bits_mask(top, ia)
    } else {
        upper_bits == 0
    };
    if !in_range || r.epd {
        return l0(FaultKind::Translation);
    }
    if r.base_too_big {
        return l0(FaultKind::AddressSize);
    }

    let g = r.granule.bits();
    let stride = r.granule.stride();
    let oa_bits = r.oa_bits as u32;
    let mut hier = Hier::default();
    let mut table = r.table_base;
    let mut level = r.start_level.clamp(0, 3);
    loop {
        // IA bits [shift + width - 1 : shift] index the table at this level.
        let shift = g + (3 - level as u32) * stride;
        let width = if level == r.start_level {
            ia.saturating_sub(shift).min(stride)
        } else {
            stride
        };
        let index = if width == 0 {
            0
        } else {
            (va >> shift) & bits_mask(width - 1, 0)
        };
        let addr = table | (index << 3);
        let raw = mem.read_desc(addr).map_err(|e| e.into_fault(level))?;
        let desc = if cfg.big_endian {
            raw.swap_bytes()
        } else {
            raw
        };
        let fault = |kind| Err(Fault::stage1(kind, level));

        if desc & DESC_VALID == 0 {
            return fault(FaultKind::Translation);
        }
        let bit1 = desc & DESC_TABLE_OR_PAGE != 0;
        if level < 3 && bit1 {
            // Table descriptor: next-level table address NLTA[47:g], plus NLTA[51:48] from
            // bits [15:12] in the 52-bit format (Table D8-50).
            let nlta = desc_addr(desc, g, r.lpa);
            if nlta >> oa_bits != 0 {
                return fault(FaultKind::AddressSize);
            }
            if !r.hpd {
                let ap = ((desc >> TABLE_AP_SHIFT) & 0b11) as u8;
                // One privilege level: APTable[0] and PXNTable are RES0 (I PCLHM, Table
                // D8-50); bit 60 is XNTable.
                hier.ap |= if two { ap } else { ap & 0b10 };
                hier.uxn |= desc & TABLE_UXN_XN != 0;
                hier.pxn |= two && desc & TABLE_PXN != 0;
            }
            table = nlta;
            level += 1;
            continue;
        }
        // Block (levels < 3) or Page (level 3) descriptor. Level 3 with bit[1] == 0 is
        // reserved, and a Block where the granule has none is invalid: Translation faults.
        if (level == 3 && !bit1) || (level < 3 && !r.granule.block_allowed(level, r.lpa)) {
            return fault(FaultKind::Translation);
        }
        let oa = desc_addr(desc, shift, r.lpa);
        if oa >> oa_bits != 0 {
            return fault(FaultKind::AddressSize);
        }
        let mut desc = desc;
        if desc & DESC_AF == 0 {
            if !cfg.ha {
                return fault(FaultKind::AccessFlag);
            }
            if !set_access_flag(mem, addr, desc, cfg.big_endian).map_err(|e| e.into_fault(level))? {
                return Ok(Step::Retry(level));
            }
            desc |= DESC_AF;
        }
        return Ok(Step::Done(leaf(cfg, va, desc, level, shift, oa, &hier)));
    }
}

/// Build the translation of a Block/Page descriptor at `level` mapping 2^`shift` bytes.
fn leaf(
    cfg: &Stage1Config,
    va: u64,
    desc: u64,
    level: i8,
    shift: u32,
    oa: u64,
    hier: &Hier,
) -> Translation {
    let page_size = 1u64 << shift;
    let attr_index = ((desc >> 2) & 0b111) as u32;
    let attr = (cfg.mair >> (8 * attr_index)) as u8;
    let attrs = MemAttrs::from_mair(attr, ((desc >> 8) & 0b11) as u8);
    let ap = ((desc >> 6) & 0b11) as u8;
    let two = cfg.regime.two_levels();
    let mut perms = if two {
        // Effective AP[2:1]: APTable[1] removes writes (sets AP[2]), APTable[0] removes
        // unprivileged access (clears AP[1]) (Table D8-64).
        let eff = (ap | (hier.ap & 0b10)) & !(hier.ap & 0b01);
        Perms::two_level(
            eff,
            desc & DESC_UXN_XN != 0 || hier.uxn,
            desc & DESC_PXN != 0 || hier.pxn,
            cfg.wxn,
        )
    } else {
        Perms::one_level(
            ap & 0b10 != 0 || hier.ap & 0b10 != 0,
            desc & DESC_UXN_XN != 0 || hier.uxn,
            cfg.wxn,
        )
    };
    if cfg.ranges[cfg.range_index(va)].e0pd {
        perms.e0pd = true;
        perms.unpriv = Default::default();
    }
    Translation {
        pa: oa | (va & (page_size - 1)),
        page_size,
        attrs,
        perms,
        ng: two && desc & DESC_NG != 0,
        asid: cfg.asid,
        level,
    }
}

/// Stage 1 disabled: the VA is the output address (D8.2.12.1).
fn flat(cfg: &Stage1Config, va: u64) -> Result<Translation, Fault> {
    let tbi = cfg.ranges[cfg.range_index(va)].tbi;
    let addr = if tbi { va & bits_mask(55, 0) } else { va };
    if addr >> cfg.pa_bits.min(63) != 0 {
        return Err(Fault::stage1(FaultKind::AddressSize, 0));
    }
    Ok(Translation {
        pa: addr,
        page_size: crate::PAGE_SIZE,
        attrs: MemAttrs::DEVICE_NGNRNE,
        perms: Perms::ALL,
        ng: false,
        asid: cfg.asid,
        level: 0,
    })
}
