//! The command line (DESIGN.md §5), parsed with `clap`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// hypsim: an AArch64 system emulator for hypervisor and firmware developers.
#[derive(Parser, Debug)]
#[command(name = "hypsim", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub cmd: Cmd,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Boot a kernel (or, without --kernel, the built-in demo guest) on the virt board.
    Run(Box<RunArgs>),
    /// Print the board the `run` options given build (memory map, interrupt wiring) and
    /// its CPU's ID registers with the features they advertise, named as Linux names them.
    Info(Box<RunArgs>),
    /// Run a fault-injection campaign: a sweep of --inject points from one snapshot, as
    /// independent jobs, merged into results.json, results.csv and report.html.
    Campaign(CampaignArgs),
    /// Print the SPE records of a raw profiling buffer or of a perf.data's AUX data
    /// (a --spe-out file), one packet per line.
    SpeDecode {
        /// The file.
        file: PathBuf,
    },
}

/// `hypsim campaign` options.
#[derive(Args, Debug)]
pub struct CampaignArgs {
    /// The plan (TOML): snapshot, kind, trigger, from, to, step, variants, cpus,
    /// max_insns, args (see the README).
    pub plan: PathBuf,
    /// Output directory for the job files and the merged results (default: the plan's
    /// name with `.out`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Jobs to run at once on this machine.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub jobs: u64,
    /// Do not run: write the jobs as a GNU parallel command file (`parallel`) or a Slurm
    /// job-array script (`slurm`) to run elsewhere, then merge with --merge.
    #[arg(long, value_parser = ["slurm", "parallel"], conflicts_with = "merge")]
    pub emit: Option<String>,
    /// Only merge the job results already in the output directory.
    #[arg(long)]
    pub merge: bool,
}

