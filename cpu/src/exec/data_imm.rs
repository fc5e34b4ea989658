//! Data processing — immediate (Arm ARM C4.1.86): PC-relative addressing, add/subtract,
//! logical, move wide, bitfield and extract.

use super::{sext, undef, Exec, Flow, Step};
use crate::a64::VisitDataImm;
use crate::alu::{add_with_carry, decode_bit_masks, nz, width};
use crate::platform::Platform;

impl<B: Platform> Exec<'_, B> {
    /// ADD/ADDS/SUB/SUBS (immediate): Rn may be SP; Rd is SP unless flags are set.
    #[inline(always)]
    fn addsub_imm(
        &mut self,
        sf: u32,
        sub: bool,
        setflags: bool,
        sh: u32,
        imm12: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let sf = sf != 0;
        let imm = (imm12 as u64) << (sh * 12);
        let a = self.xsp(rn);
        let (b, c) = if sub { (!imm, true) } else { (imm, false) };
        let (r, flags) = add_with_carry(sf, a, b, c);
        if setflags {
            self.cpu.pstate.nzcv = flags;
            self.set_x(rd, r);
        } else {
            self.set_xsp(rd, r);
        }
        Ok(Step::Next)
    }

    /// AND/ORR/EOR/ANDS (immediate), opc as in the encoding.
    #[inline(always)]
    fn logical_imm(
        &mut self,
        sf: u32,
        opc: u32,
        n: u32,
        immr: u32,
        imms: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if sf == 0 && n != 0 {
            return undef();
        }
        let datasize = if sf != 0 { 64 } else { 32 };
        let Some((imm, _)) = decode_bit_masks(n, imms, immr, true, datasize) else {
            return undef();
        };
        let a = self.x(rn);
        let r = width(
            sf != 0,
            match opc {
                0 | 3 => a & imm,
                1 => a | imm,
                _ => a ^ imm,
            },
        );
        if opc == 3 {
            self.cpu.pstate.nzcv = nz(sf != 0, r);
            self.set_x(rd, r);
        } else {
            self.set_xsp(rd, r);
        }
        Ok(Step::Next)
    }

    /// SBFM/BFM/UBFM (C6.2 pseudocode): 0 = signed, 1 = insert, 2 = unsigned.
    #[inline(always)]
    fn bitfield(
        &mut self,
        kind: u32,
        sf: u32,
        n: u32,
        immr: u32,
        imms: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if sf != n || (sf == 0 && (immr >= 32 || imms >= 32)) {
            return undef();
        }
        let datasize = if sf != 0 { 64 } else { 32 };
        let Some((wmask, tmask)) = decode_bit_masks(n, imms, immr, false, datasize) else {
            return undef();
        };
        let src = self.x(rn);
        let ror = if sf != 0 {
            src.rotate_right(immr)
        } else {
            (src as u32).rotate_right(immr) as u64
        };
        let r = match kind {
            0 => {
                let bot = ror & wmask;
                let top = if (src >> imms) & 1 != 0 { u64::MAX } else { 0 };
                (top & !tmask) | (bot & tmask)
            }
            1 => {
                let dst = self.x(rd);
                let bot = (dst & !wmask) | (ror & wmask);
                (dst & !tmask) | (bot & tmask)
            }
            _ => ror & wmask & tmask,
        };
        self.set_x(rd, width(sf != 0, r));
        Ok(Step::Next)
    }

    /// MOVN/MOVZ/MOVK: 0 = N, 2 = Z, 3 = K.
    #[inline(always)]
    fn move_wide(&mut self, kind: u32, sf: u32, hw: u32, imm16: u32, rd: u32) -> Flow {
        if sf == 0 && hw >= 2 {
            return undef();
        }
        let pos = hw * 16;
        let imm = (imm16 as u64) << pos;
        let r = match kind {
            0 => !imm,
            2 => imm,
            _ => (self.x(rd) & !(0xffffu64 << pos)) | imm,
        };
        self.set_x(rd, width(sf != 0, r));
        Ok(Step::Next)
    }
}

impl<B: Platform> VisitDataImm for Exec<'_, B> {
    fn adr(&mut self, immlo: u32, immhi: u32, rd: u32) -> Flow {
        let imm = sext((immhi << 2) | immlo, 21);
        self.set_x(rd, self.cpu.pc.wrapping_add(imm as u64));
        Ok(Step::Next)
    }
    fn adrp(&mut self, immlo: u32, immhi: u32, rd: u32) -> Flow {
        let imm = sext((immhi << 2) | immlo, 21) << 12;
        self.set_x(rd, (self.cpu.pc & !0xfff).wrapping_add(imm as u64));
        Ok(Step::Next)
    }
    fn add_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32) -> Flow {
        self.addsub_imm(sf, false, false, sh, imm12, rn, rd)
    }
    fn adds_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32) -> Flow {
        self.addsub_imm(sf, false, true, sh, imm12, rn, rd)
    }
    fn sub_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32) -> Flow {
        self.addsub_imm(sf, true, false, sh, imm12, rn, rd)
    }
    fn subs_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32) -> Flow {
        self.addsub_imm(sf, true, true, sh, imm12, rn, rd)
    }
    fn and_imm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) -> Flow {
        self.logical_imm(sf, 0, n, immr, imms, rn, rd)
    }
    fn orr_imm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) -> Flow {
        self.logical_imm(sf, 1, n, immr, imms, rn, rd)
    }
    fn eor_imm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) -> Flow {
        self.logical_imm(sf, 2, n, immr, imms, rn, rd)
    }
    fn ands_imm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) -> Flow {
        self.logical_imm(sf, 3, n, immr, imms, rn, rd)
    }
    fn movn(&mut self, sf: u32, hw: u32, imm16: u32, rd: u32) -> Flow {
        self.move_wide(0, sf, hw, imm16, rd)
    }
    fn movz(&mut self, sf: u32, hw: u32, imm16: u32, rd: u32) -> Flow {
        self.move_wide(2, sf, hw, imm16, rd)
    }
    fn movk(&mut self, sf: u32, hw: u32, imm16: u32, rd: u32) -> Flow {
        self.move_wide(3, sf, hw, imm16, rd)
    }
    fn sbfm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) -> Flow {
        self.bitfield(0, sf, n, immr, imms, rn, rd)
    }
    fn bfm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) -> Flow {
        self.bitfield(1, sf, n, immr, imms, rn, rd)
    }
    fn ubfm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) -> Flow {
        self.bitfield(2, sf, n, immr, imms, rn, rd)
    }
    fn extr(&mut self, sf: u32, n: u32, rm: u32, imms: u32, rn: u32, rd: u32) -> Flow {
        if sf != n || (sf == 0 && imms >= 32) {
            return undef();
        }
        let (hi, lo) = (self.x(rn), self.x(rm));
        let r = if sf != 0 {
            if imms == 0 {
                lo
            } else {
                (lo >> imms) | (hi << (64 - imms))
            }
        } else {
            let v = ((hi as u32 as u64) << 32) | (lo as u32 as u64);
            (v >> imms) as u32 as u64
        };
        self.set_x(rd, r);
        Ok(Step::Next)
    }
}
