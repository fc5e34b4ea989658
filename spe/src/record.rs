//! One sampled operation ([`Sample`]) and its encoding as an SPE record.
//!
//! The packet formats follow the Arm ARM (DDI0487) chapter D18.2, "Alphabetical list of
//! Statistical Profiling Extension packets" (as transcribed in wuyongzheng/arm-md-specs).
//! Records are written in the packet order real cores use, so that decoders tuned to
//! hardware output (Linux perf, Arm's spe-parser) see nothing unusual.

use thiserror::Error;

/// Event bits of the Events packet (Arm ARM D18.2.6), as masks.
pub mod event {
    /// E\[0\]: the operation completed with a synchronous exception.
    pub const EXCEPTION: u64 = 1 << 0;
    /// E\[1\]: the operation was architecturally retired.
    pub const RETIRED: u64 = 1 << 1;
    /// E\[2\]: level 1 data cache access.
    pub const L1D_ACCESS: u64 = 1 << 2;
    /// E\[3\]: level 1 data cache refill.
    pub const L1D_REFILL: u64 = 1 << 3;
    /// E\[4\]: TLB access.
    pub const TLB_ACCESS: u64 = 1 << 4;
    /// E\[5\]: TLB walk (refill).
    pub const TLB_WALK: u64 = 1 << 5;
    /// E\[6\]: conditional operation that failed its condition (branch not taken).
    pub const NOT_TAKEN: u64 = 1 << 6;
    /// E\[7\]: mispredicted branch.
    pub const MISPREDICTED: u64 = 1 << 7;
    /// E\[8\]: last level cache access.
    pub const LLC_ACCESS: u64 = 1 << 8;
    /// E\[9\]: last level cache miss.
    pub const LLC_MISS: u64 = 1 << 9;
    /// E\[10\]: access to another socket.
    pub const REMOTE_ACCESS: u64 = 1 << 10;
    /// E\[11\]: misalignment cost extra latency (FEAT_SPEv1p1).
    pub const ALIGNMENT: u64 = 1 << 11;
}

/// Values of the (IMPLEMENTATION DEFINED) Data Source packet in the Neoverse coding, the
/// one Linux perf decodes for Neoverse MIDRs.
pub mod data_source {
    /// Level 1 data cache.
    pub const L1D: u8 = 0x0;
    /// Level 2 cache.
    pub const L2: u8 = 0x8;
    /// System level cache.
    pub const SYSTEM_CACHE: u8 = 0xB;
    /// DRAM.
    pub const DRAM: u8 = 0xE;
}

/// Register file a load/store targets (Operation Type, class 0b01, "Load/store, general").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LdStSubclass {
    /// General-purpose registers (SUBCLASS 0b0000000x).
    Gp,
    /// SIMD&FP registers (SUBCLASS 0b0000010x).
    SimdFp,
    /// Allocation Tag load/store, FEAT_MTE2 (SUBCLASS 0b0001010x).
    MteTag,
}

/// The Operation Type packet's class and payload fields (Arm ARM D18.2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpType {
    /// CLASS 0b00, "Other": COND is set for conditional select/compare.
    Other { cond: bool },
    /// CLASS 0b01. When any of `atomic`, `exclusive`, `acquire_release` is set the
    /// "Load/store, extended" payload is used, which has no field for the register file,
    /// so `subclass` is not encoded then (decoding gives [`LdStSubclass::Gp`]).
    LoadStore {
        /// LDST: not a memory-reading instruction.
        store: bool,
        subclass: LdStSubclass,
        /// AT.
        atomic: bool,
        /// EXCL.
        exclusive: bool,
        /// AR.
        acquire_release: bool,
    },
    /// CLASS 0b10, branch or exception return: COND and IND.
    Branch { cond: bool, indirect: bool },
}

impl OpType {
    /// The packet's CLASS field (header bits \[1:0\]).
    pub fn class(&self) -> u8 {
        match self {
            OpType::Other { .. } => 0,
            OpType::LoadStore { .. } => 1,
            OpType::Branch { .. } => 2,
        }
    }

