//! The description of a core the `detailed` timing model simulates (`--cpu NAME`): cache
//! and TLB geometry, latencies, the branch predictor's sizes and the per-class issue
//! costs. The board reads it from a TOML data file (serde); nothing here knows TOML.

use crate::a64::Class;

/// One tag-only cache level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheGeometry {
    /// Capacity in bytes.
    pub size: u64,
    /// Associativity.
    pub ways: u32,
    /// Line size in bytes (a power of two).
    pub line: u32,
    /// Load-to-use latency of a hit at this level, in cycles.
    pub latency: u32,
}

impl CacheGeometry {
    /// Number of sets.
    pub fn sets(&self) -> u64 {
        (self.size / (self.ways as u64 * self.line as u64)).max(1)
    }

    /// CCSIDR_EL1 for this cache (Armv8.0 layout, no FEAT_CCIDX): NumSets - 1 \[27:13\],
    /// Associativity - 1 \[12:3\], LineSize = log2(line / 16) \[2:0\], and the
    /// Write-Back, Read-Allocate, Write-Allocate bits \[30:28\].
    pub fn ccsidr(&self) -> u64 {
        let line_size = (self.line.trailing_zeros() as u64).saturating_sub(4);
        (0b111 << 28) | ((self.sets() - 1) << 13) | ((self.ways as u64 - 1) << 3) | line_size
    }
}

/// One TLB level (entries of 4 KiB pages, as the architectural TLB holds them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlbGeometry {
    /// Entries.
    pub entries: u32,
    /// Associativity (`entries` for a fully associative TLB).
    pub ways: u32,
    /// Cycles a hit at this level adds (0 for the L1 TLBs).
    pub latency: u32,
}

/// The branch predictor's sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictorGeometry {
    /// log2 of the gshare table of 2-bit counters (and of the global history length).
    pub gshare_bits: u32,
    /// Branch target buffer entries (direct-mapped).
    pub btb_entries: u32,
    /// Return stack depth.
    pub ras_depth: u32,
    /// Cycles a mispredicted branch costs.
    pub mispredict_penalty: u32,
}

/// A figure per instruction class: result latencies (`[latency]`, whole cycles) or
/// reciprocal throughputs (`[occupancy]`, cycles a class keeps its pipes busy, so 0.333
/// for three ALU pipes).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassTable<T> {
    /// ALU, branches, hints, UNDEFINED.
    pub alu: T,
    /// CRC32.
    pub crc: T,
    /// MUL/MADD.
    pub mul: T,
    /// UMULH/SMULH.
    pub mulh: T,
    /// SDIV/UDIV.
    pub div: T,
    /// Loads and stores (the L1 hit; misses add the level's latency).
    pub mem: T,
    /// Atomics and exclusives.
    pub atomic: T,
    /// DMB/DSB/ISB.
    pub barrier: T,
    /// MRS/MSR and system instructions.
    pub sysreg: T,
    /// SVC/HVC/SMC/BRK and ERET.
    pub exc: T,
    /// Advanced SIMD.
    pub simd: T,
    /// Scalar FP.
    pub fp: T,
    /// Scalar fused multiply-add (FMADD and friends).
    pub fma: T,
    /// FP divide and square root.
    pub fpdiv: T,
}

impl<T: Copy> ClassTable<T> {
    /// Every figure.
    pub fn values(&self) -> [T; 14] {
        [
            self.alu,
            self.crc,
            self.mul,
            self.mulh,
            self.div,
            self.mem,
            self.atomic,
            self.barrier,
            self.sysreg,
            self.exc,
            self.simd,
            self.fp,
            self.fma,
            self.fpdiv,
        ]
    }

    /// The figure of `class`.
    pub fn of(&self, class: Class) -> T {
        match class {
            Class::Alu | Class::Branch | Class::Hint | Class::Undef => self.alu,
            Class::Crc => self.crc,
            Class::Mul => self.mul,
            Class::Mulh => self.mulh,
            Class::Div => self.div,
            Class::Load | Class::Store | Class::Ldst => self.mem,
            Class::Atomic => self.atomic,
            Class::Barrier => self.barrier,
            Class::Sysreg => self.sysreg,
            Class::Exc | Class::Eret => self.exc,
            Class::Simd => self.simd,
            Class::Fp => self.fp,
            Class::Fma => self.fma,
            Class::Fpdiv => self.fpdiv,
        }
    }
}

/// The out-of-order window (timing/window.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowGeometry {
    /// Operations dispatched per cycle (1, 2, 3, 4, 6 or 12).
    pub dispatch_width: u32,
    /// Reorder buffer entries (a power of two): how far dispatch runs ahead of the
    /// oldest unfinished operation.
    pub rob: u32,
    /// Outstanding L1D misses (line fill buffers).
    pub mshrs: u32,
}

