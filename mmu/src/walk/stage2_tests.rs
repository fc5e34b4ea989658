//! Stage 2 walker tests. Start levels, valid T0SZ ranges and concatenation counts are
//! transcribed from the Arm ARM tables (D8-19..D8-24, D8-29..D8-33, D8-38..D8-41), index bit
//! ranges from Tables D8-16, D8-26, D8-35, descriptor fields from Table D8-53, and the
//! expected attributes and permissions from the tables cited per test; none of them are
//! computed with the walker's own formulas.

use super::*;
use crate::GuestRam;
use proptest::prelude::*;

const RAM_BASE: u64 = 0x4000_0000;
const RAM_SIZE: u64 = 32 << 20;

// VTCR_EL2 fields.
const fn vtcr(t0sz: u64, sl0: u64, tg0: u64, ps: u64) -> u64 {
    t0sz | (sl0 << 6) | (tg0 << 14) | (ps << 16) | (1 << 31)
}
const TG_4K: u64 = 0b00;
const TG_64K: u64 = 0b01;
const TG_16K: u64 = 0b10;
const PS_40: u64 = 0b010;
const PS_48: u64 = 0b101;
const VS: u64 = 1 << 19;
const HA: u64 = 1 << 21;
const EE: u64 = 1 << 25;

// Stage 2 descriptor fields (Table D8-53).
const TABLE: u64 = 0b11;
const PAGE: u64 = 0b11;
const BLOCK: u64 = 0b01;
const AF: u64 = 1 << 10;
const fn memattr(v: u64) -> u64 {
    v << 2
}
const fn s2ap(v: u64) -> u64 {
    v << 6
}
const fn sh(v: u64) -> u64 {
    v << 8
}
const fn xn(v: u64) -> u64 {
    v << 53
}
/// Normal Inner/Outer Write-Back, Inner Shareable, read/write, executable.
const NORMAL_RW: u64 = AF | memattr(0b1111) | s2ap(0b11) | sh(0b11);

fn tg(g: Granule) -> u64 {
    match g {
        Granule::K4 => TG_4K,
        Granule::K16 => TG_16K,
        Granule::K64 => TG_64K,
    }
}

/// IA bits \[hi:lo\] indexing each lookup level (Tables D8-16, D8-26, D8-35).
fn index_bits(g: Granule, level: i8) -> (u32, u32) {
    match (g, level) {
        (Granule::K4, 0) => (47, 39),
        (Granule::K4, 1) => (38, 30),
        (Granule::K4, 2) => (29, 21),
        (Granule::K4, 3) => (20, 12),
        (Granule::K16, 1) => (46, 36),
        (Granule::K16, 2) => (35, 25),
        (Granule::K16, 3) => (24, 14),
        (Granule::K64, 1) => (47, 42),
        (Granule::K64, 2) => (41, 29),
        (Granule::K64, 3) => (28, 16),
        _ => panic!("no stage 2 level {level} for {g:?}"),
    }
}

/// The stage 2 start level for SL0 and the T0SZ values it permits, each with its number of
/// concatenated tables, for a 48-bit PA without FEAT_TTST/LPA2 (Tables D8-19, D8-21..D8-24;
/// D8-29, D8-31..D8-33; D8-38..D8-41). `None`: SL0 reserved in this configuration.
fn s2_table(g: Granule, sl0: u64) -> Option<(i8, Vec<(u8, u32)>)> {
    let rows: &[(u8, u8, u32)] = match (g, sl0) {
        // 4KB: D8-23 (level 2), D8-22 (level 1), D8-21 (level 0).
        (Granule::K4, 0) => &[
            (34, 39, 1),
            (33, 33, 2),
            (32, 32, 4),
            (31, 31, 8),
            (30, 30, 16),
        ],
        (Granule::K4, 1) => &[
            (25, 33, 1),
            (24, 24, 2),
            (23, 23, 4),
            (22, 22, 8),
            (21, 21, 16),
        ],
        (Granule::K4, 2) => &[(16, 24, 1)],
        // 16KB: D8-33 (level 3), D8-32 (level 2), D8-31 (level 1).
        (Granule::K16, 0) => &[
            (39, 39, 1),
            (38, 38, 2),
            (37, 37, 4),
            (36, 36, 8),
            (35, 35, 16),
        ],
        (Granule::K16, 1) => &[
            (28, 38, 1),
            (27, 27, 2),
            (26, 26, 4),
            (25, 25, 8),
            (24, 24, 16),
        ],
        (Granule::K16, 2) => &[(17, 27, 1), (16, 16, 2)],
        // 64KB: D8-41 (level 3), D8-40 (level 2), D8-39 (level 1).
        (Granule::K64, 0) => &[
            (35, 39, 1),
            (34, 34, 2),
            (33, 33, 4),
            (32, 32, 8),
            (31, 31, 16),
        ],
        (Granule::K64, 1) => &[
            (22, 34, 1),
            (21, 21, 2),
            (20, 20, 4),
            (19, 19, 8),
            (18, 18, 16),
        ],
        (Granule::K64, 2) => &[(16, 21, 1)],
        _ => return None,
    };
    let level = match (g, sl0) {
        (Granule::K4, s) => 2 - s as i8,
        (_, s) => 3 - s as i8,
    };
    let mut v = Vec::new();
    for &(lo, hi, n) in rows {
        for t in lo..=hi {
            v.push((t, n));
        }
    }
    Some((level, v))
}

/// One stage 2 table tree in a [`Pt`].
#[derive(Clone, Copy)]
struct Tree {
    g: Granule,
    ia: u32,
    start: i8,
    root: u64,
}

/// Guest RAM plus a bump allocator of aligned tables.
struct Pt {
    ram: GuestRam,
    next: u64,
}

impl Pt {
    fn new() -> Pt {
        Pt {
            ram: GuestRam::new(RAM_BASE, RAM_SIZE).unwrap(),
            next: RAM_BASE,
        }
    }

    fn alloc(&mut self, size: u64) -> u64 {
        let a = self.next.next_multiple_of(size);
        self.next = a + size;
        assert!(self.next <= RAM_BASE + RAM_SIZE);
        a
    }

    /// A tree with `concat` concatenated start tables, aligned to their total size (R VCLZN).
    fn tree(&mut self, g: Granule, t0sz: u8, start: i8, concat: u64) -> Tree {
        Tree {
            g,
            ia: 64 - t0sz as u32,
            start,
            root: self.alloc(g.size() * concat),
        }
    }

    fn rd(&self, pa: u64) -> u64 {
        let mut b = [0; 8];
        self.ram.read_bytes(pa, &mut b).unwrap();
        u64::from_le_bytes(b)
    }

    fn wr(&self, pa: u64, v: u64) {
        self.ram.write_bytes(pa, &v.to_le_bytes()).unwrap()
    }

    /// Address of the descriptor for `ipa` at `level`, creating tables on the way. At the
    /// start level the index is IA\[ia-1:lo\], spanning the concatenated tables (Table
    /// D8-25 stage 2 column: `BaseAddr[PAsize-1:x]:IA[x+35:39]:000` with x = 28 - T0SZ).
    fn entry(&mut self, t: &Tree, ipa: u64, level: i8) -> u64 {
        let mut table = t.root;
        let mut l = t.start;
        loop {
            let (mut hi, lo) = index_bits(t.g, l);
            if l == t.start {
                hi = t.ia - 1;
            }
            let idx = (ipa >> lo) & ((1 << (hi - lo + 1)) - 1);
            let slot = table + idx * 8;
            if l == level {
                return slot;
            }
            let d = self.rd(slot);
            table = if d & 0b11 == TABLE {
                d & 0x0000_ffff_ffff_f000 & !(t.g.size() - 1)
            } else {
                let n = self.alloc(t.g.size());
                self.wr(slot, n | TABLE);
                n
            };
            l += 1;
        }
    }

    fn map(&mut self, t: &Tree, ipa: u64, level: i8, desc: u64) -> u64 {
        let a = self.entry(t, ipa, level);
        self.wr(a, desc);
        a
    }
}

fn cfg(vtcr: u64, vttbr: u64) -> Stage2Config {
    Stage2Config::new(vtcr, vttbr, 0, 48, Stage2Features::all())
}

fn go(cfg: &Stage2Config, pt: &Pt, ipa: u64) -> Result<S2Translation, Fault> {
    walk_stage2(cfg, &mut &pt.ram, ipa)
}

fn s2f(kind: FaultKind, level: i8, ipa: u64) -> Fault {
    Fault {
        kind,
        level,
        stage: 2,
        s1ptw: false,
        ipa: Some(ipa),
    }
}

// ------------------------------------------------------------------------------------------
// Configuration: start levels, T0SZ ranges, concatenation, PARange

#[test]
fn start_levels_and_t0sz_ranges_match_the_tables() {
    for g in [Granule::K4, Granule::K16, Granule::K64] {
        for sl0 in 0..4 {
            let table = s2_table(g, sl0);
            for t0sz in 0..64u8 {
                let c = cfg(vtcr(t0sz as u64, sl0, tg(g), PS_48), 0);
                let want = table
                    .as_ref()
                    .and_then(|(l, rows)| rows.iter().find(|r| r.0 == t0sz).map(|r| (*l, r.1)));
                let got = c.start_level().map(|l| (l, c.concatenated_tables()));
                assert_eq!(got, want, "{g:?} SL0 {sl0} T0SZ {t0sz}");
                assert_eq!(c.error().is_none(), want.is_some());
                if want.is_none() {
                    assert_eq!(c.concatenated_tables(), 0);
                }
            }
        }
    }
}

