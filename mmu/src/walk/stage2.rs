//! Stage 2 translation of the (Non-secure) EL1&0 regime: VTCR_EL2 / VTTBR_EL2, VMSAv8-64,
//! as pure functions.
//!
//! Facts come from the Arm ARM (DDI0487): D8.2.2 (concatenated tables), D8.2.3 (VTTBR base
//! address and its Address size fault), D8.2.8.2 / D8.2.9.2 / D8.2.10.2 (stage 2 start
//! levels, Tables D8-19..D8-24, D8-29..D8-33, D8-38..D8-41, and the level 0 Translation
//! fault for an inconsistent T0SZ/SL0), D8.3.1 (Tables D8-51 and D8-53, stage 2
//! descriptors), D8.4.2.1 (Tables D8-76..D8-78, S2AP and XN\[1:0\]), D8.6.5..D8.6.7 (Tables
//! D8-96..D8-103, stage 2 memory type, FWB, combining with stage 1), and the pseudocode
//! AArch64.S2Translate / S2TxSZFaults / S2InvalidSL / S2InconsistentSL / IPAIsOutOfRange /
//! S2Walk / S2CheckPermissions / S2CombineS1MemAttrs / S2ApplyFWBMemAttrs.
//!
//! # Using it
//!
//! 1. When VTCR_EL2, VTTBR_EL2 or SCTLR_EL2.EE change, build a [`Stage2Config`] with
//!    [`Stage2Config::new`]. Stage 2 is enabled by HCR_EL2.VM (or forced by HCR_EL2.DC):
//!    the caller decides whether to use it at all. With stage 2 disabled, PA == IPA.
//! 2. For the IPA that stage 1 produced (or the VA itself when stage 1 is disabled), call
//!    [`walk_stage2`], then [`S2Translation::check`] with the access type and the Exception
//!    level of the access (0 or 1). Read-modify-write accesses (atomics) must pass both the
//!    Read and the Write check (S2CheckPermissions: `fail = !r || !w`). DC by VA
//!    maintenance other than DC IVAC never takes a stage 2 Permission fault: skip the
//!    check for those.
//! 3. Combine the attributes with [`combine_for_access`] (HCR_EL2.FWB selects the rules;
//!    HCR_EL2.CD/ID and fetches from Device memory force Non-cacheable), or with
//!    [`combine_s1_s2`] for the bare combination.
//! 4. For the stage 1 walk itself, hand the stage 1 walker an [`S2WalkMem`]: it translates
//!    every descriptor IPA through stage 2, checks it as a read (or a write for a hardware
//!    Access flag update), applies HCR_EL2.PTW, and turns stage 2 faults into S1PTW faults.
//!
//! Every [`Fault`] produced here has `stage == 2` and `ipa == Some(ipa)` (the faulting IPA,
//! for HPFAR_EL2); `s1ptw` is set by [`S2WalkMem`] only. A TLB entry for a two-stage
//! translation maps min(stage 1 size, stage 2 size) bytes and is tagged with the VMID
//! ([`S2Translation::vmid`]).
//!
//! # Scope
//!
//! 4KB/16KB/64KB granules; 48-bit IPA and PA, or with FEAT_LPA (a 52-bit implemented PA
//! size) and the 64KB granule 52-bit PAs and IPAs: T0SZ down to 12 with a level 1 start
//! (Table D8-39, one table of up to 1024 entries, no concatenation), OA\[51:48\] / NLTA\[51:48\]
//! in descriptor bits \[15:12\], BADDR\[51:48\] in VTTBR_EL2 bits \[5:2\] when PS = 0b110, 4TB
//! level 1 blocks (D8.2.3 Table D8-10, D8.2.10.2, D8.3.1). No FEAT_LPA2, so VTCR_EL2.DS and
//! SL2 are ignored and the 4KB/16KB granules stay at 48 bits; no FEAT_TTST, AArch64 EL1 only (the AArch32 EL1 minimum of T0SZ 24 does not
//! apply), Direct permissions only (no S2PIE/S2POE), no FEAT_MTE_PERM, no hardware dirty
//! state (VTCR_EL2.HD and the DBM bit are ignored). Optional: FEAT_XNX, 16-bit VMIDs,
//! hardware Access flag update (VTCR_EL2.HA with FEAT_HAFDBS), see [`Stage2Features`].
//!
//! # CONSTRAINED UNPREDICTABLE and IMPLEMENTATION DEFINED choices
//!
//! - T0SZ below the minimum (64 - min(PARange, 48), or 64 - min(PARange, 52) for the 64KB
//!   granule with FEAT_LPA: AArch64.S2MinTxSZ) or above 39 (no FEAT_TTST): every walk
//!   takes a stage 2 level 0 Translation fault. AArch64.S2TxSZFaults lets an implementation
//!   choose between this fault and clamping T0SZ; the stage 1 walker makes the same
//!   choice. (With this choice an IPA size larger than the PA size, the old
//!   Unpredictable_LARGEIPA case, is the fault option.)
//! - An SL0 value that is reserved for the granule (4KB: 0b11, FEAT_TTST; 16KB: 0b11,
//!   needs DS; 64KB: 0b11), a level 0 / level 1 start the PA size does not allow (4KB SL0
//!   0b10 and 64KB SL0 0b10 need PARange >= 44 bits, 16KB SL0 0b10 needs >= 42), or a T0SZ
//!   inconsistent with SL0: stage 2 level 0 Translation fault. This one is not a choice:
//!   the Arm ARM requires it (the last rules of D8.2.8.2, D8.2.9.2 and D8.2.10.2), and the
//!   pseudocode uses the same rules (S2InvalidSL, S2InconsistentSL).
//! - Reserved VTCR_EL2.TG0 (0b11): 4KB, as for TCR_ELx.TG0.
//! - VTCR_EL2.PS larger than the implemented PA size is treated as the PA size, and the OA
//!   is further limited to 48 bits unless the 64KB granule is used with FEAT_LPA (as for
//!   stage 1). The reserved PS 0b111 behaves as 0b110. With FEAT_LPA the 64KB descriptors
//!   always hold OA\[51:48\] in bits \[15:12\] (an Address size fault beyond a smaller PS);
//!   VTTBR_EL2 uses the 52-bit format only with PS = 0b110 (base aligned to at least 64
//!   bytes).
//! - VTTBR_EL2.BADDR bits below the alignment of the (concatenated) start table are
//!   treated as zero (the pseudocode aligns the base: `Align(baseaddress, tablesize)`).
//! - Descriptor bits that are RES0 here (e.g. \[49:48\], \[16:12\] of a Block, bit 53
//!   without FEAT_XNX, bit 11 without FEAT_XS) are ignored and never fault.
//! - Reserved stage 2 MemAttr encodings (CONSTRAINED UNPREDICTABLE, Table D8-96). FWB == 0:
//!   each reserved 2-bit Cacheability field of Normal memory (MemAttr\[1:0\] == 0b00 with
//!   MemAttr\[3:2\] != 0b00: 0b0100, 0b1000, 0b1100) decodes as Non-cacheable, so 0b0100
//!   (NoTagAccess with FEAT_MTE_PERM, not implemented) is Normal Non-cacheable. FWB == 1:
//!   MemAttr\[3\] is RES0 and ignored; MemAttr\[2:0\] == 0b100 behaves as 0b101
//!   (Non-cacheable unless stage 1 is Device). The reserved SH value 0b01 is Non-shareable
//!   (as at stage 1).
//! - Shareability of stage 1 Device / Normal Non-cacheable memory input to stage 2
//!   (R NSCNC): the effective Outer Shareable value ([`MemAttrs::from_mair`] already
//!   normalises it).
//! - Hardware Access flag update: as at stage 1, set before the permission check, and
//!   after [`HW_UPDATE_RETRIES`](super::HW_UPDATE_RETRIES) lost compare-and-swap races the
//!   walk gives up with an Access flag fault.

