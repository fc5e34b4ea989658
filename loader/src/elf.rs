//! ELF64 AArch64 executables.
//!
//! Only the file header and the program headers are read: they are all a
//! loader needs, and ignoring section headers, symbols and dynamic tables
//! means a stripped or oddly linked image still loads, as on real firmware.
//!
//! Segments are placed at their **physical** address (`p_paddr`), as QEMU
//! does for ELF kernels: the CPU comes out of reset with the MMU off, so the
//! addresses that matter are physical, and kernels linked to run at a high
//! virtual address put their load address in `p_paddr`. For the same reason
//! an entry point that lies inside a segment's virtual range is moved by that
//! segment's `p_vaddr` → `p_paddr` offset.

use goblin::container::Endian;
use goblin::elf::header::{
    EI_CLASS, EI_DATA, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EM_AARCH64, ET_DYN,
    ET_EXEC, SIZEOF_IDENT,
};
use goblin::elf::program_header::PT_LOAD;
use goblin::elf64::header::{Header, SIZEOF_EHDR};
use goblin::elf64::program_header::{ProgramHeader, SIZEOF_PHDR};

use crate::{Kernel, ParseError, Segment};

/// The four bytes every ELF file starts with.
pub(crate) const MAGIC: &[u8; 4] = b"\x7fELF";

/// `e_phnum` value meaning "the real count is elsewhere" (ELF gABI `PN_XNUM`).
const PN_XNUM: u16 = 0xffff;

/// Parses an ELF64 little-endian AArch64 executable into its loadable segments.
pub(crate) fn parse(bytes: &[u8]) -> Result<Kernel, ParseError> {
    let header = parse_header(bytes)?;
    let phdrs = parse_program_headers(bytes, &header)?;

    let mut segments = Vec::new();
    for (index, ph) in phdrs.iter().enumerate() {
        if ph.p_type != PT_LOAD || ph.p_memsz == 0 {
            continue;
        }
        segments.push(segment(bytes, index, ph)?);
    }
    if segments.is_empty() {
        return Err(ParseError::ElfNoLoadableSegments);
    }

    let entry = physical_entry(header.e_entry, &phdrs);
    Ok(Kernel::Elf { segments, entry })
}

/// Checks the identification and file header: 64-bit, little-endian, AArch64, executable.
fn parse_header(bytes: &[u8]) -> Result<Header, ParseError> {
    if bytes.len() < SIZEOF_IDENT {
        return Err(ParseError::ElfHeader(format!(
            "file is {} bytes, shorter than the 16-byte identification",
            bytes.len()
        )));
    }
    match bytes[EI_CLASS] {
        ELFCLASS64 => {}
        ELFCLASS32 => return Err(ParseError::ElfNot64),
        other => return Err(ParseError::ElfHeader(format!("invalid class {other}"))),
    }
    match bytes[EI_DATA] {
        ELFDATA2LSB => {}
        ELFDATA2MSB => return Err(ParseError::ElfBigEndian),
        other => {
            return Err(ParseError::ElfHeader(format!(
                "invalid data encoding {other}"
            )))
        }
    }
    if bytes.len() < SIZEOF_EHDR {
        return Err(ParseError::ElfHeader(format!(
            "file is {} bytes, shorter than the {SIZEOF_EHDR}-byte ELF64 header",
            bytes.len()
        )));
    }
    let header = Header::parse(bytes).map_err(|e| ParseError::ElfHeader(e.to_string()))?;
    if header.e_machine != EM_AARCH64 {
        return Err(ParseError::ElfMachine(header.e_machine));
    }
    if header.e_type != ET_EXEC && header.e_type != ET_DYN {
        return Err(ParseError::ElfType(header.e_type));
    }
    Ok(header)
}

/// Reads the program header table after checking that it lies inside the file.
fn parse_program_headers(bytes: &[u8], header: &Header) -> Result<Vec<ProgramHeader>, ParseError> {
    let count = header.e_phnum;
    if count == 0 {
        return Ok(Vec::new());
    }
    if count == PN_XNUM {
        return Err(ParseError::ElfHeader(
            "extended program header numbering (PN_XNUM) is not supported".into(),
        ));
    }
    if usize::from(header.e_phentsize) != SIZEOF_PHDR {
        return Err(ParseError::ElfPhentsize(header.e_phentsize));
    }
    let outside = || ParseError::ElfProgramHeaders {
        offset: header.e_phoff,
        count,
    };
    let table_len = u64::from(count) * SIZEOF_PHDR as u64;
    let end = header.e_phoff.checked_add(table_len).ok_or_else(outside)?;
    if end > bytes.len() as u64 {
        return Err(outside());
    }
    let offset = usize::try_from(header.e_phoff).map_err(|_| outside())?;
    ProgramHeader::parse(bytes, offset, usize::from(count), Endian::Little).map_err(|_| outside())
}

/// Validates one `PT_LOAD` header and copies its file bytes.
fn segment(bytes: &[u8], index: usize, ph: &ProgramHeader) -> Result<Segment, ParseError> {
    if ph.p_filesz > ph.p_memsz {
        return Err(ParseError::ElfSegmentSizes {
            index,
            filesz: ph.p_filesz,
            memsz: ph.p_memsz,
        });
    }
    let outside = || ParseError::ElfSegmentOutsideFile {
        index,
        offset: ph.p_offset,
        filesz: ph.p_filesz,
        file_len: bytes.len(),
    };
    let end = ph.p_offset.checked_add(ph.p_filesz).ok_or_else(outside)?;
    let start = usize::try_from(ph.p_offset).map_err(|_| outside())?;
    let end = usize::try_from(end).map_err(|_| outside())?;
    let data = bytes.get(start..end).ok_or_else(outside)?.to_vec();
    // Checks the last byte rather than the end, so that a segment ending
    // exactly at 2^64 is accepted: every byte of it has an address.
    let last_byte = ph.p_memsz.saturating_sub(1);
    if ph.p_paddr.checked_add(last_byte).is_none() {
        return Err(ParseError::ElfSegmentAddress {
            index,
            addr: ph.p_paddr,
            memsz: ph.p_memsz,
        });
    }
    Ok(Segment {
        addr: ph.p_paddr,
        data,
        mem_size: ph.p_memsz,
    })
}

/// Moves a virtual entry point to where its segment is actually loaded.
///
/// The first loadable segment whose file-backed virtual range contains the
/// entry decides; an entry outside every segment is returned unchanged.
fn physical_entry(entry: u64, phdrs: &[ProgramHeader]) -> u64 {
    phdrs
        .iter()
        .filter(|ph| ph.p_type == PT_LOAD)
        .find(|ph| entry >= ph.p_vaddr && entry - ph.p_vaddr < ph.p_filesz)
        .map_or(entry, |ph| ph.p_paddr.wrapping_add(entry - ph.p_vaddr))
}
