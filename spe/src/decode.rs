//! Decoding a raw SPE buffer into packets and records, and printing it.
//!
//! The decoder never fails: a byte that starts no known packet becomes a one-byte
//! [`Packet::Unknown`] and decoding resumes at the next byte, and a packet cut off by the
//! end of the buffer becomes [`Packet::Truncated`]. This is what a trace viewer needs
//! for buffers written by a buggy guest driver or cut short by a buffer fault.

use std::fmt;

use crate::record::{hdr, CodeAddr, DataPa, OpType, Sample, VA_MASK};

/// One packet (Arm ARM D18.2), with addresses and counters still in packet form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    /// D18.2.8.
    Padding,
    /// D18.2.5: closes a record that has no timestamp.
    End,
    /// D18.2.9: closes a record.
    Timestamp(u64),
    /// D18.2.6; `bytes` is the payload size (1, 2, 4 or 8).
    Events { bytes: u8, bits: u64 },
    /// D18.2.4, IMPLEMENTATION DEFINED value.
    DataSource { bytes: u8, value: u64 },
    /// D18.2.2.
    Context { index: u8, value: u32 },
    /// D18.2.7.
    OpType { class: u8, payload: u8 },
    /// D18.2.1; `index` 0 PC, 1 branch target, 2 data VA, 3 data PA, 4 previous branch
    /// target, others IMPLEMENTATION DEFINED or reserved.
    Address { index: u8, payload: u64 },
    /// D18.2.3; `index` 0 total, 1 issue, 2 translation latency.
    Counter { index: u8, value: u16 },
    /// A header byte (or extended header) this decoder does not know.
    Unknown(Vec<u8>),
    /// A known header whose payload runs past the end of the buffer.
    Truncated(Vec<u8>),
}

impl Packet {
    /// Whether this packet ends a record.
    pub fn ends_record(&self) -> bool {
        matches!(self, Packet::End | Packet::Timestamp(_))
    }
}

/// Decodes the packet at the start of `buf`; returns it and the number of bytes it takes
/// (at least 1), or `None` for an empty buffer.
pub fn decode_packet(buf: &[u8]) -> Option<(Packet, usize)> {
    let h = *buf.first()?;
    let payload = |header_len: usize, size: usize| -> Result<(u64, usize), (Packet, usize)> {
        let total = header_len + size;
        match buf.get(header_len..total) {
            Some(p) => {
                let mut b = [0u8; 8];
                b[..size].copy_from_slice(p);
                Ok((u64::from_le_bytes(b), total))
            }
            None => Err((Packet::Truncated(buf.to_vec()), buf.len())),
        }
    };
    let sz = 1usize << ((h >> 4) & 3);
    let result = match h {
        hdr::PAD => Ok((Packet::Padding, 1)),
        hdr::END => Ok((Packet::End, 1)),
        hdr::TIMESTAMP => payload(1, 8).map(|(v, n)| (Packet::Timestamp(v), n)),
        _ if h & 0xCF == hdr::EVENTS => payload(1, sz).map(|(bits, n)| {
            (
                Packet::Events {
                    bytes: sz as u8,
                    bits,
                },
                n,
            )
        }),
        _ if h & 0xCF == hdr::DATA_SOURCE => payload(1, sz).map(|(value, n)| {
            (
                Packet::DataSource {
                    bytes: sz as u8,
                    value,
                },
                n,
            )
        }),
        _ if h & 0xFC == hdr::CONTEXT => payload(1, 4).map(|(v, n)| {
            (
                Packet::Context {
                    index: h & 3,
                    value: v as u32,
                },
                n,
            )
        }),
        _ if h & 0xFC == hdr::OP_TYPE => payload(1, 1).map(|(v, n)| {
            (
                Packet::OpType {
                    class: h & 3,
                    payload: v as u8,
                },
                n,
            )
        }),
        _ if h & 0xF8 == hdr::ADDRESS => payload(1, 8).map(|(v, n)| {
            (
                Packet::Address {
                    index: h & 7,
                    payload: v,
                },
                n,
            )
        }),
        _ if h & 0xF8 == hdr::COUNTER => payload(1, 2).map(|(v, n)| {
            (
                Packet::Counter {
                    index: h & 7,
                    value: v as u16,
                },
                n,
            )
        }),
        _ if h & 0xFC == hdr::EXTENDED => match buf.get(1) {
            None => Ok((Packet::Truncated(buf.to_vec()), buf.len())),
            Some(&h1) => {
                let index = (h & 3) << 3 | (h1 & 7);
                if h1 & 0xF8 == hdr::ADDRESS {
                    payload(2, 8).map(|(v, n)| (Packet::Address { index, payload: v }, n))
                } else if h1 & 0xF8 == hdr::COUNTER {
                    payload(2, 2).map(|(v, n)| {
                        (
                            Packet::Counter {
                                index,
                                value: v as u16,
                            },
                            n,
                        )
                    })
                } else {
                    Ok((Packet::Unknown(buf[..2].to_vec()), 2))
                }
            }
        },
        _ => Ok((Packet::Unknown(vec![h]), 1)),
    };
    Some(result.unwrap_or_else(|e| e))
}

