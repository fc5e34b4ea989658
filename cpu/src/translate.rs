//! Address translation for the CPU: the stage-1 configuration of each regime (rebuilt when
//! a translation register changes), a software TLB, TLB maintenance and AT.
//!
//! The TLB is direct-mapped on the 4 KiB page of the (tag-stripped) VA and holds one 4 KiB
//! slice of a translation per entry, tagged with the regime and, for non-global entries,
//! the ASID; it keeps the size of the mapping it came from so TLBI by VA removes every
//! slice of a block. Entries survive TTBR/ASID changes and live until a TLBI or eviction,
//! as on hardware: a guest that forgets its TLB maintenance sees stale translations.

use crate::bits::{HCR_DC, HCR_PTW};
use crate::exc::Exc;
use crate::regime::{RegimeId, TlbiOp};
use crate::state::Cpu;
use crate::syndrome::{AbortStatus, Syndrome};
use crate::sysreg::SR;
use mmu::walk::{self, AccessKind, Features, Perms, S2Perms, Stage1Config};
use mmu::Bus;

/// TLB entries (a power of two).
const TLB_SIZE: usize = 1024;

/// The result of a translation for one access (the consumers that need the mapping size
/// or attributes, SPE and the checker, add them here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Translated {
    /// Physical address.
    pub pa: u64,
    /// Device memory (alignment faults for unaligned accesses; no speculation).
    pub device: bool,
    /// Tagged memory (FEAT_MTE2): stage 1 MAIR 0xF0 and, with stage 2, a Write-Back
    /// combined result, so allocation tags are stored and accesses may be tag checked.
    pub tagged: bool,
    /// Stage 2 gave the NoTagAccess attribute (FEAT_MTE_PERM): the stage 2 level and IPA
    /// of the Permission fault a tag access or tag-checked access raises.
    pub no_tag_access: Option<(i8, u64)>,
}

#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
struct Entry {
    /// Tag-stripped VA >> 12, or `u64::MAX` when empty.
    vpage: u64,
    regime: u8,
    global: bool,
    asid: u16,
    /// PA >> 12 of this 4 KiB slice.
    ppage: u64,
    /// `!(size - 1)` of the mapping the slice belongs to.
    block_mask: u64,
    level: i8,
    perms: Perms,
    device: bool,
    /// Tagged memory (see [`Translated::tagged`]).
    #[serde(default)]
    tagged: bool,
    /// Stage 2 NoTagAccess (see [`Translated::no_tag_access`]).
    #[serde(default)]
    no_tag_access: bool,
    /// The VMID tag of the regime when the entry was made ([`Mmu::vmid_tag`]).
    vmid_tag: u32,
    /// Stage 2 part of a two-stage entry: permissions, level and IPA page (for the
    /// Permission fault's HPFAR_EL2), or `None` for a stage-1-only entry.
    s2: Option<S2Entry>,
}

/// The stage 2 half of a combined TLB entry.
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
struct S2Entry {
    perms: S2Perms,
    level: i8,
    ipage: u64,
}

const EMPTY: Entry = Entry {
    vpage: u64::MAX,
    regime: 0,
    global: false,
    asid: 0,
    ppage: 0,
    block_mask: 0,
    level: 0,
    perms: Perms::ALL,
    device: false,
    tagged: false,
    no_tag_access: false,
    vmid_tag: 0,
    s2: None,
};

