//! Host floating-point fast path for single and double precision FPAdd/FPSub, FPMul,
//! FPDiv, FPSqrt, FPMulAdd and FPMax/FPMin: the same result bits and the same FPSR
//! cumulative flags as the exact integer soft-float in [`super`], computed with the
//! host's IEEE 754 binary32/binary64 arithmetic whenever that is provably identical.
//! Every entry point returns `None` when it cannot prove it, and the caller then runs
//! the soft-float unchanged.
//!
//! # When the fast path applies
//!
//! * FPCR.RMode = 00 (round to nearest, ties to even): the host's default rounding, which
//!   is never changed. The host must also run with gradual underflow (no FTZ/DAZ in
//!   MXCSR or the host FPCR), which is Rust's default.
//! * Single or double precision (half precision always falls back).
//! * Every operand is ±0 or a *safe* normal number: `2^(emin + 2p) <= |x| < inf`, with
//!   `p` the precision (24, 53) and `emin` the minimum normal exponent (-126, -1022),
//!   i.e. a biased exponent of at least `2p + 1`. So no NaN, infinity or denormal
//!   operand is ever seen here: no NaN propagation, no DN, and FZ cannot flush an input.
//! * The rounded result is a safe normal number too, or a zero proven exact (a zero
//!   operand, or an exact cancellation in an addition).
//!
//! # Why the flags are exactly IXC or nothing
//!
//! * IOC: raised by the soft-float only for signalling NaN operands, ∞ − ∞, 0 × ∞,
//!   0 / 0, ∞ / ∞ and the square root of a negative number. No operand is a NaN or
//!   infinite, a zero divisor and a negative radicand fall back, so none can occur.
//! * DZC: only for a finite dividend over a zero divisor: falls back.
//! * IDC: only when FZ flushes a denormal operand: no operand is denormal.
//! * OFC: only when the rounded result (with unbounded exponent) reaches `2^(emax+1)`.
//!   The host rounds the same exact value with the same rule (RNE, `p` bits) and would
//!   then return infinity, which is not a safe result: falls back.
//! * UFC (and the FZ flush of a tiny result): only when the exact value `v` is below
//!   `2^emin` in magnitude *before* rounding (Arm detects tininess before rounding).
//!   Rounding is monotonic and `2^emin` is representable, so `|v| < 2^emin` implies
//!   `|RN(v)| <= 2^emin`; an accepted nonzero result has `|RN(v)| >= 2^(emin+2p)`, so
//!   `|v| >= 2^emin`: not tiny, no UFC, no flush. Accepted zero results are exact
//!   (below), and the soft-float returns exact zeros without rounding them.
//! * IXC: raised by the soft-float exactly when the rounded result differs from the
//!   exact value (`err.nonzero` in `round_base`), once per operation. Each operation
//!   below decides exactness with an error-free transformation.
//!
//! Results: for `|v| >= 2^emin` both the soft-float (`round_base`, `biased > 0`) and the
//! host round `v` to `p` significant bits, ties to even, so the bits agree. Signed zeros
//! follow IEEE 754 6.3 in both: `x + (-x) = +0` and `(+0) + (-0) = +0` in RNE, equal
//! signs kept; products and quotients take the XOR of the signs; `sqrt(±0) = ±0`.
//!
//! # Exactness (why the error tests below are exact)
//!
//! Write a nonzero float as `M·2^q` with an integer `M < 2^p`; `q >= emin - p + 1` (the
//! quantum of the smallest denormal, `2^(emin-p+1)`). For a safe operand `x = M·2^q`
//! with `2^E <= |x| < 2^(E+1)`, `q = E - p + 1` and `E >= emin + 2p`.
//!
//! * Add: TwoSum (Knuth): `s = RN(a+b)`, `b' = RN(s-a)`, `a' = RN(s-b')`,
//!   `t = RN((a-a') + (b-b'))`. Without overflow, `a - a'` and `b - b'` are exact and
//!   `(a-a') + (b-b') = a + b - s` exactly, whatever underflow happens (sums of floats
//!   that land in the denormal range are exact). `RN(y) = 0` only for `y = 0` here,
//!   because `y` is a sum of floats, hence a multiple of the smallest denormal. So
//!   `t == 0` iff the addition was exact. Overflow in any step makes `t` infinite or
//!   NaN (∞ and NaN propagate through every later step, and `t` depends on all of
//!   them), so a non-finite `t` falls back. A zero `s` is always exact: `a + b` is a
//!   multiple of the smallest denormal, and rounds to 0 only when it is 0.
//! * Mul (double): `e = fma(a, b, -RN(ab))`. With `|RN(ab)| >= 2^(emin+2p)`, the exact
//!   product `ab = MaMb·2^(qa+qb)` has `qa + qb >= emin + 1` and `|ab - RN(ab)| <=
//!   ulp/2 < 2^(p-1)·2^(qa+qb)`: an integer multiple of a representable quantum with
//!   fewer than `p` bits, so exactly representable; the correctly rounded `fma` returns
//!   it exactly, and it is zero iff the product was exact.
//! * Mul (single): the exact product of two 24-bit significands has 48 bits and its
//!   exponent lies well inside binary64's range, so `(a as f64) * (b as f64)` is exact,
//!   and converting it to `f32` rounds it once (RNE). Exact iff the conversion back to
//!   `f64` gives the same value.
//! * Div (double): `q = RN(a/b)`, `r = fma(-q, b, a)`. `|qb| >= |a|(1 - 2^-p)` gives
//!   `Eq + Eb >= Ea - 1 >= emin + 2p - 1`, so the quantum `2^(qq+qb) >= 2^(emin+1)`, and
//!   `|a - qb| = |b|·|a/b - q| < 2^(Eb+1)·2^(Eq-p) = 2^(p-1)·2^(qq+qb)`: representable
//!   (the classical exact-remainder property), so `r = a - qb` exactly; zero iff exact.
//! * Div (single): `q·b` (24 × 24 bits) is exact in binary64: exact iff it equals `a`.
//! * Sqrt (double): `r = RN(√a)`, `e = fma(-r, r, a)`. `a - r² = (√a - r)(√a + r)` with
//!   `|√a - r| <= 2^(Er-p)` and `√a + r < 2^(Er+2)`: less than `2^p` quanta `2^(2qr)`,
//!   and `2qr = 2Er - 2p + 2 >= Ea - 2p + 1 >= emin + 1`; so `e` is exact, zero iff
//!   `r² = a`. A safe radicand has a safe root (`|r| >= 2^((emin+2p)/2)`).
//! * Sqrt (single): `r·r` is exact in binary64: exact iff it equals `a`.
//! * MulAdd (double), `r = RN(c + ab)` with `a`, `b` nonzero: TwoProduct `ab = u1 + u2`
//!   (`u1 = RN(ab)` safe, `u2 = fma(a, b, -u1)` exact as for Mul) and TwoSum
//!   `r - c = d1 + d2` (`d1 = RN(r - c)`, exact without overflow, checked through
//!   `d2` being finite). Both pairs are normalised: `u1 = RN(u1 + u2)`,
//!   `d1 = RN(d1 + d2)`. If `ab + c = r` then `u1 + u2 = d1 + d2` is one value, whose
//!   RN is `u1 = d1`, hence `u2 = d2`; conversely `u1 = d1` and `u2 = d2` give
//!   `ab = r - c`. So exact iff `u1 == d1 && u2 == d2`.
//! * MulAdd (single): `p = ab` is exact in binary64 and TwoSum in binary64 (which cannot
//!   overflow with binary32 operands) gives `r - c = d1 + d2` exactly, `d1 = RN64(r-c)`.
//!   If `ab + c = r` then `r - c = p` is a binary64, so `d1 = p` and `d2 = 0`; the
//!   converse is immediate. So exact iff `d1 == p && d2 == 0`.
//! * MulAdd with a zero factor: the result is `c + (±0)`: `c` itself (exact) or a zero
//!   with the IEEE sign rule, which the soft-float's `add_round` applies too.
//! * Max/Min: no rounding at all: the result is one of the operands (or, for zeros of
//!   both signs, the most positive/negative zero); no flags.
//!
//! Rust's `mul_add` is a correctly rounded fused multiply-add by contract (an FMA
//! instruction, or libm's `fma`/`fmaf`, which glibc dispatches to the FMA instructions
//! when the host has them).

