/* The host tool bhplan as a user runs it: exit statuses, tables, the chart. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu.h"

#define BHPLAN "build/bin/bhplan"

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

Test(bhplan, check_passes_the_shipped_plans_and_lists_every_error)
{
	struct qemu_run r;
	const char *ok[] = { BHPLAN, "check", "configs/plans/demo.dts", "--platform",
			     BH_FIXTURES "/qemu-virt-gicv3-4cpu.dtb", NULL };
	const char *bad[] = { BHPLAN, "check", "tests/fixtures/plans/bad-window-cpu.dts", NULL };

	run_capture(ok, 10, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	cr_assert_str_eq(r.output, "", "silent when good");
	qemu_run_free(&r);

	run_capture(bad, 10, true, &r);
	cr_assert_eq(r.exit_status, 1);
	cr_assert_eq(r.n_lines, 2, "both findings, one per line:\n%s", r.output);
	cr_assert(strstr(r.output, "/schedule/cpu@1/window@0: partition 'alpha' is assigned to CPU 0"));
	cr_assert(strstr(r.output, "[window-cpu]"));
	cr_assert(strstr(r.output, "/partitions/beta: on CPU 1, which has no window for it "
				   "[partition-unscheduled]"));
	qemu_run_free(&r);
}

Test(bhplan, unreadable_input_and_bad_usage_exit_2)
{
	struct qemu_run r;
	const char *missing[] = { BHPLAN, "check", "no/such/plan.dts", NULL };
	const char *usage[] = { BHPLAN, "draw", "configs/plans/demo.dts", NULL };

	run_capture(missing, 10, true, &r);
	cr_assert_eq(r.exit_status, 2);
	cr_assert(strstr(r.output, "no/such/plan.dts: cannot read"), "%s", r.output);
	qemu_run_free(&r);
	run_capture(usage, 10, true, &r);
	cr_assert_eq(r.exit_status, 2);
	cr_assert(strstr(r.output, "usage: bhplan"));
	qemu_run_free(&r);
}

Test(bhplan, show_prints_tables_with_shares_and_placement)
{
	struct qemu_run r;
	const char *argv[] = { BHPLAN, "show", "build/plans/demo.dtb", "--platform",
			       BH_FIXTURES "/qemu-virt-gicv3-4cpu.dtb", NULL };

	run_capture(argv, 10, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	cr_log_info("%s", r.output);
	cr_assert(strstr(r.output, "3 partitions, 2 CPUs, 2 channels, major frame 20000 us"));
	char sha[65];

	cr_assert_not_null(strstr(r.output, "sha256 "));
	snprintf(sha, sizeof(sha), "%s", strstr(r.output, "sha256 ") + 7);
	assert_sha256_of(sha, "build/plans/demo.dtb");
	/* sensors: 12 of 20 ms on CPU 0; demand 2000/10000 + 200/20000 = 21 %. */
	cr_assert(strstr(r.output, "60.0%   21.0%"), "%s", r.output);
	cr_assert(strstr(r.output, "0x40400000-0x413fffff"), "placed after the assumed 4 MiB kernel");
	cr_assert(strstr(r.output, "16000 ..    20000 us  (idle)"));
	cr_assert(strstr(r.output, "assigned 80.0%, idle 20.0%"));
	cr_assert(strstr(r.output, "queuing   logger       actuators"));
	cr_assert(strstr(r.output, "sensors      \"base-mc=21500\" \"report-every=10\""), "args shown");
	qemu_run_free(&r);
}

Test(bhplan, svg_draws_one_lane_per_cpu_and_each_window)
{
	struct qemu_run r;
	const char *path = "build/test/demo-plan.svg";
	const char *argv[] = { BHPLAN, "svg", "configs/plans/demo.dts", "-o", path, NULL };
	char *svg;
	long n;
	FILE *f;

	run_capture(argv, 10, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	f = fopen(path, "rb");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	svg = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(svg, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	cr_assert(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"") == svg);
	cr_assert(strstr(svg, "</svg>\n"));
	cr_assert_eq(count(svg, "class=\"lane\">CPU "), 2, "one lane per CPU");
	cr_assert_eq(count(svg, "class=\"win\""), 4, "one bar per window");
	cr_assert_eq(count(svg, "class=\"idle\""), 2, "idle background per lane");
	cr_assert_eq(count(svg, ">sensors</text>"), 2, "both sensors windows labelled");
	cr_assert_eq(count(svg, "class=\"tl\">"), 11, "0..20 ms every 2 ms");
	cr_assert(strstr(svg, "Major frame: 20 ms"));
	cr_assert(strstr(svg, "actuators (CPU 1, 50%)"), "legend");
	/* One colour per partition: sensors' two windows share one, the others differ. */
	cr_assert_eq(count(svg, "fill=\"#0072B2\" class=\"win\""), 2);
	cr_assert_eq(count(svg, "fill=\"#E69F00\" class=\"win\""), 1);
	cr_assert_eq(count(svg, "fill=\"#009E73\" class=\"win\""), 1);
	free(svg);
}

Test(bhplan, images_are_checked_against_the_programs_named)
{
	struct qemu_run r;
	const char *argv[] = { BHPLAN, "check", "configs/plans/demo.dts", "--programs",
			       "demo-sensors,demo-logger", NULL };

	run_capture(argv, 10, true, &r);
	cr_assert_eq(r.exit_status, 1);
	cr_assert_eq(r.n_lines, 1, "%s", r.output);
	cr_assert(strstr(r.output, "/partitions/actuators: image 'demo-actuators' is not a program "
				   "built from partitions/ [image-unknown]"), "%s", r.output);
	qemu_run_free(&r);
}

Test(bhplan, show_prints_the_health_monitor_table_per_partition)
{
	struct qemu_run r;
	const char *demo[] = { BHPLAN, "show", "build/plans/demo.dtb", NULL };
	const char *hm[] = { BHPLAN, "show", BH_FIXTURES "/plans/good-hm.dtb", NULL };

	run_capture(demo, 10, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	/* The demo's first-schema words, resolved: restart is cold-restart, fault covers the
	 * exception classes, application-error follows heartbeat-miss. */
	cr_assert(strstr(r.output, "health monitor (escalate: the kernel's panic policy)\n"
				   "  class                 sensors       logger        actuators\n"
				   "  memory-violation      cold-restart  cold-restart  stop\n"),
		  "%s", r.output);
	cr_assert(strstr(r.output, "  application-error     cold-restart  cold-restart  cold-restart\n"
				   "  on-limit              escalate      stop          stop\n"
				   "  restart-limit         3             5             2\n"
				   "  restart-window-us     since boot    since boot    since boot\n"),
		  "%s", r.output);
	qemu_run_free(&r);

	run_capture(hm, 10, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	cr_assert(strstr(r.output, "health monitor (escalate: power the system off)\n"), "%s", r.output);
	cr_assert(strstr(r.output, "  memory-violation      warm-restart  stop\n"), "%s", r.output);
	cr_assert(strstr(r.output, "  restart-window-us     4294967296    since boot\n"), "%s", r.output);
	cr_assert(strstr(r.output, "  persistent-bytes      65536         0\n"), "%s", r.output);
	qemu_run_free(&r);
}
