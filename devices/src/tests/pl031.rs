//! PL031: counter, load, match interrupt, scheduling hint and identification.

use crate::Pl031;

const DR: u64 = 0x000;
const MR: u64 = 0x004;
const LR: u64 = 0x008;
const CR: u64 = 0x00c;
const IMSC: u64 = 0x010;
const RIS: u64 = 0x014;
const MIS: u64 = 0x018;
const ICR: u64 = 0x01c;

const S: u64 = 1_000_000_000;
const BASE: u64 = 1_000_000;

fn rtc() -> Pl031 {
    Pl031::new(BASE)
}

#[test]
fn reset_values() {
    let mut r = rtc();
    assert_eq!(r.read(DR, 4, 0), BASE as u32);
    assert_eq!(r.read(MR, 4, 0), 0);
    assert_eq!(r.read(LR, 4, 0), 0);
    assert_eq!(r.read(CR, 4, 0), 1);
    assert_eq!(r.read(IMSC, 4, 0), 0);
    assert_eq!(r.read(RIS, 4, 0), 0);
    assert_eq!(r.read(MIS, 4, 0), 0);
    assert_eq!(r.read(ICR, 4, 0), 0);
    assert!(!r.irq_level(0));
    assert_eq!(r.next_event_ns(0), None);
}

#[test]
fn default_epoch_is_2026() {
    let mut r = Pl031::new(Pl031::DEFAULT_EPOCH);
    // 56 years of 365 days plus 14 leap days (1972..=2024).
    assert_eq!(r.read(DR, 4, 0), (56 * 365 + 14) * 86_400);
}

#[test]
fn counter_follows_simulated_seconds() {
    let mut r = rtc();
    assert_eq!(r.read(DR, 4, S - 1), BASE as u32);
    assert_eq!(r.read(DR, 4, S), BASE as u32 + 1);
    assert_eq!(r.read(DR, 4, 90 * S + S / 2), BASE as u32 + 90);
    // Reading does not change anything.
    assert_eq!(r.read(DR, 4, 90 * S + S / 2), BASE as u32 + 90);
}

#[test]
fn counter_wraps_at_32_bits() {
    let mut r = Pl031::new(u64::from(u32::MAX));
    assert_eq!(r.read(DR, 4, 0), u32::MAX);
    assert_eq!(r.read(DR, 4, S), 0);
    // Bases beyond 32 bits are truncated.
    let mut r = Pl031::new((1 << 32) + 5);
    assert_eq!(r.read(DR, 4, 0), 5);
}

#[test]
fn load_sets_counter_and_keeps_phase() {
    let mut r = rtc();
    r.write(LR, 4, 500, 10 * S + S / 4);
    assert_eq!(r.read(LR, 4, 10 * S + S / 4), 500);
    assert_eq!(r.read(DR, 4, 10 * S + S / 4), 500);
    // The next step is still at the next whole second of simulated time.
    assert_eq!(r.read(DR, 4, 11 * S - 1), 500);
    assert_eq!(r.read(DR, 4, 11 * S), 501);
    assert_eq!(r.read(DR, 4, 20 * S), 510);
}

#[test]
fn data_register_is_read_only_and_control_ignores_writes() {
    let mut r = rtc();
    r.write(DR, 4, 7, 0);
    assert_eq!(r.read(DR, 4, 0), BASE as u32);
    r.write(CR, 4, 0, 0);
    assert_eq!(r.read(CR, 4, 0), 1);
    assert_eq!(r.read(DR, 4, S), BASE as u32 + 1, "still running");
    r.write(RIS, 4, 1, 0);
    r.write(MIS, 4, 1, 0);
    assert_eq!(r.read(RIS, 4, 0), 0);
}

#[test]
fn match_interrupt_fires_when_counter_reaches_match() {
    let mut r = rtc();
    r.write(MR, 4, BASE as u32 + 5, 0);
    assert_eq!(r.read(MR, 4, 0), BASE as u32 + 5);
    assert_eq!(r.read(RIS, 4, 0), 0);
    // Masked: the raw status rises but not the line, and nothing to schedule.
    assert_eq!(r.next_event_ns(0), None);
    assert_eq!(r.read(RIS, 4, 5 * S - 1), 0);
    assert_eq!(r.read(RIS, 4, 5 * S), 1);
    assert_eq!(r.read(MIS, 4, 5 * S), 0);
    assert!(!r.irq_level(5 * S));
    // Unmasking the latched status raises the line.
    r.write(IMSC, 4, 1, 6 * S);
    assert_eq!(r.read(IMSC, 4, 6 * S), 1);
    assert_eq!(r.read(MIS, 4, 6 * S), 1);
    assert!(r.irq_level(6 * S));
    // The raw status stays latched after the counter moves on.
    assert_eq!(r.read(RIS, 4, 100 * S), 1);
    // Clearing drops the line.
    r.write(ICR, 4, 1, 100 * S);
    assert_eq!(r.read(RIS, 4, 100 * S), 0);
    assert!(!r.irq_level(100 * S));
}

