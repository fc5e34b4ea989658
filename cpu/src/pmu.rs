//! PMUv3 (Arm ARM D11 "The Performance Monitors Extension", Armv8.0 level: PMUVer = 1):
//! a cycle counter and PMCR_EL0.N 32-bit event counters ([`DEFAULT_N`], or what the
//! `--cpu` core has) that count the simulated clock, retired instructions, exceptions
//! taken and software increments; an odd counter counting CHAIN counts the overflows of
//! the even counter below it, making a 64-bit counter of the pair.
//!
//! Counters are evaluated lazily from `Cpu::{cycles, insns, exceptions}`: the PMU keeps
//! every counter's value at the last *sync point* and the sources at that point. While the
//! configuration (enables, filters, the current EL) stays the same, a counter is its stored
//! value plus the growth of its source since then, so nothing runs per instruction. Every
//! write that changes the configuration, and every change of Exception level (the PMU
//! filters by EL), syncs first.
//!
//! Implemented events (and exactly those in PMCEID0_EL0): SW_INCR (0x00), INST_RETIRED
//! (0x08), EXC_TAKEN (0x09), CPU_CYCLES (0x11), CHAIN (0x1E); with `--timing detailed` also the
//! events the model drives ([`MODEL_EVENTS`]: caches, TLBs, branches, stalls; in
//! PMCEID0/PMCEID1 only then). Other event numbers are accepted and never count.
//! CPU_CYCLES counts simulated cycles, including those spent idle in WFI/WFE.
//!
//! Approximations, all outside what Linux does:
//! - MDCR_EL2.HPMN/HPME written without a PMU access afterwards take effect at the next
//!   PMU register access (MDCR_EL2 has no write hook here).
//! - Accesses from EL0/EL1 to PMEVCNTR<n>/PMEVTYPER<n> with n >= MDCR_EL2.HPMN are
//!   RAZ/WI instead of UNDEFINED, and reads of the write-only PMSWINC_EL0 read 0.
//!
//! Every PMU register write (and MDCR_EL2's) re-evaluates the overflow interrupt line at
//! once and returns to the board (the `effects` column), which then bounds its next slice
//! by the new earliest overflow, so an overflow interrupt is raised at the overflowing
//! instruction, not at the end of a scheduling quantum.

use crate::bits::HCR_TGE;
use crate::state::Cpu;
use crate::sysreg::SR;

/// Event counters (PMCR_EL0.N) without a `--cpu` core that says otherwise.
pub(crate) const DEFAULT_N: usize = 4;
/// The most event counters PMUv3 has room for.
const MAX: usize = 31;

/// Bit of the cycle counter in PMCNTENSET/PMINTENSET/PMOVSSET and friends.
const CCNT_BIT: u32 = 1 << 31;

// PMCR_EL0 fields (D24 PMCR_EL0).
const PMCR_E: u64 = 1 << 0;
const PMCR_P: u64 = 1 << 1;
const PMCR_C: u64 = 1 << 2;
const PMCR_DP: u64 = 1 << 5;
const PMCR_LC: u64 = 1 << 6;
/// Stored PMCR bits. D (clock divider) is RES0 without AArch32, X (export) RAZ/WI with no
/// export bus, LP needs PMUv3p5.
const PMCR_RW: u64 = PMCR_E | PMCR_DP | PMCR_LC;

// PMEVTYPER<n>_EL0 / PMCCFILTR_EL0 filter bits. NSK/NSU/M need EL3, SH needs Secure EL2.
const FILT_P: u64 = 1 << 31;
const FILT_U: u64 = 1 << 30;
const FILT_NSH: u64 = 1 << 27;
/// evtCount is 10 bits wide at PMUv3 (16 from PMUv3p1).
const EVT_MASK: u64 = 0x3ff;

// PMUSERENR_EL0 fields.
const USER_EN: u64 = 1 << 0;
const USER_SW: u64 = 1 << 1;
const USER_CR: u64 = 1 << 2;
const USER_ER: u64 = 1 << 3;

// MDCR_EL2 fields.
const MDCR_HPMN: u64 = 0x1f;
const MDCR_TPMCR: u64 = 1 << 5;
const MDCR_TPM: u64 = 1 << 6;
const MDCR_HPME: u64 = 1 << 7;

