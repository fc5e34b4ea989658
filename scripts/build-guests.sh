#!/usr/bin/env bash
# Build the bare-metal AArch64 test guests (tests/guests/*.c, *.S) into
# tests/guests/bin/<name>.elf.  The ELFs are committed, so this only needs to
# be run after changing a guest; it is idempotent and the output is
# reproducible for a given toolchain.
#
# Usage: scripts/build-guests.sh [name...]      (default: every guest)
# Env:   CROSS_COMPILE (default aarch64-linux-gnu-)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GUESTS="$ROOT/tests/guests"
COMMON="$GUESTS/common"
OUT="$GUESTS/bin"
CROSS_COMPILE="${CROSS_COMPILE:-aarch64-linux-gnu-}"
CC="${CROSS_COMPILE}gcc"
OBJCOPY="${CROSS_COMPILE}objcopy"

for tool in "$CC" "$OBJCOPY"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool not found (AArch64 cross toolchain missing)." >&2
        echo "       Run scripts/install-deps.sh (as root) to install it." >&2
        exit 1
    fi
done

# Base integer ISA only: no FP/SIMD; MMU stays off in the guests, so every data
# access is to Device memory and must be naturally aligned (-mstrict-align).
ARCH="-march=armv8.2-a+crc+lse+rcpc"
CFLAGS=(
    "$ARCH" -mgeneral-regs-only -mstrict-align -mno-outline-atomics
    -mbranch-protection=none
    -O2 -ffunction-sections -fdata-sections -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns
    -fno-pic -fno-pie -fno-stack-protector
    -fno-asynchronous-unwind-tables -fno-unwind-tables
    -Wall -Wextra -Werror -Wno-unused-parameter
    -I"$COMMON"
)
LDFLAGS=(
    -nostdlib -static -no-pie -T "$COMMON/linker.ld"
    -Wl,--gc-sections -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-z,norelro -Wl,-z,max-page-size=4096
)
COMMON_SRCS=("$COMMON/start.S" "$COMMON/uart.c" "$COMMON/runtime.c" "$COMMON/exctest.c")

mkdir -p "$OUT"

if [ "$#" -gt 0 ]; then
    names=("$@")
else
    names=()
    for src in "$GUESTS"/*.c "$GUESTS"/*.S; do
        [ -e "$src" ] || continue
        base="$(basename "$src")"
        names+=("${base%.*}")
    done
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for name in "${names[@]}"; do
    if [ -f "$GUESTS/$name.c" ]; then
        src="$GUESTS/$name.c"
    elif [ -f "$GUESTS/$name.S" ]; then
        src="$GUESTS/$name.S"
    else
        echo "error: no source tests/guests/$name.c or .S" >&2
        exit 1
    fi
    echo "  BUILD   tests/guests/bin/$name.elf"
    "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$tmp/$name.elf" \
        "${COMMON_SRCS[@]}" "$src"
    # No -g is used; drop any debug info anyway but keep the symbol table
    # (handy for the test harness and for patching bench_iterations).
    "$OBJCOPY" --strip-debug "$tmp/$name.elf" "$OUT/$name.elf"
done
