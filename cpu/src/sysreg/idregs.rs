//! Identification register values: what this PE advertises. Every field claims only what
//! the interpreter implements (see the README's feature list).

use crate::state::CpuConfig;

/// MIDR_EL1: implementer 0x00 ("reserved for software use", as QEMU's `max`), architecture
/// 0xF (ID registers describe the features), part 0x0E5, variant 0, revision 0. No real
/// part number, so guests apply no core errata workarounds.
pub const MIDR: u64 = 0x000f_0e50;

/// MPIDR_EL1: bit 31 RES1, U = 0 (multiprocessor), MT = 0, affinity from the board.
pub fn mpidr(cfg: &CpuConfig) -> u64 {
    (1 << 31) | cfg.mpidr_aff
}

/// ID_AA64PFR0_EL1: EL0/EL1 AArch64 only (1), EL2 AArch64 only if implemented, no EL3,
/// FP = AdvSIMD = 1 (implemented, with FEAT_FP16 half-precision arithmetic), GIC = 1 when the board has a GICv3 system-register
/// CPU interface, RAS = 2 (FEAT_RASv1p1: ESB, DISR/VDISR, VSESR, crate::interrupts; error
/// records with fault injection, crate::ras), CSV2 = CSV3 = 1: an interpreter does not speculate, so neither branch
/// targets nor faulting loads leak across contexts (this also spares guests KPTI).
pub fn aa64pfr0(cfg: &CpuConfig) -> u64 {
    let el2 = if cfg.has_el2 { 1 } else { 0 };
    let gic = if cfg.gic { 1 } else { 0 };
    1 | (1 << 4)
        | (el2 << 8)
        | (1 << 16)
        | (1 << 20)
        | (gic << 24)
        | (2 << 28)
        | (1 << 56)
        | (1 << 60)
}

/// ID_AA64PFR1_EL1: MTE = 0b0011 (FEAT_MTE3, so FEAT_MTE2: instructions, tag storage,
/// asymmetric checks; crate::mte) with `--mte on`.
pub fn aa64pfr1(cfg: &CpuConfig) -> u64 {
    if cfg.mte {
        3 << 8
    } else {
        0
    }
}

/// ID_AA64PFR2_EL1: MTEPERM = 1 (FEAT_MTE_PERM: the stage 2 NoTagAccess attribute,
/// crate::translate) with `--mte on`.
pub fn aa64pfr2(cfg: &CpuConfig) -> u64 {
    cfg.mte as u64
}

/// ID_AA64MMFR2_EL1: IDS = 1 (FEAT_IDST, [39:36]): EL0 accesses to the ID register space
/// trap to EL1 with EC 0x18 instead of being UNDEFINED (sysreg/access.rs), so an OS can
/// emulate them; QEMU's `max` does the same. E0PD = 1 ([63:60], FEAT_E0PD: TCR_ELx.E0PDn
/// make EL0 accesses to a VA range fault), which lets Linux use KASLR without KPTI (and
/// so load its SPE driver). IESB = 1 ([15:12], FEAT_IESB): SCTLR_ELx.IESB adds an
/// implicit error synchronization event at exception entry and before ERET. Such an
/// event makes errors the PE has consumed pending; it does not defer them into DISR_EL1
/// as the ESB instruction does (kernels that set IESB never read DISR there). hypsim's
/// errors (crate::ras, `--inject`) are pending from the instant they fire, so every
/// instruction boundary is already synchronized and the bit needs no further action.
pub const AA64MMFR2: u64 = (1 << 12) | (1 << 36) | (1 << 60);

/// ID_AA64MMFR1_EL1: VMIDBits = 0b0010 (16-bit VMIDs), VH = 1 (FEAT_VHE, sysreg/vhe.rs),
/// PAN = 1 (FEAT_PAN) and ECBHB = 1 (no branch history speculation to exploit, as with
/// CSV2). No HAFDBS, LO or HPDS yet.
pub const AA64MMFR1: u64 = (2 << 4) | (1 << 8) | (1 << 20) | (1 << 60);

/// ID_AA64DFR0_EL1: DebugVer = 6 (Armv8.0 debug), BRPs = 5 (six breakpoints), WRPs = 3
/// (four watchpoints), CTX_CMPs = 1 (the last two breakpoints are context-aware), as
/// QEMU's `-cpu max` (crate::debug); PMUVer = 1 (PMUv3, crate::pmu), DoubleLock = 0xF
/// (not implemented, so OSDLR_EL1.DLK has no effect).
pub const AA64DFR0: u64 = 6
    | (1 << 8)
    | ((crate::debug::BRPS as u64 - 1) << 12)
    | ((crate::debug::WRPS as u64 - 1) << 20)
    | ((crate::debug::CTX_CMPS as u64 - 1) << 28)
    | (0xf << 36);

