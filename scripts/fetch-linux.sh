#!/usr/bin/env bash
# Fetch Debian's arm64 kernels and a static arm64 busybox for the Linux boot
# tests (tests/linux/README.md), without touching the host's APT state and
# without adding arm64 to the host's dpkg architectures.
#
# Usage: scripts/fetch-linux.sh [--dest DIR] [--offline]
#   --dest DIR   where to put everything (default: .deps/linux in the repo,
#                which is git-ignored)
#   --offline    do not run 'apt-get update'; use the package lists already
#                in DIR/apt (fails if there are none)
#
# What it does:
#   1. Writes a private APT configuration under DIR/apt: its own sources list
#      ([arch=arm64] entries for bookworm and bookworm-backports, main only,
#      signed by the Debian archive keyring), its own lists, cache, status
#      file and (empty) apt.conf.d / preferences.d / trusted.gpg.d, and
#      APT::Architecture=arm64, APT::Architectures=arm64.  Every apt command
#      runs with APT_CONFIG pointing there, so the host's apt.conf.d, sources,
#      lists and caches are neither read nor written.
#   2. 'apt-get update' with that configuration (if that fails but lists from
#      an earlier run exist, it warns and goes on with them).
#   3. Resolves the kernel metapackage linux-image-arm64 in bookworm (6.1.x)
#      and in bookworm-backports (6.12.x) to the versioned image package it
#      depends on (e.g. linux-image-6.1.0-NN-arm64, the signed one), and takes
#      busybox-static from bookworm.
#   4. 'apt-get download's each .deb into DIR/debs (skipped when a file of the
#      right name and SHA256 is already there; stale .debs are removed),
#      'dpkg-deb -x's it into a scratch directory and keeps:
#        DIR/vmlinuz-6.1, DIR/vmlinuz-6.12       the kernel images (as shipped)
#        DIR/config-6.1, DIR/config-6.12         their kernel .config
#        DIR/modules-6.1, DIR/modules-6.12       lib/modules/<uname -r> itself
#                                                (modules.order at the top;
#                                                .release holds uname -r)
#        DIR/busybox                              the static arm64 busybox
#      Extraction is skipped when DIR/.stamp-<name> records the same package,
#      version and SHA256 and the outputs exist.
#      Debian's System.map is a stub (the real one is in the -dbg package)
#      and modules.dep is made by the package's postinst (depmod), so neither
#      is kept; 6.1's modules are plain .ko, 6.12's are .ko.xz.
#   5. Writes DIR/VERSIONS: one line per output with the package, its exact
#      version, the suite, the kernel release (uname -r) and the image format.
#
# Needs apt-get, apt-cache, dpkg-deb and sha256sum (all on any Debian); the
# download is about 150 MB, the unpacked tree about 550 MB.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.deps/linux"
OFFLINE=0
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "fetch-linux: error: $*" >&2; exit 1; }
say() { echo "fetch-linux: $*"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --dest) [ $# -ge 2 ] || die "--dest needs a directory"; DEST="$2"; shift 2 ;;
        --dest=*) DEST="${1#--dest=}"; shift ;;
        --offline) OFFLINE=1; shift ;;
        -h|--help) sed -n '2,44p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

