//! `--jit on` against `--jit off` on the bare-metal guests: the same console output and
//! the same instruction and cycle counts on every CPU (the JIT changes speed only), and
//! compiled code really ran; `--jit-check` finds no difference on them. Plus the
//! options' errors.

mod common;

use common::{guest, hypsim, json_file, tmp};

/// Output and per-CPU (instructions, cycles) of `name` on `smp` CPUs with the JIT
/// options `jit`, and the JIT's statistics.
fn run_with(name: &str, smp: &str, jit: &[&str]) -> (Vec<u8>, Vec<(u64, u64)>, serde_json::Value) {
    // Unique per call: the tests run in parallel and repeat configurations.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let stats = tmp(&format!("jit-{name}-{smp}-{n}.json"));
    let g = guest(name);
    let mut args = vec![
        "run",
        "--kernel",
        g.to_str().unwrap(),
        "--smp",
        smp,
        "--max-insns",
        "400000000",
        "--stats",
        stats.to_str().unwrap(),
    ];
    args.extend_from_slice(jit);
    let out = hypsim(&args);
    assert!(out.status.success(), "{name} {jit:?}: {out:?}");
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
    (out.stdout, counts, s["jit"].clone())
}

/// [`run_with`] `--jit jit`: the instructions run compiled.
fn run(name: &str, smp: &str, jit: &str) -> (Vec<u8>, Vec<(u64, u64)>, u64) {
    let (out, counts, s) = run_with(name, smp, &["--jit", jit]);
    (out, counts, s["jit_insns"].as_u64().unwrap_or(0))
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
fn guests_pass_the_jit_check() {
    if !cpu::jit_supported() {
        return;
    }
    let (mut checked, mut skipped) = (0, 0);
    for (name, smp) in [
        ("intops", "1"),
        ("exceptions", "1"),
        ("mmu_faults", "1"),
        ("stage2", "1"),
        ("irqspin", "4"),
        ("gic_timer", "1"),
        ("mte", "1"),
        ("vhe", "1"),
        ("bench-ldst", "1"),
    ] {
        let (out_off, counts_off, _) = run(name, smp, "off");
        let (out, counts, s) = run_with(name, smp, &["--jit", "on", "--jit-check"]);
        assert_eq!(out, out_off, "{name}: console output");
        assert_eq!(
            counts, counts_off,
            "{name}: instructions and cycles per CPU"
        );
        checked += s["check_runs"].as_u64().unwrap();
        skipped += s["check_skipped"].as_u64().unwrap();
    }
    // Most runs of compiled code are compared; those that walked tables, touched devices
    // or ran system instructions are not.
    assert!(
        checked > 20_000 && skipped > 0,
        "checked {checked}, skipped {skipped}"
    );
}

#[test]
fn jit_option_errors() {
    let out = hypsim(&["run", "--jit", "maybe"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--jit"), "{err}");
    for args in [
        &["run", "--jit", "off", "--jit-check"][..],
        &["run", "--jit-check", "--timing", "detailed"],
    ] {
        let out = hypsim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--jit-check"), "{err}");
    }
}
