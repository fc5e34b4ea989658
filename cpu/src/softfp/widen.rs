//! Mixed-width arithmetic (Arm ARM J1: FPMulAddH, FPProcessNaNs3H): half-precision
//! products accumulated in single precision, for FEAT_FHM's FMLAL/FMLSL.

use super::*;

impl Env {
    /// FPMulAddH: the single-precision `addend` plus the exact product of the halves `x`
    /// and `y`, rounded once to single. The halves unpack under FZ16 (no IDC), the addend
    /// and the result under FZ; a NaN operand of the product propagates converted to
    /// single as FCVT would (FPConvertNaN).
    pub fn muladd_h(&mut self, addend: u64, x: u64, y: u64) -> u64 {
        let c = self.unpack(S, addend);
        let a = self.unpack(H, x);
        let b = self.unpack(H, y);
        let inf_zero = matches!(
            (a.kind, b.kind),
            (Kind::Inf, Kind::Zero) | (Kind::Zero, Kind::Inf)
        );
        // FPProcessNaNs3H: signalling NaNs first, then quiet, in operand order.
        let mut nan = None;
        for k in [Kind::SNaN, Kind::QNaN] {
            nan = if c.kind == k {
                Some(self.process_nan(S, k, addend))
            } else if a.kind == k {
                Some(self.nan_h_to_s(k, x))
            } else if b.kind == k {
                Some(self.nan_h_to_s(k, y))
            } else {
                continue;
            };
            break;
        }
        if let Some(r) = nan {
            if c.kind == Kind::QNaN && inf_zero {
                self.flags |= IOC;
                return S.default_nan();
            }
            return r;
        }
        // The unpacked halves are exact values: multiply and add them as singles.
        self.muladd_unpacked(S, &c, &a, &b)
    }

    /// FPConvertNaN(FPProcessNaN(H NaN), 32): quieten (IOC for a signalling NaN) or the
    /// default NaN under DN, then widen with the payload at the top of the fraction.
    fn nan_h_to_s(&mut self, k: Kind, x: u64) -> u64 {
        let q = self.process_nan(H, k, x);
        S.zero(H.sign(q)) | S.inf(false) | (q & H.frac_mask()) << (S.f - H.f)
    }
}
