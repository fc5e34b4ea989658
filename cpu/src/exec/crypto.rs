//! Cryptographic extension (Arm ARM C7.2 AESE/AESD/AESMC/AESIMC, SHA1*, SHA256*): the
//! `crypto` rows of `a64/crypto.insn`. The AES helpers follow the shared pseudocode
//! (AESSubBytes, AESShiftRows, AESMixColumns and their inverses) on a 16-byte state whose
//! byte `r + 4 * c` is row `r` of column `c`; the SHA helpers follow SHAchoose,
//! SHAmajority, SHAparity and SHA256hash on 32-bit words, word 0 in bits [31:0].

use super::{fp_check, Exec, Flow, Step};
use crate::a64::VisitCrypto;
use crate::platform::Platform;

/// Multiply by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
const fn xtime(a: u8) -> u8 {
    (a << 1) ^ if a & 0x80 != 0 { 0x1b } else { 0 }
}

/// Product in GF(2^8).
const fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    p
}

/// The AES S-box (FIPS-197 5.1.1): multiplicative inverse, then the affine transform.
const fn make_sbox() -> [u8; 256] {
    let mut s = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        // The inverse of x is x^254 (0 maps to 0).
        let x = i as u8;
        let mut inv = 1u8;
        let mut k = 0;
        while k < 254 {
            inv = gmul(inv, x);
            k += 1;
        }
        if x == 0 {
            inv = 0;
        }
        s[i] = inv
            ^ inv.rotate_left(1)
            ^ inv.rotate_left(2)
            ^ inv.rotate_left(3)
            ^ inv.rotate_left(4)
            ^ 0x63;
        i += 1;
    }
    s
}

const fn make_inv(s: &[u8; 256]) -> [u8; 256] {
    let mut r = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        r[s[i] as usize] = i as u8;
        i += 1;
    }
    r
}

const SBOX: [u8; 256] = make_sbox();
const INV_SBOX: [u8; 256] = make_inv(&SBOX);

/// ShiftRows (`inv` = false) or InvShiftRows, then SubBytes or InvSubBytes.
fn aes_round(v: u128, inv: bool) -> u128 {
    let b = v.to_le_bytes();
    let mut o = [0u8; 16];
    for c in 0..4 {
        for r in 0..4 {
            let src = if inv { (c + 4 - r) % 4 } else { (c + r) % 4 };
            let x = b[r + 4 * src];
            o[r + 4 * c] = if inv {
                INV_SBOX[x as usize]
            } else {
                SBOX[x as usize]
            };
        }
    }
    u128::from_le_bytes(o)
}

/// MixColumns (`inv` = false) or InvMixColumns.
fn aes_mix(v: u128, inv: bool) -> u128 {
    let k: [u8; 4] = if inv { [14, 11, 13, 9] } else { [2, 3, 1, 1] };
    let b = v.to_le_bytes();
    let mut o = [0u8; 16];
    for c in 0..4 {
        for r in 0..4 {
            let mut acc = 0u8;
            for j in 0..4 {
                acc ^= gmul(k[(j + 4 - r) % 4], b[j + 4 * c]);
            }
            o[r + 4 * c] = acc;
        }
    }
    u128::from_le_bytes(o)
}

/// 32-bit word `e` of `v`.
#[inline(always)]
fn w(v: u128, e: u32) -> u32 {
    (v >> (32 * e)) as u32
}

/// `v` with word `e` replaced by `x`.
#[inline(always)]
fn set_w(v: u128, e: u32, x: u32) -> u128 {
    (v & !(0xffff_ffffu128 << (32 * e))) | ((x as u128) << (32 * e))
}

fn sha_choose(x: u32, y: u32, z: u32) -> u32 {
    ((y ^ z) & x) ^ z
}

fn sha_majority(x: u32, y: u32, z: u32) -> u32 {
    (x & y) | ((x | y) & z)
}

fn sha_parity(x: u32, y: u32, z: u32) -> u32 {
    x ^ y ^ z
}

/// The four SHA-1 hash-update rounds of SHA1C/SHA1P/SHA1M: `x` = ABCD, `y` = E, `wk` the
/// four schedule words plus constants; `f` is the round function.
fn sha1_hash(mut x: u128, mut y: u32, wk: u128, f: fn(u32, u32, u32) -> u32) -> u128 {
    for e in 0..4 {
        let t = f(w(x, 1), w(x, 2), w(x, 3));
        y = y
            .wrapping_add(w(x, 0).rotate_left(5))
            .wrapping_add(t)
            .wrapping_add(w(wk, e));
        x = set_w(x, 1, w(x, 1).rotate_left(30));
        // <Y, X> = ROL(Y:X, 32).
        let top = w(x, 3);
        x = (x << 32) | y as u128;
        y = top;
    }
    x
}

