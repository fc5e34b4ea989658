//! Choosing, for each PE, the highest-priority pending interrupt (HPPI) and
//! turning it into the IRQ/FIQ lines the PE sees. The choice is cached and
//! refreshed after every state change, so `Gic::irq_lines` is a plain load
//! on the CPU's hot path.

use crate::cpuif::Hppi;
use crate::dist::IROUTER_IRM;
use crate::irq::{Group, Irq};
use crate::redist::MPIDR_AFF_MASK;
use crate::{Gic, IrqLines};

impl Gic {
    /// Recompute every PE's HPPI and lines.
    pub(crate) fn update(&mut self) {
        // Reuse one buffer: this runs after every state change.
        let mut best = std::mem::take(&mut self.scratch);
        best.clear();
        best.resize(self.cpus.len(), None);

        for (cpu, rd) in self.redists.iter().enumerate() {
            if rd.sleep {
                continue;
            }
            for (intid, irq) in rd.private.iter().enumerate() {
                if self.deliverable(cpu, irq) {
                    offer(&mut best[cpu], intid as u32, irq);
                }
            }
        }

        for (i, irq) in self.dist.spis.iter().enumerate() {
            if !irq.candidate() || !self.dist.group_enabled(irq.group()) {
                continue;
            }
            if let Some(cpu) = self.spi_target(self.dist.irouter[i], irq.group()) {
                if self.deliverable(cpu, irq) {
                    offer(&mut best[cpu], 32 + i as u32, irq);
                }
            }
        }

        // LPIs (INTIDs above every SPI, offered last): Group 1, no active state.
        if self.dist.group_enabled(Group::G1) {
            for (cpu, rd) in self.redists.iter().enumerate() {
                if rd.sleep || !self.cpus[cpu].group_enabled(Group::G1) {
                    continue;
                }
                if let Some((intid, priority)) = rd.lpis.best() {
                    offer_lpi(&mut best[cpu], intid, priority);
                }
            }
        }

        for (c, &hppi) in self.cpus.iter_mut().zip(&best) {
            c.hppi = hppi;
            c.lines = match hppi {
                Some(h) if c.can_signal(&h) => IrqLines {
                    irq: h.group == Group::G1,
                    fiq: h.group == Group::G0,
                },
                _ => IrqLines::default(),
            };
        }
        self.scratch = best;
    }

    /// Can `irq` reach `cpu`'s CPU interface: a pending, enabled, inactive
    /// interrupt of a group enabled in both the distributor and the PE's
    /// interface, with the PE's redistributor awake.
    fn deliverable(&self, cpu: usize, irq: &Irq) -> bool {
        let group = irq.group();
        irq.candidate()
            && self.dist.group_enabled(group)
            && self.cpus[cpu].group_enabled(group)
            && !self.redists[cpu].sleep
    }

    /// The PE an SPI is routed to. IRM = 0: the PE whose affinity matches
    /// IROUTER exactly (none if no PE has it). IRM = 1 (1-of-N): the
    /// lowest-numbered PE that is awake and has the interrupt's group
    /// enabled, so the choice is deterministic.
    fn spi_target(&self, irouter: u64, group: Group) -> Option<usize> {
        if irouter & IROUTER_IRM != 0 {
            (0..self.cpus.len())
                .find(|&c| !self.redists[c].sleep && self.cpus[c].group_enabled(group))
        } else {
            let aff = irouter & MPIDR_AFF_MASK;
            self.redists.iter().position(|rd| rd.mpidr == aff)
        }
    }
}

/// [`offer`] for an LPI, whose state lives in its redistributor (crate::lpi).
fn offer_lpi(best: &mut Option<Hppi>, intid: u32, priority: u8) {
    if best.is_none_or(|b| priority < b.priority) {
        *best = Some(Hppi {
            intid,
            priority,
            group: Group::G1,
        });
    }
}

/// Keep the better of the current best and `irq`: lower priority value wins;
/// on a tie the lower INTID, which callers guarantee by offering in
/// ascending INTID order.
fn offer(best: &mut Option<Hppi>, intid: u32, irq: &Irq) {
    if best.is_none_or(|b| irq.priority < b.priority) {
        *best = Some(Hppi {
            intid,
            priority: irq.priority,
            group: irq.group(),
        });
    }
}
