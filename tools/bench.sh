#!/usr/bin/env bash
# Benchmarks: figures, not pass/fail. Boot cost measured under QEMU icount (shift=0:
# one instruction per ns of virtual time, repeatable run to run), image size.
# Usage: bench.sh IMAGE [PLANS_DIR]
set -euo pipefail
image=$1
plans=${2:-build/plans}
printf '%-40s %s\n' "image size (bytes, incl. header)" "$(stat -c %s "$image")"
printf '%-40s %s\n' "image memory footprint (bytes, incl. bss)" \
	"$(od -An -t u8 -j 16 -N 8 "$image" | tr -d ' ')"
for smp in 1 4; do
	# The built-in demo plan needs 2 CPUs; one CPU boots the single-partition plan.
	initrd=()
	if [ "$smp" = 1 ]; then initrd=(-initrd "$plans/single.dtb"); fi
	for gic in 2 3; do
		out=$(timeout 60 qemu-system-aarch64 -M virt,gic-version=$gic -cpu cortex-a57 -smp $smp \
			-m 512M -nographic -net none -icount shift=0,align=off,sleep=off \
			-kernel "$image" "${initrd[@]}" -append "loglevel=info runtime_ms=10" 2>/dev/null || true)
		ns=$(sed -n 's/.*"ev":"boot_done".*"boot_ns":\([0-9]*\).*/\1/p' <<<"$out")
		printf '%-40s %s\n' "boot to boot_done, GICv$gic, $smp CPU (virtual ns)" "${ns:-n/a}"
		if [ "$smp" = 4 ] && [ "$gic" = 3 ]; then
			t0=$(sed -n 's/^{"ts":\([0-9]*\),.*"ev":"platform".*/\1/p' <<<"$out")
			t1=$(sed -n 's/^{"ts":\([0-9]*\),.*"ev":"plan".*/\1/p' <<<"$out")
			printf '%-40s %s\n' "demo plan parse+check+platform (vns)" \
				"$(( ${t1:-0} - ${t0:-0} )) (incl. one log line)"
		fi
	done
done
demo=$plans/demo.dtb
start=$(date +%s%N)
for _ in $(seq 100); do build/bin/bhplan check "$demo" >/dev/null; done
printf '%-40s %s\n' "bhplan check demo.dtb (host, us per run)" \
	"$(( ($(date +%s%N) - start) / 100000 ))"

