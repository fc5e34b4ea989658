//! Advanced SIMD three same and scalar three same, integer opcodes (C4.1.95.24/.12):
//! arithmetic, halving, saturating, compares, shifts by register, min/max, absolute
//! difference, multiply(-accumulate), pairwise, bitwise logic and SQ(R)DMULH.

use super::{ext, mask, pmul, rdm, sat, shift_elem, sx, Lanes};
use crate::exec::{undef, Exec, Flow, Step};
use crate::platform::Platform;

/// Whether opcode `op` (with U and size) is allocated in the vector (`scalar` false) or
/// scalar form. The logical opcode 00011 is handled separately.
fn allocated(scalar: bool, q: u32, u: bool, size: u32, op: u32) -> bool {
    if scalar {
        return match op {
            0b00001 | 0b00101 | 0b01001 | 0b01011 => true,
            0b00110 | 0b00111 | 0b01000 | 0b01010 | 0b10000 | 0b10001 => size == 3,
            0b10110 => size == 1 || size == 2,
            _ => false,
        };
    }
    match op {
        0b00000 | 0b00010 | 0b00100 | 0b01100..=0b01111 | 0b10010 | 0b10100 | 0b10101 => size != 3,
        0b10011 => size == 0 || (!u && size != 3),
        0b00001 | 0b00101..=0b01011 | 0b10000 | 0b10001 => size != 3 || q == 1,
        0b10110 => size == 1 || size == 2,
        0b10111 => !u && (size != 3 || q == 1),
        _ => false,
    }
}

/// One element of a three-same operation: the result and whether it saturated.
fn elem(u: bool, op: u32, bits: u32, a: u64, b: u64, d: u64) -> (u64, bool) {
    let (ea, eb) = (ext(a, bits, u), ext(b, bits, u));
    let ones = |c: bool| if c { mask(bits) } else { 0 };
    let r = match op {
        0b00000 => (ea + eb) >> 1,
        0b00001 => return sat(ea + eb, bits, u),
        0b00010 => (ea + eb + 1) >> 1,
        0b00100 => (ea - eb) >> 1,
        0b00101 => return sat(ea - eb, bits, u),
        0b00110 => return (ones(ea > eb), false),
        0b00111 => return (ones(ea >= eb), false),
        0b01000..=0b01011 => {
            let r = shift_elem(ea, sx(b & 0xff, 8), bits, op & 2 != 0);
            if op & 1 != 0 {
                return sat(r, bits, u);
            }
            r
        }
        0b01100 | 0b10100 => ea.max(eb),
        0b01101 | 0b10101 => ea.min(eb),
        0b01110 => (ea - eb).abs(),
        0b01111 => d as i128 + (ea - eb).abs(),
        0b10000 if u => return (a.wrapping_sub(b), false),
        0b10000 | 0b10111 => return (a.wrapping_add(b), false),
        0b10001 => return (if u { ones(a == b) } else { ones(a & b != 0) }, false),
        0b10010 => {
            let p = a.wrapping_mul(b);
            return (
                if u {
                    d.wrapping_sub(p)
                } else {
                    d.wrapping_add(p)
                },
                false,
            );
        }
        0b10011 if u => return (pmul(a, b, bits) as u64, false),
        0b10011 => return (a.wrapping_mul(b), false),
        0b10110 => {
            let round = if u { 1i128 << (bits - 1) } else { 0 };
            let p = 2 * ext(a, bits, false) * ext(b, bits, false) + round;
            return sat(p >> bits, bits, false);
        }
        _ => unreachable!("three same opcode {op:#x}"),
    };
    (r as u64, false)
}

/// Pairwise operands: the concatenation Vm:Vn taken two adjacent elements at a time.
fn pairs(a: &Lanes, b: &Lanes, count: usize) -> (Lanes, Lanes) {
    let (mut pa, mut pb) = ([0u64; 16], [0u64; 16]);
    for i in 0..count {
        let src = |j: usize| if j < count { a[j] } else { b[j - count] };
        pa[i] = src(2 * i);
        pb[i] = src(2 * i + 1);
    }
    (pa, pb)
}

impl<B: Platform> Exec<'_, B> {
    pub(super) fn three_same(
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
        let u = u != 0;
        if op == 0b00011 {
            if scalar {
                return undef();
            }
            return self.logic3(q, u, size, rm, rn, rd);
        }
        if !allocated(scalar, q, u, size, op) {
            return undef();
        }
        let bits = 8 << size;
        let count = if scalar { 1 } else { (64 << q) / bits };
        let a = self.lanes(rn, 0, count, bits);
        let b = self.lanes(rm, 0, count, bits);
        let d = self.lanes(rd, 0, count, bits);
        let (a, b) = if matches!(op, 0b10100 | 0b10101 | 0b10111) {
            pairs(&a, &b, count as usize)
        } else {
            (a, b)
        };
        let mut r = [0u64; 16];
        let mut saturated = false;
        for i in 0..count as usize {
            let (v, s) = elem(u, op, bits, a[i], b[i], d[i]);
            r[i] = v;
            saturated |= s;
        }
        self.qc_if(saturated);
        self.put_lanes(rd, &r, count, bits);
        Ok(Step::Next)
    }

    /// AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF (size selects the operation).
    fn logic3(&mut self, q: u32, u: bool, size: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        let (n, m, d) = (
            self.cpu.v[rn as usize],
            self.cpu.v[rm as usize],
            self.cpu.v[rd as usize],
        );
        let r = match (u, size) {
            (false, 0) => n & m,
            (false, 1) => n & !m,
            (false, 2) => n | m,
            (false, _) => n | !m,
            (true, 0) => n ^ m,
            (true, 1) => m ^ ((m ^ n) & d),
            (true, 2) => d ^ ((d ^ n) & m),
            (true, _) => d ^ ((d ^ n) & !m),
        };
        self.cpu.set_v_width(rd, 64 << q, r);
        Ok(Step::Next)
    }
}

impl<B: Platform> Exec<'_, B> {
    /// SQRDMLAH / SQRDMLSH (`s` = 1), vector or `scalar` (three same extra, FEAT_RDM):
    /// 16- and 32-bit elements only.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn rdm_same(
        &mut self,
        scalar: bool,
        q: u32,
        size: u32,
        rm: u32,
        s: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if size != 1 && size != 2 {
            return undef();
        }
        let bits = 8u32 << size;
        let count = if scalar { 1 } else { (64 << q) / bits };
        let (a, b) = (
            self.lanes(rn, 0, count, bits),
            self.lanes(rm, 0, count, bits),
        );
        let d = self.lanes(rd, 0, count, bits);
        let mut r = [0u64; 16];
        let mut saturated = false;
        for i in 0..count as usize {
            let (ea, eb, acc) = (
                ext(a[i], bits, false),
                ext(b[i], bits, false),
                ext(d[i], bits, false),
            );
            let (v, sat) = rdm(acc, ea, eb, bits, s != 0);
            r[i] = v;
            saturated |= sat;
        }
        self.qc_if(saturated);
        self.put_lanes(rd, &r, count, bits);
        Ok(Step::Next)
    }
}
