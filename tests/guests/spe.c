/*
 * spe: FEAT_SPE (SPEv1p2, ID_AA64DFR0_EL1.PMSVer = 3) with an EL2-owned
 * Profiling Buffer (MDCR_EL2.E2PB = 0b00, HCR_EL2.E2H = 0), sampling at EL2
 * and at EL1, plus the EL1 traps of MDCR_EL2.{TPMS, E2PB}.
 *
 * QEMU has no SPE, so the golden (golden/spe.out) is written by hand from the
 * Arm ARM, DDI 0487 M.a.a as transcribed in wuyongzheng/arm-md-specs: chapter
 * D17 "The Statistical Profiling Extension", D18 (sample records and
 * packets), D24.7 (the SPE registers), D24.3.17 (MDCR_EL2), and the J1.1.1
 * pseudocode (SPEToCollectSample, SPECompleteSample, SPEBufferIsFull,
 * SPEWriteToBuffer, StatisticalProfilingEnabled, ProfilingBufferOwner,
 * CollectContextIDR1/2, CollectPhysicalAddress, CollectTimeStamp, ...).
 * Each check below names its source.  Nothing printed depends on the
 * emulator's speed: latencies and timestamps are only reported as present.
 *
 * Exact sample positions.  SPEToCollectSample() runs for every operation
 * (an instruction: PMSIDR_EL1.ArchInst = 1) while profiling is enabled at
 * the current EL: if PMSICR_EL1.COUNT is 0 it is reloaded (COUNT[31:8] =
 * PMSIRR_EL1.INTERVAL, COUNT[7:0] = 0 with RND = 0, SPEResetSampleCounter)
 * and that operation is not sampled; otherwise COUNT is decremented and the
 * operation that makes it 0 is the sampled one (the function "Returns TRUE
 * if the instruction which is about [to be] executed should be sampled"),
 * not the operation after it.  So with COUNT = K at the
 * point profiling becomes enabled (D17.3.3: a nonzero PMSICR_EL1 is used as
 * it is), the K-th operation is sampled, and after that every
 * (INTERVAL * 256 + 1)-th one (the note in D17.3.4.1).  Whether an
 * instruction counts is decided by indirect reads of PMSCR_ELx.{E*SPE} made
 * "by the instruction being executed, and subject to the standard
 * requirements for synchronization" (D17.9, IWZSLB), so the guest never
 * enables profiling with an MSR in front of the measured code (the MSR and
 * the ISB after it could go either way).  It uses exception boundaries,
 * which are context synchronization events, instead:
 *   - EL1 code: EL2 sets everything up with PMSCR_EL2.E2SPE = 0 and
 *     PMSCR_EL1.E1SPE = 1, then ERETs to the code; the first EL1
 *     instruction is operation 1.  The code ends with HVC #0 (itself the
 *     last counted operation), which lands in a private EL2 vector table
 *     (spe_vec) that stops profiling, executes PSB CSYNC; DSB NSH; ISB
 *     (D17.9 RTRDTK, IMLGHW: the PSB after a context synchronization event
 *     synchronizes the earlier profiling operations, the DSB completes their
 *     buffer writes, the ISB lets the direct reads see PMBPTR_EL1 etc.) and
 *     returns to the C caller.
 *   - EL2 code: EL2 enables profiling at EL2 (E2SPE = 1) with a huge
 *     PMSICR_EL1 so that nothing is sampled on the way out, ERETs to an EL1
 *     stub (E1SPE = 0: EL1 does not count) that writes PMSICR_EL1 = K, ISB,
 *     HVC #0; the HVC enters spe_vec2, whose lower-EL synchronous entry is
 *     the measured EL2 sequence (spe_seq2), operation 1 being its first
 *     instruction.
 * PMSIRR_EL1 = 0x100 (INTERVAL 1: 256 operations, RND 0) for the EL1 runs,
 * PMSICR_EL1 = 256, so samples fall on operations 256 + 257 j.
 *
 * Checks (golden/spe.out):
 * 1. ID registers: ID_AA64DFR0_EL1.PMSVer = 3 (D24.2.80; the guest stops
 *    here if it reads 0), PMSIDR_EL1 (D24.7.14; FL/FT/FE read as 1, FnE is
 *    mandatory from v8.7, Format 0 is the only format), PMBIDR_EL1 at EL2
 *    (D24.7.1: P reads 0 except at EL1 with E2PB = 0b00, no EL3 here).
 *    Values otherwise IMPLEMENTATION DEFINED are hypsim's (see the end).
 * 2. EL2 sampling, PMSCR_EL2 = E2SPE | CX | PA | TS (D24.7.9: E2SPE [1],
 *    CX [3], PA [4], TS [5]), CONTEXTIDR_EL2 = 0x5e2: COUNT = 10 samples the
 *    10th instruction of spe_seq2, `ldr x11, [x12]` at +0x24, and COUNT = 1
 *    its first (`mov`, +0x0).  One 64-byte record each, so PMBPTR_EL1
 *    advances by 0x40 (PMSIDR_EL1.MaxSize = PMBIDR_EL1.Align = 6: "each
 *    record is exactly this size"; SPEWriteToBuffer moves the pointer one
 *    byte per byte written).  Decoded (D18.1, D18.2; the guest does not
 *    assume any packet order): PC Address packet (index 0) = the
 *    instruction, EL = 2 and NS = 1 in bits [62:61] and [63]
 *    (SPESampleAddAddressPCVirtual); Operation Type class 1 payload 0x00
 *    ("Load/store, general purpose", LDST = 0: SPEConstructClass) or class
 *    0 payload 0x00 (other, not conditional); data VA packet (index 2) =
 *    the address loaded (SPESetDataVirtualAddress), data PA packet (index
 *    3) = the same address with NS = 1 (SPESetDataPhysicalAddress;
 *    CollectPhysicalAddress: owner EL2, so PMSCR_EL2.PA alone decides); a
 *    Context packet with index 1 = CONTEXTIDR_EL2 and none with index 0
 *    (CollectContextIDR1 is FALSE at EL2, CollectContextIDR2 follows
 *    PMSCR_EL2.CX); Events E[1] (retired) set (SPEEvent INST_RETIRED); the
 *    record ends with a Timestamp packet (CollectTimeStamp: owner EL2, so
 *    PMSCR_EL2.TS) and is padded with 0x00 to 64 bytes
 *    (SPEConstructRecord).  PMBSR_EL1 stays 0.
 * 3. EL1 sampling and the interval (spe_loop1: SUBS, B.NE x 1349, HVC =
 *    2699 instructions), PMSCR_EL1 = E1SPE | CX | TS, PMSCR_EL2 = CX,
 *    CONTEXTIDR_EL1 = 0x5e1: samples at 256, 513, ..., 2569 = 10 records,
 *    alternately the B.NE (+0x4: class 2 payload 0x01, conditional direct;
 *    it is taken, so a branch target packet (index 1) = spe_loop1 with
 *    EL = 1, NS = 1: SPEBranch) and the SUBS (+0x0, class 0); both Context
 *    packets (CX in PMSCR_EL1 and PMSCR_EL2); End packets, because the
 *    owner is EL2 and PMSCR_EL2.TS = 0 (PMSCR_EL1.TS is "ignored by the PE"
 *    then, D24.7.8).  PMSICR_EL1.COUNT afterwards: 256 reloaded at
 *    operation 2570, minus 129 = 127.
 * 4. Filters (D17.5, D24.7.12 PMSFCR_EL1: FE [0], FT [1], FL [2], FnE [3],
 *    B [16], LD [17], ST [18]; SPECollectRecord and SPEFilterBy*), with
 *    spe_mix (LDR, ADD, STR, SUBS, B.NE) x 1300 + HVC = 6501 instructions,
 *    PMSCR_EL2 = PA: 25 samples (operations 256 + 257 j, j < 25), landing
 *    on LDR, STR, B.NE, ADD, SUBS in turn (257 = 2 mod 5).  Unfiltered: all
 *    25 records.  FT with LD: the 5 loads; FT with B: the 5 branches; FT
 *    with LD|ST: 10 (the type bits are ORed); FL with
 *    PMSLATFR_EL1.MINLAT = 4095 (D24.7.16; [15:12] RES0 with 12-bit
 *    counters): none (SPEFilterByLatency: total latency < MINLAT); FE with
 *    PMSEVFR_EL1 = E[1] (retired): all 25; FE with E[6] (not taken: set
 *    only for a conditional operation that failed, SPECompleteSample): none;
 *    FnE with PMSNEVFR_EL1 = E[1]: none; FnE with E[6]: all 25.  Filtering
 *    drops records, not samples: PMSICR_EL1.COUNT ends at 180 every time
 *    (6425 reloads 256, minus 76).  Each record is checked against the
 *    instruction it must be (PC, type, data VA/PA, branch target, E[1]).
 * 5. Buffer full (D17.8.2): PMBPTR_EL1 = LIMIT - 0x80, so two records fit.
 *    "If, after writing a sample record, there is not sufficient space ...
 *    for a sample record of the size indicated by PMSIDR_EL1.MaxSize": the
 *    check follows each record (SPECompleteSample, SPEBufferIsFull: PTR >
 *    LIMIT - 64), so the event comes right after the second record, with
 *    PMBPTR_EL1 = LIMIT ("the first byte after the last complete sample
 *    record"), PMBSR_EL1 = 0x20001: S = 1 [17], EC = 0 [31:26], BSC = 1
 *    [5:0] (buffer filled), DL [19] unchanged = 0 (D24.7.5).  "The SPU never
 *    writes past the PMBLIMITR_EL1 limit pointer" (D17.8): the bytes at
 *    LIMIT and below the first record stay as filled.  PMBIRQ (a PPI,
 *    INTID 21 on this board) is driven from PMBSR_EL1.S (D17.8 RTSJRP,
 *    IGRLRX: asserted until software clears S; SPECycle): GICR_ISPENDR0 bit
 *    21 reads 1; with HCR_EL2.IMO = 1 and PSTATE.I = 0 it is taken at EL2,
 *    whose handler reads ICC_IAR1_EL1 (21), writes PMBSR_EL1 = 0 and EOIs;
 *    the pending bit then reads 0.
 * 6. Discard mode (D17.5.5, PMBLIMITR_EL1.FM [2:1] = 0b10, D24.7.2): with
 *    PMBPTR_EL1 = LIMIT - 0x40 (room for one record, which discard mode
 *    ignores): nothing written, PMBPTR_EL1 unchanged, PMBSR_EL1 = 0 ("Buffer
 *    management events are not generated"), PMSICR_EL1.COUNT = 180 (the
 *    samples were still taken).
 * 7. Buffer fault (D17.8.3 "Faults and watchpoints"): EL2 MMU on (4K
 *    granule, T0SZ = 25); VA 0x8000_0000 is a level 2 table whose entry 0
 *    is a 2 MiB block at PA 0x4800_0000 and entry 1 is invalid.
 *    PMBPTR_EL1 = 0x801f_ffc0, LIMIT 0x8040_0000, spe_mix at EL1: the first
 *    record goes to PA 0x481f_ffc0; the second write, to 0x8020_0000, takes
 *    a stage 1 translation fault at level 2 in the owning (EL2) regime:
 *    PMBSR_EL1 = 0x90020006 (EC 0b100100 stage 1 Data Abort, S = 1, FSC
 *    0b000110), PMBPTR_EL1 = 0x8020_0000, "the address that generated the
 *    fault" (SPEWriteToBuffer stops incrementing at the faulting byte), DL
 *    = 0: PMBPTR_EL1 is the first byte after the last complete record, so
 *    D17.8.3 leaves DL "unchanged" (D17.8 also calls it an IMPLEMENTATION
 *    DEFINED choice of 0 and 1 in that case; hypsim is expected to keep 0).
 *    "Each of these faults causes a Profiling Buffer management event, not
 *    an actual MMU fault exception. The ESR and FAR registers are
 *    unchanged": ESR_EL1/FAR_EL1 keep the values EL2 put there, and the
 *    only exception EL2 sees is the final HVC.  PMBIRQ is pending until
 *    PMBSR_EL1 is cleared.  The EL2 MMU stays on from here on (nothing
 *    written through a cacheable mapping is read back without one).
 * 8. Traps at EL1 (D24.3.17 MDCR_EL2: TPMS [14], E2PB [13:12]; the
 *    accessors' pseudocode in D24.7): TPMS = 1 traps MRS PMSCR_EL1, MSR
 *    PMSICR_EL1 and MRS PMSIDR_EL1 to EL2, TPMS = 0 does not (PMSCR_EL1
 *    reads back what EL2 wrote); E2PB = 0b00 and 0b10 ("IN {'x0'}") trap
 *    MRS PMBPTR_EL1, MSR PMBLIMITR_EL1 and MRS PMBSR_EL1; E2PB = 0b11 does
 *    not (PMBPTR_EL1 reads what EL2 wrote); PMBIDR_EL1 is not trapped by
 *    E2PB, and its P reads 1 at EL1 only with E2PB = 0b00 (D24.7.1).  A trap is AArch64.
 *    SystemAccessTrap(EL2, 0x18): ESR_EL2 = EC 0x18, IL = 1, ISS = Op0
 *    [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1],
 *    Direction [0] (1 = read) (D24.2.45), ELR_EL2 = the instruction.
 *
 * hypsim's IMPLEMENTATION DEFINED choices that the golden relies on: no
 * EL3, Non-secure state; PMSIDR_EL1: ArchInst = 1, LDS = 1, ERnd = 0,
 * Interval = 0, MaxSize = 6, CountSize = 2; PMBIDR_EL1: Align = 6, F = 0;
 * no FEAT_SPE_FDS/EFT/nVM/EXC/PBT; PMBIRQ is PPI 21; a total latency
 * Counter packet in every record (D17.6: counters "might be omitted");
 * total latencies < 4095 cycles; no sample collisions; for the buffer
 * fault, DL = 0.
 */
