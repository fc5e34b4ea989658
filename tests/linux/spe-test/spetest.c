/*
 * spetest: the user-space SPE (FEAT_SPE, Statistical Profiling Extension) test
 * of hypsim's Linux tests (arm64, static).
 *
 * It profiles itself through the Linux arm_spe_pmu driver with nothing but the
 * perf ABI, the way perf record -e arm_spe_0// does, and decodes the SPE
 * records itself (Arm ARM D18, "Statistical Profiling Extension sample record
 * specification"):
 *   - the PMU: its type from /sys/bus/event_source/devices/arm_spe_0/type, the
 *     config bits of ts_enable, pa_enable, jitter and load_filter parsed from
 *     its format/ files ("config:N"), and caps/min_interval;
 *   - perf_event_open(pid 0, cpu -1) of that PMU, disabled, with sample_period
 *     the SPE interval (at least min_interval; the driver rounds it down to a
 *     multiple of 256) and exclude_kernel=1 (-k samples the kernel too);
 *   - the ring buffer (1 + 2^n pages) and an AUX area behind it (aux_offset and
 *     aux_size in the perf_event_mmap_page, then mmap at aux_offset), mapped
 *     read-write, so the kernel never overwrites data not yet read;
 *   - PERF_EVENT_IOC_ENABLE, spe_loop() (hand-written assembly below, 9
 *     instructions an iteration: LDR, ADD, ADD, STR, ADD, AND, TBNZ (never
 *     taken), SUBS, B.NE over one page) in chunks, the AUX area drained between chunks (aux_head ->
 *     aux_tail; the driver publishes data at each buffer-full PMBIRQ, which
 *     its watermark puts every half buffer), PERF_EVENT_IOC_DISABLE, a last
 *     drain; PERF_RECORD_AUX (offset, size, flags: truncated, partial,
 *     collision), ITRACE_START and LOST records read from the ring buffer;
 *   - the records: PC (address packet index 0, with its EL and NS bits),
 *     branch target (1), data VA (2), data PA (3), Context (0x64/0x65 and
 *     index), operation type (0x48..0x4b), events (0x42..), counters
 *     (0x98..), data source (0x43..), timestamp (0x71, ends a record), end
 *     (0x01), padding (0x00), the extended header 0b001000xx.
 *
 * Checks of run 1 (ts_enable, pa_enable): the AUX data decodes with no bad
 * packet; every record has a PC, at EL0 unless -k; most records (and between
 * 1/4 and 2 times iterations*9/interval of them) have a PC inside spe_loop;
 * each in-loop record's operation type is the instruction's (load, store,
 * conditional branch, indirect branch for the RET, other); loads and stores carry the data VA inside the
 * loop's page and the PA that /proc/self/pagemap gives for it; taken
 * branches carry the loop's start as target; with -N (FEAT_SPEv1p2: the
 * driver said "probed SPEv1.2" or later) the never-taken TBNZ has the
 * not-taken event (bit 6) and the B.NE has it at most once a chunk; every record has a timestamp, they never decrease,
 * and those of spe_loop lie between CNTVCT_EL0 read before ENABLE and after
 * DISABLE; no PERF_RECORD_AUX says truncated or partial and nothing is lost;
 * when more than half the AUX area was written, /proc/interrupts counted at
 * least one arm_spe_pmu (PMBIRQ) interrupt.  Run 2 (load_filter): every
 * record is a load, and about iterations/interval are in spe_loop.
 * Context packets are only reported ("spetest: info: context ..."), since
 * whether Linux writes PIDs to CONTEXTIDR depends on CONFIG_PID_IN_CONTEXTIDR
 * (and on perfmon_capable()): tests/linux/spe-guest.sh checks them.
 *
 * Output: one "spetest: <check> ok[ (detail)]" line per passed check,
 * "spetest: <check> bad (detail)" for a failed one, "spetest: info: ..."
 * lines, and finally "spetest: PASS (N checks)" (exit 0) or
 * "spetest: FAIL <first failed check> (N of M checks failed)" (exit 1); a
 * missing PMU or a failing perf_event_open/mmap stops it early with
 * "spetest: FAIL <why>" (exit 1).  A run that hangs prints
 * "spetest: FAIL timeout after N s" and exits 2.
 *
 * KVM mode (-K PATH [-- ARGS...]): host SPE and KVM side by side.  Instead of
 * runs 1 and 2, spetest pins itself to CPU 0 (sched_setaffinity, inherited by
 * the child), opens arm_spe_0 CPU-wide for CPU 0 (pid -1, cpu 0; root) with
 * exclude_guest=1, exclude_kernel=0 (the host kernel is sampled: at EL2 under
 * VHE, at EL1 under nVHE), ts_enable and, if the PMU has it, pct_enable
 * (physical timestamps, so that a loaded vCPU's CNTVOFF_EL2 does not shift
 * them), runs PATH ARGS (tests/linux/kvm-test/kvmtest, e.g. "-c 1") as a child
 * while profiling, draining the AUX area until the child exits, and then
 * checks: the child exited 0 (KVMTEST PASS); the AUX data decodes, every
 * record has a PC, nothing truncated, partial, lost or collided; there are
 * records, some of them taken between the child's fork and its exit, and (when
 * /proc/kallsyms has addresses) some with a PC in the host's KVM code (a text
 * symbol whose name contains "kvm"); no PC lies in the guest's memory, IPA
 * 0x10000000-0x10600000 (kvmtest.c's RAM_IPA memslot, at most 6 MiB; the
 * guest code of guest.S runs at 0x10000000-0x10002000 with its MMU off, or
 * identity-mapped, so its PCs are those IPAs); every EL0 PC is a lower-half
 * (TTBR0) address and every EL1/EL2 PC an upper-half (TTBR1) one, as the
 * guest's EL1 code runs at low addresses; the host kernel's records are at
 * one EL only: EL2 and none at EL1 under VHE ("VHE mode initialized" in the
 * kernel log), EL1 and none at EL2 under nVHE/hVHE/protected (the hypervisor
 * at EL2 is above the buffer's owning EL1); with pct_enable, timestamps never
 * decrease and lie between CNTVCT_EL0 before ENABLE and after DISABLE; no new
 * kernel log line with WARNING:, BUG:, Oops, Kernel panic, "Unexpected buffer
 * fault", "Unknown error code" or "Unknown buffer status code" (klogctl before
 * and after).  -i, -a, -j, -v and -t apply; the default timeout is 600 s.
 *
 * Usage: spetest [-i INTERVAL] [-n ITERATIONS] [-c CHUNK] [-a AUX_PAGES] [-j]
 *                [-k] [-N] [-F] [-v N] [-t TIMEOUT_SECONDS]
 *        spetest [-i INTERVAL] [-a AUX_PAGES] [-j] [-v N] [-t TIMEOUT_SECONDS]
 *                -K PATH [-- ARGS...]
 *   -i  SPE sampling interval, sample_period (default 1024)
 *   -n  spe_loop iterations of each run (default 4000000)
 *   -c  iterations between two drains of the AUX area (default 65536)
 *   -a  AUX area pages, a power of 2 (default 128)
 *   -j  set the jitter bit (PMSIRR_EL1.RND)
 *   -k  sample the kernel too (exclude_kernel=0)
 *   -N  check the not-taken event (FEAT_SPEv1p2 and later)
 *   -F  skip run 2 (load_filter)
 *   -v  decode the first N records of run 1 (default 4)
 *   -t  timeout (default 300; 600 with -K)
 *   -K  KVM mode: profile CPU 0 while PATH ARGS runs (see above)
 *
 * Built by tests/linux/spe-test/build.sh; run by tests/linux/spe-guest.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPE_DIR "/sys/bus/event_source/devices/arm_spe_0"
#define RB_PAGES 8 /* the ring buffer's data pages (2^3) */

/* ---------------------------------------------------------------- results */

static int nchecks, nfails;
static char first_fail[160];

