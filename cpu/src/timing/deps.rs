//! The registers an A64 instruction reads and writes, for the `detailed` model's
//! scoreboard (an operation issues when its sources are ready). Decoded from the
//! encoding groups of the Arm ARM's top-level A64 table (C4.1) by field position, not
//! per instruction: register numbers sit in Rd/Rt \[4:0\], Rn \[9:5\], Rm/Rs \[20:16\] and
//! Ra/Rt2 \[14:10\] throughout. The result is approximate where that is cheap and
//! harmless: SP and XZR (register 31) carry no dependency, SVE/SME and the rarer forms
//! fall back to "Rd from Rn and Rm".

/// A scoreboard slot: X0-X30 are 0-30, V0-V31 32-63, NZCV 64.
pub(crate) type Reg = u8;
/// The flags (NZCV).
pub(crate) const FLAGS: Reg = 64;
/// No source: a slot that is always ready.
pub(crate) const NO_SRC: Reg = 65;
/// No destination: a slot written and never read. Destinations are never [`NO_SRC`]
/// (register 31 as a destination becomes this), so that slot stays 0.
pub(crate) const NO_DST: Reg = 66;
/// Scoreboard size.
pub(crate) const SLOTS: usize = 67;

/// What one instruction reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Deps {
    /// Registers read.
    pub(crate) src: [Reg; 4],
    /// Registers the operation's result goes to (ready when it completes).
    pub(crate) dst: [Reg; 2],
    /// A base register written back by a pre/post-indexed access (ready one cycle after
    /// issue, not when the access completes).
    pub(crate) wb: Reg,
    /// Whether it writes the flags.
    pub(crate) flags: bool,
}

fn x(raw: u32, lsb: u32) -> Reg {
    let r = ((raw >> lsb) & 31) as Reg;
    if r == 31 {
        NO_SRC
    } else {
        r
    }
}

fn v(raw: u32, lsb: u32) -> Reg {
    32 + ((raw >> lsb) & 31) as Reg
}

fn bit(raw: u32, n: u32) -> bool {
    raw >> n & 1 != 0
}

/// Turn a "no source" marker into "no destination" (register 31 as a destination).
fn out(r: Reg) -> Reg {
    if r == NO_SRC {
        NO_DST
    } else {
        r
    }
}

impl Deps {
    fn new(src: [Reg; 4], dst: Reg) -> Self {
        Self {
            src,
            dst: [out(dst), NO_DST],
            wb: NO_DST,
            flags: false,
        }
    }
}

/// The operands of `raw`.
pub(crate) fn deps(raw: u32) -> Deps {
    let (rd, rn, rm, ra) = (x(raw, 0), x(raw, 5), x(raw, 16), x(raw, 10));
    let op0 = (raw >> 25) & 0xf;
    match op0 {
        // Data processing - immediate.
        0b1000 | 0b1001 => {
            let mut d = Deps::new([rn, NO_SRC, NO_SRC, NO_SRC], rd);
            match (raw >> 23) & 7 {
                0b000 | 0b001 => d.src[0] = NO_SRC,      // ADR, ADRP
                0b010 => d.flags = bit(raw, 29),         // ADD/SUB (immediate), S
                0b100 => d.flags = (raw >> 29) & 3 == 3, // ANDS
                0b101 => {
                    d.src = [
                        if (raw >> 29) & 3 == 3 { rd } else { NO_SRC },
                        NO_SRC,
                        NO_SRC,
                        NO_SRC,
                    ]
                } // MOVK keeps Rd
                0b110 if (raw >> 29) & 3 == 1 => d.src[1] = rd, // BFM inserts into Rd
                0b111 => d.src[1] = rm,                  // EXTR
                _ => {}
            }
            d
        }
        // Branches, exception generation and system instructions.
        0b1010 | 0b1011 => {
            let mut d = Deps::new([NO_SRC; 4], NO_SRC);
            if raw >> 26 == 0b100101 {
                d.dst[0] = 30; // BL
            } else if (raw >> 25) & 0x3f == 0b011010 || (raw >> 25) & 0x3f == 0b011011 {
                d.src[0] = rd; // CBZ/CBNZ, TBZ/TBNZ test Rt
            } else if raw >> 24 == 0b0101_0100 {
                d.src[0] = FLAGS; // B.cond
            } else if raw >> 25 == 0b110_1011 {
                d.src[0] = rn; // BR, BLR, RET
                if (raw >> 21) & 0xf == 1 {
                    d.dst[0] = 30; // BLR
                }
            } else if raw >> 22 == 0b11_0101_0100 {
                // System: MRS/SYSL write Rt; MSR (register)/SYS read it.
                if bit(raw, 21) {
                    d.dst[0] = out(rd);
                } else if (raw >> 19) & 3 != 0 {
                    d.src[0] = rd;
                }
            }
            d
        }
        // Loads and stores.
        0b0100 | 0b0110 | 0b1100 | 0b1110 => load_store(raw, rd, rn, rm, ra),
        // Data processing - register.
        0b0101 | 0b1101 => {
            let mut d = Deps::new([rn, rm, NO_SRC, NO_SRC], rd);
            if !bit(raw, 28) {
                // Logical (shifted register): ANDS/BICS; ADD/SUB (shifted or extended): S.
                d.flags = if bit(raw, 24) {
                    bit(raw, 29)
                } else {
                    (raw >> 29) & 3 == 3
                };
            } else {
                match (raw >> 21) & 0xf {
                    0b0000 => {
                        d.src[2] = FLAGS; // ADC/SBC read C
                        d.flags = bit(raw, 29);
                    }
                    0b0010 => {
                        // CCMP/CCMN: flags from flags and operands.
                        d.src[2] = FLAGS;
                        d.dst[0] = NO_DST;
                        d.flags = true;
                    }
                    0b0100 => d.src[2] = FLAGS,       // CSEL and friends
                    0b1000..=0b1111 => d.src[2] = ra, // 3-source: MADD, UMULH, ...
                    _ => {}
                }
            }
            d
        }
        // Scalar floating point and Advanced SIMD.
        0b0111 | 0b1111 => fp_simd(raw),
        // SVE, SME, unallocated: no tracked operands.
        _ => Deps::new([NO_SRC; 4], NO_SRC),
    }
}