/// Translation state of one PE.
pub(crate) struct Mmu {
    tlb: Box<[Entry]>,
    cfg: [Option<Stage1Config>; 3],
    /// The regime of the current EL (from PSTATE.EL and HCR_EL2.{E2H,TGE}), kept up to
    /// date by [`Cpu::refresh_regime`] so the access path does not recompute it.
    pub(crate) cur: RegimeId,
    /// Whether stage 2 applies to the current regime (EL1&0 with HCR_EL2.VM or DC, TGE 0).
    pub(crate) s2_on: bool,
    /// Tag of the current regime's entries: `STAGE2_TAG | VMID` while stage 2 is on, 0
    /// otherwise, so one VM never hits another's (or the host's) translations.
    pub(crate) vmid_tag: u32,
    /// Stage 2 configuration, rebuilt after VTCR_EL2/VTTBR_EL2/SCTLR_EL2/HCR_EL2 writes.
    pub(crate) s2cfg: Option<walk::Stage2Config>,
    /// Walks performed and TLB hits, for `--stats`.
    pub(crate) walks: u64,
    /// An upper bound of log2 of the mapping size of the valid entries (12: pages only),
    /// so that a TLBI by VA looks only at the slots a mapping holding the VA can fill.
    max_shift: u32,
    /// log2 of the size of the mapping the last translation used (the `detailed` timing
    /// model's TLBs hold one entry per mapping, as hardware TLBs hold block entries).
    pub(crate) last_size_log2: u8,
    /// The translation context the `detailed` model tags TLB entries with (regime, VMID
    /// tag, ASID: `Cpu::model_ctx`), kept with the current regime.
    pub(crate) model_ctx: u64,
}

/// The TLB's valid entries with their slots, and the walk count (crate::snapshot).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct TlbState {
    entries: Vec<(u32, Entry)>,
    walks: u64,
}

