/*
 * System tests: device trees that lie about the hardware (hand-edited copies of QEMU's
 * own trees, tests/fixtures/dt/lie-*.dts). The kernel must check what it can and stop
 * with one precise error, not fault and not hang silently after boot_done.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>
#include "qemu.h"

/* Parameters are copied into the test's process: no pointers, only values. */
struct lie_case {
	char fixture[40]; /* BH_FIXTURES/<fixture>.dtb */
	int gic;          /* the machine QEMU really builds */
	char ev[24];      /* the one error event expected */
	char error[128];  /* its "error" field (hal_strerror) */
};

#define NO_GIC "no GIC at the address the device tree gives (its identification register reads as zero or faults)"
#define WRONG_GIC "the GIC's identification register (PIDR2) names another architecture version than its compatible"

ParameterizedTestParameters(lying_dt, stops_with_a_precise_error)
{
	static struct lie_case cases[] = {
		/* The distributor where the flash is (reads as zero). */
		{ "lie-gic-dist-in-flash", 3, "gic_init_failed", NO_GIC },
		/* The distributor where nothing decodes the address (the read faults). */
		{ "lie-gic-dist-in-hole", 3, "gic_init_failed", NO_GIC },
		/* The distributor is real, the redistributors are not. */
		{ "lie-gic-redist-in-hole", 3, "gic_init_failed", NO_GIC },
		{ "lie-gic-dist-in-ram", 3, "gic_init_failed", "GIC registers placed inside RAM" },
		{ "lie-gicv2-on-gicv3", 3, "gic_init_failed", WRONG_GIC },
		{ "lie-gicv3-on-gicv2", 2, "gic_init_failed", WRONG_GIC },
		{ "lie-timer-1khz", 3, "timer_init_failed", "timer frequency is zero or below 1 MHz" },
	};
	return cr_make_param_array(struct lie_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* One precise error line, then the stop; no fault report, nothing started. */
static void expect_stop(const char *name, const struct qemu_opts *o, const char *ev, const char *error)
{
	struct qemu_run r;

	qemu_boot(o, &r);
	run_dump(&r);
	const struct jobj *e = run_find(&r, ev, 0);

	cr_assert_not_null(e, "%s: no %s event", name, ev);
	cr_assert_str_eq(jobj_str(e, "lvl"), "error");
	cr_assert_str_eq(jobj_str(e, "error"), error);
	cr_assert_eq(r.n_events, r.n_lines, "only JSON lines");
	cr_assert_not_null(run_find(&r, "stop", 0), "the error stops the kernel");
	cr_assert_eq(run_count(&r, "kernel_fault"), 0, "a precise error, not a fault report");
	cr_assert_eq(run_count(&r, "boot_done"), 0, "nothing runs on a machine the tree lies about");
	qemu_run_free(&r);
}

/* The run ends at the wall-clock limit (a halt) or at a power-off (panic=off). */
#define LIE_APPEND "loglevel=info runtime_ms=200 panic=off"

ParameterizedTest(struct lie_case *c, lying_dt, stops_with_a_precise_error, .timeout = 60)
{
	char dtb[128];
	struct qemu_opts o = { .gic = c->gic, .smp = 1, .timeout_s = 8, .dtb = dtb,
			       .initrd = BH_PLANS "/single.dtb", .append = LIE_APPEND };

	snprintf(dtb, sizeof(dtb), "%s/%s.dtb", BH_FIXTURES, c->fixture);
	expect_stop(c->fixture, &o, c->ev, c->error);
}

/* CNTFRQ_EL0 as the firmware left it (QEMU's cntfrq property), no clock-frequency in the
 * tree: 1 kHz is refused as the tree's 1 kHz is. */
Test(lying_dt, a_1khz_cntfrq_is_refused, .timeout = 60)
{
	struct qemu_opts o = { .cpu = "cortex-a57,cntfrq=1000", .gic = 3, .smp = 1, .timeout_s = 8,
			       .initrd = BH_PLANS "/single.dtb", .append = LIE_APPEND };

	expect_stop("cntfrq=1000", &o, "timer_init_failed", "timer frequency is zero or below 1 MHz");
}
