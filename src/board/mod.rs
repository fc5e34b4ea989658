//! The `virt`-like board: RAM, devices, vCPUs, firmware and the placement of the kernel.

pub mod bus;
pub mod fdt;
pub mod layout;
pub mod psci;
pub mod sched;

use bus::VirtBus;
use cpu::{Conduit, Cpu, CpuConfig};
use devices::Pl011;
use loader::Kernel;
use mmu::GuestRam;
use psci::Power;
use std::io::Write;

/// Board configuration from the command line.
#[derive(Clone, Debug)]
pub struct BoardConfig {
    /// RAM size in bytes.
    pub ram_size: u64,
    /// Number of vCPUs.
    pub smp: usize,
    /// Exception level the boot CPU enters at (1 or 2).
    pub el: u8,
}

/// Problems building the machine or placing the kernel; each names what is at fault.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    /// `--memory` out of range.
    #[error("--memory {size:#x}: RAM at {base:#x} must be a multiple of 4 KiB, at least 1 MiB, and end below the 40-bit physical address space ({limit:#x})")]
    RamSize {
        /// Requested size.
        size: u64,
        /// RAM base.
        base: u64,
        /// PA limit.
        limit: u64,
    },
    /// `--smp` out of range.
    #[error("--smp {0}: this board supports 1 to {max} CPUs", max = layout::MAX_CPUS)]
    Smp(usize),
    /// `--el` out of range.
    #[error("--el {0}: the kernel can be entered at EL1 or EL2")]
    El(u8),
    /// Host could not provide RAM.
    #[error(transparent)]
    Ram(#[from] mmu::RamError),
    /// Part of the kernel would not fit in RAM.
    #[error("kernel {what} at {addr:#x}..{end:#x} does not fit in RAM {base:#x}..{ram_end:#x}")]
    Placement {
        /// What did not fit.
        what: String,
        /// Start.
        addr: u64,
        /// End (exclusive).
        end: u64,
        /// RAM base.
        base: u64,
        /// RAM end.
        ram_end: u64,
    },
}

/// A vCPU and its power/scheduling state.
pub struct Vcpu {
    /// The PE.
    pub cpu: Cpu,
    /// PSCI power state.
    pub power: Power,
    /// Waiting in WFI (or PSCI standby) for an interrupt.
    pub in_wfi: bool,
    /// Waiting in WFE for an event.
    pub in_wfe: bool,
}

/// The whole machine.
pub struct Machine<W: Write> {
    /// vCPUs; index = Aff0.
    pub vcpus: Vec<Vcpu>,
    /// RAM and devices.
    pub bus: VirtBus<W>,
    /// Entry EL of every CPU.
    pub el: u8,
    /// Log every instruction (`--trace insn`): runs one step at a time.
    pub trace_insns: bool,
}

impl<W: Write> Machine<W> {
    /// Build the board: RAM, the UART writing guest output to `console`, and `smp` vCPUs
    /// of which only CPU 0 is on.
    pub fn new(cfg: &BoardConfig, console: W) -> Result<Self, BoardError> {
        let end = layout::RAM_BASE.checked_add(cfg.ram_size);
        if cfg.ram_size < (1 << 20)
            || !cfg.ram_size.is_multiple_of(mmu::PAGE_SIZE)
            || end.is_none_or(|e| e > layout::PA_LIMIT)
        {
            return Err(BoardError::RamSize {
                size: cfg.ram_size,
                base: layout::RAM_BASE,
                limit: layout::PA_LIMIT,
            });
        }
        if cfg.smp == 0 || cfg.smp > layout::MAX_CPUS {
            return Err(BoardError::Smp(cfg.smp));
        }
        if !(1..=2).contains(&cfg.el) {
            return Err(BoardError::El(cfg.el));
        }
        let ram = GuestRam::new(layout::RAM_BASE, cfg.ram_size)?;
        let has_el2 = cfg.el == 2;
        let vcpus = (0..cfg.smp)
            .map(|i| {
                let cc = CpuConfig {
                    has_el2,
                    conduit: if has_el2 { Conduit::Smc } else { Conduit::Hvc },
                    mpidr_aff: i as u64,
                    index: i,
                    gic: false,
                };
                Vcpu {
                    cpu: Cpu::new(cc, cfg.el),
                    power: if i == 0 { Power::On } else { Power::Off },
                    in_wfi: false,
                    in_wfe: false,
                }
            })
            .collect();
        Ok(Self {
            vcpus,
            bus: VirtBus {
                ram,
                uart: Pl011::new(console),
            },
            el: cfg.el,
            trace_insns: false,
        })
    }

    fn place(&self, what: String, addr: u64, data: &[u8], mem_size: u64) -> Result<(), BoardError> {
        let ram = &self.bus.ram;
        let end = addr.saturating_add(mem_size.max(data.len() as u64));
        if ram.offset(addr, end - addr).is_none() {
            return Err(BoardError::Placement {
                what,
                addr,
                end,
                base: ram.base(),
                ram_end: ram.base() + ram.size(),
            });
        }
        ram.write_bytes(addr, data)?;
        let bss = mem_size.saturating_sub(data.len() as u64);
        ram.fill_zero(addr + data.len() as u64, bss)?;
        Ok(())
    }

    /// Copy the kernel into RAM and point CPU 0 at its entry, in the boot state of the
    /// Linux boot protocol (x0 = DTB address, 0 until the device tree lands; x1..x3 = 0).
    pub fn load_kernel(
        &mut self,
        kernel: &Kernel,
        load_addr: Option<u64>,
    ) -> Result<u64, BoardError> {
        let entry = match kernel {
            Kernel::Elf { segments, entry } => {
                for (i, s) in segments.iter().enumerate() {
                    self.place(format!("ELF segment {i}"), s.addr, &s.data, s.mem_size)?;
                }
                *entry
            }
            Kernel::Image(img) => {
                // QEMU virt's placement: RAM base + text_offset, moved up by 2 MiB when
                // text_offset leaves no room below the image (modern kernels: 0).
                let off = if img.text_offset < 0x1000 {
                    img.text_offset + (2 << 20)
                } else {
                    img.text_offset
                };
                let addr = self.bus.ram.base() + off;
                self.place(
                    "Image".into(),
                    addr,
                    &img.data,
                    img.image_size.max(img.data.len() as u64),
                )?;
                addr
            }
            Kernel::Raw { data } => {
                let addr = load_addr.unwrap_or(self.bus.ram.base());
                self.place("raw binary".into(), addr, data, data.len() as u64)?;
                addr
            }
        };
        let cpu = &mut self.vcpus[0].cpu;
        cpu.set_pc(entry);
        for r in 0..4 {
            cpu.set_xreg(r, 0);
        }
        Ok(entry)
    }
}

impl<W: Write> psci::Platform for Machine<W> {
    fn cpu_affinities(&self) -> Vec<u64> {
        self.vcpus
            .iter()
            .map(|v| v.cpu.config().mpidr_aff)
            .collect()
    }
    fn power(&self, i: usize) -> Power {
        self.vcpus[i].power
    }
    fn valid_entry(&self, pa: u64) -> bool {
        self.bus.ram.offset(pa, 4).is_some()
    }
}