#include "guest.h"
#include "uart.h"

/* ---- SPE registers (D24.7; op0=3, CRn=9) ---- */
#define PMSCR_EL1       "S3_0_C9_C9_0"
#define PMSCR_EL2       "S3_4_C9_C9_0"
#define PMSNEVFR_EL1    "S3_0_C9_C9_1"
#define PMSICR_EL1      "S3_0_C9_C9_2"
#define PMSIRR_EL1      "S3_0_C9_C9_3"
#define PMSFCR_EL1      "S3_0_C9_C9_4"
#define PMSEVFR_EL1     "S3_0_C9_C9_5"
#define PMSLATFR_EL1    "S3_0_C9_C9_6"
#define PMSIDR_EL1      "S3_0_C9_C9_7"
#define PMBLIMITR_EL1   "S3_0_C9_C10_0"
#define PMBPTR_EL1      "S3_0_C9_C10_1"
#define PMBSR_EL1       "S3_0_C9_C10_3"
#define PMBIDR_EL1      "S3_0_C9_C10_7"
/* D24.2.67 / D24.2.69, present only with FEAT_FGT */
#define HDFGRTR_EL2     "S3_4_C3_C1_4"
#define HDFGWTR_EL2     "S3_4_C3_C1_5"

#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(v)) : "memory")

/* PMSCR_EL1 (D24.7.8) / PMSCR_EL2 (D24.7.9) */
#define PMSCR_E0SPE     (1u << 0)
#define PMSCR_E1SPE     (1u << 1)       /* PMSCR_EL2: E2SPE */
#define PMSCR_CX        (1u << 3)
#define PMSCR_PA        (1u << 4)
#define PMSCR_TS        (1u << 5)
/* PMSFCR_EL1 (D24.7.12) */
#define PMSFCR_FE       (1u << 0)
#define PMSFCR_FT       (1u << 1)
#define PMSFCR_FL       (1u << 2)
#define PMSFCR_FnE      (1u << 3)
#define PMSFCR_B        (1u << 16)
#define PMSFCR_LD       (1u << 17)
#define PMSFCR_ST       (1u << 18)
/* Events packet / PMSEVFR_EL1 / PMSNEVFR_EL1 bits (D18.2.6, D24.7.11) */
#define EV_RETIRED      (1u << 1)
#define EV_NOT_TAKEN    (1u << 6)
/* PMBLIMITR_EL1 (D24.7.2): E [0], FM [2:1], LIMIT [63:12] */
#define PMBLIMITR_E     1u
#define PMBLIMITR_DISCARD (2u << 1)
/* PMBSR_EL1 (D24.7.5) */
#define PMBSR_S         (1u << 17)
#define PMBSR_EC(v)     (((v) >> 26) & 0x3f)
#define PMBSR_DL(v)     (((v) >> 19) & 1)
#define PMBSR_EA(v)     (((v) >> 18) & 1)
#define PMBSR_COLL(v)   (((v) >> 16) & 1)
#define PMBSR_MSS6(v)   ((v) & 0x3f)    /* BSC or FSC */
/* MDCR_EL2 (D24.3.17) */
#define MDCR_E2PB(x)    ((uint64_t)(x) << 12)
#define MDCR_TPMS       (1ull << 14)

