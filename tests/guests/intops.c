/*
 * intops: integer semantics of the base A64 ISA.
 *
 * Each group runs a set of operations over a table of edge-case operands and
 * prints a 64-bit hash of all results (and flags where relevant), plus a few
 * individual values that are easy to check by hand.  All inputs go through
 * opq() so that the compiler cannot fold the computations away; exact
 * instruction forms are forced with inline assembly where it matters.
 * Finally a PRNG-driven loop mixes everything for 100000 iterations and the
 * overall hash is printed.
 *
 * Groups: add/sub with carry and flags, multiply (incl. high halves and
 * long forms), divide (incl. by zero and INT_MIN / -1), variable shifts and
 * rotates, bit counting/reversal, bitfield moves, extended-register operands,
 * logical immediates, conditional select/compare for all 16 conditions,
 * CRC32/CRC32C, loads/stores (sizes, sign extension, pairs, pre/post-index,
 * register offsets), LSE atomics, exclusives, load-acquire/store-release
 * incl. LDAPR/LDAPUR.
 */
#include <stdint.h>
#include "guest.h"
#include "uart.h"

typedef uint64_t u64;
typedef int64_t s64;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef int16_t s16;
typedef int8_t s8;

static inline u64 opq(u64 x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

/* ---- hashing and printing ---- */

static u64 total = 0x6a09e667f3bcc908ull;   /* hash of everything */
static u64 group;                           /* hash of the current group */

static u64 mix64(u64 h, u64 v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static void mix(u64 v) { group = mix64(group, v); }

static void begin(void) { group = 0x243f6a8885a308d3ull; }

static void end(const char *name)
{
    uart_puts(name);
    uart_puts(": hash=");
    uart_hex64(group);
    uart_puts("\n");
    total = mix64(total, group);
}

static void show(const char *name, u64 v)
{
    uart_puts("  ");
    uart_puts(name);
    uart_puts(" = ");
    uart_hex64(v);
    uart_puts("\n");
    mix(v);
}

static const u64 vals[] = {
    0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
    0xfffffffffffffffeull, 0xffffffffffffffffull,
    0x0123456789abcdefull, 0xfedcba9876543210ull, 0x5555555555555555ull,
    0xaaaaaaaaaaaaaaaaull, 0x00000000deadbeefull, 0xdeadbeef00000000ull,
    0x3f, 0x40, 0x41, 0xffffffff80000000ull, 0x0000000100000001ull,
};
#define NV (sizeof(vals) / sizeof(vals[0]))

/* ---- add / sub ---- */

#define FLAGOP(insn, a, b, fin) ({                                      \
    u64 r_, f_;                                                         \
    __asm__ volatile("msr nzcv, %3\n\t" insn "\n\tmrs %1, nzcv"          \
                     : "=&r"(r_), "=&r"(f_) : "r"(a), "r"(fin), "r"(b)); \
    mix(r_); mix(f_); r_; })

static void test_addsub(void)
{
    begin();
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            u64 a = opq(vals[i]), b = opq(vals[j]);
            for (u64 fin = 0; fin <= 0x20000000; fin += 0x20000000) {
                /* operands: %2 = a, %4 = b (64-bit), %w2/%w4 32-bit */
                FLAGOP("adds %0, %2, %4", a, b, fin);
                FLAGOP("subs %0, %2, %4", a, b, fin);
                FLAGOP("adcs %0, %2, %4", a, b, fin);
                FLAGOP("sbcs %0, %2, %4", a, b, fin);
                FLAGOP("adds %w0, %w2, %w4", a, b, fin);
                FLAGOP("subs %w0, %w2, %w4", a, b, fin);
                FLAGOP("adcs %w0, %w2, %w4", a, b, fin);
                FLAGOP("sbcs %w0, %w2, %w4", a, b, fin);
                FLAGOP("adc %0, %2, %4", a, b, fin);
                FLAGOP("sbc %w0, %w2, %w4", a, b, fin);
                FLAGOP("ngcs %0, %4", a, b, fin);
                FLAGOP("ands %0, %2, %4", a, b, fin);
                FLAGOP("bics %w0, %w2, %w4", a, b, fin);
            }
            /* plain C arithmetic in various widths */
            mix(a + b); mix(a - b); mix((u32)a + (u32)b); mix((u32)(a - b));
            mix((u64)(s64)(s32)a + b); mix((u16)a - (u16)b);
            mix((s64)a < (s64)b); mix(a < b); mix((s32)a <= (s32)b);
            mix(-a); mix(~a ^ b); mix(a | (b << 1)); mix(a & ~b);
        }
    }
    show("adds 0x7fffffffffffffff+1 nzcv",
         ({ u64 r, f; __asm__ volatile("adds %0, %2, #1\n\tmrs %1, nzcv"
                : "=r"(r), "=r"(f) : "r"(opq(0x7fffffffffffffffull))); f; }));
    show("subs 0-1 nzcv",
         ({ u64 r, f; __asm__ volatile("subs %0, %2, #1\n\tmrs %1, nzcv"
                : "=r"(r), "=r"(f) : "r"(opq(0))); f; }));
    show("adds w 0xffffffff+1 nzcv",
         ({ u64 r, f; __asm__ volatile("adds %w0, %w2, #1\n\tmrs %1, nzcv"
                : "=r"(r), "=r"(f) : "r"(opq(0xffffffff))); f; }));
    {   /* 128-bit add/sub through the carry chain */
        u64 lo, hi;
        __asm__ volatile("adds %0, %2, %3\n\tadc %1, %4, %5"
                         : "=&r"(lo), "=&r"(hi)
                         : "r"(opq(0xffffffffffffffffull)), "r"(opq(2)),
                           "r"(opq(0x1234)), "r"(opq(0x1000)));
        show("128-bit add hi", hi);
        show("128-bit add lo", lo);
        __asm__ volatile("subs %0, %2, %3\n\tsbc %1, %4, %5"
                         : "=&r"(lo), "=&r"(hi)
                         : "r"(opq(1)), "r"(opq(2)),
                           "r"(opq(0x1234)), "r"(opq(0x1000)));
        show("128-bit sub hi", hi);
        show("128-bit sub lo", lo);
    }
    end("add/sub/flags");
}

