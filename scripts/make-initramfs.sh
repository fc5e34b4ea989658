#!/usr/bin/env bash
# Build the gzip'd newc cpio initramfs of hypsim's Linux boot tests.
#
# Usage: scripts/make-initramfs.sh --busybox PATH --out FILE
#                                  [--init FILE] [--extra SRC:DEST ...]
#   --busybox PATH   a static AArch64 busybox (scripts/fetch-linux.sh puts
#                    Debian's busybox-static at .deps/linux/busybox)
#   --out FILE       the .cpio.gz to write
#   --init FILE      /init to use (default: tests/linux/init)
#   --extra SRC:DEST copy SRC (file, or directory copied recursively) to DEST
#                    (an absolute path in the initramfs); may be repeated
#   --no-kvmtest     leave out /bin/kvmtest
#   --no-mtetest     leave out /bin/mtetest
#   --no-kvmdebug    leave out /bin/kvmdebug
#
# Contents: /bin/busybox plus symlinks for the applets /init and a user
# typically need (the shell mode of /init adds all the others at run time
# with 'busybox --install -s'), /init, /bin/kvmtest (the committed static
# KVM VMM test tests/linux/kvm-test/kvmtest; /init runs it only with
# hypsim.kvmtest=1 on the kernel command line), /bin/mtetest (the committed
# static MTE test tests/linux/mte-test/mtetest; /init runs it only with
# hypsim.mtetest=1), /bin/kvmdebug (the committed static KVM guest-debug
# test tests/linux/kvmdebug-test/kvmdebug; /init runs it only with
# hypsim.kvmdebug=1), empty /proc /sys /dev /tmp /root /etc /mnt /run,
# /dev/console (only when run as root: mknod needs it; the kernel's built-in
# initramfs has a /dev/console anyway), and the extras.
#
# Deterministic: the file list is sorted, every mtime is SOURCE_DATE_EPOCH
# (default 0), owners are 0:0, cpio runs with --reproducible and gzip with
# -n, so the same inputs give the same bytes.
#
# Needs Debian's cpio and gzip; cpio is installed with apt-get if missing
# and running as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUSYBOX=""
OUT=""
INIT="$ROOT/tests/linux/init"
EXTRAS=()
KVMTEST="$ROOT/tests/linux/kvm-test/kvmtest"
MTETEST="$ROOT/tests/linux/mte-test/mtetest"
KVMDEBUG="$ROOT/tests/linux/kvmdebug-test/kvmdebug"
EPOCH="${SOURCE_DATE_EPOCH:-0}"

# Applets linked in the image. /init uses: sh mount cat echo uname head ls
# dmesg grep poweroff (and setsid cttyhack in shell mode, after --install).
APPLETS_BIN=(sh ash cat echo uname head tail ls dmesg grep mount umount mkdir
             rm cp mv ln sleep sync tr cut wc sort find dd od hexdump env
             printf test true false setsid cttyhack ps kill uptime date
             free df du stat insmod rmmod lsmod modprobe depmod xz unxz
             zcat gunzip)
APPLETS_SBIN=(poweroff reboot halt)

die() { echo "make-initramfs: error: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --busybox) [ $# -ge 2 ] || die "--busybox needs a path"; BUSYBOX="$2"; shift 2 ;;
        --out) [ $# -ge 2 ] || die "--out needs a file"; OUT="$2"; shift 2 ;;
        --init) [ $# -ge 2 ] || die "--init needs a file"; INIT="$2"; shift 2 ;;
        --extra) [ $# -ge 2 ] || die "--extra needs SRC:DEST"; EXTRAS+=("$2"); shift 2 ;;
        --no-kvmtest) KVMTEST=""; shift ;;
        --no-mtetest) MTETEST=""; shift ;;
        --no-kvmdebug) KVMDEBUG=""; shift ;;
        -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[ -n "$BUSYBOX" ] || die "--busybox PATH is required (scripts/fetch-linux.sh fetches one to .deps/linux/busybox)"
