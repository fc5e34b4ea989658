#!/usr/bin/env bash
# Install what hypsim's tests need on a fresh Debian bookworm machine (as root):
#   - the AArch64 cross toolchain (builds tests/guests, scripts/build-guests.sh)
#   - qemu-system-aarch64 (records/checks the goldens, scripts/qemu-golden.sh)
#   - python3-venv, and a venv at scripts/.venv with unicorn 2.1.4 + capstone
# Idempotent: apt is skipped when every command is already there, the venv
# when it already has the right packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/scripts/.venv"
UNICORN_VERSION=2.1.4
APT_PACKAGES=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm python3-venv)

have_all_tools() {
    command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 &&
    command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 &&
    command -v aarch64-linux-gnu-objdump >/dev/null 2>&1 &&
    command -v qemu-system-aarch64 >/dev/null 2>&1 &&
    command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1
}

if have_all_tools; then
    echo "install-deps: cross toolchain, qemu-system-aarch64 and python3-venv present; skipping apt"
else
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: error: packages missing and not root; run as root:" >&2
        echo "  apt-get install -y ${APT_PACKAGES[*]}" >&2
        exit 1
    fi
    echo "install-deps: apt-get update"
    apt-get update
    echo "install-deps: apt-get install -y ${APT_PACKAGES[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${APT_PACKAGES[@]}"
fi

venv_ok() {
    [ -x "$VENV/bin/python" ] &&
    "$VENV/bin/python" - "$UNICORN_VERSION" >/dev/null 2>&1 <<'PY'
import sys
from importlib.metadata import version
import unicorn, capstone  # noqa: F401
sys.exit(0 if version("unicorn") == sys.argv[1] else 1)
PY
}

if venv_ok; then
    echo "install-deps: $VENV has unicorn==$UNICORN_VERSION and capstone; skipping"
else
    if [ ! -x "$VENV/bin/python" ]; then
        echo "install-deps: creating venv $VENV"
        python3 -m venv "$VENV"
    fi
    echo "install-deps: pip install unicorn==$UNICORN_VERSION capstone (into $VENV)"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
        "unicorn==$UNICORN_VERSION" capstone
    venv_ok || { echo "install-deps: error: venv check failed" >&2; exit 1; }
fi

echo "install-deps: done"
echo "  $(aarch64-linux-gnu-gcc --version | head -n 1)"
echo "  $(qemu-system-aarch64 --version | head -n 1)"
echo "  venv: $("$VENV/bin/python" -c 'import unicorn, capstone; print("unicorn", unicorn.__version__, "capstone", capstone.__version__)')"