/* ---- multiply ---- */

static void test_mul(void)
{
    begin();
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            u64 a = opq(vals[i]), b = opq(vals[j]), c = opq(vals[(i + j) % NV]);
            u64 r;
            mix(a * b);
            mix((u32)a * (u32)b);
            mix((u64)(((unsigned __int128)a * b) >> 64));          /* umulh */
            mix((u64)(((__int128)(s64)a * (s64)b) >> 64));         /* smulh */
            mix((u64)(u32)a * (u32)b);                             /* umull */
            mix((u64)((s64)(s32)a * (s32)b));                      /* smull */
            __asm__("madd %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); mix(r);
            __asm__("msub %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); mix(r);
            __asm__("madd %w0, %w1, %w2, %w3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); mix(r);
            __asm__("msub %w0, %w1, %w2, %w3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); mix(r);
            __asm__("smaddl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); mix(r);
            __asm__("smsubl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); mix(r);
            __asm__("umaddl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); mix(r);
            __asm__("umsubl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); mix(r);
            __asm__("mneg %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("smnegl %0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
        }
    }
    u64 a = opq(0xfedcba9876543210ull), b = opq(0x0123456789abcdefull);
    show("mul", a * b);
    show("umulh", (u64)(((unsigned __int128)a * b) >> 64));
    show("smulh", (u64)(((__int128)(s64)a * (s64)b) >> 64));
    show("umulh(-1,-1)", (u64)(((unsigned __int128)opq(~0ull) * opq(~0ull)) >> 64));
    show("smulh(-1,-1)", (u64)(((__int128)(s64)opq(~0ull) * (s64)opq(~0ull)) >> 64));
    show("smull(-2,0x7fffffff)", (u64)((s64)(s32)opq(-2) * (s32)opq(0x7fffffff)));
    end("multiply");
}

/* ---- divide ---- */

static void test_div(void)
{
    begin();
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            u64 a = opq(vals[i]), b = opq(vals[j]), r;
            __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            if (b) {
                mix(a / b); mix(a % b);
                if (!((s64)a == INT64_MIN && (s64)b == -1)) {
                    mix((u64)((s64)a / (s64)b)); mix((u64)((s64)a % (s64)b));
                }
            }
        }
    }
    u64 r;
    __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(opq(0x8000000000000000ull)), "r"(opq(-1ull)));
    show("sdiv INT64_MIN/-1", r);
    __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(opq(0x80000000)), "r"(opq(-1ull)));
    show("sdiv w INT32_MIN/-1", r);
    __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(opq(12345)), "r"(opq(0)));
    show("udiv 12345/0", r);
    __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(opq(-7ull)), "r"(opq(0)));
    show("sdiv -7/0", r);
    __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(opq(-7ull)), "r"(opq(2)));
    show("sdiv -7/2", r);
    __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(opq(0xfffffffff0000000ull)), "r"(opq(0x10)));
    show("udiv w 0xf0000000/16", r);
    end("divide");
}

/* ---- shifts ---- */

