//! Generates the A64 decoder, the `Op` enum, the visitor traits and `OP_INFO` from
//! `src/a64/a64.insn`, so that adding an instruction is one table line plus one handler.

use std::collections::BTreeMap;
use std::fmt::Write as _;

struct Row {
    name: String,
    group: String,
    class: String,
    mask: u32,
    value: u32,
    fields: Vec<(String, u32, u32)>, // name, lsb, width
}

fn camel(s: &str) -> String {
    s.split('_')
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Operation-kind flags of a row (the `opflag` constants in the generated code), derived
/// from its class, group and name so that no consumer re-decodes bits.
fn flags(r: &Row) -> Vec<&'static str> {
    let mut f = Vec::new();
    let (name, class, group) = (r.name.as_str(), r.class.as_str(), r.group.as_str());
    match class {
        "load" => f.push("LOAD"),
        "store" => f.push("STORE"),
        // One row for both directions. General-purpose single-register forms: opc
        // (bits 23:22) 00 stores, anything else loads (incl. sign-extending loads and
        // PRFM); pairs and SIMD&FP forms: bit 22 (L, or opc<0>) set means load.
        "ldst" if matches!(name, "LDST_imm9" | "LDST_reg" | "LDST_uimm" | "LDAPUR") => {
            f.push("LOAD_IF_OPC")
        }
        "ldst" => f.push("LOAD_IF_BIT22"),
        "atomic" => f.extend(["LOAD", "STORE", "ATOMIC"]),
        _ => {}
    }
    if name.starts_with("LDX")
        || name.starts_with("LDAX")
        || name.starts_with("STX")
        || name.starts_with("STLX")
    {
        f.push("EXCLUSIVE");
    }
    if matches!(class, "branch" | "eret") {
        f.push("BRANCH");
    }
    if matches!(name, "B_cond" | "CBZ" | "CBNZ" | "TBZ" | "TBNZ") {
        f.push("CONDITIONAL");
    }
    if matches!(name, "BR" | "BLR" | "RET" | "ERET") {
        f.push("INDIRECT");
    }
    // Ends a basic block: control flow, exception generation, anything that can change
    // the translation regime, PSTATE or interrupt state, and context synchronization.
    if matches!(
        class,
        "branch" | "eret" | "exc" | "sysreg" | "barrier" | "hint" | "undef"
    ) {
        f.push("ENDS_BLOCK");
    }
    // Can take a synchronous exception (memory, system, FP/SIMD access traps).
    if !matches!(class, "alu" | "branch" | "crc" | "mul" | "mulh" | "div")
        || group.starts_with("simd")
    {
        f.push("MAY_TRAP");
    }
    if group.starts_with("simd") || matches!(group, "fp" | "crypto" | "sha3" | "sha512") {
        f.push("FP_SIMD");
    }
    f
}

fn parse(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let toks: Vec<&str> = line.split_whitespace().collect();
        assert!(
            toks.len() >= 4,
            "a64.insn:{}: expected NAME GROUP CLASS PATTERN",
            ln + 1
        );
        let (mut mask, mut value, mut fields) = (0u32, 0u32, Vec::new());
        let mut pos: i32 = 32;
        for t in &toks[3..] {
            if let Some((n, w)) = t.split_once(':') {
                let w: u32 = w.parse().expect("field width");
                pos -= w as i32;
                fields.push((n.to_string(), pos as u32, w));
            } else {
                for ch in t.chars() {
                    pos -= 1;
                    assert!(pos >= 0, "a64.insn:{}: more than 32 bits", ln + 1);
                    match ch {
                        '0' => mask |= 1 << pos,
                        '1' => {
                            mask |= 1 << pos;
                            value |= 1 << pos
                        }
                        'x' => {}
                        _ => panic!("a64.insn:{}: bad pattern char {ch}", ln + 1),
                    }
                }
            }
        }
        assert_eq!(pos, 0, "a64.insn:{}: pattern is not 32 bits", ln + 1);
        rows.push(Row {
            name: toks[0].to_string(),
            group: toks[1].to_string(),
            class: toks[2].to_string(),
            mask,
            value,
            fields,
        });
    }
    rows
}