use super::attrs::{Cacheability, DeviceType, MemAttrs, MemType, Shareability};
use super::config::{bits_mask, desc_addr, ps_bits, ttbr_addr, Granule, MAX_TXSZ};
use super::fault::{Fault, FaultKind};
use super::mem::{set_access_flag, WalkMem, WalkMemError};
use super::perms::AccessKind;
use super::HW_UPDATE_RETRIES;

/// Optional features that change how VTCR_EL2, VTTBR_EL2 and stage 2 descriptors are read.
/// `Default` is a bare Armv8.0 CPU; [`Stage2Features::all`] enables everything implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stage2Features {
    /// 16-bit VMIDs (ID_AA64MMFR1_EL1.VMIDBits == 0b0010): VTCR_EL2.VS is honoured.
    pub vmid16: bool,
    /// FEAT_HAFDBS (Access flag part): VTCR_EL2.HA enables hardware Access flag updates.
    pub hafdbs: bool,
    /// FEAT_XNX (ID_AA64MMFR1_EL1.XNX): descriptor XN\[1:0\] separates EL1 and EL0 execute.
    pub xnx: bool,
}

impl Stage2Features {
    /// Every stage 2 feature this walker implements.
    pub const fn all() -> Stage2Features {
        Stage2Features {
            vmid16: true,
            hafdbs: true,
            xnx: true,
        }
    }
}

/// Why a stage 2 configuration cannot translate anything. Each makes every walk take a
/// stage 2 level 0 Translation fault; the variants only tell the cases apart for debugging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum S2ConfigError {
    /// T0SZ is below 64 - min(PARange, 48 or 52) (AArch64.S2MinTxSZ, AArch64.S2TxSZFaults,
    /// our choice: fault).
    TxszTooSmall,
    /// T0SZ is above 39 (no FEAT_TTST; AArch64.S2TxSZFaults, our choice: fault).
    TxszTooLarge,
    /// SL0 is reserved for the granule or needs a larger PA size (AArch64.S2InvalidSL).
    InvalidSl0,
    /// The IPA size 64 - T0SZ cannot be resolved from the start level SL0 selects, with at
    /// most 16 concatenated tables (AArch64.S2InconsistentSL).
    InconsistentSl0,
}

// VTCR_EL2 fields (D24.2 VTCR_EL2).
const VTCR_VS: u64 = 1 << 19;
const VTCR_HA: u64 = 1 << 21;
// SCTLR_EL2.EE: endianness of the stage 2 table walks (R FDKMS).
const SCTLR_EE: u64 = 1 << 25;

/// The stage 2 translation of the EL1&0 regime, decoded once from its registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stage2Config {
    granule: Granule,
    t0sz: u8,
    sl0: u8,
    /// Initial lookup level (0..=3); meaningless when `error` is set.
    start_level: i8,
    /// IA bits resolved by the start level: 1..=stride + 4.
    start_bits: u32,
    /// Effective OA size: min(PS, implemented PA size, 48, or 52 for the 64KB granule with
    /// FEAT_LPA).
    oa_bits: u8,
    /// Descriptors use the 52-bit format (64KB granule with FEAT_LPA, [`Granule::lpa`]).
    lpa: bool,
    /// Implemented PA size (PARange), clamped into 32..=52.
    pa_bits: u8,
    /// VTTBR_EL2.BADDR aligned to the size of the start table(s).
    table_base: u64,
    /// VTTBR_EL2.BADDR has bits set at or above `oa_bits`: level 0 Address size fault.
    base_too_big: bool,
    vmid: u16,
    ha: bool,
    xnx: bool,
    big_endian: bool,
    error: Option<S2ConfigError>,
}

