//! Decode-table tests: every row's canonical encoding decodes to that row, rows never
//! overlap ambiguously, and known assembler output decodes to the expected row.

use super::*;

#[test]
fn every_row_decodes_its_canonical_encoding() {
    // The canonical encoding of a row is its fixed bits with the free bits filled by the
    // first of a few patterns that no more specific row claims (e.g. MSR (immediate) with
    // all-zero fields is CFINV, so its canonical word has other field bits).
    for &op in ALL_OPS.iter() {
        let info = &OP_INFO[op as usize];
        let canonical = [0u32, 0x5555_5555, 0xaaaa_aaaa, 0x1111_1111, u32::MAX]
            .iter()
            .map(|p| info.value | (p & !info.mask))
            .find(|&w| decode(w) == op);
        assert!(
            canonical.is_some(),
            "{}: no canonical word decodes to it",
            info.name
        );
    }
}

#[test]
fn every_row_decodes_with_all_field_bits_set() {
    // The other extreme: every non-fixed bit set. Such a word must decode to this row
    // or to a strictly more specific row (an overlap resolved by specificity).
    for &op in ALL_OPS.iter() {
        let info = &OP_INFO[op as usize];
        let word = info.value | !info.mask;
        let got = decode(word);
        if got != op {
            let g = &OP_INFO[got as usize];
            assert!(
                g.mask.count_ones() > info.mask.count_ones() && word & g.mask == g.value,
                "{} all-ones word {word:#010x} decoded as {}",
                info.name,
                g.name
            );
        }
    }
}

#[test]
fn no_ambiguous_overlaps() {
    // Two rows with the same number of fixed bits that can match the same word would make
    // decode order-dependent.
    for (i, &a) in ALL_OPS.iter().enumerate() {
        for &b in &ALL_OPS[i + 1..] {
            let (x, y) = (&OP_INFO[a as usize], &OP_INFO[b as usize]);
            let common = x.mask & y.mask;
            let overlap = x.value & common == y.value & common;
            assert!(
                !(overlap && x.mask.count_ones() == y.mask.count_ones()),
                "{} and {} overlap with equal specificity",
                x.name,
                y.name
            );
        }
    }
}

#[test]
fn known_encodings() {
    // Words as GNU as assembles them (aarch64-linux-gnu-as), with the row they belong to.
    let cases: &[(u32, Op)] = &[
        (0x8b020020, Op::ADD_sreg),    // add x0, x1, x2
        (0x91000420, Op::ADD_imm),     // add x0, x1, #1
        (0xf1000c1f, Op::SUBS_imm),    // cmp x0, #3
        (0xaa0103e0, Op::LOG_sreg),    // mov x0, x1
        (0xd2800540, Op::MOVZ),        // mov x0, #42
        (0xd503201f, Op::HINT),        // nop
        (0xd503207f, Op::HINT),        // wfi
        (0xd4000001, Op::SVC),         // svc #0
        (0xd4000002, Op::HVC),         // hvc #0
        (0xd4000003, Op::SMC),         // smc #0
        (0xd4200000, Op::BRK),         // brk #0
        (0xd69f03e0, Op::ERET),        // eret
        (0xd65f03c0, Op::RET),         // ret
        (0xd53b4200, Op::MRS),         // mrs x0, nzcv
        (0xd51bd040, Op::MSR_reg),     // msr tpidr_el0, x0
        (0xd50343df, Op::MSR_imm),     // msr daifset, #3
        (0xd500401f, Op::CFINV),       // cfinv
        (0xd500403f, Op::XAFLAG),      // xaflag
        (0xd500405f, Op::AXFLAG),      // axflag
        (0xd5033f9f, Op::DSB),         // dsb sy
        (0xd5033fdf, Op::ISB),         // isb
        (0xd50b7420, Op::SYS),         // dc zva, x0
        (0xf9400020, Op::LDST_uimm),   // ldr x0, [x1]
        (0xf8408c20, Op::LDST_imm9),   // ldr x0, [x1, #8]!
        (0xf8627820, Op::LDST_reg),    // ldr x0, [x1, x2, lsl #3]
        (0xa9bf7bfd, Op::LDSTP),       // stp x29, x30, [sp, #-16]!
        (0x58000040, Op::LDR_lit),     // ldr x0, <pc+8>
        (0xc85f7c20, Op::LDXR),        // ldxr x0, [x1]
        (0xc8027c20, Op::STXR),        // stxr w2, x0, [x1]
        (0xc8dffc20, Op::LDAR),        // ldar x0, [x1]
        (0xc89ffc20, Op::STLR),        // stlr x0, [x1]
        (0xf8200020, Op::LDATOMIC),    // ldadd x0, x0, [x1]
        (0xf8a28020, Op::SWP),         // swpa x2, x0, [x1]
        (0xc8a07c22, Op::CAS),         // cas x0, x2, [x1]
        (0x48207c82, Op::CASP),        // casp x0, x1, x2, x3, [x4]
        (0xf8bfc020, Op::LDAPR),       // ldapr x0, [x1]
        (0x9ac20c20, Op::SDIV),        // sdiv x0, x1, x2
        (0x9ac22020, Op::SHIFTV),      // lsl x0, x1, x2
        (0x9ac24c20, Op::CRC32),       // crc32x w0, w1, x2
        (0x9bc27c20, Op::UMULH),       // umulh x0, x1, x2
        (0x9a821020, Op::CSEL),        // csel x0, x1, x2, ne
        (0xdac01020, Op::CLZ),         // clz x0, x1
        (0xd3400c20, Op::UBFM),        // ubfx x0, x1, #0, #4
        (0x93c20c20, Op::EXTR),        // extr x0, x1, x2, #3
        (0x54000040, Op::B_cond),      // b.eq .+8
        (0xb4000040, Op::CBZ),         // cbz x0, .+8
        (0x37080040, Op::TBNZ),        // tbnz w0, #1, .+8
        (0x94000002, Op::BL),          // bl .+8
        (0x90000000, Op::ADRP),        // adrp x0, .
        (0x00000000, Op::Unallocated), // udf #0
        (0x1e220820, Op::FMUL_s),      // fmul s0, s1, s2
        (0x1e284020, Op::FRINTTS_s),   // frint32z s0, s1
        (0x1e69c020, Op::FRINTTS_s),   // frint64x d0, d1
        (0x6e21e820, Op::SFX_FRINTTS), // frint32x v0.4s, v1.4s
        (0x6e82dc20, Op::SFX_FCMLA),   // fcmla v0.4s, v1.4s, v2.4s, #270
        (0x6ec2e420, Op::SFX_FCADD),   // fcadd v0.2d, v1.2d, v2.2d, #90
        (0x6f823820, Op::SFX_FCMLA_E), // fcmla v0.4s, v1.4s, v2.s[1], #90
        (0x4e22ec20, Op::SFX_FMLAL),   // fmlal v0.4s, v1.4h, v2.4h
        (0x2ea2cc20, Op::SFX_FMLAL2),  // fmlsl2 v0.2s, v1.2h, v2.2h
        (0x0fbf4820, Op::SFX_FMLAL_E), // fmlsl v0.2s, v1.2h, v15.h[7]
    ];
    for &(w, op) in cases {
        assert_eq!(decode(w), op, "{w:#010x}");
    }
}

