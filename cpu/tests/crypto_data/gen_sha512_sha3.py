"""Generates the FEAT_SHA512 / FEAT_SHA3 data of cpu/tests/crypto.rs:

  * VECTORS_SHA512_SHA3: each instruction assembled by
    `aarch64-linux-gnu-as -march=armv8.2-a+sha3` (register choices with
    aliasing), run once under Unicorn (cpu model max, CPACR_EL1 = 3 << 20)
    from random and all-zero inputs;
  * K512: the SHA-512 round constants (FIPS 180-4 4.2.3), the first 64
    fraction bits of the cube roots of the first 80 primes, by exact
    integer cube root.

Run from an empty directory with scripts/.venv/bin/python; prints Rust.
"""
import random
import subprocess

from unicorn import Uc, UC_ARCH_ARM64, UC_MODE_ARM
from unicorn.arm64_const import UC_ARM64_REG_CPACR_EL1, UC_ARM64_REG_Q0, UC_CPU_ARM64_MAX

R = random.Random(20261121)
FORMS = {
    "sha512h": "sha512h q{d}, q{n}, v{m}.2d",
    "sha512h2": "sha512h2 q{d}, q{n}, v{m}.2d",
    "sha512su0": "sha512su0 v{d}.2d, v{n}.2d",
    "sha512su1": "sha512su1 v{d}.2d, v{n}.2d, v{m}.2d",
    "eor3": "eor3 v{d}.16b, v{n}.16b, v{m}.16b, v{a}.16b",
    "bcax": "bcax v{d}.16b, v{n}.16b, v{m}.16b, v{a}.16b",
    "rax1": "rax1 v{d}.2d, v{n}.2d, v{m}.2d",
    "xar0": "xar v{d}.2d, v{n}.2d, v{m}.2d, #0",
    "xar13": "xar v{d}.2d, v{n}.2d, v{m}.2d, #13",
    "xar63": "xar v{d}.2d, v{n}.2d, v{m}.2d, #63",
}
# (d, n, m, a): distinct, Rn = 31, Rd = Rn, Rd = Rm, Rn = Rm, all equal
REGS = [(1, 2, 3, 4), (0, 31, 17, 9), (5, 5, 6, 7), (7, 8, 7, 8), (9, 10, 10, 11), (4, 4, 4, 4)]

lines, meta = [], []
for name, f in FORMS.items():
    for (d, n, m, a) in REGS:
        lines.append(f.format(d=d, n=n, m=m, a=a))
        meta.append((name, d, n, m, a))
open("a.s", "w").write("\n".join(lines) + "\n")
subprocess.check_call(["aarch64-linux-gnu-as", "-march=armv8.2-a+sha3", "a.s", "-o", "a.o"])
subprocess.check_call(["aarch64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", "a.o", "a.bin"])
code = open("a.bin", "rb").read()
words = [int.from_bytes(code[i:i + 4], "little") for i in range(0, len(code), 4)]
assert len(words) == len(meta)


def run(word, regs):
    uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM)
    uc.ctl_set_cpu_model(UC_CPU_ARM64_MAX)
    uc.mem_map(0x10000, 0x1000)
    uc.mem_write(0x10000, word.to_bytes(4, "little"))
    uc.reg_write(UC_ARM64_REG_CPACR_EL1, 3 << 20)
    for r, v in regs:
        uc.reg_write(UC_ARM64_REG_Q0 + r, v)
    uc.emu_start(0x10000, 0x10004)
    return uc.reg_read(UC_ARM64_REG_Q0 + regs[0][0])


print("const VECTORS_SHA512_SHA3: &[Vector4] = &[")
for w, (name, d, n, m, a) in zip(words, meta):
    for t in range(5):
        vals = [0, 0, 0, 0] if t == 0 else [R.getrandbits(128) for _ in range(4)]
        # Written in the order d, n, m, a (a later write wins when aliased).
        want = run(w, list(zip((d, n, m, a), vals)))
        print("    // %s v%d, v%d, v%d, v%d" % (name, d, n, m, a))
        print("    (%#010x, [%d, %d, %d, %d], [%s], %#034x)," % (
            w, d, n, m, a, ", ".join("%#034x" % v for v in vals), want))
print("];")


def icbrt(n):
    x = 1 << ((n.bit_length() + 2) // 3)
    while True:
        y = (2 * x + n // (x * x)) // 3
        if y >= x:
            break
        x = y
    while x ** 3 > n:
        x -= 1
    while (x + 1) ** 3 <= n:
        x += 1
    return x


primes = [p for p in range(2, 420) if all(p % q for q in range(2, p))][:80]
K = [icbrt(p << 192) & ((1 << 64) - 1) for p in primes]
print("const K512: [u64; 80] = [")
for i in range(0, 80, 4):
    print("    " + " ".join("%#018x," % k for k in K[i:i + 4]))
print("];")
