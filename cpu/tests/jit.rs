//! The JIT against the block interpreter: generated straight-line integer code (the rows
//! the JIT emits inline, mixed with rows it runs through the interpreter's handlers) in a
//! hot loop must leave identical registers, flags, instruction and cycle counts.

mod common;

use common::{machine, mmu_on_el1, RamBus};
use cpu::Exit;

/// xorshift64: a fixed, seedable stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bits(&mut self, n: u32) -> u32 {
        (self.next() & ((1 << n) - 1)) as u32
    }
}

/// Registers the generated code may write (X26..X29 are bases, offsets and the loop
/// count, X30 is kept).
fn reg(r: &mut Rng) -> u32 {
    loop {
        let n = r.bits(5);
        if n < 26 || n == 31 {
            return n;
        }
    }
}

/// One generated instruction of the integer data-processing rows.
fn insn(r: &mut Rng) -> u32 {
    let (sf, rd, rn, rm) = (r.bits(1) << 31, reg(r), reg(r), reg(r));
    let rd_rn = rd | (rn << 5);
    match r.bits(4) {
        // ADD/ADDS/SUB/SUBS (immediate); Rd = 31 is SP (not written: the loop keeps it).
        0 | 1 => {
            let rd = if rd == 31 { 0 } else { rd };
            sf | (r.bits(2) << 29)
                | 0x1100_0000
                | (r.bits(1) << 22)
                | (r.bits(12) << 10)
                | (rn << 5)
                | rd
        }
        // ADD/ADDS/SUB/SUBS (shifted register), shift type LSL/LSR/ASR.
        2 | 3 => {
            let amount = if sf != 0 { r.bits(6) } else { r.bits(5) };
            sf | (r.bits(2) << 29)
                | 0x0b00_0000
                | ((r.bits(8) % 3) << 22)
                | (rm << 16)
                | (amount << 10)
                | rd_rn
        }
        // Logical (shifted register), every opc, N and shift type.
        4 | 5 => {
            let amount = if sf != 0 { r.bits(6) } else { r.bits(5) };
            sf | (r.bits(2) << 29)
                | 0x0a00_0000
                | (r.bits(2) << 22)
                | (r.bits(1) << 21)
                | (rm << 16)
                | (amount << 10)
                | rd_rn
        }
        // Logical (immediate); may be reserved (filtered by the caller).
        6 => {
            let rd = if rd == 31 { 1 } else { rd };
            let n = if sf != 0 { r.bits(1) } else { 0 };
            sf | (r.bits(2) << 29) | 0x1200_0000 | (n << 22) | (r.bits(12) << 10) | (rn << 5) | rd
        }
        // MOVN/MOVZ/MOVK.
        7 => {
            let opc = [0, 2, 3][(r.bits(8) % 3) as usize];
            let hw = if sf != 0 { r.bits(2) } else { r.bits(1) };
            sf | (opc << 29) | 0x1280_0000 | (hw << 21) | (r.bits(16) << 5) | rd
        }
        // SBFM/BFM/UBFM.
        8 | 9 => {
            let opc = r.bits(8) % 3;
            let (n, immr, imms) = if sf != 0 {
                (1, r.bits(6), r.bits(6))
            } else {
                (0, r.bits(5), r.bits(5))
            };
            sf | (opc << 29) | 0x1300_0000 | (n << 22) | (immr << 16) | (imms << 10) | rd_rn
        }
        // ADR/ADRP.
        10 => (r.bits(1) << 31) | (r.bits(2) << 29) | 0x1000_0000 | (r.bits(19) << 5) | rd,
        // MADD/MSUB, SMADDL/SMSUBL/UMADDL/UMSUBL, SMULH/UMULH.
        11 => {
            let (op31, o0) = [
                (0, 0),
                (0, 1),
                (1, 0),
                (1, 1),
                (5, 0),
                (5, 1),
                (2, 0),
                (6, 0),
            ][r.bits(3) as usize];
            let sf = if op31 == 0 { sf } else { 1 << 31 };
            sf | 0x1b00_0000 | (op31 << 21) | (rm << 16) | (o0 << 15) | (reg(r) << 10) | rd_rn
        }
        // CSEL/CSINC/CSINV/CSNEG.
        12 => {
            sf | (r.bits(1) << 30)
                | 0x1a80_0000
                | (rm << 16)
                | (r.bits(4) << 12)
                | (r.bits(1) << 10)
                | rd_rn
        }
        // UDIV (through its handler), or ADD/ADDS/SUB/SUBS (extended register).
        13 if r.bits(1) == 0 => sf | 0x1ac0_0800 | (rm << 16) | rd_rn,
        13 => {
            let rd = if rd == 31 { 2 } else { rd };
            sf | (r.bits(2) << 29)
                | 0x0b20_0000
                | (rm << 16)
                | (r.bits(3) << 13)
                | ((r.bits(8) % 5) << 10)
                | (rn << 5)
                | rd
        }
        // CCMN/CCMP, register and immediate.
        14 => {
            sf | (r.bits(1) << 30)
                | 0x3a40_0000
                | (r.bits(5) << 16)
                | (r.bits(4) << 12)
                | (r.bits(1) << 11)
                | (rn << 5)
                | r.bits(4)
        }
        // A store and a load of the scratch doubleword at X29 (the JIT calls their handlers).
        _ => {
            if r.bits(1) == 0 {
                0xf900_03a0 | rd // STR Xd, [X29]
            } else {
                0xf940_03a0 | rd // LDR Xd, [X29]
            }
        }
    }
}

