//! Stage 1 translation-regime configuration, decoded once from raw register values.
//!
//! The CPU builds a [`Stage1Config`] when TCR/TTBR/SCTLR/MAIR of a regime change and hands
//! it to every walk; nothing here is recomputed per access.

/// Translation granule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Granule {
    /// 4KB.
    K4,
    /// 16KB.
    K16,
    /// 64KB.
    K64,
}

impl Granule {
    /// log2 of the granule (page) size: 12, 14 or 16.
    #[inline]
    pub const fn bits(self) -> u32 {
        match self {
            Granule::K4 => 12,
            Granule::K16 => 14,
            Granule::K64 => 16,
        }
    }

    /// Page size in bytes.
    #[inline]
    pub const fn size(self) -> u64 {
        1 << self.bits()
    }

    /// IA bits resolved by one full lookup level: granule bits - 3 (8-byte descriptors).
    #[inline]
    pub const fn stride(self) -> u32 {
        self.bits() - 3
    }

    /// Decode TCR_ELx.TG0. The reserved value 0b11 selects 4KB: the TG0 description lets
    /// an implementation treat a reserved value as an IMPLEMENTATION DEFINED choice among
    /// the implemented sizes, and that is hypsim's choice.
    pub const fn from_tg0(tg0: u64) -> Granule {
        match tg0 & 0b11 {
            0b01 => Granule::K64,
            0b10 => Granule::K16,
            _ => Granule::K4,
        }
    }

    /// Decode TCR_ELx.TG1 (a different encoding from TG0!). The reserved value 0b00
    /// selects 4KB, as for TG0.
    pub const fn from_tg1(tg1: u64) -> Granule {
        match tg1 & 0b11 {
            0b01 => Granule::K16,
            0b11 => Granule::K64,
            _ => Granule::K4,
        }
    }

    /// Whether a Block descriptor is permitted at `level` (TCR.DS == 0: no FEAT_LPA2): 4KB
    /// at levels 1 and 2, 16KB at level 2, 64KB at level 2 and, when `lpa` (FEAT_LPA with
    /// the 64KB granule, see [`Granule::lpa`]), the 4TB block at level 1 (Tables D8-17,
    /// D8-27, D8-35, D8-36).
    #[inline]
    pub const fn block_allowed(self, level: i8, lpa: bool) -> bool {
        match self {
            Granule::K4 => level == 1 || level == 2,
            Granule::K16 => level == 2,
            Granule::K64 => level == 2 || (level == 1 && lpa),
        }
    }

    /// Whether descriptors of this granule use the 52-bit format on a CPU whose implemented
    /// PA size is `pa_bits`: the 64KB granule with FEAT_LPA (PARange 52 bits). Table
    /// descriptors then hold NLTA\[51:48\] and Block/Page descriptors OA\[51:48\] in bits
    /// \[15:12\] (Tables D8-50, D8-52), whatever TCR.{I}PS says; 4KB and 16KB need FEAT_LPA2
    /// (TCR.DS), which is not implemented (R NSQXP, R CDLYH: OA\[51:48\] are 0 otherwise).
    #[inline]
    pub const fn lpa(self, pa_bits: u8) -> bool {
        matches!(self, Granule::K64) && pa_bits >= 52
    }

    /// Largest OA size of this granule on a CPU with a `pa_bits` PA size: 52 with
    /// [`Granule::lpa`], else 48 (I YZDPC, I JCYXY; AArch64.PhysicalAddressSize caps 4KB and
    /// 16KB at 48 bits without FEAT_LPA2).
    #[inline]
    pub const fn max_oa_bits(self, pa_bits: u8) -> u8 {
        if self.lpa(pa_bits) {
            MAX_OA_BITS
        } else {
            OA_BITS_NO_LPA
        }
    }
}

/// Translation regime of a stage 1 configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Regime {
    /// EL1&0: two VA ranges, ASIDs, two privilege levels.
    El10,
    /// EL2 with HCR_EL2.E2H == 0: one VA range, no ASID, one privilege level.
    El2,
    /// EL2&0 (VHE, HCR_EL2.E2H == 1): like EL1&0 but controlled by the EL2 registers.
    El20,
}

