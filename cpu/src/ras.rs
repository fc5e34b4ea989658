//! The PE's RAS error records (FEAT_RAS, FEAT_RASv1p1; Arm ARM D20.7 "Error records in
//! the PE", D24.9 the ERR*/ERX* registers; the RAS System Architecture v1.1 register
//! layouts): one node of two records reached through ERRSELR_EL1, as on Arm's FVP.
//! Record 0 is the node's first record, with the control register and the Common Fault
//! Injection Model (pseudo-fault generation, ERXPFG*); record 1 is a secondary record.
//!
//! Choices where the architecture leaves them to the implementation:
//! - ERRSELR_EL1.SEL >= ERRIDR_EL1.NUM: every ERX* register reads as zero and ignores
//!   writes (one of the CONSTRAINED UNPREDICTABLE options of D24.9).
//! - The pseudo-fault counter counts one per cycle of the PE's clock (the simulated ns);
//!   it is loaded from ERXPFGCDN when ERXPFGCTL.CDNEN is written 1. When it reaches zero,
//!   the most severe enabled error type is generated (UC, UEU, UER, UEO, DE, CE), and it is
//!   recorded only while ERXCTLR.ED is 1.
//! - Signals: an uncontainable (UC) error is always an SError; other uncorrected errors
//!   are an SError when ERXCTLR.UE is 1. The fault handling interrupt is asserted while the
//!   record holds an uncorrected or deferred error and ERXCTLR.FI is 1, the error recovery
//!   interrupt while it holds an uncorrected error and ERXCTLR.UI is 1 (or an injection
//!   asked for it); both are levels that drop when software clears ERXSTATUS.V.
//!   The SError's ESR ISS: IDS = 0, AET from the error type, DFSC = 0b010001.

use crate::state::Cpu;

/// ERRIDR_EL1.NUM: records reachable through the System registers.
pub const NUM_RECORDS: usize = 2;

/// ERXSTATUS bits (RAS System Architecture ERR<n>STATUS).
pub mod status {
    /// Address valid.
    pub const AV: u64 = 1 << 31;
    /// Status valid.
    pub const V: u64 = 1 << 30;
    /// Uncorrected error.
    pub const UE: u64 = 1 << 29;
    /// Error reported (in-band).
    pub const ER: u64 = 1 << 28;
    /// Overflow.
    pub const OF: u64 = 1 << 27;
    /// Miscellaneous registers valid.
    pub const MV: u64 = 1 << 26;
    /// Corrected error(s), 2 bits.
    pub const CE: u64 = 3 << 24;
    /// Deferred error.
    pub const DE: u64 = 1 << 23;
    /// Poison.
    pub const PN: u64 = 1 << 22;
    /// Uncorrected error type, 2 bits: 0 UC, 1 UEU, 2 UEO, 3 UER.
    pub const UET: u64 = 3 << 20;
    /// Critical error.
    pub const CI: u64 = 1 << 19;
    /// The write-one-to-clear fields.
    pub const W1C: u64 = 0xfff8_0000;
    /// IERR and SERR, writable while V is 0 (ERXPFGF.SYN = 1).
    pub const SYNDROME: u64 = 0xffff;
}

/// ERXCTLR bits of record 0.
mod ctlr {
    pub const ED: u64 = 1 << 0;
    pub const UI: u64 = 1 << 2;
    pub const FI: u64 = 1 << 3;
    pub const UE: u64 = 1 << 4;
    pub const WRITABLE: u64 = ED | UI | FI | UE;
}

/// ERXPFGCTL bits (ERR<n>PFGCTL).
mod pfg {
    pub const CDNEN: u64 = 1 << 31;
    pub const R: u64 = 1 << 30;
    pub const MV: u64 = 1 << 12;
    pub const AV: u64 = 1 << 11;
    pub const ER: u64 = 1 << 9;
    pub const CE: u64 = 1 << 6; // CE field [7:6] = 0b01: a non-specific corrected error
    pub const DE: u64 = 1 << 5;
    pub const UEO: u64 = 1 << 4;
    pub const UER: u64 = 1 << 3;
    pub const UEU: u64 = 1 << 2;
    pub const UC: u64 = 1 << 1;
    pub const OF: u64 = 1 << 0;
}

