//! Self-hosted debug (Arm ARM D2): Breakpoint, Watchpoint and Software Step exceptions,
//! for a PE without EL3 (always Non-secure) and without halting debug.
//!
//! What costs nothing when unused: the debug registers are summarised in [`Armed`]
//! whenever a write may arm or disarm something (`effect::DEBUG`). Breakpoints put the
//! decode-cache sentinel on the slots whose page offset matches an armed address (every
//! VA aliasing the page sees it and re-checks), so only those instructions are checked;
//! watchpoints keep the pages they overlap out of the memory fast path, so only accesses
//! to those pages are checked; software step runs one instruction at a time while
//! MDSCR_EL1.SS is set.

use crate::bits::HCR_TGE;
use crate::exc::Exc;
use crate::flow::Exit;
use crate::platform::Platform;
use crate::state::Cpu;
use crate::syndrome::Syndrome;
use crate::sysreg::SR;

/// Breakpoints implemented (ID_AA64DFR0_EL1.BRPs + 1), as QEMU's `-cpu max`.
pub(crate) const BRPS: usize = 6;
/// Of those, the context-aware ones: the highest-numbered (CTX_CMPs + 1).
pub(crate) const CTX_CMPS: usize = 2;
/// Watchpoints implemented (ID_AA64DFR0_EL1.WRPs + 1).
pub(crate) const WRPS: usize = 4;

const BVR: [SR; BRPS] = [
    SR::DBGBVR0_EL1,
    SR::DBGBVR1_EL1,
    SR::DBGBVR2_EL1,
    SR::DBGBVR3_EL1,
    SR::DBGBVR4_EL1,
    SR::DBGBVR5_EL1,
];
const BCR: [SR; BRPS] = [
    SR::DBGBCR0_EL1,
    SR::DBGBCR1_EL1,
    SR::DBGBCR2_EL1,
    SR::DBGBCR3_EL1,
    SR::DBGBCR4_EL1,
    SR::DBGBCR5_EL1,
];
const WVR: [SR; WRPS] = [
    SR::DBGWVR0_EL1,
    SR::DBGWVR1_EL1,
    SR::DBGWVR2_EL1,
    SR::DBGWVR3_EL1,
];
const WCR: [SR; WRPS] = [
    SR::DBGWCR0_EL1,
    SR::DBGWCR1_EL1,
    SR::DBGWCR2_EL1,
    SR::DBGWCR3_EL1,
];

/// MDSCR_EL1: SS \[0\], TDCC \[12\], KDE \[13\], MDE \[15\] are kept; the debug
/// communication channel and halting bits read as zero (no external debugger).
pub(crate) const MDSCR_MASK: u64 = MDSCR_SS | (1 << 12) | MDSCR_KDE | MDSCR_MDE;
const MDSCR_SS: u64 = 1;
const MDSCR_KDE: u64 = 1 << 13;
const MDSCR_MDE: u64 = 1 << 15;
/// DBGBCR<n>_EL1: BT \[23:20\], LBN \[19:16\], SSC \[15:14\], HMC \[13\], BAS \[8:5\],
/// PMC \[2:1\], E \[0\]; the rest RES0.
pub(crate) const BCR_MASK: u64 = 0x00ff_e1e7;
/// DBGWCR<n>_EL1: MASK \[28:24\], WT \[20\], LBN \[19:16\], SSC \[15:14\], HMC \[13\],
/// BAS \[12:5\], LSC \[4:3\], PAC \[2:1\], E \[0\]; the rest RES0.
pub(crate) const WCR_MASK: u64 = 0x1f1f_ffff;
/// MDCR_EL2.TDE: debug exceptions from EL0/EL1 go to EL2.
const MDCR_TDE: u64 = 1 << 8;
/// The instruction-address bits a breakpoint compares: \[55:2\] (the top byte is a
/// sign extension in PC and RESS in DBGBVR).
const BVR_ADDR: u64 = 0x00ff_ffff_ffff_fffc;

