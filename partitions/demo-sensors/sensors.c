/*
 * demo-sensors: the driver cell samples a (simulated) temperature sensor every period,
 * reads the real-time clock it owns (a PL031 the plan grants) and reports it. The RTC's
 * alarm is armed one second ahead; when its interrupt has fired (the kernel masks the
 * line and holds it), the next period clears the device's interrupt, re-arms the alarm
 * and acknowledges the line. Args: base-mc=N (the baseline, milli-degrees Celsius),
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
	/* SAFETY: the channel's region is this partition's own writable mapping (its
	 * port info says so); volatile keeps every store of the scribble. */
	volatile uint8_t *r = (volatile uint8_t *)(uintptr_t)pi.region_va;

	for (uint32_t i = 0; i < pi.region_bytes; i++) {
		*state ^= *state << 13;
		*state ^= *state >> 7;
		*state ^= *state << 17;
		r[i] = (uint8_t)*state;
	}
}
#endif
#include "bulkhead_mmio.h"

/* PL031 registers (ARM PrimeCell RTC, DDI 0224). */
enum { RTC_DR = 0x00, RTC_MR = 0x04, RTC_IMSC = 0x10, RTC_ICR = 0x1c };
#define RTC_INT 1u

static uint64_t rtc; /* its registers' VA; 0: no RTC granted */

static void arm_alarm(void)
{
	bh_mmio_write32(rtc, RTC_MR, bh_mmio_read32(rtc, RTC_DR) + 1);
}

static void rtc_start(void)
{
	struct bh_device_info info;
	bh_cap_t h = bh_device_find("pl031", &info);

	if (h == BH_CAP_INVALID || info.bytes < 0x20) {
		printf("sensors: no RTC granted: samples are not time-stamped\n");
		return;
	}
	rtc = info.va;
	bh_mmio_write32(rtc, RTC_ICR, RTC_INT);
	arm_alarm();
	bh_mmio_write32(rtc, RTC_IMSC, RTC_INT);
	printf("sensors: RTC at 0x%llx, alarm on interrupt %u\n", (unsigned long long)info.va,
	       (unsigned int)info.irq[0]);
}

/* Called every period: an alarm that fired since is handled here. */
static void rtc_poll(bh_cap_t h, uint64_t *alarms)
{
	if (bh_irq_wait(h, 0) != 0)
		return;
	bh_mmio_write32(rtc, RTC_ICR, RTC_INT);
	(*alarms)++;
	printf("alarm %llu: rtc %u s\n", (unsigned long long)*alarms,
	       (unsigned int)bh_mmio_read32(rtc, RTC_DR));
	arm_alarm();
	int r = bh_irq_ack(h);

	if (r < 0)
		fprintf(stderr, "sensors: irq_ack: %s\n", bh_strerror(r));
}

BH_CELL_ENTRY(sensors_main)
{
	double base = (double)bh_arg_u64("base-mc", 21000) / 1000.0;
	uint64_t every = bh_arg_u64("report-every", 1), alarms = 0;
	bool publish = bh_arg("channels") != NULL, garbage = bh_arg("garbage") != NULL;
	uint64_t rnd = 0x9e3779b97f4a7c15ull;
	bh_cap_t h;

	if (every == 0)
		every = 1;
	printf("sensors: sampling every period, baseline %.1f C\n", base);
	rtc_start();
	h = rtc ? bh_device_find("pl031", NULL) : BH_CAP_INVALID;
	for (uint64_t n = 0;; n++) {
		double celsius = base + 2.5 * sin((double)n * 0.05);

		if (n % every == 0)
			printf("sample %llu: %.2f C at %lld ns, rtc %u s\n", (unsigned long long)n, celsius,
			       (long long)bh_time_ns(), rtc ? (unsigned int)bh_mmio_read32(rtc, RTC_DR) : 0u);
		if (rtc)
			rtc_poll(h, &alarms);
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
