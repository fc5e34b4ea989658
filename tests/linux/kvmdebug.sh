#!/usr/bin/env bash
# KVM's guest debug on a real kernel (CI): Debian 6.1 and 6.12 booted at EL2 with 1 CPU, KVM
# in VHE and in nVHE mode (kvm-arm.mode=nvhe), and hypsim.kvmdebug=1, so /init runs the repo's
# KVM guest-debug test (tests/linux/kvmdebug-test, /bin/kvmdebug): a VMM that debugs its
# 1-vCPU guest with KVM_SET_GUEST_DEBUG as a hypervisor developer's debugger does:
#   - single step (KVM_GUESTDBG_SINGLESTEP): one KVM_EXIT_DEBUG per instruction, ESR_EL2 EC
#     0x32 with ISV 1 (EX 1 after a load-exclusive), PC one instruction on, taken branches
#     landing on their targets, the registers each instruction writes;
#   - a hardware breakpoint (KVM_GUESTDBG_USE_HW, DBGBCR0/DBGBVR0) in a loop: EC 0x30 with
#     PC = DBGBVR0 on each iteration, stepped over twice as a debugger does;
#   - a hardware watchpoint on stores (DBGWCR0/DBGWVR0): EC 0x34, WnR 1, FAR = the address
#     stored to, PC = the store, memory not yet written, no hit on a load or on bytes outside
#     BAS; stepped over, then BAS 0xf0 (FAR = the halfword's address);
#   - a BRK with KVM_GUESTDBG_USE_SW_BP: EC 0x3c, ISS = its immediate (MDCR_EL2.TDE routes
#     it to EL2);
#   - debugging off: the guest runs to PSCI SYSTEM_OFF (KVM_EXIT_SYSTEM_EVENT / SHUTDOWN) and
#     its final registers and memory are checked.
# Under hypsim this is the CPU's self-hosted debug (Arm ARM D2) driven by KVM at EL2 for an EL1
# guest. A boot passes when the emulator exits 0 (power-off), both /init markers appear, no
# kernel WARNING:, BUG:, Oops or panic line appears (the kernel's own lines: the test's
# output has "KVM_SET_GUEST_DEBUG:" in it), the kernel prints the KVM mode asked for,
# the console has "KVMDEBUG PASS" and "HYPSIM-KVMDBG: /bin/kvmdebug exit 0" and no
# "KVMDEBUG bad:" line.
# --emulator qemu runs the same boots on QEMU (qemu-system-aarch64 -M virt,virtualization=on
# -cpu max, as scripts/linux-boot.sh does), an independent reference; --emulator both runs
# QEMU and then hypsim and also checks that hypsim's KVMDEBUG lines (every ESR, PC, FAR and
# register value) are QEMU's, but for the IPA size line (52 bits under QEMU, hypsim's
# --pa-bits 48).
# Prints one PASS/FAIL line per boot (and per comparison); exits 1 if any failed.
#
# Usage: tests/linux/kvmdebug.sh [--emulator hypsim|qemu|both] [--kernels "6.1 6.12"]
#                                [--kvm-modes "vhe nvhe"] [--timeout SECONDS]
#   --emulator   hypsim (default; $HYPSIM, default target/release/hypsim, not built here),
#                qemu ($QEMU, default qemu-system-aarch64) or both
#   --kernels    Debian kernels from .deps/linux (scripts/fetch-linux.sh)
#   --kvm-modes  KVM modes: vhe (the default at EL2) and nvhe (kvm-arm.mode=nvhe)
#   --timeout    wall-clock limit per boot (default 900)
# Logs: build/linux/kvmdebug-<emulator>-<kernel>-<mode>.log. Needs .deps/linux and the
# committed tests/linux/kvmdebug-test/kvmdebug (tests/linux/kvmdebug-test/build.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EMULATORS="hypsim"
KERNELS="6.1 6.12"
KVM_MODES="vhe nvhe"
TIMEOUT=900
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || case "$1" in -h|--help) ;; *)
        echo "kvmdebug: error: $1 needs a value (see --help)" >&2; exit 2 ;; esac
    case "$1" in
        --emulator)
            case "$2" in
                hypsim|qemu) EMULATORS="$2" ;;
                both) EMULATORS="qemu hypsim" ;;
                *) echo "kvmdebug: error: --emulator must be hypsim, qemu or both" >&2; exit 2 ;;
            esac
            shift 2 ;;
        --kernels) KERNELS="$2"; shift 2 ;;
        --kvm-modes) KVM_MODES="$2"; shift 2 ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
        *) echo "kvmdebug: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
HYPSIM="${HYPSIM:-$ROOT/target/release/hypsim}"
QEMU="${QEMU:-qemu-system-aarch64}"
DEPS="$ROOT/.deps/linux"
OUT="$ROOT/build/linux"
INITRD="$OUT/initramfs-kvmdebug.cpio.gz"
need=("$DEPS/busybox" "$ROOT/tests/linux/kvmdebug-test/kvmdebug")
for k in $KERNELS; do need+=("$DEPS/vmlinuz-$k"); done
for e in $EMULATORS; do [ "$e" = hypsim ] && need+=("$HYPSIM"); done
for f in "${need[@]}"; do
    [ -e "$f" ] || { echo "kvmdebug: error: $f is missing (build hypsim; scripts/fetch-linux.sh; tests/linux/kvmdebug-test/build.sh)" >&2; exit 2; }
done
case " $EMULATORS " in *" qemu "*)
    command -v "$QEMU" >/dev/null 2>&1 || { echo "kvmdebug: error: $QEMU not found (scripts/install-deps.sh installs QEMU 10)" >&2; exit 2; } ;;