/// ID_AA64DFR0_EL1 with PMSVer [35:32] = the `--spe` version (FEAT_SPE, crate::spe_regs;
/// 0 without it).
pub fn aa64dfr0(cfg: &CpuConfig) -> u64 {
    AA64DFR0 | ((cfg.spe as u64) << 32)
}

/// ID_AA64ISAR0_EL1: AES = 2 (AESE/AESD/AESMC/AESIMC and 64-bit PMULL) [7:4], SHA1 = 1
/// [11:8], SHA2 = 2 (SHA256 and FEAT_SHA512) [15:12], CRC32 = 1 [19:16], Atomic = 2
/// (FEAT_LSE) [23:20], RDM = 1 (FEAT_RDM: SQRDMLAH/SQRDMLSH) [31:28], SHA3 = 1
/// (FEAT_SHA3: EOR3/RAX1/XAR/BCAX) [35:32], DP = 1 (FEAT_DotProd: SDOT/UDOT) [47:44],
/// FHM = 1 (FEAT_FHM: FMLAL/FMLSL/FMLAL2/FMLSL2) [51:48], TS = 2 (FEAT_FlagM2: FlagM's
/// CFINV/RMIF/SETF8/SETF16 plus AXFLAG/XAFLAG) [55:52]. SM3 [39:36] and SM4 [43:40] stay
/// 0: those encodings UNDEF.
pub const AA64ISAR0: u64 = (2 << 4)
    | (1 << 8)
    | (2 << 12)
    | (1 << 16)
    | (2 << 20)
    | (1 << 28)
    | (1 << 32)
    | (1 << 44)
    | (1 << 48)
    | (2 << 52);

/// ID_AA64ISAR1_EL1: DPB = 1 [3:0] (FEAT_DPB: DC CVAP, and with MTE DC CGVAP/CGDVAP,
/// which exec/sysop.rs implements; not DPB2's DC CVADP), JSCVT = 1 [15:12] (FJCVTZS,
/// differentially tested against QEMU), FCMA = 1 [19:16] (FEAT_FCMA: FCMLA, vector and by
/// element, and FCADD, in H/S/D), LRCPC = 2 (LDAPR and LDAPUR*) [23:20], FRINTTS = 1
/// [35:32] (FEAT_FRINTTS: FRINT32Z/X, FRINT64Z/X, scalar and vector), SB = 1 [39:36],
/// I8MM = 1 [55:52] (FEAT_I8MM: USDOT, SUDOT, SMMLA/UMMLA/USMMLA; differentially tested
/// against QEMU, which Unicorn's QEMU 5 predates). BF16 [47:44] stays 0: its
/// BFDOT/BFMMLA/BFMLAL/BFCVT* encodings, beside I8MM's, UNDEF.
pub const AA64ISAR1: u64 =
    1 | (1 << 12) | (1 << 16) | (2 << 20) | (1 << 32) | (1 << 36) | (1 << 52);

/// ID_AA64MMFR0_EL1: PARange from the configured PA size (0b0000 32 bits ... 0b0101 48
/// bits, 0b0110 52 bits: FEAT_LPA, 52-bit PAs with the 64KB granule), ASIDBits = 0b0010 (16), 4K/16K/64K granules at stage 1 (TGran16 = 1, TGran64 =
/// 0, TGran4 = 0) and, as stage 1, at stage 2 (TGran*_2 = 0).
pub fn aa64mmfr0(cfg: &CpuConfig) -> u64 {
    let parange = match cfg.pa_bits {
        32 => 0,
        36 => 1,
        40 => 2,
        42 => 3,
        44 => 4,
        52 => 6,
        _ => 5,
    };
    parange | (2 << 4) | (1 << 20)
}

/// CTR_EL0: RES1 bit 31, CWG = ERG = 4 (64 B), DminLine = IminLine = 4 (64 B), L1Ip = PIPT.
pub const CTR: u64 = 0x8444_c004;

/// DCZID_EL0: DC ZVA permitted (DZP = 0), block size 2^4 words = 64 bytes.
pub const DCZID: u64 = 4;

/// CLIDR_EL1: one level of separate I and D caches (Ctype1 = 0b011), LoC = LoUU = LoUIS = 1.
pub const CLIDR: u64 = 0b011 | (1 << 21) | (1 << 24) | (1 << 27);

/// CNTFRQ_EL0: 1 GHz, as QEMU 10's `virt`; one tick per simulated nanosecond.
pub const CNTFRQ: u64 = 1_000_000_000;

/// Block size DC ZVA clears, in bytes (from DCZID).
pub const DCZVA_BYTES: u64 = 4 << DCZID;