    /// The packet's payload byte.
    pub fn payload(&self) -> u8 {
        match *self {
            OpType::Other { cond } => cond as u8,
            OpType::LoadStore {
                store,
                subclass,
                atomic,
                exclusive,
                acquire_release,
            } => {
                if atomic || exclusive || acquire_release {
                    0b10 | (atomic as u8) << 2
                        | (exclusive as u8) << 3
                        | (acquire_release as u8) << 4
                        | store as u8
                } else {
                    let sub = match subclass {
                        LdStSubclass::Gp => 0x00,
                        LdStSubclass::SimdFp => 0x04,
                        LdStSubclass::MteTag => 0x14,
                    };
                    sub | store as u8
                }
            }
            OpType::Branch { cond, indirect } => (indirect as u8) << 1 | cond as u8,
        }
    }

    /// The inverse of [`OpType::class`] + [`OpType::payload`] for the payloads this crate
    /// models; `None` for other subclasses (SVE, memcpy, GCS, ...).
    pub fn from_packet(class: u8, payload: u8) -> Option<OpType> {
        match class {
            0 if payload & !1 == 0 => Some(OpType::Other {
                cond: payload & 1 != 0,
            }),
            1 => {
                let store = payload & 1 != 0;
                let plain = |subclass| OpType::LoadStore {
                    store,
                    subclass,
                    atomic: false,
                    exclusive: false,
                    acquire_release: false,
                };
                match payload & !1 {
                    0x00 => Some(plain(LdStSubclass::Gp)),
                    0x04 => Some(plain(LdStSubclass::SimdFp)),
                    0x14 => Some(plain(LdStSubclass::MteTag)),
                    p if p & 0xE2 == 0x02 => Some(OpType::LoadStore {
                        store,
                        subclass: LdStSubclass::Gp,
                        atomic: p & 0x04 != 0,
                        exclusive: p & 0x08 != 0,
                        acquire_release: p & 0x10 != 0,
                    }),
                    _ => None,
                }
            }
            2 if payload & 0xFC == 0 => Some(OpType::Branch {
                cond: payload & 1 != 0,
                indirect: payload & 2 != 0,
            }),
            _ => None,
        }
    }
}

/// A data physical address with the attributes of the Address packet, index 0b00011.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DataPa {
    /// Bits \[55:0\] are recorded.
    pub pa: u64,
    /// Non-secure physical address space.
    pub ns: bool,
    /// CH: the access was checked against an Allocation Tag (FEAT_MTE2).
    pub ch: bool,
    /// PAT: the Physical Address Tag (4 bits).
    pub pat: u8,
}

/// An instruction address with its Exception level and Security state, as the PC and
/// branch-target Address packets carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CodeAddr {
    /// Bits \[55:0\] are recorded; decoders rebuild the top byte.
    pub va: u64,
    /// Exception level, 0..=3.
    pub el: u8,
    /// Non-secure state.
    pub ns: bool,
}

/// Index of the Context packet (Arm ARM D18.2.2) that carries CONTEXTIDR_EL1.
pub const CONTEXT_EL1: usize = 0;
/// Index of the Context packet that carries CONTEXTIDR_EL2.
pub const CONTEXT_EL2: usize = 1;

/// One sampled operation, as the timing model reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sample {
    /// Virtual address of the sampled instruction.
    pub pc: u64,
    /// Exception level the instruction executed at (0..=2).
    pub el: u8,
    /// Non-secure state.
    pub ns: bool,
    pub op: OpType,
    /// Events packet bits; see [`event`].
    pub events: u64,
    /// Cycles waiting to be issued.
    pub issue_latency: u32,
    /// Cycles from dispatch to completion; Linux perf reports it as the sample weight.
    pub total_latency: u32,
    /// Cycles waiting for translation; emitted for loads/stores only.
    pub translation_latency: u32,
    /// Data virtual address, all 64 bits (top-byte tag included).
    pub data_va: Option<u64>,
    pub data_pa: Option<DataPa>,
    pub branch_target: Option<CodeAddr>,
    /// IMPLEMENTATION DEFINED source of loaded data; see [`data_source`].
    pub data_source: Option<u8>,
    /// Context packets by INDEX ([`CONTEXT_EL1`], [`CONTEXT_EL2`]): a record may carry
    /// both (CollectContextIDR1 and CollectContextIDR2 are independent).
    pub context: [Option<u32>; 2],
    /// Counter value; without it the record ends with an End packet.
    pub timestamp: Option<u64>,
}