impl Regime {
    /// Whether the regime supports two privilege levels (and so two VA ranges and ASIDs).
    #[inline]
    pub const fn two_levels(self) -> bool {
        !matches!(self, Regime::El2)
    }
}

/// Optional architecture features the modelled CPU advertises and which change how the
/// registers are interpreted. `Default` is a bare Armv8.0 CPU; [`Features::all`] enables
/// everything implemented here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Features {
    /// FEAT_HPDS: TCR_ELx.HPD{0,1} can disable hierarchical permissions.
    pub hpds: bool,
    /// FEAT_HAFDBS (Access flag part): TCR_ELx.HA enables hardware Access flag updates.
    pub hafdbs: bool,
    /// 16-bit ASIDs (ID_AA64MMFR0_EL1.ASIDBits == 0b0010): TCR_EL1.AS is honoured.
    pub asid16: bool,
    /// FEAT_E0PD: TCR_ELx.E0PD{0,1} make EL0 accesses to a range fault.
    pub e0pd: bool,
}

impl Features {
    /// Every feature this walker implements.
    pub const fn all() -> Features {
        Features {
            hpds: true,
            hafdbs: true,
            asid16: true,
            e0pd: true,
        }
    }
}

/// Largest OA the VMSAv8-64 descriptors can express: 52 bits, with FEAT_LPA and the 64KB
/// granule only (Tables D8-10, D8-50, D8-52).
pub const MAX_OA_BITS: u8 = 52;

/// Largest OA of the 4KB and 16KB granules (no FEAT_LPA2 / TCR.DS), and of the 64KB granule
/// without FEAT_LPA.
pub const OA_BITS_NO_LPA: u8 = 48;

/// Smallest and largest TnSZ accepted (48-bit VA, no FEAT_LVA, no FEAT_TTST: D8.1.9).
pub const MIN_TXSZ: u8 = 16;
/// See [`MIN_TXSZ`].
pub const MAX_TXSZ: u8 = 39;

/// Bits `hi..=lo` set; empty if `lo > hi`. `hi` may be 63.
#[inline]
pub(crate) const fn bits_mask(hi: u32, lo: u32) -> u64 {
    if lo > hi || lo > 63 {
        return 0;
    }
    let top = if hi >= 63 {
        u64::MAX
    } else {
        (1u64 << (hi + 1)) - 1
    };
    top & !((1u64 << lo) - 1)
}

/// OA size in bits for a TCR_ELx.{I}PS or VTCR_EL2.PS value (Table D8-6).
pub(crate) const fn ps_bits(ps: u64) -> u8 {
    match ps & 0b111 {
        0b000 => 32,
        0b001 => 36,
        0b010 => 40,
        0b011 => 42,
        0b100 => 44,
        0b101 => 48,
        // 0b110 is 52 bits; 0b111 is 56 bits for IPS (FEAT_D128) and reserved otherwise:
        // hypsim treats it as 0b110. Either way it is capped by [`Granule::max_oa_bits`].
        _ => 52,
    }
}

/// The address in a TTBR_ELx / VTTBR_EL2 value, before alignment. In the 52-bit format
/// (`ttbr52`: FEAT_LPA, the 64KB granule and {I}PS = 0b110) BADDR\[51:48\] are in bits
/// \[5:2\] and bits \[5:0\] of the address are zero (Table D8-10; AArch64.TTBaseAddress
/// aligns such a table to at least 64 bytes); otherwise BADDR\[47:1\] is in bits \[47:1\].
#[inline]
pub(crate) const fn ttbr_addr(ttbr: u64, ttbr52: bool) -> u64 {
    if ttbr52 {
        (ttbr & bits_mask(47, 6)) | (((ttbr >> 2) & 0xf) << 48)
    } else {
        ttbr & bits_mask(47, 1)
    }
}