for tool in apt-get apt-cache dpkg-deb sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (this script needs Debian's apt and dpkg)"
done
[ -r "$KEYRING" ] || die "$KEYRING missing: apt-get install debian-archive-keyring"

mkdir -p "$DEST" || die "cannot create $DEST"
DEST="$(cd "$DEST" && pwd)"
APTDIR="$DEST/apt"
DEBS="$DEST/debs"

# ---------------------------------------------------------------- private apt
mkdir -p "$APTDIR/etc/apt.conf.d" "$APTDIR/etc/sources.list.d" \
         "$APTDIR/etc/preferences.d" "$APTDIR/etc/trusted.gpg.d" \
         "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" \
         "$APTDIR/log" "$DEBS"
[ -e "$APTDIR/status" ] || : >"$APTDIR/status"

cat >"$APTDIR/etc/sources.list" <<EOF
# Private to hypsim's scripts/fetch-linux.sh; not used by the host's apt.
deb [arch=arm64 signed-by=$KEYRING] $MIRROR bookworm main
deb [arch=arm64 signed-by=$KEYRING] $MIRROR bookworm-backports main
EOF

cat >"$APTDIR/apt.conf" <<EOF
// Private to hypsim's scripts/fetch-linux.sh (used through APT_CONFIG).
Dir::Etc::main "$APTDIR/apt.conf";
Dir::Etc::Parts "$APTDIR/etc/apt.conf.d";
Dir::Etc::SourceList "$APTDIR/etc/sources.list";
Dir::Etc::SourceParts "$APTDIR/etc/sources.list.d";
Dir::Etc::Preferences "$APTDIR/etc/preferences";
Dir::Etc::PreferencesParts "$APTDIR/etc/preferences.d";
Dir::Etc::Trusted "$APTDIR/etc/trusted.gpg";
Dir::Etc::TrustedParts "$APTDIR/etc/trusted.gpg.d";
Dir::State "$APTDIR";
Dir::State::Lists "$APTDIR/lists";
Dir::State::status "$APTDIR/status";
Dir::Cache "$APTDIR/cache";
Dir::Cache::archives "$APTDIR/cache/archives";
Dir::Cache::srcpkgcache "";
Dir::Log "$APTDIR/log";
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";
EOF

export APT_CONFIG="$APTDIR/apt.conf"
unset APT_CONFIG_DIR 2>/dev/null || true

have_lists() {
    compgen -G "$APTDIR/lists/*bookworm_main_binary-arm64_Packages*" >/dev/null &&
    compgen -G "$APTDIR/lists/*bookworm-backports_main_binary-arm64_Packages*" >/dev/null
}

T0=$(date +%s)
if [ "$OFFLINE" = 1 ]; then
    have_lists || die "--offline but no package lists in $APTDIR/lists; run once without --offline"
    say "--offline: using the package lists in $APTDIR/lists"
else
    say "apt-get update (private configuration $APT_CONFIG)"
    if ! apt-get -q update >"$APTDIR/log/update.log" 2>&1; then
        if have_lists; then
            sed 's/^/  /' "$APTDIR/log/update.log" | tail -n 5 >&2
            echo "fetch-linux: warning: apt-get update failed; going on with the lists of an earlier run" >&2
        else
            sed 's/^/  /' "$APTDIR/log/update.log" >&2
            die "apt-get update failed (is $MIRROR reachable?)"
        fi
    fi
    # apt-get update exits 0 on some fetch errors; make them visible.
    if grep -Eq '^(W|E|Err):' "$APTDIR/log/update.log"; then
        grep -E '^(W|E|Err):' "$APTDIR/log/update.log" | sed 's/^/  /' >&2
    fi
    have_lists || die "apt-get update left no arm64 package lists in $APTDIR/lists (see $APTDIR/log/update.log)"
fi

# -------------------------------------------------------------- resolution
# Print field $3 of package $1 (apt version spec "pkg/suite" or "pkg=ver").
field() {
    apt-cache show --no-all-versions "$1" 2>/dev/null |
        awk -v f="$2" 'BEGIN { FS = ": " } $0 == "" { exit } $1 == f { sub(/^[^:]*: /, ""); print; exit }'
}

# resolve_kernel SUITE -> "package version"
resolve_kernel() {
    local suite="$1" meta_ver dep pkg ver
    meta_ver="$(field "linux-image-arm64/$suite" Version)"
    [ -n "$meta_ver" ] || die "linux-image-arm64 not found in $suite (arm64 lists: $APTDIR/lists)"
    dep="$(field "linux-image-arm64/$suite" Depends)"
    # First dependency, first alternative: "linux-image-6.1.0-NN-arm64 (= 6.1.x-1)".
    dep="${dep%%,*}"; dep="${dep%%|*}"
    pkg="$(sed -E 's/^[[:space:]]*([^[:space:](]+).*/\1/' <<<"$dep")"
    ver="$(sed -nE 's/.*\(= *([^)[:space:]]+) *\).*/\1/p' <<<"$dep")"
    case "$pkg" in
        linux-image-*-arm64*) ;;
        *) die "linux-image-arm64/$suite ($meta_ver) depends on '$dep', not on a linux-image-*-arm64 package" ;;
    esac
    [ -n "$ver" ] || ver="$meta_ver"
    [ -n "$(field "$pkg=$ver" Package)" ] ||
        die "$pkg (= $ver), needed by linux-image-arm64/$suite, is not in the lists"
    echo "$pkg $ver"
}

