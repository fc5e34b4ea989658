//! Exact IEEE 754 binary16/32/64 arithmetic with the Arm rules (Arm ARM J1 shared
//! pseudocode: FPUnpack, FPRound, FPProcessNaNs, FPAdd, FPMulAdd, FPToFixed, ...), for
//! FPCR.AH = 0.
//!
//! Values travel as raw bit patterns in a `u64`; [`Fmt`] says which format. Arithmetic
//! is done on exact integers (`mant * 2^exp`) and rounded once by [`Env::round`], which
//! follows FPRoundBase: flush-to-zero of tiny results before rounding, underflow detected
//! before rounding, overflow after rounding, and alternative half precision.
//!
//! Single and double precision add/sub/mul/div/sqrt/fused multiply-add and max/min first
//! try the host FP fast path in [`fast`], which returns the same bits and flags when it
//! can prove them (round to nearest, ordinary operands and results) and otherwise leaves
//! the operation to the exact code here (`*_soft`).

// FPRoundBase-style helpers take the whole unpacked value plus the rounding controls.
#![allow(clippy::too_many_arguments)]

mod convert;
mod estimate;
mod fast;
mod widen;

pub(crate) use fast::Op as FastOp;

pub(crate) use estimate::{recip_estimate, recip_sqrt_estimate};

use std::cmp::Ordering;

/// FPSR cumulative exception bits.
pub(crate) const IOC: u32 = 1 << 0;
pub(crate) const DZC: u32 = 1 << 1;
pub(crate) const OFC: u32 = 1 << 2;
pub(crate) const UFC: u32 = 1 << 3;
pub(crate) const IXC: u32 = 1 << 4;
pub(crate) const IDC: u32 = 1 << 7;

/// A binary floating-point format.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Fmt {
    /// Exponent bits.
    pub e: u32,
    /// Fraction bits (without the implicit bit).
    pub f: u32,
}

pub(crate) const H: Fmt = Fmt { e: 5, f: 10 };
pub(crate) const S: Fmt = Fmt { e: 8, f: 23 };
pub(crate) const D: Fmt = Fmt { e: 11, f: 52 };

impl Fmt {
    /// Total width in bits.
    #[inline]
    pub fn bits(self) -> u32 {
        1 + self.e + self.f
    }
    #[inline]
    fn emax(self) -> u64 {
        (1 << self.e) - 1
    }
    #[inline]
    fn bias(self) -> i32 {
        (1 << (self.e - 1)) - 1
    }
    #[inline]
    fn sign_bit(self) -> u64 {
        1 << (self.e + self.f)
    }
    #[inline]
    fn frac_mask(self) -> u64 {
        (1 << self.f) - 1
    }
    #[inline]
    pub fn sign(self, x: u64) -> bool {
        x & self.sign_bit() != 0
    }
    /// ±0.
    #[inline]
    pub fn zero(self, sign: bool) -> u64 {
        if sign {
            self.sign_bit()
        } else {
            0
        }
    }
    /// ±infinity.
    #[inline]
    pub fn inf(self, sign: bool) -> u64 {
        self.zero(sign) | self.emax() << self.f
    }
    /// Largest finite magnitude with the given sign.
    #[inline]
    pub fn max_normal(self, sign: bool) -> u64 {
        self.inf(sign) - 1
    }
    /// The default NaN (positive, quiet, zero payload).
    #[inline]
    pub fn default_nan(self) -> u64 {
        self.emax() << self.f | 1 << (self.f - 1)
    }
    #[inline]
    fn quiet_bit(self) -> u64 {
        1 << (self.f - 1)
    }
    /// Flip the sign (FPNeg with AH = 0: NaNs too).
    #[inline]
    pub fn neg(self, x: u64) -> u64 {
        x ^ self.sign_bit()
    }
    /// Clear the sign (FPAbs).
    #[inline]
    pub fn abs(self, x: u64) -> u64 {
        x & !self.sign_bit()
    }
    /// The normal number `mant * 2^exp`, which must be exactly representable (used for
    /// the constants 2.0 and 1.5).
    fn exact(self, sign: bool, mant: u64, exp: i32) -> u64 {
        let msb = 63 - mant.leading_zeros() as i32;
        let be = (exp + msb + self.bias()) as u64;
        let frac = (mant << (self.f as i32 - msb)) & self.frac_mask();
        self.zero(sign) | be << self.f | frac
    }
}

