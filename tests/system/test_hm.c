/*
 * The health monitor in the running kernel (docs/health.md), bare metal under icount:
 * `faulty` (docs/isolation.md, "Fault injection") triggers each class through its plan
 * args, and each run is checked for its `hm` events, the action taken, the restart
 * count, faulty's state at shutdown (hm_stats), the reload's digest, and that the other
 * partitions' window traces and output counts are identical to a run without the fault.
 * The same classes under Xen: test_hm_xen.c.
 */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "qemu.h"
#include "trace.h"

#define DIR BH_BUILD "/test/hm"
#define RUN_MS "600"

/* Writes DIR/name.dts: base (a shipped plan) with part's args replaced and extra plan
 * text after, checks it with bhplan, compiles DIR/name.dtb. */
static void make_plan(const char *name, const char *base, const char *part, const char *extra,
		      const char *const *args)
{
	char args_dts[256], dts[256], dtb[256];
	const char *argv[16] = { "tests/system/plan-args.sh", base, part, args_dts };
	int n = 4;
	struct qemu_run r;
	FILE *f;

	snprintf(args_dts, sizeof(args_dts), DIR "/%s-args.dts", name);
	snprintf(dts, sizeof(dts), DIR "/%s.dts", name);
	snprintf(dtb, sizeof(dtb), DIR "/%s.dtb", name);
	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	run_capture(argv, 30, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	f = fopen(dts, "w");
	cr_assert_not_null(f);
	fprintf(f, "/dts-v1/;\n/include/ \"%s-args.dts\"\n%s\n", name, extra ? extra : "");
	fclose(f);
	run_capture((const char *[]){ BH_BUILD "/bin/bhplan", "check", dts, NULL }, 30, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts, NULL }, 30,
		    true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
}

/* What a run says, read from everything it printed (not only the first lines). */
struct hm_run {
	struct qemu_run q;
	struct trace others;   /* window events of every partition but `subject`, in log order */
	int prints[8];         /* print events of the demo's partitions */
	int n_hm, n_restart, n_refused, n_digest_ok, n_not_reloaded, n_not_zeroed, n_system;
	int n_unplanned;       /* hm events whose action is not the planned one */
	int n_memory, n_warm;  /* hm events of class memory-violation; warm restarts */
	int n_starts0;         /* "faulty: start 0" lines (first start, cell restarts) */
	int n_kept, n_pzero;   /* start lines whose persistent region was kept, or zero */
	uint64_t frames;       /* sched_stats frames of CPU 1 */
	uint64_t table_pages_min, table_pages_max; /* over the partition_restart events */
	struct jobj hm[4];     /* the first hm events of the subject */
	struct jobj last_hm, stats, restart;
	bool shutdown;
	bool lenient;          /* Xen: the other partitions' timing is not checked */
	int n_others_hm, n_late;
};

static const char *const demo_parts[] = { "sensors", "logger", "actuators" };

static bool is_ev(const struct jobj *o, const char *ev)
{
	const char *e = jobj_str(o, "ev");

	return e && !strcmp(e, ev);
}

static bool of(const struct jobj *o, const char *part)
{
	const char *p = jobj_str(o, "partition");

	return p && !strcmp(p, part);
}

static void analyse(struct hm_run *h, const char *subject)
{
	char *out = strdup(h->q.output), *line, *save = NULL;

	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct jobj o;

		if (!jsonl_parse(line, &o))
			continue;
		if (is_ev(&o, "window") && !of(&o, subject)) {
			/* The subject's CPU (1): switch times within trace.h's slack. The other
			 * CPU: the same windows; its switch times can move by a few instructions
			 * when both CPUs print at once (they share the console's lock), whatever
			 * the subject does, so they are not compared. */
			trace_add_window(&h->others, &o, true);
			if (jobj_u64(&o, "cpu", 9) != 1)
				h->others.l[h->others.n - 1].actual_ns = 0;
		} else if (is_ev(&o, "print")) {
			for (int i = 0; i < 3; i++)
				h->prints[i] += of(&o, demo_parts[i]);
			const char *t = jobj_str(&o, "text");
			h->n_not_reloaded += t && strstr(t, "NOT RELOADED");
			h->n_not_zeroed += t && strstr(t, "NOT ZEROED");
			h->n_starts0 += t && !strncmp(t, "faulty: start 0 ", 16);
			h->n_kept += t && !strncmp(t, "faulty: start ", 14) && strstr(t, "persistent KEPT");
			h->n_pzero += t && !strncmp(t, "faulty: start ", 14) && strstr(t, "persistent zero");
		} else if (is_ev(&o, "hm")) {
			if (h->lenient && (!strcmp(jobj_str(&o, "class"), "deadline-miss") ||
					   !strcmp(jobj_str(&o, "action"), "ignore"))) {
				/* Xen: lateness is the host's (a late job, a late heartbeat, the
				 * watchdog's verdict on a late driver): logged, not acted on. */
				h->n_late += of(&o, subject);
				continue;
			}
			if (!of(&o, subject)) {
				/* Under Xen (host real time) the others may be late: counted. */
				cr_assert(h->lenient, "an hm event of another partition: %s", line);
				h->n_others_hm++;
				continue;
			}
			if (h->n_hm < 4)
				h->hm[h->n_hm] = o;
			h->last_hm = o;
			h->n_hm++;
			h->n_unplanned += strcmp(jobj_str(&o, "planned"), jobj_str(&o, "action")) != 0;
			h->n_memory += !strcmp(jobj_str(&o, "class"), "memory-violation");
			h->n_warm += !strcmp(jobj_str(&o, "action"), "warm-restart");
		} else if (is_ev(&o, "partition_restart")) {
			h->n_restart++;
			h->n_digest_ok += jobj_str(&o, "digest_as_boot") &&
					  !strcmp(jobj_str(&o, "digest_as_boot"), "true");
			uint64_t tp = jobj_u64(&o, "table_pages_used", 0);

			if (h->n_restart == 1 || tp < h->table_pages_min)
				h->table_pages_min = tp;
			if (tp > h->table_pages_max)
				h->table_pages_max = tp;
			h->restart = o;
		} else if (is_ev(&o, "hm_refused")) {
			h->n_refused++;
		} else if (is_ev(&o, "hm_stats") && of(&o, subject)) {
			h->stats = o;
		} else if (is_ev(&o, "sched_stats") && jobj_u64(&o, "target", 9) == 1) {
			h->frames = jobj_u64(&o, "frames", 0);
		} else if (is_ev(&o, "system_action")) {
			h->n_system++;
		} else if (is_ev(&o, "shutdown")) {
			h->shutdown = true;
		}
	}
	free(out);
}

