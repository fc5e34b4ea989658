//! FEAT_SHA512 (Arm ARM C7.2.293 SHA512H2, C7.2.294 SHA512H, C7.2.295 SHA512SU0, C7.2.296
//! SHA512SU1): the `sha512` rows of `a64/sha512.insn`.
//!
//! Each instruction works on two 64-bit lanes, lane 0 in bits [63:0]. The hash updates do
//! two SHA-512 rounds (FIPS 180-4 6.4.2), but split differently from SHA256H/SHA256H2:
//! SHA512H returns the two T1 values without the `d` that the round adds to `e` (the
//! caller adds it), and SHA512H2 returns the two new `a` values from T1 (passed in Vd)
//! plus Sigma0 and Maj. The lane order in the pseudocode is "high lane first": the first
//! of the two rounds is computed into bits [127:64] and feeds the second, in [63:0].

use super::{fp_check, Exec, Flow, Step};
use crate::a64::VisitSha512;
use crate::platform::Platform;

/// Low and high 64-bit lanes of `v`.
#[inline(always)]
fn lanes(v: u128) -> (u64, u64) {
    (v as u64, (v >> 64) as u64)
}

#[inline(always)]
fn join(lo: u64, hi: u64) -> u128 {
    (hi as u128) << 64 | lo as u128
}

/// FIPS 180-4 (4.10) Sigma1 of SHA-512.
#[inline(always)]
fn big_sigma1(x: u64) -> u64 {
    x.rotate_right(14) ^ x.rotate_right(18) ^ x.rotate_right(41)
}

/// FIPS 180-4 (4.10) Sigma0 of SHA-512.
#[inline(always)]
fn big_sigma0(x: u64) -> u64 {
    x.rotate_right(28) ^ x.rotate_right(34) ^ x.rotate_right(39)
}

/// FIPS 180-4 (4.12) sigma0 of the SHA-512 message schedule.
#[inline(always)]
fn small_sigma0(x: u64) -> u64 {
    x.rotate_right(1) ^ x.rotate_right(8) ^ (x >> 7)
}

/// FIPS 180-4 (4.13) sigma1 of the SHA-512 message schedule.
#[inline(always)]
fn small_sigma1(x: u64) -> u64 {
    x.rotate_right(19) ^ x.rotate_right(61) ^ (x >> 6)
}

/// Ch(x, y, z): y where x is set, z elsewhere.
#[inline(always)]
fn choose(x: u64, y: u64, z: u64) -> u64 {
    (x & y) ^ (!x & z)
}

/// SHAmajority (Arm ARM shared pseudocode), on 64 bits.
#[inline(always)]
fn majority(x: u64, y: u64, z: u64) -> u64 {
    (x & y) | ((x | y) & z)
}

/// SHA512H: `x` = Vn, `y` = Vm, `w` = Vd (the pseudocode names). The high lane is T1 of
/// the first round, with e = y<127:64> and f, g = x<63:0>, x<127:64>; the low lane T1 of
/// the second round, whose e is that T1 plus y<63:0> (the caller's d).
fn sha512h(x: u128, y: u128, w: u128) -> u128 {
    let ((x0, x1), (y0, y1), (w0, w1)) = (lanes(x), lanes(y), lanes(w));
    let hi = choose(y1, x0, x1)
        .wrapping_add(big_sigma1(y1))
        .wrapping_add(w1);
    let e = hi.wrapping_add(y0);
    let lo = choose(e, y1, x0)
        .wrapping_add(big_sigma1(e))
        .wrapping_add(w0);
    join(lo, hi)
}

/// SHA512H2: the high lane is Sigma0(y<63:0>) + Maj(x<63:0>, y<127:64>, y<63:0>) +
/// w<127:64>, i.e. the new `a` of the first round; the low lane the new `a` of the second
/// round, which uses that first result in place of y<63:0>.
fn sha512h2(x: u128, y: u128, w: u128) -> u128 {
    let ((x0, _), (y0, y1), (w0, w1)) = (lanes(x), lanes(y), lanes(w));
    let hi = majority(x0, y1, y0)
        .wrapping_add(big_sigma0(y0))
        .wrapping_add(w1);
    let lo = majority(hi, y0, y1)
        .wrapping_add(big_sigma0(hi))
        .wrapping_add(w0);
    join(lo, hi)
}

/// SHA512SU0: W[t-16] + sigma0(W[t-15]) for two schedule words; `w` = Vd holds
/// W[t-16], W[t-15] and `x` = Vn the next word W[t-14] in its low lane.
fn sha512su0(x: u128, w: u128) -> u128 {
    let ((x0, _), (w0, w1)) = (lanes(x), lanes(w));
    join(
        w0.wrapping_add(small_sigma0(w1)),
        w1.wrapping_add(small_sigma0(x0)),
    )
}

/// SHA512SU1: adds sigma1 of `x` = Vn (W[t-2], W[t-1]) and `y` = Vm (W[t-7], W[t-6]) to
/// the SHA512SU0 result in `w` = Vd, lane by lane.
fn sha512su1(x: u128, y: u128, w: u128) -> u128 {
    let ((x0, x1), (y0, y1), (w0, w1)) = (lanes(x), lanes(y), lanes(w));
    join(
        w0.wrapping_add(small_sigma1(x0)).wrapping_add(y0),
        w1.wrapping_add(small_sigma1(x1)).wrapping_add(y1),
    )
}

impl<B: Platform> Exec<'_, B> {
    /// Read V`rn`, V`rm` and V`rd` (all 128 bits), compute, write all of V`rd`.
    #[inline(always)]
    fn sha512_op(&mut self, rm: u32, rn: u32, rd: u32, f: fn(u128, u128, u128) -> u128) -> Flow {
        fp_check(self.cpu)?;
        let r = f(
            self.cpu.vreg(rn as usize),
            self.cpu.vreg(rm as usize),
            self.cpu.vreg(rd as usize),
        );
        self.cpu.set_v_width(rd, 128, r);
        Ok(Step::Next)
    }
}

impl<B: Platform> VisitSha512 for Exec<'_, B> {
    fn sha512h(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sha512_op(rm, rn, rd, sha512h)
    }
    fn sha512h2(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sha512_op(rm, rn, rd, sha512h2)
    }
    fn sha512su1(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        self.sha512_op(rm, rn, rd, sha512su1)
    }
    fn sha512su0(&mut self, rn: u32, rd: u32) -> Flow {
        self.sha512_op(0, rn, rd, |x, _, w| sha512su0(x, w))
    }
}
