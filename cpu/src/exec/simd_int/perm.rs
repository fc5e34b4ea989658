//! Advanced SIMD permute (ZIP/UZP/TRN, C4.1.95.19), extract (EXT) and table lookup
//! (TBL/TBX).

use crate::exec::{undef, Exec, Flow, Step};
use crate::platform::Platform;

impl<B: Platform> Exec<'_, B> {
    /// UZP1, TRN1, ZIP1, UZP2, TRN2, ZIP2 (op = opcode<2:0>).
    pub(super) fn permute(
        &mut self,
        q: u32,
        size: u32,
        rm: u32,
        op: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if (size == 3 && q == 0) || op & 3 == 0 {
            return undef();
        }
        let bits = 8 << size;
        let count = (64 << q) / bits;
        let n = self.lanes(rn, 0, count, bits);
        let m = self.lanes(rm, 0, count, bits);
        let part = (op >> 2) as usize;
        let half = count as usize / 2;
        let mut r = [0u64; 16];
        for p in 0..half {
            let (lo, hi) = match op & 3 {
                // UZP: even (part 0) or odd elements of Vm:Vn.
                1 => {
                    let src = |j: usize| {
                        if j < count as usize {
                            n[j]
                        } else {
                            m[j - count as usize]
                        }
                    };
                    r[p] = src(2 * p + part);
                    r[half + p] = src(2 * (half + p) + part);
                    continue;
                }
                2 => (n[2 * p + part], m[2 * p + part]),
                _ => (n[part * half + p], m[part * half + p]),
            };
            r[2 * p] = lo;
            r[2 * p + 1] = hi;
        }
        self.put_lanes(rd, &r, count, bits);
        Ok(Step::Next)
    }

    /// EXT: bytes imm4.. of Vm:Vn.
    pub(super) fn ext(&mut self, q: u32, rm: u32, imm4: u32, rn: u32, rd: u32) -> Flow {
        if q == 0 && imm4 & 8 != 0 {
            return undef();
        }
        let (n, m) = (self.cpu.v[rn as usize], self.cpu.v[rm as usize]);
        let pos = imm4 * 8;
        let r = if q == 1 {
            if pos == 0 {
                n
            } else {
                (n >> pos) | (m << (128 - pos))
            }
        } else {
            let cat = (n & u64::MAX as u128) | (m << 64);
            cat >> pos
        };
        self.cpu.set_v_width(rd, 64 << q, r);
        Ok(Step::Next)
    }

    /// TBL/TBX with a table of len+1 consecutive registers from Vn (wrapping at V31).
    pub(super) fn tbl(&mut self, q: u32, rm: u32, len: u32, op: u32, rn: u32, rd: u32) -> Flow {
        let regs = len + 1;
        let mut table = [0u8; 64];
        for i in 0..regs {
            let v = self.cpu.v[((rn + i) % 32) as usize].to_le_bytes();
            table[(i * 16) as usize..(i * 16 + 16) as usize].copy_from_slice(&v);
        }
        let idx = self.cpu.v[rm as usize].to_le_bytes();
        let mut r = self.cpu.v[rd as usize].to_le_bytes();
        let count = 8 << q;
        for i in 0..count {
            let x = idx[i] as u32;
            if x < 16 * regs {
                r[i] = table[x as usize];
            } else if op == 0 {
                r[i] = 0;
            }
        }
        self.cpu.set_v_width(rd, 64 << q, u128::from_le_bytes(r));
        Ok(Step::Next)
    }
}
