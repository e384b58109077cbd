#!/usr/bin/env bash
# Build the tracked sources twice more, in two other directories, a second apart,
# and check all three images are byte-identical. Usage: check-reproducible.sh IMAGE
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
image=$(realpath "$1")
tmp=$(mktemp -d /tmp/bulkhead-repro.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

build_copy() { # dir
	mkdir -p "$1"
	(cd "$top" && git ls-files -z 2>/dev/null || find . -path ./build -prune -o -type f -print0) |
		(cd "$top" && xargs -0 cp --parents -t "$1")
	cp "$top/.config" "$1/.config"
	mkdir -p "$1/build" && cp -a "$top/build/deps" "$1/build/deps" # packages, not outputs
	# A build of its own, outside the jobserver of a make -jN that runs this script.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$1" -s build/bulkhead.img >/dev/null
}
build_copy "$tmp/first-tree"
sleep 1
build_copy "$tmp/another/place"
a=$(sha256sum <"$image" | cut -d' ' -f1)
b=$(sha256sum <"$tmp/first-tree/build/bulkhead.img" | cut -d' ' -f1)
c=$(sha256sum <"$tmp/another/place/build/bulkhead.img" | cut -d' ' -f1)
if [ "$a" = "$b" ] && [ "$a" = "$c" ]; then
	echo "reproducible: three builds in three directories give $a"
	echo "1 passed, 0 failed"
else
	echo "NOT reproducible: $a $b $c" >&2
	cmp -l "$image" "$tmp/first-tree/build/bulkhead.img" | head >&2 || true
	echo "0 passed, 1 failed"
	exit 1
fi