impl Entry {
    /// log2 of the size of the mapping it caches a 4 KiB slice of.
    fn shift(&self) -> u32 {
        (!self.block_mask).trailing_ones()
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Entry({:#x} -> {:#x})", self.vpage, self.ppage)
    }
}

impl Mmu {
    /// The TLB's contents (stale entries included).
    pub(crate) fn save_tlb(&self) -> TlbState {
        let entries = self
            .tlb
            .iter()
            .enumerate()
            .filter(|(_, e)| e.vpage != u64::MAX)
            .map(|(i, e)| (i as u32, *e))
            .collect();
        TlbState {
            entries,
            walks: self.walks,
        }
    }

    /// Put back contents saved by [`Mmu::save_tlb`].
    pub(crate) fn restore_tlb(&mut self, s: &TlbState) -> Result<(), String> {
        if s.entries.iter().any(|&(i, _)| i as usize >= TLB_SIZE) {
            return Err(format!("a TLB entry beyond the {TLB_SIZE} this build has"));
        }
        self.tlb.fill(EMPTY);
        for &(i, e) in &s.entries {
            self.tlb[i as usize] = e;
            self.max_shift = self.max_shift.max(e.shift());
        }
        self.walks = s.walks;
        Ok(())
    }
}

/// [`Mmu::vmid_tag`] flag: the entry was made with stage 2 enabled.
const STAGE2_TAG: u32 = 1 << 16;

impl Mmu {
    pub(crate) fn new() -> Self {
        Self {
            tlb: vec![EMPTY; TLB_SIZE].into_boxed_slice(),
            cfg: [None, None, None],
            cur: RegimeId::El10,
            s2_on: false,
            vmid_tag: 0,
            s2cfg: None,
            walks: 0,
            max_shift: 12,
            last_size_log2: 12,
            model_ctx: 0,
        }
    }
}

/// Features the walker implements for us (ID_AA64MMFR1 advertises none of HPDS/HAFDBS;
/// ID_AA64MMFR2 advertises E0PD).
const FEATURES: Features = Features {
    hpds: false,
    hafdbs: false,
    asid16: true,
    e0pd: true,
};

/// The abort a translation fault raises, the fault kept typed. Stage 2 faults go to EL2
/// with the IPA for HPFAR_EL2. WnR is the instruction's direction, also for a stage 2
/// fault on the stage 1 walk (S1PTW): AArch64.S1Walk hands the access's own fault record
/// to the stage 2 translation and AArch64.FaultSyndrome reports its `write` (ESR_ELx.WnR
/// lets only atomics report 0 there).
fn walk_exc(f: walk::Fault, va: u64, acc: AccessKind) -> Exc {
    let status = AbortStatus::Walk(f);
    let mut e = match acc {
        AccessKind::Exec => Exc::insn_abort(status, va),
        _ => Exc::data_abort(status, va, acc == AccessKind::Write),
    };
    if f.stage == 2 {
        e.ipa = f.ipa;
        e.target = Some(2);
    }
    e
}

/// Mark a data abort as raised by a cache maintenance or AT instruction: CM = 1, and
/// with `wnr`, WnR = 1 (D23.2 ESR_ELx: "cache maintenance and address translation
/// instructions set WnR to 1").
fn maintenance_abort(mut e: Exc, wnr: bool) -> Exc {
    if let Syndrome::DataAbort { cm, wnr: w, .. } = &mut e.syndrome {
        *cm = true;
        *w |= wnr;
    }
    e
}

/// FEAT_MTE_PERM (with MTE): stage 2 MemAttr 0b0100 with HCR_EL2.FWB = 0, and 0b1110 /
/// 0b1111 with FWB = 1, are NoTagAccess: Normal Write-Back (0b1111), or with FWB forced
/// Write-Back (0b0110) / stage 1's attributes (0b0111), on which allocation-tag accesses
/// and tag-checked accesses take a stage 2 Permission fault (ESR_EL2.ISS2.TagAccess).
/// Returns the attributes to combine with stage 1 and whether the page is NoTagAccess.
fn no_tag_access_attrs(s2: &walk::S2MemAttrs, hcr: u64, mte: bool) -> (walk::S2MemAttrs, bool) {
    let fwb = hcr & crate::bits::HCR_FWB != 0;
    let as_attr = match (mte, fwb, s2.memattr) {
        (true, false, 0b0100) => 0b1111,
        (true, true, 0b1110) => 0b0110,
        (true, true, 0b1111) => 0b0111,
        _ => return (*s2, false),
    };
    (walk::S2MemAttrs::decode(as_attr, s2.sh), true)
}

impl Cpu {
    /// The regime the current EL translates in.
    #[inline(always)]
    pub(crate) fn regime(&self) -> RegimeId {
        self.mmu.cur
    }

    /// The regime EL `el` translates in (D8.1.1): EL2 is in EL2&0 when HCR_EL2.E2H = 1,
    /// and EL0 joins it when TGE = 1 too ("ELIsInHost").
    pub(crate) fn regime_of(&self, el: u8) -> RegimeId {
        match el {
            2 if self.e2h() => RegimeId::El20,
            2 => RegimeId::El2,
            0 if self.in_host() => RegimeId::El20,
            _ => RegimeId::El10,
        }
    }

    /// Recompute the current regime, whether stage 2 applies to it and its VMID tag,
    /// after a change of PSTATE.EL, HCR_EL2 or a stage 2 register.
    pub(crate) fn refresh_regime(&mut self) {
        let r = self.regime_of(self.pstate.el);
        self.mmu.cur = r;
        self.mmu.s2_on = r == RegimeId::El10 && self.stage2_enabled();
        self.mmu.vmid_tag = if self.mmu.s2_on {
            STAGE2_TAG | self.vmid() as u32
        } else {
            0
        };
        if self.detailed.is_some() {
            self.mmu.model_ctx = self.compute_model_ctx();
        }
    }

    /// SCTLR_ELx of the current regime (SCTLR_EL2 for EL2 and EL2&0).
    #[inline(always)]
    pub(crate) fn regime_sctlr(&self) -> u64 {
        self.regime_sctlr_of(self.mmu.cur)
    }

    /// SCTLR_ELx of regime `r`.
    #[inline(always)]
    pub(crate) fn regime_sctlr_of(&self, r: RegimeId) -> u64 {
        match r {
            RegimeId::El10 => self.sr.get(SR::SCTLR_EL1),
            _ => self.sr.get(SR::SCTLR_EL2),
        }
    }

    /// A translation register changed: rebuild the regime configurations on next use and
    /// re-translate the linked code page.
    pub(crate) fn xlat_changed(&mut self) {
        self.mmu.cfg = [None, None, None];
        self.mmu.s2cfg = None;
        self.refresh_regime();
        self.fast.flush();
        self.dcache.unlink();
    }

    fn stage1(&mut self, r: RegimeId) -> Stage1Config {
        if let Some(c) = self.mmu.cfg[r as usize] {
            return c;
        }
        let s = &self.sr;
        let c = match r {
            RegimeId::El10 => Stage1Config::el10(
                s.get(SR::TCR_EL1),
                s.get(SR::TTBR0_EL1),
                s.get(SR::TTBR1_EL1),
                self.el10_sctlr(),
                s.get(SR::MAIR_EL1),
                self.cfg.pa_bits,
                FEATURES,
            ),
            RegimeId::El20 => Stage1Config::el20(
                s.get(SR::TCR_EL2),
                s.get(SR::TTBR0_EL2),
                s.get(SR::TTBR1_EL2),
                s.get(SR::SCTLR_EL2),
                s.get(SR::MAIR_EL2),
                self.cfg.pa_bits,
                FEATURES,
            ),
            RegimeId::El2 => Stage1Config::el2(
                s.get(SR::TCR_EL2),
                s.get(SR::TTBR0_EL2),
                s.get(SR::SCTLR_EL2),
                s.get(SR::MAIR_EL2),
                self.cfg.pa_bits,
                FEATURES,
            ),
        };
        self.mmu.cfg[r as usize] = Some(c);
        c
    }

    /// Whether stage 1 of the current regime is enabled (SCTLR_ELx.M).
    #[inline(always)]
    pub(crate) fn mmu_on(&self) -> bool {
        self.regime_sctlr() & 1 != 0
    }

    /// Translate `va` for an access of kind `acc` in the current regime (permissions
    /// checked). `unpriv` marks LDTR/STTR (checked as EL0).
    #[inline(always)]
    pub(crate) fn translate<B: crate::Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        acc: AccessKind,
        unpriv: bool,
    ) -> Result<Translated, Exc> {
        if !self.mmu.s2_on && !self.mmu_on() {
            // Stage 1 off: VA = PA; data accesses are Device-nGnRnE, fetches Normal.
            self.mmu.last_size_log2 = 30;
            return Ok(Translated {
                pa: va,
                device: acc != AccessKind::Exec,
                tagged: false,
                no_tag_access: None,
            });
        }
        self.translate_on(bus, va, acc, unpriv)
    }

    fn translate_on<B: crate::Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        acc: AccessKind,
        unpriv: bool,
    ) -> Result<Translated, Exc> {
        let r = self.regime();
        // The configuration is looked at in place (it is large); a walk, on a miss,
        // takes its own copy.
        let (key, asid) = match &self.mmu.cfg[r as usize] {
            Some(cfg) => (cfg.strip_tag(va) >> 12, cfg.asid().unwrap_or(0)),
            None => {
                let cfg = self.stage1(r);
                (cfg.strip_tag(va) >> 12, cfg.asid().unwrap_or(0))
            }
        };
        let idx = key as usize & (TLB_SIZE - 1);
        let e = self.mmu.tlb[idx];
        let hit = e.vpage == key
            && e.regime == r as u8
            && e.vmid_tag == self.mmu.vmid_tag
            && (e.global || e.asid == asid);
        let e = if hit {
            e
        } else {
            let cfg = self.stage1(r);
            self.tlb_fill(bus, &cfg, va, key, idx, r, acc)?
        };
        let el = self.pstate.el;
        // PAN acts on the privileged level of a two-level regime: EL1 in EL1&0, EL2 in
        // EL2&0 (D8.4.2 "Privileged access never").
        let pan = self.pstate.pan && (el == 1 || r == RegimeId::El20);
        if let Err(kind) = walk::check(&e.perms, acc, el, unpriv, pan) {
            let f = walk::Fault::stage1(kind, e.level);
            return Err(walk_exc(f, va, acc));
        }
        if let Some(s2) = e.s2 {
            // Stage 2 permissions: data accesses ignore the EL, fetches use XN[1:0].
            if let Err(kind) = walk::check_stage2(&s2.perms, acc, el) {
                let ipa = (s2.ipage << 12) | (va & 0xfff);
                let f = walk::Fault::stage2(kind, s2.level, ipa);
                return Err(walk_exc(f, va, acc));
            }
        }
        self.mmu.last_size_log2 = (!e.block_mask).trailing_ones() as u8;
        let no_tag_access = match e.s2 {
            Some(s2) if e.no_tag_access => Some((s2.level, (s2.ipage << 12) | (va & 0xfff))),
            _ => None,
        };
        Ok(Translated {
            pa: (e.ppage << 12) | (va & 0xfff),
            device: e.device,
            tagged: e.tagged,
            no_tag_access,
        })
    }