use super::{Env, Fmt, D, IXC, S};

/// Magnitude limits of a format's accepted operands and results, as bit patterns without
/// the sign: `lo` the smallest accepted magnitude, `inf` the encoding of infinity.
#[derive(Clone, Copy)]
struct Lim {
    lo: u64,
    inf: u64,
    sign: u64,
}

/// `e` exponent bits, `f` fraction bits, lowest accepted biased exponent `lo`.
const fn lim(e: u32, f: u32, lo: u64) -> Lim {
    Lim {
        lo: lo << f,
        inf: ((1 << e) - 1) << f,
        sign: 1 << (e + f),
    }
}

/// Safe: a biased exponent of at least `2p + 1` (`emin + 2p` unbiased), below all-ones.
const LIM_S: Lim = lim(8, 23, 2 * 24 + 1);
const LIM_D: Lim = lim(11, 52, 2 * 53 + 1);
/// Normal: any biased exponent but zero and all-ones (only for Max/Min, which round
/// nothing).
const NORM_S: Lim = lim(8, 23, 1);
const NORM_D: Lim = lim(11, 52, 1);

impl Lim {
    /// A safe normal number: `2^(emin + 2p) <= |x| < inf`.
    #[inline(always)]
    fn safe(self, x: u64) -> bool {
        (x & !self.sign).wrapping_sub(self.lo) < self.inf - self.lo
    }
    /// An acceptable operand: ±0 or safe.
    #[inline(always)]
    fn operand(self, x: u64) -> bool {
        x & !self.sign == 0 || self.safe(x)
    }
}

