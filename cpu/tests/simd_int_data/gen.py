#!/usr/bin/env python3
"""Generate cpu/tests/simd_int_data/vectors.rs: Advanced SIMD integer instructions
assembled by GNU as (aarch64-linux-gnu-as), each run once under Unicorn from a fixed
register state; the table records the destination register and FPSR.QC that Unicorn
computed, or that the word is UNDEFINED. Run from the repository root:

    python3 cpu/tests/simd_int_data/gen.py
"""
import os, random, re, subprocess, tempfile
from unicorn import Uc, UcError, UC_ARCH_ARM64, UC_MODE_ARM
from unicorn.arm64_const import *

R = random.Random(int(os.environ.get("SEED", "1234")))
EDGE = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x81, 0x40]

def rnd128():
    return R.getrandbits(128)

INIT = []
for i in range(32):
    if i in (2, 10):  # saturation edge bytes/halves/words
        v = 0
        for b in range(16):
            v |= R.choice(EDGE) << (8 * b)
        if i == 10:
            v = (0x8000_0000_0000_0000_7fff_ffff_8000_0000 ^ (v & 0xff00ff))
        INIT.append(v)
    elif i in (3, 11):  # small signed shift counts in every byte
        v = 0
        for b in range(16):
            v |= (R.randint(-70, 70) & 0xff) << (8 * b)
        INIT.append(v)
    elif i == 4:  # table indices for TBL/TBX
        v = 0
        for b in range(16):
            v |= R.choice([R.randint(0, 15), R.randint(16, 63), R.randint(64, 255)]) << (8 * b)
        INIT.append(v)
    elif i == 12:  # small values (pairs of near-equal elements)
        INIT.append(sum((R.randint(0, 3)) << (8 * b) for b in range(16)))
    else:
        INIT.append(rnd128())

ARR = {"8b": 0, "16b": 0, "4h": 1, "8h": 1, "2s": 2, "4s": 2, "2d": 3}
SAME_ALL = ["8b", "16b", "4h", "8h", "2s", "4s", "2d"]
SAME_NO_D = ["8b", "16b", "4h", "8h", "2s", "4s"]
ASM = []

def v(*ops):
    ASM.append(ops)

# ---- three same ----
for m in ["add", "sub", "cmeq", "cmtst", "cmgt", "cmge", "cmhi", "cmhs", "sqadd", "uqadd", "sqsub", "uqsub",
          "sshl", "ushl", "srshl", "urshl", "sqshl", "uqshl", "sqrshl", "uqrshl", "addp"]:
    for a in SAME_ALL:
        src = "v3" if "shl" in m else "v2"
        v(f"{m} v20.{a}, v2.{a}, {src}.{a}")
        v(f"{m} v21.{a}, v0.{a}, v1.{a}")
for m in ["mul", "mla", "mls", "smax", "smin", "umax", "umin", "smaxp", "sminp", "umaxp", "uminp",
          "sabd", "uabd", "saba", "uaba", "shadd", "uhadd", "srhadd", "urhadd", "shsub", "uhsub"]:
    for a in SAME_NO_D:
        v(f"{m} v22.{a}, v2.{a}, v10.{a}")
        v(f"{m} v23.{a}, v0.{a}, v1.{a}")
for m in ["sqdmulh", "sqrdmulh"]:
    for a in ["4h", "8h", "2s", "4s"]:
        v(f"{m} v24.{a}, v2.{a}, v10.{a}")
        v(f"{m} v25.{a}, v0.{a}, v1.{a}")
    for r in ["h", "s"]:
        v(f"{m} {r}26, {r}2, {r}10")
        v(f"{m} {r}27, {r}0, {r}1")
for a in ["8b", "16b"]:
    v(f"pmul v28.{a}, v0.{a}, v1.{a}")
    for m in ["and", "bic", "orr", "orn", "eor", "bsl", "bit", "bif"]:
        v(f"{m} v29.{a}, v0.{a}, v1.{a}")
for m in ["add", "sub", "cmeq", "cmtst", "cmgt", "cmge", "cmhi", "cmhs", "sshl", "ushl", "srshl", "urshl"]:
    v(f"{m} d30, d2, d3")
    v(f"{m} d31, d0, d1")
