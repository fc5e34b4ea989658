//! ARM PrimeCell UART (PL011), as described in its Technical Reference Manual.
//!
//! The model is a state machine driven by MMIO accesses and by bytes from the
//! host; it knows nothing about buses, interrupt controllers or threads, so
//! the board decides how it is mapped and wired and tests can drive it
//! directly. Simplifications, all invisible to a driver:
//!
//! - Transmission is instantaneous: a byte written to UARTDR goes straight to
//!   the output, so the TX FIFO is always empty and never busy.
//! - Nothing goes wrong on the line: the only receive error is overrun.
//! - Baud rate, line control and DMA registers are stored and read back but
//!   have no effect; modem lines and loopback are not modelled.

use std::collections::VecDeque;
use std::io::Write;

/// Register offsets within the 4 KiB window.
mod reg {
    pub const DR: u64 = 0x000;
    pub const RSR_ECR: u64 = 0x004;
    pub const FR: u64 = 0x018;
    pub const ILPR: u64 = 0x020;
    pub const IBRD: u64 = 0x024;
    pub const FBRD: u64 = 0x028;
    pub const LCR_H: u64 = 0x02c;
    pub const CR: u64 = 0x030;
    pub const IFLS: u64 = 0x034;
    pub const IMSC: u64 = 0x038;
    pub const RIS: u64 = 0x03c;
    pub const MIS: u64 = 0x040;
    pub const ICR: u64 = 0x044;
    pub const DMACR: u64 = 0x048;
    /// First PrimeCell identification register (UARTPeriphID0).
    pub const ID_FIRST: u64 = 0xfe0;
    /// Last PrimeCell identification register (UARTPCellID3).
    pub const ID_LAST: u64 = 0xffc;
}

/// UARTPeriphID0-3 then UARTPCellID0-3: "PL011, revision r1p5, ARM".
const ID: [u8; 8] = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/// UARTFR bits.
mod fr {
    pub const RXFE: u32 = 1 << 4;
    pub const RXFF: u32 = 1 << 6;
    pub const TXFE: u32 = 1 << 7;
}

/// Interrupt bits, shared by UARTIMSC, UARTRIS, UARTMIS and UARTICR.
mod int {
    /// Receive: RX FIFO at or above its trigger level.
    pub const RX: u16 = 1 << 4;
    /// Transmit: TX FIFO at or below its trigger level.
    pub const TX: u16 = 1 << 5;
    /// Receive timeout: data waiting in the RX FIFO.
    pub const RT: u16 = 1 << 6;
    /// Overrun: a received byte was lost because the RX FIFO was full.
    pub const OE: u16 = 1 << 10;
    /// All implemented and reserved-as-writable bits (10:0).
    pub const ALL: u16 = 0x7ff;
}

/// Overrun in UARTRSR (bit 3) and, shifted by 8, in the error bits of UARTDR.
const RSR_OE: u16 = 1 << 3;
/// UARTLCR_H.FEN: FIFOs enabled.
const LCR_H_FEN: u16 = 1 << 4;
/// RX FIFO depth when FIFOs are enabled.
const FIFO_DEPTH: usize = 32;
/// UARTCR reset value: TXE | RXE.
const CR_RESET: u16 = 0x300;
/// UARTIFLS reset value: both trigger levels at half full.
const IFLS_RESET: u16 = 0x12;

/// A PL011 UART whose transmitted bytes go to `out`.
///
/// The interrupt output is the level returned by [`Pl011::irq_level`]; the
/// board samples it after each access and after [`Pl011::push_rx`].
#[derive(Debug)]
pub struct Pl011<W: Write> {
    out: W,
    /// Received characters: data in bits 7:0, error flags in bits 11:8.
    rx: VecDeque<u16>,
    rsr: u16,
    ilpr: u16,
    ibrd: u16,
    fbrd: u16,
    lcr_h: u16,
    cr: u16,
    ifls: u16,
    imsc: u16,
    ris: u16,
    dmacr: u16,
}

/// The UART's registers and receive FIFO, without its output (board snapshots).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pl011State {
    rx: Vec<u16>,
    regs: [u16; 10],
}

impl<W: Write> Pl011<W> {
    /// Its state (the output stream is the board's).
    pub fn save(&self) -> Pl011State {
        Pl011State {
            rx: self.rx.iter().copied().collect(),
            regs: [
                self.rsr, self.ilpr, self.ibrd, self.fbrd, self.lcr_h, self.cr, self.ifls,
                self.imsc, self.ris, self.dmacr,
            ],
        }
    }

