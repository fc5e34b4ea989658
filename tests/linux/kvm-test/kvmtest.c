/*
 * kvmtest: a minimal KVM VMM for hypsim's Linux tests (arm64, static).
 *
 * Uses only the kernel uAPI (<linux/kvm.h>): opens /dev/kvm, creates a VM
 * with one 2 MiB..4.5 MiB memslot of anonymous memory at IPA 0x10000000,
 * copies in the guest code of guest.S, creates 1..8 vCPUs (PSCI 0.2), sets
 * their PC/PSTATE/SP/x0..x3 and runs each in its own thread (vCPU 0 in the
 * main thread).  Every KVM exit is checked against what guest.S does:
 * MMIO writes (address, length, direction, data), MMIO reads (the VMM
 * supplies the value; the guest echoes it back), a loop over guest RAM whose
 * sum the guest reports, an interrupt phase, a "DONE" write, and finally
 * PSCI SYSTEM_OFF by HVC from vCPU 0, which must give KVM_EXIT_SYSTEM_EVENT /
 * SHUTDOWN.  vCPU 0 issues SYSTEM_OFF only after every other vCPU thread has
 * finished.
 *
 * The interrupt phase uses KVM's in-kernel vGICv3 (KVM_CREATE_DEVICE; its
 * distributor and redistributors are mapped outside guest RAM): each vCPU
 * programs its redistributor, the distributor and its GIC CPU interface,
 * takes 3 interrupts of its EL1 virtual timer (PPI 27; WFI blocks in KVM
 * until the timer fires), one SGI it sends itself with ICC_SGI1R_EL1, and a
 * low-priority SGI from the previous vCPU (from itself when alone), which
 * ICC_PMR_EL1 must hold back until the guest raises it, and it
 * reports via MMIO writes what its IRQ handler saw (INTID, CNTV_CTL_EL0,
 * CNTVCT_EL0 - CNTV_CVAL_EL0) and its CNTVCT_EL0, which KVM's CNTVOFF_EL2
 * must make count from about the vCPUs' creation.
 *
 * Output: one "KVMTEST ok: ..." line per passed check, "KVMTEST bad: ..." for
 * a failed one, an informational "KVMTEST loop: N iterations in X ms ..."
 * line and a "KVMTEST irq: ..." line per vCPU, and finally "KVMTEST PASS" (exit 0) or
 * "KVMTEST FAIL: <reason>" (exit 1; 2 on the timeout).
 *
 * Usage: kvmtest [-c VCPUS] [-n ITERATIONS] [-t TIMEOUT_SECONDS] [-s | -m [-p]]
 *
 * -s (SError mode, 1 vCPU): the vCPU starts at guest.S's kvmtest_serror_entry,
 * unmasks SErrors and spins at IPA 0x10001040; the run passes when the guest
 * reports an SError taken at VBAR_EL1 + 0x380 ("KVMTEST serror: ..."), i.e.
 * when the host injected one there (hypsim --inject serror,pc=0x10001040,el=1)
 * and KVM forwarded it to the guest as a virtual SError.
 *
 * -m (MTE mode, 1 vCPU): KVM_CAP_ARM_MTE is enabled on the VM (the run fails
 * at once if KVM does not offer it) and guest RAM is a memfd, mapped
 * MAP_SHARED for KVM and a second time with PROT_MTE for the VMM (-p: private
 * anonymous memory instead, which the VMM makes PROT_MTE with mprotect() at
 * the end).  The vCPU starts at guest.S's kvmtest_mte_entry, which turns on
 * its MMU (stage 1 tables written by the VMM: RAM as Tagged Normal memory)
 * and MTE at EL1, tags a page with IRG and STG and reports the tags, takes
 * synchronous tag check faults in its own vector (ESR_EL1 EC 0x25, DFSC 0x11,
 * FAR_EL1 reported) and reads with LDG the tags the VMM wrote into another
 * page with KVM_ARM_MTE_COPY_TAGS (KVM_ARM_TAGS_TO_GUEST).  The VMM checks
 * the guest's tags against KVM_ARM_MTE_COPY_TAGS (KVM_ARM_TAGS_FROM_GUEST)
 * and LDG through its own PROT_MTE mapping.  Linux before 6.2 refuses
 * MAP_SHARED guest RAM in a VM with MTE (KVM_SET_USER_MEMORY_REGION: EINVAL),
 * so there only -m -p can pass.
 *
 * Built by tests/linux/kvm-test/build.sh (see tests/linux/README.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

extern const unsigned char kvmtest_guest_start[], kvmtest_guest_end[], kvmtest_serror_entry[],
    kvmtest_mte_entry[];

/* -s: run vCPU 0 from kvmtest_serror_entry and expect one SError (see guest.S). */
static int serror_mode;
/* -m: MTE mode, vCPU 0 runs kvmtest_mte_entry; -p: private anonymous guest RAM, not a memfd. */
static int mte_mode, mte_private;

#define MAX_VCPUS 8
#define RAM_IPA 0x10000000ULL      /* guest RAM: code at +0, data areas at +1 MiB */
#define DATA_OFF 0x100000ULL
#define DATA_SIZE 0x80000ULL       /* per vCPU; guest.S masks the index with 0xffff words */
#define MMIO_IPA 0x20000000ULL     /* vCPU i's MMIO base: MMIO_IPA + i * MMIO_STRIDE */
#define MMIO_STRIDE 0x1000ULL
#define RAM_MAGIC 0x5a17c0de00000000ULL   /* | index: first word of the data area */
#define READ8_VALUE 0xfeedfacecafe0000ULL /* + index * 0x1111: the 8-byte MMIO read */
#define READ4_VALUE 0x87654321ULL         /* + index: the 4-byte MMIO read */
#define DONE_VALUE 0x454e4f44ULL          /* "DONE" */
#define PSTATE_EL1H_DAIF 0x3c5ULL         /* EL1h, D, A, I, F masked */
#define GICD_IPA 0x08000000ULL     /* the vGICv3 distributor (64 KiB) */
#define GICR_IPA 0x080a0000ULL     /* vCPU i's redistributor: GICR_IPA + i * GICR_STRIDE */
#define GICR_STRIDE 0x20000ULL     /* RD_base and SGI_base frames, 64 KiB each */
#define GIC_NR_IRQS 64u            /* SGIs, PPIs and 32 SPIs (KVM's minimum) */
#define TIMER_INTID 27u            /* the EL1 virtual timer's PPI (KVM's default) */
#define SGI_INTID 1u               /* the SGI the guest sends itself */
#define XSGI_INTID 2u              /* the SGI (priority 0xf0) vCPU i sends vCPU (i + 1) % n */
#define TIMER_ROUNDS 3

#define CORE_REG(name) \
    (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(name))

struct vcpu {
    int index;
    int fd;
    struct kvm_run *run;
    pthread_t thread;
    int started;
};

static struct vcpu vcpus[MAX_VCPUS];
static int nvcpus = 1;
static uint64_t iterations = 1000000;
static unsigned timeout_s = 600;
static unsigned char *ram;
static size_t ram_size;
static size_t mmap_size;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char first_failure[256];
static char timeout_msg[128];
static volatile unsigned cur_step[MAX_VCPUS];   /* for the timeout message */
static uint64_t cnt_before_vcpus;   /* host CNTVCT_EL0 before KVM_CREATE_VCPU */
static uint64_t host_cntfrq;

/* One line, written with a single write(2) so that threads do not interleave. */
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
    pthread_mutex_lock(&lock);
    if (!first_failure[0])
        snprintf(first_failure, sizeof first_failure, "%s", buf);
    pthread_mutex_unlock(&lock);
    say("KVMTEST bad: %s", buf);
}

static int failed(void)
{
    pthread_mutex_lock(&lock);
    int f = first_failure[0] != 0;
    pthread_mutex_unlock(&lock);
    return f;
}

static void ok(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    say("KVMTEST ok: %s", buf);
}

static int finish(void)
{
    if (first_failure[0]) {
        say("KVMTEST FAIL: %s", first_failure);
        return 1;
    }
    say("KVMTEST PASS");
    return 0;
}

/* A fatal setup error in the main thread. */
static void die_errno(const char *what)
{
    bad("%s: %s (errno %d)", what, strerror(errno), errno);
    exit(finish());
}

