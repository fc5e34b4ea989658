//! Advanced SIMD three different (C4.1.95.21) and scalar three different (SQDMLAL,
//! SQDMLSL, SQDMULL): lengthening, widening and narrowing arithmetic, long multiplies
//! and PMULL.

use super::{ext, mask, pmul, sat};
use crate::exec::{undef, Exec, Flow, Step};
use crate::platform::Platform;

impl<B: Platform> Exec<'_, B> {
    pub(super) fn three_diff(
        &mut self,
        scalar: bool,
        q: u32,
        u: u32,
        size: u32,
        rm: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let uu = u != 0;
        let ok = match op {
            0b1001 | 0b1011 | 0b1101 => !uu && (size == 1 || size == 2),
            0b1110 => !uu && (size == 0 || size == 3),
            0b1111 => false,
            _ => !scalar && size != 3,
        };
        if !ok {
            return undef();
        }
        if op == 0b1110 && size == 3 {
            // PMULL{2} Vd.1Q, Vn.1D, Vm.1D (FEAT_PMULL).
            let a = self.cpu.v_elem(rn, q, 3);
            let b = self.cpu.v_elem(rm, q, 3);
            self.cpu.set_v_width(rd, 128, pmul(a, b, 64));
            return Ok(Step::Next);
        }
        let bits = 8u32 << size;
        let wbits = 2 * bits;
        let count = if scalar { 1 } else { 64 / bits };
        let part = if scalar { 0 } else { q * count };
        let d = self.lanes(rd, 0, count, wbits);
        let mut r = [0u64; 16];
        let mut saturated = false;
        // Narrowing high-half ops: wide Vn, Vm; narrow result into half Q of Vd.
        if matches!(op, 0b0100 | 0b0110) {
            let n = self.lanes(rn, 0, count, wbits);
            let m = self.lanes(rm, 0, count, wbits);
            let round = if uu { 1i128 << (bits - 1) } else { 0 };
            for i in 0..count as usize {
                let (a, b) = (n[i] as i128, m[i] as i128);
                let s = if op == 0b0100 { a + b } else { a - b };
                r[i] = ((s + round) >> bits) as u64;
            }
            self.put_narrow(rd, q, &r, count, bits);
            return Ok(Step::Next);
        }
        // Wide first operand for ADDW/SUBW.
        let wide = matches!(op, 0b0001 | 0b0011);
        let n = if wide {
            self.lanes(rn, 0, count, wbits)
        } else {
            self.lanes(rn, part, count, bits)
        };
        let m = self.lanes(rm, part, count, bits);
        for i in 0..count as usize {
            let a = if wide {
                ext(n[i], wbits, uu)
            } else {
                ext(n[i], bits, uu)
            };
            let b = ext(m[i], bits, uu);
            let acc = ext(d[i], wbits, uu);
            let v: i128 = match op {
                0b0000 | 0b0001 => a + b,
                0b0010 | 0b0011 => a - b,
                0b0101 => acc + (a - b).abs(),
                0b0111 => (a - b).abs(),
                0b1000 => acc + a * b,
                0b1010 => acc - a * b,
                0b1100 => a * b,
                0b1110 => pmul(m[i], n[i], bits) as i128,
                _ => {
                    // SQDMLAL, SQDMLSL, SQDMULL.
                    let (p, s1) = sat(2 * a * b, wbits, false);
                    saturated |= s1;
                    if op == 0b1101 {
                        r[i] = p;
                        continue;
                    }
                    let p = ext(p, wbits, false);
                    let (v, s2) = sat(if op == 0b1001 { acc + p } else { acc - p }, wbits, false);
                    saturated |= s2;
                    r[i] = v;
                    continue;
                }
            };
            r[i] = v as u64 & mask(wbits);
        }
        self.qc_if(saturated);
        self.put_lanes(rd, &r, count, wbits);
        Ok(Step::Next)
    }
}
