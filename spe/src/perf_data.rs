//! A writer of perf.data files (the "PERFILE2" format of Linux perf) holding SPE profiles.
//!
//! Two modes, because perf's SPE decoder cannot represent everything hypsim samples:
//! - [`Mode::Aux`]: the raw SPE buffer in AUXTRACE records, decoded by perf itself
//!   (`perf report -D`, `perf script --itrace=i1i`). This is what `perf record -e arm_spe//`
//!   produces on hardware. perf rebuilds instruction addresses from the EL/NS bits and
//!   treats every address at or above the kernel map as kernel code.
//! - [`Mode::Samples`]: one ordinary PERF_RECORD_SAMPLE per operation, with the cpumode
//!   chosen here, so EL2 code running with E2H=0, low-VA EL1 code and guests come out right.
//!
//! Layout: file header | one attr + its ids section | ids | data records | feature section
//! table | feature contents. The header and data size are written last by
//! [`PerfDataWriter::finish`]. Nothing depends on the host (time, pid, hostname), so the
//! same input gives byte-identical files.

use std::collections::BTreeMap;
use std::io::{self, Seek, SeekFrom, Write};

use crate::record::{event, OpType, RecordFormat, Sample};

/// What the data section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// AUXTRACE records with raw SPE buffers.
    Aux,
    /// PERF_RECORD_SAMPLE records.
    Samples,
}

/// The kernel image's place in the address space, for perf's kernel MMAP record (perf
/// then resolves kernel symbols from `--kallsyms`/`--vmlinux`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelMap {
    /// Address of `_text`.
    pub start: u64,
    pub len: u64,
    /// perf takes this as the address of `_text` to relocate symbols; normally `start`.
    pub pgoff: u64,
}

/// Everything fixed for a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerfDataConfig {
    pub mode: Mode,
    /// perf_event_attr.type of the SPE PMU; any dynamic PMU number.
    pub pmu_type: u32,
    /// MIDR_EL1 for HEADER_CPUID: perf decodes Data Source packets only for Neoverse-style
    /// MIDRs (e.g. 0x410fd0c1, Neoverse N1).
    pub midr: u64,
    /// Frequency of the counter behind Timestamp packets (CNTFRQ_EL0), for TIME_CONV
    /// (AUX mode) or conversion to nanoseconds (samples mode).
    pub counter_hz: u64,
    pub kernel: Option<KernelMap>,
    /// Samples mode: attribute EL0/EL1 samples to a guest (GUEST_USER/GUEST_KERNEL, read
    /// with `perf kvm --guest`) and EL2 to the host kernel. Otherwise EL0 is user and
    /// EL1/EL2 kernel.
    pub guest: bool,
    /// Event name shown by perf (HEADER_EVENT_DESC).
    pub event_name: String,
}

impl PerfDataConfig {
    /// Defaults: PMU type 8, Neoverse N1 MIDR, a 1 GHz counter, no kernel map, host.
    pub fn new(mode: Mode) -> PerfDataConfig {
        PerfDataConfig {
            mode,
            pmu_type: 8,
            midr: 0x410f_d0c1,
            counter_hz: 1_000_000_000,
            kernel: None,
            guest: false,
            event_name: match mode {
                Mode::Aux => "arm_spe_0//".into(),
                Mode::Samples => "arm_spe_0/samples/".into(),
            },
        }
    }
}

// Record types (include/uapi/linux/perf_event.h, tools/perf/util/event.h).
const PERF_RECORD_MMAP: u32 = 1;
const PERF_RECORD_SAMPLE: u32 = 9;
const PERF_RECORD_AUXTRACE_INFO: u32 = 70;
const PERF_RECORD_AUXTRACE: u32 = 71;
const PERF_RECORD_TIME_CONV: u32 = 79;
const PERF_AUXTRACE_ARM_SPE: u32 = 4;

// header.misc cpumodes.
const MISC_KERNEL: u16 = 1;
const MISC_USER: u16 = 2;
const MISC_GUEST_KERNEL: u16 = 4;
const MISC_GUEST_USER: u16 = 5;

