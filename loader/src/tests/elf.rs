//! ELF64 recognition, segment extraction and every rejection path.

use super::build::*;
use crate::{parse_kernel, Kernel, ParseError, Segment};

fn parse(bytes: &[u8]) -> Result<Kernel, ParseError> {
    parse_kernel(bytes, false)
}

/// One PT_LOAD of `filesz`/`memsz` at the body of a one-header ELF.
fn one_load(filesz: u64, memsz: u64, body: &[u8]) -> Vec<u8> {
    let ph = Phdr {
        p_type: LOAD,
        flags: 5,
        offset: body_offset(1),
        vaddr: 0x4000_0000,
        paddr: 0x4000_0000,
        filesz,
        memsz,
    };
    elf64(EXEC, AARCH64, 0x4000_0000, &[ph], body)
}

#[test]
fn loads_segments_at_physical_addresses() {
    let kernel = parse(&sample_elf()).unwrap();
    let Kernel::Elf { segments, entry } = kernel else {
        panic!("not an ELF: {kernel:?}");
    };
    assert_eq!(
        segments,
        vec![
            Segment {
                addr: TEXT_PA,
                data: TEXT.to_vec(),
                mem_size: TEXT.len() as u64,
            },
            Segment {
                addr: 0x4009_0000,
                data: DATA.to_vec(),
                mem_size: 0x100,
            },
        ]
    );
    // The virtual entry (TEXT_VA + 4) is moved to where the text really is.
    assert_eq!(entry, TEXT_PA + 4);
}

#[test]
fn entry_outside_segments_is_kept() {
    let mut bytes = one_load(4, 4, &[0; 4]);
    bytes[24..32].copy_from_slice(&0x1234u64.to_le_bytes());
    let Kernel::Elf { entry, .. } = parse(&bytes).unwrap() else {
        panic!("not an ELF");
    };
    assert_eq!(entry, 0x1234);
}

#[test]
fn accepts_dyn() {
    let mut bytes = sample_elf();
    bytes[16] = 3; // ET_DYN
    assert!(matches!(parse(&bytes), Ok(Kernel::Elf { .. })));
}

#[test]
fn rejects_truncated_identification() {
    assert!(matches!(
        parse(b"\x7fELF\x02\x01"),
        Err(ParseError::ElfHeader(_))
    ));
}

#[test]
fn rejects_truncated_header() {
    let bytes = &sample_elf()[..40];
    let err = parse(bytes).unwrap_err();
    assert!(matches!(err, ParseError::ElfHeader(_)), "{err}");
    assert!(
        err.to_string().contains("shorter than the 64-byte"),
        "{err}"
    );
}

#[test]
fn rejects_elf32() {
    let mut bytes = sample_elf();
    bytes[4] = 1;
    assert!(matches!(parse(&bytes), Err(ParseError::ElfNot64)));
}

#[test]
fn rejects_invalid_class() {
    let mut bytes = sample_elf();
    bytes[4] = 9;
    assert!(matches!(parse(&bytes), Err(ParseError::ElfHeader(_))));
}

#[test]
fn rejects_big_endian() {
    let mut bytes = sample_elf();
    bytes[5] = 2;
    assert!(matches!(parse(&bytes), Err(ParseError::ElfBigEndian)));
}

#[test]
fn rejects_invalid_data_encoding() {
    let mut bytes = sample_elf();
    bytes[5] = 0;
    assert!(matches!(parse(&bytes), Err(ParseError::ElfHeader(_))));
}

#[test]
fn rejects_other_machine() {
    let body = [0u8; 4];
    let bytes = elf64(EXEC, 62, 0, &[], &body); // x86-64
    let err = parse(&bytes).unwrap_err();
    assert!(matches!(err, ParseError::ElfMachine(62)));
    assert_eq!(err.to_string(), "ELF machine is 62 (expected AArch64, 183)");
}

#[test]
fn rejects_relocatable() {
    let bytes = elf64(1, AARCH64, 0, &sample_phdrs(), &[]);
    assert!(matches!(parse(&bytes), Err(ParseError::ElfType(1))));
}

#[test]
fn rejects_no_program_headers() {
    let bytes = elf64(EXEC, AARCH64, 0, &[], &[]);
    let err = parse(&bytes).unwrap_err();
    assert!(matches!(err, ParseError::ElfNoLoadableSegments));
    assert_eq!(err.to_string(), "ELF has no loadable segments");
}

