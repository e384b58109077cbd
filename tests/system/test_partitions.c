/*
 * System tests of partitions running: the demo's frames and output, window traces that
 * repeat under virtual time, a spinning partition, FP/SIMD state across switches, and
 * faults contained. Bare metal, QEMU in virtual time (-icount): every figure below is a
 * count of events, never a duration measured on the host.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu.h"
#include "trace.h"

#define PROGRAMS BH_BUILD "/partitions"

static bool is(const struct jobj *e, const char *ev)
{
	return !strcmp(jobj_str(e, "ev"), ev);
}

/* Events ev of partition part (NULL: any), whose text (if prefix) starts with prefix. */
static int count_of(const struct qemu_run *r, const char *ev, const char *part, const char *prefix)
{
	int n = 0;

	for (int i = 0; i < r->n_events; i++) {
		const struct jobj *e = &r->events[i];

		if (!is(e, ev) || (part && strcmp(jobj_str(e, "partition"), part)))
			continue;
		if (prefix && strncmp(jobj_str(e, "text"), prefix, strlen(prefix)))
			continue;
		n++;
	}
	return n;
}

static int level_count(const struct qemu_run *r, const char *lvl)
{
	int n = 0;

	for (int i = 0; i < r->n_events; i++)
		n += !strcmp(jobj_str(&r->events[i], "lvl"), lvl);
	return n;
}

static void boot_plan(const char *plan, const char *append, struct qemu_run *r)
{
	struct qemu_opts o = { .gic = 3, .smp = 2, .append = append, .initrd = plan };

	qemu_boot(&o, r);
	run_dump(r);
	cr_assert_not(r->timed_out, "QEMU did not stop by itself");
	cr_assert_eq(r->exit_status, 0);
	cr_assert_eq(r->n_other, 0, "every console line is one JSON object");
	cr_assert_eq(run_count(r, "shutdown"), 1);
}

/* The built-in demo: three partitions, each loaded from its own measured program, each
 * printing once per job its plan gives it. */
Test(partitions, demo_runs_its_frames_and_every_partition_prints, .timeout = 180)
{
	static const char *const names[] = { "sensors", "logger", "actuators" };
	static const char *const images[] = { "demo-sensors", "demo-logger", "demo-actuators" };
	struct qemu_run r;

	boot_plan(NULL, "loglevel=debug runtime_ms=300", &r);
	cr_assert_eq(level_count(&r, "warn") + level_count(&r, "error"), 0,
		     "no fault, deadline miss or violation in the demo");
	cr_assert_eq(run_count(&r, "partition_start"), 3);
	for (int i = 0; i < 3; i++) {
		const struct jobj *s = run_find(&r, "partition_start", i);
		char path[128];

		cr_assert_str_eq(jobj_str(s, "partition"), names[i]);
		cr_assert_str_eq(jobj_str(s, "image"), images[i]);
		snprintf(path, sizeof(path), PROGRAMS "/%s.elf", images[i]);
		assert_sha256_of(jobj_str(s, "sha256"), path);
	}

	/* CPU 1: one actuators window per frame, one job per window, one line per job. Its
	 * window events are printed when it idles: the one open at the power-off may be
	 * missing (CPU 0's are printed at shutdown). */
	int act_windows = count_of(&r, "window", "actuators", NULL);
	int actuations = count_of(&r, "print", "actuators", "actuate ");
	cr_assert_geq(act_windows, 10, "the schedule ran for many frames");
	cr_assert(actuations == act_windows || actuations == act_windows + 1, "%d actuations, %d windows",
		  actuations, act_windows);
	/* CPU 0: two sensors windows per frame, one 10 ms job each; one sample in ten. */
	int sens_windows = count_of(&r, "window", "sensors", NULL);
	cr_assert_eq(count_of(&r, "print", "sensors", "sample "), (sens_windows + 9) / 10);
	cr_assert_eq(count_of(&r, "print", "sensors", "sensors: sampling"), 1);
	/* The logger wakes every 20 ms (its first window only starts it). */
	int log_windows = count_of(&r, "window", "logger", NULL);
	cr_assert_eq(count_of(&r, "print", "logger", "log "), log_windows - 1);
	cr_assert(sens_windows == 2 * log_windows || sens_windows == 2 * log_windows + 1,
		  "sensors has two windows per frame, logger one between them");

	/* One sched_stats per scheduled CPU, agreeing with the windows logged. */
	cr_assert_eq(run_count(&r, "sched_stats"), 2);
	for (int i = 0; i < 2; i++) {
		const struct jobj *s = run_find(&r, "sched_stats", i);
		uint64_t cpu = jobj_u64(s, "target", 99);

		uint64_t w = jobj_u64(s, "windows", 0);

		if (cpu == 0)
			cr_assert_eq(w, (uint64_t)(sens_windows + log_windows));
		else
			cr_assert(w == (uint64_t)act_windows || w == (uint64_t)act_windows + 1);
		cr_assert_lt(jobj_u64(s, "idle_ppm", 1000000), 1000000);
	}
	qemu_run_free(&r);
}

