//! Advanced SIMD floating point of the extensions after Armv8.0 and FEAT_FP16 (Arm ARM
//! C7.2; semantics from the J1 shared pseudocode via [`crate::softfp`]): the `simd_fp_ext`
//! rows of `a64/simd_fp_ext.insn`. FEAT_FRINTTS: FRINT32Z/X and FRINT64Z/X (vector);
//! FEAT_FCMA: FCMLA (vector and by element) and FCADD, on complex numbers held as pairs of
//! lanes, real part in the even lane; FEAT_FHM: FMLAL/FMLSL and FMLAL2/FMLSL2 (vector and
//! by element), half-precision products accumulated in single precision. Lanes go through
//! the soft-float with the lane helpers of `simd_fp.rs`; the exception flags of all lanes
//! accumulate into FPSR.

use super::simd_fp::fmt_sz;
use super::{fp_check, undef, Exec, Flow, Step};
use crate::a64::VisitSimdFpExt;
use crate::platform::Platform;
use crate::softfp::{Fmt, Rounding, D, H, S};

/// The format of a size field of the complex instructions: 01 H, 10 S, 11 D (00 reserved).
fn size_fmt(size: u32) -> Option<Fmt> {
    match size {
        1 => Some(H),
        2 => Some(S),
        3 => Some(D),
        _ => None,
    }
}

impl<B: Platform> Exec<'_, B> {
    /// FCMLA: each complex number (pair of lanes) of Vd plus the product of one part of the
    /// same pair of Vn (real for `rot` 0/180 degrees, imaginary for 90/270) with the pair of
    /// Vm rotated by `rot` x 90 degrees, or with pair `index` of the whole Vm (by element);
    /// each lane is one fused multiply-add (FPMulAdd(Vd, Vn part, rotated Vm lane)).
    fn fcmla(
        &mut self,
        f: Fmt,
        q: u32,
        rm: u32,
        index: Option<u32>,
        rot: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        let width = 64 << q;
        let count = width / f.bits();
        let mut env = self.sf_env();
        let n = self.sf_lanes(rn, f, count);
        let m = self.sf_lanes(rm, f, 128 / f.bits());
        let mut d = self.sf_lanes(rd, f, count);
        for e in 0..count as usize / 2 {
            let j = index.map_or(e, |i| i as usize);
            let (re, im) = (m[2 * j], m[2 * j + 1]);
            let (x, m0, m1) = match rot {
                0 => (n[2 * e], re, im),
                1 => (n[2 * e + 1], f.neg(im), re),
                2 => (n[2 * e], f.neg(re), f.neg(im)),
                _ => (n[2 * e + 1], im, f.neg(re)),
            };
            d[2 * e] = env.muladd(f, d[2 * e], x, m0);
            d[2 * e + 1] = env.muladd(f, d[2 * e + 1], x, m1);
        }
        self.sf_write(rd, f, count, width, &d);
        self.sf_done(&env);
        Ok(Step::Next)
    }

    /// FMLAL/FMLSL (`part` 0) and FMLAL2/FMLSL2 (`part` 1): each S lane e of Vd (two, or
    /// four with `q`) plus H lane e of the lower or upper half of the first 64 << `q` bits
    /// of Vn (negated for FMLSL: `sub`), times H lane e of the same half of Vm or, by
    /// element, H element `index` of Vm; FPMulAddH, one rounding.
    fn fmlal(
        &mut self,
        q: u32,
        sub: bool,
        part: u32,
        rm: u32,
        index: Option<u32>,
        rn: u32,
        rd: u32,
    ) -> Flow {
        fp_check(self.cpu)?;
        let count = 2 << q;
        let mut env = self.sf_env();
        let mut d = self.sf_lanes(rd, S, count);
        for (e, lane) in d.iter_mut().enumerate().take(count as usize) {
            let i = part * count + e as u32;
            let x = self.cpu.v_elem(rn, i, 1);
            let x = if sub { H.neg(x) } else { x };
            let y = self.cpu.v_elem(rm, index.unwrap_or(i), 1);
            *lane = env.muladd_h(*lane, x, y);
        }
        self.sf_write(rd, S, count, 64 << q, &d);
        self.sf_done(&env);
        Ok(Step::Next)
    }
}

