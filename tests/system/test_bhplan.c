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

Test(bhplan, findings_in_a_dts_carry_the_source_line)
{
	struct qemu_run r;
	const char *dts[] = { BHPLAN, "check", "tests/fixtures/plans/bad-typos.dts", NULL };
	const char *dtb[] = { BHPLAN, "check", BH_FIXTURES "/plans/bad-typos.dtb", NULL };

	/* The property's line where it is, else the node's; in the file that set it last. */
	run_capture(dts, 10, true, &r);
	cr_assert_eq(r.exit_status, 1);
	cr_assert_str_eq(r.output,
			 "tests/fixtures/plans/bad-typos.dts:8: /partitions/alpha: memory-base = "
			 "0x50000800, not a multiple of 0x1000 [value-range]\n"
			 "tests/fixtures/plans/bad-typos.dts:10: /partitions/alpha/driver: unknown "
			 "property 'period_us', did you mean 'period-us'? [property]\n");
	qemu_run_free(&r);
	run_capture((const char *[]){ BHPLAN, "check", "tests/fixtures/plans/bad-window-cpu.dts", NULL },
		    10, true, &r);
	cr_assert(strstr(r.output, "tests/fixtures/plans/bad-window-cpu.dts:"), "%s", r.output);
	cr_assert(strstr(r.output, "tests/fixtures/plans/base.dtsi:"), "a node the include set: %s",
		  r.output);
	qemu_run_free(&r);
	/* A blob has no source: the file's name. */
	run_capture(dtb, 10, true, &r);
	cr_assert_eq(r.exit_status, 1);
	cr_assert(strstr(r.output, BH_FIXTURES "/plans/bad-typos.dtb: /partitions/alpha: memory-base"),
		  "%s", r.output);
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
	cr_assert(strstr(r.output, "3 partitions, 2 CPUs scheduled, 2 channels, major frame 20000 us"));
	char sha[65];

	cr_assert_not_null(strstr(r.output, "sha256 "));
	snprintf(sha, sizeof(sha), "%s", strstr(r.output, "sha256 ") + 7);
	assert_sha256_of(sha, "build/plans/demo.dtb");
	/* sensors: 12 of 20 ms on CPU 0; demand 2000/10000 + 200/20000 = 21 %. */
	cr_assert(strstr(r.output, "60.0%   21.0%"), "%s", r.output);
	cr_assert(strstr(r.output, "0x40400000-0x413fffff"), "placed after the assumed 4 MiB kernel");
	cr_assert(strstr(r.output, "16000 ..    20000 us  (idle)"));
	cr_assert(strstr(r.output, "assigned 80.0%, idle 20.0%"));
	cr_assert(strstr(r.output, "queuing   logger  actuators"));
	cr_assert(strstr(r.output, "sensors      \"base-mc=21500\" \"report-every=10\""), "args shown");
	qemu_run_free(&r);
}

/* The column at which word starts in the first line of text that holds it after from. */
static long column_of(const char *text, const char *from, const char *word)
{
	const char *start = strstr(text, from), *hit, *bol;

	cr_assert_not_null(start, "no '%s'", from);
	hit = strstr(start, word);
	cr_assert_not_null(hit, "no '%s' after '%s'", word, from);
	for (bol = hit; bol > text && bol[-1] != '\n'; bol--)
		;
	return hit - bol;
}

Test(bhplan, show_keeps_its_columns_aligned)
{
	struct qemu_run r;
	/* alpha has a fixed base: with --platform its row says "... fixed", the widest cell. */
	const char *argv[] = { BHPLAN, "show", BH_FIXTURES "/plans/good-base.dtb", "--platform",
			       BH_FIXTURES "/qemu-virt-gicv2-2cpu.dtb", NULL };

	run_capture(argv, 10, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	cr_log_info("%s", r.output);
	cr_assert(strstr(r.output, "0x50000000-0x500fffff fixed"));
	long image = column_of(r.output, "\npartitions\n", "image");
	cr_assert_eq(column_of(r.output, "\n  alpha ", "demo-sensors"), image);
	cr_assert_eq(column_of(r.output, "\n  beta ", "demo-logger"), image);
	long devices = column_of(r.output, "\npartitions\n", "devices");
	cr_assert_eq(column_of(r.output, "\n  alpha ", "/pl031"), devices);
	long alpha = column_of(r.output, "\nhealth monitor", "alpha");
	long beta = column_of(r.output, "\nhealth monitor", "beta");
	cr_assert_eq(column_of(r.output, "\n  memory-violation", "cold-restart"), alpha);
	cr_assert_eq(column_of(r.output, "\n  memory-violation", "stop"), beta);
	cr_assert_eq(column_of(r.output, "\n  heartbeat-timeout-us", "10000"), alpha);
	cr_assert(strstr(r.output, "1 channel, "), "singular: %s", r.output);
	cr_assert_null(strstr(r.output, " \n"), "no trailing blanks");
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
	cr_assert_eq(count(svg, "class=\"wname\">sensors</text>"), 2, "both sensors windows labelled");
	cr_assert_eq(count(svg, "class=\"tl\">"), 11, "0..20 ms every 2 ms");
	cr_assert(strstr(svg, "Major frame: 20 ms"));
	cr_assert(strstr(svg, "actuators (CPU 1, 50%)"), "legend");
	/* One colour per partition: sensors' two windows share one, the others differ. */
	cr_assert_eq(count(svg, "fill=\"#0072B2\" class=\"win\""), 2);
	cr_assert_eq(count(svg, "fill=\"#E69F00\" class=\"win\""), 1);
	cr_assert_eq(count(svg, "fill=\"#009E73\" class=\"win\""), 1);
	/* Channels: one arrow per destination (telemetry to logger and actuators, commands to
	 * actuators), between boxes in the partitions' colours. */
	cr_assert_eq(count(svg, "class=\"chan\""), 3, "one arrow per channel destination");
	cr_assert(strstr(svg, ">telemetry (sampling, 64 B)</text>"));
	cr_assert(strstr(svg, ">commands (queuing, 32 B, depth 8)</text>"));
	cr_assert(strstr(svg, "<title>/channels/commands: logger to actuators</title>"));
	cr_assert_eq(count(svg, "fill=\"#E69F00\" class=\"cbox\""), 2, "logger: a destination, a source");
	cr_assert_eq(count(svg, "fill=\"#009E73\" class=\"cbox\""), 2, "actuators: twice a destination");
	free(svg);
}

Test(bhplan, svg_takes_the_platform_its_usage_lists)
{
	struct qemu_run r;
	const char *path = "build/test/demo-plan-platform.svg";
	const char *argv[] = { BHPLAN, "svg", "configs/plans/demo.dts", "--platform",
			       BH_FIXTURES "/qemu-virt-gicv3-1cpu.dtb", "-o", path, NULL };
	const char *help[] = { BHPLAN, "--help", NULL };

	run_capture(help, 10, true, &r);
	cr_assert(strstr(r.output, "bhplan svg PLAN [--platform DTB] [--kernel-bytes N] -o FILE.svg"),
		  "%s", r.output);
	qemu_run_free(&r);
	/* The demo needs CPU 1: against a 1-CPU machine svg refuses, as check does. */
	run_capture(argv, 10, true, &r);
	cr_assert_eq(r.exit_status, 1, "%s", r.output);
	cr_assert(strstr(r.output, "the machine has CPU 0 only [cpu-missing]"), "%s", r.output);
	qemu_run_free(&r);
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
