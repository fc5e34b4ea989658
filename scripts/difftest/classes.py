"""Random single-instruction generators for the hypsim integer A64 difftest.

Every generator takes a ``Gen`` (random source + helpers) and returns one
case as ``(insn, x, nzcv, sp, mem_seed, undef)``:

  insn      the 32-bit instruction word, placed at PC = 0x4000_0000;
  x         list of 31 register values X0..X30;
  nzcv      NZCV in bits 31:28;
  sp        SP (= SP_EL1, the CPU runs at EL1h);
  mem_seed  seed of the data page contents (splitmix64, see oracle.page);
  undef     True if the encoding is UNDEFINED per the Arm ARM (both sides
            must report an exception), False if it must complete.
            run.py checks Unicorn against this as a sanity check of the
            oracle (and of these generators).

Memory accesses are always naturally aligned to the *total* access size and
lie entirely inside the data page 0x4000_1000..0x4000_1FFF: the generator
decodes its own fields, picks the effective address first and then derives
the base (and index) register values.  When the base is SP (Rn == 31) SP
is additionally kept 16-byte aligned: SCTLR_EL1.SA is set at reset, so an
SP-based access with a misaligned SP raises an SP alignment fault on
hardware, but Unicorn (QEMU) does not implement that check.

Excluded on purpose (CONSTRAINED UNPREDICTABLE in the Arm ARM, DDI 0487,
"Architectural Constraints on UNPREDICTABLE behaviors", so two correct
implementations may legitimately differ):
  * single-register load/store with writeback and Rt == Rn, Rn != 31
    (Unpredictable_WBOVERLAPLD / Unpredictable_WBOVERLAPST);
  * load/store pair with writeback and Rt == Rn or Rt2 == Rn, Rn != 31
    (same constraints), and any load pair (LDP, LDNP, LDPSW) with
    Rt == Rt2 (Unpredictable_LDPOVERLAP);
  * LDXP/LDAXP with Rt == Rt2 (Unpredictable_LDPOVERLAP);
  * STXR/STLXR with Rs == Rt or Rs == Rn, Rn != 31, and STXP/STLXP with
    Rs == Rt, Rs == Rt2 or Rs == Rn, Rn != 31 (Unpredictable_DATAOVERLAP
    / Unpredictable_BASEOVERLAP);
  * should-be-one fields (Rs/Rt2 of LDXR/LDAR/STLR/CAS, Ra of SMULH/UMULH)
    are always 11111: other values are CONSTRAINED UNPREDICTABLE;
  * misaligned accesses: with the MMU off all data accesses are to Device
    memory and must be aligned on hardware; Unicorn only checks alignment
    for exclusives/atomics;
  * encodings that newer extensions allocate (MTE ADDG/SUBG/STGP/SUBP/IRG,
    PAC, CSSC, BC.cond, ...) are never produced: whether they are UNDEFINED
    depends on the implemented feature set.
"""

import random

from oracle import DATA, M64, PAGE, PC0, page

EDGE = [
    0, 1, 2, 3, M64, M64 - 1, 1 << 63, (1 << 63) - 1, (1 << 63) + 1,
    0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x8000_0001,
    0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_7FFF_FFFF, 0xFFFF_FFFF_0000_0000,
    0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
    31, 32, 63, 64, 0xFFFF_FFFF_FFFF_FF80, 0x5555_5555_5555_5555,
    0xAAAA_AAAA_AAAA_AAAA, 0x0123_4567_89AB_CDEF,
]