/// Operand class (FPType).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Zero,
    Num,
    Inf,
    QNaN,
    SNaN,
}

/// An unpacked operand: for `Num`, the value is `(-1)^sign * mant * 2^exp`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Unp {
    pub kind: Kind,
    pub sign: bool,
    pub mant: u64,
    pub exp: i32,
}

impl Unp {
    fn is_nan(&self) -> bool {
        matches!(self.kind, Kind::QNaN | Kind::SNaN)
    }
}

/// Rounding mode (FPRounding).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Rounding {
    TieEven,
    PosInf,
    NegInf,
    Zero,
    TieAway,
}

impl Rounding {
    /// The FPCR.RMode encoding (also the rmode field of FCVT{N,P,M,Z}).
    pub fn from_rmode(r: u32) -> Self {
        match r & 3 {
            0 => Rounding::TieEven,
            1 => Rounding::PosInf,
            2 => Rounding::NegInf,
            _ => Rounding::Zero,
        }
    }
}

/// Where the discarded part of a value lies relative to half a unit of the kept part.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Err {
    /// Comparison of the discarded part with one half.
    half: Ordering,
    /// The discarded part is nonzero.
    nonzero: bool,
}

impl Err {
    const EXACT: Err = Err {
        half: Ordering::Less,
        nonzero: false,
    };
}

/// Round the non-negative magnitude `mant >> s` (`s` may exceed 127) towards the kept
/// integer: returns (kept, error).
fn shr_err(mant: u128, s: u32) -> (u128, Err) {
    if s == 0 {
        return (mant, Err::EXACT);
    }
    if s > 128 {
        return (
            0,
            Err {
                half: Ordering::Less,
                nonzero: mant != 0,
            },
        );
    }
    let kept = if s == 128 { 0 } else { mant >> s };
    let rem = if s == 128 {
        mant
    } else {
        mant & ((1u128 << s) - 1)
    };
    let half = 1u128 << (s - 1);
    (
        kept,
        Err {
            half: rem.cmp(&half),
            nonzero: rem != 0,
        },
    )
}

/// Whether a non-negative magnitude `kept + error` (of a value with sign `sign`) rounds
/// up in magnitude.
fn round_up(mode: Rounding, sign: bool, kept_odd: bool, e: Err) -> bool {
    match mode {
        Rounding::TieEven => e.half == Ordering::Greater || (e.half == Ordering::Equal && kept_odd),
        Rounding::TieAway => e.half != Ordering::Less,
        Rounding::PosInf => e.nonzero && !sign,
        Rounding::NegInf => e.nonzero && sign,
        Rounding::Zero => false,
    }
}

/// Shift `mant` right by `s` keeping a sticky bit in bit 0.
fn shr_jam(mant: u128, s: u32) -> u128 {
    if s == 0 {
        mant
    } else if s >= 128 {
        (mant != 0) as u128
    } else {
        mant >> s | ((mant & ((1u128 << s) - 1)) != 0) as u128
    }
}

/// The FP environment of one instruction: FPCR and the exception flags it raised.
pub(crate) struct Env {
    /// FPCR value.
    pub fpcr: u32,
    /// Accumulated FPSR exception bits.
    pub flags: u32,
}

impl Env {
    pub fn new(fpcr: u64) -> Self {
        Env {
            fpcr: fpcr as u32,
            flags: 0,
        }
    }
    #[inline]
    pub fn dn(&self) -> bool {
        self.fpcr >> 25 & 1 != 0
    }
    #[inline]
    pub fn ahp(&self) -> bool {
        self.fpcr >> 26 & 1 != 0
    }
    /// Flush-to-zero in effect for `f` (FZ16 for half precision, FZ otherwise).
    #[inline]
    pub fn fz(&self, f: Fmt) -> bool {
        if f == H {
            self.fpcr >> 19 & 1 != 0
        } else {
            self.fpcr >> 24 & 1 != 0
        }
    }
    /// FPCR.RMode.
    #[inline]
    pub fn rmode(&self) -> Rounding {
        Rounding::from_rmode(self.fpcr >> 22)
    }

