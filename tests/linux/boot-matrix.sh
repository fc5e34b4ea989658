#!/usr/bin/env bash
# The Linux boot matrix for hypsim (CI): Debian's 6.1 and 6.12 arm64 kernels, entered at
# EL2 and EL1, with 1 and 2 CPUs, boot the test initramfs (tests/linux/init) and check:
#   - /init runs its busybox commands: HYPSIM-INIT-START and HYPSIM-INIT-DONE appear;
#   - the guest powers off by PSCI SYSTEM_OFF (exit code 0);
#   - no kernel WARNING:, BUG:, Oops or panic line appears;
#   - at EL2, KVM initialises in the mode asked for on the command line:
#       vhe (default; FEAT_VHE is advertised): "VHE mode initialized successfully";
#       nvhe (kvm-arm.mode=nvhe): "Hyp nVHE mode initialized successfully" (6.1: "Hyp mode");
#       protected (kvm-arm.mode=protected, 6.12 only): "Protected hVHE mode initialized
#       successfully" (pKVM at EL2 with E2H = 1, TGE = 0);
#     at EL1, "HYP mode not available";
#   - with --smp 2, both CPUs come up ("Brought up 1 node, 2 CPUs");
#   - at EL2, the KVM VMM test (tests/linux/kvm-test, hypsim.kvmtest=1) creates a VM whose
#     guest makes MMIO exits, loops, takes virtual timer IRQs and SGIs through KVM's in-kernel
#     vGICv3 and powers off by PSCI: "KVMTEST PASS" once per online
#     CPU count (-c 1, and -c 2 with --smp 2).
# Boots: per kernel, EL2 VHE with 1 and 2 CPUs, EL2 nVHE with 1 and 2 CPUs, EL1 with 1 and 2
# CPUs, and (6.12) EL2 protected with 1 CPU.
# Prints per-boot wall time and simulated instructions; ends with "N passed, N failed".
#
# Usage: tests/linux/boot-matrix.sh [--no-fetch] [--kernels "6.1 6.12"] [--el "2 1"] [--smp "1 2"]
#                                   [--modes "vhe nvhe protected"]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEPS="$ROOT/.deps/linux"
OUT="$ROOT/build/linux"
KERNELS="6.1 6.12"; ELS="2 1"; SMPS="1 2"; MODES="vhe nvhe protected"; FETCH=1
while [ $# -gt 0 ]; do
    case "$1" in
        --kernels) KERNELS="$2"; shift 2 ;;
        --el) ELS="$2"; shift 2 ;;
        --smp) SMPS="$2"; shift 2 ;;
        --modes) MODES="$2"; shift 2 ;;
        --no-fetch) FETCH=0; shift ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "boot-matrix: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

[ "$FETCH" = 1 ] && "$ROOT/scripts/fetch-linux.sh" --dest "$DEPS"
mkdir -p "$OUT"
"$ROOT/scripts/make-initramfs.sh" --busybox "$DEPS/busybox" --out "$OUT/initramfs.cpio.gz" >/dev/null
cargo build --release --quiet --bin hypsim --manifest-path "$ROOT/Cargo.toml"
HYPSIM="$ROOT/target/release/hypsim"

pass=0; fail=0
# One line per boot: kernel, EL, KVM mode ("-" at EL1), CPUs.
configs=()
for k in $KERNELS; do for el in $ELS; do for smp in $SMPS; do
    if [ "$el" = 1 ]; then configs+=("$k 1 - $smp"); continue; fi
    for mode in $MODES; do
        [ "$mode" = protected ] && { [ "$k" = 6.1 ] || [ "$smp" != 1 ]; } && continue
        configs+=("$k 2 $mode $smp")
    done
done; done; done

