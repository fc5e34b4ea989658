//! The decoded-instruction cache: one 1024-slot array per 4 KiB physical code page,
//! filled lazily. The current page is remembered by tag (the linked page), so a block of
//! straight-line code needs no lookup per instruction. Stores to a page holding decoded
//! code (flagged in `GuestRam`), IC IALLU and host writes (the RAM's code epoch) drop the
//! affected decodes. Slot arrays are never freed while the PE lives. Beside each slot
//! array are the JIT's heat words (crate::jit), dropped together with the decodes.

use crate::a64::{opflag, Op};
use std::collections::HashMap;

#[derive(Clone, Copy)]
pub(crate) struct Decoded {
    pub(crate) raw: u32,
    pub(crate) op: Op,
    /// Cycles the timing model charges when it retires.
    pub(crate) cost: u16,
    /// `OP_INFO[op].flags`, copied so the block loop needs no second table lookup.
    pub(crate) flags: u16,
}

pub(crate) const EMPTY: Decoded = Decoded {
    raw: 0,
    op: Op::NotDecoded,
    cost: 0,
    flags: opflag::ENDS_BLOCK,
};
pub(crate) const SLOTS: usize = 1024;
/// `Decoded::flags` bit beyond the `opflag` ones: a PC trigger may sit on this slot (the
/// decode-cache sentinel of DESIGN.md §9; other code pays nothing).
pub(crate) const SENTINEL: u16 = 1 << 15;
pub(crate) const NO_TAG: u64 = 1; // never equal to `pc & !0xffc` of an aligned PC

/// The cache of one PE.
pub(crate) struct DecodeCache {
    pub(crate) pages: HashMap<u64, usize>,
    pub(crate) slots: Vec<Box<[Decoded; SLOTS]>>,
    /// Per slot, the JIT's heat word (crate::jit): dropped with the decodes.
    pub(crate) heat: Vec<Box<[u32; SLOTS]>>,
    /// Per slot, the chained entry of the compiled block starting there, or 0: compiled
    /// code jumps through it to the next block on the page. Dropped with the decodes.
    pub(crate) chain: Vec<Box<[usize; SLOTS]>>,
    /// Page-aligned VA of the linked page, or NO_TAG.
    pub(crate) tag: u64,
    pub(crate) cur: usize,
    /// Page-aligned PA of the linked page.
    pub(crate) cur_pa: u64,
    /// GuestRam code epoch this cache is consistent with.
    pub(crate) epoch: u64,
}

impl DecodeCache {
    pub(crate) fn new() -> Self {
        Self {
            pages: HashMap::new(),
            slots: Vec::new(),
            heat: Vec::new(),
            chain: Vec::new(),
            tag: NO_TAG,
            cur: 0,
            cur_pa: 0,
            epoch: 0,
        }
    }

    /// Make the page of `pc` (at physical address `pa`, slots from index `cur`) the linked
    /// one.
    #[inline]
    pub(crate) fn link(&mut self, pc: u64, pa: u64, cur: usize) {
        self.cur = cur;
        self.cur_pa = pa & !0xfff;
        self.tag = pc & !0xfff;
    }

    /// Forget the linked page so the next fetch takes the slow path.
    #[inline]
    pub(crate) fn unlink(&mut self) {
        self.tag = NO_TAG;
    }

    /// Drop every decode.
    pub(crate) fn flush(&mut self) {
        for s in &mut self.slots {
            s.fill(EMPTY);
        }
        self.cool();
        self.unlink();
    }

    /// Forget every compiled block (their heat starts over).
    pub(crate) fn cool(&mut self) {
        for h in &mut self.heat {
            h.fill(0);
        }
        for c in &mut self.chain {
            c.fill(0);
        }
    }

    /// Drop decodes of the pages covering `[pa, pa+len)`; `before`/`after` are the RAM's
    /// code epoch around this CPU's own invalidation.
    pub(crate) fn invalidate_pa(&mut self, pa: u64, len: u64, before: u64, after: u64) {
        for page in [pa >> 12, (pa + len - 1) >> 12] {
            if let Some(&i) = self.pages.get(&page) {
                self.slots[i].fill(EMPTY);
                self.heat[i].fill(0);
                self.chain[i].fill(0);
            }
        }
        // Our own bumps keep us consistent; anyone else's bump forces a full flush later.
        if before == self.epoch {
            self.epoch = after;
        }
        self.unlink();
    }
}
