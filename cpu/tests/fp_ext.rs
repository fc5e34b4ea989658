//! The Armv8.x extensions after FEAT_FP16 against hand-worked values from the Arm ARM
//! pseudocode: FEAT_FlagM2 (AXFLAG, XAFLAG), FEAT_FRINTTS (FRINT32*/FRINT64*), FEAT_FCMA
//! (FCMLA, FCADD) and FEAT_FHM (FMLAL/FMLSL). Words from GNU as; the differential tester
//! (scripts/difftest: flagm, fp_frintts, simd_fcma, qemu_fcmla_4h, simd_fhm) covers the
//! rest.

use cpu::sysreg::SR;
use cpu::Cpu;
mod common;
use common::{machine, BASE};

const IOC: u64 = 1;
const IXC: u64 = 1 << 4;

/// Run `word` once with NZCV `nzcv` (bits 31:28), FPCR `fpcr` and the given V registers.
fn run(word: u32, nzcv: u32, fpcr: u64, regs: &[(usize, u128)]) -> Cpu {
    let (mut cpu, mut bus) = machine(&[word]);
    cpu.set_nzcv(nzcv);
    cpu.set_sysreg(SR::FPCR, fpcr);
    for &(i, v) in regs {
        cpu.set_vreg(i, v);
    }
    cpu.run(&mut bus, 1);
    assert_eq!(cpu.pc(), BASE + 4, "{word:#010x} should execute");
    cpu
}

/// Lanes of `bits` bits, lane 0 first.
fn lanes(l: &[u64], bits: u32) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |v, (i, &x)| v | (x as u128) << (bits * i as u32))
}

fn s(l: &[f32]) -> u128 {
    lanes(
        &l.iter().map(|x| x.to_bits() as u64).collect::<Vec<_>>(),
        32,
    )
}

fn d(l: &[f64]) -> u128 {
    lanes(&l.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), 64)
}

/// FP16 lanes of small integers and halves (exact in half precision).
fn h(l: &[f32]) -> u128 {
    let enc = |x: f32| -> u64 {
        if x == 0.0 {
            return 0;
        }
        let (sign, a) = ((x < 0.0) as u64, x.abs());
        let e = a.log2().floor() as i32;
        let frac = ((a / 2f32.powi(e) - 1.0) * 1024.0) as u64;
        sign << 15 | ((e + 15) as u64) << 10 | frac
    };
    lanes(&l.iter().map(|&x| enc(x)).collect::<Vec<_>>(), 16)
}

#[test]
fn axflag_xaflag() {
    // FCMP's four outcomes (less, equal, greater, unordered) in the "external" form AXFLAG
    // makes (unordered reads as equal and not greater: Z, no C), and back with XAFLAG.
    for (arm, ext) in [
        (0b1000, 0b0000),
        (0b0110, 0b0110),
        (0b0010, 0b0010),
        (0b0011, 0b0100),
    ] {
        let c = run(0xd500405f, arm << 28, 0, &[]);
        assert_eq!(c.nzcv() >> 28, ext, "axflag from {arm:04b}");
        let c = run(0xd500403f, ext << 28, 0, &[]);
        assert_eq!(c.nzcv() >> 28, arm, "xaflag from {ext:04b}");
    }
}

#[test]
fn frint32_frint64() {
    let min32 = (-2147483648.0f32).to_bits() as u128;
    // frint32z s0, s1: (input, result, FPSR). Out of range, NaN: the most negative int32.
    for (x, want, fpsr) in [
        (2.75f32.to_bits(), 2.0f32.to_bits() as u128, IXC),
        ((-2.75f32).to_bits(), (-2.0f32).to_bits() as u128, IXC),
        ((-0.5f32).to_bits(), (-0.0f32).to_bits() as u128, IXC),
        (2147483648.0f32.to_bits(), min32, IOC),
        ((-2147483648.0f32).to_bits(), min32, 0),
        (0x7fc0_0000, min32, IOC),
    ] {
        let c = run(0x1e284020, 0, 0, &[(1, 0xffff_0000_0000 | x as u128)]);
        assert_eq!(c.vreg(0), want, "frint32z {x:#x}");
        assert_eq!(c.sysreg(SR::FPSR), fpsr, "frint32z {x:#x}");
    }
    // frint64x d0, d1 (round to nearest, ties to even): 2^63 is out of range, the double
    // below -2^63 too.
    let min64 = (-9223372036854775808.0f64).to_bits() as u128;
    for (x, want, fpsr) in [
        (2.5f64, 2.0f64.to_bits() as u128, IXC),
        (9223372036854775808.0, min64, IOC),
        (-9223372036854777856.0, min64, IOC),
        (f64::INFINITY, min64, IOC),
    ] {
        let c = run(0x1e69c020, 0, 0, &[(1, x.to_bits() as u128)]);
        assert_eq!(c.vreg(0), want, "frint64x {x}");
        assert_eq!(c.sysreg(SR::FPSR), fpsr, "frint64x {x}");
    }
    // frint32x v0.4s, v1.4s under round toward minus infinity (FPCR.RMode = 10).
    let c = run(0x6e21e820, 0, 2 << 22, &[(1, s(&[1.5, -1.5, 3e9, -0.0]))]);
    assert_eq!(c.vreg(0), s(&[1.0, -2.0, -2147483648.0, -0.0]));
    assert_eq!(c.sysreg(SR::FPSR), IXC | IOC);
    // frint64z v0.2d, v1.2d
    let c = run(0x4e61f820, 0, 0, &[(1, d(&[1e19, -1.9]))]);
    assert_eq!(c.vreg(0), d(&[-9223372036854775808.0, -1.0]));
    assert_eq!(c.sysreg(SR::FPSR), IXC | IOC);
}

