#!/usr/bin/env bash
# Timing report: runs the tmodel guest (tests/guests/tmodel.c) under hypsim --timing detailed
# for each modelled core and draws its figures against the core's configured geometry
# (src/board/cores/<core>.toml) and published figures (../shared/timing-notes.md). Figures
# only: nothing here passes or fails (tests/timing.rs does the checking).
#
# Usage: scripts/timing-report.sh
# Writes target/timing-report/:
#   <core>.txt   tmodel's raw output (neoverse-n1, cortex-a72)
#   chase.svg    cycles per chase step vs working set (4 KiB-64 MiB), one curve per core; the
#                configured L1D/L2/LLC sizes as vertical lines, the published N1 load-to-use
#                latencies (L1D 4, L2 9-11 cycles [WikiChip Neoverse N1]) as horizontal ones
#   tlb.svg      cycles per step vs 4 KiB pages touched (8-8192), dTLB and L2 TLB entries marked
#   ifoot.svg    cycles per instruction vs code footprint (4 KiB-1 MiB), L1I sizes marked
#   ops.txt      op cycles per instruction per core and their ratio to ADD, beside the
#                published latencies (timing-notes.md §1) and measured throughput ratios [M1]
#                (also printed)
# Env: HYPSIM=FILE  use this hypsim binary (no cargo build; default: build target/release/hypsim).
# Needs gnuplot; when it is missing, installs gnuplot-nox with apt-get (as root).
set -euo pipefail
if [ -n "${HYPSIM:-}" ]; then
    HYPSIM=$(readlink -f "$HYPSIM")
    [ -x "$HYPSIM" ] || { echo "timing-report: HYPSIM=$HYPSIM is not an executable" >&2; exit 2; }
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CORES=(neoverse-n1 cortex-a72)
ELF=tests/guests/bin/tmodel.elf
OUT=target/timing-report
[ -f "$ELF" ] || { echo "timing-report: $ELF missing (scripts/build-guests.sh tmodel)" >&2; exit 1; }

if ! command -v gnuplot >/dev/null 2>&1; then
    echo "timing-report: gnuplot not found; installing gnuplot-nox" >&2
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 &&
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >&2 ||
          { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >&2; }; }; then
        :
    fi
    command -v gnuplot >/dev/null 2>&1 || {
        echo "timing-report: error: gnuplot is needed and could not be installed;" >&2
        echo "  install it (Debian: apt-get install gnuplot-nox, as root) and run again" >&2
        exit 1
    }
fi
if [ -z "${HYPSIM:-}" ]; then
    cargo build --release --quiet --bin hypsim
    HYPSIM=$PWD/target/release/hypsim
fi
mkdir -p "$OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# toml CORE KEY FIELD: FIELD of the inline table KEY (`l1d = { size = 65536, ... }`) in the
# core's data file, or nothing when the key is absent (e.g. llc on the A72).
toml() {
    sed -n "s/^$2 *= *{.*\\b$3 *= *\\([0-9][0-9_]*\\).*/\\1/p" "src/board/cores/$1.toml" | tr -d _
}
# kib BYTES: "64K", "1M", "48K"
kib() {
    if [ $(($1 % 1048576)) = 0 ]; then echo "$(($1 / 1048576))M"; else echo "$(($1 / 1024))K"; fi
}
short() { case "$1" in neoverse-n1) echo N1 ;; cortex-a72) echo A72 ;; *) echo "$1" ;; esac; }

# Run tmodel on each core; split its lines into gnuplot data (x, value / 100, pmu / 100).
for core in "${CORES[@]}"; do
    echo "running tmodel on $core (--timing detailed)..." >&2
    start=$(date +%s.%N)
    "$HYPSIM" run --kernel "$ELF" --timing detailed --cpu "$core" > "$OUT/$core.txt"
    end=$(date +%s.%N)
    grep -qx done "$OUT/$core.txt" || { echo "timing-report: tmodel on $core did not finish (see $OUT/$core.txt)" >&2; exit 1; }
    awk -v c="$core" -v s="$start" -v e="$end" 'BEGIN { printf "  %s: %.1f s\n", c, e - s }' >&2
    for kind in chase tlb ifoot op; do
        awk -v k="$kind" 'NF == 4 && $1 == k { print $2, $3 / 100, $4 / 100 }' "$OUT/$core.txt" > "$tmp/$kind-$core.dat"
        [ -s "$tmp/$kind-$core.dat" ] || { echo "timing-report: no '$kind' lines from $core (an old tmodel.elf?)" >&2; exit 1; }
    done
done

