//! The `detailed` timing model (`--timing detailed --cpu NAME`) against its own data
//! (src/board/cores/*.toml) and published figures: the `tmodel` guest's pointer chase
//! must show one latency plateau per cache level with knees at the configured sizes, its
//! page-stride walk the TLB reaches, its operation chains the class latencies and
//! throughputs (and the measured throughput ratios), its instruction-footprint sweep
//! the L1I size, its branch patterns the mispredict penalty; the ID registers describe
//! the core; runs repeat exactly.

mod common;

use common::{guest, hypsim, json_file, tmp};
use std::collections::BTreeMap;

/// The parts of a core's data file the checks need.
#[derive(serde::Deserialize)]
struct Core {
    midr: u64,
    l1i: Level,
    l1d: Level,
    l2: Level,
    llc: Option<Level>,
    dram_latency: u64,
    dtlb: Tlb,
    l2tlb: Tlb,
    predictor: Predictor,
    window: Window,
    pmu_counters: u64,
    latency: BTreeMap<String, f64>,
    occupancy: BTreeMap<String, f64>,
}

#[derive(serde::Deserialize)]
struct Level {
    size: u64,
    latency: u64,
}

#[derive(serde::Deserialize)]
struct Tlb {
    entries: u64,
    latency: u64,
}

#[derive(serde::Deserialize)]
struct Predictor {
    mispredict_penalty: u64,
}

#[derive(serde::Deserialize)]
struct Window {
    dispatch_width: u64,
}

fn core(name: &str) -> Core {
    let path = common::root().join(format!("src/board/cores/{name}.toml"));
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Run tmodel; (its result lines "<kind> <name> <value x100> <PMU count per 100>" keyed
/// "<kind> <name>" -> value and "<kind> <name> pmu" -> count; the header line, the stats
/// JSON).
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
    assert!(!text.contains("wrong result"), "{text}");
    let mut v = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 4 && ["chase", "branch", "tlb", "op", "ifoot"].contains(&f[0]) {
            v.insert(format!("{} {}", f[0], f[1]), f[2].parse().unwrap());
            v.insert(format!("{} {} pmu", f[0], f[1]), f[3].parse().unwrap());
        }
    }
    let header = text.lines().next().unwrap_or("").to_string();
    let json = json_file(&stats);
    let _ = std::fs::remove_file(stats);
    (v, header, json)
}

/// `got` within `tol` (a fraction) of `want`.
fn near(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= want * tol,
        "{what}: {got}, want {want} (within {}%)",
        tol * 100.0
    );
}

/// Published throughput ratios to ADD, from CNTVCT-timed loops of independent
/// instructions on real parts (timing-notes.md §1 [M1]: lelegard/arm-instruction-time).
const MEASURED_RATIOS: [(&str, &str, f64); 6] = [
    ("neoverse-n1", "mul", 8.7),
    ("neoverse-n1", "umulh", 11.6),
    ("neoverse-n1", "div", 17.4),
    ("cortex-a72", "mul", 5.6),
    ("cortex-a72", "umulh", 7.5),
    ("cortex-a72", "div", 11.3),
];

