#!/usr/bin/env bash
# The JIT in lockstep with the interpreter over a real kernel (CI): Debian 6.12 booted at
# EL2 (KVM in VHE mode, /init running the repo's KVM test) to power-off with --jit-check.
# Passes when the boot passes scripts/linux-boot.sh's checks (so no difference was found:
# one would stop the run with exit code 6 and its report), the counts (--stats) equal a
# boot without the check, and most compiled instructions were compared (check_insns is at
# least half of jit_insns).
#
# Usage: tests/linux/jit-check.sh
# Needs target/release/hypsim ($HYPSIM overrides it; this script does not build it),
# .deps/linux (scripts/fetch-linux.sh) and build/linux/initramfs.cpio.gz
# (tests/linux/boot-matrix.sh or scripts/make-initramfs.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HYPSIM="${HYPSIM:-$ROOT/target/release/hypsim}"
DEPS="$ROOT/.deps/linux"
OUT="$ROOT/build/linux"
for f in "$HYPSIM" "$DEPS/vmlinuz-6.12" "$OUT/initramfs.cpio.gz"; do
    [ -e "$f" ] || { echo "jit-check: error: $f is missing (build hypsim; scripts/fetch-linux.sh; scripts/make-initramfs.sh)" >&2; exit 2; }
done

boot() { # NAME STATS EXTRA...
    local name="$1" stats="$2"; shift 2
    HYPSIM="$HYPSIM" "$ROOT/scripts/linux-boot.sh" --kernel "$DEPS/vmlinuz-6.12" \
        --initrd "$OUT/initramfs.cpio.gz" --emulator hypsim --el 2 --smp 1 \
        --log "$OUT/jit-check-$name.log" -- --stats "$stats" "$@"
}

fail=0
boot plain "$OUT/jit-check-plain.json" || fail=1
boot check "$OUT/jit-check.json" --jit-check || fail=1
if [ "$fail" = 0 ]; then
    python3 - "$OUT/jit-check-plain.json" "$OUT/jit-check.json" <<'PY' || fail=1
import json, sys
plain, check = (json.load(open(p)) for p in sys.argv[1:])
counts = lambda s: [(c["instructions"], c["cycles"]) for c in s["cpus"]]
j = check["jit"]
print(f"jit-check: {j['check_insns']:,} of {j['jit_insns']:,} compiled instructions compared "
      f"in {j['check_runs']:,} runs; {j['check_skipped']:,} runs not comparable")
ok = True
if counts(plain) != counts(check):
    print(f"jit-check: FAIL: counts differ: {counts(plain)} without the check, {counts(check)} with it")
    ok = False
if j["check_insns"] * 2 < j["jit_insns"]:
    print("jit-check: FAIL: fewer than half of the compiled instructions were compared")
    ok = False
sys.exit(0 if ok else 1)
PY
fi
if [ "$fail" = 0 ]; then echo "jit-check: PASS"; else echo "jit-check: FAIL"; exit 1; fi