#[test]
fn config_error_kinds() {
    let e = |v| cfg(v, 0).error();
    // T0SZ 15 (49-bit IPA) is below the minimum 64 - 48.
    assert_eq!(
        e(vtcr(15, 2, TG_4K, PS_48)),
        Some(S2ConfigError::TxszTooSmall)
    );
    // T0SZ 40 needs FEAT_TTST (Table D8-23).
    assert_eq!(
        e(vtcr(40, 0, TG_4K, PS_48)),
        Some(S2ConfigError::TxszTooLarge)
    );
    // 4KB SL0 0b11 is level 3 only with FEAT_TTST; 16KB 0b11 needs DS; 64KB 0b11 reserved.
    for g in [TG_4K, TG_16K, TG_64K] {
        assert_eq!(e(vtcr(39, 3, g, PS_48)), Some(S2ConfigError::InvalidSl0));
    }
    // 40-bit IPA cannot start at 4KB level 2 (max 34 bits with 16 tables).
    assert_eq!(
        e(vtcr(24, 0, TG_4K, PS_48)),
        Some(S2ConfigError::InconsistentSl0)
    );
    // A 39-bit IPA is too small for a level 0 start (40..=48 bits, Table D8-21), fine for
    // level 1 (Table D8-22).
    assert_eq!(
        e(vtcr(25, 2, TG_4K, PS_48)),
        Some(S2ConfigError::InconsistentSl0)
    );
    assert_eq!(e(vtcr(25, 1, TG_4K, PS_48)), None);
}

#[test]
fn parange_limits_start_level_and_t0sz() {
    let c = |v, pa| Stage2Config::new(v, 0, 0, pa, Stage2Features::all());
    // S2InvalidSL: 4KB SL0 0b10 (level 0) needs PAMax >= 44.
    assert_eq!(
        c(vtcr(24, 2, TG_4K, PS_40), 40).error(),
        Some(S2ConfigError::InvalidSl0)
    );
    assert_eq!(c(vtcr(24, 2, TG_4K, PS_48), 44).start_level(), Some(0));
    // With a 44-bit PA the smallest T0SZ is 20.
    assert_eq!(
        c(vtcr(19, 2, TG_4K, PS_48), 44).error(),
        Some(S2ConfigError::TxszTooSmall)
    );
    assert_eq!(c(vtcr(20, 2, TG_4K, PS_48), 44).error(), None);
    // 16KB SL0 0b10 (level 1) needs PAMax >= 42; 64KB SL0 0b10 needs >= 44.
    assert_eq!(
        c(vtcr(24, 2, TG_16K, PS_48), 40).error(),
        Some(S2ConfigError::InvalidSl0)
    );
    assert_eq!(c(vtcr(22, 2, TG_16K, PS_48), 42).start_level(), Some(1));
    // (With a 42-bit PA the 43..48-bit IPAs a 64KB level 1 start needs are below the
    // minimum T0SZ anyway; T0SZ 22 isolates the SL0 check.)
    assert_eq!(
        c(vtcr(22, 2, TG_64K, PS_48), 42).error(),
        Some(S2ConfigError::InvalidSl0)
    );
    assert_eq!(c(vtcr(21, 2, TG_64K, PS_48), 44).start_level(), Some(1));
    // A 40-bit PA machine: the usual KVM layout, 40-bit IPA, 4KB, level 1 with 2 tables.
    let k = c(vtcr(24, 1, TG_4K, PS_40), 40);
    assert_eq!((k.start_level(), k.concatenated_tables()), (Some(1), 2));
    // 32-bit PA: T0SZ 32 is the smallest. A 32-bit IPA from level 1 resolves IA[31:30] there,
    // one 4-entry table (Table D8-22, T0SZ 25-33).
    let k = c(vtcr(32, 1, TG_4K, 0), 32);
    assert_eq!((k.start_level(), k.concatenated_tables()), (Some(1), 1));
    assert_eq!(
        c(vtcr(31, 1, TG_4K, 0), 32).error(),
        Some(S2ConfigError::TxszTooSmall)
    );
}

#[test]
fn ps_is_capped_by_parange() {
    // PS 48 bits on a 40-bit PA: the OA size is 40.
    let c = Stage2Config::new(vtcr(24, 1, TG_4K, PS_48), 0, 0, 40, Stage2Features::all());
    assert_eq!(c.oa_bits(), 40);
    // PS 0b000 is 32 bits (Table D8-6); 0b110 (52) caps at 48.
    assert_eq!(cfg(vtcr(24, 1, TG_4K, 0), 0).oa_bits(), 32);
    assert_eq!(cfg(vtcr(24, 1, TG_4K, 0b110), 0).oa_bits(), 48);
    assert_eq!(cfg(vtcr(24, 1, TG_4K, 0b011), 0).oa_bits(), 42);
}

#[test]
fn vmid_8_and_16_bits() {
    let vttbr = 0xabcd_0000_4000_0000;
    let v = |vtcr, f| Stage2Config::new(vtcr, vttbr, 0, 48, f).vmid();
    let base = vtcr(24, 1, TG_4K, PS_48);
    let all = Stage2Features::all();
    let no16 = Stage2Features {
        vmid16: false,
        ..all
    };
    // VS == 0: VMID is VTTBR_EL2[55:48]; [63:56] ignored.
    assert_eq!(v(base, all), 0xcd);
    // VS == 1 with 16-bit VMIDs: [63:48].
    assert_eq!(v(base | VS, all), 0xabcd);
    // VS is RES0 without 16-bit VMID support.
    assert_eq!(v(base | VS, no16), 0xcd);
    // The VMID lands in every translation.
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 2);
    pt.map(&t, 0x1000, 3, 0x8000_1000 | PAGE | NORMAL_RW);
    let c = Stage2Config::new(base | VS, (0x1234 << 48) | t.root, 0, 48, all);
    assert_eq!(go(&c, &pt, 0x1000).unwrap().vmid, 0x1234);
}

// ------------------------------------------------------------------------------------------
// Walks for each granule, with concatenated start tables

#[test]
fn granule_4k_40bit_ipa_two_concatenated_level1_tables() {
    // Table D8-22: T0SZ 24 starts at level 1 with 2 concatenated tables, resolving IA[39:12]:
    // the level 1 index is IA[39:30], 10 bits, over 8KB. KVM's layout for a 40-bit IPA.
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 2);
    let c = cfg(vtcr(24, 1, TG_4K, PS_48), t.root);
    assert_eq!(c.table_base(), t.root);
    // IA[39] == 1 selects the second table: level 1 index 512 + IA[38:30].
    let ipa = 0x80_4000_5000;
    let slot = pt.entry(&t, ipa, 1);
    assert_eq!(slot, t.root + 4096 + 8);
    pt.map(&t, ipa, 3, 0x0000_00ab_cdef_1000 | PAGE | NORMAL_RW);
    let tr = go(&c, &pt, ipa + 0xabc).unwrap();
    assert_eq!(
        (tr.pa, tr.ipa, tr.page_size, tr.level),
        (0x0000_00ab_cdef_1abc, ipa + 0xabc, 4096, 3)
    );
    // And an IPA in the first table.
    pt.map(&t, 0x3000, 3, 0x8000_3000 | PAGE | NORMAL_RW);
    assert_eq!(go(&c, &pt, 0x3008).unwrap().pa, 0x8000_3008);
    // VTTBR BADDR bit 12 is below the 8KB alignment (x = 37 - T0SZ = 13, Table D8-25):
    // treated as zero, so the walk is unchanged.
    let c2 = cfg(vtcr(24, 1, TG_4K, PS_48), t.root | 0x1000);
    assert_eq!(c2.table_base(), t.root);
    assert_eq!(go(&c2, &pt, ipa).unwrap().pa, 0x0000_00ab_cdef_1000);
}

#[test]
fn granule_4k_other_start_levels() {
    let mut pt = Pt::new();
    // T0SZ 16, SL0 0b10: 48-bit IPA from level 0 (Table D8-21).
    let t = pt.tree(Granule::K4, 16, 0, 1);
    let c = cfg(vtcr(16, 2, TG_4K, PS_48), t.root);
    let ipa = 0x0000_ff12_3456_7000;
    pt.map(&t, ipa, 3, 0x9000_7000 | PAGE | NORMAL_RW);
    assert_eq!(pt.entry(&t, ipa, 0), t.root + 0x1fe * 8);
    assert_eq!(go(&c, &pt, ipa + 1).unwrap().pa, 0x9000_7001);

    // T0SZ 21, SL0 0b01: 43-bit IPA from level 1 with 16 tables (IA[42:30], 64KB).
    let t = pt.tree(Granule::K4, 21, 1, 16);
    let c = cfg(vtcr(21, 1, TG_4K, PS_48), t.root);
    assert_eq!(c.concatenated_tables(), 16);
    let ipa = 0x7ff_c000_0000 | 0x20_0000;
    pt.map(&t, ipa, 2, 0x1_0020_0000 | BLOCK | NORMAL_RW);
    // Level 1 index IA[42:30] = 0x1fff: the last entry of the 16th table.
    assert_eq!(pt.entry(&t, ipa, 1), t.root + 16 * 4096 - 8);
    let tr = go(&c, &pt, ipa + 0x1234).unwrap();
    assert_eq!((tr.pa, tr.level, tr.page_size), (0x1_0020_1234, 2, 2 << 20));

    // T0SZ 30, SL0 0b00: 34-bit IPA from level 2 with 16 tables (Table D8-23).
    let t = pt.tree(Granule::K4, 30, 2, 16);
    let c = cfg(vtcr(30, 0, TG_4K, PS_48), t.root);
    let ipa = 0x3_ffff_f000;
    pt.map(&t, ipa, 3, 0x8000_f000 | PAGE | NORMAL_RW);
    assert_eq!(pt.entry(&t, ipa, 2), t.root + 16 * 4096 - 8);
    assert_eq!(go(&c, &pt, ipa).unwrap().pa, 0x8000_f000);

    // T0SZ 39, SL0 0b00: 25-bit IPA from level 2, a 16-entry table (x = 46 - 39 = 7).
    let t = pt.tree(Granule::K4, 39, 2, 1);
    let c = cfg(vtcr(39, 0, TG_4K, PS_48), t.root);
    let ipa = 0x1ff_f000;
    pt.map(&t, ipa, 3, 0x8001_0000 | PAGE | NORMAL_RW);
    assert_eq!(pt.entry(&t, ipa, 2), t.root + 15 * 8);
    assert_eq!(go(&c, &pt, ipa + 0xff).unwrap().pa, 0x8001_00ff);
}

