/*
 * el2traps: the HCR_EL2 trap controls a hypervisor (Linux/KVM) uses.
 *
 * Everything is driven from EL2: for each test, EL2 sets HCR_EL2 (RW=1 plus
 * the bits under test) and SCTLR_EL1 (EL0 controls UCI/UCT/DZE/nTWI/nTWE,
 * normally all 1 so only the HCR_EL2 traps remain), then runs a short
 * snippet at EL1 or EL0 with run_lower().  An EL1 snippet ends with
 * `hvc #0xfff`, an EL0 snippet with `svc #0xfff` (taken to EL1, whose handler
 * makes the `hvc #0xfff`, or, with TGE=1, straight to EL2), after which EL2
 * returns to the test loop.  Every other exception is reported by the
 * handler that takes it as
 *     -> ELn ESR_ELn=<64 bits> from ELm, insn <index in the snippet>
 * and the instruction is skipped (ELR += 4); a snippet that takes none prints
 * "-> no trap".  The snippets' operands: x1 = the address of zbuf (a 4 KiB
 * aligned buffer; DC/IC/TLBI operands), x3 = &result, whose value a test
 * prints when it is about DCZID_EL0 (DZP bit only: BS is the PE's choice).
 *
 * Covered (Arm ARM D24.2.62 HCR_EL2): TVM/TRVM for the 11 EL1 virtual memory
 * control registers, TID3 (ID_AA64* and unallocated ID-space encodings,
 * which read as zero without the trap), TID1, TID2 (EL1 and EL0, with
 * SCTLR_EL1.UCT=0 taking priority at EL0), TACR, TIDCP (MRS/MSR S3_*_C11/C15
 * and SYS/SYSL C11/C15; UNDEFINED without it; the GIC's ICC_* with CRn=12
 * untouched), TSW, TPCP, TPU, TTLB, TDZ (and DCZID_EL0.DZP), TSC and TWI, with
 * the EL0 UNDEFINED and SCTLR_EL1.UCI/DZE/nTWI cases that have priority, and
 * EL0 with TGE=1: E2H=0 still traps EL0 to EL2, {E2H,TGE}={1,1} (the VHE
 * host) makes the EL0 traps of TID2/TPU/TPCP/TDZ ineffective.
 * Not covered: TWE (QEMU does not trap WFE: it never puts the PE in a
 * low-power state, which the architecture allows), untrapped WFI (it would
 * wait forever) and untrapped DC ZVA (MMU off: Device memory, where it may
 * fault), TIDCP at EL0 (IMPLEMENTATION DEFINED).
 */
#include "guest.h"
#include "uart.h"

/* The test table leaves trailing fields (sctlr_clear, show) zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define HCR_RW      (1ull << 31)
#define HCR_TRVM    (1ull << 30)
#define HCR_TDZ     (1ull << 28)
#define HCR_TGE     (1ull << 27)
#define HCR_TVM     (1ull << 26)
#define HCR_TTLB    (1ull << 25)
#define HCR_TPU     (1ull << 24)
#define HCR_TPCP    (1ull << 23)
#define HCR_TSW     (1ull << 22)
#define HCR_TACR    (1ull << 21)
#define HCR_TIDCP   (1ull << 20)
#define HCR_TSC     (1ull << 19)
#define HCR_TID3    (1ull << 18)
#define HCR_TID2    (1ull << 17)
#define HCR_TID1    (1ull << 16)
#define HCR_TWI     (1ull << 13)
#define HCR_FB      (1ull << 9)
#define HCR_E2H     (1ull << 34)
#define HCR_ALL     (HCR_TRVM | HCR_TDZ | HCR_TVM | HCR_TTLB | HCR_TPU | \
                     HCR_TPCP | HCR_TSW | HCR_TACR | HCR_TIDCP | HCR_TID3 | \
                     HCR_TID2 | HCR_TID1 | HCR_TWI)

/* SCTLR_EL1: RES1 bits 29, 28, 23, 22, 20, 11 (M, C, I, A = 0) plus the EL0
 * controls UCI (26), nTWE (18), nTWI (16), UCT (15), DZE (14). */
#define SCTLR_UCI   (1ull << 26)
#define SCTLR_NTWE  (1ull << 18)
#define SCTLR_NTWI  (1ull << 16)
#define SCTLR_UCT   (1ull << 15)
#define SCTLR_DZE   (1ull << 14)
#define SCTLR_EL1_VAL (0x30d00800ull | SCTLR_UCI | SCTLR_NTWE | SCTLR_NTWI | \
                       SCTLR_UCT | SCTLR_DZE)