/// TwoSum (Knuth): `(s, t)` with `s = RN(a + b)` and, when no step overflows,
/// `t = RN(a + b - s)`, which is then `a + b - s` exactly (see the module docs).
macro_rules! two_sum {
    ($a:expr, $b:expr) => {{
        let (a, b) = ($a, $b);
        let s = a + b;
        let bb = s - a;
        let aa = s - bb;
        (s, (a - aa) + (b - bb))
    }};
}

/// Result of a fast operation: the bits and whether it was inexact.
type Fast = Option<(u64, bool)>;

/// FPAdd: `a + b` (the caller negated `b` for FPSub).
#[inline(always)]
fn add_s(x: u64, y: u64) -> Fast {
    let (a, b) = (f32::from_bits(x as u32), f32::from_bits(y as u32));
    let (s, t) = two_sum!(a, b);
    let bits = s.to_bits() as u64;
    if s == 0.0 {
        return Some((bits, false));
    }
    if !LIM_S.safe(bits) || !t.is_finite() {
        return None;
    }
    Some((bits, t != 0.0))
}

#[inline(always)]
fn add_d(x: u64, y: u64) -> Fast {
    let (a, b) = (f64::from_bits(x), f64::from_bits(y));
    let (s, t) = two_sum!(a, b);
    let bits = s.to_bits();
    if s == 0.0 {
        return Some((bits, false));
    }
    if !LIM_D.safe(bits) || !t.is_finite() {
        return None;
    }
    Some((bits, t != 0.0))
}

#[inline(always)]
fn mul_s(x: u64, y: u64) -> Fast {
    let (a, b) = (f32::from_bits(x as u32), f32::from_bits(y as u32));
    let p = a as f64 * b as f64; // exact
    let r = p as f32;
    let bits = r.to_bits() as u64;
    if a == 0.0 || b == 0.0 {
        return Some((bits, false));
    }
    if !LIM_S.safe(bits) {
        return None;
    }
    Some((bits, r as f64 != p))
}

#[inline(always)]
fn mul_d(x: u64, y: u64) -> Fast {
    let (a, b) = (f64::from_bits(x), f64::from_bits(y));
    let p = a * b;
    let bits = p.to_bits();
    if a == 0.0 || b == 0.0 {
        return Some((bits, false));
    }
    if !LIM_D.safe(bits) {
        return None;
    }
    Some((bits, a.mul_add(b, -p) != 0.0))
}

#[inline(always)]
fn div_s(x: u64, y: u64) -> Fast {
    let (a, b) = (f32::from_bits(x as u32), f32::from_bits(y as u32));
    if b == 0.0 {
        return None;
    }
    let q = a / b;
    let bits = q.to_bits() as u64;
    if a == 0.0 {
        return Some((bits, false));
    }
    if !LIM_S.safe(bits) {
        return None;
    }
    Some((bits, q as f64 * b as f64 != a as f64))
}

#[inline(always)]
fn div_d(x: u64, y: u64) -> Fast {
    let (a, b) = (f64::from_bits(x), f64::from_bits(y));
    if b == 0.0 {
        return None;
    }
    let q = a / b;
    let bits = q.to_bits();
    if a == 0.0 {
        return Some((bits, false));
    }
    if !LIM_D.safe(bits) {
        return None;
    }
    Some((bits, (-q).mul_add(b, a) != 0.0))
}

#[inline(always)]
fn sqrt_s(x: u64) -> Fast {
    let a = f32::from_bits(x as u32);
    if a == 0.0 {
        return Some((x, false));
    }
    if a < 0.0 {
        return None;
    }
    let r = a.sqrt();
    let r64 = r as f64;
    Some((r.to_bits() as u64, r64 * r64 != a as f64))
}

