/*
 * its: LPIs and the GICv3 ITS (IHI0069 §5.1, §5.2, §6) at EL2 on one CPU.
 *
 * Sets up the redistributor's LPI tables (GICR_PROPBASER with 16 INTID bits,
 * GICR_PENDBASER, GICR_CTLR.EnableLPIs), the ITS's device and collection
 * tables (found by GITS_BASER<n>.Type, as software must), its command queue
 * (GITS_CBASER/CWRITER) and GITS_CTLR.Enabled, then maps events with MAPD,
 * MAPC and MAPTI and signals them with INT and GITS_TRANSLATER.  With DAIF
 * masked, each LPI is taken by reading ICC_IAR1_EL1 (what it returns is
 * printed) and completed with ICC_EOIR1_EL1.  Covered: INT to a mapped
 * event, two pending LPIs taken by priority, the configuration's enable bit
 * with INV and INVALL, CLEAR, DISCARD, MAPD V=0 unmapping a device's events,
 * a GITS_TRANSLATER write (DeviceID 0 for a CPU's write), GICR_CTLR,
 * GITS_CTLR.Quiescent and GITS_CREADR catching up with GITS_CWRITER.  Only
 * architected values are printed (not GITS_TYPER's sizes or the table entry
 * sizes, which are the implementation's).  Golden from QEMU 10.
 */
#include "guest.h"
#include "uart.h"

#define GICD        0x08000000ul
#define GICR        0x080a0000ul
#define GITS        0x08080000ul

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICR_CTLR       0x0000
#define GICR_TYPER      0x0008
#define GICR_WAKER      0x0014
#define GICR_PROPBASER  0x0070
#define GICR_PENDBASER  0x0078
#define GITS_CTLR       0x0000
#define GITS_TYPER      0x0008
#define GITS_CBASER     0x0080
#define GITS_CWRITER    0x0088
#define GITS_CREADR     0x0090
#define GITS_BASER      0x0100
#define GITS_TRANSLATER 0x10040

#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2     "S3_4_C12_C9_5"
#define RD(enc) ({ uint64_t v_; __asm__ volatile("mrs %0, " enc : "=r"(v_) :: "memory"); v_; })
#define WR(enc, v) __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(v)) : "memory")

static uint8_t prop_table[65536] __attribute__((aligned(65536)));
static uint8_t pend_table[65536] __attribute__((aligned(65536)));
static uint8_t dev_table[65536] __attribute__((aligned(65536)));
static uint8_t coll_table[65536] __attribute__((aligned(65536)));
static uint64_t cmdq[512] __attribute__((aligned(65536)));    /* 4 KiB */
static uint8_t itt[2][4096] __attribute__((aligned(256)));
static unsigned cmd_next;

static uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static uint64_t rd64(uint64_t a) { return *(volatile uint64_t *)a; }
static void wr64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

static void cmd(uint64_t d0, uint64_t d1, uint64_t d2)
{
    uint64_t *c = &cmdq[cmd_next * 4];
    c[0] = d0;
    c[1] = d1;
    c[2] = d2;
    c[3] = 0;
    cmd_next = (cmd_next + 1) % 128;
    __asm__ volatile("dsb sy" ::: "memory");
    wr64(GITS + GITS_CWRITER, cmd_next * 32);
    while (rd64(GITS + GITS_CREADR) != cmd_next * 32)
        ;
}

#define DEV(d) ((uint64_t)(d) << 32)
static void mapd(uint32_t dev, unsigned ittn, int valid)
{
    cmd(0x08 | DEV(dev), 4 /* EventID bits - 1: 5 bits */,
        ((uint64_t)!!valid << 63) | (uint64_t)itt[ittn]);
}
static void mapc(uint16_t icid, uint32_t pe)
{
    cmd(0x09, 0, (1ull << 63) | ((uint64_t)pe << 16) | icid);
}
static void mapti(uint32_t dev, uint32_t ev, uint32_t intid, uint16_t icid)
{
    cmd(0x0a | DEV(dev), ((uint64_t)intid << 32) | ev, icid);
}
static void ev_cmd(uint8_t op, uint32_t dev, uint32_t ev) { cmd(op | DEV(dev), ev, 0); }
#define INT 0x03
#define CLEAR 0x04
#define INV 0x0c
#define DISCARD 0x0f
static void invall(uint16_t icid) { cmd(0x0d, 0, icid); }
static void sync0(void) { cmd(0x05, 0, 0); }

/* Take every LPI pending (ICC_IAR1_EL1 until 1023) and print them. */
static void take(const char *what)
{
    uart_puts(what);
    uart_puts(":");
    for (int n = 0; n < 8; n++) {
        uint32_t id = RD(ICC_IAR1_EL1) & 0xffffff;
        if (id == 1023)
            break;
        uart_puts(" ");
        uart_dec(id);
        WR(ICC_EOIR1_EL1, id);
    }
    uart_puts(" (then 1023)\n");
}

