//! SIMD&FP loads/stores, structure loads/stores and register moves, on small programs
//! assembled by GNU as (`aarch64-linux-gnu-as -march=armv8.2-a+fp16`, words read back
//! with objdump).
//!
//! Every program starts from the same state: V`i` holds bytes `(16 i + j) ^ 0xa5`
//! (j = 0..15, little-endian), RAM at DATA holds bytes `(13 k + 7) & 0xff`, OUT is zero.
//! The expected registers and the first 256 bytes at OUT were produced by running the
//! same words under Unicorn (QEMU, cpu model "max") from that state, and were checked
//! against the Arm ARM pseudocode (element order, upper-half zeroing, writeback).
//! All accesses are element-aligned: the MMU is off here, so data accesses are Device.

use cpu::sysreg::SR;
use cpu::{Conduit, Cpu, CpuConfig, Exit};
mod common;
use common::RamBus;
use mmu::GuestRam;

const BASE: u64 = 0x4000_0000;
const DATA: u64 = BASE + 0x1000;
const OUT: u64 = BASE + 0x2000;

fn vinit(i: usize) -> u128 {
    let mut b = [0u8; 16];
    for (j, x) in b.iter_mut().enumerate() {
        *x = ((i * 16 + j) ^ 0xa5) as u8;
    }
    u128::from_le_bytes(b)
}

fn machine(words: &[u32]) -> (Cpu, RamBus) {
    let bus = RamBus(GuestRam::new(BASE, 0x10000).unwrap());
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    bus.0.write_bytes(BASE, &bytes).unwrap();
    let data: Vec<u8> = (0..0x1000u32).map(|k| (k * 13 + 7) as u8).collect();
    bus.0.write_bytes(DATA, &data).unwrap();
    let mut cpu = Cpu::new(
        CpuConfig {
            has_el2: true,
            conduit: Conduit::Smc,
            mpidr_aff: 0,
            index: 0,
            gic: false,
            pa_bits: 48,
            mte: false,
            spe: 0,
        },
        2,
    );
    for i in 0..32 {
        cpu.set_vreg(i, vinit(i));
    }
    cpu.set_pc(BASE);
    (cpu, bus)
}

fn run_to_wfi(cpu: &mut Cpu, bus: &mut RamBus, len: usize) {
    assert_eq!(cpu.run(bus, len as u64 + 1), Exit::Wfi);
    assert_eq!(cpu.sysreg(SR::ESR_EL2), 0, "no exception expected");
}

/// X0-X30 are the listed values, every other one zero.
fn check_x(cpu: &Cpu, expect: &[(usize, u64)]) {
    for i in 0..31 {
        let want = expect.iter().find(|e| e.0 == i).map_or(0, |e| e.1);
        assert_eq!(cpu.xreg(i), want, "X{i}");
    }
}

/// V0-V31 are the listed values, every other one its initial value.
fn check_v(cpu: &Cpu, expect: &[(usize, u128)]) {
    for i in 0..32 {
        let want = expect.iter().find(|e| e.0 == i).map_or(vinit(i), |e| e.1);
        assert_eq!(
            cpu.vreg(i),
            want,
            "V{i}: {:#034x} != {want:#034x}",
            cpu.vreg(i)
        );
    }
}

fn check_out(bus: &RamBus, hex: &str) {
    let mut out = [0u8; 256];
    bus.0.read_bytes(OUT, &mut out).unwrap();
    let got: String = out.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(got, hex, "memory at OUT");
}

/// With CPTR_EL2.TFP set, a SIMD&FP load, a move and a structure load trap to EL2 with
/// EC 0x07 (Arm ARM D19.2 / CheckFPEnabled64) before touching memory or registers.
#[test]
fn fp_trap_before_access() {
    for word in [
        0x3dc00020u32, // ldr q0, [x1]
        0x1e270020,    // fmov s0, w1
        0x4f000420,    // movi v0.4s, #0x1
        0x4c407820,    // ld1 {v0.4s}, [x1]
    ] {
        let (mut cpu, mut bus) = machine(&[word]);
        cpu.set_xreg(1, DATA);
        cpu.set_sysreg(SR::CPTR_EL2, cpu.sysreg(SR::CPTR_EL2) | 1 << 10);
        cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
        cpu.run(&mut bus, 1);
        assert_eq!(cpu.sysreg(SR::ESR_EL2), 0x07 << 26 | 1 << 25, "{word:#x}");
        assert_eq!(cpu.sysreg(SR::ELR_EL2), BASE);
        assert_eq!(cpu.vreg(0), vinit(0));
    }
}

