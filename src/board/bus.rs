//! The board's physical bus: guest RAM plus the MMIO devices of [`super::layout`], and the
//! GIC's system-register CPU interface, which the CPUs reach through [`cpu::Platform`].

use super::layout::{self, IrqSource, Region};
use cpu::{PeIrq, PeIrqLevels, SysRegAccess};
use devices::{Pl011, Pl031};
use gic::{Gic, IccAccess, IccReg};
use mmu::{Bus, GuestRam, MmioResult};
use std::io::Write;

/// Everything a CPU can address.
pub struct VirtBus<W: Write> {
    /// Guest RAM.
    pub ram: GuestRam,
    /// The console UART.
    pub uart: Pl011<W>,
    /// The real-time clock.
    pub rtc: Pl031,
    /// The interrupt controller.
    pub gic: Gic,
    /// Simulated time (ns) of the CPU running now, for time-aware devices.
    pub now_ns: u64,
    /// `--inject`: armed fault injections (none: every hook is a no-op).
    pub inject: Option<super::inject::Injector>,
}

impl<W: Write> VirtBus<W> {
    /// Bring the GIC's SPI inputs up to date with the devices' interrupt outputs.
    pub fn sync_device_lines(&mut self) {
        let (uart, rtc) = (self.uart.irq_level(), self.rtc.irq_level(self.now_ns));
        self.gic.set_spi_level(layout::intid(IrqSource::Uart), uart);
        self.gic.set_spi_level(layout::intid(IrqSource::Rtc), rtc);
    }

    /// Drive CPU `cpu`'s PPIs from its interrupt outputs, through the wiring table.
    pub fn set_pe_lines(&mut self, cpu: usize, outputs: PeIrqLevels) {
        for o in PeIrq::ALL {
            match layout::pe_intid(o, cpu) {
                ppi @ 16..32 => self.gic.set_ppi_level(cpu, ppi, outputs.get(o)),
                spi => self.gic.set_spi_level(spi, outputs.get(o)),
            }
        }
    }
}

/// The ICC_* register an access names, if it is allowed at the access's EL.
fn icc(acc: &SysRegAccess, read: bool) -> Option<IccReg> {
    let r = IccReg::from_encoding(acc.op0, acc.op1, acc.crn, acc.crm, acc.op2)?;
    let dir_ok = match r.access() {
        IccAccess::ReadOnly => read,
        IccAccess::WriteOnly => !read,
        IccAccess::ReadWrite => true,
    };
    (dir_ok && acc.el >= r.min_el()).then_some(r)
}

impl<W: Write> cpu::Platform for VirtBus<W> {
    fn sysreg_read(&mut self, acc: SysRegAccess) -> Option<u64> {
        icc(&acc, true).map(|r| self.gic.icc_read(acc.cpu, r))
    }

    fn sync_interrupts(&mut self, cpu: usize, outputs: PeIrqLevels) -> Option<(bool, bool)> {
        self.sync_device_lines();
        self.set_pe_lines(cpu, outputs);
        let l = self.gic.irq_lines(cpu);
        Some((l.irq, l.fiq))
    }

    fn watched_access(&mut self, cpu: usize, access: &cpu::WatchedAccess) -> cpu::WatchVerdict {
        match &mut self.inject {
            Some(inj) => inj.watched_access(cpu, access, &self.ram),
            None => cpu::WatchVerdict::Proceed,
        }
    }

    fn on_event(&mut self, cpu: usize, e: cpu::Event) {
        if let Some(inj) = &mut self.inject {
            inj.on_event(cpu, &e);
        }
        match e {
            cpu::Event::Mmio {
                pa,
                size,
                write,
                value,
                mapped,
            } => {
                let dir = if write { "write" } else { "read" };
                let what = if mapped { "" } else { " (unmapped)" };
                tracing::trace!(target: "hypsim::mmio", cpu, "{dir} {size} bytes at {pa:#x}: {value:#x}{what}");
            }
            cpu::Event::Tlbi { op, broadcast } => {
                let scope = if broadcast {
                    "inner shareable"
                } else {
                    "local"
                };
                tracing::trace!(target: "hypsim::tlbi", cpu, ?op, "{scope}");
            }
            _ => {}
        }
    }

    fn deactivate_interrupt(&mut self, cpu: usize, intid: u32) {
        self.gic.deactivate_physical(cpu, intid);
    }

    fn sysreg_write(&mut self, acc: SysRegAccess, value: u64) -> bool {
        match icc(&acc, false) {
            Some(r) => {
                self.gic.icc_write(acc.cpu, r, value);
                true
            }
            None => false,
        }
    }
}

impl<W: Write> Bus for VirtBus<W> {
    #[inline(always)]
    fn ram(&self) -> &GuestRam {
        &self.ram
    }

    fn mmio_read(&mut self, pa: u64, size: u8) -> MmioResult {
        MmioResult::Ok(match layout::decode(pa, self.gic.num_cpus()) {
            Region::Uart(off) => self.uart.read(off, size) as u64,
            Region::Rtc(off) => self.rtc.read(off, size, self.now_ns) as u64,
            Region::Gicd(off) => self.gic.dist_read(off, size),
            Region::Gicr(off) => self.gic.redist_read(off, size),
            Region::Its(off) => self.gic.its_read(off, size),
            Region::Virtio(off) => devices::empty_transport_read(off, size) as u64,
            Region::None => return MmioResult::Unmapped,
        })
    }

    fn mmio_write(&mut self, pa: u64, size: u8, value: u64) -> MmioResult {
        match layout::decode(pa, self.gic.num_cpus()) {
            Region::Uart(off) => self.uart.write(off, size, value as u32),
            Region::Rtc(off) => self.rtc.write(off, size, value as u32, self.now_ns),
            Region::Gicd(off) => self.gic.dist_write(off, size, value),
            Region::Gicr(off) => self.gic.redist_write(off, size, value),
            Region::Its(off) => self.gic.its_write(&RamView(&self.ram), off, size, value),
            // No device behind it: writes are ignored.
            Region::Virtio(_) => {}
            Region::None => return MmioResult::Unmapped,
        }
        MmioResult::Ok(0)
    }
}

/// The RAM as the GIC's LPI and ITS machinery reads it (its tables and command queue):
/// plain memory reads, as a device's DMA would make them.
struct RamView<'a>(&'a GuestRam);

impl gic::GicMemory for RamView<'_> {
    fn read(&self, pa: u64, buf: &mut [u8]) -> bool {
        self.0.read_bytes(pa, buf).is_ok()
    }
}
