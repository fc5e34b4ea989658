//! Device models for hypsim boards.
//!
//! Each model is a bus-agnostic state machine: it takes MMIO reads and writes
//! at offsets within its own window and exposes its interrupt line as a
//! level. Address decoding, interrupt wiring and host I/O threads belong to
//! the board, so the models stay small, deterministic and testable alone.

#![deny(missing_docs)]

mod pl011;
mod pl031;
mod virtio_mmio;

pub use pl011::{Pl011, Pl011State};
pub use pl031::Pl031;
pub use virtio_mmio::empty_transport_read;

#[cfg(test)]
mod tests;
