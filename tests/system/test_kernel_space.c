/* System tests of the kernel's address space: the upper half, the linear map, an empty
 * TTBR0, guard-paged stacks whose overflow is reported, PAN where the CPU has it. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu.h"

#define KERNEL_IMAGE_VA 0xffffffc000000000ULL /* hal/kernel_va.h */
#define KERNEL_LINEAR_BASE 0xffffff8000000000ULL

static uint64_t hex(const struct jobj *o, const char *key)
{
	return strtoull(jobj_str(o, key), NULL, 16);
}

/* The run stopped on one kernel_fault, powered off by panic=off: that line and `stop`. */
static const struct jobj *only_fault(const struct qemu_run *r)
{
	cr_assert_not(r->timed_out, "panic=off powers the machine off");
	cr_assert_eq(r->exit_status, 0);
	cr_assert_eq(run_count(r, "kernel_fault"), 1);
	cr_assert_str_eq(jobj_str(&r->events[r->n_events - 1], "ev"), "stop", "the stop line is last");
	cr_assert_str_eq(jobj_str(&r->events[r->n_events - 1], "action"), "off");
	return run_find(r, "kernel_fault", 0);
}

/* What addr2line says about an elr_offset: the function name. */
static void assert_addr2line(const char *offset, const char *function)
{
	struct qemu_run a;
	const char *argv[] = { "aarch64-linux-gnu-addr2line", "-f", "-e", BH_BUILD "/bulkhead.elf",
			       offset, NULL };
	char want[64];

	run_capture(argv, 20, false, &a);
	cr_assert_eq(a.exit_status, 0);
	snprintf(want, sizeof(want), "%s\n", function);
	cr_assert(!strncmp(a.output, want, strlen(want)), "addr2line %s said %s", offset, a.output);
	qemu_run_free(&a);
}

struct overflow_case {
	char cpu[16];
	int gic;
	int smp;
	bool el2;
};

ParameterizedTestParameters(kernel_space, stack_overflow_faults_loudly)
{
	static struct overflow_case cases[] = {
		{ "cortex-a57", 3, 4, true },
		{ "cortex-a53", 2, 2, false },
		{ "max", 3, 2, false },
	};
	return cr_make_param_array(struct overflow_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* Unbounded recursion: the guard page stops it, the vectors notice the frame would not
 * fit and report from the overflow stack; the kernel still powers off cleanly. */
ParameterizedTest(struct overflow_case *c, kernel_space, stack_overflow_faults_loudly, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .cpu = c->cpu, .gic = c->gic, .smp = c->smp, .el2 = c->el2,
			       .timeout_s = 30,
			       .append = "test_stack_overflow=1 panic=off runtime_ms=5000" };

	qemu_boot(&o, &r);
	run_dump(&r);
	const struct jobj *f = only_fault(&r);
	cr_assert_eq(r.n_events, 2, "exactly two lines: the fault, then the stop");
	cr_assert_eq(r.n_other, 0);
	cr_assert_str_eq(jobj_str(f, "stack_overflow"), "true");
	cr_assert_str_eq(jobj_str(f, "vector"), "sync, current EL, SP_ELx");
	cr_assert_str_eq(jobj_str(f, "class"), "data abort (same EL)");
	cr_assert_str_eq(jobj_str(f, "fault"), "translation fault, level 3", "the unmapped guard page");
	cr_assert_str_eq(jobj_str(f, "access"), "write");
	uint64_t far = hex(f, "far"), sp = hex(f, "sp");
	cr_assert_geq(far, KERNEL_IMAGE_VA, "the guard lies in the image's stack area");
	cr_assert_lt(far, KERNEL_IMAGE_VA + (1ULL << 30));
	cr_assert_lt(sp - far + 4096, 8192, "the store that faulted was at the stack pointer");
	cr_assert_eq(hex(f, "elr") - KERNEL_IMAGE_VA, hex(f, "elr_offset"));
	assert_addr2line(jobj_str(f, "elr_offset"), "recurse");
	qemu_run_free(&r);
}

/* An ordinary fault is not an overflow, and its elr_offset still resolves. */
Test(kernel_space, ordinary_fault_is_not_an_overflow, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 2, .smp = 2, .timeout_s = 30,
			       .append = "test_fault=1 panic=off runtime_ms=5000" };

	qemu_boot(&o, &r);
	run_dump(&r);
	const struct jobj *f = only_fault(&r);
	cr_assert_str_eq(jobj_str(f, "stack_overflow"), "false");
	assert_addr2line(jobj_str(f, "elr_offset"), "cpu_fault_on_purpose");
	qemu_run_free(&r);
}

