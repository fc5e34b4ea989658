#!/usr/bin/env bash
# Benchmark: runs the bench guests (tests/guests/bench-*.S) under hypsim and prints MIPS
# (instructions retired per wall second, from --stats); when qemu-system-aarch64 is
# installed, prints QEMU's figure for the same image beside it. Figures only: nothing
# here passes or fails on speed.
#
# Usage: scripts/bench.sh [guests] [linux] [kvm] [spe] [inject]   (default: all five)
#   guests  the bench-* guests on hypsim and QEMU (bench-mte on QEMU with -M ...,mte=on),
#           then bench-alu and bench-mmu again on hypsim with --mte off: MIPS with MTE
#           on (the default) and off, and their ratio; the integer benches with --jit off
#           (the JIT's speed-up); and with --timing detailed: the detailed model's
#           slowdown over flat
#   linux   Linux 6.12 boot to /init and to power-off, hypsim (--mte on, then --mte off,
#           with the on/off ratios, then --timing detailed, then --jit off) and QEMU, and
#           the hypsim/QEMU and JIT off/on ratios to /init
#   kvm     KVM's initialisation and the nested guest's loop speed, hypsim and QEMU
#   spe     Linux 6.12 boot to power-off: with --timing detailed, without and with host-side
#           SPE sampling (--spe-sample interval=1024), and flat with the guest's SPE
#           advertised but unused (the default) and with --spe off; the ratios
#   inject  what fault injection costs: bench-mmu and a Linux boot with no --inject and
#           with an armed injection that never fires (a pc= trigger on an address never
#           executed: its page carries a decode-cache sentinel); and how long a job
#           from a Linux snapshot takes to start running the guest, beside a boot
# Env: HYPSIM=FILE  use this hypsim binary (no cargo build; default: build
#                   target/release/hypsim); QEMU=FILE (default qemu-system-aarch64).
set -euo pipefail
if [ -n "${HYPSIM:-}" ]; then
    HYPSIM=$(readlink -f "$HYPSIM")
    [ -x "$HYPSIM" ] || { echo "bench: HYPSIM=$HYPSIM is not an executable" >&2; exit 2; }
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(guests linux kvm spe inject)
for s in "${sections[@]}"; do
    case "$s" in guests|linux|kvm|spe|inject) ;; *) echo "bench: unknown section '$s' (guests, linux, kvm, spe, inject)" >&2; exit 2 ;; esac
done
want() { local s; for s in "${sections[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
if [ -z "${HYPSIM:-}" ]; then
    cargo build --release --quiet --bin hypsim
    HYPSIM=$PWD/target/release/hypsim
fi
export HYPSIM                   # for scripts/linux-boot.sh and scripts/bench-kvm.py
QEMU=$(command -v "${QEMU:-qemu-system-aarch64}" || true)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Extra ",key=value" options of QEMU's -M virt for a guest (as machine_opts() in
# scripts/qemu-golden.sh): MTE with tag storage for bench-mte (QEMU's -cpu max hides MTE
# without it; hypsim has it on by default).
qemu_machine_opts() {
    case "$1" in
        mte*|bench-mte*) printf ',mte=on' ;;
    esac
}

# stats FILE: "instructions wall_seconds mips" from a hypsim --stats file.
stats() {
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['instructions'], d['wall_seconds'], d['mips'])" "$1"
}

if want guests; then
declare -A on_mips=() on_insns=()
printf '%-14s %14s %10s %10s %12s %10s\n' guest instructions "hypsim s" "hypsim MIPS" "qemu s" "qemu MIPS"
for elf in tests/guests/bin/bench-*.elf; do
    name=$(basename "$elf" .elf)
    "$HYPSIM" run --kernel "$elf" --stats "$tmp/$name.json" > "$tmp/$name.out"
    read -r insns secs mips < <(stats "$tmp/$name.json")
    on_mips[$name]=$mips on_insns[$name]=$insns
    qs=- qm=-
    if [ -n "$QEMU" ]; then
        start=$(date +%s.%N)
        timeout 600 "$QEMU" -M "virt,virtualization=on,gic-version=3$(qemu_machine_opts "$name")" \
            -cpu max -m 1G -nographic \
            -nic none -monitor none -kernel "$elf" > "$tmp/$name.qemu" 2>/dev/null || true
        end=$(date +%s.%N)
        qs=$(python3 -c "print(f'{$end-$start:.2f}')")
        qm=$(python3 -c "print(f'{$insns/($end-$start)/1e6:.0f}')")
        cmp -s "$tmp/$name.out" "$tmp/$name.qemu" || echo "warning: $name output differs from QEMU's" >&2
    fi
    printf '%-14s %14s %10.2f %10.0f %12s %10s\n' "$name" "$insns" "$secs" "$mips" "$qs" "$qm"
