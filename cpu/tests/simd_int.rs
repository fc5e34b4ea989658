//! Advanced SIMD integer instructions (exec/simd_int): every word of
//! `simd_int_data/vectors.rs` (GNU as output) executed once from a fixed register state,
//! compared with the destination register and FPSR.QC that Unicorn produced for the same
//! word (see `simd_int_data/gen.py`), plus reserved encodings that must be UNDEFINED and
//! the FP/SIMD access trap.

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
