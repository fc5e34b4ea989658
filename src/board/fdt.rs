//! The flattened device tree handed to the kernel in x0 (DESIGN.md §4).
//!
//! The tree describes the board the way QEMU 10's `virt` machine does for the same
//! configuration: same node names, unit addresses, compatibles, interrupt specifiers and
//! (where QEMU's numbering is stable) phandles, so software and DTB-diffing tests written
//! for `virt` see a familiar machine. Devices this board does not model (flash, fw-cfg,
//! virtio-mmio, PCIe, PL061 GPIO, the GIC ITS, the platform bus) are left out.
//!
//! The tree is deterministic: no `rng-seed`, no `kaslr-seed`, nothing from the host.

use super::layout::{self, IrqSource};
use cpu::PeIrq;
use vm_fdt::{Error, FdtWriter};

// ---- Memory map -------------------------------------------------------------------------
// Re-exported from layout.rs, the single source of truth for the map (DESIGN.md §4).

/// PL011 UART.
pub const UART_BASE: u64 = layout::UART_BASE;
/// PL011 register window.
pub const UART_SIZE: u64 = layout::UART_SIZE;
/// PL031 RTC.
pub const RTC_BASE: u64 = layout::RTC_BASE;
/// PL031 register window.
pub const RTC_SIZE: u64 = layout::RTC_SIZE;
/// GICv3 distributor.
pub const GICD_BASE: u64 = layout::GICD_BASE;
/// GICv3 distributor frame.
pub const GICD_SIZE: u64 = layout::GICD_SIZE;
/// First GICv3 redistributor.
pub const GICR_BASE: u64 = layout::GICR_BASE;
/// Size of one redistributor, RD_base + SGI_base frames.
pub const GICR_STRIDE: u64 = layout::GICR_STRIDE;

// ---- Interrupts ---------------------------------------------------------------------------
// GICv3 binding specifiers: <type number flags>, type 0 = SPI, 1 = PPI; the number is
// within its class (INTID - 32 for SPIs, INTID - 16 for PPIs).

/// Specifier type of a shared peripheral interrupt.
const SPI: u32 = 0;
/// Specifier type of a private peripheral interrupt.
const PPI: u32 = 1;
/// Specifier flags: level-sensitive, active high.
const LEVEL_HIGH: u32 = 4;

/// A source's interrupt number within its class, for a binding specifier.
fn ppi(src: IrqSource) -> u32 {
    layout::intid(src) - 16
}
fn spi(src: IrqSource) -> u32 {
    layout::intid(src) - 32
}

// ---- Other constants --------------------------------------------------------------------

/// The APB clock feeding the PrimeCells, as on `virt`.
const APB_PCLK_HZ: u32 = 24_000_000;
/// First phandle, as QEMU allocates them; the clock gets it.
const PHANDLE_BASE: u32 = 0x8000;
/// Path of the console, for `stdout-path` and `aliases/serial0`.
const CONSOLE_PATH: &str = "/pl011@9000000";

/// What varies in the device tree between runs.
#[derive(Clone, Debug)]
pub struct DtbConfig<'a> {
    /// RAM base (normally [`layout::RAM_BASE`]).
    pub ram_base: u64,
    /// RAM size in bytes.
    pub ram_size: u64,
    /// Number of CPUs: nodes `cpu@N` with MPIDR affinity Aff0 = N, as the board numbers them.
    pub num_cpus: usize,
    /// PSCI conduit: "smc" when the kernel is entered at EL2, "hvc" at EL1.
    pub psci_method: &'a str,
    /// Kernel command line (`/chosen/bootargs`).
    pub bootargs: Option<&'a str>,
    /// Initrd physical range (start, end exclusive).
    pub initrd: Option<(u64, u64)>,
    /// The CPUs implement EL2: the GIC node gets its maintenance interrupt and the timer
    /// node lists the EL2 virtual timer.
    pub has_el2: bool,
    /// The CPUs implement a PMU (ID_AA64DFR0_EL1.PMUVer): add the `/pmu` node.
    pub pmu: bool,
    /// A FEAT_SPE node (the guest's SPE is on).
    pub spe: bool,
}

