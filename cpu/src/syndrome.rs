//! The instruction syndrome of a stage 2 Data Abort (ESR_EL2.ISS\[24:14\], D23.2 ESR_ELx
//! "ISS encoding for an exception from a Data Abort"), derived from the faulting
//! instruction's encoding when the abort is taken, so the load/store hot path carries no
//! syndrome bookkeeping.
//!
//! ISV = 1 only for loads and stores of a single general-purpose register without
//! writeback, including the acquire/release and unprivileged forms; never for exclusives,
//! pairs, atomics, SIMD&FP registers or anything with writeback (the hypervisor then has to
//! decode the instruction itself, as KVM does for ISV = 0).

/// ISS\[24:14\] with ISV set: SAS (access size), SSE (sign-extending load), SRT (Rt), SF
/// (64-bit register) and AR (acquire/release), or `None` when `raw` does not qualify.
pub(crate) fn data_abort_iss(raw: u32) -> Option<u32> {
    let size = raw >> 30;
    let rt = raw & 0x1f;
    let (sse, sf, ar) = if raw & 0x3f00_0000 == 0x3900_0000 {
        // LDR/STR (immediate, unsigned offset): size 111 V=0 01 opc imm12 Rn Rt.
        plain(size, (raw >> 22) & 3)?
    } else if raw & 0x3f20_0000 == 0x3800_0000 && matches!((raw >> 10) & 3, 0b00 | 0b10) {
        // LDUR/STUR (unscaled) and LDTR/STTR (unprivileged): ... 0 imm9 00|10 Rn Rt;
        // 01 and 11 are post-/pre-index with writeback.
        plain(size, (raw >> 22) & 3)?
    } else if raw & 0x3f20_0c00 == 0x3820_0800 {
        // LDR/STR (register offset): ... 1 Rm option S 10 Rn Rt.
        plain(size, (raw >> 22) & 3)?
    } else if raw & 0x3f20_7c00 == 0x0800_7c00 && raw & (1 << 23) != 0 {
        // LDAR/STLR and LDLAR/STLLR (ordered, o2 = 1, o1 = 0, Rt2 = 11111): AR = 1.
        (false, size == 3, true)
    } else if raw & 0x3fff_fc00 == 0x38bf_c000 {
        // LDAPR (FEAT_LRCPC): size 111000 101 11111 110000 Rn Rt: AR = 1.
        (false, size == 3, true)
    } else if raw & 0x3f20_0c00 == 0x1900_0000 {
        // LDAPUR*/STLUR* (FEAT_LRCPC2): size 011001 opc 0 imm9 00 Rn Rt: AR = 1.
        let (sse, sf, _) = plain(size, (raw >> 22) & 3)?;
        (sse, sf, true)
    } else {
        return None;
    };
    Some(
        (1 << 24)
            | (size << 22)
            | ((sse as u32) << 21)
            | (rt << 16)
            | ((sf as u32) << 15)
            | ((ar as u32) << 14),
    )
}

/// (SSE, SF, AR) of a general-purpose load/store from `opc`: 00 store, 01 zero-extending
/// load, 10 sign-extending load into X (PRFM when size = 3: no abort syndrome), 11
/// sign-extending load into W (unallocated for size >= 2).
fn plain(size: u32, opc: u32) -> Option<(bool, bool, bool)> {
    match opc {
        0b00 | 0b01 => Some((false, size == 3, false)),
        0b10 if size < 3 => Some((true, true, false)),
        0b11 if size < 2 => Some((true, false, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::data_abort_iss;

    /// Words from GNU as (aarch64-linux-gnu-as), with the ISS the Arm ARM field rules give.
    #[test]
    fn syndromes_of_known_encodings() {
        let isv = 1 << 24;
        // ldr x1, [x2]: SAS=3, SRT=1, SF=1
        assert_eq!(
            data_abort_iss(0xf9400041),
            Some(isv | 3 << 22 | 1 << 16 | 1 << 15)
        );
        // strb w3, [x4, #1]: SAS=0, SRT=3
        assert_eq!(data_abort_iss(0x39000483), Some(isv | 3 << 16));
        // ldrsh w5, [x6]: SAS=1, SSE=1, SF=0
        assert_eq!(
            data_abort_iss(0x79c000c5),
            Some(isv | 1 << 22 | 1 << 21 | 5 << 16)
        );
        // ldrsw x7, [x8, x9]: SAS=2, SSE=1, SF=1
        assert_eq!(
            data_abort_iss(0xb8a96907),
            Some(isv | 2 << 22 | 1 << 21 | 7 << 16 | 1 << 15)
        );
        // ldur w10, [x11, #-4]
        assert_eq!(data_abort_iss(0xb85fc16a), Some(isv | 2 << 22 | 10 << 16));
        // ldar x12, [x13]: AR=1
        assert_eq!(
            data_abort_iss(0xc8dffdac),
            Some(isv | 3 << 22 | 12 << 16 | 1 << 15 | 1 << 14)
        );
        // stlr w14, [x15]
        assert_eq!(
            data_abort_iss(0x889ffdee),
            Some(isv | 2 << 22 | 14 << 16 | 1 << 14)
        );
        // ldr x1, [x2], #8 (post-index): writeback, no syndrome
        assert_eq!(data_abort_iss(0xf8408441), None);
        // ldr x1, [x2, #8]! (pre-index)
        assert_eq!(data_abort_iss(0xf8408c41), None);
        // ldp x1, x2, [x3]
        assert_eq!(data_abort_iss(0xa9400861), None);
        // ldxr x1, [x2]
        assert_eq!(data_abort_iss(0xc85f7c41), None);
        // ldadd x1, x2, [x3]
        assert_eq!(data_abort_iss(0xf8210062), None);
        // ldr q0, [x1] (SIMD&FP)
        assert_eq!(data_abort_iss(0x3dc00020), None);
    }
}
