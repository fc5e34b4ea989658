//! LPIs and the ITS (IHI0069 §5.1, §5.2, §6.3) through the public API, with a
//! small guest memory holding the LPI configuration table and the command queue.

use crate::common::*;
use gic::{Gic, GicMemory, IccReg};

const GITS_CTLR: u64 = 0x0000;
const GITS_TYPER: u64 = 0x0008;
const GITS_CBASER: u64 = 0x0080;
const GITS_CWRITER: u64 = 0x0088;
const GITS_CREADR: u64 = 0x0090;
const GITS_BASER: u64 = 0x0100;
const GITS_TRANSLATER: u64 = 0x1_0040;
const GICR_PROPBASER: u64 = 0x70;
const GICR_CTLR_ENABLE_LPIS: u64 = 1;

/// Guest RAM at 0x4000_0000: the LPI configuration table at PROP, the queue at QUEUE.
struct Mem(Vec<u8>);
const BASE: u64 = 0x4000_0000;
const PROP: u64 = BASE;
const QUEUE: u64 = BASE + 0x1_0000;

impl GicMemory for Mem {
    fn read(&self, pa: u64, buf: &mut [u8]) -> bool {
        let Some(off) = pa.checked_sub(BASE).map(|o| o as usize) else {
            return false;
        };
        match self.0.get(off..off + buf.len()) {
            Some(src) => {
                buf.copy_from_slice(src);
                true
            }
            None => false,
        }
    }
}

struct Its {
    g: Gic,
    mem: Mem,
    next: u64,
}

impl Its {
    /// Two CPUs booted like Linux, LPIs on (16 INTID bits, every LPI priority 0xA0,
    /// disabled), the ITS enabled with a one-page queue.
    fn new() -> Self {
        let mut g = linux_gic(2, true);
        let mut mem = Mem(vec![0; 0x2_0000]);
        mem.0[..8192].fill(0xA0);
        for cpu in 0..2 {
            g.redist_write(rd(cpu) + GICR_PROPBASER, 8, PROP | 15);
            g.redist_write(rd(cpu) + GICR_CTLR, 4, GICR_CTLR_ENABLE_LPIS);
        }
        g.its_write(&mem, GITS_CBASER, 8, QUEUE | (1 << 63));
        g.its_write(&mem, GITS_CTLR, 4, 1);
        Its { g, mem, next: 0 }
    }

    fn cmd(&mut self, dw: [u64; 3]) {
        let at = (QUEUE - BASE + self.next) as usize;
        for (i, d) in dw.iter().chain(&[0]).enumerate() {
            self.mem.0[at + 8 * i..at + 8 * i + 8].copy_from_slice(&d.to_le_bytes());
        }
        self.next = (self.next + 32) % 4096;
        self.g.its_write(&self.mem, GITS_CWRITER, 8, self.next);
        assert_eq!(
            self.g.its_read(GITS_CREADR, 8),
            self.next,
            "the queue drains at once"
        );
    }

    fn config(&mut self, intid: u32, cfg: u8) {
        self.mem.0[(PROP - BASE) as usize + intid as usize - 8192] = cfg;
    }

    fn take(&mut self, cpu: usize) -> u64 {
        let id = self.g.icc_read(cpu, IccReg::Iar1);
        if id != 1023 {
            self.g.icc_write(cpu, IccReg::Eoir1, id);
            self.g.icc_write(cpu, IccReg::Dir, id);
        }
        id
    }
}

const INT: u64 = 0x03;
const CLEAR: u64 = 0x04;
const INV: u64 = 0x0C;
const DISCARD: u64 = 0x0F;
fn ev(op: u64, dev: u64, event: u64) -> [u64; 3] {
    [op | dev << 32, event, 0]
}
fn mapd(dev: u64, valid: bool) -> [u64; 3] {
    [0x08 | dev << 32, 4, (valid as u64) << 63 | 0x4001_8000]
}
fn mapc(icid: u64, pe: u64) -> [u64; 3] {
    [0x09, 0, 1 << 63 | pe << 16 | icid]
}
fn mapti(dev: u64, event: u64, intid: u64, icid: u64) -> [u64; 3] {
    [0x0A | dev << 32, intid << 32 | event, icid]
}

