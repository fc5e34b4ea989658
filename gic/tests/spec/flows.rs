//! Routing, acknowledge / EOI / deactivate, preemption and masking.

use crate::common::*;
use gic::{IccReg, IrqLines};

const IRQ: IrqLines = IrqLines {
    irq: true,
    fiq: false,
};
const FIQ: IrqLines = IrqLines {
    irq: false,
    fiq: true,
};
const NONE: IrqLines = IrqLines {
    irq: false,
    fiq: false,
};

#[test]
fn spi_routed_to_cpu1_is_seen_only_by_cpu1() {
    let mut g = linux_gic(3, false);
    enable_spi(&mut g, 33, LINUX_PRIO, 1); // IROUTER Aff0 = 1
    g.set_spi_level(33, true);
    assert_eq!(g.irq_lines(1), IRQ);
    assert_eq!(g.irq_lines(0), NONE);
    assert_eq!(g.irq_lines(2), NONE);
    assert_eq!(
        g.icc_read(0, IccReg::Iar1),
        SPURIOUS,
        "CPU 0 cannot take it"
    );
    assert_eq!(g.icc_read(1, IccReg::Iar1), 33);
    // Re-route while active: still not re-signalled anywhere.
    g.dist_write(GICD_IROUTER + 8 * 33, 8, 2);
    assert_eq!(g.irq_lines(2), NONE);
    g.icc_write(1, IccReg::Eoir1, 33);
    // Level line still high: pending again, now routed to CPU 2.
    assert_eq!(g.irq_lines(2), IRQ);
    assert_eq!(g.irq_lines(1), NONE);
}

#[test]
fn routing_to_a_missing_affinity_delivers_nowhere() {
    let mut g = linux_gic(2, false);
    enable_spi(&mut g, 40, LINUX_PRIO, 0x1_0000_0000); // Aff3 = 1: no such PE
    g.set_spi_level(40, true);
    assert_eq!(g.irq_lines(0), NONE);
    assert_eq!(g.irq_lines(1), NONE);
    assert!(
        dist_bit(&mut g, GICD_ISPENDR, 40),
        "still pending in the distributor"
    );
}

#[test]
fn one_of_n_routing_picks_the_lowest_participating_cpu() {
    let mut g = linux_gic(3, false);
    enable_spi(&mut g, 50, LINUX_PRIO, 1 << 31); // IRM = 1
    assert_eq!(g.dist_read(GICD_IROUTER + 8 * 50, 8), 1 << 31);
    g.set_spi_level(50, true);
    assert_eq!(g.irq_lines(0), IRQ);
    assert_eq!(g.irq_lines(1), NONE);
    // CPU 0 stops taking Group 1: CPU 1 is chosen instead.
    g.icc_write(0, IccReg::Igrpen1, 0);
    assert_eq!(g.irq_lines(0), NONE);
    assert_eq!(g.irq_lines(1), IRQ);
    assert_eq!(g.icc_read(1, IccReg::Iar1), 50);
    assert_eq!(g.irq_lines(2), NONE, "active SPI is not offered to anyone");
}

#[test]
fn eoimode0_eoir_drops_priority_and_deactivates() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 34, 0x80, 0);
    config_spi(&mut g, 34, true);
    g.set_spi_level(34, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 34);
    assert!(dist_bit(&mut g, GICD_ISACTIVER, 34));
    assert!(!dist_bit(&mut g, GICD_ISPENDR, 34));
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0x80);
    // Bit for group priority 0x80 with 5 preemption bits: 0x80 >> 3 = 16.
    assert_eq!(g.icc_read(0, IccReg::Ap1r(0)), 1 << 16);
    assert_eq!(g.irq_lines(0), NONE);
    g.icc_write(0, IccReg::Eoir1, 34);
    assert!(!dist_bit(&mut g, GICD_ISACTIVER, 34));
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xFF);
    assert_eq!(g.icc_read(0, IccReg::Ap1r(0)), 0);
}