done
echo "(hypsim: one host thread; QEMU: TCG with its JIT, timed including its start-up)"

# versus "OPTIONS" TAG FORMAT NAME...: each named bench guest again with OPTIONS (split
# on spaces), beside the default run above: instructions, both MIPS and default/OPTIONS
# (printf FORMAT); warns when the output or the instruction count differs.
versus() {
    local opts=$1 tag=$2 fmt=$3 name elf insns secs mips ratio; shift 3
    for name in "$@"; do
        elf=tests/guests/bin/$name.elf
        [ -f "$elf" ] && [ -n "${on_mips[$name]:-}" ] || continue
        # shellcheck disable=SC2086 # OPTIONS are words
        if "$HYPSIM" run $opts --kernel "$elf" --stats "$tmp/$name.$tag.json" > "$tmp/$name.$tag.out"; then
            read -r insns secs mips < <(stats "$tmp/$name.$tag.json")
            cmp -s "$tmp/$name.out" "$tmp/$name.$tag.out" || echo "warning: $name output differs with $opts" >&2
            [ "$insns" = "${on_insns[$name]}" ] || echo "warning: $name retired $insns instructions with $opts, ${on_insns[$name]} without" >&2
            ratio=$(python3 -c "print('$fmt' % (${on_mips[$name]}/$mips))")
            printf '%-14s %14s %10.0f %10.0f %10s\n' "$name" "$insns" "${on_mips[$name]}" "$mips" "$ratio"
        else
            echo "warning: $name failed with $opts" >&2
            printf '%-14s %14s %10.0f %10s %10s\n' "$name" "${on_insns[$name]}" "${on_mips[$name]}" - -
        fi
    done
}

# The cost of MTE being available when the guest does not use it: the integer mixes again
# with --mte off (no tag storage, MTE instructions UNDEFINED), against the runs above.
echo
echo "hypsim --mte on (default) vs --mte off, integer mixes"
printf '%-14s %14s %10s %10s %10s\n' guest instructions "on MIPS" "off MIPS" "on/off"
versus "--mte off" mteoff "%.3f" bench-alu bench-mmu
echo "(on/off < 1: slower with MTE on; one run each, so a few per cent is noise)"

# The JIT (on by default on x86-64) against the block interpreter alone (--jit off): the
# same instructions and output, and the speed-up.
echo
echo "hypsim --jit on (default) vs --jit off"
printf '%-14s %14s %10s %10s %10s\n' guest instructions "on MIPS" "off MIPS" "on/off"
versus "--jit off" nojit "%.2fx" bench-alu bench-branch bench-ldst bench-mmu bench-rand
echo "(on/off: the JIT's speed-up; one run each)"

# The cost of the detailed timing model (caches, TLBs, branch predictor of the default
# core) against the flat one, on the integer mixes: its budget is 3x the flat wall time.
echo
echo "hypsim --timing detailed vs flat (default), integer mixes"
printf '%-14s %14s %10s %10s %10s
' guest instructions "flat MIPS" "det. MIPS" "slowdown"
versus "--timing detailed" det "%.2fx" bench-alu bench-mmu
echo "(slowdown = flat MIPS / detailed MIPS; one run each)"
fi