impl Stage2Config {
    /// Decode VTCR_EL2, VTTBR_EL2 and SCTLR_EL2 (only EE is used).
    ///
    /// `parange_bits` is the implemented PA size (ID_AA64MMFR0_EL1.PARange as bits: 32, 36,
    /// 40, 42, 44, 48 or 52; other values are clamped into 32..=52). 52 means FEAT_LPA: the
    /// 64KB granule then has 52-bit IPAs and PAs; 4KB and 16KB stay at 48 bits.
    ///
    /// VTCR_EL2 fields used: T0SZ \[5:0\], SL0 \[7:6\], TG0 \[15:14\], PS \[18:16\], VS \[19\],
    /// HA \[21\]. IRGN0/ORGN0/SH0 (walk cacheability) do not affect the result. VTTBR_EL2:
    /// BADDR \[47:1\] (with \[51:48\] in \[5:2\] in the 52-bit format), VMID \[63:48\] (\[55:48\] unless VS == 1 with 16-bit VMIDs).
    pub fn new(
        vtcr: u64,
        vttbr: u64,
        sctlr_el2: u64,
        parange_bits: u8,
        features: Stage2Features,
    ) -> Stage2Config {
        let pa_bits = parange_bits.clamp(32, 52);
        let granule = Granule::from_tg0(vtcr >> 14);
        // PAMax limited to what the granule's descriptors can express: AArch64.S2MinTxSZ
        // caps the IPA size at 48 bits for 4KB and 16KB without FEAT_LPA2 (DS), and allows
        // 52 bits for 64KB with FEAT_LPA (Table D8-39: T0SZ 12-15 at level 1).
        let pa_max = pa_bits.min(granule.max_oa_bits(pa_bits)) as u32;
        let lpa = granule.lpa(pa_bits);
        let t0sz = (vtcr & 0x3f) as u8;
        let sl0 = ((vtcr >> 6) & 0b11) as u8;
        let ps = ps_bits(vtcr >> 16);
        let oa_bits = ps.min(pa_max as u8);
        // VTTBR_EL2 holds BADDR[51:48] in bits [5:2] with FEAT_LPA, the 64KB granule and
        // PS = 0b110 (Table D8-10, AArch64.TTBaseAddress).
        let base = ttbr_addr(vttbr, lpa && ps >= 52);
        let raw_vmid = (vttbr >> 48) as u16;
        let vmid = if features.vmid16 && vtcr & VTCR_VS != 0 {
            raw_vmid
        } else {
            raw_vmid & 0xff
        };

        let g = granule.bits();
        let stride = granule.stride();
        let ia = 64 - t0sz as u32;
        let start = s2_start_level(granule, sl0, pa_max);
        let mut start_level = 0;
        let mut start_bits = 0;
        let error = if (t0sz as u32) < 64 - pa_max {
            Some(S2ConfigError::TxszTooSmall)
        } else if t0sz > MAX_TXSZ {
            Some(S2ConfigError::TxszTooLarge)
        } else if let Some(level) = start {
            // AArch64.S2InconsistentSL: the start level must resolve at least one IA bit
            // and at most one stride plus 4 bits (16 concatenated tables, R JKZFY).
            let below = (3 - level) as u32 * stride + g;
            let (min_ia, max_ia) = (below + 1, below + stride + 4);
            if ia < min_ia || ia > max_ia {
                Some(S2ConfigError::InconsistentSl0)
            } else {
                start_level = level;
                start_bits = ia - below;
                None
            }
        } else {
            Some(S2ConfigError::InvalidSl0)
        };
        // The start table(s) occupy 2^(start_bits + 3) bytes, and concatenated tables are
        // aligned to their total size (R VCLZN): BADDR[47:x] (BADDR[51:x] in the 52-bit
        // format) with x = start_bits + 3 (Tables D8-25, D8-34, D8-42, stage 2 column).
        let table_base = if error.is_none() {
            base & !((1u64 << (start_bits + 3)) - 1)
        } else {
            0
        };
        Stage2Config {
            granule,
            t0sz,
            sl0,
            start_level,
            start_bits,
            oa_bits,
            lpa,
            pa_bits,
            table_base,
            base_too_big: base >> oa_bits != 0,
            vmid,
            ha: features.hafdbs && vtcr & VTCR_HA != 0,
            xnx: features.xnx,
            big_endian: sctlr_el2 & SCTLR_EE != 0,
            error,
        }
    }

    /// The translation granule (VTCR_EL2.TG0).
    #[inline]
    pub fn granule(&self) -> Granule {
        self.granule
    }

    /// The raw VTCR_EL2.T0SZ.
    #[inline]
    pub fn t0sz(&self) -> u8 {
        self.t0sz
    }

    /// The raw VTCR_EL2.SL0.
    #[inline]
    pub fn sl0(&self) -> u8 {
        self.sl0
    }

    /// IPA size in bits, 64 - T0SZ.
    #[inline]
    pub fn ia_bits(&self) -> u32 {
        64 - self.t0sz as u32
    }

    /// Effective output (PA) size in bits: min(PS, PARange, 48, or 52 for the 64KB granule
    /// with FEAT_LPA).
    #[inline]
    pub fn oa_bits(&self) -> u8 {
        self.oa_bits
    }

    /// Why every walk faults, or `None` for a usable configuration.
    #[inline]
    pub fn error(&self) -> Option<S2ConfigError> {
        self.error
    }