#[inline(always)]
fn sqrt_d(x: u64) -> Fast {
    let a = f64::from_bits(x);
    if a == 0.0 {
        return Some((x, false));
    }
    if a < 0.0 {
        return None;
    }
    let r = a.sqrt();
    Some((r.to_bits(), (-r).mul_add(r, a) != 0.0))
}

/// `c + a * b` with one rounding.
#[inline(always)]
fn muladd_s(z: u64, x: u64, y: u64) -> Fast {
    let (c, a, b) = (
        f32::from_bits(z as u32),
        f32::from_bits(x as u32),
        f32::from_bits(y as u32),
    );
    let r = a.mul_add(b, c);
    let bits = r.to_bits() as u64;
    if a == 0.0 || b == 0.0 {
        return Some((bits, false));
    }
    if !LIM_S.safe(bits) {
        return None;
    }
    let p = a as f64 * b as f64; // exact
    let (d1, d2) = two_sum!(r as f64, -(c as f64));
    Some((bits, d1 != p || d2 != 0.0))
}

#[inline(always)]
fn muladd_d(z: u64, x: u64, y: u64) -> Fast {
    let (c, a, b) = (f64::from_bits(z), f64::from_bits(x), f64::from_bits(y));
    let r = a.mul_add(b, c);
    let bits = r.to_bits();
    if a == 0.0 || b == 0.0 {
        return Some((bits, false));
    }
    let u1 = a * b;
    if !LIM_D.safe(bits) || !LIM_D.safe(u1.to_bits()) {
        return None;
    }
    let u2 = a.mul_add(b, -u1);
    let (d1, d2) = two_sum!(r, -c);
    if !d2.is_finite() {
        return None;
    }
    Some((bits, d1 != u1 || d2 != u2))
}

/// FPMax/FPMin of two operands (no rounding, no flags).
#[inline(always)]
fn max_min_s(x: u64, y: u64, max: bool) -> u64 {
    let (a, b) = (f32::from_bits(x as u32), f32::from_bits(y as u32));
    pick(a > b, a < b, x, y, max)
}

#[inline(always)]
fn max_min_d(x: u64, y: u64, max: bool) -> u64 {
    let (a, b) = (f64::from_bits(x), f64::from_bits(y));
    pick(a > b, a < b, x, y, max)
}

/// The larger (`max`) or smaller operand. Equal normal numbers have equal encodings, so
/// equal operands differ at most in the signs of two zeros, and then the result is the
/// most positive (max) or most negative (min) zero: the AND (max) or OR (min) of the
/// encodings.
#[inline(always)]
fn pick(gt: bool, lt: bool, x: u64, y: u64, max: bool) -> u64 {
    if gt {
        if max {
            x
        } else {
            y
        }
    } else if lt {
        if max {
            y
        } else {
            x
        }
    } else if max {
        x & y
    } else {
        x | y
    }
}

/// An operation with a fast path. Operands are `(c, x, y)`: `c` is only the addend of
/// [`Op::MulAdd`] (`c + x * y`), `y` is unused by [`Op::Sqrt`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Sqrt,
    MulAdd,
    Max,
    Min,
}

/// One operation on binary32 operands, after checking that they are acceptable.
#[inline(always)]
fn op_s(op: Op, c: u64, x: u64, y: u64) -> Fast {
    let l = LIM_S;
    match op {
        Op::Add | Op::Sub => {
            let y = if op == Op::Sub { y ^ l.sign } else { y };
            (l.operand(x) && l.operand(y)).then_some(())?;
            add_s(x, y)
        }
        Op::Mul => {
            (l.operand(x) && l.operand(y)).then_some(())?;
            mul_s(x, y)
        }
        Op::Div => {
            (l.operand(x) && l.operand(y)).then_some(())?;
            div_s(x, y)
        }
        Op::Sqrt => {
            l.operand(x).then_some(())?;
            sqrt_s(x)
        }
        Op::MulAdd => {
            (l.operand(c) && l.operand(x) && l.operand(y)).then_some(())?;
            muladd_s(c, x, y)
        }
        Op::Max | Op::Min => {
            (NORM_S.operand(x) && NORM_S.operand(y)).then_some(())?;
            Some((max_min_s(x, y, op == Op::Max), false))
        }
    }
}

