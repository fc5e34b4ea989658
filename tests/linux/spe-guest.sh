#!/usr/bin/env bash
# Guest-visible SPE on a real kernel: Debian 6.12 booted at EL2 (VHE) on hypsim with
# --spe v1p2, its own arm_spe_pmu driver and the repo's user-space SPE test
# (tests/linux/spe-test/spetest, which profiles itself through perf's AUX area and
# decodes the records itself):
#   - the initramfs has the driver (.deps/linux/modules-6.12/.../arm_spe_pmu.ko.xz,
#     decompressed here into build/linux/spe-guest/) as /lib/modules/arm_spe_pmu.ko,
#     /bin/spetest and its own /init (tests/linux/spe-test/init: insmod, the kernel's
#     SPE lines, the PMU list, spetest, /proc/interrupts, power-off);
#   - hypsim's device tree has the node "arm,statistical-profiling-extension-v1"
#     (checked in the --dump-dtb output of the same command line);
#   - the driver probes ("arm_spe_pmu ...: probed SPEv1.2 for CPUs ...") and registers the PMU
#     arm_spe_0; if it does not, the kernel's reason is printed (no PMSVer, buffer owned
#     by a higher EL, KPTI, bad PMBIDR/PMSIDR, no PPI, or no DT node);
#   - spetest prints "spetest: PASS" and exits 0 (see spetest.c for its checks: records
#     decode, PCs in its own loop, operation types, data VA/PA, branch targets,
#     timestamps, load filter, PMBIRQ, nothing truncated);
#   - when .deps/linux/config-6.12 has CONFIG_PID_IN_CONTEXTIDR=y, every record spetest
#     decoded carries a Context packet equal to spetest's PID (its "spetest: context:"
#     line); otherwise that line is only shown;
#   - the guest powers off (exit 0) with no kernel WARNING:, BUG:, Oops or panic line
#     and no arm_spe_pmu buffer-fault message.
# With --kvm, host SPE and KVM side by side as well: the initramfs also gets /bin/kvmtest
# (tests/linux/kvm-test/kvmtest) and, after the run above, /init runs
# "spetest -K /bin/kvmtest -- -c 1" (hypsim.spetest.kvm=1 on the command line): spetest
# profiles CPU 0 CPU-wide (exclude_guest=1, kernel sampled) while kvmtest's guest runs and
# checks that kvmtest passed, that records were collected meanwhile (some in host KVM
# code), that none has a PC in the guest's code (IPA 0x10000000...) or, under VHE, EL1,
# and that nothing was truncated or collided and the kernel log stayed clean; this script
# then checks spetest -K's PASS line and that KVM runs in the mode asked for ("VHE mode
# initialized" by default, the nVHE/hVHE/protected message with kvm-arm.mode=... in
# --append). --both boots twice, VHE and then nVHE (--append "... kvm-arm.mode=nvhe"),
# with --kvm, into OUT/vhe and OUT/nvhe, and sums up.
# Prints one PASS/FAIL line per check; exits 1 if any failed (2 on a setup error).
# If this hypsim does not know --spe (guest SPE not built in), it says so and boots
# without it: the checks then fail with the kernel's own message.
#
# Usage: tests/linux/spe-guest.sh [--spe VERSION] [--timing flat|detailed] [--smp N]
#                                 [--append "KERNEL ARGS"] [--spetest-args "ARGS"]
#                                 [--timeout SECONDS] [--kvm [--kvm-args "ARGS"]] [--both]
#                                 [--out DIR]
#   --spe           the --spe value (default v1p2; "" passes no --spe option)
#   --timing        hypsim's timing model (default flat)
#   --smp           number of CPUs (default 1)
#   --append        more kernel command-line arguments (e.g. kvm-arm.mode=nvhe for an
#                   EL1 kernel with an EL1-owned buffer, nokaslr, kpti=off)
#   --spetest-args  spetest's arguments (e.g. "-i 4096 -n 1000000"), passed through
#                   hypsim.spetest.args on the command line
#   --timeout       wall-clock limit of the boot (default 900; 1800 with --kvm)
#   --kvm           also run spetest -K /bin/kvmtest (see above)
#   --kvm-args      kvmtest's arguments in that run (default "-c 1"), passed through
#                   hypsim.spetest.kvm.args
#   --both          --kvm, booted twice: VHE (as given) and nVHE (kvm-arm.mode=nvhe added)
#   --out           the directory of the initramfs, logs and stats (default
#                   build/linux/spe-guest; --both uses DIR/vhe and DIR/nvhe)
# Needs target/release/hypsim ($HYPSIM overrides it; this script does not build it),
# .deps/linux (scripts/fetch-linux.sh), xz, and the committed
# tests/linux/spe-test/spetest (tests/linux/spe-test/build.sh), and with --kvm the committed
# tests/linux/kvm-test/kvmtest.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SPE=v1p2
TIMING=flat
SMP=1
APPEND=""
SPETEST_ARGS=""
TIMEOUT=""
KVM=0
KVM_ARGS="-c 1"
BOTH=0
OUT="$ROOT/build/linux/spe-guest"
PASS_ARGS=() # for --both: every option but --both, --append and --out
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || case "$1" in --kvm|--both|-h|--help) ;; *)
        echo "spe-guest: error: $1 needs a value (see --help)" >&2; exit 2 ;; esac
    case "$1" in
        --spe) SPE="$2"; PASS_ARGS+=("$1" "$2"); shift 2 ;;
        --timing) TIMING="$2"; PASS_ARGS+=("$1" "$2"); shift 2 ;;
        --smp) SMP="$2"; PASS_ARGS+=("$1" "$2"); shift 2 ;;
        --append) APPEND="$2"; shift 2 ;;
        --spetest-args) SPETEST_ARGS="$2"; PASS_ARGS+=("$1" "$2"); shift 2 ;;
        --timeout) TIMEOUT="$2"; PASS_ARGS+=("$1" "$2"); shift 2 ;;
        --kvm) KVM=1; shift ;;
        --kvm-args) KVM_ARGS="$2"; PASS_ARGS+=("$1" "$2"); shift 2 ;;
        --both) BOTH=1; shift ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n '2,59p' "$0"; exit 0 ;;
        *) echo "spe-guest: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