// Event numbers (D11 "Common event numbers").
const EV_SW_INCR: u64 = 0x00;
const EV_INST_RETIRED: u64 = 0x08;
const EV_EXC_TAKEN: u64 = 0x09;
const EV_CPU_CYCLES: u64 = 0x11;
const EV_CHAIN: u64 = 0x1e;

/// PMCEID0_EL0: exactly the events above.
const PMCEID0: u64 = (1 << EV_SW_INCR)
    | (1 << EV_INST_RETIRED)
    | (1 << EV_EXC_TAKEN)
    | (1 << EV_CPU_CYCLES)
    | (1 << EV_CHAIN);

type Events = crate::timing::detailed::Events;

/// An event the `detailed` timing model drives: its number and how to read its count.
type ModelEvent = (u64, fn(&Events) -> u64);

/// The events the `detailed` timing model drives.
const MODEL_EVENTS: [ModelEvent; 19] = [
    (0x01, |e| e.l1i_cache_refill),
    (0x02, |e| e.l1i_tlb_refill),
    (0x03, |e| e.l1d_cache_refill),
    (0x04, |e| e.l1d_cache),
    (0x05, |e| e.l1d_tlb_refill),
    (0x10, |e| e.br_mis_pred),
    (0x12, |e| e.br_pred),
    (0x13, |e| e.mem_access),
    (0x14, |e| e.l1i_cache),
    (0x16, |e| e.l2d_cache),
    (0x17, |e| e.l2d_cache_refill),
    (0x1b, |e| e.inst_spec),
    (0x21, |e| e.br_retired),
    (0x23, |e| e.stall_frontend),
    (0x24, |e| e.stall_backend),
    (0x25, |e| e.l1d_tlb),
    (0x26, |e| e.l1i_tlb),
    (0x36, |e| e.ll_cache_rd),
    (0x37, |e| e.ll_cache_miss_rd),
];

/// Model events counted per cycle at most (several accesses of one operation cost at
/// least its class cost): bounds when a model-event counter can overflow.
const MODEL_EVENTS_PER_CYCLE: u64 = 16;

/// The index of event `ev` in [`MODEL_EVENTS`].
fn model_event(ev: u64) -> Option<usize> {
    MODEL_EVENTS.iter().position(|&(n, _)| n == ev)
}

/// PMCEID0_EL0 / PMCEID1_EL0 bits of the model's events (events 0x00-0x1F, 0x20-0x3F).
fn model_pmceid(high: bool) -> u64 {
    MODEL_EVENTS
        .iter()
        .filter(|(n, _)| (*n >= 0x20) == high)
        .fold(0, |m, (n, _)| m | 1 << (n & 0x1f))
}

/// The counted sources at a sync point.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
struct Sources {
    cycles: u64,
    insns: u64,
    exc: u64,
    /// [`MODEL_EVENTS`] counts (zero without the `detailed` model).
    #[serde(default)]
    model: [u64; 19],
}

/// Counter values and overflow flags as of "now".
struct Snapshot {
    ccnt: u64,
    ev: [u64; MAX],
    ovs: u32,
}

/// PMU state of one PE.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Pmu {
    /// PMCR_EL0.N.
    n: usize,
    pmcr: u64,
    cnten: u32,
    inten: u32,
    ovs: u32,
    selr: u64,
    userenr: u64,
    ccfiltr: u64,
    evtype: [u64; MAX],
    ccnt: u64,
    ev: [u64; MAX],
    /// Sources, EL and MDCR_EL2 at the last sync point.
    base: Sources,
    el: u8,
    mdcr: u64,
}

impl Pmu {
    /// Reset state: everything disabled and zero (the architecturally UNKNOWN fields too).
    pub(crate) fn new(el: u8, n: usize) -> Self {
        Self {
            n,
            pmcr: 0,
            cnten: 0,
            inten: 0,
            ovs: 0,
            selr: 0,
            userenr: 0,
            ccfiltr: 0,
            evtype: [0; MAX],
            ccnt: 0,
            ev: [0; MAX],
            base: Sources::default(),
            el,
            mdcr: n as u64,
        }
    }

