"""FP/SIMD generators for the FP extensions after Armv8.0 and FEAT_FP16 that
hypsim implements (case format as in fpsimd.py, whose value helpers these
use): FEAT_FRINTTS (fp_frintts), FEAT_FCMA (simd_fcma; qemu_fcmla_4h for
the form Unicorn gets wrong), FEAT_FHM (simd_fhm).  One class per feature:
each cycles through the feature's forms (_next_row), so every instruction
gets its share, and draws operands biased to the edges that feature has
(near the integer limits for FRINT32/64, exact cancellation for the fused
multiply-adds).  The classes over whole encoding groups in fpsimd.py still
leave these encodings out.
"""

import math

from fpsimd import M128, _pack, _next_row, bg_v, case, fpval, lanes

# --------------------------------------------------------------------------
# FEAT_FRINTTS
# --------------------------------------------------------------------------


def _intn_edge(g, esize):
    """An FP value of `esize` bits near the limits of FRINT32*/FRINT64*:
    around +-2^31 and +-2^63 (just inside, on, just outside, or halfway
    between integers there, where the rounding mode decides whether the
    result overflows), around small integers and halfway cases, and above
    2^64.  Random sign."""
    r = g.r
    e, f = {32: (8, 23), 64: (11, 52)}[esize]
    bias = (1 << (e - 1)) - 1
    ue = g.rng.choice((30, 31, 31, 32, 62, 63, 63, 64, 65, -1, 0, 1, f - 1, f, f + 1))
    k = r(2)
    if k == 0:
        frac = (1 << f) - 1                          # just below 2^(ue+1)
    elif k == 1:
        frac = g.rng.choice((0, 1))                  # on 2^ue or one ulp above
    else:
        frac = r(f)
        pos = f - ue - 1                             # the 0.5 place
        if 0 <= pos < f:
            frac &= ~((1 << (pos + 1)) - 1)
            frac |= g.rng.choice((1 << pos, (1 << pos) - 1, (1 << pos) + 1, 0)) & ((1 << (pos + 1)) - 1)
    return _pack(r(1), ue + bias, frac & ((1 << f) - 1), esize)


def _intn_val(g, esize):
    """FRINT32/64 operand: half FP edge values (fpval), half _intn_edge."""
    return fpval(g, esize) if g.r(1) else _intn_edge(g, esize)


# (vector, op): op<1> 64-bit range, op<0> FPCR rounding (X) instead of Z.
_FRINTTS_FORMS = [(vec, op) for vec in (0, 1) for op in range(4)]