def sext(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


class Gen:
    """Random source plus the helpers the class generators share."""

    def __init__(self, rng):
        self.rng = rng
        self.r = rng.getrandbits
        self.seeds = [rng.getrandbits(64) for _ in range(256)]
        # Background register files: every case starts from one of these
        # and then sets the registers its instruction reads.
        self.bgs = [[self.val() for _ in range(31)] for _ in range(128)]
        # Background V register files (FP edge patterns and integer lanes).
        import fpsimd
        self._fpsimd = fpsimd
        self.vbgs = [[fpsimd.vreg_val(self) for _ in range(32)] for _ in range(64)]

    def full_case(self, c):
        """Complete a case to the protocol v2 form
        (insn, x, nzcv, sp, mem_seed, undef, v (512 bytes), fpcr, fpsr).
        Integer classes return 6-tuples: they get a random background V
        file and random FPCR/FPSR, which must come back unchanged."""
        if len(c) == 6:
            f = self._fpsimd
            c = c + (f.bg_v(self), f.fpcr(self), f.fpsr(self))
        v = c[6]
        if not isinstance(v, (bytes, bytearray)):
            v = b"".join((e & ((1 << 128) - 1)).to_bytes(16, "little") for e in v)
        return c[:6] + (v,) + c[7:]

    def val(self):
        """A 64-bit register value biased towards edge cases."""
        r = self.rng.random()
        if r < 0.30:
            return self.rng.choice(EDGE)
        if r < 0.42:
            return (self.r(9) - 256) & M64                      # small +/-
        if r < 0.55:                                            # 32-bit-ish
            v = self.r(32)
            return v | (self.r(32) << 32) if self.r(1) else v
        if r < 0.62:                                            # bit patterns
            k = self.r(6)
            return [1 << k, (1 << k) - 1, M64 ^ (1 << k), M64 << k & M64][self.r(2)]
        return self.r(64)

    def x(self):
        return list(self.rng.choice(self.bgs))

    def reg(self):
        """Register field: 31 (SP/ZR) more often than uniform."""
        return 31 if self.r(3) == 0 else self.r(5)

    def nzcv(self):
        return self.r(4) << 28

    def seed(self):
        return self.seeds[self.r(8)]

    def cond(self):
        return self.r(4)

    # -- memory placement ----------------------------------------------

    def addr(self, align, residue=0):
        """Random address inside the data page, addr % 16 == residue when
        residue is given modulo 16 (then align must divide 16); aligned to
        `align`; the first/last slot of the page come up often."""
        if residue:
            k = PAGE // 16
            i = self.rng.choice((0, k - 1)) if self.r(3) == 0 else self.rng.randrange(k)
            return DATA + 16 * i + residue
        k = PAGE // align
        i = self.rng.choice((0, k - 1)) if self.r(3) == 0 else self.rng.randrange(k)
        return DATA + align * i

    def place(self, total, off, rn, post=False):
        """Choose (addr, base) for an access of `total` bytes aligned to
        `total` at base + off (pre-index/offset) or base (post-index).
        Rn == 31 (SP): the base is also kept 16-byte aligned.
        Returns None when off makes that impossible."""
        if post:
            addr = self.addr(max(total, 16) if rn == 31 else total)
            return addr, addr
        if rn == 31:
            if off % total:
                return None
            addr = self.addr(total, off % 16) if off % 16 else self.addr(16)
        else:
            addr = self.addr(total)
        return addr, (addr - off) & M64

    def mem(self, seed, addr, size):
        p = page(seed)[0]
        o = addr - DATA
        return int.from_bytes(p[o:o + size], "little")


def _retry(fn):
    """Generators may return None to re-roll a combination they reject."""
    def wrapped(g):
        while True:
            c = fn(g)
            if c is not None:
                return c
    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


# ==========================================================================
# Data processing -- immediate
# ==========================================================================

def addsub_imm(g):
    """ADD/ADDS/SUB/SUBS (immediate).
    sf[31] op[30] S[29] 100010[28:23] sh[22] imm12[21:10] Rn[9:5] Rd[4:0].
    Rn = 31 is SP; Rd = 31 is SP for ADD/SUB, XZR for ADDS/SUBS (CMN/CMP).
    Bit 23 = 1 would be ADDG/SUBG (MTE): never generated."""
    r = g.r
    sf, op, s, sh = r(1), r(1), r(1), r(1)
    imm12 = g.rng.choice((0, 1, 0xFFF, 0x800)) if r(3) == 0 else r(12)
    rn, rd = g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    insn = (sf << 31) | (op << 30) | (s << 29) | 0x1100_0000 | (sh << 22) | (imm12 << 10) | (rn << 5) | rd
    return insn, x, g.nzcv(), g.val(), g.seed(), False


def _bitmask_valid(n, imms, sf):
    """DecodeBitMasks(immediate=TRUE) + the sf/N check of logical (imm)."""
    if sf == 0 and n:
        return False                       # 32-bit with N = 1: UNDEFINED
    v = (n << 6) | (~imms & 0x3F)
    ln = v.bit_length() - 1                # HighestSetBit(N:NOT(imms))
    if ln < 1:
        return False                       # len < 1: UNDEFINED
    levels = (1 << ln) - 1
    return (imms & levels) != levels       # S == levels (all ones): UNDEFINED


def logical_imm(g):
    """AND/ORR/EOR/ANDS (immediate).
    sf[31] opc[30:29] 100100[28:23] N[22] immr[21:16] imms[15:10] Rn Rd.
    Half the cases build a valid bitmask (element size e, ones count s,
    rotation immr); the other half are random N:immr:imms, which includes
    the UNDEFINED ones (sf=0 with N=1, len < 1, all-ones element).
    Rd = 31 is SP except for ANDS (XZR); Rn = 31 is XZR."""
    r = g.r
    sf, opc = r(1), r(2)
    if r(1):
        esize = g.rng.choice((2, 4, 8, 16, 32, 64) if sf else (2, 4, 8, 16, 32))
        ones = 1 + g.rng.randrange(esize - 1)
        n = 1 if esize == 64 else 0
        imms = ((~(2 * esize - 1)) & 0x3F) | (ones - 1)
        if esize == 64:
            imms = ones - 1
        immr = r(6)
    else:
        n, immr, imms = r(1), r(6), r(6)
    rn, rd = g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    insn = (sf << 31) | (opc << 29) | 0x1200_0000 | (n << 22) | (immr << 16) | (imms << 10) | (rn << 5) | rd
    return insn, x, g.nzcv(), g.val(), g.seed(), not _bitmask_valid(n, imms, sf)


def movewide(g):
    """MOVN/MOVZ/MOVK.
    sf[31] opc[30:29] 100101[28:23] hw[22:21] imm16[20:5] Rd[4:0].
    opc = 01 is unallocated; sf = 0 with hw >= 2 is UNDEFINED (both are
    generated now and then).  MOVK reads Rd; Rd = 31 is XZR."""
    r = g.r
    sf = r(1)
    opc = 1 if r(5) == 0 else g.rng.choice((0, 2, 3))
    hw = r(2) if (sf or r(3) == 0) else r(1)
    imm16 = g.rng.choice((0, 0xFFFF, 0x8000, 1)) if r(2) == 0 else r(16)
    rd = g.reg()
    x = g.x()
    x[rd % 31] = g.val()
    insn = (sf << 31) | (opc << 29) | 0x1280_0000 | (hw << 21) | (imm16 << 5) | rd
    undef = opc == 1 or (sf == 0 and hw >= 2)
    return insn, x, g.nzcv(), g.val(), g.seed(), undef


def bitfield(g):
    """SBFM/BFM/UBFM (all aliases: ASR/LSL/LSR/SXT*/UXT*/BFI/BFXIL/...).
    sf[31] opc[30:29] 100110[28:23] N[22] immr[21:16] imms[15:10] Rn Rd.
    Valid: opc != 11, N == sf, and for sf = 0 immr < 32 and imms < 32.
    One case in eight has random opc/N/immr/imms, most of which break one
    of these (UNDEFINED).  BFM reads Rd."""
    r = g.r
    sf = r(1)
    if r(3) == 0:
        opc, n, immr, imms = r(2), r(1), r(6), r(6)      # anything goes
    else:
        opc, n = g.rng.choice((0, 1, 2)), sf
        w = 6 if sf else 5
        immr, imms = r(w), r(w)
        if r(2) == 0:                                    # common aliases
            imms = g.rng.choice((7, 15, 31, 63)) & ((1 << w) - 1)
    rn, rd = g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rd % 31] = g.val()
    insn = (sf << 31) | (opc << 29) | 0x1300_0000 | (n << 22) | (immr << 16) | (imms << 10) | (rn << 5) | rd
    undef = opc == 3 or n != sf or (sf == 0 and (immr >= 32 or imms >= 32))
    return insn, x, g.nzcv(), g.val(), g.seed(), undef


