//! System tests: every bare-metal guest under tests/guests/bin that has a golden output
//! (recorded by running the same ELF under QEMU, scripts/qemu-golden.sh) must print exactly
//! that output under hypsim and power off with exit code 0. A golden `NAME@smpN.out` is the
//! output of `NAME.elf` run with N CPUs (`--smp N`; QEMU `-smp N`), `NAME.out` with one.

use std::path::Path;
use std::process::Command;

fn hypsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hypsim"))
}

/// Splits a golden's name `NAME` or `NAME@smpN` into the guest's name and its CPU count.
fn guest_and_cpus(golden: &str) -> (&str, usize) {
    match golden.split_once('@') {
        None => (golden, 1),
        Some((name, suffix)) => {
            let cpus = suffix
                .strip_prefix("smp")
                .and_then(|n| n.parse().ok())
                .filter(|&n| n >= 1)
                .unwrap_or_else(|| panic!("golden {golden}: expected NAME@smpN"));
            (name, cpus)
        }
    }
}

fn run_guest(name: &str, cpus: usize) -> (i32, Vec<u8>, String) {
    let elf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/guests/bin")
        .join(format!("{name}.elf"));
    let out = hypsim()
        .args(["run", "--kernel"])
        .arg(&elf)
        .args(["--smp", &cpus.to_string()])
        .args(["--max-insns", "200000000"])
        .output()
        .expect("run hypsim");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn guests_match_qemu_golden_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guests/golden");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("golden dir") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("out") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let (guest, cpus) = guest_and_cpus(&name);
        let golden = std::fs::read(&path).unwrap();
        let (code, stdout, stderr) = run_guest(guest, cpus);
        if code != 0 || stdout != golden {
            let got = String::from_utf8_lossy(&stdout);
            let want = String::from_utf8_lossy(&golden);
            let first = got.lines().zip(want.lines()).position(|(a, b)| a != b);
            failures.push(format!(
                "{name}: exit {code}; first differing line {first:?}\n--- want\n{want}\n--- got\n{got}\n--- stderr\n{stderr}"
            ));
        }
        checked += 1;
    }
    assert!(checked >= 3, "expected golden files in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn demo_runs_el2_and_el1_and_powers_off() {
    let out = hypsim().arg("run").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("EL2"), "{text}");
    assert!(text.contains("EL1"), "{text}");
}

#[test]
fn runs_are_deterministic() {
    // A long single-CPU integer run, and four CPUs exchanging interrupts (SGIs, timers,
    // the UART) through the block interpreter: twice each, identical output and counts.
    let dir = std::env::temp_dir();
    for (guest, smp) in [("intops", "1"), ("irqspin", "4")] {
        let mut stats = Vec::new();
        for i in 0..2 {
            let path = dir.join(format!(
                "hypsim-det-{}-{guest}-{i}.json",
                std::process::id()
            ));
            let elf = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/guests/bin")
                .join(format!("{guest}.elf"));
            let out = hypsim()
                .args(["run", "--smp", smp, "--kernel"])
                .arg(&elf)
                .arg("--stats")
                .arg(&path)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{guest}");
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let _ = std::fs::remove_file(&path);
            stats.push((
                out.stdout,
                v["instructions"].as_u64().unwrap(),
                v["cycles"].as_u64().unwrap(),
                v["cpus"].to_string(),
            ));
        }
        assert!(
            stats[0].1 > 10_000,
            "{guest}: instruction count {}",
            stats[0].1
        );
        assert!(
            stats[0].2 >= stats[0].1,
            "{guest}: cycles below instructions"
        );
        assert_eq!(stats[0], stats[1], "{guest}");
    }
}

