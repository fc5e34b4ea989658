//! The physical memory map of the `virt`-like board (DESIGN.md §4), the single source of
//! truth for the bus and (later) the device tree.

/// RAM base, as on QEMU `virt`.
pub const RAM_BASE: u64 = 0x4000_0000;
/// Physical address space the board decodes (40 bits, as QEMU `virt` without highmem).
pub const PA_LIMIT: u64 = 1 << 40;

/// PL011 UART.
pub const UART_BASE: u64 = 0x0900_0000;
/// PL011 register window.
pub const UART_SIZE: u64 = 0x1000;

/// PL031 RTC.
pub const RTC_BASE: u64 = 0x0901_0000;
/// PL031 register window.
pub const RTC_SIZE: u64 = 0x1000;

/// The virtio-mmio transports (none with a device: `devices::empty_transport_read`).
pub const VIRTIO_BASE: u64 = 0x0a00_0000;
/// One transport's window.
pub const VIRTIO_STRIDE: u64 = 0x200;
/// Transports, as QEMU `virt`.
pub const VIRTIO_COUNT: u64 = 32;

/// GICv3 distributor.
pub const GICD_BASE: u64 = 0x0800_0000;
/// GICv3 distributor frame.
pub const GICD_SIZE: u64 = 0x1_0000;
/// The GICv3 ITS (control and translation frames), as QEMU `virt`.
pub const ITS_BASE: u64 = 0x0808_0000;
/// Its two 64 KiB frames.
pub const ITS_SIZE: u64 = gic::ITS_SIZE;
/// First GICv3 redistributor; CPU i's is at GICR_BASE + i * GICR_STRIDE.
pub const GICR_BASE: u64 = 0x080A_0000;
/// One redistributor: RD_base and SGI_base frames, 64 KiB each.
pub const GICR_STRIDE: u64 = 0x2_0000;

/// Shared peripheral interrupts the GIC implements (INTIDs 32..288), as QEMU `virt`.
pub const NUM_SPIS: u32 = 256;
/// A source of an interrupt on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IrqSource {
    /// The PL011 (level-sensitive SPI).
    Uart,
    /// The PL031 (level-sensitive SPI).
    Rtc,
    /// The secure EL1 physical timer: named in the device tree, never asserted (no
    /// Secure state).
    TimerSecPhys,
    /// An output of each PE: a PPI (one per CPU), or, for an INTID of an SPI, the first
    /// of [`MAX_CPUS`] consecutive SPIs, CPU i driving the i-th ([`pe_intid`]).
    Pe(cpu::PeIrq),
}

/// The interrupt wiring: every INTID the board uses, and what drives it (DESIGN.md §4,
/// as QEMU `virt`). The bus, the device tree and the scheduler all read it from here.
pub const IRQ_WIRING: &[(IrqSource, u32)] = &[
    // SPE's PMBIRQ: PPI 5, as Linux's DT bindings and the BSA expect.
    (IrqSource::Pe(cpu::PeIrq::SpeBuffer), 21),
    (IrqSource::Pe(cpu::PeIrq::Pmu), 23),
    (IrqSource::Pe(cpu::PeIrq::Maintenance), 25),
    (IrqSource::Pe(cpu::PeIrq::TimerHypPhys), 26),
    (IrqSource::Pe(cpu::PeIrq::TimerVirt), 27),
    (IrqSource::Pe(cpu::PeIrq::TimerHypVirt), 28),
    (IrqSource::TimerSecPhys, 29),
    (IrqSource::Pe(cpu::PeIrq::TimerPhys), 30),
    (IrqSource::Uart, 33),
    (IrqSource::Rtc, 34),
    // RAS error records of each PE (cpu::ras): INTIDs 64..72 and 72..80.
    (IrqSource::Pe(cpu::PeIrq::RasFault), 64),
    (IrqSource::Pe(cpu::PeIrq::RasRecovery), 72),
];

