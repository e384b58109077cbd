/*
 * demo-logger: an aperiodic driver cell that wakes every interval-ms (an arg, default
 * 20), keeps the last few wake-up times in a ring allocated from the heap, and reports
 * how late it woke. With channels=on it also reads the telemetry port each time and
 * sends the actuators a command (the queuing port): a target from the temperature.
 */
#include <stdio.h>
#include <stdlib.h>
#include "bulkhead.h"
#include "demo_msgs.h"
#include "plan_ports.h"

#define RING 16

#if defined(BH_PORT_TELEMETRY) && defined(BH_PORT_COMMANDS)
static uint64_t commands_sent;

/* The latest telemetry, then a command from it. */
static void relay(void)
{
	union {
		struct demo_telemetry t;
		uint8_t bytes[BH_PORT_TELEMETRY_MESSAGE_BYTES];
	} m;
	struct bh_sample_meta meta;
	int r = bh_sampling_read(BH_PORT_TELEMETRY, &m, &meta);

	if (r < 0) {
		printf("telemetry: none (%s)\n", bh_strerror(r));
		return;
	}
	printf("telemetry %llu: %lld mC, age %llu us, %s\n", (unsigned long long)m.t.seq,
	       (long long)m.t.milli_c, (unsigned long long)(meta.age_ns / 1000),
	       meta.valid ? "valid" : "stale");
	struct demo_command c = {
		.seq = commands_sent,
		.target = m.t.milli_c > 21500 ? 100 : 0,
		.gpio = (uint32_t)(1u << (m.t.seq % 8)),
	};
	r = bh_queuing_send(BH_PORT_COMMANDS, &c, sizeof(c), 0);
	if (r < 0) {
		printf("command %llu: not sent (%s)\n", (unsigned long long)c.seq, bh_strerror(r));
		return;
	}
	printf("send %llu: target %d, gpio 0x%02x\n", (unsigned long long)c.seq, (int)c.target,
	       (unsigned int)c.gpio);
	commands_sent++;
}
#else
static void relay(void)
{
}
#endif

BH_CELL_ENTRY(logger_main)
{
	int64_t interval = (int64_t)bh_arg_u64("interval-ms", 20) * 1000000;
	int64_t *ring = calloc(RING, sizeof(*ring));
	int64_t next = bh_time_ns();
	bool channels = bh_arg("channels") != NULL;

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
		if (channels)
			relay();
	}
}
