/*
 * System tests of the boot flow's decisions: CPU numbering whichever CPU boots, which
 * secondary CPU failures stop the boot, the panic policy before the platform is known,
 * the initrd's placement, and the timer interrupt's arrival. Each uses a device tree
 * fixture handed with -dtb (QEMU still adds /chosen/bootargs and the initrd).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu.h"

#define MPIDR_U 0x80000000u /* MPIDR_EL1 bit 31 (RES1), as the kernel logs it */

static uint64_t hex(const struct jobj *e, const char *key)
{
	const char *s = jobj_str(e, key);

	cr_assert(s[0], "no %s", key);
	return strtoull(s, NULL, 16);
}

/* The tree lists the CPUs in reverse: QEMU boots MPIDR 0, which is CPU 3 in /cpus order. */
Test(boot_flow, cpu_numbers_are_cpus_order_whichever_cpu_boots, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 4, .timeout_s = 30,
			       .dtb = BH_FIXTURES "/qemu-virt-gicv3-4cpu-reversed.dtb",
			       .append = "loglevel=info runtime_ms=200" };
	bool seen[4] = { false };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "cpu_online"), 4);
	for (int i = 0; i < 4; i++) {
		const struct jobj *e = run_find(&r, "cpu_online", i);
		uint64_t cpu = jobj_u64(e, "cpu", 99);

		cr_assert_lt(cpu, 4);
		cr_assert_not(seen[cpu]);
		seen[cpu] = true;
		/* CPU N is the Nth /cpus node: MPIDR 3 - N in this tree, as bhplan numbers it. */
		cr_assert_eq(hex(e, "mpidr"), MPIDR_U | (3 - cpu), "cpu %lu", (unsigned long)cpu);
	}
	/* The boot CPU's own lines, and its timer queue (the runtime_ms shutdown), are CPU 3's. */
	cr_assert_eq(jobj_u64(run_find(&r, "platform", 0), "cpu", 99), 3);
	cr_assert_eq(jobj_u64(run_find(&r, "boot_done", 0), "cpu", 99), 3);
	const struct jobj *s = run_find(&r, "shutdown", 0);
	cr_assert_not_null(s, "the boot CPU's timer queue ran the shutdown");
	cr_assert_eq(jobj_u64(s, "cpu", 99), 3);
	qemu_run_free(&r);
}

/* A CPU in the tree that the machine does not have: PSCI CPU_ON refuses it. */
#define GHOST_DTB BH_FIXTURES "/qemu-virt-gicv2-2cpu-ghost.dtb"

Test(boot_flow, a_cpu_the_plan_does_not_use_may_fail_to_start, .timeout = 60)
{
	struct qemu_run r;
	/* The built-in demo plan uses CPUs 0 and 1 only. */
	struct qemu_opts o = { .gic = 2, .smp = 2, .timeout_s = 30, .dtb = GHOST_DTB,
			       .append = "loglevel=info runtime_ms=200" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "cpu_start_timeout"), 0,
		     "a CPU whose CPU_ON failed is not waited for, nor reported twice");
	cr_assert_eq(run_count(&r, "cpu_start_failed"), 1);
	const struct jobj *f = run_find(&r, "cpu_start_failed", 0);
	cr_assert_str_eq(jobj_str(f, "lvl"), "warn");
	cr_assert_eq(jobj_u64(f, "target", 99), 2);
	cr_assert_eq(hex(f, "mpidr"), 2);
	cr_assert_str_eq(jobj_str(f, "error"), "PSCI: invalid parameters");
	cr_assert_str_eq(jobj_str(f, "plan_uses"), "false");
	cr_assert_eq(run_count(&r, "cpu_online"), 2);
	cr_assert_not_null(run_find(&r, "boot_done", 0));
	cr_assert_not_null(run_find(&r, "shutdown", 0));
	qemu_run_free(&r);
}

Test(boot_flow, a_cpu_the_plan_uses_that_fails_to_start_stops_the_boot, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 2, .smp = 2, .timeout_s = 30, .dtb = GHOST_DTB,
			       .initrd = BH_FIXTURES "/plans/on-cpu2.dtb",
			       .append = "loglevel=info panic=off runtime_ms=5000" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out, "panic=off powers off");
	cr_assert_eq(r.exit_status, 0);
	cr_assert_not_null(run_find(&r, "plan", 0), "the plan itself was accepted");
	cr_assert_eq(run_count(&r, "cpu_start_failed"), 1);
	const struct jobj *f = run_find(&r, "cpu_start_failed", 0);
	cr_assert_str_eq(jobj_str(f, "lvl"), "error");
	cr_assert_eq(jobj_u64(f, "target", 99), 2);
	cr_assert_str_eq(jobj_str(f, "plan_uses"), "true");
	cr_assert_eq(run_count(&r, "cpu_start_timeout"), 0);
	cr_assert_str_eq(jobj_str(&r.events[r.n_events - 1], "ev"), "stop");
	cr_assert_str_eq(jobj_str(&r.events[r.n_events - 1], "action"), "off");
	cr_assert_eq(run_count(&r, "boot_done"), 0, "the boot did not go on");
	cr_assert_eq(run_count(&r, "shutdown"), 0);
	qemu_run_free(&r);
}

