//! Element access to the SIMD&FP registers, shared by the FP and Advanced SIMD handlers.
//!
//! V`n` is 128 bits; the B/H/S/D views are its low bits. A scalar or 64-bit-vector write
//! clears every bit above the written width (Arm ARM: writes to a SIMD&FP register with
//! a width below 128 bits zero the upper part, "V[] = ZeroExtend").

use crate::state::Cpu;

impl Cpu {
    /// Element `index` of size 2^`esize_log2` bytes (0 = B .. 3 = D) of V`n`.
    #[inline(always)]
    pub(crate) fn v_elem(&self, n: u32, index: u32, esize_log2: u32) -> u64 {
        let bits = 8u32 << esize_log2;
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        ((self.v[n as usize] >> (index * bits)) as u64) & mask
    }

    /// Set element `index` of V`n`, leaving the other elements unchanged.
    #[inline(always)]
    pub(crate) fn set_v_elem(&mut self, n: u32, index: u32, esize_log2: u32, val: u64) {
        let bits = 8u32 << esize_log2;
        let mask: u128 = if bits == 64 {
            u64::MAX as u128
        } else {
            (1u128 << bits) - 1
        };
        let sh = index * bits;
        let r = &mut self.v[n as usize];
        *r = (*r & !(mask << sh)) | (((val as u128) & mask) << sh);
    }

    /// Write the low `bits` (8, 16, 32, 64 or 128) of V`n`, zeroing the rest.
    #[inline(always)]
    pub(crate) fn set_v_width(&mut self, n: u32, bits: u32, val: u128) {
        self.v[n as usize] = if bits >= 128 {
            val
        } else {
            val & ((1u128 << bits) - 1)
        };
    }
}

#[cfg(test)]
mod tests {
    use crate::{Conduit, Cpu, CpuConfig};

    #[test]
    fn elements_and_zeroing() {
        let mut c = Cpu::new(
            CpuConfig {
                has_el2: false,
                conduit: Conduit::Hvc,
                mpidr_aff: 0,
                index: 0,
                gic: false,
                pa_bits: 48,
                mte: false,
                spe: 0,
            },
            1,
        );
        c.set_vreg(3, u128::MAX);
        c.set_v_elem(3, 1, 1, 0x1234);
        assert_eq!(c.v_elem(3, 1, 1), 0x1234);
        assert_eq!(c.v_elem(3, 0, 1), 0xffff);
        c.set_v_width(3, 64, u128::MAX);
        assert_eq!(c.vreg(3), u64::MAX as u128);
    }
}