/// ERXFR of record 0: ED = 0b01, UI = 0b01, FI = 0b01, UE = 0b01 (each implemented and
/// controllable through ERXCTLR), INJ = 0b01 (the Common Fault Injection Model).
const FR0: u64 = 0b01 | (0b01 << 4) | (0b01 << 6) | (0b01 << 8) | (0b01 << 20);
/// ERXPFGF of record 0: R, SYN, MV, AV, ER, CE = 0b01, DE, UEO, UER, UEU, UC, OF.
const PFGF0: u64 = pfg::R
    | (1 << 29)
    | pfg::MV
    | pfg::AV
    | pfg::ER
    | pfg::CE
    | pfg::DE
    | pfg::UEO
    | pfg::UER
    | pfg::UEU
    | pfg::UC
    | pfg::OF;

/// One error record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Record {
    pub(crate) ctlr: u64,
    pub(crate) status: u64,
    pub(crate) addr: u64,
    pub(crate) misc: [u64; 4],
    pfgctl: u64,
    pfgcdn: u64,
    /// An injection asked for the error recovery interrupt whatever ERXCTLR.UI says.
    force_irq: bool,
}

/// The PE's error records and the pseudo-fault counter.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Ras {
    sel: u64,
    rec: [Record; NUM_RECORDS],
    /// Physical count at which the pseudo-fault counter reaches zero.
    deadline: Option<u64>,
}

/// An ERX* register (the view of the record ERRSELR_EL1 selects).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Erx {
    Fr,
    Ctlr,
    Status,
    Addr,
    Misc(usize),
    Pfgf,
    Pfgctl,
    Pfgcdn,
}

/// The ESR ISS of an SError reporting an error recorded with ERXSTATUS `st`: IDS = 0,
/// AET (UC 0b000, UEU 0b001, UEO 0b010, UER 0b011, CE 0b110), DFSC = 0b010001.
pub fn serror_iss(st: u64) -> u32 {
    let aet = if st & status::UE != 0 {
        [0b000, 0b001, 0b010, 0b011][((st & status::UET) >> 20) as usize]
    } else if st & status::CE != 0 {
        0b110
    } else {
        0b000
    };
    aet << 10 | 0x11
}

/// How an injected error is signalled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RasSignal {
    /// A physical SError whose syndrome follows the recorded status ([`serror_iss`]).
    SError,
    /// The error recovery interrupt, while the record stays valid.
    Irq,
    /// Nothing: software finds the record when it looks.
    None,
}

/// An error to record in one of the PE's error records (fault injection).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RasError {
    /// Record index (below [`NUM_RECORDS`]).
    pub record: usize,
    /// ERXSTATUS value.
    pub status: u64,
    /// ERXADDR, if given.
    pub addr: Option<u64>,
    /// ERXMISC0..3, where given.
    pub misc: [Option<u64>; 4],
    /// The signal.
    pub signal: RasSignal,
}

impl Cpu {
    /// Record `e` and signal it.
    pub fn record_ras_error(&mut self, e: &RasError) {
        self.ras_record(
            e.record,
            e.status,
            e.addr,
            e.misc,
            e.signal == RasSignal::Irq,
        );
        if e.signal == RasSignal::SError {
            self.inject_serror(serror_iss(e.status));
        }
    }

    /// ERRSELR_EL1.
    pub(crate) fn errselr_read(&self) -> u64 {
        self.ras.sel
    }

    /// ERRSELR_EL1.SEL [15:0].
    pub(crate) fn errselr_write(&mut self, v: u64) {
        self.ras.sel = v & 0xffff;
    }

    /// Read an ERX* register.
    pub(crate) fn erx_read(&self, r: Erx) -> u64 {
        let Some(rec) = self.ras.rec.get(self.ras.sel as usize) else {
            return 0;
        };
        let first = self.ras.sel == 0;
        match r {
            Erx::Fr => {
                if first {
                    FR0
                } else {
                    0
                }
            }
            Erx::Ctlr => rec.ctlr,
            Erx::Status => rec.status,
            Erx::Addr => rec.addr,
            Erx::Misc(i) => rec.misc[i],
            Erx::Pfgf => {
                if first {
                    PFGF0
                } else {
                    0
                }
            }
            Erx::Pfgctl => rec.pfgctl,
            Erx::Pfgcdn => rec.pfgcdn,
        }
    }

