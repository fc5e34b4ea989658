//! PL011: transmit, flags, receive FIFO, interrupts and identification.

use crate::Pl011;

const DR: u64 = 0x000;
const RSR_ECR: u64 = 0x004;
const FR: u64 = 0x018;
const IBRD: u64 = 0x024;
const FBRD: u64 = 0x028;
const LCR_H: u64 = 0x02c;
const CR: u64 = 0x030;
const IFLS: u64 = 0x034;
const IMSC: u64 = 0x038;
const RIS: u64 = 0x03c;
const MIS: u64 = 0x040;
const ICR: u64 = 0x044;
const DMACR: u64 = 0x048;

const RXFE: u32 = 1 << 4;
const RXFF: u32 = 1 << 6;
const TXFF: u32 = 1 << 5;
const TXFE: u32 = 1 << 7;
const BUSY: u32 = 1 << 3;

const RX: u32 = 1 << 4;
const TX: u32 = 1 << 5;
const RT: u32 = 1 << 6;
const OE: u32 = 1 << 10;

const FEN: u32 = 1 << 4;

fn uart() -> Pl011<Vec<u8>> {
    Pl011::new(Vec::new())
}

/// A UART with FIFOs enabled (what Linux sets up).
fn uart_fifo() -> Pl011<Vec<u8>> {
    let mut u = uart();
    u.write(LCR_H, 4, FEN | 0x60); // 8 bits, FIFOs on
    u
}

#[test]
fn transmit_goes_to_output() {
    let mut u = uart();
    for &b in b"Hello\n" {
        u.write(DR, 4, u32::from(b));
    }
    u.write(DR, 1, u32::from(b'!'));
    u.write(DR, 4, 0xf00 | u32::from(b'?')); // bits above 7:0 are not data
    assert_eq!(u.output(), b"Hello\n!?");
    u.output_mut().clear();
    assert!(u.into_output().is_empty());
}

#[test]
fn transmits_without_uarten() {
    let mut u = uart();
    u.write(CR, 4, 0); // UART, TX and RX all disabled
    u.write(DR, 4, u32::from(b'x'));
    assert_eq!(u.output(), b"x");
}

#[test]
fn reset_values() {
    let mut u = uart();
    assert_eq!(u.read(CR, 4), 0x300);
    assert_eq!(u.read(IFLS, 4), 0x12);
    assert_eq!(u.read(LCR_H, 4), 0);
    assert_eq!(u.read(IMSC, 4), 0);
    assert_eq!(u.read(FR, 4), TXFE | RXFE);
    assert!(!u.irq_level());
}

#[test]
fn flags_track_rx_fifo() {
    let mut u = uart_fifo();
    let fr = u.read(FR, 4);
    assert_eq!(fr & (TXFE | RXFE | TXFF | RXFF | BUSY), TXFE | RXFE);
    u.push_rx(b'a');
    assert_eq!(u.read(FR, 4), TXFE);
    for _ in 1..32 {
        u.push_rx(b'b');
    }
    assert_eq!(u.read(FR, 4), TXFE | RXFF);
    assert_eq!(u.rx_room(), 0);
    u.read(DR, 4);
    assert_eq!(u.read(FR, 4), TXFE);
    assert_eq!(u.rx_room(), 1);
}

#[test]
fn rx_fifo_is_first_in_first_out() {
    let mut u = uart_fifo();
    for &b in b"abc" {
        u.push_rx(b);
    }
    assert_eq!(u.read(DR, 4), u32::from(b'a'));
    assert_eq!(u.read(DR, 1), u32::from(b'b'));
    assert_eq!(u.read(DR, 4), u32::from(b'c'));
    assert_eq!(u.read(FR, 4) & RXFE, RXFE);
    assert_eq!(u.read(DR, 4), 0, "empty FIFO reads 0");
}

#[test]
fn overrun_drops_byte_and_reports() {
    let mut u = uart_fifo();
    for i in 0..33u8 {
        u.push_rx(i);
    }
    assert_eq!(u.read(RIS, 4) & OE, OE);
    assert_eq!(u.read(RSR_ECR, 4), 1 << 3);
    for i in 0..31u32 {
        assert_eq!(u.read(DR, 4), i);
    }
    // The last kept character carries the overrun flag in DR bit 11.
    assert_eq!(u.read(DR, 4), (1 << 11) | 31);
    assert_eq!(u.read(FR, 4) & RXFE, RXFE, "byte 32 was dropped");
    u.write(RSR_ECR, 4, 0);
    assert_eq!(u.read(RSR_ECR, 4), 0);
    u.write(ICR, 4, OE);
    assert_eq!(u.read(RIS, 4) & OE, 0);
}

#[test]
fn fifo_disabled_holds_one_character() {
    let mut u = uart(); // FEN clear at reset
    assert_eq!(u.rx_room(), 1);
    u.push_rx(b'1');
    assert_eq!(u.read(FR, 4) & RXFF, RXFF);
    u.push_rx(b'2');
    assert_eq!(u.read(RIS, 4) & OE, OE);
    assert_eq!(u.read(DR, 4) & 0xff, u32::from(b'1'));
    assert_eq!(u.read(FR, 4) & RXFE, RXFE);
}

