/*
 * Scale: generated plans (bhplan generate, the program tick in every partition) run
 * bare metal, their kernel tables sized by the plan from free RAM; and more partitions
 * on a CPU than it has ASIDs (test_asids caps them) still keep to their own memory.
 * Every run is in virtual time (-icount) with a generous wall-clock backstop.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu.h"

#define BHPLAN "build/bin/bhplan"

/* bhplan generate (windows NULL: its default), then dtc: path.dtb. */
static void generate_full(const char *n, const char *cpus, const char *channels,
			  const char *windows, const char *path_dtb)
{
	char dts[128];
	struct qemu_run r;

	snprintf(dts, sizeof(dts), "%s.dts", path_dtb);
	if (windows)
		run_capture((const char *[]){ BHPLAN, "generate", "--partitions", n, "--cpus", cpus,
					      "--channels", channels, "--windows", windows, "-o",
					      dts, NULL },
			    60, true, &r);
	else
		run_capture((const char *[]){ BHPLAN, "generate", "--partitions", n, "--cpus", cpus,
					      "--channels", channels, "-o", dts, NULL },
			    60, true, &r);
	cr_assert_eq(r.exit_status, 0, "generate: %s", r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path_dtb, dts,
				      NULL },
		    60, true, &r);
	cr_assert_eq(r.exit_status, 0, "dtc: %s", r.output);
	qemu_run_free(&r);
}

static void generate(const char *n, const char *cpus, const char *path_dtb)
{
	generate_full(n, cpus, "0", NULL, path_dtb);
}

/*
 * Every partition p0..p<n-1> printed "tick pI K" for K = 0..min_ticks-1, each line
 * under its own name (the kernel's) with its own name in the text (what the program
 * read from its own info page) and its counter (in its own memory) going up by one.
 */
static void assert_every_partition_ticks(const struct qemu_run *r, unsigned int n,
					 unsigned int min_ticks)
{
	unsigned int *next = calloc(n, sizeof(*next));

	cr_assert(next);
	for (int i = 0; i < r->n_events; i++) {
		const struct jobj *e = &r->events[i];
		const char *ev = jobj_str(e, "ev"), *part = jobj_str(e, "partition");
		const char *text = jobj_str(e, "text");
		unsigned int pi, k;
		char name[32];

		if (!ev || strcmp(ev, "print") || !part || !text)
			continue;
		cr_assert_eq(sscanf(part, "p%u", &pi), 1, "%s", part);
		cr_assert_lt(pi, n);
		cr_assert_eq(sscanf(text, "tick %31s %u", name, &k), 2, "%s: %s", part, text);
		cr_assert_str_eq(name, part, "%s printed another partition's name: %s", part, text);
		cr_assert_eq(k, next[pi], "%s: tick %u after %u ticks", part, k, next[pi]);
		next[pi]++;
	}
	for (unsigned int i = 0; i < n; i++)
		cr_assert_geq(next[i], min_ticks, "p%u printed %u ticks", i, next[i]);
	free(next);
}

/* The kernel's tables for n partitions: logged, and the whole boot clean. */
static void assert_booted(const struct qemu_run *r, unsigned int n)
{
	const struct jobj *plan = run_find(r, "plan", 0), *kt = run_find(r, "kernel_tables", 0);

	cr_assert(plan, "no plan event");
	cr_assert_eq(jobj_u64(plan, "partitions", 0), n);
	cr_assert(kt, "no kernel_tables event");
	cr_assert_eq(jobj_u64(kt, "partitions", 0), n);
	cr_assert_gt(jobj_u64(kt, "bytes", 0), 0);
	cr_assert_eq(run_count(r, "partition_start"), (int)n);
	cr_assert_eq(run_count(r, "partition_refused"), 0);
	cr_assert_eq(run_count(r, "kernel_tables_refused"), 0);
	cr_assert_eq(run_count(r, "partition_fault"), 0);
	cr_assert_eq(run_count(r, "shutdown"), 1);
}

/* 256 partitions on 4 CPUs (64 windows of 1 ms each, a 64 ms frame), in 512 MiB of
 * RAM: the boot takes about 630 ms of virtual time, then two frames and a bit. */
Test(scale, partitions_256_on_4_cpus_all_print, .timeout = 600)
{
	struct qemu_run r;
	struct qemu_opts o = { .cpu = "cortex-a57", .gic = 3, .smp = 4,
			       .append = "loglevel=info runtime_ms=800",
			       .initrd = "build/test/scale-256.dtb", .timeout_s = 300 };

	generate("256", "4", "build/test/scale-256.dtb");
	qemu_boot(&o, &r);
	run_dump(&r);
	assert_booted(&r, 256);
	assert_every_partition_ticks(&r, 256, 2);
	qemu_run_free(&r);
}

