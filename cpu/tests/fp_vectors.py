#!/usr/bin/env python3
"""Generate cpu/tests/fp_vectors.txt: scalar FP test vectors whose expected results come
from Unicorn (QEMU's Arm FP model, `max` CPU), for cpu/tests/fp.rs.

Instruction words come from Debian's aarch64-linux-gnu-as (never hand-encoded). Each case
runs one instruction with:
  V1 = 0x1111..11 (128 bits), X1 = 0x123456789abcdef0, V2/V3/V4 = inputs in the low 64
  bits with 0xaaaa.. above, X2 = integer input, NZCV and FPCR as given, FPSR = 0,
and records V1 (128 bits), X1, NZCV, FPSR afterwards.

Line format (hex, space separated):
  word fpcr nzcv_in v2 v3 v4 x2 -> v1 x1 nzcv fpsr   # asm

Usage: fp_vectors.py [N_PER_GROUP] [SEED] [OUT]
"""
import random
import struct
import subprocess
import sys
import tempfile

from unicorn import Uc, UC_ARCH_ARM64, UC_MODE_ARM
from unicorn import arm64_const as A

N = int(sys.argv[1]) if len(sys.argv) > 1 else 12
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 1
OUT = sys.argv[3] if len(sys.argv) > 3 else "cpu/tests/fp_vectors.txt"
rng = random.Random(SEED)

FMT = {"h": (5, 10), "s": (8, 23), "d": (11, 52)}


def edges(r):
    e, f = FMT[r]
    n = 1 + e + f
    sign = 1 << (n - 1)
    emax = (1 << e) - 1
    bias = (1 << (e - 1)) - 1
    one = bias << f
    inf = emax << f
    qnan = inf | 1 << (f - 1)
    v = [
        0, one, one | 1, one - 1, (bias + 1) << f, one | 1 << (f - 1),  # 0 1 1+u 1-u/2 2 1.5
        (bias - 1) << f, (bias + 1) << f | 1 << (f - 2),  # 0.5 2.5
        inf, qnan, qnan | 0x15, inf | 1, inf | 0x2a,  # inf qNaN sNaN
        1, (1 << f) - 1, 1 << (f - 1), 1 << f, (1 << f) | 1,  # denormals, min normal
        inf - 1, inf - (1 << f), (bias + f) << f, (bias + f + 1) << f | 1,
        (bias - 2) << f | 0x3, (bias + 4) << f | (1 << (f - 1)) | 1,
    ]
    if r != "h":
        for k in (31, 32, 63, 64, 52, 53, 24):
            v.append((bias + k) << f)
            v.append((bias + k - 1) << f | ((1 << f) - 1))
    out = []
    for x in v:
        out.append(x)
        out.append(x | sign)
    return out


def rand_val(r):
    e, f = FMT[r]
    n = 1 + e + f
    c = rng.random()
    if c < 0.45:
        return rng.choice(edges(r))
    if c < 0.6:
        x = rng.choice(edges(r))
        return (x + rng.choice([-1, 1, 2])) & ((1 << n) - 1)
    if c < 0.8:
        # Near 1.0 in magnitude (many rounding cases).
        bias = (1 << (e - 1)) - 1
        exp = bias + rng.randint(-4, 4)
        return rng.getrandbits(1) << (n - 1) | exp << f | rng.getrandbits(f)
    return rng.getrandbits(n)


def rand_int():
    c = rng.random()
    edge = [0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, (1 << 53) + 1, (1 << 24) + 1,
            (1 << 11) + 1, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0x7ff]
    if c < 0.4:
        return rng.choice(edge)
    if c < 0.6:
        return (1 << rng.randint(0, 63)) + rng.randint(-3, 3) & (2**64 - 1)
    if c < 0.8:
        return rng.getrandbits(rng.randint(1, 64))
    return rng.getrandbits(64)


def rand_fpcr():
    v = rng.randint(0, 3) << 22
    for b in (24, 25, 19, 26):
        if rng.random() < 0.3:
            v |= 1 << b
    return v


CONDS = ["eq", "ne", "lt", "ge", "hi", "ls", "vs", "mi"]


