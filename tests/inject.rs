//! Fault injection end to end (`--inject`, `--inject-log`): the inject guest's view of
//! SErrors and synchronous External aborts (expected output derived from the Arm ARM
//! rules cited in tests/guests/inject.c), exact instruction-count and time triggers,
//! determinism, and the errors a bad spec gets.

mod common;

use common::{guest, hypsim, json_file, root, tmp};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// `{SYMBOL}` / `{SYMBOL+N}` in `spec`, replaced by the symbol's address in `elf`.
fn resolve(spec: &str, elf: &Path) -> String {
    let bytes = std::fs::read(elf).unwrap();
    let obj = goblin::elf::Elf::parse(&bytes).unwrap();
    let addr = |name: &str| {
        obj.syms
            .iter()
            .find(|s| obj.strtab.get_at(s.st_name) == Some(name))
            .unwrap_or_else(|| panic!("no symbol {name}"))
            .st_value
    };
    let mut out = spec.to_string();
    while let Some(start) = out.find('{') {
        let end = start + out[start..].find('}').unwrap();
        let inner = &out[start + 1..end];
        let (sym, off) = match inner.split_once('+') {
            Some((s, o)) => (s, o.parse::<u64>().unwrap()),
            None => (inner, 0),
        };
        out.replace_range(start..=end, &format!("{:#x}", addr(sym) + off));
    }
    out
}

fn log_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Run guest `name` with the specs in tests/guests/NAME.specs; returns its output and the
/// log.
fn run_with_specs(name: &str, log: &Path) -> (Output, Vec<Value>) {
    let elf = guest(name);
    let specs = std::fs::read_to_string(root().join(format!("tests/guests/{name}.specs"))).unwrap();
    let mut args: Vec<String> = vec!["run".into(), "--kernel".into(), elf.display().to_string()];
    for line in specs.lines().map(str::trim) {
        if !line.is_empty() && !line.starts_with('#') {
            args.push("--inject".into());
            args.push(resolve(line, &elf));
        }
    }
    args.extend(["--inject-log".into(), log.display().to_string()]);
    let out = hypsim(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let lines = log_lines(log);
    (out, lines)
}

/// Check `out` against tests/guests/expect/NAME.out.
fn expect_output(name: &str, out: &Output) {
    let got = String::from_utf8_lossy(&out.stdout);
    let want =
        std::fs::read_to_string(root().join(format!("tests/guests/expect/{name}.out"))).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{got}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(got, want);
}

#[test]
fn guest_sees_serrors_and_external_aborts_as_the_architecture_says() {
    let log = tmp("guest.jsonl");
    let (out, lines) = run_with_specs("inject", &log);
    expect_output("inject", &out);
    // One log line per firing (the read trigger fires twice), each settled as the
    // guest's own report says.
    let summary: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            let taken = match &l["taken"] {
                Value::String(s) => s.clone(),
                t => format!(
                    "EL{} {} {}",
                    t["el"],
                    t["vector_offset"].as_str().unwrap(),
                    t["esr"].as_str().unwrap()
                ),
            };
            (l["kind"].as_str().unwrap().to_string(), taken)
        })
        .collect();
    let s = |k: &str, t: &str| (k.to_string(), t.to_string());
    assert_eq!(
        summary,
        vec![
            s("serror", "EL2 0x380 0xbe000011"),
            s("serror", "deferred"),
            s("serror", "EL2 0x380 0xbe000011"),
            s("serror", "EL2 0x180 0xbe000011"),
            s("sea", "EL2 0x200 0x96000010"),
            s("sea", "EL2 0x200 0x96000050"),
            s("sea", "EL2 0x200 0x86000010"),
            s("sea", "EL2 0x200 0x86000010"),
            s("serror", "EL1 0x380 0xbe001811"),
            s("serror", "EL2 0x580 0xbf123456"),
            s("sea", "EL2 0x400 0x92000010"),
        ]
    );
    // An SError fired at a PC trigger and taken at once returns to that PC; a masked one
    // is taken later; an abort reports the access's VA in FAR.
    assert_eq!(lines[2]["taken"]["elr"], lines[2]["pc"]);
    assert_ne!(lines[0]["taken"]["elr"], lines[0]["pc"]);
    assert_eq!(lines[0]["taken"]["far"], Value::Null);
    assert_eq!(lines[3]["taken"]["elr"], lines[3]["pc"]);
    assert_eq!(
        lines[4]["taken"]["far"],
        resolve("{sea_buf}", &guest("inject")).as_str()
    );
    // Firing order is instruction order.
    let insns: Vec<u64> = lines.iter().map(|l| l["insn"].as_u64().unwrap()).collect();
    assert!(insns.windows(2).all(|w| w[0] < w[1]), "{insns:?}");

    // Determinism: the same run gives the same output and log.
    let log2 = tmp("guest2.jsonl");
    let (out2, lines2) = run_with_specs("inject", &log2);
    assert_eq!(out2.stdout, out.stdout);
    assert_eq!(lines2, lines);
    let _ = std::fs::remove_file(log);
    let _ = std::fs::remove_file(log2);
}