/// What the debug registers arm, derived on every write that may change it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Armed {
    /// Instruction addresses (bits \[55:2\]) of enabled address breakpoints, while
    /// MDSCR_EL1.MDE = 1 and the OS lock is clear.
    pub(crate) bp_addrs: Vec<u64>,
    /// An enabled unlinked context breakpoint: it may match any instruction.
    pub(crate) bp_any: bool,
    /// Inclusive byte ranges of enabled watchpoints (same conditions).
    pub(crate) wp_ranges: Vec<(u64, u64)>,
    /// MDSCR_EL1.SS with the OS lock clear: the step state machine may be active.
    pub(crate) step: bool,
}

/// Software-step bookkeeping between instructions.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StepState {
    /// The last instruction was stepped (executed active-not-pending); EX: it was a
    /// Load-Exclusive. Gives the syndrome's ISV and EX.
    pub(crate) stepped: Option<bool>,
    /// Set by an exception return, which loads PSTATE.SS (DebugExceptionReturnSS) rather
    /// than advancing the step state machine.
    pub(crate) eret: bool,
    /// Set by a Load-Exclusive.
    pub(crate) ldex: bool,
}

impl Armed {
    /// Whether a watchpoint may match an access to the 4 KiB page of `va`: such pages
    /// stay out of the memory fast path.
    #[inline]
    pub(crate) fn watches_page(&self, va: u64) -> bool {
        let (lo, hi) = (va & !0xfff, va | 0xfff);
        self.wp_ranges.iter().any(|&(a, b)| a <= hi && b >= lo)
    }

    /// Whether an instruction at `pc` may hit a breakpoint: its slot gets the
    /// decode-cache sentinel. Only the page offset is compared, so that every VA
    /// mapping the same physical page sees the sentinel and checks for itself.
    #[inline]
    pub(crate) fn may_break(&self, pc: u64) -> bool {
        self.bp_any || self.bp_addrs.iter().any(|&a| (a ^ pc) & 0xffc == 0)
    }
}

impl Cpu {
    /// Re-derive [`Armed`] after a debug register, the OS lock or MDSCR_EL1 changed, and
    /// drop what the fast paths remember where the answer changed. Returns whether
    /// software step became armed (the run loop must switch to [`Cpu::run_stepping`]).
    pub(crate) fn debug_changed(&mut self) -> bool {
        let mdscr = self.sr.get(SR::MDSCR_EL1);
        let unlocked = !self.os_locked();
        let mde = unlocked && mdscr & MDSCR_MDE != 0;
        let mut a = Armed {
            step: unlocked && mdscr & MDSCR_SS != 0,
            ..Armed::default()
        };
        for n in 0..BRPS {
            let bcr = self.sr.get(BCR[n]);
            if !mde || bcr & 1 == 0 {
                continue;
            }
            match (bcr >> 20) & 0xf {
                0b0000 | 0b0001 => a.bp_addrs.push(self.sr.get(BVR[n]) & BVR_ADDR),
                bt if bt & 1 == 0 => a.bp_any = true,
                _ => {} // linked context types only qualify others
            }
        }
        for (n, &r) in WCR.iter().enumerate() {
            let wcr = self.sr.get(r);
            if mde && wcr & 1 != 0 && (wcr >> 3) & 3 != 0 {
                a.wp_ranges.push(self.watched_range(n));
            }
        }
        if a.bp_addrs != self.armed.bp_addrs || a.bp_any != self.armed.bp_any {
            self.dcache.flush(); // sentinels move
        }
        if a.wp_ranges != self.armed.wp_ranges {
            self.fast.flush(); // watched pages leave the fast path
        }
        let step_armed = a.step && !self.armed.step;
        self.armed = a;
        step_armed
    }

    /// OSLSR_EL1.OSLK: the OS lock disables every debug exception but BRK (D2.5).
    /// (FEAT_DoubleLock is not implemented: OSDLR_EL1.DLK has no effect.)
    fn os_locked(&self) -> bool {
        self.sr.get(SR::OSLSR_EL1) & 2 != 0
    }

    /// The debug target exception level ELd (D2.3): EL2 when HCR_EL2.TGE or
    /// MDCR_EL2.TDE is set, else EL1.
    fn debug_target(&self) -> u8 {
        let routed = self.hcr() & HCR_TGE != 0 || self.mdcr_el2() & MDCR_TDE != 0;
        if self.cfg.has_el2 && routed {
            2
        } else {
            1
        }
    }

    fn mdcr_el2(&self) -> u64 {
        if self.cfg.has_el2 {
            self.sr.get(SR::MDCR_EL2)
        } else {
            0
        }
    }