/* The largest shape the plan limits are meant for: 256 partitions on 8 CPUs (32 each),
 * 1,024 channels between them and 256 windows of 1 ms per CPU (a 256 ms frame, each
 * partition in 8 of them), in 512 MiB. Every table the kernel keeps for them is sized by
 * this plan; every partition must load and print. The boot takes about 0.9 s of virtual
 * time (256 partitions zeroed and hashed), then two frames. */
Test(scale, partitions_256_on_8_cpus_with_1024_channels_all_print, .timeout = 900)
{
	struct qemu_run r;
	struct qemu_opts o = { .cpu = "cortex-a57", .gic = 3, .smp = 8,
			       .append = "loglevel=info runtime_ms=1600",
			       .initrd = "build/test/scale-256x8.dtb", .timeout_s = 600 };

	generate_full("256", "8", "1024", "256", "build/test/scale-256x8.dtb");
	qemu_boot(&o, &r);
	run_dump(&r);
	assert_booted(&r, 256);
	cr_assert_eq(run_count(&r, "channels_refused"), 0);
	cr_assert_eq(jobj_u64(run_find(&r, "plan", 0), "channels", 0), 1024);
	assert_every_partition_ticks(&r, 256, 1);
	qemu_run_free(&r);
}

/* The same 256 partitions in 266 MiB: their blocks fit, the kernel's tables do not. The
 * boot stops before anything runs, with kernel_tables_refused naming what ran out. */
Test(scale, tables_that_do_not_fit_in_free_ram_stop_the_boot, .timeout = 600)
{
	struct qemu_run r;
	struct qemu_opts o = { .cpu = "cortex-a57", .gic = 3, .smp = 4, .mem_mb = 266,
			       .append = "loglevel=info runtime_ms=800 panic=off",
			       .initrd = "build/test/scale-256-short.dtb", .timeout_s = 300 };

	generate("256", "4", "build/test/scale-256-short.dtb");
	qemu_boot(&o, &r);
	run_dump(&r);
	const struct jobj *e = run_find(&r, "kernel_tables_refused", 0);

	cr_assert_not(r.timed_out, "the stop powers the machine off (panic=off)");
	cr_assert(e, "no kernel_tables_refused");
	cr_assert_str_eq(jobj_str(e, "table"), "page_tables");
	cr_assert_str_eq(jobj_str(e, "error"), "not enough free RAM for the kernel's tables");
	cr_assert_lt(jobj_u64(e, "loaded", 999), 256);
	cr_assert_eq(run_count(&r, "schedule_start"), 0);
	cr_assert_eq(run_count(&r, "print"), 0);
	qemu_run_free(&r);
}

/*
 * 48 partitions on 2 CPUs (24 each) with one usable ASID per CPU: every partition
 * switch begins a generation and hands ASID 1 to the next partition, so only the TLB
 * invalidation keeps the last partition's translations from serving the next one
 * (QEMU itself drops its TLB when the ASID in TTBR0 changes, so it must stay the same
 * for the test to see a missing invalidation). Each partition still sees only its own
 * memory: its own name from its info page (at the same address in every partition)
 * and its own counter, one up each period.
 */
Test(scale, more_partitions_than_asids_take_turns_and_stay_apart, .timeout = 600)
{
	struct qemu_run r;
	struct qemu_opts o = { .cpu = "cortex-a57", .gic = 3, .smp = 2,
			       .append = "loglevel=info runtime_ms=400 test_asids=1",
			       .initrd = "build/test/scale-48.dtb", .timeout_s = 300 };

	generate("48", "2", "build/test/scale-48.dtb");
	qemu_boot(&o, &r);
	run_dump(&r);
	assert_booted(&r, 48);
	cr_assert_eq(jobj_u64(run_find(&r, "kernel_tables", 0), "asids", 0), 1);
	for (int c = 0; c < 2; c++) {
		const struct jobj *st = run_find(&r, "sched_stats", c);

		cr_assert(st, "no sched_stats for CPU %d", c);
		cr_assert_gt(jobj_u64(st, "asid_rollovers", 0), 200, "CPU %d", c);
	}
	assert_every_partition_ticks(&r, 48, 4);
	qemu_run_free(&r);
}