/// The address field of a descriptor: bits \[47:lo\] (`lo` >= the granule size bits), plus
/// bits \[51:48\] from descriptor bits \[15:12\] in the 52-bit format ([`Granule::lpa`]).
#[inline]
pub(crate) const fn desc_addr(desc: u64, lo: u32, lpa: bool) -> u64 {
    let a = desc & bits_mask(47, lo);
    if lpa {
        a | (((desc >> 12) & 0xf) << 48)
    } else {
        a
    }
}

/// One VA range (one TTBR) of a stage 1 regime, fully decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VaRange {
    /// Translation granule (TG0 or TG1).
    pub granule: Granule,
    /// The raw TnSZ field.
    pub txsz: u8,
    /// TnSZ is within [`MIN_TXSZ`]..=[`MAX_TXSZ`]. If not, every walk of this range takes a
    /// level 0 Translation fault (an IMPLEMENTATION DEFINED choice permitted by R RYXNYW for
    /// too-large values and R RSXWGM for too-small ones).
    pub txsz_valid: bool,
    /// Initial lookup level (0..=3), from TnSZ and the granule.
    pub start_level: i8,
    /// Base address of the initial table: TTBR BADDR\[47:x\] (\[51:x\] in the 52-bit
    /// format) with the bits below the table alignment x taken as zero (Tables D8-25, D8-34,
    /// D8-42: BaseAddr\[PAsize-1:x\]).
    pub table_base: u64,
    /// TTBR BADDR has bits set above the OA size: level 0 Address size fault (D8.2.3).
    pub base_too_big: bool,
    /// Effective OA size of this range: min({I}PS, implemented PA size, 48, or 52 for the
    /// 64KB granule with FEAT_LPA).
    pub oa_bits: u8,
    /// Descriptors use the 52-bit format ([`Granule::lpa`]): OA\[51:48\] in bits \[15:12\],
    /// and 4TB blocks at level 1.
    pub lpa: bool,
    /// Top Byte Ignored for this range (data and instruction accesses: TBID not advertised).
    pub tbi: bool,
    /// EPDn: walks of this range are disabled (level 0 Translation fault, I ZFSYQ).
    pub epd: bool,
    /// Hierarchical permissions disabled (TCR.HPDn with FEAT_HPDS).
    pub hpd: bool,
    /// EL0 accesses to this range fault (TCR.E0PDn with FEAT_E0PD).
    pub e0pd: bool,
}

impl VaRange {
    #[allow(clippy::too_many_arguments)]
    fn new(
        granule: Granule,
        txsz: u8,
        ttbr: u64,
        ps: u64,
        pa_bits: u8,
        tbi: bool,
        epd: bool,
        hpd: bool,
    ) -> VaRange {
        let lpa = granule.lpa(pa_bits);
        let ps_bits = ps_bits(ps);
        let oa_bits = ps_bits.min(pa_bits).min(granule.max_oa_bits(pa_bits));
        // The TTBR holds BADDR[51:48] when FEAT_LPA, the 64KB granule and {I}PS = 0b110
        // are all in use (AArch64.TTBaseAddress).
        let base = ttbr_addr(ttbr, lpa && ps_bits >= 52);
        let txsz_valid = (MIN_TXSZ..=MAX_TXSZ).contains(&txsz);
        let (start_level, table_base) = if txsz_valid {
            let ia = 64 - txsz as u32;
            let g = granule.bits();
            let stride = granule.stride();
            // Levels below the start level each resolve `stride` bits; the start level
            // resolves what is left of IA[ia-1:g] (Tables D8-18, D8-28, D8-37).
            let below = (ia - 1 - g) / stride;
            let start = 3 - below;
            let start_bits = ia - g - below * stride;
            let align = start_bits + 3;
            (start as i8, base & !((1u64 << align) - 1))
        } else {
            (0, 0)
        };
        VaRange {
            granule,
            txsz,
            txsz_valid,
            start_level,
            table_base,
            base_too_big: base >> oa_bits != 0,
            oa_bits,
            lpa,
            tbi,
            epd,
            hpd,
            e0pd: false,
        }
    }