#[test]
fn eoimode1_separates_priority_drop_from_deactivation() {
    let mut g = linux_gic(1, true);
    enable_spi(&mut g, 35, 0x80, 0);
    config_spi(&mut g, 35, true);
    g.set_spi_level(35, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 35);
    g.icc_write(0, IccReg::Eoir1, 35);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xFF, "priority dropped");
    assert!(dist_bit(&mut g, GICD_ISACTIVER, 35), "still active");
    // A new edge while active: active and pending, but not signalled.
    g.set_spi_level(35, false);
    g.set_spi_level(35, true);
    assert!(dist_bit(&mut g, GICD_ISPENDR, 35));
    assert_eq!(g.irq_lines(0), NONE);
    g.icc_write(0, IccReg::Dir, 35);
    assert!(!dist_bit(&mut g, GICD_ISACTIVER, 35));
    assert_eq!(g.irq_lines(0), IRQ, "pending part is signalled after DIR");
    assert_eq!(g.icc_read(0, IccReg::Iar1), 35);
}

#[test]
fn dir_is_ignored_when_eoimode_is_0() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 36, 0x80, 0);
    g.set_spi_level(36, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 36);
    g.icc_write(0, IccReg::Dir, 36);
    assert!(dist_bit(&mut g, GICD_ISACTIVER, 36));
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0x80);
}

#[test]
fn eoi_of_special_or_unimplemented_intid_is_ignored() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 37, 0x80, 0);
    g.set_spi_level(37, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 37);
    for bogus in [1020, 1021, 1022, 1023, 500, 0xFF_FFFF] {
        g.icc_write(0, IccReg::Eoir1, bogus);
        assert_eq!(
            g.icc_read(0, IccReg::Rpr),
            0x80,
            "EOI {bogus} must not drop priority"
        );
    }
    // EOIR0 while the active priority belongs to Group 1: ignored.
    g.icc_write(0, IccReg::Eoir0, 37);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0x80);
    assert!(dist_bit(&mut g, GICD_ISACTIVER, 37));
    g.icc_write(0, IccReg::Eoir1, 37);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xFF);
}

#[test]
fn higher_priority_interrupt_preempts_an_active_one() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 40, 0xA0, 0);
    enable_spi(&mut g, 41, 0x80, 0);
    enable_spi(&mut g, 42, 0xC0, 0);
    g.set_spi_level(40, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 40);
    assert_eq!(g.irq_lines(0), NONE);
    // Lower priority (numerically higher) does not preempt.
    g.set_spi_level(42, true);
    assert_eq!(g.irq_lines(0), NONE);
    assert_eq!(
        g.icc_read(0, IccReg::Hppir1),
        42,
        "HPPIR ignores the running priority"
    );
    assert_eq!(g.icc_read(0, IccReg::Iar1), SPURIOUS);
    // Higher priority does.
    g.set_spi_level(41, true);
    assert_eq!(g.irq_lines(0), IRQ);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 41);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0x80);
    assert_eq!(
        g.icc_read(0, IccReg::Ap1r(0)),
        1 << (0x80 >> 3) | 1 << (0xA0 >> 3)
    );
    // Nested EOIs, innermost first.
    g.set_spi_level(41, false);
    g.icc_write(0, IccReg::Eoir1, 41);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xA0);
    assert_eq!(g.irq_lines(0), NONE, "0xC0 still cannot preempt 0xA0");
    g.set_spi_level(40, false);
    g.icc_write(0, IccReg::Eoir1, 40);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xFF);
    assert_eq!(g.irq_lines(0), IRQ);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 42);
}

