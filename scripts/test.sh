#!/usr/bin/env bash
# The test command (README): installs what the tests need, then runs every check.
#   1. scripts/install-deps.sh: cross toolchain, QEMU 10 (system and user mode), Unicorn venv
#      (root for apt)
#   2. rustfmt and clippy, clean
#   3. cargo test: unit tests, decode-table tests, guest system tests vs QEMU goldens
#   4. the prebuilt guests in tests/guests/bin are what their sources build to
#   5. the goldens are still what QEMU prints for those guests
#   6. differential test (integer, FP/SIMD, crypto) against Unicorn, plus the FP/SIMD forms
#      Unicorn gets wrong against QEMU user mode: DIFFTEST_CASES per class (some scaled up),
#      >= DIFFTEST_CASES / 10 per instruction
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

step "differential test against Unicorn (and QEMU user mode)"
# DIFFTEST_CASES cases per class (classes that spread over many instructions
# run a multiple of it, --scale), and every instruction a class generates
# must get at least a tenth of that (>= 10^4 per instruction at the default).
# The table goes to target/difftest-per-insn.tsv. The QEMU classes (qemu_*) run their
# expected results on qemu-aarch64 (run.py builds the static harness
# scripts/difftest/qemu-harness.c with the cross compiler); --require-qemu makes a missing
# qemu-aarch64 an error instead of a note.
cargo build --release --bin hypsim-difftest
DIFFTEST_CASES="${DIFFTEST_CASES:-100000}"
scripts/.venv/bin/python scripts/difftest/run.py \
    --runner target/release/hypsim-difftest --cases "$DIFFTEST_CASES" --jobs 2 --require-qemu \
    --min-per-insn $((DIFFTEST_CASES / 10)) --per-insn-report target/difftest-per-insn.tsv \
    --scale dp1=2 --scale dp2=2 --scale dp3=2 --scale branch=2 --scale exclusive=2 \
    --scale atomics=2 --scale fp_arith=2 --scale fp_cvt=2 --scale crypto_aes_sha=2 \
    --scale simd_ldst=3 --scale simd_3diff=7 --scale fp_minmax_recip=8 \
    --scale simd_shift_imm=10 --scale simd_across=11 \
    --scale simd_mov=2 --scale simd_by_elem=2 --scale simd_3same=3 --scale simd_2misc=5
