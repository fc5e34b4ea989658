#!/usr/bin/env bash
# Fault injection on real kernels (CI): Debian 6.1 and 6.12 booted at EL2 (VHE, 1 CPU)
# with the test initramfs get a physical SError after 200,000,000 instructions (by then
# the kernel runs with PSTATE.A clear, so it is taken at once, at EL2):
#   - uncontainable (default syndrome, ESR 0xbe000011): arm64_serror_panic() prints
#     "SError Interrupt on CPU0, code 0x00000000be000011 -- SError", the kernel panics and,
#     with panic=-1, resets at once: hypsim exits 3; the --inject-log line says it was
#     taken at EL2, vector offset 0x380, with that ESR;
#   - corrected (aet=ce, ESR 0xbe001811): arm64_is_fatal_ras_serror() ignores it, /init
#     runs to HYPSIM-INIT-DONE and the guest powers off: exit 0.
# While KVM runs a guest (VHE and nVHE), a physical SError becomes the guest's virtual one.
# Then a 6.12 boot is saved mid-way (--snapshot-at) and resumed (--snapshot-load): the
# resumed run must print the rest of the console and end with the same counts; and a
# campaign of 50 SError injections runs from that snapshot (hypsim campaign).
# Prints one PASS/FAIL line per boot; exits 1 if any failed.
#
# Usage: tests/linux/inject.sh [--kernels "6.1 6.12"]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KERNELS="6.1 6.12"
while [ $# -gt 0 ]; do
    case "$1" in
        --kernels) KERNELS="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "inject: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
HYPSIM="${HYPSIM:-$ROOT/target/release/hypsim}"
INITRD="$ROOT/build/linux/initramfs.cpio.gz"
OUT="$ROOT/build/linux"
for f in "$HYPSIM" "$INITRD"; do
    [ -e "$f" ] || { echo "inject: error: $f is missing (build hypsim; run tests/linux/boot-matrix.sh first)" >&2; exit 2; }
done
mkdir -p "$OUT"

fails=0
check() { # name, condition-description, command...
    local name=$1 what=$2; shift 2
    if "$@"; then return 0; fi
    echo "FAIL $name: $what"
    fails=$((fails + 1))
    return 1
}

for k in $KERNELS; do
    KERNEL="$ROOT/.deps/linux/vmlinuz-$k"
    [ -e "$KERNEL" ] || { echo "inject: error: $KERNEL is missing (scripts/fetch-linux.sh)" >&2; exit 2; }
    for aet in uc ce; do
        name="linux-$k-serror-$aet"
        log="$OUT/inject-$name.log"
        jlog="$OUT/inject-$name.jsonl"
        if [ "$aet" = uc ]; then esr=0xbe000011; want_rc=3; else esr=0xbe001811; want_rc=0; fi
        set +e
        timeout 900 "$HYPSIM" run --kernel "$KERNEL" --initrd "$INITRD" \
            --append "console=ttyAMA0 panic=-1" \
            --inject "serror,insn=200000000,aet=$aet" --inject-log "$jlog" > "$log" 2>&1
        rc=$?
        set -e
        ok=1
        check "$name" "exit code $rc, expected $want_rc (log $log)" [ "$rc" = "$want_rc" ] || ok=0
        check "$name" "log line taken at EL2 0x380 with ESR $esr" python3 - "$jlog" "$esr" <<'PY' || ok=0
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
t = lines[0]["taken"] if len(lines) == 1 else None
ok = (isinstance(t, dict) and t["el"] == 2 and t["vector_offset"] == "0x380"
      and t["esr"] == sys.argv[2] and lines[0]["insn"] == 200000000)
sys.exit(0 if ok else 1)
PY
        if [ "$aet" = uc ]; then
            check "$name" "no 'SError Interrupt on CPU0, code 0x00000000${esr#0x} -- SError' panic" \
                grep -q "SError Interrupt on CPU0, code 0x00000000${esr#0x} -- SError" "$log" || ok=0
            check "$name" "no 'Kernel panic' line" grep -q "Kernel panic - not syncing: Asynchronous SError Interrupt" "$log" || ok=0
        else
            check "$name" "/init did not finish" grep -q HYPSIM-INIT-DONE "$log" || ok=0
            check "$name" "a kernel panic or warning" bash -c "! grep -qE 'Kernel panic|WARNING:|BUG:|Oops' '$log'" || ok=0
        fi
        [ "$ok" = 1 ] && echo "PASS $name (exit $rc, ESR $esr)"
    done
