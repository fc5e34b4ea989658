//! Inline loads and stores for the x86-64 back end: the memory fast path of
//! crate::fast_tlb in host code (one compare of the access's tag with the current
//! table's entry, one add of the entry's addend and the RAM's host address). Anything
//! else — a miss, an SP that is not 16-byte aligned, a flagged page — jumps to the
//! instruction's slow path, which runs the interpreter's handler from the start, so
//! nothing is done twice: every check comes before the first access or register write.

// dynasm's dynamic-register syntax (`Rq(r)`) expands to an `.into()` of the number.
#![allow(clippy::useless_conversion)]

use super::x64::{load, reg_off, Ops, RAM};
use crate::a64::Op;
use crate::decode_cache::Decoded;
use crate::fast_tlb::{Entry, ENTRIES};
use crate::state::Cpu;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use std::mem::{offset_of, size_of};

const TABLE: i32 = (offset_of!(Cpu, fast) + offset_of!(crate::fast_tlb::FastTlb, cur_table)) as i32;
const E_READ: i32 = offset_of!(Entry, read) as i32;
const E_WRITE: i32 = offset_of!(Entry, write) as i32;
const E_ADDEND: i32 = offset_of!(Entry, addend) as i32;
const E_SIZE: i32 = size_of::<Entry>() as i32;

/// What one access does with its register.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Store,
    Load,
    /// Load, sign-extended to 64 bits.
    LoadS64,
    /// Load, sign-extended to 32 bits (upper half zero).
    LoadS32,
}

/// The accesses of a load/store row that has an inline fast path.
struct Access {
    kind: Kind,
    /// log2 of the access size.
    size: u32,
    rt: u32,
    /// Second register of a pair.
    rt2: Option<u32>,
    rn: u32,
    /// Offset added to the base: a constant, or an extended register.
    offset: Offset,
    /// Post-index: the access is at the base, the base is written back.
    post: bool,
    wback: bool,
}

enum Offset {
    Imm(i64),
    /// Xm extended by option (UXTW, LSL, SXTW, SXTX), shifted by the amount.
    Reg {
        rm: u32,
        option: u32,
        shift: u32,
    },
}

/// Same as the interpreter's `classify`, without prefetches (run by the handler).
fn classify(size: u32, opc: u32) -> Option<Kind> {
    Some(match (opc, size) {
        (0, _) => Kind::Store,
        (1, _) => Kind::Load,
        (2, 0..=2) => Kind::LoadS64,
        (3, 0 | 1) => Kind::LoadS32,
        _ => return None,
    })
}

/// The inline form of `d`, if its row has one.
fn access(d: &Decoded) -> Option<Access> {
    let raw = d.raw;
    let f = |lsb: u32, bits: u32| (raw >> lsb) & ((1 << bits) - 1);
    let (size, opc, rn, rt) = (f(30, 2), f(22, 2), f(5, 5), f(0, 5));
    let single = |offset, post, wback| {
        Some(Access {
            kind: classify(size, opc)?,
            size,
            rt,
            rt2: None,
            rn,
            offset,
            post,
            wback,
        })
    };
    match d.op {
        Op::LDST_uimm => single(Offset::Imm((f(10, 12) as i64) << size), false, false),
        Op::LDST_imm9 => {
            let (imm, idx) = (crate::exec::sext(f(12, 9), 9), f(10, 2));
            match idx {
                0 => single(Offset::Imm(imm), false, false),
                1 => single(Offset::Imm(imm), true, true),
                3 => single(Offset::Imm(imm), false, true),
                _ => None, // LDTR/STTR: unprivileged, through the handler
            }
        }
        Op::LDST_reg => {
            let (rm, option, s) = (f(16, 5), f(13, 3), f(12, 1));
            if option & 2 == 0 {
                return None;
            }
            let shift = if s != 0 { size } else { 0 };
            single(Offset::Reg { rm, option, shift }, false, false)
        }
        Op::LDSTP => {
            let (opc, idx, l) = (f(30, 2), f(23, 2), f(22, 1));
            let (size, kind) = match (opc, l) {
                (0, 0) => (2, Kind::Store),
                (0, 1) => (2, Kind::Load),
                (1, 1) if idx != 0 => (2, Kind::LoadS64),
                (2, 0) => (3, Kind::Store),
                (2, 1) => (3, Kind::Load),
                _ => return None,
            };
            let imm = crate::exec::sext(f(15, 7), 7) << size;
            Some(Access {
                kind,
                size,
                rt,
                rt2: Some(f(10, 5)),
                rn,
                offset: Offset::Imm(imm),
                post: idx == 1,
                wback: idx & 1 == 1,
            })
        }
        _ => None,
    }
}

/// rax (a VA) → rax (its host address), through the fast table, or jump to `slow`.
/// Clobbers rcx and rdx.
fn translate(o: &mut Ops, size: u32, write: bool, slow: DynamicLabel) {
    // The tag keeps the page bits and the misalignment bits: the table's own tag of an
    // all-ones address is the mask.
    let mask = crate::fast_tlb::tag(u64::MAX, 1 << size) as i64 as i32;
    let tag = if write { E_WRITE } else { E_READ };
    dynasm!(o ; .arch x64
        ; mov rdx, rax
        ; and rdx, mask
        ; mov rcx, rax
        ; shr rcx, 12
        ; and ecx, (ENTRIES - 1) as i32
        ; imul ecx, ecx, E_SIZE
        ; add rcx, QWORD [r12 + TABLE]
        ; cmp rdx, QWORD [rcx + tag]
        ; jne =>slow
        ; add rax, QWORD [rcx + E_ADDEND]
        ; add rax, QWORD [rbx + RAM]
    );
}