    /// AArch64.GenerateDebugExceptionsFrom (D2.4): debug exceptions are enabled at `el`
    /// with PSTATE.D = `d` when the OS lock is clear and either `el` is below ELd, or is
    /// ELd with MDSCR_EL1.KDE = 1 and `d` clear.
    pub(crate) fn debug_enabled_from(&self, el: u8, d: bool) -> bool {
        if self.os_locked() {
            return false;
        }
        let target = self.debug_target();
        if el == target {
            self.sr.get(SR::MDSCR_EL1) & MDSCR_KDE != 0 && !d
        } else {
            target > el
        }
    }

    fn debug_enabled_here(&self) -> bool {
        self.debug_enabled_from(self.pstate.el, self.pstate.daif & (1 << 9) != 0)
    }

    /// A debug exception from the current EL goes to ELd, or stays at EL2.
    fn debug_exc(&self, syndrome: Syndrome) -> Exc {
        Exc {
            target: Some(self.debug_target().max(self.pstate.el)),
            ..Exc::sync(syndrome)
        }
    }

    /// A BRK (AArch64.SoftwareBreakpoint): always enabled (not gated by the OS lock, KDE
    /// or PSTATE.D), and taken to ELd like every debug exception, so MDCR_EL2.TDE sends a
    /// guest's BRK to its hypervisor (KVM's software breakpoints rely on it).
    pub(crate) fn software_breakpoint(&self, imm16: u16) -> Exc {
        self.debug_exc(Syndrome::Brk(imm16))
    }

    /// AArch64.CheckBreakpoint for the instruction at PC (a sentinel slot): the
    /// Breakpoint exception, if an enabled breakpoint matches and debug exceptions are
    /// enabled here with MDSCR_EL1.MDE set.
    pub(crate) fn breakpoint_at_pc(&self) -> Option<Exc> {
        if self.sr.get(SR::MDSCR_EL1) & MDSCR_MDE == 0 || !self.debug_enabled_here() {
            return None;
        }
        let ispriv = self.pstate.el != 0;
        (0..BRPS)
            .any(|n| self.breakpoint_match(n, ispriv))
            .then(|| self.debug_exc(Syndrome::Breakpoint))
    }

    /// AArch64.BreakpointMatch: enabled, in the right state and matching its value.
    fn breakpoint_match(&self, n: usize, ispriv: bool) -> bool {
        let bcr = self.sr.get(BCR[n]);
        if bcr & 1 == 0 || !self.bp_value_match(n, false) {
            return false;
        }
        let linked = (bcr >> 20) & 0xf == 0b0001;
        self.state_match(bcr, (bcr >> 1) & 3, linked, ispriv)
    }

    /// AArch64.BreakpointValueMatch: breakpoint `n`'s address or context comparison.
    /// `linked_to`: asked on behalf of a linked breakpoint or watchpoint (only enabled
    /// linked context types answer then; they never match on their own).
    fn bp_value_match(&self, n: usize, linked_to: bool) -> bool {
        if n >= BRPS {
            return false;
        }
        let (bcr, bvr) = (self.sr.get(BCR[n]), self.sr.get(BVR[n]));
        if bcr & 1 == 0 {
            return false;
        }
        let bt = (bcr >> 20) & 0xf;
        let context_aware = n >= BRPS - CTX_CMPS;
        let match_addr = bt & 0b1110 == 0;
        // 0b010x (address mismatch) is AArch32 only; context types need a context-aware
        // breakpoint and, for VMID/EL2 ones, EL2: reserved values never match here (one
        // of the CONSTRAINED UNPREDICTABLE choices).
        if bt & 0b1110 == 0b0100
            || (!match_addr && !context_aware)
            || (bt & 0b1000 != 0 && !self.cfg.has_el2)
        {
            return false;
        }
        let linked = bt & 1 != 0;
        if linked_to != (linked && !match_addr) {
            return false;
        }
        let el = self.pstate.el;
        let host = self.e2h() && (el == 2 || (el == 0 && self.hcr() & HCR_TGE != 0));
        let ctx1 = self.sr.get(SR::CONTEXTIDR_EL1) & 0xffff_ffff;
        let ctx2 = self.sr.get(SR::CONTEXTIDR_EL2) & 0xffff_ffff;
        let guest = el < 2 && !host;
        let bvr_lo = bvr & 0xffff_ffff;
        let (match_cid, match_vmid) = (bt & 0b1110 == 0b0010, bt & 0b1100 == 0b1000);
        let match_cid1 = bt & 0b1110 == 0b1010 || bt & 0b0110 == 0b0110;
        let match_cid2 = bt & 0b1100 == 0b1100;
        let bvr_match = if match_addr {
            (self.pc ^ bvr) & BVR_ADDR == 0 && bcr & (1 << 5) != 0
        } else if match_cid {
            if host {
                ctx2 == bvr_lo
            } else {
                el < 2 && ctx1 == bvr_lo
            }
        } else {
            !match_cid1 || (guest && ctx1 == bvr_lo)
        };
        let vmid_bits = if self.sr.get(SR::VTCR_EL2) & (1 << 19) != 0 {
            0xffff
        } else {
            0xff
        };
        let bxvr_match = (!match_vmid
            || (guest && self.stage2_enabled() && self.vmid() as u64 == (bvr >> 32) & vmid_bits))
            && (!match_cid2 || ctx2 == bvr >> 32);
        bvr_match && bxvr_match
    }