static void check(int ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void check(int ok, const char *name, const char *fmt, ...)
{
    char detail[512] = "";
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    nchecks++;
    if (ok) {
        printf("spetest: %s ok%s%s%s\n", name, *detail ? " (" : "", detail, *detail ? ")" : "");
    } else {
        nfails++;
        if (!first_fail[0])
            snprintf(first_fail, sizeof first_fail, "%s", name);
        printf("spetest: %s bad (%s)\n", name, *detail ? detail : "failed");
    }
}

static void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("spetest: info: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static void fail_early(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail_early(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("spetest: FAIL ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(1);
}

static volatile sig_atomic_t timeout_s = 300;
static volatile pid_t child_pid; /* -K: the running child, killed on a timeout */

static void on_alarm(int sig)
{
    (void)sig;
    if (child_pid > 0)
        kill(child_pid, SIGKILL);
    char msg[] = "spetest: FAIL timeout after NNN s\n";
    int t = timeout_s;
    msg[28] = (char)('0' + t / 100 % 10);
    msg[29] = (char)('0' + t / 10 % 10);
    msg[30] = (char)('0' + t % 10);
    if (write(1, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    _exit(2);
}

/* ------------------------------------------------------------- workload */

/*
 * uint64_t spe_loop(uint64_t *page, uint64_t iterations): iterations >= 1 times
 * load a doubleword of the page, add it to a sum, store it back plus one, move
 * to the next doubleword (mod 512).  9 instructions an iteration, at fixed
 * addresses: spe_loop_ldr, spe_loop_str, spe_loop_tbnz and spe_loop_bne name
 * the load, the store, a conditional branch never taken (bit 63 of the index
 * is 0) and the loop's conditional branch, taken back to spe_loop_top in all
 * but the last iteration.
 */
__asm__(".text\n"
        ".balign 64\n"
        ".global spe_loop\n"
        ".type spe_loop, %function\n"
        "spe_loop:\n"
        "    mov x2, #0\n"
        "    mov x3, #0\n"
        ".global spe_loop_top\n"
        "spe_loop_top:\n"
        ".global spe_loop_ldr\n"
        "spe_loop_ldr:\n"
        "    ldr x4, [x0, x3, lsl #3]\n"
        "    add x2, x2, x4\n"
        "    add x4, x4, #1\n"
        ".global spe_loop_str\n"
        "spe_loop_str:\n"
        "    str x4, [x0, x3, lsl #3]\n"
        "    add x3, x3, #1\n"
        "    and x3, x3, #511\n"
        ".global spe_loop_tbnz\n"
        "spe_loop_tbnz:\n"
        "    tbnz x3, #63, spe_loop_never\n"
        "    subs x1, x1, #1\n"
        ".global spe_loop_bne\n"
        "spe_loop_bne:\n"
        "    b.ne spe_loop_top\n"
        "    mov x0, x2\n"
        ".global spe_loop_ret\n"
        "spe_loop_ret:\n"
        "    ret\n"
        "spe_loop_never:\n"
        "    brk #0x5e\n"
        ".global spe_loop_end\n"
        "spe_loop_end:\n"
        ".size spe_loop, .-spe_loop\n");
extern uint64_t spe_loop(uint64_t *page, uint64_t iterations);
extern const char spe_loop_top[], spe_loop_ldr[], spe_loop_str[], spe_loop_tbnz[], spe_loop_bne[], spe_loop_ret[],
    spe_loop_end[];
#define OPS_PER_ITER 9

static inline uint64_t cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
}

static inline uint64_t cntfrq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

/* ----------------------------------------------------------------- sysfs */

static int read_text(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = 0;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = 0;
    return 0;
}

static long read_long(const char *path)
{
    char buf[64];
    if (read_text(path, buf, sizeof buf) != 0)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(buf, &end, 0);
    if (errno || end == buf)
        return -1;
    return v;
}

/* A format field: "configK:LO" or "configK:LO-HI" (K empty, 1 or 2). */
struct field {
    int cfg;
    int lo, hi;
    char text[64];
};

static int get_format(const char *name, struct field *f)
{
    char path[256];
    snprintf(path, sizeof path, SPE_DIR "/format/%s", name);
    if (read_text(path, f->text, sizeof f->text) != 0)
        return -1;
    const char *p = f->text;
    if (strncmp(p, "config", 6) != 0)
        return -1;
    p += 6;
    f->cfg = 0;
    if (*p >= '0' && *p <= '9')
        f->cfg = *p++ - '0';
    if (*p++ != ':')
        return -1;
    char *end;
    f->lo = (int)strtol(p, &end, 10);
    if (end == p)
        return -1;
    f->hi = f->lo;
    if (*end == '-') {
        p = end + 1;
        f->hi = (int)strtol(p, &end, 10);
        if (end == p)
            return -1;
    }
    if (*end || f->lo < 0 || f->hi > 63 || f->hi < f->lo)
        return -1;
    return 0;
}

static int set_field(struct perf_event_attr *a, const struct field *f, uint64_t v)
{
    uint64_t *word;
    switch (f->cfg) {
    case 0: word = (uint64_t *)&a->config; break;
    case 1: word = (uint64_t *)&a->config1; break;
    case 2: word = (uint64_t *)&a->config2; break;
    default: return -1; /* config3 is not in this program's perf_event_attr */
    }
    int width = f->hi - f->lo + 1;
    uint64_t mask = width == 64 ? ~0ull : ((1ull << width) - 1);
    if (v & ~mask)
        return -1;
    *word = (*word & ~(mask << f->lo)) | (v << f->lo);
    return 0;
}

/* The arm_spe_pmu line(s) of /proc/interrupts, summed over CPUs; -1 if none. */
static long spe_irq_count(void)
{
    FILE *f = fopen("/proc/interrupts", "re");
    if (!f)
        return -1;
    char line[1024];
    long total = -1;
    while (fgets(line, sizeof line, f)) {
        if (!strstr(line, "arm_spe_pmu"))
            continue;
        char *p = strchr(line, ':');
        if (!p)
            continue;
        p++;
        if (total < 0)
            total = 0;
        for (;;) {
            char *end;
            long v = strtol(p, &end, 10);
            if (end == p)
                break;
            total += v;
            p = end;
        }
    }
    fclose(f);
    return total;
}

/* The physical address of va (mapped and locked), from /proc/self/pagemap; 0 if unknown. */
static uint64_t virt_to_phys(const void *va)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    uint64_t e = 0;
    off_t off = (off_t)((uintptr_t)va / (uintptr_t)page * 8);
    ssize_t n = pread(fd, &e, sizeof e, off);
    close(fd);
    if (n != (ssize_t)sizeof e || !(e >> 63 & 1))
        return 0;
    uint64_t pfn = e & ((1ull << 55) - 1);
    if (!pfn)
        return 0; /* not root: the PFN is hidden */
    return pfn * (uint64_t)page + (uintptr_t)va % (uintptr_t)page;
}

/* ------------------------------------------------------- SPE records */

#define VA_MASK ((1ull << 56) - 1)

struct rec {
    int npackets;
    int has_pc, pc_el, pc_ns;
    uint64_t pc;
    int has_tgt;
    uint64_t tgt;
    int has_va;
    uint64_t va;
    int has_pa;
    uint64_t pa, pa_raw; /* pa_raw<63> NS, <62> CH (tag checked), <59:56> PAT */
    int has_ctx[2];
    uint32_t ctx[2];
    int has_op, op_class;
    uint8_t op;
    int has_ev;
    uint64_t ev;
    int has_ts;
    uint64_t ts;
    int has_ds;
    uint64_t ds;
    unsigned lat_mask;
    uint64_t lat[8];
    int ended_by_ts;
};

struct decoded {
    struct rec *recs;
    size_t n, cap;
    size_t pads, empty_ends, other_packets;
    int bad;            /* an undecodable packet */
    size_t bad_off;     /* its offset */
    size_t unterminated; /* packets after the last END/TS */
};

static void add_rec(struct decoded *d, const struct rec *r)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 4096;
        d->recs = realloc(d->recs, d->cap * sizeof *d->recs);
        if (!d->recs)
            fail_early("out of memory (%zu records)", d->cap);
    }
    d->recs[d->n++] = *r;
}

/* Decode a stream of SPE records (Arm ARM D18.2-D18.4). */
static void decode(const uint8_t *b, size_t len, struct decoded *d)
{
    struct rec r;
    memset(&r, 0, sizeof r);
    size_t i = 0;
    while (i < len) {
        uint8_t h = b[i];
        if (h == 0x00) { /* Padding */
            d->pads++;
            i++;
            continue;
        }
        if (h == 0x01) { /* End */
            if (r.npackets)
                add_rec(d, &r);
            else
                d->empty_ends++;
            memset(&r, 0, sizeof r);
            i++;
            continue;
        }
        size_t hdr = 1;
        unsigned ext = 0;
        if ((h & 0xfc) == 0x20) { /* extended header 0b001000ii */
            if (i + 1 >= len) {
                d->bad = 1;
                d->bad_off = i;
                return;
            }
            ext = h & 3;
            h = b[i + 1];
            hdr = 2;
        }
        unsigned top = h >> 6;
        if (top != 1 && top != 2) {
            d->bad = 1;
            d->bad_off = i;
            return;
        }
        size_t size = (size_t)1 << ((h >> 4) & 3);
        if (i + hdr + size > len) {
            d->bad = 1;
            d->bad_off = i;
            return;
        }
        uint64_t v = 0;
        for (size_t k = 0; k < size; k++)
            v |= (uint64_t)b[i + hdr + k] << (8 * k);
        i += hdr + size;
        r.npackets++;
        if (h == 0x71 && hdr == 1) { /* Timestamp: ends the record */
            r.has_ts = 1;
            r.ts = v;
            r.ended_by_ts = 1;
            add_rec(d, &r);
            memset(&r, 0, sizeof r);
        } else if ((h & 0xcf) == 0x42 && hdr == 1) { /* Events */
            r.has_ev = 1;
            r.ev = v;
        } else if ((h & 0xcf) == 0x43 && hdr == 1) { /* Data Source */
            r.has_ds = 1;
            r.ds = v;
        } else if ((h & 0xfc) == 0x64 && hdr == 1) { /* Context, index 0 (EL1) or 1 (EL2) */
            unsigned idx = h & 3;
            if (idx < 2) {
                r.has_ctx[idx] = 1;
                r.ctx[idx] = (uint32_t)v;
            } else {
                d->other_packets++;
            }
        } else if ((h & 0xfc) == 0x48 && hdr == 1) { /* Operation Type */
            r.has_op = 1;
            r.op_class = h & 3;
            r.op = (uint8_t)v;
        } else if ((h & 0xf8) == 0xb0) { /* Address */
            unsigned idx = ext << 3 | (h & 7);
            switch (idx) {
            case 0: /* PC: NS bit 63, EL bits 62:61 */
                r.has_pc = 1;
                r.pc = v & VA_MASK;
                r.pc_el = (int)(v >> 61 & 3);
                r.pc_ns = (int)(v >> 63 & 1);
                break;
            case 1: r.has_tgt = 1; r.tgt = v & VA_MASK; break;
            case 2: r.has_va = 1; r.va = v & VA_MASK; break;
            case 3: r.has_pa = 1; r.pa = v & VA_MASK; r.pa_raw = v; break;
            default: d->other_packets++;
            }
        } else if ((h & 0xf8) == 0x98) { /* Counter */
            unsigned idx = ext << 3 | (h & 7);
            if (idx < 8) {
                r.lat_mask |= 1u << idx;
                r.lat[idx] = v;
            } else {
                d->other_packets++;
            }
        } else {
            d->other_packets++;
        }
    }
    if (r.npackets)
        d->unterminated = (size_t)r.npackets;
}

