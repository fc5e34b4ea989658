//! ARM PrimeCell Real Time Clock (PL031), as described in its Technical Reference Manual.
//!
//! The RTC is a 32-bit seconds counter with a match register that raises an
//! interrupt when the counter reaches it. Like the other models here it is a
//! state machine driven by MMIO accesses; time comes in as an argument
//! (`now_ns`, the board's simulated time in nanoseconds), so the same run
//! gives the same clock readings and the same interrupt times. Nothing is
//! updated in the background: the counter and the match interrupt are worked
//! out from `now_ns` when asked, and [`Pl031::next_event_ns`] tells the
//! board's scheduler when the interrupt line will next rise.
//!
//! Behaviour and simplifications, all invisible to a driver:
//!
//! - The counter always runs; RTCCR.RTCStart reads 1 and writes are ignored
//!   (the start bit cannot be cleared on the hardware either, short of reset).
//! - The counter increments at every whole second of simulated time. Loading
//!   RTCLR changes the value, not that phase.
//! - The raw match interrupt is latched when the counter steps onto RTCMR, and
//!   also at once when RTCMR or RTCLR is written so that the two already
//!   match. It stays set until cleared through RTCICR; clearing it while the
//!   values still match does not raise it again within that second.

/// Register offsets within the 4 KiB window.
mod reg {
    /// Data register: the current counter value (read-only).
    pub const DR: u64 = 0x000;
    /// Match register.
    pub const MR: u64 = 0x004;
    /// Load register: writing sets the counter.
    pub const LR: u64 = 0x008;
    /// Control register: bit 0 RTCStart.
    pub const CR: u64 = 0x00c;
    /// Interrupt mask set/clear: bit 0 set = interrupt enabled.
    pub const IMSC: u64 = 0x010;
    /// Raw interrupt status (read-only).
    pub const RIS: u64 = 0x014;
    /// Masked interrupt status (read-only).
    pub const MIS: u64 = 0x018;
    /// Interrupt clear (write-only): writing bit 0 as 1 clears the interrupt.
    pub const ICR: u64 = 0x01c;
    /// First PrimeCell identification register (RTCPeriphID0).
    pub const ID_FIRST: u64 = 0xfe0;
    /// Last PrimeCell identification register (RTCPCellID3).
    pub const ID_LAST: u64 = 0xffc;
}

/// RTCPeriphID0-3 then RTCPCellID0-3: "PL031, revision 1, ARM" (what Linux's
/// rtc-pl031 matches, as 0x00041031 under mask 0x000fffff) and the PrimeCell ID.
const ID: [u8; 8] = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/// The match interrupt bit in RTCIMSC, RTCRIS, RTCMIS and RTCICR.
const INT: u32 = 1;

const NS_PER_SEC: u64 = 1_000_000_000;

/// A PL031 RTC.
///
/// The interrupt output (RTCINTR) is the level returned by
/// [`Pl031::irq_level`]; the board samples it after each access and when the
/// time given by [`Pl031::next_event_ns`] is reached.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Pl031 {
    /// Counter value minus the number of whole seconds of simulated time.
    offset: u32,
    /// RTCMR.
    mr: u32,
    /// RTCLR: the last value loaded.
    lr: u32,
    /// RTCIMSC bit 0.
    imsc: bool,
    /// Raw interrupt latched up to `since_ns`.
    ris: bool,
    /// Matches at second boundaries after this time are not in `ris` yet.
    since_ns: u64,
}

impl Pl031 {
    /// 2026-01-01 00:00:00 UTC in seconds since the Unix epoch: a fixed start
    /// for the clock, so runs do not depend on the host's date.
    pub const DEFAULT_EPOCH: u64 = 1_767_225_600;

    /// Creates an RTC in its reset state whose counter reads `base_seconds`
    /// (truncated to the counter's 32 bits) at simulated time 0.
    pub fn new(base_seconds: u64) -> Self {
        Pl031 {
            offset: base_seconds as u32,
            mr: 0,
            lr: 0,
            imsc: false,
            ris: false,
            since_ns: 0,
        }
    }

