//! Scalar floating point (Arm ARM C4.1.96; semantics from the J1 shared pseudocode, via
//! [`crate::softfp`]): arithmetic, fused multiply-add, compares, conditional select,
//! precision and integer/fixed-point conversions, rounding to integral (and, FEAT_FRINTTS,
//! to a 32- or 64-bit integral value), min/max and the reciprocal estimate/step
//! instructions, for half (FEAT_FP16), single and double.
//!
//! Each handler reads FPCR once, computes through an [`Env`], then ORs the raised
//! exception flags into FPSR (no FP exception trapping: FPCR.{IOE..IDE} are RES0 here).

use super::{fp_check, undef, Exec, Flow, Step};
use crate::a64::VisitFp;
use crate::alu::cond_holds;
use crate::platform::Platform;
use crate::softfp::{Env, Fmt, Rounding, D, H, S};
use crate::sysreg::SR;

/// The format of an ftype field: 00 S, 01 D, 11 H; 10 is unallocated.
#[inline(always)]
fn ftype_fmt(ftype: u32) -> Option<Fmt> {
    match ftype {
        0 => Some(S),
        1 => Some(D),
        3 => Some(H),
        _ => None,
    }
}

/// Element size (log2 bytes) of a format, for `v_elem`.
#[inline(always)]
fn esize(f: Fmt) -> u32 {
    match f.bits() {
        16 => 1,
        32 => 2,
        _ => 3,
    }
}

impl<B: Platform> Exec<'_, B> {
    #[inline(always)]
    fn fp_env(&self) -> Env {
        Env::new(self.cpu.sr.get(SR::FPCR))
    }

    /// Accumulate the exception flags of `env` into FPSR.
    #[inline(always)]
    fn fp_done(&mut self, env: &Env) {
        if env.flags != 0 {
            let v = self.cpu.sr.get(SR::FPSR) | env.flags as u64;
            self.cpu.sr.set(SR::FPSR, v);
        }
    }

    /// The scalar of format `f` in the low bits of Vn.
    #[inline(always)]
    fn vs(&self, n: u32, f: Fmt) -> u64 {
        self.cpu.v_elem(n, 0, esize(f))
    }

    /// Write a scalar of format `f` to Vd, zeroing the rest of the register.
    #[inline(always)]
    fn set_vs(&mut self, d: u32, f: Fmt, v: u64) {
        self.cpu.set_v_width(d, f.bits(), v as u128)
    }

    /// Common shape of a two-operand scalar operation.
    #[inline(always)]
    fn fp2(
        &mut self,
        ftype: u32,
        rm: u32,
        rn: u32,
        rd: u32,
        op: impl FnOnce(&mut Env, Fmt, u64, u64) -> u64,
    ) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let mut env = self.fp_env();
        let r = op(&mut env, f, self.vs(rn, f), self.vs(rm, f));
        self.set_vs(rd, f, r);
        self.fp_done(&env);
        Ok(Step::Next)
    }

    /// Common shape of a one-operand scalar operation.
    #[inline(always)]
    fn fp1(
        &mut self,
        f: Fmt,
        rn: u32,
        rd: u32,
        op: impl FnOnce(&mut Env, Fmt, u64) -> u64,
    ) -> Flow {
        fp_check(self.cpu)?;
        let mut env = self.fp_env();
        let r = op(&mut env, f, self.vs(rn, f));
        self.set_vs(rd, f, r);
        self.fp_done(&env);
        Ok(Step::Next)
    }

    /// FMADD/FMSUB/FNMADD/FNMSUB: Ra + (±Rn) * Rm with the addend negated for FNM*.
    #[inline(always)]
    fn fp_fma(
        &mut self,
        ftype: u32,
        rm: u32,
        ra: u32,
        rn: u32,
        rd: u32,
        neg_a: bool,
        neg_n: bool,
    ) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let mut env = self.fp_env();
        let mut a = self.vs(ra, f);
        let mut n = self.vs(rn, f);
        if neg_a {
            a = f.neg(a);
        }
        if neg_n {
            n = f.neg(n);
        }
        let r = env.muladd(f, a, n, self.vs(rm, f));
        self.set_vs(rd, f, r);
        self.fp_done(&env);
        Ok(Step::Next)
    }

    /// FP to integer or fixed point, into Wd/Xd.
    #[inline(always)]
    fn fp_to_int(
        &mut self,
        sf: u32,
        ftype: u32,
        u: u32,
        fbits: u32,
        mode: Option<Rounding>,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let mut env = self.fp_env();
        let mode = mode.unwrap_or_else(|| env.rmode());
        let r = env.fp_to_fixed(
            f,
            self.vs(rn, f),
            fbits,
            u != 0,
            if sf != 0 { 64 } else { 32 },
            mode,
        );
        self.set_x(rd, r);
        self.fp_done(&env);
        Ok(Step::Next)
    }

    /// Integer or fixed point in Wn/Xn to FP.
    #[inline(always)]
    fn int_to_fp(&mut self, sf: u32, ftype: u32, u: u32, fbits: u32, rn: u32, rd: u32) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let mut env = self.fp_env();
        let x = self.x(rn);
        let signed = u == 0;
        let v = match (sf != 0, signed) {
            (true, _) => x,
            (false, true) => x as u32 as i32 as i64 as u64,
            (false, false) => x as u32 as u64,
        };
        let mode = env.rmode();
        let r = env.fixed_to_fp(f, v, signed, fbits, mode);
        self.set_vs(rd, f, r);
        self.fp_done(&env);
        Ok(Step::Next)
    }
}

