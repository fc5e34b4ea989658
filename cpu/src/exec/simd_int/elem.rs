//! Advanced SIMD (scalar) x indexed element, integer opcodes (C4.1.95.28/.16): MUL, MLA,
//! MLS, the long multiplies and the saturating doubling multiplies by one element of Vm
//! (SQRDMLAH/SQRDMLSH too: `op` [`RDM_ADD`] / [`RDM_SUB`]).

use super::{ext, rdm, sat};
use crate::exec::{undef, Exec, Flow, Step};
use crate::platform::Platform;

/// `by_elem`'s operation codes for SQRDMLAH and SQRDMLSH (by element), outside the
/// 4-bit opcode space the others use.
pub(super) const RDM_ADD: u32 = 0x1d;
pub(super) const RDM_SUB: u32 = 0x1f;

impl<B: Platform> Exec<'_, B> {
    pub(super) fn by_elem(
        &mut self,
        scalar: bool,
        q: u32,
        u: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        op: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let uu = u != 0;
        let (index, rm) = match size {
            1 => (h << 2 | l << 1 | m, rm),
            2 => (h << 1 | l, m << 4 | rm),
            _ => return undef(),
        };
        let bits = 8u32 << size;
        let long = op & 3 >= 2 && op != 0b1110 && op < 0b1100;
        let b = self.cpu.v_elem(rm, index, size);
        let eb = ext(b, bits, uu);
        let (count, part, obits) = match (scalar, long) {
            (true, true) => (1, 0, 2 * bits),
            (true, false) => (1, 0, bits),
            (false, true) => (64 / bits, q * (64 / bits), 2 * bits),
            (false, false) => ((64 << q) / bits, 0, bits),
        };
        let a = self.lanes(rn, part, count, bits);
        let d = self.lanes(rd, 0, count, obits);
        let mut r = [0u64; 16];
        let mut saturated = false;
        for i in 0..count as usize {
            let ea = ext(a[i], bits, uu);
            let acc = ext(d[i], obits, uu);
            let (v, s) = match op {
                0b0000 => ((acc + ea * eb) as u64, false),
                0b0100 => ((acc - ea * eb) as u64, false),
                0b1000 => ((ea * eb) as u64, false),
                0b0010 => ((acc + ea * eb) as u64, false),
                0b0110 => ((acc - ea * eb) as u64, false),
                0b1010 => ((ea * eb) as u64, false),
                RDM_ADD | RDM_SUB => rdm(acc, ea, eb, bits, op == RDM_SUB),
                0b1100 | 0b1101 => {
                    let round = if op & 1 != 0 { 1i128 << (bits - 1) } else { 0 };
                    sat((2 * ea * eb + round) >> bits, bits, false)
                }
                _ => {
                    // SQDMLAL (0011), SQDMLSL (0111), SQDMULL (1011).
                    let (p, s1) = sat(2 * ea * eb, obits, false);
                    if op == 0b1011 {
                        (p, s1)
                    } else {
                        let p = ext(p, obits, false);
                        let (v, s2) =
                            sat(if op == 0b0011 { acc + p } else { acc - p }, obits, false);
                        (v, s1 | s2)
                    }
                }
            };
            r[i] = v;
            saturated |= s;
        }
        self.qc_if(saturated);
        self.put_lanes(rd, &r, count, obits);
        Ok(Step::Next)
    }
}