done
# KVM: while the repo's VMM test runs its guest in SError mode (kvmtest -s: the guest
# spins at IPA 0x10001040 with PSTATE.A clear), a physical SError with an IMPLEMENTATION
# DEFINED syndrome (ids=1) fires at that PC at EL1: hypsim takes it to EL2 (HCR_EL2.AMO),
# KVM's kvm_handle_guest_serror() sees a non-RAS syndrome and injects a virtual SError
# (kvm_inject_vabt: VSESR_EL2 = IDS), and the guest takes it at VBAR_EL1 + 0x380 with
# ESR_EL1 = 0xbf000000 (EC 0x2F, IL, IDS).
for k in $KERNELS; do
    for mode in vhe nvhe; do
        name="linux-$k-kvm-$mode-vserror"
        log="$OUT/inject-$name.log"
        jlog="$OUT/inject-$name.jsonl"
        extra=""
        [ "$mode" = nvhe ] && extra=" kvm-arm.mode=nvhe"
        set +e
        timeout 900 "$HYPSIM" run --kernel "$ROOT/.deps/linux/vmlinuz-$k" --initrd "$INITRD" \
            --append "console=ttyAMA0 panic=-1 hypsim.kvmtest=serror$extra" \
            --inject "serror,pc=0x10001040,el=1,ids=1,iss=0x123" --inject-log "$jlog" \
            > "$log" 2>&1 < /dev/null
        rc=$?
        set -e
        if [ "$rc" = 0 ] && grep -q "KVMTEST serror: the guest took an SError: vector offset 0x380, ESR_EL1 0xbf000000" "$log" \
            && grep -q "^KVMTEST PASS" "$log" && grep -q '"esr":"0xbf000123"' "$jlog"; then
            echo "PASS $name (physical ESR 0xbf000123 at EL2, the nested guest's ESR_EL1 0xbf000000)"
        else
            echo "FAIL $name: exit $rc (log $log)"
            fails=$((fails + 1))
        fi
    done
done

# Snapshots: 6.12 saved after 400,000,000 instructions of CPU 0 and resumed gives the
# rest of the console output and the same final counts as the run that saved it.
K612="$ROOT/.deps/linux/vmlinuz-6.12"
if [ -e "$K612" ]; then
    snap="$OUT/inject-linux-6.12.snap"
    "$HYPSIM" run --kernel "$K612" --initrd "$INITRD" --append "console=ttyAMA0 panic=-1" \
        --snapshot-at insn=400000000 --snapshot-save "$snap" --stats "$OUT/snap-save.json" \
        > "$OUT/snap-save.log" 2>&1 < /dev/null || true
    start=$(date +%s.%N)
    "$HYPSIM" run --snapshot-load "$snap" --stats "$OUT/snap-load.json" \
        > "$OUT/snap-load.log" 2>&1 < /dev/null || true
    end=$(date +%s.%N)
    if python3 - "$OUT/snap-save.json" "$OUT/snap-load.json" "$OUT/snap-save.log" "$OUT/snap-load.log" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
saved, resumed = (open(p, errors="replace").read() for p in sys.argv[3:5])
tail = resumed.split("hypsim: ")[0]
ok = (a["outcome"] == b["outcome"] == "PowerOff" and a["instructions"] == b["instructions"]
      and a["cycles"] == b["cycles"] and len(tail) > 0 and saved.split("hypsim: ")[0].endswith(tail))
sys.exit(0 if ok else 1)
PY
    then
        echo "PASS linux-6.12-snapshot (resumed to power-off with equal counts; load+run $(python3 -c "print(f'{$end-$start:.1f}')") s, $(du -m "$snap" | cut -f1) MiB)"
    else
        echo "FAIL linux-6.12-snapshot: resumed run differs (see $OUT/snap-*.json, snap-*.log)"
        fails=$((fails + 1))
    fi
    # A campaign from that snapshot: 50 uncontainable SErrors, one every 2,000,000
    # instructions of CPU 0, each a job; the kernel must panic (exit 3) on every one it
    # takes, and the report must be written.
    plan="$OUT/inject-campaign.toml"
    cat > "$plan" <<EOF2
snapshot = "$(basename "$snap")"
kind = "serror"
trigger = "insn"
from = 401000000
to = 499000000
step = 2000000
max_insns = 2000000000
EOF2
    rm -rf "$OUT/inject-campaign.out"
    start=$(date +%s.%N)
    summary=$("$HYPSIM" campaign "$plan" --jobs "$(nproc)" 2>&1) || true
    end=$(date +%s.%N)
    if python3 - "$OUT/inject-campaign.out/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ok = len(r) == 50 and all(x["outcome"] in ("panic", "no effect") for x in r) \
    and sum(x["outcome"] == "panic" for x in r) >= 40 \
    and all(x["taken"]["esr"] == "0xbe000011" for x in r if x["outcome"] == "panic")
sys.exit(0 if ok else 1)
PY
    then
        echo "PASS linux-6.12-campaign ($summary; $(python3 -c "print(f'{$end-$start:.0f}')") s)"
    else
        echo "FAIL linux-6.12-campaign: $summary"
        fails=$((fails + 1))
    fi
    rm -f "$snap"
fi
[ "$fails" = 0 ] || { echo "$fails check(s) failed"; exit 1; }
