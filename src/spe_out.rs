//! Host-side SPE profiles (`--spe-sample SPEC --spe-out FILE`): the PEs' profilers
//! (cpu::profile) sample the guest's operations without its knowledge, and this writes
//! the samples as a perf.data that Linux perf reads (spe::perf_data): in `aux` format as
//! raw SPE records for perf's own SPE decoder, in `samples` format as ordinary samples
//! (addresses perf's SPE decoder cannot represent, such as EL2 code with E2H = 0, come
//! out right). The file carries the kernel map perf symbolises with (`--kallsyms` or
//! `--vmlinux`): from `--spe-symbols` (a System.map or kallsyms listing), or else, for a
//! Linux Image, learnt from the first kernel sample (the image's load address plus the
//! VA-PA offset of its code).

use spe::{KernelMap, Mode, PerfDataConfig, PerfDataWriter};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Parse `--spe-sample interval=N[,jitter][,el=0+1+2][,filter=ld+st+br][,min-lat=N][,seed=N]`.
pub fn parse_sample(s: &str) -> Result<cpu::SampleConfig, String> {
    let mut c = cpu::SampleConfig {
        interval: 0,
        jitter: false,
        els: 0b111,
        filter: 0,
        min_latency: 0,
        seed: 1,
    };
    for part in s.split(',') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let list = |what: &str, names: &[(&str, u8)]| -> Result<u8, String> {
            value.split('+').try_fold(0u8, |acc, v| {
                names
                    .iter()
                    .find(|(n, _)| *n == v)
                    .map(|(_, b)| acc | b)
                    .ok_or_else(|| {
                        let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
                        format!("{what}: '{v}' is not one of {}", all.join(", "))
                    })
            })
        };
        match key {
            "interval" => c.interval = crate::cli::parse_u64(value)?,
            "jitter" if value.is_empty() => c.jitter = true,
            "el" => c.els = list("el", &[("0", 1), ("1", 2), ("2", 4)])?,
            "filter" => {
                use cpu::spe_filter::*;
                c.filter = list("filter", &[("ld", LOAD), ("st", STORE), ("br", BRANCH)])?;
            }
            "min-lat" => {
                c.min_latency = u32::try_from(crate::cli::parse_u64(value)?)
                    .map_err(|_| format!("min-lat={value}: too large"))?;
            }
            "seed" => c.seed = crate::cli::parse_u64(value)?,
            _ => {
                return Err(format!(
                    "'{part}': expected interval=N, jitter, el=0+1+2, filter=ld+st+br, \
                     min-lat=N or seed=N"
                ))
            }
        }
    }
    if c.interval == 0 {
        return Err("interval=N (N >= 1) is required".into());
    }
    Ok(c)
}

/// The `_text` address and the extent of the kernel image from a System.map or
/// /proc/kallsyms listing ("ADDRESS TYPE NAME" lines).
pub fn kernel_map(path: &Path) -> Result<KernelMap, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut start = None;
    let mut end = None;
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let (Some(addr), Some(_), Some(name)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let Ok(addr) = u64::from_str_radix(addr, 16) else {
            continue;
        };
        match name {
            "_text" => start = Some(addr),
            "_end" => end = Some(addr),
            _ => {}
        }
    }
    match (start, end) {
        (Some(s), Some(e)) if e > s => Ok(KernelMap {
            start: s,
            len: e - s,
            pgoff: s,
        }),
        _ => Err(format!(
            "{}: no _text and _end symbols (a System.map or kallsyms listing is needed)",
            path.display()
        )),
    }
}

/// Where an [`SpeOut`]'s samples come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The host-side profiler (`--spe-out`).
    Host,
    /// Copies of the guest SPE's records (`--spe-trace`).
    Guest,
}

impl Source {
    fn option(self) -> &'static str {
        match self {
            Source::Host => "--spe-out",
            Source::Guest => "--spe-trace",
        }
    }
}

/// The open profile.
pub struct SpeOut {
    writer: PerfDataWriter<BufWriter<File>>,
    path: std::path::PathBuf,
    source: Source,
    /// Whether the file has its kernel map (from --spe-symbols, or learnt in the run).
    mapped: bool,
}