/// A Q access is one 16-byte access: on Device memory (MMU off) an address that is 8- but
/// not 16-byte aligned takes an alignment fault (Arm ARM: Mem[] checks alignment against
/// the access size; unaligned accesses to Device memory fault), even though each 8-byte
/// half would be aligned. An LDP of D registers at the same address is two aligned
/// 8-byte accesses and succeeds. (From the Arm ARM; Unicorn does not model Device
/// alignment.)
#[test]
fn q_access_alignment_on_device_memory() {
    for (word, write) in [
        (0x3dc00020u32, false), // ldr q0, [x1]
        (0x3d800021, true),     // str q1, [x1]
    ] {
        let (mut cpu, mut bus) = machine(&[word]);
        cpu.set_xreg(1, DATA + 8);
        cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
        cpu.run(&mut bus, 1);
        let esr = cpu.sysreg(SR::ESR_EL2);
        assert_eq!(esr >> 26, 0x25, "data abort, same EL: {esr:#x}");
        assert_eq!(esr & 0x3f, 0x21, "alignment fault");
        assert_eq!((esr >> 6) & 1, write as u64, "WnR");
        assert_eq!(cpu.vreg(0), vinit(0));
    }
    let (mut cpu, mut bus) = machine(&[
        0x6d400c22, // ldp d2, d3, [x1]
        0xd503207f, // wfi
    ]);
    cpu.set_xreg(1, DATA + 8);
    run_to_wfi(&mut cpu, &mut bus, 2);
    assert_eq!(cpu.vreg(2), 0xcabdb0a396897c6f);
}

