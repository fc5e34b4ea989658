//! Conversions (Arm ARM J1: FPRoundInt, FPRoundIntN, FPToFixed, FixedToFP, FPConvert,
//! FPToFixedJS): rounding to an integral value (of any size, or one that fits 32 or 64
//! bits), to and from fixed point and integers, between the binary16/32/64 formats, and
//! FJCVTZS's JavaScript conversion.

use super::*;

impl Env {
    /// FPRoundInt (exact = FRINTX: IXC on an inexact result).
    pub fn round_int(&mut self, f: Fmt, x: u64, mode: Rounding, exact: bool) -> u64 {
        let a = self.unpack(f, x);
        match a.kind {
            Kind::QNaN | Kind::SNaN => self.process_nan(f, a.kind, x),
            Kind::Inf => f.inf(a.sign),
            Kind::Zero => f.zero(a.sign),
            Kind::Num => {
                if a.exp >= 0 {
                    return x;
                }
                let (kept, err) = shr_err(a.mant as u128, (-a.exp) as u32);
                let kept = kept + round_up(mode, a.sign, kept & 1 != 0, err) as u128;
                if exact && err.nonzero {
                    self.flags |= IXC;
                }
                if kept == 0 {
                    f.zero(a.sign)
                } else {
                    // An integer below 2^53 is exact in the format.
                    self.round_base(f, a.sign, kept, 0, Rounding::Zero, false, false)
                }
            }
        }
    }

    /// FPRoundIntN (FRINT32Z/X, FRINT64Z/X; FEAT_FRINTTS): FPRoundInt to an integral value
    /// that also fits a signed `intsize`-bit integer (S and D only). NaNs, infinities and
    /// results outside that range give the most negative such integer, -2^(intsize-1), with
    /// IOC and no IXC, so that a following FCVTZS yields that integer (x86's "integer
    /// indefinite") where it alone would saturate. An inexact in-range result raises IXC
    /// whatever the rounding (FRINT32Z as FRINT32X).
    pub fn round_int_n(&mut self, f: Fmt, x: u64, mode: Rounding, intsize: u32) -> u64 {
        let a = self.unpack(f, x);
        let most_neg = f.zero(true) | ((f.bias() + intsize as i32 - 1) as u64) << f.f;
        let (mag, err) = match a.kind {
            Kind::QNaN | Kind::SNaN | Kind::Inf => {
                self.flags |= IOC;
                return most_neg;
            }
            Kind::Zero => return f.zero(a.sign),
            // At least 2^64: out of range for either size.
            Kind::Num if a.exp >= 64 => (u128::MAX, Err::EXACT),
            Kind::Num if a.exp >= 0 => ((a.mant as u128) << a.exp, Err::EXACT),
            Kind::Num => shr_err(a.mant as u128, (-a.exp) as u32),
        };
        let kept = mag.saturating_add(round_up(mode, a.sign, mag & 1 != 0, err) as u128);
        let limit = 1u128 << (intsize - 1);
        if kept > limit || (kept == limit && !a.sign) {
            self.flags |= IOC;
            return most_neg;
        }
        if err.nonzero {
            self.flags |= IXC;
        }
        if kept == 0 {
            f.zero(a.sign)
        } else {
            // At most 2^63 and already a value of the format: exact.
            self.round_base(f, a.sign, kept, 0, Rounding::Zero, false, false)
        }
    }

    /// FPToFixed: the value times 2^fbits, rounded to an integer of `ibits` bits,
    /// saturated (IOC), IXC when inexact; NaN gives 0 with IOC.
    pub fn fp_to_fixed(
        &mut self,
        f: Fmt,
        x: u64,
        fbits: u32,
        unsigned: bool,
        ibits: u32,
        mode: Rounding,
    ) -> u64 {
        let a = self.unpack(f, x);
        let (lo, hi): (i128, i128) = if unsigned {
            (0, (1i128 << ibits) - 1)
        } else {
            (-(1i128 << (ibits - 1)), (1i128 << (ibits - 1)) - 1)
        };
        let sat = |v: i128| {
            (v as u64)
                & if ibits == 64 {
                    u64::MAX
                } else {
                    (1u64 << ibits) - 1
                }
        };
        let (val, err): (i128, Err) = match a.kind {
            Kind::QNaN | Kind::SNaN => {
                self.flags |= IOC;
                return 0;
            }
            Kind::Inf => {
                self.flags |= IOC;
                return sat(if a.sign { lo } else { hi });
            }
            Kind::Zero => (0, Err::EXACT),
            Kind::Num => {
                let e = a.exp + fbits as i32;
                let (mag, err) = if e >= 0 {
                    if e > 70 {
                        self.flags |= IOC;
                        return sat(if a.sign { lo } else { hi });
                    }
                    ((a.mant as u128) << e, Err::EXACT)
                } else {
                    shr_err(a.mant as u128, (-e) as u32)
                };
                let mag = mag + round_up(mode, a.sign, mag & 1 != 0, err) as u128;
                let v = mag as i128;
                (if a.sign { -v } else { v }, err)
            }
        };
        if val < lo {
            self.flags |= IOC;
            sat(lo)
        } else if val > hi {
            self.flags |= IOC;
            sat(hi)
        } else {
            if err.nonzero {
                self.flags |= IXC;
            }
            sat(val)
        }
    }

