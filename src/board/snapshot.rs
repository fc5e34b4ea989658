//! Machine snapshots (`--snapshot-save`, `--snapshot-at`, `--snapshot-load`): the whole
//! board — every PE (cpu::CpuState), its power and wait state, the GIC, the UART and RTC,
//! and the RAM pages that are not zero — so a run resumed from it gives the same output
//! and counts as the run that saved it.
//!
//! Format (version [`VERSION`]): the magic line `HYPSIM-SNAPSHOT\n`, a little-endian u64
//! length and that many bytes of JSON ([`Header`]: version, the board configuration, the
//! device and CPU states), then the RAM: `pages` records of a little-endian u32 page
//! index (from the RAM base), its 4096 bytes and, with MTE, its 128 bytes of allocation
//! tags (one nibble per 16-byte granule, the even granule low). Pages whose data and tags
//! are all zero are left out. Snapshots are taken between scheduling rounds, so no
//! scheduler state is needed.

use super::psci::Power;
use super::{BoardConfig, Machine};
use serde::{Deserialize, Serialize};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

const MAGIC: &[u8] = b"HYPSIM-SNAPSHOT\n";
/// Bumped whenever the layout of anything saved changes.
pub const VERSION: u32 = 3;
/// Tag bytes per page record with MTE.
const PAGE_TAGS: usize = PAGE / 32;
const PAGE: usize = 4096;

/// The board configuration a snapshot belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedConfig {
    /// RAM size in bytes.
    pub ram_size: u64,
    /// CPUs.
    pub smp: usize,
    /// Entry EL (1: no EL2).
    pub el: u8,
    /// Physical address size.
    pub pa_bits: u8,
    /// FEAT_MTE2 with tag storage (then every page record carries its tags).
    pub mte: bool,
    /// The guest's FEAT_SPE version (`--spe`; 0 = off, the default before it existed).
    #[serde(default)]
    pub spe: u8,
    /// The core model (`--cpu`) and whether it is simulated (`--timing detailed`; the
    /// model's caches and predictor are not saved: a resumed run starts them cold).
    #[serde(default)]
    pub cpu: Option<String>,
    #[serde(default)]
    pub detailed: bool,
}

impl SavedConfig {
    fn of(cfg: &BoardConfig) -> Self {
        Self {
            ram_size: cfg.ram_size,
            smp: cfg.smp,
            el: cfg.el,
            pa_bits: cfg.pa_bits,
            mte: cfg.mte,
            spe: cfg.spe,
            cpu: cfg.core.as_ref().map(|c| c.name.clone()),
            detailed: cfg.detailed,
        }
    }
}

/// The allocation tags of the RAM page at offset `off`, packed as in the tag storage.
fn page_tags(ram: &mmu::GuestRam, off: u64) -> [u8; PAGE_TAGS] {
    let mut t = [0u8; PAGE_TAGS];
    ram.read_tags_packed(off, &mut t);
    t
}

#[derive(Serialize, Deserialize)]
struct VcpuState {
    cpu: cpu::CpuState,
    power: Power,
    in_wfi: bool,
    in_wfe: bool,
    wfe_watch: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    version: u32,
    hypsim: String,
    config: SavedConfig,
    /// Bytes the guest had written to the console (the resumed run's output follows).
    console_bytes: u64,
    now_ns: u64,
    vcpus: Vec<VcpuState>,
    gic: gic::Gic,
    uart: devices::Pl011State,
    rtc: devices::Pl031,
    pages: u64,
}

