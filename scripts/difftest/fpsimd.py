"""FP/SIMD generators for the hypsim difftest (see classes.py for the case
format).  FP/SIMD cases are 9-tuples

  (insn, x, nzcv, sp, mem_seed, undef, v, fpcr, fpsr)

with v the list of 32 V register values (u128) and fpcr/fpsr the values
loaded before the instruction.  ``undef`` is True/False where the generator
decodes the encoding fully (the scalar FP classes, loads/stores, moves) and
None where it does not (the big Advanced SIMD groups with random opcode
fields): then run.py does not check Unicorn's decode against the generator,
but hypsim still has to agree with Unicorn on whether it UNDEFs.

Encodings follow the Arm ARM (DDI 0487) A64 encoding index (C4.1) and the
instruction pages (C7.2).  Fields are random over whole encoding groups,
including reserved values; simd_mov, simd_3same, simd_2misc and
simd_by_elem first pick a decode row uniformly and then its fields
(`_row_word`).  The qemu_* classes at the end are checked against QEMU
user mode instead of Unicorn (oracle.QemuOracle).  Never generated (feature-dependent encodings,
as with the integer classes; hypsim implements Armv8.0 FP/AdvSIMD plus
FEAT_FP16): FEAT_FHM (FMLAL/FMLSL), FEAT_RDM (SQRDMLAH/SH), FEAT_DotProd,
FEAT_FCMA, FEAT_JSCVT (FJCVTZS), FEAT_FRINTTS (FRINT32*/FRINT64*),
FEAT_BF16, FEAT_I8MM, the crypto groups.  Where QEMU 5's translator
*aborts the process* on an unallocated encoding (instead of UNDEFINED), the
generator steps around it; each such place is marked "QEMU-ABORT".
"""

import random

import insn_table
from oracle import DATA, M64, PAGE, PC0

M128 = (1 << 128) - 1

# --------------------------------------------------------------------------
# FP values
# --------------------------------------------------------------------------

# (exponent bits, fraction bits) per element size in bits
_FMT = {16: (5, 10), 32: (8, 23), 64: (11, 52)}


def _pack(sign, exp, frac, esize):
    e, f = _FMT[esize]
    return (sign << (esize - 1)) | (exp << f) | frac