    #[cold]
    #[allow(clippy::too_many_arguments)]
    fn tlb_fill<B: crate::Platform>(
        &mut self,
        bus: &mut B,
        cfg: &Stage1Config,
        va: u64,
        key: u64,
        idx: usize,
        r: RegimeId,
        acc: AccessKind,
    ) -> Result<Entry, Exc> {
        self.mmu.walks += 1;
        self.charge_walk();
        let mut mem = crate::watch::WatchedWalk::new(self, bus, va);
        let res = self.walk_entry(&mut mem, cfg, va, key, r, acc);
        // A watched descriptor read may have made an SError pending, whatever the walk's
        // own outcome.
        match mem.verdict {
            Some(crate::WatchVerdict::SError(iss)) => self.inject_serror(iss),
            Some(crate::WatchVerdict::Ras(e)) => self.record_ras_error(&e),
            _ => {}
        }
        let e = res?;
        let old = self.mmu.tlb[idx];
        if old.vpage != u64::MAX && old.vpage != key {
            // The fast tables and the linked code page never outlive the architectural
            // entry they came from: a later access re-walks exactly where it would
            // without them (cycle counts do not depend on host-side caches, so a
            // snapshot resumes exactly).
            self.fast.forget_page(old.vpage << 12);
            self.dcache.unlink();
        }
        self.mmu.tlb[idx] = e;
        self.mmu.max_shift = self.mmu.max_shift.max(e.shift());
        Ok(e)
    }

