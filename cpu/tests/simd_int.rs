//! Advanced SIMD integer instructions (exec/simd_int): every word of
//! `simd_int_data/vectors.rs` (GNU as output) executed once from a fixed register state,
//! compared with the destination register and FPSR.QC that Unicorn produced for the same
//! word (see `simd_int_data/gen.py`), plus reserved encodings that must be UNDEFINED and
//! the FP/SIMD access trap; the dot products and matrix multiplies (FEAT_DotProd,
//! FEAT_I8MM) against hand-worked values.

use cpu::sysreg::SR;
use cpu::{Conduit, Cpu, CpuConfig};
mod common;
use common::RamBus;
use mmu::GuestRam;

include!("simd_int_data/vectors.rs");

const BASE: u64 = 0x4000_0000;

/// A CPU at EL1 (FP enabled by CPACR_EL1.FPEN = 0b11) with INIT in V0..V31 and `words` at
/// BASE; exception vectors at BASE + 0x800.
fn machine(words: &[u32]) -> (Cpu, RamBus) {
    let bus = RamBus(GuestRam::new(BASE, 0x10000).unwrap());
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    bus.0.write_bytes(BASE, &bytes).unwrap();
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
    for (i, &v) in INIT.iter().enumerate() {
        cpu.set_vreg(i, v);
    }
    cpu.set_pc(BASE);
    (cpu, bus)
}

