/*
 * demo-actuators: the driver cell moves an actuator toward a target each period, at
 * most max-step units per period (an arg, default 5), and reports where it is. The
 * target alternates between 0 and 100; with channels=on the logger's commands (the
 * queuing port) set it instead, and each command's GPIO pattern is printed, as is the
 * latest telemetry (the sampling port). The actuator is three GPIO lines of the PL061
 * the plan grants (pins 0-2 as outputs: the position in eighths of the range, 0..7):
 * each period drives them and reads them back, and a read-back that differs is an
 * application error.
 * misuse=on: first try the calls of a source on its two destination ports (the kernel
 * refuses them: syscall_violation, not-permitted), then a read into read-only memory
 * (bad-address) and a queuing receive on the sampling port (bad-handle); the isolation
 * tests use it. misuse=store: store into the telemetry region the kernel maps into
 * this destination read-only (the store must fault, and the sample stay as it was).
 */
#include <stdio.h>
#include <string.h>
#include "bulkhead.h"
#include "bulkhead_mmio.h"
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
/* The calls only a source may make, on ports this partition only reads; then reads
 * the kernel's direct path must hand to the full one to refuse: a sample into
 * read-only memory, a queuing receive on the sampling port. */
static void misuse(void)
{
	static const uint8_t rodata[BH_PORT_TELEMETRY_MESSAGE_BYTES] = { 1 };
	struct bh_sample_meta meta;
	uint8_t buf[BH_PORT_COMMANDS_MESSAGE_BYTES > BH_PORT_TELEMETRY_MESSAGE_BYTES
			    ? BH_PORT_COMMANDS_MESSAGE_BYTES
			    : BH_PORT_TELEMETRY_MESSAGE_BYTES];
	int64_t a = bh_svc2(BH_SYS_QUEUING_WAIT_ROOM, BH_PORT_COMMANDS, 0);
	int64_t b = bh_svc1(BH_SYS_PORT_SIGNAL, BH_PORT_TELEMETRY);
	int64_t c = bh_svc3(BH_SYS_SAMPLING_READ, BH_PORT_TELEMETRY, rodata, &meta);
	int64_t d = bh_svc3(BH_SYS_QUEUING_RECV, BH_PORT_TELEMETRY, buf, 0);

	printf("misuse: queuing_wait_room %s, port_signal %s\n", bh_strerror(a), bh_strerror(b));
	printf("misuse: sampling_read %s, queuing_recv %s\n", bh_strerror(c), bh_strerror(d));
	/* And the kernel's read done right (bh_sampling_read reads the region itself): the
	 * first sample, once the sensors have written one. */
	int64_t e = -BH_E_AGAIN;

	for (int tries = 0; tries < 50 && e == -BH_E_AGAIN; tries++) {
		e = bh_svc3(BH_SYS_SAMPLING_READ, BH_PORT_TELEMETRY, buf, &meta);
		if (e == -BH_E_AGAIN)
			(void)bh_sleep_ns(1000000);
	}
	printf("misuse: sampling_read by call %s, %u bytes, %s\n", e < 0 ? bh_strerror(e) : "ok",
	       e < 0 ? 0 : meta.len, e < 0 ? "-" : meta.valid ? "valid" : "stale");
	/* The runtime's read is its own, from the region: it counts in the destination's
	 * read-count page (the call above counted in the kernel). */
	struct bh_port_info pi;

	if (bh_port_info(BH_PORT_TELEMETRY, &pi) == 0 && pi.ack_va) {
		uint64_t *received = &((struct bh_read_counts *)(uintptr_t)pi.ack_va)->received;
		uint64_t before = __atomic_load_n(received, __ATOMIC_RELAXED);
		int r = bh_sampling_read(BH_PORT_TELEMETRY, buf, &meta);

		printf("misuse: runtime read %s, its page counted %llu\n", r ? bh_strerror(r) : "ok",
		       (unsigned long long)(__atomic_load_n(received, __ATOMIC_RELAXED) - before));
	}
}

static void store_into_sample(void)
{
	struct bh_port_info info;

	if (bh_port_info(BH_PORT_TELEMETRY, &info) < 0 || !info.region_va) {
		printf("misuse: no telemetry region mapped\n");
		return;
	}
	printf("misuse: storing into the sample at 0x%llx\n", (unsigned long long)info.region_va);
	/* SAFETY: deliberately unsound, the test's point: the region is mapped read-only
	 * into this destination, so the store must fault (a memory violation) and never
	 * reach the source's sample. */
	*(volatile uint32_t *)(uintptr_t)(info.region_va + 4) = 0xffffffffu;
	printf("misuse: the store went through\n");
}
#else
static void take_commands(long *target)
{
}

static void misuse(void)
{
}

static void store_into_sample(void)
{
}
#endif

/* PL061 registers (ARM PrimeCell GPIO, DDI 0190): GPIODATA is read and written through
 * an address whose bits [9:2] mask the pins the access touches. */
enum { GPIO_DATA = 0x000, GPIO_DIR = 0x400 };
#define PINS 0x07u
#define GPIO_DATA_PINS (GPIO_DATA + (PINS << 2))
#define RT_ERR_GPIO 0xa0000001u

static uint64_t gpio; /* 0: no GPIO granted */

static void gpio_start(void)
{
	struct bh_device_info info;

	if (bh_device_find("pl061", &info) == BH_CAP_INVALID || info.bytes < 0x404) {
		printf("actuators: no GPIO granted: the actuator is simulated\n");
		return;
	}
	gpio = info.va;
	bh_mmio_write32(gpio, GPIO_DIR, bh_mmio_read32(gpio, GPIO_DIR) | PINS);
	printf("actuators: GPIO at 0x%llx, pins 0-2 out\n", (unsigned long long)info.va);
}

/* Drive the pins to pos's level and read them back; returns what was read. */
static unsigned int drive(long pos)
{
	unsigned int level = (unsigned int)(pos * 7 / 100) & PINS;

	bh_mmio_write32(gpio, GPIO_DATA_PINS, level);
	return bh_mmio_read32(gpio, GPIO_DATA_PINS) & PINS;
}

BH_CELL_ENTRY(actuators_main)
{
	long step = (long)bh_arg_u64("max-step", 5);
	long position = 0, target = 100;
	bool channels = bh_arg("channels") != NULL;

	printf("actuators: moving at most %ld per period\n", step);
	const char *mis = bh_arg("misuse");

	if (mis && !strcmp(mis, "store"))
		store_into_sample();
	else if (mis)
		misuse();
	gpio_start();
	for (unsigned long n = 0;; n++) {
		if (channels)
			take_commands(&target);
		long d = target - position;

		position += d > step ? step : d < -step ? -step : d;
		if (!channels && position == target)
			target = 100 - target;
		if (gpio) {
			unsigned int want = (unsigned int)(position * 7 / 100) & PINS, got = drive(position);

			printf("actuate %lu: position %ld, target %ld, gpio %u\n", n, position, target, got);
			if (got != want) {
				static const char msg[] = "gpio read-back differs";

				bh_raise_error(RT_ERR_GPIO, msg, sizeof(msg) - 1);
			}
		} else {
			printf("actuate %lu: position %ld, target %ld\n", n, position, target);
		}
		bh_progress(); /* the watchdog cell checks it (docs/health.md) */
		int64_t r = bh_periodic_wait();

		if (r < 0) {
			fprintf(stderr, "actuators: periodic_wait: %s\n", bh_strerror(r));
			return;
		}
	}
}
