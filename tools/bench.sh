#!/usr/bin/env bash
# Benchmarks: figures, not pass/fail (docs/benchmarks.md). Everything runs under QEMU
# -icount shift=0,align=off,sleep=off: one instruction per ns of virtual time, and the PMU
# cycle counter counts executed instructions, repeatable run to run.
# Usage: bench.sh IMAGE PLANS_DIR BENCH_IMAGE   (BENCH_IMAGE: built with CONFIG_BENCH)
# Writes build/bench.json (next to IMAGE) and prints a table.
set -euo pipefail
image=$1
plans=${2:-build/plans}
bench_image=${3:-build/bench/bulkhead.img}
out_json=$(dirname "$image")/bench.json

qemu() { # qemu SMP IMAGE PLAN BOOTARGS
	timeout 300 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp "$1" -m 512M \
		-nographic -net none -icount shift=0,align=off,sleep=off -kernel "$2" \
		${3:+-initrd "$3"} -append "$4" 2>/dev/null || true
}
# field EVENT-SELECTOR KEY: a number from the first line matching the selector.
field() { grep -F "$1" | head -1 | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }

# 1. System calls and cell switches: one partition, a null-call loop preempted by its
#    watchdog every millisecond.
calls=$(qemu 1 "$bench_image" "$plans/bench-calls.dtb" "loglevel=info runtime_ms=300")
null_syscall=$(field '"pass":"null_syscall"' mean_insns <<<"$calls")
# The round trip as the caller sees it: the pass and the svc instruction itself.
[ -n "$null_syscall" ] && null_syscall=$(( null_syscall + 1 ))
cell_switch=$(field '"pass":"cell_switch"' mean_insns <<<"$calls")
syscall=$(field '"pass":"syscall"' mean_insns <<<"$calls")

# 2. Partition switches at 1 ms windows, over more than 1,000 major frames of 2 ms.
sw=$(qemu 1 "$bench_image" "$plans/bench-switch.dtb" "loglevel=info runtime_ms=2200")
part_switch=$(field '"pass":"partition_switch"' mean_insns <<<"$sw")
kernel_share=$(field '"ev":"bench_total"' kernel_share_ppm <<<"$sw")
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

jitter=$(( ${late_max:-0} - ${late_min:-0} ))
cat >"$out_json" <<JSON
{
  "partition_switch_insns": ${part_switch:-null},
  "null_syscall_insns": ${null_syscall:-null},
  "syscall_insns": ${syscall:-null},
  "cell_switch_insns": ${cell_switch:-null},
  "window_lateness_max_ns": ${late_max:-null},
  "window_lateness_min_ns": ${late_min:-null},
  "window_jitter_ns": ${jitter},
  "frames": ${frames:-null},
  "kernel_share_ppm": ${kernel_share:-null},
  "boot_to_first_window_ns": ${first:-null},
  "bench_epoch_ns": ${epoch:-null},
  "image_bytes": ${image_bytes}
}
JSON
row() { printf '%-28s %12s   %s\n' "$1" "$2" "$3"; }
row "figure" "measured" "target"
row "partition_switch_insns" "${part_switch:-n/a}" "<= 150 (with FP/SIMD state)"
row "null_syscall_insns" "${null_syscall:-n/a}" "<= 60"
row "cell_switch_insns" "${cell_switch:-n/a}" "<= 150"
row "window_lateness_max_ns" "${late_max:-n/a}" ""
row "window_jitter_ns" "$jitter" "0 (over ${frames:-?} frames)"
row "kernel_share_ppm" "${kernel_share:-n/a}" "<= 2000 (1 ms windows)"
row "boot_to_first_window_ns" "${first:-n/a}" ""
row "image_bytes" "$image_bytes" ""
echo "(written to $out_json; method: docs/benchmarks.md)"