    /// The initial lookup level, or `None` for an unusable configuration.
    #[inline]
    pub fn start_level(&self) -> Option<i8> {
        self.error.is_none().then_some(self.start_level)
    }

    /// Number of concatenated translation tables at the start level (1, 2, 4, 8 or 16),
    /// or 0 for an unusable configuration.
    #[inline]
    pub fn concatenated_tables(&self) -> u32 {
        if self.error.is_some() {
            return 0;
        }
        1 << self.start_bits.saturating_sub(self.granule.stride())
    }

    /// The aligned base address of the start table(s), from VTTBR_EL2.BADDR.
    #[inline]
    pub fn table_base(&self) -> u64 {
        self.table_base
    }

    /// The VMID (VTTBR_EL2.VMID, 8 or 16 bits).
    #[inline]
    pub fn vmid(&self) -> u16 {
        self.vmid
    }

    /// Hardware Access flag updates are enabled (VTCR_EL2.HA with FEAT_HAFDBS).
    #[inline]
    pub fn hw_access_flag(&self) -> bool {
        self.ha
    }
}

/// Initial lookup level for SL0 (Tables D8-19, D8-29, D8-38), or `None` when the value is
/// reserved or needs a PA size this CPU lacks (AArch64.S2InvalidSL). `pa_max` is PAMax().
fn s2_start_level(granule: Granule, sl0: u8, pa_max: u32) -> Option<i8> {
    match (granule, sl0 & 0b11) {
        (Granule::K4, 0b00) => Some(2),
        (Granule::K4, 0b01) => Some(1),
        (Granule::K4, 0b10) if pa_max >= 44 => Some(0),
        // 4KB SL0 0b11 is level 3 with FEAT_TTST only.
        (Granule::K4, _) => None,
        (Granule::K16, 0b00) | (Granule::K64, 0b00) => Some(3),
        (Granule::K16, 0b01) | (Granule::K64, 0b01) => Some(2),
        (Granule::K16, 0b10) if pa_max >= 42 => Some(1),
        (Granule::K64, 0b10) if pa_max >= 44 => Some(1),
        // 16KB SL0 0b11 is level 0 with VTCR_EL2.DS == 1 only; 64KB 0b11 is reserved.
        _ => None,
    }
}

/// Stage 2 Cacheability of one cache level. Stage 2 assigns no allocation or transient
/// hints: those come from stage 1 when the combined type is cacheable (D8.6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum S2Cacheability {
    /// Non-cacheable.
    NonCacheable,
    /// Write-Through Cacheable.
    WriteThrough,
    /// Write-Back Cacheable.
    WriteBack,
}

impl S2Cacheability {
    /// Decode a MemAttr\[3:2\] or \[1:0\] field of Normal memory; the reserved 0b00 is
    /// Non-cacheable (hypsim's choice for a CONSTRAINED UNPREDICTABLE encoding).
    fn from_bits(b: u8) -> Self {
        match b & 0b11 {
            0b10 => S2Cacheability::WriteThrough,
            0b11 => S2Cacheability::WriteBack,
            _ => S2Cacheability::NonCacheable,
        }
    }
}

/// Stage 2 memory type when HCR_EL2.FWB == 0 (Table D8-96).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum S2MemType {
    /// Device memory (MemAttr\[3:2\] == 0b00).
    Device(DeviceType),
    /// Normal memory: Outer from MemAttr\[3:2\], Inner from MemAttr\[1:0\].
    Normal {
        /// Inner Cacheability.
        inner: S2Cacheability,
        /// Outer Cacheability.
        outer: S2Cacheability,
    },
}

/// The memory attributes a stage 2 Block/Page descriptor assigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct S2MemAttrs {
    /// The raw MemAttr\[3:0\] (descriptor bits \[5:2\]); [`combine_s1_s2`] reinterprets it
    /// when HCR_EL2.FWB == 1.
    pub memattr: u8,
    /// The raw SH\[1:0\] (descriptor bits \[9:8\]).
    pub sh: u8,
    /// The memory type under HCR_EL2.FWB == 0.
    pub mem_type: S2MemType,
    /// The stage 2 Shareability under FWB == 0: Outer Shareable for Device and Normal
    /// Inner and Outer Non-cacheable memory (R YHCTP), else from SH (Table D8-102).
    pub shareability: Shareability,
}

impl S2MemAttrs {
    /// Decode MemAttr\[3:0\] and SH\[1:0\] with the FWB == 0 rules.
    pub fn decode(memattr: u8, sh: u8) -> S2MemAttrs {
        let memattr = memattr & 0xf;
        let sh = sh & 0b11;
        let mem_type = if memattr >> 2 == 0 {
            S2MemType::Device(device_type(memattr))
        } else {
            S2MemType::Normal {
                inner: S2Cacheability::from_bits(memattr),
                outer: S2Cacheability::from_bits(memattr >> 2),
            }
        };
        let nc = S2Cacheability::NonCacheable;
        let shareability = match mem_type {
            S2MemType::Device(_) => Shareability::OuterShareable,
            S2MemType::Normal { inner, outer } if inner == nc && outer == nc => {
                Shareability::OuterShareable
            }
            _ => sh_field(sh),
        };
        S2MemAttrs {
            memattr,
            sh,
            mem_type,
            shareability,
        }
    }

    /// Whether stage 2 makes this Device memory: MemAttr\[3:2\] == 0b00 with FWB == 0,
    /// MemAttr\[2\] == 0 with FWB == 1 (Table D8-100). This is the test HCR_EL2.PTW applies
    /// to stage 1 table walks.
    #[inline]
    pub fn is_device(&self, fwb: bool) -> bool {
        if fwb {
            self.memattr & 0b100 == 0
        } else {
            self.memattr & 0b1100 == 0
        }
    }
}

