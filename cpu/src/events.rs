//! Events a PE reports to its platform as they happen (DESIGN.md §9): the timeline, traces,
//! gdb, SPE export and checkers subscribe through [`crate::Platform::on_event`], whose
//! default is empty and monomorphised away, so a board that does not listen pays nothing.
//! Every event comes from a path that is already slow (exception entry, MMIO, TLB
//! maintenance, system-register writes); none is raised per ordinary instruction.

use crate::regime::TlbiOp;
use crate::sysreg::SR;

/// Something a PE did that observers may want to see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// An exception was taken (synchronous, IRQ, FIQ or SError).
    ExceptionEntry {
        /// Vector entry kind.
        kind: crate::ExcKind,
        /// ESR_ELx as written (0 for IRQ/FIQ).
        esr: u64,
        /// EL the exception was taken from.
        from_el: u8,
        /// EL it was taken to.
        to_el: u8,
        /// The preferred return address (ELR_ELx).
        elr: u64,
        /// The vector address execution continues at.
        vector: u64,
        /// FAR_ELx as written, for the classes that write it.
        far: Option<u64>,
        /// Whether taking it consumed the pending physical SError (a virtual SError,
        /// which only clears HCR_EL2.VSE, does not).
        physical_serror: bool,
    },
    /// ESB deferred the pending physical SError: its syndrome went to DISR_EL1 (FEAT_RAS)
    /// and it is no longer pending.
    SErrorDeferred {
        /// DISR_EL1 as written.
        disr: u64,
    },
    /// ERET.
    ExceptionReturn {
        /// EL the ERET executed at.
        from_el: u8,
        /// EL after it (the same EL for an illegal exception return).
        to_el: u8,
        /// Where execution continues (ELR_ELx).
        pc: u64,
    },
    /// WFI (`wfe` false) or WFE that will wait.
    Wait {
        /// WFE rather than WFI.
        wfe: bool,
    },
    /// A TLB maintenance instruction, applied to this PE (`broadcast`: and to the Inner
    /// Shareable domain).
    Tlbi {
        /// What was invalidated.
        op: TlbiOp,
        /// Whether the board applies it to the other PEs too.
        broadcast: bool,
    },
    /// A device access (outside RAM), after it completed.
    Mmio {
        /// Physical address.
        pa: u64,
        /// Bytes.
        size: u8,
        /// Write (else read).
        write: bool,
        /// The value read or written (0 for an unmapped address).
        value: u64,
        /// Whether a device answered (false: an external abort follows).
        mapped: bool,
    },
    /// A write to a register that configures translation (TTBR, TCR, SCTLR, MAIR, HCR,
    /// VTTBR, VTCR): the translation context may have changed.
    ContextChange {
        /// The register written.
        reg: SR,
        /// Its new value.
        value: u64,
    },
    /// Execution reached a PC trigger ([`crate::Cpu::set_pc_trigger`]); the instruction
    /// there has not executed yet. The run stops with [`crate::Exit::Trigger`].
    Trigger {
        /// The trigger's virtual address.
        pc: u64,
    },
}
