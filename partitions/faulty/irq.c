/*
 * faulty's driver phase (arg irq=on): it drives the PL031 RTC its plan grants, so the
 * tests can see what a restart does to a device interrupt (docs/health.md, "Devices").
 * At each start: whether the kernel still holds an interrupt from before (it must not:
 * a restart quiesces the partition's devices); then the device re-initialised, its line
 * handed back with irq_ack, and the cell blocked in irq_wait until the alarm interrupt
 * wakes it (result 0: the interrupt; -timed-out: the limit); then a second alarm left
 * unhandled, which the kernel masks and holds, before the fault the args choose.
 */
#include <stdio.h>
#include "bulkhead.h"
#include "bulkhead_mmio.h"
#include "irq.h"

/* PL031 registers (ARM PrimeCell RTC, DDI 0224). */
enum { RTC_DR = 0x00, RTC_MR = 0x04, RTC_IMSC = 0x10, RTC_MIS = 0x18, RTC_ICR = 0x1c };
#define RTC_INT 1u
#define WAIT_LIMIT_NS 3000000000ll /* three alarms' worth: a wake before it is the alarm's */
#define POLL_LIMIT 400              /* periods to wait for the second alarm (4 s) */

/* The device cleared and its alarm armed for the next second. */
static void arm(uint64_t rtc)
{
	bh_mmio_write32(rtc, RTC_ICR, RTC_INT);
	bh_mmio_write32(rtc, RTC_MR, bh_mmio_read32(rtc, RTC_DR) + 1);
	bh_mmio_write32(rtc, RTC_IMSC, RTC_INT);
}

void faulty_irq_phase(void (*wait_period)(void))
{
	struct bh_device_info d;
	bh_cap_t h = bh_device_find("pl031", &d);
	int r;

	if (h == BH_CAP_INVALID) {
		fprintf(stderr, "faulty: irq=on but no pl031 granted\n");
		return;
	}
	r = bh_irq_wait(h, 0);
	printf("faulty: irq at start: %s\n", r == 0 ? "PENDING" : r == -BH_E_TIMEOUT ? "clean" : bh_strerror(r));
	arm(d.va);
	r = bh_irq_ack(h); /* the line handed back, the device clean */
	if (r < 0)
		fprintf(stderr, "faulty: irq_ack: %s\n", bh_strerror(r));

	int64_t t0 = bh_time_ns();

	r = bh_irq_wait(h, WAIT_LIMIT_NS);

	int64_t t1 = bh_time_ns();

	printf("faulty: irq_wait: %s after %lld ms\n", r == 0 ? "interrupt" : bh_strerror(r),
	       (long long)((t1 - t0) / 1000000));
	/* The second alarm: nobody waits, so the kernel masks the line and holds it. */
	arm(d.va);
	(void)bh_irq_ack(h);
	for (int n = 0; n < POLL_LIMIT && !(bh_mmio_read32(d.va, RTC_MIS) & RTC_INT); n++)
		wait_period();
	wait_period(); /* the kernel has taken it by now (its SPI is routed to this CPU) */
	printf("faulty: second alarm %s\n", bh_mmio_read32(d.va, RTC_MIS) & RTC_INT ? "raised, left pending" : "NEVER RAISED");
}
