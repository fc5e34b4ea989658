//! hypsim: runs AArch64 EL2/EL1 software on a QEMU-`virt`-like board.
//!
//! Exit codes: 0 PSCI SYSTEM_OFF; 1 emulator or input error; 2 bad command line;
//! 3 PSCI SYSTEM_RESET; 4 instruction limit reached; 5 guest hang (every CPU waits and
//! nothing can wake it, or every CPU is off); 130 interrupted by Ctrl-C (SIGINT).

mod board;
mod campaign;
mod cli;
mod info;
mod spe_out;
mod stats;

use board::sched::Outcome;
use board::{BoardConfig, Machine};
use clap::Parser;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

/// The built-in demo guest (tests/guests/demo.S): a tiny EL2 hypervisor and an EL1 guest.
const DEMO: &[u8] = include_bytes!("../tests/guests/bin/demo.elf");

fn init_tracing(trace: &[String]) -> Result<(), String> {
    let mut filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into());
    for t in trace {
        let target = match t.as_str() {
            "exc" => "hypsim::exc=trace",
            "psci" => "hypsim::psci=debug",
            "undef" => "hypsim::undef=debug",
            "insn" => "hypsim::insn=trace",
            "mmio" => "hypsim::mmio=trace",
            "tlbi" => "hypsim::tlbi=trace",
            other => {
                return Err(format!(
                    "--trace {other}: expected exc, psci, undef, insn, mmio or tlbi"
                ))
            }
        };
        filter.push(',');
        filter.push_str(target);
    }
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .without_time()
        .init();
    Ok(())
}

/// Feed host stdin to the UART from a reader thread (so the CPU loop never blocks).
fn stdin_feed() -> mpsc::Receiver<u8> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        let mut stdin = std::io::stdin();
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || buf[..n].iter().any(|&b| tx.send(b).is_err()) {
                break;
            }
        }
    });
    rx
}

/// The console: guest output to stdout, counting the bytes (snapshots record how much
/// the guest had printed).
struct Console {
    out: std::io::BufWriter<std::io::Stdout>,
    bytes: u64,
}