impl SpeOut {
    /// Create FILE (before the run, so a bad path is an error before the guest starts).
    pub fn create(
        path: &Path,
        source: Source,
        format: &str,
        kernel: Option<KernelMap>,
        midr: u64,
        counter_hz: u64,
    ) -> anyhow::Result<Self> {
        let mut cfg = PerfDataConfig::new(if format == "samples" {
            Mode::Samples
        } else {
            Mode::Aux
        });
        let cfg_mapped = kernel.is_some();
        cfg.kernel = kernel;
        cfg.midr = midr;
        cfg.counter_hz = counter_hz;
        let opt = source.option();
        let file =
            File::create(path).map_err(|e| anyhow::anyhow!("{opt} {}: {e}", path.display()))?;
        let writer = PerfDataWriter::new(BufWriter::new(file), cfg)
            .map_err(|e| anyhow::anyhow!("{opt} {}: {e}", path.display()))?;
        Ok(Self {
            writer,
            path: path.to_owned(),
            source,
            mapped: cfg_mapped,
        })
    }

    /// Write the samples the PEs took since the last call.
    pub fn drain<W: std::io::Write>(
        &mut self,
        m: &mut crate::board::Machine<W>,
    ) -> anyhow::Result<()> {
        if !self.mapped {
            // A Linux Image runs linearly mapped: _text is its load address plus the
            // VA-PA offset of the kernel code the samples saw.
            let offset = m.vcpus.iter().find_map(|v| v.cpu.kernel_va_offset());
            if let (Some((start, end)), Some(off)) = (m.kernel_image, offset) {
                let text = start.wrapping_add(off);
                self.writer
                    .kernel_map(KernelMap {
                        start: text,
                        len: end - start,
                        pgoff: text,
                    })
                    .map_err(|e| self.error(e))?;
                self.mapped = true;
            }
        }
        for (i, v) in m.vcpus.iter_mut().enumerate() {
            let samples = match self.source {
                Source::Host => v.cpu.take_samples(),
                Source::Guest => v.cpu.take_spe_trace(),
            };
            for s in samples {
                // The EL2 context (the VHE host's PIDs) when present, else EL1's.
                let pid = s.context[1].or(s.context[0]).unwrap_or(0) as i32;
                self.writer
                    .sample(&s, i as u32, pid)
                    .map_err(|e| self.error(e))?;
            }
        }
        Ok(())
    }

    fn error(&self, e: impl std::fmt::Display) -> anyhow::Error {
        anyhow::anyhow!("{} {}: {e}", self.source.option(), self.path.display())
    }

    /// Write what is left and complete the file.
    pub fn finish<W: std::io::Write>(
        mut self,
        m: &mut crate::board::Machine<W>,
    ) -> anyhow::Result<()> {
        self.drain(m)?;
        let (path, opt) = (self.path.clone(), self.source.option());
        let out = self
            .writer
            .finish()
            .map_err(|e| anyhow::anyhow!("{opt} {}: {e}", path.display()))?;
        out.into_inner()
            .map_err(|e| anyhow::anyhow!("{opt} {}: {e}", path.display()))?;
        Ok(())
    }
}

/// `hypsim spe-decode FILE`: the SPE records of a raw buffer or of a perf.data's AUX
/// data, one packet per line.
pub fn decode(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut out = String::new();
    if bytes.starts_with(b"PERFILE2") {
        let aux = spe::perf_data::aux_payloads(&bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if aux.is_empty() {
            anyhow::bail!(
                "{}: a perf.data without SPE (AUX) data (a --spe-format samples file: read it \
                 with perf script)",
                path.display()
            );
        }
        for (cpu, data) in aux {
            out.push_str(&format!("# cpu {cpu}: {} bytes\n", data.len()));
            out.push_str(&spe::Dump(&data).to_string());
        }
    } else {
        out.push_str(&spe::Dump(&bytes).to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_specs() {
        let c = parse_sample("interval=1024,jitter,el=1+2,filter=ld+br,min-lat=20").unwrap();
        assert_eq!(c.interval, 1024);
        assert!(c.jitter);
        assert_eq!(c.els, 0b110);
        assert_eq!(c.filter, cpu::spe_filter::LOAD | cpu::spe_filter::BRANCH);
        assert_eq!(c.min_latency, 20);
        assert!(parse_sample("jitter").unwrap_err().contains("interval"));
        assert!(parse_sample("interval=8,el=3").unwrap_err().contains("'3'"));
        assert!(parse_sample("interval=8,filter=xx")
            .unwrap_err()
            .contains("ld, st, br"));
        assert!(parse_sample("interval=8,color=red")
            .unwrap_err()
            .contains("color"));
    }
}