/// One operation on binary64 operands, after checking that they are acceptable.
#[inline(always)]
fn op_d(op: Op, c: u64, x: u64, y: u64) -> Fast {
    let l = LIM_D;
    match op {
        Op::Add | Op::Sub => {
            let y = if op == Op::Sub { y ^ l.sign } else { y };
            (l.operand(x) && l.operand(y)).then_some(())?;
            add_d(x, y)
        }
        Op::Mul => {
            (l.operand(x) && l.operand(y)).then_some(())?;
            mul_d(x, y)
        }
        Op::Div => {
            (l.operand(x) && l.operand(y)).then_some(())?;
            div_d(x, y)
        }
        Op::Sqrt => {
            l.operand(x).then_some(())?;
            sqrt_d(x)
        }
        Op::MulAdd => {
            (l.operand(c) && l.operand(x) && l.operand(y)).then_some(())?;
            muladd_d(c, x, y)
        }
        Op::Max | Op::Min => {
            (NORM_D.operand(x) && NORM_D.operand(y)).then_some(())?;
            Some((max_min_d(x, y, op == Op::Max), false))
        }
    }
}

/// Every one of `count` lanes through `lane`: the results and whether any was inexact,
/// or `None` as soon as one lane declines.
#[inline(always)]
fn each(count: usize, lane: impl Fn(usize) -> Fast) -> Option<([u64; 4], bool)> {
    let mut r = [0u64; 4];
    let mut inexact = false;
    for (i, out) in r.iter_mut().enumerate().take(count) {
        let (bits, x) = lane(i)?;
        *out = bits;
        inexact |= x;
    }
    Some((r, inexact))
}

/// `$body` with `$op` replaced by each constant [`Op`], so that the operation is known at
/// compile time inside per-lane loops.
macro_rules! specialise {
    ($op:expr, |$o:ident| $body:expr) => {
        match $op {
            Op::Add => {
                let $o = Op::Add;
                $body
            }
            Op::Sub => {
                let $o = Op::Sub;
                $body
            }
            Op::Mul => {
                let $o = Op::Mul;
                $body
            }
            Op::Div => {
                let $o = Op::Div;
                $body
            }
            Op::Sqrt => {
                let $o = Op::Sqrt;
                $body
            }
            Op::MulAdd => {
                let $o = Op::MulAdd;
                $body
            }
            Op::Max => {
                let $o = Op::Max;
                $body
            }
            Op::Min => {
                let $o = Op::Min;
                $body
            }
        }
    };
}

impl Env {
    /// The fast path is usable for `op`: FPCR.RMode is round to nearest, ties to even
    /// (Max and Min round nothing and work in every mode). FZ and DN cannot matter for
    /// the operands and results it accepts; AHP and FZ16 only concern half precision.
    #[inline(always)]
    fn fast_mode(&self, op: Op) -> bool {
        self.fpcr & (3 << 22) == 0 || matches!(op, Op::Max | Op::Min)
    }

    /// `op` on one element of format `f` (S or D): the result, with IXC added to the
    /// flags when inexact; `None`, with the flags untouched, when the soft-float must
    /// compute it.
    #[inline(always)]
    pub(crate) fn fast(&mut self, op: Op, f: Fmt, c: u64, x: u64, y: u64) -> Option<u64> {
        if !self.fast_mode(op) {
            return None;
        }
        let (bits, inexact) = if f == S {
            op_s(op, c, x, y)?
        } else if f == D {
            op_d(op, c, x, y)?
        } else {
            return None;
        };
        if inexact {
            self.flags |= IXC;
        }
        Some(bits)
    }

    /// `op` on the first `count` (at most 4) lanes of format `f`: `c[i]` (addend),
    /// `x[i]`, `y[i]`. All lanes or none: `None`, with the flags untouched, as soon as
    /// one lane needs the soft-float.
    #[inline]
    pub(crate) fn fast_lanes(
        &mut self,
        op: Op,
        f: Fmt,
        count: usize,
        c: &[u64; 4],
        x: &[u64; 4],
        y: &[u64; 4],
    ) -> Option<[u64; 4]> {
        if !self.fast_mode(op) {
            return None;
        }
        let (r, inexact) = if f == S {
            specialise!(op, |o| each(count, |i| op_s(o, c[i], x[i], y[i])))?
        } else if f == D {
            specialise!(op, |o| each(count, |i| op_d(o, c[i], x[i], y[i])))?
        } else {
            return None;
        };
        if inexact {
            self.flags |= IXC;
        }
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    //! The fast path against the soft-float: same bits, same flags, for random and edge
    //! operands under random FPCR values (the fast path must also decline correctly).
    use super::super::{Env, Fmt, D, S};
    use super::Op;
    use proptest::prelude::*;

    /// FPCR values: RNE (the fast path's case) most of the time, plus FZ, DN and the
    /// other rounding modes.
    const FPCRS: [u32; 6] = [0, 1 << 24, 1 << 25, 1 << 22, 2 << 22, 3 << 22 | 1 << 24];

    /// Deterministic generator (xorshift64*).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn pack(f: Fmt, sign: u64, be: u64, frac: u64) -> u64 {
        sign << (f.e + f.f) | (be & f.emax()) << f.f | frac & f.frac_mask()
    }

