//! Instruction handlers: one file per group of `a64.insn`, each implementing that group's
//! visitor trait for [`Exec`], a CPU borrowed together with its bus.
// Handlers take one argument per encoding field (see a64.insn), so some take eight.
#![allow(clippy::too_many_arguments)]

mod atomic;
mod branch;
mod crypto;
mod data_imm;
mod data_reg;
mod fp;
mod ldst;
mod mte;
mod sha3;
mod sha512;
mod simd_fp;
mod simd_fp_ext;
mod simd_int;
mod simd_ldst;
mod simd_mov;
mod sysop;
mod system;
mod vreg;

use crate::a64::VisitBase;
use crate::exc::Exc;
pub(crate) use crate::flow::{Flow, Step, Stop};
use crate::platform::Platform;
use crate::state::Cpu;
use crate::syndrome::Syndrome;

/// A CPU and the bus it executes against, for the duration of one instruction.
pub(crate) struct Exec<'a, B: Platform> {
    pub cpu: &'a mut Cpu,
    pub bus: &'a mut B,
}

/// UNDEFINED (the common answer of reserved field values).
#[inline(always)]
pub(crate) fn undef() -> Flow {
    Err(Stop::Exc(Exc::undefined()))
}

/// Check that FP/SIMD instructions may execute here; otherwise the EC 0x07 trap (ISS 0
/// for AArch64: no condition code). Every FP/SIMD handler calls this first.
#[inline(always)]
pub(crate) fn fp_check(cpu: &Cpu) -> Result<(), Stop> {
    match cpu.fp_trap_target() {
        None => Ok(()),
        Some(el) => Err(Stop::Exc(Exc::sync(Syndrome::FpAccess).to(el))),
    }
}

/// Sign-extend the low `bits` bits of `v`.
#[inline(always)]
pub(crate) fn sext(v: u32, bits: u32) -> i64 {
    ((v as i64) << (64 - bits)) >> (64 - bits)
}

impl<B: Platform> Exec<'_, B> {
    /// Xn, or SP when n = 31 (for the encodings where register 31 means SP).
    #[inline(always)]
    fn xsp(&self, n: u32) -> u64 {
        if n == 31 {
            self.cpu.sp
        } else {
            self.cpu.x[n as usize]
        }
    }

    /// Write Xd, or SP when d = 31.
    #[inline(always)]
    fn set_xsp(&mut self, d: u32, v: u64) {
        if d == 31 {
            self.cpu.sp = v
        } else {
            self.cpu.x[d as usize] = v
        }
    }

    /// Xn (31 = XZR).
    #[inline(always)]
    fn x(&self, n: u32) -> u64 {
        self.cpu.x[n as usize]
    }

    /// Write Xd (31 = XZR, discarded).
    #[inline(always)]
    fn set_x(&mut self, d: u32, v: u64) {
        self.cpu.set_xreg(d as usize, v)
    }
}

impl<B: Platform> VisitBase for Exec<'_, B> {
    type Out = Flow;

    fn unallocated(&mut self, raw: u32) -> Flow {
        log_undefined(self.cpu, format_args!("instruction {raw:#010x}"));
        undef()
    }
}

/// Tell the user that the guest hit an encoding hypsim treats as UNDEFINED (unallocated,
/// or not implemented yet): a warning the first time each PC does it (counted after
/// that, summarised at exit), and every time with `--trace undef`.
#[cold]
pub(crate) fn log_undefined(cpu: &mut Cpu, what: std::fmt::Arguments) {
    let pc = cpu.pc;
    cpu.warn_once(
        crate::warn::WarnKind::Undefined,
        format_args!("UNDEFINED {what} (unallocated, or not implemented by hypsim): taking the exception in the guest"),
    );
    tracing::debug!(target: "hypsim::undef", pc = format_args!("{pc:#x}"), "UNDEFINED {what}");
}
