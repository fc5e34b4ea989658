/* QEMU oracle harness for the hypsim difftest (README.md, "QEMU oracle").
 *
 * A static AArch64 Linux program, run under qemu-aarch64 (QEMU user mode,
 * -cpu max).  It reads protocol v2 input records (800 bytes each, README.md)
 * from stdin until EOF, executes each record's instruction word once and
 * writes one protocol v2 output record per input record to stdout.
 *
 * Only FP/SIMD register-to-register instructions are meant to run here: the
 * harness loads V0..V31, FPCR, FPSR, NZCV and X8 from the record, executes the
 * word and saves V0..V31, FPCR, FPSR, NZCV and X8 (the one general register a
 * word may write: FJCVTZS W8).  The other X registers, SP and memory are
 * not set up: the output record copies them from the input and
 * has data_crc = 0 (oracle.py's QemuOracle fills in the CRC of the
 * untouched data page).  PC is 0x40000004 when the word completed; a word
 * that raises SIGILL (UNDEFINED) gives status 1.
 *
 * The whole batch is read first and every word gets its own 8-byte code
 * slot (the word, then RET) in one executable mapping, so QEMU never sees
 * self-modifying code.  Not a streaming runner: oracle.py runs it once per
 * chunk of cases.
 *
 * Build: aarch64-linux-gnu-gcc -static -O2 (oracle.py does it on demand).
 */
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define REC_SIZE 800
#define PROTO_VERSION 2
#define PC0 0x40000000ull
#define RET 0xd65f03c0u

struct in_rec {
    uint32_t insn, nzcv;
    uint64_t x[31], sp, mem_seed;
    uint32_t fpcr, fpsr, reserved, version;
    uint8_t v[512];
} __attribute__((packed));

struct out_rec {
    uint32_t status, nzcv;
    uint64_t x[31], sp, pc;
    uint32_t data_crc, fpcr, fpsr, version;
    uint8_t v[512];
} __attribute__((packed));

_Static_assert(sizeof(struct in_rec) == REC_SIZE, "input record size");
_Static_assert(sizeof(struct out_rec) == REC_SIZE, "output record size");

/* FP/SIMD state, laid out for the asm below. */
struct fpstate {
    uint8_t v[512];
    uint64_t fpcr, fpsr, nzcv, x8;
};

static sigjmp_buf undef_jmp;

static void on_sigill(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si, (void)ctx;
    siglongjmp(undef_jmp, 1);
}

/* Load the state, call the code slot (word; RET), save the state.  The
 * words run here write only V registers, FPSR, NZCV and X8. */
