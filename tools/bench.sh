#!/usr/bin/env bash
# Benchmarks: figures, not pass/fail (docs/benchmarks.md). Everything runs under QEMU
# -icount shift=0,align=off,sleep=off: one instruction per ns of virtual time, and the PMU
# cycle counter counts executed instructions, repeatable run to run.
# Usage: bench.sh IMAGE PLANS_DIR BENCH_IMAGE   (BENCH_IMAGE: built with CONFIG_BENCH)
# Writes build/bench.json (next to IMAGE) and prints a table, then the boot cost and the
# plan checker's scaling (merged into build/bench.json as "scaling").
set -euo pipefail
image=$1
plans=${2:-build/plans}
bench_image=${3:-build/bench-image/bulkhead.img}
out_json=$(dirname "$image")/bench.json

qemu() { # qemu SMP IMAGE PLAN BOOTARGS
	timeout 300 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp "$1" -m 512M \
		-nographic -net none -icount shift=0,align=off,sleep=off ${QEMU_RTC:+-rtc "$QEMU_RTC"} \
		-kernel "$2" ${3:+-initrd "$3"} -append "$4" 2>/dev/null || true
}
# field EVENT-SELECTOR KEY: a number from the first line matching the selector.
field() { grep -F "$1" | head -1 | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" || true; }

# 1. System calls and cell switches: one partition, a null-call loop preempted by its
#    watchdog every millisecond.
calls=$(qemu 1 "$bench_image" "$plans/bench-calls.dtb" "loglevel=info runtime_ms=300")
null_syscall=$(field '"pass":"null_syscall"' mean_insns <<<"$calls")
# The round trip as the caller sees it: the pass and the svc instruction itself.
[ -n "$null_syscall" ] && null_syscall=$(( null_syscall + 1 ))
cell_switch=$(field '"pass":"cell_switch"' mean_insns <<<"$calls")
syscall=$(field '"pass":"syscall"' mean_insns <<<"$calls")

# 2. Partition switches at 1 ms windows, over more than 1,000 major frames of 4 ms. Half
#    of them resume what the partition ran (partition_switch), half have work due at the
#    window start (partition_switch_due: the watchdog's release, the monitor's look).
sw=$(qemu 1 "$bench_image" "$plans/bench-switch.dtb" "loglevel=info runtime_ms=4200")
part_switch=$(field '"pass":"partition_switch"' mean_insns <<<"$sw")
part_switch_due=$(field '"pass":"partition_switch_due"' mean_insns <<<"$sw")
# The least and the most over the run: equal (give or take the first window's own
# bookkeeping) when every switch takes the same path.
part_switch_min=$(field '"pass":"partition_switch"' min_insns <<<"$sw")
part_switch_max=$(field '"pass":"partition_switch"' max_insns <<<"$sw")
kernel_share=$(field '"ev":"bench_total"' kernel_share_ppm <<<"$sw")
# Its cell switches are all the watchdog's periodic_wait handing the CPU back to the
# driver (in bench-calls that pass is hidden behind the driver's next null call).
cell_switch_wait=$(field '"pass":"cell_switch_call"' mean_insns <<<"$sw")
frames=$(field '"ev":"sched_stats"' frames <<<"$sw")
late_max=$(field '"ev":"sched_stats"' lateness_max_ns <<<"$sw")
late_min=$(field '"ev":"sched_stats"' lateness_min_ns <<<"$sw")
epoch=$(field '"ev":"bench_total"' epoch_ns <<<"$sw")

# 3. The default image and plan (2 CPUs): boot to the first window, window lateness.
demo=$(qemu 2 "$image" "" "loglevel=debug runtime_ms=100")
demo_epoch=$(field '"ev":"schedule_start"' epoch_ns <<<"$demo")
demo_first=$(field '"ev":"window"' actual_ns <<<"$demo")
first=$(( ${demo_epoch:-0} + ${demo_first:-0} ))
image_bytes=$(stat -c %s "$image")

# 4. Ports (configs/plans/bench-ports.dts, the default image: no stamps in the kernel):
#    each side measures its own operation, 64-byte messages, both on CPU 0.
ports=$(qemu 1 "$image" "$plans/bench-ports.dtb" "loglevel=info runtime_ms=120")
pfield() { sed -n "s/.*bench_ports: $1 \([0-9]*\)\".*/\1/p" <<<"$ports" | head -1; }
s_write=$(pfield sampling_write_64b_insns)
s_read=$(pfield sampling_read_64b_insns)
q_send=$(pfield queuing_send_64b_insns)
q_recv=$(pfield queuing_recv_64b_insns)
sampling_wr=null
queuing_same=null
[ -n "$s_write" ] && [ -n "$s_read" ] && sampling_wr=$(( s_write + s_read ))
[ -n "$q_send" ] && [ -n "$q_recv" ] && queuing_same=$(( q_send + q_recv ))
# 5. A queuing message across CPUs (configs/plans/bench-xcpu.dts, 2 CPUs): from the send
#    on CPU 0 until the receiver waiting on CPU 1 has it (woken by the channel's SGI).
xcpu=$(qemu 2 "$image" "$plans/bench-xcpu.dtb" "loglevel=info runtime_ms=60")
queuing_sr=$(sed -n 's/.*bench_ports: queuing_send_recv_xcpu_insns \([0-9]*\)".*/\1/p' <<<"$xcpu" | head -1)
queuing_sr=${queuing_sr:-null}

# 6. A device interrupt to the cell waiting for it (configs/plans/bench-irq.dts): the PL031's
#    alarm, once a second of virtual time, wakes the driver from irq_wait in its window.
#    The RTC runs on the virtual clock, so its seconds are the run's.
irq=$(QEMU_RTC=clock=vm qemu 1 "$bench_image" "$plans/bench-irq.dtb" "loglevel=info runtime_ms=5200")
irq_to_cell=$(field '"pass":"irq_to_cell"' mean_insns <<<"$irq")

jitter=$(( ${late_max:-0} - ${late_min:-0} ))
cat >"$out_json" <<JSON
{
  "partition_switch_insns": ${part_switch:-null},
  "partition_switch_min_insns": ${part_switch_min:-null},
  "partition_switch_max_insns": ${part_switch_max:-null},
  "partition_switch_due_insns": ${part_switch_due:-null},
  "null_syscall_insns": ${null_syscall:-null},
  "syscall_insns": ${syscall:-null},
  "cell_switch_insns": ${cell_switch:-null},
  "cell_switch_wait_insns": ${cell_switch_wait:-null},
  "window_lateness_max_ns": ${late_max:-null},
  "window_lateness_min_ns": ${late_min:-null},
  "window_jitter_ns": ${jitter},
  "frames": ${frames:-null},
  "kernel_share_ppm": ${kernel_share:-null},
  "boot_to_first_window_ns": ${first:-null},
  "bench_epoch_ns": ${epoch:-null},
  "sampling_write_read_64b_insns": ${sampling_wr},
  "queuing_send_recv_insns": ${queuing_sr},
  "irq_to_cell_insns": ${irq_to_cell:-null},
  "queuing_send_recv_same_cpu_insns": ${queuing_same},
  "image_bytes": ${image_bytes}
}
JSON
row() { printf '%-28s %12s   %s\n' "$1" "$2" "$3"; }
row "figure" "measured" "target"
row "partition_switch_insns" "${part_switch:-n/a}" "<= 150 (with FP/SIMD state; min ${part_switch_min:-?}, max ${part_switch_max:-?})"
row "  with work due" "${part_switch_due:-n/a}" "(a release and the health monitor's look at the window start)"
row "null_syscall_insns" "${null_syscall:-n/a}" "<= 60"
row "cell_switch_insns" "${cell_switch:-n/a}" "<= 150"
row "  by periodic_wait" "${cell_switch_wait:-n/a}" "(bench-switch: the watchdog's wait back to its driver)"
row "window_lateness_max_ns" "${late_max:-n/a}" ""
row "window_jitter_ns" "$jitter" "0 (over ${frames:-?} frames)"
row "kernel_share_ppm" "${kernel_share:-n/a}" "<= 2000 (1 ms windows)"
row "boot_to_first_window_ns" "${first:-n/a}" ""
row "sampling_write_read_64b_insns" "${sampling_wr}" "<= 300 (write ${s_write:-?} + read ${s_read:-?})"
row "queuing_send_recv_insns" "${queuing_sr}" "<= 600 (CPU 0 to a waiting receiver on CPU 1)"
row "  same CPU, no wait" "${queuing_same}" "(send ${q_send:-?} + recv ${q_recv:-?})"
row "irq_to_cell_insns" "${irq_to_cell:-n/a}" "<= 250"
row "image_bytes" "$image_bytes" ""
echo "(written to $out_json; method: docs/benchmarks.md)"

# Boot cost and the plan checker on the host.
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

# Scaling: generated plans (tick in every partition, 2 CPUs, as many channels as
# partitions), at 1, 4, 16, 64 and 256 partitions, into build/bench.json's "scaling"
# object. Per row: the host's bhplan check (us per run); and bare metal in 512 MiB:
# boot to the first window (default image, debug level: schedule_start's epoch + the
# first window's actual_ns), the kernel's tables (the plan's table_bytes + the run-time
# kernel_tables bytes), and the mean partition switch (bench image, below). One
# partition has no partition switch (its windows follow one another): null there; the
# 4-partition row is the base the switch is compared with. A plan the check refuses
# gets null too.
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
num() { [ -n "$1" ] && echo "$1" || echo null; }
# A generated plan made to spin: program spin (its driver never waits, so aperiodic), no
# health-monitor node, no channels.
spinify() {
	python3 - "$1" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = text.replace('image = "tick"', 'image = "spin"').replace('entry = "tick_main"', 'entry = "spin_main"')
text = re.sub(r'(entry = "spin_main";\n(?:\t+[^\n]*\n)*?)\t+period-us = <\d+>;\n\t+wcet-us = <\d+>;\n', r'\1', text)
text = re.sub(r'\t+health-monitor \{.*?\};\n', '', text, flags=re.S)
text = re.sub(r'\tchannels \{.*?\n\t\};\n', '', text, flags=re.S)
open(path, 'w').write(text)
PY
}
rows=()
printf '%-12s %10s %14s %12s %14s\n' "partitions" "check_us" "boot_to_1st_ns" "switch_insns" "table_bytes"
for n in 1 4 16 64 256; do
	m=$(( n == 1 ? 0 : n ))
	build/bin/bhplan generate --partitions $n --cpus 2 --channels $m -o "$gen_dir/scale-$n.dts"
	dtc -q -I dts -O dtb -o "$gen_dir/scale-$n.dtb" "$gen_dir/scale-$n.dts"
	us=$(check_us "$gen_dir/scale-$n.dtb")
	# Loading takes about 2.4 ms per partition (its 1 MiB zeroed); the frame is in the
	# generated plan's header comment.
	frame_us=$(sed -n 's/.*the major frame is \([0-9]*\) us.*/\1/p' "$gen_dir/scale-$n.dts" | head -1)
	frame_ms=$(( (${frame_us:-100000} + 999) / 1000 ))
	boot=$(qemu 2 "$image" "$gen_dir/scale-$n.dtb" "loglevel=debug runtime_ms=$(( 50 + 3 * n + 2 * frame_ms ))")
	s_epoch=$(field '"ev":"schedule_start"' epoch_ns <<<"$boot")
	s_first=$(field '"ev":"window"' actual_ns <<<"$boot")
	plan_bytes=$(field '"ev":"plan"' table_bytes <<<"$boot")
	run_bytes=$(field '"ev":"kernel_tables"' bytes <<<"$boot")
	first_ns=; table_bytes=
	[ -n "$s_epoch" ] && [ -n "$s_first" ] && first_ns=$(( s_epoch + s_first ))
	[ -n "$plan_bytes" ] && [ -n "$run_bytes" ] && table_bytes=$(( plan_bytes + run_bytes ))
	# The switch: the same n partitions all on CPU 0 (bench image, 2 CPUs), each running
	# spin, so the timer takes CPU 0 from one partition straight to the next at every
	# window (tick's cells finish early and the CPU idles, which is not a switch).
	switch=
	if [ "$n" -gt 1 ]; then
		build/bin/bhplan generate --partitions $n --cpus 1 --channels 0 -o "$gen_dir/spin-$n.dts"
		spinify "$gen_dir/spin-$n.dts"
		dtc -q -I dts -O dtb -o "$gen_dir/spin-$n.dtb" "$gen_dir/spin-$n.dts"
		sw=$(qemu 2 "$bench_image" "$gen_dir/spin-$n.dtb" "loglevel=info runtime_ms=$(( 50 + 3 * n + 4 * n ))")
		# Each partition has one window a frame and its watchdog is released at it:
		# every switch has work due.
		switch=$(field '"pass":"partition_switch_due"' mean_insns <<<"$sw")
	fi
	printf '%-12s %10s %14s %12s %14s\n' "$n" "$us" "${first_ns:-n/a}" "${switch:-n/a}" "${table_bytes:-n/a}"
	rows+=("{\"partitions\":$n,\"cpus\":2,\"channels\":$m,\"bhplan_check_us\":$us,\"boot_to_first_window_ns\":$(num "$first_ns"),\"partition_switch_insns\":$(num "$switch"),\"kernel_table_bytes\":$(num "$table_bytes"),\"plan_table_bytes\":$(num "$plan_bytes"),\"run_table_bytes\":$(num "$run_bytes")}")
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

