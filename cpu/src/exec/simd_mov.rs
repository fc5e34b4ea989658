//! SIMD&FP register moves (Arm ARM C7.2): FMOV (general), including the top-half and
//! FEAT_FP16 half-precision forms; INS, UMOV, SMOV, DUP (general / element / scalar);
//! MOVI, MVNI, ORR and BIC (vector, immediate) with AdvSIMDExpandImm; FMOV (vector,
//! immediate) and FMOV (scalar, immediate) with VFPExpandImm; FMOV (register).

use super::{fp_check, undef, Exec, Flow, Step};
use crate::a64::VisitSimdMov;
use crate::platform::Platform;

/// VFPExpandImm(imm8, n) for n = 16, 32 or 64.
pub(crate) fn vfp_expand_imm(imm8: u32, n: u32) -> u64 {
    let e = match n {
        16 => 5,
        32 => 8,
        _ => 11,
    };
    let f = n - e - 1;
    let sign = ((imm8 >> 7) & 1) as u64;
    let b6 = ((imm8 >> 6) & 1) as u64;
    let exp = (b6 ^ 1) << (e - 1) | (b6 * ((1 << (e - 3)) - 1)) << 2 | ((imm8 >> 4) & 3) as u64;
    let frac = ((imm8 & 0xf) as u64) << (f - 4);
    sign << (n - 1) | exp << f | frac
}

/// Replicate the low `bits` of `v` across 64 bits.
fn replicate64(v: u64, bits: u32) -> u64 {
    let mut r = 0;
    let mut sh = 0;
    while sh < 64 {
        r |= v << sh;
        sh += bits;
    }
    r
}

/// AdvSIMDExpandImm(op, cmode, imm8).
pub(crate) fn adv_simd_expand_imm(op: u32, cmode: u32, imm8: u32) -> u64 {
    let i = imm8 as u64;
    match cmode >> 1 {
        0 => replicate64(i, 32),
        1 => replicate64(i << 8, 32),
        2 => replicate64(i << 16, 32),
        3 => replicate64(i << 24, 32),
        4 => replicate64(i, 16),
        5 => replicate64(i << 8, 16),
        6 if cmode & 1 == 0 => replicate64(i << 8 | 0xff, 32),
        6 => replicate64(i << 16 | 0xffff, 32),
        _ => match (cmode & 1, op) {
            (0, 0) => replicate64(i, 8),
            (0, _) => (0..8).fold(0, |acc, b| {
                acc | if (imm8 >> b) & 1 != 0 {
                    0xffu64 << (8 * b)
                } else {
                    0
                }
            }),
            (_, 0) => replicate64(vfp_expand_imm(imm8, 32), 32),
            _ => vfp_expand_imm(imm8, 64),
        },
    }
}

/// The element size (log2 bytes) of an Advanced SIMD copy imm5, or None when reserved.
#[inline(always)]
fn imm5_size(imm5: u32) -> Option<u32> {
    let size = imm5.trailing_zeros();
    (size <= 3).then_some(size)
}

impl<B: Platform> Exec<'_, B> {
    /// MOVI/MVNI/ORR/BIC/FMOV (vector, immediate) once `imm64` is known.
    fn modified_imm(&mut self, q: u32, rd: u32, imm64: u64, kind: u32) -> Flow {
        fp_check(self.cpu)?;
        let datasize = 64 << q;
        let imm = if q == 1 {
            (imm64 as u128) << 64 | imm64 as u128
        } else {
            imm64 as u128
        };
        let operand = self.cpu.v[rd as usize];
        let result = match kind {
            1 => !imm,
            2 => operand | imm,
            3 => operand & !imm,
            _ => imm,
        };
        self.cpu.set_v_width(rd, datasize, result);
        Ok(Step::Next)
    }

    fn movi_common(&mut self, q: u32, op: u32, cmode: u32, abc: u32, defgh: u32, rd: u32) -> Flow {
        if cmode == 0b1111 && op == 1 && q == 0 {
            return undef();
        }
        let imm64 = adv_simd_expand_imm(op, cmode, abc << 5 | defgh);
        // kind: 0 = MOVI/FMOV, 1 = MVNI, 2 = ORR, 3 = BIC.
        let kind = if cmode < 0b1100 && cmode & 1 == 1 {
            2 + op
        } else if cmode < 0b1110 {
            op
        } else {
            0
        };
        self.modified_imm(q, rd, imm64, kind)
    }

    /// Width in bits of an FP ftype (00 = S, 01 = D, 11 = H), or None for 10.
    #[inline(always)]
    fn ftype_bits(ftype: u32) -> Option<u32> {
        match ftype {
            0 => Some(32),
            1 => Some(64),
            3 => Some(16),
            _ => None,
        }
    }
}

