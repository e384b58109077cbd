/*
 * The same image as a Xen dom0less guest (tools/xen-run: Xen 4.17 from Debian, GICv3,
 * 2 vCPUs): platform, clean shutdown through SCHEDOP_shutdown, silence at the default
 * level, the domain watchdog, a crash, a passed-through PL031, the demo, a spinning
 * partition, FP/SIMD state and faults in one boot, and a generated plan of many
 * partitions. (The attacks and the health monitor under Xen: test_attacks.c, test_hm.c.)
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "qemu.h"
#include "xen_plan.h"

Test(xen, boots_both_vcpus_and_shuts_down_cleanly, .timeout = 180)
{
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .bootargs = "loglevel=info runtime_ms=300",
			      .linger_s = 3 };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN,
		     "clean shutdown, and no watchdog firing in the 3 s after it");
	cr_assert_eq(r.n_other, 0, "every guest line is JSON (vpl011 chunks joined)");
	cr_assert_eq(run_count(&r, "cpu_online"), 2);
	cr_assert_str_eq(jobj_str(run_find(&r, "cpu_online", 0), "mpidr"), "0x80000000");
	cr_assert_str_eq(jobj_str(run_find(&r, "cpu_online", 1), "mpidr"), "0x80000001");

	const struct jobj *p = run_find(&r, "platform", 0);
	cr_assert_not_null(p);
	cr_assert_str_eq(jobj_str(p, "hypervisor"), "xen");
	cr_assert_str_eq(jobj_str(p, "hypervisor_version"), "4.17.7");
	cr_assert_str_eq(jobj_str(p, "power"), "xen");
	cr_assert_str_eq(jobj_str(p, "console"), "sbsa-uart");
	cr_assert_str_eq(jobj_str(p, "gic"), "v3");
	cr_assert_str_eq(jobj_str(p, "psci"), "hvc");
	const struct jobj *plan = run_find(&r, "plan", 0);
	cr_assert_not_null(plan, "the plan module was accepted against the Xen guest's tree");
	cr_assert_str_eq(jobj_str(plan, "source"), "initrd");
	cr_assert_eq(jobj_u64(plan, "partitions", 0), 3);
	assert_sha256_of(jobj_str(plan, "sha256"), BH_PLANS "/demo-xen.dtb");

	const struct jobj *w = run_find(&r, "watchdog_armed", 0);
	cr_assert_not_null(w);
	cr_assert_str_eq(jobj_str(w, "timeout_s"), "2");
	cr_assert_eq(run_count(&r, "shutdown"), 1);
	cr_assert_eq(run_count(&r, "power_off_failed"), 0);
	qemu_run_free(&r);
}

/*
 * Xen prints some of its own lines in pieces (the domain dump the runner asks for twice
 * a second: rangesets, vCPU lines), and a guest chunk printed from the other CPU lands
 * after such a piece, on the same line. The runner takes the chunk from wherever its
 * prefix begins (a captured serial log replayed: chunks inside Xen's pieces, a one-chunk
 * line, a blank line), and a line whose last chunk never came stays a damaged line.
 */
Test(xen, the_runner_takes_guest_chunks_from_inside_xens_own_lines, .timeout = 60)
{
	static const char *const argv[] = { "tools/xen-run", "--replay",
					    "tests/fixtures/xen/serial-cut-chunks.log", NULL };
	static const char *const texts[] = {
		"recv 19: target 100, would set gpio 0x01", "recv 20: target 100, would set gpio 0x04",
		"actuate 22: position 100, target 100, gpio 7", "log 21",
		"send 21: target 100, gpio 0x10", "recv 21: target 100, would set gpio 0x10",
	};
	struct qemu_run r;

	run_capture(argv, 30, false, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.errors);
	cr_assert_eq(r.n_events, 6, "%s", r.output);
	for (int i = 0; i < 6; i++)
		cr_assert_str_eq(jobj_str(&r.events[i], "text"), texts[i], "line %d", i);
	cr_assert_eq(r.n_other, 1, "the line cut short is reported, not glued: %s", r.output);
	cr_assert(strstr(r.output, "\"text\":\"log 21: woke 15849\n"), "%s", r.output);
	qemu_run_free(&r);
}

