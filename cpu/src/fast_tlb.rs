//! The memory fast path (DESIGN.md §9, QEMU's softmmu idea): a small direct-mapped table
//! per translation context, filled from the architectural TLB after a slow-path access
//! succeeded, so that a hit is one compare and one add — no permission re-check, no RAM
//! range check beyond the host bounds assertion.
//!
//! Each entry holds a read tag and a write tag (the page VA) and the RAM offset of the
//! page. A page with a `GuestRam` flag (`mmu::page_flag`: CODE for self-modifying code,
//! WATCH for observers such as fault injection or gdb) gets no tag of the kinds the flag
//! concerns, so those accesses take the slow path, which acts on the flag; a page that
//! gains a flag empties the tables (the RAM's flag generation). An unaligned access never
//! matches (its low address bits are part of the compare), so alignment rules live only
//! in the slow path.
//!
//! Tables are indexed by PSTATE.EL and PSTATE.PAN: permissions differ between them. The
//! architectural TLB stays the source of truth (stale until TLBI): a TLBI forgets the
//! pages of the entries it drops (or empties the tables when it drops many), a change of
//! translation registers empties them, and they are refilled from the TLB.

/// Entries per table (a power of two).
pub(crate) const ENTRIES: usize = 256;
/// One table per (EL, PAN) pair: index `el * 2 + pan`.
const CONTEXTS: usize = 6;
/// Never equal to a computed tag: bits 3..11 of a computed tag are always zero.
const INVALID: u64 = u64::MAX;

#[derive(Clone, Copy)]
pub(crate) struct Entry {
    pub(crate) read: u64,
    pub(crate) write: u64,
    /// Instruction fetch: the page VA, with `slot` its decoded-instruction page.
    exec: u64,
    /// RAM offset of the page minus its VA: `offset = va + addend` (wrapping).
    pub(crate) addend: u64,
    slot: u32,
    /// log2 of the size of the translation the data tags came from (the `detailed`
    /// timing model's TLBs hold whole blocks).
    size_log2: u8,
}

const EMPTY: Entry = Entry {
    read: INVALID,
    write: INVALID,
    exec: INVALID,
    addend: 0,
    slot: 0,
    size_log2: 12,
};

/// The fast tables of one PE.
pub(crate) struct FastTlb {
    tables: Box<[[Entry; ENTRIES]; CONTEXTS]>,
    /// The table of the current (EL, PAN).
    cur: usize,
    /// Its address, for compiled code (crate::jit): the tables never move.
    pub(crate) cur_table: *const Entry,
    /// The RAM's page-flag generation these tables are consistent with.
    pub(crate) flag_gen: u64,
}

/// Whether `access` tag matches: `va` with its page bits and its misalignment bits.
#[inline(always)]
pub(crate) fn tag(va: u64, size: u8) -> u64 {
    va & (!0xfff | (size as u64 - 1))
}

#[inline(always)]
fn index(va: u64) -> usize {
    (va >> 12) as usize & (ENTRIES - 1)
}

impl FastTlb {
    pub(crate) fn new() -> Self {
        let tables = Box::new([[EMPTY; ENTRIES]; CONTEXTS]);
        let cur_table = tables[0].as_ptr();
        Self {
            tables,
            cur: 0,
            cur_table,
            flag_gen: 0,
        }
    }

    /// Select the table of this EL and PAN.
    #[inline(always)]
    pub(crate) fn select(&mut self, el: u8, pan: bool) {
        self.cur = el as usize * 2 + pan as usize;
        self.cur_table = self.tables[self.cur].as_ptr();
    }

    /// RAM offset for a read of `size` bytes at `va`, if the fast path may serve it.
    #[inline(always)]
    pub(crate) fn read(&self, va: u64, size: u8) -> Option<u64> {
        let e = &self.tables[self.cur][index(va)];
        (e.read == tag(va, size)).then(|| va.wrapping_add(e.addend))
    }

    /// RAM offset for a write of `size` bytes at `va`, if the fast path may serve it.
    #[inline(always)]
    pub(crate) fn write(&self, va: u64, size: u8) -> Option<u64> {
        let e = &self.tables[self.cur][index(va)];
        (e.write == tag(va, size)).then(|| va.wrapping_add(e.addend))
    }

    /// For an instruction fetch at `va` (4-byte aligned): the RAM offset and the
    /// decoded-instruction page, if the page was linked before in this context.
    #[inline(always)]
    pub(crate) fn exec(&self, va: u64) -> Option<(u64, usize)> {
        let e = &self.tables[self.cur][index(va)];
        (e.exec == va & !0xfff).then(|| (va.wrapping_add(e.addend), e.slot as usize))
    }