fn device_type(bits: u8) -> DeviceType {
    match bits & 0b11 {
        0b00 => DeviceType::NGnRnE,
        0b01 => DeviceType::NGnRE,
        0b10 => DeviceType::NGRE,
        _ => DeviceType::GRE,
    }
}

/// Descriptor SH\[1:0\] for Normal Cacheable memory; reserved 0b01 is Non-shareable.
fn sh_field(sh: u8) -> Shareability {
    match sh & 0b11 {
        0b10 => Shareability::OuterShareable,
        0b11 => Shareability::InnerShareable,
        _ => Shareability::NonShareable,
    }
}

/// Stage 2 Direct permissions of a translation (Tables D8-76, D8-77, D8-78). Data access
/// permissions do not distinguish EL1 from EL0 (I HXWLL); execute permission does with
/// FEAT_XNX.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct S2Perms {
    /// S2AP\[0\]: data reads (and stage 1 table walk reads) permitted.
    pub read: bool,
    /// S2AP\[1\]: data writes (and hardware descriptor updates) permitted.
    pub write: bool,
    /// Instruction fetches from EL1 permitted.
    pub exec_el1: bool,
    /// Instruction fetches from EL0 permitted.
    pub exec_el0: bool,
}

impl S2Perms {
    /// From the descriptor S2AP\[1:0\] and XN\[1:0\] (bits \[54:53\]). Without FEAT_XNX,
    /// bit 53 is RES0 and ignored, and XN\[1\] alone forbids execution at EL1 and EL0.
    pub fn from_fields(s2ap: u8, xn: u8, xnx: bool) -> S2Perms {
        let (exec_el1, exec_el0) = if xnx {
            match xn & 0b11 {
                0b00 => (true, true),
                0b01 => (false, true),
                0b10 => (false, false),
                _ => (true, false),
            }
        } else {
            let x = xn & 0b10 == 0;
            (x, x)
        };
        S2Perms {
            read: s2ap & 0b01 != 0,
            write: s2ap & 0b10 != 0,
            exec_el1,
            exec_el0,
        }
    }
}

/// Check one access against stage 2 permissions (AArch64.S2CheckPermissions, Direct
/// permissions).
///
/// - `Read` and `Write` depend on S2AP only. A stage 1 table walk read is a `Read`, its
///   hardware Access flag update a `Write`, whatever the access that caused the walk.
/// - `Exec` depends on XN only (no read permission is needed, so execute-only stage 2
///   mappings work); `el` is the Exception level of the fetch: 0 is checked against
///   `exec_el0`, anything else against `exec_el1`.
///
/// The error is reported at the level of the stage 2 Block/Page descriptor
/// ([`S2Translation::check`] builds the whole [`Fault`]).
pub fn check_stage2(perms: &S2Perms, access: AccessKind, el: u8) -> Result<(), FaultKind> {
    let ok = match access {
        AccessKind::Read => perms.read,
        AccessKind::Write => perms.write,
        AccessKind::Exec => {
            if el == 0 {
                perms.exec_el0
            } else {
                perms.exec_el1
            }
        }
    };
    if ok {
        Ok(())
    } else {
        Err(FaultKind::Permission)
    }
}

/// A successful stage 2 translation: what a stage 2 (or combined) TLB entry caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct S2Translation {
    /// The PA of the translated IPA.
    pub pa: u64,
    /// The translated IPA (kept for the Permission fault's HPFAR_EL2 value).
    pub ipa: u64,
    /// Bytes mapped by the Block/Page descriptor; `pa` and `ipa` agree modulo this size.
    pub page_size: u64,
    /// Stage 2 memory attributes (combine with stage 1 through [`combine_s1_s2`]).
    pub attrs: S2MemAttrs,
    /// Stage 2 permissions; check each access with [`S2Translation::check`].
    pub perms: S2Perms,
    /// Lookup level of the Block/Page descriptor.
    pub level: i8,
    /// The VMID at walk time.
    pub vmid: u16,
}

impl S2Translation {
    /// [`check_stage2`] this translation's permissions, producing a stage 2 Permission
    /// [`Fault`] at the Block/Page level, carrying the IPA, on failure.
    pub fn check(&self, access: AccessKind, el: u8) -> Result<(), Fault> {
        check_stage2(&self.perms, access, el)
            .map_err(|kind| Fault::stage2(kind, self.level, self.ipa))
    }
}

// Descriptor fields (Tables D8-51, D8-53).
const DESC_VALID: u64 = 1 << 0;
const DESC_TABLE_OR_PAGE: u64 = 1 << 1;
use super::DESC_AF;

enum Step {
    Done(S2Translation),
    /// The hardware AF update lost a race at this level: walk again.
    Retry(i8),
}

/// Translate `ipa` with stage 2 configuration `cfg`, reading descriptors (at PAs) through
/// `mem`.
///
/// Faults, all with `stage == 2` and `ipa == Some(ipa)`, in the order of AArch64.S2Translate
/// and AArch64.S2Walk:
/// 1. Invalid T0SZ, SL0 or T0SZ/SL0 combination ([`Stage2Config::error`]): Translation,
///    level 0.
/// 2. IPA bits at or above 64 - T0SZ set (AArch64.IPAIsOutOfRange): Translation, level 0.
/// 3. VTTBR_EL2.BADDR beyond the OA size: Address size, level 0 (reported as level 0
///    whatever the start level, D8.2.3).
/// 4. Per lookup level: External abort on the descriptor read (Synchronous External abort
///    on walk), invalid descriptor or a Block where none is allowed (Translation), Table
///    address beyond the OA size (Address size), Block/Page OA beyond the OA size (Address
///    size), AF == 0 without hardware update (Access flag), each at that level.
///
/// Permission faults come from [`S2Translation::check`] after a successful walk.
pub fn walk_stage2<M: WalkMem + ?Sized>(
    cfg: &Stage2Config,
    mem: &mut M,
    ipa: u64,
) -> Result<S2Translation, Fault> {
    let mut last_level = 3;
    for _ in 0..HW_UPDATE_RETRIES {
        match walk_once(cfg, mem, ipa)? {
            Step::Done(t) => return Ok(t),
            Step::Retry(level) => last_level = level,
        }
    }
    Err(Fault::stage2(FaultKind::AccessFlag, last_level, ipa))
}

