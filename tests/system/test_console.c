/*
 * System tests of the console as the CPUs share it (docs/architecture.md, "Console and
 * log"): a partition that floods a slow console on one CPU takes no time from another
 * CPU's windows, one CPU's lines keep their order, and lines that do not fit are counted.
 * Bare metal under -icount: the lateness figures are virtual ns, the same on every run (up
 * to how QEMU interleaves two CPUs at one instant), not host time.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu.h"

#define DIR BH_BUILD "/test/console"
#define PLAN "configs/plans/test-console-xcpu.dts"
/* What a Xen guest pays per console byte (docs/xen.md): a line costs about a ms. */
#define SLOW_ARGS "loglevel=info runtime_ms=300 test_uart_ns=8000"
/* Two runs of one plan under -icount may differ by a few instructions where QEMU
 * interleaves the CPUs (tests/system/trace.h allows the same). */
#define LATENESS_SLACK_NS 2000

static bool is(const struct jobj *e, const char *ev)
{
	return !strcmp(jobj_str(e, "ev"), ev);
}

/* DIR/name.dtb: the test plan with chatty printing lines_arg ("lines=N") per frame. */
static void plan_with(const char *name, const char *lines_arg, char *dtb, size_t cap)
{
	char dts[256];
	struct qemu_run r;

	snprintf(dts, sizeof(dts), DIR "/%s.dts", name);
	snprintf(dtb, cap, DIR "/%s.dtb", name);
	run_capture((const char *[]){ "tests/system/plan-args.sh", PLAN, "chatty", dts, lines_arg,
				      NULL },
		    30, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts, NULL }, 30,
		    true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
}

static void boot(const char *dtb, const char *append, struct qemu_run *r)
{
	struct qemu_opts o = { .gic = 3, .smp = 2, .append = append, .initrd = dtb };

	qemu_boot(&o, r);
	run_dump(r);
	cr_assert_not(r->timed_out, "QEMU did not stop by itself");
	cr_assert_eq(r->exit_status, 0);
	cr_assert_eq(r->n_other, 0, "every console line is one JSON object");
	cr_assert_eq(run_count(r, "shutdown"), 1);
	cr_assert_eq(run_count(r, "bootarg_ignored"), 0);
}

static const struct jobj *stats_of(const struct qemu_run *r, uint64_t cpu)
{
	for (int i = 0; i < r->n_events; i++)
		if (is(&r->events[i], "sched_stats") && jobj_u64(&r->events[i], "target", 99) == cpu)
			return &r->events[i];
	cr_assert_fail("no sched_stats for CPU %llu", (unsigned long long)cpu);
	return NULL;
}

/* Prints of part: their count; each "tick PART N" (lines == 1) or "tick PART N/I" must
 * come after the one before in (N, I) order, I counting 0..lines-1 within each N. */
static int prints_in_order(const struct qemu_run *r, const char *part, unsigned int lines)
{
	long long last_n = -1, last_i = (long long)lines - 1;
	char prefix[64];
	int n = 0;

	snprintf(prefix, sizeof(prefix), "tick %s ", part);
	for (int i = 0; i < r->n_events; i++) {
		const struct jobj *e = &r->events[i];
		const char *text = jobj_str(e, "text");
		long long tn, ti = 0;

		if (!is(e, "print") || strcmp(jobj_str(e, "partition"), part))
			continue;
		cr_assert(!strncmp(text, prefix, strlen(prefix)), "%s printed %s", part, text);
		if (lines == 1)
			cr_assert_eq(sscanf(text + strlen(prefix), "%lld", &tn), 1, "%s", text);
		else
			cr_assert_eq(sscanf(text + strlen(prefix), "%lld/%lld", &tn, &ti), 2, "%s", text);
		/* The next line of the same job, or a later job's (lines lost to a full
		 * ring are whole lines, counted in log_dropped). */
		cr_assert((tn == last_n && ti > last_i) || tn > last_n, "%s after %lld/%lld", text,
			  last_n, last_i);
		last_n = tn;
		last_i = ti;
		n++;
	}
	return n;
}

