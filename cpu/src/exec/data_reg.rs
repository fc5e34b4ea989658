//! Data processing — register (Arm ARM C4.1.88): logical and arithmetic with shifted or
//! extended registers, carries, flag manipulation, conditional compare/select, 1-, 2- and
//! 3-source operations and CRC32.

use super::{undef, Exec, Flow, Step};
use crate::a64::VisitDataReg;
use crate::alu::{add_with_carry, cond_holds, extend_reg, nz, shift_reg, width};
use crate::platform::Platform;

/// CRC lookup table for a reflected polynomial, built at compile time.
const fn crc_table(poly: u32) -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}
/// CRC-32 (ISO-HDLC, polynomial 0x04C11DB7, reflected).
static CRC32_TABLE: [u32; 256] = crc_table(0xedb8_8320);
/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected).
static CRC32C_TABLE: [u32; 256] = crc_table(0x82f6_3b78);

impl<B: Platform> Exec<'_, B> {
    /// ADD/ADDS/SUB/SUBS (shifted register): register 31 is XZR; shift 0b11 is reserved.
    #[inline(always)]
    fn addsub_sreg(
        &mut self,
        sf: u32,
        sub: bool,
        s: bool,
        shift: u32,
        rm: u32,
        imm6: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if shift == 3 || (sf == 0 && imm6 >= 32) {
            return undef();
        }
        let b = shift_reg(sf != 0, self.x(rm), shift, imm6);
        self.addsub_finish(sf != 0, sub, s, self.x(rn), b, rd, false)
    }

    /// ADD/ADDS/SUB/SUBS (extended register): Rn may be SP, Rd is SP unless flags are set.
    #[inline(always)]
    fn addsub_ereg(
        &mut self,
        sf: u32,
        sub: bool,
        s: bool,
        opt: u32,
        rm: u32,
        option: u32,
        imm3: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if opt != 0 || imm3 > 4 {
            return undef();
        }
        let b = extend_reg(self.x(rm), option, imm3);
        self.addsub_finish(sf != 0, sub, s, self.xsp(rn), b, rd, !s)
    }

    #[inline(always)]
    fn addsub_finish(
        &mut self,
        sf: bool,
        sub: bool,
        s: bool,
        a: u64,
        b: u64,
        rd: u32,
        rd_sp: bool,
    ) -> Flow {
        let (b, c) = if sub { (!b, true) } else { (b, false) };
        let (r, flags) = add_with_carry(sf, a, b, c);
        if s {
            self.cpu.pstate.nzcv = flags;
        }
        if rd_sp {
            self.set_xsp(rd, r)
        } else {
            self.set_x(rd, r)
        }
        Ok(Step::Next)
    }

    /// ADC/ADCS/SBC/SBCS.
    #[inline(always)]
    fn adc_sbc(&mut self, sf: u32, sub: bool, s: bool, rm: u32, rn: u32, rd: u32) -> Flow {
        let b = if sub { !self.x(rm) } else { self.x(rm) };
        let carry = self.cpu.pstate.nzcv & (1 << 29) != 0;
        let (r, flags) = add_with_carry(sf != 0, self.x(rn), b, carry);
        if s {
            self.cpu.pstate.nzcv = flags;
        }
        self.set_x(rd, r);
        Ok(Step::Next)
    }

    /// CCMN/CCMP: compare if `cond` holds, else set NZCV to the immediate.
    #[inline(always)]
    fn ccmp(&mut self, sf: u32, sub: bool, b: u64, cond: u32, rn: u32, nzcv: u32) -> Flow {
        self.cpu.pstate.nzcv = if cond_holds(cond, self.cpu.pstate.nzcv) {
            let (b, c) = if sub { (!b, true) } else { (b, false) };
            add_with_carry(sf != 0, self.x(rn), b, c).1
        } else {
            nzcv << 28
        };
        Ok(Step::Next)
    }

    /// CSEL/CSINC/CSINV/CSNEG: `inv` inverts, `inc` increments the else-operand.
    #[inline(always)]
    fn csel_common(
        &mut self,
        sf: u32,
        inv: bool,
        inc: bool,
        rm: u32,
        cond: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        let r = if cond_holds(cond, self.cpu.pstate.nzcv) {
            self.x(rn)
        } else {
            let mut v = self.x(rm);
            if inv {
                v = !v;
            }
            if inc {
                v = v.wrapping_add(1);
            }
            v
        };
        self.set_x(rd, width(sf != 0, r));
        Ok(Step::Next)
    }

    /// MADD/MSUB and the long forms: `ext` widens 32-bit sources (0 none, 1 signed, 2 unsigned).
    #[inline(always)]
    fn mul_acc(&mut self, sf: u32, ext: u8, sub: bool, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        let (a, b) = match ext {
            1 => (
                self.x(rn) as i32 as i64 as u64,
                self.x(rm) as i32 as i64 as u64,
            ),
            2 => (self.x(rn) as u32 as u64, self.x(rm) as u32 as u64),
            _ => (self.x(rn), self.x(rm)),
        };
        let p = a.wrapping_mul(b);
        let acc = self.x(ra);
        let r = if sub {
            acc.wrapping_sub(p)
        } else {
            acc.wrapping_add(p)
        };
        self.set_x(rd, width(sf != 0, r));
        Ok(Step::Next)
    }

    /// RBIT/REV16/REV32/REV64/CLZ/CLS.
    #[inline(always)]
    fn dp1(&mut self, sf: u32, op: u32, rn: u32, rd: u32) -> Flow {
        let v = self.x(rn);
        let r = if sf != 0 {
            match op {
                0 => v.reverse_bits(),
                1 => ((v & 0x00ff_00ff_00ff_00ff) << 8) | ((v >> 8) & 0x00ff_00ff_00ff_00ff),
                2 => {
                    ((v as u32).swap_bytes() as u64)
                        | (((v >> 32) as u32).swap_bytes() as u64) << 32
                }
                3 => v.swap_bytes(),
                4 => v.leading_zeros() as u64,
                _ => (((v as i64) ^ ((v as i64) >> 63)) as u64).leading_zeros() as u64 - 1,
            }
        } else {
            let v = v as u32;
            (match op {
                0 => v.reverse_bits(),
                1 => ((v & 0x00ff_00ff) << 8) | ((v >> 8) & 0x00ff_00ff),
                2 => v.swap_bytes(),
                3 => return undef(),
                4 => v.leading_zeros(),
                _ => (((v as i32) ^ ((v as i32) >> 31)) as u32).leading_zeros() - 1,
            }) as u64
        };
        self.set_x(rd, r);
        Ok(Step::Next)
    }
}

