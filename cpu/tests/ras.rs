//! RAS error records (crate::ras) seen through the public API and MSR/MRS: interrupt
//! outputs follow the records and ERXCTLR, pseudo-faults repeat with ERXPFGCTL.R, and
//! ERXSTATUS is write-one-to-clear.

mod common;

use common::machine;
use cpu::ras::{status, RasError, RasSignal};
use cpu::PeIrq;

/// MSR S3_0_C5_C<crm>_<op2>, X<rt> (op0 = 3, op1 = 0, CRn = 5).
fn msr(crm: u32, op2: u32, rt: u32) -> u32 {
    0xd518_5000 | crm << 8 | op2 << 5 | rt
}

#[test]
fn interrupt_outputs_follow_the_records_and_clear_with_erxstatus() {
    // x1 = ERXSTATUS value to write back (clears V and UE).
    let (mut cpu, mut bus) = machine(&[msr(4, 2, 1)]);
    cpu.record_ras_error(&RasError {
        record: 0,
        status: status::V | status::UE,
        addr: None,
        misc: [None; 4],
        signal: RasSignal::Irq,
    });
    assert!(
        cpu.irq_output(PeIrq::RasRecovery),
        "an injection asked for the interrupt"
    );
    assert!(!cpu.irq_output(PeIrq::RasFault), "ERXCTLR.FI is 0");
    assert!(!cpu.serror_pending());
    cpu.set_xreg(1, status::V | status::UE);
    cpu.run(&mut bus, 1);
    assert!(
        !cpu.irq_output(PeIrq::RasRecovery),
        "V cleared: the level drops"
    );
}

#[test]
fn pseudo_faults_repeat_with_r_and_drive_the_enabled_interrupts() {
    let (mut cpu, mut bus) = machine(&[
        msr(4, 1, 1), // ERXCTLR = ED | UI | FI (x1)
        msr(4, 6, 2), // ERXPFGCDN = 5 (x2)
        msr(4, 5, 3), // ERXPFGCTL = CDNEN | R | UEO (x3): ends the slice
    ]);
    cpu.set_xreg(1, 0b1101);
    cpu.set_xreg(2, 5);
    cpu.set_xreg(3, 1 << 31 | 1 << 30 | 1 << 4);
    cpu.run(&mut bus, 3);
    let t = cpu.next_ras_event().expect("counter running");
    // Loaded when the third MSR executed: after two MSRs of 6 cycles each (the flat model's
    // system-register cost), the third's 6 not yet counted.
    assert_eq!(cpu.physical_count(), 18);
    assert_eq!(t, 12 + 5, "loaded at the write");
    cpu.idle_until(t);
    cpu.ras_tick();
    // UEO is not UC and ERXCTLR.UE is 0: recorded and interrupting, no SError.
    assert!(!cpu.serror_pending());
    assert!(cpu.irq_output(PeIrq::RasFault));
    assert!(cpu.irq_output(PeIrq::RasRecovery));
    assert_eq!(
        cpu.next_ras_event(),
        Some(t + 5),
        "R = 1 reloads the counter"
    );
}
