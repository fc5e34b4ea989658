//! Walker tests. Page tables are built in a [`GuestRam`] with index ranges, start levels and
//! descriptor fields transcribed from the Arm ARM tables (not from the walker), and the
//! expected permissions, attributes and fault codes come from the tables cited per test.

use super::config::bits_mask;
use super::*;
use crate::GuestRam;
use proptest::prelude::*;

const RAM_BASE: u64 = 0x4000_0000;
const RAM_SIZE: u64 = 16 << 20;

// SCTLR_ELx.
const M: u64 = 1 << 0;
const WXN: u64 = 1 << 19;
const EE: u64 = 1 << 25;

// TCR_EL1 fields (D24.2 TCR_EL1).
const EPD0: u64 = 1 << 7;
const A1: u64 = 1 << 22;
const EPD1: u64 = 1 << 23;
const AS: u64 = 1 << 36;
const TBI0: u64 = 1 << 37;
const TBI1: u64 = 1 << 38;
const HA: u64 = 1 << 39;
const HPD0: u64 = 1 << 41;
const TG0_4K: u64 = 0b00 << 14;
const TG0_64K: u64 = 0b01 << 14;
const TG0_16K: u64 = 0b10 << 14;
const TG1_16K: u64 = 0b01 << 30;
const TG1_4K: u64 = 0b10 << 30;
const TG1_64K: u64 = 0b11 << 30;
const fn t0sz(n: u64) -> u64 {
    n
}
const fn t1sz(n: u64) -> u64 {
    n << 16
}
const fn ips(n: u64) -> u64 {
    n << 32
}
const IPS_48: u64 = ips(0b101);

// Descriptor fields (Tables D8-50, D8-52).
const VALID: u64 = 1;
const TABLE: u64 = 0b11;
const PAGE: u64 = 0b11;
const BLOCK: u64 = 0b01;
const AF: u64 = 1 << 10;
const NG: u64 = 1 << 11;
const PXN: u64 = 1 << 53;
const UXN: u64 = 1 << 54;
const XN: u64 = 1 << 54;
const PXN_TABLE: u64 = 1 << 59;
const UXN_TABLE: u64 = 1 << 60;
const fn ap(v: u64) -> u64 {
    v << 6
}
const fn sh(v: u64) -> u64 {
    v << 8
}
const fn attr(i: u64) -> u64 {
    i << 2
}
const fn ap_table(v: u64) -> u64 {
    v << 61
}

// MAIR: Attr0 Normal WB RA/WA (0xff), Attr1 Device-nGnRnE, Attr2 Normal NC (0x44),
// Attr3 Device-nGnRE, Attr4 Device-GRE, Attr5 Device-nGRE, Attr6 Normal WT (0xaa), Attr7
// Tagged Normal (0xf0).
const MAIR: u64 = 0xf0aa_080c_0444_00ff;

/// IA bits \[hi:lo\] that index each lookup level (Tables D8-16, D8-26, D8-35).
fn index_bits(g: Granule, level: i8) -> (u32, u32) {
    match (g, level) {
        (Granule::K4, 0) => (47, 39),
        (Granule::K4, 1) => (38, 30),
        (Granule::K4, 2) => (29, 21),
        (Granule::K4, 3) => (20, 12),
        (Granule::K16, 0) => (47, 47),
        (Granule::K16, 1) => (46, 36),
        (Granule::K16, 2) => (35, 25),
        (Granule::K16, 3) => (24, 14),
        (Granule::K64, 1) => (47, 42),
        (Granule::K64, 2) => (41, 29),
        (Granule::K64, 3) => (28, 16),
        _ => panic!("no level {level} for {g:?}"),
    }
}

/// Initial lookup level for a stage 1 TnSZ (Tables D8-18, D8-28, D8-37).
fn start_level(g: Granule, txsz: u8) -> i8 {
    match (g, txsz) {
        (Granule::K4, 16..=24) => 0,
        (Granule::K4, 25..=33) => 1,
        (Granule::K4, 34..=39) => 2,
        (Granule::K16, 16) => 0,
        (Granule::K16, 17..=27) => 1,
        (Granule::K16, 28..=38) => 2,
        (Granule::K16, 39) => 3,
        (Granule::K64, 16..=21) => 1,
        (Granule::K64, 22..=34) => 2,
        (Granule::K64, 35..=39) => 3,
        _ => panic!("TnSZ {txsz} invalid for {g:?}"),
    }
}

/// One translation table tree inside a [`Pt`].
#[derive(Clone, Copy)]
struct Tree {
    g: Granule,
    ia: u32,
    start: i8,
    root: u64,
}

/// Guest RAM plus a bump allocator of granule-aligned tables.
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

    fn alloc(&mut self, g: Granule) -> u64 {
        let a = self.next.next_multiple_of(g.size());
        self.next = a + g.size();
        assert!(self.next <= RAM_BASE + RAM_SIZE);
        a
    }

    fn tree(&mut self, g: Granule, txsz: u8) -> Tree {
        Tree {
            g,
            ia: 64 - txsz as u32,
            start: start_level(g, txsz),
            root: self.alloc(g),
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

    /// Address of the descriptor for `va` at `level`, creating tables on the way.
    fn entry(&mut self, t: &Tree, va: u64, level: i8) -> u64 {
        let mut table = t.root;
        let mut l = t.start;
        loop {
            let (mut hi, lo) = index_bits(t.g, l);
            if l == t.start {
                hi = hi.min(t.ia - 1);
            }
            let idx = (va >> lo) & ((1 << (hi - lo + 1)) - 1);
            let slot = table + idx * 8;
            if l == level {
                return slot;
            }
            let d = self.rd(slot);
            table = if d & 0b11 == TABLE {
                d & 0x0000_ffff_ffff_f000 & !(t.g.size() - 1)
            } else {
                let n = self.alloc(t.g);
                self.wr(slot, n | TABLE);
                n
            };
            l += 1;
        }
    }

    fn map(&mut self, t: &Tree, va: u64, level: i8, desc: u64) -> u64 {
        let a = self.entry(t, va, level);
        self.wr(a, desc);
        a
    }

    /// OR `bits` into the Table descriptor at `level` on the path of `va`.
    fn table_bits(&mut self, t: &Tree, va: u64, level: i8, bits: u64) {
        let a = self.entry(t, va, level);
        let d = self.rd(a);
        assert_eq!(d & 0b11, TABLE);
        self.wr(a, d | bits);
    }
}

fn el1(tcr: u64, ttbr0: u64, ttbr1: u64, sctlr: u64) -> Stage1Config {
    Stage1Config::el10(tcr, ttbr0, ttbr1, sctlr, MAIR, 48, Features::all())
}

fn go(cfg: &Stage1Config, pt: &Pt, va: u64) -> Result<Translation, Fault> {
    walk(cfg, &mut &pt.ram, va)
}

fn fault(kind: FaultKind, level: i8) -> Fault {
    Fault::stage1(kind, level)
}

const NORMAL_WB_RW: u64 = PAGE | AF | attr(0) | sh(0b11) | ap(0b00);

// ------------------------------------------------------------------------------------------
// Granules, levels, blocks

#[test]
fn granule_4k_pages_and_blocks() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    assert_eq!(cfg.range(0).start_level, 0);

    let va = 0x0000_1234_5678_9000;
    pt.map(&t, va, 3, 0x0000_00ab_cdef_1000 | NORMAL_WB_RW);
    let tr = go(&cfg, &pt, va + 0xabc).unwrap();
    assert_eq!(tr.pa, 0x0000_00ab_cdef_1abc);
    assert_eq!((tr.page_size, tr.level), (4096, 3));

    // 2MB block at level 2 (Table D8-17: IA[20:0] maps to OA[20:0]).
    let va = 0x0000_0040_0020_0000;
    pt.map(&t, va, 2, 0x0000_0001_2340_0000 | BLOCK | AF);
    let tr = go(&cfg, &pt, va + 0x1_2345).unwrap();
    assert_eq!(tr.pa, 0x0000_0001_2341_2345);
    assert_eq!((tr.page_size, tr.level), (2 << 20, 2));

    // 1GB block at level 1, with RES0 bits [29:17] set in the descriptor: ignored.
    let va = 0x0000_0080_4000_0000;
    pt.map(&t, va, 1, 0x0000_0005_4000_0000 | 0x3ffe_0000 | BLOCK | AF);
    let tr = go(&cfg, &pt, va + 0x1234_5678).unwrap();
    assert_eq!(tr.pa, 0x0000_0005_5234_5678);
    assert_eq!((tr.page_size, tr.level), (1 << 30, 1));
}