/* Boots plan (DIR/name.dtb, or a shipped one) for ms at debug, in virtual time, with
 * the RTC on the virtual clock, and reads it. */
static void boot(const char *dtb, const char *ms, const char *subject, struct hm_run *h)
{
	char append_[64];
	struct qemu_opts o = { .gic = 3, .smp = 2, .append = append_, .initrd = dtb,
			       .rtc = "clock=vm" };

	memset(h, 0, sizeof(*h));
	snprintf(append_, sizeof(append_), "loglevel=debug runtime_ms=%s", ms);
	qemu_boot(&o, &h->q);
	cr_assert_not(h->q.timed_out, "QEMU did not stop by itself");
	cr_assert_eq(h->q.exit_status, 0);
	analyse(h, subject);
}

static void hm_run_free(struct hm_run *h)
{
	trace_free(&h->others);
	qemu_run_free(&h->q);
}

/* The run with fault=none, once per test process and run length. */
static struct hm_run *baseline(const char *ms)
{
	static struct hm_run b[2];
	static const char *done[2];
	int i = strcmp(ms, RUN_MS) ? 1 : 0;

	if (!done[i]) {
		char name[64], dtb[128];

		/* Per process: the tests run in parallel, each makes its own baseline. */
		snprintf(name, sizeof(name), "none-%s-%d", ms, (int)getpid());
		snprintf(dtb, sizeof(dtb), DIR "/%s.dtb", name);
		make_plan(name, "configs/plans/faulty.dts", "faulty", NULL,
			  (const char *[]){ "fault=none", NULL });
		boot(dtb, ms, "faulty", &b[i]);
		cr_assert_eq(b[i].n_hm, 0, "no detection without a fault");
		done[i] = ms;
	}
	return &b[i];
}

