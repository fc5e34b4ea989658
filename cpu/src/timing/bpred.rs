//! The `detailed` model's branch predictor, driven by retired branches (the interpreter
//! knows each outcome, so prediction is checked against it at retire): gshare 2-bit
//! counters for conditional directions, a direct-mapped BTB for indirect targets, and a
//! return stack. Deterministic: its state depends only on the branch stream.

use super::core_model::PredictorGeometry;

/// What kind of branch retired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BranchKind {
    /// B.cond, CBZ/CBNZ, TBZ/TBNZ.
    Conditional,
    /// B (target known at decode).
    Direct,
    /// BL: direct, and pushes the return address.
    Call,
    /// BR: target from a register.
    Indirect,
    /// BLR: indirect, and pushes the return address.
    IndirectCall,
    /// RET.
    Return,
}

/// Predictor state.
#[derive(Clone, Debug)]
pub(crate) struct Predictor {
    counters: Vec<u8>,
    history: u64,
    mask: u64,
    btb: Vec<u64>,
    ras: Vec<u64>,
    ras_depth: usize,
}

impl Predictor {
    pub(crate) fn new(g: &PredictorGeometry) -> Self {
        Self {
            counters: vec![1; 1 << g.gshare_bits],
            history: 0,
            mask: (1 << g.gshare_bits) - 1,
            btb: vec![u64::MAX; g.btb_entries as usize],
            ras: Vec::with_capacity(g.ras_depth as usize),
            ras_depth: g.ras_depth as usize,
        }
    }

    /// A branch at `pc` of `kind` retired, `taken` to `target`: whether it was
    /// mispredicted. Updates the predictor.
    pub(crate) fn retire(&mut self, pc: u64, kind: BranchKind, taken: bool, target: u64) -> bool {
        match kind {
            BranchKind::Conditional => {
                let i = (((pc >> 2) ^ self.history) & self.mask) as usize;
                let c = &mut self.counters[i];
                let predicted = *c >= 2;
                *c = if taken {
                    (*c + 1).min(3)
                } else {
                    c.saturating_sub(1)
                };
                self.history = ((self.history << 1) | taken as u64) & self.mask;
                predicted != taken
            }
            BranchKind::Direct => false,
            BranchKind::Call => {
                self.push(pc + 4);
                false
            }
            BranchKind::Indirect | BranchKind::IndirectCall => {
                let i = ((pc >> 2) as usize) & (self.btb.len() - 1);
                let hit = self.btb[i] == target;
                self.btb[i] = target;
                if kind == BranchKind::IndirectCall {
                    self.push(pc + 4);
                }
                !hit
            }
            BranchKind::Return => self.ras.pop() != Some(target),
        }
    }

    fn push(&mut self, ret: u64) {
        if self.ras.len() == self.ras_depth {
            self.ras.remove(0);
        }
        self.ras.push(ret);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry() -> PredictorGeometry {
        PredictorGeometry {
            gshare_bits: 10,
            btb_entries: 64,
            ras_depth: 4,
            mispredict_penalty: 11,
        }
    }

    #[test]
    fn an_always_taken_branch_is_learned_and_calls_return_where_predicted() {
        let mut p = Predictor::new(&geometry());
        let misses: usize = (0..100)
            .map(|_| p.retire(0x1000, BranchKind::Conditional, true, 0x800) as usize)
            .sum();
        assert!(
            misses <= 12,
            "{misses} mispredicts while the history warms up"
        );
        assert!(!p.retire(0x1000, BranchKind::Conditional, true, 0x800));
        assert!(!p.retire(0x2000, BranchKind::Call, true, 0x3000));
        assert!(!p.retire(0x3010, BranchKind::Return, true, 0x2004));
        assert!(
            p.retire(0x3010, BranchKind::Return, true, 0x2004),
            "stack empty"
        );
        assert!(
            p.retire(0x4000, BranchKind::Indirect, true, 0x5000),
            "BTB cold"
        );
        assert!(!p.retire(0x4000, BranchKind::Indirect, true, 0x5000));
        assert!(
            p.retire(0x4000, BranchKind::Indirect, true, 0x6000),
            "new target"
        );
    }
}
