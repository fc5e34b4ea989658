#!/usr/bin/env bash
# The test command (README): installs what the tests need, then runs every check.
#   1. scripts/install-deps.sh: cross toolchain, QEMU 10, Unicorn venv (root for apt)
#   2. rustfmt and clippy, clean
#   3. cargo test: unit tests, decode-table tests, guest system tests vs QEMU goldens
#   4. the prebuilt guests in tests/guests/bin are what their sources build to
#   5. the goldens are still what QEMU prints for those guests
#   6. differential test of the integer ISA against Unicorn (DIFFTEST_CASES per class)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n=== %s\n' "$*"; }

step "install dependencies"
bash scripts/install-deps.sh

step "rustfmt / clippy"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --release -- -D warnings

step "cargo test"
cargo test --workspace --release

step "prebuilt guests match their sources"
bash scripts/build-guests.sh
if ! git diff --quiet -- tests/guests/bin 2>/dev/null; then
    echo "error: tests/guests/bin differs from a fresh build of tests/guests (commit the rebuilt ELFs)" >&2
    git diff --stat -- tests/guests/bin >&2
    exit 1
fi

step "goldens match QEMU"
bash scripts/qemu-golden.sh --check

step "differential test against Unicorn"
cargo build --release --bin hypsim-difftest
scripts/.venv/bin/python scripts/difftest/run.py \
    --runner target/release/hypsim-difftest --cases "${DIFFTEST_CASES:-100000}" --jobs 2
