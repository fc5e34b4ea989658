//! The x86-64 back end: a template compiler with `dynasmrt`. Guest registers stay in the
//! `Cpu` (r12 points at it); rbx holds the helpers' context. Inline templates cover the
//! integer data-processing rows whose semantics need no state beyond X/SP and NZCV; the
//! rest call [`helper`], which runs the interpreter's handler.

// dynasm's dynamic-register syntax (`Rq(r)`) expands to an `.into()` of the number.
#![allow(clippy::useless_conversion)]

use super::{status, Block, Jit, Outcome};
use crate::a64::{dispatch, Op};
use crate::alu::decode_bit_masks;
use crate::decode_cache::{Decoded, NO_TAG, SLOTS};
use crate::exec::Exec;
use crate::flow::{Step, Stop};
use crate::platform::Platform;
use crate::state::{Cpu, Pstate};
use dynasmrt::x64::X64Relocation;
use dynasmrt::VecAssembler;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use std::mem::offset_of;

/// Bytes of host code before the buffer is dropped and compilation starts over.
const CAPACITY: usize = 64 << 20;
/// Upper bound of one instruction's host code (a helper call is the longest).
const MAX_INSN_BYTES: usize = 400;

const X: i32 = offset_of!(Cpu, x) as i32;
const SP: i32 = offset_of!(Cpu, sp) as i32;
const PC: i32 = offset_of!(Cpu, pc) as i32;
const NZCV: i32 = (offset_of!(Cpu, pstate) + offset_of!(Pstate, nzcv)) as i32;

/// The executable buffer of one PE's JIT: one anonymous mapping, readable, writable and
/// executable, filled from the front. Blocks are assembled apart (with their final
/// address) and copied in, so adding one costs no remapping.
pub(crate) struct CodeBuffer {
    used: usize,
    /// Address of the mapping.
    pub(crate) base: usize,
}

impl CodeBuffer {
    pub(crate) fn new() -> Option<Self> {
        // SAFETY: a fresh private anonymous mapping; nothing else refers to it.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                CAPACITY,
                libc::PROT_READ | libc::PROT_WRITE | libc::PROT_EXEC,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return None;
        }
        Some(Self {
            used: 0,
            base: p as usize,
        })
    }

    /// Drop all code (the caller forgets every block).
    pub(crate) fn reset(&mut self) -> bool {
        self.used = 0;
        true
    }

    fn room_for(&self, insns: usize) -> bool {
        self.used + (insns + 4) * MAX_INSN_BYTES <= CAPACITY
    }

    /// Copy assembled `code` in (None: no room); its offset.
    fn append(&mut self, code: &[u8]) -> Option<usize> {
        let at = self.used;
        if at + code.len() > CAPACITY {
            return None;
        }
        // SAFETY: within the mapping (checked above); no compiled code runs while a
        // block is added.
        unsafe {
            std::ptr::copy_nonoverlapping(code.as_ptr(), (self.base as *mut u8).add(at), code.len())
        };
        self.used += code.len();
        Some(at)
    }
}

impl Drop for CodeBuffer {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, no longer used.
        unsafe { libc::munmap(self.base as *mut libc::c_void, CAPACITY) };
    }
}

/// Offset of `Ctx::ram` (the first field).
pub(super) const RAM: i32 = 0;

/// What compiled code and its helpers see: the RAM's host address, the CPU and bus
/// being run, and where a helper leaves its outcome.
#[repr(C)]
struct Ctx<B> {
    ram: *mut u8,
    cpu: *mut Cpu,
    bus: *mut B,
    n: Counts,
    out: Outcome,
}

/// The counters of a run of compiled code, updated in place by the code and helpers.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub(crate) struct Counts {
    /// Steps left: each block entered takes its length off (chaining stops short).
    pub(crate) left: u64,
    /// Instructions and cycles of the blocks that ran to their end.
    pub(crate) insns: u64,
    pub(crate) cycles: u64,
    /// How much of the run's instructions and cycles is retired already (before a
    /// block-ending instruction ran inside a block, or a page was linked).
    pub(crate) done_insns: u64,
    pub(crate) done_cycles: u64,
    /// Index of the block running (the last one entered).
    pub(crate) cur: u32,
}

