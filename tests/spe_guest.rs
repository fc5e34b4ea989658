//! The guest's own SPE as the command line shows it: `--spe-trace FILE` holds exactly the
//! records the spe guest's profiling buffer received (`--stats` counts them; perf decodes
//! them), runs repeat byte for byte, `--spe off` hides the feature, and option mistakes
//! are clear errors before the guest runs.

mod common;

use common::{guest, hypsim, json_file, perf_decodes, spe_records as records, tmp};
use std::path::Path;

#[test]
fn spe_trace_holds_every_record_the_guest_buffer_received() {
    let (trace, stats) = (tmp("guest-trace.data"), tmp("guest-trace.json"));
    let elf = guest("spe");
    let run = || {
        let o = hypsim(&[
            "run",
            "--kernel",
            elf.to_str().unwrap(),
            "--spe-trace",
            trace.to_str().unwrap(),
            "--stats",
            stats.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(String::from_utf8_lossy(&o.stdout).ends_with("done\n"));
        std::fs::read(&trace).unwrap()
    };
    let bytes = run();
    let s = json_file(&stats)["cpus"][0]["guest_spe"].clone();
    let n = |k: &str| s[k].as_u64().unwrap();
    let recs = records(&bytes);
    assert_eq!(recs.len() as u64, n("written"), "{s}");
    // The guest's runs: filtered records, discard mode and the full buffer drop some,
    // one buffer fault; every sample is accounted for once.
    assert!(
        n("filtered") > 0 && n("dropped") > 0 && n("faults") == 1,
        "{s}"
    );
    assert!(
        n("sampled") >= n("written") + n("filtered") + n("dropped"),
        "{s}"
    );
    // The first records are the EL2 sequence's (COUNT = 10: its LDR, with CONTEXTIDR_EL2).
    assert_eq!(recs[0].el, 2);
    assert_eq!(recs[0].context, [None, Some(0x5e2)]);
    assert!(recs
        .iter()
        .any(|r| r.el == 1 && r.context[0] == Some(0x5e1)));
    perf_decodes(&trace, recs.len());
    assert_eq!(run(), bytes, "same run, same file");
    let _ = std::fs::remove_file(&trace);
    let _ = std::fs::remove_file(&stats);
}

#[test]
fn spe_off_hides_the_feature_and_poison_unknown_changes_nothing_the_guest_sets() {
    let elf = guest("spe");
    let o = hypsim(&["run", "--kernel", elf.to_str().unwrap(), "--spe", "off"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("PMSVer=0x0: FEAT_SPE not implemented"),
        "{out}"
    );
    // The spe guest programs every register it relies on, so garbage reset values
    // leave its output exactly the golden one.
    let o = hypsim(&["run", "--kernel", elf.to_str().unwrap(), "--poison-unknown"]);
    assert_eq!(o.status.code(), Some(0));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guests/golden/spe.out");
    assert_eq!(o.stdout, std::fs::read(golden).unwrap());
}

#[test]
fn guest_spe_option_mistakes_are_errors_before_the_guest_runs() {
    let elf = guest("spe");
    let trace = tmp("off-trace.data");
    let o = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--spe",
        "off",
        "--spe-trace",
        trace.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--spe-trace needs the guest's SPE"));
    assert!(o.stdout.is_empty() && !trace.exists());
    let o = hypsim(&["run", "--spe-symbols", "/tmp/System.map"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--spe-out or --spe-trace"));
    let o = hypsim(&["run", "--spe", "v9"]);
    assert_eq!(o.status.code(), Some(2));
    let o = hypsim(&["run", "--spe-trace", "/nonexistent/dir/t"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--spe-trace /nonexistent/dir/t"), "{err}");
}
