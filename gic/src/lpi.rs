//! LPIs (GICv3 IHI0069 §5.1): message-based interrupts from INTID 8192 up, always Group 1
//! and without an active state, enabled per redistributor by GICR_CTLR.EnableLPIs and
//! configured by a table in guest memory that GICR_PROPBASER points at (one byte per LPI:
//! priority \[7:2\], enable \[0\]).
//!
//! What hardware may cache, hypsim caches too: the configuration byte is read when an LPI
//! becomes pending and again when software invalidates it (the ITS's INV and INVALL), as
//! the architecture requires software to do after changing the table. The pending state is
//! kept here rather than in the table GICR_PENDBASER names (the table's format is the
//! GIC's business while LPIs are enabled); it starts empty, which is what a zeroed table
//! or PENDBASER.PTZ = 1 say.

use std::collections::BTreeMap;

use crate::prio::PRI_MASK;
use crate::GicMemory;

/// The first LPI.
pub(crate) const FIRST_LPI: u32 = 8192;
/// GICR_PROPBASER.Physical_Address \[51:12\].
const PROP_PA: u64 = 0x000f_ffff_ffff_f000;
/// GICR_PROPBASER/PENDBASER bits kept: all but the RES0 ones (PROPBASER: IDbits \[4:0\],
/// InnerCache \[9:7\], Shareability \[11:10\], PA \[51:12\], OuterCache \[58:56\];
/// PENDBASER: the same cache fields, PA \[51:16\], PTZ \[62\], which reads as 0).
pub(crate) const PROPBASER_MASK: u64 = 0x070f_ffff_ffff_ff9f;
pub(crate) const PENDBASER_MASK: u64 = 0x070f_ffff_ffff_0f80;

/// One redistributor's LPIs.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Lpis {
    /// GICR_CTLR.EnableLPIs.
    pub(crate) enabled: bool,
    /// GICR_PROPBASER and GICR_PENDBASER as written (masked).
    pub(crate) propbaser: u64,
    pub(crate) pendbaser: u64,
    /// Pending LPIs and their configuration bytes as last read.
    pending: BTreeMap<u32, u8>,
}

impl Lpis {
    /// One past the highest LPI PROPBASER.IDbits allows (at most 16-bit INTIDs, as
    /// GICD_TYPER.IDbits says; IDbits below 13 leave no LPI).
    fn limit(&self) -> u32 {
        let bits = (self.propbaser & 0x1f) as u32 + 1;
        1 << bits.min(16)
    }

    /// The configuration byte of `intid` from the table in memory (0, disabled, if the
    /// table is not in RAM).
    fn config(&self, mem: &impl GicMemory, intid: u32) -> u8 {
        let pa = (self.propbaser & PROP_PA) + u64::from(intid - FIRST_LPI);
        let mut b = [0u8];
        if mem.read(pa, &mut b) {
            b[0]
        } else {
            tracing::debug!(intid, pa, "gic: LPI configuration table not in RAM");
            0
        }
    }

    /// Make `intid` pending (an ITS INT or translation): ignored while LPIs are disabled
    /// or beyond PROPBASER.IDbits (GICv3 §5.1.1: such an LPI is not made pending).
    pub(crate) fn set_pending(&mut self, mem: &impl GicMemory, intid: u32) {
        if !self.enabled || !(FIRST_LPI..self.limit()).contains(&intid) {
            tracing::debug!(
                intid,
                "gic: LPI dropped (LPIs disabled or INTID out of range)"
            );
            return;
        }
        let cfg = self.config(mem, intid);
        self.pending.insert(intid, cfg);
    }

    /// Clear the pending state of `intid` (ITS CLEAR or DISCARD, or its acknowledgement).
    pub(crate) fn clear_pending(&mut self, intid: u32) {
        self.pending.remove(&intid);
    }

    /// Clear it and say whether it was pending (MOVI moves the pending state).
    pub(crate) fn take_pending(&mut self, intid: u32) -> bool {
        self.pending.remove(&intid).is_some()
    }

    /// Clear every pending LPI, returning them (MOVALL).
    pub(crate) fn take_all(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.pending).into_keys().collect()
    }

    /// Re-read the configuration of `intid`, or of every pending LPI (INV, INVALL).
    pub(crate) fn invalidate(&mut self, mem: &impl GicMemory, intid: Option<u32>) {
        let ids: Vec<u32> = match intid {
            Some(i) if self.pending.contains_key(&i) => vec![i],
            Some(_) => return,
            None => self.pending.keys().copied().collect(),
        };
        for i in ids {
            let cfg = self.config(mem, i);
            self.pending.insert(i, cfg);
        }
    }

    /// GICR_CTLR.EnableLPIs: disabling drops the pending state this model keeps.
    pub(crate) fn set_enabled(&mut self, on: bool) {
        if !on {
            self.pending.clear();
        }
        self.enabled = on;
    }

    /// The pending, enabled LPI to offer (lowest priority value, then lowest INTID) with
    /// its priority.
    pub(crate) fn best(&self) -> Option<(u32, u8)> {
        if !self.enabled {
            return None;
        }
        self.pending
            .iter()
            .filter(|(_, &cfg)| cfg & 1 != 0)
            .map(|(&intid, &cfg)| (intid, cfg & 0xfc & PRI_MASK))
            .min_by_key(|&(intid, prio)| (prio, intid))
    }
}