#[test]
fn granule_16k_walks() {
    let mut pt = Pt::new();
    // T0SZ 16, SL0 0b10: 48-bit IPA from level 1 with 2 tables (R DXBSH, Table D8-31).
    let t = pt.tree(Granule::K16, 16, 1, 2);
    let c = cfg(vtcr(16, 2, TG_16K, PS_48), t.root);
    assert_eq!((c.start_level(), c.concatenated_tables()), (Some(1), 2));
    let ipa = 0x0000_8765_4321_c000;
    pt.map(&t, ipa, 3, 0x0000_0012_3456_8000 | PAGE | NORMAL_RW);
    // Level 1 index IA[47:36] = 0x876: entry 0x76 of the second table.
    assert_eq!(pt.entry(&t, ipa, 1), t.root + 0x876 * 8);
    let tr = go(&c, &pt, ipa + 0x3fff).unwrap();
    assert_eq!((tr.pa, tr.page_size), (0x0000_0012_3456_bfff, 16 << 10));

    // T0SZ 24, SL0 0b01: 40-bit IPA from level 2 with 16 tables (Table D8-32).
    let t = pt.tree(Granule::K16, 24, 2, 16);
    let c = cfg(vtcr(24, 1, TG_16K, PS_48), t.root);
    let ipa = 0xff_fe00_0000;
    // 32MB block at level 2 (Table D8-27).
    pt.map(&t, ipa, 2, 0x2_0200_0000 | BLOCK | NORMAL_RW);
    assert_eq!(pt.entry(&t, ipa, 2), t.root + 16 * (16 << 10) - 8);
    let tr = go(&c, &pt, ipa + 0x1ff_ffff).unwrap();
    assert_eq!(
        (tr.pa, tr.level, tr.page_size),
        (0x2_03ff_ffff, 2, 32 << 20)
    );

    // T0SZ 35, SL0 0b00: 29-bit IPA from level 3 with 16 tables (Table D8-33).
    let t = pt.tree(Granule::K16, 35, 3, 16);
    let c = cfg(vtcr(35, 0, TG_16K, PS_48), t.root);
    let ipa = 0x1fff_c000;
    pt.map(&t, ipa, 3, 0x9000_4000 | PAGE | NORMAL_RW);
    assert_eq!(pt.entry(&t, ipa, 3), t.root + 16 * (16 << 10) - 8);
    assert_eq!(go(&c, &pt, ipa + 5).unwrap().pa, 0x9000_4005);

    // T0SZ 28, SL0 0b01: 36-bit IPA, a single level 2 table (IA[35:25]).
    let t = pt.tree(Granule::K16, 28, 2, 1);
    let c = cfg(vtcr(28, 1, TG_16K, PS_48), t.root);
    pt.map(&t, 0xf_0000_4000, 3, 0x9000_8000 | PAGE | NORMAL_RW);
    assert_eq!(go(&c, &pt, 0xf_0000_4010).unwrap().pa, 0x9000_8010);
}

#[test]
fn granule_64k_walks() {
    let mut pt = Pt::new();
    // T0SZ 16, SL0 0b10: 48-bit IPA from level 1, 64 entries (Table D8-39).
    let t = pt.tree(Granule::K64, 16, 1, 1);
    let c = cfg(vtcr(16, 2, TG_64K, PS_48), t.root);
    let ipa = 0x0000_fc00_0001_0000;
    pt.map(&t, ipa, 3, 0x0000_000a_bcde_0000 | PAGE | NORMAL_RW);
    assert_eq!(pt.entry(&t, ipa, 1), t.root + 63 * 8);
    let tr = go(&c, &pt, ipa + 0xfedc).unwrap();
    assert_eq!((tr.pa, tr.page_size), (0x0000_000a_bcde_fedc, 64 << 10));

    // T0SZ 18, SL0 0b01: 46-bit IPA from level 2 with 16 tables (Table D8-40).
    let t = pt.tree(Granule::K64, 18, 2, 16);
    let c = cfg(vtcr(18, 1, TG_64K, PS_48), t.root);
    let ipa = 0x3fff_e000_0000;
    // 512MB block at level 2 (Table D8-36).
    pt.map(&t, ipa, 2, 0x4_6000_0000 | BLOCK | NORMAL_RW);
    assert_eq!(pt.entry(&t, ipa, 2), t.root + 16 * (64 << 10) - 8);
    let tr = go(&c, &pt, ipa + 0x1234_5678).unwrap();
    assert_eq!(
        (tr.pa, tr.level, tr.page_size),
        (0x4_7234_5678, 2, 512 << 20)
    );

    // T0SZ 31, SL0 0b00: 33-bit IPA from level 3 with 16 tables (Table D8-41).
    let t = pt.tree(Granule::K64, 31, 3, 16);
    let c = cfg(vtcr(31, 0, TG_64K, PS_48), t.root);
    let ipa = 0x1_ffff_0000;
    pt.map(&t, ipa, 3, 0x9001_0000 | PAGE | NORMAL_RW);
    assert_eq!(pt.entry(&t, ipa, 3), t.root + 16 * (64 << 10) - 8);
    assert_eq!(go(&c, &pt, ipa + 4).unwrap().pa, 0x9001_0004);

    // T0SZ 22, SL0 0b01: 42-bit IPA, one level 2 table of 8192 entries.
    let t = pt.tree(Granule::K64, 22, 2, 1);
    let c = cfg(vtcr(22, 1, TG_64K, PS_48), t.root);
    pt.map(&t, 0x3ff_0001_0000, 3, 0x9002_0000 | PAGE | NORMAL_RW);
    assert_eq!(go(&c, &pt, 0x3ff_0001_0010).unwrap().pa, 0x9002_0010);
}

#[test]
fn blocks_at_every_permitted_level_and_nowhere_else() {
    let mut pt = Pt::new();
    // 4KB: 1GB block at level 1 (RES0 bits [29:17] set: ignored), 2MB at level 2.
    let t = pt.tree(Granule::K4, 16, 0, 1);
    let c = cfg(vtcr(16, 2, TG_4K, PS_48), t.root);
    pt.map(
        &t,
        0x80_4000_0000,
        1,
        0x5_4000_0000 | 0x3ffe_0000 | BLOCK | NORMAL_RW,
    );
    let tr = go(&c, &pt, 0x80_5234_5678).unwrap();
    assert_eq!((tr.pa, tr.level, tr.page_size), (0x5_5234_5678, 1, 1 << 30));
    pt.map(&t, 0x1_0020_0000, 2, 0x8020_0000 | BLOCK | NORMAL_RW);
    let tr = go(&c, &pt, 0x1_002f_ffff).unwrap();
    assert_eq!((tr.pa, tr.level, tr.page_size), (0x802f_ffff, 2, 2 << 20));
    // A level 0 Block without DS: Translation fault at level 0 (Table D8-17).
    let ipa = 0x7f00_0000_0000;
    pt.map(&t, ipa, 0, BLOCK | NORMAL_RW);
    assert_eq!(
        go(&c, &pt, ipa).unwrap_err(),
        s2f(FaultKind::Translation, 0, ipa)
    );
    // Level 3 with bit[1] == 0 is reserved: Translation fault at level 3.
    pt.map(&t, 0x5000, 3, 0x8000_5000 | BLOCK | NORMAL_RW);
    assert_eq!(
        go(&c, &pt, 0x5000).unwrap_err(),
        s2f(FaultKind::Translation, 3, 0x5000)
    );

    // 16KB: no level 1 Block without DS (Table D8-27).
    let t = pt.tree(Granule::K16, 16, 1, 2);
    let c = cfg(vtcr(16, 2, TG_16K, PS_48), t.root);
    pt.map(&t, 0x10_0000_0000, 1, 0x10_0000_0000 | BLOCK | NORMAL_RW);
    assert_eq!(
        go(&c, &pt, 0x10_0000_0000).unwrap_err(),
        s2f(FaultKind::Translation, 1, 0x10_0000_0000)
    );

    // 64KB: no level 1 Block without FEAT_LPA (Table D8-36).
    let t = pt.tree(Granule::K64, 16, 1, 1);
    let c = cfg(vtcr(16, 2, TG_64K, PS_48), t.root);
    pt.map(&t, 0, 1, BLOCK | NORMAL_RW);
    assert_eq!(
        go(&c, &pt, 0).unwrap_err(),
        s2f(FaultKind::Translation, 1, 0)
    );
}

// ------------------------------------------------------------------------------------------
// Faults

#[test]
fn level0_faults_before_the_walk() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 2);
    pt.map(&t, 0x1000, 3, 0x8000_1000 | PAGE | NORMAL_RW);
    // An invalid configuration: Translation fault, level 0, whatever the IPA.
    let c = cfg(vtcr(24, 0, TG_4K, PS_48), t.root);
    let f = go(&c, &pt, 0x1000).unwrap_err();
    assert_eq!(
        (f, f.fsc()),
        (s2f(FaultKind::Translation, 0, 0x1000), 0b00_0100)
    );

    // IPA beyond the 40-bit range (AArch64.IPAIsOutOfRange): level 0 Translation fault.
    let c = cfg(vtcr(24, 1, TG_4K, PS_48), t.root);
    let ipa = (1 << 40) | 0x1000;
    assert_eq!(
        go(&c, &pt, ipa).unwrap_err(),
        s2f(FaultKind::Translation, 0, ipa)
    );
    assert_eq!(
        go(&c, &pt, 1 << 63).unwrap_err(),
        s2f(FaultKind::Translation, 0, 1 << 63)
    );
    assert!(go(&c, &pt, 0x1000).is_ok());

    // VTTBR BADDR above PS (40 bits): level 0 Address size fault even though the walk starts
    // at level 1 (D8.2.3). The VMID bits [63:48] are not part of the address.
    let c = cfg(vtcr(24, 1, TG_4K, PS_40), (1 << 40) | t.root);
    let f = go(&c, &pt, 0x1000).unwrap_err();
    assert_eq!(
        (f, f.fsc()),
        (s2f(FaultKind::AddressSize, 0, 0x1000), 0b00_0000)
    );
    let c = cfg(vtcr(24, 1, TG_4K, PS_40), (0xffff << 48) | t.root);
    assert!(go(&c, &pt, 0x1000).is_ok());
}