# Common gnuplot settings; log2 x tics labelled in K/M (xtics FROM TO [STEP]: powers of two).
COLORS=("#1f77b4" "#d62728")
head_gp() {   # head_gp TITLE XLABEL YLABEL
    cat <<EOF
set terminal svg size 1000,620 dynamic noenhanced font "sans,13" background rgb "white"
set title "$1"
set xlabel "$2"
set ylabel "$3"
set logscale x 2
set grid xtics ytics lc rgb "#dddddd"
set key top left box opaque
set border 3
set tics nomirror
EOF
}
xtics_bytes() {
    local x=$1 tics=()
    while [ "$x" -le "$2" ]; do tics+=("\"$(kib "$x")\" $x"); x=$((x * 2)); done
    local IFS=,; echo "set xtics (${tics[*]})"
}
xtics_plain() {
    local x=$1 tics=()
    while [ "$x" -le "$2" ]; do tics+=("\"$x\" $x"); x=$((x * 2)); done
    local IFS=,; echo "set xtics (${tics[*]})"
}
# vline X COLOR LABEL YPOS: a dashed vertical line at X with a rotated label at graph YPOS.
vline() {
    echo "set arrow from $1, graph 0 to $1, graph 1 nohead dt 2 lw 1.5 lc rgb \"$2\""
    echo "set label \"$3\" at $1, graph $4 rotate by 90 right offset -2, 0 tc rgb \"$2\" font \",11\""
}
curves() {   # curves KIND: the plot list, one line per core
    local i=0 sep="plot " core
    for core in "${CORES[@]}"; do
        printf '%s"%s" using 1:2 with linespoints lw 2 pt 7 ps 0.7 lc rgb "%s" title "%s"' \
            "$sep" "$tmp/$1-$core.dat" "${COLORS[$i]}" "$core"
        sep=", \\"$'\n'"     "; i=$((i + 1))
    done
    echo
}

# (1) Pointer chase.
{
    head_gp "Pointer chase: cycles per step (LDR + SUBS + B.NE) vs working set, --timing detailed" \
        "working set (bytes, random cyclic order of its 64-byte lines)" "cycles per chase step"
    xtics_bytes 4096 $((64 << 20))
    echo "set xrange [3000:$((90 << 20))]"
    echo "set logscale y 2"
    echo "set ytics (\"2\" 2, \"4\" 4, \"6\" 6, \"9\" 9, \"11\" 11, \"16\" 16, \"24\" 24, \"40\" 40, \"64\" 64, \"128\" 128, \"256\" 256, \"512\" 512)"
    echo "set yrange [2:600]"
    i=0
    for core in "${CORES[@]}"; do
        s=$(short "$core") y=$((i == 0 ? 95 : 60))
        for level in l1d l2 llc; do
            size=$(toml "$core" "$level" size)
            [ -n "$size" ] || continue
            lat=$(toml "$core" "$level" latency)
            L=$(echo "$level" | tr a-z A-Z)
            vline "$size" "${COLORS[$i]}" "$s $L $(kib "$size") (lat $lat)" "0.$y"
        done
        i=$((i + 1))
    done
    # Published N1 load-to-use latencies (timing-notes.md §2, [W1] WikiChip "Neoverse N1").
    echo 'set arrow from graph 0, first 4 to graph 1, first 4 nohead lw 1.5 lc rgb "#2ca02c"'
    echo 'set label "published N1 L1D load-to-use 4 cycles [WikiChip Neoverse N1]" at graph 0.01, first 4 offset 0, -0.7 tc rgb "#2ca02c" font ",11"'
    echo 'set object 1 rect from graph 0, first 9 to graph 1, first 11 fc rgb "#2ca02c" fs transparent solid 0.15 noborder behind'
    echo 'set label "published N1 L2 9-11 cycles [WikiChip Neoverse N1]" at graph 0.01, first 9 offset 0, -0.7 tc rgb "#2ca02c" font ",11"'
    echo 'set key at graph 0.99, graph 0.35 right bottom'
    curves chase
} > "$tmp/chase.gp"

# (2) TLB: one line per 4 KiB page.
{
    fit=""
    for core in "${CORES[@]}"; do
        fit+="${fit:+, }$(short "$core") $(($(toml "$core" l1d size) / 64))"
    done
    head_gp "TLB reach: cycles per step, one 64-byte line in each of N 4 KiB pages, --timing detailed" \
        "4 KiB pages touched (random cyclic order; the lines fill the L1D at $fit pages)" "cycles per chase step"
    xtics_plain 8 8192
    echo "set xrange [6:11000]"
    echo "set yrange [0:*]"
    i=0
    for core in "${CORES[@]}"; do
        s=$(short "$core") y=$((i == 0 ? 95 : 55))
        vline "$(toml "$core" dtlb entries)" "${COLORS[$i]}" "$s dTLB $(toml "$core" dtlb entries) entries" "0.$y"
        vline "$(toml "$core" l2tlb entries)" "${COLORS[$i]}" "$s L2 TLB $(toml "$core" l2tlb entries) entries" "0.$y"
        i=$((i + 1))
    done
    curves tlb
} > "$tmp/tlb.gp"