    /// FPUnpack (flush-to-zero of denormal inputs per FZ/FZ16; IDC only for S/D).
    pub fn unpack(&mut self, f: Fmt, x: u64) -> Unp {
        let fz = self.fz(f);
        self.unpack_with(f, x, fz, false)
    }

    /// FPUnpackBase with explicit flush and alternative-half-precision choices.
    pub fn unpack_with(&mut self, f: Fmt, x: u64, fz: bool, ahp: bool) -> Unp {
        let sign = f.sign(x);
        let be = (x >> f.f) & f.emax();
        let frac = x & f.frac_mask();
        let mut u = Unp {
            kind: Kind::Num,
            sign,
            mant: 0,
            exp: 0,
        };
        if be == 0 {
            if frac == 0 || fz {
                u.kind = Kind::Zero;
                if frac != 0 && f != H {
                    self.flags |= IDC;
                }
            } else {
                u.mant = frac;
                u.exp = 1 - f.bias() - f.f as i32;
            }
        } else if be == f.emax() && !(ahp && f == H) {
            u.kind = if frac == 0 {
                Kind::Inf
            } else if frac & f.quiet_bit() != 0 {
                Kind::QNaN
            } else {
                Kind::SNaN
            };
        } else {
            u.mant = frac | 1 << f.f;
            u.exp = be as i32 - f.bias() - f.f as i32;
        }
        u
    }

    /// FPProcessNaN: quieten a signalling NaN (IOC), or the default NaN when DN is set.
    pub fn process_nan(&mut self, f: Fmt, k: Kind, x: u64) -> u64 {
        if k == Kind::SNaN {
            self.flags |= IOC;
        }
        if self.dn() {
            f.default_nan()
        } else {
            x | f.quiet_bit()
        }
    }

    /// FPProcessNaNs: signalling NaNs first, then quiet, in operand order.
    pub fn process_nans(&mut self, f: Fmt, a: &Unp, x: u64, b: &Unp, y: u64) -> Option<u64> {
        if a.kind == Kind::SNaN {
            Some(self.process_nan(f, a.kind, x))
        } else if b.kind == Kind::SNaN {
            Some(self.process_nan(f, b.kind, y))
        } else if a.kind == Kind::QNaN {
            Some(self.process_nan(f, a.kind, x))
        } else if b.kind == Kind::QNaN {
            Some(self.process_nan(f, b.kind, y))
        } else {
            None
        }
    }

    /// FPProcessNaNs3.
    pub fn process_nans3(&mut self, f: Fmt, ops: [(&Unp, u64); 3]) -> Option<u64> {
        for (u, x) in ops {
            if u.kind == Kind::SNaN {
                return Some(self.process_nan(f, u.kind, x));
            }
        }
        for (u, x) in ops {
            if u.kind == Kind::QNaN {
                return Some(self.process_nan(f, u.kind, x));
            }
        }
        None
    }

    /// FPRound with FPCR's mode and flush-to-zero: `(-1)^sign * mant * 2^exp`, mant != 0.
    pub fn round(&mut self, f: Fmt, sign: bool, mant: u128, exp: i32) -> u64 {
        let (mode, fz) = (self.rmode(), self.fz(f));
        self.round_base(f, sign, mant, exp, mode, fz, false)
    }

