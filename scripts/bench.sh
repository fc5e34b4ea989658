#!/usr/bin/env bash
# Benchmark: runs the bench guests (tests/guests/bench-*.S) under hypsim and prints MIPS
# (instructions retired per wall second, from --stats); when qemu-system-aarch64 is
# installed, prints QEMU's figure for the same image beside it. Figures only: nothing
# here passes or fails on speed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet --bin hypsim
HYPSIM=target/release/hypsim
QEMU=$(command -v qemu-system-aarch64 || true)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

printf '%-14s %14s %10s %10s %12s %10s\n' guest instructions "hypsim s" "hypsim MIPS" "qemu s" "qemu MIPS"
for elf in tests/guests/bin/bench-*.elf; do
    name=$(basename "$elf" .elf)
    "$HYPSIM" run --kernel "$elf" --stats "$tmp/$name.json" > "$tmp/$name.out"
    read -r insns secs mips < <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['instructions'], d['wall_seconds'], d['mips'])" "$tmp/$name.json")
    qs=- qm=-
    if [ -n "$QEMU" ]; then
        start=$(date +%s.%N)
        timeout 600 "$QEMU" -M virt,virtualization=on,gic-version=3 -cpu max -m 1G -nographic \
            -nic none -monitor none -kernel "$elf" > "$tmp/$name.qemu" 2>/dev/null || true
        end=$(date +%s.%N)
        qs=$(python3 -c "print(f'{$end-$start:.2f}')")
        qm=$(python3 -c "print(f'{$insns/($end-$start)/1e6:.0f}')")
        cmp -s "$tmp/$name.out" "$tmp/$name.qemu" || echo "warning: $name output differs from QEMU's" >&2
    fi
    printf '%-14s %14s %10.2f %10.0f %12s %10s\n' "$name" "$insns" "$secs" "$mips" "$qs" "$qm"
done
echo "(hypsim: one host thread; QEMU: TCG with its JIT, timed including its start-up)"

# Linux boot: wall seconds to the initramfs marker and to power-off, hypsim and QEMU on the
# same Debian kernel and initramfs (when scripts/fetch-linux.sh and make-initramfs.sh ran).
K=.deps/linux/vmlinuz-6.12
I=build/linux/initramfs.cpio.gz
if [ -f "$K" ] && [ -f "$I" ]; then
    echo
    echo "Linux 6.12 boot (EL2, 1 CPU), wall seconds: first output / HYPSIM-INIT-START / power-off"
    for emu in hypsim ${QEMU:+qemu}; do
        line=$(bash scripts/linux-boot.sh --kernel "$K" --initrd "$I" --emulator "$emu" --el 2 --smp 1 2>&1 | grep -E "PASS|FAIL" | head -1)
        echo "  $emu: ${line#*: }"
    done
    "$HYPSIM" run --kernel "$K" --initrd "$I" --append "console=ttyAMA0 panic=-1" --stats "$tmp/linux.json" > /dev/null 2>&1 || true
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"  hypsim: {d['instructions']} instructions, {d['cycles']/1e9:.2f} s simulated, {d['mips']:.0f} MIPS\")" "$tmp/linux.json"
fi

# KVM: wall seconds to KVM's initialisation line and to power-off, and the nested guest's
# loop speed from the repo's VMM test, hypsim next to QEMU on the same kernel and initramfs.
if [ -f "$K" ] && [ -f "$I" ]; then
    echo
    echo "KVM on Linux 6.12 (EL2, 1 CPU, hypsim.kvmtest=1): boot to KVM init, nested guest loop"
    for emu in hypsim ${QEMU:+qemu}; do
        for mode in vhe nvhe; do
            python3 scripts/bench-kvm.py --emulator "$emu" --mode "$mode" --kernel "$K" --initrd "$I" | sed 's/^/  /' || true
        done
    done
    echo "  (loop speed is iterations per second of the guest's own clock: simulated time"
    echo "   under hypsim, host time under QEMU)"
fi