if [ "$BOTH" = 1 ]; then
    # VHE (the kernel's default at EL2 on a VHE CPU) and nVHE, one boot each.
    worst=0
    summary=()
    for mode in vhe nvhe; do
        append="$APPEND"
        [ "$mode" = nvhe ] && append="${APPEND:+$APPEND }kvm-arm.mode=nvhe"
        echo "=== spe-guest --kvm${append:+ --append \"$append\"} (out $OUT/$mode)"
        set +e
        bash "$0" "${PASS_ARGS[@]}" --kvm --append "$append" --out "$OUT/$mode"
        rc=$?
        set -e
        summary+=("$mode: $([ "$rc" = 0 ] && echo passed || echo "failed (exit $rc)")")
        [ "$rc" -gt "$worst" ] && worst=$rc
    done
    echo "spe-guest --both: ${summary[0]}, ${summary[1]}"
    exit "$worst"
fi
[ -n "$TIMEOUT" ] || TIMEOUT=$([ "$KVM" = 1 ] && echo 1800 || echo 900)
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
HYPSIM="${HYPSIM:-$ROOT/target/release/hypsim}"
DEPS="$ROOT/.deps/linux"
INITRD="$OUT/initramfs-spe-guest.cpio.gz"
KO_XZ="$DEPS/modules-6.12/kernel/drivers/perf/arm_spe_pmu.ko.xz"
SPETEST="$ROOT/tests/linux/spe-test/spetest"
INIT="$ROOT/tests/linux/spe-test/init"
CONFIG="$DEPS/config-6.12"
KVMTEST="$ROOT/tests/linux/kvm-test/kvmtest"
need=("$HYPSIM" "$DEPS/vmlinuz-6.12" "$DEPS/busybox" "$KO_XZ" "$CONFIG" "$SPETEST" "$INIT")
[ "$KVM" = 1 ] && need+=("$KVMTEST")
for f in "${need[@]}"; do
    [ -e "$f" ] || { echo "spe-guest: error: $f is missing (build hypsim; scripts/fetch-linux.sh; tests/linux/spe-test/build.sh; tests/linux/kvm-test/build.sh)" >&2; exit 2; }
done
command -v xz >/dev/null || { echo "spe-guest: error: xz is missing (apt-get install xz-utils)" >&2; exit 2; }
mkdir -p "$OUT"

# busybox's insmod cannot be relied on for .ko.xz: give it the plain module.
xz -dc "$KO_XZ" > "$OUT/arm_spe_pmu.ko"
extra_args=$(printf '%s' "$SPETEST_ARGS" | tr -s ' ' ',' | sed 's/^,//; s/,$//')
kvm_cmdline=""
if [ "$KVM" = 1 ]; then
    kvm_args=$(printf '%s' "$KVM_ARGS" | tr -s ' ' ',' | sed 's/^,//; s/,$//')
    kvm_cmdline=" hypsim.spetest.kvm=1${kvm_args:+ hypsim.spetest.kvm.args=$kvm_args}"
fi
# make-initramfs.sh puts tests/linux/kvm-test/kvmtest at /bin/kvmtest unless --no-kvmtest.
"$ROOT/scripts/make-initramfs.sh" --busybox "$DEPS/busybox" --out "$INITRD" --init "$INIT" \
    $([ "$KVM" = 1 ] || echo --no-kvmtest) --no-mtetest --no-kvmdebug \
    --extra "$OUT/arm_spe_pmu.ko:/lib/modules/arm_spe_pmu.ko" \
    --extra "$SPETEST:/bin/spetest" >/dev/null