/* SCTLR_EL2 as start.S sets it, and with E2H=1 the same plus the EL0
 * controls of the host (same bit positions as in SCTLR_EL1). */
#define SCTLR_EL2_VAL  0x30c50832ull
#define SCTLR_EL2_HOST (SCTLR_EL2_VAL | SCTLR_UCI | SCTLR_UCT | SCTLR_DZE)

#define ICC_SRE_EL2 "S3_4_C12_C9_5"

enum mode { EL1, EL0, EL0_TGE, EL0_HOST };

struct test {
    const char *name;
    const char *snippet;
    enum mode mode;
    uint64_t hcr;          /* HCR_EL2 bits besides RW (and TGE/E2H by mode) */
    uint64_t sctlr_clear;  /* SCTLR_EL1 EL0 controls to clear */
    int show;              /* print DCZID_EL0.DZP from result */
};

static uint8_t zbuf[4096] __attribute__((aligned(4096), used));
static volatile uint64_t result __attribute__((used));
static volatile unsigned taken;
static volatile uint64_t cur_entry;

/*
 * void run_lower(const char *entry, uint64_t spsr): at EL2, ERET to entry
 * with SPSR_EL2 = spsr, fresh SP_EL1/SP_EL0, x1 = zbuf, x3 = &result.
 * Returns when an EL2 handler calls finish() on the frame.
 */
__asm__(
    "    .text\n"
    "    .balign 4\n"
    "    .global run_lower\n"
    "run_lower:\n"
    "    stp x29, x30, [sp, #-96]!\n"
    "    stp x19, x20, [sp, #16]\n"
    "    stp x21, x22, [sp, #32]\n"
    "    stp x23, x24, [sp, #48]\n"
    "    stp x25, x26, [sp, #64]\n"
    "    stp x27, x28, [sp, #80]\n"
    "    msr elr_el2, x0\n"
    "    msr spsr_el2, x1\n"
    "    adrp x2, stack_el1_top\n"
    "    add x2, x2, :lo12:stack_el1_top\n"
    "    msr sp_el1, x2\n"
    "    adrp x2, stack_el0_top\n"
    "    add x2, x2, :lo12:stack_el0_top\n"
    "    msr sp_el0, x2\n"
    "    adrp x1, zbuf\n"
    "    add x1, x1, :lo12:zbuf\n"
    "    adrp x3, result\n"
    "    add x3, x3, :lo12:result\n"
    "    mov x0, #0\n"
    "    mov x2, #0\n"
    "    eret\n"
    "    .global lower_return\n"
    "lower_return:\n"
    "    ldp x19, x20, [sp, #16]\n"
    "    ldp x21, x22, [sp, #32]\n"
    "    ldp x23, x24, [sp, #48]\n"
    "    ldp x25, x26, [sp, #64]\n"
    "    ldp x27, x28, [sp, #80]\n"
    "    ldp x29, x30, [sp], #96\n"
    "    ret\n");
void run_lower(const char *entry, uint64_t spsr);
extern char lower_return[];

/* A snippet: the instructions under test, then the way back to EL2. */
#define SNIPPET(name, exit, body)                                         \
    extern const char name[];                                             \
    __asm__("    .pushsection .text." #name ", \"ax\"\n"                  \
            "    .balign 4\n"                                             \
            "    .global " #name "\n" #name ":\n" body "\n"               \
            "    " exit "\n    .popsection\n")
#define EL1_SNIPPET(name, body) SNIPPET(name, "hvc #0xfff", body)
#define EL0_SNIPPET(name, body) SNIPPET(name, "svc #0xfff", body)

