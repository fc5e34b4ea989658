//! Architectural state of one PE: general registers, PSTATE, banked stack pointers and the
//! system-register file, plus the per-CPU configuration the board chose.

use crate::decode_cache::DecodeCache;
use crate::sysreg::{SysRegFile, SR};

/// How firmware (PSCI/SMCCC) calls reach the emulator, as on QEMU's `virt`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conduit {
    /// `SMC #0` at EL1/EL2 (EL2 is implemented and owned by the guest).
    Smc,
    /// `HVC #0` at EL1 (no EL2: the emulator plays the hypervisor).
    Hvc,
}

/// Static configuration of one PE.
#[derive(Clone, Debug)]
pub struct CpuConfig {
    /// Whether EL2 is implemented.
    pub has_el2: bool,
    /// Firmware conduit.
    pub conduit: Conduit,
    /// MPIDR_EL1 affinity value (Aff0 = CPU index).
    pub mpidr_aff: u64,
    /// CPU index on the board (what the platform's per-CPU state is indexed by).
    pub index: usize,
    /// Whether a GICv3 system-register CPU interface is present (ID_AA64PFR0_EL1.GIC).
    pub gic: bool,
    /// Implemented physical address size in bits (ID_AA64MMFR0_EL1.PARange): 32, 36, 40,
    /// 42, 44, 48 or 52 (FEAT_LPA: the 64KB granule only); it bounds stage 1 output and
    /// stage 2 input/output addresses.
    pub pa_bits: u8,
    /// FEAT_MTE2 and FEAT_MTE3 (crate::mte): the board gives RAM tag storage.
    pub mte: bool,
    /// FEAT_SPE version advertised in ID_AA64DFR0_EL1.PMSVer (0: none; 1 SPEv1, 2
    /// SPEv1p1, 3 SPEv1p2; crate::spe_regs).
    pub spe: u8,
}

/// PSTATE fields (Arm ARM D1.4 "Process state, PSTATE"), kept unpacked for speed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pstate {
    /// N, Z, C, V in bits 31:28 (the NZCV register layout).
    pub nzcv: u32,
    /// D, A, I, F in bits 9:6 (the DAIF register layout).
    pub daif: u32,
    /// Current exception level.
    pub el: u8,
    /// SPSel: 0 = SP_EL0, 1 = SP_ELx.
    pub sp: u8,
    /// Illegal Execution state.
    pub il: bool,
    /// Software step.
    pub ss: bool,
    /// SSBS (bit 12 of SPSR).
    pub ssbs: bool,
    /// PAN: Privileged Access Never (FEAT_PAN; bit 22 of SPSR).
    pub pan: bool,
    /// TCO: Tag Check Override (FEAT_MTE; bit 25 of SPSR).
    #[serde(default)]
    pub tco: bool,
}

impl Pstate {
    /// Pack into the SPSR_ELx layout for an AArch64 source state.
    pub fn to_spsr(&self) -> u64 {
        (self.nzcv as u64)
            | (self.daif as u64)
            | ((self.el as u64) << 2)
            | (self.sp as u64)
            | ((self.il as u64) << 20)
            | ((self.ss as u64) << 21)
            | ((self.ssbs as u64) << 12)
            | ((self.pan as u64) << 22)
            | ((self.tco as u64) << 25)
    }
}

