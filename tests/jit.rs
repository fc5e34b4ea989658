//! `--jit on` against `--jit off` on the bare-metal guests: the same console output and
//! the same instruction and cycle counts on every CPU (the JIT changes speed only), and
//! compiled code really ran. Plus the option's errors.

mod common;

use common::{guest, hypsim, json_file, tmp};

/// Output and per-CPU (instructions, cycles) of `name` on `smp` CPUs with `--jit jit`,
/// and the instructions run compiled.
fn run(name: &str, smp: &str, jit: &str) -> (Vec<u8>, Vec<(u64, u64)>, u64) {
    let stats = tmp(&format!("jit-{name}-{smp}-{jit}.json"));
    let g = guest(name);
    let out = hypsim(&[
        "run",
        "--kernel",
        g.to_str().unwrap(),
        "--smp",
        smp,
        "--max-insns",
        "400000000",
        "--jit",
        jit,
        "--stats",
        stats.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{name} --jit {jit}: {out:?}");
    let s = json_file(&stats);
    std::fs::remove_file(&stats).ok();
    let cpus = s["cpus"].as_array().unwrap();
    let counts = cpus
        .iter()
        .map(|c| {
            (
                c["instructions"].as_u64().unwrap(),
                c["cycles"].as_u64().unwrap(),
            )
        })
        .collect();
    let compiled = s["jit"]["jit_insns"].as_u64().unwrap_or(0);
    (out.stdout, counts, compiled)
}

#[test]
fn guests_run_the_same_with_and_without_the_jit() {
    if !cpu::jit_supported() {
        return;
    }
    let mut compiled_total = 0;
    for (name, smp) in [
        ("intops", "1"),
        ("exceptions", "1"),
        ("mmu_faults", "1"),
        ("stage2", "1"),
        ("irqspin", "4"),
        ("gic_timer", "1"),
        ("mte", "1"),
        ("vhe", "1"),
        ("bench-mmu", "1"),
    ] {
        let (out_off, counts_off, none) = run(name, smp, "off");
        let (out_on, counts_on, compiled) = run(name, smp, "on");
        assert_eq!(none, 0, "{name}: --jit off compiled nothing");
        assert_eq!(out_on, out_off, "{name}: console output");
        assert_eq!(
            counts_on, counts_off,
            "{name}: instructions and cycles per CPU"
        );
        compiled_total += compiled;
    }
    assert!(
        compiled_total > 100_000_000,
        "bench-mmu runs mostly compiled: {compiled_total}"
    );
}

#[test]
fn jit_option_errors() {
    let out = hypsim(&["run", "--jit", "maybe"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--jit"), "{err}");
}