#[test]
fn faults_at_each_level() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16, 0, 1);
    let c = cfg(vtcr(16, 2, TG_4K, PS_40), t.root);
    // Invalid descriptors at levels 0..=3.
    assert_eq!(
        go(&c, &pt, 0x1000).unwrap_err(),
        s2f(FaultKind::Translation, 0, 0x1000)
    );
    pt.entry(&t, 0x1000, 1);
    assert_eq!(
        go(&c, &pt, 0x1000).unwrap_err(),
        s2f(FaultKind::Translation, 1, 0x1000)
    );
    pt.entry(&t, 0x1000, 2);
    assert_eq!(
        go(&c, &pt, 0x1000).unwrap_err(),
        s2f(FaultKind::Translation, 2, 0x1000)
    );
    pt.entry(&t, 0x1000, 3);
    let f = go(&c, &pt, 0x1000).unwrap_err();
    assert_eq!(
        (f, f.fsc()),
        (s2f(FaultKind::Translation, 3, 0x1000), 0b00_0111)
    );

    // Output address beyond PS (40 bits): Address size fault at the Block/Page level.
    pt.map(&t, 0x1000, 3, (1 << 40) | PAGE | NORMAL_RW);
    let f = go(&c, &pt, 0x1000).unwrap_err();
    assert_eq!(
        (f, f.fsc()),
        (s2f(FaultKind::AddressSize, 3, 0x1000), 0b00_0011)
    );
    pt.map(&t, 0x4000_0000, 1, (1 << 41) | BLOCK | NORMAL_RW);
    assert_eq!(
        go(&c, &pt, 0x4000_0000).unwrap_err(),
        s2f(FaultKind::AddressSize, 1, 0x4000_0000)
    );
    // Next-level table address beyond PS: Address size fault at the Table's level.
    pt.map(&t, 0x80_0000_0000, 0, (1 << 40) | TABLE);
    assert_eq!(
        go(&c, &pt, 0x80_0000_0000).unwrap_err(),
        s2f(FaultKind::AddressSize, 0, 0x80_0000_0000)
    );
    pt.map(&t, 0x200_0000, 2, (1 << 45) | TABLE);
    assert_eq!(
        go(&c, &pt, 0x200_0000).unwrap_err(),
        s2f(FaultKind::AddressSize, 2, 0x200_0000)
    );

    // Access flag fault at the Block/Page level.
    pt.map(&t, 0x2000, 3, (0x8000_2000 | PAGE | NORMAL_RW) & !AF);
    let f = go(&c, &pt, 0x2000).unwrap_err();
    assert_eq!(
        (f, f.fsc()),
        (s2f(FaultKind::AccessFlag, 3, 0x2000), 0b00_1011)
    );
    pt.map(&t, 0x60_0000, 2, (0x8060_0000 | BLOCK | NORMAL_RW) & !AF);
    assert_eq!(
        go(&c, &pt, 0x60_0000).unwrap_err(),
        s2f(FaultKind::AccessFlag, 2, 0x60_0000)
    );

    // Table pointing outside RAM: External abort on the next level's read.
    pt.map(&t, 0xa0_0000, 2, 0x8000_0000 | TABLE);
    let f = go(&c, &pt, 0xa0_0000).unwrap_err();
    assert_eq!(
        (f, f.fsc()),
        (s2f(FaultKind::SyncExternalOnWalk, 3, 0xa0_0000), 0b01_0111)
    );
    // VTTBR outside RAM: External abort at the start level (0 here).
    let c = cfg(vtcr(16, 2, TG_4K, PS_40), 0x1000_0000);
    assert_eq!(
        go(&c, &pt, 0).unwrap_err(),
        s2f(FaultKind::SyncExternalOnWalk, 0, 0)
    );
}

#[test]
fn hardware_access_flag_update() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 2);
    let desc = (0x8000_1000 | PAGE | NORMAL_RW) & !AF;
    let slot = pt.map(&t, 0x1000, 3, desc);
    // VTCR.HA without FEAT_HAFDBS is RES0: Access flag fault.
    let no_ha = Stage2Features {
        hafdbs: false,
        ..Stage2Features::all()
    };
    let c = Stage2Config::new(vtcr(24, 1, TG_4K, PS_48) | HA, t.root, 0, 48, no_ha);
    assert!(!c.hw_access_flag());
    assert_eq!(go(&c, &pt, 0x1000).unwrap_err().kind, FaultKind::AccessFlag);
    // With it, the walk sets AF in memory and succeeds.
    let c = cfg(vtcr(24, 1, TG_4K, PS_48) | HA, t.root);
    assert_eq!(go(&c, &pt, 0x1000).unwrap().pa, 0x8000_1000);
    assert_eq!(pt.rd(slot), desc | AF);

    // A compare-and-swap that always loses: gives up with an Access flag fault.
    struct Loser<'a>(&'a GuestRam);
    impl WalkMem for Loser<'_> {
        fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
            let mut ram: &GuestRam = self.0;
            ram.read_desc(addr)
        }
        fn cas_desc(&mut self, _: u64, _: u64, _: u64) -> Result<bool, WalkMemError> {
            Ok(false)
        }
    }
    pt.wr(slot, desc);
    assert_eq!(
        walk_stage2(&c, &mut Loser(&pt.ram), 0x1000).unwrap_err(),
        s2f(FaultKind::AccessFlag, 3, 0x1000)
    );
}

#[test]
fn big_endian_tables() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 2);
    let l1 = pt.entry(&t, 0x1000, 1);
    let l2 = pt.entry(&t, 0x1000, 2);
    let l3 = pt.entry(&t, 0x1000, 3);
    for a in [l1, l2] {
        let d = pt.rd(a);
        pt.wr(a, d.swap_bytes());
    }
    pt.wr(l3, (0x8000_1000 | PAGE | NORMAL_RW).swap_bytes());
    let c = Stage2Config::new(
        vtcr(24, 1, TG_4K, PS_48),
        t.root,
        EE,
        48,
        Stage2Features::all(),
    );
    assert_eq!(go(&c, &pt, 0x1234).unwrap().pa, 0x8000_1234);
    // A little-endian walk of the same tables reads garbage: the level 1 descriptor
    // byte-swapped has bit 0 clear.
    let le = cfg(vtcr(24, 1, TG_4K, PS_48), t.root);
    assert_eq!(
        go(&le, &pt, 0x1234).unwrap_err(),
        s2f(FaultKind::Translation, 1, 0x1234)
    );
    // The hardware AF update writes the big-endian form back.
    let desc = (0x8000_1000 | PAGE | NORMAL_RW) & !AF;
    pt.wr(l3, desc.swap_bytes());
    let c = Stage2Config::new(
        vtcr(24, 1, TG_4K, PS_48) | HA,
        t.root,
        EE,
        48,
        Stage2Features::all(),
    );
    assert_eq!(go(&c, &pt, 0x1000).unwrap().pa, 0x8000_1000);
    assert_eq!(pt.rd(l3), (desc | AF).swap_bytes());
}

// ------------------------------------------------------------------------------------------
// Permissions

#[test]
fn s2ap_data_permissions() {
    // Table D8-76: 00 none, 01 RO, 10 WO, 11 RW; the same for EL0 and EL1 (I HXWLL).
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 2);
    let c = cfg(vtcr(24, 1, TG_4K, PS_48), t.root);
    for (ap, r, w) in [
        (0b00, false, false),
        (0b01, true, false),
        (0b10, false, true),
        (0b11, true, true),
    ] {
        let ipa = 0x10_0000 + (ap << 12);
        pt.map(
            &t,
            ipa,
            3,
            0x8000_0000 | PAGE | AF | memattr(0xf) | s2ap(ap),
        );
        let tr = go(&c, &pt, ipa).unwrap();
        for el in [0, 1] {
            assert_eq!(tr.check(AccessKind::Read, el).is_ok(), r, "S2AP {ap:02b}");
            assert_eq!(tr.check(AccessKind::Write, el).is_ok(), w, "S2AP {ap:02b}");
            // Execute needs no read permission (XN == 0).
            assert!(tr.check(AccessKind::Exec, el).is_ok());
        }
        if !w {
            let f = tr.check(AccessKind::Write, 1).unwrap_err();
            assert_eq!(
                (f, f.fsc()),
                (s2f(FaultKind::Permission, 3, ipa), 0b00_1111)
            );
        }
    }
}