static void set_prop(uint32_t intid, uint8_t cfg)
{
    prop_table[intid - 8192] = cfg;
    __asm__ volatile("dsb sy" ::: "memory");
}

static int find_baser(unsigned type)
{
    for (int i = 0; i < 8; i++)
        if (((rd64(GITS + GITS_BASER + 8 * i) >> 56) & 7) == type)
            return i;
    return -1;
}

static void setup_baser(int i, void *table)
{
    uint64_t v = rd64(GITS + GITS_BASER + 8 * i);
    uint64_t psz = (v >> 8) & 3;    /* 0: 4K, 1: 16K, 2: 64K */
    v &= ~0xffull;                   /* Size: one page */
    v |= (uint64_t)table | (1ull << 63);
    (void)psz;
    wr64(GITS + GITS_BASER + 8 * i, v);
}

int main(void)
{
    uart_puts("its: LPIs through the ITS\n");
    WR(ICC_SRE_EL2, 0xf);
    __asm__ volatile("isb");
    wr32(GICD + GICD_CTLR, 0x12);               /* ARE, EnableGrp1 */
    wr32(GICR + GICR_WAKER, 0);
    while (rd32(GICR + GICR_WAKER) & 4)
        ;
    WR(ICC_PMR_EL1, 0xff);
    WR(ICC_IGRPEN1_EL1, 1);
    __asm__ volatile("isb");

    uart_puts("GICD_TYPER.LPIS=");
    uart_dec((rd32(GICD + GICD_TYPER) >> 17) & 1);
    uart_puts(" GICR_TYPER.PLPIS=");
    uart_dec(rd64(GICR + GICR_TYPER) & 1);
    uart_puts(" GITS_TYPER.Physical=");
    uart_dec(rd64(GITS + GITS_TYPER) & 1);
    uart_puts(" GITS_CTLR.Quiescent=");
    uart_dec(rd32(GITS + GITS_CTLR) >> 31);
    uart_puts("\n");

    /* LPI tables: 16 INTID bits (IDbits = 15), 8192 LPIs, all disabled. */
    for (unsigned i = 0; i < 8192; i++)
        prop_table[i] = 0xa0;
    wr64(GICR + GICR_PROPBASER, (uint64_t)prop_table | 15);
    wr64(GICR + GICR_PENDBASER, (uint64_t)pend_table);
    wr32(GICR + GICR_CTLR, 1);
    uart_puts("GICR_CTLR.EnableLPIs=");
    uart_dec(rd32(GICR + GICR_CTLR) & 1);
    uart_puts("\n");

    int dev_i = find_baser(1), coll_i = find_baser(4);
    uart_puts("device and collection tables found: ");
    uart_puts(dev_i >= 0 && coll_i >= 0 ? "yes\n" : "no\n");
    setup_baser(dev_i, dev_table);
    setup_baser(coll_i, coll_table);
    wr64(GITS + GITS_CBASER, (uint64_t)cmdq | (1ull << 63));   /* 1 page */
    wr64(GITS + GITS_CWRITER, 0);
    wr32(GITS + GITS_CTLR, 1);

    mapc(0, 0);
    mapd(5, 0, 1);
    mapd(0, 1, 1);
    mapti(5, 3, 8200, 0);
    mapti(5, 4, 8201, 0);
    mapti(0, 1, 8300, 0);
    invall(0);
    sync0();
    take("nothing signalled");

    set_prop(8200, 0xa1);
    set_prop(8201, 0x81);
    set_prop(8300, 0xa1);
    invall(0);
    ev_cmd(INT, 5, 3);
    take("INT dev 5 event 3");
    ev_cmd(INT, 5, 3);
    ev_cmd(INT, 5, 4);
    take("INT 8200 (prio 0xa0) and 8201 (prio 0x80)");

    set_prop(8200, 0xa0);
    ev_cmd(INV, 5, 3);
    ev_cmd(INT, 5, 3);
    take("8200 disabled in its configuration, INV, INT");
    set_prop(8200, 0xa1);
    invall(0);
    take("enabled again, INVALL (it was pending)");

    ev_cmd(INT, 5, 4);
    ev_cmd(CLEAR, 5, 4);
    take("INT then CLEAR of 8201");

    wr32(GITS + GITS_TRANSLATER, 1);
    __asm__ volatile("dsb sy" ::: "memory");
    take("GITS_TRANSLATER = 1 (DeviceID 0, event 1)");

    ev_cmd(DISCARD, 5, 4);
    ev_cmd(INT, 5, 4);
    take("DISCARD 8201, INT");

    mapd(5, 0, 0);
    ev_cmd(INT, 5, 3);
    take("MAPD dev 5 V=0, INT");

    uart_puts("GITS_CREADR==GITS_CWRITER: ");
    uart_puts(rd64(GITS + GITS_CREADR) == rd64(GITS + GITS_CWRITER) ? "yes\n" : "no\n");
    uart_puts("done\n");
    return 0;
}
