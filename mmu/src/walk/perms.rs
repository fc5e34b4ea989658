//! Stage 1 Direct permissions (DDI0487 D8.4.1.2) and the per-access permission check.
//!
//! The walk computes [`Perms`] once (everything the Arm ARM permits a TLB to cache: the
//! Effective AP/UXN/PXN after hierarchical controls, and the effect of SCTLR_ELx.WXN).
//! [`check`] then applies the per-access state that must not be cached: the access type,
//! the Exception level, unprivileged (LDTR/STTR) accesses and PSTATE.PAN (R FBQWG).

use super::fault::FaultKind;

/// Read/write/execute permission set for one privilege class.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Rwx {
    /// Data read permitted.
    pub r: bool,
    /// Data write permitted.
    pub w: bool,
    /// Instruction execution permitted.
    pub x: bool,
}

/// The stage 1 permissions of a translation, before PSTATE.PAN.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Perms {
    /// UnprivRead / UnprivWrite / UnprivExecute: accesses from EL0 and unprivileged
    /// (LDTR/STTR-class) accesses.
    pub unpriv: Rwx,
    /// PrivRead / PrivWrite / PrivExecute: accesses from EL1 (EL1&0) or EL2 (EL2, EL2&0).
    pub privileged: Rwx,
    /// The regime supports two privilege levels (EL1&0, EL2&0): unprivileged accesses are
    /// checked against `unpriv`. In the EL2 regime they behave as privileged accesses.
    pub two_levels: bool,
    /// The location is accessible to data accesses at EL0, so PSTATE.PAN == 1 removes
    /// privileged data access to it (R XTSQH). Always false when stage 1 is disabled or the
    /// regime has one privilege level (R TBYDZ).
    pub pan_target: bool,
    /// FEAT_E0PD: TCR_ELx.E0PDn is set for the range, so EL0 and unprivileged accesses
    /// fault as a level 0 Translation fault, whatever the descriptor says (`unpriv` is
    /// then empty, so no fast path lets them through).
    pub e0pd: bool,
}

impl Perms {
    /// Everything permitted: stage 1 disabled (R VBBBJ).
    pub const ALL: Perms = Perms {
        unpriv: Rwx {
            r: true,
            w: true,
            x: true,
        },
        privileged: Rwx {
            r: true,
            w: true,
            x: true,
        },
        two_levels: true,
        pan_target: false,
        e0pd: false,
    };

    /// Direct permissions for a regime with two privilege levels (Table D8-65).
    ///
    /// `ap` is the Effective AP\[2:1\] (after APTable), `uxn`/`pxn` the Effective values
    /// (after UXNTable/PXNTable), `wxn` is SCTLR_ELx.WXN.
    pub fn two_level(ap: u8, uxn: bool, pxn: bool, wxn: bool) -> Perms {
        let ap2 = ap & 0b10 != 0;
        let ap1 = ap & 0b01 != 0;
        let mut unpriv = Rwx {
            r: ap1,
            w: ap1 && !ap2,
            x: !uxn,
        };
        let mut privileged = Rwx {
            r: true,
            w: !ap2,
            // R VWLLR: if UnprivWrite is present, PrivExecute is removed.
            x: !pxn && !unpriv.w,
        };
        if wxn {
            // R FYMXJ / R SYMMB: WXN removes execute from writable memory.
            if unpriv.w {
                unpriv.x = false;
            }
            if privileged.w {
                privileged.x = false;
            }
        }
        Perms {
            unpriv,
            privileged,
            two_levels: true,
            pan_target: unpriv.r || unpriv.w,
            e0pd: false,
        }
    }

    /// Direct permissions for a regime with one privilege level (Table D8-66): only AP\[2\]
    /// and XN matter; AP\[1\] is RES1 and ignored.
    pub fn one_level(ap2: bool, xn: bool, wxn: bool) -> Perms {
        let w = !ap2;
        Perms {
            unpriv: Rwx::default(),
            privileged: Rwx {
                r: true,
                w,
                // WXN removes execute from writable memory (I FQVWM).
                x: !(xn || (wxn && w)),
            },
            two_levels: false,
            pan_target: false,
            e0pd: false,
        }
    }
}

/// The type of a memory access, for permission checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessKind {
    /// Data read (loads, and the read half of atomics).
    Read,
    /// Data write (stores, atomics, DC ZVA).
    Write,
    /// Instruction fetch.
    Exec,
}

/// Check one access against cached stage 1 permissions.
///
/// - `el` is the Exception level the access is made from (0, 1 or 2).
/// - `unprivileged`: an LDTR/STTR-class access, checked as EL0 in regimes with two
///   privilege levels. The caller resolves PSTATE.UAO (which makes them privileged) and the
///   cases where they behave as ordinary accesses, and passes `false` then. In a regime
///   with one privilege level this flag is ignored.
/// - `pan`: the Effective value of PSTATE.PAN. It affects privileged data accesses only,
///   never instruction fetches or unprivileged accesses (R XTSQH, R RPMTWB).
///
/// Returns `Err(FaultKind::Permission)` when the access is not permitted; the fault is
/// reported at the level of the Block/Page descriptor ([`super::Translation::check`]
/// builds the whole [`super::Fault`]).
pub fn check(
    perms: &Perms,
    access: AccessKind,
    el: u8,
    unprivileged: bool,
    pan: bool,
) -> Result<(), FaultKind> {
    if el == 0 && !perms.two_levels {
        // EL0 has no access at all to a regime with one privilege level.
        return Err(FaultKind::Permission);
    }
    let as_unpriv = perms.two_levels && (el == 0 || (unprivileged && access != AccessKind::Exec));
    if as_unpriv && perms.e0pd {
        return Err(FaultKind::Translation);
    }
    let set = if as_unpriv {
        &perms.unpriv
    } else {
        &perms.privileged
    };
    let ok = match access {
        AccessKind::Read => set.r && !(pan && !as_unpriv && perms.pan_target),
        AccessKind::Write => set.w && !(pan && !as_unpriv && perms.pan_target),
        AccessKind::Exec => set.x,
    };
    if ok {
        Ok(())
    } else {
        Err(FaultKind::Permission)
    }
}