/* The linear map reads RAM (the DTB the loader put there) and has no alias of the image. */
Test(kernel_space, linear_map_reads_ram_and_has_no_image_alias, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 2, .timeout_s = 30,
			       .append = "test_linear=1 loglevel=info panic=off runtime_ms=5000" };

	qemu_boot(&o, &r);
	run_dump(&r);
	const struct jobj *f = only_fault(&r);
	const struct jobj *t = run_find(&r, "test_linear", 0);
	uint64_t image_pa = hex(run_find(&r, "platform", 0), "image_base");

	cr_assert_not_null(t);
	cr_assert_str_eq(jobj_str(t, "dtb_magic"), "0xd00dfeed");
	cr_assert_eq(hex(t, "image"), KERNEL_LINEAR_BASE + image_pa);
	cr_assert_eq(hex(f, "far"), KERNEL_LINEAR_BASE + image_pa);
	/* Level 2 or 3: whether the image's first 2 MiB are a whole block of the hole
	 * depends on the image's size. */
	cr_assert(!strncmp(jobj_str(f, "fault"), "translation fault, level ", 25), "%s",
		  jobj_str(f, "fault"));
	qemu_run_free(&r);
}

/* After boot TTBR0 maps nothing: the image's physical address, once its identity
 * address, faults at the first level (TTBR0 walks are off). */
Test(kernel_space, ttbr0_maps_nothing_of_the_kernel, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 4, .el2 = true, .timeout_s = 30,
			       .append = "test_identity=1 loglevel=info panic=off runtime_ms=5000" };

	qemu_boot(&o, &r);
	run_dump(&r);
	const struct jobj *f = only_fault(&r);
	uint64_t image_pa = hex(run_find(&r, "platform", 0), "image_base");

	cr_assert_eq(run_count(&r, "cpu_online"), 4, "every CPU got through the identity map");
	cr_assert_eq(hex(f, "far"), image_pa);
	cr_assert_str_eq(jobj_str(f, "fault"), "translation fault, level 0");
	qemu_run_free(&r);
}

struct pan_case {
	char cpu[16];
	bool el2;
	char pan[8];
};

ParameterizedTestParameters(kernel_space, pan_where_the_cpu_has_it)
{
	static struct pan_case cases[] = {
		{ "max", false, "true" }, { "max", true, "true" },
		{ "cortex-a57", false, "false" }, { "cortex-a53", true, "false" },
	};
	return cr_make_param_array(struct pan_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct pan_case *c, kernel_space, pan_where_the_cpu_has_it, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .cpu = c->cpu, .gic = 3, .smp = 2, .el2 = c->el2, .timeout_s = 30,
			       .append = "loglevel=info runtime_ms=100" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "shutdown"), 1);
	cr_assert_eq(run_count(&r, "cpu_online"), 2);
	cr_assert_str_eq(jobj_str(run_find(&r, "platform", 0), "pan"), c->pan);
	qemu_run_free(&r);
}

/* A PSCI context id out of range, or the boot CPU's, parks the CPU before it indexes
 * the stacks or the per-CPU data: nothing is overwritten and the boot goes on. (The
 * tree lists 2 CPUs, the machine has 4: the hook starts the 2 the kernel does not use.) */
Test(kernel_space, bad_psci_context_id_parks_the_cpu, .timeout = 60)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 2, .smp = 4, .timeout_s = 30,
			       .dtb = BH_FIXTURES "/qemu-virt-gicv2-2cpu.dtb",
			       .append = "test_cpu_on_bad_id=1 loglevel=info runtime_ms=300" };

	qemu_boot(&o, &r);
	run_dump(&r);
	cr_assert_not(r.timed_out);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "test_cpu_on_bad_id"), 2);
	for (int i = 0; i < 2; i++)
		cr_assert_str_eq(jobj_str(run_find(&r, "test_cpu_on_bad_id", i), "result"), "ok",
				 "PSCI started the CPU");
	cr_assert_eq(run_count(&r, "cpu_online"), 2);
	cr_assert_eq(run_count(&r, "shutdown"), 1, "the boot went on to its clean end");
	for (int i = 0; i < r.n_events; i++)
		cr_assert_str_eq(jobj_str(&r.events[i], "lvl"), "info", "%s",
				 jobj_str(&r.events[i], "ev"));
	qemu_run_free(&r);
}

/* The same overflow as a Xen guest: reported, then the domain crashes (panic=off). */
Test(kernel_space, stack_overflow_under_xen, .timeout = 180)
{
	struct qemu_run r;
	struct xen_opts o = { .bootargs = "test_stack_overflow=1 panic=off" };

	xen_boot(&o, &r);
	run_dump(&r);
	cr_assert_eq(r.exit_status, XEN_RUN_CRASH, "panic=off under Xen is SCHEDOP_shutdown(crash)");
	cr_assert_eq(run_count(&r, "kernel_fault"), 1);
	const struct jobj *f = run_find(&r, "kernel_fault", 0);
	cr_assert_str_eq(jobj_str(f, "stack_overflow"), "true");
	cr_assert_str_eq(jobj_str(f, "fault"), "translation fault, level 3");
	cr_assert_str_eq(jobj_str(&r.events[r.n_events - 1], "ev"), "stop");
	qemu_run_free(&r);
}
