//! Advanced SIMD floating point (Arm ARM C4.1.95, the FP opcodes of the Advanced SIMD
//! classes; semantics from the J1 shared pseudocode via [`crate::softfp`]): the `simd_fp`
//! rows of `a64/simd_fp.insn`. Every lane goes through the same soft-float operations as
//! the scalar instructions in `fp.rs`; the exception flags of all lanes accumulate into
//! FPSR. Three-same and by-element arithmetic on S/D lanes first tries the soft-float's
//! whole-vector host fast path (`Env::fast_lanes`, softfp/fast.rs), which gives the same
//! bits and flags when every lane qualifies.

use super::{fp_check, undef, Exec, Flow, Step};
use crate::a64::VisitSimdFp;
use crate::platform::Platform;
use crate::softfp::{Env, FastOp, Fmt, Kind, Rounding, D, H, S};
use crate::sysreg::SR;

/// Up to 8 lanes of one vector (16-bit lanes at most 8 in 128 bits).
pub(super) type Lanes = [u64; 8];

/// The format of an sz field: 0 = S, 1 = D.
#[inline(always)]
pub(super) fn fmt_sz(sz: u32) -> Fmt {
    if sz != 0 {
        D
    } else {
        S
    }
}

/// Element size (log2 bytes) of a format.
#[inline(always)]
fn esz(f: Fmt) -> u32 {
    match f.bits() {
        16 => 1,
        32 => 2,
        _ => 3,
    }
}

/// All ones in the width of `f` (the true result of a compare).
#[inline(always)]
fn ones(f: Fmt) -> u64 {
    u64::MAX >> (64 - f.bits())
}

/// A three-same FP operation (the (U, a, opcode<2:0>) of the class).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op3 {
    MaxNm,
    MinNm,
    Fmla,
    Fmls,
    Add,
    Sub,
    Abd,
    Mulx,
    Mul,
    CmEq,
    CmGe,
    CmGt,
    AcGe,
    AcGt,
    Max,
    Min,
    Recps,
    Rsqrts,
    Div,
}

/// Decode (U, a, opcode<2:0>) of a three-same FP encoding: the operation and whether it
/// is pairwise. None for unallocated combinations.
fn op3(u: u32, a: u32, op: u32) -> Option<(Op3, bool)> {
    use Op3::*;
    Some(match (u, a, op) {
        (0, 0, 0) => (MaxNm, false),
        (0, 1, 0) => (MinNm, false),
        (1, 0, 0) => (MaxNm, true),
        (1, 1, 0) => (MinNm, true),
        (0, 0, 1) => (Fmla, false),
        (0, 1, 1) => (Fmls, false),
        (0, 0, 2) => (Add, false),
        (0, 1, 2) => (Sub, false),
        (1, 0, 2) => (Add, true),
        (1, 1, 2) => (Abd, false),
        (0, 0, 3) => (Mulx, false),
        (1, 0, 3) => (Mul, false),
        (0, 0, 4) => (CmEq, false),
        (1, 0, 4) => (CmGe, false),
        (1, 1, 4) => (CmGt, false),
        (1, 0, 5) => (AcGe, false),
        (1, 1, 5) => (AcGt, false),
        (0, 0, 6) => (Max, false),
        (0, 1, 6) => (Min, false),
        (1, 0, 6) => (Max, true),
        (1, 1, 6) => (Min, true),
        (0, 0, 7) => (Recps, false),
        (0, 1, 7) => (Rsqrts, false),
        (1, 0, 7) => (Div, false),
        _ => return None,
    })
}

/// FPMulX: FPMul, except that infinity times zero is 2.0 with the product's sign.
fn mulx(e: &mut Env, f: Fmt, x: u64, y: u64) -> u64 {
    // The fast path takes no infinite operand: there FPMulX is FPMul.
    if let Some(r) = e.fast(FastOp::Mul, f, 0, x, y) {
        return r;
    }
    let a = e.unpack(f, x);
    let b = e.unpack(f, y);
    if let Some(r) = e.process_nans(f, &a, x, &b, y) {
        return r;
    }
    let inf_zero = (a.kind == Kind::Inf && b.kind == Kind::Zero)
        || (a.kind == Kind::Zero && b.kind == Kind::Inf);
    if inf_zero {
        return f.zero(a.sign != b.sign) | (1u64 << (f.e - 1)) << f.f;
    }
    e.mul(f, x, y)
}

/// A compare: which relation.
#[derive(Clone, Copy)]
enum Rel {
    Eq,
    Ge,
    Gt,
}