#[test]
fn granule_4k_start_level_1_and_2() {
    let mut pt = Pt::new();
    // T0SZ 25 (39-bit VA, Linux's 3-level layout) starts at level 1.
    let t = pt.tree(Granule::K4, 25);
    let cfg = el1(t0sz(25) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    let va = 0x0000_0071_2345_6000;
    pt.map(&t, va, 3, 0x8000_2000 | NORMAL_WB_RW);
    assert_eq!(go(&cfg, &pt, va + 8).unwrap().pa, 0x8000_2008);

    // T0SZ 39 (25-bit VA) starts at level 2 with a 16-entry table.
    let t = pt.tree(Granule::K4, 39);
    let cfg = el1(t0sz(39) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    let va = 0x01ff_f000;
    pt.map(&t, va, 3, 0x8000_3000 | NORMAL_WB_RW);
    let tr = go(&cfg, &pt, va + 0x10).unwrap();
    assert_eq!((tr.pa, tr.level), (0x8000_3010, 3));
}

#[test]
fn granule_16k_pages_and_blocks() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K16, 17);
    let cfg = el1(t0sz(17) | TG0_16K | IPS_48 | EPD1, t.root, 0, M);
    assert_eq!(cfg.range(0).start_level, 1);

    let va = 0x0000_7654_3210_c000;
    pt.map(&t, va, 3, 0x0000_0012_3456_8000 | NORMAL_WB_RW);
    let tr = go(&cfg, &pt, va + 0x3fff).unwrap();
    assert_eq!(tr.pa, 0x0000_0012_3456_bfff);
    assert_eq!((tr.page_size, tr.level), (16 << 10, 3));

    // 32MB block at level 2 (Table D8-27).
    let va = 0x0000_0000_0600_0000;
    pt.map(&t, va, 2, 0x0000_0002_0200_0000 | BLOCK | AF);
    let tr = go(&cfg, &pt, va + 0x1ff_ffff).unwrap();
    assert_eq!(tr.pa, 0x0000_0002_03ff_ffff);
    assert_eq!((tr.page_size, tr.level), (32 << 20, 2));

    // T0SZ 16: level 0 table of two entries indexed by IA[47].
    let t = pt.tree(Granule::K16, 16);
    let cfg = el1(t0sz(16) | TG0_16K | IPS_48 | EPD1, t.root, 0, M);
    assert_eq!(cfg.range(0).start_level, 0);
    let va = 0x0000_8000_0000_4000;
    pt.map(&t, va, 3, 0x9000_4000 | NORMAL_WB_RW);
    assert_eq!(go(&cfg, &pt, va).unwrap().pa, 0x9000_4000);
    // The level 0 descriptor used is entry 1 of the root.
    assert_eq!(pt.rd(t.root + 8) & 0b11, TABLE);

    // T0SZ 39: starts at level 3 (Table D8-28).
    let t = pt.tree(Granule::K16, 39);
    let cfg = el1(t0sz(39) | TG0_16K | IPS_48 | EPD1, t.root, 0, M);
    assert_eq!(cfg.range(0).start_level, 3);
    pt.map(&t, 0x01ff_c000, 3, 0x9000_8000 | NORMAL_WB_RW);
    assert_eq!(go(&cfg, &pt, 0x01ff_c123).unwrap().pa, 0x9000_8123);
}

#[test]
fn granule_64k_pages_and_blocks() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K64, 22);
    let cfg = el1(t0sz(22) | TG0_64K | IPS_48 | EPD1, t.root, 0, M);
    assert_eq!(cfg.range(0).start_level, 2);

    let va = 0x0000_0234_5678_0000;
    pt.map(&t, va, 3, 0x0000_000a_bcde_0000 | NORMAL_WB_RW);
    let tr = go(&cfg, &pt, va + 0xfedc).unwrap();
    assert_eq!(tr.pa, 0x0000_000a_bcde_fedc);
    assert_eq!((tr.page_size, tr.level), (64 << 10, 3));

    // 512MB block at level 2 (Table D8-36).
    let va = 0x0000_0100_2000_0000;
    pt.map(&t, va, 2, 0x0000_0004_6000_0000 | BLOCK | AF);
    let tr = go(&cfg, &pt, va + 0x1234_5678).unwrap();
    assert_eq!(tr.pa, 0x0000_0004_7234_5678);
    assert_eq!((tr.page_size, tr.level), (512 << 20, 2));

    // T0SZ 16: level 1 table of 64 entries (IA[47:42]).
    let t = pt.tree(Granule::K64, 16);
    let cfg = el1(t0sz(16) | TG0_64K | IPS_48 | EPD1, t.root, 0, M);
    assert_eq!(cfg.range(0).start_level, 1);
    let va = 0x0000_fc00_0001_0000;
    pt.map(&t, va, 3, 0x9001_0000 | NORMAL_WB_RW);
    assert_eq!(go(&cfg, &pt, va + 4).unwrap().pa, 0x9001_0004);
    assert_eq!(pt.rd(t.root + 63 * 8) & 0b11, TABLE);
}

#[test]
fn blocks_where_the_granule_has_none_are_translation_faults() {
    let mut pt = Pt::new();
    // 4KB level 0 (Table D8-17: not supported without DS).
    let t = pt.tree(Granule::K4, 16);
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    pt.map(&t, 0, 0, BLOCK | AF);
    assert_eq!(go(&cfg, &pt, 0), Err(fault(FaultKind::Translation, 0)));
    // 16KB level 1 (Table D8-27).
    let t = pt.tree(Granule::K16, 17);
    let cfg = el1(t0sz(17) | TG0_16K | IPS_48 | EPD1, t.root, 0, M);
    pt.map(&t, 0, 1, BLOCK | AF);
    assert_eq!(go(&cfg, &pt, 0), Err(fault(FaultKind::Translation, 1)));
    // 64KB level 1 (Table D8-36: needs FEAT_LPA).
    let t = pt.tree(Granule::K64, 16);
    let cfg = el1(t0sz(16) | TG0_64K | IPS_48 | EPD1, t.root, 0, M);
    pt.map(&t, 0, 1, BLOCK | AF);
    assert_eq!(go(&cfg, &pt, 0), Err(fault(FaultKind::Translation, 1)));
}

// ------------------------------------------------------------------------------------------
// TTBR1, TBI, ranges

#[test]
fn ttbr1_upper_range_with_each_tg1_encoding() {
    let mut pt = Pt::new();
    // TG1 = 0b10 is 4KB (TG0 = 0b10 would be 16KB).
    let t1 = pt.tree(Granule::K4, 16);
    let cfg = el1(EPD0 | t1sz(16) | TG1_4K | IPS_48, 0, t1.root, M);
    let va = 0xffff_0000_1234_5000;
    pt.map(&t1, va, 3, 0x4_0000_3000 | NORMAL_WB_RW);
    let tr = go(&cfg, &pt, va + 0x7f).unwrap();
    assert_eq!((tr.pa, tr.level), (0x4_0000_307f, 3));
    // The lowest upper-range address is 2^64 - 2^(64-T1SZ).
    pt.map(&t1, 0xffff_0000_0000_0000, 3, 0x5000 | NORMAL_WB_RW);
    assert_eq!(go(&cfg, &pt, 0xffff_0000_0000_0010).unwrap().pa, 0x5010);

    // TG1 = 0b01 is 16KB.
    let t1 = pt.tree(Granule::K16, 17);
    let cfg = el1(EPD0 | t1sz(17) | TG1_16K | IPS_48, 0, t1.root, M);
    let va = 0xffff_8123_4567_8000;
    pt.map(&t1, va, 3, 0x7_0000_4000 | NORMAL_WB_RW);
    let tr = go(&cfg, &pt, va + 0x123).unwrap();
    assert_eq!((tr.pa, tr.page_size), (0x7_0000_4123, 16 << 10));

    // TG1 = 0b11 is 64KB.
    let t1 = pt.tree(Granule::K64, 22);
    let cfg = el1(EPD0 | t1sz(22) | TG1_64K | IPS_48, 0, t1.root, M);
    let va = 0xffff_fc12_3456_0000;
    pt.map(&t1, va, 3, 0x8_0001_0000 | NORMAL_WB_RW);
    let tr = go(&cfg, &pt, va + 0x1234).unwrap();
    assert_eq!((tr.pa, tr.page_size), (0x8_0001_1234, 64 << 10));
}

#[test]
fn ttbr0_and_ttbr1_with_different_granules() {
    let mut pt = Pt::new();
    let t0 = pt.tree(Granule::K64, 22);
    let t1 = pt.tree(Granule::K4, 25);
    let cfg = el1(
        t0sz(22) | TG0_64K | t1sz(25) | TG1_4K | IPS_48,
        t0.root,
        t1.root,
        M,
    );
    pt.map(&t0, 0x10000, 3, 0xa000_0000 | NORMAL_WB_RW);
    pt.map(&t1, 0xffff_ff80_0000_1000, 3, 0xb000_1000 | NORMAL_WB_RW);
    assert_eq!(go(&cfg, &pt, 0x10010).unwrap().pa, 0xa000_0010);
    assert_eq!(
        go(&cfg, &pt, 0xffff_ff80_0000_1010).unwrap().pa,
        0xb000_1010
    );
}

#[test]
fn tbi_ignores_the_top_byte() {
    let mut pt = Pt::new();
    let t0 = pt.tree(Granule::K4, 16);
    let t1 = pt.tree(Granule::K4, 16);
    pt.map(&t0, 0x0000_1234_5678_9000, 3, 0x8000_9000 | NORMAL_WB_RW);
    pt.map(&t1, 0xffff_0000_1234_5000, 3, 0x8000_5000 | NORMAL_WB_RW);
    let tcr = t0sz(16) | TG0_4K | t1sz(16) | TG1_4K | IPS_48;

    let cfg = el1(tcr | TBI0 | TBI1, t0.root, t1.root, M);
    assert_eq!(
        go(&cfg, &pt, 0xab00_1234_5678_9008).unwrap().pa,
        0x8000_9008
    );
    // VA[55] == 1 selects TTBR1 whatever the top byte holds.
    assert_eq!(
        go(&cfg, &pt, 0x5aff_0000_1234_5008).unwrap().pa,
        0x8000_5008
    );
    assert_eq!(cfg.strip_tag(0xab00_1234_5678_9008), 0x0000_1234_5678_9008);
    assert_eq!(cfg.strip_tag(0x5aff_0000_1234_5008), 0xffff_0000_1234_5008);

    // Without TBI the tagged addresses are outside both VA ranges: level 0 Translation.
    let cfg = el1(tcr, t0.root, t1.root, M);
    let tf0 = Err(fault(FaultKind::Translation, 0));
    assert_eq!(go(&cfg, &pt, 0xab00_1234_5678_9008), tf0);
    assert_eq!(go(&cfg, &pt, 0x5aff_0000_1234_5008), tf0);
    assert_eq!(cfg.strip_tag(0xab00_1234_5678_9008), 0xab00_1234_5678_9008);

    // TBI0 alone does not cover the upper range.
    let cfg = el1(tcr | TBI0, t0.root, t1.root, M);
    assert_eq!(go(&cfg, &pt, 0x5aff_0000_1234_5008), tf0);
}