# Linux boot: wall seconds to the initramfs marker and to power-off, hypsim and QEMU on the
# same Debian kernel and initramfs (when scripts/fetch-linux.sh and make-initramfs.sh ran);
# hypsim twice, with MTE on (the default: the kernel finds MTE, maps its linear map Tagged
# and runs with tag checks off) and with --mte off, and the on/off ratios.
K=.deps/linux/vmlinuz-6.12
I=build/linux/initramfs.cpio.gz
if want linux && [ -f "$K" ] && [ -f "$I" ]; then
    echo
    echo "Linux 6.12 boot (EL2, 1 CPU), wall seconds: first output / HYPSIM-INIT-START / power-off"
    boot() {   # boot LABEL EMULATOR [LINUX-BOOT-ARGS...]: the PASS/FAIL line
        local label=$1 emu=$2 line; shift 2
        line=$(bash scripts/linux-boot.sh --kernel "$K" --initrd "$I" --emulator "$emu" --el 2 --smp 1 "$@" 2>&1 | grep -E "PASS|FAIL" | head -1 || true)
        echo "  $label: ${line#*: }"
        printf '%s\n' "$line" > "$tmp/boot-$label.line"
    }
    boot hypsim hypsim -- --stats "$tmp/linux-on.json"
    boot "hypsim --mte off" hypsim --log build/linux/boot-vmlinuz-6.12-hypsim-el2-smp1-mte-off.log \
        -- --mte off --stats "$tmp/linux-off.json"
    boot "hypsim --timing detailed" hypsim --log build/linux/boot-vmlinuz-6.12-hypsim-el2-smp1-detailed.log \
        -- --timing detailed
    boot "hypsim --jit off" hypsim --log build/linux/boot-vmlinuz-6.12-hypsim-el2-smp1-nojit.log \
        -- --jit off
    [ -z "$QEMU" ] || boot qemu qemu
    # HYPSIM-INIT-START seconds: hypsim (JIT on) over QEMU, and the JIT's speed-up.
    python3 - "$tmp/boot-hypsim.line" "$tmp/boot-qemu.line" "$tmp/boot-hypsim --jit off.line" <<'EOF' || true
import re, sys
def init_s(path):
    try:
        m = re.search(r"HYPSIM-INIT-START ([0-9.]+) s", open(path).read())
    except OSError:
        return None
    return float(m.group(1)) if m else None
h, q, n = (init_s(p) for p in sys.argv[1:4])
if h and q:
    print(f"  to HYPSIM-INIT-START, hypsim / QEMU: {h:.2f} s / {q:.2f} s = {h / q:.2f}x")
if h and n:
    print(f"  to HYPSIM-INIT-START, --jit off / on: {n:.2f} s / {h:.2f} s = {n / h:.2f}x")
EOF
    # Peak memory (maximum resident set) of a boot to power-off, with and without the JIT.
    peak() {   # peak ARGS...: KiB
        python3 -c "import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)" "$HYPSIM" run --kernel "$K" --initrd "$I" \
            --memory 1G --append "console=ttyAMA0 panic=-1" "$@"
    }
    on_kb=$(peak) off_kb=$(peak --jit off)
    python3 -c "print(f'  peak RSS of a boot to power-off: JIT {$on_kb/1024:.0f} MiB, --jit off {$off_kb/1024:.0f} MiB = {$on_kb/$off_kb:.2f}x')"
    for mode in on off; do
        f=$tmp/linux-$mode.json label=hypsim
        [ "$mode" = on ] || label="hypsim --mte off"
        [ -f "$f" ] || { echo "  $label: no statistics (the boot failed)"; continue; }
        python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"  {sys.argv[2]}: {d['instructions']} instructions, {d['cycles']/1e9:.2f} s simulated, {d['mips']:.0f} MIPS\")" "$f" "$label"
    done
    # HYPSIM-INIT-START seconds and MIPS, --mte on over --mte off.
    python3 - "$tmp/boot-hypsim.line" "$tmp/boot-hypsim --mte off.line" "$tmp/linux-on.json" "$tmp/linux-off.json" <<'EOF' || true
import json, re, sys
def init_s(path):
    m = re.search(r"HYPSIM-INIT-START ([0-9.]+) s", open(path).read())
    return float(m.group(1)) if m else None
def mips(path):
    try:
        return json.load(open(path))["mips"]
    except (OSError, ValueError, KeyError):
        return None
on, off = init_s(sys.argv[1]), init_s(sys.argv[2])
mon, moff = mips(sys.argv[3]), mips(sys.argv[4])
t = f"to HYPSIM-INIT-START {on:.2f} s / {off:.2f} s = {on / off:.3f}" if on and off else "to HYPSIM-INIT-START -"
m = f"MIPS {mon:.0f} / {moff:.0f} = {mon / moff:.3f}" if mon and moff else "MIPS -"
print(f"  hypsim --mte on/off: {t}, {m}")
print("  (seconds on/off > 1 or MIPS on/off < 1: slower with MTE on)")
EOF
fi

# KVM: wall seconds to KVM's initialisation line and to power-off, and the nested guest's
# loop speed from the repo's VMM test, hypsim next to QEMU on the same kernel and initramfs.
if want kvm && [ -f "$K" ] && [ -f "$I" ]; then
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

