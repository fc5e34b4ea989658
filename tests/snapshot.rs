//! Snapshots (`--snapshot-save`, `--snapshot-at`, `--snapshot-load`): a run resumed from a
//! snapshot prints exactly the rest of the saving run's output and ends with the same
//! counts, on one CPU and on four; mismatched or damaged snapshots are clear errors.

mod common;

use common::{guest, hypsim, json_file, tmp};
use serde_json::Value;
use std::path::Path;

/// The JSON header of a snapshot file.
fn header(path: &Path) -> Value {
    let b = std::fs::read(path).unwrap();
    let n = u64::from_le_bytes(b[16..24].try_into().unwrap()) as usize;
    serde_json::from_slice(&b[24..24 + n]).unwrap()
}

/// Run `name` on `cpus` CPUs plainly, then saving a snapshot when CPU 0 has retired
/// `at` instructions, then resumed from it; check the three agree.
fn resume_matches(name: &str, cpus: &str, at: u64) {
    resume_matches_at(name, name, cpus, &format!("insn={at}"));
    let h = header(&tmp(&format!("{name}.snap.kept")));
    assert!(h["vcpus"][0]["cpu"]["insns"].as_u64().unwrap() >= at);
    let _ = std::fs::remove_file(tmp(&format!("{name}.snap.kept")));
}

/// [`resume_matches`] with any `--snapshot-at` point (`insn=N` or `time=T`), its
/// temporary files named after `label`; the snapshot is kept as `LABEL.snap.kept` for
/// the caller's own checks.
fn resume_matches_at(name: &str, label: &str, cpus: &str, at: &str) {
    let elf = guest(name);
    let (s0, s1, s2, snap) = (
        tmp(&format!("{label}0.json")),
        tmp(&format!("{label}1.json")),
        tmp(&format!("{label}2.json")),
        tmp(&format!("{label}.snap")),
    );
    let plain = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--smp",
        cpus,
        "--stats",
        s0.to_str().unwrap(),
    ]);
    let saving = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--smp",
        cpus,
        "--snapshot-at",
        at,
        "--snapshot-save",
        snap.to_str().unwrap(),
        "--stats",
        s1.to_str().unwrap(),
    ]);
    let resumed = hypsim(&[
        "run",
        "--snapshot-load",
        snap.to_str().unwrap(),
        "--smp",
        cpus,
        "--stats",
        s2.to_str().unwrap(),
    ]);
    for o in [&plain, &saving, &resumed] {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // Saving does not change the run.
    assert_eq!(saving.stdout, plain.stdout);
    let h = header(&snap);
    let printed = h["console_bytes"].as_u64().unwrap() as usize;
    assert!(
        printed > 0 && printed < saving.stdout.len(),
        "{name}: snapshot taken mid-output"
    );
    assert_eq!(
        resumed.stdout,
        saving.stdout[printed..],
        "{name}: the rest of the output"
    );
    let (a, b) = (json_file(&s1), json_file(&s2));
    for k in ["instructions", "cycles"] {
        assert_eq!(a[k], b[k], "{name}: {k}");
    }
    assert_eq!(
        a["cpus"], b["cpus"],
        "{name}: per-CPU counts and exceptions"
    );
    std::fs::rename(&snap, tmp(&format!("{label}.snap.kept"))).unwrap();
    for f in [s0, s1, s2] {
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn a_resumed_run_continues_exactly_on_one_cpu() {
    resume_matches("exceptions", "1", 30_000);
    resume_matches("vgic", "1", 40_000);
    // Tags written before the snapshot are checked after it; the tag check fault counts
    // (in --stats) carry over.
    resume_matches("mte", "1", 120_000);
}

#[test]
fn a_snapshot_at_a_simulated_time_resumes_exactly() {
    // --snapshot-at time=T: saved at the first scheduling boundary once CPU 0's physical
    // count (1 GHz: one tick per ns) reaches T; the `exceptions` guest runs ~129 us.
    resume_matches_at("exceptions", "exceptions-time", "1", "time=60us");
    let h = header(&tmp("exceptions-time.snap.kept"));
    let cycles = h["vcpus"][0]["cpu"]["cycles"].as_u64().unwrap();
    assert!((60_000..129_000).contains(&cycles), "saved at {cycles} ns");
    let _ = std::fs::remove_file(tmp("exceptions-time.snap.kept"));
}

#[test]
fn a_resumed_run_continues_exactly_on_four_cpus() {
    // Mid-way through the SGI and timer tests, with the secondaries up.
    resume_matches("irqspin", "4", 36_000);
}

#[test]
fn injections_apply_to_a_resumed_run() {
    let elf = guest("exceptions");
    let snap = tmp("inj.snap");
    let log = tmp("inj.jsonl");
    let out = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--snapshot-at",
        "insn=30000",
        "--snapshot-save",
        snap.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let at = header(&snap)["vcpus"][0]["cpu"]["insns"].as_u64().unwrap();
    let out = hypsim(&[
        "run",
        "--snapshot-load",
        snap.to_str().unwrap(),
        "--inject",
        &format!("serror,insn={}", at + 100),
        "--inject-log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value = serde_json::from_str(
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(line["insn"], at + 100, "counts continue from the snapshot");
    let _ = std::fs::remove_file(snap);
    let _ = std::fs::remove_file(log);
}

#[test]
fn mismatched_or_damaged_snapshots_are_clear_errors() {
    let elf = guest("hello");
    let snap = tmp("err.snap");
    let out = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--snapshot-save",
        snap.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    // Another board configuration: exit 2, naming both.
    let out = hypsim(&[
        "run",
        "--snapshot-load",
        snap.to_str().unwrap(),
        "--smp",
        "2",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--smp 1") && err.contains("--smp 2"), "{err}");
    // Another format version.
    let mut bytes = std::fs::read(&snap).unwrap();
    let n = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
    let json = String::from_utf8(bytes[24..24 + n].to_vec()).unwrap();
    let at = json.find("\"version\":").unwrap() + "\"version\":".len();
    let current: String = json[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let old = format!("{}7{}", &json[..at], &json[at + current.len()..]);
    bytes.splice(24..24 + n, old.into_bytes());
    let v7 = tmp("v7.snap");
    std::fs::write(&v7, &bytes).unwrap();
    let out = hypsim(&["run", "--snapshot-load", v7.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("version 7") && err.contains(&format!("reads version {current}")),
        "{err}"
    );
    // Truncated, and not a snapshot at all.
    std::fs::write(&v7, &std::fs::read(&snap).unwrap()[..100]).unwrap();
    let out = hypsim(&["run", "--snapshot-load", v7.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a hypsim snapshot"));
    let out = hypsim(&["run", "--snapshot-load", elf.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad magic"));
    // --snapshot-load with --kernel: the command line is rejected.
    let out = hypsim(&[
        "run",
        "--snapshot-load",
        snap.to_str().unwrap(),
        "--kernel",
        elf.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    for f in [snap, v7] {
        let _ = std::fs::remove_file(f);
    }
}