/// The INTID PE output `o` of CPU `cpu` drives: the wired PPI, or for an SPI-wired
/// output that CPU's own SPI.
pub fn pe_intid(o: cpu::PeIrq, cpu: usize) -> u32 {
    match intid(IrqSource::Pe(o)) {
        ppi @ 16..32 => ppi,
        spi => spi + cpu as u32,
    }
}

/// The INTID `src` drives (every source has a row in [`IRQ_WIRING`]; a unit test checks).
pub fn intid(src: IrqSource) -> u32 {
    IRQ_WIRING.iter().find(|w| w.0 == src).map_or(1023, |w| w.1)
}

/// Most vCPUs the board accepts (one GICv3 redistributor region per CPU, later).
pub const MAX_CPUS: usize = 8;

/// What an MMIO address decodes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    /// The PL011, at this offset.
    Uart(u64),
    /// The PL031, at this offset.
    Rtc(u64),
    /// The GIC distributor, at this offset.
    Gicd(u64),
    /// The GIC redistributors, at this offset from GICR_BASE.
    Gicr(u64),
    /// The GIC ITS, at this offset.
    Its(u64),
    /// A virtio-mmio transport, at this offset within its window.
    Virtio(u64),
    /// Nothing: an access is an external abort.
    None,
}

/// Decode a physical address outside RAM, for a board with `cpus` redistributors.
#[inline]
pub fn decode(pa: u64, cpus: usize) -> Region {
    let within = |base: u64, size: u64| pa.wrapping_sub(base) < size;
    if within(UART_BASE, UART_SIZE) {
        Region::Uart(pa - UART_BASE)
    } else if within(RTC_BASE, RTC_SIZE) {
        Region::Rtc(pa - RTC_BASE)
    } else if within(GICD_BASE, GICD_SIZE) {
        Region::Gicd(pa - GICD_BASE)
    } else if within(GICR_BASE, GICR_STRIDE * cpus as u64) {
        Region::Gicr(pa - GICR_BASE)
    } else if within(ITS_BASE, ITS_SIZE) {
        Region::Its(pa - ITS_BASE)
    } else if within(VIRTIO_BASE, VIRTIO_STRIDE * VIRTIO_COUNT) {
        Region::Virtio((pa - VIRTIO_BASE) % VIRTIO_STRIDE)
    } else {
        Region::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_is_wired_once() {
        let mut all = vec![IrqSource::Uart, IrqSource::Rtc, IrqSource::TimerSecPhys];
        all.extend(cpu::PeIrq::ALL.map(IrqSource::Pe));
        for s in all {
            assert_eq!(IRQ_WIRING.iter().filter(|w| w.0 == s).count(), 1, "{s:?}");
            assert!((16..32).contains(&intid(s)) || (32..32 + NUM_SPIS).contains(&intid(s)));
        }
        let mut ids: Vec<u32> = IRQ_WIRING
            .iter()
            .flat_map(|w| match w {
                (IrqSource::Pe(o), 32..) => (0..MAX_CPUS).map(|c| pe_intid(*o, c)).collect(),
                (_, id) => vec![*id],
            })
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "one source per INTID (per-CPU SPIs included)");
    }

    #[test]
    fn decode_regions() {
        assert_eq!(decode(0x0900_0018, 1), Region::Uart(0x18));
        assert_eq!(decode(0x0901_0000, 1), Region::Rtc(0));
        assert_eq!(decode(0x0800_ffff, 1), Region::Gicd(0xffff));
        assert_eq!(decode(0x080A_0000 + 0x1_0080, 1), Region::Gicr(0x1_0080));
        assert_eq!(decode(0x0809_0040, 1), Region::Its(0x1_0040));
        assert_eq!(
            decode(0x080A_0000 + 0x2_0000, 1),
            Region::None,
            "one CPU, one redistributor"
        );
        assert_eq!(decode(0x080A_0000 + 0x2_0000, 2), Region::Gicr(0x2_0000));
        assert_eq!(decode(0x0b00_0000, 8), Region::None);
    }
}