    /// Restore a state from [`Pl011::save`].
    pub fn restore(&mut self, s: &Pl011State) {
        self.rx = s.rx.iter().copied().collect();
        [
            self.rsr, self.ilpr, self.ibrd, self.fbrd, self.lcr_h, self.cr, self.ifls, self.imsc,
            self.ris, self.dmacr,
        ] = s.regs;
    }

    /// Creates a UART in its reset state.
    ///
    /// The TX interrupt starts raised: the (always empty) TX FIFO is below any
    /// trigger level, and a driver that unmasks TXIM expects to be told so.
    pub fn new(out: W) -> Self {
        Pl011 {
            out,
            rx: VecDeque::with_capacity(FIFO_DEPTH),
            rsr: 0,
            ilpr: 0,
            ibrd: 0,
            fbrd: 0,
            lcr_h: 0,
            cr: CR_RESET,
            ifls: IFLS_RESET,
            imsc: 0,
            ris: int::TX,
            dmacr: 0,
        }
    }

    /// MMIO read of `size` bytes at `offset` within the 4 KiB window.
    ///
    /// Registers are 32-bit; narrower reads see the addressed bytes of the
    /// register, and any read that touches UARTDR pops the RX FIFO, as on the
    /// bus. Unknown offsets read as 0.
    pub fn read(&mut self, offset: u64, size: u8) -> u32 {
        let value = match offset & !3 {
            reg::DR => self.read_dr(),
            reg::RSR_ECR => u32::from(self.rsr),
            reg::FR => self.flags(),
            reg::ILPR => u32::from(self.ilpr),
            reg::IBRD => u32::from(self.ibrd),
            reg::FBRD => u32::from(self.fbrd),
            reg::LCR_H => u32::from(self.lcr_h),
            reg::CR => u32::from(self.cr),
            reg::IFLS => u32::from(self.ifls),
            reg::IMSC => u32::from(self.imsc),
            reg::RIS => u32::from(self.ris),
            reg::MIS => u32::from(self.ris & self.imsc),
            reg::DMACR => u32::from(self.dmacr),
            id @ reg::ID_FIRST..=reg::ID_LAST => {
                // The range is 8 words, so the index is within ID.
                u32::from(ID[((id - reg::ID_FIRST) / 4) as usize])
            }
            _ => {
                tracing::debug!(offset, size, "pl011: read of unimplemented register");
                0
            }
        };
        let shift = (offset & 3) * 8;
        (value >> shift) & size_mask(size)
    }

    /// MMIO write of `size` bytes of `value` at `offset` within the 4 KiB window.
    ///
    /// Writes must start at a register's first byte; narrower writes set the
    /// low bytes and clear the rest. Other writes, to read-only registers or
    /// unknown offsets are ignored.
    pub fn write(&mut self, offset: u64, size: u8, value: u32) {
        if offset & 3 != 0 {
            tracing::debug!(offset, size, value, "pl011: ignoring unaligned write");
            return;
        }
        let value = value & size_mask(size);
        // Every register is at most 16 bits wide; masks below trim further.
        let half = (value & 0xffff) as u16;
        match offset {
            reg::DR => self.transmit(value as u8),
            // Any write to UARTECR clears the error status.
            reg::RSR_ECR => self.rsr = 0,
            reg::ILPR => self.ilpr = half & 0xff,
            reg::IBRD => self.ibrd = half,
            reg::FBRD => self.fbrd = half & 0x3f,
            reg::LCR_H => {
                self.lcr_h = half & 0xff;
                self.rx_level_changed(false);
            }
            reg::CR => self.cr = half,
            reg::IFLS => {
                self.ifls = half & 0x3f;
                self.rx_level_changed(false);
            }
            reg::IMSC => self.imsc = half & int::ALL,
            reg::ICR => self.ris &= !(half & int::ALL),
            reg::DMACR => self.dmacr = half & 0x7,
            _ => tracing::debug!(offset, size, value, "pl011: ignoring write"),
        }
    }

