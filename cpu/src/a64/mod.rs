//! The A64 decode table, compiled by `build.rs` into [`decode`], [`Op`], [`OP_INFO`] and
//! one visitor trait per instruction group.

// Visitor methods take one argument per encoding field, by design; some encodings have
// eight fields.
#[allow(clippy::too_many_arguments)]
mod generated {
    use super::opflag;
    include!(concat!(env!("OUT_DIR"), "/a64_gen.rs"));
}
pub use generated::*;

pub mod opflag;

/// The memory directions of one instance of `op` (`raw` its encoding): (load, store).
/// Rows that cover both directions decide by their opc or L bits.
pub fn mem_direction(op: Op, raw: u32) -> (bool, bool) {
    let f = OP_INFO[op as usize].flags;
    if f & opflag::LOAD_IF_BIT22 != 0 {
        let load = raw & (1 << 22) != 0;
        return (load, !load);
    }
    if f & opflag::LOAD_IF_OPC != 0 {
        let load = raw & (3 << 22) != 0;
        return (load, !load);
    }
    (f & opflag::LOAD != 0, f & opflag::STORE != 0)
}

#[cfg(test)]
mod tests;