impl Sample {
    /// A retired, unconditional "Other" operation at `pc`: a base to fill in.
    pub fn new(pc: u64, el: u8, ns: bool) -> Sample {
        Sample {
            pc,
            el,
            ns,
            op: OpType::Other { cond: false },
            events: event::RETIRED,
            issue_latency: 0,
            total_latency: 0,
            translation_latency: 0,
            data_va: None,
            data_pa: None,
            branch_target: None,
            data_source: None,
            context: [None; 2],
            timestamp: None,
        }
    }
}

/// Why a sample could not be encoded.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum EncodeError {
    #[error("SPE record needs {needed} bytes but the record size is {record_size}")]
    DoesNotFit { needed: usize, record_size: usize },
    #[error("counter size {0} bits is not 12 or 16")]
    BadCounterSize(u8),
}

/// Header bytes (short formats), shared with the decoder. `ss` is SZ: payload size
/// 1 << SZ bytes.
pub(crate) mod hdr {
    /// Padding, D18.2.8: 0b00000000.
    pub const PAD: u8 = 0x00;
    /// End, D18.2.5: 0b00000001.
    pub const END: u8 = 0x01;
    /// Timestamp, D18.2.9: 0b01110001 (SZ = doubleword).
    pub const TIMESTAMP: u8 = 0x71;
    /// Events, D18.2.6: 0b01ss0010.
    pub const EVENTS: u8 = 0x42;
    /// Data Source, D18.2.4: 0b01ss0011.
    pub const DATA_SOURCE: u8 = 0x43;
    /// Context, D18.2.2: 0b011001ii (SZ = word), ii = INDEX.
    pub const CONTEXT: u8 = 0x64;
    /// Operation Type, D18.2.7: 0b010010cc (SZ = byte), cc = CLASS.
    pub const OP_TYPE: u8 = 0x48;
    /// Address, D18.2.1: 0b10110iii (SZ = doubleword), iii = INDEX\[2:0\].
    pub const ADDRESS: u8 = 0xB0;
    /// Counter, D18.2.3: 0b10011iii (SZ = halfword), iii = INDEX\[2:0\].
    pub const COUNTER: u8 = 0x98;
    /// Byte 0 of an extended Address/Counter header, D18.2.1/D18.2.3: 0b001000jj with
    /// jj = INDEX\[4:3\]; byte 1 is the short header.
    pub const EXTENDED: u8 = 0x20;

    pub const ADDR_PC: u8 = 0;
    pub const ADDR_BRANCH_TARGET: u8 = 1;
    pub const ADDR_DATA_VA: u8 = 2;
    pub const ADDR_DATA_PA: u8 = 3;
    pub const CNT_TOTAL: u8 = 0;
    pub const CNT_ISSUE: u8 = 1;
    pub const CNT_TRANSLATION: u8 = 2;
}

/// Payload of a PC or branch-target Address packet (D18.2.1): \[55:0\] VA, \[62:61\] EL, \[63\] NS.
pub(crate) fn code_addr_payload(a: CodeAddr) -> u64 {
    (a.va & VA_MASK) | ((a.el as u64 & 3) << 61) | ((a.ns as u64) << 63)
}

/// Payload of a data PA Address packet (D18.2.1): \[55:0\] PA, \[59:56\] PAT, \[62\] CH, \[63\] NS.
pub(crate) fn data_pa_payload(p: DataPa) -> u64 {
    (p.pa & VA_MASK) | ((p.pat as u64 & 0xF) << 56) | ((p.ch as u64) << 62) | ((p.ns as u64) << 63)
}

