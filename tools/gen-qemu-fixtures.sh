#!/usr/bin/env bash
# Regenerate the QEMU-dumped device-tree fixtures in tests/fixtures/dt/ as .dts text
# (reviewable, diffable; the test build compiles them with dtc). Run by hand when the
# QEMU version changes; the tests do not depend on running this.
set -euo pipefail
out=$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures/dt
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gen() { # name gic smp virtualization
	local name=$1 gic=$2 smp=$3 virt=$4
	qemu-system-aarch64 -M "virt,gic-version=$gic,virtualization=$virt,dumpdtb=$tmp/$name.dtb" \
		-cpu cortex-a57 -smp "$smp" -m 512M -nographic -net none \
		>/dev/null
	dtc -q -I dtb -O dts -o "$out/$name.dts" "$tmp/$name.dtb"
}
gen qemu-virt-gicv2-1cpu 2 1 off
gen qemu-virt-gicv2-2cpu 2 2 off
gen qemu-virt-gicv3-1cpu 3 1 off
gen qemu-virt-gicv3-4cpu 3 4 off
gen qemu-virt-gicv3-8cpu 3 8 off
gen qemu-virt-gicv3-4cpu-el2 3 4 on
gen qemu-virt-gicv2-4cpu-el2 2 4 on
