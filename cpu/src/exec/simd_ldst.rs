//! SIMD&FP loads and stores (Arm ARM C4.1.89 with V = 1, C6.2/C7.2 pseudocode): single
//! registers B/H/S/D/Q with every addressing mode, literal, pairs, and the Advanced SIMD
//! structure loads/stores (LD1-LD4/ST1-ST4 multiple, single lane, LD1R-LD4R replicate).
//!
//! A Q access is one 16-byte Mem[] access in the pseudocode: it is done as two 8-byte
//! accesses (low half first), with the 16-byte alignment rules (SCTLR_ELx.A, Device memory)
//! checked up front. Structure accesses are element-sized accesses.

use super::{fp_check, sext, undef, Exec, Flow, Step};
use crate::a64::VisitSimdLdst;
use crate::exc::Exc;
use crate::platform::Platform;
use crate::syndrome::AbortStatus;
use mmu::walk::AccessKind;

impl<B: Platform> Exec<'_, B> {
    /// The alignment checks of a 16-byte SIMD&FP access that two 8-byte accesses would not
    /// make: 16-byte alignment under SCTLR_ELx.A, and on Device memory.
    #[inline(always)]
    fn q_align(&mut self, addr: u64, write: bool) -> Result<(), Exc> {
        if addr & 15 != 0 {
            self.cpu.check_align(addr, 16, false, write)?;
            if addr & 7 == 0 {
                let kind = if write {
                    AccessKind::Write
                } else {
                    AccessKind::Read
                };
                let device = self.cpu.translate(self.bus, addr, kind, false)?.device;
                if device {
                    return Err(Exc::data_abort(AbortStatus::Alignment, addr, write));
                }
            }
        }
        Ok(())
    }

    /// Read `bytes` (1, 2, 4, 8 or 16) at `addr` as one SIMD&FP access, zero-extended.
    #[inline(always)]
    fn vread(&mut self, addr: u64, bytes: u32) -> Result<u128, Exc> {
        if bytes == 16 {
            self.q_align(addr, false)?;
            let lo = self.cpu.read_mem(self.bus, addr, 8)?;
            let hi = self.cpu.read_mem(self.bus, addr.wrapping_add(8), 8)?;
            Ok((hi as u128) << 64 | lo as u128)
        } else {
            Ok(self.cpu.read_mem(self.bus, addr, bytes as u8)? as u128)
        }
    }

    /// Write the low `bytes` (1, 2, 4, 8 or 16) of `v` at `addr` as one SIMD&FP access.
    #[inline(always)]
    fn vwrite(&mut self, addr: u64, bytes: u32, v: u128) -> Result<(), Exc> {
        if bytes == 16 {
            self.q_align(addr, true)?;
            self.cpu.write_mem(self.bus, addr, 8, v as u64)?;
            self.cpu
                .write_mem(self.bus, addr.wrapping_add(8), 8, (v >> 64) as u64)
        } else {
            self.cpu.write_mem(self.bus, addr, bytes as u8, v as u64)
        }
    }

    /// Load V`t` (zero-extended from `bytes`) or store its low `bytes` at `addr`.
    #[inline(always)]
    fn vtransfer(&mut self, load: bool, t: u32, addr: u64, bytes: u32) -> Result<(), Exc> {
        if load {
            let v = self.vread(addr, bytes)?;
            self.cpu.set_v_width(t, bytes * 8, v);
            Ok(())
        } else {
            let v = self.cpu.v[t as usize];
            self.vwrite(addr, bytes, v)
        }
    }

    /// One SIMD&FP register at base + offset, with optional pre/post-index writeback.
    #[inline(always)]
    fn v_indexed(
        &mut self,
        scale: u32,
        load: bool,
        rt: u32,
        rn: u32,
        offset: i64,
        post: bool,
        wback: bool,
    ) -> Flow {
        fp_check(self.cpu)?;
        let base = self.cpu.addr_base(rn)?;
        let addr = if post {
            base
        } else {
            base.wrapping_add(offset as u64)
        };
        self.vtransfer(load, rt, addr, 1 << scale)?;
        if wback {
            self.set_xsp(rn, base.wrapping_add(offset as u64));
        }
        Ok(Step::Next)
    }

    /// LD1-LD4/ST1-ST4 (multiple structures); `rm` is Some for the post-index forms.
    fn ldst_multi_common(
        &mut self,
        q: u32,
        l: u32,
        rm: Option<u32>,
        opcode: u32,
        size: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        let (rpt, selem) = match opcode {
            0b0000 => (1, 4),
            0b0010 => (4, 1),
            0b0100 => (1, 3),
            0b0110 => (3, 1),
            0b0111 => (1, 1),
            0b1000 => (1, 2),
            0b1010 => (2, 1),
            _ => return undef(),
        };
        if size == 3 && q == 0 && selem != 1 {
            return undef();
        }
        fp_check(self.cpu)?;
        let base = self.cpu.addr_base(rn)?;
        let ebytes = 1u64 << size;
        let elements = (8u32 << q) >> size;
        let mut offs = 0u64;
        for r in 0..rpt {
            for e in 0..elements {
                let mut tt = (rt + r) % 32;
                for _ in 0..selem {
                    let addr = base.wrapping_add(offs);
                    if l == 1 {
                        let v = self.cpu.read_mem(self.bus, addr, ebytes as u8)?;
                        self.cpu.set_v_elem(tt, e, size, v);
                    } else {
                        let v = self.cpu.v_elem(tt, e, size);
                        self.cpu.write_mem(self.bus, addr, ebytes as u8, v)?;
                    }
                    offs += ebytes;
                    tt = (tt + 1) % 32;
                }
            }
        }
        if l == 1 && q == 0 {
            // V[tt] = rval with datasize 64: the upper halves become zero.
            for i in 0..rpt * selem {
                let t = (rt + i) % 32;
                let lo = self.cpu.v[t as usize] as u64;
                self.cpu.set_v_width(t, 64, lo as u128);
            }
        }
        if let Some(m) = rm {
            if m != 31 {
                offs = self.x(m);
            }
            self.set_xsp(rn, base.wrapping_add(offs));
        }
        Ok(Step::Next)
    }

    /// LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R; `rm` is Some for post-index.
    fn ldst_single_common(
        &mut self,
        q: u32,
        l: u32,
        r: u32,
        rm: Option<u32>,
        opcode: u32,
        s: u32,
        size: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        let mut scale = opcode >> 1;
        let selem = ((opcode & 1) << 1 | r) + 1;
        let mut replicate = false;
        let index = match scale {
            3 => {
                if l == 0 || s == 1 {
                    return undef();
                }
                scale = size;
                replicate = true;
                0
            }
            0 => q << 3 | s << 2 | size,
            1 => {
                if size & 1 != 0 {
                    return undef();
                }
                q << 2 | s << 1 | size >> 1
            }
            _ => {
                if size & 2 != 0 {
                    return undef();
                }
                if size & 1 == 0 {
                    q << 1 | s
                } else {
                    if s == 1 {
                        return undef();
                    }
                    scale = 3;
                    q
                }
            }
        };
        fp_check(self.cpu)?;
        let base = self.cpu.addr_base(rn)?;
        let ebytes = 1u64 << scale;
        let mut offs = 0u64;
        let mut t = rt;
        for _ in 0..selem {
            let addr = base.wrapping_add(offs);
            if replicate {
                let v = self.cpu.read_mem(self.bus, addr, ebytes as u8)?;
                let mut rep = 0u128;
                for i in 0..(16 >> scale) {
                    rep |= (v as u128) << (i * (8 << scale));
                }
                self.cpu.set_v_width(t, 64 << q, rep);
            } else if l == 1 {
                let v = self.cpu.read_mem(self.bus, addr, ebytes as u8)?;
                self.cpu.set_v_elem(t, index, scale, v);
            } else {
                let v = self.cpu.v_elem(t, index, scale);
                self.cpu.write_mem(self.bus, addr, ebytes as u8, v)?;
            }
            offs += ebytes;
            t = (t + 1) % 32;
        }
        if let Some(m) = rm {
            if m != 31 {
                offs = self.x(m);
            }
            self.set_xsp(rn, base.wrapping_add(offs));
        }
        Ok(Step::Next)
    }
}

