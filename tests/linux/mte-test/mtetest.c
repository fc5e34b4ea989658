/*
 * mtetest: the user-space MTE (FEAT_MTE2 / FEAT_MTE3) test of hypsim's Linux
 * tests (arm64, static).
 *
 * It uses only the kernel's documented MTE ABI
 * (Documentation/arch/arm64/memory-tagging-extension.rst):
 *   - feature reporting: "mte" and "mte3" in every /proc/cpuinfo Features
 *     line, HWCAP2_MTE and HWCAP2_MTE3 in AT_HWCAP2, and the MTE field of
 *     ID_AA64PFR1_EL1 as the kernel's MRS emulation shows it;
 *   - prctl(PR_SET_TAGGED_ADDR_CTRL) with the tag check mode (none, sync,
 *     async, and sync|async, which is asymmetric when the CPU's
 *     mte_tcf_preferred is "asymm") and the IRG include mask;
 *   - mmap/mprotect with PROT_MTE (and the "mt" VmFlag in /proc/self/smaps);
 *   - the EL0 MTE instructions IRG, GMI, ADDG, SUBG, SUBP, STG (plain,
 *     post-index), STZG, ST2G, STZ2G, STGP, LDG, DC GVA, DC GZVA and
 *     MSR/MRS TCO; LDGM must be UNDEFINED at EL0 (SIGILL);
 *   - tag check faults: SIGSEGV with si_code SEGV_MTESERR (synchronous; with
 *     SA_EXPOSE_TAGBITS si_addr keeps the pointer's tag bits 59:56, without
 *     it they are cleared) and SEGV_MTEAERR (asynchronous: the kernel reads
 *     TFSRE0_EL1 on its next entry from EL0 and sends it, si_addr 0), the
 *     tag checks of the kernel's uaccess (LDTR) in sync mode (EFAULT), tags
 *     copied on fork (copy-on-write) and untagged (non-PROT_MTE) memory,
 *     where STG is ignored, LDG reads 0 and nothing is checked.
 *
 * Every instruction under test runs with SIGSEGV/SIGILL/SIGBUS handlers armed
 * (sigsetjmp), so a missing instruction or an unexpected fault is reported
 * as a failed check instead of killing the program.
 *
 * Output: one "mtetest: <check> ok[ (detail)]" line per passed check,
 * "mtetest: <check> bad (detail)" for a failed one, some "mtetest: info: ..."
 * lines, and finally "mtetest: PASS" (exit 0) or
 * "mtetest: FAIL <first failed check> (N of M checks failed)" (exit 1).
 * Without MTE in the hwcaps it stops after the feature checks (exit 1).
 * A run that hangs prints "mtetest: FAIL timeout after N s" and exits 2.
 *
 * Usage: mtetest [-t TIMEOUT_SECONDS] (default 300)
 *
 * Built by tests/linux/mte-test/build.sh (see tests/linux/README.md).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* The uAPI values, in case the headers are older than the kernel. */
#ifndef PROT_MTE
#define PROT_MTE 0x20
#endif
#ifndef HWCAP2_MTE
#define HWCAP2_MTE (1UL << 18)
#endif
#ifndef HWCAP2_MTE3
#define HWCAP2_MTE3 (1UL << 22)
#endif
#ifndef SEGV_MTEAERR
#define SEGV_MTEAERR 8
#endif
#ifndef SEGV_MTESERR
#define SEGV_MTESERR 9
#endif
#ifndef SA_EXPOSE_TAGBITS
#define SA_EXPOSE_TAGBITS 0x00000800
#endif
#ifndef PR_SET_TAGGED_ADDR_CTRL
#define PR_SET_TAGGED_ADDR_CTRL 55
#define PR_GET_TAGGED_ADDR_CTRL 56
#endif
#ifndef PR_TAGGED_ADDR_ENABLE
#define PR_TAGGED_ADDR_ENABLE (1UL << 0)
#endif
#ifndef PR_MTE_TCF_SHIFT
#define PR_MTE_TCF_SHIFT 1
#define PR_MTE_TCF_NONE (0UL << PR_MTE_TCF_SHIFT)
#define PR_MTE_TCF_SYNC (1UL << PR_MTE_TCF_SHIFT)
#define PR_MTE_TCF_ASYNC (2UL << PR_MTE_TCF_SHIFT)
#define PR_MTE_TAG_SHIFT 3
#endif

#define GRANULE 16UL
#define PAGE 4096UL
#define NPAGES 8

/* ---------------------------------------------------------------- results */

static int nchecks, nfails;
static char first_fail[160];