fn load_store(raw: u32, rt: Reg, rn: Reg, rm: Reg, rt2: Reg) -> Deps {
    let vec = bit(raw, 26);
    let t = |lsb| if vec { v(raw, lsb) } else { x(raw, lsb) };
    let (vt, vt2) = (t(0), t(10));
    let mut d = Deps::new([rn, NO_SRC, NO_SRC, NO_SRC], NO_SRC);
    match (raw >> 28) & 3 {
        0b00 if vec => {
            // Advanced SIMD structure loads and stores (LD1-LD4/ST1-ST4): the first
            // register of the list; post-index writes the base back.
            if bit(raw, 22) {
                d.dst[0] = vt;
            } else {
                d.src[1] = vt;
            }
            if bit(raw, 23) {
                d.src[2] = rm;
                d.wb = out(rn);
            }
        }
        0b00 => {
            // Exclusives, load-acquire/store-release, compare and swap.
            let pair = bit(raw, 21);
            if bit(raw, 23) && pair {
                d.src[1] = rm; // CAS: Rs is compared and receives the old value
                d.src[2] = rt;
                d.dst[0] = out(rm);
            } else if bit(raw, 22) {
                d.dst = [out(rt), if pair { out(rt2) } else { NO_DST }];
            } else {
                d.src[1] = rt;
                d.src[2] = if pair { rt2 } else { NO_SRC };
                if !bit(raw, 23) {
                    d.dst[0] = out(rm); // STXR status
                }
            }
        }
        0b01 => d = Deps::new([NO_SRC; 4], vt), // load literal (PC-relative)
        0b10 => {
            // Pairs: L = 22; post-index (01) and pre-index (11) write the base back.
            if bit(raw, 22) {
                d.dst = [out(vt), out(vt2)];
            } else {
                d.src[1] = vt;
                d.src[2] = vt2;
            }
            if bit(raw, 23) {
                d.wb = out(rn);
            }
        }
        _ => {
            // Single register. A load unless opc (23:22) is 00, or for vectors 10.
            let opc = (raw >> 22) & 3;
            let load = if vec { opc & 1 != 0 } else { opc != 0 };
            let prfm = !vec && raw >> 30 == 3 && opc == 2;
            if !bit(raw, 24) && bit(raw, 21) {
                match (raw >> 10) & 3 {
                    0b00 => {
                        // Atomic memory operations: Rs in, old value to Rt.
                        d.src[1] = rm;
                        d.dst[0] = out(rt);
                        return d;
                    }
                    0b10 => d.src[2] = rm, // register offset
                    _ => d.wb = if bit(raw, 11) { out(rn) } else { NO_DST }, // LDRAA/LDRAB
                }
            } else if !bit(raw, 24) && (raw >> 10) & 1 != 0 {
                d.wb = out(rn); // post-index (01) and pre-index (11)
            }
            if prfm {
            } else if load {
                d.dst[0] = out(vt);
            } else {
                d.src[1] = vt;
            }
        }
    }
    d
}