/// LDR/STR/LDUR/STUR B/H/S/D/Q: unsigned offset, pre/post-index, unscaled, register offset; upper bits zeroed.
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn ldr_str_single_registers() {
    let words = [
        0x3d400420, // ldr	b0, [x1, #1]
        0x7d400421, // ldr	h1, [x1, #2]
        0xbd400422, // ldr	s2, [x1, #4]
        0xfd400423, // ldr	d3, [x1, #8]
        0x3dc00424, // ldr	q4, [x1, #16]
        0x3cc20425, // ldr	q5, [x1], #32
        0xfc5f8c26, // ldr	d6, [x1, #-8]!
        0xbc5fc027, // ldur	s7, [x1, #-4]
        0x3ce27888, // ldr	q8, [x4, x2, lsl #4]
        0xbc63d829, // ldr	s9, [x1, w3, sxtw #2]
        0x7c62482a, // ldr	h10, [x1, w2, uxtw]
        0x3c62682b, // ldr	b11, [x1, x2]
        0xfc62f82c, // ldr	d12, [x1, x2, sxtx #3]
        0x3cc20c8d, // ldr	q13, [x4, #32]!
        0x3cdf008e, // ldur	q14, [x4, #-16]
        0x3d800004, // str	q4, [x0]
        0x3d004000, // str	b0, [x0, #16]
        0x7d002401, // str	h1, [x0, #18]
        0xbd001402, // str	s2, [x0, #20]
        0xfc018c03, // str	d3, [x0, #24]!
        0x3c808005, // stur	q5, [x0, #8]
        0xbc018407, // str	s7, [x0], #24
        0xfc227808, // str	d8, [x0, x2, lsl #3]
        0x3c9e0c09, // str	q9, [x0, #-32]!
        0x3c22680a, // str	b10, [x0, x2]
        0x7c23d80b, // str	h11, [x0, w3, sxtw #1]
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    cpu.set_xreg(0, 0x40002000);
    cpu.set_xreg(1, 0x40001000);
    cpu.set_xreg(2, 0x2);
    cpu.set_xreg(3, 0xffffffff);
    cpu.set_xreg(4, 0x40001020);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[
        (0, 0x40002010),
        (1, 0x40001018),
        (2, 0x2),
        (3, 0xffffffff),
        (4, 0x40001040),
    ];
    check_x(&cpu, x_expect);
    let v_expect: &[(usize, u128)] = &[
        (0, 0x00000000000000000000000000000014),
        (1, 0x00000000000000000000000000002e21),
        (2, 0x0000000000000000000000006255483b),
        (3, 0x0000000000000000cabdb0a396897c6f),
        (4, 0x9a8d807366594c3f3225180bfef1e4d7),
        (5, 0xcabdb0a396897c6f6255483b2e211407),
        (6, 0x00000000000000009a8d807366594c3f),
        (7, 0x0000000000000000000000003225180b),
        (8, 0x0afdf0e3d6c9bcafa295887b6e615447),
        (9, 0x0000000000000000000000003225180b),
        (10, 0x00000000000000000000000000006659),
        (11, 0x00000000000000000000000000000059),
        (12, 0x00000000000000006a5d504336291c0f),
        (13, 0x0afdf0e3d6c9bcafa295887b6e615447),
        (14, 0x3a2d201306f9ecdfd2c5b8ab9e918477),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "d7e4f1fe0b1825323f4c5966738059000b1859320000000000000000000000000714212e3b4855626f7c8996a3b0bdca000000000000000000000000000000004754616e7b8895a200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}

/// LDP/STP/LDNP/STNP S/D/Q in every index mode, LDR (literal) S/D/Q.
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn ldp_stp_ldnp_stnp_literal() {
    let words = [
        0x2d400420, // ldp	s0, s1, [x1]
        0x6dc10c22, // ldp	d2, d3, [x1, #16]!
        0xacff9424, // ldp	q4, q5, [x1], #-16
        0xac421c26, // ldnp	q6, q7, [x1, #64]
        0x2c7f2428, // ldnp	s8, s9, [x1, #-8]
        0x6c40ac2a, // ldnp	d10, d11, [x1, #8]
        0xad001404, // stp	q4, q5, [x0]
        0x2d840400, // stp	s0, s1, [x0, #32]!
        0x6c810c02, // stp	d2, d3, [x0], #16
        0xac009c06, // stnp	q6, q7, [x0, #16]
        0x2c3fa408, // stnp	s8, s9, [x0, #-4]
        0x6c042c0a, // stnp	d10, d11, [x0, #64]
        0xadbf07e0, // stp	q0, q1, [sp, #-32]!
        0x6d4137ec, // ldp	d12, d13, [sp, #16]
        0x1c00018e, // ldr	s14, 68 <lit32>
        0x5c00012f, // ldr	d15, 60 <lit64>
        0x9c000090, // ldr	q16, 50 <lit128>
        0x1400000b, // b	70 <done>
        0xd503201f, // nop
        0xd503201f, // nop
        0x89abcdef, // .word	0x89abcdef
        0x01234567, // .word	0x01234567
        0x76543210, // .word	0x76543210
        0xfedcba98, // .word	0xfedcba98
        0x55667788, // .word	0x55667788
        0x11223344, // .word	0x11223344
        0xcafef00d, // .word	0xcafef00d
        0x00000000, // .word	0x00000000
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    cpu.set_xreg(0, 0x40002000);
    cpu.set_xreg(1, 0x40001000);
    cpu.set_sp(0x40001c00);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[(0, 0x40002030), (1, 0x40001000)];
    check_x(&cpu, x_expect);
    assert_eq!(cpu.sp(), 0x40001be0);
    let v_expect: &[(usize, u128)] = &[
        (0, 0x0000000000000000000000002e211407),
        (1, 0x0000000000000000000000006255483b),
        (2, 0x00000000000000003225180bfef1e4d7),
        (3, 0x00000000000000009a8d807366594c3f),
        (4, 0x9a8d807366594c3f3225180bfef1e4d7),
        (5, 0x6a5d504336291c0f02f5e8dbcec1b4a7),
        (6, 0x0afdf0e3d6c9bcafa295887b6e615447),
        (7, 0xdacdc0b3a6998c7f7265584b3e312417),
        (8, 0x00000000000000000000000000000000),
        (9, 0x00000000000000000000000000000000),
        (10, 0x0000000000000000cabdb0a396897c6f),
        (11, 0x00000000000000003225180bfef1e4d7),
        (12, 0x0000000000000000000000006255483b),
        (13, 0x00000000000000000000000000000000),
        (14, 0x000000000000000000000000cafef00d),
        (15, 0x00000000000000001122334455667788),
        (16, 0xfedcba98765432100123456789abcdef),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "d7e4f1fe0b1825323f4c596673808d9aa7b4c1cedbe8f5020f1c293643505d6ad7e4f1fe0b1825323f4c596600000000000000000000000000000000000000004754616e7b8895a2afbcc9d6e3f0fd0a1724313e4b5865727f8c99a6b3c0cdda000000000000000000000000000000006f7c8996a3b0bdcad7e4f1fe0b1825320000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}

/// FMOV (general) W<->S, X<->D, X<->V.D[1], W/X<->H (FEAT_FP16); FMOV (register) S/D/H.
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn fmov_general_and_register() {
    let words = [
        0x1e270020, // fmov	s0, w1
        0x9e670021, // fmov	d1, x1
        0x9eaf0042, // fmov	v2.d[1], x2
        0x1ee70023, // fmov	h3, w1
        0x9ee70044, // fmov	h4, x2
        0x1e260145, // fmov	w5, s10
        0x9e660166, // fmov	x6, d11
        0x9eae0187, // fmov	x7, v12.d[1]
        0x1ee601a8, // fmov	w8, h13
        0x9ee601c9, // fmov	x9, h14
        0x1e20428f, // fmov	s15, s20
        0x1e6042b0, // fmov	d16, d21
        0x1ee042d1, // fmov	h17, h22
        0x9eaf03f2, // fmov	v18.d[1], xzr
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    cpu.set_xreg(1, 0xfedcba9876543210);
    cpu.set_xreg(2, 0x123456789abcdef0);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[
        (1, 0xfedcba9876543210),
        (2, 0x123456789abcdef0),
        (5, 0x6070405),
        (6, 0x1213101116171415),
        (7, 0x6a6b68696e6f6c6d),
        (8, 0x7475),
        (9, 0x4445),
    ];
    check_x(&cpu, x_expect);
    let v_expect: &[(usize, u128)] = &[
        (0, 0x00000000000000000000000076543210),
        (1, 0x0000000000000000fedcba9876543210),
        (2, 0x123456789abcdef08283808186878485),
        (3, 0x00000000000000000000000000003210),
        (4, 0x0000000000000000000000000000def0),
        (15, 0x000000000000000000000000e6e7e4e5),
        (16, 0x0000000000000000f2f3f0f1f6f7f4f5),
        (17, 0x0000000000000000000000000000c4c5),
        (18, 0x00000000000000008283808186878485),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}

/// INS (general/element), UMOV, SMOV, DUP (general/element, vector and scalar).
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn ins_umov_smov_dup() {
    let words = [
        0x4e071c20, // mov	v0.b[3], w1
        0x4e1e1c41, // mov	v1.h[7], w2
        0x4e141c22, // mov	v2.s[2], w1
        0x4e181c43, // mov	v3.d[1], x2
        0x6e1f0684, // mov	v4.b[15], v20.b[0]
        0x6e0666a5, // mov	v5.h[1], v21.h[6]
        0x6e1c26c6, // mov	v6.s[3], v22.s[1]
        0x6e0846e7, // mov	v7.d[0], v23.d[1]
        0x0e133e83, // umov	w3, v20.b[9]
        0x0e163ea4, // umov	w4, v21.h[5]
        0x0e1c3ec5, // mov	w5, v22.s[3]
        0x4e183ee6, // mov	x6, v23.d[1]
        0x0e072f07, // smov	w7, v24.b[3]
        0x0e1e2f28, // smov	w8, v25.h[7]
        0x4e1f2f49, // smov	x9, v26.b[15]
        0x4e022f6a, // smov	x10, v27.h[0]
        0x4e142f8b, // smov	x11, v28.s[2]
        0x0e010c28, // dup	v8.8b, w1
        0x4e010c49, // dup	v9.16b, w2
        0x0e020c2a, // dup	v10.4h, w1
        0x4e020c4b, // dup	v11.8h, w2
        0x0e040c2c, // dup	v12.2s, w1
        0x4e040c4d, // dup	v13.4s, w2
        0x4e080c2e, // dup	v14.2d, x1
        0x0e1b068f, // dup	v15.8b, v20.b[13]
        0x4e0e06b0, // dup	v16.8h, v21.h[3]
        0x0e1406d1, // dup	v17.2s, v22.s[2]
        0x4e1806f2, // dup	v18.2d, v23.d[1]
        0x5e0f0713, // mov	b19, v24.b[7]
        0x5e16073d, // mov	h29, v25.h[5]
        0x5e1c075e, // mov	s30, v26.s[3]
        0x5e18077f, // mov	d31, v27.d[1]
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    cpu.set_xreg(1, 0xfedcba9876543210);
    cpu.set_xreg(2, 0x123456789abcdef0);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[
        (1, 0xfedcba9876543210),
        (2, 0x123456789abcdef0),
        (3, 0xec),
        (4, 0xfeff),
        (5, 0xcacbc8c9),
        (6, 0xdadbd8d9dedfdcdd),
        (7, 0x26),
        (8, 0x3a3b),
        (9, 0xa),
        (10, 0x1415),
        (11, 0x6e6f6c6d),
    ];
    check_x(&cpu, x_expect);
    let v_expect: &[(usize, u128)] = &[
        (0, 0xaaaba8a9aeafacada2a3a0a110a7a4a5),
        (1, 0xdef0b8b9bebfbcbdb2b3b0b1b6b7b4b5),
        (2, 0x8a8b8889765432108283808186878485),
        (3, 0x123456789abcdef09293909196979495),
        (4, 0xe5ebe8e9eeefecede2e3e0e1e6e7e4e5),
        (5, 0xfafbf8f9fefffcfdf2f3f0f1f8f9f4f5),
        (6, 0xc2c3c0c1cecfcccdc2c3c0c1c6c7c4c5),
        (7, 0xdadbd8d9dedfdcdddadbd8d9dedfdcdd),
        (8, 0x00000000000000001010101010101010),
        (9, 0xf0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0),
        (10, 0x00000000000000003210321032103210),
        (11, 0xdef0def0def0def0def0def0def0def0),
        (12, 0x00000000000000007654321076543210),
        (13, 0x9abcdef09abcdef09abcdef09abcdef0),
        (14, 0xfedcba9876543210fedcba9876543210),
        (15, 0x0000000000000000e8e8e8e8e8e8e8e8),
        (16, 0xf2f3f2f3f2f3f2f3f2f3f2f3f2f3f2f3),
        (17, 0x0000000000000000cecfcccdcecfcccd),
        (18, 0xdadbd8d9dedfdcdddadbd8d9dedfdcdd),
        (19, 0x00000000000000000000000000000022),
        (29, 0x00000000000000000000000000003e3f),
        (30, 0x0000000000000000000000000a0b0809),
        (31, 0x00000000000000001a1b18191e1f1c1d),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}

/// MOVI/MVNI/ORR/BIC (vector, immediate), every cmode/op class, Q=0 and Q=1.
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn movi_mvni_orr_bic() {
    let words = [
        0x0f050560, // movi	v0.2s, #0xab
        0x4f052561, // movi	v1.4s, #0xab, lsl #8
        0x4f054562, // movi	v2.4s, #0xab, lsl #16
        0x0f056563, // movi	v3.2s, #0xab, lsl #24
        0x0f0685a4, // movi	v4.4h, #0xcd
        0x4f06a5a5, // movi	v5.8h, #0xcd, lsl #8
        0x4f00c646, // movi	v6.4s, #0x12, msl #8
        0x0f00d647, // movi	v7.2s, #0x12, msl #16
        0x4f02e748, // movi	v8.16b, #0x5a
        0x0f05e4a9, // movi	v9.8b, #0xa5
        0x2f05e4ca, // movi	d10, #0xff00ff0000ffff00
        0x6f02e72b, // movi	v11.2d, #0xff00ffff0000ff
        0x6f01068c, // mvni	v12.4s, #0x34
        0x2f01668d, // mvni	v13.2s, #0x34, lsl #24
        0x6f02a6ce, // mvni	v14.8h, #0x56, lsl #8
        0x2f0286cf, // mvni	v15.4h, #0x56
        0x6f03c710, // mvni	v16.4s, #0x78, msl #8
        0x2f03d711, // mvni	v17.2s, #0x78, msl #16
        0x4f003632, // orr	v18.4s, #0x11, lsl #8
        0x0f007633, // orr	v19.2s, #0x11, lsl #24
        0x4f019454, // orr	v20.8h, #0x22
        0x0f01b455, // orr	v21.4h, #0x22, lsl #8
        0x6f0717f6, // bic	v22.4s, #0xff
        0x2f0757f7, // bic	v23.2s, #0xff, lsl #16
        0x6f07b618, // bic	v24.8h, #0xf0, lsl #8
        0x2f0095f9, // bic	v25.4h, #0xf
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[];
    check_x(&cpu, x_expect);
    let v_expect: &[(usize, u128)] = &[
        (0, 0x0000000000000000000000ab000000ab),
        (1, 0x0000ab000000ab000000ab000000ab00),
        (2, 0x00ab000000ab000000ab000000ab0000),
        (3, 0x0000000000000000ab000000ab000000),
        (4, 0x000000000000000000cd00cd00cd00cd),
        (5, 0xcd00cd00cd00cd00cd00cd00cd00cd00),
        (6, 0x000012ff000012ff000012ff000012ff),
        (7, 0x00000000000000000012ffff0012ffff),
        (8, 0x5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a),
        (9, 0x0000000000000000a5a5a5a5a5a5a5a5),
        (10, 0x0000000000000000ff00ff0000ffff00),
        (11, 0x00ff00ffff0000ff00ff00ffff0000ff),
        (12, 0xffffffcbffffffcbffffffcbffffffcb),
        (13, 0x0000000000000000cbffffffcbffffff),
        (14, 0xa9ffa9ffa9ffa9ffa9ffa9ffa9ffa9ff),
        (15, 0x0000000000000000ffa9ffa9ffa9ffa9),
        (16, 0xffff8700ffff8700ffff8700ffff8700),
        (17, 0x0000000000000000ff870000ff870000),
        (18, 0x8a8b99898e8f9d8d8283918186879585),
        (19, 0x00000000000000009393909197979495),
        (20, 0xeaebe8ebeeefecefe2e3e0e3e6e7e4e7),
        (21, 0x0000000000000000f2f3f2f1f6f7f6f5),
        (22, 0xcacbc800cecfcc00c2c3c000c6c7c400),
        (23, 0x0000000000000000d200d0d1d600d4d5),
        (24, 0x0a2b08290e2f0c2d0223002106270425),
        (25, 0x00000000000000003230303036303430),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}

/// FMOV (vector, immediate) H/S/D and FMOV (scalar, immediate) H/S/D (VFPExpandImm).
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn fmov_immediates() {
    let words = [
        0x0f03f600, // fmov	v0.2s, #1.000000000000000000e+00
        0x4f06f401, // fmov	v1.4s, #-1.250000000000000000e-01
        0x6f01f7e2, // fmov	v2.2d, #3.100000000000000000e+01
        0x0f00fc83, // fmov	v3.4h, #2.500000000000000000e+00
        0x4f07ffe4, // fmov	v4.8h, #-1.937500000000000000e+00
        0x1e2c1005, // fmov	s5, #5.000000000000000000e-01
        0x1e711006, // fmov	d6, #-3.000000000000000000e+00
        0x1ee83007, // fmov	h7, #1.328125000000000000e-01
        0x1e27f008, // fmov	s8, #3.100000000000000000e+01
        0x1e681009, // fmov	d9, #1.250000000000000000e-01
        0x1ef6300a, // fmov	h10, #-1.700000000000000000e+01
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[];
    check_x(&cpu, x_expect);
    let v_expect: &[(usize, u128)] = &[
        (0, 0x00000000000000003f8000003f800000),
        (1, 0xbe000000be000000be000000be000000),
        (2, 0x403f000000000000403f000000000000),
        (3, 0x00000000000000004100410041004100),
        (4, 0xbfc0bfc0bfc0bfc0bfc0bfc0bfc0bfc0),
        (5, 0x0000000000000000000000003f000000),
        (6, 0x0000000000000000c008000000000000),
        (7, 0x00000000000000000000000000003040),
        (8, 0x00000000000000000000000041f80000),
        (9, 0x00000000000000003fc0000000000000),
        (10, 0x0000000000000000000000000000cc40),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}

/// LD1/ST1 with 1-4 registers, Q=0 and Q=1, every element size, post-index by immediate and register, register wrap 31->0.
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn ld1_st1_multiple() {
    let words = [
        0x4c407020, // ld1	{v0.16b}, [x1]
        0x0c40a021, // ld1	{v1.8b, v2.8b}, [x1]
        0x0cdf6423, // ld1	{v3.4h-v5.4h}, [x1], #24
        0x4cc22826, // ld1	{v6.4s-v9.4s}, [x1], x2
        0x0c40ac2a, // ld1	{v10.1d, v11.1d}, [x1]
        0x4c406c7e, // ld1	{v30.2d, v31.2d, v0.2d}, [x3]
        0x4c9f7006, // st1	{v6.16b}, [x0], #16
        0x0c82a001, // st1	{v1.8b, v2.8b}, [x0], x2
        0x0c002403, // st1	{v3.4h-v6.4h}, [x0]
        0x0c007c07, // st1	{v7.1d}, [x0]
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    cpu.set_xreg(0, 0x40002000);
    cpu.set_xreg(1, 0x40001000);
    cpu.set_xreg(2, 0x30);
    cpu.set_xreg(3, 0x40001000);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[(0, 0x40002040), (1, 0x40001048), (2, 0x30), (3, 0x40001000)];
    check_x(&cpu, x_expect);
    let v_expect: &[(usize, u128)] = &[
        (0, 0x6a5d504336291c0f02f5e8dbcec1b4a7),
        (1, 0x00000000000000006255483b2e211407),
        (2, 0x0000000000000000cabdb0a396897c6f),
        (3, 0x00000000000000006255483b2e211407),
        (4, 0x0000000000000000cabdb0a396897c6f),
        (5, 0x00000000000000003225180bfef1e4d7),
        (6, 0x02f5e8dbcec1b4a79a8d807366594c3f),
        (7, 0xd2c5b8ab9e9184776a5d504336291c0f),
        (8, 0xa295887b6e6154473a2d201306f9ecdf),
        (9, 0x7265584b3e3124170afdf0e3d6c9bcaf),
        (10, 0x00000000000000000afdf0e3d6c9bcaf),
        (11, 0x00000000000000007265584b3e312417),
        (30, 0xcabdb0a396897c6f6255483b2e211407),
        (31, 0x9a8d807366594c3f3225180bfef1e4d7),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "3f4c596673808d9aa7b4c1cedbe8f5020714212e3b4855626f7c8996a3b0bdca00000000000000000000000000000000000000000000000000000000000000000f1c293643505d6a6f7c8996a3b0bdcad7e4f1fe0b1825323f4c596673808d9a00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}

/// LD2/LD3/LD4 and ST2/ST3/ST4 (multiple structures): de-interleaving, Q=0 zeroing, post-index.
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn ld2_ld3_ld4_st2_st3_st4() {
    let words = [
        0x0c408020, // ld2	{v0.8b, v1.8b}, [x1]
        0x4c408422, // ld2	{v2.8h, v3.8h}, [x1]
        0x0cdf4824, // ld3	{v4.2s-v6.2s}, [x1], #24
        0x4c404027, // ld3	{v7.16b-v9.16b}, [x1]
        0x0cc2042a, // ld4	{v10.4h-v13.4h}, [x1], x2
        0x4c400c2e, // ld4	{v14.2d-v17.2d}, [x1]
        0x4cdf083d, // ld4	{v29.4s, v30.4s, v31.4s, v0.4s}, [x1], #64
        0x4c9f8804, // st2	{v4.4s, v5.4s}, [x0], #32
        0x0c82440a, // st3	{v10.4h-v12.4h}, [x0], x2
        0x0c000014, // st4	{v20.8b-v23.8b}, [x0]
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    cpu.set_xreg(0, 0x40002000);
    cpu.set_xreg(1, 0x40001000);
    cpu.set_xreg(2, 0x10);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[(0, 0x40002030), (1, 0x40001068), (2, 0x10)];
    check_x(&cpu, x_expect);
    let v_expect: &[(usize, u128)] = &[
        (0, 0x4235281b7265584ba295887bd2c5b8ab),
        (1, 0x0000000000000000cab0967c62482e14),
        (2, 0x80734c3f180be4d7b0a37c6f483b1407),
        (3, 0x9a8d66593225fef1cabd968962552e21),
        (4, 0x0000000000000000cabdb0a32e211407),
        (5, 0x0000000000000000fef1e4d76255483b),
        (6, 0x00000000000000003225180b96897c6f),
        (7, 0x88613a13ecc59e77502902dbb48d663f),
        (8, 0x956e4720f9d2ab845d360fe8c19a734c),
        (9, 0xa27b542d06dfb8916a431cf5cea78059),
        (10, 0x000000000000000084771c0fb4a74c3f),
        (11, 0x00000000000000009e913629cec16659),
        (12, 0x0000000000000000b8ab5043e8db8073),
        (13, 0x0000000000000000d2c56a5d02f59a8d),
        (14, 0x0afdf0e3d6c9bcaf6a5d504336291c0f),
        (15, 0x7265584b3e312417d2c5b8ab9e918477),
        (16, 0xdacdc0b3a6998c7f3a2d201306f9ecdf),
        (17, 0x4235281b0e01f4e7a295887b6e615447),
        (29, 0xa6998c7fd6c9bcaf06f9ecdf36291c0f),
        (30, 0xdacdc0b30afdf0e33a2d20136a5d5043),
        (31, 0x0e01f4e73e3124176e6154479e918477),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "0714212e3b485562a3b0bdcad7e4f1fe000000000000000000000000000000003f4c59667380a7b4c1cedbe80f1c2936e5f5c5d5e4f4c4d4e7f7c7d7e6f6c6d6e1f1c1d1e0f0c0d0e3f3c3d3e2f2c2d20000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}

/// LD1-LD4/ST1-ST4 (single structure) on B/H/S/D lanes (other lanes and upper halves kept), LD1R-LD4R (Q=0 zeroes the upper half), post-index.
/// Expected values: Unicorn (QEMU) run of the same words, checked against the Arm ARM pseudocode.
#[test]
fn lane_and_replicate() {
    let words = [
        0x4d401460, // ld1	{v0.b}[13], [x3]
        0x0d405061, // ld1	{v1.h}[2], [x3]
        0x4dc29022, // ld1	{v2.s}[3], [x1], x2
        0x4d408423, // ld1	{v3.d}[1], [x1]
        0x0dff1c24, // ld2	{v4.b, v5.b}[7], [x1], #2
        0x4d604826, // ld2	{v6.h, v7.h}[5], [x1]
        0x0ddfb068, // ld3	{v8.s-v10.s}[1], [x3], #12
        0x0d40a48b, // ld3	{v11.d-v13.d}[0], [x4]
        0x4de2702e, // ld4	{v14.h-v17.h}[6], [x1], x2
        0x4d60243e, // ld4	{v30.b, v31.b, v0.b, v1.b}[9], [x1]
        0x0d40c032, // ld1r	{v18.8b}, [x1]
        0x4ddfc873, // ld1r	{v19.4s}, [x3], #4
        0x0de2c474, // ld2r	{v20.4h, v21.4h}, [x3], x2
        0x4d40ec76, // ld3r	{v22.2d-v24.2d}, [x3]
        0x0dffe879, // ld4r	{v25.2s-v28.2s}, [x3], #16
        0x0d40cc7d, // ld1r	{v29.1d}, [x3]
        0x0d9f0c14, // st1	{v20.b}[3], [x0], #1
        0x0da248b5, // st2	{v21.h, v22.h}[1], [x5], x2
        0x4d00a0b7, // st3	{v23.s-v25.s}[2], [x5]
        0x4dbfa4ba, // st4	{v26.d-v29.d}[1], [x5], #32
        0xd503207f, // wfi
    ];
    let (mut cpu, mut bus) = machine(&words);
    cpu.set_xreg(0, 0x40002000);
    cpu.set_xreg(1, 0x40001000);
    cpu.set_xreg(2, 0x8);
    cpu.set_xreg(3, 0x40001100);
    cpu.set_xreg(4, 0x40001200);
    cpu.set_xreg(5, 0x40002010);
    run_to_wfi(&mut cpu, &mut bus, words.len());
    let x_expect: &[(usize, u64)] = &[
        (0, 0x40002001),
        (1, 0x40001012),
        (2, 0x8),
        (3, 0x40001128),
        (4, 0x40001200),
        (5, 0x40002038),
    ];
    check_x(&cpu, x_expect);
    let v_expect: &[(usize, u128)] = &[
        (0, 0xaaab07a9aeaf0bada2a3a0a1a6a7a4a5),
        (1, 0xbabbb8b9bebf18bdb2b31407b6b7b4b5),
        (2, 0x2e2114078e8f8c8d8283808186878485),
        (3, 0xcabdb0a396897c6f9293909196979495),
        (4, 0xeaebe8e9eeefeced6fe3e0e1e6e7e4e5),
        (5, 0xfafbf8f9fefffcfd7cf3f0f1f6f7f4f5),
        (6, 0xcacbc8c99689cccdc2c3c0c1c6c7c4c5),
        (7, 0xdadbd8d9b0a3dcddd2d3d0d1d6d7d4d5),
        (8, 0x2a2b28292e2f2c2d2e21140726272425),
        (9, 0x3a3b38393e3f3c3d6255483b36373435),
        (10, 0x0a0b08090e0f0c0d96897c6f06070405),
        (11, 0x1a1b18191e1f1c1d6255483b2e211407),
        (12, 0x6a6b68696e6f6c6dcabdb0a396897c6f),
        (13, 0x7a7b78797e7f7c7d3225180bfef1e4d7),
        (14, 0x4a4b96894e4f4c4d4243404146474445),
        (15, 0x5a5bb0a35e5f5c5d5253505156575455),
        (16, 0xaaabcabdaeafacada2a3a0a1a6a7a4a5),
        (17, 0xbabbe4d7bebfbcbdb2b3b0b1b6b7b4b5),
        (18, 0x0000000000000000f1f1f1f1f1f1f1f1),
        (19, 0xcabdb0a3cabdb0a3cabdb0a3cabdb0a3),
        (20, 0x0000000000000000e4d7e4d7e4d7e4d7),
        (21, 0x0000000000000000fef1fef1fef1fef1),
        (22, 0x9a8d807366594c3f9a8d807366594c3f),
        (23, 0x02f5e8dbcec1b4a702f5e8dbcec1b4a7),
        (24, 0x6a5d504336291c0f6a5d504336291c0f),
        (25, 0x000000000000000066594c3f66594c3f),
        (26, 0x00000000000000009a8d80739a8d8073),
        (27, 0x0000000000000000cec1b4a7cec1b4a7),
        (28, 0x000000000000000002f5e8db02f5e8db),
        (29, 0x00000000000000006a5d504336291c0f),
        (30, 0x4a4b48494e4ff14d4243404146474445),
        (31, 0x5a5b58595e5ffe5d5253505156575455),
    ];
    check_v(&cpu, v_expect);
    check_out(&bus, "e4000000000000000000000000000000f1fe59660000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}
