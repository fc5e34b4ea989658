//! The events a PE reports to its platform (exception entry/return, WFI, TLBI, MMIO,
//! context changes) and PC triggers through the decode-cache sentinel.

use cpu::sysreg::SR;
use cpu::{Event, ExcKind, Exit};
mod common;
use common::{machine, RamBus, BASE};
use mmu::{Bus, GuestRam, MmioResult};

/// Records every event; MMIO reads return 0x5a.
struct Recorder {
    ram: RamBus,
    events: Vec<Event>,
}

impl cpu::Platform for Recorder {
    fn on_event(&mut self, _cpu: usize, e: Event) {
        self.events.push(e);
    }
}

impl Bus for Recorder {
    fn ram(&self) -> &GuestRam {
        &self.ram.0
    }
    fn mmio_read(&mut self, _: u64, _: u8) -> MmioResult {
        MmioResult::Ok(0x5a)
    }
    fn mmio_write(&mut self, _: u64, _: u8, _: u64) -> MmioResult {
        MmioResult::Ok(0)
    }
}

fn recorder(words: &[u32]) -> (cpu::Cpu, Recorder) {
    let (cpu, ram) = machine(words);
    (
        cpu,
        Recorder {
            ram,
            events: Vec::new(),
        },
    )
}

#[test]
fn slow_paths_report_events_in_order() {
    let (mut cpu, mut bus) = recorder(&[
        0xb9400020, // 0x00: ldr w0, [x1]      MMIO read
        0xb9000022, // 0x04: str w2, [x1]      MMIO write
        0xd51c2003, // 0x08: msr ttbr0_el2, x3 context change
        0xd50c871f, // 0x0c: tlbi alle2        local
        0xd4000021, // 0x10: svc #1            exception entry (to EL2, vector +0x200)
    ]);
    cpu.set_xreg(1, 0x0900_0000);
    cpu.set_xreg(2, 0x41);
    cpu.set_xreg(3, BASE + 0x4000);
    cpu.set_sysreg(SR::VBAR_EL2, BASE + 0x800);
    // At the vector: eret back to 0x14, then wfi.
    let eret: Vec<u8> = [0xd69f03e0u32, 0xd503207f]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    bus.ram.0.write_bytes(BASE + 0xa00, &eret).unwrap();
    bus.ram
        .0
        .write_bytes(BASE + 0x14, &0xd503207fu32.to_le_bytes())
        .unwrap();
    assert_eq!(cpu.run(&mut bus, 100), Exit::Wfi);
    let mmio = |write, value| Event::Mmio {
        pa: 0x0900_0000,
        size: 4,
        write,
        value,
        mapped: true,
    };
    assert_eq!(
        bus.events,
        vec![
            mmio(false, 0x5a),
            mmio(true, 0x41),
            Event::ContextChange {
                reg: SR::TTBR0_EL2,
                value: BASE + 0x4000
            },
            Event::Tlbi {
                op: cpu::TlbiOp::All(cpu::RegimeId::El2),
                broadcast: false
            },
            Event::ExceptionEntry {
                kind: ExcKind::Sync,
                esr: 0x5600_0001,
                from_el: 2,
                to_el: 2,
                elr: BASE + 0x14,
                vector: BASE + 0xa00,
                far: None,
                physical_serror: false,
            },
            Event::ExceptionReturn {
                from_el: 2,
                to_el: 2,
                pc: BASE + 0x14
            },
            Event::Wait { wfe: false },
        ]
    );
}

#[test]
fn pc_trigger_stops_before_the_instruction_and_resumes_exactly() {
    let prog = [
        0x91000400, // 0x00: add x0, x0, #1
        0x91000400, // 0x04: add x0, x0, #1
        0x91000400, // 0x08: add x0, x0, #1   (trigger)
        0x91000400, // 0x0c: add x0, x0, #1
        0x17fffffc, // 0x10: b 0x00
    ];
    let (mut cpu, mut bus) = recorder(&prog);
    // Decode the page once without the trigger, so the sentinel must replace a filled slot.
    cpu.run(&mut bus, 5);
    assert_eq!(cpu.xreg(0), 4);
    cpu.set_pc_trigger(BASE + 8, true);
    assert_eq!(cpu.run(&mut bus, 100), Exit::Trigger);
    assert_eq!((cpu.pc(), cpu.xreg(0), cpu.insns()), (BASE + 8, 6, 7));
    assert_eq!(bus.events, vec![Event::Trigger { pc: BASE + 8 }]);
    // Resuming executes the triggering instruction once, then stops there again a loop later.
    cpu.resume_from_trigger();
    assert_eq!(cpu.run(&mut bus, 100), Exit::Trigger);
    assert_eq!((cpu.pc(), cpu.xreg(0), cpu.insns()), (BASE + 8, 10, 12));
    // Removed: the run uses its whole budget.
    cpu.set_pc_trigger(BASE + 8, false);
    cpu.resume_from_trigger();
    assert_eq!(cpu.run(&mut bus, 50), Exit::Budget);
    assert_eq!(cpu.insns(), 62);
}
