//! Priority arithmetic: implemented priority bits, binary points,
//! active-priority register bits and the running priority.
//!
//! We implement 5 priority bits (32 levels) and 5 preemption bits. Five is
//! the smallest width the architecture allows for a GIC that could have two
//! Security states, it is what QEMU and KVM's virtual interface use, and it
//! keeps exactly one active-priority register per group (ICC_AP0R0_EL1,
//! ICC_AP1R0_EL1), one bit per preemption level.

/// Implemented priority bits. ICC_CTLR_EL1.PRIbits reads this minus one.
pub(crate) const PRI_BITS: u32 = 5;
/// Implemented preemption bits (group-priority field width at minimum BPR).
pub(crate) const PRE_BITS: u32 = 5;
/// Mask of the implemented bits of a priority byte; the rest are RAZ/WI in
/// IPRIORITYR and ICC_PMR_EL1.
pub(crate) const PRI_MASK: u8 = !((1u16 << (8 - PRI_BITS)) - 1) as u8;
/// Shift from a group priority to its active-priority bit index.
const APR_SHIFT: u32 = 8 - PRE_BITS;
/// Smallest ICC_BPR0_EL1 value: group priority is then bits [7:3].
pub(crate) const MIN_BPR0: u8 = (7 - PRE_BITS) as u8;
/// Smallest ICC_BPR1_EL1 value; Group 1 binary points are one larger than the
/// Group 0 value selecting the same split.
pub(crate) const MIN_BPR1: u8 = MIN_BPR0 + 1;
/// Running priority when nothing is active.
pub(crate) const IDLE_PRIORITY: u8 = 0xFF;

/// Mask selecting the group-priority bits for a binary point expressed the
/// Group 0 way: `bpr` = b keeps bits [7:b+1].
pub(crate) fn group_mask(bpr: u8) -> u8 {
    (0xFFu16 << (u16::from(bpr.min(7)) + 1)) as u8
}

/// Bit of ICC_AP0R0/AP1R0 recording an active group priority.
pub(crate) fn apr_bit(group_priority: u8) -> u32 {
    1u32 << (group_priority >> APR_SHIFT)
}

/// Running priority from the two active-priority registers: the highest
/// (numerically lowest) active group priority, or idle.
pub(crate) fn running_priority(apr0: u32, apr1: u32) -> u8 {
    let all = apr0 | apr1;
    if all == 0 {
        IDLE_PRIORITY
    } else {
        (all.trailing_zeros() << APR_SHIFT) as u8
    }
}
