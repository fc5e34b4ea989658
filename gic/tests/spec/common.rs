//! Spec offsets and a Linux-like bring-up used by several tests.

use gic::{Gic, IccReg};

// GICD (IHI0069 section 12.9).
pub const GICD_CTLR: u64 = 0x0000;
pub const GICD_TYPER: u64 = 0x0004;
pub const GICD_IIDR: u64 = 0x0008;
pub const GICD_TYPER2: u64 = 0x000C;
pub const GICD_IGROUPR: u64 = 0x0080;
pub const GICD_ISENABLER: u64 = 0x0100;
pub const GICD_ICENABLER: u64 = 0x0180;
pub const GICD_ISPENDR: u64 = 0x0200;
pub const GICD_ICPENDR: u64 = 0x0280;
pub const GICD_ISACTIVER: u64 = 0x0300;
pub const GICD_ICACTIVER: u64 = 0x0380;
pub const GICD_IPRIORITYR: u64 = 0x0400;
pub const GICD_ICFGR: u64 = 0x0C00;
pub const GICD_IROUTER: u64 = 0x6000;
pub const PIDR2: u64 = 0xFFE8;
pub const CTLR_RWP: u64 = 1 << 31;

// GICR (IHI0069 section 12.10), RD_base frame.
pub const GICR_CTLR: u64 = 0x0000;
pub const GICR_IIDR: u64 = 0x0004;
pub const GICR_TYPER: u64 = 0x0008;
pub const GICR_WAKER: u64 = 0x0014;
pub const GICR_CTLR_RWP: u64 = 1 << 3;
pub const WAKER_PROCESSOR_SLEEP: u64 = 1 << 1;
pub const WAKER_CHILDREN_ASLEEP: u64 = 1 << 2;
pub const GICR_TYPER_LAST: u64 = 1 << 4;
// GICR SGI_base frame, relative to it.
pub const SGI_BASE: u64 = 0x1_0000;
pub const GICR_IGROUPR0: u64 = 0x0080;
pub const GICR_ISENABLER0: u64 = 0x0100;
pub const GICR_ICENABLER0: u64 = 0x0180;
pub const GICR_ISPENDR0: u64 = 0x0200;
pub const GICR_ICPENDR0: u64 = 0x0280;
pub const GICR_ISACTIVER0: u64 = 0x0300;
pub const GICR_ICACTIVER0: u64 = 0x0380;
pub const GICR_IPRIORITYR: u64 = 0x0400;
pub const GICR_ICFGR0: u64 = 0x0C00;
pub const GICR_ICFGR1: u64 = 0x0C04;

pub const STRIDE: u64 = 0x2_0000;
pub const SPURIOUS: u64 = 1023;
/// Linux's default interrupt priority and priority mask.
pub const LINUX_PRIO: u8 = 0xA0;
pub const LINUX_PMR: u64 = 0xF0;

/// Redistributor RD_base offset of `cpu` in the redistributor region.
pub fn rd(cpu: usize) -> u64 {
    cpu as u64 * STRIDE
}

/// SGI_base frame offset of `cpu`.
pub fn sgi(cpu: usize) -> u64 {
    rd(cpu) + SGI_BASE
}

/// Simple MPIDRs: Aff0 = index.
pub fn mpidrs(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
}

/// The distributor part of Linux's gic_dist_init.
pub fn linux_dist_init(g: &mut Gic) {
    g.dist_write(GICD_CTLR, 4, 0);
    assert_eq!(g.dist_read(GICD_CTLR, 4) & CTLR_RWP, 0);
    let typer = g.dist_read(GICD_TYPER, 4);
    let irqs = (((typer & 0x1F) + 1) * 32).min(1020);
    for i in (32..irqs).step_by(32) {
        g.dist_write(GICD_IGROUPR + i / 8, 4, 0xFFFF_FFFF);
        g.dist_write(GICD_ICACTIVER + i / 8, 4, 0xFFFF_FFFF);
        g.dist_write(GICD_ICENABLER + i / 8, 4, 0xFFFF_FFFF);
    }
    for i in (32..irqs).step_by(16) {
        g.dist_write(GICD_ICFGR + i / 4, 4, 0);
    }
    for i in (32..irqs).step_by(4) {
        g.dist_write(GICD_IPRIORITYR + i, 4, 0xA0A0_A0A0);
    }
    assert_eq!(g.dist_read(GICD_CTLR, 4) & CTLR_RWP, 0);
    // ARE_NS | EnableGrp1A | EnableGrp1, as Linux writes it.
    g.dist_write(GICD_CTLR, 4, 0x13);
    assert_eq!(g.dist_read(GICD_CTLR, 4) & CTLR_RWP, 0);
    for i in 32..irqs {
        g.dist_write(GICD_IROUTER + 8 * i, 8, 0); // boot CPU affinity 0.0.0.0
    }
}

/// Linux's search for the redistributor whose GICR_TYPER affinity matches.
pub fn find_redist(g: &mut Gic, mpidr: u64) -> Option<u64> {
    let want = ((mpidr >> 32) & 0xFF) << 24 | (mpidr & 0xFF_FFFF);
    let mut base = 0;
    loop {
        assert_eq!(
            g.redist_read(base + PIDR2, 4) & 0xF0,
            0x30,
            "GICR PIDR2 ArchRev"
        );
        let typer = g.redist_read(base + GICR_TYPER, 8);
        if typer >> 32 == want {
            return Some(base);
        }
        if typer & GICR_TYPER_LAST != 0 {
            return None;
        }
        base += STRIDE;
    }
}