static void test_shift(void)
{
    begin();
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            u64 a = opq(vals[i]), b = opq(vals[j]), r;
            __asm__("lslv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("lsrv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("asrv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("rorv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("lslv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("lsrv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("asrv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("rorv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            /* shifted-register operands */
            __asm__("add %0, %1, %2, lsl #13" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("sub %0, %1, %2, asr #63" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("eor %0, %1, %2, ror #7" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("orn %w0, %w1, %w2, lsr #31" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("bic %0, %1, %2, lsr #1" : "=r"(r) : "r"(a), "r"(b)); mix(r);
            __asm__("eon %w0, %w1, %w2, asr #5" : "=r"(r) : "r"(a), "r"(b)); mix(r);
        }
    }
    u64 r;
    __asm__("lslv %0, %1, %2" : "=r"(r) : "r"(opq(1)), "r"(opq(65)));
    show("lslv 1, 65", r);
    __asm__("asrv %w0, %w1, %w2" : "=r"(r) : "r"(opq(0x80000000)), "r"(opq(35)));
    show("asrv w 0x80000000, 35", r);
    __asm__("rorv %0, %1, %2" : "=r"(r) : "r"(opq(0x0123456789abcdefull)), "r"(opq(-4ull)));
    show("rorv 0x0123456789abcdef, -4", r);
    end("shifts");
}

/* ---- bit counting / reversal ---- */

static void test_bits(void)
{
    begin();
    for (unsigned i = 0; i < NV; i++) {
        u64 a = opq(vals[i]), r;
        __asm__("clz %0, %1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("cls %0, %1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("clz %w0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("cls %w0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("rbit %0, %1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("rbit %w0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("rev %0, %1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("rev %w0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("rev16 %0, %1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("rev16 %w0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("rev32 %0, %1" : "=r"(r) : "r"(a)); mix(r);
        mix((u64)__builtin_ctzll(a | 0x8000000000000000ull));
        mix((u64)__builtin_clrsbll((s64)a));
        mix(__builtin_bswap16((u16)a));
    }
    u64 r;
    __asm__("rbit %0, %1" : "=r"(r) : "r"(opq(0x0000000000000001ull))); show("rbit 1", r);
    __asm__("rev %0, %1" : "=r"(r) : "r"(opq(0x0123456789abcdefull))); show("rev", r);
    __asm__("rev16 %0, %1" : "=r"(r) : "r"(opq(0x0123456789abcdefull))); show("rev16", r);
    __asm__("rev32 %0, %1" : "=r"(r) : "r"(opq(0x0123456789abcdefull))); show("rev32", r);
    __asm__("clz %0, %1" : "=r"(r) : "r"(opq(0))); show("clz 0", r);
    __asm__("cls %0, %1" : "=r"(r) : "r"(opq(0xffffffffffffffffull))); show("cls -1", r);
    __asm__("cls %w0, %w1" : "=r"(r) : "r"(opq(0x00000000c0000000ull))); show("cls w 0xc0000000", r);
    end("clz/cls/rbit/rev");
}

/* ---- bitfield moves, extends, logical immediates ---- */

static void test_bitfield(void)
{
    begin();
    for (unsigned i = 0; i < NV; i++) {
        u64 a = opq(vals[i]), d = opq(vals[(i * 7 + 3) % NV]), r;
        __asm__("ubfx %0, %1, #5, #13" : "=r"(r) : "r"(a)); mix(r);
        __asm__("sbfx %0, %1, #60, #4" : "=r"(r) : "r"(a)); mix(r);
        __asm__("sbfx %w0, %w1, #3, #17" : "=r"(r) : "r"(a)); mix(r);
        __asm__("ubfiz %0, %1, #40, #20" : "=r"(r) : "r"(a)); mix(r);
        __asm__("sbfiz %w0, %w1, #7, #9" : "=r"(r) : "r"(a)); mix(r);
        r = d; __asm__("bfi %0, %1, #17, #23" : "+r"(r) : "r"(a)); mix(r);
        r = d; __asm__("bfxil %0, %1, #31, #9" : "+r"(r) : "r"(a)); mix(r);
        r = d; __asm__("bfi %w0, %w1, #0, #1" : "+r"(r) : "r"(a)); mix(r);
        r = d; __asm__("bfc %0, #8, #48" : "+r"(r)); mix(r);
        __asm__("extr %0, %1, %2, #19" : "=r"(r) : "r"(a), "r"(d)); mix(r);
        __asm__("extr %w0, %w1, %w2, #31" : "=r"(r) : "r"(a), "r"(d)); mix(r);
        __asm__("sxtb %0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("sxth %0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("sxtw %0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("uxtb %w0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("uxth %w0, %w1" : "=r"(r) : "r"(a)); mix(r);
        __asm__("sxtb %w0, %w1" : "=r"(r) : "r"(a)); mix(r);
        /* extended-register operands */
        __asm__("add %0, %1, %w2, sxtb #2" : "=r"(r) : "r"(d), "r"(a)); mix(r);
        __asm__("add %0, %1, %w2, uxth #4" : "=r"(r) : "r"(d), "r"(a)); mix(r);
        __asm__("sub %0, %1, %w2, sxtw #3" : "=r"(r) : "r"(d), "r"(a)); mix(r);
        __asm__("add %0, %1, %2, uxtx #1" : "=r"(r) : "r"(d), "r"(a)); mix(r);
        __asm__("add %w0, %w1, %w2, sxth" : "=r"(r) : "r"(d), "r"(a)); mix(r);
        {
            u64 f;
            __asm__("adds %0, %2, %w3, uxtw\n\tmrs %1, nzcv"
                    : "=r"(r), "=r"(f) : "r"(d), "r"(a)); mix(r); mix(f);
            __asm__("subs %0, %2, %w3, sxtb #1\n\tmrs %1, nzcv"
                    : "=r"(r), "=r"(f) : "r"(d), "r"(a)); mix(r); mix(f);
        }
        /* logical immediates (bitmask decoding) */
        __asm__("and %0, %1, #0x5555555555555555" : "=r"(r) : "r"(a)); mix(r);
        __asm__("orr %0, %1, #0xff00ff00ff00ff00" : "=r"(r) : "r"(a)); mix(r);
        __asm__("eor %0, %1, #0x0000ffff0000ffff" : "=r"(r) : "r"(a)); mix(r);
        __asm__("and %0, %1, #0x7ffffffffffffffe" : "=r"(r) : "r"(a)); mix(r);
        __asm__("orr %0, %1, #0x8000000000000001" : "=r"(r) : "r"(a)); mix(r);
        __asm__("eor %0, %1, #0xe0e0e0e0e0e0e0e0" : "=r"(r) : "r"(a)); mix(r);
        __asm__("and %0, %1, #0x00000000fffff000" : "=r"(r) : "r"(a)); mix(r);
        __asm__("and %w0, %w1, #0x3c" : "=r"(r) : "r"(a)); mix(r);
        __asm__("orr %w0, %w1, #0xfffe0001" : "=r"(r) : "r"(a)); mix(r);
        __asm__("eor %w0, %w1, #0x33333333" : "=r"(r) : "r"(a)); mix(r);
        {
            u64 f;
            __asm__("ands %0, %2, #0xc000000000000003\n\tmrs %1, nzcv"
                    : "=r"(r), "=r"(f) : "r"(a)); mix(r); mix(f);
            __asm__("ands %w0, %w2, #0x80000000\n\tmrs %1, nzcv"
                    : "=r"(r), "=r"(f) : "r"(a)); mix(r); mix(f);
        }
        /* move wide */
        __asm__("movz %0, #0xbeef, lsl #48\n\tmovk %0, #0x1234, lsl #16" : "=r"(r)); mix(r);
        __asm__("movn %0, #0x1234, lsl #32" : "=r"(r)); mix(r);
        __asm__("movn %w0, #0x1234" : "=r"(r)); mix(r);
        r = a; __asm__("movk %w0, #0xabcd, lsl #16" : "+r"(r)); mix(r);
    }
    u64 r;
    __asm__("ubfx %0, %1, #4, #8" : "=r"(r) : "r"(opq(0x0123456789abcdefull))); show("ubfx #4,#8", r);
    __asm__("sbfx %0, %1, #4, #8" : "=r"(r) : "r"(opq(0x0123456789abcdefull))); show("sbfx #4,#8", r);
    r = opq(0xffffffffffffffffull);
    __asm__("bfi %0, %1, #8, #16" : "+r"(r) : "r"(opq(0x1234))); show("bfi #8,#16", r);
    __asm__("extr %0, %1, %2, #16" : "=r"(r) : "r"(opq(0x1111222233334444ull)), "r"(opq(0x5555666677778888ull)));
    show("extr #16", r);
    __asm__("add %0, %1, %w2, sxtb #2" : "=r"(r) : "r"(opq(0x1000)), "r"(opq(0x80)));
    show("add sxtb #2", r);
    end("bitfield/extend/logical-imm");
}

/* ---- conditions ---- */

#define CSEL_COND(c) ({ u64 r_; __asm__("msr nzcv, %1\n\tcsel %w0, %w2, wzr, " #c \
                        : "=r"(r_) : "r"(f), "r"(1)); r_; })

static void test_cond(void)
{
    begin();
    uart_puts("  condition table (bit n = condition n holds, eq..nv) per NZCV:\n   ");
    for (u64 nzcv = 0; nzcv < 16; nzcv++) {
        u64 f = opq(nzcv << 28);
        u64 m = CSEL_COND(eq) | CSEL_COND(ne) << 1 | CSEL_COND(cs) << 2 |
                CSEL_COND(cc) << 3 | CSEL_COND(mi) << 4 | CSEL_COND(pl) << 5 |
                CSEL_COND(vs) << 6 | CSEL_COND(vc) << 7 | CSEL_COND(hi) << 8 |
                CSEL_COND(ls) << 9 | CSEL_COND(ge) << 10 | CSEL_COND(lt) << 11 |
                CSEL_COND(gt) << 12 | CSEL_COND(le) << 13 | CSEL_COND(al) << 14 |
                CSEL_COND(nv) << 15;
        uart_puts(" ");
        uart_hex(m);
        mix(m);
    }
    uart_puts("\n");
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            u64 a = opq(vals[i]), b = opq(vals[j]), r, f;
            __asm__("cmp %1, %2\n\tcsinc %0, %1, %2, lt" : "=r"(r) : "r"(a), "r"(b) : "cc"); mix(r);
            __asm__("cmp %1, %2\n\tcsinv %0, %1, %2, hi" : "=r"(r) : "r"(a), "r"(b) : "cc"); mix(r);
            __asm__("cmp %w1, %w2\n\tcsneg %w0, %w1, %w2, ge" : "=r"(r) : "r"(a), "r"(b) : "cc"); mix(r);
            __asm__("cmn %1, %2\n\tcset %0, vs" : "=r"(r) : "r"(a), "r"(b) : "cc"); mix(r);
            __asm__("cmp %1, %2\n\tcsetm %w0, ls" : "=r"(r) : "r"(a), "r"(b) : "cc"); mix(r);
            __asm__("cmp %1, %2\n\tcinc %0, %1, eq" : "=r"(r) : "r"(a), "r"(b) : "cc"); mix(r);
            __asm__("cmp %1, %2\n\tccmp %1, #5, #0xa, ne\n\tmrs %0, nzcv"
                    : "=r"(f) : "r"(a), "r"(b) : "cc"); mix(f);
            __asm__("cmp %1, %2\n\tccmn %w1, %w2, #0x3, gt\n\tmrs %0, nzcv"
                    : "=r"(f) : "r"(a), "r"(b) : "cc"); mix(f);
            __asm__("tst %1, %2\n\tccmp %2, %1, #0x0, mi\n\tmrs %0, nzcv"
                    : "=r"(f) : "r"(a), "r"(b) : "cc"); mix(f);
            mix(((s64)a > (s64)b) ? a : b);
            mix(((u32)a >= (u32)b) ? a - b : b + 7);
        }
    }
    end("conditions");
}

/* ---- CRC32 ---- */

static u32 crc32_bytes(const u8 *p, unsigned n, int c)
{
    u32 crc = 0xffffffff;
    for (unsigned i = 0; i < n; i++) {
        if (c)
            __asm__("crc32cb %w0, %w0, %w1" : "+r"(crc) : "r"((u32)p[i]));
        else
            __asm__("crc32b %w0, %w0, %w1" : "+r"(crc) : "r"((u32)p[i]));
    }
    return ~crc;
}

static void test_crc(void)
{
    static const char check[] = "123456789";
    begin();
    show("crc32(\"123456789\")", crc32_bytes((const u8 *)check, 9, 0));
    show("crc32c(\"123456789\")", crc32_bytes((const u8 *)check, 9, 1));
    u32 c = 0, cc = 0;
    for (unsigned i = 0; i < NV; i++) {
        u64 a = opq(vals[i]);
        __asm__("crc32b %w0, %w0, %w1" : "+r"(c) : "r"(a));
        __asm__("crc32h %w0, %w0, %w1" : "+r"(c) : "r"(a));
        __asm__("crc32w %w0, %w0, %w1" : "+r"(c) : "r"(a));
        __asm__("crc32x %w0, %w0, %1" : "+r"(c) : "r"(a));
        __asm__("crc32cb %w0, %w0, %w1" : "+r"(cc) : "r"(a));
        __asm__("crc32ch %w0, %w0, %w1" : "+r"(cc) : "r"(a));
        __asm__("crc32cw %w0, %w0, %w1" : "+r"(cc) : "r"(a));
        __asm__("crc32cx %w0, %w0, %1" : "+r"(cc) : "r"(a));
        mix(c); mix(cc);
    }
    show("crc32 b/h/w/x chain", c);
    show("crc32c b/h/w/x chain", cc);
    end("crc32");
}

/* ---- loads and stores ---- */

static u64 mem[64] __attribute__((aligned(64)));

static void fill_mem(u64 seed)
{
    for (unsigned i = 0; i < 64; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        mem[i] = seed ^ (seed >> 29);
    }
}

static void mix_mem(void)
{
    for (unsigned i = 0; i < 64; i++)
        mix(mem[i]);
}

static void test_ldst(void)
{
    begin();
    fill_mem(0x1234);
    u8 *b = (u8 *)mem;
    u64 r, r2, p;
    for (unsigned i = 0; i < 16; i++) {
        p = opq((u64)b + 8 * i);
        __asm__ volatile("ldrsb %0, [%1, #7]" : "=r"(r) : "r"(p) : "memory"); mix(r);
        __asm__ volatile("ldrsb %w0, [%1, #3]" : "=r"(r) : "r"(p) : "memory"); mix(r);
        __asm__ volatile("ldrsh %0, [%1, #6]" : "=r"(r) : "r"(p) : "memory"); mix(r);
        __asm__ volatile("ldrsh %w0, [%1, #2]" : "=r"(r) : "r"(p) : "memory"); mix(r);
        __asm__ volatile("ldrsw %0, [%1, #4]" : "=r"(r) : "r"(p) : "memory"); mix(r);
        __asm__ volatile("ldrb %w0, [%1, #5]" : "=r"(r) : "r"(p) : "memory"); mix(r);
        __asm__ volatile("ldrh %w0, [%1, #6]" : "=r"(r) : "r"(p) : "memory"); mix(r);
        __asm__ volatile("ldr %w0, [%1]" : "=r"(r) : "r"(p) : "memory"); mix(r);
        __asm__ volatile("ldur %0, [%1, #-8]" : "=r"(r) : "r"(p + 8) : "memory"); mix(r);
        __asm__ volatile("ldursb %0, [%1, #-1]" : "=r"(r) : "r"(p + 8) : "memory"); mix(r);
        __asm__ volatile("ldursh %w0, [%1, #-2]" : "=r"(r) : "r"(p + 8) : "memory"); mix(r);
        __asm__ volatile("ldursw %0, [%1, #-4]" : "=r"(r) : "r"(p + 8) : "memory"); mix(r);
        /* register offsets */
        u64 idx = opq(i);
        __asm__ volatile("ldr %0, [%1, %2, lsl #3]" : "=r"(r) : "r"(b), "r"(idx) : "memory"); mix(r);
        __asm__ volatile("ldrsw %0, [%1, %w2, uxtw #2]" : "=r"(r) : "r"(b), "r"(idx) : "memory"); mix(r);
        __asm__ volatile("ldrh %w0, [%1, %w2, sxtw #1]" : "=r"(r) : "r"(b + 64), "r"(-idx) : "memory"); mix(r);
        __asm__ volatile("ldrb %w0, [%1, %2]" : "=r"(r) : "r"(b), "r"(idx * 5) : "memory"); mix(r);
        /* pairs */
        __asm__ volatile("ldp %0, %1, [%2, #16]" : "=&r"(r), "=r"(r2) : "r"((u64)mem + 16 * (i & 7)) : "memory"); mix(r); mix(r2);
        __asm__ volatile("ldp %w0, %w1, [%2, #-8]" : "=&r"(r), "=r"(r2) : "r"((u64)mem + 64) : "memory"); mix(r); mix(r2);
        __asm__ volatile("ldpsw %0, %1, [%2, #24]" : "=&r"(r), "=r"(r2) : "r"(p) : "memory"); mix(r); mix(r2);
        __asm__ volatile("ldnp %0, %1, [%2]" : "=&r"(r), "=r"(r2) : "r"((u64)mem + 16 * (i & 7)) : "memory"); mix(r); mix(r2);
    }
    /* stores of each size, pre/post-index with writeback */
    p = opq((u64)&mem[32]);
    u64 v = opq(0x8877665544332211ull);
    __asm__ volatile(
        "strb %w1, [%0], #1\n\t"
        "strb %w1, [%0, #1]!\n\t"
        "strh %w1, [%0], #2\n\t"
        "str  %w1, [%0], #4\n\t"
        "str  %1, [%0, #8]!\n\t"
        "stp  %w1, %w1, [%0, #8]!\n\t"
        "stp  %1, %1, [%0], #16\n\t"
        "stur %1, [%0, #-8]\n\t"
        "sturh %w1, [%0, #-2]\n\t"
        : "+r"(p) : "r"(v) : "memory");
    show("post/pre-index final base - &mem[32]", p - (u64)&mem[32]);
    u64 q = opq((u64)&mem[48]);
    __asm__ volatile(
        "ldr  %1, [%0, #8]!\n\t"
        "ldrsh %w1, [%0], #-6\n\t"
        "ldrb %w1, [%0, #3]!\n\t"
        "ldrsw %1, [%0, #-1]!\n\t"
        : "+r"(q), "=&r"(r) :: "memory");
    show("load writeback base - &mem[48]", q - (u64)&mem[48]);
    show("load writeback value", r);
    {
        u64 pp = opq((u64)&mem[40]), a1, a2;
        __asm__ volatile("ldp %1, %2, [%0, #16]!" : "+r"(pp), "=&r"(a1), "=&r"(a2) :: "memory");
        mix(a1); mix(a2); mix(pp - (u64)mem);
        __asm__ volatile("ldp %1, %2, [%0], #-32" : "+r"(pp), "=&r"(a1), "=&r"(a2) :: "memory");
        mix(a1); mix(a2); mix(pp - (u64)mem);
    }
    /* C-level accesses of every width, signed and unsigned */
    volatile s8 *sb = (volatile s8 *)&mem[8];
    volatile s16 *sh = (volatile s16 *)&mem[10];
    volatile s32 *sw = (volatile s32 *)&mem[12];
    for (int i = 0; i < 8; i++) {
        sb[i] = (s8)(i * 37 - 100);
        sh[i] = (s16)(i * 9001 - 30000);
        sw[i] = (s32)(i * 0x1357913 - 0x7000000);
    }
    for (int i = 0; i < 8; i++) {
        mix((u64)(s64)sb[i]); mix((u64)(s64)sh[i]); mix((u64)(s64)sw[i]);
        mix((u8)sb[i]); mix((u16)sh[i]); mix((u32)sw[i]);
    }
    mix_mem();
    show("mem[32]", mem[32]);
    show("mem[33]", mem[33]);
    end("load/store");
}

/* ---- atomics ---- */

static u64 at[8] __attribute__((aligned(64)));

#define LSE(insn, reg, ptr, val) ({ u64 o_;                                 \
    __asm__ volatile(insn " %" reg "1, %" reg "0, [%2]"                     \
                     : "=&r"(o_) : "r"(val), "r"(ptr) : "memory"); mix(o_); o_; })

static void test_atomics(void)
{
    begin();
    u64 vs[] = { 0x8000000000000001ull, 0x7f, 0xfedcba9876543210ull, 0x80,
                 0x7fffffff, 0xffff8000, 0x1 };
    at[0] = 0x0123456789abcdefull;
    at[1] = 0x8877665544332211ull;
    for (unsigned k = 0; k < sizeof(vs) / sizeof(vs[0]); k++) {
        u64 v = opq(vs[k]);
        u64 *p = &at[0];
        u8 *pb = (u8 *)&at[1] + (k & 7);
        u16 *ph = (u16 *)&at[1] + (k & 3);
        u32 *pw = (u32 *)&at[1] + (k & 1);
        LSE("ldadd", "", p, v);      LSE("ldaddal", "w", pw, v);
        LSE("ldclr", "", p, v >> 3); LSE("ldclrlb", "w", pb, v);
        LSE("ldeor", "", p, v);      LSE("ldeorah", "w", ph, v);
        LSE("ldset", "", p, v << 7); LSE("ldsetb", "w", pb, v);
        LSE("ldsmax", "", p, v);     LSE("ldsmaxh", "w", ph, v);
        LSE("ldsmin", "", p, v);     LSE("ldsminb", "w", pb, v);
        LSE("ldumax", "", p, v);     LSE("ldumax", "w", pw, v);
        LSE("ldumin", "", p, v);     LSE("lduminh", "w", ph, v);
        LSE("swp", "", p, v ^ 0x5a); LSE("swpalb", "w", pb, v);
        __asm__ volatile("stadd %0, [%1]" :: "r"(v), "r"(p) : "memory");
        __asm__ volatile("stsmaxl %w0, [%1]" :: "r"(v), "r"(pw) : "memory");
        mix(at[0]); mix(at[1]);
        /* CAS: one that succeeds, one that fails */
        u64 cmp = at[0];
        __asm__ volatile("casal %0, %2, [%1]" : "+r"(cmp) : "r"(p), "r"(v) : "memory");
        mix(cmp); mix(at[0]);
        cmp = opq(0x1111);
        __asm__ volatile("cas %0, %2, [%1]" : "+r"(cmp) : "r"(p), "r"(~v) : "memory");
        mix(cmp); mix(at[0]);
        u64 cw = *pw;
        __asm__ volatile("casa %w0, %w2, [%1]" : "+r"(cw) : "r"(pw), "r"(v + 1) : "memory");
        mix(cw);
        u64 cb = (u8)(*pb + 1);
        __asm__ volatile("casb %w0, %w2, [%1]" : "+r"(cb) : "r"(pb), "r"(v) : "memory");
        mix(cb);
        u64 ch = *ph;
        __asm__ volatile("caslh %w0, %w2, [%1]" : "+r"(ch) : "r"(ph), "r"(v >> 4) : "memory");
        mix(ch); mix(at[1]);
        /* C11 atomics (compiled to LSE with +lse) */
        mix(__atomic_fetch_add(&at[2], v, __ATOMIC_SEQ_CST));
        mix(__atomic_fetch_sub(&at[2], k, __ATOMIC_RELAXED));
        mix(__atomic_fetch_or(&at[3], v << k, __ATOMIC_ACQUIRE));
        mix(__atomic_fetch_and(&at[3], ~(v >> k), __ATOMIC_RELEASE));
        mix(__atomic_fetch_xor(&at[2], at[3], __ATOMIC_ACQ_REL));
        mix(__atomic_exchange_n(&at[4], v, __ATOMIC_SEQ_CST));
        u64 e = at[2];
        mix(__atomic_compare_exchange_n(&at[2], &e, e * 3, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
        mix(at[2]);
    }
    /* CASP: 128-bit compare-and-swap on a pair */
    at[6] = 0x1111111111111111ull;
    at[7] = 0x2222222222222222ull;
    {
        register u64 c0 __asm__("x4") = opq(0x1111111111111111ull);
        register u64 c1 __asm__("x5") = opq(0x2222222222222222ull);
        register u64 n0 __asm__("x6") = opq(0xaaaaaaaaaaaaaaaaull);
        register u64 n1 __asm__("x7") = opq(0xbbbbbbbbbbbbbbbbull);
        __asm__ volatile("caspal x4, x5, x6, x7, [%4]"
                         : "+r"(c0), "+r"(c1) : "r"(n0), "r"(n1), "r"(&at[6]) : "memory");
        u64 o0 = c0, o1 = c1;
        show("caspal (match) old lo", o0);
        show("caspal (match) old hi", o1);
    }
    {
        register u64 c0 __asm__("x4") = opq(0x1111111111111111ull);
        register u64 c1 __asm__("x5") = opq(0x2222222222222222ull);
        register u64 n0 __asm__("x6") = opq(0xccccccccccccccccull);
        register u64 n1 __asm__("x7") = opq(0xddddddddddddddddull);
        __asm__ volatile("casp x4, x5, x6, x7, [%4]"
                         : "+r"(c0), "+r"(c1) : "r"(n0), "r"(n1), "r"(&at[6]) : "memory");
        u64 o0 = c0, o1 = c1;
        show("casp (mismatch) old lo", o0);
        show("casp (mismatch) old hi", o1);
        show("casp mem lo", at[6]);
        show("casp mem hi", at[7]);
    }
    {
        register u64 c0 __asm__("x4") = opq(0xaaaaaaaaaaaaaaaaull);
        register u64 c1 __asm__("x5") = opq(0xbbbbbbbbbbbbbbbbull);
        register u64 n0 __asm__("x6") = opq(0x0102030405060708ull);
        register u64 n1 __asm__("x7") = opq(0x1112131415161718ull);
        __asm__ volatile("caspl w4, w5, w6, w7, [%4]"
                         : "+r"(c0), "+r"(c1) : "r"(n0), "r"(n1), "r"(&at[6]) : "memory");
        u64 o0 = c0, o1 = c1;
        show("caspl w old", o0 | o1 << 32);
        show("caspl w mem lo", at[6]);
    }
    show("at[0]", at[0]);
    show("at[1]", at[1]);
    show("at[2]", at[2]);
    end("atomics (LSE)");
}

/* ---- exclusives ---- */

static void test_exclusive(void)
{
    begin();
    at[0] = 0;
    unsigned fails = 0;
    for (unsigned i = 0; i < 1000; i++) {
        u64 old, st;
        do {
            __asm__ volatile("ldxr %0, [%2]\n\t"
                             "add %0, %0, #3\n\t"
                             "stxr %w1, %0, [%2]"
                             : "=&r"(old), "=&r"(st) : "r"(&at[0]) : "memory");
            fails += (unsigned)st;
        } while (st);
    }
    show("ldxr/stxr counter", at[0]);
    {
        u64 v, st, w = opq(0xabcd);
        u8 *pb = (u8 *)&at[1] + 3;
        do {
            __asm__ volatile("ldaxrb %w0, [%2]\n\t"
                             "stlxrb %w1, %w3, [%2]"
                             : "=&r"(v), "=&r"(st) : "r"(pb), "r"(w) : "memory");
        } while (st);
        mix(v);
        u16 *ph = (u16 *)&at[1] + 2;
        do {
            __asm__ volatile("ldxrh %w0, [%2]\n\t"
                             "stxrh %w1, %w3, [%2]"
                             : "=&r"(v), "=&r"(st) : "r"(ph), "r"(w) : "memory");
        } while (st);
        mix(v);
        show("byte/half exclusives mem", at[1]);
    }
    {
        u64 lo, hi, st;
        at[2] = 0x1234; at[3] = 0x5678;
        do {
            __asm__ volatile("ldaxp %0, %1, [%3]\n\t"
                             "add %0, %0, #1\n\t"
                             "sub %1, %1, #1\n\t"
                             "stlxp %w2, %1, %0, [%3]"
                             : "=&r"(lo), "=&r"(hi), "=&r"(st) : "r"(&at[2]) : "memory");
        } while (st);
        show("ldaxp/stlxp pair", at[2] << 32 | at[3]);
        u64 w0, w1;
        do {
            __asm__ volatile("ldxp %w0, %w1, [%3]\n\t"
                             "stxp %w2, %w1, %w0, [%3]"
                             : "=&r"(w0), "=&r"(w1), "=&r"(st) : "r"(&at[2]) : "memory");
        } while (st);
        show("ldxp/stxp w pair", at[2]);
    }
    {
        /* a store-exclusive without an open exclusive access must fail */
        u64 v, st1, st2;
        at[4] = 77;
        __asm__ volatile("ldxr %0, [%3]\n\t"
                         "clrex\n\t"
                         "stxr %w1, %0, [%3]\n\t"
                         "stxr %w2, %0, [%3]"
                         : "=&r"(v), "=&r"(st1), "=&r"(st2) : "r"(&at[4]) : "memory");
        show("stxr after clrex status", st1);
        show("second stxr status", st2);
    }
    end("exclusives");
}

/* ---- acquire / release ---- */

static void test_acqrel(void)
{
    begin();
    fill_mem(0xacc);
    u64 r;
    u64 *p = &mem[5];
    __asm__ volatile("ldar %0, [%1]" : "=r"(r) : "r"(p) : "memory"); show("ldar", r);
    __asm__ volatile("ldarb %w0, [%1]" : "=r"(r) : "r"((u8 *)p + 3) : "memory"); show("ldarb", r);
    __asm__ volatile("ldarh %w0, [%1]" : "=r"(r) : "r"((u16 *)p + 1) : "memory"); show("ldarh", r);
    __asm__ volatile("ldar %w0, [%1]" : "=r"(r) : "r"((u32 *)p + 1) : "memory"); show("ldar w", r);
    __asm__ volatile("ldapr %0, [%1]" : "=r"(r) : "r"(p + 1) : "memory"); show("ldapr", r);
    __asm__ volatile("ldaprb %w0, [%1]" : "=r"(r) : "r"((u8 *)p + 9) : "memory"); show("ldaprb", r);
    __asm__ volatile("ldaprh %w0, [%1]" : "=r"(r) : "r"((u16 *)p + 6) : "memory"); show("ldaprh", r);
    __asm__ volatile("ldapr %w0, [%1]" : "=r"(r) : "r"((u32 *)p + 3) : "memory"); show("ldapr w", r);
    /* FEAT_LRCPC2 (Armv8.4): unscaled-offset forms */
    __asm__ volatile(".arch armv8.4-a\n\t"
                     "ldapur %0, [%1, #-8]\n\t"
                     ".arch armv8.2-a+crc+lse+rcpc"
                     : "=r"(r) : "r"(p + 3) : "memory"); show("ldapur", r);
    __asm__ volatile(".arch armv8.4-a\n\t"
                     "ldapursb %0, [%1, #5]\n\t"
                     ".arch armv8.2-a+crc+lse+rcpc"
                     : "=r"(r) : "r"(p + 3) : "memory"); show("ldapursb", r);
    __asm__ volatile(".arch armv8.4-a\n\t"
                     "ldapursh %w0, [%1, #-2]\n\t"
                     ".arch armv8.2-a+crc+lse+rcpc"
                     : "=r"(r) : "r"(p + 3) : "memory"); show("ldapursh w", r);
    __asm__ volatile(".arch armv8.4-a\n\t"
                     "ldapursw %0, [%1, #12]\n\t"
                     ".arch armv8.2-a+crc+lse+rcpc"
                     : "=r"(r) : "r"(p + 3) : "memory"); show("ldapursw", r);
    u64 v = opq(0xfeedfacecafebeefull);
    __asm__ volatile("stlr %0, [%1]" :: "r"(v), "r"(&mem[20]) : "memory");
    __asm__ volatile("stlrb %w0, [%1]" :: "r"(v), "r"((u8 *)&mem[21] + 1) : "memory");
    __asm__ volatile("stlrh %w0, [%1]" :: "r"(v), "r"((u16 *)&mem[21] + 3) : "memory");
    __asm__ volatile(".arch armv8.4-a\n\t"
                     "stlur %w0, [%1, #-4]\n\t"
                     ".arch armv8.2-a+crc+lse+rcpc"
                     :: "r"(v), "r"(&mem[23]) : "memory");
    show("mem[20] after stlr", mem[20]);
    show("mem[21] after stlrb/stlrh", mem[21]);
    show("mem[22] after stlur", mem[22]);
    mix(__atomic_load_n(&mem[30], __ATOMIC_ACQUIRE));
    __atomic_store_n(&mem[31], v, __ATOMIC_RELEASE);
    mix_mem();
    end("acquire/release");
}

/* ---- PRNG-driven mixing loop ---- */

static u64 xs = 0x9e3779b97f4a7c15ull;

static u64 rnd(void)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return xs;
}

static u64 table[512] __attribute__((aligned(64)));

static void test_loop(void)
{
    begin();
    for (unsigned i = 0; i < 512; i++)
        table[i] = rnd();
    u64 acc = 0x0123456789abcdefull, acc2 = 0;
    u32 crc = 0;
    for (unsigned it = 0; it < 100000; it++) {
        u64 r = rnd();
        u64 a = table[r & 511], b = table[(r >> 9) & 511];
        u64 t;
        switch ((r >> 20) & 7) {
        case 0: t = a + b + (acc >> 3); break;
        case 1: t = a * b ^ acc; break;
        case 2: t = (u64)(((unsigned __int128)a * (b | 1)) >> 64); break;
        case 3: t = a / ((b >> 40) | 1) + (s64)a % (s64)((b >> 50) | 1); break;
        case 4: __asm__("rbit %0, %1\n\tclz %0, %0" : "=r"(t) : "r"(a ^ acc)); t += a; break;
        case 5: __asm__("crc32cx %w0, %w0, %1" : "+r"(crc) : "r"(a)); t = crc ^ b; break;
        case 6: t = (s64)a < (s64)b ? a - acc : b + acc; break;
        default: t = (a << (b & 63)) | (a >> (64 - (b & 63)) >> 1) | ((s64)b >> (a & 63)); break;
        }
        acc = (acc << 7 | acc >> 57) ^ t;
        acc2 += (u32)t + (u64)(s32)(t >> 17) * 3;
        table[(r >> 30) & 511] ^= acc;
        if ((r & 0xff) == 0x5a)
            __atomic_fetch_add(&at[5], acc & 0xffff, __ATOMIC_RELAXED);
        if (it % 10000 == 9999)
            mix(acc);
    }
    show("acc", acc);
    show("acc2", acc2);
    show("crc", crc);
    show("at[5]", at[5]);
    for (unsigned i = 0; i < 512; i++)
        mix(table[i]);
    end("prng loop (100000 iterations)");
}

int main(void)
{
    uart_puts("intops: integer ISA test\n");
    test_addsub();
    test_mul();
    test_div();
    test_shift();
    test_bits();
    test_bitfield();
    test_cond();
    test_crc();
    test_ldst();
    test_atomics();
    test_exclusive();
    test_acqrel();
    test_loop();
    uart_puts("intops total hash = ");
    uart_hex64(total);
    uart_puts("\nintops done\n");
    return 0;
}