/// An iterator over `(offset, packet)` in a buffer.
#[derive(Debug, Clone)]
pub struct Packets<'a> {
    buf: &'a [u8],
    pos: usize,
}

/// The packets of `buf`, in order, with their byte offsets.
pub fn packets(buf: &[u8]) -> Packets<'_> {
    Packets { buf, pos: 0 }
}

impl Iterator for Packets<'_> {
    type Item = (usize, Packet);
    fn next(&mut self) -> Option<(usize, Packet)> {
        let (p, n) = decode_packet(self.buf.get(self.pos..)?)?;
        let at = self.pos;
        self.pos += n;
        Some((at, p))
    }
}

/// The packets of one record: everything after the previous record's End/Timestamp, with
/// padding dropped, up to and including this record's End/Timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Offset of the first packet.
    pub offset: usize,
    pub packets: Vec<Packet>,
}

/// Groups the packets of `buf` into records. A trailing group with no End/Timestamp (a
/// partly written record) is returned as well.
pub fn records(buf: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut cur: Option<Record> = None;
    for (at, p) in packets(buf) {
        if p == Packet::Padding {
            continue;
        }
        let end = p.ends_record();
        cur.get_or_insert_with(|| Record {
            offset: at,
            packets: Vec::new(),
        })
        .packets
        .push(p);
        if end {
            out.extend(cur.take());
        }
    }
    out.extend(cur);
    out
}

/// Sign-extends a 56-bit VA from bit 55, which is how addresses appear to software.
fn sign_extend_va(va: u64) -> u64 {
    ((va << 8) as i64 >> 8) as u64
}

fn code_addr(payload: u64) -> CodeAddr {
    CodeAddr {
        va: sign_extend_va(payload & VA_MASK),
        el: (payload >> 61 & 3) as u8,
        ns: payload >> 63 != 0,
    }
}

impl Record {
    /// Rebuilds the [`Sample`] this record describes. `None` without a PC and an
    /// Operation Type this crate models. Instruction addresses come back sign-extended
    /// from bit 55 (the packet holds bits \[55:0\]).
    pub fn sample(&self) -> Option<Sample> {
        let mut s = None::<Sample>;
        let mut op = None;
        let mut rest = Vec::new();
        for p in &self.packets {
            match *p {
                Packet::Address {
                    index: hdr::ADDR_PC,
                    payload,
                } => {
                    let a = code_addr(payload);
                    s = Some(Sample::new(a.va, a.el, a.ns));
                }
                Packet::OpType { class, payload } => op = OpType::from_packet(class, payload),
                _ => rest.push(p),
            }
        }
        let mut s = s?;
        s.op = op?;
        s.events = 0;
        for p in rest {
            match *p {
                Packet::Events { bits, .. } => s.events = bits,
                Packet::Counter { index, value } => match index {
                    hdr::CNT_TOTAL => s.total_latency = value.into(),
                    hdr::CNT_ISSUE => s.issue_latency = value.into(),
                    hdr::CNT_TRANSLATION => s.translation_latency = value.into(),
                    _ => {}
                },
                Packet::Address { index, payload } => match index {
                    hdr::ADDR_BRANCH_TARGET => s.branch_target = Some(code_addr(payload)),
                    hdr::ADDR_DATA_VA => s.data_va = Some(payload),
                    hdr::ADDR_DATA_PA => {
                        s.data_pa = Some(DataPa {
                            pa: payload & VA_MASK,
                            pat: (payload >> 56 & 0xF) as u8,
                            ch: payload >> 62 & 1 != 0,
                            ns: payload >> 63 != 0,
                        })
                    }
                    _ => {}
                },
                Packet::DataSource { value, .. } => s.data_source = Some(value as u8),
                Packet::Context { index, value } => {
                    if let Some(c) = s.context.get_mut(index as usize) {
                        *c = Some(value);
                    }
                }
                Packet::Timestamp(ts) => s.timestamp = Some(ts),
                _ => {}
            }
        }
        Some(s)
    }
}