/// ecx/rcx = the value a load of `kind` and `size` reads at [rax].
fn read(o: &mut Ops, kind: Kind, size: u32, at: u8) {
    match (kind, size) {
        (Kind::LoadS64, 0) => dynasm!(o ; .arch x64 ; movsx rcx, BYTE [Rq(at)]),
        (Kind::LoadS64, 1) => dynasm!(o ; .arch x64 ; movsx rcx, WORD [Rq(at)]),
        (Kind::LoadS64, _) => dynasm!(o ; .arch x64 ; movsxd rcx, DWORD [Rq(at)]),
        (Kind::LoadS32, 0) => dynasm!(o ; .arch x64 ; movsx ecx, BYTE [Rq(at)]),
        (Kind::LoadS32, _) => dynasm!(o ; .arch x64 ; movsx ecx, WORD [Rq(at)]),
        (_, 0) => dynasm!(o ; .arch x64 ; movzx ecx, BYTE [Rq(at)]),
        (_, 1) => dynasm!(o ; .arch x64 ; movzx ecx, WORD [Rq(at)]),
        (_, 2) => dynasm!(o ; .arch x64 ; mov ecx, DWORD [Rq(at)]),
        _ => dynasm!(o ; .arch x64 ; mov rcx, QWORD [Rq(at)]),
    }
}

/// Under `--jit-check`: call `log` (`x64::log_store`) for the store of `size` at [at],
/// keeping the fast path's live registers.
fn log_store(o: &mut Ops, log: i64, size: u32, at: u8) {
    dynasm!(o ; .arch x64
        ; push r8 ; push r9 ; push r10 ; push r11
        ; mov rdi, rbx
        ; mov rsi, Rq(at)
        ; mov edx, 1 << size
        ; mov rax, QWORD log
        ; call rax
        ; pop r11 ; pop r10 ; pop r9 ; pop r8
    );
}

/// Write X`rt` (XZR: zero) to [at] with `size`.
fn write(o: &mut Ops, size: u32, rt: u32, at: u8) {
    load(o, 1, rt, false);
    match size {
        0 => dynasm!(o ; .arch x64 ; mov BYTE [Rq(at)], cl),
        1 => dynasm!(o ; .arch x64 ; mov WORD [Rq(at)], cx),
        2 => dynasm!(o ; .arch x64 ; mov DWORD [Rq(at)], ecx),
        _ => dynasm!(o ; .arch x64 ; mov QWORD [Rq(at)], rcx),
    }
}

/// X`rt` = rcx (XZR: discarded).
fn set_rt(o: &mut Ops, rt: u32) {
    if rt != 31 {
        let off = reg_off(rt, false);
        dynasm!(o ; .arch x64 ; mov QWORD [r12 + off], rcx);
    }
}

/// Emit the fast path of `d` with `slow` as its way out, if its row has one. Register
/// use: r8 = base, r9 = the access's VA, r10/r11 = host addresses.
/// `log`: under `--jit-check`, the function that logs a store before it is made.
pub(super) fn inline_mem(o: &mut Ops, d: &Decoded, slow: DynamicLabel, log: Option<i64>) -> bool {
    let Some(a) = access(d) else {
        return false;
    };
    load(o, 0, a.rn, true);
    if a.rn == 31 {
        // SP alignment checking (SCTLR_ELx.SA/SA0) is the handler's business.
        dynasm!(o ; .arch x64 ; test al, 0xf ; jnz =>slow);
    }
    dynasm!(o ; .arch x64 ; mov r8, rax);
    match a.offset {
        Offset::Imm(0) => {}
        Offset::Imm(i) => dynasm!(o ; .arch x64 ; add rax, i as i32),
        Offset::Reg { rm, option, shift } => {
            load(o, 1, rm, false);
            match option {
                2 => dynasm!(o ; .arch x64 ; mov ecx, ecx),
                6 => dynasm!(o ; .arch x64 ; movsxd rcx, ecx),
                _ => {}
            }
            if shift != 0 {
                dynasm!(o ; .arch x64 ; shl rcx, shift as i8);
            }
            dynasm!(o ; .arch x64 ; add rax, rcx);
        }
    }
    // r8 = the written-back base (base + offset), rax = the VA accessed.
    if a.post {
        dynasm!(o ; .arch x64 ; xchg rax, r8);
    } else {
        dynasm!(o ; .arch x64 ; mov r8, rax);
    }
    let store = a.kind == Kind::Store;
    dynasm!(o ; .arch x64 ; mov r9, rax);
    translate(o, a.size, store, slow);
    dynasm!(o ; .arch x64 ; mov r10, rax);
    if a.rt2.is_some() {
        let esize = 1i32 << a.size;
        dynasm!(o ; .arch x64 ; lea rax, [r9 + esize]);
        translate(o, a.size, store, slow);
        dynasm!(o ; .arch x64 ; mov r11, rax);
    }
    // Every check passed: the accesses and the register writes, in the handler's order.
    if store {
        if let Some(log) = log {
            log_store(o, log, a.size, 10);
            if a.rt2.is_some() {
                log_store(o, log, a.size, 11);
            }
        }
        write(o, a.size, a.rt, 10);
        if let Some(rt2) = a.rt2 {
            write(o, a.size, rt2, 11);
        }
    } else {
        read(o, a.kind, a.size, 10);
        set_rt(o, a.rt);
        if let Some(rt2) = a.rt2 {
            read(o, a.kind, a.size, 11);
            set_rt(o, rt2);
        }
    }
    if a.wback {
        let off = reg_off(a.rn, true);
        dynasm!(o ; .arch x64 ; mov QWORD [r12 + off], r8);
    }
    true
}