#[test]
fn xn_with_and_without_xnx() {
    // Table D8-78 (FEAT_XNX): (XN[1:0], EL1 exec, EL0 exec).
    let with = [
        (0b00, true, true),
        (0b01, false, true),
        (0b10, false, false),
        (0b11, true, false),
    ];
    // Table D8-77 (no FEAT_XNX): XN is bit 54 only, bit 53 RES0.
    let without = [
        (0b00, true, true),
        (0b01, true, true),
        (0b10, false, false),
        (0b11, false, false),
    ];
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 2);
    for (xnx, table) in [(true, with), (false, without)] {
        let f = Stage2Features {
            xnx,
            ..Stage2Features::all()
        };
        let c = Stage2Config::new(vtcr(24, 1, TG_4K, PS_48), t.root, 0, 48, f);
        for (x, el1, el0) in table {
            let ipa = 0x20_0000 + (x << 12);
            pt.map(&t, ipa, 3, 0x8000_0000 | PAGE | NORMAL_RW | xn(x));
            let tr = go(&c, &pt, ipa).unwrap();
            assert_eq!(
                tr.check(AccessKind::Exec, 1).is_ok(),
                el1,
                "XNX {xnx} XN {x:02b}"
            );
            assert_eq!(
                tr.check(AccessKind::Exec, 0).is_ok(),
                el0,
                "XNX {xnx} XN {x:02b}"
            );
            // XN never affects data accesses.
            assert!(
                tr.check(AccessKind::Read, 0).is_ok() && tr.check(AccessKind::Write, 1).is_ok()
            );
        }
    }
    // The free function gives the bare kind.
    let p = S2Perms::from_fields(0b01, 0b10, true);
    assert_eq!(
        check_stage2(&p, AccessKind::Exec, 1),
        Err(FaultKind::Permission)
    );
    assert_eq!(check_stage2(&p, AccessKind::Read, 0), Ok(()));
}

// ------------------------------------------------------------------------------------------
// Attributes

#[test]
fn memattr_decoding_fwb0() {
    use S2Cacheability::*;
    let n = |inner, outer| S2MemType::Normal { inner, outer };
    // Table D8-96; reserved Cacheability fields decode as Non-cacheable (hypsim's choice).
    let want = [
        S2MemType::Device(DeviceType::NGnRnE),
        S2MemType::Device(DeviceType::NGnRE),
        S2MemType::Device(DeviceType::NGRE),
        S2MemType::Device(DeviceType::GRE),
        n(NonCacheable, NonCacheable), // 0100 reserved without FEAT_MTE_PERM
        n(NonCacheable, NonCacheable),
        n(WriteThrough, NonCacheable),
        n(WriteBack, NonCacheable),
        n(NonCacheable, WriteThrough), // 1000 reserved
        n(NonCacheable, WriteThrough),
        n(WriteThrough, WriteThrough),
        n(WriteBack, WriteThrough),
        n(NonCacheable, WriteBack), // 1100 reserved
        n(NonCacheable, WriteBack),
        n(WriteThrough, WriteBack),
        n(WriteBack, WriteBack),
    ];
    for (m, w) in want.iter().enumerate() {
        let a = S2MemAttrs::decode(m as u8, 0b11);
        assert_eq!(a.mem_type, *w, "MemAttr {m:04b}");
        assert_eq!(a.memattr, m as u8);
        // R YHCTP: Device and Normal Non-cacheable are Outer Shareable.
        let os = m <= 0b0101; // Device 00xx, and Normal NC 0100 (reserved) and 0101
        let expect = if os {
            Shareability::OuterShareable
        } else {
            Shareability::InnerShareable
        };
        assert_eq!(a.shareability, expect, "MemAttr {m:04b}");
        assert_eq!(a.is_device(false), m < 4);
    }
    // Table D8-102 SH for Normal Cacheable; reserved 0b01 as Non-shareable.
    for (s, w) in [
        (0b00, Shareability::NonShareable),
        (0b01, Shareability::NonShareable),
        (0b10, Shareability::OuterShareable),
        (0b11, Shareability::InnerShareable),
    ] {
        assert_eq!(S2MemAttrs::decode(0b1111, s).shareability, w);
    }
    // The walk extracts MemAttr from bits [5:2] and SH from [9:8].
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 2);
    let c = cfg(vtcr(24, 1, TG_4K, PS_48), t.root);
    pt.map(
        &t,
        0x1000,
        3,
        0x8000_1000 | PAGE | AF | s2ap(3) | memattr(0b1010) | sh(0b10),
    );
    let a = go(&c, &pt, 0x1000).unwrap().attrs;
    assert_eq!((a.memattr, a.sh), (0b1010, 0b10));
    assert_eq!(a.mem_type, n(WriteThrough, WriteThrough));
    assert_eq!(a.shareability, Shareability::OuterShareable);
}

// MAIR attribute bytes for stage 1 inputs.
const S1_WB: u8 = 0xff; // Normal WB RA/WA non-transient
const S1_WB_NOWA: u8 = 0xee; // Normal WB RA no-WA
const S1_WT: u8 = 0xbb; // Normal WT RA/WA
const S1_NC: u8 = 0x44;
const S1_TAGGED: u8 = 0xf0;

fn s1(attr: u8, sh: u8) -> MemAttrs {
    MemAttrs::from_mair(attr, sh)
}

fn wb(read_alloc: bool, write_alloc: bool) -> Cacheability {
    Cacheability::WriteBack {
        transient: false,
        read_alloc,
        write_alloc,
    }
}

fn wt(read_alloc: bool, write_alloc: bool) -> Cacheability {
    Cacheability::WriteThrough {
        transient: false,
        read_alloc,
        write_alloc,
    }
}

fn normal(inner: Cacheability, outer: Cacheability) -> MemType {
    MemType::Normal { inner, outer }
}

const NC: Cacheability = Cacheability::NonCacheable;

#[test]
fn combine_memory_types_fwb0() {
    let s2 = |m: u8| S2MemAttrs::decode(m, 0b11);
    let c = |a: u8, m: u8| combine_s1_s2(&s1(a, 0b11), &s2(m), false).mem_type;
    // Table D8-97: Device wins over Normal, and the stronger Device type wins.
    assert_eq!(c(S1_WB, 0b0001), MemType::Device(DeviceType::NGnRE));
    assert_eq!(c(0x0c, 0b1111), MemType::Device(DeviceType::GRE));
    assert_eq!(c(0x0c, 0b0000), MemType::Device(DeviceType::NGnRnE));
    assert_eq!(c(0x04, 0b0010), MemType::Device(DeviceType::NGnRE));
    assert_eq!(c(0x08, 0b0011), MemType::Device(DeviceType::NGRE));
    // Table D8-98, per cache level, hints from stage 1.
    assert_eq!(c(S1_WB, 0b1111), normal(wb(true, true), wb(true, true)));
    assert_eq!(
        c(S1_WB_NOWA, 0b1111),
        normal(wb(true, false), wb(true, false))
    );
    assert_eq!(c(S1_WB, 0b1010), normal(wt(true, true), wt(true, true)));
    assert_eq!(c(S1_WT, 0b1111), normal(wt(true, true), wt(true, true)));
    assert_eq!(c(S1_WB, 0b0101), normal(NC, NC));
    assert_eq!(c(S1_NC, 0b1111), normal(NC, NC));
    // Inner and outer combine separately: stage 2 Outer WB Inner NC (0b1101).
    assert_eq!(c(S1_WB, 0b1101), normal(NC, wb(true, true)));
    // Stage 1 Outer WT Inner WB (0xbf) with stage 2 Outer WB Inner WT (0b1110).
    assert_eq!(c(0xbf, 0b1110), normal(wt(true, true), wt(true, true)));
    // Transient hints survive.
    let tr = combine_s1_s2(&s1(0x77, 0b11), &s2(0b1111), false).mem_type;
    let wbt = Cacheability::WriteBack {
        transient: true,
        read_alloc: true,
        write_alloc: true,
    };
    assert_eq!(tr, normal(wbt, wbt));
    // I MCQKW: MemAttr 0b1111 gives exactly the stage 1 attributes.
    for a in [
        S1_WB, S1_WB_NOWA, S1_WT, S1_NC, 0x00, 0x04, 0x08, 0x0c, 0x4f, 0xf4,
    ] {
        for shv in 0..4 {
            let m = s1(a, shv);
            assert_eq!(
                combine_s1_s2(&m, &S2MemAttrs::decode(0b1111, 0b00), false),
                m
            );
        }
    }
}

#[test]
fn combine_shareability() {
    use Shareability::*;
    // Table D8-103 on Normal WB memory: (stage 1 SH, stage 2 SH, result).
    let rows = [
        (0b10, 0b00, OuterShareable),
        (0b10, 0b11, OuterShareable),
        (0b11, 0b10, OuterShareable),
        (0b11, 0b11, InnerShareable),
        (0b11, 0b00, InnerShareable),
        (0b00, 0b10, OuterShareable),
        (0b00, 0b11, InnerShareable),
        (0b00, 0b00, NonShareable),
    ];
    for fwb in [false, true] {
        let m = if fwb { 0b0110 } else { 0b1111 };
        for (a, b, want) in rows {
            let r = combine_s1_s2(&s1(S1_WB, a), &S2MemAttrs::decode(m, b), fwb);
            assert_eq!(r.shareability, want, "FWB {fwb} SH {a:02b}/{b:02b}");
        }
    }
    // Device or Normal Inner/Outer Non-cacheable results are Outer Shareable.
    let r = combine_s1_s2(&s1(S1_WB, 0b00), &S2MemAttrs::decode(0b0001, 0b00), false);
    assert_eq!(r.shareability, OuterShareable);
    let r = combine_s1_s2(&s1(S1_WB, 0b00), &S2MemAttrs::decode(0b0101, 0b00), false);
    assert_eq!(r.shareability, OuterShareable);
    // Stage 2 Inner NC / Outer WB with Non-shareable SH: the result is cacheable outer,
    // so SH combines normally.
    let r = combine_s1_s2(&s1(S1_WB, 0b00), &S2MemAttrs::decode(0b1101, 0b00), false);
    assert_eq!(r.shareability, NonShareable);
}

