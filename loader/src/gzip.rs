//! gzip decompression, for the `Image.gz` kernels that distributions ship.
//!
//! Inflation is capped so that a small malicious file cannot make the
//! emulator allocate without bound (a "decompression bomb"); real arm64
//! kernels are a few tens of MiB, far below the cap.

use std::io::Read;

use flate2::read::GzDecoder;

use crate::ParseError;

/// The two bytes every gzip member starts with (RFC 1952).
pub(crate) const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Largest accepted inflated size: 1 GiB.
pub(crate) const MAX_INFLATED: u64 = 1 << 30;

/// Inflates the first gzip member of `bytes`, failing if it exceeds `limit` bytes.
///
/// Bytes after the first member are ignored, as a boot loader would.
pub(crate) fn inflate(bytes: &[u8], limit: u64) -> Result<Vec<u8>, ParseError> {
    let mut out = Vec::new();
    // Reading one byte past the limit tells "exactly at the limit" from "over it".
    GzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| ParseError::GzipCorrupt(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(ParseError::GzipTooLarge { limit });
    }
    Ok(out)
}