# hypsim's options for guest SPE.
SPE_OPTS=()
if [ -n "$SPE" ]; then
    if "$HYPSIM" run --help 2>/dev/null | grep -q -- '--spe <'; then
        SPE_OPTS=(--spe "$SPE")
    else
        echo "spe-guest: warning: $HYPSIM has no --spe option (no guest-visible FEAT_SPE in this build);" \
            "booting without it, so the SPE checks below will fail"
    fi
fi
cmdline="console=ttyAMA0 panic=-1${extra_args:+ hypsim.spetest.args=$extra_args}$kvm_cmdline${APPEND:+ $APPEND}"
RUN=("$HYPSIM" run --kernel "$DEPS/vmlinuz-6.12" --initrd "$INITRD" --el 2 --smp "$SMP" --timing "$TIMING"
    "${SPE_OPTS[@]}" --append "$cmdline")

fails=0
check() { # name, condition result (0 = pass), detail
    if [ "$2" = 0 ]; then
        printf 'PASS %-32s %s\n' "$1" "$3"
    else
        printf 'FAIL %-32s %s\n' "$1" "$3"
        fails=$((fails + 1))
    fi
}

# The device tree of this very command line.
DTB="$OUT/spe-guest.dtb"
rm -f "$DTB"
dtb_rc=0
"${RUN[@]}" --dump-dtb "$DTB" > "$OUT/dump-dtb.log" 2>&1 < /dev/null || dtb_rc=$?
if [ "$dtb_rc" = 0 ] && grep -qa 'arm,statistical-profiling-extension-v1' "$DTB"; then
    check "device tree SPE node" 0 "compatible arm,statistical-profiling-extension-v1 in --dump-dtb"
else
    check "device tree SPE node" 1 "no arm,statistical-profiling-extension-v1 in --dump-dtb (exit $dtb_rc)"
fi

log="$OUT/spe-guest.log"
start=$(date +%s.%N)
set +e
timeout "$TIMEOUT" "${RUN[@]}" --max-insns "$([ "$KVM" = 1 ] && echo 20000000000 || echo 6000000000)" --stats "$OUT/spe-guest.json" > "$log.raw" 2>&1 < /dev/null
rc=$?
set -e
# The serial console ends lines with CR LF.
tr -d '\r' < "$log.raw" > "$log"
rm -f "$log.raw"
secs=$(python3 -c "print(f'{$(date +%s.%N)-$start:.1f}')")
echo "spe-guest: $(printf '%q ' "${RUN[@]}")"
case "$rc" in
    0) why="powered off" ;;
    4) why="--max-insns reached" ;;
    124) why="killed after $TIMEOUT s (timeout)" ;;
    *) why="exit $rc" ;;
esac
boot_ok=1
[ "$rc" = 0 ] && grep -q "^HYPSIM-INIT-START" "$log" && grep -q "^HYPSIM-INIT-DONE" "$log" && boot_ok=0
check "boot to power-off" "$boot_ok" \
    "$why, $secs s wall, init $(grep -q '^HYPSIM-INIT-DONE' "$log" && echo finished || echo 'did not finish')"

# The driver's probe, or the kernel's reason for not probing.
# 6.12: "arm_spe_pmu spe: probed SPEv1.2 for CPUs 0 [max_record_sz 64, align 64, features 0x5f]"
# (older kernels: "probed for CPUs").
probe=$(grep -m1 -E '\] arm_spe_pmu .*probed (SPEv[0-9.]+ )?for CPUs' "$log" || true)
if [ -n "$probe" ]; then
    check "arm_spe_pmu probe" 0 "${probe#*] }"
else
    reason=$(grep -m1 -E '\] (arm_spe_pmu|arm-spe).*|profiling buffer' "$log" || true)
    if [ -n "$reason" ]; then
        reason="${reason#*] }"
    elif grep -q "^HYPSIM-SPE: insmod exit [1-9]" "$log"; then
        reason="insmod failed: $(grep -m1 '^HYPSIM-SPE: insmod exit' "$log")"
    elif [ "$dtb_rc" = 0 ] && ! grep -qa 'arm,statistical-profiling-extension-v1' "$DTB"; then
        reason="the driver loaded but no device matched: no arm,statistical-profiling-extension-v1 node"
    else
        reason="no arm_spe_pmu line in the console log"
    fi
    check "arm_spe_pmu probe" 1 "$reason"