def groups():
    """(asm text generator, input kinds) per group."""
    g = []
    for r in "hsd":
        for op in ["fadd", "fsub", "fmul", "fdiv", "fnmul", "fmax", "fmin", "fmaxnm", "fminnm", "frecps", "frsqrts"]:
            g.append((f"{op} {r}1, {r}2, {r}3", r))
        for op in ["fmadd", "fmsub", "fnmadd", "fnmsub"]:
            g.append((f"{op} {r}1, {r}2, {r}3, {r}4", r))
        for op in ["fabs", "fneg", "fsqrt", "frintn", "frinta", "frintp", "frintm", "frintz", "frintx",
                   "frinti", "frecpe", "frsqrte", "frecpx"]:
            g.append((f"{op} {r}1, {r}2", r))
        for t in "hsd":
            if t != r:
                g.append((f"fcvt {t}1, {r}2", r))
        for op in ["fcmp", "fcmpe"]:
            g.append((f"{op} {r}2, {r}3", r))
            g.append((f"{op} {r}2, #0.0", r))
        for op in ["fccmp", "fccmpe"]:
            for c in ("eq", "ge"):
                g.append((f"{op} {r}2, {r}3, #{rng.randint(0, 15)}, {c}", r))
        g.append((f"fcsel {r}1, {r}2, {r}3, {rng.choice(CONDS)}", r))
        for rr in "wx":
            for op in ["fcvtns", "fcvtnu", "fcvtas", "fcvtau", "fcvtps", "fcvtpu", "fcvtms", "fcvtmu",
                       "fcvtzs", "fcvtzu"]:
                g.append((f"{op} {rr}1, {r}2", r))
            for op in ["fcvtzs", "fcvtzu"]:
                for fb in ((1, 16, 32) if rr == "w" else (1, 32, 64)):
                    g.append((f"{op} {rr}1, {r}2, #{fb}", r))
            for op in ["scvtf", "ucvtf"]:
                g.append((f"{op} {r}1, {rr}2", "int"))
                for fb in ((1, 16, 32) if rr == "w" else (1, 32, 64)):
                    g.append((f"{op} {r}1, {rr}2, #{fb}", "int"))
    g.append(("fjcvtzs w1, d2", "d"))
    return g


def assemble(lines):
    with tempfile.TemporaryDirectory() as d:
        open(f"{d}/a.s", "w").write("\n".join(lines) + "\n")
        subprocess.check_call(["aarch64-linux-gnu-as", "-march=armv8.3-a+fp16", f"{d}/a.s", "-o", f"{d}/a.o"])
        out = subprocess.check_output(["aarch64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", f"{d}/a.o", f"{d}/a.bin"])
        data = open(f"{d}/a.bin", "rb").read()
    return list(struct.unpack(f"<{len(lines)}I", data))


def main():
    gs = groups()
    words = assemble([a for a, _ in gs])
    mu = Uc(UC_ARCH_ARM64, UC_MODE_ARM, cpu=A.UC_CPU_ARM64_MAX)
    base = 0x10000
    mu.mem_map(base, 0x100000)
    mu.mem_write(base, b"".join(struct.pack("<I", w) for w in words))
    mu.reg_write(A.UC_ARM64_REG_CPACR_EL1, 3 << 20)
    hi = 0xAAAAAAAAAAAAAAAA << 64
    lines = []
    for i, ((asm, kind), w) in enumerate(zip(gs, words)):
        r = kind if kind != "int" else "d"
        for _ in range(N):
            fpcr = rand_fpcr()
            nzcv = rng.randint(0, 15) << 28
            v = [rand_val(r) for _ in range(3)]
            if asm.startswith(("fmadd", "fmsub", "fnm")) and r != "h" and rng.random() < 0.3:
                # Near-cancelling addend: +-(v2 * v3) computed in double, narrowed.
                fmt, ifmt = ("<d", "<Q") if r == "d" else ("<f", "<I")
                fa, fb = (struct.unpack(fmt, struct.pack(ifmt, x))[0] for x in v[:2])
                try:
                    v[2] = struct.unpack(ifmt, struct.pack(fmt, rng.choice([-1, 1]) * fa * fb))[0]
                except (OverflowError, struct.error):
                    pass
            x2 = rand_int()
            mu.reg_write(A.UC_ARM64_REG_Q1, 0x11111111111111111111111111111111)
            mu.reg_write(A.UC_ARM64_REG_X1, 0x123456789ABCDEF0)
            for k in range(3):
                mu.reg_write(A.UC_ARM64_REG_Q2 + k, hi | v[k])
            mu.reg_write(A.UC_ARM64_REG_X2, x2)
            mu.reg_write(A.UC_ARM64_REG_NZCV, nzcv)
            mu.reg_write(A.UC_ARM64_REG_FPCR, fpcr)
            mu.reg_write(A.UC_ARM64_REG_FPSR, 0)
            pc = base + 4 * i
            mu.emu_start(pc, pc + 4, count=1)
            q1 = mu.reg_read(A.UC_ARM64_REG_Q1)
            x1 = mu.reg_read(A.UC_ARM64_REG_X1)
            nz = mu.reg_read(A.UC_ARM64_REG_NZCV) & 0xF0000000
            fpsr = mu.reg_read(A.UC_ARM64_REG_FPSR)
            lines.append(f"{w:08x} {fpcr:x} {nzcv:x} {v[0]:x} {v[1]:x} {v[2]:x} {x2:x} -> {q1:x} {x1:x} {nz:x} {fpsr:x} # {asm}")
    with open(OUT, "w") as f:
        f.write("# Generated by cpu/tests/fp_vectors.py from Unicorn 2 (cpu max); see that script.\n")
        f.write("\n".join(lines) + "\n")
    print(f"{len(lines)} vectors -> {OUT}")


main()
