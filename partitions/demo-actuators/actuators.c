/*
 * demo-actuators: the driver cell moves an actuator toward a target each period, at
 * most max-step units per period (an arg, default 5), and reports where it is. The
 * target alternates between 0 and 100. The actuator is three GPIO lines of the PL061
 * the plan grants (pins 0-2 as outputs: the position in eighths of the range, 0..7):
 * each period drives them and reads them back, and a read-back that differs is an
 * application error.
 */
#include <stdio.h>
#include "bulkhead.h"
#include "bulkhead_mmio.h"

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

	printf("actuators: moving at most %ld per period\n", step);
	gpio_start();
	for (unsigned long n = 0;; n++) {
		long d = target - position;

		position += d > step ? step : d < -step ? -step : d;
		if (position == target)
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
		int64_t r = bh_periodic_wait();

		if (r < 0) {
			fprintf(stderr, "actuators: periodic_wait: %s\n", bh_strerror(r));
			return;
		}
	}
}
