//! The reciprocal and reciprocal square root estimate tables (Arm ARM J1: RecipEstimate,
//! RecipSqrtEstimate, without FEAT_RPRES increased precision).

/// RecipEstimate: `a` in 256..512 is a fixed-point value in [0.5, 1.0) in steps of 1/512;
/// the result in 256..512 is its reciprocal in [1.0, 2.0) in steps of 1/256.
pub(crate) fn recip_estimate(a: u32) -> u32 {
    debug_assert!((256..512).contains(&a));
    let a = a * 2 + 1; // units of 1/1024, rounded to the middle of the step
    let b = (1u32 << 19) / a;
    b.div_ceil(2)
}

/// RecipSqrtEstimate: `a` in 128..512 is a fixed-point value in [0.25, 1.0) (steps of
/// 1/512 below 0.5, 1/256 above); the result in 256..512 is 1/sqrt in [1.0, 2.0).
pub(crate) fn recip_sqrt_estimate(a: u32) -> u32 {
    debug_assert!((128..512).contains(&a));
    // To units of 1/1024 at the middle of the input step (the upper range has steps of
    // 1/256: its bottom bit is ignored).
    let a = if a < 256 {
        a * 2 + 1
    } else {
        ((a >> 1 << 1) + 1) * 2
    } as u64;
    // b: the largest value with a * b^2 < 2^28 (b / 512 ~ 1 / sqrt(a / 1024)).
    let mut b: u64 = 512;
    while a * (b + 1) * (b + 1) < 1 << 28 {
        b += 1;
    }
    b.div_ceil(2) as u32
}
