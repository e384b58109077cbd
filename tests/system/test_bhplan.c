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

/* bhplan generate at the sizes of the scale runs: N partitions on 8 CPUs. */
struct gen_size {
	const char *n, *channels, *windows;
};

static void generate(const struct gen_size *s, const char *path)
{
	struct qemu_run r;
	const char *argv[] = { BHPLAN, "generate", "--partitions", s->n, "--cpus", "8", "--channels",
			       s->channels, "--windows", s->windows, "-o", path, NULL };

	run_capture(argv, 20, true, &r);
	cr_assert_eq(r.exit_status, 0, "generate %s: %s", s->n, r.output);
	cr_assert_str_eq(r.output, "", "silent when good");
	qemu_run_free(&r);
}

Test(bhplan, generated_plans_pass_check_at_every_size)
{
	static const struct gen_size sizes[] = {
		{ "1", "0", "1" },
		{ "16", "1024", "16" },
		{ "64", "1024", "64" },
		{ "256", "1024", "256" },
	};
	char path[64];

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct qemu_run r;

		snprintf(path, sizeof(path), "build/test/generated-%s.dts", sizes[i].n);
		generate(&sizes[i], path);
		run_capture((const char *[]){ BHPLAN, "check", path, "--programs", "tick", NULL }, 60,
			    true, &r);
		cr_assert_eq(r.exit_status, 0, "%s partitions: %s", sizes[i].n, r.output);
		cr_assert_str_eq(r.output, "");
		qemu_run_free(&r);
	}
}

Test(bhplan, generate_is_deterministic_and_refuses_bad_options)
{
	static const struct gen_size s = { "16", "16", "32" };
	struct qemu_run r;
	FILE *a, *b;
	int ca, cb;

	generate(&s, "build/test/generated-a.dts");
	generate(&s, "build/test/generated-b.dts");
	a = fopen("build/test/generated-a.dts", "rb");
	b = fopen("build/test/generated-b.dts", "rb");
	cr_assert(a && b);
	do {
		ca = fgetc(a);
		cb = fgetc(b);
		cr_assert_eq(ca, cb, "the same options write the same bytes");
	} while (ca != EOF);
	fclose(a);
	fclose(b);

	run_capture((const char *[]){ BHPLAN, "generate", "--partitions", "16", "--cpus", "2",
				      "--channels", "0", "--windows", "7", NULL },
		    10, true, &r);
	cr_assert_eq(r.exit_status, 2);
	cr_assert(strstr(r.output, "--windows must be at least the partitions per CPU"), "%s", r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ BHPLAN, "generate", "--partitions", "1", "--cpus", "1",
				      "--channels", "1", NULL },
		    10, true, &r);
	cr_assert_eq(r.exit_status, 2);
	cr_assert(strstr(r.output, "channels need at least 2 partitions"), "%s", r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ BHPLAN, "generate", "--partitions", "4", "--cpus", "9",
				      "--channels", "0", NULL },
		    10, true, &r);
	cr_assert_eq(r.exit_status, 2);
	cr_assert(strstr(r.output, "--cpus must be 1..8"), "%s", r.output);
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
				   "  on-limit              stop          stop          stop\n"
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

/* The handle layout docs/syscalls.md gives (slot, owner, generation 1, check nibble),
 * computed here independently of core/cap.c. */
static unsigned int doc_handle(unsigned int owner, unsigned int slot)
{
	unsigned int low = slot | owner << 12 | 1u << 22, x = 0x9;

	for (int i = 0; i < 7; i++)
		x ^= (low >> (4 * i)) & 0xf;
	return low | x << 28;
}

/* Generates the partition's header, compiles a program that prints its constants with
 * gcc (-Werror, with the ABI header), runs it and returns what it printed. */
