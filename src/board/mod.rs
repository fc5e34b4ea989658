//! The `virt`-like board: RAM, devices, vCPUs, firmware and the placement of the kernel.

pub mod bus;
pub mod cores;
pub mod fdt;
pub mod inject;
pub mod layout;
pub mod psci;
pub mod sched;
pub mod snapshot;
pub mod trace;

use bus::VirtBus;
use cpu::{Conduit, Cpu, CpuConfig};
use devices::{Pl011, Pl031};
use gic::Gic;
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
    /// Implemented physical address size (ID_AA64MMFR0_EL1.PARange), in bits.
    pub pa_bits: u8,
    /// FEAT_MTE2/MTE3 with RAM tag storage.
    pub mte: bool,
    /// FEAT_SPE version (ID_AA64DFR0_EL1.PMSVer; 0: off).
    pub spe: u8,
    /// How RAM (and its tags) are backed: anonymous, or shared files.
    pub memory_file: Option<std::path::PathBuf>,
    /// MTE tags in a shared file (needs `mte`).
    pub tag_file: Option<std::path::PathBuf>,
    /// The core `--cpu` names (ID and cache registers; what `detailed` simulates).
    pub core: Option<cpu::CoreModel>,
    /// `--timing detailed`: the cache/TLB/predictor model prices every instruction.
    pub detailed: bool,
}

/// Problems building the machine or placing the kernel; each names what is at fault.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    /// `--memory` out of range.
    #[error("--memory {size:#x}: RAM at {base:#x} must be a multiple of 4 KiB, at least 1 MiB, and end at or below {limit:#x} (the 40-bit board limit and the --pa-bits physical address space)")]
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
    /// `--tag-file` without MTE.
    #[error("--tag-file needs --mte on: without MTE there are no tags to keep")]
    TagFileWithoutMte,
    /// Host could not provide RAM.
    #[error(transparent)]
    Ram(#[from] mmu::RamError),
    /// The device tree could not be generated.
    #[error("cannot build the device tree: {0}")]
    Dtb(String),
    /// Part of the boot payload would not fit in RAM.
    #[error("{what} at {addr:#x}..{end:#x} does not fit in RAM {base:#x}..{ram_end:#x}")]
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
    /// While in WFE with an exclusive reservation open: the reserved location's value
    /// when the wait began (a change means another PE wrote it: a wake-up event).
    pub wfe_watch: Option<u64>,
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
    pub tracer: Option<trace::InsnTracer>,
    /// `--clock wall`: idle periods never take simulated time past the wall time since
    /// this instant (1 tick = 1 ns), so an interactive guest's clock keeps pace with the
    /// user. `None` (`--clock sim`, the default): idle time jumps straight to the next
    /// event, and runs are deterministic.
    pub wall_clock: Option<std::time::Instant>,
    /// `--snapshot-at`: where [`Machine::run`] stops with `Outcome::Snapshot`.
    pub snapshot_at: Option<sched::SnapPoint>,
    /// Where a Linux Image was loaded (physical start, end of its image_size), once booted.
    pub kernel_image: Option<(u64, u64)>,
}