impl Write for Console {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The board the `run` options describe.
fn board_config(args: &cli::RunArgs) -> anyhow::Result<BoardConfig> {
    let detailed = args.timing == "detailed";
    // --timing detailed simulates a core: the one --cpu names, or the default.
    let core = match (&args.cpu, detailed) {
        (Some(n), _) => Some(n.as_str()),
        (None, true) => Some(board::cores::DEFAULT),
        (None, false) => None,
    }
    .map(board::cores::core_model)
    .transpose()
    .map_err(|e| anyhow::Error::new(Usage(e)))?;
    Ok(BoardConfig {
        ram_size: args.memory,
        smp: args.smp,
        el: args.el,
        pa_bits: args.pa_bits,
        mte: args.mte == "on",
        spe: match args.spe.as_str() {
            "v1" => 1,
            "v1p1" => 2,
            "v1p2" => 3,
            _ => 0,
        },
        memory_file: args.memory_file.clone(),
        tag_file: args.tag_file.clone(),
        core,
        detailed,
    })
}

fn run(args: cli::RunArgs) -> anyhow::Result<Outcome> {
    init_tracing(&args.trace).map_err(anyhow::Error::msg)?;
    let cfg = board_config(&args)?;
    let console = Console {
        out: std::io::BufWriter::new(std::io::stdout()),
        bytes: 0,
    };
    let mut m = Machine::new(&cfg, console)?;
    match &args.snapshot_load {
        Some(path) => {
            let snap = board::snapshot::Snapshot::read(path)?;
            snap.restore(path, &mut m, &cfg).map_err(|e| match e {
                board::snapshot::SnapshotError::Config { .. } => {
                    anyhow::Error::new(Usage(e.to_string()))
                }
                e => e.into(),
            })?;
            m.bus.uart.output_mut().bytes = snap.console_bytes();
        }
        None => {
            if args.poison_unknown {
                for v in &mut m.vcpus {
                    v.cpu.poison_unknown();
                }
            }
            if boot(&args, &mut m)? {
                return Ok(Outcome::PowerOff); // --dump-dtb
            }
        }
    }
    let jit = match args.jit.as_deref() {
        Some(j) => j == "on",
        None => cpu::jit_supported(),
    };
    if jit {
        for v in &mut m.vcpus {
            if !v.cpu.set_jit(true) {
                return Err(Usage(
                    "--jit on: this host has no JIT (x86-64 only); use --jit off".into(),
                )
                .into());
            }
        }
    }
    if args.jit_check {
        if !jit {
            return Err(Usage(
                "--jit-check checks the JIT, which is off (--jit off, or a host without one)"
                    .into(),
            )
            .into());
        }
        if args.timing == "detailed" {
            return Err(Usage("--jit-check: the detailed timing model runs every instruction in the interpreter (there is no compiled code to check)".into()).into());
        }
        for v in &mut m.vcpus {
            v.cpu.set_jit_check();
        }
    }
    if args.trace.iter().any(|t| t == "insn") {
        m.tracer = Some(board::trace::InsnTracer::new().map_err(anyhow::Error::msg)?);
    }
    m.wall_clock = (args.clock == "wall").then(std::time::Instant::now);
    m.snapshot_at = args.snapshot_at;
    let mut specs = args.inject.clone();
    if let Some(path) = &args.inject_file {
        specs.extend(
            board::inject::spec::parse_file(path).map_err(|e| anyhow::Error::new(Usage(e)))?,
        );
    }
    if !specs.is_empty() {
        m.arm_injections(specs)
            .map_err(|e| anyhow::Error::new(Usage(e.to_string())))?;
    }
    if args.spe_trace.is_some() && cfg.spe == 0 {
        // Before any output file is created.
        return Err(Usage("--spe-trace needs the guest's SPE (--spe v1|v1p1|v1p2)".into()).into());
    }
    let kernel = match &args.spe_symbols {
        Some(_) if args.spe_out.is_none() && args.spe_trace.is_none() => {
            return Err(Usage("--spe-symbols needs --spe-out or --spe-trace".into()).into());
        }
        Some(p) => Some(spe_out::kernel_map(p).map_err(|e| anyhow::anyhow!("--spe-symbols {e}"))?),
        None => None,
    };
    let (midr, hz) = {
        let c = &m.vcpus[0].cpu;
        (
            c.sysreg(cpu::sysreg::SR::MIDR_EL1),
            c.sysreg(cpu::sysreg::SR::CNTFRQ_EL0),
        )
    };
    let mut spe_outs = Vec::new();
    if let (Some(sample), Some(path)) = (&args.spe_sample, &args.spe_out) {
        let src = spe_out::Source::Host;
        spe_outs.push(spe_out::SpeOut::create(
            path,
            src,
            &args.spe_format,
            kernel,
            midr,
            hz,
        )?);
        for v in &mut m.vcpus {
            v.cpu.set_profiler(sample.clone());
        }
    }
    if let Some(path) = &args.spe_trace {
        let src = spe_out::Source::Guest;
        spe_outs.push(spe_out::SpeOut::create(path, src, "aux", kernel, midr, hz)?);
        for v in &mut m.vcpus {
            v.cpu.set_spe_trace();
        }
    }
    let mut spe_error = None;
    let input = stdin_feed();
    // Ctrl-C stops the run between slices, so guest output, --stats and --inject-log are
    // still written; a second Ctrl-C while that happens is not caught again.
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))
        .map_err(|e| anyhow::anyhow!("cannot install the Ctrl-C handler: {e}"))?;
    let start = std::time::Instant::now();
    let outcome = loop {
        let o = m.run(args.max_insns.unwrap_or(u64::MAX), |m| {
            while m.bus.uart.rx_room() > 0 {
                match input.try_recv() {
                    Ok(b) => m.bus.uart.push_rx(b),
                    Err(_) => break,
                }
            }
            let _ = m.bus.uart.output_mut().flush();
            for out in &mut spe_outs {
                if let Err(e) = out.drain(m) {
                    spe_error = Some(e);
                    return false;
                }
            }
            !interrupted.load(Ordering::Relaxed)
        });
        let save_now = o == Outcome::Snapshot || args.snapshot_at.is_none();
        if let (Some(path), true) = (&args.snapshot_save, save_now) {
            let _ = m.bus.uart.output_mut().flush();
            let bytes = m.bus.uart.output_mut().bytes;
            board::snapshot::save(path, &m, &cfg, bytes)?;
            let (insns, el) = (m.vcpus[0].cpu.insns(), m.vcpus[0].cpu.pstate().el);
            tracing::info!(target: "hypsim::snapshot", path = %path.display(), insns, el, "saved");
        }
        if o != Outcome::Snapshot {
            break o;
        }
    };
    let wall = start.elapsed();
    if let Some(e) = spe_error {
        return Err(e);
    }
    for out in spe_outs {
        out.finish(&mut m)?;
    }
    if let (Some(p), Some(_)) = (args.snapshot_at, m.snapshot_at) {
        eprintln!("hypsim: warning: --snapshot-at {p:?} was not reached: no snapshot saved");
    }
    finish(&args, &mut m, outcome, wall)
}

