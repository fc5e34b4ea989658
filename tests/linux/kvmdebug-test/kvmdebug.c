/*
 * kvmdebug: KVM's guest debug interface (KVM_SET_GUEST_DEBUG), the way a
 * hypervisor developer's debugger (QEMU's gdbstub, kvmtool, crosvm) uses it
 * on arm64, for hypsim's Linux tests (static).
 *
 * KVM implements it with the host's self-hosted debug (Arm ARM D2): it sets
 * MDCR_EL2.TDE so that the guest's Breakpoint, Watchpoint, Software Step and
 * BRK exceptions go to EL2, loads the VMM's values into the breakpoint and
 * watchpoint registers (KVM_GUESTDBG_USE_HW), sets MDSCR_EL1.SS and the
 * guest's PSTATE.SS (SPSR_EL2.SS) to step it (KVM_GUESTDBG_SINGLESTEP), and
 * turns each such exception into KVM_EXIT_DEBUG with ESR_EL2
 * (run->debug.arch.hsr) and, for a watchpoint, FAR_EL2 (run->debug.arch.far).
 * Under hypsim that is the CPU's D2 model, run by a real kernel at EL2 (VHE or
 * nVHE) on behalf of a guest at EL1: the exact ESR, FAR and PC of each exit,
 * and the PSTATE.SS state machine across ERET, are what is checked.
 *
 * Uses only the kernel uAPI (<linux/kvm.h>): a VM (KVM_CREATE_VM with the IPA
 * size as in kvmtest), 2 MiB of anonymous memory at IPA 0x10000000 holding the
 * guest code of guest.S, one vCPU (KVM_ARM_PREFERRED_TARGET, PSCI 0.2) started
 * at EL1h with the MMU off and DAIF masked.  Then, one phase after another
 * (guest.S has the code of each):
 *
 *  a. Single step: control = ENABLE | SINGLESTEP.  Each KVM_RUN must return
 *     KVM_EXIT_DEBUG with EC 0x32 (software step, lower EL), ISV 1, IFSC 0x22,
 *     EX 1 only after the LDXR, and PC one instruction on: 10 instructions,
 *     including a taken CBNZ and a taken B (PC = their targets).  The register
 *     each instruction writes is read back (KVM_GET_ONE_REG) after its step.
 *  b. Hardware breakpoint: control = ENABLE | USE_HW, DBGBVR0 = kd_bp,
 *     DBGBCR0 = E | PMC 0b11 | BAS 0b1111.  kd_bp is in a loop of 3: each
 *     iteration must exit with EC 0x30, IFSC 0x22, PC = kd_bp and the loop
 *     registers of that iteration.  The first two are stepped over as a
 *     debugger does (breakpoint off, one single step: EC 0x32 at kd_bp + 4,
 *     breakpoint on again); the third clears the breakpoint.
 *  c. Hardware watchpoint: DBGWVR0 = D (a doubleword of guest RAM),
 *     DBGWCR0 = E | PAC 0b11 | LSC 0b10 (store) | BAS 0xff.  A load from D and
 *     a store to D + 8 must not hit; the store to D must exit with EC 0x34,
 *     WnR 1, DFSC 0x22, FAR = D, PC = the store, and D not yet written (the
 *     VMM reads guest RAM).  The watchpoint is cleared, one single step runs
 *     the store (D now written), and BAS = 0xf0 (bytes 4..7): a byte store to
 *     D + 1 must not hit, a halfword store to D + 6 must (FAR = D + 6).
 *  e. Software breakpoint: control = ENABLE | USE_SW_BP; the guest's BRK #0x4b44
 *     must exit with EC 0x3c, ISS 0x4b44, PC = the BRK; the VMM sets PC past it.
 *  d. Debugging off: control = 0 (with a breakpoint in arch that KVM must
 *     ignore, on an instruction the guest then runs): the guest runs to PSCI
 *     SYSTEM_OFF by HVC, which must give KVM_EXIT_SYSTEM_EVENT / SHUTDOWN;
 *     then the final registers (x4..x11: KVM returns the PSCI call's results in
 *     x0..x3), PC (the HVC + 4) and guest RAM are checked.
 *
 * KVM_CHECK_EXTENSION(KVM_CAP_SET_GUEST_DEBUG) must be > 0, and
 * KVM_CAP_GUEST_DEBUG_HW_BPS / _WPS >= 1 (they are ID_AA64DFR0_EL1.BRPs + 1
 * and WRPs + 1: 6 and 4 under hypsim and QEMU's -cpu max); the ok line
 * reports them and KVM_CAP_SET_GUEST_DEBUG2 (the control bits KVM accepts).
 * Any exception the guest takes itself reaches its own vectors, which report
 * it by an MMIO write: that fails the run with ESR_EL1, ELR_EL1 and FAR_EL1.
 *
 * Output: one "KVMDEBUG ok: ..." line per passed check, "KVMDEBUG bad: ..."
 * for a failed one, and finally "KVMDEBUG PASS" (exit 0) or "KVMDEBUG FAIL:
 * <first failure>" (exit 1; 2 on the -t timeout, default 120 s, which names
 * the phase that hung).  A failed phase ends the run (the next one would
 * start from the wrong place).
 *
 * Usage: kvmdebug [-t TIMEOUT_SECONDS]
 * Built by tests/linux/kvmdebug-test/build.sh (see tests/linux/README.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

extern const unsigned char kvmdebug_guest_start[], kvmdebug_guest_end[], kd_vectors[],
    kd_cbnz_target[], kd_b_target[], kd_ldxr[], kd_step_end[], kd_bp[], kd_wp_store[],
    kd_wp_half[], kd_brk[], kd_off_pass[], kd_hvc[];

#define RAM_IPA 0x10000000ULL
#define RAM_SIZE 0x200000ULL
#define DATA_OFF 0x10000ULL              /* x20: MAGIC, then D */
#define MMIO_IPA 0x20000000ULL           /* x21: outside guest RAM */
#define MAGIC 0x6b766d6465627567ULL      /* "gubedmvk" */
#define WP_INIT 0x5757575757575757ULL    /* D before the watched store */
#define PSTATE_EL1H_DAIF 0x3c5ULL        /* EL1h, D, A, I, F masked */
#define BRK_IMM 0x4b44u