def extr(g):
    """EXTR (and its ROR-immediate alias when Rn == Rm).
    sf[31] 00[30:29] 100111[28:23] N[22] 0[21] Rm imms[15:10] Rn Rd.
    N != sf, or sf = 0 with imms >= 32, is UNDEFINED (generated sometimes)."""
    r = g.r
    sf = r(1)
    n = sf ^ 1 if r(4) == 0 else sf
    imms = r(6) if (sf or r(3) == 0) else r(5)
    rn, rd = g.reg(), g.reg()
    rm = rn if r(2) == 0 else g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rm % 31] = g.val() if rm != rn else x[rm % 31]
    insn = (sf << 31) | 0x1380_0000 | (n << 22) | (rm << 16) | (imms << 10) | (rn << 5) | rd
    undef = n != sf or (sf == 0 and imms >= 32)
    return insn, x, g.nzcv(), g.val(), g.seed(), undef


def adr_adrp(g):
    """ADR/ADRP.  op[31] immlo[30:29] 10000[28:24] immhi[23:5] Rd.
    Rd = 31 is XZR."""
    r = g.r
    op = r(1)
    imm = g.rng.choice((0, 1, 0xFFFFF, 0x100000, 0x1FFFFF)) if r(3) == 0 else r(21)
    insn = (op << 31) | ((imm & 3) << 29) | 0x1000_0000 | ((imm >> 2) << 5) | g.reg()
    return insn, g.x(), g.nzcv(), g.val(), g.seed(), False


# ==========================================================================
# Data processing -- register
# ==========================================================================

def addsub_shifted(g):
    """ADD/ADDS/SUB/SUBS (shifted register).
    sf op S 01011[28:24] shift[23:22] 0[21] Rm imm6[15:10] Rn Rd.
    shift = 11 (reserved) and, for sf = 0, imm6 >= 32 are UNDEFINED and
    generated now and then.  All of Rd/Rn/Rm = 31 are XZR."""
    r = g.r
    sf, op, s = r(1), r(1), r(1)
    shift = 3 if r(4) == 0 else g.rng.choice((0, 1, 2))
    imm6 = r(6) if (sf or r(3) == 0) else r(5)
    rn, rm, rd = g.reg(), g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rm % 31] = g.val()
    insn = (sf << 31) | (op << 30) | (s << 29) | 0x0B00_0000 | (shift << 22) | (rm << 16) | (imm6 << 10) | (rn << 5) | rd
    undef = shift == 3 or (sf == 0 and imm6 >= 32)
    return insn, x, g.nzcv(), g.val(), g.seed(), undef


def addsub_extended(g):
    """ADD/ADDS/SUB/SUBS (extended register).
    sf op S 01011[28:24] 00[23:22] 1[21] Rm option[15:13] imm3[12:10] Rn Rd.
    All 8 extend options (UXTB..SXTX); imm3 0..4 valid, 5..7 UNDEFINED.
    Rn = 31 is SP, Rd = 31 is SP (XZR for ADDS/SUBS), Rm = 31 is XZR."""
    r = g.r
    sf, op, s = r(1), r(1), r(1)
    option = r(3)
    imm3 = r(3) if r(3) == 0 else g.rng.randrange(5)
    rn, rm, rd = g.reg(), g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rm % 31] = g.val()
    insn = (sf << 31) | (op << 30) | (s << 29) | 0x0B20_0000 | (rm << 16) | (option << 13) | (imm3 << 10) | (rn << 5) | rd
    return insn, x, g.nzcv(), g.val(), g.seed(), imm3 > 4


def logical_shifted(g):
    """AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register).
    sf opc[30:29] 01010[28:24] shift[23:22] N[21] Rm imm6 Rn Rd.
    All four shifts incl. ROR; sf = 0 with imm6 >= 32 is UNDEFINED."""
    r = g.r
    sf, opc, n, shift = r(1), r(2), r(1), r(2)
    imm6 = r(6) if (sf or r(3) == 0) else r(5)
    rn, rm, rd = g.reg(), g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rm % 31] = g.val()
    insn = (sf << 31) | (opc << 29) | 0x0A00_0000 | (shift << 22) | (n << 21) | (rm << 16) | (imm6 << 10) | (rn << 5) | rd
    return insn, x, g.nzcv(), g.val(), g.seed(), sf == 0 and imm6 >= 32