#[test]
fn equal_group_priority_does_not_preempt_and_bpr_widens_groups() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 40, 0xA8, 0);
    enable_spi(&mut g, 41, 0xA0, 0);
    enable_spi(&mut g, 42, 0xA8, 0);
    g.set_spi_level(40, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 40);
    g.set_spi_level(42, true);
    assert_eq!(g.irq_lines(0), NONE, "same priority never preempts");
    g.set_spi_level(42, false);
    // Minimum BPR1 (3): group priority is bits [7:3], so 0xA0 < 0xA8 preempts.
    g.set_spi_level(41, true);
    assert_eq!(g.irq_lines(0), IRQ);

    // BPR1 = 4: group priority is bits [7:4]; taken at 0xA8 the running
    // priority is 0xA0, and 0xA0 no longer preempts.
    let mut g = linux_gic(1, false);
    g.icc_write(0, IccReg::Bpr1, 4);
    enable_spi(&mut g, 40, 0xA8, 0);
    enable_spi(&mut g, 41, 0xA0, 0);
    g.set_spi_level(40, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 40);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xA0);
    g.set_spi_level(41, true);
    assert_eq!(g.irq_lines(0), NONE);
    assert_eq!(g.icc_read(0, IccReg::Iar1), SPURIOUS);
}

#[test]
fn acknowledging_with_a_coarse_binary_point_records_the_group_priority() {
    let mut g = linux_gic(1, false);
    g.icc_write(0, IccReg::Bpr1, 5); // group priority = bits [7:5]
    enable_spi(&mut g, 40, 0xB8, 0);
    g.set_spi_level(40, true);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 40);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xA0);
    assert_eq!(g.icc_read(0, IccReg::Ap1r(0)), 1 << (0xA0 >> 3));
}

#[test]
fn nothing_pending_reads_spurious() {
    let mut g = linux_gic(2, false);
    for reg in [IccReg::Iar0, IccReg::Iar1, IccReg::Hppir0, IccReg::Hppir1] {
        assert_eq!(g.icc_read(0, reg), SPURIOUS, "{reg:?}");
    }
    // Pending but disabled: still spurious.
    g.dist_write(GICD_IPRIORITYR + 40, 1, 0x80);
    g.dist_write(GICD_ISPENDR + 4, 4, 1 << 8);
    assert!(dist_bit(&mut g, GICD_ISPENDR, 40));
    assert_eq!(g.icc_read(0, IccReg::Iar1), SPURIOUS);
    // Enabled, but the distributor's Group 1 enable is off.
    g.dist_write(GICD_ISENABLER + 4, 4, 1 << 8);
    g.dist_write(GICD_CTLR, 4, 0x10);
    assert_eq!(g.icc_read(0, IccReg::Iar1), SPURIOUS);
    g.dist_write(GICD_CTLR, 4, 0x13);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 40);
    assert_eq!(g.icc_read(0, IccReg::Iar1), SPURIOUS, "already active");
}

#[test]
fn priority_mask_must_be_strictly_lower_priority() {
    let mut g = linux_gic(1, false);
    enable_spi(&mut g, 40, 0xA0, 0);
    g.icc_write(0, IccReg::Pmr, 0xA0);
    g.set_spi_level(40, true);
    assert_eq!(g.irq_lines(0), NONE, "priority equal to PMR is masked");
    assert_eq!(g.icc_read(0, IccReg::Iar1), SPURIOUS);
    assert_eq!(g.icc_read(0, IccReg::Hppir1), 40, "HPPIR ignores PMR");
    g.icc_write(0, IccReg::Pmr, 0xA8);
    assert_eq!(g.irq_lines(0), IRQ);
    g.icc_write(0, IccReg::Pmr, 0);
    assert_eq!(g.irq_lines(0), NONE);
    // Only the 5 implemented bits of PMR are kept.
    g.icc_write(0, IccReg::Pmr, 0xFF);
    assert_eq!(g.icc_read(0, IccReg::Pmr), 0xF8);
    assert_eq!(g.irq_lines(0), IRQ);
}

