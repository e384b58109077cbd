/* The health monitor's system tests' shared part (hm_sys.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hm_sys.h"

/* Writes DIR/name.dts: base (a shipped plan) with part's args replaced and extra plan
 * text after, checks it with bhplan, compiles DIR/name.dtb. */
void make_plan(const char *name, const char *base, const char *part, const char *extra,
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

const char *const demo_parts[] = { "sensors", "logger", "actuators" };

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
void boot(const char *dtb, const char *ms, const char *subject, struct hm_run *h)
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

void hm_run_free(struct hm_run *h)
{
	trace_free(&h->others);
	qemu_run_free(&h->q);
}

/* The run with fault=none, once per test process and run length. */
struct hm_run *baseline(const char *ms)
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
void assert_others_untouched_within(const struct hm_run *h, const char *ms, uint64_t slack_ns)
{
	const struct hm_run *b = baseline(ms);

	cr_assert_gt(b->others.n, 20, "the baseline has window events");
	trace_assert_same_within(&h->others, &b->others, slack_ns,
				 "the other partitions' windows, with the fault and without");
	for (int i = 0; i < 3; i++)
		cr_assert_eq(h->prints[i], b->prints[i], "%s printed %d times, %d without the fault",
			     demo_parts[i], h->prints[i], b->prints[i]);
}

void assert_others_untouched(const struct hm_run *h, const char *ms)
{
	assert_others_untouched_within(h, ms, TRACE_SLACK_NS);
}

void assert_str(const struct jobj *o, const char *key, const char *want)
{
	const char *v = jobj_str(o, key);

	cr_assert(v && !strcmp(v, want), "%s is %s, expected %s", key, v ? v : "(none)", want);
}
