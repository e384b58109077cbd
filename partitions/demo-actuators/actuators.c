/*
 * demo-actuators: the driver cell moves a (simulated) actuator toward a target each
 * period, at most max-step units per period (an arg, default 5), and reports where it
 * is. The target alternates between 0 and 100; with channels=on the logger's commands
 * (the queuing port) set it instead, and each command's GPIO pattern is printed (what
 * the actuators would set), as is the latest telemetry (the sampling port).
 * misuse=on: first try the calls of a source on its two destination ports (the kernel
 * refuses them: syscall_violation, not-permitted); the isolation tests use it.
 */
#include <stdio.h>
#include "bulkhead.h"
#include "demo_msgs.h"
#include "plan_ports.h"
#include "../lib/syscall.h"

#define FIRST_WAIT_NS 6000000 /* how long a job waits for its first command */

#if defined(BH_PORT_TELEMETRY) && defined(BH_PORT_COMMANDS)
static uint64_t expected; /* the next command number */

/* The latest telemetry, then every command waiting (the first one waited for). */
static void take_commands(long *target)
{
	union {
		struct demo_telemetry t;
		uint8_t bytes[BH_PORT_TELEMETRY_MESSAGE_BYTES];
	} tm;
	union {
		struct demo_command c;
		uint8_t bytes[BH_PORT_COMMANDS_MESSAGE_BYTES];
	} cm;
	struct bh_sample_meta meta;
	int r = bh_sampling_read(BH_PORT_TELEMETRY, &tm, &meta);

	if (r == 0)
		printf("telemetry %llu: %lld mC, %s\n", (unsigned long long)tm.t.seq,
		       (long long)tm.t.milli_c, meta.valid ? "valid" : "stale");
	for (int64_t wait = FIRST_WAIT_NS;; wait = 0) {
		r = bh_queuing_recv(BH_PORT_COMMANDS, &cm, wait);
		if (r < 0)
			break;
		if (r != (int)sizeof(cm.c) || cm.c.seq != expected)
			fprintf(stderr, "actuators: command %llu of %d bytes, expected %llu\n",
				(unsigned long long)cm.c.seq, r, (unsigned long long)expected);
		expected = cm.c.seq + 1;
		*target = cm.c.target;
		printf("recv %llu: target %d, would set gpio 0x%02x\n", (unsigned long long)cm.c.seq,
		       (int)cm.c.target, (unsigned int)cm.c.gpio);
	}
	if (r != -BH_E_AGAIN && r != -BH_E_TIMEOUT)
		fprintf(stderr, "actuators: queuing_recv: %s\n", bh_strerror(r));
}
/* The calls only a source may make, on ports this partition only reads. */
static void misuse(void)
{
	int64_t a = bh_svc2(BH_SYS_QUEUING_WAIT_ROOM, BH_PORT_COMMANDS, 0);
	int64_t b = bh_svc1(BH_SYS_PORT_SIGNAL, BH_PORT_TELEMETRY);

	printf("misuse: queuing_wait_room %s, port_signal %s\n", bh_strerror(a), bh_strerror(b));
}
#else
static void take_commands(long *target)
{
}

static void misuse(void)
{
}
#endif

BH_CELL_ENTRY(actuators_main)
{
	long step = (long)bh_arg_u64("max-step", 5);
	long position = 0, target = 100;
	bool channels = bh_arg("channels") != NULL;

	printf("actuators: moving at most %ld per period\n", step);
	if (bh_arg("misuse"))
		misuse();
	for (unsigned long n = 0;; n++) {
		if (channels)
			take_commands(&target);
		long d = target - position;

		position += d > step ? step : d < -step ? -step : d;
		if (!channels && position == target)
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
