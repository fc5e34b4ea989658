//! The first layer of the cycle-approximate model (DESIGN.md §6): a fixed cost per
//! instruction class, charged when the instruction retires. Figures follow the Neoverse N1
//! column of timing-notes.md (issue-limited throughput rounded up to whole cycles).

use crate::a64::Class;

/// Cycles charged for taking an exception (pipeline drain plus vector fetch).
pub const EXCEPTION_ENTRY: u64 = 20;

/// Cost in cycles of one retired instruction of `class`.
pub const fn class_cost(class: Class) -> u16 {
    match class {
        Class::Alu | Class::Branch | Class::Hint => 1,
        Class::Crc => 2,
        Class::Mul => 3,
        Class::Mulh => 4,
        Class::Div => 12,
        Class::Load | Class::Store | Class::Ldst => 4,
        Class::Atomic => 8,
        Class::Barrier => 10,
        Class::Sysreg => 6,
        Class::Exc | Class::Eret => 20,
        Class::Simd => 1,
        Class::Fp => 3,
        Class::Fpdiv => 12,
        Class::Undef => 1,
    }
}
