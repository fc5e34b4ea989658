//! Register-level facts: implemented bits, RAZ/WI areas, access widths.

use crate::common::*;
use gic::Gic;

#[test]
fn priority_fields_keep_only_the_five_implemented_bits() {
    let mut g = Gic::new(&mpidrs(1), 64);
    g.dist_write(GICD_IPRIORITYR + 32, 4, 0xFFFF_FFFF);
    assert_eq!(g.dist_read(GICD_IPRIORITYR + 32, 4), 0xF8F8_F8F8);
    // Byte access reaches exactly one INTID.
    g.dist_write(GICD_IPRIORITYR + 34, 1, 0x47);
    assert_eq!(g.dist_read(GICD_IPRIORITYR + 34, 1), 0x40);
    assert_eq!(g.dist_read(GICD_IPRIORITYR + 32, 4), 0xF840_F8F8);
    g.redist_write(sgi(0) + GICR_IPRIORITYR + 27, 1, 0x13);
    assert_eq!(g.redist_read(sgi(0) + GICR_IPRIORITYR + 24, 4), 0x1000_0000);
}

#[test]
fn distributor_registers_for_private_intids_are_raz_wi_with_affinity_routing() {
    let mut g = Gic::new(&mpidrs(1), 64);
    for base in [GICD_IGROUPR, GICD_ISENABLER, GICD_ISPENDR, GICD_ISACTIVER] {
        g.dist_write(base, 4, 0xFFFF_FFFF);
        assert_eq!(g.dist_read(base, 4), 0, "offset {base:#x}");
    }
    g.dist_write(GICD_IPRIORITYR, 4, 0xFFFF_FFFF);
    assert_eq!(g.dist_read(GICD_IPRIORITYR + 28, 4), 0);
    g.dist_write(GICD_ICFGR + 4, 4, 0xFFFF_FFFF);
    assert_eq!(g.dist_read(GICD_ICFGR + 4, 4), 0);
    // And they do not leak into the redistributor.
    assert_eq!(g.redist_read(sgi(0) + GICR_ISENABLER0, 4), 0);
    // Beyond the last implemented SPI (INTID 95): RAZ/WI too.
    g.dist_write(GICD_ISENABLER + 12, 4, 0xFFFF_FFFF);
    assert_eq!(g.dist_read(GICD_ISENABLER + 12, 4), 0);
    g.dist_write(GICD_IROUTER + 8 * 96, 8, 5);
    assert_eq!(g.dist_read(GICD_IROUTER + 8 * 96, 8), 0);
    // IROUTER0-31 do not exist.
    g.dist_write(GICD_IROUTER + 8 * 5, 8, 5);
    assert_eq!(g.dist_read(GICD_IROUTER + 8 * 5, 8), 0);
}

#[test]
fn set_and_clear_registers_act_only_on_ones() {
    let mut g = Gic::new(&mpidrs(1), 64);
    g.dist_write(GICD_ISENABLER + 4, 4, 0b1010);
    g.dist_write(GICD_ISENABLER + 4, 4, 0b0100);
    assert_eq!(g.dist_read(GICD_ISENABLER + 4, 4), 0b1110);
    assert_eq!(
        g.dist_read(GICD_ICENABLER + 4, 4),
        0b1110,
        "ICENABLER reads the same state"
    );
    g.dist_write(GICD_ICENABLER + 4, 4, 0b0010);
    assert_eq!(g.dist_read(GICD_ISENABLER + 4, 4), 0b1100);
    g.dist_write(GICD_ISACTIVER + 4, 4, 1 << 31);
    assert_eq!(g.dist_read(GICD_ICACTIVER + 4, 4), 1 << 31);
    g.dist_write(GICD_ICACTIVER + 4, 4, 1 << 31);
    assert_eq!(g.dist_read(GICD_ISACTIVER + 4, 4), 0);
    // IGROUPR is a plain read/write register.
    g.dist_write(GICD_IGROUPR + 4, 4, 0x1234_5678);
    assert_eq!(g.dist_read(GICD_IGROUPR + 4, 4), 0x1234_5678);
}

