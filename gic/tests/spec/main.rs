//! Behavioural tests of the GICv3 model through its public API only. Offsets,
//! bit positions and expected values are written out from the GICv3
//! architecture specification (IHI0069) and Linux's driver, not taken from
//! the crate, so a wrong constant in the crate cannot agree with itself.

mod common;
mod encoding;
mod flows;
mod fuzz;
mod its;
mod linux_init;
mod registers;
mod sgi;
mod trigger;