    /// FPRoundBase. `mant` must be nonzero; bit 0 may be a sticky bit as long as `mant`
    /// has at least two more significant bits than the format.
    pub fn round_base(
        &mut self,
        f: Fmt,
        sign: bool,
        mant: u128,
        exp: i32,
        mode: Rounding,
        fz: bool,
        ahp: bool,
    ) -> u64 {
        debug_assert!(mant != 0);
        let msb = 127 - mant.leading_zeros() as i32;
        let e = exp + msb; // value in [2^e, 2^(e+1))
        let min_exp = 1 - f.bias();
        if fz && e < min_exp {
            self.flags |= UFC;
            return f.zero(sign);
        }
        let biased = (e - min_exp + 1).max(0);
        // Unit of the last kept bit.
        let q = e.max(min_exp) - f.f as i32;
        let (kept, err) = if q >= exp {
            shr_err(mant, (q - exp) as u32)
        } else {
            (mant << (exp - q) as u32, Err::EXACT)
        };
        if biased == 0 && err.nonzero {
            self.flags |= UFC;
        }
        let up = round_up(mode, sign, kept & 1 != 0, err);
        let kept = kept + up as u128;
        // Encoding: exponent field (biased - 1, or 0 for subnormals) plus the significand
        // with its implicit bit, so that a carry out of the fraction bumps the exponent.
        let enc = (((biased.max(1) - 1) as u128) << f.f) + kept;
        let be = enc >> f.f;
        if !(f == H && ahp) {
            if be >= f.emax() as u128 {
                self.flags |= OFC | IXC;
                let to_inf = match mode {
                    Rounding::TieEven | Rounding::TieAway => true,
                    Rounding::PosInf => !sign,
                    Rounding::NegInf => sign,
                    Rounding::Zero => false,
                };
                return if to_inf {
                    f.inf(sign)
                } else {
                    f.max_normal(sign)
                };
            }
        } else if be > f.emax() as u128 {
            self.flags |= IOC;
            return f.zero(sign) | 0x7fff;
        }
        if err.nonzero {
            self.flags |= IXC;
        }
        f.zero(sign) | enc as u64
    }

    /// The exact sum of two signed values `ma * 2^ea` (mantissas up to 120 bits), rounded.
    /// Zero operands have mant == 0; an exact zero result is +0, or -0 when rounding
    /// towards -inf, unless both operands are zeros of the same sign (IEEE 754 6.3).
    fn add_round(
        &mut self,
        f: Fmt,
        sa: bool,
        ma: u128,
        ea: i32,
        sb: bool,
        mb: u128,
        eb: i32,
    ) -> u64 {
        let neg_zero = self.rmode() == Rounding::NegInf;
        if ma == 0 && mb == 0 {
            let s = if sa == sb { sa } else { neg_zero };
            return f.zero(s);
        }
        if ma == 0 {
            return self.round(f, sb, mb, eb);
        }
        if mb == 0 {
            return self.round(f, sa, ma, ea);
        }
        // A is the operand with the higher top bit.
        let ta = ea + (127 - ma.leading_zeros() as i32);
        let tb = eb + (127 - mb.leading_zeros() as i32);
        let ((sa, ma, ea), (sb, mb, eb)) = if ta >= tb {
            ((sa, ma, ea), (sb, mb, eb))
        } else {
            ((sb, mb, eb), (sa, ma, ea))
        };
        // Put A's top bit at bit 125, and B in the same units (right shifts jam).
        let la = 125 - (127 - ma.leading_zeros() as i32);
        let ma = ma << la;
        let e = ea - la;
        let mb = if eb >= e {
            mb << (eb - e) as u32
        } else {
            shr_jam(mb, (e - eb) as u32)
        };
        if sa == sb {
            self.round(f, sa, ma + mb, e)
        } else if ma == mb {
            f.zero(neg_zero)
        } else if ma > mb {
            self.round(f, sa, ma - mb, e)
        } else {
            self.round(f, sb, mb - ma, e)
        }
    }

    /// FPAdd (sub = FPSub). Through the host FP fast path when it is provably exact
    /// ([`fast`]), otherwise [`Env::add_soft`].
    #[inline]
    pub fn add(&mut self, f: Fmt, x: u64, y: u64, sub: bool) -> u64 {
        match self.fast(if sub { fast::Op::Sub } else { fast::Op::Add }, f, 0, x, y) {
            Some(r) => r,
            None => self.add_soft(f, x, y, sub),
        }
    }

    /// FPAdd (sub = FPSub). Exact soft-float.
    #[inline(never)]
    fn add_soft(&mut self, f: Fmt, x: u64, y: u64, sub: bool) -> u64 {
        let a = self.unpack(f, x);
        let mut b = self.unpack(f, y);
        if let Some(r) = self.process_nans(f, &a, x, &b, y) {
            return r;
        }
        if sub {
            b.sign = !b.sign;
        }
        match (a.kind, b.kind) {
            (Kind::Inf, Kind::Inf) if a.sign != b.sign => {
                self.flags |= IOC;
                f.default_nan()
            }
            (Kind::Inf, _) => f.inf(a.sign),
            (_, Kind::Inf) => f.inf(b.sign),
            _ => self.add_round(
                f,
                a.sign,
                a.mant as u128,
                a.exp,
                b.sign,
                b.mant as u128,
                b.exp,
            ),
        }
    }

