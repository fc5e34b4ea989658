//! Host-side SPE profiling (`--spe-sample ... --spe-out FILE`) on bare-metal guests: the
//! interval is honoured exactly (and within its range with jitter), every filter keeps
//! only what it names, the records decode (with our decoder, and with Debian's perf when
//! installed), `--stats` counts agree with the file, runs repeat byte for byte, and bad
//! options are clear errors.

mod common;

use common::{
    guest, hypsim, hypsim_interrupted, json_file, perf_decodes, spe_records as decode, tmp,
};
use spe::{OpType, Sample};

/// Run `guest` with `--spe-sample spec` (and `extra` options) into a perf.data; returns
/// the samples in it, the file's bytes and the stats JSON.
fn profile(
    name: &str,
    g: &str,
    spec: &str,
    extra: &[&str],
) -> (Vec<Sample>, Vec<u8>, serde_json::Value) {
    let out = tmp(&format!("{name}.data"));
    let stats = tmp(&format!("{name}.json"));
    let elf = guest(g);
    let mut args = vec![
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--spe-sample",
        spec,
        "--spe-out",
        out.to_str().unwrap(),
        "--stats",
        stats.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = hypsim(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    let samples = decode(&bytes);
    let json = json_file(&stats);
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&stats);
    (samples, bytes, json)
}

fn counts(stats: &serde_json::Value) -> (u64, u64, u64, u64) {
    let c = &stats["cpus"][0];
    let s = &c["spe"];
    (
        c["instructions"].as_u64().unwrap(),
        s["taken"].as_u64().unwrap(),
        s["filtered"].as_u64().unwrap(),
        s["kept"].as_u64().unwrap(),
    )
}

#[test]
fn every_nth_operation_is_sampled_and_runs_repeat_exactly() {
    let (samples, a, stats) = profile(
        "exact",
        "intops",
        "interval=1000",
        &["--timing", "detailed"],
    );
    let (insns, taken, filtered, kept) = counts(&stats);
    assert_eq!(
        taken,
        insns / 1000,
        "one sample per 1000 retired instructions"
    );
    assert_eq!((filtered, kept), (0, taken));
    assert_eq!(
        samples.len() as u64,
        kept,
        "every kept sample is in the file"
    );
    assert!(samples
        .iter()
        .all(|s| s.timestamp.is_some() && s.context.iter().any(Option::is_some)));
    // Loads carry their addresses; those from RAM (not the UART's registers) a data
    // source and at least the L1D's load-to-use latency, from the model.
    let loads: Vec<&Sample> = samples
        .iter()
        .filter(|s| matches!(s.op, OpType::LoadStore { store: false, .. }))
        .collect();
    assert!(!loads.is_empty());
    assert!(loads
        .iter()
        .all(|s| s.data_va.is_some() && s.data_pa.is_some()));
    let ram: Vec<&&Sample> = loads
        .iter()
        .filter(|s| s.data_pa.is_some_and(|p| p.pa >= 0x4000_0000))
        .collect();
    assert!(!ram.is_empty());
    assert!(ram
        .iter()
        .all(|s| s.data_source.is_some() && s.total_latency >= 4));
    let (_, b, _) = profile(
        "exact2",
        "intops",
        "interval=1000",
        &["--timing", "detailed"],
    );
    assert!(a == b, "the same run gives the same file");
}

#[test]
fn jitter_randomises_the_low_byte_of_the_interval() {
    let (_, a, stats) = profile("jitter", "intops", "interval=1024,jitter", &[]);
    let (insns, taken, _, _) = counts(&stats);
    // Intervals are 1024 with bits [7:0] random: 1024..=1279.
    assert!(
        taken >= insns / 1279 && taken <= insns / 1024,
        "{taken} samples of {insns}"
    );
    let (_, b, _) = profile("jitter2", "intops", "interval=1024,jitter", &[]);
    assert!(a == b, "the same seed gives the same file");
    let (_, c, _) = profile("jitter3", "intops", "interval=1024,jitter,seed=7", &[]);
    assert!(a != c, "another seed, other samples");
}

#[test]
fn filters_keep_only_what_they_name() {
    let detailed = ["--timing", "detailed"];
    let (s, _, stats) = profile("ld", "intops", "interval=97,filter=ld", &detailed);
    assert!(!s.is_empty());
    assert!(s
        .iter()
        .all(|s| matches!(s.op, OpType::LoadStore { store: false, .. })));
    let (_, taken, filtered, kept) = counts(&stats);
    assert!(filtered > 0 && taken == filtered + kept);
    let (s, _, _) = profile("st", "intops", "interval=97,filter=st", &detailed);
    assert!(!s.is_empty());
    assert!(s
        .iter()
        .all(|s| matches!(s.op, OpType::LoadStore { store: true, .. })));
    let (s, _, _) = profile("br", "intops", "interval=97,filter=br", &detailed);
    assert!(!s.is_empty());
    assert!(s.iter().all(|s| matches!(s.op, OpType::Branch { .. })));
    assert!(s.iter().any(|s| s.branch_target.is_some()));
    let (s, _, _) = profile("lat", "intops", "interval=97,min-lat=6", &detailed);
    assert!(!s.is_empty());
    assert!(s.iter().all(|s| s.total_latency >= 6));
    // With the flat model the sampled load leaves the block interpreter alone; its
    // fast-path access is still seen.
    let (s, _, _) = profile("ldflat", "intops", "interval=97,filter=ld", &[]);
    assert!(!s.is_empty());
    assert!(s.iter().all(|s| s.data_va.is_some() && s.data_pa.is_some()));
    // The guest runs at EL2 only: asking for EL0 samples keeps none.
    let (s, _, stats) = profile("el", "intops", "interval=97,el=0", &[]);
    let (_, taken, filtered, kept) = counts(&stats);
    assert!(s.is_empty() && kept == 0 && filtered == taken && taken > 0);
}

#[test]
fn spe_decode_lists_the_records_and_perf_reads_the_file() {
    let out = tmp("decode.data");
    let elf = guest("intops");
    let o = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--spe-sample",
        "interval=5000",
        "--spe-out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let o = hypsim(&["spe-decode", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    let n = std::fs::read(&out).map(|b| decode(&b).len()).unwrap();
    assert_eq!(text.matches(" pc 0x").count(), n, "{text}");
    perf_decodes(&out, n);
    let _ = std::fs::remove_file(&out);
    // Not a file of ours: a clear error.
    let o = hypsim(&["spe-decode", "/nonexistent/file"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/file"));
}

#[test]
fn bad_profiling_options_are_errors_before_the_guest_runs() {
    let o = hypsim(&[
        "run",
        "--spe-sample",
        "interval=8,filter=xx",
        "--spe-out",
        "/tmp/x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ld, st, br"));
    let o = hypsim(&["run", "--spe-sample", "interval=8"]);
    assert_eq!(o.status.code(), Some(2), "--spe-out is required");
    let o = hypsim(&[
        "run",
        "--spe-sample",
        "interval=8",
        "--spe-out",
        "/nonexistent/dir/x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--spe-out /nonexistent/dir/x"), "{err}");
    assert!(o.stdout.is_empty(), "the guest did not start");
}

#[test]
fn ctrl_c_leaves_a_complete_profile() {
    let out = tmp("sigint.data");
    let stats = tmp("sigint.json");
    // ~300 M SIMD instructions, which run through their handlers even with the JIT
    // (over ten seconds): still running when interrupted.
    let elf = guest("bench-simd");
    hypsim_interrupted(
        &[
            "run",
            "--kernel",
            elf.to_str().unwrap(),
            "--spe-sample",
            "interval=1000",
            "--spe-out",
            out.to_str().unwrap(),
            "--stats",
            stats.to_str().unwrap(),
        ],
        500,
    );
    let (_, _, _, kept) = counts(&json_file(&stats));
    let samples = decode(&std::fs::read(&out).unwrap());
    assert!(kept > 0);
    assert_eq!(
        samples.len() as u64,
        kept,
        "every sample taken before Ctrl-C is in the file"
    );
    let _ = std::fs::remove_file(out);
    let _ = std::fs::remove_file(stats);
}
