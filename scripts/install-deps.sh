#!/usr/bin/env bash
# Install what hypsim's tests need on a fresh Debian bookworm machine (as root):
#   - the AArch64 cross toolchain (builds tests/guests, scripts/build-guests.sh)
#     and the arm64 glibc + kernel headers (libc6-dev-arm64-cross, which brings
#     linux-libc-dev-arm64-cross: builds tests/linux/kvm-test/kvmtest)
#   - qemu-system-aarch64 >= 10 (records/checks the goldens,
#     scripts/qemu-golden.sh) and qemu-aarch64 (QEMU user mode, package
#     qemu-user) of the same version: the difftest's QEMU oracle
#     (scripts/difftest/README.md, "QEMU oracle").  Bookworm itself has QEMU 7.2, which gets
#     several alignment and ESR_EL2.ISV cases wrong, so on bookworm QEMU comes
#     from bookworm-backports: if no APT source for bookworm-backports is
#     configured yet, this adds /etc/apt/sources.list.d/hypsim-backports.list
#     (deb http://deb.debian.org/debian bookworm-backports main), then installs
#     qemu-system-arm and qemu-user with -t bookworm-backports.
#   - linux-perf (Debian's perf: the SPE tests decode hypsim's perf.data files with it)
#   - python3-venv, and a venv at scripts/.venv with unicorn 2.1.4 + capstone and
#     vmlinux-to-elf 1.4.0 (its kallsyms-finder gives the Debian kernels' symbols, for
#     perf reports of --spe-sample profiles in tests/linux/spe.sh)
# Idempotent: apt is skipped when every command is already there (and QEMU is
# new enough), the venv when it already has the right packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/scripts/.venv"
UNICORN_VERSION=2.1.4
VMLINUX_TO_ELF_VERSION=1.4.0
APT_PACKAGES=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross python3-venv linux-perf)
QEMU_PACKAGE=qemu-system-arm
QEMU_USER_PACKAGE=qemu-user
QEMU_MIN_MAJOR=10
BACKPORTS_SUITE=bookworm-backports
BACKPORTS_LIST=/etc/apt/sources.list.d/hypsim-backports.list
BACKPORTS_LINE="deb http://deb.debian.org/debian $BACKPORTS_SUITE main"

# Major version of the installed qemu-system-aarch64, or nothing.
qemu_major() {
    { qemu-system-aarch64 --version 2>/dev/null || true; } |
        sed -n '1s/^QEMU emulator version \([0-9][0-9]*\)\..*/\1/p'
}

# Major version of the installed qemu-aarch64 (user mode), or nothing.
qemu_user_major() {
    { qemu-aarch64 --version 2>/dev/null || true; } |
        sed -n '1s/^qemu-aarch64 version \([0-9][0-9]*\)\..*/\1/p'
}

qemu_ok() {
    local major user_major
    major="$(qemu_major)"
    user_major="$(qemu_user_major)"
    [ -n "$major" ] && [ "$major" -ge "$QEMU_MIN_MAJOR" ] &&
    [ -n "$user_major" ] && [ "$user_major" -ge "$QEMU_MIN_MAJOR" ]
}

have_all_tools() {
    command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 &&
    command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 &&
    command -v aarch64-linux-gnu-objdump >/dev/null 2>&1 &&
    [ -f /usr/aarch64-linux-gnu/include/linux/kvm.h ] &&
    [ -f /usr/aarch64-linux-gnu/lib/libc.a ] &&
    qemu_ok &&
    command -v perf >/dev/null 2>&1 &&
    command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1
}

# Is an APT source for bookworm-backports already configured (one-line
# format in sources.list / *.list, or deb822 format in *.sources)?
have_backports_source() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
             /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        case "$f" in
        *.sources)
            grep -Eqi "^[[:space:]]*Suites:.*[[:space:]]$BACKPORTS_SUITE([[:space:]]|\$)" "$f" &&
                return 0 ;;
        *)
            grep -Eq "^[[:space:]]*deb[[:space:]].*[[:space:]]$BACKPORTS_SUITE[[:space:]]" "$f" &&
                return 0 ;;
        esac
    done
    return 1
}

codename="$( (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true)"
QEMU_APT_OPTS=()
[ "$codename" = bookworm ] && QEMU_APT_OPTS=(-t "$BACKPORTS_SUITE")

