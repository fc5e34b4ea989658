//! A campaign plan (`hypsim campaign PLAN.toml`): one snapshot, one sweep of injection
//! points, and the variations to try at each (error types, CPUs), expanded into jobs —
//! each an ordinary `hypsim run --snapshot-load ... --inject ...` command line, so the
//! same jobs run on local cores, under GNU parallel or as a Slurm job array.
//!
//! ```toml
//! snapshot = "boot.snap"        # relative to the plan's directory
//! kind = "serror"               # serror | sea | ras (as --inject)
//! trigger = "insn"              # insn | time: the swept trigger
//! from = 400000000              # first point (instructions, or ns for time)
//! to = 401000000                # last point (inclusive)
//! step = 10000
//! variants = ["aet=uc", "aet=ce"]   # key=value suffixes, each a job per point
//! cpus = [0]                    # cpu=K per job (default [0])
//! max_insns = 300000000         # job limit (a job that reaches it is a hang)
//! args = ["--smp", "1"]         # more `hypsim run` arguments for every job
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The plan as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    snapshot: PathBuf,
    kind: String,
    trigger: String,
    from: u64,
    to: u64,
    step: u64,
    #[serde(default)]
    variants: Vec<String>,
    #[serde(default)]
    cpus: Vec<usize>,
    max_insns: Option<u64>,
    #[serde(default)]
    args: Vec<String>,
}

/// A checked plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The snapshot every job starts from (absolute or relative to the current
    /// directory).
    pub snapshot: PathBuf,
    /// The jobs, in order.
    pub jobs: Vec<Job>,
    /// `--max-insns` of every job.
    pub max_insns: Option<u64>,
    /// Extra `hypsim run` arguments.
    pub args: Vec<String>,
}

/// One injection run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Index (0-based), also the Slurm array task id.
    pub id: usize,
    /// The swept point.
    pub point: u64,
    /// The variant (`aet=uc`), or empty.
    pub variant: String,
    /// The CPU.
    pub cpu: usize,
    /// The `--inject` spec.
    pub spec: String,
}

/// Most jobs a plan may expand to (a typo in `step` should not queue millions of runs).
const MAX_JOBS: usize = 1_000_000;

impl Plan {
    /// Read and check `path`; every job's spec must parse as an `--inject` spec.
    pub fn read(path: &Path) -> Result<Self, String> {
        let name = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        let f: PlanFile = toml::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        if !matches!(f.trigger.as_str(), "insn" | "time") {
            return Err(format!(
                "{name}: trigger = \"{}\": expected \"insn\" or \"time\"",
                f.trigger
            ));
        }
        if f.step == 0 || f.to < f.from {
            return Err(format!(
                "{name}: from/to/step: need from <= to and step >= 1"
            ));
        }
        let points = (f.to - f.from) / f.step + 1;
        let variants = if f.variants.is_empty() {
            vec![String::new()]
        } else {
            f.variants
        };
        let cpus = if f.cpus.is_empty() { vec![0] } else { f.cpus };
        let total = points as u128 * variants.len() as u128 * cpus.len() as u128;
        if total > MAX_JOBS as u128 {
            return Err(format!(
                "{name}: {total} jobs (more than {MAX_JOBS}): raise step"
            ));
        }
        let mut jobs = Vec::with_capacity(total as usize);
        for k in 0..points {
            let point = f.from + k * f.step;
            for v in &variants {
                for &cpu in &cpus {
                    let unit = if f.trigger == "time" { "ns" } else { "" };
                    let mut spec = format!("{},{}={point}{unit},cpu={cpu}", f.kind, f.trigger);
                    if !v.is_empty() {
                        spec.push(',');
                        spec.push_str(v);
                    }
                    crate::board::inject::spec::parse(&spec)
                        .map_err(|e| format!("{name}: job spec {spec}: {e}"))?;
                    jobs.push(Job {
                        id: jobs.len(),
                        point,
                        variant: v.clone(),
                        cpu,
                        spec,
                    });
                }
            }
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        Ok(Self {
            snapshot: dir.join(f.snapshot),
            jobs,
            max_insns: f.max_insns,
            args: f.args,
        })
    }

    /// The `hypsim run` arguments of job `j`, writing its files into `out`.
    pub fn job_args(&self, j: &Job, out: &Path) -> Vec<String> {
        let base = out.join(format!("job-{}", j.id));
        let mut a = vec![
            "run".to_string(),
            "--snapshot-load".into(),
            self.snapshot.display().to_string(),
            "--inject".into(),
            j.spec.clone(),
            "--inject-log".into(),
            format!("{}.inject.jsonl", base.display()),
            "--stats".into(),
            format!("{}.stats.json", base.display()),
        ];
        if let Some(n) = self.max_insns {
            a.extend(["--max-insns".into(), n.to_string()]);
        }
        a.extend(self.args.iter().cloned());
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_expand_to_checked_jobs() {
        let dir = std::env::temp_dir().join(format!("hypsim-plan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("plan.toml");
        std::fs::write(
            &p,
            "snapshot = \"boot.snap\"\nkind = \"serror\"\ntrigger = \"insn\"\nfrom = 100\nto = 300\nstep = 100\nvariants = [\"aet=uc\", \"aet=ce\"]\nmax_insns = 5000\n",
        )
        .unwrap();
        let plan = Plan::read(&p).unwrap();
        assert_eq!(plan.jobs.len(), 6);
        assert_eq!(plan.jobs[1].spec, "serror,insn=100,cpu=0,aet=ce");
        assert_eq!(plan.jobs[5].point, 300);
        assert_eq!(plan.snapshot, dir.join("boot.snap"));
        let a = plan.job_args(&plan.jobs[0], Path::new("out"));
        assert!(a.windows(2).any(|w| w == ["--max-insns", "5000"]));
        for (bad, says) in [
            ("trigger = \"pc\"", "expected \"insn\" or \"time\""),
            ("step = 0", "step >= 1"),
            ("variants = [\"colour=red\"]", "unknown key 'colour'"),
            ("bogus = 1", "unknown field"),
        ] {
            let text = std::fs::read_to_string(&p).unwrap();
            let key = bad.split(' ').next().unwrap();
            let edited: String = text
                .lines()
                .filter(|l| !l.starts_with(&format!("{key} ")))
                .chain([bad])
                .collect::<Vec<_>>()
                .join("\n");
            let q = dir.join("bad.toml");
            std::fs::write(&q, edited).unwrap();
            let e = Plan::read(&q).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
