//! A GICv3 interrupt controller for hypsim: distributor, one redistributor
//! per PE, and the system-register CPU interface (ICC_*).
//!
//! It is a bus-agnostic state machine. The board decodes addresses and
//! calls [`Gic::dist_read`]/[`Gic::redist_read`] with offsets inside the GIC
//! frames, drives device and timer wires with [`Gic::set_spi_level`] and
//! [`Gic::set_ppi_level`], forwards ICC_* MRS/MSR through [`Gic::icc_read`]
//! and [`Gic::icc_write`], and polls [`Gic::irq_lines`] for what each PE
//! sees. The crate depends on neither the CPU nor the memory model.
//!
//! Scope: one Security state (GICD_CTLR.DS = 1, as on a board without EL3),
//! affinity routing always on (ARE RAO/WI), physical LPIs and one ITS
//! ([`Gic::its_read`]/[`Gic::its_write`], which read the guest memory the
//! board lends through [`GicMemory`]), no GICv4, no GICv2 memory-mapped CPU
//! interface. The virtual CPU interface (ICH_*_EL2, ICV_*) lives in the CPU
//! crate and uses [`Gic::deactivate_physical`].
//!
//! Identification and feature values, and why:
//! - GICD_IIDR = GICR_IIDR = 0x43B (Arm, product 0): matches no Linux quirk.
//! - GICD_PIDR2 = GICR_PIDR2 = 0x3B: ArchRev 3 (GICv3), what Linux probes.
//! - GICD_TYPER: ITLinesNumber from the SPI count, IDbits = 15 (16-bit
//!   INTIDs), A3V = 1, LPIS = 1, MBIS = ESPI = SecurityExtn = RSS = No1N = 0.
//! - GICD_CTLR: DS and ARE read as 1; RWP always 0 (writes are synchronous).
//! - GICR_TYPER: Affinity = the PE's MPIDR Aff3.Aff2.Aff1.Aff0,
//!   Processor_Number = PE index, Last on the final PE, PLPIS = 1, no VLPIs.
//! - ICC_CTLR_EL1: PRIbits = 4 (5 bits, 32 levels), IDbits = 0 (16-bit,
//!   agreeing with GICD_TYPER), A3V = 1 (agreeing with GICD_TYPER),
//!   SEIS = RSS = ExtRange = 0; CBPR and EOImode writable.
//! - ICC_SRE_EL1/EL2: SRE, DFB, DIB RAO/WI; ICC_SRE_EL2.Enable writable
//!   (reset 1, so a kernel entered at EL1 can reach ICC_SRE_EL1).
//!
//! Choices where the architecture leaves room:
//! - A redistributor with GICR_WAKER.ProcessorSleep = 1 (its reset state)
//!   forwards nothing to its PE, as on hardware. Firmware wakes a PE's
//!   redistributor when it powers the PE on (the board does, standing in for
//!   it: [`Gic::set_processor_sleep`]), and software may put it back to sleep.
//!   (QEMU does not gate on it.)
//! - 1-of-N SPIs (IROUTER.IRM = 1) go to the lowest-numbered PE that is
//!   awake and has the interrupt's group enabled.
//! - SGIs: ICC_SGI1R_EL1 sets an SGI pending whichever group the target
//!   configured; ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 reach Group 0 SGIs only.
//! - An EOIR write whose group does not own the highest active priority, or
//!   that names a special or unimplemented INTID, is ignored.

#![deny(missing_docs)]

mod bank;
mod cpuif;
mod dist;
mod icc;
mod irq;
mod its;
mod lpi;
mod prio;
mod redist;
pub mod regs;
mod route;
mod sgi;

use cpuif::CpuInterface;
use dist::Distributor;
use irq::Irq;
use redist::Redistributor;

pub use icc::{IccAccess, IccReg};
pub use regs::{DIST_SIZE, ITS_SIZE, REDIST_STRIDE};

/// Guest memory, as the LPI and ITS machinery reads it (the LPI configuration table,
/// the ITS command queue). The board implements it over its RAM.
pub trait GicMemory {
    /// Fill `buf` from physical address `pa`; false (and `buf` untouched) if that range
    /// is not all RAM.
    fn read(&self, pa: u64, buf: &mut [u8]) -> bool;
}

/// The interrupt request lines of one PE, as the GIC drives them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IrqLines {
    /// A Group 1 interrupt can be taken (physical IRQ).
    pub irq: bool,
    /// A Group 0 interrupt can be taken (physical FIQ).
    pub fiq: bool,
}

/// The whole GICv3: distributor, redistributors and CPU interfaces.
/// Serialisable for the board's snapshots (the whole state; `scratch` is a buffer).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Gic {
    dist: Distributor,
    redists: Vec<Redistributor>,
    cpus: Vec<CpuInterface>,
    #[serde(default)]
    its: its::Its,
    /// The SPI count asked for, kept so `reset` rebuilds the same GIC.
    requested_spis: u32,
    /// Per-PE working buffer for `update`, kept to avoid an allocation per
    /// state change.
    #[serde(skip)]
    scratch: Vec<Option<cpuif::Hppi>>,
}

