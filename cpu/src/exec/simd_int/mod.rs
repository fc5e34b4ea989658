//! Advanced SIMD integer data processing (Arm ARM C4.1.95, the integer opcodes of each
//! Advanced SIMD class): the `simd_int` rows of `a64/simd_int.insn`. One file per
//! encoding class (but dot.rs: the 8-bit dot products and matrix multiplies of FEAT_DotProd
//! and FEAT_I8MM, vector and by element); this file holds the visitor impl (decode of the
//! shared fields) and the element arithmetic they share.

mod diff;
mod dot;
mod elem;
mod misc;
mod perm;
mod shift;
mod three_same;

use super::{fp_check, undef, Exec, Flow};
use crate::a64::VisitSimdInt;
use crate::platform::Platform;
use crate::sysreg::SR;

/// Up to 16 elements of one vector, each zero-extended into a u64.
pub(super) type Lanes = [u64; 16];

/// All-ones in the low `bits` bits.
#[inline(always)]
pub(super) fn mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// The low `bits` bits of `v` as a signed value.
#[inline(always)]
pub(super) fn sx(v: u64, bits: u32) -> i64 {
    ((v << (64 - bits)) as i64) >> (64 - bits)
}

/// Element `v` of width `bits`, extended to i128 as unsigned (`u`) or signed.
#[inline(always)]
pub(super) fn ext(v: u64, bits: u32, u: bool) -> i128 {
    if u {
        (v & mask(bits)) as i128
    } else {
        sx(v, bits) as i128
    }
}

/// SatQ: `v` clamped to the signed or unsigned (`u`) range of `bits`, and whether it was
/// clamped.
#[inline(always)]
pub(super) fn sat(v: i128, bits: u32, u: bool) -> (u64, bool) {
    let (lo, hi) = if u {
        (0i128, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    };
    if v > hi {
        (hi as u64 & mask(bits), true)
    } else if v < lo {
        (lo as u64 & mask(bits), true)
    } else {
        (v as u64 & mask(bits), false)
    }
}

/// SQRDMLAH / SQRDMLSH (`sub`) of one element (FEAT_RDM): `acc` plus or minus the
/// rounded doubled product of `a` and `b`, high half, saturated (the pseudocode's
/// `(acc << esize) +/- 2 * a * b + (1 << (esize - 1))`, then `SignedSatQ(... >> esize)`).
#[inline(always)]
pub(super) fn rdm(acc: i128, a: i128, b: i128, bits: u32, sub: bool) -> (u64, bool) {
    let p = 2 * a * b;
    let v = (acc << bits) + if sub { -p } else { p } + (1i128 << (bits - 1));
    sat(v >> bits, bits, false)
}

/// Shift an extended element left by `sh` (right when negative, with rounding if `round`),
/// exactly (the caller truncates or saturates). `bits` is the element size.
#[inline(always)]
pub(super) fn shift_elem(a: i128, sh: i64, bits: u32, round: bool) -> i128 {
    if sh >= 0 {
        if sh >= bits as i64 {
            // Every non-zero value saturates and every truncation is zero.
            a.signum() << 126
        } else {
            a << sh
        }
    } else {
        let s = (-sh).min(bits as i64 + 1) as u32;
        let r = if round { 1i128 << (s - 1) } else { 0 };
        (a + r) >> s
    }
}

/// Polynomial (carry-less) multiply of two `bits`-bit values.
#[inline(always)]
pub(super) fn pmul(a: u64, b: u64, bits: u32) -> u128 {
    let mut r = 0u128;
    for i in 0..bits {
        if (b >> i) & 1 != 0 {
            r ^= (a as u128) << i;
        }
    }
    r
}

impl<B: Platform> Exec<'_, B> {
    /// Set FPSR.QC (a saturating operation saturated).
    #[inline(always)]
    pub(super) fn set_qc(&mut self) {
        let v = self.cpu.sr.get(SR::FPSR);
        self.cpu.sr.set(SR::FPSR, v | 1 << 27);
    }

    /// Set FPSR.QC if `sat`.
    #[inline(always)]
    pub(super) fn qc_if(&mut self, sat: bool) {
        if sat {
            self.set_qc()
        }
    }

    /// `count` elements of `bits` bits of V`n`, starting at element `first`.
    #[inline(always)]
    pub(super) fn lanes(&self, n: u32, first: u32, count: u32, bits: u32) -> Lanes {
        let mut l = [0u64; 16];
        let v = self.cpu.v[n as usize];
        for (i, e) in l.iter_mut().enumerate().take(count as usize) {
            *e = (v >> ((first + i as u32) * bits)) as u64 & mask(bits);
        }
        l
    }

    /// Write `count` elements of `bits` bits to V`d`, zeroing the bits above them.
    #[inline(always)]
    pub(super) fn put_lanes(&mut self, d: u32, l: &Lanes, count: u32, bits: u32) {
        let mut v = 0u128;
        for (i, &e) in l.iter().enumerate().take(count as usize) {
            v |= ((e & mask(bits)) as u128) << (i as u32 * bits);
        }
        self.cpu.set_v_width(d, count * bits, v);
    }

    /// Write `count` elements of `bits` bits to the upper 64 bits of V`d` (the "2" forms
    /// of narrowing instructions), keeping the lower half.
    #[inline(always)]
    pub(super) fn put_lanes_hi(&mut self, d: u32, l: &Lanes, count: u32, bits: u32) {
        let mut v = self.cpu.v[d as usize] & u64::MAX as u128;
        for (i, &e) in l.iter().enumerate().take(count as usize) {
            v |= ((e & mask(bits)) as u128) << (64 + i as u32 * bits);
        }
        self.cpu.v[d as usize] = v;
    }

    /// Write a narrowed 64-bit result: the lower half (`q` = 0, upper zeroed) or the upper
    /// half (`q` = 1, lower kept).
    #[inline(always)]
    pub(super) fn put_narrow(&mut self, d: u32, q: u32, l: &Lanes, count: u32, bits: u32) {
        if q == 0 {
            self.put_lanes(d, l, count, bits)
        } else {
            self.put_lanes_hi(d, l, count, bits)
        }
    }
}

