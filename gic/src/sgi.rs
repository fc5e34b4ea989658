//! Software-generated interrupts: decoding ICC_SGI0R/SGI1R/ASGI1R_EL1 writes
//! into a set of target PEs and setting the SGI pending in each target's
//! redistributor.

use crate::Gic;

/// Fields of an SGI generation register value.
struct SgiRequest {
    intid: usize,
    /// IRM: every PE except the sender.
    all_but_self: bool,
    aff3: u64,
    aff2: u64,
    aff1: u64,
    target_list: u16,
}

impl SgiRequest {
    fn decode(v: u64) -> Self {
        SgiRequest {
            intid: ((v >> 24) & 0xF) as usize,
            all_but_self: v & (1 << 40) != 0,
            aff3: (v >> 48) & 0xFF,
            aff2: (v >> 32) & 0xFF,
            aff1: (v >> 16) & 0xFF,
            // RS [47:44] is RES0 because ICC_CTLR_EL1.RSS = 0: TargetList
            // bit n always means Aff0 = n.
            target_list: v as u16,
        }
    }

    /// Does the PE with this MPIDR affinity receive the SGI (IRM = 0)?
    fn targets(&self, mpidr: u64) -> bool {
        let aff0 = mpidr & 0xFF;
        (mpidr >> 32) & 0xFF == self.aff3
            && (mpidr >> 16) & 0xFF == self.aff2
            && (mpidr >> 8) & 0xFF == self.aff1
            && aff0 < 16
            && self.target_list & (1 << aff0) != 0
    }
}

impl Gic {
    /// Generate an SGI from `src`. With one Security state, a Group 1
    /// request (ICC_SGI1R_EL1) may set pending an SGI the target configured
    /// in either group, while a Group 0 request (ICC_SGI0R_EL1, and
    /// ICC_ASGI1R_EL1 which has no other Security state to aim at) only
    /// reaches SGIs the target configured as Group 0.
    pub(crate) fn generate_sgi(&mut self, src: usize, value: u64, group1_request: bool) {
        let req = SgiRequest::decode(value);
        for (cpu, rd) in self.redists.iter_mut().enumerate() {
            let hit = if req.all_but_self {
                cpu != src
            } else {
                req.targets(rd.mpidr)
            };
            if !hit {
                continue;
            }
            let irq = &mut rd.private[req.intid];
            if group1_request || !irq.group1 {
                irq.latch = true;
            } else {
                tracing::debug!(
                    src,
                    cpu,
                    intid = req.intid,
                    "gic: Group 0 SGI request for a Group 1 SGI dropped"
                );
            }
        }
    }
}