/// Why a snapshot cannot be written or used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// File I/O.
    #[error("{path}: {err}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        err: std::io::Error,
    },
    /// Not a snapshot, or a damaged one.
    #[error("{path}: not a hypsim snapshot ({why})")]
    Format {
        /// The file.
        path: String,
        /// Details.
        why: String,
    },
    /// Another format version.
    #[error("{path}: snapshot format version {found}, this hypsim reads version {VERSION} (saved by hypsim {by})")]
    Version {
        /// The file.
        path: String,
        /// Its version.
        found: u32,
        /// The hypsim that wrote it.
        by: String,
    },
    /// Taken on a differently configured board.
    #[error("{path}: the snapshot was taken with --memory {} --smp {} --el {} --pa-bits {}; this run asks for --memory {} --smp {} --el {} --pa-bits {}",
        saved.ram_size, saved.smp, saved.el, saved.pa_bits, run.ram_size, run.smp, run.el, run.pa_bits)]
    Config {
        /// The file.
        path: String,
        /// Its configuration.
        saved: SavedConfig,
        /// This run's.
        run: SavedConfig,
    },
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SnapshotError + '_ {
    move |err| SnapshotError::Io {
        path: path.display().to_string(),
        err,
    }
}

/// Write `m`'s state to `path` (`cfg`: the configuration it was built with).
pub fn save<W: Write>(
    path: &Path,
    m: &Machine<W>,
    cfg: &BoardConfig,
    console_bytes: u64,
) -> Result<(), SnapshotError> {
    let ram = &m.bus.ram;
    let mut page = vec![0u8; PAGE];
    let mut nonzero = Vec::new();
    for i in 0..ram.size() / PAGE as u64 {
        ram.read_bytes(ram.base() + i * PAGE as u64, &mut page)
            .map_err(|e| io(path)(std::io::Error::other(e.to_string())))?;
        let tags = if cfg.mte {
            page_tags(ram, i * PAGE as u64)
        } else {
            [0; PAGE_TAGS]
        };
        if page.iter().chain(tags.iter()).any(|&b| b != 0) {
            nonzero.push(i as u32);
        }
    }
    let header = Header {
        version: VERSION,
        hypsim: env!("CARGO_PKG_VERSION").into(),
        config: SavedConfig::of(cfg),
        console_bytes,
        now_ns: m.bus.now_ns,
        vcpus: m
            .vcpus
            .iter()
            .map(|v| VcpuState {
                cpu: v.cpu.save_state(),
                power: v.power,
                in_wfi: v.in_wfi,
                in_wfe: v.in_wfe,
                wfe_watch: v.wfe_watch,
            })
            .collect(),
        gic: m.bus.gic.clone(),
        uart: m.bus.uart.save(),
        rtc: m.bus.rtc.clone(),
        pages: nonzero.len() as u64,
    };
    let json = serde_json::to_vec(&header).map_err(|e| io(path)(e.into()))?;
    // Written to a temporary name first, so an interrupted save never leaves a
    // truncated snapshot under the real name.
    let tmp = path.with_extension("partial");
    let file = std::fs::File::create(&tmp).map_err(io(path))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    w.write_all(MAGIC).map_err(io(path))?;
    w.write_all(&(json.len() as u64).to_le_bytes())
        .map_err(io(path))?;
    w.write_all(&json).map_err(io(path))?;
    for i in nonzero {
        ram.read_bytes(ram.base() + i as u64 * PAGE as u64, &mut page)
            .map_err(|e| io(path)(std::io::Error::other(e.to_string())))?;
        w.write_all(&i.to_le_bytes()).map_err(io(path))?;
        w.write_all(&page).map_err(io(path))?;
        if cfg.mte {
            w.write_all(&page_tags(ram, i as u64 * PAGE as u64))
                .map_err(io(path))?;
        }
    }
    w.into_inner()
        .map_err(|e| io(path)(e.into_error()))?
        .sync_all()
        .map_err(io(path))?;
    std::fs::rename(&tmp, path).map_err(io(path))?;
    Ok(())
}

/// A snapshot read from a file, ready to be put into a machine.
pub struct Snapshot {
    header: Header,
    /// Page index, data, and tags (empty without MTE).
    ram: Vec<(u32, Vec<u8>, Vec<u8>)>,
}

