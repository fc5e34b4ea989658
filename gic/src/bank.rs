//! The INTID-indexed register banks (IGROUPR, IS/ICENABLER, IS/ICPENDR,
//! IS/ICACTIVER, IPRIORITYR, ICFGR). The distributor uses them for SPIs and
//! each redistributor's SGI_base frame for its SGIs and PPIs, at the same
//! offsets, so one decoder serves both. INTIDs outside the slice given are
//! RAZ/WI, which is exactly what the distributor needs for INTIDs 0-31 when
//! affinity routing is on, and what the redistributor needs past INTID 31.

use crate::irq::Irq;
use crate::prio::PRI_MASK;
use crate::regs::bank::*;

/// Which one-bit-per-INTID register an offset falls in.
#[derive(Clone, Copy, Debug)]
enum BitReg {
    Group,
    SetEnable,
    ClearEnable,
    SetPending,
    ClearPending,
    SetActive,
    ClearActive,
}

/// A decoded bank access: the register kind and the first INTID it covers.
#[derive(Clone, Copy, Debug)]
enum BankReg {
    Bits(BitReg, u32),
    Priority(u32),
    Config(u32),
    /// ITARGETSR: RES0 when affinity routing is enabled.
    Targets,
}

fn decode(offset: u64) -> Option<BankReg> {
    const BIT_ARRAYS: [(u64, BitReg); 7] = [
        (IGROUPR, BitReg::Group),
        (ISENABLER, BitReg::SetEnable),
        (ICENABLER, BitReg::ClearEnable),
        (ISPENDR, BitReg::SetPending),
        (ICPENDR, BitReg::ClearPending),
        (ISACTIVER, BitReg::SetActive),
        (ICACTIVER, BitReg::ClearActive),
    ];
    for (base, kind) in BIT_ARRAYS {
        if (base..base + BIT_ARRAY_LEN).contains(&offset) {
            return Some(BankReg::Bits(kind, (((offset - base) / 4) * 32) as u32));
        }
    }
    match offset {
        o if (IPRIORITYR..ITARGETSR).contains(&o) => {
            Some(BankReg::Priority((o - IPRIORITYR) as u32))
        }
        o if (ITARGETSR..ICFGR).contains(&o) => Some(BankReg::Targets),
        o if (ICFGR..ICFGR_END).contains(&o) => {
            Some(BankReg::Config((((o - ICFGR) / 4) * 16) as u32))
        }
        _ => None,
    }
}

fn get(irqs: &[Irq], first: u32, intid: u32) -> Option<&Irq> {
    irqs.get(intid.checked_sub(first)? as usize)
}

fn get_mut(irqs: &mut [Irq], first: u32, intid: u32) -> Option<&mut Irq> {
    irqs.get_mut(intid.checked_sub(first)? as usize)
}

/// Is `size` a legal width for this register, naturally aligned? Bit and
/// config arrays are word-only; IPRIORITYR (and ITARGETSR) also take bytes.
fn size_ok(reg: BankReg, offset: u64, size: u8) -> bool {
    let legal = match reg {
        BankReg::Priority(_) | BankReg::Targets => size == 1 || size == 4,
        BankReg::Bits(..) | BankReg::Config(_) => size == 4,
    };
    legal && offset.is_multiple_of(u64::from(size))
}

/// Read a bank register. `irqs[0]` is INTID `first`. Returns `None` when the
/// offset is not in a bank, so the caller can decode its other registers.
pub(crate) fn read(irqs: &[Irq], first: u32, offset: u64, size: u8) -> Option<u64> {
    let reg = decode(offset)?;
    if !size_ok(reg, offset, size) {
        tracing::debug!(offset, size, "gic: bad-size bank read, RAZ");
        return Some(0);
    }
    let value = match reg {
        BankReg::Bits(kind, base) => {
            let mut v = 0u32;
            for bit in 0..32 {
                let Some(irq) = get(irqs, first, base + bit) else {
                    continue;
                };
                let set = match kind {
                    BitReg::Group => irq.group1,
                    BitReg::SetEnable | BitReg::ClearEnable => irq.enabled,
                    BitReg::SetPending | BitReg::ClearPending => irq.pending(),
                    BitReg::SetActive | BitReg::ClearActive => irq.active,
                };
                v |= u32::from(set) << bit;
            }
            v
        }
        BankReg::Priority(base) => {
            let mut v = 0u32;
            for byte in 0..u32::from(size) {
                if let Some(irq) = get(irqs, first, base + byte) {
                    v |= u32::from(irq.priority) << (8 * byte);
                }
            }
            v
        }
        BankReg::Config(base) => {
            let mut v = 0u32;
            for i in 0..16 {
                if let Some(irq) = get(irqs, first, base + i) {
                    v |= u32::from(irq.edge) << (2 * i + 1);
                }
            }
            v
        }
        BankReg::Targets => 0,
    };
    Some(u64::from(value))
}

/// Write a bank register. Returns `false` when the offset is not in a bank.
pub(crate) fn write(irqs: &mut [Irq], first: u32, offset: u64, size: u8, value: u64) -> bool {
    let Some(reg) = decode(offset) else {
        return false;
    };
    if !size_ok(reg, offset, size) {
        tracing::debug!(offset, size, value, "gic: bad-size bank write ignored");
        return true;
    }
    let value = value as u32;
    match reg {
        BankReg::Bits(kind, base) => {
            for bit in 0..32 {
                let one = value & (1 << bit) != 0;
                let Some(irq) = get_mut(irqs, first, base + bit) else {
                    continue;
                };
                match kind {
                    BitReg::Group => irq.group1 = one,
                    // The set/clear pairs only act on 1 bits; 0 bits do nothing.
                    _ if !one => {}
                    BitReg::SetEnable => irq.enabled = true,
                    BitReg::ClearEnable => irq.enabled = false,
                    BitReg::SetPending => irq.latch = true,
                    // For a level interrupt whose line is high this leaves it
                    // pending: only the latch is cleared.
                    BitReg::ClearPending => irq.latch = false,
                    BitReg::SetActive => irq.active = true,
                    BitReg::ClearActive => irq.active = false,
                }
            }
        }
        BankReg::Priority(base) => {
            for byte in 0..u32::from(size) {
                if let Some(irq) = get_mut(irqs, first, base + byte) {
                    irq.priority = (value >> (8 * byte)) as u8 & PRI_MASK;
                }
            }
        }
        BankReg::Config(base) => {
            for i in 0..16 {
                let intid = base + i;
                // SGI configuration is fixed (edge); their ICFGR0 is read-only.
                if intid < 16 {
                    continue;
                }
                if let Some(irq) = get_mut(irqs, first, intid) {
                    irq.edge = value & (1 << (2 * i + 1)) != 0;
                }
            }
        }
        BankReg::Targets => {}
    }
    true
}