esac
mkdir -p "$OUT"
# The initramfs with /bin/kvmdebug (its own file, so that nothing else's copy is replaced).
"$ROOT/scripts/make-initramfs.sh" --busybox "$DEPS/busybox" --out "$INITRD" >/dev/null

fails=0
# boot EMULATOR KERNEL APPEND: run one boot, leave the console (CR stripped) in $log, the exit
# code in $rc and the wall time in $secs.
boot() {
    local emu=$1 k=$2 append="console=ttyAMA0 panic=-1 hypsim.kvmdebug=1${3:+ $3}" start
    local -a cmd
    if [ "$emu" = qemu ]; then
        cmd=("$QEMU" -M virt,gic-version=3,virtualization=on -cpu max -m 1G -smp 1 -nographic
             -nic none -no-reboot -kernel "$DEPS/vmlinuz-$k" -initrd "$INITRD" -append "$append")
    else
        cmd=("$HYPSIM" run --kernel "$DEPS/vmlinuz-$k" --initrd "$INITRD" --el 2 --smp 1
             --append "$append" --max-insns 6000000000 --stats "${log%.log}.json")
    fi
    start=$(date +%s.%N)
    set +e
    timeout "$TIMEOUT" "${cmd[@]}" < /dev/null 2>&1 | tr -d '\r' > "$log"
    rc=${PIPESTATUS[0]}
    set -e
    secs=$(python3 -c "print(f'{$(date +%s.%N)-$start:.1f}')")
}
# The lines compared between the emulators: every KVMDEBUG line but the VM's IPA size.
kvmdebug_lines() { grep -E '^KVMDEBUG ' "$1" | grep -v 'KVM_CAP_ARM_VM_IPA_SIZE' || true; }

for k in $KERNELS; do
    for mode in $KVM_MODES; do
        case "$mode" in
            vhe) extra=""; want="kvm \[[0-9]+\]: VHE mode initialized successfully" ;;
            nvhe) extra="kvm-arm.mode=nvhe"; want="Hyp (nVHE )?mode initialized successfully" ;;
            *) echo "kvmdebug: error: unknown KVM mode '$mode' (vhe or nvhe)" >&2; exit 2 ;;
        esac
        for emu in $EMULATORS; do
            name="$emu-$k-$mode"
            log="$OUT/kvmdebug-$name.log"
            boot "$emu" "$k" "$extra"
            problems=()
            case "$rc" in
                0) ;;
                124) problems+=("killed after $TIMEOUT s (timeout)") ;;
                4) problems+=("--max-insns reached (exit 4)") ;;
                *) problems+=("exit code $rc (0 = PSCI SYSTEM_OFF)") ;;
            esac
            grep -q "^HYPSIM-INIT-START" "$log" || problems+=("/init did not start")
            grep -q "^HYPSIM-INIT-DONE" "$log" || problems+=("/init did not finish")
            # The kernel's own lines only (after a timestamp, or at a line start): the test's
            # own output names KVM_SET_GUEST_DEBUG: and the like.
            badk=$(grep -E "(^|\] )(WARNING|BUG):|Oops|Kernel panic" "$log" || true)
            [ -z "$badk" ] || problems+=("kernel complained: $badk")
            grep -qE "$want" "$log" || problems+=("no '$want' line")
            grep -q "^KVMDEBUG PASS" "$log" ||
                problems+=("$(grep -m1 -E '^KVMDEBUG (FAIL|PASS)' "$log" || echo 'KVMDEBUG: no result')")
            grep -q "^HYPSIM-KVMDBG: /bin/kvmdebug exit 0$" "$log" ||
                problems+=("$(grep -m1 '^HYPSIM-KVMDBG: ' "$log" || echo 'no HYPSIM-KVMDBG line')")
            ! grep -q "^KVMDEBUG bad:" "$log" || problems+=("a KVMDEBUG bad line")
            if [ ${#problems[@]} -eq 0 ]; then
                printf 'PASS %-22s %6ss wall, %s, %s ok lines\n' "$name" "$secs" \
                    "$(grep -m1 '^KVMDEBUG PASS' "$log")" "$(grep -c '^KVMDEBUG ok:' "$log")"
            else
                msg=$(printf '%s; ' "${problems[@]}")
                printf 'FAIL %-22s %6ss wall, %s (log %s)\n' "$name" "$secs" "${msg%; }" "$log"
                echo "--- last 30 console lines of $log"; tail -n 30 "$log"
                fails=$((fails + 1))
            fi
        done
        # Both emulators: hypsim's KVMDEBUG lines must be QEMU's.
        if [ "$EMULATORS" = "qemu hypsim" ]; then
            qlog="$OUT/kvmdebug-qemu-$k-$mode.log" hlog="$OUT/kvmdebug-hypsim-$k-$mode.log"
            name="compare-$k-$mode"
            if d=$(diff <(kvmdebug_lines "$qlog") <(kvmdebug_lines "$hlog")); then
                printf 'PASS %-22s hypsim printed the same %s KVMDEBUG lines as QEMU\n' "$name" \
                    "$(kvmdebug_lines "$hlog" | wc -l)"
            else
                printf 'FAIL %-22s hypsim and QEMU differ (< QEMU, > hypsim):\n' "$name"
                printf '%s\n' "$d" | grep -E '^[<>]' | head -n 10
                fails=$((fails + 1))
            fi
        fi
    done
done
[ "$fails" = 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "kvmdebug: all boots passed"