static void __attribute__((noinline)) run_slot(struct fpstate *s, const uint32_t *slot)
{
    __asm__ volatile(
        "ldr x9, [%0, #512]\n\tmsr fpcr, x9\n\t"
        "ldr x9, [%0, #520]\n\tmsr fpsr, x9\n\t"
        "ldr x9, [%0, #528]\n\tmsr nzcv, x9\n\t"
        "ldr x8, [%0, #536]\n\t"
        "ldp q0, q1, [%0, #0]\n\tldp q2, q3, [%0, #32]\n\t"
        "ldp q4, q5, [%0, #64]\n\tldp q6, q7, [%0, #96]\n\t"
        "ldp q8, q9, [%0, #128]\n\tldp q10, q11, [%0, #160]\n\t"
        "ldp q12, q13, [%0, #192]\n\tldp q14, q15, [%0, #224]\n\t"
        "ldp q16, q17, [%0, #256]\n\tldp q18, q19, [%0, #288]\n\t"
        "ldp q20, q21, [%0, #320]\n\tldp q22, q23, [%0, #352]\n\t"
        "ldp q24, q25, [%0, #384]\n\tldp q26, q27, [%0, #416]\n\t"
        "ldp q28, q29, [%0, #448]\n\tldp q30, q31, [%0, #480]\n\t"
        "blr %1\n\t"
        "stp q0, q1, [%0, #0]\n\tstp q2, q3, [%0, #32]\n\t"
        "stp q4, q5, [%0, #64]\n\tstp q6, q7, [%0, #96]\n\t"
        "stp q8, q9, [%0, #128]\n\tstp q10, q11, [%0, #160]\n\t"
        "stp q12, q13, [%0, #192]\n\tstp q14, q15, [%0, #224]\n\t"
        "stp q16, q17, [%0, #256]\n\tstp q18, q19, [%0, #288]\n\t"
        "stp q20, q21, [%0, #320]\n\tstp q22, q23, [%0, #352]\n\t"
        "stp q24, q25, [%0, #384]\n\tstp q26, q27, [%0, #416]\n\t"
        "stp q28, q29, [%0, #448]\n\tstp q30, q31, [%0, #480]\n\t"
        "mrs x9, fpcr\n\tstr x9, [%0, #512]\n\t"
        "mrs x9, fpsr\n\tstr x9, [%0, #520]\n\t"
        "mrs x9, nzcv\n\tstr x9, [%0, #528]\n\t"
        "str x8, [%0, #536]\n\t"
        "mov x9, #0\n\tmsr fpcr, x9\n\tmsr fpsr, x9\n\t"
        :
        : "r"(s), "r"(slot)
        : "x8", "x9", "x30", "memory", "cc",
          "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12",
          "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24",
          "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}

static void reset_fp(void)
{
    __asm__ volatile("msr fpcr, xzr\n\tmsr fpsr, xzr" ::: "memory");
}

/* Execute record i from code slot i; fill *out. */
static void run_case(const struct in_rec *r, const uint32_t *slot, struct out_rec *out)
{
    static struct fpstate st;
    memset(out, 0, sizeof *out);
    memcpy(out->x, r->x, sizeof out->x);
    out->sp = r->sp;
    out->version = PROTO_VERSION;
    memcpy(st.v, r->v, sizeof st.v);
    st.fpcr = r->fpcr;
    st.fpsr = r->fpsr;
    st.nzcv = r->nzcv;
    st.x8 = r->x[8];
    if (sigsetjmp(undef_jmp, 1) == 0) {
        run_slot(&st, slot);
        out->status = 0;
        out->pc = PC0 + 4;
        out->nzcv = (uint32_t)st.nzcv;
        out->fpcr = (uint32_t)st.fpcr;
        out->fpsr = (uint32_t)st.fpsr;
        memcpy(out->v, st.v, sizeof out->v);
        out->x[8] = st.x8;
    } else {
        reset_fp();
        out->status = 1;
        out->pc = PC0;
        out->nzcv = r->nzcv;
        out->fpcr = r->fpcr;
        out->fpsr = r->fpsr;
        memcpy(out->v, r->v, sizeof out->v);
    }
}

int main(void)
{
    size_t cap = 4096, n = 0;
    struct in_rec *in = malloc(cap * sizeof *in);
    if (!in)
        return 2;
    for (;;) {
        if (n == cap) {
            cap *= 2;
            in = realloc(in, cap * sizeof *in);
            if (!in)
                return 2;
        }
        size_t got = fread(&in[n], 1, REC_SIZE, stdin);
        if (got == 0)
            break;
        if (got != REC_SIZE) {
            fprintf(stderr, "qemu-harness: truncated record %zu (%zu bytes)\n", n, got);
            return 1;
        }
        if (in[n].version != PROTO_VERSION) {
            fprintf(stderr, "qemu-harness: record %zu has protocol version %u, expected %d\n", n,
                    in[n].version, PROTO_VERSION);
            return 1;
        }
        n++;
    }
    if (n == 0)
        return 0;

    size_t code_size = (n * 8 + 4095) & ~(size_t)4095;
    uint32_t *code = mmap(NULL, code_size, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("qemu-harness: mmap");
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        code[2 * i] = in[i].insn;
        code[2 * i + 1] = RET;
    }
    __builtin___clear_cache((char *)code, (char *)code + n * 8);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGILL, &sa, NULL) != 0) {
        perror("qemu-harness: sigaction");
        return 2;
    }

    static struct out_rec out;
    for (size_t i = 0; i < n; i++) {
        run_case(&in[i], &code[2 * i], &out);
        if (fwrite(&out, 1, REC_SIZE, stdout) != REC_SIZE) {
            perror("qemu-harness: write");
            return 2;
        }
    }
    return fflush(stdout) == 0 ? 0 : 2;
}