impl Gic {
    /// A GIC in its reset state for PEs with the given MPIDR affinity values
    /// (one redistributor each, in this order) and `num_spis` SPIs (INTIDs
    /// 32..). The SPI count is rounded up to a multiple of 32, which is all
    /// GICD_TYPER can describe, and capped at 988 (INTID 1019).
    pub fn new(mpidrs: &[u64], num_spis: u32) -> Self {
        let n = mpidrs.len();
        Gic {
            dist: Distributor::new(num_spis),
            redists: mpidrs
                .iter()
                .enumerate()
                .map(|(i, &m)| Redistributor::new(m, i, i + 1 == n))
                .collect(),
            cpus: (0..n).map(|_| CpuInterface::new()).collect(),
            its: its::Its::default(),
            requested_spis: num_spis,
            scratch: Vec::with_capacity(n),
        }
    }

    /// Return every register and interrupt to its reset state.
    pub fn reset(&mut self) {
        let mpidrs: Vec<u64> = self.redists.iter().map(|r| r.mpidr).collect();
        *self = Gic::new(&mpidrs, self.requested_spis);
    }

    /// Number of PEs (redistributors and CPU interfaces).
    pub fn num_cpus(&self) -> usize {
        self.cpus.len()
    }

    /// Whether `other` (e.g. a deserialized snapshot) has this GIC's dimensions: the same
    /// PEs, redistributors and SPIs, so every index stays in range once it replaces it.
    pub fn same_shape(&self, other: &Gic) -> bool {
        self.cpus.len() == other.cpus.len()
            && self.redists.len() == other.redists.len()
            && self.dist.spis.len() == other.dist.spis.len()
            && self.dist.irouter.len() == other.dist.irouter.len()
            && self.requested_spis == other.requested_spis
    }

    /// Number of implemented SPIs (INTIDs 32 .. 32 + this).
    pub fn num_spis(&self) -> u32 {
        self.dist.num_intids() - 32
    }

    /// Size of the redistributor region the board must map.
    pub fn redist_region_size(&self) -> u64 {
        REDIST_STRIDE * self.redists.len() as u64
    }

    /// Read from the distributor frame (64 KiB). Unsupported sizes and
    /// offsets read as zero.
    pub fn dist_read(&mut self, offset: u64, size: u8) -> u64 {
        self.dist.read(offset, size)
    }

    /// Write to the distributor frame. Unsupported accesses are ignored.
    pub fn dist_write(&mut self, offset: u64, size: u8, value: u64) {
        self.dist.write(offset, size, value);
        self.update();
    }

    /// Read from the redistributor region: PE i owns
    /// `[i * REDIST_STRIDE, (i + 1) * REDIST_STRIDE)`, RD_base then SGI_base.
    pub fn redist_read(&mut self, offset: u64, size: u8) -> u64 {
        match self.redist_at(offset) {
            Some((rd, within)) => rd.read(within, size),
            None => {
                tracing::debug!(offset, size, "gic: read beyond the last redistributor, RAZ");
                0
            }
        }
    }

    /// Write to the redistributor region (layout as for `redist_read`).
    pub fn redist_write(&mut self, offset: u64, size: u8, value: u64) {
        match self.redist_at(offset) {
            Some((rd, within)) => rd.write(within, size, value),
            None => {
                tracing::debug!(
                    offset,
                    size,
                    value,
                    "gic: write beyond the last redistributor ignored"
                );
                return;
            }
        }
        self.update();
    }

    /// Read from the ITS (its control frame, then its translation frame).
    pub fn its_read(&mut self, offset: u64, size: u8) -> u64 {
        self.its.read(offset, size)
    }

    /// Write to the ITS: a GITS_CWRITER write runs the queued commands (reading them from
    /// `mem`), a GITS_TRANSLATER write signals an event; the LPIs they make pending,
    /// clear, invalidate or move reach the redistributors at once.
    pub fn its_write(&mut self, mem: &impl GicMemory, offset: u64, size: u8, value: u64) {
        let effects = self.its.write(mem, offset, size, value);
        if effects.is_empty() {
            return;
        }
        for e in effects {
            let rd = |pe: usize| pe < self.redists.len();
            match e {
                its::Effect::Pend { pe, intid } if rd(pe) => {
                    self.redists[pe].lpis.set_pending(mem, intid)
                }
                its::Effect::Clear { pe, intid } if rd(pe) => {
                    self.redists[pe].lpis.clear_pending(intid)
                }
                its::Effect::Inv { pe, intid } if rd(pe) => {
                    self.redists[pe].lpis.invalidate(mem, intid)
                }
                its::Effect::Move { from, to, intid } if rd(from) && rd(to) => {
                    if self.redists[from].lpis.take_pending(intid) {
                        self.redists[to].lpis.set_pending(mem, intid);
                    }
                }
                its::Effect::MoveAll { from, to } if rd(from) && rd(to) && from != to => {
                    for intid in self.redists[from].lpis.take_all() {
                        self.redists[to].lpis.set_pending(mem, intid);
                    }
                }
                e => tracing::debug!(?e, "gic: ITS effect on a PE that does not exist ignored"),
            }
        }
        self.update();
    }

