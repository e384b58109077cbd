/*
 * demo-sensors: the driver cell samples a (simulated) temperature sensor every period
 * and reports it. Args: base-mc=N (the baseline, milli-degrees Celsius),
 * report-every=N (print one sample in N), channels=on (publish each sample on the
 * plan's telemetry port), garbage=on (a hostile source: scribble over the telemetry
 * region instead; the isolation tests use it).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bulkhead.h"
#include "demo_msgs.h"
#include "plan_ports.h"

#ifdef BH_PORT_TELEMETRY
/* Random bytes over the whole region, metadata included (xorshift: reproducible). */
static void scribble(uint64_t *state)
{
	struct bh_port_info pi;

	if (bh_port_info(BH_PORT_TELEMETRY, &pi) < 0 || !pi.region_va)
		return;
	volatile uint8_t *r = (volatile uint8_t *)(uintptr_t)pi.region_va;

	for (uint32_t i = 0; i < pi.region_bytes; i++) {
		*state ^= *state << 13;
		*state ^= *state >> 7;
		*state ^= *state << 17;
		r[i] = (uint8_t)*state;
	}
}
#endif

BH_CELL_ENTRY(sensors_main)
{
	double base = (double)bh_arg_u64("base-mc", 21000) / 1000.0;
	uint64_t every = bh_arg_u64("report-every", 1);
	bool publish = bh_arg("channels") != NULL, garbage = bh_arg("garbage") != NULL;
	uint64_t rnd = 0x9e3779b97f4a7c15ull;

	if (every == 0)
		every = 1;
	printf("sensors: sampling every period, baseline %.1f C\n", base);
	for (uint64_t n = 0;; n++) {
		double celsius = base + 2.5 * sin((double)n * 0.05);

		if (n % every == 0)
			printf("sample %llu: %.2f C at %lld ns\n", (unsigned long long)n, celsius,
			       (long long)bh_time_ns());
		bh_progress(); /* the watchdog cell checks it (docs/health.md) */
#ifdef BH_PORT_TELEMETRY
		if (garbage) {
			scribble(&rnd);
		} else if (publish) {
			struct demo_telemetry t = { n, (int64_t)lround(celsius * 1000.0) };
			int w = bh_sampling_write(BH_PORT_TELEMETRY, &t, sizeof(t));

			if (w < 0)
				fprintf(stderr, "sensors: sampling_write: %s\n", bh_strerror(w));
		}
#else
		(void)publish, (void)garbage, (void)rnd;
#endif
		int64_t r = bh_periodic_wait();

		if (r < 0) {
			fprintf(stderr, "sensors: periodic_wait: %s\n", bh_strerror(r));
			return;
		}
	}
}
