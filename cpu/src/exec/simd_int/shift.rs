//! Advanced SIMD (scalar) shift by immediate (C4.1.95.23/.14): right shifts (with
//! rounding/accumulate), shift-and-insert, left shifts (saturating), narrowing and
//! lengthening shifts.

use super::{ext, mask, sat, shift_elem};
use crate::exec::{undef, Exec, Flow, Step};
use crate::platform::Platform;

impl<B: Platform> Exec<'_, B> {
    pub(super) fn shift_imm(
        &mut self,
        scalar: bool,
        q: u32,
        u: u32,
        immh: u32,
        immb: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if immh == 0 {
            return undef();
        }
        let uu = u != 0;
        let bits = 8u32 << (31 - immh.leading_zeros());
        let immhb = immh << 3 | immb;
        let d64 = immh & 8 != 0;
        match op {
            // Narrowing: SHRN/RSHRN/SQSHRUN/SQRSHRUN/SQSHRN/UQSHRN/SQRSHRN/UQRSHRN.
            0b10000..=0b10011 => {
                if d64 || (scalar && op <= 0b10001 && !uu) {
                    return undef();
                }
                let shift = (2 * bits - immhb) as i64;
                let count = if scalar { 1 } else { 64 / bits };
                let src = self.lanes(rn, 0, count, 2 * bits);
                let mut r = [0u64; 16];
                let mut saturated = false;
                // SQSHRUN/SQRSHRUN: signed source, unsigned result.
                let (src_u, dst_u) = if op <= 0b10001 { (false, uu) } else { (uu, uu) };
                for i in 0..count as usize {
                    let v = shift_elem(ext(src[i], 2 * bits, src_u), -shift, 2 * bits, op & 1 != 0);
                    let (v, s) = if op <= 0b10001 && !uu {
                        (v as u64, false)
                    } else {
                        sat(v, bits, dst_u)
                    };
                    r[i] = v;
                    saturated |= s;
                }
                self.qc_if(saturated);
                if scalar {
                    self.put_lanes(rd, &r, 1, bits);
                } else {
                    self.put_narrow(rd, q, &r, count, bits);
                }
                return Ok(Step::Next);
            }
            // SSHLL/USHLL{2}.
            0b10100 => {
                if d64 || scalar {
                    return undef();
                }
                let shift = immhb - bits;
                let count = 64 / bits;
                let src = self.lanes(rn, q * count, count, bits);
                let mut r = [0u64; 16];
                for i in 0..count as usize {
                    r[i] = (ext(src[i], bits, uu) as u64) << shift;
                }
                self.put_lanes(rd, &r, count, 2 * bits);
                return Ok(Step::Next);
            }
            _ => {}
        }
        let ok = match op {
            0b00000 | 0b00010 | 0b00100 | 0b00110 | 0b01010 => true,
            0b01000 | 0b01100 => uu,
            0b01110 => true,
            _ => false,
        };
        // Vector 64-bit elements need Q = 1; scalar forms other than the saturating left
        // shifts only exist for D.
        let sat_left = matches!(op, 0b01100 | 0b01110);
        if !ok || (!scalar && d64 && q == 0) || (scalar && !sat_left && !d64) {
            return undef();
        }
        let count = if scalar { 1 } else { (64 << q) / bits };
        let a = self.lanes(rn, 0, count, bits);
        let d = self.lanes(rd, 0, count, bits);
        let mut r = [0u64; 16];
        let mut saturated = false;
        let rshift = 2 * bits - immhb;
        let lshift = immhb.wrapping_sub(bits);
        for i in 0..count as usize {
            let x = a[i];
            r[i] = match op {
                0b01000 => {
                    // SRI: the top `rshift` bits of each element are kept.
                    let keep = !mask(bits).checked_shr(rshift).unwrap_or(0);
                    (d[i] & keep) | x.checked_shr(rshift).unwrap_or(0)
                }
                0b01010 if uu => (d[i] & mask(lshift)) | (x << lshift),
                0b01010 => x << lshift,
                0b01100 | 0b01110 => {
                    // SQSHLU: signed source, unsigned saturation.
                    let src_u = op == 0b01110 && uu;
                    let (v, s) = sat(ext(x, bits, src_u) << lshift, bits, uu);
                    saturated |= s;
                    v
                }
                _ => {
                    let v =
                        shift_elem(ext(x, bits, uu), -(rshift as i64), bits, op & 4 != 0) as u64;
                    if op & 2 != 0 {
                        d[i].wrapping_add(v)
                    } else {
                        v
                    }
                }
            };
        }
        self.qc_if(saturated);
        self.put_lanes(rd, &r, count, bits);
        Ok(Step::Next)
    }
}
