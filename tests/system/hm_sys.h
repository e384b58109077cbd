/*
 * The health monitor's system tests (test_hm.c: detection; test_hm_actions.c: the other
 * actions; test_hm_restart.c: devices and channels across a restart) share this: plans
 * made from a shipped one with other args, bare-metal boots under icount read into a
 * struct hm_run, and the baseline run without a fault to compare the others with.
 */
#ifndef BULKHEAD_TESTS_SYSTEM_HM_SYS_H
#define BULKHEAD_TESTS_SYSTEM_HM_SYS_H

#include <stdbool.h>
#include <stdint.h>
#include "qemu.h"
#include "trace.h"

#define DIR BH_BUILD "/test/hm"
#define RUN_MS "600"

#define ARGS(...) ((const char *[]){ __VA_ARGS__, NULL })

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

/* The demo's partitions, in the order of hm_run.prints. */
extern const char *const demo_parts[];

/* Writes DIR/name.dts: base (a shipped plan) with part's args replaced and extra plan
 * text after, checks it with bhplan, compiles DIR/name.dtb. */
void make_plan(const char *name, const char *base, const char *part, const char *extra,
	       const char *const *args);

/* Boots plan (DIR/name.dtb, or a shipped one) for ms at debug, in virtual time, with
 * the RTC on the virtual clock, and reads it. */
void boot(const char *dtb, const char *ms, const char *subject, struct hm_run *h);
void hm_run_free(struct hm_run *h);

/* The run with fault=none, once per test process and run length. */
struct hm_run *baseline(const char *ms);
/* The other partitions ran exactly as without the fault (window starts within
 * slack_ns: TRACE_SLACK_NS, or TRACE_SLACK_ROUND_ROBIN_NS beside a partition whose calls
 * arm its CPU's timer in another pattern, tests/system/trace.h). */
void assert_others_untouched_within(const struct hm_run *h, const char *ms, uint64_t slack_ns);
void assert_others_untouched(const struct hm_run *h, const char *ms);
/* o's key is the string want. */
void assert_str(const struct jobj *o, const char *key, const char *want);

#endif