/* ---- TVM / TRVM: read (MRS) then write (MSR of zero) ---- */
#define VM_RW(reg) "mrs x2, " reg "\n msr " reg ", xzr\n"
EL1_SNIPPET(vm_sctlr, VM_RW("sctlr_el1"));
EL1_SNIPPET(vm_ttbr0, VM_RW("ttbr0_el1"));
EL1_SNIPPET(vm_ttbr1, VM_RW("ttbr1_el1"));
EL1_SNIPPET(vm_tcr, VM_RW("tcr_el1"));
EL1_SNIPPET(vm_esr, VM_RW("esr_el1"));
EL1_SNIPPET(vm_far, VM_RW("far_el1"));
EL1_SNIPPET(vm_afsr0, VM_RW("afsr0_el1"));
EL1_SNIPPET(vm_afsr1, VM_RW("afsr1_el1"));
EL1_SNIPPET(vm_mair, VM_RW("mair_el1"));
EL1_SNIPPET(vm_amair, VM_RW("amair_el1"));
EL1_SNIPPET(vm_contextidr, VM_RW("contextidr_el1"));
#define VM_REGS(op) \
    op("sctlr_el1") op("ttbr0_el1") op("ttbr1_el1") op("tcr_el1") \
    op("esr_el1") op("far_el1") op("afsr0_el1") op("afsr1_el1")   \
    op("mair_el1") op("amair_el1") op("contextidr_el1")
#define RD(reg) "mrs x2, " reg "\n"
#define WR0(reg) "msr " reg ", xzr\n"
EL1_SNIPPET(vm_reads, VM_REGS(RD));
EL1_SNIPPET(vm_writes, VM_REGS(WR0));
EL1_SNIPPET(vm_other,
            "mrs x2, vbar_el1\n msr tpidr_el1, xzr\n mrs x2, par_el1\n"
            " mrs x2, cpacr_el1\n mrs x2, elr_el1\n msr spsr_el1, xzr\n");

/* ---- ID groups ---- */
EL1_SNIPPET(id3_named,
            "mrs x2, id_aa64pfr0_el1\n mrs x2, id_aa64pfr1_el1\n"
            " mrs x2, s3_0_c0_c4_4\n"          /* ID_AA64ZFR0_EL1 */
            " mrs x2, id_aa64dfr0_el1\n mrs x2, id_aa64dfr1_el1\n"
            " mrs x2, id_aa64afr0_el1\n mrs x2, id_aa64afr1_el1\n"
            " mrs x2, id_aa64isar0_el1\n mrs x2, id_aa64isar1_el1\n"
            " mrs x2, s3_0_c0_c6_2\n"          /* ID_AA64ISAR2_EL1 */
            " mrs x2, id_aa64mmfr0_el1\n mrs x2, id_aa64mmfr1_el1\n"
            " mrs x2, s3_0_c0_c7_2\n");        /* ID_AA64MMFR2_EL1 */
/* ID_PFR0_EL1 (AArch32 ID register, CRm=1), ID_MMFR4_EL1 (CRm=2),
 * ID_AA64PFR2_EL1, and unallocated encodings at CRm=3, 5, 7. */
EL1_SNIPPET(id3_space,
            "mrs x2, s3_0_c0_c1_0\n mrs x2, s3_0_c0_c2_6\n mrs x2, s3_0_c0_c3_7\n"
            " mrs x2, s3_0_c0_c4_2\n mrs x2, s3_0_c0_c5_3\n mrs x2, s3_0_c0_c7_7\n");
EL1_SNIPPET(id_midr, "mrs x2, midr_el1\n mrs x2, mpidr_el1\n");
EL1_SNIPPET(id1, "mrs x2, revidr_el1\n mrs x2, aidr_el1\n");
EL1_SNIPPET(id2,
            "mrs x2, ctr_el0\n mrs x2, s3_1_c0_c0_0\n"   /* CCSIDR_EL1 */
            " mrs x2, clidr_el1\n mrs x2, csselr_el1\n msr csselr_el1, xzr\n");
EL0_SNIPPET(id2_el0, "mrs x2, ctr_el0\n");

/* ---- TACR, TIDCP ---- */
EL1_SNIPPET(actlr, "mrs x2, actlr_el1\n msr actlr_el1, xzr\n");
EL1_SNIPPET(impdef,
            "mrs x2, s3_0_c15_c0_0\n msr s3_3_c11_c2_1, xzr\n"
            " sys #0, c15, c1, #2, x1\n sysl x2, #1, c11, c0, #3\n");
EL1_SNIPPET(icc, "mrs x2, s3_0_c12_c12_5\n mrs x2, s3_0_c12_c11_3\n");

