/*
 * A fake Xen for host tests of hal/xen: records every hypercall with the argument
 * structure it pointed at, and answers from a script (or with plausible defaults).
 */
#ifndef BULKHEAD_HAL_FAKE_FAKE_XEN_H
#define BULKHEAD_HAL_FAKE_FAKE_XEN_H

#include <stdint.h>

#define FAKE_XEN_MAX_CALLS 16

struct fake_xen_call {
	uint64_t op, cmd;
	uint32_t arg[2]; /* sched_shutdown.reason, or sched_watchdog.{id, timeout} */
	int64_t ret;
};

struct fake_xen {
	struct fake_xen_call calls[FAKE_XEN_MAX_CALLS];
	unsigned int n_calls;
	/* Answers: XENVER_version, the extraversion string, the next watchdog id. */
	int64_t version;
	const char *extraversion;
	uint32_t next_wd_id;
	/* Fail the call with this index (0-based) with -fail_errno, if fail_errno != 0. */
	unsigned int fail_at;
	int fail_errno;
};

/* Resets the fake: Xen 4.17, extraversion ".7", watchdog ids from 1, no failures. */
void fake_xen_reset(void);
struct fake_xen *fake_xen_state(void);
/* The hypercall function to hand to xen_probe(). */
int64_t fake_xen_hypercall(uint64_t op, uint64_t a0, uint64_t a1);

#endif
