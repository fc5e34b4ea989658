//! The derived ICH_* status registers (GICv3 12.4): ICH_EISR_EL2, ICH_ELRSR_EL2 and
//! ICH_MISR_EL2, computed from the list registers and controls whenever they are read.

use super::{hcr, lr, vmcr, LRS};
use crate::state::Cpu;
use crate::sysreg::SR;

/// ICH_EISR_EL2: bit n when list register n asked for an EOI maintenance interrupt and has
/// been deactivated (State = 0b00, HW = 0, EOI = 1).
pub(crate) fn eisr(c: &Cpu) -> u64 {
    (0..LRS.len())
        .filter(|&n| {
            let v = c.lr(n);
            lr::state(v) == 0 && v & lr::HW == 0 && v & lr::EOI != 0
        })
        .fold(0, |acc, n| acc | (1 << n))
}

/// ICH_ELRSR_EL2: bit n when list register n holds no interrupt (State = 0b00) and no
/// EOI maintenance request is outstanding on it.
pub(crate) fn elrsr(c: &Cpu) -> u64 {
    (0..LRS.len())
        .filter(|&n| {
            let v = c.lr(n);
            lr::state(v) == 0 && (v & lr::HW != 0 || v & lr::EOI == 0)
        })
        .fold(0, |acc, n| acc | (1 << n))
}

/// ICH_MISR_EL2: the maintenance conditions that hold, each gated by its enable in
/// ICH_HCR_EL2, and all of them by ICH_HCR_EL2.En.
pub(crate) fn misr(c: &Cpu) -> u64 {
    let h = c.sr.get(SR::ICH_HCR_EL2);
    if h & hcr::EN == 0 {
        return 0;
    }
    let v = c.sr.get(SR::ICH_VMCR_EL2);
    let states = (0..LRS.len()).map(|n| lr::state(c.lr(n)));
    let valid = states.clone().filter(|&s| s != 0).count();
    let any_pending = states.clone().any(|s| s & lr::PENDING != 0);
    let eoicount = h >> hcr::EOICOUNT_SHIFT;
    let bits = [
        (eisr(c) != 0, 1 << 0),                                   // EOI
        (h & hcr::UIE != 0 && valid <= 1, 1 << 1),                // U: underflow
        (h & hcr::LRENPIE != 0 && eoicount != 0, 1 << 2),         // LRENP
        (h & hcr::NPIE != 0 && !any_pending, 1 << 3),             // NP: no pending
        (h & hcr::VGRP0EIE != 0 && v & vmcr::VENG0 != 0, 1 << 4), // VGrp0E
        (h & hcr::VGRP0DIE != 0 && v & vmcr::VENG0 == 0, 1 << 5), // VGrp0D
        (h & hcr::VGRP1EIE != 0 && v & vmcr::VENG1 != 0, 1 << 6), // VGrp1E
        (h & hcr::VGRP1DIE != 0 && v & vmcr::VENG1 == 0, 1 << 7), // VGrp1D
    ];
    bits.iter()
        .filter(|(on, _)| *on)
        .fold(0, |acc, (_, b)| acc | b)
}
