//! Guest physical memory for hypsim: the RAM mapping and the bus interface the CPU uses.
//!
//! This crate is a leaf: it knows nothing of CPUs or devices. The CPU is generic over
//! [`Bus`], so every memory access is a monomorphised call with no `dyn` on the hot path.
#![deny(missing_docs)]

mod bus;
mod ram;
mod tags;
pub mod walk;

pub use bus::{Bus, MmioResult};
pub use ram::{page_flag, GuestRam, RamBacking, RamError, PAGE_SHIFT, PAGE_SIZE};
pub use tags::{tag_bytes, TAG_GRANULE};