/* panic= is read before the platform: a tree the parser refuses ends the run. */
Test(boot_flow, panic_off_applies_to_a_tree_the_platform_refuses, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 1, .timeout_s = 30,
			       .dtb = BH_FIXTURES "/bad-no-timer.dtb", .append = "panic=off" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out, "powered off, not halted");
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(r.n_events, 2);
	cr_assert_str_eq(jobj_str(&r.events[0], "ev"), "dt_invalid");
	cr_assert_str_eq(jobj_str(&r.events[1], "ev"), "stop");
	cr_assert_str_eq(jobj_str(&r.events[1], "action"), "off");
	qemu_run_free(&r);
}

struct initrd_case {
	char dtb[48];
	char error[48];
	uint64_t clash_start, clash_end;
};

ParameterizedTestParameters(boot_flow, a_badly_placed_initrd_is_refused)
{
	static struct initrd_case cases[] = {
		{ "initrd-outside-ram.dtb", "initrd is not entirely in RAM", 0x8000000, 0x8001000 },
		/* QEMU loads the image at 0x40200000; the clash ends where the image does. */
		{ "initrd-over-kernel.dtb", "initrd overlaps the kernel image", 0x40200000, 0 },
	};
	return cr_make_param_array(struct initrd_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct initrd_case *c, boot_flow, a_badly_placed_initrd_is_refused,
		  .timeout = 60)
{
	struct qemu_run r;
	char dtb[96];
	struct qemu_opts o = { .gic = 3, .smp = 1, .timeout_s = 30, .dtb = dtb,
			       .append = "panic=off runtime_ms=5000" };

	snprintf(dtb, sizeof(dtb), "%s/%s", BH_FIXTURES, c->dtb);
	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(r.n_events, 2, "the refusal, then the stop");
	const struct jobj *e = run_find(&r, "initrd_invalid", 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(jobj_str(e, "lvl"), "error");
	cr_assert_str_eq(jobj_str(e, "error"), c->error);
	cr_assert_eq(hex(e, "clash_start"), c->clash_start);
	if (c->clash_end)
		cr_assert_eq(hex(e, "clash_end"), c->clash_end);
	else
		cr_assert_gt(hex(e, "clash_end"), c->clash_start);
	cr_assert_str_eq(jobj_str(run_find(&r, "stop", 0), "action"), "off");
	qemu_run_free(&r);
}

/* The tree names PPI 12 for the virtual timer; the machine's is 11. */
Test(boot_flow, a_timer_interrupt_that_never_arrives_stops_the_boot, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 1, .timeout_s = 30,
			       .dtb = BH_FIXTURES "/lying-timer-ppi.dtb",
			       .initrd = BH_PLANS "/single.dtb",
			       .append = "loglevel=info panic=off runtime_ms=500" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out, "stopped and powered off, not hung");
	cr_assert_eq(r.exit_status, 0);
	const struct jobj *e = run_find(&r, "timer_irq_missing", 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(jobj_str(e, "lvl"), "error");
	cr_assert_eq(jobj_u64(e, "intid", 0), 28, "PPI 12 is INTID 28");
	cr_assert_str_eq(jobj_str(&r.events[r.n_events - 1], "ev"), "stop");
	cr_assert_eq(run_count(&r, "boot_done"), 0);
	cr_assert_eq(run_count(&r, "cpu_online"), 0, "stopped before any CPU started");
	qemu_run_free(&r);
}

/* The boot CPU is not in the tree: the platform parsed, but the stop still follows panic=. */
Test(boot_flow, panic_off_applies_when_the_boot_cpu_is_unknown, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 4, .timeout_s = 30,
			       .dtb = BH_FIXTURES "/boot-cpu-missing.dtb", .append = "panic=off" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out, "powered off, not halted");
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(r.n_events, 2);
	const struct jobj *e = run_find(&r, "boot_cpu_unknown", 0);
	cr_assert_not_null(e);
	cr_assert_eq(hex(e, "mpidr"), MPIDR_U);
	cr_assert_str_eq(jobj_str(&r.events[1], "action"), "off");
	qemu_run_free(&r);
}
