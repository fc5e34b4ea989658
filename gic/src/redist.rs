//! A redistributor (GICR): one per PE. Its RD_base frame identifies the PE
//! (GICR_TYPER) and carries the power handshake (GICR_WAKER); its SGI_base
//! frame holds the state of the PE's private interrupts, SGIs 0-15 and PPIs
//! 16-31.

use crate::bank;
use crate::irq::Irq;
use crate::lpi::{Lpis, PENDBASER_MASK, PROPBASER_MASK};
use crate::regs::{self, gicr, waker, PIDR0_GICR, SGI_BASE};

/// MPIDR_EL1 affinity bits: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8],
/// Aff0 [7:0]. GICD_IROUTER uses the same layout.
pub(crate) const MPIDR_AFF_MASK: u64 = 0xFF_00FF_FFFF;

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Redistributor {
    /// The owning PE's MPIDR affinity (MPIDR layout).
    pub(crate) mpidr: u64,
    /// GICR_TYPER.Processor_Number: the PE's index.
    processor_number: u16,
    /// GICR_TYPER.Last: final redistributor of the region.
    last: bool,
    /// GICR_WAKER.ProcessorSleep. While set, nothing is forwarded to the PE.
    pub(crate) sleep: bool,
    /// INTIDs 0-31 for this PE.
    pub(crate) private: [Irq; 32],
    /// Its LPIs (crate::lpi).
    #[serde(default)]
    pub(crate) lpis: Lpis,
}

impl Redistributor {
    pub(crate) fn new(mpidr: u64, index: usize, last: bool) -> Self {
        let mut private = [Irq::default(); 32];
        for sgi in &mut private[..16] {
            *sgi = Irq::sgi();
        }
        Redistributor {
            mpidr: mpidr & MPIDR_AFF_MASK,
            processor_number: index as u16,
            last,
            // Reset state: asleep until software clears ProcessorSleep.
            sleep: true,
            private,
            lpis: Lpis::default(),
        }
    }

    /// Affinity as GICR_TYPER[63:32] packs it: Aff3.Aff2.Aff1.Aff0.
    fn packed_affinity(&self) -> u64 {
        ((self.mpidr >> 32) << 24) | (self.mpidr & 0xFF_FFFF)
    }

    /// GICR_TYPER: affinity, Processor_Number, Last, PLPIS = 1 (physical LPIs).
    /// VLPIS, DirectLPI (LPIs are invalidated through the ITS), DPGS and PPInum are 0:
    /// no GICv4, 16 PPIs.
    fn typer(&self) -> u64 {
        (self.packed_affinity() << 32)
            | (u64::from(self.processor_number) << 8)
            | (u64::from(self.last) << 4)
            | 1
    }

    fn waker(&self) -> u32 {
        // ChildrenAsleep follows ProcessorSleep at once: there is no
        // interface to quiesce, so the handshake completes immediately.
        if self.sleep {
            waker::PROCESSOR_SLEEP | waker::CHILDREN_ASLEEP
        } else {
            0
        }
    }

    /// Read at `offset` within this redistributor's 128 KiB.
    pub(crate) fn read(&self, offset: u64, size: u8) -> u64 {
        if offset >= SGI_BASE {
            let o = offset - SGI_BASE;
            return bank::read(&self.private, 0, o, size).unwrap_or_else(|| {
                // IGRPMODR0 and NSACR are RAZ/WI with DS=1; the rest reserved.
                tracing::trace!(offset, size, "gic: GICR SGI_base RAZ read");
                0
            });
        }
        match (offset, size) {
            (gicr::TYPER, 8) => self.typer(),
            (gicr::TYPER, 4) => self.typer() & 0xFFFF_FFFF,
            (o, 4) if o == gicr::TYPER + 4 => self.typer() >> 32,
            // GICR_CTLR: EnableLPIs; no DPG, RWP and UWP always 0.
            (gicr::CTLR, 4) => u64::from(self.lpis.enabled),
            (gicr::IIDR, 4) => u64::from(regs::IIDR),
            (gicr::WAKER, 4) => u64::from(self.waker()),
            (gicr::PROPBASER, 8) => self.lpis.propbaser,
            (gicr::PENDBASER, 8) => self.lpis.pendbaser,
            (0x70..0x80, 4) => {
                let v = if offset < gicr::PENDBASER {
                    self.lpis.propbaser
                } else {
                    self.lpis.pendbaser
                };
                (v >> (8 * (offset & 4))) & 0xFFFF_FFFF
            }
            (o, 4) if o.is_multiple_of(4) => {
                // STATUSR and reserved space.
                u64::from(regs::id_reg(o, PIDR0_GICR).unwrap_or(0))
            }
            _ => {
                tracing::debug!(offset, size, "gic: bad-size GICR read, RAZ");
                0
            }
        }
    }

    /// Write at `offset` within this redistributor's 128 KiB.
    pub(crate) fn write(&mut self, offset: u64, size: u8, value: u64) {
        if offset >= SGI_BASE {
            if !bank::write(&mut self.private, 0, offset - SGI_BASE, size, value) {
                tracing::trace!(offset, size, value, "gic: GICR SGI_base write ignored");
            }
            return;
        }
        match (offset, size) {
            (gicr::WAKER, 4) => self.sleep = value as u32 & waker::PROCESSOR_SLEEP != 0,
            (gicr::CTLR, 4) => self.lpis.set_enabled(value & 1 != 0),
            // The table registers are fixed while LPIs are enabled (writes then are
            // UNPREDICTABLE: ignored).
            (0x70..0x80, 4 | 8) if !self.lpis.enabled && offset.is_multiple_of(size as u64) => {
                let reg = offset & !7;
                let old = if reg == gicr::PROPBASER {
                    self.lpis.propbaser
                } else {
                    self.lpis.pendbaser
                };
                let v = if size == 8 {
                    value
                } else {
                    let shift = 8 * (offset & 4);
                    (old & !(0xFFFF_FFFF << shift)) | ((value & 0xFFFF_FFFF) << shift)
                };
                if reg == gicr::PROPBASER {
                    self.lpis.propbaser = v & PROPBASER_MASK;
                } else {
                    self.lpis.pendbaser = v & PENDBASER_MASK;
                }
            }
            (_, 4) if offset.is_multiple_of(4) => {
                tracing::trace!(offset, value, "gic: GICR write ignored (RO or RAZ/WI)")
            }
            (0x70 | 0x78, 8) => {}
            _ => tracing::debug!(offset, size, value, "gic: bad-size GICR write ignored"),
        }
    }
}