/* DBGBCR: E, PMC = 0b11 (EL1 and EL0), BAS = 0b1111 (an A64 instruction). */
#define BCR_EXEC ((0xfULL << 5) | (3ULL << 1) | 1)
/* DBGWCR: E, PAC = 0b11 (EL1 and EL0), LSC = 0b10 (stores), BAS = bas. */
#define WCR_STORE(bas) (((uint64_t)(bas) << 5) | (2ULL << 3) | (3ULL << 1) | 1)

#define EC_BREAKPT_LOW 0x30u
#define EC_SOFTSTP_LOW 0x32u
#define EC_WATCHPT_LOW 0x34u
#define EC_BRK64 0x3cu

#define CORE_REG(name) \
    (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(name))
/* KVM's core register ids count 32-bit words: x<n> is 2 n past x0. */
#define XREG(n) (CORE_REG(regs.regs[0]) + 2 * (uint64_t)(n))
#define VBAR_EL1_REG ARM64_SYS_REG(3, 0, 12, 0, 0)

static int vcpu_fd;
static struct kvm_run *run;
static unsigned char *ram;
static unsigned timeout_s = 120;
static const char *volatile phase = "setup";
static char first_failure[256];
static int nok;

static void say(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    (void)!write(1, buf, (size_t)n);
}

/* Record a failed check (the first one becomes the FAIL reason). */
static void bad(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!first_failure[0])
        snprintf(first_failure, sizeof first_failure, "%s", buf);
    say("KVMDEBUG bad: %s", buf);
}

static void ok(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    nok++;
    say("KVMDEBUG ok: %s", buf);
}