    /// Every implemented counter bit.
    fn all(&self) -> u32 {
        CCNT_BIT | ((1 << self.n) - 1)
    }

    /// Whether any counter may be counting (the EL-change hook skips the sync otherwise).
    #[inline]
    pub(crate) fn active(&self) -> bool {
        self.cnten != 0 && self.pmcr & PMCR_E != 0 || self.mdcr & MDCR_HPME != 0
    }
}

fn sources(c: &Cpu) -> Sources {
    let mut model = [0; 19];
    if let Some(m) = c.detailed.as_deref() {
        for (v, (_, f)) in model.iter_mut().zip(MODEL_EVENTS) {
            *v = f(&m.events);
        }
    }
    Sources {
        cycles: c.cycles,
        insns: c.insns,
        exc: c.exceptions,
        model,
    }
}

/// MDCR_EL2.HPMN as it applies (N when EL2 is not implemented).
fn hpmn_of(c: &Cpu, mdcr: u64) -> usize {
    if c.cfg.has_el2 {
        ((mdcr & MDCR_HPMN) as usize).min(c.pmu.n)
    } else {
        c.pmu.n
    }
}

/// Whether the filter bits let events at `el` count (Non-secure, no EL3).
fn filter_counts(c: &Cpu, filt: u64, el: u8) -> bool {
    match el {
        0 => filt & FILT_U == 0,
        1 => filt & FILT_P == 0,
        _ => c.cfg.has_el2 && filt & FILT_NSH != 0,
    }
}

/// Whether event counter `i` is enabled (PMCNTENSET and PMCR.E or MDCR_EL2.HPME).
fn ev_enabled(c: &Cpu, p: &Pmu, mdcr: u64, i: usize) -> bool {
    let global = if i < hpmn_of(c, mdcr) {
        p.pmcr & PMCR_E != 0
    } else {
        mdcr & MDCR_HPME != 0
    };
    global && p.cnten & (1 << i) != 0
}

fn cc_enabled(p: &Pmu) -> bool {
    p.pmcr & PMCR_E != 0 && p.cnten & CCNT_BIT != 0
}

/// Add `d` to a 32-bit event counter: (new value, times it overflowed).
fn add32(v: u64, d: u64) -> (u64, u64) {
    let s = (v & 0xffff_ffff) as u128 + d as u128;
    ((s as u64) & 0xffff_ffff, (s >> 32) as u64)
}

/// Whether counter `i` is the odd half of a chained pair (its event is CHAIN).
fn chained(p: &Pmu, i: usize) -> bool {
    i % 2 == 1 && p.evtype[i] & EVT_MASK == EV_CHAIN
}

/// Add `d` to the cycle counter: overflow from bit 63 (LC = 1) or bit 31 (LC = 0).
fn add_cc(v: u64, d: u64, lc: bool) -> (u64, bool) {
    let new = v.wrapping_add(d);
    let ovf = if lc {
        (v as u128 + d as u128) >> 64 != 0
    } else {
        ((v & 0xffff_ffff) as u128 + d as u128) >> 32 != 0
    };
    (new, ovf)
}

/// Counter values as of now, from the last sync point.
fn peek(c: &Cpu) -> Snapshot {
    let p = &c.pmu;
    let now = sources(c);
    let d_cyc = now.cycles.wrapping_sub(p.base.cycles);
    let mut s = Snapshot {
        ccnt: p.ccnt,
        ev: p.ev,
        ovs: p.ovs,
    };
    if cc_enabled(p) && filter_counts(c, p.ccfiltr, p.el) && d_cyc != 0 {
        let (v, o) = add_cc(p.ccnt, d_cyc, p.pmcr & PMCR_LC != 0);
        s.ccnt = v;
        if o {
            s.ovs |= CCNT_BIT;
        }
    }
    // Even counters first: an odd CHAIN counter counts the overflows of the one below.
    let mut overflows = [0u64; MAX];
    for i in (0..p.n).step_by(2).chain((1..p.n).step_by(2)) {
        if !ev_enabled(c, p, p.mdcr, i) || !filter_counts(c, p.evtype[i], p.el) {
            continue;
        }
        let ev = p.evtype[i] & EVT_MASK;
        let d = match ev {
            _ if chained(p, i) => overflows[i - 1],
            EV_CPU_CYCLES => d_cyc,
            EV_INST_RETIRED => now.insns.wrapping_sub(p.base.insns),
            EV_EXC_TAKEN => now.exc.wrapping_sub(p.base.exc),
            _ => model_event(ev).map_or(0, |j| now.model[j].wrapping_sub(p.base.model[j])),
        };
        if d != 0 {
            let (v, o) = add32(p.ev[i], d);
            s.ev[i] = v;
            overflows[i] = o;
            if o != 0 {
                s.ovs |= 1 << i;
            }
        }
    }
    s
}