fi
if grep -q "^type: [0-9]" "$log" && ! grep -q "^HYPSIM-SPE: no arm_spe_0 PMU" "$log"; then
    check "arm_spe_0 PMU" 0 "type $(grep -m1 '^type: ' "$log" | cut -d' ' -f2), $(grep -m1 '^caps/min_interval: ' "$log" || echo 'no caps/min_interval')"
else
    check "arm_spe_0 PMU" 1 "not in /sys/bus/event_source/devices: $(sed -n '/^--- ls \/sys\/bus\/event_source\/devices/{n;p;}' "$log" | head -n1)"
fi

# spetest's verdict.
verdict=$(grep -m1 -E '^spetest: (PASS|FAIL)' "$log" || echo "spetest: no result")
exitline=$(grep -m1 '^HYPSIM-SPETEST: ' "$log" || echo "no HYPSIM-SPETEST line")
st=1
grep -q '^spetest: PASS' "$log" && grep -qE '^HYPSIM-SPETEST: .* exit 0$' "$log" && st=0
check "spetest" "$st" "${verdict#spetest: }; ${exitline#HYPSIM-SPETEST: }"

# Context packets: PIDs, when the kernel writes them to CONTEXTIDR.
ctx=$(grep -m1 '^spetest: context: ' "$log" || true)
field() { printf '%s\n' "$ctx" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
if grep -q '^CONFIG_PID_IN_CONTEXTIDR=y' "$CONFIG"; then
    if [ -z "$ctx" ]; then
        check "Context packets = PID" 1 "CONFIG_PID_IN_CONTEXTIDR=y, but spetest printed no context line"
    else
        n=$(field records); m=$(field pid_match)
        check "Context packets = PID" "$([ "${n:-0}" -gt 0 ] && [ "$m" = "$n" ]; echo $?)" \
            "CONFIG_PID_IN_CONTEXTIDR=y: ${ctx#spetest: context: }"
    fi
else
    echo "INFO Context packets not checked (no CONFIG_PID_IN_CONTEXTIDR=y in $CONFIG): ${ctx:-no context line}"
fi

# spetest -K: host SPE while kvmtest's KVM guest runs, and the KVM mode asked for.
if [ "$KVM" = 1 ]; then
    kblock=$(sed -n '/^--- spetest.* -K /,/^HYPSIM-SPETEST-KVM: /p' "$log")
    kverdict=$(printf '%s\n' "$kblock" | grep -m1 -E '^spetest: (PASS|FAIL)' || echo "spetest: no result")
    kexit=$(printf '%s\n' "$kblock" | grep -m1 '^HYPSIM-SPETEST-KVM: ' || echo "no HYPSIM-SPETEST-KVM line")
    kvmline=$(printf '%s\n' "$kblock" | grep -m1 '^KVMTEST \(PASS\|FAIL\)' || echo "no KVMTEST PASS/FAIL line")
    st=1
    printf '%s\n' "$kblock" | grep -q '^spetest: PASS' && printf '%s\n' "$kexit" | grep -qE ' exit 0$' && st=0
    check "spetest -K (host SPE + KVM)" "$st" "${kverdict#spetest: }; $kvmline; ${kexit#HYPSIM-SPETEST-KVM: }"
    mode=$(grep -m1 -E 'kvm \[[0-9]+\]: .*mode initialized successfully' "$log" || true)
    mode="${mode#*] }"
    case "$APPEND" in
        *kvm-arm.mode=*) m="${APPEND##*kvm-arm.mode=}"; want="not VHE (kvm-arm.mode=${m%% *})"; mst=$([ -n "$mode" ] && ! printf '%s' "$mode" | grep -q ']: VHE mode'; echo $?) ;;
        *) want="VHE"; mst=$(printf '%s' "$mode" | grep -q ']: VHE mode'; echo $?) ;;
    esac
    check "KVM mode" "$mst" "want $want: ${mode:-no 'kvm [N]: ... mode initialized successfully' line}"
fi

bad=$(grep -E "WARNING:|BUG:|Oops|Kernel panic|Unexpected buffer fault|Unknown error code|Unknown buffer status code" "$log" || true)
check "kernel log clean" "$([ -z "$bad" ]; echo $?)" "${bad:-no WARNING/BUG/Oops/panic/buffer fault}"

irq=$(sed -n '/^--- \/proc\/interrupts (arm_spe)/{n;p;}' "$log" | grep -v '^---' | head -n1 | tr -s ' ' || true)
echo "INFO PMBIRQ line of /proc/interrupts: ${irq:-none}"

if [ "$fails" != 0 ]; then
    grep -E '^spetest: .* bad \(|^spetest: FAIL' "$log" | head -n 20 || true
    echo "--- last 40 console lines of $log"
    tail -n 40 "$log"
    echo "spe-guest: $fails check(s) failed (files in $OUT)"
    exit 1
fi
echo "spe-guest: all checks passed"