    /// FPMul. Through the host FP fast path when it is provably exact
    /// ([`fast`]), otherwise [`Env::mul_soft`].
    #[inline]
    pub fn mul(&mut self, f: Fmt, x: u64, y: u64) -> u64 {
        match self.fast(fast::Op::Mul, f, 0, x, y) {
            Some(r) => r,
            None => self.mul_soft(f, x, y),
        }
    }

    /// FPMul. Exact soft-float.
    #[inline(never)]
    fn mul_soft(&mut self, f: Fmt, x: u64, y: u64) -> u64 {
        let a = self.unpack(f, x);
        let b = self.unpack(f, y);
        if let Some(r) = self.process_nans(f, &a, x, &b, y) {
            return r;
        }
        let s = a.sign != b.sign;
        match (a.kind, b.kind) {
            (Kind::Inf, Kind::Zero) | (Kind::Zero, Kind::Inf) => {
                self.flags |= IOC;
                f.default_nan()
            }
            (Kind::Inf, _) | (_, Kind::Inf) => f.inf(s),
            (Kind::Zero, _) | (_, Kind::Zero) => f.zero(s),
            _ => self.round(f, s, a.mant as u128 * b.mant as u128, a.exp + b.exp),
        }
    }

    /// FPDiv. Through the host FP fast path when it is provably exact
    /// ([`fast`]), otherwise [`Env::div_soft`].
    #[inline]
    pub fn div(&mut self, f: Fmt, x: u64, y: u64) -> u64 {
        match self.fast(fast::Op::Div, f, 0, x, y) {
            Some(r) => r,
            None => self.div_soft(f, x, y),
        }
    }

    /// FPDiv. Exact soft-float.
    #[inline(never)]
    fn div_soft(&mut self, f: Fmt, x: u64, y: u64) -> u64 {
        let a = self.unpack(f, x);
        let b = self.unpack(f, y);
        if let Some(r) = self.process_nans(f, &a, x, &b, y) {
            return r;
        }
        let s = a.sign != b.sign;
        match (a.kind, b.kind) {
            (Kind::Inf, Kind::Inf) | (Kind::Zero, Kind::Zero) => {
                self.flags |= IOC;
                f.default_nan()
            }
            (Kind::Inf, _) => f.inf(s),
            (_, Kind::Zero) => {
                self.flags |= DZC;
                f.inf(s)
            }
            (Kind::Zero, _) | (_, Kind::Inf) => f.zero(s),
            _ => {
                // Numerator with its top bit at 120, denominator at most 53 bits: the
                // quotient has at least 67 bits; the remainder becomes a sticky bit.
                let na = a.mant as u128;
                let la = 120 - (127 - na.leading_zeros());
                let n = na << la;
                let d = b.mant as u128;
                let q = n / d;
                let r = n % d;
                self.round(
                    f,
                    s,
                    q << 1 | (r != 0) as u128,
                    a.exp - la as i32 - b.exp - 1,
                )
            }
        }
    }

    /// FPSqrt. Through the host FP fast path when it is provably exact
    /// ([`fast`]), otherwise [`Env::sqrt_soft`].
    #[inline]
    pub fn sqrt(&mut self, f: Fmt, x: u64) -> u64 {
        match self.fast(fast::Op::Sqrt, f, 0, x, 0) {
            Some(r) => r,
            None => self.sqrt_soft(f, x),
        }
    }

    /// FPSqrt. Exact soft-float.
    #[inline(never)]
    fn sqrt_soft(&mut self, f: Fmt, x: u64) -> u64 {
        let a = self.unpack(f, x);
        match a.kind {
            Kind::QNaN | Kind::SNaN => self.process_nan(f, a.kind, x),
            Kind::Zero => f.zero(a.sign),
            Kind::Inf if !a.sign => f.inf(false),
            _ if a.sign => {
                self.flags |= IOC;
                f.default_nan()
            }
            _ => {
                // mant * 2^exp with an even exponent and the mantissa at ~124 bits.
                let m = a.mant as u128;
                let mut l = 124 - (127 - m.leading_zeros()) as i32;
                if (a.exp - l) & 1 != 0 {
                    l -= 1;
                }
                let m = m << l;
                let (r, rem) = isqrt(m);
                self.round(f, false, r << 1 | (rem != 0) as u128, (a.exp - l) / 2 - 1)
            }
        }
    }