/// At a block's end with PC on another page: link that page as the run loop would
/// (`Cpu::link_page`: pending interrupts, PSTATE.IL, alignment, translation) and return
/// the chained entry of the compiled block at PC, or 0 to go back to the run loop. With
/// no step left the run loop stops before linking, so this does nothing; an exception
/// from linking is left in the outcome for the run loop to take.
extern "sysv64" fn link_next<B: Platform>(ctx: *mut Ctx<B>) -> usize {
    // SAFETY: as in `helper`.
    let ctx = unsafe { &mut *ctx };
    let (cpu, bus) = unsafe { (&mut *ctx.cpu, &mut *ctx.bus) };
    if ctx.n.left == 0 {
        return 0;
    }
    // Counts as the run loop has them when it links (a watched walk may read them).
    let (insns, cycles) = (ctx.n.insns, ctx.n.cycles);
    commit(&mut ctx.n, cpu, insns, cycles);
    if let Err(e) = cpu.link_page(bus) {
        ctx.out.link = Some(e);
        return 0;
    }
    let (cur, i) = (cpu.dcache.cur, ((cpu.pc >> 2) & 0x3ff) as usize);
    cpu.dcache.chain[cur][i]
}

/// Retire the run's counts up to `insns` instructions and `cycles` cycles.
fn commit(n: &mut Counts, cpu: &mut Cpu, insns: u64, cycles: u64) {
    cpu.retire(insns - n.done_insns, cycles - n.done_cycles);
    (n.done_insns, n.done_cycles) = (insns, cycles);
}

/// [`helper`] for a block-ending instruction other than a branch, inside a block: the
/// counts are retired first, up to the `k` instructions of the block before it (`cycles`
/// their cycles), as the interpreter does before such an instruction (it may read them:
/// the generic timer, the PMU).
extern "sysv64" fn helper_commit<B: Platform>(
    ctx: *mut Ctx<B>,
    op: u32,
    raw: u32,
    k: u32,
    cycles: u32,
) -> u64 {
    // SAFETY: as in `helper`.
    let c = unsafe { &mut *ctx };
    let cpu = unsafe { &mut *c.cpu };
    let (insns, cycles) = (c.n.insns + k as u64, c.n.cycles + cycles as u64);
    commit(&mut c.n, cpu, insns, cycles);
    helper(ctx, op, raw)
}

/// [`helper_commit`] under `--jit-check`: a block-ending instruction may do what the
/// check cannot undo (crate::jit::check), so the run is not replayed.
extern "sysv64" fn helper_commit_checked<B: Platform>(
    ctx: *mut Ctx<B>,
    op: u32,
    raw: u32,
    k: u32,
    cycles: u32,
) -> u64 {
    // SAFETY: as in `helper`.
    unsafe { &mut *(*ctx).cpu }.jit_effect();
    helper_commit(ctx, op, raw, k, cycles)
}

/// Under `--jit-check`, before an inline store of `len` bytes at host address `at`:
/// log the old contents (crate::jit::check).
extern "sysv64" fn log_store<B: Platform>(ctx: *mut Ctx<B>, at: usize, len: u64) {
    // SAFETY: as in `helper`; `at` is inside the RAM mapping (the fast path found it).
    let ctx = unsafe { &mut *ctx };
    let (cpu, bus) = unsafe { (&mut *ctx.cpu, &*ctx.bus) };
    let ram = bus.ram();
    let off = at as u64 - ram.host_ptr() as u64;
    cpu.jit_log_store(ram, off, len);
}

const LEFT: i32 = offset_of!(Ctx<()>, n.left) as i32;
const INSNS: i32 = offset_of!(Ctx<()>, n.insns) as i32;
const CYCLES: i32 = offset_of!(Ctx<()>, n.cycles) as i32;
const CUR: i32 = offset_of!(Ctx<()>, n.cur) as i32;

/// What a run of compiled code did (see [`enter`]).
pub(crate) struct Ran {
    /// The last status (low byte) and the instruction's index in the running block.
    pub(crate) result: u64,
    pub(crate) out: Outcome,
    pub(crate) n: Counts,
}

/// Execute one instruction through the interpreter's handler, for compiled code; PC is
/// already the instruction's. Returns a [`status`] (END: go on with the block).
extern "sysv64" fn helper<B: Platform>(ctx: *mut Ctx<B>, op: u32, raw: u32) -> u64 {
    // SAFETY: compiled code passes the context `enter` made, whose pointers are live
    // and not otherwise borrowed while the block runs; `op` is an `Op` discriminant
    // taken from a decoded slot.
    let ctx = unsafe { &mut *ctx };
    let (cpu, bus) = unsafe { (&mut *ctx.cpu, &mut *ctx.bus) };
    let op: Op = unsafe { std::mem::transmute::<u16, Op>(op as u16) };
    match dispatch(&mut Exec { cpu, bus }, op, raw) {
        Ok(Step::Next) if cpu.dcache.tag != NO_TAG => status::END,
        Ok(Step::Next) => {
            cpu.pc = cpu.pc.wrapping_add(4);
            status::STOP
        }
        Ok(Step::Branch) => status::STOP,
        Err(Stop::Exc(e)) => {
            ctx.out.exc = Some(e.with_instruction(op, raw));
            status::EXC
        }
        Err(Stop::Exit(x)) => {
            cpu.pc = cpu.pc.wrapping_add(4);
            ctx.out.exit = Some(x);
            status::EXIT
        }
    }
}