    /// Delivers one byte from the host to the receive FIFO.
    ///
    /// When the FIFO (32 entries, or 1 with FIFOs disabled) is full the byte
    /// is lost and an overrun is reported, as the hardware does; a board that
    /// must not lose input should check [`Pl011::rx_room`] first.
    pub fn push_rx(&mut self, byte: u8) {
        if self.rx.len() >= self.rx_depth() {
            self.rsr |= RSR_OE;
            self.ris |= int::OE;
            // The overrun is reported with the character that was waiting
            // when the new one arrived: the newest one in the FIFO.
            if let Some(last) = self.rx.back_mut() {
                *last |= RSR_OE << 8;
            }
            return;
        }
        self.rx.push_back(u16::from(byte));
        self.rx_level_changed(true);
    }

    /// How many bytes [`Pl011::push_rx`] can accept before overrunning.
    ///
    /// Lets the board hold host input back instead of losing it when, say, a
    /// paste arrives faster than the guest drains the FIFO.
    pub fn rx_room(&self) -> usize {
        self.rx_depth().saturating_sub(self.rx.len())
    }

    /// Level of the interrupt line (UARTINTR): any raw interrupt that is unmasked.
    pub fn irq_level(&self) -> bool {
        self.ris & self.imsc != 0
    }

    /// The transmit sink.
    pub fn output(&self) -> &W {
        &self.out
    }

    /// The transmit sink, mutably (e.g. to flush it).
    pub fn output_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Consumes the UART and returns the transmit sink.
    pub fn into_output(self) -> W {
        self.out
    }

    /// Sends a byte.
    ///
    /// UARTCR.UARTEN and TXE are deliberately not checked: some boot code
    /// writes UARTDR without ever enabling the UART, and QEMU transmits in
    /// that case too. Flushing is left to the board, which knows when output
    /// should become visible.
    fn transmit(&mut self, byte: u8) {
        if let Err(error) = self.out.write_all(&[byte]) {
            tracing::warn!(%error, "pl011: output failed, byte dropped");
        }
        // The byte left at once, so the TX FIFO is again below its trigger.
        self.ris |= int::TX;
    }

    /// Pops the oldest received character with its error bits (0 if none).
    fn read_dr(&mut self) -> u32 {
        let Some(entry) = self.rx.pop_front() else {
            return 0;
        };
        // UARTRSR shows the errors of the character just read.
        self.rsr |= (entry >> 8) & 0xf;
        self.rx_level_changed(false);
        u32::from(entry)
    }

    /// UARTFR: TX always empty and idle; RX empty/full from the FIFO level.
    fn flags(&self) -> u32 {
        let mut flags = fr::TXFE;
        if self.rx.is_empty() {
            flags |= fr::RXFE;
        }
        if self.rx.len() >= self.rx_depth() {
            flags |= fr::RXFF;
        }
        flags
    }

    /// Updates the RX and RT interrupts after the FIFO level or its trigger changed.
    ///
    /// Conditions that stop holding clear their bit at once; they are raised
    /// only when a byte `arrived`, so a bit cleared through UARTICR stays
    /// clear until new data comes in, as on the hardware.
    fn rx_level_changed(&mut self, arrived: bool) {
        let level = self.rx.len();
        let above_trigger = level >= self.rx_trigger();
        if !above_trigger {
            self.ris &= !int::RX;
        }
        if level == 0 {
            self.ris &= !int::RT;
        }
        if arrived {
            if above_trigger {
                self.ris |= int::RX;
            }
            self.ris |= int::RT;
        }
    }

    /// RX FIFO capacity: 32, or a single holding register with FIFOs off.
    fn rx_depth(&self) -> usize {
        if self.lcr_h & LCR_H_FEN != 0 {
            FIFO_DEPTH
        } else {
            1
        }
    }

    /// FIFO level at which the RX interrupt asserts (UARTIFLS.RXIFLSEL).
    fn rx_trigger(&self) -> usize {
        if self.lcr_h & LCR_H_FEN == 0 {
            return 1;
        }
        match (self.ifls >> 3) & 0x7 {
            0 => FIFO_DEPTH / 8,
            1 => FIFO_DEPTH / 4,
            3 => FIFO_DEPTH * 3 / 4,
            4 => FIFO_DEPTH * 7 / 8,
            // 2 is half full; the reserved encodings behave the same.
            _ => FIFO_DEPTH / 2,
        }
    }
}

/// Mask for an access of `size` bytes (accesses wider than 4 see 32 bits).
fn size_mask(size: u8) -> u32 {
    match size {
        1 => 0xff,
        2 => 0xffff,
        _ => u32::MAX,
    }
}
