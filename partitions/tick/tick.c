/*
 * tick: the smallest useful program, for plans with many partitions (bhplan generate
 * puts it in every partition). Its periodic driver cell prints the partition's name
 * (from the info page) and a counter once per period: "tick NAME N". Arg every=N prints
 * one period in N (default 1), for plans where hundreds of partitions share a console.
 * Arg lines=K prints K lines per printed period instead of one, "tick NAME N/I" for I in
 * 0..K-1: a partition that floods the console (the console tests). Arg within-ns=W
 * checks time_ns after each periodic_wait: never before the release the call returned,
 * never back, at most W after the release; a line names any that is not.
 */
#include <stdio.h>
#include "bulkhead.h"

BH_CELL_ENTRY(tick_main)
{
	const char *name = bh_info()->name;
	uint64_t every = bh_arg_u64("every", 1), lines = bh_arg_u64("lines", 1);
	int64_t within = (int64_t)bh_arg_u64("within-ns", 0), last = 0;

	if (every == 0)
		every = 1;
	for (uint64_t n = 0;; n++) {
		if (n % every == 0 && lines == 1)
			printf("tick %.*s %llu\n", (int)BH_NAME_MAX, name, (unsigned long long)n);
		for (uint64_t i = 0; n % every == 0 && lines > 1 && i < lines; i++)
			printf("tick %.*s %llu/%llu\n", (int)BH_NAME_MAX, name, (unsigned long long)n,
			       (unsigned long long)i);
		int64_t r = bh_periodic_wait();

		if (r < 0) {
			fprintf(stderr, "tick %.*s: periodic_wait: %s\n", (int)BH_NAME_MAX, name,
				bh_strerror(r));
			return;
		}
		if (within) {
			int64_t t = bh_time_ns();

			if (t < r || t < last || t - r > within)
				printf("tick %.*s: time_ns %lld, release %lld, last %lld\n", (int)BH_NAME_MAX,
				       name, (long long)t, (long long)r, (long long)last);
			last = t;
		}
	}
}
