/*
 * Boot build/bulkhead.img in QEMU, bounded, and collect what it printed as log
 * events. Every run has a wall-clock limit and the kernel's own runtime_ms.
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
	bool el2;             /* virtualization=on: enter at EL2 */
	const char *append;   /* boot arguments */
	const char *dtb;      /* optional -dtb */
	const char *initrd;   /* optional -initrd */
	int timeout_s;        /* wall clock before the run is killed */
};

#define RUN_MAX_LINES 256

struct qemu_run {
	int exit_status;      /* QEMU's (or the Xen runner's) exit status, -1 if killed */
	bool timed_out;
	char *output;         /* everything printed, NUL terminated */
	int n_lines;
	int n_events;         /* lines that parsed as JSON objects */
	int n_other;          /* lines that did not */
	struct jobj *events;  /* n_events of them, in order */
};

/* Runs argv (a NULL-terminated list) with stdout, and stderr if merge_stderr, captured
 * into r; killed after timeout_s. Fails the current test if it cannot be started. */
void run_capture(const char *const *argv, int timeout_s, bool merge_stderr, struct qemu_run *r);

/* Runs QEMU; fails the current test if QEMU cannot be started. */
void qemu_boot(const struct qemu_opts *o, struct qemu_run *r);

/* Bulkhead as a Xen dom0less guest through tools/xen-run (GICv3). */
struct xen_opts {
	int vcpus;               /* default 2 */
	const char *bootargs;
	bool no_passthrough;     /* else the PL031 and PL061 are passed through (demo-xen plan) */
	const char *initrd;      /* the plan module; default BH_PLANS/demo-xen.dtb */
	int linger_s;            /* keep watching after a shutdown (watchdog torn down?) */
	int timeout_s;           /* the runner's --timeout */
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

/* Runs the Xen runner; r->exit_status is its status, r holds only the guest's lines. */
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
const struct jobj *run_find(const struct qemu_run *r, const char *ev, int nth);

#endif