    /// FPMulAdd: addend + op1 * op2 with one rounding. Through the host FP fast path when it is provably exact
    /// ([`fast`]), otherwise [`Env::muladd_soft`].
    #[inline]
    pub fn muladd(&mut self, f: Fmt, addend: u64, x: u64, y: u64) -> u64 {
        match self.fast(fast::Op::MulAdd, f, addend, x, y) {
            Some(r) => r,
            None => self.muladd_soft(f, addend, x, y),
        }
    }

    /// FPMulAdd: addend + op1 * op2 with one rounding. Exact soft-float.
    #[inline(never)]
    fn muladd_soft(&mut self, f: Fmt, addend: u64, x: u64, y: u64) -> u64 {
        let c = self.unpack(f, addend);
        let a = self.unpack(f, x);
        let b = self.unpack(f, y);
        let inf_zero = matches!(
            (a.kind, b.kind),
            (Kind::Inf, Kind::Zero) | (Kind::Zero, Kind::Inf)
        );
        if let Some(r) = self.process_nans3(f, [(&c, addend), (&a, x), (&b, y)]) {
            if c.kind == Kind::QNaN && inf_zero {
                self.flags |= IOC;
                return f.default_nan();
            }
            return r;
        }
        self.muladd_unpacked(f, &c, &a, &b)
    }

    /// FPMulAdd on unpacked non-NaN operands.
    fn muladd_unpacked(&mut self, f: Fmt, c: &Unp, a: &Unp, b: &Unp) -> u64 {
        let sp = a.sign != b.sign;
        let inf_p = a.kind == Kind::Inf || b.kind == Kind::Inf;
        let zero_p = a.kind == Kind::Zero || b.kind == Kind::Zero;
        if (a.kind == Kind::Inf && b.kind == Kind::Zero)
            || (a.kind == Kind::Zero && b.kind == Kind::Inf)
            || (c.kind == Kind::Inf && inf_p && c.sign != sp)
        {
            self.flags |= IOC;
            return f.default_nan();
        }
        if c.kind == Kind::Inf {
            return f.inf(c.sign);
        }
        if inf_p {
            return f.inf(sp);
        }
        let (mp, ep) = if zero_p {
            (0, 0)
        } else {
            (a.mant as u128 * b.mant as u128, a.exp + b.exp)
        };
        let mc = if c.kind == Kind::Zero {
            0
        } else {
            c.mant as u128
        };
        self.add_round(f, c.sign, mc, c.exp, sp, mp, ep)
    }

    /// FPRecipStepFused (FRECPS): 2 - op1 * op2.
    pub fn recip_step(&mut self, f: Fmt, x: u64, y: u64) -> u64 {
        self.step_fused(f, x, y, false)
    }

    /// FPRSqrtStepFused (FRSQRTS): (3 - op1 * op2) / 2.
    pub fn rsqrt_step(&mut self, f: Fmt, x: u64, y: u64) -> u64 {
        self.step_fused(f, x, y, true)
    }

    fn step_fused(&mut self, f: Fmt, x: u64, y: u64, rsqrt: bool) -> u64 {
        let x = f.neg(x);
        let a = self.unpack(f, x);
        let b = self.unpack(f, y);
        if let Some(r) = self.process_nans(f, &a, x, &b, y) {
            return r;
        }
        let (inf1, inf2) = (a.kind == Kind::Inf, b.kind == Kind::Inf);
        let (z1, z2) = (a.kind == Kind::Zero, b.kind == Kind::Zero);
        if (inf1 && z2) || (z1 && inf2) {
            return if rsqrt {
                f.exact(false, 3, -1)
            } else {
                f.exact(false, 2, 0)
            };
        }
        if inf1 || inf2 {
            return f.inf(a.sign != b.sign);
        }
        let sp = a.sign != b.sign;
        let (mp, ep) = if z1 || z2 {
            (0, 0)
        } else {
            (a.mant as u128 * b.mant as u128, a.exp + b.exp)
        };
        // (3 + p) / 2 is exact scaling: the halving moves into the exponents.
        let (mc, ec, ep) = if rsqrt {
            (3u128, -1, ep - 1)
        } else {
            (1u128, 1, ep)
        };
        self.add_round(f, false, mc, ec, sp, mp, ep)
    }