/// Bring the stored counters up to now and start a new segment at the current EL and
/// MDCR_EL2. Call before anything that changes what counts.
pub(crate) fn sync(c: &mut Cpu) {
    let s = peek(c);
    let base = sources(c);
    let el = c.pstate.el;
    let mdcr = if c.cfg.has_el2 {
        c.sr.get(SR::MDCR_EL2)
    } else {
        0
    };
    let p = &mut c.pmu;
    p.ccnt = s.ccnt;
    p.ev = s.ev;
    p.ovs = s.ovs;
    p.base = base;
    p.el = el;
    p.mdcr = mdcr;
}

/// The PE is about to enter `el`: close the counting segment of the current EL.
pub(crate) fn el_change(c: &mut Cpu, el: u8) {
    sync(c);
    c.pmu.el = el;
}

/// Initialise the PMU-related reset state outside the PMU: MDCR_EL2.HPMN resets to N.
pub(crate) fn init(c: &mut Cpu) {
    let el = c.pstate.el;
    let n = c
        .core
        .as_ref()
        .map_or(DEFAULT_N, |m| m.pmu_counters as usize);
    c.pmu = Pmu::new(el, n.min(MAX));
    sync(c);
    let m = c.sr.get(SR::MDCR_EL2);
    c.sr.set(SR::MDCR_EL2, (m & !MDCR_HPMN) | n as u64);
    c.pmu.mdcr = c.sr.get(SR::MDCR_EL2);
}

/// Counter bits accessible at the current EL: those at or above HPMN only from EL2.
fn access_mask(c: &Cpu) -> u32 {
    if c.pstate.el >= 2 || !c.cfg.has_el2 {
        c.pmu.all()
    } else {
        let hpmn = hpmn_of(c, c.sr.get(SR::MDCR_EL2));
        CCNT_BIT | ((1u32 << hpmn) - 1)
    }
}

/// Whether event counter `n` is accessible at the current EL (n < HPMN below EL2).
fn counter_accessible(c: &Cpu, n: usize) -> bool {
    n < c.pmu.n && access_mask(c) & (1 << n) != 0
}

impl Cpu {
    /// Whether the PMU overflow interrupt request is asserted: an
    /// overflow flag set for a counter whose interrupt is enabled, gated by PMCR_EL0.E
    /// (or MDCR_EL2.HPME for counters at or above HPMN).
    pub fn pmu_irq(&self) -> bool {
        let p = &self.pmu;
        let ovs = peek(self).ovs & p.inten;
        if ovs == 0 {
            return false;
        }
        let mdcr = if self.cfg.has_el2 {
            self.sr.get(SR::MDCR_EL2)
        } else {
            0
        };
        let hpmn = hpmn_of(self, mdcr);
        let e = p.pmcr & PMCR_E != 0;
        let hpme = mdcr & MDCR_HPME != 0;
        (0..p.n).any(|i| ovs & (1 << i) != 0 && if i < hpmn { e } else { hpme })
            || (ovs & CCNT_BIT != 0 && e)
    }

    /// The earliest simulated cycle (physical count) at which a counter with its overflow
    /// interrupt enabled can overflow, if one is counting: a lower bound for
    /// instruction/exception events (every step costs at least one cycle), exact for
    /// CPU_CYCLES and the cycle counter.
    pub fn next_pmu_overflow_cycle(&self) -> Option<u64> {
        self.pmu_deadline(false)
    }

