//! Cross-check of hypsim's hand-written A64 decode table (`cpu/src/a64/a64.insn`) against
//! Arm's machine-readable architecture specification (AARCHMRS), read through the Rust
//! package `aarchmrs-instructions` (BSD-3-Clause; see NOTICE at the repository root).
//!
//! For every encoding AARCHMRS gives `OPCODE_MASK` (every bit the encoding diagram fixes,
//! should-be bits included), `OPCODE` (the values of those bits) and `SHOULD_BE_MASK` (the
//! fixed bits that are only "should be" (0)/(1) bits, whose other values are CONSTRAINED
//! UNPREDICTABLE). From those this file checks:
//!
//! 1. `included_encodings_decode`: each AARCHMRS encoding hypsim implements (everything in
//!    `ENCODINGS` that no rule of `EXCLUDED`, `NOT_YET` or `NOT_ADVERTISED` takes out: the
//!    base integer ISA, the SIMD&FP loads/stores and the implemented part of SIMD&FP data
//!    processing) decodes, for its canonical word (`OPCODE`: variable bits zero, should-be
//!    bits at their should-be value) and for `OPCODE | (!OPCODE_MASK & pattern)` over
//!    `patterns()`, to a row other than `Unallocated` that is no more specific than the
//!    encoding: every bit the row fixes is fixed by AARCHMRS to the same value.
//! 2. `every_row_has_a_counterpart`: each row of the decode tables (`cpu/src/a64/*.insn`)
//!    overlaps at least one included AARCHMRS encoding.
//! 3. `excluded_encodings_stay_unallocated`: the same words of each excluded encoding decode
//!    to `Unallocated`, unless `ABSORBED` names the broader row that takes them and whose
//!    handler returns UNDEFINED for them. This catches rows that silently claim encodings
//!    of features hypsim does not implement.
//! 4. `inventory_matches_the_crate` and `lists_are_live`: `ENCODINGS` lists every encoding of
//!    the in-scope AARCHMRS groups of the pinned crate version, and no rule in `EXCLUDED`,
//!    `NOT_YET`, `NOT_ADVERTISED`, `ABSORBED` or `KNOWN_GAPS` is stale or shadowed.
//! 5. `absorbed_words_are_undefined`: the words `ABSORBED` lets a broader row take do raise
//!    UNDEFINED when executed, as the entry claims.
//!
//! AARCHMRS encodings overlap in a few places (HINT and the named hints, MSR (immediate) and
//! CFINV/XAFLAG/AXFLAG, PRFM and RPRFM, RETAA and RETAASPPCR, ...); the architecture resolves
//! each overlap in favour of the more specific encoding, so every test word is attributed to
//! the most specific AARCHMRS encoding whose fixed bits it matches and is checked only
//! against that one.
//!
//! Regenerating `ENCODINGS` after bumping the pinned crate version: list the `pub mod`s of
//! `src/A64/{control,dpimm,dpreg,ldst,reserved,simd_dp}/*.rs` in the crate source;
//! `inventory_matches_the_crate` prints what is missing or extra.

use std::path::{Path, PathBuf};

use aarchmrs_instructions::A64 as mrs;
use cpu::a64::{decode, Op, ALL_OPS, OP_INFO};

/// The `aarchmrs-instructions` version `ENCODINGS` was taken from (pinned with `=` in
/// cpu/Cargo.toml).
const PINNED_VERSION: &str = "0.5.0-2026-09";

/// One AARCHMRS encoding.
#[derive(Clone, Copy, Debug)]
struct Enc {
    /// Module path under `aarchmrs_instructions::A64`, e.g. `dpreg::log_shift`.
    group: &'static str,
    /// AARCHMRS encoding name, e.g. `ORN_64_log_shift`.
    name: &'static str,
    opcode: u32,
    mask: u32,
    should_be: u32,
}

impl Enc {
    /// The mnemonic part of the encoding name (`ORN_64_log_shift` -> `ORN`).
    fn mnemonic(&self) -> &'static str {
        self.name.split('_').next().unwrap()
    }
    fn matches(&self, word: u32) -> bool {
        word & self.mask == self.opcode
    }
}

macro_rules! encodings {
    ($($top:ident :: $sub:ident => [$($name:ident),* $(,)?])*) => {
        &[$($(
            Enc {
                group: concat!(stringify!($top), "::", stringify!($sub)),
                name: mrs::$top::$sub::$name::NAME,
                opcode: mrs::$top::$sub::$name::OPCODE,
                mask: mrs::$top::$sub::$name::OPCODE_MASK,
                should_be: mrs::$top::$sub::$name::SHOULD_BE_MASK,
            },
        )*)*]
    };
}

/// AARCHMRS top-level A64 groups that hold no hypsim instruction at all, and why. All other
/// top-level groups are listed encoding by encoding in `ENCODINGS`.
const OUT_OF_SCOPE_TOP_GROUPS: &[(&str, &str)] = &[
    ("sve", "SVE: not implemented"),
    ("sme", "SME: not implemented"),
];

/// What an exclusion rule matches.
enum Rule {
    /// Every encoding of one AARCHMRS group (module path under `A64`).
    Group(&'static str),
    /// Encodings with one of these mnemonics (the name up to the first `_`).
    Mnemonic(&'static [&'static str]),
    /// Encodings whose mnemonic starts with one of these.
    MnemonicPrefix(&'static [&'static str]),
    /// One encoding, by its full AARCHMRS name.
    Name(&'static str),
    /// Encodings whose full AARCHMRS name contains this.
    NameContains(&'static str),
    /// Encodings of these groups with one of these mnemonics (for mnemonics that other
    /// groups use for implemented encodings, e.g. vector FADD vs scalar FADD).
    In(&'static [&'static str], &'static [&'static str]),
}

impl Rule {
    fn matches(&self, e: &Enc) -> bool {
        match self {
            Rule::Group(g) => e.group == *g,
            Rule::Mnemonic(ms) => ms.contains(&e.mnemonic()),
            Rule::MnemonicPrefix(ps) => ps.iter().any(|p| e.mnemonic().starts_with(p)),
            Rule::Name(n) => e.name == *n,
            Rule::NameContains(n) => e.name.contains(n),
            Rule::In(gs, ms) => gs.contains(&e.group) && ms.contains(&e.mnemonic()),
        }
    }
}

/// AARCHMRS encodings of the in-scope groups that hypsim deliberately does not implement,
/// each with the reason. Their words must decode to `Unallocated` (check 3). Everything in
/// `ENCODINGS` that no rule here, in `NOT_YET` or in `NOT_ADVERTISED` (the SIMD&FP data
/// processing part) matches must be decoded (check 1). The first matching rule of the three
/// lists gives the reason; every rule must be the first match of at least one encoding.
///
/// Deliberately *not* excluded: the named hints (NOP, YIELD, WFE, ESB, BTI, PACIASP, CHKFEAT,
/// GCSB, ...) and RPRFM. They live in hint space, which executes as a NOP when the feature
/// is absent, and hypsim's HINT / PRFM rows take them.
///
/// Not listed because the crate does not export them: TSTART/TTEST (FEAT_TME). Its
/// `control/systemresult.rs` exists but `control.rs` does not declare it.
const EXCLUDED: &[(Rule, &str)] = &[
    // Loads and stores. The SIMD&FP forms (V=1 register, pair and literal loads/stores, the
    // asisdlse/asisdlsep/asisdlso/asisdlsop structure groups) are checked, except these.
    (
        Rule::Group("ldst::ldapstl_simd"),
        "FEAT_LRCPC3 SIMD&FP LDAPUR/STLUR",
    ),
    (
        Rule::Mnemonic(&["STL1", "LDAP1"]),
        "FEAT_LRCPC3 STL1/LDAP1 (single structure, release/acquire)",
    ),
    (
        Rule::Group("ldst::memcms"),
        "FEAT_MOPS CPY*/SET* memory copy and set",
    ),
    (
        Rule::Group("ldst::memset_go"),
        "FEAT_MOPS + FEAT_MTE SETG* tag-setting memory set",
    ),
    (
        Rule::Group("ldst::memop_128"),
        "FEAT_LSE128 LDCLRP/LDSETP/SWPP and FEAT_THE RCW*P",
    ),
    (Rule::Group("ldst::ldst_pac"), "FEAT_PAuth LDRAA/LDRAB"),
    (Rule::Group("ldst::ldst_gcs"), "FEAT_GCS GCSSTR/GCSSTTR"),
    (Rule::Group("ldst::rcwcomswap"), "FEAT_THE RCWCAS*/RCWSCAS*"),
    (
        Rule::Group("ldst::rcwcomswappr"),
        "FEAT_THE RCWCASP*/RCWSCASP*",
    ),
    (
        Rule::Group("ldst::ldiappstilp"),
        "FEAT_LRCPC3 LDIAPP/STILP and the LDAP/LDAPP/STLP pairs",
    ),
    (
        Rule::Group("ldst::ldapstl_writeback"),
        "FEAT_LRCPC3 LDAPR post-index, STLR pre-index",
    ),
    (
        Rule::Group("ldst::comswap_unpriv"),
        "FEAT_LSUI CAST/CASAT/CASLT/CASALT",
    ),
    (
        Rule::Group("ldst::comswappr_unpriv"),
        "FEAT_LSUI CASPT/CASPAT/CASPLT/CASPALT",
    ),
    (
        Rule::Group("ldst::ldstexclr_unpriv"),
        "FEAT_LSUI LDTXR/STTXR and friends",
    ),
    (
        Rule::Group("ldst::memop_unpriv"),
        "FEAT_LSUI LDTADD/LDTCLR/LDTSET/SWPT",
    ),
    (
        Rule::Mnemonic(&["STTP", "LDTP", "STTNP", "LDTNP"]),
        "FEAT_LSUI unprivileged pairs (general and SIMD&FP Q forms)",
    ),
    (
        Rule::Mnemonic(&[
            "LD64B", "ST64B", "ST64BV", "ST64BV0", "LDA64B", "STL64B", "STL64BV", "STL64BV0",
        ]),
        "FEAT_LS64 family: 64-byte single-copy-atomic loads/stores",
    ),
    (
        Rule::MnemonicPrefix(&["LDF", "LDBF", "STF", "STBF"]),
        "FEAT_LSFE floating-point atomics",
    ),
    (
        Rule::MnemonicPrefix(&["RCW"]),
        "FEAT_THE RCW* read-check-write atomics",
    ),
    (
        Rule::Group("reserved::perm_undef"),
        "UDF: permanently UNDEFINED, so Unallocated (check 3)",
    ),
    // Data processing (immediate).
    (
        Rule::Group("dpimm::minmax_imm"),
        "FEAT_CSSC SMAX/SMIN/UMAX/UMIN (immediate)",
    ),
    (
        Rule::Group("dpimm::dp_1src_imm"),
        "FEAT_PAuth_LR AUTIASPPC/AUTIBSPPC",
    ),
    // Data processing (register).
    (
        Rule::In(
            &["dpreg::dp_1src", "dpreg::dp_2src"],
            &["ABS", "CNT", "CTZ", "SMAX", "SMIN", "UMAX", "UMIN"],
        ),
        "FEAT_CSSC (register)",
    ),
    (
        Rule::Mnemonic(&[
            "PACIA", "PACIB", "PACDA", "PACDB", "PACIZA", "PACIZB", "PACDZA", "PACDZB", "AUTIA",
            "AUTIB", "AUTDA", "AUTDB", "AUTIZA", "AUTIZB", "AUTDZA", "AUTDZB", "XPACI", "XPACD",
            "PACGA",
        ]),
        "FEAT_PAuth data-processing forms",
    ),
    (
        Rule::Mnemonic(&[
            "PACIASPPC",
            "PACIBSPPC",
            "PACNBIASPPC",
            "PACNBIBSPPC",
            "PACIA171615",
            "PACIB171615",
            "AUTIASPPCR",
            "AUTIBSPPCR",
            "AUTIA171615",
            "AUTIB171615",
        ]),
        "FEAT_PAuth_LR data-processing forms",
    ),
    (Rule::Group("dpreg::addsub_pt"), "FEAT_CPA ADDPT/SUBPT"),
    (
        Rule::Mnemonic(&["MADDPT", "MSUBPT"]),
        "FEAT_CPA MADDPT/MSUBPT",
    ),
    // Branches, exception generating and system.
    (
        Rule::Mnemonic(&[
            "BRAA", "BRAB", "BRAAZ", "BRABZ", "BLRAA", "BLRAB", "BLRAAZ", "BLRABZ", "RETAA",
            "RETAB", "ERETAA", "ERETAB",
        ]),
        "FEAT_PAuth authenticated branches and returns",
    ),
    (
        Rule::Mnemonic(&["RETAASPPCR", "RETABSPPCR"]),
        "FEAT_PAuth_LR RETA*SPPCR",
    ),
    (
        Rule::Group("control::miscbranch"),
        "FEAT_PAuth_LR RETAASPPC/RETABSPPC",
    ),
    (
        Rule::Mnemonic(&["DRPS", "DCPS1", "DCPS2", "DCPS3"]),
        "no Debug state: UNDEFINED by design",
    ),
    (Rule::Mnemonic(&["BC"]), "FEAT_HBC BC.cond"),
    (
        Rule::Group("control::compbranch_imm"),
        "FEAT_CMPBR CB<cc> (immediate)",
    ),
    (
        Rule::Group("control::compbranch_regs"),
        "FEAT_CMPBR CB<cc> (register)",
    ),
    (
        Rule::Group("control::compbranch_regs2"),
        "FEAT_CMPBR CBB<cc>/CBH<cc>",
    ),
    (
        Rule::Group("control::compfault_imm"),
        "CFLT<cc> compare-and-fault (immediate): not implemented",
    ),
    (
        Rule::Group("control::compfault_regs"),
        "CFLT<cc> compare-and-fault (register): not implemented",
    ),
    (
        Rule::Group("control::testfault"),
        "TFLTZ/TFLTNZ test-and-fault: not implemented",
    ),
    (
        Rule::Mnemonic(&["FLT"]),
        "FLT exception-generating instruction: not implemented",
    ),
    (
        Rule::Mnemonic(&["TENTER", "TEXIT"]),
        "TENTER/TEXIT: not implemented",
    ),
    (
        Rule::Group("control::tchange_imm"),
        "TCHANGEB/TCHANGEF (immediate): not implemented",
    ),
    (
        Rule::Group("control::tchange_reg"),
        "TCHANGEB/TCHANGEF (register): not implemented",
    ),
    (
        Rule::Group("control::systemmovepr"),
        "FEAT_SYSREG128 MRRS/MSRR",
    ),
    (
        Rule::Group("control::syspairinstrs"),
        "FEAT_SYSINSTR128 SYSP (TLBIP)",
    ),
    (
        Rule::Group("control::systeminstrswithreg"),
        "FEAT_WFxT WFET/WFIT",
    ),
    (
        Rule::Group("control::extendedhints"),
        "HINTE extended hint space: not implemented",
    ),
    (Rule::Name("DSB_BOn_barriers"), "FEAT_XS DSB <option>nXS"),
];