    /// Set GICR_WAKER.ProcessorSleep of PE `cpu`'s redistributor, as power management
    /// firmware does when it powers a PE up or down: TF-A marks the redistributor awake
    /// in its CPU-on path and asleep in its CPU-off path (gicv3_cpuif_enable/disable).
    /// hypsim serves PSCI itself, so the board does it: a kernel is entered, and a
    /// CPU_ON target starts, with its redistributor awake, as on a machine with firmware.
    pub fn set_processor_sleep(&mut self, cpu: usize, sleep: bool) {
        if let Some(rd) = self.redists.get_mut(cpu) {
            rd.sleep = sleep;
            self.update();
        }
    }

    /// Drive the input wire of SPI `intid` (32..). Level-sensitive SPIs are
    /// pending while it is high; edge-triggered ones latch on a rising edge.
    pub fn set_spi_level(&mut self, intid: u32, level: bool) {
        match self.dist.spi_mut(intid) {
            Some(irq) if irq.line != level => irq.set_line(level),
            Some(_) => return,
            None => {
                tracing::debug!(intid, level, "gic: set_spi_level on a non-SPI ignored");
                return;
            }
        }
        self.update();
    }

    /// Drive the input wire of PPI `intid` (16..=31) of PE `cpu`: timers,
    /// PMU, the virtual-interface maintenance interrupt.
    pub fn set_ppi_level(&mut self, cpu: usize, intid: u32, level: bool) {
        let irq = match (self.redists.get_mut(cpu), intid) {
            (Some(rd), 16..=31) => &mut rd.private[intid as usize],
            _ => {
                tracing::debug!(cpu, intid, level, "gic: set_ppi_level on a non-PPI ignored");
                return;
            }
        };
        if irq.line != level {
            irq.set_line(level);
            self.update();
        }
    }

    /// MRS of an ICC_* register by PE `cpu`. Reading ICC_IAR0/1_EL1
    /// acknowledges the interrupt it returns (1023 when none can be taken).
    /// Write-only registers and unknown PEs read as zero.
    pub fn icc_read(&mut self, cpu: usize, reg: IccReg) -> u64 {
        if cpu >= self.cpus.len() {
            tracing::debug!(cpu, ?reg, "gic: ICC read from an unknown PE, RAZ");
            return 0;
        }
        let v = self.cpu_read(cpu, reg);
        if matches!(reg, IccReg::Iar0 | IccReg::Iar1) {
            self.update();
        }
        v
    }

    /// MSR of an ICC_* register by PE `cpu`: priority mask, binary points,
    /// EOI, deactivation, SGI generation (ICC_SGI1R_EL1 to Aff3.Aff2.Aff1 +
    /// TargetList, or IRM = 1 for all PEs but the sender), group enables.
    pub fn icc_write(&mut self, cpu: usize, reg: IccReg, value: u64) {
        if cpu >= self.cpus.len() {
            tracing::debug!(
                cpu,
                ?reg,
                value,
                "gic: ICC write from an unknown PE ignored"
            );
            return;
        }
        self.cpu_write(cpu, reg, value);
        self.update();
    }

    /// Deactivate physical interrupt `intid` of PE `cpu` (SGIs/PPIs in its redistributor,
    /// SPIs in the distributor): what a guest's EOI of a virtual interrupt tied to it by
    /// ICH_LR<n>_EL2.HW does.
    pub fn deactivate_physical(&mut self, cpu: usize, intid: u32) {
        if cpu < self.cpus.len() {
            self.deactivate(cpu, intid);
            self.update();
        }
    }

    /// The IRQ and FIQ lines of PE `cpu`: asserted when its highest-priority
    /// pending interrupt is above both the priority mask and the running
    /// priority; Group 1 drives IRQ, Group 0 drives FIQ.
    pub fn irq_lines(&self, cpu: usize) -> IrqLines {
        self.cpus.get(cpu).map(|c| c.lines).unwrap_or_default()
    }

    /// Redistributor owning `offset` and the offset within it.
    fn redist_at(&mut self, offset: u64) -> Option<(&mut Redistributor, u64)> {
        let index = usize::try_from(offset / REDIST_STRIDE).ok()?;
        Some((self.redists.get_mut(index)?, offset % REDIST_STRIDE))
    }

    /// The state of `intid` as `cpu` sees it: its own SGIs/PPIs or an SPI.
    fn private_or_spi_mut(&mut self, cpu: usize, intid: u32) -> Option<&mut Irq> {
        if intid < 32 {
            self.redists
                .get_mut(cpu)
                .map(|rd| &mut rd.private[intid as usize])
        } else {
            self.dist.spi_mut(intid)
        }
    }
}