/// scale (log2 bytes) and load? of a V=1 "load/store register" size:opc, or None when
/// reserved (scale > 4: opc<1> = 1 with size != 00).
#[inline(always)]
fn v_scale(size: u32, opc: u32) -> Option<(u32, bool)> {
    let scale = (opc >> 1) << 2 | size;
    (scale <= 4).then_some((scale, opc & 1 == 1))
}

impl<B: Platform> VisitSimdLdst for Exec<'_, B> {
    /// LDR/STR (immediate, unsigned offset), SIMD&FP.
    fn ldst_v_uimm(&mut self, size: u32, opc: u32, imm12: u32, rn: u32, rt: u32) -> Flow {
        let Some((scale, load)) = v_scale(size, opc) else {
            return undef();
        };
        self.v_indexed(scale, load, rt, rn, (imm12 as i64) << scale, false, false)
    }
    /// LDUR/STUR (idx 0), post-index (1), pre-index (3), SIMD&FP.
    fn ldst_v_imm9(&mut self, size: u32, opc: u32, imm9: u32, idx: u32, rn: u32, rt: u32) -> Flow {
        let Some((scale, load)) = v_scale(size, opc) else {
            return undef();
        };
        if idx == 2 {
            return undef(); // no unprivileged SIMD&FP loads/stores
        }
        self.v_indexed(scale, load, rt, rn, sext(imm9, 9), idx == 1, idx != 0)
    }
    /// LDR/STR (register), SIMD&FP: option<1> must be 1 (UXTW, LSL, SXTW, SXTX).
    fn ldst_v_reg(
        &mut self,
        size: u32,
        opc: u32,
        rm: u32,
        option: u32,
        s: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        let Some((scale, load)) = v_scale(size, opc) else {
            return undef();
        };
        if option & 2 == 0 {
            return undef();
        }
        let offset = crate::alu::extend_reg(self.x(rm), option, if s != 0 { scale } else { 0 });
        self.v_indexed(scale, load, rt, rn, offset as i64, false, false)
    }
    /// LDR (literal), SIMD&FP: S, D, Q.
    fn ldr_v_lit(&mut self, opc: u32, imm19: u32, rt: u32) -> Flow {
        if opc == 3 {
            return undef();
        }
        fp_check(self.cpu)?;
        let addr = self.cpu.pc.wrapping_add((sext(imm19, 19) << 2) as u64);
        self.vtransfer(true, rt, addr, 4 << opc)?;
        Ok(Step::Next)
    }
    /// LDP/STP/LDNP/STNP, SIMD&FP: S, D, Q.
    fn ldstp_v(
        &mut self,
        opc: u32,
        idx: u32,
        l: u32,
        imm7: u32,
        rt2: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        if opc == 3 {
            return undef();
        }
        fp_check(self.cpu)?;
        let scale = 2 + opc;
        let bytes = 1u32 << scale;
        let offset = sext(imm7, 7) << scale;
        let base = self.cpu.addr_base(rn)?;
        let addr = if idx == 1 {
            base
        } else {
            base.wrapping_add(offset as u64)
        };
        let addr2 = addr.wrapping_add(bytes as u64);
        if l == 1 {
            // LDP with t == t2 is CONSTRAINED UNPREDICTABLE; this loads both (the second
            // value wins), an UNKNOWN value the architecture allows.
            let a = self.vread(addr, bytes)?;
            let b = self.vread(addr2, bytes)?;
            self.cpu.set_v_width(rt, bytes * 8, a);
            self.cpu.set_v_width(rt2, bytes * 8, b);
        } else {
            let (a, b) = (self.cpu.v[rt as usize], self.cpu.v[rt2 as usize]);
            self.vwrite(addr, bytes, a)?;
            self.vwrite(addr2, bytes, b)?;
        }
        if idx & 1 == 1 {
            self.set_xsp(rn, base.wrapping_add(offset as u64));
        }
        Ok(Step::Next)
    }
    fn ldst_multi(&mut self, q: u32, l: u32, opcode: u32, size: u32, rn: u32, rt: u32) -> Flow {
        self.ldst_multi_common(q, l, None, opcode, size, rn, rt)
    }
    fn ldst_multi_post(
        &mut self,
        q: u32,
        l: u32,
        rm: u32,
        opcode: u32,
        size: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        self.ldst_multi_common(q, l, Some(rm), opcode, size, rn, rt)
    }
    fn ldst_single(
        &mut self,
        q: u32,
        l: u32,
        r: u32,
        opcode: u32,
        s: u32,
        size: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        self.ldst_single_common(q, l, r, None, opcode, s, size, rn, rt)
    }
    fn ldst_single_post(
        &mut self,
        q: u32,
        l: u32,
        r: u32,
        rm: u32,
        opcode: u32,
        s: u32,
        size: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        self.ldst_single_common(q, l, r, Some(rm), opcode, s, size, rn, rt)
    }
}