/* The window events of a run of frames below max_frame, sorted. Returns the highest
 * frame seen. */
static uint64_t window_trace(const struct qemu_run *r, uint64_t max_frame, struct trace *t)
{
	uint64_t last = 0;

	for (int i = 0; i < r->n_events; i++) {
		const struct jobj *e = &r->events[i];
		uint64_t frame = jobj_u64(e, "frame", 0);

		if (!is(e, "window"))
			continue;
		if (frame > last)
			last = frame;
		if (t && frame < max_frame)
			trace_add_window(t, e, true);
	}
	if (t)
		trace_sort(t);
	return last;
}

/* The same plan twice in virtual time: the same windows, each starting at the same
 * virtual ns (within trace.h's slack: QEMU's interleaving of the two CPUs). The last
 * frames are left out: where each CPU is when the boot CPU powers off depends on how
 * QEMU interleaves the two (on the host's clock). */
Test(partitions, window_traces_repeat_under_virtual_time, .timeout = 240)
{
	struct trace a = { 0 }, b = { 0 };
	struct qemu_run r1, r2;
	struct qemu_opts o = { .gic = 3, .smp = 2, .append = "loglevel=debug runtime_ms=200",
			       .rtc = "base=2026-01-01T00:00:00,clock=vm" };

	qemu_boot(&o, &r1);
	run_dump(&r1);
	qemu_boot(&o, &r2);
	cr_assert_eq(r1.exit_status, 0);
	cr_assert_eq(r2.exit_status, 0);
	uint64_t last1 = window_trace(&r1, 0, NULL), last2 = window_trace(&r2, 0, NULL);
	uint64_t frames = (last1 < last2 ? last1 : last2);

	(void)window_trace(&r1, frames, &a);
	(void)window_trace(&r2, frames, &b);
	cr_assert_geq(a.n, 20, "enough windows to compare");
	trace_assert_same(&b, &a, "the second run");
	trace_free(&a);
	trace_free(&b);
	qemu_run_free(&r1);
	qemu_run_free(&r2);
}

/* spin never gives the CPU back; it still gets exactly its windows, and sensors all of
 * its own (frame 10 ms: spin 0-5, sensors 5-10). */
Test(partitions, a_spinning_partition_gets_exactly_its_windows, .timeout = 180)
{
	struct qemu_run r;
	uint64_t expect_frame = 0;
	int windows = 0;

	boot_plan(BH_PLANS "/test-spin.dtb", "loglevel=debug runtime_ms=160", &r);
	cr_assert_eq(count_of(&r, "print", "spin", "spin: spinning forever"), 1);
	for (int i = 0; i < r.n_events; i++) {
		const struct jobj *e = &r.events[i];

		if (!is(e, "window"))
			continue;
		bool first = windows % 2 == 0;

		cr_assert_str_eq(jobj_str(e, "partition"), first ? "spin" : "sensors", "window %d", windows);
		cr_assert_eq(jobj_u64(e, "frame", 99), expect_frame);
		cr_assert_eq(jobj_u64(e, "planned_ns", 0), expect_frame * 10000000 + (first ? 0 : 5000000));
		expect_frame += !first;
		windows++;
	}
	cr_assert_geq(windows, 10);
	cr_assert_eq(count_of(&r, "print", "sensors", "sample "), windows / 2,
		     "sensors samples once in every one of its windows");
	cr_assert_eq(run_count(&r, "deadline_miss"), 0);
	qemu_run_free(&r);
}

