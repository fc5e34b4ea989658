//! Loads and stores of general registers (Arm ARM C4.1.89): single registers with every
//! addressing mode, literal, pairs, exclusives and acquire/release.

use super::{sext, undef, Exec, Flow, Step};
use crate::a64::VisitLdst;
use crate::platform::Platform;

/// What a size/opc combination of the "load/store register" classes does (C4.1.89).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mem {
    Store,
    /// Zero-extending load.
    Load,
    /// Sign-extending load to 64 bits.
    LoadS64,
    /// Sign-extending load to 32 bits (upper 32 bits zero).
    LoadS32,
    Prefetch,
}

#[inline(always)]
fn classify(size: u32, opc: u32) -> Option<Mem> {
    Some(match (opc, size) {
        (0, _) => Mem::Store,
        (1, _) => Mem::Load,
        (2, 3) => Mem::Prefetch,
        (2, _) => Mem::LoadS64,
        (3, 0 | 1) => Mem::LoadS32,
        _ => return None,
    })
}

#[inline(always)]
fn extend_loaded(kind: Mem, size: u32, v: u64) -> u64 {
    let bits = 8 << size;
    match kind {
        Mem::LoadS64 => ((v << (64 - bits)) as i64 >> (64 - bits)) as u64,
        Mem::LoadS32 => (((v << (64 - bits)) as i64 >> (64 - bits)) as u64) & 0xffff_ffff,
        _ => v,
    }
}

impl<B: Platform> Exec<'_, B> {
    /// Perform one single-register access of `kind` at `addr`.
    #[inline(always)]
    fn single(&mut self, kind: Mem, size: u32, rt: u32, addr: u64) -> Result<(), super::Stop> {
        self.single_as(kind, size, rt, addr, false)
    }

    /// As `single`; `unpriv` makes it an LDTR/STTR access, permission-checked as EL0.
    #[inline(always)]
    fn single_as(
        &mut self,
        kind: Mem,
        size: u32,
        rt: u32,
        addr: u64,
        unpriv: bool,
    ) -> Result<(), super::Stop> {
        let bytes = 1u8 << size;
        match kind {
            Mem::Store => {
                let v = self.x(rt);
                self.cpu.write_mem_as(self.bus, addr, bytes, v, unpriv)?
            }
            Mem::Prefetch => {}
            _ => {
                let v = self.cpu.read_mem_as(self.bus, addr, bytes, unpriv)?;
                self.set_x(rt, extend_loaded(kind, size, v));
            }
        }
        Ok(())
    }

    /// Base + offset with optional pre/post-index writeback.
    #[inline(always)]
    fn indexed(
        &mut self,
        kind: Mem,
        size: u32,
        rt: u32,
        rn: u32,
        offset: i64,
        post: bool,
        wback: bool,
    ) -> Flow {
        let base = self.cpu.addr_base(rn)?;
        let addr = if post {
            base
        } else {
            base.wrapping_add(offset as u64)
        };
        self.single(kind, size, rt, addr)?;
        if wback {
            self.set_xsp(rn, base.wrapping_add(offset as u64));
        }
        Ok(Step::Next)
    }

    /// Load-acquire / store-release and friends: natural alignment is required always.
    #[inline(always)]
    fn ordered(&mut self, size: u32, rt: u32, rn: u32, load: bool, offset: i64, kind: Mem) -> Flow {
        let addr = self.cpu.addr_base(rn)?.wrapping_add(offset as u64);
        let bytes = 1u8 << size;
        self.cpu.check_align(addr, bytes as u64, true, !load)?;
        if load {
            let v = self.cpu.read_aligned(self.bus, addr, bytes)?;
            self.set_x(rt, extend_loaded(kind, size, v));
        } else {
            let v = self.x(rt);
            self.cpu.write_aligned(self.bus, addr, bytes, v)?;
        }
        Ok(Step::Next)
    }

    /// Load-exclusive of one register or a pair (`pair` = element count 2).
    fn load_excl(&mut self, size: u32, pair: bool, rt: u32, rt2: u32, rn: u32) -> Flow {
        let addr = self.cpu.addr_base(rn)?;
        let esize = 1u8 << size;
        let total = if pair { 2 * esize } else { esize };
        self.cpu.check_align(addr, total as u64, true, false)?;
        let v = self.cpu.read_aligned(self.bus, addr, esize)?;
        let v2 = if pair {
            self.cpu
                .read_aligned(self.bus, addr + esize as u64, esize)?
        } else {
            0
        };
        self.set_x(rt, v);
        if pair {
            self.set_x(rt2, v2);
        }
        self.cpu.excl = Some((addr, total));
        self.cpu.note_ldex();
        Ok(Step::Next)
    }

    /// Store-exclusive: succeeds (Ws = 0) only if the monitor holds this address and size.
    fn store_excl(&mut self, size: u32, pair: bool, rs: u32, rt: u32, rt2: u32, rn: u32) -> Flow {
        let addr = self.cpu.addr_base(rn)?;
        let esize = 1u8 << size;
        let total = if pair { 2 * esize } else { esize };
        self.cpu.check_align(addr, total as u64, true, true)?;
        let ok = self.cpu.excl == Some((addr, total));
        self.cpu.excl = None;
        if ok {
            let (v, v2) = (self.x(rt), self.x(rt2));
            self.cpu.write_aligned(self.bus, addr, esize, v)?;
            if pair {
                self.cpu
                    .write_aligned(self.bus, addr + esize as u64, esize, v2)?;
            }
        }
        self.set_x(rs, !ok as u64);
        Ok(Step::Next)
    }
}