// perf_event_attr.sample_type bits.
const SAMPLE_IP: u64 = 1 << 0;
const SAMPLE_TID: u64 = 1 << 1;
const SAMPLE_TIME: u64 = 1 << 2;
const SAMPLE_ADDR: u64 = 1 << 3;
const SAMPLE_CPU: u64 = 1 << 7;
const SAMPLE_WEIGHT: u64 = 1 << 14;
const SAMPLE_DATA_SRC: u64 = 1 << 15;
const SAMPLE_IDENTIFIER: u64 = 1 << 16;
const SAMPLE_PHYS_ADDR: u64 = 1 << 19;
const SAMPLE_TYPE: u64 = SAMPLE_IDENTIFIER
    | SAMPLE_IP
    | SAMPLE_TID
    | SAMPLE_TIME
    | SAMPLE_ADDR
    | SAMPLE_CPU
    | SAMPLE_WEIGHT
    | SAMPLE_DATA_SRC
    | SAMPLE_PHYS_ADDR;
/// perf_event_attr.sample_id_all: MMAP and other records carry the sample id trailer,
/// which perf's SPE decoder needs for ordered events.
const ATTR_SAMPLE_ID_ALL: u64 = 1 << 18;

// Feature bits (HEADER_* in tools/perf/util/header.h).
const HEADER_ARCH: u32 = 6;
const HEADER_CPUID: u32 = 9;
const HEADER_EVENT_DESC: u32 = 12;

/// PERF_ATTR_SIZE_VER7.
const ATTR_SIZE: usize = 128;
const FILE_HEADER_SIZE: u64 = 104;
const ATTRS_OFFSET: u64 = FILE_HEADER_SIZE;
const ATTR_ENTRY_SIZE: u64 = ATTR_SIZE as u64 + 16;
const IDS_OFFSET: u64 = ATTRS_OFFSET + ATTR_ENTRY_SIZE;
const DATA_OFFSET: u64 = IDS_OFFSET + 8;
/// The attr's only sample id.
const EVENT_ID: u64 = 1;
/// AUX mode: encoded samples are flushed in AUXTRACE records of about this size.
const AUX_CHUNK: usize = 64 * 1024;

/// Little-endian byte building.
#[derive(Default)]
struct Bytes(Vec<u8>);

impl Bytes {
    fn u16(&mut self, v: u16) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// A NUL-terminated string padded with NULs to a multiple of `align`.
    fn cstr(&mut self, s: &str, align: usize) -> &mut Self {
        let len = (s.len() + 1).next_multiple_of(align);
        self.0.extend_from_slice(s.as_bytes());
        self.0.resize(self.0.len() + len - s.len(), 0);
        self
    }
    /// perf's header string: u32 length (NUL and padding included), then the string.
    fn perf_string(&mut self, s: &str) -> &mut Self {
        self.u32(((s.len() + 1).next_multiple_of(64)) as u32);
        self.cstr(s, 64)
    }
}

/// The perf_event_attr, PERF_ATTR_SIZE_VER7 layout.
fn attr(cfg: &PerfDataConfig) -> Vec<u8> {
    let mut b = Bytes::default();
    b.u32(cfg.pmu_type).u32(ATTR_SIZE as u32);
    b.u64(0); // config
    b.u64(1); // sample_period
    b.u64(SAMPLE_TYPE);
    b.u64(0); // read_format
    b.u64(ATTR_SAMPLE_ID_ALL);
    b.0.resize(ATTR_SIZE, 0);
    b.0
}