/* ---- cache and TLB maintenance ---- */
EL1_SNIPPET(dc_sw, "dc isw, xzr\n dc csw, xzr\n dc cisw, xzr\n");
EL1_SNIPPET(dc_poc, "dc ivac, x1\n dc cvac, x1\n dc civac, x1\n");
EL1_SNIPPET(pou, "ic ivau, x1\n ic iallu\n ic ialluis\n dc cvau, x1\n");
EL1_SNIPPET(tlbi,
            "tlbi vmalle1\n tlbi vmalle1is\n tlbi vae1, x1\n tlbi aside1, x1\n"
            " tlbi vaae1is, x1\n tlbi vale1, x1\n tlbi vaale1, x1\n");
EL1_SNIPPET(zva, "dc zva, x1\n mrs x2, dczid_el0\n str x2, [x3]\n");
EL1_SNIPPET(dczid, "mrs x2, dczid_el0\n str x2, [x3]\n");
EL0_SNIPPET(dc_sw_el0, "dc csw, xzr\n");
EL0_SNIPPET(tlbi_el0, "tlbi vmalle1\n");
EL0_SNIPPET(dc_poc_el0, "dc cvac, x1\n dc civac, x1\n dc ivac, x1\n");
EL0_SNIPPET(pou_el0, "ic ivau, x1\n dc cvau, x1\n ic iallu\n");
EL0_SNIPPET(zva_el0, "dc zva, x1\n mrs x2, dczid_el0\n str x2, [x3]\n");
EL0_SNIPPET(dczid_el0, "mrs x2, dczid_el0\n str x2, [x3]\n");

/* ---- SMC, WFI ---- */
EL1_SNIPPET(smc_el1, "smc #0x33\n");
EL1_SNIPPET(wfi_el1, "wfi\n");
EL0_SNIPPET(wfi_el0, "wfi\n");

/* ---- EL0 with TGE=1 ---- */
EL0_SNIPPET(tge_el0,
            "mrs x2, ctr_el0\n dc cvau, x1\n ic ivau, x1\n dc cvac, x1\n"
            " dc civac, x1\n mrs x2, dczid_el0\n str x2, [x3]\n");