const EVENT_NAMES: [(u32, &str); 12] = [
    (0, "exception"),
    (1, "retired"),
    (2, "l1d-access"),
    (3, "l1d-refill"),
    (4, "tlb-access"),
    (5, "tlb-walk"),
    (6, "not-taken"),
    (7, "mispredicted"),
    (8, "llc-access"),
    (9, "llc-miss"),
    (10, "remote"),
    (11, "misaligned"),
];

fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for (i, b) in bytes.iter().enumerate() {
        write!(f, "{}{b:02x}", if i == 0 { "" } else { " " })?;
    }
    Ok(())
}

fn describe_op(f: &mut fmt::Formatter<'_>, class: u8, payload: u8) -> fmt::Result {
    match OpType::from_packet(class, payload) {
        Some(OpType::Other { cond }) => {
            write!(f, "op other{}", if cond { " conditional" } else { "" })
        }
        Some(OpType::Branch { cond, indirect }) => write!(
            f,
            "op branch{}{}",
            if cond { " conditional" } else { "" },
            if indirect { " indirect" } else { " direct" }
        ),
        Some(OpType::LoadStore {
            store,
            subclass,
            atomic,
            exclusive,
            acquire_release,
        }) => {
            write!(f, "op {}", if store { "store" } else { "load" })?;
            if atomic || exclusive || acquire_release {
                for (on, name) in [
                    (atomic, "atomic"),
                    (exclusive, "exclusive"),
                    (acquire_release, "acq-rel"),
                ] {
                    if on {
                        write!(f, " {name}")?;
                    }
                }
                Ok(())
            } else {
                let s = match subclass {
                    crate::record::LdStSubclass::Gp => "gp-reg",
                    crate::record::LdStSubclass::SimdFp => "simd-fp",
                    crate::record::LdStSubclass::MteTag => "mte-tag",
                };
                write!(f, " {s}")
            }
        }
        None => write!(f, "op class {class} payload {payload:#04x} (not modelled)"),
    }
}

impl fmt::Display for Packet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Packet::Padding => write!(f, "padding"),
            Packet::End => write!(f, "end"),
            Packet::Timestamp(ts) => write!(f, "timestamp {ts}"),
            Packet::Events { bits, .. } => {
                write!(f, "events {bits:#x}")?;
                for b in 0..64u32 {
                    if bits >> b & 1 != 0 {
                        match EVENT_NAMES.iter().find(|(n, _)| *n == b) {
                            Some((_, name)) => write!(f, " {name}")?,
                            None => write!(f, " e{b}")?,
                        }
                    }
                }
                Ok(())
            }
            Packet::DataSource { value, .. } => write!(f, "data-source {value:#x}"),
            Packet::Context { index, value } => {
                write!(f, "context CONTEXTIDR_EL{} {value:#x}", index + 1)
            }
            Packet::OpType { class, payload } => describe_op(f, class, payload),
            Packet::Address { index, payload } => match index {
                hdr::ADDR_PC | hdr::ADDR_BRANCH_TARGET | 4 => {
                    let a = code_addr(payload);
                    let name = ["pc", "target", "", "", "prev-target"][index as usize];
                    write!(
                        f,
                        "{name} {:#018x} el{} {}",
                        a.va,
                        a.el,
                        if a.ns { "ns" } else { "s" }
                    )
                }
                hdr::ADDR_DATA_VA => write!(f, "data-va {payload:#018x}"),
                hdr::ADDR_DATA_PA => write!(
                    f,
                    "data-pa {:#016x} {} ch={} pat={:#x}",
                    payload & VA_MASK,
                    if payload >> 63 != 0 { "ns" } else { "s" },
                    payload >> 62 & 1,
                    payload >> 56 & 0xF
                ),
                _ => write!(f, "address[{index}] {payload:#018x}"),
            },
            Packet::Counter { index, value } => match index {
                hdr::CNT_TOTAL => write!(f, "latency total {value}"),
                hdr::CNT_ISSUE => write!(f, "latency issue {value}"),
                hdr::CNT_TRANSLATION => write!(f, "latency translation {value}"),
                _ => write!(f, "counter[{index}] {value}"),
            },
            Packet::Unknown(ref b) => {
                write!(f, "unknown packet ")?;
                write_hex(f, b)
            }
            Packet::Truncated(ref b) => {
                write!(f, "truncated packet ")?;
                write_hex(f, b)
            }
        }
    }
}

/// A printable listing of a raw buffer: one line per packet, with its offset and bytes;
/// runs of padding are folded into one line, and a blank line follows each record end.
pub struct Dump<'a>(pub &'a [u8]);