    /// FixedToFP: the integer `v` (signed or not) divided by 2^fbits, rounded.
    pub fn fixed_to_fp(&mut self, f: Fmt, v: u64, signed: bool, fbits: u32, mode: Rounding) -> u64 {
        let (sign, mag) = if signed && (v as i64) < 0 {
            (true, (v as i64).unsigned_abs())
        } else {
            (false, v)
        };
        if mag == 0 {
            return f.zero(false);
        }
        let fz = self.fz(f);
        self.round_base(f, sign, mag as u128, -(fbits as i32), mode, fz, false)
    }

    /// FPConvert between formats (FCVT), with alternative half precision per FPCR.AHP.
    pub fn convert(&mut self, from: Fmt, to: Fmt, x: u64) -> u64 {
        let ahp = self.ahp();
        // FPUnpackCV: FZ16 is ignored, FZ applies to single and double inputs.
        let fz_in = from != H && self.fz(from);
        let a = self.unpack_with(from, x, fz_in, ahp);
        let alt = to == H && ahp;
        match a.kind {
            Kind::QNaN | Kind::SNaN => {
                let r = if alt {
                    to.zero(a.sign)
                } else if self.dn() {
                    to.default_nan()
                } else {
                    // FPConvertNaN: keep the sign and the top of the payload.
                    let frac = x & from.frac_mask();
                    let frac = if to.f >= from.f {
                        frac << (to.f - from.f)
                    } else {
                        frac >> (from.f - to.f)
                    };
                    to.zero(a.sign) | to.emax() << to.f | to.quiet_bit() | frac
                };
                if a.kind == Kind::SNaN || alt {
                    self.flags |= IOC;
                }
                r
            }
            Kind::Inf => {
                if alt {
                    self.flags |= IOC;
                    to.zero(a.sign) | 0x7fff
                } else {
                    to.inf(a.sign)
                }
            }
            Kind::Zero => to.zero(a.sign),
            Kind::Num => {
                // FPRoundCV: FZ16 never applies to conversions.
                let fz_out = to != H && self.fz(to);
                let mode = self.rmode();
                self.round_base(to, a.sign, a.mant as u128, a.exp, mode, fz_out, alt)
            }
        }
    }

    /// FPToFixedJS (FJCVTZS): the double truncated, modulo 2^32, and the Z flag (set
    /// only when the conversion was exact and in range, and the input was +0: not -0,
    /// nor a denormal that FPCR.FZ flushed to zero, whose fraction bits are not zero).
    pub fn fp_to_js(&mut self, x: u64) -> (u32, bool) {
        let a = self.unpack(D, x);
        match a.kind {
            Kind::QNaN | Kind::SNaN | Kind::Inf => {
                self.flags |= IOC;
                (0, false)
            }
            Kind::Zero => (0, !a.sign && x & ((1 << 52) - 1) == 0),
            Kind::Num => {
                let (mag, err) = if a.exp >= 0 {
                    let m = if a.exp >= 75 {
                        0
                    } else {
                        (a.mant as u128) << a.exp
                    };
                    // Anything at or above 2^75 is out of range with zero low bits.
                    (m, Err::EXACT)
                } else {
                    shr_err(a.mant as u128, (-a.exp) as u32)
                };
                let big = a.exp >= 75;
                let low = mag as u32;
                let r = if a.sign { low.wrapping_neg() } else { low };
                let in_range = !big
                    && if a.sign {
                        mag <= 1 << 31
                    } else {
                        mag < 1 << 31
                    };
                if !in_range {
                    self.flags |= IOC;
                    (r, false)
                } else if err.nonzero {
                    self.flags |= IXC;
                    (r, false)
                } else {
                    (r, true)
                }
            }
        }
    }
}