#define HCR_IMO         (1ull << 4)
#define SCTLR_EL1_VAL   0x30d00800ull   /* RES1 bits, MMU off */
#define SCTLR_EL2_VAL   0x30c50832ull   /* start.S: RES1 bits, A */
#define SCTLR_M         (1ull << 0)
#define SCTLR_C         (1ull << 2)
#define SCTLR_I         (1ull << 12)

#define REC             64              /* 2^PMSIDR_EL1.MaxSize */
#define ESR_HVC0        0x5a000000ull   /* EC 0x16, IL, imm16 0 */
#define EC_SYSREG       0x18
#define INTERVAL_256    0x100ull        /* PMSIRR_EL1: INTERVAL 1, RND 0 */
#define INTERVAL_HUGE   0x1000000ull    /* INTERVAL 0x10000: 16M operations */

/* ---- GICv3 (QEMU virt / hypsim layout, as pmuirq and gic_timer) ---- */
#define GICD            0x08000000ul
#define GICR            0x080a0000ul    /* CPU 0: RD_base */
#define GICR_SGI        (GICR + 0x10000)
#define GICD_CTLR       0x0000
#define GICR_CTLR       0x0000
#define GICR_WAKER      0x0014
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0   0x0200
#define GICR_ICPENDR0   0x0280
#define GICR_IPRIORITYR 0x0400
#define PMBIRQ          21              /* PPI 5 */
#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_BPR1_EL1    "S3_0_C12_C12_3"
#define ICC_CTLR_EL1    "S3_0_C12_C12_4"
#define ICC_SRE_EL1     "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2     "S3_4_C12_C9_5"

static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

/* ---- EL2 stage 1 for the buffer fault (4K granule, T0SZ=25: level 1 start) ---- */
#define D_BLOCK     0x1ull
#define D_TABLE     0x3ull
#define D_ATTR(i)   ((uint64_t)(i) << 2)
#define D_AP_RW     (1ull << 6)
#define D_SH_IS     (3ull << 8)
#define D_AF        (1ull << 10)
#define D_XN        (1ull << 54)
/* TCR_EL2: RES1 31, 23; PS=40 bits; SH0=IS; WB walks; TG0=4K; T0SZ=25 */
#define TCR_VAL     ((1ull << 31) | (1ull << 23) | (2ull << 16) | (3 << 12) | \
                     (1 << 10) | (1 << 8) | 25)
#define FAULT_VA    0x80000000ull       /* l1[2] -> l2f: [0] 2 MiB block, [1] invalid */
#define FAULT_PA    0x48000000ull
#define FAULT_PTR   (FAULT_VA + 0x200000 - REC)
#define FAULT_LIMIT (FAULT_VA + 0x400000)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2f[512] __attribute__((aligned(4096)));

/* ---- test memory ---- */
static uint8_t sbuf[16384] __attribute__((aligned(4096)));   /* profiling buffer */
static uint64_t spe_data[4] __attribute__((aligned(64)));    /* data the samples access */
#define BUF         ((uint64_t)sbuf)
#define DATA        ((uint64_t)spe_data)

/* Filled in by spe_return: EL1/EL2 x0, ESR_EL2, ELR_EL2, vector index. */
volatile uint64_t spe_ret[4];

/*
 * uint64_t spe_run(void (*entry)(void), uint64_t a0, uint64_t a1, const void *vbar):
 * ERET to entry at EL1h (DAIF masked) with x0 = a0, x1 = x12 = a1 and
 * VBAR_EL2 = vbar; the first exception taken to EL2 ends up in spe_return
 * (every vector of spe_vec, and of spe_vec2 after its sequence), which
 * stops EL2 profiling, synchronizes the profiling operations, records
 * x0/ESR/ELR/vector index in spe_ret, restores VBAR_EL2 and returns ESR_EL2
 * to spe_run's caller (SP_EL2 is untouched by the round trip).
 */
__asm__(
    ".text\n"
    ".balign 4\n"
    ".global spe_run\n"
    "spe_run:\n"
    "   stp     x29, x30, [sp, #-96]!\n"
    "   stp     x19, x20, [sp, #16]\n"
    "   stp     x21, x22, [sp, #32]\n"
    "   stp     x23, x24, [sp, #48]\n"
    "   stp     x25, x26, [sp, #64]\n"
    "   stp     x27, x28, [sp, #80]\n"
    "   msr     vbar_el2, x3\n"
    "   msr     elr_el2, x0\n"
    "   mov     x4, #0x3c5\n"
    "   msr     spsr_el2, x4\n"
    "   mov     x0, x1\n"
    "   mov     x1, x2\n"
    "   mov     x12, x2\n"
    "   isb\n"
    "   eret\n"

    "spe_return:\n"
    "   msr     " PMSCR_EL2 ", xzr\n"
    "   isb\n"
    "   hint    #17\n"                  /* PSB CSYNC */
    "   dsb     nsh\n"
    "   isb\n"
    "   adrp    x10, spe_ret\n"
    "   add     x10, x10, :lo12:spe_ret\n"
    "   str     x0, [x10]\n"
    "   mrs     x11, esr_el2\n"
    "   str     x11, [x10, #8]\n"
    "   mrs     x11, elr_el2\n"
    "   str     x11, [x10, #16]\n"
    "   str     x9, [x10, #24]\n"
    "   adrp    x11, vectors_el2\n"
    "   add     x11, x11, :lo12:vectors_el2\n"
    "   msr     vbar_el2, x11\n"
    "   isb\n"
    "   ldr     x0, [x10, #8]\n"
    "   ldp     x19, x20, [sp, #16]\n"
    "   ldp     x21, x22, [sp, #32]\n"
    "   ldp     x23, x24, [sp, #48]\n"
    "   ldp     x25, x26, [sp, #64]\n"
    "   ldp     x27, x28, [sp, #80]\n"
    "   ldp     x29, x30, [sp], #96\n"
    "   ret\n"

    /* spe_vec: every entry returns to spe_run's caller. */
    ".balign 2048\n"
    ".global spe_vec\n"
    "spe_vec:\n"
    ".irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    ".balign 0x80\n"
    "   mov     x9, #\\i\n"
    "   b       spe_return\n"
    ".endr\n"

    /* spe_vec2: the lower-EL synchronous entry (0x400) is the measured EL2
     * sequence: 20 instructions, the 10th a load from [x12]. */
    ".balign 2048\n"
    ".global spe_vec2\n"
    "spe_vec2:\n"
    ".irp i, 0,1,2,3,4,5,6,7\n"
    ".balign 0x80\n"
    "   mov     x9, #\\i\n"
    "   b       spe_return\n"
    ".endr\n"
    ".balign 0x80\n"
    ".global spe_seq2\n"
    "spe_seq2:\n"
    "   mov     x9, #0x11\n"            /*  1  +0x00 */
    "   mov     x10, #0x22\n"           /*  2  +0x04 */
    "   add     x9, x9, x10\n"          /*  3  +0x08 */
    "   eor     x10, x10, x9\n"         /*  4  +0x0c */
    "   lsl     x9, x9, #1\n"           /*  5  +0x10 */
    "   orr     x10, x10, #0xf0\n"      /*  6  +0x14 */
    "   sub     x9, x9, #1\n"           /*  7  +0x18 */
    "   and     x10, x10, x9\n"         /*  8  +0x1c */
    "   mov     x11, #0\n"              /*  9  +0x20 */
    "   ldr     x11, [x12]\n"           /* 10  +0x24 */
    "   add     x9, x9, x11\n"          /* 11  +0x28 */
    "   add     x10, x10, #1\n"         /* 12  +0x2c */
    "   eor     x9, x9, x10\n"          /* 13  +0x30 */
    "   add     x9, x9, #2\n"           /* 14  +0x34 */
    "   sub     x10, x10, #3\n"         /* 15  +0x38 */
    "   orr     x9, x9, x10\n"          /* 16  +0x3c */
    "   add     x10, x10, x9\n"         /* 17  +0x40 */
    "   mov     x11, #0x33\n"           /* 18  +0x44 */
    "   add     x9, x9, x11\n"          /* 19  +0x48 */
    "   eor     x10, x10, x11\n"        /* 20  +0x4c */
    "   mov     x9, #8\n"
    "   b       spe_return\n"
    ".irp i, 9,10,11,12,13,14,15\n"
    ".balign 0x80\n"
    "   mov     x9, #\\i\n"
    "   b       spe_return\n"
    ".endr\n"

    /* EL1 code, entered by spe_run. */
    ".text\n"
    ".balign 64\n"
    ".global spe_setk\n"                /* x0 = K: PMSICR_EL1 = K, then to EL2 */
    "spe_setk:\n"
    "   msr     " PMSICR_EL1 ", x0\n"
    "   isb\n"
    "   hvc     #0\n"
    ".balign 64\n"
    ".global spe_loop1\n"               /* x0 = iterations: 2 per iteration + HVC */
    "spe_loop1:\n"
    "   subs    x0, x0, #1\n"           /* +0x0 */
    "   b.ne    spe_loop1\n"            /* +0x4 */
    "   hvc     #0\n"                   /* +0x8 */
    ".balign 64\n"
    ".global spe_mix\n"                 /* x0 = iterations, x1 = data: 5 per iteration + HVC */
    "spe_mix:\n"
    "   ldr     x2, [x1]\n"             /* +0x00 */
    "   add     x3, x3, #1\n"           /* +0x04 */
    "   str     x3, [x1, #8]\n"         /* +0x08 */
    "   subs    x0, x0, #1\n"           /* +0x0c */
    "   b.ne    spe_mix\n"              /* +0x10 */
    "   hvc     #0\n"                   /* +0x14 */
    /* trap snippets: the access, then HVC #0 */
    ".balign 64\n"
    "spe_t_mrs_pmscr:    mrs x0, " PMSCR_EL1 "\n hvc #0\n"
    "spe_t_msr_pmsicr:   msr " PMSICR_EL1 ", x1\n hvc #0\n"
    "spe_t_mrs_pmsidr:   mrs x0, " PMSIDR_EL1 "\n hvc #0\n"
    "spe_t_mrs_pmbptr:   mrs x0, " PMBPTR_EL1 "\n hvc #0\n"
    "spe_t_msr_pmblimitr: msr " PMBLIMITR_EL1 ", x1\n hvc #0\n"
    "spe_t_mrs_pmbsr:    mrs x0, " PMBSR_EL1 "\n hvc #0\n"
    "spe_t_mrs_pmbidr:   mrs x0, " PMBIDR_EL1 "\n hvc #0\n"
    ".global spe_t_mrs_pmscr, spe_t_msr_pmsicr, spe_t_mrs_pmsidr, spe_t_mrs_pmbptr\n"
    ".global spe_t_msr_pmblimitr, spe_t_mrs_pmbsr, spe_t_mrs_pmbidr\n"
);