impl<B: Platform> VisitDataReg for Exec<'_, B> {
    fn log_sreg(
        &mut self,
        sf: u32,
        opc: u32,
        shift: u32,
        n: u32,
        rm: u32,
        imm6: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        if sf == 0 && imm6 >= 32 {
            return undef();
        }
        let mut b = shift_reg(sf != 0, self.x(rm), shift, imm6);
        if n != 0 {
            b = !b;
        }
        let a = self.x(rn);
        let r = width(
            sf != 0,
            match opc {
                0 | 3 => a & b,
                1 => a | b,
                _ => a ^ b,
            },
        );
        if opc == 3 {
            self.cpu.pstate.nzcv = nz(sf != 0, r);
        }
        self.set_x(rd, r);
        Ok(Step::Next)
    }
    fn add_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) -> Flow {
        self.addsub_sreg(sf, false, false, shift, rm, imm6, rn, rd)
    }
    fn adds_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) -> Flow {
        self.addsub_sreg(sf, false, true, shift, rm, imm6, rn, rd)
    }
    fn sub_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) -> Flow {
        self.addsub_sreg(sf, true, false, shift, rm, imm6, rn, rd)
    }
    fn subs_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) -> Flow {
        self.addsub_sreg(sf, true, true, shift, rm, imm6, rn, rd)
    }
    fn add_ereg(
        &mut self,
        sf: u32,
        opt: u32,
        rm: u32,
        option: u32,
        imm3: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.addsub_ereg(sf, false, false, opt, rm, option, imm3, rn, rd)
    }
    fn adds_ereg(
        &mut self,
        sf: u32,
        opt: u32,
        rm: u32,
        option: u32,
        imm3: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.addsub_ereg(sf, false, true, opt, rm, option, imm3, rn, rd)
    }
    fn sub_ereg(
        &mut self,
        sf: u32,
        opt: u32,
        rm: u32,
        option: u32,
        imm3: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.addsub_ereg(sf, true, false, opt, rm, option, imm3, rn, rd)
    }
    fn subs_ereg(
        &mut self,
        sf: u32,
        opt: u32,
        rm: u32,
        option: u32,
        imm3: u32,
        rn: u32,
        rd: u32,
    ) -> Flow {
        self.addsub_ereg(sf, true, true, opt, rm, option, imm3, rn, rd)
    }
    fn adc(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.adc_sbc(sf, false, false, rm, rn, rd)
    }
    fn adcs(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.adc_sbc(sf, false, true, rm, rn, rd)
    }
    fn sbc(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.adc_sbc(sf, true, false, rm, rn, rd)
    }
    fn sbcs(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        self.adc_sbc(sf, true, true, rm, rn, rd)
    }
    /// RMIF (FEAT_FlagM): rotate Xn right and insert the selected low 4 bits into NZCV.
    fn rmif(&mut self, imm6: u32, rn: u32, mask: u32) -> Flow {
        let tmp = self.x(rn).rotate_right(imm6) as u32 & 0xf;
        let m = mask << 28;
        self.cpu.pstate.nzcv = (self.cpu.pstate.nzcv & !m) | ((tmp << 28) & m);
        Ok(Step::Next)
    }
    /// SETF8 (FEAT_FlagM): N, Z, V from an 8-bit value; C unchanged.
    fn setf8(&mut self, rn: u32) -> Flow {
        self.setf(rn, 8)
    }
    fn setf16(&mut self, rn: u32) -> Flow {
        self.setf(rn, 16)
    }
    fn ccmn_reg(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, nzcv: u32) -> Flow {
        self.ccmp(sf, false, self.x(rm), cond, rn, nzcv)
    }
    fn ccmp_reg(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, nzcv: u32) -> Flow {
        self.ccmp(sf, true, self.x(rm), cond, rn, nzcv)
    }
    fn ccmn_imm(&mut self, sf: u32, imm5: u32, cond: u32, rn: u32, nzcv: u32) -> Flow {
        self.ccmp(sf, false, imm5 as u64, cond, rn, nzcv)
    }
    fn ccmp_imm(&mut self, sf: u32, imm5: u32, cond: u32, rn: u32, nzcv: u32) -> Flow {
        self.ccmp(sf, true, imm5 as u64, cond, rn, nzcv)
    }
    fn csel(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, rd: u32) -> Flow {
        self.csel_common(sf, false, false, rm, cond, rn, rd)
    }
    fn csinc(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, rd: u32) -> Flow {
        self.csel_common(sf, false, true, rm, cond, rn, rd)
    }
    fn csinv(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, rd: u32) -> Flow {
        self.csel_common(sf, true, false, rm, cond, rn, rd)
    }
    fn csneg(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, rd: u32) -> Flow {
        self.csel_common(sf, true, true, rm, cond, rn, rd)
    }
    fn madd(&mut self, sf: u32, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.mul_acc(sf, 0, false, rm, ra, rn, rd)
    }
    fn msub(&mut self, sf: u32, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.mul_acc(sf, 0, true, rm, ra, rn, rd)
    }
    fn smaddl(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.mul_acc(1, 1, false, rm, ra, rn, rd)
    }
    fn smsubl(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.mul_acc(1, 1, true, rm, ra, rn, rd)
    }
    fn umaddl(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.mul_acc(1, 2, false, rm, ra, rn, rd)
    }
    fn umsubl(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        self.mul_acc(1, 2, true, rm, ra, rn, rd)
    }
    fn smulh(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        let p = (self.x(rn) as i64 as i128) * (self.x(rm) as i64 as i128);
        self.set_x(rd, (p >> 64) as u64);
        Ok(Step::Next)
    }
    fn umulh(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        let p = (self.x(rn) as u128) * (self.x(rm) as u128);
        self.set_x(rd, (p >> 64) as u64);
        Ok(Step::Next)
    }
    /// UDIV: division by zero gives 0 (no trap in A64).
    fn udiv(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        let (a, b) = (width(sf != 0, self.x(rn)), width(sf != 0, self.x(rm)));
        self.set_x(rd, a.checked_div(b).unwrap_or(0));
        Ok(Step::Next)
    }
    /// SDIV: division by zero gives 0; MIN / -1 wraps to MIN (RoundTowardsZero of an
    /// out-of-range result keeps its low bits).
    fn sdiv(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) -> Flow {
        let r = if sf != 0 {
            let (a, b) = (self.x(rn) as i64, self.x(rm) as i64);
            if b == 0 {
                0
            } else {
                a.wrapping_div(b) as u64
            }
        } else {
            let (a, b) = (self.x(rn) as i32, self.x(rm) as i32);
            if b == 0 {
                0
            } else {
                a.wrapping_div(b) as u32 as u64
            }
        };
        self.set_x(rd, r);
        Ok(Step::Next)
    }
    /// LSLV/LSRV/ASRV/RORV: the amount is Xm modulo the data size.
    fn shiftv(&mut self, sf: u32, rm: u32, op2: u32, rn: u32, rd: u32) -> Flow {
        let amount = (self.x(rm) & if sf != 0 { 63 } else { 31 }) as u32;
        let r = shift_reg(sf != 0, self.x(rn), op2, amount);
        self.set_x(rd, r);
        Ok(Step::Next)
    }
    /// CRC32{B,H,W,X} and CRC32C{B,H,W,X}: sf must be 1 exactly for the X form.
    fn crc32(&mut self, sf: u32, rm: u32, c: u32, sz: u32, rn: u32, rd: u32) -> Flow {
        if (sf == 1) != (sz == 3) {
            return undef();
        }
        let table = if c != 0 { &CRC32C_TABLE } else { &CRC32_TABLE };
        let mut acc = self.x(rn) as u32;
        let data = self.x(rm);
        for i in 0..(1u32 << sz) {
            let byte = (data >> (8 * i)) as u8;
            acc = table[((acc ^ byte as u32) & 0xff) as usize] ^ (acc >> 8);
        }
        self.set_x(rd, acc as u64);
        Ok(Step::Next)
    }
    fn rbit(&mut self, sf: u32, rn: u32, rd: u32) -> Flow {
        self.dp1(sf, 0, rn, rd)
    }
    fn rev16(&mut self, sf: u32, rn: u32, rd: u32) -> Flow {
        self.dp1(sf, 1, rn, rd)
    }
    fn rev32(&mut self, sf: u32, rn: u32, rd: u32) -> Flow {
        self.dp1(sf, 2, rn, rd)
    }
    fn rev64(&mut self, sf: u32, rn: u32, rd: u32) -> Flow {
        self.dp1(sf, 3, rn, rd)
    }
    fn clz(&mut self, sf: u32, rn: u32, rd: u32) -> Flow {
        self.dp1(sf, 4, rn, rd)
    }
    fn cls(&mut self, sf: u32, rn: u32, rd: u32) -> Flow {
        self.dp1(sf, 5, rn, rd)
    }
}

impl<B: Platform> Exec<'_, B> {
    fn setf(&mut self, rn: u32, bits: u32) -> Flow {
        let v = self.x(rn);
        let n = (v >> (bits - 1)) & 1;
        let z = (v & ((1u64 << bits) - 1) == 0) as u64;
        let vflag = ((v >> bits) & 1) ^ n;
        let c = self.cpu.pstate.nzcv & (1 << 29);
        self.cpu.pstate.nzcv = ((n as u32) << 31) | ((z as u32) << 30) | c | ((vflag as u32) << 28);
        Ok(Step::Next)
    }
}