static int finish(void)
{
    if (first_failure[0]) {
        say("KVMDEBUG FAIL: %s", first_failure);
        return 1;
    }
    say("KVMDEBUG PASS (%d checks)", nok);
    return 0;
}

static void die_errno(const char *what)
{
    bad("%s: %s (errno %d)", what, strerror(errno), errno);
    exit(finish());
}

/* Async-signal-safe: the timeout line names the phase that hung. */
static void on_alarm(int sig)
{
    (void)sig;
    char buf[160], num[12];
    size_t n = 0;
    int k = 0;
    unsigned s = timeout_s;
    const char *parts[] = { "KVMDEBUG FAIL: timeout: no result after ", NULL, " s (in ", phase, ")\n" };
    do { num[k++] = (char)('0' + s % 10); s /= 10; } while (s);
    for (int p = 0; p < 5; p++) {
        if (!parts[p]) {
            while (k)
                buf[n++] = num[--k];
            continue;
        }
        size_t len = strlen(parts[p]);
        if (len > sizeof buf - n)
            len = sizeof buf - n;
        memcpy(buf + n, parts[p], len);
        n += len;
    }
    (void)!write(1, buf, n);
    _exit(2);
}

static uint64_t get_reg(uint64_t id, const char *name)
{
    uint64_t value = 0;
    struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&value };
    if (ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg) < 0) {
        char what[64];
        snprintf(what, sizeof what, "KVM_GET_ONE_REG %s", name);
        die_errno(what);
    }
    return value;
}

static void set_reg(uint64_t id, uint64_t value, const char *name)
{
    struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&value };
    if (ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg) < 0) {
        char what[64];
        snprintf(what, sizeof what, "KVM_SET_ONE_REG %s", name);
        die_errno(what);
    }
}

static uint64_t get_pc(void) { return get_reg(CORE_REG(regs.pc), "pc"); }
static uint64_t xreg(int n) { return get_reg(XREG(n), "x<n>"); }

/* The guest address of a guest.S label. */
static uint64_t gaddr(const unsigned char *sym) { return RAM_IPA + (uint64_t)(sym - kvmdebug_guest_start); }
static uint64_t data_ipa(unsigned off) { return RAM_IPA + DATA_OFF + off; }
static uint64_t data_word(unsigned off)
{
    uint64_t v;
    memcpy(&v, ram + DATA_OFF + off, sizeof v);
    return v;
}

