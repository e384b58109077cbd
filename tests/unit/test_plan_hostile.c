/*
 * Plans that try what the review found accepted: two nodes for one role (the last would
 * win), nodes that are not devices handed to a partition, the console named by a path
 * longer than the platform keeps. Each is refused by its rule.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "tests/unit/plan_arena.h"
#include "dt/plan.h"
#include "fixture.h"

static struct plan plan;
static struct plan_report rep;
static struct platform plat;
static struct plan_memory_map map;

/* plans/NAME.dtb through all three stages (the platform ones when pblob is given). */
static enum plan_err run_on(const char *name, const void *pblob, size_t plen)
{
	char path[96];
	size_t len;
	void *blob;
	enum plan_err e;

	snprintf(path, sizeof(path), "plans/%s.dtb", name);
	blob = fixture_load(path, &len);
	plan_report_init(&rep);
	e = plan_parse(blob, len, &plan, test_arena(), &rep);
	if (e == PLAN_OK)
		e = plan_check(&plan, NULL, 0, &rep);
	if (e == PLAN_OK && pblob) {
		struct dt_diag d;

		cr_assert_eq(platform_parse(pblob, plen, 8, &plat, &d), DT_OK, "%s", d.what);
		struct plan_env env = { pblob, &plat, { pa_init(0x40200000), 0x200000 },
					{ pa_init(0x40000000), 0x100000 }, { pa_init(0), 0 } };
		e = plan_check_platform(&plan, &env, &map, &rep);
	}
	free(blob);
	return e;
}

/* The same against the platform fixture named (none: the plan stages only). */
static enum plan_err run(const char *name, const char *platform)
{
	size_t plen = 0;
	void *pblob = platform ? fixture_load(platform, &plen) : NULL;
	enum plan_err e = run_on(name, pblob, plen);

	free(pblob);
	return e;
}

static unsigned int count(enum plan_rule rule)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < rep.n; i++)
		n += rep.e[i].rule == rule;
	return n;
}

static void expect(enum plan_rule rule, const char *path, const char *what)
{
	for (unsigned int i = 0; i < rep.n; i++)
		if (rep.e[i].rule == rule && !strcmp(rep.e[i].path, path) && strstr(rep.e[i].what, what))
			return;
	for (unsigned int i = 0; i < rep.n; i++)
		cr_log_info("[%s] %s: %s", plan_rule_name(rep.e[i].rule), rep.e[i].path, rep.e[i].what);
	cr_assert_fail("no [%s] at %s saying '%s'", plan_rule_name(rule), path, what);
}

Test(plan_hostile, second_driver_cell_is_refused_not_silently_used)
{
	cr_assert_eq(run("bad-node-duplicate", NULL), PLAN_INVALID);
	expect(RULE_NODE_DUPLICATE, "/partitions/alpha/driver@1",
	       "a second driver node, /partitions/alpha/driver is the first");
	cr_assert_eq(rep.n, 1, "only the repeat is wrong");
}

Test(plan_hostile, second_watchdog_cell_is_refused)
{
	cr_assert_eq(run("bad-node-duplicate-watchdog", NULL), PLAN_INVALID);
	expect(RULE_NODE_DUPLICATE, "/partitions/beta/watchdog@0",
	       "a second watchdog node, /partitions/beta/watchdog is the first");
}

Test(plan_hostile, second_schedule_is_refused)
{
	cr_assert_eq(run("bad-node-duplicate-schedule", NULL), PLAN_INVALID);
	expect(RULE_NODE_DUPLICATE, "/schedule@1", "a second schedule node, /schedule is the first");
	cr_assert_eq(rep.n, 1, "the second schedule is not read: %u findings", rep.n);
}

Test(plan_hostile, root_memory_cpu_chosen_and_bare_buses_are_not_devices)
{
	cr_assert_eq(run("bad-device-node", "qemu-virt-gicv2-2cpu.dtb"), PLAN_INVALID);
	expect(RULE_DEVICE_NODE, "/partitions/alpha", "/memory@40000000 is not a device: it is memory");
	expect(RULE_DEVICE_NODE, "/partitions/alpha", "device / is not a device: it is the root node");
	expect(RULE_DEVICE_NODE, "/partitions/alpha", "/cpus/cpu@0 is not a device: it is a CPU");
	expect(RULE_DEVICE_NODE, "/partitions/alpha", "/chosen is not a device: it is /chosen");
	expect(RULE_DEVICE_NODE, "/partitions/alpha",
	       "/platform-bus@c000000 is not a device: it has neither reg nor interrupts");
	cr_assert_eq(count(RULE_DEVICE_NODE), 5);
}