/// The phandles of the tree, numbered the way QEMU `virt` numbers them for the same CPU
/// count: the clock first, then the CPUs from the last to the first, then the GIC.
struct Phandles {
    clock: u32,
    gic: u32,
    its: u32,
    num_cpus: u32,
}

impl Phandles {
    fn new(num_cpus: usize) -> Self {
        let n = num_cpus as u32;
        Phandles {
            clock: PHANDLE_BASE,
            gic: PHANDLE_BASE + n + 1,
            its: PHANDLE_BASE + n + 2,
            num_cpus: n,
        }
    }

    fn cpu(&self, i: u32) -> u32 {
        PHANDLE_BASE + self.num_cpus - i
    }
}

/// MPIDR affinity of CPU `i`: Aff0 = i, matching `CpuConfig::mpidr_aff` in the board.
fn cpu_affinity(i: u32) -> u32 {
    i
}

/// A GICv3 interrupt specifier, level-high.
/// The interrupts of each PE's RAS error records (cpu::ras; there is no upstream binding
/// for System-register error records, ACPI describes them in AEST): one node listing,
/// CPU by CPU, the fault handling and the error recovery interrupt (level SPIs).
fn ras_node(fdt: &mut FdtWriter, cfg: &DtbConfig) -> Result<(), vm_fdt::Error> {
    let node = fdt.begin_node("ras-error-records")?;
    fdt.property_string("compatible", "hypsim,ras-error-records")?;
    let mut ints = Vec::new();
    let mut names = Vec::new();
    for c in 0..cfg.num_cpus {
        for (o, name) in [(PeIrq::RasFault, "fault"), (PeIrq::RasRecovery, "error")] {
            ints.extend(irq(SPI, layout::pe_intid(o, c) - 32));
            names.push(format!("cpu{c}-{name}"));
        }
    }
    fdt.property_array_u32("interrupts", &ints)?;
    fdt.property_string_list("interrupt-names", names)?;
    fdt.end_node(node)?;
    Ok(())
}

fn irq(kind: u32, num: u32) -> [u32; 3] {
    [kind, num, LEVEL_HIGH]
}