/// One AArch64 PE.
pub struct Cpu {
    /// X0..X30; index 31 always reads 0 (writes to XZR land there and are reset).
    pub(crate) x: [u64; 32],
    /// The stack pointer currently selected by PSTATE.{EL,SP}.
    pub(crate) sp: u64,
    /// SIMD&FP registers V0..V31 (Q view; lower views are the low bits).
    pub(crate) v: [u128; 32],
    /// Banked SP_EL0, SP_EL1, SP_EL2 (the live one is stale while it is selected).
    pub(crate) sp_el: [u64; 3],
    /// Program counter.
    pub(crate) pc: u64,
    /// PSTATE.
    pub(crate) pstate: Pstate,
    /// System registers.
    pub(crate) sr: SysRegFile,
    /// Exclusive monitor: address and size of the last load-exclusive, if open.
    pub(crate) excl: Option<(u64, u8)>,
    /// Event register (SEV/SEVL/WFE).
    pub(crate) event: bool,
    /// Every how many YIELDs the board gets the turn (`Exit::Yield`; 0: never), and the
    /// YIELDs since (see [`Cpu::set_yield_every`]).
    pub(crate) yield_every: u32,
    pub(crate) yields: u32,
    /// Simulated cycles since reset.
    pub(crate) cycles: u64,
    /// Retired instructions since reset.
    pub(crate) insns: u64,
    /// PC where the block interpreter last committed `insns`/`cycles` (see
    /// `Cpu::exact_counts`).
    pub(crate) seg_pc: u64,
    /// Exceptions taken.
    pub(crate) exceptions: u64,
    /// Vector address of the last exception taken, and how many times in a row fetching
    /// it faulted (see `Exit::VectorLoop`).
    pub(crate) last_vector: u64,
    pub(crate) vector_faults: u32,
    /// Physical interrupt lines from the interrupt controller.
    pub(crate) irq_line: bool,
    pub(crate) fiq_line: bool,
    /// A pending physical SError and the ISS it reports (crate::interrupts).
    pub(crate) serror: Option<u32>,
    /// RAS error records (crate::ras).
    pub(crate) ras: crate::ras::Ras,
    /// Interrupts taken, by target EL.
    pub(crate) irq_count: [u64; 3],
    /// Exceptions taken, indexed by [EC][target EL].
    pub(crate) exc_count: Box<[[u64; 3]; 64]>,
    /// Decoded-instruction cache.
    pub(crate) dcache: DecodeCache,
    /// PC triggers (virtual addresses) and the one being resumed from (crate::run).
    pub(crate) triggers: Vec<u64>,
    pub(crate) trigger_resume: Option<u64>,
    /// What the self-hosted debug registers arm, and the software-step bookkeeping
    /// (crate::debug).
    pub(crate) armed: crate::debug::Armed,
    pub(crate) stepping: crate::debug::StepState,
    /// Translation state: regime configurations and the TLB.
    pub(crate) mmu: crate::translate::Mmu,
    /// Configuration.
    pub(crate) cfg: CpuConfig,
    /// Warnings to the user, once per (kind, PC) (crate::warn).
    pub(crate) warnings: crate::warn::Warnings,
    /// Performance Monitors (crate::pmu).
    pub(crate) pmu: crate::pmu::Pmu,
    /// The memory fast path (crate::fast_tlb).
    pub(crate) fast: crate::fast_tlb::FastTlb,
    /// The timing model (crate::timing).
    pub(crate) timing: crate::timing::Model,
    /// Tag check faults, for `--stats` (crate::mte).
    pub(crate) tag_faults: crate::mte::TagFaults,
    /// The core `--cpu` names (its ID and cache registers), if any.
    pub(crate) core: Option<Box<crate::timing::core_model::CoreModel>>,
    /// The `detailed` timing model, when on (crate::timing::detailed).
    pub(crate) detailed: Option<Box<crate::timing::detailed::Detailed>>,
    /// Host-side statistical profiling (`--spe-sample`, crate::profile).
    pub(crate) profiler: Option<Box<crate::profile::Profiler>>,
    /// Whether memory fast-path hits are reported (`Cpu::observe_fast`): under the
    /// `detailed` model, and while a profiler samples an operation. One flag, so that the
    /// flat model's fast path pays a single test.
    pub(crate) fast_observed: bool,
    /// The operation being sampled (crate::profile), if one is.
    pub(crate) capture: Option<crate::profile::Capture>,
    /// Guest SPE counts (crate::spe_unit).
    pub(crate) spu_stats: crate::spe_unit::SpuStats,
    /// State of the guest SPE's PMSIRR_EL1.RND generator.
    pub(crate) spe_lfsr: u64,
    /// Copies of the records the guest's SPE writes (`--spe-trace`), when asked for.
    pub(crate) spe_trace: Option<Vec<spe::Sample>>,
    /// The JIT (crate::jit), when on.
    pub(crate) jit: Option<Box<crate::jit::Jit>>,
}

