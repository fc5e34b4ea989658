//! Branches (Arm ARM C4.1.87): immediate, conditional, compare/test and branch, register,
//! and ERET.

use super::{sext, undef, Exec, Flow, Step};
use crate::a64::VisitBranch;
use crate::alu::{cond_holds, width};
use crate::platform::Platform;

impl<B: Platform> Exec<'_, B> {
    #[inline(always)]
    fn jump_rel(&mut self, offset: i64) -> Flow {
        self.cpu.pc = self.cpu.pc.wrapping_add(offset as u64);
        Ok(Step::Branch)
    }

    #[inline(always)]
    fn jump_if(&mut self, taken: bool, offset: i64) -> Flow {
        if taken {
            self.jump_rel(offset)
        } else {
            Ok(Step::Next)
        }
    }
}

impl<B: Platform> VisitBranch for Exec<'_, B> {
    fn b_cond(&mut self, imm19: u32, cond: u32) -> Flow {
        let taken = cond_holds(cond, self.cpu.pstate.nzcv);
        self.jump_if(taken, sext(imm19, 19) << 2)
    }
    fn b(&mut self, imm26: u32) -> Flow {
        self.jump_rel(sext(imm26, 26) << 2)
    }
    fn bl(&mut self, imm26: u32) -> Flow {
        self.cpu.x[30] = self.cpu.pc.wrapping_add(4);
        self.jump_rel(sext(imm26, 26) << 2)
    }
    fn cbz(&mut self, sf: u32, imm19: u32, rt: u32) -> Flow {
        let taken = width(sf != 0, self.x(rt)) == 0;
        self.jump_if(taken, sext(imm19, 19) << 2)
    }
    fn cbnz(&mut self, sf: u32, imm19: u32, rt: u32) -> Flow {
        let taken = width(sf != 0, self.x(rt)) != 0;
        self.jump_if(taken, sext(imm19, 19) << 2)
    }
    fn tbz(&mut self, b5: u32, b40: u32, imm14: u32, rt: u32) -> Flow {
        let taken = (self.x(rt) >> ((b5 << 5) | b40)) & 1 == 0;
        self.jump_if(taken, sext(imm14, 14) << 2)
    }
    fn tbnz(&mut self, b5: u32, b40: u32, imm14: u32, rt: u32) -> Flow {
        let taken = (self.x(rt) >> ((b5 << 5) | b40)) & 1 != 0;
        self.jump_if(taken, sext(imm14, 14) << 2)
    }
    fn br(&mut self, rn: u32) -> Flow {
        self.cpu.pc = self.x(rn);
        Ok(Step::Branch)
    }
    fn blr(&mut self, rn: u32) -> Flow {
        let target = self.x(rn);
        self.cpu.x[30] = self.cpu.pc.wrapping_add(4);
        self.cpu.pc = target;
        Ok(Step::Branch)
    }
    fn ret(&mut self, rn: u32) -> Flow {
        self.cpu.pc = self.x(rn);
        Ok(Step::Branch)
    }
    /// ERET is UNDEFINED at EL0.
    fn eret(&mut self) -> Flow {
        if self.cpu.pstate.el == 0 {
            return undef();
        }
        let from_el = self.cpu.pstate.el;
        self.cpu.exception_return();
        let event = crate::Event::ExceptionReturn {
            from_el,
            to_el: self.cpu.pstate.el,
            pc: self.cpu.pc,
        };
        self.bus.on_event(self.cpu.cfg.index, event);
        Ok(Step::Branch)
    }
}
