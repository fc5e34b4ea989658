//! Raw loads (`--load-addr`) and empty input.

use super::build::*;
use crate::{parse_kernel, Kernel, ParseError};

#[test]
fn raw_takes_bytes_as_they_are() {
    let elf = sample_elf();
    assert_eq!(
        parse_kernel(&elf, true).unwrap(),
        Kernel::Raw { data: elf.clone() }
    );
    assert_eq!(
        parse_kernel(b"\x01\x02", true).unwrap(),
        Kernel::Raw { data: vec![1, 2] }
    );
}

#[test]
fn empty_is_refused_raw_or_not() {
    for raw in [false, true] {
        let err = parse_kernel(&[], raw).unwrap_err();
        assert!(matches!(err, ParseError::Empty));
        assert_eq!(err.to_string(), "file is empty");
    }
}