    /// The walk of [`Self::tlb_fill`] (stage 1, then stage 2 when enabled) and the TLB
    /// entry it makes.
    fn walk_entry<M: walk::WalkMem>(
        &mut self,
        mem: &mut M,
        cfg: &Stage1Config,
        va: u64,
        key: u64,
        r: RegimeId,
        acc: AccessKind,
    ) -> Result<Entry, Exc> {
        let s2 = if self.mmu.s2_on {
            Some(self.stage2_config())
        } else {
            None
        };
        let hcr = self.hcr();
        let t = walk_stage1(cfg, s2.as_ref(), hcr, mem, va).map_err(|f| walk_exc(f, va, acc))?;
        let mut e = Entry {
            vpage: key,
            regime: r as u8,
            global: !t.ng,
            asid: t.asid.unwrap_or(0),
            ppage: t.pa >> 12,
            block_mask: !(t.page_size - 1),
            level: t.level,
            perms: t.perms,
            // HCR_EL2.DC makes EL1&0 stage 1 "off" with Normal memory, not Device.
            device: t.attrs.is_device() && !(r == RegimeId::El10 && hcr & HCR_DC != 0),
            tagged: self.cfg.mte && t.attrs.tagged,
            no_tag_access: false,
            vmid_tag: self.mmu.vmid_tag,
            s2: None,
        };
        if let Some(s2cfg) = &s2 {
            // Stage 1 output is an IPA (the walker keeps the VA's offset in the block).
            let ipa = t.pa;
            let u = walk::walk_stage2(s2cfg, mem, ipa).map_err(|f| walk_exc(f, va, acc))?;
            e.ppage = u.pa >> 12;
            // The combined entry maps the smaller of the two sizes.
            e.block_mask |= !(u.page_size - 1);
            e.device |= u.attrs.is_device(false);
            // Tags need the combined attributes to be Tagged (D10.x "Memory Tagging
            // Extension", stage 2: Normal Inner and Outer Write-Back, FWB off or on).
            // FEAT_MTE_PERM: the NoTagAccess encodings act as their Write-Back
            // counterparts and mark the entry.
            let (s2attrs, no_tag) = no_tag_access_attrs(&u.attrs, hcr, self.cfg.mte);
            e.no_tag_access = no_tag;
            e.tagged &= walk::combine_for_access(&t.attrs, &s2attrs, AccessKind::Read, hcr).tagged;
            e.s2 = Some(S2Entry {
                perms: u.perms,
                level: u.level,
                ipage: ipa >> 12,
            });
        }
        Ok(e)
    }

