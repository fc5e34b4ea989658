//! Hand-built test inputs: ELF64 files, Image headers and gzip streams.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

/// Size of an ELF64 file header.
pub const EHDR: usize = 64;
/// Size of an ELF64 program header.
pub const PHDR: usize = 56;
/// `EM_AARCH64`.
pub const AARCH64: u16 = 183;
/// `ET_EXEC`.
pub const EXEC: u16 = 2;
/// `PT_LOAD`.
pub const LOAD: u32 = 1;
/// `PT_NOTE`.
pub const NOTE: u32 = 4;

/// One program header, as the builder writes it.
#[derive(Clone, Copy, Default)]
pub struct Phdr {
    pub p_type: u32,
    pub flags: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub paddr: u64,
    pub filesz: u64,
    pub memsz: u64,
}

/// Offset of the first byte after the headers of an ELF with `n` program headers.
pub fn body_offset(n: usize) -> u64 {
    (EHDR + n * PHDR) as u64
}

/// An ELF64 little-endian file: header, program headers at 64, then `body`.
pub fn elf64(e_type: u16, machine: u16, entry: u64, phdrs: &[Phdr], body: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"\x7fELF");
    b.extend_from_slice(&[2, 1, 1, 0]); // ELFCLASS64, little-endian, version 1, SysV ABI
    b.extend_from_slice(&[0; 8]);
    b.extend_from_slice(&e_type.to_le_bytes());
    b.extend_from_slice(&machine.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes()); // e_version
    b.extend_from_slice(&entry.to_le_bytes());
    b.extend_from_slice(&(EHDR as u64).to_le_bytes()); // e_phoff
    b.extend_from_slice(&0u64.to_le_bytes()); // e_shoff
    b.extend_from_slice(&0u32.to_le_bytes()); // e_flags
    b.extend_from_slice(&(EHDR as u16).to_le_bytes()); // e_ehsize
    b.extend_from_slice(&(PHDR as u16).to_le_bytes()); // e_phentsize
    b.extend_from_slice(&(phdrs.len() as u16).to_le_bytes());
    b.extend_from_slice(&[0; 6]); // e_shentsize, e_shnum, e_shstrndx
    assert_eq!(b.len(), EHDR);
    for ph in phdrs {
        b.extend_from_slice(&ph.p_type.to_le_bytes());
        b.extend_from_slice(&ph.flags.to_le_bytes());
        b.extend_from_slice(&ph.offset.to_le_bytes());
        b.extend_from_slice(&ph.vaddr.to_le_bytes());
        b.extend_from_slice(&ph.paddr.to_le_bytes());
        b.extend_from_slice(&ph.filesz.to_le_bytes());
        b.extend_from_slice(&ph.memsz.to_le_bytes());
        b.extend_from_slice(&0x1000u64.to_le_bytes()); // p_align
    }
    b.extend_from_slice(body);
    b
}

/// Code bytes of the sample ELF's text segment.
pub const TEXT: [u8; 8] = [0x00, 0x00, 0x80, 0xd2, 0x00, 0x00, 0x00, 0x14];
/// File bytes of the sample ELF's data segment.
pub const DATA: [u8; 4] = [1, 2, 3, 4];
/// Physical load address of the sample text segment.
pub const TEXT_PA: u64 = 0x4008_0000;
/// Virtual address of the sample text segment (a high, Linux-like address).
pub const TEXT_VA: u64 = 0xffff_8000_1008_0000;

/// The program headers of the sample ELF: a note, text, an empty load, data+BSS.
pub fn sample_phdrs() -> Vec<Phdr> {
    let body = body_offset(4);
    vec![
        Phdr {
            p_type: NOTE,
            offset: body,
            filesz: 4,
            memsz: 4,
            ..Phdr::default()
        },
        Phdr {
            p_type: LOAD,
            flags: 5, // R+X
            offset: body,
            vaddr: TEXT_VA,
            paddr: TEXT_PA,
            filesz: TEXT.len() as u64,
            memsz: TEXT.len() as u64,
        },
        Phdr {
            p_type: LOAD,
            flags: 6,
            offset: body,
            vaddr: 0x5000_0000,
            paddr: 0x5000_0000,
            filesz: 0,
            memsz: 0,
        },
        Phdr {
            p_type: LOAD,
            flags: 6, // R+W
            offset: body + TEXT.len() as u64,
            vaddr: 0x4009_0000,
            paddr: 0x4009_0000,
            filesz: DATA.len() as u64,
            memsz: 0x100,
        },
    ]
}

/// A valid ELF whose entry is 4 bytes into the text segment's virtual range.
pub fn sample_elf() -> Vec<u8> {
    let body: Vec<u8> = TEXT.iter().chain(DATA.iter()).copied().collect();
    elf64(EXEC, AARCH64, TEXT_VA + 4, &sample_phdrs(), &body)
}

/// A 64-byte arm64 Image header followed by `payload`.
pub fn image(text_offset: u64, image_size: u64, flags: u64, payload: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0x1400_0010u32.to_le_bytes()); // code0: b +0x40
    b.extend_from_slice(&0u32.to_le_bytes()); // code1
    b.extend_from_slice(&text_offset.to_le_bytes());
    b.extend_from_slice(&image_size.to_le_bytes());
    b.extend_from_slice(&flags.to_le_bytes());
    b.extend_from_slice(&[0; 24]); // res2, res3, res4
    b.extend_from_slice(b"ARM\x64");
    b.extend_from_slice(&0u32.to_le_bytes()); // res5
    assert_eq!(b.len(), 64);
    b.extend_from_slice(payload);
    b
}

/// A valid modern Image: 64-byte header + 64 bytes of payload, 0x1000 bytes in memory.
pub fn sample_image() -> Vec<u8> {
    image(0, 0x1000, 0b1010, &[0xaa; 64])
}

/// `bytes` compressed as a single gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).expect("write to Vec");
    enc.finish().expect("finish gzip")
}