/// The perf_mem_data_src value (include/uapi/linux/perf_event.h) for a sample, from its
/// Data Source (Neoverse coding) when present, else from its cache events.
pub fn perf_mem_data_src(s: &Sample) -> u64 {
    // Field shifts and values of union perf_mem_data_src.
    const OP_NA: u64 = 1;
    const OP_LOAD: u64 = 2;
    const OP_STORE: u64 = 4;
    const LVL_SHIFT: u32 = 5;
    const LVL_NA: u64 = 0x1;
    const LVL_HIT: u64 = 0x2;
    const LVL_MISS: u64 = 0x4;
    const LVL_L1: u64 = 0x8;
    const LVL_L2: u64 = 0x20;
    const LVL_L3: u64 = 0x40;
    const LVL_LOC_RAM: u64 = 0x80;
    const SNOOP_SHIFT: u32 = 19;
    const SNOOP_NA: u64 = 1;
    const LOCK_SHIFT: u32 = 24;
    const LOCK_NA: u64 = 1;
    const LOCK_LOCKED: u64 = 2;
    const TLB_SHIFT: u32 = 26;
    const TLB_NA: u64 = 0x1;
    const TLB_HIT: u64 = 0x2;
    const TLB_MISS: u64 = 0x4;
    const TLB_L1: u64 = 0x8;
    const TLB_WK: u64 = 0x20;
    const LVLNUM_SHIFT: u32 = 33;
    const LVLNUM_L1: u64 = 1;
    const LVLNUM_L2: u64 = 2;
    const LVLNUM_L3: u64 = 3;
    const LVLNUM_RAM: u64 = 0xd;
    const LVLNUM_NA: u64 = 0xf;

    let OpType::LoadStore {
        store,
        atomic,
        exclusive,
        ..
    } = s.op
    else {
        return OP_NA
            | LVL_NA << LVL_SHIFT
            | SNOOP_NA << SNOOP_SHIFT
            | LOCK_NA << LOCK_SHIFT
            | TLB_NA << TLB_SHIFT
            | LVLNUM_NA << LVLNUM_SHIFT;
    };
    let ev = |m| s.events & m != 0;
    let (lvl, num) = match s.data_source {
        Some(0x0) => (LVL_L1 | LVL_HIT, LVLNUM_L1),
        Some(0x8) => (LVL_L2 | LVL_HIT, LVLNUM_L2),
        Some(0xB) => (LVL_L3 | LVL_HIT, LVLNUM_L3),
        Some(0xE) => (LVL_LOC_RAM | LVL_HIT, LVLNUM_RAM),
        _ if ev(event::LLC_MISS) => (LVL_L3 | LVL_MISS, LVLNUM_L3),
        _ if ev(event::LLC_ACCESS) => (LVL_L3 | LVL_HIT, LVLNUM_L3),
        _ if ev(event::L1D_REFILL) => (LVL_L1 | LVL_MISS, LVLNUM_L1),
        _ if ev(event::L1D_ACCESS) => (LVL_L1 | LVL_HIT, LVLNUM_L1),
        _ => (LVL_NA, LVLNUM_NA),
    };
    let tlb = if ev(event::TLB_WALK) {
        TLB_MISS | TLB_WK
    } else if ev(event::TLB_ACCESS) {
        TLB_HIT | TLB_L1
    } else {
        TLB_NA
    };
    let lock = if atomic || exclusive {
        LOCK_LOCKED
    } else {
        LOCK_NA
    };
    (if store { OP_STORE } else { OP_LOAD })
        | lvl << LVL_SHIFT
        | SNOOP_NA << SNOOP_SHIFT
        | lock << LOCK_SHIFT
        | tlb << TLB_SHIFT
        | num << LVLNUM_SHIFT
}