fn walk_once<M: WalkMem + ?Sized>(
    cfg: &Stage2Config,
    mem: &mut M,
    ipa: u64,
) -> Result<Step, Fault> {
    let l0 = |kind| Err(Fault::stage2(kind, 0, ipa));
    if cfg.error.is_some() {
        return l0(FaultKind::Translation);
    }
    let ia = cfg.ia_bits();
    if ipa & bits_mask(63, ia) != 0 {
        return l0(FaultKind::Translation);
    }
    if cfg.base_too_big {
        return l0(FaultKind::AddressSize);
    }

    let g = cfg.granule.bits();
    let stride = cfg.granule.stride();
    let oa_bits = cfg.oa_bits as u32;
    let mut table = cfg.table_base;
    let mut level = cfg.start_level.clamp(0, 3);
    loop {
        // IPA bits [shift + width - 1 : shift] index the table at this level; at the start
        // level the index spans the concatenated tables (up to stride + 4 bits, R JKZFY).
        let shift = g + (3 - level as u32) * stride;
        let width = if level == cfg.start_level {
            cfg.start_bits
        } else {
            stride
        };
        let index = (ipa >> shift) & bits_mask(width.saturating_sub(1), 0);
        let addr = table | (index << 3);
        let raw = mem
            .read_desc(addr)
            .map_err(|e| e.into_s2_fault(level, ipa))?;
        let desc = if cfg.big_endian {
            raw.swap_bytes()
        } else {
            raw
        };
        let fault = |kind| Err(Fault::stage2(kind, level, ipa));

        if desc & DESC_VALID == 0 {
            return fault(FaultKind::Translation);
        }
        let bit1 = desc & DESC_TABLE_OR_PAGE != 0;
        if level < 3 && bit1 {
            // Table descriptor (Table D8-51): NLTA[47:g], plus NLTA[51:48] from bits [15:12]
            // in the 52-bit format; stage 2 Table descriptors carry no hierarchical
            // attributes.
            let nlta = desc_addr(desc, g, cfg.lpa);
            if nlta >> oa_bits != 0 {
                return fault(FaultKind::AddressSize);
            }
            table = nlta;
            level += 1;
            continue;
        }
        // Level 3 with bit[1] == 0 is reserved (treated as invalid), and a Block where the
        // granule permits none is invalid (Tables D8-17, D8-27, D8-36).
        if (level == 3 && !bit1) || (level < 3 && !cfg.granule.block_allowed(level, cfg.lpa)) {
            return fault(FaultKind::Translation);
        }
        let oa = desc_addr(desc, shift, cfg.lpa);
        if oa >> oa_bits != 0 {
            return fault(FaultKind::AddressSize);
        }
        let mut desc = desc;
        if desc & DESC_AF == 0 {
            if !cfg.ha {
                return fault(FaultKind::AccessFlag);
            }
            if !set_access_flag(mem, addr, desc, cfg.big_endian)
                .map_err(|e| e.into_s2_fault(level, ipa))?
            {
                return Ok(Step::Retry(level));
            }
            desc |= DESC_AF;
        }
        let page_size = 1u64 << shift;
        return Ok(Step::Done(S2Translation {
            pa: oa | (ipa & (page_size - 1)),
            ipa,
            page_size,
            attrs: S2MemAttrs::decode(((desc >> 2) & 0xf) as u8, ((desc >> 8) & 0b11) as u8),
            perms: S2Perms::from_fields(
                ((desc >> 6) & 0b11) as u8,
                ((desc >> 53) & 0b11) as u8,
                cfg.xnx,
            ),
            level,
            vmid: cfg.vmid,
        }));
    }
}

// ------------------------------------------------------------------------------------------
// Combining stage 1 and stage 2 attributes

/// Rank of a Device type: lower is stronger (Table D8-97: nG over G, nR over R, nE over E;
/// the four types are nested, so the combination is the stronger one).
fn device_rank(d: DeviceType) -> u8 {
    match d {
        DeviceType::NGnRnE => 0,
        DeviceType::NGnRE => 1,
        DeviceType::NGRE => 2,
        DeviceType::GRE => 3,
    }
}

fn stronger_device(a: DeviceType, b: DeviceType) -> DeviceType {
    if device_rank(a) <= device_rank(b) {
        a
    } else {
        b
    }
}

fn share_rank(s: Shareability) -> u8 {
    match s {
        Shareability::NonShareable => 0,
        Shareability::InnerShareable => 1,
        Shareability::OuterShareable => 2,
    }
}

/// Allocation hints of a stage 1 Cacheability: (transient, read_alloc, write_alloc), or
/// `None` for Non-cacheable.
fn hints(c: Cacheability) -> Option<(bool, bool, bool)> {
    match c {
        Cacheability::NonCacheable => None,
        Cacheability::WriteThrough {
            transient,
            read_alloc,
            write_alloc,
        }
        | Cacheability::WriteBack {
            transient,
            read_alloc,
            write_alloc,
        } => Some((transient, read_alloc, write_alloc)),
    }
}