impl fmt::Display for Dump<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut iter = packets(self.0).peekable();
        while let Some((at, p)) = iter.next() {
            if p == Packet::Padding {
                let mut n = 1;
                while iter.next_if(|(_, q)| *q == Packet::Padding).is_some() {
                    n += 1;
                }
                writeln!(f, "{at:08x}  {:<27} padding x{n}", "00 ..")?;
                continue;
            }
            let end = iter.peek().map_or(self.0.len(), |(o, _)| *o);
            let bytes = &self.0[at..end];
            let shown = &bytes[..bytes.len().min(9)];
            let hex: String = shown.iter().map(|b| format!("{b:02x} ")).collect();
            let more = if bytes.len() > shown.len() { ".." } else { "" };
            writeln!(
                f,
                "{at:08x}  {:<27} {p}",
                format!("{}{more}", hex.trim_end())
            )?;
            if p.ends_record() {
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{encode, event, LdStSubclass};

    fn samples() -> Vec<Sample> {
        let ld = Sample {
            op: OpType::LoadStore {
                store: true,
                subclass: LdStSubclass::SimdFp,
                atomic: false,
                exclusive: false,
                acquire_release: false,
            },
            events: event::RETIRED | event::L1D_ACCESS | event::L1D_REFILL | event::LLC_MISS,
            issue_latency: 4,
            total_latency: 300,
            translation_latency: 20,
            data_va: Some(0x0000_ffff_f000_0010),
            data_pa: Some(DataPa {
                pa: 0x8000_0010,
                ns: true,
                ch: true,
                pat: 0xA,
            }),
            data_source: Some(0xE),
            context: [Some(42), None],
            timestamp: Some(123_456_789),
            ..Sample::new(0x0000_aaaa_0000_1000, 0, true)
        };
        let br = Sample {
            op: OpType::Branch {
                cond: true,
                indirect: false,
            },
            events: event::RETIRED | event::MISPREDICTED | event::NOT_TAKEN,
            branch_target: Some(CodeAddr {
                va: 0xffff_8000_0800_0040,
                el: 1,
                ns: true,
            }),
            total_latency: 2,
            ..Sample::new(0xffff_8000_0800_0000, 1, true)
        };
        vec![ld, br, Sample::new(0xffff_8000_1000_0000, 2, false)]
    }

    #[test]
    fn records_round_trip() {
        let all = samples();
        let buf: Vec<u8> = all.iter().flat_map(|s| encode(s, 64).unwrap()).collect();
        let recs = records(&buf);
        assert_eq!(recs.len(), all.len());
        for (r, s) in recs.iter().zip(&all) {
            assert_eq!(r.sample().as_ref(), Some(s));
        }
        assert_eq!(recs[1].offset, 64);
    }

    #[test]
    fn dump_is_readable() {
        let buf = encode(&samples()[0], 64).unwrap();
        let text = Dump(&buf).to_string();
        let expect = "\
00000000  b0 00 10 00 00 aa aa 00 80  pc 0x0000aaaa00001000 el0 ns
00000009  64 2a 00 00 00              context CONTEXTIDR_EL1 0x2a
0000000e  49 05                       op store simd-fp
00000010  52 0e 02                    events 0x20e retired l1d-access l1d-refill llc-miss
";
        assert!(text.starts_with(expect), "{text}");
        assert!(
            text.contains("data-pa 0x00000080000010 ns ch=1 pat=0xa"),
            "{text}"
        );
        assert!(text.contains("timestamp 123456789\n\n"), "{text}");
        assert!(
            text.ends_with("00 ..                       padding x7\n"),
            "{text}"
        );
    }

    #[test]
    fn unknown_and_truncated() {
        let got: Vec<_> = packets(&[0x02, 0x20, 0x07, 0xB0, 0x01])
            .map(|(_, p)| p)
            .collect();
        assert_eq!(
            got,
            vec![
                Packet::Unknown(vec![0x02]),
                Packet::Unknown(vec![0x20, 0x07]),
                Packet::Truncated(vec![0xB0, 0x01]),
            ]
        );
        // Extended header: counter index 8 + 1.
        let (p, n) = decode_packet(&[0x21, 0x99, 0x05, 0x00]).unwrap();
        assert_eq!(decode_packet(&[]), None);
        assert_eq!((p, n), (Packet::Counter { index: 9, value: 5 }, 4));
    }

    /// A deterministic xorshift stream: enough to shake the decoder without a dependency.
    #[test]
    fn never_panics_on_random_bytes() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..2000 {
            let len = (next() % 200) as usize;
            let buf: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Packets tile the buffer: offsets strictly increase and stay inside it.
            let mut last = None;
            for (at, p) in packets(&buf) {
                assert!(at < buf.len() && last.is_none_or(|l| l < at));
                last = Some(at);
                let _ = p.to_string();
            }
            let _ = Dump(&buf).to_string();
            for r in records(&buf) {
                let _ = r.sample();
            }
        }
    }
}
