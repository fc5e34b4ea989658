#!/usr/bin/env bash
# Boot a Linux kernel with the test initramfs on QEMU or hypsim and check it.
#
# Usage: scripts/linux-boot.sh --kernel FILE --initrd FILE
#            [--emulator qemu|hypsim] [--el 1|2] [--smp N] [--mem SIZE]
#            [--append STR] [--timeout S] [--log FILE] [--verbose] [--shell]
#            [-- EXTRA-EMULATOR-ARGS...]
#   --kernel FILE     kernel image (e.g. .deps/linux/vmlinuz-6.12)
#   --initrd FILE     initramfs (scripts/make-initramfs.sh)
#   --emulator E      qemu (default; qemu-system-aarch64, or $QEMU) or hypsim
#                     ($HYPSIM, default target/release/hypsim)
#   --el 1|2          exception level the kernel is entered at (default 2)
#   --smp N           number of CPUs (default 1)
#   --mem SIZE        RAM (default 1G)
#   --append STR      appended to "console=ttyAMA0 panic=-1"
#   --timeout S       wall-clock limit in seconds (default 600)
#   --log FILE        console log (default build/linux/boot-<kernel>-<emulator>-el<N>-smp<N>.log;
#                     a copy with each line's wall time is written next to it as *.timed.log)
#   --verbose         also echo the console as it arrives
#   --shell           interactive: boot with hypsim.shell=1 and the console on
#                     this terminal; no checks, no timeout, no log
#   -- ARGS           passed to the emulator as they are
#
# The console (the emulator's stdout and stderr) is read line by line and each
# line stamped with the wall time since launch.  The run passes when:
#   - the emulator exits with status 0 (the guest powered off), within the
#     timeout (QEMU runs with -no-reboot, so a panic reboot also exits: the
#     next check catches that);
#   - lines HYPSIM-INIT-START and HYPSIM-INIT-DONE (printed by
#     tests/linux/init) appear, in that order;
#   - no line matches 'WARNING:', 'BUG:', 'Oops' or 'Kernel panic'.
# It prints one PASS/FAIL line with the wall time to the first console line,
# to HYPSIM-INIT-START and to power-off, plus the kernel's KVM and SMP lines;
# on failure also the last 40 console lines, and exits 1.  Exit 2 = bad usage
# or a missing tool.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KERNEL=""
INITRD=""
EMULATOR=qemu
EL=2
SMP=1
MEM=1G
APPEND=""
TIMEOUT=600
LOG=""
VERBOSE=0
SHELL_MODE=0
EXTRA_ARGS=()
BASE_APPEND="console=ttyAMA0 panic=-1"
BAD_RE='WARNING:|BUG:|Oops|Kernel panic'

usage() { echo "linux-boot: error: $*" >&2; echo "(see $0 --help)" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --kernel|--initrd|--emulator|--el|--smp|--mem|--append|--timeout|--log)
            [ $# -ge 2 ] || usage "$1 needs a value"
            case "$1" in
                --kernel) KERNEL="$2" ;; --initrd) INITRD="$2" ;;
                --emulator) EMULATOR="$2" ;; --el) EL="$2" ;; --smp) SMP="$2" ;;
                --mem) MEM="$2" ;; --append) APPEND="$2" ;;
                --timeout) TIMEOUT="$2" ;; --log) LOG="$2" ;;
            esac
            shift 2 ;;
        --verbose) VERBOSE=1; shift ;;
        --shell) SHELL_MODE=1; shift ;;
        --) shift; EXTRA_ARGS=("$@"); break ;;
        -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
        *) usage "unknown argument '$1'" ;;
    esac
done

[ -n "$KERNEL" ] || usage "--kernel FILE is required (scripts/fetch-linux.sh)"
[ -n "$INITRD" ] || usage "--initrd FILE is required (scripts/make-initramfs.sh)"
[ -f "$KERNEL" ] || usage "kernel '$KERNEL' not found"
[ -f "$INITRD" ] || usage "initrd '$INITRD' not found"
case "$EL" in 1|2) ;; *) usage "--el must be 1 or 2" ;; esac
[[ "$SMP" =~ ^[1-9][0-9]*$ ]] || usage "--smp must be a positive integer"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || usage "--timeout must be a positive integer (seconds)"

CMDLINE="$BASE_APPEND${APPEND:+ $APPEND}"
[ "$SHELL_MODE" = 1 ] && CMDLINE="$CMDLINE hypsim.shell=1"

case "$EMULATOR" in
    qemu)
        QEMU="${QEMU:-qemu-system-aarch64}"
        command -v "$QEMU" >/dev/null 2>&1 || usage "$QEMU not found (scripts/install-deps.sh installs QEMU 10)"
        machine="virt,gic-version=3"
        [ "$EL" = 2 ] && machine="$machine,virtualization=on"
        CMD=("$QEMU" -M "$machine" -cpu max -m "$MEM" -smp "$SMP" -nographic
             -nic none -no-reboot -kernel "$KERNEL" -initrd "$INITRD"
             -append "$CMDLINE")
        ;;
    hypsim)
        HYPSIM="${HYPSIM:-$ROOT/target/release/hypsim}"
        [ -x "$HYPSIM" ] || usage "$HYPSIM not found; build it with 'cargo build --release'"
        CMD=("$HYPSIM" run --kernel "$KERNEL" --initrd "$INITRD" --append "$CMDLINE"
             --el "$EL" --smp "$SMP" --memory "$MEM")
        ;;
    *) usage "--emulator must be qemu or hypsim" ;;