    /// AArch64.StateMatch for a Non-secure PE without EL3: the EL and security-state
    /// controls of control register `cr` (SSC \[15:14\], HMC \[13\], `pxc`: PMC/PAC), and
    /// the linked context breakpoint (LBN \[19:16\]) when `linked`. `ispriv`: a
    /// privileged access (an unprivileged LDTR/STTR, like EL0, is not).
    fn state_match(&self, cr: u64, pxc: u64, linked: bool, ispriv: bool) -> bool {
        let (ssc, hmc) = ((cr >> 14) & 3, (cr >> 13) & 1);
        // SSC 0b10 is Secure only; 0b11 with HMC = 0 too.
        let security = match ssc {
            0b10 => false,
            0b11 => hmc == 1,
            _ => true,
        };
        let pl2 = self.cfg.has_el2 && ((hmc == 1 && (ssc << 2 | pxc) != 0b1000) || ssc == 0b11);
        let (pl1, pl0) = (pxc & 1 != 0, pxc & 2 != 0);
        let privilege = match (ispriv, self.pstate.el) {
            (false, _) | (true, 0) => pl0,
            (true, 1) => pl1,
            _ => pl2,
        };
        let lbn = ((cr >> 16) & 0xf) as usize;
        let link = !linked || self.bp_value_match(lbn, true); // an unimplemented LBN never matches
        security && privilege && link
    }

    /// The inclusive byte range watchpoint `n` covers (AArch64.WatchpointByteMatch): a
    /// 2^MASK-byte aligned block when MASK is set (reserved values 1 and 2 act as 3),
    /// else the bytes BAS selects in the doubleword (or, when DBGWVR bit 2 is set, the
    /// word) at DBGWVR. A non-contiguous BAS is treated as its whole span.
    fn watched_range(&self, n: usize) -> (u64, u64) {
        let (wcr, wvr) = (self.sr.get(WCR[n]), self.sr.get(WVR[n]));
        let mask = (wcr >> 24) & 0x1f;
        if mask != 0 {
            let size = 1u64 << mask.max(3);
            let base = wvr & !(size - 1);
            return (base, base + (size - 1));
        }
        let bas = (wcr >> 5) & 0xff;
        let (base, bas) = if wvr & 4 != 0 {
            (wvr & !3, bas & 0xf)
        } else {
            (wvr & !7, bas)
        };
        if bas == 0 {
            return (1, 0); // nothing: an empty range
        }
        let first = bas.trailing_zeros() as u64;
        let last = 63 - bas.leading_zeros() as u64;
        (base + first, base + last)
    }