/// A generated load or store (every form the JIT has a fast path for, and a few it has
/// not) based on X29 (or SP, 16-byte aligned), with X27 the base of the writeback forms
/// and X26 a small register offset; in the MMU-on machine these stay in RAM above the
/// code and tables.
fn mem_insn(r: &mut Rng) -> u32 {
    let rt = loop {
        let n = r.bits(5);
        if n < 26 || n == 31 {
            break n;
        }
    };
    let size = r.bits(2);
    let opc = r.bits(2);
    let base = if r.bits(2) == 0 { 31 } else { 29 };
    match r.bits(3) {
        // LDR/STR/LDRS* (unsigned offset); prefetch and unallocated rows filtered later.
        0 | 1 => (size << 30) | 0x3900_0000 | (opc << 22) | (r.bits(9) << 10) | (base << 5) | rt,
        // LDUR/STUR (unscaled), often misaligned.
        2 => (size << 30) | 0x3800_0000 | (opc << 22) | (r.bits(9) << 12) | (base << 5) | rt,
        // Post- and pre-index on X27.
        3 => {
            (size << 30)
                | 0x3800_0000
                | (opc << 22)
                | (r.bits(9) << 12)
                | ((1 + 2 * r.bits(1)) << 10)
                | (27 << 5)
                | rt
        }
        // Register offset X26, every extend and scaling.
        4 => {
            let option = [2, 3, 6, 7][r.bits(2) as usize];
            (size << 30)
                | 0x3820_0800
                | (opc << 22)
                | (26 << 16)
                | (option << 13)
                | (r.bits(1) << 12)
                | (29 << 5)
                | rt
        }
        // LDP/STP/LDPSW (offset, or pre/post-index on X27).
        5 | 6 => {
            let idx = r.bits(2);
            let rn = if idx & 1 == 1 { 27 } else { base };
            let rt2 = loop {
                let n = r.bits(5);
                if n < 26 || n == 31 {
                    break n;
                }
            };
            (r.bits(2) << 30)
                | 0x2800_0000
                | (idx << 23)
                | (r.bits(1) << 22)
                | (r.bits(7) << 15)
                | (rt2 << 10)
                | (rn << 5)
                | rt
        }
        // LDTR/STTR (through the handler).
        _ => (size << 30) | 0x3800_0800 | (opc << 22) | (r.bits(9) << 12) | (29 << 5) | rt,
    }
}

/// A generated branch inside the body: a conditional or unconditional branch, or a
/// compare/test and branch, that (when taken) skips the instruction after it; or an
/// indirect branch to the instruction after it (ADR X25 first). Block ends with
/// branches compiled in the middle of the body.
fn branch(r: &mut Rng) -> Vec<u32> {
    let rt = reg(r);
    let sf = r.bits(1) << 31;
    match r.bits(3) {
        0 | 1 => vec![0x5400_0040 | r.bits(4)], // B.cond +8
        2 => vec![sf | 0x3400_0040 | (r.bits(1) << 24) | rt], // CBZ/CBNZ +8
        3 => vec![(r.bits(1) << 31) | 0x3600_0040 | (r.bits(1) << 24) | (r.bits(5) << 19) | rt], // TBZ/TBNZ +8
        4 => vec![0x1400_0002], // B +8
        5 => vec![0x9400_0002], // BL +8
        _ => {
            let br = [0xd61f_0320, 0xd63f_0320, 0xd65f_0320][(r.bits(8) % 3) as usize]; // BR/BLR/RET X25
            vec![0x1000_0059, br] // ADR X25, #8; then the branch
        }
    }
}

