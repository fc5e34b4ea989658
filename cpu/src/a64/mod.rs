//! The A64 decode table, compiled by `build.rs` into [`decode`], [`Op`], [`OP_INFO`] and
//! one visitor trait per instruction group.

// Visitor methods take one argument per encoding field, by design; some encodings have
// eight fields.
#[allow(clippy::too_many_arguments)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/a64_gen.rs"));
}
pub use generated::*;

#[cfg(test)]
mod tests;