Test(plan_hostile, reserved_memory_aliases_and_cpus_are_not_devices_a_console_bus_is_kept)
{
	cr_assert_eq(run("bad-device-node-system", "handmade-bus-reserved.dtb"), PLAN_INVALID);
	expect(RULE_DEVICE_NODE, "/partitions/alpha",
	       "/reserved-memory/fw@4f000000 is not a device: it is inside /reserved-memory");
	expect(RULE_DEVICE_NODE, "/partitions/alpha", "/aliases is not a device: it is /aliases");
	expect(RULE_DEVICE_NODE, "/partitions/alpha", "/cpus is not a device: it is /cpus");
	expect(RULE_DEVICE_KERNEL, "/partitions/alpha",
	       "device /soc holds /soc/serial@1000 (the console), which the kernel keeps");
	cr_assert_eq(count(RULE_DEVICE_NODE), 3);
	cr_assert_eq(count(RULE_DEVICE_KERNEL), 1);
}

Test(plan_hostile, real_devices_are_still_devices)
{
	cr_assert_eq(run("good-base", "qemu-virt-gicv2-2cpu.dtb"), PLAN_OK);
	cr_assert_eq(count(RULE_DEVICE_NODE), 0);
}

Test(plan_hostile, console_at_a_long_path_is_kept_by_the_kernel)
{
	cr_assert_eq(run("bad-device-kernel-long-path", "handmade-long-console-path.dtb"), PLAN_INVALID);
	expect(RULE_DEVICE_KERNEL, "/partitions/alpha",
	       "/soc-with-a-rather-long-bus-name/another-long-bus-name/serial@1000 is the console");
}

Test(plan_hostile, a_node_holding_the_console_is_kept_by_the_kernel)
{
	cr_assert_eq(run("bad-device-kernel-holder", "handmade-long-console-path.dtb"), PLAN_INVALID);
	expect(RULE_DEVICE_KERNEL, "/partitions/alpha",
	       "device /soc-with-a-rather-long-bus-name holds "
	       "/soc-with-a-rather-long-bus-name/another-long-bus-name/serial@1000 (the console), "
	       "which the kernel keeps");
	cr_assert_eq(count(RULE_DEVICE_NODE), 0, "one finding for the node, the more precise one");
}

/* A node added at the root of a copy of fixture (which has 2 address and 2 size cells). */
static void add_device(void *buf, const char *name, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
	int node = fdt_add_subnode(buf, 0, name);

	cr_assert_geq(node, 0, "%s: %s", name, fdt_strerror(node));
	cr_assert_eq(fdt_setprop_string(buf, node, "compatible", "test,device"), 0);
	cr_assert_eq(fdt_setprop(buf, node, "reg", reg, sizeof(reg)), 0);
}

/* Nodes are compared by node elsewhere: a second node over the same registers (or over
 * RAM) would hand a partition what the kernel or another partition owns. */
Test(plan_hostile, device_registers_must_not_be_the_kernels_or_another_partitions)
{
	size_t n;
	void *in = fixture_load("qemu-virt-gicv2-2cpu.dtb", &n);
	void *buf = malloc(n + 4096);

	cr_assert_eq(fdt_open_into(in, buf, (int)n + 4096), 0);
	free(in);
	add_device(buf, "ram-window@48000000", 0x48000000, 0x1000);
	add_device(buf, "uart-twin@9000000", 0x9000000, 0x1000);
	add_device(buf, "gic-twin@8000000", 0x8000800, 0x100);
	add_device(buf, "rtc-twin@9010000", 0x9010ff0, 0x10);
	cr_assert_eq(run_on("bad-device-regs", buf, fdt_totalsize(buf)), PLAN_INVALID);
	expect(RULE_DEVICE_NODE, "/partitions/alpha",
	       "device /ram-window@48000000 is not a device: it has registers in RAM");
	expect(RULE_DEVICE_KERNEL, "/partitions/alpha",
	       "device /uart-twin@9000000 shares registers with the console, which the kernel keeps");
	expect(RULE_DEVICE_KERNEL, "/partitions/alpha",
	       "device /gic-twin@8000000 shares registers with the interrupt controller");
	expect(RULE_DEVICE_SHARED, "/partitions/beta",
	       "device /rtc-twin@9010000 shares registers with /pl031@9010000 of /partitions/alpha");
	cr_assert_eq(rep.n, 4, "nothing else: %u findings", rep.n);
	free(buf);
}