impl<W: Write> Machine<W> {
    /// Build the board: RAM, the UART writing guest output to `console`, and `smp` vCPUs
    /// of which only CPU 0 is on.
    pub fn new(cfg: &BoardConfig, console: W) -> Result<Self, BoardError> {
        let end = layout::RAM_BASE.checked_add(cfg.ram_size);
        let limit = layout::PA_LIMIT.min(1u64 << cfg.pa_bits.min(63));
        if cfg.ram_size < (1 << 20)
            || !cfg.ram_size.is_multiple_of(mmu::PAGE_SIZE)
            || end.is_none_or(|e| e > limit)
        {
            return Err(BoardError::RamSize {
                size: cfg.ram_size,
                base: layout::RAM_BASE,
                limit,
            });
        }
        if cfg.smp == 0 || cfg.smp > layout::MAX_CPUS {
            return Err(BoardError::Smp(cfg.smp));
        }
        if !(1..=2).contains(&cfg.el) {
            return Err(BoardError::El(cfg.el));
        }
        if cfg.tag_file.is_some() && !cfg.mte {
            return Err(BoardError::TagFileWithoutMte);
        }
        let backing = mmu::RamBacking {
            memory_file: cfg.memory_file.clone(),
            tags: cfg.mte,
            tag_file: cfg.tag_file.clone(),
        };
        let ram = GuestRam::with_backing(layout::RAM_BASE, cfg.ram_size, &backing)?;
        let has_el2 = cfg.el == 2;
        let vcpus = (0..cfg.smp)
            .map(|i| {
                let cc = CpuConfig {
                    has_el2,
                    conduit: if has_el2 { Conduit::Smc } else { Conduit::Hvc },
                    mpidr_aff: i as u64,
                    index: i,
                    gic: true,
                    pa_bits: cfg.pa_bits,
                    mte: cfg.mte,
                    spe: cfg.spe,
                };
                let mut cpu = Cpu::new(cc, cfg.el);
                if let Some(m) = &cfg.core {
                    cpu.set_core_model(m.clone(), cfg.detailed);
                }
                Vcpu {
                    cpu,
                    power: if i == 0 { Power::On } else { Power::Off },
                    in_wfi: false,
                    in_wfe: false,
                    wfe_watch: None,
                }
            })
            .collect();
        let mpidrs: Vec<u64> = (0..cfg.smp as u64).collect();
        let mut gic = Gic::new(&mpidrs, layout::NUM_SPIS);
        // The boot CPU's redistributor is awake, as firmware leaves it.
        gic.set_processor_sleep(0, false);
        let bus = VirtBus {
            ram,
            uart: Pl011::new(console),
            rtc: Pl031::new(Pl031::DEFAULT_EPOCH),
            gic,
            now_ns: 0,
            inject: None,
        };
        Ok(Self {
            vcpus,
            bus,
            el: cfg.el,
            tracer: None,
            wall_clock: None,
            snapshot_at: None,
            kernel_image: None,
        })
    }

    /// Arm fault injections (`--inject`); fails if a spec does not fit this machine.
    pub fn arm_injections(
        &mut self,
        specs: Vec<inject::spec::Spec>,
    ) -> Result<(), inject::InjectError> {
        let mut cpus: Vec<&mut Cpu> = self.vcpus.iter_mut().map(|v| &mut v.cpu).collect();
        self.bus.inject = Some(inject::Injector::new(specs, &mut cpus, &self.bus.ram)?);
        Ok(())
    }

    /// Copy `data` to `addr` and zero the rest of `mem_size`; returns the end address.
    fn place(
        &self,
        what: String,
        addr: u64,
        data: &[u8],
        mem_size: u64,
    ) -> Result<u64, BoardError> {
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
        Ok(end)
    }