/// SIMD&FP data-processing encodings of features hypsim advertises (or will, once done)
/// whose rows have not landed yet: Advanced SIMD floating point, vector and scalar. They
/// must decode to `Unallocated` (check 3) until their rows land; then move them out of here.
/// simd_int.insn stops at the integer opcodes and fp.insn covers scalar FP (data processing
/// 1/2/3 source, compare, select, conversions, FRECPE/FRECPX/FRSQRTE/FRECPS/FRSQRTS), so
/// what is left is the FP opcodes of the Advanced SIMD classes.
const NOT_YET: &[(Rule, &str)] = &[];

/// SIMD&FP data-processing encodings of optional features hypsim does not advertise and
/// will not have soon. Their words must decode to `Unallocated` (check 3).
const NOT_ADVERTISED: &[(Rule, &str)] = &[
    (
        Rule::Mnemonic(&["SM3PARTW1", "SM3PARTW2", "SM3SS1"]),
        "FEAT_SM3 (the rest of cryptosha512_3 and crypto4 is FEAT_SHA512/FEAT_SHA3)",
    ),
    (Rule::Group("simd_dp::crypto3_imm2"), "FEAT_SM3 SM3TT*"),
    (Rule::Mnemonic(&["SM4E", "SM4EKEY"]), "FEAT_SM4"),
    (
        Rule::Mnemonic(&["BFDOT", "BFMLAL", "BFMMLA", "BFCVTN", "BFCVT"]),
        "FEAT_BF16",
    ),
    (
        Rule::Mnemonic(&["F1CVTL", "F2CVTL", "BF1CVTL", "BF2CVTL", "FSCALE"]),
        "FEAT_FP8 conversions and FSCALE",
    ),
    (
        Rule::In(&["simd_dp::asimdsame2"], &["FCVTN"]),
        "FEAT_FP8 FCVTN (FP16/FP32 to FP8)",
    ),
    (
        Rule::Mnemonic(&["FDOT"]),
        "FEAT_FP8DOT2/FP8DOT4/F16F32DOT dot products",
    ),
    (
        Rule::Mnemonic(&[
            "FMLALB", "FMLALT", "FMLALLBB", "FMLALLBT", "FMLALLTB", "FMLALLTT",
        ]),
        "FEAT_FP8FMA widening multiply-add",
    ),
    (
        Rule::Mnemonic(&["FMMLA"]),
        "FMMLA matrix multiply (FEAT_F16MM/F16F32MM/FP8 forms)",
    ),
    (Rule::Mnemonic(&["FAMAX", "FAMIN"]), "FEAT_FAMINMAX"),
    (
        Rule::Mnemonic(&["LUTI2", "LUTI4"]),
        "FEAT_LUT (Advanced SIMD)",
    ),
    (
        Rule::NameContains("_sisd_"),
        "FEAT_FPRCVT: FP <-> integer conversions in SIMD&FP registers",
    ),
    (
        Rule::Mnemonic(&["FCMTL", "FCMTLMG"]),
        "FCMTL/FCMTLMG scalar FP compare (2026 extension)",
    ),
    (
        Rule::Mnemonic(&[
            "FMAXINM",
            "FMININM",
            "FMAXMG",
            "FMINMG",
            "FMAXMGINM",
            "FMINMGINM",
        ]),
        "FMAXINM/FMAXMG/... scalar FP min/max variants (2026 extension)",
    ),
];

/// Every exclusion rule: `EXCLUDED`, `NOT_YET` and `NOT_ADVERTISED`.
fn all_rules() -> impl Iterator<Item = &'static (Rule, &'static str)> {
    EXCLUDED.iter().chain(NOT_YET).chain(NOT_ADVERTISED)
}

/// Excluded encodings that a broader decode-table row decodes on purpose, its handler
/// returning UNDEFINED for them: (AARCHMRS mnemonic, *.insn row, where the handler rejects
/// it).
const ABSORBED: &[(&str, &str, &str)] = &[
    ("STTP", "LDSTP", "exec/ldst.rs ldstp(): opc=11 is UNDEFINED"),
    (
        "STTP",
        "LDSTP_V",
        "exec/simd_ldst.rs ldstp_v(): opc=11 is UNDEFINED",
    ),
    (
        "LDTP",
        "LDSTP_V",
        "exec/simd_ldst.rs ldstp_v(): opc=11 is UNDEFINED",
    ),
    (
        "STTNP",
        "LDSTP_V",
        "exec/simd_ldst.rs ldstp_v(): opc=11 is UNDEFINED",
    ),
    (
        "LDTNP",
        "LDSTP_V",
        "exec/simd_ldst.rs ldstp_v(): opc=11 is UNDEFINED",
    ),
    (
        "BFCVT",
        "FCVT_s",
        "exec/fp.rs fcvt_s(): opc=10 (no FP format) is UNDEFINED",
    ),
    ("LDTP", "LDSTP", "exec/ldst.rs ldstp(): opc=11 is UNDEFINED"),
    (
        "STTNP",
        "LDSTP",
        "exec/ldst.rs ldstp(): opc=11 is UNDEFINED",
    ),
    (
        "LDTNP",
        "LDSTP",
        "exec/ldst.rs ldstp(): opc=11 is UNDEFINED",
    ),
];

/// Genuine disagreements between a64.insn and AARCHMRS that are known and not fixed yet:
/// (AARCHMRS encoding name for checks 1 and 3, or *.insn row name for check 2; what is
/// wrong). A listed failure is printed but does not fail the test; an entry that no longer
/// fails does, so this list only shrinks. Empty: against AARCHMRS 2026-09 the tables have no
/// known gap.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// Variable-bit patterns: `OPCODE | (!OPCODE_MASK & pattern)`, plus `PSEUDO_RANDOM_PATTERNS`
/// more from a fixed xorshift sequence.
const PATTERNS: [u32; 4] = [0, 0xffff_ffff, 0xaaaa_aaaa, 0x5555_5555];
const PSEUDO_RANDOM_PATTERNS: usize = 28;

fn patterns() -> Vec<u32> {
    let mut v = PATTERNS.to_vec();
    let mut x: u32 = 0x2545_f491;
    for _ in 0..PSEUDO_RANDOM_PATTERNS {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.push(x);
    }
    v
}

/// The test words of an encoding, deduplicated.
fn words(e: &Enc) -> Vec<u32> {
    let mut w: Vec<u32> = patterns()
        .iter()
        .map(|p| e.opcode | (!e.mask & p))
        .collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// The first exclusion rule that matches `e`.
fn exclusion_rule(e: &Enc) -> Option<&'static (Rule, &'static str)> {
    all_rules().find(|(r, _)| r.matches(e))
}

fn exclusion_reason(e: &Enc) -> Option<&'static str> {
    exclusion_rule(e).map(|(_, why)| *why)
}

/// The AARCHMRS encoding a word belongs to: the most specific one whose fixed bits match.
fn owner(word: u32) -> Option<&'static Enc> {
    ENCODINGS
        .iter()
        .filter(|e| e.matches(word))
        .max_by_key(|e| e.mask.count_ones())
}

fn row(op: Op) -> &'static cpu::a64::OpInfo {
    &OP_INFO[op as usize]
}

/// Our row is no more specific than the AARCHMRS encoding: every bit the row fixes is fixed
/// by AARCHMRS (should-be bits included) to the same value.
fn compatible(op: Op, e: &Enc) -> bool {
    let r = row(op);
    r.mask & !e.mask == 0 && (r.value ^ e.opcode) & r.mask == 0
}

fn describe(e: &Enc) -> String {
    format!(
        "{} ({}) opcode={:#010x} mask={:#010x} should_be={:#010x}",
        e.name, e.group, e.opcode, e.mask, e.should_be
    )
}

fn describe_op(op: Op) -> String {
    if op == Op::Unallocated {
        return "Unallocated".to_string();
    }
    let r = row(op);
    format!("{} (mask={:#010x} value={:#010x})", r.name, r.mask, r.value)
}

/// One problem: `key` is what KNOWN_GAPS would list.
struct Failure {
    key: &'static str,
    msg: String,
}

/// The test words of `e` that `e` owns (a more specific encoding owns the others and checks
/// them), grouped by what they decode to, and how many words that is in all.
fn decoded_words(e: &'static Enc) -> (Vec<(Op, Vec<u32>)>, usize) {
    let mut groups: Vec<(Op, Vec<u32>)> = Vec::new();
    let mut total = 0;
    for w in words(e)
        .into_iter()
        .filter(|&w| std::ptr::eq(owner(w).unwrap(), e))
    {
        total += 1;
        let op = decode(w);
        match groups.iter_mut().find(|(o, _)| *o == op) {
            Some((_, ws)) => ws.push(w),
            None => groups.push((op, vec![w])),
        }
    }
    (groups, total)
}

/// Check 1.
fn check_included() -> Vec<Failure> {
    let mut out = Vec::new();
    for e in ENCODINGS.iter().filter(|e| exclusion_reason(e).is_none()) {
        let (groups, total) = decoded_words(e);
        for (op, ws) in groups {
            if op == Op::Unallocated || !compatible(op, e) {
                out.push(Failure {
                    key: e.name,
                    msg: format!(
                        "{}: {} of {total} test words decode to {}, e.g. {:#010x}",
                        describe(e),
                        ws.len(),
                        describe_op(op),
                        ws[0]
                    ),
                });
            }
        }
    }
    out
}

/// Check 2.
fn check_rows() -> Vec<Failure> {
    let mut out = Vec::new();
    for &op in ALL_OPS.iter() {
        let r = row(op);
        let hit = ENCODINGS
            .iter()
            .any(|e| exclusion_reason(e).is_none() && (r.value ^ e.opcode) & r.mask & e.mask == 0);
        if !hit {
            out.push(Failure {
                key: r.name,
                msg: format!(
                    "row {} (mask={:#010x} value={:#010x}) overlaps no included AARCHMRS encoding",
                    r.name, r.mask, r.value
                ),
            });
        }
    }
    out
}

/// Check 3. Also returns which ABSORBED entries were used.
fn check_excluded() -> (Vec<Failure>, Vec<bool>) {
    let mut out = Vec::new();
    let mut used = vec![false; ABSORBED.len()];
    for e in ENCODINGS.iter() {
        let Some(why) = exclusion_reason(e) else {
            continue;
        };
        let (groups, total) = decoded_words(e);
        for (op, ws) in groups {
            if op == Op::Unallocated {
                continue;
            }
            let name = row(op).name;
            if let Some(i) = ABSORBED
                .iter()
                .position(|&(m, r, _)| m == e.mnemonic() && r == name)
            {
                used[i] = true;
                continue;
            }
            out.push(Failure {
                key: e.name,
                msg: format!(
                    "{}: excluded ({why}) but {} of {total} test words decode to {}, e.g. {:#010x}",
                    describe(e),
                    ws.len(),
                    describe_op(op),
                    ws[0]
                ),
            });
        }
    }
    (out, used)
}

