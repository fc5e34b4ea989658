//! The `detailed` timing model (`--timing detailed --cpu NAME`) against its own data:
//! the `tmodel` guest's pointer chase must show one latency plateau per cache level with
//! knees at the configured sizes (src/board/cores/*.toml), its branch patterns the
//! configured mispredict penalty; the ID registers describe the core; runs repeat exactly.

mod common;

use common::{guest, hypsim, json_file, tmp};
use std::collections::BTreeMap;

/// The parts of a core's data file the checks need.
#[derive(serde::Deserialize)]
struct Core {
    midr: u64,
    l1d: Level,
    l2: Level,
    llc: Option<Level>,
    dram_latency: u64,
    predictor: Predictor,
    costs: Costs,
}

#[derive(serde::Deserialize)]
struct Level {
    size: u64,
    latency: u64,
}

#[derive(serde::Deserialize)]
struct Predictor {
    mispredict_penalty: u64,
}

#[derive(serde::Deserialize)]
struct Costs {
    alu: u64,
    mem: u64,
}

fn core(name: &str) -> Core {
    let path = common::root().join(format!("src/board/cores/{name}.toml"));
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Run tmodel; (stdout lines keyed "chase <bytes>" / "branch <name>" -> value x100, and
/// "... pmu" -> the PMU count per 100; the header line, the stats JSON).
fn run(cpu: &str) -> (BTreeMap<String, u64>, String, serde_json::Value) {
    let stats = tmp(&format!("tmodel-{cpu}.json"));
    let elf = guest("tmodel");
    let out = hypsim(&[
        "run",
        "--kernel",
        elf.to_str().unwrap(),
        "--timing",
        "detailed",
        "--cpu",
        cpu,
        "--stats",
        stats.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 4 && (f[0] == "chase" || f[0] == "branch") {
            v.insert(format!("{} {}", f[0], f[1]), f[2].parse().unwrap());
            v.insert(format!("{} {} pmu", f[0], f[1]), f[3].parse().unwrap());
        }
    }
    let header = text.lines().next().unwrap_or("").to_string();
    let json = json_file(&stats);
    let _ = std::fs::remove_file(stats);
    (v, header, json)
}

fn check(name: &str) {
    let c = core(name);
    let (v, header, stats) = run(name);
    assert!(
        header.contains(&format!("MIDR_EL1={:#x}", c.midr)),
        "{name}: {header}"
    );
    // A chase step is the load plus SUBS and B.NE (predicted): the L1 hit costs the
    // class costs; a miss adds the latency of the level that hits minus the L1D's.
    let base = c.costs.mem + 2 * c.costs.alu;
    let mut levels = vec![(c.l1d.size, c.l1d.latency), (c.l2.size, c.l2.latency)];
    if let Some(llc) = &c.llc {
        levels.push((llc.size, llc.latency));
    }
    let mut kb = 4;
    while kb <= 64 * 1024 {
        let bytes = kb * 1024;
        let latency = levels
            .iter()
            .find(|(size, _)| bytes <= *size)
            .map_or(c.dram_latency, |l| l.1);
        let want = (base + latency - c.l1d.latency) * 100;
        let got = v[&format!("chase {bytes}")];
        let err = got.abs_diff(want) as f64 / want as f64;
        assert!(
            err < 0.03,
            "{name}: chase over {kb} KiB: {got} cycles x100 per step, want {want}"
        );
        kb *= 2;
    }
    // Random directions mispredict half the time; alternating ones are learned.
    let half = c.predictor.mispredict_penalty * 100 / 2;
    let (taken, alt, random) = (
        v["branch taken"],
        v["branch alternating"],
        v["branch random"],
    );
    let extra = random - alt;
    assert!(
        extra.abs_diff(half) * 100 / half < 15,
        "{name}: random costs {extra} more than alternating, want about {half}"
    );
    assert!(
        alt - taken < half / 2,
        "{name}: alternating {alt} vs taken {taken}"
    );
    let e = &stats["cpus"][0]["model_events"];
    assert!(e["l1d_cache_refill"].as_u64().unwrap() > 0);
    assert!(e["br_mis_pred"].as_u64().unwrap() > 0);
}

#[test]
fn neoverse_n1_plateaus_and_mispredicts_follow_its_data() {
    check("neoverse-n1");
}

#[test]
fn cortex_a72_plateaus_and_mispredicts_follow_its_data() {
    check("cortex-a72");
}

#[test]
fn detailed_runs_repeat_exactly_and_bad_cores_are_errors() {
    let (a, _, sa) = run("neoverse-n1");
    let (b, _, sb) = run("neoverse-n1");
    assert_eq!(a, b);
    assert_eq!(sa["cycles"], sb["cycles"]);
    assert_eq!(sa["cpus"], sb["cpus"]);
    let out = hypsim(&["run", "--cpu", "pentium"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neoverse-n1, cortex-a72"));
}
