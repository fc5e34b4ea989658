"""Cryptographic-extension generators for the hypsim difftest (case format
as in fpsimd.py: 9-tuples with V registers, FPCR and FPSR).

Each class picks one of its instructions uniformly, so that N cases give
about N / (number of instructions) cases per instruction (run.py's
--min-per-insn checks that), with random register numbers (aliasing of
Rd/Rn/Rm/Ra included) and random 128-bit operands.  A small share of the
cases are unallocated neighbours in the same encoding classes, which must
be UNDEFINED on both sides.

Encodings: Arm ARM C4.1.95 (the cryptographic classes of "Data Processing
-- Scalar Floating-Point and Advanced SIMD") and C7.2 (AESE ..., SHA512H,
EOR3, ...).  Never generated: FEAT_SM3 (SM3SS1, SM3TT*, SM3PARTW*) and
FEAT_SM4 (SM4E, SM4EKEY), which Unicorn's "max" CPU implements but hypsim
does not advertise (ID_AA64ISAR0_EL1.SM3/SM4 = 0), and FEAT_PMULL's
64-bit PMULL (simd_3diff leaves it out too).
"""

from fpsimd import bg_v, case

# (name, base word with all register fields zero, register fields used)
_AES_SHA = [
    ("AESE", 0x4E284800, "dn"),
    ("AESD", 0x4E285800, "dn"),
    ("AESMC", 0x4E286800, "dn"),
    ("AESIMC", 0x4E287800, "dn"),
    ("SHA1C", 0x5E000000, "dnm"),
    ("SHA1P", 0x5E001000, "dnm"),
    ("SHA1M", 0x5E002000, "dnm"),
    ("SHA1SU0", 0x5E003000, "dnm"),
    ("SHA256H", 0x5E004000, "dnm"),
    ("SHA256H2", 0x5E005000, "dnm"),
    ("SHA256SU1", 0x5E006000, "dnm"),
    ("SHA1H", 0x5E280800, "dn"),
    ("SHA1SU1", 0x5E281800, "dn"),
    ("SHA256SU0", 0x5E282800, "dn"),
]

# Cryptographic three-register SHA 512: 11001110 011 Rm 1 O 00 opcode Rn Rd
# (O = 1 is FEAT_SM3/FEAT_SM4); two-register SHA 512:
# 11001110 110 00000 1000 opcode Rn Rd (opcode 01 is SM4E).
_SHA512 = [
    ("SHA512H", 0xCE608000, "dnm"),
    ("SHA512H2", 0xCE608400, "dnm"),
    ("SHA512SU1", 0xCE608800, "dnm"),
    ("SHA512SU0", 0xCEC08000, "dn"),
]

# Cryptographic four-register: 11001110 0 Op0 Rm 0 Ra Rn Rd (Op0 = 10 is
# SM3SS1); RAX1 sits in the three-register SHA 512 class; XAR is
# 11001110 100 Rm imm6 Rn Rd.
_SHA3 = [
    ("EOR3", 0xCE000000, "dnma"),
    ("BCAX", 0xCE200000, "dnma"),
    ("RAX1", 0xCE608C00, "dnm"),
    ("XAR", 0xCE800000, "dnmi"),
]

# Unallocated words next to the allocated ones (a base plus the register
# fields that are free in it), UNDEFINED whatever the feature set:
#   AES with size != 00 or opcode 0000/1xxx; SHA two/three-register with
#   size != 00 or the unallocated opcodes (three-register 111, two-register
#   0011..11111); SHA 512 three-register O = 1 opcode 11; two-register
#   SHA 512 opcode 1x; four-register Op0 = 11.
_UNALLOC = {
    "aes_sha": [(0x4E684800, "dn"), (0x4E28C800, "dn"), (0x4E280800, "dn"),
                (0x5E007000, "dnm"), (0x5E400000, "dnm"), (0x5E283800, "dn"),
                (0x5E680800, "dn")],
    "sha512": [(0xCEC08800, "dn"), (0xCEC08C00, "dn")],
    "sha3": [(0xCE600000, "dnma"), (0xCE60CC00, "dnm")],
}


def _gen(g, table, unalloc):
    r = g.r
    if r(5) == 0:
        base, fields = g.rng.choice(unalloc)
        undef = True
    else:
        _, base, fields = g.rng.choice(table)
        undef = False
    rd, rn, rm, ra = r(5), r(5), r(5), r(5)
    # Aliased operands a quarter of the time (Rd is both read and written
    # by most of these, so Rn/Rm = Rd matters).
    k = r(3)
    if k == 0:
        rn = rd
    elif k == 1:
        rm = rd
    elif k == 2:
        rm = rn
    insn = base | rd | (rn << 5)
    if "m" in fields:
        insn |= rm << 16
    if "a" in fields:
        insn |= ra << 10
    if "i" in fields:
        # imm6: the ends (0, 1, 63) and 32 often, else uniform.
        imm = g.rng.choice((0, 1, 32, 63)) if r(2) == 0 else r(6)
        insn |= imm << 10
    v = bg_v(g)
    for n in (rd, rn, rm, ra):
        v[n] = 0 if r(5) == 0 else r(128)
    return case(g, insn, undef, v)


def crypto_aes_sha(g):
    """AESE/AESD/AESMC/AESIMC, SHA1C/P/M/SU0/H/SU1, SHA256H/H2/SU0/SU1
    (FEAT_AES, FEAT_SHA1, FEAT_SHA256); 1/32 unallocated neighbours."""
    return _gen(g, _AES_SHA, _UNALLOC["aes_sha"])


def crypto_sha512(g):
    """SHA512H/SHA512H2/SHA512SU0/SHA512SU1 (FEAT_SHA512); 1/32 unallocated
    neighbours (two-register SHA 512 opcode 1x)."""
    return _gen(g, _SHA512, _UNALLOC["sha512"])


def crypto_sha3(g):
    """EOR3/BCAX/RAX1/XAR with all imm6 (FEAT_SHA3); 1/32 unallocated
    neighbours (four-register Op0 = 11, SHA 512 three-register O = 1
    opcode 11)."""
    return _gen(g, _SHA3, _UNALLOC["sha3"])


CRYPTO = [crypto_aes_sha, crypto_sha512, crypto_sha3]