/// Whether `w` executes without an exception (reserved encodings are UNDEFINED).
fn valid(w: u32) -> bool {
    let (mut cpu, mut bus) = machine(&[w]);
    cpu.set_xreg(29, common::BASE + 0x8000);
    cpu.step_one(&mut bus).is_ok()
}

/// `body` in a loop of `iterations`, then WFI.
fn program(body: &[u32], iterations: u16) -> Vec<u32> {
    let mut p = vec![0xd280_001c | ((iterations as u32) << 5)]; // MOVZ X28, #iterations
    p.extend_from_slice(body);
    p.push(0xf100_079c); // SUBS X28, X28, #1
    let back = -(body.len() as i32 + 1);
    p.push(0x5400_0001 | (((back as u32) & 0x7ffff) << 5)); // B.NE body
    p.push(0xd503_207f); // WFI
    p
}

/// `program(body)` placed so that the loop straddles the first page boundary: a branch
/// at the start of RAM jumps to it. Blocks end at the page end and chain across pages.
fn straddling(body: &[u32], iterations: u16) -> Vec<u32> {
    let prog = program(body, iterations);
    let at = 0x400 - (prog.len() / 2 + 1); // words
    let mut p = vec![0x1400_0000 | at as u32]; // B to the program
    p.resize(at, 0);
    p.extend(prog);
    p
}

/// The memory-test machine: EL1 with the MMU on (see `common::mmu_on_el1`), X29 and SP
/// in the read-write alias of RAM.
fn mmu_machine(p: &[u32]) -> (cpu::Cpu, RamBus) {
    let (mut cpu, bus) = mmu_on_el1(p);
    cpu.set_sp(0x4020_9000);
    (cpu, bus)
}

type State = (Vec<u64>, u64, u32, u64, u64, Vec<u8>);

/// Run `p` with the JIT `on` or off from the registers `seed` gives: the final state
/// (registers, SP, NZCV, counts and the data area).
fn run(p: &[u32], seed: u64, on: bool, mmu: bool) -> State {
    let (mut cpu, mut bus) = if mmu { mmu_machine(p) } else { machine(p) };
    assert!(cpu.set_jit(on), "this test needs a host with a JIT");
    let mut r = Rng(seed | 1);
    for n in 0..28 {
        cpu.set_xreg(n, r.next());
    }
    let data = if mmu {
        0x4020_8000
    } else {
        common::BASE + 0x8000
    };
    cpu.set_xreg(29, data);
    assert_eq!(cpu.run(&mut bus, 10_000_000), Exit::Wfi);
    let x = (0..31).map(|n| cpu.xreg(n)).collect();
    let mut mem = vec![0; 0x6000];
    bus.0.read_bytes(common::BASE + 0x5000, &mut mem).unwrap();
    (
        x,
        cpu.sp(),
        cpu.pstate().nzcv,
        cpu.insns(),
        cpu.cycles(),
        mem,
    )
}

#[test]
fn generated_blocks_match_the_interpreter() {
    if !cpu::jit_supported() {
        return;
    }
    let mut r = Rng(0x5eed_1234_abcd_0001);
    let mut compiled = 0;
    for case in 0..300 {
        let len = 1 + (r.bits(5) as usize);
        let mut body = Vec::new();
        while body.len() < len {
            if r.bits(3) == 0 {
                // A branch, and an instruction it may skip (so the loop stays closed).
                body.extend(branch(&mut r));
            }
            loop {
                let w = insn(&mut r);
                if valid(w) {
                    body.push(w);
                    break;
                }
            }
        }
        // Every other case runs across a page boundary.
        let p = if case % 2 == 0 {
            program(&body, 100)
        } else {
            straddling(&body, 100)
        };
        let seed = r.next();
        let interp = run(&p, seed, false, false);
        let jit = run(&p, seed, true, false);
        assert_eq!(interp, jit, "case {case}: body {body:08x?}");
        compiled += 1;
    }
    assert_eq!(compiled, 300);
}