impl Cpu {
    /// A PE in its reset state, entering at `el` (1 or 2) with the MMU off and DAIF masked.
    pub fn new(cfg: CpuConfig, el: u8) -> Self {
        // The guest SPE's PMSIRR_EL1.RND generator: seeded from the PE index, runs repeat.
        let spe_lfsr = crate::profile::jitter_seed(0, cfg.index);
        let sr = SysRegFile::new(&cfg);
        let mut c = Self {
            x: [0; 32],
            sp: 0,
            v: [0; 32],
            sp_el: [0; 3],
            pc: 0,
            pstate: Pstate {
                daif: 0xf << 6,
                el,
                sp: 1,
                ..Pstate::default()
            },
            sr,
            excl: None,
            event: false,
            yield_every: 1,
            yields: 0,
            cycles: 0,
            insns: 0,
            seg_pc: 0,
            exceptions: 0,
            irq_line: false,
            fiq_line: false,
            serror: None,
            ras: Default::default(),
            irq_count: [0; 3],
            last_vector: u64::MAX,
            vector_faults: 0,
            exc_count: Box::new([[0; 3]; 64]),
            dcache: DecodeCache::new(),
            triggers: Vec::new(),
            trigger_resume: None,
            armed: Default::default(),
            stepping: Default::default(),
            mmu: crate::translate::Mmu::new(),
            cfg,
            warnings: Default::default(),
            pmu: crate::pmu::Pmu::new(el, crate::pmu::DEFAULT_N),
            fast: crate::fast_tlb::FastTlb::new(),
            timing: Default::default(),
            tag_faults: Default::default(),
            core: None,
            detailed: None,
            profiler: None,
            fast_observed: false,
            capture: None,
            spu_stats: Default::default(),
            spe_lfsr,
            spe_trace: None,
            jit: None,
        };
        c.fast.select(el, false);
        c.sp = 0;
        crate::pmu::init(&mut c);
        c.refresh_regime();
        c
    }

    /// Configuration.
    pub fn config(&self) -> &CpuConfig {
        &self.cfg
    }

    /// Read X`n` (n = 31 reads XZR = 0).
    #[inline(always)]
    pub fn xreg(&self, n: usize) -> u64 {
        self.x[n & 31]
    }

    /// Write X`n` (n = 31 discards).
    #[inline(always)]
    pub fn set_xreg(&mut self, n: usize, v: u64) {
        self.x[n & 31] = v;
        self.x[31] = 0;
    }

    /// Current stack pointer.
    pub fn sp(&self) -> u64 {
        self.sp
    }

    /// Set the current stack pointer.
    pub fn set_sp(&mut self, v: u64) {
        self.sp = v;
    }

    /// Program counter.
    pub fn pc(&self) -> u64 {
        self.pc
    }

    /// Set the program counter.
    pub fn set_pc(&mut self, v: u64) {
        self.pc = v;
    }

    /// PSTATE.
    pub fn pstate(&self) -> Pstate {
        self.pstate
    }

    /// NZCV in bits 31:28.
    pub fn nzcv(&self) -> u32 {
        self.pstate.nzcv
    }

    /// Set NZCV (bits 31:28; other bits ignored).
    pub fn set_nzcv(&mut self, v: u32) {
        self.pstate.nzcv = v & 0xf000_0000;
    }