/* KVM_SET_GUEST_DEBUG with breakpoint 0 at bvr and watchpoint 0 at wvr (0: off). */
static void set_debug(uint32_t control, uint64_t bvr, uint64_t wvr, unsigned wbas)
{
    struct kvm_guest_debug dbg;
    memset(&dbg, 0, sizeof dbg);
    dbg.control = control;
    if (bvr) {
        dbg.arch.dbg_bcr[0] = BCR_EXEC;
        dbg.arch.dbg_bvr[0] = bvr;
    }
    if (wvr) {
        dbg.arch.dbg_wcr[0] = WCR_STORE(wbas);
        dbg.arch.dbg_wvr[0] = wvr;
    }
    if (ioctl(vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
        char what[80];
        snprintf(what, sizeof what, "KVM_SET_GUEST_DEBUG control %#x", control);
        die_errno(what);
    }
}

static const char *exit_name(uint32_t reason)
{
    switch (reason) {
    case KVM_EXIT_DEBUG: return "KVM_EXIT_DEBUG";
    case KVM_EXIT_MMIO: return "KVM_EXIT_MMIO";
    case KVM_EXIT_SYSTEM_EVENT: return "KVM_EXIT_SYSTEM_EVENT";
    case KVM_EXIT_FAIL_ENTRY: return "KVM_EXIT_FAIL_ENTRY";
    case KVM_EXIT_INTERNAL_ERROR: return "KVM_EXIT_INTERNAL_ERROR";
    case KVM_EXIT_HYPERCALL: return "KVM_EXIT_HYPERCALL";
    }
    return "another exit";
}

/* KVM_RUN; 0 if the exit is `want`, else a bad line that says what it was. */
static int run_vcpu(uint32_t want, const char *what)
{
    if (ioctl(vcpu_fd, KVM_RUN, 0) < 0) {
        bad("%s: KVM_RUN: %s (errno %d)", what, strerror(errno), errno);
        return -1;
    }
    uint32_t r = run->exit_reason;
    if (r == want)
        return 0;
    uint64_t pc = get_pc();
    if (r == KVM_EXIT_MMIO && run->mmio.phys_addr == MMIO_IPA)
        bad("%s: the guest took an exception itself: vector +%#" PRIx64 ", ESR_EL1 %#" PRIx64
            ", ELR_EL1 %#" PRIx64 ", FAR_EL1 %#" PRIx64, what, xreg(12), xreg(13), xreg(14), xreg(15));
    else if (r == KVM_EXIT_DEBUG)
        bad("%s: KVM_EXIT_DEBUG (ESR %#x, EC %#x, FAR %#llx) at PC %#" PRIx64 ", want %s", what,
            run->debug.arch.hsr, run->debug.arch.hsr >> 26, (unsigned long long)run->debug.arch.far,
            pc, exit_name(want));
    else if (r == KVM_EXIT_SYSTEM_EVENT)
        bad("%s: KVM_EXIT_SYSTEM_EVENT type %u at PC %#" PRIx64 ", want %s", what,
            run->system_event.type, pc, exit_name(want));
    else if (r == KVM_EXIT_FAIL_ENTRY)
        bad("%s: KVM_EXIT_FAIL_ENTRY (hardware_entry_failure_reason %#llx)", what,
            (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
    else
        bad("%s: exit reason %u (%s) at PC %#" PRIx64 ", want %s", what, r, exit_name(r), pc,
            exit_name(want));
    return -1;
}

/*
 * KVM_RUN that must give KVM_EXIT_DEBUG with exception class `ec` at PC
 * want_pc, and for EC 0x30/0x32/0x34 the fault status 0x22 (a debug
 * exception).  Returns the ESR, or ~0 after a bad line.
 */
static uint64_t expect_debug(unsigned ec, uint64_t want_pc, const char *what)
{
    if (run_vcpu(KVM_EXIT_DEBUG, what) < 0)
        return ~0ULL;
    uint32_t esr = run->debug.arch.hsr;
    uint64_t pc = get_pc();
    if (esr >> 26 != ec) {
        bad("%s: ESR_EL2 %#x: EC %#x, want %#x (PC %#" PRIx64 ")", what, esr, esr >> 26, ec, pc);
        return ~0ULL;
    }
    if (ec != EC_BRK64 && (esr & 0x3f) != 0x22) {
        bad("%s: ESR_EL2 %#x: fault status %#x, want 0x22 (debug exception)", what, esr, esr & 0x3f);
        return ~0ULL;
    }
    if (pc != want_pc) {
        bad("%s: ESR_EL2 %#x (EC %#x) at PC %#" PRIx64 ", want PC %#" PRIx64 " (%+" PRId64 " bytes)",
            what, esr, ec, pc, want_pc, (int64_t)(pc - want_pc));
        return ~0ULL;
    }
    return esr;
}

static int check_x(int n, uint64_t want, const char *what)
{
    uint64_t got = xreg(n);
    if (got != want) {
        bad("%s: x%d = %#" PRIx64 ", want %#" PRIx64, what, n, got, want);
        return -1;
    }
    return 0;
}

static int check_word(unsigned off, uint64_t want, const char *what)
{
    uint64_t got = data_word(off);
    if (got != want) {
        bad("%s: guest RAM at %#" PRIx64 " = %#" PRIx64 ", want %#" PRIx64, what, data_ipa(off), got, want);
        return -1;
    }
    return 0;
}

/* a. One instruction per KVM_RUN: the PC after it, a register it wrote, EX. */
static int phase_step(void)
{
    phase = "a: single step";
    const uint64_t x3 = MAGIC ^ 12, x4 = x3 + (12 << 4);
    const struct {
        uint64_t pc;
        int reg;
        uint64_t value;
        int ex;
        const char *insn;
    } steps[] = {
        { gaddr(kvmdebug_guest_start) + 4, 1, 5, 0, "movz x1, #5" },
        { gaddr(kvmdebug_guest_start) + 8, 1, 12, 0, "add x1, x1, #7" },
        { gaddr(kvmdebug_guest_start) + 12, 2, MAGIC, 0, "ldr x2, [x20]" },
        { gaddr(kvmdebug_guest_start) + 16, 3, x3, 0, "eor x3, x1, x2" },
        { gaddr(kd_cbnz_target), 1, 12, 0, "cbnz x1 (taken)" },
        { gaddr(kd_cbnz_target) + 4, 4, x4, 0, "add x4, x3, x1, lsl #4" },
        { gaddr(kd_b_target), 4, x4, 0, "b (taken)" },
        { gaddr(kd_ldxr) + 4, 5, MAGIC, 1, "ldxr x5, [x20]" },
        { gaddr(kd_ldxr) + 8, 5, MAGIC, 0, "clrex" },
        { gaddr(kd_step_end), 6, x4 - MAGIC, 0, "sub x6, x4, x5" },
    };
    set_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0, 0);
    char what[96];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        snprintf(what, sizeof what, "step %zu (%s)", i + 1, steps[i].insn);
        uint64_t esr = expect_debug(EC_SOFTSTP_LOW, steps[i].pc, what);
        if (esr == ~0ULL)
            return -1;
        /* ISS: ISV [24] = 1 (EX valid), EX [6] = 1 after a load-exclusive. */
        int isv = (esr >> 24) & 1, ex = (esr >> 6) & 1;
        if (!isv || ex != steps[i].ex) {
            bad("%s: ESR_EL2 %#" PRIx64 ": ISV %d EX %d, want ISV 1 EX %d", what, esr, isv, ex, steps[i].ex);
            return -1;
        }
        if (check_x(steps[i].reg, steps[i].value, what))
            return -1;
        ok("%s: KVM_EXIT_DEBUG, ESR_EL2 %#" PRIx64 " (EC 0x32, ISV 1, EX %d), PC %#" PRIx64 ", x%d = %#" PRIx64,
           what, esr, ex, steps[i].pc, steps[i].reg, steps[i].value);
    }
    return 0;
}

/* b. Breakpoint 0 on kd_bp (a loop of 3): hit, step over, hit, step over, hit, clear. */
static int phase_breakpoint(void)
{
    phase = "b: hardware breakpoint";
    uint64_t bp = gaddr(kd_bp);
    uint64_t sum = 0;
    char what[96];
    for (uint64_t iter = 1; iter <= 3; iter++) {
        set_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, bp, 0, 0);
        snprintf(what, sizeof what, "breakpoint hit %" PRIu64 "/3", iter);
        uint64_t esr = expect_debug(EC_BREAKPT_LOW, bp, what);
        if (esr == ~0ULL || check_x(7, iter, what) || check_x(8, sum, what))
            return -1;
        ok("%s: KVM_EXIT_DEBUG, ESR_EL2 %#" PRIx64 " (EC 0x30), PC %#" PRIx64 " = DBGBVR0, x7 = %" PRIu64
           ", x8 = %" PRIu64, what, esr, bp, iter, sum);
        sum += iter;
        if (iter == 3)
            break;
        /* Step over it as a debugger does: breakpoint off, one step. */
        set_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0, 0);
        snprintf(what, sizeof what, "step over breakpoint hit %" PRIu64, iter);
        esr = expect_debug(EC_SOFTSTP_LOW, bp + 4, what);
        if (esr == ~0ULL || check_x(8, sum, what))
            return -1;
        ok("%s: KVM_EXIT_DEBUG, ESR_EL2 %#" PRIx64 " (EC 0x32), PC %#" PRIx64 ", x8 = %" PRIu64,
           what, esr, bp + 4, sum);
    }
    return 0;
}