#[test]
fn fcmla_fcadd() {
    // Vn = (1 + 2i, 3 + 4i), Vm = (5 + 6i, 7 + 8i), Vd = (10 + 20i, 30 + 40i). #0 adds
    // Vn.re * Vm, #90 adds Vn.im * i*Vm, #180 and #270 their negations: #0 then #90 is
    // the complex product, (1 + 2i)(5 + 6i) = -7 + 16i.
    let regs = [
        (0, s(&[10.0, 20.0, 30.0, 40.0])),
        (1, s(&[1.0, 2.0, 3.0, 4.0])),
        (2, s(&[5.0, 6.0, 7.0, 8.0])),
    ];
    for (word, want) in [
        (0x6e82c420, [15.0, 26.0, 51.0, 64.0]),
        (0x6e82cc20, [-2.0, 30.0, -2.0, 68.0]),
        (0x6e82d420, [5.0, 14.0, 9.0, 16.0]),
        (0x6e82dc20, [22.0, 10.0, 62.0, 12.0]),
        // fcmla v0.4s, v1.4s, v2.s[1], #90: Vm's pair 1 (7 + 8i) for both pairs.
        (0x6f823820, [-6.0, 34.0, -2.0, 68.0]),
    ] {
        let c = run(word, 0, 0, &regs);
        assert_eq!(c.vreg(0), s(&want), "{word:#010x}");
    }
    // fcadd v0.2d, v1.2d, v2.2d, #90: (1 + 2i) + i(5 + 6i) = -5 + 7i.
    let c = run(
        0x6ec2e420,
        0,
        0,
        &[(1, d(&[1.0, 2.0])), (2, d(&[5.0, 6.0]))],
    );
    assert_eq!(c.vreg(0), d(&[-5.0, 7.0]));
    // fcadd v0.4h, v1.4h, v2.4h, #270: n - i*m; the upper half of Vd is zeroed.
    let c = run(
        0x2e42f420,
        0,
        0,
        &[
            (0, u128::MAX),
            (1, h(&[1.0, 2.0, 3.0, 4.0, 9.0, 9.0, 9.0, 9.0])),
            (2, h(&[5.0, 6.0, 7.0, 8.0])),
        ],
    );
    assert_eq!(c.vreg(0), h(&[7.0, -3.0, 11.0, -3.0]));
}

#[test]
fn fmlal_fmlsl() {
    let acc = s(&[10.0, 20.0, 30.0, 40.0]);
    let vn = h(&[1.0, 2.0, 3.0, 4.0, 0.5, -1.0, 1024.0, 65504.0]);
    let vm = h(&[5.0, 6.0, 7.0, 8.0, 0.0, 2.0, 0.0, 3.0]);
    let regs = [(0, acc), (1, vn), (2, vm), (15, vm)];
    for (word, want) in [
        // fmlal v0.4s, v1.4h, v2.4h: the lower halves.
        (0x4e22ec20, s(&[15.0, 32.0, 51.0, 72.0])),
        // fmlsl2 v0.2s, v1.2h, v2.2h: H lanes 2, 3 (the upper half of 64 bits).
        (0x2ea2cc20, s(&[-11.0, -12.0])),
        // fmlal2 v0.4s, v1.4h, v2.h[5]: H lanes 4..7 times 2; 65504 * 2 overflows half
        // precision but not the single-precision sum.
        (0x6f928820, s(&[11.0, 18.0, 2078.0, 131048.0])),
        // fmlsl v0.2s, v1.2h, v15.h[7]: minus the lower lanes times 3.
        (0x0fbf4820, s(&[7.0, 14.0])),
    ] {
        let c = run(word, 0, 0, &regs);
        assert_eq!(c.vreg(0), want, "{word:#010x}");
        assert_eq!(c.sysreg(SR::FPSR), 0, "{word:#010x}");
    }
    // A signalling NaN half is quietened (IOC) and widened with its payload on top.
    let c = run(0x4e22ec20, 0, 0, &[(0, acc), (1, 0x7c01), (2, h(&[1.0]))]);
    assert_eq!(c.vreg(0) as u32, 0x7fc0_2000);
    assert_eq!(c.sysreg(SR::FPSR), IOC);
}
