#!/usr/bin/env bash
# Host-side SPE profiling of a real kernel (CI): Debian 6.12 booted at EL2 (VHE, nokaslr)
# with --timing detailed and --spe-sample interval=4096,jitter --spe-out FILE, no guest
# driver. Debian's perf then reads the file with the kernel's own symbols (from the
# shipped vmlinuz, by vmlinux-to-elf's kallsyms-finder, installed by
# scripts/install-deps.sh):
#   - `perf report -D`: no bad packets, one PC packet per sample hypsim counted (--stats);
#   - `perf report --itrace=i1i --kallsyms`: at least 95% of the samples resolve to kernel
#     symbols, among them boot-time code (start_kernel's initcalls: *_init functions);
#   - `perf script -F weight`: most samples carry a non-zero total latency;
#   - a second run gives a byte-identical file;
#   - `--spe-format samples` gives the same profile as ordinary samples (the same top
#     symbol).
# Prints PASS/FAIL lines; exits 1 if any check failed.
#
# Usage: tests/linux/spe.sh
# Needs target/release/hypsim ($HYPSIM overrides it; this script does not build it),
# .deps/linux (scripts/fetch-linux.sh), perf and scripts/.venv (scripts/install-deps.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HYPSIM="${HYPSIM:-$ROOT/target/release/hypsim}"
DEPS="$ROOT/.deps/linux"
OUT="$ROOT/build/linux"
FINDER="$ROOT/scripts/.venv/bin/kallsyms-finder"
INITRD="$OUT/initramfs-spe.cpio.gz"
for f in "$HYPSIM" "$DEPS/vmlinuz-6.12" "$DEPS/busybox" "$FINDER"; do
    [ -e "$f" ] || { echo "spe: error: $f is missing (build hypsim; scripts/fetch-linux.sh; scripts/install-deps.sh)" >&2; exit 2; }
done
command -v perf >/dev/null || { echo "spe: error: perf is missing (scripts/install-deps.sh)" >&2; exit 2; }
mkdir -p "$OUT"
"$ROOT/scripts/make-initramfs.sh" --busybox "$DEPS/busybox" --out "$INITRD" >/dev/null
KALLSYMS="$OUT/spe-6.12.kallsyms"
"$FINDER" "$DEPS/vmlinuz-6.12" > "$KALLSYMS" 2>/dev/null
grep -q ' T start_kernel$' "$KALLSYMS" || { echo "spe: error: no start_kernel in $KALLSYMS" >&2; exit 1; }

fails=0
check() { # name, condition result (0 = pass), detail
    if [ "$2" = 0 ]; then
        printf 'PASS %-34s %s\n' "$1" "$3"
    else
        printf 'FAIL %-34s %s\n' "$1" "$3"
        fails=$((fails + 1))
    fi
}

# profile NAME FORMAT TIMING: boot with --spe-sample, the file in $OUT/spe-NAME.data.
profile() {
    local name=$1 format=$2 timing=$3 start
    start=$(date +%s.%N)
    set +e
    timeout 1200 "$HYPSIM" run --kernel "$DEPS/vmlinuz-6.12" --initrd "$INITRD" --el 2 \
        --append "console=ttyAMA0 panic=-1 nokaslr" --timing "$timing" \
        --spe-sample interval=4096,jitter --spe-out "$OUT/spe-$name.data" --spe-format "$format" \
        --max-insns 4000000000 --stats "$OUT/spe-$name.json" > "$OUT/spe-$name.log" 2>&1 < /dev/null
    rc=$?
    set -e
    secs=$(python3 -c "print(f'{$(date +%s.%N)-$start:.1f}')")
}

profile aux aux detailed
kept=$(python3 -c "import json; print(sum(c['spe']['kept'] for c in json.load(open('$OUT/spe-aux.json'))['cpus']))")
check "boot with --spe-sample" "$([ "$rc" = 0 ] && grep -q HYPSIM-INIT-DONE "$OUT/spe-aux.log"; echo $?)" \
    "exit $rc, $secs s wall, $kept samples"
D="$OUT/spe-aux.dump"
perf report -f -D -i "$OUT/spe-aux.data" > "$D" 2>&1 || true
bad=$(grep -ci 'bad packet' "$D" || true)
pcs=$(grep -c ' PC 0x' "$D" || true)
check "perf report -D decodes every record" "$([ "$bad" = 0 ] && [ "$pcs" = "$kept" ]; echo $?)" \
    "$pcs PC packets, $bad bad packets"
R="$OUT/spe-aux.report"
perf report -f -i "$OUT/spe-aux.data" --itrace=i1i --kallsyms "$KALLSYMS" --stdio --sort sym \
    > "$R" 2>/dev/null || true
unknown=$(awk '/\[unknown\]/ { s += $1 } END { printf "%.2f", s + 0 }' "$R")
inits=$(grep -cE '\[k\] [A-Za-z0-9_.]*_init(\.[a-z0-9.]+)?$' "$R" || true)
top=$(grep -m1 '\[k\]' "$R" | awk '{print $3}')
check "kernel symbols resolve" "$(python3 -c "print(0 if $unknown < 5 and $inits > 0 else 1)")" \
    "[unknown] $unknown%, $inits *_init functions, top: $top"
W="$OUT/spe-aux.script"
perf script -f -i "$OUT/spe-aux.data" --itrace=i1i --kallsyms "$KALLSYMS" -F ip,sym,weight \
    > "$W" 2>/dev/null || true
weighted=$(awk '$1 ~ /^[0-9]+$/ && $1 > 0 { n++ } END { print n + 0 }' "$W")
total=$(grep -c . "$W" || true)
check "samples carry latency weights" "$(python3 -c "print(0 if $total > 0 and $weighted * 2 > $total else 1)")" \
    "$weighted of $total with weight > 0"
echo "--- top of the profile (perf report --sort sym)"
grep -m 12 '\[k\]' "$R" || true

profile aux2 aux detailed
check "a second run gives the same file" "$(cmp -s "$OUT/spe-aux.data" "$OUT/spe-aux2.data"; echo $?)" \
    "$secs s wall"

profile samples samples flat
S="$OUT/spe-samples.report"
perf report -f -i "$OUT/spe-samples.data" --kallsyms "$KALLSYMS" --stdio --sort sym > "$S" 2>/dev/null || true
stop=$(grep -m1 '\[k\]' "$S" | awk '{print $3}')
sunknown=$(awk '/\[unknown\]/ { s += $1 } END { printf "%.2f", s + 0 }' "$S")
check "--spe-format samples (flat timing)" "$([ "$rc" = 0 ] && [ -n "$stop" ] && python3 -c "import sys; sys.exit(0 if $sunknown < 5 else 1)"; echo $?)" \
    "exit $rc, top: $stop, [unknown] $sunknown%"

[ "$fails" = 0 ] || { echo "spe: $fails check(s) failed (files in $OUT)"; exit 1; }
echo "spe: all checks passed"