pub(crate) const VA_MASK: u64 = (1 << 56) - 1;

/// The shape of the records a profiling unit writes: PMBIDR.Align/PMSIDR.MaxSize give the
/// record size, PMSIDR.CountSize the counter width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordFormat {
    /// Every record is padded with Padding packets to exactly this many bytes.
    pub record_size: usize,
    /// 12 or 16: counters saturate at all-ones of this width.
    pub counter_bits: u8,
}

impl Default for RecordFormat {
    /// 64-byte records (Align = MaxSize = 6), 12-bit counters (CountSize = 2).
    fn default() -> Self {
        RecordFormat {
            record_size: 64,
            counter_bits: 12,
        }
    }
}

impl RecordFormat {
    /// Appends the record for `s` to `out`, padded to `record_size`. Nothing is appended on
    /// error.
    pub fn encode_into(&self, s: &Sample, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.counter_bits != 12 && self.counter_bits != 16 {
            return Err(EncodeError::BadCounterSize(self.counter_bits));
        }
        let start = out.len();
        let max = (1u32 << self.counter_bits) - 1;
        let counter = |out: &mut Vec<u8>, index: u8, cycles: u32| {
            out.push(hdr::COUNTER | index);
            out.extend_from_slice(&(cycles.min(max) as u16).to_le_bytes());
        };
        let address = |out: &mut Vec<u8>, index: u8, payload: u64| {
            out.push(hdr::ADDRESS | index);
            out.extend_from_slice(&payload.to_le_bytes());
        };

        let pc = CodeAddr {
            va: s.pc,
            el: s.el,
            ns: s.ns,
        };
        address(out, hdr::ADDR_PC, code_addr_payload(pc));
        for (index, c) in s.context.iter().enumerate() {
            if let Some(v) = c {
                out.push(hdr::CONTEXT | index as u8);
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&[hdr::OP_TYPE | s.op.class(), s.op.payload()]);
        // The smallest Events payload that holds every set bit; decoders treat the
        // bits not output as zero (D18.2.6).
        let ev_bytes = match s.events {
            0..=0xFF => 1usize,
            0x100..=0xFFFF => 2,
            0x1_0000..=0xFFFF_FFFF => 4,
            _ => 8,
        };
        out.push(hdr::EVENTS | (ev_bytes.trailing_zeros() as u8) << 4);
        out.extend_from_slice(&s.events.to_le_bytes()[..ev_bytes]);
        counter(out, hdr::CNT_ISSUE, s.issue_latency);
        if let Some(t) = s.branch_target {
            address(out, hdr::ADDR_BRANCH_TARGET, code_addr_payload(t));
        }
        if let Some(va) = s.data_va {
            address(out, hdr::ADDR_DATA_VA, va);
        }
        if matches!(s.op, OpType::LoadStore { .. }) {
            counter(out, hdr::CNT_TRANSLATION, s.translation_latency);
        }
        if let Some(pa) = s.data_pa {
            address(out, hdr::ADDR_DATA_PA, data_pa_payload(pa));
        }
        counter(out, hdr::CNT_TOTAL, s.total_latency);
        if let Some(ds) = s.data_source {
            out.extend_from_slice(&[hdr::DATA_SOURCE, ds]);
        }
        match s.timestamp {
            Some(ts) => {
                out.push(hdr::TIMESTAMP);
                out.extend_from_slice(&ts.to_le_bytes());
            }
            None => out.push(hdr::END),
        }

        let needed = out.len() - start;
        if needed > self.record_size {
            out.truncate(start);
            return Err(EncodeError::DoesNotFit {
                needed,
                record_size: self.record_size,
            });
        }
        out.resize(start + self.record_size, hdr::PAD);
        Ok(())
    }

    /// The record for `s` as a new vector.
    pub fn encode(&self, s: &Sample) -> Result<Vec<u8>, EncodeError> {
        let mut v = Vec::with_capacity(self.record_size);
        self.encode_into(s, &mut v)?;
        Ok(v)
    }
}

/// Encodes `s` as one record of `record_size` bytes with 12-bit counters.
pub fn encode(s: &Sample, record_size: usize) -> Result<Vec<u8>, EncodeError> {
    RecordFormat {
        record_size,
        ..RecordFormat::default()
    }
    .encode(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load() -> Sample {
        Sample {
            op: OpType::LoadStore {
                store: false,
                subclass: LdStSubclass::Gp,
                atomic: false,
                exclusive: false,
                acquire_release: false,
            },
            events: event::RETIRED | event::L1D_ACCESS | event::TLB_ACCESS,
            issue_latency: 3,
            total_latency: 9,
            translation_latency: 1,
            data_va: Some(0xffff_0000_1234_5678),
            data_pa: Some(DataPa {
                pa: 0x4123_4678,
                ns: true,
                ch: false,
                pat: 0,
            }),
            data_source: Some(data_source::L1D),
            ..Sample::new(0xffff_8000_0810_0000, 1, true)
        }
    }

    #[test]
    fn load_record_bytes() {
        let r = encode(&load(), 64).unwrap();
        assert_eq!(r.len(), 64);
        let expect: &[u8] = &[
            0xB0, 0x00, 0x00, 0x10, 0x08, 0x00, 0x80, 0xFF, 0xA0, // PC, EL1, NS
            0x49, 0x00, // LD GP
            0x42, 0x16, // events
            0x99, 0x03, 0x00, // issue
            0xB2, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0xFF, 0xFF, // VA
            0x9A, 0x01, 0x00, // xlat
            0xB3, 0x78, 0x46, 0x23, 0x41, 0x00, 0x00, 0x00, 0x80, // PA, NS
            0x98, 0x09, 0x00, // total
            0x43, 0x00, // data source
            0x01, // end
        ];
        assert_eq!(&r[..expect.len()], expect);
        assert!(r[expect.len()..].iter().all(|&b| b == 0));
    }

    #[test]
    fn fullest_record_fits_64_bytes() {
        // Both Context packets with 32 event bits (the most hypsim's model reports), or
        // one with all 64: exactly 64 bytes.
        let both = Sample {
            events: u32::MAX as u64,
            context: [Some(9), Some(7)],
            timestamp: Some(u64::MAX),
            ..load()
        };
        assert_eq!(encode(&both, 64).unwrap().len(), 64);
        let s = Sample {
            events: u64::MAX,
            context: [None, Some(7)],
            timestamp: Some(u64::MAX),
            ..load()
        };
        assert_eq!(encode(&s, 64).unwrap().len(), 64);
        assert!(matches!(
            encode(&s, 32),
            Err(EncodeError::DoesNotFit { .. })
        ));
    }

    #[test]
    fn counters_saturate() {
        let s = Sample {
            total_latency: 100_000,
            ..load()
        };
        let r = encode(&s, 64).unwrap();
        let i = r.iter().position(|&b| b == 0x98).unwrap();
        assert_eq!(&r[i + 1..i + 3], &[0xFF, 0x0F]);
        let r16 = RecordFormat {
            record_size: 64,
            counter_bits: 16,
        }
        .encode(&s)
        .unwrap();
        assert_eq!(&r16[i + 1..i + 3], &[0xFF, 0xFF]);
    }

    #[test]
    fn op_type_round_trip() {
        let ops = [
            OpType::Other { cond: true },
            OpType::Branch {
                cond: true,
                indirect: true,
            },
            OpType::LoadStore {
                store: true,
                subclass: LdStSubclass::MteTag,
                atomic: false,
                exclusive: false,
                acquire_release: false,
            },
            OpType::LoadStore {
                store: false,
                subclass: LdStSubclass::Gp,
                atomic: true,
                exclusive: false,
                acquire_release: true,
            },
        ];
        for op in ops {
            assert_eq!(OpType::from_packet(op.class(), op.payload()), Some(op));
        }
    }
}