uint64_t spe_run(void (*entry)(void), uint64_t a0, uint64_t a1, const void *vbar);
extern char spe_vec[], spe_vec2[], spe_seq2[];
void spe_setk(void), spe_loop1(void), spe_mix(void);
void spe_t_mrs_pmscr(void), spe_t_msr_pmsicr(void), spe_t_mrs_pmsidr(void);
void spe_t_mrs_pmbptr(void), spe_t_msr_pmblimitr(void), spe_t_mrs_pmbsr(void);
void spe_t_mrs_pmbidr(void);

/* ---- printing addresses relative to known symbols ---- */
struct sym { const char *name; uint64_t base, size; };
static const struct sym syms[] = {
    { "seq2", (uint64_t)spe_seq2, 0x80 },
    { "loop1", (uint64_t)spe_loop1, 0x10 },
    { "mix", (uint64_t)spe_mix, 0x18 },
    { "data", (uint64_t)spe_data, sizeof(spe_data) },
    { "buf", (uint64_t)sbuf, sizeof(sbuf) },
};

static void print_addr(uint64_t v)
{
    for (unsigned i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
        if (v >= syms[i].base && v - syms[i].base < syms[i].size) {
            uart_puts(syms[i].name);
            uart_puts("+");
            uart_hex(v - syms[i].base);
            return;
        }
    }
    uart_hex(v);
}

static void yesno(int b) { uart_puts(b ? "yes" : "no"); }

/* ---- sample record decoding (D18.1: header byte -> payload size) ---- */
struct rec {
    int ended;              /* an End or Timestamp packet within REC bytes */
    int end_ts;             /* ... and it was a Timestamp packet */
    int pad_ok;             /* only 0x00 after it */
    int unknown;            /* packets of a type not decoded here */
    int have_addr[8];
    uint64_t addr[8];       /* 0 PC, 1 branch target, 2 data VA, 3 data PA */
    int have_op;
    unsigned op_class, op_payload;
    int have_ev;
    uint64_t ev;
    int have_ctx[4];
    uint64_t ctx[4];        /* 0 CONTEXTIDR_EL1, 1 CONTEXTIDR_EL2 */
    int have_cnt[8];        /* 0 total, 1 issue, 2 translation latency */
};

static void parse(const volatile uint8_t *p, struct rec *r)
{
    unsigned i = 0;

    *r = (struct rec){ 0 };
    while (i < REC) {
        unsigned h = p[i], hb, idx, sz, hl = 1;
        uint64_t v = 0;

        if (h == 0x00) {                        /* Padding */
            i++;
            continue;
        }
        if (h == 0x01) {                        /* End */
            r->ended = 1;
            i++;
            break;
        }
        if (h < 0x20) {                         /* other 1-byte headers */
            r->unknown++;
            i++;
            continue;
        }
        if (h < 0x40) {                         /* extended header: 2 bytes */
            if (i + 1 >= REC)
                break;
            hb = p[i + 1];
            hl = 2;
            idx = ((h & 3) << 3) | (hb & 7);
        } else {
            hb = h;
            idx = h & 7;
        }
        sz = 1u << ((hb >> 4) & 3);
        if (i + hl + sz > REC)
            break;
        for (unsigned b = 0; b < sz; b++)
            v |= (uint64_t)p[i + hl + b] << (8 * b);
        i += hl + sz;
        if (hl == 1 && h == 0x71) {             /* Timestamp */
            r->ended = 1;
            r->end_ts = 1;
            break;
        }
        if ((hb & 0xf8) == 0xb0 && idx < 8) {   /* Address */
            r->have_addr[idx] = 1;
            r->addr[idx] = v;
        } else if ((hb & 0xf8) == 0x98 && idx < 8) {    /* Counter */
            r->have_cnt[idx] = 1;
        } else if (hl == 1 && (h & 0xcf) == 0x42) {     /* Events */
            r->have_ev = 1;
            r->ev = v;
        } else if (hl == 1 && (h & 0xcf) == 0x43) {     /* Data Source */
        } else if (hl == 1 && (h & 0xfc) == 0x64) {     /* Context */
            r->have_ctx[h & 3] = 1;
            r->ctx[h & 3] = v;
        } else if (hl == 1 && (h & 0xfc) == 0x48) {     /* Operation Type */
            r->have_op = 1;
            r->op_class = h & 3;
            r->op_payload = (unsigned)v;
        } else {
            r->unknown++;
        }
    }
    r->pad_ok = 1;
    for (; i < REC; i++)
        if (p[i] != 0)
            r->pad_ok = 0;
}

#define ADDR56(v)   ((v) & 0x00ffffffffffffffull)
#define ADDR_EL(v)  (((v) >> 61) & 3)
#define ADDR_NS(v)  ((v) >> 63)

static void print_code_addr(const char *what, uint64_t v)
{
    uart_puts(what);
    print_addr(ADDR56(v));
    uart_puts(" EL");
    uart_dec(ADDR_EL(v));
    uart_puts(" NS=");
    uart_dec(ADDR_NS(v));
}

static void print_rec(unsigned n, const volatile uint8_t *p)
{
    static const char *const cls[] = { "OTHER", "LD/ST", "BRANCH", "CLASS3" };
    struct rec r;

    parse(p, &r);
    uart_puts("  rec ");
    uart_dec(n);
    uart_puts(":");
    if (r.have_addr[0])
        print_code_addr(" PC ", r.addr[0]);
    else
        uart_puts(" no PC packet");
    if (r.have_op) {
        uart_puts(", ");
        uart_puts(cls[r.op_class]);
        uart_puts(" ");
        uart_hex(r.op_payload);
    }
    if (r.have_addr[1])
        print_code_addr(", TGT ", r.addr[1]);
    if (r.have_addr[2]) {
        uart_puts(", VA ");
        print_addr(r.addr[2]);
    }
    if (r.have_addr[3]) {
        uart_puts(", PA ");
        print_addr(ADDR56(r.addr[3]));
        uart_puts(" NS=");
        uart_dec(ADDR_NS(r.addr[3]));
    }
    for (unsigned i = 0; i < 4; i++) {
        if (r.have_ctx[i]) {
            uart_puts(", CTX");
            uart_dec(i + 1);
            uart_puts(" ");
            uart_hex(r.ctx[i]);
        }
    }
    if (r.have_ev) {
        uart_puts(r.ev & EV_RETIRED ? ", retired" : ", not retired");
        if (r.ev & EV_NOT_TAKEN)
            uart_puts(", not taken");
    } else {
        uart_puts(", no Events packet");
    }
    if (r.have_cnt[0])
        uart_puts(", total-lat");
    if (!r.ended)
        uart_puts(", NO END");
    else
        uart_puts(r.end_ts ? ", TS" : ", END");
    if (!r.pad_ok)
        uart_puts(", BAD PADDING");
    if (r.unknown)
        uart_puts(", unknown packets");
    uart_puts("\n");
}

