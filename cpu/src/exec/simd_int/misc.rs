//! Advanced SIMD (scalar) two-register miscellaneous, integer opcodes (C4.1.95.26/.13),
//! across lanes (C4.1.95.22) and scalar pairwise ADDP (C4.1.95.11).

use super::{ext, mask, sat, sx};
use crate::exec::{undef, Exec, Flow, Step};
use crate::platform::Platform;

impl<B: Platform> Exec<'_, B> {
    pub(super) fn misc(
        &mut self,
        scalar: bool,
        q: u32,
        u: u32,
        size: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let uu = u != 0;
        // NOT and RBIT encode the operation in size; their elements are bytes.
        let bits = if op == 0b00101 { 8 } else { 8 << size };
        let datasize = 64 << q;
        match op {
            // Narrowing: XTN/SQXTUN, SQXTN/UQXTN.
            0b10010 | 0b10100 => {
                if size == 3 || (scalar && op == 0b10010 && !uu) {
                    return undef();
                }
                let count = if scalar { 1 } else { 64 / bits };
                let src = self.lanes(rn, 0, count, 2 * bits);
                let mut r = [0u64; 16];
                let mut saturated = false;
                for i in 0..count as usize {
                    let (v, s) = match (op, uu) {
                        (0b10010, false) => (src[i], false),
                        (0b10010, true) => sat(ext(src[i], 2 * bits, false), bits, true),
                        (_, u) => sat(ext(src[i], 2 * bits, u), bits, u),
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
            // SHLL{2}.
            0b10011 => {
                if scalar || !uu || size == 3 {
                    return undef();
                }
                let count = 64 / bits;
                let src = self.lanes(rn, q * count, count, bits);
                let mut r = [0u64; 16];
                for i in 0..count as usize {
                    r[i] = src[i] << bits;
                }
                self.put_lanes(rd, &r, count, 2 * bits);
                return Ok(Step::Next);
            }
            // SADDLP/UADDLP, SADALP/UADALP.
            0b00010 | 0b00110 => {
                if scalar || size == 3 {
                    return undef();
                }
                let count = datasize / (2 * bits);
                let src = self.lanes(rn, 0, 2 * count, bits);
                let acc = self.lanes(rd, 0, count, 2 * bits);
                let mut r = [0u64; 16];
                for i in 0..count as usize {
                    let s = ext(src[2 * i], bits, uu) + ext(src[2 * i + 1], bits, uu);
                    r[i] = (s as u64).wrapping_add(if op == 0b00110 { acc[i] } else { 0 });
                }
                self.put_lanes(rd, &r, count, 2 * bits);
                return Ok(Step::Next);
            }
            _ => {}
        }
        let ok = match op {
            // REV64/REV32/REV16: container 64 >> (o0:U), elements must be smaller.
            0b00000 | 0b00001 => !scalar && size + ((op & 1) << 1 | u) < 3,
            0b00100 => !scalar && size != 3,
            0b00101 => !scalar && (size == 0 || (uu && size == 1)),
            0b00011 | 0b00111 | 0b01000 | 0b01001 | 0b01011 => {
                if scalar {
                    // Scalar SUQADD/USQADD/SQABS/SQNEG take any size; the rest only D.
                    matches!(op, 0b00011 | 0b00111) || size == 3
                } else {
                    size != 3 || q == 1
                }
            }
            0b01010 => {
                !uu && if scalar {
                    size == 3
                } else {
                    size != 3 || q == 1
                }
            }
            _ => false,
        };
        if !ok {
            return undef();
        }
        let count = if scalar { 1 } else { datasize / bits };
        let a = self.lanes(rn, 0, count, bits);
        let d = self.lanes(rd, 0, count, bits);
        let mut r = [0u64; 16];
        let mut saturated = false;
        let ones = |c: bool| if c { mask(bits) } else { 0 };
        if op <= 1 {
            let per = (64 >> ((op & 1) << 1 | u)) / bits;
            for i in 0..count {
                let j = i % per;
                r[(i - j + per - 1 - j) as usize] = a[i as usize];
            }
            self.put_lanes(rd, &r, count, bits);
            return Ok(Step::Next);
        }
        for i in 0..count as usize {
            let x = a[i];
            let s = sx(x, bits) as i128;
            r[i] = match op {
                0b00011 => {
                    let (v, st) = if uu {
                        sat(ext(d[i], bits, true) + s, bits, true)
                    } else {
                        sat(ext(d[i], bits, false) + ext(x, bits, true), bits, false)
                    };
                    saturated |= st;
                    v
                }
                0b00100 if uu => (x.leading_zeros() - (64 - bits)) as u64,
                0b00100 => {
                    let t = ((s ^ (s >> 1)) as u64) & mask(bits - 1);
                    (t.leading_zeros() - (64 - (bits - 1))) as u64
                }
                0b00101 => match (uu, size) {
                    (false, _) => x.count_ones() as u64,
                    (true, 0) => !x,
                    _ => (x as u8).reverse_bits() as u64,
                },
                0b00111 => {
                    let (v, st) = sat(if uu { -s } else { s.abs() }, bits, false);
                    saturated |= st;
                    v
                }
                0b01000 => ones(if uu { s >= 0 } else { s > 0 }),
                0b01001 => ones(if uu { s <= 0 } else { s == 0 }),
                0b01010 => ones(s < 0),
                _ => (if uu { -s } else { s.abs() }) as u64,
            };
        }
        self.qc_if(saturated);
        self.put_lanes(rd, &r, count, bits);
        Ok(Step::Next)
    }

    /// ADDLV, MAXV/MINV, ADDV (op is the across-lanes opcode).
    pub(super) fn across(&mut self, q: u32, u: u32, size: u32, op: u32, rn: u32, rd: u32) -> Flow {
        let uu = u != 0;
        if size == 3 || (size == 2 && q == 0) || (op == 0b11011 && uu) {
            return undef();
        }
        let bits = 8 << size;
        let count = (64 << q) / bits;
        let a = self.lanes(rn, 0, count, bits);
        let vals = a.iter().take(count as usize).map(|&x| ext(x, bits, uu));
        let (r, rbits) = match op {
            0b00011 => (vals.sum::<i128>(), 2 * bits),
            0b01010 => (vals.max().unwrap_or(0), bits),
            0b11010 => (vals.min().unwrap_or(0), bits),
            _ => (vals.sum::<i128>(), bits),
        };
        self.cpu
            .set_v_width(rd, rbits, (r as u64 & mask(rbits)) as u128);
        Ok(Step::Next)
    }

    /// ADDP (scalar): Dd = Vn.D[0] + Vn.D[1].
    pub(super) fn addp_scalar(&mut self, size: u32, rn: u32, rd: u32) -> Flow {
        if size != 3 {
            return undef();
        }
        let a = self.lanes(rn, 0, 2, 64);
        self.cpu
            .set_v_width(rd, 64, a[0].wrapping_add(a[1]) as u128);
        Ok(Step::Next)
    }
}