/* c. Watchpoint 0 on D (stores), then on bytes 4..7 of D. */
static int phase_watchpoint(void)
{
    phase = "c: hardware watchpoint";
    const uint64_t d = data_ipa(8), x10 = 0x106;
    const char *what = "watchpoint on D (BAS 0xff, stores)";
    /* Breakpoint 0 cleared, watchpoint 0 set. */
    set_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, 0, d, 0xff);
    uint64_t esr = expect_debug(EC_WATCHPT_LOW, gaddr(kd_wp_store), what);
    if (esr == ~0ULL)
        return -1;
    uint64_t far = run->debug.arch.far;
    if (!((esr >> 6) & 1)) {
        bad("%s: ESR_EL2 %#" PRIx64 ": WnR 0 for a store", what, esr);
        return -1;
    }
    if (far != d) {
        bad("%s: FAR %#" PRIx64 ", want %#" PRIx64 " (the address stored to)", what, far, d);
        return -1;
    }
    ok("%s: KVM_EXIT_DEBUG, ESR_EL2 %#" PRIx64 " (EC 0x34, WnR 1), FAR %#" PRIx64 " = D, PC %#" PRIx64
       " (the store)", what, esr, far, gaddr(kd_wp_store));
    if (check_x(9, WP_INIT, "the load from D before the watched store (no hit: LSC = stores)") ||
        check_word(16, x10, "the store to D + 8 before the watched store (no hit: BAS covers D only)") ||
        check_word(8, WP_INIT, "D at the watchpoint exit (the store must not have happened)"))
        return -1;
    ok("no hit on the load from D (x9 = %#" PRIx64 ") nor on the store to D + 8 (done); D not yet written",
       WP_INIT);

    /* Clear it and step the store. */
    set_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0, 0);
    what = "step over the watched store";
    esr = expect_debug(EC_SOFTSTP_LOW, gaddr(kd_wp_store) + 4, what);
    if (esr == ~0ULL || check_word(8, x10, what))
        return -1;
    ok("%s: KVM_EXIT_DEBUG, ESR_EL2 %#" PRIx64 " (EC 0x32), PC %#" PRIx64 ", D = %#" PRIx64 " in guest RAM",
       what, esr, gaddr(kd_wp_store) + 4, x10);

    /* Bytes 4..7 of D only: the STRB to byte 1 passes, the STRH to bytes 6..7 hits. */
    set_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, 0, d, 0xf0);
    what = "watchpoint on D bytes 4..7 (BAS 0xf0)";
    esr = expect_debug(EC_WATCHPT_LOW, gaddr(kd_wp_half), what);
    if (esr == ~0ULL)
        return -1;
    far = run->debug.arch.far;
    if (far != d + 6) {
        bad("%s: FAR %#" PRIx64 ", want %#" PRIx64 " (the halfword stored to)", what, far, d + 6);
        return -1;
    }
    if (check_word(8, 0x606, "D after the byte store to D + 1 (no hit: byte 1 not in BAS)"))
        return -1;
    ok("%s: no hit on the byte store to D + 1 (D = 0x606); the halfword store hit: ESR_EL2 %#" PRIx64
       ", FAR %#" PRIx64 " = D + 6, PC %#" PRIx64, what, esr, far, gaddr(kd_wp_half));
    return 0;
}