    /// The address translation of a cache maintenance instruction by VA (D7.5.9 "Effects
    /// of instructions that operate by VA", R_SCRNW and neighbours): it takes Translation,
    /// Access flag and Address size faults like a load, reported with CM = 1 and WnR = 1
    /// (ESR_ELx ISS for a Data Abort), but a Permission fault only where `check_perm`
    /// (DC IVAC, which is checked as a write, `write`; any data cache operation at EL0,
    /// checked as a read). There is no cache to maintain, so nothing else happens.
    pub(crate) fn maintain_va<B: crate::Platform>(
        &mut self,
        bus: &mut B,
        va: u64,
        write: bool,
        check_perm: bool,
    ) -> Result<(), Exc> {
        let acc = if write {
            AccessKind::Write
        } else {
            AccessKind::Read
        };
        match self.translate(bus, va, acc, false) {
            Ok(_) => Ok(()),
            Err(Exc {
                syndrome:
                    Syndrome::DataAbort {
                        status: AbortStatus::Walk(f),
                        ..
                    },
                ..
            }) if !check_perm && f.kind == walk::FaultKind::Permission => Ok(()),
            Err(e) => Err(maintenance_abort(e, true)),
        }
    }

    /// The PA `va` translates to for an instruction fetch in the current regime, by a
    /// walk that leaves the TLB, the cycle count and the descriptors alone (traces and
    /// debuggers must not perturb the run). `None`: the translation faults.
    pub fn debug_translate<B: Bus>(&mut self, bus: &B, va: u64) -> Option<u64> {
        if !self.mmu.s2_on && !self.mmu_on() {
            return Some(va);
        }
        let cfg = self.stage1(self.regime());
        let s2 = self.mmu.s2_on.then(|| self.stage2_config());
        let mut mem = bus.ram();
        let t = walk_stage1(&cfg, s2.as_ref(), self.hcr(), &mut mem, va).ok()?;
        match &s2 {
            Some(s2cfg) => walk::walk_stage2(s2cfg, &mut mem, t.pa).ok().map(|u| u.pa),
            None => Some(t.pa),
        }
    }