/// Name-plus-unit-address of a node at `addr`.
fn node_name(name: &str, addr: u64) -> String {
    format!("{name}@{addr:x}")
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// Build the device tree blob for `cfg`.
pub fn build_dtb(cfg: &DtbConfig) -> Result<Vec<u8>, Error> {
    let ph = Phandles::new(cfg.num_cpus);
    let mut fdt = FdtWriter::new()?;

    let root = fdt.begin_node("")?;
    fdt.property_u32("interrupt-parent", ph.gic)?;
    // Devices that do DMA (virtio, later) are cache-coherent; QEMU says so at the root.
    fdt.property_null("dma-coherent")?;
    fdt.property_string("model", "linux,dummy-virt")?;
    fdt.property_u32("#size-cells", 2)?;
    fdt.property_u32("#address-cells", 2)?;
    fdt.property_string("compatible", "linux,dummy-virt")?;

    psci_node(&mut fdt, cfg)?;

    let memory = fdt.begin_node(&node_name("memory", cfg.ram_base))?;
    fdt.property_array_u64("reg", &[cfg.ram_base, cfg.ram_size])?;
    fdt.property_string("device_type", "memory")?;
    fdt.end_node(memory)?;

    let rtc = fdt.begin_node(&node_name("pl031", RTC_BASE))?;
    fdt.property_string("clock-names", "apb_pclk")?;
    fdt.property_u32("clocks", ph.clock)?;
    fdt.property_array_u32("interrupts", &irq(SPI, spi(IrqSource::Rtc)))?;
    fdt.property_array_u64("reg", &[RTC_BASE, RTC_SIZE])?;
    fdt.property_string_list("compatible", strings(&["arm,pl031", "arm,primecell"]))?;
    fdt.end_node(rtc)?;

    let uart = fdt.begin_node(&node_name("pl011", UART_BASE))?;
    fdt.property_string_list("clock-names", strings(&["uartclk", "apb_pclk"]))?;
    fdt.property_array_u32("clocks", &[ph.clock, ph.clock])?;
    fdt.property_array_u32("interrupts", &irq(SPI, spi(IrqSource::Uart)))?;
    fdt.property_array_u64("reg", &[UART_BASE, UART_SIZE])?;
    fdt.property_string_list("compatible", strings(&["arm,pl011", "arm,primecell"]))?;
    fdt.end_node(uart)?;

    if cfg.pmu {
        let pmu = fdt.begin_node("pmu")?;
        fdt.property_array_u32("interrupts", &irq(PPI, ppi(IrqSource::Pe(PeIrq::Pmu))))?;
        fdt.property_string("compatible", "arm,armv8-pmuv3")?;
        fdt.end_node(pmu)?;
    }

    if cfg.spe {
        // Linux's arm_spe_pmu wants exactly one PPI: PMBIRQ.
        let spe = fdt.begin_node("spe")?;
        let pmbirq = ppi(IrqSource::Pe(PeIrq::SpeBuffer));
        fdt.property_array_u32("interrupts", &irq(PPI, pmbirq))?;
        fdt.property_string("compatible", "arm,statistical-profiling-extension-v1")?;
        fdt.end_node(spe)?;
    }

    ras_node(&mut fdt, cfg)?;
    gic_node(&mut fdt, cfg, &ph)?;
    cpus_node(&mut fdt, &ph)?;
    timer_node(&mut fdt, cfg)?;

    let clock = fdt.begin_node("apb-pclk")?;
    fdt.property_phandle(ph.clock)?;
    fdt.property_string("clock-output-names", "clk24mhz")?;
    fdt.property_u32("clock-frequency", APB_PCLK_HZ)?;
    fdt.property_u32("#clock-cells", 0)?;
    fdt.property_string("compatible", "fixed-clock")?;
    fdt.end_node(clock)?;

    let aliases = fdt.begin_node("aliases")?;
    fdt.property_string("serial0", CONSOLE_PATH)?;
    fdt.end_node(aliases)?;

    let chosen = fdt.begin_node("chosen")?;
    if let Some(args) = cfg.bootargs {
        fdt.property_string("bootargs", args)?;
    }
    fdt.property_string("stdout-path", CONSOLE_PATH)?;
    if let Some((start, end)) = cfg.initrd {
        fdt.property_u64("linux,initrd-start", start)?;
        fdt.property_u64("linux,initrd-end", end)?;
    }
    fdt.end_node(chosen)?;

    fdt.end_node(root)?;
    fdt.finish()
}

/// `/psci`: PSCI 1.0 (and 0.2) over `cfg.psci_method`. QEMU also lists the PSCI 0.1
/// binding, whose function IDs are the PSCI 0.2 ones our firmware answers anyway.
fn psci_node(fdt: &mut FdtWriter, cfg: &DtbConfig) -> Result<(), Error> {
    let psci = fdt.begin_node("psci")?;
    fdt.property_u32("migrate", 0xc400_0005)?;
    fdt.property_u32("cpu_on", 0xc400_0003)?;
    fdt.property_u32("cpu_off", 0x8400_0002)?;
    fdt.property_u32("cpu_suspend", 0xc400_0001)?;
    fdt.property_string("method", cfg.psci_method)?;
    fdt.property_string_list(
        "compatible",
        strings(&["arm,psci-1.0", "arm,psci-0.2", "arm,psci"]),
    )?;
    fdt.end_node(psci)
}

/// `/intc@8000000`: the GICv3 distributor and one redistributor region with a frame per CPU.
fn gic_node(fdt: &mut FdtWriter, cfg: &DtbConfig, ph: &Phandles) -> Result<(), Error> {
    let intc = fdt.begin_node(&node_name("intc", GICD_BASE))?;
    fdt.property_phandle(ph.gic)?;
    if cfg.has_el2 {
        // KVM needs the maintenance interrupt to use the virtual CPU interface.
        fdt.property_array_u32(
            "interrupts",
            &irq(PPI, ppi(IrqSource::Pe(PeIrq::Maintenance))),
        )?;
    }
    let redists = GICR_STRIDE * cfg.num_cpus as u64;
    fdt.property_array_u64("reg", &[GICD_BASE, GICD_SIZE, GICR_BASE, redists])?;
    fdt.property_u32("#redistributor-regions", 1)?;
    fdt.property_string("compatible", "arm,gic-v3")?;
    // An address space for the ITS child, as QEMU has; dtc also wants
    // #address-cells in every interrupt provider.
    fdt.property_null("ranges")?;
    fdt.property_u32("#size-cells", 2)?;
    fdt.property_u32("#address-cells", 2)?;
    fdt.property_null("interrupt-controller")?;
    fdt.property_u32("#interrupt-cells", 3)?;
    its_node(fdt, ph)?;
    fdt.end_node(intc)
}

/// `/intc/its@8080000`: the ITS, an MSI controller (as QEMU `virt`'s).
fn its_node(fdt: &mut FdtWriter, ph: &Phandles) -> Result<(), Error> {
    let its = fdt.begin_node(&node_name("its", layout::ITS_BASE))?;
    fdt.property_phandle(ph.its)?;
    fdt.property_array_u64("reg", &[layout::ITS_BASE, layout::ITS_SIZE])?;
    fdt.property_u32("#msi-cells", 1)?;
    fdt.property_null("msi-controller")?;
    fdt.property_string("compatible", "arm,gic-v3-its")?;
    fdt.end_node(its)
}

/// `/cpus`: one `cpu@N` per CPU, started through PSCI, and a flat `cpu-map` (one socket,
/// one cluster) as QEMU describes its default topology.
fn cpus_node(fdt: &mut FdtWriter, ph: &Phandles) -> Result<(), Error> {
    let cpus = fdt.begin_node("cpus")?;
    fdt.property_u32("#size-cells", 0)?;
    fdt.property_u32("#address-cells", 1)?;

    let map = fdt.begin_node("cpu-map")?;
    let socket = fdt.begin_node("socket0")?;
    let cluster = fdt.begin_node("cluster0")?;
    for i in 0..ph.num_cpus {
        let core = fdt.begin_node(&format!("core{i}"))?;
        fdt.property_u32("cpu", ph.cpu(i))?;
        fdt.end_node(core)?;
    }
    fdt.end_node(cluster)?;
    fdt.end_node(socket)?;
    fdt.end_node(map)?;

    for i in 0..ph.num_cpus {
        let aff = cpu_affinity(i);
        let cpu = fdt.begin_node(&node_name("cpu", aff.into()))?;
        fdt.property_phandle(ph.cpu(i))?;
        fdt.property_u32("reg", aff)?;
        fdt.property_string("enable-method", "psci")?;
        fdt.property_string("compatible", "arm,armv8")?;
        fdt.property_string("device_type", "cpu")?;
        fdt.end_node(cpu)?;
    }
    fdt.end_node(cpus)
}

/// `/timer`: the generic timer PPIs in binding order (secure physical, non-secure
/// physical, virtual, EL2 physical, then EL2 virtual when EL2 exists).
fn timer_node(fdt: &mut FdtWriter, cfg: &DtbConfig) -> Result<(), Error> {
    let mut ppis = vec![
        ppi(IrqSource::TimerSecPhys),
        ppi(IrqSource::Pe(PeIrq::TimerPhys)),
        ppi(IrqSource::Pe(PeIrq::TimerVirt)),
        ppi(IrqSource::Pe(PeIrq::TimerHypPhys)),
    ];
    if cfg.has_el2 {
        ppis.push(ppi(IrqSource::Pe(PeIrq::TimerHypVirt)));
    }
    let cells: Vec<u32> = ppis.into_iter().flat_map(|p| irq(PPI, p)).collect();

    let timer = fdt.begin_node("timer")?;
    fdt.property_array_u32("interrupts", &cells)?;
    // The counter runs in every power state we model.
    fdt.property_null("always-on")?;
    fdt.property_string_list(
        "compatible",
        strings(&["arm,armv8-timer", "arm,armv7-timer"]),
    )?;
    fdt.end_node(timer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A parsed tree: node path -> (property name -> value).
    type Tree = BTreeMap<String, BTreeMap<String, Vec<u8>>>;

    fn be32(b: &[u8], off: usize) -> u32 {
        u32::from_be_bytes(b[off..off + 4].try_into().unwrap())
    }

    fn cstr(b: &[u8], off: usize) -> String {
        let end = off + b[off..].iter().position(|&c| c == 0).unwrap();
        String::from_utf8(b[off..end].to_vec()).unwrap()
    }

    /// A minimal reader for the DTB structure block (version 17), enough to check our output.
    fn parse(blob: &[u8]) -> Tree {
        assert_eq!(be32(blob, 0), 0xd00d_feed, "magic");
        assert_eq!(be32(blob, 4) as usize, blob.len(), "totalsize");
        assert_eq!(be32(blob, 20), 17, "version");
        let off_struct = be32(blob, 8) as usize;
        let off_strings = be32(blob, 12) as usize;
        let mut tree = Tree::new();
        let mut path: Vec<String> = Vec::new();
        let mut p = off_struct;
        loop {
            let token = be32(blob, p);
            p += 4;
            match token {
                1 => {
                    let name = cstr(blob, p);
                    p = (p + name.len() + 1).next_multiple_of(4);
                    path.push(name);
                    let key = if path.len() == 1 {
                        "/".to_owned()
                    } else {
                        path[1..].iter().map(|c| format!("/{c}")).collect()
                    };
                    assert!(
                        tree.insert(key, BTreeMap::new()).is_none(),
                        "duplicate node"
                    );
                }
                2 => {
                    path.pop().expect("unbalanced END_NODE");
                }
                3 => {
                    let len = be32(blob, p) as usize;
                    let name = cstr(blob, off_strings + be32(blob, p + 4) as usize);
                    let value = blob[p + 8..p + 8 + len].to_vec();
                    p = (p + 8 + len).next_multiple_of(4);
                    let key = if path.len() == 1 {
                        "/".to_owned()
                    } else {
                        path[1..].iter().map(|c| format!("/{c}")).collect()
                    };
                    let node = tree.get_mut(&key).unwrap();
                    assert!(node.insert(name, value).is_none(), "duplicate property");
                }
                4 => {}
                9 => break,
                t => panic!("bad token {t:#x} at {p:#x}"),
            }
        }
        assert!(path.is_empty(), "unclosed node");
        tree
    }

    fn prop<'t>(t: &'t Tree, node: &str, name: &str) -> &'t [u8] {
        t.get(node)
            .unwrap_or_else(|| panic!("no node {node}"))
            .get(name)
            .unwrap_or_else(|| panic!("no property {node}:{name}"))
    }

    fn cells(t: &Tree, node: &str, name: &str) -> Vec<u32> {
        prop(t, node, name)
            .chunks(4)
            .map(|c| u32::from_be_bytes(c.try_into().unwrap()))
            .collect()
    }

    fn u64s(t: &Tree, node: &str, name: &str) -> Vec<u64> {
        prop(t, node, name)
            .chunks(8)
            .map(|c| u64::from_be_bytes(c.try_into().unwrap()))
            .collect()
    }

    fn strs(t: &Tree, node: &str, name: &str) -> Vec<String> {
        let v = prop(t, node, name);
        assert_eq!(v.last(), Some(&0), "{node}:{name} not NUL-terminated");
        v[..v.len() - 1]
            .split(|&c| c == 0)
            .map(|s| String::from_utf8(s.to_vec()).unwrap())
            .collect()
    }

    fn config(num_cpus: usize, has_el2: bool) -> DtbConfig<'static> {
        DtbConfig {
            ram_base: layout::RAM_BASE,
            ram_size: 1 << 30,
            num_cpus,
            psci_method: if has_el2 { "smc" } else { "hvc" },
            bootargs: Some("console=ttyAMA0 earlycon"),
            initrd: Some((0x4800_0000, 0x4812_3400)),
            has_el2,
            pmu: false,
            spe: false,
        }
    }

    /// The phandle a node declares.
    fn phandle(t: &Tree, node: &str) -> u32 {
        cells(t, node, "phandle")[0]
    }

    fn check(num_cpus: usize, has_el2: bool) -> Tree {
        let t = parse(&build_dtb(&config(num_cpus, has_el2)).unwrap());

        // Root.
        assert_eq!(cells(&t, "/", "#address-cells"), [2]);
        assert_eq!(cells(&t, "/", "#size-cells"), [2]);
        assert_eq!(strs(&t, "/", "compatible"), ["linux,dummy-virt"]);
        let gic = "/intc@8000000";
        assert_eq!(cells(&t, "/", "interrupt-parent"), [phandle(&t, gic)]);

        // Memory.
        assert_eq!(strs(&t, "/memory@40000000", "device_type"), ["memory"]);
        assert_eq!(u64s(&t, "/memory@40000000", "reg"), [0x4000_0000, 1 << 30]);

        // CPUs: reg = Aff0, PSCI enable method, cpu-map pointing at each.
        assert_eq!(cells(&t, "/cpus", "#address-cells"), [1]);
        assert_eq!(cells(&t, "/cpus", "#size-cells"), [0]);
        for i in 0..num_cpus {
            let cpu = format!("/cpus/cpu@{i}");
            assert_eq!(cells(&t, &cpu, "reg"), [i as u32]);
            assert_eq!(strs(&t, &cpu, "device_type"), ["cpu"]);
            assert_eq!(strs(&t, &cpu, "enable-method"), ["psci"]);
            assert_eq!(strs(&t, &cpu, "compatible"), ["arm,armv8"]);
            let core = format!("/cpus/cpu-map/socket0/cluster0/core{i}");
            assert_eq!(cells(&t, &core, "cpu"), [phandle(&t, &cpu)]);
        }
        assert!(!t.contains_key(&format!("/cpus/cpu@{num_cpus}")));

        // PSCI.
        let method = if has_el2 { "smc" } else { "hvc" };
        assert_eq!(strs(&t, "/psci", "method"), [method]);
        assert_eq!(
            strs(&t, "/psci", "compatible")[..2],
            ["arm,psci-1.0", "arm,psci-0.2"]
        );

        // GIC: GICD then one redistributor frame per CPU; maintenance IRQ only with EL2.
        assert_eq!(strs(&t, gic, "compatible"), ["arm,gic-v3"]);
        assert_eq!(cells(&t, gic, "#interrupt-cells"), [3]);
        assert!(prop(&t, gic, "interrupt-controller").is_empty());
        assert_eq!(
            u64s(&t, gic, "reg"),
            [
                0x0800_0000,
                0x1_0000,
                0x080A_0000,
                0x2_0000 * num_cpus as u64
            ]
        );
        assert_eq!(cells(&t, gic, "#redistributor-regions"), [1]);
        assert_eq!(t[gic].contains_key("interrupts"), has_el2);
        if has_el2 {
            assert_eq!(cells(&t, gic, "interrupts"), [1, 9, 4]);
        }

        // Timer PPIs in binding order.
        let mut timer = vec![1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4];
        if has_el2 {
            timer.extend([1, 12, 4]);
        }
        assert_eq!(cells(&t, "/timer", "interrupts"), timer);
        assert_eq!(strs(&t, "/timer", "compatible")[0], "arm,armv8-timer");
        assert!(prop(&t, "/timer", "always-on").is_empty());

        // UART and RTC, clocked by the fixed APB clock.
        let clk = phandle(&t, "/apb-pclk");
        assert_eq!(cells(&t, "/apb-pclk", "clock-frequency"), [24_000_000]);
        assert_eq!(strs(&t, "/apb-pclk", "compatible"), ["fixed-clock"]);
        let uart = "/pl011@9000000";
        assert_eq!(strs(&t, uart, "compatible"), ["arm,pl011", "arm,primecell"]);
        assert_eq!(u64s(&t, uart, "reg"), [0x0900_0000, 0x1000]);
        assert_eq!(cells(&t, uart, "interrupts"), [0, 1, 4]);
        assert_eq!(cells(&t, uart, "clocks"), [clk, clk]);
        assert_eq!(strs(&t, uart, "clock-names"), ["uartclk", "apb_pclk"]);
        let rtc = "/pl031@9010000";
        assert_eq!(strs(&t, rtc, "compatible"), ["arm,pl031", "arm,primecell"]);
        assert_eq!(u64s(&t, rtc, "reg"), [0x0901_0000, 0x1000]);
        assert_eq!(cells(&t, rtc, "interrupts"), [0, 2, 4]);
        assert_eq!(cells(&t, rtc, "clocks"), [clk]);
        assert_eq!(strs(&t, rtc, "clock-names"), ["apb_pclk"]);

        // Chosen.
        assert_eq!(
            strs(&t, "/chosen", "bootargs"),
            ["console=ttyAMA0 earlycon"]
        );
        assert_eq!(strs(&t, "/chosen", "stdout-path"), [uart]);
        assert_eq!(u64s(&t, "/chosen", "linux,initrd-start"), [0x4800_0000]);
        assert_eq!(u64s(&t, "/chosen", "linux,initrd-end"), [0x4812_3400]);
        assert!(!t["/chosen"].contains_key("rng-seed"));
        assert!(!t["/chosen"].contains_key("kaslr-seed"));
        assert_eq!(strs(&t, "/aliases", "serial0"), [uart]);

        assert!(!t.contains_key("/pmu"));
        t
    }

    #[test]
    fn fdt_one_cpu_el2() {
        let t = check(1, true);
        // QEMU's numbering for one CPU.
        assert_eq!(phandle(&t, "/apb-pclk"), 0x8000);
        assert_eq!(phandle(&t, "/cpus/cpu@0"), 0x8001);
        assert_eq!(phandle(&t, "/intc@8000000"), 0x8002);
    }

    #[test]
    fn fdt_two_cpus_el2() {
        let t = check(2, true);
        // QEMU's numbering for two CPUs: the CPUs from the last, then the GIC.
        assert_eq!(phandle(&t, "/cpus/cpu@1"), 0x8001);
        assert_eq!(phandle(&t, "/cpus/cpu@0"), 0x8002);
        assert_eq!(phandle(&t, "/intc@8000000"), 0x8003);
    }

    #[test]
    fn fdt_el1_and_max_cpus() {
        check(2, false);
        check(layout::MAX_CPUS, false);
        check(layout::MAX_CPUS, true);
    }

    #[test]
    fn fdt_optional_parts() {
        let cfg = DtbConfig {
            bootargs: None,
            initrd: None,
            pmu: true,
            spe: false,
            ..config(1, true)
        };
        let t = parse(&build_dtb(&cfg).unwrap());
        assert!(!t["/chosen"].contains_key("bootargs"));
        assert!(!t["/chosen"].contains_key("linux,initrd-start"));
        assert!(!t["/chosen"].contains_key("linux,initrd-end"));
        assert_eq!(strs(&t, "/pmu", "compatible"), ["arm,armv8-pmuv3"]);
        assert_eq!(cells(&t, "/pmu", "interrupts"), [1, 7, 4]);
        // A NUL in the command line cannot be represented.
        let bad = DtbConfig {
            bootargs: Some("a\0b"),
            ..config(1, true)
        };
        assert_eq!(build_dtb(&bad), Err(Error::InvalidString));
    }

    #[test]
    fn fdt_is_deterministic() {
        let cfg = config(2, true);
        assert_eq!(build_dtb(&cfg).unwrap(), build_dtb(&cfg).unwrap());
    }

    /// With $HYPSIM_FDT_DUMP set, writes the DTBs of two QEMU reference configurations
    /// for diffing (`dtc -s -I dtb -O dts`) against `qemu-system-aarch64 -cpu max -m 1G
    /// -kernel K -append console=ttyAMA0 -M virt,gic-version=3,dumpdtb=FILE`:
    /// - `$HYPSIM_FDT_DUMP`: `-M ...,virtualization=on -smp 2` (EL2, no initrd);
    /// - `$HYPSIM_FDT_DUMP.el1`: `-smp 1 -initrd F` with a 4 KiB F (EL1).
    #[test]
    fn fdt_dump_for_qemu_comparison() {
        let Some(path) = std::env::var("HYPSIM_FDT_DUMP").ok() else {
            return;
        };
        let el2 = DtbConfig {
            bootargs: Some("console=ttyAMA0"),
            initrd: None,
            ..config(2, true)
        };
        std::fs::write(&path, build_dtb(&el2).unwrap()).unwrap();
        let el1 = DtbConfig {
            bootargs: Some("console=ttyAMA0"),
            initrd: Some((0x4800_0000, 0x4800_1000)),
            ..config(1, false)
        };
        std::fs::write(format!("{path}.el1"), build_dtb(&el1).unwrap()).unwrap();
    }
}
