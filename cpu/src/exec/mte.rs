//! FEAT_MTE/MTE2 instructions (`mte.insn`): tag arithmetic (IRG, GMI, ADDG, SUBG, SUBP,
//! SUBPS) and the allocation-tag loads and stores (LDG, STG, STZG, ST2G, STZ2G, STGP,
//! LDGM, STGM, STZGM). The tag rules themselves live in crate::mte. Every row is
//! UNDEFINED without MTE (`--mte off`).

use super::{sext, undef, Exec, Flow, Step};
use crate::a64::VisitMte;
use crate::alu::add_with_carry;
use crate::exc::Exc;
use crate::mte::{choose_non_excluded, ptr_tag, with_tag, GM_BYTES};
use crate::platform::Platform;
use crate::syndrome::AbortStatus;
use crate::sysreg::SR;
use mmu::TAG_GRANULE;

/// GCR_EL1.Exclude: tags IRG and ADDG/SUBG never choose.
fn gcr_exclude<B: Platform>(ex: &Exec<'_, B>) -> u16 {
    ex.cpu.sr.get(SR::GCR_EL1) as u16
}

/// Sign-extend bits \[55:0\] (the address part of a tagged pointer, SUBP).
fn addr56(v: u64) -> u64 {
    ((v << 8) as i64 >> 8) as u64
}

impl<B: Platform> Exec<'_, B> {
    /// Whether MTE is implemented; every handler starts here.
    #[inline(always)]
    fn mte(&self) -> bool {
        self.cpu.cfg.mte
    }

    /// The tag IRG/ADDG/SUBG produce when allocation tags are not accessible at this EL.
    fn tags_on(&self) -> bool {
        self.cpu.tag_access_enabled(self.cpu.pstate.el)
    }

    /// The address of a tag load/store with a scaled signed offset: `op2` 01 post-index,
    /// 10 signed offset, 11 pre-index (`None` for 00, which these rows do not encode).
    /// Returns (address used, writeback value).
    fn tag_addr(&mut self, rn: u32, offset: i64, op2: u32) -> Result<(u64, Option<u64>), Exc> {
        let base = self.cpu.addr_base(rn)?;
        let moved = base.wrapping_add(offset as u64);
        Ok(match op2 {
            0b01 => (base, Some(moved)),
            0b11 => (moved, Some(moved)),
            _ => (moved, None),
        })
    }

    /// Alignment of a tag store: the address must be granule aligned (AArch64.MemTag, an
    /// Alignment fault reported as a write).
    fn granule_aligned(&self, va: u64) -> Result<(), Exc> {
        if va & (TAG_GRANULE - 1) != 0 {
            return Err(Exc::data_abort(AbortStatus::Alignment, va, true));
        }
        Ok(())
    }

    /// STG/STZG/ST2G/STZ2G: set the tag of `granules` granules from Xt (or SP), zeroing
    /// their data when `zero`.
    fn store_tags(
        &mut self,
        imm9: u32,
        op2: u32,
        rn: u32,
        rt: u32,
        granules: u64,
        zero: bool,
    ) -> Flow {
        if !self.mte() || op2 == 0 {
            return undef();
        }
        let (va, wb) = self.tag_addr(rn, sext(imm9, 9) << 4, op2)?;
        self.granule_aligned(va)?;
        let tag = ptr_tag(self.xsp(rt));
        for i in 0..granules {
            let g = va.wrapping_add(i * TAG_GRANULE);
            if zero {
                self.cpu.zero_block(self.bus, g, TAG_GRANULE, false)?;
            }
            self.cpu.store_tag(self.bus, g, tag)?;
        }
        if let Some(w) = wb {
            self.set_xsp(rn, w);
        }
        Ok(Step::Next)
    }

    /// LDGM/STGM: the GMID-sized block holding Xn, one tag per nibble of Xt indexed by
    /// the granule's position in the block. UNDEFINED at EL0.
    fn bulk_tags(&mut self, rn: u32, rt: u32, store: bool) -> Flow {
        if !self.mte() || self.cpu.pstate.el == 0 {
            return undef();
        }
        // The block never crosses a page: one translation for its 16 granules, the tag
        // of granule i in Xt[4i+3:4i].
        let base = self.cpu.addr_base(rn)? & !(GM_BYTES - 1);
        let target = self.cpu.tag_target(self.bus, base, store)?;
        let data = self.x(rt);
        let mut loaded = 0u64;
        if let Some(off) = target {
            let ram = self.bus.ram();
            for i in 0..GM_BYTES / TAG_GRANULE {
                let g = off + i * TAG_GRANULE;
                if store {
                    ram.set_tag(g, (data >> (4 * i)) as u8 & 0xf);
                } else {
                    loaded |= (ram.tag(g) as u64) << (4 * i);
                }
            }
        }
        if !store {
            self.set_x(rt, loaded);
        }
        Ok(Step::Next)
    }
}

