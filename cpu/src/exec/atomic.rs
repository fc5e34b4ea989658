//! FEAT_LSE atomics (Arm ARM C6.2 LDADD..LDUMIN, SWP, CAS, CASP). vCPUs are scheduled
//! round-robin on one host thread, so a read-modify-write here is single-copy atomic.

use super::{undef, Exec, Flow, Step};
use crate::a64::VisitAtomic;
use crate::platform::Platform;

impl<B: Platform> Exec<'_, B> {
    /// Aligned address of an atomic of `bytes` bytes at [Xn|SP].
    #[inline(always)]
    fn atomic_addr(&mut self, rn: u32, bytes: u64) -> Result<u64, super::Stop> {
        let addr = self.cpu.addr_base(rn)?;
        // Atomics need natural alignment in every memory type (no FEAT_LSE2).
        self.cpu.check_align(addr, bytes, true, true)?;
        Ok(addr)
    }
}

impl<B: Platform> VisitAtomic for Exec<'_, B> {
    fn ldatomic(
        &mut self,
        size: u32,
        _a: u32,
        _r: u32,
        rs: u32,
        opc: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        let bytes = 1u8 << size;
        let addr = self.atomic_addr(rn, bytes as u64)?;
        let old = self.cpu.read_aligned(self.bus, addr, bytes)?;
        let bits = 8 * bytes as u32;
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        let v = self.x(rs) & mask;
        let sx = |x: u64| ((x << (64 - bits)) as i64) >> (64 - bits);
        let new = match opc {
            0 => old.wrapping_add(v),
            1 => old & !v,
            2 => old ^ v,
            3 => old | v,
            4 => {
                if sx(old) >= sx(v) {
                    old
                } else {
                    v
                }
            }
            5 => {
                if sx(old) <= sx(v) {
                    old
                } else {
                    v
                }
            }
            6 => old.max(v),
            _ => old.min(v),
        } & mask;
        self.cpu.write_aligned(self.bus, addr, bytes, new)?;
        self.set_x(rt, old);
        Ok(Step::Next)
    }
    fn swp(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) -> Flow {
        let bytes = 1u8 << size;
        let addr = self.atomic_addr(rn, bytes as u64)?;
        let old = self.cpu.read_aligned(self.bus, addr, bytes)?;
        let v = self.x(rs);
        self.cpu.write_aligned(self.bus, addr, bytes, v)?;
        self.set_x(rt, old);
        Ok(Step::Next)
    }
    /// CAS: compare Rs with memory; store Rt if equal; Rs receives the old value.
    fn cas(&mut self, size: u32, _l: u32, rs: u32, _o0: u32, rn: u32, rt: u32) -> Flow {
        let bytes = 1u8 << size;
        let addr = self.atomic_addr(rn, bytes as u64)?;
        let old = self.cpu.read_aligned(self.bus, addr, bytes)?;
        let mask = if bytes == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * bytes)) - 1
        };
        if old == self.x(rs) & mask {
            let v = self.x(rt);
            self.cpu.write_aligned(self.bus, addr, bytes, v)?;
        }
        self.set_x(rs, old);
        Ok(Step::Next)
    }
    /// CASP: register pairs must be even-numbered (else UNDEFINED).
    fn casp(&mut self, sz: u32, _l: u32, rs: u32, _o0: u32, rn: u32, rt: u32) -> Flow {
        if rs & 1 != 0 || rt & 1 != 0 {
            return undef();
        }
        let esize = if sz != 0 { 8u8 } else { 4 };
        let addr = self.atomic_addr(rn, 2 * esize as u64)?;
        let lo = self.cpu.read_aligned(self.bus, addr, esize)?;
        let hi = self
            .cpu
            .read_aligned(self.bus, addr + esize as u64, esize)?;
        let mask = if esize == 8 { u64::MAX } else { 0xffff_ffff };
        let (c1, c2) = (self.x(rs) & mask, self.x(rs + 1) & mask);
        if lo == c1 && hi == c2 {
            let (n1, n2) = (self.x(rt), self.x(rt + 1));
            self.cpu.write_aligned(self.bus, addr, esize, n1)?;
            self.cpu
                .write_aligned(self.bus, addr + esize as u64, esize, n2)?;
        }
        self.set_x(rs, lo);
        self.set_x(rs + 1, hi);
        Ok(Step::Next)
    }
}
