#!/usr/bin/env bash
# Boot every kernel x EL x CPU-count combination with the test initramfs and
# summarise (see tests/linux/README.md).
#
# Usage: tests/linux/run-all.sh [--emulator qemu|hypsim] [--kernels "6.1 6.12"]
#                               [--el "2 1"] [--smp "1 2"] [--timeout S]
#                               [--no-fetch] [--append STR]
#   --no-fetch   do not run scripts/fetch-linux.sh (use what .deps/linux has)
# Writes build/linux/initramfs.cpio.gz and one log per run in build/linux/.
# Ends with 'N passed, N failed'; exits 1 if any run failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEPS="$ROOT/.deps/linux"
OUTDIR="$ROOT/build/linux"
EMULATOR=qemu
KERNELS="6.1 6.12"
ELS="2 1"
SMPS="1 2"
TIMEOUT=600
FETCH=1
APPEND=""

while [ $# -gt 0 ]; do
    case "$1" in
        --emulator) EMULATOR="$2"; shift 2 ;;
        --kernels) KERNELS="$2"; shift 2 ;;
        --el) ELS="$2"; shift 2 ;;
        --smp) SMPS="$2"; shift 2 ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        --append) APPEND="$2"; shift 2 ;;
        --no-fetch) FETCH=0; shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "run-all: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

if [ "$FETCH" = 1 ]; then
    "$ROOT/scripts/fetch-linux.sh" --dest "$DEPS"
fi
mkdir -p "$OUTDIR"
"$ROOT/scripts/make-initramfs.sh" --busybox "$DEPS/busybox" --out "$OUTDIR/initramfs.cpio.gz"

passed=0
failed=0
failures=()
for k in $KERNELS; do
    for el in $ELS; do
        for smp in $SMPS; do
            args=(--kernel "$DEPS/vmlinuz-$k" --initrd "$OUTDIR/initramfs.cpio.gz"
                  --emulator "$EMULATOR" --el "$el" --smp "$smp" --timeout "$TIMEOUT")
            [ -z "$APPEND" ] || args+=(--append "$APPEND")
            if "$ROOT/scripts/linux-boot.sh" "${args[@]}"; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                failures+=("$k el$el smp$smp")
            fi
        done
    done
done

[ "$failed" = 0 ] || printf 'run-all: failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
