//! Linux's probe and bring-up sequence, and the identification values it
//! depends on.

use crate::common::*;
use gic::{Gic, IccReg, IrqLines};

#[test]
fn distributor_identifies_as_gicv3_with_288_intids() {
    let mut g = Gic::new(&mpidrs(2), 256);
    // Linux accepts ArchRev 3 or 4 in PIDR2[7:4].
    assert_eq!(g.dist_read(PIDR2, 4) & 0xF0, 0x30);
    assert_eq!(g.dist_read(GICD_IIDR, 4), 0x43B);
    assert_eq!(g.dist_read(GICD_TYPER2, 4), 0);
    let typer = g.dist_read(GICD_TYPER, 4);
    // ITLinesNumber: 32 * (N + 1) INTIDs = 32 SGI/PPI + 256 SPIs.
    assert_eq!(((typer & 0x1F) + 1) * 32, 288);
    assert_eq!((typer >> 19) & 0x1F, 15, "IDbits: 16-bit INTIDs");
    assert_ne!(typer & (1 << 17), 0, "LPIS: LPIs, through the ITS");
    assert_eq!(typer & (1 << 16), 0, "MBIS");
    assert_eq!(typer & (1 << 10), 0, "SecurityExtn");
    assert_eq!(typer & (1 << 8), 0, "ESPI");
    assert_eq!(typer & (1 << 25), 0, "No1N: 1-of-N is supported");
    assert_eq!(typer & (1 << 26), 0, "RSS");
    assert_eq!(g.num_spis(), 256);
}

#[test]
fn spi_count_rounds_up_to_typer_granule_and_caps_at_1019() {
    let mut g = Gic::new(&mpidrs(1), 100);
    assert_eq!(g.dist_read(GICD_TYPER, 4) & 0x1F, 4); // 160 INTIDs
    assert_eq!(g.num_spis(), 128);
    let mut g = Gic::new(&mpidrs(1), 5000);
    assert_eq!(g.dist_read(GICD_TYPER, 4) & 0x1F, 31);
    assert_eq!(g.num_spis(), 988);
    let mut g = Gic::new(&mpidrs(1), 0);
    assert_eq!(g.dist_read(GICD_TYPER, 4) & 0x1F, 0);
}

#[test]
fn ctlr_reads_ds_and_are_and_never_write_pending() {
    let mut g = Gic::new(&mpidrs(1), 64);
    assert_eq!(
        g.dist_read(GICD_CTLR, 4),
        0x50,
        "ARE and DS read as one at reset"
    );
    g.dist_write(GICD_CTLR, 4, 0x13);
    assert_eq!(g.dist_read(GICD_CTLR, 4), 0x53);
    g.dist_write(GICD_CTLR, 4, 0);
    assert_eq!(g.dist_read(GICD_CTLR, 4), 0x50, "ARE/DS are RAO/WI");
}

#[test]
fn redistributor_walk_finds_every_cpu_and_last_is_only_on_the_final_one() {
    // Two clusters: Aff1 = 1 for the last CPU, Aff3 = 2 for the third.
    let mp = [0x0, 0x1, 0x2_0000_0003, 0x100];
    let mut g = Gic::new(&mp, 32);
    for (i, &m) in mp.iter().enumerate() {
        assert_eq!(find_redist(&mut g, m), Some(rd(i)));
        let typer = g.redist_read(rd(i) + GICR_TYPER, 8);
        assert_eq!((typer >> 8) & 0xFFFF, i as u64, "Processor_Number");
        assert_eq!(typer & GICR_TYPER_LAST != 0, i == mp.len() - 1);
        assert_eq!(typer & 0b1011, 1, "PLPIS set; VLPIS, DirectLPI clear");
        // 32-bit halves give the same value.
        let lo = g.redist_read(rd(i) + GICR_TYPER, 4);
        let hi = g.redist_read(rd(i) + GICR_TYPER + 4, 4);
        assert_eq!(hi << 32 | lo, typer);
        assert_eq!(g.redist_read(rd(i) + GICR_IIDR, 4), 0x43B);
    }
    assert_eq!(g.redist_read(rd(2) + GICR_TYPER, 8) >> 32, 0x0200_0003);
    assert_eq!(find_redist(&mut g, 0x7), None);
    assert_eq!(g.redist_region_size(), 4 * 0x20000);
}

#[test]
fn waker_handshake_follows_processor_sleep() {
    let mut g = Gic::new(&mpidrs(2), 32);
    let both = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP;
    assert_eq!(
        g.redist_read(rd(1) + GICR_WAKER, 4),
        both,
        "asleep at reset"
    );
    g.redist_write(rd(1) + GICR_WAKER, 4, 0);
    assert_eq!(
        g.redist_read(rd(1) + GICR_WAKER, 4),
        0,
        "clearing ProcessorSleep clears ChildrenAsleep"
    );
    assert_eq!(g.redist_read(rd(0) + GICR_WAKER, 4), both, "per CPU");
    g.redist_write(rd(1) + GICR_WAKER, 4, WAKER_PROCESSOR_SLEEP);
    assert_eq!(g.redist_read(rd(1) + GICR_WAKER, 4), both);
    // ChildrenAsleep is read-only: writing it alone does not put us to sleep.
    g.redist_write(rd(0) + GICR_WAKER, 4, WAKER_CHILDREN_ASLEEP);
    assert_eq!(g.redist_read(rd(0) + GICR_WAKER, 4), 0);
}