/// Run compiled block `b` of the JIT whose code starts at `base`, and the blocks it
/// chains to, within `left` steps.
pub(crate) fn enter<B: Platform>(
    cpu: &mut Cpu,
    bus: &mut B,
    base: usize,
    b: &Block,
    left: u64,
) -> Ran {
    type Entry<B> = extern "sysv64" fn(*mut Ctx<B>, *mut Cpu) -> u64;
    // SAFETY: `b.code` is the offset of a committed function with this signature.
    let f: Entry<B> = unsafe { std::mem::transmute(base + b.code) };
    let mut ctx = Ctx {
        ram: bus.ram().host_ptr(),
        cpu: cpu as *mut Cpu,
        bus: bus as *mut B,
        n: Counts {
            left,
            ..Counts::default()
        },
        out: Outcome {
            exc: None,
            exit: None,
            link: None,
        },
    };
    let cpu_ptr = ctx.cpu;
    let result = f(&mut ctx, cpu_ptr);
    Ran {
        result,
        out: ctx.out,
        n: ctx.n,
    }
}

pub(super) type Ops = VecAssembler<X64Relocation>;

/// Offset of X`n`, or of SP when `n` is 31 and `sp` says it names SP.
pub(super) fn reg_off(n: u32, sp: bool) -> i32 {
    if n == 31 && sp {
        SP
    } else {
        X + 8 * n as i32
    }
}

/// Host register `r` = X`n` (XZR reads 0; SP when `sp`).
pub(super) fn load(o: &mut Ops, r: u8, n: u32, sp: bool) {
    if n == 31 && !sp {
        dynasm!(o ; .arch x64 ; xor Rd(r), Rd(r));
    } else {
        let off = reg_off(n, sp);
        dynasm!(o ; .arch x64 ; mov Rq(r), QWORD [r12 + off]);
    }
}

/// X`d` = host register `r` (writes to XZR are discarded; SP when `sp`).
fn store(o: &mut Ops, r: u8, d: u32, sp: bool) {
    if d == 31 && !sp {
        return;
    }
    let off = reg_off(d, sp);
    dynasm!(o ; .arch x64 ; mov QWORD [r12 + off], Rq(r));
}

/// PSTATE.NZCV from the host flags of the last arithmetic instruction (C inverted for
/// subtractions: Arm's carry is NOT borrow). Only flag-neutral instructions may come
/// between that instruction and this.
fn flags(o: &mut Ops, sub: bool) {
    dynasm!(o ; .arch x64 ; sets cl ; sete dl ; seto r9b);
    if sub {
        dynasm!(o ; .arch x64 ; setae r8b);
    } else {
        dynasm!(o ; .arch x64 ; setb r8b);
    }
    dynasm!(o ; .arch x64
        ; movzx ecx, cl ; movzx edx, dl ; movzx r8d, r8b ; movzx r9d, r9b
        ; shl ecx, 31 ; shl edx, 30 ; shl r8d, 29 ; shl r9d, 28
        ; or ecx, edx ; or ecx, r8d ; or ecx, r9d
        ; mov DWORD [r12 + NZCV], ecx
    );
}

/// Host register 1 (rcx) = `v`.
fn const_rcx(o: &mut Ops, v: u64) {
    if v <= u32::MAX as u64 {
        dynasm!(o ; .arch x64 ; mov ecx, v as u32 as i32);
    } else {
        dynasm!(o ; .arch x64 ; mov rcx, QWORD v as i64);
    }
}

/// rcx shifted by `ty` (LSL/LSR/ASR/ROR) and `amount`, in `sf`'s width.
fn shift_rcx(o: &mut Ops, sf: bool, ty: u32, amount: u32) {
    if amount == 0 {
        return;
    }
    let a = amount as i8;
    match (sf, ty) {
        (true, 0) => dynasm!(o ; .arch x64 ; shl rcx, a),
        (true, 1) => dynasm!(o ; .arch x64 ; shr rcx, a),
        (true, 2) => dynasm!(o ; .arch x64 ; sar rcx, a),
        (true, _) => dynasm!(o ; .arch x64 ; ror rcx, a),
        (false, 0) => dynasm!(o ; .arch x64 ; shl ecx, a),
        (false, 1) => dynasm!(o ; .arch x64 ; shr ecx, a),
        (false, 2) => dynasm!(o ; .arch x64 ; sar ecx, a),
        (false, _) => dynasm!(o ; .arch x64 ; ror ecx, a),
    }
}

