//! arm64 Image header decoding and rejection paths.

use super::build::*;
use crate::{parse_kernel, Kernel, LinuxImage, ParseError};

fn parse_image(bytes: &[u8]) -> Result<LinuxImage, ParseError> {
    match parse_kernel(bytes, false)? {
        Kernel::Image(image) => Ok(image),
        other => panic!("not an Image: {other:?}"),
    }
}

#[test]
fn decodes_header() {
    let bytes = sample_image();
    let image = parse_image(&bytes).unwrap();
    assert_eq!(image.text_offset, 0);
    assert_eq!(image.image_size, 0x1000);
    assert_eq!(image.flags, 0b1010);
    // The file is shorter than image_size (BSS): kept whole, no error.
    assert_eq!(image.data, bytes);
}

#[test]
fn drops_trailing_bytes_past_image_size() {
    let mut bytes = image(0x8_0000, 0x80, 0, &[0x11; 64]);
    bytes.extend_from_slice(b"appended signature");
    let image = parse_image(&bytes).unwrap();
    assert_eq!(image.image_size, 0x80);
    assert_eq!(image.data, bytes[..0x80]);
}

#[test]
fn legacy_header_without_image_size() {
    let bytes = image(0x1234, 0, 0, &[0x22; 100]);
    let image = parse_image(&bytes).unwrap();
    assert_eq!(image.text_offset, 0x8_0000);
    assert_eq!(image.image_size, bytes.len() as u64);
    assert_eq!(image.data, bytes);
}

#[test]
fn header_only_image() {
    let bytes = image(0, 64, 0, &[]);
    assert_eq!(parse_image(&bytes).unwrap().data.len(), 64);
}

#[test]
fn rejects_big_endian() {
    let err = parse_kernel(&image(0, 0x1000, 1, &[]), false).unwrap_err();
    assert!(matches!(err, ParseError::ImageBigEndian));
    assert_eq!(err.to_string(), "big-endian Images are not supported");
}

#[test]
fn rejects_image_size_smaller_than_header() {
    assert!(matches!(
        parse_kernel(&image(0, 63, 0, &[]), false),
        Err(ParseError::ImageSizeTooSmall(63))
    ));
}

#[test]
fn rejects_truncated_header() {
    // Magic present (bytes 0x38..0x3c) but res5 cut off.
    let bytes = &sample_image()[..0x3e];
    assert!(matches!(
        parse_kernel(bytes, false),
        Err(ParseError::ImageTruncated(0x3e))
    ));
}

#[test]
fn unknown_magic_is_refused_with_hint() {
    let mut bytes = sample_image();
    bytes[0x38] = b'X';
    let err = parse_kernel(&bytes, false).unwrap_err();
    assert!(matches!(err, ParseError::UnknownFormat));
    assert!(err.to_string().contains("--load-addr"), "{err}");
}

#[test]
fn short_unknown_file_is_refused() {
    assert!(matches!(
        parse_kernel(b"hello", false),
        Err(ParseError::UnknownFormat)
    ));
}
