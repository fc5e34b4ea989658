//! SGI generation through ICC_SGI0R/SGI1R/ASGI1R_EL1 (IHI0069 12.11):
//! TargetList [15:0], Aff1 [23:16], INTID [27:24], Aff2 [39:32], IRM [40],
//! Aff3 [55:48].

use crate::common::*;
use gic::{Gic, IccReg};

fn sgi1r(intid: u64, aff3: u64, aff2: u64, aff1: u64, targets: u64) -> u64 {
    aff3 << 48 | aff2 << 32 | intid << 24 | aff1 << 16 | targets
}

const IRM: u64 = 1 << 40;

#[test]
fn sgi_from_cpu0_reaches_only_cpu1() {
    let mut g = linux_gic(4, true);
    g.icc_write(0, IccReg::Sgi1r, sgi1r(3, 0, 0, 0, 1 << 1));
    assert!(g.irq_lines(1).irq);
    for cpu in [0, 2, 3] {
        assert!(!g.irq_lines(cpu).irq, "cpu {cpu}");
    }
    assert!(redist_bit(&mut g, 1, GICR_ISPENDR0, 3));
    // GICv3 IAR carries no source CPU: just the INTID.
    assert_eq!(g.icc_read(1, IccReg::Iar1), 3);
    g.icc_write(1, IccReg::Eoir1, 3);
    g.icc_write(1, IccReg::Dir, 3);
    assert!(!redist_bit(&mut g, 1, GICR_ISACTIVER0, 3));
    assert!(!g.irq_lines(1).irq);
}

#[test]
fn target_list_can_name_several_cpus_including_self() {
    let mut g = linux_gic(4, false);
    g.icc_write(2, IccReg::Sgi1r, sgi1r(5, 0, 0, 0, 0b1101));
    let hit: Vec<bool> = (0..4).map(|c| g.irq_lines(c).irq).collect();
    assert_eq!(hit, [true, false, true, true]);
}

#[test]
fn irm_broadcast_reaches_all_but_the_sender() {
    let mut g = linux_gic(4, false);
    // Affinity fields and TargetList are ignored with IRM = 1.
    g.icc_write(1, IccReg::Sgi1r, IRM | sgi1r(2, 9, 9, 9, 0));
    let hit: Vec<bool> = (0..4).map(|c| g.irq_lines(c).irq).collect();
    assert_eq!(hit, [true, false, true, true]);
    for cpu in [0, 2, 3] {
        assert_eq!(g.icc_read(cpu, IccReg::Iar1), 2);
    }
}

#[test]
fn affinity_levels_select_the_cluster() {
    // Cluster 0: Aff1 = 0, Aff0 = 0,1. Cluster 1: Aff1 = 1, Aff0 = 0,1.
    // A PE with Aff3 = 1, Aff2 = 2.
    let mp = [0x000, 0x001, 0x100, 0x101, 0x1_0002_0000];
    let mut g = Gic::new(&mp, 32);
    for (cpu, &m) in mp.iter().enumerate() {
        linux_cpu_init(&mut g, cpu, m, false);
    }
    g.dist_write(GICD_CTLR, 4, 0x13);
    g.icc_write(0, IccReg::Sgi1r, sgi1r(1, 0, 0, 1, 0b01));
    let hit: Vec<bool> = (0..5).map(|c| g.irq_lines(c).irq).collect();
    assert_eq!(hit, [false, false, true, false, false]);
    g.icc_write(0, IccReg::Sgi1r, sgi1r(1, 1, 2, 0, 0b01));
    assert!(g.irq_lines(4).irq);
    // Right Aff0 but wrong Aff2: nothing.
    g.icc_write(0, IccReg::Sgi1r, sgi1r(4, 0, 2, 0, 0b10));
    assert!(!redist_bit(&mut g, 1, GICR_ISPENDR0, 4));
}

#[test]
fn group_of_the_request_versus_the_target_configuration() {
    let mut g = linux_gic(2, false);
    g.icc_write(1, IccReg::Igrpen0, 1);
    // SGI 6 on CPU 1 is Group 1 (Linux): SGI0R cannot generate it.
    g.icc_write(0, IccReg::Sgi0r, sgi1r(6, 0, 0, 0, 0b10));
    assert!(!redist_bit(&mut g, 1, GICR_ISPENDR0, 6));
    g.icc_write(0, IccReg::Asgi1r, sgi1r(6, 0, 0, 0, 0b10));
    assert!(!redist_bit(&mut g, 1, GICR_ISPENDR0, 6));
    // Make SGI 6 Group 0 on CPU 1: SGI0R now reaches it, as a FIQ.
    g.redist_write(sgi(1) + GICR_IGROUPR0, 4, 0xFFFF_FFFF & !(1 << 6));
    g.icc_write(0, IccReg::Sgi0r, sgi1r(6, 0, 0, 0, 0b10));
    assert!(redist_bit(&mut g, 1, GICR_ISPENDR0, 6));
    assert!(g.irq_lines(1).fiq);
    assert_eq!(g.icc_read(1, IccReg::Iar0), 6);
    g.icc_write(1, IccReg::Eoir0, 6);
    // With one Security state, SGI1R may generate a Group 0 SGI too.
    g.icc_write(0, IccReg::Sgi1r, sgi1r(6, 0, 0, 0, 0b10));
    assert!(redist_bit(&mut g, 1, GICR_ISPENDR0, 6));
}

#[test]
fn sgi_pending_state_is_per_target_and_clearable() {
    let mut g = linux_gic(2, false);
    g.icc_write(0, IccReg::Sgi1r, IRM | sgi1r(7, 0, 0, 0, 0));
    assert!(redist_bit(&mut g, 1, GICR_ISPENDR0, 7));
    assert!(!redist_bit(&mut g, 0, GICR_ISPENDR0, 7));
    g.redist_write(sgi(1) + GICR_ICPENDR0, 4, 1 << 7);
    assert!(!redist_bit(&mut g, 1, GICR_ISPENDR0, 7));
    assert!(!g.irq_lines(1).irq);
    // Software can also pend an SGI directly.
    g.redist_write(sgi(0) + GICR_ISPENDR0, 4, 1 << 7);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 7);
}

#[test]
fn sgi_to_a_disabled_sgi_stays_pending() {
    let mut g = linux_gic(2, false);
    // Linux enables SGIs 0-7 only.
    g.icc_write(0, IccReg::Sgi1r, sgi1r(9, 0, 0, 0, 0b10));
    assert!(redist_bit(&mut g, 1, GICR_ISPENDR0, 9));
    assert!(!g.irq_lines(1).irq);
    g.redist_write(sgi(1) + GICR_ISENABLER0, 4, 1 << 9);
    assert_eq!(g.icc_read(1, IccReg::Iar1), 9);
}
