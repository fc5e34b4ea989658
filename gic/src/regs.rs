//! Register offsets and fixed identification values, kept as data so the
//! MMIO decoders read like the register maps in the GICv3 specification
//! (IHI0069) and the chosen ID/TYPER values are reviewed in one place.

/// Size of the distributor (GICD) frame.
pub const DIST_SIZE: u64 = 0x1_0000;
/// Bytes of redistributor space per PE: an RD_base frame then an SGI_base
/// frame (no VLPI frames, since GICR_TYPER.VLPIS = 0).
pub const REDIST_STRIDE: u64 = 0x2_0000;
/// Offset of the SGI_base frame inside one redistributor.
pub(crate) const SGI_BASE: u64 = 0x1_0000;

/// Distributor (GICD) register offsets outside the INTID-indexed banks.
pub(crate) mod gicd {
    pub const CTLR: u64 = 0x0000;
    pub const TYPER: u64 = 0x0004;
    pub const IIDR: u64 = 0x0008;
    /// First IROUTER<n>; IROUTER0-31 do not exist, so SPI 32 is at 0x6100.
    pub const IROUTER: u64 = 0x6000;
    /// End (exclusive) of the IROUTER array for INTIDs 0..1020.
    pub const IROUTER_END: u64 = IROUTER + 8 * 1020;
}

/// Size of the ITS: its control frame and its translation frame, 64 KiB each.
pub const ITS_SIZE: u64 = 0x2_0000;

/// ITS (GITS) register offsets.
pub(crate) mod its {
    pub const CTLR: u64 = 0x0000;
    pub const TYPER: u64 = 0x0008;
    pub const CBASER: u64 = 0x0080;
    pub const CWRITER: u64 = 0x0088;
    pub const CREADR: u64 = 0x0090;
    /// GITS_BASER0..7, 8 bytes each.
    pub const BASER: u64 = 0x0100;
    /// In the translation frame.
    pub const TRANSLATER: u64 = 0x1_0040;
}

/// Redistributor RD_base frame offsets.
pub(crate) mod gicr {
    pub const CTLR: u64 = 0x0000;
    pub const IIDR: u64 = 0x0004;
    pub const TYPER: u64 = 0x0008;
    pub const WAKER: u64 = 0x0014;
    pub const PROPBASER: u64 = 0x0070;
    pub const PENDBASER: u64 = 0x0078;
}

/// INTID-indexed register banks. The SGI_base frame of a redistributor
/// repeats the distributor's layout for INTIDs 0-31, so one decoder serves
/// both.
pub(crate) mod bank {
    pub const IGROUPR: u64 = 0x0080;
    pub const ISENABLER: u64 = 0x0100;
    pub const ICENABLER: u64 = 0x0180;
    pub const ISPENDR: u64 = 0x0200;
    pub const ICPENDR: u64 = 0x0280;
    pub const ISACTIVER: u64 = 0x0300;
    pub const ICACTIVER: u64 = 0x0380;
    /// One byte per INTID.
    pub const IPRIORITYR: u64 = 0x0400;
    /// GICv2 targets; RES0 with affinity routing.
    pub const ITARGETSR: u64 = 0x0800;
    /// Two bits per INTID.
    pub const ICFGR: u64 = 0x0C00;
    /// End (exclusive) of the ICFGR array.
    pub const ICFGR_END: u64 = 0x0D00;
    /// Bytes covered by each one-bit-per-INTID array (1024 INTIDs).
    pub const BIT_ARRAY_LEN: u64 = 0x80;
}

/// GICD_IIDR / GICR_IIDR: implementer JEP106 code 0x43B (Arm), product,
/// variant and revision 0. Linux keys its errata on this value; a plain Arm
/// ID with ProductID 0 matches no quirk (QEMU reports the same).
pub(crate) const IIDR: u32 = 0x0000_043B;

/// PIDR0 part number low byte, which differs between frame kinds.
pub(crate) const PIDR0_GICD: u32 = 0x92;
/// PIDR0 for a redistributor.
pub(crate) const PIDR0_GICR: u32 = 0x93;
/// PIDR0 for the ITS.
pub(crate) const PIDR0_ITS: u32 = 0x94;

/// Value of the CoreSight-style ID registers at 0xFFD0-0xFFFC, if `offset`
/// is one of them. PIDR2[7:4] = 3 is the ArchRev field that Linux checks
/// (GICv3); the rest are Arm's usual values.
pub(crate) fn id_reg(offset: u64, pidr0: u32) -> Option<u32> {
    Some(match offset {
        0xFFD0 => 0x44,       // PIDR4
        0xFFD4..=0xFFDC => 0, // PIDR5-7
        0xFFE0 => pidr0,
        0xFFE4 => 0xB4, // PIDR1
        0xFFE8 => 0x3B, // PIDR2: ArchRev 3, JEDEC, designer bits
        0xFFEC => 0,    // PIDR3
        0xFFF0 => 0x0D, // CIDR0
        0xFFF4 => 0xF0, // CIDR1
        0xFFF8 => 0x05, // CIDR2
        0xFFFC => 0xB1, // CIDR3
        _ => return None,
    })
}

/// GICD_CTLR bits in the single-Security-state (DS=1) view.
pub(crate) mod ctlr {
    pub const ENABLE_GRP0: u32 = 1 << 0;
    pub const ENABLE_GRP1: u32 = 1 << 1;
    /// Affinity routing: RAO/WI, we implement no legacy (GICv2) mode.
    pub const ARE: u32 = 1 << 4;
    /// Disable Security: RAO/WI, we implement one Security state.
    pub const DS: u32 = 1 << 6;
}

/// GICR_WAKER bits.
pub(crate) mod waker {
    pub const PROCESSOR_SLEEP: u32 = 1 << 1;
    pub const CHILDREN_ASLEEP: u32 = 1 << 2;
}

/// GICD_TYPER fields other than ITLinesNumber.
pub(crate) mod typer {
    /// IDbits = 15: 16-bit INTIDs, matching ICC_CTLR_EL1.IDbits = 0.
    pub const IDBITS_16: u32 = 15 << 19;
    /// A3V: non-zero Aff3 is supported (IROUTER and SGI matching compare it).
    pub const A3V: u32 = 1 << 24;
    /// LPIS: LPIs are supported (with the ITS).
    pub const LPIS: u32 = 1 << 17;
}