impl Snapshot {
    /// Read and check `path`.
    pub fn read(path: &Path) -> Result<Self, SnapshotError> {
        let name = path.display().to_string();
        let bad = |why: String| SnapshotError::Format {
            path: name.clone(),
            why,
        };
        let file = std::fs::File::open(path).map_err(io(path))?;
        let mut r = BufReader::with_capacity(1 << 20, file);
        let mut magic = [0u8; 16];
        r.read_exact(&mut magic)
            .map_err(|_| bad("too short".into()))?;
        if magic != MAGIC {
            return Err(bad("bad magic".into()));
        }
        let mut len = [0u8; 8];
        r.read_exact(&mut len)
            .map_err(|_| bad("truncated header".into()))?;
        let len = u64::from_le_bytes(len);
        if len > 1 << 30 {
            return Err(bad(format!("header length {len}")));
        }
        let mut json = vec![0u8; len as usize];
        r.read_exact(&mut json)
            .map_err(|_| bad("truncated header".into()))?;
        // The version first, so an old layout gets a version error, not a parse error.
        #[derive(Deserialize)]
        struct Version {
            version: u32,
            hypsim: String,
        }
        let v: Version = serde_json::from_slice(&json).map_err(|e| bad(format!("header: {e}")))?;
        if v.version != VERSION {
            return Err(SnapshotError::Version {
                path: name,
                found: v.version,
                by: v.hypsim,
            });
        }
        let header: Header =
            serde_json::from_slice(&json).map_err(|e| bad(format!("header: {e}")))?;
        let max_page = header.config.ram_size / PAGE as u64;
        let mut ram = Vec::with_capacity(header.pages as usize);
        for _ in 0..header.pages {
            let mut idx = [0u8; 4];
            let mut data = vec![0u8; PAGE];
            let mut tags = vec![0u8; if header.config.mte { PAGE_TAGS } else { 0 }];
            r.read_exact(&mut idx)
                .and_then(|_| r.read_exact(&mut data))
                .and_then(|_| r.read_exact(&mut tags))
                .map_err(|_| bad("truncated RAM".into()))?;
            let idx = u32::from_le_bytes(idx);
            if idx as u64 >= max_page {
                return Err(bad(format!("RAM page {idx} beyond the saved RAM size")));
            }
            ram.push((idx, data, tags));
        }
        Ok(Self { header, ram })
    }

    /// Bytes the guest had written to the console when it was taken.
    pub fn console_bytes(&self) -> u64 {
        self.header.console_bytes
    }

    /// Put it into `m`, a freshly built machine of configuration `cfg`.
    pub fn restore<W: Write>(
        &self,
        path: &Path,
        m: &mut Machine<W>,
        cfg: &BoardConfig,
    ) -> Result<(), SnapshotError> {
        let run = SavedConfig::of(cfg);
        if run != self.header.config {
            return Err(SnapshotError::Config {
                path: path.display().to_string(),
                saved: self.header.config.clone(),
                run,
            });
        }
        let bad = |why: String| SnapshotError::Format {
            path: path.display().to_string(),
            why,
        };
        if self.header.vcpus.len() != m.vcpus.len() {
            return Err(bad(format!(
                "{} CPU states for a {}-CPU board",
                self.header.vcpus.len(),
                m.vcpus.len()
            )));
        }
        if !m.bus.gic.same_shape(&self.header.gic) {
            return Err(bad("GIC state of another shape (CPUs or SPIs)".into()));
        }
        let ram = &m.bus.ram;
        for (idx, data, tags) in &self.ram {
            ram.write_bytes(ram.base() + *idx as u64 * PAGE as u64, data)
                .map_err(|e| bad(e.to_string()))?;
            ram.write_tags_packed(*idx as u64 * PAGE as u64, tags);
        }
        for (v, s) in m.vcpus.iter_mut().zip(&self.header.vcpus) {
            v.cpu.restore_state(&s.cpu).map_err(bad)?;
            v.power = s.power;
            v.in_wfi = s.in_wfi;
            v.in_wfe = s.in_wfe;
            v.wfe_watch = s.wfe_watch;
        }
        m.bus.gic = self.header.gic.clone();
        m.bus.uart.restore(&self.header.uart);
        m.bus.rtc = self.header.rtc.clone();
        m.bus.now_ns = self.header.now_ns;
        Ok(())
    }
}