    /// MMIO read of `size` bytes at `offset` within the 4 KiB window, at
    /// simulated time `now_ns`.
    ///
    /// Registers are 32-bit; narrower reads see the addressed bytes of the
    /// register. Write-only and unknown offsets read as 0.
    pub fn read(&mut self, offset: u64, size: u8, now_ns: u64) -> u32 {
        let value = match offset & !3 {
            reg::DR => self.counter(now_ns),
            reg::MR => self.mr,
            reg::LR => self.lr,
            reg::CR => 1,
            reg::IMSC => u32::from(self.imsc),
            reg::RIS => u32::from(self.raw(now_ns)),
            reg::MIS => u32::from(self.irq_level(now_ns)),
            id @ reg::ID_FIRST..=reg::ID_LAST => {
                // The range is 8 words, so the index is within ID.
                u32::from(ID[((id - reg::ID_FIRST) / 4) as usize])
            }
            _ => {
                tracing::debug!(offset, size, "pl031: read of unimplemented register");
                0
            }
        };
        let shift = (offset & 3) * 8;
        (value >> shift) & size_mask(size)
    }

    /// MMIO write of `size` bytes of `value` at `offset` within the 4 KiB
    /// window, at simulated time `now_ns`.
    ///
    /// Writes must start at a register's first byte; narrower writes set the
    /// low bytes and clear the rest. Other writes, to read-only registers or
    /// unknown offsets are ignored.
    pub fn write(&mut self, offset: u64, size: u8, value: u32, now_ns: u64) {
        if offset & 3 != 0 {
            tracing::debug!(offset, size, value, "pl031: ignoring unaligned write");
            return;
        }
        let value = value & size_mask(size);
        match offset {
            reg::MR => {
                self.settle(now_ns);
                self.mr = value;
                self.match_now(now_ns);
            }
            reg::LR => {
                self.settle(now_ns);
                self.lr = value;
                self.offset = value.wrapping_sub(seconds(now_ns));
                self.match_now(now_ns);
            }
            // Always running; RTCStart cannot be cleared.
            reg::CR => {}
            reg::IMSC => self.imsc = value & INT != 0,
            reg::ICR => {
                if value & INT != 0 {
                    self.settle(now_ns);
                    self.ris = false;
                }
            }
            _ => tracing::debug!(offset, size, value, "pl031: ignoring write"),
        }
    }

    /// Level of the interrupt line (RTCINTR) at `now_ns`: a latched match,
    /// enabled in RTCIMSC.
    pub fn irq_level(&self, now_ns: u64) -> bool {
        self.imsc && self.raw(now_ns)
    }

    /// When, after `now_ns`, the interrupt line will rise on its own: the next
    /// time the counter steps onto RTCMR, if the interrupt is enabled and not
    /// already asserted. `None` means no change without a register write, so
    /// the board should ask again after every write.
    pub fn next_event_ns(&self, now_ns: u64) -> Option<u64> {
        if !self.imsc || self.raw(now_ns) {
            return None;
        }
        // No match in (since_ns, now_ns], so the next one after since_ns is
        // also the next one after now_ns.
        self.next_match_after(self.since_ns)
    }

    /// RTCDR at `now_ns`.
    fn counter(&self, now_ns: u64) -> u32 {
        self.offset.wrapping_add(seconds(now_ns))
    }

    /// RTCRIS at `now_ns`: latched, or a match since the latch was brought up to date.
    fn raw(&self, now_ns: u64) -> bool {
        self.ris
            || self
                .next_match_after(self.since_ns)
                .is_some_and(|t| t <= now_ns)
    }

    /// The first second boundary strictly after `t_ns` at which the counter
    /// becomes RTCMR, or `None` if that is beyond the range of u64 nanoseconds
    /// (about 584 years).
    fn next_match_after(&self, t_ns: u64) -> Option<u64> {
        // The counter is offset + k during second k; it steps onto mr when
        // k ≡ mr - offset (mod 2^32).
        let first = t_ns / NS_PER_SEC + 1;
        let target = self.mr.wrapping_sub(self.offset);
        let wait = u64::from(target.wrapping_sub(first as u32));
        first.checked_add(wait)?.checked_mul(NS_PER_SEC)
    }

    /// Latch any match up to `now_ns` and watch for later ones from there.
    fn settle(&mut self, now_ns: u64) {
        self.ris = self.raw(now_ns);
        self.since_ns = self.since_ns.max(now_ns);
    }

    /// After RTCMR or RTCLR changed: a match that holds already is raised at once.
    fn match_now(&mut self, now_ns: u64) {
        if self.counter(now_ns) == self.mr {
            self.ris = true;
        }
    }
}

/// Whole seconds of simulated time, modulo the counter's 32 bits.
fn seconds(now_ns: u64) -> u32 {
    (now_ns / NS_PER_SEC) as u32
}

/// Mask for an access of `size` bytes (accesses wider than 4 see 32 bits).
fn size_mask(size: u8) -> u32 {
    match size {
        1 => 0xff,
        2 => 0xffff,
        _ => u32::MAX,
    }
}