/// Load the kernel, initrd and device tree and place them (or, with `--dump-dtb`, write
/// the tree: returns true, nothing to run).
fn boot<W: Write>(args: &cli::RunArgs, m: &mut Machine<W>) -> anyhow::Result<bool> {
    let kernel = match &args.kernel {
        Some(path) => loader::load_kernel(path, args.load_addr.is_some())?,
        None => {
            loader::parse_kernel(DEMO, false).map_err(|e| anyhow::anyhow!("built-in demo: {e}"))?
        }
    };
    let initrd = match &args.initrd {
        Some(p) => Some(loader::load_file(p).map_err(|e| anyhow::anyhow!("--initrd: {e}"))?),
        None => None,
    };
    let dtb = match &args.dtb {
        Some(p) => {
            let bytes = loader::load_file(p).map_err(|e| anyhow::anyhow!("--dtb: {e}"))?;
            board::validate_dtb(&bytes)
                .map_err(|e| anyhow::anyhow!("--dtb {}: {e}", p.display()))?;
            Some(bytes)
        }
        None => None,
    };
    let layout = m.boot(&board::Boot {
        kernel: &kernel,
        load_addr: args.load_addr,
        initrd: initrd.as_deref(),
        bootargs: args.append.as_deref(),
        dtb,
    })?;
    tracing::info!(
        entry = format_args!("{:#x}", layout.entry),
        initrd = ?layout.initrd.map(|(s, e)| format!("{s:#x}..{e:#x}")),
        dtb = format_args!("{:#x}..{:#x}", layout.dtb.0, layout.dtb.1),
        "boot layout"
    );
    if let Some(path) = &args.dump_dtb {
        let mut blob = vec![0u8; (layout.dtb.1 - layout.dtb.0) as usize];
        m.bus.ram.read_bytes(layout.dtb.0, &mut blob)?;
        std::fs::write(path, blob)
            .map_err(|e| anyhow::anyhow!("--dump-dtb {}: {e}", path.display()))?;
        return Ok(true);
    }
    Ok(false)
}

/// After the run: the CPUs' state when it did not end by itself, repeated warnings, and
/// the output files.
fn finish<W: Write>(
    args: &cli::RunArgs,
    m: &mut Machine<W>,
    outcome: Outcome,
    wall: std::time::Duration,
) -> anyhow::Result<Outcome> {
    if matches!(
        outcome,
        Outcome::InsnLimit | Outcome::Hang | Outcome::Interrupted
    ) {
        for (i, v) in m.vcpus.iter().enumerate() {
            let state = match (v.power, v.in_wfi, v.in_wfe) {
                (board::psci::Power::Off, _, _) => "off",
                (_, true, _) => "in WFI",
                (_, _, true) => "in WFE",
                _ => "running",
            };
            let c = &v.cpu;
            eprintln!(
                "hypsim: cpu {i}: {state}, pc {:#x} at EL{}, {} instructions, {} cycles",
                c.pc(),
                c.pstate().el,
                c.insns(),
                c.cycles()
            );
        }
    }
    let _ = m.bus.uart.output_mut().flush();
    if let Outcome::JitMismatch { cpu } = outcome {
        if let Some(r) = m.vcpus[cpu].cpu.jit_check_report() {
            eprint!("hypsim: {}", disassembled(r));
        }
    }
    // File-backed RAM and tags are written back whatever the outcome (a SIGKILL can lose
    // what the host kernel had not written back yet; the mapping is shared, so nothing
    // else is lost).
    if let Err(e) = m.bus.ram.flush() {
        eprintln!("hypsim: error: cannot write guest memory back to its file: {e}");
    }
    report_repeated_warnings(m);
    if let Some(path) = &args.stats {
        stats::write(path, m, outcome, wall)?;
    }
    if let Some(path) = &args.inject_log {
        let firings = m.bus.inject.as_ref().map_or(&[][..], |inj| inj.firings());
        board::inject::log::write(path, firings)
            .map_err(|e| anyhow::anyhow!("--inject-log {}: {e}", path.display()))?;
    }
    Ok(outcome)
}

