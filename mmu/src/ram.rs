//! Guest RAM: one `memmap2` mapping (anonymous, or a shared file mapping with
//! `--memory-file`), per-page flags (decoded code, watched) that keep a page's accesses
//! off the CPUs' fast path, and the MTE tag storage beside it (crate::tags).
//!
//! All raw-pointer access to guest data memory lives in this file.

use crate::tags::{tag_bytes, TagStore};
use std::cell::Cell;
use std::path::{Path, PathBuf};

/// Guest page size used for code tracking (the smallest translation granule).
pub const PAGE_SHIFT: u32 = 12;
/// 4 KiB.
pub const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;

/// Per-page flags of guest RAM (DESIGN.md §9): any flag keeps the page's accesses (of the
/// kinds it concerns) off the CPUs' fast path.
pub mod page_flag {
    /// Some CPU holds decoded instructions of the page: stores must drop them.
    pub const CODE: u8 = 1 << 0;
    /// An observer (fault injection, a debugger watchpoint, a checker) wants to see every
    /// access to the page.
    pub const WATCH: u8 = 1 << 1;
}

/// Errors creating or loading guest RAM.
#[derive(Debug, thiserror::Error)]
pub enum RamError {
    /// The host refused the mapping.
    #[error("cannot allocate {size} bytes of guest RAM: {source}")]
    Map {
        /// Requested size.
        size: u64,
        /// Host error.
        source: std::io::Error,
    },
    /// A backing file cannot be opened, sized or mapped.
    #[error("{what} {path}: {source}")]
    File {
        /// Which file ("memory file", "tag file").
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// Host error.
        source: std::io::Error,
    },
    /// A backing file exists with another size than the RAM (or tag storage) needs.
    #[error(
        "{what} {path} is {actual} bytes, but {expected} bytes are needed for {ram} bytes of RAM"
    )]
    FileSize {
        /// Which file.
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// Its size.
        actual: u64,
        /// The size it must have.
        expected: u64,
        /// The RAM size.
        ram: u64,
    },
    /// A copy into RAM would fall outside it.
    #[error("range {addr:#x}..{end:#x} is outside guest RAM {base:#x}..{ram_end:#x}")]
    OutOfRange {
        /// Start of the range.
        addr: u64,
        /// End of the range (exclusive).
        end: u64,
        /// RAM base.
        base: u64,
        /// RAM end (exclusive).
        ram_end: u64,
    },
}

/// Guest RAM at a fixed physical base.
///
/// Accesses take `&self` because the mapping is guest memory shared by every vCPU and
/// device; Rust's aliasing rules are upheld by only touching it through raw pointers
/// derived from the mapping, never through references into it.
pub struct GuestRam {
    base: u64,
    size: u64,
    ptr: *mut u8,
    /// Per-page flags ([`page_flag`]) that send accesses to a CPU's slow path.
    flags: Vec<Cell<u8>>,
    /// Bumped whenever a code page is written, so every CPU can drop stale decodes.
    code_epoch: Cell<u64>,
    /// Bumped whenever a page gains a flag, so every CPU can drop fast-path entries that
    /// predate it.
    flag_gen: Cell<u64>,
    /// Pages flagged WATCH, so slow paths that gather context for the observers can skip
    /// it when nothing is watched.
    watched: Cell<u64>,
    /// MTE allocation tags, when MTE is on.
    tags: Option<TagStore>,
    map: memmap2::MmapMut,
}

/// How guest RAM is backed.
#[derive(Clone, Debug, Default)]
pub struct RamBacking {
    /// Map RAM `MAP_SHARED` from this file (created at the RAM size if missing).
    pub memory_file: Option<PathBuf>,
    /// Allocate MTE tag storage.
    pub tags: bool,
    /// Keep the tags in a shared mapping of this file (needs `tags`).
    pub tag_file: Option<PathBuf>,
}