#[test]
fn group0_interrupts_drive_fiq_and_use_iar0() {
    let mut g = linux_gic(1, false);
    g.icc_write(0, IccReg::Igrpen0, 1);
    enable_spi(&mut g, 45, 0x40, 0);
    g.dist_write(GICD_IGROUPR + 4, 4, !(1u64 << 13) & 0xFFFF_FFFF); // INTID 45 -> Group 0
    g.set_spi_level(45, true);
    // Group 0 needs the distributor's EnableGrp0 (bit 0 of 0x13: set).
    assert_eq!(g.irq_lines(0), FIQ);
    assert_eq!(
        g.icc_read(0, IccReg::Iar1),
        SPURIOUS,
        "IAR1 does not take Group 0"
    );
    assert_eq!(g.icc_read(0, IccReg::Hppir1), SPURIOUS);
    assert_eq!(g.icc_read(0, IccReg::Hppir0), 45);
    assert_eq!(g.icc_read(0, IccReg::Iar0), 45);
    assert_eq!(g.icc_read(0, IccReg::Ap0r(0)), 1 << (0x40 >> 3));
    assert_eq!(g.icc_read(0, IccReg::Ap1r(0)), 0);
    g.icc_write(0, IccReg::Eoir1, 45);
    assert_eq!(
        g.icc_read(0, IccReg::Rpr),
        0x40,
        "EOIR1 cannot drop a Group 0 priority"
    );
    g.icc_write(0, IccReg::Eoir0, 45);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xFF);
    // Disable Group 0 at the CPU interface: no FIQ.
    g.icc_write(0, IccReg::Igrpen0, 0);
    assert_eq!(g.irq_lines(0), NONE);
}

#[test]
fn sleeping_redistributor_forwards_nothing() {
    let mut g = linux_gic(2, false);
    enable_private(&mut g, 1, 27, 0x80);
    enable_spi(&mut g, 60, 0x80, 1);
    g.set_ppi_level(1, 27, true);
    g.set_spi_level(60, true);
    assert_eq!(g.irq_lines(1), IRQ);
    g.redist_write(rd(1) + GICR_WAKER, 4, WAKER_PROCESSOR_SLEEP);
    assert_eq!(g.irq_lines(1), NONE);
    assert_eq!(g.icc_read(1, IccReg::Iar1), SPURIOUS);
    g.redist_write(rd(1) + GICR_WAKER, 4, 0);
    assert_eq!(g.irq_lines(1), IRQ);
}

#[test]
fn ppi_active_state_set_by_software_blocks_delivery() {
    // KVM's forwarded timer: the host sets the PPI active via ISACTIVER0 so
    // it is not re-signalled while the guest handles it.
    let mut g = linux_gic(1, true);
    enable_private(&mut g, 0, 27, 0x80);
    g.redist_write(sgi(0) + GICR_ISACTIVER0, 4, 1 << 27);
    g.set_ppi_level(0, 27, true);
    assert_eq!(g.irq_lines(0), NONE);
    g.redist_write(sgi(0) + GICR_ICACTIVER0, 4, 1 << 27);
    assert_eq!(g.irq_lines(0), IRQ);
}

#[test]
fn out_of_range_cpus_and_intids_are_harmless() {
    let mut g = linux_gic(2, false);
    assert_eq!(g.irq_lines(7), NONE);
    assert_eq!(g.icc_read(7, IccReg::Iar1), 0);
    g.icc_write(7, IccReg::Sgi1r, u64::MAX);
    g.set_ppi_level(7, 30, true);
    g.set_ppi_level(0, 5, true); // an SGI is not a PPI
    g.set_ppi_level(0, 32, true);
    g.set_spi_level(31, true);
    g.set_spi_level(288, true);
    g.set_spi_level(u32::MAX, true);
    assert_eq!(g.irq_lines(0), NONE);
    assert_eq!(g.irq_lines(1), NONE);
}