/// Linux's per-CPU bring-up: wake the redistributor, configure SGIs/PPIs,
/// then the system registers. `el2` selects split EOI/deactivate mode.
pub fn linux_cpu_init(g: &mut Gic, cpu: usize, mpidr: u64, el2: bool) {
    let base = find_redist(g, mpidr).expect("redistributor for this CPU");
    assert_eq!(base, rd(cpu));
    let w = g.redist_read(base + GICR_WAKER, 4);
    g.redist_write(base + GICR_WAKER, 4, w & !WAKER_PROCESSOR_SLEEP);
    let mut polls = 0;
    while g.redist_read(base + GICR_WAKER, 4) & WAKER_CHILDREN_ASLEEP != 0 {
        polls += 1;
        assert!(polls < 10, "ChildrenAsleep never cleared");
    }
    let s = base + SGI_BASE;
    g.redist_write(s + GICR_ICACTIVER0, 4, 0xFFFF_FFFF);
    g.redist_write(s + GICR_ICENABLER0, 4, 0xFFFF_FFFF);
    assert_eq!(g.redist_read(base + GICR_CTLR, 4) & GICR_CTLR_RWP, 0);
    for i in (0..32).step_by(4) {
        g.redist_write(s + GICR_IPRIORITYR + i, 4, 0xA0A0_A0A0);
    }
    g.redist_write(s + GICR_IGROUPR0, 4, 0xFFFF_FFFF);

    // gic_cpu_sys_reg_init.
    g.icc_write(cpu, IccReg::SreEl1, 1);
    assert_eq!(g.icc_read(cpu, IccReg::SreEl1) & 1, 1, "SRE sticks");
    let pribits = ((g.icc_read(cpu, IccReg::Ctlr) >> 8) & 7) + 1;
    g.icc_write(cpu, IccReg::Pmr, 1 << (8 - pribits));
    let group0 = g.icc_read(cpu, IccReg::Pmr) != 0;
    assert!(group0, "with DS=1 the group 0 probe must succeed");
    g.icc_write(cpu, IccReg::Pmr, LINUX_PMR);
    g.icc_write(cpu, IccReg::Bpr1, 0);
    g.icc_write(cpu, IccReg::Ctlr, if el2 { 2 } else { 0 });
    g.icc_write(cpu, IccReg::Ap0r(0), 0);
    g.icc_write(cpu, IccReg::Ap1r(0), 0);
    g.icc_write(cpu, IccReg::Igrpen1, 1);
    // Linux's IPIs are SGIs 0-7.
    g.redist_write(s + GICR_ISENABLER0, 4, 0xFF);
}

/// A GIC with `n` CPUs (MPIDR Aff0 = index), 256 SPIs, booted like Linux.
pub fn linux_gic(n: usize, el2: bool) -> Gic {
    let mut g = Gic::new(&mpidrs(n), 256);
    linux_dist_init(&mut g);
    for cpu in 0..n {
        linux_cpu_init(&mut g, cpu, cpu as u64, el2);
    }
    g
}

/// Enable SPI `intid` with `prio`, routed to affinity `aff` (IRM=0).
pub fn enable_spi(g: &mut Gic, intid: u64, prio: u8, aff: u64) {
    g.dist_write(GICD_IPRIORITYR + intid, 1, u64::from(prio));
    g.dist_write(GICD_IROUTER + 8 * intid, 8, aff);
    g.dist_write(GICD_ISENABLER + 4 * (intid / 32), 4, 1 << (intid % 32));
}

/// Configure SPI `intid` as edge-triggered (true) or level (false).
pub fn config_spi(g: &mut Gic, intid: u64, edge: bool) {
    let off = GICD_ICFGR + 4 * (intid / 16);
    let shift = 2 * (intid % 16) + 1;
    let v = g.dist_read(off, 4) & !(1 << shift);
    g.dist_write(off, 4, v | (u64::from(edge) << shift));
}

/// Enable PPI/SGI `intid` on `cpu` with `prio`.
pub fn enable_private(g: &mut Gic, cpu: usize, intid: u64, prio: u8) {
    g.redist_write(sgi(cpu) + GICR_IPRIORITYR + intid, 1, u64::from(prio));
    g.redist_write(sgi(cpu) + GICR_ISENABLER0, 4, 1 << intid);
}

/// Bit of INTID `intid` in the GICD one-bit-per-INTID register at `base`.
pub fn dist_bit(g: &mut Gic, base: u64, intid: u64) -> bool {
    g.dist_read(base + 4 * (intid / 32), 4) & (1 << (intid % 32)) != 0
}

/// Bit of private INTID `intid` of `cpu` in the GICR register at `reg`.
pub fn redist_bit(g: &mut Gic, cpu: usize, reg: u64, intid: u64) -> bool {
    g.redist_read(sgi(cpu) + reg, 4) & (1 << intid) != 0
}