impl<B: Platform> VisitSimdMov for Exec<'_, B> {
    /// FMOV Wd, Sn (dir 0) / FMOV Sd, Wn (dir 1).
    fn fmov_ws(&mut self, dir: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        if dir == 0 {
            let v = self.cpu.v_elem(rn, 0, 2);
            self.set_x(rd, v);
        } else {
            let v = self.x(rn) as u32;
            self.cpu.set_v_width(rd, 32, v as u128);
        }
        Ok(Step::Next)
    }
    /// FMOV Xd, Dn (dir 0) / FMOV Dd, Xn (dir 1).
    fn fmov_xd(&mut self, dir: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        if dir == 0 {
            let v = self.cpu.v_elem(rn, 0, 3);
            self.set_x(rd, v);
        } else {
            let v = self.x(rn);
            self.cpu.set_v_width(rd, 64, v as u128);
        }
        Ok(Step::Next)
    }
    /// FMOV Wd/Xd, Hn (dir 0) / FMOV Hd, Wn/Xn (dir 1) (FEAT_FP16).
    fn fmov_h(&mut self, _sf: u32, dir: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        if dir == 0 {
            let v = self.cpu.v_elem(rn, 0, 1);
            self.set_x(rd, v);
        } else {
            let v = self.x(rn) as u16;
            self.cpu.set_v_width(rd, 16, v as u128);
        }
        Ok(Step::Next)
    }
    /// FMOV Xd, Vn.D[1] (dir 0) / FMOV Vd.D[1], Xn (dir 1: the low half is kept).
    fn fmov_xv1(&mut self, dir: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        if dir == 0 {
            let v = self.cpu.v_elem(rn, 1, 3);
            self.set_x(rd, v);
        } else {
            let v = self.x(rn);
            self.cpu.set_v_elem(rd, 1, 3, v);
        }
        Ok(Step::Next)
    }
    /// DUP Vd.<T>, Vn.<Ts>[index].
    fn dup_elem(&mut self, q: u32, imm5: u32, rn: u32, rd: u32) -> Flow {
        let Some(size) = imm5_size(imm5) else {
            return undef();
        };
        if size == 3 && q == 0 {
            return undef();
        }
        fp_check(self.cpu)?;
        let e = self.cpu.v_elem(rn, imm5 >> (size + 1), size);
        let rep = replicate64(e, 8 << size) as u128;
        self.cpu.set_v_width(rd, 64 << q, rep << 64 | rep);
        Ok(Step::Next)
    }
    /// DUP Vd.<T>, Wn/Xn.
    fn dup_gen(&mut self, q: u32, imm5: u32, rn: u32, rd: u32) -> Flow {
        let Some(size) = imm5_size(imm5) else {
            return undef();
        };
        if size == 3 && q == 0 {
            return undef();
        }
        fp_check(self.cpu)?;
        let bits = 8 << size;
        let e = if bits == 64 {
            self.x(rn)
        } else {
            self.x(rn) & ((1 << bits) - 1)
        };
        let rep = replicate64(e, bits) as u128;
        self.cpu.set_v_width(rd, 64 << q, rep << 64 | rep);
        Ok(Step::Next)
    }
    /// INS Vd.<Ts>[index], Wn/Xn.
    fn ins_gen(&mut self, imm5: u32, rn: u32, rd: u32) -> Flow {
        let Some(size) = imm5_size(imm5) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let v = self.x(rn);
        self.cpu.set_v_elem(rd, imm5 >> (size + 1), size, v);
        Ok(Step::Next)
    }
    /// SMOV Wd/Xd, Vn.<Ts>[index]: Q=0 B/H to W, Q=1 B/H/S to X.
    fn smov(&mut self, q: u32, imm5: u32, rn: u32, rd: u32) -> Flow {
        let Some(size) = imm5_size(imm5) else {
            return undef();
        };
        // Q=0 (to W) allows B and H, Q=1 (to X) allows B, H and S.
        if size > q + 1 {
            return undef();
        }
        fp_check(self.cpu)?;
        let bits = 8 << size;
        let e = self.cpu.v_elem(rn, imm5 >> (size + 1), size);
        let s = ((e << (64 - bits)) as i64 >> (64 - bits)) as u64;
        self.set_x(rd, if q == 1 { s } else { s & 0xffff_ffff });
        Ok(Step::Next)
    }
    /// UMOV Wd, Vn.<B/H/S>[index] (Q=0) / UMOV Xd, Vn.D[index] (Q=1).
    fn umov(&mut self, q: u32, imm5: u32, rn: u32, rd: u32) -> Flow {
        let Some(size) = imm5_size(imm5) else {
            return undef();
        };
        if (q == 1) != (size == 3) {
            return undef();
        }
        fp_check(self.cpu)?;
        let e = self.cpu.v_elem(rn, imm5 >> (size + 1), size);
        self.set_x(rd, e);
        Ok(Step::Next)
    }
    /// INS Vd.<Ts>[index1], Vn.<Ts>[index2].
    fn ins_elem(&mut self, imm5: u32, imm4: u32, rn: u32, rd: u32) -> Flow {
        let Some(size) = imm5_size(imm5) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let e = self.cpu.v_elem(rn, imm4 >> size, size);
        self.cpu.set_v_elem(rd, imm5 >> (size + 1), size, e);
        Ok(Step::Next)
    }
    /// DUP <V>d, Vn.<T>[index] (scalar; alias MOV).
    fn dup_scalar(&mut self, imm5: u32, rn: u32, rd: u32) -> Flow {
        let Some(size) = imm5_size(imm5) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let e = self.cpu.v_elem(rn, imm5 >> (size + 1), size);
        self.cpu.set_v_width(rd, 8 << size, e as u128);
        Ok(Step::Next)
    }
    fn movi_c0(&mut self, q: u32, op: u32, abc: u32, cmode: u32, defgh: u32, rd: u32) -> Flow {
        self.movi_common(q, op, cmode, abc, defgh, rd)
    }
    fn movi_c1(&mut self, q: u32, op: u32, abc: u32, cmode: u32, defgh: u32, rd: u32) -> Flow {
        self.movi_common(q, op, 8 | cmode, abc, defgh, rd)
    }
    /// FMOV Vd.<4H/8H>, #imm (FEAT_FP16).
    fn fmov_v_imm_h(&mut self, q: u32, abc: u32, defgh: u32, rd: u32) -> Flow {
        let imm64 = replicate64(vfp_expand_imm(abc << 5 | defgh, 16), 16);
        self.modified_imm(q, rd, imm64, 0)
    }
    /// FMOV <Hd|Sd|Dd>, #imm.
    fn fmov_imm(&mut self, ftype: u32, imm8: u32, rd: u32) -> Flow {
        let Some(bits) = Self::ftype_bits(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        self.cpu
            .set_v_width(rd, bits, vfp_expand_imm(imm8, bits) as u128);
        Ok(Step::Next)
    }
    /// FMOV <Hd|Sd|Dd>, <Hn|Sn|Dn>.
    fn fmov_reg(&mut self, ftype: u32, rn: u32, rd: u32) -> Flow {
        let Some(bits) = Self::ftype_bits(ftype) else {
            return undef();
        };
        fp_check(self.cpu)?;
        let v = self.cpu.v[rn as usize];
        self.cpu.set_v_width(rd, bits, v);
        Ok(Step::Next)
    }
}
