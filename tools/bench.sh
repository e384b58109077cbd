#!/usr/bin/env bash
# Benchmarks: figures, not pass/fail. Boot cost measured under QEMU icount (shift=0:
# one instruction per ns of virtual time, repeatable run to run), image size.
# Usage: bench.sh IMAGE
set -euo pipefail
image=$1
printf '%-40s %s\n' "image size (bytes, incl. header)" "$(stat -c %s "$image")"
printf '%-40s %s\n' "image memory footprint (bytes, incl. bss)" \
	"$(od -An -t u8 -j 16 -N 8 "$image" | tr -d ' ')"
for smp in 1 4; do
	for gic in 2 3; do
		line=$(timeout 60 qemu-system-aarch64 -M virt,gic-version=$gic -cpu cortex-a57 -smp $smp \
			-m 512M -nographic -net none -icount shift=0,align=off,sleep=off \
			-kernel "$image" -append "loglevel=info runtime_ms=10" 2>/dev/null | grep '"boot_done"' || true)
		ns=$(sed -n 's/.*"boot_ns":\([0-9]*\).*/\1/p' <<<"$line")
		printf '%-40s %s\n' "boot to boot_done, GICv$gic, $smp CPU (virtual ns)" "${ns:-n/a}"
	done
done
