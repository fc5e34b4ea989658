//! Accesses to watched RAM pages (`mmu::page_flag::WATCH`, DESIGN.md §9): the CPU asks
//! its platform about each one *before* it happens, so an observer (fault injection on a
//! physical address, a gdb watchpoint, a checker) can see it, make it fail with a
//! synchronous External abort, or make an SError pending. Only watched pages pay.

/// Which access touched the watched page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchKind {
    /// A data read (loads, the read half of atomics).
    Read,
    /// A data write.
    Write,
    /// An instruction fetch.
    Fetch,
    /// A translation table walk reading a descriptor (stage 1 or stage 2).
    Walk,
}

/// One access to a watched page, with where the PE was when it made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WatchedAccess {
    /// What kind of access.
    pub kind: WatchKind,
    /// Virtual address (for a walk: the VA being translated).
    pub va: u64,
    /// Physical address accessed.
    pub pa: u64,
    /// Bytes.
    pub size: u8,
    /// The value a write stores.
    pub value: Option<u64>,
    /// PC of the instruction making the access.
    pub pc: u64,
    /// Exception level it runs at.
    pub el: u8,
    /// Instructions the PE had retired before it.
    pub insns: u64,
    /// The PE's physical counter (simulated nanoseconds).
    pub now: u64,
}

/// What the platform wants done with a watched access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchVerdict {
    /// Let it happen.
    Proceed,
    /// It fails with a synchronous External abort (memory is not changed): a data or
    /// instruction abort with FSC 0b010000, or, for a walk, FSC 0b0101LL at the level
    /// and stage of the walk.
    ExternalAbort,
    /// It happens, and a physical SError with this ESR ISS becomes pending.
    SError(u32),
    /// It happens, and this error is recorded in the PE's RAS error records (and signalled).
    Ras(crate::ras::RasError),
}

impl crate::Cpu {
    /// Ask the platform about an access to a watched page and apply its verdict: `Err` is
    /// the synchronous External abort the access takes instead of happening (a data abort
    /// with WnR for writes, an instruction abort for fetches; walks report theirs through
    /// the walker, see crate::translate).
    #[cold]
    #[inline(never)]
    pub(crate) fn watched<B: crate::Platform>(
        &mut self,
        bus: &mut B,
        kind: WatchKind,
        va: u64,
        pa: u64,
        size: u8,
        value: Option<u64>,
    ) -> Result<(), crate::Exc> {
        self.jit_effect();
        use crate::syndrome::AbortStatus;
        let (insns, now) = self.exact_counts();
        let access = WatchedAccess {
            kind,
            va,
            pa,
            size,
            value,
            pc: self.pc,
            el: self.pstate.el,
            insns,
            now,
        };
        match bus.watched_access(self.cfg.index, &access) {
            WatchVerdict::Proceed => Ok(()),
            WatchVerdict::SError(iss) => {
                self.inject_serror(iss);
                Ok(())
            }
            WatchVerdict::Ras(e) => {
                self.record_ras_error(&e);
                Ok(())
            }
            WatchVerdict::ExternalAbort => Err(match kind {
                WatchKind::Fetch => crate::Exc::insn_abort(AbortStatus::SyncExternal, va),
                _ => {
                    crate::Exc::data_abort(AbortStatus::SyncExternal, va, kind == WatchKind::Write)
                }
            }),
        }
    }
}

/// Walk memory for a translation table walk: guest RAM, with descriptor reads from watched
/// pages reported to the platform first (an External abort verdict becomes the walk's
/// Synchronous External abort at the level and stage being walked, R_ZRRRT's FSC
/// 0b0101LL; an SError or RAS verdict is kept in `verdict` for the CPU to apply).
pub(crate) struct WatchedWalk<'a, B: crate::Platform> {
    bus: &'a mut B,
    cpu: usize,
    /// Each report: kind Walk, the VA being translated and where the PE was (`pa` is set
    /// per read).
    report: WatchedAccess,
    /// What a watched read asked for (an SError or a RAS error), applied after the walk.
    pub(crate) verdict: Option<WatchVerdict>,
}

impl<'a, B: crate::Platform> WatchedWalk<'a, B> {
    /// Walk memory for translating `va` on CPU `cpu`.
    pub(crate) fn new(cpu: &crate::Cpu, bus: &'a mut B, va: u64) -> Self {
        // The exact counts cost a scan of the block; only observers need them.
        let (insns, now) = if bus.ram().any_watched() {
            cpu.exact_counts()
        } else {
            (cpu.insns, cpu.cycles)
        };
        let report = WatchedAccess {
            kind: WatchKind::Walk,
            va,
            pa: 0,
            size: 8,
            value: None,
            pc: cpu.pc,
            el: cpu.pstate.el,
            insns,
            now,
        };
        Self {
            bus,
            cpu: cpu.cfg.index,
            report,
            verdict: None,
        }
    }
}

impl<B: crate::Platform> mmu::walk::WalkMem for WatchedWalk<'_, B> {
    fn read_desc(&mut self, addr: u64) -> Result<u64, mmu::walk::WalkMemError> {
        let ram = self.bus.ram();
        if let Some(off) = ram.offset(addr, 8) {
            if ram.page_flags(off) & mmu::page_flag::WATCH != 0 {
                let access = WatchedAccess {
                    pa: addr,
                    ..self.report
                };
                match self.bus.watched_access(self.cpu, &access) {
                    WatchVerdict::Proceed => {}
                    WatchVerdict::ExternalAbort => return Err(mmu::walk::WalkMemError::External),
                    v => self.verdict = Some(v),
                }
            }
        }
        let mut ram = self.bus.ram();
        ram.read_desc(addr)
    }

    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, mmu::walk::WalkMemError> {
        let mut ram = self.bus.ram();
        ram.cas_desc(addr, old, new)
    }
}