/// FPCompareEQ/GE/GT as an all-ones or zero element.
fn cmp(e: &mut Env, f: Fmt, x: u64, y: u64, rel: Rel) -> u64 {
    let nzcv = e.compare(f, x, y, !matches!(rel, Rel::Eq)) >> 28;
    let t = match rel {
        Rel::Eq => nzcv == 0x6,
        Rel::Ge => nzcv == 0x6 || nzcv == 0x2,
        Rel::Gt => nzcv == 0x2,
    };
    if t {
        ones(f)
    } else {
        0
    }
}

/// One lane of a (non-pairwise) three-same operation; `d` is the destination element.
fn lane3(e: &mut Env, f: Fmt, op: Op3, d: u64, n: u64, m: u64) -> u64 {
    use Op3::*;
    match op {
        MaxNm => e.max_min_num(f, n, m, true),
        MinNm => e.max_min_num(f, n, m, false),
        Fmla => e.muladd(f, d, n, m),
        Fmls => e.muladd(f, d, f.neg(n), m),
        Add => e.add(f, n, m, false),
        Sub => e.add(f, n, m, true),
        Abd => f.abs(e.add(f, n, m, true)),
        Mulx => mulx(e, f, n, m),
        Mul => e.mul(f, n, m),
        CmEq => cmp(e, f, n, m, Rel::Eq),
        CmGe => cmp(e, f, n, m, Rel::Ge),
        CmGt => cmp(e, f, n, m, Rel::Gt),
        AcGe => cmp(e, f, f.abs(n), f.abs(m), Rel::Ge),
        AcGt => cmp(e, f, f.abs(n), f.abs(m), Rel::Gt),
        Max => e.max_min(f, n, m, true),
        Min => e.max_min(f, n, m, false),
        Recps => e.recip_step(f, n, m),
        Rsqrts => e.rsqrt_step(f, n, m),
        Div => e.div(f, n, m),
    }
}

/// The host fast path of a three-same operation ([`crate::softfp`]'s `fast.rs`):
/// (operation, negate the first multiplicand, absolute value of the result). FMULX is
/// FMUL and FMAXNM/FMINNM are FMAX/FMIN for the operands the fast path accepts (no
/// infinities, no NaNs).
fn op3_fast(op: Op3) -> Option<(FastOp, bool, bool)> {
    use Op3::*;
    Some(match op {
        Fmla => (FastOp::MulAdd, false, false),
        Fmls => (FastOp::MulAdd, true, false),
        Add => (FastOp::Add, false, false),
        Sub => (FastOp::Sub, false, false),
        Abd => (FastOp::Sub, false, true),
        Mul | Mulx => (FastOp::Mul, false, false),
        Div => (FastOp::Div, false, false),
        Max | MaxNm => (FastOp::Max, false, false),
        Min | MinNm => (FastOp::Min, false, false),
        _ => return None,
    })
}

/// The (up to) 4 lanes of a register in format `f` (S or D).
#[inline(always)]
fn split4(v: u128, f: Fmt) -> [u64; 4] {
    let b = f.bits();
    let mut l = [0u64; 4];
    for (i, x) in l.iter_mut().enumerate().take((128 / b) as usize) {
        *x = (v >> (i as u32 * b)) as u64 & ones(f);
    }
    l
}

/// Rounding of the FRINT opcodes: (U, a, o) → (mode or None for FPCR, exact).
fn rint_mode(u: u32, a: u32, o: u32) -> Option<(Option<Rounding>, bool)> {
    Some(match (u, a, o) {
        (0, 0, 0) => (Some(Rounding::TieEven), false),
        (0, 0, 1) => (Some(Rounding::NegInf), false),
        (0, 1, 0) => (Some(Rounding::PosInf), false),
        (0, 1, 1) => (Some(Rounding::Zero), false),
        (1, 0, 0) => (Some(Rounding::TieAway), false),
        (1, 0, 1) => (None, true),
        (1, 1, 1) => (None, false),
        _ => return None,
    })
}

/// Rounding of FCVT{N,M,P,Z}{S,U}: (a, o).
fn cvt_mode(a: u32, o: u32) -> Rounding {
    match (a, o) {
        (0, 0) => Rounding::TieEven,
        (0, _) => Rounding::NegInf,
        (_, 0) => Rounding::PosInf,
        _ => Rounding::Zero,
    }
}

