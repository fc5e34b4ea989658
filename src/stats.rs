//! `--stats FILE`: a JSON summary of the run.

use crate::board::sched::Outcome;
use crate::board::Machine;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

#[derive(Serialize)]
struct ExcCount {
    ec: u8,
    target_el: u8,
    count: u64,
}

#[derive(Serialize)]
struct CpuStats {
    instructions: u64,
    cycles: u64,
    exceptions: Vec<ExcCount>,
    /// MTE tag check faults by kind (all zero without MTE).
    tag_check_faults: cpu::TagFaults,
    /// `--timing detailed`: cache, TLB and branch predictor event counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    model_events: Option<cpu::Events>,
    /// `--spe-sample`: operations sampled, filtered out, and kept (written).
    #[serde(skip_serializing_if = "Option::is_none")]
    spe: Option<cpu::ProfileStats>,
    /// The guest's SPE (`--spe`): operations sampled, records filtered out, written to
    /// the buffer, dropped (discard mode, buffer full), buffer faults.
    #[serde(skip_serializing_if = "Option::is_none")]
    guest_spe: Option<cpu::SpuStats>,
}

#[derive(Serialize)]
struct Stats {
    outcome: String,
    instructions: u64,
    /// Simulated cycles of the slowest CPU (= simulated ns at 1 GHz).
    cycles: u64,
    wall_seconds: f64,
    mips: f64,
    /// The JIT, summed over the CPUs (host-side figures, like the wall time: blocks
    /// compiled, compile seconds, instructions run as compiled code); absent with
    /// `--jit off`.
    #[serde(skip_serializing_if = "Option::is_none")]
    jit: Option<cpu::JitStats>,
    cpus: Vec<CpuStats>,
}

/// Write the summary to `path`.
pub fn write<W: Write>(
    path: &Path,
    m: &Machine<W>,
    outcome: Outcome,
    wall: std::time::Duration,
) -> anyhow::Result<()> {
    let cpus: Vec<CpuStats> = m
        .vcpus
        .iter()
        .map(|v| CpuStats {
            instructions: v.cpu.insns(),
            cycles: v.cpu.cycles(),
            exceptions: v
                .cpu
                .exception_counts()
                .into_iter()
                .map(|(ec, target_el, count)| ExcCount {
                    ec,
                    target_el,
                    count,
                })
                .collect(),
            tag_check_faults: v.cpu.tag_faults(),
            model_events: v.cpu.model_events(),
            spe: v.cpu.profile_stats(),
            guest_spe: v.cpu.spu_stats(),
        })
        .collect();
    let instructions = m.total_insns();
    let s = Stats {
        outcome: format!("{outcome:?}"),
        instructions,
        cycles: cpus.iter().map(|c| c.cycles).max().unwrap_or(0),
        wall_seconds: wall.as_secs_f64(),
        mips: instructions as f64 / wall.as_secs_f64().max(1e-9) / 1e6,
        jit: m
            .vcpus
            .iter()
            .filter_map(|v| v.cpu.jit_stats())
            .reduce(|a, b| a.sum(&b)),
        cpus,
    };
    let json = serde_json::to_string_pretty(&s)?;
    std::fs::write(path, json + "\n")
        .map_err(|e| anyhow::anyhow!("--stats {}: {e}", path.display()))?;
    Ok(())
}