/* The same across CPUs: spin alone on CPU 1 must take nothing from steady, alone on CPU 0
 * (program tick: "tick steady N" once per job), both windows opening at the frame's start
 * (frame 100 ms: steady 0-50 on CPU 0, spin 0-100 on CPU 1). Steady must run and print in
 * its windows, its jobs in order, and both partitions stay normal. This run keeps real
 * time with one host thread per CPU: under -icount QEMU runs the CPUs one after the other
 * on one clock, so a CPU that spins takes the other's virtual time, and there steady never
 * runs (docs/building.md, "Two CPUs under -icount"). The bounds are generous for a loaded host,
 * which can hold up CPU 0's thread for a whole window: 50 ms windows for a job of a few
 * thousand instructions, deadline and heartbeat misses ignored by the plan, and steady
 * must print in at least half of its windows (under -icount it prints in none). Suite
 * real_time: make test runs it after the icount runs, with the Xen ones, one at a time. */
Test(real_time, a_spinning_partition_takes_nothing_from_another_cpu, .timeout = 180)
{
	struct qemu_opts o = { .gic = 3, .smp = 2, .real_time = true,
			       .append = "loglevel=debug runtime_ms=1500",
			       .initrd = BH_PLANS "/test-spin-xcpu.dtb" };
	struct qemu_run r;
	unsigned int ticks = 0, windows = 0;

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out, "QEMU did not stop by itself");
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "shutdown"), 1);
	cr_assert_eq(count_of(&r, "print", "spin", "spin: spinning forever"), 1, "spin spun");
	for (int i = 0; i < r.n_events; i++) {
		const struct jobj *e = &r.events[i];
		unsigned int k;

		if (is(e, "window") && !strcmp(jobj_str(e, "partition"), "steady")) {
			cr_assert_eq(jobj_u64(e, "cpu", 99), 0);
			windows++;
		}
		if (!is(e, "print") || strcmp(jobj_str(e, "partition"), "steady") ||
		    sscanf(jobj_str(e, "text"), "tick steady %u", &k) != 1)
			continue;
		cr_assert_eq(k, ticks, "steady's jobs in order, none lost");
		ticks++;
	}
	cr_assert_geq(windows, 10, "steady had its windows");
	cr_assert_geq(2 * ticks, windows, "steady printed in %u of its %u windows", ticks, windows);
	for (int i = 0; i < 2; i++)
		cr_assert_str_eq(jobj_str(run_find(&r, "hm_stats", i), "state"), "normal");
	qemu_run_free(&r);
}

/* Two partitions hold different values in every FP/SIMD register, FPCR and x19-x28
 * while being switched every millisecond. */
Test(partitions, fp_simd_state_is_kept_per_partition_across_switches, .timeout = 180)
{
	struct qemu_run r;

	boot_plan(BH_PLANS "/test-fpu.dtb", "loglevel=info runtime_ms=250", &r);
	cr_assert_eq(count_of(&r, "print", "fpu-a", "fpu-check: 16 rounds, 0 errors"), 1);
	cr_assert_eq(count_of(&r, "print", "fpu-b", "fpu-check: 16 rounds, 0 errors"), 1);
	cr_assert_eq(count_of(&r, "print", NULL, "fpu-check: round"), 0, "no register changed");
	const struct jobj *s = run_find(&r, "sched_stats", 0);
	cr_assert_geq(jobj_u64(s, "windows", 0), 64, "the rounds spanned many switches");
	cr_assert_geq(jobj_u64(s, "fast_windows", 0), 16, "many of them started by the IRQ vector itself");
	qemu_run_free(&r);
}

/* The window fast path (docs/architecture.md) changes how a window starts, not which:
 * the same plan with it and without it (fastwin=off) runs the same frames and windows,
 * each on time, and the partitions print the same. */