#[test]
fn combine_tagged() {
    // FEAT_MTE2: Tagged survives only as Normal Inner/Outer Write-Back.
    let t = s1(S1_TAGGED, 0b11);
    assert!(t.tagged);
    assert!(combine_s1_s2(&t, &S2MemAttrs::decode(0b1111, 0b11), false).tagged);
    assert!(!combine_s1_s2(&t, &S2MemAttrs::decode(0b1110, 0b11), false).tagged);
    assert!(!combine_s1_s2(&t, &S2MemAttrs::decode(0b0001, 0b11), false).tagged);
    // FWB (Table D8-101): forced WB and "use stage 1" keep it, Non-cacheable drops it.
    assert!(combine_s1_s2(&t, &S2MemAttrs::decode(0b0110, 0b11), true).tagged);
    assert!(combine_s1_s2(&t, &S2MemAttrs::decode(0b0111, 0b11), true).tagged);
    assert!(!combine_s1_s2(&t, &S2MemAttrs::decode(0b0101, 0b11), true).tagged);
    // An untagged stage 1 never becomes tagged.
    assert!(!combine_s1_s2(&s1(S1_WB, 0b11), &S2MemAttrs::decode(0b0110, 0b11), true).tagged);
}

#[test]
fn combine_memory_types_fwb1() {
    let c = |a: u8, m: u8| combine_s1_s2(&s1(a, 0b11), &S2MemAttrs::decode(m, 0b11), true).mem_type;
    let dev = MemType::Device;
    // Table D8-100: MemAttr[2] == 0 is a stage 2 Device type, combined with stage 1
    // (R GSDKZ); MemAttr[3] is RES0 and ignored.
    assert_eq!(c(S1_WB, 0b0001), dev(DeviceType::NGnRE));
    assert_eq!(c(S1_WB, 0b1001), dev(DeviceType::NGnRE));
    assert_eq!(c(0x0c, 0b0010), dev(DeviceType::NGRE));
    assert_eq!(c(0x04, 0b0011), dev(DeviceType::NGnRE));
    assert_eq!(c(0x00, 0b0011), dev(DeviceType::NGnRnE));
    // Table D8-101, MemAttr[1:0] == 01: stage 1 Device stays, Normal becomes NC.
    assert_eq!(c(0x08, 0b0101), dev(DeviceType::NGRE));
    assert_eq!(c(S1_NC, 0b0101), normal(NC, NC));
    assert_eq!(c(S1_WT, 0b0101), normal(NC, NC));
    assert_eq!(c(S1_WB, 0b0101), normal(NC, NC));
    // MemAttr[1:0] == 10: Normal Write-Back whatever stage 1 says; hints from a cacheable
    // stage 1, else Read/Write-Allocate non-transient (R THYXB, R TBQKG).
    assert_eq!(c(0x04, 0b0110), normal(wb(true, true), wb(true, true)));
    assert_eq!(c(S1_NC, 0b0110), normal(wb(true, true), wb(true, true)));
    assert_eq!(c(0xaa, 0b0110), normal(wb(true, false), wb(true, false)));
    assert_eq!(
        c(S1_WB_NOWA, 0b0110),
        normal(wb(true, false), wb(true, false))
    );
    // MemAttr[1:0] == 11: stage 1 attributes.
    assert_eq!(c(0x04, 0b0111), dev(DeviceType::NGnRE));
    assert_eq!(c(S1_NC, 0b0111), normal(NC, NC));
    assert_eq!(c(S1_WT, 0b0111), normal(wt(true, true), wt(true, true)));
    assert_eq!(c(S1_WB, 0b0111), normal(wb(true, true), wb(true, true)));
    // Reserved 0b100 behaves as 0b101 (hypsim's choice).
    assert_eq!(c(S1_WB, 0b0100), normal(NC, NC));
    assert_eq!(c(0x0c, 0b0100), dev(DeviceType::GRE));
    // FWB changes what counts as Device for HCR_EL2.PTW.
    let a = S2MemAttrs::decode(0b1011, 0);
    assert!(a.is_device(true) && !a.is_device(false));
}

#[test]
fn combine_for_access_overrides() {
    const FWB: u64 = 1 << 46;
    const CD: u64 = 1 << 32;
    const ID: u64 = 1 << 33;
    let nc = normal(NC, NC);
    let wb_rw = normal(wb(true, true), wb(true, true));
    let s2wb = S2MemAttrs::decode(0b1111, 0b11);
    let s2dev = S2MemAttrs::decode(0b0001, 0b00);
    let s1wb = s1(S1_WB, 0b11);
    let s1dev = s1(0x04, 0b00);
    let c = |a: &MemAttrs, b: &S2MemAttrs, k, hcr| combine_for_access(a, b, k, hcr).mem_type;
    for fwb in [0, FWB] {
        // No override: the plain combination.
        assert_eq!(c(&s1wb, &s2wb, AccessKind::Read, fwb), wb_rw);
        assert_eq!(c(&s1wb, &s2wb, AccessKind::Exec, fwb), wb_rw);
        // Fetches never see stage 2 Device memory; HCR_EL2.ID makes them Non-cacheable.
        let m = combine_for_access(&s1wb, &s2dev, AccessKind::Exec, fwb);
        assert_eq!(m, MemAttrs::NORMAL_NC);
        assert_eq!(c(&s1wb, &s2wb, AccessKind::Exec, fwb | ID), nc);
        // Data accesses still see it; HCR_EL2.ID does not affect them.
        let d = MemType::Device(DeviceType::NGnRE);
        assert_eq!(c(&s1wb, &s2dev, AccessKind::Read, fwb | ID), d);
        // HCR_EL2.CD: Normal data becomes Non-cacheable, Device stays, fetches unaffected.
        assert_eq!(c(&s1wb, &s2wb, AccessKind::Write, fwb | CD), nc);
        assert_eq!(c(&s1wb, &s2dev, AccessKind::Write, fwb | CD), d);
        assert_eq!(c(&s1wb, &s2wb, AccessKind::Exec, fwb | CD), wb_rw);
        // A stage 1 Device type survives CD (stage 2 Normal replaced by NC, then combined).
        assert_eq!(
            c(&s1dev, &s2wb, AccessKind::Read, fwb | CD),
            MemType::Device(DeviceType::NGnRE)
        );
    }
    // FWB: CD applies to the combined result, so a forced Write-Back becomes NC.
    let forced = S2MemAttrs::decode(0b0110, 0b11);
    assert_eq!(c(&s1dev, &forced, AccessKind::Read, FWB), wb_rw);
    assert_eq!(c(&s1dev, &forced, AccessKind::Read, FWB | CD), nc);
}

// ------------------------------------------------------------------------------------------
// Stage 1 walks through stage 2

// Stage 1 (TCR_EL1, MAIR) bits used below.
const S1_TCR: u64 = 25 | (1 << 23) | (0b101 << 32); // T0SZ 25, EPD1, 4KB, IPS 48
const SCTLR_M: u64 = 1;
const S1_PAGE: u64 = 0b11 | (1 << 10) | (0b11 << 8); // Page, AF, ISH, AttrIndx 0, AP 00

/// A two-stage setup: stage 2 (4KB, 40-bit IPA, level 1 with 2 tables) maps IPA
/// 0x1000_0000 + n * 4KB to PA RAM_BASE + 0x100_0000 + n * 4KB for n < 64, and stage 1's
/// tables (T0SZ 25, start level 1) live in that IPA window.
struct TwoStage {
    pt: Pt,
    s2: Tree,
    s2cfg: Stage2Config,
    s1_root_ipa: u64,
}

const IPA_WIN: u64 = 0x1000_0000;
const PA_WIN: u64 = RAM_BASE + 0x100_0000;

impl TwoStage {
    fn new() -> TwoStage {
        let mut pt = Pt::new();
        let s2 = pt.tree(Granule::K4, 24, 1, 2);
        for n in 0..64 {
            pt.map(
                &s2,
                IPA_WIN + n * 4096,
                3,
                (PA_WIN + n * 4096) | PAGE | NORMAL_RW,
            );
        }
        let s2cfg = cfg(vtcr(24, 1, TG_4K, PS_48), s2.root);
        TwoStage {
            pt,
            s2,
            s2cfg,
            s1_root_ipa: IPA_WIN,
        }
    }

    /// Write stage 1 descriptor `d` at table `ipa_table` (an IPA in the window) index `i`.
    fn s1_write(&self, ipa_table: u64, i: u64, d: u64) {
        self.pt.wr(PA_WIN + (ipa_table - IPA_WIN) + i * 8, d);
    }

    fn s1cfg(&self) -> Stage1Config {
        Stage1Config::el10(
            S1_TCR,
            self.s1_root_ipa,
            0,
            SCTLR_M,
            0xff,
            48,
            Features::all(),
        )
    }
}

#[test]
fn stage1_walk_through_stage2() {
    let ts = TwoStage::new();
    // VA 0x4020_3000: level 1 index 1, level 2 index 1, level 3 index 3 (Table D8-16).
    let (l2, l3) = (IPA_WIN + 0x1000, IPA_WIN + 0x2000);
    ts.s1_write(IPA_WIN, 1, l2 | 0b11);
    ts.s1_write(l2, 1, l3 | 0b11);
    ts.s1_write(l3, 3, (IPA_WIN + 0x5000) | S1_PAGE);
    let mut mem = S2WalkMem {
        cfg: &ts.s2cfg,
        mem: &mut &ts.pt.ram,
        ptw: true,
        fwb: false,
    };
    let t1 = walk(&ts.s1cfg(), &mut mem, 0x4020_3abc).unwrap();
    assert_eq!(t1.pa, IPA_WIN + 0x5abc);
    let t2 = walk_stage2(&ts.s2cfg, &mut &ts.pt.ram, t1.pa).unwrap();
    assert_eq!(t2.pa, PA_WIN + 0x5abc);
    let a = combine_s1_s2(&t1.attrs, &t2.attrs, false);
    assert_eq!(a.mem_type, normal(wb(true, true), wb(true, true)));
    assert_eq!(a.shareability, Shareability::InnerShareable);
}