#[test]
fn next_event_predicts_the_match() {
    let mut r = rtc();
    r.write(IMSC, 4, 1, 0);
    r.write(MR, 4, BASE as u32 + 3, S / 2);
    assert_eq!(r.next_event_ns(S / 2), Some(3 * S));
    assert_eq!(r.next_event_ns(3 * S - 1), Some(3 * S));
    assert!(!r.irq_level(3 * S - 1));
    assert!(r.irq_level(3 * S));
    // Already asserted: nothing further to schedule.
    assert_eq!(r.next_event_ns(3 * S), None);
    // Masking removes the event, unmasking brings it back.
    r.write(ICR, 4, 1, 4 * S);
    r.write(MR, 4, BASE as u32 + 10, 4 * S);
    r.write(IMSC, 4, 0, 4 * S);
    assert_eq!(r.next_event_ns(4 * S), None);
    r.write(IMSC, 4, 1, 4 * S);
    assert_eq!(r.next_event_ns(4 * S), Some(10 * S));
    // Loading the counter moves the event.
    r.write(LR, 4, BASE as u32, 5 * S + 1);
    assert_eq!(r.next_event_ns(5 * S + 1), Some(15 * S));
}

#[test]
fn match_in_the_past_waits_for_the_wrap() {
    let mut r = rtc();
    r.write(IMSC, 4, 1, 0);
    r.write(MR, 4, BASE as u32 - 1, 0);
    assert_eq!(r.next_event_ns(0), Some(((1 << 32) - 1) * S));
    assert!(!r.irq_level(1000 * S));
}

#[test]
fn writing_a_match_that_already_holds_fires_at_once() {
    let mut r = rtc();
    r.write(IMSC, 4, 1, 0);
    r.write(MR, 4, BASE as u32 + 2, 2 * S + 7);
    assert!(r.irq_level(2 * S + 7));
    // Cleared within the same second: it does not come back until the wrap.
    r.write(ICR, 4, 1, 2 * S + 8);
    assert!(!r.irq_level(2 * S + 9));
    assert!(!r.irq_level(3 * S));
    assert_eq!(r.next_event_ns(3 * S), Some(((1 << 32) + 2) * S));
    // Loading the counter onto the match value fires too.
    r.write(LR, 4, 42, 4 * S);
    r.write(MR, 4, 40, 4 * S);
    assert!(!r.irq_level(4 * S));
    r.write(LR, 4, 40, 5 * S);
    assert!(r.irq_level(5 * S));
}

#[test]
fn clear_only_with_bit_zero() {
    let mut r = rtc();
    r.write(IMSC, 4, 1, 0);
    r.write(MR, 4, BASE as u32 + 1, 0);
    assert!(r.irq_level(S));
    r.write(ICR, 4, 0xfffe, S);
    assert!(r.irq_level(S));
    r.write(ICR, 4, 1, S);
    assert!(!r.irq_level(S));
}

#[test]
fn a_match_missed_between_accesses_is_still_latched() {
    // The board may look only long after the event (e.g. while masked); a
    // later MR write must not lose the match that happened before it.
    let mut r = rtc();
    r.write(MR, 4, BASE as u32 + 2, 0);
    r.write(MR, 4, BASE as u32 + 50, 10 * S);
    assert_eq!(r.read(RIS, 4, 10 * S), 1);
    r.write(ICR, 4, 1, 10 * S);
    assert_eq!(r.read(RIS, 4, 49 * S), 0);
    assert_eq!(r.read(RIS, 4, 50 * S), 1);
}

#[test]
fn sized_and_unaligned_accesses() {
    let mut r = rtc();
    r.write(MR, 4, 0x1234_5678, 0);
    assert_eq!(r.read(MR, 1, 0), 0x78);
    assert_eq!(r.read(MR + 1, 1, 0), 0x56);
    assert_eq!(r.read(MR + 2, 2, 0), 0x1234);
    // Unaligned writes are ignored; narrow writes clear the upper bytes.
    r.write(MR + 1, 1, 0xff, 0);
    assert_eq!(r.read(MR, 4, 0), 0x1234_5678);
    r.write(MR, 2, 0xabcd_ef01, 0);
    assert_eq!(r.read(MR, 4, 0), 0xef01);
    r.write(IMSC, 4, 0xffff_fffe, 0);
    assert_eq!(r.read(IMSC, 4, 0), 0);
}

#[test]
fn unknown_offsets_read_zero() {
    let mut r = rtc();
    assert_eq!(r.read(0x020, 4, 0), 0);
    assert_eq!(r.read(0x800, 4, 0), 0);
    r.write(0x020, 4, 1, 0);
}

#[test]
fn primecell_identification() {
    let mut r = rtc();
    let id: Vec<u32> = (0..8).map(|i| r.read(0xfe0 + 4 * i, 4, 0)).collect();
    assert_eq!(id, [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
    // As the AMBA bus assembles them: Linux's rtc-pl031 matches 0x00041031
    // under mask 0x000fffff, and the cell ID is the PrimeCell one.
    let periph = id[..4].iter().rev().fold(0, |a, &b| a << 8 | b);
    assert_eq!(periph & 0x000f_ffff, 0x0004_1031);
    let cell = id[4..].iter().rev().fold(0, |a, &b| a << 8 | b);
    assert_eq!(cell, 0xb105_f00d);
}
