/*
 * System tests of devices and interrupts at EL0: the demo's drivers reach their own
 * devices through the windows the kernel maps (demo-sensors the PL031 and its alarm
 * interrupt, demo-actuators the PL061's pins), bare metal on both GIC versions (virtual
 * time, the RTC on the VM clock) and under Xen with the devices passed through.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "qemu.h"

/* The prints of partition part that start with prefix: how many, and the nth's text. */
static int prints(const struct qemu_run *r, const char *part, const char *prefix, int nth,
		  const char **text)
{
	int n = 0;

	for (int i = 0; i < r->n_events; i++) {
		const struct jobj *e = &r->events[i];

		if (strcmp(jobj_str(e, "ev"), "print") || strcmp(jobj_str(e, "partition"), part) ||
		    strncmp(jobj_str(e, "text"), prefix, strlen(prefix)))
			continue;
		if (n++ == nth && text)
			*text = jobj_str(e, "text");
	}
	return n;
}

/* How often the health monitor restarted partition part in this run. */
static int restarts(const struct qemu_run *r, const char *part)
{
	return run_count_of(r, "partition_restart", part);
}

/* The drivers' evidence in one run: the RTC mapped and its alarm interrupt handled at
 * least min_alarms times (each after the one before was acknowledged), and every GPIO
 * read-back equal to what the actuator drove. */
static void assert_drivers(const struct qemu_run *r, int min_alarms)
{
	const char *t = NULL;
	int n;

	/* A partition the health monitor restarted (under Xen, where a loaded host can make
	 * jobs late) starts its driver again: once per start, and its alarms count from 1. */
	int starts_s = 1 + restarts(r, "sensors"), starts_a = 1 + restarts(r, "actuators"), seq = 0;

	int rtc_lines = prints(r, "sensors", "sensors: RTC at 0x40000000, alarm on interrupt 34", 0, NULL);
	int gpio_lines = prints(r, "actuators", "actuators: GPIO at 0x40000000, pins 0-2 out", 0, NULL);

	/* At least the first start; a restart at the very end may not have printed yet. */
	cr_assert(rtc_lines >= 1 && rtc_lines <= starts_s, "%d RTC lines, %d starts", rtc_lines, starts_s);
	cr_assert(gpio_lines >= 1 && gpio_lines <= starts_a, "%d GPIO lines, %d starts", gpio_lines,
		  starts_a);
	n = prints(r, "sensors", "alarm ", 0, NULL);
	cr_assert_geq(n, min_alarms, "%d alarm interrupts", n);
	for (int i = 0; i < n; i++) {
		char want[32], first[32];

		prints(r, "sensors", "alarm ", i, &t);
		snprintf(want, sizeof(want), "alarm %d: rtc ", seq + 1);
		snprintf(first, sizeof(first), "alarm 1: rtc ");
		if (starts_s > 1 && seq > 0 && !strncmp(t, first, strlen(first))) {
			seq = 0; /* after a restart */
		} else if (run_lines_lost(r)) {
			int k = 0; /* lines were lost (reported): later alarms, in order */

			cr_assert(sscanf(t, "alarm %d: rtc ", &k) == 1 && k > seq, "%s after %d", t, seq);
			seq = k - 1;
		} else {
			cr_assert(!strncmp(t, want, strlen(want)), "%s", t);
		}
		seq++;
	}
	n = prints(r, "actuators", "actuate ", 0, NULL);
	cr_assert_geq(n, 10);
	for (int i = 0; i < n; i++) {
		long k, pos, target;
		unsigned int gpio;

		prints(r, "actuators", "actuate ", i, &t);
		cr_assert_eq(sscanf(t, "actuate %ld: position %ld, target %ld, gpio %u", &k, &pos, &target,
				    &gpio), 4, "%s", t);
		cr_assert_eq(gpio, (unsigned int)(pos * 7 / 100), "%s", t);
	}
	for (int i = 0; run_find(r, "application_error", i); i++) /* the watchdog's may come */
		cr_assert(strcmp(jobj_str(run_find(r, "application_error", i), "message"),
				 "gpio read-back differs"),
			  "no GPIO read-back differed");
	cr_assert_eq(run_count(r, "syscall_violation"), 0);
	cr_assert_eq(run_count(r, "partition_fault"), 0);
	cr_assert_eq(run_count(r, "unexpected_irq"), 0);
}

static void bare_metal(int gic)
{
	struct qemu_run r;
	/* 3.2 s of virtual time: the alarm is armed a second ahead, so at least two fire,
	 * the second only if the first was acknowledged (irq_ack unmasks the line). */
	struct qemu_opts o = { .gic = gic, .smp = 2, .append = "loglevel=info runtime_ms=3200",
			       .rtc = "clock=vm" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "shutdown"), 1);
	assert_drivers(&r, 2);
	cr_assert_eq(run_count(&r, "deadline_miss"), 0);
	qemu_run_free(&r);
}

Test(devices, demo_drivers_use_their_devices_gicv3, .timeout = 180)
{
	bare_metal(3);
}

Test(devices, demo_drivers_use_their_devices_gicv2, .timeout = 180)
{
	bare_metal(2);
}

/* Whether a Xen run was short of host time: jobs missed deadlines and a driver did not
 * get as far as assert_drivers asks, or the console could not keep up with the lines
 * (each character a trap into Xen) and lost some (log_dropped). */
static bool short_of_time(const struct qemu_run *r)
{
	return run_lines_lost(r) > 0 ||
	       (run_count(r, "deadline_miss") > 0 &&
		(prints(r, "sensors", "sensors: RTC at ", 0, NULL) == 0 ||
		prints(r, "actuators", "actuators: GPIO at ", 0, NULL) == 0 ||
		prints(r, "sensors", "alarm ", 0, NULL) == 0 ||
		 prints(r, "actuators", "actuate ", 0, NULL) < 10));
}

/* Xen passes the PL031 and PL061 through: the same windows, the alarm's SPI through the
 * virtual GIC. Xen runs in real time (no -icount): deadlines are not asserted here, and
 * on a loaded host the guest may get too little time for a second alarm (the bare-metal
 * tests show the acknowledge cycle): one is required. On a host loaded enough, every job
 * is late and the console is busy with the misses (each character a trap into Xen) until
 * a driver never reaches its first line, or lines are dropped (log_dropped): such a run is
 * booted again, three boots at most. */
Test(devices, demo_drivers_under_xen, .timeout = 400)
{
	struct qemu_run r;
	struct xen_opts o = { .vcpus = 2, .bootargs = "loglevel=info runtime_ms=4500", .timeout_s = 90,
			      .initrd = BH_FIXTURES "/plans/xen-drivers.dtb" };

	for (int boots = 1;; boots++) {
		xen_boot(&o, &r);
		run_dump(&r);
		if (r.exit_status != XEN_RUN_SHUTDOWN || !short_of_time(&r) || boots == 3)
			break;
		test_note("boot %d was short of host time (%d deadline misses, %d lines lost): "
			    "booting again", boots, run_count(&r, "deadline_miss"),
			    run_lines_lost(&r));
		qemu_run_free(&r);
	}
	cr_assert_eq(r.exit_status, XEN_RUN_SHUTDOWN);
	assert_drivers(&r, 1);
	qemu_run_free(&r);
}