Test(xen, runs_several_watchdog_timeouts_and_ends_cleanly, .timeout = 180)
{
	struct qemu_run r;
	/* The watchdog is armed for 2 s: 7 s is three and a half timeouts, so the guest lives
	 * only if it kicks, and the 3 s watched after its shutdown show the watchdog was torn
	 * down. */
	struct xen_opts o = { .vcpus = 2, .bootargs = "loglevel=info runtime_ms=7000",
			      .linger_s = 3 };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN, "%s", r.errors);
	const struct jobj *w = run_find(&r, "watchdog_armed", 0);
	cr_assert_not_null(w);
	cr_assert_str_eq(jobj_str(w, "kicking"), "true");
	cr_assert_leq(jobj_u64(w, "timeout_s", 0) * 3000, 7000, "several timeouts long");
	const struct jobj *s = run_find(&r, "shutdown", 0);
	cr_assert_not_null(s, "ended by its own shutdown");
	cr_assert_geq(jobj_u64(s, "uptime_ms", 0), 7000);
	cr_assert_eq(run_count(&r, "stop"), 0);
	cr_assert(strstr(r.errors, "xen-run: shutdown"), "%s", r.errors);
	qemu_run_free(&r);
}

Test(xen, healthy_boot_prints_nothing_at_the_default_level, .timeout = 180)
{
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .bootargs = "runtime_ms=300" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN);
	/* Under Xen in QEMU the guest's time is the host's: on a loaded host a partition's
	 * job can be descheduled past its deadline (or its heartbeat late), which the kernel
	 * rightly reports and the health monitor acts on (an hm event each), and a driver
	 * held past two of its watchdog cell's periods makes that cell report it (its
	 * application_error). Nothing else may be printed. */
	int watchdog = 0;

	for (int i = 0; run_find(&r, "application_error", i); i++)
		watchdog += !strcmp(jobj_str(run_find(&r, "application_error", i), "message"),
				    "watchdog: the driver cell made no progress");
	cr_assert_eq(r.n_lines, run_count(&r, "deadline_miss") + run_count(&r, "hm") + watchdog,
		     "silence is golden");
	qemu_run_free(&r);
}

Test(xen, a_kernel_that_stops_kicking_is_killed_by_the_watchdog, .timeout = 180)
{
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .bootargs = "loglevel=info runtime_ms=100000 test_no_kick=1" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_WATCHDOG, "Xen's watchdog ended the guest");
	cr_assert(strstr(r.errors, "the guest stopped kicking it"), "%s", r.errors);
	cr_assert_str_eq(jobj_str(run_find(&r, "watchdog_armed", 0), "kicking"), "false");
	cr_assert_eq(run_count(&r, "shutdown"), 0, "killed long before runtime_ms");
	qemu_run_free(&r);
}

Test(xen, a_halted_kernel_is_reported_by_its_stop_then_the_watchdog, .timeout = 180)
{
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .bootargs = "test_fault=1 panic=halt runtime_ms=100000" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_CRASH, "the guest's stop names what happened");
	cr_assert(strstr(r.errors, "xen-run: crash: the guest stopped (action halt) after kernel_fault"),
		  "%s", r.errors);
	cr_assert(strstr(r.errors, "then Xen's domain watchdog fired"), "%s", r.errors);
	cr_assert_eq(run_count(&r, "kernel_fault"), 1);
	cr_assert_str_eq(jobj_str(run_find(&r, "stop", 0), "action"), "halt");
	qemu_run_free(&r);
}

Test(xen, a_fatal_error_with_panic_off_is_reported_as_a_crash, .timeout = 180)
{
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .bootargs = "test_fault=1 panic=off runtime_ms=100000" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_CRASH, "SCHEDOP_shutdown(crash) after the stop line");
	cr_assert_eq(run_count(&r, "kernel_fault"), 1);
	cr_assert_str_eq(jobj_str(run_find(&r, "stop", 0), "action"), "off");
	qemu_run_free(&r);
}

Test(xen, reads_the_passed_through_pl031, .timeout = 180)
{
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .bootargs = "loglevel=info runtime_ms=200 test_rtc=1" };
	time_t before = time(NULL);

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN);
	const struct jobj *t = run_find(&r, "test_rtc", 0);

	assert_rtc_plausible(t, (long long)before);
	cr_assert_str_eq(jobj_str(t, "path"), "/passthrough/pl031@9010000");
	cr_assert_str_eq(jobj_str(t, "base"), "0x9010000");
	qemu_run_free(&r);
}