/// The two-operand ALU operations of the inline templates.
#[derive(Clone, Copy)]
enum Alu {
    Add,
    Sub,
    And,
    Or,
    Xor,
}

/// rax = rax `op` rcx in `sf`'s width (setting the host flags).
fn alu(o: &mut Ops, sf: bool, op: Alu) {
    match (sf, op) {
        (true, Alu::Add) => dynasm!(o ; .arch x64 ; add rax, rcx),
        (true, Alu::Sub) => dynasm!(o ; .arch x64 ; sub rax, rcx),
        (true, Alu::And) => dynasm!(o ; .arch x64 ; and rax, rcx),
        (true, Alu::Or) => dynasm!(o ; .arch x64 ; or rax, rcx),
        (true, Alu::Xor) => dynasm!(o ; .arch x64 ; xor rax, rcx),
        (false, Alu::Add) => dynasm!(o ; .arch x64 ; add eax, ecx),
        (false, Alu::Sub) => dynasm!(o ; .arch x64 ; sub eax, ecx),
        (false, Alu::And) => dynasm!(o ; .arch x64 ; and eax, ecx),
        (false, Alu::Or) => dynasm!(o ; .arch x64 ; or eax, ecx),
        (false, Alu::Xor) => dynasm!(o ; .arch x64 ; xor eax, ecx),
    }
}

/// rax = rax rotated right by `n` in `sf`'s width.
fn ror_rax(o: &mut Ops, sf: bool, n: u32) {
    if n == 0 {
        if !sf {
            dynasm!(o ; .arch x64 ; mov eax, eax);
        }
        return;
    }
    if sf {
        dynasm!(o ; .arch x64 ; ror rax, n as i8);
    } else {
        dynasm!(o ; .arch x64 ; ror eax, n as i8);
    }
}