for m in ["sqadd", "uqadd", "sqsub", "uqsub", "sqshl", "uqshl", "sqrshl", "uqrshl"]:
    for r in "bhsd":
        v(f"{m} {r}16, {r}2, {r}{'3' if 'shl' in m else '10'}")
        v(f"{m} {r}17, {r}0, {r}1")

# ---- two-register misc ----
for a in SAME_NO_D + ["2d"]:
    for m in ["abs", "neg", "sqabs", "sqneg", "cmeq", "cmge", "cmgt", "cmle", "cmlt", "suqadd", "usqadd"]:
        z = ", #0" if m.startswith("cm") else ""
        v(f"{m} v18.{a}, v2.{a}{z}")
        v(f"{m} v19.{a}, v0.{a}{z}")
for a in SAME_NO_D:
    for m in ["clz", "cls"]:
        v(f"{m} v20.{a}, v2.{a}")
        v(f"{m} v21.{a}, v0.{a}")
for a in ["8b", "16b"]:
    for m in ["cnt", "not", "rbit", "rev16", "rev32", "rev64"]:
        v(f"{m} v22.{a}, v0.{a}")
for a in ["4h", "8h"]:
    v(f"rev32 v23.{a}, v0.{a}")
    v(f"rev64 v23.{a}, v0.{a}")
for a in ["2s", "4s"]:
    v(f"rev64 v23.{a}, v0.{a}")
for (d, s) in [("4h", "8b"), ("8h", "16b"), ("2s", "4h"), ("4s", "8h"), ("1d", "2s"), ("2d", "4s")]:
    for m in ["saddlp", "uaddlp", "sadalp", "uadalp"]:
        v(f"{m} v24.{d}, v2.{s}")
        v(f"{m} v25.{d}, v0.{s}")
for (n, w) in [("8b", "8h"), ("4h", "4s"), ("2s", "2d")]:
    n2 = {"8b": "16b", "4h": "8h", "2s": "4s"}[n]
    for m in ["xtn", "sqxtn", "uqxtn", "sqxtun"]:
        v(f"{m} v26.{n}, v2.{w}")
        v(f"{m}2 v27.{n2}, v10.{w}")
        v(f"{m}2 v27.{n2}, v0.{w}")
    v(f"shll v28.{w}, v0.{n}, #{ {'8b': 8, '4h': 16, '2s': 32}[n] }")
    v(f"shll2 v29.{w}, v0.{n2}, #{ {'8b': 8, '4h': 16, '2s': 32}[n] }")
for m in ["abs", "neg", "cmeq", "cmge", "cmgt", "cmle", "cmlt"]:
    z = ", #0" if m.startswith("cm") else ""
    v(f"{m} d30, d2{z}")
    v(f"{m} d31, d0{z}")
for m in ["sqabs", "sqneg", "suqadd", "usqadd"]:
    for r in "bhsd":
        v(f"{m} {r}16, {r}2")
        v(f"{m} {r}17, {r}10")
for m in ["sqxtn", "uqxtn", "sqxtun"]:
    for (d, s) in [("b", "h"), ("h", "s"), ("s", "d")]:
        v(f"{m} {d}18, {s}2")
        v(f"{m} {d}19, {s}10")

# ---- across lanes ----
for a in ["8b", "16b", "4h", "8h", "4s"]:
    for m in ["addv", "smaxv", "sminv", "umaxv", "uminv", "saddlv", "uaddlv"]:
        r = {"8b": "b", "16b": "b", "4h": "h", "8h": "h", "4s": "s"}[a]
        if "lv" in m:
            r = {"b": "h", "h": "s", "s": "d"}[r]
        v(f"{m} {r}20, v0.{a}")
        v(f"{m} {r}21, v2.{a}")
v("addp d22, v0.2d")