    /// Switch to exception level `el` with stack selector `sp`, banking the stack pointer.
    pub fn set_el(&mut self, el: u8, spsel: u8) {
        if el != self.pstate.el && self.pmu.active() {
            crate::pmu::el_change(self, el); // the PMU filters by EL
        }
        self.bank_sp_out();
        self.pstate.el = el;
        self.pstate.sp = spsel;
        self.bank_sp_in();
        self.refresh_regime();
        self.fast.select(el, self.pstate.pan);
        self.dcache.unlink();
    }

    /// Set PSTATE.PAN (FEAT_PAN): privileged accesses to EL0 data change permission, so
    /// the fast path switches to the table of the new state.
    pub(crate) fn set_pan(&mut self, pan: bool) {
        self.pstate.pan = pan;
        self.fast.select(self.pstate.el, pan);
    }

    /// Index into `sp_el` of the stack pointer PSTATE selects.
    #[inline]
    pub(crate) fn sp_index(&self) -> usize {
        if self.pstate.sp == 0 {
            0
        } else {
            self.pstate.el as usize
        }
    }

    pub(crate) fn bank_sp_out(&mut self) {
        let i = self.sp_index();
        self.sp_el[i] = self.sp;
    }

    pub(crate) fn bank_sp_in(&mut self) {
        self.sp = self.sp_el[self.sp_index()];
    }

    /// Read banked SP_ELn (n = 0..2), whether or not it is the live one.
    pub fn sp_el(&self, n: usize) -> u64 {
        if n == self.sp_index() {
            self.sp
        } else {
            self.sp_el[n]
        }
    }

    /// Write banked SP_ELn.
    pub fn set_sp_el(&mut self, n: usize, v: u64) {
        if n == self.sp_index() {
            self.sp = v
        } else {
            self.sp_el[n] = v
        }
    }

    /// Simulated cycles since reset.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Retired instructions since reset.
    pub fn insns(&self) -> u64 {
        self.insns
    }

    /// Tag check faults so far, by kind (FEAT_MTE2).
    pub fn tag_faults(&self) -> crate::mte::TagFaults {
        self.tag_faults
    }

    /// Exceptions taken: (EC, target EL, count) for every non-zero counter.
    pub fn exception_counts(&self) -> Vec<(u8, u8, u64)> {
        let mut v = Vec::new();
        for (ec, row) in self.exc_count.iter().enumerate() {
            for (el, &n) in row.iter().enumerate() {
                if n != 0 {
                    v.push((ec as u8, el as u8, n));
                }
            }
        }
        v
    }

    /// Raw value of a system register (for the board, tests and the debugger).
    pub fn sysreg(&self, r: SR) -> u64 {
        self.sr.get(r)
    }

    /// Set a system register's raw value (host side: no trap, no interrupt re-check; a
    /// translation register refreshes the derived translation state).
    pub fn set_sysreg(&mut self, r: SR, v: u64) {
        self.sr.set(r, v);
        // Keep what is derived from translation registers consistent (the table's XLAT
        // effect), as an MSR would.
        let effects = crate::sysreg::SYSREGS[r as usize].effects;
        if effects & crate::sysreg::effect::XLAT != 0 {
            self.xlat_changed();
        }
        if effects & crate::sysreg::effect::DEBUG != 0 {
            let _ = self.debug_changed(); // the next run() picks stepping up
        }
    }

    /// HCR_EL2 as it applies now (0 when EL2 is not implemented).
    #[inline]
    pub(crate) fn hcr(&self) -> u64 {
        if self.cfg.has_el2 {
            self.sr.get(SR::HCR_EL2)
        } else {
            0
        }
    }

    /// HCR_EL2.E2H: EL2 is a FEAT_VHE host (its *_EL1 encodings name *_EL2 registers).
    #[inline]
    pub(crate) fn e2h(&self) -> bool {
        self.hcr() & crate::bits::HCR_E2H != 0
    }