/* Async-signal-safe: append " vcpuI step S" for each vCPU to the timeout line. */
static void on_alarm(int sig)
{
    (void)sig;
    char buf[sizeof timeout_msg + MAX_VCPUS * 24];
    size_t n = strlen(timeout_msg) - 1;   /* without the newline */
    memcpy(buf, timeout_msg, n);
    const char *sep = " (MMIO steps done:";
    for (int i = 0; i < nvcpus; i++) {
        char num[12];
        int k = 0;
        unsigned s = cur_step[i];
        do { num[k++] = (char)('0' + s % 10); s /= 10; } while (s);
        memcpy(buf + n, sep, strlen(sep)); n += strlen(sep);
        memcpy(buf + n, " vcpu", 5); n += 5;
        buf[n++] = (char)('0' + i);
        buf[n++] = ' ';
        while (k)
            buf[n++] = num[--k];
        sep = ",";
    }
    buf[n++] = ')';
    buf[n++] = '\n';
    (void)!write(1, buf, n);
    _exit(2);
}

static inline uint64_t host_cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}

static inline uint64_t read_cntfrq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int set_reg(struct vcpu *v, uint64_t id, uint64_t value, const char *name)
{
    struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&value };
    if (ioctl(v->fd, KVM_SET_ONE_REG, &reg) < 0) {
        bad("vcpu%d KVM_SET_ONE_REG %s: %s (errno %d)", v->index, name, strerror(errno), errno);
        return -1;
    }
    return 0;
}

static uint64_t get_pc(struct vcpu *v)
{
    uint64_t value = 0;
    struct kvm_one_reg reg = { .id = CORE_REG(regs.pc), .addr = (uint64_t)(uintptr_t)&value };
    if (ioctl(v->fd, KVM_GET_ONE_REG, &reg) < 0)
        return ~0ULL;
    return value;
}

static uint64_t data_ipa(int index) { return RAM_IPA + DATA_OFF + (uint64_t)index * DATA_SIZE; }
static uint64_t *data_host(int index) { return (uint64_t *)(ram + DATA_OFF + (size_t)index * DATA_SIZE); }

/* How the value of an MMIO write is checked. */
enum check {
    CHK_EQ,         /* == expected_write() */
    CHK_SRE,        /* ICC_SRE_EL1: SRE (bit 0) set */
    CHK_TYPER,      /* GICR_TYPER: this vCPU's affinity, processor number and Last */
    CHK_CNTVCT,     /* the guest's CNTVCT_EL0: at most the host ticks since the vCPUs' creation */
    CHK_CNTFRQ,     /* the guest's CNTFRQ_EL0: the host's */
    CHK_IAR_TIMER,  /* ICC_IAR1_EL1 in the handler: the virtual timer's PPI */
    CHK_TIMER_CTL,  /* CNTV_CTL_EL0 in the handler: ENABLE | ISTATUS */
    CHK_TIMER_LATE, /* CNTVCT_EL0 - CNTV_CVAL_EL0 in the handler: >= 0 */
    CHK_IAR_SGI,    /* ICC_IAR1_EL1 in the handler: the SGI */
    CHK_NIRQ_MASKED,/* the IRQs the handler took while PMR masks SGI 2 */
    CHK_IAR_XSGI,   /* ICC_IAR1_EL1 in the handler: SGI 2, after PMR was raised */
    CHK_NIRQ,       /* the number of IRQs the handler took */
};

/* The MMIO accesses of guest.S, in order. */
struct step {
    uint64_t off;
    uint32_t len;
    int is_write;
    enum check check;
    int round;          /* timer round (1..TIMER_ROUNDS) of the CHK_*TIMER* steps */
    const char *what;
};

#define TIMER_STEPS(r) \
    { 0x70, 8, 1, CHK_IAR_TIMER, r, "ICC_IAR1_EL1" }, \
    { 0x78, 8, 1, CHK_TIMER_CTL, r, "CNTV_CTL_EL0" }, \
    { 0x80, 8, 1, CHK_TIMER_LATE, r, "CNTVCT_EL0 - CNTV_CVAL_EL0" }

static const struct step steps[] = {
    { 0x00, 1, 1, CHK_EQ, 0, "1-byte write" },
    { 0x02, 2, 1, CHK_EQ, 0, "2-byte write" },
    { 0x04, 4, 1, CHK_EQ, 0, "4-byte write" },
    { 0x08, 8, 1, CHK_EQ, 0, "8-byte write" },
    { 0x10, 8, 0, CHK_EQ, 0, "8-byte read" },
    { 0x18, 4, 0, CHK_EQ, 0, "4-byte read" },
    { 0x20, 8, 1, CHK_EQ, 0, "echo of the 8-byte read" },
    { 0x28, 8, 1, CHK_EQ, 0, "8-byte read ^ 4-byte read ^ RAM magic" },
    { 0x30, 8, 1, CHK_EQ, 0, "loop start (N)" },
    { 0x38, 8, 1, CHK_EQ, 0, "loop sum 1..N" },
    { 0x50, 8, 1, CHK_SRE, 0, "ICC_SRE_EL1" },
    { 0x58, 8, 1, CHK_TYPER, 0, "GICR_TYPER" },
    { 0x60, 8, 1, CHK_CNTVCT, 0, "CNTVCT_EL0" },
    { 0x68, 8, 1, CHK_CNTFRQ, 0, "CNTFRQ_EL0" },
    TIMER_STEPS(1),
    TIMER_STEPS(2),
    TIMER_STEPS(3),
    { 0x70, 8, 1, CHK_IAR_SGI, 0, "ICC_IAR1_EL1" },
    { 0x88, 8, 1, CHK_NIRQ_MASKED, 0, "IRQs taken with SGI 2 masked by ICC_PMR_EL1" },
    { 0x70, 8, 1, CHK_IAR_XSGI, 0, "ICC_IAR1_EL1" },
    { 0xa0, 8, 1, CHK_NIRQ, 0, "IRQs taken" },
    { 0x40, 8, 1, CHK_EQ, 0, "DONE" },
};
#define NSTEPS (sizeof steps / sizeof steps[0])
#define STEP_LOOP_START 8
#define STEP_LOOP_SUM 9
#define STEP_IRQ_START 10
#define STEP_DONE (NSTEPS - 1)
#define OFF_PSCI_RET 0x48
#define OFF_IRQ_TIMEOUT 0x90
#define OFF_EXCEPTION 0x98

static uint64_t read_value(int index, int step)
{
    return step == 4 ? READ8_VALUE + (uint64_t)index * 0x1111 : READ4_VALUE + (uint64_t)index;
}

static uint64_t expected_write(int index, int step)
{
    switch (step) {
    case 0: return 0xab;
    case 1: return 0xbeef;
    case 2: return 0xdeadbeef;
    case 3: return 0x0123456789abcde0ULL | (uint64_t)index;
    case 6: return read_value(index, 4);
    case 7: return read_value(index, 4) ^ read_value(index, 5) ^ (RAM_MAGIC | (uint64_t)index);
    case 8: return iterations;
    case 9: return iterations * (iterations + 1) / 2;   /* mod 2^64, as in the guest */
    }
    return step == (int)STEP_DONE ? DONE_VALUE : 0;
}

/*
 * Check the value of MMIO write `step` (not CHK_EQ); on success write the
 * "ok" text to msg, else the "bad" text.  Returns 0 if the check passed.
 */
