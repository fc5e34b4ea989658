//! Level-sensitive versus edge-triggered behaviour.

use crate::common::*;
use gic::IccReg;

#[test]
fn level_interrupt_is_pending_exactly_while_the_line_is_high() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 33, 0x80, 0); // Linux configures SPIs as level
    assert!(!dist_bit(&mut g, GICD_ISPENDR, 33));
    g.set_spi_level(33, true);
    assert!(dist_bit(&mut g, GICD_ISPENDR, 33));
    g.set_spi_level(33, false);
    assert!(!dist_bit(&mut g, GICD_ISPENDR, 33), "no latch for level");
    assert!(!g.irq_lines(0).irq);
}

#[test]
fn level_interrupt_still_high_after_acknowledge_is_active_and_pending() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 33, 0x80, 0);
    g.set_spi_level(33, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 33);
    assert!(dist_bit(&mut g, GICD_ISACTIVER, 33));
    assert!(dist_bit(&mut g, GICD_ISPENDR, 33));
    assert!(!g.irq_lines(0).irq);
    g.icc_write(0, IccReg::Eoir1, 33);
    // Device has not been serviced: taken again.
    assert!(g.irq_lines(0).irq);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 33);
    g.set_spi_level(33, false);
    g.icc_write(0, IccReg::Eoir1, 33);
    assert!(!g.irq_lines(0).irq);
    assert!(!dist_bit(&mut g, GICD_ISPENDR, 33));
}

#[test]
fn icpendr_cannot_clear_a_level_interrupt_whose_line_is_high() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 33, 0x80, 0);
    g.set_spi_level(33, true);
    g.dist_write(GICD_ICPENDR + 4, 4, 1 << 1);
    assert!(dist_bit(&mut g, GICD_ISPENDR, 33));
    // But a software-set pending on a low line is cleared by ICPENDR...
    g.set_spi_level(33, false);
    g.dist_write(GICD_ISPENDR + 4, 4, 1 << 1);
    assert!(dist_bit(&mut g, GICD_ISPENDR, 33));
    g.dist_write(GICD_ICPENDR + 4, 4, 1 << 1);
    assert!(!dist_bit(&mut g, GICD_ISPENDR, 33));
    // ...and by the acknowledge that takes it.
    g.dist_write(GICD_ISPENDR + 4, 4, 1 << 1);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 33);
    assert!(!dist_bit(&mut g, GICD_ISPENDR, 33));
}

#[test]
fn edge_interrupt_latches_on_rising_edge_only() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 48, 0x80, 0);
    config_spi(&mut g, 48, true);
    assert_eq!(
        g.dist_read(GICD_ICFGR + 4 * 3, 4),
        0b10,
        "INTID 48: field 0 of ICFGR3"
    );
    g.set_spi_level(48, true);
    g.set_spi_level(48, false);
    assert!(
        dist_bit(&mut g, GICD_ISPENDR, 48),
        "latched after the pulse"
    );
    assert_eq!(g.icc_read(0, IccReg::Iar1), 48);
    assert!(
        !dist_bit(&mut g, GICD_ISPENDR, 48),
        "acknowledge consumes the edge"
    );
    g.icc_write(0, IccReg::Eoir1, 48);
    assert!(!g.irq_lines(0).irq);
    // A line held high is one edge, not a stream.
    g.set_spi_level(48, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 48);
    g.icc_write(0, IccReg::Eoir1, 48);
    g.set_spi_level(48, true);
    assert!(!g.irq_lines(0).irq);
    assert_eq!(g.icc_read(0, IccReg::Iar1), SPURIOUS);
}

#[test]
fn edge_while_active_becomes_active_and_pending() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 48, 0x80, 0);
    config_spi(&mut g, 48, true);
    g.set_spi_level(48, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 48);
    g.set_spi_level(48, false);
    g.set_spi_level(48, true);
    assert!(dist_bit(&mut g, GICD_ISACTIVER, 48));
    assert!(dist_bit(&mut g, GICD_ISPENDR, 48));
    g.icc_write(0, IccReg::Eoir1, 48);
    assert_eq!(
        g.icc_read(0, IccReg::Iar1),
        48,
        "second edge delivered after EOI"
    );
}

#[test]
fn ppi_trigger_mode_is_programmable_and_sgis_are_always_edge() {
    let mut g = linux_gic(1, false);
    assert_eq!(g.redist_read(sgi(0) + GICR_ICFGR0, 4), 0xAAAA_AAAA);
    g.redist_write(sgi(0) + GICR_ICFGR0, 4, 0);
    assert_eq!(
        g.redist_read(sgi(0) + GICR_ICFGR0, 4),
        0xAAAA_AAAA,
        "SGI config is RO"
    );
    assert_eq!(
        g.redist_read(sgi(0) + GICR_ICFGR1, 4),
        0,
        "PPIs level at reset"
    );
    // PPI 20 -> field 4 of ICFGR1 -> bit 9.
    g.redist_write(sgi(0) + GICR_ICFGR1, 4, 1 << 9);
    assert_eq!(g.redist_read(sgi(0) + GICR_ICFGR1, 4), 1 << 9);
    enable_private(&mut g, 0, 20, 0x80);
    g.set_ppi_level(0, 20, true);
    g.set_ppi_level(0, 20, false);
    assert!(redist_bit(&mut g, 0, GICR_ISPENDR0, 20));
    assert_eq!(g.icc_read(0, IccReg::Iar1), 20);
    g.icc_write(0, IccReg::Eoir1, 20);
    assert!(!g.irq_lines(0).irq);
    // A level PPI (timer) follows its line.
    enable_private(&mut g, 0, 30, 0x80);
    g.set_ppi_level(0, 30, true);
    assert!(g.irq_lines(0).irq);
    g.set_ppi_level(0, 30, false);
    assert!(!g.irq_lines(0).irq);
    assert!(!redist_bit(&mut g, 0, GICR_ISPENDR0, 30));
}

#[test]
fn disabled_interrupt_keeps_its_pending_state_until_enabled() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 48, 0x80, 0);
    config_spi(&mut g, 48, true);
    g.dist_write(GICD_ICENABLER + 4, 4, 1 << 16);
    assert!(!dist_bit(&mut g, GICD_ISENABLER, 48));
    g.set_spi_level(48, true);
    assert!(!g.irq_lines(0).irq);
    assert!(dist_bit(&mut g, GICD_ISPENDR, 48));
    g.dist_write(GICD_ISENABLER + 4, 4, 1 << 16);
    assert!(g.irq_lines(0).irq);
}