static void dump_rec(size_t k, const struct rec *r)
{
    char s[512];
    int n = snprintf(s, sizeof s, "record %zu:", k);
#define ADD(...) n += snprintf(s + n, sizeof s - (size_t)n, __VA_ARGS__)
    if (r->has_pc) ADD(" pc=0x%" PRIx64 " el%d ns=%d", r->pc, r->pc_el, r->pc_ns);
    if (r->has_op) ADD(" op=%d/0x%02x", r->op_class, r->op);
    if (r->has_ev) ADD(" ev=0x%" PRIx64, r->ev);
    if (r->has_tgt) ADD(" tgt=0x%" PRIx64, r->tgt);
    if (r->has_va) ADD(" va=0x%" PRIx64, r->va);
    if (r->has_pa) ADD(" pa=0x%" PRIx64 "%s%s", r->pa, r->pa_raw >> 63 ? " ns" : "", r->pa_raw >> 62 & 1 ? " ch" : "");
    if (r->has_ds) ADD(" ds=0x%" PRIx64, r->ds);
    for (int i = 0; i < 8; i++)
        if (r->lat_mask >> i & 1) ADD(" lat%d=%" PRIu64, i, r->lat[i]);
    for (int i = 0; i < 2; i++)
        if (r->has_ctx[i]) ADD(" ctx%d=%u", i, r->ctx[i]);
    if (r->has_ts) ADD(" ts=%" PRIu64, r->ts);
#undef ADD
    (void)n;
    info("%s", s);
}

static void hexdump(const uint8_t *b, size_t len, size_t at, size_t count)
{
    size_t start = at >= 16 ? at - 16 : 0;
    size_t end = at + count < len ? at + count : len;
    char s[256];
    for (size_t row = start; row < end; row += 16) {
        int n = snprintf(s, sizeof s, "aux+0x%06zx:", row);
        for (size_t k = row; k < row + 16 && k < end; k++)
            n += snprintf(s + n, sizeof s - (size_t)n, " %02x", b[k]);
        info("%s", s);
    }
}

/* ------------------------------------------------------- one profiling run */

struct opts {
    int type;
    long interval;
    uint64_t iters, chunk;
    long aux_pages;
    int jitter, kernel, verbose, not_taken;
    struct field ts, pa, jit, ldf;
    int have_jit, have_ldf;
};

struct run {
    const char *name;
    int load_filter;
    /* AUX bytes in the order written */
    uint8_t *data;
    size_t len, cap;
    uint64_t drains, aux_records, aux_sum, aux_gaps, n_trunc, n_partial, n_coll, n_lost, n_itrace, n_other;
    uint64_t flags_or, last_aux_end;
    uint64_t t0, t1;
    long irq0, irq1;
    size_t aux_size;
    uint64_t sum;
};

static struct perf_event_mmap_page *pc;
static uint8_t *ring, *aux;
static size_t page_size, ring_size, aux_size;

static void drain_aux(struct run *r)
{
    uint64_t head = __atomic_load_n(&pc->aux_head, __ATOMIC_ACQUIRE);
    uint64_t tail = pc->aux_tail;
    if (head == tail)
        return;
    uint64_t n = head - tail;
    if (r->len + n > r->cap) {
        while (r->len + n > r->cap)
            r->cap = r->cap ? r->cap * 2 : (1u << 20);
        r->data = realloc(r->data, r->cap);
        if (!r->data)
            fail_early("out of memory (AUX copy of %zu bytes)", r->cap);
    }
    for (uint64_t k = 0; k < n;) {
        uint64_t off = (tail + k) % aux_size;
        uint64_t piece = aux_size - off;
        if (piece > n - k)
            piece = n - k;
        memcpy(r->data + r->len + k, aux + off, piece);
        k += piece;
    }
    r->len += n;
    r->drains++;
    __atomic_store_n(&pc->aux_tail, head, __ATOMIC_RELEASE);
}

static void drain_ring(struct run *r)
{
    uint64_t head = __atomic_load_n(&pc->data_head, __ATOMIC_ACQUIRE);
    uint64_t tail = pc->data_tail;
    uint8_t *data = ring + pc->data_offset;
    uint64_t size = pc->data_size;
    while (tail < head) {
        uint8_t buf[256];
        struct perf_event_header eh;
        for (size_t k = 0; k < sizeof eh; k++)
            ((uint8_t *)&eh)[k] = data[(tail + k) % size];
        if (eh.size < sizeof eh || eh.size > sizeof buf)
            break;
        for (size_t k = 0; k < eh.size; k++)
            buf[k] = data[(tail + k) % size];
        switch (eh.type) {
        case PERF_RECORD_AUX: {
            uint64_t off, sz, fl;
            memcpy(&off, buf + 8, 8);
            memcpy(&sz, buf + 16, 8);
            memcpy(&fl, buf + 24, 8);
            if (r->aux_records && off != r->last_aux_end)
                r->aux_gaps++;
            r->last_aux_end = off + sz;
            r->aux_records++;
            r->aux_sum += sz;
            r->flags_or |= fl;
            if (fl & PERF_AUX_FLAG_TRUNCATED)
                r->n_trunc++;
            if (fl & PERF_AUX_FLAG_PARTIAL)
                r->n_partial++;
            if (fl & PERF_AUX_FLAG_COLLISION)
                r->n_coll++;
            if (fl & (PERF_AUX_FLAG_TRUNCATED | PERF_AUX_FLAG_PARTIAL | PERF_AUX_FLAG_COLLISION))
                info("%s: PERF_RECORD_AUX offset %" PRIu64 " size %" PRIu64 " flags 0x%" PRIx64 "%s%s%s", r->name,
                     off, sz, fl, fl & PERF_AUX_FLAG_TRUNCATED ? " truncated" : "",
                     fl & PERF_AUX_FLAG_PARTIAL ? " partial" : "", fl & PERF_AUX_FLAG_COLLISION ? " collision" : "");
            break;
        }
        case PERF_RECORD_ITRACE_START: r->n_itrace++; break;
        case PERF_RECORD_LOST: {
            uint64_t lost;
            memcpy(&lost, buf + 16, 8);
            r->n_lost += lost;
            break;
        }
        default: r->n_other++;
        }
        tail += eh.size;
    }
    __atomic_store_n(&pc->data_tail, tail, __ATOMIC_RELEASE);
}

