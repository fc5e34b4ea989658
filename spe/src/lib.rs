//! FEAT_SPE on the host side: the record packets of the Arm ARM's Statistical Profiling
//! Extension (encode and decode), and perf.data files that Linux perf decodes.
//!
//! This crate knows nothing of the emulator: the timing model describes each sampled
//! operation as a [`Sample`], and the profiling-buffer model or an exporter turns it into
//! bytes.
//!
//! - `record.rs`: [`Sample`] and its encoding as one SPE record ([`encode`],
//!   [`RecordFormat`]).
//! - `decode.rs`: raw buffer to packets and records ([`packets`], [`records`]), and a
//!   readable listing ([`Dump`]) for `hypsim spe-decode`.
//! - `perf_data.rs`: [`PerfDataWriter`], perf.data files in AUX mode (raw SPE data for
//!   perf's decoder) or samples mode (ordinary perf samples).

pub mod decode;
pub mod perf_data;
pub mod record;

pub use decode::{decode_packet, packets, records, Dump, Packet, Record};
pub use perf_data::{aux_payloads, KernelMap, Mode, PerfDataConfig, PerfDataError, PerfDataWriter};
pub use record::{
    data_source, encode, event, CodeAddr, DataPa, EncodeError, LdStSubclass, OpType, RecordFormat,
    Sample, CONTEXT_EL1, CONTEXT_EL2,
};