static const struct test tests[] = {
    /* TVM / TRVM */
    { "TVM|TRVM: SCTLR_EL1 read, write", vm_sctlr, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: TTBR0_EL1 read, write", vm_ttbr0, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: TTBR1_EL1 read, write", vm_ttbr1, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: TCR_EL1 read, write", vm_tcr, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: ESR_EL1 read, write", vm_esr, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: FAR_EL1 read, write", vm_far, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: AFSR0_EL1 read, write", vm_afsr0, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: AFSR1_EL1 read, write", vm_afsr1, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: MAIR_EL1 read, write", vm_mair, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: AMAIR_EL1 read, write", vm_amair, EL1, HCR_TVM | HCR_TRVM },
    { "TVM|TRVM: CONTEXTIDR_EL1 read, write", vm_contextidr, EL1,
      HCR_TVM | HCR_TRVM },
    { "TVM: the 11 registers read (not trapped)", vm_reads, EL1, HCR_TVM },
    { "TVM: the 11 registers written (all trapped)", vm_writes, EL1, HCR_TVM },
    { "TRVM: the 11 registers read (all trapped)", vm_reads, EL1, HCR_TRVM },
    { "TRVM: the 11 registers written (not trapped)", vm_writes, EL1, HCR_TRVM },
    { "none: the 11 registers read", vm_reads, EL1, 0 },
    { "none: the 11 registers written", vm_writes, EL1, 0 },
    { "TVM|TRVM: VBAR, TPIDR, PAR, CPACR, ELR, SPSR_EL1 (not VM controls)",
      vm_other, EL1, HCR_TVM | HCR_TRVM },
    /* ID groups */
    { "TID3: ID_AA64{PFR0,PFR1,ZFR0,DFR0,DFR1,AFR0,AFR1,ISAR0-2,MMFR0-2}_EL1",
      id3_named, EL1, HCR_TID3 },
    { "TID3: ID space S3_0_C0_{C1_0,C2_6,C3_7,C4_2,C5_3,C7_7}", id3_space,
      EL1, HCR_TID3 },
    { "none: the same ID registers and ID space", id3_named, EL1, 0 },
    { "none: ID space (RAZ)", id3_space, EL1, 0 },
    { "TID1|TID2|TID3: MIDR_EL1, MPIDR_EL1 (not trapped)", id_midr, EL1,
      HCR_TID1 | HCR_TID2 | HCR_TID3 },
    { "TID1: REVIDR_EL1, AIDR_EL1", id1, EL1, HCR_TID1 },
    { "none: REVIDR_EL1, AIDR_EL1", id1, EL1, 0 },
    { "TID2: CTR_EL0, CCSIDR_EL1, CLIDR_EL1, CSSELR_EL1 read, CSSELR_EL1 write",
      id2, EL1, HCR_TID2 },
    { "none: the same", id2, EL1, 0 },
    { "TID2: EL0 CTR_EL0 (SCTLR_EL1.UCT=1)", id2_el0, EL0, HCR_TID2 },
    { "TID2: EL0 CTR_EL0 with SCTLR_EL1.UCT=0 (EL1 trap first)", id2_el0, EL0,
      HCR_TID2, SCTLR_UCT },
    { "none: EL0 CTR_EL0", id2_el0, EL0, 0 },
    /* TACR, TIDCP */
    { "TACR: ACTLR_EL1 read, write", actlr, EL1, HCR_TACR },
    { "none: ACTLR_EL1 read, write", actlr, EL1, 0 },
    { "TIDCP: MRS S3_0_C15_C0_0, MSR S3_3_C11_C2_1, SYS #0,C15,C1,#2, SYSL #1,C11,C0,#3",
      impdef, EL1, HCR_TIDCP },
    { "none: the same (UNDEFINED)", impdef, EL1, 0 },
    { "TIDCP: ICC_SRE_EL1, ICC_RPR_EL1 (CRn=12, not trapped)", icc, EL1,
      HCR_TIDCP },
    /* set/way, PoC, PoU, TLBI */
    { "TSW: DC ISW, DC CSW, DC CISW", dc_sw, EL1, HCR_TSW },
    { "none: DC ISW, DC CSW, DC CISW", dc_sw, EL1, 0 },
    { "TSW: EL0 DC CSW (UNDEFINED)", dc_sw_el0, EL0, HCR_TSW },
    { "TPCP: DC IVAC, DC CVAC, DC CIVAC", dc_poc, EL1, HCR_TPCP },
    { "none: DC IVAC, DC CVAC, DC CIVAC", dc_poc, EL1, 0 },
    { "TPCP: EL0 DC CVAC, DC CIVAC, DC IVAC (UNDEFINED)", dc_poc_el0, EL0,
      HCR_TPCP },
    { "TPCP: EL0 the same with SCTLR_EL1.UCI=0", dc_poc_el0, EL0, HCR_TPCP,
      SCTLR_UCI },
    { "none: EL0 the same", dc_poc_el0, EL0, 0 },
    { "TPU: IC IVAU, IC IALLU, IC IALLUIS, DC CVAU", pou, EL1, HCR_TPU },
    { "none: IC IVAU, IC IALLU, IC IALLUIS, DC CVAU", pou, EL1, 0 },
    { "TPU: EL0 IC IVAU, DC CVAU, IC IALLU (UNDEFINED)", pou_el0, EL0, HCR_TPU },
    { "TPU: EL0 the same with SCTLR_EL1.UCI=0", pou_el0, EL0, HCR_TPU,
      SCTLR_UCI },
    { "TPCP|TSW: IC/DC to PoU (not trapped)", pou, EL1, HCR_TPCP | HCR_TSW },
    { "TTLB: TLBI VMALLE1, VMALLE1IS, VAE1, ASIDE1, VAAE1IS, VALE1, VAALE1",
      tlbi, EL1, HCR_TTLB },
    { "none: the same", tlbi, EL1, 0 },
    { "FB: the same (broadcast, not trapped)", tlbi, EL1, HCR_FB },
    { "TTLB: EL0 TLBI VMALLE1 (UNDEFINED)", tlbi_el0, EL0, HCR_TTLB },
    /* TDZ */
    { "TDZ: DC ZVA, DCZID_EL0", zva, EL1, HCR_TDZ, 0, 1 },
    { "none: DCZID_EL0", dczid, EL1, 0, 0, 1 },
    { "TDZ: EL0 DC ZVA, DCZID_EL0", zva_el0, EL0, HCR_TDZ, 0, 1 },
    { "TDZ: EL0 the same with SCTLR_EL1.DZE=0", zva_el0, EL0, HCR_TDZ,
      SCTLR_DZE, 1 },
    { "none: EL0 DCZID_EL0", dczid_el0, EL0, 0, 0, 1 },
    { "none: EL0 DCZID_EL0 with SCTLR_EL1.DZE=0", dczid_el0, EL0, 0,
      SCTLR_DZE, 1 },
    /* TSC, TWI */
    { "TSC: SMC #0x33", smc_el1, EL1, HCR_TSC },
    { "TWI: WFI", wfi_el1, EL1, HCR_TWI },
    { "TWI: EL0 WFI (SCTLR_EL1.nTWI=1)", wfi_el0, EL0, HCR_TWI },
    { "TWI: EL0 WFI with SCTLR_EL1.nTWI=0 (EL1 trap first)", wfi_el0, EL0,
      HCR_TWI, SCTLR_NTWI },
    /* TGE */
    { "TGE=1, E2H=0, all traps: EL0 CTR_EL0, DC CVAU, IC IVAU, DC CVAC, DC CIVAC, DCZID_EL0",
      tge_el0, EL0_TGE, HCR_ALL, 0, 1 },
    { "TGE=1, E2H=1 (host), all traps: the same", tge_el0, EL0_HOST, HCR_ALL,
      0, 1 },
};

static void finish(struct exc_frame *f)
{
    f->elr = (uint64_t)lower_return;
    f->spsr = 0x3c9;            /* EL2h, DAIF masked */
}

static void report(char el, uint64_t esr, struct exc_frame *f)
{
    uart_puts("    -> EL");
    uart_putc(el);
    uart_puts(" ESR_EL");
    uart_putc(el);
    uart_puts("=");
    uart_hex64(esr);
    uart_puts(" from EL");
    uart_dec((f->spsr >> 2) & 3);
    uart_puts(", insn ");
    uart_dec((f->elr - cur_entry) / 4);
    uart_puts("\n");
    taken++;
    f->elr += 4;
}

void exc_el2(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el2);
    unsigned ec = ESR_EC(esr);
    if (idx != VEC_LOWER_A64)
        guest_unexpected("EL2", idx, esr, f->elr);
    if ((ec == 0x16 || ec == 0x15) && ESR_ISS(esr) == 0xfff) {
        finish(f);                              /* end of the snippet */
        return;
    }
    report('2', esr, f);
}

