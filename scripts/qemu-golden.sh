#!/usr/bin/env bash
# Record (or check) the golden console output of the test guests by running
# the prebuilt ELFs in tests/guests/bin/ under QEMU (qemu-system-aarch64,
# machine virt at EL2 -- the board hypsim emulates).
#
# Usage:
#   scripts/qemu-golden.sh [name...]          write tests/guests/golden/<name>.out
#   scripts/qemu-golden.sh --check [name...]  compare QEMU's output with the
#                                             goldens; exit 1 on any mismatch
#   scripts/qemu-golden.sh --bench            run the bench-* guests under QEMU
#                                             and print their output and time
# Default names: every non-bench guest in tests/guests/bin/, plus every
# NAME@smpN that has a golden (see below).
#
# Per-golden CPU count: a name NAME@smpN (golden tests/guests/golden/NAME@smpN.out)
# runs the same tests/guests/bin/NAME.elf with N CPUs: -smp N and
# single-threaded TCG (-accel tcg,thread=single), so that the vCPUs are
# scheduled round robin on one host thread and cross-CPU timing does not
# depend on the host's load (hypsim's tests/guests.rs passes --smp N).  A
# guest that waits for another CPU must execute YIELD (or WFE/WFI) in its
# wait loops, which is what makes that scheduler switch vCPUs; see irqspin in
# tests/guests/README.md.  A plain NAME runs with one CPU (QEMU's default,
# multi-threaded TCG).  To add such a golden, name it once explicitly:
#   scripts/qemu-golden.sh irqspin@smp4
#
# Per-guest machine options: a guest whose name starts with "mte" (mte,
# mte_el1, ...) or "bench-mte" runs on "-M virt,...,mte=on" (FEAT_MTE2/MTE3
# with tag storage; QEMU's -cpu max hides MTE without it), see machine_opts()
# below.
# hypsim enables MTE by default, so it runs the same ELFs without an option.
#
# Only the bytes the guest wrote to the UART are recorded: QEMU's stdout is
# the serial port alone (-serial stdio, no monitor, no display), and its own
# messages go to stderr, which is kept apart.
#
# The goldens are recorded with QEMU 10 (Debian bookworm-backports,
# scripts/install-deps.sh); an older QEMU (7.2) gets several alignment and
# ESR_EL2.ISV cases wrong, so the version is checked (QEMU_MIN_MAJOR).
#
# Hand-written goldens: the guests listed in HANDWRITTEN check behaviour that
# QEMU does not model at all (spalign: SP alignment checking, SCTLR_ELx.SA/SA0;
# mteperm: FEAT_MTE_PERM's stage 2 NoTagAccess; spe: FEAT_SPE, which QEMU
# lacks, so its spe.elf only prints that PMSVer is 0; debug_arm: self-hosted
# debug cases where QEMU departs from the Arm ARM; see tests/guests/README.md);
# their goldens come from the Arm ARM, are never overwritten here, and a
# difference from QEMU is reported but is not a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/tests/guests/bin"
GOLDEN="$ROOT/tests/guests/golden"
QEMU="${QEMU:-qemu-system-aarch64}"
TIMEOUT="${TIMEOUT:-30}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-600}"
QEMU_MIN_MAJOR=10
HANDWRITTEN=(spalign mteperm spe debug_arm)

mode=write
names=()
for arg in "$@"; do
    case "$arg" in
        --check) mode=check ;;
        --bench) mode=bench ;;
        -h|--help) sed -n '2,45p' "$0"; exit 0 ;;
        -*) echo "error: unknown option $arg" >&2; exit 2 ;;
        *) names+=("$arg") ;;
    esac
done

if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "error: $QEMU not found; run scripts/install-deps.sh (as root)." >&2
    exit 1
fi
qemu_version="$("$QEMU" --version | head -n 1)"
qemu_major="$(sed -n 's/^QEMU emulator version \([0-9][0-9]*\)\..*/\1/p' <<<"$qemu_version")"
if [ "$mode" != bench ] &&
   { [ -z "$qemu_major" ] || [ "$qemu_major" -lt "$QEMU_MIN_MAJOR" ]; }; then
    echo "error: $QEMU is '$qemu_version'; the goldens need QEMU >= $QEMU_MIN_MAJOR" >&2
    echo "       (scripts/install-deps.sh installs it from bookworm-backports)." >&2
    exit 1
fi
if ! command -v timeout >/dev/null 2>&1; then
    echo "error: timeout (coreutils) not found." >&2
    exit 1
fi