Test(xen, without_passthrough_the_guest_has_no_rtc, .timeout = 180)
{
	struct qemu_run r;
	/* The demo plan owns passed-through devices: this guest gets the device-less plan. */
	struct xen_opts o = { .vcpus = 2, .no_passthrough = true, .initrd = BH_PLANS "/single.dtb",
			      .bootargs = "loglevel=info runtime_ms=200 test_rtc=1" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN);
	const struct jobj *t = run_find(&r, "test_rtc", 0);
	cr_assert_not_null(t);
	cr_assert_str_eq(jobj_str(t, "lvl"), "error");
	cr_assert(strstr(jobj_str(t, "error"), "no arm,pl031"));
	qemu_run_free(&r);
}

Test(xen, an_invalid_plan_module_stops_the_guest, .timeout = 180)
{
	struct qemu_run r;
	/* A plan that names the devices by their bare-metal paths, /pl031@9010000: under Xen
	 * they are /passthrough/... */
	struct xen_opts o = { .vcpus = 2, .initrd = BH_FIXTURES "/plans/demo-bare-paths.dtb",
			      .bootargs = "panic=off runtime_ms=5000" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_CRASH, "refused, then SCHEDOP_shutdown(crash)");
	cr_assert_eq(run_count(&r, "plan_invalid"), 2);
	const struct jobj *e = run_find(&r, "plan_invalid", 0);
	cr_assert_str_eq(jobj_str(e, "rule"), "device-missing");
	cr_assert_str_eq(jobj_str(e, "path"), "/partitions/sensors");
	cr_assert(strstr(jobj_str(e, "what"), "/pl031@9010000"));
	cr_assert_eq(run_count(&r, "stop"), 1);
	qemu_run_free(&r);
}

Test(xen, a_refused_plan_under_panic_halt_is_reported_as_refused, .timeout = 180)
{
	struct qemu_run r;
	/* The default panic=halt: the guest halts, and only Xen's watchdog ends the run. The
	 * runner names the refusal, not the watchdog that followed. */
	struct xen_opts o = { .vcpus = 2, .initrd = BH_FIXTURES "/plans/demo-bare-paths.dtb",
			      .bootargs = "" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_CRASH, "%s", r.errors);
	cr_assert_eq(run_count(&r, "plan_refused"), 1);
	cr_assert(strstr(r.errors, "xen-run: crash: the guest stopped (action halt) after plan_refused"),
		  "%s", r.errors);
	qemu_run_free(&r);
}

/* The default image, no plan handed over: the built-in demo plan holds in a Xen guest too
 * (its devices, named by node name, are found under /passthrough): its three partitions
 * are loaded and scheduled on both vCPUs, and they print. */
Test(xen, the_default_image_runs_the_demo_without_a_handed_plan, .timeout = 180)
{
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .no_plan = true, .bootargs = "loglevel=info runtime_ms=3000" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN, "%s", r.errors);
	cr_assert_str_eq(jobj_str(run_find(&r, "plan", 0), "source"), "embedded");
	cr_assert_eq(run_count(&r, "partition_start"), 3);
	cr_assert_not_null(run_find(&r, "schedule_start", 0));
	cr_assert_eq(run_count(&r, "partition_fault"), 0);
	/* Xen in QEMU runs in the host's real time: on a loaded host the guest gets little of
	 * it (deadline misses are expected then), so "they ran and printed" is asserted, not
	 * how much. */
	cr_assert_geq(run_count(&r, "print"), 1, "the partitions printed");
	cr_assert_eq(run_count(&r, "sched_stats"), 2);
	for (int i = 0; i < 2; i++)
		cr_assert_geq(jobj_u64(run_find(&r, "sched_stats", i), "windows", 0), 1);
	cr_assert_not_null(run_find(&r, "shutdown", 0));
	qemu_run_free(&r);
}

/* ---- Partition properties in one boot (configs/plans/xen-partitions.dts) -----------
 * Xen runs on the host's real time: what is checked is what happened, never how much of
 * it or when. */

