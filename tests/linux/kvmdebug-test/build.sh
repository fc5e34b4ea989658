#!/usr/bin/env bash
# Build kvmdebug, the KVM guest-debug test of hypsim's Linux tests (kvmdebug.c + the guest
# code guest.S), as a static, stripped AArch64 Linux executable.
#
# The binary is committed (tests/linux/kvmdebug-test/kvmdebug), so this only needs to be
# run after changing kvmdebug.c or guest.S.  The flags are fixed, there is no build ID and
# no debug info, so the same toolchain (Debian bookworm's gcc-aarch64-linux-gnu 12.2.0 and
# libc6-dev-arm64-cross 2.36) reproduces the committed file byte for byte; --check
# verifies that.
#
# Usage: tests/linux/kvmdebug-test/build.sh [--out FILE] [--check]
#   --out FILE  write FILE instead of tests/linux/kvmdebug-test/kvmdebug
#   --check     build into a temporary file and compare it with the
#               committed binary (exit 1 if they differ)
# Env:   CROSS_COMPILE (default aarch64-linux-gnu-)
# Needs: gcc-aarch64-linux-gnu and libc6-dev-arm64-cross (with
#        linux-libc-dev-arm64-cross for <linux/kvm.h>): scripts/install-deps.sh.
set -euo pipefail

# The common flags and steps are in tests/linux/build-static.sh.
NAME=kvmdebug
SOURCES=(kvmdebug.c guest.S)
HEADER=linux/kvm.h
HEADER_MISSING='<linux/kvm.h> (libc6-dev-arm64-cross / linux-libc-dev-arm64-cross missing)'
MARCH=armv8-a
EXTRA_CFLAGS=()
source "$(dirname "${BASH_SOURCE[0]}")/../build-static.sh"
build_static "$@"