/// A cacheable result of type `kind` with the stage 1 hints when stage 1 is cacheable at
/// this level, else Read-Allocate, Write-Allocate, Non-transient (R THYXB, R TBQKG).
fn with_hints(kind: S2Cacheability, s1: Option<Cacheability>) -> Cacheability {
    let (transient, read_alloc, write_alloc) = s1.and_then(hints).unwrap_or((false, true, true));
    match kind {
        S2Cacheability::NonCacheable => Cacheability::NonCacheable,
        S2Cacheability::WriteThrough => Cacheability::WriteThrough {
            transient,
            read_alloc,
            write_alloc,
        },
        S2Cacheability::WriteBack => Cacheability::WriteBack {
            transient,
            read_alloc,
            write_alloc,
        },
    }
}

/// Table D8-98: Non-cacheable if either stage says so, else Write-Through if either does,
/// else Write-Back; hints from stage 1.
fn combine_cacheability(s1: Cacheability, s2: S2Cacheability) -> Cacheability {
    let kind = match (s1, s2) {
        (Cacheability::NonCacheable, _) | (_, S2Cacheability::NonCacheable) => {
            S2Cacheability::NonCacheable
        }
        (Cacheability::WriteThrough { .. }, _) | (_, S2Cacheability::WriteThrough) => {
            S2Cacheability::WriteThrough
        }
        _ => S2Cacheability::WriteBack,
    };
    with_hints(kind, Some(s1))
}

/// Combine the stage 1 attributes `s1` (from [`MemAttrs::from_mair`], or the stage 1
/// disabled defaults) with the stage 2 attributes `s2` into the attributes of the access.
///
/// - `fwb == false` (HCR_EL2.FWB == 0, D8.6.5): Device has precedence over Normal and the
///   stronger Device type wins (Table D8-97); for Normal memory each of Inner and Outer
///   Cacheability is the weaker of the two (Table D8-98), with the stage 1 allocation and
///   transient hints.
/// - `fwb == true` (FEAT_S2FWB, D8.6.6, Tables D8-100 and D8-101): MemAttr\[2\] == 0 is a
///   stage 2 Device type, combined as above; 0b101 is Non-cacheable unless stage 1 is
///   Device (then stage 1's type); 0b110 forces Normal Write-Back (stage 1 hints when
///   stage 1 is cacheable, else Read/Write-Allocate, Non-transient); 0b111 takes the stage 1
///   attributes. 0b100 is reserved and behaves as 0b101 (hypsim's choice).
/// - Shareability (D8.6.7.1, either FWB): Outer Shareable if the result is Device or Normal
///   Inner and Outer Non-cacheable, else the more shareable of the two stages (Table
///   D8-103), where stage 2 Device or Non-cacheable memory counts as Outer Shareable.
/// - The result is Tagged (FEAT_MTE2) when stage 1 is Tagged and the result is Normal Inner
///   and Outer Write-Back (Table D8-99 without FEAT_MTE_PERM).
pub fn combine_s1_s2(s1: &MemAttrs, s2: &S2MemAttrs, fwb: bool) -> MemAttrs {
    let (mem_type, s2_share) = if fwb {
        combine_fwb(s1, s2)
    } else {
        let t = match (s1.mem_type, s2.mem_type) {
            (MemType::Device(a), S2MemType::Device(b)) => MemType::Device(stronger_device(a, b)),
            (MemType::Device(a), S2MemType::Normal { .. }) => MemType::Device(a),
            (MemType::Normal { .. }, S2MemType::Device(b)) => MemType::Device(b),
            (
                MemType::Normal {
                    inner: i1,
                    outer: o1,
                },
                S2MemType::Normal {
                    inner: i2,
                    outer: o2,
                },
            ) => MemType::Normal {
                inner: combine_cacheability(i1, i2),
                outer: combine_cacheability(o1, o2),
            },
        };
        (t, s2.shareability)
    };
    let (all_nc, all_wb) = match mem_type {
        MemType::Device(_) => (false, false),
        MemType::Normal { inner, outer } => (
            inner == Cacheability::NonCacheable && outer == Cacheability::NonCacheable,
            matches!(inner, Cacheability::WriteBack { .. })
                && matches!(outer, Cacheability::WriteBack { .. }),
        ),
    };
    let shareability = if matches!(mem_type, MemType::Device(_)) || all_nc {
        Shareability::OuterShareable
    } else if share_rank(s1.shareability) >= share_rank(s2_share) {
        s1.shareability
    } else {
        s2_share
    };
    MemAttrs {
        mem_type,
        shareability,
        tagged: s1.tagged && all_wb,
    }
}

// HCR_EL2 fields that change stage 2 attributes.
const HCR_CD: u64 = 1 << 32;
const HCR_ID: u64 = 1 << 33;
const HCR_FWB: u64 = 1 << 46;