# (3) Instruction footprint.
{
    head_gp "Instruction footprint: cycles per instruction of a straight-line function, --timing detailed" \
        "function size (bytes; add x0, x0, #1 ... ret)" "cycles per instruction"
    xtics_bytes 4096 $((1 << 20))
    echo "set xrange [3000:$((3 << 19))]"
    echo "set yrange [0:*]"
    i=0
    for core in "${CORES[@]}"; do
        size=$(toml "$core" l1i size)
        vline "$size" "${COLORS[$i]}" "$(short "$core") L1I $(kib "$size")" "0.95"
        i=$((i + 1))
    done
    curves ifoot
} > "$tmp/ifoot.gp"

for plot in chase tlb ifoot; do
    gnuplot -e "set output '$OUT/$plot.svg'" "$tmp/$plot.gp"
done

# (4) Op table. Published figures (../shared/timing-notes.md): dependent rows, the result
# latency in cycles (= its ratio to ADD's 1): N1 from §1's last column ("Proposed N1 base",
# from LLVM's N1 model [L1]; DIV is its 4 + ceil(quotient bits / 4) estimate for this test's
# 32-bit quotients), A72 from §1's A72 column (SOG via [O1][L2]); independent rows, [M1]'s
# measured throughput ratio to ADD (ns per instruction, independent outputs: N1 ADD 0.115,
# MUL 1.002, UMULH 1.336, DIV 2.005; A72 ADD 0.297, MUL 1.677, UMULH 2.236, DIV 3.353).
cat > "$tmp/published" <<'EOF'
add-dep	1 [L1]	1 [O1][L2]
mul-dep	4 (X) [L1]	5 (X) [O1][L2]
umulh-dep	5 [L1]	6 [O1][L2]
div-dep	12 (est.)	4-20 (X, verify) [C1]
fmadd-dep	4 [L1]	7 (3 via Ra) [G4][O1]
fadd-dep	2 [L1]	3 (OSACA 4) [O1]
add-indep	1 [M1]	1 [M1]
mul-indep	8.7 [M1]	5.6 [M1]
umulh-indep	11.6 [M1]	7.5 [M1]
div-indep	17.4 [M1]	11.3 [M1]
fmadd-indep	-	-
fadd-indep	-	-
EOF
{
    echo "tmodel op results, --timing detailed: cycles per tested instruction (the loop's SUBS + B.NE"
    echo "per 16 tested instructions included) and its ratio to add-dep (dep rows) or add-indep"
    echo "(indep rows). 'published' (../shared/timing-notes.md): dep rows, the latency in cycles"
    echo "(§1; ADD's is 1, so it is also the ratio); indep rows, the measured throughput ratio to"
    echo "ADD ([M1], 32 independent instructions per loop)."
    echo
    printf '%-12s' ""
    for core in "${CORES[@]}"; do printf ' | %-36s' "$core"; done
    echo
    printf '%-12s' op
    for core in "${CORES[@]}"; do printf ' | %7s %6s  %-20s' cycles ratio published; done
    echo
    while IFS=$'\t' read -r op pub_n1 pub_a72; do
        printf '%-12s' "$op"
        col=0
        for core in "${CORES[@]}"; do
            base=add-dep; case "$op" in *-indep) base=add-indep ;; esac
            read -r c r < <(awk -v op="$op" -v base="$base" '
                $1 == op { c = $2 } $1 == base { b = $2 }
                END { if (c == "") print "- -"; else printf "%.2f %.2f\n", c, (b > 0 ? c / b : 0) }' \
                "$tmp/op-$core.dat")
            pub=$pub_n1; [ $col = 0 ] || pub=$pub_a72
            printf ' | %7s %6s  %-20s' "$c" "$r" "$pub"
            col=$((col + 1))
        done
        echo
    done < "$tmp/published"
    echo
    echo "Sources (../shared/timing-notes.md §7): [L1] LLVM AArch64SchedNeoverseN1.td (N1 SOG);"
    echo "[O1] OSACA a72.yml; [L2] LLVM AArch64SchedA57.td; [C1] A72 SOG as quoted; [G4] gem5"
    echo "commit 6c72c355 (A72 FMADD 3 when only the accumulator chains; this test chains Rn);"
    echo "[M1] lelegard/arm-instruction-time (Ampere Altra N1, RPi 4 A72)."
} > "$OUT/ops.txt"

cat "$OUT/ops.txt"
echo
echo "timing-report: wrote $OUT/:"
for f in "${CORES[@]/%/.txt}" chase.svg tlb.svg ifoot.svg ops.txt; do
    echo "  $OUT/$f"
done