# fetch_deb PACKAGE VERSION -> prints the path of the verified .deb
fetch_deb() {
    local pkg="$1" ver="$2" filename sha size deb tmp got
    filename="$(field "$pkg=$ver" Filename)"
    sha="$(field "$pkg=$ver" SHA256)"
    size="$(field "$pkg=$ver" Size)"
    [ -n "$filename" ] && [ -n "$sha" ] || die "no Filename/SHA256 for $pkg=$ver"
    deb="$DEBS/$(basename "$filename")"
    if [ -f "$deb" ] && [ "$(sha256sum "$deb" | cut -d' ' -f1)" = "$sha" ]; then
        say "have $(basename "$deb") (SHA256 ok)" >&2
    else
        rm -f "$deb"
        say "downloading $pkg $ver ($((size / 1024 / 1024)) MiB)" >&2
        tmp="$(mktemp -d "$DEBS/.dl.XXXXXX")"
        # As root, apt downloads as user _apt: let it write here.
        if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
        if ! (cd "$tmp" && apt-get -q download "$pkg=$ver" >"$APTDIR/log/download.log" 2>&1); then
            sed 's/^/  /' "$APTDIR/log/download.log" >&2
            rm -rf "$tmp"
            die "apt-get download $pkg=$ver failed"
        fi
        got="$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n 1)"
        [ -n "$got" ] || { rm -rf "$tmp"; die "apt-get download $pkg=$ver produced no .deb"; }
        [ "$(sha256sum "$got" | cut -d' ' -f1)" = "$sha" ] ||
            { rm -rf "$tmp"; die "SHA256 mismatch for $(basename "$got")"; }
        mv -f "$got" "$deb"
        rm -rf "$tmp"
    fi
    echo "$deb"
}

# Little-endian u32 at byte offset $2 of file $1.
le32() { od -An -v -tu4 -j "$2" -N 4 --endian=little "$1" | tr -d ' '; }

# Describe a kernel image's container format from its first bytes; for a
# PE image also say whether an Authenticode signature (the PE security
# directory, appended at the end of the file) is there.
image_format() {
    local f="$1" head pe sig_off sig_len extra=""
    head="$(od -An -v -tx1 -N 64 "$f" | tr -d ' \n')"
    if [ "${head:0:4}" = 4d5a ]; then
        pe="$(le32 "$f" 60)"
        # PE32+ optional header at pe+24; data directory 4 (security) at +144.
        sig_off="$(le32 "$f" $((pe + 24 + 144)))"
        sig_len="$(le32 "$f" $((pe + 24 + 148)))"
        [ "${sig_len:-0}" -gt 0 ] &&
            extra="+signature($sig_len bytes at $(printf '0x%x' "$sig_off"), file $(stat -c %s "$f") bytes)"
    fi
    case "$head" in
        1f8b*) echo "gzip" ;;
        4d5a????7a696d67*) echo "efi-zboot($(dd if="$f" bs=1 skip=24 count=8 2>/dev/null | tr -d '\0'))$extra" ;;
        *)
            if [ "${head:112:8}" = 41524d64 ]; then
                if [ "${head:0:4}" = 4d5a ]; then echo "raw-Image(EFI-stub)$extra"; else echo "raw-Image"; fi
            else
                echo "unknown(${head:0:16})"
            fi ;;
    esac
}

# extract_kernel TAG PACKAGE VERSION DEB
extract_kernel() {
    local tag="$1" pkg="$2" ver="$3" deb="$4" stamp want scratch kimg krel
    stamp="$DEST/.stamp-$tag"
    want="$pkg $ver $(field "$pkg=$ver" SHA256)"  # fetch_deb checked the file
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
       [ -s "$DEST/vmlinuz-$tag" ] && [ -f "$DEST/modules-$tag/modules.order" ]; then
        say "vmlinuz-$tag and modules-$tag are up to date ($pkg $ver)"
        return
    fi
    say "extracting $(basename "$deb")"
    scratch="$(mktemp -d "$DEST/.x.XXXXXX")"
    dpkg-deb -x "$deb" "$scratch" || { rm -rf "$scratch"; die "dpkg-deb -x $deb failed"; }
    kimg="$(find "$scratch/boot" -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | head -n 1)"
    [ -n "$kimg" ] || { rm -rf "$scratch"; die "$pkg has no boot/vmlinuz-* (is it a metapackage?)"; }
    krel="${kimg##*/vmlinuz-}"
    [ -d "$scratch/lib/modules/$krel" ] ||
        { rm -rf "$scratch"; die "$pkg has no lib/modules/$krel"; }
    rm -rf "$DEST/modules-$tag" "$stamp"
    mv -f "$kimg" "$DEST/vmlinuz-$tag"
    [ -f "$scratch/boot/config-$krel" ] && mv -f "$scratch/boot/config-$krel" "$DEST/config-$tag"
    mv "$scratch/lib/modules/$krel" "$DEST/modules-$tag"
    echo "$krel" >"$DEST/modules-$tag/.release"
    rm -rf "$scratch"
    echo "$want" >"$stamp"
}

