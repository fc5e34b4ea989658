//! Unit tests, one file per device.

mod pl011;
mod pl031;
