//! Error types.
//!
//! Two layers: [`ParseError`] says what is wrong with a byte buffer and knows
//! nothing about files, so [`crate::parse_kernel`] stays pure and fuzzable;
//! [`LoadError`] adds the role ("kernel", "file") and the path, because a user
//! who passed three files on the command line needs to know which one is bad.
//!
//! The outer error embeds the inner message in its own `Display` and does not
//! report it again through `source()`: printed with `{}` or `{:#}` the message
//! is complete and says each thing exactly once.

use std::fmt;
use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// What is wrong with the bytes of a kernel image (no path: see [`LoadError`]).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Zero bytes: nothing to load, whatever the format.
    #[error("file is empty")]
    Empty,

    /// No known magic number, and the caller did not ask for a raw load.
    #[error(
        "not an ELF64 AArch64 executable, an arm64 Image or a gzip-compressed Image \
         (use --load-addr to load a raw binary)"
    )]
    UnknownFormat,

    /// The ELF identification or file header is cut short or inconsistent.
    #[error("malformed ELF header: {0}")]
    ElfHeader(String),

    /// ELF32 (AArch32 or ILP32) files cannot describe a 64-bit kernel.
    #[error("ELF is 32-bit; only ELF64 is supported")]
    ElfNot64,

    /// The emulated CPU runs little-endian data accesses at reset.
    #[error("ELF is big-endian; only little-endian is supported")]
    ElfBigEndian,

    /// Built for another architecture.
    #[error("ELF machine is {0} (expected AArch64, 183)")]
    ElfMachine(u16),

    /// Relocatable objects and core dumps have no load addresses.
    #[error("ELF type {0} is not an executable (expected ET_EXEC or ET_DYN)")]
    ElfType(u16),

    /// A program header table whose entries are not the ELF64 size would be misread.
    #[error("ELF program header entry size is {0} (expected 56)")]
    ElfPhentsize(u16),

    /// The program header table does not fit in the file.
    #[error(
        "ELF program header table ({count} entries at offset {offset:#x}) lies outside the file"
    )]
    ElfProgramHeaders {
        /// `e_phoff`.
        offset: u64,
        /// `e_phnum`.
        count: u16,
    },

    /// `p_filesz > p_memsz`: the segment would overflow its own memory image.
    #[error("ELF segment {index}: file size {filesz:#x} exceeds memory size {memsz:#x}")]
    ElfSegmentSizes {
        /// Index in the program header table.
        index: usize,
        /// `p_filesz`.
        filesz: u64,
        /// `p_memsz`.
        memsz: u64,
    },

    /// The segment's bytes are not (all) in the file.
    #[error(
        "ELF segment {index}: file range {offset:#x}+{filesz:#x} lies outside the {file_len:#x}-byte file"
    )]
    ElfSegmentOutsideFile {
        /// Index in the program header table.
        index: usize,
        /// `p_offset`.
        offset: u64,
        /// `p_filesz`.
        filesz: u64,
        /// Length of the whole file.
        file_len: usize,
    },

    /// The segment would wrap around the top of the 64-bit address space.
    #[error("ELF segment {index}: address {addr:#x} + size {memsz:#x} wraps past 2^64")]
    ElfSegmentAddress {
        /// Index in the program header table.
        index: usize,
        /// `p_paddr`.
        addr: u64,
        /// `p_memsz`.
        memsz: u64,
    },

    /// Nothing to put in memory.
    #[error("ELF has no loadable segments")]
    ElfNoLoadableSegments,

    /// The magic number is there but the 64-byte header is cut short.
    #[error("arm64 Image header is truncated ({0} bytes, need 64)")]
    ImageTruncated(usize),

    /// `image_size` smaller than the header it is part of cannot be right.
    #[error("arm64 Image header claims image_size {0:#x}, smaller than the 64-byte header")]
    ImageSizeTooSmall(u64),

    /// Flags bit 0: the kernel expects a big-endian CPU.
    #[error("big-endian Images are not supported")]
    ImageBigEndian,

    /// Inflation failed (bad deflate stream, bad CRC, truncated member...).
    #[error("gzip data is corrupt: {0}")]
    GzipCorrupt(String),

    /// Inflation would exceed the cap that guards against decompression bombs.
    #[error("gzip data inflates to more than {limit} bytes")]
    GzipTooLarge {
        /// The cap, in bytes.
        limit: u64,
    },

    /// Only `Image.gz` is accepted compressed: that is what distributions ship.
    #[error("gzip-compressed data is not an arm64 Image")]
    GzipNotImage,
}

/// A file could not be loaded: names the file and says what is wrong.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read from the host.
    #[error("{what} {}: cannot read: {}", path.display(), IoMessage(error))]
    Read {
        /// Role of the file ("kernel", "file").
        what: &'static str,
        /// Path as given.
        path: PathBuf,
        /// The host error.
        error: io::Error,
    },

    /// The file was read but its content is unusable.
    #[error("{what} {}: {error}", path.display())]
    Parse {
        /// Role of the file ("kernel").
        what: &'static str,
        /// Path as given.
        path: PathBuf,
        /// What is wrong with the content.
        error: ParseError,
    },
}

/// Shows an I/O error without the " (os error N)" suffix, which tells a user
/// nothing that the text before it did not.
struct IoMessage<'a>(&'a io::Error);

impl fmt::Display for IoMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        if let Some(code) = self.0.raw_os_error() {
            let suffix = format!(" (os error {code})");
            if let Some(stripped) = text.strip_suffix(&suffix) {
                return f.write_str(stripped);
            }
        }
        f.write_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_error_names_path_and_drops_os_code() {
        let err = LoadError::Read {
            what: "kernel",
            path: PathBuf::from("/x"),
            error: io::Error::from_raw_os_error(2),
        };
        let text = err.to_string();
        assert!(text.starts_with("kernel /x: cannot read: "), "{text}");
        assert!(!text.contains("os error"), "{text}");
    }

    #[test]
    fn read_error_keeps_custom_message() {
        let err = LoadError::Read {
            what: "file",
            path: PathBuf::from("/y"),
            error: io::Error::other("boom"),
        };
        assert_eq!(err.to_string(), "file /y: cannot read: boom");
    }

    #[test]
    fn parse_error_names_path() {
        let err = LoadError::Parse {
            what: "kernel",
            path: PathBuf::from("/x/y.elf"),
            error: ParseError::ElfNoLoadableSegments,
        };
        assert_eq!(
            err.to_string(),
            "kernel /x/y.elf: ELF has no loadable segments"
        );
    }
}
