//! Integer helpers shared by the data-processing handlers (Arm ARM J1 shared pseudocode:
//! AddWithCarry, DecodeBitMasks, ShiftReg, ExtendReg, ConditionHolds).

/// AddWithCarry for 64 or 32 bits: returns (result, NZCV in bits 31:28).
#[inline(always)]
pub fn add_with_carry(sf: bool, x: u64, y: u64, carry: bool) -> (u64, u32) {
    if sf {
        let (r1, c1) = x.overflowing_add(y);
        let (r, c2) = r1.overflowing_add(carry as u64);
        let v = ((x ^ r) & (y ^ r)) >> 63;
        (r, nz64(r) | (((c1 | c2) as u32) << 29) | ((v as u32) << 28))
    } else {
        let (x, y) = (x as u32, y as u32);
        let (r1, c1) = x.overflowing_add(y);
        let (r, c2) = r1.overflowing_add(carry as u32);
        let v = ((x ^ r) & (y ^ r)) >> 31;
        (r as u64, nz32(r) | (((c1 | c2) as u32) << 29) | (v << 28))
    }
}

/// N and Z flags of a 64-bit result.
#[inline(always)]
pub fn nz64(r: u64) -> u32 {
    (((r >> 63) as u32) << 31) | (((r == 0) as u32) << 30)
}

/// N and Z flags of a 32-bit result.
#[inline(always)]
pub fn nz32(r: u32) -> u32 {
    ((r >> 31) << 31) | (((r == 0) as u32) << 30)
}

/// N and Z of a result of width `sf`.
#[inline(always)]
pub fn nz(sf: bool, r: u64) -> u32 {
    if sf {
        nz64(r)
    } else {
        nz32(r as u32)
    }
}

/// Truncate to the operation width.
#[inline(always)]
pub fn width(sf: bool, v: u64) -> u64 {
    if sf {
        v
    } else {
        v as u32 as u64
    }
}

/// ConditionHolds(cond) for NZCV in bits 31:28.
#[inline(always)]
pub fn cond_holds(cond: u32, nzcv: u32) -> bool {
    let n = nzcv >> 31 & 1 != 0;
    let z = nzcv >> 30 & 1 != 0;
    let c = nzcv >> 29 & 1 != 0;
    let v = nzcv >> 28 & 1 != 0;
    let r = match cond >> 1 {
        0 => z,
        1 => c,
        2 => n,
        3 => v,
        4 => c && !z,
        5 => n == v,
        6 => n == v && !z,
        _ => true,
    };
    // cond 0b1111 is "always" too (NV behaves as AL in A64).
    if cond & 1 == 1 && cond != 0xf {
        !r
    } else {
        r
    }
}

/// ShiftReg: shift type 0 LSL, 1 LSR, 2 ASR, 3 ROR, by `amount` < width.
#[inline(always)]
pub fn shift_reg(sf: bool, v: u64, ty: u32, amount: u32) -> u64 {
    if sf {
        match ty {
            0 => v << amount,
            1 => v >> amount,
            2 => ((v as i64) >> amount) as u64,
            _ => v.rotate_right(amount),
        }
    } else {
        let v = v as u32;
        (match ty {
            0 => v << amount,
            1 => v >> amount,
            2 => ((v as i32) >> amount) as u32,
            _ => v.rotate_right(amount),
        }) as u64
    }
}

/// ExtendReg: option 0..7 = UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX, then LSL shift.
#[inline(always)]
pub fn extend_reg(v: u64, option: u32, shift: u32) -> u64 {
    let e = match option {
        0 => v as u8 as u64,
        1 => v as u16 as u64,
        2 => v as u32 as u64,
        3 => v,
        4 => v as i8 as i64 as u64,
        5 => v as i16 as i64 as u64,
        6 => v as i32 as i64 as u64,
        _ => v,
    };
    e << shift
}

/// DecodeBitMasks (Arm ARM J1.1.3): returns (wmask, tmask), or None when the encoding is
/// reserved (which makes the instruction UNDEFINED).
pub fn decode_bit_masks(
    n: u32,
    imms: u32,
    immr: u32,
    immediate: bool,
    datasize: u32,
) -> Option<(u64, u64)> {
    let combined = (n << 6) | (!imms & 0x3f);
    if combined == 0 {
        return None;
    }
    let len = 31 - combined.leading_zeros(); // HighestSetBit
    if len < 1 {
        return None;
    }
    let esize = 1u32 << len;
    if esize > datasize {
        return None;
    }
    let levels = esize - 1;
    if immediate && (imms & levels) == levels {
        return None;
    }
    let s = imms & levels;
    let r = immr & levels;
    let d = s.wrapping_sub(r) & levels;
    let ones = |k: u32| -> u64 {
        if k >= 64 {
            u64::MAX
        } else {
            (1u64 << k) - 1
        }
    };
    let emask = ones(esize);
    let welem = ones(s + 1);
    let telem = ones(d + 1);
    let ror = |v: u64, r: u32| -> u64 {
        if r == 0 {
            v
        } else {
            ((v >> r) | (v << (esize - r))) & emask
        }
    };
    let wrot = ror(welem, r);
    let mut wmask = 0u64;
    let mut tmask = 0u64;
    let mut i = 0;
    while i < datasize {
        wmask |= wrot << i;
        tmask |= telem << i;
        i += esize;
    }
    Some((wmask, tmask))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmask_known_values() {
        // ORR x0, xzr, #0x5555555555555555: N=0 immr=0 imms=0b111100
        assert_eq!(
            decode_bit_masks(0, 0b111100, 0, true, 64).unwrap().0,
            0x5555_5555_5555_5555
        );
        // #0xff: N=1 immr=0 imms=7
        assert_eq!(decode_bit_masks(1, 7, 0, true, 64).unwrap().0, 0xff);
        // all ones is reserved for immediates
        assert!(decode_bit_masks(1, 0x3f, 0, true, 64).is_none());
        // N=1 with 32-bit datasize is reserved
        assert!(decode_bit_masks(1, 0, 0, true, 32).is_none());
    }

    #[test]
    fn flags() {
        assert_eq!(add_with_carry(true, u64::MAX, 1, false), (0, 0x6000_0000));
        assert_eq!(
            add_with_carry(false, 0x7fff_ffff, 1, false),
            (0x8000_0000, 0x9000_0000)
        );
        assert!(cond_holds(0xe, 0) && cond_holds(0xf, 0) && !cond_holds(0, 0));
    }
}