#[test]
fn rejects_only_empty_or_non_load_segments() {
    let phdrs: Vec<Phdr> = sample_phdrs()
        .into_iter()
        .filter(|ph| ph.p_type != LOAD || ph.memsz == 0)
        .collect();
    let bytes = elf64(EXEC, AARCH64, 0, &phdrs, &[0; 16]);
    assert!(matches!(
        parse(&bytes),
        Err(ParseError::ElfNoLoadableSegments)
    ));
}

#[test]
fn rejects_extended_numbering() {
    let mut bytes = sample_elf();
    bytes[56..58].copy_from_slice(&0xffffu16.to_le_bytes());
    let err = parse(&bytes).unwrap_err();
    assert!(err.to_string().contains("PN_XNUM"), "{err}");
}

#[test]
fn rejects_wrong_phentsize() {
    let mut bytes = sample_elf();
    bytes[54..56].copy_from_slice(&32u16.to_le_bytes());
    assert!(matches!(parse(&bytes), Err(ParseError::ElfPhentsize(32))));
}

#[test]
fn rejects_program_headers_outside_file() {
    let mut bytes = sample_elf();
    bytes[32..40].copy_from_slice(&0x10_0000u64.to_le_bytes());
    assert!(matches!(
        parse(&bytes),
        Err(ParseError::ElfProgramHeaders {
            offset: 0x10_0000,
            count: 4
        })
    ));
    bytes[32..40].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        parse(&bytes),
        Err(ParseError::ElfProgramHeaders { .. })
    ));
}

#[test]
fn rejects_truncated_program_header_table() {
    let bytes = &sample_elf()[..EHDR + 2 * PHDR];
    assert!(matches!(
        parse(bytes),
        Err(ParseError::ElfProgramHeaders { .. })
    ));
}

#[test]
fn rejects_filesz_above_memsz() {
    let bytes = one_load(8, 4, &[0; 8]);
    let err = parse(&bytes).unwrap_err();
    assert!(matches!(
        err,
        ParseError::ElfSegmentSizes {
            index: 0,
            filesz: 8,
            memsz: 4
        }
    ));
    assert_eq!(
        err.to_string(),
        "ELF segment 0: file size 0x8 exceeds memory size 0x4"
    );
}

#[test]
fn rejects_segment_past_end_of_file() {
    let bytes = one_load(16, 16, &[0; 8]);
    let err = parse(&bytes).unwrap_err();
    assert!(matches!(
        err,
        ParseError::ElfSegmentOutsideFile {
            index: 0,
            filesz: 16,
            ..
        }
    ));
    assert!(err.to_string().contains("lies outside"), "{err}");
}

#[test]
fn rejects_segment_offset_overflow() {
    let mut bytes = one_load(8, 8, &[0; 8]);
    let offset_field = EHDR + 8;
    bytes[offset_field..offset_field + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        parse(&bytes),
        Err(ParseError::ElfSegmentOutsideFile { .. })
    ));
}

#[test]
fn rejects_segment_wrapping_address_space() {
    let mut bytes = one_load(0, 0x2000, &[]);
    let paddr_field = EHDR + 24;
    bytes[paddr_field..paddr_field + 8].copy_from_slice(&(u64::MAX - 0xfff).to_le_bytes());
    assert!(matches!(
        parse(&bytes),
        Err(ParseError::ElfSegmentAddress { index: 0, .. })
    ));
}

#[test]
fn accepts_segment_ending_at_top_of_address_space() {
    let mut bytes = one_load(0, 0x1000, &[]);
    let paddr_field = EHDR + 24;
    bytes[paddr_field..paddr_field + 8].copy_from_slice(&(u64::MAX - 0xfff).to_le_bytes());
    let Kernel::Elf { segments, .. } = parse(&bytes).unwrap() else {
        panic!("not an ELF");
    };
    assert_eq!(segments[0].mem_size, 0x1000);
    assert!(segments[0].data.is_empty());
}

#[test]
fn elf_errors_do_not_fall_back_to_other_formats() {
    // An ELF with a valid Image magic planted in it is still judged as ELF.
    let mut bytes = elf64(EXEC, 62, 0, &[], &[0; 8]);
    bytes[0x38..0x3c].copy_from_slice(b"ARM\x64");
    assert!(matches!(parse(&bytes), Err(ParseError::ElfMachine(62))));
}