    /// Input address size in bits (64 - TnSZ).
    #[inline]
    pub fn ia_bits(&self) -> u32 {
        64 - self.txsz.min(64) as u32
    }
}

/// A stage 1 translation regime, decoded from its registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stage1Config {
    pub(crate) regime: Regime,
    pub(crate) enabled: bool,
    /// `[TTBR0 range, TTBR1 range]`; the second is unused by the EL2 regime.
    pub(crate) ranges: [VaRange; 2],
    pub(crate) asid: Option<u16>,
    /// Implemented PA size (ID_AA64MMFR0_EL1.PARange).
    pub(crate) pa_bits: u8,
    pub(crate) mair: u64,
    pub(crate) wxn: bool,
    pub(crate) big_endian: bool,
    pub(crate) ha: bool,
}

// SCTLR_ELx fields (same positions in SCTLR_EL1 and SCTLR_EL2).
const SCTLR_M: u64 = 1 << 0;
const SCTLR_WXN: u64 = 1 << 19;
const SCTLR_EE: u64 = 1 << 25;

impl Stage1Config {
    /// The EL1&0 regime from TCR_EL1, TTBR0_EL1, TTBR1_EL1, SCTLR_EL1 and MAIR_EL1.
    ///
    /// `parange_bits` is the implemented PA size (32, 36, 40, 42, 44, 48 or 52; other
    /// values are clamped into 32..=52).
    pub fn el10(
        tcr: u64,
        ttbr0: u64,
        ttbr1: u64,
        sctlr: u64,
        mair: u64,
        parange_bits: u8,
        features: Features,
    ) -> Stage1Config {
        Self::two_range(
            Regime::El10,
            tcr,
            ttbr0,
            ttbr1,
            sctlr,
            mair,
            parange_bits,
            features,
        )
    }

    /// The EL2&0 regime (HCR_EL2.E2H == 1): TCR_EL2 then has the TCR_EL1 layout.
    pub fn el20(
        tcr: u64,
        ttbr0: u64,
        ttbr1: u64,
        sctlr: u64,
        mair: u64,
        parange_bits: u8,
        features: Features,
    ) -> Stage1Config {
        Self::two_range(
            Regime::El20,
            tcr,
            ttbr0,
            ttbr1,
            sctlr,
            mair,
            parange_bits,
            features,
        )
    }

    /// The EL2 regime (HCR_EL2.E2H == 0) from TCR_EL2, TTBR0_EL2, SCTLR_EL2, MAIR_EL2.
    ///
    /// TCR_EL2 layout (D24.2.195, !ELIsInHost(EL2)): T0SZ \[5:0\], TG0 \[15:14\], PS \[18:16\],
    /// TBI \[20\], HA \[21\], HPD \[24\].
    pub fn el2(
        tcr: u64,
        ttbr0: u64,
        sctlr: u64,
        mair: u64,
        parange_bits: u8,
        features: Features,
    ) -> Stage1Config {
        let pa_bits = parange_bits.clamp(32, 52);
        let r0 = VaRange::new(
            Granule::from_tg0(tcr >> 14),
            (tcr & 0x3f) as u8,
            ttbr0,
            tcr >> 16,
            pa_bits,
            tcr & (1 << 20) != 0,
            false,
            features.hpds && tcr & (1 << 24) != 0,
        );
        Stage1Config {
            regime: Regime::El2,
            enabled: sctlr & SCTLR_M != 0,
            ranges: [r0, r0],
            asid: None,
            pa_bits,
            mair,
            wxn: sctlr & SCTLR_WXN != 0,
            big_endian: sctlr & SCTLR_EE != 0,
            ha: features.hafdbs && tcr & (1 << 21) != 0,
        }
    }