static int prints_of(const struct qemu_run *r, const char *part, const char *prefix, uint64_t after_ts,
		     uint64_t *last_ts)
{
	int n = 0;

	for (int i = 0; i < r->n_events; i++) {
		const struct jobj *e = &r->events[i];

		if (strcmp(jobj_str(e, "ev"), "print") || strcmp(jobj_str(e, "partition"), part) ||
		    strncmp(jobj_str(e, "text"), prefix, strlen(prefix)) ||
		    jobj_u64(e, "ts", 0) <= after_ts)
			continue;
		n++;
		if (last_ts)
			*last_ts = jobj_u64(e, "ts", 0);
	}
	return n;
}

/* The first ev event of partition part (the test fails if there is none). */
static const struct jobj *of_partition(const struct qemu_run *r, const char *ev, const char *part)
{
	for (int i = 0; i < r->n_events; i++)
		if (!strcmp(jobj_str(&r->events[i], "ev"), ev) &&
		    !strcmp(jobj_str(&r->events[i], "partition"), part))
			return &r->events[i];
	cr_assert_fail("no %s event of %s", ev, part);
	return NULL;
}

/* A partition that spins forever keeps only its windows (sensors, after it on the same
 * CPU, samples all along); two partitions keep their own FP/SIMD registers, FPCR and
 * x19-x28 across switches every millisecond; four that break the EL0 ABI are each
 * stopped with one partition_fault in words, and the others carry on. */
Test(xen, spin_fp_simd_and_faults_in_one_boot, .timeout = 300)
{
	static const struct { const char *part, *cls; } faults[] = {
		{ "f-null", "data abort from lower EL" },
		{ "f-udf", "unknown reason" },
		{ "f-exec-stack", "instruction abort from lower EL" },
		{ "f-pc-align", "PC alignment fault" },
	};
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .no_passthrough = true, .timeout_s = 120,
			      .initrd = BH_PLANS "/xen-partitions.dtb",
			      .bootargs = "loglevel=info runtime_ms=5000" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN, "%s", r.errors);
	cr_assert_eq(run_count(&r, "kernel_fault"), 0);
	cr_assert_eq(run_count(&r, "partition_start"), 8);
	const struct jobj *start = run_find(&r, "schedule_start", 0), *end = run_find(&r, "shutdown", 0);
	cr_assert_not_null(start);
	cr_assert_not_null(end);

	/* spin: it ran (its one line), was never stopped, and sensors, on its CPU, sampled
	 * after it started and in the second half of the run. */
	uint64_t spun = 0, last = 0;
	cr_assert_eq(prints_of(&r, "spin", "spin: spinning forever", 0, &spun), 1);
	cr_assert_geq(prints_of(&r, "sensors", "sample ", spun, &last), 2, "sensors kept its windows");
	uint64_t mid = (jobj_u64(start, "ts", 0) + jobj_u64(end, "ts", 0)) / 2;
	cr_assert_gt(last, mid, "sensors sampled in the second half of the run too");
	cr_assert_str_eq(jobj_str(of_partition(&r, "hm_stats", "spin"), "state"), "normal");
	cr_assert_str_eq(jobj_str(of_partition(&r, "hm_stats", "sensors"), "state"), "normal");

	/* FP/SIMD: both finished all their rounds with no register changed. */
	cr_assert_eq(prints_of(&r, "fpu-a", "fpu-check: 8 rounds, 0 errors", 0, NULL), 1);
	cr_assert_eq(prints_of(&r, "fpu-b", "fpu-check: 8 rounds, 0 errors", 0, NULL), 1);
	cr_assert_eq(prints_of(&r, "fpu-a", "fpu-check: round", 0, NULL) +
			     prints_of(&r, "fpu-b", "fpu-check: round", 0, NULL),
		     0, "no register changed");
	for (int i = 0; i < 2; i++) {
		const struct jobj *s = run_find(&r, "sched_stats", i);

		if (jobj_u64(s, "target", 9) == 1) {
			cr_assert_geq(jobj_u64(s, "windows", 0), 64, "many switches on CPU 1");
			/* Through Xen's virtual GICv3 too, the IRQ vector started windows itself
			 * (the window fast path), the registers kept as above. */
			cr_assert_geq(jobj_u64(s, "fast_windows", 0), 1, "windows by the vector");
		}
	}

	/* Faults: one each, in words, the partition stopped; nothing ran on after it. */
	cr_assert_eq(run_count(&r, "partition_fault"), 4);
	for (unsigned int i = 0; i < 4; i++) {
		const struct jobj *f = of_partition(&r, "partition_fault", faults[i].part);

		cr_assert_not_null(f, "%s faulted", faults[i].part);
		cr_assert_str_eq(jobj_str(f, "cell"), "driver");
		cr_assert_str_eq(jobj_str(f, "class"), faults[i].cls, "%s", faults[i].part);
		cr_assert_str_eq(jobj_str(f, "action"), "stop");
		cr_assert_str_eq(jobj_str(of_partition(&r, "hm_stats", faults[i].part), "state"), "stopped");
		cr_assert_eq(prints_of(&r, faults[i].part, "faulty: still running", 0, NULL), 0);
	}
	cr_assert_str_eq(jobj_str(of_partition(&r, "partition_fault", "f-null"), "far"), "0x10");
	qemu_run_free(&r);
}