    /// An operand biased to the edges: zeros, infinities, NaNs, denormals, the smallest
    /// normals, the fast path's safe boundary `2^(emin+2p)`, values near the largest
    /// normal, values around 1, few-bit significands (exact products and sums), random.
    fn value(r: &mut Rng, f: Fmt) -> u64 {
        let s = r.below(2);
        let safe = 2 * (f.f as u64 + 1) + 1;
        let frac = match r.below(4) {
            0 => 0,
            1 => r.next() & !((1 << (f.f - 3)) - 1), // 3 fraction bits
            2 => r.next() & !((1 << (f.f / 2)) - 1), // half the bits
            _ => r.next(),
        };
        let emax = f.emax();
        let bias = f.bias() as u64;
        match r.below(16) {
            0 => pack(f, s, 0, 0),
            1 => pack(f, s, emax, if r.below(3) == 0 { 0 } else { r.next() | 1 }),
            2 => pack(f, s, 0, r.next() | 1),
            3 => pack(f, s, 1 + r.below(3), frac),
            4 => pack(f, s, safe - 2 + r.below(5), frac),
            5 => pack(f, s, emax - 1 - r.below(3), frac),
            6 => pack(f, s, (safe + 2 * bias) / 2 - 3 + r.below(7), frac),
            7..=11 => pack(f, s, bias - 8 + r.below(17), frac),
            12 => pack(f, s, bias - 30 + r.below(61), frac),
            _ => pack(f, s, r.next(), r.next()),
        }
    }

    /// A second operand related to `a`: its negation, a value that makes the sum or
    /// difference land on a rounding boundary, or an independent edge value.
    fn near(r: &mut Rng, f: Fmt, a: u64) -> u64 {
        match r.below(6) {
            0 => f.neg(a),
            1 => a,
            2 => a ^ (r.next() & 7),
            3 => {
                let be = (a >> f.f) & f.emax();
                let d = [f.f, f.f + 1, f.f + 2, f.f - 1, 1, 0][r.below(6) as usize] as u64;
                let frac = [0, 1, f.frac_mask(), r.next()][r.below(4) as usize];
                pack(f, r.below(2), be.saturating_sub(d), frac)
            }
            _ => value(r, f),
        }
    }

    const OPS: [Op; 8] = [
        Op::Add,
        Op::Sub,
        Op::Mul,
        Op::Div,
        Op::Sqrt,
        Op::MulAdd,
        Op::Max,
        Op::Min,
    ];

    /// (fast-or-soft entry point, fast path taken) and the soft-float alone, as
    /// (result, flags).
    fn run(op: Op, f: Fmt, fpcr: u32, c: u64, x: u64, y: u64) -> ((u64, u32, bool), (u64, u32)) {
        let mut e = Env::new(fpcr as u64);
        let fast = e.fast(op, f, c, x, y);
        let hit = fast.is_some();
        let got = match fast {
            Some(r) => r,
            None => {
                assert_eq!(e.flags, 0, "{op:?}: flags from a declined fast path");
                match op {
                    Op::Add => e.add(f, x, y, false),
                    Op::Sub => e.add(f, x, y, true),
                    Op::Mul => e.mul(f, x, y),
                    Op::Div => e.div(f, x, y),
                    Op::Sqrt => e.sqrt(f, x),
                    Op::MulAdd => e.muladd(f, c, x, y),
                    Op::Max => e.max_min(f, x, y, true),
                    Op::Min => e.max_min(f, x, y, false),
                }
            }
        };
        let mut s = Env::new(fpcr as u64);
        let want = match op {
            Op::Add => s.add_soft(f, x, y, false),
            Op::Sub => s.add_soft(f, x, y, true),
            Op::Mul => s.mul_soft(f, x, y),
            Op::Div => s.div_soft(f, x, y),
            Op::Sqrt => s.sqrt_soft(f, x),
            Op::MulAdd => s.muladd_soft(f, c, x, y),
            Op::Max => s.max_min_soft(f, x, y, true),
            Op::Min => s.max_min_soft(f, x, y, false),
        };
        ((got, e.flags, hit), (want, s.flags))
    }

