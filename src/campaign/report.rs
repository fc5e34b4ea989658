//! Merging a campaign's job files into `results.json`, `results.csv` and `report.html`
//! (an SVG plot of each job's outcome against its injection point).
//!
//! Outcome of a job, from its exit code and its injection log:
//! - `panic`: the guest reset (PSCI SYSTEM_RESET, as Linux does after a panic with
//!   `panic=-1`; exit code 3);
//! - `hang`: the instruction limit was reached or every CPU waits forever (exit 4, 5);
//! - `recovered`: the guest powered off (exit 0) after taking the injected exception or
//!   deferring it with ESB;
//! - `no effect`: it powered off and the injection never fired or stayed pending;
//! - `error`: anything else (the job did not run, or hypsim failed).

use super::plan::Plan;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// One job's result.
#[derive(Debug, Serialize)]
pub struct JobResult {
    /// Job index.
    pub id: usize,
    /// Injection point.
    pub point: u64,
    /// Variant.
    pub variant: String,
    /// CPU.
    pub cpu: usize,
    /// The `--inject` spec.
    pub spec: String,
    /// Exit code, if the job ran.
    pub exit: Option<i32>,
    /// See the module doc.
    pub outcome: &'static str,
    /// The injection log's `taken` (an object, "pending", "deferred"), or null.
    pub taken: Value,
    /// Instructions retired over all CPUs.
    pub instructions: Option<u64>,
}

const OUTCOMES: [&str; 5] = ["panic", "hang", "recovered", "no effect", "error"];

fn classify(exit: Option<i32>, taken: &Value) -> &'static str {
    match exit {
        Some(3) => "panic",
        Some(4 | 5) => "hang",
        Some(0) if taken.is_object() || taken == "deferred" => "recovered",
        Some(0) => "no effect",
        _ => "error",
    }
}

/// Read every job's files in `out` and write the merged results; returns a summary.
pub fn merge(plan: &Plan, out: &Path) -> Result<String, String> {
    let mut results = Vec::with_capacity(plan.jobs.len());
    for j in &plan.jobs {
        let base = out.join(format!("job-{}", j.id));
        let read = |ext: &str| std::fs::read_to_string(format!("{}.{ext}", base.display())).ok();
        let exit = read("exit").and_then(|s| s.trim().parse().ok());
        let taken = read("inject.jsonl")
            .and_then(|s| {
                s.lines()
                    .next()
                    .and_then(|l| serde_json::from_str::<Value>(l).ok())
            })
            .map_or(Value::Null, |v| v["taken"].clone());
        let instructions = read("stats.json")
            .and_then(|s| serde_json::from_str::<Value>(&s).ok())
            .and_then(|v| v["instructions"].as_u64());
        results.push(JobResult {
            id: j.id,
            point: j.point,
            variant: j.variant.clone(),
            cpu: j.cpu,
            spec: j.spec.clone(),
            exit,
            outcome: classify(exit, &taken),
            taken,
            instructions,
        });
    }
    let write = |name: &str, text: String| {
        let p = out.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))
    };
    write(
        "results.json",
        serde_json::to_string_pretty(&results).map_err(|e| e.to_string())? + "\n",
    )?;
    let mut csv = String::from("id,point,variant,cpu,spec,exit,outcome,esr,instructions\n");
    for r in &results {
        let esr = r.taken.get("esr").and_then(Value::as_str).unwrap_or("");
        let _ = writeln!(
            csv,
            "{},{},{},{},\"{}\",{},{},{},{}",
            r.id,
            r.point,
            r.variant,
            r.cpu,
            r.spec,
            r.exit.map_or(String::new(), |e| e.to_string()),
            r.outcome,
            esr,
            r.instructions.map_or(String::new(), |n| n.to_string())
        );
    }
    write("results.csv", csv)?;
    write("report.html", html(plan, &results))?;
    let counts: Vec<String> = OUTCOMES
        .iter()
        .map(|o| {
            format!(
                "{o}: {}",
                results.iter().filter(|r| r.outcome == *o).count()
            )
        })
        .collect();
    Ok(format!(
        "{} jobs ({}); results in {}/results.json, results.csv, report.html",
        results.len(),
        counts.join(", "),
        out.display()
    ))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The report: a summary table and an SVG plot, outcome rows against injection points,