/* ---- expected records of the EL1 loops ---- */
struct insn {
    uint64_t off;
    unsigned op_class, op_payload;
    int va;                 /* data offset, -1: none */
    int tgt;                /* branch target offset, -1: none */
};
/* spe_mix: LDR (GP load), ADD, STR (GP store), SUBS, B.NE (conditional direct) */
static const struct insn mix_insn[5] = {
    { 0x00, 1, 0x00, 0, -1 },
    { 0x04, 0, 0x00, -1, -1 },
    { 0x08, 1, 0x01, 8, -1 },
    { 0x0c, 0, 0x00, -1, -1 },
    { 0x10, 2, 0x01, -1, 0 },
};
/* spe_loop1: SUBS, B.NE */
static const struct insn loop1_insn[2] = {
    { 0x0, 0, 0x00, -1, -1 },
    { 0x4, 2, 0x01, -1, 0 },
};

/* Does the record match insn (at code base `code`), sampled at EL1 with End packets? */
static int rec_is(const struct rec *r, const struct insn *in, uint64_t code, int pa)
{
    uint64_t el1ns = (1ull << 63) | (1ull << 61);

    if (!r->ended || r->end_ts || !r->pad_ok || !r->have_addr[0] || !r->have_op || !r->have_ev)
        return 0;
    if (r->addr[0] != (el1ns | (code + in->off)))
        return 0;
    if (r->op_class != in->op_class || r->op_payload != in->op_payload)
        return 0;
    if (!(r->ev & EV_RETIRED) || (r->ev & EV_NOT_TAKEN))
        return 0;
    if (in->va >= 0) {
        uint64_t a = DATA + (uint64_t)in->va;
        if (!r->have_addr[2] || r->addr[2] != a)
            return 0;
        if (pa != r->have_addr[3] || (pa && r->addr[3] != ((1ull << 63) | a)))
            return 0;
    } else if (r->have_addr[2] || r->have_addr[3]) {
        return 0;
    }
    if (in->tgt >= 0) {
        if (!r->have_addr[1] || r->addr[1] != (el1ns | (code + (uint64_t)in->tgt)))
            return 0;
    } else if (r->have_addr[1]) {
        return 0;
    }
    return 1;
}

/*
 * The j-th sample (j = 0, 1, ...) of a run that starts with COUNT = 256 and
 * INTERVAL 256 is operation 256 + 257 j (1-based), i.e. instruction
 * (255 + 257 j) mod n of an n-instruction loop.  Check that the nrec
 * records at buf are exactly the samples j < nsamples whose instruction is
 * in keep (a bit mask over the loop's instructions), in order.
 */
static int check_run(uint64_t buf, unsigned nrec, const struct insn *ins, unsigned n,
                     uint64_t code, unsigned nsamples, unsigned keep, int pa)
{
    unsigned k = 0;
    struct rec r;

    for (unsigned j = 0; j < nsamples; j++) {
        unsigned pos = (255 + 257 * j) % n;
        if (!((keep >> pos) & 1))
            continue;
        if (k >= nrec)
            return 0;
        parse((const volatile uint8_t *)(buf + (uint64_t)k * REC), &r);
        if (!rec_is(&r, &ins[pos], code, pa))
            return 0;
        k++;
    }
    return k == nrec;
}

/* ---- buffer helpers ---- */
static void fill(uint64_t a, uint64_t n, uint8_t v)
{
    volatile uint64_t *p = (volatile uint64_t *)a;
    uint64_t w = 0x0101010101010101ull * v;

    for (uint64_t i = 0; i < n / 8; i++)
        p[i] = w;
}

