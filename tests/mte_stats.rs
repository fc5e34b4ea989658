//! `--stats` counts MTE tag check faults by kind: on the `mte` and `mte_el1` guests the
//! synchronous count equals the Data Aborts with DFSC 0b010001 (synchronous Tag Check
//! Fault) their QEMU-recorded goldens print, and the asynchronous TCF modes are counted.

mod common;

use common::{guest, hypsim, json_file, root, tmp};

/// Data Aborts (EC 0x24/0x25) with DFSC 0x11 among the `ESR_ELx=0x...` values of a golden.
fn sync_tag_faults_in(golden: &str) -> u64 {
    golden
        .split("ESR_EL")
        .skip(1)
        .filter_map(|s| {
            let hex = s.get(1..)?.strip_prefix("=0x")?;
            let end = hex
                .find(|c: char| !c.is_ascii_hexdigit())
                .unwrap_or(hex.len());
            u64::from_str_radix(&hex[..end], 16).ok()
        })
        .filter(|esr| matches!(esr >> 26, 0x24 | 0x25) && esr & 0x3f == 0x11)
        .count() as u64
}

#[test]
fn stats_count_the_tag_check_faults_the_guests_report() {
    for name in ["mte", "mte_el1"] {
        let golden =
            std::fs::read_to_string(root().join(format!("tests/guests/golden/{name}.out")))
                .unwrap();
        let stats = tmp(&format!("{name}-stats.json"));
        let elf = guest(name);
        let o = hypsim(&[
            "run",
            "--kernel",
            elf.to_str().unwrap(),
            "--stats",
            stats.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}");
        assert_eq!(
            o.stdout,
            golden.as_bytes(),
            "{name}: output is the golden one"
        );
        let faults = &json_file(&stats)["cpus"][0]["tag_check_faults"];
        let want = sync_tag_faults_in(&golden);
        assert!(
            want > 0,
            "{name}: the golden shows synchronous tag check faults"
        );
        assert_eq!(faults["sync"].as_u64(), Some(want), "{name}: {faults}");
        assert!(
            faults["asynchronous"].as_u64().unwrap() > 0,
            "{name}: {faults}"
        );
        let _ = std::fs::remove_file(stats);
    }
}
