//! The system-register table: encoding (Arm ARM D23/D24 register descriptions), access
//! permission, reset value and optional read/write behaviour.

use super::{access::Perm, debug_traps, enc, hcr_traps, idregs, special};
use crate::ras::Erx;
use crate::state::{Cpu, CpuConfig};

/// One register: how it is encoded, who may access it, its reset value and behaviour.
pub struct SysRegInfo {
    /// Architectural name.
    pub name: &'static str,
    /// Packed `op0:op1:CRn:CRm:op2`.
    pub enc: u16,
    /// Static permission.
    pub perm: Perm,
    /// Reset value (a function of the PE configuration).
    pub reset: fn(&CpuConfig) -> u64,
    /// Read behaviour other than "return the stored value".
    pub read: Option<fn(&Cpu) -> u64>,
    /// Write behaviour other than "store the value".
    pub write: Option<fn(&mut Cpu, u64)>,
    /// Dynamic trap check: `Some(el)` traps the access to `el` with EC 0x18.
    pub trap: Option<fn(&Cpu, bool) -> Option<u8>>,
    /// What a write changes beyond the register (`effect::*`), applied in one place after
    /// every MSR.
    pub effects: u8,
    /// The feature the register belongs to: absent (UNDEFINED) when this is false.
    pub needs: Option<fn(&CpuConfig) -> bool>,
}

/// Side effects of a register write, as data in the table's `effects` column.
pub mod effect {
    /// The value feeds a translation regime's configuration (stage 1 or 2): rebuild the
    /// configurations and drop fast-path entries (the architectural TLB survives).
    pub const XLAT: u8 = 1 << 0;
    /// The value drives an interrupt output (a timer, the virtual CPU interface):
    /// re-evaluate the interrupt lines before the next instruction.
    pub const IRQ: u8 = 1 << 1;
    /// The value arms an event the board times (the RAS pseudo-fault counter): the run
    /// returns to the board after this instruction, which then bounds the next slice.
    pub const RESCHED: u8 = 1 << 2;
    /// The value arms or disarms a breakpoint, watchpoint or software step
    /// (crate::debug): re-derive what the fast paths must check; when it arms
    /// software step, the run returns to the board after this instruction, so that
    /// the next slice runs one instruction at a time.
    pub const DEBUG: u8 = 1 << 3;
}

macro_rules! sysregs {
    ($( $name:ident = ($op0:expr, $op1:expr, $crn:expr, $crm:expr, $op2:expr), $perm:ident,
        reset $reset:expr $(, read $read:expr)? $(, write $write:expr)? $(, trap $trap:expr)?
        $(, effects $($eff:ident)|+)? $(, needs $needs:expr)? ; )*) => {
        /// Dense index of a table register.
        #[allow(non_camel_case_types, missing_docs)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u16)]
        pub enum SR { $($name,)* }

        const ALL_SR: &[SR] = &[$(SR::$name,)*];

        impl SR {
            /// The register at dense index `i` (i < table length).
            pub fn from_index(i: usize) -> SR { ALL_SR[i] }
        }

        /// The table, indexed by `SR as usize`.
        pub static SYSREGS: &[SysRegInfo] = &[$(
            SysRegInfo {
                name: stringify!($name),
                enc: enc($op0, $op1, $crn, $crm, $op2),
                perm: Perm::$perm,
                reset: $reset,
                read: sysregs!(@opt $($read)?),
                write: sysregs!(@opt $($write)?),
                trap: sysregs!(@opt $($trap)?),
                effects: 0 $($(| effect::$eff)+)?,
                needs: sysregs!(@opt $($needs)?),
            },
        )*];
    };
    (@opt) => { None };
    (@opt $e:expr) => { Some($e) };
}

const fn zero(_: &CpuConfig) -> u64 {
    0
}

/// `needs` of the FEAT_MTE2 registers.
fn mte(c: &CpuConfig) -> bool {
    c.mte
}