void exc_el1(struct exc_frame *f, uint64_t idx)
{
    uint64_t esr = read_sysreg(esr_el1);
    unsigned ec = ESR_EC(esr);
    if (VEC_KIND(idx) != 0)
        guest_unexpected("EL1", idx, esr, f->elr);
    if (idx == VEC_LOWER_A64 && ec == 0x15 && ESR_ISS(esr) == 0xfff)
        __asm__ volatile("hvc #0xfff");         /* EL0 done: back to EL2 */
    report('1', esr, f);
}

int main(void)
{
    uart_puts("el2traps: HCR_EL2 trap controls\n");
    write_sysreg(vbar_el1, (uint64_t)vectors_el1);
    write_sysreg(ICC_SRE_EL2, 0xf);     /* SRE, DFB, DIB, Enable (EL1 access) */
    isb();

    for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        const struct test *t = &tests[i];
        uint64_t hcr = HCR_RW | t->hcr;
        uint64_t spsr = t->mode == EL1 ? 0x3c5 : 0x3c0;

        if (t->mode == EL0_TGE)
            hcr |= HCR_TGE;
        if (t->mode == EL0_HOST)
            hcr |= HCR_TGE | HCR_E2H;
        uart_puts("\n");
        uart_puts(t->name);
        uart_puts("\n");
        write_sysreg(sctlr_el1, SCTLR_EL1_VAL & ~t->sctlr_clear);
        write_sysreg(hcr_el2, hcr);
        isb();
        if (t->mode == EL0_HOST) {
            write_sysreg(sctlr_el2, SCTLR_EL2_HOST);
            isb();
        }
        taken = 0;
        result = ~0ull;
        cur_entry = (uint64_t)t->snippet;
        run_lower(t->snippet, spsr);
        if (t->mode == EL0_HOST) {
            write_sysreg(sctlr_el2, SCTLR_EL2_VAL);
            isb();
        }
        write_sysreg(hcr_el2, HCR_RW);
        isb();
        if (!taken)
            uart_puts("    -> no trap\n");
        if (t->show) {
            uart_puts("    DCZID_EL0.DZP=");
            uart_dec(result == ~0ull ? 9 : (result >> 4) & 1);
            uart_puts("\n");
        }
    }
    uart_puts("\ndone\n");
    return 0;
}