    /// TCR_EL1 layout (also TCR_EL2 when E2H == 1): T0SZ \[5:0\], EPD0 \[7\], TG0 \[15:14\],
    /// T1SZ \[21:16\], A1 \[22\], EPD1 \[23\], TG1 \[31:30\], IPS \[34:32\], AS \[36\], TBI0 \[37\],
    /// TBI1 \[38\], HA \[39\], HPD0 \[41\], HPD1 \[42\], E0PD0 \[55\], E0PD1 \[56\].
    #[allow(clippy::too_many_arguments)]
    fn two_range(
        regime: Regime,
        tcr: u64,
        ttbr0: u64,
        ttbr1: u64,
        sctlr: u64,
        mair: u64,
        parange_bits: u8,
        features: Features,
    ) -> Stage1Config {
        let bit = |n: u32| tcr & (1u64 << n) != 0;
        let pa_bits = parange_bits.clamp(32, 52);
        let r0 = VaRange {
            e0pd: features.e0pd && bit(55),
            ..VaRange::new(
                Granule::from_tg0(tcr >> 14),
                (tcr & 0x3f) as u8,
                ttbr0,
                tcr >> 32,
                pa_bits,
                bit(37),
                bit(7),
                features.hpds && bit(41),
            )
        };
        let r1 = VaRange {
            e0pd: features.e0pd && bit(56),
            ..VaRange::new(
                Granule::from_tg1(tcr >> 30),
                ((tcr >> 16) & 0x3f) as u8,
                ttbr1,
                tcr >> 32,
                pa_bits,
                bit(38),
                bit(23),
                features.hpds && bit(42),
            )
        };
        // TCR.A1 picks the TTBR whose ASID field [63:48] is the current ASID; with 8-bit
        // ASIDs (TCR.AS == 0, or 16-bit ASIDs not implemented) ASID[15:8] are ignored.
        let raw = (if bit(22) { ttbr1 } else { ttbr0 } >> 48) as u16;
        let asid = if features.asid16 && bit(36) {
            raw
        } else {
            raw & 0xff
        };
        Stage1Config {
            regime,
            enabled: sctlr & SCTLR_M != 0,
            ranges: [r0, r1],
            asid: Some(asid),
            pa_bits,
            mair,
            wxn: sctlr & SCTLR_WXN != 0,
            big_endian: sctlr & SCTLR_EE != 0,
            ha: features.hafdbs && bit(39),
        }
    }

    /// The translation regime.
    #[inline]
    pub fn regime(&self) -> Regime {
        self.regime
    }

    /// Stage 1 translation is enabled (SCTLR_ELx.M).
    #[inline]
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The current ASID (`None` for the EL2 regime, which has none).
    #[inline]
    pub fn asid(&self) -> Option<u16> {
        self.asid
    }

    /// Effective output address size in bits: the larger of the two ranges' (they differ
    /// only when one range uses the 64KB granule with a 52-bit OA; see
    /// [`VaRange::oa_bits`]).
    #[inline]
    pub fn oa_bits(&self) -> u8 {
        self.ranges[0].oa_bits.max(self.ranges[1].oa_bits)
    }

    /// The TTBR0 (`0`) or TTBR1 (`1`) range.
    #[inline]
    pub fn range(&self, n: usize) -> &VaRange {
        &self.ranges[n & 1]
    }

    /// Index of the range that translates `va`: VA\[55\] for two-range regimes (R HCTPT).
    #[inline]
    pub fn range_index(&self, va: u64) -> usize {
        if self.regime.two_levels() {
            ((va >> 55) & 1) as usize
        } else {
            0
        }
    }

    /// `va` with its top byte ignored when TBI applies to it: bits \[63:56\] become copies of
    /// bit 55 for two-range regimes, zero for the EL2 regime. The TLB keys entries by this
    /// value so tagged pointers hit the same entry.
    #[inline]
    pub fn strip_tag(&self, va: u64) -> u64 {
        let idx = self.range_index(va);
        if !self.ranges[idx].tbi {
            return va;
        }
        let low = va & 0x00ff_ffff_ffff_ffff;
        if idx == 1 {
            low | 0xff00_0000_0000_0000
        } else {
            low
        }
    }
}
