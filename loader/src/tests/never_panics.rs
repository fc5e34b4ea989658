//! Property tests: no input, however malformed, makes the parser panic.

use proptest::prelude::*;

use super::build::*;
use crate::parse_kernel;

/// Moderate case counts keep the suite at a few seconds on two cores.
fn config() -> ProptestConfig {
    ProptestConfig::with_cases(2000)
}

/// Valid inputs of every format, to be damaged by the tests below.
fn seeds() -> Vec<Vec<u8>> {
    vec![sample_elf(), sample_image(), gzip(&sample_image())]
}

/// Applies `(position, xor mask)` flips, positions taken modulo the length.
fn flip(mut bytes: Vec<u8>, flips: &[(usize, u8)]) -> Vec<u8> {
    let len = bytes.len();
    for &(pos, mask) in flips {
        bytes[pos % len] ^= mask;
    }
    bytes
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512), raw: bool) {
        let _ = parse_kernel(&bytes, raw);
    }

    #[test]
    fn arbitrary_bytes_with_magic(
        magic in prop_oneof![
            Just(b"\x7fELF".to_vec()),
            Just(b"\x7fELF\x02\x01".to_vec()),
            Just(vec![0x1f, 0x8b]),
            Just(vec![0x1f, 0x8b, 8, 0]),
        ],
        tail in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = magic;
        bytes.extend_from_slice(&tail);
        let _ = parse_kernel(&bytes, false);
    }

    #[test]
    fn arbitrary_image_header_fields(
        text_offset: u64, image_size: u64, flags: u64,
        payload in proptest::collection::vec(any::<u8>(), 0..128),
    ) {
        let _ = parse_kernel(&image(text_offset, image_size, flags, &payload), false);
    }

    #[test]
    fn flipped_bytes(
        seed in 0usize..3,
        flips in proptest::collection::vec((any::<usize>(), 1u8..), 1..8),
    ) {
        let bytes = flip(seeds().swap_remove(seed), &flips);
        let _ = parse_kernel(&bytes, false);
    }

    #[test]
    fn flipped_header_bytes(
        seed in 0usize..2,
        flips in proptest::collection::vec((0usize..EHDR + 4 * PHDR, 1u8..), 1..8),
    ) {
        let bytes = flip(seeds().swap_remove(seed), &flips);
        let _ = parse_kernel(&bytes, false);
    }

    #[test]
    fn overwritten_words(
        seed in 0usize..2,
        writes in proptest::collection::vec((0usize..EHDR + 4 * PHDR, any::<u64>()), 1..4),
    ) {
        // Whole-word writes reach extreme values (u64::MAX...) that bit flips rarely hit.
        let mut bytes = seeds().swap_remove(seed);
        for (pos, value) in writes {
            let pos = pos % (bytes.len() - 8);
            bytes[pos..pos + 8].copy_from_slice(&value.to_le_bytes());
        }
        let _ = parse_kernel(&bytes, false);
    }

    #[test]
    fn truncated(seed in 0usize..3, cut: usize) {
        let bytes = seeds().swap_remove(seed);
        let cut = cut % (bytes.len() + 1);
        let _ = parse_kernel(&bytes[..cut], false);
    }
}