def adc_sbc(g):
    """ADC/ADCS/SBC/SBCS.  sf op S 11010000[28:21] Rm 000000 Rn Rd."""
    r = g.r
    sf, op, s = r(1), r(1), r(1)
    rn, rm, rd = g.reg(), g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rm % 31] = g.val()
    insn = (sf << 31) | (op << 30) | (s << 29) | 0x1A00_0000 | (rm << 16) | (rn << 5) | rd
    return insn, x, g.nzcv(), g.val(), g.seed(), False


def flagm(g):
    """FEAT_FlagM: CFINV, RMIF, SETF8, SETF16; FEAT_FlagM2: XAFLAG, AXFLAG.
    CFINV  1101 0101 0000 0000 0100 0000 0001 1111 (0xD500401F)
    XAFLAG 1101 0101 0000 0000 0100 0000 0011 1111 (0xD500403F)
    AXFLAG 1101 0101 0000 0000 0100 0000 0101 1111 (0xD500405F)
    RMIF   1 0 1 11010000 imm6[20:15] 00001 Rn 0 mask[3:0]
    SETF8  0 0 1 11010000 000000 sz=0[14] 0010 Rn 0 1101 (SETF16: sz=1)
    Rn = 31 is XZR/WZR.  The six instructions uniformly; NZCV is random, so
    XAFLAG/AXFLAG see all 16 flag states.  (XAFLAG/AXFLAG with CRm != 0
    are CONSTRAINED UNPREDICTABLE: not generated.)"""
    r = g.r
    k = g.rng.randrange(6)
    rn = g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    if k == 0:
        insn = 0xD500_401F
    elif k == 1:
        insn = 0xBA00_0400 | (r(6) << 15) | (rn << 5) | r(4)
    elif k <= 3:
        insn = 0x3A00_080D | ((k & 1) << 14) | (rn << 5)
    else:
        insn = 0xD500_401F | ((k - 3) << 5)
    return insn, x, g.nzcv(), g.val(), g.seed(), False


def condsel(g):
    """CSEL/CSINC/CSINV/CSNEG (all 16 conditions incl. AL/NV).
    sf op[30] 0 11010100[28:21] Rm cond[15:12] op2[11:10] Rn Rd."""
    r = g.r
    sf, op, op2 = r(1), r(1), r(1)
    rn, rm, rd = g.reg(), g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rm % 31] = g.val()
    insn = (sf << 31) | (op << 30) | 0x1A80_0000 | (rm << 16) | (g.cond() << 12) | (op2 << 10) | (rn << 5) | rd
    return insn, x, g.nzcv(), g.val(), g.seed(), False


def condcmp(g):
    """CCMN/CCMP, register and immediate forms.
    sf op[30] 1 11010010[28:21] Rm|imm5[20:16] cond[15:12] imm[11] 0 Rn 0 nzcv[3:0]."""
    r = g.r
    sf, op, imm = r(1), r(1), r(1)
    rn, rm = g.reg(), (r(5) if imm else g.reg())
    x = g.x()
    x[rn % 31] = g.val()
    if not imm:
        x[rm % 31] = x[rn % 31] if r(2) == 0 else g.val()
    insn = (sf << 31) | (op << 30) | 0x3A40_0000 | (rm << 16) | (g.cond() << 12) | (imm << 11) | (rn << 5) | r(4)
    return insn, x, g.nzcv(), g.val(), g.seed(), False


def dp1(g):
    """RBIT, REV16, REV32, REV, CLZ, CLS (32- and 64-bit).
    sf 1 0 11010110[28:21] 00000[20:16] opcode[15:10] Rn Rd.
    opcode 0 RBIT, 1 REV16, 2 REV (sf=0) / REV32 (sf=1), 3 REV (sf=1),
    4 CLZ, 5 CLS.  sf = 0 with opcode 3 is unallocated (generated rarely).
    Other opcodes (PAC, FEAT_CSSC ABS/CNT/CTZ) are not generated."""
    r = g.r
    sf = r(1)
    opcode = g.rng.randrange(6)
    if sf == 0 and opcode == 3 and r(2):
        opcode = 2
    rn, rd = g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    insn = (sf << 31) | 0x5AC0_0000 | (opcode << 10) | (rn << 5) | rd
    return insn, x, g.nzcv(), g.val(), g.seed(), sf == 0 and opcode == 3


_DP2_OPS = (2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23)


def dp2(g):
    """UDIV/SDIV, LSLV/LSRV/ASRV/RORV, CRC32{B,H,W,X}, CRC32C{B,H,W,X}.
    sf 0 0 11010110[28:21] Rm opcode[15:10] Rn Rd.
    CRC32*: opcode = 010 C sz; CRC32X/CX need sf = 1, the others sf = 0;
    a mismatch is UNDEFINED (kept in ~1/8 of the CRC cases).
    Divisors 0, 1 and -1 and dividend INT_MIN are frequent."""
    r = g.r
    opcode = g.rng.choice(_DP2_OPS)
    if opcode >= 16:
        sf = int((opcode & 3) == 3)
        if r(3) == 0:
            sf ^= 1
    else:
        sf = r(1)
    rn, rm, rd = g.reg(), g.reg(), g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rm % 31] = g.val()
    if opcode in (2, 3):
        if r(2) == 0:
            x[rm % 31] = g.rng.choice((0, 1, M64, 0xFFFF_FFFF, 0x1_0000_0000))
        if r(3) == 0:
            x[rn % 31] = g.rng.choice((1 << 63, 0x8000_0000, 0xFFFF_FFFF_8000_0000))
    insn = (sf << 31) | 0x1AC0_0000 | (rm << 16) | (opcode << 10) | (rn << 5) | rd
    undef = opcode >= 16 and sf != int((opcode & 3) == 3)
    return insn, x, g.nzcv(), g.val(), g.seed(), undef