/// [`combine_s1_s2`] plus the per-access overrides of AArch64.S2Translate, taking HCR_EL2
/// as a raw value (FWB \[46\], CD \[32\], ID \[33\]):
///
/// - An instruction fetch (`Exec`) where stage 2 gives Device memory, or with HCR_EL2.ID
///   set, uses Normal Non-cacheable stage 2 attributes (fetches never see Device memory).
/// - A data access (`Read`/`Write`) where stage 2 gives Normal memory, with HCR_EL2.CD set
///   (S2DCacheEnabled() false), uses Normal Non-cacheable stage 2 attributes.
///
/// With FWB == 0 the override replaces the stage 2 attributes before they are combined
/// (so a stage 1 Device type still wins); with FWB == 1 the "stage 2" attributes the
/// pseudocode tests and replaces are the already combined ones (S2ApplyFWBMemAttrs).
/// `s1` must already have the stage 1 overrides applied (SCTLR_EL1.C/I, stage 1 disabled,
/// fetches from stage 1 Device memory as Normal Non-cacheable).
///
/// Stage 1 table walks are not covered: their attributes come from TCR_EL1 and their
/// Device handling is [`S2WalkMem`]'s `ptw`.
pub fn combine_for_access(
    s1: &MemAttrs,
    s2: &S2MemAttrs,
    access: AccessKind,
    hcr_el2: u64,
) -> MemAttrs {
    let exec = access == AccessKind::Exec;
    let id = hcr_el2 & HCR_ID != 0;
    let cd = hcr_el2 & HCR_CD != 0;
    if hcr_el2 & HCR_FWB != 0 {
        let m = combine_s1_s2(s1, s2, true);
        let force_nc = if exec {
            id || m.is_device()
        } else {
            cd && !m.is_device()
        };
        if force_nc {
            MemAttrs::NORMAL_NC
        } else {
            m
        }
    } else {
        let s2_device = matches!(s2.mem_type, S2MemType::Device(_));
        let force_nc = if exec {
            id || s2_device
        } else {
            cd && !s2_device
        };
        if force_nc {
            combine_s1_s2(s1, &S2MemAttrs::decode(0b0101, 0), false)
        } else {
            combine_s1_s2(s1, s2, false)
        }
    }
}

/// FWB == 1: the resulting memory type and the stage 2 Shareability to combine.
fn combine_fwb(s1: &MemAttrs, s2: &S2MemAttrs) -> (MemType, Shareability) {
    let nc = MemType::Normal {
        inner: Cacheability::NonCacheable,
        outer: Cacheability::NonCacheable,
    };
    match s2.memattr & 0b111 {
        0b000..=0b011 => {
            let d = device_type(s2.memattr);
            let t = match s1.mem_type {
                MemType::Device(a) => MemType::Device(stronger_device(a, d)),
                MemType::Normal { .. } => MemType::Device(d),
            };
            (t, Shareability::OuterShareable)
        }
        0b110 => {
            let (i1, o1) = match s1.mem_type {
                MemType::Normal { inner, outer } => (Some(inner), Some(outer)),
                MemType::Device(_) => (None, None),
            };
            let t = MemType::Normal {
                inner: with_hints(S2Cacheability::WriteBack, i1),
                outer: with_hints(S2Cacheability::WriteBack, o1),
            };
            (t, sh_field(s2.sh))
        }
        0b111 => (s1.mem_type, sh_field(s2.sh)),
        // 0b101, and the reserved 0b100: Non-cacheable unless stage 1 is Device.
        _ => {
            let t = match s1.mem_type {
                MemType::Device(a) => MemType::Device(a),
                MemType::Normal { .. } => nc,
            };
            (t, Shareability::OuterShareable)
        }
    }
}

// ------------------------------------------------------------------------------------------
// Stage 1 walks under stage 2

/// [`WalkMem`] for a stage 1 walk of the EL1&0 regime with stage 2 enabled: descriptor
/// addresses are IPAs (R PNHHK), translated here through stage 2 before `mem` (PAs) is
/// accessed.
///
/// - A descriptor read is checked as a stage 2 read, a hardware Access flag update
///   ([`WalkMem::cas_desc`]) as a stage 2 write (AArch64.S2CheckPermissions).
/// - With `ptw` (HCR_EL2.PTW) set, a table that stage 2 maps as Device memory gives a
///   stage 2 Permission fault (D8.6.3); with it clear the walk proceeds as if to Normal
///   Non-cacheable memory. `fwb` (HCR_EL2.FWB) selects how MemAttr is read for that test.
/// - Every stage 2 fault is returned as [`WalkMemError::Fault`] with `s1ptw` set and `ipa`
///   the IPA of the stage 1 descriptor, which the stage 1 walker passes through unchanged.
///   ESR_EL2.WnR is 0 for these unless the fault came from the Access flag update (only
///   possible with stage 1 TCR_EL1.HA); the fault does not record which.
/// - A Synchronous External abort reading the descriptor at its PA stays a stage 1 fault
///   (the stage 1 walker reports it at its own level).
pub struct S2WalkMem<'a, M: WalkMem + ?Sized> {
    /// The stage 2 configuration.
    pub cfg: &'a Stage2Config,
    /// Physical memory: stage 2 tables and stage 1 tables are both read through it.
    pub mem: &'a mut M,
    /// HCR_EL2.PTW.
    pub ptw: bool,
    /// HCR_EL2.FWB.
    pub fwb: bool,
}

impl<M: WalkMem + ?Sized> S2WalkMem<'_, M> {
    /// The PA of the stage 1 descriptor at `ipa`, accessed as `access`.
    fn translate(&mut self, ipa: u64, access: AccessKind) -> Result<u64, WalkMemError> {
        let t = walk_stage2(self.cfg, self.mem, ipa)
            .and_then(|t| {
                t.check(access, 1)?;
                if self.ptw && t.attrs.is_device(self.fwb) {
                    return Err(Fault::stage2(FaultKind::Permission, t.level, ipa));
                }
                Ok(t)
            })
            .map_err(|f| WalkMemError::Fault(f.on_s1_walk()))?;
        Ok(t.pa)
    }
}

impl<M: WalkMem + ?Sized> WalkMem for S2WalkMem<'_, M> {
    fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
        let pa = self.translate(addr, AccessKind::Read)?;
        self.mem.read_desc(pa)
    }

    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, WalkMemError> {
        let pa = self.translate(addr, AccessKind::Write)?;
        self.mem.cas_desc(pa, old, new)
    }
}