    /// Remember that fetches from `va`'s page (RAM offset `page_off`) are permitted here
    /// and decode into slot array `slot`.
    pub(crate) fn fill_exec(&mut self, va: u64, page_off: u64, slot: usize) {
        let e = self.entry_for(va, page_off);
        e.exec = va & !0xfff;
        e.slot = slot as u32;
    }

    /// The entry for `va`'s page, emptied first if it held another page.
    fn entry_for(&mut self, va: u64, page_off: u64) -> &mut Entry {
        let page = va & !0xfff;
        let addend = page_off.wrapping_sub(page);
        let e = &mut self.tables[self.cur][index(va)];
        let held = [e.read, e.write, e.exec]
            .into_iter()
            .find(|&t| t != INVALID)
            .unwrap_or(INVALID);
        if e.addend != addend || (held != INVALID && held & !0xfff != page) {
            *e = EMPTY;
        }
        e.addend = addend;
        e
    }

    /// After a slow-path access to `va` succeeded on the RAM page at offset `page_off`
    /// (with its permission checked for this table's EL and PAN, and the page carrying
    /// no flag that concerns this kind of access): let later accesses of that kind take
    /// the fast path.
    /// `size_log2`: the size of the translation (block or page) it came from.
    #[inline]
    pub(crate) fn fill(&mut self, va: u64, page_off: u64, write: bool, size_log2: u8) {
        let page = va & !0xfff;
        let e = self.entry_for(va, page_off);
        e.size_log2 = size_log2;
        if write {
            e.write = page;
        } else {
            e.read = page;
        }
    }

    /// The translation size of the data tags at `va`'s index (after a hit there).
    #[inline]
    pub(crate) fn size_log2(&self, va: u64) -> u8 {
        self.tables[self.cur][index(va)].size_log2
    }

    /// Forget whatever the tables hold at `va`'s index (an architectural TLB entry for
    /// that page was evicted).
    pub(crate) fn forget_page(&mut self, va: u64) {
        for t in self.tables.iter_mut() {
            t[index(va)] = EMPTY;
        }
    }

    /// Forget everything (TLBI, a translation register changed, a page gained a flag).
    pub(crate) fn flush(&mut self) {
        for t in self.tables.iter_mut() {
            t.fill(EMPTY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_needs_same_page_alignment_and_context() {
        let mut f = FastTlb::new();
        f.select(1, false);
        assert_eq!(f.read(0x1000, 8), None);
        f.fill(0xffff_0000_1234_5008, 0x7000, false, 12);
        assert_eq!(f.read(0xffff_0000_1234_5010, 8), Some(0x7010));
        assert_eq!(f.read(0xffff_0000_1234_5ff8, 4), Some(0x7ff8));
        assert_eq!(
            f.read(0xffff_0000_1234_5011, 8),
            None,
            "unaligned: slow path"
        );
        assert_eq!(f.read(0xffff_0000_1234_5011, 1), Some(0x7011));
        assert_eq!(f.write(0xffff_0000_1234_5010, 8), None, "write not filled");
        assert_eq!(
            f.read(0xffff_0001_1234_5010, 8),
            None,
            "other page, same index"
        );
        f.select(1, true);
        assert_eq!(
            f.read(0xffff_0000_1234_5010, 8),
            None,
            "PAN has its own table"
        );
        f.select(1, false);
        f.fill(0xffff_0000_1234_5000, 0x7000, true, 12);
        assert_eq!(f.write(0xffff_0000_1234_5010, 1), Some(0x7010));
        assert_eq!(f.read(0xffff_0000_1234_5010, 1), Some(0x7010));
        // Another page at the same index replaces both tags.
        f.fill(0xffff_0001_1234_5000, 0x9000, false, 12);
        assert_eq!(f.read(0xffff_0000_1234_5010, 1), None);
        assert_eq!(f.read(0xffff_0001_1234_5010, 1), Some(0x9010));
        assert_eq!(f.write(0xffff_0000_1234_5010, 1), None);
        f.fill_exec(0xffff_0001_1234_5000, 0x9000, 7);
        assert_eq!(f.exec(0xffff_0001_1234_5ffc), Some((0x9ffc, 7)));
        assert_eq!(
            f.read(0xffff_0001_1234_5010, 1),
            Some(0x9010),
            "kept: same page"
        );
        f.fill(0xffff_0002_1234_5000, 0xa000, false, 12);
        assert_eq!(
            f.exec(0xffff_0001_1234_5ffc),
            None,
            "replaced by another page"
        );
        f.flush();
        assert_eq!(f.read(0xffff_0001_1234_5010, 1), None);
    }

    #[test]
    fn the_top_page_never_matches_an_empty_entry() {
        let f = FastTlb::new();
        for size in [1, 2, 4, 8] {
            assert_eq!(f.read(u64::MAX, size), None);
            assert_eq!(f.write(!(size as u64 - 1), size), None);
        }
    }
}
