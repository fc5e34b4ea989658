//! The state of one interrupt (SGI, PPI or SPI): the architectural
//! inactive / pending / active / active-and-pending machine plus its
//! configuration. The same type serves every class; only where it lives
//! (a redistributor for INTIDs 0-31, the distributor for SPIs) differs.

/// Interrupt group. With GICD_CTLR.DS = 1 there are exactly two: Group 0 is
/// signalled as FIQ, Group 1 as IRQ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Group {
    G0,
    G1,
}

impl Group {
    /// Index into per-group arrays (active-priority registers).
    pub(crate) fn index(self) -> usize {
        match self {
            Group::G0 => 0,
            Group::G1 => 1,
        }
    }
}

/// One interrupt's state and configuration.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Irq {
    /// GICx_ISENABLER / ICENABLER.
    pub(crate) enabled: bool,
    /// The pending latch: set by a rising edge (edge-triggered), by a write
    /// to ISPENDR, or by SGI generation; cleared by ICPENDR or acknowledge.
    pub(crate) latch: bool,
    /// Current level of the input wire, as the device last drove it.
    pub(crate) line: bool,
    /// Active state (acknowledged and not yet deactivated).
    pub(crate) active: bool,
    /// IGROUPR bit: true = Group 1.
    pub(crate) group1: bool,
    /// IPRIORITYR byte, already reduced to the implemented bits.
    pub(crate) priority: u8,
    /// ICFGR: true = edge-triggered, false = level-sensitive.
    pub(crate) edge: bool,
}

impl Irq {
    /// An SGI: always edge-triggered (GICR_ICFGR0 is read-only 0xAAAAAAAA).
    pub(crate) fn sgi() -> Self {
        Irq {
            edge: true,
            ..Irq::default()
        }
    }

    /// Pending as software sees it in ISPENDR: a level-sensitive interrupt
    /// is pending for as long as its line is high, even with no latch.
    pub(crate) fn pending(&self) -> bool {
        self.latch || (!self.edge && self.line)
    }

    /// May this interrupt be chosen as a highest-priority pending candidate?
    /// Active interrupts (including active-and-pending ones) are never
    /// re-signalled until they are deactivated.
    pub(crate) fn candidate(&self) -> bool {
        self.enabled && !self.active && self.pending()
    }

    /// Group as an enum.
    pub(crate) fn group(&self) -> Group {
        if self.group1 {
            Group::G1
        } else {
            Group::G0
        }
    }

    /// Drive the input wire. Edge-triggered interrupts latch on the rising
    /// edge only; level-sensitive ones follow the line (see `pending`).
    pub(crate) fn set_line(&mut self, level: bool) {
        if self.edge && level && !self.line {
            self.latch = true;
        }
        self.line = level;
    }

    /// Acknowledge (IAR read): pending becomes active. The latch is
    /// consumed; a level line that is still high leaves the interrupt active
    /// and pending, so it is taken again after deactivation.
    pub(crate) fn acknowledge(&mut self) {
        self.active = true;
        self.latch = false;
    }
}