#[test]
fn stage2_faults_on_the_stage1_walk_are_s1ptw() {
    let mut ts = TwoStage::new();
    let l2 = IPA_WIN + 0x1000;
    // The level 1 descriptor points at a level 2 table IPA that stage 2 does not map.
    let hole = 0x2000_0000;
    ts.s1_write(IPA_WIN, 1, hole | 0b11);
    let s1 = ts.s1cfg();
    let run = |ts: &TwoStage, ptw: bool| {
        let mut mem = S2WalkMem {
            cfg: &ts.s2cfg,
            mem: &mut &ts.pt.ram,
            ptw,
            fwb: false,
        };
        walk(&s1, &mut mem, 0x4020_3000)
    };
    let f = run(&ts, false).unwrap_err();
    // Stage 2 has a level 2 table for IA[39:30] == 0 (the window) but no entry for the
    // hole's IA[29:21] == 0x100: stage 2 Translation fault at level 2, reported with S1PTW
    // and the IPA of the level 2 descriptor stage 1 wanted (index 1).
    let want = Fault {
        s1ptw: true,
        ..s2f(FaultKind::Translation, 2, hole + 8)
    };
    assert_eq!((f, f.fsc()), (want, 0b00_0110));

    // Stage 2 maps the table read-never: Permission fault, s1ptw, at the stage 2 page level.
    ts.s1_write(IPA_WIN, 1, l2 | 0b11);
    let slot = ts.pt.entry(&ts.s2, l2, 3);
    ts.pt.wr(
        slot,
        (PA_WIN + 0x1000) | PAGE | AF | memattr(0xf) | s2ap(0b10),
    );
    let want = Fault {
        s1ptw: true,
        ..s2f(FaultKind::Permission, 3, l2 + 8)
    };
    assert_eq!(run(&ts, false).unwrap_err(), want);

    // Stage 2 maps it as Device: a Permission fault with HCR_EL2.PTW, a normal read without.
    ts.pt.wr(
        slot,
        (PA_WIN + 0x1000) | PAGE | AF | memattr(0b0001) | s2ap(0b11),
    );
    assert_eq!(run(&ts, true).unwrap_err(), want);
    // Without PTW the walk goes on to the (empty) level 2 table: stage 1 Translation fault.
    assert_eq!(
        run(&ts, false).unwrap_err(),
        Fault::stage1(FaultKind::Translation, 2)
    );

    // A stage 1 hardware AF update needs stage 2 write permission.
    let l3 = IPA_WIN + 0x2000;
    ts.pt.wr(slot, (PA_WIN + 0x1000) | PAGE | NORMAL_RW);
    ts.s1_write(l2, 1, l3 | 0b11);
    ts.s1_write(l3, 3, (IPA_WIN + 0x5000) | (S1_PAGE & !(1 << 10)));
    let slot3 = ts.pt.entry(&ts.s2, l3, 3);
    ts.pt.wr(
        slot3,
        (PA_WIN + 0x2000) | PAGE | AF | memattr(0xf) | s2ap(0b01),
    );
    let s1ha = Stage1Config::el10(
        S1_TCR | (1 << 39),
        IPA_WIN,
        0,
        SCTLR_M,
        0xff,
        48,
        Features::all(),
    );
    let mut mem = S2WalkMem {
        cfg: &ts.s2cfg,
        mem: &mut &ts.pt.ram,
        ptw: false,
        fwb: false,
    };
    let f = walk(&s1ha, &mut mem, 0x4020_3000).unwrap_err();
    let want = Fault {
        s1ptw: true,
        ..s2f(FaultKind::Permission, 3, l3 + 24)
    };
    assert_eq!(f, want);
    // With write permission the AF is set in the stage 1 descriptor (at its PA).
    ts.pt.wr(slot3, (PA_WIN + 0x2000) | PAGE | NORMAL_RW);
    let mut mem = S2WalkMem {
        cfg: &ts.s2cfg,
        mem: &mut &ts.pt.ram,
        ptw: false,
        fwb: false,
    };
    assert_eq!(
        walk(&s1ha, &mut mem, 0x4020_3000).unwrap().pa,
        IPA_WIN + 0x5000
    );
    assert_ne!(ts.pt.rd(PA_WIN + 0x2000 + 24) & (1 << 10), 0);
}

#[test]
fn on_s1_walk_only_marks_stage2_faults() {
    let f = Fault::stage1(FaultKind::Translation, 1).on_s1_walk();
    assert!(!f.s1ptw);
    let f = Fault::stage2(FaultKind::Translation, 1, 0x1000).on_s1_walk();
    assert!(f.s1ptw && f.stage == 2 && f.ipa == Some(0x1000));
}

// ------------------------------------------------------------------------------------------
// Robustness

struct NoiseMem {
    seed: u64,
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl WalkMem for NoiseMem {
    fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
        assert_eq!(addr & 7, 0, "descriptor reads are 8-byte aligned");
        let h = mix(addr ^ self.seed);
        match h & 0x1f {
            0 => Err(WalkMemError::External),
            1..=20 => Ok((h & 0x0000_ffff_ffff_f000) | 0b11 | (h & AF)),
            _ => Ok(h),
        }
    }

    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, WalkMemError> {
        assert_eq!(addr & 7, 0);
        // The only hardware update is setting AF (byte-swapped for big-endian tables).
        assert!(new == old | AF || new == old | AF.swap_bytes());
        let h = mix(addr ^ old ^ self.seed);
        match h % 3 {
            0 => Err(WalkMemError::External),
            1 => Ok(false),
            _ => Ok(true),
        }
    }
}

fn check_result(cfg: &Stage2Config, ipa: u64, r: Result<S2Translation, Fault>) {
    match r {
        Ok(t) => {
            assert!(cfg.error().is_none());
            assert!(t.page_size.is_power_of_two());
            assert!((1 << cfg.granule().bits()..=1 << 42).contains(&t.page_size));
            assert_eq!(t.pa & (t.page_size - 1), ipa & (t.page_size - 1));
            assert_eq!(t.pa >> cfg.oa_bits(), 0, "PA within the OA size");
            assert!((0..=3).contains(&t.level));
            assert!(t.level >= cfg.start_level().unwrap());
            assert_eq!(t.ipa, ipa);
            assert_eq!(t.vmid, cfg.vmid());
            for el in 0..3 {
                for a in [AccessKind::Read, AccessKind::Write, AccessKind::Exec] {
                    if let Err(f) = t.check(a, el) {
                        assert_eq!(
                            (f.kind, f.level, f.stage),
                            (FaultKind::Permission, t.level, 2)
                        );
                    }
                }
            }
        }
        Err(f) => {
            assert_eq!((f.stage, f.s1ptw, f.ipa), (2, false, Some(ipa)));
            assert!((0..=3).contains(&f.level));
            assert_ne!(f.kind, FaultKind::Permission);
            if cfg.error().is_some() {
                assert_eq!((f.kind, f.level), (FaultKind::Translation, 0));
            }
            let _ = f.fsc();
        }
    }
}

fn vtcr_strategy() -> impl Strategy<Value = u64> {
    // Mostly plausible layouts, sometimes anything.
    prop_oneof![
        (
            16u64..40,
            0u64..4,
            0u64..4,
            0u64..8,
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(t, s, g, p, vs, ha)| {
                let vs = if vs { VS } else { 0 };
                let ha = if ha { HA } else { 0 };
                vtcr(t, s, g, p) | vs | ha
            }),
        any::<u64>(),
    ]
}

fn shape_ipa(cfg: &Stage2Config, ipa: u64, mode: u8) -> u64 {
    match mode {
        // Inside the configured IPA range.
        0 => ipa & bits_below(cfg.ia_bits()),
        1 => ipa & 0xffff_ffff,
        _ => ipa,
    }
}