    /// FPCompare: NZCV in bits 31:28.
    pub fn compare(&mut self, f: Fmt, x: u64, y: u64, signal_nans: bool) -> u32 {
        let a = self.unpack(f, x);
        let b = self.unpack(f, y);
        if a.is_nan() || b.is_nan() {
            if signal_nans || a.kind == Kind::SNaN || b.kind == Kind::SNaN {
                self.flags |= IOC;
            }
            return 0x3 << 28;
        }
        match cmp_values(&a, &b) {
            Ordering::Equal => 0x6 << 28,
            Ordering::Less => 0x8 << 28,
            Ordering::Greater => 0x2 << 28,
        }
    }

    /// FPMax / FPMin. Through the host FP fast path when it is provably exact
    /// ([`fast`]), otherwise [`Env::max_min_soft`].
    #[inline]
    pub fn max_min(&mut self, f: Fmt, x: u64, y: u64, max: bool) -> u64 {
        match self.fast(if max { fast::Op::Max } else { fast::Op::Min }, f, 0, x, y) {
            Some(r) => r,
            None => self.max_min_soft(f, x, y, max),
        }
    }

    /// FPMax / FPMin. Exact soft-float.
    #[inline(never)]
    fn max_min_soft(&mut self, f: Fmt, x: u64, y: u64, max: bool) -> u64 {
        let a = self.unpack(f, x);
        let b = self.unpack(f, y);
        if let Some(r) = self.process_nans(f, &a, x, &b, y) {
            return r;
        }
        let want = if max {
            Ordering::Greater
        } else {
            Ordering::Less
        };
        let r = if cmp_values(&a, &b) == want { a } else { b };
        match r.kind {
            Kind::Inf => f.inf(r.sign),
            // The most positive (max) or most negative (min) zero.
            Kind::Zero => f.zero(if max {
                a.sign && b.sign
            } else {
                a.sign || b.sign
            }),
            _ => self.round(f, r.sign, r.mant as u128, r.exp),
        }
    }

    /// FPMaxNum / FPMinNum: a single quiet NaN loses against a number.
    pub fn max_min_num(&mut self, f: Fmt, x: u64, y: u64, max: bool) -> u64 {
        let a = self.unpack(f, x);
        let b = self.unpack(f, y);
        let (mut x, mut y) = (x, y);
        // A quiet NaN against a non-quiet-NaN becomes -inf (max) or +inf (min).
        if a.kind == Kind::QNaN && b.kind != Kind::QNaN {
            x = f.inf(max);
        } else if a.kind != Kind::QNaN && b.kind == Kind::QNaN {
            y = f.inf(max);
        }
        self.max_min(f, x, y, max)
    }

    /// FPRecpX (FRECPX).
    pub fn recpx(&mut self, f: Fmt, x: u64) -> u64 {
        let a = self.unpack(f, x);
        let be = (x >> f.f) & f.emax();
        match a.kind {
            Kind::QNaN | Kind::SNaN => self.process_nan(f, a.kind, x),
            _ => {
                // Zero and denormal inputs give the largest finite exponent.
                let e = if be == 0 {
                    f.emax() - 1
                } else {
                    !be & f.emax()
                };
                f.zero(a.sign) | e << f.f
            }
        }
    }