/// Emit `d` (at `pc`) inline, if a template covers it (with these field values).
fn inline(o: &mut Ops, d: &Decoded, pc: u64) -> bool {
    let raw = d.raw;
    let f = |lsb: u32, bits: u32| (raw >> lsb) & ((1 << bits) - 1);
    let (sf, rd, rn, rm) = (f(31, 1) != 0, f(0, 5), f(5, 5), f(16, 5));
    let width = |v: u64| if sf { v } else { v as u32 as u64 };
    match d.op {
        Op::ADR | Op::ADRP => {
            let imm = crate::exec::sext((f(5, 19) << 2) | f(29, 2), 21);
            let v = if d.op == Op::ADR {
                pc.wrapping_add(imm as u64)
            } else {
                (pc & !0xfff).wrapping_add((imm << 12) as u64)
            };
            dynasm!(o ; .arch x64 ; mov rax, QWORD v as i64);
            store(o, 0, rd, false);
        }
        Op::ADD_imm | Op::ADDS_imm | Op::SUB_imm | Op::SUBS_imm => {
            let sub = matches!(d.op, Op::SUB_imm | Op::SUBS_imm);
            let setflags = matches!(d.op, Op::ADDS_imm | Op::SUBS_imm);
            let imm = (f(10, 12) << (12 * f(22, 1))) as i32;
            load(o, 0, rn, true);
            match (sf, sub) {
                (true, false) => dynasm!(o ; .arch x64 ; add rax, imm),
                (true, true) => dynasm!(o ; .arch x64 ; sub rax, imm),
                (false, false) => dynasm!(o ; .arch x64 ; add eax, imm),
                (false, true) => dynasm!(o ; .arch x64 ; sub eax, imm),
            }
            store(o, 0, rd, !setflags);
            if setflags {
                flags(o, sub);
            }
        }
        Op::ADD_sreg | Op::ADDS_sreg | Op::SUB_sreg | Op::SUBS_sreg => {
            let (shift, imm6) = (f(22, 2), f(10, 6));
            if shift == 3 || (!sf && imm6 >= 32) {
                return false;
            }
            let sub = matches!(d.op, Op::SUB_sreg | Op::SUBS_sreg);
            load(o, 0, rn, false);
            load(o, 1, rm, false);
            shift_rcx(o, sf, shift, imm6);
            alu(o, sf, if sub { Alu::Sub } else { Alu::Add });
            store(o, 0, rd, false);
            if matches!(d.op, Op::ADDS_sreg | Op::SUBS_sreg) {
                flags(o, sub);
            }
        }
        Op::LOG_sreg => {
            let (opc, shift, n, imm6) = (f(29, 2), f(22, 2), f(21, 1), f(10, 6));
            if !sf && imm6 >= 32 {
                return false;
            }
            load(o, 0, rn, false);
            load(o, 1, rm, false);
            shift_rcx(o, sf, shift, imm6);
            if n != 0 {
                if sf {
                    dynasm!(o ; .arch x64 ; not rcx);
                } else {
                    dynasm!(o ; .arch x64 ; not ecx);
                }
            }
            let op = [Alu::And, Alu::Or, Alu::Xor, Alu::And][opc as usize];
            alu(o, sf, op);
            store(o, 0, rd, false);
            if opc == 3 {
                flags(o, false);
            }
        }
        Op::AND_imm | Op::ORR_imm | Op::EOR_imm | Op::ANDS_imm => {
            let (n, immr, imms) = (f(22, 1), f(16, 6), f(10, 6));
            if !sf && n != 0 {
                return false;
            }
            let Some((imm, _)) = decode_bit_masks(n, imms, immr, true, if sf { 64 } else { 32 })
            else {
                return false;
            };
            let (op, s) = match d.op {
                Op::AND_imm => (Alu::And, false),
                Op::ORR_imm => (Alu::Or, false),
                Op::EOR_imm => (Alu::Xor, false),
                _ => (Alu::And, true),
            };
            load(o, 0, rn, false);
            const_rcx(o, width(imm));
            alu(o, sf, op);
            store(o, 0, rd, !s);
            if s {
                flags(o, false);
            }
        }
        Op::MOVN | Op::MOVZ | Op::MOVK => {
            let hw = f(21, 2);
            if !sf && hw >= 2 {
                return false;
            }
            let pos = hw * 16;
            let imm = (f(5, 16) as u64) << pos;
            match d.op {
                Op::MOVN => dynasm!(o ; .arch x64 ; mov rax, QWORD width(!imm) as i64),
                Op::MOVZ => dynasm!(o ; .arch x64 ; mov rax, QWORD imm as i64),
                _ => {
                    load(o, 0, rd, false);
                    const_rcx(o, width(!(0xffffu64 << pos)));
                    dynasm!(o ; .arch x64 ; and rax, rcx);
                    const_rcx(o, imm);
                    dynasm!(o ; .arch x64 ; or rax, rcx);
                }
            }
            store(o, 0, rd, false);
        }
        Op::SBFM | Op::BFM | Op::UBFM => {
            let (n, immr, imms) = (f(22, 1), f(16, 6), f(10, 6));
            if sf != (n != 0) || (!sf && (immr >= 32 || imms >= 32)) {
                return false;
            }
            let Some((wmask, tmask)) =
                decode_bit_masks(n, imms, immr, false, if sf { 64 } else { 32 })
            else {
                return false;
            };
            load(o, 0, rn, false);
            match d.op {
                Op::UBFM => {
                    ror_rax(o, sf, immr);
                    const_rcx(o, wmask & tmask);
                    dynasm!(o ; .arch x64 ; and rax, rcx);
                }
                Op::SBFM => {
                    // top = all ones if src<imms> is set; (top & !tmask) | (ror & wmask & tmask)
                    dynasm!(o ; .arch x64 ; mov rdx, rax);
                    ror_rax(o, sf, immr);
                    const_rcx(o, wmask & tmask);
                    dynasm!(o ; .arch x64
                        ; and rax, rcx
                        ; bt rdx, imms as i8
                        ; sbb rdx, rdx
                    );
                    const_rcx(o, width(!tmask));
                    dynasm!(o ; .arch x64 ; and rdx, rcx ; or rax, rdx);
                }
                _ => {
                    // dst = Xd; bot = (dst & !wmask) | (ror & wmask);
                    // r = (dst & !tmask) | (bot & tmask)
                    ror_rax(o, sf, immr);
                    load(o, 2, rd, false);
                    const_rcx(o, wmask);
                    dynasm!(o ; .arch x64 ; and rax, rcx ; not rcx ; and rcx, rdx ; or rax, rcx);
                    const_rcx(o, tmask);
                    dynasm!(o ; .arch x64 ; and rax, rcx ; not rcx ; and rcx, rdx ; or rax, rcx);
                }
            }
            if !sf {
                dynasm!(o ; .arch x64 ; mov eax, eax);
            }
            store(o, 0, rd, false);
        }
        Op::CSEL | Op::CSINC | Op::CSINV | Op::CSNEG => {
            cond(o, f(12, 4));
            dynasm!(o ; .arch x64 ; mov r8d, ecx);
            load(o, 0, rn, false);
            load(o, 2, rm, false);
            if matches!(d.op, Op::CSINV | Op::CSNEG) {
                dynasm!(o ; .arch x64 ; not rdx);
            }
            if matches!(d.op, Op::CSINC | Op::CSNEG) {
                dynasm!(o ; .arch x64 ; add rdx, 1);
            }
            dynasm!(o ; .arch x64 ; test r8d, r8d ; cmovz rax, rdx);
            if !sf {
                dynasm!(o ; .arch x64 ; mov eax, eax);
            }
            store(o, 0, rd, false);
        }
        Op::CCMN_reg | Op::CCMP_reg | Op::CCMN_imm | Op::CCMP_imm => {
            let sub = matches!(d.op, Op::CCMP_reg | Op::CCMP_imm);
            let nzcv = (f(0, 4) << 28) as i32;
            cond(o, f(12, 4));
            dynasm!(o ; .arch x64
                ; test ecx, ecx
                ; jnz >holds
                ; mov DWORD [r12 + NZCV], nzcv
                ; jmp >done
                ; holds:
            );
            load(o, 0, rn, false);
            if matches!(d.op, Op::CCMN_imm | Op::CCMP_imm) {
                dynasm!(o ; .arch x64 ; mov ecx, rm as i32);
            } else {
                load(o, 1, rm, false);
            }
            alu(o, sf, if sub { Alu::Sub } else { Alu::Add });
            flags(o, sub);
            dynasm!(o ; .arch x64 ; done:);
        }
        Op::ADD_ereg | Op::ADDS_ereg | Op::SUB_ereg | Op::SUBS_ereg => {
            let (opt, option, imm3) = (f(22, 2), f(13, 3), f(10, 3));
            if opt != 0 || imm3 > 4 {
                return false;
            }
            let sub = matches!(d.op, Op::SUB_ereg | Op::SUBS_ereg);
            let setflags = matches!(d.op, Op::ADDS_ereg | Op::SUBS_ereg);
            load(o, 0, rn, true);
            load(o, 1, rm, false);
            match option {
                0 => dynasm!(o ; .arch x64 ; movzx ecx, cl),
                1 => dynasm!(o ; .arch x64 ; movzx ecx, cx),
                2 => dynasm!(o ; .arch x64 ; mov ecx, ecx),
                4 => dynasm!(o ; .arch x64 ; movsx rcx, cl),
                5 => dynasm!(o ; .arch x64 ; movsx rcx, cx),
                6 => dynasm!(o ; .arch x64 ; movsxd rcx, ecx),
                _ => {}
            }
            if imm3 != 0 {
                dynasm!(o ; .arch x64 ; shl rcx, imm3 as i8);
            }
            alu(o, sf, if sub { Alu::Sub } else { Alu::Add });
            store(o, 0, rd, !setflags);
            if setflags {
                flags(o, sub);
            }
        }
        Op::MADD | Op::MSUB | Op::SMADDL | Op::SMSUBL | Op::UMADDL | Op::UMSUBL => {
            // Xd = Xa +/- Xn * Xm (the L forms: 32-bit operands sign- or zero-extended).
            let ra = f(10, 5);
            load(o, 0, rn, false);
            load(o, 1, rm, false);
            match d.op {
                Op::SMADDL | Op::SMSUBL => {
                    dynasm!(o ; .arch x64 ; movsxd rax, eax ; movsxd rcx, ecx)
                }
                Op::UMADDL | Op::UMSUBL => dynasm!(o ; .arch x64 ; mov eax, eax ; mov ecx, ecx),
                _ => {}
            }
            load(o, 2, ra, false);
            dynasm!(o ; .arch x64 ; imul rax, rcx);
            if matches!(d.op, Op::MSUB | Op::SMSUBL | Op::UMSUBL) {
                dynasm!(o ; .arch x64 ; sub rdx, rax ; mov rax, rdx);
            } else {
                dynasm!(o ; .arch x64 ; add rax, rdx);
            }
            if !sf && matches!(d.op, Op::MADD | Op::MSUB) {
                dynasm!(o ; .arch x64 ; mov eax, eax);
            }
            store(o, 0, rd, false);
        }
        Op::SMULH | Op::UMULH => {
            load(o, 0, rn, false);
            load(o, 1, rm, false);
            if d.op == Op::SMULH {
                dynasm!(o ; .arch x64 ; imul rcx);
            } else {
                dynasm!(o ; .arch x64 ; mul rcx);
            }
            store(o, 2, rd, false);
        }
        Op::B | Op::BL => {
            let target = pc.wrapping_add((crate::exec::sext(f(0, 26), 26) << 2) as u64);
            if d.op == Op::BL {
                dynasm!(o ; .arch x64 ; mov rax, QWORD pc.wrapping_add(4) as i64);
                store(o, 0, 30, false);
            }
            dynasm!(o ; .arch x64 ; mov rax, QWORD target as i64 ; mov QWORD [r12 + PC], rax);
        }
        Op::BR | Op::BLR | Op::RET => {
            load(o, 0, rn, false);
            if d.op == Op::BLR {
                dynasm!(o ; .arch x64 ; mov rcx, QWORD pc.wrapping_add(4) as i64);
                store(o, 1, 30, false);
            }
            dynasm!(o ; .arch x64 ; mov QWORD [r12 + PC], rax);
        }
        Op::B_cond | Op::CBZ | Op::CBNZ | Op::TBZ | Op::TBNZ => {
            // ecx = 1 when the branch is taken; the offset's field and width.
            let (imm, bits) = match d.op {
                Op::B_cond => {
                    cond(o, f(0, 4));
                    (f(5, 19), 19)
                }
                Op::CBZ | Op::CBNZ => {
                    load(o, 0, rd, false);
                    dynasm!(o ; .arch x64 ; xor ecx, ecx);
                    if sf {
                        dynasm!(o ; .arch x64 ; test rax, rax);
                    } else {
                        dynasm!(o ; .arch x64 ; test eax, eax);
                    }
                    if d.op == Op::CBZ {
                        dynasm!(o ; .arch x64 ; sete cl);
                    } else {
                        dynasm!(o ; .arch x64 ; setne cl);
                    }
                    (f(5, 19), 19)
                }
                _ => {
                    let bit = (f(31, 1) << 5) | f(19, 5);
                    load(o, 0, rd, false);
                    dynasm!(o ; .arch x64 ; xor ecx, ecx ; bt rax, bit as i8);
                    if d.op == Op::TBNZ {
                        dynasm!(o ; .arch x64 ; setc cl);
                    } else {
                        dynasm!(o ; .arch x64 ; setnc cl);
                    }
                    (f(5, 14), 14)
                }
            };
            let target = pc.wrapping_add((crate::exec::sext(imm, bits) << 2) as u64);
            dynasm!(o ; .arch x64
                ; mov rax, QWORD pc.wrapping_add(4) as i64
                ; mov rdx, QWORD target as i64
                ; test ecx, ecx
                ; cmovnz rax, rdx
                ; mov QWORD [r12 + PC], rax
            );
        }
        _ => return false,
    }
    true
}