    fn check(op: Op, f: Fmt, fpcr: u32, c: u64, x: u64, y: u64) -> bool {
        let ((got, gflags, hit), (want, wflags)) = run(op, f, fpcr, c, x, y);
        assert!(
            got == want && gflags == wflags,
            "{op:?} {}-bit fpcr={fpcr:#x} c={c:#x} x={x:#x} y={y:#x}: fast path {hit}: \
             got {got:#x} flags {gflags:#x}, soft-float {want:#x} flags {wflags:#x}",
            f.bits()
        );
        hit
    }

    /// Operands where the fast path is exercised heavily: exact and inexact results,
    /// cancellations, the safe boundary; returns the hit count per (op, format).
    fn sweep(seed: u64, n: usize) -> Vec<(Op, Fmt, usize, usize)> {
        let mut r = Rng(seed);
        let mut stats = Vec::new();
        for f in [S, D] {
            for op in OPS {
                let mut hits = 0;
                for _ in 0..n {
                    let fpcr = if r.below(4) == 0 {
                        FPCRS[r.below(FPCRS.len() as u64) as usize]
                    } else {
                        0
                    };
                    let x = value(&mut r, f);
                    let y = near(&mut r, f, x);
                    let c = match r.below(4) {
                        // Addend cancelling the product (exact or nearly exact results).
                        0 => {
                            let mut e = Env::new(0);
                            let p = e.mul_soft(f, x, y);
                            near(&mut r, f, f.neg(p))
                        }
                        1 => near(&mut r, f, x),
                        _ => value(&mut r, f),
                    };
                    hits += check(op, f, fpcr, c, x, y) as usize;
                }
                stats.push((op, f, hits, n));
            }
        }
        stats
    }

    #[test]
    fn random_and_edges_match_soft_float() {
        for (op, f, hits, n) in sweep(0x9e37_79b9_7f4a_7c15, 200_000) {
            // The fast path must really be taken, or this test proves nothing.
            assert!(
                hits * 10 > n,
                "{op:?} {}-bit: fast path hit {hits} of {n}",
                f.bits()
            );
        }
    }

    /// Exact results: products, quotients, roots and sums of few-bit significands,
    /// where the inexact flag must stay clear; and their neighbours, where it must be set.
    #[test]
    fn exact_and_inexact_boundaries() {
        let mut r = Rng(7);
        for f in [S, D] {
            let bias = f.bias() as u64;
            for _ in 0..100_000 {
                let small = |r: &mut Rng| {
                    let bits = 1 + r.below(f.f as u64 / 2);
                    let frac = r.next() & ((1 << bits) - 1);
                    pack(
                        f,
                        r.below(2),
                        bias - 40 + r.below(80),
                        frac << (f.f as u64 - bits),
                    )
                };
                let (a, b) = (small(&mut r), small(&mut r));
                let mut e = Env::new(0);
                let p = e.mul_soft(f, a, b);
                let q = e.div_soft(f, a, b);
                let sq = e.mul_soft(f, f.abs(a), f.abs(a));
                for d in [0u64, 1, u64::MAX] {
                    let pd = p.wrapping_add(d);
                    check(Op::Div, f, 0, 0, p, b);
                    check(Op::Div, f, 0, 0, pd, b);
                    check(Op::Mul, f, 0, 0, q, b);
                    check(Op::Sqrt, f, 0, 0, sq.wrapping_add(d), 0);
                    check(Op::MulAdd, f, 0, f.neg(pd), a, b);
                    check(Op::MulAdd, f, 0, pd, a, b);
                    check(Op::MulAdd, f, 0, a.wrapping_add(d), a, b);
                    check(Op::Add, f, 0, 0, pd, a);
                    check(Op::Sub, f, 0, 0, pd, p);
                }
            }
        }
    }