    /// FPRecipEstimate (FRECPE).
    pub fn recip_est(&mut self, f: Fmt, x: u64) -> u64 {
        let a = self.unpack(f, x);
        let sign = a.sign;
        match a.kind {
            Kind::QNaN | Kind::SNaN => return self.process_nan(f, a.kind, x),
            Kind::Inf => return f.zero(sign),
            Kind::Zero => {
                self.flags |= DZC;
                return f.inf(sign);
            }
            Kind::Num => {}
        }
        let be = ((x >> f.f) & f.emax()) as i64;
        let frac = x & f.frac_mask();
        // Values too small: overflow to infinity or max normal.
        let bias = f.bias() as i64;
        if be == 0 && frac >> (f.f - 2) == 0 {
            // |x| < 2^(1 - bias - 2): result overflows.
            let to_inf = match self.rmode() {
                Rounding::TieEven | Rounding::TieAway => true,
                Rounding::PosInf => !sign,
                Rounding::NegInf => sign,
                Rounding::Zero => false,
            };
            self.flags |= OFC | IXC;
            return if to_inf {
                f.inf(sign)
            } else {
                f.max_normal(sign)
            };
        }
        if self.fz(f) && be >= 2 * bias - 1 {
            // |x| >= 2^(bias - 1) under flush-to-zero: the result is a flushed zero.
            self.flags |= UFC;
            return f.zero(sign);
        }
        // Normalise a denormal input.
        let (mut exp, mut fr) = (be, frac << (64 - f.f)); // fraction at the top of u64
        if exp == 0 {
            if fr >> 63 == 0 {
                exp = -1;
                fr <<= 2;
            } else {
                fr <<= 1;
            }
        }
        let scaled = 0x100 | (fr >> 56) as u32;
        let est = recip_estimate(scaled) as u64; // 9 bits, 256..511
        let mut rexp = 2 * bias - 1 - exp;
        let mut rfrac = (est & 0xff) << (f.f - 8);
        if rexp == 0 {
            rfrac = (1 << (f.f - 1)) | rfrac >> 1;
        } else if rexp == -1 {
            rfrac = (1 << (f.f - 2)) | rfrac >> 2;
            rexp = 0;
        }
        f.zero(sign) | (rexp as u64) << f.f | rfrac
    }

    /// FPRSqrtEstimate (FRSQRTE).
    pub fn rsqrt_est(&mut self, f: Fmt, x: u64) -> u64 {
        let a = self.unpack(f, x);
        match a.kind {
            Kind::QNaN | Kind::SNaN => return self.process_nan(f, a.kind, x),
            Kind::Zero => {
                self.flags |= DZC;
                return f.inf(a.sign);
            }
            _ if a.sign => {
                self.flags |= IOC;
                return f.default_nan();
            }
            Kind::Inf => return f.zero(false),
            Kind::Num => {}
        }
        let bias = f.bias() as i64;
        let mut exp = ((x >> f.f) & f.emax()) as i64;
        let mut fr = (x & f.frac_mask()) << (64 - f.f);
        if exp == 0 {
            while fr >> 63 == 0 {
                fr <<= 1;
                exp -= 1;
            }
            fr <<= 1;
        }
        let scaled = if exp & 1 == 0 {
            0x100 | (fr >> 56) as u32
        } else {
            0x80 | (fr >> 57) as u32
        };
        let est = recip_sqrt_estimate(scaled) as u64;
        let rexp = (3 * bias - 1 - exp).div_euclid(2);
        f.zero(false) | (rexp as u64) << f.f | (est & 0xff) << (f.f - 8)
    }
}

/// Compare two non-NaN unpacked values.
fn cmp_values(a: &Unp, b: &Unp) -> Ordering {
    let key = |u: &Unp| -> (i8, i32, u128) {
        // (class, exponent of the top bit, mantissa aligned) for magnitudes.
        match u.kind {
            Kind::Zero => (0, 0, 0),
            Kind::Inf => (2, 0, 0),
            _ => {
                let top = u.exp + (63 - u.mant.leading_zeros() as i32);
                (1, top, (u.mant as u128) << (u.mant.leading_zeros() + 64))
            }
        }
    };
    let mag = key(a).cmp(&key(b));
    let (za, zb) = (a.kind == Kind::Zero, b.kind == Kind::Zero);
    match (a.sign && !za, b.sign && !zb) {
        (false, false) => mag,
        (true, true) => mag.reverse(),
        (true, false) => {
            if za && zb {
                Ordering::Equal
            } else {
                Ordering::Less
            }
        }
        (false, true) => Ordering::Greater,
    }
}

/// Integer square root of `m`: (floor(sqrt(m)), m - floor^2).
fn isqrt(m: u128) -> (u128, u128) {
    let mut rem: u128 = 0;
    let mut root: u128 = 0;
    for i in (0..64).rev() {
        rem = rem << 2 | (m >> (2 * i)) & 3;
        let t = root << 2 | 1;
        root <<= 1;
        if rem >= t {
            rem -= t;
            root |= 1;
        }
    }
    (root, rem)
}