/// ecx = 1 if ConditionHolds(`cond`) for PSTATE.NZCV (N bit 31, Z 30, C 29, V 28), else 0.
fn cond(o: &mut Ops, cond: u32) {
    dynasm!(o ; .arch x64 ; mov eax, DWORD [r12 + NZCV]);
    match cond >> 1 {
        // EQ, CS, MI, VS: one flag.
        0 => dynasm!(o ; .arch x64 ; mov ecx, eax ; shr ecx, 30),
        1 => dynasm!(o ; .arch x64 ; mov ecx, eax ; shr ecx, 29),
        2 => dynasm!(o ; .arch x64 ; mov ecx, eax ; shr ecx, 31),
        3 => dynasm!(o ; .arch x64 ; mov ecx, eax ; shr ecx, 28),
        // HI: C and not Z.
        4 => dynasm!(o ; .arch x64
            ; mov ecx, eax ; shr ecx, 29 ; mov edx, eax ; shr edx, 30 ; not edx ; and ecx, edx),
        // GE: N = V.
        5 => dynasm!(o ; .arch x64
            ; mov ecx, eax ; shr ecx, 31 ; mov edx, eax ; shr edx, 28 ; xor ecx, edx ; not ecx),
        // GT: N = V and not Z.
        6 => dynasm!(o ; .arch x64
            ; mov ecx, eax ; shr ecx, 31 ; mov edx, eax ; shr edx, 28 ; xor ecx, edx
            ; mov edx, eax ; shr edx, 30 ; or ecx, edx ; not ecx),
        // AL (and NV, which A64 treats as AL).
        _ => dynasm!(o ; .arch x64 ; mov ecx, 1),
    }
    dynasm!(o ; .arch x64 ; and ecx, 1);
    if cond & 1 == 1 && cond != 0xf {
        dynasm!(o ; .arch x64 ; xor ecx, 1);
    }
}