if [ "${#names[@]}" -eq 0 ]; then
    for elf in "$BIN"/*.elf; do
        [ -e "$elf" ] || continue
        name="$(basename "$elf" .elf)"
        case "$name" in
            bench-*) [ "$mode" = bench ] && names+=("$name") ;;
            # Guests that only mean something with hypsim's --inject (tests/inject.rs
            # checks them against expectations derived from the Arm ARM) and mtefile
            # (tests/mte_files.rs runs it twice over the same files): no golden.
            inject|injwalk|rasrec|rasirq|mtefile|tmodel) ;;
            *) [ "$mode" != bench ] && names+=("$name") ;;
        esac
    done
    if [ "$mode" != bench ]; then
        for golden in "$GOLDEN"/*@smp*.out; do
            [ -e "$golden" ] || continue
            name="$(basename "$golden" .out)"
            [ -f "$BIN/${name%@*}.elf" ] && names+=("$name")
        done
    fi
fi
if [ "${#names[@]}" -eq 0 ]; then
    echo "error: no guests in tests/guests/bin (run scripts/build-guests.sh)" >&2
    exit 1
fi

is_handwritten() {
    local n
    for n in "${HANDWRITTEN[@]}"; do
        [ "$n" = "$1" ] && return 0
    done
    return 1
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# machine_opts NAME: extra ",key=value" options of -M virt for guest NAME
# (an ELF name, without @smpN).
machine_opts() {
    case "$1" in
        mte*|bench-mte*) printf ',mte=on' ;;
    esac
}

# run_guest NAME OUTFILE TIMEOUT: the guest's UART output goes to OUTFILE.
# NAME is an ELF name, or ELF@smpN to run it with N CPUs (see the top).
run_guest() {
    local name="$1" out="$2" limit="$3" rc=0
    local elf="$BIN/${name%@*}.elf"
    local smp=()
    case "$name" in
        *@smp*)
            local n="${name##*@smp}"
            if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
                echo "error: $name: expected NAME@smpN with N >= 1" >&2
                return 1
            fi
            smp=(-smp "$n" -accel tcg,thread=single)
            ;;
        *@*)
            echo "error: $name: the only suffix is @smpN" >&2
            return 1
            ;;
    esac
    if [ ! -f "$elf" ]; then
        echo "error: $elf not found (run scripts/build-guests.sh)" >&2
        return 1
    fi
    timeout "$limit" "$QEMU" \
        -M "virt,virtualization=on,gic-version=3$(machine_opts "${name%@*}")" \
        -cpu max -m 1G ${smp[@]+"${smp[@]}"} \
        -nic none -display none -monitor none -serial stdio \
        -kernel "$elf" </dev/null >"$out" 2>"$tmp/$name.stderr" || rc=$?
    if [ "$rc" -ne 0 ]; then
        if [ "$rc" -eq 124 ]; then
            echo "error: $name did not power off within ${limit}s" >&2
        else
            echo "error: QEMU exited with status $rc for $name" >&2
        fi
        sed 's/^/  qemu: /' "$tmp/$name.stderr" >&2
        return 1
    fi
    if [ -s "$tmp/$name.stderr" ]; then
        sed 's/^/  qemu: /' "$tmp/$name.stderr" >&2
    fi
}

echo "using $qemu_version"
mkdir -p "$GOLDEN"
failed=0

for name in "${names[@]}"; do
    out="$tmp/$name.out"
    case "$mode" in
    bench)
        start=$(date +%s%N)
        run_guest "$name" "$out" "$BENCH_TIMEOUT" || { failed=1; continue; }
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        printf '%-14s %4d.%03d s   %s\n' "$name" $((ms / 1000)) $((ms % 1000)) \
            "$(tr -d '\n' <"$out")"
        ;;
    write)
        run_guest "$name" "$out" "$TIMEOUT" || { failed=1; continue; }
        if is_handwritten "$name"; then
            if cmp -s "$out" "$GOLDEN/$name.out"; then
                echo "  KEEP    golden/$name.out (hand-written; QEMU agrees)"
            else
                echo "  KEEP    golden/$name.out (hand-written; differs from QEMU, as expected)"
            fi
            continue
        fi
        cp "$out" "$GOLDEN/$name.out"
        echo "  WRITE   golden/$name.out ($(wc -c <"$out") bytes)"
        ;;
    check)
        run_guest "$name" "$out" "$TIMEOUT" || { failed=1; continue; }
        if [ ! -f "$GOLDEN/$name.out" ]; then
            echo "  MISSING golden/$name.out"
            failed=1
        elif cmp -s "$out" "$GOLDEN/$name.out"; then
            echo "  OK      $name"
        elif is_handwritten "$name"; then
            echo "  SKIP    $name (hand-written golden; QEMU differs, as expected)"
        else
            echo "  DIFF    $name"
            diff -u --label "golden/$name.out" --label "qemu/$name" \
                "$GOLDEN/$name.out" "$out" | sed 's/^/    /' || true
            failed=1
        fi
        ;;
    esac
done

exit "$failed"