/// Why a perf.data file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PerfDataError {
    #[error("writing perf.data: {0}")]
    Io(#[from] io::Error),
    #[error("raw AUX data can only go into an AUX-mode file")]
    NotAuxMode,
    #[error("encoding an SPE record: {0}")]
    Encode(#[from] crate::record::EncodeError),
    #[error("not a perf.data file, or a damaged one: {0}")]
    Malformed(&'static str),
}

/// Writes one perf.data file incrementally. Wrap files in a `BufWriter`: records are
/// written with many small writes.
pub struct PerfDataWriter<W: Write + Seek> {
    out: W,
    cfg: PerfDataConfig,
    /// Bytes of the data section written so far.
    data_size: u64,
    /// AUX mode: records encoded by [`PerfDataWriter::sample`], not yet written, per CPU.
    pending: BTreeMap<u32, Vec<u8>>,
    /// AUX mode: running offset of each CPU's AUX stream.
    aux_offset: BTreeMap<u32, u64>,
    aux_count: u64,
}

impl<W: Write + Seek> PerfDataWriter<W> {
    /// Starts a file at the current position 0 of `out`: a placeholder header, the attr,
    /// then the records every reader needs before any data.
    pub fn new(mut out: W, cfg: PerfDataConfig) -> Result<Self, PerfDataError> {
        out.seek(SeekFrom::Start(0))?;
        let mut head = Bytes(vec![0; FILE_HEADER_SIZE as usize]);
        head.0.extend(attr(&cfg));
        head.u64(IDS_OFFSET).u64(8); // the attr's ids section
        head.u64(EVENT_ID);
        out.write_all(&head.0)?;
        let mut w = PerfDataWriter {
            out,
            cfg,
            data_size: 0,
            pending: BTreeMap::new(),
            aux_offset: BTreeMap::new(),
            aux_count: 0,
        };
        if w.cfg.mode == Mode::Aux {
            w.time_conv()?;
            w.auxtrace_info()?;
        }
        if let Some(k) = w.cfg.kernel {
            w.kernel_mmap(k)?;
        }
        Ok(w)
    }

    /// Add the kernel map now (when [`PerfDataConfig::kernel`] was not known at the
    /// start: the emulator learns where the kernel runs from its first kernel sample).
    /// Its time is 0, so perf applies it before every sample.
    pub fn kernel_map(&mut self, k: KernelMap) -> Result<(), PerfDataError> {
        Ok(self.kernel_mmap(k)?)
    }

    fn record(&mut self, ty: u32, misc: u16, body: &[u8]) -> io::Result<()> {
        let size = 8 + body.len();
        debug_assert!(size.is_multiple_of(8) && size <= u16::MAX as usize);
        let mut h = Bytes::default();
        h.u32(ty).u16(misc).u16(size as u16);
        self.out.write_all(&h.0)?;
        self.out.write_all(body)?;
        self.data_size += size as u64;
        Ok(())
    }

    /// The sample_id_all trailer in sample_type order: TID, TIME, CPU, IDENTIFIER.
    fn id_trailer(b: &mut Bytes, pid: u32, tid: u32) {
        b.u32(pid).u32(tid).u64(0).u32(0).u32(0).u64(EVENT_ID);
    }

    /// TIME_CONV, which must come before AUXTRACE_INFO: perf's SPE decoder copies it
    /// when it sees AUXTRACE_INFO. ns = ticks * mult >> shift.
    fn time_conv(&mut self) -> io::Result<()> {
        let hz = self.cfg.counter_hz.max(1);
        let (shift, mult) = if 1_000_000_000 % hz == 0 {
            (0, 1_000_000_000 / hz)
        } else {
            // Shift 16 keeps perf's u64 arithmetic (rem * mult) from overflowing.
            (16, ((1_000_000_000u128 << 16) / hz as u128) as u64)
        };
        let mut b = Bytes::default();
        b.u64(shift).u64(mult).u64(0); // time_shift, time_mult, time_zero
        b.u64(0).u64(u64::MAX); // time_cycles, time_mask
        b.0.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]); // cap_user_time_zero, _short
        self.record(PERF_RECORD_TIME_CONV, 0, &b.0)
    }

    /// AUXTRACE_INFO for Arm SPE, metadata version 1: priv = {PMU type, per-CPU mmaps}.
    fn auxtrace_info(&mut self) -> io::Result<()> {
        let mut b = Bytes::default();
        b.u32(PERF_AUXTRACE_ARM_SPE).u32(0);
        b.u64(self.cfg.pmu_type.into()).u64(0);
        self.record(PERF_RECORD_AUXTRACE_INFO, 0, &b.0)
    }

    /// PERF_RECORD_MMAP of the kernel image; perf recognises it by the name prefix and
    /// takes `_text` as the relocation symbol.
    fn kernel_mmap(&mut self, k: KernelMap) -> io::Result<()> {
        let (misc, name, pid) = if self.cfg.guest {
            // DEFAULT_GUEST_KERNEL_ID is pid 0.
            (MISC_GUEST_KERNEL, "[guest.kernel.kallsyms]_text", 0)
        } else {
            (MISC_KERNEL, "[kernel.kallsyms]_text", u32::MAX)
        };
        let mut b = Bytes::default();
        b.u32(pid)
            .u32(0)
            .u64(k.start)
            .u64(k.len)
            .u64(k.pgoff)
            .cstr(name, 8);
        Self::id_trailer(&mut b, pid, 0);
        self.record(PERF_RECORD_MMAP, misc, &b.0)
    }

    /// Appends a raw SPE buffer captured on `cpu` as one AUXTRACE record. It is padded
    /// with Padding packets to a multiple of 8 bytes, as perf expects.
    pub fn aux(&mut self, cpu: u32, bytes: &[u8]) -> Result<(), PerfDataError> {
        if self.cfg.mode != Mode::Aux {
            return Err(PerfDataError::NotAuxMode);
        }
        if bytes.is_empty() {
            return Ok(());
        }
        let size = bytes.len().next_multiple_of(8) as u64;
        let offset = self.aux_offset.entry(cpu).or_insert(0);
        let mut b = Bytes::default();
        b.u64(size).u64(*offset).u64(self.aux_count); // size, offset, reference
        b.u32(cpu).u32(u32::MAX).u32(cpu).u32(0); // idx, tid, cpu, reserved
        *offset += size;
        self.aux_count += 1;
        // header.size covers the 48-byte record only; the buffer follows it.
        self.record(PERF_RECORD_AUXTRACE, 0, &b.0)?;
        self.out.write_all(bytes)?;
        let pad = size as usize - bytes.len();
        self.out.write_all(&[0u8; 8][..pad])?;
        self.data_size += size;
        Ok(())
    }

    /// Records one sampled operation. Samples mode: a PERF_RECORD_SAMPLE for process
    /// `pid` on `cpu`. AUX mode: the SPE record (64-byte, 12-bit counters) is queued for
    /// `cpu`'s AUX stream and `pid` is not used (perf takes it from a Context packet).
    /// The sample time is the Timestamp converted with `counter_hz`, or 0 without one.
    pub fn sample(&mut self, s: &Sample, cpu: u32, pid: i32) -> Result<(), PerfDataError> {
        if self.cfg.mode == Mode::Aux {
            let buf = self.pending.entry(cpu).or_default();
            RecordFormat::default().encode_into(s, buf)?;
            if buf.len() >= AUX_CHUNK {
                let buf = std::mem::take(buf);
                self.aux(cpu, &buf)?;
            }
            return Ok(());
        }
        let misc = match (self.cfg.guest, s.el) {
            (false, 0) => MISC_USER,
            (false, _) => MISC_KERNEL,
            (true, 0) => MISC_GUEST_USER,
            (true, 1) => MISC_GUEST_KERNEL,
            (true, _) => MISC_KERNEL,
        };
        let time = s.timestamp.map_or(0, |t| {
            (t as u128 * 1_000_000_000 / self.cfg.counter_hz.max(1) as u128) as u64
        });
        let addr = s.data_va.or(s.branch_target.map(|t| t.va)).unwrap_or(0);
        let mut b = Bytes::default();
        b.u64(EVENT_ID).u64(s.pc);
        b.u32(pid as u32).u32(pid as u32);
        b.u64(time).u64(addr);
        b.u32(cpu).u32(0);
        b.u64(s.total_latency.into());
        b.u64(perf_mem_data_src(s));
        b.u64(s.data_pa.map_or(0, |p| p.pa));
        self.record(PERF_RECORD_SAMPLE, misc, &b.0)?;
        Ok(())
    }

    /// Flushes queued AUX data, writes the feature sections and the final header, and
    /// returns the output positioned at the end of the file.
    pub fn finish(mut self) -> Result<W, PerfDataError> {
        for (cpu, buf) in std::mem::take(&mut self.pending) {
            if !buf.is_empty() {
                self.aux(cpu, &buf)?;
            }
        }
        let features = self.features();
        let mut table = Bytes::default();
        let mut contents = Bytes::default();
        let mut at = DATA_OFFSET + self.data_size + 16 * features.len() as u64;
        let mut bitmap = [0u64; 4];
        for (bit, body) in &features {
            bitmap[*bit as usize / 64] |= 1 << (bit % 64);
            table.u64(at).u64(body.len() as u64);
            contents.0.extend_from_slice(body);
            at += body.len() as u64;
        }
        self.out.write_all(&table.0)?;
        self.out.write_all(&contents.0)?;

        let mut h = Bytes::default();
        h.0.extend_from_slice(b"PERFILE2");
        h.u64(FILE_HEADER_SIZE).u64(ATTR_ENTRY_SIZE);
        h.u64(ATTRS_OFFSET).u64(ATTR_ENTRY_SIZE);
        h.u64(DATA_OFFSET).u64(self.data_size);
        h.u64(0).u64(0); // event_types
        for w in bitmap {
            h.u64(w);
        }
        self.out.seek(SeekFrom::Start(0))?;
        self.out.write_all(&h.0)?;
        self.out.seek(SeekFrom::End(0))?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// Feature sections, in bit order.
    fn features(&self) -> Vec<(u32, Vec<u8>)> {
        let mut arch = Bytes::default();
        arch.perf_string("aarch64");
        let mut cpuid = Bytes::default();
        cpuid.perf_string(&format!("0x{:016x}", self.cfg.midr));
        let mut desc = Bytes::default();
        desc.u32(1).u32(ATTR_SIZE as u32);
        desc.0.extend(attr(&self.cfg));
        desc.u32(1).perf_string(&self.cfg.event_name).u64(EVENT_ID);
        vec![
            (HEADER_ARCH, arch.0),
            (HEADER_CPUID, cpuid.0),
            (HEADER_EVENT_DESC, desc.0),
        ]
    }
}

/// The AUX data of a perf.data file (any writer's), in file order: (CPU, bytes) per
/// AUXTRACE record. For `hypsim spe-decode`.
pub fn aux_payloads(file: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, PerfDataError> {
    let u64_at = |at: usize| -> Result<u64, PerfDataError> {
        file.get(at..at + 8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
            .ok_or(PerfDataError::Malformed("truncated"))
    };
    if !file.starts_with(b"PERFILE2") {
        return Err(PerfDataError::Malformed("no PERFILE2 magic"));
    }
    // perf_file_header: magic, size, attr_size, attrs {offset, size}, data {offset, size}.
    let (data, size) = (u64_at(40)? as usize, u64_at(48)? as usize);
    let end = data
        .checked_add(size)
        .filter(|&e| e <= file.len())
        .ok_or(PerfDataError::Malformed("data section beyond the file"))?;
    let mut out = Vec::new();
    let mut at = data;
    while at + 8 <= end {
        let ty = u32::from_le_bytes(file[at..at + 4].try_into().unwrap());
        let len = u16::from_le_bytes(file[at + 6..at + 8].try_into().unwrap()) as usize;
        if len < 8 {
            return Err(PerfDataError::Malformed("record shorter than its header"));
        }
        let mut next = at + len;
        if ty == PERF_RECORD_AUXTRACE {
            // header, size, offset, reference, idx, tid, cpu, reserved; then the data.
            let n = u64_at(at + 8)? as usize;
            let cpu = u32::from_le_bytes(
                file.get(at + 40..at + 44)
                    .ok_or(PerfDataError::Malformed("truncated"))?
                    .try_into()
                    .unwrap(),
            );
            let bytes = file
                .get(next..next.saturating_add(n))
                .ok_or(PerfDataError::Malformed("AUX data beyond the file"))?;
            out.push((cpu, bytes.to_vec()));
            next += n;
        }
        at = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{data_source, LdStSubclass};

    #[test]
    fn data_src_levels() {
        let mut s = Sample {
            op: OpType::LoadStore {
                store: false,
                subclass: LdStSubclass::Gp,
                atomic: false,
                exclusive: false,
                acquire_release: false,
            },
            data_source: Some(data_source::DRAM),
            events: event::TLB_ACCESS | event::TLB_WALK,
            ..Sample::new(0, 0, true)
        };
        let v = perf_mem_data_src(&s);
        assert_eq!(v & 0x1f, 2); // load
        assert_eq!(v >> 5 & 0x3fff, 0x80 | 0x2); // local RAM hit
        assert_eq!(v >> 33 & 0xf, 0xd);
        assert_eq!(v >> 26 & 0x7f, 0x24); // TLB miss, walk
        s.data_source = None;
        s.events = event::L1D_ACCESS;
        assert_eq!(perf_mem_data_src(&s) >> 5 & 0x3fff, 0x8 | 0x2);
        assert_eq!(perf_mem_data_src(&Sample::new(0, 0, true)) & 0x1f, 1);
    }

    #[test]
    fn aux_payloads_read_back() {
        let cur = io::Cursor::new(Vec::new());
        let mut w = PerfDataWriter::new(cur, PerfDataConfig::new(Mode::Aux)).unwrap();
        w.aux(3, &[0x01; 16]).unwrap();
        w.aux(1, &[0x00; 8]).unwrap();
        let f = w.finish().unwrap().into_inner();
        let aux = aux_payloads(&f).unwrap();
        assert_eq!(aux, vec![(3, vec![0x01; 16]), (1, vec![0x00; 8])]);
        assert!(aux_payloads(b"PERFILE2").is_err());
        assert!(aux_payloads(&f[..60]).is_err());
        assert!(aux_payloads(b"not perf").is_err());
    }

    #[test]
    fn header_sizes_are_fixed_up() {
        let cur = io::Cursor::new(Vec::new());
        let mut w = PerfDataWriter::new(cur, PerfDataConfig::new(Mode::Aux)).unwrap();
        w.aux(0, &[0x01; 5]).unwrap();
        let f = w.finish().unwrap().into_inner();
        assert_eq!(&f[..8], b"PERFILE2");
        let u64_at = |o: usize| u64::from_le_bytes(f[o..o + 8].try_into().unwrap());
        assert_eq!(u64_at(40), DATA_OFFSET);
        // TIME_CONV 56 + AUXTRACE_INFO 32 + AUXTRACE 48 + 8 bytes of buffer.
        assert_eq!(u64_at(48), 56 + 32 + 48 + 8);
        assert_eq!(
            u64_at(72),
            1 << HEADER_ARCH | 1 << HEADER_CPUID | 1 << HEADER_EVENT_DESC
        );
    }
}
