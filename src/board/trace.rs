//! `--trace insn`: every instruction with its virtual PC, the physical address it was
//! fetched from and its disassembly (capstone), one step at a time. The other traces
//! (`mmio`, `tlbi`) come from the CPU's events (`VirtBus::on_event`).

use capstone::arch::arm64::ArchMode;
use capstone::prelude::*;
use cpu::Cpu;
use mmu::Bus;

/// The instruction tracer: a capstone disassembler for A64.
pub struct InsnTracer {
    cs: Capstone,
}

impl InsnTracer {
    /// A tracer, or the reason capstone could not be set up.
    pub fn new() -> Result<Self, String> {
        let cs = Capstone::new()
            .arm64()
            .mode(ArchMode::Arm)
            .build()
            .map_err(|e| format!("--trace insn: cannot set up the disassembler: {e}"))?;
        Ok(Self { cs })
    }

    /// Log the instruction CPU `i` is about to execute (target `hypsim::insn`).
    pub fn trace<B: Bus>(&self, i: usize, c: &mut Cpu, bus: &B) {
        let pc = c.pc();
        let el = c.pstate().el;
        let Some(pa) = c.debug_translate(bus, pc) else {
            tracing::trace!(target: "hypsim::insn", cpu = i, el, "{pc:#018x}: (translation faults)");
            return;
        };
        let mut w = [0u8; 4];
        if bus.ram().read_bytes(pa, &mut w).is_err() {
            tracing::trace!(target: "hypsim::insn", cpu = i, el, "{pc:#018x} [{pa:#x}]: (not RAM)");
            return;
        }
        let word = u32::from_le_bytes(w);
        let text = self.disassemble(pc, word);
        tracing::trace!(target: "hypsim::insn", cpu = i, el, "{pc:#018x} [{pa:#x}]: {word:08x}  {text}");
    }

    /// The assembly text of `word` at `pc`.
    pub fn disassemble(&self, pc: u64, word: u32) -> String {
        let text = match self.cs.disasm_count(&word.to_le_bytes(), pc, 1) {
            Ok(insns) => match insns.iter().next() {
                Some(d) => format!(
                    "{} {}",
                    d.mnemonic().unwrap_or("?"),
                    d.op_str().unwrap_or("")
                ),
                None => format!(".inst {word:#010x} (unallocated)"),
            },
            Err(_) => format!(".inst {word:#010x}"),
        };
        text.trim_end().to_string()
    }
}
