/*
 * The syscall fuzzer from inside (docs/isolation.md): 10^5 seeded random calls from a
 * partition, bare metal in virtual time. The kernel never faults, every result is
 * success or a documented error, every refused call is accounted for by the
 * syscall_violation events (logged, or counted in their `suppressed`), and the demo's
 * partitions run as beside a fuzzer that makes no call: the same windows at the same
 * virtual times (within trace.h's slack) and the same output.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu.h"
#include "trace.h"

#define OUT BH_BUILD "/test/fuzz"
#define FRAME_NS 20000000ULL

static void make_plan(const char *count, char dtb[256])
{
	char cmd[1024];
	struct qemu_run r;

	snprintf(dtb, 256, OUT "/fuzz-%s.dtb", count);
	snprintf(cmd, sizeof(cmd),
		 "tests/system/plan-args.sh configs/plans/fuzz.dts fuzz " OUT "/fuzz-%s.dts seed=1 count=%s"
		 " && dtc -q -I dts -O dtb -o %s " OUT "/fuzz-%s.dts",
		 count, count, dtb, count);
	run_capture((const char *[]){ "sh", "-c", cmd, NULL }, 60, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
}

static void boot(const char *dtb, struct qemu_run *r)
{
	/* 9 s of virtual time: the 10^5 calls take about 7 (in the fuzzer's 4 ms windows). */
	struct qemu_opts o = { .gic = 3, .smp = 2, .append = "loglevel=debug runtime_ms=9000",
			       .initrd = dtb, .rtc = "base=2026-01-01T00:00:00,clock=vm" };

	qemu_boot(&o, r);
	cr_assert_not(r->timed_out);
	cr_assert_eq(r->exit_status, 0);
	cr_assert_eq(run_count(r, "shutdown"), 1);
	cr_assert_eq(run_count(r, "kernel_fault"), 0, "the kernel never faults");
	cr_assert_eq(run_count(r, "partition_fault"), 0);
}

/* n=V of the summary line. */
static uint64_t summary(const char *line, const char *key)
{
	char k[40];
	const char *p;

	snprintf(k, sizeof(k), " %s=", key);
	p = strstr(line, k);
	cr_assert_not_null(p, "%s in %s", key, line);
	return strtoull(p + strlen(k), NULL, 10);
}

/* The demo partitions' windows of frames below frames and their prints before the end
 * of frame frames - 1, sorted. */
static void trace(const struct qemu_run *r, uint64_t frames, struct trace *t)
{
	uint64_t until = jobj_u64(run_find(r, "schedule_start", 0), "epoch_ns", 0) + frames * FRAME_NS;

	for (int i = 0; i < r->n_events; i++) {
		const struct jobj *e = &r->events[i];
		const char *ev = jobj_str(e, "ev"), *part = jobj_str(e, "partition");

		if (strcmp(part, "sensors") && strcmp(part, "logger") && strcmp(part, "actuators"))
			continue;
		if (!strcmp(ev, "window") && jobj_u64(e, "frame", UINT64_MAX) < frames)
			trace_add_window(t, e, false);
		else if (!strcmp(ev, "print") && jobj_u64(e, "ts", UINT64_MAX) < until)
			trace_add_print(t, e);
	}
	trace_sort(t);
}

Test(fuzz, a_hundred_thousand_random_calls_are_contained, .timeout = 400)
{
	struct trace ta = { 0 }, tb = { 0 };
	struct qemu_run r, base;
	char dtb[256], dtb0[256];
	const char *line = NULL;

	make_plan("100000", dtb);
	make_plan("0", dtb0);
	boot(dtb, &r);
	for (int i = 0; i < r.n_events; i++)
		if (!strncmp(jobj_str(&r.events[i], "text"), "fuzz_summary ", 13))
			line = jobj_str(&r.events[i], "text");
	cr_assert_not_null(line, "the fuzzer finished its calls");
	cr_log_info("%s", line);
	cr_assert_eq(summary(line, "calls"), 100000);
	cr_assert_eq(summary(line, "bad"), 0, "every result success or a documented error");
	cr_assert_eq(summary(line, "other"), 0);

	/* Every refused call is one syscall_violation, logged or counted as suppressed. */
	uint64_t refused = summary(line, "not-permitted") + summary(line, "unknown-call") +
			   summary(line, "bad-address") + summary(line, "invalid-argument") +
			   summary(line, "too-long") + summary(line, "bad-handle");
	uint64_t logged = 0, suppressed = 0;

	for (int i = 0; i < r.n_events; i++) {
		const struct jobj *e = &r.events[i];

		if (!strcmp(jobj_str(e, "ev"), "syscall_violation")) {
			cr_assert_str_eq(jobj_str(e, "partition"), "fuzz");
			logged++;
			suppressed += jobj_u64(e, "suppressed", 0);
		} else if (!strcmp(jobj_str(e, "ev"), "syscall_violations_suppressed")) {
			suppressed += jobj_u64(e, "count", 0);
		}
	}
	cr_assert_eq(logged + suppressed, refused, "%" PRIu64 " logged + %" PRIu64 " suppressed",
		     logged, suppressed);
	cr_assert_gt(suppressed, 0, "the limit held back the flood");
	cr_assert_leq(logged, 4 * (jobj_u64(run_find(&r, "sched_stats", 0), "frames", 0) + 1),
		      "at most 4 events per frame");

	/* The demo ran as beside a fuzzer that makes no call. */
	boot(dtb0, &base);
	cr_assert_eq(run_count(&base, "syscall_violation"), 0);
	uint64_t fa = 0, fb = 0;

	for (int i = 0; i < r.n_events; i++)
		if (!strcmp(jobj_str(&r.events[i], "ev"), "window") && jobj_u64(&r.events[i], "frame", 0) > fa)
			fa = jobj_u64(&r.events[i], "frame", 0);
	for (int i = 0; i < base.n_events; i++)
		if (!strcmp(jobj_str(&base.events[i], "ev"), "window") &&
		    jobj_u64(&base.events[i], "frame", 0) > fb)
			fb = jobj_u64(&base.events[i], "frame", 0);
	uint64_t frames = (fa < fb ? fa : fb) - 1;

	cr_assert_geq(frames, 100);
	trace(&r, frames, &ta);
	trace(&base, frames, &tb);
	/* Window starts within QEMU's round robin (trace.h), everything else exactly. */
	trace_assert_same_within(&ta, &tb, TRACE_SLACK_ROUND_ROBIN_NS,
				 "the demo ran differently beside the fuzzer");
	trace_free(&ta);
	trace_free(&tb);
	qemu_run_free(&r);
	qemu_run_free(&base);
}
