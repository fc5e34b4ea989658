//! gzip-compressed Images, the decompression cap and corrupt streams.

use super::build::*;
use crate::{parse_gzip_image, parse_kernel, Kernel, ParseError};

#[test]
fn inflates_to_image() {
    let plain = sample_image();
    let kernel = parse_kernel(&gzip(&plain), false).unwrap();
    let Kernel::Image(image) = kernel else {
        panic!("not an Image: {kernel:?}");
    };
    assert_eq!(image.image_size, 0x1000);
    assert_eq!(image.data, plain);
}

#[test]
fn ignores_bytes_after_the_gzip_member() {
    let mut bytes = gzip(&sample_image());
    bytes.extend_from_slice(&[0u8; 32]);
    assert!(matches!(parse_kernel(&bytes, false), Ok(Kernel::Image(_))));
}

#[test]
fn rejects_compressed_non_image() {
    let err = parse_kernel(&gzip(b"just some text, not a kernel"), false).unwrap_err();
    assert!(matches!(err, ParseError::GzipNotImage));
}

#[test]
fn rejects_compressed_elf() {
    assert!(matches!(
        parse_kernel(&gzip(&sample_elf()), false),
        Err(ParseError::GzipNotImage)
    ));
}

#[test]
fn rejects_corrupt_stream() {
    let mut bytes = gzip(&sample_image());
    let len = bytes.len();
    bytes[len - 8] ^= 0xff; // CRC32 in the trailer
    assert!(matches!(
        parse_kernel(&bytes, false),
        Err(ParseError::GzipCorrupt(_))
    ));
}

#[test]
fn rejects_truncated_stream() {
    let bytes = gzip(&sample_image());
    assert!(matches!(
        parse_kernel(&bytes[..bytes.len() / 2], false),
        Err(ParseError::GzipCorrupt(_))
    ));
}

#[test]
fn cap_bounds_inflated_size() {
    let plain = image(0, 0x1000, 0, &[0; 4096]);
    let bytes = gzip(&plain);
    let exact = plain.len() as u64;
    assert!(parse_gzip_image(&bytes, exact).is_ok());
    let err = parse_gzip_image(&bytes, exact - 1).unwrap_err();
    assert!(matches!(err, ParseError::GzipTooLarge { limit } if limit == exact - 1));
}

#[test]
fn default_cap_is_one_gib() {
    assert_eq!(crate::gzip::MAX_INFLATED, 1 << 30);
}