static int check_irq_step(const struct vcpu *v, const struct step *s, uint64_t got,
                          char *msg, size_t size)
{
    int i = v->index;
    switch (s->check) {
    case CHK_SRE:
        if (!(got & 1)) {
            snprintf(msg, size, "vcpu%d ICC_SRE_EL1 = %#" PRIx64 ": SRE is 0", i, got);
            return -1;
        }
        snprintf(msg, size, "vcpu%d ICC_SRE_EL1 = %#" PRIx64 " (SRE = 1: the GIC system register interface)", i, got);
        return 0;
    case CHK_TYPER: {
        /* Affinity_Value [63:32] is MPIDR's Aff3.Aff2.Aff1.Aff0; KVM gives vCPU i Aff0 = i (i < 16). */
        uint64_t aff = got >> 32, procnum = (got >> 8) & 0xffff, last = (got >> 4) & 1;
        int want_last = i == nvcpus - 1;
        if (aff != (uint64_t)i || procnum != (uint64_t)i || (int)last != want_last) {
            snprintf(msg, size, "vcpu%d GICR_TYPER = %#" PRIx64 " at %#llx: affinity %#" PRIx64
                     ", processor number %" PRIu64 ", Last %" PRIu64 "; want %d, %d, %d",
                     i, got, GICR_IPA + (unsigned long long)i * GICR_STRIDE, aff, procnum, last,
                     i, i, want_last);
            return -1;
        }
        snprintf(msg, size, "vcpu%d GICR_TYPER = %#" PRIx64 ": affinity %d, processor number %d, Last %d",
                 i, got, i, i, want_last);
        return 0;
    }
    case CHK_CNTVCT: {
        uint64_t since = host_cntvct() - cnt_before_vcpus;
        if (got > since) {
            snprintf(msg, size, "vcpu%d guest CNTVCT_EL0 = %" PRIu64 ", more than the %" PRIu64
                     " host ticks since the vCPUs were created (CNTVOFF_EL2 not applied?)", i, got, since);
            return -1;
        }
        snprintf(msg, size, "vcpu%d guest CNTVCT_EL0 = %" PRIu64 ", within the %" PRIu64
                 " host ticks since the vCPUs were created (CNTVOFF_EL2)", i, got, since);
        return 0;
    }
    case CHK_CNTFRQ:
        if (got != host_cntfrq) {
            snprintf(msg, size, "vcpu%d guest CNTFRQ_EL0 = %" PRIu64 ", host %" PRIu64, i, got, host_cntfrq);
            return -1;
        }
        snprintf(msg, size, "vcpu%d guest CNTFRQ_EL0 = %" PRIu64 " Hz, as on the host", i, got);
        return 0;
    case CHK_IAR_TIMER:
        if (got != TIMER_INTID) {
            snprintf(msg, size, "vcpu%d timer IRQ %d/%d: ICC_IAR1_EL1 = %" PRIu64 ", want %u (the virtual timer's PPI)",
                     i, s->round, TIMER_ROUNDS, got, TIMER_INTID);
            return -1;
        }
        snprintf(msg, size, "vcpu%d timer IRQ %d/%d: ICC_IAR1_EL1 = %u (the virtual timer's PPI) after WFI",
                 i, s->round, TIMER_ROUNDS, TIMER_INTID);
        return 0;
    case CHK_TIMER_CTL:
        if (got != 5) {
            snprintf(msg, size, "vcpu%d timer IRQ %d/%d: CNTV_CTL_EL0 = %#" PRIx64
                     " in the handler, want 0x5 (ENABLE, ISTATUS, not IMASK)", i, s->round, TIMER_ROUNDS, got);
            return -1;
        }
        snprintf(msg, size, "vcpu%d timer IRQ %d/%d: CNTV_CTL_EL0 = 0x5 in the handler (ENABLE, ISTATUS)",
                 i, s->round, TIMER_ROUNDS);
        return 0;
    case CHK_TIMER_LATE:
        if ((int64_t)got < 0) {
            snprintf(msg, size, "vcpu%d timer IRQ %d/%d: CNTVCT_EL0 - CNTV_CVAL_EL0 = %" PRId64
                     " in the handler: the IRQ came before the timer's deadline", i, s->round, TIMER_ROUNDS, (int64_t)got);
            return -1;
        }
        snprintf(msg, size, "vcpu%d timer IRQ %d/%d: CNTVCT_EL0 - CNTV_CVAL_EL0 = %" PRIu64
                 " ticks in the handler (>= 0)", i, s->round, TIMER_ROUNDS, got);
        return 0;
    case CHK_IAR_SGI:
        if (got != SGI_INTID) {
            snprintf(msg, size, "vcpu%d SGI to itself: ICC_IAR1_EL1 = %" PRIu64 ", want %u", i, got, SGI_INTID);
            return -1;
        }
        snprintf(msg, size, "vcpu%d SGI %u to itself by ICC_SGI1R_EL1: ICC_IAR1_EL1 = %u after WFI",
                 i, SGI_INTID, SGI_INTID);
        return 0;
    case CHK_NIRQ_MASKED:
        if (got != TIMER_ROUNDS + 1) {
            snprintf(msg, size, "vcpu%d the guest's IRQ handler ran %" PRIu64 " times, want %d: "
                     "SGI %u at priority 0xf0 was taken with ICC_PMR_EL1 = 0xf0?", i, got, TIMER_ROUNDS + 1, XSGI_INTID);
            return -1;
        }
        snprintf(msg, size, "vcpu%d sent SGI %u (priority 0xf0) to vcpu%d; ICC_PMR_EL1 = 0xf0 held back the one for vcpu%d for 1 ms",
                 i, XSGI_INTID, (i + 1) % nvcpus, i);
        return 0;
    case CHK_IAR_XSGI:
        if (got != XSGI_INTID) {
            snprintf(msg, size, "vcpu%d SGI from vcpu%d: ICC_IAR1_EL1 = %" PRIu64 ", want %u", i,
                     (i + nvcpus - 1) % nvcpus, got, XSGI_INTID);
            return -1;
        }
        snprintf(msg, size, "vcpu%d SGI %u from vcpu%d taken once ICC_PMR_EL1 = 0xff: ICC_IAR1_EL1 = %u",
                 i, XSGI_INTID, (i + nvcpus - 1) % nvcpus, XSGI_INTID);
        return 0;
    case CHK_NIRQ:
        if (got != TIMER_ROUNDS + 2) {
            snprintf(msg, size, "vcpu%d the guest's IRQ handler ran %" PRIu64 " times, want %d", i, got, TIMER_ROUNDS + 2);
            return -1;
        }
        snprintf(msg, size, "vcpu%d the guest's IRQ handler ran %d times (EOI by ICC_EOIR1_EL1 each time)",
                 i, TIMER_ROUNDS + 2);
        return 0;
    case CHK_EQ:
        break;
    }
    snprintf(msg, size, "vcpu%d internal error: step check %d", i, (int)s->check);
    return -1;
}

static uint64_t le_value(const uint8_t *data, uint32_t len)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < len && i < 8; i++)
        v |= (uint64_t)data[i] << (8 * i);
    return v;
}

/*
 * Run one vCPU until its DONE write (index > 0) or its SYSTEM_OFF (index 0).
 * Returns 0 if every check passed.
 */