#[test]
fn addresses_outside_both_ranges_are_level0_translation_faults() {
    let mut pt = Pt::new();
    let t0 = pt.tree(Granule::K4, 25);
    let t1 = pt.tree(Granule::K4, 16);
    let cfg = el1(
        t0sz(25) | TG0_4K | t1sz(16) | TG1_4K | IPS_48,
        t0.root,
        t1.root,
        M,
    );
    let tf0 = Err(fault(FaultKind::Translation, 0));
    // Lower range is 0 .. 2^39 - 1.
    assert_eq!(go(&cfg, &pt, 0x0000_0080_0000_0000), tf0);
    // Upper range is 2^64 - 2^48 ..: VA[48] == 0 with VA[55] == 1 is in neither.
    assert_eq!(go(&cfg, &pt, 0xfffe_ffff_ffff_f000), tf0);
    assert_eq!(fault(FaultKind::Translation, 0).fsc(), 0b00_0100);
}

#[test]
fn epd_disables_walks_without_reading_memory() {
    struct Counting<'a>(&'a GuestRam, usize);
    impl WalkMem for Counting<'_> {
        fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
            self.1 += 1;
            let mut r = self.0;
            r.read_desc(addr)
        }
        fn cas_desc(&mut self, a: u64, o: u64, n: u64) -> Result<bool, WalkMemError> {
            let mut r = self.0;
            r.cas_desc(a, o, n)
        }
    }
    let mut pt = Pt::new();
    let t0 = pt.tree(Granule::K4, 16);
    pt.map(&t0, 0x1000, 3, 0x8000_1000 | NORMAL_WB_RW);
    let tcr = t0sz(16) | TG0_4K | t1sz(16) | TG1_4K | IPS_48;
    let mut mem = Counting(&pt.ram, 0);

    let cfg = el1(tcr | EPD0, t0.root, t0.root, M);
    assert_eq!(
        walk(&cfg, &mut mem, 0x1000),
        Err(fault(FaultKind::Translation, 0))
    );
    assert_eq!(mem.1, 0);
    // EPD1 only affects TTBR1.
    let cfg = el1(tcr | EPD1, t0.root, t0.root, M);
    assert_eq!(walk(&cfg, &mut mem, 0x1000).unwrap().pa, 0x8000_1000);
    assert_eq!(mem.1, 4);
    assert_eq!(
        walk(&cfg, &mut mem, 0xffff_0000_0000_1000),
        Err(fault(FaultKind::Translation, 0))
    );
    assert_eq!(mem.1, 4);
}

#[test]
fn txsz_out_of_range_is_a_level0_translation_fault() {
    let mut pt = Pt::new();
    let t0 = pt.tree(Granule::K4, 16);
    pt.map(&t0, 0x1000, 3, 0x8000_1000 | NORMAL_WB_RW);
    for bad in [0u64, 12, 15, 40, 48, 63] {
        let cfg = el1(t0sz(bad) | TG0_4K | IPS_48 | EPD1, t0.root, 0, M);
        assert!(!cfg.range(0).txsz_valid);
        assert_eq!(
            go(&cfg, &pt, 0x1000),
            Err(fault(FaultKind::Translation, 0)),
            "T0SZ {bad}"
        );
    }
}

#[test]
fn reserved_tg_values_select_4k() {
    assert_eq!(Granule::from_tg0(0b11), Granule::K4);
    assert_eq!(Granule::from_tg1(0b00), Granule::K4);
    let mut pt = Pt::new();
    let t0 = pt.tree(Granule::K4, 16);
    pt.map(&t0, 0x1000, 3, 0x8000_1000 | NORMAL_WB_RW);
    let cfg = el1(t0sz(16) | (0b11 << 14) | IPS_48 | EPD1, t0.root, 0, M);
    assert_eq!(go(&cfg, &pt, 0x1000).unwrap().pa, 0x8000_1000);
}

// ------------------------------------------------------------------------------------------
// Faults

#[test]
fn invalid_and_reserved_descriptors_fault_at_their_level() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 25);
    let cfg = el1(t0sz(25) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    // Empty level 1 table.
    let f = go(&cfg, &pt, 0x4000_0000).unwrap_err();
    assert_eq!((f, f.fsc()), (fault(FaultKind::Translation, 1), 0b00_0101));
    // Invalid level 2 descriptor (bit 0 clear, everything else set).
    pt.map(&t, 0x4000_0000, 2, !VALID);
    let f = go(&cfg, &pt, 0x4000_0000).unwrap_err();
    assert_eq!((f, f.fsc()), (fault(FaultKind::Translation, 2), 0b00_0110));
    // Level 3 with bits[1:0] == 0b01 is reserved (Table D8-48).
    pt.map(&t, 0x8000_0000, 3, 0x9000_0000 | BLOCK | AF);
    let f = go(&cfg, &pt, 0x8000_0000).unwrap_err();
    assert_eq!((f, f.fsc()), (fault(FaultKind::Translation, 3), 0b00_0111));
}

#[test]
fn access_flag_fault_without_hardware_update() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    pt.map(&t, 0x1000, 3, 0x8000_1000 | PAGE);
    pt.map(&t, 0x4000_0000, 2, 0x8020_0000 | BLOCK);
    // HA set but FEAT_HAFDBS not advertised: TCR.HA is RES0, software-managed AF.
    let tcr = t0sz(16) | TG0_4K | IPS_48 | EPD1 | HA;
    let f = Features {
        hafdbs: false,
        ..Features::all()
    };
    let cfg = Stage1Config::el10(tcr, t.root, 0, M, MAIR, 48, f);
    let e = go(&cfg, &pt, 0x1000).unwrap_err();
    assert_eq!((e, e.fsc()), (fault(FaultKind::AccessFlag, 3), 0b00_1011));
    let e = go(&cfg, &pt, 0x4000_0000).unwrap_err();
    assert_eq!((e, e.fsc()), (fault(FaultKind::AccessFlag, 2), 0b00_1010));
    // FEAT_HAFDBS advertised but TCR.HA clear: still a fault.
    let cfg = el1(tcr & !HA, t.root, 0, M);
    assert_eq!(go(&cfg, &pt, 0x1000), Err(fault(FaultKind::AccessFlag, 3)));
}

#[test]
fn hardware_access_flag_update() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let a = pt.map(&t, 0x1000, 3, 0x8000_1000 | PAGE);
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1 | HA, t.root, 0, M);
    let tr = go(&cfg, &pt, 0x1000).unwrap();
    assert_eq!(tr.pa, 0x8000_1000);
    assert_eq!(pt.rd(a), 0x8000_1000 | PAGE | AF);
    // A descriptor already holding AF is not written.
    assert_eq!(go(&cfg, &pt, 0x1000).unwrap(), tr);
}

#[test]
fn hardware_access_flag_update_races() {
    /// Fails `fails` CASes; on each failure another agent sets AF itself if `helpful`.
    struct Racy<'a> {
        ram: &'a GuestRam,
        fails: usize,
        helpful: bool,
        cas_calls: usize,
    }
    impl WalkMem for Racy<'_> {
        fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
            let mut r = self.ram;
            r.read_desc(addr)
        }
        fn cas_desc(&mut self, a: u64, o: u64, n: u64) -> Result<bool, WalkMemError> {
            self.cas_calls += 1;
            if self.fails > 0 {
                self.fails -= 1;
                if self.helpful {
                    let mut r = self.ram;
                    assert!(r.cas_desc(a, o, n)?);
                }
                return Ok(false);
            }
            let mut r = self.ram;
            r.cas_desc(a, o, n)
        }
    }
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1 | HA, t.root, 0, M);

    // Someone else set AF between our read and our CAS: the rewalk sees AF == 1.
    pt.map(&t, 0x1000, 3, 0x8000_1000 | PAGE);
    let mut m = Racy {
        ram: &pt.ram,
        fails: 1,
        helpful: true,
        cas_calls: 0,
    };
    assert_eq!(walk(&cfg, &mut m, 0x1000).unwrap().pa, 0x8000_1000);
    assert_eq!(m.cas_calls, 1);

    // A CAS that always loses gives up with an Access flag fault.
    pt.map(&t, 0x2000, 3, 0x8000_2000 | PAGE);
    let mut m = Racy {
        ram: &pt.ram,
        fails: usize::MAX,
        helpful: false,
        cas_calls: 0,
    };
    assert_eq!(
        walk(&cfg, &mut m, 0x2000),
        Err(fault(FaultKind::AccessFlag, 3))
    );
    assert_eq!(m.cas_calls, HW_UPDATE_RETRIES);
}

