#!/usr/bin/env bash
# Install every build, run and test dependency of Bulkhead from Debian's packages.
# Idempotent: a second run does nothing but check. Needs root (or sudo) only when
# something is missing.
#
# Host packages go in through apt-get. The target libfdt (libfdt-dev:arm64) cannot be
# installed beside the host libfdt-dev (not Multi-Arch: same), so its .deb is downloaded
# and extracted into build/deps/arm64 (see shared notes, platform facts); likewise
# BearSSL's arm64 archive (libbearssl-dev:arm64) for SHA-256. The same goes
# for the arm64 Xen hypervisor the Xen runner boots (xen-hypervisor-4.17-arm64): it is
# extracted, never installed. Xen's public headers (libxen-dev, arch independent) are
# reached by the kernel build through build/deps/xen-include/xen only, so the kernel
# never sees the rest of /usr/include.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/build/deps"

host_pkgs=(
	make gcc gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	qemu-system-arm device-tree-compiler libfdt-dev libcriterion-dev
	python3 python3-kconfiglib pkg-config libxen-dev libbearssl-dev picolibc-aarch64-linux-gnu
)

# --fuzz: only what make fuzz needs (clang's libFuzzer and sanitizers).
if [ "${1:-}" = "--fuzz" ]; then
	host_pkgs=(clang-14 libclang-rt-14-dev libfdt-dev libbearssl-dev)
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

missing=()
for p in "${host_pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

updated=0
apt_update() {
	if [ "$updated" = 0 ]; then
		$SUDO apt-get update -qq
		updated=1
	fi
}

if [ "${#missing[@]}" -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}" >&2
	apt_update
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# extract_arm64 PACKAGE FILE: download PACKAGE:arm64 and unpack it into build/deps/arm64
# unless FILE (relative to it) is already there.
extract_arm64() {
	local pkg=$1 file=$2
	if [ -f "$deps/arm64/$file" ]; then
		return 0
	fi
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
		updated=0
	fi
	apt_update
	mkdir -p "$deps/arm64" "$deps/debs"
	rm -f "$deps/debs/${pkg}"_*_arm64.deb
	# apt's sandbox user cannot write into the build folder: download as ourselves.
	(cd "$deps/debs" && apt-get download -qq -o APT::Sandbox::User=root "$pkg:arm64" >&2)
	for deb in "$deps/debs/${pkg}"_*_arm64.deb; do
		dpkg -x "$deb" "$deps/arm64"
	done
	test -f "$deps/arm64/$file"
}

if [ "${1:-}" = "--fuzz" ]; then
	exit 0
fi

extract_arm64 libfdt-dev usr/lib/aarch64-linux-gnu/libfdt.a
extract_arm64 libbearssl-dev usr/lib/aarch64-linux-gnu/libbearssl.a
extract_arm64 xen-hypervisor-4.17-arm64 boot/xen-4.17-arm64

mkdir -p "$deps/xen-include"
ln -sfn /usr/include/xen "$deps/xen-include/xen"
test -f "$deps/xen-include/xen/sched.h"
exit 0