#[test]
fn instruction_limit_exit_code() {
    let elf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guests/bin/intops.elf");
    let out = hypsim()
        .args(["run", "--kernel"])
        .arg(&elf)
        .args(["--max-insns", "1000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn bad_input_gives_clear_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "--kernel", "/nonexistent/k.elf"],
            "/nonexistent/k.elf",
        ),
        (&["run", "--kernel", "Cargo.toml"], "not an ELF"),
        (&["run", "--memory", "12Q"], "not a size"),
        (&["run", "--memory", "2T"], "--memory"),
        (&["run", "--smp", "0"], "--smp 0"),
        (&["run", "--el", "3"], "3"),
        (&["run", "--frobnicate"], "--frobnicate"),
        (
            &["run", "--pa-bits", "56"],
            "not a supported physical address size",
        ),
        (
            &["run", "--pa-bits", "41"],
            "not a supported physical address size",
        ),
        (&["run", "--pa-bits", "32", "--memory", "4G"], "--pa-bits"),
        (
            &["run", "--kernel", "Cargo.toml", "--load-addr", "0x1000"],
            "does not fit in RAM",
        ),
    ];
    for (args, needle) in cases {
        let out = hypsim()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(*args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(1) | Some(2)),
            "{args:?}: exit {:?}",
            out.status.code()
        );
        assert!(
            err.contains(needle),
            "{args:?}: stderr lacks {needle:?}: {err}"
        );
    }
}