# ---- shift by immediate ----
SH = {"8b": 8, "16b": 8, "4h": 16, "8h": 16, "2s": 32, "4s": 32, "2d": 64}
for a in SAME_ALL:
    e = SH[a]
    for s in sorted({1, e // 2, e - 1, e}):
        for m in ["sshr", "ushr", "ssra", "usra", "srshr", "urshr", "srsra", "ursra", "sri"]:
            v(f"{m} v20.{a}, v0.{a}, #{s}")
            v(f"{m} v21.{a}, v2.{a}, #{s}")
    for s in sorted({0, 1, e // 2, e - 1}):
        for m in ["shl", "sli", "sqshl", "uqshl", "sqshlu"]:
            v(f"{m} v22.{a}, v0.{a}, #{s}")
            v(f"{m} v23.{a}, v2.{a}, #{s}")
for s in [1, 32, 63, 64]:
    for m in ["sshr", "ushr", "ssra", "usra", "srshr", "urshr", "srsra", "ursra", "sri"]:
        v(f"{m} d24, d0, #{s}")
for s in [0, 1, 32, 63]:
    for m in ["shl", "sli"]:
        v(f"{m} d25, d0, #{s}")
for r, e in [("b", 8), ("h", 16), ("s", 32), ("d", 64)]:
    for s in sorted({0, 1, e // 2, e - 1}):
        for m in ["sqshl", "uqshl", "sqshlu"]:
            v(f"{m} {r}26, {r}0, #{s}")
            v(f"{m} {r}27, {r}2, #{s}")
for (n, w, e) in [("8b", "8h", 8), ("4h", "4s", 16), ("2s", "2d", 32)]:
    n2 = {"8b": "16b", "4h": "8h", "2s": "4s"}[n]
    for s in sorted({1, e // 2, e}):
        for m in ["shrn", "rshrn", "sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun"]:
            v(f"{m} v28.{n}, v0.{w}, #{s}")
            v(f"{m}2 v29.{n2}, v2.{w}, #{s}")
            v(f"{m}2 v29.{n2}, v10.{w}, #{s}")
    for s in sorted({0, 1, e - 1}):
        for m in ["sshll", "ushll"]:
            v(f"{m} v30.{w}, v0.{n}, #{s}")
            v(f"{m}2 v31.{w}, v2.{n2}, #{s}")
    v(f"sxtl v30.{w}, v0.{n}")
    v(f"uxtl2 v31.{w}, v0.{n2}")
for (d, s, e) in [("b", "h", 8), ("h", "s", 16), ("s", "d", 32)]:
    for sh in sorted({1, e // 2, e}):
        for m in ["sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun"]:
            v(f"{m} {d}16, {s}0, #{sh}")
            v(f"{m} {d}17, {s}2, #{sh}")

# ---- permutes, EXT, TBL/TBX ----
for a in SAME_ALL:
    for m in ["zip1", "zip2", "uzp1", "uzp2", "trn1", "trn2"]:
        v(f"{m} v20.{a}, v0.{a}, v1.{a}")
for i in [0, 1, 7]:
    v(f"ext v21.8b, v0.8b, v1.8b, #{i}")
for i in [0, 1, 8, 15]:
    v(f"ext v21.16b, v0.16b, v1.16b, #{i}")
for a in ["8b", "16b"]:
    for m in ["tbl", "tbx"]:
        v(f"{m} v22.{a}, {{v5.16b}}, v4.{a}")
        v(f"{m} v22.{a}, {{v5.16b, v6.16b}}, v4.{a}")
        v(f"{m} v22.{a}, {{v5.16b, v6.16b, v7.16b}}, v4.{a}")
        v(f"{m} v22.{a}, {{v30.16b, v31.16b, v0.16b, v1.16b}}, v4.{a}")

# ---- three different ----
LONG = [("8h", "8b", "16b"), ("4s", "4h", "8h"), ("2d", "2s", "4s")]
for (w, n, n2) in LONG:
    for m in ["saddl", "uaddl", "ssubl", "usubl", "sabal", "uabal", "sabdl", "uabdl", "smlal", "umlal",
              "smlsl", "umlsl", "smull", "umull"] + (["sqdmlal", "sqdmlsl", "sqdmull"] if w != "8h" else []):
        v(f"{m} v23.{w}, v0.{n}, v1.{n}")
        v(f"{m}2 v24.{w}, v2.{n2}, v10.{n2}")
    for m in ["saddw", "uaddw", "ssubw", "usubw"]:
        v(f"{m} v25.{w}, v0.{w}, v1.{n}")
        v(f"{m}2 v25.{w}, v0.{w}, v1.{n2}")
    for m in ["addhn", "subhn", "raddhn", "rsubhn"]:
        v(f"{m} v26.{n}, v0.{w}, v1.{w}")
        v(f"{m}2 v26.{n2}, v2.{w}, v10.{w}")
v("pmull v27.8h, v0.8b, v1.8b")
v("pmull2 v27.8h, v0.16b, v1.16b")
v("pmull v28.1q, v0.1d, v1.1d")
v("pmull2 v28.1q, v0.2d, v1.2d")
for (d, s) in [("s", "h"), ("d", "s")]:
    for m in ["sqdmlal", "sqdmlsl", "sqdmull"]:
        v(f"{m} {d}29, {s}0, {s}1")
        v(f"{m} {d}29, {s}2, {s}10")

# ---- by element ----
for (a, e, idx) in [("4h", "h", [0, 7]), ("8h", "h", [3, 5]), ("2s", "s", [0, 3]), ("4s", "s", [1, 2])]:
    mreg = "v15" if e == "h" else "v17"
    for i in idx:
        for m in ["mul", "mla", "mls", "sqdmulh", "sqrdmulh"]:
            v(f"{m} v20.{a}, v0.{a}, {mreg}.{e}[{i}]")
            v(f"{m} v21.{a}, v2.{a}, v10.{e}[{i}]")
for (w, n, n2, e, idx) in [("4s", "4h", "8h", "h", [0, 6]), ("2d", "2s", "4s", "s", [1, 3])]:
    for i in idx:
        for m in ["smull", "umull", "smlal", "umlal", "smlsl", "umlsl", "sqdmull", "sqdmlal", "sqdmlsl"]:
            v(f"{m} v22.{w}, v0.{n}, v15.{e}[{i}]")
            v(f"{m}2 v23.{w}, v2.{n2}, v10.{e}[{i}]")
for (d, s, idx) in [("s", "h", [0, 7]), ("d", "s", [1, 3])]:
    for i in idx:
        for m in ["sqdmull", "sqdmlal", "sqdmlsl"]:
            v(f"{m} {d}24, {s}0, v15.{s}[{i}]")
            v(f"{m} {d}25, {s}2, v10.{s}[{i}]")
for (r, idx) in [("h", [2, 7]), ("s", [0, 3])]:
    for i in idx:
        for m in ["sqdmulh", "sqrdmulh"]:
            v(f"{m} {r}26, {r}0, v15.{r}[{i}]")
            v(f"{m} {r}27, {r}2, v10.{r}[{i}]")

# ---- reserved encodings (UNDEFINED): raw words, checked by Unicorn too ----
UNDEF_WORDS = [
    0x0ee08400,  # ADD Vd.1D (size=11, Q=0)
    0x0ee00400,  # SHADD size=11
    0x2e209c00,  # PMUL size=00 U=1 ok -> control below uses size=01
    0x2e609c00,  # PMUL size=01: reserved
    0x0e20b400,  # SQDMULH size=00
    0x4ee0bc00 | 1 << 29,  # ADDP U=1: unallocated
    0x0ee0b800,  # ABS .1D (size=11 Q=0)
    0x4e605800,  # CNT size=01
    0x4e200800 | 2 << 22,  # REV64 size=10 ok; control
    0x4ee00800,  # REV64 size=11
    0x4e601800,  # REV16 size=01
    0x4eb1b800,  # ADDV .4S Q=1 ok; control
    0x0eb1b800,  # ADDV .2S (reserved)
    0x0f480400,  # SSHR immh=1xxx Q=0 (reserved)
    0x0f088400,  # SHRN immh=0001 ok; control
    0x0f488400,  # SHRN immh=1xxx (reserved)
    0x0ec03800,  # ZIP1 .1D (size=11 Q=0)
    0x2e004000,  # EXT Q=0 imm4=8 (reserved)
    0x0ee00000,  # SADDL size=11
    0x0ee0e000,  # PMULL size=11 ok; control
    0x0e60e000,  # PMULL size=01 reserved
    0x0f008000 | 3 << 22,  # MUL by element size=11
    0x5f000400,  # scalar SSHR immh=0000 (modified-immediate space / reserved)
    0x5f100400,  # scalar SSHR immh=0010: reserved (64-bit only)
    0x5e208400,  # scalar ADD size=00: reserved
]

def assemble(lines):
    with tempfile.TemporaryDirectory() as t:
        s = os.path.join(t, "a.s")
        o = os.path.join(t, "a.o")
        with open(s, "w") as f:
            f.write(".arch armv8-a+crypto\n")
            for l in lines:
                f.write(l + "\n")
        subprocess.run(["aarch64-linux-gnu-as", "-o", o, s], check=True)
        out = subprocess.run(["aarch64-linux-gnu-objdump", "-d", o], check=True, capture_output=True, text=True).stdout
    words = []
    for line in out.splitlines():
        m = re.match(r"\s+[0-9a-f]+:\s+([0-9a-f]{8})\s+(.*)", line)
        if m:
            words.append(int(m.group(1), 16))
    assert len(words) == len(lines), (len(words), len(lines))
    return words

BASE = 0x10000
QREGS = [UC_ARM64_REG_Q0 + i for i in range(32)]

def run(word):
    mu = Uc(UC_ARCH_ARM64, UC_MODE_ARM)
    mu.mem_map(BASE, 0x1000)
    mu.mem_write(BASE, word.to_bytes(4, "little"))
    mu.reg_write(UC_ARM64_REG_CPACR_EL1, 3 << 20)
    for i in range(32):
        mu.reg_write(QREGS[i], INIT[i])
    mu.reg_write(UC_ARM64_REG_FPSR, 0)
    try:
        mu.emu_start(BASE, BASE + 4)
    except UcError:
        return None
    if mu.reg_read(UC_ARM64_REG_PC) != BASE + 4:
        return None
    regs = [mu.reg_read(QREGS[i]) for i in range(32)]
    return regs, (mu.reg_read(UC_ARM64_REG_FPSR) >> 27) & 1

lines = [ops[0] for ops in ASM]
words = assemble(lines)
out = []
out.append("// @generated by cpu/tests/simd_int_data/gen.py: words from aarch64-linux-gnu-as,")
out.append("// expected values from Unicorn 2 running each word once from INIT. Do not edit.")
out.append("")
out.append("/// V0..V31 before every vector.")
out.append("const INIT: [u128; 32] = [")
for x in INIT:
    out.append(f"    {x:#034x},")
out.append("];")
out.append("")
out.append("/// (word, destination register, expected value, expected FPSR.QC).")
out.append("const VECTORS: &[(u32, usize, u128, bool)] = &[")
for line, w in zip(lines, words):
    r = run(w)
    assert r is not None, f"Unicorn rejected {line} ({w:#010x})"
    regs, qc = r
    changed = [i for i in range(32) if regs[i] != INIT[i]]
    d = int(re.match(r"\s*\w+\s+[vbhsdq](\d+)", line).group(1))
    assert set(changed) <= {d}, (line, changed)
    out.append(f"    ({w:#010x}, {d}, {regs[d]:#034x}, {'true' if qc else 'false'}), // {line}")
# Random words inside every simd_int.insn row: allocated ones join VECTORS, the rest
# (reserved field values, or encodings of features hypsim does not have) join UNDEF.
ROWS = []
for row in open(os.path.join(os.path.dirname(__file__), "..", "..", "src", "a64", "simd_int.insn")):
    t = row.split()
    if not t or t[0].startswith("#"):
        continue
    mask = val = 0
    pos = 32
    for tok in t[3:]:
        if ":" in tok:
            pos -= int(tok.split(":")[1])
            continue
        for ch in tok:
            pos -= 1
            mask |= (ch in "01") << pos
            val |= (ch == "1") << pos
    ROWS.append((t[0], mask, val))
for name, mask, val in ROWS:
    for _ in range(40):
        w = val | (R.getrandbits(32) & ~mask)
        r = run(w)
        if r is None:
            UNDEF_WORDS.append(w)
            continue
        regs, qc = r
        d = w & 31
        assert all(regs[i] == INIT[i] for i in range(32) if i != d), hex(w)
        out.append(f"    ({w:#010x}, {d}, {regs[d]:#034x}, {'true' if qc else 'false'}), // random {name}")
out.append("];")
out.append("")
out.append("/// Words Unicorn treats as UNDEFINED, and (as controls) allocated neighbours.")
out.append("const UNDEF: &[(u32, bool)] = &[")
for w in UNDEF_WORDS:
    r = run(w)
    out.append(f"    ({w:#010x}, {'true' if r is None else 'false'}),")
out.append("];")
open(os.environ.get("OUT", os.path.join(os.path.dirname(__file__), "vectors.rs")), "w").write("\n".join(out) + "\n")
print(len(lines), "vectors")
