//! MTE allocation-tag storage (FEAT_MTE2): one 4-bit tag per 16-byte granule of guest
//! RAM, two granules per byte (the even granule in the low nibble), so 1/32 of RAM.
//!
//! It exists only when MTE is on. Like RAM, it is one `memmap2` mapping: anonymous
//! (zeroed at reset) or, with `--tag-file`, a shared mapping of a file, so another
//! process or a later run sees the same tags. All raw-pointer access to it lives here.

use std::cell::Cell;

/// Bytes of guest memory per allocation tag (the Tag granule, 16 bytes).
pub const TAG_GRANULE: u64 = 16;

/// Tag storage bytes for `ram_size` bytes of RAM.
pub const fn tag_bytes(ram_size: u64) -> u64 {
    ram_size.div_ceil(TAG_GRANULE * 2)
}

/// The tag array of guest RAM.
pub(crate) struct TagStore {
    /// The mapping's bytes, seen through `Cell`s: tags are guest memory shared by every
    /// vCPU (which never run concurrently), so no reference into the map is ever held.
    cells: *const Cell<u8>,
    len: usize,
    map: memmap2::MmapMut,
}

impl TagStore {
    /// Wrap a mapping of at least `tag_bytes(ram_size)` bytes.
    pub(crate) fn new(mut map: memmap2::MmapMut) -> Self {
        let len = map.len();
        let cells = map.as_mut_ptr() as *const Cell<u8>;
        Self { cells, len, map }
    }

    #[inline(always)]
    fn cell(&self, i: usize) -> &Cell<u8> {
        assert!(i < self.len);
        // SAFETY: `i` is inside the live mapping (asserted), `Cell<u8>` has the layout of
        // `u8`, and the mapping lives as long as `self`.
        unsafe { &*self.cells.add(i) }
    }

    /// The allocation tag of the granule holding RAM offset `off`.
    #[inline(always)]
    pub(crate) fn get(&self, off: u64) -> u8 {
        let g = off / TAG_GRANULE;
        (self.cell((g / 2) as usize).get() >> ((g & 1) * 4)) & 0xf
    }

    /// Set the allocation tag of the granule holding RAM offset `off`.
    #[inline(always)]
    pub(crate) fn set(&self, off: u64, tag: u8) {
        let g = off / TAG_GRANULE;
        let c = self.cell((g / 2) as usize);
        let shift = (g & 1) * 4;
        c.set((c.get() & !(0xf << shift)) | ((tag & 0xf) << shift));
    }

    /// Copy the packed tag bytes of RAM offsets `[off, off + 32 * out.len())` (`off` a
    /// multiple of 32: two granules per byte) into `out`.
    pub(crate) fn read_packed(&self, off: u64, out: &mut [u8]) {
        let first = (off / (TAG_GRANULE * 2)) as usize;
        for (i, b) in out.iter_mut().enumerate() {
            *b = self.cell(first + i).get();
        }
    }

    /// The inverse of [`Self::read_packed`].
    pub(crate) fn write_packed(&self, off: u64, data: &[u8]) {
        let first = (off / (TAG_GRANULE * 2)) as usize;
        for (i, &b) in data.iter().enumerate() {
            self.cell(first + i).set(b);
        }
    }

    /// Write the mapping back to its file (no-op for anonymous memory).
    pub(crate) fn flush(&self) -> std::io::Result<()> {
        self.map.flush()
    }

    /// Zero every tag (reset).
    pub(crate) fn clear(&self) {
        for i in 0..self.len {
            self.cell(i).set(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nibbles_per_granule() {
        let map = memmap2::MmapOptions::new().len(4).map_anon().unwrap();
        let t = TagStore::new(map);
        t.set(0, 0x3);
        t.set(16, 0xa);
        t.set(47, 0x1f);
        assert_eq!(t.get(15), 3);
        assert_eq!(t.get(16), 0xa);
        assert_eq!(t.get(32), 0xf, "only 4 bits kept");
        assert_eq!(t.get(48), 0);
        t.clear();
        assert_eq!(t.get(16), 0);
        assert_eq!(tag_bytes(0x1000), 0x80);
    }
}