/// Map `len` bytes: anonymous, or shared from `path` (created with that length when
/// missing; an existing file must have exactly that length).
fn map_bytes(
    len: u64,
    path: Option<&Path>,
    what: &'static str,
    ram: u64,
) -> Result<memmap2::MmapMut, RamError> {
    let size = usize::try_from(len).map_err(|_| RamError::Map {
        size: len,
        source: std::io::Error::other("size does not fit the host address space"),
    })?;
    let Some(path) = path else {
        return memmap2::MmapOptions::new()
            .len(size.max(1))
            .map_anon()
            .map_err(|source| RamError::Map { size: len, source });
    };
    let err = |source| RamError::File {
        what,
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(err)?;
    let actual = file.metadata().map_err(err)?.len();
    if actual == 0 {
        file.set_len(len).map_err(err)?;
    } else if actual != len {
        return Err(RamError::FileSize {
            what,
            path: path.to_path_buf(),
            actual,
            expected: len,
            ram,
        });
    }
    // SAFETY: a shared file mapping; hypsim's own accesses go through raw pointers (see
    // `GuestRam`). Another process writing the file concurrently changes guest memory
    // under the guest, which is what sharing it means.
    unsafe { memmap2::MmapOptions::new().len(size).map_mut(&file) }.map_err(err)
}

impl GuestRam {
    /// Map `size` bytes of zeroed RAM at physical address `base`, without tags.
    pub fn new(base: u64, size: u64) -> Result<Self, RamError> {
        Self::with_backing(base, size, &RamBacking::default())
    }

    /// Map `size` bytes of RAM at `base` as `backing` says: anonymous RAM is zeroed, a
    /// memory file keeps its contents (and tags, in a tag file) from earlier runs.
    pub fn with_backing(base: u64, size: u64, backing: &RamBacking) -> Result<Self, RamError> {
        let mut map = map_bytes(size, backing.memory_file.as_deref(), "memory file", size)?;
        let tags = if backing.tags {
            let t = map_bytes(
                tag_bytes(size),
                backing.tag_file.as_deref(),
                "tag file",
                size,
            )?;
            Some(TagStore::new(t))
        } else {
            None
        };
        let ptr = map.as_mut_ptr();
        let pages = size.div_ceil(PAGE_SIZE) as usize;
        Ok(Self {
            base,
            size,
            ptr,
            flags: vec![Cell::new(0); pages],
            code_epoch: Cell::new(0),
            flag_gen: Cell::new(0),
            watched: Cell::new(0),
            tags,
            map,
        })
    }

    /// Whether MTE tag storage exists.
    #[inline(always)]
    pub fn has_tags(&self) -> bool {
        self.tags.is_some()
    }

    /// The allocation tag of the granule holding RAM offset `off` (0 without storage).
    #[inline]
    pub fn tag(&self, off: u64) -> u8 {
        assert!(off < self.size);
        self.tags.as_ref().map_or(0, |t| t.get(off))
    }

    /// Set the allocation tag of the granule holding RAM offset `off` (ignored without
    /// storage).
    #[inline]
    pub fn set_tag(&self, off: u64, tag: u8) {
        assert!(off < self.size);
        if let Some(t) = &self.tags {
            t.set(off, tag);
        }
    }

    /// The allocation tags of RAM offsets `[off, off + 32 * out.len())` in the storage's
    /// packed form (one byte per two granules, the even granule in the low nibble; the
    /// `--tag-file` and snapshot layout), or zeros without tag storage. `off` must be a
    /// multiple of 32 and the range inside RAM.
    pub fn read_tags_packed(&self, off: u64, out: &mut [u8]) {
        assert!(off.is_multiple_of(32) && off + 32 * out.len() as u64 <= self.size);
        match &self.tags {
            Some(t) => t.read_packed(off, out),
            None => out.fill(0),
        }
    }

    /// Put back tags read by [`Self::read_tags_packed`] (ignored without tag storage).
    pub fn write_tags_packed(&self, off: u64, data: &[u8]) {
        assert!(off.is_multiple_of(32) && off + 32 * data.len() as u64 <= self.size);
        if let Some(t) = &self.tags {
            t.write_packed(off, data);
        }
    }

    /// Zero every allocation tag (reset of anonymous memory).
    pub fn clear_tags(&self) {
        if let Some(t) = &self.tags {
            t.clear();
        }
    }

    /// Write file-backed RAM and tags back to their files, so that they are consistent
    /// when hypsim exits (a no-op for anonymous memory).
    pub fn flush(&self) -> std::io::Result<()> {
        self.map.flush()?;
        if let Some(t) = &self.tags {
            t.flush()?;
        }
        Ok(())
    }

    /// Host address of the first RAM byte (for compiled code's fast path; valid while
    /// the RAM lives: the mapping never moves).
    pub fn host_ptr(&self) -> *mut u8 {
        self.ptr
    }

    /// Physical base address.
    #[inline(always)]
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Size in bytes.
    #[inline(always)]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Offset of `[pa, pa+len)` inside RAM, if the whole range is inside.
    #[inline(always)]
    pub fn offset(&self, pa: u64, len: u64) -> Option<u64> {
        let off = pa.wrapping_sub(self.base);
        (off < self.size && len <= self.size - off).then_some(off)
    }

    /// Read `N` bytes at RAM offset `off` (caller checked the range with [`Self::offset`]).
    #[inline(always)]
    pub fn read_at<const N: usize>(&self, off: u64) -> [u8; N] {
        assert!(off as usize + N <= self.size as usize);
        // SAFETY: the range is inside the live mapping (asserted above); unaligned reads of
        // plain bytes are fine; other vCPUs never run concurrently with this one.
        unsafe { std::ptr::read_unaligned(self.ptr.add(off as usize) as *const [u8; N]) }
    }

    /// Write `N` bytes at RAM offset `off`.
    #[inline(always)]
    pub fn write_at<const N: usize>(&self, off: u64, bytes: [u8; N]) {
        assert!(off as usize + N <= self.size as usize);
        // SAFETY: as in `read_at`.
        unsafe { std::ptr::write_unaligned(self.ptr.add(off as usize) as *mut [u8; N], bytes) }
    }

    /// Read a little-endian value of `size` bytes (1, 2, 4, 8) at offset `off`.
    #[inline(always)]
    pub fn read_le(&self, off: u64, size: u8) -> u64 {
        match size {
            1 => self.read_at::<1>(off)[0] as u64,
            2 => u16::from_le_bytes(self.read_at(off)) as u64,
            4 => u32::from_le_bytes(self.read_at(off)) as u64,
            _ => u64::from_le_bytes(self.read_at(off)),
        }
    }

    /// Write a little-endian value of `size` bytes at offset `off`.
    #[inline(always)]
    pub fn write_le(&self, off: u64, size: u8, v: u64) {
        match size {
            1 => self.write_at(off, [v as u8]),
            2 => self.write_at(off, (v as u16).to_le_bytes()),
            4 => self.write_at(off, (v as u32).to_le_bytes()),
            _ => self.write_at(off, v.to_le_bytes()),
        }
    }

    /// Copy `data` into RAM at physical address `pa` (loaders, firmware).
    pub fn write_bytes(&self, pa: u64, data: &[u8]) -> Result<(), RamError> {
        let off = self
            .offset(pa, data.len() as u64)
            .ok_or(self.range_err(pa, data.len()))?;
        // SAFETY: range checked against the mapping.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr.add(off as usize), data.len())
        };
        self.invalidate_code_range(off, data.len() as u64);
        Ok(())
    }

    /// Copy RAM at physical address `pa` into `out`.
    pub fn read_bytes(&self, pa: u64, out: &mut [u8]) -> Result<(), RamError> {
        let off = self
            .offset(pa, out.len() as u64)
            .ok_or(self.range_err(pa, out.len()))?;
        // SAFETY: range checked against the mapping.
        unsafe {
            std::ptr::copy_nonoverlapping(self.ptr.add(off as usize), out.as_mut_ptr(), out.len())
        };
        Ok(())
    }

    /// Zero `len` bytes at physical address `pa` (used by DC ZVA and BSS).
    pub fn fill_zero(&self, pa: u64, len: u64) -> Result<(), RamError> {
        let off = self
            .offset(pa, len)
            .ok_or(self.range_err(pa, len as usize))?;
        // SAFETY: range checked against the mapping.
        unsafe { std::ptr::write_bytes(self.ptr.add(off as usize), 0, len as usize) };
        self.invalidate_code_range(off, len);
        Ok(())
    }

    fn range_err(&self, addr: u64, len: usize) -> RamError {
        RamError::OutOfRange {
            addr,
            end: addr.saturating_add(len as u64),
            base: self.base,
            ram_end: self.base + self.size,
        }
    }

    /// The flags of the page holding RAM offset `off`.
    #[inline(always)]
    pub fn page_flags(&self, off: u64) -> u8 {
        self.flags[(off >> PAGE_SHIFT) as usize].get()
    }

    fn set_flag(&self, off: u64, f: u8) -> bool {
        let c = &self.flags[(off >> PAGE_SHIFT) as usize];
        let old = c.get();
        c.set(old | f);
        let new = old & f == 0;
        if new {
            self.flag_gen.set(self.flag_gen.get() + 1);
        }
        new
    }

    /// Mark the page holding RAM offset `off` as containing decoded code; returns whether
    /// the flag is new (then fast-path write entries for the page must go).
    #[inline]
    pub fn mark_code(&self, off: u64) -> bool {
        self.page_flags(off) & page_flag::CODE == 0 && self.set_flag(off, page_flag::CODE)
    }

    /// Whether the page at RAM offset `off` holds decoded code; clears the flag, so the
    /// caller that sees `true` is responsible for dropping its decoded copy.
    #[inline(always)]
    pub fn take_code_flag(&self, off: u64) -> bool {
        let c = &self.flags[(off >> PAGE_SHIFT) as usize];
        c.get() & page_flag::CODE != 0 && {
            c.set(c.get() & !page_flag::CODE);
            self.code_epoch.set(self.code_epoch.get() + 1);
            true
        }
    }

    /// Watch (or stop watching) the page holding physical address `pa`: every CPU access
    /// to it takes the slow path, which reports it to the platform. Returns false if
    /// `pa` is not RAM.
    pub fn set_watch(&self, pa: u64, on: bool) -> bool {
        let Some(off) = self.offset(pa, 1) else {
            return false;
        };
        let c = &self.flags[(off >> PAGE_SHIFT) as usize];
        let was = c.get() & page_flag::WATCH != 0;
        if on {
            // Decoded instructions of the page go, so fetches from it are seen too.
            self.take_code_flag(off);
            self.set_flag(off, page_flag::WATCH);
        } else {
            c.set(c.get() & !page_flag::WATCH);
        }
        if was != on {
            self.watched.set(if on {
                self.watched.get() + 1
            } else {
                self.watched.get() - 1
            });
        }
        true
    }

    /// Whether any page is flagged WATCH.
    #[inline]
    pub fn any_watched(&self) -> bool {
        self.watched.get() != 0
    }

    /// Host-side writes (loaders, DMA) drop the code flag of every page they touch.
    fn invalidate_code_range(&self, off: u64, len: u64) {
        if len == 0 {
            return;
        }
        let first = (off >> PAGE_SHIFT) as usize;
        let last = ((off + len - 1) >> PAGE_SHIFT) as usize;
        for c in &self.flags[first..=last] {
            if c.get() & page_flag::CODE != 0 {
                c.set(c.get() & !page_flag::CODE);
                self.code_epoch.set(self.code_epoch.get() + 1);
            }
        }
    }

    /// Counter of code-page invalidations; a CPU whose saved value differs flushes its
    /// decoded-instruction cache.
    #[inline(always)]
    pub fn code_epoch(&self) -> u64 {
        self.code_epoch.get()
    }

    /// Counter of pages gaining a flag; a CPU whose saved value differs flushes its
    /// fast-path tables.
    #[inline(always)]
    pub fn flag_gen(&self) -> u64 {
        self.flag_gen.get()
    }

    /// Number of pages currently flagged as holding decoded code.
    pub fn code_pages(&self) -> usize {
        self.flags
            .iter()
            .filter(|c| c.get() & page_flag::CODE != 0)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_and_bounds() {
        let ram = GuestRam::new(0x4000_0000, 0x10000).unwrap();
        assert_eq!(ram.read_le(0, 8), 0);
        assert!(ram.offset(0x4000_0000 + 0xfff8, 8).is_some());
        assert!(ram.offset(0x4000_0000 + 0xfff9, 8).is_none());
        assert!(ram.offset(0x3fff_ffff, 1).is_none());
        assert!(ram.write_bytes(0x4000_fffe, &[1, 2, 3]).is_err());
        ram.write_bytes(0x4000_0010, &[1, 2, 3, 4]).unwrap();
        assert_eq!(ram.read_le(0x10, 4), 0x0403_0201);
        ram.write_le(0x20, 2, 0xbeef);
        let mut b = [0u8; 2];
        ram.read_bytes(0x4000_0020, &mut b).unwrap();
        assert_eq!(b, [0xef, 0xbe]);
    }

    #[test]
    fn code_flag_cleared_by_take_and_host_write() {
        let ram = GuestRam::new(0x4000_0000, 0x4000).unwrap();
        ram.mark_code(0x1000);
        assert_eq!(ram.code_pages(), 1);
        assert!(ram.take_code_flag(0x1ff0));
        assert!(!ram.take_code_flag(0x1ff0));
        ram.mark_code(0x2000);
        ram.write_bytes(0x4000_2004, &[0]).unwrap();
        assert!(!ram.take_code_flag(0x2000));
    }

    #[test]
    fn new_flags_bump_the_generation() {
        let ram = GuestRam::new(0x4000_0000, 0x4000).unwrap();
        let g = ram.flag_gen();
        assert!(ram.mark_code(0x1000));
        assert!(!ram.mark_code(0x1008), "already flagged");
        assert_eq!(ram.flag_gen(), g + 1);
        assert!(!ram.any_watched());
        assert!(ram.set_watch(0x4000_3000, true));
        assert!(ram.any_watched());
        assert_eq!(ram.flag_gen(), g + 2);
        assert_eq!(ram.page_flags(0x3000), page_flag::WATCH);
        assert!(ram.set_watch(0x4000_3000, false));
        assert!(
            ram.set_watch(0x4000_3000, false),
            "twice: still counted once"
        );
        assert!(!ram.any_watched());
        assert_eq!(ram.page_flags(0x3000), 0);
        assert!(!ram.set_watch(0x3000, true), "not RAM");
    }
}

#[cfg(test)]
mod backing_tests {
    use super::*;

    #[test]
    fn file_backed_ram_and_tags_persist() {
        let dir = std::env::temp_dir().join(format!("hypsim-ram-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let backing = RamBacking {
            memory_file: Some(dir.join("mem")),
            tags: true,
            tag_file: Some(dir.join("tags")),
        };
        {
            let ram = GuestRam::with_backing(0x4000_0000, 0x4000, &backing).unwrap();
            ram.write_le(0x1230, 8, 0x1122_3344_5566_7788);
            ram.set_tag(0x1230, 0xb);
            ram.flush().unwrap();
        }
        let ram = GuestRam::with_backing(0x4000_0000, 0x4000, &backing).unwrap();
        assert_eq!(ram.read_le(0x1230, 8), 0x1122_3344_5566_7788);
        assert_eq!(ram.tag(0x123f), 0xb);
        assert_eq!(ram.tag(0x1240), 0);
        assert_eq!(
            std::fs::metadata(dir.join("tags")).unwrap().len(),
            0x4000 / 32
        );
        let wrong = GuestRam::with_backing(0x4000_0000, 0x8000, &backing);
        assert!(
            matches!(
                wrong,
                Err(RamError::FileSize {
                    actual: 0x4000,
                    expected: 0x8000,
                    ..
                })
            ),
            "a file of another size is refused"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn no_tag_storage_reads_zero() {
        let ram = GuestRam::new(0x4000_0000, 0x2000).unwrap();
        assert!(!ram.has_tags());
        ram.set_tag(0x10, 5);
        assert_eq!(ram.tag(0x10), 0);
    }
}