sysregs! {
    // ---- Special-purpose registers (C5.2) ----
    NZCV = (3, 3, 4, 2, 0), El0Rw, reset zero, read special::nzcv_r, write special::nzcv_w;
    DAIF = (3, 3, 4, 2, 1), El0Rw, reset zero, read special::daif_r, write special::daif_w, trap special::uma_trap;
    CurrentEL = (3, 0, 4, 2, 2), El1Ro, reset zero, read special::currentel_r;
    SPSel = (3, 0, 4, 2, 0), El1Rw, reset zero, read special::spsel_r, write special::spsel_w;
    PAN = (3, 0, 4, 2, 3), El1Rw, reset zero, read special::pan_r, write special::pan_w;
    SP_EL0 = (3, 0, 4, 1, 0), El1Rw, reset zero, read special::sp_el0_r, write special::sp_el0_w;
    SP_EL1 = (3, 4, 4, 1, 0), El2Rw, reset zero, read special::sp_el1_r, write special::sp_el1_w;
    SPSR_EL1 = (3, 0, 4, 0, 0), El1Rw, reset zero;
    ELR_EL1 = (3, 0, 4, 0, 1), El1Rw, reset zero;
    SPSR_EL2 = (3, 4, 4, 0, 0), El2Rw, reset zero;
    ELR_EL2 = (3, 4, 4, 0, 1), El2Rw, reset zero;

    // ---- Floating-point control and status (FP/SIMD access traps apply: special::fp_trap) ----
    FPCR = (3, 3, 4, 4, 0), El0Rw, reset zero, write special::fpcr_w, trap special::fp_trap;
    FPSR = (3, 3, 4, 4, 1), El0Rw, reset zero, write special::fpsr_w, trap special::fp_trap;

    // ---- Exception reporting and vectors ----
    ESR_EL1 = (3, 0, 5, 2, 0), El1Rw, reset zero, trap hcr_traps::vm_trap;
    ESR_EL2 = (3, 4, 5, 2, 0), El2Rw, reset zero;
    FAR_EL1 = (3, 0, 6, 0, 0), El1Rw, reset zero, trap hcr_traps::vm_trap;
    FAR_EL2 = (3, 4, 6, 0, 0), El2Rw, reset zero;
    HPFAR_EL2 = (3, 4, 6, 0, 4), El2Rw, reset zero;
    VBAR_EL1 = (3, 0, 12, 0, 0), El1Rw, reset zero, write special::vbar_w;
    VBAR_EL2 = (3, 4, 12, 0, 0), El2Rw, reset zero, write special::vbar_w2;

    // ---- System control ----
    SCTLR_EL1 = (3, 0, 1, 0, 0), El1Rw, reset |_| 0x30d0_0800, trap hcr_traps::vm_trap, effects XLAT;
    ACTLR_EL1 = (3, 0, 1, 0, 1), El1Rw, reset zero, trap hcr_traps::tacr_trap;
    CPACR_EL1 = (3, 0, 1, 0, 2), El1Rw, reset zero, trap debug_traps::tcpac_trap;
    SCTLR_EL2 = (3, 4, 1, 0, 0), El2Rw, reset |_| 0x30c5_0830, effects XLAT;
    ACTLR_EL2 = (3, 4, 1, 0, 1), El2Rw, reset zero;
    HCR_EL2 = (3, 4, 1, 1, 0), El2Rw, reset |_| special::HCR_RW, write special::hcr_w, effects XLAT;
    MDCR_EL2 = (3, 4, 1, 1, 1), El2Rw, reset zero, effects IRQ | RESCHED;
    CPTR_EL2 = (3, 4, 1, 1, 2), El2Rw, reset |_| 0x33ff;
    HSTR_EL2 = (3, 4, 1, 1, 3), El2Rw, reset zero;
    HACR_EL2 = (3, 4, 1, 1, 7), El2Rw, reset zero;

    // ---- Translation control (stored; stage-1/stage-2 walks come with the MMU) ----
    TTBR0_EL1 = (3, 0, 2, 0, 0), El1Rw, reset zero, trap hcr_traps::vm_trap, effects XLAT;
    TTBR1_EL1 = (3, 0, 2, 0, 1), El1Rw, reset zero, trap hcr_traps::vm_trap, effects XLAT;
    TCR_EL1 = (3, 0, 2, 0, 2), El1Rw, reset zero, trap hcr_traps::vm_trap, effects XLAT;
    MAIR_EL1 = (3, 0, 10, 2, 0), El1Rw, reset zero, trap hcr_traps::vm_trap, effects XLAT;
    AMAIR_EL1 = (3, 0, 10, 3, 0), El1Rw, reset zero, trap hcr_traps::vm_trap;
    TTBR0_EL2 = (3, 4, 2, 0, 0), El2Rw, reset zero, effects XLAT;
    TTBR1_EL2 = (3, 4, 2, 0, 1), El2Rw, reset zero, effects XLAT;
    TCR_EL2 = (3, 4, 2, 0, 2), El2Rw, reset zero, effects XLAT;
    VTTBR_EL2 = (3, 4, 2, 1, 0), El2Rw, reset zero, effects XLAT;
    VTCR_EL2 = (3, 4, 2, 1, 2), El2Rw, reset zero, effects XLAT;
    MAIR_EL2 = (3, 4, 10, 2, 0), El2Rw, reset zero, effects XLAT;
    AMAIR_EL2 = (3, 4, 10, 3, 0), El2Rw, reset zero;
    CONTEXTIDR_EL1 = (3, 0, 13, 0, 1), El1Rw, reset zero, trap hcr_traps::vm_trap;
    CONTEXTIDR_EL2 = (3, 4, 13, 0, 1), El2Rw, reset zero;

    // ---- Thread ID ----
    TPIDR_EL0 = (3, 3, 13, 0, 2), El0Rw, reset zero;
    TPIDRRO_EL0 = (3, 3, 13, 0, 3), El0RoEl1Rw, reset zero;
    TPIDR_EL1 = (3, 0, 13, 0, 4), El1Rw, reset zero;
    TPIDR_EL2 = (3, 4, 13, 0, 2), El2Rw, reset zero;

    // ---- Identification (D23.2); values in idregs.rs ----
    MIDR_EL1 = (3, 0, 0, 0, 0), El1Ro, reset |_| idregs::MIDR, read special::midr_r;
    MPIDR_EL1 = (3, 0, 0, 0, 5), El1Ro, reset idregs::mpidr, read special::mpidr_r;
    REVIDR_EL1 = (3, 0, 0, 0, 6), El1Ro, reset zero, trap hcr_traps::tid1_trap;
    VPIDR_EL2 = (3, 4, 0, 0, 0), El2Rw, reset |_| idregs::MIDR;
    VMPIDR_EL2 = (3, 4, 0, 0, 5), El2Rw, reset idregs::mpidr;
    ID_AA64PFR0_EL1 = (3, 0, 0, 4, 0), El1Ro, reset idregs::aa64pfr0, trap hcr_traps::tid3_trap;
    ID_AA64PFR1_EL1 = (3, 0, 0, 4, 1), El1Ro, reset idregs::aa64pfr1, trap hcr_traps::tid3_trap;
    ID_AA64ZFR0_EL1 = (3, 0, 0, 4, 4), El1Ro, reset zero, trap hcr_traps::tid3_trap;
    ID_AA64DFR0_EL1 = (3, 0, 0, 5, 0), El1Ro, reset idregs::aa64dfr0, trap hcr_traps::tid3_trap;
    ID_AA64DFR1_EL1 = (3, 0, 0, 5, 1), El1Ro, reset zero, trap hcr_traps::tid3_trap;
    ID_AA64AFR0_EL1 = (3, 0, 0, 5, 4), El1Ro, reset zero, trap hcr_traps::tid3_trap;
    ID_AA64AFR1_EL1 = (3, 0, 0, 5, 5), El1Ro, reset zero, trap hcr_traps::tid3_trap;
    ID_AA64ISAR0_EL1 = (3, 0, 0, 6, 0), El1Ro, reset |_| idregs::AA64ISAR0, trap hcr_traps::tid3_trap;
    ID_AA64ISAR1_EL1 = (3, 0, 0, 6, 1), El1Ro, reset |_| idregs::AA64ISAR1, trap hcr_traps::tid3_trap;
    ID_AA64ISAR2_EL1 = (3, 0, 0, 6, 2), El1Ro, reset zero, trap hcr_traps::tid3_trap;
    ID_AA64PFR2_EL1 = (3, 0, 0, 4, 2), El1Ro, reset idregs::aa64pfr2, trap hcr_traps::tid3_trap;
    ID_AA64MMFR0_EL1 = (3, 0, 0, 7, 0), El1Ro, reset idregs::aa64mmfr0, trap hcr_traps::tid3_trap;
    ID_AA64MMFR1_EL1 = (3, 0, 0, 7, 1), El1Ro, reset |_| idregs::AA64MMFR1, trap hcr_traps::tid3_trap;
    ID_AA64MMFR2_EL1 = (3, 0, 0, 7, 2), El1Ro, reset |_| idregs::AA64MMFR2, trap hcr_traps::tid3_trap;
    CTR_EL0 = (3, 3, 0, 0, 1), El0Ro, reset |_| idregs::CTR, trap hcr_traps::ctr_trap;
    DCZID_EL0 = (3, 3, 0, 0, 7), El0Ro, reset |_| idregs::DCZID, read hcr_traps::dczid_r;
    CLIDR_EL1 = (3, 1, 0, 0, 1), El1Ro, reset |_| idregs::CLIDR, trap hcr_traps::tid2_trap;
    CCSIDR_EL1 = (3, 1, 0, 0, 0), El1Ro, reset zero, read special::ccsidr_r, trap hcr_traps::tid2_trap;
    CSSELR_EL1 = (3, 2, 0, 0, 0), El1Rw, reset zero, trap hcr_traps::tid2_trap;
    AIDR_EL1 = (3, 1, 0, 0, 7), El1Ro, reset zero, trap hcr_traps::tid1_trap;

    // ---- Self-hosted debug (D2; op0 = 2; behaviour in crate::debug): six breakpoints,
    // the last two context-aware, and four watchpoints, as QEMU's `-cpu max`. Writes that
    // can arm or disarm one re-derive what the fast paths must check (effect DEBUG).
    // DBGBVR keeps every bit: a context breakpoint holds a context ID in bits [31:0]. ----
    MDCCINT_EL1 = (2, 0, 0, 2, 0), El1Rw, reset zero, trap debug_traps::tda_trap;
    MDSCR_EL1 = (2, 0, 0, 2, 2), El1Rw, reset zero, write |c, v| c.sr.set(SR::MDSCR_EL1, v & crate::debug::MDSCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGBVR0_EL1 = (2, 0, 0, 0, 4), El1Rw, reset zero, trap debug_traps::tda_trap, effects DEBUG;
    DBGBCR0_EL1 = (2, 0, 0, 0, 5), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGBCR0_EL1, v & crate::debug::BCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGBVR1_EL1 = (2, 0, 0, 1, 4), El1Rw, reset zero, trap debug_traps::tda_trap, effects DEBUG;
    DBGBCR1_EL1 = (2, 0, 0, 1, 5), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGBCR1_EL1, v & crate::debug::BCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGBVR2_EL1 = (2, 0, 0, 2, 4), El1Rw, reset zero, trap debug_traps::tda_trap, effects DEBUG;
    DBGBCR2_EL1 = (2, 0, 0, 2, 5), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGBCR2_EL1, v & crate::debug::BCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGBVR3_EL1 = (2, 0, 0, 3, 4), El1Rw, reset zero, trap debug_traps::tda_trap, effects DEBUG;
    DBGBCR3_EL1 = (2, 0, 0, 3, 5), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGBCR3_EL1, v & crate::debug::BCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGBVR4_EL1 = (2, 0, 0, 4, 4), El1Rw, reset zero, trap debug_traps::tda_trap, effects DEBUG;
    DBGBCR4_EL1 = (2, 0, 0, 4, 5), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGBCR4_EL1, v & crate::debug::BCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGBVR5_EL1 = (2, 0, 0, 5, 4), El1Rw, reset zero, trap debug_traps::tda_trap, effects DEBUG;
    DBGBCR5_EL1 = (2, 0, 0, 5, 5), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGBCR5_EL1, v & crate::debug::BCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGWVR0_EL1 = (2, 0, 0, 0, 6), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGWVR0_EL1, v & !3), trap debug_traps::tda_trap, effects DEBUG;
    DBGWCR0_EL1 = (2, 0, 0, 0, 7), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGWCR0_EL1, v & crate::debug::WCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGWVR1_EL1 = (2, 0, 0, 1, 6), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGWVR1_EL1, v & !3), trap debug_traps::tda_trap, effects DEBUG;
    DBGWCR1_EL1 = (2, 0, 0, 1, 7), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGWCR1_EL1, v & crate::debug::WCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGWVR2_EL1 = (2, 0, 0, 2, 6), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGWVR2_EL1, v & !3), trap debug_traps::tda_trap, effects DEBUG;
    DBGWCR2_EL1 = (2, 0, 0, 2, 7), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGWCR2_EL1, v & crate::debug::WCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    DBGWVR3_EL1 = (2, 0, 0, 3, 6), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGWVR3_EL1, v & !3), trap debug_traps::tda_trap, effects DEBUG;
    DBGWCR3_EL1 = (2, 0, 0, 3, 7), El1Rw, reset zero, write |c, v| c.sr.set(SR::DBGWCR3_EL1, v & crate::debug::WCR_MASK), trap debug_traps::tda_trap, effects DEBUG;
    MDRAR_EL1 = (2, 0, 1, 0, 0), El1Ro, reset zero, trap debug_traps::tdra_trap;
    OSLAR_EL1 = (2, 0, 1, 0, 4), El1Wo, reset zero, write special::oslar_w, trap debug_traps::tdosa_trap, effects DEBUG;
    OSLSR_EL1 = (2, 0, 1, 1, 4), El1Ro, reset |_| special::OSLSR_RESET, trap debug_traps::tdosa_trap;
    OSDLR_EL1 = (2, 0, 1, 3, 4), El1Rw, reset zero, trap debug_traps::tdosa_trap;
    DBGPRCR_EL1 = (2, 0, 1, 4, 4), El1Rw, reset zero, trap debug_traps::tdosa_trap;
    DBGCLAIMSET_EL1 = (2, 0, 7, 8, 6), El1Rw, reset |_| 0xff, read |_| 0xff, write |_, _| {}, trap debug_traps::tda_trap;
    DBGCLAIMCLR_EL1 = (2, 0, 7, 9, 6), El1Rw, reset zero, trap debug_traps::tda_trap;
    DBGAUTHSTATUS_EL1 = (2, 0, 7, 14, 6), El1Ro, reset |_| 0xaa, trap debug_traps::tda_trap;
    MDCCSR_EL0 = (2, 3, 0, 1, 0), El1Ro, reset zero, trap debug_traps::tda_trap;

    // ---- Fault status and address translation results ----
    AFSR0_EL1 = (3, 0, 5, 1, 0), El1Rw, reset zero, trap hcr_traps::vm_trap;
    AFSR1_EL1 = (3, 0, 5, 1, 1), El1Rw, reset zero, trap hcr_traps::vm_trap;
    AFSR0_EL2 = (3, 4, 5, 1, 0), El2Rw, reset zero;
    AFSR1_EL2 = (3, 4, 5, 1, 1), El2Rw, reset zero;
    PAR_EL1 = (3, 0, 7, 4, 0), El1Rw, reset zero;

    // ---- GICv3 virtual CPU interface control (ICH_*, EL2; behaviour in crate::vgic).
    // AP0R0/AP1R0 hold 32 bits: 5 preemption bits. ----
    ICH_AP0R0_EL2 = (3, 4, 12, 8, 0), El2Rw, reset zero, write |c, v| c.sr.set(SR::ICH_AP0R0_EL2, v & 0xffff_ffff), effects IRQ;
    ICH_AP1R0_EL2 = (3, 4, 12, 9, 0), El2Rw, reset zero, write |c, v| c.sr.set(SR::ICH_AP1R0_EL2, v & 0xffff_ffff), effects IRQ;
    ICH_HCR_EL2 = (3, 4, 12, 11, 0), El2Rw, reset zero, write special::ich_hcr_w, effects IRQ;
    ICH_VTR_EL2 = (3, 4, 12, 11, 1), El2Ro, reset |_| special::ICH_VTR;
    ICH_MISR_EL2 = (3, 4, 12, 11, 2), El2Ro, reset zero, read crate::vgic::misr;
    ICH_EISR_EL2 = (3, 4, 12, 11, 3), El2Ro, reset zero, read crate::vgic::eisr;
    ICH_ELRSR_EL2 = (3, 4, 12, 11, 5), El2Ro, reset zero, read crate::vgic::elrsr;
    ICH_VMCR_EL2 = (3, 4, 12, 11, 7), El2Rw, reset zero, effects IRQ;
    ICH_LR0_EL2 = (3, 4, 12, 12, 0), El2Rw, reset zero, effects IRQ;
    ICH_LR1_EL2 = (3, 4, 12, 12, 1), El2Rw, reset zero, effects IRQ;
    ICH_LR2_EL2 = (3, 4, 12, 12, 2), El2Rw, reset zero, effects IRQ;
    ICH_LR3_EL2 = (3, 4, 12, 12, 3), El2Rw, reset zero, effects IRQ;

    // ---- FEAT_MTE2/MTE3 (crate::mte). HCR_EL2.ATA = 0 traps EL1 accesses to the tag
    // control registers to EL2 (EC 0x18), HCR_EL2.TID5 EL1 reads of GMID_EL1. ----
    TCO = (3, 3, 4, 2, 7), El0Rw, reset zero, read special::tco_r, write special::tco_w, needs mte;
    GCR_EL1 = (3, 0, 1, 0, 6), El1Rw, reset zero, write |c, v| c.sr.set(SR::GCR_EL1, v & 0x1_ffff), trap hcr_traps::ata_trap, needs mte;
    RGSR_EL1 = (3, 0, 1, 0, 5), El1Rw, reset zero, write |c, v| c.sr.set(SR::RGSR_EL1, v & 0xff_ff0f), trap hcr_traps::ata_trap, needs mte;
    TFSR_EL1 = (3, 0, 5, 6, 0), El1Rw, reset zero, write |c, v| c.sr.set(SR::TFSR_EL1, v & 3), trap hcr_traps::ata_trap, needs mte;
    TFSRE0_EL1 = (3, 0, 5, 6, 1), El1Rw, reset zero, write |c, v| c.sr.set(SR::TFSRE0_EL1, v & 3), trap hcr_traps::ata_trap, needs mte;
    TFSR_EL2 = (3, 4, 5, 6, 0), El2Rw, reset zero, write |c, v| c.sr.set(SR::TFSR_EL2, v & 3), needs mte;
    GMID_EL1 = (3, 1, 0, 0, 4), El1Ro, reset |_| crate::mte::GMID, trap hcr_traps::tid5_trap, needs mte;

    // ---- Interrupt status ----
    ISR_EL1 = (3, 0, 12, 1, 0), El1Ro, reset zero, read special::isr_r;

    // ---- FEAT_RAS / FEAT_RASv1p1 (crate::interrupts for ESB and DISR; crate::ras for the
    // error records: ERRIDR_EL1.NUM = 2). HCR_EL2.TERR traps EL1 accesses to the error-
    // record registers to EL2, HCR_EL2.FIEN = 0 those to the fault injection ones. ----
    DISR_EL1 = (3, 0, 12, 1, 1), El1Rw, reset zero, read special::disr_r, write special::disr_w;
    VDISR_EL2 = (3, 4, 12, 1, 1), El2Rw, reset zero;
    VSESR_EL2 = (3, 4, 5, 2, 3), El2Rw, reset zero;
    ERRIDR_EL1 = (3, 0, 5, 3, 0), El1Ro, reset |_| crate::ras::NUM_RECORDS as u64, trap special::terr_trap;
    ERRSELR_EL1 = (3, 0, 5, 3, 1), El1Rw, reset zero, read |c| c.errselr_read(), write |c, v| c.errselr_write(v), trap special::terr_trap;
    ERXFR_EL1 = (3, 0, 5, 4, 0), El1Ro, reset zero, read |c| c.erx_read(Erx::Fr), trap special::terr_trap;
    ERXCTLR_EL1 = (3, 0, 5, 4, 1), El1Rw, reset zero, read |c| c.erx_read(Erx::Ctlr), write |c, v| c.erx_write(Erx::Ctlr, v), trap special::terr_trap, effects IRQ;
    ERXSTATUS_EL1 = (3, 0, 5, 4, 2), El1Rw, reset zero, read |c| c.erx_read(Erx::Status), write |c, v| c.erx_write(Erx::Status, v), trap special::terr_trap, effects IRQ;
    ERXADDR_EL1 = (3, 0, 5, 4, 3), El1Rw, reset zero, read |c| c.erx_read(Erx::Addr), write |c, v| c.erx_write(Erx::Addr, v), trap special::terr_trap;
    ERXPFGF_EL1 = (3, 0, 5, 4, 4), El1Ro, reset zero, read |c| c.erx_read(Erx::Pfgf), trap special::fien_trap;
    ERXPFGCTL_EL1 = (3, 0, 5, 4, 5), El1Rw, reset zero, read |c| c.erx_read(Erx::Pfgctl), write |c, v| c.erx_write(Erx::Pfgctl, v), trap special::fien_trap, effects RESCHED;
    ERXPFGCDN_EL1 = (3, 0, 5, 4, 6), El1Rw, reset zero, read |c| c.erx_read(Erx::Pfgcdn), write |c, v| c.erx_write(Erx::Pfgcdn, v), trap special::fien_trap;
    ERXMISC0_EL1 = (3, 0, 5, 5, 0), El1Rw, reset zero, read |c| c.erx_read(Erx::Misc(0)), write |c, v| c.erx_write(Erx::Misc(0), v), trap special::terr_trap;
    ERXMISC1_EL1 = (3, 0, 5, 5, 1), El1Rw, reset zero, read |c| c.erx_read(Erx::Misc(1)), write |c, v| c.erx_write(Erx::Misc(1), v), trap special::terr_trap;
    ERXMISC2_EL1 = (3, 0, 5, 5, 2), El1Rw, reset zero, read |c| c.erx_read(Erx::Misc(2)), write |c, v| c.erx_write(Erx::Misc(2), v), trap special::terr_trap;
    ERXMISC3_EL1 = (3, 0, 5, 5, 3), El1Rw, reset zero, read |c| c.erx_read(Erx::Misc(3)), write |c, v| c.erx_write(Erx::Misc(3), v), trap special::terr_trap;

    // ---- Generic timer: counters (the simulated clock) ----
    CNTFRQ_EL0 = (3, 3, 14, 0, 0), El0Ro, reset |_| idregs::CNTFRQ, trap special::cntfrq_trap;
    CNTPCT_EL0 = (3, 3, 14, 0, 1), El0Ro, reset zero, read special::cntpct_r, trap special::cntpct_full_trap;
    CNTVCT_EL0 = (3, 3, 14, 0, 2), El0Ro, reset zero, read special::cntvct_r, trap special::cntvct_trap;
    CNTKCTL_EL1 = (3, 0, 14, 1, 0), El1Rw, reset zero;
    CNTHCTL_EL2 = (3, 4, 14, 1, 0), El2Rw, reset |_| 3;
    CNTVOFF_EL2 = (3, 4, 14, 0, 3), El2Rw, reset zero, effects IRQ;

    // ---- Generic timer: timers (crate::timer). CTL resets with ENABLE = 0. ----
    CNTP_TVAL_EL0 = (3, 3, 14, 2, 0), El0Rw, reset zero, read special::cntp_tval_r, write special::cntp_tval_w, trap special::cntp_trap, effects IRQ;
    CNTP_CTL_EL0 = (3, 3, 14, 2, 1), El0Rw, reset zero, read special::cntp_ctl_r, write special::cntp_ctl_w, trap special::cntp_trap, effects IRQ;
    CNTP_CVAL_EL0 = (3, 3, 14, 2, 2), El0Rw, reset zero, trap special::cntp_trap, effects IRQ;
    CNTV_TVAL_EL0 = (3, 3, 14, 3, 0), El0Rw, reset zero, read special::cntv_tval_r, write special::cntv_tval_w, trap special::cntv_trap, effects IRQ;
    CNTV_CTL_EL0 = (3, 3, 14, 3, 1), El0Rw, reset zero, read special::cntv_ctl_r, write special::cntv_ctl_w, trap special::cntv_trap, effects IRQ;
    CNTV_CVAL_EL0 = (3, 3, 14, 3, 2), El0Rw, reset zero, trap special::cntv_trap, effects IRQ;
    CNTHP_TVAL_EL2 = (3, 4, 14, 2, 0), El2Rw, reset zero, read special::cnthp_tval_r, write special::cnthp_tval_w, effects IRQ;
    CNTHP_CTL_EL2 = (3, 4, 14, 2, 1), El2Rw, reset zero, read special::cnthp_ctl_r, write special::cnthp_ctl_w, effects IRQ;
    CNTHP_CVAL_EL2 = (3, 4, 14, 2, 2), El2Rw, reset zero, effects IRQ;
    CNTHV_TVAL_EL2 = (3, 4, 14, 3, 0), El2Rw, reset zero, read special::cnthv_tval_r, write special::cnthv_tval_w, effects IRQ;
    CNTHV_CTL_EL2 = (3, 4, 14, 3, 1), El2Rw, reset zero, read special::cnthv_ctl_r, write special::cnthv_ctl_w, effects IRQ;
    CNTHV_CVAL_EL2 = (3, 4, 14, 3, 2), El2Rw, reset zero, effects IRQ;

    // ---- Performance Monitors, PMUv3 (D11; behaviour and traps in crate::pmu) ----
    PMCR_EL0 = (3, 3, 9, 12, 0), El0Rw, reset zero, read crate::pmu::pmcr_r, write crate::pmu::pmcr_w, trap crate::pmu::pmcr_trap, effects IRQ | RESCHED;
    PMCNTENSET_EL0 = (3, 3, 9, 12, 1), El0Rw, reset zero, read crate::pmu::cnten_r, write crate::pmu::cntenset_w, trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMCNTENCLR_EL0 = (3, 3, 9, 12, 2), El0Rw, reset zero, read crate::pmu::cnten_r, write crate::pmu::cntenclr_w, trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMOVSCLR_EL0 = (3, 3, 9, 12, 3), El0Rw, reset zero, read crate::pmu::ovs_r, write crate::pmu::ovsclr_w, trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMSWINC_EL0 = (3, 3, 9, 12, 4), El0Rw, reset zero, read |_| 0, write crate::pmu::swinc_w, trap crate::pmu::swinc_trap, effects IRQ | RESCHED;
    PMSELR_EL0 = (3, 3, 9, 12, 5), El0Rw, reset zero, read crate::pmu::selr_r, write crate::pmu::selr_w, trap crate::pmu::selr_trap;
    PMCEID0_EL0 = (3, 3, 9, 12, 6), El0Ro, reset zero, read crate::pmu::pmceid0_r, trap crate::pmu::en_trap;
    PMCEID1_EL0 = (3, 3, 9, 12, 7), El0Ro, reset zero, read crate::pmu::pmceid1_r, trap crate::pmu::en_trap;
    PMCCNTR_EL0 = (3, 3, 9, 13, 0), El0Rw, reset zero, read crate::pmu::ccntr_r, write crate::pmu::ccntr_w, trap crate::pmu::ccntr_trap, effects IRQ | RESCHED;
    PMXEVTYPER_EL0 = (3, 3, 9, 13, 1), El0Rw, reset zero, read crate::pmu::xevtyper_r, write crate::pmu::xevtyper_w, trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMXEVCNTR_EL0 = (3, 3, 9, 13, 2), El0Rw, reset zero, read crate::pmu::xevcntr_r, write crate::pmu::xevcntr_w, trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMUSERENR_EL0 = (3, 3, 9, 14, 0), El0RoEl1Rw, reset zero, read crate::pmu::userenr_r, write crate::pmu::userenr_w, trap crate::pmu::tpm_trap;
    PMINTENSET_EL1 = (3, 0, 9, 14, 1), El1Rw, reset zero, read crate::pmu::inten_r, write crate::pmu::intenset_w, trap crate::pmu::tpm_trap, effects IRQ | RESCHED;
    PMINTENCLR_EL1 = (3, 0, 9, 14, 2), El1Rw, reset zero, read crate::pmu::inten_r, write crate::pmu::intenclr_w, trap crate::pmu::tpm_trap, effects IRQ | RESCHED;
    PMOVSSET_EL0 = (3, 3, 9, 14, 3), El0Rw, reset zero, read crate::pmu::ovs_r, write crate::pmu::ovsset_w, trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMCCFILTR_EL0 = (3, 3, 14, 15, 7), El0Rw, reset zero, read crate::pmu::ccfiltr_r, write crate::pmu::ccfiltr_w, trap crate::pmu::en_trap, effects IRQ | RESCHED;
    // ---- Statistical Profiling Extension (D17, D24.7; behaviour and traps in crate::spe_regs) ----
    PMSCR_EL1 = (3, 0, 9, 9, 0), El1Rw, reset zero, write crate::spe_regs::pmscr_el1_w, trap crate::spe_regs::tpms_trap, effects IRQ | RESCHED, needs crate::spe_regs::spe;
    PMSCR_EL2 = (3, 4, 9, 9, 0), El2Rw, reset zero, write crate::spe_regs::pmscr_el2_w, effects IRQ | RESCHED, needs crate::spe_regs::spe;
    PMSNEVFR_EL1 = (3, 0, 9, 9, 1), El1Rw, reset zero, write crate::spe_regs::pmsnevfr_w, trap crate::spe_regs::tpms_trap, needs crate::spe_regs::spe_v1p2;
    PMSICR_EL1 = (3, 0, 9, 9, 2), El1Rw, reset zero, write crate::spe_regs::pmsicr_w, trap crate::spe_regs::tpms_trap, needs crate::spe_regs::spe;
    PMSIRR_EL1 = (3, 0, 9, 9, 3), El1Rw, reset zero, write crate::spe_regs::pmsirr_w, trap crate::spe_regs::tpms_trap, needs crate::spe_regs::spe;
    PMSFCR_EL1 = (3, 0, 9, 9, 4), El1Rw, reset zero, write crate::spe_regs::pmsfcr_w, trap crate::spe_regs::tpms_trap, needs crate::spe_regs::spe;
    PMSEVFR_EL1 = (3, 0, 9, 9, 5), El1Rw, reset zero, write crate::spe_regs::pmsevfr_w, trap crate::spe_regs::tpms_trap, needs crate::spe_regs::spe;
    PMSLATFR_EL1 = (3, 0, 9, 9, 6), El1Rw, reset zero, write crate::spe_regs::pmslatfr_w, trap crate::spe_regs::tpms_trap, needs crate::spe_regs::spe;
    PMSIDR_EL1 = (3, 0, 9, 9, 7), El1Ro, reset crate::spe_regs::pmsidr, trap crate::spe_regs::tpms_trap, needs crate::spe_regs::spe;
    PMBLIMITR_EL1 = (3, 0, 9, 10, 0), El1Rw, reset zero, write crate::spe_regs::pmblimitr_w, trap crate::spe_regs::e2pb_trap, effects IRQ | RESCHED, needs crate::spe_regs::spe;
    PMBPTR_EL1 = (3, 0, 9, 10, 1), El1Rw, reset zero, write crate::spe_regs::pmbptr_w, trap crate::spe_regs::e2pb_trap, needs crate::spe_regs::spe;
    PMBSR_EL1 = (3, 0, 9, 10, 3), El1Rw, reset zero, write crate::spe_regs::pmbsr_w, trap crate::spe_regs::e2pb_trap, effects IRQ | RESCHED, needs crate::spe_regs::spe;
    PMBIDR_EL1 = (3, 0, 9, 10, 7), El1Ro, reset zero, read crate::spe_regs::pmbidr_r, needs crate::spe_regs::spe;
    // Event counters 0-30 (PMCR_EL0.N of them exist: accesses to the others are RAZ/WI).
    PMEVCNTR0_EL0 = (3, 3, 14, 8, 0), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 0), write |c, v| crate::pmu::evcntr_w(c, 0, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR1_EL0 = (3, 3, 14, 8, 1), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 1), write |c, v| crate::pmu::evcntr_w(c, 1, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR2_EL0 = (3, 3, 14, 8, 2), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 2), write |c, v| crate::pmu::evcntr_w(c, 2, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR3_EL0 = (3, 3, 14, 8, 3), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 3), write |c, v| crate::pmu::evcntr_w(c, 3, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR4_EL0 = (3, 3, 14, 8, 4), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 4), write |c, v| crate::pmu::evcntr_w(c, 4, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR5_EL0 = (3, 3, 14, 8, 5), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 5), write |c, v| crate::pmu::evcntr_w(c, 5, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR6_EL0 = (3, 3, 14, 8, 6), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 6), write |c, v| crate::pmu::evcntr_w(c, 6, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR7_EL0 = (3, 3, 14, 8, 7), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 7), write |c, v| crate::pmu::evcntr_w(c, 7, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR8_EL0 = (3, 3, 14, 9, 0), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 8), write |c, v| crate::pmu::evcntr_w(c, 8, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR9_EL0 = (3, 3, 14, 9, 1), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 9), write |c, v| crate::pmu::evcntr_w(c, 9, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR10_EL0 = (3, 3, 14, 9, 2), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 10), write |c, v| crate::pmu::evcntr_w(c, 10, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR11_EL0 = (3, 3, 14, 9, 3), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 11), write |c, v| crate::pmu::evcntr_w(c, 11, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR12_EL0 = (3, 3, 14, 9, 4), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 12), write |c, v| crate::pmu::evcntr_w(c, 12, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR13_EL0 = (3, 3, 14, 9, 5), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 13), write |c, v| crate::pmu::evcntr_w(c, 13, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR14_EL0 = (3, 3, 14, 9, 6), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 14), write |c, v| crate::pmu::evcntr_w(c, 14, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR15_EL0 = (3, 3, 14, 9, 7), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 15), write |c, v| crate::pmu::evcntr_w(c, 15, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR16_EL0 = (3, 3, 14, 10, 0), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 16), write |c, v| crate::pmu::evcntr_w(c, 16, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR17_EL0 = (3, 3, 14, 10, 1), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 17), write |c, v| crate::pmu::evcntr_w(c, 17, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR18_EL0 = (3, 3, 14, 10, 2), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 18), write |c, v| crate::pmu::evcntr_w(c, 18, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR19_EL0 = (3, 3, 14, 10, 3), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 19), write |c, v| crate::pmu::evcntr_w(c, 19, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR20_EL0 = (3, 3, 14, 10, 4), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 20), write |c, v| crate::pmu::evcntr_w(c, 20, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR21_EL0 = (3, 3, 14, 10, 5), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 21), write |c, v| crate::pmu::evcntr_w(c, 21, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR22_EL0 = (3, 3, 14, 10, 6), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 22), write |c, v| crate::pmu::evcntr_w(c, 22, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR23_EL0 = (3, 3, 14, 10, 7), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 23), write |c, v| crate::pmu::evcntr_w(c, 23, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR24_EL0 = (3, 3, 14, 11, 0), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 24), write |c, v| crate::pmu::evcntr_w(c, 24, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR25_EL0 = (3, 3, 14, 11, 1), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 25), write |c, v| crate::pmu::evcntr_w(c, 25, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR26_EL0 = (3, 3, 14, 11, 2), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 26), write |c, v| crate::pmu::evcntr_w(c, 26, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR27_EL0 = (3, 3, 14, 11, 3), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 27), write |c, v| crate::pmu::evcntr_w(c, 27, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR28_EL0 = (3, 3, 14, 11, 4), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 28), write |c, v| crate::pmu::evcntr_w(c, 28, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR29_EL0 = (3, 3, 14, 11, 5), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 29), write |c, v| crate::pmu::evcntr_w(c, 29, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVCNTR30_EL0 = (3, 3, 14, 11, 6), El0Rw, reset zero, read |c| crate::pmu::evcntr_r(c, 30), write |c, v| crate::pmu::evcntr_w(c, 30, v), trap crate::pmu::evcntr_trap, effects IRQ | RESCHED;
    PMEVTYPER0_EL0 = (3, 3, 14, 12, 0), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 0), write |c, v| crate::pmu::evtyper_w(c, 0, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER1_EL0 = (3, 3, 14, 12, 1), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 1), write |c, v| crate::pmu::evtyper_w(c, 1, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER2_EL0 = (3, 3, 14, 12, 2), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 2), write |c, v| crate::pmu::evtyper_w(c, 2, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER3_EL0 = (3, 3, 14, 12, 3), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 3), write |c, v| crate::pmu::evtyper_w(c, 3, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER4_EL0 = (3, 3, 14, 12, 4), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 4), write |c, v| crate::pmu::evtyper_w(c, 4, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER5_EL0 = (3, 3, 14, 12, 5), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 5), write |c, v| crate::pmu::evtyper_w(c, 5, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER6_EL0 = (3, 3, 14, 12, 6), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 6), write |c, v| crate::pmu::evtyper_w(c, 6, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER7_EL0 = (3, 3, 14, 12, 7), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 7), write |c, v| crate::pmu::evtyper_w(c, 7, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER8_EL0 = (3, 3, 14, 13, 0), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 8), write |c, v| crate::pmu::evtyper_w(c, 8, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER9_EL0 = (3, 3, 14, 13, 1), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 9), write |c, v| crate::pmu::evtyper_w(c, 9, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER10_EL0 = (3, 3, 14, 13, 2), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 10), write |c, v| crate::pmu::evtyper_w(c, 10, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER11_EL0 = (3, 3, 14, 13, 3), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 11), write |c, v| crate::pmu::evtyper_w(c, 11, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER12_EL0 = (3, 3, 14, 13, 4), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 12), write |c, v| crate::pmu::evtyper_w(c, 12, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER13_EL0 = (3, 3, 14, 13, 5), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 13), write |c, v| crate::pmu::evtyper_w(c, 13, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER14_EL0 = (3, 3, 14, 13, 6), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 14), write |c, v| crate::pmu::evtyper_w(c, 14, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER15_EL0 = (3, 3, 14, 13, 7), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 15), write |c, v| crate::pmu::evtyper_w(c, 15, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER16_EL0 = (3, 3, 14, 14, 0), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 16), write |c, v| crate::pmu::evtyper_w(c, 16, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER17_EL0 = (3, 3, 14, 14, 1), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 17), write |c, v| crate::pmu::evtyper_w(c, 17, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER18_EL0 = (3, 3, 14, 14, 2), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 18), write |c, v| crate::pmu::evtyper_w(c, 18, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER19_EL0 = (3, 3, 14, 14, 3), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 19), write |c, v| crate::pmu::evtyper_w(c, 19, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER20_EL0 = (3, 3, 14, 14, 4), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 20), write |c, v| crate::pmu::evtyper_w(c, 20, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER21_EL0 = (3, 3, 14, 14, 5), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 21), write |c, v| crate::pmu::evtyper_w(c, 21, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER22_EL0 = (3, 3, 14, 14, 6), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 22), write |c, v| crate::pmu::evtyper_w(c, 22, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER23_EL0 = (3, 3, 14, 14, 7), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 23), write |c, v| crate::pmu::evtyper_w(c, 23, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER24_EL0 = (3, 3, 14, 15, 0), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 24), write |c, v| crate::pmu::evtyper_w(c, 24, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER25_EL0 = (3, 3, 14, 15, 1), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 25), write |c, v| crate::pmu::evtyper_w(c, 25, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER26_EL0 = (3, 3, 14, 15, 2), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 26), write |c, v| crate::pmu::evtyper_w(c, 26, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER27_EL0 = (3, 3, 14, 15, 3), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 27), write |c, v| crate::pmu::evtyper_w(c, 27, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER28_EL0 = (3, 3, 14, 15, 4), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 28), write |c, v| crate::pmu::evtyper_w(c, 28, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER29_EL0 = (3, 3, 14, 15, 5), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 29), write |c, v| crate::pmu::evtyper_w(c, 29, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
    PMEVTYPER30_EL0 = (3, 3, 14, 15, 6), El0Rw, reset zero, read |c| crate::pmu::evtyper_r(c, 30), write |c, v| crate::pmu::evtyper_w(c, 30, v), trap crate::pmu::en_trap, effects IRQ | RESCHED;
}