fn main() {
    // Every src/a64/*.insn file, in name order: the base table (a64.insn) plus one file
    // per instruction family (FP, SIMD, ...), so families can grow independently.
    println!("cargo:rerun-if-changed=src/a64");
    let mut files: Vec<_> = std::fs::read_dir("src/a64")
        .expect("read src/a64")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "insn"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = std::fs::read_to_string(f).expect("read .insn");
        rows.extend(parse(&text));
    }
    let mut o = String::new();
    o.push_str("// @generated by cpu/build.rs from src/a64/a64.insn. Do not edit.\n\n");

    // Op enum.
    o.push_str(
        "/// One variant per row of `a64.insn`, plus `Unallocated` and the cache sentinel.\n",
    );
    o.push_str("#[allow(non_camel_case_types)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\n#[repr(u16)]\npub enum Op {\n");
    for r in &rows {
        let _ = writeln!(o, "    /// `{}`", r.name);
        let _ = writeln!(o, "    {},", r.name);
    }
    o.push_str("    /// No row matches: UNDEFINED.\n    Unallocated,\n");
    o.push_str("    /// Decoded-instruction cache slot not filled yet.\n    NotDecoded,\n}\n\n");
    let _ = writeln!(
        o,
        "/// Number of `Op` variants.\npub const NUM_OPS: usize = {};\n",
        rows.len() + 2
    );

    // Classes.
    let mut classes: Vec<&str> = rows.iter().map(|r| r.class.as_str()).collect();
    classes.push("undef");
    classes.sort();
    classes.dedup();
    o.push_str("/// Instruction class: what the timing model and SPE see.\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum Class {\n");
    for c in &classes {
        let _ = writeln!(o, "    /// `{c}`\n    {},", camel(c));
    }
    o.push_str("}\n\n");
    let _ = writeln!(
        o,
        "/// Number of `Class` variants.\npub const NUM_CLASSES: usize = {};\n",
        classes.len()
    );
    o.push_str("/// Every class, in `Class as usize` order.\npub const ALL_CLASSES: [Class; NUM_CLASSES] = [");
    for c in &classes {
        let _ = write!(o, "Class::{}, ", camel(c));
    }
    o.push_str("];\n\n");

    // OP_INFO.
    o.push_str("/// Static facts per op, indexed by `Op as usize`.\n#[derive(Clone, Copy, Debug)]\npub struct OpInfo {\n    /// Row name in a64.insn.\n    pub name: &'static str,\n    /// Timing class.\n    pub class: Class,\n    /// Fixed-bit mask.\n    pub mask: u32,\n    /// Fixed-bit value.\n    pub value: u32,\n    /// Operation kinds (`opflag::*`).\n    pub flags: u16,\n}\n\n");
    o.push_str("/// One entry per `Op`.\npub static OP_INFO: [OpInfo; NUM_OPS] = [\n");
    for r in &rows {
        let fl = flags(r);
        let fl = if fl.is_empty() {
            "0".to_string()
        } else {
            fl.iter()
                .map(|f| format!("opflag::{f}"))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let _ = writeln!(
            o,
            "    OpInfo {{ name: \"{}\", class: Class::{}, mask: {:#010x}, value: {:#010x}, flags: {fl} }},",
            r.name,
            camel(&r.class),
            r.mask,
            r.value
        );
    }
    o.push_str("    OpInfo { name: \"UNALLOCATED\", class: Class::Undef, mask: 0, value: 0, flags: opflag::ENDS_BLOCK | opflag::MAY_TRAP },\n");
    o.push_str(
        "    OpInfo { name: \"NOT_DECODED\", class: Class::Undef, mask: 0, value: 0, flags: opflag::ENDS_BLOCK | opflag::MAY_TRAP },\n];\n\n",
    );

    // All ops list.
    o.push_str(
        "/// Every table row's op, in table order.\npub static ALL_OPS: [Op; NUM_OPS - 2] = [\n",
    );
    for r in &rows {
        let _ = writeln!(o, "    Op::{},", r.name);
    }
    o.push_str("];\n\n");

    // Decoder: bucket on bits [28:25] (the top-level op0 field), most specific row first.
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.mask.count_ones()));
    o.push_str("/// Decode one A64 instruction word.\n#[inline(never)]\npub fn decode(raw: u32) -> Op {\n    match (raw >> 25) & 0xf {\n");
    for b in 0u32..16 {
        let _ = writeln!(o, "        {b} => {{");
        for r in &sorted {
            let bm = (r.mask >> 25) & 0xf;
            let bv = (r.value >> 25) & 0xf;
            if b & bm == bv {
                let test = if r.mask == u32::MAX {
                    format!("raw == {:#010x}", r.value)
                } else {
                    format!("raw & {:#010x} == {:#010x}", r.mask, r.value)
                };
                let _ = writeln!(o, "            if {test} {{ return Op::{}; }}", r.name);
            }
        }
        o.push_str("        }\n");
    }
    o.push_str("        _ => unreachable!(),\n    }\n    Op::Unallocated\n}\n\n");

    // Visitor traits, one per group.
    let mut groups: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        groups.entry(r.group.as_str()).or_default().push(r);
    }
    o.push_str("/// What every visitor provides: its result type and the UNDEFINED case.\npub trait VisitBase {\n    /// Result of visiting one instruction.\n    type Out;\n    /// No encoding matched (or the cache sentinel): UNDEFINED.\n    fn unallocated(&mut self, raw: u32) -> Self::Out;\n}\n\n");
    for (g, rs) in &groups {
        let _ = writeln!(
            o,
            "/// Handlers of the `{g}` rows of a64.insn.\npub trait Visit{}: VisitBase {{",
            camel(g)
        );
        for r in rs {
            let args: Vec<String> = r
                .fields
                .iter()
                .map(|(n, _, _)| format!("{n}: u32"))
                .collect();
            let _ = writeln!(
                o,
                "    /// `{}`\n    fn {}(&mut self{}{}) -> Self::Out;",
                r.name,
                r.name.to_lowercase(),
                if args.is_empty() { "" } else { ", " },
                args.join(", ")
            );
        }
        o.push_str("}\n\n");
    }
    let bounds: Vec<String> = groups
        .keys()
        .map(|g| format!("Visit{}", camel(g)))
        .collect();
    let _ = writeln!(
        o,
        "/// A visitor of every instruction group.\npub trait Visitor: VisitBase + {} {{}}\nimpl<T: VisitBase + {}> Visitor for T {{}}\n",
        bounds.join(" + "),
        bounds.join(" + ")
    );

    // Dispatch.
    o.push_str("/// Extract the fields of `raw` for `op` and call the matching visitor method.\n#[inline(always)]\npub fn dispatch<V: Visitor>(v: &mut V, op: Op, raw: u32) -> V::Out {\n    match op {\n");
    for r in &rows {
        let args: Vec<String> = r
            .fields
            .iter()
            .map(|(_, lsb, w)| {
                if *w == 32 {
                    "raw".to_string()
                } else if *lsb == 0 {
                    format!("raw & {:#x}", (1u32 << w) - 1)
                } else {
                    format!("(raw >> {lsb}) & {:#x}", (1u32 << w) - 1)
                }
            })
            .collect();
        let _ = writeln!(
            o,
            "        Op::{} => Visit{}::{}(v{}{}),",
            r.name,
            camel(&r.group),
            r.name.to_lowercase(),
            if args.is_empty() { "" } else { ", " },
            args.join(", ")
        );
    }
    o.push_str("        Op::Unallocated | Op::NotDecoded => v.unallocated(raw),\n    }\n}\n");

    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("a64_gen.rs");
    std::fs::write(out, o).unwrap();
}