    /// Like [`Cpu::next_pmu_overflow_cycle`], for a PE idle in WFI/WFE: only counters
    /// that advance with simulated time alone (CPU_CYCLES, PMCCNTR_EL0) can overflow.
    pub fn next_pmu_idle_wakeup(&self) -> Option<u64> {
        self.pmu_deadline(true)
    }

    fn pmu_deadline(&self, cycles_only: bool) -> Option<u64> {
        let p = &self.pmu;
        if !p.active() || p.inten == 0 {
            return None;
        }
        let s = peek(self);
        let now = self.cycles;
        let mut best: Option<u64> = None;
        let mut cand = |left: u64| {
            let t = now.saturating_add(left);
            best = Some(best.map_or(t, |b| b.min(t)));
        };
        if p.inten & CCNT_BIT != 0
            && s.ovs & CCNT_BIT == 0
            && cc_enabled(p)
            && filter_counts(self, p.ccfiltr, p.el)
        {
            let left = if p.pmcr & PMCR_LC != 0 {
                (u64::MAX - s.ccnt).saturating_add(1)
            } else {
                (1u64 << 32) - (s.ccnt & 0xffff_ffff)
            };
            cand(left);
        }
        // A chained odd counter can overflow no earlier than the even one below it.
        let mut chain_from = None;
        for i in 0..p.n {
            let bit = 1u32 << i;
            if chained(p, i) && p.inten & bit != 0 && s.ovs & bit == 0 {
                chain_from = chain_from.or(Some(i - 1));
            }
        }
        for i in 0..p.n {
            let bit = 1u32 << i;
            let wanted = p.inten & bit != 0 && s.ovs & bit == 0 || chain_from == Some(i);
            if !wanted
                || chained(p, i)
                || !ev_enabled(self, p, p.mdcr, i)
                || !filter_counts(self, p.evtype[i], p.el)
            {
                continue;
            }
            let ev = p.evtype[i] & EVT_MASK;
            let left = (1u64 << 32) - (s.ev[i] & 0xffff_ffff);
            if ev == EV_CPU_CYCLES || !cycles_only && matches!(ev, EV_INST_RETIRED | EV_EXC_TAKEN) {
                cand(left);
            } else if !cycles_only && self.detailed.is_some() && model_event(ev).is_some() {
                cand((left / MODEL_EVENTS_PER_CYCLE).max(1));
            }
        }
        best
    }
}

// ---- Traps (D11 / D24 "Accessibility"): PMUSERENR_EL0 at EL0, then MDCR_EL2 at EL0/EL1 ----

fn el0_target(c: &Cpu) -> u8 {
    if c.hcr() & HCR_TGE != 0 {
        2
    } else {
        1
    }
}

/// Common check: `el0_ok` is what PMUSERENR_EL0 permits for this access at EL0;
/// `pmcr` selects the extra MDCR_EL2.TPMCR trap.
fn pm_trap(c: &Cpu, el0_ok: bool, pmcr: bool) -> Option<u8> {
    let el = c.pstate.el;
    if el == 0 && !el0_ok {
        return Some(el0_target(c));
    }
    if el <= 1 && c.cfg.has_el2 {
        let mdcr = c.sr.get(SR::MDCR_EL2);
        if mdcr & MDCR_TPM != 0 || (pmcr && mdcr & MDCR_TPMCR != 0) {
            return Some(2);
        }
    }
    None
}

fn user(c: &Cpu, bits: u64) -> bool {
    c.pmu.userenr & bits != 0
}

