//! The arm64 Linux `Image` format (Linux `Documentation/arch/arm64/booting.rst`).
//!
//! An Image is a flat binary whose first 64 bytes are a header telling the
//! boot loader where in a 2 MiB-aligned region to put it (`text_offset`) and
//! how much memory it needs including BSS (`image_size`). The board, not this
//! crate, picks the base address, because only it knows the RAM layout.

use crate::{LinuxImage, ParseError};

/// `"ARM\x64"` read as a little-endian `u32`.
pub(crate) const MAGIC: u32 = 0x644D_5241;
/// Offset of the magic number in the header.
pub(crate) const MAGIC_OFFSET: usize = 0x38;
/// Size of the header.
const HEADER_LEN: usize = 64;
/// `text_offset` assumed for kernels older than 3.17, whose header has `image_size == 0`.
const LEGACY_TEXT_OFFSET: u64 = 0x8_0000;
/// Flags bit 0: kernel endianness (1 = big-endian).
const FLAG_BIG_ENDIAN: u64 = 1;

/// Whether `bytes` carry the Image magic number (the header may still be truncated).
pub(crate) fn has_magic(bytes: &[u8]) -> bool {
    read_u32(bytes, MAGIC_OFFSET) == Some(MAGIC)
}

/// Parses an Image whose magic number has already been recognised.
///
/// Bytes past `image_size` (e.g. the signature Debian appends to a signed
/// kernel) are dropped; a file shorter than `image_size` is normal, since
/// `image_size` counts the BSS that the file does not contain.
pub(crate) fn parse(bytes: &[u8]) -> Result<LinuxImage, ParseError> {
    if bytes.len() < HEADER_LEN {
        return Err(ParseError::ImageTruncated(bytes.len()));
    }
    let field = |offset| read_u64(bytes, offset).ok_or(ParseError::ImageTruncated(bytes.len()));
    let text_offset = field(0x08)?;
    let image_size = field(0x10)?;
    let flags = field(0x18)?;

    if flags & FLAG_BIG_ENDIAN != 0 {
        return Err(ParseError::ImageBigEndian);
    }
    let file_len = bytes.len() as u64;
    let (text_offset, image_size) = if image_size == 0 {
        (LEGACY_TEXT_OFFSET, file_len)
    } else if image_size < HEADER_LEN as u64 {
        return Err(ParseError::ImageSizeTooSmall(image_size));
    } else {
        (text_offset, image_size)
    };
    // Bounded by the file length, so the conversion to usize cannot fail.
    let keep = usize::try_from(image_size.min(file_len)).unwrap_or(bytes.len());
    Ok(LinuxImage {
        text_offset,
        image_size,
        flags,
        data: bytes[..keep].to_vec(),
    })
}

/// Little-endian `u32` at `offset`, if the buffer is long enough.
fn read_u32(bytes: &[u8], offset: usize) -> Option<u32> {
    let raw = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes(raw.try_into().ok()?))
}

/// Little-endian `u64` at `offset`, if the buffer is long enough.
fn read_u64(bytes: &[u8], offset: usize) -> Option<u64> {
    let raw = bytes.get(offset..offset.checked_add(8)?)?;
    Some(u64::from_le_bytes(raw.try_into().ok()?))
}