def dp3(g):
    """MADD/MSUB, SMADDL/SMSUBL, UMADDL/UMSUBL, SMULH, UMULH.
    sf 00[30:29] 11011[28:24] op31[23:21] Rm o0[15] Ra[14:10] Rn Rd.
    op31 000 MADD/MSUB, 001 SMADDL/SMSUBL, 010 SMULH, 101 UMADDL/UMSUBL,
    110 UMULH.  The long/high forms need sf = 1: sf = 0 is UNDEFINED
    (generated now and then).  SMULH/UMULH: o0 = 0 and Ra = 11111
    (should-be-one; other values are CONSTRAINED UNPREDICTABLE)."""
    r = g.r
    op31 = g.rng.choice((0, 0, 1, 2, 5, 6))
    sf = 1 if op31 else r(1)
    if op31 and r(4) == 0:
        sf = 0
    o0 = 0 if op31 in (2, 6) else r(1)
    rn, rm, rd = g.reg(), g.reg(), g.reg()
    ra = 31 if op31 in (2, 6) else g.reg()
    x = g.x()
    x[rn % 31] = g.val()
    x[rm % 31] = g.val()
    x[ra % 31] = g.val()
    insn = (sf << 31) | 0x1B00_0000 | (op31 << 21) | (rm << 16) | (o0 << 15) | (ra << 10) | (rn << 5) | rd
    return insn, x, g.nzcv(), g.val(), g.seed(), sf == 0 and op31 != 0


# ==========================================================================
# Branches
# ==========================================================================

def _target(g):
    """A 4-byte aligned 64-bit branch target register value."""
    k = g.r(2)
    if k == 0:
        v = PC0 + 4 * (g.r(12) - 2048)
    elif k == 1:
        v = g.rng.choice(EDGE)
    else:
        v = g.val()
    return v & (M64 ^ 3)


def branch(g):
    """B, BL, B.cond (all conditions), CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET.
    B/BL:    op[31] 00101 imm26
    B.cond:  0101010 0 imm19 0 cond        (bit 4 = 1 is BC.cond: not generated)
    CBZ/NZ:  sf 011010 op imm19 Rt
    TBZ/NZ:  b5 011011 op b40[23:19] imm14 Rt
    BR/BLR/RET: 1101011 0 0 opc[22:21] 11111 000000 Rn 00000
    Targets land anywhere; only PC, X30 and the rest of the register file
    are compared.  Register targets are 4-byte aligned (a misaligned PC
    faults on the *next* fetch, which is outside this test).  Rn = 31 of
    BR/BLR/RET is XZR (target 0)."""
    r = g.r
    k = r(3)
    x = g.x()
    if k == 0:
        insn = (r(1) << 31) | 0x1400_0000 | r(26)
    elif k == 1:
        imm19 = r(19) if r(1) else (r(8) - 128) & 0x7FFFF
        insn = 0x5400_0000 | (imm19 << 5) | g.cond()
    elif k in (2, 3):
        rt = g.reg()
        x[rt % 31] = g.rng.choice((0, 0x1_0000_0000, 1 << 63)) if r(1) else g.val()
        insn = (r(1) << 31) | 0x3400_0000 | (r(1) << 24) | (r(19) << 5) | rt
    elif k in (4, 5):
        rt = g.reg()
        x[rt % 31] = g.val()
        insn = 0x3600_0000 | (r(1) << 31) | (r(1) << 24) | (r(5) << 19) | (r(14) << 5) | rt
    else:
        opc = g.rng.choice((0, 1, 2))               # BR, BLR, RET
        rn = 30 if (opc == 2 and r(1)) else g.reg()
        x[rn % 31] = _target(g)
        insn = 0xD61F_0000 | (opc << 21) | (rn << 5)
    return insn, x, g.nzcv(), g.val(), g.seed(), False


# ==========================================================================
# Loads and stores
# ==========================================================================

# (size, opc) of the integer load/store register forms: total bytes,
# whether it is a load, a store, a prefetch, or unallocated.
def _ldst_kind(size, opc):
    if opc == 3 and size >= 2:
        return "undef"                      # LDRSW-like with opc 11, or size 11 opc 11
    if size == 3 and opc == 2:
        return "prfm"
    return "store" if opc == 0 else "load"


def _simm(g, bits):
    v = g.r(bits) - (1 << (bits - 1))
    if g.r(3) == 0:
        v = g.rng.choice((0, 1, -1, (1 << (bits - 1)) - 1, -(1 << (bits - 1))))
    return v


@_retry
def ldst_uimm(g):
    """LDR/STR (unsigned offset), all sizes incl. LDRSB/LDRSH/LDRSW (to W
    and X) and PRFM.
    size[31:30] 111 0 01 opc[23:22] imm12[21:10] Rn Rt; offset = imm12 << size.
    size 1x with opc 11 (and size 11 opc 11) is unallocated: generated now
    and then.  Rt == Rn is fine (no writeback).  Rn = 31 is SP, Rt = 31 XZR."""
    r = g.r
    size, opc = r(2), r(2)
    kind = _ldst_kind(size, opc)
    if kind == "undef" and r(2):
        return None
    imm12 = r(12) if r(1) else r(6)
    rn, rt = g.reg(), g.reg()
    total = 1 << size
    pl = g.place(total, imm12 << size, rn)
    if pl is None:
        return None
    x = g.x()
    sp = g.val()
    x[rt % 31] = g.val()
    if rn == 31:
        sp = pl[1]
    else:
        x[rn] = pl[1]
    insn = (size << 30) | 0x3900_0000 | (opc << 22) | (imm12 << 10) | (rn << 5) | rt
    return insn, x, g.nzcv(), sp, g.seed(), kind == "undef"