#[test]
fn generated_loads_and_stores_match_the_interpreter() {
    if !cpu::jit_supported() {
        return;
    }
    let mut r = Rng(0x0bad_cafe_0000_0007);
    for case in 0..300 {
        let len = 1 + (r.bits(5) as usize);
        // Each iteration restarts the writeback base and the register offset.
        let mut body = vec![0xaa1d_03fb, 0xd280_001a | (r.bits(8) << 8)]; // MOV X27, X29; MOVZ X26, #n
        while body.len() < len + 2 {
            let w = if r.bits(1) == 0 {
                insn(&mut r)
            } else {
                mem_insn(&mut r)
            };
            let (mut cpu, mut bus) = mmu_machine(&[w]);
            cpu.set_xreg(29, 0x4020_8000);
            cpu.set_xreg(27, 0x4020_8000);
            if cpu.step_one(&mut bus).is_ok() {
                body.push(w);
            }
        }
        let p = program(&body, 100);
        let seed = r.next();
        let interp = run(&p, seed, false, true);
        let jit = run(&p, seed, true, true);
        assert_eq!(interp, jit, "case {case}: body {body:08x?}");
    }
}

#[test]
fn compiled_blocks_run_and_count_like_the_interpreter() {
    if !cpu::jit_supported() {
        return;
    }
    // ADD X0, X0, #1; EOR X1, X1, X0; (loop of 1000): the block is compiled and used.
    let p = program(&[0x9100_0400, 0xca00_0021], 1000);
    let (mut cpu, mut bus) = machine(&p);
    assert!(cpu.set_jit(true));
    assert_eq!(cpu.run(&mut bus, 1_000_000), Exit::Wfi);
    let s = cpu.jit_stats().expect("JIT on");
    assert!(s.blocks >= 1, "{s:?}");
    assert!(s.jit_insns > 1500, "most iterations ran compiled: {s:?}");
    assert_eq!(cpu.xreg(0), 1000);
    assert_eq!(cpu.insns(), 1 + 1000 * 4 + 1);
}

/// `--jit-check` agrees with correct compiled code, and reports a register or a stored
/// word that compiled code got wrong (a deliberate fault standing in for a miscompile),
/// stopping the run.
#[test]
fn the_check_reports_what_compiled_code_got_wrong() {
    if !cpu::jit_supported() {
        return;
    }
    // ADD X0, X0, #1; STR X0, [X29]; EOR X1, X1, X0 (loop of 1000).
    let p = program(&[0x9100_0400, 0xf900_03a0, 0xca00_0021], 1000);
    let fresh = |sabotage: Option<cpu::JitSabotage>| {
        let (mut cpu, mut bus) = mmu_machine(&p);
        assert!(cpu.set_jit(true) && cpu.set_jit_check());
        cpu.set_xreg(29, 0x4020_8000);
        if let Some(s) = sabotage {
            cpu.jit_check_sabotage(s);
        }
        let exit = cpu.run(&mut bus, 1_000_000);
        (cpu, exit)
    };
    let (cpu, exit) = fresh(None);
    assert_eq!(exit, Exit::Wfi);
    let s = cpu.jit_stats().unwrap();
    assert!(s.check_runs > 0, "{s:?}");
    assert_eq!(cpu.jit_check_report(), None);
    assert_eq!(cpu.xreg(0), 1000);

    let (cpu, exit) = fresh(Some(cpu::JitSabotage::Register(5)));
    assert_eq!(exit, Exit::JitMismatch);
    let r = cpu.jit_check_report().unwrap();
    let diff = r.split("instructions the interpreter ran").next().unwrap();
    assert!(
        diff.contains("  X5 ") && diff.contains("compiled 0x1 "),
        "{r}"
    );
    assert!(
        !diff.contains("  X0 ") && !diff.contains("RAM 0x"),
        "only X5 differs: {r}"
    );

    let (cpu, exit) = fresh(Some(cpu::JitSabotage::Store));
    assert_eq!(exit, Exit::JitMismatch);
    let r = cpu.jit_check_report().unwrap();
    let diff = r.split("instructions the interpreter ran").next().unwrap();
    assert!(diff.contains("  RAM 0x") && !diff.contains("  X5 "), "{r}");
}
