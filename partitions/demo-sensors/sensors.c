/*
 * demo-sensors: the driver cell samples a (simulated) temperature sensor every period
 * and reports it. Args: base-mc=N (the baseline, milli-degrees Celsius),
 * report-every=N (print one sample in N).
 */
#include <math.h>
#include <stdio.h>
#include "bulkhead.h"

BH_CELL_ENTRY(sensors_main)
{
	double base = (double)bh_arg_u64("base-mc", 21000) / 1000.0;
	uint64_t every = bh_arg_u64("report-every", 1);

	if (every == 0)
		every = 1;
	printf("sensors: sampling every period, baseline %.1f C\n", base);
	for (uint64_t n = 0;; n++) {
		double celsius = base + 2.5 * sin((double)n * 0.05);

		if (n % every == 0)
			printf("sample %llu: %.2f C at %lld ns\n", (unsigned long long)n, celsius,
			       (long long)bh_time_ns());
		bh_progress(); /* the watchdog cell checks it (docs/health.md) */
		int64_t r = bh_periodic_wait();

		if (r < 0) {
			fprintf(stderr, "sensors: periodic_wait: %s\n", bh_strerror(r));
			return;
		}
	}
}
