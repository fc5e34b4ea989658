//! The GICv3 ITS (IHI0069 §5.2, §6): translates an (DeviceID, EventID) message into an
//! LPI for the PE its collection targets. Software maps devices, collections and events
//! with commands it queues in memory (GITS_CBASER, GITS_CWRITER); a device (or, here,
//! any write) signals an event by writing the EventID to GITS_TRANSLATER.
//!
//! Choices where the architecture leaves room, and why:
//! - Commands run synchronously when GITS_CWRITER is written, so GITS_CREADR catches up
//!   at once and GITS_CTLR.Quiescent is always 1 (software that waits for the queue to
//!   drain sees it drained).
//! - The device, interrupt translation and collection tables are kept inside the model.
//!   Their format in memory is IMPLEMENTATION DEFINED, so software allocates them
//!   (GITS_BASER0 for devices, GITS_BASER1 for collections; flat, 64 KiB pages, 8-byte
//!   entries, as QEMU's) but never reads them.
//! - GITS_TYPER: physical LPIs only (no GICv4), 16-bit DeviceIDs, EventIDs and
//!   collection IDs, 8-byte ITT entries, RDbase as a PE number (PTA = 0), no hardware
//!   collections.
//! - A command with an out-of-range or unmapped operand is ignored (GITS_TYPER.SEIS = 0:
//!   no SError is reported), as is an unknown command (logged at debug level).
//! - A write to GITS_TRANSLATER carries DeviceID 0 (the board has no bus that would
//!   supply one).

use std::collections::BTreeMap;

use crate::regs::{self, its as r};

/// Command queue entries are 32 bytes.
const CMD_SIZE: u64 = 32;
/// GITS_CBASER: Valid \[63\], InnerCache \[61:59\], OuterCache \[55:53\], PA \[51:12\],
/// Shareability \[11:10\], Size \[7:0\].
const CBASER_MASK: u64 = 0xb8ef_ffff_ffff_fcff;
/// GITS_BASER<n> writable bits: Valid \[63\], InnerCache \[61:59\], OuterCache
/// \[55:53\], PA \[47:16\], Shareability \[11:10\], Size \[7:0\] (Indirect, Type,
/// Entry_Size and Page_Size are fixed).
const BASER_RW: u64 = 0xb8e0_ffff_ffff_0cff;
/// GITS_BASER<n> fixed fields: Type \[58:56\], Entry_Size \[52:48\] = 7 (8 bytes),
/// Page_Size \[9:8\] = 0b10 (64 KiB).
const BASER_DEVICES: u64 = (1 << 56) | (7 << 48) | (2 << 8);
const BASER_COLLECTIONS: u64 = (4 << 56) | (7 << 48) | (2 << 8);
/// GITS_TYPER: Physical \[0\], ITT_entry_size \[7:4\] = 7 (8 bytes), IDbits \[12:8\] = 15,
/// Devbits \[17:13\] = 15, PTA \[19\] = 0, HCC \[31:24\] = 0, CIL \[36\] = 0 (16-bit ICIDs).
const TYPER: u64 = 1 | (7 << 4) | (15 << 8) | (15 << 13);

/// A mapped device: its interrupt translation table's EventID width (MAPD Size + 1).
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
struct Device {
    event_bits: u32,
}

/// An interrupt translation entry: the LPI and the collection it goes to.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
struct Ite {
    intid: u32,
    icid: u16,
}

/// What a command asks of the redistributors, for the GIC to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Make LPI `intid` pending on PE `pe`.
    Pend { pe: usize, intid: u32 },
    /// Clear its pending state.
    Clear { pe: usize, intid: u32 },
    /// Re-read its configuration (INV), or that of every LPI of the PE (INVALL).
    Inv { pe: usize, intid: Option<u32> },
    /// Move its pending state to another PE (MOVI).
    Move { from: usize, to: usize, intid: u32 },
    /// Move every pending LPI of a PE to another (MOVALL).
    MoveAll { from: usize, to: usize },
}

/// The ITS.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Its {
    enabled: bool,
    cbaser: u64,
    cwriter: u64,
    creadr: u64,
    baser: [u64; 2],
    devices: BTreeMap<u32, Device>,
    /// Keyed by DeviceID << 32 | EventID.
    ites: BTreeMap<u64, Ite>,
    /// ICID to target PE number.
    collections: BTreeMap<u16, u32>,
}

fn key(device: u32, event: u32) -> u64 {
    (u64::from(device) << 32) | u64::from(event)
}