/// A compare with zero (U, o): Some(Ok(rel, swapped)) or Some(Err(neg)) for FABS/FNEG.
type CmpZ = Result<(Rel, bool), bool>;
fn cmpz_op(u: u32, o: u32) -> Option<CmpZ> {
    Some(match (u, o) {
        (0, 0) => Ok((Rel::Gt, false)),
        (0, 1) => Ok((Rel::Eq, false)),
        (0, 2) => Ok((Rel::Gt, true)),
        (1, 0) => Ok((Rel::Ge, false)),
        (1, 1) => Ok((Rel::Ge, true)),
        (0, 3) => Err(false),
        (1, 3) => Err(true),
        _ => return None,
    })
}

fn cmpz_lane(e: &mut Env, f: Fmt, op: CmpZ, x: u64) -> u64 {
    match op {
        Ok((rel, false)) => cmp(e, f, x, f.zero(false), rel),
        Ok((rel, true)) => cmp(e, f, f.zero(false), x, rel),
        Err(false) => f.abs(x),
        Err(true) => f.neg(x),
    }
}

/// Integer lane `v` of the width of `f` to FP, divided by 2^fbits.
fn cvtf_lane(e: &mut Env, f: Fmt, v: u64, unsigned: bool, fbits: u32) -> u64 {
    let bits = f.bits();
    let v = if unsigned || bits == 64 {
        v
    } else {
        (((v << (64 - bits)) as i64) >> (64 - bits)) as u64
    };
    let mode = e.rmode();
    e.fixed_to_fp(f, v, !unsigned, fbits, mode)
}

/// Reduce (the across-lanes tree): op(Reduce(low half), Reduce(high half)).
fn reduce(
    e: &mut Env,
    f: Fmt,
    l: &[u64],
    op: &mut impl FnMut(&mut Env, Fmt, u64, u64) -> u64,
) -> u64 {
    if l.len() == 1 {
        return l[0];
    }
    let h = l.len() / 2;
    let lo = reduce(e, f, &l[..h], op);
    let hi = reduce(e, f, &l[h..], op);
    op(e, f, lo, hi)
}

/// The format and element count of an immh field (shift by immediate): 1xxx D, 01xx S,
/// 001x H; None for 000x.
fn immh_fmt(immh: u32) -> Option<Fmt> {
    if immh & 8 != 0 {
        Some(D)
    } else if immh & 4 != 0 {
        Some(S)
    } else if immh & 2 != 0 {
        Some(H)
    } else {
        None
    }
}