impl<B: Platform> VisitSimdFpExt for Exec<'_, B> {
    /// FRINT32Z/FRINT32X/FRINT64Z/FRINT64X (vector): `u` FPCR rounding (X) instead of
    /// toward zero (Z), `o` the 64-bit range; .2S, .4S or .2D (sz:Q = 10 is reserved).
    fn sfx_frintts(&mut self, q: u32, u: u32, sz: u32, o: u32, rn: u32, rd: u32) -> Flow {
        let f = fmt_sz(sz);
        if f == D && q == 0 {
            return undef();
        }
        self.sf_map1(f, q, false, rn, rd, |e, x| {
            let m = if u != 0 { e.rmode() } else { Rounding::Zero };
            e.round_int_n(f, x, m, 32 << o)
        })
    }

    fn sfx_fcmla(&mut self, q: u32, size: u32, rm: u32, rot: u32, rn: u32, rd: u32) -> Flow {
        match size_fmt(size) {
            Some(f) if f != D || q == 1 => self.fcmla(f, q, rm, None, rot, rn, rd),
            _ => undef(),
        }
    }

    /// FCADD: Vn plus Vm rotated by 90 (`rot` 0) or 270 degrees, pair by pair; each lane is
    /// FPAdd(Vn lane, ±Vm lane).
    fn sfx_fcadd(&mut self, q: u32, size: u32, rm: u32, rot: u32, rn: u32, rd: u32) -> Flow {
        let f = match size_fmt(size) {
            Some(f) if f != D || q == 1 => f,
            _ => return undef(),
        };
        fp_check(self.cpu)?;
        let width = 64 << q;
        let count = width / f.bits();
        let mut env = self.sf_env();
        let n = self.sf_lanes(rn, f, count);
        let m = self.sf_lanes(rm, f, count);
        let mut d = [0u64; 8];
        for e in 0..count as usize / 2 {
            let (re, im) = (m[2 * e], m[2 * e + 1]);
            let (m0, m1) = if rot == 0 {
                (f.neg(im), re)
            } else {
                (im, f.neg(re))
            };
            d[2 * e] = env.add(f, n[2 * e], m0, false);
            d[2 * e + 1] = env.add(f, n[2 * e + 1], m1, false);
        }
        self.sf_write(rd, f, count, width, &d);
        self.sf_done(&env);
        Ok(Step::Next)
    }

    /// FCMLA (by element): H lanes with index H:L (the 64-bit form has only pairs 0 and 1
    /// of Vm, so H = 1 is reserved there), S lanes 128-bit only with index H (L reserved).
    fn sfx_fcmla_e(
        &mut self,
        q: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        rot: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let (f, index) = match size {
            1 if h == 0 || q == 1 => (H, h << 1 | l),
            2 if l == 0 && q == 1 => (S, h),
            _ => return undef(),
        };
        self.fcmla(f, q, m << 4 | rm, Some(index), rot, rn, rd)
    }

    fn sfx_fmlal(&mut self, q: u32, s: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fmlal(q, s != 0, 0, rm, None, rn, rd)
    }
    fn sfx_fmlal2(&mut self, q: u32, s: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fmlal(q, s != 0, 1, rm, None, rn, rd)
    }
    fn sfx_fmlal_e(
        &mut self,
        q: u32,
        l: u32,
        m: u32,
        rm: u32,
        s: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.fmlal(q, s != 0, 0, rm, Some(h << 2 | l << 1 | m), rn, rd)
    }
    fn sfx_fmlal2_e(
        &mut self,
        q: u32,
        l: u32,
        m: u32,
        rm: u32,
        s: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.fmlal(q, s != 0, 1, rm, Some(h << 2 | l << 1 | m), rn, rd)
    }
}