impl<B: Platform> VisitMte for Exec<'_, B> {
    /// IRG: Xd = Xn with a random tag not in GCR_EL1.Exclude | Xm\[15:0\] (tag 0 when
    /// tags are not accessible here).
    fn irg(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        if !self.mte() {
            return undef();
        }
        let exclude = gcr_exclude(self) | self.x(rm) as u16;
        let tag = if self.tags_on() {
            self.cpu.random_tag(exclude)
        } else {
            0
        };
        let v = with_tag(self.xsp(rn), tag);
        self.set_xsp(rd, v);
        Ok(Step::Next)
    }

    /// GMI: Xd = Xm | (1 << tag(Xn)), building an exclusion mask.
    fn gmi(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        if !self.mte() {
            return undef();
        }
        let v = self.x(rm) | 1 << ptr_tag(self.xsp(rn));
        self.set_x(rd, v);
        Ok(Step::Next)
    }

    /// SUBP: the difference of two 56-bit addresses, tags ignored.
    fn subp(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        if !self.mte() {
            return undef();
        }
        let v = addr56(self.xsp(rn)).wrapping_sub(addr56(self.xsp(rm)));
        self.set_x(rd, v);
        Ok(Step::Next)
    }

    /// SUBPS: SUBP setting NZCV (CMPP when Xd is XZR).
    fn subps(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        if !self.mte() {
            return undef();
        }
        let (a, b) = (addr56(self.xsp(rn)), addr56(self.xsp(rm)));
        let (v, nzcv) = add_with_carry(true, a, !b, true);
        self.cpu.pstate.nzcv = nzcv;
        self.set_x(rd, v);
        Ok(Step::Next)
    }

    /// ADDG: Xd = Xn + uimm6 * 16, its tag advanced by uimm4 non-excluded steps.
    fn addg(&mut self, uimm6: u32, uimm4: u32, rn: u32, rd: u32) -> Flow {
        self.addsubg(uimm6, uimm4, rn, rd, false)
    }

    /// SUBG: Xd = Xn - uimm6 * 16, its tag advanced as ADDG's.
    fn subg(&mut self, uimm6: u32, uimm4: u32, rn: u32, rd: u32) -> Flow {
        self.addsubg(uimm6, uimm4, rn, rd, true)
    }

    /// STG: set the allocation tag of one granule.
    fn stg(&mut self, imm9: u32, op2: u32, rn: u32, rt: u32) -> Flow {
        self.store_tags(imm9, op2, rn, rt, 1, false)
    }

    /// STZG: STG and zero the granule.
    fn stzg(&mut self, imm9: u32, op2: u32, rn: u32, rt: u32) -> Flow {
        self.store_tags(imm9, op2, rn, rt, 1, true)
    }

    /// ST2G: STG of two granules.
    fn st2g(&mut self, imm9: u32, op2: u32, rn: u32, rt: u32) -> Flow {
        self.store_tags(imm9, op2, rn, rt, 2, false)
    }

    /// STZ2G: STZG of two granules.
    fn stz2g(&mut self, imm9: u32, op2: u32, rn: u32, rt: u32) -> Flow {
        self.store_tags(imm9, op2, rn, rt, 2, true)
    }

    /// LDG: insert the allocation tag of the granule at Xn + imm9 * 16 into Xt\[59:56\].
    fn ldg(&mut self, imm9: u32, rn: u32, rt: u32) -> Flow {
        if !self.mte() {
            return undef();
        }
        let va = self
            .cpu
            .addr_base(rn)?
            .wrapping_add((sext(imm9, 9) << 4) as u64);
        let tag = self.cpu.load_tag(self.bus, va & !(TAG_GRANULE - 1))?;
        let v = with_tag(self.x(rt), tag);
        self.set_x(rt, v);
        Ok(Step::Next)
    }

    /// LDGM: load the tags of a GMID_EL1-sized block.
    fn ldgm(&mut self, rn: u32, rt: u32) -> Flow {
        self.bulk_tags(rn, rt, false)
    }

    /// STGM: store the tags of a GMID_EL1-sized block.
    fn stgm(&mut self, rn: u32, rt: u32) -> Flow {
        self.bulk_tags(rn, rt, true)
    }

    /// STZGM: zero a DCZID_EL0-sized block and set all its tags to Xt\[3:0\] (the tag
    /// value itself, not a pointer's tag). UNDEFINED at EL0.
    fn stzgm(&mut self, rn: u32, rt: u32) -> Flow {
        if !self.mte() || self.cpu.pstate.el == 0 {
            return undef();
        }
        let bytes = crate::sysreg::DCZVA_BYTES;
        let va = self.cpu.addr_base(rn)? & !(bytes - 1);
        let tag = self.x(rt) as u8 & 0xf;
        self.cpu.zero_block(self.bus, va, bytes, false)?;
        self.cpu.store_tag_block(self.bus, va, bytes, tag)?;
        Ok(Step::Next)
    }

    /// STGP: store Xt, Xt2 to a granule (not tag checked) and set its tag from the
    /// address. idx 01 post-index, 10 signed offset, 11 pre-index.
    fn stgp(&mut self, idx: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) -> Flow {
        if !self.mte() || idx == 0 {
            return undef();
        }
        let (va, wb) = self.tag_addr(rn, sext(imm7, 7) << 4, idx)?;
        self.granule_aligned(va)?;
        let (a, b) = (self.x(rt), self.x(rt2));
        self.cpu.write_mem(self.bus, va, 8, a)?;
        self.cpu.write_mem(self.bus, va.wrapping_add(8), 8, b)?;
        self.cpu.store_tag(self.bus, va, ptr_tag(va))?;
        if let Some(w) = wb {
            self.set_xsp(rn, w);
        }
        Ok(Step::Next)
    }
}

impl<B: Platform> Exec<'_, B> {
    fn addsubg(&mut self, uimm6: u32, uimm4: u32, rn: u32, rd: u32, sub: bool) -> Flow {
        if !self.mte() {
            return undef();
        }
        let base = self.xsp(rn);
        let offset = (uimm6 as u64) << 4;
        let tag = if self.tags_on() {
            choose_non_excluded(ptr_tag(base), uimm4 as u8, gcr_exclude(self))
        } else {
            0
        };
        let v = if sub {
            base.wrapping_sub(offset)
        } else {
            base.wrapping_add(offset)
        };
        self.set_xsp(rd, with_tag(v, tag));
        Ok(Step::Next)
    }
}
