//! A tag-only set-associative array with true LRU replacement: the caches and TLBs of the
//! `detailed` timing model. It holds no data — a key (line address, or tagged page) is
//! enough to know whether an access hits — and it is deterministic: replacement depends
//! only on the order of accesses.

/// Never a real key (keys are line or page numbers, far below it).
const EMPTY: u64 = u64::MAX;

/// The array.
#[derive(Clone, Debug)]
pub(crate) struct TagArray {
    keys: Vec<u64>,
    /// Last-use stamp per way; the smallest in a set is the LRU way.
    stamps: Vec<u64>,
    ways: usize,
    set_mask: u64,
    clock: u64,
    /// The most recently used key and its slot: repeated accesses to one line or page
    /// (most of them) skip the set scan, with the same LRU effect.
    mru: (u64, usize),
    /// For wide sets (the fully associative TLBs, the LLC): the slot a key was last seen
    /// in, by a hash of the key, so that most hits skip the scan of the whole set.
    hint: Vec<u32>,
}

/// Sets wider than this get a [`TagArray::hint`] table.
const HINT_WAYS: usize = 8;
/// Entries of the hint table (a power of two).
const HINTS: usize = 256;

#[inline(always)]
fn hint_index(key: u64) -> usize {
    (key ^ (key >> 8) ^ (key >> 29)) as usize & (HINTS - 1)
}

impl TagArray {
    /// `sets` (a power of two) sets of `ways` ways.
    pub(crate) fn new(sets: u64, ways: u32) -> Self {
        let n = sets as usize * ways as usize;
        Self {
            keys: vec![EMPTY; n],
            stamps: vec![0; n],
            ways: ways as usize,
            set_mask: sets - 1,
            clock: 0,
            mru: (EMPTY, 0),
            hint: if (ways as usize) > HINT_WAYS {
                vec![0; HINTS]
            } else {
                Vec::new()
            },
        }
    }

    /// Look `key` up, allocating it on a miss (evicting the set's LRU way). Returns
    /// whether it hit.
    #[inline]
    pub(crate) fn access(&mut self, key: u64) -> bool {
        self.clock += 1;
        if self.mru.0 == key {
            self.stamps[self.mru.1] = self.clock;
            return true;
        }
        if !self.hint.is_empty() {
            // A key only ever lives in its own set, so a hinted slot that holds it is it.
            let h = self.hint[hint_index(key)] as usize;
            if self.keys[h] == key {
                self.stamps[h] = self.clock;
                self.mru = (key, h);
                return true;
            }
        }
        let base = (key & self.set_mask) as usize * self.ways;
        let set = base..base + self.ways;
        if let Some(w) = self.keys[set.clone()].iter().position(|&k| k == key) {
            self.stamps[base + w] = self.clock;
            self.remember(key, base + w);
            return true;
        }
        let victim = set.min_by_key(|&i| self.stamps[i]).unwrap_or(base);
        self.keys[victim] = key;
        self.stamps[victim] = self.clock;
        self.remember(key, victim);
        false
    }

    #[inline(always)]
    fn remember(&mut self, key: u64, slot: usize) {
        self.mru = (key, slot);
        if !self.hint.is_empty() {
            self.hint[hint_index(key)] = slot as u32;
        }
    }

    /// Drop every entry (TLB invalidation).
    pub(crate) fn clear(&mut self) {
        self.keys.fill(EMPTY);
        self.stamps.fill(0);
        self.mru = (EMPTY, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_within_a_set() {
        let mut t = TagArray::new(2, 2);
        // Keys 0, 2, 4 share set 0.
        assert!(!t.access(0));
        assert!(!t.access(2));
        assert!(t.access(0));
        assert!(!t.access(4), "evicts 2, the least recently used");
        assert!(t.access(0));
        assert!(!t.access(2));
        assert!(!t.access(1), "set 1 is separate");
        assert!(t.access(1));
        t.clear();
        assert!(!t.access(1));
    }

    /// A fully associative array (the hinted path) keeps exact LRU.
    #[test]
    fn wide_sets_keep_lru() {
        let mut t = TagArray::new(1, 48);
        for k in 0..48 {
            assert!(!t.access(k * 4096));
        }
        for k in 0..48 {
            assert!(t.access(k * 4096), "{k}");
        }
        assert!(t.access(0));
        assert!(!t.access(999), "evicts 4096, the least recently used");
        assert!(!t.access(4096));
        assert!(t.access(0) && t.access(999));
    }
}