#[test]
fn irouter_keeps_affinity_and_irm_and_allows_32_bit_halves() {
    let mut g = Gic::new(&mpidrs(1), 64);
    let off = GICD_IROUTER + 8 * 40;
    g.dist_write(off, 8, u64::MAX);
    // Aff3 [39:32], IRM [31], Aff2-0 [23:0]; the rest RES0.
    assert_eq!(g.dist_read(off, 8), 0xFF_80FF_FFFF);
    g.dist_write(off, 4, 0x0003_0201);
    assert_eq!(g.dist_read(off, 8), 0xFF_0003_0201);
    g.dist_write(off + 4, 4, 0x07);
    assert_eq!(g.dist_read(off + 4, 4), 0x07);
    assert_eq!(g.dist_read(off, 4), 0x0003_0201);
    assert_eq!(g.dist_read(off, 8), 0x07_0003_0201);
}

#[test]
fn redistributor_lpi_registers_keep_their_fields_and_freeze_while_lpis_are_enabled() {
    let mut g = Gic::new(&mpidrs(2), 32);
    // PROPBASER: IDbits [4:0], caches [9:7], [58:56], Shareability [11:10], PA [51:12].
    g.redist_write(rd(0) + 0x70, 8, u64::MAX);
    assert_eq!(g.redist_read(rd(0) + 0x70, 8), 0x070F_FFFF_FFFF_FF9F);
    // PENDBASER: PA [51:16]; PTZ [62] reads as 0.
    g.redist_write(rd(0) + 0x78, 8, u64::MAX);
    assert_eq!(g.redist_read(rd(0) + 0x78, 8), 0x070F_FFFF_FFFF_0F80);
    assert_eq!(g.redist_read(rd(0) + 0x7C, 4), 0x070F_FFFF, "upper half");
    g.redist_write(rd(0) + GICR_CTLR, 4, 0xFFFF_FFFF);
    assert_eq!(
        g.redist_read(rd(0) + GICR_CTLR, 4),
        1,
        "EnableLPIs; RWP, UWP 0"
    );
    assert_eq!(g.redist_read(rd(1) + GICR_CTLR, 4), 0, "per redistributor");
    // While LPIs are enabled the table registers do not change (UNPREDICTABLE).
    g.redist_write(rd(0) + 0x70, 8, 0);
    assert_eq!(g.redist_read(rd(0) + 0x70, 8), 0x070F_FFFF_FFFF_FF9F);
    assert_eq!(g.redist_read(rd(1) + PIDR2, 4) & 0xF0, 0x30);
    // Beyond the last redistributor.
    assert_eq!(g.redist_read(rd(2) + GICR_TYPER, 8), 0);
    g.redist_write(rd(2) + GICR_WAKER, 4, 0);
}

#[test]
fn unsupported_access_sizes_are_ignored() {
    let mut g = Gic::new(&mpidrs(1), 64);
    // Bit arrays are word-only.
    g.dist_write(GICD_ISENABLER + 4, 1, 0xFF);
    g.dist_write(GICD_ISENABLER + 4, 8, 0xFF);
    g.dist_write(GICD_ISENABLER + 6, 4, 0xFF); // misaligned
    assert_eq!(g.dist_read(GICD_ISENABLER + 4, 4), 0);
    g.dist_write(GICD_ISENABLER + 4, 4, 1);
    assert_eq!(
        g.dist_read(GICD_ISENABLER + 4, 1),
        0,
        "byte read of a bit array"
    );
    // GICD_CTLR is word-only.
    g.dist_write(GICD_CTLR, 1, 0x3);
    assert_eq!(g.dist_read(GICD_CTLR, 4), 0x50);
    assert_eq!(g.dist_read(GICD_CTLR, 2), 0);
    // IROUTER misaligned.
    g.dist_write(GICD_IROUTER + 8 * 40 + 2, 4, 0xFF);
    assert_eq!(g.dist_read(GICD_IROUTER + 8 * 40, 8), 0);
    // WAKER word-only: a byte write cannot wake the redistributor.
    g.redist_write(rd(0) + GICR_WAKER, 1, 0);
    assert_eq!(g.redist_read(rd(0) + GICR_WAKER, 4), 6);
}

#[test]
fn id_registers_follow_the_arm_layout() {
    let mut g = Gic::new(&mpidrs(1), 32);
    let cidr: Vec<u64> = (0..4).map(|i| g.dist_read(0xFFF0 + 4 * i, 4)).collect();
    assert_eq!(
        cidr,
        [0x0D, 0xF0, 0x05, 0xB1],
        "CoreSight component ID preamble"
    );
    assert_eq!(g.dist_read(0xFFE8, 4), 0x3B);
    assert_eq!(g.redist_read(0xFFE8, 4), 0x3B);
}