impl<B: Platform> Exec<'_, B> {
    #[inline(always)]
    pub(super) fn sf_env(&self) -> Env {
        Env::new(self.cpu.sr.get(SR::FPCR))
    }

    #[inline(always)]
    pub(super) fn sf_done(&mut self, env: &Env) {
        if env.flags != 0 {
            let v = self.cpu.sr.get(SR::FPSR) | env.flags as u64;
            self.cpu.sr.set(SR::FPSR, v);
        }
    }

    /// `count` lanes of format `f` of Vn.
    #[inline(always)]
    pub(super) fn sf_lanes(&self, n: u32, f: Fmt, count: u32) -> Lanes {
        let mut l = [0u64; 8];
        for (i, x) in l.iter_mut().enumerate().take(count as usize) {
            *x = self.cpu.v_elem(n, i as u32, esz(f));
        }
        l
    }

    /// Write `count` lanes to Vd, zeroing the bits above `width`.
    #[inline(always)]
    pub(super) fn sf_write(&mut self, d: u32, f: Fmt, count: u32, width: u32, l: &Lanes) {
        let bits = f.bits();
        let mut v: u128 = 0;
        for (i, x) in l.iter().enumerate().take(count as usize) {
            v |= ((*x & ones(f)) as u128) << (i as u32 * bits);
        }
        self.cpu.set_v_width(d, width, v);
    }

    /// Write the `count` lanes of a fast-path result (clearing their sign bits with
    /// `abs`) to Vd, zeroing the bits above `width`.
    #[inline(always)]
    fn sf_fast_write(&mut self, d: u32, f: Fmt, count: usize, width: u32, l: &[u64; 4], abs: bool) {
        let bits = f.bits();
        let mask = if abs { ones(f) >> 1 } else { ones(f) };
        let mut v: u128 = 0;
        for (i, x) in l.iter().enumerate().take(count) {
            v |= ((*x & mask) as u128) << (i as u32 * bits);
        }
        self.cpu.set_v_width(d, width, v);
    }

    /// Lane count and register width: a vector (`q`) or, with `scalar`, one element.
    #[inline(always)]
    fn sf_shape(f: Fmt, q: u32, scalar: bool) -> (u32, u32) {
        if scalar {
            (1, f.bits())
        } else {
            let w = 64 << q;
            (w / f.bits(), w)
        }
    }

    /// Lane-wise one-operand operation.
    pub(super) fn sf_map1(
        &mut self,
        f: Fmt,
        q: u32,
        scalar: bool,
        rn: u32,
        rd: u32,
        mut op: impl FnMut(&mut Env, u64) -> u64,
    ) -> Flow {
        fp_check(self.cpu)?;
        let (count, width) = Self::sf_shape(f, q, scalar);
        let mut env = self.sf_env();
        let mut l = self.sf_lanes(rn, f, count);
        for x in l.iter_mut().take(count as usize) {
            *x = op(&mut env, *x);
        }
        self.sf_write(rd, f, count, width, &l);
        self.sf_done(&env);
        Ok(Step::Next)
    }

    /// Lane-wise three-same operation (vector or scalar).
    fn sf_3same(
        &mut self,
        f: Fmt,
        q: u32,
        scalar: bool,
        u: u32,
        a: u32,
        op: u32,
        rm: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let Some((op, pair)) = op3(u, a, op) else {
            return undef();
        };
        if !scalar && f == D && q == 0 {
            return undef();
        }
        fp_check(self.cpu)?;
        let (count, width) = Self::sf_shape(f, q, scalar);
        let mut env = self.sf_env();
        if f != H {
            if let Some((fop, neg, abs)) = op3_fast(op) {
                let mut n = split4(self.cpu.vreg(rn as usize), f);
                let mut m = split4(self.cpu.vreg(rm as usize), f);
                let d = split4(self.cpu.vreg(rd as usize), f);
                let c = count as usize;
                if pair {
                    let mut cat = [0u64; 8];
                    cat[..c].copy_from_slice(&n[..c]);
                    cat[c..2 * c].copy_from_slice(&m[..c]);
                    for i in 0..c {
                        n[i] = cat[2 * i];
                        m[i] = cat[2 * i + 1];
                    }
                }
                if neg {
                    n = n.map(|x| f.neg(x));
                }
                if let Some(r) = env.fast_lanes(fop, f, c, &d, &n, &m) {
                    self.sf_fast_write(rd, f, c, width, &r, abs);
                    self.sf_done(&env);
                    return Ok(Step::Next);
                }
            }
        }
        let mut n = self.sf_lanes(rn, f, count);
        let mut m = self.sf_lanes(rm, f, count);
        let d = self.sf_lanes(rd, f, count);
        if pair {
            // Pairs of adjacent elements of the concatenation Vm:Vn.
            let c = count as usize;
            let mut cat = [0u64; 16];
            cat[..c].copy_from_slice(&n[..c]);
            cat[c..2 * c].copy_from_slice(&m[..c]);
            for i in 0..c {
                n[i] = cat[2 * i];
                m[i] = cat[2 * i + 1];
            }
        }
        let mut r = [0u64; 8];
        for i in 0..count as usize {
            r[i] = lane3(&mut env, f, op, d[i], n[i], m[i]);
        }
        self.sf_write(rd, f, count, width, &r);
        self.sf_done(&env);
        Ok(Step::Next)
    }

    fn sf_cmpz(&mut self, f: Fmt, q: u32, scalar: bool, u: u32, o: u32, rn: u32, rd: u32) -> Flow {
        let Some(op) = cmpz_op(u, o) else {
            return undef();
        };
        if (scalar && op.is_err()) || (!scalar && f == D && q == 0) {
            return undef();
        }
        self.sf_map1(f, q, scalar, rn, rd, |e, x| cmpz_lane(e, f, op, x))
    }

    fn sf_rint(&mut self, f: Fmt, q: u32, u: u32, a: u32, o: u32, rn: u32, rd: u32) -> Flow {
        let Some((mode, exact)) = rint_mode(u, a, o) else {
            return undef();
        };
        if f == D && q == 0 {
            return undef();
        }
        self.sf_map1(f, q, false, rn, rd, |e, x| {
            let m = mode.unwrap_or_else(|| e.rmode());
            e.round_int(f, x, m, exact)
        })
    }

    fn sf_cvt(
        &mut self,
        f: Fmt,
        q: u32,
        scalar: bool,
        u: u32,
        mode: Rounding,
        fbits: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if !scalar && f == D && q == 0 {
            return undef();
        }
        self.sf_map1(f, q, scalar, rn, rd, |e, x| {
            e.fp_to_fixed(f, x, fbits, u != 0, f.bits(), mode)
        })
    }

    fn sf_cvtf(
        &mut self,
        f: Fmt,
        q: u32,
        scalar: bool,
        u: u32,
        fbits: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if !scalar && f == D && q == 0 {
            return undef();
        }
        self.sf_map1(f, q, scalar, rn, rd, |e, x| {
            cvtf_lane(e, f, x, u != 0, fbits)
        })
    }

    fn sf_recpe(&mut self, f: Fmt, q: u32, u: u32, rn: u32, rd: u32) -> Flow {
        if f == D && q == 0 {
            return undef();
        }
        self.sf_map1(f, q, false, rn, rd, |e, x| {
            if u != 0 {
                e.rsqrt_est(f, x)
            } else {
                e.recip_est(f, x)
            }
        })
    }

    fn sf_sqrt(&mut self, f: Fmt, q: u32, rn: u32, rd: u32) -> Flow {
        if f == D && q == 0 {
            return undef();
        }
        self.sf_map1(f, q, false, rn, rd, |e, x| e.sqrt(f, x))
    }

    /// By element: FMLA/FMLS (`op` 0/1) or FMUL/FMULX (`op` 2/3).
    fn sf_elem(
        &mut self,
        scalar: bool,
        q: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let (f, index, rm) = match size {
            0 => (H, h << 2 | l << 1 | m, rm),
            2 => (S, h << 1 | l, m << 4 | rm),
            3 if l == 0 && (scalar || q == 1) => (D, h, m << 4 | rm),
            _ => return undef(),
        };
        fp_check(self.cpu)?;
        let (count, width) = Self::sf_shape(f, q, scalar);
        let mut env = self.sf_env();
        let e2 = self.cpu.v_elem(rm, index, esz(f));
        if f != H {
            // FMULX is FMUL for the operands the fast path accepts (no infinities).
            let fop = if op < 2 { FastOp::MulAdd } else { FastOp::Mul };
            let mut n = split4(self.cpu.vreg(rn as usize), f);
            if op == 1 {
                n = n.map(|x| f.neg(x));
            }
            let d = split4(self.cpu.vreg(rd as usize), f);
            if let Some(r) = env.fast_lanes(fop, f, count as usize, &d, &n, &[e2; 4]) {
                self.sf_fast_write(rd, f, count as usize, width, &r, false);
                self.sf_done(&env);
                return Ok(Step::Next);
            }
        }
        let n = self.sf_lanes(rn, f, count);
        let mut d = self.sf_lanes(rd, f, count);
        for i in 0..count as usize {
            d[i] = match op {
                0 => env.muladd(f, d[i], n[i], e2),
                1 => env.muladd(f, d[i], f.neg(n[i]), e2),
                2 => env.mul(f, n[i], e2),
                _ => mulx(&mut env, f, n[i], e2),
            };
        }
        self.sf_write(rd, f, count, width, &d);
        self.sf_done(&env);
        Ok(Step::Next)
    }

    /// Fixed-point conversions by immediate: `to_int` = FCVTZ{S,U}, else {S,U}CVTF.
    fn sf_shift(
        &mut self,
        scalar: bool,
        q: u32,
        u: u32,
        immh: u32,
        immb: u32,
        to_int: bool,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let Some(f) = immh_fmt(immh) else {
            return undef();
        };
        if !scalar && f == D && q == 0 {
            return undef();
        }
        let fbits = 2 * f.bits() - (immh << 3 | immb);
        if to_int {
            self.sf_cvt(f, q, scalar, u, Rounding::Zero, fbits, rn, rd)
        } else {
            self.sf_cvtf(f, q, scalar, u, fbits, rn, rd)
        }
    }

    /// FCVTXN lane: FPConvert D to S rounding to odd.
    fn fcvtxn_lane(e: &mut Env, x: u64) -> u64 {
        let mut t = Env::new((e.fpcr | 3 << 22) as u64);
        let r = t.convert(D, S, x);
        let inexact = t.flags & crate::softfp::IXC != 0;
        e.flags |= t.flags;
        let is_finite = (r >> 23) & 0xff != 0xff;
        if inexact && is_finite {
            r | 1
        } else {
            r
        }
    }
}