impl Its {
    /// Read at `offset` in the ITS's 128 KiB (control frame, then translation frame).
    pub(crate) fn read(&self, offset: u64, size: u8) -> u64 {
        let v = match offset & !7 {
            r::CTLR => (u64::from(self.enabled) | (1 << 31)) | (u64::from(regs::IIDR) << 32),
            r::TYPER => TYPER,
            r::CBASER => self.cbaser,
            r::CWRITER => self.cwriter,
            r::CREADR => self.creadr,
            o if (r::BASER..r::BASER + 64).contains(&o) => self.baser_value(o),
            o => {
                let lo = regs::id_reg(o, regs::PIDR0_ITS).unwrap_or(0);
                let hi = regs::id_reg(o + 4, regs::PIDR0_ITS).unwrap_or(0);
                u64::from(lo) | (u64::from(hi) << 32)
            }
        };
        match size {
            8 if offset & 7 == 0 => v,
            4 if offset & 3 == 0 => (v >> (8 * (offset & 4))) & 0xffff_ffff,
            _ => {
                tracing::debug!(offset, size, "gic: bad-size GITS read, RAZ");
                0
            }
        }
    }

    fn baser_value(&self, o: u64) -> u64 {
        match (o - r::BASER) / 8 {
            0 => self.baser[0] | BASER_DEVICES,
            1 => self.baser[1] | BASER_COLLECTIONS,
            _ => 0,
        }
    }

    /// Write at `offset`; returns what the commands it ran ask of the redistributors.
    pub(crate) fn write(
        &mut self,
        mem: &impl crate::GicMemory,
        offset: u64,
        size: u8,
        value: u64,
    ) -> Vec<Effect> {
        if offset == r::TRANSLATER && matches!(size, 2 | 4) {
            return self.translate(0, value as u32).into_iter().collect();
        }
        let (reg, value) = match size {
            8 if offset & 7 == 0 => (offset, value),
            4 if offset & 3 == 0 => {
                // A 32-bit half of a 64-bit register: merge with the other half.
                let reg = offset & !7;
                let old = self.read(reg, 8);
                let shift = 8 * (offset & 4);
                let v = (old & !(0xffff_ffff << shift)) | ((value & 0xffff_ffff) << shift);
                (reg, v)
            }
            _ => {
                tracing::debug!(offset, size, value, "gic: bad-size GITS write ignored");
                return Vec::new();
            }
        };
        match reg {
            r::CTLR => {
                // Only the low word holds writable bits (Enabled).
                if size == 8 || offset & 4 == 0 {
                    self.enabled = value & 1 != 0;
                    return self.run(mem);
                }
            }
            // CBASER may change only while the ITS is disabled; writing it empties the queue.
            r::CBASER if !self.enabled => {
                self.cbaser = value & CBASER_MASK;
                self.creadr = 0;
            }
            r::CWRITER => {
                self.cwriter = value & 0xf_ffe0;
                return self.run(mem);
            }
            o if (r::BASER..r::BASER + 16).contains(&o) && !self.enabled => {
                self.baser[((o - r::BASER) / 8) as usize] = value & BASER_RW;
            }
            _ => tracing::trace!(
                offset,
                value,
                "gic: GITS write ignored (RO, RAZ/WI or enabled)"
            ),
        }
        Vec::new()
    }

    /// Process the queue from CREADR up to CWRITER, if the ITS is enabled and the queue
    /// valid.
    fn run(&mut self, mem: &impl crate::GicMemory) -> Vec<Effect> {
        let mut out = Vec::new();
        if !self.enabled || self.cbaser >> 63 == 0 {
            return out;
        }
        let base = self.cbaser & 0x000f_ffff_ffff_f000;
        let len = ((self.cbaser & 0xff) + 1) * 4096;
        if self.cwriter >= len {
            tracing::debug!(
                cwriter = self.cwriter,
                len,
                "gic: GITS_CWRITER beyond the queue ignored"
            );
            return out;
        }
        while self.creadr != self.cwriter {
            let mut raw = [0u8; CMD_SIZE as usize];
            if !mem.read(base + self.creadr, &mut raw) {
                tracing::debug!(
                    pa = base + self.creadr,
                    "gic: ITS command queue not in RAM; stalled"
                );
                break;
            }
            let dw: [u64; 4] = std::array::from_fn(|i| {
                u64::from_le_bytes(raw[8 * i..8 * i + 8].try_into().unwrap())
            });
            self.command(dw, &mut out);
            self.creadr = (self.creadr + CMD_SIZE) % len;
        }
        out
    }