#[test]
fn error_records_and_their_fault_injection_behave_as_documented() {
    // ERRIDR/ERXFR/ERXPFGF values, the pseudo-fault countdown (UER, UC, CE, ED = 0),
    // write-one-to-clear ERXSTATUS, `--inject ras` into record 1, and the TERR/FIEN traps
    // (expected values derived in tests/guests/rasrec.c).
    let log = tmp("rasrec.jsonl");
    let (out, lines) = run_with_specs("rasrec", &log);
    expect_output("rasrec", &out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["kind"], "ras");
    assert_eq!(lines[0]["taken"]["esr"], "0xbe000811");
    assert_eq!(lines[0]["taken"]["elr"], lines[0]["pc"]);
    let _ = std::fs::remove_file(log);
}

#[test]
fn insn_trigger_fires_after_exactly_n_instructions() {
    // The SError is pending (PSTATE.A masked at EL2 from reset, HCR_EL2.AMO = 0 routes
    // it to EL1, never taken at EL2), so the guest runs on unchanged.
    let log = tmp("insn.jsonl");
    let elf = guest("hello");
    let out = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--inject",
        "serror,insn=1234",
        "--inject-log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let lines = log_lines(&log);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["insn"], 1234);
    assert_eq!(lines[0]["taken"], "pending");
    // Independent of the injector: where --max-insns stops the same guest after 1234.
    let stop = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--max-insns",
        "1234",
    ]);
    let err = String::from_utf8_lossy(&stop.stderr);
    let pc = lines[0]["pc"].as_str().unwrap();
    assert!(
        err.contains(&format!("pc {pc} at EL2, 1234 instructions")),
        "{err} vs {pc}"
    );
    let _ = std::fs::remove_file(log);
}

#[test]
fn time_trigger_fires_at_the_first_step_at_or_after_the_time() {
    let log = tmp("time.jsonl");
    let elf = guest("hello");
    let out = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--inject",
        "serror,time=3us",
        "--inject-log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let lines = log_lines(&log);
    assert_eq!(lines.len(), 1);
    let t = lines[0]["time_ns"].as_u64().unwrap();
    // Within one step's cost (an exception entry and walks at most) of 3 us.
    assert!((3000..3000 + 64).contains(&t), "{t}");
    let _ = std::fs::remove_file(log);
}

#[test]
fn bad_specs_are_rejected_before_the_guest_runs() {
    let elf = guest("hello");
    for (spec, says) in [
        ("serror,insn=1,cpu=2", "cpu=2, but the board has 1 CPU(s)"),
        ("sea,pa=0x1000", "0x1000..0x1001 is not RAM"),
        ("serror,insn=1,bogus=1", "unknown key 'bogus'"),
        ("serror,time=5", "time=5"),
        ("quake,insn=1", "unknown kind 'quake'"),
    ] {
        let out = hypsim(&["run", "--kernel", elf.to_str().unwrap(), "--inject", spec]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{spec}: {err}");
        assert!(err.contains(says), "{spec}: {err}");
        assert!(out.stdout.is_empty(), "{spec}: the guest must not run");
    }
    let missing = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--inject-file",
        "/nonexistent.toml",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent.toml"));
}

#[test]
fn ctrl_c_stops_the_run_and_still_writes_the_output_files() {
    let log = tmp("sigint.jsonl");
    let stats = tmp("sigint.json");
    let elf = guest("bench-mmu"); // ~300 M instructions: still running when interrupted
    let child = Command::new(env!("CARGO_BIN_EXE_hypsim"))
        .args([
            "run",
            "--kernel",
            elf.to_str().unwrap(),
            "--inject",
            "serror,insn=1000",
        ])
        .args([
            "--inject-log",
            log.to_str().unwrap(),
            "--stats",
            stats.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let lines = log_lines(&log);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["insn"], 1000);
    let s = json_file(&stats);
    assert_eq!(s["outcome"], "Interrupted");
    assert!(s["instructions"].as_u64().unwrap() > 1000);
    let _ = std::fs::remove_file(log);
    let _ = std::fs::remove_file(stats);
}
