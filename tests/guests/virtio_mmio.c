/*
 * virtio_mmio: QEMU virt's 32 virtio-mmio transports at 0x0a000000 (0x200
 * bytes apart), with no device behind them, as firmware and test suites
 * (kvm-unit-tests' micro-bench reads one as its MMIO probe) see them.  Reads
 * the identification registers of the first, a middle and the last transport,
 * a few others (read-as-zero without a device), writes the status register
 * (ignored) and reads it back; the values are QEMU 10's (golden).
 */
#include "guest.h"
#include "uart.h"

#define VIRTIO_BASE 0x0a000000ull
#define VIRTIO_STRIDE 0x200ull

static uint32_t rd32(uint64_t a)
{
    return *(volatile uint32_t *)a;
}

static void wr32(uint64_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static void show(unsigned n)
{
    static const struct { unsigned off; const char *name; } regs[] = {
        {0x000, "MagicValue"}, {0x004, "Version"}, {0x008, "DeviceID"},
        {0x00c, "VendorID"}, {0x010, "DeviceFeatures"}, {0x034, "QueueNumMax"},
        {0x060, "InterruptStatus"}, {0x070, "Status"}, {0x0fc, "ConfigGeneration"},
        {0x100, "Config[0]"},
    };
    uint64_t base = VIRTIO_BASE + n * VIRTIO_STRIDE;
    uart_puts("transport ");
    uart_dec(n);
    uart_puts(" at ");
    uart_hex(base);
    uart_puts(":\n");
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        uart_puts("  ");
        uart_puts(regs[i].name);
        uart_puts(" = ");
        uart_hex32(rd32(base + regs[i].off));
        uart_puts("\n");
    }
}

int main(void)
{
    show(0);
    show(15);
    show(31);
    wr32(VIRTIO_BASE + 0x070, 0x1);
    wr32(VIRTIO_BASE + 0x030, 0x3);
    uart_puts("after writing Status = 1, QueueSel = 3: Status = ");
    uart_hex32(rd32(VIRTIO_BASE + 0x070));
    uart_puts(", QueueNumMax = ");
    uart_hex32(rd32(VIRTIO_BASE + 0x034));
    uart_puts("\n");
    return 0;
}