/*
 * CPU 0 runs two 1 ms windows back to back (first, second), each partition printing one
 * line a frame; CPU 1's chatty prints six a frame, each line about a ms of console at
 * 8 us a byte. With the console written synchronously under one lock, first's line waited
 * for chatty's with interrupts masked and ran past its window's end: of 46 windows CPU 0
 * started 8 (a window that passed while its CPU waited never started, and lateness counts
 * only those that did). With per-CPU rings drained in idle time, CPU 0 starts every window
 * and its lateness is what it is when chatty prints nothing. chatty's lines all come out,
 * in order.
 *
 * Under -icount a CPU that spins takes the other CPU's virtual time (docs/building.md,
 * "Two CPUs under -icount"), and a drain of the slow console spins: while CPU 1 sends
 * chatty's lines, CPU 0 takes its timer interrupts on time but first and second run
 * little. So their output is checked in a run at the console's own speed.
 */
Test(console, a_partition_flooding_a_slow_console_takes_no_time_from_another_cpu, .timeout = 300)
{
	char quiet_dtb[256], loud_dtb[256];
	struct qemu_run quiet, loud;

	plan_with("quiet", "lines=0", quiet_dtb, sizeof(quiet_dtb));
	plan_with("loud", "lines=6", loud_dtb, sizeof(loud_dtb));
	boot(quiet_dtb, SLOW_ARGS, &quiet);
	boot(loud_dtb, SLOW_ARGS, &loud);

	uint64_t base = jobj_u64(stats_of(&quiet, 0), "lateness_max_ns", UINT64_MAX);
	uint64_t late = jobj_u64(stats_of(&loud, 0), "lateness_max_ns", UINT64_MAX);
	uint64_t windows = jobj_u64(stats_of(&loud, 0), "windows", 0);
	uint64_t frames = jobj_u64(stats_of(&loud, 0), "frames", 0);

	cr_log_info("CPU 0 window lateness max: %llu ns without chatty, %llu ns with it",
		    (unsigned long long)base, (unsigned long long)late);
	cr_assert_eq(run_count(&quiet, "print") - run_count_of(&quiet, "print", "first") -
			     run_count_of(&quiet, "print", "second"),
		     0, "chatty printed nothing in the quiet run");
	cr_assert_eq(jobj_u64(stats_of(&quiet, 0), "windows", 0),
		     2 * jobj_u64(stats_of(&quiet, 0), "frames", 0));
	cr_assert_lt(base, 10000, "CPU 0 is punctual on its own (%llu ns)", (unsigned long long)base);
	cr_assert_eq(windows, 2 * frames, "CPU 0 started both windows of every frame: %llu in %llu frames",
		     (unsigned long long)windows, (unsigned long long)frames);
	cr_assert_geq(frames, 25, "CPU 0 ran its frames (%llu)", (unsigned long long)frames);
	cr_assert_leq(late, base + LATENESS_SLACK_NS,
		      "chatty on CPU 1 made CPU 0's windows late: %llu ns, %llu ns without it",
		      (unsigned long long)late, (unsigned long long)base);

	int chatty = prints_in_order(&loud, "chatty", 6);

	cr_assert_geq(chatty, 6 * 25, "chatty's lines came out (%d)", chatty);
	cr_assert_eq(run_count(&loud, "log_dropped"), 0, "the plan leaves the console idle time enough");
	cr_assert_eq(run_count_of(&loud, "deadline_miss", "chatty"), 0, "chatty's prints cost it nothing");
	qemu_run_free(&quiet);
	qemu_run_free(&loud);
}

/* The same plan at the console's own speed: every line of every partition comes out, each
 * partition's in order, and no job is late for its prints. */
Test(console, every_line_comes_out_in_order_per_cpu, .timeout = 300)
{
	char loud_dtb[256];
	struct qemu_run r;

	plan_with("loud-fast", "lines=6", loud_dtb, sizeof(loud_dtb));
	boot(loud_dtb, "loglevel=info runtime_ms=300", &r);

	uint64_t frames0 = jobj_u64(stats_of(&r, 0), "frames", 0);
	int chatty = prints_in_order(&r, "chatty", 6);
	int first = prints_in_order(&r, "first", 1), second = prints_in_order(&r, "second", 1);

	cr_assert_geq(frames0, 25);
	/* One job a frame each; the last frame's lines may follow the shutdown's stats. */
	cr_assert_geq(first, (int)frames0 - 1, "first printed %d lines in %llu frames", first,
		      (unsigned long long)frames0);
	cr_assert_geq(second, (int)frames0 - 1, "second printed %d", second);
	cr_assert_geq(chatty, 6 * ((int)frames0 - 1), "chatty printed %d", chatty);
	cr_assert_eq(run_count(&r, "log_dropped"), 0);
	cr_assert_eq(run_count(&r, "deadline_miss"), 0);
	qemu_run_free(&r);
}