impl<B: Platform> VisitFp for Exec<'_, B> {
    fn fmul_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| e.mul(f, a, b))
    }
    fn fdiv_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| e.div(f, a, b))
    }
    fn fadd_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| e.add(f, a, b, false))
    }
    fn fsub_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| e.add(f, a, b, true))
    }
    fn fmax_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| e.max_min(f, a, b, true))
    }
    fn fmin_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| e.max_min(f, a, b, false))
    }
    fn fmaxnm_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| e.max_min_num(f, a, b, true))
    }
    fn fminnm_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| {
            e.max_min_num(f, a, b, false)
        })
    }
    fn fnmul_s(&mut self, ftype: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(ftype, rm, rn, rd, |e, f, a, b| f.neg(e.mul(f, a, b)))
    }

    fn fmadd(&mut self, ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.fp_fma(ftype, rm, ra, rn, rd, false, false)
    }
    fn fmsub(&mut self, ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.fp_fma(ftype, rm, ra, rn, rd, false, true)
    }
    fn fnmadd(&mut self, ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.fp_fma(ftype, rm, ra, rn, rd, true, true)
    }
    fn fnmsub(&mut self, ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.fp_fma(ftype, rm, ra, rn, rd, true, false)
    }

    fn fabs_s(&mut self, ftype: u32, rn: u32, rd: u32) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        self.fp1(f, rn, rd, |_, f, a| f.abs(a))
    }
    fn fneg_s(&mut self, ftype: u32, rn: u32, rd: u32) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        self.fp1(f, rn, rd, |_, f, a| f.neg(a))
    }
    fn fsqrt_s(&mut self, ftype: u32, rn: u32, rd: u32) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        self.fp1(f, rn, rd, |e, f, a| e.sqrt(f, a))
    }
    fn fcvt_s(&mut self, ftype: u32, opc: u32, rn: u32, rd: u32) -> Flow {
        let (Some(from), Some(to)) = (ftype_fmt(ftype), ftype_fmt(opc)) else {
            return undef();
        };
        if ftype == opc {
            return undef();
        }
        fp_check(self.cpu)?;
        let mut env = self.fp_env();
        let r = env.convert(from, to, self.vs(rn, from));
        self.set_vs(rd, to, r);
        self.fp_done(&env);
        Ok(Step::Next)
    }
    fn frint_s(&mut self, ftype: u32, mode: u32, rn: u32, rd: u32) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        let (m, exact) = match mode {
            0 => (Some(Rounding::TieEven), false),
            1 => (Some(Rounding::PosInf), false),
            2 => (Some(Rounding::NegInf), false),
            3 => (Some(Rounding::Zero), false),
            4 => (Some(Rounding::TieAway), false),
            6 => (None, true),
            7 => (None, false),
            _ => return undef(),
        };
        self.fp1(f, rn, rd, |e, f, a| {
            let m = m.unwrap_or_else(|| e.rmode());
            e.round_int(f, a, m, exact)
        })
    }
    fn frintts_s(&mut self, ftype: u32, op: u32, rn: u32, rd: u32) -> Flow {
        let f = match ftype {
            0 => S,
            1 => D,
            _ => return undef(),
        };
        self.fp1(f, rn, rd, |e, f, a| {
            let m = if op & 1 != 0 {
                e.rmode()
            } else {
                Rounding::Zero
            };
            e.round_int_n(f, a, m, 32 << (op >> 1))
        })
    }

    fn fcmp(&mut self, ftype: u32, rm: u32, rn: u32, e: u32, z: u32) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let mut env = self.fp_env();
        let b = if z != 0 { 0 } else { self.vs(rm, f) };
        self.cpu.pstate.nzcv = env.compare(f, self.vs(rn, f), b, e != 0);
        self.fp_done(&env);
        Ok(Step::Next)
    }
    fn fccmp(&mut self, ftype: u32, rm: u32, cond: u32, rn: u32, e: u32, nzcv: u32) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        if cond_holds(cond, self.cpu.pstate.nzcv) {
            let mut env = self.fp_env();
            self.cpu.pstate.nzcv = env.compare(f, self.vs(rn, f), self.vs(rm, f), e != 0);
            self.fp_done(&env);
        } else {
            self.cpu.pstate.nzcv = nzcv << 28;
        }
        Ok(Step::Next)
    }
    fn fcsel(&mut self, ftype: u32, rm: u32, cond: u32, rn: u32, rd: u32) -> Flow {
        let Some(f) = ftype_fmt(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let src = if cond_holds(cond, self.cpu.pstate.nzcv) {
            rn
        } else {
            rm
        };
        let v = self.vs(src, f);
        self.set_vs(rd, f, v);
        Ok(Step::Next)
    }

    fn fcvt_int(&mut self, sf: u32, ftype: u32, rmode: u32, u: u32, rn: u32, rd: u32) -> Flow {
        self.fp_to_int(sf, ftype, u, 0, Some(Rounding::from_rmode(rmode)), rn, rd)
    }
    fn fcvta_int(&mut self, sf: u32, ftype: u32, u: u32, rn: u32, rd: u32) -> Flow {
        self.fp_to_int(sf, ftype, u, 0, Some(Rounding::TieAway), rn, rd)
    }
    fn cvtf_int(&mut self, sf: u32, ftype: u32, u: u32, rn: u32, rd: u32) -> Flow {
        self.int_to_fp(sf, ftype, u, 0, rn, rd)
    }
    fn fjcvtzs(&mut self, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let mut env = self.fp_env();
        let (r, z) = env.fp_to_js(self.vs(rn, D));
        self.set_x(rd, r as u64);
        self.cpu.pstate.nzcv = (z as u32) << 30;
        self.fp_done(&env);
        Ok(Step::Next)
    }
    fn cvtf_fix(&mut self, sf: u32, ftype: u32, u: u32, scale: u32, rn: u32, rd: u32) -> Flow {
        if sf == 0 && scale < 32 {
            return undef();
        }
        self.int_to_fp(sf, ftype, u, 64 - scale, rn, rd)
    }
    fn fcvtz_fix(&mut self, sf: u32, ftype: u32, u: u32, scale: u32, rn: u32, rd: u32) -> Flow {
        if sf == 0 && scale < 32 {
            return undef();
        }
        self.fp_to_int(sf, ftype, u, 64 - scale, Some(Rounding::Zero), rn, rd)
    }

    fn frecpe_s(&mut self, sz: u32, rn: u32, rd: u32) -> Flow {
        self.fp1(if sz != 0 { D } else { S }, rn, rd, |e, f, a| {
            e.recip_est(f, a)
        })
    }
    fn frecpe_h(&mut self, rn: u32, rd: u32) -> Flow {
        self.fp1(H, rn, rd, |e, f, a| e.recip_est(f, a))
    }
    fn frecpx_s(&mut self, sz: u32, rn: u32, rd: u32) -> Flow {
        self.fp1(if sz != 0 { D } else { S }, rn, rd, |e, f, a| e.recpx(f, a))
    }
    fn frecpx_h(&mut self, rn: u32, rd: u32) -> Flow {
        self.fp1(H, rn, rd, |e, f, a| e.recpx(f, a))
    }
    fn frsqrte_s(&mut self, sz: u32, rn: u32, rd: u32) -> Flow {
        self.fp1(if sz != 0 { D } else { S }, rn, rd, |e, f, a| {
            e.rsqrt_est(f, a)
        })
    }
    fn frsqrte_h(&mut self, rn: u32, rd: u32) -> Flow {
        self.fp1(H, rn, rd, |e, f, a| e.rsqrt_est(f, a))
    }
    fn frecps_s(&mut self, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(sz, rm, rn, rd, |e, f, a, b| e.recip_step(f, a, b))
    }
    fn frecps_h(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(3, rm, rn, rd, |e, f, a, b| e.recip_step(f, a, b))
    }
    fn frsqrts_s(&mut self, sz: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(sz, rm, rn, rd, |e, f, a, b| e.rsqrt_step(f, a, b))
    }
    fn frsqrts_h(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        self.fp2(3, rm, rn, rd, |e, f, a, b| e.rsqrt_step(f, a, b))
    }
}
