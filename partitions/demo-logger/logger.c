/*
 * demo-logger: an aperiodic driver cell that wakes every interval-ms (an arg, default
 * 20), keeps the last few wake-up times in a ring allocated from the heap, and reports
 * how late it woke.
 */
#include <stdio.h>
#include <stdlib.h>
#include "bulkhead.h"

#define RING 16

BH_CELL_ENTRY(logger_main)
{
	int64_t interval = (int64_t)bh_arg_u64("interval-ms", 20) * 1000000;
	int64_t *ring = calloc(RING, sizeof(*ring));
	int64_t next = bh_time_ns();

	if (!ring || next < 0 || interval <= 0) {
		fprintf(stderr, "logger: cannot start (heap, time or interval-ms)\n");
		return;
	}
	printf("logger: partition %s, waking every %lld ms\n", bh_info()->name,
	       (long long)(interval / 1000000));
	for (unsigned long n = 0;; n++) {
		next += interval;
		int r = bh_timed_wait(next);

		if (r < 0) {
			fprintf(stderr, "logger: timed_wait: %s\n", bh_strerror(r));
			return;
		}
		int64_t now = bh_time_ns();

		ring[n % RING] = now;
		bh_progress(); /* the watchdog cell checks it (docs/health.md) */
		printf("log %lu: woke %lld ns late\n", n, (long long)(now - next));
	}
}
