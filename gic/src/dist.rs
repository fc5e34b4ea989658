//! The distributor (GICD): global enables, identification, and the state,
//! configuration and routing (`GICD_IROUTER<n>`) of every SPI. With affinity
//! routing permanently on, its registers for INTIDs 0-31 are RAZ/WI; those
//! live in the redistributors.

use crate::bank;
use crate::irq::{Group, Irq};
use crate::regs::{self, ctlr, gicd, typer, PIDR0_GICD};

/// Most SPIs a GICv3 without extended SPIs can have: INTIDs 32..=1019.
pub(crate) const MAX_SPIS: u32 = 1020 - 32;

/// Writable IROUTER bits: Aff0-2 [23:0], IRM [31], Aff3 [39:32].
pub(crate) const IROUTER_MASK: u64 = 0xFF_80FF_FFFF;
/// Interrupt Routing Mode: 1 = deliver to any one participating PE.
pub(crate) const IROUTER_IRM: u64 = 1 << 31;

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Distributor {
    enable_grp0: bool,
    enable_grp1: bool,
    /// `spis[i]` is INTID 32 + i.
    pub(crate) spis: Vec<Irq>,
    /// `irouter[i]` routes INTID 32 + i.
    pub(crate) irouter: Vec<u64>,
}

impl Distributor {
    /// `num_spis` is rounded up to the 32-INTID granule that
    /// GICD_TYPER.ITLinesNumber can describe, and capped at INTID 1019.
    pub(crate) fn new(num_spis: u32) -> Self {
        let n = num_spis.div_ceil(32).saturating_mul(32).min(MAX_SPIS) as usize;
        Distributor {
            enable_grp0: false,
            enable_grp1: false,
            spis: vec![Irq::default(); n],
            irouter: vec![0; n],
        }
    }

    /// Number of INTIDs covered, counting SGIs and PPIs (32 + SPIs).
    pub(crate) fn num_intids(&self) -> u32 {
        32 + self.spis.len() as u32
    }

    /// GICD_CTLR.EnableGrp0 / EnableGrp1.
    pub(crate) fn group_enabled(&self, group: Group) -> bool {
        match group {
            Group::G0 => self.enable_grp0,
            Group::G1 => self.enable_grp1,
        }
    }

    pub(crate) fn spi_mut(&mut self, intid: u32) -> Option<&mut Irq> {
        self.spis.get_mut(intid.checked_sub(32)? as usize)
    }

    fn ctlr(&self) -> u32 {
        let mut v = ctlr::ARE | ctlr::DS;
        if self.enable_grp0 {
            v |= ctlr::ENABLE_GRP0;
        }
        if self.enable_grp1 {
            v |= ctlr::ENABLE_GRP1;
        }
        v
    }

    /// GICD_TYPER. ITLinesNumber N means INTIDs up to 32*(N+1)-1; IDbits 15
    /// (16-bit INTIDs, as ICC_CTLR_EL1.IDbits = 0 says); A3V; LPIS (LPIs
    /// through the ITS, crate::lpi); everything else 0: one Security state, no
    /// MBIs, no extended SPIs, no NMIs, no range selector, and No1N = 0 because
    /// 1-of-N routing works.
    fn typer(&self) -> u32 {
        let it_lines = self.num_intids().div_ceil(32) - 1;
        it_lines | typer::IDBITS_16 | typer::A3V | typer::LPIS
    }

    /// Which IROUTER<n> (and which half, for 32-bit accesses) an offset names.
    fn irouter_index(&self, offset: u64) -> Option<usize> {
        if !(gicd::IROUTER..gicd::IROUTER_END).contains(&offset) {
            return None;
        }
        let intid = (offset - gicd::IROUTER) / 8;
        let index = intid.checked_sub(32)? as usize;
        (index < self.irouter.len()).then_some(index)
    }

    pub(crate) fn read(&self, offset: u64, size: u8) -> u64 {
        if let Some(v) = bank::read(&self.spis, 32, offset, size) {
            return v;
        }
        if (gicd::IROUTER..gicd::IROUTER_END).contains(&offset) {
            return match (self.irouter_index(offset & !7), size, offset % 8) {
                (Some(i), 8, 0) => self.irouter[i],
                (Some(i), 4, 0) => self.irouter[i] & 0xFFFF_FFFF,
                (Some(i), 4, 4) => self.irouter[i] >> 32,
                (None, 4 | 8, _) => 0, // IROUTER of an unimplemented SPI: RAZ
                _ => {
                    tracing::debug!(offset, size, "gic: bad GICD_IROUTER read, RAZ");
                    0
                }
            };
        }
        if size != 4 || !offset.is_multiple_of(4) {
            tracing::debug!(offset, size, "gic: bad-size GICD read, RAZ");
            return 0;
        }
        let v = match offset {
            gicd::CTLR => self.ctlr(),
            gicd::TYPER => self.typer(),
            gicd::IIDR => regs::IIDR,
            o => match regs::id_reg(o, PIDR0_GICD) {
                Some(v) => v,
                None => {
                    // TYPER2, STATUSR, SETSPI/CLRSPI (MBIS=0), IGRPMODR and
                    // NSACR (DS=1), legacy SGI registers (ARE=1) are RAZ/WI
                    // here, as is every reserved offset.
                    tracing::trace!(offset, "gic: GICD RAZ read");
                    0
                }
            },
        };
        u64::from(v)
    }

    pub(crate) fn write(&mut self, offset: u64, size: u8, value: u64) {
        if bank::write(&mut self.spis, 32, offset, size, value) {
            return;
        }
        if (gicd::IROUTER..gicd::IROUTER_END).contains(&offset) {
            let Some(i) = self.irouter_index(offset & !7) else {
                tracing::debug!(
                    offset,
                    "gic: IROUTER write for an unimplemented SPI ignored"
                );
                return;
            };
            let old = self.irouter[i];
            let new = match (size, offset % 8) {
                (8, 0) => value,
                (4, 0) => (old & !0xFFFF_FFFF) | (value & 0xFFFF_FFFF),
                (4, 4) => (old & 0xFFFF_FFFF) | (value << 32),
                _ => {
                    tracing::debug!(offset, size, "gic: bad GICD_IROUTER write ignored");
                    return;
                }
            };
            self.irouter[i] = new & IROUTER_MASK;
            return;
        }
        if size != 4 || !offset.is_multiple_of(4) {
            tracing::debug!(offset, size, value, "gic: bad-size GICD write ignored");
            return;
        }
        match offset {
            // ARE and DS are RAO/WI; RWP never needs to be polled because
            // every write takes effect before the call returns.
            gicd::CTLR => {
                self.enable_grp0 = value as u32 & ctlr::ENABLE_GRP0 != 0;
                self.enable_grp1 = value as u32 & ctlr::ENABLE_GRP1 != 0;
            }
            _ => tracing::trace!(offset, value, "gic: GICD write ignored (RO or RAZ/WI)"),
        }
    }
}