static int do_run(const struct opts *o, struct run *r, uint64_t *page)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = (uint32_t)o->type;
    attr.sample_period = (uint64_t)o->interval;
    attr.disabled = 1;
    attr.exclude_kernel = !o->kernel;
    int bad = set_field(&attr, &o->ts, 1) | set_field(&attr, &o->pa, 1);
    if (o->jitter && o->have_jit)
        bad |= set_field(&attr, &o->jit, 1);
    if (r->load_filter)
        bad |= set_field(&attr, &o->ldf, 1);
    if (bad) {
        check(0, "attr config", "%s: a format field is out of this program's perf_event_attr", r->name);
        return -1;
    }
    int fd = (int)syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    char name[96];
    snprintf(name, sizeof name, "%s: perf_event_open", r->name);
    check(fd >= 0, name, "type %d config 0x%llx period %llu exclude_kernel %d%s%s", o->type,
          (unsigned long long)attr.config, (unsigned long long)attr.sample_period, (int)attr.exclude_kernel,
          fd < 0 ? ": " : "", fd < 0 ? strerror(errno) : "");
    if (fd < 0)
        return -1;

    ring_size = (1 + RB_PAGES) * page_size;
    ring = mmap(NULL, ring_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    snprintf(name, sizeof name, "%s: mmap ring buffer", r->name);
    if (ring == MAP_FAILED) {
        check(0, name, "%zu bytes: %s", ring_size, strerror(errno));
        close(fd);
        return -1;
    }
    pc = (struct perf_event_mmap_page *)ring;
    aux_size = (size_t)o->aux_pages * page_size;
    pc->aux_offset = ring_size;
    pc->aux_size = aux_size;
    aux = mmap(NULL, aux_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)ring_size);
    if (aux == MAP_FAILED) {
        check(0, name, "AUX area of %zu bytes at offset %zu: %s", aux_size, ring_size, strerror(errno));
        munmap(ring, ring_size);
        close(fd);
        return -1;
    }
    check(1, name, "%zu-byte ring buffer, %zu-byte AUX area at offset %zu", ring_size, aux_size, ring_size);
    r->aux_size = aux_size;

    r->irq0 = spe_irq_count();
    r->t0 = cntvct();
    int e1 = ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    int e1errno = errno;
    for (uint64_t done = 0; done < o->iters;) {
        uint64_t n = o->iters - done < o->chunk ? o->iters - done : o->chunk;
        r->sum += spe_loop(page, n);
        done += n;
        drain_aux(r);
        drain_ring(r);
    }
    int e2 = ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
    int e2errno = errno;
    r->t1 = cntvct();
    drain_aux(r);
    drain_ring(r);
    r->irq1 = spe_irq_count();
    snprintf(name, sizeof name, "%s: ioctl ENABLE/DISABLE", r->name);
    check(e1 == 0 && e2 == 0, name, "%s / %s", e1 ? strerror(e1errno) : "0", e2 ? strerror(e2errno) : "0");

    munmap(aux, aux_size);
    munmap(ring, ring_size);
    close(fd);
    info("%s: %zu AUX bytes in %" PRIu64 " drains; %" PRIu64 " PERF_RECORD_AUX (sizes sum %" PRIu64 ", %" PRIu64
         " gaps, flags or-ed 0x%" PRIx64 ": %" PRIu64 " truncated, %" PRIu64 " partial, %" PRIu64
         " collision), %" PRIu64 " ITRACE_START, %" PRIu64 " lost, %" PRIu64 " other records; PMBIRQ count %ld -> %ld",
         r->name, r->len, r->drains, r->aux_records, r->aux_sum, r->aux_gaps, r->flags_or, r->n_trunc, r->n_partial,
         r->n_coll, r->n_itrace, r->n_lost, r->n_other, r->irq0, r->irq1);
    return 0;
}

static int is_load(const struct rec *x) { return x->has_op && x->op_class == 1 && !(x->op & 1); }
static int is_store(const struct rec *x) { return x->has_op && x->op_class == 1 && (x->op & 1); }

static int in_loop(const struct rec *x)
{
    return x->has_pc && x->pc >= (uintptr_t)spe_loop && x->pc < (uintptr_t)spe_loop_end;
}

/* Checks common to both runs: the data decodes, records have PCs, nothing lost. */
static int check_stream(const struct opts *o, struct run *r, struct decoded *d)
{
    char name[96];
    decode(r->data, r->len, d);
    snprintf(name, sizeof name, "%s: AUX data", r->name);
    check(r->len > 0 && d->n > 0, name, "%zu bytes, %zu records, %zu padding bytes", r->len, d->n, d->pads);
    if (d->bad) {
        info("%s: undecodable packet at AUX offset %zu:", r->name, d->bad_off);
        hexdump(r->data, r->len, d->bad_off, 32);
    }
    snprintf(name, sizeof name, "%s: packets decode", r->name);
    check(!d->bad && !d->unterminated, name, "%s; %zu packets after the last End/Timestamp; %zu empty End records; %zu other packets",
          d->bad ? "a bad packet" : "no bad packet", d->unterminated, d->empty_ends, d->other_packets);
    if (!d->n)
        return -1;

    size_t nopc = 0, notuser = 0, first_nopc = SIZE_MAX;
    for (size_t k = 0; k < d->n; k++) {
        if (!d->recs[k].has_pc) {
            nopc++;
            if (first_nopc == SIZE_MAX)
                first_nopc = k;
        } else if (d->recs[k].pc_el != 0) {
            notuser++;
        }
    }
    snprintf(name, sizeof name, "%s: every record has a PC", r->name);
    check(nopc == 0, name, "%zu of %zu without a PC packet", nopc, d->n);
    if (nopc)
        dump_rec(first_nopc, &d->recs[first_nopc]);
    if (!o->kernel) {
        snprintf(name, sizeof name, "%s: user-space PCs only (exclude_kernel)", r->name);
        check(notuser == 0, name, "%zu of %zu PCs at EL1/EL2", notuser, d->n);
    }
    snprintf(name, sizeof name, "%s: nothing truncated or lost", r->name);
    check(r->n_trunc == 0 && r->n_partial == 0 && r->n_lost == 0, name,
          "%" PRIu64 " truncated, %" PRIu64 " partial PERF_RECORD_AUX, %" PRIu64 " lost", r->n_trunc, r->n_partial,
          r->n_lost);
    return 0;
}

/* ------------------------------------------------------- -K: host SPE and KVM */

/*
 * kvmtest.c's guest memory: one memslot at RAM_IPA 0x10000000 of DATA_OFF (1 MiB) + VCPUS * DATA_SIZE
 * (512 KiB) rounded up to 2 MiB, at most 6 MiB for 8 vCPUs; guest.S's code is its first 8 KiB
 * (kvmtest_guest_start..kvmtest_guest_end, copied to IPA 0x10000000).  The guest runs it with its
 * MMU off (the MTE mode: identity-mapped), so a guest PC is one of these IPAs.
 */
#define KVM_GUEST_RAM_LO 0x10000000ull
#define KVM_GUEST_RAM_HI 0x10600000ull
#define KVM_GUEST_CODE_HI 0x10002000ull
#define UPPER_HALF(va) ((va) >> 55 & 1)

/* The kernel log (klogctl READ_ALL); NULL if unreadable. */
static char *read_klog(size_t *len)
{
    int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
    if (size <= 0)
        return NULL;
    char *b = malloc((size_t)size + 1);
    if (!b)
        return NULL;
    int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, b, size);
    if (n < 0) {
        free(b);
        return NULL;
    }
    b[n] = 0;
    *len = (size_t)n;
    return b;
}

/* The kernel log lines that spe-guest.sh also rejects: count them, keep the first. */
static size_t klog_bad_lines(const char *s, char *first, size_t first_size)
{
    static const char *const pats[] = {"WARNING:", "BUG:", "Oops", "Kernel panic", "Unexpected buffer fault",
                                       "Unknown error code", "Unknown buffer status code"};
    size_t n = 0;
    while (s && *s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char line[512];
        size_t l = len < sizeof line - 1 ? len : sizeof line - 1;
        memcpy(line, s, l);
        line[l] = 0;
        for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
            if (strstr(line, pats[k])) {
                if (!n && first)
                    snprintf(first, first_size, "%.200s", line);
                n++;
                break;
            }
        }
        s += len + (e ? 1 : 0);
    }
    return n;
}

/* Text symbols of /proc/kallsyms, sorted by address. */
struct ksym {
    uint64_t addr;
    const char *name;
    size_t hits;
    uint64_t max_off; /* the highest PC offset sampled in it */
};

static int ksym_cmp(const void *a, const void *b)
{
    const struct ksym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static size_t load_kallsyms(struct ksym **out, size_t *zero)
{
    FILE *f = fopen("/proc/kallsyms", "re");
    *out = NULL;
    *zero = 0;
    if (!f)
        return 0;
    size_t n = 0, cap = 0;
    struct ksym *v = NULL;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *end;
        uint64_t a = strtoull(line, &end, 16);
        if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
            continue;
        char t = end[1];
        if (t != 't' && t != 'T' && t != 'w' && t != 'W')
            continue;
        if (!a) {
            (*zero)++;
            continue;
        }
        char *name = end + 3;
        name[strcspn(name, "\t\n")] = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            v = realloc(v, cap * sizeof *v);
            if (!v)
                fail_early("out of memory (%zu symbols)", cap);
        }
        v[n].addr = a;
        v[n].name = strdup(name);
        v[n].hits = 0;
        v[n].max_off = 0;
        if (!v[n].name)
            fail_early("out of memory (symbol names)");
        n++;
    }
    fclose(f);
    qsort(v, n, sizeof *v, ksym_cmp);
    *out = v;
    return n;
}

/* The symbol whose text holds pc (the last at or below it, within 1 MiB); NULL if none. */
static struct ksym *ksym_find(struct ksym *v, size_t n, uint64_t pc)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].addr <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo || pc - v[lo - 1].addr >= (1u << 20))
        return NULL;
    return &v[lo - 1];
}