    /// HCR_EL2.{E2H,TGE} = {1,1}: EL0 runs in the EL2&0 regime under the host's controls
    /// ("ELIsInHost(EL0)" in the Arm ARM pseudocode).
    #[inline]
    pub(crate) fn in_host(&self) -> bool {
        let both = crate::bits::HCR_E2H | crate::bits::HCR_TGE;
        self.hcr() & both == both
    }

    /// SCTLR_ELx that controls EL0: SCTLR_EL2 in the host, else SCTLR_EL1.
    #[inline]
    pub(crate) fn el0_sctlr(&self) -> u64 {
        if self.in_host() {
            self.sr.get(SR::SCTLR_EL2)
        } else {
            self.sr.get(SR::SCTLR_EL1)
        }
    }
}

impl Cpu {
    /// Return to the reset state at `el` (handler mode) without reallocating, dropping all
    /// decoded instructions: for harnesses that run many independent cases, and PSCI CPU_ON.
    pub fn reset(&mut self, el: u8) {
        self.x = [0; 32];
        self.v = [0; 32];
        self.sp_el = [0; 3];
        self.pstate = Pstate {
            daif: 0xf << 6,
            el,
            sp: 1,
            ..Pstate::default()
        };
        self.sp = 0;
        self.excl = None;
        self.event = false;
        self.serror = None;
        self.ras = Default::default();
        self.sr = SysRegFile::new(&self.cfg);
        crate::pmu::init(self);
        self.mmu = crate::translate::Mmu::new();
        self.refresh_regime();
        self.fast.flush();
        self.fast.select(el, false);
        self.dcache.flush();
    }
}

impl Cpu {
    /// Drive the physical IRQ and FIQ inputs (from the GIC). A change makes the CPU look
    /// for a takeable interrupt before its next instruction.
    pub fn set_irq_lines(&mut self, irq: bool, fiq: bool) {
        if (irq, fiq) != (self.irq_line, self.fiq_line) {
            self.irq_line = irq;
            self.fiq_line = fiq;
            self.dcache.unlink();
        }
    }

    /// Interrupts taken so far, by target EL.
    pub fn interrupt_counts(&self) -> [u64; 3] {
        self.irq_count
    }

    /// Set the event register (SEV from any PE, or the board).
    pub fn set_event(&mut self) {
        self.event = true;
    }

    /// YIELD (a spin-wait hint, architecturally a NOP) ends the run with `Exit::Yield`
    /// every `n`th time in this run (0: never): the board passes 1 while another PE
    /// runs, a larger number while the others wait (one may have been woken meanwhile),
    /// 0 when this PE is alone. Counted per run, so runs stay deterministic.
    pub fn set_yield_every(&mut self, n: u32) {
        self.yield_every = n;
        self.yields = 0;
    }

    /// A YIELD executes: whether it hands the board the turn.
    pub(crate) fn yield_due(&mut self) -> bool {
        if self.yield_every == 0 {
            return false;
        }
        self.yields += 1;
        if self.yields < self.yield_every {
            return false;
        }
        self.yields = 0;
        true
    }
}

impl Cpu {
    /// The value currently in memory at this PE's open exclusive reservation (first 8
    /// bytes), if it holds one. The board watches it while the PE waits in WFE: a store
    /// by another PE clears the reservation, which generates a wake-up event (D1.6.1,
    /// "the global monitor for the PE is cleared").
    pub fn exclusive_monitor_value<B: crate::Platform>(&mut self, bus: &mut B) -> Option<u64> {
        let (va, size) = self.excl?;
        self.read_aligned(bus, va, size.min(8)).ok()
    }

    /// Clear the exclusive monitor (another PE wrote the reserved location).
    pub fn clear_exclusive_monitor(&mut self) {
        self.excl = None;
    }
}

impl Cpu {
    /// Read V`n` as a 128-bit value.
    pub fn vreg(&self, n: usize) -> u128 {
        self.v[n & 31]
    }

    /// Write V`n`.
    pub fn set_vreg(&mut self, n: usize, v: u128) {
        self.v[n & 31] = v;
    }
}