#[test]
fn its_registers_identify_a_physical_its_with_device_and_collection_tables() {
    let mut g = Gic::new(&mpidrs(1), 32);
    assert_eq!(g.its_read(GITS_TYPER, 8) & 1, 1, "Physical");
    assert_eq!(g.its_read(GITS_CTLR, 4) >> 31, 1, "Quiescent");
    assert_eq!(g.its_read(0xFFE8, 4) & 0xF0, 0x30, "PIDR2.ArchRev: GICv3");
    let types: Vec<u64> = (0..8)
        .map(|i| g.its_read(GITS_BASER + 8 * i, 8) >> 56 & 7)
        .collect();
    assert_eq!(&types[..2], &[1, 4], "devices, then collections");
    assert!(types[2..].iter().all(|&t| t == 0));
}

#[test]
fn events_become_lpis_on_the_collection_target_by_priority_and_configuration() {
    let mut t = Its::new();
    t.cmd(mapc(3, 1));
    t.cmd(mapd(2, true));
    t.cmd(mapti(2, 20, 8195, 3));
    t.cmd(mapti(2, 21, 8196, 3));
    t.config(8195, 0xA1);
    t.config(8196, 0x81);
    // Configuration read when the LPI becomes pending: enabled.
    t.cmd(ev(INT, 2, 20));
    t.cmd(ev(INT, 2, 21));
    assert_eq!(t.take(0), 1023, "collection 3 targets PE 1");
    assert_eq!(t.take(1), 8196, "priority 0x80 first");
    assert_eq!(t.take(1), 8195);
    assert_eq!(t.take(1), 1023, "no active state: nothing left");
    // Disabled in memory: takes effect at INV.
    t.config(8195, 0xA0);
    t.cmd(ev(INV, 2, 20));
    t.cmd(ev(INT, 2, 20));
    assert_eq!(t.take(1), 1023);
    t.config(8195, 0xA1);
    t.cmd([0x0D, 0, 3]); // INVALL of collection 3
    assert_eq!(t.take(1), 8195, "pending all along");
    // CLEAR, DISCARD, GITS_TRANSLATER (DeviceID 0), MAPD V=0.
    t.cmd(ev(INT, 2, 21));
    t.cmd(ev(CLEAR, 2, 21));
    assert_eq!(t.take(1), 1023);
    t.cmd(ev(DISCARD, 2, 21));
    t.cmd(ev(INT, 2, 21));
    assert_eq!(t.take(1), 1023);
    t.cmd(mapd(0, true));
    t.cmd(mapti(0, 1, 8196, 3));
    let mem = Mem(t.mem.0.clone());
    t.g.its_write(&mem, GITS_TRANSLATER, 4, 1);
    assert_eq!(t.take(1), 8196);
    t.cmd(mapd(2, false));
    t.cmd(ev(INT, 2, 20));
    assert_eq!(t.take(1), 1023, "unmapped device");
}

#[test]
fn movi_moves_a_pending_lpi_and_disabled_lpis_drop_events() {
    let mut t = Its::new();
    t.cmd(mapc(0, 0));
    t.cmd(mapc(1, 1));
    t.cmd(mapd(9, true));
    t.cmd(mapti(9, 1, 8200, 0));
    t.config(8200, 0xA1);
    t.cmd(ev(INT, 9, 1));
    t.cmd([0x01 | 9 << 32, 1, 1]); // MOVI to collection 1
    assert_eq!(t.take(0), 1023);
    assert_eq!(t.take(1), 8200);
    // MOVALL from PE 1 to PE 0 (RDbase1 in DW2; RDbase2, DW3, is 0).
    t.cmd(ev(INT, 9, 1));
    t.cmd([0x0E, 0, 1 << 16]);
    assert_eq!(t.take(1), 1023);
    assert_eq!(t.take(0), 8200);
    // With EnableLPIs clear, an event is not made pending.
    t.g.redist_write(rd(1) + GICR_CTLR, 4, 0);
    t.cmd(ev(INT, 9, 1));
    t.g.redist_write(rd(1) + GICR_CTLR, 4, GICR_CTLR_ENABLE_LPIS);
    assert_eq!(t.take(1), 1023);
}