fn bits_below(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1 << n) - 1
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn never_panics_on_noise(
        vtcr in vtcr_strategy(),
        vttbr in any::<u64>(),
        sctlr in any::<u64>(),
        parange in any::<u8>(),
        vmid16 in any::<bool>(),
        hafdbs in any::<bool>(),
        xnx in any::<bool>(),
        ipa in any::<u64>(),
        mode in 0u8..3,
        seed in any::<u64>(),
    ) {
        let f = Stage2Features { vmid16, hafdbs, xnx };
        let cfg = Stage2Config::new(vtcr, vttbr, sctlr, parange, f);
        let ipa = shape_ipa(&cfg, ipa, mode);
        let r = walk_stage2(&cfg, &mut NoiseMem { seed }, ipa);
        check_result(&cfg, ipa, r);
        if let Ok(t) = r {
            for fwb in [false, true] {
                for a in [0x00u8, 0x0c, 0x44, 0xbb, 0xf0, 0xff] {
                    let m = combine_s1_s2(&MemAttrs::from_mair(a, 0b11), &t.attrs, fwb);
                    prop_assert!(!m.tagged || a == 0xf0);
                }
            }
        }
    }

    #[test]
    fn never_panics_on_random_ram(
        vtcr in vtcr_strategy(),
        base_off in 0u64..0x2_0000,
        vmid in any::<u16>(),
        ipa in any::<u64>(),
        mode in 0u8..3,
        contents in proptest::collection::vec(any::<u64>(), 0x1000),
    ) {
        let ram = GuestRam::new(RAM_BASE, 0x1_0000).unwrap();
        for (i, d) in contents.iter().enumerate() {
            let d = if d & 1 == 0 { *d } else { (d & 0xffff_0000_0000_f00f) | RAM_BASE | 0b11 | (d & AF) };
            ram.write_bytes(RAM_BASE + 8 * i as u64 + 0x8000 * (i as u64 & 1), &d.to_le_bytes()).unwrap();
        }
        let vttbr = ((vmid as u64) << 48) | RAM_BASE | base_off;
        let cfg = Stage2Config::new(vtcr, vttbr, 0, 48, Stage2Features::all());
        let ipa = shape_ipa(&cfg, ipa, mode);
        let r = walk_stage2(&cfg, &mut &ram, ipa);
        check_result(&cfg, ipa, r);
    }

    #[test]
    fn combine_never_panics_and_is_consistent(a in any::<u8>(), s1sh in 0u8..4, m in 0u8..16, s2sh in 0u8..4, fwb in any::<bool>()) {
        let s1m = MemAttrs::from_mair(a, s1sh);
        let r = combine_s1_s2(&s1m, &S2MemAttrs::decode(m, s2sh), fwb);
        // Device or all-Non-cacheable results are Outer Shareable (R PYFVQ).
        let os = match r.mem_type {
            MemType::Device(_) => true,
            MemType::Normal { inner, outer } => inner == NC && outer == NC,
        };
        if os {
            prop_assert_eq!(r.shareability, Shareability::OuterShareable);
        }
        // Without FWB the result is never more cacheable than stage 1.
        if !fwb {
            if let (MemType::Normal { inner, outer }, MemType::Normal { inner: i1, outer: o1 }) = (r.mem_type, s1m.mem_type) {
                let rank = |c: Cacheability| match c {
                    Cacheability::NonCacheable => 0,
                    Cacheability::WriteThrough { .. } => 1,
                    Cacheability::WriteBack { .. } => 2,
                };
                prop_assert!(rank(inner) <= rank(i1) && rank(outer) <= rank(o1));
            }
            if s1m.is_device() {
                prop_assert!(r.is_device());
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// FEAT_LPA: 52-bit IPAs and PAs with the 64KB granule

#[derive(Default)]
struct Sparse(std::collections::HashMap<u64, u64>);

impl WalkMem for Sparse {
    fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
        self.0.get(&addr).copied().ok_or(WalkMemError::External)
    }
    fn cas_desc(&mut self, _: u64, _: u64, _: u64) -> Result<bool, WalkMemError> {
        Err(WalkMemError::External)
    }
}

/// Bits \[47:16\] in place, \[51:48\] in descriptor bits \[15:12\] (Tables D8-51, D8-53).
const fn lpa_desc(addr: u64) -> u64 {
    (addr & 0x0000_ffff_ffff_0000) | ((addr >> 48) & 0xf) << 12
}
/// VTTBR_EL2 with BADDR\[51:48\] in bits \[5:2\] (Table D8-10).
const fn lpa_vttbr(addr: u64) -> u64 {
    (addr & 0x0000_ffff_ffff_ffc0) | ((addr >> 48) & 0xf) << 2
}
const PS_52: u64 = 0b110;

fn cfg52(vtcr: u64, vttbr: u64) -> Stage2Config {
    Stage2Config::new(vtcr, vttbr, 0, 52, Stage2Features::all())
}

#[test]
fn lpa_64k_52bit_ipa_and_pa() {
    // T0SZ 12 at level 1 (Table D8-39, FEAT_LPA): one table of 1024 entries, IA[51:42],
    // aligned to 8KB (x = 25 - 12 = 13, Table D8-42).
    let l1 = 0x000a_0000_1234_2000;
    let (l2, l3) = (0x000b_0000_5678_0000, 0x000c_0000_9abc_0000);
    let c = cfg52(vtcr(12, 2, TG_64K, PS_52), lpa_vttbr(l1));
    assert_eq!(c.error(), None);
    assert_eq!((c.start_level(), c.concatenated_tables()), (Some(1), 1));
    assert_eq!((c.table_base(), c.oa_bits(), c.ia_bits()), (l1, 52, 52));
    let ipa: u64 = 0x000f_8421_2345_6789;
    let (i1, i2, i3) = (
        (ipa >> 42) & 0x3ff,
        (ipa >> 29) & 0x1fff,
        (ipa >> 16) & 0x1fff,
    );
    let mut m = Sparse::default();
    m.0.insert(l1 + i1 * 8, lpa_desc(l2) | TABLE);
    m.0.insert(l2 + i2 * 8, lpa_desc(l3) | TABLE);
    m.0.insert(
        l3 + i3 * 8,
        lpa_desc(0x000d_1234_5678_0000) | PAGE | NORMAL_RW,
    );
    let t = walk_stage2(&c, &mut m, ipa).unwrap();
    assert_eq!(
        (t.pa, t.page_size, t.level),
        (0x000d_1234_5678_6789, 64 << 10, 3)
    );
    // 512MB block at level 2 and 4TB block at level 1 (Table D8-36, FEAT_LPA).
    m.0.insert(
        l2 + i2 * 8,
        lpa_desc(0x0001_0000_2000_0000) | BLOCK | NORMAL_RW,
    );
    let t = walk_stage2(&c, &mut m, ipa).unwrap();
    assert_eq!(
        (t.pa, t.page_size, t.level),
        (0x0001_0000_2345_6789, 512 << 20, 2)
    );
    m.0.insert(
        l1 + i1 * 8,
        lpa_desc(0x0002_0400_0000_0000) | BLOCK | NORMAL_RW,
    );
    let t = walk_stage2(&c, &mut m, ipa).unwrap();
    assert_eq!(
        (t.pa, t.page_size, t.level),
        (0x0002_0421_2345_6789, 1 << 42, 1)
    );
    // IPA bit 52 is out of range: level 0 Translation fault.
    assert_eq!(
        walk_stage2(&c, &mut m, 1 << 52),
        Err(s2f(FaultKind::Translation, 0, 1 << 52))
    );
    // T0SZ 11 is below the minimum even with FEAT_LPA; T0SZ 12..=15 only at level 1.
    let e = |t0sz, sl0| cfg52(vtcr(t0sz, sl0, TG_64K, PS_52), 0).error();
    assert_eq!(e(11, 2), Some(S2ConfigError::TxszTooSmall));
    assert_eq!(e(15, 2), None);
    assert_eq!(e(15, 1), Some(S2ConfigError::InconsistentSl0));
    // Without FEAT_LPA (PARange 48) the minimum T0SZ is 16 and level 1 Blocks fault.
    let c48 = Stage2Config::new(
        vtcr(16, 2, TG_64K, PS_52),
        0x2000,
        0,
        48,
        Stage2Features::all(),
    );
    assert_eq!(
        Stage2Config::new(vtcr(15, 2, TG_64K, PS_52), 0, 0, 48, Stage2Features::all()).error(),
        Some(S2ConfigError::TxszTooSmall)
    );
    let mut low = Sparse::default();
    let ipa48 = ipa & 0xffff_ffff_ffff;
    low.0.insert(
        0x2000 + (ipa48 >> 42) * 8,
        0x0400_0000_0000 | BLOCK | NORMAL_RW,
    );
    assert_eq!(
        walk_stage2(&c48, &mut low, ipa48),
        Err(s2f(FaultKind::Translation, 1, ipa48))
    );
}

#[test]
fn lpa_4k_and_16k_stay_at_48_bits() {
    // PS 0b110 with a 52-bit PARange: 48-bit OA and IPA for 4KB and 16KB (no FEAT_LPA2).
    for tg0 in [TG_4K, TG_16K] {
        let c = cfg52(vtcr(16, 2, tg0, PS_52), 0);
        assert_eq!((c.error(), c.oa_bits()), (None, 48));
        assert_eq!(
            cfg52(vtcr(15, 2, tg0, PS_52), 0).error(),
            Some(S2ConfigError::TxszTooSmall)
        );
    }
    // 4KB: descriptor bits [15:12] are OA[15:12] of a page.
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 24, 1, 1);
    let c = cfg52(vtcr(24, 1, TG_4K, PS_52), t.root);
    pt.map(&t, 0x5000, 3, 0x8000_f000 | PAGE | NORMAL_RW);
    assert_eq!(go(&c, &pt, 0x5abc).unwrap().pa, 0x8000_fabc);
}

#[test]
fn lpa_address_size_faults() {
    let ipa: u64 = 0x0000_8421_2345_6789;
    let (i1, i2, i3) = (
        (ipa >> 42) & 0x3f,
        (ipa >> 29) & 0x1fff,
        (ipa >> 16) & 0x1fff,
    );
    let (l1, l2, l3) = (0x1_0000, 0x2_0000, 0x3_0000);
    let mut m = Sparse::default();
    m.0.insert(l1 + i1 * 8, lpa_desc(l2) | TABLE);
    m.0.insert(l2 + i2 * 8, lpa_desc(l3) | TABLE);
    let page = l3 + i3 * 8;
    // PS 48 on a 52-bit PARange: bits [15:12] are still OA[51:48], beyond the PS size.
    let c = cfg52(vtcr(16, 2, TG_64K, PS_48), l1);
    assert_eq!(c.oa_bits(), 48);
    m.0.insert(page, lpa_desc(0x0001_0000_0001_0000) | PAGE | NORMAL_RW);
    assert_eq!(
        walk_stage2(&c, &mut m, ipa),
        Err(s2f(FaultKind::AddressSize, 3, ipa))
    );
    m.0.insert(l2 + i2 * 8, lpa_desc(0x0008_0000_0003_0000) | TABLE);
    assert_eq!(
        walk_stage2(&c, &mut m, ipa),
        Err(s2f(FaultKind::AddressSize, 2, ipa))
    );
    m.0.insert(l2 + i2 * 8, lpa_desc(l3) | TABLE);
    let c52 = cfg52(vtcr(16, 2, TG_64K, PS_52), l1);
    assert_eq!(
        walk_stage2(&c52, &mut m, ipa).unwrap().pa,
        0x0001_0000_0001_6789
    );
    // PS 0b100 (44 bits): the 48-bit VTTBR format, bit 44 set is a level 0 fault.
    let c44 = cfg52(vtcr(16, 2, TG_64K, 0b100), 1 << 44 | l1);
    assert_eq!(
        walk_stage2(&c44, &mut m, ipa),
        Err(s2f(FaultKind::AddressSize, 0, ipa))
    );
    // PS 52 with a VTTBR BADDR[51:48] the PS allows.
    let c52 = cfg52(vtcr(16, 2, TG_64K, PS_52), lpa_vttbr(0x0007_0000_0001_0000));
    assert_eq!(c52.table_base(), 0x0007_0000_0001_0000);
    assert_eq!(
        walk_stage2(&c52, &mut m, ipa),
        Err(s2f(FaultKind::SyncExternalOnWalk, 1, ipa))
    );
}