/* The other partitions ran exactly as without the fault. */
static void assert_others_untouched(const struct hm_run *h, const char *ms)
{
	const struct hm_run *b = baseline(ms);

	cr_assert_gt(b->others.n, 20, "the baseline has window events");
	trace_assert_same(&h->others, &b->others,
			  "the other partitions' windows, with the fault and without");
	for (int i = 0; i < 3; i++)
		cr_assert_eq(h->prints[i], b->prints[i], "%s printed %d times, %d without the fault",
			     demo_parts[i], h->prints[i], b->prints[i]);
}

static void assert_str(const struct jobj *o, const char *key, const char *want)
{
	const char *v = jobj_str(o, key);

	cr_assert(v && !strcmp(v, want), "%s is %s, expected %s", key, v ? v : "(none)", want);
}

/* A fault mode under faulty.dts's own policy: every detection a cold restart, three at
 * most, then stop. */
static void class_case(const char *name, const char *const *args, const char *cls,
		       const char *cell, const char *final_state, int min_restarts)
{
	char dtb[128];
	struct hm_run h;

	make_plan(name, "configs/plans/faulty.dts", "faulty", NULL, args);
	snprintf(dtb, sizeof(dtb), DIR "/%s.dtb", name);
	boot(dtb, RUN_MS, "faulty", &h);
	cr_assert_geq(h.n_hm, 1, "%s: no hm event", name);
	assert_str(&h.hm[0], "class", cls);
	assert_str(&h.hm[0], "cell", cell);
	assert_str(&h.hm[0], "planned", "cold-restart");
	assert_str(&h.hm[0], "action", "cold-restart");
	assert_str(&h.hm[0], "state", "cold-start");
	cr_assert_eq(jobj_u64(&h.hm[0], "restarts", 0), 1);
	cr_assert_geq(h.n_restart, min_restarts);
	cr_assert_eq(h.n_digest_ok, h.n_restart, "every reload rebuilt the boot image exactly");
	cr_assert_eq(h.n_not_reloaded, 0);
	cr_assert_eq(h.n_not_zeroed, 0, "a cold restart wipes everything");
	cr_assert_eq(h.n_refused, 0);
	assert_str(&h.stats, "state", final_state);
	cr_assert_eq(jobj_u64(&h.stats, "restarts", 99), (uint64_t)h.n_restart);
	if (!strcmp(final_state, "stopped")) {
		cr_assert_eq(h.n_restart, 3, "the budget: three restarts, then on-limit");
		assert_str(&h.last_hm, "action", "stop");
		assert_str(&h.last_hm, "limit", "true");
		cr_assert_eq(jobj_u64(&h.stats, "restart_limit", 0), 1);
	}
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

#define ARGS(...) ((const char *[]){ __VA_ARGS__, NULL })

Test(hm, memory_violation_restarts_cold_until_the_budget_stops_it, .timeout = 300)
{
	class_case("memory", ARGS("fault=memory", "after=2"), "memory-violation", "driver", "stopped", 3);
}

Test(hm, illegal_instruction_restarts_cold_until_the_budget_stops_it, .timeout = 300)
{
	class_case("illegal", ARGS("fault=illegal", "after=1"), "illegal-instruction", "driver",
		   "stopped", 3);
}

Test(hm, a_hung_driver_is_a_deadline_miss, .timeout = 300)
{
	class_case("hang", ARGS("fault=hang", "after=1"), "deadline-miss", "driver", "stopped", 3);
}

Test(hm, an_overrun_is_a_deadline_miss, .timeout = 300)
{
	class_case("overrun", ARGS("fault=overrun", "after=1"), "deadline-miss", "driver", "stopped", 3);
}

Test(hm, a_silent_watchdog_is_a_heartbeat_miss, .timeout = 300)
{
	/* 60 ms timeout, checked at faulty's window starts: three restarts in 600 ms. */
	class_case("no-heartbeat", ARGS("fault=no-heartbeat", "after=1"), "heartbeat-miss", "null",
		   "normal", 3);
}

Test(hm, an_application_error_takes_its_action, .timeout = 300)
{
	class_case("app-error", ARGS("fault=app-error", "after=1"), "application-error", "driver",
		   "stopped", 3);
}

Test(hm, a_stalled_driver_is_reported_by_the_watchdog_cell, .timeout = 300)
{
	class_case("stall", ARGS("fault=stall", "after=1"), "application-error", "watchdog",
		   "stopped", 3);
}

Test(hm, a_restart_loop_ends_at_the_restart_limit, .timeout = 300)
{
	class_case("restart-loop", ARGS("fault=restart-loop"), "memory-violation", "driver", "stopped", 3);
}

Test(hm, corrupted_memory_is_reloaded_by_a_cold_restart, .timeout = 300)
{
	class_case("corrupt", ARGS("fault=corrupt", "after=1"), "memory-violation", "driver", "stopped", 3);
}

/* The demo: a driver and a watchdog cell per partition under the health monitor (each
 * driver reports progress, each watchdog checks it and beats): one second, nothing
 * detected, every partition normal at shutdown. */
Test(hm, the_demo_runs_under_the_health_monitor_with_no_detection, .timeout = 300)
{
	struct hm_run h;

	boot(NULL, "1000", "none", &h);
	cr_assert_eq(h.n_hm, 0);
	cr_assert_eq(h.n_refused, 0);
	cr_assert_eq(run_count(&h.q, "hm_stats"), 3);
	for (int i = 0; i < 3; i++) {
		const struct jobj *st = run_find(&h.q, "hm_stats", i);

		cr_assert_str_eq(jobj_str(st, "state"), "normal");
		cr_assert_eq(jobj_u64(st, "heartbeat_miss", 9) + jobj_u64(st, "application_error", 9) +
				     jobj_u64(st, "deadline_miss", 9),
			     0);
		cr_assert_gt(h.prints[i], 10, "%s ran", demo_parts[i]);
	}
	hm_run_free(&h);
}

/* ---- The other actions, by plans that change faulty's policy -------------------- */

static void boot_policy(const char *name, const char *const *args, const char *extra,
			struct hm_run *h)
{
	char dtb[128];

	make_plan(name, "configs/plans/faulty.dts", "faulty", extra, args);
	snprintf(dtb, sizeof(dtb), DIR "/%s.dtb", name);
	boot(dtb, RUN_MS, "faulty", h);
}

Test(hm, restart_cell_puts_the_cell_back_at_its_entry, .timeout = 300)
{
	struct hm_run h;

	boot_policy("restart-cell", ARGS("fault=app-error", "after=1"),
		    "&{/partitions/faulty/health-monitor} { application-error = \"restart-cell\"; };", &h);
	assert_str(&h.hm[0], "class", "application-error");
	assert_str(&h.hm[0], "action", "restart-cell");
	assert_str(&h.hm[0], "state", "normal");
	cr_assert_eq(jobj_u64(&h.hm[0], "cell_restarts", 0), 1);
	cr_assert_eq(jobj_u64(&h.hm[0], "restarts", 9), 0, "the partition did not restart");
	cr_assert_eq(h.n_restart, 0, "no reload");
	/* Its start line again (same memory, so still start 0) after each cell restart, and
	 * the budget (three restarts of any kind) then stops it. */
	cr_assert_eq(h.n_starts0, 4);
	assert_str(&h.last_hm, "action", "stop");
	assert_str(&h.stats, "state", "stopped");
	cr_assert_eq(jobj_u64(&h.stats, "cell_restarts", 0), 3);
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

Test(hm, ignore_logs_and_lets_the_partition_go_on, .timeout = 300)
{
	struct hm_run h;

	boot_policy("ignore", ARGS("fault=app-error", "after=1"),
		    "&{/partitions/faulty/health-monitor} { application-error = \"ignore\"; };", &h);
	cr_assert_eq(h.n_hm, 1);
	assert_str(&h.hm[0], "action", "ignore");
	assert_str(&h.hm[0], "state", "normal");
	assert_str(&h.stats, "state", "normal");
	cr_assert_eq(jobj_u64(&h.stats, "restarts", 9), 0);
	cr_assert_eq(jobj_u64(&h.stats, "application_error", 0), 1);
	cr_assert(strstr(h.q.output, "faulty: period 20 ok"), "it went on");
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

/* The top 64 KiB, the persistent region (bh_persistent; fault=corrupt smashes its first
 * page, and the heap's last page), survive a warm restart; the program, data and heap
 * below are reloaded and zeroed. */
Test(hm, a_warm_restart_keeps_the_persistent_region, .timeout = 300)
{
	struct hm_run h;

	boot_policy("warm", ARGS("fault=corrupt", "after=1"),
		    "&{/partitions/faulty} { persistent-bytes = <0x10000>; };\n"
		    "&{/partitions/faulty/health-monitor} { memory-violation = \"warm-restart\"; };",
		    &h);
	assert_str(&h.hm[0], "class", "memory-violation");
	assert_str(&h.hm[0], "action", "warm-restart");
	assert_str(&h.hm[0], "state", "warm-start");
	assert_str(&h.restart, "kind", "warm-restart");
	cr_assert_eq(jobj_u64(&h.restart, "wiped_bytes", 0), 0x200000 - 0x10000);
	cr_assert_eq(h.n_digest_ok, h.n_restart);
	cr_assert_eq(h.n_not_reloaded, 0, "data reloaded");
	cr_assert_eq(h.n_not_zeroed, 0, "the heap is zeroed at every start");
	cr_assert_eq(h.n_pzero, 1, "the first start finds the region zeroed");
	cr_assert_eq(h.n_kept, 3, "the smashed region survived each warm restart");
	assert_str(&h.stats, "state", "stopped");
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

/* The same with a cold restart: the persistent region is wiped too. */
Test(hm, a_cold_restart_wipes_the_persistent_region, .timeout = 300)
{
	struct hm_run h;

	boot_policy("cold-persistent", ARGS("fault=corrupt", "after=1"),
		    "&{/partitions/faulty} { persistent-bytes = <0x10000>; };\n"
		    "&{/partitions/faulty/health-monitor} { memory-violation = \"cold-restart\"; };",
		    &h);
	assert_str(&h.hm[0], "action", "cold-restart");
	assert_str(&h.restart, "kind", "cold-restart");
	cr_assert_eq(jobj_u64(&h.restart, "wiped_bytes", 0), 0x200000);
	cr_assert_eq(h.n_digest_ok, h.n_restart);
	cr_assert_eq(h.n_restart, 3);
	cr_assert_eq(h.n_not_zeroed, 0);
	cr_assert_eq(h.n_kept, 0, "nothing survives a cold restart");
	cr_assert_eq(h.n_pzero, 4, "every start finds the region zeroed");
	assert_str(&h.stats, "state", "stopped");
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

Test(hm, escalate_takes_the_system_action, .timeout = 300)
{
	struct hm_run h;

	boot_policy("escalate", ARGS("fault=memory", "after=1"),
		    "/ { health-monitor { system-action = \"off\"; }; };\n"
		    "&{/partitions/faulty/health-monitor} { memory-violation = \"escalate\"; };", &h);
	cr_assert_eq(h.n_hm, 1);
	assert_str(&h.hm[0], "action", "escalate");
	assert_str(&h.hm[0], "state", "stopped");
	cr_assert_eq(h.n_system, 1, "system_action logged");
	cr_assert(strstr(h.q.output, "\"action\":\"off\""));
	cr_assert_not(h.shutdown, "powered off at once, not at runtime_ms");
	/* Up to then, the others ran as without the fault. */
	const struct hm_run *b = baseline(RUN_MS);
	struct trace head = { .n = h.others.n, .l = b->others.l };

	cr_assert_gt(h.others.n, 3);
	cr_assert_lt(h.others.n, b->others.n);
	trace_assert_same(&h.others, &head, "the other partitions' windows, up to the power-off");
	hm_run_free(&h);
}

/* The syscall fuzzer's plan ignores violations: each is an hm event and it goes on; with
 * stop, the first one stops it. */
Test(hm, syscall_violations_take_their_action, .timeout = 300)
{
	struct hm_run h;

	boot(BH_PLANS "/fuzz.dtb", RUN_MS, "fuzz", &h);
	cr_assert_geq(h.n_hm, 100);
	assert_str(&h.hm[0], "class", "syscall-violation");
	assert_str(&h.hm[0], "action", "ignore");
	assert_str(&h.stats, "state", "normal");
	/* Every refusal is counted; its hm line follows the syscall_violation limit (4 per
	 * partition per frame), the rest are counted by syscall_violations_suppressed. */
	const struct jobj *sup = run_find(&h.q, "syscall_violations_suppressed", 0);
	uint64_t suppressed = sup ? jobj_u64(sup, "count", 0) : 0;

	for (int i = 0; run_find(&h.q, "syscall_violation", i); i++)
		suppressed += jobj_u64(run_find(&h.q, "syscall_violation", i), "suppressed", 0);

	cr_assert_eq(jobj_u64(&h.stats, "syscall_violation", 0), (uint64_t)h.n_hm + suppressed);
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);

	make_plan("fuzz-stop", "configs/plans/fuzz.dts", "fuzz",
		  "&{/partitions/fuzz/health-monitor} { syscall-violation = \"stop\"; };",
		  ARGS("seed=1", "count=100000"));
	boot(DIR "/fuzz-stop.dtb", RUN_MS, "fuzz", &h);
	cr_assert_eq(h.n_hm, 1);
	assert_str(&h.hm[0], "class", "syscall-violation");
	assert_str(&h.hm[0], "action", "stop");
	assert_str(&h.stats, "state", "stopped");
	assert_others_untouched(&h, RUN_MS);
	hm_run_free(&h);
}

/* ---- Devices across a restart ---------------------------------------------------- */

/* The prints of the subject (faulty) that start with prefix: how many; *ms_max the
 * largest "after N ms" among them (for the irq_wait lines). */
static int faulty_prints(const struct hm_run *h, const char *prefix, long *ms_max)
{
	int n = 0;

	for (int i = 0; i < h->q.n_events; i++) {
		const struct jobj *e = &h->q.events[i];
		const char *t = jobj_str(e, "text"), *after;

		if (strcmp(jobj_str(e, "ev"), "print") || strcmp(jobj_str(e, "partition"), "faulty") ||
		    !t || strncmp(t, prefix, strlen(prefix)))
			continue;
		n++;
		if (ms_max && (after = strstr(t, " after ")) && atol(after + 7) > *ms_max)
			*ms_max = atol(after + 7);
	}
	return n;
}

/*
 * faulty as the PL031's driver (configs/plans/faulty-irq.dts, irq=on): in each start
 * its driver cell blocks in irq_wait (limit 3 s) and the alarm interrupt wakes it
 * (result 0, about 1 s later: the wake is the interrupt's, not the limit's); then a
 * second alarm fires with nobody waiting, so the kernel masks the line and holds it,
 * and the driver faults. The warm restart quiesces the device: the restarted driver
 * finds no interrupt held from before (irq_wait with limit 0 times out), re-initialises
 * the RTC, hands the line back with irq_ack, and its next alarm wakes it again.
 */
Test(hm, a_restart_quiesces_the_drivers_interrupt_and_irq_wait_wakes_on_it, .timeout = 300)
{
	struct hm_run h;
	long ms = 0;

	make_plan("irq-restart", "configs/plans/faulty-irq.dts", "faulty", NULL,
		  ARGS("fault=memory", "irq=on"));
	boot(DIR "/irq-restart.dtb", "5000", "faulty", &h);
	cr_assert(h.shutdown);
	cr_assert_eq(h.n_hm, 2, "the fault of each start");
	assert_str(&h.hm[0], "class", "memory-violation");
	assert_str(&h.hm[0], "action", "warm-restart");
	assert_str(&h.hm[1], "action", "stop");
	cr_assert_eq(h.n_restart, 1);
	cr_assert_eq(h.n_digest_ok, 1);
	cr_assert_eq(faulty_prints(&h, "faulty: start ", NULL), 2);
	cr_assert_eq(faulty_prints(&h, "faulty: irq at start: clean", NULL), 2,
		     "no interrupt held across the restart");
	cr_assert_eq(faulty_prints(&h, "faulty: irq at start: ", NULL), 2);
	cr_assert_eq(faulty_prints(&h, "faulty: irq_wait: interrupt after ", &ms), 2,
		     "woken by the interrupt in each start");
	cr_assert_eq(faulty_prints(&h, "faulty: irq_wait: ", NULL), 2, "never timed out");
	cr_assert(ms > 0 && ms < 3000, "the wake came before the limit: %ld ms", ms);
	cr_assert_eq(faulty_prints(&h, "faulty: second alarm raised, left pending", NULL), 2);
	cr_assert_eq(run_count(&h.q, "syscall_violation"), 0);
	hm_run_free(&h);
}

/*
 * A cell restart of a driver blocked in irq_wait (faulty-irq.dts with a periodic driver:
 * the wait outlasts its deadline, and deadline-miss restarts the cell): the restarted
 * cell no longer waits, so it starts again from its entry at once (a second "start 0"
 * line 20 ms in), and the alarm later wakes the irq_wait of the restarted run, not the
 * context the restart replaced (which would have had its x0, the entry, overwritten).
 */
Test(hm, a_cell_restart_ends_the_cells_irq_wait, .timeout = 300)
{
	struct hm_run h;

	make_plan("irq-cell", "configs/plans/faulty-irq.dts", "faulty",
		  "&{/partitions/faulty/driver} { period-us = <20000>; deadline-us = <20000>;"
		  " wcet-us = <2000>; };\n"
		  "&{/partitions/faulty/health-monitor} { deadline-miss = \"restart-cell\"; };",
		  ARGS("fault=none", "irq=on"));
	boot(DIR "/irq-cell.dtb", "1500", "faulty", &h);
	cr_assert(h.shutdown);
	cr_assert_geq(h.n_hm, 1);
	assert_str(&h.hm[0], "class", "deadline-miss");
	assert_str(&h.hm[0], "action", "restart-cell");
	cr_assert_eq(h.n_starts0, 2, "the restarted cell ran again from its entry at once");
	cr_assert_eq(faulty_prints(&h, "faulty: irq at start: clean", NULL), 2);
	cr_assert_eq(faulty_prints(&h, "faulty: irq_wait: interrupt after ", NULL), 1,
		     "the restarted run's wait got the interrupt");
	cr_assert_eq(run_count(&h.q, "partition_fault"), 0);
	hm_run_free(&h);
}

/* ---- Channels across a restart -------------------------------------------------- */

/* A queuing channel whose destination (faulty, which never receives) is restarted: the
 * source (bench's ports source, whose sends fill the depth-64 queue) sees its queue
 * emptied by the restart, one channel_reset event saying the 64 waiting were dropped. */
static const char chan_plan[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	compatible = \"bulkhead,plan\"; model = \"channel reset\"; plan-version = <1>;\n"
	"	partitions {\n"
	"		src { cpu = <0>; memory-bytes = <0x200000>; image = \"bench\";\n"
	"			heartbeat-timeout-us = <1000000>;\n"
	"			args = \"sample=0xd0400000\", \"queue=0xc0400001\";\n"
	"			driver { entry = \"bench_ports_src_main\"; priority = <10>; stack-bytes = <0x2000>; };\n"
	"			watchdog { entry = \"watchdog_main\"; priority = <20>; stack-bytes = <0x1000>;\n"
	"				period-us = <10000>; wcet-us = <50>; }; };\n"
	"		faulty { cpu = <0>; memory-bytes = <0x200000>; image = \"faulty\";\n"
	"			heartbeat-timeout-us = <1000000>; args = \"fault=memory\", \"after=10\";\n"
	"			driver { entry = \"faulty_main\"; priority = <20>; stack-bytes = <0x4000>;\n"
	"				period-us = <10000>; deadline-us = <10000>; wcet-us = <2000>; };\n"
	"			watchdog { entry = \"faulty_watchdog\"; priority = <30>; stack-bytes = <0x1000>;\n"
	"				period-us = <10000>; wcet-us = <200>; };\n"
	"			health-monitor { fault = \"warm-restart\"; restart-limit = <1>; }; };\n"
	"	};\n"
	"	schedule { major-frame-us = <10000>; #address-cells = <1>; #size-cells = <0>;\n"
	"		cpu@0 { reg = <0>; #address-cells = <1>; #size-cells = <0>;\n"
	"			window@0 { reg = <0>; partition = \"src\"; offset-us = <0>; duration-us = <5000>; };\n"
	"			window@1 { reg = <1>; partition = \"faulty\"; offset-us = <5000>; duration-us = <5000>; }; }; };\n"
	"	channels {\n"
	"		sample { kind = \"sampling\"; source = \"src\"; destinations = \"faulty\";\n"
	"			message-bytes = <64>; refresh-us = <1000000>; };\n"
	"		queue { kind = \"queuing\"; source = \"src\"; destinations = \"faulty\";\n"
	"			message-bytes = <64>; depth = <64>; }; };\n"
	"};\n";

Test(hm, a_restart_empties_the_destinations_queue, .timeout = 300)
{
	struct hm_run h;
	struct qemu_run r;
	FILE *f;

	mkdir(DIR, 0755);
	f = fopen(DIR "/chan-reset.dts", "w");
	cr_assert_not_null(f);
	fputs(chan_plan, f);
	fclose(f);
	run_capture((const char *[]){ "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", DIR "/chan-reset.dtb",
				      DIR "/chan-reset.dts", NULL }, 30, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	boot(DIR "/chan-reset.dtb", "400", "faulty", &h);
	cr_assert(h.shutdown);
	cr_assert_eq(h.n_hm, 2, "a fault in each start");
	assert_str(&h.hm[0], "action", "warm-restart");
	cr_assert_eq(h.n_restart, 1);
	cr_assert_eq(run_count(&h.q, "channel_reset"), 1, "the restart emptied the queue once");
	const struct jobj *e = run_find(&h.q, "channel_reset", 0);

	cr_assert_str_eq(jobj_str(e, "channel"), "queue");
	cr_assert_str_eq(jobj_str(e, "partition"), "faulty");
	cr_assert_eq(jobj_u64(e, "dropped", 0), 64, "the full queue's 64 messages");
	hm_run_free(&h);
}

/* ---- The soak ---------------------------------------------------------------------- */

#define SOAK_MS "20100" /* 1,005 major frames of 20 ms */

/* fault=random: a seeded mix of every mode at random moments, 1,000+ frames; memory
 * violations restart warm, the rest cold, the budget (3 in 100 ms) never trips. */
Test(hm, soak_a_thousand_frames_of_random_failures, .timeout = 600)
{
	struct hm_run h;

	make_plan("soak", "configs/plans/faulty.dts", "faulty",
		  "&{/partitions/faulty} { persistent-bytes = <0x10000>; };\n"
		  "&{/partitions/faulty/health-monitor} { memory-violation = \"warm-restart\";"
		  " restart-window-us = <100000>; };",
		  ARGS("fault=random", "seed=7"));
	boot(DIR "/soak.dtb", SOAK_MS, "faulty", &h);
	cr_assert(h.shutdown, "the kernel ran to the end");
	cr_assert_geq(h.frames, 1000);
	cr_assert_geq(h.n_hm, 100, "failures all along");
	cr_assert_eq(h.n_unplanned, 0, "every failure handled as planned");
	cr_assert_eq(h.n_warm, h.n_memory, "memory violations restart warm");
	cr_assert_eq(h.n_refused, 0);
	cr_assert(h.n_restart == h.n_hm || h.n_restart + 1 == h.n_hm, "every restart finished");
	cr_assert_eq(h.n_digest_ok, h.n_restart, "every reload rebuilt exactly the boot image");
	cr_assert_eq(h.table_pages_min, h.table_pages_max, "no table page taken by a restart");
	cr_assert_eq(h.n_not_reloaded, 0);
	cr_assert_eq(jobj_u64(&h.stats, "restarts", 0), (uint64_t)h.n_restart +
		     (h.n_restart + 1 == h.n_hm));
	assert_others_untouched(&h, SOAK_MS);
	hm_run_free(&h);
}