static void check(int ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void check(int ok, const char *name, const char *fmt, ...)
{
    char detail[320] = "";
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    nchecks++;
    if (ok) {
        printf("mtetest: %s ok%s%s%s\n", name, *detail ? " (" : "", detail, *detail ? ")" : "");
    } else {
        nfails++;
        if (!first_fail[0])
            snprintf(first_fail, sizeof first_fail, "%s", name);
        printf("mtetest: %s bad (%s)\n", name, *detail ? detail : "failed");
    }
}

static void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("mtetest: info: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

/* --------------------------------------------------------------- signals */

static sigjmp_buf jb;
static volatile sig_atomic_t armed;     /* siglongjmp(jb) on SIGSEGV/SIGILL/SIGBUS */
static volatile sig_atomic_t async_ok;  /* SEGV_MTEAERR: record it and return */
static volatile sig_atomic_t sig_no, sig_code, sig_count, aerr_count;
static void *volatile sig_addr;

static void put_hex(char *p, uint64_t v)
{
    for (int i = 15; i >= 0; i--, v >>= 4)
        p[i] = "0123456789abcdef"[v & 15];
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (sig == SIGSEGV && si->si_code == SEGV_MTEAERR && async_ok) {
        aerr_count++;
        sig_no = sig;
        sig_code = si->si_code;
        sig_addr = si->si_addr;
        return;
    }
    sig_no = sig;
    sig_code = si->si_code;
    sig_addr = si->si_addr;
    sig_count++;
    if (armed) {
        armed = 0;
        siglongjmp(jb, 1);
    }
    /* Not expected here: say so and stop (returning would fault again). */
    char msg[] = "mtetest: FAIL unexpected signal SS code CC at 0x................\n";
    msg[32] = (char)('0' + sig / 10 % 10);
    msg[33] = (char)('0' + sig % 10);
    msg[40] = (char)('0' + si->si_code / 10 % 10);
    msg[41] = (char)('0' + si->si_code % 10);
    put_hex(msg + 47, (uint64_t)(uintptr_t)si->si_addr);
    if (write(1, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    _exit(1);
}

static void install_handlers(int expose_tagbits)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | (expose_tagbits ? SA_EXPOSE_TAGBITS : 0);
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

static void reset_sig(void)
{
    sig_no = 0;
    sig_code = 0;
    sig_addr = NULL;
    sig_count = 0;
    aerr_count = 0;
}

/*
 * PROTECT(stmts): run stmts with the fault handlers armed.  Evaluates to 0 if
 * they completed, or to the signal number that interrupted them (sig_code and
 * sig_addr then say why and where).  A non-volatile local assigned inside is
 * indeterminate after a fault (siglongjmp), so only volatile ones are relied
 * on in that case (build.sh passes -Wno-clobbered); the others only show up
 * in the details of a failed check.
 */
#define PROTECT(...)                                   \
    ({                                                 \
        int prot_sig_ = 0;                             \
        reset_sig();                                   \
        if (sigsetjmp(jb, 1) == 0) {                   \
            armed = 1;                                 \
            __VA_ARGS__;                               \
            armed = 0;                                 \
        } else {                                       \
            prot_sig_ = sig_no;                        \
        }                                              \
        prot_sig_;                                     \
    })

static const char *sig_name(int sig, int code)
{
    static char buf[64];
    if (sig == 0)
        return "no signal";
    if (sig == SIGSEGV && code == SEGV_MTESERR)
        return "SIGSEGV SEGV_MTESERR";
    if (sig == SIGSEGV && code == SEGV_MTEAERR)
        return "SIGSEGV SEGV_MTEAERR";
    snprintf(buf, sizeof buf, "signal %d si_code %d", sig, code);
    return buf;
}

static volatile sig_atomic_t timeout_s = 300;

static void on_alarm(int sig)
{
    (void)sig;
    char msg[] = "mtetest: FAIL timeout after NNN s\n";
    int t = timeout_s;
    msg[28] = (char)('0' + t / 100 % 10);
    msg[29] = (char)('0' + t / 10 % 10);
    msg[30] = (char)('0' + t % 10);
    if (write(1, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    _exit(2);
}

/* ---------------------------------------------------------- instructions */

static inline unsigned tag_of(const void *p)
{
    return (unsigned)(((uintptr_t)p >> 56) & 0xf);
}

static inline void *with_tag(const void *p, unsigned t)
{
    return (void *)(((uintptr_t)p & ~(0xfUL << 56)) | ((uintptr_t)(t & 0xf) << 56));
}

static inline void *untagged(const void *p)
{
    return (void *)((uintptr_t)p & ((1UL << 56) - 1));
}

static inline void *irg(void *p, uint64_t excl)
{
    void *r;
    __asm__ volatile("irg %0, %1, %2" : "=r"(r) : "r"(p), "r"(excl));
    return r;
}

static inline uint64_t gmi(void *p, uint64_t mask)
{
    uint64_t r;
    __asm__ volatile("gmi %0, %1, %2" : "=r"(r) : "r"(p), "r"(mask));
    return r;
}

static inline int64_t subp(void *a, void *b)
{
    int64_t r;
    __asm__ volatile("subp %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

#define ADDG(p, uimm6, uimm4)                                                         \
    ({                                                                               \
        void *addg_r_;                                                               \
        __asm__ volatile("addg %0, %1, #" #uimm6 ", #" #uimm4 : "=r"(addg_r_) : "r"(p)); \
        addg_r_;                                                                     \
    })
#define SUBG(p, uimm6, uimm4)                                                         \
    ({                                                                               \
        void *subg_r_;                                                               \
        __asm__ volatile("subg %0, %1, #" #uimm6 ", #" #uimm4 : "=r"(subg_r_) : "r"(p)); \
        subg_r_;                                                                     \
    })

/* Set the allocation tag of p's granule to p's logical tag. */
static inline void stg(void *p) { __asm__ volatile("stg %0, [%0]" : : "r"(p) : "memory"); }
static inline void st2g(void *p) { __asm__ volatile("st2g %0, [%0]" : : "r"(p) : "memory"); }
static inline void stzg(void *p) { __asm__ volatile("stzg %0, [%0]" : : "r"(p) : "memory"); }
static inline void stz2g(void *p) { __asm__ volatile("stz2g %0, [%0]" : : "r"(p) : "memory"); }

static inline void stgp(void *p, uint64_t a, uint64_t b)
{
    __asm__ volatile("stgp %1, %2, [%0]" : : "r"(p), "r"(a), "r"(b) : "memory");
}

/* STG with post-index: tags the granule at p, returns p + 16. */
static inline void *stg_post(void *p)
{
    __asm__ volatile("stg %0, [%0], #16" : "+r"(p) : : "memory");
    return p;
}

/* The allocation tag of p's granule (LDG keeps Xt's other bits). */
static inline unsigned ldg_tag(const void *p)
{
    uintptr_t r = 0;
    __asm__ volatile("ldg %0, [%1]" : "+r"(r) : "r"(p) : "memory");
    return tag_of((void *)r);
}

/* LDG with a +16 offset: the tag of the next granule. */
static inline unsigned ldg_tag_next(const void *p)
{
    uintptr_t r = 0;
    __asm__ volatile("ldg %0, [%1, #16]" : "+r"(r) : "r"(p) : "memory");
    return tag_of((void *)r);
}

static inline uint64_t load64(const void *p)
{
    uint64_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static inline void store64(void *p, uint64_t v)
{
    __asm__ volatile("str %1, [%0]" : : "r"(p), "r"(v) : "memory");
}

/* A 16-byte load pair (crosses a granule boundary when p is 8 mod 16). */
static inline uint64_t loadpair(const void *p)
{
    uint64_t a, b;
    __asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(p) : "memory");
    return a ^ b;
}

static inline void set_tco(int on)
{
    if (on)
        __asm__ volatile("msr tco, #1" : : : "memory");
    else
        __asm__ volatile("msr tco, #0" : : : "memory");
}

static inline uint64_t get_tco(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, tco" : "=r"(v));
    return v;
}

static inline uint64_t read_dczid(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, dczid_el0" : "=r"(v));
    return v;
}

static inline void dc_gva(void *p) { __asm__ volatile("dc gva, %0" : : "r"(p) : "memory"); }
static inline void dc_gzva(void *p) { __asm__ volatile("dc gzva, %0" : : "r"(p) : "memory"); }

static inline uint64_t ldgm(const void *p)
{
    uint64_t v;
    __asm__ volatile("ldgm %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

/* ID_AA64PFR1_EL1 as the kernel emulates MRS at EL0 (HWCAP_CPUID). */
static inline uint64_t read_pfr1(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, S3_0_C0_C4_1" : "=r"(v));
    return v;
}

/* A tag that is neither t nor 0. */
static unsigned other_tag(unsigned t)
{
    return t % 15 + 1;
}

/* ------------------------------------------------------------------ setup */

static int set_ctrl(unsigned long tcf, unsigned long incl)
{
    unsigned long v = PR_TAGGED_ADDR_ENABLE | tcf | (incl << PR_MTE_TAG_SHIFT);
    if (prctl(PR_SET_TAGGED_ADDR_CTRL, v, 0, 0, 0) != 0) {
        check(0, "prctl PR_SET_TAGGED_ADDR_CTRL", "0x%lx: %s (errno %d)", v, strerror(errno), errno);
        return -1;
    }
    return 0;
}

static long get_ctrl(void)
{
    return prctl(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0);
}

/* Does every "Features" line of /proc/cpuinfo have the word w? */
static int cpuinfo_has(const char *w, int *nlines)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[4096];
    int all = 1;
    *nlines = 0;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Features", 8) != 0)
            continue;
        (*nlines)++;
        int found = 0;
        char *save = NULL;
        char *c = strchr(line, ':');
        for (char *tok = strtok_r(c ? c + 1 : line, " \t\n", &save); tok;
             tok = strtok_r(NULL, " \t\n", &save))
            if (strcmp(tok, w) == 0)
                found = 1;
        if (!found)
            all = 0;
    }
    fclose(f);
    return all && *nlines > 0;
}

/* The VmFlags line of the smaps entry that covers addr. */
static int smaps_flags(const void *addr, char *out, size_t outsz)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    int in = 0;
    uintptr_t a = (uintptr_t)untagged(addr);
    out[0] = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, ' ') > strchr(line, '-')) {
            in = a >= lo && a < hi;
            continue;
        }
        if (in && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(out, outsz, "%s", line + 8);
            out[strcspn(out, "\n")] = 0;
            fclose(f);
            return 0;
        }
    }
    fclose(f);
    return -1;
}

static int has_word(const char *s, const char *w)
{
    char buf[512];
    char *save = NULL;
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
        if (strcmp(tok, w) == 0)
            return 1;
    return 0;
}

/* Write val to /sys/devices/system/cpu/cpu<N>/mte_tcf_preferred for every CPU. */
static int set_preferred(const char *val, int *ncpus)
{
    int n = 0, err = 0;
    DIR *d = opendir("/sys/devices/system/cpu");
    struct dirent *e;
    if (!d)
        return -1;
    while ((e = readdir(d))) {
        char path[300];
        if (strncmp(e->d_name, "cpu", 3) != 0 || e->d_name[3] < '0' || e->d_name[3] > '9')
            continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/%s/mte_tcf_preferred", e->d_name);
        int fd = open(path, O_WRONLY);
        if (fd < 0) {
            err = -1;
            continue;
        }
        if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
            err = -1;
        close(fd);
        n++;
    }
    closedir(d);
    *ncpus = n;
    return n ? err : -1;
}

static void read_preferred(char *out, size_t outsz)
{
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/mte_tcf_preferred", "r");
    out[0] = 0;
    if (f) {
        if (!fgets(out, (int)outsz, f))
            out[0] = 0;
        fclose(f);
    }
    out[strcspn(out, "\n")] = 0;
}

/* ------------------------------------------------------------------ tests */

static void test_features(int *have_mte, int *have_mte3)
{
    int n1, n3;
    int c_mte = cpuinfo_has("mte", &n1);
    int c_mte3 = cpuinfo_has("mte3", &n3);
    check(c_mte, "cpuinfo mte", "%d Features line(s)", n1);
    check(c_mte3, "cpuinfo mte3", "%d Features line(s)", n3);

    unsigned long hw2 = getauxval(AT_HWCAP2);
    *have_mte = (hw2 & HWCAP2_MTE) != 0;
    *have_mte3 = (hw2 & HWCAP2_MTE3) != 0;
    check(*have_mte, "hwcap2 HWCAP2_MTE", "AT_HWCAP2 0x%lx", hw2);
    check(*have_mte3, "hwcap2 HWCAP2_MTE3", "AT_HWCAP2 0x%lx", hw2);
    if (getauxval(AT_HWCAP) & (1UL << 11)) { /* HWCAP_CPUID */
        uint64_t pfr1 = read_pfr1();
        unsigned mte = (unsigned)(pfr1 >> 8) & 0xf;
        check(mte >= 2 && (!*have_mte3 || mte >= 3), "ID_AA64PFR1_EL1.MTE",
              "MRS ID_AA64PFR1_EL1 = 0x%016" PRIx64 ", MTE field %u", pfr1, mte);
    }
}

static void test_prctl(void)
{
    long before = get_ctrl();
    info("PR_GET_TAGGED_ADDR_CTRL at start: 0x%lx", before);
    if (set_ctrl(PR_MTE_TCF_SYNC, 0xfffe) == 0) {
        long v = get_ctrl();
        long want = (long)(PR_TAGGED_ADDR_ENABLE | PR_MTE_TCF_SYNC | (0xfffeUL << PR_MTE_TAG_SHIFT));
        check(v == want, "prctl sync, include mask 0xfffe", "PR_GET_TAGGED_ADDR_CTRL 0x%lx, want 0x%lx", v, want);
    }
}

static void test_tag_instructions(char *buf)
{
    int s;

    /* A fresh PROT_MTE mapping has all tags 0. */
    unsigned nonzero = 0, first = 0;
    s = PROTECT(for (unsigned i = 0; i < PAGE / GRANULE; i++) {
        unsigned t = ldg_tag(buf + i * GRANULE);
        if (t && !nonzero++)
            first = i;
    });
    if (s == 0 && nonzero == 0)
        check(1, "ldg fresh page tags 0", "%lu granules", PAGE / GRANULE);
    else
        check(0, "ldg fresh page tags 0", "%s, %u nonzero granule tags (first at granule %u)",
              sig_name(s, sig_code), nonzero, first);

    /* IRG: never a tag of GCR_EL1.Exclude (tag 0, from include mask 0xfffe). */
    unsigned seen = 0, zero = 0;
    s = PROTECT(for (int i = 0; i < 256; i++) {
        unsigned t = tag_of(irg(buf, 0));
        seen |= 1u << t;
        zero += t == 0;
    });
    int distinct = __builtin_popcount(seen);
    check(s == 0 && zero == 0 && seen, "irg excludes tag 0",
          "%s, 256 IRGs: %d distinct tags (mask 0x%04x), %u zero", sig_name(s, sig_code), distinct, seen, zero);
    if (distinct < 2)
        info("irg produced only %d distinct tag(s) in 256 tries", distinct);

    /* IRG with an exclude register: only tag 7 left; all excluded gives 0. */
    void *r7 = NULL, *r0 = NULL;
    s = PROTECT(r7 = irg(buf, 0xffff & ~(1u << 7)); r0 = irg(with_tag(buf, 3), 0xfffe));
    check(s == 0 && r7 == with_tag(buf, 7) && r0 == untagged(buf), "irg Xm exclude mask",
          "%s, irg(p, ~(1<<7)) = %p, irg(p, 0xfffe) = %p", sig_name(s, sig_code), r7, r0);

    /* GMI, ADDG, SUBG, SUBP. */
    uint64_t g = 0;
    void *a1 = NULL, *a2 = NULL, *a3 = NULL, *sg = NULL;
    int64_t d = 0;
    s = PROTECT(g = gmi(with_tag(buf, 5), 0x100); a1 = ADDG(with_tag(buf, 15), 16, 1);
                a2 = ADDG(with_tag(buf, 3), 0, 2); a3 = ADDG(untagged(buf), 0, 0);
                sg = SUBG(with_tag(buf + 64, 2), 32, 3);
                d = subp(with_tag(buf + 48, 3), with_tag(buf, 9)));
    check(s == 0 && g == 0x120, "gmi", "%s, gmi(tag 5, 0x100) = 0x%" PRIx64, sig_name(s, sig_code), g);
    check(s == 0 && a1 == with_tag(buf + 16, 1) && a2 == with_tag(buf, 5) && a3 == with_tag(buf, 1),
          "addg skips excluded tag 0",
          "%s, addg(tag 15, #16, #1) = %p, addg(tag 3, #0, #2) = %p, addg(tag 0, #0, #0) = %p",
          sig_name(s, sig_code), a1, a2, a3);
    check(s == 0 && sg == with_tag(buf + 32, 5), "subg", "%s, subg(p+64 tag 2, #32, #3) = %p (p = %p)",
          sig_name(s, sig_code), sg, (void *)buf);
    check(s == 0 && d == 48, "subp", "%s, %" PRId64, sig_name(s, sig_code), d);

    /* The prctl include mask reaches GCR_EL1: only tag 3 included. */
    if (set_ctrl(PR_MTE_TCF_SYNC, 1u << 3) == 0) {
        unsigned seen3 = 0;
        s = PROTECT(for (int i = 0; i < 64; i++) seen3 |= 1u << tag_of(irg(buf, 0)));
        check(s == 0 && seen3 == 1u << 3, "irg with include mask 0x0008", "%s, tags seen 0x%04x",
              sig_name(s, sig_code), seen3);
        set_ctrl(PR_MTE_TCF_SYNC, 0xfffe);
    }

    /* STG, LDG (also with an offset), STG post-index. */
    char *p = buf + PAGE; /* page 1 */
    unsigned t1 = 0, t2 = 0, t3 = 0;
    char *q = NULL;
    s = PROTECT(stg(with_tag(p, 6)); t1 = ldg_tag(p); t2 = ldg_tag(with_tag(p, 9));
                t3 = ldg_tag_next(p - GRANULE));
    check(s == 0 && t1 == 6 && t2 == 6 && t3 == 6 && ldg_tag(p + GRANULE) == 0, "stg/ldg",
          "%s, ldg [p] %u, ldg [p with tag 9] %u, ldg [p-16, #16] %u, next granule %u", sig_name(s, sig_code),
          t1, t2, t3, ldg_tag(p + GRANULE));
    s = PROTECT(q = with_tag(p + 4 * GRANULE, 4); for (int i = 0; i < 4; i++) q = stg_post(q));
    unsigned post[5] = {0};
    for (int i = 0; i < 5; i++)
        post[i] = ldg_tag(p + (4 + i) * GRANULE);
    check(s == 0 && q == with_tag(p + 8 * GRANULE, 4) && post[0] == 4 && post[3] == 4 && post[4] == 0,
          "stg post-index", "%s, base after 4 stores %p, tags %u %u %u %u then %u", sig_name(s, sig_code), (void *)q,
          post[0], post[1], post[2], post[3], post[4]);

    /* STGP stores the data pair and the tag. */
    char *pp = p + 16 * GRANULE;
    uint64_t v0 = 0, v1 = 0;
    s = PROTECT(stgp(with_tag(pp, 11), 0x1111222233334444ull, 0x5555666677778888ull);
                v0 = load64(with_tag(pp, 11)); v1 = load64(with_tag(pp + 8, 11)));
    check(s == 0 && ldg_tag(pp) == 11 && v0 == 0x1111222233334444ull && v1 == 0x5555666677778888ull, "stgp",
          "%s, tag %u, data 0x%" PRIx64 " 0x%" PRIx64, sig_name(s, sig_code), ldg_tag(pp), v0, v1);

    /* ST2G tags two granules; STZG / STZ2G also zero the data. */
    char *p2 = p + 32 * GRANULE;
    s = PROTECT(st2g(with_tag(p2, 12)));
    check(s == 0 && ldg_tag(p2) == 12 && ldg_tag(p2 + GRANULE) == 12 && ldg_tag(p2 + 2 * GRANULE) == 0, "st2g",
          "%s, tags %u %u then %u", sig_name(s, sig_code), ldg_tag(p2), ldg_tag(p2 + GRANULE),
          ldg_tag(p2 + 2 * GRANULE));
    char *pz = p + 48 * GRANULE;
    memset(pz, 0xa5, 4 * GRANULE); /* tags 0: the untagged pointer matches */
    uint64_t z0 = 1, z1 = 1, z2 = 1, keep = 0;
    s = PROTECT(stzg(with_tag(pz, 13)); stz2g(with_tag(pz + GRANULE, 14));
                z0 = load64(with_tag(pz + 8, 13)); z1 = load64(with_tag(pz + GRANULE, 14));
                z2 = load64(with_tag(pz + 2 * GRANULE + 8, 14)); keep = load64(pz + 3 * GRANULE));
    check(s == 0 && z0 == 0 && z1 == 0 && z2 == 0 && keep == 0xa5a5a5a5a5a5a5a5ull && ldg_tag(pz) == 13 &&
              ldg_tag(pz + GRANULE) == 14 && ldg_tag(pz + 2 * GRANULE) == 14 && ldg_tag(pz + 3 * GRANULE) == 0,
          "stzg/stz2g", "%s, data %" PRIx64 " %" PRIx64 " %" PRIx64 ", next %" PRIx64 ", tags %u %u %u %u",
          sig_name(s, sig_code), z0, z1, z2, keep, ldg_tag(pz), ldg_tag(pz + GRANULE), ldg_tag(pz + 2 * GRANULE),
          ldg_tag(pz + 3 * GRANULE));

    /* DC GVA / DC GZVA: the DCZID_EL0 block. */
    uint64_t dczid = read_dczid();
    unsigned bs = 4u << (dczid & 0xf);
    if (dczid & 0x10 || bs >= PAGE) {
        info("DCZID_EL0 0x%" PRIx64 ": DC ZVA prohibited or block >= a page; DC GVA/GZVA not tested", dczid);
    } else {
        char *pg = buf + 2 * PAGE; /* page 2, page-aligned so block-aligned */
        unsigned tg_first = 0, tg_last = 0, tg_after = 0;
        s = PROTECT(dc_gva(with_tag(pg + 8, 6)); tg_first = ldg_tag(pg); tg_last = ldg_tag(pg + bs - GRANULE);
                    tg_after = ldg_tag(pg + bs));
        check(s == 0 && tg_first == 6 && tg_last == 6 && tg_after == 0, "dc gva",
              "%s, block %u bytes: tags %u .. %u, after the block %u", sig_name(s, sig_code), bs, tg_first,
              tg_last, tg_after);
        char *pgz = pg + PAGE / 2;
        memset(pgz, 0x5a, 2 * bs);
        uint64_t gz0 = 1, gzl = 1, gza = 0;
        s = PROTECT(dc_gzva(with_tag(pgz, 9)); gz0 = load64(with_tag(pgz, 9));
                    gzl = load64(with_tag(pgz + bs - 8, 9)); gza = load64(pgz + bs));
        check(s == 0 && gz0 == 0 && gzl == 0 && gza == 0x5a5a5a5a5a5a5a5aull && ldg_tag(pgz) == 9 &&
                  ldg_tag(pgz + bs - GRANULE) == 9 && ldg_tag(pgz + bs) == 0,
              "dc gzva", "%s, data %" PRIx64 " .. %" PRIx64 ", after %" PRIx64 "; tags %u .. %u, after %u",
              sig_name(s, sig_code), gz0, gzl, gza, ldg_tag(pgz), ldg_tag(pgz + bs - GRANULE), ldg_tag(pgz + bs));
    }

    /* LDGM is EL1-only: UNDEFINED at EL0. */
    s = PROTECT((void)ldgm(buf));
    check(s == SIGILL, "ldgm at EL0 is undefined", "%s", sig_name(s, sig_code));
}

/* Sync mode (set by the caller): checks on page 3. */
static void test_sync(char *buf)
{
    char *p = buf + 3 * PAGE;
    int s;
    void *tp = NULL;
    s = PROTECT(tp = irg(p, 0); stg(tp); store64(tp, 0x0123456789abcdefull));
    unsigned t = tag_of(tp);
    uint64_t v = 0;
    int s2 = s ? s : PROTECT(v = load64(tp));
    check(s == 0 && s2 == 0 && t != 0 && ldg_tag(p) == t && v == 0x0123456789abcdefull,
          "sync access with the right tag", "%s, tag %u, ldg %u, value 0x%" PRIx64, sig_name(s ? s : s2, sig_code),
          t, ldg_tag(p), v);

    /* A load through a wrong tag faults; si_addr keeps the tag (SA_EXPOSE_TAGBITS). */
    void *wp = with_tag(p + 8, other_tag(t));
    s = PROTECT(v = load64(wp));
    check(s == SIGSEGV && sig_code == SEGV_MTESERR && sig_addr == wp, "sync SEGV_MTESERR",
          "load through tag %u of a tag-%u granule: %s, si_addr %p (tag %u), want %p", other_tag(t), t,
          sig_name(s, sig_code), sig_addr, tag_of(sig_addr), wp);

    /* A store through a wrong tag faults and does not write. */
    s = PROTECT(store64(wp, 0xdeadbeefull));
    uint64_t after = load64((char *)tp + 8);
    check(s == SIGSEGV && sig_code == SEGV_MTESERR && sig_addr == wp && after == 0, "sync store SEGV_MTESERR",
          "%s, si_addr %p, memory after 0x%" PRIx64, sig_name(s, sig_code), sig_addr, after);

    /* Without SA_EXPOSE_TAGBITS the kernel clears the tag bits of si_addr. */
    install_handlers(0);
    s = PROTECT(v = load64(wp));
    install_handlers(1);
    check(s == SIGSEGV && sig_code == SEGV_MTESERR && sig_addr == untagged(wp), "sync si_addr without SA_EXPOSE_TAGBITS",
          "%s, si_addr %p, want %p", sig_name(s, sig_code), sig_addr, untagged(wp));

    /* Each granule an access touches is checked: an LDP from 8 bytes before a wrong-tag granule. */
    char *pn = p + GRANULE;
    s = PROTECT(stg(with_tag(pn, other_tag(t))); v = loadpair((char *)tp + 8));
    check(s == SIGSEGV && sig_code == SEGV_MTESERR, "sync ldp across granules", "%s, si_addr %p",
          sig_name(s, sig_code), sig_addr);

    /* PSTATE.TCO = 1 suppresses the checks. */
    uint64_t tco_on = 0, tco_off = 1;
    s = PROTECT(set_tco(1); tco_on = get_tco(); v = load64(wp); set_tco(0); tco_off = get_tco());
    check(s == 0 && tco_on == (1ull << 25) && tco_off == 0, "tco suppresses tag checks",
          "%s, MRS TCO 0x%" PRIx64 " / 0x%" PRIx64, sig_name(s, sig_code), tco_on, tco_off);

    /* The kernel's uaccess (LDTR/STTR) checks tags in sync mode too. */
    int fds[2];
    if (pipe(fds) == 0) {
        errno = 0;
        ssize_t w_ok = write(fds[1], tp, 8);
        ssize_t w_bad = write(fds[1], wp, 8);
        int e = errno;
        check(w_ok == 8 && w_bad == -1 && e == EFAULT, "sync uaccess",
              "write() from the right tag: %zd, from a wrong tag: %zd (%s)", w_ok, w_bad, strerror(e));
        close(fds[0]);
        close(fds[1]);
    } else {
        check(0, "sync uaccess", "pipe: %s", strerror(errno));
    }

    /* Tags are copied with the page on fork (copy-on-write), and the child keeps sync mode. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigaction(SIGSEGV, &sa, NULL);
        store64(tp, 42); /* the child's own copy of the page */
        if (ldg_tag(p) != t || load64(tp) != 42)
            _exit(3);
        (void)load64(wp); /* must kill the child with SIGSEGV */
        _exit(4);
    }
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid) {
        check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && load64(tp) == 0x0123456789abcdefull,
              "fork: child keeps tags and sync mode",
              "child %s %d, parent's data 0x%" PRIx64, WIFSIGNALED(status) ? "killed by signal" : "exited",
              WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), load64(tp));
    } else {
        check(0, "fork: child keeps tags and sync mode", "fork/waitpid: %s", strerror(errno));
    }

    /* Mode none: no checks. */
    if (set_ctrl(PR_MTE_TCF_NONE, 0xfffe) == 0) {
        s = PROTECT(v = load64(wp));
        check(s == 0, "tcf none: no fault", "%s", sig_name(s, sig_code));
        set_ctrl(PR_MTE_TCF_SYNC, 0xfffe);
    }
}

/*
 * A load and a store through a wrong tag, in a mode where the store is
 * asynchronous (async, or asymmetric) and the load is synchronous or not.
 */
static void test_async_mode(char *p, const char *mode, int load_sync)
{
    char name[64];
    int s;
    void *tp = NULL;
    s = PROTECT(tp = irg(p, 0); stg(tp); store64(tp, 7));
    unsigned t = tag_of(tp);
    void *wp = with_tag(p, other_tag(t));
    getppid(); /* a kernel entry: nothing may be pending */

    /* Store through a wrong tag: no synchronous fault, the data is written,
     * and the kernel sends SEGV_MTEAERR on the next entry from EL0. */
    async_ok = 1;
    s = PROTECT(store64(wp, 0x5a5a));
    int sync_sig = s, sync_code = sig_code;
    getppid();
    int n = aerr_count;
    void *a = sig_addr;
    async_ok = 0;
    snprintf(name, sizeof name, "%s store SEGV_MTEAERR", mode);
    check(sync_sig == 0 && n == 1 && a == NULL && load64(tp) == 0x5a5a, name,
          "tag %u granule, store through tag %u: %s synchronously, %d SEGV_MTEAERR after a syscall "
          "(si_addr %p), memory 0x%" PRIx64,
          t, other_tag(t), sig_name(sync_sig, sync_code), n, a, load64(tp));

    /* Load through a wrong tag. */
    uint64_t v = 0;
    async_ok = 1;
    s = PROTECT(v = load64(wp));
    sync_sig = s;
    sync_code = sig_code;
    void *sa = sig_addr;
    getppid();
    n = aerr_count;
    async_ok = 0;
    if (load_sync) {
        snprintf(name, sizeof name, "%s load SEGV_MTESERR", mode);
        check(sync_sig == SIGSEGV && sync_code == SEGV_MTESERR && sa == wp && n == 0, name,
              "%s, si_addr %p, %d SEGV_MTEAERR", sig_name(sync_sig, sync_code), sa, n);
    } else {
        snprintf(name, sizeof name, "%s load SEGV_MTEAERR", mode);
        check(sync_sig == 0 && n == 1 && v == 0x5a5a, name, "%s synchronously, %d SEGV_MTEAERR, value 0x%" PRIx64,
              sig_name(sync_sig, sync_code), n, v);
    }
}

static void test_untagged_memory(void)
{
    /* A mapping without PROT_MTE is Untagged: STG is ignored, LDG reads 0, no checks. */
    char *u = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (u == MAP_FAILED) {
        check(0, "untagged memory", "mmap: %s", strerror(errno));
        return;
    }
    for (unsigned i = 0; i < PAGE; i++)
        u[i] = (char)i;
    volatile unsigned t = 5;
    uint64_t v = 0;
    int s = PROTECT(stg(with_tag(u, 5)); t = ldg_tag(u); v = load64(with_tag(u, 3)));
    check(s == 0 && t == 0 && v == 0x0706050403020100ull, "untagged memory: stg ignored, no checks",
          "%s, ldg after stg %u, load through tag 3: 0x%" PRIx64, sig_name(s, sig_code), t, v);

    /* mprotect(PROT_MTE) makes it Tagged: the data stays, the tags start at 0. */
    char fl[512];
    if (mprotect(u, PAGE, PROT_READ | PROT_WRITE | PROT_MTE) != 0) {
        check(0, "mprotect PROT_MTE", "%s", strerror(errno));
    } else {
        smaps_flags(u, fl, sizeof fl);
        v = load64(u + 8);
        s = PROTECT(t = ldg_tag(u); stg(with_tag(u, 5)); (void)load64(with_tag(u, 3)));
        check(s == SIGSEGV && sig_code == SEGV_MTESERR && t == 0 && ldg_tag(u) == 5 && v == 0x0f0e0d0c0b0a0908ull &&
                  has_word(fl, "mt"),
              "mprotect PROT_MTE", "data 0x%" PRIx64 ", tag %u then %u, wrong-tag load: %s; VmFlags:%s", v, t,
              ldg_tag(u), sig_name(s, sig_code), fl);
    }
    munmap(u, PAGE);
}

int main(int argc, char **argv)
{
    int opt;
    setvbuf(stdout, NULL, _IOLBF, 0);
    while ((opt = getopt(argc, argv, "t:h")) != -1) {
        switch (opt) {
        case 't': timeout_s = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: mtetest [-t TIMEOUT_SECONDS]\n");
            return opt == 'h' ? 0 : 2;
        }
    }
    signal(SIGALRM, on_alarm);
    alarm((unsigned)timeout_s);
    install_handlers(1);

    int have_mte = 0, have_mte3 = 0;
    test_features(&have_mte, &have_mte3);
    if (!have_mte) {
        printf("mtetest: FAIL no HWCAP2_MTE: the kernel does not offer MTE (%d of %d checks failed)\n", nfails,
               nchecks);
        return 1;
    }
    {
        struct sigaction cur;
        sigaction(SIGSEGV, NULL, &cur);
        info("SA_EXPOSE_TAGBITS %s", (cur.sa_flags & SA_EXPOSE_TAGBITS) ? "supported" : "not kept by the kernel");
    }

    test_prctl();
    char *buf = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE | PROT_MTE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        check(0, "mmap PROT_MTE", "%s (errno %d)", strerror(errno), errno);
        printf("mtetest: FAIL %s (%d of %d checks failed)\n", first_fail, nfails, nchecks);
        return 1;
    }
    char fl[512];
    int r = smaps_flags(buf, fl, sizeof fl);
    check(r == 0 && has_word(fl, "mt"), "mmap PROT_MTE", "%p, VmFlags:%s", (void *)buf, fl);

    test_tag_instructions(buf);
    test_sync(buf);
    test_untagged_memory();

    if (set_ctrl(PR_MTE_TCF_ASYNC, 0xfffe) == 0) {
        long v = get_ctrl();
        check(v == (long)(PR_TAGGED_ADDR_ENABLE | PR_MTE_TCF_ASYNC | (0xfffeUL << PR_MTE_TAG_SHIFT)),
              "prctl async", "PR_GET_TAGGED_ADDR_CTRL 0x%lx", v);
        test_async_mode(buf + 4 * PAGE, "async", 0);
    }

    if (have_mte3) {
        /* Asymmetric mode: sync|async requested and "asymm" preferred by the CPUs. */
        char pref[32];
        int ncpus = 0;
        read_preferred(pref, sizeof pref);
        info("mte_tcf_preferred of cpu0 at start: %s", pref[0] ? pref : "(none)");
        int w = set_preferred("asymm", &ncpus);
        char now[32];
        read_preferred(now, sizeof now);
        check(w == 0 && strcmp(now, "asymm") == 0, "mte_tcf_preferred asymm", "%d CPU(s), cpu0 now %s", ncpus, now);
        if (set_ctrl(PR_MTE_TCF_SYNC | PR_MTE_TCF_ASYNC, 0xfffe) == 0 && w == 0)
            test_async_mode(buf + 5 * PAGE, "asymm", 1);
        set_preferred(pref[0] ? pref : "async", &ncpus);
    }

    set_ctrl(PR_MTE_TCF_NONE, 0xfffe);
    munmap(buf, NPAGES * PAGE);
    if (nfails == 0) {
        printf("mtetest: PASS (%d checks)\n", nchecks);
        return 0;
    }
    printf("mtetest: FAIL %s (%d of %d checks failed)\n", first_fail, nfails, nchecks);
    return 1;
}
