#!/usr/bin/env bash
# Build mtetest, the user-space MTE test of hypsim's Linux tests (mtetest.c),
# as a static, stripped AArch64 Linux executable.
#
# The binary is committed (tests/linux/mte-test/mtetest), so this only needs
# to be run after changing mtetest.c.  The flags are fixed (-march=armv8.5-a
# +memtag for the MTE instructions), there is no build ID and no debug info,
# so the same toolchain (Debian bookworm's gcc-aarch64-linux-gnu 12.2.0 and
# libc6-dev-arm64-cross 2.36) reproduces the committed file byte for byte;
# --check verifies that.
#
# Usage: tests/linux/mte-test/build.sh [--out FILE] [--check]
#   --out FILE  write FILE instead of tests/linux/mte-test/mtetest
#   --check     build into a temporary file and compare it with the
#               committed binary (exit 1 if they differ)
# Env:   CROSS_COMPILE (default aarch64-linux-gnu-)
# Needs: gcc-aarch64-linux-gnu and libc6-dev-arm64-cross: scripts/install-deps.sh.
set -euo pipefail

# The common flags and steps are in tests/linux/build-static.sh.
NAME=mtetest
SOURCES=(mtetest.c)
HEADER=sys/auxv.h
HEADER_MISSING='the C library headers (libc6-dev-arm64-cross missing)'
MARCH=armv8.5-a+memtag
EXTRA_CFLAGS=(-Wno-clobbered)
source "$(dirname "${BASH_SOURCE[0]}")/../build-static.sh"
build_static "$@"