Test(partitions, the_window_fast_path_starts_the_same_windows, .timeout = 240)
{
	static const char *const fields[] = { "frames", "windows", "lateness_max_ns" };
	struct qemu_run on, off;

	boot_plan(BH_PLANS "/test-fpu.dtb", "loglevel=info runtime_ms=250", &on);
	boot_plan(BH_PLANS "/test-fpu.dtb", "loglevel=info runtime_ms=250 fastwin=off", &off);
	for (unsigned int c = 0; c < 2; c++) {
		const struct jobj *a = run_find(&on, "sched_stats", (int)c), *b = run_find(&off, "sched_stats", (int)c);

		if (!a || !b) {
			cr_assert_eq(a, b, "the same CPUs scheduled");
			continue;
		}
		for (unsigned int i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			cr_assert_eq(jobj_u64(a, fields[i], 1), jobj_u64(b, fields[i], 2), "CPU %u: %s", c,
				     fields[i]);
		cr_assert_eq(jobj_u64(b, "fast_windows", 1), 0, "fastwin=off: none by the vector");
	}
	cr_assert_gt(jobj_u64(run_find(&on, "sched_stats", 0), "fast_windows", 0), 0);
	cr_assert_eq(count_of(&on, "print", NULL, NULL), count_of(&off, "print", NULL, NULL));
	cr_assert_eq(count_of(&on, "print", "fpu-a", "fpu-check: 16 rounds, 0 errors"), 1);
	cr_assert_eq(count_of(&off, "print", "fpu-a", "fpu-check: 16 rounds, 0 errors"), 1);
	cr_assert_eq(count_of(&on, "hm", NULL, NULL) + count_of(&off, "hm", NULL, NULL), 0);
	qemu_run_free(&on);
	qemu_run_free(&off);
}

/* plan at info level with args, with the window fast path (on) and without (off,
 * fastwin=off): CPU 0 runs the same frames and windows both ways; *a, *b its
 * sched_stats. */
static void boot_fast_and_not(const char *plan, const char *args, struct qemu_run *on,
			      struct qemu_run *off, const struct jobj **a, const struct jobj **b)
{
	char append[128];

	snprintf(append, sizeof(append), "loglevel=info %s", args);
	boot_plan(plan, append, on);
	snprintf(append, sizeof(append), "loglevel=info %s fastwin=off", args);
	boot_plan(plan, append, off);
	*a = run_find(on, "sched_stats", 0);
	*b = run_find(off, "sched_stats", 0);
	cr_assert(*a && *b);
	cr_assert_eq(jobj_u64(*a, "frames", 1), jobj_u64(*b, "frames", 2));
	cr_assert_eq(jobj_u64(*a, "windows", 1), jobj_u64(*b, "windows", 2));
}

/* The release step (docs/architecture.md): a watchdog released inside its partition's
 * window preempts the driver from the IRQ vector, which the kernel hears of afterwards.
 * The same plan without the fast path (fastwin=off) runs the same frames and windows,
 * every driver's FP/SIMD and callee-saved registers survive the preemptions, and no
 * job misses its deadline. */
Test(partitions, the_release_step_preempts_as_the_kernel_would, .timeout = 240)
{
	struct qemu_run on, off;

	const struct jobj *a, *b;

	boot_fast_and_not(BH_PLANS "/test-release.dtb", "runtime_ms=120", &on, &off, &a, &b);
	/* fpu-a's watchdog is released inside its window once a frame while its driver
	 * runs (the first 20 of its 2 ms frames or so). */
	cr_assert_geq(jobj_u64(a, "fast_releases", 0), 10, "release steps by the IRQ vector");
	cr_assert_eq(jobj_u64(b, "fast_releases", 1), 0, "fastwin=off: none by the vector");
	for (unsigned int i = 0; i < 2; i++) {
		const struct qemu_run *r = i ? &off : &on;

		cr_assert_eq(count_of(r, "print", "fpu-a", "fpu-check: 16 rounds, 0 errors"), 1);
		cr_assert_eq(count_of(r, "print", "fpu-b", "fpu-check: 16 rounds, 0 errors"), 1);
		cr_assert_eq(run_count(r, "deadline_miss") + run_count(r, "partition_fault"), 0);
		cr_assert_eq(count_of(r, "hm", NULL, NULL), 0);
	}
	cr_assert_eq(count_of(&on, "print", NULL, NULL), count_of(&off, "print", NULL, NULL));
	qemu_run_free(&on);
	qemu_run_free(&off);
}

/* The release step where bench-calls.dts has it: the partition's one window is the
 * whole frame, its watchdog released every millisecond, 9 times inside the window and
 * once at its start (the window follows itself: the window starts with the watchdog,
 * fw_window_release). Every release but the first few is the vector's, every frame's
 * window start too; the same frames and windows as without the fast path. */
Test(partitions, releases_inside_and_at_the_start_of_a_window_that_follows_itself, .timeout = 240)
{
	struct qemu_run on, off;

	const struct jobj *a, *b;

	boot_fast_and_not(BH_PLANS "/bench-calls.dtb", "runtime_ms=100", &on, &off, &a, &b);
	uint64_t frames = jobj_u64(a, "frames", 0);

	cr_assert_geq(frames, 9);
	/* One release a millisecond since the epoch; the first frame's are the kernel's
	 * (the entry's foresight comes with the first changes of the partition's choice). */
	cr_assert_geq(jobj_u64(a, "fast_releases", 0), 10 * (frames - 1), "release steps");
	cr_assert_geq(jobj_u64(a, "fast_windows", 0), frames - 1, "window starts with a release");
	cr_assert_eq(jobj_u64(b, "fast_releases", 1) + jobj_u64(b, "fast_windows", 1), 0);
	for (int i = 0; i < 2; i++) {
		const struct qemu_run *r = i ? &off : &on;

		cr_assert_eq(run_count(r, "deadline_miss") + run_count(r, "partition_fault") +
				     run_count(r, "syscall_violation") + count_of(r, "hm", NULL, NULL), 0);
	}
	qemu_run_free(&on);
	qemu_run_free(&off);
}

/* A job the vector's release step released overruns its deadline: the kernel sees the
 * miss at the deadline (the vector armed the timer for it), as it does when it released
 * the job itself (fastwin=off): the same misses, each detected within a microsecond of
 * its deadline. The cell's heartbeats stop after 20 jobs: the monitor sees it at the
 * same window starts both ways (a release with a window start is not the vector's
 * once the monitor's limit has passed: rel_limit). */
Test(partitions, a_job_the_vector_released_misses_its_deadline_on_time, .timeout = 240)
{
	struct qemu_run r[2];

	boot_plan(BH_PLANS "/test-overrun.dtb", "loglevel=info runtime_ms=60", &r[0]);
	boot_plan(BH_PLANS "/test-overrun.dtb", "loglevel=info runtime_ms=60 fastwin=off", &r[1]);
	int n = run_count(&r[0], "deadline_miss");

	cr_assert_geq(n, 15, "every third job of 60 misses (%d)", n);
	cr_assert_eq(n, run_count(&r[1], "deadline_miss"));
	cr_assert_gt(jobj_u64(run_find(&r[0], "sched_stats", 0), "fast_releases", 0), 10);
	for (int i = 0; i < n; i++) {
		const struct jobj *a = run_find(&r[0], "deadline_miss", i), *b = run_find(&r[1], "deadline_miss", i);
		uint64_t dl = jobj_u64(a, "deadline_ns", 0);

		cr_assert_eq(jobj_u64(a, "release_ns", 0), jobj_u64(b, "release_ns", 1), "miss %d", i);
		cr_assert_eq(dl, jobj_u64(b, "deadline_ns", 1), "miss %d", i);
		for (int k = 0; k < 2; k++) {
			uint64_t at = jobj_u64(k ? b : a, "detected_ns", 0);

			cr_assert(at >= dl && at - dl < 1000, "miss %d detected at %llu, deadline %llu (%s)", i,
				  (unsigned long long)at, (unsigned long long)dl, k ? "fastwin=off" : "fastwin on");
		}
	}
	int beats[2] = { 0, 0 };
	uint64_t when[2][8];

	for (int k = 0; k < 2; k++)
		for (int i = 0; run_find(&r[k], "hm", i); i++) {
			const struct jobj *h = run_find(&r[k], "hm", i);

			if (!strcmp(jobj_str(h, "class"), "heartbeat-miss") && beats[k] < 8)
				when[k][beats[k]++] = jobj_u64(h, "ts", 0);
		}
	cr_assert_geq(beats[0], 2, "the heartbeats' absence seen");
	cr_assert_eq(beats[0], beats[1]);
	for (int i = 0; i < beats[0]; i++)
		cr_assert(when[0][i] + 100000 > when[1][i] && when[1][i] + 100000 > when[0][i],
			  "heartbeat miss %d at %llu ns, %llu without the fast path", i,
			  (unsigned long long)when[0][i], (unsigned long long)when[1][i]);
	qemu_run_free(&r[0]);
	qemu_run_free(&r[1]);
}

/* The wake-up step (docs/architecture.md): the RTC's alarm, taken from EL0 while the
 * other cell spins, wakes the driver waiting in irq_wait from the IRQ vector, the line
 * masked until the driver's irq_ack. The same alarms wake it without the fast path
 * (fastwin=off), each once: none comes again before its irq_ack. */
Test(partitions, the_wake_up_step_wakes_as_the_kernel_would, .timeout = 240)
{
	struct qemu_run r[2];

	for (int i = 0; i < 2; i++) {
		struct qemu_opts o = { .gic = 3, .smp = 1, .initrd = BH_PLANS "/bench-irq.dtb",
				       .rtc = "clock=vm",
				       .append = i ? "loglevel=info runtime_ms=4200 fastwin=off"
						   : "loglevel=info runtime_ms=4200" };

		qemu_boot(&o, &r[i]);
		run_dump(&r[i]);
		cr_assert_not(r[i].timed_out, "QEMU did not stop by itself");
		cr_assert_eq(r[i].exit_status, 0);
		cr_assert_eq(run_count(&r[i], "shutdown"), 1);
		cr_assert_eq(count_of(&r[i], "print", "irq", "bench_irq: woken again"), 0);
		cr_assert_eq(count_of(&r[i], "print", "irq", "bench_irq: irq_wait did not"), 0);
		cr_assert_eq(run_count(&r[i], "unexpected_irq") + run_count(&r[i], "partition_fault") +
				     run_count(&r[i], "syscall_violation"), 0);
	}
	int alarms = count_of(&r[0], "print", "irq", "bench_irq: alarm ");

	cr_assert_geq(alarms, 3, "an alarm a second");
	cr_assert_eq(alarms, count_of(&r[1], "print", "irq", "bench_irq: alarm "));
	/* Every alarm but the first (the spinner waits for it to know the phase) comes
	 * while the spinner runs. */
	cr_assert_eq(jobj_u64(run_find(&r[0], "sched_stats", 0), "fast_wakes", 0), (uint64_t)alarms - 1);
	cr_assert_eq(jobj_u64(run_find(&r[1], "sched_stats", 0), "fast_wakes", 1), 0);
	qemu_run_free(&r[0]);
	qemu_run_free(&r[1]);
}

/* time_ns, answered by the synchronous vector itself (and by C with fastwin=off): after
 * every periodic_wait, never before the release the call returned, never back, at most
 * a frame after it (tick's within-ns); both ways the same ticks. */
Test(partitions, time_ns_from_the_vector_follows_the_releases, .timeout = 240)
{
	struct qemu_run on, off;

	boot_plan(BH_PLANS "/test-time.dtb", "loglevel=info runtime_ms=200", &on);
	boot_plan(BH_PLANS "/test-time.dtb", "loglevel=info runtime_ms=200 fastwin=off", &off);
	for (int i = 0; i < 2; i++) {
		const struct qemu_run *r = i ? &off : &on;

		cr_assert_eq(count_of(r, "print", NULL, "tick a: time_ns") +
				     count_of(r, "print", NULL, "tick b: time_ns"), 0,
			     "every reading after its release (%s)", i ? "fastwin=off" : "fastwin on");
		cr_assert_geq(count_of(r, "print", "a", "tick a "), 45, "a ticked each 4 ms frame");
	}
	cr_assert_eq(count_of(&on, "print", "a", "tick a "), count_of(&off, "print", "a", "tick a "));
	cr_assert_eq(count_of(&on, "print", "b", "tick b "), count_of(&off, "print", "b", "tick b "));
	qemu_run_free(&on);
	qemu_run_free(&off);
}

/* Six partitions each break the ABI their own way; each is stopped with one
 * partition_fault in words, and the others carry on. A seventh hands the kernel a bad
 * pointer: refused with an error, not a fault. */
Test(partitions, a_faulting_partition_is_stopped_and_the_others_go_on, .timeout = 180)
{
	static const struct { const char *part, *cls; } want[] = {
		{ "f-null", "data abort from lower EL" },
		{ "f-kernel-read", "data abort from lower EL" },
		{ "f-rodata-write", "data abort from lower EL" },
		{ "f-exec-stack", "instruction abort from lower EL" },
		{ "f-udf", "unknown reason" },
		{ "f-pc-align", "PC alignment fault" },
	};
	struct qemu_run r;

	boot_plan(BH_PLANS "/test-fault.dtb", "loglevel=info runtime_ms=200", &r);
	cr_assert_eq(run_count(&r, "partition_fault"), 6);
	for (unsigned int i = 0; i < 6; i++) {
		const struct jobj *f = run_find(&r, "partition_fault", (int)i);

		cr_assert_str_eq(jobj_str(f, "partition"), want[i].part);
		cr_assert_str_eq(jobj_str(f, "cell"), "driver");
		cr_assert_str_eq(jobj_str(f, "class"), want[i].cls);
		cr_assert_str_eq(jobj_str(f, "action"), "stop");
		cr_assert_str_eq(jobj_str(f, "lvl"), "warn");
		cr_assert_eq(count_of(&r, "print", want[i].part, "faulty: about to fault"), 1);
	}
	cr_assert_str_eq(jobj_str(run_find(&r, "partition_fault", 0), "far"), "0x10");
	cr_assert_str_eq(jobj_str(run_find(&r, "partition_fault", 1), "far"), "0xffffffc000000000");
	cr_assert_str_eq(jobj_str(run_find(&r, "partition_fault", 2), "access"), "write");
	cr_assert_eq(count_of(&r, "print", NULL, "faulty: still running"), 0,
		     "no faulting cell ran on");
	/* A bad pointer in a call is refused, not a fault: the cell goes on. */
	const struct jobj *v = run_find(&r, "syscall_violation", 0);
	cr_assert_not_null(v);
	cr_assert_str_eq(jobj_str(v, "partition"), "f-bad-pointer");
	cr_assert_str_eq(jobj_str(v, "call"), "print");
	cr_assert_str_eq(jobj_str(v, "error"), "bad-address");
	cr_assert_eq(count_of(&r, "print", "f-bad-pointer",
			      "attacker: attack=svc-kernel-ptr came back: result -3 (bad-address)"), 1);
	/* The others: a sample and an actuation every frame (20 ms) to the end. */
	cr_assert_geq(count_of(&r, "print", "sensors", "sample "), 4);
	cr_assert_eq(count_of(&r, "print", "sensors", "sample "),
		     count_of(&r, "print", "actuators", "actuate "));
	const struct jobj *last = NULL;
	for (int i = 0; i < r.n_events; i++)
		if (is(&r.events[i], "print") && !strcmp(jobj_str(&r.events[i], "partition"), "sensors"))
			last = &r.events[i];
	cr_assert_gt(jobj_u64(last, "ts", 0), jobj_u64(run_find(&r, "partition_fault", 5), "ts", 0),
		     "sensors printed after the last fault");
	qemu_run_free(&r);
}

/* Every plan rule passes, but a cell's entry is not a function of its program: the
 * loader refuses the plan, naming the partition and the entry, before anything runs. */
Test(partitions, a_missing_entry_symbol_refuses_the_plan, .timeout = 120)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 2, .append = "loglevel=info panic=off",
			       .initrd = BH_FIXTURES "/plans/runtime-entry-missing.dtb" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out);
	cr_assert_not_null(run_find(&r, "plan", 0), "every plan rule passed");
	const struct jobj *e = run_find(&r, "partition_refused", 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(jobj_str(e, "lvl"), "error");
	cr_assert_str_eq(jobj_str(e, "partition"), "alpha");
	cr_assert(strstr(jobj_str(e, "error"), "cell entry does not resolve: no_such_entry"), "%s",
		  jobj_str(e, "error"));
	cr_assert_eq(run_count(&r, "partition_start"), 0);
	cr_assert_eq(run_count(&r, "schedule_start"), 0, "nothing started");
	cr_assert_eq(run_count(&r, "stop"), 1);
	qemu_run_free(&r);
}