static int run_vcpu(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    const uint64_t base = MMIO_IPA + (uint64_t)v->index * MMIO_STRIDE;
    unsigned step = 0;
    double t_loop = 0, t_irq = 0;
    unsigned long exits = 0;

    for (;;) {
        if (ioctl(v->fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            bad("vcpu%d KVM_RUN: %s (errno %d) after %u MMIO exits, PC %#" PRIx64,
                v->index, strerror(errno), errno, step, get_pc(v));
            return -1;
        }
        exits++;
        switch (run->exit_reason) {
        case KVM_EXIT_MMIO: {
            uint64_t addr = run->mmio.phys_addr;
            uint32_t len = run->mmio.len;
            int is_write = run->mmio.is_write;
            if (step == STEP_LOOP_SUM)
                t_loop = now_ms() - t_loop;
            if (addr == base + OFF_PSCI_RET && is_write && len == 8) {
                bad("vcpu%d PSCI SYSTEM_OFF returned %#" PRIx64 " to the guest", v->index,
                    le_value(run->mmio.data, 8));
                return -1;
            }
            if (addr == base + OFF_IRQ_TIMEOUT && is_write && len == 8) {
                bad("vcpu%d no IRQ within 2 s (10 s for SGI 2; guest CNTVCT_EL0 time) of its due time, after %" PRIu64
                    " IRQs, at MMIO step %u (%s)", v->index, le_value(run->mmio.data, 8), step,
                    step < NSTEPS ? steps[step].what : "-");
                return -1;
            }
            if (serror_mode && addr == base + OFF_EXCEPTION && is_write && len == 8) {
                /* A virtual SError at EL1h (vector +0x380), ESR_EL1 EC 0x2F. */
                uint64_t val = le_value(run->mmio.data, 8), esr = val & 0xffffffffULL;
                say("KVMTEST serror: the guest took an SError: vector offset %#" PRIx64 ", ESR_EL1 %#" PRIx64,
                    val >> 32, esr);
                if (val >> 32 != 0x380 || (esr >> 26) != 0x2f) {
                    bad("vcpu%d: want an SError at vector offset 0x380 (EC 0x2f)", v->index);
                    return -1;
                }
                ok("vcpu%d took a virtual SError (ESR_EL1 %#" PRIx64 ")", v->index, esr);
                return 0;
            }
            if (addr == base + OFF_EXCEPTION && is_write && len == 8) {
                uint64_t val = le_value(run->mmio.data, 8), elr = ~0ULL;
                struct kvm_one_reg reg = { .id = CORE_REG(elr_el1), .addr = (uint64_t)(uintptr_t)&elr };
                (void)ioctl(v->fd, KVM_GET_ONE_REG, &reg);
                bad("vcpu%d unexpected guest exception: vector offset %#" PRIx64 ", ESR_EL1 %#" PRIx64
                    ", ELR_EL1 %#" PRIx64 ", at MMIO step %u", v->index, val >> 32, val & 0xffffffffULL,
                    elr, step);
                return -1;
            }
            if (step >= NSTEPS) {
                bad("vcpu%d unexpected MMIO %s of %u bytes at %#" PRIx64 " after DONE",
                    v->index, is_write ? "write" : "read", len, addr);
                return -1;
            }
            const struct step *s = &steps[step];
            if (addr != base + s->off || len != s->len || is_write != s->is_write) {
                bad("vcpu%d step %u (%s): got MMIO %s of %u bytes at %#" PRIx64
                    ", want %s of %u bytes at %#" PRIx64 " (PC %#" PRIx64 ")",
                    v->index, step, s->what, is_write ? "write" : "read", len, addr,
                    s->is_write ? "write" : "read", s->len, base + s->off, get_pc(v));
                return -1;
            }
            if (is_write && s->check != CHK_EQ) {
                char msg[256];
                if (check_irq_step(v, s, le_value(run->mmio.data, len), msg, sizeof msg)) {
                    bad("%s", msg);
                    return -1;
                }
                ok("%s", msg);
            } else if (is_write) {
                uint64_t got = le_value(run->mmio.data, len), want = expected_write(v->index, (int)step);
                if (got != want) {
                    bad("vcpu%d MMIO %s at %#" PRIx64 ": data %#" PRIx64 ", want %#" PRIx64,
                        v->index, s->what, addr, got, want);
                    return -1;
                }
                ok("vcpu%d MMIO write, %u byte(s) at %#" PRIx64 " = %#" PRIx64 " (%s)",
                   v->index, len, addr, got, s->what);
            } else {
                uint64_t value = read_value(v->index, (int)step);
                /* Junk in the bytes beyond len: the guest must not see them. */
                memset(run->mmio.data, 0xa5, sizeof run->mmio.data);
                for (uint32_t i = 0; i < len; i++)
                    run->mmio.data[i] = (uint8_t)(value >> (8 * i));
                ok("vcpu%d MMIO read, %u byte(s) at %#" PRIx64 ", VMM supplies %#" PRIx64,
                   v->index, len, addr, value);
            }
            step++;
            cur_step[v->index] = step;
            if (step == STEP_LOOP_START + 1)
                t_loop = now_ms();
            if (step == STEP_IRQ_START + 1)
                t_irq = now_ms();
            if (step == STEP_DONE + 1) {
                uint64_t *d = data_host(v->index);
                uint64_t idx = iterations & 0xffff, got = d[idx];
                if (got != iterations) {
                    bad("vcpu%d guest RAM word %" PRIu64 " of the data area is %#" PRIx64
                        " after the loop, want %#" PRIx64, v->index, idx, got, iterations);
                    return -1;
                }
                ok("vcpu%d guest RAM written by the guest is visible to the VMM (data[%" PRIu64 "] = %" PRIu64 ")",
                   v->index, idx, got);
                say("KVMTEST loop: %" PRIu64 " iterations in %.1f ms (vcpu%d, %.2f M iterations/s, %lu exits to the VMM)",
                    iterations, t_loop, v->index, t_loop > 0 ? iterations / t_loop / 1e3 : 0.0, exits);
                say("KVMTEST irq: %d timer IRQs (5 ms each) and 2 SGIs in %.1f ms (vcpu%d)",
                    TIMER_ROUNDS, now_ms() - t_irq, v->index);
                if (v->index != 0)
                    return 0;   /* the thread ends; the vCPU is never run again */
                /* vCPU 0 powers the VM off: only once every other vCPU has stopped running. */
                for (int i = 1; i < nvcpus; i++) {
                    if (vcpus[i].started) {
                        pthread_join(vcpus[i].thread, NULL);
                        vcpus[i].started = 0;
                    }
                }
            }
            break;
        }
        case KVM_EXIT_SYSTEM_EVENT: {
            uint32_t type = run->system_event.type;
            if (step != NSTEPS) {
                bad("vcpu%d system event %u after %u of %zu MMIO exits (PC %#" PRIx64 ")",
                    v->index, type, step, NSTEPS, get_pc(v));
                return -1;
            }
            if (type != KVM_SYSTEM_EVENT_SHUTDOWN) {
                bad("vcpu%d system event type %u, want %u (SHUTDOWN)", v->index, type,
                    KVM_SYSTEM_EVENT_SHUTDOWN);
                return -1;
            }
            ok("vcpu%d PSCI SYSTEM_OFF: KVM_EXIT_SYSTEM_EVENT type SHUTDOWN", v->index);
            return 0;
        }
        case KVM_EXIT_FAIL_ENTRY:
            bad("vcpu%d KVM_EXIT_FAIL_ENTRY, reason %#llx", v->index,
                (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
            return -1;
        case KVM_EXIT_INTERNAL_ERROR:
            bad("vcpu%d KVM_EXIT_INTERNAL_ERROR, suberror %u", v->index, run->internal.suberror);
            return -1;
        case KVM_EXIT_INTR:
            continue;
        default:
            bad("vcpu%d unexpected exit reason %u after %u MMIO exits (PC %#" PRIx64 ")",
                v->index, run->exit_reason, step, get_pc(v));
            return -1;
        }
    }
}

/*
 * ---- The MTE mode (-m) ----
 *
 * Guest RAM (2 MiB): the code at +0, the stage 1 tables at MTE_PT_OFF, and
 * at MTE_BUF_OFF buffer A (tagged by the guest), buffer B (tagged by the VMM
 * with KVM_ARM_MTE_COPY_TAGS) and the guest's scratch page, one page each.
 * The guest's MMIO writes are checked against mte_steps (built by
 * mte_build_steps, in guest.S's order); at the "sum" write the VMM checks
 * buffer A's tags three ways (what the guest reported, KVM_ARM_MTE_COPY_TAGS
 * and, with a memfd, LDG through its own PROT_MTE mapping) and writes
 * buffer B's.
 */
#define MTE_PT_OFF 0x10000ULL              /* level 1 table; level 2 at +0x1000 */
#define MTE_BUF_OFF (DATA_OFF + 0x10000ULL) /* buffer A; B at +0x1000, scratch at +0x2000 */
#define MTE_PAGE 4096u
#define MTE_GRANULES (MTE_PAGE / 16)       /* 256 tags per page */
#define MTE_IRG_GRANULES 128               /* A's granules 0..127 get IRG tags, the rest i & 15 */
#define MTE_B_DATA 0xb0b00000ULL           /* | i: the first word of buffer B's granule i */
#define MTE_SUM ((uint64_t)MTE_GRANULES * (MTE_GRANULES - 1) / 2)

static int vm_fd = -1;
static unsigned char *ram_mte;   /* memfd mode: the VMM's second mapping of guest RAM, with PROT_MTE */
static uint8_t mte_a_tags[MTE_GRANULES];   /* the tags the guest reports it set in buffer A */

static uint64_t mte_buf_ipa(int b) { return RAM_IPA + MTE_BUF_OFF + (uint64_t)b * MTE_PAGE; }
static size_t mte_buf_off(int b) { return (size_t)(MTE_BUF_OFF + (uint64_t)b * MTE_PAGE); }
static uint8_t mte_b_tag(unsigned i) { return (uint8_t)((i * 7 + 5) & 15); }   /* all 16 tags */

/* LDG at EL0 through the VMM's own pointer (ldg x0, [x0]; kvmtest is built for armv8-a). */
static unsigned host_ldg(const void *p)
{
    register uint64_t x0 __asm__("x0") = (uint64_t)(uintptr_t)p;
    __asm__ volatile(".inst 0xd9600000" : "+r"(x0) : : "memory");
    return (unsigned)(x0 >> 56) & 15;
}

static long copy_tags(uint64_t ipa, uint64_t length, uint8_t *tags, uint64_t flags)
{
    struct kvm_arm_copy_mte_tags ct;
    memset(&ct, 0, sizeof ct);
    ct.guest_ipa = ipa;
    ct.length = length;
    ct.addr = tags;
    ct.flags = flags;
    return ioctl(vm_fd, KVM_ARM_MTE_COPY_TAGS, &ct);
}

/* Read one page's tags with KVM_ARM_TAGS_FROM_GUEST and compare them with want. */
static int check_tags_from_guest(int b, const uint8_t *want, const char *when)
{
    uint8_t t[MTE_GRANULES];
    memset(t, 0xee, sizeof t);
    long r = copy_tags(mte_buf_ipa(b), MTE_PAGE, t, KVM_ARM_TAGS_FROM_GUEST);
    if (r != (long)MTE_PAGE) {
        bad("KVM_ARM_MTE_COPY_TAGS (KVM_ARM_TAGS_FROM_GUEST) of buffer %c at IPA %#" PRIx64 " returned %ld (%s), want %u",
            'A' + b, mte_buf_ipa(b), r, r < 0 ? strerror(errno) : "bytes", MTE_PAGE);
        return -1;
    }
    for (unsigned i = 0; i < MTE_GRANULES; i++) {
        if (t[i] != want[i]) {
            bad("KVM_ARM_MTE_COPY_TAGS (KVM_ARM_TAGS_FROM_GUEST) %s: buffer %c granule %u has tag %#x, want %#x",
                when, 'A' + b, i, t[i], want[i]);
            return -1;
        }
    }
    ok("KVM_ARM_MTE_COPY_TAGS (KVM_ARM_TAGS_FROM_GUEST) %s: %u bytes handled, buffer %c's %u tags are as expected",
       when, MTE_PAGE, 'A' + b, MTE_GRANULES);
    return 0;
}

/* LDG on the VMM's own PROT_MTE mapping (m) of buffer b. */
static int check_tags_host_ldg(const unsigned char *m, int b, const uint8_t *want, const char *how)
{
    const unsigned char *p = m + mte_buf_off(b);
    for (unsigned i = 0; i < MTE_GRANULES; i++) {
        unsigned t = host_ldg(p + 16 * i);
        if (t != want[i]) {
            bad("LDG through %s: buffer %c granule %u has tag %#x, want %#x", how, 'A' + b, i, t, want[i]);
            return -1;
        }
    }
    ok("LDG through %s: buffer %c's %u tags are as expected", how, 'A' + b, MTE_GRANULES);
    return 0;
}

/* At the guest's "sum" write: check buffer A from the VMM's side, write buffer B's tags. */
static int mte_vmm_phase(void)
{
    if (check_tags_from_guest(0, mte_a_tags, "after the guest tagged buffer A"))
        return -1;
    if (ram_mte && check_tags_host_ldg(ram_mte, 0, mte_a_tags, "the VMM's PROT_MTE mapping of the memfd"))
        return -1;
    for (unsigned i = 0; i < MTE_GRANULES; i++) {
        uint64_t w = *(volatile uint64_t *)(ram + mte_buf_off(0) + 16 * i);
        if (w != i) {
            bad("buffer A granule %u's first word is %#" PRIx64 " in the VMM's mapping, want %u", i, w, i);
            return -1;
        }
    }
    ok("buffer A's words written by the guest through tagged pointers are visible to the VMM");

    uint8_t t[MTE_GRANULES];
    errno = 0;
    long r = copy_tags(mte_buf_ipa(0), 16, t, KVM_ARM_TAGS_FROM_GUEST);
    if (r != -1 || errno != EINVAL) {
        bad("KVM_ARM_MTE_COPY_TAGS with a length of 16 bytes returned %ld (errno %d), want -1 with EINVAL", r, errno);
        return -1;
    }
    ok("KVM_ARM_MTE_COPY_TAGS with a length of 16 bytes: EINVAL (whole pages only)");

    for (unsigned i = 0; i < MTE_GRANULES; i++)
        t[i] = mte_b_tag(i);
    r = copy_tags(mte_buf_ipa(1), MTE_PAGE, t, KVM_ARM_TAGS_TO_GUEST);
    if (r != (long)MTE_PAGE) {
        bad("KVM_ARM_MTE_COPY_TAGS (KVM_ARM_TAGS_TO_GUEST) of buffer B at IPA %#" PRIx64 " returned %ld (%s), want %u",
            mte_buf_ipa(1), r, r < 0 ? strerror(errno) : "bytes", MTE_PAGE);
        return -1;
    }
    ok("KVM_ARM_MTE_COPY_TAGS (KVM_ARM_TAGS_TO_GUEST): %u bytes handled, buffer B's tags are (7 i + 5) & 15", MTE_PAGE);
    if (check_tags_from_guest(1, t, "of the tags just written"))
        return -1;
    if (ram_mte && check_tags_host_ldg(ram_mte, 1, t, "the VMM's PROT_MTE mapping of the memfd"))
        return -1;
    return 0;
}

/* After SYSTEM_OFF: the tags are unchanged; with private RAM, LDG after mprotect(PROT_MTE). */
static int mte_final_checks(void)
{
    uint8_t b_tags[MTE_GRANULES];
    for (unsigned i = 0; i < MTE_GRANULES; i++)
        b_tags[i] = mte_b_tag(i);
    if (check_tags_from_guest(0, mte_a_tags, "after the guest's wrong-tag accesses") ||
        check_tags_from_guest(1, b_tags, "after the guest's wrong-tag accesses"))
        return -1;
    uint64_t w = *(volatile uint64_t *)(ram + mte_buf_off(0) + 16 * 6);
    if (w != 6) {
        bad("buffer A granule 6's first word is %#" PRIx64 " after the guest's faulting store, want 6", w);
        return -1;
    }
    ok("the guest's store through a wrong tag did not write memory (buffer A granule 6 still holds 6)");
    if (ram_mte)
        return check_tags_host_ldg(ram_mte, 0, mte_a_tags, "the VMM's PROT_MTE mapping of the memfd") ||
               check_tags_host_ldg(ram_mte, 1, b_tags, "the VMM's PROT_MTE mapping of the memfd");
    /* Private RAM: the VMM's mapping becomes PROT_MTE now; KVM marked the pages tagged, so their tags stay. */
    if (mprotect(ram, ram_size, PROT_READ | PROT_WRITE | PROT_MTE) < 0) {
        bad("mprotect(guest RAM, PROT_READ | PROT_WRITE | PROT_MTE): %s (errno %d)", strerror(errno), errno);
        return -1;
    }
    return check_tags_host_ldg(ram, 0, mte_a_tags, "the VMM's private mapping after mprotect(PROT_MTE)") ||
           check_tags_host_ldg(ram, 1, b_tags, "the VMM's private mapping after mprotect(PROT_MTE)");
}

/* The stage 1 tables of the guest: 2 MiB blocks, RAM as Tagged Normal (Attr0), MMIO as Device (Attr1). */
static void mte_write_page_tables(void)
{
    uint64_t *l1 = (uint64_t *)(ram + MTE_PT_OFF), *l2 = l1 + 512;
    const uint64_t af = 1ULL << 10, sh_inner = 3ULL << 8, xn = 3ULL << 53, block = 1, table = 3;
    memset(l1, 0, 2 * MTE_PAGE);
    l1[0] = (RAM_IPA + MTE_PT_OFF + MTE_PAGE) | table;
    l2[RAM_IPA >> 21] = RAM_IPA | af | sh_inner | (0ULL << 2) | block;
    l2[MMIO_IPA >> 21] = MMIO_IPA | af | xn | (1ULL << 2) | block;
    for (unsigned i = 0; i < MTE_GRANULES; i++)
        *(uint64_t *)(ram + mte_buf_off(1) + 16 * i) = MTE_B_DATA | i;
}

enum mkind { MK_PFR1, MK_SCTLR, MK_SET, MK_LDG, MK_SUM, MK_PTR, MK_ESR, MK_FAR, MK_KEPT, MK_TCO,
             MK_BTAGS, MK_BLOAD, MK_GCR, MK_DONE };
struct mstep { uint32_t off; enum mkind kind; int arg; const char *what; };

/* The three accesses through a wrong tag (guest.S): buffer, granule, store? */
static const struct { int buf; unsigned granule; int store; const char *what; } mte_faults[3] = {
    { 0, 5, 0, "load from buffer A granule 5" },
    { 0, 6, 1, "store to buffer A granule 6" },
    { 1, 10, 0, "load from buffer B granule 10" },
};

static struct mstep mte_steps[80];
static unsigned mte_nsteps;

static void madd(uint32_t off, enum mkind kind, int arg, const char *what)
{
    mte_steps[mte_nsteps++] = (struct mstep){ off, kind, arg, what };
}

static void mte_build_steps(void)
{
    madd(0x00, MK_PFR1, 0, "ID_AA64PFR1_EL1");
    madd(0x08, MK_SCTLR, 0, "SCTLR_EL1 with the MMU and MTE on");
    for (int j = 0; j < 16; j++) {
        madd(0x10, MK_SET, j, "the tags set in buffer A");
        madd(0x18, MK_LDG, j, "buffer A's tags read by LDG");
    }
    madd(0x20, MK_SUM, 0, "the sum of buffer A's words read through tagged pointers");
    for (int f = 0; f < 2; f++) {
        madd(0x28, MK_PTR, f, "a pointer with a wrong tag");
        madd(0x30, MK_ESR, f, "ESR_EL1 of a tag check fault");
        madd(0x38, MK_FAR, f, "FAR_EL1 of a tag check fault");
    }
    madd(0x50, MK_KEPT, 0, "buffer A granule 6 after the faulting store");
    madd(0x58, MK_TCO, 0, "a load through a wrong tag with PSTATE.TCO = 1");
    for (int j = 0; j < 16; j++)
        madd(0x60, MK_BTAGS, j, "buffer B's tags read by LDG");
    madd(0x68, MK_BLOAD, 0, "buffer B granule 9 loaded through its tag");
    madd(0x28, MK_PTR, 2, "a pointer with a wrong tag");
    madd(0x30, MK_ESR, 2, "ESR_EL1 of a tag check fault");
    madd(0x38, MK_FAR, 2, "FAR_EL1 of a tag check fault");
    madd(0x70, MK_GCR, 0, "GCR_EL1");
    madd(0x40, MK_DONE, 0, "DONE");
}

/* The pointer the guest uses for wrong-tag access f: the granule's tag ^ 1. */
static uint64_t mte_fault_ptr(int f)
{
    unsigned g = mte_faults[f].granule;
    unsigned tag = mte_faults[f].buf == 0 ? mte_a_tags[g] : mte_b_tag(g);
    return (mte_buf_ipa(mte_faults[f].buf) + 16 * g) | ((uint64_t)(tag ^ 1) << 56);
}

/* Check MTE-mode MMIO write s (value got); 0 if it passed. */
static int mte_check_step(struct vcpu *v, const struct mstep *s, uint64_t got)
{
    static uint64_t set_words[16];
    static unsigned irg_seen;   /* bit t: IRG gave tag t */
    int f = s->arg;
    switch (s->kind) {
    case MK_PFR1: {
        unsigned mte = (unsigned)(got >> 8) & 15;
        if (mte < 2) {
            bad("guest ID_AA64PFR1_EL1 = %#" PRIx64 ": MTE = %u, want >= 2 (FEAT_MTE2) with KVM_CAP_ARM_MTE", got, mte);
            return -1;
        }
        ok("guest ID_AA64PFR1_EL1 = %#" PRIx64 ": MTE = %u (FEAT_MTE%u)", got, mte, mte);
        return 0;
    }
    case MK_SCTLR:
        if (!(got & 1) || !((got >> 43) & 1) || ((got >> 40) & 3) != 1) {
            bad("guest SCTLR_EL1 = %#" PRIx64 " after enabling the MMU and MTE: want M = 1, ATA = 1, TCF = 1", got);
            return -1;
        }
        ok("guest SCTLR_EL1 = %#" PRIx64 ": MMU on, ATA = 1, TCF = 1 (synchronous tag check faults at EL1)", got);
        return 0;
    case MK_SET:
        set_words[s->arg] = got;
        for (unsigned k = 0; k < 16; k++) {
            unsigned i = 16 * (unsigned)s->arg + k, t = (unsigned)(got >> (4 * k)) & 15;
            mte_a_tags[i] = (uint8_t)t;
            if (i < MTE_IRG_GRANULES) {
                irg_seen |= 1u << t;
                if (t == 0) {
                    bad("guest IRG gave tag 0 for buffer A granule %u although GCR_EL1.Exclude = 0x1 (tags %#018" PRIx64 ")",
                        i, got);
                    return -1;
                }
            } else if (t != (i & 15)) {
                bad("guest reports tag %#x set by STG in buffer A granule %u, want %#x (tags %#018" PRIx64 ")",
                    t, i, i & 15, got);
                return -1;
            }
        }
        return 0;
    case MK_LDG:
        if (got != set_words[s->arg]) {
            bad("guest LDG of buffer A granules %d..%d: tags %#018" PRIx64 ", the guest set %#018" PRIx64,
                16 * s->arg, 16 * s->arg + 15, got, set_words[s->arg]);
            return -1;
        }
        if (s->arg == 15) {
            unsigned n = 0;
            for (unsigned t = 0; t < 16; t++)
                n += (irg_seen >> t) & 1;
            if (n < 2) {
                bad("guest IRG gave the same tag for all %d granules", MTE_IRG_GRANULES);
                return -1;
            }
            ok("guest tagged buffer A at IPA %#" PRIx64 ": granules 0..%d by IRG (%u distinct tags, never 0: "
               "GCR_EL1.Exclude), %d..%d by STG with tag i & 15; LDG reads all %u back",
               mte_buf_ipa(0), MTE_IRG_GRANULES - 1, n, MTE_IRG_GRANULES, MTE_GRANULES - 1, MTE_GRANULES);
            /* With GCR_EL1.RRND = 0, IRG's tags come from RGSR_EL1's seed: the same on every implementation. */
            say("KVMTEST info: buffer A's IRG tags (RGSR_EL1.SEED 0xa5c3; 4 bits per granule, granule 16j in bits 3:0 "
                "of word j): %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64
                " %016" PRIx64 " %016" PRIx64, set_words[0], set_words[1], set_words[2], set_words[3],
                set_words[4], set_words[5], set_words[6], set_words[7]);
        }
        return 0;
    case MK_SUM:
        if (got != MTE_SUM) {
            bad("guest sum of buffer A's words read through tagged pointers = %" PRIu64 ", want %" PRIu64, got, MTE_SUM);
            return -1;
        }
        ok("guest stored and loaded buffer A's %u words through their tagged pointers without a fault (sum %" PRIu64 ")",
           MTE_GRANULES, got);
        return mte_vmm_phase();
    case MK_PTR: {
        uint64_t want = mte_fault_ptr(f);
        if (got != want) {
            bad("guest pointer for the wrong-tag %s = %#" PRIx64 ", want %#" PRIx64, mte_faults[f].what, got, want);
            return -1;
        }
        return 0;
    }
    case MK_ESR: {
        unsigned ec = (unsigned)(got >> 26) & 0x3f, il = (unsigned)(got >> 25) & 1, dfsc = (unsigned)got & 0x3f;
        unsigned wnr = (unsigned)(got >> 6) & 1, fnv = (unsigned)(got >> 10) & 1;
        if (ec != 0x25 || !il || dfsc != 0x11 || wnr != (unsigned)mte_faults[f].store || fnv) {
            bad("guest ESR_EL1 for the wrong-tag %s = %#" PRIx64 ": EC %#x IL %u DFSC %#x WnR %u FnV %u; "
                "want EC 0x25 IL 1 DFSC 0x11 (synchronous tag check fault) WnR %d FnV 0",
                mte_faults[f].what, got, ec, il, dfsc, wnr, fnv, mte_faults[f].store);
            return -1;
        }
        return 0;
    }
    case MK_FAR: {
        uint64_t want = mte_fault_ptr(f), mask = ~(0xfULL << 60);   /* FAR[63:60] are UNKNOWN */
        if ((got & mask) != (want & mask)) {
            bad("guest FAR_EL1 for the wrong-tag %s = %#" PRIx64 ", want %#" PRIx64 " (bits 59:0)",
                mte_faults[f].what, got, want);
            return -1;
        }
        ok("guest %s through %#" PRIx64 " (wrong tag): synchronous tag check fault at VBAR_EL1 + 0x200, "
           "ESR_EL1 EC 0x25 DFSC 0x11 WnR %d, FAR_EL1 %#" PRIx64,
           mte_faults[f].what, want, mte_faults[f].store, got);
        return 0;
    }
    case MK_KEPT:
        if (got != 6) {
            bad("buffer A granule 6 reads %#" PRIx64 " after the guest's faulting store, want 6", got);
            return -1;
        }
        return 0;
    case MK_TCO:
        if (got != 7) {
            bad("guest load through a wrong tag with PSTATE.TCO = 1 read %#" PRIx64 ", want 7", got);
            return -1;
        }
        ok("guest load through a wrong tag with PSTATE.TCO = 1: no fault, read 7");
        return 0;
    case MK_BTAGS:
        for (unsigned k = 0; k < 16; k++) {
            unsigned i = 16 * (unsigned)s->arg + k, t = (unsigned)(got >> (4 * k)) & 15;
            if (t != mte_b_tag(i)) {
                bad("guest LDG of buffer B granule %u (tags set by KVM_ARM_TAGS_TO_GUEST): %#x, want %#x",
                    i, t, mte_b_tag(i));
                return -1;
            }
        }
        if (s->arg == 15)
            ok("guest LDG reads the %u tags of buffer B that the VMM wrote with KVM_ARM_TAGS_TO_GUEST", MTE_GRANULES);
        return 0;
    case MK_BLOAD:
        if (got != (MTE_B_DATA | 9)) {
            bad("guest load from buffer B granule 9 through its tag = %#" PRIx64 ", want %#llx", got, MTE_B_DATA | 9);
            return -1;
        }
        ok("guest load from buffer B granule 9 through the tag the VMM set: %#" PRIx64 ", no fault", got);
        return 0;
    case MK_GCR:
        if (got != 1) {
            bad("guest GCR_EL1 = %#" PRIx64 " at the end, want 0x1 (kept across the exits to the VMM)", got);
            return -1;
        }
        ok("guest GCR_EL1 = 0x1 at the end (kept across %d exits to the VMM)", (int)(s - mte_steps));
        return 0;
    case MK_DONE:
        if (got != DONE_VALUE) {
            bad("guest DONE write = %#" PRIx64, got);
            return -1;
        }
        return 0;
    }
    (void)v;
    return -1;
}

static int run_vcpu_mte(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    const uint64_t base = MMIO_IPA;
    unsigned step = 0;

    mte_build_steps();
    for (;;) {
        if (ioctl(v->fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            bad("vcpu0 KVM_RUN: %s (errno %d) after %u MMIO exits, PC %#" PRIx64,
                strerror(errno), errno, step, get_pc(v));
            return -1;
        }
        switch (run->exit_reason) {
        case KVM_EXIT_MMIO: {
            uint64_t addr = run->mmio.phys_addr;
            uint32_t len = run->mmio.len;
            int is_write = run->mmio.is_write;
            uint64_t val = le_value(run->mmio.data, len);
            const struct mstep *s = step < mte_nsteps ? &mte_steps[step] : NULL;
            if (addr == base + OFF_PSCI_RET && is_write && len == 8) {
                bad("vcpu0 PSCI SYSTEM_OFF returned %#" PRIx64 " to the guest", val);
                return -1;
            }
            if ((addr == base + OFF_EXCEPTION || (addr == base + 0x30 && (!s || s->kind != MK_ESR))) &&
                is_write && len == 8) {
                uint64_t elr = ~0ULL;
                struct kvm_one_reg reg = { .id = CORE_REG(elr_el1), .addr = (uint64_t)(uintptr_t)&elr };
                (void)ioctl(v->fd, KVM_GET_ONE_REG, &reg);
                if (addr == base + OFF_EXCEPTION)
                    bad("vcpu0 unexpected guest exception: vector offset %#" PRIx64 ", ESR_EL1 %#" PRIx64
                        ", ELR_EL1 %#" PRIx64 " (guest code offset %#" PRIx64 "), at MMIO step %u (%s)",
                        val >> 32, val & 0xffffffffULL, elr, elr - RAM_IPA, step, s ? s->what : "-");
                else
                    bad("vcpu0 unexpected tag check fault in the guest: ESR_EL1 %#" PRIx64 ", ELR_EL1 %#" PRIx64
                        " (guest code offset %#" PRIx64 "), at MMIO step %u (%s)",
                        val, elr, elr - RAM_IPA, step, s ? s->what : "-");
                return -1;
            }
            if (!s) {
                bad("vcpu0 unexpected MMIO %s of %u bytes at %#" PRIx64 " after DONE",
                    is_write ? "write" : "read", len, addr);
                return -1;
            }
            if (addr != base + s->off || len != 8 || !is_write) {
                bad("vcpu0 MTE step %u (%s): got MMIO %s of %u bytes at %#" PRIx64
                    ", want a write of 8 bytes at %#" PRIx64 " (PC %#" PRIx64 ")",
                    step, s->what, is_write ? "write" : "read", len, addr, base + s->off, get_pc(v));
                return -1;
            }
            if (mte_check_step(v, s, val))
                return -1;
            step++;
            cur_step[0] = step;
            break;
        }
        case KVM_EXIT_SYSTEM_EVENT: {
            uint32_t type = run->system_event.type;
            if (step != mte_nsteps) {
                bad("vcpu0 system event %u after %u of %u MMIO exits (PC %#" PRIx64 ")",
                    type, step, mte_nsteps, get_pc(v));
                return -1;
            }
            if (type != KVM_SYSTEM_EVENT_SHUTDOWN) {
                bad("vcpu0 system event type %u, want %u (SHUTDOWN)", type, KVM_SYSTEM_EVENT_SHUTDOWN);
                return -1;
            }
            ok("vcpu0 PSCI SYSTEM_OFF: KVM_EXIT_SYSTEM_EVENT type SHUTDOWN");
            return mte_final_checks();
        }
        case KVM_EXIT_FAIL_ENTRY:
            bad("vcpu0 KVM_EXIT_FAIL_ENTRY, reason %#llx",
                (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
            return -1;
        case KVM_EXIT_INTERNAL_ERROR:
            bad("vcpu0 KVM_EXIT_INTERNAL_ERROR, suberror %u", run->internal.suberror);
            return -1;
        case KVM_EXIT_INTR:
            continue;
        default:
            bad("vcpu0 unexpected exit reason %u after %u MMIO exits (PC %#" PRIx64 ")",
                run->exit_reason, step, get_pc(v));
            return -1;
        }
    }
}

static void *vcpu_thread(void *arg)
{
    run_vcpu(arg);
    return NULL;
}

static void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [-c VCPUS (1..%d)] [-n ITERATIONS (>= 1)] [-t TIMEOUT_SECONDS] [-s | -m [-p]]\n",
            argv0, MAX_VCPUS);
    exit(2);
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "c:n:t:smph")) != -1) {
        char *end;
        switch (opt) {
        case 'c':
            nvcpus = (int)strtol(optarg, &end, 0);
            if (*end || nvcpus < 1 || nvcpus > MAX_VCPUS)
                usage(argv[0]);
            break;
        case 'n':
            iterations = strtoull(optarg, &end, 0);
            if (*end || iterations < 1)
                usage(argv[0]);
            break;
        case 't':
            timeout_s = (unsigned)strtoul(optarg, &end, 0);
            if (*end)
                usage(argv[0]);
            break;
        case 's':
            serror_mode = 1;
            break;
        case 'm':
            mte_mode = 1;
            break;
        case 'p':
            mte_private = 1;
            break;
        default:
            usage(argv[0]);
        }
    }
    if (optind != argc || ((serror_mode || mte_mode) && nvcpus != 1) || (serror_mode && mte_mode) ||
        (mte_private && !mte_mode))
        usage(argv[0]);

    snprintf(timeout_msg, sizeof timeout_msg, "KVMTEST FAIL: timeout: no result after %u s\n", timeout_s);
    signal(SIGALRM, on_alarm);
    alarm(timeout_s);

    if (mte_mode)
        say("KVMTEST start: MTE mode, 1 vCPU, guest RAM %s", mte_private ?
            "private anonymous memory (-p)" : "a memfd mapped MAP_SHARED");
    else
        say("KVMTEST start: %d vCPU(s), %" PRIu64 " loop iterations", nvcpus, iterations);

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        die_errno("open /dev/kvm");
    ok("opened /dev/kvm");

    int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (api < 0)
        die_errno("KVM_GET_API_VERSION");
    if (api != KVM_API_VERSION) {
        bad("KVM_GET_API_VERSION is %d, want %d", api, KVM_API_VERSION);
        return finish();
    }
    ok("KVM_GET_API_VERSION = %d", api);

    if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0) {
        bad("KVM_CAP_USER_MEMORY not supported");
        return finish();
    }
    if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PSCI_0_2) <= 0) {
        bad("KVM_CAP_ARM_PSCI_0_2 not supported");
        return finish();
    }
    int max_vcpus = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
    if (max_vcpus > 0 && nvcpus > max_vcpus) {
        bad("%d vCPUs asked for, KVM_CAP_MAX_VCPUS is %d", nvcpus, max_vcpus);
        return finish();
    }
    ok("KVM_CAP_USER_MEMORY, KVM_CAP_ARM_PSCI_0_2; KVM_CAP_MAX_VCPUS = %d", max_vcpus);

    /* Type 0 means a 40-bit IPA space, which KVM refuses if the host's limit is lower. */
    int ipa = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
    unsigned long vm_type = (ipa > 0 && ipa < 40) ? KVM_VM_TYPE_ARM_IPA_SIZE(ipa) : 0;
    int vm = ioctl(kvm, KVM_CREATE_VM, vm_type);
    if (vm < 0)
        die_errno("KVM_CREATE_VM");
    ok("KVM_CREATE_VM (KVM_CAP_ARM_VM_IPA_SIZE = %d, VM type %lu)", ipa, vm_type);
    vm_fd = vm;

    if (mte_mode) {
        /* Before any vCPU exists (KVM refuses it later), and before the memslot, which it checks. */
        int mte = ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_MTE);
        if (mte <= 0) {
            bad("KVM_CAP_ARM_MTE is not supported (KVM_CHECK_EXTENSION = %d): the host kernel offers no MTE to guests", mte);
            return finish();
        }
        struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_MTE };
        if (ioctl(vm, KVM_ENABLE_CAP, &cap) < 0)
            die_errno("KVM_ENABLE_CAP KVM_CAP_ARM_MTE");
        ok("KVM_CAP_ARM_MTE enabled on the VM (KVM_CHECK_EXTENSION = %d)", mte);
    }

    ram_size = DATA_OFF + (size_t)nvcpus * DATA_SIZE;
    ram_size = (ram_size + 0x1fffff) & ~(size_t)0x1fffff;
    if (mte_mode && !mte_private) {
        /*
         * A memfd (shmem, so MTE-capable): KVM uses a plain MAP_SHARED mapping
         * of it, as a VMM such as QEMU does; the VMM looks at the tags through
         * a second mapping with PROT_MTE.
         */
        int memfd = memfd_create("kvmtest-ram", MFD_CLOEXEC);
        if (memfd < 0)
            die_errno("memfd_create");
        if (ftruncate(memfd, (off_t)ram_size) < 0)
            die_errno("ftruncate memfd");
        ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
        if (ram == MAP_FAILED)
            die_errno("mmap memfd guest RAM (MAP_SHARED)");
        ram_mte = mmap(NULL, ram_size, PROT_READ | PROT_WRITE | PROT_MTE, MAP_SHARED, memfd, 0);
        if (ram_mte == MAP_FAILED)
            die_errno("mmap memfd guest RAM (MAP_SHARED, PROT_MTE)");
        ok("guest RAM: a %zu KiB memfd, mapped MAP_SHARED for KVM and again with PROT_MTE for the VMM",
           ram_size >> 10);
    } else {
        ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (ram == MAP_FAILED)
            die_errno("mmap guest RAM");
    }
    size_t code_size = (size_t)(kvmtest_guest_end - kvmtest_guest_start);
    memcpy(ram, kvmtest_guest_start, code_size);
    for (int i = 0; i < nvcpus; i++)
        data_host(i)[0] = RAM_MAGIC | (uint64_t)i;
    if (mte_mode)
        mte_write_page_tables();
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .flags = 0,
        .guest_phys_addr = RAM_IPA,
        .memory_size = ram_size,
        .userspace_addr = (uint64_t)(uintptr_t)ram,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
        if (mte_mode && !mte_private && errno == EINVAL) {
            bad("KVM_SET_USER_MEMORY_REGION: %s (errno %d): this KVM refuses MAP_SHARED guest RAM in a VM "
                "with MTE (Linux before 6.2; -p uses private memory)", strerror(errno), errno);
            return finish();
        }
        die_errno("KVM_SET_USER_MEMORY_REGION");
    }
    ok("KVM_SET_USER_MEMORY_REGION: %zu KiB at IPA %#llx, %zu bytes of guest code",
       ram_size >> 10, (unsigned long long)RAM_IPA, code_size);

    int ms = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (ms < (int)sizeof(struct kvm_run))
        die_errno("KVM_GET_VCPU_MMAP_SIZE");
    mmap_size = (size_t)ms;

    struct kvm_vcpu_init init;
    memset(&init, 0, sizeof init);
    if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
        die_errno("KVM_ARM_PREFERRED_TARGET");
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;

    host_cntfrq = read_cntfrq();
    cnt_before_vcpus = host_cntvct();
    for (int i = 0; i < nvcpus; i++) {
        struct vcpu *v = &vcpus[i];
        char what[64];
        v->index = i;
        v->fd = ioctl(vm, KVM_CREATE_VCPU, i);
        snprintf(what, sizeof what, "vcpu%d KVM_CREATE_VCPU", i);
        if (v->fd < 0)
            die_errno(what);
        v->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
        snprintf(what, sizeof what, "vcpu%d mmap kvm_run", i);
        if (v->run == MAP_FAILED)
            die_errno(what);
        snprintf(what, sizeof what, "vcpu%d KVM_ARM_VCPU_INIT", i);
        if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) < 0)
            die_errno(what);
        uint64_t sp = RAM_IPA + ram_size - (uint64_t)i * 0x1000;
        uint64_t entry = RAM_IPA;
        if (serror_mode)
            entry += (uint64_t)(kvmtest_serror_entry - kvmtest_guest_start);
        if (mte_mode)
            entry += (uint64_t)(kvmtest_mte_entry - kvmtest_guest_start);
        /* MTE mode: x1 = buffer A, x2 = TTBR0_EL1 (the stage 1 tables). */
        uint64_t x1 = mte_mode ? mte_buf_ipa(0) : data_ipa(i);
        uint64_t x2 = mte_mode ? RAM_IPA + MTE_PT_OFF : iterations;
        if (set_reg(v, CORE_REG(regs.pc), entry, "pc") ||
            set_reg(v, CORE_REG(regs.pstate), PSTATE_EL1H_DAIF, "pstate") ||
            set_reg(v, CORE_REG(sp_el1), sp, "sp_el1") ||
            set_reg(v, CORE_REG(regs.regs[0]), MMIO_IPA + (uint64_t)i * MMIO_STRIDE, "x0") ||
            set_reg(v, CORE_REG(regs.regs[1]), x1, "x1") ||
            set_reg(v, CORE_REG(regs.regs[2]), x2, "x2") ||
            set_reg(v, CORE_REG(regs.regs[3]), (uint64_t)i, "x3") ||
            set_reg(v, CORE_REG(regs.regs[4]), GICD_IPA, "x4") ||
            set_reg(v, CORE_REG(regs.regs[5]), GICR_IPA + (uint64_t)i * GICR_STRIDE, "x5") ||
            set_reg(v, CORE_REG(regs.regs[6]), (uint64_t)((i + 1) % nvcpus), "x6"))
            return finish();
        uint64_t pc = get_pc(v);
        if (pc != entry) {
            bad("vcpu%d PC reads back as %#" PRIx64 ", want %#llx", i, pc, (unsigned long long)entry);
            return finish();
        }
        ok("vcpu%d created (target %u, PSCI 0.2), PC %#llx, MMIO at %#llx, data at %#" PRIx64,
           i, init.target, (unsigned long long)entry,
           (unsigned long long)(MMIO_IPA + (uint64_t)i * MMIO_STRIDE), x1);
    }

    /*
     * The in-kernel vGICv3, after the vCPUs (KVM sizes the redistributor
     * region by their number): distributor and redistributor addresses, the
     * number of interrupts, then KVM_DEV_ARM_VGIC_CTRL_INIT.
     */
    struct kvm_create_device gic = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
    if (ioctl(vm, KVM_CREATE_DEVICE, &gic) < 0)
        die_errno("KVM_CREATE_DEVICE KVM_DEV_TYPE_ARM_VGIC_V3");
    uint64_t gicd = GICD_IPA, gicr = GICR_IPA;
    uint32_t nr_irqs = GIC_NR_IRQS;
    struct kvm_device_attr attr = {
        .group = KVM_DEV_ARM_VGIC_GRP_ADDR, .attr = KVM_VGIC_V3_ADDR_TYPE_DIST,
        .addr = (uint64_t)(uintptr_t)&gicd,
    };
    if (ioctl(gic.fd, KVM_SET_DEVICE_ATTR, &attr) < 0)
        die_errno("vGICv3 KVM_VGIC_V3_ADDR_TYPE_DIST");
    attr.attr = KVM_VGIC_V3_ADDR_TYPE_REDIST;
    attr.addr = (uint64_t)(uintptr_t)&gicr;
    if (ioctl(gic.fd, KVM_SET_DEVICE_ATTR, &attr) < 0)
        die_errno("vGICv3 KVM_VGIC_V3_ADDR_TYPE_REDIST");
    attr.group = KVM_DEV_ARM_VGIC_GRP_NR_IRQS;
    attr.attr = 0;
    attr.addr = (uint64_t)(uintptr_t)&nr_irqs;
    if (ioctl(gic.fd, KVM_SET_DEVICE_ATTR, &attr) < 0)
        die_errno("vGICv3 KVM_DEV_ARM_VGIC_GRP_NR_IRQS");
    attr.group = KVM_DEV_ARM_VGIC_GRP_CTRL;
    attr.attr = KVM_DEV_ARM_VGIC_CTRL_INIT;
    attr.addr = 0;
    if (ioctl(gic.fd, KVM_SET_DEVICE_ATTR, &attr) < 0)
        die_errno("vGICv3 KVM_DEV_ARM_VGIC_CTRL_INIT");
    ok("in-kernel vGICv3 (KVM_CREATE_DEVICE): distributor at %#llx, %d redistributor(s) at %#llx, %u IRQs, initialized",
       GICD_IPA, nvcpus, GICR_IPA, nr_irqs);

    double t0 = now_ms();
    if (mte_mode) {
        run_vcpu_mte(&vcpus[0]);
        if (!failed())
            say("KVMTEST info: the MTE guest ran to SYSTEM_OFF in %.1f ms", now_ms() - t0);
        return finish();
    }
    for (int i = 1; i < nvcpus; i++) {
        int err = pthread_create(&vcpus[i].thread, NULL, vcpu_thread, &vcpus[i]);
        if (err) {
            errno = err;
            die_errno("pthread_create");
        }
        vcpus[i].started = 1;
    }
    run_vcpu(&vcpus[0]);
    for (int i = 1; i < nvcpus; i++) {
        if (vcpus[i].started) {
            /* vCPU 0 failed early; the others finish (or the timeout fires). */
            pthread_join(vcpus[i].thread, NULL);
            vcpus[i].started = 0;
        }
    }
    double t1 = now_ms();
    if (!failed())
        say("KVMTEST info: %d vCPU(s) ran to SYSTEM_OFF in %.1f ms", nvcpus, t1 - t0);
    return finish();
}