#[test]
fn icc_ctlr_and_sre_report_the_documented_features() {
    let mut g = Gic::new(&mpidrs(1), 32);
    let ctlr = g.icc_read(0, IccReg::Ctlr);
    assert_eq!((ctlr >> 8) & 7, 4, "PRIbits: 5 priority bits");
    assert_eq!(
        (ctlr >> 11) & 7,
        0,
        "IDbits: 16-bit, as GICD_TYPER.IDbits=15"
    );
    assert_eq!((ctlr >> 15) & 1, 1, "A3V, as GICD_TYPER.A3V");
    assert_eq!(g.dist_read(GICD_TYPER, 4) >> 24 & 1, 1);
    assert_eq!(
        ctlr & (1 << 14 | 1 << 18 | 1 << 19),
        0,
        "SEIS, RSS, ExtRange"
    );
    // Read-only fields survive a write of all ones; CBPR and EOImode stick.
    g.icc_write(0, IccReg::Ctlr, u64::MAX);
    assert_eq!(g.icc_read(0, IccReg::Ctlr), ctlr | 0b11);
    // KVM's probe: write 0 to ICC_SRE_EL1, SRE must still read 1.
    g.icc_write(0, IccReg::SreEl1, 0);
    assert_eq!(g.icc_read(0, IccReg::SreEl1) & 1, 1);
    // ICC_SRE_EL2: SRE RAO, Enable [3] writable.
    g.icc_write(0, IccReg::SreEl2, 0);
    assert_eq!(g.icc_read(0, IccReg::SreEl2) & 0b1001, 0b0001);
    g.icc_write(0, IccReg::SreEl2, 0b1001);
    assert_eq!(g.icc_read(0, IccReg::SreEl2) & 0b1001, 0b1001);
}

#[test]
fn binary_points_clamp_to_their_minimum() {
    let mut g = Gic::new(&mpidrs(1), 32);
    // 5 preemption bits: minimum BPR0 = 2, minimum BPR1 = 3.
    g.icc_write(0, IccReg::Bpr1, 0);
    assert_eq!(g.icc_read(0, IccReg::Bpr1), 3);
    g.icc_write(0, IccReg::Bpr0, 0);
    assert_eq!(g.icc_read(0, IccReg::Bpr0), 2);
    g.icc_write(0, IccReg::Bpr0, 5);
    assert_eq!(g.icc_read(0, IccReg::Bpr0), 5);
    // CBPR: BPR1 reads as BPR0 + 1 (saturating at 7) and ignores writes.
    g.icc_write(0, IccReg::Ctlr, 1);
    assert_eq!(g.icc_read(0, IccReg::Bpr1), 6);
    g.icc_write(0, IccReg::Bpr1, 4);
    assert_eq!(g.icc_read(0, IccReg::Bpr1), 6);
    g.icc_write(0, IccReg::Bpr0, 7);
    assert_eq!(g.icc_read(0, IccReg::Bpr1), 7);
}

#[test]
fn full_linux_bring_up_then_timer_ppi_is_delivered() {
    let mut g = linux_gic(2, true);
    assert_eq!(g.icc_read(0, IccReg::Pmr), LINUX_PMR);
    assert_eq!(g.icc_read(0, IccReg::Igrpen1), 1);
    assert_eq!(g.icc_read(0, IccReg::Ctlr) & 2, 2, "EOImode=1 at EL2");
    assert_eq!(g.irq_lines(0), IrqLines::default());

    // Linux requests the EL1 physical timer PPI 30 (level, priority 0xA0).
    enable_private(&mut g, 0, 30, LINUX_PRIO);
    g.set_ppi_level(0, 30, true);
    assert_eq!(
        g.irq_lines(0),
        IrqLines {
            irq: true,
            fiq: false
        }
    );
    assert_eq!(g.irq_lines(1), IrqLines::default(), "PPIs are private");
    assert_eq!(g.icc_read(0, IccReg::Hppir1), 30);
    assert_eq!(g.icc_read(0, IccReg::Iar1), 30);
    assert_eq!(g.icc_read(0, IccReg::Rpr), u64::from(LINUX_PRIO));
    // Split mode: EOI drops priority, the handler reprograms the timer
    // (line drops), then DIR deactivates.
    g.icc_write(0, IccReg::Eoir1, 30);
    assert_eq!(g.icc_read(0, IccReg::Rpr), 0xFF);
    assert!(redist_bit(&mut g, 0, GICR_ISACTIVER0, 30));
    g.set_ppi_level(0, 30, false);
    g.icc_write(0, IccReg::Dir, 30);
    assert!(!redist_bit(&mut g, 0, GICR_ISACTIVER0, 30));
    assert_eq!(g.irq_lines(0), IrqLines::default());
    assert_eq!(g.icc_read(0, IccReg::Iar1), SPURIOUS);
}

#[test]
fn reset_returns_to_power_on_state() {
    let mut g = linux_gic(2, false);
    enable_spi(&mut g, 40, 0x80, 0);
    g.set_spi_level(40, true);
    assert!(g.irq_lines(0).irq);
    g.reset();
    assert!(!g.irq_lines(0).irq);
    assert_eq!(g.dist_read(GICD_CTLR, 4), 0x50);
    assert_eq!(g.redist_read(rd(1) + GICR_WAKER, 4), 6);
    assert_eq!(g.num_cpus(), 2);
    assert_eq!(find_redist(&mut g, 1), Some(rd(1)));
}