# SPE: what sampling costs a Linux boot (wall seconds to power-off, one run each).
if want spe && [ -f "$K" ] && [ -f "$I" ]; then
    echo
    echo "SPE cost on a Linux 6.12 boot (EL2, 1 CPU), wall seconds to power-off"
    spe_boot() {   # spe_boot LABEL [HYPSIM-ARGS...]: prints and records the seconds
        local label=$1 line secs; shift
        line=$(bash scripts/linux-boot.sh --kernel "$K" --initrd "$I" --emulator hypsim --el 2 --smp 1 \
            --log "build/linux/bench-spe-$label.log" -- "$@" 2>&1 | grep -E "PASS|FAIL" | head -1 || true)
        secs=$(sed -n 's/.*PASS.*power-off \([0-9.]*\) s.*/\1/p' <<<"$line" | head -1)
        printf '  %-34s %s\n' "$label" "${secs:-failed: ${line#*: }}"
        echo "${secs:-}" > "$tmp/spe-$label.s"
    }
    spe_boot detailed --timing detailed
    spe_boot detailed+spe-sample --timing detailed --spe-sample interval=1024 --spe-out "$tmp/spe.data"
    spe_boot flat --spe v1p2
    spe_boot flat--spe-off --spe off
    ratio() { python3 -c "import sys; a,b=(open(f).read().strip() for f in sys.argv[1:3]); print(f'{float(a)/float(b):.3f}' if a and b else '-')" "$tmp/spe-$1.s" "$tmp/spe-$2.s"; }
    echo "  --spe-sample interval=1024 / without (detailed): $(ratio detailed+spe-sample detailed)"
    echo "  guest SPE advertised, unused / --spe off (flat): $(ratio flat flat--spe-off)"
fi

# Fault injection: an armed injection that never fires must cost nothing measurable, and a
# campaign job resumes a booted Linux from its snapshot instead of booting.
if want inject; then
    echo
    echo "Fault injection cost (one run each; ratio = armed / none)"
    elf=tests/guests/bin/bench-mmu.elf
    if [ -f "$elf" ]; then
        "$HYPSIM" run --kernel "$elf" --stats "$tmp/inj-none.json" > /dev/null
        # 0x40ff0000: RAM no guest code runs at; the pc= trigger stays armed all run.
        "$HYPSIM" run --kernel "$elf" --inject serror,pc=0x40ff0000 --stats "$tmp/inj-armed.json" > /dev/null
        python3 - "$tmp/inj-none.json" "$tmp/inj-armed.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["mips"] for p in sys.argv[1:3])
print(f"  bench-mmu MIPS: no --inject {a:.0f}, armed never-firing {b:.0f}: ratio {b / a:.3f}")
PY
    fi
    if [ -f "$K" ] && [ -f "$I" ]; then
        t0=$(date +%s.%N)
        "$HYPSIM" run --kernel "$K" --initrd "$I" --append "console=ttyAMA0 panic=-1" \
            > /dev/null 2>&1 < /dev/null || true
        t1=$(date +%s.%N)
        "$HYPSIM" run --kernel "$K" --initrd "$I" --append "console=ttyAMA0 panic=-1" \
            --inject serror,pc=0x40ff0000 > /dev/null 2>&1 < /dev/null || true
        t2=$(date +%s.%N)
        "$HYPSIM" run --kernel "$K" --initrd "$I" --append "console=ttyAMA0 panic=-1" \
            --snapshot-at insn=400000000 --snapshot-save "$tmp/linux.snap" > /dev/null 2>&1 < /dev/null || true
        t3=$(date +%s.%N)
        # A job's start: load the snapshot and run 1000 instructions of the guest.
        "$HYPSIM" run --snapshot-load "$tmp/linux.snap" --max-insns 1000 > /dev/null 2>&1 < /dev/null || true
        t4=$(date +%s.%N)
        python3 -c "
import sys
t0, t1, t2, t3, t4 = map(float, sys.argv[1:6])
print(f'  Linux 6.12 boot to power-off: no --inject {t1 - t0:.1f} s, armed never-firing {t2 - t1:.1f} s: ratio {(t2 - t1) / (t1 - t0):.3f}')
print(f'  campaign job start (snapshot at 400M instructions, load + 1000 instructions): {t4 - t3:.2f} s')
" "$t0" "$t1" "$t2" "$t3" "$t4"
    fi
fi