#[test]
fn rx_interrupt_follows_trigger_level() {
    let mut u = uart_fifo(); // IFLS reset: RX trigger at 1/2 = 16
    u.write(IMSC, 4, RX);
    for _ in 0..15 {
        u.push_rx(0);
    }
    assert_eq!(u.read(RIS, 4) & RX, 0);
    assert!(!u.irq_level());
    u.push_rx(0);
    assert_eq!(u.read(RIS, 4) & RX, RX);
    assert!(u.irq_level());
    u.read(DR, 4);
    assert_eq!(u.read(RIS, 4) & RX, 0, "below trigger again");
    assert!(!u.irq_level());

    // 1/8 trigger: 4 characters.
    let mut u2 = uart_fifo();
    u2.write(IFLS, 4, 0);
    for _ in 0..4 {
        u2.push_rx(0);
    }
    assert_eq!(u2.read(RIS, 4) & RX, RX);
}

#[test]
fn receive_timeout_while_data_waits() {
    let mut u = uart_fifo();
    u.write(IMSC, 4, RT);
    assert!(!u.irq_level());
    u.push_rx(b'x');
    assert_eq!(u.read(RIS, 4) & RT, RT);
    assert_eq!(u.read(MIS, 4), RT);
    assert!(u.irq_level());
    u.read(DR, 4);
    assert_eq!(u.read(RIS, 4) & RT, 0);
    assert!(!u.irq_level());
}

#[test]
fn icr_clears_until_new_data() {
    let mut u = uart_fifo();
    u.write(IMSC, 4, RT);
    u.push_rx(b'x');
    u.push_rx(b'y');
    u.write(ICR, 4, RT);
    assert!(!u.irq_level());
    u.read(DR, 4); // still one waiting, but no new arrival
    assert!(!u.irq_level());
    u.push_rx(b'z');
    assert!(u.irq_level());
}

#[test]
fn tx_interrupt_cleared_and_reasserted() {
    let mut u = uart();
    assert_eq!(u.read(RIS, 4) & TX, TX, "TX FIFO empty at reset");
    u.write(IMSC, 4, TX);
    assert!(u.irq_level());
    u.write(ICR, 4, TX);
    assert_eq!(u.read(RIS, 4) & TX, 0);
    assert!(!u.irq_level());
    u.write(DR, 4, u32::from(b'a'));
    assert_eq!(u.read(MIS, 4), TX);
    assert!(u.irq_level());
}

#[test]
fn mask_raw_masked_relationship() {
    let mut u = uart_fifo();
    u.push_rx(b'q');
    let ris = u.read(RIS, 4);
    assert_eq!(ris, TX | RT);
    assert_eq!(u.read(MIS, 4), 0);
    u.write(IMSC, 4, 0xffff_ffff);
    assert_eq!(u.read(IMSC, 4), 0x7ff);
    assert_eq!(u.read(MIS, 4), ris);
    u.write(IMSC, 4, RX | OE);
    assert_eq!(u.read(MIS, 4), 0);
    assert!(!u.irq_level());
    // RIS and MIS are read-only.
    u.write(RIS, 4, 0);
    u.write(MIS, 4, 0);
    assert_eq!(u.read(RIS, 4), ris);
}

#[test]
fn control_registers_read_back() {
    let mut u = uart();
    u.write(IBRD, 4, 0x1_0027);
    u.write(FBRD, 4, 0xff);
    u.write(CR, 4, 0x301);
    u.write(DMACR, 4, 0xff);
    assert_eq!(u.read(IBRD, 4), 0x0027);
    assert_eq!(u.read(FBRD, 4), 0x3f);
    assert_eq!(u.read(CR, 4), 0x301);
    assert_eq!(u.read(DMACR, 4), 0x7);
}

#[test]
fn sub_word_accesses() {
    let mut u = uart();
    u.write(CR, 2, 0xabcd_0301);
    assert_eq!(u.read(CR, 4), 0x301);
    assert_eq!(u.read(CR, 1), 0x01);
    assert_eq!(u.read(CR + 1, 1), 0x03);
    u.write(CR + 1, 1, 0); // unaligned: ignored
    assert_eq!(u.read(CR, 4), 0x301);
    u.push_rx(b'k');
    assert_eq!(u.read(DR, 1), u32::from(b'k'));
}

#[test]
fn id_registers() {
    let mut u = uart();
    let ids: Vec<u32> = (0..8).map(|i| u.read(0xfe0 + 4 * i, 4)).collect();
    assert_eq!(ids, [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
}

#[test]
fn unknown_offsets_read_zero_and_ignore_writes() {
    let mut u = uart();
    for offset in [
        0x008,
        0x01c,
        0x04c,
        0x100,
        0xfdc,
        0x1000,
        u64::MAX - 3,
        u64::MAX,
    ] {
        u.write(offset, 4, 0xffff_ffff);
        assert_eq!(u.read(offset, 4), 0, "offset {offset:#x}");
    }
    assert!(u.output().is_empty());
    assert_eq!(u.read(CR, 4), 0x300);
}

#[test]
fn odd_sizes_do_not_panic() {
    let mut u = uart();
    for size in [0u8, 3, 8, 255] {
        u.write(CR, size, 0x301);
        let _ = u.read(CR, size);
        let _ = u.read(0xffe, size);
    }
}
