# Shared part of tests/linux/*/build.sh: cross-compile a static, stripped,
# reproducible AArch64 Linux test program.  Not run on its own: a build.sh
# sets the variables below, sources this file and calls `build_static "$@"`:
#
#   NAME=mtetest                  # output, $DIR/$NAME (the committed binary)
#   SOURCES=(mtetest.c)           # relative to the build.sh's directory $DIR
#   HEADER=sys/auxv.h             # probed with the compiler before building
#   HEADER_MISSING='the C library headers (libc6-dev-arm64-cross missing)'
#   MARCH=armv8.5-a+memtag        # -march=
#   EXTRA_CFLAGS=(-Wno-clobbered) # appended to the common flags (may be empty)
#   source "$(dirname "${BASH_SOURCE[0]}")/../build-static.sh"
#   build_static "$@"
#
# build_static parses the build.sh's command line (--out FILE, --check,
# -h|--help prints the build.sh's leading comment block), checks for
# ${CROSS_COMPILE:-aarch64-linux-gnu-}gcc and $HEADER, builds into a
# temporary directory, and then either compares the result with $DIR/$NAME
# (--check: exit 0 if identical, 1 if not) or installs it as $DIR/$NAME or
# the --out FILE.  Unknown arguments exit 2.
set -euo pipefail

build_static() {
    local DIR OUT CHECK=0 CC src obj
    local -a CFLAGS LDFLAGS OBJS=()
    : "${NAME:?}" "${SOURCES:?}" "${HEADER:?}" "${HEADER_MISSING:?}" "${MARCH:?}"
    DIR="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
    OUT="$DIR/$NAME"
    CROSS_COMPILE="${CROSS_COMPILE:-aarch64-linux-gnu-}"
    CC="${CROSS_COMPILE}gcc"

    while [ $# -gt 0 ]; do
        case "$1" in
            --out) [ $# -ge 2 ] || { echo "build.sh: --out needs a file" >&2; exit 2; }; OUT="$2"; shift 2 ;;
            --check) CHECK=1; shift ;;
            -h|--help) awk 'NR == 1 { next } /^#/ { print; next } { exit }' "${BASH_SOURCE[1]}"; exit 0 ;;
            *) echo "build.sh: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
        esac
    done

    if ! command -v "$CC" >/dev/null 2>&1; then
        echo "build.sh: error: $CC not found (AArch64 cross toolchain missing)." >&2
        echo "          Run scripts/install-deps.sh (as root) to install it." >&2
        exit 1
    fi
    if ! echo "#include <$HEADER>" | "$CC" -E -x c - >/dev/null 2>&1; then
        echo "build.sh: error: $CC cannot find $HEADER_MISSING;" >&2
        echo "          run scripts/install-deps.sh (as root)." >&2
        exit 1
    fi

    CFLAGS=(
        -std=gnu11 -O2 -march="$MARCH" -mbranch-protection=none
        -fno-asynchronous-unwind-tables -fno-ident
        -Wall -Wextra -Werror
        ${EXTRA_CFLAGS[@]+"${EXTRA_CFLAGS[@]}"}
    )
    LDFLAGS=(-static -s -Wl,--build-id=none -Wl,--hash-style=gnu)

    # Global, so that the EXIT trap still sees it after the function returns.
    BUILD_STATIC_TMP="$(mktemp -d)"
    trap 'rm -rf "$BUILD_STATIC_TMP"' EXIT
    local tmp="$BUILD_STATIC_TMP"
    # Fixed source paths (relative, from $DIR) so nothing depends on where the
    # repository is checked out.
    for src in "${SOURCES[@]}"; do
        obj="$tmp/$(basename "${src%.*}").o"
        (cd "$DIR" && LC_ALL=C "$CC" "${CFLAGS[@]}" -c -o "$obj" "$src")
        OBJS+=("$obj")
    done
    LC_ALL=C "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$tmp/$NAME" "${OBJS[@]}"

    if [ "$CHECK" = 1 ]; then
        if cmp -s "$tmp/$NAME" "$DIR/$NAME"; then
            echo "build.sh: $DIR/$NAME is reproduced byte for byte ($(stat -c %s "$DIR/$NAME") bytes, sha256 $(sha256sum "$DIR/$NAME" | cut -c1-16))"
            exit 0
        fi
        echo "build.sh: error: the build differs from the committed $DIR/$NAME" >&2
        echo "          built: $(stat -c %s "$tmp/$NAME") bytes, sha256 $(sha256sum "$tmp/$NAME" | cut -c1-16); committed: $(stat -c %s "$DIR/$NAME" 2>/dev/null || echo missing)" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$OUT")"
    install -m 0755 "$tmp/$NAME" "$OUT"
    echo "build.sh: wrote $OUT ($(stat -c %s "$OUT") bytes, sha256 $(sha256sum "$OUT" | cut -c1-16))"
}