/* ---- Scale: a generated plan of many partitions ------------------------------------ */

/* The partitions of the scale run under Xen (the kernel's tables are sized by the plan). */
#ifndef XEN_SCALE_PARTITIONS
#define XEN_SCALE_PARTITIONS 64
#endif

/* bhplan generate --partitions N --cpus 2 (tick in each, 1 ms windows, a frame of N/2 ms),
 * with each partition's period and heartbeats slowed to 512 ms and a line every fourth
 * period: a Xen guest pays milliseconds per console line, and 64 partitions printing
 * each frame would be thousands of lines a second. Lateness is logged, not acted on. */
Test(xen, a_generated_plan_of_many_partitions_runs_and_every_partition_prints, .timeout = 300)
{
	enum { N = XEN_SCALE_PARTITIONS };
	char n_str[16];
	struct xen_text t = { 0 };
	struct qemu_run r;
	char gen[256], path[512], dtb[256];

	run_capture((const char *[]){ "mkdir", "-p", BH_BUILD "/test/xen", NULL }, 10, true, &r);
	qemu_run_free(&r);
	snprintf(gen, sizeof(gen), BH_BUILD "/test/xen/generated-%d.dts", N);
	snprintf(n_str, sizeof(n_str), "%d", N);
	run_capture((const char *[]){ BH_BUILD "/bin/bhplan", "generate", "--partitions", n_str, "--cpus",
				      "2", "--channels", "0", "-o", gen, NULL },
		    60, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	xen_tree_path(gen, path);
	xen_text_add(&t, "/dts-v1/;\n/* Written by tests/system/test_xen.c. */\n/include/ \"%s\"\n\n", path);
	for (int i = 0; i < N; i++)
		xen_text_add(&t,
			     "&{/partitions/p%d} { args = \"every=4\"; heartbeat-timeout-us = <3000000>;\n"
			     "\thealth-monitor { deadline-miss = \"ignore\"; heartbeat-miss = \"ignore\"; }; };\n"
			     "&{/partitions/p%d/driver} { period-us = <512000>; };\n"
			     "&{/partitions/p%d/watchdog} { period-us = <512000>; };\n",
			     i, i, i);
	xen_plan_write("scale", t.s, dtb);
	xen_text_free(&t);

	struct xen_opts o = { .vcpus = 2, .no_passthrough = true, .initrd = dtb, .timeout_s = 150,
			      .bootargs = "loglevel=info runtime_ms=5000" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN, "%s", r.errors);
	cr_assert_eq(jobj_u64(run_find(&r, "plan", 0), "partitions", 0), N);
	cr_assert_eq(run_count(&r, "partition_start"), N);
	cr_assert_not_null(run_find(&r, "schedule_start", 0));
	cr_assert_eq(run_count(&r, "kernel_fault") + run_count(&r, "partition_fault"), 0);
	for (int i = 0; i < N; i++) {
		char name[16], first[32];

		snprintf(name, sizeof(name), "p%d", i);
		snprintf(first, sizeof(first), "tick p%d 0", i);
		cr_assert_eq(prints_of(&r, name, first, 0, NULL), 1, "%s printed", name);
		cr_assert_str_eq(jobj_str(of_partition(&r, "hm_stats", name), "state"), "normal", "%s",
				 name);
	}
	cr_assert_not_null(run_find(&r, "shutdown", 0));
	qemu_run_free(&r);
}