#[test]
fn address_size_faults() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 25);
    // IPS 0b000: 32-bit OA (Table D8-6).
    let tcr = t0sz(25) | TG0_4K | ips(0) | EPD1;
    let cfg = el1(tcr, t.root, 0, M);
    assert_eq!(cfg.oa_bits(), 32);

    // Output address at 4GB.
    pt.map(&t, 0x1000, 3, 0x1_0000_0000 | NORMAL_WB_RW);
    let f = go(&cfg, &pt, 0x1000).unwrap_err();
    assert_eq!((f, f.fsc()), (fault(FaultKind::AddressSize, 3), 0b00_0011));
    // ... takes priority over the Access flag fault of the same descriptor.
    pt.map(&t, 0x2000, 3, 0x1_0000_2000 | PAGE);
    assert_eq!(go(&cfg, &pt, 0x2000), Err(fault(FaultKind::AddressSize, 3)));
    // Just below 4GB is fine.
    pt.map(&t, 0x3000, 3, 0xffff_f000 | NORMAL_WB_RW);
    assert_eq!(go(&cfg, &pt, 0x3fff).unwrap().pa, 0xffff_ffff);

    // Next-level table address at 4GB: fault at the level of the Table descriptor.
    pt.map(&t, 0x4000_0000, 1, 0x1_0000_0000 | TABLE);
    let f = go(&cfg, &pt, 0x4000_0000).unwrap_err();
    assert_eq!((f, f.fsc()), (fault(FaultKind::AddressSize, 1), 0b00_0001));

    // TTBR above the OA size: level 0 even though the walk starts at level 1 (D8.2.3).
    let cfg = el1(tcr, 0x1_0000_0000 | t.root, 0, M);
    let f = go(&cfg, &pt, 0x3000).unwrap_err();
    assert_eq!((f, f.fsc()), (fault(FaultKind::AddressSize, 0), 0b00_0000));
}

#[test]
fn ips_is_capped_by_the_implemented_pa_size() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 25);
    pt.map(&t, 0x1000, 3, 0x100_0000_0000 | NORMAL_WB_RW);
    let tcr = t0sz(25) | TG0_4K | IPS_48 | EPD1;
    // PARange 40 bits: IPS 48 is treated as 40 (R CLPQT).
    let cfg = Stage1Config::el10(tcr, t.root, 0, M, MAIR, 40, Features::all());
    assert_eq!(cfg.oa_bits(), 40);
    assert_eq!(go(&cfg, &pt, 0x1000), Err(fault(FaultKind::AddressSize, 3)));
    let cfg = Stage1Config::el10(tcr, t.root, 0, M, MAIR, 48, Features::all());
    assert_eq!(go(&cfg, &pt, 0x1000).unwrap().pa, 0x100_0000_0000);
    // IPS 52/56 with a 52-bit PARange is still limited to 48 bits without LPA/DS.
    let cfg = Stage1Config::el10(
        t0sz(25) | TG0_4K | ips(0b110) | EPD1,
        t.root,
        0,
        M,
        MAIR,
        52,
        Features::all(),
    );
    assert_eq!(cfg.oa_bits(), 48);
}

#[test]
fn external_abort_on_walk() {
    let mut pt = Pt::new();
    // TTBR outside RAM: the first read aborts, at the start level.
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1, 0x1000, 0, M);
    let f = go(&cfg, &pt, 0x1000).unwrap_err();
    assert_eq!(
        (f, f.fsc()),
        (fault(FaultKind::SyncExternalOnWalk, 0), 0b01_0100)
    );
    // A level 1 Table descriptor pointing outside RAM: the level 2 read aborts.
    let t = pt.tree(Granule::K4, 25);
    pt.map(&t, 0, 1, 0x8000_0000 | TABLE);
    let cfg = el1(t0sz(25) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    let f = go(&cfg, &pt, 0x1000).unwrap_err();
    assert_eq!(
        (f, f.fsc()),
        (fault(FaultKind::SyncExternalOnWalk, 2), 0b01_0110)
    );
}

#[test]
fn stage2_faults_from_walk_memory_pass_through() {
    struct S2Fault;
    impl WalkMem for S2Fault {
        fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
            Err(WalkMemError::Fault(Fault {
                kind: FaultKind::Translation,
                level: 2,
                stage: 2,
                s1ptw: true,
                ipa: Some(addr),
            }))
        }
        fn cas_desc(&mut self, _: u64, _: u64, _: u64) -> Result<bool, WalkMemError> {
            unreachable!()
        }
    }
    let cfg = el1(t0sz(25) | TG0_4K | IPS_48 | EPD1, 0x5000_0000, 0, M);
    let f = walk(&cfg, &mut S2Fault, 0x4000_1000).unwrap_err();
    assert_eq!(
        f,
        Fault {
            kind: FaultKind::Translation,
            level: 2,
            stage: 2,
            s1ptw: true,
            ipa: Some(0x5000_0008),
        }
    );
    assert_eq!(f.fsc(), 0b00_0110);
}

#[test]
fn fault_status_codes() {
    // ESR_ELx DFSC/IFSC (and TRBSR_EL1 FSC) tables.
    let kinds = [
        (FaultKind::AddressSize, 0b00_0000),
        (FaultKind::Translation, 0b00_0100),
        (FaultKind::AccessFlag, 0b00_1000),
        (FaultKind::Permission, 0b00_1100),
        (FaultKind::SyncExternalOnWalk, 0b01_0100),
    ];
    for (kind, base) in kinds {
        for level in 0..=3 {
            assert_eq!(fault(kind, level).fsc(), base + level as u32);
        }
    }
    assert_eq!(fault(FaultKind::AddressSize, -1).fsc(), 0b10_1001);
    assert_eq!(fault(FaultKind::Translation, -1).fsc(), 0b10_1011);
    assert_eq!(fault(FaultKind::SyncExternalOnWalk, -1).fsc(), 0b01_0011);
}

// ------------------------------------------------------------------------------------------
// Permissions

/// Parse a permission list as written in Tables D8-65/66 ("PR PW PX UR UW UX").
fn perms_of(s: &str) -> (Rwx, Rwx) {
    let has = |t: &str| s.split_whitespace().any(|w| w == t);
    (
        Rwx {
            r: has("UR"),
            w: has("UW"),
            x: has("UX"),
        },
        Rwx {
            r: has("PR"),
            w: has("PW"),
            x: has("PX"),
        },
    )
}

#[test]
fn direct_permissions_two_levels_table_d8_65() {
    // UXN, PXN, AP[2:1], WXN (None = either), permissions. PrivWXN / UnprivWXN mean the
    // corresponding Execute is not granted.
    let rows: &[(u64, u64, u64, Option<bool>, &str)] = &[
        (0, 0, 0b00, Some(false), "PR PW PX UX"),
        (0, 0, 0b00, Some(true), "PR PW UX"),
        (0, 0, 0b01, Some(false), "PR PW UR UW UX"),
        (0, 0, 0b01, Some(true), "PR PW UR UW"),
        (0, 0, 0b10, None, "PR PX UX"),
        (0, 0, 0b11, None, "PR PX UR UX"),
        (0, 1, 0b00, None, "PR PW UX"),
        (0, 1, 0b01, Some(false), "PR PW UR UW UX"),
        (0, 1, 0b01, Some(true), "PR PW UR UW"),
        (0, 1, 0b10, None, "PR UX"),
        (0, 1, 0b11, None, "PR UR UX"),
        (1, 0, 0b00, Some(false), "PR PW PX"),
        (1, 0, 0b00, Some(true), "PR PW"),
        (1, 0, 0b01, None, "PR PW UR UW"),
        (1, 0, 0b10, None, "PR PX"),
        (1, 0, 0b11, None, "PR PX UR"),
        (1, 1, 0b00, None, "PR PW"),
        (1, 1, 0b01, None, "PR PW UR UW"),
        (1, 1, 0b10, None, "PR"),
        (1, 1, 0b11, None, "PR UR"),
    ];
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let tcr = t0sz(16) | TG0_4K | IPS_48 | EPD1;
    for &(uxn, pxn, apv, wxn, expect) in rows {
        let desc = 0x8000_0000 | PAGE | AF | ap(apv) | (uxn * UXN) | (pxn * PXN);
        pt.map(&t, 0x1000, 3, desc);
        for w in [false, true] {
            if wxn.is_some_and(|x| x != w) {
                continue;
            }
            let cfg = el1(tcr, t.root, 0, M | if w { WXN } else { 0 });
            let p = go(&cfg, &pt, 0x1000).unwrap().perms;
            assert_eq!(
                (p.unpriv, p.privileged),
                perms_of(expect),
                "UXN {uxn} PXN {pxn} AP {apv:02b} WXN {w}"
            );
        }
    }
}

fn el2_cfg(tcr: u64, ttbr0: u64, sctlr: u64) -> Stage1Config {
    Stage1Config::el2(tcr, ttbr0, sctlr, MAIR, 48, Features::all())
}

// TCR_EL2 (E2H == 0) fields (D24.2.195): RES1 bits 31 and 23.
const TCR2_RES1: u64 = (1 << 31) | (1 << 23);
const fn ps(n: u64) -> u64 {
    n << 16
}
const TBI_EL2: u64 = 1 << 20;
const HA_EL2: u64 = 1 << 21;
const HPD_EL2: u64 = 1 << 24;

#[test]
fn direct_permissions_one_level_table_d8_66() {
    // XN, AP[2], WXN, permissions. AP[1] (RES1) is ignored: both values give the same.
    let rows: &[(u64, u64, Option<bool>, &str)] = &[
        (0, 0, Some(false), "PR PW PX"),
        (0, 0, Some(true), "PR PW"),
        (0, 1, None, "PR PX"),
        (1, 0, None, "PR PW"),
        (1, 1, None, "PR"),
    ];
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 25);
    let tcr = TCR2_RES1 | t0sz(25) | TG0_4K | ps(0b101);
    for &(xn, ap2, wxn, expect) in rows {
        for ap1 in [0, 1] {
            let desc = 0x8000_0000 | PAGE | AF | ap((ap2 << 1) | ap1) | (xn * XN);
            pt.map(&t, 0x1000, 3, desc);
            for w in [false, true] {
                if wxn.is_some_and(|x| x != w) {
                    continue;
                }
                let cfg = el2_cfg(tcr, t.root, M | if w { WXN } else { 0 });
                let p = go(&cfg, &pt, 0x1000).unwrap().perms;
                assert_eq!(
                    (p.unpriv, p.privileged),
                    perms_of(expect),
                    "XN {xn} AP[2] {ap2} AP[1] {ap1} WXN {w}"
                );
                assert!(!p.two_levels);
            }
        }
    }
}