fn check(name: &str) {
    let c = core(name);
    let (v, header, stats) = run(name);
    let get = |k: &str| v[k] as f64;
    assert!(
        header.contains(&format!("MIDR_EL1={:#x}", c.midr)),
        "{name}: {header}"
    );
    assert!(
        header.contains(&format!("PMCR_EL0.N={}", c.pmu_counters)),
        "{name}: {header}"
    );
    // Pointer chase: each step waits for the previous load, so a step costs the
    // load-to-use latency of the level holding the working set (the loop's SUBS and B.NE
    // issue in its shadow).
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
        near(
            &format!("{name}: chase over {kb} KiB, cycles x100 per step"),
            get(&format!("chase {bytes}")),
            (latency * 100) as f64,
            0.03,
        );
        kb *= 2;
    }
    // Page stride: within the L1 dTLB's reach a step is an L1D hit; beyond it (lines
    // still in L1D) it adds the L2 TLB latency, one dTLB refill per step; beyond the L2
    // TLB's reach it walks (at least one more descriptor read).
    let l1 = (c.l1d.latency * 100) as f64;
    let l2tlb = ((c.l1d.latency + c.l2tlb.latency) * 100) as f64;
    let mut pages = 8;
    while pages <= 8192 {
        let (cost, refills) = (
            get(&format!("tlb {pages}")),
            get(&format!("tlb {pages} pmu")),
        );
        let what = format!("{name}: page stride over {pages} pages");
        if pages * 2 <= c.dtlb.entries {
            near(&what, cost, l1, 0.03);
            assert!(refills < 5.0, "{what}: {refills} dTLB refills per 100");
        } else if pages >= c.dtlb.entries * 2
            && pages * 2 <= c.l2tlb.entries
            && pages * 64 * 2 <= c.l1d.size
        {
            near(&what, cost, l2tlb, 0.03);
            assert!(refills >= 95.0, "{what}: {refills} dTLB refills per 100");
        } else if pages >= c.l2tlb.entries * 2 {
            assert!(
                cost >= l2tlb + l1,
                "{what}: {cost}, want a walk beyond {l2tlb}"
            );
        }
        pages *= 2;
    }
    // Operation chains: a dependent chain costs the class latency per instruction, an
    // independent stream its reciprocal throughput (ADD's includes the loop's two ALU
    // instructions per 16); throughput ratios to ADD match the published measurements.
    let ops = [
        ("add", "alu"),
        ("mul", "mul"),
        ("umulh", "mulh"),
        ("div", "div"),
        ("fmadd", "fma"),
        ("fadd", "fp"),
    ];
    let slot = 1.0 / c.window.dispatch_width as f64;
    for (op, class) in ops {
        let (dep, indep) = (get(&format!("op {op}-dep")), get(&format!("op {op}-indep")));
        near(
            &format!("{name}: dependent {op}"),
            dep,
            c.latency[class] * 100.0,
            0.1,
        );
        let mut want = c.occupancy[class].max(slot);
        if class == "alu" {
            want *= 18.0 / 16.0;
        }
        near(
            &format!("{name}: independent {op}"),
            indep,
            want * 100.0,
            0.15,
        );
    }
    for (core_name, op, ratio) in MEASURED_RATIOS {
        if core_name == name {
            let ours = get(&format!("op {op}-indep")) / get("op add-indep");
            near(
                &format!("{name}: {op}/add throughput ratio"),
                ours,
                ratio,
                0.25,
            );
        }
    }
    // Instruction footprint: straight-line code that fits L1I runs at the dispatch or
    // ALU rate; beyond L1I every 64-byte line (16 instructions) misses once and stalls
    // the front end for an L2 hit.
    let fits = get("ifoot 4096");
    near(
        &format!("{name}: ifoot in L1I"),
        fits,
        c.occupancy["alu"].max(slot) * 100.0,
        0.15,
    );
    let mut bytes = 4096;
    while bytes <= 1 << 20 {
        let (cost, refills) = (
            get(&format!("ifoot {bytes}")),
            get(&format!("ifoot {bytes} pmu")),
        );
        if bytes * 2 <= c.l1i.size {
            assert!(
                refills < 1.0 && cost <= fits * 1.05,
                "{name}: ifoot {bytes}: {cost}, {refills}"
            );
        } else if bytes >= c.l1i.size * 2 && bytes <= c.l2.size / 2 {
            near(
                &format!("{name}: ifoot {bytes} L1I refills per 100"),
                refills,
                100.0 / 16.0,
                0.2,
            );
            let stall = (c.l2.latency - c.l1i.latency) as f64 * 100.0 / 16.0;
            let extra = cost - fits;
            assert!(
                extra >= stall * 0.6 && extra <= stall * 1.2,
                "{name}: ifoot {bytes}: {extra} more per instruction x100, want about {stall}"
            );
        }
        bytes *= 2;
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
