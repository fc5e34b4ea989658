//! How the walker reads and updates descriptors: the [`WalkMem`] trait.
//!
//! The walker never touches memory itself. For a stage 1 walk without stage 2 the caller
//! passes guest RAM (the [`GuestRam`] implementation below). For the EL1&0 regime with
//! stage 2 enabled, table addresses are IPAs (R PNHHK): the caller then passes an adapter
//! that translates each descriptor address through stage 2 first and, when that faults,
//! returns [`WalkMemError::Fault`] carrying the stage 2 fault with `s1ptw` set and the IPA
//! of the table (the S1PTW case of ESR_EL2/HPFAR_EL2). The walker passes such a fault
//! through unchanged.

use super::fault::{Fault, FaultKind};
use crate::GuestRam;

/// Why a descriptor access failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WalkMemError {
    /// Nothing answered at that address (or the memory system returned an error): the walk
    /// reports a Synchronous External abort on the walk at the current lookup level.
    External,
    /// A complete fault to report as is (e.g. a stage 2 fault on the stage 1 walk).
    Fault(Fault),
}

impl WalkMemError {
    /// The fault this error becomes at lookup level `level` of a stage 1 walk.
    pub(crate) fn into_fault(self, level: i8) -> Fault {
        match self {
            WalkMemError::External => Fault::stage1(FaultKind::SyncExternalOnWalk, level),
            WalkMemError::Fault(f) => f,
        }
    }

    /// The fault this error becomes at lookup level `level` of a stage 2 walk of `ipa`.
    pub(crate) fn into_s2_fault(self, level: i8, ipa: u64) -> Fault {
        match self {
            WalkMemError::External => Fault::stage2(FaultKind::SyncExternalOnWalk, level, ipa),
            WalkMemError::Fault(f) => f,
        }
    }
}

/// Descriptor memory as seen by a translation table walk.
///
/// Values are the 64-bit little-endian reading of the eight bytes at `addr` (the walker
/// byte-swaps itself when SCTLR_ELx.EE selects big-endian tables). `addr` is always
/// 8-byte aligned. For stage 1 under stage 2 it is an IPA.
pub trait WalkMem {
    /// Read the descriptor at `addr` (a single-copy-atomic 64-bit read, R YKQTS).
    fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError>;

    /// Atomically replace the descriptor at `addr` with `new` if it still holds `old`.
    /// Returns `Ok(false)` if it held something else (the walker then walks again).
    /// Used for hardware Access flag updates (R LFTXR); a stage 2 adapter treats it as a
    /// write for its permission check.
    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, WalkMemError>;
}

impl<T: WalkMem + ?Sized> WalkMem for &mut T {
    fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
        (**self).read_desc(addr)
    }

    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, WalkMemError> {
        (**self).cas_desc(addr, old, new)
    }
}

/// Guest RAM as walk memory: physical addresses outside RAM are External aborts.
impl WalkMem for GuestRam {
    fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
        (&*self).read_desc(addr)
    }

    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, WalkMemError> {
        (&*self).cas_desc(addr, old, new)
    }
}

/// Shared guest RAM as walk memory (what `Bus::ram()` hands out).
impl WalkMem for &GuestRam {
    fn read_desc(&mut self, addr: u64) -> Result<u64, WalkMemError> {
        let off = self.offset(addr, 8).ok_or(WalkMemError::External)?;
        Ok(self.read_le(off, 8))
    }

    fn cas_desc(&mut self, addr: u64, old: u64, new: u64) -> Result<bool, WalkMemError> {
        let off = self.offset(addr, 8).ok_or(WalkMemError::External)?;
        // vCPUs of one board run on one host thread, so read-compare-write is atomic
        // with respect to every other guest observer.
        if self.read_le(off, 8) != old {
            return Ok(false);
        }
        self.write_le(off, 8, new);
        // A descriptor write is a write to guest memory: drop decoded code of that page
        // (a `true` bumps the code epoch, which every CPU checks).
        let _ = self.take_code_flag(off);
        Ok(true)
    }
}

/// Hardware Access flag update (FEAT_HAFDBS): compare-and-swap the descriptor at `addr`
/// from `desc` to `desc` with AF set, in the tables' byte order (`big_endian`: SCTLR_ELx.EE).
/// `Ok(false)` means another writer changed it first: the walk must start again.
pub(crate) fn set_access_flag<M: WalkMem + ?Sized>(
    mem: &mut M,
    addr: u64,
    desc: u64,
    big_endian: bool,
) -> Result<bool, WalkMemError> {
    let new = desc | super::DESC_AF;
    let (old_raw, new_raw) = if big_endian {
        (desc.swap_bytes(), new.swap_bytes())
    } else {
        (desc, new)
    };
    mem.cas_desc(addr, old_raw, new_raw)
}