    /// One command (GICv3 §6.3).
    fn command(&mut self, dw: [u64; 4], out: &mut Vec<Effect>) {
        let device = (dw[0] >> 32) as u32;
        let event = dw[1] as u32;
        let icid = dw[2] as u16;
        match dw[0] & 0xff {
            // INT, CLEAR, DISCARD: act on a mapped event.
            0x03 => out.extend(self.translate(device, event)),
            0x04 | 0x0f => {
                if let Some((pe, intid)) = self.target(device, event) {
                    out.push(Effect::Clear { pe, intid });
                }
                if dw[0] & 0xff == 0x0f {
                    self.ites.remove(&key(device, event));
                }
            }
            // INV: re-read one LPI's configuration.
            0x0c => {
                if let Some((pe, intid)) = self.target(device, event) {
                    out.push(Effect::Inv {
                        pe,
                        intid: Some(intid),
                    });
                }
            }
            // SYNC: nothing is outstanding.
            0x05 => {}
            // MAPD: Size [4:0] of DW1 is EventID bits - 1; V is DW2[63].
            0x08 => {
                if dw[2] >> 63 == 0 {
                    self.devices.remove(&device);
                    self.ites.retain(|k, _| (k >> 32) as u32 != device);
                } else if device >> 16 == 0 {
                    let event_bits = (dw[1] & 0x1f) as u32 + 1;
                    self.devices.insert(
                        device,
                        Device {
                            event_bits: event_bits.min(16),
                        },
                    );
                } else {
                    self.ignored("MAPD with a DeviceID beyond GITS_TYPER.Devbits");
                }
            }
            // MAPC: RDbase [50:16] is a PE number (PTA = 0).
            0x09 => {
                if dw[2] >> 63 == 0 {
                    self.collections.remove(&icid);
                } else {
                    self.collections
                        .insert(icid, ((dw[2] >> 16) & 0x7_ffff_ffff) as u32);
                }
            }
            // MAPTI (pINTID in DW1[63:32]) and MAPI (pINTID = EventID).
            0x0a | 0x0b => {
                let intid = if dw[0] & 0xff == 0x0a {
                    (dw[1] >> 32) as u32
                } else {
                    event
                };
                match self.devices.get(&device) {
                    Some(d) if event >> d.event_bits == 0 && (8192..65536).contains(&intid) => {
                        self.ites.insert(key(device, event), Ite { intid, icid });
                    }
                    _ => self.ignored(
                        "MAPTI/MAPI of an unmapped device, or an EventID or pINTID out of range",
                    ),
                }
            }
            // MOVI: the event goes to another collection, its pending state with it.
            0x01 => {
                let from = self.target(device, event);
                if let (Some(ite), Some(&to)) = (
                    self.ites.get_mut(&key(device, event)),
                    self.collections.get(&icid),
                ) {
                    ite.icid = icid;
                    if let Some((from, intid)) = from {
                        out.push(Effect::Move {
                            from,
                            to: to as usize,
                            intid,
                        });
                    }
                }
            }
            // INVALL: every LPI of the collection's PE.
            0x0d => {
                if let Some(&pe) = self.collections.get(&icid) {
                    out.push(Effect::Inv {
                        pe: pe as usize,
                        intid: None,
                    });
                }
            }
            // MOVALL: every pending LPI of one PE moves to another (RDbase1 in DW2,
            // RDbase2 in DW3, bits [50:16]).
            0x0e => out.push(Effect::MoveAll {
                from: ((dw[2] >> 16) & 0x7_ffff_ffff) as usize,
                to: ((dw[3] >> 16) & 0x7_ffff_ffff) as usize,
            }),
            op => {
                tracing::debug!(op, "gic: unknown ITS command ignored");
                self.ignored("an unknown or GICv4 command");
            }
        }
    }

    /// The PE and LPI an event translates to, if device, event and collection are mapped.
    fn target(&self, device: u32, event: u32) -> Option<(usize, u32)> {
        let ite = self.ites.get(&key(device, event))?;
        let pe = *self.collections.get(&ite.icid)?;
        Some((pe as usize, ite.intid))
    }

    /// An event from `device` (INT, or a GITS_TRANSLATER write while enabled).
    fn translate(&self, device: u32, event: u32) -> Option<Effect> {
        match self.target(device, event) {
            Some((pe, intid)) if self.enabled => Some(Effect::Pend { pe, intid }),
            _ => {
                tracing::debug!(
                    device,
                    event,
                    "gic: ITS event with no mapping (or ITS disabled) dropped"
                );
                None
            }
        }
    }

    fn ignored(&self, what: &str) {
        tracing::debug!("gic: ITS command ignored: {what}");
    }
}
