#!/usr/bin/env bash
# MTE on a real kernel (CI): Debian 6.12 booted at EL2 (VHE) on hypsim with --mte on and
# hypsim.mtetest=1, so /init runs the repo's user-space MTE test (tests/linux/mte-test):
#   - the kernel detects MTE: "CPU features: detected: Memory Tagging Extension" and
#     "... Asymmetric MTE Tag Check Fault" (FEAT_MTE3), and the /proc/cpuinfo Features line
#     /init prints has "mte" and "mte3";
#   - mtetest checks the hwcaps, prctl(PR_SET_TAGGED_ADDR_CTRL), PROT_MTE mappings, the EL0
#     tag instructions (IRG, GMI, ADDG, SUBG, SUBP, STG, ST2G, STZG, STZ2G, STGP, LDG,
#     DC GVA/GZVA, TCO; LDGM UNDEFINED), synchronous (SEGV_MTESERR, si_addr with its tag),
#     asynchronous (SEGV_MTEAERR via TFSRE0_EL1) and asymmetric tag check faults, uaccess
#     checks, tags kept across fork and untagged memory, and prints "mtetest: PASS";
#   - the guest powers off (exit 0) with no kernel WARNING:, BUG:, Oops or panic line.
# KVM with MTE: each kernel is booted again (1 CPU) with KVM in VHE and in nVHE mode
# (kvm-arm.mode=nvhe) and hypsim.kvmtest=mte, so /init runs the repo's VMM test in its MTE
# mode (tests/linux/kvm-test, kvmtest -m): the VM gets KVM_CAP_ARM_MTE, its guest enables
# MTE at EL1 with its own stage 1 tables, tags memory with IRG/STG, takes synchronous tag
# check faults (ESR_EL1 EC 0x25, DFSC 0x11) in its own vector and reads tags the VMM wrote
# with KVM_ARM_MTE_COPY_TAGS; the VMM checks the tags via KVM_ARM_MTE_COPY_TAGS and LDG on
# its own PROT_MTE mapping. 6.2 and later run it with guest RAM in a memfd (MAP_SHARED,
# kvmtest -m) and in private anonymous memory (kvmtest -m -p); 6.1 only with private memory
# (hypsim.kvmtest=mte-private: 6.1's KVM refuses MAP_SHARED guest RAM in a VM with MTE,
# KVM_SET_USER_MEMORY_REGION fails with EINVAL). Every run must print "KVMTEST PASS".
# Then the same kernel with --mte off must not see MTE: no "mte" in cpuinfo, no detection
# line, mtetest stops at its feature checks ("mtetest: FAIL no HWCAP2_MTE") and kvmtest -m -p
# finds no KVM_CAP_ARM_MTE, while the boot itself still powers off cleanly.
# Prints one PASS/FAIL line per boot; exits 1 if any failed.
#
# Usage: tests/linux/mte.sh [--kernels "6.12"] [--smp "1"] [--kvm-modes "vhe nvhe"] [--no-off]
#   --kernels    Debian kernels from .deps/linux (6.1 passes too)
#   --smp        CPU counts to boot with --mte on and hypsim.mtetest=1
#   --kvm-modes  KVM modes for the kvmtest -m boots ("" skips them)
#   --no-off     skip the --mte off boot
# Needs target/release/hypsim ($HYPSIM overrides it; this script does not build it),
# .deps/linux (scripts/fetch-linux.sh) and the committed tests/linux/mte-test/mtetest and
# tests/linux/kvm-test/kvmtest.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KERNELS="6.12"
SMPS="1"
KVM_MODES="vhe nvhe"
OFF=1
while [ $# -gt 0 ]; do
    case "$1" in
        --kernels) KERNELS="$2"; shift 2 ;;
        --smp) SMPS="$2"; shift 2 ;;
        --kvm-modes) KVM_MODES="$2"; shift 2 ;;
        --no-off) OFF=0; shift ;;
        -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
        *) echo "mte: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