static void header_values(const char *partition, const char *body, struct qemu_run *out)
{
	char hdr[256], src[256], exe[256];
	const char *gen[] = { BHPLAN, "header", "configs/plans/demo.dts", partition, "-o", hdr, NULL };
	const char *cc[] = { "gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I.", "-o", exe, src, NULL };
	const char *run[] = { exe, NULL };
	struct qemu_run r;
	FILE *f;

	snprintf(hdr, sizeof(hdr), BH_BUILD "/test-header/%s.h", partition);
	snprintf(src, sizeof(src), BH_BUILD "/test-header/%s.c", partition);
	snprintf(exe, sizeof(exe), BH_BUILD "/test-header/%s", partition);
	cr_assert_eq(system("mkdir -p " BH_BUILD "/test-header"), 0);
	run_capture(gen, 10, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	cr_assert_str_eq(r.output, "", "silent when good");
	qemu_run_free(&r);
	f = fopen(src, "w");
	cr_assert_not_null(f);
	fprintf(f, "#include <stdio.h>\n#include \"include/bulkhead/abi.h\"\n#include \"%s\"\n"
		   "int main(void) { %s return 0; }\n", hdr, body);
	fclose(f);
	run_capture(cc, 30, true, &r);
	cr_assert_eq(r.exit_status, 0, "the header compiles cleanly:\n%s", r.output);
	qemu_run_free(&r);
	run_capture(run, 10, true, out);
	cr_assert_eq(out->exit_status, 0);
}

Test(bhplan, header_gives_each_partition_its_handles_sizes_and_depths)
{
	struct qemu_run r;
	char want[512];

	header_values("sensors",
		      "bh_cap_t rtc = BH_DEVICE_PL031_9010000, t = BH_PORT_TELEMETRY;"
		      "printf(\"%s %u %x %x %d %d %u %u %s %u %u\\n\", BH_PARTITION_NAME, BH_PARTITION_INDEX,"
		      " rtc, t, BH_PORT_TELEMETRY_SEND, BH_PORT_TELEMETRY_SAMPLING,"
		      " BH_PORT_TELEMETRY_MESSAGE_BYTES, BH_PORT_TELEMETRY_REFRESH_US,"
		      " BH_DEVICE_PL031_9010000_PATH, BH_N_DEVICES, BH_N_PORTS);",
		      &r);
	snprintf(want, sizeof(want), "sensors 0 %x %x 1 1 64 20000 pl031@9010000 1 1\n", doc_handle(0, 0),
		 doc_handle(0, 1));
	cr_assert_str_eq(r.output, want);
	qemu_run_free(&r);

	header_values("logger",
		      "printf(\"%u %x %d %x %d %d %u %u %u\\n\", BH_PARTITION_INDEX, BH_PORT_TELEMETRY,"
		      " BH_PORT_TELEMETRY_RECEIVE, BH_PORT_COMMANDS, BH_PORT_COMMANDS_SEND,"
		      " BH_PORT_COMMANDS_QUEUING, BH_PORT_COMMANDS_MESSAGE_BYTES, BH_PORT_COMMANDS_DEPTH,"
		      " BH_N_DEVICES);",
		      &r);
	snprintf(want, sizeof(want), "1 %x 1 %x 1 1 32 8 0\n", doc_handle(1, 0), doc_handle(1, 1));
	cr_assert_str_eq(r.output, want);
	qemu_run_free(&r);

	header_values("actuators",
		      "printf(\"%x %x %x %d %d\\n\", BH_DEVICE_PL061_9030000, BH_PORT_TELEMETRY,"
		      " BH_PORT_COMMANDS, BH_PORT_TELEMETRY_RECEIVE, BH_PORT_COMMANDS_RECEIVE);",
		      &r);
	snprintf(want, sizeof(want), "%x %x %x 1 1\n", doc_handle(2, 0), doc_handle(2, 1), doc_handle(2, 2));
	cr_assert_str_eq(r.output, want);
	qemu_run_free(&r);
}

Test(bhplan, header_of_an_unknown_partition_or_without_output_is_refused)
{
	struct qemu_run r;
	const char *unknown[] = { BHPLAN, "header", "configs/plans/demo.dts", "nobody", "-o",
				  BH_BUILD "/test-header/nobody.h", NULL };
	const char *no_out[] = { BHPLAN, "header", "configs/plans/demo.dts", "sensors", NULL };

	run_capture(unknown, 10, true, &r);
	cr_assert_eq(r.exit_status, 2);
	cr_assert(strstr(r.output, "the plan has no partition 'nobody'"), "%s", r.output);
	qemu_run_free(&r);
	run_capture(no_out, 10, true, &r);
	cr_assert_eq(r.exit_status, 2);
	cr_assert(strstr(r.output, "usage: bhplan"));
	qemu_run_free(&r);
}

Test(bhplan, image_sha256_is_checked_against_the_built_programs)
{
	struct qemu_run r;
	const char *wrong[] = { BHPLAN, "check", "tests/fixtures/plans/image-sha256.dts", "--images",
				BH_BUILD "/partitions", NULL };
	const char *sum[] = { "sha256sum", BH_BUILD "/partitions/demo-sensors.elf", NULL };
	char dts[256], base[4096];
	const char *right[] = { BHPLAN, "check", dts, "--images", BH_BUILD "/partitions", NULL };
	FILE *f;

	run_capture(wrong, 10, true, &r);
	cr_assert_eq(r.exit_status, 1, "%s", r.output);
	cr_assert(strstr(r.output, "/partitions/alpha: image 'demo-sensors' is sha256 "), "%s", r.output);
	cr_assert(strstr(r.output, "[image-digest]"), "%s", r.output);
	qemu_run_free(&r);

	/* The digest sha256sum gives passes. */
	run_capture(sum, 10, false, &r);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_not_null(realpath("tests/fixtures/plans/base.dtsi", base));
	snprintf(dts, sizeof(dts), BH_BUILD "/test-header/image-sha256-right.dts");
	cr_assert_eq(system("mkdir -p " BH_BUILD "/test-header"), 0);
	f = fopen(dts, "w");
	cr_assert_not_null(f);
	fprintf(f, "/dts-v1/;\n/include/ \"%s\"\n&{/partitions/alpha} { image-sha256 = \"%.64s\"; };\n",
		base, r.output);
	fclose(f);
	qemu_run_free(&r);
	run_capture(right, 10, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	cr_assert_str_eq(r.output, "");
	qemu_run_free(&r);
}
