/*
 * Boot build/bulkhead.img in QEMU, bounded, and collect what it printed as log
 * events. Every run has a generous wall-clock limit (a backstop on a loaded machine, never
 * what a test measures) and, bare metal, runs in virtual time (-icount): the kernel's
 * timeouts and runtime_ms count executed instructions, not host seconds.
 */
#ifndef BULKHEAD_TESTS_SYSTEM_QEMU_H
#define BULKHEAD_TESTS_SYSTEM_QEMU_H

#include <stdbool.h>
#include "jsonl.h"

#ifndef BH_PLANS
#define BH_PLANS "build/plans"
#endif

#ifndef BH_BUILD
#define BH_BUILD "build"
#endif

#ifndef BH_IMAGE
#define BH_IMAGE "build/bulkhead.img"
#endif

struct qemu_opts {
	const char *cpu;      /* e.g. "cortex-a57" */
	int gic;              /* 2 or 3 */
	int smp;
	int mem_mb;           /* RAM (default 512 MiB) */
	bool el2;             /* virtualization=on: enter at EL2 */
	const char *append;   /* boot arguments */
	const char *dtb;      /* optional -dtb */
	const char *initrd;   /* optional -initrd */
	int timeout_s;        /* wall clock before the run is killed (default RUN_TIMEOUT_S) */
	bool real_time;       /* no -icount: virtual time follows the host clock, one host
	                       * thread per CPU */
	const char *rtc;      /* optional -rtc (e.g. "base=2026-01-01T00:00:00,clock=vm") */
	/* A run that is not expected to end by itself: once the output holds this text (or,
	 * with trace_until, QEMU's trace file holds trace_count of that text), it is watched
	 * linger_s more seconds and then stopped (r->timed_out, r->until_seen). */
	const char *until;
	const char *trace;        /* optional: QEMU's exception trace (-d int) goes here */
	const char *trace_until;
	int trace_count;
	int linger_s;
};

/* The wall-clock backstop of a run: minutes, not seconds, so a loaded host cannot trip it. */
#define RUN_TIMEOUT_S 120

#define RUN_MAX_LINES 16384 /* about 9 s of the demo at debug (window events), with room */

struct qemu_run {
	int exit_status;      /* QEMU's (or the Xen runner's) exit status, -1 if killed */
	bool timed_out;       /* stopped by the runner (backstop or until + linger) */
	bool until_seen;      /* the until text (or trace) was seen */
	char *output;         /* everything printed, NUL terminated */
	char *errors;         /* stderr when not merged into output (or NULL) */
	int n_lines;
	int n_events;         /* lines that parsed as JSON objects */
	int n_other;          /* lines that did not */
	struct jobj *events;  /* n_events of them, in order */
};

/* Runs argv (a NULL-terminated list) with stdout, and stderr if merge_stderr, captured
 * into r; killed after timeout_s. Fails the current test if it cannot be started. */
void run_capture(const char *const *argv, int timeout_s, bool merge_stderr, struct qemu_run *r);

/* When to stop a run that does not end by itself (see struct qemu_opts). */
struct run_until {
	const char *text;         /* in the captured output */
	const char *trace_file;   /* or this many occurrences of trace_text in this file */
	const char *trace_text;
	int trace_count;
	int linger_s;
};
void run_capture_until(const char *const *argv, int timeout_s, bool merge_stderr,
		       const struct run_until *u, struct qemu_run *r);
/* Occurrences of text in the file at path (0 if it cannot be read). */
int file_count(const char *path, const char *text);
/* Occurrences of text in the lines after the first that holds marker (-1: no marker). */
int file_count_after(const char *path, const char *marker, const char *text);

/* Runs QEMU; fails the current test if QEMU cannot be started. */
void qemu_boot(const struct qemu_opts *o, struct qemu_run *r);

/* Bulkhead as a Xen dom0less guest through tools/xen-run (GICv3). */
struct xen_opts {
	int vcpus;               /* default 2 */
	const char *bootargs;
	bool no_passthrough;     /* else the PL031 and PL061 are passed through (demo-xen plan) */
	const char *initrd;      /* the plan module; default BH_PLANS/demo-xen.dtb */
	bool no_plan;            /* no plan module: the kernel uses the plan built in */
	int linger_s;            /* keep watching after a shutdown (watchdog torn down?) */
	int timeout_s;           /* the runner's --timeout (default 120) */
	int mem_mb;              /* the guest's memory (default: the runner's, 128 MiB) */
};

/* Runner exit statuses (tools/xen-run --help). */
enum xen_run_status {
	XEN_RUN_SHUTDOWN = 0,
	XEN_RUN_USAGE = 1,
	XEN_RUN_CRASH = 2,
	XEN_RUN_WATCHDOG = 3,
	XEN_RUN_TIMEOUT = 4,
	XEN_RUN_ERROR = 5,
};

/* Runs the Xen runner; r->exit_status is its status, r's output holds only the guest's
 * lines, r->errors the runner's own (its verdict on the last line). */
void xen_boot(const struct xen_opts *o, struct qemu_run *r);
void qemu_run_free(struct qemu_run *r);
/* Asserts a test_rtc event read a plausible current time (QEMU's RTC starts at the host's
 * UTC time), given the host time taken before the run. */
void assert_rtc_plausible(const struct jobj *test_rtc, long long host_before);
/* Asserts hex is the SHA-256 of the file at path (as sha256sum computes it). */
void assert_sha256_of(const char *hex, const char *path);
/* Logs everything the run printed (call before asserting, shown on failure). */
void run_dump(const struct qemu_run *r);

/* How many events have this ev; the nth (from 0) of them, or NULL. */
int run_count(const struct qemu_run *r, const char *ev);
/* Events ev whose partition field is part. */
int run_count_of(const struct qemu_run *r, const char *ev, const char *part);
/* Lines the console may have lost: those the kernel reports (log_dropped events) and the
 * damaged ones (not one JSON object: under Xen, a line part of which Xen's own console
 * dropped under load; tools/xen-run keeps them apart from the next line). */
int run_lines_lost(const struct qemu_run *r);

/* A note on stderr ("[NOTE] ..."), e.g. a boot run again on a loaded host. Not
 * cr_log_warn: Criterion 2.4 exits 1 after any warning, even when every test passed. */
void test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const struct jobj *run_find(const struct qemu_run *r, const char *ev, int nth);

#endif
