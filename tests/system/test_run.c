/* make run and make platform-dtb as a new user runs them: statuses and refusals. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "qemu.h"

/* make in this tree, outside any jobserver of the make that runs the tests. */
static void make(const char *const *args, struct qemu_run *r)
{
	const char *argv[16] = { "env", "-u", "MAKEFLAGS", "-u", "MAKELEVEL", "-u", "MFLAGS",
				 "make", "--no-print-directory", "O=" BH_BUILD };
	int n = 10;

	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	run_capture(argv, RUN_TIMEOUT_S, true, r);
	run_dump(r);
}

/* One test: the steps share build/platform.dtb and build/run/. */
Test(make_run, statuses_refusals_and_the_platform_tree, .timeout = 300)
{
	struct qemu_run r;

	/* A healthy run: the defaults, shortened; status 0. */
	make((const char *[]){ "run", "RAW=1", "QEMU_SMP=2", "BOOTARGS=loglevel=info runtime_ms=100",
			       NULL }, &r);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "shutdown"), 1);
	qemu_run_free(&r);

	/* The built-in demo plan on one CPU is refused by the kernel: with the default
	 * panic=off QEMU powers off, and the stop is the run's status. */
	make((const char *[]){ "run", "QEMU_SMP=1", "BOOTARGS=runtime_ms=60000", NULL }, &r);
	cr_assert_neq(r.exit_status, 0, "a refused plan is a failed run");
	cr_assert(strstr(r.output, "plan_refused"), "shown through bhlog");
	cr_assert(strstr(r.output, "bhlog: the kernel stopped"));
	qemu_run_free(&r);

	/* A .dts plan is checked against the machine before anything boots. */
	make((const char *[]){ "run", "QEMU_SMP=1", "PLAN=configs/plans/demo.dts", NULL }, &r);
	cr_assert_neq(r.exit_status, 0);
	cr_assert(strstr(r.output, "/partitions/actuators: cpu = 1, the machine has CPU 0 only "
				   "[cpu-missing]"), "bhplan's finding");
	cr_assert(strstr(r.output, "make run: configs/plans/demo.dts is refused"));
	cr_assert_eq(r.n_events, 0, "the kernel never booted");
	qemu_run_free(&r);

	/* ... and a good one compiled and handed over. */
	make((const char *[]){ "run", "RAW=1", "QEMU_SMP=1", "PLAN=configs/plans/single.dts",
			       "BOOTARGS=loglevel=info runtime_ms=100", NULL }, &r);
	cr_assert_eq(r.exit_status, 0);
	const struct jobj *plan = run_find(&r, "plan", 0);
	cr_assert_not_null(plan);
	cr_assert_str_eq(jobj_str(plan, "source"), "initrd");
	assert_sha256_of(jobj_str(plan, "sha256"), BH_BUILD "/run/plan.dtb");
	qemu_run_free(&r);

	/* A file that is not a blob is refused on the host. */
	make((const char *[]){ "run", "PLAN=configs/plans/demo.dtsi", NULL }, &r);
	cr_assert_neq(r.exit_status, 0);
	cr_assert(strstr(r.output, "is not a device-tree blob: give a .dts or a .dtb"));
	qemu_run_free(&r);

	/* The platform tree of the machine make run boots, with its QEMU_* options. */
	make((const char *[]){ "platform-dtb", "QEMU_SMP=3", "QEMU_GIC=2", NULL }, &r);
	cr_assert_eq(r.exit_status, 0);
	qemu_run_free(&r);
	const char *cpus[] = { "fdtget", "-l", BH_BUILD "/platform.dtb", "/cpus", NULL };
	run_capture(cpus, 30, true, &r);
	cr_assert_str_eq(r.output, "cpu-map\ncpu@0\ncpu@1\ncpu@2\n");
	qemu_run_free(&r);
	const char *gic[] = { "fdtget", BH_BUILD "/platform.dtb", "/intc@8000000", "compatible", NULL };
	run_capture(gic, 30, true, &r);
	cr_assert_str_eq(r.output, "arm,cortex-a15-gic\n");
	qemu_run_free(&r);
}

/*
 * make run as a user runs it, the demo at the default level (warn) and at info: a healthy
 * boot prints nothing, from the first frame on: at least 15 frames of 20 ms, the first
 * included; the second run counts them (sched_stats) so the quiet one cannot be quiet
 * for want of running. The jobs' first runs (stdio set up, first prints, code QEMU has not
 * translated yet) cost host time that must not count against their deadlines: make run
 * boots in virtual time, as the tests do.
 */
Test(make_run, the_demo_is_quiet_from_its_first_frame, .timeout = 300)
{
	struct qemu_run r;

	make((const char *[]){ "run", "RAW=1", "BOOTARGS=runtime_ms=400", NULL }, &r);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(r.n_lines, 0, "a healthy demo prints nothing at warn:\n%s", r.output);
	qemu_run_free(&r);

	make((const char *[]){ "run", "RAW=1", "BOOTARGS=loglevel=info runtime_ms=400", NULL }, &r);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "deadline_miss"), 0, "no job misses its deadline, the first ones included");
	cr_assert_eq(run_count(&r, "sched_stats"), 2, "both CPUs ran the schedule");
	for (int i = 0; i < 2; i++)
		cr_assert_geq(jobj_u64(run_find(&r, "sched_stats", i), "frames", 0), 15);
	qemu_run_free(&r);
}
