#!/usr/bin/env bash
# Build spetest, the user-space SPE test of hypsim's Linux tests (spetest.c),
# as a static, stripped AArch64 Linux executable.
#
# The binary is committed (tests/linux/spe-test/spetest), so this only needs
# to be run after changing spetest.c.  The flags are fixed (plain
# -march=armv8-a: the kernel drives SPE, the test itself needs no special
# instruction), there is no build ID and no debug info, so the same toolchain
# (Debian bookworm's gcc-aarch64-linux-gnu 12.2.0 and libc6-dev-arm64-cross
# 2.36) reproduces the committed file byte for byte; --check verifies that.
#
# Usage: tests/linux/spe-test/build.sh [--out FILE] [--check]
#   --out FILE  write FILE instead of tests/linux/spe-test/spetest
#   --check     build into a temporary file and compare it with the
#               committed binary (exit 1 if they differ)
# Env:   CROSS_COMPILE (default aarch64-linux-gnu-)
# Needs: gcc-aarch64-linux-gnu and libc6-dev-arm64-cross: scripts/install-deps.sh.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$DIR/spetest"
CHECK=0
CROSS_COMPILE="${CROSS_COMPILE:-aarch64-linux-gnu-}"
CC="${CROSS_COMPILE}gcc"

while [ $# -gt 0 ]; do
    case "$1" in
        --out) [ $# -ge 2 ] || { echo "build.sh: --out needs a file" >&2; exit 2; }; OUT="$2"; shift 2 ;;
        --check) CHECK=1; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "build.sh: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

if ! command -v "$CC" >/dev/null 2>&1; then
    echo "build.sh: error: $CC not found (AArch64 cross toolchain missing)." >&2
    echo "          Run scripts/install-deps.sh (as root) to install it." >&2
    exit 1
fi
if ! echo '#include <linux/perf_event.h>' | "$CC" -E -x c - >/dev/null 2>&1; then
    echo "build.sh: error: $CC cannot find the C library headers (libc6-dev-arm64-cross" >&2
    echo "          missing); run scripts/install-deps.sh (as root)." >&2
    exit 1
fi

CFLAGS=(
    -std=gnu11 -O2 -march=armv8-a -mbranch-protection=none
    -fno-asynchronous-unwind-tables -fno-ident
    -Wall -Wextra -Werror -Wno-clobbered
)
LDFLAGS=(-static -s -Wl,--build-id=none -Wl,--hash-style=gnu)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# A fixed source path (relative, from $DIR) so nothing depends on where the
# repository is checked out.
(cd "$DIR" && LC_ALL=C "$CC" "${CFLAGS[@]}" -c -o "$tmp/spetest.o" spetest.c)
LC_ALL=C "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$tmp/spetest" "$tmp/spetest.o"

if [ "$CHECK" = 1 ]; then
    if cmp -s "$tmp/spetest" "$DIR/spetest"; then
        echo "build.sh: $DIR/spetest is reproduced byte for byte ($(stat -c %s "$DIR/spetest") bytes, sha256 $(sha256sum "$DIR/spetest" | cut -c1-16))"
        exit 0
    fi
    echo "build.sh: error: the build differs from the committed $DIR/spetest" >&2
    echo "          built: $(stat -c %s "$tmp/spetest") bytes, sha256 $(sha256sum "$tmp/spetest" | cut -c1-16); committed: $(stat -c %s "$DIR/spetest" 2>/dev/null || echo missing)" >&2
    exit 1
fi
mkdir -p "$(dirname "$OUT")"
install -m 0755 "$tmp/spetest" "$OUT"
echo "build.sh: wrote $OUT ($(stat -c %s "$OUT") bytes, sha256 $(sha256sum "$OUT" | cut -c1-16))"