/// A core model.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreModel {
    /// The name `--cpu` selects it by.
    pub name: String,
    /// MIDR_EL1 of the real part.
    pub midr: u64,
    /// Level 1 instruction cache.
    pub l1i: CacheGeometry,
    /// Level 1 data cache.
    pub l1d: CacheGeometry,
    /// Private unified level 2 cache.
    pub l2: CacheGeometry,
    /// Shared last-level cache (system cache), if the model has one.
    pub llc: Option<CacheGeometry>,
    /// Load-to-use latency of DRAM, in cycles.
    pub dram_latency: u32,
    /// Level 1 instruction TLB.
    pub itlb: TlbGeometry,
    /// Level 1 data TLB.
    pub dtlb: TlbGeometry,
    /// Unified level 2 TLB.
    pub l2tlb: TlbGeometry,
    /// Branch prediction.
    pub predictor: PredictorGeometry,
    /// The out-of-order window.
    pub window: WindowGeometry,
    /// PMU event counters the core implements (PMCR_EL0.N).
    pub pmu_counters: u32,
    /// Per-class result latencies, cycles.
    pub latency: ClassTable<u16>,
    /// Per-class reciprocal throughputs, cycles.
    pub occupancy: ClassTable<f32>,
}

impl CoreModel {
    /// CLIDR_EL1: separate L1 I and D caches, a unified L2 (and a unified L3 for the
    /// LLC); LoUU = LoUIS = 1, LoC = the last level.
    pub fn clidr(&self) -> u64 {
        let levels = if self.llc.is_some() { 3 } else { 2 };
        let mut v = 0b011; // Ctype1: separate instruction and data
        v |= 0b100 << 3; // Ctype2: unified
        if levels == 3 {
            v |= 0b100 << 6;
        }
        v | (levels << 24) | (1 << 27) | (1 << 21)
    }

    /// CCSIDR_EL1 for the cache CSSELR_EL1 selects (`level` from 0, `instruction`).
    pub fn ccsidr(&self, level: u32, instruction: bool) -> u64 {
        match (level, instruction) {
            (0, true) => self.l1i.ccsidr(),
            (0, false) => self.l1d.ccsidr(),
            (1, false) => self.l2.ccsidr(),
            (2, false) => self.llc.map_or(0, |c| c.ccsidr()),
            _ => 0,
        }
    }

    /// CTR_EL0: IminLine/DminLine from the L1 line sizes, ERG = CWG = the L1D line,
    /// L1Ip = PIPT, IDC = DIC = 0 (software cleans and invalidates as on the real part).
    pub fn ctr(&self) -> u64 {
        let log_words = |bytes: u32| (bytes.trailing_zeros() - 2) as u64;
        let (i, d) = (log_words(self.l1i.line), log_words(self.l1d.line));
        (1 << 31) | (d << 24) | (d << 20) | (d << 16) | (0b11 << 14) | i
    }

    /// Check the geometry is one the model can simulate.
    pub fn validate(&self) -> Result<(), String> {
        let caches = [
            ("l1i", Some(self.l1i)),
            ("l1d", Some(self.l1d)),
            ("l2", Some(self.l2)),
            ("llc", self.llc),
        ];
        for (name, c) in caches {
            let Some(c) = c else { continue };
            if !c.line.is_power_of_two()
                || c.line < 16
                || c.ways == 0
                || c.size == 0
                || !c.sets().is_power_of_two()
                || c.size != c.sets() * c.ways as u64 * c.line as u64
            {
                return Err(format!("{name}: {} bytes, {} ways of {}-byte lines is not a power-of-two number of sets", c.size, c.ways, c.line));
            }
        }
        for (name, t) in [
            ("itlb", self.itlb),
            ("dtlb", self.dtlb),
            ("l2tlb", self.l2tlb),
        ] {
            if t.ways == 0 || t.entries % t.ways != 0 || !(t.entries / t.ways).is_power_of_two() {
                return Err(format!(
                    "{name}: {} entries in {}-way sets",
                    t.entries, t.ways
                ));
            }
        }
        if ![1, 2, 3, 4, 6, 12].contains(&self.window.dispatch_width)
            || !self.window.rob.is_power_of_two()
            || self.window.mshrs == 0
        {
            return Err(
                "window: dispatch_width 1, 2, 3, 4, 6 or 12; rob a power of two; mshrs > 0".into(),
            );
        }
        if self
            .occupancy
            .values()
            .iter()
            .any(|v| !(0.0..=1000.0).contains(v))
        {
            return Err("occupancy: 0 to 1000 cycles".into());
        }
        if !(1..=31).contains(&self.pmu_counters) {
            return Err("pmu_counters: 1..31".into());
        }
        if !(4..=20).contains(&self.predictor.gshare_bits)
            || !self.predictor.btb_entries.is_power_of_two()
            || self.predictor.ras_depth == 0
        {
            return Err(
                "predictor: gshare_bits 4..20, btb_entries a power of two, ras_depth > 0".into(),
            );
        }
        Ok(())
    }
}
