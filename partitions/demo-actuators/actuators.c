/*
 * demo-actuators: the driver cell moves a (simulated) actuator toward a target each
 * period, at most max-step units per period (an arg, default 5), and reports where it
 * is. The target alternates between 0 and 100.
 */
#include <stdio.h>
#include "bulkhead.h"

BH_CELL_ENTRY(actuators_main)
{
	long step = (long)bh_arg_u64("max-step", 5);
	long position = 0, target = 100;

	printf("actuators: moving at most %ld per period\n", step);
	for (unsigned long n = 0;; n++) {
		long d = target - position;

		position += d > step ? step : d < -step ? -step : d;
		if (position == target)
			target = 100 - target;
		printf("actuate %lu: position %ld, target %ld\n", n, position, target);
		bh_progress(); /* the watchdog cell checks it (docs/health.md) */
		int64_t r = bh_periodic_wait();

		if (r < 0) {
			fprintf(stderr, "actuators: periodic_wait: %s\n", bh_strerror(r));
			return;
		}
	}
}