/// one mark per job, coloured by variant.
fn html(plan: &Plan, results: &[JobResult]) -> String {
    const W: f64 = 900.0;
    const ROW: f64 = 40.0;
    const LEFT: f64 = 100.0;
    const COLOURS: [&str; 6] = [
        "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    ];
    let (lo, hi) = results
        .iter()
        .fold((u64::MAX, 0), |(a, b), r| (a.min(r.point), b.max(r.point)));
    let span = (hi.saturating_sub(lo)).max(1) as f64;
    let mut variants: Vec<&str> = results.iter().map(|r| r.variant.as_str()).collect();
    variants.dedup();
    variants.sort();
    variants.dedup();
    let h = ROW * OUTCOMES.len() as f64 + 40.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{h}\">\n",
        W + LEFT + 20.0
    );
    for (i, o) in OUTCOMES.iter().enumerate() {
        let y = ROW * i as f64 + ROW / 2.0;
        let _ = writeln!(svg, "<text x=\"4\" y=\"{}\" font-size=\"13\">{o}</text><line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#ddd\"/>", y + 4.0, LEFT + W);
    }
    for r in results {
        let row = OUTCOMES.iter().position(|o| *o == r.outcome).unwrap_or(4);
        let vi = variants.iter().position(|v| *v == r.variant).unwrap_or(0);
        let x = LEFT + (r.point - lo) as f64 / span * W;
        let y =
            ROW * row as f64 + ROW / 2.0 + (vi as f64 - (variants.len() as f64 - 1.0) / 2.0) * 6.0;
        let _ = writeln!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{}\"><title>job {}: {} -&gt; {}</title></circle>",
            COLOURS[vi % COLOURS.len()],
            r.id,
            esc(&r.spec),
            r.outcome
        );
    }
    let base = ROW * OUTCOMES.len() as f64 + 20.0;
    let _ = writeln!(svg, "<text x=\"{LEFT}\" y=\"{base}\" font-size=\"12\">{lo}</text><text x=\"{}\" y=\"{base}\" font-size=\"12\" text-anchor=\"end\">{hi}</text></svg>", LEFT + W);
    let mut legend = String::new();
    for (i, v) in variants.iter().enumerate() {
        let name = if v.is_empty() { "(default)" } else { v };
        let _ = write!(
            legend,
            "<span style=\"color:{}\">&#9679; {}</span> ",
            COLOURS[i % COLOURS.len()],
            esc(name)
        );
    }
    let mut table = String::from("<table><tr><th>outcome</th>");
    for v in &variants {
        let _ = write!(
            table,
            "<th>{}</th>",
            esc(if v.is_empty() { "(default)" } else { v })
        );
    }
    table.push_str("</tr>");
    for o in OUTCOMES {
        let _ = write!(table, "<tr><td>{o}</td>");
        for v in &variants {
            let n = results
                .iter()
                .filter(|r| r.outcome == o && r.variant == *v)
                .count();
            let _ = write!(table, "<td>{n}</td>");
        }
        table.push_str("</tr>");
    }
    table.push_str("</table>");
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>hypsim campaign</title>\
         <style>body{{font-family:sans-serif}} td,th{{padding:2px 10px;text-align:right}}</style></head><body>\n\
         <h1>hypsim fault-injection campaign</h1>\n<p>{} jobs from snapshot <code>{}</code>; \
         injection point on the x axis.</p>\n{table}\n<p>{legend}</p>\n{svg}</body></html>\n",
        results.len(),
        esc(&plan.snapshot.display().to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_from_exit_codes_and_logs() {
        let taken = serde_json::json!({"el": 2});
        assert_eq!(classify(Some(3), &taken), "panic");
        assert_eq!(classify(Some(4), &Value::Null), "hang");
        assert_eq!(classify(Some(5), &taken), "hang");
        assert_eq!(classify(Some(0), &taken), "recovered");
        assert_eq!(
            classify(Some(0), &serde_json::json!("deferred")),
            "recovered"
        );
        assert_eq!(
            classify(Some(0), &serde_json::json!("pending")),
            "no effect"
        );
        assert_eq!(classify(Some(0), &Value::Null), "no effect");
        assert_eq!(classify(None, &Value::Null), "error");
        assert_eq!(classify(Some(1), &taken), "error");
    }
}
