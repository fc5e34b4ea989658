//! 8-bit integer dot products and matrix multiplies into 32-bit accumulators: SDOT/UDOT
//! (FEAT_DotProd), USDOT, SUDOT and SMMLA/UMMLA/USMMLA (FEAT_I8MM), vector and by element.
//! Each product of two bytes fits in 17 bits and a lane adds at most eight of them, but the
//! accumulator is only 32 bits: the sum wraps modulo 2^32 (the pseudocode's `Elem[...] =
//! sum` truncates), nothing saturates and FPSR.QC is untouched.

use super::ext;
use crate::exec::{Exec, Flow, Step};
use crate::platform::Platform;

impl<B: Platform> Exec<'_, B> {
    /// SDOT/UDOT/USDOT/SUDOT: each 32-bit lane of Vd (two, or four with `q`) plus the four
    /// products of the bytes of that lane of Vn with the bytes of the same lane of Vm, or,
    /// by element (`index`), of 32-bit element `index` of the whole Vm for every lane.
    /// `un` / `um`: Vn's / Vm's bytes are unsigned (SDOT both false, UDOT both true, USDOT
    /// Vn unsigned, SUDOT Vm unsigned).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn dot(
        &mut self,
        q: u32,
        un: bool,
        um: bool,
        rm: u32,
        index: Option<u32>,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let count = 2 << q;
        let (a, b) = (self.lanes(rn, 0, 16, 8), self.lanes(rm, 0, 16, 8));
        let d = self.lanes(rd, 0, count, 32);
        let mut r = [0u64; 16];
        for i in 0..count as usize {
            let j = index.map_or(i, |x| x as usize);
            let sum = (0..4).fold(d[i] as u32, |s, k| {
                let p = ext(a[4 * i + k], 8, un) * ext(b[4 * j + k], 8, um);
                s.wrapping_add(p as u32)
            });
            r[i] = sum as u64;
        }
        self.put_lanes(rd, &r, count, 32);
        Ok(Step::Next)
    }

    /// SMMLA/UMMLA/USMMLA: Vd, a 2x2 matrix of 32-bit elements (row-major), plus the
    /// product of Vn, a 2x8 matrix of bytes (row-major), and the transpose of Vm, also 2x8
    /// (so element (i, j) adds the dot product of row i of Vn and row j of Vm). `un` / `um`
    /// as for [`Self::dot`] (SMMLA both false, UMMLA both true, USMMLA Vn unsigned).
    pub(super) fn mmla(&mut self, un: bool, um: bool, rm: u32, rn: u32, rd: u32) -> Flow {
        let (a, b) = (self.lanes(rn, 0, 16, 8), self.lanes(rm, 0, 16, 8));
        let d = self.lanes(rd, 0, 4, 32);
        let mut r = [0u64; 16];
        for (e, out) in r.iter_mut().enumerate().take(4) {
            let (i, j) = (e / 2, e % 2);
            let sum = (0..8).fold(d[e] as u32, |s, k| {
                let p = ext(a[8 * i + k], 8, un) * ext(b[8 * j + k], 8, um);
                s.wrapping_add(p as u32)
            });
            *out = sum as u64;
        }
        self.put_lanes(rd, &r, 4, 32);
        Ok(Step::Next)
    }
}
