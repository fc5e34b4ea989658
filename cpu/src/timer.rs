//! The generic timers of one PE (Arm ARM D12 "The Generic Timer in AArch64 state"): the
//! EL1 physical (CNTP_*), EL1 virtual (CNTV_*), EL2 physical (CNTHP_*) and EL2 virtual
//! (CNTHV_*, FEAT_VHE) timers, counting the simulated clock. Their outputs are level-sensitive PPIs the board feeds to the GIC.

use crate::state::Cpu;
use crate::sysreg::SR;

/// CNTx_CTL bits.
const ENABLE: u64 = 1 << 0;
const IMASK: u64 = 1 << 1;
const ISTATUS: u64 = 1 << 2;

/// One of the PE's timers (its output is a [`crate::PeIrq`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// EL1 physical timer.
    Phys,
    /// EL1 virtual timer.
    Virt,
    /// EL2 physical timer.
    HypPhys,
    /// EL2 virtual timer (FEAT_VHE).
    HypVirt,
}

impl Timer {
    /// Every timer, in a fixed order.
    pub const ALL: [Timer; 4] = [Timer::Phys, Timer::Virt, Timer::HypPhys, Timer::HypVirt];

    fn regs(self) -> (SR, SR) {
        match self {
            Timer::Phys => (SR::CNTP_CTL_EL0, SR::CNTP_CVAL_EL0),
            Timer::Virt => (SR::CNTV_CTL_EL0, SR::CNTV_CVAL_EL0),
            Timer::HypPhys => (SR::CNTHP_CTL_EL2, SR::CNTHP_CVAL_EL2),
            Timer::HypVirt => (SR::CNTHV_CTL_EL2, SR::CNTHV_CVAL_EL2),
        }
    }
}

impl Cpu {
    /// Physical count (CNTPCT_EL0): the simulated clock, one tick per cycle at 1 GHz.
    #[inline]
    pub fn physical_count(&self) -> u64 {
        self.cycles
    }

    /// Offset of the virtual count from the physical count (CNTVOFF_EL2, 0 without EL2).
    fn voff(&self) -> u64 {
        if self.cfg.has_el2 {
            self.sr.get(SR::CNTVOFF_EL2)
        } else {
            0
        }
    }

    /// The offset CNTVCT_EL0 reads apply at the current EL: CNTVOFF_EL2, except in the
    /// FEAT_VHE host, where EL2 (E2H = 1) and EL0 ({E2H,TGE} = {1,1}) see the virtual count
    /// equal to the physical count (the CNTVCT_EL0 accessibility pseudocode; QEMU agrees).
    pub(crate) fn virtual_offset(&self) -> u64 {
        let host = match self.pstate.el {
            2 => self.e2h(),
            0 => self.in_host(),
            _ => false,
        };
        if host {
            0
        } else {
            self.voff()
        }
    }

    /// The count timer `t` compares against: the EL1 virtual timer counts with CNTVOFF_EL2;
    /// the EL2 virtual timer belongs to the E2H host, for which the offset is zero.
    fn count(&self, t: Timer) -> u64 {
        match t {
            Timer::Virt => self.cycles.wrapping_sub(self.voff()),
            _ => self.cycles,
        }
    }

    /// ISTATUS: the timer condition is met (enabled and count >= CVAL, unsigned).
    fn istatus(&self, t: Timer) -> bool {
        let (ctl, cval) = t.regs();
        self.sr.get(ctl) & ENABLE != 0 && self.count(t) >= self.sr.get(cval)
    }

    /// Level of the timer's interrupt output: condition met and not masked.
    pub fn timer_output(&self, t: Timer) -> bool {
        self.istatus(t) && self.sr.get(t.regs().0) & IMASK == 0
    }

    /// The earliest physical count at which an enabled, unmasked timer whose condition
    /// is not yet met will fire: how far the scheduler may run or idle this PE.
    pub fn next_timer_deadline(&self) -> Option<u64> {
        Timer::ALL
            .iter()
            .filter(|&&t| {
                let ctl = self.sr.get(t.regs().0);
                ctl & ENABLE != 0 && ctl & IMASK == 0 && !self.istatus(t)
            })
            .map(|&t| {
                let cval = self.sr.get(t.regs().1);
                match t {
                    Timer::Virt => cval.wrapping_add(self.voff()),
                    _ => cval,
                }
            })
            .min()
    }

    /// Let simulated time pass while the PE idles (WFI), up to `count`.
    pub fn idle_until(&mut self, count: u64) {
        self.cycles = self.cycles.max(count);
    }

    pub(crate) fn timer_ctl_read(&self, t: Timer) -> u64 {
        let ctl = self.sr.get(t.regs().0) & (ENABLE | IMASK);
        ctl | if self.istatus(t) { ISTATUS } else { 0 }
    }

    pub(crate) fn timer_ctl_write(&mut self, t: Timer, v: u64) {
        self.sr.set(t.regs().0, v & (ENABLE | IMASK));
    }

    /// TVAL reads as the signed 32-bit distance CVAL - count (D12.2.4).
    pub(crate) fn timer_tval_read(&self, t: Timer) -> u64 {
        let d = self.sr.get(t.regs().1).wrapping_sub(self.count(t));
        d as i32 as i64 as u64
    }

    /// Writing TVAL sets CVAL = count + SignExtend(TVAL[31:0]).
    pub(crate) fn timer_tval_write(&mut self, t: Timer, v: u64) {
        let cval = self.count(t).wrapping_add(v as i32 as i64 as u64);
        self.sr.set(t.regs().1, cval);
    }
}

impl Cpu {
    /// When a timer event stream (D12.2.3) next generates an event for this PE, as a
    /// physical count. CNTKCTL_EL1.EVNTEN watches bit EVNTI of the virtual count, and
    /// CNTHCTL_EL2.EVNTEN (same field positions in both of its layouts; a VHE host programs
    /// it through CNTKCTL_EL1) that of the physical count: the bit toggles every 2^EVNTI
    /// ticks, so an event arrives at the next multiple of that period (the EVNTDIR edge
    /// choice only shifts the phase, which a WFE-based delay loop tolerates).
    pub fn next_event_stream(&self) -> Option<u64> {
        let next = |ctl: u64, count: u64| {
            (ctl & (1 << 2) != 0).then(|| {
                let period = 1u64 << ((ctl >> 4) & 0xf);
                self.cycles + (period - count % period)
            })
        };
        let el1 = next(self.sr.get(SR::CNTKCTL_EL1), self.count(Timer::Virt));
        let el2 = if self.cfg.has_el2 {
            next(self.sr.get(SR::CNTHCTL_EL2), self.cycles)
        } else {
            None
        };
        el1.into_iter().chain(el2).min()
    }
}