    /// Write an ERX* register.
    pub(crate) fn erx_write(&mut self, r: Erx, v: u64) {
        let sel = self.ras.sel as usize;
        let now = self.physical_count();
        let Some(rec) = self.ras.rec.get_mut(sel) else {
            return;
        };
        let first = sel == 0;
        match r {
            Erx::Fr | Erx::Pfgf => {}
            Erx::Ctlr if first => rec.ctlr = v & ctlr::WRITABLE,
            Erx::Ctlr => {}
            Erx::Status => {
                // Write-one-to-clear fields; a multi-bit field (CE, UET) clears when any
                // of its bits is written 1.
                let mut clear = v & status::W1C;
                for f in [status::CE, status::UET] {
                    if v & f != 0 {
                        clear |= f;
                    }
                }
                rec.status &= !clear;
                if rec.status & status::V == 0 {
                    rec.force_irq = false;
                    rec.status = (rec.status & !status::SYNDROME) | (v & status::SYNDROME);
                }
            }
            Erx::Addr => rec.addr = v,
            Erx::Misc(i) => rec.misc[i] = v,
            Erx::Pfgctl if first => {
                let mask = pfg::CDNEN | pfg::R | (PFGF0 & !(pfg::R | (1 << 29)));
                rec.pfgctl = v & mask;
                // The hidden counter loads from ERXPFGCDN when CDNEN is written 1.
                self.ras.deadline = (v & pfg::CDNEN != 0).then(|| now + rec.pfgcdn);
            }
            Erx::Pfgcdn if first => rec.pfgcdn = v & 0xffff_ffff,
            Erx::Pfgctl | Erx::Pfgcdn => {}
        }
    }

    /// When the pseudo-fault counter reaches zero (the physical count), if it runs.
    pub fn next_ras_event(&self) -> Option<u64> {
        self.ras.deadline
    }

    /// Generate the pseudo-fault if the counter has reached zero (the board calls this
    /// between slices, like a timer check).
    pub fn ras_tick(&mut self) {
        let Some(t) = self.ras.deadline else { return };
        if self.physical_count() < t {
            return;
        }
        let rec = self.ras.rec[0];
        self.ras.deadline = (rec.pfgctl & pfg::R != 0).then(|| t + rec.pfgcdn.max(1));
        if rec.ctlr & ctlr::ED == 0 {
            return;
        }
        let c = rec.pfgctl;
        let kind = if c & pfg::UC != 0 {
            status::UE
        } else if c & pfg::UEU != 0 {
            status::UE | 1 << 20
        } else if c & pfg::UER != 0 {
            status::UE | 3 << 20
        } else if c & pfg::UEO != 0 {
            status::UE | 2 << 20
        } else if c & pfg::DE != 0 {
            status::DE
        } else if c & pfg::CE != 0 {
            2 << 24
        } else {
            return;
        };
        let mut st = status::V | kind;
        for (p, s) in [
            (pfg::MV, status::MV),
            (pfg::AV, status::AV),
            (pfg::ER, status::ER),
        ] {
            if c & p != 0 {
                st |= s;
            }
        }
        if c & pfg::OF != 0 || rec.status & status::V != 0 {
            st |= status::OF;
        }
        st |= rec.status & status::SYNDROME;
        let uc = kind == status::UE;
        let serror = kind & status::UE != 0 && (uc || rec.ctlr & ctlr::UE != 0);
        self.ras_record(0, st, None, [None; 4], false);
        if serror {
            self.inject_serror(serror_iss(st));
        }
    }

    /// Record an error in record `n` (fault injection): ERXSTATUS = `status`, and ERXADDR
    /// and ERXMISC<i> where given; `irq` asserts the error recovery interrupt while the
    /// record stays valid. Returns false if there is no record `n`.
    pub fn ras_record(
        &mut self,
        n: usize,
        status: u64,
        addr: Option<u64>,
        misc: [Option<u64>; 4],
        irq: bool,
    ) -> bool {
        let Some(rec) = self.ras.rec.get_mut(n) else {
            return false;
        };
        rec.status = status;
        if let Some(a) = addr {
            rec.addr = a;
        }
        for (m, v) in rec.misc.iter_mut().zip(misc) {
            if let Some(v) = v {
                *m = v;
            }
        }
        rec.force_irq = irq;
        self.dcache.unlink();
        true
    }

    /// The fault handling interrupt output: a record holds an uncorrected or deferred
    /// error and record 0's ERXCTLR.FI enables it.
    pub(crate) fn ras_fault_irq(&self) -> bool {
        let fi = self.ras.rec[0].ctlr & ctlr::FI != 0;
        self.ras
            .rec
            .iter()
            .any(|r| r.status & status::V != 0 && r.status & (status::UE | status::DE) != 0 && fi)
    }

    /// The error recovery interrupt output: a record holds an uncorrected error and record
    /// 0's ERXCTLR.UI enables it, or an injection asked for it.
    pub(crate) fn ras_recovery_irq(&self) -> bool {
        let ui = self.ras.rec[0].ctlr & ctlr::UI != 0;
        self.ras.rec.iter().any(|r| {
            r.status & status::V != 0 && (r.force_irq || (ui && r.status & status::UE != 0))
        })
    }
}