extract_busybox() {
    local pkg="$1" ver="$2" deb="$3" stamp want scratch bb elf
    stamp="$DEST/.stamp-busybox"
    want="$pkg $ver $(field "$pkg=$ver" SHA256)"  # fetch_deb checked the file
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$DEST/busybox" ]; then
        say "busybox is up to date ($pkg $ver)"
        return
    fi
    say "extracting $(basename "$deb")"
    scratch="$(mktemp -d "$DEST/.x.XXXXXX")"
    dpkg-deb -x "$deb" "$scratch" || { rm -rf "$scratch"; die "dpkg-deb -x $deb failed"; }
    bb="$scratch/bin/busybox"
    [ -f "$bb" ] || { rm -rf "$scratch"; die "$pkg has no bin/busybox"; }
    # ELF, 64-bit, little-endian, e_machine 0xB7 (AArch64).
    elf="$(od -An -v -tx1 -N 20 "$bb" | tr -d ' \n')"
    [ "${elf:0:10}" = 7f454c4602 ] && [ "${elf:36:4}" = b700 ] ||
        { rm -rf "$scratch"; die "$pkg: bin/busybox is not a 64-bit AArch64 ELF"; }
    if command -v readelf >/dev/null 2>&1 && readelf -lW "$bb" | grep -q 'INTERP'; then
        rm -rf "$scratch"; die "$pkg: bin/busybox is dynamically linked"
    fi
    rm -f "$stamp"
    mv -f "$bb" "$DEST/busybox"
    chmod 0755 "$DEST/busybox"
    rm -rf "$scratch"
    echo "$want" >"$stamp"
}

K61="$(resolve_kernel bookworm)"
K612="$(resolve_kernel bookworm-backports)"
read -r K61_PKG K61_VER <<<"$K61"
read -r K612_PKG K612_VER <<<"$K612"
BB_PKG=busybox-static
BB_VER="$(field "$BB_PKG/bookworm" Version)"
[ -n "$BB_VER" ] || die "$BB_PKG not found in bookworm"
case "$K61_VER" in 6.1.*) ;; *) die "bookworm's kernel is $K61_VER, expected 6.1.x" ;; esac
case "$K612_VER" in 6.12.*) ;; *) echo "fetch-linux: warning: bookworm-backports' kernel is $K612_VER, not 6.12.x" >&2 ;; esac
say "bookworm:           $K61_PKG $K61_VER"
say "bookworm-backports: $K612_PKG $K612_VER"
say "bookworm:           $BB_PKG $BB_VER"

K61_DEB="$(fetch_deb "$K61_PKG" "$K61_VER")"
K612_DEB="$(fetch_deb "$K612_PKG" "$K612_VER")"
BB_DEB="$(fetch_deb "$BB_PKG" "$BB_VER")"

# Drop .debs of earlier runs that no longer match what was resolved.
for f in "$DEBS"/*.deb; do
    [ -e "$f" ] || continue
    case "$f" in "$K61_DEB"|"$K612_DEB"|"$BB_DEB") ;; *) say "removing stale $(basename "$f")"; rm -f "$f" ;; esac
done
rm -rf "$DEBS"/.dl.* "$DEST"/.x.*

extract_kernel 6.1 "$K61_PKG" "$K61_VER" "$K61_DEB"
extract_kernel 6.12 "$K612_PKG" "$K612_VER" "$K612_DEB"
extract_busybox "$BB_PKG" "$BB_VER" "$BB_DEB"

{
    echo "# Written by scripts/fetch-linux.sh; one line per output:"
    echo "# file  package  version  suite  kernel-release  format"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
        vmlinuz-6.1 "$K61_PKG" "$K61_VER" bookworm "$(cat "$DEST/modules-6.1/.release")" "$(image_format "$DEST/vmlinuz-6.1")" \
        vmlinuz-6.12 "$K612_PKG" "$K612_VER" bookworm-backports "$(cat "$DEST/modules-6.12/.release")" "$(image_format "$DEST/vmlinuz-6.12")" \
        busybox "$BB_PKG" "$BB_VER" bookworm - static-aarch64-elf
} >"$DEST/VERSIONS.tmp"
mv -f "$DEST/VERSIONS.tmp" "$DEST/VERSIONS"

say "done in $(( $(date +%s) - T0 )) s; $DEST:"
sed 's/^/  /' "$DEST/VERSIONS"