/// `--jit-check`'s report with each "PC: encoding" line's disassembly added.
fn disassembled(report: &str) -> String {
    let Ok(cs) = board::trace::InsnTracer::new() else {
        return report.to_string();
    };
    let mut out = String::new();
    for line in report.lines() {
        out.push_str(line);
        let insn = line.trim().split_once(": ").and_then(|(pc, w)| {
            let pc = u64::from_str_radix(pc.strip_prefix("0x")?, 16).ok()?;
            Some((pc, u32::from_str_radix(w, 16).ok()?))
        });
        if let Some((pc, w)) = insn {
            out.push_str("  ");
            out.push_str(&cs.disassemble(pc, w));
        }
        out.push('\n');
    }
    out
}

/// A command-line value that is wrong for this machine (exit code 2, as clap's own).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

/// The warnings printed once per PC during the run (crate cpu::warn), with how often each
/// recurred, so a guest that kept hitting one knows it did.
fn report_repeated_warnings<W: std::io::Write>(m: &Machine<W>) {
    for (i, v) in m.vcpus.iter().enumerate() {
        for (kind, pc, n) in v.cpu.warning_counts() {
            if n > 1 {
                eprintln!("hypsim: cpu {i}: {kind:?} at pc {pc:#x}: {n} times (warned once)");
            }
        }
    }
}

/// `hypsim campaign`: exit 0 when every job ran and merged (whatever the guests did),
/// 2 for a bad plan, 1 otherwise.
fn campaign(c: cli::CampaignArgs) -> ExitCode {
    let out = c
        .out
        .clone()
        .unwrap_or_else(|| c.plan.with_extension("out"));
    let o = campaign::Options {
        plan: c.plan.clone(),
        out,
        jobs: c.jobs as usize,
        emit: c.emit.clone(),
        merge_only: c.merge,
    };
    match campaign::run(&o) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hypsim: error: campaign {}: {e}", c.plan.display());
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let args = match cli.cmd {
        cli::Cmd::Run(args) => *args,
        cli::Cmd::Campaign(c) => return campaign(c),
        cli::Cmd::Info(args) => {
            return match board_config(&args).and_then(|cfg| info::report(&cfg)) {
                Ok(text) => {
                    let _ = std::io::stdout().write_all(text.as_bytes());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("hypsim: error: {e:#}");
                    ExitCode::from(if e.is::<Usage>() { 2 } else { 1 })
                }
            };
        }
        cli::Cmd::SpeDecode { file } => {
            return match spe_out::decode(&file) {
                Ok(text) => {
                    // A closed pipe (`| head`) is not an error worth a message.
                    let _ = std::io::stdout().write_all(text.as_bytes());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("hypsim: error: {e:#}");
                    ExitCode::from(1)
                }
            };
        }
    };
    match run(args) {
        Ok(o) => {
            let code = match o {
                Outcome::PowerOff => 0,
                Outcome::Reset => 3,
                Outcome::InsnLimit => {
                    eprintln!("hypsim: instruction limit reached");
                    4
                }
                Outcome::JitMismatch { cpu } => {
                    eprintln!("hypsim: --jit-check: CPU {cpu}: compiled code and the interpreter differ (report above)");
                    6
                }
                Outcome::VectorLoop { cpu, pc } => {
                    eprintln!("hypsim: guest hang: CPU {cpu} keeps faulting on fetching its exception vector at {pc:#x} (is VBAR_ELx set to RAM?)");
                    5
                }
                // Handled inside `run` (the run goes on after saving).
                Outcome::Snapshot => 0,
                Outcome::Interrupted => {
                    eprintln!("hypsim: interrupted (Ctrl-C); output files written");
                    130
                }
                Outcome::Hang | Outcome::AllOff => {
                    eprintln!("hypsim: guest hang: every CPU is waiting (WFI/WFE) or off and nothing can wake it");
                    5
                }
            };
            ExitCode::from(code)
        }
        Err(e) => {
            eprintln!("hypsim: error: {e:#}");
            ExitCode::from(if e.is::<Usage>() { 2 } else { 1 })
        }
    }
}
