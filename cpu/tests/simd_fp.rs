//! Advanced SIMD floating point (exec/simd_fp): hand-computed results of one instruction
//! of each class, and reserved encodings that must be UNDEFINED. The differential tester
//! (scripts/difftest, classes simd_3same, simd_2misc, simd_by_elem, ...) covers the rest.

use cpu::sysreg::SR;
use cpu::{Conduit, Cpu, CpuConfig};
mod common;
use common::RamBus;
use mmu::GuestRam;

const BASE: u64 = 0x4000_0000;

/// Run `word` once at EL1 with FP enabled and the given V registers; returns the CPU and
/// whether the instruction completed (PC advanced by 4).
fn run(word: u32, regs: &[(usize, u128)]) -> (Cpu, bool) {
    let mut bus = RamBus(GuestRam::new(BASE, 0x10000).unwrap());
    bus.0.write_bytes(BASE, &word.to_le_bytes()).unwrap();
    let mut cpu = Cpu::new(
        CpuConfig {
            has_el2: false,
            conduit: Conduit::Hvc,
            mpidr_aff: 0,
            index: 0,
            gic: false,
            pa_bits: 48,
            mte: false,
            spe: 0,
        },
        1,
    );
    cpu.set_sysreg(SR::CPACR_EL1, 3 << 20);
    cpu.set_sysreg(SR::VBAR_EL1, BASE + 0x800);
    for &(i, v) in regs {
        cpu.set_vreg(i, v);
    }
    cpu.set_pc(BASE);
    cpu.run(&mut bus, 1);
    let ok = cpu.pc() == BASE + 4;
    (cpu, ok)
}

/// Four single-precision lanes, lane 0 first.
fn s4(l: [f32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |a, (i, x)| a | (x.to_bits() as u128) << (32 * i))
}

/// Two double-precision lanes, lane 0 first.
fn d2(l: [f64; 2]) -> u128 {
    l[0].to_bits() as u128 | (l[1].to_bits() as u128) << 64
}

#[test]
fn three_same() {
    // FADD v0.4s, v1.4s, v2.4s
    let (c, ok) = run(
        0x4e22d420,
        &[
            (1, s4([1.0, 2.0, -3.0, 0.5])),
            (2, s4([1.0, 0.25, 3.0, 0.25])),
        ],
    );
    assert!(ok);
    assert_eq!(c.vreg(0), s4([2.0, 2.25, 0.0, 0.75]));
    // FMLA v0.2d, v1.2d, v2.2d
    let (c, ok) = run(
        0x4e62cc20,
        &[
            (0, d2([1.0, 10.0])),
            (1, d2([2.0, 3.0])),
            (2, d2([4.0, -1.0])),
        ],
    );
    assert!(ok);
    assert_eq!(c.vreg(0), d2([9.0, 7.0]));
    // FMULX s0, s1, s2: infinity times zero is 2.0 with the product's sign.
    let (c, ok) = run(
        0x5e22dc20,
        &[
            (0, u128::MAX),
            (1, s4([f32::INFINITY, 0.0, 0.0, 0.0])),
            (2, s4([-0.0, 0.0, 0.0, 0.0])),
        ],
    );
    assert!(ok);
    assert_eq!(c.vreg(0), (-2.0f32).to_bits() as u128);
    // FADD with .2d and Q = 0 is reserved.
    assert!(!run(0x0e62d420, &[]).1);
}

#[test]
fn two_reg_misc() {
    // FCMGT v0.4s, v1.4s, #0.0 (NaN compares false and sets IOC).
    let (c, ok) = run(0x4ea0c820, &[(1, s4([1.0, -1.0, 0.0, f32::NAN]))]);
    assert!(ok);
    assert_eq!(c.vreg(0), 0xffff_ffff);
    assert_eq!(c.sysreg(SR::FPSR) & 1, 1);
    // FCVTL v0.2d, v1.2s
    let (c, ok) = run(0x0e617820, &[(1, s4([1.5, -2.0, 9.0, 9.0]))]);
    assert!(ok);
    assert_eq!(c.vreg(0), d2([1.5, -2.0]));
    // FCVTN v0.2s, v1.2d clears the upper half.
    let (c, ok) = run(0x0e616820, &[(0, u128::MAX), (1, d2([0.25, -8.0]))]);
    assert!(ok);
    assert_eq!(c.vreg(0), s4([0.25, -8.0, 0.0, 0.0]));
}

#[test]
fn across_pairwise_elem_fixed() {
    // FMAXV s0, v1.4s
    let (c, ok) = run(0x6e30f820, &[(1, s4([1.0, 7.0, -3.0, 5.0]))]);
    assert!(ok);
    assert_eq!(c.vreg(0), 7.0f32.to_bits() as u128);
    // FADDP s0, v1.2s
    let (c, ok) = run(0x7e30d820, &[(1, s4([1.0, 7.0, 100.0, 100.0]))]);
    assert!(ok);
    assert_eq!(c.vreg(0), 8.0f32.to_bits() as u128);
    // FMUL v0.4s, v1.4s, v2.s[1]
    let (c, ok) = run(
        0x4fa29020,
        &[
            (1, s4([1.0, 2.0, 3.0, -4.0])),
            (2, s4([0.0, 0.5, 0.0, 0.0])),
        ],
    );
    assert!(ok);
    assert_eq!(c.vreg(0), s4([0.5, 1.0, 1.5, -2.0]));
    // SCVTF v0.4s, v1.4s, #16
    let (c, ok) = run(
        0x4f30e420,
        &[(1, 0xffff_0000_0000_8000_0001_0000_0003_0000)],
    );
    assert!(ok);
    assert_eq!(c.vreg(0), s4([3.0, 1.0, 0.5, -1.0]));
}
