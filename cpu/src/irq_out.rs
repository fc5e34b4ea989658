//! The interrupt outputs of a PE (its timers, the PMU overflow request and the GIC virtual
//! interface's maintenance interrupt), named rather than numbered: which INTID each one
//! drives is the board's wiring table, not the core's business.

use crate::state::Cpu;
use crate::timer::Timer;

/// One interrupt output of a PE; the board wires each to a PPI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeIrq {
    /// EL1 physical timer (CNTP).
    TimerPhys,
    /// EL1 virtual timer (CNTV).
    TimerVirt,
    /// EL2 physical timer (CNTHP).
    TimerHypPhys,
    /// EL2 virtual timer (CNTHV, FEAT_VHE).
    TimerHypVirt,
    /// PMU overflow interrupt request.
    Pmu,
    /// GIC virtual CPU interface maintenance interrupt.
    Maintenance,
    /// RAS fault handling interrupt of the PE's error records (crate::ras).
    RasFault,
    /// RAS error recovery interrupt of the PE's error records.
    RasRecovery,
    /// SPE Profiling Buffer management interrupt (PMBIRQ, crate::spe_unit).
    SpeBuffer,
}

impl PeIrq {
    /// Every output, in a fixed order (bit `i` of [`PeIrqLevels`] is `ALL[i]`).
    pub const ALL: [PeIrq; 9] = [
        PeIrq::TimerPhys,
        PeIrq::TimerVirt,
        PeIrq::TimerHypPhys,
        PeIrq::TimerHypVirt,
        PeIrq::Pmu,
        PeIrq::Maintenance,
        PeIrq::RasFault,
        PeIrq::RasRecovery,
        PeIrq::SpeBuffer,
    ];
}

/// The levels of every [`PeIrq`] at one instant, one bit per output in `PeIrq::ALL` order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeIrqLevels(pub u16);

impl PeIrqLevels {
    /// Level of output `o`.
    pub fn get(self, o: PeIrq) -> bool {
        self.0 & (1 << o as u8) != 0
    }
}

impl Cpu {
    /// Level of one interrupt output now.
    pub fn irq_output(&self, o: PeIrq) -> bool {
        match o {
            PeIrq::TimerPhys => self.timer_output(Timer::Phys),
            PeIrq::TimerVirt => self.timer_output(Timer::Virt),
            PeIrq::TimerHypPhys => self.timer_output(Timer::HypPhys),
            PeIrq::TimerHypVirt => self.timer_output(Timer::HypVirt),
            PeIrq::Pmu => self.pmu_irq(),
            PeIrq::Maintenance => self.maintenance_interrupt(),
            PeIrq::RasFault => self.ras_fault_irq(),
            PeIrq::RasRecovery => self.ras_recovery_irq(),
            PeIrq::SpeBuffer => self.pmbirq(),
        }
    }

    /// Levels of every output now.
    pub fn irq_outputs(&self) -> PeIrqLevels {
        let mut v = 0;
        for (i, &o) in PeIrq::ALL.iter().enumerate() {
            v |= (self.irq_output(o) as u16) << i;
        }
        PeIrqLevels(v)
    }

    /// The one way interrupt state is re-evaluated from inside an instruction: after
    /// anything that may change a line (an MMIO access, a GIC CPU-interface register,
    /// a timer, PMU or ICH_* register write), hand this PE's outputs to the platform and
    /// take the physical IRQ/FIQ lines it returns, before the next instruction.
    #[cold]
    pub(crate) fn sync_interrupts<B: crate::Platform>(&mut self, bus: &mut B) {
        let outs = self.irq_outputs();
        if let Some((irq, fiq)) = bus.sync_interrupts(self.cfg.index, outs) {
            self.set_irq_lines(irq, fiq);
        }
        // Virtual lines (HCR_EL2.VI/VF, list registers) may have changed too.
        self.dcache.unlink();
    }
}