impl<B: Platform> VisitSimdFp for Exec<'_, B> {
    fn sfp_3s_a(
        &mut self,
        q: u32,
        u: u32,
        a: u32,
        sz: u32,
        rm: u32,
        o: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.sf_3same(fmt_sz(sz), q, false, u, a, o << 1, rm, rn, rd)
    }
    fn sfp_3s_fmla(&mut self, q: u32, a: u32, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(fmt_sz(sz), q, false, 0, a, 1, rm, rn, rd)
    }
    fn sfp_3s_mul(&mut self, q: u32, u: u32, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(fmt_sz(sz), q, false, u, 0, 3, rm, rn, rd)
    }
    fn sfp_3s_cmp(
        &mut self,
        q: u32,
        u: u32,
        a: u32,
        sz: u32,
        rm: u32,
        o: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.sf_3same(fmt_sz(sz), q, false, u, a, 4 | o << 1, rm, rn, rd)
    }
    fn sfp_3s_ac(&mut self, q: u32, a: u32, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(fmt_sz(sz), q, false, 1, a, 5, rm, rn, rd)
    }
    fn sfp_3s_step(&mut self, q: u32, u: u32, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(fmt_sz(sz), q, false, u, 0, 7, rm, rn, rd)
    }
    fn sfp_3s_rsqrts(&mut self, q: u32, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(fmt_sz(sz), q, false, 0, 1, 7, rm, rn, rd)
    }
    fn sfp_3s_h(&mut self, q: u32, u: u32, rm: u32, op: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(H, q, false, u, 0, op, rm, rn, rd)
    }
    fn sfp_3s_h1a(&mut self, q: u32, u: u32, rm: u32, op: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(H, q, false, u, 1, op << 1, rm, rn, rd)
    }
    fn sfp_3s_h1b(&mut self, q: u32, u: u32, rm: u32, op: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(H, q, false, u, 1, 4 | op << 1, rm, rn, rd)
    }
    fn sfp_3s_h1c(&mut self, q: u32, u: u32, rm: u32, op: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(H, q, false, u, 1, op << 2 | 1, rm, rn, rd)
    }
    fn sfp_3s_h1d(&mut self, q: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(H, q, false, 0, 1, 7, rm, rn, rd)
    }

    fn sfp_s3_mulx(&mut self, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(fmt_sz(sz), 0, true, 0, 0, 3, rm, rn, rd)
    }
    fn sfp_s3_cmp(&mut self, u: u32, a: u32, sz: u32, rm: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(fmt_sz(sz), 0, true, u, a, 4 | o, rm, rn, rd)
    }
    fn sfp_s3_fabd(&mut self, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(fmt_sz(sz), 0, true, 1, 1, 2, rm, rn, rd)
    }
    fn sfp_s3h_mulx(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(H, 0, true, 0, 0, 3, rm, rn, rd)
    }
    fn sfp_s3h_cmp(&mut self, u: u32, a: u32, rm: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(H, 0, true, u, a, 4 | o, rm, rn, rd)
    }
    fn sfp_s3h_fabd(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sf_3same(H, 0, true, 1, 1, 2, rm, rn, rd)
    }

    fn sfp_m_cmpz(&mut self, q: u32, u: u32, sz: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cmpz(fmt_sz(sz), q, false, u, o, rn, rd)
    }
    fn sfp_m_fcvtn(&mut self, q: u32, u: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        // U = 0: FCVTN (S→H, D→S); U = 1: FCVTXN (D→S only).
        if u != 0 && sz == 0 {
            return undef();
        }
        fp_check(self.cpu)?;
        let (from, to) = if sz != 0 { (D, S) } else { (S, H) };
        let count = 64 / to.bits();
        let mut env = self.sf_env();
        let src = self.sf_lanes(rn, from, count);
        let mut r: u64 = 0;
        for (i, x) in src.iter().enumerate().take(count as usize) {
            let v = if u != 0 {
                Self::fcvtxn_lane(&mut env, *x)
            } else {
                env.convert(from, to, *x)
            };
            r |= (v & ones(to)) << (i as u32 * to.bits());
        }
        if q == 0 {
            self.cpu.set_v_width(rd, 64, r as u128);
        } else {
            let lo = self.cpu.vreg(rd as usize) as u64;
            self.cpu
                .set_v_width(rd, 128, (r as u128) << 64 | lo as u128);
        }
        self.sf_done(&env);
        Ok(Step::Next)
    }
    fn sfp_m_fcvtl(&mut self, q: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let (from, to) = if sz != 0 { (S, D) } else { (H, S) };
        let count = 64 / from.bits();
        let mut env = self.sf_env();
        let half = (self.cpu.vreg(rn as usize) >> (64 * q)) as u64;
        let mut l = [0u64; 8];
        for (i, x) in l.iter_mut().enumerate().take(count as usize) {
            let e = (half >> (i as u32 * from.bits())) & ones(from);
            *x = env.convert(from, to, e);
        }
        self.sf_write(rd, to, count, 128, &l);
        self.sf_done(&env);
        Ok(Step::Next)
    }
    fn sfp_m_rint(&mut self, q: u32, u: u32, a: u32, sz: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_rint(fmt_sz(sz), q, u, a, o, rn, rd)
    }
    fn sfp_m_cvt(&mut self, q: u32, u: u32, a: u32, sz: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvt(fmt_sz(sz), q, false, u, cvt_mode(a, o), 0, rn, rd)
    }
    fn sfp_m_cvta(&mut self, q: u32, u: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvt(fmt_sz(sz), q, false, u, Rounding::TieAway, 0, rn, rd)
    }
    fn sfp_m_urecpe(&mut self, q: u32, u: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        if sz != 0 {
            return undef();
        }
        self.sf_map1(S, q, false, rn, rd, |_, x| {
            if u == 0 {
                if x >> 31 == 0 {
                    0xffff_ffff
                } else {
                    (crate::softfp::recip_estimate((x >> 23) as u32) as u64 & 0x1ff) << 23
                }
            } else if x >> 30 == 0 {
                0xffff_ffff
            } else {
                (crate::softfp::recip_sqrt_estimate((x >> 23) as u32) as u64 & 0x1ff) << 23
            }
        })
    }
    fn sfp_m_cvtf(&mut self, q: u32, u: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvtf(fmt_sz(sz), q, false, u, 0, rn, rd)
    }
    fn sfp_m_recpe(&mut self, q: u32, u: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        self.sf_recpe(fmt_sz(sz), q, u, rn, rd)
    }
    fn sfp_m_fsqrt(&mut self, q: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        self.sf_sqrt(fmt_sz(sz), q, rn, rd)
    }
    fn sfp_mh_cmpz(&mut self, q: u32, u: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cmpz(H, q, false, u, o, rn, rd)
    }
    fn sfp_mh_rint(&mut self, q: u32, u: u32, a: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_rint(H, q, u, a, o, rn, rd)
    }
    fn sfp_mh_cvt(&mut self, q: u32, u: u32, a: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvt(H, q, false, u, cvt_mode(a, o), 0, rn, rd)
    }
    fn sfp_mh_cvta(&mut self, q: u32, u: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvt(H, q, false, u, Rounding::TieAway, 0, rn, rd)
    }
    fn sfp_mh_cvtf(&mut self, q: u32, u: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvtf(H, q, false, u, 0, rn, rd)
    }
    fn sfp_mh_recpe(&mut self, q: u32, u: u32, rn: u32, rd: u32) -> Flow {
        self.sf_recpe(H, q, u, rn, rd)
    }
    fn sfp_mh_fsqrt(&mut self, q: u32, rn: u32, rd: u32) -> Flow {
        self.sf_sqrt(H, q, rn, rd)
    }

    fn sfp_sm_cmpz(&mut self, u: u32, sz: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cmpz(fmt_sz(sz), 0, true, u, o, rn, rd)
    }
    fn sfp_sm_fcvtxn(&mut self, sz: u32, rn: u32, rd: u32) -> Flow {
        if sz == 0 {
            return undef();
        }
        fp_check(self.cpu)?;
        let mut env = self.sf_env();
        let x = self.cpu.v_elem(rn, 0, 3);
        let r = Self::fcvtxn_lane(&mut env, x);
        self.cpu.set_v_width(rd, 32, r as u128);
        self.sf_done(&env);
        Ok(Step::Next)
    }
    fn sfp_sm_cvt(&mut self, u: u32, a: u32, sz: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvt(fmt_sz(sz), 0, true, u, cvt_mode(a, o), 0, rn, rd)
    }
    fn sfp_sm_cvta(&mut self, u: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvt(fmt_sz(sz), 0, true, u, Rounding::TieAway, 0, rn, rd)
    }
    fn sfp_sm_cvtf(&mut self, u: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvtf(fmt_sz(sz), 0, true, u, 0, rn, rd)
    }
    fn sfp_smh_cmpz(&mut self, u: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cmpz(H, 0, true, u, o, rn, rd)
    }
    fn sfp_smh_cvt(&mut self, u: u32, a: u32, o: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvt(H, 0, true, u, cvt_mode(a, o), 0, rn, rd)
    }
    fn sfp_smh_cvta(&mut self, u: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvt(H, 0, true, u, Rounding::TieAway, 0, rn, rd)
    }
    fn sfp_smh_cvtf(&mut self, u: u32, rn: u32, rd: u32) -> Flow {
        self.sf_cvtf(H, 0, true, u, 0, rn, rd)
    }

    fn sfp_across(&mut self, q: u32, u: u32, a: u32, sz: u32, op: u32, rn: u32, rd: u32) -> Flow {
        let f = match (u, sz, q) {
            (1, 0, 1) => S,
            (0, 0, _) => H,
            _ => return undef(),
        };
        let num = match op {
            0 => true,
            3 => false,
            _ => return undef(),
        };
        fp_check(self.cpu)?;
        let count = (64 << q) / f.bits();
        let mut env = self.sf_env();
        let l = self.sf_lanes(rn, f, count);
        let max = a == 0;
        let r = reduce(&mut env, f, &l[..count as usize], &mut |e, f, x, y| {
            if num {
                e.max_min_num(f, x, y, max)
            } else {
                e.max_min(f, x, y, max)
            }
        });
        self.cpu.set_v_width(rd, f.bits(), r as u128);
        self.sf_done(&env);
        Ok(Step::Next)
    }
    fn sfp_pair(&mut self, u: u32, a: u32, sz: u32, op: u32, rn: u32, rd: u32) -> Flow {
        let f = match (u, sz) {
            (1, _) => fmt_sz(sz),
            (0, 0) => H,
            _ => return undef(),
        };
        let max = a == 0;
        if op == 2 || (op == 1 && a != 0) {
            return undef();
        }
        fp_check(self.cpu)?;
        let mut env = self.sf_env();
        let x = self.cpu.v_elem(rn, 0, esz(f));
        let y = self.cpu.v_elem(rn, 1, esz(f));
        let r = match op {
            0 => env.max_min_num(f, x, y, max),
            1 => env.add(f, x, y, false),
            _ => env.max_min(f, x, y, max),
        };
        self.cpu.set_v_width(rd, f.bits(), r as u128);
        self.sf_done(&env);
        Ok(Step::Next)
    }

    fn sfp_e_fmla(
        &mut self,
        q: u32,
        sz: u32,
        l: u32,
        m: u32,
        rm: u32,
        o: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.sf_elem(false, q, 2 | sz, l, m, rm, h, o, rn, rd)
    }
    fn sfp_e_fmul(
        &mut self,
        q: u32,
        u: u32,
        sz: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.sf_elem(false, q, 2 | sz, l, m, rm, h, 2 + u, rn, rd)
    }
    fn sfp_se_fmla(
        &mut self,
        sz: u32,
        l: u32,
        m: u32,
        rm: u32,
        o: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.sf_elem(true, 0, 2 | sz, l, m, rm, h, o, rn, rd)
    }
    fn sfp_se_fmul(
        &mut self,
        u: u32,
        sz: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.sf_elem(true, 0, 2 | sz, l, m, rm, h, 2 + u, rn, rd)
    }
    fn sfp_eh_fmla(
        &mut self,
        q: u32,
        l: u32,
        m: u32,
        rm: u32,
        o: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.sf_elem(false, q, 0, l, m, rm, h, o, rn, rd)
    }
    fn sfp_eh_fmul(
        &mut self,
        q: u32,
        u: u32,
        l: u32,
        m: u32,
        rm: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.sf_elem(false, q, 0, l, m, rm, h, 2 + u, rn, rd)
    }
    fn sfp_seh_fmla(&mut self, l: u32, m: u32, rm: u32, o: u32, h: u32, rn: u32, rd: u32) -> Flow {
        self.sf_elem(true, 0, 0, l, m, rm, h, o, rn, rd)
    }
    fn sfp_seh_fmul(&mut self, u: u32, l: u32, m: u32, rm: u32, h: u32, rn: u32, rd: u32) -> Flow {
        self.sf_elem(true, 0, 0, l, m, rm, h, 2 + u, rn, rd)
    }

    fn sfp_sh_cvtf(&mut self, q: u32, u: u32, immh: u32, immb: u32, rn: u32, rd: u32) -> Flow {
        self.sf_shift(false, q, u, immh, immb, false, rn, rd)
    }
    fn sfp_sh_fcvtz(&mut self, q: u32, u: u32, immh: u32, immb: u32, rn: u32, rd: u32) -> Flow {
        self.sf_shift(false, q, u, immh, immb, true, rn, rd)
    }
    fn sfp_ssh_cvtf(&mut self, u: u32, immh: u32, immb: u32, rn: u32, rd: u32) -> Flow {
        self.sf_shift(true, 0, u, immh, immb, false, rn, rd)
    }
    fn sfp_ssh_fcvtz(&mut self, u: u32, immh: u32, immb: u32, rn: u32, rd: u32) -> Flow {
        self.sf_shift(true, 0, u, immh, immb, true, rn, rd)
    }
}