fn fp_simd(raw: u32) -> Deps {
    let (vd, vn, vm) = (v(raw, 0), v(raw, 5), v(raw, 16));
    let mut d = Deps::new([vn, vm, NO_SRC, NO_SRC], vd);
    let scalar_fp = (raw >> 24) & 0x5f == 0b1_1110 && !bit(raw, 30);
    if (raw >> 24) & 0x5f == 0b1_1111 && !bit(raw, 30) {
        d.src[2] = v(raw, 10); // FMADD and friends: Ra
    } else if scalar_fp && bit(raw, 21) && (raw >> 10) & 0x3f == 0 {
        // Conversion between FP and general registers: SCVTF/UCVTF/FMOV to FP read a
        // general register; the others write one.
        if matches!((raw >> 16) & 7, 2 | 3 | 7) {
            d.src = [x(raw, 5), NO_SRC, NO_SRC, NO_SRC];
        } else {
            d.src = [vn, NO_SRC, NO_SRC, NO_SRC];
            d.dst[0] = out(x(raw, 0));
        }
    } else if scalar_fp && bit(raw, 21) && (raw >> 10) & 0xf == 0b1000 {
        d.dst[0] = NO_DST; // FCMP/FCMPE set the flags
        d.flags = true;
    } else if scalar_fp && bit(raw, 21) && (raw >> 10) & 3 == 0b11 {
        d.src[2] = FLAGS; // FCSEL
    } else if scalar_fp && bit(raw, 21) && (raw >> 10) & 3 == 0b01 {
        d.src[2] = FLAGS; // FCCMP sets the flags from the flags
        d.dst[0] = NO_DST;
        d.flags = true;
    } else if raw & 0x9fe0_8400 == 0x0e00_0400 {
        // Advanced SIMD copy (op = 0): DUP/INS from a general register, SMOV/UMOV to one.
        match (raw >> 11) & 0xf {
            0b0001 => d.src = [x(raw, 5), NO_SRC, NO_SRC, NO_SRC],
            0b0011 => d.src = [x(raw, 5), vd, NO_SRC, NO_SRC],
            0b0101 | 0b0111 => d.dst[0] = out(x(raw, 0)),
            _ => {}
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window relies on it: no encoding writes the always-ready slot.
    #[test]
    fn destinations_are_never_the_no_source_slot() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let d = deps(x as u32);
            assert!(
                !d.dst.contains(&NO_SRC) && d.wb != NO_SRC,
                "{:#010x}",
                x as u32
            );
        }
    }

    /// Encodings from the GNU assembler (aarch64-linux-gnu-as).
    #[test]
    fn operands_of_common_instructions() {
        let n = NO_SRC;
        // add x0, x1, x2
        let d = deps(0x8b02_0020);
        assert_eq!((d.src, d.dst[0], d.flags), ([1, 2, n, n], 0, false));
        // subs x1, x1, #1
        let d = deps(0xf100_0421);
        assert_eq!((d.src[0], d.dst[0], d.flags), (1, 1, true));
        // b.ne .
        assert_eq!(deps(0x5400_0001).src[0], FLAGS);
        // ldr x0, [x0]
        let d = deps(0xf940_0000);
        assert_eq!((d.src[0], d.dst[0], d.wb), (0, 0, NO_DST));
        // ldr x3, [x1], #8
        let d = deps(0xf840_8423);
        assert_eq!((d.src[0], d.dst[0], d.wb), (1, 3, 1));
        // str x2, [x3, x4]
        let d = deps(0xf824_6862);
        assert_eq!((d.src, d.dst[0]), ([3, 2, 4, n], NO_DST));
        // stp x29, x30, [sp, #-16]!
        let d = deps(0xa9bf_7bfd);
        assert_eq!((d.src[1], d.src[2], d.dst[0]), (29, 30, NO_DST));
        // ldp x1, x2, [x0]
        assert_eq!(deps(0xa940_0801).dst, [1, 2]);
        // madd x0, x1, x2, x3
        assert_eq!(deps(0x9b02_0c20).src, [1, 2, 3, n]);
        // csel x0, x1, x2, eq
        assert_eq!(deps(0x9a82_0020).src, [1, 2, FLAGS, n]);
        // cbnz x5, .
        assert_eq!(deps(0xb500_0005).src[0], 5);
        // bl .
        assert_eq!(deps(0x9400_0000).dst[0], 30);
        // ret
        assert_eq!(deps(0xd65f_03c0).src[0], 30);
        // mrs x0, cntvct_el0
        assert_eq!(deps(0xd53b_e040).dst[0], 0);
        // fmadd d0, d0, d1, d2
        let d = deps(0x1f41_0800);
        assert_eq!((d.src[0], d.src[1], d.src[2], d.dst[0]), (32, 33, 34, 32));
        // fmov x0, d1
        let d = deps(0x9e66_0020);
        assert_eq!((d.src[0], d.dst[0]), (33, 0));
        // scvtf d0, x1
        let d = deps(0x9e62_0020);
        assert_eq!((d.src[0], d.dst[0]), (1, 32));
        // fcmp d0, d1
        let d = deps(0x1e61_2000);
        assert_eq!((d.dst[0], d.flags), (NO_DST, true));
        // ldxr x0, [x1]; stxr w2, x3, [x1]
        assert_eq!(deps(0xc85f_7c20).dst[0], 0);
        let d = deps(0xc802_7c23);
        assert_eq!((d.src[1], d.dst[0]), (3, 2));
        // ldadd x1, x2, [x3]
        let d = deps(0xf821_0062);
        assert_eq!((d.src[0], d.src[1], d.dst[0]), (3, 1, 2));
        // umov w0, v1.s[0]
        assert_eq!(deps(0x0e04_3c20).dst[0], 0);
    }
}