def fp_frintts(g):
    """FEAT_FRINTTS: FRINT32Z, FRINT32X, FRINT64Z, FRINT64X, scalar
    (0 00 11110 ftype 1 0100 op 10000 Rn Rd, S/D) and vector (0 Q U 01110 0
    sz 10000 1111 o 10 Rn Rd with U = X, o = 64-bit: .2S/.4S/.2D), the 8
    (form, op) pairs in a stratified cycle; ftype 1x (H, 10) one scalar case
    in 16 and sz:Q = 10 one vector case in 16, both UNDEFINED.  Lanes half FP
    edge values, half values near the integer limits and rounding boundaries
    (_intn_edge); every FPCR mode (RMode decides the X forms and, near the
    limits, whether the result overflows to the most negative integer with
    IOC; FZ flushes denormal inputs with IDC)."""
    r = g.r
    vec, op = _next_row(g, "fp_frintts", _FRINTTS_FORMS)
    rd, rn = r(5), r(5)
    v = bg_v(g)
    if vec:
        sz, q = r(1), r(1)
        if sz and not q and r(4):
            q = 1                                    # .1D reserved: rarely
        esize = 64 if sz else 32
        insn = (0x0E21E800 | (q << 30) | ((op & 1) << 29) | (sz << 22) | ((op >> 1) << 12)
                | (rn << 5) | rd)
        v[rn] = lanes([_intn_val(g, esize) for _ in range(128 // esize)], esize)
        undef = sz == 1 and q == 0
    else:
        ft = g.rng.choice((2, 3)) if r(4) == 0 else r(1)
        esize = 64 if ft == 1 else 32
        insn = 0x1E284000 | (ft << 22) | (op << 15) | (rn << 5) | rd
        v[rn] = (v[rn] & (M128 ^ ((1 << esize) - 1))) | _intn_val(g, esize)
        undef = ft >= 2
    return case(g, insn, undef, v)


# --------------------------------------------------------------------------
# FEAT_FCMA
# --------------------------------------------------------------------------

_SMALL = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 0.25)


def _small(g, esize):
    """A small exact value (0, 0.25 .. 4) with a random sign, so that sums of
    products cancel exactly now and then (the sign of an exact zero result
    depends on the rounding mode)."""
    x = g.rng.choice(_SMALL)
    e, f = {16: (5, 10), 32: (8, 23), 64: (11, 52)}[esize]
    if x == 0.0:
        return _pack(g.r(1), 0, 0, esize)
    m, ex = math.frexp(x)                        # x = m * 2^ex, 0.5 <= m < 1
    frac = int((m * 2 - 1) * (1 << f))
    return _pack(g.r(1), ex - 1 + (1 << (e - 1)) - 1, frac, esize)


def _fp_lanes(g, esize, small):
    """A V value of FP lanes: edge values (fpval), or, with `small`, mostly
    small exact values."""
    n = 128 // esize
    if small:
        return lanes([_small(g, esize) if g.r(3) else fpval(g, esize) for _ in range(n)], esize)
    return lanes([fpval(g, esize) for _ in range(n)], esize)


def _fcma_vecs(g, esize, regs):
    """Background V file with FP lanes of `esize` bits in `regs` (all small
    exact values one case in four, so that results cancel to zero)."""
    v = bg_v(g)
    small = g.r(2) == 0
    for n in regs:
        v[n] = _fp_lanes(g, esize, small)
    return v


_FCMA_FORMS = ("vec", "add", "elem")


def simd_fcma(g):
    """FEAT_FCMA: FCMLA (vector: 0 Q 1 01110 size 0 Rm 1 10 rot 1 Rn Rd), FCADD
    (0 Q 1 01110 size 0 Rm 1 11 rot 0 1 Rn Rd) and FCMLA (by element: 0 Q 1
    01111 size L M Rm 0 rot 1 H 0 Rn Rd), the 3 forms in a stratified cycle;
    size H (FP16), S or D (vector; by element H with index H:L, S with index
    H, Vm = M:Rm), every rotation, Q random but for the by-element .4h form,
    which is qemu_fcmla_4h's.  One case in 16 a reserved size/Q/L
    combination (UNDEFINED): size 00, .1D, by element size 11 or S with
    L = 1 or Q = 0.  Lanes of Vn, Vm and Vd FP edge values, or (one case in
    four) mostly small exact values, so that the fused products cancel
    exactly; every FPCR mode (FZ16 for H)."""
    r = g.r
    form = _next_row(g, "simd_fcma", _FCMA_FORMS)
    q, rd, rn, rm = r(1), r(5), r(5), r(5)
    bad = r(4) == 0
    if form == "elem":
        # .4h (size 01, Q = 0) is qemu_fcmla_4h's: Unicorn's flags are wrong there.
        size, q, l, h = g.rng.choice((1, 2)), 1, r(1), r(1)
        if size == 2:
            l = 0
        if bad:
            size, q, l, h = g.rng.choice(((0, r(1), r(1), r(1)), (3, r(1), r(1), r(1)),
                                          (2, 1, 1, r(1)), (2, 0, r(1), r(1))))
        undef = size in (0, 3) or (size == 2 and (l or not q))
        insn = _fcmla_elem(g, q, size, l, h, rm, rn, rd)
    else:
        size = g.rng.choice((1, 2, 3))
        if size == 3:
            q = 1
        if bad:
            size, q = g.rng.choice(((0, r(1)), (3, 0)))
        undef = size == 0 or (size == 3 and not q)
        if form == "vec":
            insn = 0x2E00C400 | (r(2) << 11)
        else:
            insn = 0x2E00E400 | (r(1) << 12)
        insn |= (q << 30) | (size << 22) | (rm << 16) | (rn << 5) | rd
    esize = 8 << size if size else 16
    return case(g, insn, undef, _fcma_vecs(g, esize, (rn, rm, rd)))


def _fcmla_elem(g, q, size, l, h, rm, rn, rd):
    """FCMLA (by element): 0 Q 1 01111 size L M Rm 0 rot 1 H 0 Rn Rd, Vm =
    M:Rm, random rotation."""
    return (0x2F001000 | (q << 30) | (size << 22) | (l << 21) | ((rm >> 4) << 20)
            | ((rm & 15) << 16) | (g.r(2) << 13) | (h << 11) | (rn << 5) | rd)


def qemu_fcmla_4h(g):
    """FCMLA (by element) .4h (FEAT_FCMA, FP16: 0 0 1 01111 01 L M Rm 0 rot 1
    H 0 Rn Rd), index L (pair 0 or 1 of Vm = M:Rm), every rotation; one case
    in 16 with H = 1, a reserved index (UNDEFINED).  Checked against QEMU:
    Unicorn computes all eight H lanes of Vn and Vd and keeps the exception
    flags of the upper four.  Lanes as in simd_fcma."""
    r = g.r
    rd, rn, rm = r(5), r(5), r(5)
    h = 1 if r(4) == 0 else 0
    insn = _fcmla_elem(g, 0, 1, r(1), h, rm, rn, rd)
    return case(g, insn, h == 1, _fcma_vecs(g, 16, (rn, rm, rd)))


# --------------------------------------------------------------------------
# FEAT_FHM
# --------------------------------------------------------------------------

# (form, S): vector FMLAL (U = 0) / FMLAL2 (U = 1), by element likewise; S = 1
# is FMLSL / FMLSL2.
_FHM_FORMS = [(f, s) for f in ("vec", "vec2", "elem", "elem2") for s in (0, 1)]


def simd_fhm(g):
    """FEAT_FHM: FMLAL, FMLSL (U = 0), FMLAL2, FMLSL2 (U = 1), vector (0 Q U
    01110 S 0 1 Rm 1 1 U' 0 1 1 Rn Rd, opcode 11101 / 11001) and by element
    (0 Q U 01111 1 0 L M Rm U S 0 0 H 0 Rn Rd: H element H:L:M of V0-V15),
    the 8 (form, S) pairs in a stratified cycle; Q random.  The H lanes of
    Vn and Vm and the S lanes of Vd are FP edge values or, one case in four,
    mostly small exact values, so that the fused sums cancel to zeros whose
    sign the rounding mode decides; every FPCR mode (FZ16 flushes the H
    operands without IDC, FZ the S addend and result)."""
    r = g.r
    form, sub = _next_row(g, "simd_fhm", _FHM_FORMS)
    u = 1 if form.endswith("2") else 0
    q, rd, rn = r(1), r(5), r(5)
    if form.startswith("elem"):
        rm = r(4)
        insn = (0x0F800000 | (r(1) << 21) | (r(1) << 20) | (rm << 16) | (u << 15) | (sub << 14)
                | (r(1) << 11))
    else:
        rm = r(5)
        insn = (0x0E20CC00 if u else 0x0E20EC00) | (sub << 23) | (rm << 16)
    insn |= (q << 30) | (u << 29) | (rn << 5) | rd
    v = bg_v(g)
    small = r(2) == 0
    v[rn] = _fp_lanes(g, 16, small)
    v[rm] = _fp_lanes(g, 16, small)
    v[rd] = _fp_lanes(g, 32, small)
    return case(g, insn, False, v)


FP_SIMD2 = [fp_frintts, simd_fcma, simd_fhm]
QEMU_FP2 = [qemu_fcmla_4h]