static int all_are(uint64_t a, uint64_t n, uint8_t v)
{
    const volatile uint8_t *p = (const volatile uint8_t *)a;

    for (uint64_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

/* ---- SPE set-up and one run ---- */
struct cfg {
    uint64_t pmscr_el1, pmscr_el2, pmsfcr, pmsevfr, pmsnevfr, pmslatfr;
    uint64_t pmsirr, pmsicr, ptr, limitr;
};
struct res {
    uint64_t ptr, sr, icr;
    uint64_t esr, elr, idx, x0;
};

static uint64_t mdcr_base;

static void set_mdcr(uint64_t v)
{
    write_sysreg(mdcr_el2, mdcr_base | v);
    isb();
}

/* Program the SPE registers; profiling becomes enabled (at EL2 only if
 * PMSCR_EL2.E2SPE = 1) with the final PMBLIMITR_EL1 write. */
static void spe_setup(const struct cfg *c)
{
    WR(PMBLIMITR_EL1, 0);
    isb();
    WR(PMSCR_EL2, 0);
    WR(PMSCR_EL1, 0);
    WR(PMSFCR_EL1, c->pmsfcr);
    WR(PMSEVFR_EL1, c->pmsevfr);
    WR(PMSNEVFR_EL1, c->pmsnevfr);
    WR(PMSLATFR_EL1, c->pmslatfr);
    WR(PMSIRR_EL1, c->pmsirr);
    WR(PMSICR_EL1, c->pmsicr);
    WR(PMBPTR_EL1, c->ptr);
    WR(PMBSR_EL1, 0);
    WR(PMSCR_EL1, c->pmscr_el1);
    WR(PMSCR_EL2, c->pmscr_el2);
    isb();
    WR(PMBLIMITR_EL1, c->limitr);
    isb();
}

/* Run entry at EL1 (spe_run), then read the buffer state and disable it. */
static void spe_go(void (*entry)(void), uint64_t a0, uint64_t a1, const void *vbar,
                   struct res *r)
{
    r->esr = spe_run(entry, a0, a1, vbar);
    r->x0 = spe_ret[0];
    r->elr = spe_ret[2];
    r->idx = spe_ret[3];
    r->ptr = RD(PMBPTR_EL1);
    r->sr = RD(PMBSR_EL1);
    r->icr = RD(PMSICR_EL1);
    WR(PMBLIMITR_EL1, 0);
    isb();
}

/* The run must have ended with the HVC #0 at ret_addr - 4 (vector 8: lower
 * EL, AArch64, synchronous); anything else is reported. */
static int check_exit(const struct res *r, uint64_t ret_addr)
{
    if (r->idx == 8 && r->esr == ESR_HVC0 && r->elr == ret_addr)
        return 1;
    uart_puts("  *** unexpected exit to EL2: vector ");
    uart_dec(r->idx);
    uart_puts(" ESR_EL2=");
    uart_hex(r->esr);
    uart_puts(" ELR_EL2=");
    uart_hex(r->elr);
    uart_puts("\n");
    return 0;
}

static void print_sr(uint64_t sr)
{
    uart_puts("PMBSR_EL1=");
    uart_hex(sr);
}

static void print_sr_fields(uint64_t sr)
{
    print_sr(sr);
    uart_puts(": S=");
    uart_dec((sr & PMBSR_S) ? 1 : 0);
    uart_puts(" EC=");
    uart_hex(PMBSR_EC(sr));
    uart_puts(" DL=");
    uart_dec(PMBSR_DL(sr));
    uart_puts(" EA=");
    uart_dec(PMBSR_EA(sr));
    uart_puts(" COLL=");
    uart_dec(PMBSR_COLL(sr));
    uart_puts(PMBSR_EC(sr) == 0 ? " BSC=" : " FSC=");
    uart_hex(PMBSR_MSS6(sr));
}

/* ---- PMBIRQ ---- */
static volatile unsigned irq_count, irq_intid, nspurious;

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    if (VEC_KIND(idx) != 1)
        guest_unexpected("EL2", idx, read_sysreg(esr_el2), f->elr);
    uint32_t intid = RD(ICC_IAR1_EL1) & 0xffffff;
    if (intid >= 1020) {
        nspurious++;
        return;
    }
    if (intid == PMBIRQ) {
        WR(PMBSR_EL1, 0);           /* S = 0: PMBIRQ drops (D17.8 IGRLRX) */
        isb();
    }
    WR(ICC_EOIR1_EL1, intid);
    isb();
    irq_intid = intid;
    irq_count++;
}

static void gic_init(void)
{
    wr32(GICD + GICD_CTLR, 0);
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
    wr32(GICD + GICD_CTLR, (1u << 4) | 3);          /* ARE, EnableGrp1, EnableGrp0 */
    while (rd32(GICD + GICD_CTLR) & (1u << 31))
        ;
    wr32(GICR + GICR_WAKER, rd32(GICR + GICR_WAKER) & ~2u);    /* ProcessorSleep = 0 */
    while (rd32(GICR + GICR_WAKER) & 4)
        ;
    wr32(GICR_SGI + GICR_ICENABLER0, 0xffffffff);
    while (rd32(GICR + GICR_CTLR) & (1u << 3))      /* RWP */
        ;
    wr32(GICR_SGI + GICR_ICPENDR0, 1u << PMBIRQ);
    wr32(GICR_SGI + GICR_IGROUPR0, rd32(GICR_SGI + GICR_IGROUPR0) | 1u << PMBIRQ);
    wr8(GICR_SGI + GICR_IPRIORITYR + PMBIRQ, 0x80);
    wr32(GICR_SGI + GICR_ISENABLER0, 1u << PMBIRQ);

    WR(ICC_SRE_EL2, 0xf);           /* SRE, DFB, DIB, Enable */
    isb();
    WR(ICC_SRE_EL1, RD(ICC_SRE_EL1) | 1);
    isb();
    WR(ICC_PMR_EL1, 0xf0);
    WR(ICC_BPR1_EL1, 0);
    WR(ICC_CTLR_EL1, 0);            /* EOImode 0 */
    WR(ICC_IGRPEN1_EL1, 1);
    isb();
}

/* Poll GICR_ISPENDR0 bit PMBIRQ until it reads `want`; 1 if it did. */
static int pmbirq_pending_is(unsigned want)
{
    for (unsigned i = 0; i < 100000; i++)
        if (((rd32(GICR_SGI + GICR_ISPENDR0) >> PMBIRQ) & 1) == want)
            return 1;
    return 0;
}

/* ---- 1. ID registers ---- */
static int test_id(void)
{
    uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
    unsigned pmsver = (dfr0 >> 32) & 0xf;       /* D24.2.80 */

    uart_puts("ID_AA64DFR0_EL1.PMSVer=");
    uart_hex(pmsver);
    if (pmsver == 0) {
        uart_puts(": FEAT_SPE not implemented, stopping\n");
        return 0;
    }
    uart_puts("\n");

    uint64_t idr = RD(PMSIDR_EL1);              /* D24.7.14 */
    uart_puts("PMSIDR_EL1: FE=");
    uart_dec(idr & 1);
    uart_puts(" FT=");
    uart_dec((idr >> 1) & 1);
    uart_puts(" FL=");
    uart_dec((idr >> 2) & 1);
    uart_puts(" ArchInst=");
    uart_dec((idr >> 3) & 1);
    uart_puts(" LDS=");
    uart_dec((idr >> 4) & 1);
    uart_puts(" ERnd=");
    uart_dec((idr >> 5) & 1);
    uart_puts(" FnE=");
    uart_dec((idr >> 6) & 1);
    uart_puts(" FDS=");
    uart_dec((idr >> 7) & 1);
    uart_puts(" Interval=");
    uart_hex((idr >> 8) & 0xf);
    uart_puts(" MaxSize=");
    uart_hex((idr >> 12) & 0xf);
    uart_puts(" CountSize=");
    uart_hex((idr >> 16) & 0xf);
    uart_puts(" Format=");
    uart_hex((idr >> 20) & 0xf);
    uart_puts("\n");

    uint64_t bidr = RD(PMBIDR_EL1);             /* D24.7.1 */
    uart_puts("PMBIDR_EL1 at EL2 (E2PB=0b00): Align=");
    uart_hex(bidr & 0xf);
    uart_puts(" P=");
    uart_dec((bidr >> 4) & 1);
    uart_puts(" F=");
    uart_dec((bidr >> 5) & 1);
    uart_puts("\n");
    return 1;
}

/* ---- 2. EL2 sampling: the K-th instruction of spe_seq2 ---- */
static void test_el2(unsigned k)
{
    struct cfg c = {
        .pmscr_el2 = PMSCR_E1SPE | PMSCR_CX | PMSCR_PA | PMSCR_TS,     /* E2SPE */
        .pmsirr = INTERVAL_HUGE,
        .pmsicr = 0xffffff,         /* no sample before EL1 sets COUNT = K */
        .ptr = BUF,
        .limitr = (BUF + sizeof(sbuf)) | PMBLIMITR_E,
    };
    struct res r;

    fill(BUF, sizeof(sbuf), 0xee);
    spe_setup(&c);
    spe_go(spe_setk, k, DATA, spe_vec2, &r);
    uart_puts("COUNT=");
    uart_dec(k);
    uart_puts(": PMBPTR_EL1=");
    print_addr(r.ptr);
    uart_puts(" ");
    print_sr(r.sr);
    uart_puts(", records: ");
    uart_dec((r.ptr - BUF) / REC);
    uart_puts("\n");
    check_exit(&r, (uint64_t)spe_setk + 0xc);
    for (uint64_t p = BUF; p < r.ptr && p < BUF + 4 * REC; p += REC)
        print_rec((p - BUF) / REC, (const volatile uint8_t *)p);
}

/* ---- 3. EL1 sampling and the interval counter ---- */
static void test_interval(void)
{
    const uint64_t iters = 1349;    /* 2 * 1349 + 1 = 2699 instructions */
    struct cfg c = {
        .pmscr_el1 = PMSCR_E1SPE | PMSCR_CX | PMSCR_TS,
        .pmscr_el2 = PMSCR_CX,
        .pmsirr = INTERVAL_256,
        .pmsicr = 256,
        .ptr = BUF,
        .limitr = (BUF + sizeof(sbuf)) | PMBLIMITR_E,
    };
    struct res r;
    unsigned n;

    fill(BUF, sizeof(sbuf), 0xee);
    spe_setup(&c);
    spe_go(spe_loop1, iters, 0, spe_vec, &r);
    check_exit(&r, (uint64_t)spe_loop1 + 0xc);
    n = (r.ptr - BUF) / REC;
    uart_puts("records: ");
    uart_dec(n);
    uart_puts(" (PMBPTR_EL1=");
    print_addr(r.ptr);
    uart_puts(") ");
    print_sr(r.sr);
    uart_puts(" PMSICR_EL1.COUNT=");
    uart_dec(r.icr & 0xffffffff);
    uart_puts("\n");
    for (unsigned i = 0; i < n && i < 16; i++)
        print_rec(i, (const volatile uint8_t *)(BUF + i * REC));
    uart_puts("operations 256 + 257 j, j < 10: ");
    yesno(check_run(BUF, n, loop1_insn, 2, (uint64_t)spe_loop1, 10, 0x3, 0));
    uart_puts("\n");
}

/* ---- 4. filters ---- */
#define MIX_ITERS   1300            /* 5 * 1300 + 1 = 6501 instructions */
#define MIX_SAMPLES 25              /* 256 + 257 * 24 = 6424 <= 6501 < 6681 */

static struct cfg mix_cfg(void)
{
    struct cfg c = {
        .pmscr_el1 = PMSCR_E1SPE,
        .pmscr_el2 = PMSCR_PA,
        .pmsirr = INTERVAL_256,
        .pmsicr = 256,
        .ptr = BUF,
        .limitr = (BUF + sizeof(sbuf)) | PMBLIMITR_E,
    };
    return c;
}

static void count_classes(uint64_t buf, unsigned n, unsigned cnt[4])
{
    struct rec r;

    cnt[0] = cnt[1] = cnt[2] = cnt[3] = 0;
    for (unsigned i = 0; i < n; i++) {
        parse((const volatile uint8_t *)(buf + i * REC), &r);
        if (!r.have_op)
            continue;
        if (r.op_class == 1)
            cnt[r.op_payload & 1]++;    /* 0 LD, 1 ST */
        else if (r.op_class == 2)
            cnt[2]++;
        else
            cnt[3]++;
    }
}

static void filter_case(const char *name, uint64_t fcr, uint64_t evfr, uint64_t nevfr,
                        uint64_t latfr, unsigned keep, int show)
{
    struct cfg c = mix_cfg();
    struct res r;
    unsigned n, cnt[4];

    c.pmsfcr = fcr;
    c.pmsevfr = evfr;
    c.pmsnevfr = nevfr;
    c.pmslatfr = latfr;
    fill(BUF, sizeof(sbuf), 0xee);
    spe_setup(&c);
    spe_go(spe_mix, MIX_ITERS, DATA, spe_vec, &r);
    check_exit(&r, (uint64_t)spe_mix + 0x18);
    n = (r.ptr - BUF) / REC;
    count_classes(BUF, n, cnt);
    uart_puts(name);
    uart_puts(": ");
    uart_dec(n);
    uart_puts(" records (LD ");
    uart_dec(cnt[0]);
    uart_puts(", ST ");
    uart_dec(cnt[1]);
    uart_puts(", B ");
    uart_dec(cnt[2]);
    uart_puts(", other ");
    uart_dec(cnt[3]);
    uart_puts("), as expected: ");
    yesno(check_run(BUF, n, mix_insn, 5, (uint64_t)spe_mix, MIX_SAMPLES, keep, 1));
    uart_puts(", PMSICR_EL1.COUNT=");
    uart_dec(r.icr & 0xffffffff);
    uart_puts(", ");
    print_sr(r.sr);
    uart_puts("\n");
    for (unsigned i = 0; i < n && i < (unsigned)show; i++)
        print_rec(i, (const volatile uint8_t *)(BUF + i * REC));
}

/* keep masks over spe_mix's instructions: 0 LDR, 1 ADD, 2 STR, 3 SUBS, 4 B.NE */
#define K_ALL   0x1f
#define K_LD    0x01
#define K_ST    0x04
#define K_B     0x10

static void test_filters(void)
{
    filter_case("no filter", 0, 0, 0, 0, K_ALL, 5);
    filter_case("FT, LD", PMSFCR_FT | PMSFCR_LD, 0, 0, 0, K_LD, 0);
    filter_case("FT, B", PMSFCR_FT | PMSFCR_B, 0, 0, 0, K_B, 0);
    filter_case("FT, LD|ST", PMSFCR_FT | PMSFCR_LD | PMSFCR_ST, 0, 0, 0, K_LD | K_ST, 0);
    filter_case("FL, MINLAT=4095", PMSFCR_FL, 0, 0, 4095, 0, 0);
    filter_case("FE, E[1] retired", PMSFCR_FE, EV_RETIRED, 0, 0, K_ALL, 0);
    filter_case("FE, E[6] not taken", PMSFCR_FE, EV_NOT_TAKEN, 0, 0, 0, 0);
    filter_case("FnE, E[1] retired", PMSFCR_FnE, 0, EV_RETIRED, 0, 0, 0);
    filter_case("FnE, E[6] not taken", PMSFCR_FnE, 0, EV_NOT_TAKEN, 0, K_ALL, 0);
}

/* ---- 5. buffer full and PMBIRQ ---- */
static void test_full(void)
{
    const uint64_t limit = BUF + 0x1000, start = limit - 2 * REC;
    struct cfg c = mix_cfg();
    struct res r;

    c.ptr = start;
    c.limitr = limit | PMBLIMITR_E;
    fill(BUF, sizeof(sbuf), 0xee);
    spe_setup(&c);
    spe_go(spe_mix, MIX_ITERS, DATA, spe_vec, &r);
    check_exit(&r, (uint64_t)spe_mix + 0x18);
    uart_puts("PMBPTR_EL1=");
    print_addr(r.ptr);
    uart_puts(r.ptr == limit ? " (= LIMIT)" : " (not LIMIT)");
    uart_puts(", records: ");
    uart_dec(r.ptr >= start ? (r.ptr - start) / REC : 0);
    uart_puts("\n");
    print_sr_fields(r.sr);
    uart_puts("\n");
    for (uint64_t p = start; p < r.ptr && p < limit; p += REC)
        print_rec((p - start) / REC, (const volatile uint8_t *)p);
    uart_puts("the first two samples (LDR, STR): ");
    yesno(r.ptr == limit && check_run(start, 2, mix_insn, 5, (uint64_t)spe_mix, 2, K_ALL, 1));
    uart_puts(", bytes below the buffer and from LIMIT untouched: ");
    yesno(all_are(BUF, start - BUF, 0xee) && all_are(limit, sizeof(sbuf) - 0x1000, 0xee));
    uart_puts("\n");

    uart_puts("PMBIRQ (INTID 21) pending: ");
    yesno(pmbirq_pending_is(1));
    uart_puts("\n");
    irq_count = 0;
    irq_intid = ~0u;
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_IMO);
    isb();
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    for (unsigned i = 0; i < 100000 && !irq_count; i++)
        ;
    __asm__ volatile("msr daifset, #2\n isb" ::: "memory");
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_IMO);
    isb();
    uart_puts("HCR_EL2.IMO=1, PSTATE.I=0: IRQ ");
    if (irq_count)
        uart_dec(irq_intid);
    else
        uart_puts("none");
    uart_puts(" taken at EL2, handler wrote PMBSR_EL1=0; PMBSR_EL1=");
    uart_hex(RD(PMBSR_EL1));
    uart_puts(", PMBIRQ pending: ");
    yesno(!pmbirq_pending_is(0));
    uart_puts("\n");
}