#[test]
fn hierarchical_permissions() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let tcr = t0sz(16) | TG0_4K | IPS_48 | EPD1;
    let cfg = el1(tcr, t.root, 0, M);
    let all = "PR PW UR UW UX"; // AP 01, UXN 0, PXN 0 (PX removed by UnprivWrite)
    let va = 0x0000_0080_4020_3000;
    let perms = |pt: &Pt, cfg: &Stage1Config| {
        let p = go(cfg, pt, va).unwrap().perms;
        (p.unpriv, p.privileged)
    };

    pt.map(&t, va, 3, 0x8000_0000 | PAGE | AF | ap(0b01));
    assert_eq!(perms(&pt, &cfg), perms_of(all));

    // Table D8-64 for each APTable value, applied at level 1.
    // AP[2:1] = 01 becomes 00, 11 and 10 respectively; with UnprivWrite gone, PrivExecute
    // is no longer removed (R VWLLR).
    let cases = [
        (0b01, "PR PW PX UX"),
        (0b10, "PR PX UR UX"),
        (0b11, "PR PX UX"),
    ];
    for (apt, expect) in cases {
        let mut pt = Pt::new();
        let t = pt.tree(Granule::K4, 16);
        let cfg = el1(tcr, t.root, 0, M);
        pt.map(&t, va, 3, 0x8000_0000 | PAGE | AF | ap(0b01));
        pt.table_bits(&t, va, 1, ap_table(apt));
        assert_eq!(perms(&pt, &cfg), perms_of(expect), "APTable {apt:02b}");
    }

    // UXNTable at level 0 and PXNTable at level 2 combine.
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let cfg = el1(tcr, t.root, 0, M);
    pt.map(&t, va, 3, 0x8000_0000 | PAGE | AF | ap(0b10));
    assert_eq!(perms(&pt, &cfg), perms_of("PR PX UX"));
    pt.table_bits(&t, va, 0, UXN_TABLE);
    assert_eq!(perms(&pt, &cfg), perms_of("PR PX"));
    pt.table_bits(&t, va, 2, PXN_TABLE);
    assert_eq!(perms(&pt, &cfg), perms_of("PR"));

    // TCR.HPD0 with FEAT_HPDS: all hierarchical controls ignored.
    let p = perms(&pt, &el1(tcr | HPD0, t.root, 0, M));
    assert_eq!(p, perms_of("PR PX UX"));
    // Without FEAT_HPDS, HPD0 is RES0 and has no effect.
    let f = Features {
        hpds: false,
        ..Features::all()
    };
    let cfg = Stage1Config::el10(tcr | HPD0, t.root, 0, M, MAIR, 48, f);
    assert_eq!(perms(&pt, &cfg), perms_of("PR"));
}

#[test]
fn el2_regime_hierarchical_permissions() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 25);
    let tcr = TCR2_RES1 | t0sz(25) | TG0_4K | ps(0b101);
    let cfg = el2_cfg(tcr, t.root, M);
    let va = 0x4020_3000;
    pt.map(&t, va, 3, 0x8000_0000 | PAGE | AF | ap(0b01));
    let privs = |pt: &Pt, cfg: &Stage1Config| go(cfg, pt, va).unwrap().perms.privileged;
    assert_eq!(privs(&pt, &cfg), perms_of("PR PW PX").1);
    // APTable[0] and bit 59 are RES0 in a one-privilege-level regime: ignored.
    pt.table_bits(&t, va, 1, ap_table(0b01) | PXN_TABLE);
    assert_eq!(privs(&pt, &cfg), perms_of("PR PW PX").1);
    // APTable[1] removes write; bit 60 is XNTable.
    pt.table_bits(&t, va, 2, ap_table(0b10));
    assert_eq!(privs(&pt, &cfg), perms_of("PR PX").1);
    pt.table_bits(&t, va, 1, UXN_TABLE);
    assert_eq!(privs(&pt, &cfg), perms_of("PR").1);
    // TCR_EL2.HPD (bit 24) disables them.
    let cfg = el2_cfg(tcr | HPD_EL2, t.root, M);
    assert_eq!(privs(&pt, &cfg), perms_of("PR PW PX").1);
}

#[test]
fn pan_unprivileged_and_exec_checks() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    let user_rw = 0x1000;
    let user_ro = 0x2000;
    let kernel = 0x3000;
    let user_x_only = 0x4000;
    pt.map(&t, user_rw, 3, 0x8000_1000 | PAGE | AF | ap(0b01) | UXN);
    pt.map(
        &t,
        user_ro,
        3,
        0x8000_2000 | PAGE | AF | ap(0b11) | UXN | PXN,
    );
    pt.map(&t, kernel, 3, 0x8000_3000 | PAGE | AF | ap(0b00) | UXN);
    pt.map(&t, user_x_only, 3, 0x8000_4000 | PAGE | AF | ap(0b00) | PXN);
    let tr = |va| go(&cfg, &pt, va).unwrap();
    use AccessKind::{Exec, Read, Write};
    let perm3 = Err(fault(FaultKind::Permission, 3));

    // PAN: EL1 data access to EL0-accessible data faults (R XTSQH) ...
    assert_eq!(tr(user_rw).check(Read, 1, false, false), Ok(()));
    assert_eq!(tr(user_rw).check(Read, 1, false, true), perm3);
    assert_eq!(tr(user_rw).check(Write, 1, false, true), perm3);
    assert_eq!(tr(user_ro).check(Read, 1, false, true), perm3);
    // ... but not to kernel-only data, nor to memory EL0 may only execute (no FEAT_PAN3).
    assert_eq!(tr(kernel).check(Write, 1, false, true), Ok(()));
    assert_eq!(tr(user_x_only).check(Read, 1, false, true), Ok(()));
    // LDTR/STTR at EL1 are checked as EL0, and PAN does not affect them.
    assert_eq!(tr(user_rw).check(Write, 1, true, true), Ok(()));
    assert_eq!(tr(kernel).check(Read, 1, true, false), perm3);
    assert_eq!(tr(user_ro).check(Write, 1, true, false), perm3);
    // EL0.
    assert_eq!(tr(user_ro).check(Read, 0, false, false), Ok(()));
    assert_eq!(tr(user_ro).check(Write, 0, false, false), perm3);
    assert_eq!(tr(kernel).check(Read, 0, false, false), perm3);
    assert_eq!(tr(user_x_only).check(Exec, 0, false, false), Ok(()));
    assert_eq!(tr(user_x_only).check(Read, 0, false, false), perm3);
    // Execute: EL1 cannot execute EL0-writable memory (R VWLLR), PXN/UXN, PAN irrelevant.
    assert_eq!(tr(user_rw).check(Exec, 1, false, false), perm3);
    assert_eq!(tr(user_rw).check(Exec, 0, false, false), perm3); // UXN
    assert_eq!(tr(kernel).check(Exec, 1, false, true), Ok(()));
    assert_eq!(tr(kernel).check(Exec, 0, false, false), perm3);
    assert_eq!(tr(user_x_only).check(Exec, 1, false, false), perm3); // PXN
    assert_eq!(fault(FaultKind::Permission, 3).fsc(), 0b00_1111);
    // The free function gives the kind alone.
    assert_eq!(
        check(&tr(user_rw).perms, Read, 1, false, true),
        Err(FaultKind::Permission)
    );

    // WXN: EL0-writable memory is not EL0-executable; kernel-writable not EL1-executable.
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1, t.root, 0, M | WXN);
    pt.map(&t, 0x5000, 3, 0x8000_5000 | PAGE | AF | ap(0b01));
    let t5 = go(&cfg, &pt, 0x5000).unwrap();
    assert_eq!(t5.check(Exec, 0, false, false), perm3);
    let t3 = go(&cfg, &pt, kernel).unwrap();
    assert_eq!(t3.check(Exec, 1, false, false), perm3);
}

#[test]
fn permission_fault_reported_at_block_level() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    pt.map(&t, 0x4000_0000, 1, 0x8000_0000 | BLOCK | AF | ap(0b10));
    let f = go(&cfg, &pt, 0x4000_0000)
        .unwrap()
        .check(AccessKind::Write, 1, false, false)
        .unwrap_err();
    assert_eq!((f, f.fsc()), (fault(FaultKind::Permission, 1), 0b00_1101));
}

#[test]
fn el2_regime_layout() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K64, 22);
    // TG0 64KB, PS 0b010 (40 bits) at [18:16].
    let tcr = TCR2_RES1 | t0sz(22) | TG0_64K | ps(0b010);
    let cfg = el2_cfg(tcr, t.root, M);
    assert_eq!(
        (cfg.regime(), cfg.oa_bits(), cfg.asid()),
        (Regime::El2, 40, None)
    );
    pt.map(&t, 0x10000, 3, 0xff_0000_0000 | PAGE | AF | NG);
    pt.map(&t, 0x20000, 3, 0x100_0000_0000 | PAGE | AF);
    let tr = go(&cfg, &pt, 0x10008).unwrap();
    assert_eq!((tr.pa, tr.ng, tr.asid), (0xff_0000_0008, false, None));
    assert_eq!(
        go(&cfg, &pt, 0x20000),
        Err(fault(FaultKind::AddressSize, 3))
    );
    // Single range: VA[55] == 1 is simply out of range.
    let tf0 = Err(fault(FaultKind::Translation, 0));
    assert_eq!(go(&cfg, &pt, 0x0080_0000_0001_0000), tf0);
    // TBI at bit 20.
    assert_eq!(go(&cfg, &pt, 0xab00_0000_0001_0000), tf0);
    let cfg = el2_cfg(tcr | TBI_EL2, t.root, M);
    assert_eq!(
        go(&cfg, &pt, 0xab00_0000_0001_0000).unwrap().pa,
        0xff_0000_0000
    );
    assert_eq!(cfg.strip_tag(0xab00_0000_0001_0000), 0x1_0000);
    // HA at bit 21.
    let a = pt.map(&t, 0x30000, 3, 0x3_0000 | PAGE);
    assert_eq!(go(&cfg, &pt, 0x30000), Err(fault(FaultKind::AccessFlag, 3)));
    let cfg = el2_cfg(tcr | HA_EL2, t.root, M);
    assert!(go(&cfg, &pt, 0x30000).is_ok());
    assert_eq!(pt.rd(a) & AF, AF);
    // LDTR at EL2 (E2H == 0) behaves as a privileged access; EL0 gets nothing.
    let tr = go(&cfg, &pt, 0x30000).unwrap();
    assert_eq!(tr.check(AccessKind::Write, 2, true, true), Ok(()));
    assert!(tr.check(AccessKind::Read, 0, false, false).is_err());
}

