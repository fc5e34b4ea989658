//! ICC_* encodings (op0, op1, CRn, CRm, op2), from the GICv3 specification's
//! system-register chapter.

use gic::{IccAccess, IccReg};

/// (op0, op1, CRn, CRm, op2).
type Encoding = (u32, u32, u32, u32, u32);

const TABLE: &[(Encoding, IccReg)] = &[
    ((3, 0, 4, 6, 0), IccReg::Pmr),
    ((3, 0, 12, 8, 0), IccReg::Iar0),
    ((3, 0, 12, 8, 1), IccReg::Eoir0),
    ((3, 0, 12, 8, 2), IccReg::Hppir0),
    ((3, 0, 12, 8, 3), IccReg::Bpr0),
    ((3, 0, 12, 8, 4), IccReg::Ap0r(0)),
    ((3, 0, 12, 8, 5), IccReg::Ap0r(1)),
    ((3, 0, 12, 8, 6), IccReg::Ap0r(2)),
    ((3, 0, 12, 8, 7), IccReg::Ap0r(3)),
    ((3, 0, 12, 9, 0), IccReg::Ap1r(0)),
    ((3, 0, 12, 9, 1), IccReg::Ap1r(1)),
    ((3, 0, 12, 9, 2), IccReg::Ap1r(2)),
    ((3, 0, 12, 9, 3), IccReg::Ap1r(3)),
    ((3, 0, 12, 11, 1), IccReg::Dir),
    ((3, 0, 12, 11, 3), IccReg::Rpr),
    ((3, 0, 12, 11, 5), IccReg::Sgi1r),
    ((3, 0, 12, 11, 6), IccReg::Asgi1r),
    ((3, 0, 12, 11, 7), IccReg::Sgi0r),
    ((3, 0, 12, 12, 0), IccReg::Iar1),
    ((3, 0, 12, 12, 1), IccReg::Eoir1),
    ((3, 0, 12, 12, 2), IccReg::Hppir1),
    ((3, 0, 12, 12, 3), IccReg::Bpr1),
    ((3, 0, 12, 12, 4), IccReg::Ctlr),
    ((3, 0, 12, 12, 5), IccReg::SreEl1),
    ((3, 0, 12, 12, 6), IccReg::Igrpen0),
    ((3, 0, 12, 12, 7), IccReg::Igrpen1),
    ((3, 4, 12, 9, 5), IccReg::SreEl2),
];

#[test]
fn every_spec_encoding_decodes_and_round_trips() {
    for &((a, b, c, d, e), reg) in TABLE {
        assert_eq!(IccReg::from_encoding(a, b, c, d, e), Some(reg), "{reg:?}");
        assert_eq!(reg.encoding(), (a, b, c, d, e));
    }
    assert_eq!(IccReg::ALL.len(), TABLE.len());
    for reg in IccReg::ALL {
        assert!(
            TABLE.iter().any(|&(_, r)| r == reg),
            "{reg:?} in ALL but not in the spec table"
        );
    }
}

#[test]
fn absent_registers_do_not_decode() {
    let absent = [
        (3, 6, 12, 12, 4), // ICC_CTLR_EL3
        (3, 6, 12, 12, 5), // ICC_SRE_EL3
        (3, 6, 12, 12, 7), // ICC_IGRPEN1_EL3
        (3, 0, 12, 9, 5),  // ICC_NMIAR1_EL1 (no FEAT_GICv3_NMI)
        (3, 4, 12, 11, 0), // ICH_HCR_EL2 (not yet)
        (3, 0, 12, 11, 0), // unallocated
        (3, 0, 4, 6, 1),
        (2, 0, 12, 12, 0),
    ];
    for (a, b, c, d, e) in absent {
        assert_eq!(
            IccReg::from_encoding(a, b, c, d, e),
            None,
            "{:?}",
            (a, b, c, d, e)
        );
    }
    // Exhaustive over CRn=12 op0=3: exactly the table's 26 (plus PMR elsewhere).
    let mut n = 0;
    for op1 in 0..8 {
        for crm in 0..16 {
            for op2 in 0..8 {
                n += usize::from(IccReg::from_encoding(3, op1, 12, crm, op2).is_some());
            }
        }
    }
    assert_eq!(n, TABLE.len() - 1);
}

#[test]
fn access_kinds_and_levels() {
    assert_eq!(IccReg::Iar1.access(), IccAccess::ReadOnly);
    assert_eq!(IccReg::Rpr.access(), IccAccess::ReadOnly);
    assert_eq!(IccReg::Eoir1.access(), IccAccess::WriteOnly);
    assert_eq!(IccReg::Sgi1r.access(), IccAccess::WriteOnly);
    assert_eq!(IccReg::Dir.access(), IccAccess::WriteOnly);
    assert_eq!(IccReg::Pmr.access(), IccAccess::ReadWrite);
    assert_eq!(IccReg::SreEl2.min_el(), 2);
    assert_eq!(IccReg::SreEl1.min_el(), 1);
}