    /// AArch64.CheckWatchpoint for a data access of `size` bytes at `va`, after its
    /// translation succeeded and before it happens: the Watchpoint exception (FAR = the
    /// lowest matching address) if an enabled watchpoint matches.
    #[cold]
    #[inline(never)]
    pub(crate) fn watchpoint_check(
        &self,
        va: u64,
        size: u64,
        write: bool,
        unpriv: bool,
        cm: bool,
    ) -> Result<(), Exc> {
        if self.sr.get(SR::MDSCR_EL1) & MDSCR_MDE == 0 || !self.debug_enabled_here() {
            return Ok(());
        }
        let ispriv = self.pstate.el != 0 && !unpriv;
        let last = va.wrapping_add(size - 1);
        let mut hit: Option<u64> = None;
        for (n, &r) in WCR.iter().enumerate() {
            let wcr = self.sr.get(r);
            let lsc = (wcr >> 3) & 3;
            let kind = if write { lsc & 2 != 0 } else { lsc & 1 != 0 };
            if wcr & 1 == 0 || !kind {
                continue;
            }
            let (lo, hi) = self.watched_range(n);
            if lo > hi || lo > last || hi < va {
                continue;
            }
            let linked = (wcr >> 20) & 1 != 0;
            if !self.state_match(wcr, (wcr >> 1) & 3, linked, ispriv) {
                continue;
            }
            let at = va.max(lo);
            hit = Some(hit.map_or(at, |h: u64| h.min(at)));
        }
        match hit {
            None => Ok(()),
            Some(far) => Err(Exc {
                far: Some(far),
                ..self.debug_exc(Syndrome::Watchpoint { wnr: write, cm })
            }),
        }
    }

    /// Whether software step is enabled here (CheckSoftwareStep): MDSCR_EL1.SS with
    /// debug exceptions enabled at this EL.
    fn step_enabled_here(&self) -> bool {
        self.sr.get(SR::MDSCR_EL1) & MDSCR_SS != 0 && self.debug_enabled_here()
    }

    /// SSAdvance: an instruction completed (or SVC/HVC is about to take its exception),
    /// so an active-not-pending step becomes active-pending.
    pub(crate) fn ss_advance(&mut self) {
        if self.sr.get(SR::MDSCR_EL1) & MDSCR_SS != 0 {
            self.pstate.ss = false;
        }
    }

    /// DebugExceptionReturnSS: PSTATE.SS after an exception return from the current
    /// state to EL `dest` with SPSR `spsr`: SPSR.SS when debug exceptions are disabled
    /// here and enabled at the destination, else 0.
    pub(crate) fn eret_ss(&self, spsr: u64, dest: u8) -> bool {
        let at_source = self.debug_enabled_here();
        let at_dest = self.debug_enabled_from(dest, spsr & (1 << 9) != 0);
        !at_source && at_dest && spsr & (1 << 21) != 0
    }

    /// Note a Load-Exclusive (the step syndrome's EX).
    #[inline(always)]
    pub(crate) fn note_ldex(&mut self) {
        self.stepping.ldex = true;
    }

    /// [`Cpu::run`] while MDSCR_EL1.SS is set: one instruction at a time through the
    /// state machine of D2.12. In the active-pending state (stepping enabled here,
    /// PSTATE.SS = 0) the Software Step exception is taken before anything else (as
    /// QEMU does: before a pending interrupt, so its ISV/EX describe the instruction
    /// just stepped); otherwise the instruction runs, and if it completed, SSAdvance.
    pub(crate) fn run_stepping<B: Platform>(&mut self, bus: &mut B, budget: u64) -> Exit {
        let mut left = budget;
        while left != 0 {
            let enabled = self.step_enabled_here();
            if enabled && !self.pstate.ss {
                left -= 1;
                let (isv, ex) = match self.stepping.stepped.take() {
                    Some(ex) => (true, ex),
                    None => (false, false),
                };
                let e = self.debug_exc(Syndrome::SoftwareStep { isv, ex });
                self.enter(bus, e);
                continue;
            }
            let (insns, exceptions) = (self.insns, self.exceptions);
            self.stepping.eret = false;
            self.stepping.ldex = false;
            let x = self.run_detailed(bus, 1);
            left -= 1;
            let completed = self.insns != insns && self.exceptions == exceptions;
            if completed && !self.stepping.eret {
                self.ss_advance();
            }
            self.stepping.stepped = (completed && enabled).then_some(self.stepping.ldex);
            if x != Exit::Budget {
                return x;
            }
            if !self.armed.step {
                // MDSCR_EL1.SS was cleared (or the OS lock set): back to blocks.
                return self.run(bus, left);
            }
        }
        Exit::Budget
    }
}