/// Registers EL0 may use only with PMUSERENR_EL0.EN.
pub(crate) fn en_trap(c: &Cpu, _read: bool) -> Option<u8> {
    pm_trap(c, user(c, USER_EN), false)
}
/// PMCR_EL0: EN, plus MDCR_EL2.TPMCR.
pub(crate) fn pmcr_trap(c: &Cpu, _read: bool) -> Option<u8> {
    pm_trap(c, user(c, USER_EN), true)
}
/// PMSWINC_EL0: EN or SW.
pub(crate) fn swinc_trap(c: &Cpu, _read: bool) -> Option<u8> {
    pm_trap(c, user(c, USER_EN | USER_SW), false)
}
/// PMCCNTR_EL0: reads with EN or CR, writes with EN.
pub(crate) fn ccntr_trap(c: &Cpu, read: bool) -> Option<u8> {
    let bits = if read { USER_EN | USER_CR } else { USER_EN };
    pm_trap(c, user(c, bits), false)
}
/// PMEVCNTR<n>_EL0 / PMXEVCNTR_EL0: reads with EN or ER, writes with EN.
pub(crate) fn evcntr_trap(c: &Cpu, read: bool) -> Option<u8> {
    let bits = if read { USER_EN | USER_ER } else { USER_EN };
    pm_trap(c, user(c, bits), false)
}
/// PMSELR_EL0: EN or ER.
pub(crate) fn selr_trap(c: &Cpu, _read: bool) -> Option<u8> {
    pm_trap(c, user(c, USER_EN | USER_ER), false)
}
/// PMUSERENR_EL0 (EL0 may always read it) and PMINTENSET/CLR_EL1 (EL1 and up): TPM only.
pub(crate) fn tpm_trap(c: &Cpu, _read: bool) -> Option<u8> {
    pm_trap(c, true, false)
}

// ---- Register behaviour ----

pub(crate) fn pmcr_r(c: &Cpu) -> u64 {
    // Below EL2 (with EL2 implemented) N reads as MDCR_EL2.HPMN. IMP = IDCODE = 0.
    let n = if c.pstate.el < 2 && c.cfg.has_el2 {
        c.sr.get(SR::MDCR_EL2) & MDCR_HPMN
    } else {
        c.pmu.n as u64
    };
    (c.pmu.pmcr & PMCR_RW) | (n << 11)
}
pub(crate) fn pmcr_w(c: &mut Cpu, v: u64) {
    sync(c);
    if v & PMCR_P != 0 {
        // Resets the event counters in the first range, and all of them at EL2.
        let mask = access_mask(c);
        for i in 0..c.pmu.n {
            if mask & (1 << i) != 0 {
                c.pmu.ev[i] = 0;
            }
        }
    }
    if v & PMCR_C != 0 {
        c.pmu.ccnt = 0;
    }
    c.pmu.pmcr = v & PMCR_RW;
}

pub(crate) fn cnten_r(c: &Cpu) -> u64 {
    (c.pmu.cnten & access_mask(c)) as u64
}
pub(crate) fn cntenset_w(c: &mut Cpu, v: u64) {
    sync(c);
    c.pmu.cnten |= v as u32 & access_mask(c);
}
pub(crate) fn cntenclr_w(c: &mut Cpu, v: u64) {
    sync(c);
    c.pmu.cnten &= !(v as u32 & access_mask(c));
}

pub(crate) fn inten_r(c: &Cpu) -> u64 {
    (c.pmu.inten & access_mask(c)) as u64
}
pub(crate) fn intenset_w(c: &mut Cpu, v: u64) {
    c.pmu.inten |= v as u32 & access_mask(c);
}
pub(crate) fn intenclr_w(c: &mut Cpu, v: u64) {
    c.pmu.inten &= !(v as u32 & access_mask(c));
}

pub(crate) fn ovs_r(c: &Cpu) -> u64 {
    (peek(c).ovs & access_mask(c)) as u64
}
pub(crate) fn ovsset_w(c: &mut Cpu, v: u64) {
    sync(c);
    c.pmu.ovs |= v as u32 & access_mask(c);
}
pub(crate) fn ovsclr_w(c: &mut Cpu, v: u64) {
    sync(c);
    c.pmu.ovs &= !(v as u32 & access_mask(c));
}