fn assert_clean(what: &str, failures: Vec<Failure>) {
    let (known, new): (Vec<_>, Vec<_>) = failures
        .into_iter()
        .partition(|f| KNOWN_GAPS.iter().any(|(k, _)| *k == f.key));
    for f in &known {
        eprintln!("known gap: {}", f.msg);
    }
    assert!(
        new.is_empty(),
        "{what}: {} problem(s) (fix the *.insn tables, or list them in KNOWN_GAPS or \
         EXCLUDED/NOT_YET/NOT_ADVERTISED):\n{}",
        new.len(),
        new.iter()
            .map(|f| f.msg.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn encoding_data_is_consistent() {
    let mut bad = Vec::new();
    for e in ENCODINGS.iter() {
        if e.opcode & !e.mask != 0 || e.should_be & !e.mask != 0 {
            bad.push(describe(e));
        }
    }
    let mut names: Vec<&str> = ENCODINGS.iter().map(|e| e.name).collect();
    names.sort_unstable();
    for w in names.windows(2) {
        if w[0] == w[1] {
            bad.push(format!("duplicate name {}", w[0]));
        }
    }
    assert!(
        bad.is_empty(),
        "inconsistent AARCHMRS data:\n{}",
        bad.join("\n")
    );
}

#[test]
fn included_encodings_decode() {
    assert_clean("AARCHMRS encodings hypsim should decode", check_included());
}

#[test]
fn every_row_has_a_counterpart() {
    assert_clean(
        "a64.insn rows without an AARCHMRS counterpart",
        check_rows(),
    );
}

#[test]
fn excluded_encodings_stay_unallocated() {
    assert_clean(
        "excluded AARCHMRS encodings that hypsim decodes",
        check_excluded().0,
    );
}

#[test]
fn lists_are_live() {
    let mut stale = Vec::new();
    for entry in all_rules() {
        let (rule, why) = entry;
        if !ENCODINGS.iter().any(|e| rule.matches(e)) {
            stale.push(format!("exclusion rule matches nothing: {why}"));
        } else if !ENCODINGS
            .iter()
            .any(|e| exclusion_rule(e).is_some_and(|r| std::ptr::eq(r, entry)))
        {
            stale.push(format!(
                "exclusion rule is shadowed by an earlier one: {why}"
            ));
        }
    }
    let (_, used) = check_excluded();
    for (i, (m, r, _)) in ABSORBED.iter().enumerate() {
        if !used[i] {
            stale.push(format!("ABSORBED ({m}, {r}) is not needed any more"));
        }
    }
    let mut all = check_included();
    all.extend(check_rows());
    all.extend(check_excluded().0);
    for (k, what) in KNOWN_GAPS {
        if !all.iter().any(|f| f.key == *k) {
            stale.push(format!("KNOWN_GAPS ({k}: {what}) is fixed: remove it"));
        }
    }
    assert!(stale.is_empty(), "stale entries:\n{}", stale.join("\n"));
}

/// Check 5: the words `ABSORBED` lets a broader row take really are UNDEFINED: each one,
/// executed once at EL1 (FP/SIMD enabled, every X register and SP pointing into RAM), takes
/// an exception with EC 0 (unknown reason) instead of executing or faulting on memory.
#[test]
fn absorbed_words_are_undefined() {
    let mut bad = Vec::new();
    for e in ENCODINGS.iter().filter(|e| exclusion_reason(e).is_some()) {
        for w in words(e) {
            let op = decode(w);
            if !std::ptr::eq(owner(w).unwrap(), e) || op == Op::Unallocated {
                continue;
            }
            let Some(&(_, row_name, where_)) = ABSORBED
                .iter()
                .find(|&&(m, r, _)| m == e.mnemonic() && r == row(op).name)
            else {
                continue; // check 3 reports it
            };
            if let Some(outcome) = exec::undefined(w) {
                bad.push(format!(
                    "{} {w:#010x} ({row_name}, {where_}): {outcome}",
                    e.name
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "ABSORBED words that are not UNDEFINED:\n{}",
        bad.join("\n")
    );
}

/// A one-instruction machine for `absorbed_words_are_undefined`.
mod exec {
    use cpu::sysreg::SR;
    use cpu::{Conduit, Cpu, CpuConfig};
    use mmu::{Bus, GuestRam, MmioResult};

    const BASE: u64 = 0x4000_0000;

    struct RamBus(GuestRam);

    impl cpu::Platform for RamBus {}

    impl Bus for RamBus {
        fn ram(&self) -> &GuestRam {
            &self.0
        }
        fn mmio_read(&mut self, _: u64, _: u8) -> MmioResult {
            MmioResult::Unmapped
        }
        fn mmio_write(&mut self, _: u64, _: u8, _: u64) -> MmioResult {
            MmioResult::Unmapped
        }
    }

    /// None if `word` is UNDEFINED at EL1, else what happened instead.
    pub fn undefined(word: u32) -> Option<String> {
        let mut bus = RamBus(GuestRam::new(BASE, 0x10000).unwrap());
        bus.0.write_bytes(BASE, &word.to_le_bytes()).unwrap();
        let mut cpu = Cpu::new(
            CpuConfig {
                has_el2: false,
                conduit: Conduit::Hvc,
                mpidr_aff: 0,
                index: 0,
                gic: false,
                pa_bits: 48,
                mte: false,
                spe: 0,
            },
            1,
        );
        cpu.set_sysreg(SR::CPACR_EL1, 3 << 20);
        cpu.set_sysreg(SR::VBAR_EL1, BASE + 0x800);
        for i in 0..31 {
            cpu.set_xreg(i, BASE + 0x1000);
        }
        cpu.set_sp(BASE + 0x1000);
        cpu.set_pc(BASE);
        cpu.run(&mut bus, 1);
        let ec = cpu.sysreg(SR::ESR_EL1) >> 26;
        if cpu.pc() == BASE + 0x800 + 0x200 && ec == 0 {
            None
        } else if cpu.pc() == BASE + 4 {
            Some("executed".to_string())
        } else {
            Some(format!("pc={:#x} ESR_EL1.EC={ec:#x}", cpu.pc()))
        }
    }
}

/// Check 4: `ENCODINGS` lists exactly the in-scope part of the pinned crate version. Reads
/// the crate source from the Cargo registry; skipped, with a message, when it is not there
/// (vendored sources, an unusual CARGO_HOME).
#[test]
fn inventory_matches_the_crate() {
    let lock_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock");
    if let Ok(lock) = std::fs::read_to_string(lock_path) {
        let locked = lock
            .split("[[package]]")
            .filter(|p| {
                p.lines()
                    .any(|l| l.trim() == "name = \"aarchmrs-instructions\"")
            })
            .find_map(|p| {
                p.lines()
                    .find_map(|l| l.trim().strip_prefix("version = "))
                    .map(|v| v.trim_matches('"').to_string())
            });
        assert_eq!(
            locked.as_deref(),
            Some(PINNED_VERSION),
            "Cargo.lock has another aarchmrs-instructions than ENCODINGS was taken from: \
             regenerate ENCODINGS and update PINNED_VERSION"
        );
    }
    let Some(a64) = crate_source() else {
        eprintln!(
            "aarchmrs-instructions {PINNED_VERSION} source not found: inventory check skipped"
        );
        return;
    };
    let read =
        |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut problems = Vec::new();
    let mut in_crate = Vec::new();
    let tops = pub_mods(&read(&a64.with_extension("rs")));
    for (top, _) in OUT_OF_SCOPE_TOP_GROUPS {
        if !tops.iter().any(|t| t == top) {
            problems.push(format!(
                "OUT_OF_SCOPE_TOP_GROUPS names {top}, which the crate lacks"
            ));
        }
    }
    for top in &tops {
        if OUT_OF_SCOPE_TOP_GROUPS.iter().any(|(t, _)| t == top) {
            continue;
        }
        for group in pub_mods(&read(&a64.join(format!("{top}.rs")))) {
            let path = format!("{top}::{group}");
            for name in pub_mods(&read(&a64.join(top).join(format!("{group}.rs")))) {
                in_crate.push(format!("{path}::{name}"));
            }
        }
    }
    let listed: Vec<String> = ENCODINGS
        .iter()
        .map(|e| format!("{}::{}", e.group, e.name))
        .collect();
    for p in &in_crate {
        if !listed.contains(p) {
            problems.push(format!("in the crate but not in ENCODINGS: {p}"));
        }
    }
    for p in &listed {
        if !in_crate.contains(p) {
            problems.push(format!("in ENCODINGS but not in the crate: {p}"));
        }
    }
    assert!(
        problems.is_empty(),
        "ENCODINGS is out of date:\n{}",
        problems.join("\n")
    );
}

/// `$CARGO_HOME/registry/src/*/aarchmrs-instructions-<PINNED_VERSION>/src/A64`.
fn crate_source() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    std::fs::read_dir(home.join("registry").join("src"))
        .ok()?
        .filter_map(Result::ok)
        .map(|d| {
            d.path()
                .join(format!("aarchmrs-instructions-{PINNED_VERSION}/src/A64"))
        })
        .find(|p| p.is_dir())
}

/// The names of the `pub mod` items declared in a source file.
fn pub_mods(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub mod "))
        .map(|r| r.trim_end_matches(['{', ';', ' ']).to_string())
        .collect()
}

/// Every encoding of the in-scope AARCHMRS groups (all top-level A64 groups except
/// `OUT_OF_SCOPE_TOP_GROUPS`), in the crate's order. `EXCLUDED`, `NOT_YET` and
/// `NOT_ADVERTISED` decide which hypsim must decode; this list is only the inventory.
static ENCODINGS: &[Enc] = encodings! {
    control::barriers => [
        CLREX_BN_barriers, DSB_BO_barriers, DMB_BO_barriers, ISB_BI_barriers, SB_only_barriers,
        DSB_BOn_barriers,
    ]
    control::branch_imm => [
        B_only_branch_imm, BL_only_branch_imm,
    ]
    control::branch_reg => [
        BR_64_branch_reg, BRAAZ_64_branch_reg, BRABZ_64_branch_reg, BLR_64_branch_reg,
        BLRAAZ_64_branch_reg, BLRABZ_64_branch_reg, RET_64R_branch_reg, RETAASPPCR_64M_branch_reg,
        RETAA_64E_branch_reg, RETABSPPCR_64M_branch_reg, RETAB_64E_branch_reg, ERET_64E_branch_reg,
        ERETAA_64E_branch_reg, ERETAB_64E_branch_reg, TEXIT_te_branch_reg, DRPS_64E_branch_reg,
        BRAA_64P_branch_reg, BRAB_64P_branch_reg, BLRAA_64P_branch_reg, BLRAB_64P_branch_reg,
    ]
    control::compbranch => [
        CBZ_32_compbranch, CBNZ_32_compbranch, CBZ_64_compbranch, CBNZ_64_compbranch,
    ]
    control::compbranch_imm => [
        CBGT_32_imm, CBLT_32_imm, CBHI_32_imm, CBLO_32_imm, CBEQ_32_imm, CBNE_32_imm, CBGT_64_imm,
        CBLT_64_imm, CBHI_64_imm, CBLO_64_imm, CBEQ_64_imm, CBNE_64_imm,
    ]
    control::compbranch_regs => [
        CBGT_32_regs, CBGE_32_regs, CBHI_32_regs, CBHS_32_regs, CBEQ_32_regs, CBNE_32_regs,
        CBGT_64_regs, CBGE_64_regs, CBHI_64_regs, CBHS_64_regs, CBEQ_64_regs, CBNE_64_regs,
    ]
    control::compbranch_regs2 => [
        CBBGT_8_regs, CBBGE_8_regs, CBBHI_8_regs, CBBHS_8_regs, CBBEQ_8_regs, CBBNE_8_regs,
        CBHGT_16_regs, CBHGE_16_regs, CBHHI_16_regs, CBHHS_16_regs, CBHEQ_16_regs, CBHNE_16_regs,
    ]
    control::compfault_imm => [
        CFLTGT_32_imm, CFLTLT_32_imm, CFLTHI_32_imm, CFLTLO_32_imm, CFLTEQ_32_imm, CFLTNE_32_imm,
        CFLTGT_64_imm, CFLTLT_64_imm, CFLTHI_64_imm, CFLTLO_64_imm, CFLTEQ_64_imm, CFLTNE_64_imm,
    ]
    control::compfault_regs => [
        CFLTGT_32_regs, CFLTGE_32_regs, CFLTHI_32_regs, CFLTHS_32_regs, CFLTEQ_32_regs,
        CFLTNE_32_regs, CFLTGT_64_regs, CFLTGE_64_regs, CFLTHI_64_regs, CFLTHS_64_regs,
        CFLTEQ_64_regs, CFLTNE_64_regs,
    ]
    control::condbranch => [
        B_only_condbranch, BC_only_condbranch,
    ]
    control::exception => [
        SVC_EX_exception, HVC_EX_exception, SMC_EX_exception, BRK_EX_exception, FLT_EX_exception,
        HLT_EX_exception, DCPS1_DC_exception, DCPS2_DC_exception, DCPS3_DC_exception,
        TENTER_te_exception,
    ]
    control::extendedhints => [
        HINTE_extendedhint,
    ]
    control::hints => [
        NOP_HI_hints, YIELD_HI_hints, WFE_HI_hints, WFI_HI_hints, SEV_HI_hints, SEVL_HI_hints,
        DGH_HI_hints, XPACLRI_HI_hints, PACIA1716_HI_hints, PACIB1716_HI_hints, AUTIA1716_HI_hints,
        AUTIB1716_HI_hints, ESB_HI_hints, PSB_HC_hints, TSB_HC_hints, GCSB_HD_hints, CSDB_HI_hints,
        CLRBHB_HI_hints, PACIAZ_HI_hints, PACIASP_HI_hints, PACIBZ_HI_hints, PACIBSP_HI_hints,
        AUTIAZ_HI_hints, AUTIASP_HI_hints, AUTIBZ_HI_hints, AUTIBSP_HI_hints, BTI_HB_hints,
        PACM_HI_hints, CHKFEAT_HF_hints, STSHH_HI_hints, SHUH_HI_hints, STCPH_HI_hints,
        SRLS_HI_hints, SLBND_HI_hints, HINT_HM_hints,
    ]
    control::miscbranch => [
        RETAASPPC_only_miscbranch, RETABSPPC_only_miscbranch,
    ]
    control::pstate => [
        MSR_SI_pstate, CFINV_M_pstate, XAFLAG_M_pstate, AXFLAG_M_pstate,
    ]
    control::syspairinstrs => [
        SYSP_CR_syspairinstrs,
    ]
    control::systeminstrs => [
        SYS_CR_systeminstrs, SYSL_RC_systeminstrs,
    ]
    control::systeminstrswithreg => [
        WFET_only_systeminstrswithreg, WFIT_only_systeminstrswithreg,
    ]
    control::systemmove => [
        MSR_SR_systemmove, MRS_RS_systemmove,
    ]
    control::systemmovepr => [
        MSRR_SR_systemmovepr, MRRS_RS_systemmovepr,
    ]
    control::tchange_imm => [
        TCHANGEB_tc_imm, TCHANGEF_tc_imm,
    ]
    control::tchange_reg => [
        TCHANGEB_tc_reg, TCHANGEF_tc_reg,
    ]
    control::testbranch => [
        TBZ_only_testbranch, TBNZ_only_testbranch,
    ]
    control::testfault => [
        TFLTZ, TFLTNZ,
    ]
    dpimm::addsub_imm => [
        ADD_32_addsub_imm, ADDS_32S_addsub_imm, SUB_32_addsub_imm, SUBS_32S_addsub_imm,
        ADD_64_addsub_imm, ADDS_64S_addsub_imm, SUB_64_addsub_imm, SUBS_64S_addsub_imm,
    ]
    dpimm::addsub_immtags => [
        ADDG_64_addsub_immtags, SUBG_64_addsub_immtags,
    ]
    dpimm::bitfield => [
        SBFM_32M_bitfield, BFM_32M_bitfield, UBFM_32M_bitfield, SBFM_64M_bitfield, BFM_64M_bitfield,
        UBFM_64M_bitfield,
    ]
    dpimm::dp_1src_imm => [
        AUTIASPPC_only_dp_1src_imm, AUTIBSPPC_only_dp_1src_imm,
    ]
    dpimm::extract => [
        EXTR_32_extract, EXTR_64_extract,
    ]
    dpimm::log_imm => [
        AND_32_log_imm, ORR_32_log_imm, EOR_32_log_imm, ANDS_32S_log_imm, AND_64_log_imm,
        ORR_64_log_imm, EOR_64_log_imm, ANDS_64S_log_imm,
    ]
    dpimm::minmax_imm => [
        SMAX_32_minmax_imm, UMAX_32U_minmax_imm, SMIN_32_minmax_imm, UMIN_32U_minmax_imm,
        SMAX_64_minmax_imm, UMAX_64U_minmax_imm, SMIN_64_minmax_imm, UMIN_64U_minmax_imm,
    ]
    dpimm::movewide => [
        MOVN_32_movewide, MOVZ_32_movewide, MOVK_32_movewide, MOVN_64_movewide, MOVZ_64_movewide,
        MOVK_64_movewide,
    ]
    dpimm::pcreladdr => [
        ADR_only_pcreladdr, ADRP_only_pcreladdr,
    ]
    dpreg::addsub_carry => [
        ADC_32_addsub_carry, ADCS_32_addsub_carry, SBC_32_addsub_carry, SBCS_32_addsub_carry,
        ADC_64_addsub_carry, ADCS_64_addsub_carry, SBC_64_addsub_carry, SBCS_64_addsub_carry,
    ]
    dpreg::addsub_ext => [
        ADD_32_addsub_ext, ADDS_32S_addsub_ext, SUB_32_addsub_ext, SUBS_32S_addsub_ext,
        ADD_64_addsub_ext, ADDS_64S_addsub_ext, SUB_64_addsub_ext, SUBS_64S_addsub_ext,
    ]
    dpreg::addsub_pt => [
        ADDPT_64_addsub_pt, SUBPT_64_addsub_pt,
    ]
    dpreg::addsub_shift => [
        ADD_32_addsub_shift, ADDS_32_addsub_shift, SUB_32_addsub_shift, SUBS_32_addsub_shift,
        ADD_64_addsub_shift, ADDS_64_addsub_shift, SUB_64_addsub_shift, SUBS_64_addsub_shift,
    ]
    dpreg::condcmp_imm => [
        CCMN_32_condcmp_imm, CCMP_32_condcmp_imm, CCMN_64_condcmp_imm, CCMP_64_condcmp_imm,
    ]
    dpreg::condcmp_reg => [
        CCMN_32_condcmp_reg, CCMP_32_condcmp_reg, CCMN_64_condcmp_reg, CCMP_64_condcmp_reg,
    ]
    dpreg::condsel => [
        CSEL_32_condsel, CSINC_32_condsel, CSINV_32_condsel, CSNEG_32_condsel, CSEL_64_condsel,
        CSINC_64_condsel, CSINV_64_condsel, CSNEG_64_condsel,
    ]
    dpreg::dp_1src => [
        RBIT_32_dp_1src, REV16_32_dp_1src, REV_32_dp_1src, CLZ_32_dp_1src, CLS_32_dp_1src,
        CTZ_32_dp_1src, CNT_32_dp_1src, ABS_32_dp_1src, RBIT_64_dp_1src, REV16_64_dp_1src,
        REV32_64_dp_1src, REV_64_dp_1src, CLZ_64_dp_1src, CLS_64_dp_1src, CTZ_64_dp_1src,
        CNT_64_dp_1src, ABS_64_dp_1src, PACIA_64P_dp_1src, PACIB_64P_dp_1src, PACDA_64P_dp_1src,
        PACDB_64P_dp_1src, AUTIA_64P_dp_1src, AUTIB_64P_dp_1src, AUTDA_64P_dp_1src,
        AUTDB_64P_dp_1src, PACIZA_64Z_dp_1src, PACIZB_64Z_dp_1src, PACDZA_64Z_dp_1src,
        PACDZB_64Z_dp_1src, AUTIZA_64Z_dp_1src, AUTIZB_64Z_dp_1src, AUTDZA_64Z_dp_1src,
        AUTDZB_64Z_dp_1src, XPACI_64Z_dp_1src, XPACD_64Z_dp_1src, PACNBIASPPC_64LR_dp_1src,
        PACNBIBSPPC_64LR_dp_1src, PACIA171615_64LR_dp_1src, PACIB171615_64LR_dp_1src,
        AUTIASPPCR_64LRR_dp_1src, AUTIBSPPCR_64LRR_dp_1src, PACIASPPC_64LR_dp_1src,
        PACIBSPPC_64LR_dp_1src, AUTIA171615_64LR_dp_1src, AUTIB171615_64LR_dp_1src,
    ]
    dpreg::dp_2src => [
        UDIV_32_dp_2src, SDIV_32_dp_2src, LSLV_32_dp_2src, LSRV_32_dp_2src, ASRV_32_dp_2src,
        RORV_32_dp_2src, CRC32B_32C_dp_2src, CRC32H_32C_dp_2src, CRC32W_32C_dp_2src,
        CRC32CB_32C_dp_2src, CRC32CH_32C_dp_2src, CRC32CW_32C_dp_2src, SMAX_32_dp_2src,
        UMAX_32_dp_2src, SMIN_32_dp_2src, UMIN_32_dp_2src, SUBP_64S_dp_2src, UDIV_64_dp_2src,
        SDIV_64_dp_2src, IRG_64I_dp_2src, GMI_64G_dp_2src, LSLV_64_dp_2src, LSRV_64_dp_2src,
        ASRV_64_dp_2src, RORV_64_dp_2src, PACGA_64P_dp_2src, CRC32X_64C_dp_2src,
        CRC32CX_64C_dp_2src, SMAX_64_dp_2src, UMAX_64_dp_2src, SMIN_64_dp_2src, UMIN_64_dp_2src,
        SUBPS_64S_dp_2src,
    ]
    dpreg::dp_3src => [
        MADD_32A_dp_3src, MSUB_32A_dp_3src, MADD_64A_dp_3src, MSUB_64A_dp_3src, SMADDL_64WA_dp_3src,
        SMSUBL_64WA_dp_3src, SMULH_64_dp_3src, MADDPT_64A_dp_3src, MSUBPT_64A_dp_3src,
        UMADDL_64WA_dp_3src, UMSUBL_64WA_dp_3src, UMULH_64_dp_3src,
    ]
    dpreg::log_shift => [
        AND_32_log_shift, BIC_32_log_shift, ORR_32_log_shift, ORN_32_log_shift, EOR_32_log_shift,
        EON_32_log_shift, ANDS_32_log_shift, BICS_32_log_shift, AND_64_log_shift, BIC_64_log_shift,
        ORR_64_log_shift, ORN_64_log_shift, EOR_64_log_shift, EON_64_log_shift, ANDS_64_log_shift,
        BICS_64_log_shift,
    ]
    dpreg::rmif => [
        RMIF_only_rmif,
    ]
    dpreg::setf => [
        SETF8_only_setf, SETF16_only_setf,
    ]
    ldst::asisdlse => [
        ST4_asisdlse_R4, ST1_asisdlse_R4_4v, ST3_asisdlse_R3, ST1_asisdlse_R3_3v,
        ST1_asisdlse_R1_1v, ST2_asisdlse_R2, ST1_asisdlse_R2_2v, LD4_asisdlse_R4,
        LD1_asisdlse_R4_4v, LD3_asisdlse_R3, LD1_asisdlse_R3_3v, LD1_asisdlse_R1_1v,
        LD2_asisdlse_R2, LD1_asisdlse_R2_2v,
    ]
    ldst::asisdlsep => [
        ST4_asisdlsep_R4_r, ST1_asisdlsep_R4_r4, ST3_asisdlsep_R3_r, ST1_asisdlsep_R3_r3,
        ST1_asisdlsep_R1_r1, ST2_asisdlsep_R2_r, ST1_asisdlsep_R2_r2, ST4_asisdlsep_I4_i,
        ST1_asisdlsep_I4_i4, ST3_asisdlsep_I3_i, ST1_asisdlsep_I3_i3, ST1_asisdlsep_I1_i1,
        ST2_asisdlsep_I2_i, ST1_asisdlsep_I2_i2, LD4_asisdlsep_R4_r, LD1_asisdlsep_R4_r4,
        LD3_asisdlsep_R3_r, LD1_asisdlsep_R3_r3, LD1_asisdlsep_R1_r1, LD2_asisdlsep_R2_r,
        LD1_asisdlsep_R2_r2, LD4_asisdlsep_I4_i, LD1_asisdlsep_I4_i4, LD3_asisdlsep_I3_i,
        LD1_asisdlsep_I3_i3, LD1_asisdlsep_I1_i1, LD2_asisdlsep_I2_i, LD1_asisdlsep_I2_i2,
    ]
    ldst::asisdlso => [
        ST1_asisdlso_B1_1b, ST3_asisdlso_B3_3b, ST1_asisdlso_H1_1h, ST3_asisdlso_H3_3h,
        ST1_asisdlso_S1_1s, ST1_asisdlso_D1_1d, ST3_asisdlso_S3_3s, ST3_asisdlso_D3_3d,
        STL1_asisdlso_D1, ST2_asisdlso_B2_2b, ST4_asisdlso_B4_4b, ST2_asisdlso_H2_2h,
        ST4_asisdlso_H4_4h, ST2_asisdlso_S2_2s, ST2_asisdlso_D2_2d, ST4_asisdlso_S4_4s,
        ST4_asisdlso_D4_4d, LD1_asisdlso_B1_1b, LD3_asisdlso_B3_3b, LD1_asisdlso_H1_1h,
        LD3_asisdlso_H3_3h, LD1_asisdlso_S1_1s, LD1_asisdlso_D1_1d, LD3_asisdlso_S3_3s,
        LD3_asisdlso_D3_3d, LD1R_asisdlso_R1, LD3R_asisdlso_R3, LDAP1_asisdlso_D1,
        LD2_asisdlso_B2_2b, LD4_asisdlso_B4_4b, LD2_asisdlso_H2_2h, LD4_asisdlso_H4_4h,
        LD2_asisdlso_S2_2s, LD2_asisdlso_D2_2d, LD4_asisdlso_S4_4s, LD4_asisdlso_D4_4d,
        LD2R_asisdlso_R2, LD4R_asisdlso_R4,
    ]
    ldst::asisdlsop => [
        ST1_asisdlsop_BX1_r1b, ST3_asisdlsop_BX3_r3b, ST1_asisdlsop_HX1_r1h, ST3_asisdlsop_HX3_r3h,
        ST1_asisdlsop_SX1_r1s, ST1_asisdlsop_DX1_r1d, ST3_asisdlsop_SX3_r3s, ST3_asisdlsop_DX3_r3d,
        ST1_asisdlsop_B1_i1b, ST3_asisdlsop_B3_i3b, ST1_asisdlsop_H1_i1h, ST3_asisdlsop_H3_i3h,
        ST1_asisdlsop_S1_i1s, ST1_asisdlsop_D1_i1d, ST3_asisdlsop_S3_i3s, ST3_asisdlsop_D3_i3d,
        ST2_asisdlsop_BX2_r2b, ST4_asisdlsop_BX4_r4b, ST2_asisdlsop_HX2_r2h, ST4_asisdlsop_HX4_r4h,
        ST2_asisdlsop_SX2_r2s, ST2_asisdlsop_DX2_r2d, ST4_asisdlsop_SX4_r4s, ST4_asisdlsop_DX4_r4d,
        ST2_asisdlsop_B2_i2b, ST4_asisdlsop_B4_i4b, ST2_asisdlsop_H2_i2h, ST4_asisdlsop_H4_i4h,
        ST2_asisdlsop_S2_i2s, ST2_asisdlsop_D2_i2d, ST4_asisdlsop_S4_i4s, ST4_asisdlsop_D4_i4d,
        LD1_asisdlsop_BX1_r1b, LD3_asisdlsop_BX3_r3b, LD1_asisdlsop_HX1_r1h, LD3_asisdlsop_HX3_r3h,
        LD1_asisdlsop_SX1_r1s, LD1_asisdlsop_DX1_r1d, LD3_asisdlsop_SX3_r3s, LD3_asisdlsop_DX3_r3d,
        LD1R_asisdlsop_RX1_r, LD3R_asisdlsop_RX3_r, LD1_asisdlsop_B1_i1b, LD3_asisdlsop_B3_i3b,
        LD1_asisdlsop_H1_i1h, LD3_asisdlsop_H3_i3h, LD1_asisdlsop_S1_i1s, LD1_asisdlsop_D1_i1d,
        LD3_asisdlsop_S3_i3s, LD3_asisdlsop_D3_i3d, LD1R_asisdlsop_R1_i, LD3R_asisdlsop_R3_i,
        LD2_asisdlsop_BX2_r2b, LD4_asisdlsop_BX4_r4b, LD2_asisdlsop_HX2_r2h, LD4_asisdlsop_HX4_r4h,
        LD2_asisdlsop_SX2_r2s, LD2_asisdlsop_DX2_r2d, LD4_asisdlsop_SX4_r4s, LD4_asisdlsop_DX4_r4d,
        LD2R_asisdlsop_RX2_r, LD4R_asisdlsop_RX4_r, LD2_asisdlsop_B2_i2b, LD4_asisdlsop_B4_i4b,
        LD2_asisdlsop_H2_i2h, LD4_asisdlsop_H4_i4h, LD2_asisdlsop_S2_i2s, LD2_asisdlsop_D2_i2d,
        LD4_asisdlsop_S4_i4s, LD4_asisdlsop_D4_i4d, LD2R_asisdlsop_R2_i, LD4R_asisdlsop_R4_i,
    ]
    ldst::comswap => [
        CASB_C32_comswap, CASLB_C32_comswap, CASAB_C32_comswap, CASALB_C32_comswap,
        CASH_C32_comswap, CASLH_C32_comswap, CASAH_C32_comswap, CASALH_C32_comswap, CAS_C32_comswap,
        CASL_C32_comswap, CASA_C32_comswap, CASAL_C32_comswap, CAS_C64_comswap, CASL_C64_comswap,
        CASA_C64_comswap, CASAL_C64_comswap,
    ]
    ldst::comswap_unpriv => [
        CAST_C64_comswap_unpriv, CASLT_C64_comswap_unpriv, CASAT_C64_comswap_unpriv,
        CASALT_C64_comswap_unpriv,
    ]
    ldst::comswappr => [
        CASP_CP32_comswappr, CASPL_CP32_comswappr, CASPA_CP32_comswappr, CASPAL_CP32_comswappr,
        CASP_CP64_comswappr, CASPL_CP64_comswappr, CASPA_CP64_comswappr, CASPAL_CP64_comswappr,
    ]
    ldst::comswappr_unpriv => [
        CASPT_CP64_comswappr_unpriv, CASPLT_CP64_comswappr_unpriv, CASPAT_CP64_comswappr_unpriv,
        CASPALT_CP64_comswappr_unpriv,
    ]
    ldst::ldapstl_simd => [
        STLUR_B_ldapstl_simd, LDAPUR_B_ldapstl_simd, STLUR_Q_ldapstl_simd, LDAPUR_Q_ldapstl_simd,
        STLUR_H_ldapstl_simd, LDAPUR_H_ldapstl_simd, STLUR_S_ldapstl_simd, LDAPUR_S_ldapstl_simd,
        STLUR_D_ldapstl_simd, LDAPUR_D_ldapstl_simd,
    ]
    ldst::ldapstl_unscaled => [
        STLURB_32_ldapstl_unscaled, LDAPURB_32_ldapstl_unscaled, LDAPURSB_64_ldapstl_unscaled,
        LDAPURSB_32_ldapstl_unscaled, STLURH_32_ldapstl_unscaled, LDAPURH_32_ldapstl_unscaled,
        LDAPURSH_64_ldapstl_unscaled, LDAPURSH_32_ldapstl_unscaled, STLUR_32_ldapstl_unscaled,
        LDAPUR_32_ldapstl_unscaled, LDAPURSW_64_ldapstl_unscaled, STLUR_64_ldapstl_unscaled,
        LDAPUR_64_ldapstl_unscaled,
    ]
    ldst::ldapstl_writeback => [
        STLR_32S_ldapstl_writeback, LDAPR_32L_ldapstl_writeback, STLR_64S_ldapstl_writeback,
        LDAPR_64L_ldapstl_writeback,
    ]
    ldst::ldiappstilp => [
        STILP_32SE_ldiappstilp, STILP_32S_ldiappstilp, LDIAPP_32LE_ldiappstilp,
        LDIAPP_32L_ldiappstilp, STILP_64SS_ldiappstilp, STILP_64S_ldiappstilp, STLP_64_ldiappstilp,
        LDIAPP_64LS_ldiappstilp, LDIAPP_64L_ldiappstilp, LDAP_64_ldiappstilp, LDAPP_64_ldiappstilp,
    ]
    ldst::ldst_gcs => [
        GCSSTR_64_ldst_gcs, GCSSTTR_64_ldst_gcs,
    ]
    ldst::ldst_immpost => [
        STRB_32_ldst_immpost, LDRB_32_ldst_immpost, LDRSB_64_ldst_immpost, LDRSB_32_ldst_immpost,
        STR_B_ldst_immpost, LDR_B_ldst_immpost, STR_Q_ldst_immpost, LDR_Q_ldst_immpost,
        STRH_32_ldst_immpost, LDRH_32_ldst_immpost, LDRSH_64_ldst_immpost, LDRSH_32_ldst_immpost,
        STR_H_ldst_immpost, LDR_H_ldst_immpost, STR_32_ldst_immpost, LDR_32_ldst_immpost,
        LDRSW_64_ldst_immpost, STR_S_ldst_immpost, LDR_S_ldst_immpost, STR_64_ldst_immpost,
        LDR_64_ldst_immpost, STR_D_ldst_immpost, LDR_D_ldst_immpost,
    ]
    ldst::ldst_immpre => [
        STRB_32_ldst_immpre, LDRB_32_ldst_immpre, LDRSB_64_ldst_immpre, LDRSB_32_ldst_immpre,
        STR_B_ldst_immpre, LDR_B_ldst_immpre, STR_Q_ldst_immpre, LDR_Q_ldst_immpre,
        STRH_32_ldst_immpre, LDRH_32_ldst_immpre, LDRSH_64_ldst_immpre, LDRSH_32_ldst_immpre,
        STR_H_ldst_immpre, LDR_H_ldst_immpre, STR_32_ldst_immpre, LDR_32_ldst_immpre,
        LDRSW_64_ldst_immpre, STR_S_ldst_immpre, LDR_S_ldst_immpre, STR_64_ldst_immpre,
        LDR_64_ldst_immpre, STR_D_ldst_immpre, LDR_D_ldst_immpre,
    ]
    ldst::ldst_pac => [
        LDRAA_64_ldst_pac, LDRAA_64W_ldst_pac, LDRAB_64_ldst_pac, LDRAB_64W_ldst_pac,
    ]
    ldst::ldst_pos => [
        STRB_32_ldst_pos, LDRB_32_ldst_pos, LDRSB_64_ldst_pos, LDRSB_32_ldst_pos, STR_B_ldst_pos,
        LDR_B_ldst_pos, STR_Q_ldst_pos, LDR_Q_ldst_pos, STRH_32_ldst_pos, LDRH_32_ldst_pos,
        LDRSH_64_ldst_pos, LDRSH_32_ldst_pos, STR_H_ldst_pos, LDR_H_ldst_pos, STR_32_ldst_pos,
        LDR_32_ldst_pos, LDRSW_64_ldst_pos, STR_S_ldst_pos, LDR_S_ldst_pos, STR_64_ldst_pos,
        LDR_64_ldst_pos, PRFM_P_ldst_pos, STR_D_ldst_pos, LDR_D_ldst_pos,
    ]
    ldst::ldst_regoff => [
        STRB_32B_ldst_regoff, STRB_32BL_ldst_regoff, LDRB_32B_ldst_regoff, LDRB_32BL_ldst_regoff,
        LDRSB_64B_ldst_regoff, LDRSB_64BL_ldst_regoff, LDRSB_32B_ldst_regoff,
        LDRSB_32BL_ldst_regoff, STR_B_ldst_regoff, STR_BL_ldst_regoff, LDR_B_ldst_regoff,
        LDR_BL_ldst_regoff, STR_Q_ldst_regoff, LDR_Q_ldst_regoff, STRH_32_ldst_regoff,
        LDRH_32_ldst_regoff, LDRSH_64_ldst_regoff, LDRSH_32_ldst_regoff, STR_H_ldst_regoff,
        LDR_H_ldst_regoff, STR_32_ldst_regoff, LDR_32_ldst_regoff, LDRSW_64_ldst_regoff,
        STR_S_ldst_regoff, LDR_S_ldst_regoff, STR_64_ldst_regoff, LDR_64_ldst_regoff,
        PRFM_P_ldst_regoff, RPRFM_R_ldst_regoff, STR_D_ldst_regoff, LDR_D_ldst_regoff,
    ]
    ldst::ldst_unpriv => [
        STTRB_32_ldst_unpriv, LDTRB_32_ldst_unpriv, LDTRSB_64_ldst_unpriv, LDTRSB_32_ldst_unpriv,
        STTRH_32_ldst_unpriv, LDTRH_32_ldst_unpriv, LDTRSH_64_ldst_unpriv, LDTRSH_32_ldst_unpriv,
        STTR_32_ldst_unpriv, LDTR_32_ldst_unpriv, LDTRSW_64_ldst_unpriv, STTR_64_ldst_unpriv,
        LDTR_64_ldst_unpriv,
    ]
    ldst::ldst_unscaled => [
        STURB_32_ldst_unscaled, LDURB_32_ldst_unscaled, LDURSB_64_ldst_unscaled,
        LDURSB_32_ldst_unscaled, STUR_B_ldst_unscaled, LDUR_B_ldst_unscaled, STUR_Q_ldst_unscaled,
        LDUR_Q_ldst_unscaled, STURH_32_ldst_unscaled, LDURH_32_ldst_unscaled,
        LDURSH_64_ldst_unscaled, LDURSH_32_ldst_unscaled, STUR_H_ldst_unscaled,
        LDUR_H_ldst_unscaled, STUR_32_ldst_unscaled, LDUR_32_ldst_unscaled, LDURSW_64_ldst_unscaled,
        STUR_S_ldst_unscaled, LDUR_S_ldst_unscaled, STUR_64_ldst_unscaled, LDUR_64_ldst_unscaled,
        PRFUM_P_ldst_unscaled, STUR_D_ldst_unscaled, LDUR_D_ldst_unscaled,
    ]
    ldst::ldstexclp => [
        STXP_SP32_ldstexclp, STLXP_SP32_ldstexclp, LDXP_LP32_ldstexclp, LDAXP_LP32_ldstexclp,
        STXP_SP64_ldstexclp, STLXP_SP64_ldstexclp, LDXP_LP64_ldstexclp, LDAXP_LP64_ldstexclp,
    ]
    ldst::ldstexclr => [
        STXRB_SR32_ldstexclr, STLXRB_SR32_ldstexclr, LDXRB_LR32_ldstexclr, LDAXRB_LR32_ldstexclr,
        STXRH_SR32_ldstexclr, STLXRH_SR32_ldstexclr, LDXRH_LR32_ldstexclr, LDAXRH_LR32_ldstexclr,
        STXR_SR32_ldstexclr, STLXR_SR32_ldstexclr, LDXR_LR32_ldstexclr, LDAXR_LR32_ldstexclr,
        STXR_SR64_ldstexclr, STLXR_SR64_ldstexclr, LDXR_LR64_ldstexclr, LDAXR_LR64_ldstexclr,
    ]
    ldst::ldstexclr_unpriv => [
        STTXR_SR32_ldstexclr_unpriv, STLTXR_SR32_ldstexclr_unpriv, LDTXR_LR32_ldstexclr_unpriv,
        LDATXR_LR32_ldstexclr_unpriv, STTXR_SR64_ldstexclr_unpriv, STLTXR_SR64_ldstexclr_unpriv,
        LDTXR_LR64_ldstexclr_unpriv, LDATXR_LR64_ldstexclr_unpriv,
    ]
    ldst::ldstnapair_offs => [
        STNP_32_ldstnapair_offs, LDNP_32_ldstnapair_offs, STNP_S_ldstnapair_offs,
        LDNP_S_ldstnapair_offs, STNP_D_ldstnapair_offs, LDNP_D_ldstnapair_offs,
        STNP_64_ldstnapair_offs, LDNP_64_ldstnapair_offs, STNP_Q_ldstnapair_offs,
        LDNP_Q_ldstnapair_offs, STTNP_64_ldstnapair_offs, LDTNP_64_ldstnapair_offs,
        STTNP_Q_ldstnapair_offs, LDTNP_Q_ldstnapair_offs,
    ]
    ldst::ldstord => [
        STLLRB_SL32_ldstord, STLRB_SL32_ldstord, LDLARB_LR32_ldstord, LDARB_LR32_ldstord,
        STLLRH_SL32_ldstord, STLRH_SL32_ldstord, LDLARH_LR32_ldstord, LDARH_LR32_ldstord,
        STLLR_SL32_ldstord, STLR_SL32_ldstord, LDLAR_LR32_ldstord, LDAR_LR32_ldstord,
        STLLR_SL64_ldstord, STLR_SL64_ldstord, LDLAR_LR64_ldstord, LDAR_LR64_ldstord,
    ]
    ldst::ldstpair_off => [
        STP_32_ldstpair_off, LDP_32_ldstpair_off, STP_S_ldstpair_off, LDP_S_ldstpair_off,
        STGP_64_ldstpair_off, LDPSW_64_ldstpair_off, STP_D_ldstpair_off, LDP_D_ldstpair_off,
        STP_64_ldstpair_off, LDP_64_ldstpair_off, STP_Q_ldstpair_off, LDP_Q_ldstpair_off,
        STTP_64_ldstpair_off, LDTP_64_ldstpair_off, STTP_Q_ldstpair_off, LDTP_Q_ldstpair_off,
    ]
    ldst::ldstpair_post => [
        STP_32_ldstpair_post, LDP_32_ldstpair_post, STP_S_ldstpair_post, LDP_S_ldstpair_post,
        STGP_64_ldstpair_post, LDPSW_64_ldstpair_post, STP_D_ldstpair_post, LDP_D_ldstpair_post,
        STP_64_ldstpair_post, LDP_64_ldstpair_post, STP_Q_ldstpair_post, LDP_Q_ldstpair_post,
        STTP_64_ldstpair_post, LDTP_64_ldstpair_post, STTP_Q_ldstpair_post, LDTP_Q_ldstpair_post,
    ]
    ldst::ldstpair_pre => [
        STP_32_ldstpair_pre, LDP_32_ldstpair_pre, STP_S_ldstpair_pre, LDP_S_ldstpair_pre,
        STGP_64_ldstpair_pre, LDPSW_64_ldstpair_pre, STP_D_ldstpair_pre, LDP_D_ldstpair_pre,
        STP_64_ldstpair_pre, LDP_64_ldstpair_pre, STP_Q_ldstpair_pre, LDP_Q_ldstpair_pre,
        STTP_64_ldstpair_pre, LDTP_64_ldstpair_pre, STTP_Q_ldstpair_pre, LDTP_Q_ldstpair_pre,
    ]
    ldst::ldsttags => [
        STG_64Spost_ldsttags, STG_64Soffset_ldsttags, STG_64Spre_ldsttags, STZGM_64bulk_ldsttags,
        LDG_64Loffset_ldsttags, STZG_64Spost_ldsttags, STZG_64Soffset_ldsttags,
        STZG_64Spre_ldsttags, ST2G_64Spost_ldsttags, ST2G_64Soffset_ldsttags, ST2G_64Spre_ldsttags,
        STGM_64bulk_ldsttags, STZ2G_64Spost_ldsttags, STZ2G_64Soffset_ldsttags,
        STZ2G_64Spre_ldsttags, LDGM_64bulk_ldsttags,
    ]
    ldst::loadlit => [
        LDR_32_loadlit, LDR_S_loadlit, LDR_64_loadlit, LDR_D_loadlit, LDRSW_64_loadlit,
        LDR_Q_loadlit, PRFM_P_loadlit,
    ]
    ldst::memcms => [
        CPYFP_CPY_memcms, CPYFPWT_CPY_memcms, CPYFPRT_CPY_memcms, CPYFPT_CPY_memcms,
        CPYFPWN_CPY_memcms, CPYFPWTWN_CPY_memcms, CPYFPRTWN_CPY_memcms, CPYFPTWN_CPY_memcms,
        CPYFPRN_CPY_memcms, CPYFPWTRN_CPY_memcms, CPYFPRTRN_CPY_memcms, CPYFPTRN_CPY_memcms,
        CPYFPN_CPY_memcms, CPYFPWTN_CPY_memcms, CPYFPRTN_CPY_memcms, CPYFPTN_CPY_memcms,
        CPYFM_CPY_memcms, CPYFMWT_CPY_memcms, CPYFMRT_CPY_memcms, CPYFMT_CPY_memcms,
        CPYFMWN_CPY_memcms, CPYFMWTWN_CPY_memcms, CPYFMRTWN_CPY_memcms, CPYFMTWN_CPY_memcms,
        CPYFMRN_CPY_memcms, CPYFMWTRN_CPY_memcms, CPYFMRTRN_CPY_memcms, CPYFMTRN_CPY_memcms,
        CPYFMN_CPY_memcms, CPYFMWTN_CPY_memcms, CPYFMRTN_CPY_memcms, CPYFMTN_CPY_memcms,
        CPYFE_CPY_memcms, CPYFEWT_CPY_memcms, CPYFERT_CPY_memcms, CPYFET_CPY_memcms,
        CPYFEWN_CPY_memcms, CPYFEWTWN_CPY_memcms, CPYFERTWN_CPY_memcms, CPYFETWN_CPY_memcms,
        CPYFERN_CPY_memcms, CPYFEWTRN_CPY_memcms, CPYFERTRN_CPY_memcms, CPYFETRN_CPY_memcms,
        CPYFEN_CPY_memcms, CPYFEWTN_CPY_memcms, CPYFERTN_CPY_memcms, CPYFETN_CPY_memcms,
        SETP_SET_memcms, SETPT_SET_memcms, SETPN_SET_memcms, SETPTN_SET_memcms, SETM_SET_memcms,
        SETMT_SET_memcms, SETMN_SET_memcms, SETMTN_SET_memcms, SETE_SET_memcms, SETET_SET_memcms,
        SETEN_SET_memcms, SETETN_SET_memcms, CPYP_CPY_memcms, CPYPWT_CPY_memcms, CPYPRT_CPY_memcms,
        CPYPT_CPY_memcms, CPYPWN_CPY_memcms, CPYPWTWN_CPY_memcms, CPYPRTWN_CPY_memcms,
        CPYPTWN_CPY_memcms, CPYPRN_CPY_memcms, CPYPWTRN_CPY_memcms, CPYPRTRN_CPY_memcms,
        CPYPTRN_CPY_memcms, CPYPN_CPY_memcms, CPYPWTN_CPY_memcms, CPYPRTN_CPY_memcms,
        CPYPTN_CPY_memcms, CPYM_CPY_memcms, CPYMWT_CPY_memcms, CPYMRT_CPY_memcms, CPYMT_CPY_memcms,
        CPYMWN_CPY_memcms, CPYMWTWN_CPY_memcms, CPYMRTWN_CPY_memcms, CPYMTWN_CPY_memcms,
        CPYMRN_CPY_memcms, CPYMWTRN_CPY_memcms, CPYMRTRN_CPY_memcms, CPYMTRN_CPY_memcms,
        CPYMN_CPY_memcms, CPYMWTN_CPY_memcms, CPYMRTN_CPY_memcms, CPYMTN_CPY_memcms,
        CPYE_CPY_memcms, CPYEWT_CPY_memcms, CPYERT_CPY_memcms, CPYET_CPY_memcms, CPYEWN_CPY_memcms,
        CPYEWTWN_CPY_memcms, CPYERTWN_CPY_memcms, CPYETWN_CPY_memcms, CPYERN_CPY_memcms,
        CPYEWTRN_CPY_memcms, CPYERTRN_CPY_memcms, CPYETRN_CPY_memcms, CPYEN_CPY_memcms,
        CPYEWTN_CPY_memcms, CPYERTN_CPY_memcms, CPYETN_CPY_memcms, SETGP_SET_memcms,
        SETGPT_SET_memcms, SETGPN_SET_memcms, SETGPTN_SET_memcms, SETGM_SET_memcms,
        SETGMT_SET_memcms, SETGMN_SET_memcms, SETGMTN_SET_memcms, SETGE_SET_memcms,
        SETGET_SET_memcms, SETGEN_SET_memcms, SETGETN_SET_memcms,
    ]
    ldst::memop => [
        LDADDB_32_memop, LDCLRB_32_memop, LDEORB_32_memop, LDSETB_32_memop, LDSMAXB_32_memop,
        LDSMINB_32_memop, LDUMAXB_32_memop, LDUMINB_32_memop, SWPB_32_memop, RCWCLR_64_memop,
        RCWSWP_64_memop, RCWSET_64_memop, LDADDLB_32_memop, LDCLRLB_32_memop, LDEORLB_32_memop,
        LDSETLB_32_memop, LDSMAXLB_32_memop, LDSMINLB_32_memop, LDUMAXLB_32_memop,
        LDUMINLB_32_memop, SWPLB_32_memop, RCWCLRL_64_memop, RCWSWPL_64_memop, RCWSETL_64_memop,
        LDADDAB_32_memop, LDCLRAB_32_memop, LDEORAB_32_memop, LDSETAB_32_memop, LDSMAXAB_32_memop,
        LDSMINAB_32_memop, LDUMAXAB_32_memop, LDUMINAB_32_memop, SWPAB_32_memop, RCWCLRA_64_memop,
        RCWSWPA_64_memop, RCWSETA_64_memop, LDAPRB_32L_memop, LDADDALB_32_memop, LDCLRALB_32_memop,
        LDEORALB_32_memop, LDSETALB_32_memop, LDSMAXALB_32_memop, LDSMINALB_32_memop,
        LDUMAXALB_32_memop, LDUMINALB_32_memop, SWPALB_32_memop, RCWCLRAL_64_memop,
        RCWSWPAL_64_memop, RCWSETAL_64_memop, LDADDH_32_memop, LDCLRH_32_memop, LDEORH_32_memop,
        LDSETH_32_memop, LDSMAXH_32_memop, LDSMINH_32_memop, LDUMAXH_32_memop, LDUMINH_32_memop,
        SWPH_32_memop, RCWSCLR_64_memop, RCWSSWP_64_memop, RCWSSET_64_memop, LDADDLH_32_memop,
        LDCLRLH_32_memop, LDEORLH_32_memop, LDSETLH_32_memop, LDSMAXLH_32_memop, LDSMINLH_32_memop,
        LDUMAXLH_32_memop, LDUMINLH_32_memop, SWPLH_32_memop, RCWSCLRL_64_memop, RCWSSWPL_64_memop,
        RCWSSETL_64_memop, LDADDAH_32_memop, LDCLRAH_32_memop, LDEORAH_32_memop, LDSETAH_32_memop,
        LDSMAXAH_32_memop, LDSMINAH_32_memop, LDUMAXAH_32_memop, LDUMINAH_32_memop, SWPAH_32_memop,
        RCWSCLRA_64_memop, RCWSSWPA_64_memop, RCWSSETA_64_memop, LDAPRH_32L_memop,
        LDADDALH_32_memop, LDCLRALH_32_memop, LDEORALH_32_memop, LDSETALH_32_memop,
        LDSMAXALH_32_memop, LDSMINALH_32_memop, LDUMAXALH_32_memop, LDUMINALH_32_memop,
        SWPALH_32_memop, RCWSCLRAL_64_memop, RCWSSWPAL_64_memop, RCWSSETAL_64_memop, LDADD_32_memop,
        LDCLR_32_memop, LDEOR_32_memop, LDSET_32_memop, LDSMAX_32_memop, LDSMIN_32_memop,
        LDUMAX_32_memop, LDUMIN_32_memop, SWP_32_memop, LDADDL_32_memop, LDCLRL_32_memop,
        LDEORL_32_memop, LDSETL_32_memop, LDSMAXL_32_memop, LDSMINL_32_memop, LDUMAXL_32_memop,
        LDUMINL_32_memop, SWPL_32_memop, LDADDA_32_memop, LDCLRA_32_memop, LDEORA_32_memop,
        LDSETA_32_memop, LDSMAXA_32_memop, LDSMINA_32_memop, LDUMAXA_32_memop, LDUMINA_32_memop,
        SWPA_32_memop, LDAPR_32L_memop, LDADDAL_32_memop, LDCLRAL_32_memop, LDEORAL_32_memop,
        LDSETAL_32_memop, LDSMAXAL_32_memop, LDSMINAL_32_memop, LDUMAXAL_32_memop,
        LDUMINAL_32_memop, SWPAL_32_memop, LDADD_64_memop, LDCLR_64_memop, LDEOR_64_memop,
        LDSET_64_memop, LDSMAX_64_memop, LDSMIN_64_memop, LDUMAX_64_memop, LDUMIN_64_memop,
        SWP_64_memop, ST64BV0_64_memop, ST64BV_64_memop, ST64B_64L_memop, LDA64B_64L_memop,
        LD64B_64L_memop, LDADDL_64_memop, LDCLRL_64_memop, LDEORL_64_memop, LDSETL_64_memop,
        LDSMAXL_64_memop, LDSMINL_64_memop, LDUMAXL_64_memop, LDUMINL_64_memop, SWPL_64_memop,
        STL64BV0_64_memop, STL64BV_64_memop, STL64B_64L_memop, LDADDA_64_memop, LDCLRA_64_memop,
        LDEORA_64_memop, LDSETA_64_memop, LDSMAXA_64_memop, LDSMINA_64_memop, LDUMAXA_64_memop,
        LDUMINA_64_memop, SWPA_64_memop, LDAPR_64L_memop, LDADDAL_64_memop, LDCLRAL_64_memop,
        LDEORAL_64_memop, LDSETAL_64_memop, LDSMAXAL_64_memop, LDSMINAL_64_memop, LDUMAXAL_64_memop,
        LDUMINAL_64_memop, SWPAL_64_memop, LDBFADD_16, LDBFMAX_16, LDBFMIN_16, LDBFMAXNM_16,
        LDBFMINNM_16, STBFADD_16, STBFMAX_16, STBFMIN_16, STBFMAXNM_16, STBFMINNM_16, STBFADDL_16,
        STBFMAXL_16, STBFMINL_16, STBFMAXNML_16, STBFMINNML_16, LDBFADDL_16, LDBFMAXL_16,
        LDBFMINL_16, LDBFMAXNML_16, LDBFMINNML_16, LDBFADDA_16, LDBFMAXA_16, LDBFMINA_16,
        LDBFMAXNMA_16, LDBFMINNMA_16, LDBFADDAL_16, LDBFMAXAL_16, LDBFMINAL_16, LDBFMAXNMAL_16,
        LDBFMINNMAL_16, LDFADD_16, LDFMAX_16, LDFMIN_16, LDFMAXNM_16, LDFMINNM_16, STFADD_16,
        STFMAX_16, STFMIN_16, STFMAXNM_16, STFMINNM_16, STFADDL_16, STFMAXL_16, STFMINL_16,
        STFMAXNML_16, STFMINNML_16, LDFADDL_16, LDFMAXL_16, LDFMINL_16, LDFMAXNML_16, LDFMINNML_16,
        LDFADDA_16, LDFMAXA_16, LDFMINA_16, LDFMAXNMA_16, LDFMINNMA_16, LDFADDAL_16, LDFMAXAL_16,
        LDFMINAL_16, LDFMAXNMAL_16, LDFMINNMAL_16, LDFADD_32, LDFMAX_32, LDFMIN_32, LDFMAXNM_32,
        LDFMINNM_32, STFADD_32, STFMAX_32, STFMIN_32, STFMAXNM_32, STFMINNM_32, STFADDL_32,
        STFMAXL_32, STFMINL_32, STFMAXNML_32, STFMINNML_32, LDFADDL_32, LDFMAXL_32, LDFMINL_32,
        LDFMAXNML_32, LDFMINNML_32, LDFADDA_32, LDFMAXA_32, LDFMINA_32, LDFMAXNMA_32, LDFMINNMA_32,
        LDFADDAL_32, LDFMAXAL_32, LDFMINAL_32, LDFMAXNMAL_32, LDFMINNMAL_32, LDFADD_64, LDFMAX_64,
        LDFMIN_64, LDFMAXNM_64, LDFMINNM_64, STFADD_64, STFMAX_64, STFMIN_64, STFMAXNM_64,
        STFMINNM_64, STFADDL_64, STFMAXL_64, STFMINL_64, STFMAXNML_64, STFMINNML_64, LDFADDL_64,
        LDFMAXL_64, LDFMINL_64, LDFMAXNML_64, LDFMINNML_64, LDFADDA_64, LDFMAXA_64, LDFMINA_64,
        LDFMAXNMA_64, LDFMINNMA_64, LDFADDAL_64, LDFMAXAL_64, LDFMINAL_64, LDFMAXNMAL_64,
        LDFMINNMAL_64,
    ]
    ldst::memop_128 => [
        LDCLRP_128_memop_128, LDSETP_128_memop_128, SWPP_128_memop_128, RCWCLRP_128_memop_128,
        RCWSWPP_128_memop_128, RCWSETP_128_memop_128, LDCLRPL_128_memop_128, LDSETPL_128_memop_128,
        SWPPL_128_memop_128, RCWCLRPL_128_memop_128, RCWSWPPL_128_memop_128, RCWSETPL_128_memop_128,
        LDCLRPA_128_memop_128, LDSETPA_128_memop_128, SWPPA_128_memop_128, RCWCLRPA_128_memop_128,
        RCWSWPPA_128_memop_128, RCWSETPA_128_memop_128, LDCLRPAL_128_memop_128,
        LDSETPAL_128_memop_128, SWPPAL_128_memop_128, RCWCLRPAL_128_memop_128,
        RCWSWPPAL_128_memop_128, RCWSETPAL_128_memop_128, RCWSCLRP_128_memop_128,
        RCWSSWPP_128_memop_128, RCWSSETP_128_memop_128, RCWSCLRPL_128_memop_128,
        RCWSSWPPL_128_memop_128, RCWSSETPL_128_memop_128, RCWSCLRPA_128_memop_128,
        RCWSSWPPA_128_memop_128, RCWSSETPA_128_memop_128, RCWSCLRPAL_128_memop_128,
        RCWSSWPPAL_128_memop_128, RCWSSETPAL_128_memop_128,
    ]
    ldst::memop_unpriv => [
        LDTADD_32_memop_unpriv, LDTCLR_32_memop_unpriv, LDTSET_32_memop_unpriv,
        SWPT_32_memop_unpriv, LDTADDL_32_memop_unpriv, LDTCLRL_32_memop_unpriv,
        LDTSETL_32_memop_unpriv, SWPTL_32_memop_unpriv, LDTADDA_32_memop_unpriv,
        LDTCLRA_32_memop_unpriv, LDTSETA_32_memop_unpriv, SWPTA_32_memop_unpriv,
        LDTADDAL_32_memop_unpriv, LDTCLRAL_32_memop_unpriv, LDTSETAL_32_memop_unpriv,
        SWPTAL_32_memop_unpriv, LDTADD_64_memop_unpriv, LDTCLR_64_memop_unpriv,
        LDTSET_64_memop_unpriv, SWPT_64_memop_unpriv, LDTADDL_64_memop_unpriv,
        LDTCLRL_64_memop_unpriv, LDTSETL_64_memop_unpriv, SWPTL_64_memop_unpriv,
        LDTADDA_64_memop_unpriv, LDTCLRA_64_memop_unpriv, LDTSETA_64_memop_unpriv,
        SWPTA_64_memop_unpriv, LDTADDAL_64_memop_unpriv, LDTCLRAL_64_memop_unpriv,
        LDTSETAL_64_memop_unpriv, SWPTAL_64_memop_unpriv,
    ]
    ldst::memset_go => [
        SETGOP_memset_go, SETGOPT_memset_go, SETGOPN_memset_go, SETGOPTN_memset_go,
        SETGOM_memset_go, SETGOMT_memset_go, SETGOMN_memset_go, SETGOMTN_memset_go,
        SETGOE_memset_go, SETGOET_memset_go, SETGOEN_memset_go, SETGOETN_memset_go,
    ]
    ldst::rcwcomswap => [
        RCWCAS_C64_rcwcomswap, RCWCASL_C64_rcwcomswap, RCWCASA_C64_rcwcomswap,
        RCWCASAL_C64_rcwcomswap, RCWSCAS_C64_rcwcomswap, RCWSCASL_C64_rcwcomswap,
        RCWSCASA_C64_rcwcomswap, RCWSCASAL_C64_rcwcomswap,
    ]
    ldst::rcwcomswappr => [
        RCWCASP_C64_rcwcomswappr, RCWCASPL_C64_rcwcomswappr, RCWCASPA_C64_rcwcomswappr,
        RCWCASPAL_C64_rcwcomswappr, RCWSCASP_C64_rcwcomswappr, RCWSCASPL_C64_rcwcomswappr,
        RCWSCASPA_C64_rcwcomswappr, RCWSCASPAL_C64_rcwcomswappr,
    ]
    reserved::perm_undef => [
        UDF_only_perm_undef,
    ]    simd_dp::asimdall => [
        SADDLV_asimdall_only, SMAXV_asimdall_only, SMINV_asimdall_only, ADDV_asimdall_only,
        FMAXNMV_asimdall_only_H, FMAXV_asimdall_only_H, FMINNMV_asimdall_only_H,
        FMINV_asimdall_only_H, UADDLV_asimdall_only, UMAXV_asimdall_only, UMINV_asimdall_only,
        FMAXNMV_asimdall_only_SD, FMAXV_asimdall_only_SD, FMINNMV_asimdall_only_SD,
        FMINV_asimdall_only_SD,
    ]
    simd_dp::asimddiff => [
        SADDL_asimddiff_L, SADDW_asimddiff_W, SSUBL_asimddiff_L, SSUBW_asimddiff_W,
        ADDHN_asimddiff_N, SABAL_asimddiff_L, SUBHN_asimddiff_N, SABDL_asimddiff_L,
        SMLAL_asimddiff_L, SQDMLAL_asimddiff_L, SMLSL_asimddiff_L, SQDMLSL_asimddiff_L,
        SMULL_asimddiff_L, SQDMULL_asimddiff_L, PMULL_asimddiff_L, UADDL_asimddiff_L,
        UADDW_asimddiff_W, USUBL_asimddiff_L, USUBW_asimddiff_W, RADDHN_asimddiff_N,
        UABAL_asimddiff_L, RSUBHN_asimddiff_N, UABDL_asimddiff_L, UMLAL_asimddiff_L,
        UMLSL_asimddiff_L, UMULL_asimddiff_L,
    ]
    simd_dp::asimdelem => [
        SMLAL_asimdelem_L, SQDMLAL_asimdelem_L, SMLSL_asimdelem_L, SQDMLSL_asimdelem_L,
        MUL_asimdelem_R, SMULL_asimdelem_L, SQDMULL_asimdelem_L, SQDMULH_asimdelem_R,
        SQRDMULH_asimdelem_R, SDOT_asimdelem_D, FDOT_asimdelem_D, FMLA_asimdelem_RH_H,
        FMLS_asimdelem_RH_H, FMUL_asimdelem_RH_H, SUDOT_asimdelem_D, FDOT_asimdelem_G,
        FDOT_asimdelem_FP16FP32, BFDOT_asimdelem_E, FMLA_asimdelem_R_SD, FMLS_asimdelem_R_SD,
        FMUL_asimdelem_R_SD, FMLAL_asimdelem_LH, FMLSL_asimdelem_LH, USDOT_asimdelem_D,
        BFMLAL_asimdelem_F, MLA_asimdelem_R, UMLAL_asimdelem_L, MLS_asimdelem_R, UMLSL_asimdelem_L,
        UMULL_asimdelem_L, SQRDMLAH_asimdelem_R, UDOT_asimdelem_D, SQRDMLSH_asimdelem_R,
        FMULX_asimdelem_RH_H, FCMLA_advsimd_elt, FMULX_asimdelem_R_SD, FMLAL2_asimdelem_LH,
        FMLSL2_asimdelem_LH, FMLALB_asimdelem_H, FMLALLBB_asimdelem_J, FMLALLBT_asimdelem_J,
        FMLALT_asimdelem_H, FMLALLTB_asimdelem_J, FMLALLTT_asimdelem_J,
    ]
    simd_dp::asimdext => [
        EXT_asimdext_only,
    ]
    simd_dp::asimdimm => [
        MOVI_asimdimm_L_sl, ORR_asimdimm_L_sl, MOVI_asimdimm_L_hl, ORR_asimdimm_L_hl,
        MOVI_asimdimm_M_sm, MOVI_asimdimm_N_b, FMOV_asimdimm_S_s, FMOV_asimdimm_H_h,
        MVNI_asimdimm_L_sl, BIC_asimdimm_L_sl, MVNI_asimdimm_L_hl, BIC_asimdimm_L_hl,
        MVNI_asimdimm_M_sm, MOVI_asimdimm_D_ds, MOVI_asimdimm_D2_d, FMOV_asimdimm_D2_d,
    ]
    simd_dp::asimdins => [
        DUP_asimdins_DV_v, DUP_asimdins_DR_r, SMOV_asimdins_W_w, UMOV_asimdins_W_w,
        INS_asimdins_IR_r, SMOV_asimdins_X_x, UMOV_asimdins_X_x, INS_asimdins_IV_v,
    ]
    simd_dp::asimdmisc => [
        REV64_asimdmisc_R, REV16_asimdmisc_R, SADDLP_asimdmisc_P, SUQADD_asimdmisc_R,
        CLS_asimdmisc_R, CNT_asimdmisc_R, SADALP_asimdmisc_P, SQABS_asimdmisc_R, CMGT_asimdmisc_Z,
        CMEQ_asimdmisc_Z, CMLT_asimdmisc_Z, ABS_asimdmisc_R, XTN_asimdmisc_N, SQXTN_asimdmisc_N,
        FCVTN_asimdmisc_N, FCVTL_asimdmisc_L, FRINTN_asimdmisc_R, FRINTM_asimdmisc_R,
        FCVTNS_asimdmisc_R, FCVTMS_asimdmisc_R, FCVTAS_asimdmisc_R, SCVTF_asimdmisc_R,
        FRINT32Z_asimdmisc_R, FRINT64Z_asimdmisc_R, FCMGT_asimdmisc_FZ, FCMEQ_asimdmisc_FZ,
        FCMLT_asimdmisc_FZ, FABS_asimdmisc_R, FRINTP_asimdmisc_R, FRINTZ_asimdmisc_R,
        FCVTPS_asimdmisc_R, FCVTZS_asimdmisc_R, URECPE_asimdmisc_R, FRECPE_asimdmisc_R,
        BFCVTN_asimdmisc_4S, REV32_asimdmisc_R, UADDLP_asimdmisc_P, USQADD_asimdmisc_R,
        CLZ_asimdmisc_R, UADALP_asimdmisc_P, SQNEG_asimdmisc_R, CMGE_asimdmisc_Z, CMLE_asimdmisc_Z,
        NEG_asimdmisc_R, SQXTUN_asimdmisc_N, SHLL_asimdmisc_S, UQXTN_asimdmisc_N,
        FCVTXN_asimdmisc_N, FRINTA_asimdmisc_R, FRINTX_asimdmisc_R, FCVTNU_asimdmisc_R,
        FCVTMU_asimdmisc_R, FCVTAU_asimdmisc_R, UCVTF_asimdmisc_R, FRINT32X_asimdmisc_R,
        FRINT64X_asimdmisc_R, NOT_asimdmisc_R, F1CVTL_asimdmisc_V, RBIT_asimdmisc_R,
        F2CVTL_asimdmisc_V, FCMGE_asimdmisc_FZ, FCMLE_asimdmisc_FZ, FNEG_asimdmisc_R,
        FRINTI_asimdmisc_R, FCVTPU_asimdmisc_R, FCVTZU_asimdmisc_R, URSQRTE_asimdmisc_R,
        FRSQRTE_asimdmisc_R, FSQRT_asimdmisc_R, BF1CVTL_asimdmisc_V, BF2CVTL_asimdmisc_V,
    ]
    simd_dp::asimdmiscfp16 => [
        FRINTN_asimdmiscfp16_R, FRINTM_asimdmiscfp16_R, FCVTNS_asimdmiscfp16_R,
        FCVTMS_asimdmiscfp16_R, FCVTAS_asimdmiscfp16_R, SCVTF_asimdmiscfp16_R,
        FCMGT_asimdmiscfp16_FZ, FCMEQ_asimdmiscfp16_FZ, FCMLT_asimdmiscfp16_FZ,
        FABS_asimdmiscfp16_R, FRINTP_asimdmiscfp16_R, FRINTZ_asimdmiscfp16_R,
        FCVTPS_asimdmiscfp16_R, FCVTZS_asimdmiscfp16_R, FRECPE_asimdmiscfp16_R,
        FRINTA_asimdmiscfp16_R, FRINTX_asimdmiscfp16_R, FCVTNU_asimdmiscfp16_R,
        FCVTMU_asimdmiscfp16_R, FCVTAU_asimdmiscfp16_R, UCVTF_asimdmiscfp16_R,
        FCMGE_asimdmiscfp16_FZ, FCMLE_asimdmiscfp16_FZ, FNEG_asimdmiscfp16_R,
        FRINTI_asimdmiscfp16_R, FCVTPU_asimdmiscfp16_R, FCVTZU_asimdmiscfp16_R,
        FRSQRTE_asimdmiscfp16_R, FSQRT_asimdmiscfp16_R,
    ]
    simd_dp::asimdperm => [
        UZP1_asimdperm_only, TRN1_asimdperm_only, ZIP1_asimdperm_only, UZP2_asimdperm_only,
        TRN2_asimdperm_only, ZIP2_asimdperm_only,
    ]
    simd_dp::asimdsame => [
        SHADD_asimdsame_only, SQADD_asimdsame_only, SRHADD_asimdsame_only, SHSUB_asimdsame_only,
        SQSUB_asimdsame_only, CMGT_asimdsame_only, CMGE_asimdsame_only, SSHL_asimdsame_only,
        SQSHL_asimdsame_only, SRSHL_asimdsame_only, SQRSHL_asimdsame_only, SMAX_asimdsame_only,
        SMIN_asimdsame_only, SABD_asimdsame_only, SABA_asimdsame_only, ADD_asimdsame_only,
        CMTST_asimdsame_only, MLA_asimdsame_only, MUL_asimdsame_only, SMAXP_asimdsame_only,
        SMINP_asimdsame_only, SQDMULH_asimdsame_only, ADDP_asimdsame_only, FMAXNM_asimdsame_only,
        FMLA_asimdsame_only, FADD_asimdsame_only, FMULX_asimdsame_only, FCMEQ_asimdsame_only,
        FMAX_asimdsame_only, FRECPS_asimdsame_only, AND_asimdsame_only, FMLAL_asimdsame_F,
        BIC_asimdsame_only, FMINNM_asimdsame_only, FMLS_asimdsame_only, FSUB_asimdsame_only,
        FAMAX_asimdsame_only, FMIN_asimdsame_only, FRSQRTS_asimdsame_only, ORR_asimdsame_only,
        FMLSL_asimdsame_F, ORN_asimdsame_only, UHADD_asimdsame_only, UQADD_asimdsame_only,
        URHADD_asimdsame_only, UHSUB_asimdsame_only, UQSUB_asimdsame_only, CMHI_asimdsame_only,
        CMHS_asimdsame_only, USHL_asimdsame_only, UQSHL_asimdsame_only, URSHL_asimdsame_only,
        UQRSHL_asimdsame_only, UMAX_asimdsame_only, UMIN_asimdsame_only, UABD_asimdsame_only,
        UABA_asimdsame_only, SUB_asimdsame_only, CMEQ_asimdsame_only, MLS_asimdsame_only,
        PMUL_asimdsame_only, UMAXP_asimdsame_only, UMINP_asimdsame_only, SQRDMULH_asimdsame_only,
        FMAXNMP_asimdsame_only, FADDP_asimdsame_only, FMUL_asimdsame_only, FCMGE_asimdsame_only,
        FACGE_asimdsame_only, FMAXP_asimdsame_only, FDIV_asimdsame_only, EOR_asimdsame_only,
        FMLAL2_asimdsame_F, BSL_asimdsame_only, FMINNMP_asimdsame_only, FABD_asimdsame_only,
        FAMIN_asimdsame_only, FCMGT_asimdsame_only, FACGT_asimdsame_only, FMINP_asimdsame_only,
        FSCALE_asimdsame_only, BIT_asimdsame_only, FMLSL2_asimdsame_F, BIF_asimdsame_only,
    ]
    simd_dp::asimdsame2 => [
        SDOT_asimdsame2_D, FCVTN_asimdsame2_H, FDOT_asimdsame2_DD, FCVTN_asimdsame2_D,
        FDOT_asimdsame2_D, USDOT_asimdsame2_D, FDOT_asimdsame2_FP16FP32, SQRDMLAH_asimdsame2_only,
        SQRDMLSH_asimdsame2_only, UDOT_asimdsame2_D, FCMLA_asimdsame2_C, FCADD_asimdsame2_C,
        BFDOT_asimdsame2_D, BFMLAL_asimdsame2_F_, FMLALLBB_asimdsame2_G, FMLALLBT_asimdsame2_G,
        FMLALB_asimdsame2_J, FMLALLTB_asimdsame2_G, FMLALLTT_asimdsame2_G, SMMLA_asimdsame2_G,
        USMMLA_asimdsame2_G, FMMLA_asimd_FP16FP16, FMLALT_asimdsame2_J, FMMLA_asimd_FP8FP16,
        FMMLA_asimd_FP16FP32, BFMMLA_asimdsame2_E, FMMLA_asimd_FP8FP32, UMMLA_asimdsame2_G,
    ]
    simd_dp::asimdsamefp16 => [
        FMAXNM_asimdsamefp16_only, FMLA_asimdsamefp16_only, FADD_asimdsamefp16_only,
        FMULX_asimdsamefp16_only, FCMEQ_asimdsamefp16_only, FMAX_asimdsamefp16_only,
        FRECPS_asimdsamefp16_only, FMINNM_asimdsamefp16_only, FMLS_asimdsamefp16_only,
        FSUB_asimdsamefp16_only, FAMAX_asimdsamefp16_only, FMIN_asimdsamefp16_only,
        FRSQRTS_asimdsamefp16_only, FMAXNMP_asimdsamefp16_only, FADDP_asimdsamefp16_only,
        FMUL_asimdsamefp16_only, FCMGE_asimdsamefp16_only, FACGE_asimdsamefp16_only,
        FMAXP_asimdsamefp16_only, FDIV_asimdsamefp16_only, FMINNMP_asimdsamefp16_only,
        FABD_asimdsamefp16_only, FAMIN_asimdsamefp16_only, FCMGT_asimdsamefp16_only,
        FACGT_asimdsamefp16_only, FMINP_asimdsamefp16_only, FSCALE_asimdsamefp16_only,
    ]
    simd_dp::asimdshf => [
        SSHR_asimdshf_R, SSRA_asimdshf_R, SRSHR_asimdshf_R, SRSRA_asimdshf_R, SHL_asimdshf_R,
        SQSHL_asimdshf_R, SHRN_asimdshf_N, RSHRN_asimdshf_N, SQSHRN_asimdshf_N, SQRSHRN_asimdshf_N,
        SSHLL_asimdshf_L, SCVTF_asimdshf_C, FCVTZS_asimdshf_C, USHR_asimdshf_R, USRA_asimdshf_R,
        URSHR_asimdshf_R, URSRA_asimdshf_R, SRI_asimdshf_R, SLI_asimdshf_R, SQSHLU_asimdshf_R,
        UQSHL_asimdshf_R, SQSHRUN_asimdshf_N, SQRSHRUN_asimdshf_N, UQSHRN_asimdshf_N,
        UQRSHRN_asimdshf_N, USHLL_asimdshf_L, UCVTF_asimdshf_C, FCVTZU_asimdshf_C,
    ]
    simd_dp::asimdtbl => [
        TBL_asimdtbl_L1_1, TBX_asimdtbl_L1_1, TBL_asimdtbl_L2_2, TBX_asimdtbl_L2_2,
        TBL_asimdtbl_L3_3, TBX_asimdtbl_L3_3, TBL_asimdtbl_L4_4, TBX_asimdtbl_L4_4,
        LUTI4_asimdtbl_L7, LUTI4_asimdtbl_L5, LUTI2_asimdtbl_L5, LUTI2_asimdtbl_L6,
    ]
    simd_dp::asisddiff => [
        SQDMLAL_asisddiff_only, SQDMLSL_asisddiff_only, SQDMULL_asisddiff_only,
    ]
    simd_dp::asisdelem => [
        SQDMLAL_asisdelem_L, SQDMLSL_asisdelem_L, SQDMULL_asisdelem_L, SQDMULH_asisdelem_R,
        SQRDMULH_asisdelem_R, FMLA_asisdelem_RH_H, FMLS_asisdelem_RH_H, FMUL_asisdelem_RH_H,
        FMLA_asisdelem_R_SD, FMLS_asisdelem_R_SD, FMUL_asisdelem_R_SD, SQRDMLAH_asisdelem_R,
        SQRDMLSH_asisdelem_R, FMULX_asisdelem_RH_H, FMULX_asisdelem_R_SD,
    ]
    simd_dp::asisdmisc => [
        SUQADD_asisdmisc_R, SQABS_asisdmisc_R, CMGT_asisdmisc_Z, CMEQ_asisdmisc_Z, CMLT_asisdmisc_Z,
        ABS_asisdmisc_R, SQXTN_asisdmisc_N, FCVTNS_asisdmisc_R, FCVTMS_asisdmisc_R,
        FCVTAS_asisdmisc_R, SCVTF_asisdmisc_R, FCMGT_asisdmisc_FZ, FCMEQ_asisdmisc_FZ,
        FCMLT_asisdmisc_FZ, FCVTPS_asisdmisc_R, FCVTZS_asisdmisc_R, FRECPE_asisdmisc_R,
        FRECPX_asisdmisc_R, USQADD_asisdmisc_R, SQNEG_asisdmisc_R, CMGE_asisdmisc_Z,
        CMLE_asisdmisc_Z, NEG_asisdmisc_R, SQXTUN_asisdmisc_N, UQXTN_asisdmisc_N,
        FCVTXN_asisdmisc_N, FCVTNU_asisdmisc_R, FCVTMU_asisdmisc_R, FCVTAU_asisdmisc_R,
        UCVTF_asisdmisc_R, FCMGE_asisdmisc_FZ, FCMLE_asisdmisc_FZ, FCVTPU_asisdmisc_R,
        FCVTZU_asisdmisc_R, FRSQRTE_asisdmisc_R,
    ]
    simd_dp::asisdmiscfp16 => [
        FCVTNS_asisdmiscfp16_R, FCVTMS_asisdmiscfp16_R, FCVTAS_asisdmiscfp16_R,
        SCVTF_asisdmiscfp16_R, FCMGT_asisdmiscfp16_FZ, FCMEQ_asisdmiscfp16_FZ,
        FCMLT_asisdmiscfp16_FZ, FCVTPS_asisdmiscfp16_R, FCVTZS_asisdmiscfp16_R,
        FRECPE_asisdmiscfp16_R, FRECPX_asisdmiscfp16_R, FCVTNU_asisdmiscfp16_R,
        FCVTMU_asisdmiscfp16_R, FCVTAU_asisdmiscfp16_R, UCVTF_asisdmiscfp16_R,
        FCMGE_asisdmiscfp16_FZ, FCMLE_asisdmiscfp16_FZ, FCVTPU_asisdmiscfp16_R,
        FCVTZU_asisdmiscfp16_R, FRSQRTE_asisdmiscfp16_R,
    ]
    simd_dp::asisdone => [
        DUP_asisdone_only,
    ]
    simd_dp::asisdpair => [
        ADDP_asisdpair_only, FMAXNMP_asisdpair_only_H, FADDP_asisdpair_only_H,
        FMAXP_asisdpair_only_H, FMINNMP_asisdpair_only_H, FMINP_asisdpair_only_H,
        FMAXNMP_asisdpair_only_SD, FADDP_asisdpair_only_SD, FMAXP_asisdpair_only_SD,
        FMINNMP_asisdpair_only_SD, FMINP_asisdpair_only_SD,
    ]
    simd_dp::asisdsame => [
        SQADD_asisdsame_only, SQSUB_asisdsame_only, CMGT_asisdsame_only, CMGE_asisdsame_only,
        SSHL_asisdsame_only, SQSHL_asisdsame_only, SRSHL_asisdsame_only, SQRSHL_asisdsame_only,
        ADD_asisdsame_only, CMTST_asisdsame_only, SQDMULH_asisdsame_only, FMULX_asisdsame_only,
        FCMEQ_asisdsame_only, FRECPS_asisdsame_only, FRSQRTS_asisdsame_only, UQADD_asisdsame_only,
        UQSUB_asisdsame_only, CMHI_asisdsame_only, CMHS_asisdsame_only, USHL_asisdsame_only,
        UQSHL_asisdsame_only, URSHL_asisdsame_only, UQRSHL_asisdsame_only, SUB_asisdsame_only,
        CMEQ_asisdsame_only, SQRDMULH_asisdsame_only, FCMGE_asisdsame_only, FACGE_asisdsame_only,
        FABD_asisdsame_only, FCMGT_asisdsame_only, FACGT_asisdsame_only,
    ]
    simd_dp::asisdsame2 => [
        SQRDMLAH_asisdsame2_only, SQRDMLSH_asisdsame2_only,
    ]
    simd_dp::asisdsamefp16 => [
        FMULX_asisdsamefp16_only, FCMEQ_asisdsamefp16_only, FRECPS_asisdsamefp16_only,
        FRSQRTS_asisdsamefp16_only, FCMGE_asisdsamefp16_only, FACGE_asisdsamefp16_only,
        FABD_asisdsamefp16_only, FCMGT_asisdsamefp16_only, FACGT_asisdsamefp16_only,
    ]
    simd_dp::asisdshf => [
        SSHR_asisdshf_R, SSRA_asisdshf_R, SRSHR_asisdshf_R, SRSRA_asisdshf_R, SHL_asisdshf_R,
        SQSHL_asisdshf_R, SQSHRN_asisdshf_N, SQRSHRN_asisdshf_N, SCVTF_asisdshf_C,
        FCVTZS_asisdshf_C, USHR_asisdshf_R, USRA_asisdshf_R, URSHR_asisdshf_R, URSRA_asisdshf_R,
        SRI_asisdshf_R, SLI_asisdshf_R, SQSHLU_asisdshf_R, UQSHL_asisdshf_R, SQSHRUN_asisdshf_N,
        SQRSHRUN_asisdshf_N, UQSHRN_asisdshf_N, UQRSHRN_asisdshf_N, UCVTF_asisdshf_C,
        FCVTZU_asisdshf_C,
    ]
    simd_dp::crypto3_imm2 => [
        SM3TT1A_VVV4_crypto3_imm2, SM3TT1B_VVV4_crypto3_imm2, SM3TT2A_VVV4_crypto3_imm2,
        SM3TT2B_VVV_crypto3_imm2,
    ]
    simd_dp::crypto3_imm6 => [
        XAR_VVV2_crypto3_imm6,
    ]
    simd_dp::crypto4 => [
        EOR3_VVV16_crypto4, BCAX_VVV16_crypto4, SM3SS1_VVV4_crypto4,
    ]
    simd_dp::cryptoaes => [
        AESE_B_cryptoaes, AESD_B_cryptoaes, AESMC_B_cryptoaes, AESIMC_B_cryptoaes,
    ]
    simd_dp::cryptosha2 => [
        SHA1H_SS_cryptosha2, SHA1SU1_VV_cryptosha2, SHA256SU0_VV_cryptosha2,
    ]
    simd_dp::cryptosha3 => [
        SHA1C_QSV_cryptosha3, SHA1P_QSV_cryptosha3, SHA1M_QSV_cryptosha3, SHA1SU0_VVV_cryptosha3,
        SHA256H_QQV_cryptosha3, SHA256H2_QQV_cryptosha3, SHA256SU1_VVV_cryptosha3,
    ]
    simd_dp::cryptosha512_2 => [
        SHA512SU0_VV2_cryptosha512_2, SM4E_VV4_cryptosha512_2,
    ]
    simd_dp::cryptosha512_3 => [
        SHA512H_QQV_cryptosha512_3, SHA512H2_QQV_cryptosha512_3, SHA512SU1_VVV2_cryptosha512_3,
        RAX1_VVV2_cryptosha512_3, SM3PARTW1_VVV4_cryptosha512_3, SM3PARTW2_VVV4_cryptosha512_3,
        SM4EKEY_VVV4_cryptosha512_3,
    ]
    simd_dp::float2fix => [
        SCVTF_S32_float2fix, UCVTF_S32_float2fix, FCVTZS_32S_float2fix, FCVTZU_32S_float2fix,
        SCVTF_D32_float2fix, UCVTF_D32_float2fix, FCVTZS_32D_float2fix, FCVTZU_32D_float2fix,
        SCVTF_H32_float2fix, UCVTF_H32_float2fix, FCVTZS_32H_float2fix, FCVTZU_32H_float2fix,
        SCVTF_S64_float2fix, UCVTF_S64_float2fix, FCVTZS_64S_float2fix, FCVTZU_64S_float2fix,
        SCVTF_D64_float2fix, UCVTF_D64_float2fix, FCVTZS_64D_float2fix, FCVTZU_64D_float2fix,
        SCVTF_H64_float2fix, UCVTF_H64_float2fix, FCVTZS_64H_float2fix, FCVTZU_64H_float2fix,
    ]
    simd_dp::float2int => [
        FCVTNS_32S_float2int, FCVTNU_32S_float2int, SCVTF_S32_float2int, UCVTF_S32_float2int,
        FCVTAS_32S_float2int, FCVTAU_32S_float2int, FMOV_32S_float2int, FMOV_S32_float2int,
        FCVTPS_32S_float2int, FCVTPU_32S_float2int, FCVTMS_32S_float2int, FCVTMU_32S_float2int,
        FCVTZS_32S_float2int, FCVTZU_32S_float2int, FCVTNS_32D_float2int, FCVTNU_32D_float2int,
        SCVTF_D32_float2int, UCVTF_D32_float2int, FCVTAS_32D_float2int, FCVTAU_32D_float2int,
        FCVTPS_32D_float2int, FCVTPU_32D_float2int, FCVTMS_32D_float2int, FCVTMU_32D_float2int,
        FCVTZS_32D_float2int, FCVTZU_32D_float2int, FJCVTZS_32D_float2int, FCVTNS_32H_float2int,
        FCVTNU_32H_float2int, SCVTF_H32_float2int, UCVTF_H32_float2int, FCVTAS_32H_float2int,
        FCVTAU_32H_float2int, FMOV_32H_float2int, FMOV_H32_float2int, FCVTPS_32H_float2int,
        FCVTPU_32H_float2int, FCVTMS_32H_float2int, FCVTMU_32H_float2int, FCVTZS_32H_float2int,
        FCVTZU_32H_float2int, FCVTNS_64S_float2int, FCVTNU_64S_float2int, SCVTF_S64_float2int,
        UCVTF_S64_float2int, FCVTAS_64S_float2int, FCVTAU_64S_float2int, FCVTPS_64S_float2int,
        FCVTPU_64S_float2int, FCVTMS_64S_float2int, FCVTMU_64S_float2int, FCVTZS_64S_float2int,
        FCVTZU_64S_float2int, FCVTNS_64D_float2int, FCVTNU_64D_float2int, SCVTF_D64_float2int,
        UCVTF_D64_float2int, FCVTAS_64D_float2int, FCVTAU_64D_float2int, FMOV_64D_float2int,
        FMOV_D64_float2int, FCVTPS_64D_float2int, FCVTPU_64D_float2int, FCVTMS_64D_float2int,
        FCVTMU_64D_float2int, FCVTZS_64D_float2int, FCVTZU_64D_float2int, FMOV_64VX_float2int,
        FMOV_V64I_float2int, FCVTNS_64H_float2int, FCVTNU_64H_float2int, SCVTF_H64_float2int,
        UCVTF_H64_float2int, FCVTAS_64H_float2int, FCVTAU_64H_float2int, FMOV_64H_float2int,
        FMOV_H64_float2int, FCVTPS_64H_float2int, FCVTPU_64H_float2int, FCVTMS_64H_float2int,
        FCVTMU_64H_float2int, FCVTZS_64H_float2int, FCVTZU_64H_float2int, FCVTNS_sisd_32D,
        FCVTAS_sisd_32D, FCVTPS_sisd_32D, FCVTMS_sisd_32D, FCVTZS_sisd_32D, SCVTF_sisd_32D,
        FCVTNU_sisd_32D, FCVTAU_sisd_32D, FCVTPU_sisd_32D, FCVTMU_sisd_32D, FCVTZU_sisd_32D,
        UCVTF_sisd_32D, FCVTNS_sisd_32H, FCVTAS_sisd_32H, FCVTPS_sisd_32H, FCVTMS_sisd_32H,
        FCVTZS_sisd_32H, SCVTF_sisd_32H, FCVTNU_sisd_32H, FCVTAU_sisd_32H, FCVTPU_sisd_32H,
        FCVTMU_sisd_32H, FCVTZU_sisd_32H, UCVTF_sisd_32H, FCVTNS_sisd_64H, FCVTAS_sisd_64H,
        FCVTPS_sisd_64H, FCVTMS_sisd_64H, FCVTZS_sisd_64H, SCVTF_sisd_64H, FCVTNU_sisd_64H,
        FCVTAU_sisd_64H, FCVTPU_sisd_64H, FCVTMU_sisd_64H, FCVTZU_sisd_64H, UCVTF_sisd_64H,
        FCVTNS_sisd_64S, FCVTAS_sisd_64S, FCVTPS_sisd_64S, FCVTMS_sisd_64S, FCVTZS_sisd_64S,
        SCVTF_sisd_64S, FCVTNU_sisd_64S, FCVTAU_sisd_64S, FCVTPU_sisd_64S, FCVTMU_sisd_64S,
        FCVTZU_sisd_64S, UCVTF_sisd_64S,
    ]
    simd_dp::floatccmp => [
        FCCMP_S_floatccmp, FCCMPE_S_floatccmp, FCCMP_D_floatccmp, FCCMPE_D_floatccmp,
        FCCMP_H_floatccmp, FCCMPE_H_floatccmp,
    ]
    simd_dp::floatcmp => [
        FCMP_S_floatcmp, FCMP_SZ_floatcmp, FCMPE_S_floatcmp, FCMPE_SZ_floatcmp, FCMTL_S_floatcmp,
        FCMTLMG_S_floatcmp, FCMP_D_floatcmp, FCMP_DZ_floatcmp, FCMPE_D_floatcmp, FCMPE_DZ_floatcmp,
        FCMTL_D_floatcmp, FCMTLMG_D_floatcmp, FCMP_H_floatcmp, FCMP_HZ_floatcmp, FCMPE_H_floatcmp,
        FCMPE_HZ_floatcmp, FCMTL_H_floatcmp, FCMTLMG_H_floatcmp,
    ]
    simd_dp::floatdp1 => [
        FMOV_S_floatdp1, FABS_S_floatdp1, FNEG_S_floatdp1, FSQRT_S_floatdp1, FCVT_DS_floatdp1,
        FCVT_HS_floatdp1, FRINTN_S_floatdp1, FRINTP_S_floatdp1, FRINTM_S_floatdp1,
        FRINTZ_S_floatdp1, FRINTA_S_floatdp1, FRINTX_S_floatdp1, FRINTI_S_floatdp1,
        FRINT32Z_S_floatdp1, FRINT32X_S_floatdp1, FRINT64Z_S_floatdp1, FRINT64X_S_floatdp1,
        FMOV_D_floatdp1, FABS_D_floatdp1, FNEG_D_floatdp1, FSQRT_D_floatdp1, FCVT_SD_floatdp1,
        BFCVT_BS_floatdp1, FCVT_HD_floatdp1, FRINTN_D_floatdp1, FRINTP_D_floatdp1,
        FRINTM_D_floatdp1, FRINTZ_D_floatdp1, FRINTA_D_floatdp1, FRINTX_D_floatdp1,
        FRINTI_D_floatdp1, FRINT32Z_D_floatdp1, FRINT32X_D_floatdp1, FRINT64Z_D_floatdp1,
        FRINT64X_D_floatdp1, FMOV_H_floatdp1, FABS_H_floatdp1, FNEG_H_floatdp1, FSQRT_H_floatdp1,
        FCVT_SH_floatdp1, FCVT_DH_floatdp1, FRINTN_H_floatdp1, FRINTP_H_floatdp1, FRINTM_H_floatdp1,
        FRINTZ_H_floatdp1, FRINTA_H_floatdp1, FRINTX_H_floatdp1, FRINTI_H_floatdp1,
    ]
    simd_dp::floatdp2 => [
        FMUL_S_floatdp2, FDIV_S_floatdp2, FADD_S_floatdp2, FSUB_S_floatdp2, FMAX_S_floatdp2,
        FMIN_S_floatdp2, FMAXNM_S_floatdp2, FMINNM_S_floatdp2, FNMUL_S_floatdp2, FMAXINM_S_floatdp2,
        FMININM_S_floatdp2, FMAXMG_S_floatdp2, FMINMG_S_floatdp2, FMAXMGINM_S_floatdp2,
        FMINMGINM_S_floatdp2, FMUL_D_floatdp2, FDIV_D_floatdp2, FADD_D_floatdp2, FSUB_D_floatdp2,
        FMAX_D_floatdp2, FMIN_D_floatdp2, FMAXNM_D_floatdp2, FMINNM_D_floatdp2, FNMUL_D_floatdp2,
        FMAXINM_D_floatdp2, FMININM_D_floatdp2, FMAXMG_D_floatdp2, FMINMG_D_floatdp2,
        FMAXMGINM_D_floatdp2, FMINMGINM_D_floatdp2, FMUL_H_floatdp2, FDIV_H_floatdp2,
        FADD_H_floatdp2, FSUB_H_floatdp2, FMAX_H_floatdp2, FMIN_H_floatdp2, FMAXNM_H_floatdp2,
        FMINNM_H_floatdp2, FNMUL_H_floatdp2, FMAXINM_H_floatdp2, FMININM_H_floatdp2,
        FMAXMG_H_floatdp2, FMINMG_H_floatdp2, FMAXMGINM_H_floatdp2, FMINMGINM_H_floatdp2,
    ]
    simd_dp::floatdp3 => [
        FMADD_S_floatdp3, FMSUB_S_floatdp3, FNMADD_S_floatdp3, FNMSUB_S_floatdp3, FMADD_D_floatdp3,
        FMSUB_D_floatdp3, FNMADD_D_floatdp3, FNMSUB_D_floatdp3, FMADD_H_floatdp3, FMSUB_H_floatdp3,
        FNMADD_H_floatdp3, FNMSUB_H_floatdp3,
    ]
    simd_dp::floatimm => [
        FMOV_S_floatimm, FMOV_D_floatimm, FMOV_H_floatimm,
    ]
    simd_dp::floatsel => [
        FCSEL_S_floatsel, FCSEL_D_floatsel, FCSEL_H_floatsel,
    ]
};