for cfg in "${configs[@]}"; do
    read -r k el mode smp <<< "$cfg"
    case "$mode" in
        vhe) extra=""; want="kvm \[[0-9]+\]: VHE mode initialized successfully" ;;
        nvhe) extra="kvm-arm.mode=nvhe"; want="Hyp (nVHE )?mode initialized successfully" ;;
        protected) extra="kvm-arm.mode=protected"; want="Protected hVHE mode initialized successfully" ;;
        -) extra=""; want="HYP mode not available" ;;
        *) echo "boot-matrix: error: unknown KVM mode '$mode'" >&2; exit 2 ;;
    esac
    # At EL2, /init also runs the repo's KVM VMM test (tests/linux/kvm-test): once with
    # one vCPU, and again with two when two CPUs are online.
    [ "$el" = 2 ] && extra="$extra hypsim.kvmtest=1"
    name="matrix-$k-el$el${mode/-/}-smp$smp"
    log="$OUT/$name.log"
    start=$(date +%s.%N)
    # panic=-1: a kernel panic resets (exit 3) instead of hanging; the cap bounds a hang.
    set +e
    timeout 600 "$HYPSIM" run --kernel "$DEPS/vmlinuz-$k" --initrd "$OUT/initramfs.cpio.gz" \
        --el "$el" --smp "$smp" --append "console=ttyAMA0 panic=-1 $extra" \
        --max-insns 6000000000 --stats "$OUT/$name.json" > "$log" 2> "$OUT/$name.err" < /dev/null
    rc=$?
    set -e
    secs=$(python3 -c "print(f'{$(date +%s.%N)-$start:.1f}')")
    problems=()
    [ "$rc" = 0 ] || problems+=("exit code $rc (0 = PSCI SYSTEM_OFF)")
    grep -q "HYPSIM-INIT-START" "$log" || problems+=("/init did not start")
    grep -q "HYPSIM-INIT-DONE" "$log" || problems+=("/init did not finish")
    bad=$(grep -E "WARNING:|BUG:|Oops|Kernel panic" "$log" || true)
    [ -n "$bad" ] && problems+=("kernel complained: $bad")
    grep -qE "$want" "$log" || problems+=("no '$want' (KVM mode $mode)")
    if [ "$el" = 2 ]; then
        npass=$(grep -c 'KVMTEST PASS' "$log" || true)
        [ "$npass" = "$smp" ] || problems+=("kvmtest: $npass of $smp runs passed: $(grep -m1 'KVMTEST FAIL' "$log" || echo 'no result')")
    fi
    if [ "$smp" = 2 ]; then
        grep -q "Brought up 1 node, 2 CPUs" "$log" || problems+=("secondary CPU did not come up")
    fi
    # The features Linux finds in the ID registers are the ones `hypsim info` names (but
    # evtstrm and cpuid, which come from elsewhere; the console's lines end in CR LF).
    feats=$(sed -n -E 's/^Features[[:space:]]*: //p' "$log" | head -n 1 | tr -d '\r' | tr ' ' '\n' |
        grep -v -x -E 'evtstrm|cpuid|' | paste -sd' ' || true)
    info=$("$HYPSIM" info --el "$el" --smp "$smp" | sed -n 's/^features (as Linux names them): //p')
    [ "$feats" = "$info" ] || problems+=("/proc/cpuinfo Features '$feats' are not hypsim info's '$info'")
    insns=$(python3 -c "import json;print(json.load(open('$OUT/$name.json'))['instructions'])" 2>/dev/null || echo "?")
    if [ ${#problems[@]} -eq 0 ]; then
        pass=$((pass + 1))
        t_init=$(grep -m1 "Run /init" "$log" | sed -E 's/^\[ *([0-9.]+)\].*/\1/')
        printf 'PASS %-28s %6ss wall to power-off, /init at %ss simulated, %s instructions\n' "$name" "$secs" "$t_init" "$insns"
    else
        fail=$((fail + 1))
        printf 'FAIL %-28s %s\n' "$name" "${problems[*]}"
        echo "--- last 30 console lines of $log"; tail -n 30 "$log"
        echo "--- stderr"; tail -n 10 "$OUT/$name.err"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
