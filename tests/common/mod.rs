//! Shared helpers of the command-line integration tests (inject, snapshot, campaign).
#![allow(dead_code)] // each test binary uses a part

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run the hypsim binary with `args` (stdin empty) and wait for it.
pub fn hypsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hypsim"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run hypsim")
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The prebuilt test guest `name`.
pub fn guest(name: &str) -> PathBuf {
    root().join("tests/guests/bin").join(format!("{name}.elf"))
}

/// A per-process temporary path for `name`.
pub fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("hypsim-test-{}-{name}", std::process::id()))
}

/// A JSON file, parsed.
pub fn json_file(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Run one shell command line; whether it succeeded.
pub fn sh(line: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .status()
        .unwrap()
        .success()
}

/// The SPE records of a perf.data's AUX data (`--spe-out`, `--spe-trace`).
pub fn spe_records(file: &[u8]) -> Vec<spe::Sample> {
    spe::aux_payloads(file)
        .unwrap()
        .iter()
        .flat_map(|(_, data)| spe::records(data))
        .map(|r| r.sample().expect("a complete record"))
        .collect()
}

/// Debian's `perf report -D` on `path` finds no bad packet and `n` PC packets (skipped,
/// with a note, where perf is not installed).
pub fn perf_decodes(path: &Path, n: usize) {
    if !Path::new("/usr/bin/perf").exists() {
        eprintln!("note: /usr/bin/perf missing: perf's view not checked");
        return;
    }
    let p = Command::new("perf")
        .args(["report", "-D", "-f", "-i"])
        .arg(path)
        .output()
        .unwrap();
    let dump = String::from_utf8_lossy(&p.stdout);
    assert!(!dump.to_lowercase().contains("bad packet"), "{dump}");
    assert_eq!(dump.matches(" PC 0x").count(), n);
}

/// Run hypsim with `args` (stdout discarded), press Ctrl-C (SIGINT) after `ms`
/// milliseconds, and wait; the run must end through its normal path with exit code 130.
pub fn hypsim_interrupted(args: &[&str], ms: u64) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_hypsim"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(ms));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}