#[test]
fn el20_regime_uses_the_el1_layout() {
    let mut pt = Pt::new();
    let t1 = pt.tree(Granule::K4, 16);
    let tcr = EPD0 | t1sz(16) | TG1_4K | IPS_48 | A1 | AS;
    let cfg = Stage1Config::el20(tcr, 0, 0xbeef << 48 | t1.root, M, MAIR, 48, Features::all());
    assert_eq!(cfg.regime(), Regime::El20);
    assert_eq!(cfg.asid(), Some(0xbeef));
    pt.map(
        &t1,
        0xffff_0000_0000_0000,
        3,
        0x6000 | NORMAL_WB_RW | ap(0b01) | NG,
    );
    let tr = go(&cfg, &pt, 0xffff_0000_0000_0000).unwrap();
    assert_eq!((tr.pa, tr.ng, tr.asid), (0x6000, true, Some(0xbeef)));
    // PAN applies to EL2 in the EL2&0 regime.
    assert!(tr.check(AccessKind::Read, 2, false, true).is_err());
}

#[test]
fn asid_and_ng() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    pt.map(&t, 0x1000, 3, 0x8000_1000 | NORMAL_WB_RW | NG);
    pt.map(&t, 0x2000, 3, 0x8000_2000 | NORMAL_WB_RW);
    let base = t0sz(16) | TG0_4K | IPS_48 | EPD1;
    let ttbr0 = 0x1234 << 48 | t.root;
    let ttbr1 = 0xabcd << 48;
    // A1 = 0: TTBR0's ASID; AS = 0: 8 bits.
    assert_eq!(el1(base, ttbr0, ttbr1, M).asid(), Some(0x34));
    assert_eq!(el1(base | AS, ttbr0, ttbr1, M).asid(), Some(0x1234));
    assert_eq!(el1(base | AS | A1, ttbr0, ttbr1, M).asid(), Some(0xabcd));
    // 16-bit ASIDs not implemented: AS is RES0.
    let f = Features {
        asid16: false,
        ..Features::all()
    };
    let cfg = Stage1Config::el10(base | AS | A1, ttbr0, ttbr1, M, MAIR, 48, f);
    assert_eq!(cfg.asid(), Some(0xcd));
    // The ASID bits of TTBR0 are not part of the table address.
    let cfg = el1(base | AS, ttbr0, ttbr1, M);
    let tr = go(&cfg, &pt, 0x1000).unwrap();
    assert_eq!((tr.pa, tr.ng, tr.asid), (0x8000_1000, true, Some(0x1234)));
    assert!(!go(&cfg, &pt, 0x2000).unwrap().ng);
}

#[test]
fn memory_attributes_from_mair() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    let cfg = el1(t0sz(16) | TG0_4K | IPS_48 | EPD1, t.root, 0, M);
    let wb = Cacheability::WriteBack {
        transient: false,
        read_alloc: true,
        write_alloc: true,
    };
    let wt_ra = Cacheability::WriteThrough {
        transient: false,
        read_alloc: true,
        write_alloc: false,
    };
    let nc = Cacheability::NonCacheable;
    let normal = |inner, outer| MemType::Normal { inner, outer };
    use Shareability::*;
    let cases = [
        (0, 0b11, normal(wb, wb), InnerShareable, false),
        (0, 0b10, normal(wb, wb), OuterShareable, false),
        (0, 0b00, normal(wb, wb), NonShareable, false),
        (
            1,
            0b11,
            MemType::Device(DeviceType::NGnRnE),
            OuterShareable,
            false,
        ),
        (2, 0b11, normal(nc, nc), OuterShareable, false),
        (
            3,
            0b00,
            MemType::Device(DeviceType::NGnRE),
            OuterShareable,
            false,
        ),
        (
            4,
            0b00,
            MemType::Device(DeviceType::GRE),
            OuterShareable,
            false,
        ),
        (
            5,
            0b00,
            MemType::Device(DeviceType::NGRE),
            OuterShareable,
            false,
        ),
        (6, 0b11, normal(wt_ra, wt_ra), InnerShareable, false),
        (7, 0b11, normal(wb, wb), InnerShareable, true),
    ];
    for (i, (idx, shv, ty, share, tagged)) in cases.into_iter().enumerate() {
        let va = 0x10_0000 + i as u64 * 0x1000;
        pt.map(&t, va, 3, 0x8000_0000 | PAGE | AF | attr(idx) | sh(shv));
        let a = go(&cfg, &pt, va).unwrap().attrs;
        assert_eq!(
            a,
            MemAttrs {
                mem_type: ty,
                shareability: share,
                tagged
            },
            "AttrIndx {idx}"
        );
        assert_eq!(a.is_device(), matches!(ty, MemType::Device(_)));
    }
    // Transient and mixed encodings: 0x1b = Outer WT transient W, Inner WT non-transient.
    let a = MemAttrs::from_mair(0x1b, 0b11);
    assert_eq!(
        a.mem_type,
        normal(
            Cacheability::WriteThrough {
                transient: false,
                read_alloc: true,
                write_alloc: true
            },
            Cacheability::WriteThrough {
                transient: true,
                read_alloc: false,
                write_alloc: true
            },
        )
    );
    // 0x47: Outer NC, Inner WB transient RA WA: cacheable, so SH applies.
    let a = MemAttrs::from_mair(0x47, 0b10);
    assert_eq!(
        a.mem_type,
        normal(
            Cacheability::WriteBack {
                transient: true,
                read_alloc: true,
                write_alloc: true
            },
            nc
        )
    );
    assert_eq!(a.shareability, OuterShareable);
}

#[test]
fn big_endian_tables() {
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 25);
    let cfg = el1(t0sz(25) | TG0_4K | IPS_48 | EPD1 | HA, t.root, 0, M | EE);
    // Build a little-endian tree, then byte-swap every descriptor on the path.
    let va = 0x4020_3000;
    let leaf = pt.map(&t, va, 3, 0x8000_0000 | PAGE | ap(0b01));
    let l1 = pt.entry(&t, va, 1);
    let l2 = pt.entry(&t, va, 2);
    for a in [l1, l2, leaf] {
        let d = pt.rd(a);
        pt.wr(a, d.swap_bytes());
    }
    let tr = go(&cfg, &pt, va + 4).unwrap();
    assert_eq!(tr.pa, 0x8000_0004);
    // The hardware AF update was written big-endian too.
    assert_eq!(pt.rd(leaf).swap_bytes(), 0x8000_0000 | PAGE | ap(0b01) | AF);
}

#[test]
fn stage1_disabled_is_flat() {
    let pt = Pt::new();
    let tcr = t0sz(16) | TG0_4K | t1sz(16) | TG1_4K | IPS_48 | TBI0;
    let cfg = Stage1Config::el10(tcr, 0, 0, 0, MAIR, 40, Features::all());
    let tr = go(&cfg, &pt, 0x12_3456_789a).unwrap();
    assert_eq!(tr.pa, 0x12_3456_789a);
    assert!(tr.attrs.is_device());
    assert_eq!(tr.perms, Perms::ALL);
    assert_eq!(tr.check(AccessKind::Write, 1, false, true), Ok(()));
    // Beyond the implemented PA size: level 0 Address size fault (R VCDSW).
    assert_eq!(
        go(&cfg, &pt, 1 << 40),
        Err(fault(FaultKind::AddressSize, 0))
    );
    // TBI0: the tag is ignored; the upper range has no TBI here.
    assert_eq!(go(&cfg, &pt, 0x7f00_0000_0000_1000).unwrap().pa, 0x1000);
    assert!(go(&cfg, &pt, 0xff80_0000_0000_1000).is_err());
}

// ------------------------------------------------------------------------------------------
// Robustness: no register values or memory contents make the walker panic.

/// Walk memory answering every address with a pseudo-random descriptor (or an error).
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
            // Bias towards valid Table/Page descriptors so walks go deep.
            1..=20 => Ok((h & 0xffff_ffff_ffff_f000 & !(0xff << 48)) | 0b11 | (h & AF)),
            _ => Ok(h),
        }
    }

    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, WalkMemError> {
        let h = mix(addr ^ old ^ new ^ self.seed);
        match h % 3 {
            0 => Err(WalkMemError::External),
            1 => Ok(false),
            _ => Ok(true),
        }
    }
}

fn tcr_strategy() -> impl Strategy<Value = u64> {
    // Half the time force plausible TnSZ/IPS so walks get past the range checks.
    (any::<u64>(), any::<bool>(), 16u64..=39, 16u64..=39, 0u64..8).prop_map(
        |(raw, fix, a, b, p)| {
            if fix {
                (raw & !(0x3f | (0x3f << 16) | (0b111 << 32) | 0b111 << 16)) | a | b << 16 | p << 32
            } else {
                raw
            }
        },
    )
}

