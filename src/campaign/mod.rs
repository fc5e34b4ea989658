//! `hypsim campaign PLAN.toml`: a sweep of fault injections run from one snapshot as
//! independent deterministic jobs — on local cores (`--jobs N`), or written out as a GNU
//! parallel command file or a Slurm job array (`--emit`) — and merged into a JSON and CSV
//! result and an HTML report of outcomes against injection points (crate::campaign::report).
//!
//! Every job is one `hypsim run` command line (plan.rs); it leaves `job-N.out` (console),
//! `job-N.err`, `job-N.exit` (exit code), `job-N.inject.jsonl` and `job-N.stats.json` in
//! the output directory, whoever runs it, and the merge step reads only those files.

pub mod plan;
pub mod report;

use plan::{Job, Plan};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How to run the campaign.
pub struct Options {
    /// The plan.
    pub plan: PathBuf,
    /// Output directory (created).
    pub out: PathBuf,
    /// Local parallel jobs.
    pub jobs: usize,
    /// Write a `slurm` or `parallel` script instead of running.
    pub emit: Option<String>,
    /// Only merge results already in `out`.
    pub merge_only: bool,
}

/// Quote `s` for a POSIX shell.
fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=.,/:+@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The shell command of job `j`: the run, its console and its exit code to files.
fn job_command(exe: &Path, plan: &Plan, j: &Job, out: &Path) -> String {
    let base = out.join(format!("job-{}", j.id));
    let mut cmd = sh_quote(&exe.display().to_string());
    for a in plan.job_args(j, out) {
        cmd.push(' ');
        cmd.push_str(&sh_quote(&a));
    }
    let b = base.display().to_string();
    format!(
        "{cmd} < /dev/null > {} 2> {}; echo $? > {}",
        sh_quote(&format!("{b}.out")),
        sh_quote(&format!("{b}.err")),
        sh_quote(&format!("{b}.exit"))
    )
}

/// Run (or emit, or merge) a campaign; returns a one-line summary.
pub fn run(o: &Options) -> Result<String, String> {
    let plan = Plan::read(&o.plan)?;
    if !plan.snapshot.exists() {
        return Err(format!(
            "snapshot {} does not exist (make it with hypsim run --snapshot-save)",
            plan.snapshot.display()
        ));
    }
    std::fs::create_dir_all(&o.out).map_err(|e| format!("{}: {e}", o.out.display()))?;
    let out = o
        .out
        .canonicalize()
        .map_err(|e| format!("{}: {e}", o.out.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the hypsim binary: {e}"))?;
    let commands: Vec<String> = plan
        .jobs
        .iter()
        .map(|j| job_command(&exe, &plan, j, &out))
        .collect();
    let cmd_file = out.join("commands.txt");
    std::fs::write(&cmd_file, commands.join("\n") + "\n")
        .map_err(|e| format!("{}: {e}", cmd_file.display()))?;
    match o.emit.as_deref() {
        Some("parallel") => {
            return Ok(format!(
                "{} jobs in {}: run them with `parallel < {}`, then `hypsim campaign {} --out {} --merge`",
                plan.jobs.len(),
                cmd_file.display(),
                cmd_file.display(),
                o.plan.display(),
                out.display()
            ));
        }
        Some("slurm") => {
            let script = out.join("campaign.sbatch");
            let text = format!(
                "#!/bin/bash\n#SBATCH --job-name=hypsim-campaign\n#SBATCH --array=0-{}\n#SBATCH --output={}/slurm-%a.log\n# Job N runs line N+1 of commands.txt; merge afterwards with\n#   hypsim campaign {} --out {} --merge\neval \"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" {})\"\n",
                plan.jobs.len() - 1,
                out.display(),
                sh_quote(&o.plan.display().to_string()),
                sh_quote(&out.display().to_string()),
                sh_quote(&cmd_file.display().to_string())
            );
            std::fs::write(&script, text).map_err(|e| format!("{}: {e}", script.display()))?;
            return Ok(format!(
                "{} jobs: submit with `sbatch {}`, then merge with --merge",
                plan.jobs.len(),
                script.display()
            ));
        }
        Some(other) => return Err(format!("--emit {other}: expected slurm or parallel")),
        None => {}
    }
    if !o.merge_only {
        run_local(&commands, o.jobs.max(1));
    }
    report::merge(&plan, &out)
}

/// Run the job commands on `jobs` local workers (each job is its own process).
fn run_local(commands: &[String], jobs: usize) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(c) = commands.get(i) else { break };
                let _ = std::process::Command::new("sh").arg("-c").arg(c).status();
            });
        }
    });
}