esac
CMD+=("${EXTRA_ARGS[@]}")

if [ "$SHELL_MODE" = 1 ]; then
    echo "linux-boot: $(printf '%q ' "${CMD[@]}")" >&2
    echo "linux-boot: interactive shell; the machine powers off when the shell exits" >&2
    exec "${CMD[@]}"
fi

command -v timeout >/dev/null 2>&1 || usage "timeout (coreutils) not found"
NAME="$(basename "$KERNEL")-$EMULATOR-el$EL-smp$SMP"
[ -n "$LOG" ] || LOG="$ROOT/build/linux/boot-$NAME.log"
mkdir -p "$(dirname "$LOG")"
case "$LOG" in *.log) TLOG="${LOG%.log}.timed.log" ;; *) TLOG="$LOG.timed" ;; esac
MARKS="$(mktemp "${TMPDIR:-/tmp}/linux-boot-marks.XXXXXX")"
trap 'rm -f "$MARKS"' EXIT

# Wall clock in microseconds (bash 5's EPOCHREALTIME: no fork per console line).
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
T0="$(now_us)"
ms_since() { echo $(( ($(now_us) - T0) / 1000 )); }
fmt_s() { [ -n "$1" ] && printf '%d.%03d s' $(( $1 / 1000 )) $(( $1 % 1000 )) || printf 'never'; }

# Read the console: plain log, timed log, first-line / marker times.
reader() {
    local line t first="" start="" done_=""
    : >"$LOG"; : >"$TLOG"
    while IFS= read -r line || [ -n "$line" ]; do
        line="${line//$'\r'/}"
        t=$(( (${EPOCHREALTIME/[.,]/} - T0) / 1000 ))
        [ -n "$first" ] || first=$t
        printf '%s\n' "$line" >>"$LOG"
        printf '[%4d.%03d] %s\n' $((t / 1000)) $((t % 1000)) "$line" >>"$TLOG"
        [ "$VERBOSE" = 1 ] && printf '%s\n' "$line"
        case "$line" in
            HYPSIM-INIT-START) [ -n "$start" ] || start=$t ;;
            HYPSIM-INIT-DONE) [ -n "$done_" ] || done_=$t ;;
        esac
        # Keep the marks file current, so that a killed run still has them.
        printf 'first=%s\nstart=%s\ndone=%s\n' "$first" "$start" "$done_" >"$MARKS"
    done
}

echo "linux-boot: $NAME: $(printf '%q ' "${CMD[@]}")" >&2
set +e
timeout -k 10 "$TIMEOUT" "${CMD[@]}" </dev/null 2>&1 | reader
rc=${PIPESTATUS[0]}
set -e
T_END="$(ms_since)"
first=""; start=""; done=""
# shellcheck disable=SC1090
. "$MARKS"

fail=()
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    fail+=("timed out after $TIMEOUT s")
elif [ "$rc" != 0 ]; then
    fail+=("$EMULATOR exited with status $rc")
fi
[ -n "$start" ] || fail+=("no HYPSIM-INIT-START line")
[ -n "$done" ] || fail+=("no HYPSIM-INIT-DONE line")
if [ -n "$start" ] && [ -n "$done" ] && [ "$done" -lt "$start" ]; then
    fail+=("HYPSIM-INIT-DONE before HYPSIM-INIT-START")
fi
bad="$(grep -E -m 5 "$BAD_RE" "$LOG" || true)"
[ -z "$bad" ] || fail+=("kernel reported problems:"$'\n'"$(sed 's/^/      /' <<<"$bad")")

timing="first output $(fmt_s "$first"), HYPSIM-INIT-START $(fmt_s "$start"), exit $(fmt_s "$T_END")"
[ ${#fail[@]} -ne 0 ] || timing="first output $(fmt_s "$first"), HYPSIM-INIT-START $(fmt_s "$start"), power-off $(fmt_s "$T_END")"
# Only the kernel's own lines, not /init's dmesg echo after the marker.
notes="$(awk '$0 == "HYPSIM-INIT-START" { exit } { print }' "$LOG" | grep -E 'kvm \[[0-9]+\]: .*(mode initialized|not available|disabled|error)|HYP mode|SMP: Total of|CPU\(s\) started at|CPUs started in' | head -n 6 || true)"

if [ ${#fail[@]} -eq 0 ]; then
    echo "linux-boot: PASS $NAME: $timing"
    [ -z "$notes" ] || sed 's/^/  | /' <<<"$notes"
    echo "  log: $LOG"
    exit 0
fi
echo "linux-boot: FAIL $NAME: $timing"
for f in "${fail[@]}"; do echo "  - $f"; done
[ -z "$notes" ] || sed 's/^/  | /' <<<"$notes"
echo "  --- last 40 console lines ($LOG):"
tail -n 40 "$LOG" | sed 's/^/  /'
exit 1