@_retry
def ldst_imm9(g):
    """LDUR/STUR/PRFUM (unscaled), post-index, pre-index and unprivileged
    LDTR/STTR, all sizes incl. sign-extending loads.
    size 111 0 00 opc 0 imm9[20:12] op2[11:10] Rn Rt;
    op2 00 unscaled, 01 post-index, 10 unprivileged, 11 pre-index.
    Unallocated: size 1x opc 11; size 11 opc 10 except PRFUM (generated now
    and then).  Writeback with Rt == Rn != 31 is excluded (CONSTRAINED
    UNPREDICTABLE).  LDTR/STTR at EL1 with the MMU off act as plain accesses."""
    r = g.r
    size, opc, op2 = r(2), r(2), r(2)
    kind = _ldst_kind(size, opc)
    if kind == "prfm" and op2 != 0:
        kind = "undef"
    if kind == "undef" and r(2):
        return None
    total = 1 << size
    rn, rt = g.reg(), g.reg()
    wback = op2 in (1, 3)
    if wback and rt == rn and rn != 31 and kind != "undef":
        return None                                # CONSTRAINED UNPREDICTABLE
    imm9 = _simm(g, 9)
    if rn == 31 and op2 != 1:
        imm9 -= imm9 % total                       # keep SP 16-byte aligned
    pl = g.place(total, 0 if op2 == 1 else imm9, rn, post=op2 == 1)
    if pl is None:
        return None
    x = g.x()
    sp = g.val()
    x[rt % 31] = g.val()
    if rn == 31:
        sp = pl[1]
    else:
        x[rn] = pl[1]
    insn = (size << 30) | 0x3800_0000 | (opc << 22) | ((imm9 & 0x1FF) << 12) | (op2 << 10) | (rn << 5) | rt
    return insn, x, g.nzcv(), sp, g.seed(), kind == "undef"


_EXTENDS = {2: "uxtw", 3: "lsl", 6: "sxtw", 7: "sxtx"}


def _extend(v, option):
    if option == 2:
        return v & 0xFFFF_FFFF
    if option == 6:
        return sext(v, 32) & M64
    return v


@_retry
def ldst_regoff(g):
    """LDR/STR/PRFM (register offset), all sizes and extend options.
    size 111 0 00 opc 1 Rm option[15:13] S[12] 10 Rn Rt;
    offset = ExtendReg(Rm, option) << (S ? size : 0).
    option<1> == 0 (UXTB/UXTH/SXTB/SXTH) is UNDEFINED: generated now and
    then.  The index register value is random (incl. garbage in the upper
    half for the W extends); the base is derived from it.  Rm == Rn is
    handled by solving base + (ext(base) << s) == address.  Rm = 31 is XZR."""
    r = g.r
    size, opc = r(2), r(2)
    kind = _ldst_kind(size, opc)
    option = g.rng.choice((2, 3, 6, 7))
    if r(4) == 0:
        option = g.rng.choice((0, 1, 4, 5))
        kind = "undef"
    if kind == "undef" and r(1):
        return None
    s = r(1)
    shift = size if s else 0
    total = 1 << size
    rn, rt, rm = g.reg(), g.reg(), g.reg()
    if r(3) == 0:
        rm = rn
    x = g.x()
    sp = g.val()
    x[rt % 31] = g.val()
    if rm == rn and rn != 31:
        # base == index: solve base + (ext(base) << shift) == addr.
        if option in (3, 7):
            if shift == 0:
                addr = g.addr(max(total, 2))
                base = (addr >> 1) | ((r(1) << 63))
            else:
                addr = g.addr(total)
                base = (addr * pow(1 + (1 << shift), -1, 1 << 64)) & M64
        else:
            mul = 1 + (1 << shift)
            for _ in range(1000):
                addr = g.addr(total)
                if addr % mul == 0:
                    break
            else:
                return None
            base = addr // mul
        x[rn] = base
    else:
        idx = 0 if rm == 31 else g.val()
        if rn == 31 and shift == 0:
            idx &= M64 ^ (total - 1)               # keep SP 16-byte aligned
        off = (_extend(idx, option) << shift) & M64
        pl = g.place(total, off, rn)
        if pl is None:
            return None
        if rm != 31:
            x[rm] = idx
        if rn == 31:
            sp = pl[1]
        else:
            x[rn] = pl[1]
    insn = (size << 30) | 0x3820_0800 | (opc << 22) | (rm << 16) | (option << 13) | (s << 12) | (rn << 5) | rt
    return insn, x, g.nzcv(), sp, g.seed(), kind == "undef"


def ldr_literal(g):
    """LDR (literal) W/X, LDRSW (literal), PRFM (literal).
    opc[31:30] 011 0 00 imm19 Rt; address = PC + imm19 * 4.
    imm19 is chosen so that the (aligned) target lies in the data page;
    PRFM gets any imm19 (it never accesses memory)."""
    r = g.r
    opc = r(2)
    rt = g.reg()
    if opc == 3 and r(1):
        imm19 = r(19)
    else:
        total = 8 if opc == 1 else 4
        imm19 = (g.addr(total) - PC0) >> 2
    x = g.x()
    insn = (opc << 30) | 0x1800_0000 | (imm19 << 5) | rt
    return insn, x, g.nzcv(), g.val(), g.seed(), False