    /// The physical addresses of the descriptors a walk of `va` (an instruction fetch
    /// with `exec`) reads in the current regime, stage 2 descriptors included, in order —
    /// for the `detailed` timing model, which sends them through its data caches. Leaves
    /// the TLB, the cycle count and the descriptors alone.
    pub(crate) fn walk_descriptors<B: Bus>(&mut self, bus: &B, va: u64) -> Vec<u64> {
        if !self.mmu.s2_on && !self.mmu_on() {
            return Vec::new();
        }
        /// Guest RAM that records every descriptor address it is asked for.
        struct Recorder<'a> {
            ram: &'a mmu::GuestRam,
            pas: Vec<u64>,
        }
        impl walk::WalkMem for Recorder<'_> {
            fn read_desc(&mut self, addr: u64) -> Result<u64, walk::WalkMemError> {
                self.pas.push(addr);
                self.ram.read_desc(addr)
            }
            fn cas_desc(&mut self, _: u64, _: u64, _: u64) -> Result<bool, walk::WalkMemError> {
                Ok(true) // never update: this walk only looks
            }
        }
        let cfg = self.stage1(self.regime());
        let s2 = self.mmu.s2_on.then(|| self.stage2_config());
        let mut mem = Recorder {
            ram: bus.ram(),
            pas: Vec::with_capacity(8),
        };
        if let Ok(t) = walk_stage1(&cfg, s2.as_ref(), self.hcr(), &mut mem, va) {
            if let Some(s2cfg) = &s2 {
                let _ = walk::walk_stage2(s2cfg, &mut mem, t.pa);
            }
        }
        mem.pas
    }

    /// Apply a TLB maintenance operation to this PE's TLB.
    pub fn apply_tlbi(&mut self, op: TlbiOp) {
        if let Some(m) = self.detailed.as_deref_mut() {
            m.tlb_invalidate();
        }
        // The TLB is indexed by VA[21:12] and holds 4 KiB slices of larger mappings: by VA,
        // only the slots of the largest mapping that can hold the VA need a look.
        let (first, n) = match op {
            TlbiOp::Va { va, .. } if self.mmu.max_shift < 22 => {
                let s = self.mmu.max_shift;
                (((va >> s) << (s - 12)) as usize, 1usize << (s - 12))
            }
            _ => (0, TLB_SIZE),
        };
        let whole = n == TLB_SIZE;
        let (mut max_shift, mut dropped) = (12, [u64::MAX; 4]);
        let mut n_dropped = 0;
        for k in 0..n {
            let e = &mut self.mmu.tlb[(first + k) & (TLB_SIZE - 1)];
            if e.vpage == u64::MAX {
                continue;
            }
            let hit = match op {
                // Invalidating EL2 also drops EL2&0 entries and vice versa: a superset the
                // architecture permits, and it covers guests that flip HCR_EL2.E2H.
                TlbiOp::All(r) => same_owner(e.regime, r),
                TlbiOp::Va { regime, va, asid } => {
                    same_owner(e.regime, regime)
                        && ((e.vpage << 12) & e.block_mask) == (va & e.block_mask)
                        && (e.global || asid.is_none_or(|a| a == e.asid))
                }
                TlbiOp::Asid(r, a) => e.regime == r as u8 && !e.global && e.asid == a,
                TlbiOp::Stage2 => e.s2.is_some(),
            };
            if hit {
                if let Some(d) = dropped.get_mut(n_dropped) {
                    *d = e.vpage;
                }
                n_dropped += 1;
                *e = EMPTY;
            } else {
                max_shift = max_shift.max(e.shift());
            }
        }
        if whole {
            self.mmu.max_shift = max_shift;
        }
        // The fast tables hold only pages of valid entries: forget the dropped ones'.
        if n_dropped > dropped.len() {
            self.fast.flush();
        } else {
            for &p in &dropped[..n_dropped] {
                self.fast.forget_page(p << 12);
            }
        }
        self.dcache.unlink();
    }

    /// Translate `va` for an access of kind `acc` by EL `el` in `regime` with a fresh
    /// walk (no TLB), both stages where EL1&0 has stage 2 on, permissions checked: for
    /// accesses the PE makes on another regime's behalf (the SPE profiling buffer).
    pub(crate) fn translate_for<B: Bus>(
        &mut self,
        bus: &B,
        regime: RegimeId,
        el: u8,
        va: u64,
        acc: AccessKind,
    ) -> Result<u64, walk::Fault> {
        let cfg = self.stage1(regime);
        let s2 = (regime == RegimeId::El10 && self.stage2_enabled()).then(|| self.stage2_config());
        let mut mem = bus.ram();
        let t = walk_stage1(&cfg, s2.as_ref(), self.hcr(), &mut mem, va)?;
        t.check(acc, el.max(1), el == 0, false)?;
        match &s2 {
            Some(s2cfg) => {
                let u = walk::walk_stage2(s2cfg, &mut mem, t.pa)?;
                u.check(acc, el)?;
                Ok(u.pa)
            }
            None => Ok(t.pa),
        }
    }

    /// AT S1E{0,1,2}{R,W} and S12E{0,1}{R,W}: translate `va` in `regime` as an access from
    /// `el`, write the result to PAR_EL1 (D24 PAR_EL1: F = 0 with PA and attributes, or
    /// F = 1 with FST, PTW and S). In EL1&0 with stage 2 enabled, stage 1 descriptors are
    /// read through stage 2, and `two_stage` (the S12 forms) also translates the output
    /// IPA. A stage 2 fault on the stage 1 walk of an AT S1E* executed at EL1 is a Data
    /// Abort to EL2 (CM = 1, S1PTW = 1), returned as `Err`; everything else lands in PAR.
    pub(crate) fn address_translate<B: Bus>(
        &mut self,
        bus: &B,
        regime: RegimeId,
        el: u8,
        write: bool,
        va: u64,
        two_stage: bool,
    ) -> Result<(), Exc> {
        let cfg = self.stage1(regime);
        let acc = if write {
            AccessKind::Write
        } else {
            AccessKind::Read
        };
        let s2 = (regime == RegimeId::El10 && self.stage2_enabled()).then(|| self.stage2_config());
        let mut mem = bus.ram();
        let s1 = walk_stage1(&cfg, s2.as_ref(), self.hcr(), &mut mem, va);
        if let Err(f) = s1 {
            if f.s1ptw && self.pstate.el == 1 {
                return Err(maintenance_abort(walk_exc(f, va, AccessKind::Read), true));
            }
        }
        let res = s1.and_then(|t| {
            let unpriv = el == 0;
            t.check(acc, el.max(1), unpriv, false)?;
            match (&s2, two_stage) {
                (Some(s2cfg), true) => {
                    let u = walk::walk_stage2(s2cfg, &mut mem, t.pa)?;
                    u.check(acc, el)?;
                    Ok(walk::Translation { pa: u.pa, ..t })
                }
                _ => Ok(t),
            }
        });
        let par = match res {
            Ok(t) => {
                let attr: u64 = match t.attrs.mem_type {
                    walk::MemType::Device(d) => match d {
                        walk::DeviceType::NGnRnE => 0x00,
                        walk::DeviceType::NGnRE => 0x04,
                        walk::DeviceType::NGRE => 0x08,
                        walk::DeviceType::GRE => 0x0c,
                    },
                    walk::MemType::Normal { inner, outer } => (nibble(outer) << 4) | nibble(inner),
                };
                let sh: u64 = match t.attrs.shareability {
                    walk::Shareability::NonShareable => 0,
                    walk::Shareability::OuterShareable => 2,
                    walk::Shareability::InnerShareable => 3,
                };
                (attr << 56) | (t.pa & 0x000f_ffff_ffff_f000) | (sh << 7) | (1 << 11)
            }
            Err(f) => {
                1 | ((f.fsc() as u64) << 1)
                    | ((f.s1ptw as u64) << 8)
                    | (((f.stage == 2) as u64) << 9)
                    | (1 << 11)
            }
        };
        self.sr.set(SR::PAR_EL1, par);
        Ok(())
    }
}

