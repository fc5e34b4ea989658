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
        let base = (key & self.set_mask) as usize * self.ways;
        let set = base..base + self.ways;
        if let Some(w) = self.keys[set.clone()].iter().position(|&k| k == key) {
            self.stamps[base + w] = self.clock;
            self.mru = (key, base + w);
            return true;
        }
        let victim = set.min_by_key(|&i| self.stamps[i]).unwrap_or(base);
        self.keys[victim] = key;
        self.stamps[victim] = self.clock;
        self.mru = (key, victim);
        false
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
}