/// Shape a random VA so most walks get past the range checks: `mode` 0 keeps it, 1 puts it
/// in the TTBR0 range of `tcr`, 2 in the TTBR1 range (T1SZ of the TCR_EL1 layout).
fn shape_va(tcr: u64, raw: u64, mode: u8) -> u64 {
    let ia = |sz: u64| 64 - sz.clamp(16, 39);
    match mode {
        0 => raw,
        1 => raw & bits_mask(ia(tcr & 0x3f) as u32 - 1, 0),
        _ => raw | !bits_mask(ia((tcr >> 16) & 0x3f) as u32 - 1, 0),
    }
}

fn check_result(cfg: &Stage1Config, va: u64, r: Result<Translation, Fault>) {
    match r {
        Ok(t) => {
            assert!(
                [
                    1 << 12,
                    1 << 14,
                    1 << 16,
                    1 << 21,
                    1 << 25,
                    1 << 29,
                    1 << 30,
                    1 << 42
                ]
                .contains(&t.page_size),
                "page size {:#x}",
                t.page_size
            );
            assert_eq!(t.pa & (t.page_size - 1), va & (t.page_size - 1));
            assert!(t.pa < 1 << 52);
            assert!((0..=3).contains(&t.level));
            if cfg.enabled() {
                assert!(t.pa >> cfg.oa_bits() == 0);
            }
            for access in [AccessKind::Read, AccessKind::Write, AccessKind::Exec] {
                for el in 0..=3 {
                    for unpriv in [false, true] {
                        for pan in [false, true] {
                            let _ = t.check(access, el, unpriv, pan);
                        }
                    }
                }
            }
        }
        Err(f) => {
            assert!((0..=3).contains(&f.level));
            assert_eq!(f.stage, 1);
            assert!(!f.s1ptw);
            let code = f.fsc();
            assert!(
                code < 0x18 && code & 0b11_1100 != 0b01_0000,
                "fsc {code:#x}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn never_panics_on_noise(
        tcr in tcr_strategy(),
        ttbr0 in any::<u64>(),
        ttbr1 in any::<u64>(),
        sctlr in any::<u64>(),
        mair in any::<u64>(),
        parange in any::<u8>(),
        hpds in any::<bool>(),
        hafdbs in any::<bool>(),
        asid16 in any::<bool>(),
        el2 in 0u8..3,
        va in any::<u64>(),
        va_mode in 0u8..3,
        keep_epd in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let f = Features { hpds, hafdbs, asid16, e0pd: true };
        let tcr = if keep_epd { tcr } else { tcr & !((1 << 7) | (1 << 23)) };
        let va = shape_va(tcr, va, va_mode);
        let cfg = match el2 {
            0 => Stage1Config::el10(tcr, ttbr0, ttbr1, sctlr, mair, parange, f),
            1 => Stage1Config::el20(tcr, ttbr0, ttbr1, sctlr, mair, parange, f),
            _ => Stage1Config::el2(tcr, ttbr0, sctlr, mair, parange, f),
        };
        let _ = cfg.strip_tag(va);
        let r = walk(&cfg, &mut NoiseMem { seed }, va);
        check_result(&cfg, va, r);
        // Same VA with the tag stripped must give the same result when TBI applies.
        if cfg.range(cfg.range_index(va)).tbi {
            prop_assert_eq!(walk(&cfg, &mut NoiseMem { seed }, cfg.strip_tag(va)), r);
        }
    }

    #[test]
    fn never_panics_on_random_ram(
        tcr in tcr_strategy(),
        ttbr_off in 0u64..0x2_0000,
        ttbr_hi in any::<u64>(),
        sctlr in any::<u64>(),
        va in any::<u64>(),
        va_mode in 0u8..3,
        contents in proptest::collection::vec(any::<u64>(), 0x1000),
    ) {
        let ram = GuestRam::new(RAM_BASE, 0x1_0000).unwrap();
        for (i, d) in contents.iter().enumerate() {
            // Keep most descriptors pointing back into this RAM.
            let d = if d & 1 == 0 { *d } else { (d & 0xf00f) | RAM_BASE | 0b11 | (d & AF) };
            ram.write_bytes(RAM_BASE + 8 * i as u64 + 0x8000 * (i as u64 & 1), &d.to_le_bytes()).unwrap();
        }
        let ttbr = (ttbr_hi & !0x0000_ffff_ffff_ffff) | RAM_BASE | ttbr_off;
        let tcr = tcr & !((1 << 7) | (1 << 23));
        let va = shape_va(tcr, va, va_mode);
        let cfg = Stage1Config::el10(tcr, ttbr, ttbr, sctlr | M, MAIR, 48, Features::all());
        let r = walk(&cfg, &mut &ram, va);
        check_result(&cfg, va, r);
    }
}

// ------------------------------------------------------------------------------------------
// FEAT_LPA: 52-bit OAs with the 64KB granule

/// Sparse descriptor memory anywhere in the 52-bit PA space (guest RAM stays below 1 TiB).
#[derive(Default)]
struct Sparse(std::collections::HashMap<u64, u64>);

impl WalkMem for Sparse {
    fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
        self.0.get(&addr).copied().ok_or(WalkMemError::External)
    }
    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, WalkMemError> {
        let d = self.0.get_mut(&addr).ok_or(WalkMemError::External)?;
        Ok(*d == old && {
            *d = new;
            true
        })
    }
}

/// A 52-bit address in the 64KB granule's descriptor layout (Tables D8-50, D8-52):
/// bits \[47:16\] in place, bits \[51:48\] in descriptor bits \[15:12\].
const fn lpa_desc(addr: u64) -> u64 {
    (addr & 0x0000_ffff_ffff_0000) | ((addr >> 48) & 0xf) << 12
}

/// A TTBR value for a 52-bit base (Table D8-10): BADDR\[51:48\] in bits \[5:2\].
const fn lpa_ttbr(addr: u64) -> u64 {
    (addr & 0x0000_ffff_ffff_ffc0) | ((addr >> 48) & 0xf) << 2
}

const IPS_52: u64 = ips(0b110);
const PAGE_RW: u64 = PAGE | AF | attr(0) | sh(0b11);

#[test]
fn lpa_64k_52bit_tables_pages_blocks_and_ttbr() {
    // T0SZ 16: level 1 start, 64 entries (512 bytes, x = 25 - 16 = 9: Table D8-42).
    let tcr = t0sz(16) | TG0_64K | IPS_52 | EPD1;
    let cfg = Stage1Config::el10(tcr, 0, 0, M, MAIR, 52, Features::all());
    assert_eq!((cfg.oa_bits(), cfg.range(0).lpa), (52, true));
    let l1 = 0x000a_0000_1234_0200; // 512-byte aligned, above 48 bits
    let l2 = 0x000b_0000_5678_0000;
    let l3 = 0x000c_0000_9abc_0000;
    let cfg = Stage1Config::el10(tcr, lpa_ttbr(l1), 0, M, MAIR, 52, Features::all());
    assert_eq!(cfg.range(0).table_base, l1);
    let va: u64 = 0x0000_8421_2345_6789;
    let (i1, i2, i3) = ((va >> 42) & 0x3f, (va >> 29) & 0x1fff, (va >> 16) & 0x1fff);
    let mut m = Sparse::default();
    m.0.insert(l1 + i1 * 8, lpa_desc(l2) | TABLE);
    m.0.insert(l2 + i2 * 8, lpa_desc(l3) | TABLE);
    m.0.insert(l3 + i3 * 8, lpa_desc(0x000d_1234_5678_0000) | PAGE_RW);
    let t = walk(&cfg, &mut m, va).unwrap();
    assert_eq!(
        (t.pa, t.page_size, t.level),
        (0x000d_1234_5678_6789, 64 << 10, 3)
    );

    // 512MB block at level 2 with OA[51:48] (Table D8-36).
    m.0.insert(l2 + i2 * 8, lpa_desc(0x000f_ffff_e000_0000) | BLOCK | AF);
    let t = walk(&cfg, &mut m, va).unwrap();
    assert_eq!(
        (t.pa, t.page_size, t.level),
        (0x000f_ffff_e345_6789, 512 << 20, 2)
    );

    // 4TB block at level 1: permitted with FEAT_LPA only (Tables D8-35, D8-36).
    m.0.insert(l1 + i1 * 8, lpa_desc(0x0009_8400_0000_0000) | BLOCK | AF);
    let t = walk(&cfg, &mut m, va).unwrap();
    assert_eq!(
        (t.pa, t.page_size, t.level),
        (0x0009_8421_2345_6789, 1 << 42, 1)
    );
    // ... and not without it (PARange 48: bits [15:12] RES0 too, R NSQXP).
    let mut low = Sparse::default();
    low.0.insert(
        0x0200 + i1 * 8,
        lpa_desc(0x0009_8400_0000_0000) | BLOCK | AF,
    );
    let cfg48 = Stage1Config::el10(tcr, 0x0200, 0, M, MAIR, 48, Features::all());
    assert_eq!((cfg48.oa_bits(), cfg48.range(0).lpa), (48, false));
    assert_eq!(
        walk(&cfg48, &mut low, va),
        Err(fault(FaultKind::Translation, 1))
    );

    // The EL2 regime: TCR_EL2.PS = 0b110 selects the 52-bit TTBR0_EL2 format too.
    let tcr2 = t0sz(16) | TG0_64K | ps(0b110);
    let cfg2 = Stage1Config::el2(tcr2, lpa_ttbr(l1), M, MAIR, 52, Features::all());
    assert_eq!(cfg2.range(0).table_base, l1);
    m.0.insert(l1 + i1 * 8, lpa_desc(l2) | TABLE);
    m.0.insert(l2 + i2 * 8, lpa_desc(l3) | TABLE);
    assert_eq!(walk(&cfg2, &mut m, va).unwrap().pa, 0x000d_1234_5678_6789);
}

#[test]
fn lpa_ttbr_alignment_and_48bit_format() {
    // T0SZ 35: level 3 start with 2^(64-35-16) = 8192 entries; T0SZ 39: 512 entries, 4KB.
    // The 52-bit format aligns the base to at least 64 bytes (AArch64.TTBaseAddress) and
    // bits [5:2] are BADDR[51:48], never low address bits.
    let tcr = t0sz(39) | TG0_64K | IPS_52 | EPD1;
    let ttbr = lpa_ttbr(0x0003_0000_0000_1000) | 0b10_0000_0001; // CnP, misaligned bit 9
    let cfg = Stage1Config::el10(tcr, ttbr, 0, M, MAIR, 52, Features::all());
    assert_eq!(cfg.range(0).start_level, 3);
    assert_eq!(cfg.range(0).table_base, 0x0003_0000_0000_1000);
    // IPS 48 with FEAT_LPA: the 48-bit format, bits [5:2] are part of BADDR[47:1] and the
    // table alignment (x = 51 - 39 = 12) clears them.
    let tcr48 = t0sz(39) | TG0_64K | IPS_48 | EPD1;
    let cfg = Stage1Config::el10(tcr48, 0x1234_5000 | 0x3c, 0, M, MAIR, 52, Features::all());
    assert_eq!(cfg.range(0).table_base, 0x1234_5000);
    assert!(!cfg.range(0).base_too_big);
}

#[test]
fn lpa_4k_and_16k_granules_stay_at_48_bits() {
    let mut pt = Pt::new();
    // IPS 0b110 with a 52-bit PARange: the 4KB and 16KB granules have no 52-bit format
    // without FEAT_LPA2, so the OA is 48 bits (AArch64.PhysicalAddressSize).
    for (tg0, g, txsz) in [(TG0_4K, Granule::K4, 25u8), (TG0_16K, Granule::K16, 28)] {
        let t = pt.tree(g, txsz);
        let tcr = t0sz(txsz as u64) | tg0 | IPS_52 | EPD1;
        let cfg = Stage1Config::el10(tcr, t.root, 0, M, MAIR, 52, Features::all());
        assert_eq!((cfg.oa_bits(), cfg.range(0).lpa), (48, false), "{g:?}");
        // Page descriptor bits [15:12] are OA[15:12] (4KB) or OA[15:14] with RES0 [13:12]
        // (16KB), never OA[51:48].
        let va = 0x0123_c000;
        pt.map(&t, va, 3, 0x8765_f000 | PAGE_RW);
        let want = if g == Granule::K4 {
            0x8765_f000
        } else {
            0x8765_c000
        };
        assert_eq!(go(&cfg, &pt, va).unwrap().pa, want, "{g:?}");
        // Table descriptor bits [49:48] are RES0 and ignored (TCR.DS == 0).
        pt.table_bits(&t, va, t.start, 0b11 << 48);
        assert_eq!(go(&cfg, &pt, va).unwrap().pa, want, "{g:?}");
    }
    // A TTBR1 range with the 64KB granule next to a 4KB TTBR0 range: per-range OA sizes.
    let tcr = t0sz(25) | TG0_4K | t1sz(16) | TG1_64K | IPS_52;
    let cfg = Stage1Config::el10(tcr, 0, 0, M, MAIR, 52, Features::all());
    assert_eq!((cfg.range(0).oa_bits, cfg.range(1).oa_bits), (48, 52));
    assert_eq!(cfg.oa_bits(), 52);
}

#[test]
fn lpa_address_size_faults() {
    let va: u64 = 0x0000_8421_2345_6789;
    let (i1, i2, i3) = ((va >> 42) & 0x3f, (va >> 29) & 0x1fff, (va >> 16) & 0x1fff);
    let (l1, l2, l3) = (0x1_0000, 0x2_0000, 0x3_0000);
    let mut m = Sparse::default();
    m.0.insert(l1 + i1 * 8, lpa_desc(l2) | TABLE);
    m.0.insert(l2 + i2 * 8, lpa_desc(l3) | TABLE);
    let page = l3 + i3 * 8;
    // PARange 52 with IPS 48 (0b101): descriptor bits [15:12] still hold OA[51:48] (the
    // format follows FEAT_LPA, Table D8-52), so OA bit 48 is beyond the OA size.
    let tcr = |ips_v: u64| t0sz(16) | TG0_64K | ips(ips_v) | EPD1;
    let cfg = Stage1Config::el10(tcr(0b101), l1, 0, M, MAIR, 52, Features::all());
    assert_eq!(cfg.oa_bits(), 48);
    m.0.insert(page, lpa_desc(0x0001_0000_0001_0000) | PAGE_RW);
    assert_eq!(
        walk(&cfg, &mut m, va),
        Err(fault(FaultKind::AddressSize, 3))
    );
    // ... also for a Table descriptor (fault at the level of the Table descriptor).
    m.0.insert(l2 + i2 * 8, lpa_desc(0x0002_0000_0003_0000) | TABLE);
    assert_eq!(
        walk(&cfg, &mut m, va),
        Err(fault(FaultKind::AddressSize, 2))
    );
    m.0.insert(l2 + i2 * 8, lpa_desc(l3) | TABLE);
    // With IPS 52 the same page is in range.
    let cfg52 = Stage1Config::el10(tcr(0b110), l1, 0, M, MAIR, 52, Features::all());
    assert_eq!(walk(&cfg52, &mut m, va).unwrap().pa, 0x0001_0000_0001_6789);
    // IPS 44: OA bit 44 faults, and a TTBR above 44 bits is a level 0 Address size fault.
    let cfg44 = Stage1Config::el10(tcr(0b100), l1, 0, M, MAIR, 52, Features::all());
    m.0.insert(page, lpa_desc(0x0000_1000_0001_0000) | PAGE_RW);
    assert_eq!(
        walk(&cfg44, &mut m, va),
        Err(fault(FaultKind::AddressSize, 3))
    );
    let cfg44 = Stage1Config::el10(tcr(0b100), 1 << 44 | l1, 0, M, MAIR, 52, Features::all());
    assert_eq!(
        walk(&cfg44, &mut m, va),
        Err(fault(FaultKind::AddressSize, 0))
    );
    // PARange 40 caps IPS 52 at 40 bits, and there is no FEAT_LPA: bits [15:12] RES0.
    let cfg40 = Stage1Config::el10(tcr(0b110), l1, 0, M, MAIR, 40, Features::all());
    assert_eq!((cfg40.oa_bits(), cfg40.range(0).lpa), (40, false));
    m.0.insert(page, lpa_desc(0x000f_0000_0001_0000) | PAGE_RW);
    assert_eq!(walk(&cfg40, &mut m, va).unwrap().pa, 0x1_6789);
    m.0.insert(page, 0x100_0001_0000 | PAGE_RW);
    assert_eq!(
        walk(&cfg40, &mut m, va),
        Err(fault(FaultKind::AddressSize, 3))
    );
    // Stage 1 disabled: the flat mapping is limited by PARange 52 only (R VCDSW).
    let off = Stage1Config::el10(tcr(0b110), 0, 0, 0, MAIR, 52, Features::all());
    assert_eq!(
        walk(&off, &mut m, 0x000f_ffff_ffff_fff0).unwrap().pa,
        0x000f_ffff_ffff_fff0
    );
    assert_eq!(
        walk(&off, &mut m, 1 << 52),
        Err(fault(FaultKind::AddressSize, 0))
    );
}

#[test]
fn e0pd_makes_el0_accesses_a_level_0_translation_fault() {
    // FEAT_E0PD (TCR_EL1.E0PD0 [55], E0PD1 [56]): EL0 and unprivileged accesses to the
    // range fault as a level 0 Translation fault; EL1's access and PAN are unchanged.
    const E0PD0: u64 = 1 << 55;
    let mut pt = Pt::new();
    let t = pt.tree(Granule::K4, 16);
    pt.map(&t, 0x1000, 3, 0x8000_1000 | NORMAL_WB_RW | ap(0b01));
    let tcr = t0sz(16) | TG0_4K | IPS_48 | EPD1;
    let plain = go(&el1(tcr, t.root, 0, M), &pt, 0x1000).unwrap();
    assert_eq!(plain.check(AccessKind::Read, 0, false, false), Ok(()));
    let t0 = go(&el1(tcr | E0PD0, t.root, 0, M), &pt, 0x1000).unwrap();
    for (el, unpriv) in [(0, false), (1, true)] {
        let e = t0.check(AccessKind::Write, el, unpriv, false).unwrap_err();
        assert_eq!((e, e.fsc()), (fault(FaultKind::Translation, 0), 0b00_0100));
    }
    let e = t0.check(AccessKind::Exec, 0, false, false).unwrap_err();
    assert_eq!(e, fault(FaultKind::Translation, 0));
    assert_eq!(t0.check(AccessKind::Write, 1, false, false), Ok(()));
    // PAN still sees an EL0-accessible page.
    assert!(t0.check(AccessKind::Read, 1, false, true).is_err());
    // E0PD1 does not touch the TTBR0 range; without FEAT_E0PD the bit is RES0.
    let t1 = go(&el1(tcr | (1 << 56), t.root, 0, M), &pt, 0x1000).unwrap();
    assert_eq!(t1.check(AccessKind::Read, 0, false, false), Ok(()));
    let f = Features {
        e0pd: false,
        ..Features::all()
    };
    let cfg = Stage1Config::el10(tcr | E0PD0, t.root, 0, M, MAIR, 48, f);
    let t = go(&cfg, &pt, 0x1000).unwrap();
    assert_eq!(t.check(AccessKind::Read, 0, false, false), Ok(()));
}
