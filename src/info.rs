//! `hypsim info`: the board and the CPU as the given options build them — what a user
//! checks first. The memory map comes from the layout, the interrupts from the wiring
//! table, and the features from the CPU's own ID registers, named as Linux names them in
//! /proc/cpuinfo (so the list can be compared with what a booted kernel reports).

use crate::board::{layout, BoardConfig, Machine};
use cpu::sysreg::SR;
use std::fmt::Write as _;

/// An ID register field that advertises a feature: `(register, field shift, minimum
/// value, name)`. The rows follow Linux's hwcap order (its `Features` line in
/// /proc/cpuinfo), left out: `evtstrm` and `cpuid`, which no ID field gives, and the
/// features hypsim has no field for (SVE, SME, pointer authentication, ...).
const FEATURES: &[(SR, u32, u64, &str)] = &[
    (SR::ID_AA64PFR0_EL1, 16, 0, "fp"),
    (SR::ID_AA64PFR0_EL1, 20, 0, "asimd"),
    (SR::ID_AA64ISAR0_EL1, 4, 1, "aes"),
    (SR::ID_AA64ISAR0_EL1, 4, 2, "pmull"),
    (SR::ID_AA64ISAR0_EL1, 8, 1, "sha1"),
    (SR::ID_AA64ISAR0_EL1, 12, 1, "sha2"),
    (SR::ID_AA64ISAR0_EL1, 16, 1, "crc32"),
    (SR::ID_AA64ISAR0_EL1, 20, 2, "atomics"),
    (SR::ID_AA64PFR0_EL1, 16, 1, "fphp"),
    (SR::ID_AA64PFR0_EL1, 20, 1, "asimdhp"),
    (SR::ID_AA64ISAR0_EL1, 28, 1, "asimdrdm"),
    (SR::ID_AA64ISAR1_EL1, 12, 1, "jscvt"),
    (SR::ID_AA64ISAR1_EL1, 16, 1, "fcma"),
    (SR::ID_AA64ISAR1_EL1, 20, 1, "lrcpc"),
    (SR::ID_AA64ISAR1_EL1, 0, 1, "dcpop"),
    (SR::ID_AA64ISAR0_EL1, 32, 1, "sha3"),
    (SR::ID_AA64ISAR0_EL1, 36, 1, "sm3"),
    (SR::ID_AA64ISAR0_EL1, 40, 1, "sm4"),
    (SR::ID_AA64ISAR0_EL1, 44, 1, "asimddp"),
    (SR::ID_AA64ISAR0_EL1, 12, 2, "sha512"),
    (SR::ID_AA64ISAR0_EL1, 48, 1, "asimdfhm"),
    (SR::ID_AA64PFR0_EL1, 48, 1, "dit"),
    (SR::ID_AA64MMFR2_EL1, 32, 1, "uscat"),
    (SR::ID_AA64ISAR1_EL1, 20, 2, "ilrcpc"),
    (SR::ID_AA64ISAR0_EL1, 52, 1, "flagm"),
    (SR::ID_AA64PFR1_EL1, 4, 2, "ssbs"),
    (SR::ID_AA64ISAR1_EL1, 36, 1, "sb"),
    (SR::ID_AA64ISAR1_EL1, 0, 2, "dcpodp"),
    (SR::ID_AA64ISAR0_EL1, 52, 2, "flagm2"),
    (SR::ID_AA64ISAR1_EL1, 32, 1, "frint"),
    (SR::ID_AA64ISAR1_EL1, 52, 1, "i8mm"),
    (SR::ID_AA64ISAR1_EL1, 44, 1, "bf16"),
    (SR::ID_AA64ISAR0_EL1, 60, 1, "rng"),
    (SR::ID_AA64PFR1_EL1, 0, 1, "bti"),
    (SR::ID_AA64PFR1_EL1, 8, 2, "mte"),
    (SR::ID_AA64PFR1_EL1, 8, 3, "mte3"),
];