/// SHA256hash: four SHA-256 rounds; `part1` returns the new ABCD (SHA256H), otherwise the
/// new EFGH (SHA256H2, which passes the operands swapped).
fn sha256_hash(mut x: u128, mut y: u128, wk: u128, part1: bool) -> u128 {
    for e in 0..4 {
        let chs = sha_choose(w(y, 0), w(y, 1), w(y, 2));
        let maj = sha_majority(w(x, 0), w(x, 1), w(x, 2));
        let y0 = w(y, 0);
        let sigma1 = y0.rotate_right(6) ^ y0.rotate_right(11) ^ y0.rotate_right(25);
        let t = w(y, 3)
            .wrapping_add(sigma1)
            .wrapping_add(chs)
            .wrapping_add(w(wk, e));
        x = set_w(x, 3, t.wrapping_add(w(x, 3)));
        let x0 = w(x, 0);
        let sigma0 = x0.rotate_right(2) ^ x0.rotate_right(13) ^ x0.rotate_right(22);
        y = set_w(y, 3, t.wrapping_add(sigma0).wrapping_add(maj));
        // <Y, X> = ROL(Y:X, 32).
        let (xt, yt) = (w(x, 3), w(y, 3));
        y = (y << 32) | xt as u128;
        x = (x << 32) | yt as u128;
    }
    if part1 {
        x
    } else {
        y
    }
}

impl<B: Platform> Exec<'_, B> {
    #[inline(always)]
    fn put_q(&mut self, rd: u32, v: u128) -> Flow {
        self.cpu.set_v_width(rd, 128, v);
        Ok(Step::Next)
    }

    #[inline(always)]
    fn vq(&self, n: u32) -> u128 {
        self.cpu.vreg(n as usize)
    }
}

impl<B: Platform> VisitCrypto for Exec<'_, B> {
    fn aese(&mut self, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = aes_round(self.vq(rd) ^ self.vq(rn), false);
        self.put_q(rd, r)
    }
    fn aesd(&mut self, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = aes_round(self.vq(rd) ^ self.vq(rn), true);
        self.put_q(rd, r)
    }
    fn aesmc(&mut self, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = aes_mix(self.vq(rn), false);
        self.put_q(rd, r)
    }
    fn aesimc(&mut self, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = aes_mix(self.vq(rn), true);
        self.put_q(rd, r)
    }

    fn sha1c(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = sha1_hash(self.vq(rd), w(self.vq(rn), 0), self.vq(rm), sha_choose);
        self.put_q(rd, r)
    }
    fn sha1p(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = sha1_hash(self.vq(rd), w(self.vq(rn), 0), self.vq(rm), sha_parity);
        self.put_q(rd, r)
    }
    fn sha1m(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = sha1_hash(self.vq(rd), w(self.vq(rn), 0), self.vq(rm), sha_majority);
        self.put_q(rd, r)
    }
    fn sha1su0(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let (op1, op2, op3) = (self.vq(rd), self.vq(rn), self.vq(rm));
        // op2[63:0] : op1[127:64], then EOR op1 EOR op3.
        let r = ((op2 << 64) | (op1 >> 64)) ^ op1 ^ op3;
        self.put_q(rd, r)
    }
    fn sha256h(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = sha256_hash(self.vq(rd), self.vq(rn), self.vq(rm), true);
        self.put_q(rd, r)
    }
    fn sha256h2(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = sha256_hash(self.vq(rn), self.vq(rd), self.vq(rm), false);
        self.put_q(rd, r)
    }
    fn sha256su1(&mut self, rm: u32, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let (op1, op2, op3) = (self.vq(rd), self.vq(rn), self.vq(rm));
        let t0 = (op3 << 96) | (op2 >> 32);
        let t1 = op3 >> 64;
        let sigma1 = |x: u32| x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10);
        let mut r = 0u128;
        for e in 0..2 {
            let elt = sigma1(w(t1, e))
                .wrapping_add(w(op1, e))
                .wrapping_add(w(t0, e));
            r = set_w(r, e, elt);
        }
        for e in 2..4 {
            let elt = sigma1(w(r, e - 2))
                .wrapping_add(w(op1, e))
                .wrapping_add(w(t0, e));
            r = set_w(r, e, elt);
        }
        self.put_q(rd, r)
    }

    fn sha1h(&mut self, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let r = w(self.vq(rn), 0).rotate_left(30);
        self.put_q(rd, r as u128)
    }
    fn sha1su1(&mut self, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let t = self.vq(rd) ^ (self.vq(rn) >> 32);
        let mut r = 0u128;
        for e in 0..4 {
            r = set_w(r, e, w(t, e).rotate_left(1));
        }
        r = set_w(r, 3, w(r, 3) ^ w(t, 0).rotate_left(2));
        self.put_q(rd, r)
    }
    fn sha256su0(&mut self, rn: u32, rd: u32) -> Flow {
        fp_check(self.cpu)?;
        let (op1, op2) = (self.vq(rd), self.vq(rn));
        let t = (op2 << 96) | (op1 >> 32);
        let mut r = 0u128;
        for e in 0..4 {
            let x = w(t, e);
            let s0 = x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3);
            r = set_w(r, e, s0.wrapping_add(w(op1, e)));
        }
        self.put_q(rd, r)
    }
}