#[test]
fn vectors_match_unicorn() {
    let mut failures = Vec::new();
    for &(word, rd, want, want_qc) in VECTORS {
        let (mut cpu, mut bus) = machine(&[word]);
        cpu.run(&mut bus, 1);
        let got = cpu.vreg(rd);
        let qc = cpu.sysreg(SR::FPSR) >> 27 & 1 != 0;
        if cpu.pc() != BASE + 4 || got != want || qc != want_qc {
            failures.push(format!(
                "{word:#010x}: v{rd} = {got:#034x} qc {qc} pc {:#x}, want {want:#034x} qc {want_qc}",
                cpu.pc()
            ));
        }
        for (i, &v) in INIT.iter().enumerate() {
            if i != rd && cpu.vreg(i) != v {
                failures.push(format!("{word:#010x}: v{i} changed"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ:\n{}",
        failures.len(),
        VECTORS.len(),
        failures.join("\n")
    );
}

#[test]
fn reserved_encodings_are_undefined() {
    for &(word, undefined) in UNDEF {
        let (mut cpu, mut bus) = machine(&[word]);
        cpu.run(&mut bus, 1);
        if undefined {
            // Unknown reason (EC 0) at EL1, taken to the current-EL SPx synchronous vector.
            assert_eq!(
                cpu.pc(),
                BASE + 0x800 + 0x200,
                "{word:#010x} should be UNDEFINED"
            );
            assert_eq!(cpu.sysreg(SR::ESR_EL1) >> 26, 0, "{word:#010x}");
        } else {
            assert_eq!(cpu.pc(), BASE + 4, "{word:#010x} should execute");
        }
    }
}

#[test]
fn fp_disabled_traps_with_ec_7() {
    // add v0.16b, v1.16b, v2.16b (aarch64-linux-gnu-as) with CPACR_EL1.FPEN = 0.
    let (mut cpu, mut bus) = machine(&[0x4e228420]);
    cpu.set_sysreg(SR::CPACR_EL1, 0);
    cpu.run(&mut bus, 1);
    assert_eq!(cpu.pc(), BASE + 0x800 + 0x200);
    assert_eq!(cpu.sysreg(SR::ESR_EL1) >> 26, 0x07);
    assert_eq!(cpu.vreg(0), INIT[0], "a trapped instruction does not write");
}

#[test]
fn saturation_sets_qc_and_it_sticks() {
    // sqadd b0, b1, b2 ; add v3.16b, v3.16b, v3.16b (aarch64-linux-gnu-as). Unicorn:
    // 0x7f + 0x01 saturates to 0x7f and sets QC; the following ADD leaves QC set.
    let (mut cpu, mut bus) = machine(&[0x5e220c20, 0x4e238463]);
    cpu.set_vreg(1, 0x7f);
    cpu.set_vreg(2, 0x01);
    cpu.run(&mut bus, 2);
    assert_eq!(cpu.vreg(0), 0x7f);
    assert_eq!(cpu.sysreg(SR::FPSR) >> 27 & 1, 1);
}

/// Four 32-bit lanes as a V register value.
fn s4(l: [u32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0, |v, (i, &e)| v | (e as u128) << (32 * i))
}

#[test]
fn dot_products_and_matrix_multiplies() {
    // Words from capstone; expected values worked out by hand from the pseudocode. Vn is
    // 16 bytes of 0xff (-1 or 255), Vm 0xfe (-2 or 254) but for its 32-bit element 3, 0x01
    // bytes, Vd [1, 2, 3, 0xffff_ffff] (where a sum wraps).
    let vn = u128::MAX;
    let vm = 0x0101_0101_fefe_fefe_fefe_fefe_fefe_fefe_u128;
    let acc = s4([1, 2, 3, u32::MAX]);
    let neg = |x: i32| x as u32;
    let cases: &[(u32, u128)] = &[
        // sdot v0.4s, v1.16b, v2.16b: 4 x (-1 x -2) = 8; lane 3: 4 x (-1 x 1) = -4.
        (0x4e829420, s4([9, 10, 11, neg(-5)])),
        // udot: 4 x 255 x 254 = 259080; lane 3: 4 x 255 = 1020.
        (0x6e829420, s4([259081, 259082, 259083, 1019])),
        // usdot (Vn unsigned, Vm signed): 4 x 255 x -2 = -2040.
        (0x4e829c20, s4([neg(-2039), neg(-2038), neg(-2037), 1019])),
        // sdot v0.2s, v1.8b, v2.8b: the upper half is zeroed.
        (0x0e829420, s4([9, 10, 0, 0])),
        // sdot v0.4s, v1.16b, v2.4b[3]: -4 in every lane.
        (0x4fa2e820, s4([neg(-3), neg(-2), neg(-1), neg(-5)])),
        // sudot v0.4s, v1.16b, v2.4b[2] (Vn signed, Vm unsigned): 4 x -1 x 254 = -1016.
        (
            0x4f02f820,
            s4([neg(-1015), neg(-1014), neg(-1013), neg(-1017)]),
        ),
        // smmla: (i, j) adds row i of Vn . row j of Vm; row 1 of Vm is 4 x 0xfe, 4 x 0x01.
        (0x4e82a420, s4([17, 6, 19, 3])),
        // ummla: 8 x 255 x 254 = 518160; 4 x 255 x 254 + 4 x 255 = 260100.
        (0x6e82a420, s4([518161, 260102, 518163, 260099])),
        // usmmla: 8 x 255 x -2 = -4080; 4 x 255 x -2 + 4 x 255 = -1020.
        (
            0x4e82ac20,
            s4([neg(-4079), neg(-1018), neg(-4077), neg(-1021)]),
        ),
    ];
    for &(word, want) in cases {
        let (mut cpu, mut bus) = machine(&[word]);
        cpu.set_vreg(0, acc);
        cpu.set_vreg(1, vn);
        cpu.set_vreg(2, vm);
        cpu.run(&mut bus, 1);
        assert_eq!(cpu.pc(), BASE + 4, "{word:#010x} should execute");
        assert_eq!(cpu.vreg(0), want, "{word:#010x}");
    }
    // SDOT/UDOT's size != 10 is UNDEFINED at decode, before the FP/SIMD access trap:
    // sdot with size 01, vector and by element, FP disabled.
    for word in [0x4e429420, 0x4f42e020] {
        let (mut cpu, mut bus) = machine(&[word]);
        cpu.set_sysreg(SR::CPACR_EL1, 0);
        cpu.run(&mut bus, 1);
        assert_eq!(cpu.pc(), BASE + 0x800 + 0x200, "{word:#010x}");
        assert_eq!(cpu.sysreg(SR::ESR_EL1) >> 26, 0, "{word:#010x}");
    }
}