/// PMSWINC_EL0: increment the enabled SW_INCR counters whose filter allows this EL (and
/// the CHAIN counter above one that overflows).
pub(crate) fn swinc_w(c: &mut Cpu, v: u64) {
    sync(c);
    let mask = v as u32 & access_mask(c);
    let counts = |c: &Cpu, i: usize| {
        ev_enabled(c, &c.pmu, c.pmu.mdcr, i) && filter_counts(c, c.pmu.evtype[i], c.pstate.el)
    };
    for i in 0..c.pmu.n {
        if mask & (1 << i) == 0 || c.pmu.evtype[i] & EVT_MASK != EV_SW_INCR || !counts(c, i) {
            continue;
        }
        let (nv, o) = add32(c.pmu.ev[i], 1);
        c.pmu.ev[i] = nv;
        if o != 0 {
            c.pmu.ovs |= 1 << i;
            if i + 1 < c.pmu.n && chained(&c.pmu, i + 1) && counts(c, i + 1) {
                let (nv, o) = add32(c.pmu.ev[i + 1], 1);
                c.pmu.ev[i + 1] = nv;
                if o != 0 {
                    c.pmu.ovs |= 1 << (i + 1);
                }
            }
        }
    }
}

pub(crate) fn selr_r(c: &Cpu) -> u64 {
    c.pmu.selr
}
pub(crate) fn selr_w(c: &mut Cpu, v: u64) {
    c.pmu.selr = v & 0x1f;
}

pub(crate) fn pmceid0_r(c: &Cpu) -> u64 {
    if c.detailed.is_some() {
        PMCEID0 | model_pmceid(false)
    } else {
        PMCEID0
    }
}

/// PMCEID1_EL0: the model's events 0x20-0x3F, with `--timing detailed`.
pub(crate) fn pmceid1_r(c: &Cpu) -> u64 {
    if c.detailed.is_some() {
        model_pmceid(true)
    } else {
        0
    }
}

pub(crate) fn ccntr_r(c: &Cpu) -> u64 {
    peek(c).ccnt
}
pub(crate) fn ccntr_w(c: &mut Cpu, v: u64) {
    sync(c);
    c.pmu.ccnt = v;
}

fn filter_mask(c: &Cpu) -> u64 {
    FILT_P | FILT_U | if c.cfg.has_el2 { FILT_NSH } else { 0 }
}

pub(crate) fn ccfiltr_r(c: &Cpu) -> u64 {
    c.pmu.ccfiltr
}
pub(crate) fn ccfiltr_w(c: &mut Cpu, v: u64) {
    sync(c);
    c.pmu.ccfiltr = v & filter_mask(c);
}

pub(crate) fn evcntr_r(c: &Cpu, n: usize) -> u64 {
    if counter_accessible(c, n) {
        peek(c).ev[n]
    } else {
        0
    }
}
pub(crate) fn evcntr_w(c: &mut Cpu, n: usize, v: u64) {
    if counter_accessible(c, n) {
        sync(c);
        c.pmu.ev[n] = v & 0xffff_ffff;
    }
}
pub(crate) fn evtyper_r(c: &Cpu, n: usize) -> u64 {
    if counter_accessible(c, n) {
        c.pmu.evtype[n]
    } else {
        0
    }
}
pub(crate) fn evtyper_w(c: &mut Cpu, n: usize, v: u64) {
    if counter_accessible(c, n) {
        sync(c);
        c.pmu.evtype[n] = v & (filter_mask(c) | EVT_MASK);
    }
}

/// PMXEVTYPER_EL0: PMEVTYPER<SEL>, or PMCCFILTR_EL0 when SEL = 31.
pub(crate) fn xevtyper_r(c: &Cpu) -> u64 {
    match c.pmu.selr as usize {
        31 => ccfiltr_r(c),
        n => evtyper_r(c, n),
    }
}
pub(crate) fn xevtyper_w(c: &mut Cpu, v: u64) {
    match c.pmu.selr as usize {
        31 => ccfiltr_w(c, v),
        n => evtyper_w(c, n, v),
    }
}
/// PMXEVCNTR_EL0: PMEVCNTR<SEL> (SEL = 31 or an unimplemented counter: RAZ/WI).
pub(crate) fn xevcntr_r(c: &Cpu) -> u64 {
    evcntr_r(c, c.pmu.selr as usize)
}
pub(crate) fn xevcntr_w(c: &mut Cpu, v: u64) {
    evcntr_w(c, c.pmu.selr as usize, v)
}

pub(crate) fn userenr_r(c: &Cpu) -> u64 {
    c.pmu.userenr
}
pub(crate) fn userenr_w(c: &mut Cpu, v: u64) {
    c.pmu.userenr = v & (USER_EN | USER_SW | USER_CR | USER_ER);
}
