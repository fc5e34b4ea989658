//! FEAT_SHA3 (Arm ARM C7.2.12 BCAX, C7.2.42 EOR3, C7.2.260 RAX1, C7.2.460 XAR): the `sha3`
//! rows of `a64/sha3.insn`. Bitwise helpers for Keccak (FIPS 202): EOR3 computes the theta
//! column parities, RAX1 the theta D values, XAR the theta application fused with the rho
//! rotation, BCAX the chi step. All four read and write the full 128 bits.

use super::{fp_check, Exec, Flow, Step};
use crate::a64::VisitSha3;
use crate::platform::Platform;

/// Apply `f` to both 64-bit lanes of `v`.
#[inline(always)]
fn per_lane(v: u128, f: impl Fn(u64) -> u64) -> u128 {
    (f((v >> 64) as u64) as u128) << 64 | f(v as u64) as u128
}

impl<B: Platform> Exec<'_, B> {
    #[inline(always)]
    fn v128(&self, n: u32) -> u128 {
        self.cpu.vreg(n as usize)
    }
}

impl<B: Platform> VisitSha3 for Exec<'_, B> {
    fn eor3(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = self.v128(rn) ^ self.v128(rm) ^ self.v128(ra);
        self.cpu.set_v_width(rd, 128, r);
        Ok(Step::Next)
    }
    fn bcax(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        // Vn EOR (Vm AND NOT Va): note which operand is complemented (Va, not Vm).
        let r = self.v128(rn) ^ (self.v128(rm) & !self.v128(ra));
        self.cpu.set_v_width(rd, 128, r);
        Ok(Step::Next)
    }
    fn rax1(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        // Each 64-bit lane of Vm rotated left by one (not the 128-bit value).
        let r = self.v128(rn) ^ per_lane(self.v128(rm), |x| x.rotate_left(1));
        self.cpu.set_v_width(rd, 128, r);
        Ok(Step::Next)
    }
    fn xar(&mut self, rm: u32, imm6: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        // imm6 = 0 is allowed and rotates by zero (plain EOR).
        let r = per_lane(self.v128(rn) ^ self.v128(rm), |x| x.rotate_right(imm6));
        self.cpu.set_v_width(rd, 128, r);
        Ok(Step::Next)
    }
}