/* ---- 6. discard mode ---- */
static void test_discard(void)
{
    const uint64_t limit = BUF + 0x1000, start = limit - REC;
    struct cfg c = mix_cfg();
    struct res r;

    c.ptr = start;
    c.limitr = limit | PMBLIMITR_DISCARD | PMBLIMITR_E;
    fill(BUF, sizeof(sbuf), 0xee);
    spe_setup(&c);
    spe_go(spe_mix, MIX_ITERS, DATA, spe_vec, &r);
    check_exit(&r, (uint64_t)spe_mix + 0x18);
    uart_puts("PMBPTR_EL1=");
    print_addr(r.ptr);
    uart_puts(r.ptr == start ? " (unchanged) " : " (changed) ");
    print_sr(r.sr);
    uart_puts(", buffer untouched: ");
    yesno(all_are(BUF, sizeof(sbuf), 0xee));
    uart_puts(", PMSICR_EL1.COUNT=");
    uart_dec(r.icr & 0xffffffff);
    uart_puts("\n");
}

/* ---- 7. buffer fault in the EL2 regime ---- */
static void mmu_on(void)
{
    l1[0] = 0x0 | D_ATTR(0) | D_AF | D_AP_RW | D_XN | D_BLOCK;           /* Device */
    l1[1] = 0x40000000ull | D_ATTR(1) | D_SH_IS | D_AF | D_AP_RW | D_BLOCK; /* RAM, WB */
    l1[2] = (uint64_t)l2f | D_TABLE;
    l2f[0] = FAULT_PA | D_ATTR(1) | D_SH_IS | D_AF | D_AP_RW | D_BLOCK;  /* 2 MiB */
    /* l2f[1..511] = 0: invalid */
    write_sysreg(mair_el2, 0xff00);     /* Attr0 Device-nGnRnE, Attr1 Normal WB */
    write_sysreg(ttbr0_el2, (uint64_t)l1);
    write_sysreg(tcr_el2, TCR_VAL);
    __asm__ volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
    write_sysreg(sctlr_el2, SCTLR_EL2_VAL | SCTLR_M | SCTLR_C | SCTLR_I);
    isb();
}