/* e. BRK with KVM_GUESTDBG_USE_SW_BP; PC moved past it by the VMM. */
static int phase_brk(void)
{
    phase = "e: software breakpoint";
    const char *what = "BRK #0x4b44 (KVM_GUESTDBG_USE_SW_BP)";
    /* Watchpoint 0 cleared. */
    set_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP, 0, 0, 0);
    uint64_t esr = expect_debug(EC_BRK64, gaddr(kd_brk), what);
    if (esr == ~0ULL)
        return -1;
    if ((esr & 0xffff) != BRK_IMM) {
        bad("%s: ESR_EL2 %#" PRIx64 ": ISS comment %#" PRIx64 ", want %#x", what, esr, esr & 0xffff, BRK_IMM);
        return -1;
    }
    if (check_word(8, 0x0106000000000606ULL, "D after the watched halfword store (resumed with the watchpoint off)"))
        return -1;
    ok("%s: KVM_EXIT_DEBUG, ESR_EL2 %#" PRIx64 " (EC 0x3c, comment %#x), PC %#" PRIx64
       "; D = 0x0106000000000606", what, esr, BRK_IMM, gaddr(kd_brk));
    set_reg(CORE_REG(regs.pc), gaddr(kd_brk) + 4, "pc");
    return 0;
}