[ -n "$OUT" ] || die "--out FILE is required"
[ -f "$BUSYBOX" ] || die "busybox '$BUSYBOX' not found (run scripts/fetch-linux.sh)"
[ -f "$INIT" ] || die "init script '$INIT' not found"
[ -z "$KVMTEST" ] || [ -f "$KVMTEST" ] || die "$KVMTEST not found (tests/linux/kvm-test/build.sh builds it)"
[ -z "$MTETEST" ] || [ -f "$MTETEST" ] || die "$MTETEST not found (tests/linux/mte-test/build.sh builds it)"
[ -z "$KVMDEBUG" ] || [ -f "$KVMDEBUG" ] || die "$KVMDEBUG not found (tests/linux/kvmdebug-test/build.sh builds it)"

# busybox must be a static 64-bit AArch64 ELF, or the kernel cannot run /init.
elf="$(od -An -v -tx1 -N 20 "$BUSYBOX" | tr -d ' \n')"
[ "${elf:0:10}" = 7f454c4602 ] && [ "${elf:36:4}" = b700 ] ||
    die "$BUSYBOX is not a 64-bit AArch64 ELF"
if command -v readelf >/dev/null 2>&1 && readelf -lW "$BUSYBOX" | grep -q INTERP; then
    die "$BUSYBOX is dynamically linked; the initramfs has no libc (use busybox-static)"
fi

if ! command -v cpio >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "make-initramfs: installing cpio (apt-get install -y cpio)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q cpio >/dev/null 2>&1 || {
            apt-get update -q >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q cpio >/dev/null
        } || die "apt-get install cpio failed"
    else
        die "cpio not found: apt-get install cpio (as root)"
    fi
fi
command -v gzip >/dev/null 2>&1 || die "gzip not found: apt-get install gzip"

STAGE="$(mktemp -d "${TMPDIR:-/tmp}/hypsim-initramfs.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

umask 022
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc,mnt,run}
chmod 1777 "$STAGE/tmp"
chmod 0700 "$STAGE/root"
install -m 0755 "$BUSYBOX" "$STAGE/bin/busybox"
for a in "${APPLETS_BIN[@]}"; do ln -s busybox "$STAGE/bin/$a"; done
for a in "${APPLETS_SBIN[@]}"; do ln -s ../bin/busybox "$STAGE/sbin/$a"; done
install -m 0755 "$INIT" "$STAGE/init"
[ -z "$KVMTEST" ] || install -m 0755 "$KVMTEST" "$STAGE/bin/kvmtest"
[ -z "$MTETEST" ] || install -m 0755 "$MTETEST" "$STAGE/bin/mtetest"
[ -z "$KVMDEBUG" ] || install -m 0755 "$KVMDEBUG" "$STAGE/bin/kvmdebug"
if [ "$(id -u)" = 0 ]; then
    mknod -m 0600 "$STAGE/dev/console" c 5 1
    mknod -m 0666 "$STAGE/dev/null" c 1 3
fi

for spec in "${EXTRAS[@]}"; do
    src="${spec%%:*}"
    dst="${spec#*:}"
    [ "$src" != "$spec" ] && [ -n "$src" ] && [ -n "$dst" ] || die "--extra '$spec': want SRC:DEST"
    case "$dst" in /*) ;; *) die "--extra '$spec': DEST must be an absolute path" ;; esac
    case "/$dst/" in */../*) die "--extra '$spec': DEST must not contain .." ;; esac
    [ -e "$src" ] || die "--extra '$spec': $src not found"
    mkdir -p "$STAGE$(dirname "$dst")"
    if [ -d "$src" ]; then
        mkdir -p "$STAGE$dst"
        cp -R --no-preserve=ownership "$src/." "$STAGE$dst/"
    else
        cp --no-preserve=ownership "$src" "$STAGE$dst"
    fi
done

# Fixed timestamps (symlinks too), then a sorted list for cpio.
find "$STAGE" -exec touch -h -d "@$EPOCH" {} +
mkdir -p "$(dirname "$OUT")"
OUT_ABS="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
(
    cd "$STAGE"
    find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
        cpio --quiet -o -H newc -R 0:0 --reproducible
) | gzip -9 -n >"$OUT_ABS.tmp"
mv -f "$OUT_ABS.tmp" "$OUT_ABS"

echo "make-initramfs: wrote $OUT ($(stat -c %s "$OUT_ABS") bytes, $(find "$STAGE" -mindepth 1 | wc -l) entries, sha256 $(sha256sum "$OUT_ABS" | cut -c1-16))"