/// `hypsim run` options.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Kernel: an ELF executable, an arm64 Linux Image (optionally gzip-compressed), or a
    /// raw binary when --load-addr is given. Without it, the built-in demo guest runs.
    #[arg(long)]
    pub kernel: Option<PathBuf>,
    /// Kernel command line (goes into the device tree's /chosen/bootargs).
    #[arg(long)]
    pub append: Option<String>,
    /// Initial ramdisk, placed as QEMU `virt` does and announced in /chosen.
    #[arg(long)]
    pub initrd: Option<PathBuf>,
    /// Use this device tree blob instead of the generated one (as it is: it must carry
    /// its own /chosen, so --append and --initrd cannot be combined with it).
    #[arg(long, conflicts_with_all = ["append", "initrd"])]
    pub dtb: Option<PathBuf>,
    /// Write the generated device tree to FILE and exit without running the guest.
    #[arg(long, value_name = "FILE")]
    pub dump_dtb: Option<PathBuf>,
    /// Guest RAM size, with an optional K/M/G suffix (e.g. 512M, 2G).
    #[arg(long, default_value = "1G", value_parser = parse_size)]
    pub memory: u64,
    /// Exception level the kernel is entered at: 2 (EL2 exists; PSCI over SMC) or 1
    /// (no EL2; PSCI over HVC).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub el: u8,
    /// Physical address size in bits, advertised in ID_AA64MMFR0_EL1.PARange and used by
    /// the stage 1 and stage 2 walks (and so KVM's IPA limit): 32, 36, 40, 42, 44, 48 or 52.
    /// 52 is FEAT_LPA: 52-bit addresses with the 64KB granule only (no FEAT_LPA2).
    #[arg(long, default_value_t = 48, value_parser = parse_pa_bits)]
    pub pa_bits: u8,
    /// Number of vCPUs (secondaries start with PSCI CPU_ON).
    #[arg(long, default_value_t = 1)]
    pub smp: usize,
    /// Memory Tagging (FEAT_MTE2 and FEAT_MTE3, advertised in ID_AA64PFR1_EL1): `on`
    /// gives RAM tag storage (1/32 of its size); `off` makes the MTE instructions and
    /// registers UNDEFINED.
    #[arg(long, default_value = "on", value_parser = ["on", "off"])]
    pub mte: String,
    /// Statistical Profiling (FEAT_SPE) for the guest: the SPE version advertised in
    /// ID_AA64DFR0_EL1.PMSVer, or off (the PMS*/PMB* registers UNDEFINED). While the
    /// guest's profiling buffer is enabled, every instruction runs alone (slower)
    #[arg(long, value_name = "VERSION", default_value = "v1p2", value_parser = ["off", "v1", "v1p1", "v1p2"])]
    pub spe: String,
    /// Reset the registers whose reset value the Arm ARM leaves UNKNOWN (PMSCR_EL1,
    /// PMSICR_EL1, PMBSR_EL1, ...) to non-zero garbage instead of hypsim's documented
    /// zero, so firmware or hypervisor code that forgets to initialise them shows up
    #[arg(long)]
    pub poison_unknown: bool,
    /// Compile hot code to host code: `on` (the default on x86-64 hosts) or `off` (the
    /// block interpreter only; the default elsewhere). Results, instruction and cycle
    /// counts are the same either way. The environment variable sets the default (CI
    /// runs the whole test suite with HYPSIM_JIT=off too).
    #[arg(long, env = "HYPSIM_JIT", value_parser = ["on", "off"])]
    pub jit: Option<String>,
    /// Lockstep check of the JIT (slow; for finding JIT bugs): every run of compiled code
    /// is run again by the interpreter from the same state and compared (registers,
    /// PSTATE, system registers, counts, stored memory); the first difference stops the
    /// run with both states printed (exit code 6). Runs that did what cannot be undone
    /// (table walks, device accesses, system instructions) are counted, not compared.
    #[arg(long)]
    pub jit_check: bool,
    /// Timing model: `flat` (a cost per instruction class; the default, fast) or
    /// `detailed` (caches, TLBs and a branch predictor of the --cpu core price every
    /// instruction and drive the PMU's cache, TLB and branch events; slower).
    #[arg(long, default_value = "flat", value_parser = ["flat", "detailed"])]
    pub timing: String,
    /// Core to model: neoverse-n1 or cortex-a72 (data files in src/board/cores/). Sets
    /// MIDR_EL1 and the cache ID registers (CLIDR_EL1, CCSIDR_EL1, CTR_EL0) to the core's;
    /// `--timing detailed` simulates it (neoverse-n1 unless given).
    #[arg(long, value_name = "NAME")]
    pub cpu: Option<String>,
    /// Back guest RAM with this file, mapped shared: the guest sees what an earlier run
    /// (or another process) left there, and the file holds the RAM when hypsim exits.
    /// Created at the --memory size if missing; an existing file must have that size.
    #[arg(long, value_name = "PATH")]
    pub memory_file: Option<PathBuf>,
    /// Keep the MTE allocation tags in this file, mapped shared (needs --mte on): one
    /// 4-bit tag per 16-byte granule, the even granule in the low nibble, so 1/32 of the
    /// --memory size. Created if missing; an existing file must have that size.
    #[arg(long, value_name = "PATH")]
    pub tag_file: Option<PathBuf>,
    /// Simulated time while every CPU waits: `sim` (default) jumps to the next event, so
    /// runs are deterministic; `wall` lets it advance no faster than real time, for
    /// interactive use (the guest's clock then follows the wall clock while it idles).
    #[arg(long, default_value = "sim", value_parser = ["sim", "wall"])]
    pub clock: String,
    /// Stop after this many retired instructions (exit code 4).
    #[arg(long, value_parser = parse_u64)]
    pub max_insns: Option<u64>,
    /// Load the kernel file as a raw binary at this physical address (and enter there).
    #[arg(long, value_parser = parse_u64)]
    pub load_addr: Option<u64>,
    /// Write run statistics (instructions, simulated cycles, exceptions) as JSON.
    #[arg(long)]
    pub stats: Option<PathBuf>,
    /// Trace to stderr: `exc` (exceptions), `psci` (firmware calls), `undef` (UNDEFINED
    /// encodings), `insn` (every instruction, disassembled, with its physical address;
    /// slow), `mmio` (device accesses), `tlbi` (TLB maintenance). Repeat or comma-separate.
    #[arg(long, value_delimiter = ',')]
    pub trace: Vec<String>,
    /// Inject a fault: KIND,TRIGGER[,key=value...]. KIND: serror (keys iss=,
    /// aet=uc|ueu|uer|ueo|ce, ids=1), sea (a synchronous External abort on the matching
    /// access) or ras (an error in RAS record=N: status=, addr=, misc0=..misc3=,
    /// signal=serror|irq|none). TRIGGER, exactly one: insn=N (CPU cpu=K, default 0, has
    /// retired N instructions), time=DURATION (ns/us/ms/s of simulated time), pc=0xADDR
    /// (about to execute; el=), pa=0xADDR (an access touches it; len=N,
    /// access=read|write|fetch|walk|any). count=N fires N times (pc= and pa= triggers;
    /// insn= and time= name one point of the run). Repeatable.
    #[arg(long, value_name = "SPEC", value_parser = crate::board::inject::spec::parse)]
    pub inject: Vec<crate::board::inject::spec::Spec>,
    /// More --inject specs, as a TOML (`inject = [...]`) or JSON list of spec strings or
    /// tables of the same keys (`{ kind = "serror", insn = 1000 }`).
    #[arg(long, value_name = "FILE")]
    pub inject_file: Option<PathBuf>,
    /// Write one JSON object per injection firing to FILE: kind, trigger, cpu, insn,
    /// time_ns, pc, el, taken ({el, vector_offset, esr, far, elr}, "pending" or "deferred").
    #[arg(long, value_name = "FILE")]
    pub inject_log: Option<PathBuf>,
    /// Profile the guest with SPE-style sampling on the host side (no guest driver, no
    /// guest-visible change): interval=N[,jitter][,el=0+1+2][,filter=ld+st+br]
    /// [,min-lat=N][,seed=N]. Every Nth operation is sampled (jitter: the low 8 bits of
    /// each interval random), then kept if it ran at a listed EL, is of a listed type and
    /// took at least min-lat cycles. Latencies and cache/TLB events come from the timing
    /// model (richest with --timing detailed). Needs --spe-out
    #[arg(long, value_name = "SPEC", value_parser = crate::spe_out::parse_sample, requires = "spe_out")]
    pub spe_sample: Option<cpu::SampleConfig>,
    /// Write the --spe-sample profile to FILE as a perf.data (perf report, perf script)
    #[arg(long, value_name = "FILE", requires = "spe_sample")]
    pub spe_out: Option<PathBuf>,
    /// The --spe-out format: `aux` (raw SPE records; perf decodes them with
    /// --itrace=i1i) or `samples` (ordinary perf samples; right for EL2 code with
    /// E2H = 0 and other addresses perf's SPE decoder cannot represent)
    #[arg(long, value_name = "FORMAT", default_value = "aux", value_parser = ["aux", "samples"], requires = "spe_out")]
    pub spe_format: String,
    /// The guest kernel's System.map (or a kallsyms listing): its _text and _end go into
    /// the --spe-out and --spe-trace files' kernel map, so perf symbolises kernel samples
    /// (with --kallsyms or --vmlinux)
    #[arg(long, value_name = "FILE")]
    pub spe_symbols: Option<PathBuf>,
    /// Also write every record the guest's SPE writes to its profiling buffer to FILE,
    /// as a perf.data (AUX) that perf report / perf script decode
    #[arg(long, value_name = "FILE")]
    pub spe_trace: Option<PathBuf>,
    /// Save the whole machine to FILE: at --snapshot-at, or else when the run ends.
    #[arg(long, value_name = "FILE")]
    pub snapshot_save: Option<PathBuf>,
    /// When to save the snapshot: insn=N (CPU 0 has retired N instructions) or
    /// time=DURATION (CPU 0's simulated clock); the run then goes on.
    #[arg(long, value_name = "POINT", requires = "snapshot_save", value_parser = parse_snapshot_at)]
    pub snapshot_at: Option<crate::board::sched::SnapPoint>,
    /// Resume a machine saved with --snapshot-save (instead of booting a kernel; the
    /// board options must match the snapshot's).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["kernel", "initrd", "append", "dtb", "dump_dtb", "load_addr"])]
    pub snapshot_load: Option<PathBuf>,
}