def fpval(g, esize):
    """An FP bit pattern of `esize` bits biased to the edge cases: zeros,
    infinities, quiet and signalling NaNs with random payloads, denormals,
    min/max normal, values around 1 and around integer/rounding boundaries
    (halfway cases x.5, 2^31, 2^63 and their neighbours), random."""
    r = g.r
    e, f = _FMT[esize]
    emax = (1 << e) - 1
    bias = emax >> 1
    s = r(1)
    k = r(4)
    if k == 0:
        return _pack(s, g.rng.choice((0, 0, emax)), 0, esize)              # +-0, +-inf
    if k == 1:                                                            # NaNs
        quiet = r(1)
        pay = r(f - 1) if r(1) else g.rng.choice((0, 1, (1 << (f - 1)) - 1))
        if not quiet and pay == 0:
            pay = 1
        return _pack(s, emax, (quiet << (f - 1)) | pay, esize)
    if k == 2:                                                            # denormals
        frac = g.rng.choice((1, (1 << f) - 1, 1 << (f - 1))) if r(1) else (r(f) or 1)
        return _pack(s, 0, frac, esize)
    if k == 3:                                                            # min/max normal
        return g.rng.choice((_pack(s, 1, 0, esize), _pack(s, emax - 1, (1 << f) - 1, esize),
                             _pack(s, 1, r(f), esize), _pack(s, emax - 1, r(f), esize)))
    if k <= 6:
        # around small integers / conversion boundaries: exponents near
        # 0, 16, 31, 32, 63, 64 with a mantissa ending in ...1000 (halfway)
        # or ...0111 / ...1001 (just below/above) or random low bits
        ue = g.rng.choice((0, 1, 2, 3, 7, 8, 15, 16, 30, 31, 32, 62, 63, 64, -1, -2))
        ue = max(-bias + 1, min(ue, bias))
        if k == 4:
            frac = r(f)
        else:
            # make the bit at the binary point position (if inside the
            # fraction) a halfway pattern
            pos = f - ue - 1                     # bit index of the 0.5 place
            frac = r(f)
            if 0 <= pos < f:
                frac &= ~((1 << (pos + 1)) - 1)
                frac |= g.rng.choice((1 << pos, (1 << pos) - 1, (1 << pos) + 1, 0)) & ((1 << (pos + 1)) - 1) if pos >= 0 else 0
                frac &= (1 << f) - 1
        return _pack(s, ue + bias, frac, esize)
    if k <= 8:                                                            # moderate exponents
        return _pack(s, bias + g.rng.randrange(-12, 13), r(f), esize)
    if k == 9:                                                            # near overflow / underflow
        return _pack(s, g.rng.choice((1, 2, 3, emax - 2, emax - 1, bias + bias // 2, bias - bias // 2)), r(f), esize)
    if k == 10:                                                           # few mantissa bits
        return _pack(s, bias + g.rng.randrange(-4, 5), r(f) & ~((1 << (f - 3)) - 1), esize)
    return r(esize)


def fp_near(g, a, esize):
    """A second operand related to `a`: same exponent region or exactly the
    distance that makes a + b / a - b land on (or next to) a rounding
    boundary (halfway case)."""
    e, f = _FMT[esize]
    exp = (a >> f) & ((1 << e) - 1)
    k = g.r(2)
    if k == 0 or exp == 0 or exp == (1 << e) - 1:
        return fpval(g, esize)
    d = g.rng.choice((f, f + 1, f + 2, f - 1, 1, 0))
    ne = exp - d
    if ne <= 0:
        return fpval(g, esize)
    frac = 0 if g.r(1) else g.rng.choice((1, (1 << f) - 1, g.r(f)))
    return _pack(g.r(1), ne, frac, esize)


def intlane(g, esize):
    """An integer lane value biased to edges."""
    r = g.r
    k = r(3)
    m = (1 << esize) - 1
    if k == 0:
        return g.rng.choice((0, 1, 2, m, m - 1, 1 << (esize - 1), (1 << (esize - 1)) - 1,
                             (1 << (esize - 1)) + 1, m >> 1 ^ 0x55 & m))
    if k == 1:
        return (r(5) - 16) & m
    return r(esize)


def lanes(vals, esize):
    v = 0
    for i, x in enumerate(vals):
        v |= (x & ((1 << esize) - 1)) << (i * esize)
    return v


def vreg_val(g, esize=None, fp=None):
    """A 128-bit V value: lanes of one size, FP edge patterns or integer
    edge values (chosen at random when not given)."""
    if esize is None:
        esize = g.rng.choice((8, 16, 32, 64))
    if fp is None:
        fp = esize >= 16 and g.r(1)
    if g.r(4) == 0:
        return g.r(128)
    n = 128 // esize
    if fp and esize >= 16:
        return lanes([fpval(g, esize) for _ in range(n)], esize)
    return lanes([intlane(g, esize) for _ in range(n)], esize)


def fpcr(g):
    """All FPCR mode combinations: AHP[26] DN[25] FZ[24] RMode[23:22] FZ16[19]."""
    r = g.r
    return (r(1) << 26) | (r(1) << 25) | (r(1) << 24) | (r(2) << 22) | (r(1) << 19)


def fpsr(g):
    """Cumulative flags already set (they must stay set) or clear."""
    if g.r(1):
        return 0
    return g.r(5) | (g.r(1) << 7) | (g.r(1) << 27)


def bg_v(g):
    """Background V register file (a list to modify)."""
    return list(g.rng.choice(g.vbgs))


def case(g, insn, undef, v=None, x=None, sp=None, seed=None, nzcv=None):
    return (insn, x if x is not None else g.x(), g.nzcv() if nzcv is None else nzcv,
            g.val() if sp is None else sp, g.seed() if seed is None else seed, undef,
            v if v is not None else bg_v(g), fpcr(g), fpsr(g))


def _retry(fn):
    def wrapped(g):
        while True:
            c = fn(g)
            if c is not None:
                return c
    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


def _ftype(g):
    """ftype: 00 S, 01 D, 11 H; 10 (unallocated) one time in 16."""
    return 2 if g.r(4) == 0 else g.rng.choice((0, 1, 3))


_FT_SIZE = {0: 32, 1: 64, 3: 16}


def _scalar_regs(g, v, esize, regs, related=False):
    """Put FP scalars of `esize` in the low lanes of V regs (random upper
    bits stay: they must be ignored and the result zero-extended)."""
    first = None
    for n in regs:
        val = fp_near(g, first, esize) if (related and first is not None) else fpval(g, esize)
        if first is None:
            first = val
        hi = v[n] & (M128 ^ ((1 << esize) - 1))
        v[n] = hi | val


# --------------------------------------------------------------------------
# Scalar floating point
# --------------------------------------------------------------------------

def fp_arith(g):
    """FADD/FSUB/FMUL/FDIV/FNMUL (2-source), FMOV/FABS/FNEG/FSQRT (1-source),
    FMADD/FMSUB/FNMADD/FNMSUB (3-source), H/S/D.
    2-source:  M 0 S 11110 ftype 1 Rm opcode[15:12] 10 Rn Rd (opcode 1001..1111
               unallocated; M = 1 or S = 1 unallocated);
    1-source:  M 0 S 11110 ftype 1 opcode[20:15] 10000 Rn Rd, opcode 0000xx;
    3-source:  M 0 S 11111 ftype o1 Rm o0 Ra Rn Rd.
    ftype 10 is unallocated (generated now and then)."""
    r = g.r
    ft = _ftype(g)
    rd, rn, rm, ra = r(5), r(5), r(5), r(5)
    k = r(2)
    ms = (r(1) << 31 | r(1) << 29) if r(5) == 0 else 0
    undef = ft == 2 or ms != 0
    if k == 0:
        op = g.rng.choice((0, 1, 2, 3))          # FMOV FABS FNEG FSQRT
        insn = 0x1E204000 | (ft << 22) | (op << 15) | (rn << 5) | rd
    elif k == 1:
        op3 = r(2)
        insn = 0x1F000000 | (ft << 22) | ((op3 >> 1) << 21) | (rm << 16) | ((op3 & 1) << 15) | (ra << 10) | (rn << 5) | rd
    else:
        op = g.rng.choice((0, 1, 2, 3, 8)) if r(4) else 9 + g.rng.randrange(7)
        undef |= op > 8
        insn = 0x1E200800 | (ft << 22) | (rm << 16) | (op << 12) | (rn << 5) | rd
    insn |= ms
    v = bg_v(g)
    _scalar_regs(g, v, _FT_SIZE.get(ft, 32), (rn, rm, ra), related=r(1))
    return case(g, insn, undef, v)


def fp_cmp(g):
    """FCMP/FCMPE (register and zero), FCCMP/FCCMPE, FCSEL; H/S/D.
    FCMP:   M 0 S 11110 ftype 1 Rm op[15:14] 1000 Rn opcode2[4:0]
            (op != 00 or opcode2<2:0> != 000 unallocated; the zero forms
            have Rm = 00000, other values are should-be-zero, not generated);
    FCCMP:  M 0 S 11110 ftype 1 Rm cond 01 Rn op nzcv;
    FCSEL:  M 0 S 11110 ftype 1 Rm cond 11 Rn Rd."""
    r = g.r
    ft = _ftype(g)
    rn, rm = r(5), r(5)
    k = r(2)
    undef = ft == 2
    if k <= 1:
        op = 0 if r(4) else 1 + g.rng.randrange(3)
        e, z = r(1), r(1)
        low = 0 if r(4) else r(3)
        undef |= op != 0 or low != 0
        if z:
            rm = 0
        insn = 0x1E202000 | (ft << 22) | (rm << 16) | (op << 14) | (rn << 5) | (e << 4) | (z << 3) | low
    elif k == 2:
        insn = 0x1E200400 | (ft << 22) | (rm << 16) | (g.cond() << 12) | (rn << 5) | (r(1) << 4) | r(4)
    else:
        insn = 0x1E200C00 | (ft << 22) | (rm << 16) | (g.cond() << 12) | (rn << 5) | r(5)
    v = bg_v(g)
    esize = _FT_SIZE.get(ft, 32)
    _scalar_regs(g, v, esize, (rn, rm))
    if r(3) == 0:                          # equal operands
        m = (1 << esize) - 1
        v[rm] = (v[rm] & ~m & M128) | (v[rn] & m)
    return case(g, insn, undef, v)


def _fpint_ok(sf, ft, rmode, opc):
    """Allocated encodings of conversion between FP and integer (C4.1.96)."""
    if ft == 2:
        return rmode == 1 and opc in (6, 7) and sf == 1        # FMOV X <-> V.D[1]
    if opc in (0, 1):
        return True                                            # FCVT{N,P,M,Z}{S,U}
    if opc in (2, 3, 4, 5):
        return rmode == 0                                      # SCVTF UCVTF FCVTA{S,U}
    # FMOV general
    if rmode != 0:
        return False
    return (sf, ft) in ((0, 0), (1, 1), (0, 3), (1, 3))


@_retry
def fp_cvt(g):
    """FCVT between H/S/D; SCVTF/UCVTF and FCVT{N,A,P,M,Z}{S,U} to/from W/X
    (integer) and FCVTZS/FCVTZU/SCVTF/UCVTF (fixed point, all scales);
    FRINT{N,P,M,Z,A,X,I}.
    FP<->int:   sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd;
    FP<->fixed: sf 0 S 11110 ftype 0 rmode opcode scale Rn Rd
                (sf = 0 with scale < 32 is UNDEFINED);
    1-source:   0 0 0 11110 ftype 1 opcode[20:15] 10000 Rn Rd,
                FCVT opcode 0001xx (to its own size or 0b10 unallocated),
                FRINT* 001xxx (001101 unallocated).
    Not generated: FJCVTZS (FEAT_JSCVT), FRINT32/64 (FEAT_FRINTTS), BFCVT."""
    r = g.r
    ft = _ftype(g)
    rn, rd = r(5), r(5)
    k = r(2)
    v = bg_v(g)
    x = g.x()
    esize = _FT_SIZE.get(ft, 32)
    if k == 0:
        # FCVT (opcode 0001 opc) / FRINT (001 rm)
        if r(1):
            opc = r(2)
            undef = opc == 2 or ft == 2 or {0: 0, 1: 1, 3: 3}.get(opc) == ft
            op = 4 | opc
        else:
            op = 8 | r(3)
            undef = op == 13 or ft == 2
        insn = 0x1E204000 | (ft << 22) | (op << 15) | (rn << 5) | rd
        _scalar_regs(g, v, esize, (rn,))
    elif k == 1 or k == 2:
        sf = r(1)
        if r(3) == 0:
            rmode, opc = r(2), r(3)
        else:
            rmode, opc = g.rng.choice(((0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1), (3, 0), (3, 1),
                                       (0, 4), (0, 5), (0, 2), (0, 3)))
        if rmode == 3 and opc == 6:
            return None                   # FJCVTZS (FEAT_JSCVT): not generated
        if opc in (6, 7):
            return None                   # FMOV general: simd_mov
        undef = not _fpint_ok(sf, ft, rmode, opc)
        insn = (sf << 31) | 0x1E200000 | (ft << 22) | (rmode << 19) | (opc << 16) | (rn << 5) | rd
        if opc in (2, 3):
            x[rn % 31] = g.val()
        else:
            _scalar_regs(g, v, esize, (rn,))
    else:
        sf = r(1)
        rmode, opc = g.rng.choice(((0, 2), (0, 3), (3, 0), (3, 1))) if r(3) else (r(2), r(3))
        scale = r(6)
        if not sf and r(1):
            scale |= 32
        undef = ft == 2 or (rmode, opc) not in ((0, 2), (0, 3), (3, 0), (3, 1)) or (sf == 0 and scale < 32)
        insn = (sf << 31) | 0x1E000000 | (ft << 22) | (rmode << 19) | (opc << 16) | (scale << 10) | (rn << 5) | rd
        if opc in (2, 3):
            x[rn % 31] = g.val()
        else:
            _scalar_regs(g, v, esize, (rn,))
    return case(g, insn, undef, v, x=x)


def fp_minmax_recip(g):
    """FMAX/FMIN/FMAXNM/FMINNM (scalar, 2-source opcode 01xx, H/S/D) and
    the reciprocal estimates/steps: FRECPE/FRSQRTE (scalar 2-misc),
    FRECPS/FRSQRTS (scalar 3-same), FRECPX, as scalar S/D and FP16 forms.
    scalar 3-same:   01 U 11110 1 sz 1 Rm 11111 1 Rn Rd (FRECPS U=0 a=0,
                     FRSQRTS U=0 a=1); FP16: 01 U 11110 a 10 Rm 00 111 1 Rn Rd;
    scalar 2-misc:   01 U 11110 1 sz 10000 opcode 10 Rn Rd, opcode 11101
                     (FRECPE U=0, FRSQRTE U=1), 11111 (FRECPX U=0);
    FP16 2-misc:     01 U 11110 1 1111 00 opcode 10 Rn Rd."""
    r = g.r
    k = r(2)
    v = bg_v(g)
    rd, rn, rm = r(5), r(5), r(5)
    if k <= 1:
        ft = _ftype(g)
        op = 4 + r(2)
        insn = 0x1E200800 | (ft << 22) | (rm << 16) | (op << 12) | (rn << 5) | rd
        _scalar_regs(g, v, _FT_SIZE.get(ft, 32), (rn, rm), related=r(1))
        undef = ft == 2
        if r(3) == 0 and ft != 2:          # +0 vs -0, NaN vs number
            es = _FT_SIZE[ft]
            v[rm] = (v[rm] >> es << es) | (v[rn] & ((1 << es) - 1)) ^ (1 << (es - 1))
    elif k == 2:
        # FRECPS / FRSQRTS
        a = r(1)
        if r(2) == 0:
            insn = 0x5E403C00 | (a << 23) | (rm << 16) | (rn << 5) | rd
            es = 16
        else:
            sz = r(1)
            insn = 0x5E20FC00 | (a << 23) | (sz << 22) | (rm << 16) | (rn << 5) | rd
            es = 64 if sz else 32
        _scalar_regs(g, v, es, (rn, rm))
        undef = False
    else:
        which = r(2) % 3                  # FRECPE FRSQRTE FRECPX
        u, opc = ((0, 0x1D), (1, 0x1D), (0, 0x1F))[which]
        if r(2) == 0:
            insn = 0x5EF80800 | (u << 29) | (opc << 12) | (rn << 5) | rd
            es = 16
        else:
            sz = r(1)
            insn = 0x5EA00800 | (u << 29) | (sz << 22) | (opc << 12) | (rn << 5) | rd
            es = 64 if sz else 32
        _scalar_regs(g, v, es, (rn,))
        undef = False
    return case(g, insn, undef, v)


# --------------------------------------------------------------------------
# SIMD&FP loads and stores
# --------------------------------------------------------------------------

def _set_base(g, x, rn, base):
    if rn == 31:
        return base
    x[rn] = base
    return g.val()


@_retry
def simd_ldst(g):
    """SIMD&FP LDR/STR B/H/S/D/Q (unsigned offset, unscaled, pre/post-index,
    register offset, literal), LDP/STP/LDNP/STNP S/D/Q, LD1-LD4/ST1-ST4
    (multiple structures and single structure) and LD1R-LD4R, with and
    without post-index (immediate and register).
    Unallocated encodings (opc 1x with size != 00, op2 = 10 of the imm9
    forms, opc = 11 pairs, reserved size/S combinations of single
    structures, ...) are generated now and then.  Every access lies in the
    data page, aligned to min(total size, 16).  Excluded: LDP/LDNP with
    Rt == Rt2 (CONSTRAINED UNPREDICTABLE)."""
    r = g.r
    k = r(3)
    x = g.x()
    sp = g.val()
    rn, rt = g.reg(), r(5)
    v = _vecs(g, g.rng.choice((8, 16, 32, 64)), [rt + i for i in range(4)])
    undef = False
    if k in (0, 1):
        # unsigned offset / imm9 / register offset
        size, opc = r(2), r(2)
        if size != 0 and opc >= 2:
            if r(2):
                return None
            undef = True
        total = 16 if (size == 0 and opc >= 2) else 1 << size
        scale = total.bit_length() - 1
        form = r(2)
        if form == 0:
            imm12 = r(12) if r(1) else r(5)
            pl = g.place(total, imm12 * total, rn)
            if pl is None:
                return None
            sp = _set_base(g, x, rn, pl[1]) if rn != 31 else pl[1]
            insn = (size << 30) | 0x3D000000 | (opc << 22) | (imm12 << 10) | (rn << 5) | rt
        elif form == 1:
            op2 = r(2)
            if op2 == 2:
                if r(2):
                    return None
                undef = True
            imm9 = g.rng.randrange(-256, 256)
            if rn == 31 and op2 != 1:
                imm9 -= imm9 % total
            pl = g.place(total, 0 if op2 == 1 else imm9, rn, post=op2 == 1)
            if pl is None:
                return None
            sp = _set_base(g, x, rn, pl[1]) if rn != 31 else pl[1]
            insn = (size << 30) | 0x3C000000 | (opc << 22) | ((imm9 & 0x1FF) << 12) | (op2 << 10) | (rn << 5) | rt
        elif form == 2:
            option = g.rng.choice((2, 3, 6, 7)) if r(4) else g.rng.choice((0, 1, 4, 5))
            undef |= option in (0, 1, 4, 5)
            s = r(1)
            rm = r(5)
            if rm == rn and rn != 31:
                rm = (rm + 1) % 31
            idx = 0 if rm == 31 else g.rng.randrange(0, 64) * total // (total if s else 1)
            if r(2) == 0 and rm != 31:
                idx = (-idx) & M64 if option in (3, 7) else ((-idx) & 0xFFFFFFFF)
            off = idx & M64
            if option == 2:
                off = idx & 0xFFFFFFFF
            elif option == 6:
                off = (idx & 0xFFFFFFFF) - ((idx & 0x80000000) << 1)
            off = (off << (scale if s else 0)) & M64
            if off >= 1 << 63:
                off -= 1 << 64
            pl = g.place(total, off, rn)
            if pl is None or (rn == 31 and off % 16):
                return None
            if rm != 31:
                x[rm] = idx | ((g.r(32) << 32) if option in (2, 6) and r(1) else 0)
            sp = _set_base(g, x, rn, pl[1]) if rn != 31 else pl[1]
            insn = (size << 30) | 0x3C200800 | (opc << 22) | (rm << 16) | (option << 13) | (s << 12) | (rn << 5) | rt
        else:
            # literal: opc[31:30] 011 1 00 imm19 Rt; opc 11 unallocated
            lopc = r(2)
            if lopc == 3 and r(2):
                return None
            ltot = 4 << lopc
            imm19 = (g.addr(min(ltot, 16)) - PC0) >> 2
            if lopc == 2:
                imm19 = (g.addr(16) - PC0) >> 2
            insn = (lopc << 30) | 0x1C000000 | (imm19 << 5) | rt
            undef = lopc == 3
    elif k == 2:
        # pairs: opc 101 1 mode L imm7 Rt2 Rn Rt
        opc = r(2)
        if opc == 3:
            if r(2):
                return None
            undef = True
        load = r(1)
        mode = r(2)
        rt2 = r(5)
        if load and rt == rt2 and not undef:
            return None
        esize = 4 << min(opc, 2)
        total = 2 * esize
        imm7 = g.rng.randrange(-64, 64)
        if rn == 31 and mode != 1:
            imm7 -= imm7 % max(1, 16 // esize)
        off = 0 if mode == 1 else imm7 * esize
        # aligned to min(total, 16) (g.place assumes total <= 16); with
        # SP as the base, SP stays 16-byte aligned
        al = 16 if rn == 31 else min(total, 16)
        addr = DATA + al * g.rng.randrange(0, (PAGE - total) // al + 1)
        base = (addr - off) & M64
        sp = _set_base(g, x, rn, base) if rn != 31 else base
        insn = (opc << 30) | 0x2C000000 | (mode << 23) | (load << 22) | ((imm7 & 0x7F) << 15) | (rt2 << 10) | (rn << 5) | rt
    elif k in (3, 4):
        # multiple structures: 0 Q 0011000 L 000000 opcode size Rn Rt,
        # post: 0 Q 0011001 L 0 Rm opcode size Rn Rt
        q, load, size = r(1), r(1), r(2)
        opcode = g.rng.choice((0, 2, 4, 6, 7, 8, 10)) if r(4) else g.rng.choice((1, 3, 5, 9, 11, 12, 13, 14, 15))
        nregs = {0: 4, 2: 4, 4: 3, 6: 3, 7: 1, 8: 2, 10: 2}.get(opcode)
        if nregs is None:
            undef = True
            nregs = 1
        elif size == 3 and q == 0 and opcode in (0, 4, 8):
            undef = True
        total = nregs * (16 if q else 8)
        post = r(1)
        rm = 31 if r(1) else r(5)
        if rm == rn and rn != 31:
            rm = 31
        addr = DATA + 16 * g.rng.randrange(0, (PAGE - total) // 16 + 1)
        if post and rm != 31:
            x[rm] = g.val() if r(1) else (g.rng.randrange(-64, 64) * 16) & M64
            if rn == 31:
                x[rm] &= ~15 & M64
        if rn == 31:
            sp = addr
        else:
            x[rn] = addr
        insn = (q << 30) | 0x0C000000 | (post << 23) | (load << 22) | ((rm if post else 0) << 16) | (opcode << 12) | (size << 10) | (rn << 5) | rt
    else:
        # single structure: 0 Q 0011010 L R 00000 opcode S size Rn Rt,
        # post: 0 Q 0011011 L R Rm opcode S size Rn Rt
        q, load, rbit, s, size = r(1), r(1), r(1), r(1), r(2)
        op = r(3)
        scale = op >> 1
        selem = ((op & 1) << 1 | rbit) + 1
        if scale == 3:
            if r(1):
                load = 1
            undef = load == 0 or s == 1
            esz = 1 << size
            total = selem * esz
        else:
            if scale == 1 and size & 1:
                undef = True
            if scale == 2 and (size & 2 or (size == 1 and s)):
                undef = True
            esz = 1 << scale if scale != 2 else (8 if size == 1 else 4)
            total = selem * esz
        post = r(1)
        rm = 31 if r(1) else r(5)
        if rm == rn and rn != 31:
            rm = 31
        # element-aligned; the whole structure inside the page
        addr = DATA + esz * g.rng.randrange(0, (PAGE - total) // esz + 1)
        if rn == 31:
            addr = DATA + 16 * g.rng.randrange(0, (PAGE - total) // 16 + 1)
            sp = addr
        else:
            x[rn] = addr
        if post and rm != 31:
            x[rm] = g.val() if r(1) else (g.rng.randrange(-64, 64) * 16) & M64
            if rn == 31:
                x[rm] &= ~15 & M64
        insn = (q << 30) | 0x0D000000 | (post << 23) | (load << 22) | (rbit << 21) | ((rm if post else 0) << 16) | (op << 13) | (s << 12) | (size << 10) | (rn << 5) | rt
    return case(g, insn, undef, v, x=x, sp=sp)


# --------------------------------------------------------------------------
# Moves
# --------------------------------------------------------------------------

# --------------------------------------------------------------------------
# Instruction-uniform choice (simd_mov, simd_3same, simd_2misc, simd_by_elem)
# --------------------------------------------------------------------------
#
# Drawing raw opcode fields over a whole encoding group gives some decode
# rows (cpu/src/a64/*.insn, the unit of run.py's per-instruction accounting)
# a few dozen cases per 100 000 (FRECPX_h, FP16 FMOV (vector, immediate),
# scalar FP16 by element, ...).  These classes therefore first pick the
# decode row, then the fields:
#
#   * the row comes from a stratified uniform cycle over the class's rows
#     plus one "(unallocated)" slot (`_next_row`): each run of len(rows)
#     cases holds every row once, in random order, so N cases give every
#     row N / len(rows) cases (+-1) whatever the seed;
#   * the word is drawn by the class's raw field generator (the old
#     distribution: all U/size/opcode/register fields, reserved values
#     included) restricted to the row's group (scalar/vector, FP16 or not,
#     sub-group of moves), the row's fixed bits are forced onto it, and it
#     is kept if the class's exclusions allow it (QEMU-ABORT encodings,
#     extension encodings, Unicorn decode bugs) and hypsim's table decodes
#     it to that very row (a more specific row could take it); otherwise
#     it is redrawn;
#   * for the "(unallocated)" slot the raw generator is used unforced until
#     it gives a word that no row decodes (reserved encodings of the group);
#   * operand values are derived from the final word with the same value
#     generators as before (FP edge values, NaN payloads, denormals,
#     rounding-boundary values, all FPCR modes via case()).

UNALLOC = insn_table.UNALLOCATED


def _next_row(g, key, rows):
    """Next row of the stratified uniform cycle `key` over `rows`."""
    cyc = g.__dict__.setdefault("_row_cycles", {})
    q = cyc.get(key)
    if not q:
        q = list(rows)
        g.rng.shuffle(q)
        cyc[key] = q
    return q.pop()


def _row_word(g, key, rows, draw, ok):
    """A word of the class `key` for the next row of its cycle: draw(g, row)
    gives a raw word of the row's group (row None: any group), ok(word) says
    whether the class may generate it."""
    row = _next_row(g, key, rows)
    name = insn_table.name
    if row == UNALLOC:
        mask = val = 0
    else:
        mask, val = insn_table.pattern(row)
    for _ in range(100000):
        w = (draw(g, None if row == UNALLOC else row) & ~mask) | val
        if ok(w) and name(w) == row:
            return w
    raise RuntimeError("%s: no word for decode row %s" % (key, row))


def _row_bits(row):
    """Fixed value bits of a decode row."""
    return insn_table.pattern(row)[1]


# simd_mov's decode rows, by group of the raw generator.  SINT_SHIFT_A/N
# are the modified-immediate encodings with o2 = 1 and cmode 0xxx / 100x:
# hypsim decodes them through the shift-by-immediate rows (immh = 0000)
# whose handlers UNDEF, so they count as those rows.
_MOV_GROUPS = {
    "gen": ("FMOV_WS", "FMOV_XD", "FMOV_H", "FMOV_XV1"),
    "fpimm": ("FMOV_IMM", "FMOV_REG"),
    "copy": ("DUP_ELEM", "DUP_GEN", "INS_GEN", "SMOV", "UMOV", "INS_ELEM", "DUP_SCALAR"),
    "modimm": ("MOVI_C0", "MOVI_C1", "FMOV_V_IMM_H", "SINT_SHIFT_A", "SINT_SHIFT_N"),
}
_MOV_ROW_GROUP = {row: grp for grp, rows in _MOV_GROUPS.items() for row in rows}
_MOV_ROWS = tuple(sorted(_MOV_ROW_GROUP)) + (UNALLOC,)


def _mov_draw(g, row):
    """Raw simd_mov word of the group of `row` (None: any group, with the
    old weights: general 1/8, FP immediate/register 1/8, copy 3/8,
    modified immediate 3/8)."""
    r = g.r
    if row is None:
        k = r(3)
        grp = "gen" if k == 0 else "fpimm" if k == 1 else "copy" if k <= 4 else "modimm"
    else:
        grp = _MOV_ROW_GROUP[row]
    rd, rn = r(5), r(5)
    if grp == "gen":
        sf = r(1)
        ft = g.rng.choice((0, 1, 3, 2))
        rmode = 1 if ft == 2 else (0 if r(4) else 1)
        opc = 6 + r(1)
        return (sf << 31) | 0x1E200000 | (ft << 22) | (rmode << 19) | (opc << 16) | (rn << 5) | rd
    if grp == "fpimm":
        ft = _ftype(g)
        imm5 = 0 if r(4) else r(5)
        if r(3) == 0:
            return 0x1E204000 | (ft << 22) | (rn << 5) | rd                 # FMOV register
        return 0x1E201000 | (ft << 22) | (r(8) << 13) | (imm5 << 5) | rd
    if grp == "copy":
        q, op = r(1), r(1)
        imm5 = r(5) if r(4) else (r(1) << 4)
        imm4 = g.rng.choice((0, 1, 3, 5, 7)) if (not op and r(3)) else r(4)
        if r(3) == 0:
            # DUP (element, scalar): 01 op=0 11110000 imm5 0 0000 1 Rn Rd
            return 0x5E000400 | (imm5 << 16) | (rn << 5) | rd
        return (q << 30) | (op << 29) | 0x0E000400 | (imm5 << 16) | (imm4 << 11) | (rn << 5) | rd
    q, op = r(1), r(1)
    cmode = r(4)
    # o2 = 1 (unallocated except FMOV half precision) 1 time in 16, always
    # for the rows that only o2 = 1 reaches
    o2 = 1 if row in ("SINT_SHIFT_A", "SINT_SHIFT_N") else (0 if r(4) else 1)
    abc, defgh = r(3), r(5)
    if r(2) == 0:
        abc, defgh = g.rng.choice(((0, 0), (7, 31), (4, 0), (3, 31)))
    return (q << 30) | (op << 29) | 0x0F000400 | (abc << 16) | (cmode << 12) | (o2 << 11) | (defgh << 5) | rd


def _mov_ok(w):
    if w & 0x9FF80400 == 0x0F000400 and (w >> 11) & 1 and (w >> 29) & 1 and (w >> 12) & 15 == 15:
        # Unicorn bug (README, "Unicorn behaviour worth knowing"): QEMU 5
        # executes modified immediate op = 1, cmode = 1111, o2 = 1 (e.g.
        # 0x6f04fc06) instead of UNDEFINED.  Excluded; the QEMU 10
        # bare-metal guests cover it.
        return False
    return True


def _copy_size(imm5):
    """Element size index of a copy imm5 (lowest set bit; 4 = reserved x0000)."""
    return (imm5 & -imm5).bit_length() - 1 if imm5 else 4


def _mov_undef(w):
    """Whether a simd_mov word is UNDEFINED (Arm ARM C4.1.95: conversion
    between FP and integer, FP immediate, FP data-processing 1 source,
    Advanced SIMD (scalar) copy, Advanced SIMD modified immediate)."""
    ft = (w >> 22) & 3
    if w & 0x7F26FC00 == 0x1E260000:          # FMOV (general): opcode 11x
        return not _fpint_ok(w >> 31, ft, (w >> 19) & 3, (w >> 16) & 7)
    if w & 0xFF201C00 == 0x1E201000:          # FMOV (scalar, immediate): imm5 must be 0
        return ft == 2 or (w >> 5) & 31 != 0
    if w & 0xFF3FFC00 == 0x1E204000:          # FMOV (register)
        return ft == 2
    if w & 0xFFE0FC00 == 0x5E000400:          # DUP (element, scalar)
        return _copy_size((w >> 16) & 31) > 3
    if w & 0x9FE08400 == 0x0E000400:          # Advanced SIMD copy
        q, op, imm4 = (w >> 30) & 1, (w >> 29) & 1, (w >> 11) & 15
        size = _copy_size((w >> 16) & 31)
        if op == 1:
            return q == 0 or size > 3         # INS (element): Q must be 1
        if imm4 in (0, 1):                    # DUP (element), DUP (general)
            return size > 3 or (size == 3 and q == 0)
        if imm4 == 3:                         # INS (general)
            return q == 0 or size > 3
        if imm4 == 5:                         # SMOV
            return size > (2 if q else 1)
        if imm4 == 7:                         # UMOV
            return size > 3 or (q == 1) != (size == 3)
        return True
    if w & 0x9FF80400 == 0x0F000400:          # modified immediate
        # o2 = 1 is unallocated except FMOV (half precision, op = 0,
        # cmode 1111); op = 1, cmode 1111, Q = 0 is unallocated.
        q, op, cmode, o2 = (w >> 30) & 1, (w >> 29) & 1, (w >> 12) & 15, (w >> 11) & 1
        if o2:
            return not (op == 0 and cmode == 15)
        return op == 1 and cmode == 15 and q == 0
    raise ValueError("simd_mov: 0x%08x is not a move" % w)


def simd_mov(g):
    """FMOV (general: W/X <-> H/S/D, X <-> V.D[1]), FMOV (scalar immediate),
    FMOV (register), INS (general and element), UMOV, SMOV, DUP (element,
    general, scalar), MOVI/MVNI/ORR/BIC/FMOV (vector immediate); one decode
    row at a time (`_row_word`), reserved field values included.
    copy:    0 Q op 01110000 imm5 0 imm4 1 Rn Rd (imm5 = x0000 reserved);
    mod imm: 0 Q op 0111100000 abc cmode o2 1 defgh Rd;
    FP imm:  0 0 0 11110 ftype 1 imm8 100 imm5 Rd (imm5 != 0 unallocated)."""
    w = _row_word(g, "simd_mov", _MOV_ROWS, _mov_draw, _mov_ok)
    rd, rn = w & 31, (w >> 5) & 31
    x = g.x()
    v = _vecs(g, g.rng.choice((8, 16, 32, 64)), (rd, rn))
    x[rn % 31] = g.val()
    return case(g, w, _mov_undef(w), v, x=x)


# --------------------------------------------------------------------------
# Advanced SIMD data processing: random fields over whole groups
# --------------------------------------------------------------------------

def _vecs(g, esize, regs):
    """Background V file with fresh values of lane size `esize` (mostly) in
    the operand registers `regs`; Rn + 1.. + 3 for the multi-register
    tables of TBL/TBX are included by the caller."""
    fp = g.r(1)
    v = bg_v(g)
    for n in regs:
        v[n & 31] = vreg_val(g, esize if g.r(2) else None, fp if g.r(2) else None)
    return v


# FEAT_FHM in the vector 3-same group (U, size, opcode): FMLAL/FMLSL/FMLAL2/FMLSL2
_FHM_3SAME = {(0, 0, 0x1D), (0, 2, 0x1D), (1, 0, 0x19), (1, 2, 0x19)}


# FP16 three same, allocated (U, a, opcode), vector and scalar (C4.1.x)
_FP16_3SAME = {
    (0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 3), (0, 0, 4), (0, 0, 6), (0, 0, 7),
    (0, 1, 0), (0, 1, 1), (0, 1, 2), (0, 1, 6), (0, 1, 7),
    (1, 0, 0), (1, 0, 2), (1, 0, 3), (1, 0, 4), (1, 0, 5), (1, 0, 6), (1, 0, 7),
    (1, 1, 0), (1, 1, 2), (1, 1, 4), (1, 1, 5), (1, 1, 6),
}
_FP16_3SAME_SCALAR = {(0, 0, 3), (0, 0, 4), (0, 0, 7), (0, 1, 7), (1, 0, 4), (1, 0, 5),
                      (1, 1, 2), (1, 1, 4), (1, 1, 5)}


_FP16_3SAME_L = sorted(_FP16_3SAME)
_FP16_3SAME_SCALAR_L = sorted(_FP16_3SAME_SCALAR)

# simd_3same's decode rows (integer, S/D and FP16; vector and scalar)
_3SAME_ROWS = (
    "SINT_3SAME_LO", "SINT_3SAME_HI", "SINT_S3SAME_LO", "SINT_S3SAME_HI",
    "SFP_3S_A", "SFP_3S_FMLA", "SFP_3S_MUL", "SFP_3S_CMP", "SFP_3S_AC", "SFP_3S_STEP",
    "SFP_3S_RSQRTS", "SFP_3S_H", "SFP_3S_H1A", "SFP_3S_H1B", "SFP_3S_H1C", "SFP_3S_H1D",
    "SFP_S3_MULX", "SFP_S3_CMP", "SFP_S3_FABD", "SFP_S3H_MULX", "SFP_S3H_CMP", "SFP_S3H_FABD",
    "FRECPS_s", "FRSQRTS_s", "FRECPS_h", "FRSQRTS_h", UNALLOC,
)


def _3same_draw(g, row):
    """Raw three-same word: scalar 1/8, FP16 group 1/8 (allocated (U, a,
    opcode) only), opcode 11xxx (FP) more often; for a row, its group."""
    r = g.r
    if row is None:
        scalar, fp16 = r(3) == 0, r(3) == 0
    else:
        b = _row_bits(row)
        scalar, fp16 = (b >> 28) & 1, not (b >> 21) & 1
    u, size, opcode = r(1), r(2), r(5)
    if r(2) == 0:
        opcode = 0x18 | r(3)            # more FP
    q = r(1)
    rd, rn, rm = r(5), r(5), r(5)
    if fp16:
        # FP16 three same.  QEMU-ABORT: QEMU 5 aborts on the unallocated
        # (U, a, opcode) of this group (e.g. 0x6e570ce3), so only allocated
        # ones are generated.
        u, a, op3 = g.rng.choice(_FP16_3SAME_SCALAR_L if scalar else _FP16_3SAME_L)
        base = 0x5E400400 if scalar else 0x0E400400 | (q << 30)
        return base | (u << 29) | (a << 23) | (rm << 16) | (op3 << 11) | (rn << 5) | rd
    base = 0x5E200400 if scalar else 0x0E200400 | (q << 30)
    return base | (u << 29) | (size << 22) | (rm << 16) | (opcode << 11) | (rn << 5) | rd


def _3same_ok(w):
    u, scalar = (w >> 29) & 1, (w >> 28) & 1
    if not (w >> 21) & 1:
        # FP16 three same (bit 22 = 1, bits 15:14 = 00): allocated only (QEMU-ABORT)
        return ((w >> 22) & 1 and not (w >> 14) & 3
                and (u, (w >> 23) & 1, (w >> 11) & 7) in (_FP16_3SAME_SCALAR if scalar else _FP16_3SAME))
    return (u, (w >> 22) & 3, (w >> 11) & 31) not in _FHM_3SAME


def simd_3same(g):
    """Advanced SIMD three same (vector and scalar), all U/size/opcode
    combinations, plus the FP16 three-same group; one decode row at a time
    (`_row_word`).
    vector:  0 Q U 01110 size 1 Rm opcode[15:11] 1 Rn Rd;
    scalar:  01 U 11110 size 1 Rm opcode 1 Rn Rd;
    FP16:    0 Q U 01110 a 10 Rm 00 opcode[13:11] 1 Rn Rd (scalar 01 U 11110 ...).
    Not generated: FMLAL/FMLSL (FEAT_FHM)."""
    w = _row_word(g, "simd_3same", _3SAME_ROWS, _3same_draw, _3same_ok)
    rd, rn, rm = w & 31, (w >> 5) & 31, (w >> 16) & 31
    if not (w >> 21) & 1:
        v = _vecs(g, 16, (rd,))
        for n in (rn, rm):
            v[n] = lanes([fpval(g, 16) for _ in range(8)], 16)
    else:
        size, opcode = (w >> 22) & 3, (w >> 11) & 31
        v = _vecs(g, (8 << size) if opcode < 0x18 else (32 << (size & 1)), (rd, rn, rm))
    return case(g, w, None, v)


# FEAT_FRINTTS (FRINT32/64) and FEAT_BF16 (BFCVTN) in two-register misc
def _excluded_2misc(u, size, opcode):
    if opcode in (0x1E, 0x1F) and size < 2:
        return True                              # FRINT32*/FRINT64*
    if u == 0 and size == 2 and opcode == 0x16:
        return True                              # BFCVTN/BFCVTN2
    return False


# FP16 two-register misc, allocated (U, a, opcode) (C4.1.x)
_FP16_2MISC = {
    (0, 0, 0x18), (0, 0, 0x19), (0, 0, 0x1A), (0, 0, 0x1B), (0, 0, 0x1C), (0, 0, 0x1D),
    (0, 1, 0x0C), (0, 1, 0x0D), (0, 1, 0x0E), (0, 1, 0x0F), (0, 1, 0x18), (0, 1, 0x19),
    (0, 1, 0x1A), (0, 1, 0x1B), (0, 1, 0x1D),
    (1, 0, 0x18), (1, 0, 0x19), (1, 0, 0x1A), (1, 0, 0x1B), (1, 0, 0x1C), (1, 0, 0x1D),
    (1, 1, 0x0C), (1, 1, 0x0D), (1, 1, 0x0F), (1, 1, 0x19), (1, 1, 0x1A), (1, 1, 0x1B),
    (1, 1, 0x1D), (1, 1, 0x1F),
}


_FP16_2MISC_SCALAR = {
    (0, 0, 0x1A), (0, 0, 0x1B), (0, 0, 0x1C), (0, 0, 0x1D), (0, 1, 0x0C), (0, 1, 0x0D),
    (0, 1, 0x0E), (0, 1, 0x1A), (0, 1, 0x1B), (0, 1, 0x1D), (0, 1, 0x1F),
    (1, 0, 0x1A), (1, 0, 0x1B), (1, 0, 0x1C), (1, 0, 0x1D), (1, 1, 0x0C), (1, 1, 0x0D),
    (1, 1, 0x1A), (1, 1, 0x1B), (1, 1, 0x1D),
}


_FP16_2MISC_L = sorted(_FP16_2MISC)
_FP16_2MISC_SCALAR_L = sorted(_FP16_2MISC_SCALAR)

# simd_2misc's decode rows (integer, S/D and FP16; vector and scalar,
# including the scalar reciprocal estimates of fp.insn)
_2MISC_ROWS = (
    "SINT_MISC_A", "SINT_MISC_B", "SINT_MISC_N", "SINT_MISC_QXTN",
    "SINT_SMISC_A", "SINT_SMISC_B", "SINT_SMISC_N", "SINT_SMISC_QXTN",
    "SFP_M_CMPZ", "SFP_M_FCVTN", "SFP_M_FCVTL", "SFP_M_RINT", "SFP_M_CVT", "SFP_M_CVTA",
    "SFP_M_URECPE", "SFP_M_CVTF", "SFP_M_RECPE", "SFP_M_FSQRT",
    "SFP_MH_CMPZ", "SFP_MH_RINT", "SFP_MH_CVT", "SFP_MH_CVTA", "SFP_MH_CVTF", "SFP_MH_RECPE",
    "SFP_MH_FSQRT",
    "SFP_SM_CMPZ", "SFP_SM_FCVTXN", "SFP_SM_CVT", "SFP_SM_CVTA", "SFP_SM_CVTF",
    "SFP_SMH_CMPZ", "SFP_SMH_CVT", "SFP_SMH_CVTA", "SFP_SMH_CVTF",
    "FRECPE_s", "FRECPE_h", "FRECPX_s", "FRECPX_h", "FRSQRTE_s", "FRSQRTE_h", UNALLOC,
)
_2MISC_FP16 = 0b11100    # bits 21:17 of the FP16 group (0b10000: the others)


def _2misc_draw(g, row):
    """Raw two-register misc word: scalar 1/8, FP16 group 1/8 (allocated
    (U, a, opcode) only); for a row, its group."""
    r = g.r
    if row is None:
        scalar, fp16 = r(3) == 0, r(3) == 0
    else:
        b = _row_bits(row)
        scalar, fp16 = (b >> 28) & 1, (b >> 17) & 31 == _2MISC_FP16
    u, size, opcode = r(1), r(2), r(5)
    q = r(1)
    rd, rn = r(5), r(5)
    if fp16:
        # QEMU-ABORT: QEMU 5's translator aborts on unallocated FP16
        # two-reg misc opcodes (e.g. 0x6ef82805): allocated ones only.
        u, a, opcode = g.rng.choice(_FP16_2MISC_SCALAR_L if scalar else _FP16_2MISC_L)
        base = 0x5E780800 if scalar else 0x0E780800 | (q << 30)
        return base | (u << 29) | (a << 23) | (opcode << 12) | (rn << 5) | rd
    base = 0x5E200800 if scalar else 0x0E200800 | (q << 30)
    return base | (u << 29) | (size << 22) | (opcode << 12) | (rn << 5) | rd


def _2misc_ok(w):
    u, scalar, opcode = (w >> 29) & 1, (w >> 28) & 1, (w >> 12) & 31
    grp = (w >> 17) & 31
    if grp == _2MISC_FP16:
        return (u, (w >> 23) & 1, opcode) in (_FP16_2MISC_SCALAR if scalar else _FP16_2MISC)
    return grp == 0b10000 and not _excluded_2misc(u, (w >> 22) & 3, opcode)


def simd_2misc(g):
    """Advanced SIMD two-register misc (vector and scalar), all U/size/opcode
    combinations (incl. the FP conversions, estimates, compares with zero,
    narrowing XTN/SQXTN/FCVTN/FCVTXN and widening FCVTL), and the FP16
    two-register misc group; one decode row at a time (`_row_word`).
    vector: 0 Q U 01110 size 10000 opcode[16:12] 10 Rn Rd;
    scalar: 01 U 11110 size 10000 opcode 10 Rn Rd;
    FP16:   0 Q U 01110 a 1111 00 opcode 10 Rn Rd (scalar 01 U 11110 ...).
    Not generated: FRINT32*/FRINT64* (FEAT_FRINTTS), BFCVTN (FEAT_BF16),
    unallocated FP16 opcodes (QEMU-ABORT)."""
    w = _row_word(g, "simd_2misc", _2MISC_ROWS, _2misc_draw, _2misc_ok)
    rd, rn = w & 31, (w >> 5) & 31
    if (w >> 17) & 31 == _2MISC_FP16:
        v = _vecs(g, 16, (rd,))
        v[rn] = lanes([fpval(g, 16) for _ in range(8)], 16)
    else:
        size, opcode = (w >> 22) & 3, (w >> 12) & 31
        fpop = opcode >= 0x0C and opcode not in (0x12, 0x13, 0x14)
        v = _vecs(g, (32 << (size & 1)) if fpop else (8 << size), (rd, rn))
    return case(g, w, None, v)


@_retry
def simd_across(g):
    """Advanced SIMD across lanes: SADDLV/SMAXV/SMINV/ADDV/UADDLV/UMAXV/
    UMINV, FMAXNMV/FMAXV/FMINNMV/FMINV (S and FP16), and the scalar pairwise
    group (ADDP, FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP), all U/size/opcode.
    across:   0 Q U 01110 size 11000 opcode 10 Rn Rd;
    pairwise: 01 U 11110 size 11000 opcode 10 Rn Rd."""
    r = g.r
    u, size, opcode = r(1), r(2), r(5)
    if r(1):
        opcode = g.rng.choice((0x03, 0x0A, 0x1A, 0x1B, 0x0C, 0x0F, 0x0D, 0x1A))
    q = r(1)
    rd, rn = r(5), r(5)
    pairwise = r(2) == 0
    # Unicorn bug (see README, "Unicorn findings"): with U = 0 the FP
    # opcodes are the FP16 forms (across lanes: FMAXNMV/FMINNMV 0x0C,
    # FMAXV/FMINV 0x0F; scalar pairwise: FMAXNMP/FMINNMP 0x0C, FADDP 0x0D,
    # FMAXP/FMINP 0x0F), whose encodings fix bit 22 (size<0>) to 0: the
    # Arm ARM half-precision classes (AARCHMRS FMAXNMV_asimdall_only_H,
    # FADDP_asisdpair_only_H, ...; C7.2 FMAXNMV/FADDP (scalar)) have no
    # sz field and their decode never reads bit 22, so U = 0, size<0> = 1
    # is unallocated, i.e. UNDEFINED (hypsim UNDEFs).  QEMU 5's
    # disas_simd_across_lanes / disas_simd_scalar_pairwise ignore the bit
    # and execute them, e.g. 0x4ef0c898, 0x0ef0fb6a, 0x5e70dab3.
    if u == 0 and size & 1 and opcode in ((0x0C, 0x0D, 0x0F) if pairwise else (0x0C, 0x0F)):
        return None
    if pairwise:
        insn = 0x5E300800 | (u << 29) | (size << 22) | (opcode << 12) | (rn << 5) | rd
    else:
        insn = 0x0E300800 | (q << 30) | (u << 29) | (size << 22) | (opcode << 12) | (rn << 5) | rd
    v = _vecs(g, g.rng.choice((16, 32, 64)) if opcode >= 0x0C else 8 << size, (rd, rn))
    return case(g, insn, None, v)


@_retry
def simd_shift_imm(g):
    """Advanced SIMD shift by immediate (vector and scalar), all
    U/immh/immb/opcode: SSHR/SSRA/SRSHR/SRSRA/SRI/SHL/SLI/SQSHL(U)/SHRN/
    RSHRN/SQSHRN/SQRSHRN/SQSHRUN/SQRSHRUN/SSHLL/SCVTF/FCVTZS (fixed) ...
    vector: 0 Q U 011110 immh[22:19] immb opcode[15:11] 1 Rn Rd (immh != 0);
    scalar: 01 U 111110 immh immb opcode 1 Rn Rd."""
    r = g.r
    u, immh, immb, opcode = r(1), r(4) or (1 << r(2)), r(3), r(5)
    if r(1):
        opcode = g.rng.choice((0x00, 0x02, 0x04, 0x06, 0x08, 0x0A, 0x0C, 0x0E, 0x10, 0x11,
                               0x12, 0x13, 0x14, 0x1C, 0x1F))
    q = r(1)
    rd, rn = r(5), r(5)
    scalar = r(2) == 0
    # Unicorn bug (see README, "Unicorn findings"): scalar FCVTZS (vector,
    # fixed-point) on H (U = 0, opcode 11111, immh = 001x), e.g. 0x5f1dfc82
    # `fcvtzs h2, h4, #3`, sign-extends the 16-bit result into bits 31:16
    # of Vd.  The Arm ARM (C7.2 FCVTZS/FCVTZU (vector, fixed-point), scalar
    # class: datasize = esize = 16, elements = 1; Operation: result =
    # Zeros(128) (merging only with FEAT_AFP's FPCR.NEP), Elem[result, 0,
    # 16] = FPToFixed(..., 16), V[d, 128] = result) zeroes every bit above
    # bit 15; hypsim does.  FCVTZU, SCVTF and UCVTF H forms agree with
    # Unicorn (0 mismatches in 100 000 cases) and stay in.
    if scalar and u == 0 and opcode == 0x1F and immh >> 1 == 1:
        return None
    if scalar:
        insn = 0x5F000400 | (u << 29) | (immh << 19) | (immb << 16) | (opcode << 11) | (rn << 5) | rd
    else:
        insn = 0x0F000400 | (q << 30) | (u << 29) | (immh << 19) | (immb << 16) | (opcode << 11) | (rn << 5) | rd
    es = 8 << min(3, immh.bit_length() - 1)
    v = _vecs(g, es, (rd, rn))
    return case(g, insn, None, v)


@_retry
def simd_permute(g):
    """ZIP1/ZIP2/UZP1/UZP2/TRN1/TRN2, EXT, TBL/TBX (1-4 registers, table
    wrapping around V31 -> V0).
    permute: 0 Q 001110 size 0 Rm 0 opcode[14:12] 10 Rn Rd (opcode 000/100
             unallocated; size 11 with Q = 0 reserved);
    EXT:     0 Q 101110 op2 0 Rm 0 imm4 0 Rn Rd (op2 != 00 unallocated,
             Q = 0 with imm4<3> = 1 reserved);
    TBL/TBX: 0 Q 001110 op2 0 Rm 0 len op 00 Rn Rd (op2 != 00 unallocated)."""
    r = g.r
    q = r(1)
    rd, rn, rm = r(5), r(5), r(5)
    k = r(2)
    if k <= 1:
        size, opcode = r(2), r(3)
        insn = 0x0E000800 | (q << 30) | (size << 22) | (rm << 16) | (opcode << 12) | (rn << 5) | rd
        undef = opcode in (0, 4) or (size == 3 and q == 0)
    elif k == 2:
        op2 = 0 if r(4) else r(2)
        imm4 = r(4)
        insn = 0x2E000000 | (q << 30) | (op2 << 22) | (rm << 16) | (imm4 << 11) | (rn << 5) | rd
        undef = op2 != 0 or (q == 0 and imm4 >= 8)
    else:
        op2 = 0 if r(4) else r(2)
        ln, op = r(2), r(1)
        insn = 0x0E000000 | (q << 30) | (op2 << 22) | (rm << 16) | (ln << 13) | (op << 12) | (rn << 5) | rd
        undef = op2 != 0
    v = _vecs(g, 8, (rd, rn, rn + 1, rn + 2, rn + 3, rm))
    if k == 3:
        # indices: mostly in range of the table (16*(len+1)), some out of range
        lim = 16 * (((insn >> 13) & 3) + 1)
        v[rm] = lanes([g.rng.randrange(lim) if r(2) else r(8) for _ in range(16)], 8)
    return case(g, insn, undef, v)


@_retry
def simd_3diff(g):
    """Advanced SIMD three different (vector and scalar): SADDL/SADDW/
    SSUBL/SSUBW/ADDHN/SABAL/SUBHN/SABDL/SMLAL/SQDMLAL/SMLSL/SQDMLSL/SMULL/
    SQDMULL/PMULL and the U variants, all U/size/opcode.
    vector: 0 Q U 01110 size 1 Rm opcode[15:12] 00 Rn Rd;
    scalar: 01 U 11110 size 1 Rm opcode 00 Rn Rd.
    Not generated: PMULL with size 11 (the 64-bit PMULL is FEAT_PMULL,
    part of the crypto extension)."""
    r = g.r
    u, size, opcode = r(1), r(2), r(4)
    if opcode == 0xE and size == 3 and u == 0:
        return None
    q = r(1)
    rd, rn, rm = r(5), r(5), r(5)
    if r(3) == 0:
        insn = 0x5E200000 | (u << 29) | (size << 22) | (rm << 16) | (opcode << 12) | (rn << 5) | rd
    else:
        insn = 0x0E200000 | (q << 30) | (u << 29) | (size << 22) | (rm << 16) | (opcode << 12) | (rn << 5) | rd
    v = _vecs(g, 8 << size, (rd, rn, rm))
    return case(g, insn, None, v)


# by element opcodes that belong to extensions: (U, opcode)
# SDOT/UDOT (1110), SQRDMLAH/SQRDMLSH (U=1 1101/1111), FMLAL/FMLSL
# (U=0 size 10 opcode 0000/0100 and U=1 size 10 1000/1100), FCMLA (U=1 0xx1),
# BFDOT/BFMLAL/USDOT/SUDOT (U=0 size 00/01/11 ... 1111).
def _excluded_elem(u, size, opcode):
    if opcode == 0xE:
        return True
    if u == 1 and opcode in (0xD, 0xF):
        return True
    if u == 0 and opcode == 0xF and size in (0, 1, 3):
        return True
    if size == 2 and ((u == 0 and opcode in (0, 4)) or (u == 1 and opcode in (8, 0xC))):
        return True
    if u == 1 and size >= 1 and opcode & 9 == 1:
        return True
    return False


# simd_by_elem's decode rows (integer, S/D and FP16; vector and scalar)
_ELEM_ROWS = (
    "SINT_ELEM_MLA", "SINT_ELEM_MUL", "SINT_ELEM_LONG", "SINT_ELEM_MULL", "SINT_ELEM_QDL",
    "SINT_ELEM_QDMULL", "SINT_ELEM_QDMULH", "SINT_SELEM_QDL", "SINT_SELEM_QDMULL",
    "SINT_SELEM_QDMULH",
    "SFP_E_FMLA", "SFP_E_FMUL", "SFP_SE_FMLA", "SFP_SE_FMUL",
    "SFP_EH_FMLA", "SFP_EH_FMUL", "SFP_SEH_FMLA", "SFP_SEH_FMUL", UNALLOC,
)


def _elem_draw(g, row):
    """Raw by-element word: scalar 1/8; for a row, its group."""
    r = g.r
    scalar = r(3) == 0 if row is None else (_row_bits(row) >> 28) & 1
    u, size, opcode = r(1), r(2), r(4)
    q, l, m, h = r(1), r(1), r(1), r(1)
    rd, rn, rm = r(5), r(5), r(4)
    base = 0x5F000000 if scalar else 0x0F000000 | (q << 30)
    return (base | (u << 29) | (size << 22) | (l << 21) | (m << 20) | (rm << 16) | (opcode << 12)
            | (h << 11) | (rn << 5) | rd)


def _elem_ok(w):
    return not _excluded_elem((w >> 29) & 1, (w >> 22) & 3, (w >> 12) & 15)


def simd_by_elem(g):
    """Advanced SIMD (vector and scalar) x indexed element: MLA/MLS/MUL,
    SMLAL/SMULL/SQDMLAL/SQDMULL/SQDMULH/SQRDMULH (and U variants),
    FMLA/FMLS/FMUL/FMULX (H/S/D), all U/size/L/M/H/opcode; one decode row
    at a time (`_row_word`).
    vector: 0 Q U 01111 size L M Rm opcode[15:12] H 0 Rn Rd;
    scalar: 01 U 11111 size L M Rm opcode H 0 Rn Rd.
    Not generated: SDOT/UDOT, SQRDMLAH/SH, FMLAL/FMLSL, FCMLA, BF16/I8MM
    dot products (extensions)."""
    w = _row_word(g, "simd_by_elem", _ELEM_ROWS, _elem_draw, _elem_ok)
    rd, rn, rm = w & 31, (w >> 5) & 31, (w >> 16) & 15
    size, opcode = (w >> 22) & 3, (w >> 12) & 15
    fp = opcode in (1, 5, 9)
    v = _vecs(g, (16 if size == 0 else 32 << (size & 1)) if fp else 8 << size, (rd, rn, rm, rm | 16))
    return case(g, w, None, v)


# FEAT_RDM forms (kind, s): vector / scalar three same extra, vector / scalar
# by element; s = 0 SQRDMLAH, 1 SQRDMLSH.
_RDM_FORMS = [(k, s) for k in range(4) for s in (0, 1)]


def simd_rdm(g):
    """FEAT_RDM: SQRDMLAH/SQRDMLSH, vector and scalar three same extra
    (0 Q 1 01110 size 0 Rm 1000 S 1 Rn Rd; 01 1 11110 size 0 Rm 1000 S 1 Rn
    Rd) and (scalar) by element (0 Q 1 01111 size L M Rm 11 S 1 H 0 Rn Rd;
    01 1 11111 ...), the 8 (form, S) pairs in a stratified cycle; size 1 or
    2 (H, S; 0 and 3 UNDEFINED), one time in eight a reserved size; Q, L, M,
    H and registers random.  Lanes are mostly edge values (the saturation
    limits, zero, -1, powers of two), so the doubling, rounding and
    saturation (FPSR.QC) are all exercised."""
    r = g.r
    kind, s = _next_row(g, "simd_rdm", _RDM_FORMS)
    size = g.rng.choice((0, 3)) if r(3) == 0 else 1 + r(1)
    q, rd, rn, rm = r(1), r(5), r(5), r(5)
    if kind == 0:
        w = 0x2E008400 | (q << 30) | (size << 22) | (rm << 16) | (s << 11)
    elif kind == 1:
        w = 0x7E008400 | (size << 22) | (rm << 16) | (s << 11)
    else:
        w = 0x2F00D000 if kind == 2 else 0x7F00D000
        w |= (q << 30) if kind == 2 else 0
        w |= (size << 22) | (r(1) << 21) | (r(1) << 20) | ((rm & 15) << 16) | (s << 13) | (r(1) << 11)
    w |= (rn << 5) | rd
    v = _vecs(g, 16 if size != 2 else 32, (rd, rn, rm, rm & 15))
    return case(g, w, None, v)


FP_SIMD = [
    fp_arith, fp_cmp, fp_cvt, fp_minmax_recip, simd_ldst, simd_mov, simd_3same,
    simd_2misc, simd_across, simd_shift_imm, simd_permute, simd_3diff, simd_by_elem,
    simd_rdm,
]


# --------------------------------------------------------------------------
# QEMU-oracle classes (oracle.QemuOracle, README "QEMU oracle"): the forms
# that the Unicorn classes above skip because Unicorn 2.1.4 gets them wrong
# --------------------------------------------------------------------------

# FP16 across lanes and FP16 scalar pairwise with U = 0 and size<0> = 1
# (pairwise, a, opcode): across FMAXNMV/FMINNMV 01100, FMAXV/FMINV 01111;
# pairwise FMAXNMP/FMINNMP 01100, FADDP 01101, FMAXP/FMINP 01111.  Bit 22
# is a fixed 0 in the half-precision encodings, so all of these are
# unallocated (UNDEFINED); Unicorn executes them (README).
_FP16_SZ1_FORMS = ([(0, a, op) for a in (0, 1) for op in (0x0C, 0x0F)]
                   + [(1, a, op) for a in (0, 1) for op in (0x0C, 0x0D, 0x0F)])


def qemu_fp16_sz1(g):
    """FP16 across lanes (0 Q 0 01110 a 1 11000 opcode 10 Rn Rd) and FP16
    scalar pairwise (01 0 11110 a 1 11000 opcode 10 Rn Rd) with size<0> =
    1: UNDEFINED.  The 10 (pairwise, a, opcode) forms come in a stratified
    uniform cycle; Vn holds FP16 lanes."""
    r = g.r
    pairwise, a, opcode = _next_row(g, "qemu_fp16_sz1", _FP16_SZ1_FORMS)
    q, rd, rn = r(1), r(5), r(5)
    size = (a << 1) | 1
    if pairwise:
        insn = 0x5E300800 | (size << 22) | (opcode << 12) | (rn << 5) | rd
    else:
        insn = 0x0E300800 | (q << 30) | (size << 22) | (opcode << 12) | (rn << 5) | rd
    v = bg_v(g)
    v[rn] = lanes([fpval(g, 16) for _ in range(8)], 16)
    return case(g, insn, True, v)


def _fix_boundary16(g, fbits):
    """An FP16 value x such that x * 2^fbits lies on or next to an integer
    rounding boundary (halfway ...1000 / ...0111 / ...1001 patterns at the
    binary point) or near the int16 saturation limits."""
    r = g.r
    ut = g.rng.choice((-1, 0, 1, 2, 3, 7, 8, 14, 15, 16))    # exponent of x * 2^fbits
    ue = ut - fbits
    if ue < -14:
        return _pack(r(1), 0, r(10) or 1, 16)                 # denormal
    ue = min(ue, 15)
    frac = r(10)
    pos = 10 - ut - 1                                         # the 0.5 place of x * 2^fbits
    if 0 <= pos < 10:
        frac &= ~((1 << (pos + 1)) - 1)
        frac |= g.rng.choice((1 << pos, (1 << pos) - 1, (1 << pos) + 1, 0)) & ((1 << (pos + 1)) - 1)
        frac &= 0x3FF
    return _pack(r(1), ue + 15, frac, 16)


def qemu_fcvtzs_h(g):
    """Scalar FCVTZS (vector, fixed-point), half precision:
    fcvtzs Hd, Hn, #fbits, 01 0 111110 immh immb 11111 1 Rn Rd with
    immh = 001x, fbits = 32 - immh:immb = 1..16, all uniformly.  Hn is an
    FP16 edge value or a value whose scaled form is on a rounding or
    saturation boundary; the upper bits of Vn (ignored) and Vd (to be
    zeroed: Unicorn sign-extends into bits 31:16, README) are random."""
    r = g.r
    immhb = 16 + r(4)
    rd, rn = r(5), r(5)
    insn = 0x5F00FC00 | (immhb << 16) | (rn << 5) | rd
    val = fpval(g, 16) if r(1) else _fix_boundary16(g, 32 - immhb)
    v = bg_v(g)
    v[rn] = (v[rn] & (M128 ^ 0xFFFF)) | val
    return case(g, insn, False, v)


def _js_edge(g):
    """A double near FJCVTZS's edges: integers and near-integers around 0,
    +-2^31, 2^32 and 2^52..2^84 (where the low 32 bits of the integer part are
    still defined, or are all zero), with random low fraction bits."""
    r = g.r
    ue = g.rng.choice((-1, 0, 1, 30, 31, 32, 33, 51, 52, 53, 63, 64, 83, 84, 85))
    frac = r(52)
    if r(1):
        # An integer (or within one ulp of one) at this exponent.
        drop = max(0, 52 - ue)
        frac &= ~((1 << drop) - 1) & ((1 << 52) - 1)
        frac |= g.rng.choice((0, 0, 1)) if drop else 0
    return _pack(r(1), ue + 1023, frac, 64)


def qemu_fjcvtzs(g):
    """FJCVTZS Wd, Dn (FEAT_JSCVT: 0 00 11110 01 1 11 110 000000 Rn Rd): the
    double truncated toward zero modulo 2^32, Z set only for an exact
    in-range result, with FPSR.IOC/IXC.  Dn is an FP edge value or a value
    near the conversion's edges (_js_edge); X8's upper half must be zeroed (the
    QEMU harness keeps only X8 of the general registers: Rd = 8)."""
    r = g.r
    rd, rn = 8, r(5)
    insn = 0x1E7E0000 | (rn << 5) | rd
    val = fpval(g, 64) if r(1) else _js_edge(g)
    v = bg_v(g)
    v[rn] = (v[rn] & (M128 ^ ((1 << 64) - 1))) | val
    return case(g, insn, False, v)


QEMU_FP = [qemu_fp16_sz1, qemu_fcvtzs_h, qemu_fjcvtzs]