/// Walk stage 1 for `va`. With stage 2 on (`s2`), the stage 1 descriptors live in IPA
/// space and are read through it (HCR_EL2.PTW applies), so a stage 2 fault on the walk comes
/// back as an S1PTW fault.
fn walk_stage1<M: walk::WalkMem + ?Sized>(
    cfg: &Stage1Config,
    s2: Option<&walk::Stage2Config>,
    hcr: u64,
    mem: &mut M,
    va: u64,
) -> Result<walk::Translation, walk::Fault> {
    match s2 {
        None => walk::walk(cfg, mem, va),
        Some(s2cfg) => {
            let mut s2mem = walk::S2WalkMem {
                cfg: s2cfg,
                mem,
                ptw: hcr & HCR_PTW != 0,
                fwb: false,
            };
            walk::walk(cfg, &mut s2mem, va)
        }
    }
}

/// Whether a TLB entry of regime `e` belongs to the owner of regime `r` for TLBI: the
/// EL2 and EL2&0 regimes are both EL2's.
fn same_owner(e: u8, r: RegimeId) -> bool {
    match r {
        RegimeId::El10 => e == RegimeId::El10 as u8,
        _ => e != RegimeId::El10 as u8,
    }
}

/// A MAIR cacheability nibble for PAR_EL1.ATTR.
fn nibble(c: walk::Cacheability) -> u64 {
    match c {
        walk::Cacheability::NonCacheable => 0b0100,
        walk::Cacheability::WriteThrough {
            transient,
            read_alloc,
            write_alloc,
        } => {
            (if transient { 0b0000 } else { 0b1000 })
                | ((read_alloc as u64) << 1)
                | write_alloc as u64
        }
        walk::Cacheability::WriteBack {
            transient,
            read_alloc,
            write_alloc,
        } => {
            (if transient { 0b0100 } else { 0b1100 })
                | ((read_alloc as u64) << 1)
                | write_alloc as u64
        }
    }
}