/// The ID registers printed in full.
const ID_REGS: &[SR] = &[
    SR::MIDR_EL1,
    SR::ID_AA64PFR0_EL1,
    SR::ID_AA64PFR1_EL1,
    SR::ID_AA64DFR0_EL1,
    SR::ID_AA64ISAR0_EL1,
    SR::ID_AA64ISAR1_EL1,
    SR::ID_AA64MMFR0_EL1,
    SR::ID_AA64MMFR1_EL1,
    SR::ID_AA64MMFR2_EL1,
    SR::CTR_EL0,
    SR::DCZID_EL0,
];

/// The features the ID registers `read` advertises, in Linux's order. FP and AdvSIMD
/// are signed fields (0xF: not implemented), the others unsigned.
pub fn features(read: impl Fn(SR) -> u64) -> Vec<&'static str> {
    FEATURES
        .iter()
        .filter(|&&(r, shift, min, _)| {
            let v = (read(r) >> shift) & 0xf;
            let signed = matches!(r, SR::ID_AA64PFR0_EL1) && (shift == 16 || shift == 20);
            if signed {
                v != 0xf && v >= min
            } else {
                v >= min
            }
        })
        .map(|&(.., name)| name)
        .collect()
}

/// The `hypsim info` text for board configuration `cfg`.
pub fn report(cfg: &BoardConfig) -> anyhow::Result<String> {
    let m = Machine::new(cfg, std::io::sink())?;
    let cpu = &m.vcpus[0].cpu;
    let mut s = String::new();
    let row = |s: &mut String, name: &str, base: u64, size: u64| {
        let _ = writeln!(s, "  {base:#012x}-{:#012x}  {name}", base + size - 1);
    };
    let _ = writeln!(
        s,
        "board: QEMU virt-like, {} CPU(s) entering at EL{}",
        cfg.smp, cfg.el
    );
    let _ = writeln!(s, "memory map:");
    row(
        &mut s,
        "GICv3 distributor",
        layout::GICD_BASE,
        layout::GICD_SIZE,
    );
    row(&mut s, "GICv3 ITS", layout::ITS_BASE, layout::ITS_SIZE);
    let redists = layout::GICR_STRIDE * cfg.smp as u64;
    row(
        &mut s,
        "GICv3 redistributors (one per CPU)",
        layout::GICR_BASE,
        redists,
    );
    row(&mut s, "PL011 UART", layout::UART_BASE, layout::UART_SIZE);
    row(&mut s, "PL031 RTC", layout::RTC_BASE, layout::RTC_SIZE);
    let virtio = layout::VIRTIO_STRIDE * layout::VIRTIO_COUNT;
    row(
        &mut s,
        "virtio-mmio transports (empty)",
        layout::VIRTIO_BASE,
        virtio,
    );
    row(&mut s, "RAM", layout::RAM_BASE, cfg.ram_size);
    let _ = writeln!(s, "interrupts (INTID: source):");
    for (src, intid) in layout::IRQ_WIRING {
        let kind = if *intid < 32 { "PPI" } else { "SPI" };
        let _ = writeln!(s, "  {intid:4} {kind}  {src:?}");
    }
    let _ = writeln!(s, "CPU 0 ID registers:");
    for &r in ID_REGS {
        let _ = writeln!(s, "  {:18} {:#018x}", format!("{r:?}"), cpu.sysreg(r));
    }
    let dfr0 = cpu.sysreg(SR::ID_AA64DFR0_EL1);
    let _ = writeln!(
        s,
        "debug: {} breakpoints ({} context-aware), {} watchpoints; PMUVer {}, PMSVer {}",
        ((dfr0 >> 12) & 0xf) + 1,
        ((dfr0 >> 28) & 0xf) + 1,
        ((dfr0 >> 20) & 0xf) + 1,
        (dfr0 >> 8) & 0xf,
        (dfr0 >> 32) & 0xf,
    );
    let f = features(|r| cpu.sysreg(r));
    let _ = writeln!(s, "features (as Linux names them): {}", f.join(" "));
    Ok(s)
}
