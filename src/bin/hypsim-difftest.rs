//! Difftest runner: executes single A64 instructions for `scripts/difftest/run.py`, which
//! compares the results with Unicorn. Protocol v2 (little-endian, see
//! scripts/difftest/README.md), fixed 800-byte records:
//! input  `insn u32, nzcv u32, x[31] u64, sp u64, mem_seed u64, fpcr u32, fpsr u32,
//!         0 u32, version u32 (= 2), v[32] u128`;
//! output `status u32, nzcv u32, x[31] u64, sp u64, pc u64, data_crc u32, fpcr u32,
//!         fpsr u32, version u32 (= 2), v[32] u128`.

use cpu::sysreg::SR;
use cpu::{Conduit, Cpu, CpuConfig};
use mmu::{Bus, GuestRam, MmioResult};
use std::io::{BufReader, BufWriter, Read, Write};

const CODE: u64 = 0x4000_0000;
const DATA: u64 = 0x4000_1000;
const REC_LEN: usize = 800;
const VERSION: u32 = 2;
/// FPCR bits a case may set: AHP, DN, FZ, RMode, FZ16.
const FPCR_MASK: u32 = 0x07c8_0000;
/// FPSR bits: QC and the cumulative exception flags.
const FPSR_MASK: u32 = 0x0800_009f;

/// RAM only: code page and data page.
struct TestBus {
    ram: GuestRam,
}

impl cpu::Platform for TestBus {}

impl Bus for TestBus {
    fn ram(&self) -> &GuestRam {
        &self.ram
    }
    fn mmio_read(&mut self, _pa: u64, _size: u8) -> MmioResult {
        MmioResult::Unmapped
    }
    fn mmio_write(&mut self, _pa: u64, _size: u8, _v: u64) -> MmioResult {
        MmioResult::Unmapped
    }
}

fn fill_data(seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    let mut state = seed;
    for _ in 0..512 {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
    }
    out
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().unwrap())
}

fn main() -> std::io::Result<()> {
    let mut bus = TestBus {
        ram: GuestRam::new(CODE, 0x2000).expect("map test RAM"),
    };
    let cfg = CpuConfig {
        has_el2: true,
        conduit: Conduit::Smc,
        mpidr_aff: 0,
        index: 0,
        gic: false,
        pa_bits: 48,
        mte: false,
        spe: 0,
    };
    let mut cpu = Cpu::new(cfg, 1);
    let mut input = BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let mut output = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut rec = [0u8; REC_LEN];
    let mut page = vec![0u8; 4096];
    loop {
        match input.read_exact(&mut rec) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e),
        }
        let version = u32_at(&rec, 284);
        if version != VERSION {
            eprintln!("hypsim-difftest: input record has protocol version {version}, this runner speaks {VERSION}");
            std::process::exit(2);
        }
        let insn = u32_at(&rec, 0);
        let nzcv = u32_at(&rec, 4);
        let mut code = [0u8; 4096];
        code[..4].copy_from_slice(&insn.to_le_bytes());
        bus.ram.write_bytes(CODE, &code).unwrap();
        bus.ram
            .write_bytes(DATA, &fill_data(u64_at(&rec, 264)))
            .unwrap();
        cpu.reset(1);
        for i in 0..31 {
            cpu.set_xreg(i, u64_at(&rec, 8 + 8 * i));
        }
        cpu.set_sp(u64_at(&rec, 8 + 8 * 31));
        cpu.set_nzcv(nzcv);
        for i in 0..32 {
            let o = 288 + 16 * i;
            cpu.set_vreg(i, u128::from_le_bytes(rec[o..o + 16].try_into().unwrap()));
        }
        // FP/SIMD enabled at EL1 (CPACR_EL1.FPEN = 0b11), as in the oracle.
        cpu.set_sysreg(SR::CPACR_EL1, 3 << 20);
        cpu.set_sysreg(SR::FPCR, (u32_at(&rec, 272) & FPCR_MASK) as u64);
        cpu.set_sysreg(SR::FPSR, (u32_at(&rec, 276) & FPSR_MASK) as u64);
        cpu.set_pc(CODE);
        let status: u32 = match cpu.step_one(&mut bus) {
            Ok(None) => 0,
            Ok(Some(_)) | Err(_) => 1,
        };
        let mut out = [0u8; REC_LEN];
        out[0..4].copy_from_slice(&status.to_le_bytes());
        out[4..8].copy_from_slice(&cpu.nzcv().to_le_bytes());
        for i in 0..31 {
            out[8 + 8 * i..16 + 8 * i].copy_from_slice(&cpu.xreg(i).to_le_bytes());
        }
        out[256..264].copy_from_slice(&cpu.sp().to_le_bytes());
        out[264..272].copy_from_slice(&cpu.pc().to_le_bytes());
        bus.ram.read_bytes(DATA, &mut page).unwrap();
        out[272..276].copy_from_slice(&crc32fast::hash(&page).to_le_bytes());
        out[276..280].copy_from_slice(&(cpu.sysreg(SR::FPCR) as u32).to_le_bytes());
        out[280..284].copy_from_slice(&(cpu.sysreg(SR::FPSR) as u32).to_le_bytes());
        out[284..288].copy_from_slice(&VERSION.to_le_bytes());
        for i in 0..32 {
            let o = 288 + 16 * i;
            out[o..o + 16].copy_from_slice(&cpu.vreg(i).to_le_bytes());
        }
        output.write_all(&out)?;
    }
    output.flush()
}