@_retry
def ldst_pair(g):
    """STP/LDP/LDPSW/STNP/LDNP: signed offset, pre-index, post-index (and
    the no-allocate offset form), 32- and 64-bit.
    opc[31:30] 101 0 mode[25:23] L[22] imm7[21:15] Rt2 Rn Rt;
    mode 000 STNP/LDNP, 001 post, 010 offset, 011 pre; opc 00 W, 01 LDPSW
    (L=1 only: opc 01 L 0 is STGP of MTE), 10 X.  offset = imm7 * 4|8;
    the total (8 or 16 bytes) is aligned.  Excluded (CONSTRAINED
    UNPREDICTABLE): load with Rt == Rt2; writeback with Rt or Rt2 == Rn != 31."""
    r = g.r
    opc = g.rng.choice((0, 1, 2, 2))
    load = 1 if opc == 1 else r(1)
    mode = 1 + g.rng.randrange(3) if opc == 1 else g.rng.randrange(4)
    esize = 8 if opc == 2 else 4
    total = 2 * esize
    rn, rt, rt2 = g.reg(), g.reg(), g.reg()
    if load and rt == rt2:
        return None
    wback = mode in (1, 3)
    if wback and rn != 31 and (rt == rn or rt2 == rn):
        return None
    imm7 = _simm(g, 7)
    if rn == 31 and mode != 1:
        imm7 &= ~1          # SP 16-aligned and address aligned to 2*esize
    off = imm7 * esize
    pl = g.place(total, 0 if mode == 1 else off, rn, post=mode == 1)
    if pl is None:
        return None
    x = g.x()
    sp = g.val()
    x[rt % 31] = g.val()
    x[rt2 % 31] = g.val()
    if rn == 31:
        sp = pl[1]
    else:
        x[rn] = pl[1]
    insn = (opc << 30) | 0x2800_0000 | (mode << 23) | (load << 22) | ((imm7 & 0x7F) << 15) | (rt2 << 10) | (rn << 5) | rt
    return insn, x, g.nzcv(), sp, g.seed(), False


def _base(g, x, rn, total):
    """Base-register-only addressing (exclusives, acquire/release, atomics):
    address = base, aligned to `total`, SP 16-byte aligned when Rn = 31."""
    addr = g.addr(max(total, 16) if rn == 31 else total)
    if rn == 31:
        return addr, addr
    x[rn] = addr
    return addr, g.val()


@_retry
def exclusive(g):
    """LDXR/LDAXR/STXR/STLXR (B/H/W/X) and LDXP/LDAXP/STXP/STLXP (W/X pairs).
    size 001000 o2=0 L o1 Rs o0 Rt2 Rn Rt; o1 = 1 selects the pair forms
    (size 1x only: size 0x with o1 = 1 is CASP).
    Each case is a lone instruction with the exclusive monitor clear: a
    store-exclusive fails, writes 1 to Ws and leaves memory alone; a
    load-exclusive just loads.  Loads: Rs = 11111 and (non-pair) Rt2 = 11111
    (should-be-one).  Excluded (CONSTRAINED UNPREDICTABLE): LDXP with
    Rt == Rt2; STXR with Rs == Rt or Rs == Rn != 31; STXP with Rs == Rt,
    Rs == Rt2 or Rs == Rn != 31."""
    r = g.r
    pair = r(2) == 0
    size = 2 + r(1) if pair else r(2)
    load, o0 = r(1), r(1)
    total = (2 if pair else 1) << size
    rn, rt = g.reg(), g.reg()
    rt2 = g.reg() if pair else 31
    rs = 31 if load else g.reg()
    if pair and load and rt == rt2:
        return None
    if not load and (rs == rt or (pair and rs == rt2) or (rs == rn and rn != 31)):
        return None
    x = g.x()
    x[rt % 31] = g.val()
    x[rt2 % 31] = g.val()
    x[rs % 31] = g.val()
    _, sp = _base(g, x, rn, total)
    insn = (size << 30) | 0x0800_0000 | (load << 22) | (pair << 21) | (rs << 16) | (o0 << 15) | (rt2 << 10) | (rn << 5) | rt
    return insn, x, g.nzcv(), sp, g.seed(), False


@_retry
def acqrel(g):
    """Load-acquire / store-release:
    LDAR/STLR/LDLAR/STLLR (B/H/W/X): size 001000 1 L 0 11111 o0 11111 Rn Rt
      (o0 = 1 LDAR/STLR, o0 = 0 LDLAR/STLLR of FEAT_LOR);
    LDAPR{B,H,W,X} (FEAT_LRCPC): size 111 0 00 1 0 1 11111 1 100 00 Rn Rt;
    STLUR/LDAPUR/LDAPURS* (FEAT_LRCPC2): size 011001 opc 0 imm9 00 Rn Rt,
      opc 00 STLUR, 01 LDAPUR, 10 LDAPURS to X, 11 LDAPURS to W;
      unallocated: size 10 opc 11, size 11 opc 1x (generated now and then)."""
    r = g.r
    k = r(2)
    size = r(2)
    total = 1 << size
    rn, rt = g.reg(), g.reg()
    x = g.x()
    x[rt % 31] = g.val()
    undef = False
    if k == 0 or k == 1:
        _, sp = _base(g, x, rn, total)
        insn = (size << 30) | 0x089F_7C00 | (r(1) << 22) | (r(1) << 15) | (rn << 5) | rt
    elif k == 2:
        _, sp = _base(g, x, rn, total)
        insn = (size << 30) | 0x38BF_C000 | (rn << 5) | rt
    else:
        opc = r(2)
        undef = (size == 2 and opc == 3) or (size == 3 and opc >= 2)
        if undef and r(2):
            return None
        imm9 = _simm(g, 9)
        if rn == 31:
            imm9 -= imm9 % total
        pl = g.place(total, imm9, rn)
        sp = g.val()
        if rn == 31:
            sp = pl[1]
        else:
            x[rn] = pl[1]
        insn = (size << 30) | 0x1900_0000 | (opc << 22) | ((imm9 & 0x1FF) << 12) | (rn << 5) | rt
    return insn, x, g.nzcv(), sp, g.seed(), undef


