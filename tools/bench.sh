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

# Scaling: bhplan check of generated plans (tick in every partition, 2 CPUs, four channels
# per partition up to 1,024), host microseconds per run; into build/bench.json's "scaling"
# object. The kernel-side figures of each row (boot to the first window, partition switch,
# table bytes) are null until partitions run. A plan the check refuses (beyond the plan's
# table sizes, rule plan-limit) gets null too.
bench_dir=$(dirname "$image")
gen_dir=$bench_dir/bench
mkdir -p "$gen_dir"
check_us() { # PLAN.dtb -> us per run (20 runs), or null if the check refuses it
	if ! build/bin/bhplan check "$1" --programs tick >/dev/null; then echo null; return; fi
	local t0 t1
	t0=$(date +%s%N)
	for _ in $(seq 20); do build/bin/bhplan check "$1" --programs tick >/dev/null; done
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 20000 ))
}
rows=()
for n in 1 16 64 256; do
	m=$(( n == 1 ? 0 : (4 * n > 1024 ? 1024 : 4 * n) ))
	build/bin/bhplan generate --partitions $n --cpus 2 --channels $m -o "$gen_dir/scale-$n.dts"
	dtc -q -I dts -O dtb -o "$gen_dir/scale-$n.dtb" "$gen_dir/scale-$n.dts"
	us=$(check_us "$gen_dir/scale-$n.dtb")
	printf '%-40s %s\n' "bhplan check, $n partitions, $m channels (us)" "$us"
	rows+=("{\"partitions\":$n,\"cpus\":2,\"channels\":$m,\"bhplan_check_us\":$us,\"boot_to_first_window_ns\":null,\"partition_switch_insns\":null,\"kernel_table_bytes\":null}")
done
build/bin/bhplan generate --partitions 256 --cpus 8 --channels 1024 --windows 256 -o "$gen_dir/scale-max.dts"
dtc -q -I dts -O dtb -o "$gen_dir/scale-max.dtb" "$gen_dir/scale-max.dts"
max_us=$(check_us "$gen_dir/scale-max.dtb")
printf '%-40s %s\n' "bhplan check, 256 part/8 CPU/1024 ch/256 win (us)" "$max_us"
scaling="{\"rows\":[$(IFS=,; echo "${rows[*]}")],\"max_plan\":{\"partitions\":256,\"cpus\":8,\"channels\":1024,\"windows_per_cpu\":256,\"bhplan_check_us\":$max_us}}"
# Merge into build/bench.json (other sections of it, if any, stay).
python3 - "$bench_dir/bench.json" "$scaling" <<'PY'
import json, os, sys
path, scaling = sys.argv[1], json.loads(sys.argv[2])
data = {}
if os.path.exists(path):
    with open(path) as f:
        data = json.load(f)
data["scaling"] = scaling
with open(path, "w") as f:
    json.dump(data, f, indent=2, sort_keys=True)
    f.write("\n")
PY
echo "wrote $bench_dir/bench.json (scaling)"