    /// Signed zeros and the exact cancellation `x - x`, in every op.
    #[test]
    fn signed_zeros() {
        let one = |f: Fmt| pack(f, 0, f.bias() as u64, 0);
        for f in [S, D] {
            let vals = [0, f.neg(0), one(f), f.neg(one(f)), pack(f, 0, 200, 12345)];
            for op in OPS {
                for &c in &vals {
                    for &x in &vals {
                        for &y in &vals {
                            for fpcr in FPCRS {
                                check(op, f, fpcr, c, x, y);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Around the safe boundary and the smallest normal: results just above, at and
    /// below `2^(emin+2p)` and `2^emin`, where rounding could cross into tininess.
    #[test]
    fn min_normal_boundary() {
        let mut r = Rng(99);
        for f in [S, D] {
            let safe = 2 * (f.f as u64 + 1) + 1;
            let bias = f.bias() as u64;
            for _ in 0..200_000 {
                // x * y lands near biased exponent `target`.
                let target = [1, 2, safe - 1, safe, safe + 1][r.below(5) as usize];
                let ex = bias - r.below(40);
                let ey = (target + bias).wrapping_sub(ex).wrapping_add(r.below(3)) - 1;
                let frac = |r: &mut Rng| match r.below(3) {
                    0 => f.frac_mask(),
                    1 => 0,
                    _ => r.next(),
                };
                let x = pack(f, r.below(2), ex, frac(&mut r));
                let y = pack(f, r.below(2), ey, frac(&mut r));
                let c = pack(f, r.below(2), target + r.below(3) - 1, frac(&mut r));
                for op in OPS {
                    check(op, f, 0, c, x, y);
                }
                // Differences of neighbours near the boundary.
                let z = pack(f, 0, target + r.below(3), frac(&mut r));
                check(Op::Sub, f, 0, 0, z, z.wrapping_add(1 + r.below(4)));
            }
        }
    }

    /// The whole-vector entry: all lanes through the fast path, or `None` with no flags
    /// when any lane declines; the lanes then equal the soft-float's, flags ORed.
    #[test]
    fn lanes_match_soft_float() {
        let mut r = Rng(12345);
        let (mut all, mut some) = (0, 0);
        for f in [S, D] {
            let count = (128 / f.bits()) as usize;
            for op in OPS {
                for _ in 0..50_000 {
                    let fpcr = if r.below(8) == 0 {
                        FPCRS[r.below(6) as usize]
                    } else {
                        0
                    };
                    let (mut c, mut x, mut y) = ([0u64; 4], [0u64; 4], [0u64; 4]);
                    let lanes = c.iter_mut().zip(x.iter_mut()).zip(y.iter_mut());
                    for ((ci, xi), yi) in lanes.take(count) {
                        // Mostly well-behaved lanes, so that whole vectors often qualify.
                        let ok = |r: &mut Rng| {
                            let bias = f.bias() as u64;
                            pack(f, r.below(2), bias - 10 + r.below(20), r.next())
                        };
                        let xv = if r.below(8) == 0 {
                            value(&mut r, f)
                        } else {
                            ok(&mut r)
                        };
                        *ci = ok(&mut r);
                        *xi = xv;
                        *yi = if r.below(8) == 0 {
                            near(&mut r, f, xv)
                        } else {
                            ok(&mut r)
                        };
                    }
                    let mut e = Env::new(fpcr as u64);
                    let got = e.fast_lanes(op, f, count, &c, &x, &y);
                    let mut s = Env::new(fpcr as u64);
                    let want: Vec<u64> = (0..count)
                        .map(|i| run(op, f, fpcr, c[i], x[i], y[i]).1)
                        .map(|(bits, flags)| {
                            s.flags |= flags;
                            bits
                        })
                        .collect();
                    match got {
                        Some(l) => {
                            all += 1;
                            assert_eq!(&l[..count], &want[..], "{op:?} {c:x?} {x:x?} {y:x?}");
                            assert_eq!(e.flags, s.flags, "{op:?} {c:x?} {x:x?} {y:x?}");
                        }
                        None => {
                            some += 1;
                            assert_eq!(e.flags, 0);
                        }
                    }
                }
            }
        }
        assert!(all > some / 4, "fast lanes {all}, declined {some}");
    }

    fn fmt() -> impl Strategy<Value = Fmt> {
        prop_oneof![Just(S), Just(D)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn proptest_matches_soft_float(
            f in fmt(),
            op in 0..OPS.len(),
            fpcr in prop::sample::select(FPCRS.to_vec()),
            seed in any::<u64>(),
            raw in any::<[u64; 3]>(),
            edge in any::<bool>(),
        ) {
            let (c, x, y) = if edge {
                let mut r = Rng(seed | 1);
                let x = value(&mut r, f);
                let y = near(&mut r, f, x);
                (value(&mut r, f), x, y)
            } else {
                (raw[0], raw[1], raw[2])
            };
            let m = (1u64 << (f.bits() - 1) << 1).wrapping_sub(1);
            check(OPS[op], f, fpcr, c & m, x & m, y & m);
        }
    }
}
