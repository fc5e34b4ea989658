//! Turns kernel files into what a board must place in guest memory.
//!
//! This crate knows file formats and nothing about guest RAM: it returns
//! segments, Images and raw blobs, and the board decides where they go and
//! whether they fit. Keeping the parsing pure ([`parse_kernel`]) lets it be
//! tested and fuzzed on byte buffers, without files or a machine.
//!
//! Formats are recognised by their magic numbers, in this order:
//! ELF (`\x7fELF`), gzip (`1f 8b`, which must inflate to an Image) and the
//! arm64 Image (`"ARM\x64"` at offset 0x38). Anything else is refused unless
//! the caller asked for a raw load, because silently treating an unknown file
//! as raw code hides mistakes such as passing the wrong file.

#![deny(missing_docs)]

mod elf;
mod error;
mod gzip;
mod image;

use std::path::Path;

pub use error::{LoadError, ParseError};

/// One piece of an ELF file to copy into guest memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Guest physical address of the first byte (the ELF `p_paddr`).
    pub addr: u64,
    /// Bytes from the file; the segment's first `data.len()` bytes.
    pub data: Vec<u8>,
    /// Size in memory, `>= data.len()`; the tail past `data` is zero-filled (BSS).
    pub mem_size: u64,
}

/// An arm64 Linux Image, with its header fields decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinuxImage {
    /// Offset from a 2 MiB-aligned base at which the Image must be placed
    /// (0x80000 for pre-3.17 kernels, whose header does not say).
    pub text_offset: u64,
    /// Memory the kernel needs from its load address, including BSS
    /// (the file length for pre-3.17 kernels).
    pub image_size: u64,
    /// Header flags (bit 0 endianness, bits 1-2 page size, bit 3 placement).
    pub flags: u64,
    /// The Image bytes: the file, cut at `image_size` when the file is longer.
    pub data: Vec<u8>,
}

/// A recognised kernel file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kernel {
    /// An ELF executable: load each segment at its address, jump to `entry`.
    Elf {
        /// Loadable segments, in program header order (never empty).
        segments: Vec<Segment>,
        /// Physical entry point.
        entry: u64,
    },
    /// An arm64 Linux Image (possibly inflated from `Image.gz`).
    Image(LinuxImage),
    /// Bytes to place at a caller-chosen address (never empty).
    Raw {
        /// The file content.
        data: Vec<u8>,
    },
}

/// Reads and recognises a kernel file.
///
/// `raw` is set when the user gave an explicit load address: the file is
/// then taken byte for byte, whatever it looks like.
pub fn load_kernel(path: &Path, raw: bool) -> Result<Kernel, LoadError> {
    const WHAT: &str = "kernel";
    let bytes = read(WHAT, path)?;
    parse_kernel(&bytes, raw).map_err(|error| LoadError::Parse {
        what: WHAT,
        path: path.to_path_buf(),
        error,
    })
}

/// Recognises a kernel held in memory. Pure: no I/O, and no panic on any input.
pub fn parse_kernel(bytes: &[u8], raw: bool) -> Result<Kernel, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    if raw {
        return Ok(Kernel::Raw {
            data: bytes.to_vec(),
        });
    }
    if bytes.starts_with(elf::MAGIC) {
        elf::parse(bytes)
    } else if bytes.starts_with(&gzip::MAGIC) {
        parse_gzip_image(bytes, gzip::MAX_INFLATED)
    } else if image::has_magic(bytes) {
        image::parse(bytes).map(Kernel::Image)
    } else {
        Err(ParseError::UnknownFormat)
    }
}

/// Reads a whole file (initrd, device tree...) with an error that names it.
pub fn load_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    read("file", path)
}

/// Inflates `bytes` (at most `limit` bytes out) and parses the result as an Image.
fn parse_gzip_image(bytes: &[u8], limit: u64) -> Result<Kernel, ParseError> {
    let inflated = gzip::inflate(bytes, limit)?;
    if !image::has_magic(&inflated) {
        return Err(ParseError::GzipNotImage);
    }
    image::parse(&inflated).map(Kernel::Image)
}

/// Reads `path`, labelling a failure with the file's role.
fn read(what: &'static str, path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|error| LoadError::Read {
        what,
        path: path.to_path_buf(),
        error,
    })
}

#[cfg(test)]
mod tests;