/// Parse `--snapshot-at insn=N|time=DURATION`.
pub fn parse_snapshot_at(s: &str) -> Result<crate::board::sched::SnapPoint, String> {
    use crate::board::sched::SnapPoint;
    match s.split_once('=') {
        Some(("insn", n)) => parse_u64(n).map(SnapPoint::Insn),
        Some(("time", t)) => crate::board::inject::spec::duration(t).map(SnapPoint::Time),
        _ => Err(format!(
            "'{s}': expected insn=N or time=DURATION (e.g. time=2ms)"
        )),
    }
}

/// Parse a number in decimal or 0x-hex.
pub fn parse_u64(s: &str) -> Result<u64, String> {
    let s = s.replace('_', "");
    let r = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16),
        None => s.parse(),
    };
    r.map_err(|e| format!("'{s}' is not a number: {e}"))
}

/// Parse `--pa-bits`: one of the PARange sizes hypsim implements.
pub fn parse_pa_bits(s: &str) -> Result<u8, String> {
    match s.trim().parse::<u8>() {
        Ok(b @ (32 | 36 | 40 | 42 | 44 | 48 | 52)) => Ok(b),
        _ => Err(format!(
            "'{s}' is not a supported physical address size: use 32, 36, 40, 42, 44, 48 or 52"
        )),
    }
}

/// Parse a size with an optional K, M, G or T suffix (binary multiples), e.g. `512M`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, shift) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 10),
        Some('M') => (&t[..t.len() - 1], 20),
        Some('G') => (&t[..t.len() - 1], 30),
        Some('T') => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    let n = parse_u64(num)
        .map_err(|_| format!("'{s}' is not a size (examples: 512M, 1G, 0x8000000)"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("'{s}' is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("0x1000"), Ok(4096));
        assert_eq!(parse_size("1234"), Ok(1234));
        assert!(parse_size("12Q").is_err());
        assert!(parse_size("G").is_err());
        assert!(parse_size("99999999999T").is_err());
    }

    #[test]
    fn pa_bits() {
        for b in [32, 36, 40, 42, 44, 48, 52] {
            assert_eq!(parse_pa_bits(&b.to_string()), Ok(b));
        }
        for bad in ["56", "41", "0", "64", "x"] {
            assert!(parse_pa_bits(bad).is_err(), "{bad}");
        }
    }
}