/* d. Debugging off: run to PSCI SYSTEM_OFF, check the final state. */
static int phase_off(void)
{
    phase = "d: debugging off";
    /* control = 0: KVM must ignore this breakpoint on an instruction the guest runs. */
    set_debug(0, gaddr(kd_off_pass), 0, 0);
    const char *what = "debugging off (control = 0), run to PSCI SYSTEM_OFF";
    if (run_vcpu(KVM_EXIT_SYSTEM_EVENT, what) < 0)
        return -1;
    if (run->system_event.type != KVM_SYSTEM_EVENT_SHUTDOWN) {
        bad("%s: KVM_EXIT_SYSTEM_EVENT type %u, want KVM_SYSTEM_EVENT_SHUTDOWN (%u)", what,
            run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
        return -1;
    }
    uint64_t pc = get_pc();
    if (pc != gaddr(kd_hvc) + 4) {
        bad("%s: PC %#" PRIx64 " after SYSTEM_OFF, want %#" PRIx64 " (the HVC + 4)", what, pc, gaddr(kd_hvc) + 4);
        return -1;
    }
    ok("%s: KVM_EXIT_SYSTEM_EVENT / SHUTDOWN, PC %#" PRIx64 " (the HVC + 4), no stop at %#" PRIx64,
       what, pc, gaddr(kd_off_pass));
    const uint64_t x4 = (MAGIC ^ 12) + (12 << 4);
    /* x0..x3 are the PSCI call's SMCCC results (KVM sets x1..x3 to 0). */
    const uint64_t want[] = { 0, 0, 0, 0, x4, MAGIC, x4 - MAGIC, 3, 6, WP_INIT, 0x106, 0x10c };
    for (int n = 4; n <= 11; n++)
        if (check_x(n, want[n], "final registers"))
            return -1;
    if (check_word(0, MAGIC, "final guest RAM") || check_word(8, 0x0106000000000606ULL, "final guest RAM") ||
        check_word(16, 0x106, "final guest RAM") || check_word(24, 0x10c, "final guest RAM") ||
        check_word(32, 0, "final guest RAM (SYSTEM_OFF returned?)"))
        return -1;
    ok("final registers x4..x11 and guest RAM (MAGIC, D = 0x0106000000000606, 0x106, 0x10c) as computed");
    return 0;
}

static void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [-t TIMEOUT_SECONDS]\n", argv0);
    exit(2);
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "t:h")) != -1) {
        char *end;
        if (opt != 't')
            usage(argv[0]);
        timeout_s = (unsigned)strtoul(optarg, &end, 0);
        if (*end || !timeout_s)
            usage(argv[0]);
    }
    if (optind != argc)
        usage(argv[0]);
    signal(SIGALRM, on_alarm);
    alarm(timeout_s);
    say("KVMDEBUG start: 1 vCPU, KVM_SET_GUEST_DEBUG: single step, hardware breakpoint and "
        "watchpoint, BRK, debugging off");

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        die_errno("open /dev/kvm");
    int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION) {
        bad("KVM_GET_API_VERSION is %d, want %d", api, KVM_API_VERSION);
        return finish();
    }
    if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PSCI_0_2) <= 0) {
        bad("KVM_CAP_ARM_PSCI_0_2 not supported");
        return finish();
    }
    int sgd = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SET_GUEST_DEBUG);
    int bps = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_BPS);
    int wps = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_WPS);
    int sgd2 = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SET_GUEST_DEBUG2);
    if (sgd <= 0 || bps < 1 || wps < 1) {
        bad("KVM_CAP_SET_GUEST_DEBUG = %d, KVM_CAP_GUEST_DEBUG_HW_BPS = %d, _WPS = %d: want > 0, >= 1, >= 1",
            sgd, bps, wps);
        return finish();
    }
    ok("/dev/kvm API %d; KVM_CAP_SET_GUEST_DEBUG = %d, KVM_CAP_GUEST_DEBUG_HW_BPS = %d, "
       "KVM_CAP_GUEST_DEBUG_HW_WPS = %d, KVM_CAP_SET_GUEST_DEBUG2 = %#x", api, sgd, bps, wps, sgd2);

    /* Type 0 means a 40-bit IPA space, which KVM refuses if the host's limit is lower. */
    int ipa = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
    unsigned long vm_type = (ipa > 0 && ipa < 40) ? KVM_VM_TYPE_ARM_IPA_SIZE(ipa) : 0;
    int vm = ioctl(kvm, KVM_CREATE_VM, vm_type);
    if (vm < 0)
        die_errno("KVM_CREATE_VM");
    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ram == MAP_FAILED)
        die_errno("mmap guest RAM");
    size_t code_size = (size_t)(kvmdebug_guest_end - kvmdebug_guest_start);
    memcpy(ram, kvmdebug_guest_start, code_size);
    const uint64_t init_words[] = { MAGIC, WP_INIT, 0, 0, 0 };
    memcpy(ram + DATA_OFF, init_words, sizeof init_words);
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = RAM_IPA, .memory_size = RAM_SIZE,
        .userspace_addr = (uint64_t)(uintptr_t)ram,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        die_errno("KVM_SET_USER_MEMORY_REGION");

    int ms = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (ms < (int)sizeof(struct kvm_run))
        die_errno("KVM_GET_VCPU_MMAP_SIZE");
    struct kvm_vcpu_init init;
    memset(&init, 0, sizeof init);
    if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
        die_errno("KVM_ARM_PREFERRED_TARGET");
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    vcpu_fd = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu_fd < 0)
        die_errno("KVM_CREATE_VCPU");
    run = mmap(NULL, (size_t)ms, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
    if (run == MAP_FAILED)
        die_errno("mmap kvm_run");
    if (ioctl(vcpu_fd, KVM_ARM_VCPU_INIT, &init) < 0)
        die_errno("KVM_ARM_VCPU_INIT");
    uint64_t entry = gaddr(kvmdebug_guest_start);
    set_reg(CORE_REG(regs.pc), entry, "pc");
    set_reg(CORE_REG(regs.pstate), PSTATE_EL1H_DAIF, "pstate");
    set_reg(XREG(20), data_ipa(0), "x20");
    set_reg(XREG(21), MMIO_IPA, "x21");
    set_reg(VBAR_EL1_REG, gaddr(kd_vectors), "VBAR_EL1");
    if (get_pc() != entry) {
        bad("PC reads back as %#" PRIx64 ", want %#" PRIx64, get_pc(), entry);
        return finish();
    }
    ok("VM (KVM_CAP_ARM_VM_IPA_SIZE = %d, type %lu), %llu KiB at IPA %#llx, vCPU (target %u, PSCI 0.2) "
       "at EL1h, PC %#" PRIx64 ", data at %#" PRIx64, ipa, vm_type, RAM_SIZE >> 10, RAM_IPA, init.target,
       entry, data_ipa(0));

    if (phase_step() == 0 && phase_breakpoint() == 0 && phase_watchpoint() == 0 && phase_brk() == 0)
        phase_off();
    return finish();
}