HYPSIM="${HYPSIM:-$ROOT/target/release/hypsim}"
DEPS="$ROOT/.deps/linux"
OUT="$ROOT/build/linux"
INITRD="$OUT/initramfs-mte.cpio.gz"
for f in "$HYPSIM" "$DEPS/busybox"; do
    [ -e "$f" ] || { echo "mte: error: $f is missing (build hypsim; run scripts/fetch-linux.sh)" >&2; exit 2; }
done
mkdir -p "$OUT"
# The initramfs with /bin/mtetest and /bin/kvmtest (its own file, so that nothing else's
# copy is replaced).
"$ROOT/scripts/make-initramfs.sh" --busybox "$DEPS/busybox" --out "$INITRD" >/dev/null

fails=0
# boot NAME KERNEL SMP MTE(on|off) [APPEND]: run hypsim, leave the console in $log and the
# exit code in $rc.  APPEND defaults to hypsim.mtetest=1.
boot() {
    local name=$1 k=$2 smp=$3 mte=$4 append=${5:-hypsim.mtetest=1}
    log="$OUT/mte-$name.log"
    local start
    start=$(date +%s.%N)
    set +e
    timeout 900 "$HYPSIM" run --kernel "$DEPS/vmlinuz-$k" --initrd "$INITRD" --el 2 --smp "$smp" \
        --mte "$mte" --append "console=ttyAMA0 panic=-1 $append" \
        --max-insns 6000000000 --stats "$OUT/mte-$name.json" > "$log" 2>&1 < /dev/null
    rc=$?
    set -e
    secs=$(python3 -c "print(f'{$(date +%s.%N)-$start:.1f}')")
}
# The /proc/cpuinfo Features lines /init prints (its head -n 12) have word $1.
features_have() { grep -E "^Features[[:space:]]*:" "$log" | grep -qE "(:|[[:space:]])$1([[:space:]]|$)"; }
common_problems() {
    [ "$rc" = 0 ] || problems+=("exit code $rc (0 = PSCI SYSTEM_OFF)")
    grep -q "HYPSIM-INIT-START" "$log" || problems+=("/init did not start")
    grep -q "HYPSIM-INIT-DONE" "$log" || problems+=("/init did not finish")
    local bad
    bad=$(grep -E "WARNING:|BUG:|Oops|Kernel panic" "$log" || true)
    [ -z "$bad" ] || problems+=("kernel complained: $bad")
}
report() { # name, detail
    if [ ${#problems[@]} -eq 0 ]; then
        printf 'PASS %-22s %6ss wall, %s\n' "$1" "$secs" "$2"
    else
        local msg
        msg=$(printf '%s; ' "${problems[@]}")
        printf 'FAIL %-22s %s (log %s)\n' "$1" "${msg%; }" "$log"
        grep -E "^mtetest: .* bad \(|^KVMTEST bad:" "$log" | head -n 20 || true
        echo "--- last 30 console lines of $log"; tail -n 30 "$log"
        fails=$((fails + 1))
    fi
}

for k in $KERNELS; do
    [ -e "$DEPS/vmlinuz-$k" ] || { echo "mte: error: $DEPS/vmlinuz-$k is missing (scripts/fetch-linux.sh)" >&2; exit 2; }
    for smp in $SMPS; do
        name="linux-$k-smp$smp"
        boot "$name" "$k" "$smp" on
        problems=()
        common_problems
        grep -q "CPU features: detected: Memory Tagging Extension" "$log" ||
            problems+=("the kernel did not detect MTE")
        grep -q "CPU features: detected: Asymmetric MTE Tag Check Fault" "$log" ||
            problems+=("the kernel did not detect MTE3 (asymmetric mode)")
        features_have mte || problems+=("no 'mte' in /proc/cpuinfo Features")
        features_have mte3 || problems+=("no 'mte3' in /proc/cpuinfo Features")
        grep -q "^mtetest: PASS" "$log" ||
            problems+=("$(grep -m1 -E '^mtetest: (FAIL|PASS)' "$log" || echo 'mtetest: no result')")
        grep -q "^HYPSIM-MTETEST: /bin/mtetest exit 0" "$log" || problems+=("mtetest did not exit 0")
        report "$name" "$(grep -m1 '^mtetest: PASS' "$log" | sed 's/^mtetest: //'), cpuinfo has mte and mte3"
    done
done

# KVM with MTE: kvmtest -m (memfd guest RAM, Linux 6.2 and later) and kvmtest -m -p (private).
for k in $KERNELS; do
    case "$k" in
        6.1) kvm_arg=mte-private; runs=("-m -p") ;;   # 6.1 refuses MAP_SHARED guest RAM with MTE
        *) kvm_arg=mte; runs=("-m" "-m -p") ;;
    esac
    for mode in $KVM_MODES; do
        case "$mode" in
            vhe) extra=""; want="kvm \[[0-9]+\]: VHE mode initialized successfully" ;;
            nvhe) extra=" kvm-arm.mode=nvhe"; want="Hyp (nVHE )?mode initialized successfully" ;;
            *) echo "mte: error: unknown KVM mode '$mode' (vhe or nvhe)" >&2; exit 2 ;;
        esac
        name="linux-$k-kvm-$mode"
        boot "$name" "$k" 1 on "hypsim.kvmtest=$kvm_arg$extra"
        problems=()
        common_problems
        grep -qE "$want" "$log" || problems+=("no '$want' line")
        for args in "${runs[@]}"; do
            grep -q "^HYPSIM-KVMTEST: /bin/kvmtest $args exit 0" "$log" ||
                problems+=("kvmtest $args: $(grep -A200 -- "^--- kvmtest $args (MTE" "$log" |
                    grep -m1 -E '^KVMTEST (FAIL|PASS)' || echo 'no result')")
        done
        npass=$(grep -c "^KVMTEST PASS" "$log" || true)
        [ "$npass" = "${#runs[@]}" ] || problems+=("$npass KVMTEST PASS lines, want ${#runs[@]}")
        ! grep -q "^KVMTEST bad:" "$log" || problems+=("a KVMTEST bad line")
        report "$name" "$(printf 'kvmtest %s, ' "${runs[@]}")KVMTEST PASS each ($(grep -c '^KVMTEST ok:' "$log") ok lines)"
    done
done

if [ "$OFF" = 1 ]; then
    k=6.12
    for kk in $KERNELS; do k=$kk; done # the last kernel asked for (6.12 by default)
    name="linux-$k-mte-off"
    boot "$name" "$k" 1 off "hypsim.mtetest=1 hypsim.kvmtest=mte-private"
    problems=()
    common_problems
    ! features_have mte || problems+=("'mte' in /proc/cpuinfo Features with --mte off")
    ! grep -q "Memory Tagging Extension" "$log" || problems+=("the kernel detected MTE with --mte off")
    grep -q "^mtetest: FAIL no HWCAP2_MTE" "$log" ||
        problems+=("$(grep -m1 -E '^mtetest: (FAIL|PASS)' "$log" || echo 'mtetest: no result'), expected 'FAIL no HWCAP2_MTE'")
    grep -q "^KVMTEST FAIL: KVM_CAP_ARM_MTE is not supported" "$log" ||
        problems+=("$(grep -m1 -E '^KVMTEST (FAIL|PASS)' "$log" || echo 'kvmtest: no result'), expected 'FAIL: KVM_CAP_ARM_MTE is not supported'")
    report "$name" "no MTE in cpuinfo, hwcaps, dmesg or KVM"
fi
[ "$fails" = 0 ] || { echo "$fails boot(s) failed"; exit 1; }