/// Compile the `len` instructions of `page` from slot `first` (virtual address `va`) into
/// a block; None when the buffer is full (the caller drops every block and retries).
pub(crate) fn compile<B: Platform>(
    jit: &mut Jit,
    page: &[Decoded],
    first: usize,
    len: usize,
    va: u64,
    chain: &[usize; SLOTS],
) -> Option<Block> {
    if !jit.code.room_for(len) {
        return None;
    }
    let start = jit.code.used;
    let checked = jit.check.is_some();
    let mut asm = Ops::new(jit.code.base + start);
    let o = &mut asm;
    let out = o.new_dynamic_label();
    let bail = o.new_dynamic_label();
    let idx = jit.blocks.len() as i32;
    // From the run loop: the prologue, then as from another block (rax = PC).
    dynasm!(o ; .arch x64
        ; push rbx ; push r12 ; push r13
        ; mov rbx, rdi ; mov r12, rsi
        ; mov rax, QWORD [r12 + PC]
    );
    // The chained entry: another block jumps here with rax = PC (stored). The block was
    // compiled for one VA of its page, and runs only if its whole length fits the steps
    // left; otherwise back to the run loop, which interprets.
    let entry = o.offset().0;
    dynasm!(o ; .arch x64
        ; mov rdx, QWORD va as i64
        ; cmp rax, rdx
        ; jne =>bail
        ; mov rdx, QWORD [rbx + LEFT]
        ; cmp rdx, len as i32
        ; jb =>bail
        ; sub rdx, len as i32
        ; mov QWORD [rbx + LEFT], rdx
        ; mov DWORD [rbx + CUR], idx
    );
    let mut cycles = 0u64;
    let prefix = jit.prefix.len() as u32;
    for (k, d) in page[first..first + len].iter().enumerate() {
        let pc = va.wrapping_add(4 * k as u64);
        let before = cycles;
        jit.prefix.push(before as u32);
        cycles += d.cost as u64;
        if inline(o, d, pc) {
            continue;
        }
        let slow = o.new_dynamic_label();
        let log = checked.then_some(log_store::<B> as *const () as i64);
        let done = super::x64_mem::inline_mem(o, d, slow, log).then(|| {
            let done = o.new_dynamic_label();
            dynasm!(o ; .arch x64 ; jmp =>done ; =>slow);
            done
        });
        let ends = d.flags & crate::a64::opflag::ENDS_BLOCK != 0;
        let h = if ends && checked {
            helper_commit_checked::<B> as *const () as i64
        } else if ends {
            helper_commit::<B> as *const () as i64
        } else {
            helper::<B> as *const () as i64
        };
        dynasm!(o ; .arch x64
            ; mov rax, QWORD pc as i64
            ; mov QWORD [r12 + PC], rax
            ; mov rdi, rbx
            ; mov esi, d.op as u16 as i32
            ; mov edx, d.raw as i32
            ; mov ecx, k as i32
            ; mov r8d, before as i32
            ; mov rax, QWORD h
            ; call rax
            ; test rax, rax
            ; jz >next
            ; or rax, (k as i32) << 8
            ; jmp =>out
            ; next:
        );
        if let Some(done) = done {
            dynasm!(o ; .arch x64 ; =>done);
        }
    }
    if !super::is_branch(page[first + len - 1].op) {
        let end = va.wrapping_add(4 * len as u64);
        dynasm!(o ; .arch x64 ; mov rax, QWORD end as i64 ; mov QWORD [r12 + PC], rax);
    }
    // rax = PC. Count the block, then chain to the next one if it is compiled: on this
    // page (the linked page: no helper in this block unlinked it, or it would have
    // stopped) through the page's entry table, on another through `link_next`; else
    // back to the run loop.
    let page_va = (va & !0xfff) as i64;
    dynasm!(o ; .arch x64
        ; add QWORD [rbx + INSNS], len as i32
        ; add QWORD [rbx + CYCLES], cycles as i32
        ; mov rdx, rax
        ; and rdx, -4093
        ; mov rcx, QWORD page_va
        ; cmp rdx, rcx
        ; jne >cross
        ; mov edx, eax
        ; shr edx, 2
        ; and edx, 0x3ff
        ; mov rcx, QWORD chain.as_ptr() as i64
        ; mov rcx, QWORD [rcx + rdx * 8]
        ; test rcx, rcx
        ; jz =>bail
        ; jmp rcx
        ; cross:
        ; mov rdi, rbx
        ; mov rax, QWORD link_next::<B> as *const () as i64
        ; call rax
        ; test rax, rax
        ; jz =>bail
        ; mov rcx, rax
        ; mov rax, QWORD [r12 + PC]
        ; jmp rcx
        ; =>bail
        ; mov eax, status::END as i32
        ; =>out
        ; pop r13 ; pop r12 ; pop rbx
        ; ret
    );
    jit.prefix.push(cycles as u32);
    let code = asm.finalize().ok()?;
    jit.code.append(&code)?;
    jit.stats.code_bytes += code.len() as u64;
    Some(Block {
        code: start,
        entry: jit.code.base + start + entry,
        va,
        len: len as u32,
        prefix,
    })
}
