//! What the CPU needs from the machine beyond memory: the system registers it does not own
//! itself (the GIC CPU interface, ICC_*), which the board routes to its interrupt
//! controller. `cpu` never names the GIC; the board implements this trait.

use mmu::Bus;

/// Encoding of a system register access routed to the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SysRegAccess {
    /// op0, op1, CRn, CRm, op2.
    pub op0: u32,
    /// op1.
    pub op1: u32,
    /// CRn.
    pub crn: u32,
    /// CRm.
    pub crm: u32,
    /// op2.
    pub op2: u32,
    /// Index of the accessing CPU (Aff0).
    pub cpu: usize,
    /// Exception level of the access.
    pub el: u8,
}

/// The machine a CPU runs in: its bus plus platform-owned system registers.
pub trait Platform: Bus {
    /// MRS of a register the CPU's own table lacks: `Some(value)` if the platform
    /// implements it, `None` for UNDEFINED.
    fn sysreg_read(&mut self, _acc: SysRegAccess) -> Option<u64> {
        None
    }
    /// MSR of such a register: `true` if the platform implements it.
    fn sysreg_write(&mut self, _acc: SysRegAccess, _value: u64) -> bool {
        false
    }
    /// Take PE `cpu`'s interrupt outputs (timers, PMU, maintenance) into the interrupt
    /// controller, bring device lines up to date, and return the physical IRQ and FIQ
    /// lines the controller now drives for `cpu` (`None`: no interrupt controller). The
    /// CPU calls it after anything that may change a line, so interrupts are taken
    /// before the next instruction.
    fn sync_interrupts(
        &mut self,
        _cpu: usize,
        _outputs: crate::PeIrqLevels,
    ) -> Option<(bool, bool)> {
        None
    }
    /// CPU `cpu` reports an event (crate::events). Empty by default: a platform that does
    /// not listen pays nothing.
    #[inline(always)]
    fn on_event(&mut self, _cpu: usize, _event: crate::Event) {}
    /// CPU `cpu` is about to access a RAM page flagged WATCH
    /// ([`mmu::GuestRam::set_watch`]): a read, write, instruction fetch or table walk
    /// (crate::watch). The verdict lets it happen, fails it with an External abort, or
    /// makes an SError pending. Only watched pages pay for this call.
    fn watched_access(
        &mut self,
        _cpu: usize,
        _access: &crate::WatchedAccess,
    ) -> crate::WatchVerdict {
        crate::WatchVerdict::Proceed
    }
    /// Deactivate physical interrupt `intid` for CPU `cpu`: a virtual interrupt tied to it
    /// (ICH_LR<n>_EL2.HW = 1) was deactivated by the guest (GICv3 6.x, "hardware
    /// interrupts").
    fn deactivate_interrupt(&mut self, _cpu: usize, _intid: u32) {}
}