impl<B: Platform> VisitLdst for Exec<'_, B> {
    fn stxr(&mut self, size: u32, rs: u32, rn: u32, rt: u32) -> Flow {
        self.store_excl(size, false, rs, rt, 31, rn)
    }
    fn stlxr(&mut self, size: u32, rs: u32, rn: u32, rt: u32) -> Flow {
        self.store_excl(size, false, rs, rt, 31, rn)
    }
    fn ldxr(&mut self, size: u32, rn: u32, rt: u32) -> Flow {
        self.load_excl(size, false, rt, 31, rn)
    }
    fn ldaxr(&mut self, size: u32, rn: u32, rt: u32) -> Flow {
        self.load_excl(size, false, rt, 31, rn)
    }
    fn stxp(&mut self, sz: u32, rs: u32, rt2: u32, rn: u32, rt: u32) -> Flow {
        self.store_excl(2 + sz, true, rs, rt, rt2, rn)
    }
    fn stlxp(&mut self, sz: u32, rs: u32, rt2: u32, rn: u32, rt: u32) -> Flow {
        self.store_excl(2 + sz, true, rs, rt, rt2, rn)
    }
    fn ldxp(&mut self, sz: u32, rt2: u32, rn: u32, rt: u32) -> Flow {
        self.load_excl(2 + sz, true, rt, rt2, rn)
    }
    fn ldaxp(&mut self, sz: u32, rt2: u32, rn: u32, rt: u32) -> Flow {
        self.load_excl(2 + sz, true, rt, rt2, rn)
    }
    fn stllr(&mut self, size: u32, rn: u32, rt: u32) -> Flow {
        self.ordered(size, rt, rn, false, 0, Mem::Store)
    }
    fn stlr(&mut self, size: u32, rn: u32, rt: u32) -> Flow {
        self.ordered(size, rt, rn, false, 0, Mem::Store)
    }
    fn ldlar(&mut self, size: u32, rn: u32, rt: u32) -> Flow {
        self.ordered(size, rt, rn, true, 0, Mem::Load)
    }
    fn ldar(&mut self, size: u32, rn: u32, rt: u32) -> Flow {
        self.ordered(size, rt, rn, true, 0, Mem::Load)
    }
    fn ldapr(&mut self, size: u32, rn: u32, rt: u32) -> Flow {
        self.ordered(size, rt, rn, true, 0, Mem::Load)
    }
    /// STLUR/LDAPUR/LDAPURS* (FEAT_LRCPC2), unscaled signed offset.
    fn ldapur(&mut self, size: u32, opc: u32, imm9: u32, rn: u32, rt: u32) -> Flow {
        let kind = match classify(size, opc) {
            Some(Mem::Prefetch) | None => return undef(),
            Some(k) => k,
        };
        self.ordered(size, rt, rn, kind != Mem::Store, sext(imm9, 9), kind)
    }
    /// LDR (literal), LDRSW (literal), PRFM (literal).
    fn ldr_lit(&mut self, opc: u32, imm19: u32, rt: u32) -> Flow {
        let addr = self.cpu.pc.wrapping_add((sext(imm19, 19) << 2) as u64);
        let (kind, size) = match opc {
            0 => (Mem::Load, 2),
            1 => (Mem::Load, 3),
            2 => (Mem::LoadS64, 2),
            _ => (Mem::Prefetch, 3),
        };
        self.single(kind, size, rt, addr)?;
        Ok(Step::Next)
    }
    /// STP/LDP/LDPSW/STNP/LDNP: idx 0 = non-temporal offset, 1 = post, 2 = offset, 3 = pre.
    fn ldstp(&mut self, opc: u32, idx: u32, l: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) -> Flow {
        let (size, kind) = match (opc, l) {
            (0, 0) => (2, Mem::Store),
            (0, 1) => (2, Mem::Load),
            (1, 1) if idx != 0 => (2, Mem::LoadS64),
            (2, 0) => (3, Mem::Store),
            (2, 1) => (3, Mem::Load),
            _ => return undef(), // STGP needs FEAT_MTE; LDNPSW and opc 11 do not exist
        };
        let offset = sext(imm7, 7) << size;
        let base = self.cpu.addr_base(rn)?;
        let addr = if idx == 1 {
            base
        } else {
            base.wrapping_add(offset as u64)
        };
        let esize = 1u64 << size;
        if kind == Mem::Store {
            let (a, b) = (self.x(rt), self.x(rt2));
            self.cpu.write_mem(self.bus, addr, esize as u8, a)?;
            self.cpu
                .write_mem(self.bus, addr.wrapping_add(esize), esize as u8, b)?;
        } else {
            let a = self.cpu.read_mem(self.bus, addr, esize as u8)?;
            let b = self
                .cpu
                .read_mem(self.bus, addr.wrapping_add(esize), esize as u8)?;
            self.set_x(rt, extend_loaded(kind, size, a));
            self.set_x(rt2, extend_loaded(kind, size, b));
        }
        if idx & 1 == 1 {
            self.set_xsp(rn, base.wrapping_add(offset as u64));
        }
        Ok(Step::Next)
    }
    /// STUR/LDUR/PRFUM (idx 0), post-index (1), STTR/LDTR (2), pre-index (3).
    fn ldst_imm9(&mut self, size: u32, opc: u32, imm9: u32, idx: u32, rn: u32, rt: u32) -> Flow {
        let Some(kind) = classify(size, opc) else {
            return undef();
        };
        if kind == Mem::Prefetch && idx != 0 {
            return undef();
        }
        if idx == 2 {
            // LDTR/STTR (C6.2): an EL1 access checked against EL0 permissions (so PAN
            // does not apply), and so is one at EL2 in the VHE host ({E2H,TGE} = {1,1});
            // in a one-privilege EL2 regime it is an ordinary access.
            let addr = self.cpu.addr_base(rn)?.wrapping_add(sext(imm9, 9) as u64);
            let unpriv = self.cpu.pstate.el == 1 || (self.cpu.pstate.el == 2 && self.cpu.in_host());
            self.single_as(kind, size, rt, addr, unpriv)?;
            return Ok(Step::Next);
        }
        self.indexed(kind, size, rt, rn, sext(imm9, 9), idx == 1, idx & 1 == 1)
    }
    /// Register offset: option<1> must be 1 (UXTW, LSL, SXTW, SXTX).
    fn ldst_reg(
        &mut self,
        size: u32,
        opc: u32,
        rm: u32,
        option: u32,
        s: u32,
        rn: u32,
        rt: u32,
    ) -> Flow {
        let Some(kind) = classify(size, opc) else {
            return undef();
        };
        if option & 2 == 0 {
            return undef();
        }
        let offset = crate::alu::extend_reg(self.x(rm), option, if s != 0 { size } else { 0 });
        self.indexed(kind, size, rt, rn, offset as i64, false, false)
    }
    fn ldst_uimm(&mut self, size: u32, opc: u32, imm12: u32, rn: u32, rt: u32) -> Flow {
        let Some(kind) = classify(size, opc) else {
            return undef();
        };
        self.indexed(kind, size, rt, rn, (imm12 as i64) << size, false, false)
    }
}