static int kvm_mode(struct opts *o, const char *path, char **args, int nargs)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.name = "kvm";
    o->kernel = 1; /* check_stream: kernel records are expected */
    char name[96];

    /* The kernel log: how KVM runs, and the baseline of bad lines. */
    size_t klog0_len = 0;
    char *klog0 = read_klog(&klog0_len);
    int vhe = -1; /* 1 VHE (host kernel at EL2), 0 nVHE/hVHE/protected (host kernel at EL1) */
    char kvm_line[160] = "no \"kvm [N]: ... mode initialized successfully\" line";
    for (const char *s = klog0; s && (s = strstr(s, "mode initialized successfully")); s++) {
        const char *bol = s;
        while (bol > klog0 && bol[-1] != '\n')
            bol--;
        const char *k = strstr(bol, "kvm [");
        if (!k || k > s)
            continue;
        const char *m = strstr(k, "]: ");
        vhe = m && m < s && strncmp(m + 3, "VHE mode", 8) == 0;
        size_t l = strcspn(k, "\n");
        snprintf(kvm_line, sizeof kvm_line, "%.*s", (int)(l < 150 ? l : 150), k);
    }
    check(klog0 && vhe >= 0, "kvm: KVM mode from the kernel log", "%s: %s", kvm_line,
          vhe == 1 ? "VHE, the host kernel runs at EL2" : vhe == 0 ? "not VHE, the host kernel runs at EL1" : "unknown");
    if (!klog0)
        info("kvm: klogctl: %s", strerror(errno));

    /* CPU 0 for this process and (inherited) its child and the child's threads. */
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(0, &cpus);
    int aff = sched_setaffinity(0, sizeof cpus, &cpus);
    check(aff == 0, "kvm: sched affinity CPU 0", "%s", aff ? strerror(errno) : "spetest and its child");

    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = (uint32_t)o->type;
    attr.sample_period = (uint64_t)o->interval;
    attr.disabled = 1;
    attr.exclude_kernel = 0;
    attr.exclude_guest = 1;
    struct field pct;
    int have_pct = get_format("pct_enable", &pct) == 0;
    int bad = set_field(&attr, &o->ts, 1);
    if (have_pct)
        bad |= set_field(&attr, &pct, 1);
    if (o->jitter && o->have_jit)
        bad |= set_field(&attr, &o->jit, 1);
    if (bad) {
        check(0, "attr config", "%s: a format field is out of this program's perf_event_attr", r.name);
        goto out;
    }
    int fd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
    check(fd >= 0, "kvm: perf_event_open (pid -1, cpu 0)",
          "type %d config 0x%llx period %llu exclude_kernel %d exclude_guest %d, pct_enable %s%s%s", o->type,
          (unsigned long long)attr.config, (unsigned long long)attr.sample_period, (int)attr.exclude_kernel,
          (int)attr.exclude_guest, have_pct ? pct.text : "(missing)", fd < 0 ? ": " : "",
          fd < 0 ? strerror(errno) : "");
    if (fd < 0)
        goto out;
    ring_size = (1 + RB_PAGES) * page_size;
    ring = mmap(NULL, ring_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED) {
        check(0, "kvm: mmap ring buffer", "%zu bytes: %s", ring_size, strerror(errno));
        close(fd);
        goto out;
    }
    pc = (struct perf_event_mmap_page *)ring;
    aux_size = (size_t)o->aux_pages * page_size;
    pc->aux_offset = ring_size;
    pc->aux_size = aux_size;
    aux = mmap(NULL, aux_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)ring_size);
    if (aux == MAP_FAILED) {
        check(0, "kvm: mmap ring buffer", "AUX area of %zu bytes at offset %zu: %s", aux_size, ring_size,
              strerror(errno));
        munmap(ring, ring_size);
        close(fd);
        goto out;
    }
    check(1, "kvm: mmap ring buffer", "%zu-byte ring buffer, %zu-byte AUX area at offset %zu", ring_size, aux_size,
          ring_size);
    r.aux_size = aux_size;

    /* The child's command line. */
    char **cargv = calloc((size_t)nargs + 2, sizeof *cargv);
    if (!cargv)
        fail_early("out of memory");
    cargv[0] = (char *)path;
    char cmd[256];
    int cn = snprintf(cmd, sizeof cmd, "%s", path);
    for (int i = 0; i < nargs; i++) {
        cargv[i + 1] = args[i];
        if (cn < (int)sizeof cmd)
            cn += snprintf(cmd + cn, sizeof cmd - (size_t)cn, " %s", args[i]);
    }
    info("kvm: profiling CPU 0 while %s runs", cmd);
    fflush(stdout);

    r.irq0 = spe_irq_count();
    r.t0 = cntvct();
    int e1 = ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    int e1errno = errno;
    uint64_t tc0 = cntvct();
    pid_t pid = fork();
    if (pid == 0) {
        sched_setaffinity(0, sizeof cpus, &cpus);
        execv(path, cargv);
        printf("spetest: info: kvm: execv %s: %s\n", path, strerror(errno));
        fflush(stdout);
        _exit(127);
    }
    int status = -1, werr = 0;
    if (pid > 0) {
        child_pid = pid;
        for (;;) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid)
                break;
            if (w < 0 && errno != EINTR) {
                werr = errno;
                break;
            }
            drain_aux(&r);
            drain_ring(&r);
            struct timespec ts = {0, 2000000}; /* 2 ms */
            nanosleep(&ts, NULL);
        }
        child_pid = 0;
    }
    uint64_t tc1 = cntvct();
    drain_aux(&r);
    drain_ring(&r);
    int e2 = ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
    int e2errno = errno;
    r.t1 = cntvct();
    drain_aux(&r);
    drain_ring(&r);
    r.irq1 = spe_irq_count();
    check(e1 == 0 && e2 == 0, "kvm: ioctl ENABLE/DISABLE", "%s / %s", e1 ? strerror(e1errno) : "0",
          e2 ? strerror(e2errno) : "0");
    munmap(aux, aux_size);
    munmap(ring, ring_size);
    close(fd);
    free(cargv);
    info("%s: %zu AUX bytes in %" PRIu64 " drains; %" PRIu64 " PERF_RECORD_AUX (sizes sum %" PRIu64 ", %" PRIu64
         " gaps, flags or-ed 0x%" PRIx64 ": %" PRIu64 " truncated, %" PRIu64 " partial, %" PRIu64
         " collision), %" PRIu64 " ITRACE_START, %" PRIu64 " lost, %" PRIu64 " other records; PMBIRQ count %ld -> %ld",
         r.name, r.len, r.drains, r.aux_records, r.aux_sum, r.aux_gaps, r.flags_or, r.n_trunc, r.n_partial, r.n_coll,
         r.n_itrace, r.n_lost, r.n_other, r.irq0, r.irq1);

    /* The child's verdict. */
    if (pid < 0)
        check(0, "kvm: kvmtest passed", "fork: %s", strerror(errno));
    else if (werr)
        check(0, "kvm: kvmtest passed", "waitpid: %s", strerror(werr));
    else if (WIFEXITED(status))
        check(WEXITSTATUS(status) == 0, "kvm: kvmtest passed", "%s: exit %d", cmd, WEXITSTATUS(status));
    else
        check(0, "kvm: kvmtest passed", "%s: %s %d", cmd, WIFSIGNALED(status) ? "killed by signal" : "status",
              WIFSIGNALED(status) ? WTERMSIG(status) : status);

    /* The records. */
    struct decoded d;
    memset(&d, 0, sizeof d);
    if (check_stream(o, &r, &d) != 0) {
        check(0, "kvm: records while kvmtest ran", "no records at all");
        goto out_free;
    }
    check(r.n_coll == 0, "kvm: no collision", "%" PRIu64 " PERF_RECORD_AUX with the collision flag", r.n_coll);

    size_t el_n[4] = {0, 0, 0, 0}, in_window = 0, ts_n = 0, ts_back = 0, ts_out = 0, ns0 = 0;
    size_t guest_ram = 0, guest_code = 0, half_bad = 0, ctx_n = 0;
    size_t first_guest = SIZE_MAX, first_half = SIZE_MAX, first_el = SIZE_MAX, first_ts = SIZE_MAX;
    uint64_t last_ts = 0, ts_min = UINT64_MAX, ts_max = 0;
    int wrong_el = vhe == 1 ? 1 : vhe == 0 ? 2 : -1; /* the EL no host kernel record may have */
    for (size_t k = 0; k < d.n; k++) {
        const struct rec *x = &d.recs[k];
        if (k < (size_t)o->verbose)
            dump_rec(k, x);
        if (x->has_ctx[0] || x->has_ctx[1])
            ctx_n++;
        if (x->has_ts) {
            ts_n++;
            if (x->ts < last_ts) {
                ts_back++;
                if (first_ts == SIZE_MAX)
                    first_ts = k;
            }
            last_ts = x->ts;
            if (x->ts < ts_min)
                ts_min = x->ts;
            if (x->ts > ts_max)
                ts_max = x->ts;
            if (x->ts < r.t0 || x->ts > r.t1) {
                ts_out++;
                if (first_ts == SIZE_MAX)
                    first_ts = k;
            }
            if (x->ts >= tc0 && x->ts <= tc1)
                in_window++;
        }
        if (!x->has_pc)
            continue;
        el_n[x->pc_el]++;
        if (!x->pc_ns)
            ns0++;
        if (x->pc >= KVM_GUEST_RAM_LO && x->pc < KVM_GUEST_RAM_HI) {
            guest_ram++;
            guest_code += x->pc < KVM_GUEST_CODE_HI;
            if (first_guest == SIZE_MAX)
                first_guest = k;
        }
        if ((int)UPPER_HALF(x->pc) != (x->pc_el != 0)) {
            half_bad++;
            if (first_half == SIZE_MAX)
                first_half = k;
        }
        if (x->pc_el == wrong_el && first_el == SIZE_MAX)
            first_el = k;
    }
    info("kvm: %zu records: EL0 %zu, EL1 %zu, EL2 %zu, EL3 %zu; %zu with NS=0; %zu with a Context packet", d.n,
         el_n[0], el_n[1], el_n[2], el_n[3], ns0, ctx_n);
    {
        /* The Context values (PIDs with CONFIG_PID_IN_CONTEXTIDR) with the most records. */
        uint32_t cv[8];
        size_t cc[8], ncv = 0, rest = 0;
        for (size_t k = 0; k < d.n; k++) {
            const struct rec *x = &d.recs[k];
            int i = x->has_ctx[1] ? 1 : x->has_ctx[0] ? 0 : -1;
            if (i < 0)
                continue;
            size_t j = 0;
            while (j < ncv && cv[j] != x->ctx[i])
                j++;
            if (j == ncv && ncv < 8) {
                cv[ncv] = x->ctx[i];
                cc[ncv++] = 0;
            }
            if (j < ncv)
                cc[j]++;
            else
                rest++;
        }
        char h[400] = "";
        int hn = 0;
        for (size_t j = 0; j < ncv && hn < (int)sizeof h; j++) {
            /* The task's name, if it still exists. */
            char path[64], comm[32] = "";
            snprintf(path, sizeof path, "/proc/%u/comm", cv[j]);
            if (read_text(path, comm, sizeof comm) != 0)
                comm[0] = 0;
            hn += snprintf(h + hn, sizeof h - (size_t)hn, " %u%s%s%s:%zu", cv[j], comm[0] ? " (" : "", comm,
                           comm[0] ? ")" : "", cc[j]);
        }
        info("kvm: spetest is PID %d, the child %d; records by Context value:%s%s", (int)getpid(), (int)pid, h,
             rest ? " (and more)" : "");
    }

    /* Host KVM code in the records: /proc/kallsyms. */
    size_t zero = 0, kvm_hits = 0, nvhe_hits = 0, sym_hits = 0;
    struct ksym *syms = NULL;
    size_t nsyms = load_kallsyms(&syms, &zero);
    for (size_t k = 0; k < d.n && nsyms; k++) {
        const struct rec *x = &d.recs[k];
        if (!x->has_pc || !x->pc_el)
            continue;
        /* The PC packet holds 56 bits: an upper-half address has 0xff in its top byte. */
        uint64_t va = UPPER_HALF(x->pc) ? x->pc | 0xff00000000000000ull : x->pc;
        struct ksym *s = ksym_find(syms, nsyms, va);
        if (!s)
            continue;
        s->hits++;
        if (va - s->addr > s->max_off)
            s->max_off = va - s->addr;
        sym_hits++;
        if (strstr(s->name, "kvm")) {
            kvm_hits++;
            if (strncmp(s->name, "__kvm_nvhe_", 11) == 0)
                nvhe_hits++;
        }
    }
    if (nsyms) {
        /* The five symbols with the most kernel records. */
        char top[600] = "";
        int tn = 0;
        for (int t = 0; t < 5; t++) {
            struct ksym *best = NULL;
            for (size_t k = 0; k < nsyms; k++)
                if (syms[k].hits && (!best || syms[k].hits > best->hits))
                    best = &syms[k];
            if (!best)
                break;
            tn += snprintf(top + tn, sizeof top - (size_t)tn, "%s%s (0x%" PRIx64 ", offsets up to 0x%" PRIx64 ") %zu",
                           t ? ", " : "", best->name, best->addr, best->max_off, best->hits);
            best->hits = 0;
            if (tn >= (int)sizeof top)
                break;
        }
        info("kvm: /proc/kallsyms: %zu text symbols; %zu kernel records in them, %zu in KVM code (%zu in nVHE hyp "
             "code, __kvm_nvhe_*); most records: %s",
             nsyms, sym_hits, kvm_hits, nvhe_hits, top);
    } else {
        info("kvm: /proc/kallsyms gave no addresses (%zu zero): KVM code not located", zero);
    }

    check(d.n > 0 && in_window > 0 && (!nsyms || kvm_hits > 0), "kvm: records while kvmtest ran",
          "%zu records, %zu timestamped between its fork and its exit [%" PRIu64 ", %" PRIu64 "], %s%zu%s", d.n,
          in_window, tc0, tc1, nsyms ? "" : "(no kallsyms) ", kvm_hits, " with a PC in host KVM code");
    check(guest_ram == 0, "kvm: no PC in the guest's code",
          "%zu records with a PC in guest RAM IPA 0x%llx-0x%llx (%zu in guest.S's code, below 0x%llx)", guest_ram,
          KVM_GUEST_RAM_LO, KVM_GUEST_RAM_HI, guest_code, KVM_GUEST_CODE_HI);
    if (first_guest != SIZE_MAX)
        dump_rec(first_guest, &d.recs[first_guest]);
    check(half_bad == 0, "kvm: EL0 PCs in the lower half, EL1/EL2 PCs in the upper half", "%zu of %zu records not",
          half_bad, d.n);
    if (first_half != SIZE_MAX)
        dump_rec(first_half, &d.recs[first_half]);
    if (vhe == 1)
        check(el_n[1] == 0 && el_n[2] > 0 && el_n[3] == 0, "kvm: host kernel at EL2, no record at EL1 (VHE)",
              "EL1 %zu, EL2 %zu, EL3 %zu", el_n[1], el_n[2], el_n[3]);
    else if (vhe == 0)
        check(el_n[2] == 0 && el_n[1] > 0 && el_n[3] == 0, "kvm: host kernel at EL1, no record at EL2 (nVHE)",
              "EL1 %zu, EL2 %zu, EL3 %zu", el_n[1], el_n[2], el_n[3]);
    else
        check(0, "kvm: host kernel records at one EL", "KVM mode unknown: EL1 %zu, EL2 %zu, EL3 %zu", el_n[1],
              el_n[2], el_n[3]);
    if (first_el != SIZE_MAX)
        dump_rec(first_el, &d.recs[first_el]);
    if (have_pct) {
        check(ts_n == d.n && ts_back == 0 && ts_out == 0, "kvm: timestamps (ts_enable, pct_enable)",
              "%zu of %zu records timestamped, %zu going back, %zu outside CNTVCT [%" PRIu64 ", %" PRIu64
              "]; records' range [%" PRIu64 ", %" PRIu64 "]",
              ts_n, d.n, ts_back, ts_out, r.t0, r.t1, ts_min == UINT64_MAX ? 0 : ts_min, ts_max);
        if (first_ts != SIZE_MAX)
            dump_rec(first_ts, &d.recs[first_ts]);
    } else {
        info("kvm: timestamps (virtual, no pct_enable): %zu of %zu, %zu going back, %zu outside CNTVCT [%" PRIu64
             ", %" PRIu64 "]",
             ts_n, d.n, ts_back, ts_out, r.t0, r.t1);
    }