    /// Place the kernel, the initrd and the device tree in RAM as QEMU's `virt` does
    /// (DESIGN.md §4), and point CPU 0 at the kernel in the Linux boot state: x0 = DTB
    /// address, x1..x3 = 0.
    pub fn boot(&mut self, b: &Boot) -> Result<BootLayout, BoardError> {
        let ram_base = self.bus.ram.base();
        let ram_size = self.bus.ram.size();
        let mut loaded: Vec<(u64, u64)> = Vec::new();
        let entry = match b.kernel {
            Kernel::Elf { segments, entry } => {
                for (i, s) in segments.iter().enumerate() {
                    let end =
                        self.place(format!("ELF segment {i}"), s.addr, &s.data, s.mem_size)?;
                    loaded.push((s.addr, end));
                }
                *entry
            }
            Kernel::Image(img) => {
                // RAM base + text_offset, moved up by 2 MiB when text_offset leaves no
                // room below the image (modern kernels have 0).
                let off = if img.text_offset < 0x1000 {
                    img.text_offset + (2 << 20)
                } else {
                    img.text_offset
                };
                let addr = ram_base + off;
                let size = img.image_size.max(img.data.len() as u64);
                let end = self.place("Image".into(), addr, &img.data, size)?;
                loaded.push((addr, end));
                self.kernel_image = Some((addr, addr + size));
                addr
            }
            Kernel::Raw { data } => {
                let addr = b.load_addr.unwrap_or(ram_base);
                let end = self.place("raw binary".into(), addr, data, data.len() as u64)?;
                loaded.push((addr, end));
                addr
            }
        };
        let top = loaded.iter().map(|r| r.1).max().unwrap_or(ram_base);
        // The initrd goes at RAM base + min(RAM/2, 128 MiB), or just above the kernel if
        // the kernel reaches there.
        let slot = ram_base + (ram_size / 2).min(128 << 20);
        let mut next = slot;
        let initrd = match b.initrd {
            Some(data) => {
                let start = if loaded
                    .iter()
                    .any(|&(s, e)| s < slot + data.len() as u64 && slot < e)
                {
                    top.next_multiple_of(0x1000)
                } else {
                    slot
                };
                let end = self.place("initrd".into(), start, data, data.len() as u64)?;
                next = end;
                Some((start, end))
            }
            None => None,
        };
        let dtb = match &b.dtb {
            Some(user) => user.clone(),
            None => fdt::build_dtb(&fdt::DtbConfig {
                ram_base,
                ram_size,
                num_cpus: self.vcpus.len(),
                psci_method: if self.el == 2 { "smc" } else { "hvc" },
                bootargs: b.bootargs,
                initrd,
                has_el2: self.el == 2,
                pmu: true,
                spe: self.vcpus[0].cpu.config().spe != 0,
            })
            .map_err(|e| BoardError::Dtb(format!("{e:?}")))?,
        };
        // The DTB goes just above the initrd (or in its slot), 2 MiB aligned so it never
        // shares a 2 MiB block with anything else (Documentation/arm64/booting.rst), and
        // above anything already loaded there.
        let mut dtb_addr = next.next_multiple_of(2 << 20);
        if loaded
            .iter()
            .any(|&(s, e)| s < dtb_addr + dtb.len() as u64 && dtb_addr < e)
        {
            dtb_addr = top.max(next).next_multiple_of(2 << 20);
        }
        self.place("device tree".into(), dtb_addr, &dtb, dtb.len() as u64)?;
        let cpu = &mut self.vcpus[0].cpu;
        cpu.set_pc(entry);
        cpu.set_xreg(0, dtb_addr);
        for r in 1..4 {
            cpu.set_xreg(r, 0);
        }
        Ok(BootLayout {
            entry,
            initrd,
            dtb: (dtb_addr, dtb_addr + dtb.len() as u64),
        })
    }
}

/// What to boot.
pub struct Boot<'a> {
    /// The kernel.
    pub kernel: &'a Kernel,
    /// `--load-addr` for raw binaries.
    pub load_addr: Option<u64>,
    /// The initrd's bytes.
    pub initrd: Option<&'a [u8]>,
    /// The kernel command line.
    pub bootargs: Option<&'a str>,
    /// A user-supplied device tree (`--dtb`), used as it is.
    pub dtb: Option<Vec<u8>>,
}

/// Where things were placed.
#[derive(Debug)]
pub struct BootLayout {
    /// Kernel entry point.
    pub entry: u64,
    /// Initrd range, if any.
    pub initrd: Option<(u64, u64)>,
    /// Device tree range.
    pub dtb: (u64, u64),
}

/// Check that `bytes` is a flattened device tree (magic 0xd00dfeed, big-endian header,
/// version 16 or later, totalsize within the file).
pub fn validate_dtb(bytes: &[u8]) -> Result<(), String> {
    let be32 = |o: usize| {
        bytes
            .get(o..o + 4)
            .map(|b| u32::from_be_bytes(b.try_into().unwrap()))
    };
    match (be32(0), be32(4), be32(20)) {
        (Some(0xd00d_feed), Some(total), Some(version)) => {
            if total as usize > bytes.len() || (total as usize) < 40 {
                Err(format!(
                    "header totalsize {total} does not fit the file ({} bytes)",
                    bytes.len()
                ))
            } else if version < 16 {
                Err(format!("version {version} is too old (need 16 or later)"))
            } else {
                Ok(())
            }
        }
        (Some(m), _, _) if m != 0xd00d_feed => {
            Err(format!("bad magic {m:#010x} (expected 0xd00dfeed)"))
        }
        _ => Err("file is too short for a device tree header".into()),
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
