//! The A64 decode table, compiled by `build.rs` into [`decode`], [`Op`], [`OP_INFO`] and
//! one visitor trait per instruction group.

include!(concat!(env!("OUT_DIR"), "/a64_gen.rs"));

#[cfg(test)]
mod tests;