if have_all_tools; then
    echo "install-deps: cross toolchain (with arm64 libc and kernel headers), qemu-system-aarch64 and qemu-aarch64 >= $QEMU_MIN_MAJOR and python3-venv present; skipping apt"
else
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: error: packages missing (or QEMU older than $QEMU_MIN_MAJOR) and not root; run as root:" >&2
        [ "$codename" = bookworm ] && ! have_backports_source &&
            echo "  echo '$BACKPORTS_LINE' > $BACKPORTS_LIST" >&2
        echo "  apt-get update" >&2
        echo "  apt-get install -y ${APT_PACKAGES[*]}" >&2
        echo "  apt-get install -y ${QEMU_APT_OPTS[*]} $QEMU_PACKAGE" >&2
        echo "  apt-get install -y --no-install-recommends ${QEMU_APT_OPTS[*]} $QEMU_USER_PACKAGE" >&2
        exit 1
    fi
    if [ "$codename" = bookworm ]; then
        if have_backports_source; then
            echo "install-deps: an APT source for $BACKPORTS_SUITE is already configured"
        else
            echo "install-deps: adding $BACKPORTS_LIST ($BACKPORTS_LINE)"
            printf '%s\n' "# Added by hypsim scripts/install-deps.sh (QEMU >= $QEMU_MIN_MAJOR)" \
                "$BACKPORTS_LINE" >"$BACKPORTS_LIST"
        fi
    else
        echo "install-deps: not Debian bookworm (codename '${codename:-?}'); installing $QEMU_PACKAGE from the default release"
    fi
    echo "install-deps: apt-get update"
    apt-get update
    echo "install-deps: apt-get install -y ${APT_PACKAGES[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${APT_PACKAGES[@]}"
    echo "install-deps: apt-get install -y ${QEMU_APT_OPTS[*]} $QEMU_PACKAGE"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${QEMU_APT_OPTS[@]}" "$QEMU_PACKAGE"
    # qemu-aarch64 only (no binfmt_misc registration: the difftest runs it explicitly)
    echo "install-deps: apt-get install -y --no-install-recommends ${QEMU_APT_OPTS[*]} $QEMU_USER_PACKAGE"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${QEMU_APT_OPTS[@]}" \
        "$QEMU_USER_PACKAGE"
    if ! qemu_ok; then
        echo "install-deps: error: qemu-system-aarch64 is '$(qemu-system-aarch64 --version 2>/dev/null | head -n 1)'," \
            "qemu-aarch64 is '$(qemu-aarch64 --version 2>/dev/null | head -n 1)'; need >= $QEMU_MIN_MAJOR" >&2
        exit 1
    fi
fi

venv_ok() {
    [ -x "$VENV/bin/python" ] &&
    "$VENV/bin/python" - "$UNICORN_VERSION" "$VMLINUX_TO_ELF_VERSION" >/dev/null 2>&1 <<'PY'
import sys
from importlib.metadata import version
import unicorn, capstone  # noqa: F401
sys.exit(0 if version("unicorn") == sys.argv[1] and version("vmlinux-to-elf") == sys.argv[2] else 1)
PY
}

if venv_ok; then
    echo "install-deps: $VENV has unicorn==$UNICORN_VERSION, capstone and vmlinux-to-elf==$VMLINUX_TO_ELF_VERSION; skipping"
else
    if [ ! -x "$VENV/bin/python" ]; then
        echo "install-deps: creating venv $VENV"
        python3 -m venv "$VENV"
    fi
    echo "install-deps: pip install unicorn==$UNICORN_VERSION capstone vmlinux-to-elf==$VMLINUX_TO_ELF_VERSION (into $VENV)"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
        "unicorn==$UNICORN_VERSION" capstone "vmlinux-to-elf==$VMLINUX_TO_ELF_VERSION"
    venv_ok || { echo "install-deps: error: venv check failed" >&2; exit 1; }
fi

echo "install-deps: done"
echo "  $(aarch64-linux-gnu-gcc --version | head -n 1)"
echo "  $(qemu-system-aarch64 --version | head -n 1)"
echo "  $(qemu-aarch64 --version | head -n 1)"
echo "  venv: $("$VENV/bin/python" -c 'import unicorn, capstone; print("unicorn", unicorn.__version__, "capstone", capstone.__version__)')"
