//! System registers as data: one row per register in [`table`], a dense [`SR`] index, and a
//! direct 64 Ki-entry lookup on the packed `op0:op1:CRn:CRm:op2` encoding, so MRS/MSR never
//! search by name or hash.

mod access;
mod debug_traps;
mod hcr_traps;
mod idregs;
mod special;
mod table;
mod vhe;

pub use access::{Access, Perm};
pub use idregs::DCZVA_BYTES;
pub use table::{effect, SysRegInfo, SR, SYSREGS};

pub(crate) use access::resolve;
pub(crate) use hcr_traps::{active as hcr_trap_controls, tidcp_traps};

use crate::state::CpuConfig;

/// Pack an encoding the way MRS/MSR lay it out in bits 20:5 (op0 in 15:14 here).
pub const fn enc(op0: u32, op1: u32, crn: u32, crm: u32, op2: u32) -> u16 {
    ((op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2) as u16
}

/// Sentinel for "no register with this encoding".
const NONE: u16 = u16::MAX;
/// Lookup flag: the encoding is a FEAT_VHE `*_EL12`/`*_EL02` alias of the register.
const ALIAS: u16 = 0x8000;

/// The storage of every table register plus the encoding lookup.
pub struct SysRegFile {
    vals: Vec<u64>,
    /// Packed encoding → dense index, or an index with [`ALIAS`] set, or [`NONE`].
    lookup: Box<[u16]>,
    /// Dense index → the register it names at EL2 with HCR_EL2.E2H = 1 (itself if none).
    e2h_redirect: Box<[u16]>,
}

impl SysRegFile {
    /// Every register's stored value, in table order (snapshots).
    pub(crate) fn values(&self) -> &[u64] {
        &self.vals
    }

    /// The same, to restore them.
    pub(crate) fn values_mut(&mut self) -> &mut [u64] {
        &mut self.vals
    }

    /// Reset values for a PE with this configuration.
    pub fn new(cfg: &CpuConfig) -> Self {
        let mut lookup = vec![NONE; 1 << 16].into_boxed_slice();
        let mut vals = Vec::with_capacity(SYSREGS.len());
        for (i, r) in SYSREGS.iter().enumerate() {
            debug_assert_eq!(
                lookup[r.enc as usize], NONE,
                "duplicate encoding {}",
                r.name
            );
            lookup[r.enc as usize] = i as u16;
            vals.push((r.reset)(cfg));
        }
        for &(e, r) in vhe::EL12_ALIASES {
            debug_assert_eq!(lookup[e as usize], NONE, "alias of {r:?} collides");
            lookup[e as usize] = r as u16 | ALIAS;
        }
        let mut e2h_redirect: Box<[u16]> = (0..SYSREGS.len() as u16).collect();
        for &(from, to) in vhe::E2H_REDIRECT {
            e2h_redirect[from as usize] = to as u16;
        }
        Self {
            vals,
            lookup,
            e2h_redirect,
        }
    }

    /// Dense index of the register with this packed encoding (not the VHE aliases).
    #[inline(always)]
    pub fn find(&self, enc: u16) -> Option<SR> {
        let i = self.lookup[enc as usize];
        (i & ALIAS == 0).then(|| SR::from_index(i as usize))
    }

    /// The register a `*_EL12`/`*_EL02` alias encoding reaches, if `enc` is one.
    #[inline]
    pub(crate) fn find_alias(&self, enc: u16) -> Option<SR> {
        let i = self.lookup[enc as usize];
        (i != NONE && i & ALIAS != 0).then(|| SR::from_index((i & !ALIAS) as usize))
    }

    /// The register `r`'s encoding names at EL2 with HCR_EL2.E2H = 1.
    #[inline]
    pub(crate) fn e2h_target(&self, r: SR) -> SR {
        SR::from_index(self.e2h_redirect[r as usize] as usize)
    }

    /// Stored value.
    #[inline(always)]
    pub fn get(&self, r: SR) -> u64 {
        self.vals[r as usize]
    }

    /// Store a value.
    #[inline(always)]
    pub fn set(&mut self, r: SR, v: u64) {
        self.vals[r as usize] = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_encodings_unique_and_names_match() {
        let mut seen = std::collections::HashSet::new();
        for (i, r) in SYSREGS.iter().enumerate() {
            assert!(seen.insert(r.enc), "duplicate encoding for {}", r.name);
            assert_eq!(SR::from_index(i) as usize, i);
            assert_eq!(format!("{:?}", SR::from_index(i)), r.name);
        }
    }

    #[test]
    fn no_table_register_in_the_implementation_defined_spaces() {
        // HCR_EL2.TIDCP is checked only for encodings outside the table (access.rs).
        for r in SYSREGS {
            let (op0, crn) = (r.enc >> 14, (r.enc >> 7) & 0xf);
            assert!(
                !(op0 == 3 && (crn == 11 || crn == 15)),
                "{} is in an IMPLEMENTATION DEFINED space",
                r.name
            );
        }
    }

    #[test]
    fn known_encodings() {
        // Arm ARM: VBAR_EL1 is op0=3 op1=0 CRn=12 CRm=0 op2=0; HCR_EL2 is 3,4,1,1,0.
        let cfg = CpuConfig {
            has_el2: true,
            conduit: crate::Conduit::Smc,
            mpidr_aff: 0,
            index: 0,
            gic: false,
            pa_bits: 48,
            mte: false,
            spe: 0,
        };
        let f = SysRegFile::new(&cfg);
        assert_eq!(f.find(enc(3, 0, 12, 0, 0)), Some(SR::VBAR_EL1));
        assert_eq!(f.find(enc(3, 4, 1, 1, 0)), Some(SR::HCR_EL2));
        assert_eq!(f.find(enc(3, 3, 14, 0, 0)), Some(SR::CNTFRQ_EL0));
        assert_eq!(f.get(SR::CNTFRQ_EL0), 1_000_000_000);
    }
}
