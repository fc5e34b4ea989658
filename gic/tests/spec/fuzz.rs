//! Random MMIO, ICC and wire traffic must never panic and must keep the
//! basic invariants (never IRQ and FIQ at once; IAR returns a real INTID or
//! 1023).

use crate::common::*;
use gic::{Gic, IccReg};

/// xorshift64*: deterministic, dependency-free randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SIZES: [u8; 8] = [1, 2, 4, 8, 0, 3, 16, 255];

fn offset(r: &mut Rng, span: u64) -> u64 {
    match r.below(4) {
        0 => r.next(),                                         // anything at all
        1 => r.below(span),                                    // any byte in range
        2 => r.below(span / 4) * 4,                            // aligned word
        _ => r.below(0x1000) + (r.below(2) * (span - 0x1000)), // busy low area or ID area
    }
}

fn value(r: &mut Rng) -> u64 {
    match r.below(3) {
        0 => 0,
        1 => u64::MAX,
        _ => r.next(),
    }
}

#[test]
fn random_traffic_never_panics() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut acks = 0;
    for round in 0..4 {
        let n = 1 + round;
        let mut g = if round % 2 == 0 {
            linux_gic(n, round == 2)
        } else {
            Gic::new(&mpidrs(n), 100)
        };
        for _ in 0..50_000 {
            let size = SIZES[r.below(SIZES.len() as u64) as usize];
            match r.below(9) {
                0 => {
                    let o = offset(&mut r, 0x10000);
                    g.dist_read(o, size);
                }
                1 => {
                    let (o, v) = (offset(&mut r, 0x10000), value(&mut r));
                    g.dist_write(o, size, v);
                }
                2 => {
                    let o = offset(&mut r, 0x20000 * n as u64 + 0x20000);
                    g.redist_read(o, size);
                }
                3 => {
                    let (o, v) = (offset(&mut r, 0x20000 * n as u64 + 0x20000), value(&mut r));
                    g.redist_write(o, size, v);
                }
                4 => {
                    let reg = IccReg::ALL[r.below(IccReg::ALL.len() as u64) as usize];
                    let reg = match reg {
                        IccReg::Ap0r(_) => IccReg::Ap0r(r.next() as u8),
                        IccReg::Ap1r(_) => IccReg::Ap1r(r.next() as u8),
                        other => other,
                    };
                    let cpu = r.below(n as u64 + 2) as usize;
                    if r.below(2) == 0 {
                        let v = g.icc_read(cpu, reg);
                        if matches!(reg, IccReg::Iar0 | IccReg::Iar1) && cpu < n {
                            assert!(v < 1020 || v == 1023, "IAR returned {v}");
                            acks += usize::from(v < 1020);
                        }
                    } else {
                        let v = value(&mut r);
                        g.icc_write(cpu, reg, v);
                    }
                }
                5 => {
                    let intid = if r.below(4) == 0 {
                        r.next() as u32
                    } else {
                        r.below(1100) as u32
                    };
                    g.set_spi_level(intid, r.below(2) == 0);
                }
                6 => {
                    let intid = if r.below(4) == 0 {
                        r.next() as u32
                    } else {
                        r.below(40) as u32
                    };
                    g.set_ppi_level(r.below(n as u64 + 2) as usize, intid, r.below(2) == 0);
                }
                7 => {
                    // Now and then, open every gate so deliveries happen.
                    let cpu = r.below(n as u64) as usize;
                    g.dist_write(GICD_CTLR, 4, 0x13);
                    g.redist_write(rd(cpu) + GICR_WAKER, 4, 0);
                    g.icc_write(cpu, IccReg::Pmr, 0xFF);
                    g.icc_write(cpu, IccReg::Igrpen0, 1);
                    g.icc_write(cpu, IccReg::Igrpen1, 1);
                    g.redist_write(sgi(cpu) + GICR_ISENABLER0, 4, 0xFFFF_FFFF);
                    g.dist_write(GICD_ISENABLER + 4 * r.below(4), 4, 0xFFFF_FFFF);
                }
                _ => {
                    let cpu = r.below(n as u64 + 2) as usize;
                    let l = g.irq_lines(cpu);
                    assert!(!(l.irq && l.fiq), "IRQ and FIQ asserted together");
                }
            }
        }
        g.reset();
    }
    // The traffic must actually reach the interesting states.
    assert!(acks > 50, "only {acks} acknowledges");
    eprintln!("fuzz: {acks} acknowledges");
}

#[test]
fn sweep_every_word_of_every_frame() {
    let mut g = linux_gic(2, false);
    for o in (0..0x10000u64).step_by(4) {
        let v = g.dist_read(o, 4);
        g.dist_write(o, 4, v);
        g.dist_write(o, 4, u64::MAX);
        g.dist_write(o, 4, 0);
    }
    for o in (0..0x40000u64).step_by(4) {
        let v = g.redist_read(o, 4);
        g.redist_write(o, 4, v);
        g.redist_write(o, 4, u64::MAX);
        g.redist_write(o, 4, 0);
    }
    // The identification registers are read-only and survive the sweep.
    assert_eq!(g.dist_read(GICD_IIDR, 4), 0x43B);
    assert_eq!(g.dist_read(PIDR2, 4), 0x3B);
    assert_eq!(g.redist_read(rd(1) + GICR_TYPER, 8) >> 32, 1);
}