static void test_fault(void)
{
    const uint64_t far1 = 0x5a5a5a5a5a5a5a40ull;
    struct cfg c = mix_cfg();
    struct res r;
    uint64_t rec_pa = FAULT_PA + (FAULT_PTR - FAULT_VA);

    fill(rec_pa, 2 * REC, 0xee);        /* MMU still off */
    mmu_on();
    write_sysreg(esr_el1, 0);
    write_sysreg(far_el1, far1);
    c.ptr = FAULT_PTR;
    c.limitr = FAULT_LIMIT | PMBLIMITR_E;
    spe_setup(&c);
    spe_go(spe_mix, MIX_ITERS, DATA, spe_vec, &r);
    uart_puts("PMBPTR_EL1=");
    uart_hex(r.ptr);
    uart_puts(r.ptr == FAULT_VA + 0x200000 ? " (the faulting address)\n" : "\n");
    print_sr_fields(r.sr);
    if (PMBSR_EC(r.sr) == 0x24 && PMBSR_MSS6(r.sr) == 0x06)
        uart_puts(" (stage 1 Data Abort, translation fault, level 2)");
    uart_puts("\n");
    uart_puts("record at VA ");
    uart_hex(FAULT_PTR);
    uart_puts(" (PA ");
    uart_hex(rec_pa);
    uart_puts("):\n");
    print_rec(0, (const volatile uint8_t *)rec_pa);
    uart_puts("the first sample (LDR): ");
    {
        struct rec rr;
        parse((const volatile uint8_t *)rec_pa, &rr);
        yesno(rec_is(&rr, &mix_insn[0], (uint64_t)spe_mix, 1));
    }
    uart_puts(", ESR_EL1/FAR_EL1 unchanged: ");
    yesno(read_sysreg(esr_el1) == 0 && read_sysreg(far_el1) == far1);
    uart_puts(", only the final HVC reached EL2: ");
    yesno(r.idx == 8 && r.esr == ESR_HVC0 && r.elr == (uint64_t)spe_mix + 0x18);
    uart_puts("\n");
    uart_puts("PMBIRQ pending: ");
    yesno(pmbirq_pending_is(1));
    WR(PMBSR_EL1, 0);
    isb();
    uart_puts("; after PMBSR_EL1=0: ");
    yesno(!pmbirq_pending_is(0));
    uart_puts("\n");
}

/* ---- 8. traps at EL1 ---- */
static void trap_case(unsigned tpms, unsigned e2pb, const char *what, void (*fn)(void),
                      uint64_t a1, int show_p)
{
    struct res r;
    static const char *const e2pb_name[] = { "0b00", "0b01", "0b10", "0b11" };

    set_mdcr((tpms ? MDCR_TPMS : 0) | MDCR_E2PB(e2pb));
    r.esr = spe_run(fn, 0, a1, spe_vec);
    r.x0 = spe_ret[0];
    r.elr = spe_ret[2];
    r.idx = spe_ret[3];
    uart_puts("TPMS=");
    uart_dec(tpms);
    uart_puts(" E2PB=");
    uart_puts(e2pb_name[e2pb & 3]);
    uart_puts(": ");
    uart_puts(what);
    if (r.idx == 8 && r.esr == ESR_HVC0 && r.elr == (uint64_t)fn + 8) {
        uart_puts(": no trap, ");
        if (show_p) {
            uart_puts("P=");
            uart_dec((r.x0 >> 4) & 1);
            uart_puts(" Align=");
            uart_hex(r.x0 & 0xf);
        } else {
            uart_puts("x0=");
            uart_hex(r.x0);
        }
    } else if (r.idx == 8 && ESR_EC(r.esr) == EC_SYSREG) {
        uint64_t iss = r.esr & 0x1ffffff;
        uart_puts(": trap to EL2, ESR_EL2=");
        uart_hex(r.esr);
        uart_puts(" (EC=0x18 Op0=");
        uart_dec((iss >> 20) & 3);
        uart_puts(" Op1=");
        uart_dec((iss >> 14) & 7);
        uart_puts(" CRn=");
        uart_dec((iss >> 10) & 15);
        uart_puts(" CRm=");
        uart_dec((iss >> 1) & 15);
        uart_puts(" Op2=");
        uart_dec((iss >> 17) & 7);
        uart_puts(" Rt=");
        uart_dec((iss >> 5) & 31);
        uart_puts(iss & 1 ? " read)" : " write)");
        uart_puts(r.elr == (uint64_t)fn ? ", ELR_EL2 = the instruction" : ", ELR_EL2 elsewhere");
    } else {
        uart_puts(": vector ");
        uart_dec(r.idx);
        uart_puts(" ESR_EL2=");
        uart_hex(r.esr);
        uart_puts(" ELR_EL2=");
        uart_hex(r.elr);
    }
    uart_puts("\n");
}

static void test_traps(void)
{
    WR(PMBLIMITR_EL1, 0);
    WR(PMBSR_EL1, 0);
    WR(PMBPTR_EL1, 0x12340);
    WR(PMSCR_EL2, 0);
    WR(PMSCR_EL1, PMSCR_E0SPE | PMSCR_E1SPE | PMSCR_CX | PMSCR_PA | PMSCR_TS);
    isb();
    trap_case(1, 0, "MRS PMSCR_EL1", spe_t_mrs_pmscr, 0, 0);
    trap_case(1, 0, "MSR PMSICR_EL1, x1", spe_t_msr_pmsicr, 0, 0);
    trap_case(1, 0, "MRS PMSIDR_EL1", spe_t_mrs_pmsidr, 0, 0);
    trap_case(0, 0, "MRS PMSCR_EL1", spe_t_mrs_pmscr, 0, 0);
    trap_case(0, 0, "MRS PMBPTR_EL1", spe_t_mrs_pmbptr, 0, 0);
    trap_case(0, 0, "MSR PMBLIMITR_EL1, x1", spe_t_msr_pmblimitr, 0, 0);
    trap_case(0, 0, "MRS PMBIDR_EL1", spe_t_mrs_pmbidr, 0, 1);
    trap_case(0, 2, "MRS PMBPTR_EL1", spe_t_mrs_pmbptr, 0, 0);
    trap_case(0, 2, "MRS PMBSR_EL1", spe_t_mrs_pmbsr, 0, 0);
    trap_case(0, 2, "MRS PMBIDR_EL1", spe_t_mrs_pmbidr, 0, 1);
    trap_case(0, 3, "MRS PMBPTR_EL1", spe_t_mrs_pmbptr, 0, 0);
    trap_case(0, 3, "MRS PMBSR_EL1", spe_t_mrs_pmbsr, 0, 0);
    trap_case(0, 3, "MRS PMBIDR_EL1", spe_t_mrs_pmbidr, 0, 1);
    set_mdcr(MDCR_E2PB(0));
}

int main(void)
{
    uart_puts("spe: FEAT_SPE at EL2 and EL1, EL2-owned buffer (HCR_EL2.E2H=0)\n");
    if (!test_id())
        return 0;

    /* MDCR_EL2: HPMN = PMCR_EL0.N (every PMU counter to EL1, as pmuirq),
     * E2PB = 0b00 (EL2 owns the buffer), TPMS = 0. */
    mdcr_base = (read_sysreg(pmcr_el0) >> 11) & 0x1f;
    set_mdcr(MDCR_E2PB(0));
    if ((read_sysreg(id_aa64mmfr0_el1) >> 56) & 0xf) {  /* FEAT_FGT: no fine-grained traps */
        WR(HDFGRTR_EL2, 0);
        WR(HDFGWTR_EL2, 0);
    }
    write_sysreg(sctlr_el1, SCTLR_EL1_VAL);
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    write_sysreg(contextidr_el1, 0x5e1);
    write_sysreg(contextidr_el2, 0x5e2);
    spe_data[0] = 0x1111;
    isb();
    gic_init();

    uart_puts("\n== EL2 sampling: PMSCR_EL2 = E2SPE|CX|PA|TS, CONTEXTIDR_EL2=0x5e2, "
              "PMSICR_EL1.COUNT=K at the vector entry ==\n");
    test_el2(10);
    test_el2(1);

    uart_puts("\n== EL1 sampling: loop1 (SUBS, B.NE) x 1349 + HVC = 2699 instructions, "
              "PMSIRR_EL1=0x100, PMSICR_EL1.COUNT=256 ==\n");
    uart_puts("PMSCR_EL1 = E1SPE|CX|TS, PMSCR_EL2 = CX (TS=0), CONTEXTIDR_EL1=0x5e1\n");
    test_interval();

    uart_puts("\n== filters: mix (LDR, ADD, STR, SUBS, B.NE) x 1300 + HVC = 6501 "
              "instructions, 25 samples; PMSCR_EL1 = E1SPE, PMSCR_EL2 = PA ==\n");
    test_filters();

    uart_puts("\n== buffer full: PMBPTR_EL1 = LIMIT - 0x80 (two records), mix ==\n");
    test_full();

    uart_puts("\n== discard mode: PMBLIMITR_EL1.FM=0b10, PMBPTR_EL1 = LIMIT - 0x40, mix ==\n");
    test_discard();

    uart_puts("\n== buffer fault: EL2 MMU on, PMBPTR_EL1=0x801fffc0, "
              "VA 0x80200000 unmapped at level 2, mix ==\n");
    test_fault();

    uart_puts("\n== traps at EL1: MDCR_EL2.TPMS, MDCR_EL2.E2PB ==\n");
    test_traps();

    if (nspurious) {
        uart_puts("*** spurious IRQs: ");
        uart_dec(nspurious);
        uart_puts("\n");
    }
    uart_puts("done\n");
    return 0;
}