out_free:
    free(d.recs);
    free(r.data);
out:;
    /* The kernel log after the run: only lines it did not have before count. */
    size_t klog1_len = 0;
    char *klog1 = read_klog(&klog1_len);
    char first[256] = "";
    const char *fresh = klog1;
    if (klog1 && klog0 && klog1_len >= klog0_len && memcmp(klog1, klog0, klog0_len) == 0)
        fresh = klog1 + klog0_len;
    size_t nbad = klog_bad_lines(fresh, first, sizeof first);
    /* (The detail avoids the words spe-guest.sh looks for in the console log.) */
    snprintf(name, sizeof name, "kvm: kernel log clean");
    check(klog1 && nbad == 0, name, "%s%zu new lines with a kernel warning, bug, oops, panic or SPE buffer error%s%s",
          klog1 ? "" : "klogctl failed; ", nbad, nbad ? "; the first: " : "", first);
    free(klog0);
    free(klog1);
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    memset(&o, 0, sizeof o);
    o.interval = 1024;
    o.iters = 4000000;
    o.chunk = 65536;
    o.aux_pages = 128;
    o.verbose = 4;
    int skip_filter = 0, have_timeout = 0;
    const char *kvm_path = NULL;
    int opt;
    setvbuf(stdout, NULL, _IOLBF, 0);
    while ((opt = getopt(argc, argv, "i:n:c:a:jkNFv:t:K:h")) != -1) {
        switch (opt) {
        case 'i': o.interval = strtol(optarg, NULL, 0); break;
        case 'n': o.iters = strtoull(optarg, NULL, 0); break;
        case 'c': o.chunk = strtoull(optarg, NULL, 0); break;
        case 'a': o.aux_pages = strtol(optarg, NULL, 0); break;
        case 'j': o.jitter = 1; break;
        case 'k': o.kernel = 1; break;
        case 'N': o.not_taken = 1; break;
        case 'F': skip_filter = 1; break;
        case 'v': o.verbose = atoi(optarg); break;
        case 't': timeout_s = atoi(optarg); have_timeout = 1; break;
        case 'K': kvm_path = optarg; break;
        default:
            fprintf(stderr, "usage: spetest [-i INTERVAL] [-n ITERATIONS] [-c CHUNK] [-a AUX_PAGES] [-j] [-k] [-N] [-F] "
                            "[-v N] [-t TIMEOUT_SECONDS]\n"
                            "       spetest [-i INTERVAL] [-a AUX_PAGES] [-j] [-v N] [-t TIMEOUT_SECONDS] "
                            "-K PATH [-- ARGS...]\n");
            return opt == 'h' ? 0 : 2;
        }
    }
    if (o.iters < 1 || o.chunk < 1 || o.interval < 1 || o.aux_pages < 2 || (o.aux_pages & (o.aux_pages - 1))) {
        fprintf(stderr, "spetest: bad arguments (ITERATIONS, CHUNK, INTERVAL >= 1; AUX_PAGES a power of 2, >= 2)\n");
        return 2;
    }
    if (kvm_path && !have_timeout)
        timeout_s = 600;
    signal(SIGALRM, on_alarm);
    alarm((unsigned)timeout_s);
    page_size = (size_t)sysconf(_SC_PAGESIZE);

    /* ---- the PMU */
    o.type = (int)read_long(SPE_DIR "/type");
    if (o.type < 0)
        fail_early("no SPE PMU: cannot read " SPE_DIR "/type (%s)", strerror(errno));
    long min_interval = read_long(SPE_DIR "/caps/min_interval");
    long count_size = read_long(SPE_DIR "/caps/count_size");
    long arch_inst = read_long(SPE_DIR "/caps/arch_inst");
    long ernd = read_long(SPE_DIR "/caps/ernd");
    char cpumask[64] = "?";
    read_text(SPE_DIR "/cpumask", cpumask, sizeof cpumask);
    info("arm_spe_0: type %d, cpumask %s, caps: min_interval %ld, count_size %ld, arch_inst %ld, ernd %ld", o.type,
         cpumask, min_interval, count_size, arch_inst, ernd);
    int fts = get_format("ts_enable", &o.ts), fpa = get_format("pa_enable", &o.pa);
    o.have_jit = get_format("jitter", &o.jit) == 0;
    o.have_ldf = get_format("load_filter", &o.ldf) == 0;
    check(o.type > 0 && fts == 0 && fpa == 0, "arm_spe_0 format", "ts_enable %s, pa_enable %s, jitter %s, load_filter %s",
          fts ? "(missing)" : o.ts.text, fpa ? "(missing)" : o.pa.text, o.have_jit ? o.jit.text : "(missing)",
          o.have_ldf ? o.ldf.text : "(missing)");
    check(min_interval > 0, "arm_spe_0 caps/min_interval", "%ld", min_interval);
    if (fts || fpa)
        fail_early("arm_spe_0 format (%d of %d checks failed)", nfails, nchecks);
    /* What the driver does with sample_period (arm_spe_event_sanitise_period). */
    long eff = o.interval;
    if (min_interval > 0 && eff < min_interval)
        eff = min_interval;
    else
        eff &= 0xffffff00;
    if (eff != o.interval)
        info("interval %ld becomes %ld (min_interval %ld, a multiple of 256)", o.interval, eff, min_interval);
    o.interval = eff;
    if (o.interval < 256)
        fail_early("interval %ld: the driver would use less than 256", o.interval);

    /* ---- -K: host SPE while a KVM guest runs, instead of runs 1 and 2 */
    if (kvm_path) {
        kvm_mode(&o, kvm_path, argv + optind, argc - optind);
        goto verdict;
    }

    /* ---- the workload's page: locked, so its PA stays put */
    uint64_t *page = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        fail_early("mmap of the workload page: %s", strerror(errno));
    memset(page, 0, page_size);
    if (mlock(page, page_size) != 0)
        info("mlock: %s", strerror(errno));
    uint64_t page_pa = virt_to_phys(page);
    info("pid %d; spe_loop %p-%p (ldr %p, str %p, tbnz %p, b.ne %p -> %p); page VA %p PA 0x%" PRIx64
         "; CNTFRQ %" PRIu64 " Hz",
         (int)getpid(), (void *)spe_loop, (const void *)spe_loop_end, (const void *)spe_loop_ldr,
         (const void *)spe_loop_str, (const void *)spe_loop_tbnz, (const void *)spe_loop_bne,
         (const void *)spe_loop_top, (void *)page, page_pa, cntfrq());

    /* ---- run 1: every operation type, timestamps and physical addresses */
    struct run r1;
    memset(&r1, 0, sizeof r1);
    r1.name = "run 1";
    struct decoded d1;
    memset(&d1, 0, sizeof d1);
    uint64_t ncalls = (o.iters + o.chunk - 1) / o.chunk;
    uint64_t loop_ops = o.iters * OPS_PER_ITER + 4 * ncalls;
    uint64_t expected = loop_ops / (uint64_t)o.interval;
    info("run 1: %" PRIu64 " iterations in chunks of %" PRIu64 ", about %" PRIu64 " operations in spe_loop, "
         "interval %ld: about %" PRIu64 " samples there",
         o.iters, o.chunk, loop_ops, o.interval, expected);
    if (do_run(&o, &r1, page) == 0 && check_stream(&o, &r1, &d1) == 0) {
        size_t inl = 0, nts = 0, ts_back = 0, ts_out = 0, ldst = 0, ldst_va_bad = 0, ldst_pa = 0, ldst_pa_bad = 0;
        size_t op_bad = 0, br = 0, br_taken = 0, br_tgt_bad = 0, first_op_bad = SIZE_MAX, first_ldst_bad = SIZE_MAX;
        size_t with_ctx = 0, ctx_pid = 0, ctx_idx[2] = {0, 0}, ctx_zero = 0, first_ts_bad = SIZE_MAX;
        size_t first_br_bad = SIZE_MAX, tb = 0, tb_nt = 0, br_nt = 0, first_nt_bad = SIZE_MAX, tb_nt_tgt = 0;
        uint32_t pid = (uint32_t)getpid(), other_ctx = 0;
        /* Steps (in instructions, mod 9) between consecutive records inside the loop body. */
        size_t steps[OPS_PER_ITER] = {0}, nsteps = 0;
        int prev_pos = -1;
        uint64_t last_ts = 0, ts_min = UINT64_MAX, ts_max = 0;
        for (size_t k = 0; k < d1.n; k++) {
            const struct rec *x = &d1.recs[k];
            if (k < (size_t)o.verbose)
                dump_rec(k, x);
            if (x->has_ts) {
                nts++;
                if (x->ts < last_ts) {
                    ts_back++;
                    if (first_ts_bad == SIZE_MAX)
                        first_ts_bad = k;
                }
                last_ts = x->ts;
                if (x->ts < ts_min)
                    ts_min = x->ts;
                if (x->ts > ts_max)
                    ts_max = x->ts;
            }
            if (x->has_ctx[0] || x->has_ctx[1]) {
                with_ctx++;
                int match = 0;
                for (int i = 0; i < 2; i++) {
                    if (!x->has_ctx[i])
                        continue;
                    ctx_idx[i]++;
                    if (x->ctx[i] == pid)
                        match = 1;
                    else if (x->ctx[i] == 0)
                        ctx_zero++;
                    else
                        other_ctx = x->ctx[i];
                }
                ctx_pid += (size_t)match;
            }
            int pos = -1;
            if (x->has_pc && x->pc >= (uintptr_t)spe_loop_top && x->pc < (uintptr_t)spe_loop_top + 4 * OPS_PER_ITER)
                pos = (int)((x->pc - (uintptr_t)spe_loop_top) / 4);
            if (pos >= 0 && prev_pos >= 0) {
                steps[(pos - prev_pos + OPS_PER_ITER) % OPS_PER_ITER]++;
                nsteps++;
            }
            prev_pos = pos;
            if (!in_loop(x))
                continue;
            inl++;
            if (x->has_ts && (x->ts < r1.t0 || x->ts > r1.t1)) {
                ts_out++;
                if (first_ts_bad == SIZE_MAX)
                    first_ts_bad = k;
            }
            /* The operation type must be the instruction's. */
            /* 0 other, 1 load, 2 store, 3 conditional direct branch (B.NE, TBNZ), 4 RET */
            int want;
            if (x->pc == (uintptr_t)spe_loop_ldr)
                want = 1;
            else if (x->pc == (uintptr_t)spe_loop_str)
                want = 2;
            else if (x->pc == (uintptr_t)spe_loop_bne || x->pc == (uintptr_t)spe_loop_tbnz)
                want = 3;
            else if (x->pc == (uintptr_t)spe_loop_ret)
                want = 4;
            else
                want = 0;
            /* Branch subclass: bit 0 COND (conditional), bit 1 INDIRECT. */
            int got = !x->has_op                             ? -1
                      : x->op_class == 0                     ? 0
                      : is_load(x)                           ? 1
                      : is_store(x)                          ? 2
                      : x->op_class == 2 && (x->op & 3) == 1 ? 3
                      : x->op_class == 2 && (x->op & 3) == 2 ? 4
                                                             : -1;
            if (got != want) {
                op_bad++;
                if (first_op_bad == SIZE_MAX)
                    first_op_bad = k;
            }
            if (want == 1 || want == 2) {
                ldst++;
                uint64_t pva = (uintptr_t)page;
                int va_ok = x->has_va && x->va >= pva && x->va < pva + page_size && x->va % 8 == 0;
                /* Same PA space as the PC (NS), CH = 0: the page is not PROT_MTE, so unchecked. */
                int pa_ok = x->has_pa && (!page_pa || x->pa == page_pa + (x->va - pva)) &&
                            (int)(x->pa_raw >> 63) == x->pc_ns && !(x->pa_raw >> 62 & 1);
                if (x->has_pa)
                    ldst_pa++;
                if (!va_ok)
                    ldst_va_bad++;
                if (!pa_ok)
                    ldst_pa_bad++;
                if ((!va_ok || !pa_ok) && first_ldst_bad == SIZE_MAX)
                    first_ldst_bad = k;
            }
            /* Event bit 6: not taken (FEAT_SPEv1p2): every TBNZ, the last iteration's B.NE. */
            int not_taken = x->has_ev && (x->ev >> 6 & 1);
            if (x->pc == (uintptr_t)spe_loop_tbnz) {
                tb++;
                tb_nt += (size_t)not_taken;
                tb_nt_tgt += (size_t)x->has_tgt;
                if (!not_taken && first_nt_bad == SIZE_MAX)
                    first_nt_bad = k;
            }
            if (x->pc == (uintptr_t)spe_loop_bne) {
                br++;
                br_nt += (size_t)not_taken;
                if (!not_taken) {
                    br_taken++;
                    if (!x->has_tgt || x->tgt != (uintptr_t)spe_loop_top) {
                        br_tgt_bad++;
                        if (first_br_bad == SIZE_MAX)
                            first_br_bad = k;
                    }
                }
            }
        }
        check(inl * 4 >= expected && inl <= expected * 2 && inl * 2 >= d1.n && inl > 0, "run 1: samples in spe_loop",
              "%zu of %zu records (expected about %" PRIu64 ")", inl, d1.n, expected);
        check(op_bad == 0, "run 1: operation types match the instructions", "%zu of %zu in-loop records wrong", op_bad,
              inl);
        if (op_bad)
            dump_rec(first_op_bad, &d1.recs[first_op_bad]);
        check(ldst > 0 && ldst_va_bad == 0, "run 1: load/store data VAs", "%zu loads/stores, %zu without a VA in %p+%zu",
              ldst, ldst_va_bad, (void *)page, page_size);
        check(ldst > 0 && ldst_pa_bad == 0, "run 1: load/store data PAs (pa_enable)",
              "%zu of %zu with a PA packet, %zu not the page's PA 0x%" PRIx64 " (with NS as the PC's, CH 0)%s", ldst_pa,
              ldst, ldst_pa_bad, page_pa,
              page_pa ? "" : " (pagemap gave none: presence only)");
        if (first_ldst_bad != SIZE_MAX)
            dump_rec(first_ldst_bad, &d1.recs[first_ldst_bad]);
        check(br_taken > 0 && br_tgt_bad == 0, "run 1: branch targets", "%zu B.NE records, %zu taken, %zu without target %p",
              br, br_taken, br_tgt_bad, (const void *)spe_loop_top);
        if (first_br_bad != SIZE_MAX)
            dump_rec(first_br_bad, &d1.recs[first_br_bad]);
        /*
         * Without jitter, every interval+1 operations (the Arm ARM's SPEToCollectSample reloads
         * PMSICR_EL1 on the operation after the sampled one) or every interval operations: the
         * step between two records in the loop is then the same almost every time.
         */
        {
            char h[160];
            int n = 0;
            for (int i = 0; i < OPS_PER_ITER; i++)
                n += snprintf(h + n, sizeof h - (size_t)n, " %d:%zu", i, steps[i]);
            info("run 1: PC steps mod %d between consecutive in-loop records (%zu pairs; interval+1 gives %ld, "
                 "interval %ld):%s",
                 OPS_PER_ITER, nsteps, (o.interval + 1) % OPS_PER_ITER, o.interval % OPS_PER_ITER, h);
        }
        /* The Arm ARM's example pseudocode (SPEBranch) only records a target for taken branches. */
        info("run 1: %zu of %zu TBNZ (never taken) records have a branch target packet", tb_nt_tgt, tb);
        if (o.not_taken) {
            check(tb > 0 && tb_nt == tb && br_nt <= ncalls, "run 1: not-taken event (v1p2)",
                  "%zu of %zu TBNZ records not taken; %zu of %zu B.NE records not taken (at most %" PRIu64 ")", tb_nt,
                  tb, br_nt, br, ncalls);
            if (first_nt_bad != SIZE_MAX)
                dump_rec(first_nt_bad, &d1.recs[first_nt_bad]);
        } else {
            info("run 1: not-taken event (bit 6): %zu of %zu TBNZ records, %zu of %zu B.NE records", tb_nt, tb, br_nt,
                 br);
        }
        check(nts == d1.n && ts_back == 0 && ts_out == 0, "run 1: timestamps (ts_enable)",
              "%zu of %zu records timestamped, %zu going back, %zu in-loop outside CNTVCT [%" PRIu64 ", %" PRIu64
              "]; records' range [%" PRIu64 ", %" PRIu64 "]",
              nts, d1.n, ts_back, ts_out, r1.t0, r1.t1, ts_min == UINT64_MAX ? 0 : ts_min, ts_max);
        if (first_ts_bad != SIZE_MAX)
            dump_rec(first_ts_bad, &d1.recs[first_ts_bad]);
        if (r1.irq0 < 0) {
            info("run 1: no arm_spe_pmu line in /proc/interrupts: PMBIRQ not checked");
        } else if (r1.len > r1.aux_size / 2 + r1.aux_size / 8) {
            check(r1.irq1 > r1.irq0, "run 1: PMBIRQ", "%ld arm_spe_pmu interrupts for %zu bytes in a %zu-byte AUX area",
                  r1.irq1 - r1.irq0, r1.len, r1.aux_size);
        } else {
            info("run 1: %zu bytes never filled half the AUX area: PMBIRQ not checked (%ld interrupts)", r1.len,
                 r1.irq1 - r1.irq0);
        }
        /* The script checks this line against the kernel's CONFIG_PID_IN_CONTEXTIDR. */
        printf("spetest: context: records=%zu with_context=%zu pid_match=%zu pid=%u index0=%zu index1=%zu zero=%zu"
               " other=%u\n",
               d1.n, with_ctx, ctx_pid, pid, ctx_idx[0], ctx_idx[1], ctx_zero, other_ctx);
    }
    info("run 1: checksum %" PRIu64, r1.sum);

    /* ---- run 2: load_filter */
    if (!skip_filter && o.have_ldf) {
        struct run r2;
        memset(&r2, 0, sizeof r2);
        r2.name = "run 2 (load_filter)";
        r2.load_filter = 1;
        struct decoded d2;
        memset(&d2, 0, sizeof d2);
        uint64_t exp2 = o.iters / (uint64_t)o.interval;
        if (do_run(&o, &r2, page) == 0 && check_stream(&o, &r2, &d2) == 0) {
            size_t loads = 0, inl = 0, first_bad = SIZE_MAX;
            for (size_t k = 0; k < d2.n; k++) {
                if (is_load(&d2.recs[k]))
                    loads++;
                else if (first_bad == SIZE_MAX)
                    first_bad = k;
                if (in_loop(&d2.recs[k]))
                    inl++;
            }
            check(loads == d2.n, "run 2: only loads", "%zu of %zu records are loads", loads, d2.n);
            if (first_bad != SIZE_MAX)
                dump_rec(first_bad, &d2.recs[first_bad]);
            check(inl * 4 >= exp2 && inl <= exp2 * 2 && inl > 0, "run 2: loads in spe_loop",
                  "%zu of %zu records (expected about %" PRIu64 ")", inl, d2.n, exp2);
        }
        free(d2.recs);
        free(r2.data);
    } else if (!skip_filter) {
        info("no load_filter format: run 2 skipped");
    }
    free(d1.recs);
    free(r1.data);

verdict:
    if (nfails == 0) {
        printf("spetest: PASS (%d checks)\n", nchecks);
        return 0;
    }
    printf("spetest: FAIL %s (%d of %d checks failed)\n", first_fail, nfails, nchecks);
    return 1;
}
