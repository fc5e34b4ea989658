//! The core models `--cpu NAME` selects: TOML data files (cores/*.toml, built into the
//! binary) describing the caches, TLBs, branch predictor and per-class costs the
//! `detailed` timing model simulates, and the MIDR_EL1 and cache ID registers the guest
//! reads.

/// (name, TOML) of every built-in core.
const CORES: &[(&str, &str)] = &[
    ("neoverse-n1", include_str!("cores/neoverse-n1.toml")),
    ("cortex-a72", include_str!("cores/cortex-a72.toml")),
];

/// The default core of `--timing detailed`.
pub const DEFAULT: &str = "neoverse-n1";

/// The core named `name`, parsed and checked.
pub fn core_model(name: &str) -> Result<cpu::CoreModel, String> {
    let Some((_, text)) = CORES.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = CORES.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "--cpu {name}: unknown core (known: {})",
            names.join(", ")
        ));
    };
    let m: cpu::CoreModel = toml::from_str(text).map_err(|e| format!("core model {name}: {e}"))?;
    m.validate()
        .map_err(|e| format!("core model {name}: {e}"))?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_core_parses_and_validates() {
        for (name, _) in CORES {
            let m = core_model(name).unwrap();
            assert_eq!(&m.name, name);
        }
        assert!(core_model("pentium").unwrap_err().contains("neoverse-n1"));
        let n1 = core_model("neoverse-n1").unwrap();
        // CCSIDR_EL1 of the 64 KiB 4-way L1D with 64-byte lines: 256 sets.
        assert_eq!(
            n1.ccsidr(0, false) & 0x0fff_ffff,
            (255 << 13) | (3 << 3) | 2
        );
        assert_eq!(n1.clidr() >> 24 & 7, 3, "LoC: L3 (the system cache)");
    }
}