#[test]
fn operation_kinds_of_known_encodings() {
    use super::{mem_direction, opflag as f};
    let has = |w: u32, flag: u16| OP_INFO[decode(w) as usize].flags & flag != 0;
    // Words from GNU as, with the kinds the Arm ARM gives them.
    let dir = |w: u32| mem_direction(decode(w), w);
    assert_eq!(dir(0xf9400041), (true, false)); // ldr x1, [x2]
    assert_eq!(dir(0xf9000041), (false, true)); // str x1, [x2]
    assert_eq!(dir(0x79c000c5), (true, false)); // ldrsh w5, [x6] (opc 11)
    assert_eq!(dir(0xb8a96907), (true, false)); // ldrsw x7, [x8, x9] (opc 10)
    assert_eq!(dir(0xa9400861), (true, false)); // ldp x1, x2, [x3]
    assert_eq!(dir(0xa9000861), (false, true)); // stp x1, x2, [x3]
    assert_eq!(dir(0x3dc00020), (true, false)); // ldr q0, [x1]
    assert_eq!(dir(0x3d800020), (false, true)); // str q0, [x1] (opc 10)
    assert_eq!(dir(0xf8210062), (true, true)); // ldadd x1, x2, [x3]
    assert!(has(0xf8210062, f::ATOMIC));
    assert!(has(0xc85f7c41, f::EXCLUSIVE) && has(0xc85f7c41, f::LOAD)); // ldxr x1, [x2]
    assert_eq!(dir(0x8b020020), (false, false)); // add x0, x1, x2
    assert!(!has(0x8b020020, f::MAY_TRAP | f::ENDS_BLOCK | f::BRANCH));
    assert!(has(0x54000040, f::BRANCH | f::CONDITIONAL) && has(0x54000040, f::ENDS_BLOCK));
    assert!(!has(0x94000002, f::CONDITIONAL) && !has(0x94000002, f::INDIRECT)); // bl
    assert!(has(0xd65f03c0, f::INDIRECT)); // ret
    assert!(has(0xd69f03e0, f::INDIRECT | f::ENDS_BLOCK)); // eret
    assert!(has(0xd5384262, f::ENDS_BLOCK) && has(0xd5384262, f::MAY_TRAP)); // mrs x2, pan
    assert!(has(0x1e220820, f::FP_SIMD) && has(0x1e220820, f::MAY_TRAP)); // fmul s0, s1, s2
    assert!(has(0x00000000, f::ENDS_BLOCK)); // udf
}