/// A raw binary: `movz w0, #8; movk w0, #0x8400, lsl #16; hvc #0` = PSCI SYSTEM_OFF over HVC.
fn hvc_system_off_binary() -> std::path::PathBuf {
    let words: [u32; 3] = [0x52800100, 0x72b08000, 0xd4000002];
    let path = std::env::temp_dir().join(format!("hypsim-hvc-off-{}.bin", std::process::id()));
    std::fs::write(
        &path,
        words
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    path
}

#[test]
fn el1_entry_serves_psci_on_hvc() {
    let bin = hvc_system_off_binary();
    let out = hypsim()
        .args(["run", "--el", "1", "--load-addr", "0x40080000", "--kernel"])
        .arg(&bin)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn el2_hvc_goes_to_the_guest_vector_and_a_bad_vector_is_reported() {
    // At EL2 the same HVC is the guest's own: it is taken to VBAR_EL2 (0 at reset), which
    // is not RAM, so the CPU faults on its vector forever; hypsim says so and exits 5.
    let bin = hvc_system_off_binary();
    let out = hypsim()
        .args(["run", "--el", "2", "--load-addr", "0x40080000", "--kernel"])
        .arg(&bin)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("exception vector at 0x200"), "{err}");
}

#[test]
fn dump_dtb_carries_bootargs_and_initrd() {
    let dir = std::env::temp_dir();
    let dtb = dir.join(format!("hypsim-dump-{}.dtb", std::process::id()));
    let initrd = dir.join(format!("hypsim-initrd-{}.img", std::process::id()));
    std::fs::write(&initrd, vec![0x5a; 3000]).unwrap();
    let out = hypsim()
        .args([
            "run",
            "--append",
            "console=ttyAMA0 hypsim.test=1",
            "--initrd",
        ])
        .arg(&initrd)
        .arg("--dump-dtb")
        .arg(&dtb)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let blob = std::fs::read(&dtb).unwrap();
    let _ = std::fs::remove_file(&dtb);
    let _ = std::fs::remove_file(&initrd);
    assert_eq!(&blob[..4], &[0xd0, 0x0d, 0xfe, 0xed]);
    let find = |needle: &[u8]| blob.windows(needle.len()).any(|w| w == needle);
    assert!(find(b"console=ttyAMA0 hypsim.test=1\0"));
    assert!(find(b"linux,initrd-start"));
    // 1 GiB of RAM: the initrd goes at RAM base + 128 MiB = 0x4800_0000, 3000 bytes long.
    assert!(
        find(&[0, 0, 0, 0, 0x48, 0, 0, 0]),
        "initrd-start 0x48000000"
    );
    assert!(
        find(&[0, 0, 0, 0, 0x48, 0, 0x0b, 0xb8]),
        "initrd-end 0x48000bb8"
    );
}

/// A raw EL2 binary that waits for 10,000 events of the EL2 event stream (CNTHCTL_EL2:
/// EVNTEN, EVNTI = 15, one event per 2^15 ns of the counter) and powers off: 0.33 s of
/// simulated time spent almost entirely idle.
fn event_stream_waiter_binary() -> std::path::PathBuf {
    let words: [u32; 9] = [
        0xd2801e80, // mov x0, #0xf4
        0xd51ce100, // msr cnthctl_el2, x0
        0xd284e201, // mov x1, #10000
        0xd503205f, // 1: wfe
        0xf1000421, // subs x1, x1, #1
        0x54ffffc1, // b.ne 1b
        0x52800100, // movz w0, #8
        0x72b08000, // movk w0, #0x8400, lsl #16
        0xd4000003, // smc #0 (PSCI SYSTEM_OFF)
    ];
    let path = std::env::temp_dir().join(format!("hypsim-wfe-{}.bin", std::process::id()));
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn wall_clock_mode_keeps_idle_time_behind_real_time() {
    // --clock wall never lets simulated time pass the wall time since the start, so a
    // guest that idles until its counter reaches 0.327 s cannot finish sooner than that.
    // (A lower bound on elapsed time only: how much longer it takes is not checked.)
    let bin = event_stream_waiter_binary();
    for clock in ["sim", "wall"] {
        let start = std::time::Instant::now();
        let out = hypsim()
            .args([
                "run",
                "--clock",
                clock,
                "--load-addr",
                "0x40080000",
                "--kernel",
            ])
            .arg(&bin)
            .output()
            .unwrap();
        let elapsed = start.elapsed();
        assert_eq!(out.status.code(), Some(0), "--clock {clock}: {:?}", out);
        if clock == "wall" {
            assert!(
                elapsed >= std::time::Duration::from_millis(327),
                "--clock wall finished 0.327 s of idling in {elapsed:?}"
            );
        }
    }
    let _ = std::fs::remove_file(bin);
}

#[test]
fn a_repeated_warning_prints_once_and_is_counted_at_exit() {
    // At 0x40080000: VBAR_EL2 := 0x40080800, then a loop over an UNDEFINED word whose
    // handler (the EL2 current-EL synchronous vector, +0x200) steps over it.
    let mut image = vec![0u32; 0x290];
    image[..4].copy_from_slice(&[
        0x10004000, // adr x0, .+0x800
        0xd51cc000, // msr vbar_el2, x0
        0x00000000, // udf #0
        0x17ffffff, // b .-4
    ]);
    image[0x280..0x284].copy_from_slice(&[
        0xd53c4021, // mrs x1, elr_el2
        0x91001021, // add x1, x1, #4
        0xd51c4021, // msr elr_el2, x1
        0xd69f03e0, // eret
    ]);
    let path = std::env::temp_dir().join(format!("hypsim-undef-loop-{}.bin", std::process::id()));
    let bytes: Vec<u8> = image.iter().flat_map(|w| w.to_le_bytes()).collect();
    std::fs::write(&path, bytes).unwrap();
    let out = hypsim()
        .args([
            "run",
            "--load-addr",
            "0x40080000",
            "--max-insns",
            "100000",
            "--kernel",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert_eq!(err.matches("UNDEFINED").count(), 1, "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("Undefined at pc 0x40080008"))
        .unwrap_or_else(|| panic!("no count line: {err}"));
    let n: u64 = line
        .split(": ")
        .nth(3)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(n > 10_000, "{line}");
}

/// `hypsim info` describes the board the options build: the ITS and redistributors in the
/// memory map, the debug resources, and features that follow the options (the boot matrix
/// checks the feature list against what Linux reads from the same ID registers).
#[test]
fn info_describes_the_board_and_follows_the_options() {
    let run = |args: &[&str]| {
        let out = hypsim().arg("info").args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, text, _) = run(&["--smp", "2"]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("0x0008080000-0x000809ffff  GICv3 ITS"),
        "{text}"
    );
    assert!(
        text.contains("0x00080a0000-0x00080dffff  GICv3 redistributors"),
        "{text}"
    );
    assert!(
        text.contains("6 breakpoints (2 context-aware), 4 watchpoints"),
        "{text}"
    );
    let features = |t: &str| {
        let line = t
            .lines()
            .find(|l| l.starts_with("features"))
            .unwrap()
            .to_string();
        line.split(": ")
            .nth(1)
            .unwrap()
            .split(' ')
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert!(features(&text).iter().any(|f| f == "mte3"));
    let (_, off, _) = run(&["--mte", "off"]);
    assert!(
        !features(&off).iter().any(|f| f.starts_with("mte")),
        "{off}"
    );
    let (code, _, err) = run(&["--smp", "0"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("--smp 0"), "{err}");
}