@_retry
def atomics(g):
    """FEAT_LSE atomics, all sizes, all acquire/release variants:
    LD{ADD,CLR,EOR,SET,SMAX,SMIN,UMAX,UMIN}{,A,L,AL} and SWP{,A,L,AL}:
      size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt  (o3 = 1, opc = 000: SWP);
    CAS{,A,L,AL}: size 001000 1 L 1 Rs o0 11111 Rn Rt;
    CASP{,A,L,AL}: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt, W or X pairs.
    The compare value equals memory in about half of the CAS/CASP cases
    (with random upper bits above the access size).  CASP with an odd Rs
    or Rt is UNDEFINED: generated now and then.  Rt = 31 gives the ST<op>
    aliases."""
    r = g.r
    k = r(2)
    rn, rs, rt = g.reg(), g.reg(), g.reg()
    x = g.x()
    x[rs % 31] = g.val()
    x[rt % 31] = g.val()
    seed = g.seed()
    undef = False
    if k <= 1:                                   # LD<op> / SWP
        size = r(2)
        addr, sp = _base(g, x, rn, 1 << size)
        swp = r(3) == 0
        insn = (size << 30) | 0x3820_0000 | (r(1) << 23) | (r(1) << 22) | (rs << 16) | (swp << 15) | ((0 if swp else r(3)) << 12) | (rn << 5) | rt
    elif k == 2:                                 # CAS
        size = r(2)
        if rs == rn and rn != 31 and r(1):
            return None                          # keep the equal case reachable
        addr, sp = _base(g, x, rn, 1 << size)
        if g.rng.random() < 0.58 and rs != 31 and rs != rn:     # ~half equal overall
            m = g.mem(seed, addr, 1 << size)
            x[rs] = m | ((g.r(64) << (8 << size)) & M64 if size < 3 and r(1) else 0)
        insn = (size << 30) | 0x08A0_7C00 | (r(1) << 22) | (rs << 16) | (r(1) << 15) | (rn << 5) | rt
    else:                                        # CASP
        sz = r(1)
        esize = 8 if sz else 4
        if r(4):
            rs &= 30
            rt &= 30
        undef = bool(rs & 1 or rt & 1)
        addr, sp = _base(g, x, rn, 2 * esize)
        for reg in (rs, rs + 1, rt, rt + 1):
            if reg < 31 and reg != rn:
                x[reg] = g.val()
        if g.rng.random() < 0.6 and not undef and rs < 30 and rn not in (rs, rs + 1):
            m0 = g.mem(seed, addr, esize)
            m1 = g.mem(seed, addr + esize, esize)
            hi = (g.r(32) << 32) if (esize == 4 and r(1)) else 0
            x[rs], x[rs + 1] = m0 | hi, m1 | hi
        insn = (sz << 30) | 0x0820_7C00 | (r(1) << 22) | (rs << 16) | (r(1) << 15) | (rn << 5) | rt
    return insn, x, g.nzcv(), sp, seed, undef


INT_CLASSES = [
    f.__name__ for f in (
        addsub_imm, logical_imm, movewide, bitfield, extr, adr_adrp,
        addsub_shifted, addsub_extended, logical_shifted, adc_sbc, flagm,
        condsel, condcmp, dp1, dp2, dp3, branch, ldst_uimm, ldst_imm9,
        ldst_regoff, ldr_literal, ldst_pair, exclusive, acqrel, atomics,
    )
]

import crypto  # noqa: E402  (cryptographic extension generators)
import fpsimd  # noqa: E402  (FP/SIMD generators)
import fpsimd2  # noqa: E402  (FP/SIMD extensions after Armv8.0 + FP16)

FP_SIMD_CLASSES = [f.__name__ for f in fpsimd.FP_SIMD + fpsimd2.FP_SIMD2 + crypto.CRYPTO]

# Classes whose oracle is QEMU user mode (oracle.QemuOracle) instead of
# Unicorn: the FP/SIMD forms Unicorn 2.1.4 gets wrong (README, "QEMU oracle").
QEMU_CLASSES = [f.__name__ for f in fpsimd.QEMU_FP + fpsimd2.QEMU_FP2]

CLASSES = {n: globals()[n] for n in INT_CLASSES}
CLASSES.update((f.__name__, f) for f in fpsimd.FP_SIMD + fpsimd2.FP_SIMD2 + crypto.CRYPTO
               + fpsimd.QEMU_FP + fpsimd2.QEMU_FP2)


def make_gen(name, seed):
    """Deterministic per-class generator state from (seed, class name)."""
    return Gen(random.Random("%d:%s" % (seed, name)))