impl<B: Platform> VisitSimdInt for Exec<'_, B> {
    fn sint_3same_lo(
        &mut self,
        q: u32,
        u: u32,
        size: u32,
        rm: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.three_same(false, q, u, size, rm, op, rn, rd)
    }
    fn sint_3same_hi(
        &mut self,
        q: u32,
        u: u32,
        size: u32,
        rm: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.three_same(false, q, u, size, rm, 0x10 | op, rn, rd)
    }
    fn sint_s3same_lo(&mut self, u: u32, size: u32, rm: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.three_same(true, 0, u, size, rm, op, rn, rd)
    }
    fn sint_s3same_hi(&mut self, u: u32, size: u32, rm: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.three_same(true, 0, u, size, rm, 0x10 | op, rn, rd)
    }
    fn sint_misc_a(&mut self, q: u32, u: u32, size: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.misc(false, q, u, size, op, rn, rd)
    }
    fn sint_misc_b(&mut self, q: u32, u: u32, size: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.misc(false, q, u, size, 0b01000 | op, rn, rd)
    }
    fn sint_misc_n(&mut self, q: u32, u: u32, size: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.misc(false, q, u, size, 0b10010 | op, rn, rd)
    }
    fn sint_misc_qxtn(&mut self, q: u32, u: u32, size: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.misc(false, q, u, size, 0b10100, rn, rd)
    }
    fn sint_smisc_a(&mut self, u: u32, size: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.misc(true, 0, u, size, op, rn, rd)
    }
    fn sint_smisc_b(&mut self, u: u32, size: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.misc(true, 0, u, size, 0b01000 | op, rn, rd)
    }
    fn sint_smisc_n(&mut self, u: u32, size: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.misc(true, 0, u, size, 0b10010 | op, rn, rd)
    }
    fn sint_smisc_qxtn(&mut self, u: u32, size: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.misc(true, 0, u, size, 0b10100, rn, rd)
    }
    fn sint_addlv(&mut self, q: u32, u: u32, size: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.across(q, u, size, 0b00011, rn, rd)
    }
    fn sint_maxv(&mut self, q: u32, u: u32, size: u32, o: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.across(q, u, size, o << 4 | 0b1010, rn, rd)
    }
    fn sint_addv(&mut self, q: u32, u: u32, size: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.across(q, u, size, 0b11011, rn, rd)
    }
    fn sint_addp_s(&mut self, size: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.addp_scalar(size, rn, rd)
    }
    fn sint_shift_a(
        &mut self,
        q: u32,
        u: u32,
        immh: u32,
        immb: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.shift_imm(false, q, u, immh, immb, op, rn, rd)
    }
    fn sint_shift_n(
        &mut self,
        q: u32,
        u: u32,
        immh: u32,
        immb: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.shift_imm(false, q, u, immh, immb, 0b10000 | op, rn, rd)
    }
    fn sint_shift_l(&mut self, q: u32, u: u32, immh: u32, immb: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.shift_imm(false, q, u, immh, immb, 0b10100, rn, rd)
    }
    fn sint_sshift_a(&mut self, u: u32, immh: u32, immb: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.shift_imm(true, 0, u, immh, immb, op, rn, rd)
    }
    fn sint_sshift_n(&mut self, u: u32, immh: u32, immb: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.shift_imm(true, 0, u, immh, immb, 0b10000 | op, rn, rd)
    }
    fn sint_perm(&mut self, q: u32, size: u32, rm: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.permute(q, size, rm, op, rn, rd)
    }
    fn sint_ext(&mut self, q: u32, rm: u32, imm4: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.ext(q, rm, imm4, rn, rd)
    }
    fn sint_tbl(&mut self, q: u32, rm: u32, len: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.tbl(q, rm, len, op, rn, rd)
    }
    fn sint_3diff(
        &mut self,
        q: u32,
        u: u32,
        size: u32,
        rm: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.three_diff(false, q, u, size, rm, op, rn, rd)
    }
    fn sint_s3diff(&mut self, size: u32, rm: u32, op: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.three_diff(true, 0, 0, size, rm, 0b1001 | op << 1, rn, rd)
    }
    fn sint_elem_mla(
        &mut self,
        q: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        o: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(false, q, 1, size, l, m, rm, o << 2, h, rn, rd)
    }
    fn sint_elem_mul(
        &mut self,
        q: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(false, q, 0, size, l, m, rm, 0b1000, h, rn, rd)
    }
    fn sint_elem_long(
        &mut self,
        q: u32,
        u: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        o: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(false, q, u, size, l, m, rm, o << 2 | 0b0010, h, rn, rd)
    }
    fn sint_elem_mull(
        &mut self,
        q: u32,
        u: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(false, q, u, size, l, m, rm, 0b1010, h, rn, rd)
    }
    fn sint_elem_qdl(
        &mut self,
        q: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        o: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(false, q, 0, size, l, m, rm, o << 2 | 0b0011, h, rn, rd)
    }
    fn sint_elem_qdmull(
        &mut self,
        q: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(false, q, 0, size, l, m, rm, 0b1011, h, rn, rd)
    }
    fn sint_elem_qdmulh(
        &mut self,
        q: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        r: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(false, q, 0, size, l, m, rm, 0b1100 | r, h, rn, rd)
    }
    fn sint_selem_qdl(
        &mut self,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        o: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(true, 0, 0, size, l, m, rm, o << 2 | 0b0011, h, rn, rd)
    }
    fn sint_selem_qdmull(
        &mut self,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(true, 0, 0, size, l, m, rm, 0b1011, h, rn, rd)
    }
    fn sint_selem_qdmulh(
        &mut self,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        r: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        self.by_elem(true, 0, 0, size, l, m, rm, 0b1100 | r, h, rn, rd)
    }
    fn sint_3extra_rdm(&mut self, q: u32, size: u32, rm: u32, s: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.rdm_same(false, q, size, rm, s, rn, rd)
    }
    fn sint_s3extra_rdm(&mut self, size: u32, rm: u32, s: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.rdm_same(true, 0, size, rm, s, rn, rd)
    }
    fn sint_elem_rdm(
        &mut self,
        q: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        s: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        let op = if s != 0 { elem::RDM_SUB } else { elem::RDM_ADD };
        self.by_elem(false, q, 0, size, l, m, rm, op, h, rn, rd)
    }
    fn sint_selem_rdm(
        &mut self,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        s: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        let op = if s != 0 { elem::RDM_SUB } else { elem::RDM_ADD };
        self.by_elem(true, 0, 0, size, l, m, rm, op, h, rn, rd)
    }
    // The dot products and matrix multiplies (dot.rs). SDOT/UDOT's size != 10 is
    // UNDEFINED at decode, so it is checked before the FP/SIMD access trap.
    fn sint_3extra_dot(&mut self, q: u32, u: u32, size: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        if size != 2 {
            return undef();
        }
        fp_check(self.cpu)?;
        self.dot(q, u != 0, u != 0, rm, None, rn, rd)
    }
    fn sint_elem_dot(
        &mut self,
        q: u32,
        u: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if size != 2 {
            return undef();
        }
        fp_check(self.cpu)?;
        self.dot(q, u != 0, u != 0, m << 4 | rm, Some(h << 1 | l), rn, rd)
    }
    fn sint_3extra_usdot(&mut self, q: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.dot(q, true, false, rm, None, rn, rd)
    }
    fn sint_elem_usdot(
        &mut self,
        q: u32,
        us: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        // USDOT: Vn unsigned, Vm signed; SUDOT the other way round.
        let us = us != 0;
        self.dot(q, us, !us, m << 4 | rm, Some(h << 1 | l), rn, rd)
    }
    fn sint_mmla(&mut self, u: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.mmla(u != 0, u != 0, rm, rn, rd)
    }
    fn sint_usmmla(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        self.mmla(true, false, rm, rn, rd)
    }
}
